/*
 * version_semver_core.c — the SemVer 2.0.0 core shared by the semver, npm,
 * golang and cargo schemes, and helpers for pypi, maven and nuget.
 *
 * Numbers are kept as digit strings and compared by length then bytes, so
 * "18446744073709551616" needs no big-integer type; each scheme adds the
 * numeric limits of its own reference (npm: 2^53-1, cargo: u64) on top.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "core/version_semver_core.h"

int xsirt_version_fail(xsirt_error *err, const char *scheme, const char *v, size_t pos,
                       const char *what)
{
    char q[96];

    xsirt_quote(q, sizeof q, v, strlen(v));
    return xsirt_error_set_at(err, XSIRT_EINVAL, 0, (unsigned long)pos + 1,
                              "invalid %s version %s: %s at byte %zu", scheme, q, what,
                              pos + 1);
}

int xsirt_version_which(xsirt_error *err, int rc, int second)
{
    if (rc != 0 && err != NULL)
        xsirt_error_prefix(err, "%s version: ", second ? "the second" : "the first");
    return rc;
}

int xsirt_vdigits_cmp_any(const char *a, size_t alen, const char *b, size_t blen)
{
    int c;

    while (alen > 0 && *a == '0') { a++; alen--; }
    while (blen > 0 && *b == '0') { b++; blen--; }
    if (alen != blen)
        return alen < blen ? -1 : 1;
    c = alen > 0 ? memcmp(a, b, alen) : 0;
    return (c > 0) - (c < 0);
}

int xsirt_vall_digits(const char *s, size_t len)
{
    if (len == 0)
        return 0;
    for (size_t i = 0; i < len; i++)
        if (!xsirt_is_digit((unsigned char)s[i]))
            return 0;
    return 1;
}

size_t xsirt_vutf8_next(const char *s, size_t len, size_t i, uint32_t *cp)
{
    const unsigned char *u = (const unsigned char *)s + i;
    size_t n, avail = len - i;
    uint32_t c, min;

    if (u[0] < 0x80) {
        *cp = u[0];
        return 1;
    }
    if (u[0] >= 0xC2 && u[0] <= 0xDF) { n = 2; c = u[0] & 0x1Fu; min = 0x80; }
    else if (u[0] >= 0xE0 && u[0] <= 0xEF) { n = 3; c = u[0] & 0x0Fu; min = 0x800; }
    else if (u[0] >= 0xF0 && u[0] <= 0xF4) { n = 4; c = u[0] & 0x07u; min = 0x10000; }
    else return 0;
    if (avail < n)
        return 0;
    for (size_t k = 1; k < n; k++) {
        if ((u[k] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (u[k] & 0x3Fu);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return n;
}

int xsirt_vspace(uint32_t cp, enum xsirt_vspace_kind kind)
{
    if ((cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0xA0 || cp == 0x1680 ||
        (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F ||
        cp == 0x205F || cp == 0x3000)
        return 1;
    switch (kind) {
    case XSIRT_VSPACE_JS:
        return cp == 0xFEFF;
    case XSIRT_VSPACE_PYTHON:
        return (cp >= 0x1C && cp <= 0x1F) || cp == 0x85;
    case XSIRT_VSPACE_DOTNET:
        return cp == 0x85;
    }
    return 0;
}

int xsirt_vtrim(const char *s, size_t len, enum xsirt_vspace_kind kind, size_t *start,
                size_t *end)
{
    size_t i = 0, first = len, last = 0;

    /* Most versions are ASCII: nothing to decode, only the ends to trim. */
    while (i < len && (unsigned char)s[i] < 0x80)
        i++;
    if (i == len) {
        for (first = 0; first < len && xsirt_vspace((unsigned char)s[first], kind); first++)
            ;
        for (last = len; last > first && xsirt_vspace((unsigned char)s[last - 1], kind); last--)
            ;
        *start = first;
        *end = first == len ? len : last;
        return 0;
    }
    i = 0;
    while (i < len) {
        uint32_t cp;
        size_t n = xsirt_vutf8_next(s, len, i, &cp);
        if (n == 0)
            return -1;
        if (!xsirt_vspace(cp, kind)) {
            if (first == len)
                first = i;
            last = i + n;
        }
        i += n;
    }
    *start = first == len ? len : first;
    *end = first == len ? len : last;
    return 0;
}

static int semver_ident_char(int c)
{
    return xsirt_is_alnum(c) || c == '-';
}

static size_t semver_digits(const char *s, size_t len, size_t i)
{
    size_t n = 0;

    while (i + n < len && xsirt_is_digit((unsigned char)s[i + n]))
        n++;
    return n;
}

/* Dot-separated identifiers from s[*i] up to '+' (pre-release) or the end;
 * numeric identifiers may not have leading zeros when strict_numbers. */
static int semver_idents(const char *s, size_t len, size_t *i, int stop_at_plus,
                         int strict_numbers, const char *scheme, const char *whole,
                         size_t base, xsirt_error *err)
{
    const char *what = stop_at_plus ? "pre-release" : "build metadata";
    char msg[96];
    size_t p = *i;

    for (;;) {
        size_t start = p;
        while (p < len && semver_ident_char((unsigned char)s[p]))
            p++;
        if (p == start) {
            snprintf(msg, sizeof msg, "empty %s identifier", what);
            return xsirt_version_fail(err, scheme, whole, base + p, msg);
        }
        if (strict_numbers && p - start > 1 && s[start] == '0' &&
            xsirt_vall_digits(s + start, p - start)) {
            snprintf(msg, sizeof msg, "leading zero in numeric %s identifier", what);
            return xsirt_version_fail(err, scheme, whole, base + start, msg);
        }
        if (p < len && s[p] == '.') {
            p++;
            continue;
        }
        if (p == len || (stop_at_plus && s[p] == '+'))
            break;
        snprintf(msg, sizeof msg, "unexpected character in %s", what);
        return xsirt_version_fail(err, scheme, whole, base + p, msg);
    }
    *i = p;
    return 0;
}

int xsirt_semver_parse(xsirt_semver *out, const char *s, size_t len, unsigned flags,
                       const char *scheme, const char *whole, size_t base,
                       xsirt_error *err)
{
    static const char *const names[3] = {"major", "minor", "patch"};
    char msg[80];
    size_t i = 0;
    int rc;

    memset(out, 0, sizeof *out);
    for (int k = 0; k < 3; k++) {
        size_t n;
        if (k > 0) {
            if (i == len && (flags & XSIRT_SEMVER_GO_SHORTHAND)) {
                out->num[k] = "0";
                out->num_len[k] = 1;
                continue;
            }
            if (i >= len || s[i] != '.') {
                snprintf(msg, sizeof msg, "expected '.' after the %s number", names[k - 1]);
                return xsirt_version_fail(err, scheme, whole, base + i, msg);
            }
            i++;
        }
        n = semver_digits(s, len, i);
        if (n == 0) {
            snprintf(msg, sizeof msg, "expected the %s number", names[k]);
            return xsirt_version_fail(err, scheme, whole, base + i, msg);
        }
        if (n > 1 && s[i] == '0') {
            snprintf(msg, sizeof msg, "leading zero in the %s number", names[k]);
            return xsirt_version_fail(err, scheme, whole, base + i, msg);
        }
        out->num[k] = s + i;
        out->num_len[k] = n;
        i += n;
    }
    out->key = 0;
    for (int k = 0; k < 3 && out->key != XSIRT_SEMVER_NO_KEY; k++) {
        uint64_t v = 0;
        if (out->num_len[k] > 6) {
            out->key = XSIRT_SEMVER_NO_KEY;
            break;
        }
        for (size_t d = 0; d < out->num_len[k]; d++)
            v = v * 10 + (uint64_t)(out->num[k][d] - '0');
        out->key = out->key << 21 | v;
    }
    if (i < len && s[i] == '-') {
        size_t start = ++i;
        if ((rc = semver_idents(s, len, &i, 1, 1, scheme, whole, base, err)) != 0)
            return rc;
        out->pre = s + start;
        out->pre_len = i - start;
    }
    if (i < len && s[i] == '+') {
        size_t start = ++i;
        if ((rc = semver_idents(s, len, &i, 0, 0, scheme, whole, base, err)) != 0)
            return rc;
        out->build = s + start;
        out->build_len = i - start;
    }
    if (i < len)
        return xsirt_version_fail(err, scheme, whole, base + i, "unexpected character");
    return 0;
}

/* A pre-release identifier as a JavaScript number: the correctly rounded
 * double of its digits (Infinity past the double range). */
static double semver_js_number(const char *s, size_t len)
{
    char buf[400];

    if (len >= sizeof buf)
        return HUGE_VAL;
    memcpy(buf, s, len);
    buf[len] = '\0';
    return strtod(buf, NULL);
}

static int semver_cmp_pre(const xsirt_semver *a, const xsirt_semver *b,
                          enum xsirt_semver_prenum prenum)
{
    size_t pa = 0, pb = 0;

    for (;;) {
        size_t sa = pa, sb = pb, la, lb;
        int an, bn, c;

        if (pa > a->pre_len && pb > b->pre_len)
            return 0;
        if (pa > a->pre_len)
            return -1;
        if (pb > b->pre_len)
            return 1;
        while (pa < a->pre_len && a->pre[pa] != '.')
            pa++;
        while (pb < b->pre_len && b->pre[pb] != '.')
            pb++;
        la = pa - sa;
        lb = pb - sb;
        pa++;
        pb++;
        if (la == lb && memcmp(a->pre + sa, b->pre + sb, la) == 0)
            continue;
        an = xsirt_vall_digits(a->pre + sa, la);
        bn = xsirt_vall_digits(b->pre + sb, lb);
        if (an && bn) {
            if (prenum == XSIRT_SEMVER_PRENUM_NODE) {
                double da = semver_js_number(a->pre + sa, la);
                double db = semver_js_number(b->pre + sb, lb);
                return (da > db) - (da < db);
            }
            return xsirt_vdigits_cmp(a->pre + sa, la, b->pre + sb, lb);
        }
        if (an || bn)
            return an ? -1 : 1;
        c = memcmp(a->pre + sa, b->pre + sb, la < lb ? la : lb);
        if (c != 0)
            return c < 0 ? -1 : 1;
        return la < lb ? -1 : 1;
    }
}

int xsirt_semver_cmp(const xsirt_semver *a, const xsirt_semver *b,
                     enum xsirt_semver_prenum prenum)
{
    if (a->key != XSIRT_SEMVER_NO_KEY && b->key != XSIRT_SEMVER_NO_KEY) {
        if (a->key != b->key)
            return a->key < b->key ? -1 : 1;
    } else {
        for (int k = 0; k < 3; k++) {
            int c = xsirt_vdigits_cmp(a->num[k], a->num_len[k], b->num[k], b->num_len[k]);
            if (c != 0)
                return c;
        }
    }
    if (a->pre == NULL || b->pre == NULL)
        return (a->pre == NULL) - (b->pre == NULL);
    return semver_cmp_pre(a, b, prenum);
}
