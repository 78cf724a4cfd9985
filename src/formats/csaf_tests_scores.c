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

#include "formats/csaf_tests.h"
#include "xsirt/cvss.h"
#include "xsirt/error.h"

/* The URIs csaf_validate.c registers the FIRST schemas under. */
#define CVSS_V2_URI "https://www.first.org/cvss/cvss-v2.0.json"
#define CVSS_V30_URI "https://www.first.org/cvss/cvss-v3.0.json"
#define CVSS_V31_URI "https://www.first.org/cvss/cvss-v3.1.json"

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

void csaf_test_6_1_8(csaf_ctx *c)
{
    const json_t *vulns = json_object_get(c->doc, "vulnerabilities");
    char prefix[128];
    schema_report r = { c, prefix };
    xsirt_error err;
    int valid;

    if (!csaf_shape(c, c->doc, "{" CSAF_OPEN ",'optionalProperties':{'vulnerabilities':{"
                    "'elements':{" CSAF_OPEN ",'optionalProperties':{'scores':{'elements':{"
                    CSAF_OPEN ",'optionalProperties':{'cvss_v2':{" CSAF_OPEN ",'properties':{}},"
                    "'cvss_v3':{" CSAF_OPEN ",'properties':{}}}}}}}}}}"))
        return;
    for (size_t i = 0; i < json_array_size(vulns); i++) {
        const json_t *scores = json_object_get(json_array_get(vulns, i), "scores");
        for (size_t j = 0; j < json_array_size(scores); j++) {
            const json_t *s = json_array_get(scores, j), *v2, *v3;
            if (csaf_truthy(v2 = json_object_get(s, "cvss_v2"))) {
                snprintf(prefix, sizeof prefix, "/vulnerabilities/%zu/scores/%zu/cvss_v2", i, j);
                if (xsirt_json_schema_validate(&valid, c->schemas, CVSS_V2_URI, v2,
                                               report_schema, &r, &err) != 0)
                    c->error = err.code;
            }
            if (csaf_truthy(v3 = json_object_get(s, "cvss_v3"))) {
                int v30 = 0, v31 = 0;
                snprintf(prefix, sizeof prefix, "/vulnerabilities/%zu/scores/%zu/cvss_v3", i, j);
                if (xsirt_json_schema_validate(&v30, c->schemas, CVSS_V30_URI, v3, NULL, NULL,
                                               &err) != 0 ||
                    xsirt_json_schema_validate(&v31, c->schemas, CVSS_V31_URI, v3, NULL, NULL,
                                               &err) != 0)
                    c->error = err.code;
                else if (v30 + v31 != 1)
                    csaf_fail(c, "must match exactly one schema in oneOf", "%s", prefix);
            }
        }
    }
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

void csaf_test_6_1_9(csaf_ctx *c)
{
    const json_t *vulns = json_object_get(c->doc, "vulnerabilities");
    char path[128];

    for (size_t i = 0; i < json_array_size(vulns); i++) {
        const json_t *scores = json_object_get(json_array_get(vulns, i), "scores");
        for (size_t j = 0; j < json_array_size(scores); j++) {
            const json_t *score = json_array_get(scores, j);
            const json_t *v2 = json_object_get(score, "cvss_v2");
            const json_t *v3 = json_object_get(score, "cvss_v3");
            const char *vector = csaf_str(json_object_get(v2, "vectorString"));
            xsirt_cvss_scores s;
            if (vector != NULL && score_vector(&s, vector, XSIRT_CVSS_V2_0)) {
                snprintf(path, sizeof path, "/vulnerabilities/%zu/scores/%zu/cvss_v2", i, j);
                check_scores(c, v2, &s, false, path);
            }
            int version = v3_version(v3);
            vector = csaf_str(json_object_get(v3, "vectorString"));
            if (version != 0 && score_vector(&s, vector, version)) {
                snprintf(path, sizeof path, "/vulnerabilities/%zu/scores/%zu/cvss_v3", i, j);
                check_scores(c, v3, &s, true, path);
            }
        }
    }
}

/* Property name, vector metric, and "SCHEMA_WORD=abbreviation,..." pairs. */
typedef struct cvss_property {
    const char *name, *metric, *values;
} cvss_property;

static const cvss_property v3_properties[] = {
    { "attackVector", "AV", "NETWORK=N,ADJACENT_NETWORK=A,LOCAL=L,PHYSICAL=P" },
    { "attackComplexity", "AC", "HIGH=H,LOW=L" },
    { "privilegesRequired", "PR", "NONE=N,LOW=L,HIGH=H" },
    { "userInteraction", "UI", "NONE=N,REQUIRED=R" },
    { "scope", "S", "UNCHANGED=U,CHANGED=C" },
    { "confidentialityImpact", "C", "NONE=N,LOW=L,HIGH=H" },
    { "integrityImpact", "I", "NONE=N,LOW=L,HIGH=H" },
    { "availabilityImpact", "A", "NONE=N,LOW=L,HIGH=H" },
    { "exploitCodeMaturity", "E", "UNPROVEN=U,PROOF_OF_CONCEPT=P,FUNCTIONAL=F,HIGH=H,NOT_DEFINED=X" },
    { "remediationLevel", "RL",
      "OFFICIAL_FIX=O,TEMPORARY_FIX=T,WORKAROUND=W,UNAVAILABLE=U,NOT_DEFINED=X" },
    { "reportConfidence", "RC", "UNKNOWN=U,REASONABLE=R,CONFIRMED=C,NOT_DEFINED=X" },
    { "confidentialityRequirement", "CR", "LOW=L,MEDIUM=M,HIGH=H,NOT_DEFINED=X" },
    { "integrityRequirement", "IR", "LOW=L,MEDIUM=M,HIGH=H,NOT_DEFINED=X" },
    { "availabilityRequirement", "AR", "LOW=L,MEDIUM=M,HIGH=H,NOT_DEFINED=X" },
    { "modifiedAttackVector", "MAV", "NETWORK=N,ADJACENT_NETWORK=A,LOCAL=L,PHYSICAL=P,NOT_DEFINED=X" },
    { "modifiedAttackComplexity", "MAC", "HIGH=H,LOW=L,NOT_DEFINED=X" },
    { "modifiedPrivilegesRequired", "MPR", "HIGH=H,LOW=L,NONE=N,NOT_DEFINED=X" },
    { "modifiedUserInteraction", "MUI", "NONE=N,REQUIRED=R,NOT_DEFINED=X" },
    { "modifiedScope", "MS", "UNCHANGED=U,CHANGED=C,NOT_DEFINED=X" },
    { "modifiedConfidentialityImpact", "MC", "HIGH=H,LOW=L,NONE=N,NOT_DEFINED=X" },
    { "modifiedIntegrityImpact", "MI", "HIGH=H,LOW=L,NONE=N,NOT_DEFINED=X" },
    { "modifiedAvailabilityImpact", "MA", "HIGH=H,LOW=L,NONE=N,NOT_DEFINED=X" },
    { NULL, NULL, NULL },
};

static const cvss_property v2_properties[] = {
    { "accessVector", "AV", "NETWORK=N,ADJACENT_NETWORK=A,LOCAL=L" },
    { "accessComplexity", "AC", "HIGH=H,MEDIUM=M,LOW=L" },
    { "authentication", "Au", "MULTIPLE=M,SINGLE=S,NONE=N" },
    { "confidentialityImpact", "C", "NONE=N,PARTIAL=P,COMPLETE=C" },
    { "integrityImpact", "I", "NONE=N,PARTIAL=P,COMPLETE=C" },
    { "availabilityImpact", "A", "NONE=N,PARTIAL=P,COMPLETE=C" },
    { "exploitability", "E", "UNPROVEN=U,PROOF_OF_CONCEPT=POC,FUNCTIONAL=F,HIGH=H,NOT_DEFINED=ND" },
    { "remediationLevel", "RL",
      "OFFICIAL_FIX=OF,TEMPORARY_FIX=TF,WORKAROUND=W,UNAVAILABLE=U,NOT_DEFINED=ND" },
    { "reportConfidence", "RC", "UNCONFIRMED=UC,UNCORROBORATED=UR,CONFIRMED=C,NOT_DEFINED=ND" },
    { "collateralDamagePotential", "CDP",
      "NONE=N,LOW=L,LOW_MEDIUM=LM,MEDIUM_HIGH=MH,HIGH=H,NOT_DEFINED=ND" },
    { "targetDistribution", "TD", "NONE=N,LOW=L,MEDIUM=M,HIGH=H,NOT_DEFINED=ND" },
    { "confidentialityRequirement", "CR", "LOW=L,MEDIUM=M,HIGH=H,NOT_DEFINED=ND" },
    { "integrityRequirement", "IR", "LOW=L,MEDIUM=M,HIGH=H,NOT_DEFINED=ND" },
    { "availabilityRequirement", "AR", "LOW=L,MEDIUM=M,HIGH=H,NOT_DEFINED=ND" },
    { NULL, NULL, NULL },
};

/* The schema word for abbreviation `abbr` in a values list: copies it into
 * out; false when the list has no such abbreviation. */
static bool word_for(char *out, size_t outsz, const char *values, const char *abbr, size_t alen)
{
    const char *p = values;
    while (*p != '\0') {
        const char *eq = strchr(p, '='), *end = strchr(p, ',');
        if (end == NULL)
            end = p + strlen(p);
        if ((size_t)(end - eq - 1) == alen && memcmp(eq + 1, abbr, alen) == 0 &&
            (size_t)(eq - p) < outsz) {
            memcpy(out, p, (size_t)(eq - p));
            out[eq - p] = '\0';
            return true;
        }
        p = *end ? end + 1 : end;
    }
    return false;
}

/* Each "KEY:VALUE" part of the vector against the property it names. The
 * reference splits on "/" and ":" without validating the vector, so this
 * does too. */
static void check_properties(csaf_ctx *c, const json_t *cvss, const char *vector,
                             const cvss_property *table, const char *path)
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
        for (const cvss_property *t = table; t->name != NULL && value != NULL; t++) {
            char word[40];
            const char *given;
            if (strlen(t->metric) != klen || memcmp(t->metric, p, klen) != 0)
                continue;
            given = csaf_str(json_object_get(cvss, t->name));
            if (given != NULL && word_for(word, sizeof word, t->values, value, vlen) &&
                strcmp(word, given) != 0)
                csaf_fail(c, "value is not consistent with the vector string", "%s/%s", path,
                          t->name);
            break;
        }
        p = end ? end + 1 : NULL;
    }
}

void csaf_test_6_1_10(csaf_ctx *c)
{
    const json_t *vulns = json_object_get(c->doc, "vulnerabilities");
    char path[128];

    for (size_t i = 0; i < json_array_size(vulns); i++) {
        const json_t *scores = json_object_get(json_array_get(vulns, i), "scores");
        for (size_t j = 0; j < json_array_size(scores); j++) {
            const json_t *score = json_array_get(scores, j);
            const json_t *v2 = json_object_get(score, "cvss_v2");
            const json_t *v3 = json_object_get(score, "cvss_v3");
            const char *vector = csaf_str(json_object_get(v2, "vectorString"));
            if (vector != NULL) {
                snprintf(path, sizeof path, "/vulnerabilities/%zu/scores/%zu/cvss_v2", i, j);
                check_properties(c, v2, vector, v2_properties, path);
            }
            vector = csaf_str(json_object_get(v3, "vectorString"));
            if (v3_version(v3) != 0) {
                const char *slash = strchr(vector, '/');
                snprintf(path, sizeof path, "/vulnerabilities/%zu/scores/%zu/cvss_v3", i, j);
                if (slash != NULL)
                    check_properties(c, v3, slash + 1, v3_properties, path);
            }
        }
    }
}
