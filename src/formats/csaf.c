/*
 * csaf.c — the CSAF 2.0 reader (OASIS Common Security Advisory Framework,
 * https://docs.oasis-open.org/csaf/csaf/v2.0/), also taking the CSAF 2.1
 * additions that are plain extensions (purls[], cwes[], metrics[]).
 *
 * An advisory names products once, in its product_tree, and each
 * vulnerability refers to them by product id in its product_status. The
 * reader first builds a product table: for each product, the branch path
 * that leads to it gives vendor, product family, product name and
 * version or version range; its product_identification_helper gives purls
 * and CPEs; a relationship ("X installed_on Y") defines a product of its
 * own, which takes the component X's identity. Then each vulnerability
 * becomes one record whose affected entries are (status, product) pairs.
 * Strings live in the list's arena, so records share the product table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "formats/vuln_internal.h"
#include "xsirt/limits.h"

enum {
    CSAF_RANGE_TEXT = 1,       /* product_version_range not a vers string */
    CSAF_VERSION_IS_RANGE = 2, /* product_version holding a vers range */
    CSAF_NO_VERSION = 4        /* neither version, range, purl nor CPE */
};

typedef struct csaf_product {
    const char *id, *name;
    const char *vendor, *family, *product, *version, *range;
    const char **purls, **cpes;
    size_t n_purls, n_cpes;
    const char *relationship, *component, *platform;
    const char *where;
    unsigned flags;
    size_t order;
} csaf_product;

typedef struct csaf_table {
    csaf_product *p;
    size_t n, cap;
} csaf_table;

typedef struct csaf_path {
    const char *vendor, *family, *product, *version, *range;
} csaf_path;

static int csaf_table_add(vx_ctx *c, csaf_table *t, csaf_product **out)
{
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 16;
        csaf_product *p = vx_alloc(c->arena, cap, sizeof *p);
        if (p == NULL)
            return vx_nomem(c);
        if (t->n > 0)
            memcpy(p, t->p, t->n * sizeof *p);
        t->p = p;
        t->cap = cap;
    }
    *out = &t->p[t->n];
    memset(*out, 0, sizeof **out);
    (*out)->order = t->n++;
    return 0;
}

/* name, product_id and product_identification_helper of a
 * full_product_name (at the current pointer). */
static int csaf_full_name(vx_ctx *c, json_t *fpn, csaf_product *p)
{
    json_t *pih;
    const char *one;
    size_t cap, mark;
    int rc;

    if ((rc = vx_string_req(c, fpn, "name", &p->name)) != 0 ||
        (rc = vx_string_req(c, fpn, "product_id", &p->id)) != 0 ||
        (rc = vx_object(c, fpn, "product_identification_helper", &pih)) != 0)
        return rc;
    p->where = vx_strdup(c->arena, c->path);
    if (p->where == NULL)
        return vx_nomem(c);
    if (pih == NULL)
        return 0;
    mark = vx_push(c, "product_identification_helper");
    if ((rc = vx_strings(c, pih, "purls", &p->purls, &p->n_purls)) == 0 &&
        (rc = vx_string(c, pih, "purl", &one)) == 0 && one != NULL) {
        cap = p->n_purls;
        rc = vx_append_str(c, &p->purls, &p->n_purls, &cap, one);
    }
    if (rc == 0 && (rc = vx_string(c, pih, "cpe", &one)) == 0 && one != NULL) {
        cap = 0;
        rc = vx_append_str(c, &p->cpes, &p->n_cpes, &cap, one);
    }
    vx_pop(c, mark);
    return rc;
}

static void csaf_flags(csaf_product *p)
{
    if (p->range != NULL && xsirt_ascii_ncasecmp(p->range, "vers:", 5) != 0)
        p->flags |= CSAF_RANGE_TEXT;
    if (p->version != NULL && xsirt_ascii_ncasecmp(p->version, "vers:", 5) == 0)
        p->flags |= CSAF_VERSION_IS_RANGE;
    if (p->version == NULL && p->range == NULL && p->n_purls == 0 && p->n_cpes == 0)
        p->flags |= CSAF_NO_VERSION;
}

static void csaf_path_apply(csaf_path *path, const char *category, const char *name)
{
    if (strcmp(category, "vendor") == 0)
        path->vendor = name;
    else if (strcmp(category, "product_family") == 0)
        path->family = name;
    else if (strcmp(category, "product_name") == 0)
        path->product = name;
    else if (strcmp(category, "product_version") == 0)
        path->version = name;
    else if (strcmp(category, "product_version_range") == 0)
        path->range = name;
}

/* Where a branch stands: the path down to it, its depth, the table. */
typedef struct csaf_at {
    csaf_path path;
    size_t depth;
    csaf_table *t;
} csaf_at;

static int csaf_branches(vx_ctx *c, json_t *arr, csaf_path path, size_t depth,
                         csaf_table *t);

static int csaf_branch(vx_ctx *c, json_t *b, size_t index, void *arg)
{
    const csaf_at *at = arg;
    csaf_path path = at->path;
    csaf_table *t = at->t;
    const char *category, *name;
    json_t *prod, *sub;
    csaf_product *p;
    int rc;

    (void)index;
    if ((rc = vx_string_req(c, b, "category", &category)) != 0 ||
        (rc = vx_string_req(c, b, "name", &name)) != 0 ||
        (rc = vx_object(c, b, "product", &prod)) != 0 ||
        (rc = vx_array(c, b, "branches", &sub)) != 0)
        return rc;
    csaf_path_apply(&path, category, name);
    if (prod != NULL) {
        size_t mark = vx_push(c, "product");
        if ((rc = csaf_table_add(c, t, &p)) == 0)
            rc = csaf_full_name(c, prod, p);
        vx_pop(c, mark);
        if (rc != 0)
            return rc;
        p->vendor = path.vendor;
        p->family = path.family;
        p->product = path.product;
        p->version = path.version;
        p->range = path.range;
        csaf_flags(p);
    }
    if (sub != NULL) {
        size_t mark = vx_push(c, "branches");
        rc = csaf_branches(c, sub, path, at->depth + 1, t);
        vx_pop(c, mark);
    }
    return rc;
}

static int csaf_branches(vx_ctx *c, json_t *arr, csaf_path path, size_t depth,
                         csaf_table *t)
{
    csaf_at at = {path, depth, t};

    if (depth > XSIRT_LIMIT_DEPTH)
        return vx_fail(c, NULL, XSIRT_ELIMIT, "branches nested deeper than XSIRT_LIMIT_DEPTH (%u)",
                       XSIRT_LIMIT_DEPTH);
    return vx_each_object(c, arr, csaf_branch, &at);
}

static int csaf_full_product(vx_ctx *c, json_t *fpn, size_t index, void *arg)
{
    csaf_product *p = NULL;   /* set when csaf_table_add succeeds; gcc -O3 cannot tell */
    int rc;

    (void)index;
    if ((rc = csaf_table_add(c, arg, &p)) == 0 && (rc = csaf_full_name(c, fpn, p)) == 0)
        csaf_flags(p);
    return rc;
}

static int csaf_relationship(vx_ctx *c, json_t *r, size_t index, void *arg)
{
    csaf_table *t = arg;
    const char *category, *component, *platform;
    json_t *fpn;
    csaf_product *p;
    size_t mark;
    int rc;

    (void)index;
    if ((rc = vx_string_req(c, r, "category", &category)) != 0 ||
        (rc = vx_string_req(c, r, "product_reference", &component)) != 0 ||
        (rc = vx_string_req(c, r, "relates_to_product_reference", &platform)) != 0 ||
        (rc = vx_object(c, r, "full_product_name", &fpn)) != 0)
        return rc;
    if (fpn == NULL)
        return vx_fail(c, "full_product_name", XSIRT_EINVAL,
                       "required member full_product_name is missing");
    mark = vx_push(c, "full_product_name");
    if ((rc = csaf_table_add(c, t, &p)) == 0)
        rc = csaf_full_name(c, fpn, p);
    vx_pop(c, mark);
    if (rc != 0)
        return rc;
    p->relationship = category;
    p->component = component;
    p->platform = platform;
    return 0;
}

static int csaf_cmp(const void *a, const void *b)
{
    const csaf_product *x = a, *y = b;
    int d = strcmp(x->id, y->id);

    if (d != 0)
        return d;
    return x->order < y->order ? -1 : x->order > y->order;
}

/* The first product defined with id (duplicates: the first definition). */
static csaf_product *csaf_find(csaf_table *t, const char *id)
{
    size_t lo = 0, hi = t->n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(t->p[mid].id, id) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < t->n && strcmp(t->p[lo].id, id) == 0 ? &t->p[lo] : NULL;
}

/* A relationship's product is its component as placed on a platform: it
 * takes the component's identity where it has none of its own. */
static void csaf_resolve_relationships(csaf_table *t)
{
    for (size_t i = 0; i < t->n; i++) {
        csaf_product *p = &t->p[i], *comp;
        if (p->relationship == NULL)
            continue;
        comp = csaf_find(t, p->component);
        if (comp == NULL || comp == p) {
            csaf_flags(p);
            continue;
        }
        if (p->vendor == NULL && p->product == NULL && p->version == NULL &&
            p->range == NULL) {
            p->vendor = comp->vendor;
            p->family = comp->family;
            p->product = comp->product;
            p->version = comp->version;
            p->range = comp->range;
        }
        if (p->n_purls == 0) {
            p->purls = comp->purls;
            p->n_purls = comp->n_purls;
        }
        if (p->n_cpes == 0) {
            p->cpes = comp->cpes;
            p->n_cpes = comp->n_cpes;
        }
        csaf_flags(p);
    }
}

static int csaf_product_tree(vx_ctx *c, json_t *root, csaf_table *t)
{
    json_t *tree, *br;
    csaf_path path;
    size_t mark;
    int rc;

    if ((rc = vx_object(c, root, "product_tree", &tree)) != 0 || tree == NULL)
        return rc;
    memset(&path, 0, sizeof path);
    mark = vx_push(c, "product_tree");
    if ((rc = vx_array(c, tree, "branches", &br)) == 0 && br != NULL) {
        size_t m = vx_push(c, "branches");
        rc = csaf_branches(c, br, path, 1, t);
        vx_pop(c, m);
    }
    if (rc == 0)
        rc = vx_each_member(c, tree, "full_product_names", csaf_full_product, t);
    if (rc == 0)
        rc = vx_each_member(c, tree, "relationships", csaf_relationship, t);
    vx_pop(c, mark);
    if (rc != 0)
        return rc;
    if (t->n > 0)
        qsort(t->p, t->n, sizeof *t->p, csaf_cmp);
    csaf_resolve_relationships(t);
    return 0;
}

/* ---- vulnerabilities ---- */

static const struct { const char *key; xsirt_vuln_status status; } csaf_statuses[] = {
    {"first_affected", XSIRT_VULN_STATUS_FIRST_AFFECTED},
    {"first_fixed", XSIRT_VULN_STATUS_FIRST_FIXED},
    {"fixed", XSIRT_VULN_STATUS_FIXED},
    {"known_affected", XSIRT_VULN_STATUS_KNOWN_AFFECTED},
    {"known_not_affected", XSIRT_VULN_STATUS_KNOWN_NOT_AFFECTED},
    {"last_affected", XSIRT_VULN_STATUS_LAST_AFFECTED},
    {"recommended", XSIRT_VULN_STATUS_RECOMMENDED},
    {"under_investigation", XSIRT_VULN_STATUS_UNDER_INVESTIGATION},
};
#define CSAF_N_STATUSES (sizeof csaf_statuses / sizeof csaf_statuses[0])

static int csaf_product_issues(vx_ctx *c, const csaf_product *p)
{
    int rc = 0;

    if (p->flags & CSAF_RANGE_TEXT)
        rc = vx_issue(c, NULL, "csaf-version-range-not-vers", p->range);
    if (rc == 0 && (p->flags & CSAF_VERSION_IS_RANGE))
        rc = vx_issue(c, NULL, "csaf-version-is-range", p->version);
    if (rc == 0 && (p->flags & CSAF_NO_VERSION))
        rc = vx_issue(c, NULL, "csaf-product-without-version", p->id);
    return rc;
}

static int csaf_fill(vx_ctx *c, csaf_table *t, xsirt_vuln_status status, const char *id,
                     xsirt_vuln_affected *a)
{
    csaf_product *p = csaf_find(t, id);

    a->status = status;
    a->product_id = id;
    if (p == NULL)
        return vx_issue(c, NULL, "csaf-product-undefined", id);
    a->full_name = p->name;
    a->vendor = p->vendor;
    a->product_family = p->family;
    a->product = p->product;
    a->version = p->version;
    a->version_range = p->range;
    a->purls = p->purls;
    a->n_purls = p->n_purls;
    a->purl = p->n_purls > 0 ? p->purls[0] : NULL;
    a->cpes = p->cpes;
    a->n_cpes = p->n_cpes;
    a->relationship = p->relationship;
    a->component_id = p->component;
    a->platform_id = p->platform;
    return csaf_product_issues(c, p);
}

static int csaf_product_status(vx_ctx *c, json_t *vul, csaf_table *t, xsirt_vuln *v)
{
    json_t *ps, *lists[CSAF_N_STATUSES];
    xsirt_vuln_affected *items;
    size_t total = 0, at = 0, mark;
    int rc;

    if ((rc = vx_object(c, vul, "product_status", &ps)) != 0 || ps == NULL)
        return rc;
    mark = vx_push(c, "product_status");
    for (size_t k = 0; k < CSAF_N_STATUSES; k++) {
        json_t *id;
        size_t i;
        if ((rc = vx_array(c, ps, csaf_statuses[k].key, &lists[k])) != 0)
            return rc;
        json_array_foreach(lists[k], i, id) {
            if (!json_is_string(id)) {
                vx_push(c, csaf_statuses[k].key);
                vx_push_index(c, i);
                return vx_fail(c, NULL, XSIRT_EINVAL, "expected a product id string, got %s",
                               vx_type_name(id));
            }
        }
        total += json_array_size(lists[k]);
    }
    if (total == 0) {
        vx_pop(c, mark);
        return 0;
    }
    items = vx_alloc(c->arena, total, sizeof *items);
    if (items == NULL)
        return vx_nomem(c);
    for (size_t k = 0; k < CSAF_N_STATUSES && rc == 0; k++) {
        size_t i, m = vx_push(c, csaf_statuses[k].key);
        size_t base = c->plen;
        json_t *id;
        json_array_foreach(lists[k], i, id) {
            const char *s = vx_strndup(c->arena, json_string_value(id), json_string_length(id));
            if (s == NULL)
                return vx_nomem(c);
            vx_push_index(c, i);
            rc = csaf_fill(c, t, csaf_statuses[k].status, s, &items[at++]);
            vx_pop(c, base);
            if (rc != 0)
                break;
        }
        vx_pop(c, m);
    }
    vx_pop(c, mark);
    v->affected = items;
    v->n_affected = at;
    return rc;
}

typedef struct csaf_doc {
    const char *tracking_id, *title, *current, *initial;
    json_t *references;
} csaf_doc;

/* References filled in turn into one array (the record's and the
 * document's). */
typedef struct csaf_refs {
    xsirt_vuln_reference *items;
    size_t n;
} csaf_refs;

static int csaf_reference(vx_ctx *c, json_t *r, size_t index, void *arg)
{
    csaf_refs *refs = arg;
    xsirt_vuln_reference *out = &refs->items[refs->n++];
    int rc = vx_string(c, r, "category", &out->type);

    (void)index;
    return rc != 0 ? rc : vx_string_req(c, r, "url", &out->url);
}

/* The vulnerability's references, then the document's. */
static int csaf_references(vx_ctx *c, json_t *vul, const csaf_doc *d, xsirt_vuln *v)
{
    json_t *arr;
    csaf_refs refs = {NULL, 0};
    size_t total, mark;
    int rc = vx_array(c, vul, "references", &arr);

    if (rc != 0)
        return rc;
    total = json_array_size(arr) + json_array_size(d->references);
    if (total == 0)
        return 0;
    refs.items = vx_alloc(c->arena, total, sizeof *refs.items);
    if (refs.items == NULL)
        return vx_nomem(c);
    mark = vx_push(c, "references");
    rc = vx_each_object(c, arr, csaf_reference, &refs);
    vx_pop(c, mark);
    if (rc == 0 && d->references != NULL) {
        size_t save = c->plen;
        char saved[XSIRT_ERROR_POINTER_MAX];
        memcpy(saved, c->path, save + 1);
        vx_pop(c, 0);
        vx_push(c, "document");
        vx_push(c, "references");
        rc = vx_each_object(c, d->references, csaf_reference, &refs);
        memcpy(c->path, saved, save + 1);
        c->plen = save;
    }
    v->references = refs.items;
    v->n_references = refs.n;
    return rc;
}

static int csaf_add_severity(vx_ctx *c, xsirt_vuln *v, size_t *cap, const char *type,
                             const char *score)
{
    xsirt_vuln_severity *p;

    for (size_t i = 0; i < v->n_severities; i++)
        if (strcmp(v->severities[i].type, type) == 0 &&
            strcmp(v->severities[i].score, score) == 0)
            return 0;
    if (v->n_severities == *cap) {
        size_t ncap = *cap ? *cap * 2 : 4;
        p = vx_alloc(c->arena, ncap, sizeof *p);
        if (p == NULL)
            return vx_nomem(c);
        if (v->n_severities > 0)
            memcpy(p, v->severities, v->n_severities * sizeof *p);
        v->severities = p;
        *cap = ncap;
    }
    p = (xsirt_vuln_severity *)v->severities;
    p[v->n_severities].type = type;
    p[v->n_severities].score = score;
    v->n_severities++;
    return 0;
}

static const struct { const char *key, *type; } csaf_cvss[] = {
    {"cvss_v2", "CVSS_V2"}, {"cvss_v3", "CVSS_V3"}, {"cvss_v4", "CVSS_V4"},
};

/* cvss_v2 / cvss_v3 / cvss_v4 objects inside a score (2.0) or a
 * metric's content (2.1). */
static int csaf_cvss_in(vx_ctx *c, json_t *obj, xsirt_vuln *v, size_t *cap)
{
    for (size_t k = 0; k < sizeof csaf_cvss / sizeof csaf_cvss[0]; k++) {
        json_t *o;
        const char *vec;
        size_t mark;
        int rc = vx_object(c, obj, csaf_cvss[k].key, &o);
        if (rc != 0)
            return rc;
        if (o == NULL)
            continue;
        mark = vx_push(c, csaf_cvss[k].key);
        rc = vx_string_req(c, o, "vectorString", &vec);
        vx_pop(c, mark);
        if (rc != 0 || (rc = csaf_add_severity(c, v, cap, csaf_cvss[k].type, vec)) != 0)
            return rc;
    }
    return 0;
}

/* A record and the capacity of the list being grown in it. */
typedef struct csaf_grow {
    xsirt_vuln *v;
    size_t cap;
} csaf_grow;

static int csaf_score(vx_ctx *c, json_t *s, size_t index, void *arg)
{
    csaf_grow *g = arg;

    (void)index;
    return csaf_cvss_in(c, s, g->v, &g->cap);
}

static int csaf_metric(vx_ctx *c, json_t *m, size_t index, void *arg)
{
    csaf_grow *g = arg;
    json_t *content;
    int rc = vx_object(c, m, "content", &content);

    (void)index;
    if (rc != 0 || content == NULL)
        return rc;
    vx_push(c, "content");
    return csaf_cvss_in(c, content, g->v, &g->cap);
}

static int csaf_scores(vx_ctx *c, json_t *vul, xsirt_vuln *v)
{
    csaf_grow g = {v, 0};
    int rc = vx_each_member(c, vul, "scores", csaf_score, &g);

    return rc != 0 ? rc : vx_each_member(c, vul, "metrics", csaf_metric, &g);
}

static int csaf_cwe(vx_ctx *c, json_t *e, size_t index, void *arg)
{
    csaf_grow *g = arg;
    const char *id;
    int rc = vx_string_req(c, e, "id", &id);

    (void)index;
    return rc != 0 ? rc : vx_append_str(c, &g->v->cwes, &g->v->n_cwes, &g->cap, id);
}

static int csaf_cwes(vx_ctx *c, json_t *vul, xsirt_vuln *v)
{
    csaf_grow g = {v, 0};
    json_t *cwe;
    const char *id;
    size_t mark;
    int rc;

    if ((rc = vx_object(c, vul, "cwe", &cwe)) != 0)
        return rc;
    if (cwe != NULL) {
        mark = vx_push(c, "cwe");
        rc = vx_string_req(c, cwe, "id", &id);
        vx_pop(c, mark);
        if (rc != 0 || (rc = vx_append_str(c, &v->cwes, &v->n_cwes, &g.cap, id)) != 0)
            return rc;
    }
    return vx_each_member(c, vul, "cwes", csaf_cwe, &g);
}

/* details: the first note of category description, else details, else
 * summary. */
static int csaf_notes(vx_ctx *c, json_t *vul, xsirt_vuln *v)
{
    static const char *const order[] = {"description", "details", "summary"};
    json_t *arr, *n;
    size_t i;
    int rc = vx_array(c, vul, "notes", &arr);

    if (rc != 0 || arr == NULL)
        return rc;
    for (int k = 0; k < 3; k++) {
        json_array_foreach(arr, i, n) {
            const char *cat = json_string_value(json_object_get(n, "category"));
            size_t mark;
            if (cat == NULL || strcmp(cat, order[k]) != 0)
                continue;
            mark = vx_push(c, "notes");
            vx_push_index(c, i);
            rc = vx_string_req(c, n, "text", &v->details);
            vx_pop(c, mark);
            return rc;
        }
    }
    return 0;
}

/* ids[]: every text but the CVE id becomes an alias; the first is kept
 * in case there is no CVE id. */
typedef struct csaf_id_acc {
    xsirt_vuln *v;
    const char *cve, *first;
    size_t cap;
} csaf_id_acc;

static int csaf_id(vx_ctx *c, json_t *e, size_t index, void *arg)
{
    csaf_id_acc *a = arg;
    const char *text, *system;
    int rc;

    (void)index;
    if ((rc = vx_string_req(c, e, "system_name", &system)) == 0 &&
        (rc = vx_string_req(c, e, "text", &text)) == 0) {
        if (a->first == NULL)
            a->first = text;
        if (a->cve == NULL || strcmp(text, a->cve) != 0)
            rc = vx_append_str(c, &a->v->aliases, &a->v->n_aliases, &a->cap, text);
    }
    return rc;
}

static int csaf_ids(vx_ctx *c, json_t *vul, size_t index, const csaf_doc *d, xsirt_vuln *v)
{
    csaf_id_acc a = {v, NULL, NULL, 0};
    char fallback[64];
    int rc;

    if ((rc = vx_string(c, vul, "cve", &a.cve)) != 0 ||
        (rc = vx_each_member(c, vul, "ids", csaf_id, &a)) != 0)
        return rc;
    if (a.cve != NULL) {
        v->id = a.cve;
        return 0;
    }
    if (a.first != NULL) {
        /* The first id becomes the record id, not an alias of itself. */
        v->id = a.first;
        v->aliases++;
        v->n_aliases--;
        return 0;
    }
    /* No id at all: name it after the advisory and its position. */
    snprintf(fallback, sizeof fallback, "#%zu", index + 1);
    {
        size_t n = strlen(d->tracking_id), m = strlen(fallback);
        char *id = vx_alloc(c->arena, n + m + 1, 1);
        if (id == NULL)
            return vx_nomem(c);
        memcpy(id, d->tracking_id, n);
        memcpy(id + n, fallback, m + 1);
        v->id = id;
    }
    return vx_issue(c, NULL, "csaf-vulnerability-without-id", NULL);
}

static int csaf_vulnerability(vx_ctx *c, json_t *vul, size_t index, const csaf_doc *d,
                              csaf_table *t, xsirt_vuln *v)
{
    int rc;

    v->format = XSIRT_VULN_CSAF;
    v->document_id = d->tracking_id;
    v->modified = d->current;
    v->published = d->initial;
    if ((rc = csaf_ids(c, vul, index, d, v)) != 0 ||
        (rc = vx_string(c, vul, "title", &v->summary)) != 0 ||
        (rc = csaf_notes(c, vul, v)) != 0 ||
        (rc = csaf_cwes(c, vul, v)) != 0 ||
        (rc = csaf_scores(c, vul, v)) != 0 ||
        (rc = csaf_references(c, vul, d, v)) != 0 ||
        (rc = csaf_product_status(c, vul, t, v)) != 0)
        return rc;
    if (v->summary == NULL)
        v->summary = d->title;
    return vx_take_issues(c, v);
}

static int csaf_document(vx_ctx *c, json_t *root, csaf_doc *d)
{
    json_t *doc, *tracking;
    size_t mark;
    int rc;

    memset(d, 0, sizeof *d);
    if ((rc = vx_object(c, root, "document", &doc)) != 0)
        return rc;
    if (doc == NULL)
        return vx_fail(c, "document", XSIRT_EINVAL, "required member document is missing");
    mark = vx_push(c, "document");
    if ((rc = vx_string(c, doc, "title", &d->title)) != 0 ||
        (rc = vx_array(c, doc, "references", &d->references)) != 0 ||
        (rc = vx_object(c, doc, "tracking", &tracking)) != 0)
        return rc;
    if (tracking == NULL)
        return vx_fail(c, "tracking", XSIRT_EINVAL, "required member tracking is missing");
    vx_push(c, "tracking");
    if ((rc = vx_string_req(c, tracking, "id", &d->tracking_id)) != 0 ||
        (rc = vx_string(c, tracking, "current_release_date", &d->current)) != 0 ||
        (rc = vx_string(c, tracking, "initial_release_date", &d->initial)) != 0)
        return rc;
    vx_pop(c, mark);
    return 0;
}

/* What every record of an advisory shares. */
typedef struct csaf_read {
    json_t *root;
    const csaf_doc *d;
    csaf_table *t;
    xsirt_vuln_list *list;
} csaf_read;

static int csaf_record(vx_ctx *c, json_t *vul, size_t index, void *arg)
{
    csaf_read *r = arg;
    int rc = csaf_vulnerability(c, vul, index, r->d, r->t, &r->list->items[index]);

    if (rc != 0)
        return rc;
    vx_set_original(&r->list->items[index], r->root);
    r->list->count++;
    return 0;
}

int vx_csaf_read(vx_ctx *c, json_t *root, xsirt_vuln_list *list)
{
    json_t *vulns;
    csaf_doc d;
    csaf_table t;
    csaf_read r = {root, &d, &t, list};
    size_t mark;
    int rc;

    memset(&t, 0, sizeof t);
    if (!json_is_object(root))
        return vx_fail(c, NULL, XSIRT_EINVAL, "expected a CSAF object, got %s",
                       vx_type_name(root));
    if ((rc = csaf_document(c, root, &d)) != 0 ||
        (rc = csaf_product_tree(c, root, &t)) != 0 ||
        (rc = vx_array(c, root, "vulnerabilities", &vulns)) != 0)
        return rc;
    /* Issues found in the tree before any record belong to none. */
    c->issues.count = 0;
    if ((rc = vx_items(c, list, json_array_size(vulns))) != 0)
        return rc;
    mark = vx_push(c, "vulnerabilities");
    rc = vx_each_object(c, vulns, csaf_record, &r);
    vx_pop(c, mark);
    return rc;
}
