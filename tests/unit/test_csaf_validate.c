/*
 * test_csaf_validate.c — the CSAF validator's entry point and the helpers
 * its tests share: bad input and its errors, the result object, the test
 * list, and the readings of versions, numbers, dates, language tags and
 * type definitions that make verdicts agree with the reference.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "formats/csaf_check.h"
#include "formats/csaf_langtag.h"
#include "xsirt/csaf_validate.h"

static const char minimal[] =
    "{\"document\":{\"category\":\"csaf_base\",\"csaf_version\":\"2.0\",\"title\":\"t\","
    "\"publisher\":{\"category\":\"vendor\",\"name\":\"n\",\"namespace\":\"https://example.com\"},"
    "\"tracking\":{\"id\":\"X-1\",\"status\":\"final\",\"version\":\"1\","
    "\"initial_release_date\":\"2024-01-01T00:00:00Z\",\"current_release_date\":\"2024-01-01T00:00:00Z\","
    "\"revision_history\":[{\"number\":\"1\",\"date\":\"2024-01-01T00:00:00Z\",\"summary\":\"s\"}]}}}";

static json_t *validate(const char *text, bool *valid)
{
    char *out = NULL;
    xsirt_error err;
    assert_int_equal(xsirt_csaf_validate_text(&out, valid, text, strlen(text), 0, &err), 0);
    json_t *result = json_loads(out, 0, NULL);
    free(out);
    assert_non_null(result);
    return result;
}

static bool failed(const json_t *result, const char *test)
{
    const json_t *list = json_object_get(result, "failures");
    for (size_t i = 0; i < json_array_size(list); i++)
        if (strcmp(json_string_value(json_object_get(json_array_get(list, i), "test")), test) == 0)
            return true;
    return false;
}

static void test_minimal_document(void **state)
{
    bool valid = false;
    (void)state;
    json_t *r = validate(minimal, &valid);
    assert_true(valid);
    assert_true(json_is_true(json_object_get(r, "valid")));
    /* Only warnings: no TLP label, no canonical URL, no language. */
    assert_true(failed(r, "6.2.10"));
    assert_true(failed(r, "6.2.12"));
    assert_false(failed(r, "schema"));
    json_decref(r);
}

static void test_mandatory_failure(void **state)
{
    bool valid = true;
    char doc[2048];
    (void)state;
    /* A draft-free "final" document at version 0 fails 6.1.17 (and 6.1.18). */
    snprintf(doc, sizeof doc, "%s", minimal);
    char *v = strstr(doc, "\"version\":\"1\"");
    v[11] = '0';
    json_t *r = validate(doc, &valid);
    assert_false(valid);
    assert_true(failed(r, "6.1.17"));
    json_decref(r);
}

static void test_bad_input(void **state)
{
    char *out = NULL;
    bool valid = true;
    xsirt_error err;
    char deep[200];
    (void)state;
    assert_int_equal(xsirt_csaf_validate_text(&out, &valid, "{\"a\": ", 6, 0, &err), XSIRT_EINVAL);
    assert_int_equal(err.line, 1);
    assert_true(err.column > 0);
    assert_null(out);
    memset(deep, '[', 100);
    memset(deep + 100, ']', 100);
    assert_int_equal(xsirt_csaf_validate_text(&out, &valid, deep, sizeof deep, 0, &err),
                     XSIRT_ELIMIT);
    /* Readable JSON that is not a document fails the schema. */
    json_t *r = validate("[1, 2]", &valid);
    assert_false(valid);
    assert_true(failed(r, "schema"));
    json_decref(r);
}

static void test_test_list(void **state)
{
    int kind = -1, mandatory = 0, optional = 0;
    const char *name;
    (void)state;
    assert_string_equal(xsirt_csaf_validate_test_name(0, &kind), "schema");
    assert_int_equal(kind, CSAF_SCHEMA);
    for (size_t i = 0; (name = xsirt_csaf_validate_test_name(i, &kind)) != NULL; i++) {
        mandatory += kind == CSAF_MANDATORY;
        optional += kind == CSAF_OPTIONAL;
    }
    assert_int_equal(mandatory, 43);   /* 6.1.1-6.1.33 with 6.1.27.1-11 */
    assert_int_equal(optional, 20);
}

static void test_semver(void **state)
{
    csaf_semver a, b;
    (void)state;
    assert_true(csaf_semver_parse(&a, "1.0.0"));
    assert_true(csaf_semver_parse(&a, "v1.2.3-rc.1+build.5"));
    assert_int_equal(a.pre_len, 4);
    assert_true(csaf_semver_parse(&a, " 1.0.0 "));
    assert_false(csaf_semver_parse(&a, "1.0"));
    assert_false(csaf_semver_parse(&a, "01.0.0"));
    assert_false(csaf_semver_parse(&a, "1.0.0-01"));
    assert_false(csaf_semver_parse(&a, "9007199254740992.0.0"));
    assert_true(csaf_semver_parse(&a, "1.0.0-alpha"));
    assert_true(csaf_semver_parse(&b, "1.0.0-alpha.1"));
    assert_true(csaf_semver_cmp(&a, &b) < 0);
    assert_true(csaf_semver_parse(&a, "1.0.0-2"));
    assert_true(csaf_semver_parse(&b, "1.0.0-10"));
    assert_true(csaf_semver_cmp(&a, &b) < 0);
    assert_true(csaf_semver_parse(&a, "1.0.0-rc"));
    assert_true(csaf_semver_parse(&b, "1.0.0"));
    assert_true(csaf_semver_cmp(&a, &b) < 0);
    assert_true(csaf_semver_parse(&a, "1.0.0+x"));
    assert_int_equal(csaf_semver_cmp(&a, &b), 0);
    assert_true(csaf_compare_versions("1.0.0", "2.0.0") > 0);
    assert_true(csaf_compare_versions("2", "10") > 0);
    assert_true(isnan(csaf_compare_versions("a", "b")));
}

static void test_parse_int_and_dates(void **state)
{
    int64_t s;
    int32_t ns;
    (void)state;
    assert_true(csaf_parse_int("12abc") == 12);
    assert_true(csaf_parse_int("  -3") == -3);
    assert_true(csaf_parse_int("0x1f") == 31);
    assert_true(isnan(csaf_parse_int("v1")));
    assert_true(csaf_datetime_parse(&s, &ns, "1970-01-01T00:00:00Z"));
    assert_int_equal(s, 0);
    assert_true(csaf_datetime_parse(&s, &ns, "1970-01-01T01:00:00.5+01:00"));
    assert_int_equal(s, 0);
    assert_int_equal(ns, 500000000);
    assert_false(csaf_datetime_parse(&s, &ns, "2021-02-29T00:00:00Z"));
    assert_false(csaf_datetime_parse(&s, &ns, "2021-01-01T00:00:00"));
    assert_int_equal(csaf_datetime_cmp("2021-01-01T00:00:00Z", "2021-01-01T01:00:00+02:00"), 1);
    assert_int_equal(csaf_datetime_cmp("nonsense", "2021-01-01T00:00:00Z"), 0);
}

static void test_language_tags(void **state)
{
    (void)state;
    assert_true(csaf_langtag_valid("en"));
    assert_true(csaf_langtag_valid("en-US"));
    assert_true(csaf_langtag_valid("de-Latn-DE"));
    assert_true(csaf_langtag_valid("es-419"));
    assert_true(csaf_langtag_valid("i-default"));
    assert_true(csaf_langtag_valid("x-private"));
    assert_true(csaf_langtag_valid("de-DE-1996"));
    assert_true(csaf_langtag_valid("ja-Jpan-JP-t-en"));
    assert_false(csaf_langtag_valid("xx"));           /* not registered */
    assert_false(csaf_langtag_valid("en--us"));
    assert_false(csaf_langtag_valid("en-a-bbb"));     /* only t and u extensions */
    assert_false(csaf_langtag_valid("en-US-1996"));   /* 1996 is registered for de only */
    assert_true(csaf_langtag_private("qaa"));
    assert_true(csaf_langtag_private("en-QM"));
    assert_true(csaf_langtag_private("de-Qaaa"));
    assert_false(csaf_langtag_private("en-US"));
    assert_false(csaf_langtag_private("x-foo"));
}

static void test_shapes(void **state)
{
    csaf_ctx c;
    json_t *arr = json_loads("[]", JSON_DECODE_ANY, NULL), *obj = json_loads("{\"a\":1}", 0, NULL);
    (void)state;
    memset(&c, 0, sizeof c);
    /* Ajv's reading: an open definition without checked members accepts
     * anything; "elements" of it only wants an array. */
    assert_true(csaf_shape(&c, arr, "{" CSAF_OPEN ",'properties':{}}"));
    assert_true(csaf_shape(&c, obj, "{" CSAF_OPEN ",'properties':{'b':{}}}"));
    assert_false(csaf_shape(&c, obj, "{" CSAF_OPEN ",'properties':{'b':{'type':'string'}}}"));
    assert_false(csaf_shape(&c, obj, "{'properties':{'b':{}}}"));   /* closed: a is extra */
    assert_true(csaf_shape(&c, arr, CSAF_ARRAY));
    assert_false(csaf_shape(&c, obj, CSAF_ARRAY));
    assert_true(csaf_shape(&c, obj, "{'elements':{}}"));
    assert_int_equal(c.error, 0);
    json_decref(arr);
    json_decref(obj);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_minimal_document),
        cmocka_unit_test(test_mandatory_failure),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_test_list),
        cmocka_unit_test(test_semver),
        cmocka_unit_test(test_parse_int_and_dates),
        cmocka_unit_test(test_language_tags),
        cmocka_unit_test(test_shapes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
