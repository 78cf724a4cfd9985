/*
 * report_internal.h — what the report writers (report_*.c) share: the
 * findings in a compact sorted form (pointers into the findings JSON or
 * into the scan's structs, nothing copied), severity helpers, and the entry
 * points for callers inside the library (the scan command's engine).
 */
#ifndef XSIRT_REPORT_INTERNAL_H
#define XSIRT_REPORT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "core/buf.h"
#include "formats/jsonw.h"
#include "xsirt/report.h"

/* One vulnerability as the writers see it. Strings are NULL when absent
 * or not strings; arrays are NULL when absent or not arrays. The findings
 * of one vulnerability may share one rp_vuln (the scan's view, the json
 * format's version 2) or each have their own (version 1). */
typedef struct rp_vuln {
    const char *vid;           /* vulnerability.id (required) */
    const char *summary;
    const char *rating;        /* severity.rating as given */
    json_t *aliases;           /* strings */
    json_t *cvss;              /* FIRST CVSS JSON objects */
    json_t *fixed;             /* strings */
    json_t *cwes;              /* "CWE-79" strings or numbers (optional) */
    json_t *references;        /* URL strings or {url} objects (optional) */
    bool kev;
    json_t *epss;              /* number or NULL */
} rp_vuln;

/* One finding: a component, the vulnerability, how it matched, VEX. This
 * is the compact form every writer works from: pointers only (into the
 * findings JSON, or into the scan's structs and one small jansson object
 * per vulnerability), so a quarter of a million findings cost a few tens
 * of megabytes, not a document tree. */
typedef struct rp_finding {
    size_t index;              /* position in the input findings array */
    const char *name;          /* component.name (required) */
    const char *version;
    const char *purl;
    const char *bom_ref;
    const char *cpe;
    const rp_vuln *v;
    const char *matched_by;
    const char *range;
    json_t *suppressed_by;     /* object set by xsirt_vex_apply, or NULL */
    json_t *vex;               /* annotation set by xsirt_vex_apply, or NULL */
} rp_finding;

typedef struct rp_findings {
    rp_finding *items;         /* sorted by vid, purl, name, version, bom-ref, index */
    size_t count;
    rp_vuln *vulns;            /* what items[].v point to */
    size_t n_vulns;
    json_t *owned;             /* values built for the view (released with it) */
} rp_findings;

/* Reads a vulnerability object ({id, aliases, summary, severity: {cvss,
 * rating}, kev, epss, fixed, cwes?, references?}) into *v, which then
 * points into it; false when it has no id. */
bool rp_vuln_read(rp_vuln *v, json_t *vuln);

/* Sorts the findings into the writers' order (above); rp_sort_items the
 * same for a part of them. */
void rp_findings_sort(rp_findings *f);
void rp_sort_items(rp_finding *items, size_t n);

/* The end of the run of findings about the same vulnerability as
 * f->items[i] (they are sorted by id). */
size_t rp_group_end(const rp_findings *f, size_t i);

/* Reads root's findings. The views borrow from root. XSIRT_EINVAL with a
 * JSON pointer when the shape is wrong. */
int rp_findings_read(rp_findings *out, json_t *root, xsirt_error *err);
void rp_findings_free(rp_findings *f);

/* The string member key of obj, or NULL. */
const char *rp_str(const json_t *obj, const char *key);

/* The CVSS object to report: the newest version present (4.0, 3.1, 3.0,
 * 2.0) with a numeric baseScore; NULL when none. */
json_t *rp_best_cvss(const json_t *cvss);

/* "critical", "high", "medium", "low", "none" from severity.rating, else
 * from the best CVSS score; NULL when neither says. */
const char *rp_severity(const rp_vuln *v);

/* A score standing for the severity when there is no CVSS score. */
double rp_severity_score(const char *severity);

/* "4.17.21 or 5.0.0" into b. */
int rp_join_fixed(xsirt_buf *b, const json_t *fixed, const char *sep);

/* A reference URL for a vulnerability id (NVD, GitHub, OSV). */
int rp_id_url(xsirt_buf *b, const char *id);
/* The source of an id: "NVD", "GitHub", "OSV". */
const char *rp_id_source(const char *id);

const char *rp_tool_version(const xsirt_report_options *opts);

/* 64-bit FNV-1a over s, continuing from h (start with RP_FNV_INIT). */
#define RP_FNV_INIT 0xcbf29ce484222325ull
unsigned long long rp_fnv(unsigned long long h, const char *s);

/* Each writer streams its document from sorted findings into w (the
 * layout and the sink are w's); XSIRT_E* on failure, with err set. */
typedef int (*rp_writer)(xsirt_jsonw *w, const rp_findings *f, const xsirt_sbom *sbom,
                         const xsirt_report_options *opts, xsirt_error *err);
int rp_write_sarif(xsirt_jsonw *w, const rp_findings *f, const xsirt_sbom *sbom,
                   const xsirt_report_options *opts, xsirt_error *err);
int rp_write_cyclonedx(xsirt_jsonw *w, const rp_findings *f, const xsirt_sbom *sbom,
                       const xsirt_report_options *opts, xsirt_error *err);
int rp_write_openvex(xsirt_jsonw *w, const rp_findings *f, const xsirt_sbom *sbom,
                     const xsirt_report_options *opts, xsirt_error *err);

/* Appends v to arr / sets key, taking the reference; fails on NULL (out of
 * memory while building). */
int rp_push(json_t *arr, json_t *v);
int rp_set(json_t *obj, const char *key, json_t *v);

/* xsirt_report_write for a findings value already parsed. */
int xsirt_report_write_value(char **out, const char *format, json_t *findings,
                             const xsirt_sbom *sbom, const xsirt_report_options *opts,
                             xsirt_error *err);

/* Streams the report of findings already in the compact form (sorted by
 * rp_findings_sort) into sink, then a newline: what `xsirt scan` uses, with
 * a view made from the engine's structs (match/output_report.c). */
int xsirt_report_stream_view(const char *format, const rp_findings *f, const xsirt_sbom *sbom,
                             const xsirt_report_options *opts, xsirt_report_sink_fn sink,
                             void *ctx, xsirt_error *err);

#endif
