/*
 * test_version_parsed.c — parsed versions (xsirt_version_parse/_cmp) order
 * exactly as string comparison (xsirt_version_compare) does, in every
 * scheme, over a pool of versions chosen to hit each scheme's corners;
 * parsing accepts exactly what validation accepts, with the same error.
 * The string path itself is checked against the references elsewhere.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "xsirt/version.h"

static const char *const pool[] = {
    "0", "0.0", "1", "1.0", "1.0.0", "v1.0.0", "1.0.0-alpha", "1.0.0-alpha.1",
    "1.0.0-alpha.beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0+build.5",
    "1.0.0-0.3.7", "1.0.0-x.7.z.92", "v1.2.3", "v1.2.3+incompatible", "v2.0.0+incompatible",
    "v0.0.0-20191109021931-daa7c04131f5", "v1.2.4-0.20200101000000-abcdef123456",
    "1.2.3", "1.2.10", "1.10.2", "2.0.1+cu118", "2.0.1", "1.0a1", "1.0b2", "1.0rc1",
    "1.0.post1", "1.0.dev3", "1!0.5", "1.0+local.7", "1.0+local.abc", "1.0-1", "1:1.0-1",
    "1.0~rc1", "1.0~rc1-1", "2:0.9", "1.0-1ubuntu1", "1.0+dfsg-2", "1.0-1.el8", "1.0-1.el9",
    "1.0^git1", "2.1-SNAPSHOT", "2.1", "2.1-final", "2.1-sp1", "2.1-RC2", "2.1-alpha-1",
    "1.0.0.0", "1.0.0.1", "1.0.0-beta.1+meta", "1.2.3-r0", "1.2.3-r1", "1.2.3_alpha",
    "1.2.3_p1", "1.0.0.pre", "1.0.0.a.1", "10.0", "99999999999999999999.0", "1.0-dev",
    "1.0.0-pre.1", "1.0.0+build", "3.0.0-beta.2+1", "1.2-beta", "1.2.b", "1.2.0.0",
};

#define POOL (sizeof pool / sizeof pool[0])

static void check_scheme(const xsirt_version_scheme *s)
{
    xsirt_version *v[POOL];
    size_t valid = 0;

    for (size_t i = 0; i < POOL; i++) {
        xsirt_error ev, ep;
        int rv = xsirt_version_validate(s, pool[i], &ev);
        int rp = xsirt_version_parse(&v[i], s, pool[i], &ep);
        if (rv != rp || (rv != 0 && strcmp(ev.message, ep.message) != 0))
            fail_msg("%s %s: validate %d (%s), parse %d (%s)", xsirt_version_scheme_name(s),
                     pool[i], rv, rv ? ev.message : "", rp, rp ? ep.message : "");
        if (rp != 0) {
            assert_null(v[i]);
            continue;
        }
        valid++;
        assert_string_equal(xsirt_version_text(v[i]), pool[i]);
        assert_ptr_equal(xsirt_version_scheme_of(v[i]), s);
    }
    /* The pool must exercise every scheme, not skip it. */
    if (valid < 5)
        fail_msg("%s: only %zu valid versions in the pool", xsirt_version_scheme_name(s), valid);
    for (size_t i = 0; i < POOL; i++)
        for (size_t j = 0; j < POOL && v[i] != NULL; j++) {
            int want = 0;
            if (v[j] == NULL)
                continue;
            assert_int_equal(xsirt_version_compare(&want, s, pool[i], pool[j], NULL), 0);
            if (xsirt_version_cmp(v[i], v[j]) != want)
                fail_msg("%s: %s vs %s: parsed %d, strings %d", xsirt_version_scheme_name(s),
                         pool[i], pool[j], xsirt_version_cmp(v[i], v[j]), want);
        }
    for (size_t i = 0; i < POOL; i++)
        xsirt_version_free(v[i]);
}

static void test_parsed_orders_as_strings(void **state)
{
    (void)state;
    assert_true(xsirt_version_scheme_count() >= 16);
    for (size_t k = 0; k < xsirt_version_scheme_count(); k++)
        check_scheme(xsirt_version_scheme_at(k));
}

static void test_parse_errors(void **state)
{
    xsirt_version *v = (xsirt_version *)&v;
    xsirt_error err;
    char *big = malloc(2000);

    (void)state;
    assert_int_equal(xsirt_version_parse(&v, NULL, "1.0", &err), XSIRT_ENOTFOUND);
    assert_null(v);
    assert_int_equal(xsirt_version_parse(&v, xsirt_version_scheme_find("pypi"), NULL, &err),
                     XSIRT_EINVAL);
    assert_non_null(big);
    memset(big, '1', 1999);
    big[1999] = '\0';
    assert_int_equal(xsirt_version_parse(&v, xsirt_version_scheme_find("generic"), big, &err),
                     XSIRT_ELIMIT);
    free(big);
    assert_int_equal(xsirt_version_parse(&v, xsirt_version_scheme_find("golang"), "1.0", &err),
                     XSIRT_EINVAL);
    assert_non_null(strstr(err.message, "leading 'v'"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parsed_orders_as_strings),
        cmocka_unit_test(test_parse_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
