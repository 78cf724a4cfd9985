/*
 * vex_apply.c — VEX statements applied to scan findings: not_affected and
 * fixed suppress a finding (it stays, with "suppressedBy"), affected and
 * under_investigation annotate it ("vex").
 *
 * A statement applies when it names the finding's vulnerability (its id or
 * an alias on either side) and the finding's component: a purl compared
 * component by component after canonicalisation, where the statement's
 * purl may leave out the version, qualifiers and subpath to cover every
 * one of them (a VEX author saying "pkg:npm/lodash" means all versions);
 * a CPE or a bom-ref compared exactly. Statements are applied in document
 * order, the last applicable one winning, as OpenVEX orders them in time.
 *
 * That rule lives here once, in xsirt_vex_matcher_find: the findings JSON
 * (xsirt_vex_apply) and the matching engine's structs
 * (src/match/apply_vex.c) both ask it, and both describe what applied with
 * xsirt_vex_annotation_json, so the two paths give the same objects.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/checked.h"
#include "formats/vex_internal.h"
#include "xsirt/limits.h"
#include "xsirt/name.h"
#include "xsirt/purl.h"
#include "xsirt/vers.h"
#include "xsirt/vex.h"

/* A statement's product identifiers with their purls parsed once; a
 * product named by vendor and name ("name:V:P#VERS", "family:V:F#VERS")
 * split, its range parsed once. */
typedef struct prod {
    const char *text;
    xsirt_purl purl;
    int is_purl;
    int is_name;            /* 1 name, 2 family */
    char *vendor, *product; /* is_name: one allocation, vendor first */
    xsirt_vers range;
} prod;

/* The subject's names, normalised once per look-up. */
typedef struct subject_names {
    char *vendor, *exact, *bare, *family;
    bool ok;
} subject_names;

typedef struct stmt_view {
    prod *prods;
    size_t n;
} stmt_view;

static int opt_eq(const char *a, const char *b)
{
    return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* Whether the statement purl s covers the finding purl f. */
static int purl_covers(const xsirt_purl *s, const xsirt_purl *f)
{
    if (strcmp(s->type, f->type) != 0 || !opt_eq(s->namespace_, f->namespace_) ||
        strcmp(s->name, f->name) != 0)
        return 0;
    if (s->version != NULL && !opt_eq(s->version, f->version))
        return 0;
    if (s->subpath != NULL && !opt_eq(s->subpath, f->subpath))
        return 0;
    for (size_t i = 0; i < s->nqualifiers; i++) {
        const char *fv = xsirt_purl_get_qualifier(f, s->qualifiers[i].key);
        if (fv == NULL || strcmp(fv, s->qualifiers[i].value) != 0)
            return 0;
    }
    return 1;
}

/* A vulnerability id a statement names (its own or an alias). */
typedef struct id_key {
    const char *id;
    size_t stmt;
} id_key;

/* Statements are found by id through keys sorted by (id, statement), so a
 * finding costs a binary search per id, not a pass over a vendor feed. */
struct xsirt_vex_matcher {
    const xsirt_vex *vex;
    stmt_view *views;
    id_key *keys;
    size_t n_keys;
    bool has_names;                 /* some product is named by vendor and name */
    xsirt_name_aliases *aliases;    /* the built-in vendor aliases, then */
};

static void views_free(stmt_view *views, size_t n)
{
    for (size_t i = 0; views != NULL && i < n; i++) {
        for (size_t k = 0; k < views[i].n; k++) {
            if (views[i].prods[k].is_purl)
                xsirt_purl_free(&views[i].prods[k].purl);
            if (views[i].prods[k].is_name) {
                free(views[i].prods[k].vendor);
                xsirt_vers_free(&views[i].prods[k].range);
            }
        }
        free(views[i].prods);
    }
    free(views);
}

/* "name:V:P#VERS" or "family:V:F#VERS" into p (vendor and product in one
 * allocation); anything else is left as text. */
static void name_prod(prod *p)
{
    int kind = strncmp(p->text, "name:", 5) == 0 ? 1 : strncmp(p->text, "family:", 7) == 0 ? 2 : 0;
    const char *body = p->text + (kind == 1 ? 5 : 7), *colon, *hash;
    char *v;

    if (kind == 0 || (colon = strchr(body, ':')) == NULL ||
        (hash = strchr(colon, '#')) == NULL ||
        xsirt_vers_parse(&p->range, hash + 1, strlen(hash + 1), XSIRT_VERS_LENIENT, NULL) != 0)
        return;
    if ((v = malloc((size_t)(hash - body) + 1)) == NULL) {
        xsirt_vers_free(&p->range);
        return;
    }
    memcpy(v, body, (size_t)(hash - body));
    v[hash - body] = '\0';
    v[colon - body] = '\0';
    p->vendor = v;
    p->product = v + (colon - body) + 1;
    p->is_name = kind;
}

static bool names_prefix(const char *words, const char *prefix)
{
    size_t n = strlen(prefix);

    return words != NULL && strncmp(words, prefix, n) == 0 && (words[n] == '\0' || words[n] == ' ');
}

/* Whether a named product covers the subject (normalised in sn). */
static int name_covers(const prod *p, const subject_names *sn, const xsirt_vex_subject *s)
{
    bool in = false;

    if (!sn->ok || strcmp(p->vendor, sn->vendor) != 0)
        return 0;
    if (p->is_name == 1 ? strcmp(p->product, sn->exact) != 0 &&
                              (sn->bare == NULL || strcmp(p->product, sn->bare) != 0)
                        : !names_prefix(sn->exact, p->product) &&
                              !names_prefix(sn->bare, p->product))
        return 0;
    return xsirt_vers_contains(&in, &p->range, s->version, NULL) == 0 && in;
}

static int views_build(stmt_view **out, const xsirt_vex *vex)
{
    stmt_view *views = calloc(vex->count ? vex->count : 1, sizeof *views);

    if (views == NULL)
        return XSIRT_ENOMEM;
    for (size_t i = 0; i < vex->count; i++) {
        const xsirt_vex_statement *st = &vex->statements[i];
        /* The components a finding names: the subcomponents, when the
         * statement has any, else the products. */
        const char **ids = st->n_subcomponents ? st->subcomponents : st->products;
        size_t n = st->n_subcomponents ? st->n_subcomponents : st->n_products;
        views[i].prods = calloc(n + st->n_names ? n + st->n_names : 1, sizeof *views[i].prods);
        if (views[i].prods == NULL) {
            views_free(views, i);
            return XSIRT_ENOMEM;
        }
        views[i].n = n + st->n_names;
        for (size_t k = 0; k < n; k++) {
            prod *p = &views[i].prods[k];
            p->text = ids[k];
            p->is_purl = strncmp(ids[k], "pkg:", 4) == 0 &&
                         xsirt_purl_parse(&p->purl, ids[k], strlen(ids[k]), 0, NULL) == 0;
        }
        for (size_t k = 0; k < st->n_names; k++) {
            prod *p = &views[i].prods[n + k];
            p->text = st->names[k];
            name_prod(p);
        }
    }
    *out = views;
    return 0;
}

static int key_cmp(const void *pa, const void *pb)
{
    const id_key *a = pa, *b = pb;
    int c = strcmp(a->id, b->id);

    return c != 0 ? c : (a->stmt > b->stmt) - (a->stmt < b->stmt);
}

static int keys_build(xsirt_vex_matcher *m)
{
    const xsirt_vex *vex = m->vex;
    size_t n = 0;

    for (size_t i = 0; i < vex->count; i++)
        n += 1 + vex->statements[i].n_aliases;
    if ((m->keys = xsirt_alloc_array(n ? n : 1, sizeof *m->keys)) == NULL)
        return XSIRT_ENOMEM;
    for (size_t i = 0; i < vex->count; i++) {
        const xsirt_vex_statement *st = &vex->statements[i];
        if (st->vulnerability != NULL)
            m->keys[m->n_keys++] = (id_key){st->vulnerability, i};
        for (size_t k = 0; k < st->n_aliases; k++)
            if (st->aliases[k] != NULL)
                m->keys[m->n_keys++] = (id_key){st->aliases[k], i};
    }
    qsort(m->keys, m->n_keys, sizeof *m->keys, key_cmp);
    return 0;
}

int xsirt_vex_matcher_new(xsirt_vex_matcher **out, const xsirt_vex *vex, xsirt_error *err)
{
    xsirt_vex_matcher *m;

    *out = NULL;
    if (vex == NULL)
        return xsirt_error_set(err, XSIRT_EINVAL, "no VEX statements given");
    if ((m = calloc(1, sizeof *m)) == NULL)
        return xsirt_error_set(err, XSIRT_ENOMEM, "out of memory applying VEX");
    m->vex = vex;
    if (views_build(&m->views, vex) != 0 || keys_build(m) != 0) {
        xsirt_vex_matcher_free(m);
        return xsirt_error_set(err, XSIRT_ENOMEM, "out of memory applying VEX");
    }
    for (size_t i = 0; i < vex->count && !m->has_names; i++)
        for (size_t k = 0; k < m->views[i].n && !m->has_names; k++)
            m->has_names = m->views[i].prods[k].is_name != 0;
    if (m->has_names && xsirt_name_aliases_new(&m->aliases, err) != 0) {
        xsirt_vex_matcher_free(m);
        return XSIRT_EINTERNAL;
    }
    *out = m;
    return 0;
}

void xsirt_vex_matcher_free(xsirt_vex_matcher *m)
{
    if (m == NULL)
        return;
    if (m->views != NULL)
        views_free(m->views, m->vex->count);
    xsirt_name_aliases_free(m->aliases);
    free(m->keys);
    free(m);
}

static int component_matches(const xsirt_vex_subject *s, const xsirt_purl *fp, int has_fp,
                             const subject_names *sn, const stmt_view *v)
{
    for (size_t k = 0; k < v->n; k++) {
        const prod *p = &v->prods[k];
        if (p->is_name) {
            if (name_covers(p, sn, s))
                return 1;
            continue;
        }
        if (p->is_purl ? (has_fp && purl_covers(&p->purl, fp))
                       : ((s->bom_ref != NULL && strcmp(s->bom_ref, p->text) == 0) ||
                          (s->cpe != NULL && strcmp(s->cpe, p->text) == 0) ||
                          (s->purl != NULL && strcmp(s->purl, p->text) == 0)))
            return 1;
    }
    return 0;
}

static int key_id_cmp(const void *pa, const void *pb)
{
    return strcmp(((const id_key *)pa)->id, ((const id_key *)pb)->id);
}

/* The latest statement naming id whose products name the component,
 * when it is later than *best (statement index + 1, 0 for none). */
static void find_by_id(const xsirt_vex_matcher *m, const char *id, const xsirt_vex_subject *s,
                       const xsirt_purl *fp, int has_fp, const subject_names *sn, size_t *best)
{
    const id_key probe = {id, 0}, *hit;
    size_t first, k;

    if (id == NULL || m->n_keys == 0 ||
        (hit = bsearch(&probe, m->keys, m->n_keys, sizeof *m->keys, key_id_cmp)) == NULL)
        return;
    /* The run of keys with this id around the one found. */
    for (first = (size_t)(hit - m->keys); first > 0 && strcmp(m->keys[first - 1].id, id) == 0;)
        first--;
    for (k = (size_t)(hit - m->keys) + 1; k < m->n_keys && strcmp(m->keys[k].id, id) == 0;)
        k++;
    /* Keys of one id are in statement order: from the end, the first
     * statement that applies is the latest. */
    while (k-- > first && m->keys[k].stmt + 1 > *best)
        if (component_matches(s, fp, has_fp, sn, &m->views[m->keys[k].stmt])) {
            *best = m->keys[k].stmt + 1;
            return;
        }
}

const xsirt_vex_statement *xsirt_vex_matcher_find(const xsirt_vex_matcher *m,
                                                  const xsirt_vex_subject *s)
{
    size_t best = 0;
    xsirt_purl fp;
    int has_fp;

    subject_names sn = {NULL, NULL, NULL, NULL, false};

    xsirt_purl_init(&fp);
    has_fp = s->purl != NULL && xsirt_purl_parse(&fp, s->purl, strlen(s->purl), 0, NULL) == 0;
    /* A device without identifiers: its names as the name rule wants them
     * (built-in vendor aliases), when the document names products so. */
    if (m->has_names && s->vendor != NULL && s->name != NULL && s->version != NULL &&
        xsirt_name_vendor(&sn.vendor, s->vendor, m->aliases, NULL) == 0 &&
        xsirt_name_product_forms(&sn.exact, &sn.bare, &sn.family, s->name, NULL) == 0)
        sn.ok = true;

    /* The statements naming the finding's id or one of its aliases; of
     * those that name its component too, the last in document order. */
    find_by_id(m, s->id, s, &fp, has_fp, &sn, &best);
    for (size_t i = 0; i < s->n_aliases; i++)
        find_by_id(m, s->aliases[i], s, &fp, has_fp, &sn, &best);
    if (has_fp)
        xsirt_purl_free(&fp);
    free(sn.vendor);
    free(sn.exact);
    free(sn.bare);
    free(sn.family);
    return best > 0 ? &m->vex->statements[best - 1] : NULL;
}

json_t *xsirt_vex_annotation_json(const xsirt_vex *vex, const xsirt_vex_statement *st,
                                  const char *source)
{
    json_t *a = json_pack("{s:s}", "status", xsirt_vex_status_name(st->status));

    if (a == NULL)
        return NULL;
    if (st->justification != XSIRT_VEX_JUSTIFICATION_NONE)
        json_object_set_new(a, "justification",
                            json_string(xsirt_vex_justification_name(st->justification)));
    if (st->justification_text != NULL)
        json_object_set_new(a, "justificationText", json_string(st->justification_text));
    if (st->impact != NULL)
        json_object_set_new(a, "impact", json_string(st->impact));
    if (st->action != NULL)
        json_object_set_new(a, "action", json_string(st->action));
    json_object_set_new(a, "vulnerability", json_string(st->vulnerability));
    json_object_set_new(a, "format", json_string(xsirt_vex_format_name(vex->format)));
    if (vex->id != NULL)
        json_object_set_new(a, "document", json_string(vex->id));
    if (source != NULL)
        json_object_set_new(a, "source", json_string(source));
    return a;
}

/* The finding's side of the rule, read from its JSON; *aliases is
 * allocated (free it). */
static int json_subject(xsirt_vex_subject *s, const char ***aliases, const json_t *comp,
                        const json_t *vuln)
{
    json_t *arr = json_object_get(vuln, "aliases"), *a;
    size_t i;

    memset(s, 0, sizeof *s);
    *aliases = calloc(json_array_size(arr) + 1, sizeof **aliases);
    if (*aliases == NULL)
        return XSIRT_ENOMEM;
    json_array_foreach(arr, i, a)
        if (json_is_string(a))
            (*aliases)[s->n_aliases++] = json_string_value(a);
    s->aliases = *aliases;
    s->id = json_string_value(json_object_get(vuln, "id"));
    s->purl = json_string_value(json_object_get(comp, "purl"));
    s->cpe = json_string_value(json_object_get(comp, "cpe"));
    s->bom_ref = json_string_value(json_object_get(comp, "bomRef"));
    s->vendor = json_string_value(json_object_get(comp, "vendor"));
    s->name = json_string_value(json_object_get(comp, "name"));
    s->version = json_string_value(json_object_get(comp, "version"));
    return 0;
}

/* Applies the winning statement to one finding; *changed tells whether its
 * suppression changed (so that stats can follow). */
static int apply_one(json_t *finding, const xsirt_vex_matcher *m, bool *changed)
{
    json_t *comp = json_object_get(finding, "component");
    json_t *vuln = json_object_get(finding, "vulnerability");
    bool was = json_object_get(finding, "suppressedBy") != NULL, now;
    const xsirt_vex_statement *hit;
    const char **aliases;
    xsirt_vex_subject s;
    json_t *a;

    *changed = false;
    if (!json_is_object(comp) || !json_is_object(vuln))
        return 0;
    if (json_subject(&s, &aliases, comp, vuln) != 0)
        return XSIRT_ENOMEM;
    hit = xsirt_vex_matcher_find(m, &s);
    free(aliases);
    if (hit == NULL)
        return 0;
    if ((a = xsirt_vex_annotation_json(m->vex, hit, NULL)) == NULL)
        return XSIRT_ENOMEM;
    now = xsirt_vex_suppresses(hit->status);
    *changed = was != now;
    json_object_del(finding, now ? "vex" : "suppressedBy");
    return json_object_set_new(finding, now ? "suppressedBy" : "vex", a) == 0 ? 0 : XSIRT_ENOMEM;
}

/* Moves a count by delta when it is there. */
static int stats_add(json_t *obj, const char *key, json_int_t delta)
{
    json_t *v = json_object_get(obj, key);

    json_int_t n = json_is_integer(v) ? json_integer_value(v) : 0;

    /* Counts of foreign input may be anything: no overflow, no negatives. */
    if (!json_is_integer(v) || delta == 0 || (delta > 0 && n >= ((json_int_t)1 << 53)) ||
        (delta < 0 && n <= 0))
        return 0;
    return json_integer_set(v, n + delta) == 0 ? 0 : XSIRT_ENOMEM;
}

/* Findings JSON without stats.suppressed gets it: the findings already
 * suppressed, to which the changes are then added. */
static int stats_start(json_t *stats, const json_t *arr)
{
    json_t *f;
    size_t i, n = 0;

    if (!json_is_object(stats) || json_is_integer(json_object_get(stats, "suppressed")))
        return 0;
    json_array_foreach(arr, i, f)
        n += json_object_get(f, "suppressedBy") != NULL;
    return json_object_set_new(stats, "suppressed", json_integer((json_int_t)n)) == 0
               ? 0
               : XSIRT_ENOMEM;
}

/* A finding whose suppression changed moves between stats.findings and
 * stats.suppressed, and in or out of its severity's count. */
static int stats_follow(json_t *stats, const json_t *finding)
{
    bool now = json_object_get(finding, "suppressedBy") != NULL;
    const char *rating = json_string_value(json_object_get(
        json_object_get(json_object_get(finding, "vulnerability"), "severity"), "rating"));
    int rc;

    if (!json_is_object(stats))
        return 0;
    if ((rc = stats_add(stats, "suppressed", now ? 1 : -1)) != 0 ||
        (rc = stats_add(stats, "findings", now ? -1 : 1)) != 0)
        return rc;
    return rating != NULL ? stats_add(json_object_get(stats, "bySeverity"), rating, now ? -1 : 1)
                          : 0;
}

int xsirt_vex_apply(char **out, const char *findings_json, size_t len, const xsirt_vex *vex,
                    xsirt_error *err)
{
    json_error_t je;
    json_t *root, *arr, *f;
    xsirt_vex_matcher *m = NULL;
    size_t i;
    int rc = 0;

    *out = NULL;
    if (findings_json == NULL || vex == NULL)
        return xsirt_error_set(err, XSIRT_EINVAL, "no findings or no VEX statements given");
    if (len > XSIRT_LIMIT_FILE)
        return xsirt_error_set(err, XSIRT_ELIMIT, "findings larger than XSIRT_LIMIT_FILE");
    root = json_loadb(findings_json, len, JSON_REJECT_DUPLICATES, &je);
    if (root == NULL)
        return xsirt_error_set_at(err, XSIRT_EINVAL, (unsigned long)(je.line > 0 ? je.line : 0),
                                  (unsigned long)(je.column > 0 ? je.column : 0), "findings: %s",
                                  je.text);
    arr = json_object_get(root, "findings");
    if (!json_is_array(arr)) {
        json_decref(root);
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, "",
                                       "findings must be an object with a \"findings\" array");
    }
    if ((rc = xsirt_vex_matcher_new(&m, vex, err)) != 0) {
        json_decref(root);
        return rc;
    }
    rc = stats_start(json_object_get(root, "stats"), arr);
    json_array_foreach(arr, i, f) {
        bool changed = false;
        if (rc == 0 && json_is_object(f) && (rc = apply_one(f, m, &changed)) == 0 && changed)
            rc = stats_follow(json_object_get(root, "stats"), f);
        if (rc != 0)
            break;
    }
    xsirt_vex_matcher_free(m);
    if (rc == 0 && (*out = json_dumps(root, JSON_COMPACT | JSON_REAL_PRECISION(15))) == NULL)
        rc = XSIRT_ENOMEM;
    json_decref(root);
    return rc != 0 ? xsirt_error_set(err, rc, "out of memory applying VEX") : 0;
}
