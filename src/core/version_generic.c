/*
 * version_generic.c — the "generic" scheme: for ecosystems without a
 * scheme of their own (vers "generic", OSV ecosystems such as GHC or Linux).
 *
 * A version is split into runs of digits and runs of letters; separators
 * (anything else) only delimit runs. Digit runs compare numerically (as
 * digit strings, so there is no overflow), letter runs compare byte-wise,
 * and a digit run sorts after a letter run ("1.0a" < "1.0.1"). When one
 * version runs out first, it is the smaller one.
 */
#include <string.h>

#include "core/str.h"
#include "core/version_scheme.h"

/* Next run of s from *pos: [*start, *start + *len), digits or letters. */
static int generic_next(const char *s, size_t *pos, const char **start, size_t *len,
                        int *numeric)
{
    size_t i = *pos;

    while (s[i] != '\0' && !xsirt_is_alnum((unsigned char)s[i]))
        i++;
    if (s[i] == '\0') {
        *pos = i;
        return 0;
    }
    *numeric = xsirt_is_digit((unsigned char)s[i]);
    *start = s + i;
    while (s[i] != '\0' && xsirt_is_alnum((unsigned char)s[i]) &&
           xsirt_is_digit((unsigned char)s[i]) == *numeric)
        i++;
    *len = (size_t)(s + i - *start);
    *pos = i;
    return 1;
}

/* Digit strings compared as numbers of any length. */
static int generic_cmp_digits(const char *a, size_t alen, const char *b, size_t blen)
{
    int c;

    while (alen > 1 && *a == '0') { a++; alen--; }
    while (blen > 1 && *b == '0') { b++; blen--; }
    if (alen != blen)
        return alen < blen ? -1 : 1;
    c = memcmp(a, b, alen);
    return (c > 0) - (c < 0);
}

static int generic_validate(const char *v, xsirt_error *err)
{
    if (v[0] == '\0')
        return xsirt_error_set(err, XSIRT_EINVAL, "empty version");
    return 0;
}

static int generic_compare(int *out, const char *a, const char *b, xsirt_error *err)
{
    size_t pa = 0, pb = 0;
    int rc;

    if ((rc = generic_validate(a, err)) != 0 || (rc = generic_validate(b, err)) != 0)
        return rc;
    for (;;) {
        const char *sa = NULL, *sb = NULL;
        size_t la = 0, lb = 0;
        int na = 0, nb = 0, c;
        int ha = generic_next(a, &pa, &sa, &la, &na);
        int hb = generic_next(b, &pb, &sb, &lb, &nb);

        if (!ha || !hb) {
            *out = ha - hb;
            return 0;
        }
        if (na != nb) {
            *out = na ? 1 : -1;
            return 0;
        }
        if (na) {
            c = generic_cmp_digits(sa, la, sb, lb);
        } else {
            c = memcmp(sa, sb, la < lb ? la : lb);
            c = c != 0 ? c : (la > lb) - (la < lb);
        }
        if (c != 0) {
            *out = c < 0 ? -1 : 1;
            return 0;
        }
    }
}

const xsirt_version_scheme xsirt_version_scheme_generic = {
    "generic", generic_validate, generic_compare, XSIRT_VERSION_UNPARSED,
};
