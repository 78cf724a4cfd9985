/*
 * version_firmware.c — the "firmware" scheme: versions as device and
 * industrial-software vendors print them ("V2.6.1 SP1", "R1.28.0",
 * "1.00A", "V17 Update 5", "2020 R2 SP1", "4.8 HF4", "22.10_SP9").
 *
 * No ecosystem defines these, so the order is the one the vendors' own
 * advisories imply (docs/versions.md, "firmware"): a version is a list of
 * tokens — digit runs (numbers of any length) and letter runs (words,
 * case-insensitive) — with every other byte a separator. A leading word
 * that only marks a version ("V", "Ver", "Version", "Rev", "R", "FW",
 * "Firmware", "BIOS", "SW", "Software") is dropped when a number follows, so "V4.1" is
 * "4.1" and "R1.28.0" is "1.28.0". In each run of consecutive numbers,
 * trailing zeros are dropped ("4.1.0" is "4.1"; "4.1.0 SP1" is "4.1 SP1").
 * Tokens compare left to right: pre-release words (dev < alpha < beta <
 * pre/preview < rc) < the end of the version < other words (SP, HF,
 * Update, patch, letter suffixes: they come after the release) <
 * numbers. Among words, those vendors use for fixes of a release rank by
 * their size — build < patch/hotfix/HF < Update/Upd < SP/FP (Siemens'
 * "V7.5 Update 3" < "V7.5 SP1" < "V7.5 SP1 Update 1") — and come before
 * other words (letter suffixes "1.00A", "R2"), which compare
 * alphabetically. This is a lexicographic order on
 * normalised token lists, so it is a total preorder (tests check
 * transitivity on the shared CISA versions).
 */
#include <string.h>

#include "core/str.h"
#include "core/version_scheme.h"
#include "xsirt/limits.h"

enum { FW_PRE = 0, FW_END = 1, FW_WORD = 2, FW_NUM = 3 };

typedef struct fw_tok {
    int kind;
    const char *p;     /* the run (digits without leading zeros) */
    size_t n;
    int pre_rank;      /* FW_PRE: dev 0, alpha 1, beta 2, pre 3, rc 4 */
    const char *canon; /* FW_WORD: the synonym's canonical spelling, or NULL */
    int word_rank;     /* FW_WORD: 1 build, 2 patch, 3 update, 4 service pack, 5 other */
} fw_tok;

typedef struct fw_iter {
    const char *s;
    size_t pos;
    /* A pending run of numbers: [run_start, run_end) positions, with the
     * count of its numbers left before the trailing zeros. */
    size_t run_left;
    size_t run_zero_skip;
} fw_iter;

static bool fw_word_is(const char *p, size_t n, const char *w)
{
    return strlen(w) == n && xsirt_ascii_ncasecmp(p, w, n) == 0;
}

static const char *const fw_prefixes[] = {"v", "ver", "version", "rev", "r", "fw",
                                          "firmware", "bios", "sw", "software", NULL};
static const char *const fw_pre_words[] = {"dev", "alpha", "beta", "pre", "preview", "rc",
                                           NULL};
static const int fw_pre_ranks[] = {0, 1, 2, 3, 3, 4};
static const struct {
    const char *word, *canon;
    int rank;
} fw_words[] = {
    {"build", "build", 1},  {"patch", "patch", 2},
    {"hotfix", "hf", 2},    {"hf", "hf", 2},
    {"fix", "hf", 2},       {"update", "update", 3}, {"upd", "update", 3},
    {"sp", "sp", 4},        {"servicepack", "sp", 4}, {"fp", "sp", 4},
    {NULL, NULL, 0},
};

/* Next raw run at or after *pos: letters (bytes >= 0x80 count as letters)
 * or digits; false at the end. */
static bool fw_run(const char *s, size_t *pos, const char **p, size_t *n, bool *digits)
{
    size_t i = *pos;

    while (s[i] != '\0' && !xsirt_is_alnum((unsigned char)s[i]) && (unsigned char)s[i] < 0x80)
        i++;
    if (s[i] == '\0') {
        *pos = i;
        return false;
    }
    *digits = xsirt_is_digit((unsigned char)s[i]);
    *p = s + i;
    while (s[i] != '\0' && (*digits ? xsirt_is_digit((unsigned char)s[i])
                                    : (xsirt_is_alpha((unsigned char)s[i]) ||
                                       (unsigned char)s[i] >= 0x80)))
        i++;
    *n = (size_t)(s + i - *p);
    *pos = i;
    return true;
}

static bool fw_is_zero(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != '0')
            return false;
    return true;
}

static void fw_begin(fw_iter *it, const char *s)
{
    const char *p;
    size_t n, pos = 0, save;
    bool digits;

    memset(it, 0, sizeof *it);
    it->s = s;
    if (!fw_run(s, &pos, &p, &n, &digits) || digits)
        return;
    save = pos;
    for (size_t i = 0; fw_prefixes[i] != NULL; i++)
        if (fw_word_is(p, n, fw_prefixes[i])) {
            const char *q;
            size_t m;
            bool d;
            if (fw_run(s, &pos, &q, &m, &d) && d)
                it->pos = save;   /* drop the marker word */
            return;
        }
}

/* The numbers of the run starting at pos that come before its trailing
 * zeros (at least one). */
static size_t fw_run_keep(const char *s, size_t pos)
{
    size_t count = 0, keep = 0;
    const char *p;
    size_t n;
    bool digits;

    while (fw_run(s, &pos, &p, &n, &digits) && digits) {
        count++;
        if (!fw_is_zero(p, n))
            keep = count;
    }
    return keep > 0 ? keep : 1;
}

static bool fw_next(fw_iter *it, fw_tok *t)
{
    const char *p;
    size_t n, start = it->pos;
    bool digits;

    for (;;) {
        if (!fw_run(it->s, &it->pos, &p, &n, &digits)) {
            t->kind = FW_END;
            return false;
        }
        if (!digits) {
            it->run_left = 0;
            it->run_zero_skip = 0;
            break;
        }
        if (it->run_left == 0 && it->run_zero_skip == 0) {
            it->run_left = fw_run_keep(it->s, start);
            it->run_zero_skip = 1;   /* a run is open */
        }
        if (it->run_left > 0) {
            it->run_left--;
            break;
        }
        start = it->pos;   /* a trailing zero of the run: skipped */
    }
    memset(t, 0, sizeof *t);
    if (digits) {
        while (n > 1 && *p == '0') {
            p++;
            n--;
        }
        t->kind = FW_NUM;
    } else {
        t->kind = FW_WORD;
        for (size_t i = 0; fw_pre_words[i] != NULL; i++)
            if (fw_word_is(p, n, fw_pre_words[i])) {
                t->kind = FW_PRE;
                t->pre_rank = fw_pre_ranks[i];
            }
        t->word_rank = 5;
        for (size_t i = 0; fw_words[i].word != NULL; i++)
            if (fw_word_is(p, n, fw_words[i].word)) {
                t->canon = fw_words[i].canon;
                t->word_rank = fw_words[i].rank;
            }
    }
    t->p = p;
    t->n = n;
    return true;
}

static int fw_cmp_text(const char *a, size_t an, const char *b, size_t bn)
{
    for (size_t i = 0; i < an && i < bn; i++) {
        int x = xsirt_ascii_lower((unsigned char)a[i]), y = xsirt_ascii_lower((unsigned char)b[i]);
        if (x != y)
            return x < y ? -1 : 1;
    }
    return (an > bn) - (an < bn);
}

static int fw_cmp_tok(const fw_tok *a, const fw_tok *b)
{
    if (a->kind != b->kind)
        return a->kind < b->kind ? -1 : 1;
    switch (a->kind) {
    case FW_NUM:
        if (a->n != b->n)
            return a->n < b->n ? -1 : 1;
        return fw_cmp_text(a->p, a->n, b->p, b->n);
    case FW_PRE:
        if (a->pre_rank != b->pre_rank)
            return a->pre_rank < b->pre_rank ? -1 : 1;
        return 0;
    case FW_WORD: {
        if (a->word_rank != b->word_rank)
            return a->word_rank < b->word_rank ? -1 : 1;
        const char *ap = a->canon ? a->canon : a->p, *bp = b->canon ? b->canon : b->p;
        return fw_cmp_text(ap, a->canon ? strlen(ap) : a->n, bp, b->canon ? strlen(bp) : b->n);
    }
    default:
        return 0;
    }
}

static int fw_validate(const char *v, xsirt_error *err)
{
    for (const char *p = v; *p != '\0'; p++)
        if (xsirt_is_alnum((unsigned char)*p) || (unsigned char)*p >= 0x80)
            return 0;
    return xsirt_error_set(err, XSIRT_EINVAL,
                           "invalid firmware version \"%.64s\": no letter or digit", v);
}

static int fw_compare(int *out, const char *a, const char *b, xsirt_error *err)
{
    fw_iter ia, ib;
    int rc;

    if ((rc = fw_validate(a, err)) != 0 || (rc = fw_validate(b, err)) != 0)
        return rc;
    fw_begin(&ia, a);
    fw_begin(&ib, b);
    for (;;) {
        fw_tok ta, tb;
        bool ha = fw_next(&ia, &ta), hb = fw_next(&ib, &tb);
        int c = fw_cmp_tok(&ta, &tb);
        if (c != 0 || (!ha && !hb)) {
            *out = c;
            return 0;
        }
    }
}

const xsirt_version_scheme xsirt_version_scheme_firmware = {
    "firmware", fw_validate, fw_compare, XSIRT_VERSION_UNPARSED,
};
