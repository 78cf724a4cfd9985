/*
 * version_hex.c — Hex (Elixir/Erlang) versions, ordered as Elixir's
 * Version.compare/2 orders them (Elixir lib/elixir/lib/version.ex).
 *
 * Strict SemVer 2.0: MAJOR.MINOR.PATCH[-PRE][+BUILD], numbers without
 * leading zeros, identifiers of [0-9A-Za-z-], numeric prerelease
 * identifiers without leading zeros. Numbers compare by value (any
 * size); a version with a prerelease is older than the same one without;
 * prerelease lists compare item by item (numbers before words, words
 * byte-wise, a shorter list first); build metadata is ignored, so
 * 1.0.0+a equals 1.0.0+b.
 */
#include <string.h>

#include "core/str.h"
#include "core/version_scheme.h"
#include "core/version_util.h"

typedef struct hex_version {
    xsirt_vspan num[3];
    xsirt_vspan pre;    /* n == 0: none */
    int has_pre;
} hex_version;

static int hex_number(xsirt_vspan *out, const char *p, const char *e)
{
    out->p = p;
    out->n = (size_t)(e - p);
    if (out->n == 0 || (out->n > 1 && *p == '0'))
        return -1;
    for (; p < e; p++)
        if (!xsirt_is_digit((unsigned char)*p))
            return -1;
    return 0;
}

static int hex_all_digits(const char *p, const char *e)
{
    for (; p < e; p++)
        if (!xsirt_is_digit((unsigned char)*p))
            return 0;
    return 1;
}

/* Dot-separated non-empty [0-9A-Za-z-] identifiers; numeric ones without
 * leading zeros when numeric_rule is set (prerelease). */
static const char *hex_identifiers(const char *p, const char *e, int numeric_rule)
{
    for (;;) {
        const char *s = p;
        while (p < e && (xsirt_is_alnum((unsigned char)*p) || *p == '-'))
            p++;
        if (p == s)
            return s;
        if (numeric_rule && hex_all_digits(s, p) && p - s > 1 && *s == '0')
            return s;
        if (p == e)
            return NULL;
        if (*p != '.')
            return p;
        p++;
    }
}

static int hex_parse(hex_version *h, const char *v, xsirt_error *err)
{
    const char *e = v + strlen(v), *plus = strchr(v, '+'), *core_end, *dash, *p, *bad;
    const char *names[3] = {"major", "minor", "patch"};

    core_end = plus != NULL ? plus : e;
    dash = memchr(v, '-', (size_t)(core_end - v));
    h->has_pre = dash != NULL;
    h->pre.p = dash != NULL ? dash + 1 : core_end;
    h->pre.n = (size_t)(core_end - h->pre.p);
    if (dash != NULL)
        core_end = dash;
    p = v;
    for (int i = 0; i < 3; i++) {
        const char *dot = i < 2 ? memchr(p, '.', (size_t)(core_end - p)) : core_end;
        if (dot == NULL)
            return xsirt_vutil_invalid(err, "hex", v, "expected MAJOR.MINOR.PATCH");
        if (i == 2 && memchr(p, '.', (size_t)(core_end - p)) != NULL)
            return xsirt_vutil_invalid(err, "hex", v, "more than three version numbers");
        if (hex_number(&h->num[i], p, dot) != 0)
            return xsirt_vutil_invalid(err, "hex", v,
                                       "%s version is not a number without leading zeros",
                                       names[i]);
        p = dot + 1;
    }
    if (h->has_pre && (bad = hex_identifiers(h->pre.p, h->pre.p + h->pre.n, 1)) != NULL)
        return xsirt_vutil_invalid(err, "hex", v, "bad prerelease identifier at character %zu",
                                   (size_t)(bad - v) + 1);
    if (plus != NULL && (bad = hex_identifiers(plus + 1, e, 0)) != NULL)
        return xsirt_vutil_invalid(err, "hex", v, "bad build identifier at character %zu",
                                   (size_t)(bad - v) + 1);
    return 0;
}

/* Erlang term order of two prerelease lists: integers before binaries. */
static int hex_pre_cmp(xsirt_vspan a, xsirt_vspan b)
{
    const char *pa = a.p, *ea = a.p + a.n, *pb = b.p, *eb = b.p + b.n;

    for (;;) {
        const char *sa, *sb;
        int na, nb, c;
        if (pa >= ea || pb >= eb)
            return (pa < ea) - (pb < eb);
        for (sa = pa; pa < ea && *pa != '.'; pa++)
            ;
        for (sb = pb; pb < eb && *pb != '.'; pb++)
            ;
        na = hex_all_digits(sa, pa);
        nb = hex_all_digits(sb, pb);
        if (na != nb)
            return na ? -1 : 1;
        c = na ? xsirt_vutil_digits_cmp(sa, (size_t)(pa - sa), sb, (size_t)(pb - sb))
               : xsirt_vutil_bytes_cmp(sa, (size_t)(pa - sa), sb, (size_t)(pb - sb));
        if (c != 0)
            return c;
        pa += pa < ea; /* the '.' */
        pb += pb < eb;
    }
}

static int hex_cmp(const hex_version *a, const hex_version *b)
{
    for (int i = 0; i < 3; i++) {
        int c = xsirt_vutil_digits_cmp(a->num[i].p, a->num[i].n, b->num[i].p, b->num[i].n);
        if (c != 0)
            return c;
    }
    if (a->has_pre != b->has_pre)
        return a->has_pre ? -1 : 1;
    return a->has_pre ? hex_pre_cmp(a->pre, b->pre) : 0;
}

static int hex_validate(const char *v, xsirt_error *err)
{
    hex_version h;
    return hex_parse(&h, v, err);
}

static int hex_compare(int *out, const char *a, const char *b, xsirt_error *err)
{
    hex_version va, vb;
    int rc;

    if ((rc = hex_parse(&va, a, err)) != 0 || (rc = hex_parse(&vb, b, err)) != 0)
        return rc;
    *out = hex_cmp(&va, &vb);
    return 0;
}

XSIRT_VERSION_PARSED_HOOKS(hex, hex_version, hex_parse, hex_cmp)

const xsirt_version_scheme xsirt_version_scheme_hex = {
    "hex", hex_validate, hex_compare, XSIRT_VERSION_PARSED(hex),
};
