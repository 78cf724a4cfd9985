/*
 * output_json.c — the stable JSON report of a scan (docs/matching.md,
 * docs/reports.md), streamed: each finding is written as the findings
 * array is walked, never as one document tree.
 *
 * Version 2 (the default) writes each vulnerability once, in a
 * "vulnerabilities" object keyed by id that findings name (as SARIF rules
 * are named by results): a record matching ten thousand components is one
 * entry, not ten thousand copies.
 *   {"version":2,"findings":[{component, vulnerability: ID, matchedBy,
 *    range, name?, vex?}], "suppressed"?: [...], "vulnerabilities":
 *    {ID: {...}}, "stats": {...}}
 * "name" says how a finding by vendor and product name was made.
 * Version 1 (XSIRT_MATCH_OUT_JSON_V1), the shape before it, repeats the
 * whole vulnerability in every finding and has no "version" member.
 * With XSIRT_MATCH_OUT_SUPPRESSED the findings a VEX statement suppresses
 * are listed in "suppressed", each with "suppressedBy"; with
 * XSIRT_MATCH_OUT_INLINE they stay inside "findings" instead (the shape
 * xsirt_vex_apply and the report writers read).
 */
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "formats/jsonw.h"
#include "formats/vex_internal.h"
#include "match/apply_vex.h"
#include "match/output.h"
#include "match/strmap.h"
#include "xsirt/cvss.h"
#include "xsirt/limits.h"
#include "xsirt/match.h"

static json_t *oj_strs(const char *const *a, size_t n)
{
    json_t *arr = json_array();

    for (size_t i = 0; arr != NULL && i < n; i++)
        if (json_array_append_new(arr, json_string(a[i])) != 0) {
            json_decref(arr);
            return NULL;
        }
    return arr;
}

/* A CSAF record's remediations (vendor fixes, mitigations, workarounds:
 * for OT often the only fix), read from the advisory it was built from:
 * [{"category", "details", "url"?}], NULL for other formats. */
static json_t *oj_document(xsirt_match_docs *d, const xsirt_match_record *r)
{
    json_t *doc;

    for (size_t i = d->n; i > 0; i--)   /* newest first: records of one advisory cluster */
        if (d->ptr[i - 1] == r->document)
            return d->doc[i - 1];
    if ((doc = json_loadb(r->document, r->document_len, 0, NULL)) == NULL)
        return NULL;
    if (d->n == d->cap) {
        size_t nc = d->cap ? d->cap * 2 : 16;
        const char **p = realloc(d->ptr, nc * sizeof *p);
        json_t **j = p != NULL ? realloc(d->doc, nc * sizeof *j) : NULL;
        if (p != NULL)
            d->ptr = p;
        if (j == NULL) {
            json_decref(doc);
            return NULL;
        }
        d->doc = j;
        d->cap = nc;
    }
    d->ptr[d->n] = r->document;
    d->doc[d->n++] = doc;
    return doc;
}

void xsirt_match_docs_free(xsirt_match_docs *d)
{
    for (size_t i = 0; i < d->n; i++)
        json_decref(d->doc[i]);
    free(d->ptr);
    free(d->doc);
}

static json_t *oj_remediations(xsirt_match_docs *docs, const xsirt_match_record *r)
{
    json_t *doc, *vul, *out = NULL;
    size_t i;

    if (r->format != XSIRT_VULN_CSAF || r->document == NULL ||
        (doc = oj_document(docs, r)) == NULL)
        return NULL;
    json_array_foreach(json_object_get(doc, "vulnerabilities"), i, vul) {
        json_t *rem, *cve = json_object_get(vul, "cve");
        size_t j;
        if (!json_is_string(cve) || strcmp(json_string_value(cve), r->id) != 0)
            continue;
        out = json_array();
        json_array_foreach(json_object_get(vul, "remediations"), j, rem) {
            json_t *o = json_object(), *cat = json_object_get(rem, "category");
            json_t *details = json_object_get(rem, "details"), *url = json_object_get(rem, "url");
            json_object_set(o, "category", json_is_string(cat) ? cat : json_null());
            json_object_set(o, "details", json_is_string(details) ? details : json_null());
            if (json_is_string(url))
                json_object_set(o, "url", url);
            json_array_append_new(out, o);
        }
        break;
    }
    return out;
}

json_t *xsirt_match_vuln_json(const xsirt_findings_record *fr, xsirt_match_docs *docs)
{
    const xsirt_match_record *r = &fr->rec;
    json_t *v = json_object(), *sev = json_object(), *cvss = json_array();

    if (v == NULL || sev == NULL || cvss == NULL) {
        json_decref(v);
        json_decref(sev);
        json_decref(cvss);
        return NULL;
    }
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
    if (docs != NULL) {
        json_t *rem = oj_remediations(docs, r);
        if (rem != NULL)
            json_object_set_new(v, "remediations", rem);
    }
    return v;
}

json_t *xsirt_match_vex_json(const xsirt_findings *f, const xsirt_finding *fd)
{
    xsirt_match_vex_view v;

    if (!xsirt_match_vex_view_get(&v, f, fd))
        return NULL;
    return xsirt_vex_annotation_json(v.document, v.statement, v.source);
}

/* How a finding by name was made: {vendor, product, rule, fixedIn?,
 * confidence} (docs/matching.md). */
static json_t *oj_name(const xsirt_finding *fd)
{
    /* "VENDOR:PRODUCT" as normalised: neither holds a colon */
    const char *colon = strchr(fd->name_match, ':');
    json_t *n = json_object();

    if (n == NULL)
        return NULL;
    if (colon != NULL) {
        json_object_set_new(n, "vendor",
                            json_stringn(fd->name_match, (size_t)(colon - fd->name_match)));
        json_object_set_new(n, "product", json_string(colon + 1));
    }
    json_object_set_new(n, "rule", json_string(fd->name_rule));
    if (fd->fixed != NULL)
        json_object_set_new(n, "fixedIn", json_string(fd->fixed));
    json_object_set_new(n, "confidence", json_real(fd->confidence));
    return n;
}

typedef struct oj_ctx {
    xsirt_jsonw *w;
    const xsirt_findings *f;
    unsigned flags;
    json_t **v1_vulns;     /* version 1: each record's object, built once */
    unsigned char *used;   /* version 2: records some written finding names */
    xsirt_match_docs docs; /* the CSAF advisories remediations are read from */
} oj_ctx;

static void oj_finding(oj_ctx *c, const xsirt_finding *fd)
{
    const xsirt_sbom_component *comp = &c->f->sbom->components[fd->component];
    const xsirt_findings_record *fr = &c->f->records[fd->record];
    xsirt_jsonw *w = c->w;
    json_t *vex;

    xsirt_jsonw_begin(w, '{');
    xsirt_jsonw_key(w, "component");
    xsirt_jsonw_begin(w, '{');
    xsirt_jsonw_kstring(w, "name", comp->name);
    xsirt_jsonw_kstring(w, "version", comp->version);
    xsirt_jsonw_kstring(w, "purl", comp->purl);
    xsirt_jsonw_kstring(w, "cpe", comp->cpe);
    xsirt_jsonw_kstring(w, "bomRef", comp->ref);
    if (comp->manufacturer != NULL || comp->supplier != NULL)
        xsirt_jsonw_kstring(w, "vendor",
                            comp->manufacturer != NULL ? comp->manufacturer : comp->supplier);
    xsirt_jsonw_end(w, '}');
    if (c->v1_vulns != NULL) {
        /* one object per record, shared by its findings: a record matching
         * a thousand components is built once */
        if (c->v1_vulns[fd->record] == NULL)
            c->v1_vulns[fd->record] = xsirt_match_vuln_json(fr, &c->docs);
        xsirt_jsonw_kvalue_new(w, "vulnerability", json_incref(c->v1_vulns[fd->record]));
    } else {
        c->used[fd->record] = 1;
        xsirt_jsonw_kstring(w, "vulnerability", fr->rec.id);
    }
    xsirt_jsonw_kstring(w, "matchedBy", fd->matched_by);
    xsirt_jsonw_kstring(w, "range", fd->range);
    if (fd->name_match != NULL)
        xsirt_jsonw_kvalue_new(w, "name", oj_name(fd));
    if ((vex = xsirt_match_vex_json(c->f, fd)) != NULL)
        xsirt_jsonw_kvalue_new(w, fd->suppressed ? "suppressedBy" : "vex", vex);
    xsirt_jsonw_end(w, '}');
}

/* The findings, suppressed or not, into the array open at w. */
static void oj_findings(oj_ctx *c, bool suppressed)
{
    for (size_t i = 0; i < c->f->count && c->w->rc == 0; i++)
        if (c->f->items[i].suppressed == suppressed)
            oj_finding(c, &c->f->items[i]);
}

/* Version 2's vulnerabilities, each named by some written finding, once
 * per id (the first record of an id speaks for it). */
static int oj_vulnerabilities(oj_ctx *c)
{
    xsirt_strmap ids;
    int rc = 0;

    xsirt_strmap_init(&ids);
    xsirt_jsonw_key(c->w, "vulnerabilities");
    xsirt_jsonw_begin(c->w, '{');
    for (size_t r = 0; rc == 0 && c->w->rc == 0 && r < c->f->n_records; r++) {
        const char *id = c->f->records[r].rec.id;
        bool found;
        uint32_t stored;
        if (!c->used[r])
            continue;
        if ((rc = xsirt_strmap_put(&ids, id, strlen(id), 0, &stored, &found)) != 0 || found)
            continue;
        xsirt_jsonw_kvalue_new(c->w, id, xsirt_match_vuln_json(&c->f->records[r], &c->docs));
    }
    xsirt_jsonw_end(c->w, '}');
    xsirt_strmap_free(&ids);
    return rc;
}

static void oj_stats(xsirt_jsonw *w, const xsirt_findings *f)
{
    const xsirt_findings_stats *s = &f->stats;

    xsirt_jsonw_key(w, "stats");
    xsirt_jsonw_begin(w, '{');
    xsirt_jsonw_kint(w, "components", (long long)s->components);
    xsirt_jsonw_kint(w, "withPurl", (long long)s->with_purl);
    xsirt_jsonw_kint(w, "withCpeOnly", (long long)s->with_cpe_only);
    xsirt_jsonw_kint(w, "withoutIdentifier", (long long)s->without_identifier);
    xsirt_jsonw_kint(w, "byName", (long long)s->by_name);
    xsirt_jsonw_kint(w, "unsupportedType", (long long)s->unsupported_type);
    xsirt_jsonw_kint(w, "withoutVersion", (long long)s->without_version);
    xsirt_jsonw_kint(w, "invalid", (long long)s->invalid);
    xsirt_jsonw_kint(w, "findings", (long long)s->findings);
    xsirt_jsonw_kint(w, "suppressed", (long long)s->suppressed);
    xsirt_jsonw_kint(w, "annotated", (long long)s->annotated);
    xsirt_jsonw_key(w, "bySeverity");
    xsirt_jsonw_begin(w, '{');
    for (int i = XSIRT_MATCH_SEV_UNKNOWN; i <= XSIRT_MATCH_SEV_CRITICAL; i++)
        xsirt_jsonw_kint(w, xsirt_match_severity_name((xsirt_match_severity)i),
                         (long long)s->by_severity[i]);
    xsirt_jsonw_end(w, '}');
    xsirt_jsonw_end(w, '}');
}

static int oj_write(oj_ctx *c)
{
    xsirt_jsonw *w = c->w;
    int rc = 0;

    xsirt_jsonw_begin(w, '{');
    if (c->v1_vulns == NULL)
        xsirt_jsonw_kint(w, "version", 2);
    xsirt_jsonw_key(w, "findings");
    xsirt_jsonw_begin(w, '[');
    for (size_t i = 0; i < c->f->count && w->rc == 0; i++)
        if (!c->f->items[i].suppressed || (c->flags & XSIRT_MATCH_OUT_INLINE))
            oj_finding(c, &c->f->items[i]);
    xsirt_jsonw_end(w, ']');
    if ((c->flags & XSIRT_MATCH_OUT_SUPPRESSED) && !(c->flags & XSIRT_MATCH_OUT_INLINE)) {
        xsirt_jsonw_key(w, "suppressed");
        xsirt_jsonw_begin(w, '[');
        oj_findings(c, true);
        xsirt_jsonw_end(w, ']');
    }
    if (c->v1_vulns == NULL)
        rc = oj_vulnerabilities(c);
    oj_stats(w, c->f);
    xsirt_jsonw_end(w, '}');
    xsirt_jsonw_raw(w, "\n", 1);
    return rc;
}

int xsirt_match_stream_json(const xsirt_findings *f, unsigned flags, xsirt_match_write_fn sink,
                            void *ctx, xsirt_error *err)
{
    size_t n = f->n_records ? f->n_records : 1;
    xsirt_jsonw *w = malloc(sizeof *w);
    oj_ctx c = {w, f, flags, NULL, NULL, {NULL, NULL, 0, 0}};
    int rc, frc;

    if (flags & XSIRT_MATCH_OUT_JSON_V1)
        c.v1_vulns = calloc(n, sizeof *c.v1_vulns);
    else
        c.used = calloc(n, 1);
    if (w == NULL || (c.v1_vulns == NULL && c.used == NULL)) {
        free(w);
        free(c.used);
        free(c.v1_vulns);
        return xsirt_error_set(err, XSIRT_ENOMEM, "json: out of memory");
    }
    xsirt_jsonw_init(w, sink, ctx, 2, 6, err);
    if ((rc = oj_write(&c)) != 0)
        rc = xsirt_error_set(err, rc, "json: out of memory");
    frc = xsirt_jsonw_finish(w);
    if (rc == 0)
        rc = frc;
    for (size_t i = 0; c.v1_vulns != NULL && i < f->n_records; i++)
        json_decref(c.v1_vulns[i]);
    free(c.v1_vulns);
    free(c.used);
    xsirt_match_docs_free(&c.docs);
    free(w);
    return rc;
}

int xsirt_match_as_text(char **out, xsirt_match_stream_fn stream, const xsirt_findings *f,
                        unsigned flags, xsirt_error *err)
{
    xsirt_buf b;
    int rc;

    xsirt_buf_init(&b, XSIRT_LIMIT_REPORT_TEXT);
    rc = stream(f, flags, xsirt_jsonw_sink_buf, &b, err);
    if (rc == 0 && (*out = xsirt_buf_detach(&b)) == NULL)
        rc = xsirt_error_set(err, XSIRT_ENOMEM, "out of memory writing a report");
    if (rc != 0)
        *out = NULL;
    xsirt_buf_free(&b);
    return rc;
}

int xsirt_match_write_json(char **out, const xsirt_findings *f, unsigned flags,
                           xsirt_error *err)
{
    return xsirt_match_as_text(out, xsirt_match_stream_json, f, flags, err);
}
