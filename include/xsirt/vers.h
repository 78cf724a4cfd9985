/*
 * vers.h — version ranges in the vers notation (github.com/package-url/
 * vers-spec): "vers:npm/>=1.0.0|<2.0.0|!=1.5.0|3.0.0".
 *
 * Ranges are parsed strictly (canonical input only, as the spec requires)
 * or leniently (whitespace, stray pipes, any order, then sorted), tested for
 * containment with the type's version scheme (xsirt/version.h), and
 * canonicalised: sorted, de-duplicated and simplified into the shortest
 * list of constraints with the same meaning. Ranges can also be built from
 * OSV range events and from CVE JSON 5 `versions` entries; those builders
 * take plain structs (the caller reads the documents).
 */
#ifndef XSIRT_VERS_H
#define XSIRT_VERS_H

#include <stdbool.h>
#include <stddef.h>

#include "common.h"
#include "error.h"
#include "version.h"

typedef enum xsirt_vers_op {
    XSIRT_VERS_EQ,    /* "1.0" */
    XSIRT_VERS_NE,    /* "!=1.0" */
    XSIRT_VERS_LT,    /* "<1.0" */
    XSIRT_VERS_LE,    /* "<=1.0" */
    XSIRT_VERS_GT,    /* ">1.0" */
    XSIRT_VERS_GE,    /* ">=1.0" */
    XSIRT_VERS_ANY    /* "*": every version; alone */
} xsirt_vers_op;

typedef struct xsirt_vers_constraint {
    xsirt_vers_op op;
    char *version;    /* percent-decoded; NULL for XSIRT_VERS_ANY */
} xsirt_vers_constraint;

typedef struct xsirt_vers {
    char *type;                              /* lower case */
    const xsirt_version_scheme *scheme;      /* xsirt_version_scheme_find(type) */
    xsirt_vers_constraint *constraints;
    size_t count;                            /* 0: no version at all (builders) */
} xsirt_vers;

/* Parse flags. By default only canonical input is accepted (no whitespace,
 * no empty constraint, sorted unique versions, valid comparator sequence,
 * canonical percent-encoding), as the spec says. XSIRT_VERS_LENIENT accepts
 * and removes whitespace and empty constraints, any case in "vers:TYPE",
 * any percent-encoding, and sorts the constraints by version (stable;
 * nothing is merged: see xsirt_vers_simplify). */
#define XSIRT_VERS_LENIENT 1u
/* With XSIRT_VERS_LENIENT: the constraints are already in version order (a
 * range this library wrote, as an index holds), so they are not sorted
 * again. Sorting compares versions; a scan parses thousands of ranges. */
#define XSIRT_VERS_ORDERED 2u

XSIRT_API void xsirt_vers_free(xsirt_vers *vers);

/* Parses s[0..len) into *out (initialised here). The type must have a
 * version scheme (XSIRT_ENOTFOUND otherwise: order cannot be checked).
 * Versions are checked by the scheme when they are compared (ordering
 * here, containment later), so a lone version the scheme rejects parses
 * (the spec's tests expect "vers:npm/1.0%252F0" to). Errors: XSIRT_EINVAL, XSIRT_ELIMIT
 * (XSIRT_LIMIT_IDENTIFIER bytes, XSIRT_LIMIT_VERS_CONSTRAINTS constraints),
 * XSIRT_ENOTFOUND, XSIRT_ENOMEM. */
XSIRT_API int xsirt_vers_parse(xsirt_vers *out, const char *s, size_t len, unsigned flags,
                               xsirt_error *err);

/* The vers string of *vers, constraints in their current order (free()). */
XSIRT_API int xsirt_vers_to_string(char **out, const xsirt_vers *vers, xsirt_error *err);

/* Rewrites the constraints as the canonical, simplest list with the same
 * set of versions: sorted, each version once, no redundant constraint,
 * "*" for every version; count 0 when no version is in the range. */
XSIRT_API int xsirt_vers_simplify(xsirt_vers *vers, xsirt_error *err);

/* Lenient parse + simplify + to_string. */
XSIRT_API int xsirt_vers_canonical(char **out, const char *s, size_t len, xsirt_error *err);

/* *out = whether version is in the range (the spec's algorithm; a range of
 * only "!=" constraints holds every other version). Errors come from the
 * scheme (invalid version). */
XSIRT_API int xsirt_vers_contains(bool *out, const xsirt_vers *vers, const char *version,
                                  xsirt_error *err);

/* ---- many tests against one range ---- */

/* A range with every version in it parsed once, for matching: testing a
 * parsed version against it parses nothing and allocates nothing. */
typedef struct xsirt_vers_prepared xsirt_vers_prepared;

/* Takes *vers over (leaving it empty) and parses its versions with its
 * scheme. A version the scheme rejects is kept unparsed: a test that needs
 * it fails as xsirt_vers_contains would. Errors: XSIRT_ENOTFOUND (no
 * scheme), XSIRT_ENOMEM. */
XSIRT_API int xsirt_vers_prepare(xsirt_vers_prepared **out, xsirt_vers *vers, xsirt_error *err);
/* The same from a range's parts, count constraints (ops[i], versions[i];
 * NULL for "*"), in version order: one allocation, nothing parsed as
 * text. versions must outlive *out. Errors: XSIRT_ENOTFOUND (scheme
 * NULL), XSIRT_ELIMIT (XSIRT_LIMIT_VERS_CONSTRAINTS), XSIRT_ENOMEM. */
XSIRT_API int xsirt_vers_prepare_parts(xsirt_vers_prepared **out,
                                       const xsirt_version_scheme *scheme,
                                       const xsirt_vers_op *ops, const char *const *versions,
                                       size_t count, xsirt_error *err);
/* The same in the caller's memory, for callers that keep many ranges in
 * blocks of their own (a scanner's arena): mem is aligned for any type and
 * holds xsirt_vers_prepared_size bytes (bounded: the count and the version
 * lengths are); xsirt_vers_prepared_free leaves it alone. */
XSIRT_API size_t xsirt_vers_prepared_size(const xsirt_version_scheme *scheme,
                                          const char *const *versions, size_t count);
XSIRT_API int xsirt_vers_prepare_parts_at(xsirt_vers_prepared **out, void *mem,
                                          const xsirt_version_scheme *scheme,
                                          const xsirt_vers_op *ops, const char *const *versions,
                                          size_t count, xsirt_error *err);
XSIRT_API void xsirt_vers_prepared_free(xsirt_vers_prepared *p);
XSIRT_API const xsirt_vers *xsirt_vers_prepared_range(const xsirt_vers_prepared *p);

/* As xsirt_vers_contains, for a version parsed in the range's scheme
 * (XSIRT_EINVAL for a version of another scheme). */
XSIRT_API int xsirt_vers_prepared_contains(bool *out, const xsirt_vers_prepared *p,
                                           const xsirt_version *version, xsirt_error *err);

/* ---- builders ---- */

typedef enum xsirt_osv_event_kind {
    XSIRT_OSV_INTRODUCED,
    XSIRT_OSV_FIXED,
    XSIRT_OSV_LAST_AFFECTED,
    XSIRT_OSV_LIMIT
} xsirt_osv_event_kind;

typedef struct xsirt_osv_event {
    xsirt_osv_event_kind kind;
    const char *version;   /* introduced "0": from the first version */
} xsirt_osv_event;

/* The affected versions of one OSV range (type ECOSYSTEM or SEMVER) as a
 * simplified vers of type `type`: events are ordered by version and walked
 * as the OSV spec says (introduced opens, fixed closes before, last_affected
 * closes after, versions at or above the lowest limit are excluded). A
 * range that begins with fixed or last_affected is affected from the first
 * version. Several introduced/fixed pairs give several intervals. */
XSIRT_API int xsirt_vers_from_osv(xsirt_vers *out, const char *type, const xsirt_osv_event *events,
                                  size_t count, xsirt_error *err);

typedef enum xsirt_cve_status {
    XSIRT_CVE_UNKNOWN,
    XSIRT_CVE_AFFECTED,
    XSIRT_CVE_UNAFFECTED
} xsirt_cve_status;

typedef struct xsirt_cve_change {
    const char *at;
    xsirt_cve_status status;
} xsirt_cve_change;

/* One CVE JSON 5 affected[].versions[] entry. version "0" as the start of a
 * range means from the first version; less_than "*" means no upper bound;
 * a less_than_or_equal ending in ".*" ("5.10.*") means below the next
 * prefix ("<5.11"). */
typedef struct xsirt_cve_version {
    const char *version;
    xsirt_cve_status status;
    const char *less_than;            /* NULL when absent */
    const char *less_than_or_equal;   /* NULL when absent */
    const xsirt_cve_change *changes;
    size_t nchanges;
} xsirt_cve_version;

/* The affected versions of one affected[] product as a simplified vers.
 * A version's status is that of the entries covering it (within a range,
 * the last change at or below it, else the entry's status); when entries
 * disagree, "affected" wins over "unaffected", which wins over "unknown"
 * (a security tool should not miss an affected version); a version no
 * entry covers has default_status. Only "affected" versions are in the
 * result (count 0 when none). */
XSIRT_API int xsirt_vers_from_cve(xsirt_vers *out, const char *type,
                                  const xsirt_cve_version *versions, size_t count,
                                  xsirt_cve_status default_status, xsirt_error *err);

/* ---- ecosystems' native range syntaxes ---- */

/* The range `native`, written in the syntax of `scheme`'s ecosystem, as a
 * simplified vers of that type (*out initialised here; count 0 when the
 * range holds no version, which has no vers form): npm (node-semver
 * ranges), pypi (PEP 440 specifiers), gem (RubyGems requirements), nuget
 * and maven (interval notation), composer, conan, golang and cargo
 * (VersionReq); GitLab's "||" alternatives are accepted where the native
 * syntax has none. The meaning is the order meaning of the comparators the
 * ecosystem desugars the range into (docs/identifiers.md lists the rules
 * that are not about order and so are not kept). Errors: XSIRT_ENOTFOUND
 * (no such version scheme), XSIRT_EUNSUPPORTED (no native syntax for it),
 * XSIRT_EINVAL (with the byte where parsing stopped), XSIRT_ELIMIT
 * (XSIRT_LIMIT_IDENTIFIER bytes, XSIRT_LIMIT_VERS_CONSTRAINTS
 * comparators), XSIRT_ENOMEM. */
XSIRT_API int xsirt_vers_from_native(xsirt_vers *out, const char *scheme, const char *native,
                                     xsirt_error *err);

/* The schemes xsirt_vers_from_native() reads, for listings: index 0, 1,
 * ... until NULL. */
XSIRT_API const char *xsirt_vers_native_scheme_at(size_t index);

/* ---- CISA's product versions ---- */

/* A CSAF product_version or product_version_range as CISA's ICS advisories
 * write them ("vers:all/" and a star, "All versions < V1.04.01", ">= 1.0 | <= 1.32",
 * ">=A <B", "NMC2 <= 6.9.6", "2.4.X", "< V17 Update 5", "1.00 | 1.04"; the
 * grammar is in docs/versions.md) as a simplified vers of type "firmware"
 * (*out initialised here). product (may be NULL) is the product's name:
 * its words before a version are dropped. Errors: XSIRT_EINVAL "version
 * text not understood: ..." with err->column at the byte, XSIRT_ELIMIT,
 * XSIRT_ENOMEM. */
XSIRT_API int xsirt_vers_from_cisa(xsirt_vers *out, const char *text, const char *product,
                                   xsirt_error *err);

#endif
