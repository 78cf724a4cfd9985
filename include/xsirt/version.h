/*
 * version.h — version ordering, exactly as each ecosystem orders versions.
 *
 * A scheme is named by its purl/vers type ("npm", "pypi", "deb", ...). It
 * validates a version string and compares two, with parse errors reported
 * through the error object. OSV ecosystem names ("PyPI", "Debian:12",
 * "crates.io") map onto schemes with xsirt_version_scheme_for_osv().
 *
 * Comparing two strings parses both. Code that compares one version many
 * times (matching a component against every range of its package) parses
 * it once into an xsirt_version and compares parsed forms, which costs no
 * allocation and no re-parsing.
 */
#ifndef XSIRT_VERSION_H
#define XSIRT_VERSION_H

#include <stddef.h>

#include "common.h"
#include "error.h"

typedef struct xsirt_version_scheme xsirt_version_scheme;

/* The scheme for a purl/vers type, ASCII case-insensitive; NULL if none. */
XSIRT_API const xsirt_version_scheme *xsirt_version_scheme_find(const char *name);

/* The scheme for an OSV ecosystem name ("Go", "PyPI", "Debian:12",
 * "Alpine:v3.19", "crates.io", "Maven", ...); NULL if unknown. */
XSIRT_API const xsirt_version_scheme *xsirt_version_scheme_for_osv(const char *ecosystem);

/* The scheme's name ("npm"). */
XSIRT_API const char *xsirt_version_scheme_name(const xsirt_version_scheme *scheme);

/* Every scheme, for listings: index 0 .. count-1. */
XSIRT_API size_t xsirt_version_scheme_count(void);
XSIRT_API const xsirt_version_scheme *xsirt_version_scheme_at(size_t index);

/* 0 when version is valid in the scheme, else XSIRT_EINVAL (or
 * XSIRT_ELIMIT) with a message saying what is wrong and where. */
XSIRT_API int xsirt_version_validate(const xsirt_version_scheme *scheme,
                                     const char *version, xsirt_error *err);

/* Sets *out to -1, 0 or 1 as a orders before, equal to or after b.
 * Returns 0, or an error when either does not parse (the message names
 * which one). */
XSIRT_API int xsirt_version_compare(int *out, const xsirt_version_scheme *scheme,
                                    const char *a, const char *b, xsirt_error *err);

/* A version parsed once in one scheme (opaque; one allocation holding the
 * text and the scheme's parsed form). */
typedef struct xsirt_version xsirt_version;

/* Parses version in scheme: XSIRT_EINVAL/XSIRT_ELIMIT as
 * xsirt_version_validate says, XSIRT_ENOMEM. Free with xsirt_version_free. */
XSIRT_API int xsirt_version_parse(xsirt_version **out, const xsirt_version_scheme *scheme,
                                  const char *version, xsirt_error *err);
XSIRT_API void xsirt_version_free(xsirt_version *v);

/* -1, 0 or 1, exactly as xsirt_version_compare orders the two texts. Both
 * must be of the same scheme (versions of different schemes are ordered by
 * scheme name, which means nothing but keeps sorting total). */
XSIRT_API int xsirt_version_cmp(const xsirt_version *a, const xsirt_version *b);

/* The text it was parsed from, and its scheme. */
XSIRT_API const char *xsirt_version_text(const xsirt_version *v);
XSIRT_API const xsirt_version_scheme *xsirt_version_scheme_of(const xsirt_version *v);

/* OSV ecosystem names known to xsirt_version_scheme_for_osv(), for
 * listings: index 0, 1, ... until NULL. */
XSIRT_API const char *xsirt_version_osv_ecosystem_at(size_t index);

#endif
