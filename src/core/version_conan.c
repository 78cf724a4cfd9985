/*
 * version_conan.c — Conan 2 versions, ordered as conan's Version class
 * orders them (conan/internal/model/version.py).
 *
 * Conan accepts any string. It splits "main-pre+build" (the build after
 * the last '+', the prerelease after the first '-'), cuts each part at
 * '.', and reads an item as an integer when Python's int() does (here:
 * ASCII blanks, a sign, digits with single '_' between them), else as
 * text. Trailing zero items do not count (1 == 1.0.0). Items compare as
 * numbers, as text (by code point), or between a number and text by the
 * number's decimal form as text. A prerelease is older than the same
 * main version without one; a build orders after no build.
 */
#include <string.h>

#include "core/str.h"
#include "core/version_scheme.h"
#include "core/version_util.h"
#include "xsirt/limits.h"

typedef struct conan_item {
    int numeric;
    int negative;        /* numeric: sign (zero is never negative) */
    char digits[XSIRT_LIMIT_VERSION + 1]; /* numeric: no leading zeros, "" for 0 */
    xsirt_vspan text;    /* text: the item as written */
} conan_item;

typedef struct conan_part {
    xsirt_vspan s;       /* n == 0 and present: one empty text item */
    int present;
} conan_part;

typedef struct conan_version {
    conan_part main, pre, build;
} conan_version;

/* Python's str.isspace() for ASCII. */
static int conan_space(int c) { return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f); }

/* int(item) as Python reads it (ASCII only). */
static void conan_item_read(conan_item *it, const char *p, size_t n)
{
    const char *e = p + n, *q;
    size_t k = 0;
    int negative = 0, ok = 1;

    it->numeric = 0;
    it->text.p = p;
    it->text.n = n;
    while (p < e && conan_space((unsigned char)*p))
        p++;
    while (e > p && conan_space((unsigned char)e[-1]))
        e--;
    if (p < e && (*p == '+' || *p == '-'))
        negative = *p++ == '-';
    if (p == e || !xsirt_is_digit((unsigned char)*p))
        return;
    for (q = p; q < e && ok; q++) {
        if (xsirt_is_digit((unsigned char)*q))
            continue;
        ok = *q == '_' && q + 1 < e && xsirt_is_digit((unsigned char)q[1]);
    }
    if (!ok)
        return;
    for (q = p; q < e; q++) {
        if (*q == '_' || (k == 0 && *q == '0'))
            continue;
        it->digits[k++] = *q;
    }
    it->digits[k] = '\0';
    it->numeric = 1;
    it->negative = negative && k > 0;
}

static int conan_num_cmp(const conan_item *a, const conan_item *b)
{
    int c;

    if (a->negative != b->negative)
        return a->negative ? -1 : 1;
    c = xsirt_vutil_digits_cmp(a->digits, strlen(a->digits), b->digits, strlen(b->digits));
    return a->negative ? -c : c;
}

/* str(int): "-" and the digits, "0" for zero. */
static size_t conan_num_str(const conan_item *it, char *out)
{
    size_t n = 0, k = strlen(it->digits);

    if (it->negative)
        out[n++] = '-';
    if (k == 0)
        out[n++] = '0';
    memcpy(out + n, it->digits, k);
    return n + k;
}

static int conan_item_cmp(const conan_item *a, const conan_item *b)
{
    char buf[XSIRT_LIMIT_VERSION + 3];
    size_t n;

    if (a->numeric && b->numeric)
        return conan_num_cmp(a, b);
    if (!a->numeric && !b->numeric)
        return xsirt_vutil_bytes_cmp(a->text.p, a->text.n, b->text.p, b->text.n);
    /* Never equal: a number's decimal form would have read as a number. */
    if (a->numeric) {
        n = conan_num_str(a, buf);
        return xsirt_vutil_bytes_cmp(buf, n, b->text.p, b->text.n) < 0 ? -1 : 1;
    }
    n = conan_num_str(b, buf);
    return xsirt_vutil_bytes_cmp(a->text.p, a->text.n, buf, n) < 0 ? -1 : 1;
}

/* The items of a part up to its trailing zeros: their count. */
static size_t conan_nonzero_count(xsirt_vspan s, conan_item *tmp)
{
    const char *p = s.p, *e = s.p + s.n;
    size_t count = 0, nonzero = 0;

    for (;;) {
        const char *start = p;
        while (p < e && *p != '.')
            p++;
        conan_item_read(tmp, start, (size_t)(p - start));
        count++;
        if (!(tmp->numeric && tmp->digits[0] == '\0'))
            nonzero = count;
        if (p == e)
            return nonzero;
        p++;
    }
}

/* Python's tuple comparison of the non-zero items of two parts. */
static int conan_items_cmp(xsirt_vspan a, xsirt_vspan b)
{
    conan_item ia, ib;
    size_t na = conan_nonzero_count(a, &ia), nb = conan_nonzero_count(b, &ib);
    const char *pa = a.p, *pb = b.p, *ea = a.p + a.n, *eb = b.p + b.n;

    for (size_t i = 0; i < na && i < nb; i++) {
        const char *sa = pa, *sb = pb;
        int c;
        while (pa < ea && *pa != '.')
            pa++;
        while (pb < eb && *pb != '.')
            pb++;
        conan_item_read(&ia, sa, (size_t)(pa - sa));
        conan_item_read(&ib, sb, (size_t)(pb - sb));
        if ((c = conan_item_cmp(&ia, &ib)) != 0)
            return c;
        pa += pa < ea;
        pb += pb < eb;
    }
    return (na > nb) - (na < nb);
}

/* A missing qualifier (None) orders before any present one. */
static int conan_part_cmp(const conan_part *a, const conan_part *b)
{
    if (a->present != b->present)
        return a->present ? 1 : -1;
    return a->present ? conan_items_cmp(a->s, b->s) : 0;
}

static int conan_parse(conan_version *cv, const char *v, xsirt_error *err)
{
    const char *e = v + strlen(v), *plus = strrchr(v, '+'), *main_end, *dash;

    if (*v == '\0')
        return xsirt_vutil_invalid(err, "conan", v, "empty version");
    if (!xsirt_utf8_valid(v, (size_t)(e - v)))
        return xsirt_vutil_invalid(err, "conan", v, "not UTF-8");
    main_end = plus != NULL ? plus : e;
    cv->build.present = plus != NULL;
    cv->build.s.p = plus != NULL ? plus + 1 : e;
    cv->build.s.n = (size_t)(e - cv->build.s.p);
    dash = memchr(v, '-', (size_t)(main_end - v));
    cv->pre.present = dash != NULL;
    cv->pre.s.p = dash != NULL ? dash + 1 : main_end;
    cv->pre.s.n = (size_t)(main_end - cv->pre.s.p);
    cv->main.present = 1;
    cv->main.s.p = v;
    cv->main.s.n = (size_t)((dash != NULL ? dash : main_end) - v);
    return 0;
}

static int conan_cmp(const conan_version *a, const conan_version *b)
{
    int c = conan_items_cmp(a->main.s, b->main.s);

    if (a->pre.present != b->pre.present)
        return c != 0 ? c : (a->pre.present ? -1 : 1);
    if (c != 0)
        return c;
    if ((c = conan_part_cmp(&a->pre, &b->pre)) != 0)
        return c;
    return conan_part_cmp(&a->build, &b->build);
}

static int conan_validate(const char *v, xsirt_error *err)
{
    conan_version c;
    return conan_parse(&c, v, err);
}

static int conan_compare(int *out, const char *a, const char *b, xsirt_error *err)
{
    /* Zeroed: conan_parse fills both on success, but gcc -O3 cannot see it
     * (-Wmaybe-uninitialized). */
    conan_version va = {0}, vb = {0};
    int rc;

    if ((rc = conan_parse(&va, a, err)) != 0 || (rc = conan_parse(&vb, b, err)) != 0)
        return rc;
    *out = conan_cmp(&va, &vb);
    return 0;
}

XSIRT_VERSION_PARSED_HOOKS(conan, conan_version, conan_parse, conan_cmp)

const xsirt_version_scheme xsirt_version_scheme_conan = {
    "conan", conan_validate, conan_compare, XSIRT_VERSION_PARSED(conan),
};
