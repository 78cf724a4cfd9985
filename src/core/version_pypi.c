/*
 * version_pypi.c — the "pypi" scheme: PEP 440 versions exactly as
 * python3-packaging's packaging.version.Version parses and orders them.
 *
 * Version matches VERSION_PATTERN case-insensitively between optional
 * whitespace: [v][N!]N(.N)*[{a|b|c|rc|alpha|beta|pre|preview}[N]]
 * [-N | {post|rev|r}[N]][dev[N]][+local], each optional separator one of
 * "-_.". We walk the pattern by hand: every optional part is greedy and,
 * as worked out in docs/versions-a.md, the regex's first match is the
 * greedy one, so no backtracking is needed. Spellings normalise as
 * packaging does (alpha->a, beta->b, c/pre/preview->rc, rev/r->post, an
 * implicit number is 0, "1.0-1" is post 1), and ordering is packaging's
 * _cmpkey: epoch, release without trailing zeros, pre (a dev-only release
 * sorts before any pre-release), post, dev, local (absent < present;
 * segments: strings < numbers, strings lexically after lower()).
 *
 * Python's case-insensitive matching also lets a few non-ASCII letters in:
 * U+0130 and U+0131 match 'i', U+017F matches 's', U+212A matches 'k';
 * lower() then keeps some of them, so "1.0prevıew1" is a pre-release with
 * the letter "prevıew" (after "b", before "rc"). We reproduce that too.
 */
#include <stdio.h>
#include <string.h>

#include "core/str.h"
#include "core/version_scheme.h"
#include "core/version_semver_core.h"

#define PYPI_LETTER_MAX 16

typedef struct pypi_span {
    const char *p;
    size_t len;
} pypi_span;

typedef struct pypi_version {
    pypi_span epoch;            /* digits; empty for 0 */
    pypi_span release;          /* "1.2.3" */
    int has_pre, has_post, has_dev, has_local;
    char pre_l[PYPI_LETTER_MAX];
    char post_l[PYPI_LETTER_MAX];
    pypi_span pre_n, post_n, dev_n;   /* digits; empty for 0 */
    pypi_span local;            /* after '+' */
    /* With epoch 0 and at most four release numbers below 65536 (nearly
     * always): the release packed 16 bits a number, missing ones 0 as
     * PEP 440 pads them, so that most comparisons are one integer
     * comparison. PYPI_NO_KEY otherwise. */
    uint64_t key;
} pypi_version;

#define PYPI_NO_KEY UINT64_MAX

/* The key of a parsed version (see pypi_version). */
static uint64_t py_key(const pypi_version *v)
{
    uint64_t key = 0, n = 0;
    size_t parts = 0;

    for (size_t i = 0; i < v->epoch.len; i++)
        if (v->epoch.p[i] != '0')
            return PYPI_NO_KEY;
    for (size_t i = 0; i <= v->release.len; i++) {
        if (i == v->release.len || v->release.p[i] == '.') {
            if (++parts > 4)
                return PYPI_NO_KEY;
            key = key << 16 | n;
            n = 0;
        } else if ((n = n * 10 + (uint64_t)(v->release.p[i] - '0')) > 0xFFFF) {
            return PYPI_NO_KEY;
        }
    }
    return key << 16 * (4 - parts);
}

static size_t py_digits(const char *s, size_t len, size_t i)
{
    size_t n = 0;

    while (i + n < len && xsirt_is_digit((unsigned char)s[i + n]))
        n++;
    return n;
}

static int py_sep(const char *s, size_t len, size_t i)
{
    return i < len && (s[i] == '-' || s[i] == '_' || s[i] == '.');
}

/* One character matching the pattern letter w case-insensitively, as
 * Python's re does; appends its lower() to low. Returns bytes consumed. */
static size_t py_letter(const char *s, size_t len, size_t i, char w, char *low, size_t *n)
{
    const unsigned char *u = (const unsigned char *)s + i;
    const char *add = NULL;
    size_t used = 0;

    if (i < len && xsirt_ascii_lower(u[0]) == w) {
        low[(*n)++] = w;
        return 1;
    }
    if (i + 1 < len && w == 'i' && u[0] == 0xC4 && u[1] == 0xB0)
        add = "i\xCC\x87", used = 2;            /* U+0130 -> "i" U+0307 */
    else if (i + 1 < len && w == 'i' && u[0] == 0xC4 && u[1] == 0xB1)
        add = "\xC4\xB1", used = 2;             /* U+0131 stays */
    else if (i + 1 < len && w == 's' && u[0] == 0xC5 && u[1] == 0xBF)
        add = "\xC5\xBF", used = 2;             /* U+017F stays */
    else if (i + 2 < len && w == 'k' && u[0] == 0xE2 && u[1] == 0x84 && u[2] == 0xAA)
        add = "k", used = 3;                    /* U+212A -> "k" */
    if (add == NULL)
        return 0;
    memcpy(low + *n, add, strlen(add));
    *n += strlen(add);
    return used;
}

/* Matches one of words (longest first) at s[i]; the lowered spelling goes
 * to low. Returns bytes consumed, 0 for none. */
static size_t py_word(const char *s, size_t len, size_t i, const char *const *words,
                      char *low)
{
    for (; *words != NULL; words++) {
        size_t p = i, n = 0;
        const char *w = *words;
        for (; *w != '\0'; w++) {
            size_t k = py_letter(s, len, p, *w, low, &n);
            if (k == 0)
                break;
            p += k;
        }
        if (*w == '\0') {
            low[n] = '\0';
            return p - i;
        }
    }
    return 0;
}

/* The letter packaging keeps after lower() and its respellings. */
static void py_normalise_letter(char *l)
{
    static const char *const map[][2] = {
        {"alpha", "a"}, {"beta", "b"}, {"c", "rc"}, {"pre", "rc"},
        {"preview", "rc"}, {"rev", "post"}, {"r", "post"},
    };
    for (size_t k = 0; k < sizeof map / sizeof map[0]; k++) {
        if (strcmp(l, map[k][0]) == 0) {
            xsirt_strlcpy(l, map[k][1], PYPI_LETTER_MAX);
            return;
        }
    }
}

/* [sep] letters [sep] [digits] of the pre, post (spelled) or dev parts. */
static size_t py_lettered(const char *s, size_t len, size_t i, const char *const *words,
                          char *letter, pypi_span *num)
{
    size_t p = i, k;

    if (py_sep(s, len, p))
        p++;
    if (p >= len)   /* most versions end at their release: no word to try */
        return 0;
    if ((k = py_word(s, len, p, words, letter)) == 0)
        return 0;
    p += k;
    if (py_sep(s, len, p))
        p++;
    k = py_digits(s, len, p);
    num->p = s + p;
    num->len = k;
    py_normalise_letter(letter);
    return p + k - i;
}

/* A local segment character: [a-z0-9] under re.IGNORECASE. */
static size_t py_local_char(const char *s, size_t len, size_t i)
{
    char low[8];
    size_t n = 0;

    if (i < len && xsirt_is_alnum((unsigned char)s[i]))
        return 1;
    if (py_letter(s, len, i, 'i', low, &n) || py_letter(s, len, i, 's', low, &n))
        return 2;
    return py_letter(s, len, i, 'k', low, &n);
}

static size_t py_local(const char *s, size_t len, size_t i)
{
    size_t p = i, k;

    for (;;) {
        size_t start = p;
        while ((k = py_local_char(s, len, p)) > 0)
            p += k;
        if (p == start)
            return start == i ? 0 : start - 1 - i;   /* drop a dangling separator */
        if (!py_sep(s, len, p))
            return p - i;
        p++;
    }
}

static int pypi_parse(pypi_version *out, const char *v, xsirt_error *err)
{
    static const char *const pre_words[] = {"preview", "alpha", "beta", "pre", "rc",
                                            "a", "b", "c", NULL};
    static const char *const post_words[] = {"post", "rev", "r", NULL};
    static const char *const dev_words[] = {"dev", NULL};
    size_t len = strlen(v), start, end, i, k;
    char dev_l[PYPI_LETTER_MAX];

    memset(out, 0, sizeof *out);
    if (xsirt_vtrim(v, len, XSIRT_VSPACE_PYTHON, &start, &end) != 0)
        return xsirt_version_fail(err, "pypi", v, 0, "malformed UTF-8");
    i = start;
    if (i < end && (v[i] == 'v' || v[i] == 'V'))
        i++;
    k = py_digits(v, end, i);
    if (k > 0 && i + k < end && v[i + k] == '!') {
        out->epoch.p = v + i;
        out->epoch.len = k;
        i += k + 1;
    }
    out->release.p = v + i;
    if ((k = py_digits(v, end, i)) == 0)
        return xsirt_version_fail(err, "pypi", v, i, "expected a release number");
    i += k;
    while (i + 1 < end && v[i] == '.' && xsirt_is_digit((unsigned char)v[i + 1]))
        i += 1 + py_digits(v, end, i + 1);
    out->release.len = (size_t)(v + i - out->release.p);

    if ((k = py_lettered(v, end, i, pre_words, out->pre_l, &out->pre_n)) > 0) {
        out->has_pre = 1;
        i += k;
    }
    if (i + 1 < end && v[i] == '-' && xsirt_is_digit((unsigned char)v[i + 1])) {
        out->has_post = 1;
        xsirt_strlcpy(out->post_l, "post", sizeof out->post_l);
        out->post_n.p = v + i + 1;
        out->post_n.len = py_digits(v, end, i + 1);
        i += 1 + out->post_n.len;
    } else if ((k = py_lettered(v, end, i, post_words, out->post_l, &out->post_n)) > 0) {
        out->has_post = 1;
        i += k;
    }
    if ((k = py_lettered(v, end, i, dev_words, dev_l, &out->dev_n)) > 0) {
        out->has_dev = 1;
        i += k;
    }
    if (i < end && v[i] == '+') {
        if ((k = py_local(v, end, i + 1)) == 0)
            return xsirt_version_fail(err, "pypi", v, i + 1,
                                      "expected a local version label");
        out->has_local = 1;
        out->local.p = v + i + 1;
        out->local.len = k;
        i += 1 + k;
    }
    if (i < end)
        return xsirt_version_fail(err, "pypi", v, i, "unexpected text");
    out->key = py_key(out);
    return 0;
}

/* Next dot-separated number of a release ("0" once it runs out). */
static pypi_span py_next_release(const pypi_span *r, size_t *pos)
{
    pypi_span n = {"0", 1};
    size_t p = *pos;

    if (p > r->len)
        return n;
    n.p = r->p + p;
    while (p < r->len && r->p[p] != '.')
        p++;
    n.len = (size_t)(r->p + p - n.p);
    *pos = p + 1;
    return n;
}

static int py_cmp_release(const pypi_span *a, const pypi_span *b)
{
    size_t pa = 0, pb = 0;

    while (pa <= a->len || pb <= b->len) {
        pypi_span x = py_next_release(a, &pa), y = py_next_release(b, &pb);
        int c = xsirt_vdigits_cmp(x.p, x.len, y.p, y.len);
        if (c != 0)
            return c;
    }
    return 0;
}

static int py_cmp_lettered(const char *la, const pypi_span *na, const char *lb,
                           const pypi_span *nb)
{
    int c = strcmp(la, lb);

    if (c != 0)
        return c < 0 ? -1 : 1;
    return xsirt_vdigits_cmp(na->p, na->len, nb->p, nb->len);
}

/* _cmpkey's pre: -1 = NegativeInfinity (dev-only), 1 = Infinity, 0 = tuple. */
static int py_pre_kind(const pypi_version *v)
{
    if (!v->has_pre && !v->has_post && v->has_dev)
        return -1;
    return v->has_pre ? 0 : 1;
}

/* Next byte of s[0..len) lowered as Python's str.lower() on this alphabet. */
static size_t py_lower_into(const char *s, size_t len, char *out)
{
    size_t o = 0;

    for (size_t i = 0; i < len;) {
        const unsigned char *u = (const unsigned char *)s + i;
        if (u[0] < 0x80) {
            out[o++] = (char)xsirt_ascii_lower(u[0]);
            i++;
        } else if (u[0] == 0xC4 && u[1] == 0xB0) {
            memcpy(out + o, "i\xCC\x87", 3);
            o += 3;
            i += 2;
        } else if (u[0] == 0xE2) {
            out[o++] = 'k';
            i += 3;
        } else {
            out[o++] = s[i++];
            out[o++] = s[i++];
        }
    }
    return o;
}

static int py_cmp_local_part(const char *a, size_t la, const char *b, size_t lb)
{
    char xa[3 * 1024 / 2 + 8], xb[3 * 1024 / 2 + 8];
    int an = xsirt_vall_digits(a, la), bn = xsirt_vall_digits(b, lb);
    size_t na, nb;
    int c;

    if (an && bn)
        return xsirt_vdigits_cmp(a, la, b, lb);
    if (an || bn)
        return an ? 1 : -1;
    if (la > 1024 || lb > 1024)
        return 0;   /* not reached: versions are at most XSIRT_LIMIT_VERSION bytes */
    na = py_lower_into(a, la, xa);
    nb = py_lower_into(b, lb, xb);
    c = memcmp(xa, xb, na < nb ? na : nb);
    if (c != 0)
        return c < 0 ? -1 : 1;
    return (na > nb) - (na < nb);
}

static int py_cmp_local(const pypi_version *a, const pypi_version *b)
{
    size_t pa = 0, pb = 0;

    if (!a->has_local || !b->has_local)
        return a->has_local - b->has_local;
    for (;;) {
        size_t sa = pa, sb = pb;
        int c;
        if (pa > a->local.len || pb > b->local.len)
            return (pa <= a->local.len) - (pb <= b->local.len);
        while (pa < a->local.len && !py_sep(a->local.p, a->local.len, pa))
            pa++;
        while (pb < b->local.len && !py_sep(b->local.p, b->local.len, pb))
            pb++;
        c = py_cmp_local_part(a->local.p + sa, pa - sa, b->local.p + sb, pb - sb);
        if (c != 0)
            return c;
        pa++;
        pb++;
    }
}

static int pypi_cmp(const pypi_version *a, const pypi_version *b)
{
    int c, ka, kb;

    if (a->key != PYPI_NO_KEY && b->key != PYPI_NO_KEY) {
        if (a->key != b->key)
            return a->key < b->key ? -1 : 1;
    } else if ((c = xsirt_vdigits_cmp(a->epoch.p, a->epoch.len, b->epoch.p, b->epoch.len)) != 0 ||
               (c = py_cmp_release(&a->release, &b->release)) != 0) {
        return c;
    }
    ka = py_pre_kind(a);
    kb = py_pre_kind(b);
    if (ka != kb)
        return ka < kb ? -1 : 1;
    if (ka == 0 && (c = py_cmp_lettered(a->pre_l, &a->pre_n, b->pre_l, &b->pre_n)) != 0)
        return c;
    if (a->has_post != b->has_post)
        return a->has_post ? 1 : -1;
    if (a->has_post &&
        (c = py_cmp_lettered(a->post_l, &a->post_n, b->post_l, &b->post_n)) != 0)
        return c;
    if (a->has_dev != b->has_dev)
        return a->has_dev ? -1 : 1;
    if (a->has_dev && (c = xsirt_vdigits_cmp(a->dev_n.p, a->dev_n.len, b->dev_n.p,
                                             b->dev_n.len)) != 0)
        return c;
    return py_cmp_local(a, b);
}

static int pypi_validate(const char *v, xsirt_error *err)
{
    pypi_version p;

    return pypi_parse(&p, v, err);
}

static int pypi_compare(int *out, const char *a, const char *b, xsirt_error *err)
{
    pypi_version pa, pb;
    int rc;

    if ((rc = pypi_parse(&pa, a, err)) != 0)
        return xsirt_version_which(err, rc, 0);
    if ((rc = pypi_parse(&pb, b, err)) != 0)
        return xsirt_version_which(err, rc, 1);
    *out = pypi_cmp(&pa, &pb);
    return 0;
}

XSIRT_VERSION_PARSED_HOOKS(pypi, pypi_version, pypi_parse, pypi_cmp)

const xsirt_version_scheme xsirt_version_scheme_pypi = {
    "pypi", pypi_validate, pypi_compare, XSIRT_VERSION_PARSED(pypi),
};
