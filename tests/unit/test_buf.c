/*
 * test_buf.c — the bounded growable buffer and the overflow-checked size
 * helpers: growth, the ceiling, printf, detach.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/buf.h"
#include "core/checked.h"
#include "xsirt/error.h"

static void test_append_grows(void **state)
{
    xsirt_buf b;
    (void)state;
    xsirt_buf_init(&b, 100000);
    assert_string_equal(xsirt_buf_cstr(&b), "");
    for (int i = 0; i < 1000; i++)
        assert_int_equal(xsirt_buf_puts(&b, "0123456789"), 0);
    assert_int_equal(b.len, 10000);
    assert_int_equal(b.data[b.len], '\0');
    assert_memory_equal(b.data + 9990, "0123456789", 10);
    xsirt_buf_free(&b);
}

static void test_ceiling(void **state)
{
    xsirt_buf b;
    (void)state;
    xsirt_buf_init(&b, 8);
    assert_int_equal(xsirt_buf_puts(&b, "12345678"), 0);
    assert_int_equal(xsirt_buf_putc(&b, '9'), XSIRT_ELIMIT);
    assert_int_equal(b.len, 8);
    assert_string_equal(b.data, "12345678");
    assert_true(b.cap <= 9);
    assert_int_equal(xsirt_buf_printf(&b, "%d", 1), XSIRT_ELIMIT);
    xsirt_buf_reset(&b);
    assert_int_equal(xsirt_buf_printf(&b, "%s-%d", "ab", 42), 0);
    assert_string_equal(xsirt_buf_cstr(&b), "ab-42");
    xsirt_buf_free(&b);
}

/* Reserving allocates once, keeps the content, and stops at the ceiling. */
static void test_reserve(void **state)
{
    xsirt_buf b;
    (void)state;
    xsirt_buf_init(&b, 100);
    assert_int_equal(xsirt_buf_puts(&b, "ab"), 0);
    assert_int_equal(xsirt_buf_reserve(&b, 90), 0);
    assert_true(b.cap >= 93);
    assert_string_equal(xsirt_buf_cstr(&b), "ab");
    assert_int_equal(xsirt_buf_reserve(&b, 99), XSIRT_ELIMIT);
    xsirt_buf_free(&b);
}

static void test_detach(void **state)
{
    xsirt_buf b;
    char *s;
    (void)state;
    xsirt_buf_init(&b, 16);
    s = xsirt_buf_detach(&b);
    assert_non_null(s);
    assert_string_equal(s, "");
    free(s);
    xsirt_buf_puts(&b, "abc");
    s = xsirt_buf_detach(&b);
    assert_string_equal(s, "abc");
    assert_null(b.data);
    free(s);
}

/* A refused append is kept: nothing after it is written, so a text can
 * never come out whole-looking with a piece missing from its middle; the
 * buffer gives no text, and a reset forgets the failure. A refused reserve
 * (a hint) leaves the buffer as it was. */
static void test_failure_sticks(void **state)
{
    xsirt_buf b;
    (void)state;
    xsirt_buf_init(&b, 8);
    assert_int_equal(xsirt_buf_puts(&b, "ab"), 0);
    assert_int_equal(xsirt_buf_reserve(&b, 100), XSIRT_ELIMIT);
    assert_int_equal(xsirt_buf_failed(&b), 0);
    assert_int_equal(xsirt_buf_puts(&b, "cdefghij"), XSIRT_ELIMIT);
    assert_int_equal(xsirt_buf_failed(&b), XSIRT_ELIMIT);
    assert_int_equal(xsirt_buf_putc(&b, 'c'), XSIRT_ELIMIT);
    assert_int_equal(xsirt_buf_append(&b, "", 0), XSIRT_ELIMIT);
    assert_int_equal(xsirt_buf_printf(&b, "%d", 1), XSIRT_ELIMIT);
    assert_string_equal(xsirt_buf_cstr(&b), "ab");
    assert_null(xsirt_buf_detach(&b));
    assert_null(b.data);
    assert_int_equal(xsirt_buf_failed(&b), 0);
    assert_int_equal(xsirt_buf_puts(&b, "x"), 0);
    assert_int_equal(xsirt_buf_puts(&b, "123456789"), XSIRT_ELIMIT);
    xsirt_buf_reset(&b);
    assert_int_equal(xsirt_buf_failed(&b), 0);
    assert_int_equal(xsirt_buf_puts(&b, "y"), 0);
    assert_string_equal(xsirt_buf_cstr(&b), "y");
    xsirt_buf_free(&b);
}

static void test_checked_arithmetic(void **state)
{
    size_t r;
    (void)state;
    assert_true(xsirt_size_add(&r, 1, 2));
    assert_int_equal(r, 3);
    assert_false(xsirt_size_add(&r, SIZE_MAX, 1));
    assert_false(xsirt_size_mul(&r, SIZE_MAX / 2 + 1, 2));
    assert_null(xsirt_realloc_array(NULL, SIZE_MAX / 4, 8));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_append_grows),
        cmocka_unit_test(test_ceiling),
        cmocka_unit_test(test_reserve),
        cmocka_unit_test(test_detach),
        cmocka_unit_test(test_failure_sticks),
        cmocka_unit_test(test_checked_arithmetic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
