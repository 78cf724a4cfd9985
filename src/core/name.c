/*
 * name.c — vendor and product names normalised for matching without
 * identifiers (see name.h; rules in docs/matching.md).
 *
 * Unicode work is GNU libunistring's (NFKC, case folding, which code
 * points are letters or digits; not ICU, whose start-up cost the lean
 * `xsirt` program must not pay: docs/architecture.md): full-width "ＳＩＭＡＴＩＣ", a no-break space or
 * "㈱" then compare as their plain forms, and Japanese names keep their
 * letters. Everything after that is on words of the normalised text.
 */
#include <stdlib.h>
#include <string.h>

#include <errno.h>
#include <stdint.h>

#include <unicase.h>
#include <unictype.h>
#include <uninorm.h>
#include <unistr.h>

#include "core/buf.h"
#include "core/checked.h"
#include "core/str.h"
#include "xsirt/limits.h"
#include "xsirt/name.h"

extern const char xsirt_vendor_aliases_tsv[];

typedef struct alias_pair {
    char *alias, *canonical;
} alias_pair;

struct xsirt_name_aliases {
    alias_pair *pairs;
    size_t n, cap;
    bool sorted;
};

static int name_nomem(xsirt_error *err)
{
    return xsirt_error_set(err, XSIRT_ENOMEM, "names: out of memory");
}

/* in case folded with NFKC as the normalisation: decomposed (NFKD),
 * folded, then composed, so that a fold that decomposes (U+01F0) still
 * gives a composed letter. *out is NULL (and *nf 0) for an empty in;
 * what names in in the error. */
static int name_casefold(uint8_t **out, size_t *nf, const char *in, size_t len, const char *what,
                         xsirt_error *err)
{
    *out = NULL;
    *nf = 0;
    if (u8_check((const uint8_t *)in, len) != NULL)
        return xsirt_error_set(err, XSIRT_EINVAL, "%s is not UTF-8", what);
    if (len == 0)
        return 0;
    errno = 0;
    *out = u8_casefold((const uint8_t *)in, len, NULL, UNINORM_NFKC, NULL, nf);
    if (*out == NULL)
        return errno == ENOMEM ? name_nomem(err) : xsirt_error_set(err, XSIRT_EINVAL, "%s is not UTF-8", what);
    return 0;
}

int xsirt_name_fold(char **out, const char *in, size_t len, xsirt_error *err)
{
    size_t nf = 0;
    uint8_t *c = NULL;
    char *r;
    int rc;

    *out = NULL;
    if ((rc = name_casefold(&c, &nf, in, len, "text", err)) != 0)
        return rc;
    r = xsirt_strndup(c != NULL ? (const char *)c : "", nf);
    free(c);
    if (r == NULL)
        return name_nomem(err);
    *out = r;
    return 0;
}

/* NFKC, case folding, and (when strip) parenthesised remarks removed;
 * then each run of code points that are not letters or digits becomes
 * one space, trimmed. */
static int name_norm(char **out, const char *in, bool strip, xsirt_error *err)
{
    const uc_general_category_t alnum = uc_general_category_or(UC_CATEGORY_L, UC_CATEGORY_Nd);
    size_t len = strlen(in), nf = 0, w = 0;
    uint8_t *c;
    int depth = 0, rc;

    *out = NULL;
    if (len > XSIRT_LIMIT_IDENTIFIER)
        return xsirt_error_set(err, XSIRT_ELIMIT, "name longer than %u bytes",
                               XSIRT_LIMIT_IDENTIFIER);
    if ((rc = name_casefold(&c, &nf, in, len, "name", err)) != 0)
        return rc;
    if (c == NULL)
        return (*out = xsirt_strndup("", 0)) != NULL ? 0 : name_nomem(err);
    /* words, in place in c: the output never outgrows what was read */
    for (size_t i = 0; i < nf;) {
        ucs4_t cp;
        size_t at = i;
        int n = u8_mbtouc(&cp, c + i, nf - i);
        i += (size_t)(n > 0 ? n : 1);
        if (strip && cp == '(') {
            depth++;
            continue;
        }
        if (strip && cp == ')' && depth > 0) {
            depth--;
            continue;
        }
        if (depth > 0)
            continue;
        /* letters (L*) and decimal digits (Nd), as ICU's u_isalnum */
        if (uc_is_general_category(cp, alnum)) {
            memmove(c + w, c + at, i - at);
            w += i - at;
        } else if (w > 0 && c[w - 1] != ' ') {
            c[w++] = ' ';
        }
    }
    while (w > 0 && c[w - 1] == ' ')
        w--;
    *out = xsirt_strndup((const char *)c, w);
    free(c);
    return *out != NULL ? 0 : name_nomem(err);
}

/* Drops a word (or words) s at the end of o, when something is left. */
static bool drop_tail(char *o, const char *s)
{
    size_t n = strlen(o), k = strlen(s);

    if (n > k + 1 && o[n - k - 1] == ' ' && memcmp(o + n - k, s, k) == 0) {
        o[n - k - 1] = '\0';
        return true;
    }
    return false;
}

static bool drop_affix(char *o, const char *s)
{
    size_t n = strlen(o), k = strlen(s);

    if (n > k && memcmp(o, s, k) == 0) {
        memmove(o, o + k + (o[k] == ' '), n - k - (o[k] == ' ') + 1);
        return true;
    }
    if (n > k && memcmp(o + n - k, s, k) == 0) {
        o[n - k] = '\0';
        while (n - k > 0 && o[n - k - 1] == ' ')
            o[--n - k] = '\0';
        return true;
    }
    return false;
}

/* Legal forms, normalised (punctuation already spaces: "k.k." is "k k"). */
static const char *const legal_tails[] = {
    "inc", "incorporated", "corp", "corporation", "co", "company", "ltd", "limited", "llc",
    "ag", "gmbh", "kg", "se", "sa", "s a", "nv", "n v", "bv", "b v", "plc", "kk", "k k",
    "kabushiki kaisha", "spa", "s p a", "srl", "ab", "oy", "oyj", "pty", "pvt", "sas", "sarl",
    "bhd", "lp", "llp", "株", "有", NULL,
};
static const char *const legal_affixes[] = {"株式会社", "有限会社", "合同会社", NULL};

static void vendor_strip(char *o)
{
    bool again = true;

    while (again) {
        again = false;
        for (size_t i = 0; legal_tails[i] != NULL && !again; i++)
            again = drop_tail(o, legal_tails[i]);
        for (size_t i = 0; legal_affixes[i] != NULL && !again; i++)
            again = drop_affix(o, legal_affixes[i]);
        /* "株 三菱電機" from "(株)三菱電機" */
        if (!again && strncmp(o, "株 ", strlen("株 ")) == 0) {
            memmove(o, o + strlen("株 "), strlen(o) - strlen("株 ") + 1);
            again = true;
        }
    }
}

static int vendor_plain(char **out, const char *vendor, xsirt_error *err)
{
    int rc = name_norm(out, vendor, false, err);

    if (rc == 0)
        vendor_strip(*out);
    return rc;
}

static int pair_cmp(const void *a, const void *b)
{
    return strcmp(((const alias_pair *)a)->alias, ((const alias_pair *)b)->alias);
}

static const char *alias_find(const xsirt_name_aliases *a, const char *v)
{
    alias_pair key = {(char *)v, NULL};
    const alias_pair *p;

    if (a == NULL || a->n == 0)
        return NULL;
    p = bsearch(&key, a->pairs, a->n, sizeof *a->pairs, pair_cmp);
    return p != NULL ? p->canonical : NULL;
}

int xsirt_name_vendor(char **out, const char *vendor, const xsirt_name_aliases *aliases,
                      xsirt_error *err)
{
    const char *canon;
    int rc;

    if ((rc = vendor_plain(out, vendor, err)) != 0)
        return rc;
    if ((canon = alias_find(aliases, *out)) != NULL) {
        char *c = xsirt_strndup(canon, strlen(canon));
        if (c == NULL) {
            free(*out);
            *out = NULL;
            return name_nomem(err);
        }
        free(*out);
        *out = c;
    }
    return 0;
}

int xsirt_name_product(char **out, const char *product, xsirt_error *err)
{
    return name_norm(out, product, false, err);
}

static const char *const family_tails[] = {"product family", "family", "series", "products",
                                           "product line", NULL};

int xsirt_name_product_forms(char **exact, char **bare, char **family, const char *product,
                             xsirt_error *err)
{
    int rc;

    *bare = *family = NULL;
    if ((rc = name_norm(exact, product, false, err)) != 0)
        return rc;
    if (strchr(product, '(') != NULL || strstr(product, "\xef\xbc\x88") != NULL) {
        if ((rc = name_norm(bare, product, true, err)) != 0)
            goto fail;
        if ((*bare)[0] == '\0' || strcmp(*bare, *exact) == 0) {
            free(*bare);
            *bare = NULL;
        }
    }
    for (size_t i = 0; family_tails[i] != NULL; i++) {
        const char *base = *bare != NULL ? *bare : *exact;
        char *f = xsirt_strndup(base, strlen(base));
        if (f == NULL) {
            rc = name_nomem(err);
            goto fail;
        }
        if (drop_tail(f, family_tails[i])) {
            *family = f;
            break;
        }
        free(f);
    }
    return 0;
fail:
    free(*exact);
    free(*bare);
    *exact = *bare = NULL;
    return rc;
}

/* ---- aliases ---- */

static int alias_push(xsirt_name_aliases *a, const char *alias, const char *canonical,
                      unsigned long line, xsirt_error *err)
{
    char *x = NULL, *y = NULL;
    int rc;

    if ((rc = vendor_plain(&x, alias, err)) != 0 || (rc = vendor_plain(&y, canonical, err)) != 0) {
        free(x);
        xsirt_error_prefix(err, "line %lu: ", line);
        return rc;
    }
    if (x[0] == '\0' || y[0] == '\0') {
        free(x);
        free(y);
        return xsirt_error_set_at(err, XSIRT_EINVAL, line, 1, "empty vendor name");
    }
    if (a->n >= XSIRT_LIMIT_NAME_ALIASES) {
        free(x);
        free(y);
        return xsirt_error_set(err, XSIRT_ELIMIT, "more than %u vendor aliases",
                               XSIRT_LIMIT_NAME_ALIASES);
    }
    if (a->n == a->cap) {
        size_t nc = a->cap ? a->cap * 2 : 64;
        alias_pair *p = xsirt_realloc_array(a->pairs, nc, sizeof *p);
        if (p == NULL) {
            free(x);
            free(y);
            return name_nomem(err);
        }
        a->pairs = p;
        a->cap = nc;
    }
    a->pairs[a->n].alias = x;
    a->pairs[a->n++].canonical = y;
    return 0;
}

int xsirt_name_aliases_add(xsirt_name_aliases *a, const char *text, size_t len,
                           xsirt_error *err)
{
    unsigned long line = 0;
    size_t i = 0;
    int rc;

    while (i < len) {
        size_t e = i;
        const char *tab;
        char *l;
        while (e < len && text[e] != '\n')
            e++;
        line++;
        if ((l = xsirt_strndup(text + i, e - i)) == NULL)
            return name_nomem(err);
        l[strcspn(l, "\r")] = '\0';
        if (strlen(l) != e - i - (e > i && text[e - 1] == '\r')) {
            free(l);
            return xsirt_error_set_at(err, XSIRT_EINVAL, line, 1, "NUL byte in the line");
        }
        tab = strchr(l, '\t');
        if (l[0] != '#' && l[strspn(l, " \t")] != '\0') {
            if (tab == NULL) {
                free(l);
                return xsirt_error_set_at(err, XSIRT_EINVAL, line, 1,
                                          "expected ALIAS<TAB>CANONICAL");
            }
            l[tab - l] = '\0';
            rc = alias_push(a, l, tab + 1, line, err);
            if (rc != 0) {
                free(l);
                return rc;
            }
        }
        free(l);
        i = e + 1;
    }
    qsort(a->pairs, a->n, sizeof *a->pairs, pair_cmp);
    return 0;
}

int xsirt_name_aliases_new(xsirt_name_aliases **out, xsirt_error *err)
{
    xsirt_name_aliases *a = calloc(1, sizeof *a);
    int rc;

    *out = NULL;
    if (a == NULL)
        return name_nomem(err);
    if ((rc = xsirt_name_aliases_add(a, xsirt_vendor_aliases_tsv,
                                     strlen(xsirt_vendor_aliases_tsv), err)) != 0) {
        xsirt_name_aliases_free(a);
        xsirt_error_prefix(err, "built-in vendor aliases: ");
        return rc == XSIRT_ENOMEM ? rc : XSIRT_EINTERNAL;
    }
    *out = a;
    return 0;
}

void xsirt_name_aliases_free(xsirt_name_aliases *a)
{
    if (a == NULL)
        return;
    for (size_t i = 0; i < a->n; i++) {
        free(a->pairs[i].alias);
        free(a->pairs[i].canonical);
    }
    free(a->pairs);
    free(a);
}
