/*
 * version_deb.c — Debian package versions, ordered as dpkg orders them
 * (deb-version(5); dpkg's lib/dpkg/version.c and parsehelp.c).
 *
 * [epoch:]upstream[-revision]: the epoch is compared as a number, then
 * upstream and revision with dpkg's "verrevcmp": alternating runs of
 * non-digits (compared character by character with '~' lowest, then the
 * end of the run, then letters, then everything else) and digits
 * (compared as numbers of any length). Validity follows dpkg's
 * parseversion: what it reports as an error is rejected; what it only
 * warns about (a first character that is not a digit, unusual
 * characters) is accepted, as `dpkg --compare-versions` accepts it.
 */
#include <limits.h>
#include <string.h>

#include "core/str.h"
#include "core/version_scheme.h"
#include "core/version_util.h"

typedef struct deb_version {
    unsigned long epoch;
    xsirt_vspan upstream;
    xsirt_vspan revision;
} deb_version;

static int deb_blank(int c) { return c == ' ' || c == '\t'; }

/* What strtol(3) skips before a number in the C locale. */
static int deb_space(int c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

/* The epoch before the first ':' as dpkg reads it with strtol(3): spaces,
 * a sign, digits, which must end exactly at the colon. */
static int deb_parse_epoch(deb_version *out, const char *v, const char *s, const char *colon,
                           xsirt_error *err)
{
    const char *p = s;
    int negative = 0;
    unsigned long value = 0;
    int overflow = 0;

    while (deb_space((unsigned char)*p))
        p++;
    if (*p == '+' || *p == '-')
        negative = *p++ == '-';
    if (!xsirt_is_digit((unsigned char)*p))
        return xsirt_vutil_invalid(err, "deb", v, "epoch in version is empty");
    for (; xsirt_is_digit((unsigned char)*p); p++) {
        if (value > (unsigned long)INT_MAX)
            overflow = 1;
        else
            value = value * 10 + (unsigned long)(*p - '0');
    }
    if (p != colon)
        return xsirt_vutil_invalid(err, "deb", v, "epoch in version is not number");
    if (negative && (value != 0 || overflow))
        return xsirt_vutil_invalid(err, "deb", v, "epoch in version is negative");
    if (overflow || value > (unsigned long)INT_MAX)
        return xsirt_vutil_invalid(err, "deb", v, "epoch in version is too big");
    out->epoch = value;
    return 0;
}

static int deb_parse(deb_version *out, const char *v, xsirt_error *err)
{
    const char *s = v, *end, *p, *colon, *hyphen = NULL;
    int rc;

    while (deb_blank((unsigned char)*s))
        s++;
    if (*s == '\0')
        return xsirt_vutil_invalid(err, "deb", v, "version string is empty");
    for (end = s; *end != '\0' && !deb_blank((unsigned char)*end); end++)
        ;
    for (p = end; deb_blank((unsigned char)*p); p++)
        ;
    if (*p != '\0')
        return xsirt_vutil_invalid(err, "deb", v, "version string has embedded spaces");
    out->epoch = 0;
    colon = memchr(s, ':', (size_t)(end - s));
    if (colon != NULL) {
        if ((rc = deb_parse_epoch(out, v, s, colon, err)) != 0)
            return rc;
        if (colon + 1 == end)
            return xsirt_vutil_invalid(err, "deb", v, "nothing after colon in version number");
        s = colon + 1;
    }
    for (p = s; p < end; p++)
        if (*p == '-')
            hyphen = p;
    if (hyphen != NULL && hyphen + 1 == end)
        return xsirt_vutil_invalid(err, "deb", v, "revision number is empty");
    out->upstream.p = s;
    out->upstream.n = (size_t)((hyphen != NULL ? hyphen : end) - s);
    out->revision.p = hyphen != NULL ? hyphen + 1 : end;
    out->revision.n = hyphen != NULL ? (size_t)(end - hyphen - 1) : 0;
    if (out->upstream.n == 0)
        return xsirt_vutil_invalid(err, "deb", v, "upstream version is empty");
    return 0;
}

/* dpkg's weight of a character in a non-digit run; 0 for the end of the
 * run. Bytes >= 0x80 weigh their value: dpkg reads them as negative
 * chars and adds 256, which puts them between letters and punctuation. */
static int deb_order(int c)
{
    if (c == 0 || xsirt_is_digit(c))
        return 0;
    if (xsirt_is_alpha(c))
        return c;
    if (c == '~')
        return -1;
    return c >= 0x80 ? c : c + 256;
}

static int deb_verrevcmp(xsirt_vspan a, xsirt_vspan b)
{
    size_t i = 0, j = 0;

#define DEB_AT(s, k) ((k) < (s).n ? (unsigned char)(s).p[k] : 0)
    while (i < a.n || j < b.n) {
        size_t ds, dt;

        while ((i < a.n && !xsirt_is_digit(DEB_AT(a, i))) ||
               (j < b.n && !xsirt_is_digit(DEB_AT(b, j)))) {
            int ac = deb_order(DEB_AT(a, i)), bc = deb_order(DEB_AT(b, j));
            if (ac != bc)
                return ac < bc ? -1 : 1;
            i++;
            j++;
        }
        for (ds = i; ds < a.n && xsirt_is_digit(DEB_AT(a, ds)); ds++)
            ;
        for (dt = j; dt < b.n && xsirt_is_digit(DEB_AT(b, dt)); dt++)
            ;
        {
            int c = xsirt_vutil_digits_cmp(a.p + i, ds - i, b.p + j, dt - j);
            if (c != 0)
                return c;
        }
        i = ds;
        j = dt;
    }
#undef DEB_AT
    return 0;
}

static int deb_cmp(const deb_version *a, const deb_version *b)
{
    int c;

    if (a->epoch != b->epoch)
        return a->epoch < b->epoch ? -1 : 1;
    if ((c = deb_verrevcmp(a->upstream, b->upstream)) != 0)
        return c;
    return deb_verrevcmp(a->revision, b->revision);
}

static int deb_validate(const char *v, xsirt_error *err)
{
    deb_version d;
    return deb_parse(&d, v, err);
}

static int deb_compare(int *out, const char *a, const char *b, xsirt_error *err)
{
    deb_version va, vb;
    int rc;

    if ((rc = deb_parse(&va, a, err)) != 0 || (rc = deb_parse(&vb, b, err)) != 0)
        return rc;
    *out = deb_cmp(&va, &vb);
    return 0;
}

XSIRT_VERSION_PARSED_HOOKS(deb, deb_version, deb_parse, deb_cmp)

const xsirt_version_scheme xsirt_version_scheme_deb = {
    "deb", deb_validate, deb_compare, XSIRT_VERSION_PARSED(deb),
};
