/*
 * test_json_schema.c — the generic JSON Schema validator
 * (src/formats/json_schema.c): ECMAScript patterns translated to POSIX,
 * the formats, each keyword, references across schemas, closed objects,
 * failure pointers, and its errors (unknown schema, bad schema, depth).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "formats/json_schema.h"

typedef struct failures {
    char text[2048];   /* "pointer: message\n" for each failure */
    int count;
} failures;

static int collect(void *ctx, const char *pointer, const char *message)
{
    failures *f = ctx;
    size_t used = strlen(f->text);
    snprintf(f->text + used, sizeof f->text - used, "%s: %s\n", pointer, message);
    f->count++;
    return 0;
}

/* Validates instance (JSON text) against schema (JSON text, as URI
 * "urn:t"); returns the number of failures, their text in f. */
static int check(failures *f, const char *schema, unsigned flags, const char *instance)
{
    xsirt_json_schema *set;
    xsirt_error err;
    int valid = -1;
    json_t *inst = json_loads(instance, JSON_DECODE_ANY | JSON_DECODE_INT_AS_REAL, NULL);

    memset(f, 0, sizeof *f);
    assert_non_null(inst);
    assert_int_equal(xsirt_json_schema_new(&set, &err), 0);
    assert_int_equal(xsirt_json_schema_add(set, "urn:t", schema, strlen(schema), flags, &err), 0);
    assert_int_equal(xsirt_json_schema_validate(&valid, set, "urn:t", inst, collect, f, &err), 0);
    assert_int_equal(valid, f->count == 0);
    json_decref(inst);
    xsirt_json_schema_free(set);
    return f->count;
}

static int matches(const char *pattern, const char *s)
{
    char schema[2048], inst[512];
    json_t *p = json_string(pattern), *v = json_string(s);
    char *ps = json_dumps(p, JSON_ENCODE_ANY), *vs = json_dumps(v, JSON_ENCODE_ANY);
    failures f;
    snprintf(schema, sizeof schema, "{\"type\":\"string\",\"pattern\":%s}", ps);
    snprintf(inst, sizeof inst, "%s", vs);
    free(ps);
    free(vs);
    json_decref(p);
    json_decref(v);
    return check(&f, schema, 0, inst) == 0;
}

static void test_patterns(void **state)
{
    (void)state;
    /* CSAF's "no leading or trailing white space": ECMAScript's . stops at
     * line terminators. */
    assert_true(matches("^[\\S](.*[\\S])?$", "a"));
    assert_true(matches("^[\\S](.*[\\S])?$", "a b"));
    assert_false(matches("^[\\S](.*[\\S])?$", " a"));
    assert_false(matches("^[\\S](.*[\\S])?$", "a\nb"));
    assert_true(matches("^[\\S](.*[\\S])?$", "\xc3\xa9t\xc3\xa9"));   /* non-ASCII is \S */
    /* Escapes inside classes: \- \_ \. are literal. */
    assert_true(matches("^[^\\s\\-_\\.](.*[^\\s\\-_\\.])?$", "x-y"));
    assert_false(matches("^[^\\s\\-_\\.](.*[^\\s\\-_\\.])?$", "-x"));
    assert_false(matches("^[^\\s\\-_\\.](.*[^\\s\\-_\\.])?$", "x."));
    assert_true(matches("^CVE-[0-9]{4}-[0-9]{4,}$", "CVE-2021-44228"));
    assert_false(matches("^CVE-[0-9]{4}-[0-9]{4,}$", "CVE-21-1"));
    assert_true(matches("^CWE-[1-9]\\d{0,5}$", "CWE-79"));
    assert_false(matches("^CWE-[1-9]\\d{0,5}$", "CWE-079"));
    assert_true(matches("^pkg:[A-Za-z\\.\\-\\+][A-Za-z0-9\\.\\-\\+]*/.+", "pkg:npm/x@1"));
    assert_false(matches("^pkg:[A-Za-z\\.\\-\\+][A-Za-z0-9\\.\\-\\+]*/.+", "pkg:npm"));
    /* Non-capturing groups and a class holding ] [ ^ \ and -. */
    assert_true(matches("^(?:a|b)+$", "abba"));
    assert_true(matches("^[\\]\\[\\^\\\\-]+$", "][^\\-"));
    assert_false(matches("^[\\]\\[\\^\\\\-]+$", "a"));
    /* Unanchored: a match anywhere. */
    assert_true(matches("b", "abc"));
}

static void test_regex_refused(void **state)
{
    char *out = NULL;
    xsirt_error err;
    (void)state;
    assert_int_equal(xsirt_json_schema_regex(&out, "a(?=b)", &err), XSIRT_EUNSUPPORTED);
    assert_int_equal(xsirt_json_schema_regex(&out, "(a)\\1", &err), XSIRT_EUNSUPPORTED);
    assert_int_equal(xsirt_json_schema_regex(&out, "a*?", &err), XSIRT_EUNSUPPORTED);
    assert_int_equal(xsirt_json_schema_regex(&out, "[a", &err), XSIRT_EINVAL);
    assert_null(out);
    assert_int_equal(xsirt_json_schema_regex(&out, "\\?*|\\*?", &err), 0);   /* escaped, then quantified */
    free(out);
}

static void test_formats(void **state)
{
    (void)state;
    assert_true(xsirt_json_schema_format_date_time("2021-07-21T10:00:00.000Z"));
    assert_true(xsirt_json_schema_format_date_time("2020-02-29T00:00:00+01:00"));
    assert_true(xsirt_json_schema_format_date_time("2021-07-21t10:00:00z"));
    assert_true(xsirt_json_schema_format_date_time("2021-07-21 10:00:00Z"));
    assert_true(xsirt_json_schema_format_date_time("2016-12-31T23:59:60Z"));   /* leap second */
    assert_false(xsirt_json_schema_format_date_time("2021-02-29T00:00:00Z"));
    assert_false(xsirt_json_schema_format_date_time("2021-07-21T10:00:00"));  /* no zone */
    assert_false(xsirt_json_schema_format_date_time("2021-07-21T24:00:00Z"));
    assert_false(xsirt_json_schema_format_date_time("2021-07-21"));
    assert_false(xsirt_json_schema_format_date_time("2021-13-01T00:00:00Z"));
    assert_true(xsirt_json_schema_format_uri("https://example.com/a?b=c#d"));
    assert_true(xsirt_json_schema_format_uri("urn:isbn:0451450523"));
    assert_true(xsirt_json_schema_format_uri("https://x/%20"));
    assert_false(xsirt_json_schema_format_uri("example.com"));
    assert_false(xsirt_json_schema_format_uri("https://x/a b"));
    assert_false(xsirt_json_schema_format_uri("https://x/%zz"));
    assert_false(xsirt_json_schema_format_uri("1http://x"));
}

static void test_keywords(void **state)
{
    failures f;
    (void)state;
    assert_int_equal(check(&f, "{\"type\":\"integer\"}", 0, "3"), 0);
    assert_int_equal(check(&f, "{\"type\":\"integer\"}", 0, "3.5"), 1);
    assert_int_equal(check(&f, "{\"type\":[\"string\",\"null\"]}", 0, "null"), 0);
    assert_int_equal(check(&f, "{\"enum\":[1,\"a\"]}", 0, "1.0"), 0);
    assert_int_equal(check(&f, "{\"const\":{\"a\":[1]}}", 0, "{\"a\":[2]}"), 1);
    assert_int_equal(check(&f, "{\"minLength\":2,\"maxLength\":3}", 0, "\"\xc3\xa9\xc3\xa9\""), 0);
    assert_int_equal(check(&f, "{\"minLength\":2}", 0, "\"\xc3\xa9\""), 1);   /* code points */
    assert_int_equal(check(&f, "{\"minimum\":1,\"exclusiveMaximum\":10,\"multipleOf\":0.5}", 0,
                           "9.5"), 0);
    assert_int_equal(check(&f, "{\"minimum\":1,\"exclusiveMaximum\":10}", 0, "10"), 1);
    assert_int_equal(check(&f, "{\"minItems\":1,\"uniqueItems\":true}", 0, "[\"a\",\"b\",\"a\"]"), 1);
    assert_int_equal(check(&f, "{\"uniqueItems\":true}", 0, "[{\"a\":1,\"b\":2},{\"b\":2,\"a\":1.0}]"), 1);
    assert_int_equal(check(&f, "{\"uniqueItems\":true}", 0, "[\"1\",1,[1],{\"1\":1}]"), 0);
    assert_int_equal(check(&f, "{\"required\":[\"a\",\"b\"],\"minProperties\":1}", 0, "{\"a\":1}"), 1);
    assert_string_equal(f.text, ": must have required property 'b'\n");
    assert_int_equal(check(&f, "{\"properties\":{\"a\":{\"type\":\"string\"}},"
                           "\"additionalProperties\":false}", 0, "{\"a\":1,\"b\":2}"), 2);
    assert_int_equal(check(&f, "{\"items\":{\"type\":\"string\"}}", 0, "[\"a\",1,\"c\",2]"), 2);
    assert_string_equal(f.text, "/1: must be string\n/3: must be string\n");
    assert_int_equal(check(&f, "{\"oneOf\":[{\"type\":\"number\"},{\"minimum\":0}]}", 0, "5"), 1);
    assert_int_equal(check(&f, "{\"oneOf\":[{\"type\":\"number\"},{\"type\":\"string\"}]}", 0, "5"), 0);
    assert_int_equal(check(&f, "{\"anyOf\":[{\"type\":\"number\"},{\"type\":\"string\"}]}", 0, "null"), 1);
    assert_int_equal(check(&f, "{\"not\":{\"type\":\"null\"}}", 0, "null"), 1);
    assert_int_equal(check(&f, "{\"if\":{\"required\":[\"a\"]},\"then\":{\"required\":[\"b\"]},"
                           "\"else\":{\"required\":[\"c\"]}}", 0, "{\"a\":1}"), 1);
    assert_int_equal(check(&f, "{\"if\":{\"required\":[\"a\"]},\"then\":{\"required\":[\"b\"]},"
                           "\"else\":{\"required\":[\"c\"]}}", 0, "{\"c\":1}"), 0);
    assert_int_equal(check(&f, "{\"dependentRequired\":{\"a\":[\"b\"]}}", 0, "{\"a\":1}"), 1);
    assert_int_equal(check(&f, "{\"format\":\"date-time\"}", 0, "\"yesterday\""), 1);
    assert_int_equal(check(&f, "{\"format\":\"email\"}", 0, "\"not checked\""), 0);
    assert_int_equal(check(&f, "{\"unknownKeyword\":1}", 0, "{}"), 0);
}

static void test_pointers_and_refs(void **state)
{
    failures f;
    (void)state;
    /* Members with / and ~ are escaped in the pointer. */
    assert_int_equal(check(&f, "{\"additionalProperties\":{\"type\":\"string\"}}", 0,
                           "{\"a/b\":1,\"c~d\":2}"), 2);
    assert_string_equal(f.text, "/a~1b: must be string\n/c~0d: must be string\n");
    assert_int_equal(check(&f, "{\"$defs\":{\"n\":{\"type\":\"number\"}},"
                           "\"properties\":{\"x\":{\"$ref\":\"#/$defs/n\"}}}", 0,
                           "{\"x\":\"1\"}"), 1);
    assert_string_equal(f.text, "/x: must be number\n");
    /* A recursive schema. */
    assert_int_equal(check(&f, "{\"type\":\"object\",\"properties\":{\"kids\":{\"type\":\"array\","
                           "\"items\":{\"$ref\":\"#\"}}}}", 0,
                           "{\"kids\":[{\"kids\":[{\"kids\":[1]}]}]}"), 1);
    assert_string_equal(f.text, "/kids/0/kids/0/kids/0: must be object\n");
    /* Closed objects: properties without additionalProperties. */
    assert_int_equal(check(&f, "{\"properties\":{\"a\":{\"properties\":{\"b\":{}}}}}",
                           XSIRT_JSON_SCHEMA_CLOSED, "{\"a\":{\"b\":1,\"c\":2},\"d\":3}"), 2);
    assert_int_equal(check(&f, "{\"properties\":{\"a\":{}}}", 0, "{\"a\":1,\"d\":3}"), 0);
}

static void test_sets_and_errors(void **state)
{
    xsirt_json_schema *set;
    xsirt_error err;
    int valid;
    json_t *one = json_real(1);
    static const char base[] = "{\"definitions\":{\"pos\":{\"minimum\":0}}}";
    static const char user[] = "{\"$ref\":\"urn:base#/definitions/pos\"}";
    (void)state;

    assert_int_equal(xsirt_json_schema_new(&set, &err), 0);
    assert_int_equal(xsirt_json_schema_add(set, "urn:base", base, strlen(base), 0, &err), 0);
    assert_int_equal(xsirt_json_schema_add(set, "urn:user", user, strlen(user), 0, &err), 0);
    assert_int_equal(xsirt_json_schema_validate(&valid, set, "urn:user", one, NULL, NULL, &err), 0);
    assert_int_equal(valid, 1);
    assert_int_equal(xsirt_json_schema_validate(&valid, set, "urn:base#/definitions/pos", one,
                                                NULL, NULL, &err), 0);
    assert_int_equal(valid, 1);
    assert_int_equal(xsirt_json_schema_validate(&valid, set, "urn:none", one, NULL, NULL, &err),
                     XSIRT_ENOTFOUND);
    assert_int_equal(xsirt_json_schema_add(set, "urn:bad", "{", 1, 0, &err), XSIRT_EINVAL);
    static const char lookbehind[] = "{\"pattern\":\"(?<=a)\"}";
    assert_int_equal(xsirt_json_schema_add(set, "urn:re", lookbehind, strlen(lookbehind), 0, &err),
                     XSIRT_EUNSUPPORTED);
    assert_non_null(strstr(err.message, "(?<=a)"));
    json_decref(one);

    /* An instance deeper than the walk allows is an error, not a crash. */
    static const char deep_schema[] = "{\"items\":{\"$ref\":\"#\"}}";
    assert_int_equal(xsirt_json_schema_add(set, "urn:deep", deep_schema, strlen(deep_schema), 0,
                                           &err), 0);
    json_t *deep = json_array();
    for (int i = 0; i < 400; i++) {
        json_t *outer = json_array();
        json_array_append_new(outer, deep);
        deep = outer;
    }
    assert_int_equal(xsirt_json_schema_validate(&valid, set, "urn:deep", deep, NULL, NULL, &err),
                     XSIRT_ELIMIT);
    json_decref(deep);
    xsirt_json_schema_free(set);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_patterns),
        cmocka_unit_test(test_regex_refused),
        cmocka_unit_test(test_formats),
        cmocka_unit_test(test_keywords),
        cmocka_unit_test(test_pointers_and_refs),
        cmocka_unit_test(test_sets_and_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
