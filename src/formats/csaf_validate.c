/*
 * csaf_validate.c — the CSAF 2.0 validator's registry and entry point: the
 * table of tests (number, kind, function) run in order on a parsed
 * document, the schema set (the OASIS CSAF schema closed as the "strict"
 * schema, and FIRST's CVSS schemas it references, compiled in by
 * src/csaf.cmake), and the result object.
 *
 * The tests themselves are in csaf_tests_*.c, their shared helpers in
 * csaf_check.c. The registry is the only place that knows which tests
 * exist: the command's --list-tests, the differential test and the docs
 * follow it.
 */
#include "xsirt/csaf_validate.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "formats/csaf_tests.h"
#include "formats/json_schema.h"

extern const char xsirt_csaf_schema_json[];
extern const char xsirt_cvss_v20_schema_json[];
extern const char xsirt_cvss_v30_schema_json[];
extern const char xsirt_cvss_v31_schema_json[];

#define CSAF_SCHEMA_URI "https://docs.oasis-open.org/csaf/csaf/v2.0/csaf_json_schema.json"

typedef void (*csaf_test_fn)(csaf_ctx *c);

typedef struct csaf_test {
    const char *number;
    int kind;               /* enum csaf_kind */
    csaf_test_fn run;       /* NULL for the schema */
} csaf_test;

static const csaf_test registry[] = {
    { "schema", CSAF_SCHEMA, NULL },
    { "6.1.1", CSAF_MANDATORY, csaf_test_6_1_1 },
    { "6.1.2", CSAF_MANDATORY, csaf_test_6_1_2 },
    { "6.1.3", CSAF_MANDATORY, csaf_test_6_1_3 },
    { "6.1.4", CSAF_MANDATORY, csaf_test_6_1_4 },
    { "6.1.5", CSAF_MANDATORY, csaf_test_6_1_5 },
    { "6.1.6", CSAF_MANDATORY, csaf_test_6_1_6 },
    { "6.1.7", CSAF_MANDATORY, csaf_test_6_1_7 },
    { "6.1.8", CSAF_MANDATORY, csaf_test_6_1_8 },
    { "6.1.9", CSAF_MANDATORY, csaf_test_6_1_9 },
    { "6.1.10", CSAF_MANDATORY, csaf_test_6_1_10 },
    { "6.1.11", CSAF_MANDATORY, csaf_test_6_1_11 },
    { "6.1.12", CSAF_MANDATORY, csaf_test_6_1_12 },
    { "6.1.13", CSAF_MANDATORY, csaf_test_6_1_13 },
    { "6.1.14", CSAF_MANDATORY, csaf_test_6_1_14 },
    { "6.1.15", CSAF_MANDATORY, csaf_test_6_1_15 },
    { "6.1.16", CSAF_MANDATORY, csaf_test_6_1_16 },
    { "6.1.17", CSAF_MANDATORY, csaf_test_6_1_17 },
    { "6.1.18", CSAF_MANDATORY, csaf_test_6_1_18 },
    { "6.1.19", CSAF_MANDATORY, csaf_test_6_1_19 },
    { "6.1.20", CSAF_MANDATORY, csaf_test_6_1_20 },
    { "6.1.21", CSAF_MANDATORY, csaf_test_6_1_21 },
    { "6.1.22", CSAF_MANDATORY, csaf_test_6_1_22 },
    { "6.1.23", CSAF_MANDATORY, csaf_test_6_1_23 },
    { "6.1.24", CSAF_MANDATORY, csaf_test_6_1_24 },
    { "6.1.25", CSAF_MANDATORY, csaf_test_6_1_25 },
    { "6.1.26", CSAF_MANDATORY, csaf_test_6_1_26 },
    { "6.1.27.1", CSAF_MANDATORY, csaf_test_6_1_27_1 },
    { "6.1.27.2", CSAF_MANDATORY, csaf_test_6_1_27_2 },
    { "6.1.27.3", CSAF_MANDATORY, csaf_test_6_1_27_3 },
    { "6.1.27.4", CSAF_MANDATORY, csaf_test_6_1_27_4 },
    { "6.1.27.5", CSAF_MANDATORY, csaf_test_6_1_27_5 },
    { "6.1.27.6", CSAF_MANDATORY, csaf_test_6_1_27_6 },
    { "6.1.27.7", CSAF_MANDATORY, csaf_test_6_1_27_7 },
    { "6.1.27.8", CSAF_MANDATORY, csaf_test_6_1_27_8 },
    { "6.1.27.9", CSAF_MANDATORY, csaf_test_6_1_27_9 },
    { "6.1.27.10", CSAF_MANDATORY, csaf_test_6_1_27_10 },
    { "6.1.27.11", CSAF_MANDATORY, csaf_test_6_1_27_11 },
    { "6.1.28", CSAF_MANDATORY, csaf_test_6_1_28 },
    { "6.1.29", CSAF_MANDATORY, csaf_test_6_1_29 },
    { "6.1.30", CSAF_MANDATORY, csaf_test_6_1_30 },
    { "6.1.31", CSAF_MANDATORY, csaf_test_6_1_31 },
    { "6.1.32", CSAF_MANDATORY, csaf_test_6_1_32 },
    { "6.1.33", CSAF_MANDATORY, csaf_test_6_1_33 },
    { "6.2.1", CSAF_OPTIONAL, csaf_test_6_2_1 },
    { "6.2.2", CSAF_OPTIONAL, csaf_test_6_2_2 },
    { "6.2.3", CSAF_OPTIONAL, csaf_test_6_2_3 },
    { "6.2.4", CSAF_OPTIONAL, csaf_test_6_2_4 },
    { "6.2.5", CSAF_OPTIONAL, csaf_test_6_2_5 },
    { "6.2.6", CSAF_OPTIONAL, csaf_test_6_2_6 },
    { "6.2.7", CSAF_OPTIONAL, csaf_test_6_2_7 },
    { "6.2.8", CSAF_OPTIONAL, csaf_test_6_2_8 },
    { "6.2.9", CSAF_OPTIONAL, csaf_test_6_2_9 },
    { "6.2.10", CSAF_OPTIONAL, csaf_test_6_2_10 },
    { "6.2.11", CSAF_OPTIONAL, csaf_test_6_2_11 },
    { "6.2.12", CSAF_OPTIONAL, csaf_test_6_2_12 },
    { "6.2.13", CSAF_OPTIONAL, csaf_test_6_2_13 },
    { "6.2.14", CSAF_OPTIONAL, csaf_test_6_2_14 },
    { "6.2.15", CSAF_OPTIONAL, csaf_test_6_2_15 },
    { "6.2.16", CSAF_OPTIONAL, csaf_test_6_2_16 },
    { "6.2.17", CSAF_OPTIONAL, csaf_test_6_2_17 },
    { "6.2.18", CSAF_OPTIONAL, csaf_test_6_2_18 },
    { "6.2.19", CSAF_OPTIONAL, csaf_test_6_2_19 },
    { "6.2.20", CSAF_OPTIONAL, csaf_test_6_2_20 },
};

#define REGISTRY_SIZE (sizeof registry / sizeof *registry)

const char *xsirt_csaf_validate_test_name(size_t index, int *kind)
{
    if (index >= REGISTRY_SIZE)
        return NULL;
    if (kind != NULL)
        *kind = registry[index].kind;
    return registry[index].number;
}

/* The schema set, built once per process and kept: it is read-only after
 * that, so threads share it. */
static xsirt_json_schema *schemas;
static int schemas_rc;
static xsirt_error schemas_err;
static pthread_once_t schemas_once = PTHREAD_ONCE_INIT;

static void build_schemas(void)
{
    static const struct { const char *uri; const char *text; unsigned flags; } list[] = {
        { CSAF_SCHEMA_URI, xsirt_csaf_schema_json, XSIRT_JSON_SCHEMA_CLOSED },
        { "https://www.first.org/cvss/cvss-v2.0.json", xsirt_cvss_v20_schema_json, 0 },
        { "https://www.first.org/cvss/cvss-v3.0.json", xsirt_cvss_v30_schema_json, 0 },
        { "https://www.first.org/cvss/cvss-v3.1.json", xsirt_cvss_v31_schema_json, 0 },
    };
    schemas_rc = xsirt_json_schema_new(&schemas, &schemas_err);
    for (size_t i = 0; schemas_rc == 0 && i < sizeof list / sizeof *list; i++)
        schemas_rc = xsirt_json_schema_add(schemas, list[i].uri, list[i].text,
                                           strlen(list[i].text), list[i].flags, &schemas_err);
}

static int schema_failure(void *ctx, const char *pointer, const char *message)
{
    csaf_fail(ctx, message, "%s", pointer);
    return 0;
}

/* Runs every test on doc, appending to c->failures. */
static int run_tests(csaf_ctx *c, unsigned flags, xsirt_error *err)
{
    for (size_t i = 0; i < REGISTRY_SIZE && c->error == 0; i++) {
        const csaf_test *t = &registry[i];
        if (t->kind == CSAF_OPTIONAL && (flags & XSIRT_CSAF_VALIDATE_NO_OPTIONAL))
            continue;
        c->test = t->number;
        c->kind = t->kind;
        if (t->run != NULL) {
            t->run(c);
        } else {
            int valid;
            int rc = xsirt_json_schema_validate(&valid, schemas, CSAF_SCHEMA_URI, c->doc,
                                                schema_failure, c, err);
            if (rc != 0)
                return rc;
        }
    }
    if (c->error != 0)
        return xsirt_error_set(err, c->error, c->error == XSIRT_ENOMEM ? "out of memory"
                               : "validation failed: %s", xsirt_error_code_name(c->error));
    return 0;
}

int xsirt_csaf_validate_text(char **out, bool *valid, const char *text, size_t len,
                             unsigned flags, xsirt_error *err)
{
    json_t *doc, *result = NULL;
    csaf_ctx c;
    int rc;

    *out = NULL;
    *valid = false;
    if (pthread_once(&schemas_once, build_schemas) != 0 || schemas_rc != 0)
        return xsirt_error_set(err, XSIRT_EINTERNAL, "the embedded CSAF schemas do not load: %s",
                               schemas_err.message);
    if ((rc = xsirt_json_schema_load(&doc, text, len, err)) != 0)
        return rc;
    memset(&c, 0, sizeof c);
    c.doc = doc;
    c.schemas = schemas;
    c.failures = json_array();
    rc = c.failures ? run_tests(&c, flags, err) : xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    if (rc == 0) {
        size_t i;
        json_t *f;
        bool ok = true;
        json_array_foreach(c.failures, i, f)
            if (strcmp(json_string_value(json_object_get(f, "kind")), "optional") != 0)
                ok = false;
        result = json_pack("{s:b, s:O}", "valid", ok, "failures", c.failures);
        *out = result ? json_dumps(result, JSON_COMPACT) : NULL;
        *valid = ok;
        if (*out == NULL)
            rc = xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    }
    json_decref(result);
    json_decref(c.failures);
    json_decref(doc);
    return rc;
}
