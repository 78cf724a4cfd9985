/*
 * version_apk.c — Alpine package versions, ordered as apk-tools orders
 * them (apk-tools src/version.c, the current tokenizer with "~hash";
 * tests: apk-tools test/version.data).
 *
 * digits{.digits}[letter]{_suffix[digits]}[~hexhash][-rdigits], read as
 * tokens: the first number, further numbers, one letter, suffixes (alpha
 * < beta < pre < rc < nothing < cvs < svn < git < hg < p), suffix numbers,
 * a commit hash and the -r revision. Tokens of the same kind compare by
 * value (a dotted number with a leading zero compares as a string, as in
 * Gentoo); where the kinds differ, the version that goes on with a
 * pre-release suffix is older, otherwise the one that goes on is newer.
 * Numbers are compared exactly; apk-tools keeps them in 64 bits, so the
 * two differ only past 2^64 (see docs/versions-b.md).
 */
#include <string.h>

#include "core/str.h"
#include "core/version_scheme.h"
#include "core/version_util.h"

/* Token kinds in the order apk-tools uses to rank a version that goes on
 * against one that stops. */
enum apk_token {
    APK_INITIAL_DIGIT,
    APK_DIGIT,
    APK_LETTER,
    APK_SUFFIX,
    APK_SUFFIX_NO,
    APK_COMMIT_HASH,
    APK_REVISION_NO,
    APK_END,
    APK_INVALID
};

/* Suffix ranks; APK_SUF_NONE is where a plain release sits. */
enum apk_suffix {
    APK_SUF_INVALID, APK_SUF_ALPHA, APK_SUF_BETA, APK_SUF_PRE, APK_SUF_RC,
    APK_SUF_NONE, APK_SUF_CVS, APK_SUF_SVN, APK_SUF_GIT, APK_SUF_HG, APK_SUF_P
};

typedef struct apk_state {
    const char *s;      /* what is left */
    enum apk_token token;
    int suffix;
    xsirt_vspan value;
} apk_state;

static int apk_suffix_value(const char *p, size_t n)
{
    static const struct { const char *name; int value; } names[] = {
        {"alpha", APK_SUF_ALPHA}, {"beta", APK_SUF_BETA}, {"pre", APK_SUF_PRE},
        {"rc", APK_SUF_RC},       {"cvs", APK_SUF_CVS},   {"svn", APK_SUF_SVN},
        {"git", APK_SUF_GIT},     {"hg", APK_SUF_HG},     {"p", APK_SUF_P},
    };

    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strlen(names[i].name) == n && memcmp(names[i].name, p, n) == 0)
            return names[i].value;
    return APK_SUF_INVALID;
}

static void apk_digits(apk_state *t)
{
    const char *start = t->s;

    while (xsirt_is_digit((unsigned char)*t->s))
        t->s++;
    t->value.p = start;
    t->value.n = (size_t)(t->s - start);
    if (t->value.n == 0)
        t->token = APK_INVALID;
}

static void apk_first(apk_state *t, const char *v)
{
    t->s = v;
    t->token = APK_INITIAL_DIGIT;
    t->suffix = APK_SUF_INVALID;
    apk_digits(t);
}

static int apk_is_hex(int c) { return xsirt_is_digit(c) || (c >= 'a' && c <= 'f'); }

/* Reads the next token; which kinds may follow which is apk's grammar. */
static void apk_next(apk_state *t)
{
    unsigned char c = (unsigned char)*t->s;
    const char *start, *at = t->s;

    if (c == '\0') {
        t->token = APK_END;
    } else if (c >= 'a' && c <= 'z') {
        if (t->token > APK_DIGIT)
            goto invalid;
        t->value.p = t->s++;
        t->value.n = 1;
        t->token = APK_LETTER;
    } else if (c == '.' || xsirt_is_digit(c)) {
        if (c == '.') {
            if (t->token > APK_DIGIT)
                goto invalid;
            t->s++;
        }
        if (t->token == APK_INITIAL_DIGIT || t->token == APK_DIGIT)
            t->token = APK_DIGIT;
        else if (t->token == APK_SUFFIX)
            t->token = APK_SUFFIX_NO;
        else
            goto invalid;
        apk_digits(t);
    } else if (c == '_') {
        if (t->token > APK_SUFFIX_NO)
            goto invalid;
        start = ++t->s;
        while (*t->s >= 'a' && *t->s <= 'z')
            t->s++;
        t->value.p = start;
        t->value.n = (size_t)(t->s - start);
        t->suffix = apk_suffix_value(start, t->value.n);
        if (t->suffix == APK_SUF_INVALID)
            goto invalid;
        t->token = APK_SUFFIX;
    } else if (c == '~') {
        if (t->token >= APK_COMMIT_HASH)
            goto invalid;
        start = ++t->s;
        while (apk_is_hex((unsigned char)*t->s))
            t->s++;
        t->value.p = start;
        t->value.n = (size_t)(t->s - start);
        if (t->value.n == 0)
            goto invalid;
        t->token = APK_COMMIT_HASH;
    } else if (c == '-') {
        if (t->token >= APK_REVISION_NO || t->s[1] != 'r')
            goto invalid;
        t->s += 2;
        t->token = APK_REVISION_NO;
        apk_digits(t);
    } else {
        goto invalid;
    }
    return;
invalid:
    t->s = at; /* errors point at the token that does not fit */
    t->token = APK_INVALID;
}

static int apk_token_cmp(const apk_state *a, const apk_state *b)
{
    switch (a->token) {
    case APK_DIGIT:
        if (a->value.p[0] == '0' || b->value.p[0] == '0')
            return xsirt_vutil_bytes_cmp(a->value.p, a->value.n, b->value.p, b->value.n);
        /* fall through */
    case APK_INITIAL_DIGIT:
    case APK_SUFFIX_NO:
    case APK_REVISION_NO:
        return xsirt_vutil_digits_cmp(a->value.p, a->value.n, b->value.p, b->value.n);
    case APK_LETTER:
        return xsirt_vutil_sign((unsigned char)a->value.p[0] - (unsigned char)b->value.p[0]);
    case APK_SUFFIX:
        return xsirt_vutil_sign(a->suffix - b->suffix);
    default:
        return xsirt_vutil_bytes_cmp(a->value.p, a->value.n, b->value.p, b->value.n);
    }
}

static int apk_validate(const char *v, xsirt_error *err)
{
    apk_state t;

    for (apk_first(&t, v); t.token < APK_END; apk_next(&t))
        ;
    if (t.token == APK_END)
        return 0;
    if (v[0] == '\0')
        return xsirt_vutil_invalid(err, "apk", v, "empty version");
    if (*t.s == '\0')
        return xsirt_vutil_invalid(err, "apk", v, "unexpected end");
    return xsirt_vutil_invalid(err, "apk", v, "unexpected '%c' at character %zu",
                               xsirt_is_alnum((unsigned char)*t.s) || (unsigned char)*t.s < 0x80
                                   ? *t.s : '?', (size_t)(t.s - v) + 1);
}

static int apk_cmp(const char *a, const char *b)
{
    apk_state ta, tb;

    for (apk_first(&ta, a), apk_first(&tb, b); ta.token == tb.token && ta.token < APK_END;
         apk_next(&ta), apk_next(&tb)) {
        int c = apk_token_cmp(&ta, &tb);
        if (c != 0)
            return c;
    }
    if (ta.token == tb.token)
        return 0;
    if (ta.token == APK_SUFFIX && ta.suffix < APK_SUF_NONE)
        return -1;
    if (tb.token == APK_SUFFIX && tb.suffix < APK_SUF_NONE)
        return 1;
    return ta.token > tb.token ? -1 : 1;
}

static int apk_compare(int *out, const char *a, const char *b, xsirt_error *err)
{
    int rc;

    if ((rc = apk_validate(a, err)) != 0 || (rc = apk_validate(b, err)) != 0)
        return rc;
    *out = apk_cmp(a, b);
    return 0;
}

const xsirt_version_scheme xsirt_version_scheme_apk = {
    "apk", apk_validate, apk_compare, XSIRT_VERSION_UNPARSED,
};
