/*
 * csaf_validate.h — the CSAF 2.0 validator: the JSON schema (the OASIS
 * schema with closed objects, as the OASIS "strict" schema), every
 * mandatory test of specification section 6.1 and the optional tests of
 * 6.2 that need no network.
 *
 * The result of one document is a JSON object:
 *   {"valid":false,"failures":[{"test":"6.1.1","kind":"mandatory",
 *     "path":"/vulnerabilities/0/product_status/fixed/0",
 *     "message":"definition of product id missing"}, ...]}
 * where kind is "schema", "mandatory" or "optional" and "valid" is false
 * when a schema or mandatory test failed (optional tests only warn).
 * Test numbers are the specification's ("6.1.27.1"); "schema" for the
 * schema. See docs/csaf.md.
 */
#ifndef XSIRT_CSAF_VALIDATE_H
#define XSIRT_CSAF_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>

#include "common.h"
#include "error.h"

/* Flags. */
#define XSIRT_CSAF_VALIDATE_NO_OPTIONAL 1u   /* skip the 6.2 tests */

/* Validates the CSAF document text[0..len) and writes the result object
 * as compact JSON in *out (free() it); *valid tells whether it passed the
 * schema and every mandatory test. Returns 0; XSIRT_EINVAL with line and
 * column when the text is not JSON, or not a JSON object; XSIRT_ELIMIT for
 * nesting deeper than XSIRT_LIMIT_DEPTH; XSIRT_ENOMEM. */
XSIRT_API int xsirt_csaf_validate_text(char **out, bool *valid, const char *text, size_t len,
                                       unsigned flags, xsirt_error *err);

/* The numbers of the tests this validator runs, "schema" first, then
 * "6.1.1" ... "6.2.x", NULL-terminated. *kind of each (optional): 0
 * schema, 1 mandatory, 2 optional. */
XSIRT_API const char *xsirt_csaf_validate_test_name(size_t index, int *kind);

#endif
