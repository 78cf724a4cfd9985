/*
 * json_input.h — reading API input objects strictly: known fields only,
 * each with its type, so that a typo in a field name is an error naming
 * the field rather than a silently ignored change.
 */
#ifndef XSIRT_JSON_INPUT_H
#define XSIRT_JSON_INPUT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "xsirt/error.h"

enum xsirt_field_type {
    XSIRT_FIELD_STRING,      /* string, or null when nullable */
    XSIRT_FIELD_INTEGER,     /* integer, or null when nullable */
    XSIRT_FIELD_BOOLEAN,
    XSIRT_FIELD_ARRAY,       /* array (of anything; checked by the caller) */
    XSIRT_FIELD_OBJECT,
    XSIRT_FIELD_TIME         /* RFC 3339 string, or null when nullable */
};

typedef struct xsirt_field {
    const char *name;
    enum xsirt_field_type type;
    bool required;
    bool nullable;
    size_t max;              /* strings: most bytes (0: 64 KiB); arrays: most items */
} xsirt_field;

/* Checks that in is an object whose members are all in fields (an array
 * ended by a {NULL}) with the right types and sizes, and that the required
 * ones are there (required is ignored when partial, for PATCH). Strings must
 * be valid UTF-8 (jansson guarantees it) and free of NUL. */
int xsirt_json_check(const json_t *in, const xsirt_field *fields, bool partial, xsirt_error *err);

/* Field accessors for checked input: NULL / 0 / false when absent or null. */
/* A copy of a checked input with every time field in the one form the
 * database stores (RFC 3339 UTC, "T", milliseconds, "Z"), so that times
 * compare as instants wherever they are compared; NULL without memory. */
json_t *xsirt_json_canonical_times(const json_t *in, const xsirt_field *fields);

const char *xsirt_json_str(const json_t *in, const char *name);
int64_t xsirt_json_int(const json_t *in, const char *name);
bool xsirt_json_has(const json_t *in, const char *name);

/* One of the allowed values (NULL-terminated) or an error naming field. */
int xsirt_json_enum(const char *value, const char *const *allowed, const char *field,
                    xsirt_error *err);

#endif
