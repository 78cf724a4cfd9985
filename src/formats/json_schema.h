/*
 * json_schema.h — a small JSON Schema validator over jansson values: the
 * subset of draft-07 / 2020-12 that the CSAF 2.0, FIRST CVSS and CVE 5
 * schemas use.
 *
 * A set holds root schemas registered under the URI other schemas name in
 * "$ref"; validation walks the schema as it walks the instance (no compiled
 * form besides the regular expressions, which are translated from
 * ECMAScript to POSIX ERE once when a schema is added) and reports every
 * failure with the instance's JSON pointer, as Ajv with allErrors does.
 *
 * Keywords: type, enum, const, properties, required, additionalProperties,
 * minProperties, maxProperties, items (one schema for every element),
 * minItems, maxItems, uniqueItems,
 * minLength, maxLength (in code points), pattern, format (date-time, date,
 * time, uri; others pass), minimum, maximum, exclusiveMinimum,
 * exclusiveMaximum, multipleOf, allOf, anyOf, oneOf, not, if/then/else,
 * dependentRequired, patternProperties, contains, $ref (local JSON
 * pointers, $defs, definitions, and other registered schemas). Unknown
 * keywords (prefixItems, ... which these schemas do not use) are ignored.
 */
#ifndef XSIRT_FORMATS_JSON_SCHEMA_H
#define XSIRT_FORMATS_JSON_SCHEMA_H

#include <jansson.h>

#include "xsirt/error.h"

typedef struct xsirt_json_schema xsirt_json_schema;

/* Objects with "properties" but no "additionalProperties" are closed, as in
 * the "strict" CSAF schema the OASIS tooling generates
 * (csaf_2_0/test/generate_strict_schema.py) and csaf-validator-lib uses. */
#define XSIRT_JSON_SCHEMA_CLOSED 1u

/* Called for each failure: pointer into the instance, message. Return 0 to
 * go on, non-zero to stop. */
typedef int (*xsirt_json_schema_fn)(void *ctx, const char *pointer, const char *message);

int xsirt_json_schema_new(xsirt_json_schema **out, xsirt_error *err);
void xsirt_json_schema_free(xsirt_json_schema *set);

/* Registers schema text under uri (its $id, or the name other schemas use
 * in $ref). flags: XSIRT_JSON_SCHEMA_*. A pattern this validator cannot
 * translate is an error here, not at validation time. */
int xsirt_json_schema_add(xsirt_json_schema *set, const char *uri, const char *text,
                          size_t len, unsigned flags, xsirt_error *err);

/* Validates instance against the schema registered as uri, or against a
 * subschema of it when uri has a fragment ("URI#/definitions/x").
 * *valid is set; fn (may be NULL) hears each failure. Returns 0, or
 * XSIRT_ENOTFOUND for an unknown uri, XSIRT_ELIMIT for nesting deeper than
 * XSIRT_LIMIT_DEPTH, XSIRT_ENOMEM. */
int xsirt_json_schema_validate(int *valid, const xsirt_json_schema *set, const char *uri,
                               const json_t *instance, xsirt_json_schema_fn fn, void *ctx,
                               xsirt_error *err);

/* A document to validate, from text: integers read as reals (ECMAScript
 * reads 2^64 as a number, jansson would refuse it; "integer" is checked on
 * the value), XSIRT_EINVAL with line and column when it is not JSON,
 * XSIRT_ELIMIT when it nests deeper than XSIRT_LIMIT_DEPTH (validators walk
 * documents recursively). */
int xsirt_json_schema_load(json_t **doc, const char *text, size_t len, xsirt_error *err);

/* ECMAScript regular expression → POSIX extended (the subset JSON schemas
 * use: classes, \d \s \S \w, escapes, (?: groups, counted repetition).
 * Exposed for the CSAF tests that match patterns of their own. Returns 0,
 * XSIRT_EUNSUPPORTED for a construct ERE lacks (look-around, back
 * references, lazy quantifiers), or XSIRT_ENOMEM. */
int xsirt_json_schema_regex(char **out, const char *ecma, xsirt_error *err);

/* Format checks as ajv-formats' "full" mode does them. */
int xsirt_json_schema_format_date_time(const char *s);
int xsirt_json_schema_format_uri(const char *s);

#endif
