/*
 * csaf_tests_scores.c — CSAF tests 6.1.8 to 6.1.10 on the CVSS objects of
 * vulnerabilities[].scores[]: valid against FIRST's JSON schemas (6.1.8),
 * scores and severities as computed from the vector (6.1.9), metric
 * properties as the vector states them (6.1.10).
 *
 * Scores come from core/cvss (FIRST's formulas); a vector core/cvss rejects
 * is not checked further, as the reference's calculators give up on it.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "formats/csaf_cvss.h"
#include "formats/csaf_tests.h"
#include "xsirt/cvss.h"
#include "xsirt/error.h"

/* The URIs csaf_validate.c registers the FIRST schemas under. */
#define CVSS_V2_URI "https://www.first.org/cvss/cvss-v2.0.json"
#define CVSS_V30_URI "https://www.first.org/cvss/cvss-v3.0.json"
#define CVSS_V31_URI "https://www.first.org/cvss/cvss-v3.1.json"

/* Calls fn for each cvss_v2 and cvss_v3 member of each score of each
 * vulnerability, with its pointer. */
typedef void (*cvss_fn)(csaf_ctx *c, const json_t *cvss, bool v3, const char *pointer);

static void each_cvss(csaf_ctx *c, cvss_fn fn)
{
    const json_t *vulns = json_object_get(c->doc, "vulnerabilities");
    char path[128];

    for (size_t i = 0; i < json_array_size(vulns); i++) {
        const json_t *scores = json_object_get(json_array_get(vulns, i), "scores");
        for (size_t j = 0; j < json_array_size(scores); j++) {
            static const char *const keys[] = { "cvss_v2", "cvss_v3" };
            for (int k = 0; k < 2; k++) {
                const json_t *cvss = json_object_get(json_array_get(scores, j), keys[k]);
                if (cvss == NULL)
                    continue;
                snprintf(path, sizeof path, "/vulnerabilities/%zu/scores/%zu/%s", i, j, keys[k]);
                fn(c, cvss, k == 1, path);
            }
        }
    }
}

typedef struct schema_report {
    csaf_ctx *c;
    const char *prefix;
} schema_report;

static int report_schema(void *ctx, const char *pointer, const char *message)
{
    schema_report *r = ctx;
    csaf_fail(r->c, message, "%s%s", r->prefix, pointer);
    return 0;
}

static void cvss_schema(csaf_ctx *c, const json_t *cvss, bool v3, const char *pointer)
{
    schema_report r = { c, pointer };
    xsirt_error err;
    int valid, v30 = 0, v31 = 0;

    if (!csaf_truthy(cvss))
        return;
    if (!v3) {
        if (xsirt_json_schema_validate(&valid, c->schemas, CVSS_V2_URI, cvss, report_schema, &r,
                                       &err) != 0)
            c->error = err.code;
        return;
    }
    if (xsirt_json_schema_validate(&v30, c->schemas, CVSS_V30_URI, cvss, NULL, NULL, &err) != 0 ||
        xsirt_json_schema_validate(&v31, c->schemas, CVSS_V31_URI, cvss, NULL, NULL, &err) != 0)
        c->error = err.code;
    else if (v30 + v31 != 1)
        csaf_fail(c, "must match exactly one schema in oneOf", "%s", pointer);
}

void csaf_test_6_1_8(csaf_ctx *c)
{
    if (csaf_shape(c, c->doc, "{" CSAF_OPEN ",'optionalProperties':{'vulnerabilities':{"
                   "'elements':{" CSAF_OPEN ",'optionalProperties':{'scores':{'elements':{"
                   CSAF_OPEN ",'optionalProperties':{'cvss_v2':{" CSAF_OPEN ",'properties':{}},"
                   "'cvss_v3':{" CSAF_OPEN ",'properties':{}}}}}}}}}}"))
        each_cvss(c, cvss_schema);
}

/* Parses and scores a vector; false when core/cvss rejects it or its
 * version is not `version`. */
static bool score_vector(xsirt_cvss_scores *out, const char *vector, int version)
{
    xsirt_cvss cvss;
    if (xsirt_cvss_parse(&cvss, vector, strlen(vector), NULL) != 0 || cvss.version != version)
        return false;
    return xsirt_cvss_score(out, &cvss, NULL) == 0;
}

static int v3_version(const json_t *cvss)
{
    const char *v = csaf_str(json_object_get(cvss, "version"));
    if (v == NULL || !json_is_string(json_object_get(cvss, "vectorString")))
        return 0;
    return strcmp(v, "3.1") == 0 ? XSIRT_CVSS_V3_1 : strcmp(v, "3.0") == 0 ? XSIRT_CVSS_V3_0 : 0;
}

/* Scores are compared as numbers: 7.5 and 7.50 are the same score. */
static bool same_score(const json_t *given, double computed)
{
    return fabs(json_number_value(given) - computed) < 1e-9;
}

static void check_scores(csaf_ctx *c, const json_t *cvss, const xsirt_cvss_scores *s,
                         bool severities, const char *path)
{
    static const char *const names[3] = { "baseScore", "temporalScore", "environmentalScore" };
    static const char *const sev[3] = { "baseSeverity", "temporalSeverity",
                                        "environmentalSeverity" };
    const double values[3] = { s->base, s->temporal, s->environmental };

    for (int k = 0; k < 3; k++) {
        const json_t *given = json_object_get(cvss, names[k]);
        if (json_is_number(given) && !same_score(given, values[k]))
            csaf_fail(c, "invalid calculated value", "%s/%s", path, names[k]);
    }
    for (int k = 0; k < 3 && severities; k++) {
        const char *given = csaf_str(json_object_get(cvss, sev[k]));
        const char *expected = xsirt_cvss_severity(values[k]);
        if (given != NULL && (expected == NULL || strcmp(given, expected) != 0))
            csaf_fail(c, "invalid calculated value", "%s/%s", path, sev[k]);
    }
}

static void cvss_scores(csaf_ctx *c, const json_t *cvss, bool v3, const char *pointer)
{
    int version = v3 ? v3_version(cvss) : XSIRT_CVSS_V2_0;
    const char *vector = csaf_str(json_object_get(cvss, "vectorString"));
    xsirt_cvss_scores s;
    if (version != 0 && vector != NULL && score_vector(&s, vector, version))
        check_scores(c, cvss, &s, v3, pointer);
}

void csaf_test_6_1_9(csaf_ctx *c)
{
    each_cvss(c, cvss_scores);
}

/* Each "KEY:VALUE" part of the vector against the property it names. The
 * reference splits on "/" and ":" without validating the vector, so this
 * does too. */
static void check_properties(csaf_ctx *c, const json_t *cvss, const char *vector,
                             const csaf_cvss_metric *table, const char *path)
{
    const char *p = vector;
    while (p != NULL) {
        const char *end = strchr(p, '/'), *colon;
        size_t len = end ? (size_t)(end - p) : strlen(p);
        colon = memchr(p, ':', len);
        size_t klen = colon ? (size_t)(colon - p) : len;
        const char *value = colon ? colon + 1 : NULL;
        size_t vlen = 0;
        if (value != NULL) {
            const char *colon2 = memchr(value, ':', (size_t)(p + len - value));
            vlen = (size_t)((colon2 ? colon2 : p + len) - value);
        }
        for (const csaf_cvss_metric *t = table; t->property != NULL && value != NULL; t++) {
            char word[40];
            const char *given;
            if (strlen(t->abbr) != klen || memcmp(t->abbr, p, klen) != 0)
                continue;
            given = csaf_str(json_object_get(cvss, t->property));
            if (given != NULL && csaf_cvss_word(word, sizeof word, t->values, value, vlen) &&
                strcmp(word, given) != 0)
                csaf_fail(c, "value is not consistent with the vector string", "%s/%s", path,
                          t->property);
            break;
        }
        p = end ? end + 1 : NULL;
    }
}

static void cvss_properties(csaf_ctx *c, const json_t *cvss, bool v3, const char *pointer)
{
    const char *vector = csaf_str(json_object_get(cvss, "vectorString"));
    if (!v3 && vector != NULL)
        check_properties(c, cvss, vector, csaf_cvss_v2_metrics, pointer);
    if (v3 && v3_version(cvss) != 0 && strchr(vector, '/') != NULL)
        check_properties(c, cvss, strchr(vector, '/') + 1, csaf_cvss_v3_metrics, pointer);
}

void csaf_test_6_1_10(csaf_ctx *c)
{
    each_cvss(c, cvss_properties);
}
