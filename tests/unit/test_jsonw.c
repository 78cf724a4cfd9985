/*
 * test_jsonw.c — the streaming JSON writer (src/formats/jsonw.c) writes
 * the very bytes json_dumps gives for the same tree, compact and indented:
 * nested and empty containers, every escape, numbers, values handed over
 * at depth, compact text laid out again; and it stops at a sink's error.
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

#include "core/buf.h"
#include "formats/jsonw.h"

/* Awkward on purpose: escapes and controls, brackets, commas, colons and
 * quotes inside strings, empty containers at every depth, reals. */
static const char tricky[] =
    "{\"a\":[1,2.5,{\"b\":{},\"c\":[]},[],[[]],\"x,y:{z}[\\\"q\\\"]\"],"
    "\"s\":\"tab\\tnl\\nquote\\\"back\\\\ctl\\u0001\\u001f del\\u007f \\u00e9 /\","
    "\"e\":{},\"n\":null,\"t\":true,\"f\":false,\"r\":9.8,\"i\":-12}";

static char *writer_text(unsigned indent, json_t *v)
{
    xsirt_buf b;
    xsirt_jsonw *w = malloc(sizeof *w);
    char *out;

    assert_non_null(w);
    xsirt_buf_init(&b, 1u << 20);
    xsirt_jsonw_init(w, xsirt_jsonw_sink_buf, &b, indent, 15, NULL);
    /* The same document as {"pre": "p", "doc": v, "list": [v, {}], "k": 3}
     * written in pieces, v handed over at depth 1 and 2. */
    xsirt_jsonw_begin(w, '{');
    xsirt_jsonw_kstring(w, "pre", "p");
    xsirt_jsonw_kvalue_new(w, "doc", json_incref(v));
    xsirt_jsonw_key(w, "list");
    xsirt_jsonw_begin(w, '[');
    xsirt_jsonw_value_new(w, json_incref(v));
    xsirt_jsonw_begin(w, '{');
    xsirt_jsonw_end(w, '}');
    xsirt_jsonw_end(w, ']');
    xsirt_jsonw_kint(w, "k", 3);
    xsirt_jsonw_end(w, '}');
    assert_int_equal(xsirt_jsonw_finish(w), 0);
    free(w);
    out = xsirt_buf_detach(&b);
    xsirt_buf_free(&b);
    return out;
}

static char *jansson_text(size_t flags, json_t *v)
{
    json_t *doc = json_pack("{s:s,s:O,s:[O,{}],s:i}", "pre", "p", "doc", v, "list", v, "k", 3);
    char *out;

    assert_non_null(doc);
    out = json_dumps(doc, flags | JSON_REAL_PRECISION(15));
    json_decref(doc);
    return out;
}

static void test_same_bytes(void **state)
{
    json_t *v = json_loads(tricky, 0, NULL);
    char *a, *b;

    (void)state;
    assert_non_null(v);
    a = writer_text(2, v);
    b = jansson_text(JSON_INDENT(2), v);
    assert_string_equal(a, b);
    free(a);
    free(b);
    a = writer_text(0, v);
    b = jansson_text(JSON_COMPACT, v);
    assert_string_equal(a, b);
    free(a);
    free(b);
    json_decref(v);
}

/* Strings written by the writer itself escape as jansson does. */
static void test_strings(void **state)
{
    const char *s = "q\"b\\\b\f\n\r\t\x01\x1f\x7f \xc3\xa9/";
    json_t *v = json_string(s);
    char *want = json_dumps(v, JSON_ENCODE_ANY);
    xsirt_buf b;
    xsirt_jsonw w;

    (void)state;
    xsirt_buf_init(&b, 1024);
    xsirt_jsonw_init(&w, xsirt_jsonw_sink_buf, &b, 2, 0, NULL);
    xsirt_jsonw_string(&w, s);
    assert_int_equal(xsirt_jsonw_finish(&w), 0);
    assert_string_equal(xsirt_buf_cstr(&b), want);
    /* Not UTF-8: null, as json_string refuses it. */
    xsirt_buf_reset(&b);
    xsirt_jsonw_init(&w, xsirt_jsonw_sink_buf, &b, 2, 0, NULL);
    xsirt_jsonw_string(&w, "\xff\xfe");
    xsirt_jsonw_string(&w, NULL);
    assert_int_equal(xsirt_jsonw_finish(&w), 0);
    assert_string_equal(xsirt_buf_cstr(&b), "nullnull");
    xsirt_buf_free(&b);
    free(want);
    json_decref(v);
}

/* Compact text laid out again at depth reads as jansson's indentation. */
static void test_compact_value(void **state)
{
    json_t *v = json_loads(tricky, 0, NULL);
    char *compact = json_dumps(v, JSON_COMPACT | JSON_REAL_PRECISION(15));
    char *want = jansson_text(JSON_INDENT(2), v);
    xsirt_buf b;
    xsirt_jsonw *w = malloc(sizeof *w);

    (void)state;
    assert_non_null(w);
    xsirt_buf_init(&b, 1u << 20);
    xsirt_jsonw_init(w, xsirt_jsonw_sink_buf, &b, 2, 15, NULL);
    xsirt_jsonw_begin(w, '{');
    xsirt_jsonw_kstring(w, "pre", "p");
    xsirt_jsonw_key(w, "doc");
    xsirt_jsonw_compact_value(w, compact, strlen(compact));
    xsirt_jsonw_key(w, "list");
    xsirt_jsonw_begin(w, '[');
    xsirt_jsonw_compact_value(w, compact, strlen(compact));
    xsirt_jsonw_compact_value(w, "{}", 2);
    xsirt_jsonw_end(w, ']');
    xsirt_jsonw_kint(w, "k", 3);
    xsirt_jsonw_end(w, '}');
    assert_int_equal(xsirt_jsonw_finish(w), 0);
    assert_string_equal(xsirt_buf_cstr(&b), want);
    xsirt_buf_free(&b);
    free(w);
    free(want);
    free(compact);
    json_decref(v);
}

static int failing_sink(void *ctx, const void *data, size_t len, xsirt_error *err)
{
    (void)ctx;
    (void)data;
    (void)len;
    return xsirt_error_set(err, XSIRT_EIO, "disk full");
}

/* The first error stays; nothing after it is written. */
/* The server's dump: the bytes of json_dumps(JSON_COMPACT) for the tricky
 * document, random documents (every byte value in strings, NUL inside
 * strings, big and negative integers, reals) and deep nesting; refused
 * past the depth limit and past the buffer's maximum. */
static json_t *random_value(unsigned *seed, int depth)
{
    int kind = depth > 4 ? (int)(rand_r(seed) % 5) : (int)(rand_r(seed) % 7);
    char text[40];
    size_t n;
    json_t *v;

    switch (kind) {
    case 0: return json_null();
    case 1: return json_boolean(rand_r(seed) & 1);
    case 2: return json_integer((json_int_t)((long long)rand_r(seed) * rand_r(seed) *
                                             (rand_r(seed) & 1 ? -1 : 1)));
    case 3: return json_real((double)rand_r(seed) / ((double)rand_r(seed) + 1.0) * 1e-3);
    case 4:
        n = (size_t)rand_r(seed) % sizeof text;
        for (size_t i = 0; i < n; i++)
            text[i] = (char)(rand_r(seed) % 0x80);   /* ASCII incl. NUL and controls */
        return json_stringn(text, n);
    case 5:
        v = json_array();
        for (int i = rand_r(seed) % 4; i > 0; i--)
            json_array_append_new(v, random_value(seed, depth + 1));
        return v;
    default:
        v = json_object();
        for (int i = rand_r(seed) % 4; i > 0; i--) {
            snprintf(text, sizeof text, "k\u00e9%d\"\n", rand_r(seed) % 100);
            json_object_set_new(v, text, random_value(seed, depth + 1));
        }
        return v;
    }
}

static void assert_dump_same(json_t *v)
{
    xsirt_buf b;
    char *want = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);

    xsirt_buf_init(&b, 1u << 20);
    assert_int_equal(xsirt_jsonw_dump_compact(&b, v), 0);
    assert_non_null(want);
    assert_int_equal(b.len, strlen(want));
    assert_memory_equal(b.data, want, b.len);
    free(want);
    xsirt_buf_free(&b);
}

static void test_dump_compact(void **state)
{
    unsigned seed = 20261205;
    json_t *v = json_loads(tricky, 0, NULL), *deep, *inner;
    xsirt_buf b;

    (void)state;
    assert_non_null(v);
    assert_dump_same(v);
    json_decref(v);
    for (int i = 0; i < 2000; i++) {
        v = random_value(&seed, 0);
        assert_dump_same(v);
        json_decref(v);
    }
    deep = json_array();
    inner = deep;
    for (unsigned i = 0; i < XSIRT_LIMIT_DEPTH + 4; i++) {
        json_t *next = json_array();
        json_array_append_new(inner, next);
        inner = next;
    }
    xsirt_buf_init(&b, 1u << 20);
    assert_int_equal(xsirt_jsonw_dump_compact(&b, deep), XSIRT_ELIMIT);
    xsirt_buf_free(&b);
    json_decref(deep);
    v = json_string("more than the buffer's maximum of 8 bytes");
    xsirt_buf_init(&b, 8);
    assert_int_equal(xsirt_jsonw_dump_compact(&b, v), XSIRT_ELIMIT);
    xsirt_buf_free(&b);
    json_decref(v);
}

static void test_sink_error(void **state)
{
    xsirt_jsonw *w = malloc(sizeof *w);
    xsirt_error err;

    (void)state;
    assert_non_null(w);
    xsirt_jsonw_init(w, failing_sink, NULL, 2, 0, &err);
    xsirt_jsonw_begin(w, '[');
    for (int i = 0; i < 100000; i++)   /* more than one chunk */
        xsirt_jsonw_int(w, i);
    assert_int_equal(w->rc, XSIRT_EIO);
    xsirt_jsonw_value_new(w, json_string("after"));
    xsirt_jsonw_end(w, ']');
    assert_int_equal(xsirt_jsonw_finish(w), XSIRT_EIO);
    assert_string_equal(err.message, "disk full");
    free(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_bytes),
        cmocka_unit_test(test_strings),
        cmocka_unit_test(test_compact_value),
        cmocka_unit_test(test_sink_error),
        cmocka_unit_test(test_dump_compact),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
