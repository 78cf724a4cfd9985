/*
 * scan.c — matches SBOM components against an index (see match.h).
 *
 * A component is looked up by its purl (type → key type and version
 * scheme, name normalised as the index normalised it) or, without a purl,
 * by its CPE's vendor and product. Each candidate posting is then tested
 * with the ecosystem's own version order: a vers range prepared once per
 * posting (kept by the scanner, in its arena, for later scans too) and
 * tested with xsirt_vers_prepared_contains, an exact list by bisection. A
 * CSAF "not affected"/"fixed" statement for the same product cancels the
 * record for that component. Of records naming the same vulnerability
 * (alias records, by number), one finding stays. Findings come out in the
 * order the index stores a key's postings, which is the order they are
 * shown in: nothing is sorted. Finally the SBOM's own VEX statements
 * suppress or annotate findings (vex.h).
 */
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/checked.h"
#include "core/version_scheme.h"
#include "core/str.h"
#include "match/apply_vex.h"
#include "match/index_read.h"
#include "match/names.h"
#include "match/strmap.h"
#include "xsirt/cpe.h"
#include "xsirt/cvss.h"
#include "xsirt/limits.h"
#include "xsirt/name.h"
#include "xsirt/purl.h"
#include "xsirt/vers.h"

typedef struct scan_cand {
    uint32_t record;
    uint32_t posting;
    bool cancel;
    const char *exact;   /* the listed version that matched (EXACT) */
    const char *rule;    /* by name: "exact", "bare" or "family"; else NULL */
    double confidence;
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

/* Sets posting's range (replacing it). */
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

/* The ranges themselves live in the scanner's arena. */
static void scan_ranges_free(scan_ranges *m)
{
    free(m->keys);
    free(m->vals);
}

typedef struct scan_ctx {
    const xsirt_match_index *idx;
    xsirt_findings *f;
    scan_ranges ranges;       /* prepared ranges by posting, made on first use */
    xsirt_arena *arena;       /* where they are */
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
    xsirt_version *cv;        /* in cv_mem */
    void *cv_mem;
    size_t cv_cap;
    uint32_t *pos_of;         /* per index record: where this component's finding of it is */
    xsirt_vers_op *ops;       /* a range's constraints, read from the index */
    const char **parts;
    size_t cap_parts;
    scan_cand *cands;
    size_t n_cands, cap_cands;
    size_t cap_items, cap_records;
    xsirt_buf key, name;      /* the component's index key, and its package name */
    char type[32];            /* the last purl type, and its scheme */
    const xsirt_version_scheme *type_scheme;
    xsirt_name_aliases *own_aliases;   /* vendor aliases (name.h) */
    const xsirt_name_aliases *aliases;
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
    void *mem;

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
    mem = xsirt_arena_alloc(x->arena, 1, xsirt_vers_prepared_size(scheme, x->parts, n));
    if (mem == NULL || xsirt_vers_prepare_parts_at(&r, mem, scheme, x->ops, x->parts, n, NULL) != 0)
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
    x->cv = NULL;
    x->cv_scheme = NULL;
}

/* Parses text into the scanner's version block (one per scanner, grown as
 * needed, rather than an allocation per component); NULL when the scheme
 * rejects it. */
static xsirt_version *scan_version_parse(scan_ctx *x, const xsirt_version_scheme *scheme,
                                         const char *text)
{
    xsirt_version *v = NULL;
    size_t need;

    if (strlen(text) > XSIRT_LIMIT_VERSION)
        return NULL;
    if ((need = xsirt_version_footprint(scheme, text)) > x->cv_cap) {
        void *mem = malloc(need);
        if (mem == NULL)
            return NULL;
        free(x->cv_mem);
        x->cv_mem = mem;
        x->cv_cap = need;
    }
    return xsirt_version_parse_at(&v, x->cv_mem, scheme, text, NULL) == 0 ? v : NULL;
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
    x->cv = scan_version_parse(x, scheme, xsirt_buf_cstr(&x->cv_text));
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

static int scan_key(scan_ctx *x, const char *key, const char *version, xsirt_error *err)
{
    uint32_t first, count, matched = UINT32_MAX;

    if (!xsirt_ix_find(x->idx, key, &first, &count))
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
        x->cands[x->n_cands].rule = NULL;
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

/* Room for finding n once `done` of the SBOM's components are scanned.
 * The scan starts with room for a finding per component; growth then aims
 * at the total those scanned foretell (findings per component times
 * components, up to eight times the room there is), not merely at twice
 * the room: each growth copies every finding made so far. */
static bool scan_items_reserve(scan_ctx *x, size_t n, size_t done)
{
    size_t cap = x->cap_items, total = x->f->sbom->component_count, ncap, per, most;
    void *p;

    if (n < cap)
        return true;
    if (n >= XSIRT_LIMIT_FINDINGS)
        return false;
    ncap = cap < 8 ? 16 : cap * 2;
    most = ncap * 4;
    per = (n + 1) / (done ? done : 1) + 1;
    if (done < total && per < SIZE_MAX / 2 / total && per * total > ncap)
        ncap = per * total < most ? per * total : most;
    if (ncap > XSIRT_LIMIT_FINDINGS)
        ncap = XSIRT_LIMIT_FINDINGS;
    if ((p = xsirt_realloc_array(x->f->items, ncap, sizeof *x->f->items)) == NULL)
        return false;
    x->f->items = p;
    x->cap_items = ncap;
    return true;
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
    x->slot_of[r] = (uint32_t)++f->n_records;
    *slot = f->n_records - 1;
    return 0;
}

/* Whether index record r lists record other among its alias records. */
static bool scan_lists(const scan_ctx *x, uint32_t r, uint32_t other)
{
    xsirt_ix_record rec;

    if (!xsirt_ix_record_at(x->idx, r, &rec) ||
        !xsirt_ix_list_ok(x->idx, rec.alias_records, rec.n_alias_records))
        return false;
    for (uint32_t k = 0; k < rec.n_alias_records; k++)
        if (xsirt_ix_ref_value(x->idx, rec.alias_records, rec.n_alias_records, k) == other)
            return true;
    return false;
}

#define SCAN_DROPPED SIZE_MAX   /* a finding's component once dedupe drops it */

/* One finding per vulnerability: of a component's findings [from, count),
 * one whose record another's lists as an alias (GO-2022-0956 lists
 * CVE-2022-3064) is dropped; the one kept names it among its aliases. When
 * two list each other, the first stays. The index gives each record its
 * alias records by number, and seen_mark/pos_of say which of them this
 * component found and where: no string is compared. */
static void scan_dedupe(scan_ctx *x, size_t from)
{
    xsirt_findings *f = x->f;
    size_t out = from;

    if (f->count - from < 2)
        return;
    for (size_t i = from; i < f->count; i++) {
        uint32_t ri = (uint32_t)f->records[f->items[i].record].rec.index;
        xsirt_ix_record rec;
        if (f->items[i].component == SCAN_DROPPED || !xsirt_ix_record_at(x->idx, ri, &rec) ||
            !xsirt_ix_list_ok(x->idx, rec.alias_records, rec.n_alias_records))
            continue;   /* dropped: it no longer speaks for others */
        for (uint32_t k = 0; k < rec.n_alias_records; k++) {
            uint32_t rj = xsirt_ix_ref_value(x->idx, rec.alias_records, rec.n_alias_records, k);
            size_t j;
            if (rj >= xsirt_match_index_records(x->idx) || x->seen_mark[rj] != x->stamp)
                continue;
            j = x->pos_of[rj];
            if (j != i && j >= from && j < f->count && f->items[j].component != SCAN_DROPPED &&
                (i < j || !scan_lists(x, rj, ri)))
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

/* The bound that fixes a version matched by name: the first "<X" of the
 * posting's range above the component's version (CISA's "All versions <
 * V2.9.7" is fixed in V2.9.7; the record's FIXED list gathers every
 * product line's). NULL when none. */
static const char *scan_fixed_bound(scan_ctx *x, const xsirt_ix_posting *p, const char *version)
{
    const xsirt_version_scheme *scheme = scan_scheme(x, p);

    if (scheme == NULL || !(p->kind & XSIRT_IX_RANGE) || !xsirt_ix_list_ok(x->idx, p->list, p->n_list))
        return NULL;
    for (uint32_t j = 0; j < p->n_list; j++) {
        const char *c = xsirt_ix_ref(x->idx, p->list, p->n_list, j);
        int order = 1;
        if (c[0] == '0' + XSIRT_VERS_LT &&
            xsirt_version_compare(&order, scheme, version, c + 1, NULL) == 0 && order < 0)
            return c + 1;
    }
    return NULL;
}

/* Findings of one component found through several keys (by name) in the
 * order one key's postings have: highest score first, then id. An
 * insertion sort: a component has a few dozen findings at most. */
static void scan_sort_component(xsirt_findings *f, size_t from)
{
    for (size_t i = from + 1; i < f->count; i++)
        for (size_t j = i; j > from; j--) {
            const xsirt_match_record *a = &f->records[f->items[j - 1].record].rec;
            const xsirt_match_record *b = &f->records[f->items[j].record].rec;
            xsirt_finding t;
            if (a->score > b->score || (a->score == b->score && strcmp(a->id, b->id) <= 0))
                break;
            t = f->items[j];
            f->items[j] = f->items[j - 1];
            f->items[j - 1] = t;
        }
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
        if (!scan_items_reserve(x, f->count, component + 1))
            return f->count >= XSIRT_LIMIT_FINDINGS
                       ? xsirt_error_set(err, XSIRT_ELIMIT, "scan: more than %u findings",
                                         XSIRT_LIMIT_FINDINGS)
                       : scan_nomem(err);
        fd = &f->items[f->count];
        memset(fd, 0, sizeof *fd);
        x->pos_of[c->record] = (uint32_t)f->count;
        fd->component = component;
        fd->record = slot;
        fd->matched_by = c->rule != NULL ? "name" : matched_by;
        fd->ecosystem = xsirt_ix_str(x->idx, p.source);
        if (c->rule != NULL) {
            fd->name_rule = c->rule;
            fd->name_match = fd->ecosystem;
            fd->confidence = c->confidence;
            fd->fixed = scan_fixed_bound(x, &p, x->f->sbom->components[component].version);
        }
        if (c->exact == NULL) {
            fd->range = xsirt_ix_str(x->idx, p.range);   /* lives as long as the index */
        } else {
            if ((fd->range = scan_exact_range(xsirt_ix_str(x->idx, p.scheme), c->exact)) == NULL)
                return scan_nomem(err);
            fd->range_allocated = true;
        }
        f->count++;
    }
    /* No sort: a component is looked up through one key, whose postings the
     * index stores in the order findings are shown (severity and score,
     * highest first, then id: index_build.c), and candidates keep it.
     * Except by name, through several keys. */
    scan_dedupe(x, from);
    if (f->count - from > 1 && x->n_cands > 0 && x->cands[0].rule != NULL)
        scan_sort_component(f, from);
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

/* The version scheme of a purl type (the last type's is kept: an SBOM's
 * components are mostly of a few types). */
static const xsirt_version_scheme *scan_type_scheme(scan_ctx *x, const char *type)
{
    if (strcmp(type, x->type) != 0) {
        x->type_scheme = xsirt_match_type_scheme(type);
        xsirt_strlcpy(x->type, type, sizeof x->type);
        if (strlen(type) >= sizeof x->type)
            x->type[0] = '\0';   /* too long to keep: asked again next time */
    }
    return x->type_scheme;
}

static int scan_purl(scan_ctx *x, const xsirt_sbom_component *c, xsirt_error *err)
{
    xsirt_purl p;
    const char *version;
    int rc = 0;

    if (xsirt_purl_parse(&p, c->purl, strlen(c->purl), 0, NULL) != 0 &&
        scan_golang_lenient(&p, c->purl) != 0) {
        x->f->stats.invalid++;
        return 0;
    }
    x->f->stats.with_purl++;
    version = p.version != NULL ? p.version : c->version;
    xsirt_buf_reset(&x->name);
    xsirt_buf_reset(&x->key);
    if (scan_type_scheme(x, p.type) == NULL)
        x->f->stats.unsupported_type++;
    else if (version == NULL || version[0] == '\0')
        x->f->stats.without_version++;
    else if (xsirt_match_purl_name(&x->name, &p) != 0 ||
             xsirt_match_key_package(&x->key, p.type, xsirt_buf_cstr(&x->name)) != 0)
        x->f->stats.invalid++;
    else
        rc = scan_key(x, xsirt_buf_cstr(&x->key), version, err);
    xsirt_purl_free(&p);
    return rc;
}

/* ---- by name ---- */

/* Looks up one name key "K:VENDOR:PRODUCT"; the candidates it adds are
 * marked with the rule and its confidence. */
static int scan_name_key(scan_ctx *x, char kind, const char *vendor, const char *product,
                         const char *version, const char *rule, double confidence,
                         xsirt_error *err)
{
    size_t from = x->n_cands;
    int rc;

    xsirt_buf_reset(&x->key);
    if (xsirt_buf_printf(&x->key, "%c:%s:%s", kind, vendor, product) != 0)
        return 0;   /* longer than any key */
    if ((rc = scan_key(x, xsirt_buf_cstr(&x->key), version, err)) != 0)
        return rc;
    for (size_t i = from; i < x->n_cands; i++) {
        x->cands[i].rule = rule;
        x->cands[i].confidence = confidence;
    }
    return 0;
}

/* A device or product named by vendor and product (docs/matching.md,
 * "Identity without identifiers"): its exact normalised name, the
 * advisories' names without remarks, then each family whose prefix its
 * name starts with, longest first. The first posting of a record wins, so
 * a closer rule is the one reported. */
static int scan_names(scan_ctx *x, const char *vendor_text, const char *product_text,
                      const char *version, xsirt_error *err)
{
    char *vendor = NULL, *exact = NULL, *bare = NULL, *family = NULL;
    int rc = 0;

    if (xsirt_name_vendor(&vendor, vendor_text, x->aliases, NULL) != 0 ||
        xsirt_name_product_forms(&exact, &bare, &family, product_text, NULL) != 0 ||
        vendor[0] == '\0' || exact[0] == '\0') {
        x->f->stats.invalid++;
        goto out;
    }
    if ((rc = scan_name_key(x, 'n', vendor, exact, version, "exact", 0.9, err)) != 0 ||
        (rc = scan_name_key(x, 'a', vendor, exact, version, "bare", 0.8, err)) != 0)
        goto out;
    if (bare != NULL &&
        ((rc = scan_name_key(x, 'n', vendor, bare, version, "bare", 0.8, err)) != 0 ||
         (rc = scan_name_key(x, 'a', vendor, bare, version, "bare", 0.8, err)) != 0))
        goto out;
    {
        char *words = bare != NULL ? bare : exact;
        for (size_t n = strlen(words); n > 0 && rc == 0;) {
            char save = words[n];
            words[n] = '\0';
            rc = scan_name_key(x, 'f', vendor, words, version, "family", 0.7, err);
            words[n] = save;
            while (n > 0 && words[n - 1] != ' ')
                n--;
            while (n > 0 && words[n - 1] == ' ')
                n--;
        }
    }
out:
    free(vendor);
    free(exact);
    free(bare);
    free(family);
    return rc;
}

/* The vendor of a component without identifiers: its manufacturer
 * (CycloneDX 1.6), else its supplier (CycloneDX, SPDX, an inventory's
 * vendor column), else, for a device or firmware, its group. */
static const char *scan_vendor(const xsirt_sbom_component *c)
{
    if (c->manufacturer != NULL)
        return c->manufacturer;
    if (c->supplier != NULL)
        return c->supplier;
    if (c->type != NULL && (strcmp(c->type, "device") == 0 || strcmp(c->type, "firmware") == 0))
        return c->group;
    return NULL;
}

/* A CPE's vendor and product as names: "rockwell_automation" is
 * "rockwell automation", WFN quoting undone. */
static int scan_cpe_names(scan_ctx *x, const xsirt_cpe *cpe, const char *version,
                          xsirt_error *err)
{
    char *v = xsirt_strndup(cpe->attr[XSIRT_CPE_VENDOR].value,
                            strlen(cpe->attr[XSIRT_CPE_VENDOR].value));
    char *p = xsirt_strndup(cpe->attr[XSIRT_CPE_PRODUCT].value,
                            strlen(cpe->attr[XSIRT_CPE_PRODUCT].value));
    int rc = 0;

    if (v == NULL || p == NULL) {
        rc = scan_nomem(err);
    } else {
        char *both[2] = {v, p};
        for (int k = 0; k < 2; k++) {
            size_t n = 0;
            for (const char *s = both[k]; *s != '\0'; s++)
                both[k][n++] = *s == '_' ? ' ' : (*s == '\\' && s[1] != '\0') ? *++s : *s;
            both[k][n] = '\0';
        }
        rc = scan_names(x, v, p, version, err);
    }
    free(v);
    free(p);
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
    else if ((rc = scan_key(x, xsirt_buf_cstr(&x->key), version, err)) == 0)
        rc = scan_cpe_names(x, &cpe, version, err);   /* CISA names no CPE */
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
        else {
            x->f->stats.without_identifier++;
            if (scan_vendor(c) != NULL && c->version != NULL && c->version[0] != '\0') {
                x->f->stats.by_name++;
                rc = scan_names(x, scan_vendor(c), c->name, c->version, err);
            }
        }
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
    xsirt_buf_init(&s->x.name, XSIRT_LIMIT_IDENTIFIER);
    xsirt_buf_init(&s->x.cv_text, XSIRT_LIMIT_VERSION * 2u);
    s->x.pypi = xsirt_version_scheme_find("pypi");
    s->x.slot_of = xsirt_alloc_array(nr, sizeof *s->x.slot_of);
    s->x.seen_mark = xsirt_alloc_array(nr, sizeof *s->x.seen_mark);
    s->x.cancel_mark = xsirt_alloc_array(nr, sizeof *s->x.cancel_mark);
    s->x.pos_of = xsirt_alloc_array(nr, sizeof *s->x.pos_of);
    s->x.arena = xsirt_arena_new();
    if (xsirt_name_aliases_new(&s->x.own_aliases, err) != 0) {
        xsirt_match_scanner_free(s);
        return XSIRT_EINTERNAL;
    }
    s->x.aliases = s->x.own_aliases;
    if (s->x.slot_of == NULL || s->x.seen_mark == NULL || s->x.cancel_mark == NULL ||
        s->x.pos_of == NULL || s->x.arena == NULL) {
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
    xsirt_arena_free(x->arena);
    free(x->cv_mem);
    free(x->slot_of);
    free(x->seen_mark);
    free(x->cancel_mark);
    free(x->cands);
    free(x->ops);
    free(x->parts);
    free(x->pos_of);
    xsirt_buf_free(&x->key);
    xsirt_buf_free(&x->name);
    xsirt_buf_free(&x->cv_text);
    xsirt_name_aliases_free(x->own_aliases);
    free(s);
}

void xsirt_match_scanner_set_aliases(xsirt_match_scanner *s, const xsirt_name_aliases *aliases)
{
    s->x.aliases = aliases != NULL ? aliases : s->x.own_aliases;
}

int xsirt_match_scanner_scan(xsirt_findings **out, xsirt_match_scanner *s,
                             const xsirt_sbom *sbom, xsirt_error *err)
{
    scan_ctx *x = &s->x;
    int rc;

    *out = NULL;
    if ((x->f = calloc(1, sizeof *x->f)) == NULL)
        return scan_nomem(err);
    /* Per scan: the findings records (slot_of numbers them); the stamps go
     * on counting. */
    memset(x->slot_of, 0, xsirt_match_index_records(x->idx) * sizeof *x->slot_of);
    x->cap_items = x->cap_records = 0;
    if (sbom->component_count > 16 && sbom->component_count < XSIRT_LIMIT_FINDINGS) {
        /* a finding per component, to begin with (scan_items_reserve) */
        x->f->items = xsirt_realloc_array(NULL, sbom->component_count, sizeof *x->f->items);
        x->cap_items = x->f->items != NULL ? sbom->component_count : 0;
    }
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
