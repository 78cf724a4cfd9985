/*
 * sbom_cyclonedx_json.c — CycloneDX 1.2 to 1.6 JSON into the SBOM model.
 *
 * Read: specVersion, serialNumber, metadata.component (the subject),
 * components (nested ones flattened with their parent), dependencies
 * (dependsOn and 1.5+ provides), vulnerabilities (VEX). Every member read
 * must have its schema type, else the error names it by JSON pointer;
 * members not read are ignored, whatever they hold.
 */
#include <string.h>

#include "core/str.h"
#include "formats/sbom_internal.h"
#include "xsirt/limits.h"
#include "xsirt/sbom.h"

static const char *const cdx_versions[] = {"1.2", "1.3", "1.4", "1.5", "1.6"};

static int read_component(xsirt_sbom *sb, json_t *obj, const char *ptr, size_t parent,
                          unsigned depth, size_t *index, xsirt_error *err);

/* The members of a component the reader looks at, found in one pass
 * (sbj_members); they are then read in this order, which decides which
 * error a component with several wrong members gets. */
enum {
    M_TYPE, M_REF, M_GROUP, M_NAME, M_VERSION, M_PURL, M_CPE, M_SUPPLIER, M_MANUFACTURER,
    M_HASHES, M_LICENSES, M_COMPONENTS, M_COUNT
};
static const char *const member_names[M_COUNT] = {
    "type", "bom-ref", "group", "name", "version", "purl", "cpe", "supplier", "manufacturer",
    "hashes", "licenses", "components",
};

static int read_hashes(xsirt_sbom *sb, size_t ci, json_t *member, const char *ptr,
                       xsirt_error *err)
{
    json_t *arr, *h;
    size_t i;
    int rc = sbj_array_member(&arr, member, "hashes", ptr, XSIRT_LIMIT_SBOM_LIST, err);
    char p[XSIRT_ERROR_POINTER_MAX], base[XSIRT_ERROR_POINTER_MAX];

    if (rc != 0 || arr == NULL)
        return rc;
    sbj_ptr_key(base, ptr, "hashes");
    json_array_foreach(arr, i, h) {
        const char *alg, *content;
        sbj_ptr_index(p, base, i);
        if ((rc = sbj_expect_object(h, p, err)) != 0 ||
            (rc = sbj_string(&alg, sb, h, "alg", p, err)) != 0 ||
            (rc = sbj_string(&content, sb, h, "content", p, err)) != 0)
            return rc;
        if (alg == NULL || content == NULL)
            return xsirt_error_set_pointer(err, XSIRT_EINVAL, p,
                                           "hash needs \"alg\" and \"content\"");
        if ((rc = sb_push_hash(&sb->components[ci], alg, content, err)) != 0) {
            sb_where_pointer(err, p);
            return rc;
        }
    }
    return 0;
}

/* licenses[]: {"license": {"id"|"name"}} or {"expression": "..."}. */
static int read_licenses(xsirt_sbom *sb, size_t ci, json_t *member, const char *ptr,
                         xsirt_error *err)
{
    json_t *arr, *l, *lic;
    size_t i;
    int rc = sbj_array_member(&arr, member, "licenses", ptr, XSIRT_LIMIT_SBOM_LIST, err);
    char p[XSIRT_ERROR_POINTER_MAX], base[XSIRT_ERROR_POINTER_MAX];
    char lp[XSIRT_ERROR_POINTER_MAX];

    if (rc != 0 || arr == NULL)
        return rc;
    sbj_ptr_key(base, ptr, "licenses");
    json_array_foreach(arr, i, l) {
        const char *id = NULL, *name = NULL, *expr;
        sbj_ptr_index(p, base, i);
        if ((rc = sbj_expect_object(l, p, err)) != 0 ||
            (rc = sbj_object(&lic, l, "license", p, err)) != 0 ||
            (rc = sbj_string(&expr, sb, l, "expression", p, err)) != 0)
            return rc;
        if (lic != NULL) {
            sbj_ptr_key(lp, p, "license");
            if ((rc = sbj_string(&id, sb, lic, "id", lp, err)) != 0 ||
                (rc = sbj_string(&name, sb, lic, "name", lp, err)) != 0)
                return rc;
        }
        const char *text = id != NULL ? id : name != NULL ? name : expr;
        if (text != NULL &&
            (rc = sb_add_license(sb, &sb->components[ci], text, err)) != 0) {
            sb_where_pointer(err, p);
            return rc;
        }
    }
    return 0;
}

static int read_fields(xsirt_sbom *sb, size_t ci, json_t **m, const char *ptr,
                       xsirt_error *err)
{
    xsirt_sbom_component *c = &sb->components[ci];
    json_t *supplier, *manufacturer;
    int rc;
    char p[XSIRT_ERROR_POINTER_MAX];

    if ((rc = sbj_string_member(&c->type, sb, m[M_TYPE], "type", ptr, err)) != 0 ||
        (rc = sbj_string_member(&c->ref, sb, m[M_REF], "bom-ref", ptr, err)) != 0 ||
        (rc = sbj_string_member(&c->group, sb, m[M_GROUP], "group", ptr, err)) != 0 ||
        (rc = sbj_string_member(&c->name, sb, m[M_NAME], "name", ptr, err)) != 0 ||
        (rc = sbj_string_member(&c->version, sb, m[M_VERSION], "version", ptr, err)) != 0 ||
        (rc = sbj_string_member(&c->purl, sb, m[M_PURL], "purl", ptr, err)) != 0 ||
        (rc = sbj_string_member(&c->cpe, sb, m[M_CPE], "cpe", ptr, err)) != 0 ||
        (rc = sbj_object_member(&supplier, m[M_SUPPLIER], "supplier", ptr, err)) != 0 ||
        (rc = sbj_object_member(&manufacturer, m[M_MANUFACTURER], "manufacturer", ptr,
                                err)) != 0)
        return rc;
    if (c->name == NULL)
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, ptr,
                                       "component has no \"name\"");
    if (supplier != NULL) {
        sbj_ptr_key(p, ptr, "supplier");
        if ((rc = sbj_string(&c->supplier, sb, supplier, "name", p, err)) != 0)
            return rc;
    }
    if (manufacturer != NULL) {
        sbj_ptr_key(p, ptr, "manufacturer");
        if ((rc = sbj_string(&c->manufacturer, sb, manufacturer, "name", p, err)) != 0)
            return rc;
    }
    if ((rc = read_hashes(sb, ci, m[M_HASHES], ptr, err)) != 0)
        return rc;
    return read_licenses(sb, ci, m[M_LICENSES], ptr, err);
}

/* The components array member (NULL when absent) of the object at ptr. */
static int read_components(xsirt_sbom *sb, json_t *member, const char *ptr, size_t parent,
                           unsigned depth, xsirt_error *err)
{
    json_t *arr, *v;
    size_t i, ci;
    int rc = sbj_array_member(&arr, member, "components", ptr, XSIRT_LIMIT_SBOM_COMPONENTS,
                              err);
    char p[XSIRT_ERROR_POINTER_MAX], base[XSIRT_ERROR_POINTER_MAX];

    if (rc != 0 || arr == NULL)
        return rc;
    if ((rc = sb_reserve_components(sb, json_array_size(arr), err)) != 0) {
        sb_where_pointer(err, ptr);
        return rc;
    }
    sbj_ptr_key(base, ptr, "components");
    json_array_foreach(arr, i, v) {
        sbj_ptr_index(p, base, i);
        if ((rc = read_component(sb, v, p, parent, depth, &ci, err)) != 0)
            return rc;
    }
    return 0;
}

static int read_component(xsirt_sbom *sb, json_t *obj, const char *ptr, size_t parent,
                          unsigned depth, size_t *index, xsirt_error *err)
{
    json_t *m[M_COUNT];
    int rc;

    if (depth >= XSIRT_LIMIT_DEPTH)
        return xsirt_error_set_pointer(err, XSIRT_ELIMIT, ptr,
                                       "components nested deeper than %u "
                                       "(XSIRT_LIMIT_DEPTH)", XSIRT_LIMIT_DEPTH);
    if ((rc = sbj_expect_object(obj, ptr, err)) != 0)
        return rc;
    if ((rc = sb_component(sb, index, err)) != 0) {
        sb_where_pointer(err, ptr);
        return rc;
    }
    sb->components[*index].parent = parent;
    sb->components[*index].depth = depth;
    sbj_members(obj, member_names, M_COUNT, m);
    if ((rc = read_fields(sb, *index, m, ptr, err)) != 0)
        return rc;
    return read_components(sb, m[M_COMPONENTS], ptr, *index, depth + 1, err);
}

/* dependencies[]: {"ref", "dependsOn": [refs], "provides": [refs]}. */
static int read_targets(xsirt_sbom *sb, json_t *dep, const char *from, const char *key,
                        xsirt_sbom_edge_kind kind, const char *ptr, xsirt_error *err)
{
    json_t *arr, *v;
    size_t i;
    const char *to, *rel;
    int rc = sbj_array(&arr, dep, key, ptr, XSIRT_LIMIT_SBOM_EDGES, err);
    char p[XSIRT_ERROR_POINTER_MAX], base[XSIRT_ERROR_POINTER_MAX];

    if (rc != 0 || arr == NULL)
        return rc;
    if ((rel = sb_str(sb, key)) == NULL)
        return sb_nomem(err);
    sbj_ptr_key(base, ptr, key);
    json_array_foreach(arr, i, v) {
        sbj_ptr_index(p, base, i);
        if ((rc = sbj_string_at(&to, sb, v, p, err)) != 0)
            return rc;
        if ((rc = sb_edge(sb, from, to, kind, rel, err)) != 0) {
            sb_where_pointer(err, p);
            return rc;
        }
    }
    return 0;
}

static int read_dependencies(xsirt_sbom *sb, json_t *root, xsirt_error *err)
{
    json_t *arr, *dep;
    size_t i;
    const char *from;
    int rc = sbj_array(&arr, root, "dependencies", "", XSIRT_LIMIT_SBOM_EDGES, err);
    char p[XSIRT_ERROR_POINTER_MAX];

    if (rc != 0 || arr == NULL)
        return rc;
    json_array_foreach(arr, i, dep) {
        sbj_ptr_index(p, "/dependencies", i);
        if ((rc = sbj_expect_object(dep, p, err)) != 0 ||
            (rc = sbj_string(&from, sb, dep, "ref", p, err)) != 0)
            return rc;
        if (from == NULL)
            return xsirt_error_set_pointer(err, XSIRT_EINVAL, p,
                                           "dependency has no \"ref\"");
        if ((rc = read_targets(sb, dep, from, "dependsOn", XSIRT_SBOM_EDGE_DEPENDS_ON, p,
                               err)) != 0 ||
            (rc = read_targets(sb, dep, from, "provides", XSIRT_SBOM_EDGE_OTHER, p,
                               err)) != 0)
            return rc;
    }
    return 0;
}

/* ---- vulnerabilities (VEX) ---- */

static int read_rating(xsirt_sbom *sb, size_t vi, json_t *r, const char *p,
                       xsirt_error *err)
{
    xsirt_sbom_rating rating = {0};
    json_t *src, *score;
    char sp[XSIRT_ERROR_POINTER_MAX];
    int rc;

    if ((rc = sbj_expect_object(r, p, err)) != 0 ||
        (rc = sbj_object(&src, r, "source", p, err)) != 0 ||
        (rc = sbj_string(&rating.method, sb, r, "method", p, err)) != 0 ||
        (rc = sbj_string(&rating.vector, sb, r, "vector", p, err)) != 0 ||
        (rc = sbj_string(&rating.severity, sb, r, "severity", p, err)) != 0)
        return rc;
    if (src != NULL) {
        sbj_ptr_key(sp, p, "source");
        if ((rc = sbj_string(&rating.source, sb, src, "name", sp, err)) != 0)
            return rc;
    }
    score = json_object_get(r, "score");
    if (score != NULL && !json_is_null(score)) {
        if (!json_is_number(score)) {
            sbj_ptr_key(sp, p, "score");
            return xsirt_error_set_pointer(err, XSIRT_EINVAL, sp,
                                           "expected number, found %s",
                                           json_is_string(score) ? "string" : "other");
        }
        rating.score = json_number_value(score);
        rating.has_score = true;
    }
    if ((rc = sb_push_rating(&sb->vulnerabilities[vi], &rating, err)) != 0)
        sb_where_pointer(err, p);
    return rc;
}

static int read_ratings(xsirt_sbom *sb, size_t vi, json_t *v, const char *ptr,
                        xsirt_error *err)
{
    json_t *arr, *r;
    size_t i;
    int rc = sbj_array(&arr, v, "ratings", ptr, XSIRT_LIMIT_SBOM_LIST, err);
    char p[XSIRT_ERROR_POINTER_MAX], base[XSIRT_ERROR_POINTER_MAX];

    if (rc != 0 || arr == NULL)
        return rc;
    sbj_ptr_key(base, ptr, "ratings");
    json_array_foreach(arr, i, r) {
        sbj_ptr_index(p, base, i);
        if ((rc = read_rating(sb, vi, r, p, err)) != 0)
            return rc;
    }
    return 0;
}

static int read_affects(xsirt_sbom *sb, size_t vi, json_t *v, const char *ptr,
                        xsirt_error *err)
{
    json_t *arr, *a;
    size_t i;
    const char *ref;
    int rc = sbj_array(&arr, v, "affects", ptr, XSIRT_LIMIT_SBOM_LIST, err);
    char p[XSIRT_ERROR_POINTER_MAX], base[XSIRT_ERROR_POINTER_MAX];

    if (rc != 0 || arr == NULL)
        return rc;
    sbj_ptr_key(base, ptr, "affects");
    json_array_foreach(arr, i, a) {
        xsirt_sbom_vulnerability *vu;
        sbj_ptr_index(p, base, i);
        if ((rc = sbj_expect_object(a, p, err)) != 0 ||
            (rc = sbj_string(&ref, sb, a, "ref", p, err)) != 0)
            return rc;
        if (ref == NULL)
            return xsirt_error_set_pointer(err, XSIRT_EINVAL, p,
                                           "affected target has no \"ref\"");
        vu = &sb->vulnerabilities[vi];
        if ((rc = sb_push_str(&vu->affects, &vu->affect_count, ref,
                              "affected refs (XSIRT_LIMIT_SBOM_LIST)", err)) != 0) {
            sb_where_pointer(err, p);
            return rc;
        }
    }
    return 0;
}

static int read_analysis(xsirt_sbom *sb, size_t vi, json_t *v, const char *ptr,
                         xsirt_error *err)
{
    xsirt_sbom_vulnerability *vu = &sb->vulnerabilities[vi];
    json_t *an, *arr, *r;
    size_t i;
    const char *s;
    char ap[XSIRT_ERROR_POINTER_MAX], base[XSIRT_ERROR_POINTER_MAX];
    char p[XSIRT_ERROR_POINTER_MAX];
    int rc = sbj_object(&an, v, "analysis", ptr, err);

    if (rc != 0 || an == NULL)
        return rc;
    sbj_ptr_key(ap, ptr, "analysis");
    if ((rc = sbj_string(&vu->state, sb, an, "state", ap, err)) != 0 ||
        (rc = sbj_string(&vu->justification, sb, an, "justification", ap, err)) != 0 ||
        (rc = sbj_string(&vu->detail, sb, an, "detail", ap, err)) != 0 ||
        (rc = sbj_array(&arr, an, "response", ap, XSIRT_LIMIT_SBOM_LIST, err)) != 0)
        return rc;
    if (arr == NULL)
        return 0;
    sbj_ptr_key(base, ap, "response");
    json_array_foreach(arr, i, r) {
        sbj_ptr_index(p, base, i);
        if ((rc = sbj_string_at(&s, sb, r, p, err)) != 0 ||
            (rc = sb_push_str(&vu->responses, &vu->response_count, s,
                              "responses (XSIRT_LIMIT_SBOM_LIST)", err)) != 0)
            return rc;
    }
    return 0;
}

static int read_vulnerability(xsirt_sbom *sb, json_t *v, const char *p, xsirt_error *err)
{
    xsirt_sbom_vulnerability *vu;
    json_t *src;
    size_t vi;
    char sp[XSIRT_ERROR_POINTER_MAX];
    int rc;

    if ((rc = sbj_expect_object(v, p, err)) != 0)
        return rc;
    if ((rc = sb_vulnerability(sb, &vi, err)) != 0) {
        sb_where_pointer(err, p);
        return rc;
    }
    vu = &sb->vulnerabilities[vi];
    if ((rc = sbj_string(&vu->ref, sb, v, "bom-ref", p, err)) != 0 ||
        (rc = sbj_string(&vu->id, sb, v, "id", p, err)) != 0 ||
        (rc = sbj_object(&src, v, "source", p, err)) != 0)
        return rc;
    if (src != NULL) {
        sbj_ptr_key(sp, p, "source");
        if ((rc = sbj_string(&vu->source_name, sb, src, "name", sp, err)) != 0 ||
            (rc = sbj_string(&vu->source_url, sb, src, "url", sp, err)) != 0)
            return rc;
    }
    if ((rc = read_ratings(sb, vi, v, p, err)) != 0 ||
        (rc = read_affects(sb, vi, v, p, err)) != 0)
        return rc;
    return read_analysis(sb, vi, v, p, err);
}

static int read_vulnerabilities(xsirt_sbom *sb, json_t *root, xsirt_error *err)
{
    json_t *arr, *v;
    size_t i;
    int rc = sbj_array(&arr, root, "vulnerabilities", "",
                       XSIRT_LIMIT_SBOM_VULNERABILITIES, err);
    char p[XSIRT_ERROR_POINTER_MAX];

    if (rc != 0 || arr == NULL)
        return rc;
    json_array_foreach(arr, i, v) {
        sbj_ptr_index(p, "/vulnerabilities", i);
        if ((rc = read_vulnerability(sb, v, p, err)) != 0)
            return rc;
    }
    return 0;
}

/* ---- the document ---- */

static int read_header(xsirt_sbom *sb, json_t *root, xsirt_error *err)
{
    const char *format, *version;
    char q[XSIRT_LIMIT_QUOTE + 8];
    int rc;

    if ((rc = sbj_expect_object(root, "", err)) != 0 ||
        (rc = sbj_string(&format, sb, root, "bomFormat", "", err)) != 0 ||
        (rc = sbj_string(&version, sb, root, "specVersion", "", err)) != 0 ||
        (rc = sbj_string(&sb->serial, sb, root, "serialNumber", "", err)) != 0)
        return rc;
    if (format == NULL || strcmp(format, "CycloneDX") != 0) {
        xsirt_quote(q, sizeof q, format ? format : "", format ? strlen(format) : 0);
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, "/bomFormat",
                                       "expected \"CycloneDX\", found %s",
                                       format ? q : "nothing");
    }
    if (version == NULL)
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, "/specVersion",
                                       "missing: CycloneDX needs a specVersion");
    for (size_t i = 0; i < sizeof cdx_versions / sizeof cdx_versions[0]; i++)
        if (strcmp(version, cdx_versions[i]) == 0) {
            sb->spec_version = version;
            return 0;
        }
    xsirt_quote(q, sizeof q, version, strlen(version));
    return xsirt_error_set_pointer(err, XSIRT_EUNSUPPORTED, "/specVersion",
                                   "CycloneDX %s is not supported (1.2 to 1.6 are)", q);
}

int sb_cyclonedx_json_read(xsirt_sbom *sb, json_t *root, xsirt_error *err)
{
    json_t *meta, *subject;
    size_t ci;
    int rc;

    if ((rc = read_header(sb, root, err)) != 0 ||
        (rc = sbj_object(&meta, root, "metadata", "", err)) != 0)
        return rc;
    if (meta != NULL) {
        if ((rc = sbj_object(&subject, meta, "component", "/metadata", err)) != 0)
            return rc;
        if (subject != NULL) {
            if ((rc = read_component(sb, subject, "/metadata/component", XSIRT_SBOM_NONE,
                                     0, &ci, err)) != 0)
                return rc;
            sb->subject = ci;
        }
    }
    if ((rc = read_components(sb, json_object_get(root, "components"), "", XSIRT_SBOM_NONE, 0,
                              err)) != 0 ||
        (rc = read_dependencies(sb, root, err)) != 0)
        return rc;
    return read_vulnerabilities(sb, root, err);
}
