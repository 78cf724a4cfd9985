/*
 * output.h — what the scan's writers (output_json.c, output_table.c,
 * output_report.c) share: the jansson objects the JSON shapes hold for a
 * vulnerability and for a VEX annotation, built one at a time.
 */
#ifndef XSIRT_MATCH_OUTPUT_H
#define XSIRT_MATCH_OUTPUT_H

#include <jansson.h>

#include "xsirt/match.h"

/* {id, aliases, summary, severity: {cvss: [FIRST CVSS JSON], rating}, kev,
 * epss, fixed} of a matched record; NULL when out of memory. */
json_t *xsirt_match_vuln_json(const xsirt_findings_record *fr);

/* The "suppressedBy" (suppressed) or "vex" (annotated) object of a
 * finding, or NULL when no VEX speaks of it. */
json_t *xsirt_match_vex_json(const xsirt_findings *f, const xsirt_finding *fd);

#endif
