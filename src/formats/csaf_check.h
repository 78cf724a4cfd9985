/*
 * csaf_check.h — what the CSAF 2.0 document tests (csaf_tests_*.c) share:
 * the context a test reports its failures to, product and group id
 * collection, node-semver's reading of version numbers, ECMAScript's
 * parseInt, js-joda's reading of date-times, and a stable sort.
 *
 * The tests agree with csaf-validator-lib (the reference) test by test, so
 * where the specification leaves room (which revision comes first on equal
 * dates, what counts as a semantic version) these helpers do what that
 * library's dependencies do, and say so.
 *
 * Access to the document goes through jansson's getters, which answer NULL
 * (or size 0) for a value of the wrong type, so a test never needs to check
 * types before walking: a schema-invalid document is walked safely.
 */
#ifndef XSIRT_FORMATS_CSAF_CHECK_H
#define XSIRT_FORMATS_CSAF_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "formats/json_schema.h"
#include "xsirt/common.h"

enum csaf_kind { CSAF_SCHEMA, CSAF_MANDATORY, CSAF_OPTIONAL };

typedef struct csaf_ctx {
    const json_t *doc;
    const char *test;    /* the running test's number, "6.1.1" */
    int kind;            /* enum csaf_kind */
    json_t *failures;    /* array of {test, kind, path, message} */
    int error;           /* XSIRT_ENOMEM once an allocation failed */
    const xsirt_json_schema *schemas;   /* CSAF and CVSS, for 6.1.8 */
} csaf_ctx;

/* Records a failure of the running test at the JSON pointer made from
 * path_fmt. */
void csaf_fail(csaf_ctx *c, const char *message, const char *path_fmt, ...)
    XSIRT_PRINTF(3, 4);

/* doc/a/b/... by member names (NULL-terminated), NULL where missing. */
const json_t *csaf_get(const json_t *v, ...);

/* The string value, or NULL for a non-string. */
const char *csaf_str(const json_t *v);

/* ECMAScript truthiness of a value (missing is false). */
bool csaf_truthy(const json_t *v);

/* A product id definition or reference and where it is. */
typedef struct csaf_id {
    const char *id;
    char *path;
} csaf_id;

typedef struct csaf_ids {
    csaf_id *items;
    size_t len, cap;
} csaf_ids;

void csaf_ids_free(csaf_ids *ids);
int csaf_ids_add(csaf_ids *ids, const char *id, const char *path_fmt, ...) XSIRT_PRINTF(3, 4);
bool csaf_ids_has(const csaf_ids *ids, const char *id);

/* Every product_id defined in full_product_names, relationships and
 * branches, in that order (docUtils.collectProductIds). */
int csaf_collect_product_ids(csaf_ids *out, const json_t *doc);

/* Every group_id of product_groups. */
int csaf_collect_group_ids(csaf_ids *out, const json_t *doc);

/* Whether `list` (an array) contains the string s. */
bool csaf_array_has_string(const json_t *list, const char *s);

/* Whether `list` (an array) contains a value equal to v (ECMAScript's
 * includes(): strings by content, other values by JSON equality). */
bool csaf_array_has(const json_t *list, const json_t *v);

/* The product ids of the product group with this id, NULL if none. */
const json_t *csaf_group_products(const json_t *doc, const char *group_id);

/* Adds to set (a jansson object used as a set) the string product ids the
 * entries (remediations, threats, flags) name, directly in product_ids or
 * through group_ids and the product groups; only entries of `category`
 * when it is not NULL. Returns 0 or XSIRT_ENOMEM. */
int csaf_covered_products(json_t *set, const json_t *doc, const json_t *entries,
                          const char *category);

/* Calls fn for each branch of the tree under `branches` (an array) with
 * the branch's pointer ("/product_tree/branches/0/branches/2"), depth
 * first. A branch that does not have `shape` (a type definition, see
 * csaf_shape; NULL for any) is skipped with everything under it, as the
 * reference's branch walks do. */
typedef void (*csaf_branch_fn)(csaf_ctx *c, const json_t *branch, const char *pointer, void *arg);
void csaf_walk_branches(csaf_ctx *c, const json_t *branches, const char *shape,
                        csaf_branch_fn fn, void *arg);

/* A branch's name when its category is `category` (both strings), else
 * NULL. */
const char *csaf_branch_name(const json_t *branch, const char *category);

/* Calls fn for each product_identification_helper-bearing object of the
 * product tree (full_product_names, relationships' full_product_name,
 * branches' product) with the pointer of that object. */
typedef void (*csaf_product_fn)(csaf_ctx *c, const json_t *product, const char *pointer);
void csaf_each_product(csaf_ctx *c, csaf_product_fn fn);

/* node-semver: a valid version (strict, optional leading "v"). */
typedef struct csaf_semver {
    uint64_t major, minor, patch;
    const char *pre;   /* the pre-release part inside the string, or NULL */
    size_t pre_len;
} csaf_semver;

bool csaf_semver_parse(csaf_semver *out, const char *s);
/* <0, 0, >0 by semantic-versioning precedence (build ignored). */
int csaf_semver_cmp(const csaf_semver *a, const csaf_semver *b);

/* docUtils.compareVersions: positive if v2 >= v1 as semantic versions,
 * negative otherwise; for other strings parseInt(v2) - parseInt(v1), which
 * may be NaN (a sort treats it as 0). */
double csaf_compare_versions(const char *v1, const char *v2);

/* ECMAScript parseInt(s) (radix 10, or 16 after 0x): NaN when no digits. */
double csaf_parse_int(const char *s);

/* js-joda ZonedDateTime.parse: ISO date-time with an offset. false when it
 * would throw. */
bool csaf_datetime_parse(int64_t *seconds, int32_t *nanos, const char *s);
/* compareZonedDateTimes: -1, 0, 1; 0 also when either does not parse. */
int csaf_datetime_cmp(const char *a, const char *b);

/* Whether v has the shape described by a JSON Type Definition (RFC 8927)
 * in jtd: the subset the reference's preconditions use (properties,
 * optionalProperties, additionalProperties, elements, type string /
 * float64 / timestamp). A document of another shape skips the test there
 * as it does in the reference. */
bool csaf_shape(csaf_ctx *c, const json_t *v, const char *jtd);

/* Pieces of the definitions: an open object's flag, an array (whose
 * elements Ajv does not check when their definition is an open object with
 * no properties), an array of strings. */
#define CSAF_OPEN "'additionalProperties':true"
#define CSAF_ARRAY "{'elements':{'additionalProperties':true,'properties':{}}}"
#define CSAF_STRINGS "{'elements':{'type':'string'}}"

/* A stable merge sort (ECMAScript's sort is stable). */
typedef int (*csaf_cmp_fn)(const void *a, const void *b, void *arg);
int csaf_sort(void *base, size_t n, size_t size, csaf_cmp_fn cmp, void *arg);

#endif
