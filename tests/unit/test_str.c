/*
 * test_str.c — the safe string helpers that replace banned libc functions:
 * bounded copy, strict integer parsing, ASCII folding, UTF-8, quoting.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/str.h"
#include "xsirt/error.h"

static void test_strlcpy(void **state)
{
    char d[4];
    (void)state;
    assert_int_equal(xsirt_strlcpy(d, "ab", sizeof d), 2);
    assert_string_equal(d, "ab");
    assert_int_equal(xsirt_strlcpy(d, "abcdef", sizeof d), 6);
    assert_string_equal(d, "abc");
}

static void test_parse_u64(void **state)
{
    uint64_t v;
    (void)state;
    assert_int_equal(xsirt_parse_u64(&v, "18446744073709551615", 20), 0);
    assert_true(v == UINT64_MAX);
    assert_int_equal(xsirt_parse_u64(&v, "18446744073709551616", 20), XSIRT_EINVAL);
    assert_int_equal(xsirt_parse_u64(&v, "-1", 2), XSIRT_EINVAL);
    assert_int_equal(xsirt_parse_u64(&v, " 1", 2), XSIRT_EINVAL);
    assert_int_equal(xsirt_parse_u64(&v, "", 0), XSIRT_EINVAL);
    assert_int_equal(xsirt_parse_u64(&v, "0042x", 4), 0);
    assert_true(v == 42);
}

static void test_ascii(void **state)
{
    char s[] = "PyPI-Ünï";
    (void)state;
    assert_int_equal(xsirt_ascii_casecmp("Maven", "mAVEN"), 0);
    assert_true(xsirt_ascii_casecmp("a", "b") < 0);
    assert_int_equal(xsirt_ascii_ncasecmp("GOLANG", "golang.org", 6), 0);
    xsirt_ascii_lower_str(s);
    assert_string_equal(s, "pypi-Ünï");
}

static void test_utf8(void **state)
{
    (void)state;
    assert_true(xsirt_utf8_valid("caf\xc3\xa9", 5));
    assert_true(xsirt_utf8_valid("\xe6\x97\xa5\xe6\x9c\xac", 6));
    assert_true(xsirt_utf8_valid("\xf0\x9f\x98\x80", 4));
    assert_false(xsirt_utf8_valid("\xc3", 1));            /* truncated */
    assert_false(xsirt_utf8_valid("\xc0\xaf", 2));        /* overlong '/' */
    assert_false(xsirt_utf8_valid("\xed\xa0\x80", 3));    /* surrogate */
    assert_false(xsirt_utf8_valid("\xf4\x90\x80\x80", 4));/* > U+10FFFF */
    assert_false(xsirt_utf8_valid("\xff", 1));
}

static void test_quote(void **state)
{
    char out[128];
    char longer[200];
    (void)state;
    xsirt_quote(out, sizeof out, "a\"b\x01", 4);
    assert_string_equal(out, "\"a\\\"b\\x01\"");
    /* A multi-byte character at the cut is left out whole, not halved. */
    memset(longer, 'x', sizeof longer);
    memcpy(longer + 62, "\xe6\x97\xa5", 3);
    xsirt_quote(out, sizeof out, longer, sizeof longer);
    assert_true(xsirt_utf8_valid(out, strlen(out)));
    assert_null(strstr(out, "\xe6"));
    memset(longer, 'x', sizeof longer);
    xsirt_quote(out, sizeof out, longer, sizeof longer);
    assert_true(strlen(out) < sizeof out);
    assert_non_null(strstr(out, "...\""));
}

/* The same bytes as snprintf: scores and EPSS values on a fine grid
 * (every tie of the grid included), random doubles, and values outside
 * the fast path. */
static void test_format_fixed(void **state)
{
    char got[XSIRT_FIXED_MAX], want[XSIRT_FIXED_MAX];
    unsigned seed = 1205;

    (void)state;
    for (int d = 1; d <= 3; d += 2) {
        for (long i = 0; i <= 200000; i++) {
            double v = (double)i / 20000.0;     /* steps of 0.00005: ties at every scale */
            xsirt_format_fixed(got, v, d);
            snprintf(want, sizeof want, "%.*f", d, v);
            assert_string_equal(got, want);
        }
        for (int i = 0; i < 200000; i++) {
            double v = (double)rand_r(&seed) / RAND_MAX * (i % 2 ? 1.0 : 10.0);
            xsirt_format_fixed(got, v, d);
            snprintf(want, sizeof want, "%.*f", d, v);
            assert_string_equal(got, want);
        }
    }
    xsirt_format_fixed(got, -1.25, 1);
    assert_string_equal(got, "-1.2");
    xsirt_format_fixed(got, 2e6 + 0.04, 1);
    assert_string_equal(got, "2000000.0");
    xsirt_format_fixed(got, 0.5, 2);
    assert_string_equal(got, "0.50");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format_fixed),
        cmocka_unit_test(test_strlcpy),
        cmocka_unit_test(test_parse_u64),
        cmocka_unit_test(test_ascii),
        cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_quote),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
