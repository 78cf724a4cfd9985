/*
 * version_composer.c — Composer (Packagist) versions, ordered as Composer
 * orders them: normalised by Composer's VersionParser::normalize()
 * (composer/semver), then compared with PHP's version_compare().
 *
 * Normalisation accepts "v1.2", "1.2.3.4", stability suffixes (a/alpha,
 * b/beta, RC, p/pl/patch, stable, each with a number) and a "-dev"
 * suffix, date versions ("2010-01-02"), "1.x-dev" branch versions, and
 * strips "+build", "@stability" and "as" aliases; it rejects anything
 * else, as Composer does. Named branches ("dev-main") have no order in
 * Composer and are rejected here. version_compare then splits the
 * normalised string into numbers and words; words rank dev < alpha <
 * beta < RC < (a number) < patch, and numbers past PHP's long saturate
 * as they do in PHP.
 */
#include <string.h>

#include "core/str.h"
#include "core/version_scheme.h"
#include "core/version_util.h"
#include "xsirt/limits.h"

/* A normalised version is at most a few bytes longer than the input
 * ("1" -> "1.0.0.0", "x" -> "9999999"), and PHP's canonical form at most
 * twice as long as that. */
#define COMPOSER_NORM_MAX (XSIRT_LIMIT_VERSION * 2u + 160u)

typedef struct composer_buf {
    char s[COMPOSER_NORM_MAX];
    size_t n;
} composer_buf;

static void cb_add(composer_buf *b, const char *p, size_t n)
{
    if (b->n + n >= sizeof b->s)
        n = sizeof b->s - 1 - b->n; /* cannot happen: inputs are bounded */
    memcpy(b->s + b->n, p, n);
    b->n += n;
    b->s[b->n] = '\0';
}

static void cb_puts(composer_buf *b, const char *s) { cb_add(b, s, strlen(s)); }

/* PHP trim()'s characters, and PCRE's \s. */
static int composer_trim_char(int c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\0' || c == '\v'; }
static int composer_space(int c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

static int composer_digits(const char *p, const char *e)
{
    const char *s = p;
    while (p < e && xsirt_is_digit((unsigned char)*p))
        p++;
    return (int)(p - s) > 0 ? (int)(p - s) : 0;
}

static size_t composer_span_digits(const char *p, const char *e)
{
    const char *s = p;
    while (p < e && xsirt_is_digit((unsigned char)*p))
        p++;
    return (size_t)(p - s);
}

static int composer_ieq(const char *p, const char *e, const char *word)
{
    size_t n = strlen(word);
    return (size_t)(e - p) >= n && xsirt_ascii_ncasecmp(p, word, n) == 0;
}

/* The modifier of the normalize() patterns:
 *   [._-]?(?:(stable|beta|b|RC|alpha|a|patch|pl|p)((?:[.-]?\d+)*+)?)?([.-]?dev)?$
 * (case-insensitive), tried in PCRE's order. On a match, sets the
 * captured stability word, its number and whether "dev" follows. */
typedef struct composer_mod {
    const char *word;
    size_t word_n;
    const char *num;
    size_t num_n;
    int dev;
} composer_mod;

static int composer_dev_end(const char *p, const char *e, int *dev)
{
    if (p == e) {
        *dev = 0;
        return 1;
    }
    if ((*p == '.' || *p == '-') && composer_ieq(p + 1, e, "dev") && p + 4 == e) {
        *dev = 1;
        return 1;
    }
    if (composer_ieq(p, e, "dev") && p + 3 == e) {
        *dev = 1;
        return 1;
    }
    return 0;
}

static int composer_modifier(const char *p, const char *e, composer_mod *m)
{
    static const char *const words[] = {"stable", "beta", "b", "RC", "alpha", "a",
                                        "patch", "pl", "p"};

    for (int sep = 1; sep >= 0; sep--) {
        const char *q = p;
        if (sep) {
            if (q == e || (*q != '.' && *q != '_' && *q != '-'))
                continue;
            q++;
        }
        for (size_t w = 0; w < sizeof words / sizeof words[0]; w++) {
            const char *r = q, *num;
            size_t n = strlen(words[w]);
            if (!composer_ieq(r, e, words[w]))
                continue;
            r += n;
            num = r;
            /* (?:[.-]?\d+)*+ : possessive, so it takes all it can. */
            for (;;) {
                const char *t = r;
                if (t < e && (*t == '.' || *t == '-'))
                    t++;
                if (composer_span_digits(t, e) == 0)
                    break;
                r = t + composer_span_digits(t, e);
            }
            if (composer_dev_end(r, e, &m->dev)) {
                m->word = q;
                m->word_n = n;
                m->num = num;
                m->num_n = (size_t)(r - num);
                return 1;
            }
        }
        if (composer_dev_end(q, e, &m->dev)) {
            m->word = NULL;
            m->word_n = 0;
            m->num = NULL;
            m->num_n = 0;
            return 1;
        }
    }
    return 0;
}

static void composer_add_modifier(composer_buf *out, const composer_mod *m)
{
    if (m->word != NULL) {
        char w[8];
        size_t i;
        if (m->word_n == 6 && memcmp(m->word, "stable", 6) == 0)
            return; /* "stable" (lower case only) means no suffix */
        for (i = 0; i < m->word_n && i < sizeof w - 1; i++)
            w[i] = (char)xsirt_ascii_lower((unsigned char)m->word[i]);
        w[i] = '\0';
        cb_puts(out, "-");
        if (strcmp(w, "a") == 0)
            cb_puts(out, "alpha");
        else if (strcmp(w, "b") == 0)
            cb_puts(out, "beta");
        else if (strcmp(w, "p") == 0 || strcmp(w, "pl") == 0)
            cb_puts(out, "patch");
        else if (strcmp(w, "rc") == 0)
            cb_puts(out, "RC");
        else
            cb_puts(out, w);
        {
            const char *n = m->num, *ne = m->num + m->num_n;
            while (n < ne && (*n == '.' || *n == '-'))
                n++;
            cb_add(out, n, (size_t)(ne - n));
        }
    }
    if (m->dev)
        cb_puts(out, "-dev");
}

/* ^v?(\d{1,5}+)(\.\d++)?(\.\d++)?(\.\d++)?MODIFIER$ */
static int composer_classical(const char *p, const char *e, composer_buf *out)
{
    composer_mod m;
    int k = 0, n;

    if (p < e && (*p == 'v' || *p == 'V'))
        p++;
    n = composer_digits(p, e);
    if (n == 0 || n > 5)
        return 0;
    cb_add(out, p, (size_t)n);
    p += n;
    for (k = 0; k < 3 && p < e && *p == '.' && composer_digits(p + 1, e) > 0; k++) {
        n = composer_digits(p + 1, e);
        cb_add(out, p, (size_t)n + 1);
        p += n + 1;
    }
    for (; k < 3; k++)
        cb_puts(out, ".0");
    if (!composer_modifier(p, e, &m))
        return 0;
    composer_add_modifier(out, &m);
    return 1;
}

/* \d{4}(?:[.:-]?\d{2}){1,6}(?:[.:-]?\d{1,3})?, the whole of [p, e). */
static int composer_date_tail(const char *p, const char *e, int twos, int threes)
{
    if (p == e)
        return twos >= 1;
    for (int sep = 1; sep >= 0; sep--) {
        const char *q = p;
        if (sep) {
            if (*q != '.' && *q != ':' && *q != '-')
                continue;
            q++;
        }
        if (threes == 0 && twos < 6 && composer_span_digits(q, e) >= 2 &&
            composer_date_tail(q + 2, e, twos + 1, 0))
            return 1;
        if (twos >= 1 && threes < 1) {
            for (size_t n = 3; n >= 1; n--)
                if (composer_span_digits(q, e) >= n &&
                    composer_date_tail(q + n, e, twos, threes + 1))
                    return 1;
        }
    }
    return 0;
}

/* ^v?(DATE)MODIFIER$ with the date's non-digits turned into dots. */
static int composer_date(const char *p, const char *e, composer_buf *out)
{
    const char *d;
    composer_mod m;

    if (p < e && (*p == 'v' || *p == 'V'))
        p++;
    /* The date is the run of [0-9.:-] before the modifier, less one
     * trailing separator the modifier may take. */
    for (d = p; d < e && (xsirt_is_digit((unsigned char)*d) || *d == '.' || *d == ':' ||
                          *d == '-'); d++)
        ;
    while (d > p && !xsirt_is_digit((unsigned char)d[-1]))
        d--;
    /* At most 4 + 6 * 3 + 4 characters: bounds the search below. */
    if (composer_span_digits(p, e) < 4 || d - p > 26 || !composer_date_tail(p + 4, d, 0, 0) ||
        !composer_modifier(d, e, &m))
        return 0;
    for (const char *q = p; q < d; q++)
        cb_add(out, xsirt_is_digit((unsigned char)*q) ? q : ".", 1);
    composer_add_modifier(out, &m);
    return 1;
}

/* normalizeBranch() for "1.2.x" before a "-dev": parts of digits, x, X or a star. */
static int composer_branch(const char *p, const char *e, composer_buf *out)
{
    int k;

    while (p < e && composer_trim_char((unsigned char)*p))
        p++;
    while (e > p && composer_trim_char((unsigned char)e[-1]))
        e--;
    if (p < e && (*p == 'v' || *p == 'V'))
        p++;
    if (composer_span_digits(p, e) == 0)
        return 0;
    cb_add(out, p, composer_span_digits(p, e));
    p += composer_span_digits(p, e);
    for (k = 0; k < 3 && p < e && *p == '.'; k++) {
        size_t n = composer_span_digits(p + 1, e);
        if (n > 0) {
            cb_add(out, p, n + 1);
            p += n + 1;
        } else if (p + 1 < e && (p[1] == 'x' || p[1] == 'X' || p[1] == '*')) {
            cb_puts(out, ".9999999");
            p += 2;
        } else {
            return 0;
        }
    }
    if (p != e)
        return 0;
    for (; k < 3; k++)
        cb_puts(out, ".9999999");
    cb_puts(out, "-dev");
    return 1;
}

static int composer_normalize(composer_buf *out, const char *v, xsirt_error *err)
{
    const char *p = v, *e = v + strlen(v), *q;

    out->n = 0;
    out->s[0] = '\0';
    while (p < e && composer_trim_char((unsigned char)*p))
        p++;
    while (e > p && composer_trim_char((unsigned char)e[-1]))
        e--;
    /* "1.0 as 2.0": the aliased version. */
    for (q = p; q < e && *q != ',' && !composer_space((unsigned char)*q); q++)
        ;
    if (q > p && q < e && *q == ' ') {
        const char *r = q, *t;
        while (r < e && *r == ' ')
            r++;
        if (e - r > 2 && memcmp(r, "as", 2) == 0 && r[2] == ' ') {
            r += 2;
            while (r < e && *r == ' ')
                r++;
            for (t = r; t < e && *t != ',' && !composer_space((unsigned char)*t); t++)
                ;
            if (t == e && r < e)
                e = q;
        }
    }
    /* "@dev" and other stability flags. */
    {
        static const char *const flags[] = {"@stable", "@RC", "@beta", "@alpha", "@dev"};
        for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++) {
            size_t n = strlen(flags[i]);
            if ((size_t)(e - p) >= n && xsirt_ascii_ncasecmp(e - n, flags[i], n) == 0) {
                e -= n;
                break;
            }
        }
    }
    if (((size_t)(e - p) == 6 && memcmp(p, "master", 6) == 0) ||
        ((size_t)(e - p) == 5 && memcmp(p, "trunk", 5) == 0) ||
        ((size_t)(e - p) == 7 && memcmp(p, "default", 7) == 0) ||
        ((size_t)(e - p) >= 4 && xsirt_ascii_ncasecmp(p, "dev-", 4) == 0))
        return xsirt_vutil_invalid(err, "composer", v,
                                   "a branch name has no order among versions");
    /* "+build" metadata: ^([^,\s+]++)\+[^\s]++$ */
    for (q = p; q < e && *q != ',' && *q != '+' && !composer_space((unsigned char)*q); q++)
        ;
    if (q > p && q < e && *q == '+' && q + 1 < e) {
        const char *r = q + 1;
        while (r < e && !composer_space((unsigned char)*r))
            r++;
        if (r == e)
            e = q;
    }
    if (composer_classical(p, e, out))
        return 0;
    out->n = 0;
    if (composer_date(p, e, out))
        return 0;
    out->n = 0;
    /* "1.2.x-dev": (.*?)[.-]?dev$ then a numeric branch. */
    if (e - p >= 3 && xsirt_ascii_ncasecmp(e - 3, "dev", 3) == 0) {
        const char *b = e - 3;
        if (b > p && (b[-1] == '.' || b[-1] == '-'))
            b--;
        if (composer_branch(p, b, out))
            return 0;
    }
    return xsirt_vutil_invalid(err, "composer", v, "not a Composer version");
}

/* PHP's version_compare() on normalised strings. */

/* PHP's canonical form: '-', '_', '+' become '.', and a '.' goes between
 * a digit and a non-digit. Other non-alphanumerics become '.'. */
static void php_canonical(const char *v, composer_buf *out)
{
    char lp;

    out->n = 0;
    out->s[0] = '\0';
    if (*v == '\0')
        return;
    cb_add(out, v, 1);
    lp = *v++;
    for (; *v != '\0'; lp = *v++) {
        char lq = out->s[out->n - 1];
        int dig_lp = xsirt_is_digit((unsigned char)lp), dig_v = xsirt_is_digit((unsigned char)*v);
        int ndig_lp = !dig_lp && lp != '.', ndig_v = !dig_v && *v != '.';
        if (*v == '-' || *v == '_' || *v == '+') {
            if (lq != '.')
                cb_puts(out, ".");
        } else if ((ndig_lp && dig_v) || (dig_lp && ndig_v)) {
            if (lq != '.')
                cb_puts(out, ".");
            cb_add(out, v, 1);
        } else if (!xsirt_is_alnum((unsigned char)*v)) {
            if (lq != '.')
                cb_puts(out, ".");
        } else {
            cb_add(out, v, 1);
        }
    }
}

static int php_special_form(const char *form, size_t n)
{
    static const struct { const char *name; int order; } forms[] = {
        {"dev", 0}, {"alpha", 1}, {"a", 1}, {"beta", 2}, {"b", 2}, {"RC", 3},
        {"rc", 3},  {"#", 4},     {"pl", 5}, {"p", 5},
    };
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        size_t k = strlen(forms[i].name);
        if (n >= k && memcmp(form, forms[i].name, k) == 0)
            return forms[i].order;
    }
    return -1;
}

/* strtol() of a digit run: saturates at LONG_MAX (2^63 - 1). */
static int php_number_cmp(const char *a, size_t an, const char *b, size_t bn)
{
    static const char max[] = "9223372036854775807";
    if (xsirt_vutil_digits_cmp(a, an, max, sizeof max - 1) > 0) {
        a = max;
        an = sizeof max - 1;
    }
    if (xsirt_vutil_digits_cmp(b, bn, max, sizeof max - 1) > 0) {
        b = max;
        bn = sizeof max - 1;
    }
    return xsirt_vutil_digits_cmp(a, an, b, bn);
}

static int php_part_cmp(const char *a, size_t an, const char *b, size_t bn)
{
    int da = an > 0 && xsirt_is_digit((unsigned char)a[0]);
    int db = bn > 0 && xsirt_is_digit((unsigned char)b[0]);

    if (da && db)
        return php_number_cmp(a, composer_span_digits(a, a + an), b,
                              composer_span_digits(b, b + bn));
    if (!da && !db)
        return xsirt_vutil_sign(php_special_form(a, an) - php_special_form(b, bn));
    return da ? xsirt_vutil_sign(4 - php_special_form(b, bn))
              : xsirt_vutil_sign(php_special_form(a, an) - 4);
}

/* version_compare() proper, on two canonical strings; "#N#" stands for
 * "a number" when one version has parts left over. */
static int php_compare_canonical(const char *p1, const char *p2)
{
    const char *n1 = p1, *n2 = p2;
    int c = 0;

    if (*p1 == '\0' || *p2 == '\0')
        return (*p1 != '\0') - (*p2 != '\0');
    while (*p1 != '\0' && *p2 != '\0' && n1 != NULL && n2 != NULL) {
        size_t l1 = strcspn(p1, "."), l2 = strcspn(p2, ".");
        n1 = p1[l1] == '.' ? p1 + l1 : NULL;
        n2 = p2[l2] == '.' ? p2 + l2 : NULL;
        if ((c = php_part_cmp(p1, l1, p2, l2)) != 0)
            return c;
        if (n1 != NULL)
            p1 = n1 + 1;
        if (n2 != NULL)
            p2 = n2 + 1;
    }
    if (n1 != NULL)
        return xsirt_is_digit((unsigned char)*p1) ? 1 : php_compare_canonical(p1, "#N#");
    if (n2 != NULL)
        return xsirt_is_digit((unsigned char)*p2) ? -1 : php_compare_canonical("#N#", p2);
    return 0;
}

static int php_version_compare(const char *v1, const char *v2)
{
    composer_buf c1, c2;

    php_canonical(v1, &c1);
    php_canonical(v2, &c2);
    return php_compare_canonical(c1.s, c2.s);
}

static int composer_validate(const char *v, xsirt_error *err)
{
    composer_buf b;
    return composer_normalize(&b, v, err);
}

static int composer_compare(int *out, const char *a, const char *b, xsirt_error *err)
{
    composer_buf na, nb;
    int rc;

    if ((rc = composer_normalize(&na, a, err)) != 0 ||
        (rc = composer_normalize(&nb, b, err)) != 0)
        return rc;
    *out = php_version_compare(na.s, nb.s);
    return 0;
}

const xsirt_version_scheme xsirt_version_scheme_composer = {
    "composer", composer_validate, composer_compare, XSIRT_VERSION_UNPARSED,
};
