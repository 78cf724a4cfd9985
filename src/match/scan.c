/*
 * scan.c — matches SBOM components against an index (see match.h).
 *
 * A component is looked up by its purl (type → key type and version
 * scheme, name normalised as the index normalised it) or, without a purl,
 * by its CPE's vendor and product. Each candidate posting is then tested
 * with the ecosystem's own version order: a vers range with
 * xsirt_vers_contains, an exact list by comparison. Ranges are parsed once
 * per posting and cached for the scan. A CSAF "not affected"/"fixed"
 * statement for the same product cancels the record for that component.
 * Finally an existing VEX statement in the SBOM (not_affected,
 * false_positive, resolved) marks a finding suppressed.
 */
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/checked.h"
#include "core/str.h"
#include "match/apply_vex.h"
#include "match/index_read.h"
#include "match/names.h"
#include "match/strmap.h"
#include "xsirt/cpe.h"
#include "xsirt/cvss.h"
#include "xsirt/limits.h"
#include "xsirt/purl.h"
#include "xsirt/vers.h"

typedef struct scan_cand {
    uint32_t record;
    uint32_t posting;
    bool cancel;
    const char *exact;   /* the listed version that matched (EXACT) */
} scan_cand;

/* Prepared ranges by posting number: a scan touches a few thousand of an
 * index's postings, so an open-addressing table rather than an array of
 * them all. A range that cannot be prepared is kept as NULL. */
typedef struct scan_ranges {
    uint32_t *keys;           /* posting + 1; 0 is empty */
    xsirt_vers_prepared **vals;
    size_t cap, n;            /* cap: 0 or a power of two */
} scan_ranges;

static size_t scan_ranges_slot(const scan_ranges *m, uint32_t posting)
{
    size_t k = ((size_t)posting * 2654435761u) & (m->cap - 1);

    while (m->keys[k] != 0 && m->keys[k] != posting + 1)
        k = (k + 1) & (m->cap - 1);
    return k;
}

/* Whether posting is in the table; *val gets its range. */
static bool scan_ranges_get(const scan_ranges *m, uint32_t posting, xsirt_vers_prepared **val)
{
    size_t k;

    if (m->cap == 0)
        return false;
    k = scan_ranges_slot(m, posting);
    *val = m->vals[k];
    return m->keys[k] != 0;
}

static int scan_ranges_grow(scan_ranges *m)
{
    scan_ranges old = *m;

    m->cap = old.cap ? old.cap * 2 : 1024;
    m->keys = xsirt_alloc_array(m->cap, sizeof *m->keys);
    m->vals = xsirt_alloc_array(m->cap, sizeof *m->vals);
    if (m->keys == NULL || m->vals == NULL) {
        free(m->keys);
        free(m->vals);
        *m = old;
        return XSIRT_ENOMEM;
    }
    for (size_t i = 0; i < old.cap; i++)
        if (old.keys[i] != 0) {
            size_t k = scan_ranges_slot(m, old.keys[i] - 1);
            m->keys[k] = old.keys[i];
            m->vals[k] = old.vals[i];
        }
    free(old.keys);
    free(old.vals);
    return 0;
}

/* Sets posting's range (replacing it: the caller frees nothing). */
static int scan_ranges_put(scan_ranges *m, uint32_t posting, xsirt_vers_prepared *val)
{
    size_t k = 0;

    if (m->cap > 0)
        k = scan_ranges_slot(m, posting);
    if (m->cap == 0 || (m->keys[k] == 0 && 2 * (m->n + 1) > m->cap)) {
        if (scan_ranges_grow(m) != 0)
            return XSIRT_ENOMEM;
        k = scan_ranges_slot(m, posting);
    }
    m->n += m->keys[k] == 0;
    m->keys[k] = posting + 1;
    m->vals[k] = val;
    return 0;
}

static void scan_ranges_free(scan_ranges *m)
{
    for (size_t i = 0; i < m->cap; i++)
        xsirt_vers_prepared_free(m->vals[i]);
    free(m->keys);
    free(m->vals);
}

typedef struct scan_ctx {
    const xsirt_match_index *idx;
    xsirt_findings *f;
    scan_ranges ranges;       /* prepared ranges by posting, made on first use */
    uint32_t *slot_of;        /* per index record: 1 + its findings record, or 0 */
    uint32_t *seen_mark;      /* per index record: stamp of the last component using it */
    uint32_t *cancel_mark;    /* per index record: stamp of the last component cancelling it */
    uint32_t stamp;
    uint32_t scheme_ref;      /* the last posting's scheme string, and its scheme */
    const xsirt_version_scheme *scheme;
    const xsirt_version_scheme *pypi;
    /* The component's version in the scheme last asked for: normalised
     * text, and parsed (NULL when the scheme rejects it). */
    const xsirt_version_scheme *cv_scheme;
    xsirt_buf cv_text;
    xsirt_version *cv;
    /* Per findings record: the hash of its id and where the hashes of its
     * aliases start in alias_hash, so that dedupe looks ids up by hash
     * and compares strings only when hashes meet. */
    uint64_t *id_hash;
    size_t *alias_at, cap_hash;
    uint64_t *alias_hash;
    size_t n_alias_hash, cap_alias_hash;
    uint32_t *table;          /* dedupe: open addressing, item + 1 or 0 */
    size_t cap_table;
    xsirt_vers_op *ops;       /* a range's constraints, read from the index */
    const char **parts;
    size_t cap_parts;
    xsirt_buf last_key;       /* the last key looked up, and what it gave */
    uint32_t last_first, last_count;
    bool last_found;
    scan_cand *cands;
    size_t n_cands, cap_cands;
    size_t cap_items, cap_records;
    xsirt_buf key;
} scan_ctx;

static int scan_nomem(xsirt_error *err)
{
    return xsirt_error_set(err, XSIRT_ENOMEM, "scan: out of memory");
}

static bool scan_grow(void **arr, size_t *cap, size_t n, size_t size)
{
    size_t ncap;
    void *p;

    if (n < *cap)
        return true;
    if (n >= XSIRT_LIMIT_FINDINGS)
        return false;
    ncap = *cap ? *cap * 2 : 16;
    if ((p = xsirt_realloc_array(*arr, ncap, size)) == NULL)
        return false;
    *arr = p;
    *cap = ncap;
    return true;
}

/* The posting's range, prepared once from its constraints (index_format.h);
 * NULL when it cannot be. */
static const xsirt_vers_prepared *scan_range(scan_ctx *x, uint32_t i, const xsirt_ix_posting *p,
                                             const xsirt_version_scheme *scheme)
{
    uint32_t n = p->n_list;
    xsirt_vers_prepared *r = NULL;

    if (scan_ranges_get(&x->ranges, i, &r))
        return r;
    if (scan_ranges_put(&x->ranges, i, NULL) != 0 || n == 0 ||
        n > XSIRT_LIMIT_VERS_CONSTRAINTS || !xsirt_ix_list_ok(x->idx, p->list, n))
        return NULL;
    if (n > x->cap_parts) {
        xsirt_vers_op *ops = xsirt_realloc_array(x->ops, n, sizeof *ops);
        const char **vs;
        if (ops != NULL)
            x->ops = ops;
        if (ops == NULL || (vs = xsirt_realloc_array(x->parts, n, sizeof *vs)) == NULL)
            return NULL;
        x->parts = vs;
        x->cap_parts = n;
    }
    for (uint32_t j = 0; j < n; j++) {
        const char *c = xsirt_ix_ref(x->idx, p->list, n, j);
        if (c[0] < '0' || c[0] > '0' + XSIRT_VERS_ANY)
            return NULL;
        x->ops[j] = (xsirt_vers_op)(c[0] - '0');
        x->parts[j] = x->ops[j] == XSIRT_VERS_ANY ? NULL : c + 1;
    }
    if (xsirt_vers_prepare_parts(&r, scheme, x->ops, x->parts, n, NULL) != 0)
        return NULL;
    (void)scan_ranges_put(&x->ranges, i, r);   /* the key is there: no growth, no failure */
    return r;
}

/* The scheme of a posting (postings of one key mostly share it). */
static const xsirt_version_scheme *scan_scheme(scan_ctx *x, const xsirt_ix_posting *p)
{
    if (p->scheme != x->scheme_ref || x->scheme == NULL) {
        x->scheme_ref = p->scheme;
        x->scheme = xsirt_version_scheme_find(xsirt_ix_str(x->idx, p->scheme));
    }
    return x->scheme;
}

/* Forgets the component version (a new component). */
static void scan_version_reset(scan_ctx *x)
{
    xsirt_version_free(x->cv);
    x->cv = NULL;
    x->cv_scheme = NULL;
}

/* The component's version in scheme: normalised and parsed once per
 * component, not once per posting. False when it cannot be normalised. */
static bool scan_version(scan_ctx *x, const xsirt_version_scheme *scheme, const char *version)
{
    if (x->cv_scheme == scheme)
        return true;
    scan_version_reset(x);
    xsirt_buf_reset(&x->cv_text);
    if (xsirt_match_version_norm(&x->cv_text, xsirt_version_scheme_name(scheme), version) != 0)
        return false;
    x->cv_scheme = scheme;
    if (xsirt_version_parse(&x->cv, scheme, xsirt_buf_cstr(&x->cv_text), NULL) != 0)
        x->cv = NULL;
    return true;
}

/* The entry of posting p's list that names the component's version, or
 * NULL. Text first, by binary search (lists are sorted): listed versions
 * the scheme cannot parse still match (PyPI's legacy versions, case-
 * insensitively as PEP 440 says). Then, for lists that are not OSV's
 * enumeration beside ranges, equality in the scheme ("1.0" is "1.0.0"). */
static const char *scan_listed(scan_ctx *x, const xsirt_version_scheme *scheme,
                               const xsirt_ix_posting *p, const char *version)
{
    const char *v = xsirt_buf_cstr(&x->cv_text), *e;
    bool any_case = scheme == x->pypi;

    if ((e = xsirt_ix_list_find(x->idx, p->list, p->n_list, v, any_case)) != NULL ||
        (strcmp(v, version) != 0 &&
         (e = xsirt_ix_list_find(x->idx, p->list, p->n_list, version, any_case)) != NULL))
        return e;
    if ((p->kind & XSIRT_IX_ENUMERATED) || x->cv == NULL ||
        !xsirt_ix_list_ok(x->idx, p->list, p->n_list))
        return NULL;
    for (uint32_t j = 0; j < p->n_list; j++) {
        int c = 1;
        e = xsirt_ix_ref(x->idx, p->list, p->n_list, j);
        if (xsirt_version_compare(&c, scheme, e, v, NULL) == 0 && c == 0)
            return e;
    }
    return NULL;
}

/* Whether version (as the component gives it) is in posting i. */
static bool scan_test(scan_ctx *x, uint32_t i, const xsirt_ix_posting *p, const char *version,
                      const char **exact)
{
    const xsirt_version_scheme *scheme = scan_scheme(x, p);
    bool in = false;

    *exact = NULL;
    if (scheme == NULL || !scan_version(x, scheme, version))
        return false;
    if (p->kind & XSIRT_IX_RANGE) {
        const xsirt_vers_prepared *r;
        return x->cv != NULL && (r = scan_range(x, i, p, scheme)) != NULL &&
               xsirt_vers_prepared_contains(&in, r, x->cv, NULL) == 0 && in;
    }
    return (*exact = scan_listed(x, scheme, p, version)) != NULL;
}

/* The postings of key. SBOMs list a package's copies together (one per
 * module of a monorepo), so the last lookup is kept. */
static bool scan_find(scan_ctx *x, const char *key, uint32_t *first, uint32_t *count)
{
    if (x->last_key.len == 0 || strcmp(xsirt_buf_cstr(&x->last_key), key) != 0) {
        xsirt_buf_reset(&x->last_key);
        x->last_found = xsirt_ix_find(x->idx, key, &x->last_first, &x->last_count);
        if (xsirt_buf_puts(&x->last_key, key) != 0)
            xsirt_buf_reset(&x->last_key);
    }
    *first = x->last_first;
    *count = x->last_count;
    return x->last_found;
}

static int scan_key(scan_ctx *x, const char *key, const char *version, xsirt_error *err)
{
    uint32_t first, count, matched = UINT32_MAX;

    if (!scan_find(x, key, &first, &count))
        return 0;
    for (uint32_t i = first; i < first + count; i++) {
        xsirt_ix_posting p;
        const char *exact;
        if (!xsirt_ix_posting_at(x->idx, i, &p) || (p.kind & XSIRT_IX_OF_WITHDRAWN))
            continue;
        /* Postings are sorted by record, ranges before lists: once a record
         * matched, its other affected postings add nothing (OSV lists the
         * versions its ranges cover). Cancelling postings are always tested. */
        if (p.record == matched && !(p.kind & XSIRT_IX_NOT_AFFECTED))
            continue;
        if (p.record >= xsirt_match_index_records(x->idx) || !scan_test(x, i, &p, version, &exact))
            continue;
        matched = p.record;
        if (!scan_grow((void **)&x->cands, &x->cap_cands, x->n_cands, sizeof *x->cands))
            return scan_nomem(err);
        x->cands[x->n_cands].record = p.record;
        x->cands[x->n_cands].posting = i;
        x->cands[x->n_cands].exact = exact;
        x->cands[x->n_cands++].cancel = (p.kind & XSIRT_IX_NOT_AFFECTED) != 0;
    }
    return 0;
}

static xsirt_match_severity scan_rating(const char *name)
{
    static const char *const names[] = {"NONE", "LOW", "MEDIUM", "HIGH", "CRITICAL"};

    for (int i = 0; i < 5; i++)
        if (name != NULL && strcmp(name, names[i]) == 0)
            return (xsirt_match_severity)(XSIRT_MATCH_SEV_NONE + i);
    return XSIRT_MATCH_SEV_UNKNOWN;
}

static uint64_t scan_hash(const char *s)
{
    return xsirt_strmap_hash(s, strlen(s));
}

/* Hashes the id and aliases of findings record slot. */
static int scan_hash_record(scan_ctx *x, size_t slot, const xsirt_match_record *r)
{
    if (slot >= x->cap_hash) {
        size_t cap = x->cap_records;
        uint64_t *h = xsirt_realloc_array(x->id_hash, cap, sizeof *h);
        size_t *at;
        if (h != NULL)
            x->id_hash = h;
        if (h == NULL || (at = xsirt_realloc_array(x->alias_at, cap, sizeof *at)) == NULL)
            return XSIRT_ENOMEM;
        x->alias_at = at;
        x->cap_hash = cap;
    }
    x->id_hash[slot] = scan_hash(r->id);
    x->alias_at[slot] = x->n_alias_hash;
    for (size_t i = 0; i < r->n_aliases; i++) {
        if (!scan_grow((void **)&x->alias_hash, &x->cap_alias_hash, x->n_alias_hash,
                       sizeof *x->alias_hash))
            return XSIRT_ENOMEM;
        x->alias_hash[x->n_alias_hash++] = scan_hash(r->aliases[i]);
    }
    return 0;
}

/* The findings record of index record r, added on first use. */
static int scan_record(scan_ctx *x, uint32_t r, size_t *slot, xsirt_error *err)
{
    xsirt_findings *f = x->f;
    xsirt_findings_record *fr;
    int rc;

    if (x->slot_of[r] != 0) {
        *slot = x->slot_of[r] - 1;
        return 0;
    }
    if (!scan_grow((void **)&f->records, &x->cap_records, f->n_records, sizeof *f->records))
        return scan_nomem(err);
    fr = &f->records[f->n_records];
    memset(fr, 0, sizeof *fr);
    if ((rc = xsirt_match_record_get(&fr->rec, x->idx, r, err)) != 0)
        return rc;
    fr->score = fr->rec.score;   /* scored when the index was built */
    fr->rating = fr->score >= 0 ? scan_rating(xsirt_cvss_severity(fr->score))
                                : XSIRT_MATCH_SEV_UNKNOWN;
    if ((rc = scan_hash_record(x, f->n_records, &fr->rec)) != 0)
        return scan_nomem(err);
    x->slot_of[r] = (uint32_t)++f->n_records;
    *slot = f->n_records - 1;
    return 0;
}

static bool scan_has_alias(const xsirt_match_record *r, const char *id)
{
    for (size_t i = 0; i < r->n_aliases; i++)
        if (strcmp(r->aliases[i], id) == 0)
            return true;
    return false;
}

#define SCAN_DROPPED SIZE_MAX   /* a finding's component once dedupe drops it */

/* Whether the finding at i drops the one at j: i's record lists j's id as an
 * alias, and j does not list i's back unless i comes first. */
static bool scan_drops(const xsirt_findings *f, size_t i, size_t j)
{
    const xsirt_match_record *ri = &f->records[f->items[i].record].rec;
    const xsirt_match_record *rj = &f->records[f->items[j].record].rec;

    return i != j && f->items[j].component != SCAN_DROPPED && scan_has_alias(ri, rj->id) &&
           (!scan_has_alias(rj, ri->id) || i < j);
}

/* The component's findings [from, count) by the hash of their ids, in
 * x->table (a power of two at least twice their number). */
static int scan_dedupe_table(scan_ctx *x, size_t from, size_t *mask)
{
    const xsirt_findings *f = x->f;
    size_t n = f->count - from, size = 16;

    while (size < 2 * n)
        size *= 2;
    if (size > x->cap_table) {
        uint32_t *t = xsirt_realloc_array(x->table, size, sizeof *t);
        if (t == NULL)
            return XSIRT_ENOMEM;
        x->table = t;
        x->cap_table = size;
    }
    memset(x->table, 0, size * sizeof *x->table);
    *mask = size - 1;
    for (size_t i = from; i < f->count; i++) {
        size_t k = (size_t)x->id_hash[f->items[i].record] & *mask;
        while (x->table[k] != 0)
            k = (k + 1) & *mask;
        x->table[k] = (uint32_t)(i - from + 1);
    }
    return 0;
}

/* One finding per vulnerability: of a component's findings, one whose id
 * another lists as an alias (GO-2022-0956 lists CVE-2022-3064) is dropped;
 * the one kept names it among its aliases. When two list each other, the
 * first stays. Aliases are looked up by hash in a table of the
 * component's ids, so this is linear in aliases; strings are compared
 * only where hashes meet. */
static int scan_dedupe(scan_ctx *x, size_t from)
{
    xsirt_findings *f = x->f;
    size_t out = from, mask;

    if (f->count - from < 2)
        return 0;
    if (scan_dedupe_table(x, from, &mask) != 0)
        return XSIRT_ENOMEM;
    for (size_t i = from; i < f->count; i++) {
        size_t slot = f->items[i].record;
        size_t a0 = x->alias_at[slot], a1 = a0 + f->records[slot].rec.n_aliases;
        if (f->items[i].component == SCAN_DROPPED)
            continue;   /* dropped: it no longer speaks for others */
        for (size_t a = a0; a < a1; a++)
            for (size_t k = (size_t)x->alias_hash[a] & mask; x->table[k] != 0;
                 k = (k + 1) & mask) {
                size_t j = from + x->table[k] - 1;
                if (x->id_hash[f->items[j].record] == x->alias_hash[a] && scan_drops(f, i, j))
                    f->items[j].component = SCAN_DROPPED;
            }
    }
    for (size_t i = from; i < f->count; i++) {
        if (f->items[i].component != SCAN_DROPPED)
            f->items[out++] = f->items[i];
        else if (f->items[i].range_allocated)
            free((char *)f->items[i].range);
    }
    f->count = out;
    return 0;
}

/* A finding with its sort keys beside it, so that qsort needs no global
 * context (scans may run in several threads). */
typedef struct scan_sorted {
    xsirt_finding fd;
    int rating;
    double score;
    const char *id;
} scan_sorted;

/* Severity and score (highest first), then id: the order of a
 * component's findings. */
static int scan_sorted_cmp(const void *pa, const void *pb)
{
    const scan_sorted *a = pa, *b = pb;

    if (a->rating != b->rating)
        return a->rating > b->rating ? -1 : 1;
    if (a->score != b->score)
        return a->score > b->score ? -1 : 1;
    return strcmp(a->id, b->id);
}

static void scan_sorted_set(scan_sorted *s, const xsirt_findings *f, const xsirt_finding *fd)
{
    const xsirt_findings_record *r = &f->records[fd->record];

    s->fd = *fd;
    s->rating = (int)r->rating;
    s->score = r->score;
    s->id = r->rec.id;
}

/* Sorts one component's findings (grouped by component already, so the
 * whole list ends sorted without a global sort): a few by insertion, more
 * through qsort. */
static int scan_sort_component(xsirt_findings *f, size_t from)
{
    size_t n = f->count - from;
    scan_sorted *s;

    if (n < 2)
        return 0;
    /* The index orders a key's postings this way already (index_build.c):
     * only a component matched through several keys needs sorting. */
    {
        size_t i = from + 1;
        scan_sorted p, q;
        for (scan_sorted_set(&p, f, &f->items[from]); i < f->count; i++, p = q) {
            scan_sorted_set(&q, f, &f->items[i]);
            if (scan_sorted_cmp(&p, &q) > 0)
                break;
        }
        if (i == f->count)
            return 0;
    }
    if (n <= 8) {
        scan_sorted t[8];
        for (size_t i = 0; i < n; i++) {
            size_t j = i;
            scan_sorted_set(&t[i], f, &f->items[from + i]);
            for (scan_sorted k = t[i]; j > 0 && scan_sorted_cmp(&k, &t[j - 1]) < 0; j--) {
                t[j] = t[j - 1];
                t[j - 1] = k;
            }
        }
        for (size_t i = 0; i < n; i++)
            f->items[from + i] = t[i].fd;
        return 0;
    }
    if ((s = xsirt_alloc_array(n, sizeof *s)) == NULL)
        return XSIRT_ENOMEM;
    for (size_t i = 0; i < n; i++)
        scan_sorted_set(&s[i], f, &f->items[from + i]);
    qsort(s, n, sizeof *s, scan_sorted_cmp);
    for (size_t i = 0; i < n; i++)
        f->items[from + i] = s[i].fd;
    free(s);
    return 0;
}

/* "vers:SCHEME/VERSION" for an exact match, in a new string. */
static char *scan_exact_range(const char *scheme, const char *version)
{
    size_t ls = strlen(scheme), lv = strlen(version);
    char *r = malloc(5 + ls + 1 + lv + 1);

    if (r == NULL)
        return NULL;
    memcpy(r, "vers:", 5);
    memcpy(r + 5, scheme, ls);
    r[5 + ls] = '/';
    memcpy(r + 6 + ls, version, lv + 1);
    return r;
}

/* Turns the component's candidates into findings: cancelled records out,
 * one finding per record. */
static int scan_commit(scan_ctx *x, size_t component, const char *matched_by, xsirt_error *err)
{
    xsirt_findings *f = x->f;
    size_t from = f->count;
    int rc;

    /* Stamps instead of clearing: a record is seen (or cancelled) for this
     * component when its mark equals the component's stamp. */
    if (++x->stamp == 0) {   /* wrapped, after 2^32 components: start the marks again */
        size_t nr = xsirt_match_index_records(x->idx);
        memset(x->seen_mark, 0, nr * sizeof *x->seen_mark);
        memset(x->cancel_mark, 0, nr * sizeof *x->cancel_mark);
        x->stamp = 1;
    }
    for (size_t i = 0; i < x->n_cands; i++)
        if (x->cands[i].cancel)
            x->cancel_mark[x->cands[i].record] = x->stamp;
    for (size_t i = 0; i < x->n_cands; i++) {
        scan_cand *c = &x->cands[i];
        bool skip = c->cancel || x->cancel_mark[c->record] == x->stamp ||
                    x->seen_mark[c->record] == x->stamp;
        xsirt_ix_posting p;
        xsirt_finding *fd;
        size_t slot = 0;
        if (skip || !xsirt_ix_posting_at(x->idx, c->posting, &p))
            continue;
        x->seen_mark[c->record] = x->stamp;
        if ((rc = scan_record(x, c->record, &slot, err)) != 0)
            return rc;
        if (!scan_grow((void **)&f->items, &x->cap_items, f->count, sizeof *f->items))
            return f->count >= XSIRT_LIMIT_FINDINGS
                       ? xsirt_error_set(err, XSIRT_ELIMIT, "scan: more than %u findings",
                                         XSIRT_LIMIT_FINDINGS)
                       : scan_nomem(err);
        fd = &f->items[f->count];
        memset(fd, 0, sizeof *fd);
        fd->component = component;
        fd->record = slot;
        fd->matched_by = matched_by;
        fd->ecosystem = xsirt_ix_str(x->idx, p.source);
        if (c->exact == NULL) {
            fd->range = xsirt_ix_str(x->idx, p.range);   /* lives as long as the index */
        } else {
            if ((fd->range = scan_exact_range(xsirt_ix_str(x->idx, p.scheme), c->exact)) == NULL)
                return scan_nomem(err);
            fd->range_allocated = true;
        }
        f->count++;
    }
    if (scan_dedupe(x, from) != 0 || scan_sort_component(f, from) != 0)
        return scan_nomem(err);
    return 0;
}

/* Percent-decodes s[0..len) into a new string; NULL when malformed. */
static char *scan_decode(const char *s, size_t len)
{
    char *o = malloc(len + 1);
    size_t n = 0;

    if (o == NULL)
        return NULL;
    for (size_t i = 0; i < len; i++) {
        static const char hex[] = "0123456789abcdef";
        const char *h1, *h2;
        if (s[i] != '%') {
            o[n++] = s[i];
            continue;
        }
        if (i + 2 >= len || s[i + 1] == '\0' || s[i + 2] == '\0' ||
            (h1 = strchr(hex, xsirt_ascii_lower((unsigned char)s[i + 1]))) == NULL ||
            (h2 = strchr(hex, xsirt_ascii_lower((unsigned char)s[i + 2]))) == NULL) {
            free(o);
            return NULL;
        }
        o[n++] = (char)((h1 - hex) * 16 + (h2 - hex));
        i += 2;
    }
    o[n] = '\0';
    return o;
}

/* Go modules with a one-segment path (stdlib, toolchain, tailscale.com)
 * cannot be valid purls, golang requiring a namespace, yet SBOM tools
 * write them ("pkg:golang/stdlib@v1.21.0"): read those by hand. */
static int scan_golang_lenient(xsirt_purl *p, const char *s)
{
    const char *path = s + strlen("pkg:golang/"), *at, *end;

    xsirt_purl_init(p);
    end = path + strcspn(path, "?#");
    at = memchr(path, '@', (size_t)(end - path));
    if (strncmp(s, "pkg:golang/", 11) != 0 || at == NULL || at == path || strchr(path, '/') != NULL)
        return XSIRT_EINVAL;
    p->name = scan_decode(path, (size_t)(at - path));
    p->version = scan_decode(at + 1, (size_t)(end - at - 1));
    p->type = xsirt_strndup("golang", 6);
    if (p->name == NULL || p->version == NULL || p->type == NULL) {
        xsirt_purl_free(p);
        return XSIRT_EINVAL;
    }
    return 0;
}

static int scan_purl(scan_ctx *x, const xsirt_sbom_component *c, xsirt_error *err)
{
    xsirt_purl p;
    const char *version;
    xsirt_buf name;
    int rc = 0;

    if (xsirt_purl_parse(&p, c->purl, strlen(c->purl), 0, NULL) != 0 &&
        scan_golang_lenient(&p, c->purl) != 0) {
        x->f->stats.invalid++;
        return 0;
    }
    x->f->stats.with_purl++;
    version = p.version != NULL ? p.version : c->version;
    xsirt_buf_init(&name, XSIRT_LIMIT_IDENTIFIER);
    xsirt_buf_reset(&x->key);
    if (xsirt_match_type_scheme(p.type) == NULL)
        x->f->stats.unsupported_type++;
    else if (version == NULL || version[0] == '\0')
        x->f->stats.without_version++;
    else if (xsirt_match_purl_name(&name, &p) != 0 ||
             xsirt_match_key_package(&x->key, p.type, xsirt_buf_cstr(&name)) != 0)
        x->f->stats.invalid++;
    else
        rc = scan_key(x, xsirt_buf_cstr(&x->key), version, err);
    xsirt_buf_free(&name);
    xsirt_purl_free(&p);
    return rc;
}

static int scan_cpe(scan_ctx *x, const xsirt_sbom_component *c, xsirt_error *err)
{
    xsirt_cpe cpe;
    const xsirt_cpe_value *v;
    char *version = NULL;
    int rc = 0;

    if (xsirt_cpe_parse(&cpe, c->cpe, strlen(c->cpe), NULL) != 0) {
        x->f->stats.invalid++;
        return 0;
    }
    x->f->stats.with_cpe_only++;
    v = &cpe.attr[XSIRT_CPE_VERSION];
    if (v->kind == XSIRT_CPE_STRING && strpbrk(v->value, "*?") == NULL) {
        size_t n = 0;
        if ((version = malloc(strlen(v->value) + 1)) == NULL) {
            xsirt_cpe_free(&cpe);
            return scan_nomem(err);
        }
        for (const char *s = v->value; *s != '\0'; s++)
            version[n++] = (*s == '\\' && s[1] != '\0') ? *++s : *s;
        version[n] = '\0';
    } else if (c->version != NULL && (version = xsirt_strndup(c->version, strlen(c->version))) ==
                                         NULL) {
        xsirt_cpe_free(&cpe);
        return scan_nomem(err);
    }
    xsirt_buf_reset(&x->key);
    if (cpe.attr[XSIRT_CPE_VENDOR].kind != XSIRT_CPE_STRING ||
        cpe.attr[XSIRT_CPE_PRODUCT].kind != XSIRT_CPE_STRING)
        x->f->stats.invalid++;
    else if (version == NULL || version[0] == '\0')
        x->f->stats.without_version++;
    else if (xsirt_match_key_cpe(&x->key, cpe.attr[XSIRT_CPE_VENDOR].value,
                                 cpe.attr[XSIRT_CPE_PRODUCT].value) != 0)
        x->f->stats.invalid++;
    else
        rc = scan_key(x, xsirt_buf_cstr(&x->key), version, err);
    free(version);
    xsirt_cpe_free(&cpe);
    return rc;
}

/* The SBOM's own VEX statements, applied by the one rule (vex.h). */
static int scan_sbom_vex(xsirt_findings *f, xsirt_error *err)
{
    int rc;

    if (f->sbom->vulnerability_count == 0 || f->count == 0)
        return 0;
    if ((rc = xsirt_vex_from_sbom(&f->sbom_vex, f->sbom, err)) != 0)
        return rc;
    return xsirt_match_apply_vex(f, f->sbom_vex, NULL, err);
}

static int scan_all(scan_ctx *x, xsirt_error *err)
{
    const xsirt_sbom *s = x->f->sbom;
    int rc = 0;

    for (size_t i = 0; i < s->component_count && rc == 0; i++) {
        const xsirt_sbom_component *c = &s->components[i];
        const char *by = "purl";
        x->f->stats.components++;
        x->n_cands = 0;
        scan_version_reset(x);
        if (c->purl != NULL)
            rc = scan_purl(x, c, err);
        else if (c->cpe != NULL && (by = "cpe") != NULL)
            rc = scan_cpe(x, c, err);
        else
            x->f->stats.without_identifier++;
        if (rc == 0 && x->n_cands > 0)
            rc = scan_commit(x, i, by, err);
    }
    return rc;
}

/* A scanner is the scan context kept between scans: what was prepared
 * from the index (ranges, the last key) stays; the findings start afresh. */
struct xsirt_match_scanner {
    scan_ctx x;
};

int xsirt_match_scanner_new(xsirt_match_scanner **out, const xsirt_match_index *idx,
                            xsirt_error *err)
{
    xsirt_match_scanner *s = calloc(1, sizeof *s);
    size_t nr = xsirt_match_index_records(idx);

    *out = NULL;
    if (s == NULL)
        return scan_nomem(err);
    s->x.idx = idx;
    xsirt_buf_init(&s->x.key, XSIRT_LIMIT_IDENTIFIER * 2u);
    xsirt_buf_init(&s->x.cv_text, XSIRT_LIMIT_VERSION * 2u);
    xsirt_buf_init(&s->x.last_key, XSIRT_LIMIT_IDENTIFIER * 2u);
    s->x.pypi = xsirt_version_scheme_find("pypi");
    s->x.slot_of = xsirt_alloc_array(nr, sizeof *s->x.slot_of);
    s->x.seen_mark = xsirt_alloc_array(nr, sizeof *s->x.seen_mark);
    s->x.cancel_mark = xsirt_alloc_array(nr, sizeof *s->x.cancel_mark);
    if (s->x.slot_of == NULL || s->x.seen_mark == NULL || s->x.cancel_mark == NULL) {
        xsirt_match_scanner_free(s);
        return scan_nomem(err);
    }
    *out = s;
    return 0;
}

void xsirt_match_scanner_free(xsirt_match_scanner *s)
{
    scan_ctx *x;

    if (s == NULL)
        return;
    x = &s->x;
    scan_ranges_free(&x->ranges);
    scan_version_reset(x);
    free(x->slot_of);
    free(x->seen_mark);
    free(x->cancel_mark);
    free(x->cands);
    free(x->ops);
    free(x->parts);
    free(x->id_hash);
    free(x->alias_at);
    free(x->alias_hash);
    free(x->table);
    xsirt_buf_free(&x->key);
    xsirt_buf_free(&x->cv_text);
    xsirt_buf_free(&x->last_key);
    free(s);
}

int xsirt_match_scanner_scan(xsirt_findings **out, xsirt_match_scanner *s,
                             const xsirt_sbom *sbom, xsirt_error *err)
{
    scan_ctx *x = &s->x;
    int rc;

    *out = NULL;
    if ((x->f = calloc(1, sizeof *x->f)) == NULL)
        return scan_nomem(err);
    /* Per scan: the findings records (slot_of numbers them, the hashes
     * describe them); the stamps go on counting. */
    memset(x->slot_of, 0, xsirt_match_index_records(x->idx) * sizeof *x->slot_of);
    x->cap_items = x->cap_records = 0;
    x->n_alias_hash = 0;
    x->f->sbom = sbom;
    x->f->index = x->idx;
    if ((rc = scan_all(x, err)) == 0 && (rc = scan_sbom_vex(x->f, err)) == 0) {
        xsirt_match_recount(x->f);
        *out = x->f;
    } else {
        xsirt_findings_free(x->f);
    }
    x->f = NULL;
    scan_version_reset(x);
    return rc;
}

int xsirt_match_scan(xsirt_findings **out, const xsirt_match_index *idx, const xsirt_sbom *sbom,
                     xsirt_error *err)
{
    xsirt_match_scanner *s;
    int rc;

    *out = NULL;
    if ((rc = xsirt_match_scanner_new(&s, idx, err)) != 0)
        return rc;
    rc = xsirt_match_scanner_scan(out, s, sbom, err);
    xsirt_match_scanner_free(s);
    return rc;
}

void xsirt_findings_free(xsirt_findings *f)
{
    if (f == NULL)
        return;
    for (size_t i = 0; i < f->n_records; i++)
        xsirt_match_record_clear(&f->records[i].rec);
    for (size_t i = 0; i < f->count; i++)
        if (f->items[i].range_allocated)
            free((char *)f->items[i].range);
    free(f->records);
    free(f->items);
    xsirt_vex_free(f->sbom_vex);
    free(f);
}

xsirt_match_severity xsirt_findings_max_severity(const xsirt_findings *f, bool *any)
{
    xsirt_match_severity max = XSIRT_MATCH_SEV_UNKNOWN;

    *any = false;
    for (size_t i = 0; i < f->count; i++) {
        if (f->items[i].suppressed)
            continue;
        *any = true;
        if (f->records[f->items[i].record].rating > max)
            max = f->records[f->items[i].record].rating;
    }
    return max;
}

const char *xsirt_match_severity_name(xsirt_match_severity sev)
{
    static const char *const names[] = {"unknown", "none", "low", "medium", "high", "critical"};

    return (unsigned)sev < 6 ? names[sev] : "unknown";
}

int xsirt_match_severity_parse(xsirt_match_severity *out, const char *name, xsirt_error *err)
{
    for (int i = XSIRT_MATCH_SEV_NONE; i <= XSIRT_MATCH_SEV_CRITICAL; i++)
        if (xsirt_ascii_casecmp(name, xsirt_match_severity_name((xsirt_match_severity)i)) == 0) {
            *out = (xsirt_match_severity)i;
            return 0;
        }
    return xsirt_error_set(err, XSIRT_EINVAL,
                           "unknown severity (expected none, low, medium, high or critical)");
}
