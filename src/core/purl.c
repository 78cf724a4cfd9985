/*
 * purl.c — package URLs: parsing, normalisation and the canonical form.
 *
 * Parsing follows the spec's how-to-parse (right to left: '#', '?', then
 * scheme, type, '@' version, name, namespace) and yields decoded
 * components. Both parsing and building then go through one normaliser,
 * driven by the per-type table below (taken from the purl-spec type
 * definitions), and one renderer; that single path is what makes
 * parse -> canonical -> parse a fixed point.
 */
#include <regex.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/checked.h"
#include "core/str.h"
#include "xsirt/limits.h"
#include "xsirt/purl.h"

enum purl_ns { NS_OPTIONAL, NS_REQUIRED, NS_PROHIBITED };

/* Type flags. */
#define NS_LOWER 0x01u      /* namespace is case-insensitive: lower-cased */
#define NAME_LOWER 0x02u    /* name is case-insensitive: lower-cased */
#define VER_LOWER 0x04u     /* version is case-insensitive: lower-cased */
#define SUB_LOWER 0x08u     /* subpath is case-insensitive: lower-cased */
#define NS_UPPER 0x10u      /* namespace shall be upper case (cpan CPANID) */
#define NS_HOST 0x20u       /* namespace is one segment; the name may hold '/' */

typedef struct purl_type {
    const char *type;
    enum purl_ns ns;
    unsigned flags;
    const char *name_pattern;      /* POSIX ERE the (folded) name must match */
    const char *version_pattern;   /* same for the version */
    const char *name_forbidden;    /* substring a name may not contain */
    char name_from, name_to;       /* character replaced in names */
    const char *required_key;      /* qualifier every purl of the type has */
    /* Name lower-cased when qualifier lower_key's value contains
     * lower_contains (mlflow: Databricks is case-insensitive, Azure ML not). */
    const char *lower_key, *lower_contains;
} purl_type;

/* From purl-spec types/NAME-definition.json (namespace/name/version
 * requirement and case sensitivity, permitted characters, normalisation
 * rules). git departs from its definition: the test suite folds its case. */
static const purl_type purl_types[] = {
    {.type = "alpm", .ns = NS_REQUIRED, .flags = NS_LOWER | NAME_LOWER},
    {.type = "apk", .ns = NS_REQUIRED, .flags = NS_LOWER | NAME_LOWER},
    {.type = "bazel", .ns = NS_PROHIBITED},
    {.type = "bitbucket", .ns = NS_REQUIRED, .flags = NS_LOWER | NAME_LOWER},
    {.type = "bitnami", .ns = NS_PROHIBITED, .flags = NAME_LOWER},
    {.type = "brew", .ns = NS_OPTIONAL, .flags = NS_LOWER | NAME_LOWER},
    {.type = "cargo", .ns = NS_PROHIBITED},
    {.type = "chrome-extension", .ns = NS_PROHIBITED, .flags = NAME_LOWER,
     .name_pattern = "^[abcdefghijklmnop]{32}$",
     .version_pattern = "^[0-9]+([.][0-9]+){0,3}$"},
    {.type = "cocoapods", .ns = NS_PROHIBITED},
    {.type = "composer", .ns = NS_REQUIRED, .flags = NS_LOWER | NAME_LOWER},
    {.type = "conan", .ns = NS_OPTIONAL},
    {.type = "conda", .ns = NS_PROHIBITED},
    {.type = "cpan", .ns = NS_OPTIONAL, .flags = NS_UPPER, .name_forbidden = "::"},
    {.type = "cran", .ns = NS_PROHIBITED},
    {.type = "deb", .ns = NS_REQUIRED, .flags = NS_LOWER | NAME_LOWER},
    {.type = "docker", .ns = NS_OPTIONAL},
    {.type = "gem", .ns = NS_PROHIBITED},
    {.type = "generic", .ns = NS_OPTIONAL},
    {.type = "git", .ns = NS_REQUIRED, .flags = NS_HOST | NS_LOWER | NAME_LOWER},
    {.type = "github", .ns = NS_REQUIRED, .flags = NS_LOWER | NAME_LOWER},
    {.type = "golang", .ns = NS_REQUIRED},
    {.type = "hackage", .ns = NS_PROHIBITED},
    {.type = "hex", .ns = NS_OPTIONAL, .flags = NS_LOWER | NAME_LOWER},
    {.type = "huggingface", .ns = NS_REQUIRED, .flags = VER_LOWER},
    {.type = "julia", .ns = NS_PROHIBITED, .required_key = "uuid"},
    {.type = "luarocks", .ns = NS_OPTIONAL, .flags = NS_LOWER | NAME_LOWER},
    {.type = "maven", .ns = NS_REQUIRED},
    {.type = "mlflow", .ns = NS_PROHIBITED, .lower_key = "repository_url",
     .lower_contains = "azuredatabricks.net"},
    {.type = "npm", .ns = NS_OPTIONAL},
    {.type = "nuget", .ns = NS_PROHIBITED},
    {.type = "oci", .ns = NS_PROHIBITED, .flags = NAME_LOWER | VER_LOWER},
    {.type = "opam", .ns = NS_PROHIBITED},
    {.type = "otp", .ns = NS_PROHIBITED, .flags = NAME_LOWER | SUB_LOWER},
    {.type = "pub", .ns = NS_PROHIBITED, .flags = NAME_LOWER,
     .name_pattern = "^[a-z0-9_]+$"},
    {.type = "pypi", .ns = NS_PROHIBITED, .flags = NAME_LOWER | VER_LOWER,
     .name_from = '_', .name_to = '-'},
    {.type = "qpkg", .ns = NS_REQUIRED, .flags = NS_LOWER},
    {.type = "rpm", .ns = NS_REQUIRED, .flags = NS_LOWER},
    {.type = "swid", .ns = NS_OPTIONAL, .required_key = "tag_id"},
    {.type = "swift", .ns = NS_REQUIRED},
    {.type = "vcpkg", .ns = NS_PROHIBITED},
    {.type = "vscode-extension", .ns = NS_REQUIRED,
     .flags = NS_LOWER | NAME_LOWER | VER_LOWER},
    {.type = "yocto", .ns = NS_OPTIONAL, .flags = NS_LOWER},
};

/* Types not in the table get the spec's defaults. */
static const purl_type purl_type_default = {.type = "", .ns = NS_OPTIONAL};

static int purl_type_cmp(const void *key, const void *elem)
{
    const unsigned char *k = key, *t = (const unsigned char *)((const purl_type *)elem)->type;

    /* Most probes differ at the first letter: no strcmp call for them. */
    return k[0] != t[0] ? k[0] - t[0] : strcmp(key, ((const purl_type *)elem)->type);
}

/* purl_types must stay sorted by type (strcmp order) for bsearch. */
static const purl_type *purl_type_find(const char *type)
{
    const purl_type *t = bsearch(type, purl_types, sizeof purl_types / sizeof purl_types[0],
                                 sizeof purl_types[0], purl_type_cmp);

    return t != NULL ? t : &purl_type_default;
}

void xsirt_purl_init(xsirt_purl *purl)
{
    memset(purl, 0, sizeof *purl);
}

/* Frees a member of p unless it lies in p's block (a parsed purl's strings
 * share one allocation; a built or normalised one owns each). */
static void purl_drop(const xsirt_purl *p, char *s)
{
    uintptr_t u = (uintptr_t)s, b = (uintptr_t)p->block_;

    if (s != NULL && !(p->block_ != NULL && u >= b && u - b < p->block_len_))
        free(s);
}

void xsirt_purl_free(xsirt_purl *purl)
{
    if (purl == NULL)
        return;
    purl_drop(purl, purl->type);
    purl_drop(purl, purl->namespace_);
    purl_drop(purl, purl->name);
    purl_drop(purl, purl->version);
    for (size_t i = 0; i < purl->nqualifiers; i++) {
        purl_drop(purl, purl->qualifiers[i].key);
        purl_drop(purl, purl->qualifiers[i].value);
    }
    free(purl->qualifiers);
    purl_drop(purl, purl->subpath);
    free(purl->block_);
    xsirt_purl_init(purl);
}

/* The block a parse fills front to back: twice the input and a little is
 * always enough (each component is a span of the input plus its NUL). */
typedef struct purl_store {
    char *base;
    size_t used, cap;
} purl_store;

/* A copy of s[0..len) in the store, NUL-terminated; NULL when full. */
static char *store_take(purl_store *st, const char *s, size_t len)
{
    char *d;

    if (st->cap - st->used < len + 1)
        return NULL;
    d = st->base + st->used;
    memcpy(d, s, len);
    d[len] = '\0';
    st->used += len + 1;
    return d;
}

/* Gives back what follows the first n bytes of d, the last string taken. */
static void store_trim(purl_store *st, char *d, size_t n)
{
    st->used = (size_t)(d - st->base) + n + 1;
}

static int store_full(xsirt_error *err)
{
    return xsirt_error_set(err, XSIRT_EINTERNAL, "purl: parse block exhausted");
}

static int purl_nomem(xsirt_error *err)
{
    return xsirt_error_set(err, XSIRT_ENOMEM, "purl: out of memory");
}

static int purl_invalid(xsirt_error *err, const char *what, const char *s, size_t len)
{
    char q[128];

    xsirt_quote(q, sizeof q, s, len);
    return xsirt_error_set(err, XSIRT_EINVAL, "purl: %s %s", what, q);
}

/* ---- percent-encoding ---- */

static int hexval(int c)
{
    if (xsirt_is_digit(c))
        return c - '0';
    c = xsirt_ascii_lower(c);
    return (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
}

/* Decodes d[0..len) in place (the text of s, kept for messages), *n
 * getting the decoded length. The result must be UTF-8 without NUL:
 * components end up in C strings and JSON. */
static int purl_unescape(char *d, size_t len, size_t *n, const char *s, const char *what,
                         xsirt_error *err)
{
    size_t w = 0;
    char q[128];

    for (size_t i = 0; i < len;) {
        /* Runs without '%' move whole (not at all before the first '%'). */
        const char *pct = memchr(d + i, '%', len - i);
        size_t run = pct != NULL ? (size_t)(pct - (d + i)) : len - i;
        int hi, lo;
        if (w != i)
            memmove(d + w, d + i, run);
        w += run;
        i += run;
        if (i == len)
            break;
        hi = i + 2 < len ? hexval((unsigned char)d[i + 1]) : -1;
        lo = hi >= 0 ? hexval((unsigned char)d[i + 2]) : -1;
        if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) {
            xsirt_quote(q, sizeof q, d + i, len - i < 3 ? len - i : 3);
            return xsirt_error_set(err, XSIRT_EINVAL, "purl: %s: bad percent-encoding %s", what,
                                   q);
        }
        d[w++] = (char)(hi * 16 + lo);
        i += 3;
    }
    if (!xsirt_utf8_valid(d, w)) {
        xsirt_quote(q, sizeof q, s, len);
        return xsirt_error_set(err, XSIRT_EINVAL, "purl: %s %s is not UTF-8 once decoded",
                               what, q);
    }
    d[w] = '\0';
    *n = w;
    return 0;
}

/* The decoding of s[0..len), in the store. */
static int purl_decode(purl_store *st, char **out, const char *s, size_t len, const char *what,
                       xsirt_error *err)
{
    size_t n;
    int rc;

    if ((*out = store_take(st, s, len)) == NULL)
        return store_full(err);
    if ((rc = purl_unescape(*out, len, &n, s, what, err)) != 0) {
        *out = NULL;
        return rc;
    }
    store_trim(st, *out, n);
    return 0;
}

/* Alphanumerics, ".-_~" and ':' stay; everything else is %XX (upper case). */
static int purl_encode(xsirt_buf *b, const char *s, bool keep_slash)
{
    static const char hex[] = "0123456789ABCDEF";
    int rc = 0;

    for (; *s != '\0' && rc == 0; s++) {
        unsigned char c = (unsigned char)*s;
        if (xsirt_is_alnum(c) || strchr(".-_~:", c) != NULL || (keep_slash && c == '/')) {
            rc = xsirt_buf_putc(b, (char)c);
        } else {
            char t[3] = {'%', hex[c >> 4], hex[c & 15]};
            rc = xsirt_buf_append(b, t, 3);
        }
    }
    return rc;
}

/* ---- normalisation ---- */

static void fold(char *s, bool lower, bool upper)
{
    if (!lower && !upper)
        return;
    for (; s != NULL && *s != '\0'; s++)
        *s = (char)(lower ? xsirt_ascii_lower(*s) : upper ? xsirt_ascii_upper(*s) : *s);
}

/* Rewrites a '/'-separated path in place without empty segments (and,
 * for subpaths, without "." and ".."); NULL when nothing is left. */
static void path_clean(const xsirt_purl *p, char **path, bool dots)
{
    char *s = *path, *w = s;
    size_t i = 0;

    if (s == NULL)
        return;
    while (s[i] != '\0') {
        size_t n = strcspn(s + i, "/");
        bool skip = n == 0 || (dots && ((n == 1 && s[i] == '.') ||
                                        (n == 2 && s[i] == '.' && s[i + 1] == '.')));
        if (!skip) {
            if (w != s)
                *w++ = '/';
            memmove(w, s + i, n);
            w += n;
        }
        i += n;
        if (s[i] == '/')
            i++;
    }
    *w = '\0';
    if (w == s) {
        purl_drop(p, s);
        *path = NULL;
    }
}

static void strip_slashes(char *s)
{
    size_t lead = strspn(s, "/"), n = strlen(s);

    while (n > lead && s[n - 1] == '/')
        n--;
    memmove(s, s + lead, n - lead);
    s[n - lead] = '\0';
}

static bool pattern_match(const char *pattern, const char *s)
{
    regex_t re;
    bool ok;

    if (regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB) != 0)
        return false;
    ok = regexec(&re, s, 0, NULL, 0) == 0;
    regfree(&re);
    return ok;
}

static bool key_valid(const char *k)
{
    if (!xsirt_is_alpha((unsigned char)k[0]))
        return false;
    for (; *k != '\0'; k++)
        if (!xsirt_is_alnum((unsigned char)*k) && strchr(".-_", *k) == NULL)
            return false;
    return true;
}

static bool has_upper(const char *s)
{
    for (; *s != '\0'; s++)
        if (*s >= 'A' && *s <= 'Z')
            return true;
    return false;
}

static int qualifier_cmp(const void *a, const void *b)
{
    return strcmp(((const xsirt_purl_qualifier *)a)->key,
                  ((const xsirt_purl_qualifier *)b)->key);
}

static int normalize_type(xsirt_purl *p, xsirt_error *err)
{
    const char *t = p->type;

    if (t == NULL || t[0] == '\0')
        return xsirt_error_set(err, XSIRT_EINVAL, "purl: the type is missing");
    fold(p->type, true, false);
    if (!xsirt_is_alpha((unsigned char)t[0]))
        return purl_invalid(err, "the type must start with a letter:", t, strlen(t));
    for (const char *c = t; *c != '\0'; c++)
        if (!xsirt_is_alnum((unsigned char)*c) && *c != '.' && *c != '-')
            return purl_invalid(err, "the type may hold only letters, digits, '.' and '-':",
                                t, strlen(t));
    return 0;
}

static int normalize_qualifiers(xsirt_purl *p, unsigned flags, xsirt_error *err)
{
    size_t w = 0;

    for (size_t i = 0; i < p->nqualifiers; i++) {
        xsirt_purl_qualifier *q = &p->qualifiers[i];
        if (q->value == NULL || q->value[0] == '\0') {   /* empty means absent */
            purl_drop(p, q->key);
            purl_drop(p, q->value);
            continue;
        }
        p->qualifiers[w++] = *q;
    }
    p->nqualifiers = w;
    if (w > XSIRT_LIMIT_PURL_QUALIFIERS)
        return xsirt_error_set(err, XSIRT_ELIMIT, "purl: more than %u qualifiers",
                               XSIRT_LIMIT_PURL_QUALIFIERS);
    for (size_t i = 0; i < w; i++) {
        char *k = p->qualifiers[i].key;
        if (k == NULL || k[0] == '\0')
            return xsirt_error_set(err, XSIRT_EINVAL, "purl: a qualifier key is empty");
        if ((flags & XSIRT_PURL_STRICT) && has_upper(k))
            return purl_invalid(err, "qualifier key is not lower case:", k, strlen(k));
        fold(k, true, false);
        if (!key_valid(k))
            return purl_invalid(err, "qualifier key must be [a-z][a-z0-9._-]*:", k, strlen(k));
    }
    if (w > 1)
        qsort(p->qualifiers, w, sizeof p->qualifiers[0], qualifier_cmp);
    for (size_t i = 1; i < w; i++)
        if (strcmp(p->qualifiers[i - 1].key, p->qualifiers[i].key) == 0)
            return purl_invalid(err, "qualifier key appears twice:", p->qualifiers[i].key,
                                strlen(p->qualifiers[i].key));
    if (w == 0) {
        free(p->qualifiers);
        p->qualifiers = NULL;
    }
    return 0;
}

/* git-like types: the namespace is the first segment, the rest belongs
 * to the name ("pkg:git/codeberg.org/forgejo/forgejo"). */
static int move_namespace_tail(xsirt_purl *p, xsirt_error *err)
{
    char *slash = p->namespace_ != NULL ? strchr(p->namespace_, '/') : NULL;
    xsirt_buf b;
    char *name;

    if (slash == NULL)
        return 0;
    xsirt_buf_init(&b, XSIRT_LIMIT_IDENTIFIER);
    if (xsirt_buf_puts(&b, slash + 1) != 0 || xsirt_buf_putc(&b, '/') != 0 ||
        xsirt_buf_puts(&b, p->name) != 0 || (name = xsirt_buf_detach(&b)) == NULL) {
        xsirt_buf_free(&b);
        return purl_nomem(err);
    }
    *slash = '\0';
    purl_drop(p, p->name);
    p->name = name;
    return 0;
}

static int normalize_name(xsirt_purl *p, const purl_type *t, xsirt_error *err)
{
    /* Leading and trailing '/' are not significant. */
    if (p->name != NULL && (t->flags & NS_HOST))
        path_clean(p, &p->name, false);
    else if (p->name != NULL)
        strip_slashes(p->name);
    if (p->name == NULL || p->name[0] == '\0')
        return xsirt_error_set(err, XSIRT_EINVAL, "purl: the name is missing");
    if ((t->flags & NS_HOST) && move_namespace_tail(p, err) != 0)
        return XSIRT_ENOMEM;
    fold(p->name, (t->flags & NAME_LOWER) != 0, false);
    if (t->lower_key != NULL) {
        const char *v = xsirt_purl_get_qualifier(p, t->lower_key);
        if (v != NULL && strstr(v, t->lower_contains) != NULL)
            fold(p->name, true, false);
    }
    if (t->name_from != '\0')
        for (char *c = p->name; *c != '\0'; c++)
            if (*c == t->name_from)
                *c = t->name_to;
    if (t->name_forbidden != NULL && strstr(p->name, t->name_forbidden) != NULL)
        return purl_invalid(err, "this type's name may not contain", t->name_forbidden,
                            strlen(t->name_forbidden));
    if (t->name_pattern != NULL && !pattern_match(t->name_pattern, p->name))
        return purl_invalid(err, "name does not match the type's permitted_characters:",
                            p->name, strlen(p->name));
    return 0;
}

static int normalize_rest(xsirt_purl *p, const purl_type *t, xsirt_error *err)
{
    if (p->version != NULL && p->version[0] == '\0') {
        purl_drop(p, p->version);
        p->version = NULL;
    }
    fold(p->version, (t->flags & VER_LOWER) != 0, false);
    if (p->version != NULL && t->version_pattern != NULL &&
        !pattern_match(t->version_pattern, p->version))
        return purl_invalid(err, "version does not match the type's permitted_characters:",
                            p->version, strlen(p->version));
    path_clean(p, &p->subpath, true);
    fold(p->subpath, (t->flags & SUB_LOWER) != 0, false);
    if (t->required_key != NULL && xsirt_purl_get_qualifier(p, t->required_key) == NULL)
        return xsirt_error_set(err, XSIRT_EINVAL, "purl: type %s requires the qualifier %s",
                               t->type, t->required_key);
    return 0;
}

/* Normalises an owned purl of type t (its type normalised already) in place. */
static int purl_normalize_typed(xsirt_purl *p, const purl_type *t, unsigned flags,
                                xsirt_error *err)
{
    int rc;

    path_clean(p, &p->namespace_, false);
    fold(p->namespace_, (t->flags & NS_LOWER) != 0, (t->flags & NS_UPPER) != 0);
    if ((rc = normalize_qualifiers(p, flags, err)) != 0 ||
        (rc = normalize_name(p, t, err)) != 0 || (rc = normalize_rest(p, t, err)) != 0)
        return rc;
    if (t->ns == NS_REQUIRED && p->namespace_ == NULL)
        return xsirt_error_set(err, XSIRT_EINVAL, "purl: type %s requires a namespace",
                               p->type);
    if (t->ns == NS_PROHIBITED && p->namespace_ != NULL)
        return purl_invalid(err, "this type has no namespace, got", p->namespace_,
                            strlen(p->namespace_));
    return 0;
}

/* Normalises an owned purl in place. */
static int purl_normalize_owned(xsirt_purl *p, unsigned flags, xsirt_error *err)
{
    int rc = normalize_type(p, err);

    return rc != 0 ? rc : purl_normalize_typed(p, purl_type_find(p->type), flags, err);
}

/* ---- parsing ---- */

/* The last c in s[0..len). A forward memchr first: the separators sought
 * ('#', '?', '@') are mostly absent or single, and the backward walk then
 * stops at the first one. */
static const char *rfind(const char *s, size_t len, char c)
{
    const char *first = memchr(s, c, len), *p = s + len;

    if (first == NULL)
        return NULL;
    while (--p > first)
        if (*p == c)
            return p;
    return first;
}

static bool is_dot_segment(const char *d, size_t n)
{
    return (n == 1 && d[0] == '.') || (n == 2 && d[0] == '.' && d[1] == '.');
}

/* Decodes the '/'-separated segments of s[0..len) into *out (in the
 * store), joined with '/'; empty segments (and "." / ".." when dots) are
 * dropped, a decoded '/' is an error. *out stays NULL when no segment is
 * left. Decoding happens in place: the result is never longer. */
static int decode_path(purl_store *st, char **out, const char *s, size_t len, bool dots,
                       const char *what, xsirt_error *err)
{
    char *d = store_take(st, s, len);
    size_t r = 0, w = 0;
    int rc;

    *out = NULL;
    if (d == NULL)
        return store_full(err);
    while (r < len) {
        const char *end = memchr(d + r, '/', len - r);
        size_t n = end != NULL ? (size_t)(end - (d + r)) : len - r, m;
        if ((rc = purl_unescape(d + r, n, &m, s + r, what, err)) != 0)
            return rc;
        if (memchr(d + r, '/', m) != NULL) {
            char q[128];
            xsirt_quote(q, sizeof q, s + r, n);
            return xsirt_error_set(err, XSIRT_EINVAL, "purl: %s segment %s holds an encoded '/'",
                                   what, q);
        }
        if (m > 0 && !(dots && is_dot_segment(d + r, m))) {
            if (w > 0)
                d[w++] = '/';
            memmove(d + w, d + r, m);
            w += m;
        }
        r += n + 1;
    }
    if (w == 0) {
        st->used = (size_t)(d - st->base);   /* nothing left: all given back */
        return 0;
    }
    d[w] = '\0';
    store_trim(st, d, w);
    *out = d;
    return 0;
}

static int parse_qualifiers(purl_store *st, xsirt_purl *p, const char *s, size_t len,
                            xsirt_error *err)
{
    size_t i = 0, cap = 0;

    while (i <= len) {
        const char *item = s + i;
        const char *amp = memchr(item, '&', len - i);
        size_t n = amp != NULL ? (size_t)(amp - item) : len - i;
        const char *eq = memchr(item, '=', n);
        xsirt_purl_qualifier *q;
        int rc;

        i += n + 1;
        if (n == 0)
            continue;
        if (eq == NULL)
            return purl_invalid(err, "qualifier has no '=':", item, n);
        if (p->nqualifiers == cap) {
            void *grown;
            if (cap >= XSIRT_LIMIT_PURL_QUALIFIERS)
                return xsirt_error_set(err, XSIRT_ELIMIT, "purl: more than %u qualifiers",
                                       XSIRT_LIMIT_PURL_QUALIFIERS);
            cap = cap ? cap * 2 : 4;
            if ((grown = xsirt_realloc_array(p->qualifiers, cap, sizeof *q)) == NULL)
                return purl_nomem(err);
            p->qualifiers = grown;
        }
        q = &p->qualifiers[p->nqualifiers];
        q->key = store_take(st, item, (size_t)(eq - item));
        q->value = NULL;
        if (q->key == NULL)
            return store_full(err);
        p->nqualifiers++;
        if ((rc = purl_decode(st, &q->value, eq + 1, n - (size_t)(eq - item) - 1,
                              "qualifier value", err)) != 0)
            return rc;
    }
    return 0;
}

/* Splits the part between "pkg:" and '?' into type, namespace, name and
 * version. */
static int parse_path(purl_store *st, xsirt_purl *p, const purl_type **t, const char *s,
                      size_t len, xsirt_error *err)
{
    const char *slash, *last, *tail, *at, *end = s + len;
    int rc;

    while (s < end && *s == '/')   /* "pkg://type" is tolerated */
        s++;
    slash = memchr(s, '/', (size_t)(end - s));
    if (slash == NULL || slash == s)
        return purl_invalid(err, "needs \"type/name\" after \"pkg:\", got", s,
                            (size_t)(end - s));
    if ((p->type = store_take(st, s, (size_t)(slash - s))) == NULL)
        return store_full(err);
    if ((rc = normalize_type(p, err)) != 0)
        return rc;
    *t = purl_type_find(p->type);
    s = slash + 1;
    tail = rfind(s, (size_t)(end - s), '/');   /* the name and version follow it */
    at = rfind(tail != NULL ? tail + 1 : s, (size_t)(end - (tail != NULL ? tail + 1 : s)), '@');
    if (at != NULL) {
        if ((rc = purl_decode(st, &p->version, at + 1, (size_t)(end - at - 1), "version",
                              err)) != 0)
            return rc;
        end = at;
    }
    if ((*t)->flags & NS_HOST) {
        while (s < end && *s == '/')
            s++;
        slash = memchr(s, '/', (size_t)(end - s));
        last = slash != NULL ? slash : s - 1;
    } else {
        last = tail != NULL ? tail : s - 1;   /* '@' lies after it: still the last '/' */
    }
    if (last + 1 == end)
        return xsirt_error_set(err, XSIRT_EINVAL, "purl: the name is empty");
    if ((*t)->flags & NS_HOST)
        rc = decode_path(st, &p->name, last + 1, (size_t)(end - last - 1), false, "name", err);
    else
        rc = purl_decode(st, &p->name, last + 1, (size_t)(end - last - 1), "name", err);
    if (rc != 0)
        return rc;
    if (last >= s &&
        (rc = decode_path(st, &p->namespace_, s, (size_t)(last - s), false, "namespace",
                          err)) != 0)
        return rc;
    return 0;
}

static int purl_parse_parts(purl_store *st, xsirt_purl *p, const purl_type **t, const char *s,
                            size_t len, xsirt_error *err)
{
    const char *hash, *q, *colon;
    size_t end = len;
    int rc;

    if ((hash = rfind(s, end, '#')) != NULL) {
        if ((rc = decode_path(st, &p->subpath, hash + 1, end - (size_t)(hash - s) - 1, true,
                              "subpath", err)) != 0)
            return rc;
        end = (size_t)(hash - s);
    }
    if ((q = rfind(s, end, '?')) != NULL) {
        if ((rc = parse_qualifiers(st, p, q + 1, end - (size_t)(q - s) - 1, err)) != 0)
            return rc;
        end = (size_t)(q - s);
    }
    colon = memchr(s, ':', end);
    if (colon == NULL || colon - s != 3 || xsirt_ascii_ncasecmp(s, "pkg", 3) != 0)
        return purl_invalid(err, "must start with \"pkg:\":", s, end);
    return parse_path(st, p, t, colon + 1, end - 4, err);
}

int xsirt_purl_parse(xsirt_purl *out, const char *s, size_t len, unsigned flags,
                     xsirt_error *err)
{
    const purl_type *t = NULL;
    purl_store st = {NULL, 0, 0};
    int rc;

    xsirt_purl_init(out);
    if (s == NULL)
        return xsirt_error_set(err, XSIRT_EINVAL, "purl: no input");
    if (len > XSIRT_LIMIT_IDENTIFIER)
        return xsirt_error_set(err, XSIRT_ELIMIT, "purl: longer than %u bytes",
                               XSIRT_LIMIT_IDENTIFIER);
    if (memchr(s, '\0', len) != NULL)
        return xsirt_error_set(err, XSIRT_EINVAL, "purl: contains a NUL byte");
    /* One block for every string (twice the input bounds them all). */
    st.cap = 2 * len + 16;
    if ((st.base = malloc(st.cap)) == NULL)
        return purl_nomem(err);
    out->block_ = st.base;
    out->block_len_ = st.cap;
    if ((rc = purl_parse_parts(&st, out, &t, s, len, err)) == 0)
        rc = purl_normalize_typed(out, t, flags, err);
    if (rc != 0)
        xsirt_purl_free(out);
    return rc;
}

int xsirt_purl_validate(const char *s, size_t len, unsigned flags, xsirt_error *err)
{
    xsirt_purl p;
    int rc = xsirt_purl_parse(&p, s, len, flags, err);

    xsirt_purl_free(&p);
    return rc;
}

/* ---- rendering ---- */

static int purl_render(xsirt_buf *b, const xsirt_purl *p)
{
    const purl_type *t = purl_type_find(p->type);
    int rc;

    if ((rc = xsirt_buf_puts(b, "pkg:")) != 0 || (rc = xsirt_buf_puts(b, p->type)) != 0 ||
        (rc = xsirt_buf_putc(b, '/')) != 0)
        return rc;
    if (p->namespace_ != NULL &&
        ((rc = purl_encode(b, p->namespace_, true)) != 0 || (rc = xsirt_buf_putc(b, '/')) != 0))
        return rc;
    if ((rc = purl_encode(b, p->name, (t->flags & NS_HOST) != 0)) != 0)
        return rc;
    if (p->version != NULL &&
        ((rc = xsirt_buf_putc(b, '@')) != 0 || (rc = purl_encode(b, p->version, false)) != 0))
        return rc;
    for (size_t i = 0; i < p->nqualifiers; i++)
        if ((rc = xsirt_buf_putc(b, i == 0 ? '?' : '&')) != 0 ||
            (rc = xsirt_buf_puts(b, p->qualifiers[i].key)) != 0 ||
            (rc = xsirt_buf_putc(b, '=')) != 0 ||
            (rc = purl_encode(b, p->qualifiers[i].value, false)) != 0)
            return rc;
    if (p->subpath != NULL &&
        ((rc = xsirt_buf_putc(b, '#')) != 0 || (rc = purl_encode(b, p->subpath, true)) != 0))
        return rc;
    return 0;
}

int xsirt_purl_to_string(char **out, const xsirt_purl *purl, xsirt_error *err)
{
    xsirt_buf b;
    int rc;

    *out = NULL;
    if (purl == NULL || purl->type == NULL || purl->name == NULL)
        return xsirt_error_set(err, XSIRT_EINVAL, "purl: type or name missing");
    /* Encoding at most triples the decoded text. */
    xsirt_buf_init(&b, 3 * XSIRT_LIMIT_IDENTIFIER + 16);
    if ((rc = purl_render(&b, purl)) != 0) {
        xsirt_buf_free(&b);
        return rc == XSIRT_ENOMEM ? purl_nomem(err)
                                  : xsirt_error_set(err, rc, "purl: canonical form too long");
    }
    *out = xsirt_buf_detach(&b);
    return *out != NULL ? 0 : purl_nomem(err);
}

int xsirt_purl_canonical(char **out, const char *s, size_t len, unsigned flags,
                         xsirt_error *err)
{
    xsirt_purl p;
    int rc;

    *out = NULL;
    if ((rc = xsirt_purl_parse(&p, s, len, flags, err)) == 0)
        rc = xsirt_purl_to_string(out, &p, err);
    xsirt_purl_free(&p);
    return rc;
}

/* ---- building ---- */

static int dup_opt(char **out, const char *s)
{
    *out = NULL;
    if (s == NULL)
        return 0;
    if (strlen(s) > XSIRT_LIMIT_IDENTIFIER)
        return XSIRT_ELIMIT;
    *out = xsirt_strndup(s, strlen(s));
    return *out != NULL ? 0 : XSIRT_ENOMEM;
}

static int purl_copy(xsirt_purl *out, const xsirt_purl *in)
{
    int rc;

    if ((rc = dup_opt(&out->type, in->type)) != 0 ||
        (rc = dup_opt(&out->namespace_, in->namespace_)) != 0 ||
        (rc = dup_opt(&out->name, in->name)) != 0 ||
        (rc = dup_opt(&out->version, in->version)) != 0 ||
        (rc = dup_opt(&out->subpath, in->subpath)) != 0)
        return rc;
    if (in->nqualifiers > XSIRT_LIMIT_PURL_QUALIFIERS)
        return XSIRT_ELIMIT;
    if (in->nqualifiers > 0) {
        out->qualifiers = xsirt_alloc_array(in->nqualifiers, sizeof *out->qualifiers);
        if (out->qualifiers == NULL)
            return XSIRT_ENOMEM;
    }
    for (size_t i = 0; i < in->nqualifiers; i++) {
        out->nqualifiers++;
        if ((rc = dup_opt(&out->qualifiers[i].key, in->qualifiers[i].key)) != 0 ||
            (rc = dup_opt(&out->qualifiers[i].value, in->qualifiers[i].value)) != 0)
            return rc;
    }
    return 0;
}

int xsirt_purl_normalize(xsirt_purl *out, const xsirt_purl *in, xsirt_error *err)
{
    int rc;

    xsirt_purl_init(out);
    if (in == NULL)
        return xsirt_error_set(err, XSIRT_EINVAL, "purl: no input");
    if ((rc = purl_copy(out, in)) != 0)
        rc = rc == XSIRT_ENOMEM ? purl_nomem(err)
                                : xsirt_error_set(err, rc, "purl: a component is too long");
    else
        rc = purl_normalize_owned(out, 0, err);
    if (rc != 0)
        xsirt_purl_free(out);
    return rc;
}

int xsirt_purl_build(char **out, const xsirt_purl *in, xsirt_error *err)
{
    xsirt_purl p;
    int rc;

    *out = NULL;
    if ((rc = xsirt_purl_normalize(&p, in, err)) == 0)
        rc = xsirt_purl_to_string(out, &p, err);
    xsirt_purl_free(&p);
    return rc;
}

const char *xsirt_purl_get_qualifier(const xsirt_purl *purl, const char *key)
{
    if (purl == NULL || key == NULL)
        return NULL;
    for (size_t i = 0; i < purl->nqualifiers; i++)
        if (purl->qualifiers[i].key != NULL && strcmp(purl->qualifiers[i].key, key) == 0)
            return purl->qualifiers[i].value;
    return NULL;
}
