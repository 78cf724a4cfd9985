/*
 * vex.c — VEX documents (OpenVEX, CycloneDX VEX, CSAF VEX) read into one
 * statement model, and statements applied to scan findings.
 *
 * Nothing is re-parsed that another reader already understands: CycloneDX
 * comes through the SBOM reader (its vulnerabilities[] with analysis and
 * affects), CSAF through the intelligence reader, which resolves product
 * ids to purls and CPEs; only what those models do not keep (CSAF flags,
 * threats and remediations, per product) is read from the CSAF reader's
 * original document. Strings point into the document or into the readers'
 * models, which the xsirt_vex keeps alive; arrays come from a small store.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/buf.h"
#include "core/str.h"
#include "xsirt/limits.h"
#include "xsirt/name.h"
#include "xsirt/purl.h"
#include "xsirt/sbom.h"
#include "xsirt/vers.h"
#include "xsirt/vex.h"
#include "xsirt/vuln.h"

struct xsirt_vex_store {
    json_t *root;            /* OpenVEX document */
    xsirt_sbom *sbom;        /* CycloneDX */
    xsirt_vuln_list *csaf;   /* CSAF */
    void **allocs;
    size_t n_allocs, cap_allocs;
    size_t cap_statements;
};

/* ---- names ---------------------------------------------------------------- */

static const char *const status_names[] = {"", "not_affected", "affected", "fixed",
                                           "under_investigation"};
static const char *const justification_names[] = {
    "", "component_not_present", "vulnerable_code_not_present",
    "vulnerable_code_not_in_execute_path", "vulnerable_code_cannot_be_controlled_by_adversary",
    "inline_mitigations_already_exist"};

const char *xsirt_vex_format_name(xsirt_vex_format format)
{
    switch (format) {
    case XSIRT_VEX_OPENVEX: return "openvex";
    case XSIRT_VEX_CYCLONEDX: return "cyclonedx";
    case XSIRT_VEX_CSAF: return "csaf";
    default: return "unknown";
    }
}

const char *xsirt_vex_status_name(xsirt_vex_status status)
{
    return status >= XSIRT_VEX_NOT_AFFECTED && status <= XSIRT_VEX_UNDER_INVESTIGATION
               ? status_names[status]
               : "";
}

const char *xsirt_vex_justification_name(xsirt_vex_justification j)
{
    return j > XSIRT_VEX_JUSTIFICATION_NONE && j <= XSIRT_VEX_INLINE_MITIGATIONS_ALREADY_EXIST
               ? justification_names[j]
               : "";
}

int xsirt_vex_status_from(xsirt_vex_status *out, const char *name)
{
    static const struct { const char *name; xsirt_vex_status status; } map[] = {
        /* OpenVEX */
        {"not_affected", XSIRT_VEX_NOT_AFFECTED}, {"affected", XSIRT_VEX_AFFECTED},
        {"fixed", XSIRT_VEX_FIXED}, {"under_investigation", XSIRT_VEX_UNDER_INVESTIGATION},
        /* CycloneDX analysis.state */
        {"exploitable", XSIRT_VEX_AFFECTED}, {"in_triage", XSIRT_VEX_UNDER_INVESTIGATION},
        {"resolved", XSIRT_VEX_FIXED}, {"resolved_with_pedigree", XSIRT_VEX_FIXED},
        {"false_positive", XSIRT_VEX_NOT_AFFECTED},
        /* CSAF product_status */
        {"known_not_affected", XSIRT_VEX_NOT_AFFECTED}, {"known_affected", XSIRT_VEX_AFFECTED},
        {"first_affected", XSIRT_VEX_AFFECTED}, {"last_affected", XSIRT_VEX_AFFECTED},
        {"first_fixed", XSIRT_VEX_FIXED}, {"recommended", XSIRT_VEX_FIXED}};

    for (size_t i = 0; name != NULL && i < sizeof map / sizeof *map; i++)
        if (strcmp(name, map[i].name) == 0) {
            *out = map[i].status;
            return 0;
        }
    return XSIRT_ENOTFOUND;
}

int xsirt_vex_justification_from(xsirt_vex_justification *out, const char *name)
{
    static const struct { const char *name; xsirt_vex_justification j; } map[] = {
        {"code_not_present", XSIRT_VEX_VULNERABLE_CODE_NOT_PRESENT},
        {"code_not_reachable", XSIRT_VEX_VULNERABLE_CODE_NOT_IN_EXECUTE_PATH},
        {"requires_configuration", XSIRT_VEX_VULNERABLE_CODE_CANNOT_BE_CONTROLLED_BY_ADVERSARY},
        {"requires_dependency", XSIRT_VEX_COMPONENT_NOT_PRESENT},
        {"requires_environment", XSIRT_VEX_VULNERABLE_CODE_CANNOT_BE_CONTROLLED_BY_ADVERSARY},
        {"protected_by_compiler", XSIRT_VEX_INLINE_MITIGATIONS_ALREADY_EXIST},
        {"protected_at_runtime", XSIRT_VEX_INLINE_MITIGATIONS_ALREADY_EXIST},
        {"protected_at_perimeter", XSIRT_VEX_INLINE_MITIGATIONS_ALREADY_EXIST},
        {"protected_by_mitigating_control", XSIRT_VEX_INLINE_MITIGATIONS_ALREADY_EXIST}};

    for (int j = 1; name != NULL && j <= XSIRT_VEX_INLINE_MITIGATIONS_ALREADY_EXIST; j++)
        if (strcmp(name, justification_names[j]) == 0) {
            *out = (xsirt_vex_justification)j;
            return 0;
        }
    for (size_t i = 0; name != NULL && i < sizeof map / sizeof *map; i++)
        if (strcmp(name, map[i].name) == 0) {
            *out = map[i].j;
            return 0;
        }
    return XSIRT_ENOTFOUND;
}

bool xsirt_vex_suppresses(xsirt_vex_status status)
{
    return status == XSIRT_VEX_NOT_AFFECTED || status == XSIRT_VEX_FIXED;
}

/* ---- store ---------------------------------------------------------------- */

static void *st_keep(struct xsirt_vex_store *st, void *p)
{
    if (p == NULL)
        return NULL;
    if (st->n_allocs == st->cap_allocs) {
        size_t cap = st->cap_allocs ? st->cap_allocs * 2 : 64;
        void **a = realloc(st->allocs, cap * sizeof *a);
        if (a == NULL) {
            free(p);
            return NULL;
        }
        st->allocs = a;
        st->cap_allocs = cap;
    }
    st->allocs[st->n_allocs++] = p;
    return p;
}

static char *st_strdup(struct xsirt_vex_store *st, const char *s)
{
    return st_keep(st, xsirt_strndup(s, strlen(s)));
}

/* A string list being built: grows by doubling, owned by the store. */
typedef struct strlist {
    const char **items;
    size_t n, cap;
} strlist;

static int sl_add(strlist *l, const char *s)
{
    if (s == NULL || s[0] == '\0')
        return 0;
    for (size_t i = 0; i < l->n && i < 16; i++)   /* drop near repeats, stay linear */
        if (strcmp(l->items[l->n - 1 - i], s) == 0)
            return 0;
    if (l->n >= XSIRT_LIMIT_SBOM_LIST)
        return XSIRT_ELIMIT;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 4;
        const char **a = realloc(l->items, cap * sizeof *a);
        if (a == NULL)
            return XSIRT_ENOMEM;
        l->items = a;
        l->cap = cap;
    }
    l->items[l->n++] = s;
    return 0;
}

static int sl_finish(struct xsirt_vex_store *st, strlist *l, const char ***out, size_t *n)
{
    const char **items = l->items;

    /* The list lets go of its array first: it is either freed here or
     * handed to the store (which frees it even when keeping it fails), so
     * the caller's free(l->items) never frees it twice. */
    l->items = NULL;
    *out = NULL;
    *n = 0;
    if (l->n == 0) {
        free(items);
        return 0;
    }
    if (st_keep(st, items) == NULL)
        return XSIRT_ENOMEM;
    *out = items;
    *n = l->n;
    return 0;
}

static int vex_new(xsirt_vex **out, xsirt_vex_format format)
{
    xsirt_vex *v = calloc(1, sizeof *v);

    if (v == NULL || (v->store = calloc(1, sizeof *v->store)) == NULL) {
        free(v);
        return XSIRT_ENOMEM;
    }
    v->format = format;
    *out = v;
    return 0;
}

void xsirt_vex_free(xsirt_vex *vex)
{
    if (vex == NULL)
        return;
    if (vex->store != NULL) {
        for (size_t i = 0; i < vex->store->n_allocs; i++)
            free(vex->store->allocs[i]);
        free(vex->store->allocs);
        json_decref(vex->store->root);
        xsirt_sbom_free(vex->store->sbom);
        xsirt_vuln_list_free(vex->store->csaf);
        free(vex->store);
    }
    free(vex->statements);
    free(vex);
}

static int vex_push(xsirt_vex *v, xsirt_vex_statement **out, xsirt_error *err)
{
    struct xsirt_vex_store *st = v->store;

    if (v->count >= XSIRT_LIMIT_VEX_STATEMENTS)
        return xsirt_error_set(err, XSIRT_ELIMIT, "more than %u VEX statements "
                               "(XSIRT_LIMIT_VEX_STATEMENTS)", XSIRT_LIMIT_VEX_STATEMENTS);
    if (v->count == st->cap_statements) {
        size_t cap = st->cap_statements ? st->cap_statements * 2 : 16;
        xsirt_vex_statement *a = realloc(v->statements, cap * sizeof *a);
        if (a == NULL)
            return xsirt_error_set(err, XSIRT_ENOMEM, "out of memory reading VEX");
        v->statements = a;
        st->cap_statements = cap;
    }
    *out = &v->statements[v->count++];
    memset(*out, 0, sizeof **out);
    return 0;
}

/* ---- OpenVEX -------------------------------------------------------------- */

static const char *jstr(const json_t *obj, const char *key)
{
    json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;
    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* A member that must be a string when present. */
static int opt_str(const char **out, json_t *obj, const char *key, const char *ptr,
                   xsirt_error *err)
{
    json_t *v = json_object_get(obj, key);

    *out = NULL;
    if (v == NULL || json_is_null(v))
        return 0;
    if (!json_is_string(v))
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, ptr, "\"%s\" must be a string", key);
    *out = json_string_value(v);
    return 0;
}

/* A product or subcomponent: a string (0.0.x) or {@id, identifiers}. */
static int ov_component(strlist *l, json_t *c, const char *ptr, xsirt_error *err)
{
    json_t *ids;
    int rc;

    if (json_is_string(c))
        return sl_add(l, json_string_value(c));
    if (!json_is_object(c))
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, ptr,
                                       "a product must be an object or a string");
    if ((rc = sl_add(l, jstr(c, "@id"))) != 0)
        return rc;
    ids = json_object_get(c, "identifiers");
    if (ids != NULL && !json_is_object(ids))
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, ptr, "\"identifiers\" must be an object");
    if ((rc = sl_add(l, jstr(ids, "purl"))) == 0 && (rc = sl_add(l, jstr(ids, "cpe23"))) == 0)
        rc = sl_add(l, jstr(ids, "cpe22"));
    return rc;
}

static int ov_list(strlist *l, json_t *arr, const char *ptr, xsirt_error *err)
{
    char p[XSIRT_ERROR_POINTER_MAX + 32];
    json_t *c;
    size_t i;
    int rc = 0;

    if (arr == NULL || json_is_null(arr))
        return 0;
    if (!json_is_array(arr))
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, ptr, "expected an array");
    json_array_foreach(arr, i, c) {
        snprintf(p, sizeof p, "%s/%zu", ptr, i);
        if ((rc = ov_component(l, c, p, err)) != 0)
            break;
    }
    return rc;
}

static int ov_limit(int rc, const char *ptr, xsirt_error *err)
{
    if (rc == XSIRT_ELIMIT)
        return xsirt_error_set_pointer(err, rc, ptr, "more than %u entries (XSIRT_LIMIT_SBOM_LIST)",
                                       XSIRT_LIMIT_SBOM_LIST);
    if (rc == XSIRT_ENOMEM)
        return xsirt_error_set(err, rc, "out of memory reading VEX");
    return rc;
}

static int ov_statement(xsirt_vex *v, json_t *s, size_t i, const char *doc_ts, xsirt_error *err)
{
    char ptr[64], sub[128];
    xsirt_vex_statement *st;
    strlist prods = {0}, subs = {0}, aliases = {0};
    json_t *vul, *p, *a;
    const char *status;
    size_t k;
    int rc;

    snprintf(ptr, sizeof ptr, "/statements/%zu", i);
    if (!json_is_object(s))
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, ptr, "a statement must be an object");
    if ((rc = vex_push(v, &st, err)) != 0)
        return rc;
    vul = json_object_get(s, "vulnerability");
    if (json_is_string(vul))
        st->vulnerability = json_string_value(vul);
    else if (json_is_object(vul))
        st->vulnerability = jstr(vul, "name");
    if (st->vulnerability == NULL || st->vulnerability[0] == '\0')
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, ptr,
                                       "a statement needs vulnerability.name");
    a = json_object_get(vul, "aliases");
    if (a != NULL && !json_is_array(a))
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, ptr, "vulnerability.aliases must be an array");
    json_array_foreach(a, k, p) {
        if (rc == 0 && json_is_string(p))
            rc = sl_add(&aliases, json_string_value(p));
    }
    if (rc == 0)
        rc = sl_add(&aliases, jstr(vul, "@id"));
    /* Products, and the 0.2.0 subcomponents of each; 0.0.x lists them
     * beside the products. */
    snprintf(sub, sizeof sub, "%s/products", ptr);
    if (rc == 0 && (rc = ov_limit(ov_list(&prods, json_object_get(s, "products"), sub, err), sub, err)) == 0) {
        json_array_foreach(json_object_get(s, "products"), k, p) {
            snprintf(sub, sizeof sub, "%s/products/%zu/subcomponents", ptr, k);
            if (rc == 0 && json_is_object(p))
                rc = ov_limit(ov_list(&subs, json_object_get(p, "subcomponents"), sub, err), sub, err);
        }
    }
    snprintf(sub, sizeof sub, "%s/subcomponents", ptr);
    if (rc == 0)
        rc = ov_limit(ov_list(&subs, json_object_get(s, "subcomponents"), sub, err), sub, err);
    if (rc == 0)
        rc = ov_limit(sl_finish(v->store, &prods, &st->products, &st->n_products), ptr, err);
    if (rc == 0)
        rc = ov_limit(sl_finish(v->store, &subs, &st->subcomponents, &st->n_subcomponents), ptr, err);
    if (rc == 0)
        rc = ov_limit(sl_finish(v->store, &aliases, &st->aliases, &st->n_aliases), ptr, err);
    free(prods.items);
    free(subs.items);
    free(aliases.items);
    if (rc != 0)
        return rc;
    if ((rc = opt_str(&status, s, "status", ptr, err)) != 0)
        return rc;
    if (status == NULL || xsirt_vex_status_from(&st->status, status) != 0 ||
        strcmp(xsirt_vex_status_name(st->status), status) != 0) {
        char q[XSIRT_LIMIT_QUOTE];
        xsirt_quote(q, sizeof q, status ? status : "", status ? strlen(status) : 0);
        snprintf(sub, sizeof sub, "%s/status", ptr);
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, sub,
                                       "status %s is not one of not_affected, affected, fixed, "
                                       "under_investigation", status ? q : "(missing)");
    }
    if ((rc = opt_str(&st->justification_text, s, "justification", ptr, err)) != 0 ||
        (rc = opt_str(&st->impact, s, "impact_statement", ptr, err)) != 0 ||
        (rc = opt_str(&st->action, s, "action_statement", ptr, err)) != 0 ||
        (rc = opt_str(&st->timestamp, s, "timestamp", ptr, err)) != 0)
        return rc;
    if (st->justification_text != NULL)
        (void)xsirt_vex_justification_from(&st->justification, st->justification_text);
    if (st->timestamp == NULL)
        st->timestamp = doc_ts;
    return 0;
}

static int read_openvex(xsirt_vex *v, json_t *root, xsirt_error *err)
{
    json_t *stmts = json_object_get(root, "statements"), *s;
    size_t i;
    int rc = 0;

    v->store->root = json_incref(root);
    v->id = jstr(root, "@id");
    if (!json_is_array(stmts))
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, "/statements",
                                       "an OpenVEX document needs a \"statements\" array");
    json_array_foreach(stmts, i, s) {
        if ((rc = ov_statement(v, s, i, jstr(root, "timestamp"), err)) != 0)
            break;
    }
    return rc;
}

/* ---- CycloneDX ------------------------------------------------------------ */

/* The statements of sb's vulnerabilities[]; they point into sb. */
static int cdx_statements(xsirt_vex *v, const xsirt_sbom *sb, xsirt_error *err)
{
    int rc = 0;

    v->id = sb->serial;
    for (size_t i = 0; i < sb->vulnerability_count; i++) {
        const xsirt_sbom_vulnerability *sv = &sb->vulnerabilities[i];
        xsirt_vex_statement *st;
        strlist prods = {0};
        xsirt_buf act;
        if (sv->id == NULL)
            continue;
        if ((rc = vex_push(v, &st, err)) != 0)
            return rc;
        st->vulnerability = sv->id;
        /* Without an analysis, a BOM listing a vulnerability against
         * components says they are affected. */
        if (sv->state == NULL || xsirt_vex_status_from(&st->status, sv->state) != 0)
            st->status = XSIRT_VEX_AFFECTED;
        st->justification_text = sv->justification;
        if (sv->justification != NULL)
            (void)xsirt_vex_justification_from(&st->justification, sv->justification);
        st->impact = sv->detail;
        for (size_t k = 0; rc == 0 && k < sv->affect_count; k++) {
            const char *ref = sv->affects[k], *hash;
            size_t ci = xsirt_sbom_find(sb, ref);
            rc = sl_add(&prods, ref);
            /* A BOM-link names a bom-ref in another BOM after '#'. */
            if (rc == 0 && strncmp(ref, "urn:cdx:", 8) == 0 && (hash = strchr(ref, '#')) != NULL)
                rc = sl_add(&prods, st_strdup(v->store, hash + 1));
            if (rc == 0 && ci != XSIRT_SBOM_NONE)
                rc = sl_add(&prods, sb->components[ci].purl);
            if (rc == 0 && ci != XSIRT_SBOM_NONE)
                rc = sl_add(&prods, sb->components[ci].cpe);
        }
        if (rc == 0)
            rc = sl_finish(v->store, &prods, &st->products, &st->n_products);
        free(prods.items);
        xsirt_buf_init(&act, 4096);
        for (size_t k = 0; rc == 0 && k < sv->response_count; k++)
            rc = xsirt_buf_printf(&act, "%s%s", k ? ", " : "", sv->responses[k]);
        if (rc == 0 && act.len > 0)
            st->action = st_strdup(v->store, xsirt_buf_cstr(&act));
        xsirt_buf_free(&act);
        if (rc != 0)
            return ov_limit(rc == XSIRT_ELIMIT ? rc : XSIRT_ENOMEM, "/vulnerabilities", err);
    }
    return 0;
}

static int read_cyclonedx(xsirt_vex *v, const char *data, size_t len, xsirt_error *err)
{
    xsirt_sbom *sb;
    int rc = xsirt_sbom_parse(&sb, data, len, err);

    if (rc != 0)
        return rc;
    v->store->sbom = sb;   /* owned: freed with v */
    return cdx_statements(v, sb, err);
}

int xsirt_vex_from_sbom(xsirt_vex **out, const xsirt_sbom *sbom, xsirt_error *err)
{
    xsirt_vex *v;
    int rc;

    *out = NULL;
    if (sbom == NULL)
        return xsirt_error_set(err, XSIRT_EINVAL, "no SBOM given");
    if ((rc = vex_new(&v, XSIRT_VEX_CYCLONEDX)) != 0)
        return xsirt_error_set(err, rc, "out of memory reading VEX");
    if ((rc = cdx_statements(v, sbom, err)) != 0) {
        xsirt_vex_free(v);
        return rc;
    }
    *out = v;
    return 0;
}

/* ---- CSAF ----------------------------------------------------------------- */

static int in_ids(const json_t *arr, const char *id)
{
    json_t *v;
    size_t i;

    json_array_foreach(arr, i, v)
        if (json_is_string(v) && strcmp(json_string_value(v), id) == 0)
            return 1;
    return 0;
}

/* Whether a flag, threat or remediation (with product_ids / group_ids)
 * names the product, directly or through a product group. */
static int names_product(const json_t *item, const json_t *groups, const char *pid)
{
    json_t *gids = json_object_get(item, "group_ids"), *g;
    size_t i;

    if (in_ids(json_object_get(item, "product_ids"), pid))
        return 1;
    json_array_foreach(groups, i, g) {
        const char *gid = jstr(g, "group_id");
        if (gid != NULL && in_ids(gids, gid) && in_ids(json_object_get(g, "product_ids"), pid))
            return 1;
    }
    return 0;
}

static int csaf_details(xsirt_vex *v, xsirt_vex_statement *st, json_t *vul, json_t *groups,
                        const char *pid)
{
    json_t *it;
    size_t i;
    xsirt_buf act;
    int rc = 0;

    json_array_foreach(json_object_get(vul, "flags"), i, it) {
        const char *label = jstr(it, "label");
        if (label != NULL && names_product(it, groups, pid)) {
            st->justification_text = label;
            (void)xsirt_vex_justification_from(&st->justification, label);
        }
    }
    json_array_foreach(json_object_get(vul, "threats"), i, it) {
        const char *cat = jstr(it, "category");
        if (cat != NULL && strcmp(cat, "impact") == 0 && names_product(it, groups, pid))
            st->impact = jstr(it, "details");
    }
    xsirt_buf_init(&act, 1u << 20);
    json_array_foreach(json_object_get(vul, "remediations"), i, it) {
        const char *cat = jstr(it, "category"), *details = jstr(it, "details");
        if (rc == 0 && cat != NULL && details != NULL && names_product(it, groups, pid))
            rc = xsirt_buf_printf(&act, "%s%s: %s", act.len ? "\n" : "", cat, details);
    }
    if (rc == 0 && act.len > 0 && (st->action = st_strdup(v->store, xsirt_buf_cstr(&act))) == NULL)
        rc = XSIRT_ENOMEM;
    xsirt_buf_free(&act);
    return rc;
}

/* A product without purl or CPE (CISA's advisories) as the name rule's
 * products (vex.h): "name:VENDOR:PRODUCT#VERS" for its normalised name
 * and its name without remarks, "family:VENDOR:PREFIX#VERS" for its
 * family. Nothing when the names or the version text cannot be read. */
static int csaf_name_products(xsirt_vex *v, strlist *prods, const xsirt_vuln_affected *a)
{
    const char *text = a->version_range != NULL ? a->version_range : a->version;
    char *vendor = NULL, *forms[3] = {NULL, NULL, NULL}, *range = NULL;
    xsirt_vers vers;
    int rc = 0;

    if (a->vendor == NULL || a->product == NULL || text == NULL)
        return 0;
    if (xsirt_vers_from_cisa(&vers, text, a->product, NULL) != 0)
        return 0;
    if (vers.count > 0 && xsirt_vers_to_string(&range, &vers, NULL) == 0 &&
        xsirt_name_vendor(&vendor, a->vendor, NULL, NULL) == 0 &&
        xsirt_name_product_forms(&forms[0], &forms[1], &forms[2], a->product, NULL) == 0) {
        for (int i = 0; i < 3 && rc == 0; i++) {
            char *t;
            size_t n;
            if (forms[i] == NULL || forms[i][0] == '\0')
                continue;
            n = strlen(vendor) + strlen(forms[i]) + strlen(range) + 16;
            if ((t = malloc(n)) == NULL) {
                rc = XSIRT_ENOMEM;
                break;
            }
            snprintf(t, n, "%s:%s:%s#%s", i == 2 ? "family" : "name", vendor, forms[i], range);
            const char *kept = st_strdup(v->store, t);
            free(t);
            rc = kept == NULL ? XSIRT_ENOMEM : sl_add(prods, kept);
        }
    }
    xsirt_vers_free(&vers);
    free(range);
    free(vendor);
    for (int i = 0; i < 3; i++)
        free(forms[i]);
    return rc;
}

static int read_csaf(xsirt_vex *v, const char *data, size_t len, xsirt_error *err)
{
    xsirt_vuln_list *list;
    int rc = xsirt_vuln_parse_as(&list, XSIRT_VULN_CSAF, data, len, err);

    if (rc != 0)
        return rc;
    v->store->csaf = list;
    for (size_t r = 0; r < list->count; r++) {
        const xsirt_vuln *vu = &list->items[r];
        /* The CSAF reader keeps the whole document; record r is
         * vulnerabilities[r] (docs/intelligence.md). */
        json_t *root = vu->original;
        json_t *vul = json_array_get(json_object_get(root, "vulnerabilities"), r);
        json_t *groups = json_object_get(json_object_get(root, "product_tree"), "product_groups");
        if (v->id == NULL)
            v->id = vu->document_id;
        for (size_t k = 0; k < vu->n_affected; k++) {
            const xsirt_vuln_affected *a = &vu->affected[k];
            xsirt_vex_statement *st;
            strlist prods = {0};
            if (a->status == XSIRT_VULN_STATUS_NONE)
                continue;
            if ((rc = vex_push(v, &st, err)) != 0)
                return rc;
            st->vulnerability = vu->id;
            st->aliases = vu->aliases;
            st->n_aliases = vu->n_aliases;
            (void)xsirt_vex_status_from(&st->status, xsirt_vuln_status_name(a->status));
            st->timestamp = vu->modified;
            for (size_t p = 0; rc == 0 && p < a->n_purls; p++)
                rc = sl_add(&prods, a->purls[p]);
            for (size_t p = 0; rc == 0 && p < a->n_cpes; p++)
                rc = sl_add(&prods, a->cpes[p]);
            if (rc == 0)
                rc = sl_finish(v->store, &prods, &st->products, &st->n_products);
            free(prods.items);
            if (rc == 0 && a->n_purls == 0 && a->n_cpes == 0) {
                strlist names = {0};
                if ((rc = csaf_name_products(v, &names, a)) == 0)
                    rc = sl_finish(v->store, &names, &st->names, &st->n_names);
                free(names.items);
            }
            if (rc == 0)
                rc = csaf_details(v, st, vul, groups, a->product_id);
            if (rc != 0)
                return ov_limit(rc, "/vulnerabilities", err);
        }
    }
    return 0;
}

/* ---- detection and entry point -------------------------------------------- */

static xsirt_vex_format detect_json(const json_t *root)
{
    const char *ctx = jstr(root, "@context");
    json_t *doc = json_object_get(root, "document");

    if (ctx != NULL && strstr(ctx, "openvex") != NULL)
        return XSIRT_VEX_OPENVEX;
    if (jstr(root, "bomFormat") != NULL && strcmp(jstr(root, "bomFormat"), "CycloneDX") == 0)
        return XSIRT_VEX_CYCLONEDX;
    if (json_is_object(doc) && json_object_get(doc, "csaf_version") != NULL)
        return XSIRT_VEX_CSAF;
    return XSIRT_VEX_FORMAT_UNKNOWN;
}

static size_t skip_space(const char *data, size_t len)
{
    size_t i = 0;

    if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
        i = 3;
    while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r'))
        i++;
    return i;
}

static int is_cyclonedx_xml(const char *data, size_t len)
{
    static const char ns[] = "cyclonedx.org/schema/bom";
    size_t n = len < 4096 ? len : 4096;   /* the root element comes first */

    for (size_t i = 0; i + sizeof ns - 1 <= n; i++)
        if (memcmp(data + i, ns, sizeof ns - 1) == 0)
            return 1;
    return 0;
}

xsirt_vex_format xsirt_vex_detect(const char *data, size_t len)
{
    size_t i;
    json_t *root;
    xsirt_vex_format f;

    if (data == NULL || len > XSIRT_LIMIT_FILE)
        return XSIRT_VEX_FORMAT_UNKNOWN;
    i = skip_space(data, len);
    if (i < len && data[i] == '<')
        return is_cyclonedx_xml(data, len) ? XSIRT_VEX_CYCLONEDX : XSIRT_VEX_FORMAT_UNKNOWN;
    root = json_loadb(data, len, JSON_REJECT_DUPLICATES, NULL);
    f = detect_json(root);
    json_decref(root);
    return f;
}

int xsirt_vex_parse(xsirt_vex **out, const char *data, size_t len, xsirt_error *err)
{
    json_error_t je;
    json_t *root = NULL;
    xsirt_vex_format f;
    xsirt_vex *v;
    size_t i;
    int rc;

    *out = NULL;
    if (data == NULL)
        return xsirt_error_set(err, XSIRT_EINVAL, "no VEX document given");
    if (len > XSIRT_LIMIT_FILE)
        return xsirt_error_set(err, XSIRT_ELIMIT, "VEX document larger than XSIRT_LIMIT_FILE");
    i = skip_space(data, len);
    if (i < len && data[i] == '<') {
        if (!is_cyclonedx_xml(data, len))
            return xsirt_error_set(err, XSIRT_EUNSUPPORTED,
                                   "XML that is not a CycloneDX BOM is not a VEX document");
        f = XSIRT_VEX_CYCLONEDX;
    } else {
        root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je);
        if (root == NULL)
            return xsirt_error_set_at(err, XSIRT_EINVAL, (unsigned long)(je.line > 0 ? je.line : 0),
                                      (unsigned long)(je.column > 0 ? je.column : 0), "%s", je.text);
        f = detect_json(root);
        if (f == XSIRT_VEX_FORMAT_UNKNOWN) {
            json_decref(root);
            return xsirt_error_set(err, XSIRT_EUNSUPPORTED,
                                   "not a VEX document (OpenVEX, CycloneDX or CSAF)");
        }
    }
    if ((rc = vex_new(&v, f)) != 0) {
        json_decref(root);
        return xsirt_error_set(err, rc, "out of memory reading VEX");
    }
    if (f == XSIRT_VEX_OPENVEX)
        rc = read_openvex(v, root, err);
    else if (f == XSIRT_VEX_CYCLONEDX)
        rc = read_cyclonedx(v, data, len, err);
    else
        rc = read_csaf(v, data, len, err);
    json_decref(root);
    if (rc != 0) {
        xsirt_vex_free(v);
        return rc;
    }
    *out = v;
    return 0;
}
