/*
 * json_schema.c — JSON Schema validation over jansson values (see
 * json_schema.h for the keywords).
 *
 * The schema is interpreted as it stands: each keyword of the current
 * subschema is applied to the current instance value, recursing for
 * properties, items and combinators. Failures go to the caller with the
 * instance pointer. Inside anyOf / oneOf / not / if the failures of a
 * branch are not reported, only counted, and the first one ends the branch
 * (that is all a combinator needs to know).
 *
 * Regular expressions: schemas are written for ECMAScript. Each "pattern"
 * is translated to POSIX ERE when its schema is added and compiled once
 * with regcomp(); classes are rebuilt from their ASCII members so that the
 * translation does not depend on the locale (a negated class keeps matching
 * every non-ASCII character, as in ECMAScript).
 */
#include "formats/json_schema.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <regex.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/str.h"
#include "xsirt/limits.h"

typedef struct js_pattern {
    const json_t *node;   /* the "pattern" string in its schema */
    regex_t re;
} js_pattern;

typedef struct js_root {
    char *uri;
    json_t *schema;
    unsigned flags;
} js_root;

struct xsirt_json_schema {
    js_root *roots;
    size_t nroots;
    js_pattern *patterns;   /* sorted by node address */
    size_t npatterns;
};

/* ---- ECMAScript → POSIX ERE ------------------------------------------- */

typedef struct rx_class {
    bool member[128];
    bool non_ascii;   /* the class matches characters beyond ASCII */
} rx_class;

static void rx_class_add_range(rx_class *c, int lo, int hi)
{
    for (int i = lo; i <= hi && i < 128; i++)
        if (i >= 0)
            c->member[i] = true;
}

static bool rx_is_space(int ch)
{
    return ch == ' ' || (ch >= '\t' && ch <= '\r');
}

/* \d \D \s \S \w \W into c; false when e is not one of them. */
static bool rx_class_escape(rx_class *c, int e)
{
    rx_class tmp;
    bool negate = (e == 'D' || e == 'S' || e == 'W');

    memset(&tmp, 0, sizeof tmp);
    switch (e) {
    case 'd': case 'D':
        rx_class_add_range(&tmp, '0', '9');
        break;
    case 's': case 'S':
        for (int i = 0; i < 128; i++)
            tmp.member[i] = rx_is_space(i);
        break;
    case 'w': case 'W':
        rx_class_add_range(&tmp, '0', '9');
        rx_class_add_range(&tmp, 'A', 'Z');
        rx_class_add_range(&tmp, 'a', 'z');
        tmp.member['_'] = true;
        break;
    default:
        return false;
    }
    for (int i = 1; i < 128; i++)
        if (tmp.member[i] != negate)
            c->member[i] = true;
    if (negate)
        c->non_ascii = true;
    return true;
}

static int rx_escape_char(int e)
{
    switch (e) {
    case 'n': return '\n';
    case 'r': return '\r';
    case 't': return '\t';
    case 'f': return '\f';
    case 'v': return '\v';
    case '0': return -1;
    default:
        return xsirt_is_alnum(e) ? -1 : e;
    }
}

static int rx_emit_class(xsirt_buf *out, const rx_class *c)
{
    rx_class show;
    int count = 0, rc = 0;
    bool negate = c->non_ascii;

    memset(&show, 0, sizeof show);
    for (int i = 1; i < 128; i++) {
        show.member[i] = negate ? !c->member[i] : c->member[i];
        count += show.member[i];
    }
    if (count == 0)
        return negate ? xsirt_buf_puts(out, "(.|\n)") : XSIRT_EUNSUPPORTED;
    if (!negate && count == 1) {
        for (int i = 1; i < 128; i++)
            if (show.member[i]) {
                if (strchr(".[]()*+?{}|^$\\", i) != NULL)
                    rc = xsirt_buf_putc(out, '\\');
                return rc ? rc : xsirt_buf_putc(out, (char)i);
            }
    }
    rc |= xsirt_buf_puts(out, negate ? "[^" : "[");
    bool close = show.member[']'], dash = show.member['-'];
    bool any = false;
    if (close) {
        rc |= xsirt_buf_putc(out, ']');
        any = true;
    } else if (dash) {
        rc |= xsirt_buf_putc(out, '-');
        any = true;
        dash = false;
    }
    for (int i = 1; i < 128; i++) {
        if (!show.member[i] || i == ']' || i == '-' || i == '^' || i == '[')
            continue;
        rc |= xsirt_buf_putc(out, (char)i);
        any = true;
    }
    if (show.member['^']) {
        if (!any) {
            rc |= xsirt_buf_putc(out, '[');
            any = true;
            show.member['['] = false;
        }
        rc |= xsirt_buf_putc(out, '^');
    }
    if (show.member['['])
        rc |= xsirt_buf_putc(out, '[');
    if (dash)
        rc |= xsirt_buf_putc(out, '-');
    rc |= xsirt_buf_putc(out, ']');
    return rc ? XSIRT_ENOMEM : 0;
}

/* Reads a class starting after '['; *pos ends after ']'. */
static int rx_class_parse(rx_class *c, const char *s, size_t *pos)
{
    size_t i = *pos;
    bool negate = false;
    int prev = -1;   /* last single character, for ranges */

    memset(c, 0, sizeof *c);
    if (s[i] == '^') {
        negate = true;
        i++;
    }
    while (s[i] != ']') {
        int ch;
        bool escaped = s[i] == '\\';
        if (s[i] == '\0')
            return XSIRT_EINVAL;
        if (s[i] == '\\') {
            if (s[i + 1] == '\0')
                return XSIRT_EINVAL;
            if (rx_class_escape(c, (unsigned char)s[i + 1])) {
                i += 2;
                prev = -1;
                continue;
            }
            ch = rx_escape_char((unsigned char)s[i + 1]);
            if (ch < 0)
                return XSIRT_EUNSUPPORTED;
            i += 2;
        } else {
            ch = (unsigned char)s[i++];
        }
        if (ch == '-' && !escaped && prev >= 0 && s[i] != ']' && s[i] != '\0') {
            int hi;
            if (s[i] == '\\') {
                hi = rx_escape_char((unsigned char)s[i + 1]);
                if (hi < 0)
                    return XSIRT_EUNSUPPORTED;
                i += 2;
            } else {
                hi = (unsigned char)s[i++];
            }
            if (hi < prev)
                return XSIRT_EINVAL;
            rx_class_add_range(c, prev, hi);
            if (hi >= 128)
                c->non_ascii = true;
            prev = -1;
            continue;
        }
        if (ch >= 128)
            c->non_ascii = true;   /* a UTF-8 byte: approximated */
        else
            c->member[ch] = true;
        prev = ch;
    }
    *pos = i + 1;
    if (negate) {
        for (int k = 1; k < 128; k++)
            c->member[k] = !c->member[k];
        c->non_ascii = !c->non_ascii;
    }
    return 0;
}

int xsirt_json_schema_regex(char **out, const char *s, xsirt_error *err)
{
    xsirt_buf b;
    size_t i = 0;
    bool quantifiable = false;   /* a '?' after this is lazy, not optional */
    int rc = 0;

    *out = NULL;
    xsirt_buf_init(&b, XSIRT_LIMIT_IDENTIFIER);
    while (s[i] != '\0' && rc == 0) {
        char c = s[i];
        if (c == '\\') {
            rx_class cls;
            int e = (unsigned char)s[i + 1];
            memset(&cls, 0, sizeof cls);
            if (e == 0) {
                rc = XSIRT_EINVAL;
            } else if (rx_class_escape(&cls, e)) {
                rc = rx_emit_class(&b, &cls);
            } else {
                int lit = rx_escape_char(e);
                if (lit < 0)
                    rc = XSIRT_EUNSUPPORTED;
                else if (strchr(".[]()*+?{}|^$\\", lit) != NULL && lit != ']' && lit != '}')
                    rc = xsirt_buf_putc(&b, '\\') | xsirt_buf_putc(&b, (char)lit);
                else
                    rc = xsirt_buf_putc(&b, (char)lit);
            }
            i += 2;
            quantifiable = false;
        } else if (c == '[') {
            rx_class cls;
            i++;
            rc = rx_class_parse(&cls, s, &i);
            if (rc == 0)
                rc = rx_emit_class(&b, &cls);
            quantifiable = false;
        } else if (c == '(') {
            if (s[i + 1] == '?') {
                if (s[i + 2] != ':')
                    rc = XSIRT_EUNSUPPORTED;   /* look-around, named groups */
                i += 3;
            } else {
                i++;
            }
            rc = rc ? rc : xsirt_buf_putc(&b, '(');
            quantifiable = false;
        } else if (c == '.') {
            rc = xsirt_buf_puts(&b, "[^\n\r]");
            i++;
            quantifiable = false;
        } else if (c == '*' || c == '+' || c == '?' || c == '}') {
            if (c == '?' && quantifiable)
                rc = XSIRT_EUNSUPPORTED;   /* lazy quantifier */
            rc = rc ? rc : xsirt_buf_putc(&b, c);
            i++;
            quantifiable = true;
        } else {
            rc = xsirt_buf_putc(&b, c);
            i++;
            quantifiable = (c == '{') ? quantifiable : false;
        }
    }
    if (rc != 0) {
        xsirt_buf_free(&b);
        if (rc == XSIRT_ENOMEM || rc == XSIRT_ELIMIT)
            return xsirt_error_set(err, rc, "regular expression too long: %s", s);
        return xsirt_error_set(err, rc < 0 ? rc : XSIRT_EINVAL,
                               "regular expression not supported: %s", s);
    }
    *out = xsirt_buf_detach(&b);
    return *out ? 0 : xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
}

/* ---- formats -------------------------------------------------------------- */

static int two_digits(const char *s)
{
    if (!xsirt_is_digit(s[0]) || !xsirt_is_digit(s[1]))
        return -1;
    return (s[0] - '0') * 10 + (s[1] - '0');
}

static bool leap_year(long y)
{
    return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

/* full-date of RFC 3339 with ajv-formats' day check; n characters. */
static bool format_date(const char *s, size_t n)
{
    static const int days[] = { 0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (n != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (int i = 0; i < 4; i++)
        if (!xsirt_is_digit(s[i]))
            return false;
    long year = (s[0] - '0') * 1000L + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int month = two_digits(s + 5), day = two_digits(s + 8);
    if (month < 1 || month > 12 || day < 1)
        return false;
    return day <= ((month == 2 && leap_year(year)) ? 29 : days[month]);
}

/* time with a required zone (ajv-formats' strict time), n characters. */
static bool format_time(const char *s, size_t n)
{
    size_t i = 8;
    int hr, min, sec, tzh = 0, tzm = 0, sign = 1;
    bool tz = false;

    if (n < 8 || s[2] != ':' || s[5] != ':')
        return false;
    hr = two_digits(s);
    min = two_digits(s + 3);
    sec = two_digits(s + 6);
    if (hr < 0 || min < 0 || sec < 0)
        return false;
    if (i < n && s[i] == '.') {
        size_t start = ++i;
        while (i < n && xsirt_is_digit(s[i]))
            i++;
        if (i == start)
            return false;
    }
    if (i < n && (s[i] == 'z' || s[i] == 'Z')) {
        tz = true;
        i++;
    } else if (i < n && (s[i] == '+' || s[i] == '-')) {
        sign = s[i] == '-' ? -1 : 1;
        if (i + 3 > n || (tzh = two_digits(s + i + 1)) < 0)
            return false;
        i += 3;
        if (i < n && s[i] == ':')
            i++;
        if (i < n) {
            if (i + 2 > n || (tzm = two_digits(s + i)) < 0)
                return false;
            i += 2;
        }
        tz = true;
    }
    if (i != n || !tz || tzh > 23 || tzm > 59)
        return false;
    if (hr <= 23 && min <= 59 && sec < 60)
        return true;
    int utc_min = min - tzm * sign;
    int utc_hr = hr - tzh * sign - (utc_min < 0 ? 1 : 0);
    return (utc_hr == 23 || utc_hr == -1) && (utc_min == 59 || utc_min == -1) && sec < 61;
}

int xsirt_json_schema_format_date_time(const char *s)
{
    size_t n = strlen(s), sep = n, count = 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] == 't' || s[i] == 'T' || rx_is_space((unsigned char)s[i])) {
            sep = i;
            count++;
        }
    /* ECMAScript's \s also holds Unicode spaces: a non-ASCII byte cannot be
     * part of a valid date-time anyway. */
    return count == 1 && format_date(s, sep) && format_time(s + sep + 1, n - sep - 1);
}

static bool isxdigit_ascii(char c)
{
    return xsirt_is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static bool uri_char(int c)
{
    return xsirt_is_alnum(c) || (c != 0 && strchr("-._~!$&'()*+,;=:@/?#[]", c) != NULL);
}

/* RFC 3986 absolute URI, as ajv-formats' "uri": a scheme, then characters
 * of the URI grammar with valid percent escapes. The authority's host
 * syntax (IP literals) is not checked further. */
int xsirt_json_schema_format_uri(const char *s)
{
    size_t i = 0;
    bool slash_or_colon = false;

    if (!xsirt_is_alpha((unsigned char)s[0]))
        return 0;
    while (xsirt_is_alnum((unsigned char)s[i]) || s[i] == '+' || s[i] == '-' || s[i] == '.')
        i++;
    if (s[i] != ':')
        return 0;
    for (; s[i] != '\0'; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '/' || c == ':')
            slash_or_colon = true;
        if (c == '%') {
            if (!isxdigit_ascii(s[i + 1]) || !isxdigit_ascii(s[i + 2]))
                return 0;
            i += 2;
        } else if (!uri_char(c)) {
            return 0;
        }
    }
    return slash_or_colon;
}

/* ---- the set of schemas ------------------------------------------------- */

int xsirt_json_schema_new(xsirt_json_schema **out, xsirt_error *err)
{
    *out = calloc(1, sizeof **out);
    return *out ? 0 : xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
}

void xsirt_json_schema_free(xsirt_json_schema *set)
{
    if (set == NULL)
        return;
    for (size_t i = 0; i < set->nroots; i++) {
        free(set->roots[i].uri);
        json_decref(set->roots[i].schema);
    }
    for (size_t i = 0; i < set->npatterns; i++)
        regfree(&set->patterns[i].re);
    free(set->roots);
    free(set->patterns);
    free(set);
}

static unsigned json_depth(const json_t *v, unsigned depth)
{
    unsigned deepest = depth;
    const char *key;
    json_t *child;
    size_t i;

    if (depth > XSIRT_LIMIT_DEPTH)
        return depth;
    if (json_is_object(v)) {
        json_object_foreach((json_t *)v, key, child) {
            unsigned d = json_depth(child, depth + 1);
            deepest = d > deepest ? d : deepest;
        }
    } else if (json_is_array(v)) {
        json_array_foreach(v, i, child) {
            unsigned d = json_depth(child, depth + 1);
            deepest = d > deepest ? d : deepest;
        }
    }
    return deepest;
}

int xsirt_json_schema_load(json_t **doc, const char *text, size_t len, xsirt_error *err)
{
    json_error_t jerr;

    *doc = json_loadb(text, len, JSON_DECODE_INT_AS_REAL, &jerr);
    if (*doc == NULL)
        return xsirt_error_set_at(err, XSIRT_EINVAL, (unsigned long)jerr.line,
                                  (unsigned long)jerr.column, "%s", jerr.text);
    if (json_depth(*doc, 0) > XSIRT_LIMIT_DEPTH) {
        json_decref(*doc);
        *doc = NULL;
        return xsirt_error_set(err, XSIRT_ELIMIT, "JSON nested deeper than %u levels",
                               XSIRT_LIMIT_DEPTH);
    }
    return 0;
}

static int pattern_cmp(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t)((const js_pattern *)a)->node;
    uintptr_t y = (uintptr_t)((const js_pattern *)b)->node;
    return x < y ? -1 : x > y;
}

/* Compiles the expression text, kept under node: a "pattern" keyword's
 * string, or the subschema a patternProperties key names. */
static int compile_regex(xsirt_json_schema *set, const json_t *node, const char *text,
                         xsirt_error *err)
{
    char *ere = NULL;
    int rc = xsirt_json_schema_regex(&ere, text, err);
    if (rc != 0)
        return rc;
    js_pattern *grown = realloc(set->patterns, (set->npatterns + 1) * sizeof *grown);
    if (grown == NULL) {
        free(ere);
        return xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    }
    set->patterns = grown;
    if (regcomp(&grown[set->npatterns].re, ere, REG_EXTENDED | REG_NOSUB) != 0) {
        rc = xsirt_error_set(err, XSIRT_EINVAL, "pattern does not compile: %s", text);
        free(ere);
        return rc;
    }
    free(ere);
    grown[set->npatterns++].node = node;
    return 0;
}

static int compile_pattern(xsirt_json_schema *set, const json_t *node, xsirt_error *err)
{
    return compile_regex(set, node, json_string_value(node), err);
}

/* Compiles every "pattern" of a schema (keyword positions only: a property
 * named "pattern" inside "properties" is a subschema, not a pattern). */
static int compile_patterns(xsirt_json_schema *set, const json_t *schema, bool in_map,
                            unsigned depth, xsirt_error *err)
{
    const char *key;
    json_t *value;
    size_t i;
    int rc;

    if (depth > XSIRT_LIMIT_DEPTH * 4)
        return xsirt_error_set(err, XSIRT_ELIMIT, "schema nested too deeply");
    if (json_is_array(schema)) {
        json_array_foreach(schema, i, value)
            if ((rc = compile_patterns(set, value, false, depth + 1, err)) != 0)
                return rc;
        return 0;
    }
    if (!json_is_object(schema))
        return 0;
    json_object_foreach((json_t *)schema, key, value) {
        if (!in_map && strcmp(key, "pattern") == 0 && json_is_string(value)) {
            if ((rc = compile_pattern(set, value, err)) != 0)
                return rc;
            continue;
        }
        /* patternProperties' keys are expressions: each is kept under
         * its subschema, which is a distinct node. */
        if (!in_map && strcmp(key, "patternProperties") == 0 && json_is_object(value)) {
            const char *pkey;
            json_t *psub;
            json_object_foreach(value, pkey, psub)
                if ((rc = compile_regex(set, psub, pkey, err)) != 0)
                    return rc;
        }
        if (!in_map && (strcmp(key, "enum") == 0 || strcmp(key, "const") == 0 ||
                        strcmp(key, "examples") == 0 || strcmp(key, "default") == 0))
            continue;
        bool map = !in_map && (strcmp(key, "properties") == 0 || strcmp(key, "$defs") == 0 ||
                               strcmp(key, "definitions") == 0 ||
                               strcmp(key, "patternProperties") == 0);
        if ((rc = compile_patterns(set, value, map, depth + 1, err)) != 0)
            return rc;
    }
    return 0;
}

int xsirt_json_schema_add(xsirt_json_schema *set, const char *uri, const char *text,
                          size_t len, unsigned flags, xsirt_error *err)
{
    json_error_t jerr;
    json_t *schema = json_loadb(text, len, 0, &jerr);
    int rc;

    if (schema == NULL)
        return xsirt_error_set_at(err, XSIRT_EINVAL, (unsigned long)jerr.line,
                                  (unsigned long)jerr.column, "schema %s: %s", uri, jerr.text);
    js_root *grown = realloc(set->roots, (set->nroots + 1) * sizeof *grown);
    if (grown == NULL) {
        json_decref(schema);
        return xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    }
    set->roots = grown;
    grown[set->nroots].uri = xsirt_strndup(uri, strlen(uri));
    grown[set->nroots].schema = schema;
    grown[set->nroots].flags = flags;
    if (grown[set->nroots].uri == NULL) {
        json_decref(schema);
        return xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    }
    set->nroots++;
    rc = compile_patterns(set, schema, false, 0, err);
    if (set->npatterns > 1)   /* qsort's array must not be NULL, even when empty */
        qsort(set->patterns, set->npatterns, sizeof *set->patterns, pattern_cmp);
    return rc;
}

static const js_root *find_root(const xsirt_json_schema *set, const char *uri, size_t len)
{
    for (size_t i = 0; i < set->nroots; i++)
        if (strlen(set->roots[i].uri) == len && memcmp(set->roots[i].uri, uri, len) == 0)
            return &set->roots[i];
    return NULL;
}

static const regex_t *find_pattern(const xsirt_json_schema *set, const json_t *node)
{
    js_pattern key = { node, { 0 } };
    const js_pattern *p = bsearch(&key, set->patterns, set->npatterns, sizeof key, pattern_cmp);
    return p ? &p->re : NULL;
}

/* Resolves a JSON pointer fragment ("/definitions/x") inside root. */
static const json_t *resolve_fragment(const json_t *root, const char *frag)
{
    const json_t *at = root;
    char seg[256];

    if (*frag == '\0')
        return root;
    if (*frag != '/')
        return NULL;
    while (*frag == '/' && at != NULL) {
        size_t n = 0;
        frag++;
        while (*frag != '\0' && *frag != '/' && n + 1 < sizeof seg) {
            if (frag[0] == '~' && (frag[1] == '0' || frag[1] == '1')) {
                seg[n++] = frag[1] == '0' ? '~' : '/';
                frag += 2;
            } else {
                seg[n++] = *frag++;
            }
        }
        seg[n] = '\0';
        if (json_is_object(at)) {
            at = json_object_get(at, seg);
        } else if (json_is_array(at)) {
            uint64_t idx;
            at = xsirt_parse_u64(&idx, seg, n) == 0 ? json_array_get(at, (size_t)idx) : NULL;
        } else {
            at = NULL;
        }
    }
    return at;
}

/* ---- validation ------------------------------------------------------------ */

typedef struct js_run {
    const xsirt_json_schema *set;
    xsirt_json_schema_fn fn;
    void *ctx;
    xsirt_buf ptr;         /* the instance's JSON pointer */
    unsigned quiet;        /* > 0 inside a combinator's branch */
    int stop;              /* the callback asked to stop */
    int error;             /* XSIRT_ENOMEM / XSIRT_ELIMIT */
} js_run;

static unsigned js_validate(js_run *run, const js_root *root, const json_t *schema,
                            const json_t *inst, unsigned depth);

static unsigned js_fail(js_run *run, const char *fmt, ...) XSIRT_PRINTF(2, 3);

static unsigned js_fail(js_run *run, const char *fmt, ...)
{
    char msg[512];
    va_list ap;

    if (run->quiet > 0 || run->fn == NULL || run->stop)
        return 1;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (run->fn(run->ctx, xsirt_buf_cstr(&run->ptr), msg) != 0)
        run->stop = 1;
    return 1;
}

/* Appends "/segment" (escaped) to the pointer; returns the old length. */
static size_t ptr_push(js_run *run, const char *seg, size_t index)
{
    size_t old = run->ptr.len;
    int rc = xsirt_buf_putc(&run->ptr, '/');
    if (seg == NULL) {
        rc |= xsirt_buf_printf(&run->ptr, "%zu", index);
    } else {
        for (; *seg != '\0'; seg++) {
            if (*seg == '~')
                rc |= xsirt_buf_puts(&run->ptr, "~0");
            else if (*seg == '/')
                rc |= xsirt_buf_puts(&run->ptr, "~1");
            else
                rc |= xsirt_buf_putc(&run->ptr, *seg);
        }
    }
    if (rc != 0 && run->error == 0)
        run->error = XSIRT_ELIMIT;
    return old;
}

static void ptr_pop(js_run *run, size_t old)
{
    if (run->ptr.data != NULL) {
        run->ptr.len = old;
        run->ptr.data[old] = '\0';
    }
}

static const char *type_name(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "object";
    case JSON_ARRAY: return "array";
    case JSON_STRING: return "string";
    case JSON_INTEGER: return "integer";
    case JSON_REAL: return "number";
    case JSON_TRUE: case JSON_FALSE: return "boolean";
    default: return "null";
    }
}

static bool is_integral(const json_t *v)
{
    if (json_is_integer(v))
        return true;
    if (json_is_real(v)) {
        double d = json_real_value(v);
        return isfinite(d) && floor(d) == d;
    }
    return false;
}

static bool type_matches(const char *t, const json_t *v)
{
    if (strcmp(t, "number") == 0)
        return json_is_number(v);
    if (strcmp(t, "integer") == 0)
        return is_integral(v);
    if (strcmp(t, "boolean") == 0)
        return json_is_boolean(v);
    return strcmp(t, type_name(v)) == 0;
}

/* JSON equality as JSON Schema defines it: 1 and 1.0 are equal. */
static bool js_equal(const json_t *a, const json_t *b)
{
    if (json_is_number(a) && json_is_number(b))
        return json_number_value(a) == json_number_value(b);
    if (json_typeof(a) != json_typeof(b))
        return false;
    if (json_is_array(a)) {
        if (json_array_size(a) != json_array_size(b))
            return false;
        for (size_t i = 0; i < json_array_size(a); i++)
            if (!js_equal(json_array_get(a, i), json_array_get(b, i)))
                return false;
        return true;
    }
    if (json_is_object(a)) {
        const char *k;
        json_t *v;
        if (json_object_size(a) != json_object_size(b))
            return false;
        json_object_foreach((json_t *)a, k, v) {
            const json_t *w = json_object_get(b, k);
            if (w == NULL || !js_equal(v, w))
                return false;
        }
        return true;
    }
    return json_equal((json_t *)a, (json_t *)b);
}

static size_t utf8_length(const char *s, size_t n)
{
    size_t count = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            count++;
    return count;
}

static double num(const json_t *v)
{
    return json_number_value(v);
}

static unsigned check_type(js_run *run, const json_t *t, const json_t *inst)
{
    if (json_is_string(t))
        return type_matches(json_string_value(t), inst)
                   ? 0 : js_fail(run, "must be %s", json_string_value(t));
    if (json_is_array(t)) {
        size_t i;
        json_t *one;
        json_array_foreach(t, i, one)
            if (json_is_string(one) && type_matches(json_string_value(one), inst))
                return 0;
        return js_fail(run, "must be one of the listed types");
    }
    return 0;
}

static unsigned check_string(js_run *run, const json_t *schema, const json_t *inst)
{
    unsigned bad = 0;
    const char *s = json_string_value(inst);
    size_t n = json_string_length(inst);
    const json_t *k;

    if ((k = json_object_get(schema, "minLength")) && json_is_number(k) &&
        (double)utf8_length(s, n) < num(k))
        bad += js_fail(run, "must NOT have fewer than %.0f characters", num(k));
    if ((k = json_object_get(schema, "maxLength")) && json_is_number(k) &&
        (double)utf8_length(s, n) > num(k))
        bad += js_fail(run, "must NOT have more than %.0f characters", num(k));
    if ((k = json_object_get(schema, "pattern")) && json_is_string(k)) {
        const regex_t *re = find_pattern(run->set, k);
        if (re != NULL && regexec(re, s, 0, NULL, 0) != 0)
            bad += js_fail(run, "must match pattern \"%s\"", json_string_value(k));
    }
    if ((k = json_object_get(schema, "format")) && json_is_string(k)) {
        const char *f = json_string_value(k);
        bool ok = true;
        if (strcmp(f, "date-time") == 0)
            ok = xsirt_json_schema_format_date_time(s);
        else if (strcmp(f, "date") == 0)
            ok = format_date(s, n);
        else if (strcmp(f, "time") == 0)
            ok = format_time(s, n);
        else if (strcmp(f, "uri") == 0)
            ok = xsirt_json_schema_format_uri(s);
        if (!ok)
            bad += js_fail(run, "must match format \"%s\"", f);
    }
    return bad;
}

static unsigned check_number(js_run *run, const json_t *schema, const json_t *inst)
{
    unsigned bad = 0;
    double v = num(inst);
    const json_t *k;

    if ((k = json_object_get(schema, "minimum")) && json_is_number(k) && v < num(k))
        bad += js_fail(run, "must be >= %g", num(k));
    if ((k = json_object_get(schema, "maximum")) && json_is_number(k) && v > num(k))
        bad += js_fail(run, "must be <= %g", num(k));
    if ((k = json_object_get(schema, "exclusiveMinimum")) && json_is_number(k) && v <= num(k))
        bad += js_fail(run, "must be > %g", num(k));
    if ((k = json_object_get(schema, "exclusiveMaximum")) && json_is_number(k) && v >= num(k))
        bad += js_fail(run, "must be < %g", num(k));
    if ((k = json_object_get(schema, "multipleOf")) && json_is_number(k) && num(k) > 0) {
        double q = v / num(k);
        if (!isfinite(q) || fabs(q - round(q)) > 1e-9)
            bad += js_fail(run, "must be multiple of %g", num(k));
    }
    return bad;
}

/* uniqueItems in linear time: each item's key in a hash set is "s" and the
 * string, or "j" and the value's JSON with sorted members (numbers are all
 * reals here, so 1 and 1.0 print alike). */
static unsigned check_unique(js_run *run, const json_t *inst)
{
    json_t *seen = json_object();
    size_t n = json_array_size(inst);
    unsigned bad = 0;
    xsirt_buf key;

    if (seen == NULL) {
        run->error = XSIRT_ENOMEM;
        return 1;
    }
    xsirt_buf_init(&key, XSIRT_LIMIT_FILE);
    for (size_t i = 0; i < n && bad == 0 && run->error == 0; i++) {
        const json_t *v = json_array_get(inst, i);
        int rc;
        xsirt_buf_reset(&key);
        if (json_is_string(v)) {
            rc = xsirt_buf_putc(&key, 's') |
                 xsirt_buf_append(&key, json_string_value(v), json_string_length(v));
        } else {
            char *text = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
            rc = text ? xsirt_buf_putc(&key, 'j') | xsirt_buf_puts(&key, text) : XSIRT_ENOMEM;
            free(text);
        }
        if (rc != 0) {
            run->error = XSIRT_ENOMEM;
            break;
        }
        const json_t *first = json_object_getn(seen, key.data, key.len);
        if (first != NULL)
            bad += js_fail(run, "must NOT have duplicate items (items ## %lld and %zu are "
                           "identical)", (long long)json_integer_value(first), i);
        else if (json_object_setn_new(seen, key.data, key.len, json_integer((json_int_t)i)) != 0)
            run->error = XSIRT_ENOMEM;
    }
    xsirt_buf_free(&key);
    json_decref(seen);
    return bad;
}

static bool js_quietly(js_run *run, const js_root *root, const json_t *schema,
                       const json_t *inst, unsigned depth);

static unsigned check_array(js_run *run, const js_root *root, const json_t *schema,
                            const json_t *inst, unsigned depth)
{
    unsigned bad = 0;
    size_t n = json_array_size(inst);
    const json_t *k;

    if ((k = json_object_get(schema, "minItems")) && json_is_number(k) && (double)n < num(k))
        bad += js_fail(run, "must NOT have fewer than %.0f items", num(k));
    if ((k = json_object_get(schema, "maxItems")) && json_is_number(k) && (double)n > num(k))
        bad += js_fail(run, "must NOT have more than %.0f items", num(k));
    if ((k = json_object_get(schema, "uniqueItems")) && json_is_true(k))
        bad += check_unique(run, inst);
    if ((k = json_object_get(schema, "items")) && (json_is_object(k) || json_is_boolean(k))) {
        for (size_t i = 0; i < n && !run->stop && (run->quiet == 0 || bad == 0); i++) {
            size_t old = ptr_push(run, NULL, i);
            bad += js_validate(run, root, k, json_array_get(inst, i), depth + 1);
            ptr_pop(run, old);
        }
    }
    /* contains: at least one element valid (the CVE schema's English
     * description). */
    if ((k = json_object_get(schema, "contains")) && (json_is_object(k) || json_is_boolean(k))) {
        bool any = false;
        for (size_t i = 0; i < n && !any; i++)
            any = js_quietly(run, root, k, json_array_get(inst, i), depth);
        if (!any)
            bad += js_fail(run, "must contain at least 1 valid item(s)");
    }
    return bad;
}

/* The first patternProperties subschema whose expression matches key, from
 * *at on (an iterator: *at is moved past it); NULL when no more match. */
static const json_t *pattern_property(const js_run *run, const json_t *pprops, const char *key,
                                      void **at)
{
    for (; *at != NULL; *at = json_object_iter_next((json_t *)pprops, *at)) {
        const json_t *sub = json_object_iter_value(*at);
        const regex_t *re = find_pattern(run->set, sub);
        if (re != NULL && regexec(re, key, 0, NULL, 0) == 0) {
            *at = json_object_iter_next((json_t *)pprops, *at);
            return sub;
        }
    }
    return NULL;
}

static unsigned check_object(js_run *run, const js_root *root, const json_t *schema,
                             const json_t *inst, unsigned depth)
{
    unsigned bad = 0;
    const json_t *props = json_object_get(schema, "properties");
    const json_t *addl = json_object_get(schema, "additionalProperties");
    const json_t *pprops = json_object_get(schema, "patternProperties");
    const json_t *k;
    const char *key;
    json_t *value;
    size_t i;

    if ((k = json_object_get(schema, "required")) && json_is_array(k)) {
        json_array_foreach(k, i, value)
            if (json_is_string(value) && json_object_get(inst, json_string_value(value)) == NULL)
                bad += js_fail(run, "must have required property '%s'", json_string_value(value));
    }
    if ((k = json_object_get(schema, "minProperties")) && json_is_number(k) &&
        (double)json_object_size(inst) < num(k))
        bad += js_fail(run, "must NOT have fewer than %.0f properties", num(k));
    if ((k = json_object_get(schema, "maxProperties")) && json_is_number(k) &&
        (double)json_object_size(inst) > num(k))
        bad += js_fail(run, "must NOT have more than %.0f properties", num(k));
    if ((k = json_object_get(schema, "dependentRequired")) && json_is_object(k)) {
        const char *dkey;
        json_t *list;
        json_object_foreach((json_t *)k, dkey, list) {
            if (json_object_get(inst, dkey) == NULL || !json_is_array(list))
                continue;
            json_array_foreach(list, i, value)
                if (json_is_string(value) && !json_object_get(inst, json_string_value(value)))
                    bad += js_fail(run, "must have property %s when property %s is present",
                                   json_string_value(value), dkey);
        }
    }
    if (addl == NULL && props != NULL && (root->flags & XSIRT_JSON_SCHEMA_CLOSED))
        addl = json_false();
    json_object_foreach((json_t *)inst, key, value) {
        const json_t *sub = json_is_object(props) ? json_object_get(props, key) : NULL;
        const json_t *psub;
        bool patterned = false;
        void *at = json_is_object(pprops) ? json_object_iter((json_t *)pprops) : NULL;
        if (run->stop || (run->quiet > 0 && bad > 0))
            break;
        while ((psub = pattern_property(run, pprops, key, &at)) != NULL) {
            size_t old = ptr_push(run, key, 0);
            bad += js_validate(run, root, psub, value, depth + 1);
            ptr_pop(run, old);
            patterned = true;
        }
        if (sub == NULL && patterned)   /* additionalProperties is for the others */
            continue;
        if (sub == NULL && addl == NULL)
            continue;
        if (sub == NULL && json_is_false(addl)) {
            bad += js_fail(run, "must NOT have additional properties ('%s')", key);
            continue;
        }
        size_t old = ptr_push(run, key, 0);
        bad += js_validate(run, root, sub ? sub : addl, value, depth + 1);
        ptr_pop(run, old);
    }
    return bad;
}

/* Runs a subschema for its verdict only. */
static bool js_quietly(js_run *run, const js_root *root, const json_t *schema,
                       const json_t *inst, unsigned depth)
{
    run->quiet++;
    unsigned bad = js_validate(run, root, schema, inst, depth + 1);
    run->quiet--;
    return bad == 0;
}

static unsigned check_combinators(js_run *run, const js_root *root, const json_t *schema,
                                  const json_t *inst, unsigned depth)
{
    unsigned bad = 0;
    const json_t *k;
    json_t *sub;
    size_t i;

    if ((k = json_object_get(schema, "allOf")) && json_is_array(k))
        json_array_foreach(k, i, sub)
            bad += js_validate(run, root, sub, inst, depth + 1);
    if ((k = json_object_get(schema, "anyOf")) && json_is_array(k)) {
        bool any = false;
        json_array_foreach(k, i, sub)
            if ((any = js_quietly(run, root, sub, inst, depth)))
                break;
        if (!any)
            bad += js_fail(run, "must match a schema in anyOf");
    }
    if ((k = json_object_get(schema, "oneOf")) && json_is_array(k)) {
        size_t matched = 0;
        json_array_foreach(k, i, sub)
            matched += js_quietly(run, root, sub, inst, depth);
        if (matched != 1)
            bad += js_fail(run, "must match exactly one schema in oneOf");
    }
    if ((k = json_object_get(schema, "not")) && js_quietly(run, root, k, inst, depth))
        bad += js_fail(run, "must NOT be valid");
    if ((k = json_object_get(schema, "if")) != NULL) {
        const json_t *branch = js_quietly(run, root, k, inst, depth)
                                   ? json_object_get(schema, "then")
                                   : json_object_get(schema, "else");
        if (branch != NULL)
            bad += js_validate(run, root, branch, inst, depth + 1);
    }
    return bad;
}

static unsigned check_ref(js_run *run, const js_root *root, const char *ref,
                          const json_t *inst, unsigned depth)
{
    const char *hash = strchr(ref, '#');
    const js_root *target = root;
    const json_t *sub;

    if (hash != ref) {
        target = find_root(run->set, ref, hash ? (size_t)(hash - ref) : strlen(ref));
        if (target == NULL)
            return js_fail(run, "can't resolve reference %s", ref);
    }
    sub = resolve_fragment(target->schema, hash ? hash + 1 : "");
    if (sub == NULL)
        return js_fail(run, "can't resolve reference %s", ref);
    return js_validate(run, target, sub, inst, depth);
}

static unsigned js_validate(js_run *run, const js_root *root, const json_t *schema,
                            const json_t *inst, unsigned depth)
{
    unsigned bad = 0;
    const json_t *k;

    if (json_is_true(schema))
        return 0;
    if (json_is_false(schema))
        return js_fail(run, "boolean schema is false");
    if (!json_is_object(schema) || run->stop)
        return 0;
    /* Every step (a property, an item, a $ref, a combinator) adds one, so
     * this also ends a loop of references. */
    if (depth > XSIRT_LIMIT_DEPTH * 4) {
        if (run->error == 0)
            run->error = XSIRT_ELIMIT;
        return 1;
    }
    if ((k = json_object_get(schema, "$ref")) && json_is_string(k))
        bad += check_ref(run, root, json_string_value(k), inst, depth + 1);
    if ((k = json_object_get(schema, "type")) != NULL && check_type(run, k, inst) != 0) {
        /* Other keywords about that type would only repeat the point. */
        return bad + 1;
    }
    if ((k = json_object_get(schema, "enum")) && json_is_array(k)) {
        size_t i;
        json_t *one;
        bool found = false;
        json_array_foreach(k, i, one)
            if ((found = js_equal(one, inst)))
                break;
        if (!found)
            bad += js_fail(run, "must be equal to one of the allowed values");
    }
    if ((k = json_object_get(schema, "const")) && !js_equal(k, inst))
        bad += js_fail(run, "must be equal to constant");
    if (json_is_string(inst))
        bad += check_string(run, schema, inst);
    else if (json_is_number(inst))
        bad += check_number(run, schema, inst);
    else if (json_is_array(inst))
        bad += check_array(run, root, schema, inst, depth);
    else if (json_is_object(inst))
        bad += check_object(run, root, schema, inst, depth);
    bad += check_combinators(run, root, schema, inst, depth);
    return bad;
}

int xsirt_json_schema_validate(int *valid, const xsirt_json_schema *set, const char *uri,
                               const json_t *instance, xsirt_json_schema_fn fn, void *ctx,
                               xsirt_error *err)
{
    const char *hash = strchr(uri, '#');
    const js_root *root = find_root(set, uri, hash ? (size_t)(hash - uri) : strlen(uri));
    const json_t *schema;
    js_run run;

    *valid = 0;
    if (root == NULL || (schema = resolve_fragment(root->schema, hash ? hash + 1 : "")) == NULL)
        return xsirt_error_set(err, XSIRT_ENOTFOUND, "no schema %s", uri);
    memset(&run, 0, sizeof run);
    run.set = set;
    run.fn = fn;
    run.ctx = ctx;
    xsirt_buf_init(&run.ptr, XSIRT_LIMIT_FILE);
    unsigned bad = js_validate(&run, root, schema, instance, 0);
    xsirt_buf_free(&run.ptr);
    if (run.error != 0)
        return xsirt_error_set(err, run.error, run.error == XSIRT_ELIMIT
                               ? "document nested deeper than %u levels" : "out of memory",
                               XSIRT_LIMIT_DEPTH);
    *valid = bad == 0;
    return 0;
}
