/*
 * csaf_langtag.c — BCP 47 language tags for the CSAF tests (see
 * csaf_langtag.h). The parse follows RFC 5646's grammar as the "bcp47"
 * npm package's regular expression reads it (case-insensitive; a
 * grandfathered tag or a private-use-only tag has no language), then the
 * registry lookups follow csaf-validator-lib's checker.
 */
#include "formats/csaf_langtag.h"

#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "formats/csaf_tables.h"
#include "xsirt/limits.h"

#define TAG_MAX XSIRT_LIMIT_LANGUAGE_TAG
#define PARTS_MAX (XSIRT_LIMIT_LANGUAGE_TAG / 2 + 1)   /* "a-b-c...": one subtag per 2 bytes */

typedef struct langtag {
    char lower[TAG_MAX + 1];       /* the tag in lower case */
    const char *tag;               /* as written */
    const char *part[PARTS_MAX];   /* subtags, pointing into lower */
    size_t len[PARTS_MAX];
    size_t n;
    bool no_language;              /* grandfathered or private use only */
    size_t language, extlang_end, script, region, variant_end;   /* part indexes; n = absent */
    char singleton[PARTS_MAX];     /* extension singletons as written */
    size_t nsingletons;
} langtag;

static bool all_alpha(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!xsirt_is_alpha((unsigned char)s[i]))
            return false;
    return true;
}

static bool all_alnum(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!xsirt_is_alnum((unsigned char)s[i]))
            return false;
    return true;
}

static bool is_grandfathered(const char *lower)
{
    static const char *const tags[] = {
        "en-gb-oed", "i-ami", "i-bnn", "i-default", "i-enochian", "i-hak", "i-klingon", "i-lux",
        "i-mingo", "i-navajo", "i-pwn", "i-tao", "i-tay", "i-tsu", "sgn-be-fr", "sgn-be-nl",
        "sgn-ch-de", "art-lojban", "cel-gaulish", "no-bok", "no-nyn", "zh-guoyu", "zh-hakka",
        "zh-min", "zh-min-nan", "zh-xiang", NULL,
    };
    for (int i = 0; tags[i] != NULL; i++)
        if (strcmp(lower, tags[i]) == 0)
            return true;
    return false;
}

static bool split(langtag *t)
{
    char *p = t->lower;
    for (;;) {
        size_t k = strcspn(p, "-");
        if (t->n == PARTS_MAX || k == 0)
            return false;
        t->part[t->n] = p;
        t->len[t->n++] = k;
        if (p[k] == '\0')
            return true;
        p[k] = '\0';
        p += k + 1;
    }
}

static bool private_use_rest(const langtag *t, size_t i)
{
    size_t start = i;
    while (i < t->n && t->len[i] <= 8 && all_alnum(t->part[i], t->len[i]))
        i++;
    return i > start && i == t->n;
}

/* The grammar; false when the tag is not well-formed. */
static bool parse(langtag *t, const char *tag)
{
    size_t i;

    memset(t, 0, sizeof *t);
    t->tag = tag;
    if (strlen(tag) > TAG_MAX || *tag == '\0')
        return false;
    xsirt_strlcpy(t->lower, tag, sizeof t->lower);
    xsirt_ascii_lower_str(t->lower);
    if (is_grandfathered(t->lower)) {
        t->no_language = true;
        return true;
    }
    if (!split(t))
        return false;
    t->script = t->region = t->n;
    if (t->len[0] == 1 && t->part[0][0] == 'x') {
        t->no_language = true;
        return private_use_rest(t, 1);
    }
    if (!all_alpha(t->part[0], t->len[0]) || t->len[0] < 2 || t->len[0] > 8)
        return false;
    i = 1;
    while (t->len[0] <= 3 && i < t->n && i <= 3 && t->len[i] == 3 && all_alpha(t->part[i], 3))
        i++;
    t->extlang_end = i;
    if (i < t->n && t->len[i] == 4 && all_alpha(t->part[i], 4))
        t->script = i++;
    if (i < t->n && ((t->len[i] == 2 && all_alpha(t->part[i], 2)) ||
                     (t->len[i] == 3 && xsirt_is_digit(t->part[i][0]) &&
                      xsirt_is_digit(t->part[i][1]) && xsirt_is_digit(t->part[i][2]))))
        t->region = i++;
    while (i < t->n && all_alnum(t->part[i], t->len[i]) &&
           ((t->len[i] >= 5 && t->len[i] <= 8) ||
            (t->len[i] == 4 && xsirt_is_digit(t->part[i][0]))))
        i++;
    t->variant_end = i;
    while (i < t->n && t->len[i] == 1 && t->part[i][0] != 'x' &&
           xsirt_is_alnum((unsigned char)t->part[i][0])) {
        size_t start = ++i;
        t->singleton[t->nsingletons++] = tag[t->part[i - 1] - t->lower];
        while (i < t->n && t->len[i] >= 2 && t->len[i] <= 8 && all_alnum(t->part[i], t->len[i]))
            i++;
        if (i == start)
            return false;
    }
    if (i < t->n && t->len[i] == 1 && t->part[i][0] == 'x')
        return private_use_rest(t, i + 1);
    return i == t->n;
}

/* The registry entry of a type matching s (lower case), ranges included. */
static const csaf_subtag *find_subtag(int type, const char *s)
{
    for (size_t lo = 0, hi = csaf_subtags_count; lo < hi;) {
        size_t mid = lo + (hi - lo) / 2;
        const csaf_subtag *e = &csaf_subtags[mid];
        int c = e->type != type ? (e->type < type ? -1 : 1) : strcmp(csaf_text(e->subtag), s);
        if (c == 0)
            return e;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = 0; i < csaf_subtags_count; i++) {
        const csaf_subtag *e = &csaf_subtags[i];
        const char *sub = csaf_text(e->subtag), *dots = strstr(sub, "..");
        if (e->type == type && dots != NULL) {
            size_t n = (size_t)(dots - sub);
            if (strlen(s) == n && strncmp(sub, s, n) <= 0 && strcmp(s, dots + 2) <= 0)
                return e;
        }
    }
    return NULL;
}

/* The reference takes the tag up to the first occurrence of the subtag
 * (less the hyphen before it) and asks whether it starts with one of the
 * entry's prefixes. */
static bool prefix_matches(const char *tag_lower, const char *sub, const char *prefixes)
{
    const char *at = strstr(tag_lower, sub);
    size_t head = (at != NULL && at > tag_lower) ? (size_t)(at - tag_lower) - 1 : 0;
    for (const char *p = prefixes; *p != '\0';) {
        size_t n = strcspn(p, " ");
        if (n <= head && strncmp(tag_lower, p, n) == 0)
            return true;
        p += n;
        while (*p == ' ')
            p++;
    }
    return false;
}

bool csaf_langtag_valid(const char *tag)
{
    langtag t;
    char lower[TAG_MAX + 1];

    if (!parse(&t, tag))
        return false;
    if (t.no_language)
        return true;
    xsirt_strlcpy(lower, tag, sizeof lower);
    xsirt_ascii_lower_str(lower);
    if (find_subtag(CSAF_SUBTAG_LANGUAGE, t.part[0]) == NULL || t.extlang_end > 2)
        return false;
    for (size_t i = 1; i < t.extlang_end; i++) {
        const csaf_subtag *e = find_subtag(CSAF_SUBTAG_EXTLANG, t.part[i]);
        if (e == NULL || !prefix_matches(lower, t.part[i], csaf_text(e->prefix)))
            return false;
    }
    if (t.script < t.n && find_subtag(CSAF_SUBTAG_SCRIPT, t.part[t.script]) == NULL)
        return false;
    if (t.region < t.n && find_subtag(CSAF_SUBTAG_REGION, t.part[t.region]) == NULL)
        return false;
    size_t first = t.region < t.n ? t.region + 1 : t.script < t.n ? t.script + 1 : t.extlang_end;
    for (size_t i = first; i < t.variant_end; i++) {
        const csaf_subtag *e = find_subtag(CSAF_SUBTAG_VARIANT, t.part[i]);
        if (e == NULL || !prefix_matches(lower, t.part[i], csaf_text(e->prefix)))
            return false;
        /* Duplicates as written: the reference compares case-sensitively. */
        for (size_t k = first; k < i; k++)
            if (t.len[k] == t.len[i] &&
                memcmp(tag + (t.part[k] - t.lower), tag + (t.part[i] - t.lower), t.len[i]) == 0)
                return false;
    }
    for (size_t i = 0; i < t.nsingletons; i++) {
        if (t.singleton[i] != 't' && t.singleton[i] != 'u')
            return false;
        if (memchr(t.singleton, t.singleton[i], i) != NULL)
            return false;
    }
    return true;
}

static bool in_range(const char *s, size_t n, const char *lo, const char *hi)
{
    return strlen(s) == n && strcmp(lo, s) <= 0 && strcmp(s, hi) <= 0;
}

bool csaf_langtag_private(const char *tag)
{
    langtag t;
    if (!parse(&t, tag) || t.no_language)
        return false;
    if (in_range(t.part[0], 3, "qaa", "qtz"))
        return true;
    if (t.script < t.n && in_range(t.part[t.script], 4, "qaaa", "qabx"))
        return true;
    if (t.region < t.n) {
        const char *r = t.part[t.region];
        return strcmp(r, "aa") == 0 || strcmp(r, "zz") == 0 || in_range(r, 2, "qm", "qz") ||
               in_range(r, 2, "xa", "xz");
    }
    return false;
}
