/*
 * output_json.c — the stable JSON report of a scan (docs/matching.md):
 * {"findings":[{component, vulnerability, matchedBy, range, vex?}],
 * "stats":{...}} and, with XSIRT_MATCH_OUT_SUPPRESSED, "suppressed": the
 * findings a VEX statement suppresses, each with "suppressedBy". With
 * XSIRT_MATCH_OUT_INLINE those stay inside "findings" instead: the shape
 * xsirt_vex_apply and the report writers read. The VEX objects are built
 * by the same function as xsirt_vex_apply's (formats/vex_internal.h).
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "formats/vex_internal.h"
#include "match/apply_vex.h"
#include "xsirt/cvss.h"
#include "xsirt/match.h"

static json_t *oj_str(const char *s)
{
    return s != NULL ? json_string(s) : json_null();
}

static json_t *oj_strs(const char *const *a, size_t n)
{
    json_t *arr = json_array();

    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, json_string(a[i]));
    return arr;
}

static json_t *oj_vulnerability(const xsirt_findings_record *fr)
{
    const xsirt_match_record *r = &fr->rec;
    json_t *v = json_object(), *sev = json_object(), *cvss = json_array();

    for (size_t i = 0; i < r->n_severities; i++) {
        const char *vec = r->severity_vectors[i];
        xsirt_cvss c;
        char *text = NULL;
        json_t *o;
        if (xsirt_cvss_parse(&c, vec, strlen(vec), NULL) != 0 ||
            xsirt_cvss_to_json(&text, &c, 0, NULL) != 0)
            continue;   /* not a CVSS vector (another severity type) */
        if ((o = json_loads(text, 0, NULL)) != NULL)
            json_array_append_new(cvss, o);
        free(text);
    }
    json_object_set_new(sev, "cvss", cvss);
    json_object_set_new(sev, "rating", json_string(xsirt_match_severity_name(fr->rating)));
    json_object_set_new(v, "id", json_string(r->id));
    json_object_set_new(v, "aliases", oj_strs(r->aliases, r->n_aliases));
    json_object_set_new(v, "summary", r->summary[0] != '\0' ? json_string(r->summary) : json_null());
    json_object_set_new(v, "severity", sev);
    json_object_set_new(v, "kev", json_boolean(r->kev));
    json_object_set_new(v, "epss", r->has_epss ? json_real(r->epss) : json_null());
    json_object_set_new(v, "fixed", oj_strs(r->fixed, r->n_fixed));
    return v;
}

/* "suppressedBy" (suppressed) or "vex" (annotated): the statement that
 * applied, its document and file, in the shape xsirt_vex_apply writes. */
static void oj_vex(json_t *o, const xsirt_findings *f, const xsirt_finding *fd)
{
    xsirt_match_vex_view v;
    json_t *a;

    if (!xsirt_match_vex_view_get(&v, f, fd) ||
        (a = xsirt_vex_annotation_json(v.document, v.statement, v.source)) == NULL)
        return;
    json_object_set_new(o, fd->suppressed ? "suppressedBy" : "vex", a);
}

static json_t *oj_finding(const xsirt_findings *f, json_t **vulns, const xsirt_finding *fd)
{
    const xsirt_sbom_component *c = &f->sbom->components[fd->component];
    json_t *o = json_object(), *comp = json_object();

    json_object_set_new(comp, "name", oj_str(c->name));
    json_object_set_new(comp, "version", oj_str(c->version));
    json_object_set_new(comp, "purl", oj_str(c->purl));
    json_object_set_new(comp, "cpe", oj_str(c->cpe));
    json_object_set_new(comp, "bomRef", oj_str(c->ref));
    json_object_set_new(o, "component", comp);
    /* One object per record, shared by its findings (jansson counts
     * references): a record matching a thousand components is built once. */
    if (vulns[fd->record] == NULL)
        vulns[fd->record] = oj_vulnerability(&f->records[fd->record]);
    json_object_set(o, "vulnerability", vulns[fd->record]);
    json_object_set_new(o, "matchedBy", json_string(fd->matched_by));
    json_object_set_new(o, "range", json_string(fd->range));
    oj_vex(o, f, fd);
    return o;
}

static json_t *oj_stats(const xsirt_findings *f)
{
    const xsirt_findings_stats *s = &f->stats;
    json_t *o = json_object(), *sev = json_object();

    for (int i = XSIRT_MATCH_SEV_UNKNOWN; i <= XSIRT_MATCH_SEV_CRITICAL; i++)
        json_object_set_new(sev, xsirt_match_severity_name((xsirt_match_severity)i),
                            json_integer((json_int_t)s->by_severity[i]));
    json_object_set_new(o, "components", json_integer((json_int_t)s->components));
    json_object_set_new(o, "withPurl", json_integer((json_int_t)s->with_purl));
    json_object_set_new(o, "withCpeOnly", json_integer((json_int_t)s->with_cpe_only));
    json_object_set_new(o, "withoutIdentifier", json_integer((json_int_t)s->without_identifier));
    json_object_set_new(o, "unsupportedType", json_integer((json_int_t)s->unsupported_type));
    json_object_set_new(o, "withoutVersion", json_integer((json_int_t)s->without_version));
    json_object_set_new(o, "invalid", json_integer((json_int_t)s->invalid));
    json_object_set_new(o, "findings", json_integer((json_int_t)s->findings));
    json_object_set_new(o, "suppressed", json_integer((json_int_t)s->suppressed));
    json_object_set_new(o, "annotated", json_integer((json_int_t)s->annotated));
    json_object_set_new(o, "bySeverity", sev);
    return o;
}

int xsirt_match_write_json(char **out, const xsirt_findings *f, unsigned flags,
                           xsirt_error *err)
{
    json_t *root = json_object(), *items = json_array(), *supp = NULL;
    json_t **vulns = calloc(f->n_records ? f->n_records : 1, sizeof *vulns);
    char *text;
    size_t len;

    *out = NULL;
    if (vulns == NULL) {
        json_decref(root);
        json_decref(items);
        return xsirt_error_set(err, XSIRT_ENOMEM, "json: out of memory");
    }
    if (flags & XSIRT_MATCH_OUT_INLINE)
        supp = json_incref(items);
    else if (flags & XSIRT_MATCH_OUT_SUPPRESSED)
        supp = json_array();
    for (size_t i = 0; i < f->count; i++) {
        const xsirt_finding *fd = &f->items[i];
        if (!fd->suppressed)
            json_array_append_new(items, oj_finding(f, vulns, fd));
        else if (supp != NULL)
            json_array_append_new(supp, oj_finding(f, vulns, fd));
    }
    json_object_set_new(root, "findings", items);
    if (supp != NULL && supp != items)
        json_object_set_new(root, "suppressed", supp);
    else
        json_decref(supp);
    json_object_set_new(root, "stats", oj_stats(f));
    text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
    json_decref(root);
    for (size_t i = 0; i < f->n_records; i++)
        json_decref(vulns[i]);
    free(vulns);
    if (text == NULL)
        return xsirt_error_set(err, XSIRT_ENOMEM, "json: out of memory");
    /* A copy, not realloc: gcc 12 reads free(text) on realloc's failure
     * path as a use after free (-Wuse-after-free). */
    len = strlen(text);
    *out = malloc(len + 2);
    if (*out != NULL) {
        memcpy(*out, text, len);
        (*out)[len] = '\n';
        (*out)[len + 1] = '\0';
    }
    free(text);
    return *out != NULL ? 0 : xsirt_error_set(err, XSIRT_ENOMEM, "json: out of memory");
}
