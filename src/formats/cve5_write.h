/*
 * cve5_write.h — CVE JSON 5 records (CVE Record Format 5.1, state
 * PUBLISHED, the CNA container) from a CSAF 2.0 document written by
 * csaf_write.c: one record per vulnerability with a CVE. Formats do no
 * I/O: the caller passes the document, the CNA's UUID and the time.
 *
 * The CNA container takes: the title (whole: longer than the schema's 256
 * characters, the record fails its validation, which callers run); the
 * vulnerability's description
 * note (English) and, when given, a Japanese one; affected products by
 * vendor and product name with their versions (known_affected ->
 * affected, fixed and known_not_affected -> unaffected,
 * under_investigation -> unknown; defaultStatus unknown); the CWE as
 * problem type; CVSS 2.0/3.x scores as metrics; the document's
 * references; its acknowledgments as credits. See docs/advisories.md.
 */
#ifndef XSIRT_FORMATS_CVE5_WRITE_H
#define XSIRT_FORMATS_CVE5_WRITE_H

#include <jansson.h>

#include "xsirt/error.h"

/* *out gets a JSON array of records. ja (or NULL) maps a CVE id to its
 * Japanese description; vectors (or NULL) a CVE id to its CVSS vector,
 * scored for the metrics when the document has no score for it (CSAF
 * scores only the products still affected; a CVE record scores the
 * vulnerability). XSIRT_EINVAL (field "references") when the
 * document has no reference: CVE records need one. */
int xsirt_cve5_write(json_t **out, const json_t *csaf, const char *org_id, const char *now,
                     const json_t *ja, const json_t *vectors, xsirt_error *err);

#endif
