/*
 * version_rpm.c — RPM versions [epoch:]version[-release], ordered as rpm
 * orders them (rpmvercmp() and rpmverCmp() of rpm's lib/rpmvercmp.c and
 * lib/rpmver.c; tests: rpm's tests/rpmvercmp.at).
 *
 * Each part is compared with rpmvercmp: separators (anything but ASCII
 * letters, digits, '~' and '^') only delimit; '~' sorts before anything,
 * even the end; '^' sorts after the end but before anything else; digit
 * runs compare as numbers of any length and beat letter runs; letter
 * runs compare byte-wise. The epoch is leading digits before ':' (an
 * empty one is "0", a missing one compares as "0"); the release follows
 * the last '-', and a version without one is older than the same version
 * with any release, as rpmverCmp() has it. Every non-empty string is a
 * version, as for rpm.
 */
#include <string.h>

#include "core/str.h"
#include "core/version_scheme.h"
#include "core/version_util.h"

typedef struct rpm_version {
    xsirt_vspan epoch;
    xsirt_vspan version;
    xsirt_vspan release;
    int has_release;
} rpm_version;

static int rpm_parse(rpm_version *out, const char *v, xsirt_error *err)
{
    const char *s = v, *dash;
    size_t len = strlen(v);

    if (len == 0)
        return xsirt_vutil_invalid(err, "rpm", v, "empty version");
    while (xsirt_is_digit((unsigned char)*s))
        s++;
    dash = strrchr(s, '-');
    out->epoch.p = "0";
    out->epoch.n = 1;
    out->version.p = v;
    if (*s == ':') {
        if (s > v) {
            out->epoch.p = v;
            out->epoch.n = (size_t)(s - v);
        }
        out->version.p = s + 1;
    }
    out->has_release = dash != NULL;
    if (dash != NULL) {
        out->version.n = (size_t)(dash - out->version.p);
        out->release.p = dash + 1;
        out->release.n = (size_t)(v + len - dash - 1);
    } else {
        out->version.n = (size_t)(v + len - out->version.p);
        out->release.p = v + len;
        out->release.n = 0;
    }
    return 0;
}

static int rpm_sep(int c)
{
    return !xsirt_is_alnum(c) && c != '~' && c != '^';
}

/* rpmvercmp over two byte ranges. */
static int rpm_vercmp(xsirt_vspan a, xsirt_vspan b)
{
    size_t i = 0, j = 0;

    if (a.n == b.n && memcmp(a.p, b.p, a.n) == 0)
        return 0;
#define RPM_AT(s, k) ((k) < (s).n ? (unsigned char)(s).p[k] : 0)
    while (i < a.n || j < b.n) {
        size_t si, sj;
        int numeric, c;

        while (i < a.n && rpm_sep(RPM_AT(a, i)))
            i++;
        while (j < b.n && rpm_sep(RPM_AT(b, j)))
            j++;
        if (RPM_AT(a, i) == '~' || RPM_AT(b, j) == '~') {
            if (RPM_AT(a, i) != '~')
                return 1;
            if (RPM_AT(b, j) != '~')
                return -1;
            i++;
            j++;
            continue;
        }
        if (RPM_AT(a, i) == '^' || RPM_AT(b, j) == '^') {
            if (i == a.n)
                return -1;
            if (j == b.n)
                return 1;
            if (RPM_AT(a, i) != '^')
                return 1;
            if (RPM_AT(b, j) != '^')
                return -1;
            i++;
            j++;
            continue;
        }
        if (i == a.n || j == b.n)
            break;
        numeric = xsirt_is_digit(RPM_AT(a, i));
        for (si = i; si < a.n && (numeric ? xsirt_is_digit(RPM_AT(a, si))
                                          : xsirt_is_alpha(RPM_AT(a, si))); si++)
            ;
        for (sj = j; sj < b.n && (numeric ? xsirt_is_digit(RPM_AT(b, sj))
                                          : xsirt_is_alpha(RPM_AT(b, sj))); sj++)
            ;
        if (sj == j)
            return numeric ? 1 : -1;
        if (numeric)
            c = xsirt_vutil_digits_cmp(a.p + i, si - i, b.p + j, sj - j);
        else
            c = xsirt_vutil_bytes_cmp(a.p + i, si - i, b.p + j, sj - j);
        if (c != 0)
            return c;
        i = si;
        j = sj;
    }
#undef RPM_AT
    if (i == a.n && j == b.n)
        return 0;
    return i == a.n ? -1 : 1;
}

static int rpm_cmp(const rpm_version *a, const rpm_version *b)
{
    int c;

    if ((c = rpm_vercmp(a->epoch, b->epoch)) != 0)
        return c;
    if ((c = rpm_vercmp(a->version, b->version)) != 0)
        return c;
    if (a->has_release != b->has_release)
        return a->has_release ? 1 : -1;
    return a->has_release ? rpm_vercmp(a->release, b->release) : 0;
}

static int rpm_validate(const char *v, xsirt_error *err)
{
    rpm_version r;
    return rpm_parse(&r, v, err);
}

static int rpm_compare(int *out, const char *a, const char *b, xsirt_error *err)
{
    /* Zeroed: rpm_parse fills both on success, but gcc -O3 cannot see it
     * (-Wmaybe-uninitialized). */
    rpm_version va = {0}, vb = {0};
    int rc;

    if ((rc = rpm_parse(&va, a, err)) != 0 || (rc = rpm_parse(&vb, b, err)) != 0)
        return rc;
    *out = rpm_cmp(&va, &vb);
    return 0;
}

XSIRT_VERSION_PARSED_HOOKS(rpm, rpm_version, rpm_parse, rpm_cmp)

const xsirt_version_scheme xsirt_version_scheme_rpm = {
    "rpm", rpm_validate, rpm_compare, XSIRT_VERSION_PARSED(rpm),
};
