/*
 * test_json_arena.c — jansson's arena (formats/json_arena.h): inside one,
 * a thread's values cost no malloc and no free until end; a value made
 * outside it (before begin, or by another thread) and freed inside is
 * freed for real; other threads keep malloc and free while arenas are open
 * beside them; nested pairs make one arena.
 *
 * malloc and free are counted per thread by linking with --wrap (see
 * tests/CMakeLists.txt): a free the arena swallowed that it should not
 * have, or one it passed on for a pointer in its blocks (glibc aborts),
 * shows. Sanitizer builds leave jansson on malloc and free: the counts
 * are skipped there and the values are still checked.
 */
#include <jansson.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "formats/json_arena.h"

/* ---- malloc and free, counted on each thread ---------------------------- */

void *__real_malloc(size_t n);
void __real_free(void *p);
void *__wrap_malloc(size_t n);
void __wrap_free(void *p);

static _Thread_local size_t mallocs, frees;

void *__wrap_malloc(size_t n)
{
    mallocs++;
    return __real_malloc(n);
}

void __wrap_free(void *p)
{
    if (p != NULL)
        frees++;
    __real_free(p);
}

/* ---- documents ------------------------------------------------------------ */

/* An array of n components as an SBOM has them; about 20,000 take more
 * than one of the arena's 4 MiB blocks. Made with plain malloc. */
static char *doc_make(size_t n, unsigned tag)
{
    size_t cap = 64 + n * 96, len = 0;
    char *s = malloc(cap);

    assert_non_null(s);
    len += (size_t)snprintf(s + len, cap - len, "[");
    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(s + len, cap - len,
                                "%s{\"name\":\"c%u-%zu\",\"version\":\"1.%zu\",\"n\":%zu}",
                                i ? "," : "", tag, i, i % 97, i);
    snprintf(s + len, cap - len, "]");
    return s;
}

/* Whether v is doc_make(n, tag) read back (checked without cmocka's
 * asserts, which may not fail on another thread). */
static bool doc_ok(const json_t *v, size_t n, unsigned tag)
{
    char name[64];

    if (!json_is_array(v) || json_array_size(v) != n)
        return false;
    for (size_t i = 0; i < n; i += 1 + i / 64) {
        const json_t *c = json_array_get(v, i);
        const char *got = json_string_value(json_object_get(c, "name"));
        snprintf(name, sizeof name, "c%u-%zu", tag, i);
        if (got == NULL || strcmp(got, name) != 0 ||
            json_integer_value(json_object_get(c, "n")) != (json_int_t)i)
            return false;
    }
    return true;
}

/* A value as a request handler makes one, and how many mallocs it took. */
static json_t *value_make(size_t *took)
{
    size_t before = mallocs;
    json_t *v = json_pack("{s:s, s:i, s:[s, s]}", "name", "outside", "n", 7, "list", "a", "b");

    assert_non_null(v);
    *took = mallocs - before;
    return v;
}

static int setup(void **state)
{
    (void)state;
    xsirt_json_arena_install();
    return 0;
}

/* What a failed test left open is closed (end without an arena does
 * nothing), so that the tests after it start outside any arena. */
static int teardown(void **state)
{
    (void)state;
    for (int i = 0; i < 4; i++)
        xsirt_json_arena_end();
    return 0;
}

/* ---- one thread ------------------------------------------------------------ */

static void test_outside_is_malloc(void **state)
{
    size_t took, before;
    json_t *v;

    (void)state;
    if (XSIRT_SANITIZED)
        skip();
    v = value_make(&took);
    /* object, table, three pairs, two strings, an array and its items... */
    assert_true(took >= 5);
    before = frees;
    json_decref(v);
    assert_int_equal(frees - before, took);
}

static void test_inside_costs_blocks_only(void **state)
{
    size_t m0, f0, blocks;
    char *text = doc_make(40000, 1);
    json_t *v;

    (void)state;
    xsirt_json_arena_begin(XSIRT_JSON_ARENA_BLOCK_COMMAND);
    m0 = mallocs;
    f0 = frees;
    v = json_loads(text, 0, NULL);
    assert_non_null(v);
    assert_true(doc_ok(v, 40000, 1));
    blocks = mallocs - m0;
    json_decref(v);
    if (!XSIRT_SANITIZED) {
        /* 40,000 objects of seven values each in a few blocks: more than
         * one, far fewer than the values; none freed before end. */
        assert_in_range(blocks, 3, 16);
        assert_int_equal(frees - f0, 0);
    }
    xsirt_json_arena_end();
    if (!XSIRT_SANITIZED)   /* the blocks and their list */
        assert_int_equal(frees - f0, blocks + 1);
    free(text);
}

/* Made before begin and freed inside: freed, whether before or after the
 * arena's own tree is dropped; the arena's values cost nothing either way. */
static void test_made_outside_freed_inside(void **state)
{
    size_t took_a, took_b, f0;
    json_t *a = value_make(&took_a), *b = value_make(&took_b), *v;
    char *text = doc_make(30000, 2);

    (void)state;
    xsirt_json_arena_begin(XSIRT_JSON_ARENA_BLOCK_COMMAND);
    v = json_loads(text, 0, NULL);
    assert_non_null(v);
    f0 = frees;
    json_decref(a);   /* before the arena's tree */
    if (!XSIRT_SANITIZED)
        assert_int_equal(frees - f0, took_a);
    f0 = frees;
    json_decref(v);
    if (!XSIRT_SANITIZED)
        assert_int_equal(frees - f0, 0);
    f0 = frees;
    json_decref(b);   /* after it */
    if (!XSIRT_SANITIZED)
        assert_int_equal(frees - f0, took_b);
    xsirt_json_arena_end();
    free(text);
}

/* A value larger than a block gets its own, and the small values after it
 * still come from the current block. Nested pairs make one arena. */
static void test_large_and_nested(void **state)
{
    size_t big_len = (size_t)5 << 20, m0, f0, m_small;
    char *big_text = malloc(big_len);
    json_t *big, *small, *more;

    (void)state;
    assert_non_null(big_text);
    memset(big_text, 'x', big_len);
    xsirt_json_arena_begin(XSIRT_JSON_ARENA_BLOCK_COMMAND);
    small = json_string("first");
    m0 = mallocs;
    big = json_stringn_nocheck(big_text, big_len);
    assert_non_null(big);
    m_small = mallocs;
    xsirt_json_arena_begin(XSIRT_JSON_ARENA_BLOCK_COMMAND);
    more = json_pack("{s:s}", "after", "the big one");
    assert_non_null(more);
    if (!XSIRT_SANITIZED) {
        assert_int_equal(m_small - m0, 1);         /* the big one's block */
        assert_int_equal(mallocs - m_small, 0);    /* the current block still */
    }
    f0 = frees;
    xsirt_json_arena_end();                       /* inner: nothing yet */
    assert_string_equal(json_string_value(json_object_get(more, "after")), "the big one");
    assert_int_equal(json_string_length(big), big_len);
    assert_int_equal(json_string_value(big)[big_len - 1], 'x');
    json_decref(big);
    json_decref(small);
    json_decref(more);
    if (!XSIRT_SANITIZED)
        assert_int_equal(frees - f0, 0);
    xsirt_json_arena_end();
    if (!XSIRT_SANITIZED)
        assert_true(frees - f0 >= 2);             /* both blocks */
    free(big_text);
}

/* ---- threads ---------------------------------------------------------------- */

#define READERS 2
#define DOC_COMPONENTS 25000
#define OUTSIDE_ROUNDS 2000

typedef struct shared {
    pthread_barrier_t open, done;   /* every arena open; the outsider done */
    json_t *handed[READERS];        /* made by the outsider, freed in an arena */
    size_t handed_took[READERS];
} shared;

typedef struct reader {
    shared *sh;
    unsigned tag;
    char *text;
    size_t handed_frees, tree_frees, end_frees, blocks;
    bool ok;
} reader;

static void *reader_run(void *arg)
{
    reader *r = arg;
    json_t *v;
    size_t m0, f0;

    xsirt_json_arena_begin(XSIRT_JSON_ARENA_BLOCK_SERVER);
    pthread_barrier_wait(&r->sh->open);
    m0 = mallocs;
    v = json_loads(r->text, 0, NULL);
    r->blocks = mallocs - m0;
    r->ok = doc_ok(v, DOC_COMPONENTS, r->tag);
    f0 = frees;
    json_decref(r->sh->handed[r->tag]);
    r->handed_frees = frees - f0;
    f0 = frees;
    json_decref(v);
    r->tree_frees = frees - f0;
    pthread_barrier_wait(&r->sh->done);
    f0 = frees;
    xsirt_json_arena_end();
    r->end_frees = frees - f0;
    return NULL;
}

/* Values made and dropped while both readers' arenas are open: each costs
 * its mallocs and frees on this thread, as without arenas. */
static void *outsider_run(void *arg)
{
    shared *sh = arg;
    size_t took, f0, *bad = calloc(1, sizeof *bad);

    pthread_barrier_wait(&sh->open);
    for (size_t i = 0; i < OUTSIDE_ROUNDS && bad != NULL; i++) {
        json_t *v = value_make(&took);
        f0 = frees;
        json_decref(v);
        if (!XSIRT_SANITIZED && (took < 5 || frees - f0 != took))
            (*bad)++;
    }
    pthread_barrier_wait(&sh->done);
    return bad;
}

static void test_threads(void **state)
{
    shared sh;
    reader r[READERS];
    pthread_t t[READERS], out;
    size_t *bad = NULL;

    (void)state;
    assert_int_equal(pthread_barrier_init(&sh.open, NULL, READERS + 1), 0);
    assert_int_equal(pthread_barrier_init(&sh.done, NULL, READERS + 1), 0);
    for (unsigned i = 0; i < READERS; i++) {
        sh.handed[i] = value_make(&sh.handed_took[i]);
        if (!XSIRT_SANITIZED)
            assert_true(sh.handed_took[i] >= 5);
        r[i] = (reader){&sh, i, doc_make(DOC_COMPONENTS, i), 0, 0, 0, 0, false};
        assert_int_equal(pthread_create(&t[i], NULL, reader_run, &r[i]), 0);
    }
    assert_int_equal(pthread_create(&out, NULL, outsider_run, &sh), 0);
    for (unsigned i = 0; i < READERS; i++)
        assert_int_equal(pthread_join(t[i], NULL), 0);
    assert_int_equal(pthread_join(out, (void **)&bad), 0);
    assert_non_null(bad);
    assert_int_equal(*bad, 0);
    free(bad);
    for (unsigned i = 0; i < READERS; i++) {
        assert_true(r[i].ok);
        if (!XSIRT_SANITIZED) {
            assert_int_equal(r[i].handed_frees, sh.handed_took[i]);
            assert_int_equal(r[i].tree_frees, 0);
            assert_in_range(r[i].blocks, 8, 400);   /* the server's small blocks */
            assert_int_equal(r[i].end_frees, r[i].blocks + 1);
        }
        free(r[i].text);
    }
    pthread_barrier_destroy(&sh.open);
    pthread_barrier_destroy(&sh.done);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_outside_is_malloc, teardown),
        cmocka_unit_test_teardown(test_inside_costs_blocks_only, teardown),
        cmocka_unit_test_teardown(test_made_outside_freed_inside, teardown),
        cmocka_unit_test_teardown(test_large_and_nested, teardown),
        cmocka_unit_test_teardown(test_threads, teardown),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
