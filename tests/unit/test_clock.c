/*
 * test_clock.c — RFC 3339 timestamps: formatting, and parsing of the forms
 * people and tools send (date only, offsets, fractions), rejecting the rest.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "store/clock.h"
#include "xsirt/error.h"

static void test_format(void **state)
{
    char out[XSIRT_TIME_MAX];
    (void)state;
    xsirt_clock_format(out, 0, 0);
    assert_string_equal(out, "1970-01-01T00:00:00.000Z");
    xsirt_clock_format(out, 1795314908, 123);
    assert_string_equal(out, "2026-11-22T02:35:08.123Z");
    /* Written by hand for years 0-9999, by snprintf beyond. */
    xsirt_clock_format(out, -30636384833, 999);
    assert_string_equal(out, "0999-03-04T05:06:07.999Z");
    xsirt_clock_format(out, 253402300800, 7);
    assert_string_equal(out, "10000-01-01T00:00:00.007Z");
    xsirt_clock_now(out);
    assert_int_equal(strlen(out), 24);
}

static void test_parse(void **state)
{
    time_t t;
    (void)state;
    assert_int_equal(xsirt_clock_parse(&t, "2026-11-22T02:35:08.123Z"), 0);
    assert_true(t == 1795314908);
    assert_int_equal(xsirt_clock_parse(&t, "2026-11-22T11:35:08+09:00"), 0);
    assert_true(t == 1795314908);
    assert_int_equal(xsirt_clock_parse(&t, "2026-11-22"), 0);
    assert_true(t == 1795305600);
    assert_int_equal(xsirt_clock_parse(&t, "2024-02-29"), 0);
    assert_int_equal(xsirt_clock_parse(&t, "2023-02-29"), XSIRT_EINVAL);
    assert_int_equal(xsirt_clock_parse(&t, "2026-13-01"), XSIRT_EINVAL);
    assert_int_equal(xsirt_clock_parse(&t, "2026-11-22T25:00:00Z"), XSIRT_EINVAL);
    assert_int_equal(xsirt_clock_parse(&t, "2026-11-22T02:35:08"), XSIRT_EINVAL);
    assert_int_equal(xsirt_clock_parse(&t, "2026-11-22Tjunk"), XSIRT_EINVAL);
    assert_int_equal(xsirt_clock_parse(&t, "yesterday"), XSIRT_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
