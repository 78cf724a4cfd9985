/*
 * cve5_validate.c — CVE JSON 5 records against the CVE Record Format
 * schema (see cve5_validate.h). The schema is data: the bundled JSON
 * schema from the shared data, embedded at build time (src/cve5.cmake)
 * and loaded once per process into the generic validator of
 * json_schema.c, then shared read-only by every thread.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "formats/cve5_validate.h"
#include "formats/json_schema.h"

extern const char xsirt_cve5_schema_json[];

#define CVE5_SCHEMA_URI \
    "https://cveproject.github.io/cve-schema/schema/docs/CVE_Record_Format_bundled.json"

static xsirt_json_schema *cve5_schemas;
static int cve5_rc;
static xsirt_error cve5_err;
static pthread_once_t cve5_once = PTHREAD_ONCE_INIT;

static void cve5_build(void)
{
    /* Open objects: the CVE schema says additionalProperties where it
     * means it (unlike CSAF's strict variant). */
    cve5_rc = xsirt_json_schema_new(&cve5_schemas, &cve5_err);
    if (cve5_rc == 0)
        cve5_rc = xsirt_json_schema_add(cve5_schemas, CVE5_SCHEMA_URI, xsirt_cve5_schema_json,
                                        strlen(xsirt_cve5_schema_json), 0, &cve5_err);
}

static int cve5_failure(void *ctx, const char *pointer, const char *message)
{
    json_t *f = json_pack("{s:s, s:s}", "path", pointer, "message", message);

    /* Failures past the bound are dropped: the first ones name the problem. */
    if (f != NULL && json_array_size(ctx) < 1000)
        json_array_append(ctx, f);
    json_decref(f);
    return 0;
}

/* The schema is a oneOf of a published and a rejected record, so a record
 * that fails either fails only "must match exactly one schema in oneOf" at
 * its root: no help to whoever must fix it. The failures of the kind the
 * record says it is (cveMetadata.state) follow it. */
static int cve5_explain(json_t *failures, const json_t *record, xsirt_error *err)
{
    const char *state = json_string_value(json_object_get(json_object_get(record, "cveMetadata"),
                                                          "state"));
    char uri[sizeof CVE5_SCHEMA_URI + 16];
    int ok = 0;

    snprintf(uri, sizeof uri, "%s#/oneOf/%d", CVE5_SCHEMA_URI,
             state != NULL && strcmp(state, "REJECTED") == 0 ? 1 : 0);
    return xsirt_json_schema_validate(&ok, cve5_schemas, uri, record, cve5_failure, failures, err);
}

int xsirt_cve5_validate(json_t **failures, bool *valid, const json_t *record, xsirt_error *err)
{
    int ok = 0, rc;

    *failures = NULL;
    *valid = false;
    if (pthread_once(&cve5_once, cve5_build) != 0 || cve5_rc != 0)
        return xsirt_error_set(err, XSIRT_EINTERNAL, "the embedded CVE 5 schema does not load: %s",
                               cve5_err.message);
    if ((*failures = json_array()) == NULL)
        return xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    rc = xsirt_json_schema_validate(&ok, cve5_schemas, CVE5_SCHEMA_URI, record, cve5_failure,
                                    *failures, err);
    if (rc != 0) {
        json_decref(*failures);
        *failures = NULL;
        return rc;
    }
    *valid = ok != 0 && json_array_size(*failures) == 0;
    if (!*valid)
        rc = cve5_explain(*failures, record, err);
    if (rc != 0) {
        json_decref(*failures);
        *failures = NULL;
    }
    return rc;
}

int xsirt_cve5_validate_text(json_t **failures, bool *valid, const char *text, size_t len,
                             xsirt_error *err)
{
    json_t *doc;
    int rc;

    *failures = NULL;
    *valid = false;
    if ((rc = xsirt_json_schema_load(&doc, text, len, err)) != 0)
        return rc;
    rc = xsirt_cve5_validate(failures, valid, doc, err);
    json_decref(doc);
    return rc;
}
