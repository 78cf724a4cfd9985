/*
 * version_gem.c — RubyGems versions, ordered as Gem::Version orders them
 * (rubygems lib/rubygems/version.rb: correct?, canonical_segments, <=>).
 *
 * A version is digits{.alnum}[-alnum-{.alnum-}], surrounded by optional
 * whitespace ("" and blanks mean "0"). Each '-' reads as ".pre.", then
 * the version is cut into runs of digits (numbers of any size) and runs
 * of letters. Trailing zeros are dropped from the numeric part before the
 * first letter run and from the rest, so 1.0 == 1 and 1.0.a == 1.a.
 * Segments compare pairwise, a missing one as 0; a letter run is older
 * than a number (so any version with letters is a prerelease of the
 * numbers before them), letter runs compare byte-wise.
 */
#include <string.h>

#include "core/str.h"
#include "core/version_scheme.h"
#include "core/version_util.h"
#include "xsirt/limits.h"

typedef struct gem_seg {
    xsirt_vspan s;
    int numeric;
} gem_seg;

typedef struct gem_version {
    gem_seg seg[XSIRT_LIMIT_VERSION_PARTS];
    size_t n;
} gem_version;

/* Ruby's \s: space, \t, \n, \v, \f, \r. */
static int gem_space(int c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

static int gem_syntax(const char *v, const char *b, const char *e, xsirt_error *err)
{
    const char *p = b;

    if (p == e)
        return 0;
    if (!xsirt_is_digit((unsigned char)*p))
        return xsirt_vutil_invalid(err, "gem", v, "must start with a digit");
    while (p < e && xsirt_is_digit((unsigned char)*p))
        p++;
    while (p < e && *p == '.') {
        if (++p == e || !xsirt_is_alnum((unsigned char)*p))
            return xsirt_vutil_invalid(err, "gem", v, "empty segment at character %zu",
                                       (size_t)(p - v) + 1);
        while (p < e && xsirt_is_alnum((unsigned char)*p))
            p++;
    }
    if (p < e && *p == '-') {
        do {
            const char *start = ++p;
            while (p < e && (xsirt_is_alnum((unsigned char)*p) || *p == '-'))
                p++;
            if (p == start)
                return xsirt_vutil_invalid(err, "gem", v,
                                           "empty prerelease segment at character %zu",
                                           (size_t)(p - v) + 1);
        } while (p < e && *p == '.');
    }
    if (p < e)
        return xsirt_vutil_invalid(err, "gem", v, "unexpected '%c' at character %zu",
                                   (unsigned char)*p < 0x80 ? *p : '?', (size_t)(p - v) + 1);
    return 0;
}

static int gem_push(gem_version *g, const char *v, const char *p, size_t n, int numeric,
                    xsirt_error *err)
{
    if (g->n == XSIRT_LIMIT_VERSION_PARTS)
        return xsirt_error_set(err, XSIRT_ELIMIT, "gem version has more than %u segments",
                               XSIRT_LIMIT_VERSION_PARTS);
    (void)v;
    g->seg[g->n].s.p = p;
    g->seg[g->n].s.n = n;
    g->seg[g->n].numeric = numeric;
    g->n++;
    return 0;
}

static int gem_is_zero(const gem_seg *s)
{
    return s->numeric && strspn(s->s.p, "0") >= s->s.n;
}

/* Parses v into its canonical segments. */
static int gem_parse(gem_version *g, const char *v, xsirt_error *err)
{
    const char *b = v, *e = v + strlen(v), *p;
    size_t first_letter, keep, i;
    int rc;

    while (b < e && gem_space((unsigned char)*b))
        b++;
    while (e > b && gem_space((unsigned char)e[-1]))
        e--;
    if ((rc = gem_syntax(v, b, e, err)) != 0)
        return rc;
    g->n = 0;
    if (b == e)
        return gem_push(g, v, "0", 1, 1, err);
    /* '-' becomes ".pre.": a letter run "pre" between separators. */
    for (p = b; p < e;) {
        const char *start = p;
        if (*p == '-') {
            if ((rc = gem_push(g, v, "pre", 3, 0, err)) != 0)
                return rc;
            p++;
        } else if (xsirt_is_digit((unsigned char)*p)) {
            while (p < e && xsirt_is_digit((unsigned char)*p))
                p++;
            if ((rc = gem_push(g, v, start, (size_t)(p - start), 1, err)) != 0)
                return rc;
        } else if (xsirt_is_alpha((unsigned char)*p)) {
            while (p < e && xsirt_is_alpha((unsigned char)*p))
                p++;
            if ((rc = gem_push(g, v, start, (size_t)(p - start), 0, err)) != 0)
                return rc;
        } else {
            p++;
        }
    }
    /* Drop trailing zeros of the numeric part and of the rest. */
    for (first_letter = 0; first_letter < g->n && g->seg[first_letter].numeric; first_letter++)
        ;
    for (keep = first_letter; keep > 0 && gem_is_zero(&g->seg[keep - 1]); keep--)
        ;
    {
        size_t end = g->n, out = keep;
        while (end > first_letter && gem_is_zero(&g->seg[end - 1]))
            end--;
        for (i = first_letter; i < end; i++)
            g->seg[out++] = g->seg[i];
        g->n = out;
    }
    return 0;
}

static int gem_seg_cmp(const gem_seg *a, const gem_seg *b)
{
    static const gem_seg zero = {{"0", 1}, 1};

    if (a == NULL)
        a = &zero;
    if (b == NULL)
        b = &zero;
    if (a->numeric != b->numeric)
        return a->numeric ? 1 : -1;
    if (a->numeric)
        return xsirt_vutil_digits_cmp(a->s.p, a->s.n, b->s.p, b->s.n);
    return xsirt_vutil_bytes_cmp(a->s.p, a->s.n, b->s.p, b->s.n);
}

static int gem_cmp(const gem_version *a, const gem_version *b)
{
    size_t n = a->n > b->n ? a->n : b->n;

    for (size_t i = 0; i < n; i++) {
        int c = gem_seg_cmp(i < a->n ? &a->seg[i] : NULL, i < b->n ? &b->seg[i] : NULL);
        if (c != 0)
            return c;
    }
    return 0;
}

static int gem_validate(const char *v, xsirt_error *err)
{
    gem_version g;
    return gem_parse(&g, v, err);
}

static int gem_compare(int *out, const char *a, const char *b, xsirt_error *err)
{
    gem_version va, vb;
    int rc;

    if ((rc = gem_parse(&va, a, err)) != 0 || (rc = gem_parse(&vb, b, err)) != 0)
        return rc;
    *out = gem_cmp(&va, &vb);
    return 0;
}

XSIRT_VERSION_PARSED_HOOKS(gem, gem_version, gem_parse, gem_cmp)

const xsirt_version_scheme xsirt_version_scheme_gem = {
    "gem", gem_validate, gem_compare, XSIRT_VERSION_PARSED(gem),
};
