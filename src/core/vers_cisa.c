/*
 * vers_cisa.c — product versions and version ranges as CISA's ICS
 * advisories write them (CSAF product_version / product_version_range),
 * turned into vers ranges of the "firmware" scheme (version_firmware.c).
 *
 * The grammar (docs/versions.md, "CISA product versions") was written from
 * a survey of every distinct text in the shared CISA set. A text is a
 * sequence of comparators — an operator (<, <=, =<, >, >=, =>, =, ==, or
 * a word: "before", "below", "and below", "and later", ...) and a version
 * — with separators that do not matter ('|', ',', ';', "and", "or"):
 * CISA writes an interval as ">= 1.0 | <= 1.32", ">=V7.80<V9.40" or
 * "All Versions >= V2.0 and < V2.2" and a list as "1.00 | 1.04". So, as
 * vers itself does, the comparators are sorted by version and each lower
 * bound is paired with the next upper bound; a lone upper bound reaches
 * down to the first version, a lone lower bound up to the last, a bare
 * version is itself. "vers:all/" with a star, "All versions", "All BIOS versions" are
 * every version. A version is one or more words ("V17 Update 5",
 * "2020 R2 SP1", "1.4 build 11051315"); words of the product's own name
 * before it are dropped ("< SIMATIC WinAC RTX 2010 SP3"), as is a product
 * prefix before the operator ("NMC2 <= 6.9.6"); a last dotted part "x"
 * is a wildcard ("2.4.X" is >=2.4 <2.5). What cannot be read this way
 * (prose such as "numbers ending ...9A", a date, a word that is neither a
 * version nor a known qualifier) is an error naming the byte, for the
 * index builder to count and report: never a literal that never matches.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/checked.h"
#include "core/str.h"
#include "core/vers_build.h"
#include "xsirt/limits.h"
#include "xsirt/vers.h"

#define CISA_MAX_WORDS 256   /* words in one text: CISA's longest has 30 */

typedef struct cword {
    const char *p;
    size_t n;
    size_t at;      /* byte offset in the input, for messages */
    int op;         /* an operator token: its xsirt_vers_op, else -1 */
    bool sep;       /* '|', ',', ';', '&', " / " */
} cword;

typedef struct ccmp {
    xsirt_vers_op op;
    char *version;
} ccmp;

typedef struct cisa {
    const char *in;
    const char *product;
    const xsirt_version_scheme *scheme;
    cword w[CISA_MAX_WORDS];
    size_t nw;
    ccmp *c;
    size_t nc, capc;
    bool any;
    /* the parse result as OR-ed AND-sets: set i holds terms [lo, hi] (hi
     * may be none) over items */
    char **items;
    size_t nitems;
    struct cset {
        int lo_op, hi_op;   /* -1 when absent */
        size_t lo, hi;
    } *sets;
    size_t nsets;
    xsirt_error *err;
} cisa;

static int cisa_bad(cisa *x, size_t at, const char *what)
{
    return xsirt_error_set_at(x->err, XSIRT_EINVAL, 1, (unsigned long)at + 1,
                              "version text not understood: %s", what);
}

static int cisa_nomem(cisa *x)
{
    return xsirt_error_set(x->err, XSIRT_ENOMEM, "vers: out of memory");
}

static bool word_is(const cword *w, const char *lit)
{
    return w->op < 0 && !w->sep && strlen(lit) == w->n && xsirt_ascii_ncasecmp(w->p, lit, w->n) == 0;
}

static bool word_in(const cword *w, const char *const *list)
{
    for (size_t i = 0; list[i] != NULL; i++)
        if (word_is(w, list[i]))
            return true;
    return false;
}

static bool word_has_digit(const cword *w)
{
    for (size_t i = 0; i < w->n; i++)
        if (xsirt_is_digit((unsigned char)w->p[i]))
            return true;
    return false;
}

/* Starts with a digit, or with one version letter then a digit ("V4.1",
 * "v.32", "R16A"). */
static bool word_versionish(const cword *w)
{
    const char *p = w->p;
    size_t n = w->n;

    if (n > 0 && (p[0] == 'V' || p[0] == 'v' || p[0] == 'R' || p[0] == 'r')) {
        p++;
        n--;
        if (n > 0 && *p == '.') {
            p++;
            n--;
        }
    }
    return n > 0 && xsirt_is_digit((unsigned char)p[0]);
}

/* ---- lexing ---- */

static bool is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '_' || c == '(' ||
           c == ')' || c == '[' || c == ']' || c == '"' || c == '\'';
}

static int lex_op(const char *s, size_t *len)
{
    static const struct {
        const char *t;
        int op;
    } ops[] = {
        {"<=", XSIRT_VERS_LE}, {"=<", XSIRT_VERS_LE}, {">=", XSIRT_VERS_GE},
        {"=>", XSIRT_VERS_GE}, {"==", XSIRT_VERS_EQ}, {"!=", XSIRT_VERS_NE},
        {"<", XSIRT_VERS_LT},  {">", XSIRT_VERS_GT},  {"=", XSIRT_VERS_EQ},
    };

    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
        if (strncmp(s, ops[i].t, strlen(ops[i].t)) == 0) {
            *len = strlen(ops[i].t);
            return ops[i].op;
        }
    return -1;
}

static int cisa_push(cisa *x, const char *p, size_t n, int op, bool sep)
{
    if (x->nw >= CISA_MAX_WORDS)
        return xsirt_error_set(x->err, XSIRT_ELIMIT, "version text has more than %u words",
                               CISA_MAX_WORDS);
    x->w[x->nw].p = p;
    x->w[x->nw].n = n;
    x->w[x->nw].at = (size_t)(p - x->in);
    x->w[x->nw].op = op;
    x->w[x->nw++].sep = sep;
    return 0;
}

static int cisa_lex(cisa *x, const char *s)
{
    size_t i = 0;
    int rc;

    while (s[i] != '\0') {
        unsigned char c = (unsigned char)s[i];
        size_t len;
        int op;
        if (is_space(c)) {
            i++;
        } else if (c == 0xc2 && (unsigned char)s[i + 1] == 0xa0) {
            i += 2;   /* no-break space */
        } else if (c >= 0x7f || c < 0x20) {
            return cisa_bad(x, i, "a control or non-ASCII byte");
        } else if ((op = lex_op(s + i, &len)) >= 0) {
            if ((rc = cisa_push(x, s + i, len, op, false)) != 0)
                return rc;
            i += len;
        } else if (c == '|' || c == ',' || c == ';' || c == '&' ||
                   (c == '/' && i > 0 && s[i - 1] == ' ' && s[i + 1] == ' ')) {
            if ((rc = cisa_push(x, s + i, 1, -1, true)) != 0)
                return rc;
            i++;
        } else {
            size_t j = i;
            /* "15.2(6)E0a": parentheses between letters or digits are part
             * of a version (Cisco's style); elsewhere they are spaces */
            while (s[j] != '\0' &&
                   (!is_space((unsigned char)s[j]) ||
                    ((s[j] == '(' || s[j] == ')') && j > i &&
                     xsirt_is_alnum((unsigned char)s[j - 1]) &&
                     xsirt_is_alnum((unsigned char)s[j + 1]))) &&
                   s[j] != '|' &&
                   s[j] != ',' && s[j] != ';' && s[j] != '&' && s[j] != '<' && s[j] != '>' &&
                   s[j] != '=' && (unsigned char)s[j] < 0x7f && (unsigned char)s[j] >= 0x20 &&
                   !(s[j] == '!' && s[j + 1] == '='))
                j++;
            /* A word ending in a dot ("rev.", "Ver.") keeps it: harmless. */
            if ((rc = cisa_push(x, s + i, j - i, -1, false)) != 0)
                return rc;
            i = j;
        }
    }
    return 0;
}

/* ---- comparators ---- */

static int cisa_cmp_add(cisa *x, xsirt_vers_op op, char *v)
{
    if (x->nc >= XSIRT_LIMIT_VERS_CONSTRAINTS) {
        free(v);
        return xsirt_error_set(x->err, XSIRT_ELIMIT, "version text has more than %u versions",
                               XSIRT_LIMIT_VERS_CONSTRAINTS);
    }
    if (x->nc == x->capc) {
        size_t nc = x->capc ? x->capc * 2 : 8;
        ccmp *c = xsirt_realloc_array(x->c, nc, sizeof *c);
        if (c == NULL) {
            free(v);
            return cisa_nomem(x);
        }
        x->c = c;
        x->capc = nc;
    }
    x->c[x->nc].op = op;
    x->c[x->nc++].version = v;
    return 0;
}

/* Whether the word is one of the product name's words (case-insensitive):
 * "< SIMATIC WinAC RTX 2010 SP3" for product "SIMATIC WinAC RTX 2010". */
static bool in_product(const cisa *x, const cword *w)
{
    const char *p = x->product;

    if (p == NULL)
        return false;
    while (*p != '\0') {
        size_t n;
        while (*p != '\0' && (*p == ' ' || *p == '_' || *p == '(' || *p == ')' || *p == ','))
            p++;
        n = strcspn(p, " _(),");
        if (n == w->n && xsirt_ascii_ncasecmp(p, w->p, n) == 0)
            return true;
        p += n;
    }
    return false;
}

/* Words that may stand in a version beside numbers. */
static const char *const qualifiers[] = {
    "update", "upd", "sp", "hf", "hotfix", "patch", "build", "rev", "rev.", "release", "service",
    "pack", "fp", "ga", "beta", "alpha", "rc", "sr", "fix", "plus", "mr", "cu", "ur", "bios",
    "hw", "fw", "firmware", "version", "ver", "ver.", "r", "p", "v", "b", "u", "lts", "esr",
    "pl", "mp", "x", NULL,
};
/* Marker words dropped before a version. */
static const char *const markers[] = {
    "version", "versions", "ver", "ver.", "rev", "rev.", "firmware", "fw", "bios", "release",
    "software", NULL,
};

/* The last dotted part of a version is "x"/"X"/"*": *base gets the text
 * before the dot. */
static bool wildcard(const char *v, size_t n, size_t *base)
{
    if (n >= 3 && v[n - 2] == '.' && (v[n - 1] == 'x' || v[n - 1] == 'X' || v[n - 1] == '*')) {
        *base = n - 2;
        return true;
    }
    return false;
}

/* "2.4" → "2.5": the last digit run plus one. NULL when there is none. */
static char *bump(const char *v, size_t n)
{
    size_t end = n, start;
    char *o;

    while (end > 0 && !xsirt_is_digit((unsigned char)v[end - 1]))
        end--;
    if (end == 0)
        return NULL;
    start = end;
    while (start > 0 && xsirt_is_digit((unsigned char)v[start - 1]))
        start--;
    if ((o = malloc(end + 2)) == NULL)
        return NULL;
    memcpy(o + 1, v, end);
    o[end + 1] = '\0';
    for (size_t i = end; i > start; i--) {
        if (o[i] != '9') {
            o[i]++;
            return memmove(o, o + 1, end + 1);
        }
        o[i] = '0';
    }
    /* all nines: one digit more */
    memmove(o, o + 1, start);
    o[start] = '1';
    return o;
}

/* One version of words w[a..b) under operator op. */
static int cisa_version(cisa *x, int op, size_t a, size_t b)
{
    xsirt_buf v;
    size_t base, n;
    char *s, *hi;
    bool digit = false;
    int rc;

    xsirt_buf_init(&v, XSIRT_LIMIT_VERSION);
    for (size_t i = a; i < b; i++) {
        if (!word_has_digit(&x->w[i]) && !word_in(&x->w[i], qualifiers) && x->w[i].n > 2) {
            char what[96], q[64];
            xsirt_buf_free(&v);
            xsirt_quote(q, sizeof q, x->w[i].p, x->w[i].n);
            snprintf(what, sizeof what, "the word %s", q);
            return cisa_bad(x, x->w[i].at, what);
        }
        digit = digit || word_has_digit(&x->w[i]);
        if ((i > a && xsirt_buf_putc(&v, '-') != 0) ||
            xsirt_buf_append(&v, x->w[i].p, x->w[i].n) != 0) {
            xsirt_buf_free(&v);
            return xsirt_error_set(x->err, XSIRT_ELIMIT, "version longer than %u bytes",
                                   XSIRT_LIMIT_VERSION);
        }
    }
    if (!digit) {
        xsirt_buf_free(&v);
        return cisa_bad(x, x->w[a].at, "a version without a digit");
    }
    n = v.len;
    if ((s = xsirt_buf_detach(&v)) == NULL)
        return cisa_nomem(x);
    if (op == XSIRT_VERS_NE) {
        free(s);
        return cisa_bad(x, x->w[a].at, "\"!=\"");
    }
    if (!wildcard(s, n, &base))
        return cisa_cmp_add(x, (xsirt_vers_op)op, s);
    /* "2.4.x": >=2.4 <2.5; "<= 4.6.x" is below 4.7; ">= 2.x" from 2; "< 2.x" below 2 */
    s[base] = '\0';
    if ((hi = bump(s, base)) == NULL) {
        free(s);
        return cisa_nomem(x);
    }
    switch (op) {
    case XSIRT_VERS_EQ:
        if ((rc = cisa_cmp_add(x, XSIRT_VERS_GE, s)) != 0) {
            free(hi);
            return rc;
        }
        return cisa_cmp_add(x, XSIRT_VERS_LT, hi);
    case XSIRT_VERS_LE:
    case XSIRT_VERS_GT:
        free(s);
        return cisa_cmp_add(x, op == XSIRT_VERS_LE ? XSIRT_VERS_LT : XSIRT_VERS_GE, hi);
    default:
        free(hi);
        return cisa_cmp_add(x, (xsirt_vers_op)op, s);
    }
}

/* A phrase of words w[a..b) after operator op (-1: none): marker and
 * product words dropped, then one version, or, without an operator,
 * several when numbers follow numbers ("1.60 7.x 8.x"). */
static int cisa_phrase(cisa *x, int op, size_t a, size_t b)
{
    size_t start;
    int rc;

    while (a < b && (word_in(&x->w[a], markers) ||
                     (!word_versionish(&x->w[a]) && in_product(x, &x->w[a]))))
        a++;
    if (a == b)   /* "and below" or "to" with nothing before: a is 0 */
        return op < 0 ? 0 : cisa_bad(x, a > 0 ? x->w[a - 1].at : 0,
                                     "an operator without a version");
    start = a;
    for (size_t i = a + 1; i <= b; i++) {
        /* bare versions may follow each other ("7.x 8.x"); after an
         * operator the words are one version ("< 5.7.4 (96)") */
        if (i < b && (op >= 0 || !(word_versionish(&x->w[i]) && word_versionish(&x->w[i - 1]))))
            continue;
        if ((rc = cisa_version(x, op < 0 ? XSIRT_VERS_EQ : op, start, i)) != 0)
            return rc;
        start = i;
    }
    return 0;
}

static const char *const cut_words[] = {"only", "if", "when", "on", "with", "without", "except",
                                        "for", "using", "in", NULL};
static const char *const le_tails[] = {"below", "earlier", "prior", "lower", "older", NULL};
static const char *const ge_tails[] = {"above", "later", "higher", "newer", "greater", NULL};

/* The comparators of the words. */
static int cisa_parse(cisa *x)
{
    size_t i = 0, start;
    int op = -1, rc;
    bool seen = false, all = false;

    /* "All versions", "All BIOS versions", "all": */
    if (x->nw > 0 && word_is(&x->w[0], "all")) {
        size_t j = 1;
        while (j < x->nw && j < 4 && x->w[j].op < 0 && !x->w[j].sep &&
               !word_is(&x->w[j], "versions") && !word_is(&x->w[j], "version"))
            j++;
        if (j < x->nw && (word_is(&x->w[j], "versions") || word_is(&x->w[j], "version")))
            i = j + 1;
        else if (x->nw == 1)
            i = 1;
        all = i > 0;
        if (i == x->nw) {
            x->any = true;
            return 0;
        }
    }
    start = i;
    while (i <= x->nw) {
        const cword *w = i < x->nw ? &x->w[i] : NULL;
        int next_op = -1;
        size_t skip = 1;
        bool boundary = w == NULL || w->op >= 0 || w->sep;

        if (w != NULL && !boundary) {
            if (word_is(w, "up") && i + 1 < x->nw && word_is(&x->w[i + 1], "to")) {
                /* "up to [and including] X": at most X */
                skip = 2;
                if (i + 3 < x->nw && word_is(&x->w[i + 2], "and") &&
                    word_is(&x->w[i + 3], "including"))
                    skip = 4;
                boundary = true;
                next_op = XSIRT_VERS_LE;
            } else if (word_is(w, "and") || word_is(w, "or") || word_is(w, "to") ||
                word_is(w, "through") || word_is(w, "until") || word_is(w, "-")) {
                const cword *t = i + 1 < x->nw ? &x->w[i + 1] : NULL;
                if (t != NULL && word_in(t, le_tails) && op < 0) {
                    op = XSIRT_VERS_LE;
                    skip = 2;
                } else if (t != NULL && word_in(t, ge_tails) && op < 0) {
                    op = XSIRT_VERS_GE;
                    skip = 2;
                } else if (!word_is(w, "and") && !word_is(w, "or") && op < 0) {
                    /* "A to B", "A - B": from A through B */
                    op = XSIRT_VERS_GE;
                    next_op = XSIRT_VERS_LE;
                }
                boundary = true;
            } else if (word_is(w, "before") || word_is(w, "below")) {
                boundary = true;
                next_op = XSIRT_VERS_LT;
            } else if (w->p[0] == '-' && w->n > 1 && i > start) {
                /* "01.14.000 -01.47.000" */
                if ((rc = cisa_phrase(x, op < 0 ? XSIRT_VERS_GE : op, start, i)) != 0)
                    return rc;
                x->w[i].p++;
                x->w[i].n--;
                x->w[i].at++;
                op = XSIRT_VERS_LE;
                start = i;
                i++;
                continue;
            } else if (word_in(w, cut_words)) {
                if (!seen && start == i && op < 0 && all && i > 0) {
                    x->any = true;   /* "All versions only if ...": the
                                      * condition cannot be checked here */
                    return 0;
                }
                if (!seen && start == i && op < 0)
                    return cisa_bad(x, w->at, "a condition before any version");
                if ((rc = cisa_phrase(x, op, start, i)) != 0)
                    return rc;
                return 0;
            }
        }
        if (!boundary) {
            i++;
            continue;
        }
        if (w != NULL && w->op >= 0 && op < 0 && start + 1 == i &&
            !word_versionish(&x->w[start])) {
            /* "NMC2 <= 6.9.6": a product prefix before the operator */
            start = i;
        }
        if (start < i || op >= 0) {
            if ((rc = cisa_phrase(x, op, start, i)) != 0)
                return rc;
            seen = true;
        }
        op = w != NULL && w->op >= 0 ? w->op : next_op;
        i += skip;
        start = i;
    }
    if (x->nc == 0)
        return cisa_bad(x, x->nw > 0 ? x->w[0].at : 0, "no version");
    return 0;
}

/* ---- comparators to vers ---- */

static int cmp_order(const xsirt_version_scheme *scheme, const ccmp *a, const ccmp *b)
{
    int c = 0;

    if (xsirt_version_compare(&c, scheme, a->version, b->version, NULL) != 0)
        c = strcmp(a->version, b->version);
    return c;
}

static int cisa_sets(cisa *x)
{
    int lo = -1;
    size_t lo_item = 0;

    /* A stable insertion sort: texts hold a handful of comparators (the
     * word limit bounds them) and qsort has no context for the scheme. */
    for (size_t i = 1; i < x->nc; i++)
        for (size_t j = i; j > 0 && cmp_order(x->scheme, &x->c[j], &x->c[j - 1]) < 0; j--) {
            {
                ccmp t = x->c[j];
                x->c[j] = x->c[j - 1];
                x->c[j - 1] = t;
            }
        }
    x->items = xsirt_alloc_array(x->nc, sizeof *x->items);
    x->sets = xsirt_alloc_array(x->nc, sizeof *x->sets);
    if (x->items == NULL || x->sets == NULL)
        return cisa_nomem(x);
    for (size_t i = 0; i < x->nc; i++) {
        xsirt_vers_op op = x->c[i].op;
        size_t it = x->nitems;
        x->items[x->nitems++] = x->c[i].version;
        x->c[i].version = NULL;
        if (op == XSIRT_VERS_GE || op == XSIRT_VERS_GT) {
            if (lo < 0) {
                lo = (int)op;
                lo_item = it;
            }
            continue;
        }
        struct cset *s = &x->sets[x->nsets++];
        s->lo_op = -1;
        s->hi_op = (int)op;
        s->hi = it;
        if (op == XSIRT_VERS_EQ) {
            s->lo_op = -1;
        } else if (lo >= 0) {
            s->lo_op = lo;
            s->lo = lo_item;
            lo = -1;
        }
    }
    if (lo >= 0) {
        struct cset *s = &x->sets[x->nsets++];
        s->lo_op = lo;
        s->lo = lo_item;
        s->hi_op = -1;
    }
    return 0;
}

static int cisa_member(bool *in, const xsirt_vers_probe *p, const void *ctx, xsirt_error *err)
{
    const cisa *x = ctx;
    int c, rc;

    *in = false;
    for (size_t i = 0; i < x->nsets && !*in; i++) {
        const struct cset *s = &x->sets[i];
        bool ok = true;
        if (s->lo_op >= 0) {
            if ((rc = xsirt_vers_probe_cmp(&c, p, s->lo, x->items[s->lo], err)) != 0)
                return rc;
            ok = s->lo_op == XSIRT_VERS_GE ? c >= 0 : c > 0;
        }
        if (ok && s->hi_op >= 0) {
            if ((rc = xsirt_vers_probe_cmp(&c, p, s->hi, x->items[s->hi], err)) != 0)
                return rc;
            ok = s->hi_op == XSIRT_VERS_EQ ? c == 0 : s->hi_op == XSIRT_VERS_LE ? c <= 0 : c < 0;
        }
        *in = ok;
    }
    return 0;
}

static void cisa_free(cisa *x)
{
    for (size_t i = 0; i < x->nc; i++)
        free(x->c[i].version);
    for (size_t i = 0; i < x->nitems; i++)
        free(x->items[i]);
    free(x->c);
    free(x->items);
    free(x->sets);
}

int xsirt_vers_from_cisa(xsirt_vers *out, const char *text, const char *product,
                         xsirt_error *err)
{
    static const char *const all_item[] = {"0"};
    cisa x;
    const char *body = text;
    int rc;

    memset(out, 0, sizeof *out);
    memset(&x, 0, sizeof x);
    x.in = text;
    x.product = product;
    x.err = err;
    x.scheme = xsirt_version_scheme_find("firmware");
    if (text == NULL)
        return xsirt_error_set(err, XSIRT_EINVAL, "no version text");
    if (strnlen(text, XSIRT_LIMIT_IDENTIFIER + 1) > XSIRT_LIMIT_IDENTIFIER)
        return xsirt_error_set(err, XSIRT_ELIMIT, "version text longer than %u bytes",
                               XSIRT_LIMIT_IDENTIFIER);
    while (*body == ' ')
        body++;
    if (xsirt_ascii_ncasecmp(body, "vers:", 5) == 0 && strchr(body, '/') != NULL)
        body = strchr(body, '/') + 1;
    if ((rc = cisa_lex(&x, body)) == 0 && x.nw == 1 && x.w[0].n == 1 && x.w[0].p[0] == '*')
        x.any = true;
    else if (rc == 0)
        rc = cisa_parse(&x);
    if (rc == 0 && x.any) {
        x.sets = calloc(1, sizeof *x.sets);
        if (x.sets == NULL)
            rc = cisa_nomem(&x);
        else {
            x.sets[0].lo_op = x.sets[0].hi_op = -1;
            x.nsets = 1;
            rc = xsirt_vers_build(out, "firmware", all_item, 1, cisa_member, &x, err);
        }
    } else if (rc == 0 && (rc = cisa_sets(&x)) == 0) {
        rc = xsirt_vers_build(out, "firmware", (const char *const *)x.items, x.nitems,
                              cisa_member, &x, err);
    }
    cisa_free(&x);
    return rc;
}
