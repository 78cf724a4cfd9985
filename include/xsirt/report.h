/*
 * report.h — scan findings written as reports for other tools: SARIF 2.1.0
 * (CI code scanning), CycloneDX 1.5 JSON with a vulnerabilities section
 * (the scanned BOM enriched, or a standalone VEX BOM), OpenVEX 0.2.0.
 *
 * The writers take the findings as the JSON text `xsirt scan --format json`
 * prints ({"findings":[{component, vulnerability, matchedBy, range}], ...};
 * docs/reports.md), so that they depend on that stable shape and not on the
 * matching engine's structs, and this header needs no JSON library. They do
 * no I/O and are deterministic: the same findings, SBOM and options give
 * the same bytes (findings are sorted; nothing is read from the clock).
 */
#ifndef XSIRT_REPORT_H
#define XSIRT_REPORT_H

#include <stddef.h>

#include "common.h"
#include "error.h"
#include "sbom.h"

/* Receives the report piece by piece (the writers stream: a report is
 * never held whole); non-zero stops the writer, which returns it. */
typedef int (*xsirt_report_sink_fn)(void *ctx, const void *data, size_t len,
                                    xsirt_error *err);

/* Output flags. */
#define XSIRT_REPORT_COMPACT 0x1u   /* one line, no indentation */

typedef struct xsirt_report_options {
    unsigned flags;             /* XSIRT_REPORT_* */
    const char *tool_version;   /* NULL: this library's version */
    const char *sbom_uri;       /* SARIF artifactLocation of the scanned SBOM;
                                 * NULL: "sbom.json" */
    const char *timestamp;      /* RFC 3339 UTC; required by OpenVEX, written
                                 * as CycloneDX metadata.timestamp when set */
    const char *author;         /* OpenVEX author; NULL: "xsirt" */
    const char *document_id;    /* OpenVEX @id (an IRI); NULL: derived from
                                 * the content (a hash), so still stable */
    const char *serial;         /* CycloneDX serialNumber "urn:uuid:..."; NULL:
                                 * the input BOM's when it has that form */
} xsirt_report_options;

/* Writes findings_json[0..len) in format "sarif", "cyclonedx" or "openvex"
 * into *out (NUL-terminated, free() it). sbom (may be NULL) is the scanned
 * document: CycloneDX output re-emits it (a standalone VEX BOM when it is
 * NULL or SPDX); opts may be NULL (defaults above). Errors: XSIRT_ENOTFOUND
 * for an unknown format, XSIRT_EINVAL for findings not in the expected
 * shape (with the JSON pointer of the culprit) or OpenVEX without a
 * timestamp. */
XSIRT_API int xsirt_report_write(char **out, const char *format, const char *findings_json,
                                 size_t len, const xsirt_sbom *sbom,
                                 const xsirt_report_options *opts, xsirt_error *err);

/* The same, streamed into sink instead of returned whole (ends with a
 * newline). */
XSIRT_API int xsirt_report_stream(const char *format, const char *findings_json, size_t len,
                                  const xsirt_sbom *sbom, const xsirt_report_options *opts,
                                  xsirt_report_sink_fn sink, void *ctx, xsirt_error *err);

/* The format names, NULL-terminated: "sarif", "cyclonedx", "openvex". */
XSIRT_API const char *const *xsirt_report_formats(void);

#endif
