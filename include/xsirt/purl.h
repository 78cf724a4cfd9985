/*
 * purl.h — package URLs (ECMA-427, github.com/package-url/purl-spec):
 * parse, validate, canonicalise and build "pkg:type/namespace/name@version
 * ?qualifiers#subpath".
 *
 * An xsirt_purl holds the decoded components (percent-decoding undone,
 * namespace and subpath segments joined with '/'). Everything that leaves
 * this module is normalised: type rules (case folding, required and
 * prohibited namespaces, name rewriting) are applied, qualifiers are sorted
 * by key without empty values. The canonical string is rebuilt from those
 * components, so parse(canonical(x)) == parse(x) for every accepted x.
 */
#ifndef XSIRT_PURL_H
#define XSIRT_PURL_H

#include <stddef.h>

#include "common.h"
#include "error.h"

/* Parse flags. Without XSIRT_PURL_STRICT, common problems the spec's
 * "recommended" tests describe are remedied (upper-case qualifier keys are
 * lower-cased); with it they are errors, as the "required" tests want. */
#define XSIRT_PURL_STRICT 1u

typedef struct xsirt_purl_qualifier {
    char *key;     /* lower case, [a-z][a-z0-9._-]* */
    char *value;   /* decoded, never empty */
} xsirt_purl_qualifier;

typedef struct xsirt_purl {
    char *type;                        /* lower case */
    char *namespace_;                  /* NULL when absent */
    char *name;
    char *version;                     /* NULL when absent */
    xsirt_purl_qualifier *qualifiers;  /* sorted by key; NULL when none */
    size_t nqualifiers;
    char *subpath;                     /* NULL when absent */
    /* Private: xsirt_purl_parse puts the strings above in one block. */
    char *block_;
    size_t block_len_;
} xsirt_purl;

/* Sets every member to NULL/0. */
XSIRT_API void xsirt_purl_init(xsirt_purl *purl);

/* Frees the members of a purl filled by this module and re-initialises it. */
XSIRT_API void xsirt_purl_free(xsirt_purl *purl);

/* Parses s[0..len) into *out (initialised here; free with xsirt_purl_free).
 * Returns 0, XSIRT_EINVAL (message says which component is wrong),
 * XSIRT_ELIMIT (over XSIRT_LIMIT_IDENTIFIER or XSIRT_LIMIT_PURL_QUALIFIERS)
 * or XSIRT_ENOMEM. */
XSIRT_API int xsirt_purl_parse(xsirt_purl *out, const char *s, size_t len,
                               unsigned flags, xsirt_error *err);

/* 0 when s[0..len) is a valid purl (what xsirt_purl_parse accepts). */
XSIRT_API int xsirt_purl_validate(const char *s, size_t len, unsigned flags,
                                  xsirt_error *err);

/* The canonical string of s[0..len) in *out (free() it). */
XSIRT_API int xsirt_purl_canonical(char **out, const char *s, size_t len,
                                   unsigned flags, xsirt_error *err);

/* Builds the canonical string from decoded components (*in is only read:
 * it may hold any strings, NULL for absent parts, qualifiers in any order,
 * NULL or "" values meaning absent). The same normalisation and checks as
 * parsing apply; a missing type or name is an error. */
XSIRT_API int xsirt_purl_build(char **out, const xsirt_purl *in, xsirt_error *err);

/* Normalises decoded components into *out (a new owned copy of *in), as
 * xsirt_purl_build does before rendering. */
XSIRT_API int xsirt_purl_normalize(xsirt_purl *out, const xsirt_purl *in, xsirt_error *err);

/* The canonical string of a purl returned by xsirt_purl_parse or
 * xsirt_purl_normalize (already normalised; not checked again). */
XSIRT_API int xsirt_purl_to_string(char **out, const xsirt_purl *purl, xsirt_error *err);

/* The value of qualifier key, or NULL. */
XSIRT_API const char *xsirt_purl_get_qualifier(const xsirt_purl *purl, const char *key);

#endif
