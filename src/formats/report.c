/*
 * report.c — the report writers' entry point and what they share: reading
 * the findings JSON into sorted views, choosing the CVSS object and the
 * severity to report, reference URLs for vulnerability ids.
 *
 * The findings are sorted (vulnerability id, purl, name, version, bom-ref,
 * input position) before any writer sees them, so every format lists
 * things in one deterministic order whatever order the engine produced.
 */
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "formats/report_internal.h"
#include "xsirt/limits.h"

#ifndef XSIRT_VERSION_STRING
#define XSIRT_VERSION_STRING "0.0.0"
#endif

static const char *const formats[] = {"sarif", "cyclonedx", "openvex", NULL};
static const rp_writer writers[] = {rp_write_sarif, rp_write_cyclonedx, rp_write_openvex};

const char *const *xsirt_report_formats(void)
{
    return formats;
}

const char *rp_str(const json_t *obj, const char *key)
{
    json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static json_t *rp_arr(const json_t *obj, const char *key)
{
    json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;
    return json_is_array(v) ? v : NULL;
}

static json_t *rp_obj(const json_t *obj, const char *key)
{
    json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;
    return json_is_object(v) ? v : NULL;
}

int rp_push(json_t *arr, json_t *v)
{
    if (v == NULL || json_array_append_new(arr, v) != 0)
        return XSIRT_ENOMEM;
    return 0;
}

int rp_set(json_t *obj, const char *key, json_t *v)
{
    if (v == NULL || json_object_set_new(obj, key, v) != 0)
        return XSIRT_ENOMEM;
    return 0;
}

static int cmp_str(const char *a, const char *b)
{
    return strcmp(a != NULL ? a : "", b != NULL ? b : "");
}

static int cmp_finding(const void *pa, const void *pb)
{
    const rp_finding *a = pa, *b = pb;
    int c;

    if ((a->v != b->v && (c = cmp_str(a->v->vid, b->v->vid)) != 0) ||
        (c = cmp_str(a->purl, b->purl)) != 0 || (c = cmp_str(a->name, b->name)) != 0 ||
        (c = cmp_str(a->version, b->version)) != 0 || (c = cmp_str(a->bom_ref, b->bom_ref)) != 0)
        return c;
    return a->index < b->index ? -1 : a->index > b->index;
}

void rp_sort_items(rp_finding *items, size_t n)
{
    if (n > 1)
        qsort(items, n, sizeof *items, cmp_finding);
}

void rp_findings_sort(rp_findings *f)
{
    rp_sort_items(f->items, f->count);
}

size_t rp_group_end(const rp_findings *f, size_t i)
{
    size_t j = i + 1;

    while (j < f->count && (f->items[j].v == f->items[i].v ||
                            strcmp(f->items[j].v->vid, f->items[i].v->vid) == 0))
        j++;
    return j;
}

/* A vulnerability object's fields; false when it has no id. */
bool rp_vuln_read(rp_vuln *v, json_t *vuln)
{
    json_t *sev = rp_obj(vuln, "severity");

    memset(v, 0, sizeof *v);
    v->vid = rp_str(vuln, "id");
    v->summary = rp_str(vuln, "summary");
    v->aliases = rp_arr(vuln, "aliases");
    v->fixed = rp_arr(vuln, "fixed");
    v->cwes = rp_arr(vuln, "cwes");
    v->references = rp_arr(vuln, "references");
    v->rating = rp_str(sev, "rating");
    v->cvss = rp_arr(sev, "cvss");
    v->kev = json_is_true(json_object_get(vuln, "kev"));
    v->epss = json_object_get(vuln, "epss");
    if (!json_is_number(v->epss))
        v->epss = NULL;
    return v->vid != NULL && v->vid[0] != '\0';
}

/* The vulnerability of a finding: its own object (version 1) or, as a
 * string, the id of an entry of the document's "vulnerabilities" object
 * (version 2: each written once). own is this finding's slot for the
 * first case. */
static int find_vuln(const rp_vuln **out, rp_vuln *own, json_t *item, const rp_findings *all,
                     json_t *by_id, const char *ptr, xsirt_error *err)
{
    json_t *vuln = json_object_get(item, "vulnerability");

    if (json_is_string(vuln) && by_id != NULL) {
        json_t *slot = json_object_get(by_id, json_string_value(vuln));
        if (slot == NULL)
            return xsirt_error_set_pointer(err, XSIRT_EINVAL, ptr,
                                           "vulnerability \"%s\" is not in \"vulnerabilities\"",
                                           json_string_value(vuln));
        *out = &all->vulns[json_integer_value(slot)];
        return 0;
    }
    if (!json_is_object(vuln) || !rp_vuln_read(own, vuln))
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, ptr,
                                       "a finding needs component.name and vulnerability.id strings");
    *out = own;
    return 0;
}

static int read_one(rp_finding *f, json_t *item, size_t i, rp_findings *all, json_t *by_id,
                    xsirt_error *err)
{
    char ptr[64];
    json_t *comp, *vuln;
    int rc;

    snprintf(ptr, sizeof ptr, "/findings/%zu", i);
    if (!json_is_object(item))
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, ptr, "a finding must be an object");
    comp = rp_obj(item, "component");
    vuln = json_object_get(item, "vulnerability");
    if (comp == NULL || !(json_is_object(vuln) || (json_is_string(vuln) && by_id != NULL)))
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, ptr,
                                       "a finding needs \"component\" and \"vulnerability\" objects");
    memset(f, 0, sizeof *f);
    f->index = i;
    f->name = rp_str(comp, "name");
    if (f->name == NULL)
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, ptr,
                                       "a finding needs component.name and vulnerability.id strings");
    if ((rc = find_vuln(&f->v, &all->vulns[all->n_vulns + i], item, all, by_id, ptr, err)) != 0)
        return rc;
    f->version = rp_str(comp, "version");
    f->purl = rp_str(comp, "purl");
    f->bom_ref = rp_str(comp, "bomRef");
    f->cpe = rp_str(comp, "cpe");
    f->matched_by = rp_str(item, "matchedBy");
    f->range = rp_str(item, "range");
    f->suppressed_by = rp_obj(item, "suppressedBy");
    f->vex = rp_obj(item, "vex");
    return 0;
}

/* Version 2's "vulnerabilities" {id: object}: read into all->vulns[0..),
 * *by_id mapping each id to its slot. */
static int read_vulns(rp_findings *all, json_t **by_id, json_t *root, size_t n_findings,
                      xsirt_error *err)
{
    json_t *vulns = rp_obj(root, "vulnerabilities"), *v;
    const char *id;
    size_t n = vulns != NULL ? json_object_size(vulns) : 0;

    *by_id = NULL;
    all->vulns = calloc(n + n_findings > 0 ? n + n_findings : 1, sizeof *all->vulns);
    if (all->vulns == NULL || (vulns != NULL && (*by_id = json_object()) == NULL))
        return xsirt_error_set(err, XSIRT_ENOMEM, "out of memory reading findings");
    json_object_foreach(vulns, id, v) {
        char ptr[64];
        snprintf(ptr, sizeof ptr, "/vulnerabilities/%zu", all->n_vulns);
        if (!json_is_object(v) || !rp_vuln_read(&all->vulns[all->n_vulns], v))
            return xsirt_error_set_pointer(err, XSIRT_EINVAL, ptr,
                                           "a vulnerability must be an object with an id");
        if (json_object_set_new(*by_id, id, json_integer((json_int_t)all->n_vulns++)) != 0)
            return xsirt_error_set(err, XSIRT_ENOMEM, "out of memory reading findings");
    }
    return 0;
}

int rp_findings_read(rp_findings *out, json_t *root, xsirt_error *err)
{
    json_t *arr, *by_id = NULL;
    size_t n;
    int rc = 0;

    memset(out, 0, sizeof *out);
    if (!json_is_object(root) || (arr = rp_arr(root, "findings")) == NULL)
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, "",
                                       "findings must be an object with a \"findings\" array");
    n = json_array_size(arr);
    if (n > XSIRT_LIMIT_REPORT_FINDINGS)
        return xsirt_error_set_pointer(err, XSIRT_ELIMIT, "/findings",
                                       "more than %u findings (XSIRT_LIMIT_REPORT_FINDINGS)",
                                       XSIRT_LIMIT_REPORT_FINDINGS);
    if ((rc = read_vulns(out, &by_id, root, n, err)) == 0 && n > 0 &&
        (out->items = calloc(n, sizeof *out->items)) == NULL)
        rc = xsirt_error_set(err, XSIRT_ENOMEM, "out of memory reading findings");
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = read_one(&out->items[i], json_array_get(arr, i), i, out, by_id, err);
    json_decref(by_id);
    if (rc != 0) {
        rp_findings_free(out);
        return rc;
    }
    out->count = n;
    rp_findings_sort(out);
    return 0;
}

void rp_findings_free(rp_findings *f)
{
    free(f->items);
    free(f->vulns);
    json_decref(f->owned);
    memset(f, 0, sizeof *f);
}

static int cvss_rank(const char *version)
{
    static const char *const order[] = {"2.0", "3.0", "3.1", "4.0"};

    for (int i = 0; i < 4; i++)
        if (version != NULL && strcmp(version, order[i]) == 0)
            return i + 1;
    return 0;
}

json_t *rp_best_cvss(const json_t *cvss)
{
    json_t *best = NULL, *item;
    int best_rank = 0;
    size_t i;

    json_array_foreach(cvss, i, item) {
        json_t *score = json_object_get(item, "baseScore");
        int rank = cvss_rank(rp_str(item, "version"));
        double s;
        if (!json_is_number(score) || rank == 0)
            continue;
        s = json_number_value(score);
        if (!(s >= 0.0 && s <= 10.0))
            continue;
        if (rank > best_rank) {
            best = item;
            best_rank = rank;
        }
    }
    return best;
}

static const char *const severities[] = {"critical", "high", "medium", "low", "none"};

const char *rp_severity(const rp_vuln *v)
{
    json_t *best;
    double s;

    if (v->rating != NULL)
        for (size_t i = 0; i < sizeof severities / sizeof *severities; i++)
            if (xsirt_ascii_casecmp(v->rating, severities[i]) == 0)
                return severities[i];
    if ((best = rp_best_cvss(v->cvss)) == NULL)
        return NULL;
    s = json_number_value(json_object_get(best, "baseScore"));
    if (strcmp(rp_str(best, "version"), "2.0") == 0)   /* NVD's 2.0 bands: no critical */
        return s >= 7.0 ? "high" : s >= 4.0 ? "medium" : "low";
    return s >= 9.0 ? "critical" : s >= 7.0 ? "high" : s >= 4.0 ? "medium" : s > 0.0 ? "low" : "none";
}

double rp_severity_score(const char *severity)
{
    static const double scores[] = {9.5, 8.0, 5.5, 2.0, 0.0};

    for (size_t i = 0; severity != NULL && i < sizeof severities / sizeof *severities; i++)
        if (strcmp(severity, severities[i]) == 0)
            return scores[i];
    return -1.0;
}

int rp_join_fixed(xsirt_buf *b, const json_t *fixed, const char *sep)
{
    json_t *v;
    size_t i;
    int rc, first = 1;

    json_array_foreach(fixed, i, v) {
        if (!json_is_string(v))
            continue;
        if ((!first && (rc = xsirt_buf_puts(b, sep)) != 0) ||
            (rc = xsirt_buf_puts(b, json_string_value(v))) != 0)
            return rc;
        first = 0;
    }
    return 0;
}

static int has_prefix(const char *s, const char *p)
{
    return strncmp(s, p, strlen(p)) == 0;
}

const char *rp_id_source(const char *id)
{
    if (has_prefix(id, "CVE-"))
        return "NVD";
    if (has_prefix(id, "GHSA-"))
        return "GitHub";
    return "OSV";
}

int rp_id_url(xsirt_buf *b, const char *id)
{
    /* Ids go into a URL path: anything but the characters real ids use
     * (letters, digits, '-', '.', '_', ':') is percent-encoded. */
    const char *base = has_prefix(id, "CVE-")    ? "https://nvd.nist.gov/vuln/detail/"
                       : has_prefix(id, "GHSA-") ? "https://github.com/advisories/"
                                                 : "https://osv.dev/vulnerability/";
    int rc = xsirt_buf_puts(b, base);

    for (const unsigned char *p = (const unsigned char *)id; rc == 0 && *p; p++) {
        if (xsirt_is_alnum(*p) || *p == '-' || *p == '.' || *p == '_' || *p == ':')
            rc = xsirt_buf_putc(b, (char)*p);
        else
            rc = xsirt_buf_printf(b, "%%%02X", *p);
    }
    return rc;
}

const char *rp_tool_version(const xsirt_report_options *opts)
{
    return opts != NULL && opts->tool_version != NULL ? opts->tool_version
                                                      : XSIRT_VERSION_STRING;
}

unsigned long long rp_fnv(unsigned long long h, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)(s != NULL ? s : ""); *p; p++) {
        h ^= *p;
        h *= 0x100000001b3ull;
    }
    h ^= 0xff;   /* separator, so that ("ab","c") and ("a","bc") differ */
    return h * 0x100000001b3ull;
}

static int find_writer(size_t *out, const char *format, xsirt_error *err)
{
    size_t i;

    *out = 0;   /* set on every path: gcc -O3 cannot tell the callers use it only on success */
    for (i = 0; formats[i] != NULL; i++)
        if (format != NULL && strcmp(format, formats[i]) == 0) {
            *out = i;
            return 0;
        }
    char q[XSIRT_LIMIT_QUOTE];
    xsirt_quote(q, sizeof q, format != NULL ? format : "", format != NULL ? strlen(format) : 0);
    return xsirt_error_set(err, XSIRT_ENOTFOUND,
                           "unknown report format %s (sarif, cyclonedx, openvex)", q);
}

/* The document of the writer for format into sink; a newline after it
 * when asked (a file or a terminal wants one, the text API never had it). */
static int rp_stream(const char *format, const rp_findings *f, const xsirt_sbom *sbom,
                     const xsirt_report_options *opts, xsirt_report_sink_fn sink, void *ctx,
                     bool newline, xsirt_error *err)
{
    xsirt_jsonw *w;
    size_t i;
    int rc, frc;

    if ((rc = find_writer(&i, format, err)) != 0)
        return rc;
    if ((w = malloc(sizeof *w)) == NULL)
        return xsirt_error_set(err, XSIRT_ENOMEM, "out of memory writing the %s report", format);
    /* 15 significant digits: 9.8 stays 9.8, not 9.8000000000000007. */
    xsirt_jsonw_init(w, sink, ctx,
                     opts != NULL && (opts->flags & XSIRT_REPORT_COMPACT) ? 0 : 2, 15, err);
    rc = writers[i](w, f, sbom, opts, err);
    if (rc == 0 && newline)
        xsirt_jsonw_raw(w, "\n", 1);
    frc = xsirt_jsonw_finish(w);
    if (rc == 0)
        rc = frc;
    free(w);
    return rc;
}

int xsirt_report_stream_view(const char *format, const rp_findings *f, const xsirt_sbom *sbom,
                             const xsirt_report_options *opts, xsirt_report_sink_fn sink,
                             void *ctx, xsirt_error *err)
{
    return rp_stream(format, f, sbom, opts, sink, ctx, true, err);
}

static int stream_value(const char *format, json_t *findings, const xsirt_sbom *sbom,
                        const xsirt_report_options *opts, xsirt_report_sink_fn sink, void *ctx,
                        bool newline, xsirt_error *err)
{
    rp_findings f;
    size_t i;
    int rc;

    if ((rc = find_writer(&i, format, err)) != 0 || (rc = rp_findings_read(&f, findings, err)) != 0)
        return rc;
    rc = rp_stream(format, &f, sbom, opts, sink, ctx, newline, err);
    rp_findings_free(&f);
    return rc;
}

int xsirt_report_write_value(char **out, const char *format, json_t *findings,
                             const xsirt_sbom *sbom, const xsirt_report_options *opts,
                             xsirt_error *err)
{
    xsirt_buf b;
    int rc;

    *out = NULL;
    xsirt_buf_init(&b, XSIRT_LIMIT_REPORT_TEXT);
    rc = stream_value(format, findings, sbom, opts, xsirt_jsonw_sink_buf, &b, false, err);
    if (rc == 0 && (*out = xsirt_buf_detach(&b)) == NULL)
        rc = xsirt_error_set(err, XSIRT_ENOMEM, "out of memory writing the %s report", format);
    xsirt_buf_free(&b);
    return rc;
}

/* The findings text parsed, for both entry points. */
static int parse_findings(json_t **root, const char *findings_json, size_t len, xsirt_error *err)
{
    json_error_t je;

    *root = NULL;
    if (findings_json == NULL)
        return xsirt_error_set(err, XSIRT_EINVAL, "no findings given");
    if (len > XSIRT_LIMIT_FILE)
        return xsirt_error_set(err, XSIRT_ELIMIT, "findings larger than XSIRT_LIMIT_FILE");
    *root = json_loadb(findings_json, len, JSON_REJECT_DUPLICATES, &je);
    if (*root == NULL)
        return xsirt_error_set_at(err, XSIRT_EINVAL, (unsigned long)(je.line > 0 ? je.line : 0),
                                  (unsigned long)(je.column > 0 ? je.column : 0),
                                  "findings: %s", je.text);
    return 0;
}

int xsirt_report_write(char **out, const char *format, const char *findings_json, size_t len,
                       const xsirt_sbom *sbom, const xsirt_report_options *opts,
                       xsirt_error *err)
{
    json_t *root;
    int rc;

    *out = NULL;
    if ((rc = parse_findings(&root, findings_json, len, err)) != 0)
        return rc;
    rc = xsirt_report_write_value(out, format, root, sbom, opts, err);
    json_decref(root);
    return rc;
}

int xsirt_report_stream(const char *format, const char *findings_json, size_t len,
                        const xsirt_sbom *sbom, const xsirt_report_options *opts,
                        xsirt_report_sink_fn sink, void *ctx, xsirt_error *err)
{
    json_t *root;
    int rc;

    if ((rc = parse_findings(&root, findings_json, len, err)) != 0)
        return rc;
    rc = stream_value(format, root, sbom, opts, sink, ctx, true, err);
    json_decref(root);
    return rc;
}
