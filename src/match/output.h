/*
 * output.h — what the scan's writers (output_json.c, output_table.c,
 * output_report.c) share: the jansson objects the JSON shapes hold for a
 * vulnerability and for a VEX annotation, built one at a time.
 */
#ifndef XSIRT_MATCH_OUTPUT_H
#define XSIRT_MATCH_OUTPUT_H

#include <jansson.h>

#include "xsirt/match.h"

/* The advisories records were read from, each parsed once for all its
 * records (a CSAF record's remediations are read from its document).
 * Zero-initialise; xsirt_match_docs_free when done. */
typedef struct xsirt_match_docs {
    const char **ptr;
    json_t **doc;
    size_t n, cap;
} xsirt_match_docs;
void xsirt_match_docs_free(xsirt_match_docs *d);

/* {id, aliases, summary, severity: {cvss: [FIRST CVSS JSON], rating}, kev,
 * epss, fixed, remediations?} of a matched record; NULL when out of
 * memory. docs NULL: without remediations. */
json_t *xsirt_match_vuln_json(const xsirt_findings_record *fr, xsirt_match_docs *docs);

/* The "suppressedBy" (suppressed) or "vex" (annotated) object of a
 * finding, or NULL when no VEX speaks of it. */
json_t *xsirt_match_vex_json(const xsirt_findings *f, const xsirt_finding *fd);

/* A streaming writer's whole output as malloc'ed text (the write_* API). */
typedef int (*xsirt_match_stream_fn)(const xsirt_findings *f, unsigned flags,
                                     xsirt_match_write_fn sink, void *ctx, xsirt_error *err);
int xsirt_match_as_text(char **out, xsirt_match_stream_fn stream, const xsirt_findings *f,
                        unsigned flags, xsirt_error *err);

#endif
