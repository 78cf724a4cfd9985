/*
 * version_maven.c — the "maven" scheme: Maven versions ordered exactly as
 * org.apache.maven.artifact.versioning.ComparableVersion (maven-artifact
 * 3.8.x/3.9.x) orders them. Every string is a valid Maven version.
 *
 * The idea, as in ComparableVersion: the lower-cased version is cut into
 * items: numbers, qualifiers (strings) and sub-lists. '.' separates items,
 * '-' and a digit/letter transition start a sub-list; a letter run followed
 * by a digit after '.' gets a sub-list of its own ("1.0.0.X1" <
 * "1.0.0-X2"); an empty item is 0. Each list then drops trailing "null"
 * items (0, "", ga, final, release, empty lists), looking past non-empty
 * sub-lists. Since a new sub-list is always the last item of the current
 * one, the tree is a chain: we keep it as one flat array of tokens where a
 * LIST token means "the rest is a sub-list", and compare two arrays with
 * the item-against-item rules of ComparableVersion:
 *   numbers:   by value, but an int (<= 9 digits after leading zeros) <
 *              a long (<= 18) < a big integer, whatever the values, so a
 *              run of ten zeros is a long 0 and sorts after an int 0;
 *   qualifiers: alpha (a<digit>) < beta (b<digit>) < milestone (m<digit>)
 *              < rc = cr < snapshot < "" = ga = final = release < sp <
 *              any other, others lexically;
 *   number > qualifier; number > list; list > qualifier; a missing item
 *   compares as "null" (so 1-rc < 1 < 1-sp and 1.0 == 1).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "core/version_scheme.h"
#include "core/version_semver_core.h"

enum { MV_INT, MV_LONG, MV_BIG, MV_STR, MV_LIST };

#define MV_RANK_RELEASE 5   /* "" in ComparableVersion's qualifier list */
#define MV_RANK_OTHER 7     /* not in the list: after all of it, lexically */

typedef struct mv_tok {
    uint8_t kind;
    uint8_t dead;           /* removed by normalisation */
    int8_t rank;            /* qualifiers: 0 alpha .. 6 sp, 7 other */
    uint16_t start, len;    /* the text in the version */
} mv_tok;

/* A digit/letter transition can add three tokens for two characters;
 * 3 per byte (plus a few) bounds every input. */
#define MV_TOKENS(len) (3u * (len) + 4u)

typedef struct mv_version {
    const char *s;
    mv_tok *tok;            /* MV_TOKENS(strlen(s)) */
    size_t n;
    int cur_empty;          /* the list being filled has no item yet */
} mv_version;

static void mv_push(mv_version *m, uint8_t kind, size_t start, size_t len, int8_t rank)
{
    mv_tok *t = &m->tok[m->n++];

    t->kind = kind;
    t->dead = 0;
    t->rank = rank;
    t->start = (uint16_t)start;
    t->len = (uint16_t)len;
    m->cur_empty = kind == MV_LIST;
}

static int mv_word(const char *s, size_t len, const char *w)
{
    return strlen(w) == len && xsirt_ascii_ncasecmp(s, w, len) == 0;
}

/* The qualifier rank of a StringItem built from s[0..len). */
static int8_t mv_rank(const char *s, size_t len, int followed_by_digit)
{
    static const char *const known[] = {"alpha", "beta", "milestone", "rc",
                                         "snapshot", "", "sp"};

    if (followed_by_digit && len == 1) {
        switch (xsirt_ascii_lower((unsigned char)s[0])) {
        case 'a': return 0;
        case 'b': return 1;
        case 'm': return 2;
        default: break;
        }
    }
    if (mv_word(s, len, "ga") || mv_word(s, len, "final") || mv_word(s, len, "release"))
        return MV_RANK_RELEASE;
    if (mv_word(s, len, "cr"))
        return 3;
    for (int8_t k = 0; k < 7; k++)
        if (mv_word(s, len, known[k]))
            return k;
    return MV_RANK_OTHER;
}

static void mv_item(mv_version *m, int digits, size_t start, size_t end)
{
    size_t len = end - start, z = 0;
    uint8_t kind;

    if (!digits) {
        mv_push(m, MV_STR, start, len, mv_rank(m->s + start, len, 0));
        return;
    }
    while (z < len && m->s[start + z] == '0')
        z++;
    if (z < len)        /* stripLeadingZeroes keeps an all-zero string whole */
        len -= z;
    kind = len <= 9 ? MV_INT : len <= 18 ? MV_LONG : MV_BIG;
    mv_push(m, kind, start, end - start, 0);
}

/* Zero digits (an empty item is IntItem.ZERO). */
static int mv_zero(const char *s, const mv_tok *t)
{
    for (size_t k = 0; k < t->len; k++)
        if (s[t->start + k] != '0')
            return 0;
    return 1;
}

/* Item.compareTo(null): how an item compares with a missing one. */
static int mv_cmp_null(const char *s, const mv_tok *t)
{
    if (t->kind == MV_STR)
        return (t->rank > MV_RANK_RELEASE) - (t->rank < MV_RANK_RELEASE);
    return mv_zero(s, t) ? 0 : 1;
}

static void mv_parse(mv_version *m, const char *v)
{
    size_t n = strlen(v), start = 0;
    int digit = 0;

    m->s = v;
    m->n = 0;
    m->cur_empty = 1;
    for (size_t i = 0; i < n; i++) {
        char c = v[i];
        if (c == '.' || c == '-') {
            if (i == start)
                mv_push(m, MV_INT, i, 0, 0);
            else
                mv_item(m, digit, start, i);
            start = i + 1;
            if (c == '-')
                mv_push(m, MV_LIST, i, 0, 0);
        } else if (xsirt_is_digit((unsigned char)c)) {
            if (!digit && i > start) {
                if (!m->cur_empty)
                    mv_push(m, MV_LIST, start, 0, 0);
                mv_push(m, MV_STR, start, i - start, mv_rank(v + start, i - start, 1));
                start = i;
                mv_push(m, MV_LIST, i, 0, 0);
            }
            digit = 1;
        } else {
            if (digit && i > start) {
                mv_item(m, 1, start, i);
                start = i;
                mv_push(m, MV_LIST, i, 0, 0);
            }
            digit = 0;
        }
    }
    if (n > start) {
        if (!digit && !m->cur_empty)
            mv_push(m, MV_LIST, start, 0, 0);
        mv_item(m, digit, start, n);
    }
}

/* ListItem.normalize() on every list, innermost first: drop null items
 * from the end, looking past a non-empty sub-list; then squeeze the dead
 * tokens out. */
static void mv_normalise(mv_version *m)
{
    size_t end = m->n, child_alive = 0, o = 0;
    int has_child = 0;

    for (;;) {
        size_t first = end, k = end, alive = 0;
        while (first > 0 && m->tok[first - 1].kind != MV_LIST)
            first--;
        if (has_child) {
            if (child_alive == 0)
                m->tok[end].dead = 1;
            else
                alive++;
        }
        while (k > first && mv_cmp_null(m->s, &m->tok[k - 1]) == 0)
            m->tok[--k].dead = 1;
        alive += k - first;
        if (first == 0)
            break;
        end = first - 1;
        has_child = 1;
        child_alive = alive;
    }
    for (size_t k = 0; k < m->n; k++)
        if (!m->tok[k].dead)
            m->tok[o++] = m->tok[k];
    m->n = o;
}

static int mv_is_num(const mv_tok *t)
{
    return t->kind <= MV_BIG;
}

/* Lexical order of two lower-cased qualifiers. */
static int mv_text_cmp(const char *a, const mv_tok *ta, const char *b, const mv_tok *tb)
{
    for (size_t k = 0; k < ta->len && k < tb->len; k++) {
        int ca = xsirt_ascii_lower((unsigned char)a[ta->start + k]);
        int cb = xsirt_ascii_lower((unsigned char)b[tb->start + k]);
        if (ca != cb)
            return ca < cb ? -1 : 1;
    }
    return (ta->len > tb->len) - (ta->len < tb->len);
}

/* Item.compareTo(Item) for two plain items. */
static int mv_item_cmp(const mv_version *a, const mv_tok *x, const mv_version *b,
                       const mv_tok *y)
{
    if (mv_is_num(x) && mv_is_num(y)) {
        if (x->kind != y->kind)
            return x->kind < y->kind ? -1 : 1;
        return xsirt_vdigits_cmp(a->s + x->start, x->len, b->s + y->start, y->len);
    }
    if (mv_is_num(x) || mv_is_num(y))
        return mv_is_num(x) ? 1 : -1;
    if (x->rank != y->rank)
        return x->rank < y->rank ? -1 : 1;
    return x->rank == MV_RANK_OTHER ? mv_text_cmp(a->s, x, b->s, y) : 0;
}

/* The first non-zero Item.compareTo(null) of the tokens from k on. */
static int mv_tail_null(const mv_version *m, size_t k)
{
    for (; k < m->n; k++) {
        int c;
        if (m->tok[k].kind == MV_LIST)
            continue;
        if ((c = mv_cmp_null(m->s, &m->tok[k])) != 0)
            return c;
    }
    return 0;
}

static int mv_cmp(const mv_version *a, const mv_version *b)
{
    size_t i = 0, j = 0;

    for (;;) {
        const mv_tok *x, *y;
        int c;
        if (i == a->n || j == b->n)
            return mv_tail_null(a, i) - mv_tail_null(b, j);
        x = &a->tok[i];
        y = &b->tok[j];
        if (x->kind == MV_LIST || y->kind == MV_LIST) {
            if (x->kind == y->kind) {
                i++;
                j++;
                continue;
            }
            /* list > qualifier, list < number */
            if (x->kind == MV_LIST)
                return y->kind == MV_STR ? 1 : -1;
            return x->kind == MV_STR ? -1 : 1;
        }
        if ((c = mv_item_cmp(a, x, b, y)) != 0)
            return c;
        i++;
        j++;
    }
}

static int maven_validate(const char *v, xsirt_error *err)
{
    (void)v;
    (void)err;
    return 0;
}

static int maven_compare(int *out, const char *a, const char *b, xsirt_error *err)
{
    mv_version m[2];
    size_t na = MV_TOKENS(strlen(a));
    /* Lengths are bounded by XSIRT_LIMIT_VERSION (version.c), so this
     * cannot overflow. */
    mv_tok *tok = malloc((na + MV_TOKENS(strlen(b))) * sizeof *tok);

    if (tok == NULL)
        return xsirt_error_set(err, XSIRT_ENOMEM, "out of memory comparing versions");
    m[0].tok = tok;
    m[1].tok = tok + na;
    mv_parse(&m[0], a);
    mv_parse(&m[1], b);
    mv_normalise(&m[0]);
    mv_normalise(&m[1]);
    *out = mv_cmp(&m[0], &m[1]);
    free(tok);
    return 0;
}

/* Parsed form: the version and its tokens in one block, tokens after it. */
static size_t maven_size(const char *v)
{
    return sizeof(mv_version) + MV_TOKENS(strlen(v)) * sizeof(mv_tok);
}

static int maven_parse_any(void *out, const char *v, xsirt_error *err)
{
    mv_version *m = out;

    (void)err;
    m->tok = (mv_tok *)(m + 1);
    mv_parse(m, v);
    mv_normalise(m);
    return 0;
}

static int maven_cmp_any(const void *a, const void *b)
{
    return mv_cmp(a, b);
}

const xsirt_version_scheme xsirt_version_scheme_maven = {
    "maven", maven_validate, maven_compare, XSIRT_VERSION_PARSED(maven),
};
