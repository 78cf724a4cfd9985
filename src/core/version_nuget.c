/*
 * version_nuget.c — the "nuget" scheme: NuGet package versions as
 * NuGet.Versioning (NuGet.Client) parses them (NuGetVersion.TryParse) and
 * orders them (VersionComparer.Default).
 *
 * A version is trimmed (.NET whitespace), split at the first '-' or '+'
 * into numbers, release labels and metadata (ParseSections), with 1 to 4
 * dot-separated numbers. Labels are [0-9A-Za-z-], non-empty, no leading
 * zero in an all-digit label; metadata the same with leading zeros allowed.
 * Ordering: major, minor, patch, revision (missing parts are 0); a version
 * with labels sorts before one without; labels compare one by one, a label
 * that int.TryParse accepts ("7", "-3") numerically and before any other,
 * the others case-insensitively (OrdinalIgnoreCase); metadata is ignored.
 *
 * We follow NuGet.Client's current number parser (TryGetNormalizedVersion),
 * quirks included: an empty number ("1..2", "1.") counts as 0 and numbers
 * wrap around as C# int arithmetic does ("1.4294967297" is 1.1). Only a
 * major number that wraps negative, where NuGet throws, is an error here.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/str.h"
#include "core/version_scheme.h"
#include "core/version_semver_core.h"

typedef struct nuget_version {
    int64_t num[4];     /* major, minor, patch, revision (as NuGet stores them) */
    const char *labels; /* release labels without the '-'; NULL if none */
    size_t labels_len;
} nuget_version;

/* C#'s TryParseInt of NuGet.Versioning: digits only (an empty section is
 * 0), accumulated right to left in wrapping 32-bit arithmetic. */
static int nuget_section(const char *s, size_t len, int64_t *out)
{
    uint32_t value = 0, mult = 1;

    for (size_t i = len; i-- > 0;) {
        if (!xsirt_is_digit((unsigned char)s[i]))
            return -1;
        value += (uint32_t)(s[i] - '0') * mult;
        mult *= 10u;
    }
    *out = value <= INT32_MAX ? (int64_t)value : (int64_t)value - 4294967296LL;
    return 0;
}

static int nuget_numbers(nuget_version *out, const char *v, const char *s, size_t len,
                         size_t base, xsirt_error *err)
{
    size_t start = 0;
    int k = 0;

    for (; k < 4 && start <= len; k++) {
        const char *dot = memchr(s + start, '.', len - start);
        size_t end = dot != NULL ? (size_t)(dot - s) : len;
        if (k > 0 && start == len) {
            out->num[k] = 0;          /* "1." : the missing section is -1, then max(0, -1) */
            start = len + 1;
            k++;
            break;
        }
        if (nuget_section(s + start, end - start, &out->num[k]) != 0)
            return xsirt_version_fail(err, "nuget", v, base + start,
                                      "expected a number of digits only");
        start = end + 1;
    }
    if (start <= len)
        return xsirt_version_fail(err, "nuget", v, base + start - 1,
                                  "more than four version numbers");
    for (; k < 4; k++)
        out->num[k] = 0;
    for (k = 1; k < 4; k++)
        if (out->num[k] < 0)
            out->num[k] = 0;
    if (out->num[0] < 0)
        return xsirt_version_fail(err, "nuget", v, base,
                                  "the major number overflows a 32-bit integer");
    return 0;
}

/* IsValidPart over each dot-separated part of s[0..len). */
static int nuget_parts(const char *v, const char *s, size_t len, int leading_zeros,
                       size_t base, const char *what, xsirt_error *err)
{
    char msg[80];
    size_t i = 0;

    for (;;) {
        size_t start = i;
        while (i < len && s[i] != '.')
            i++;
        if (i == start) {
            snprintf(msg, sizeof msg, "empty %s", what);
            return xsirt_version_fail(err, "nuget", v, base + start, msg);
        }
        if (!leading_zeros && i - start > 1 && s[start] == '0' &&
            xsirt_vall_digits(s + start, i - start)) {
            snprintf(msg, sizeof msg, "leading zero in a numeric %s", what);
            return xsirt_version_fail(err, "nuget", v, base + start, msg);
        }
        for (size_t k = start; k < i; k++) {
            if (!xsirt_is_alnum((unsigned char)s[k]) && s[k] != '-') {
                snprintf(msg, sizeof msg, "unexpected character in %s", what);
                return xsirt_version_fail(err, "nuget", v, base + k, msg);
            }
        }
        if (i == len)
            return 0;
        i++;
    }
}

static int nuget_parse(nuget_version *out, const char *v, xsirt_error *err)
{
    size_t len = strlen(v), start, end, vend, dash = 0, plus = 0;
    const char *t;
    size_t n;
    int have_dash = 0, have_plus = 0, rc;

    memset(out, 0, sizeof *out);
    if (xsirt_vtrim(v, len, XSIRT_VSPACE_DOTNET, &start, &end) != 0)
        return xsirt_version_fail(err, "nuget", v, 0, "malformed UTF-8");
    t = v + start;
    n = end - start;
    if (n == 0)
        return xsirt_version_fail(err, "nuget", v, start, "empty version");
    /* ParseSections: the numbers end at the first '-' or '+'; a separator
     * that is the very last character stays part of the section before it
     * (and so makes it invalid), as in NuGet. */
    vend = n;
    for (size_t i = 0; i < n; i++) {
        if (t[i] == '-' || t[i] == '+') {
            if (i + 1 == n)
                break;
            vend = i;
            if (t[i] == '+') {
                have_plus = 1;
                plus = i;
            } else {
                have_dash = 1;
                dash = i;
                for (size_t k = i + 1; k < n; k++) {
                    if (t[k] == '+' && k + 1 < n) {
                        have_plus = 1;
                        plus = k;
                        break;
                    }
                }
            }
            break;
        }
    }
    if (vend == 0)
        return xsirt_version_fail(err, "nuget", v, start, "expected a version number");
    if ((rc = nuget_numbers(out, v, t, vend, start, err)) != 0)
        return rc;
    if (have_dash) {
        size_t lend = have_plus ? plus : n;
        out->labels = t + dash + 1;
        out->labels_len = lend - dash - 1;
        if ((rc = nuget_parts(v, out->labels, out->labels_len, 0, start + dash + 1,
                              "release label", err)) != 0)
            return rc;
    }
    if (have_plus)
        return nuget_parts(v, t + plus + 1, n - plus - 1, 1, start + plus + 1,
                           "metadata identifier", err);
    return 0;
}

/* int.TryParse on a label: an optional '-' and digits, within int32. */
static int nuget_label_int(const char *s, size_t len, int64_t *out)
{
    int neg = len > 0 && s[0] == '-';
    int64_t value = 0;

    if (!xsirt_vall_digits(s + neg, len - (size_t)neg))
        return 0;
    for (size_t i = (size_t)neg; i < len; i++) {
        value = value * 10 + (s[i] - '0');
        if (value > 2147483648LL)
            return 0;
    }
    if (!neg && value > INT32_MAX)
        return 0;
    *out = neg ? -value : value;
    return 1;
}

static int nuget_label_cmp(const char *a, size_t la, const char *b, size_t lb)
{
    int64_t na = 0, nb = 0;
    int an = nuget_label_int(a, la, &na), bn = nuget_label_int(b, lb, &nb);

    if (an && bn)
        return (na > nb) - (na < nb);
    if (an || bn)
        return an ? -1 : 1;
    for (size_t i = 0; i < la && i < lb; i++) {
        int ca = xsirt_ascii_upper((unsigned char)a[i]);
        int cb = xsirt_ascii_upper((unsigned char)b[i]);
        if (ca != cb)
            return ca < cb ? -1 : 1;
    }
    return (la > lb) - (la < lb);
}

static int nuget_cmp(const nuget_version *a, const nuget_version *b)
{
    size_t pa = 0, pb = 0;

    for (int k = 0; k < 4; k++)
        if (a->num[k] != b->num[k])
            return a->num[k] < b->num[k] ? -1 : 1;
    if (a->labels == NULL || b->labels == NULL)
        return (a->labels == NULL) - (b->labels == NULL);
    for (;;) {
        size_t sa = pa, sb = pb;
        int c;
        if (pa > a->labels_len || pb > b->labels_len)
            return (pa <= a->labels_len) - (pb <= b->labels_len);
        while (pa < a->labels_len && a->labels[pa] != '.')
            pa++;
        while (pb < b->labels_len && b->labels[pb] != '.')
            pb++;
        c = nuget_label_cmp(a->labels + sa, pa - sa, b->labels + sb, pb - sb);
        if (c != 0)
            return c;
        pa++;
        pb++;
    }
}

static int nuget_validate(const char *v, xsirt_error *err)
{
    nuget_version n;

    return nuget_parse(&n, v, err);
}

static int nuget_compare(int *out, const char *a, const char *b, xsirt_error *err)
{
    nuget_version na, nb;
    int rc;

    if ((rc = nuget_parse(&na, a, err)) != 0)
        return xsirt_version_which(err, rc, 0);
    if ((rc = nuget_parse(&nb, b, err)) != 0)
        return xsirt_version_which(err, rc, 1);
    *out = nuget_cmp(&na, &nb);
    return 0;
}

XSIRT_VERSION_PARSED_HOOKS(nuget, nuget_version, nuget_parse, nuget_cmp)

const xsirt_version_scheme xsirt_version_scheme_nuget = {
    "nuget", nuget_validate, nuget_compare, XSIRT_VERSION_PARSED(nuget),
};
