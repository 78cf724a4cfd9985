/*
 * cve5_validate.h — CVE JSON 5 records checked against the CVE Record
 * Format schema (the bundled schema of ../shared/data/schemas/cve5,
 * compiled into the library at build time by src/cve5.cmake, as the CSAF
 * validator's schemas are): for the server, which answers and publishes
 * only valid records, and for `xsirt cve validate`. No I/O.
 */
#ifndef XSIRT_FORMATS_CVE5_VALIDATE_H
#define XSIRT_FORMATS_CVE5_VALIDATE_H

#include <jansson.h>
#include <stdbool.h>

#include "xsirt/error.h"

/* Validates one record. *failures gets an array of {"path" (a JSON
 * pointer into the record),"message"} — empty when *valid. The schema's
 * root is a oneOf (published or rejected record): an invalid record's
 * first failure is that oneOf's, followed by the failures against the kind
 * its cveMetadata.state names (published unless REJECTED). Errors only
 * for the validator itself (XSIRT_EINTERNAL, XSIRT_ENOMEM). */
int xsirt_cve5_validate(json_t **failures, bool *valid, const json_t *record, xsirt_error *err);

/* The same for text: XSIRT_EINVAL with line and column when it is not
 * JSON, XSIRT_ELIMIT when nested deeper than XSIRT_LIMIT_DEPTH. */
int xsirt_cve5_validate_text(json_t **failures, bool *valid, const char *text, size_t len,
                             xsirt_error *err);

#endif
