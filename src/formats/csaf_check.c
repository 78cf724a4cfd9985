/*
 * csaf_check.c — helpers shared by the CSAF document tests (see
 * csaf_check.h): failure reporting, id collection, and the readings of
 * versions and dates that csaf-validator-lib's dependencies make
 * (node-semver, ECMAScript parseInt, js-joda).
 */
#include "formats/csaf_check.h"

#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/str.h"
#include "xsirt/error.h"
#include "xsirt/limits.h"

static char *vformat(const char *fmt, va_list ap) XSIRT_PRINTF(1, 0);

static char *vformat(const char *fmt, va_list ap)
{
    xsirt_buf b;
    xsirt_buf_init(&b, XSIRT_LIMIT_FILE);
    if (xsirt_buf_vprintf(&b, fmt, ap) != 0) {
        xsirt_buf_free(&b);
        return NULL;
    }
    return xsirt_buf_detach(&b);
}

void csaf_fail(csaf_ctx *c, const char *message, const char *path_fmt, ...)
{
    va_list ap;
    char *path;
    json_t *item;

    va_start(ap, path_fmt);
    path = vformat(path_fmt, ap);
    va_end(ap);
    item = path ? json_pack("{s:s, s:s, s:s, s:s}", "test", c->test, "kind",
                            c->kind == CSAF_MANDATORY ? "mandatory"
                            : c->kind == CSAF_OPTIONAL ? "optional" : "schema",
                            "path", path, "message", message)
                : NULL;
    free(path);
    if (item == NULL || json_array_append_new(c->failures, item) != 0)
        c->error = XSIRT_ENOMEM;
}

const json_t *csaf_get(const json_t *v, ...)
{
    va_list ap;
    const char *key;

    va_start(ap, v);
    while (v != NULL && (key = va_arg(ap, const char *)) != NULL)
        v = json_object_get(v, key);
    va_end(ap);
    return v;
}

const char *csaf_str(const json_t *v)
{
    return json_string_value(v);
}

bool csaf_truthy(const json_t *v)
{
    if (v == NULL || json_is_null(v) || json_is_false(v))
        return false;
    if (json_is_string(v))
        return json_string_length(v) > 0;
    if (json_is_number(v)) {
        double d = json_number_value(v);
        return d != 0 && !isnan(d);
    }
    return true;
}

void csaf_ids_free(csaf_ids *ids)
{
    for (size_t i = 0; i < ids->len; i++)
        free(ids->items[i].path);
    free(ids->items);
    memset(ids, 0, sizeof *ids);
}

int csaf_ids_add(csaf_ids *ids, const char *id, const char *path_fmt, ...)
{
    va_list ap;
    char *path;

    if (ids->len == ids->cap) {
        size_t cap = ids->cap ? ids->cap * 2 : 16;
        csaf_id *grown = realloc(ids->items, cap * sizeof *grown);
        if (grown == NULL)
            return XSIRT_ENOMEM;
        ids->items = grown;
        ids->cap = cap;
    }
    va_start(ap, path_fmt);
    path = vformat(path_fmt, ap);
    va_end(ap);
    if (path == NULL)
        return XSIRT_ENOMEM;
    ids->items[ids->len].id = id;
    ids->items[ids->len++].path = path;
    return 0;
}

bool csaf_ids_has(const csaf_ids *ids, const char *id)
{
    for (size_t i = 0; i < ids->len; i++)
        if (strcmp(ids->items[i].id, id) == 0)
            return true;
    return false;
}

static void walk_branches(csaf_ctx *c, const json_t *branches, const char *shape,
                          csaf_branch_fn fn, void *arg, xsirt_buf *path);

static void branch_product_id(csaf_ctx *c, const json_t *branch, const char *pointer, void *arg)
{
    const char *id = csaf_str(csaf_get(branch, "product", "product_id", NULL));
    if (id != NULL && *id != '\0' &&
        csaf_ids_add(arg, id, "%s/product/product_id", pointer) != 0)
        c->error = XSIRT_ENOMEM;
}

int csaf_collect_product_ids(csaf_ids *out, const json_t *doc)
{
    const json_t *tree = json_object_get(doc, "product_tree");
    const json_t *list = json_object_get(tree, "full_product_names");
    int rc = 0;

    for (size_t i = 0; i < json_array_size(list) && rc == 0; i++) {
        const char *id = csaf_str(csaf_get(json_array_get(list, i), "product_id", NULL));
        if (id != NULL && *id != '\0')
            rc = csaf_ids_add(out, id, "/product_tree/full_product_names/%zu/product_id", i);
    }
    list = json_object_get(tree, "relationships");
    for (size_t i = 0; i < json_array_size(list) && rc == 0; i++) {
        const char *id = csaf_str(csaf_get(json_array_get(list, i), "full_product_name",
                                           "product_id", NULL));
        if (id != NULL && *id != '\0')
            rc = csaf_ids_add(out, id,
                              "/product_tree/relationships/%zu/full_product_name/product_id", i);
    }
    if (rc == 0) {
        /* The walk reports through a context: a scratch one here. */
        csaf_ctx scratch;
        memset(&scratch, 0, sizeof scratch);
        csaf_walk_branches(&scratch, json_object_get(tree, "branches"), NULL, branch_product_id,
                           out);
        rc = scratch.error;
    }
    return rc ? XSIRT_ENOMEM : 0;
}

int csaf_collect_group_ids(csaf_ids *out, const json_t *doc)
{
    const json_t *groups = csaf_get(doc, "product_tree", "product_groups", NULL);
    for (size_t i = 0; i < json_array_size(groups); i++) {
        const char *id = csaf_str(csaf_get(json_array_get(groups, i), "group_id", NULL));
        if (id != NULL && *id != '\0' &&
            csaf_ids_add(out, id, "/product_tree/product_groups/%zu/group_id", i) != 0)
            return XSIRT_ENOMEM;
    }
    return 0;
}

bool csaf_array_has_string(const json_t *list, const char *s)
{
    for (size_t i = 0; i < json_array_size(list); i++) {
        const char *v = csaf_str(json_array_get(list, i));
        if (v != NULL && strcmp(v, s) == 0)
            return true;
    }
    return false;
}

bool csaf_array_has(const json_t *list, const json_t *v)
{
    if (json_is_string(v))
        return csaf_array_has_string(list, json_string_value(v));
    for (size_t i = 0; i < json_array_size(list); i++)
        if (json_equal((json_t *)json_array_get(list, i), (json_t *)v))
            return true;
    return false;
}

const json_t *csaf_group_products(const json_t *doc, const char *group_id)
{
    const json_t *groups = csaf_get(doc, "product_tree", "product_groups", NULL);
    for (size_t i = 0; i < json_array_size(groups); i++) {
        const json_t *g = json_array_get(groups, i);
        const char *id = csaf_str(json_object_get(g, "group_id"));
        if (id != NULL && strcmp(id, group_id) == 0)
            return json_object_get(g, "product_ids");
    }
    return NULL;
}

static int add_strings(json_t *set, const json_t *list)
{
    for (size_t i = 0; i < json_array_size(list); i++) {
        const char *id = csaf_str(json_array_get(list, i));
        if (id != NULL && json_object_set_new(set, id, json_true()) != 0)
            return XSIRT_ENOMEM;
    }
    return 0;
}

int csaf_covered_products(json_t *set, const json_t *doc, const json_t *entries,
                          const char *category)
{
    const json_t *groups = csaf_get(doc, "product_tree", "product_groups", NULL);
    for (size_t i = 0; i < json_array_size(entries); i++) {
        const json_t *e = json_array_get(entries, i);
        const json_t *gids = json_object_get(e, "group_ids");
        const char *got = csaf_str(json_object_get(e, "category"));
        if (category != NULL && (got == NULL || strcmp(got, category) != 0))
            continue;
        if (add_strings(set, json_object_get(e, "product_ids")) != 0)
            return XSIRT_ENOMEM;
        for (size_t g = 0; json_is_array(groups) && g < json_array_size(gids); g++) {
            const char *gid = csaf_str(json_array_get(gids, g));
            if (gid != NULL && add_strings(set, csaf_group_products(doc, gid)) != 0)
                return XSIRT_ENOMEM;
        }
    }
    return 0;
}

static void walk_branches(csaf_ctx *c, const json_t *branches, const char *shape,
                          csaf_branch_fn fn, void *arg, xsirt_buf *path)
{
    for (size_t i = 0; i < json_array_size(branches) && c->error == 0; i++) {
        const json_t *branch = json_array_get(branches, i), *below;
        size_t old = path->len;
        if (shape != NULL && !csaf_shape(c, branch, shape))
            continue;
        if (xsirt_buf_printf(path, "/%zu", i) != 0) {
            c->error = XSIRT_ENOMEM;
            return;
        }
        fn(c, branch, path->data, arg);
        below = json_object_get(branch, "branches");
        if (json_is_array(below) && xsirt_buf_puts(path, "/branches") == 0)
            walk_branches(c, below, shape, fn, arg, path);
        path->len = old;
        path->data[old] = '\0';
    }
}

void csaf_walk_branches(csaf_ctx *c, const json_t *branches, const char *shape,
                        csaf_branch_fn fn, void *arg)
{
    xsirt_buf path;
    xsirt_buf_init(&path, XSIRT_LIMIT_FILE);
    if (xsirt_buf_puts(&path, "/product_tree/branches") != 0)
        c->error = XSIRT_ENOMEM;
    else
        walk_branches(c, branches, shape, fn, arg, &path);
    xsirt_buf_free(&path);
}

const char *csaf_branch_name(const json_t *branch, const char *category)
{
    const char *got = csaf_str(json_object_get(branch, "category"));
    return got != NULL && strcmp(got, category) == 0 ? csaf_str(json_object_get(branch, "name"))
                                                     : NULL;
}

/* csaf_each_product's visit of a branch: its product, if any. */
static void branch_product(csaf_ctx *c, const json_t *branch, const char *pointer, void *arg)
{
    const json_t *product = json_object_get(branch, "product");
    csaf_product_fn fn = *(csaf_product_fn *)arg;
    xsirt_buf where;

    if (product == NULL)
        return;
    xsirt_buf_init(&where, XSIRT_LIMIT_FILE);
    if (xsirt_buf_printf(&where, "%s/product", pointer) == 0)
        fn(c, product, where.data);
    else
        c->error = XSIRT_ENOMEM;
    xsirt_buf_free(&where);
}

void csaf_each_product(csaf_ctx *c, csaf_product_fn fn)
{
    const json_t *tree = json_object_get(c->doc, "product_tree");
    const json_t *list = json_object_get(tree, "full_product_names");
    char where[96];

    for (size_t i = 0; i < json_array_size(list); i++) {
        snprintf(where, sizeof where, "/product_tree/full_product_names/%zu", i);
        fn(c, json_array_get(list, i), where);
    }
    list = json_object_get(tree, "relationships");
    for (size_t i = 0; i < json_array_size(list); i++) {
        const json_t *fpn = json_object_get(json_array_get(list, i), "full_product_name");
        snprintf(where, sizeof where, "/product_tree/relationships/%zu/full_product_name", i);
        if (fpn != NULL)
            fn(c, fpn, where);
    }
    csaf_walk_branches(c, json_object_get(tree, "branches"), NULL, branch_product, &fn);
}

/* ---- node-semver ------------------------------------------------------- */

/* A numeric part: "0" or no leading zero, at most 2^53-1 (node-semver
 * refuses larger ones). */
static bool semver_number(uint64_t *out, const char **s)
{
    const char *p = *s;
    uint64_t v = 0;
    if (!xsirt_is_digit(*p))
        return false;
    if (*p == '0' && xsirt_is_digit(p[1]))
        return false;
    while (xsirt_is_digit(*p)) {
        v = v * 10 + (uint64_t)(*p - '0');
        if (v > 9007199254740991ull)
            return false;
        p++;
    }
    *out = v;
    *s = p;
    return true;
}

/* A pre-release identifier: a number without leading zero, or
 * alphanumerics with at least one non-digit. */
static bool semver_pre_ident(const char **s)
{
    const char *p = *s;
    bool letter = false;
    while (xsirt_is_alnum(*p) || *p == '-') {
        if (!xsirt_is_digit(*p))
            letter = true;
        p++;
    }
    if (p == *s)
        return false;
    if (!letter && **s == '0' && p - *s > 1)
        return false;
    *s = p;
    return true;
}

bool csaf_semver_parse(csaf_semver *out, const char *s)
{
    const char *p = s, *end;

    if (strlen(s) > 256)
        return false;
    while (*p == ' ' || (*p >= '\t' && *p <= '\r'))
        p++;
    end = p + strlen(p);
    while (end > p && (end[-1] == ' ' || (end[-1] >= '\t' && end[-1] <= '\r')))
        end--;
    if (*p == 'v')
        p++;
    memset(out, 0, sizeof *out);
    if (!semver_number(&out->major, &p) || *p++ != '.' || !semver_number(&out->minor, &p) ||
        *p++ != '.' || !semver_number(&out->patch, &p))
        return false;
    if (*p == '-') {
        out->pre = ++p;
        do {
            if (!semver_pre_ident(&p))
                return false;
        } while (*p == '.' && p++);
        out->pre_len = (size_t)(p - out->pre);
    }
    if (*p == '+') {
        p++;
        do {
            const char *start = p;
            while (xsirt_is_alnum(*p) || *p == '-')
                p++;
            if (p == start)
                return false;
        } while (*p == '.' && p++);
    }
    return p == end;
}

static int pre_ident_cmp(const char *a, size_t an, const char *b, size_t bn)
{
    bool anum = true, bnum = true;
    for (size_t i = 0; i < an; i++)
        anum = anum && xsirt_is_digit(a[i]);
    for (size_t i = 0; i < bn; i++)
        bnum = bnum && xsirt_is_digit(b[i]);
    if (anum && bnum) {
        if (an != bn)
            return an < bn ? -1 : 1;
        int c = memcmp(a, b, an);
        return c < 0 ? -1 : c > 0;
    }
    if (anum != bnum)
        return anum ? -1 : 1;
    int c = memcmp(a, b, an < bn ? an : bn);
    if (c != 0)
        return c < 0 ? -1 : 1;
    return an == bn ? 0 : (an < bn ? -1 : 1);
}

int csaf_semver_cmp(const csaf_semver *a, const csaf_semver *b)
{
    if (a->major != b->major)
        return a->major < b->major ? -1 : 1;
    if (a->minor != b->minor)
        return a->minor < b->minor ? -1 : 1;
    if (a->patch != b->patch)
        return a->patch < b->patch ? -1 : 1;
    if (a->pre == NULL || b->pre == NULL)
        return (a->pre == NULL) - (b->pre == NULL);
    const char *p = a->pre, *q = b->pre, *pe = a->pre + a->pre_len, *qe = b->pre + b->pre_len;
    while (p < pe && q < qe) {
        const char *pd = memchr(p, '.', (size_t)(pe - p)), *qd = memchr(q, '.', (size_t)(qe - q));
        size_t pn = (size_t)((pd ? pd : pe) - p), qn = (size_t)((qd ? qd : qe) - q);
        int c = pre_ident_cmp(p, pn, q, qn);
        if (c != 0)
            return c;
        p += pn + (pd != NULL);
        q += qn + (qd != NULL);
    }
    return (p < pe) - (q < qe);
}

double csaf_parse_int(const char *s)
{
    double v = 0, sign = 1;
    int base = 10, digits = 0;

    while (*s == ' ' || (*s >= '\t' && *s <= '\r'))
        s++;
    if (*s == '-' || *s == '+')
        sign = *s++ == '-' ? -1 : 1;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
    }
    for (;; s++, digits++) {
        int d;
        if (xsirt_is_digit(*s))
            d = *s - '0';
        else if (base == 16 && xsirt_ascii_lower(*s) >= 'a' && xsirt_ascii_lower(*s) <= 'f')
            d = xsirt_ascii_lower(*s) - 'a' + 10;
        else
            break;
        v = v * base + d;
    }
    return digits ? sign * v : NAN;
}

double csaf_compare_versions(const char *v1, const char *v2)
{
    csaf_semver a, b;
    if (csaf_semver_parse(&a, v1) && csaf_semver_parse(&b, v2))
        return csaf_semver_cmp(&b, &a) >= 0 ? 1 : -1;
    return csaf_parse_int(v2) - csaf_parse_int(v1);
}

/* ---- js-joda ZonedDateTime.parse ------------------------------------------ */

static int digits_n(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!xsirt_is_digit(s[i]))
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

bool csaf_datetime_parse(int64_t *seconds, int32_t *nanos, const char *s)
{
    static const int mdays[] = { 0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int y = digits_n(s, 4), mo, d, h, mi, sec = 0, off = 0;
    int32_t ns = 0;
    const char *p;

    if (y < 0 || s[4] != '-' || (mo = digits_n(s + 5, 2)) < 1 || mo > 12 || s[7] != '-' ||
        (d = digits_n(s + 8, 2)) < 1)
        return false;
    bool leap = (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0));
    if (d > (mo == 2 && leap ? 29 : mdays[mo]))
        return false;
    if ((s[10] != 'T' && s[10] != 't') || (h = digits_n(s + 11, 2)) < 0 || h > 23 ||
        s[13] != ':' || (mi = digits_n(s + 14, 2)) < 0 || mi > 59)
        return false;
    p = s + 16;
    if (*p == ':') {
        if ((sec = digits_n(p + 1, 2)) < 0 || sec > 59)
            return false;
        p += 3;
        if (*p == '.') {
            int n = 0;
            p++;
            while (xsirt_is_digit(*p) && n < 9) {
                ns = ns * 10 + (*p++ - '0');
                n++;
            }
            if (n == 0 || xsirt_is_digit(*p))
                return false;
            while (n++ < 9)
                ns *= 10;
        }
    }
    if (*p == 'Z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int sign = *p == '-' ? -1 : 1, oh, om = 0, os = 0;
        if ((oh = digits_n(p + 1, 2)) < 0 || oh > 18)
            return false;
        p += 3;
        if (*p == ':') {
            if ((om = digits_n(p + 1, 2)) < 0 || om > 59)
                return false;
            p += 3;
            if (*p == ':') {
                if ((os = digits_n(p + 1, 2)) < 0 || os > 59)
                    return false;
                p += 3;
            }
        }
        off = sign * (oh * 3600 + om * 60 + os);
    } else {
        return false;
    }
    if (*p == '[') {
        /* A region id after the offset: the offset already fixes the instant. */
        const char *close = strchr(p, ']');
        if (close == NULL || close[1] != '\0')
            return false;
        p = close + 1;
    }
    if (*p != '\0')
        return false;
    *seconds = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - off;
    *nanos = ns;
    return true;
}

int csaf_datetime_cmp(const char *a, const char *b)
{
    int64_t sa, sb;
    int32_t na, nb;
    if (a == NULL || b == NULL || !csaf_datetime_parse(&sa, &na, a) ||
        !csaf_datetime_parse(&sb, &nb, b))
        return 0;
    if (sa != sb)
        return sa < sb ? -1 : 1;
    return na == nb ? 0 : (na < nb ? -1 : 1);
}

/* ---- JSON Type Definition shapes ------------------------------------------- */

/* Whether a definition is the empty one, {}: Ajv's JTD code generator
 * leaves out every check it would guard. */
static bool jtd_empty(const json_t *schema)
{
    return json_is_object(schema) && json_object_size(schema) == 0;
}

/* The members of a properties map whose definitions are not empty. */
static size_t jtd_checked_members(const json_t *map)
{
    const char *key;
    json_t *sub;
    size_t n = 0;
    json_object_foreach((json_t *)map, key, sub)
        n += !jtd_empty(sub);
    return n;
}

/*
 * JSON Type Definition as Ajv compiles it, which is what the reference's
 * preconditions mean: an empty definition accepts anything and is not even
 * required as a property; "elements" over an empty definition accepts
 * anything (no array check); a properties form with no non-empty member and
 * additionalProperties true accepts anything (no object check).
 */
static bool jtd_check(const json_t *schema, const json_t *v, unsigned depth)
{
    const json_t *type = json_object_get(schema, "type");
    const json_t *elements = json_object_get(schema, "elements");
    const json_t *props = json_object_get(schema, "properties");
    const json_t *optional = json_object_get(schema, "optionalProperties");
    const json_t *extra = json_object_get(schema, "additionalProperties");
    const char *key;
    json_t *sub;

    if (depth > XSIRT_LIMIT_DEPTH)
        return false;
    if (type != NULL) {
        const char *t = json_string_value(type);
        if (strcmp(t, "string") == 0)
            return json_is_string(v);
        if (strcmp(t, "float64") == 0)
            return json_is_number(v);
        if (strcmp(t, "timestamp") == 0)
            return json_is_string(v) && xsirt_json_schema_format_date_time(json_string_value(v));
        return false;
    }
    if (elements != NULL) {
        if (jtd_empty(elements))
            return true;
        if (!json_is_array(v))
            return false;
        for (size_t i = 0; i < json_array_size(v); i++)
            if (!jtd_check(elements, json_array_get(v, i), depth + 1))
                return false;
        return true;
    }
    if (props == NULL && optional == NULL && extra == NULL)
        return true;
    if (json_is_true(extra) && jtd_checked_members(props) + jtd_checked_members(optional) == 0)
        return true;
    if (!json_is_object(v))
        return false;
    json_object_foreach((json_t *)props, key, sub) {
        const json_t *member = json_object_get(v, key);
        if (jtd_empty(sub))
            continue;
        if (member == NULL || !jtd_check(sub, member, depth + 1))
            return false;
    }
    json_object_foreach((json_t *)optional, key, sub) {
        const json_t *member = json_object_get(v, key);
        if (member != NULL && !jtd_check(sub, member, depth + 1))
            return false;
    }
    if (!json_is_true(extra)) {
        json_object_foreach((json_t *)v, key, sub)
            if (json_object_get(props, key) == NULL && json_object_get(optional, key) == NULL)
                return false;
    }
    return true;
}

/* Parsed definitions, for the life of the process: there are a few dozen,
 * all C constants (or built from them), and every document asks for the
 * same ones. Read-only once added; the mutex guards the table. */
#define SHAPES_MAX 64
static struct {
    char *text;
    json_t *schema;
} shapes[SHAPES_MAX];
static size_t nshapes;
static pthread_mutex_t shapes_lock = PTHREAD_MUTEX_INITIALIZER;

static json_t *shape_schema(const char *jtd)
{
    json_t *schema = NULL;
    char *text;

    pthread_mutex_lock(&shapes_lock);
    for (size_t i = 0; i < nshapes && schema == NULL; i++)
        if (strcmp(shapes[i].text, jtd) == 0)
            schema = shapes[i].schema;
    if (schema == NULL && nshapes < SHAPES_MAX &&
        (text = xsirt_strndup(jtd, strlen(jtd))) != NULL) {
        /* Written with ' for " to stay readable in C. One that does not
         * parse is a bug, and a silent false would quietly disable its
         * test, hence abort(). */
        for (char *p = text; *p != '\0'; p++)
            if (*p == '\'')
                *p = '"';
        if ((schema = json_loads(text, 0, NULL)) == NULL)
            abort();
        memcpy(text, jtd, strlen(jtd));
        shapes[nshapes].text = text;
        shapes[nshapes++].schema = schema;
    }
    pthread_mutex_unlock(&shapes_lock);
    return schema;
}

bool csaf_shape(csaf_ctx *c, const json_t *v, const char *jtd)
{
    json_t *schema = shape_schema(jtd);
    if (schema == NULL) {
        c->error = XSIRT_ENOMEM;   /* or more than SHAPES_MAX definitions: a bug */
        return false;
    }
    return jtd_check(schema, v, 0);
}

/* ---- stable sort ------------------------------------------------------------ */

static void merge_pass(char *a, char *tmp, size_t lo, size_t mid, size_t hi, size_t size,
                       csaf_cmp_fn cmp, void *arg)
{
    size_t i = lo, j = mid, k = lo;
    while (i < mid && j < hi) {
        if (cmp(a + j * size, a + i * size, arg) < 0)
            memcpy(tmp + k++ * size, a + j++ * size, size);
        else
            memcpy(tmp + k++ * size, a + i++ * size, size);
    }
    while (i < mid)
        memcpy(tmp + k++ * size, a + i++ * size, size);
    while (j < hi)
        memcpy(tmp + k++ * size, a + j++ * size, size);
    memcpy(a + lo * size, tmp + lo * size, (hi - lo) * size);
}

int csaf_sort(void *base, size_t n, size_t size, csaf_cmp_fn cmp, void *arg)
{
    char *tmp;
    if (n < 2)
        return 0;
    if ((tmp = malloc(n * size)) == NULL)
        return XSIRT_ENOMEM;
    for (size_t width = 1; width < n; width *= 2)
        for (size_t lo = 0; lo + width < n; lo += 2 * width) {
            size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
            merge_pass(base, tmp, lo, lo + width, hi, size, cmp, arg);
        }
    free(tmp);
    return 0;
}
