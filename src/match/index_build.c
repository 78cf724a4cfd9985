/*
 * index_build.c — builds the index image from intelligence documents
 * (see match.h and docs/matching.md for the format and the rules).
 *
 * Each document is parsed with the vuln readers; every record becomes a
 * record entry, and every affected package/product becomes postings under
 * a key: OSV packages and CVE 5 packages with a known collection under
 * "p:TYPE/NAME", CPEs and CVE 5 vendor/product pairs under "c:VENDOR:PRODUCT".
 * Ranges are turned into vers strings once, here, so that scanning only
 * parses and tests them. Strings are interned (package names and ranges
 * repeat a lot). KEV and EPSS rows are kept aside and applied to records at
 * the end, by id, aliases and alias group.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/buf.h"
#include "core/checked.h"
#include "core/str.h"
#include "match/index_format.h"
#include "match/names.h"
#include "match/strmap.h"
#include "xsirt/cpe.h"
#include "xsirt/cvss.h"
#include "xsirt/limits.h"
#include "xsirt/match.h"
#include "xsirt/name.h"
#include "xsirt/purl.h"
#include "xsirt/vers.h"

typedef struct bld_posting {
    xsirt_ix_posting p;
    uint32_t key;
    const char *key_text;   /* set at finish, when the strings stop moving */
    const char *id;         /* the record's id and score, set at finish too */
    double score;
} bld_posting;

/* What a product named without identifiers gives, computed once per
 * (vendor, product, version text): an advisory repeats its products'
 * statuses for every vulnerability (33,000 statuses, 13,000 products in
 * the CISA set). range NULL: see reason (the grammar's message), or the
 * names normalised to nothing (reason NULL). */
typedef struct bld_named {
    char *vendor, *exact, *bare, *family, *range, *reason;
} bld_named;

static void bld_named_clear(bld_named *n)
{
    free(n->vendor);
    free(n->exact);
    free(n->bare);
    free(n->family);
    free(n->range);
    free(n->reason);
}

struct xsirt_match_builder {
    xsirt_buf strings;
    xsirt_strmap interned;
    xsirt_ix_record *recs;
    size_t n_recs, cap_recs;
    bld_posting *posts;
    size_t n_posts, cap_posts;
    uint32_t *refs;
    size_t n_refs, cap_refs;
    xsirt_buf docs;
    xsirt_strmap kev;          /* CVE id → 1 */
    xsirt_strmap epss;         /* CVE id → index into epss_values */
    double *epss_values;
    size_t n_epss, cap_epss;
    xsirt_vuln_alias *vuln_aliases;
    size_t by_format[XSIRT_VULN_EPSS + 1];
    xsirt_strmap ecosystems;   /* type → index into eco_counts */
    size_t *eco_counts;
    size_t n_eco;
    size_t git_only, unconvertible, unversioned, unsupported;
    size_t not_understood;     /* CISA version texts the grammar cannot read */
    xsirt_match_report_fn report;
    void *report_ctx;
    xsirt_name_aliases *own_aliases;
    const xsirt_name_aliases *aliases;
    bld_named *named;          /* products named without identifiers, by */
    size_t n_named, cap_named; /* vendor, product and version text */
    xsirt_strmap named_map;
    xsirt_buf scratch;
    xsirt_buf scratch2;
};

/* Per affected entry while adding a record: which key types it used. */
typedef struct bld_rec {
    uint32_t index;
    const char *types[16];
    size_t n_types;
    uint32_t fixed[64];
    size_t n_fixed;
} bld_rec;

static int bld_nomem(xsirt_error *err)
{
    return xsirt_error_set(err, XSIRT_ENOMEM, "index: out of memory");
}

static int bld_limit(xsirt_error *err, const char *what)
{
    return xsirt_error_set(err, XSIRT_ELIMIT, "index: too many %s (limit %u)", what,
                           XSIRT_LIMIT_INDEX_ENTRIES);
}

int xsirt_match_builder_new(xsirt_match_builder **out, xsirt_error *err)
{
    xsirt_match_builder *b = calloc(1, sizeof *b);

    *out = NULL;
    if (b == NULL)
        return bld_nomem(err);
    xsirt_buf_init(&b->strings, XSIRT_LIMIT_INDEX_STRINGS);
    xsirt_buf_init(&b->docs, XSIRT_LIMIT_INDEX_DOCS);
    xsirt_buf_init(&b->scratch, XSIRT_LIMIT_IDENTIFIER * 2u);
    xsirt_buf_init(&b->scratch2, XSIRT_LIMIT_IDENTIFIER * 2u);
    xsirt_strmap_init(&b->interned);
    xsirt_strmap_init(&b->kev);
    xsirt_strmap_init(&b->epss);
    xsirt_strmap_init(&b->ecosystems);
    xsirt_strmap_init(&b->named_map);
    /* Offset 0 is the empty string. */
    if (xsirt_name_aliases_new(&b->own_aliases, err) != 0) {
        xsirt_match_builder_free(b);
        return XSIRT_EINTERNAL;
    }
    b->aliases = b->own_aliases;
    if (xsirt_buf_append(&b->strings, "", 1) != 0 ||
        xsirt_vuln_alias_new(&b->vuln_aliases, err) != 0) {
        xsirt_match_builder_free(b);
        return bld_nomem(err);
    }
    *out = b;
    return 0;
}

void xsirt_match_builder_free(xsirt_match_builder *b)
{
    if (b == NULL)
        return;
    xsirt_buf_free(&b->strings);
    xsirt_buf_free(&b->docs);
    xsirt_buf_free(&b->scratch);
    xsirt_buf_free(&b->scratch2);
    xsirt_strmap_free(&b->interned);
    xsirt_strmap_free(&b->kev);
    xsirt_strmap_free(&b->epss);
    xsirt_strmap_free(&b->ecosystems);
    xsirt_vuln_alias_free(b->vuln_aliases);
    xsirt_name_aliases_free(b->own_aliases);
    for (size_t i = 0; i < b->n_named; i++)
        bld_named_clear(&b->named[i]);
    free(b->named);
    xsirt_strmap_free(&b->named_map);
    free(b->recs);
    free(b->posts);
    free(b->refs);
    free(b->epss_values);
    free(b->eco_counts);
    free(b);
}

void xsirt_match_builder_set_report(xsirt_match_builder *b, xsirt_match_report_fn fn, void *ctx)
{
    b->report = fn;
    b->report_ctx = ctx;
}

void xsirt_match_builder_set_aliases(xsirt_match_builder *b, const xsirt_name_aliases *aliases)
{
    b->aliases = aliases != NULL ? aliases : b->own_aliases;
}

size_t xsirt_match_builder_records(const xsirt_match_builder *b)
{
    return b->n_recs;
}

/* Grows an array by one element; false when out of memory or past the limit. */
static bool bld_grow(void **arr, size_t *cap, size_t n, size_t size)
{
    size_t ncap;
    void *p;

    if (n < *cap)
        return true;
    if (n >= XSIRT_LIMIT_INDEX_ENTRIES)
        return false;
    ncap = *cap ? *cap * 2 : 256;
    if ((p = xsirt_realloc_array(*arr, ncap, size)) == NULL)
        return false;
    *arr = p;
    *cap = ncap;
    return true;
}

static int bld_intern_n(xsirt_match_builder *b, uint32_t *out, const char *s, size_t len,
                        xsirt_error *err)
{
    uint32_t off = (uint32_t)b->strings.len;
    bool found;
    int rc;

    *out = 0;
    if (s == NULL || len == 0)
        return 0;
    if (b->strings.len > UINT32_MAX - len - 1)
        return xsirt_error_set(err, XSIRT_ELIMIT, "index: strings exceed 4 GiB");
    if ((rc = xsirt_strmap_put(&b->interned, s, len, off, out, &found)) != 0)
        return rc == XSIRT_ENOMEM ? bld_nomem(err) : bld_limit(err, "strings");
    if (found)
        return 0;
    if (xsirt_buf_append(&b->strings, s, len) != 0 || xsirt_buf_putc(&b->strings, '\0') != 0)
        return xsirt_error_set(err, XSIRT_ELIMIT, "index: strings exceed %llu bytes",
                               (unsigned long long)XSIRT_LIMIT_INDEX_STRINGS);
    return 0;
}

static int bld_intern(xsirt_match_builder *b, uint32_t *out, const char *s, xsirt_error *err)
{
    return bld_intern_n(b, out, s, s != NULL ? strlen(s) : 0, err);
}

/* Appends n string references to refs; *first is where they start. */
static int bld_refs(xsirt_match_builder *b, uint32_t *first, const char *const *strs, size_t n,
                    xsirt_error *err)
{
    int rc;

    *first = (uint32_t)b->n_refs;
    for (size_t i = 0; i < n; i++) {
        uint32_t s;
        if ((rc = bld_intern(b, &s, strs[i], err)) != 0)
            return rc;
        if (!bld_grow((void **)&b->refs, &b->cap_refs, b->n_refs, sizeof *b->refs))
            return bld_limit(err, "references");
        b->refs[b->n_refs++] = s;
    }
    return 0;
}

static int bld_count_type(xsirt_match_builder *b, bld_rec *r, const char *type)
{
    uint32_t slot;
    bool found;
    size_t *p;

    for (size_t i = 0; i < r->n_types; i++)
        if (strcmp(r->types[i], type) == 0)
            return 0;
    if (r->n_types < sizeof r->types / sizeof r->types[0])
        r->types[r->n_types++] = type;
    if (xsirt_strmap_put(&b->ecosystems, type, strlen(type), (uint32_t)b->n_eco, &slot,
                         &found) != 0)
        return XSIRT_ENOMEM;
    if (!found) {
        if ((p = xsirt_realloc_array(b->eco_counts, b->n_eco + 1, sizeof *p)) == NULL)
            return XSIRT_ENOMEM;
        b->eco_counts = p;
        b->eco_counts[b->n_eco++] = 0;
    }
    b->eco_counts[slot]++;
    return 0;
}

/* The order of version lists in the image (docs/matching.md): ASCII
 * case-insensitive, then bytes, so that the scanner finds a version by
 * binary search, case-insensitively for PyPI. */
static int bld_list_cmp(const void *pa, const void *pb)
{
    const char *a = *(const char *const *)pa, *b = *(const char *const *)pb;
    int c = xsirt_ascii_casecmp(a, b);

    return c != 0 ? c : strcmp(a, b);
}

/* The constraints of range (a vers this library wrote) as refs: the
 * operator's code then the version, so that the scanner prepares a range
 * without parsing text (index_format.h). */
static int bld_range_parts(xsirt_match_builder *b, uint32_t *first, uint32_t *n,
                           const char *range, xsirt_error *err)
{
    xsirt_vers v;
    char **parts;
    int rc;

    *first = 0;
    *n = 0;
    if (xsirt_vers_parse(&v, range, strlen(range), XSIRT_VERS_LENIENT | XSIRT_VERS_ORDERED,
                         NULL) != 0)
        return 0;   /* not reached for ranges built here; the scanner skips it */
    if ((parts = xsirt_alloc_array(v.count ? v.count : 1, sizeof *parts)) == NULL) {
        xsirt_vers_free(&v);
        return bld_nomem(err);
    }
    rc = 0;
    for (size_t i = 0; i < v.count && rc == 0; i++) {
        const char *ver = v.constraints[i].version != NULL ? v.constraints[i].version : "";
        size_t len = strlen(ver);
        if ((parts[i] = malloc(len + 2)) == NULL) {
            rc = bld_nomem(err);
            break;
        }
        parts[i][0] = (char)('0' + (int)v.constraints[i].op);
        memcpy(parts[i] + 1, ver, len + 1);
    }
    if (rc == 0) {
        *n = (uint32_t)v.count;
        rc = bld_refs(b, first, (const char *const *)parts, v.count, err);
    }
    for (size_t i = 0; i < v.count && parts[i] != NULL; i++)
        free(parts[i]);
    free(parts);
    xsirt_vers_free(&v);
    return rc;
}

/* One posting under key (in b->scratch). */
static int bld_post(xsirt_match_builder *b, bld_rec *r, const char *key, uint32_t kind,
                    const char *range, const char *const *list, size_t n_list,
                    const char *source, const char *scheme, const char *eco, xsirt_error *err)
{
    const char **sorted = NULL;
    bld_posting p;
    int rc;

    memset(&p, 0, sizeof p);
    p.p.record = r->index;
    p.p.kind = kind | ((b->recs[r->index].flags & XSIRT_IX_WITHDRAWN) ? XSIRT_IX_OF_WITHDRAWN : 0);
    p.p.n_list = (uint32_t)n_list;
    if (n_list > 1) {
        if ((sorted = xsirt_alloc_array(n_list, sizeof *sorted)) == NULL)
            return bld_nomem(err);
        memcpy(sorted, list, n_list * sizeof *sorted);
        qsort(sorted, n_list, sizeof *sorted, bld_list_cmp);
        list = sorted;
    }
    rc = bld_intern(b, &p.key, key, err);
    if (rc == 0)
        rc = bld_intern(b, &p.p.range, range, err);
    if (rc == 0 && (kind & XSIRT_IX_RANGE))
        rc = bld_range_parts(b, &p.p.list, &p.p.n_list, range, err);
    else if (rc == 0)
        rc = bld_refs(b, &p.p.list, list, n_list, err);
    free(sorted);
    if (rc != 0 || (rc = bld_intern(b, &p.p.source, source, err)) != 0 ||
        (rc = bld_intern(b, &p.p.scheme, scheme, err)) != 0)
        return rc;
    if (!bld_grow((void **)&b->posts, &b->cap_posts, b->n_posts, sizeof *b->posts))
        return bld_limit(err, "index entries");
    b->posts[b->n_posts++] = p;
    if ((kind & XSIRT_IX_NOT_AFFECTED) == 0 && bld_count_type(b, r, eco) != 0)
        return bld_nomem(err);
    return 0;
}

static void bld_add_fixed(xsirt_match_builder *b, bld_rec *r, const char *v)
{
    uint32_t s;

    if (v == NULL || r->n_fixed >= sizeof r->fixed / sizeof r->fixed[0] ||
        bld_intern(b, &s, v, NULL) != 0)
        return;
    for (size_t i = 0; i < r->n_fixed; i++)
        if (r->fixed[i] == s)
            return;
    r->fixed[r->n_fixed++] = s;
}

/* ---- OSV ---- */

static int bld_osv_range(xsirt_match_builder *b, bld_rec *r, const char *key,
                         const xsirt_vuln_affected *a, const xsirt_vuln_range *rg,
                         const char *type, const xsirt_version_scheme *scheme, xsirt_error *err)
{
    const char *sname = xsirt_version_scheme_name(scheme);
    xsirt_osv_event *ev;
    char **vs;
    xsirt_vers vers;
    char *text = NULL;
    xsirt_error verr;
    int rc = 0;

    if (rg->n_events == 0)
        return 0;
    ev = xsirt_alloc_array(rg->n_events, sizeof *ev);
    vs = xsirt_alloc_array(rg->n_events, sizeof *vs);
    if (ev == NULL || vs == NULL) {
        free(ev);
        free(vs);
        return bld_nomem(err);
    }
    for (size_t i = 0; i < rg->n_events && rc == 0; i++) {
        xsirt_buf_reset(&b->scratch2);
        ev[i].kind = (xsirt_osv_event_kind)rg->events[i].kind;
        if (rg->events[i].kind == XSIRT_VULN_FIXED)
            bld_add_fixed(b, r, rg->events[i].version);
        if (xsirt_match_version_norm(&b->scratch2, sname, rg->events[i].version) != 0 ||
            (vs[i] = xsirt_buf_detach(&b->scratch2)) == NULL)
            rc = bld_nomem(err);
        ev[i].version = vs[i];
    }
    if (rc == 0) {
        if (xsirt_vers_from_osv(&vers, sname, ev, rg->n_events, &verr) != 0 ||
            xsirt_vers_to_string(&text, &vers, &verr) != 0)
            b->unconvertible++;
        else if (vers.count > 0)
            rc = bld_post(b, r, key, XSIRT_IX_RANGE, text, NULL, 0, a->ecosystem, sname, type,
                          err);
        xsirt_vers_free(&vers);
    }
    free(text);
    for (size_t i = 0; i < rg->n_events; i++)
        free(vs[i]);
    free(vs);
    free(ev);
    return rc;
}

static int bld_osv_versions(xsirt_match_builder *b, bld_rec *r, const char *key,
                            const xsirt_vuln_affected *a, const char *type, const char *sname,
                            uint32_t flags, xsirt_error *err)
{
    char **vs = xsirt_alloc_array(a->n_versions, sizeof *vs);
    int rc = 0;

    if (vs == NULL)
        return bld_nomem(err);
    for (size_t i = 0; i < a->n_versions && rc == 0; i++) {
        xsirt_buf_reset(&b->scratch2);
        /* Listed versions keep their PyPI local label: the scanner compares
         * them with the component's version with and without it. */
        if ((strcmp(sname, "pypi") == 0
                 ? xsirt_buf_puts(&b->scratch2, a->versions[i])
                 : xsirt_match_version_norm(&b->scratch2, sname, a->versions[i])) != 0 ||
            (vs[i] = xsirt_buf_detach(&b->scratch2)) == NULL)
            rc = bld_nomem(err);
    }
    if (rc == 0)
        rc = bld_post(b, r, key, XSIRT_IX_EXACT | flags, NULL, (const char *const *)vs,
                      a->n_versions,
                      a->ecosystem, sname, type, err);
    for (size_t i = 0; i < a->n_versions; i++)
        free(vs[i]);
    free(vs);
    return rc;
}

static int bld_osv(xsirt_match_builder *b, bld_rec *r, const xsirt_vuln *v, xsirt_error *err)
{
    int rc;

    for (size_t i = 0; i < v->n_affected; i++) {
        const xsirt_vuln_affected *a = &v->affected[i];
        const char *ns, *type = xsirt_match_osv_type(a->ecosystem, &ns);
        const xsirt_version_scheme *scheme = xsirt_version_scheme_for_osv(a->ecosystem);
        bool matchable = false;

        if (type == NULL || scheme == NULL || a->name == NULL) {
            b->unsupported++;
            continue;
        }
        xsirt_buf_reset(&b->scratch);
        if (ns != NULL && xsirt_buf_printf(&b->scratch, "%s/", ns) != 0)
            return bld_nomem(err);
        if (xsirt_buf_puts(&b->scratch, a->name) != 0)
            return bld_limit(err, "bytes in a package name");
        {
            char *name = xsirt_buf_detach(&b->scratch);
            if (name == NULL)
                return bld_nomem(err);
            rc = xsirt_match_key_package(&b->scratch, type, name);
            free(name);
            if (rc != 0)
                return bld_limit(err, "bytes in a package name");
        }
        char *k = xsirt_strndup(b->scratch.data, b->scratch.len);
        if (k == NULL)
            return bld_nomem(err);
        size_t posted = b->n_posts;
        rc = 0;
        for (size_t j = 0; j < a->n_ranges; j++) {
            const char *rt = a->ranges[j].type;
            if (rt == NULL || (strcmp(rt, "ECOSYSTEM") != 0 && strcmp(rt, "SEMVER") != 0))
                continue;
            matchable = true;
            if ((rc = bld_osv_range(b, r, k, a, &a->ranges[j], type, scheme, err)) != 0)
                break;
        }
        if (rc == 0 && a->n_versions > 0) {
            matchable = true;
            rc = bld_osv_versions(b, r, k, a, type, xsirt_version_scheme_name(scheme),
                                  b->n_posts > posted ? XSIRT_IX_ENUMERATED : 0, err);
        }
        free(k);
        if (rc != 0)
            return rc;
        if (!matchable && a->n_ranges > 0)
            b->git_only++;
    }
    return 0;
}

/* ---- CVE 5 ---- */

static xsirt_cve_status bld_cve_status(const char *s)
{
    if (s != NULL && strcmp(s, "affected") == 0)
        return XSIRT_CVE_AFFECTED;
    if (s != NULL && strcmp(s, "unaffected") == 0)
        return XSIRT_CVE_UNAFFECTED;
    return XSIRT_CVE_UNKNOWN;
}

/* Copies of CVE version strings normalised for the scheme, freed together. */
typedef struct bld_strs {
    char **items;
    size_t n, cap;
} bld_strs;

static const char *bld_norm(xsirt_match_builder *b, bld_strs *keep, const char *sname,
                            const char *v)
{
    char *s;

    if (v == NULL)
        return NULL;
    if (strcmp(v, "*") == 0 || strcmp(v, "0") == 0)
        return v;
    if (!bld_grow((void **)&keep->items, &keep->cap, keep->n, sizeof *keep->items))
        return NULL;
    xsirt_buf_reset(&b->scratch2);
    if (xsirt_match_version_norm(&b->scratch2, sname, v) != 0 ||
        (s = xsirt_buf_detach(&b->scratch2)) == NULL)
        return NULL;
    keep->items[keep->n++] = s;
    return s;
}

static void bld_strs_free(bld_strs *k)
{
    for (size_t i = 0; i < k->n; i++)
        free(k->items[i]);
    free(k->items);
}

/* The vers of a CVE 5 affected entry in scheme sname; *text NULL when no
 * version is affected or the entry cannot be converted. */
static int bld_cve_vers(xsirt_match_builder *b, bld_rec *r, char **text,
                        const xsirt_vuln_affected *a, const char *sname, xsirt_error *err)
{
    xsirt_cve_version *cv = xsirt_alloc_array(a->n_cve_versions, sizeof *cv);
    xsirt_cve_change *ch;
    size_t n_ch = 0;
    bld_strs keep = {NULL, 0, 0};
    xsirt_vers vers;
    xsirt_error verr;
    int rc = 0;

    *text = NULL;
    for (size_t i = 0; i < a->n_cve_versions; i++)
        n_ch += a->cve_versions[i].n_changes;
    ch = xsirt_alloc_array(n_ch, sizeof *ch);
    if (cv == NULL || ch == NULL) {
        free(cv);
        free(ch);
        return bld_nomem(err);
    }
    n_ch = 0;
    for (size_t i = 0; i < a->n_cve_versions; i++) {
        const xsirt_vuln_cve_version *e = &a->cve_versions[i];
        cv[i].version = bld_norm(b, &keep, sname, e->version);
        cv[i].status = bld_cve_status(e->status);
        cv[i].less_than = bld_norm(b, &keep, sname, e->less_than);
        cv[i].less_than_or_equal = bld_norm(b, &keep, sname, e->less_than_or_equal);
        cv[i].changes = ch + n_ch;
        cv[i].nchanges = e->n_changes;
        for (size_t j = 0; j < e->n_changes; j++) {
            ch[n_ch].at = bld_norm(b, &keep, sname, e->changes[j].at);
            ch[n_ch++].status = bld_cve_status(e->changes[j].status);
        }
        if (cv[i].status == XSIRT_CVE_AFFECTED)
            bld_add_fixed(b, r, e->less_than != NULL && strcmp(e->less_than, "*") != 0
                                    ? e->less_than
                                    : NULL);
    }
    if (xsirt_vers_from_cve(&vers, sname, cv, a->n_cve_versions,
                            bld_cve_status(a->default_status), &verr) != 0 ||
        xsirt_vers_to_string(text, &vers, &verr) != 0) {
        b->unconvertible++;
        free(*text);
        *text = NULL;
    } else if (vers.count == 0) {
        free(*text);
        *text = NULL;
    }
    xsirt_vers_free(&vers);
    bld_strs_free(&keep);
    free(ch);
    free(cv);
    return rc;
}

/* vendor/product written as WFN strings: lower case, '_' for spaces, other
 * punctuation quoted (what a CPE parsed by cpe.h holds). */
static int bld_wfn(xsirt_buf *out, const char *s)
{
    int rc = 0;

    for (const char *p = s; *p != '\0' && rc == 0; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == ' ')
            rc = xsirt_buf_putc(out, '_');
        else if (xsirt_is_alnum(c) || c == '_' || c >= 0x80)
            rc = xsirt_buf_putc(out, (char)xsirt_ascii_lower(c));
        else if ((rc = xsirt_buf_putc(out, '\\')) == 0)
            rc = xsirt_buf_putc(out, (char)c);
    }
    return rc;
}

static int bld_cpe_key(xsirt_match_builder *b, const char *cpe_text, char **version)
{
    xsirt_cpe cpe;
    int rc = XSIRT_EINVAL;

    *version = NULL;
    if (xsirt_cpe_parse(&cpe, cpe_text, strlen(cpe_text), NULL) != 0)
        return XSIRT_EINVAL;
    if (cpe.attr[XSIRT_CPE_VENDOR].kind == XSIRT_CPE_STRING &&
        cpe.attr[XSIRT_CPE_PRODUCT].kind == XSIRT_CPE_STRING) {
        xsirt_buf_reset(&b->scratch);
        rc = xsirt_match_key_cpe(&b->scratch, cpe.attr[XSIRT_CPE_VENDOR].value,
                                 cpe.attr[XSIRT_CPE_PRODUCT].value);
        if (rc == 0 && cpe.attr[XSIRT_CPE_VERSION].kind == XSIRT_CPE_STRING &&
            strpbrk(cpe.attr[XSIRT_CPE_VERSION].value, "*?") == NULL) {
            /* WFN quoting undone: "1\.2" is version 1.2. */
            const char *v = cpe.attr[XSIRT_CPE_VERSION].value;
            char *o = malloc(strlen(v) + 1);
            size_t n = 0;
            if (o != NULL) {
                for (; *v != '\0'; v++)
                    if (*v != '\\' || v[1] == '\0')
                        o[n++] = *v;
                    else
                        o[n++] = *++v;
                o[n] = '\0';
            }
            *version = o;
        }
    }
    xsirt_cpe_free(&cpe);
    return rc;
}

static int bld_cve5(xsirt_match_builder *b, bld_rec *r, const xsirt_vuln *v, xsirt_error *err)
{
    int rc = 0;

    for (size_t i = 0; i < v->n_affected && rc == 0; i++) {
        const xsirt_vuln_affected *a = &v->affected[i];
        const char *type = xsirt_match_collection_type(a->collection_url);
        const char *pkg = a->package_name != NULL ? a->package_name : a->product;
        const char *vt = a->n_cve_versions > 0 ? a->cve_versions[0].version_type : NULL;
        const xsirt_version_scheme *cs = vt != NULL ? xsirt_version_scheme_find(vt) : NULL;
        char *text = NULL;

        if (vt != NULL && strcmp(vt, "git") == 0) {
            b->git_only++;
            continue;
        }
        if (type != NULL && pkg != NULL) {
            const char *sname = xsirt_version_scheme_name(xsirt_match_type_scheme(type));
            if ((rc = bld_cve_vers(b, r, &text, a, sname, err)) != 0)
                break;
            xsirt_buf_reset(&b->scratch);
            if (text != NULL && (rc = xsirt_match_key_package(&b->scratch, type, pkg)) == 0) {
                char *k = xsirt_buf_detach(&b->scratch);
                rc = k == NULL ? bld_nomem(err)
                               : bld_post(b, r, k, XSIRT_IX_RANGE, text, NULL, 0,
                                          a->collection_url, sname, type, err);
                free(k);
            }
            free(text);
            continue;
        }
        /* By CPE: the scheme the entries name, else the generic order. */
        const char *sname = xsirt_version_scheme_name(cs != NULL ? cs
                                                      : xsirt_version_scheme_find("generic"));
        if ((rc = bld_cve_vers(b, r, &text, a, sname, err)) != 0)
            break;
        for (size_t j = 0; j < a->n_cpes && rc == 0; j++) {
            char *cv = NULL, *k;
            if (bld_cpe_key(b, a->cpes[j], &cv) != 0) {
                free(cv);
                continue;
            }
            if ((k = xsirt_buf_detach(&b->scratch)) == NULL)
                rc = bld_nomem(err);
            else if (text != NULL)
                rc = bld_post(b, r, k, XSIRT_IX_RANGE | XSIRT_IX_BY_CPE, text, NULL, 0,
                              a->cpes[j], sname, "cpe", err);
            else if (cv != NULL)
                rc = bld_post(b, r, k, XSIRT_IX_EXACT | XSIRT_IX_BY_CPE, NULL,
                              (const char *const *)&cv, 1, a->cpes[j], sname, "cpe", err);
            free(k);
            free(cv);
        }
        if (rc == 0 && a->n_cpes == 0 && text != NULL && a->vendor != NULL &&
            a->product != NULL && strcmp(a->vendor, "n/a") != 0 &&
            strcmp(a->product, "n/a") != 0) {
            char *k;
            xsirt_buf_reset(&b->scratch);
            if (xsirt_buf_puts(&b->scratch, "c:") != 0 || bld_wfn(&b->scratch, a->vendor) != 0 ||
                xsirt_buf_putc(&b->scratch, ':') != 0 || bld_wfn(&b->scratch, a->product) != 0)
                rc = bld_limit(err, "bytes in a vendor or product");
            else if ((k = xsirt_buf_detach(&b->scratch)) == NULL)
                rc = bld_nomem(err);
            else {
                rc = bld_post(b, r, k, XSIRT_IX_RANGE | XSIRT_IX_BY_CPE, text, NULL, 0,
                              a->product, sname, "cpe", err);
                free(k);
            }
        }
        free(text);
    }
    return rc;
}

/* ---- CSAF ---- */

static int bld_csaf_purl(xsirt_match_builder *b, bld_rec *r, const xsirt_vuln_affected *a,
                         const char *purl_text, uint32_t neg, xsirt_error *err)
{
    xsirt_purl p;
    const xsirt_version_scheme *scheme;
    const char *version;
    char *k = NULL, *vn = NULL;
    int rc = 0;

    if (xsirt_purl_parse(&p, purl_text, strlen(purl_text), 0, NULL) != 0)
        return 0;
    if ((scheme = xsirt_match_type_scheme(p.type)) == NULL) {
        b->unsupported++;
        goto out;
    }
    version = p.version != NULL ? p.version : a->version;
    xsirt_buf_reset(&b->scratch2);
    if (xsirt_match_purl_name(&b->scratch2, &p) != 0) {
        rc = bld_limit(err, "bytes in a purl");
        goto out;
    }
    xsirt_buf_reset(&b->scratch);
    if (xsirt_match_key_package(&b->scratch, p.type, xsirt_buf_cstr(&b->scratch2)) != 0 ||
        (k = xsirt_buf_detach(&b->scratch)) == NULL) {
        rc = bld_nomem(err);
        goto out;
    }
    if (version != NULL) {
        xsirt_buf_reset(&b->scratch2);
        if (xsirt_match_version_norm(&b->scratch2, xsirt_version_scheme_name(scheme), version) !=
                0 ||
            (vn = xsirt_buf_detach(&b->scratch2)) == NULL) {
            rc = bld_nomem(err);
            goto out;
        }
        if (neg != 0)
            bld_add_fixed(b, r, version);
        rc = bld_post(b, r, k, XSIRT_IX_EXACT | neg, NULL, (const char *const *)&vn, 1,
                      purl_text, xsirt_version_scheme_name(scheme), p.type, err);
    } else if (a->version_range != NULL && strncmp(a->version_range, "vers:", 5) == 0) {
        char *canon = NULL;
        if (xsirt_vers_canonical(&canon, a->version_range, strlen(a->version_range), NULL) == 0)
            rc = bld_post(b, r, k, XSIRT_IX_RANGE | neg, canon, NULL, 0, purl_text,
                          xsirt_version_scheme_name(scheme), p.type, err);
        else
            b->unconvertible++;
        free(canon);
    } else {
        b->unversioned++;
    }
out:
    free(k);
    free(vn);
    xsirt_purl_free(&p);
    return rc;
}

static int bld_csaf_cpe(xsirt_match_builder *b, bld_rec *r, const xsirt_vuln_affected *a,
                        const char *cpe_text, uint32_t neg, xsirt_error *err)
{
    char *cv = NULL, *k;
    const char *version;
    int rc = 0;

    if (bld_cpe_key(b, cpe_text, &cv) != 0) {
        free(cv);
        return 0;
    }
    if ((k = xsirt_buf_detach(&b->scratch)) == NULL) {
        free(cv);
        return bld_nomem(err);
    }
    version = cv != NULL ? cv : a->version;
    if (version != NULL) {
        rc = bld_post(b, r, k, XSIRT_IX_EXACT | XSIRT_IX_BY_CPE | neg, NULL,
                      (const char *const *)&version, 1, cpe_text, "generic", "cpe", err);
    } else if (a->version_range != NULL && strncmp(a->version_range, "vers:", 5) == 0) {
        char *canon = NULL;
        if (xsirt_vers_canonical(&canon, a->version_range, strlen(a->version_range), NULL) == 0)
            rc = bld_post(b, r, k, XSIRT_IX_RANGE | XSIRT_IX_BY_CPE | neg, canon, NULL, 0,
                          cpe_text, "generic", "cpe", err);
        else
            b->unconvertible++;
        free(canon);
    } else {
        b->unversioned++;
    }
    free(k);
    free(cv);
    return rc;
}

static void bld_named_compute(bld_named *n, const xsirt_match_builder *b,
                              const xsirt_vuln_affected *a, const char *text)
{
    xsirt_vers v;
    xsirt_error verr;

    memset(n, 0, sizeof *n);
    if (xsirt_name_vendor(&n->vendor, a->vendor, b->aliases, NULL) != 0 ||
        xsirt_name_product_forms(&n->exact, &n->bare, &n->family, a->product, NULL) != 0 ||
        n->vendor[0] == '\0' || n->exact[0] == '\0')
        return;
    xsirt_error_clear(&verr);
    if (xsirt_vers_from_cisa(&v, text, a->product, &verr) != 0 ||
        (v.count > 0 && xsirt_vers_to_string(&n->range, &v, &verr) != 0))
        n->reason = xsirt_strndup(verr.message, strlen(verr.message));
    xsirt_vers_free(&v);
}

/* The cached result for a product, computed on first sight; NULL when
 * out of memory. */
static const bld_named *bld_named_get(xsirt_match_builder *b, const xsirt_vuln_affected *a,
                                      const char *text)
{
    uint32_t slot;
    bool found;

    xsirt_buf_reset(&b->scratch2);
    if (xsirt_buf_printf(&b->scratch2, "%s\x1f%s\x1f%s", a->vendor, a->product, text) != 0 ||
        !bld_grow((void **)&b->named, &b->cap_named, b->n_named, sizeof *b->named) ||
        xsirt_strmap_put(&b->named_map, b->scratch2.data, b->scratch2.len,
                         (uint32_t)b->n_named, &slot, &found) != 0)
        return NULL;
    if (!found)
        bld_named_compute(&b->named[b->n_named++], b, a, text);
    return &b->named[slot];
}

/* FIXED from CISA's ranges: the bound of "<X" on an affected product, the
 * lowest version of a fixed one. */
static void bld_cisa_fixed(xsirt_match_builder *b, bld_rec *r, const char *range, bool fixed)
{
    xsirt_vers v;

    if (xsirt_vers_parse(&v, range, strlen(range), XSIRT_VERS_LENIENT | XSIRT_VERS_ORDERED,
                         NULL) != 0)
        return;
    for (size_t i = 0; i < v.count; i++) {
        xsirt_vers_op op = v.constraints[i].op;
        if (!fixed && op == XSIRT_VERS_LT)
            bld_add_fixed(b, r, v.constraints[i].version);
        else if (fixed && i == 0 && op != XSIRT_VERS_ANY && op != XSIRT_VERS_LT &&
                 op != XSIRT_VERS_LE && op != XSIRT_VERS_NE)
            bld_add_fixed(b, r, v.constraints[i].version);
    }
    xsirt_vers_free(&v);
}

/* One name posting: key "K:VENDOR:PRODUCT" (n exact name, a without
 * remarks, f family prefix); its source is "VENDOR:PRODUCT", which the
 * scanner reports as the normalised names that matched. */
static int bld_name_post(xsirt_match_builder *b, bld_rec *r, char kind, const char *vendor,
                         const char *product, uint32_t flags, const char *range,
                         xsirt_error *err)
{
    int rc;

    xsirt_buf_reset(&b->scratch);
    if (xsirt_buf_printf(&b->scratch, "%c:%s:%s", kind, vendor, product) != 0)
        return bld_limit(err, "bytes in a vendor or product");
    rc = bld_post(b, r, xsirt_buf_cstr(&b->scratch), XSIRT_IX_RANGE | XSIRT_IX_BY_NAME | flags,
                  range, NULL, 0, xsirt_buf_cstr(&b->scratch) + 2, "firmware", "name", err);
    return rc;
}

/* A CSAF product with neither purl nor CPE (every CISA ICS advisory), by
 * the vendor and product names of its branch path, normalised (name.h):
 * under its exact name, its name without remarks and its family. A
 * version text the grammar cannot read is counted and reported (file,
 * product, text, why), never indexed as a literal that would never match. */
static int bld_csaf_named(xsirt_match_builder *b, bld_rec *r, const xsirt_vuln_affected *a,
                          uint32_t neg, xsirt_error *err)
{
    const char *text = a->version_range != NULL ? a->version_range : a->version;
    const bld_named *n;
    int rc;

    if (a->vendor == NULL || a->product == NULL || text == NULL) {
        b->unversioned++;
        return 0;
    }
    if ((n = bld_named_get(b, a, text)) == NULL)
        return bld_nomem(err);
    if (n->range == NULL) {
        if (n->reason == NULL) {
            b->unversioned++;
            return 0;
        }
        b->not_understood++;
        if (b->report != NULL)
            b->report(b->report_ctx, a->full_name != NULL ? a->full_name : a->product, text,
                      n->reason);
        return 0;
    }
    bld_cisa_fixed(b, r, n->range, neg != 0);
    rc = bld_name_post(b, r, 'n', n->vendor, n->exact, neg, n->range, err);
    if (rc == 0 && n->bare != NULL)
        rc = bld_name_post(b, r, 'a', n->vendor, n->bare, neg, n->range, err);
    if (rc == 0 && n->family != NULL && n->family[0] != '\0')
        rc = bld_name_post(b, r, 'f', n->vendor, n->family, neg, n->range, err);
    return rc;
}

static int bld_csaf(xsirt_match_builder *b, bld_rec *r, const xsirt_vuln *v, xsirt_error *err)
{
    int rc = 0;

    for (size_t i = 0; i < v->n_affected && rc == 0; i++) {
        const xsirt_vuln_affected *a = &v->affected[i];
        uint32_t neg;

        switch (a->status) {
        case XSIRT_VULN_STATUS_FIRST_AFFECTED:
        case XSIRT_VULN_STATUS_KNOWN_AFFECTED:
        case XSIRT_VULN_STATUS_LAST_AFFECTED:
            neg = 0;
            break;
        case XSIRT_VULN_STATUS_FIXED:
        case XSIRT_VULN_STATUS_FIRST_FIXED:
        case XSIRT_VULN_STATUS_KNOWN_NOT_AFFECTED:
            neg = XSIRT_IX_NOT_AFFECTED;
            break;
        default:
            continue;
        }
        if (a->purl != NULL)
            rc = bld_csaf_purl(b, r, a, a->purl, neg, err);
        for (size_t j = 0; j < a->n_purls && rc == 0; j++)
            if (a->purl == NULL || strcmp(a->purls[j], a->purl) != 0)
                rc = bld_csaf_purl(b, r, a, a->purls[j], neg, err);
        for (size_t j = 0; j < a->n_cpes && rc == 0; j++)
            rc = bld_csaf_cpe(b, r, a, a->cpes[j], neg, err);
        if (rc == 0 && a->purl == NULL && a->n_purls == 0 && a->n_cpes == 0)
            rc = bld_csaf_named(b, r, a, neg, err);
    }
    return rc;
}

/* FIXED from a CSAF vulnerability's vendor_fix remediations, when its
 * products gave none: the versions their text names ("Update to V3.1.4 or
 * later version" gives V3.1.4): a dotted number, with a 'V' or 'R' before
 * it and letters or dots after. The CSAF reader keeps the document as its
 * records' original (docs/intelligence.md). */
static void bld_csaf_vendor_fix(xsirt_match_builder *b, bld_rec *r, const xsirt_vuln *v)
{
    json_t *vul, *rem;
    size_t i, j;

    json_array_foreach(json_object_get((json_t *)v->original, "vulnerabilities"), i, vul) {
        json_t *cve = json_object_get(vul, "cve");
        if (!json_is_string(cve) || strcmp(json_string_value(cve), v->id) != 0)
            continue;
        json_array_foreach(json_object_get(vul, "remediations"), j, rem) {
            const char *cat = json_string_value(json_object_get(rem, "category"));
            const char *d = json_string_value(json_object_get(rem, "details"));
            if (cat == NULL || d == NULL || strcmp(cat, "vendor_fix") != 0)
                continue;
            for (const char *p = d; *p != '\0'; p++) {
                const char *st = p, *e;
                bool dot = false;
                if (p > d && (xsirt_is_alnum((unsigned char)p[-1]) || p[-1] == '.'))
                    continue;   /* inside a word */
                if ((*p == 'V' || *p == 'v' || *p == 'R') && xsirt_is_digit((unsigned char)p[1]))
                    p++;
                if (!xsirt_is_digit((unsigned char)*p))
                    continue;
                for (e = p; xsirt_is_alnum((unsigned char)*e) ||
                            (*e == '.' && xsirt_is_alnum((unsigned char)e[1])); e++)
                    dot = dot || *e == '.';
                if (dot && (size_t)(e - st) < 64) {
                    char ver[64];
                    memcpy(ver, st, (size_t)(e - st));
                    ver[e - st] = '\0';
                    bld_add_fixed(b, r, ver);
                }
                p = e - 1;
            }
        }
        return;
    }
}

/* ---- records ---- */

/* Length of the first line of details, bounded (a summary stand-in). */
static size_t bld_first_line(const char *s)
{
    size_t n = strcspn(s, "\r\n");

    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '.'))
        n--;
    if (n > 200) {
        n = 200;
        while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
            n--;   /* never cut a UTF-8 sequence */
    }
    return n;
}

static int bld_record(xsirt_match_builder *b, const xsirt_vuln *v, uint64_t doc_off,
                      uint64_t doc_len, xsirt_error *err)
{
    xsirt_ix_record *rec;
    const char **sev;
    size_t n_sev = 0, max_sev = v->n_severities * 2;
    bld_rec r;
    uint32_t first;
    int rc;

    for (size_t i = 0; i < v->n_affected; i++)
        max_sev += v->affected[i].n_severities * 2;
    if (!bld_grow((void **)&b->recs, &b->cap_recs, b->n_recs, sizeof *b->recs))
        return bld_limit(err, "records");
    if ((sev = xsirt_alloc_array(max_sev, sizeof *sev)) == NULL)
        return bld_nomem(err);
    /* Record-level severities, then per-package ones not already there. */
    for (size_t i = 0; i < v->n_affected + 1; i++) {
        const xsirt_vuln_severity *s = i == 0 ? v->severities : v->affected[i - 1].severities;
        size_t n = i == 0 ? v->n_severities : v->affected[i - 1].n_severities;
        for (size_t j = 0; j < n; j++) {
            bool dup = false;
            for (size_t k = 1; k < n_sev && !dup; k += 2)
                dup = s[j].score != NULL && sev[k] != NULL && strcmp(sev[k], s[j].score) == 0;
            if (!dup && s[j].score != NULL) {
                sev[n_sev++] = s[j].type;
                sev[n_sev++] = s[j].score;
            }
        }
    }
    memset(&r, 0, sizeof r);
    r.index = (uint32_t)b->n_recs;
    rec = &b->recs[b->n_recs];
    memset(rec, 0, sizeof *rec);
    rec->flags = (uint32_t)v->format | (v->withdrawn != NULL ? XSIRT_IX_WITHDRAWN : 0);
    rec->n_aliases = (uint32_t)v->n_aliases;
    rec->n_severities = (uint32_t)n_sev;
    rec->epss = -1;
    rec->doc_off = doc_off;
    rec->doc_len = doc_len;
    rc = bld_intern(b, &rec->id, v->id, err);
    /* A title that only repeats the id (CISA titles 2,244 of 5,976
     * vulnerabilities "CVE-...") says nothing: the description does. */
    if (rc == 0 && v->summary != NULL && v->summary[0] != '\0' &&
        (xsirt_ascii_casecmp(v->summary, v->id) != 0 || v->details == NULL))
        rc = bld_intern(b, &rec->summary, v->summary, err);
    else if (rc == 0 && v->details != NULL)
        rc = bld_intern_n(b, &rec->summary, v->details, bld_first_line(v->details), err);
    if (rc == 0)
        rc = bld_intern(b, &rec->modified, v->modified, err);
    if (rc == 0 && (rc = bld_refs(b, &first, v->aliases, v->n_aliases, err)) == 0)
        b->recs[r.index].aliases = first;
    if (rc == 0 && (rc = bld_refs(b, &first, sev, n_sev, err)) == 0)
        b->recs[r.index].severities = first;
    free(sev);
    if (rc != 0)
        return rc;
    b->n_recs++;
    if ((rc = xsirt_vuln_alias_add_record(b->vuln_aliases, v, err)) != 0)
        return rc;
    if (v->format == XSIRT_VULN_CVE5)
        rc = bld_cve5(b, &r, v, err);
    else if (v->format == XSIRT_VULN_CSAF)
        rc = bld_csaf(b, &r, v, err);
    else
        rc = bld_osv(b, &r, v, err);
    if (rc != 0)
        return rc;
    if (v->format == XSIRT_VULN_CSAF && r.n_fixed == 0)
        bld_csaf_vendor_fix(b, &r, v);
    b->recs[r.index].fixed = (uint32_t)b->n_refs;
    b->recs[r.index].n_fixed = (uint32_t)r.n_fixed;
    for (size_t i = 0; i < r.n_fixed; i++) {
        if (!bld_grow((void **)&b->refs, &b->cap_refs, b->n_refs, sizeof *b->refs))
            return bld_limit(err, "references");
        b->refs[b->n_refs++] = r.fixed[i];
    }
    return 0;
}

static int bld_enrichment(xsirt_match_builder *b, const xsirt_vuln_list *l, xsirt_error *err)
{
    for (size_t i = 0; i < l->n_kev; i++)
        if (l->kev[i].cve_id != NULL &&
            xsirt_strmap_put(&b->kev, l->kev[i].cve_id, strlen(l->kev[i].cve_id), 1, NULL,
                             NULL) != 0)
            return bld_nomem(err);
    for (size_t i = 0; i < l->n_epss; i++) {
        uint32_t slot;
        bool found;
        if (l->epss[i].cve == NULL)
            continue;
        if (!bld_grow((void **)&b->epss_values, &b->cap_epss, b->n_epss,
                      sizeof *b->epss_values) ||
            xsirt_strmap_put(&b->epss, l->epss[i].cve, strlen(l->epss[i].cve),
                             (uint32_t)b->n_epss, &slot, &found) != 0)
            return bld_nomem(err);
        if (!found)
            b->n_epss++;
        b->epss_values[slot] = l->epss[i].epss;
    }
    return 0;
}

int xsirt_match_builder_add(xsirt_match_builder *b, const char *data, size_t len,
                            xsirt_vuln_format *format, xsirt_error *err)
{
    xsirt_vuln_list *l = NULL;
    const char *why = "";
    uint64_t doc_off = b->docs.len;
    size_t recs_before = b->n_recs, posts_before = b->n_posts;
    int rc;

    if (format != NULL)
        *format = XSIRT_VULN_NONE;
    if ((rc = xsirt_vuln_parse(&l, data, len, err)) != 0) {
        /* Detection again only to say what the input is: parsing twice
         * would double the cost of every good file. */
        if (rc == XSIRT_EUNSUPPORTED && format != NULL)
            *format = xsirt_vuln_detect_explain(data, len, &why);
        else if (rc == XSIRT_EUNSUPPORTED)
            (void)xsirt_vuln_detect_explain(data, len, &why);
        if (rc == XSIRT_EUNSUPPORTED && why != NULL && why[0] != '\0')
            xsirt_error_set(err, rc, "not vulnerability intelligence (%s)", why);
        else if (rc == XSIRT_EUNSUPPORTED)
            xsirt_error_set(err, rc, "not vulnerability intelligence");
        return rc;
    }
    if (format != NULL)
        *format = l->format;
    if (l->format == XSIRT_VULN_KEV || l->format == XSIRT_VULN_EPSS) {
        b->by_format[l->format] += l->format == XSIRT_VULN_KEV ? l->n_kev : l->n_epss;
        rc = bld_enrichment(b, l, err);
        xsirt_vuln_list_free(l);
        return rc;
    }
    /* The document, kept whole (YAML as JSON), shared by its records. */
    if (l->format != XSIRT_VULN_OSV_YAML && l->count > 0 &&
        xsirt_buf_append(&b->docs, data, len) != 0)
        rc = xsirt_error_set(err, XSIRT_ELIMIT, "index: documents exceed %llu bytes",
                             (unsigned long long)XSIRT_LIMIT_INDEX_DOCS);
    for (size_t i = 0; i < l->count && rc == 0; i++) {
        uint64_t off = doc_off, dlen = len;
        if (l->format == XSIRT_VULN_OSV_YAML) {
            char *json = NULL;
            off = b->docs.len;
            if ((rc = xsirt_vuln_original_json(&json, &l->items[i], err)) != 0)
                break;
            dlen = strlen(json);
            if (xsirt_buf_append(&b->docs, json, dlen) != 0)
                rc = xsirt_error_set(err, XSIRT_ELIMIT, "index: documents exceed %llu bytes",
                                     (unsigned long long)XSIRT_LIMIT_INDEX_DOCS);
            free(json);
            if (rc != 0)
                break;
        }
        rc = bld_record(b, &l->items[i], off, dlen, err);
    }
    if (rc != 0) {
        /* Leave the builder as it was (strings stay interned: harmless). */
        b->n_recs = recs_before;
        b->n_posts = posts_before;
        b->docs.len = (size_t)doc_off;
    } else {
        b->by_format[l->format <= XSIRT_VULN_EPSS ? l->format : 0] += l->count;
    }
    xsirt_vuln_list_free(l);
    return rc;
}

/* ---- finishing ---- */

static const char *bld_str(const xsirt_match_builder *b, uint32_t off)
{
    return b->strings.data + off;
}

/* Looks an id up in KEV and EPSS and marks the record. */
static void bld_enrich_id(xsirt_match_builder *b, xsirt_ix_record *rec, const char *id)
{
    uint32_t slot;

    if (id == NULL || id[0] == '\0')
        return;
    if (xsirt_strmap_get(&b->kev, id, strlen(id), NULL))
        rec->flags |= XSIRT_IX_KEV;
    if (xsirt_strmap_get(&b->epss, id, strlen(id), &slot) &&
        b->epss_values[slot] > rec->epss) {
        rec->epss = b->epss_values[slot];
        rec->flags |= XSIRT_IX_EPSS;
    }
}

/* The highest base score of a record's CVSS vectors, scored once here so
 * that a scan reads it (-1: none scores). */
static double bld_score(const xsirt_match_builder *b, const xsirt_ix_record *rec)
{
    double best = -1;

    for (uint32_t i = 1; i < rec->n_severities; i += 2) {
        const char *v = bld_str(b, b->refs[rec->severities + i]);
        xsirt_cvss cvss;
        xsirt_cvss_scores sc;
        if (xsirt_cvss_parse(&cvss, v, strlen(v), NULL) == 0 &&
            xsirt_cvss_score(&sc, &cvss, NULL) == 0 && sc.score > best)
            best = sc.score;
    }
    return best;
}

/* KEV, EPSS and missing severities, by id, aliases and alias group. */
static int bld_enrich(xsirt_match_builder *b, xsirt_error *err)
{
    xsirt_strmap rated;
    int rc = 0;

    xsirt_strmap_init(&rated);
    for (size_t i = 0; i < b->n_recs && rc == 0; i++) {
        xsirt_ix_record *rec = &b->recs[i];
        const char *id = bld_str(b, rec->id);
        const char *group = xsirt_vuln_alias_canonical(b->vuln_aliases, id);
        bld_enrich_id(b, rec, id);
        for (uint32_t j = 0; j < rec->n_aliases; j++)
            bld_enrich_id(b, rec, bld_str(b, b->refs[rec->aliases + j]));
        bld_enrich_id(b, rec, group);
        if (group != NULL && rec->n_severities > 0 &&
            xsirt_strmap_put(&rated, group, strlen(group), (uint32_t)i, NULL, NULL) != 0)
            rc = bld_nomem(err);
    }
    for (size_t i = 0; i < b->n_recs && rc == 0; i++) {
        xsirt_ix_record *rec = &b->recs[i];
        const char *group = xsirt_vuln_alias_canonical(b->vuln_aliases, bld_str(b, rec->id));
        uint32_t peer;
        if (rec->n_severities == 0 && group != NULL &&
            xsirt_strmap_get(&rated, group, strlen(group), &peer)) {
            rec->severities = b->recs[peer].severities;
            rec->n_severities = b->recs[peer].n_severities;
        }
        rec->score = bld_score(b, rec);
    }
    xsirt_strmap_free(&rated);
    return rc;
}

/* A record number by the reference of its id. */
typedef struct bld_id {
    uint32_t id, record;
} bld_id;

static int bld_id_cmp(const void *pa, const void *pb)
{
    const bld_id *a = pa, *b = pb;

    if (a->id != b->id)
        return a->id < b->id ? -1 : 1;
    return (a->record > b->record) - (a->record < b->record);
}

/* Each record's alias records: the records whose id is one of its aliases,
 * found by reference (strings are interned, so equal ids have equal
 * references). The scan's dedupe then compares numbers, never text. */
static int bld_alias_records(xsirt_match_builder *b, xsirt_error *err)
{
    bld_id *ids = xsirt_alloc_array(b->n_recs ? b->n_recs : 1, sizeof *ids);

    if (ids == NULL)
        return bld_nomem(err);
    for (size_t i = 0; i < b->n_recs; i++) {
        ids[i].id = b->recs[i].id;
        ids[i].record = (uint32_t)i;
    }
    qsort(ids, b->n_recs, sizeof *ids, bld_id_cmp);
    for (size_t i = 0; i < b->n_recs; i++) {
        xsirt_ix_record *rec = &b->recs[i];
        rec->alias_records = (uint32_t)b->n_refs;
        rec->n_alias_records = 0;
        for (uint32_t j = 0; j < rec->n_aliases; j++) {
            bld_id key = {b->refs[rec->aliases + j], 0};
            size_t lo = 0, hi = b->n_recs;
            while (lo < hi) {   /* the first entry with this id */
                size_t mid = lo + (hi - lo) / 2;
                if (bld_id_cmp(&ids[mid], &key) < 0)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            for (; lo < b->n_recs && ids[lo].id == key.id; lo++, rec->n_alias_records++) {
                if (!bld_grow((void **)&b->refs, &b->cap_refs, b->n_refs, sizeof *b->refs)) {
                    free(ids);
                    return bld_limit(err, "references");
                }
                b->refs[b->n_refs++] = ids[lo].record;
            }
        }
    }
    free(ids);
    return 0;
}

/* Postings by key, then in the order a component's findings are shown
 * (highest score first, then id: the rating follows the score), so that
 * the scanner finds them already sorted; a record's postings stay
 * together, ranges before lists. */
static int bld_posting_cmp(const void *pa, const void *pb)
{
    const bld_posting *a = pa, *b = pb;
    int c = a->key == b->key ? 0 : strcmp(a->key_text, b->key_text);

    if (c != 0)
        return c;
    if (a->score != b->score)
        return a->score > b->score ? -1 : 1;
    if (a->p.record != b->p.record && (c = strcmp(a->id, b->id)) != 0)
        return c;
    if (a->p.record != b->p.record)
        return a->p.record < b->p.record ? -1 : 1;
    return a->p.kind < b->p.kind ? -1 : a->p.kind > b->p.kind;
}

static int bld_info(xsirt_match_builder *b, uint32_t *out, size_t n_keys, xsirt_error *err)
{
    json_t *info = json_object(), *formats = json_object(), *ecos = json_object();
    json_t *issues = json_object();
    size_t withdrawn = 0, kev = 0, epss = 0;
    char *text;
    int rc;

    for (size_t i = 0; i < b->n_recs; i++) {
        withdrawn += (b->recs[i].flags & XSIRT_IX_WITHDRAWN) != 0;
        kev += (b->recs[i].flags & XSIRT_IX_KEV) != 0;
        epss += (b->recs[i].flags & XSIRT_IX_EPSS) != 0;
    }
    for (int f = XSIRT_VULN_OSV_JSON; f <= XSIRT_VULN_EPSS; f++)
        if (b->by_format[f] > 0)
            json_object_set_new(formats, xsirt_vuln_format_name((xsirt_vuln_format)f),
                                json_integer((json_int_t)b->by_format[f]));
    for (size_t i = 0; i < b->ecosystems.cap; i++)
        if (b->ecosystems.slots[i].key != NULL)
            json_object_set_new(ecos, b->ecosystems.slots[i].key,
                                json_integer((json_int_t)b->eco_counts[b->ecosystems.slots[i].value]));
    json_object_set_new(issues, "gitOnlyRanges", json_integer((json_int_t)b->git_only));
    json_object_set_new(issues, "unconvertibleRanges", json_integer((json_int_t)b->unconvertible));
    json_object_set_new(issues, "notUnderstoodVersions",
                        json_integer((json_int_t)b->not_understood));
    json_object_set_new(issues, "unversionedProducts", json_integer((json_int_t)b->unversioned));
    json_object_set_new(issues, "unsupportedEcosystems", json_integer((json_int_t)b->unsupported));
    json_object_set_new(info, "formatVersion", json_integer(XSIRT_IX_VERSION));
    json_object_set_new(info, "records", json_integer((json_int_t)b->n_recs));
    json_object_set_new(info, "withdrawn", json_integer((json_int_t)withdrawn));
    json_object_set_new(info, "kev", json_integer((json_int_t)kev));
    json_object_set_new(info, "epss", json_integer((json_int_t)epss));
    json_object_set_new(info, "keys", json_integer((json_int_t)n_keys));
    json_object_set_new(info, "postings", json_integer((json_int_t)b->n_posts));
    json_object_set_new(info, "formats", formats);
    json_object_set_new(info, "ecosystems", ecos);
    json_object_set_new(info, "issues", issues);
    text = json_dumps(info, JSON_SORT_KEYS | JSON_COMPACT);
    json_decref(info);
    if (text == NULL)
        return bld_nomem(err);
    rc = bld_intern(b, out, text, err);
    free(text);
    return rc;
}

static int bld_write_padded(xsirt_match_write_fn fn, void *ctx, const void *data, size_t len,
                            uint64_t *pos, xsirt_error *err)
{
    static const char zeros[8];
    int rc;

    if (len > 0 && (rc = fn(ctx, data, len, err)) != 0)
        return rc;
    *pos += len;
    if (*pos % 8 != 0) {
        size_t pad = 8 - (size_t)(*pos % 8);
        if ((rc = fn(ctx, zeros, pad, err)) != 0)
            return rc;
        *pos += pad;
    }
    return 0;
}

static uint64_t bld_align(uint64_t n)
{
    return (n + 7) & ~(uint64_t)7;
}

/* The hash section: the keys again, placed by the hash of their text (open
 * addressing, at most half full), so that a scan finds a key, its postings
 * and its text in one probe: two cache misses, not three. */
static int bld_hash(xsirt_ix_key **out, size_t *n_out, const xsirt_ix_key *keys, size_t n_keys,
                    xsirt_error *err)
{
    size_t n = 16;

    while (n < 2 * n_keys)
        n *= 2;
    if ((*out = xsirt_alloc_array(n, sizeof **out)) == NULL)   /* zeroed: count 0 is empty */
        return bld_nomem(err);
    for (size_t i = 0; i < n_keys; i++) {
        size_t k = keys[i].hash & (n - 1);
        while ((*out)[k].count != 0)
            k = (k + 1) & (n - 1);
        (*out)[k] = keys[i];
    }
    *n_out = n;
    return 0;
}

int xsirt_match_builder_finish(xsirt_match_builder *b, xsirt_match_write_fn fn, void *ctx,
                               xsirt_error *err)
{
    xsirt_ix_header h;
    xsirt_ix_key *keys = NULL;
    xsirt_ix_posting *posts = NULL;
    xsirt_ix_key *slots = NULL;
    size_t n_keys = 0, n_slots = 0;
    uint64_t pos = 0;
    int rc;

    _Static_assert(sizeof(xsirt_ix_record) == 80, "record layout");
    _Static_assert(sizeof(xsirt_ix_key) == 16, "key layout");
    _Static_assert(sizeof(xsirt_ix_posting) == 32, "posting layout");
    if ((rc = bld_enrich(b, err)) != 0 || (rc = bld_alias_records(b, err)) != 0)
        return rc;
    for (size_t i = 0; i < b->n_posts; i++) {
        const xsirt_ix_record *r = &b->recs[b->posts[i].p.record];
        b->posts[i].key_text = bld_str(b, b->posts[i].key);
        b->posts[i].id = bld_str(b, r->id);
        b->posts[i].score = r->score;
    }
    if (b->n_posts > 1)
        qsort(b->posts, b->n_posts, sizeof *b->posts, bld_posting_cmp);
    keys = xsirt_alloc_array(b->n_posts, sizeof *keys);
    posts = xsirt_alloc_array(b->n_posts, sizeof *posts);
    if (keys == NULL || posts == NULL) {
        rc = bld_nomem(err);
        goto out;
    }
    for (size_t i = 0; i < b->n_posts; i++) {
        posts[i] = b->posts[i].p;
        if (i == 0 || b->posts[i - 1].key != b->posts[i].key) {
            const char *k = b->posts[i].key_text;
            keys[n_keys].key = b->posts[i].key;
            keys[n_keys].first = (uint32_t)i;
            keys[n_keys].count = 0;
            keys[n_keys++].hash = (uint32_t)xsirt_strmap_hash(k, strlen(k));
        }
        keys[n_keys - 1].count++;
    }
    if ((rc = bld_hash(&slots, &n_slots, keys, n_keys, err)) != 0)
        goto out;
    memset(&h, 0, sizeof h);
    if ((rc = bld_info(b, &h.info, n_keys, err)) != 0)
        goto out;
    memcpy(h.magic, XSIRT_IX_MAGIC, 8);
    h.version = XSIRT_IX_VERSION;
    h.endian = XSIRT_IX_ENDIAN;
    h.n_records = (uint32_t)b->n_recs;
    h.n_keys = (uint32_t)n_keys;
    h.n_postings = (uint32_t)b->n_posts;
    h.n_refs = (uint32_t)b->n_refs;
    h.off_strings = bld_align(sizeof h);
    h.len_strings = b->strings.len;
    h.off_records = bld_align(h.off_strings + h.len_strings);
    h.off_keys = h.off_records + (uint64_t)b->n_recs * sizeof(xsirt_ix_record);
    h.off_postings = h.off_keys + (uint64_t)n_keys * sizeof(xsirt_ix_key);
    h.off_refs = h.off_postings + (uint64_t)b->n_posts * sizeof(xsirt_ix_posting);
    h.off_hash = bld_align(h.off_refs + (uint64_t)b->n_refs * sizeof(uint32_t));
    h.n_hash = (uint32_t)n_slots;
    h.off_docs = bld_align(h.off_hash + (uint64_t)n_slots * sizeof(xsirt_ix_key));
    h.len_docs = b->docs.len;
    h.file_size = bld_align(h.off_docs + h.len_docs);
    if ((rc = bld_write_padded(fn, ctx, &h, sizeof h, &pos, err)) != 0 ||
        (rc = bld_write_padded(fn, ctx, b->strings.data, b->strings.len, &pos, err)) != 0 ||
        (rc = bld_write_padded(fn, ctx, b->recs, b->n_recs * sizeof *b->recs, &pos, err)) != 0 ||
        (rc = bld_write_padded(fn, ctx, keys, n_keys * sizeof *keys, &pos, err)) != 0 ||
        (rc = bld_write_padded(fn, ctx, posts, b->n_posts * sizeof *posts, &pos, err)) != 0 ||
        (rc = bld_write_padded(fn, ctx, b->refs, b->n_refs * sizeof *b->refs, &pos, err)) != 0 ||
        (rc = bld_write_padded(fn, ctx, slots, n_slots * sizeof *slots, &pos, err)) != 0 ||
        (rc = bld_write_padded(fn, ctx, b->docs.data, b->docs.len, &pos, err)) != 0)
        goto out;
    if (pos != h.file_size)
        rc = xsirt_error_set(err, XSIRT_EINTERNAL, "index: wrote %llu bytes, expected %llu",
                             (unsigned long long)pos, (unsigned long long)h.file_size);
out:
    free(keys);
    free(posts);
    free(slots);
    return rc;
}
