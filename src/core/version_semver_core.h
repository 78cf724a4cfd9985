/*
 * version_semver_core.h — what the semver-family schemes (semver, npm,
 * golang, cargo) share, plus small helpers the other schemes of this set
 * (pypi, maven, nuget) use: digit-string comparison, UTF-8 decoding, the
 * whitespace sets of the reference languages and one error format.
 *
 * The idea: parse a SemVer 2.0.0 core once (major.minor.patch, pre-release,
 * build) into spans of the input, with per-scheme switches for what each
 * ecosystem's reference accepts; numbers stay digit strings so nothing
 * overflows, and each scheme adds its own limits on top (internal).
 */
#ifndef XSIRT_VERSION_SEMVER_CORE_H
#define XSIRT_VERSION_SEMVER_CORE_H

#include <stddef.h>
#include <stdint.h>

#include "xsirt/error.h"

/* A parsed SemVer version: spans of the input string. */
typedef struct xsirt_semver {
    const char *num[3];     /* major, minor, patch: digit strings */
    size_t num_len[3];
    const char *pre;        /* pre-release without the '-'; NULL if none */
    size_t pre_len;
    const char *build;      /* build metadata without the '+'; NULL if none */
    size_t build_len;
    /* major, minor and patch packed 21 bits each when none has over six
     * digits (nearly always), so that most comparisons are one integer
     * comparison; XSIRT_SEMVER_NO_KEY otherwise. */
    uint64_t key;
} xsirt_semver;

#define XSIRT_SEMVER_NO_KEY UINT64_MAX

enum {
    /* Go's golang.org/x/mod/semver: "vMAJOR[.MINOR[.PATCH]]..." with the
     * shorthands vX and vX.Y (pre-release/build only after a full triple). */
    XSIRT_SEMVER_GO_SHORTHAND = 1u << 0
};

/* Parses s[0..len) as MAJOR.MINOR.PATCH[-PRE][+BUILD] (SemVer 2.0.0 rules:
 * no leading zeros in numbers or numeric pre-release identifiers, no empty
 * identifiers, [0-9A-Za-z-] only). base is s's offset in the whole version
 * (for error positions); scheme and whole name the version in messages. */
int xsirt_semver_parse(xsirt_semver *out, const char *s, size_t len, unsigned flags,
                       const char *scheme, const char *whole, size_t base,
                       xsirt_error *err);

/* How numeric pre-release identifiers compare. */
enum xsirt_semver_prenum {
    XSIRT_SEMVER_PRENUM_EXACT,  /* as integers of any size */
    XSIRT_SEMVER_PRENUM_NODE    /* as JavaScript numbers (IEEE doubles), and
                                 * an equal pair ends the comparison, as
                                 * node-semver's compareIdentifiers does */
};

/* -1/0/1 by SemVer precedence (build metadata ignored). */
int xsirt_semver_cmp(const xsirt_semver *a, const xsirt_semver *b,
                     enum xsirt_semver_prenum prenum);

/* The two orders as two-argument functions (parsed-version hooks). */
static inline int xsirt_semver_cmp_exact(const xsirt_semver *a, const xsirt_semver *b)
{
    return xsirt_semver_cmp(a, b, XSIRT_SEMVER_PRENUM_EXACT);
}

static inline int xsirt_semver_cmp_node(const xsirt_semver *a, const xsirt_semver *b)
{
    return xsirt_semver_cmp(a, b, XSIRT_SEMVER_PRENUM_NODE);
}

/* Digit strings compared as non-negative integers of any size. */
int xsirt_vdigits_cmp_any(const char *a, size_t alen, const char *b, size_t blen);

/* The same, inline for the commonest case (two one-digit numbers: most
 * version components), since every comparison of most schemes runs it. */
static inline int xsirt_vdigits_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
    if (alen == 1 && blen == 1)
        return (*a > *b) - (*a < *b);
    return xsirt_vdigits_cmp_any(a, alen, b, blen);
}

/* True when s[0..len) is all ASCII digits (and not empty). */
int xsirt_vall_digits(const char *s, size_t len);

/* Decodes one UTF-8 sequence at s[i] (i < len); returns its length and sets
 * *cp, or returns 0 for malformed input. */
size_t xsirt_vutf8_next(const char *s, size_t len, size_t i, uint32_t *cp);

/* Whitespace as each reference language trims it. */
enum xsirt_vspace_kind {
    XSIRT_VSPACE_JS,     /* String.prototype.trim */
    XSIRT_VSPACE_PYTHON, /* Python re's \s on str */
    XSIRT_VSPACE_DOTNET  /* String.Trim (char.IsWhiteSpace) */
};
int xsirt_vspace(uint32_t cp, enum xsirt_vspace_kind kind);

/* Trims s[0..*len) of leading and trailing whitespace of that kind: sets
 * *start and *end (byte offsets). Returns 0, or -1 on malformed UTF-8. */
int xsirt_vtrim(const char *s, size_t len, enum xsirt_vspace_kind kind, size_t *start,
                size_t *end);

/* Sets an XSIRT_EINVAL "SCHEME version "V": WHAT at byte N" error with the
 * column set; returns XSIRT_EINVAL. */
int xsirt_version_fail(xsirt_error *err, const char *scheme, const char *v, size_t pos,
                       const char *what);

/* Prefixes err with which of two compared versions failed. */
int xsirt_version_which(xsirt_error *err, int rc, int second);

#endif
