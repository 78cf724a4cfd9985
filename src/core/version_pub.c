/*
 * version_pub.c — Dart pub versions, ordered as pub_semver's
 * Version.compareTo orders them (dart-lang/pub_semver lib/src/version.dart).
 *
 * MAJOR.MINOR.PATCH[-PRE][+BUILD] with the numbers as 64-bit integers
 * (leading zeros allowed; larger numbers do not parse) and dot-separated
 * [0-9A-Za-z-] identifiers. An identifier is a number when Dart's
 * int.tryParse reads it (decimal with an optional '-' within 64 bits, or
 * 0x hexadecimal), else text. Unlike SemVer, build metadata orders too:
 * a version without build is older than one with, and builds compare
 * like prereleases (numbers before text, text byte-wise, shorter first).
 */
#include <stdint.h>
#include <string.h>

#include "core/str.h"
#include "core/version_scheme.h"
#include "core/version_util.h"

typedef struct pub_version {
    uint64_t num[3];
    xsirt_vspan pre;
    xsirt_vspan build;
    int has_pre, has_build;
} pub_version;

/* int.parse of a digit run: 0 and the value, or -1 past 2^63 - 1. */
static int pub_u63(uint64_t *out, const char *p, size_t n)
{
    uint64_t v = 0;

    for (size_t i = 0; i < n; i++) {
        unsigned d = (unsigned)(p[i] - '0');
        if (v > (UINT64_C(0x7fffffffffffffff) - d) / 10)
            return -1;
        v = v * 10 + d;
    }
    *out = v;
    return 0;
}

static int pub_hexval(int c)
{
    if (xsirt_is_digit(c))
        return c - '0';
    c = xsirt_ascii_lower(c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Dart's int.tryParse on an identifier: 1 with *out set, or 0 (text). */
static int pub_int(int64_t *out, const char *p, size_t n)
{
    int negative = 0;
    uint64_t v = 0;
    size_t i = 0;

    if (n > 0 && (p[0] == '-' || p[0] == '+')) {
        negative = p[0] == '-';
        i = 1;
    }
    if (i == n)
        return 0;
    if (n - i >= 2 && p[i] == '0' && (p[i + 1] == 'x' || p[i + 1] == 'X')) {
        /* 0x: up to 64 bits, read as two's complement. */
        if ((i += 2) == n)
            return 0;
        for (; i < n; i++) {
            int d = pub_hexval((unsigned char)p[i]);
            if (d < 0 || v > (UINT64_MAX >> 4))
                return 0;
            v = v << 4 | (uint64_t)d;
        }
        *out = (int64_t)(negative ? (uint64_t)0 - v : v);
        return 1;
    }
    for (; i < n; i++) {
        if (!xsirt_is_digit((unsigned char)p[i]))
            return 0;
        if (v > (UINT64_C(0x8000000000000000) - (uint64_t)(p[i] - '0')) / 10)
            return 0;
        v = v * 10 + (uint64_t)(p[i] - '0');
    }
    if (!negative && v > UINT64_C(0x7fffffffffffffff))
        return 0;
    *out = negative ? (int64_t)((uint64_t)0 - v) : (int64_t)v;
    return 1;
}

/* [0-9A-Za-z-]+(\.[0-9A-Za-z-]+)* from p: its end, or NULL. */
static const char *pub_identifiers(const char *p)
{
    for (;;) {
        const char *s = p;
        while (xsirt_is_alnum((unsigned char)*p) || *p == '-')
            p++;
        if (p == s)
            return NULL;
        if (*p != '.' || !(xsirt_is_alnum((unsigned char)p[1]) || p[1] == '-'))
            return p;
        p++;
    }
}

static int pub_parse(pub_version *pv, const char *v, xsirt_error *err)
{
    const char *p = v, *end;

    for (int i = 0; i < 3; i++) {
        const char *s = p;
        while (xsirt_is_digit((unsigned char)*p))
            p++;
        if (p == s || (i < 2 && *p != '.'))
            return xsirt_vutil_invalid(err, "pub", v, "expected MAJOR.MINOR.PATCH");
        if (pub_u63(&pv->num[i], s, (size_t)(p - s)) != 0)
            return xsirt_vutil_invalid(err, "pub", v, "version number out of range");
        if (i < 2)
            p++;
    }
    pv->has_pre = *p == '-';
    pv->pre.p = p;
    pv->pre.n = 0;
    if (pv->has_pre) {
        if ((end = pub_identifiers(p + 1)) == NULL)
            return xsirt_vutil_invalid(err, "pub", v, "empty prerelease");
        pv->pre.p = p + 1;
        pv->pre.n = (size_t)(end - p - 1);
        p = end;
    }
    pv->has_build = *p == '+';
    pv->build.p = p;
    pv->build.n = 0;
    if (pv->has_build) {
        if ((end = pub_identifiers(p + 1)) == NULL)
            return xsirt_vutil_invalid(err, "pub", v, "empty build");
        pv->build.p = p + 1;
        pv->build.n = (size_t)(end - p - 1);
        p = end;
    }
    if (*p != '\0')
        return xsirt_vutil_invalid(err, "pub", v, "unexpected '%c' at character %zu",
                                   (unsigned char)*p < 0x80 ? *p : '?', (size_t)(p - v) + 1);
    return 0;
}

/* pub_semver's _compareLists over two identifier lists. */
static int pub_list_cmp(xsirt_vspan a, xsirt_vspan b)
{
    const char *pa = a.p, *ea = a.p + a.n, *pb = b.p, *eb = b.p + b.n;

    for (;;) {
        const char *sa = pa, *sb = pb;
        int64_t ia = 0, ib = 0;
        int na, nb, c;

        if (pa >= ea || pb >= eb)
            return (pa < ea) - (pb < eb);
        while (pa < ea && *pa != '.')
            pa++;
        while (pb < eb && *pb != '.')
            pb++;
        na = pub_int(&ia, sa, (size_t)(pa - sa));
        nb = pub_int(&ib, sb, (size_t)(pb - sb));
        if (na != nb)
            return na ? -1 : 1;
        c = na ? (ia > ib) - (ia < ib)
               : xsirt_vutil_bytes_cmp(sa, (size_t)(pa - sa), sb, (size_t)(pb - sb));
        if (c != 0)
            return c;
        pa += pa < ea;
        pb += pb < eb;
    }
}

static int pub_cmp(const pub_version *a, const pub_version *b)
{
    int c;

    for (int i = 0; i < 3; i++)
        if (a->num[i] != b->num[i])
            return a->num[i] < b->num[i] ? -1 : 1;
    if (a->has_pre != b->has_pre)
        return a->has_pre ? -1 : 1;
    if ((c = pub_list_cmp(a->pre, b->pre)) != 0)
        return c;
    if (a->has_build != b->has_build)
        return a->has_build ? 1 : -1;
    return pub_list_cmp(a->build, b->build);
}

static int pub_validate(const char *v, xsirt_error *err)
{
    pub_version p;
    return pub_parse(&p, v, err);
}

static int pub_compare(int *out, const char *a, const char *b, xsirt_error *err)
{
    pub_version va, vb;
    int rc;

    if ((rc = pub_parse(&va, a, err)) != 0 || (rc = pub_parse(&vb, b, err)) != 0)
        return rc;
    *out = pub_cmp(&va, &vb);
    return 0;
}

XSIRT_VERSION_PARSED_HOOKS(pub, pub_version, pub_parse, pub_cmp)

const xsirt_version_scheme xsirt_version_scheme_pub = {
    "pub", pub_validate, pub_compare, XSIRT_VERSION_PARSED(pub),
};
