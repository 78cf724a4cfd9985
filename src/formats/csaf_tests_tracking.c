/*
 * csaf_tests_tracking.c — CSAF tests on document.tracking: revision
 * history order and completeness (6.1.14, 6.1.21), version against the
 * latest revision and the status (6.1.16 to 6.1.20), unique revision
 * numbers (6.1.22), one versioning scheme (6.1.30).
 *
 * Revisions are sorted as the reference sorts them: stably, by date as
 * js-joda reads it (an unreadable date compares equal to anything), then
 * by number.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/csaf_tests.h"
#include "xsirt/error.h"

typedef struct revision {
    const char *number;
    const char *date;
} revision;

static const json_t *tracking(const json_t *doc)
{
    return csaf_get(doc, "document", "tracking", NULL);
}

/* The revision history when every entry has a string number and date
 * (docUtils.hasTrackingRevisionHistory); NULL otherwise. *n is its size. */
static revision *revisions(const json_t *doc, size_t *n, int *error)
{
    const json_t *list = json_object_get(tracking(doc), "revision_history");
    revision *out;

    *n = 0;
    if (!json_is_array(list))
        return NULL;
    for (size_t i = 0; i < json_array_size(list); i++) {
        const json_t *r = json_array_get(list, i);
        if (!json_is_string(json_object_get(r, "number")) ||
            !json_is_string(json_object_get(r, "date")))
            return NULL;
    }
    out = calloc(json_array_size(list) + 1, sizeof *out);
    if (out == NULL) {
        *error = XSIRT_ENOMEM;
        return NULL;
    }
    for (size_t i = 0; i < json_array_size(list); i++) {
        out[i].number = csaf_str(json_object_get(json_array_get(list, i), "number"));
        out[i].date = csaf_str(json_object_get(json_array_get(list, i), "date"));
    }
    *n = json_array_size(list);
    return out;
}

static int sign_of(double d)
{
    return (isnan(d) || d == 0) ? 0 : (d < 0 ? -1 : 1);
}

/* Oldest first; equal dates by ascending number. */
static int by_date_then_number(const void *a, const void *b, void *arg)
{
    const revision *x = a, *z = b;
    (void)arg;
    int c = csaf_datetime_cmp(x->date, z->date);
    return c ? c : sign_of(csaf_compare_versions(z->number, x->number));
}

/* Newest first; equal dates by descending number. */
static int newest_first(const void *a, const void *b, void *arg)
{
    const revision *x = a, *z = b;
    (void)arg;
    int c = csaf_datetime_cmp(z->date, x->date);
    return c ? c : sign_of(csaf_compare_versions(x->number, z->number));
}

static int by_date(const void *a, const void *b, void *arg)
{
    (void)arg;
    return csaf_datetime_cmp(((const revision *)a)->date, ((const revision *)b)->date);
}

/* 6.1.14 reads a number as valid(n) ?? n + ".0.0": "1" is 1.0.0. */
static char *as_semver_text(const char *number)
{
    csaf_semver v;
    size_t len = strlen(number);
    char *out = malloc(len + 5);
    if (out == NULL)
        return NULL;
    memcpy(out, number, len + 1);
    if (!csaf_semver_parse(&v, number))
        memcpy(out + len, ".0.0", 5);
    return out;
}

/* A semantic version's identity: what node-semver's valid() returns. */
static void semver_key(char *out, size_t size, const csaf_semver *v)
{
    snprintf(out, size, "%llu.%llu.%llu%s%.*s", (unsigned long long)v->major,
             (unsigned long long)v->minor, (unsigned long long)v->patch, v->pre ? "-" : "",
             v->pre ? (int)v->pre_len : 0, v->pre ? v->pre : "");
}

void csaf_test_6_1_14(csaf_ctx *c)
{
    size_t n, kept = 0;
    revision *r = revisions(c->doc, &n, &c->error);
    char **text = NULL;
    csaf_semver *seen = NULL;
    json_t *set = json_object();

    if (r == NULL || set == NULL || csaf_sort(r, n, sizeof *r, by_date_then_number, NULL) != 0 ||
        (text = calloc(n + 1, sizeof *text)) == NULL ||
        (seen = calloc(n + 1, sizeof *seen)) == NULL)
        goto done;
    /* Equal versions after the first are dropped wherever they are, as the
     * reference's Set does; then the rest must ascend strictly. */
    for (size_t i = 0; i < n; i++) {
        csaf_semver v;
        char key[600];
        if ((text[i] = as_semver_text(r[i].number)) == NULL) {
            c->error = XSIRT_ENOMEM;
            goto done;
        }
        if (!csaf_semver_parse(&v, text[i]))
            continue;
        semver_key(key, sizeof key, &v);
        if (json_object_get(set, key) != NULL)
            continue;
        json_object_set_new(set, key, json_true());
        seen[kept++] = v;
    }
    for (size_t k = 1; k < kept; k++)
        if (csaf_semver_cmp(&seen[k], &seen[k - 1]) <= 0) {
            csaf_fail(c, "the items must be in ascending order according to the date",
                      "/document/tracking/revision_history");
            break;
        }
done:
    for (size_t i = 0; text != NULL && i < n; i++)
        free(text[i]);
    json_decref(set);
    free(text);
    free(seen);
    free(r);
}

/* tracking.version and tracking.status when both are strings. */
static bool version_and_status(const json_t *doc, const char **version, const char **status)
{
    *version = csaf_str(json_object_get(tracking(doc), "version"));
    *status = csaf_str(json_object_get(tracking(doc), "status"));
    return *version != NULL && *status != NULL;
}

/* The revision history (as revisions() reads it) of a document whose
 * version and status are strings, the precondition of 6.1.16 to 6.1.22;
 * NULL otherwise. */
static revision *tracked_revisions(csaf_ctx *c, size_t *n, const char **version,
                                   const char **status)
{
    *n = 0;
    if (!version_and_status(c->doc, version, status))
        return NULL;
    return revisions(c->doc, n, &c->error);
}

static bool final_or_interim(const char *status)
{
    return strcmp(status, "final") == 0 || strcmp(status, "interim") == 0;
}

/* The part of a version 6.1.16 compares: drafts may differ in pre-release
 * and build, others only in build. */
static size_t normalized_length(const char *v, bool draft)
{
    return strcspn(v, draft ? "+-" : "+");
}

void csaf_test_6_1_16(csaf_ctx *c)
{
    const char *version, *status;
    size_t n;
    revision *r = tracked_revisions(c, &n, &version, &status);

    if (r != NULL && n > 0 && csaf_sort(r, n, sizeof *r, newest_first, NULL) == 0) {
        bool draft = strcmp(status, "draft") == 0;
        size_t a = normalized_length(r[0].number, draft), b = normalized_length(version, draft);
        if (a != b || memcmp(r[0].number, version, a) != 0)
            csaf_fail(c, "version does not match latest revision", "/document/tracking/version");
    }
    free(r);
}

static bool semver_major_zero_or_pre(const char *v, bool want_pre_too)
{
    csaf_semver s;
    if (!csaf_semver_parse(&s, v))
        return false;
    return s.major == 0 || (want_pre_too && s.pre != NULL);
}

void csaf_test_6_1_17(csaf_ctx *c)
{
    const char *version, *status;
    if (version_and_status(c->doc, &version, &status) && strcmp(status, "draft") != 0 &&
        (strcmp(version, "0") == 0 || semver_major_zero_or_pre(version, true)))
        csaf_fail(c, "the status is not compatible with the version", "/document/tracking/status");
}

void csaf_test_6_1_18(csaf_ctx *c)
{
    const char *version, *status;
    size_t n;
    revision *r = tracked_revisions(c, &n, &version, &status);

    for (size_t i = 0; r != NULL && final_or_interim(status) && i < n; i++)
        if (strcmp(r[i].number, "0") == 0 || semver_major_zero_or_pre(r[i].number, false)) {
            csaf_fail(c, "some revision-history entries are not compatible with the status",
                      "/document/tracking/status");
            break;
        }
    free(r);
}

static bool has_prerelease(const char *v)
{
    csaf_semver s;
    return csaf_semver_parse(&s, v) && s.pre != NULL;
}

void csaf_test_6_1_19(csaf_ctx *c)
{
    const char *version, *status;
    size_t n;
    revision *r = tracked_revisions(c, &n, &version, &status);

    for (size_t i = 0; r != NULL && i < n; i++)
        if (has_prerelease(r[i].number))
            csaf_fail(c, "contains prerelease part",
                      "/document/tracking/revision_history/%zu/number", i);
    free(r);
}

void csaf_test_6_1_20(csaf_ctx *c)
{
    const char *version, *status;
    if (version_and_status(c->doc, &version, &status) && final_or_interim(status) &&
        has_prerelease(version))
        csaf_fail(c, "pre-release part is not allowed for status", "/document/tracking/version");
}

/* 6.1.21: the major versions (parseInt of each number, in date order,
 * duplicates dropped) start at 0 or 1 and leave none out. */
void csaf_test_6_1_21(csaf_ctx *c)
{
    size_t n, kept = 0;
    revision *r = revisions(c->doc, &n, &c->error);
    double *major = NULL;

    json_t *set = json_object();

    if (r == NULL || set == NULL || csaf_sort(r, n, sizeof *r, by_date, NULL) != 0 ||
        (major = calloc(n + 1, sizeof *major)) == NULL)
        goto done;
    for (size_t i = 0; i < n; i++) {
        double m = csaf_parse_int(r[i].number);
        char key[64];
        /* Set membership as ECMAScript's: NaN equals NaN, -0 equals 0. */
        snprintf(key, sizeof key, "%.17g", isnan(m) ? NAN : m == 0 ? 0.0 : m);
        if (json_object_get(set, key) != NULL)
            continue;
        json_object_set_new(set, key, json_true());
        major[kept++] = m;
    }
    if (kept > 0 && !(major[0] == 0 || major[0] == 1))
        csaf_fail(c, "revision history does not start with a version of 0 or 1 when sorted by "
                  "date", "/document/tracking/revision_history");
    for (size_t i = 0; i < kept; i++) {
        double expected = (double)i + major[0];
        if (major[i] > expected) {
            char msg[96];
            snprintf(msg, sizeof msg, "major version %.0f was omitted", expected);
            csaf_fail(c, msg, "/document/tracking/revision_history");
        }
    }
done:
    json_decref(set);
    free(major);
    free(r);
}

void csaf_test_6_1_22(csaf_ctx *c)
{
    const char *version, *status;
    size_t n;
    revision *r = tracked_revisions(c, &n, &version, &status);
    json_t *seen = json_object();
    for (size_t i = 0; r != NULL && seen != NULL && i < n; i++) {
        if (json_object_get(seen, r[i].number) != NULL)
            csaf_fail(c, "version was already used",
                      "/document/tracking/revision_history/%zu/number", i);
        json_object_set_new(seen, r[i].number, json_true());
    }
    json_decref(seen);
    free(r);
}

/* ECMAScript's parseInt(v).toString() === v: an integer version. */
static bool integer_version(const char *v)
{
    double d = csaf_parse_int(v);
    char text[64];
    if (isnan(d))
        return strcmp(v, "NaN") == 0;
    if (fabs(d) >= 1e21)
        return false;
    snprintf(text, sizeof text, "%.0f", d == 0 ? 0.0 : d);
    return strcmp(text, v) == 0;
}

void csaf_test_6_1_30(csaf_ctx *c)
{
    const json_t *list;
    int scheme = -1;   /* -1 unknown, 0 semantic, 1 integer */

    if (!csaf_shape(c, c->doc, "{" CSAF_OPEN ",'properties':{'document':{" CSAF_OPEN
                    ",'properties':{'tracking':{" CSAF_OPEN ",'optionalProperties':{"
                    "'revision_history':{'elements':{" CSAF_OPEN ",'optionalProperties':{"
                    "'number':{'type':'string'}}}},'version':{'type':'string'}}}}}}}"))
        return;
    list = json_object_get(tracking(c->doc), "revision_history");
    for (size_t i = 0; i < json_array_size(list); i++) {
        const char *number = csaf_str(json_object_get(json_array_get(list, i), "number"));
        if (number == NULL)
            continue;
        int this_one = integer_version(number);
        if (scheme < 0)
            scheme = this_one;
        if (scheme != this_one)
            csaf_fail(c, "mixed integer and semantic versioning",
                      "/document/tracking/revision_history/%zu/number", i);
    }
    const char *version = csaf_str(json_object_get(tracking(c->doc), "version"));
    if (scheme >= 0 && version != NULL && integer_version(version) != scheme)
        csaf_fail(c, "mixed integer and semantic versioning", "/document/tracking/version");
}
