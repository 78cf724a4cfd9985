/*
 * test_vers_prepared.c — prepared ranges (xsirt_vers_prepare from a parsed
 * range, xsirt_vers_prepare_parts from constraints, and the same in the
 * caller's memory with xsirt_vers_prepare_parts_at) contain exactly what
 * xsirt_vers_contains says, for ranges of several schemes and versions on
 * and around their bounds; XSIRT_VERS_ORDERED keeps the written order;
 * malformed parts are refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "xsirt/vers.h"

static const char *const ranges[] = {
    "vers:npm/>=1.0.0|<2.0.0",
    "vers:npm/1.0.0|>=1.5.0-beta.1|<1.6.0|!=1.5.3|>=3.0.0",
    "vers:pypi/<1.0|>=2.0.dev0|<=2.1.post1",
    "vers:golang/>=v0.0.0-20200101000000-abcdefabcdef|<v0.7.0",
    "vers:deb/>=1:1.0-1|<1:2.0~rc1",
    "vers:maven/>=2.0-beta9|<2.15.0|2.16.0-SNAPSHOT",
    "vers:generic/*",
    "vers:apk/>=1.2.3-r0|<1.2.3-r5",
    "vers:composer/!=1.0.0",
};

static const char *const versions[] = {
    "0.1.0", "1.0.0", "1.0.1", "1.5.0-beta.1", "1.5.3", "1.5.9", "1.6.0", "2.0.0", "3.0.0",
    "0.9", "1.0", "2.0.dev0", "2.1", "2.1.post1", "2.1.post2", "v0.0.0-20210101000000-abcdefabcdef",
    "v0.6.9", "v0.7.0", "1:1.0-1", "1:1.9", "1:2.0~rc1", "1:2.0", "2.0-beta9", "2.14.1",
    "2.15.0", "2.16.0-SNAPSHOT", "1.2.3-r0", "1.2.3-r4", "1.2.3-r5", "x",
};

static void check_range(const char *text)
{
    xsirt_vers v, w;
    xsirt_vers_prepared *p, *q, *r;
    xsirt_vers_op ops[16];
    const char *parts[16];
    size_t tested = 0, size;
    unsigned char *mem;

    assert_int_equal(xsirt_vers_parse(&v, text, strlen(text), XSIRT_VERS_LENIENT, NULL), 0);
    assert_int_equal(xsirt_vers_parse(&w, text, strlen(text), XSIRT_VERS_LENIENT, NULL), 0);
    assert_true(w.count <= 16);
    for (size_t i = 0; i < w.count; i++) {
        ops[i] = w.constraints[i].op;
        parts[i] = w.constraints[i].version;
    }
    assert_int_equal(xsirt_vers_prepare_parts(&q, w.scheme, ops, parts, w.count, NULL), 0);
    /* In the caller's memory: exactly the size said, a guard byte after it
     * that preparing must leave alone. */
    size = xsirt_vers_prepared_size(w.scheme, parts, w.count);
    assert_non_null(mem = malloc(size + 1));
    mem[size] = 0x5A;
    assert_int_equal(xsirt_vers_prepare_parts_at(&r, mem, w.scheme, ops, parts, w.count, NULL), 0);
    assert_ptr_equal(r, mem);
    assert_int_equal(mem[size], 0x5A);
    assert_int_equal(xsirt_vers_prepare(&p, &v, NULL), 0);
    assert_int_equal(v.count, 0);   /* taken over */
    for (size_t k = 0; k < sizeof versions / sizeof *versions; k++) {
        xsirt_version *pv;
        bool want = false, a = true, b = true, c = true;
        int rw = xsirt_vers_contains(&want, xsirt_vers_prepared_range(p), versions[k], NULL);
        if (xsirt_version_parse(&pv, w.scheme, versions[k], NULL) != 0) {
            assert_int_not_equal(rw, 0);   /* invalid on both paths */
            continue;
        }
        assert_int_equal(xsirt_vers_prepared_contains(&a, p, pv, NULL), rw);
        assert_int_equal(xsirt_vers_prepared_contains(&b, q, pv, NULL), rw);
        assert_int_equal(xsirt_vers_prepared_contains(&c, r, pv, NULL), rw);
        if (rw == 0 && (a != want || b != want || c != want))
            fail_msg("%s contains %s: strings %d, prepared %d, parts %d, at %d", text,
                     versions[k], want, a, b, c);
        tested++;
        xsirt_version_free(pv);
    }
    if (tested < 3)
        fail_msg("%s: only %zu versions tested", text, tested);
    xsirt_vers_prepared_free(p);
    xsirt_vers_prepared_free(q);
    xsirt_vers_prepared_free(r);   /* leaves the caller's memory alone */
    free(mem);
    xsirt_vers_free(&v);
    xsirt_vers_free(&w);
}

static void test_prepared_contains(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof ranges / sizeof *ranges; i++)
        check_range(ranges[i]);
}

static void test_ordered_and_errors(void **state)
{
    static const char text[] = "vers:npm/<2.0.0|>=1.0.0";
    xsirt_vers v;
    xsirt_vers_prepared *p;
    xsirt_version *pv;
    const xsirt_version_scheme *npm = xsirt_version_scheme_find("npm");
    xsirt_vers_op bad = (xsirt_vers_op)42, lt = XSIRT_VERS_LT;
    const char *one = "1.0.0", *none = NULL;
    bool in = false;

    (void)state;
    assert_int_equal(xsirt_vers_parse(&v, text, strlen(text), XSIRT_VERS_LENIENT, NULL), 0);
    assert_int_equal(v.constraints[0].op, XSIRT_VERS_GE);   /* sorted */
    xsirt_vers_free(&v);
    assert_int_equal(xsirt_vers_parse(&v, text, strlen(text),
                                      XSIRT_VERS_LENIENT | XSIRT_VERS_ORDERED, NULL), 0);
    assert_int_equal(v.constraints[0].op, XSIRT_VERS_LT);   /* as written */
    xsirt_vers_free(&v);
    assert_int_equal(xsirt_vers_prepare_parts(&p, npm, &bad, &one, 1, NULL), XSIRT_EINVAL);
    assert_int_equal(xsirt_vers_prepare_parts(&p, npm, &lt, &none, 1, NULL), XSIRT_EINVAL);
    assert_int_equal(xsirt_vers_prepare_parts(&p, NULL, &lt, &one, 1, NULL), XSIRT_ENOTFOUND);
    assert_int_equal(xsirt_vers_prepare_parts(&p, npm, &lt, &one, 1, NULL), 0);
    /* A version of another scheme is refused, not compared. */
    assert_int_equal(xsirt_version_parse(&pv, xsirt_version_scheme_find("pypi"), "0.5", NULL), 0);
    assert_int_equal(xsirt_vers_prepared_contains(&in, p, pv, NULL), XSIRT_EINVAL);
    xsirt_version_free(pv);
    assert_int_equal(xsirt_version_parse(&pv, npm, "0.5.0", NULL), 0);
    assert_int_equal(xsirt_vers_prepared_contains(&in, p, pv, NULL), 0);
    assert_true(in);
    xsirt_version_free(pv);
    xsirt_vers_prepared_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_prepared_contains),
        cmocka_unit_test(test_ordered_and_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
