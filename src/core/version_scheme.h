/*
 * version_scheme.h — what a version scheme implements (internal).
 *
 * Each scheme lives in its own src/core/version_NAME.c, defines
 * `const xsirt_version_scheme xsirt_version_scheme_NAME` and is listed in
 * version_schemes.def. version.c holds the registry and the OSV names.
 */
#ifndef XSIRT_VERSION_SCHEME_H
#define XSIRT_VERSION_SCHEME_H

#include <stddef.h>

#include "xsirt/error.h"
#include "xsirt/version.h"

struct xsirt_version_scheme {
    const char *name;   /* purl/vers type */
    /* Both get NUL-terminated strings already checked against
     * XSIRT_LIMIT_VERSION by version.c. */
    int (*validate)(const char *v, xsirt_error *err);
    /* *out = -1, 0, 1; returns 0 or an error naming the bad version. */
    int (*compare)(int *out, const char *a, const char *b, xsirt_error *err);
    /* The parsed form (all three NULL when the scheme keeps none; then
     * xsirt_version_cmp falls back on compare). parse fills size(v) bytes
     * at out, which may point into v: version.c keeps v beside it. */
    size_t (*size)(const char *v);
    int (*parse)(void *out, const char *v, xsirt_error *err);
    int (*cmp)(const void *a, const void *b);
};

/* The three hooks of a scheme whose parse fills a fixed-size struct type
 * (`int parse(type *, const char *, xsirt_error *)`) and whose cmp orders
 * two (`int cmp(const type *, const type *)`): defines prefix_size,
 * prefix_parse_any and prefix_cmp_any, typed wrappers (calling through a
 * cast function pointer would be undefined). */
#define XSIRT_VERSION_PARSED_HOOKS(prefix, type, parse_fn, cmp_fn)          \
    static size_t prefix##_size(const char *v)                              \
    {                                                                       \
        (void)v;                                                            \
        return sizeof(type);                                                \
    }                                                                       \
    static int prefix##_parse_any(void *out, const char *v, xsirt_error *err) \
    {                                                                       \
        return parse_fn((type *)out, v, err);                               \
    }                                                                       \
    static int prefix##_cmp_any(const void *a, const void *b)               \
    {                                                                       \
        return cmp_fn((const type *)a, (const type *)b);                    \
    }

/* The initialiser of a scheme with those hooks; XSIRT_VERSION_UNPARSED
 * for one without. */
#define XSIRT_VERSION_PARSED(prefix) prefix##_size, prefix##_parse_any, prefix##_cmp_any
#define XSIRT_VERSION_UNPARSED NULL, NULL, NULL

/* Parsed versions packed into a caller's block (vers.c prepares a range
 * in one allocation): the bytes one takes (a multiple of max_align_t's
 * alignment), and parsing into mem (so aligned, footprint bytes). Errors
 * as xsirt_version_parse. */
size_t xsirt_version_footprint(const xsirt_version_scheme *scheme, const char *version);
int xsirt_version_parse_at(xsirt_version **out, void *mem, const xsirt_version_scheme *scheme,
                           const char *version, xsirt_error *err);

#define XSIRT_VERSION_SCHEME(name) extern const xsirt_version_scheme xsirt_version_scheme_##name;
#include "core/version_schemes.def"
#undef XSIRT_VERSION_SCHEME

#endif
