/*
 * match.h — the matching engine: an index of vulnerability intelligence
 * built once, and SBOM components matched against it.
 *
 * Building: a builder takes intelligence documents as bytes (OSV, CVE 5,
 * CSAF, KEV, EPSS; see vuln.h), turns every affected package into index
 * entries — (version scheme, normalised package name) or CPE (vendor,
 * product) → (record, vers range or exact versions) — and serialises the
 * whole into one flat binary image (docs/matching.md describes the format).
 * Opening: the image is used in place (the CLI memory-maps the file), so
 * opening costs a header check; every offset and count read from it is
 * checked before use, so a corrupted image gives errors, never a crash.
 * Scanning: each SBOM component with a purl (or else a CPE) is looked up and
 * its version tested with the ecosystem's own ordering; the result is an
 * xsirt_findings that output writers (json, table, and others by name)
 * render. Nothing here does I/O.
 */
#ifndef XSIRT_MATCH_H
#define XSIRT_MATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common.h"
#include "error.h"
#include "name.h"
#include "report.h"
#include "sbom.h"
#include "vex.h"
#include "vuln.h"

/* ---- building ---- */

typedef struct xsirt_match_builder xsirt_match_builder;

XSIRT_API int xsirt_match_builder_new(xsirt_match_builder **out, xsirt_error *err);
XSIRT_API void xsirt_match_builder_free(xsirt_match_builder *b);

/* Adds one document. *format (may be NULL) receives the detected format.
 * A document that is not intelligence is XSIRT_EUNSUPPORTED (err says what
 * it is: "JSON schema", ...); a malformed one XSIRT_EINVAL with the place.
 * Either way the builder is unchanged and can go on. */
XSIRT_API int xsirt_match_builder_add(xsirt_match_builder *b, const char *data, size_t len,
                                      xsirt_vuln_format *format, xsirt_error *err);

/* Called for each CISA product version text the grammar cannot read
 * (xsirt_vers_from_cisa): the product's full name, the text and why; the
 * caller knows the file. Such products are counted in the index info
 * ("notUnderstoodVersions") and not indexed. */
typedef void (*xsirt_match_report_fn)(void *ctx, const char *product, const char *text,
                                      const char *reason);
XSIRT_API void xsirt_match_builder_set_report(xsirt_match_builder *b, xsirt_match_report_fn fn,
                                              void *ctx);
/* Vendor aliases for products named without identifiers (name.h); NULL
 * goes back to the built-in table. aliases must outlive the builder. */
XSIRT_API void xsirt_match_builder_set_aliases(xsirt_match_builder *b,
                                               const xsirt_name_aliases *aliases);

/* Records and index entries added so far (for progress output). */
XSIRT_API size_t xsirt_match_builder_records(const xsirt_match_builder *b);

/* Called with consecutive pieces of the index image; non-zero stops. */
typedef int (*xsirt_match_write_fn)(void *ctx, const void *data, size_t len,
                                    xsirt_error *err);

/* Enriches records (KEV, EPSS, severities through alias groups), sorts the
 * index and writes the image through fn. The builder is spent afterwards. */
XSIRT_API int xsirt_match_builder_finish(xsirt_match_builder *b, xsirt_match_write_fn fn,
                                         void *ctx, xsirt_error *err);

/* ---- the index ---- */

typedef struct xsirt_match_index xsirt_match_index;

/* Uses data[0..len) in place (it must outlive the index): checks the header
 * and that every section lies inside the image. XSIRT_EINVAL naming what is
 * wrong for anything else. */
XSIRT_API int xsirt_match_index_open(xsirt_match_index **out, const void *data, size_t len,
                                     xsirt_error *err);
XSIRT_API void xsirt_match_index_close(xsirt_match_index *idx);

/* Counts by source format and by ecosystem, as JSON text written at build
 * time ({"records":N,"formats":{...},"ecosystems":{...},...}). */
XSIRT_API const char *xsirt_match_index_info(const xsirt_match_index *idx);
XSIRT_API size_t xsirt_match_index_records(const xsirt_match_index *idx);
XSIRT_API size_t xsirt_match_index_keys(const xsirt_match_index *idx);

/* One record, read from the index. Strings live as long as the index; the
 * arrays are allocated (xsirt_match_record_clear frees them). */
typedef struct xsirt_match_record {
    size_t index;
    xsirt_vuln_format format;
    const char *id;
    const char **aliases;
    size_t n_aliases;
    const char *summary;
    const char *modified;
    const char **severity_types;   /* "CVSS_V3", ... */
    const char **severity_vectors; /* the vectors, as given */
    size_t n_severities;
    const char **fixed;            /* versions that fix it */
    size_t n_fixed;
    bool withdrawn;
    bool kev;
    bool has_epss;
    double epss;
    double score;                  /* highest CVSS base score of the vectors, -1 when none */
    const char *document;          /* the original document (JSON), not NUL-terminated */
    size_t document_len;
} xsirt_match_record;

XSIRT_API int xsirt_match_record_get(xsirt_match_record *out, const xsirt_match_index *idx,
                                     size_t index, xsirt_error *err);
XSIRT_API void xsirt_match_record_clear(xsirt_match_record *rec);
/* The record with this id (or alias), or XSIRT_ENOTFOUND. */
XSIRT_API int xsirt_match_record_find(size_t *out, const xsirt_match_index *idx, const char *id,
                                      xsirt_error *err);

/* The name a package is indexed under in a version scheme: PyPI names
 * PEP 503-normalised, NuGet/Composer/Hex lower-cased, others as given.
 * *out is malloc'ed. */
XSIRT_API int xsirt_match_normalize_name(char **out, const char *scheme, const char *name,
                                         xsirt_error *err);

/* ---- scanning ---- */

typedef enum xsirt_match_severity {
    XSIRT_MATCH_SEV_UNKNOWN = 0,
    XSIRT_MATCH_SEV_NONE,
    XSIRT_MATCH_SEV_LOW,
    XSIRT_MATCH_SEV_MEDIUM,
    XSIRT_MATCH_SEV_HIGH,
    XSIRT_MATCH_SEV_CRITICAL
} xsirt_match_severity;

/* "unknown", "none", "low", "medium", "high", "critical". */
XSIRT_API const char *xsirt_match_severity_name(xsirt_match_severity sev);
/* From a name (case-insensitive); XSIRT_EINVAL for anything else. */
XSIRT_API int xsirt_match_severity_parse(xsirt_match_severity *out, const char *name,
                                         xsirt_error *err);

/* A record that matched, with what output needs precomputed. */
typedef struct xsirt_findings_record {
    xsirt_match_record rec;
    double score;              /* highest CVSS score, -1 when none (writers turn
                                * rec.severity_vectors into FIRST JSON themselves) */
    xsirt_match_severity rating;
} xsirt_findings_record;

/* The status of one (component, record) pair. */
typedef struct xsirt_finding {
    size_t component;          /* into sbom->components */
    size_t record;             /* into findings->records */
    const char *matched_by;    /* "purl", "cpe", "name" */
    const char *range;         /* the vers range or exact version that matched */
    bool range_allocated;      /* private: range is this finding's own copy */
    const char *ecosystem;     /* as the source names it ("PyPI", "Debian:12", a CPE) */
    /* By name (matched_by "name"): "VENDOR:PRODUCT" as normalised (name.h),
     * the rule ("exact", "bare": without remarks, "family") and a
     * confidence in (0, 1] for a person to judge it by; else NULL, 0. */
    const char *name_match;
    const char *name_rule;
    double confidence;
    const char *fixed;         /* by name: the "<X" bound above the version, or NULL */
    bool suppressed;           /* a VEX statement says not_affected or fixed */
    /* The statement applied last (the SBOM's own CycloneDX analysis, applied
     * by the scan, then documents given to xsirt_match_apply_vex), its
     * document and the caller's name for that document (a file); NULL when
     * none. With not_affected or fixed the finding is suppressed, with
     * affected or under_investigation it stays, annotated. */
    const xsirt_vex_statement *vex;
    const xsirt_vex *vex_document;
    const char *vex_source;
} xsirt_finding;

typedef struct xsirt_findings_stats {
    size_t components;
    size_t with_purl;
    size_t with_cpe_only;
    size_t without_identifier;   /* neither purl nor CPE */
    size_t by_name;              /* of those, looked up by vendor and product name */
    size_t unsupported_type;     /* purl type without a version scheme */
    size_t without_version;
    size_t invalid;              /* purl/CPE/version that does not parse */
    size_t findings;             /* not suppressed */
    size_t suppressed;
    size_t by_severity[XSIRT_MATCH_SEV_CRITICAL + 1];   /* of those not suppressed */
    size_t annotated;            /* not suppressed, with an affected or
                                  * under_investigation statement */
} xsirt_findings_stats;

typedef struct xsirt_findings {
    const xsirt_sbom *sbom;              /* components */
    const xsirt_match_index *index;
    xsirt_findings_record *records;      /* distinct matched records */
    size_t n_records;
    xsirt_finding *items;                /* sorted: component, then severity (high first), id */
    size_t count;
    xsirt_findings_stats stats;
    const char *source;                  /* the SBOM's name for output (may be NULL) */
    xsirt_vex *sbom_vex;                 /* private: the SBOM's own VEX statements */
} xsirt_findings;

/* Matches every component of sbom against idx, then applies the VEX
 * statements the SBOM carries (CycloneDX analysis) as xsirt_match_apply_vex
 * would. sbom and idx must outlive *out. Free with xsirt_findings_free. */
XSIRT_API int xsirt_match_scan(xsirt_findings **out, const xsirt_match_index *idx,
                               const xsirt_sbom *sbom, xsirt_error *err);
XSIRT_API void xsirt_findings_free(xsirt_findings *f);

/* A scanner keeps what a scan prepares from the index (each range parsed
 * from its constraints, once) for the next scan: scanning many SBOMs
 * against one index (a CI job over a monorepo, continuous monitoring)
 * prepares each range once. One scanner per thread; idx must outlive it.
 * xsirt_match_scan is a scan with a scanner of its own. */
typedef struct xsirt_match_scanner xsirt_match_scanner;
XSIRT_API int xsirt_match_scanner_new(xsirt_match_scanner **out, const xsirt_match_index *idx,
                                      xsirt_error *err);
XSIRT_API void xsirt_match_scanner_free(xsirt_match_scanner *s);
/* Vendor aliases for matching by name (name.h); NULL goes back to the
 * built-in table. aliases must outlive the scanner. */
XSIRT_API void xsirt_match_scanner_set_aliases(xsirt_match_scanner *s,
                                               const xsirt_name_aliases *aliases);
XSIRT_API int xsirt_match_scanner_scan(xsirt_findings **out, xsirt_match_scanner *s,
                                       const xsirt_sbom *sbom, xsirt_error *err);

/* Applies a VEX document to findings by the rule of xsirt_vex_matcher_find
 * (vex.h): not_affected and fixed suppress a finding, affected and
 * under_investigation annotate it (it stays among the findings). Findings
 * no statement applies to keep what they had, so documents applied one
 * after another override each other finding by finding (the last wins).
 * f->stats (findings, suppressed, annotated, by_severity) is recomputed.
 * vex and source (the caller's name for the document, a file; may be
 * NULL) must outlive f. */
XSIRT_API int xsirt_match_apply_vex(xsirt_findings *f, const xsirt_vex *vex, const char *source,
                                    xsirt_error *err);

/* The highest severity among unsuppressed findings (UNKNOWN when none or
 * none rated); *any says whether there is any unsuppressed finding. */
XSIRT_API xsirt_match_severity xsirt_findings_max_severity(const xsirt_findings *f, bool *any);

/* ---- output ---- */

#define XSIRT_MATCH_OUT_SUPPRESSED 0x1u   /* list suppressed findings too */
/* JSON: suppressed findings inside "findings", each with "suppressedBy"
 * (the shape xsirt_vex_apply and the report writers of report.h read),
 * instead of a separate "suppressed" array. */
#define XSIRT_MATCH_OUT_INLINE 0x2u
/* JSON: the version 1 shape, each finding with its vulnerability's whole
 * record, instead of version 2 (docs/reports.md): findings name their
 * vulnerability by id, described once in "vulnerabilities". */
#define XSIRT_MATCH_OUT_JSON_V1 0x4u

/* The stable JSON report (docs/matching.md, docs/reports.md) and the human
 * table, streamed into sink piece by piece as the findings are walked
 * (memory does not grow with the report); the last piece ends in a
 * newline. Returns what the sink returned when it stopped them. */
XSIRT_API int xsirt_match_stream_json(const xsirt_findings *f, unsigned flags,
                                      xsirt_match_write_fn sink, void *ctx, xsirt_error *err);
XSIRT_API int xsirt_match_stream_table(const xsirt_findings *f, unsigned flags,
                                       xsirt_match_write_fn sink, void *ctx, xsirt_error *err);
/* A report format of report.h ("sarif", "cyclonedx", "openvex") of the
 * findings, suppressed ones included and marked, streamed from a compact
 * view of the findings (no findings JSON is made). opts as for
 * xsirt_report_write (may be NULL). */
XSIRT_API int xsirt_match_stream_report(const xsirt_findings *f, const char *format,
                                        const xsirt_report_options *opts,
                                        xsirt_match_write_fn sink, void *ctx, xsirt_error *err);

/* The same as text: *out is malloc'ed and ends in a newline (at most
 * XSIRT_LIMIT_REPORT_TEXT bytes). */
typedef int (*xsirt_match_writer_fn)(char **out, const xsirt_findings *f, unsigned flags,
                                     xsirt_error *err);
XSIRT_API int xsirt_match_write_json(char **out, const xsirt_findings *f, unsigned flags,
                                     xsirt_error *err);
XSIRT_API int xsirt_match_write_table(char **out, const xsirt_findings *f, unsigned flags,
                                      xsirt_error *err);

#endif
