/*
 * test_arena.c — the block allocator: zeroed, aligned memory that stays
 * put while more is taken (small requests share blocks, a request larger
 * than a block gets its own without wasting the current one), copies of
 * strings, and refusal of sizes that overflow.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/arena.h"

static void test_small_and_large(void **state)
{
    xsirt_arena *a = xsirt_arena_new();
    char *first, *big, *after;
    char *small[1000];

    (void)state;
    assert_non_null(a);
    /* Many small pieces: aligned for any type, zeroed, distinct, and each
     * keeps what was written while later ones are taken. */
    for (size_t i = 0; i < 1000; i++) {
        small[i] = xsirt_arena_alloc(a, 1, 1 + i % 200);
        assert_non_null(small[i]);
        assert_int_equal((uintptr_t)small[i] % _Alignof(max_align_t), 0);
        for (size_t k = 0; k < 1 + i % 200; k++)
            assert_int_equal(small[i][k], 0);
        memset(small[i], (int)(i & 0x7f) | 1, 1 + i % 200);
    }
    for (size_t i = 0; i < 1000; i++)
        for (size_t k = 0; k < 1 + i % 200; k++)
            assert_int_equal(small[i][k], (int)(i & 0x7f) | 1);
    /* A piece larger than a block, between two small ones: the small one
     * after it still comes from the current block, right behind the first. */
    first = xsirt_arena_alloc(a, 1, 16);
    big = xsirt_arena_alloc(a, 1024, 1024);
    after = xsirt_arena_alloc(a, 1, 16);
    assert_non_null(first);
    assert_non_null(big);
    assert_non_null(after);
    /* (each piece is rounded up to a whole max_align_t) */
    assert_ptr_equal(after, first + (16 + sizeof(max_align_t) - 1) / sizeof(max_align_t) *
                                        sizeof(max_align_t));
    assert_int_equal(big[0], 0);
    assert_int_equal(big[1024 * 1024 - 1], 0);
    memset(big, 0xAB, 1024 * 1024);
    xsirt_arena_free(a);
}

static void test_strndup_and_limits(void **state)
{
    xsirt_arena *a = xsirt_arena_new();
    char *s;

    (void)state;
    assert_non_null(a);
    s = xsirt_arena_strndup(a, "purl:pkg/x", 4);
    assert_string_equal(s, "purl");
    s = xsirt_arena_strndup(a, "", 0);
    assert_string_equal(s, "");
    /* count × size overflowing, or rounding up overflowing, is refused. */
    assert_null(xsirt_arena_alloc(a, SIZE_MAX / 2, 3));
    assert_null(xsirt_arena_alloc(a, 1, SIZE_MAX - 3));
    /* A zero-sized request still gets a distinct piece. */
    assert_ptr_not_equal(xsirt_arena_alloc(a, 0, 8), xsirt_arena_alloc(a, 0, 8));
    xsirt_arena_free(a);
    xsirt_arena_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_small_and_large),
        cmocka_unit_test(test_strndup_and_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
