/*
 * vers.c — vers ranges: parsing, containment, canonicalisation, and the
 * OSV / CVE JSON 5 builders.
 *
 * The idea that makes canonicalisation and the builders simple: any range
 * over a sorted list of k distinct boundary versions is fully described by
 * which of its 2k+1 regions it holds (before the first version, each
 * version, each gap between two, after the last). Every source (a vers,
 * OSV events, CVE entries) is evaluated once per region, comparing a region
 * with a boundary by index instead of by version; the canonical constraint
 * list is then written from the regions. That list is the shortest one
 * with the same meaning, so simplification never changes the set.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/checked.h"
#include "core/vers_build.h"
#include "core/version_scheme.h"
#include "core/str.h"
#include "xsirt/limits.h"
#include "xsirt/vers.h"

static const char *const op_text[] = {"", "!=", "<", "<=", ">", ">=", "*"};

/* Characters that must be percent-encoded in a version (and only these). */
static const char vers_encoded[] = "><=!*|%";

/* Per-type canonical rules beyond the general ones. */
static const struct {
    const char *type;
    const char *upper_only;   /* letters that must be upper case */
} vers_type_rules[] = {
    {"datetime", "tz"},   /* RFC 3339 "T" and "Z" */
};

void xsirt_vers_free(xsirt_vers *vers)
{
    if (vers == NULL)
        return;
    free(vers->type);
    for (size_t i = 0; i < vers->count; i++)
        free(vers->constraints[i].version);
    free(vers->constraints);
    memset(vers, 0, sizeof *vers);
}

static int vers_nomem(xsirt_error *err)
{
    return xsirt_error_set(err, XSIRT_ENOMEM, "vers: out of memory");
}

static int vers_bad(xsirt_error *err, const char *what, const char *s, size_t len)
{
    char q[128];

    xsirt_quote(q, sizeof q, s, len);
    return xsirt_error_set(err, XSIRT_EINVAL, "vers: %s %s", what, q);
}

static bool is_upper_hex(int c)
{
    return xsirt_is_digit(c) || (c >= 'A' && c <= 'F');
}

static int hexval(int c)
{
    if (xsirt_is_digit(c))
        return c - '0';
    c = xsirt_ascii_lower(c);
    return (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
}

/* Decodes a version once. Strictly, every triplet must be upper-case hex
 * and stand for one of vers_encoded (anything else is not canonical). */
static int decode_version(char **out, const char *s, size_t len, bool strict, xsirt_error *err)
{
    char *d = malloc(len + 1);
    size_t n = 0;

    if (d == NULL)
        return vers_nomem(err);
    for (size_t i = 0; i < len; i++) {
        int c = (unsigned char)s[i];
        if (c == '%') {
            int hi = i + 2 < len ? hexval((unsigned char)s[i + 1]) : -1;
            int lo = hi >= 0 ? hexval((unsigned char)s[i + 2]) : -1;
            if (hi < 0 || lo < 0) {
                free(d);
                return vers_bad(err, "invalid percent-encoding in version", s, len);
            }
            c = hi * 16 + lo;
            if (strict && (!is_upper_hex((unsigned char)s[i + 1]) ||
                           !is_upper_hex((unsigned char)s[i + 2]) || c == 0 ||
                           strchr(vers_encoded, c) == NULL)) {
                free(d);
                return vers_bad(err, "percent-encoding in version is not canonical", s, len);
            }
            i += 2;
        } else if (strict && strchr(vers_encoded, c) != NULL) {
            free(d);
            return vers_bad(err, "character must be percent-encoded in version", s, len);
        }
        if (c <= 0x20 || c >= 0x7F) {
            free(d);
            return vers_bad(err, "version must be printable ASCII:", s, len);
        }
        d[n++] = (char)c;
    }
    d[n] = '\0';
    *out = d;
    return 0;
}

/* ---- sorting by version (merge sort: the comparison can fail) ---- */

typedef struct vsort {
    const xsirt_version_scheme *scheme;
    const char *const *items;   /* version of each index */
    xsirt_error *err;
    int rc;
} vsort;

static int vsort_cmp(vsort *s, size_t a, size_t b)
{
    int c = 0;

    if (s->rc == 0)
        s->rc = xsirt_version_compare(&c, s->scheme, s->items[a], s->items[b], s->err);
    return c;
}

static void merge_sort(vsort *s, size_t *idx, size_t *tmp, size_t n)
{
    size_t mid = n / 2, i = 0, j = mid, k = 0;

    if (n < 2)
        return;
    merge_sort(s, idx, tmp, mid);
    merge_sort(s, idx + mid, tmp, n - mid);
    while (i < mid && j < n)
        tmp[k++] = vsort_cmp(s, idx[j], idx[i]) < 0 ? idx[j++] : idx[i++];
    while (i < mid)
        tmp[k++] = idx[i++];
    while (j < n)
        tmp[k++] = idx[j++];
    memcpy(idx, tmp, n * sizeof *idx);
}

/* Sorts n versions: order[] gets the indexes in version order (stable),
 * group[i] the rank of items[i] among the distinct versions, *distinct
 * their number. group may be NULL. */
static int sort_versions(size_t *order, size_t *group, size_t *distinct,
                         const xsirt_version_scheme *scheme, const char *const *items, size_t n,
                         xsirt_error *err)
{
    size_t *tmp = xsirt_alloc_array(n, sizeof *tmp);
    vsort s = {scheme, items, err, 0};
    size_t g = 0;

    if (tmp == NULL)
        return vers_nomem(err);
    for (size_t i = 0; i < n; i++)
        order[i] = i;
    merge_sort(&s, order, tmp, n);
    free(tmp);
    for (size_t i = 0; i < n && s.rc == 0; i++) {
        if (i > 0 && vsort_cmp(&s, order[i - 1], order[i]) != 0)
            g++;
        if (group != NULL)
            group[order[i]] = g;
    }
    if (distinct != NULL)
        *distinct = n > 0 ? g + 1 : 0;
    return s.rc;
}

/* ---- parsing ---- */

static bool is_space(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static int parse_op(xsirt_vers_op *op, const char **s, const char *end)
{
    static const struct { const char *text; xsirt_vers_op op; } ops[] = {
        {">=", XSIRT_VERS_GE}, {"<=", XSIRT_VERS_LE}, {"!=", XSIRT_VERS_NE},
        {"<", XSIRT_VERS_LT}, {">", XSIRT_VERS_GT}, {"=", XSIRT_VERS_EQ},
    };
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        size_t n = strlen(ops[i].text);
        if ((size_t)(end - *s) >= n && memcmp(*s, ops[i].text, n) == 0) {
            *op = ops[i].op;
            *s += n;
            return 1;
        }
    }
    *op = XSIRT_VERS_EQ;
    return 0;
}

static int add_constraint(xsirt_vers *v, xsirt_vers_op op, char *version, xsirt_error *err)
{
    xsirt_vers_constraint *grown;

    if (v->count == XSIRT_LIMIT_VERS_CONSTRAINTS) {
        free(version);
        return xsirt_error_set(err, XSIRT_ELIMIT, "vers: more than %u constraints",
                               XSIRT_LIMIT_VERS_CONSTRAINTS);
    }
    grown = xsirt_realloc_array(v->constraints, v->count + 1, sizeof *grown);
    if (grown == NULL) {
        free(version);
        return vers_nomem(err);
    }
    v->constraints = grown;
    v->constraints[v->count].op = op;
    v->constraints[v->count++].version = version;
    return 0;
}

/* One constraint s[0..n) (whitespace already removed when lenient). */
static int parse_constraint(xsirt_vers *v, const char *s, size_t n, bool strict,
                            xsirt_error *err)
{
    const char *p = s, *end = s + n;
    xsirt_vers_op op;
    char *version = NULL;
    int rc;

    if (n == 1 && s[0] == '*')
        return add_constraint(v, XSIRT_VERS_ANY, NULL, err);
    if (parse_op(&op, &p, end) && op == XSIRT_VERS_EQ && strict)
        return vers_bad(err, "'=' is implied, not written:", s, n);
    if (p == end)
        return vers_bad(err, "constraint has no version:", s, n);
    if ((rc = decode_version(&version, p, (size_t)(end - p), strict, err)) != 0)
        return rc;
    return add_constraint(v, op, version, err);
}

static int parse_type(xsirt_vers *v, const char *s, size_t n, bool strict, xsirt_error *err)
{
    if (n == 0 || !xsirt_is_alpha((unsigned char)s[0]))
        return vers_bad(err, "type must start with a letter:", s, n);
    for (size_t i = 0; i < n; i++)
        if (!xsirt_is_alnum((unsigned char)s[i]) && s[i] != '.' && s[i] != '-')
            return vers_bad(err, "type may hold only letters, digits, '.' and '-':", s, n);
        else if (strict && s[i] >= 'A' && s[i] <= 'Z')
            return vers_bad(err, "type must be lower case:", s, n);
    if ((v->type = xsirt_strndup(s, n)) == NULL)
        return vers_nomem(err);
    xsirt_ascii_lower_str(v->type);
    v->scheme = xsirt_version_scheme_find(v->type);
    if (v->scheme == NULL)
        return xsirt_error_set(err, XSIRT_ENOTFOUND, "vers: no version scheme for type %s",
                               v->type);
    return 0;
}

/* Copies s without whitespace (lenient parsing). */
static char *strip_spaces(const char *s, size_t len, size_t *outlen)
{
    char *d = malloc(len + 1);
    size_t n = 0;

    if (d == NULL)
        return NULL;
    for (size_t i = 0; i < len; i++)
        if (!is_space((unsigned char)s[i]))
            d[n++] = s[i];
    d[n] = '\0';
    *outlen = n;
    return d;
}

static int parse_constraints(xsirt_vers *v, const char *s, size_t n, bool strict,
                             xsirt_error *err)
{
    size_t i = 0;
    int rc = 0;

    if (n == 0)
        return xsirt_error_set(err, XSIRT_EINVAL, "vers: no constraint");
    if (strict && s[0] == '|')
        return vers_bad(err, "leading pipe:", s, n);
    if (strict && s[n - 1] == '|')
        return vers_bad(err, "trailing pipe:", s, n);
    while (i <= n && rc == 0) {
        const char *bar = memchr(s + i, '|', n - i);
        size_t m = bar != NULL ? (size_t)(bar - (s + i)) : n - i;
        if (m == 0 && strict)
            return vers_bad(err, "consecutive pipes:", s, n);
        if (m > 0)
            rc = parse_constraint(v, s + i, m, strict, err);
        i += m + 1;
    }
    if (rc == 0 && v->count == 0)
        rc = xsirt_error_set(err, XSIRT_EINVAL, "vers: no constraint");
    return rc;
}

/* The rules of the spec's "Normalized, canonical representation and
 * validation" clause for a parsed list. */
static int check_canonical(const xsirt_vers *v, xsirt_error *err)
{
    int last = -1, last_range = -1, c, rc;

    for (size_t i = 0; i < v->count; i++) {
        xsirt_vers_op op = v->constraints[i].op;
        if (op == XSIRT_VERS_ANY) {
            if (v->count > 1)
                return xsirt_error_set(err, XSIRT_EINVAL, "vers: '*' must be alone");
            return 0;
        }
        for (size_t t = 0; t < sizeof vers_type_rules / sizeof vers_type_rules[0]; t++)
            if (strcmp(vers_type_rules[t].type, v->type) == 0)
                for (const char *p = v->constraints[i].version; *p != '\0'; p++)
                    if (strchr(vers_type_rules[t].upper_only, *p) != NULL)
                        return vers_bad(err, "these letters must be upper case in",
                                        vers_type_rules[t].upper_only,
                                        strlen(vers_type_rules[t].upper_only));
        if (i > 0) {
            if ((rc = xsirt_version_compare(&c, v->scheme, v->constraints[i - 1].version,
                                            v->constraints[i].version, err)) != 0)
                return rc;
            if (c > 0)
                return vers_bad(err, "constraints are not sorted by version at",
                                v->constraints[i].version, strlen(v->constraints[i].version));
            if (c == 0)
                return vers_bad(err, "version appears twice:", v->constraints[i].version,
                                strlen(v->constraints[i].version));
        }
        if (op == XSIRT_VERS_NE)
            continue;
        if (last == XSIRT_VERS_EQ && (op == XSIRT_VERS_LT || op == XSIRT_VERS_LE))
            return vers_bad(err, "'=' may not be followed by '<' or '<=' at",
                            v->constraints[i].version, strlen(v->constraints[i].version));
        last = (int)op;
        if (op == XSIRT_VERS_EQ)
            continue;
        if (last_range >= 0 && ((last_range >= XSIRT_VERS_GT) == (op >= XSIRT_VERS_GT)))
            return vers_bad(err, "'<'/'<=' and '>'/'>=' must alternate at",
                            v->constraints[i].version, strlen(v->constraints[i].version));
        last_range = (int)op;
    }
    return 0;
}

/* Stable sort of the constraints by version. */
static int sort_constraints(xsirt_vers *v, xsirt_error *err)
{
    size_t n = v->count;
    const char **items;
    size_t *order;
    xsirt_vers_constraint *sorted;
    int rc;

    if (n < 2 || v->constraints[0].op == XSIRT_VERS_ANY)
        return 0;
    items = xsirt_alloc_array(n, sizeof *items);
    order = xsirt_alloc_array(n, sizeof *order);
    sorted = xsirt_alloc_array(n, sizeof *sorted);
    if (items == NULL || order == NULL || sorted == NULL) {
        rc = vers_nomem(err);
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        if (v->constraints[i].op == XSIRT_VERS_ANY) {
            rc = xsirt_error_set(err, XSIRT_EINVAL, "vers: '*' must be alone");
            goto out;
        }
        items[i] = v->constraints[i].version;
    }
    if ((rc = sort_versions(order, NULL, NULL, v->scheme, items, n, err)) != 0)
        goto out;
    for (size_t i = 0; i < n; i++)
        sorted[i] = v->constraints[order[i]];
    memcpy(v->constraints, sorted, n * sizeof *sorted);
out:
    free(items);
    free(order);
    free(sorted);
    return rc;
}

int xsirt_vers_parse(xsirt_vers *out, const char *s, size_t len, unsigned flags,
                     xsirt_error *err)
{
    bool strict = !(flags & XSIRT_VERS_LENIENT);
    char *copy = NULL;
    const char *colon, *slash;
    int rc;

    memset(out, 0, sizeof *out);
    if (s == NULL)
        return xsirt_error_set(err, XSIRT_EINVAL, "vers: no input");
    if (len > XSIRT_LIMIT_IDENTIFIER)
        return xsirt_error_set(err, XSIRT_ELIMIT, "vers: longer than %u bytes",
                               XSIRT_LIMIT_IDENTIFIER);
    if (memchr(s, '\0', len) != NULL)
        return xsirt_error_set(err, XSIRT_EINVAL, "vers: contains a NUL byte");
    for (size_t i = 0; i < len && strict; i++)
        if (is_space((unsigned char)s[i]))
            return vers_bad(err, "whitespace is not permitted:", s, len);
    if (!strict) {
        if ((copy = strip_spaces(s, len, &len)) == NULL)
            return vers_nomem(err);
        s = copy;
    }
    colon = memchr(s, ':', len);
    if (colon == NULL || colon - s != 4 ||
        (strict ? memcmp(s, "vers", 4) : xsirt_ascii_ncasecmp(s, "vers", 4)) != 0) {
        rc = vers_bad(err, "must start with \"vers:\":", s, len);
        goto out;
    }
    slash = memchr(colon, '/', len - 5);
    if (slash == NULL) {
        rc = vers_bad(err, "needs \"vers:TYPE/CONSTRAINTS\", got", s, len);
        goto out;
    }
    if ((rc = parse_type(out, colon + 1, (size_t)(slash - colon - 1), strict, err)) != 0 ||
        (rc = parse_constraints(out, slash + 1, len - (size_t)(slash + 1 - s), strict, err)) != 0)
        goto out;
    if (strict)
        rc = check_canonical(out, err);
    else if (!(flags & XSIRT_VERS_ORDERED))
        rc = sort_constraints(out, err);
out:
    free(copy);
    if (rc != 0)
        xsirt_vers_free(out);
    return rc;
}

int xsirt_vers_to_string(char **out, const xsirt_vers *v, xsirt_error *err)
{
    xsirt_buf b;
    int rc;

    *out = NULL;
    if (v == NULL || v->type == NULL || v->count == 0)
        return xsirt_error_set(err, XSIRT_EINVAL, "vers: an empty range has no vers form");
    xsirt_buf_init(&b, 3 * XSIRT_LIMIT_IDENTIFIER);
    rc = xsirt_buf_printf(&b, "vers:%s/", v->type);
    for (size_t i = 0; i < v->count && rc == 0; i++) {
        const xsirt_vers_constraint *c = &v->constraints[i];
        if (i > 0)
            rc = xsirt_buf_putc(&b, '|');
        if (rc == 0)
            rc = xsirt_buf_puts(&b, op_text[c->op]);
        for (const char *p = c->version; p != NULL && *p != '\0' && rc == 0; p++)
            rc = strchr(vers_encoded, *p) != NULL
                     ? xsirt_buf_printf(&b, "%%%02X", (unsigned char)*p)
                     : xsirt_buf_putc(&b, *p);
    }
    if (rc == 0 && (*out = xsirt_buf_detach(&b)) != NULL)
        return 0;
    xsirt_buf_free(&b);
    return rc == XSIRT_ELIMIT ? xsirt_error_set(err, rc, "vers: too long") : vers_nomem(err);
}

/* ---- containment over a probe: a real version or a region ---- */

typedef struct xsirt_vers_probe {
    const xsirt_version_scheme *scheme;
    const char *version;     /* a real version, or NULL for a region */
    size_t region;           /* region r: gap before point r/2 if even, point (r-1)/2 if odd */
    const size_t *group;     /* boundary index of each item (regions) */
    const xsirt_version *parsed;        /* a parsed real version, or NULL */
    xsirt_version *const *bounds;       /* with parsed: item i parsed (NULL: invalid) */
    signed char *memo;                  /* with parsed: item i's sign once known, */
    uint64_t *known;                    /* which is when bit i of *known is set */
} probe;

/* probe_cmp's cases other than a parsed bound. */
static int probe_cmp_text(int *out, const probe *p, size_t i, const char *v, xsirt_error *err)
{
    if (p->parsed != NULL) {   /* a bound its scheme rejects */
        int rc = xsirt_version_validate(p->scheme, v, err);
        return rc != 0 ? rc : xsirt_error_set(err, XSIRT_EINVAL, "vers: bad version");
    }
    if (p->version != NULL)
        return xsirt_version_compare(out, p->scheme, p->version, v, err);
    {
        size_t pos = 2 * p->group[i] + 1;
        *out = p->region < pos ? -1 : p->region > pos;
    }
    return 0;
}

/* Sign of (probe - item i, whose version is v). A parsed bound is compared
 * at most once per test (the walk below may ask up to three times): the
 * case matching runs millions of times, so it stays small and inline. */
static inline int probe_cmp(int *out, const probe *p, size_t i, const char *v, xsirt_error *err)
{
    if (p->parsed == NULL || p->bounds[i] == NULL)
        return probe_cmp_text(out, p, i, v, err);
    if (p->memo == NULL) {
        *out = xsirt_version_cmp(p->parsed, p->bounds[i]);
    } else if (*p->known >> i & 1u) {
        *out = p->memo[i];
    } else {
        *out = p->memo[i] = (signed char)xsirt_version_cmp(p->parsed, p->bounds[i]);
        *p->known |= (uint64_t)1 << i;
    }
    return 0;
}

static bool op_upper(xsirt_vers_op op)
{
    return op == XSIRT_VERS_LT || op == XSIRT_VERS_LE;
}

static bool op_range(xsirt_vers_op op)
{
    return op >= XSIRT_VERS_LT && op <= XSIRT_VERS_GE;
}

/* What the walk below needs to know of a range's operators; prepared
 * ranges work it out once. */
typedef struct vers_shape {
    bool any;          /* a "*" */
    bool point;        /* an "=", "<=" or ">=": the version may equal a bound */
    bool ne;           /* a "!=" */
    size_t n_range;    /* constraints with <, <=, > or >= */
    size_t first_range;
    bool pair;         /* just a lower bound (> or >=) then an upper (< or <=) */
} vers_shape;

static void vers_shape_of(vers_shape *sh, const xsirt_vers *v)
{
    memset(sh, 0, sizeof *sh);
    sh->first_range = SIZE_MAX;
    for (size_t i = 0; i < v->count; i++) {
        xsirt_vers_op op = v->constraints[i].op;
        sh->any |= op == XSIRT_VERS_ANY;
        sh->point |= op == XSIRT_VERS_EQ || op == XSIRT_VERS_LE || op == XSIRT_VERS_GE;
        sh->ne |= op == XSIRT_VERS_NE;
        if (op_range(op) && sh->n_range++ == 0)
            sh->first_range = i;
    }
    sh->pair = v->count == 2 && sh->n_range == 2 && !op_upper(v->constraints[0].op) &&
               op_upper(v->constraints[1].op);
}

/* The walk below for the commonest range, ">=a|<b" (or with > and <=):
 * its three ways in, without the loops, which cost more than the two
 * comparisons when a scan tests millions of such ranges. */
static int vers_walk_pair(bool *in, const xsirt_vers *v, const probe *p, xsirt_error *err)
{
    const xsirt_vers_constraint *lo = &v->constraints[0], *hi = &v->constraints[1];
    int cl, ch, rc;

    if ((rc = probe_cmp(&cl, p, 0, lo->version, err)) != 0)
        return rc;
    if (cl == 0 && lo->op == XSIRT_VERS_GE)
        return *in = true, 0;
    if ((rc = probe_cmp(&ch, p, 1, hi->version, err)) != 0)
        return rc;
    *in = (ch == 0 && hi->op == XSIRT_VERS_LE) || (cl > 0 && ch < 0);
    return 0;
}

/* The vers specification's containment test, over a probe. */
static int vers_walk(bool *in, const xsirt_vers *v, const vers_shape *sh, const probe *p,
                     xsirt_error *err)
{
    size_t prev = SIZE_MAX, first = sh->first_range;
    int c, rc;

    *in = false;
    if (sh->any)
        return *in = true, 0;
    if (sh->pair)
        return vers_walk_pair(in, v, p, err);
    for (size_t i = 0; sh->point && i < v->count; i++) {
        xsirt_vers_op op = v->constraints[i].op;
        if (op == XSIRT_VERS_EQ || op == XSIRT_VERS_LE || op == XSIRT_VERS_GE) {
            if ((rc = probe_cmp(&c, p, i, v->constraints[i].version, err)) != 0)
                return rc;
            if (c == 0)
                return *in = true, 0;
        }
    }
    for (size_t i = 0; sh->ne && i < v->count; i++)
        if (v->constraints[i].op == XSIRT_VERS_NE) {
            if ((rc = probe_cmp(&c, p, i, v->constraints[i].version, err)) != 0)
                return rc;
            if (c == 0)
                return 0;
        }
    if (sh->n_range == 0)
        return *in = sh->ne, 0;   /* only "!=": every other version */
    if (sh->n_range == 1) {
        if ((rc = probe_cmp(&c, p, first, v->constraints[first].version, err)) != 0)
            return rc;
        *in = op_upper(v->constraints[first].op) ? c < 0 : c > 0;
        return 0;
    }
    /* The spec's pairwise walk over the range constraints. */
    for (size_t i = first, seen = 0; i < v->count; i++) {
        const xsirt_vers_constraint *cur, *nxt;
        int cc, cn;
        if (!op_range(v->constraints[i].op))
            continue;
        if (prev == SIZE_MAX) {
            prev = i;
            continue;
        }
        seen++;
        cur = &v->constraints[prev];
        nxt = &v->constraints[i];
        if ((rc = probe_cmp(&cc, p, prev, cur->version, err)) != 0 ||
            (rc = probe_cmp(&cn, p, i, nxt->version, err)) != 0)
            return rc;
        if ((seen == 1 && op_upper(cur->op) && cc < 0) ||
            (seen == sh->n_range - 1 && !op_upper(nxt->op) && cn > 0) ||
            (!op_upper(cur->op) && op_upper(nxt->op) && cc > 0 && cn < 0))
            return *in = true, 0;
        prev = i;
    }
    return 0;
}

static int vers_contains_probe(bool *in, const xsirt_vers *v, const probe *p, xsirt_error *err)
{
    vers_shape sh;

    vers_shape_of(&sh, v);
    return vers_walk(in, v, &sh, p, err);
}

int xsirt_vers_contains(bool *out, const xsirt_vers *v, const char *version, xsirt_error *err)
{
    probe p = {v != NULL ? v->scheme : NULL, version, 0, NULL, NULL, NULL, NULL, NULL};
    int rc;

    *out = false;
    if (v == NULL || v->scheme == NULL)
        return xsirt_error_set(err, XSIRT_ENOTFOUND, "vers: no version scheme");
    if (version == NULL)
        return xsirt_error_set(err, XSIRT_EINVAL, "vers: no version");
    if ((rc = xsirt_version_validate(v->scheme, version, err)) != 0)
        return rc;
    return vers_contains_probe(out, v, &p, err);
}

/* ---- prepared ranges ---- */

struct xsirt_vers_prepared {
    xsirt_vers vers;
    xsirt_version **bounds;   /* per constraint; NULL for "*" or an invalid version */
    /* PREP_PIECES: each piece allocated (xsirt_vers_prepare); PREP_BLOCK: one
     * block; PREP_CALLERS: in the caller's memory, never freed here. */
    enum { PREP_PIECES, PREP_BLOCK, PREP_CALLERS } memory;
    vers_shape shape;
};

void xsirt_vers_prepared_free(xsirt_vers_prepared *p)
{
    if (p == NULL || p->memory == PREP_CALLERS)
        return;
    if (p->memory == PREP_BLOCK) {
        free(p);
        return;
    }
    for (size_t i = 0; p->bounds != NULL && i < p->vers.count; i++)
        xsirt_version_free(p->bounds[i]);
    free(p->bounds);
    xsirt_vers_free(&p->vers);
    free(p);
}

int xsirt_vers_prepare(xsirt_vers_prepared **out, xsirt_vers *vers, xsirt_error *err)
{
    xsirt_vers_prepared *p;

    *out = NULL;
    if (vers->scheme == NULL)
        return xsirt_error_set(err, XSIRT_ENOTFOUND, "vers: no version scheme");
    if ((p = calloc(1, sizeof *p)) == NULL)
        return vers_nomem(err);
    p->vers = *vers;
    memset(vers, 0, sizeof *vers);
    vers_shape_of(&p->shape, &p->vers);
    if (p->vers.count > 0 &&
        (p->bounds = xsirt_alloc_array(p->vers.count, sizeof *p->bounds)) == NULL) {
        xsirt_vers_prepared_free(p);
        return vers_nomem(err);
    }
    for (size_t i = 0; i < p->vers.count; i++) {
        const char *v = p->vers.constraints[i].version;
        p->bounds[i] = NULL;
        if (v != NULL &&
            xsirt_version_parse(&p->bounds[i], p->vers.scheme, v, NULL) == XSIRT_ENOMEM) {
            xsirt_vers_prepared_free(p);
            return vers_nomem(err);
        }
    }
    *out = p;
    return 0;
}

static size_t vers_align(size_t n)
{
    size_t a = _Alignof(max_align_t);

    return (n + a - 1) / a * a;
}

size_t xsirt_vers_prepared_size(const xsirt_version_scheme *scheme,
                                const char *const *versions, size_t count)
{
    size_t n = vers_align(sizeof(xsirt_vers_prepared)) +
               vers_align(count * sizeof(xsirt_vers_constraint)) +
               vers_align(count * sizeof(xsirt_version *));

    for (size_t i = 0; i < count && scheme != NULL; i++)
        if (versions[i] != NULL && strlen(versions[i]) <= XSIRT_LIMIT_VERSION)
            n += xsirt_version_footprint(scheme, versions[i]);
    return n;
}

static int vers_parts_check(const xsirt_version_scheme *scheme, const xsirt_vers_op *ops,
                            const char *const *versions, size_t count, xsirt_error *err)
{
    if (scheme == NULL)
        return xsirt_error_set(err, XSIRT_ENOTFOUND, "vers: no version scheme");
    if (count > XSIRT_LIMIT_VERS_CONSTRAINTS)
        return xsirt_error_set(err, XSIRT_ELIMIT, "vers: more than %u constraints",
                               XSIRT_LIMIT_VERS_CONSTRAINTS);
    for (size_t i = 0; i < count; i++)
        if ((unsigned)ops[i] > XSIRT_VERS_ANY || (ops[i] != XSIRT_VERS_ANY && versions[i] == NULL))
            return xsirt_error_set(err, XSIRT_EINVAL, "vers: constraint %zu is malformed", i);
    return 0;
}

/* Lays the range out in mem (xsirt_vers_prepared_size bytes): the
 * structure, its constraints, the bound pointers, then each parsed bound. */
static xsirt_vers_prepared *vers_pack(void *mem, const xsirt_version_scheme *scheme,
                                      const xsirt_vers_op *ops, const char *const *versions,
                                      size_t count, bool block)
{
    xsirt_vers_prepared *p = mem;
    char *at;

    memset(p, 0, sizeof *p);
    p->memory = block ? PREP_BLOCK : PREP_CALLERS;
    p->vers.scheme = scheme;
    p->vers.count = count;
    at = (char *)p + vers_align(sizeof *p);
    p->vers.constraints = (xsirt_vers_constraint *)(void *)at;
    at += vers_align(count * sizeof(xsirt_vers_constraint));
    p->bounds = (xsirt_version **)(void *)at;
    at += vers_align(count * sizeof(xsirt_version *));
    for (size_t i = 0; i < count; i++) {
        const char *v = versions[i];
        p->vers.constraints[i].op = ops[i];
        p->vers.constraints[i].version = (char *)(uintptr_t)v;   /* never written: not ours */
        p->bounds[i] = NULL;
        if (v == NULL || strlen(v) > XSIRT_LIMIT_VERSION)
            continue;
        (void)xsirt_version_parse_at(&p->bounds[i], at, scheme, v, NULL);
        at += xsirt_version_footprint(scheme, v);
    }
    vers_shape_of(&p->shape, &p->vers);
    return p;
}

int xsirt_vers_prepare_parts(xsirt_vers_prepared **out, const xsirt_version_scheme *scheme,
                             const xsirt_vers_op *ops, const char *const *versions,
                             size_t count, xsirt_error *err)
{
    void *mem;
    int rc;

    *out = NULL;
    if ((rc = vers_parts_check(scheme, ops, versions, count, err)) != 0)
        return rc;
    if ((mem = malloc(xsirt_vers_prepared_size(scheme, versions, count))) == NULL)
        return vers_nomem(err);
    *out = vers_pack(mem, scheme, ops, versions, count, true);
    return 0;
}

int xsirt_vers_prepare_parts_at(xsirt_vers_prepared **out, void *mem,
                                const xsirt_version_scheme *scheme, const xsirt_vers_op *ops,
                                const char *const *versions, size_t count, xsirt_error *err)
{
    int rc;

    *out = NULL;
    if ((rc = vers_parts_check(scheme, ops, versions, count, err)) != 0)
        return rc;
    *out = vers_pack(mem, scheme, ops, versions, count, false);
    return 0;
}

const xsirt_vers *xsirt_vers_prepared_range(const xsirt_vers_prepared *p)
{
    return &p->vers;
}

int xsirt_vers_prepared_contains(bool *out, const xsirt_vers_prepared *p,
                                 const xsirt_version *version, xsirt_error *err)
{
    signed char memo[64];
    uint64_t known = 0;
    probe pr = {p->vers.scheme, NULL, 0, NULL, version, p->bounds, NULL, &known};

    *out = false;
    if (xsirt_version_scheme_of(version) != p->vers.scheme)
        return xsirt_error_set(err, XSIRT_EINVAL, "vers: a %s version tested against a %s range",
                               xsirt_version_scheme_name(xsirt_version_scheme_of(version)),
                               xsirt_version_scheme_name(p->vers.scheme));
    if (p->vers.count <= sizeof memo)
        pr.memo = memo;
    return vers_walk(out, &p->vers, &p->shape, &pr, err);
}

/* ---- regions: from a membership test to canonical constraints ---- */

typedef xsirt_vers_member_fn region_fn;

/* Builds out->constraints from the membership of the 2k+1 regions around
 * the n boundary versions items[] (not necessarily distinct), member()
 * being called with p.group giving each item's boundary index. */
static int regions_emit(xsirt_vers *out, const char *const *items, size_t n, region_fn member,
                        const void *ctx, xsirt_error *err)
{
    size_t *order = xsirt_alloc_array(n, sizeof *order);
    size_t *group = xsirt_alloc_array(n, sizeof *group);
    const char **point = NULL;
    bool *in = NULL, all = true, none = true;
    size_t k = 0;
    int rc;

    if (order == NULL || group == NULL) {
        rc = vers_nomem(err);
        goto out;
    }
    if ((rc = sort_versions(order, group, &k, out->scheme, items, n, err)) != 0)
        goto out;
    point = xsirt_alloc_array(k, sizeof *point);
    in = xsirt_alloc_array(2 * k + 1, sizeof *in);
    if (point == NULL || in == NULL) {
        rc = vers_nomem(err);
        goto out;
    }
    for (size_t i = 0; i < n; i++)
        point[group[i]] = items[i];
    for (size_t r = 0; r < 2 * k + 1 && rc == 0; r++) {
        probe p = {out->scheme, NULL, r, group, NULL, NULL, NULL, NULL};
        rc = member(&in[r], &p, ctx, err);
        all &= in[r];
        none &= !in[r];
    }
    if (rc != 0 || none)
        goto out;
    if (all) {
        rc = add_constraint(out, XSIRT_VERS_ANY, NULL, err);
        goto out;
    }
    for (size_t j = 0; j < k && rc == 0; j++) {
        /* before, at, after -> the constraint at this version, if any */
        static const int table[8] = {-1, XSIRT_VERS_GT, XSIRT_VERS_EQ, XSIRT_VERS_GE,
                                     XSIRT_VERS_LT, XSIRT_VERS_NE, XSIRT_VERS_LE, -1};
        int op = table[(in[2 * j] ? 4 : 0) | (in[2 * j + 1] ? 2 : 0) | (in[2 * j + 2] ? 1 : 0)];
        char *copy;
        if (op < 0)
            continue;
        if ((copy = xsirt_strndup(point[j], strlen(point[j]))) == NULL)
            rc = vers_nomem(err);
        else
            rc = add_constraint(out, (xsirt_vers_op)op, copy, err);
    }
out:
    free(order);
    free(group);
    free(point);
    free(in);
    return rc;
}

static int member_vers(bool *in, const probe *p, const void *ctx, xsirt_error *err)
{
    return vers_contains_probe(in, ctx, p, err);
}

/* The spec's "Constraints simplification" on a sorted list: drops the
 * redundant comparators of non-canonical input (">=1|>=2" is ">=1",
 * "1|<2" is "<2"); '!=' constraints are kept aside. Canonical input is
 * left as it is. */
static void drop_redundant(xsirt_vers *v)
{
    size_t w = 0;

    for (size_t i = 0; i < v->count; i++) {
        xsirt_vers_constraint c = v->constraints[i];
        bool keep = true;
        if (c.op == XSIRT_VERS_NE) {
            v->constraints[w++] = c;
            continue;
        }
        while (w > 0) {
            size_t t = w;
            xsirt_vers_op top;
            while (t > 0 && v->constraints[t - 1].op == XSIRT_VERS_NE)
                t--;
            if (t == 0)
                break;
            top = v->constraints[t - 1].op;
            if ((top == XSIRT_VERS_GT || top == XSIRT_VERS_GE) &&
                (c.op == XSIRT_VERS_EQ || c.op == XSIRT_VERS_GT || c.op == XSIRT_VERS_GE)) {
                keep = false;
                break;
            }
            if ((top == XSIRT_VERS_EQ || op_upper(top)) && op_upper(c.op)) {
                free(v->constraints[t - 1].version);
                memmove(&v->constraints[t - 1], &v->constraints[t], (w - t) * sizeof c);
                w--;
                continue;
            }
            break;
        }
        if (keep)
            v->constraints[w++] = c;
        else
            free(c.version);
    }
    v->count = w;
}

int xsirt_vers_simplify(xsirt_vers *v, xsirt_error *err)
{
    xsirt_vers old, fresh;
    const char **items;
    size_t n = 0;
    int rc;

    if (v->scheme == NULL)
        return xsirt_error_set(err, XSIRT_ENOTFOUND, "vers: no version scheme");
    for (size_t i = 0; i < v->count; i++)
        if (v->constraints[i].op == XSIRT_VERS_ANY) {
            memset(&fresh, 0, sizeof fresh);
            fresh.type = v->type;
            fresh.scheme = v->scheme;
            v->type = NULL;
            if ((rc = add_constraint(&fresh, XSIRT_VERS_ANY, NULL, err)) != 0) {
                v->type = fresh.type;
                return rc;
            }
            xsirt_vers_free(v);
            *v = fresh;
            return 0;
        }
    if ((rc = sort_constraints(v, err)) != 0)
        return rc;
    drop_redundant(v);
    old = *v;
    items = xsirt_alloc_array(v->count, sizeof *items);
    if (items == NULL)
        return vers_nomem(err);
    for (size_t i = 0; i < v->count; i++)
        items[n++] = v->constraints[i].version;
    memset(&fresh, 0, sizeof fresh);
    fresh.scheme = v->scheme;
    rc = regions_emit(&fresh, items, n, member_vers, &old, err);
    free(items);
    if (rc != 0) {
        xsirt_vers_free(&fresh);
        return rc;
    }
    fresh.type = v->type;
    v->type = NULL;
    xsirt_vers_free(v);
    *v = fresh;
    return 0;
}

int xsirt_vers_canonical(char **out, const char *s, size_t len, xsirt_error *err)
{
    xsirt_vers v;
    int rc;

    *out = NULL;
    if ((rc = xsirt_vers_parse(&v, s, len, XSIRT_VERS_LENIENT, err)) == 0 &&
        (rc = xsirt_vers_simplify(&v, err)) == 0)
        rc = xsirt_vers_to_string(out, &v, err);
    xsirt_vers_free(&v);
    return rc;
}

/* ---- builders ---- */

static int builder_init(xsirt_vers *out, const char *type, xsirt_error *err)
{
    memset(out, 0, sizeof *out);
    if (type == NULL)
        return xsirt_error_set(err, XSIRT_EINVAL, "vers: no type");
    if ((out->type = xsirt_strndup(type, strlen(type))) == NULL)
        return vers_nomem(err);
    xsirt_ascii_lower_str(out->type);
    if ((out->scheme = xsirt_version_scheme_find(out->type)) == NULL)
        return xsirt_error_set(err, XSIRT_ENOTFOUND, "vers: no version scheme for type %s",
                               out->type);
    return 0;
}

static bool is_zero(const char *v)
{
    return v != NULL && strcmp(v, "0") == 0;
}

typedef struct osv_ctx {
    const xsirt_osv_event *events;
    const size_t *order;      /* events by version (stable) */
    const size_t *item;       /* boundary item of each event, SIZE_MAX for "0" */
    size_t count;
} osv_ctx;

/* The OSV evaluation: walk the sorted events, introduced turns on, fixed
 * (at or below) and last_affected (below) turn off; limits cap. */
static int member_osv(bool *in, const probe *p, const void *vctx, xsirt_error *err)
{
    const osv_ctx *x = vctx;
    bool affected = false, opened = false;
    int c, rc;

    (void)err;
    for (size_t k = 0; k < x->count; k++) {
        const xsirt_osv_event *e = &x->events[x->order[k]];
        size_t it = x->item[x->order[k]];
        if (it == SIZE_MAX) {   /* introduced "0" */
            affected = opened = true;
            continue;
        }
        if ((rc = probe_cmp(&c, p, it, e->version, err)) != 0)
            return rc;
        switch (e->kind) {
        case XSIRT_OSV_INTRODUCED:
            opened = true;
            if (c >= 0)
                affected = true;
            break;
        case XSIRT_OSV_FIXED:
            if (!opened) {   /* a range beginning with fixed: affected below it */
                opened = true;
                affected = c < 0;
            } else if (c >= 0) {
                affected = false;
            }
            break;
        case XSIRT_OSV_LAST_AFFECTED:
            if (!opened) {
                opened = true;
                affected = c <= 0;
            } else if (c > 0) {
                affected = false;
            }
            break;
        case XSIRT_OSV_LIMIT:
            break;
        }
    }
    for (size_t i = 0; i < x->count && affected; i++)
        if (x->events[i].kind == XSIRT_OSV_LIMIT) {
            if ((rc = probe_cmp(&c, p, x->item[i], x->events[i].version, err)) != 0)
                return rc;
            if (c >= 0)
                affected = false;
        }
    *in = affected;
    return 0;
}

int xsirt_vers_from_osv(xsirt_vers *out, const char *type, const xsirt_osv_event *events,
                        size_t count, xsirt_error *err)
{
    const char **items = NULL;
    size_t *item = NULL, *order = NULL, n = 0;
    osv_ctx x;
    int rc;

    if ((rc = builder_init(out, type, err)) != 0)
        goto out;
    if (count > XSIRT_LIMIT_VERS_CONSTRAINTS) {
        rc = xsirt_error_set(err, XSIRT_ELIMIT, "vers: more than %u OSV events",
                             XSIRT_LIMIT_VERS_CONSTRAINTS);
        goto out;
    }
    items = xsirt_alloc_array(count, sizeof *items);
    item = xsirt_alloc_array(count, sizeof *item);
    order = xsirt_alloc_array(count, sizeof *order);
    if (items == NULL || item == NULL || order == NULL) {
        rc = vers_nomem(err);
        goto out;
    }
    for (size_t i = 0; i < count; i++) {
        const char *v = events[i].version;
        if (v == NULL || v[0] == '\0') {
            rc = xsirt_error_set(err, XSIRT_EINVAL, "vers: OSV event %zu has no version", i);
            goto out;
        }
        if (events[i].kind == XSIRT_OSV_INTRODUCED && is_zero(v)) {
            item[i] = SIZE_MAX;
            continue;
        }
        if ((rc = xsirt_version_validate(out->scheme, v, err)) != 0)
            goto out;
        item[i] = n;
        items[n++] = v;
    }
    /* Event order: by version, "0" first, ties in document order. */
    {
        size_t m = 0, *sub = xsirt_alloc_array(n, sizeof *sub);
        if (sub == NULL) {
            rc = vers_nomem(err);
            goto out;
        }
        if ((rc = sort_versions(sub, NULL, NULL, out->scheme, items, n, err)) != 0) {
            free(sub);
            goto out;
        }
        for (size_t i = 0; i < count; i++)
            if (item[i] == SIZE_MAX)
                order[m++] = i;
        for (size_t j = 0; j < n; j++)
            for (size_t i = 0; i < count; i++)
                if (item[i] == sub[j])
                    order[m++] = i;
        free(sub);
    }
    x.events = events;
    x.order = order;
    x.item = item;
    x.count = count;
    {
        /* regions_emit numbers boundaries by item; member_osv maps events
         * to items through x.item. */
        rc = regions_emit(out, items, n, member_osv, &x, err);
    }
out:
    free(items);
    free(item);
    free(order);
    if (rc != 0)
        xsirt_vers_free(out);
    return rc;
}

/* ---- CVE JSON 5 ---- */

typedef struct cve_ctx {
    const xsirt_cve_version *versions;
    size_t count;
    const size_t *start, *lt, *le;   /* item of each boundary; SIZE_MAX: none */
    const size_t *change_item;       /* items of the changes, entry by entry */
    const char *const *items;
    xsirt_cve_status dflt;
} cve_ctx;

static int cmp_item(int *c, const probe *p, const cve_ctx *x, size_t it, xsirt_error *err)
{
    return probe_cmp(c, p, it, x->items[it], err);
}

/* Status of the probe under entry e: UNKNOWN when e does not cover it. */
static int cve_entry_status(xsirt_cve_status *st, const probe *p, const cve_ctx *x, size_t e,
                            size_t changes_from, xsirt_error *err)
{
    const xsirt_cve_version *v = &x->versions[e];
    int c, rc;

    *st = XSIRT_CVE_UNKNOWN;
    if (x->start[e] != SIZE_MAX) {
        if ((rc = cmp_item(&c, p, x, x->start[e], err)) != 0)
            return rc;
        if (x->lt[e] == SIZE_MAX && x->le[e] == SIZE_MAX && v->less_than == NULL &&
            v->less_than_or_equal == NULL) {
            if (c == 0)
                *st = v->status;
            return 0;
        }
        if (c < 0)
            return 0;
    }
    if (x->lt[e] != SIZE_MAX) {
        if ((rc = cmp_item(&c, p, x, x->lt[e], err)) != 0)
            return rc;
        if (c >= 0)
            return 0;
    }
    if (x->le[e] != SIZE_MAX) {
        if ((rc = cmp_item(&c, p, x, x->le[e], err)) != 0)
            return rc;
        if (c > 0)
            return 0;
    }
    *st = v->status;
    {
        /* The last change at or below the probe, changes taken in version
         * order: the greatest "at" not above it wins. */
        size_t best = SIZE_MAX;
        for (size_t k = 0; k < v->nchanges; k++) {
            size_t it = x->change_item[changes_from + k];
            if ((rc = cmp_item(&c, p, x, it, err)) != 0)
                return rc;
            if (c >= 0 && (best == SIZE_MAX || p->group[it] >= p->group[x->change_item[changes_from + best]]))
                best = k;
        }
        if (best != SIZE_MAX)
            *st = v->changes[best].status;
    }
    return 0;
}

static int member_cve(bool *in, const probe *p, const void *vctx, xsirt_error *err)
{
    const cve_ctx *x = vctx;
    bool covered = false, affected = false, unaffected = false;
    size_t from = 0;
    int rc;

    for (size_t e = 0; e < x->count; e++) {
        xsirt_cve_status st;
        if ((rc = cve_entry_status(&st, p, x, e, from, err)) != 0)
            return rc;
        from += x->versions[e].nchanges;
        covered |= st != XSIRT_CVE_UNKNOWN;
        affected |= st == XSIRT_CVE_AFFECTED;
        unaffected |= st == XSIRT_CVE_UNAFFECTED;
    }
    if (affected)
        *in = true;
    else if (unaffected)
        *in = false;
    else
        *in = !covered && x->dflt == XSIRT_CVE_AFFECTED;
    return 0;
}

/* "5.10.*" -> "5.11" (the prefix with its last number plus one). */
static char *next_prefix(const char *v)
{
    size_t n = strlen(v), start, len;
    char *out;

    if (n < 3 || strcmp(v + n - 2, ".*") != 0)
        return NULL;
    n -= 2;
    start = n;
    while (start > 0 && xsirt_is_digit((unsigned char)v[start - 1]))
        start--;
    if (start == n)
        return NULL;
    len = n + 1;   /* room for a carry */
    if ((out = malloc(len + 1)) == NULL)
        return NULL;
    memcpy(out, v, n);
    out[n] = '\0';
    for (size_t i = n; i > start; i--) {
        if (out[i - 1] != '9') {
            out[i - 1]++;
            return out;
        }
        out[i - 1] = '0';
    }
    memmove(out + start + 1, out + start, n - start + 1);
    out[start] = '1';
    return out;
}

int xsirt_vers_from_cve(xsirt_vers *out, const char *type, const xsirt_cve_version *versions,
                        size_t count, xsirt_cve_status default_status, xsirt_error *err)
{
    size_t total = 0, n = 0, from = 0;
    const char **items = NULL;
    size_t *start = NULL, *lt = NULL, *le = NULL, *chg = NULL;
    char **owned = NULL;
    size_t nowned = 0;
    cve_ctx x;
    int rc;

    if ((rc = builder_init(out, type, err)) != 0)
        goto out;
    for (size_t e = 0; e < count; e++)
        total += 3 + versions[e].nchanges;
    if (count > XSIRT_LIMIT_VERS_CONSTRAINTS || total > 4 * (size_t)XSIRT_LIMIT_VERS_CONSTRAINTS) {
        rc = xsirt_error_set(err, XSIRT_ELIMIT, "vers: more than %u CVE version entries",
                             XSIRT_LIMIT_VERS_CONSTRAINTS);
        goto out;
    }
    items = xsirt_alloc_array(total, sizeof *items);
    owned = xsirt_alloc_array(count, sizeof *owned);
    start = xsirt_alloc_array(count, sizeof *start);
    lt = xsirt_alloc_array(count, sizeof *lt);
    le = xsirt_alloc_array(count, sizeof *le);
    chg = xsirt_alloc_array(total, sizeof *chg);
    if (items == NULL || owned == NULL || start == NULL || lt == NULL || le == NULL || chg == NULL) {
        rc = vers_nomem(err);
        goto out;
    }
    for (size_t e = 0; e < count && rc == 0; e++) {
        const xsirt_cve_version *v = &versions[e];
        bool ranged = v->less_than != NULL || v->less_than_or_equal != NULL;
        const char *lim = v->less_than;
        start[e] = lt[e] = le[e] = SIZE_MAX;
        if (v->version == NULL || v->version[0] == '\0') {
            rc = xsirt_error_set(err, XSIRT_EINVAL, "vers: CVE version entry %zu has no version", e);
            break;
        }
        if (!(ranged && is_zero(v->version))) {
            if ((rc = xsirt_version_validate(out->scheme, v->version, err)) != 0)
                break;
            items[n] = v->version;
            start[e] = n++;
        }
        if (v->less_than_or_equal != NULL && v->less_than == NULL &&
            strstr(v->less_than_or_equal, "*") != NULL) {
            if (strcmp(v->less_than_or_equal, "*") != 0) {
                if ((lim = owned[nowned] = next_prefix(v->less_than_or_equal)) == NULL) {
                    rc = xsirt_error_set(err, XSIRT_EUNSUPPORTED,
                                         "vers: unsupported lessThanOrEqual %s",
                                         v->less_than_or_equal);
                    break;
                }
                nowned++;
            }
        } else if (v->less_than_or_equal != NULL) {
            if ((rc = xsirt_version_validate(out->scheme, v->less_than_or_equal, err)) != 0)
                break;
            items[n] = v->less_than_or_equal;
            le[e] = n++;
        }
        if (lim != NULL && strcmp(lim, "*") != 0) {
            if ((rc = xsirt_version_validate(out->scheme, lim, err)) != 0)
                break;
            items[n] = lim;
            lt[e] = n++;
        }
        for (size_t k = 0; k < v->nchanges && rc == 0; k++) {
            if (v->changes[k].at == NULL ||
                (rc = xsirt_version_validate(out->scheme, v->changes[k].at, err)) != 0) {
                if (rc == 0)
                    rc = xsirt_error_set(err, XSIRT_EINVAL, "vers: a change has no \"at\"");
                break;
            }
            items[n] = v->changes[k].at;
            chg[from++] = n++;
        }
    }
    if (rc != 0)
        goto out;
    x.versions = versions;
    x.count = count;
    x.start = start;
    x.lt = lt;
    x.le = le;
    x.change_item = chg;
    x.items = items;
    x.dflt = default_status;
    if (n == 0) {
        /* No boundary at all: the whole line has one status. */
        if (default_status == XSIRT_CVE_AFFECTED || count > 0) {
            probe p = {out->scheme, NULL, 0, NULL, NULL, NULL, NULL, NULL};
            bool in = false;
            if ((rc = member_cve(&in, &p, &x, err)) == 0 && in)
                rc = add_constraint(out, XSIRT_VERS_ANY, NULL, err);
        }
    } else {
        rc = regions_emit(out, items, n, member_cve, &x, err);
    }
out:
    for (size_t i = 0; i < nowned; i++)
        free(owned[i]);
    free(owned);
    free(items);
    free(start);
    free(lt);
    free(le);
    free(chg);
    if (rc != 0)
        xsirt_vers_free(out);
    return rc;
}

/* ---- the region machinery for other builders (core/vers_build.h) ---- */

int xsirt_vers_probe_cmp(int *out, const xsirt_vers_probe *p, size_t item, const char *version,
                         xsirt_error *err)
{
    return probe_cmp(out, p, item, version, err);
}

int xsirt_vers_build(xsirt_vers *out, const char *type, const char *const *items, size_t n,
                     xsirt_vers_member_fn member, const void *ctx, xsirt_error *err)
{
    int rc;

    if ((rc = builder_init(out, type, err)) == 0) {
        if (n > XSIRT_LIMIT_VERS_CONSTRAINTS)
            rc = xsirt_error_set(err, XSIRT_ELIMIT, "vers: more than %u versions in a range",
                                 XSIRT_LIMIT_VERS_CONSTRAINTS);
        else
            rc = regions_emit(out, items, n, member, ctx, err);
    }
    if (rc != 0)
        xsirt_vers_free(out);
    return rc;
}
