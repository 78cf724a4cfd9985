/*
 * vex.h — VEX documents (what a supplier says about whether a vulnerability
 * affects its products) read into one statement model, and applied to scan
 * findings: not_affected and fixed statements suppress a finding, affected
 * and under_investigation ones annotate it.
 *
 * Three formats are read, recognised from the content: OpenVEX (0.2.0 and
 * the earlier 0.0.x shape), CycloneDX VEX (a BOM's vulnerabilities[] with
 * analysis and affects, JSON or XML, through the SBOM reader) and CSAF VEX
 * (product_status with flags, threats and remediations, products resolved
 * to purls and CPEs by the CSAF reader of vuln.h). Justifications of the
 * three are mapped onto OpenVEX's five (CSAF uses the same five labels);
 * the one written is kept too. See docs/reports.md for the tables.
 */
#ifndef XSIRT_VEX_H
#define XSIRT_VEX_H

#include <stdbool.h>
#include <stddef.h>

#include "common.h"
#include "error.h"
#include "sbom.h"

typedef enum xsirt_vex_format {
    XSIRT_VEX_FORMAT_UNKNOWN = 0,
    XSIRT_VEX_OPENVEX,
    XSIRT_VEX_CYCLONEDX,
    XSIRT_VEX_CSAF
} xsirt_vex_format;

typedef enum xsirt_vex_status {
    XSIRT_VEX_NOT_AFFECTED = 1,
    XSIRT_VEX_AFFECTED,
    XSIRT_VEX_FIXED,
    XSIRT_VEX_UNDER_INVESTIGATION
} xsirt_vex_status;

/* OpenVEX's justifications (CSAF's flag labels are the same five). */
typedef enum xsirt_vex_justification {
    XSIRT_VEX_JUSTIFICATION_NONE = 0,
    XSIRT_VEX_COMPONENT_NOT_PRESENT,
    XSIRT_VEX_VULNERABLE_CODE_NOT_PRESENT,
    XSIRT_VEX_VULNERABLE_CODE_NOT_IN_EXECUTE_PATH,
    XSIRT_VEX_VULNERABLE_CODE_CANNOT_BE_CONTROLLED_BY_ADVERSARY,
    XSIRT_VEX_INLINE_MITIGATIONS_ALREADY_EXIST
} xsirt_vex_justification;

/* One statement: a status of one vulnerability for a set of products.
 * Product identifiers are strings as written: purls ("pkg:..."), CPEs
 * ("cpe:..."), CycloneDX bom-refs or BOM-links, other IRIs. For OpenVEX
 * subcomponents are the components inside the products the status is
 * about (a scan finding names them); when empty, the products are. */
typedef struct xsirt_vex_statement {
    const char *vulnerability;     /* "CVE-2023-1234" */
    const char **aliases;
    size_t n_aliases;
    const char **products;
    size_t n_products;
    const char **subcomponents;
    size_t n_subcomponents;
    /* CSAF products named only by vendor, product name and version (CISA):
     * "name:VENDOR:PRODUCT#VERS" / "family:VENDOR:PREFIX#VERS" (see
     * xsirt_vex_matcher_find); empty for other formats. */
    const char **names;
    size_t n_names;
    xsirt_vex_status status;
    xsirt_vex_justification justification;
    const char *justification_text; /* as written (CycloneDX's own names), or NULL */
    const char *impact;             /* impact_statement, analysis.detail, CSAF impact threat */
    const char *action;             /* action_statement, responses, CSAF remediations */
    const char *timestamp;          /* statement or document timestamp, or NULL */
} xsirt_vex_statement;

typedef struct xsirt_vex {
    xsirt_vex_format format;
    const char *id;                 /* @id, serialNumber, CSAF tracking id; or NULL */
    xsirt_vex_statement *statements;
    size_t count;
    struct xsirt_vex_store *store;  /* private */
} xsirt_vex;

/* Reads a VEX document of any of the three formats. A document that is
 * none of them is XSIRT_EUNSUPPORTED; a malformed one XSIRT_EINVAL with
 * the place (JSON pointer). A CSAF document of another category is read
 * too (its product_status are VEX statements all the same). */
XSIRT_API int xsirt_vex_parse(xsirt_vex **out, const char *data, size_t len, xsirt_error *err);
XSIRT_API void xsirt_vex_free(xsirt_vex *vex);

/* The VEX statements a CycloneDX SBOM carries itself (vulnerabilities[]
 * with analysis and affects), read as xsirt_vex_parse reads a CycloneDX
 * VEX document. The statements point into sbom, which must outlive *out.
 * An SBOM without vulnerabilities gives a document without statements. */
XSIRT_API int xsirt_vex_from_sbom(xsirt_vex **out, const xsirt_sbom *sbom, xsirt_error *err);

/* Recognises the format from the content; UNKNOWN when none. */
XSIRT_API xsirt_vex_format xsirt_vex_detect(const char *data, size_t len);

/* "openvex", "cyclonedx", "csaf", "unknown"; "not_affected", "affected",
 * "fixed", "under_investigation"; the OpenVEX justification names ("" for
 * NONE). */
XSIRT_API const char *xsirt_vex_format_name(xsirt_vex_format format);
XSIRT_API const char *xsirt_vex_status_name(xsirt_vex_status status);
XSIRT_API const char *xsirt_vex_justification_name(xsirt_vex_justification j);

/* The status and justification a name from any of the three formats means:
 * OpenVEX statuses, CycloneDX analysis states ("exploitable", "in_triage",
 * "resolved", "false_positive", ...), CSAF product_status keys
 * ("known_not_affected", "first_fixed", ...); OpenVEX/CSAF justifications
 * and CycloneDX's nine. XSIRT_ENOTFOUND for an unknown name. */
XSIRT_API int xsirt_vex_status_from(xsirt_vex_status *out, const char *name);
XSIRT_API int xsirt_vex_justification_from(xsirt_vex_justification *out, const char *name);

/* Whether a status suppresses a finding (not_affected, fixed) rather than
 * annotating it (affected, under_investigation). */
XSIRT_API bool xsirt_vex_suppresses(xsirt_vex_status status);

/* ---- which statement speaks of a finding ---- */

/* A finding as the applicability rule sees it: its vulnerability's id and
 * aliases, its component's identifiers (each may be NULL). */
typedef struct xsirt_vex_subject {
    const char *id;
    const char *const *aliases;
    size_t n_aliases;
    const char *purl;
    const char *cpe;
    const char *bom_ref;
    /* A component without identifiers (a device): its vendor, product
     * name and version, matched against CSAF products named only so
     * (below). May be NULL. */
    const char *vendor;
    const char *name;
    const char *version;
} xsirt_vex_subject;

/* A document's statements prepared for matching (purls parsed once).
 * vex must outlive the matcher. */
typedef struct xsirt_vex_matcher xsirt_vex_matcher;
XSIRT_API int xsirt_vex_matcher_new(xsirt_vex_matcher **out, const xsirt_vex *vex,
                                    xsirt_error *err);
XSIRT_API void xsirt_vex_matcher_free(xsirt_vex_matcher *m);

/* The statement that applies to s, or NULL. A statement applies when its
 * vulnerability or an alias equals s's id or one of its aliases, and one
 * of its subcomponents (else products) names s's component: purls
 * compared canonically, a statement purl leaving out the version,
 * qualifiers or subpath covering every one of them; a CPE, bom-ref or
 * other string compared exactly; a CSAF product named only by vendor,
 * product name and version (CISA's advisories) is held in the statement's
 * names as "name:VENDOR:PRODUCT#VERS" (normalised names, name.h;
 * "family:" for a family prefix; the version text read by
 * xsirt_vers_from_cisa) and applies to a component whose vendor and name normalise alike (or start
 * with the family) and whose version the range holds, the rule the scan
 * matches by. When several apply, the last in document
 * order wins. This is the one rule both xsirt_vex_apply (findings JSON)
 * and xsirt_match_apply_vex (match.h) use. */
XSIRT_API const xsirt_vex_statement *xsirt_vex_matcher_find(const xsirt_vex_matcher *m,
                                                            const xsirt_vex_subject *s);

/* Applies statements to findings JSON (the shape the report writers read,
 * docs/reports.md), by xsirt_vex_matcher_find's rule. not_affected and
 * fixed add "suppressedBy" to the finding; affected and
 * under_investigation add "vex" (a later document can lift an earlier
 * suppression). Both hold {status, justification, justificationText,
 * impact, action, vulnerability, format, document}. stats.findings,
 * stats.suppressed and stats.bySeverity are adjusted by the findings whose
 * suppression changed. Only the "findings" array is read (not the
 * "suppressed" array of `scan --format json --show-suppressed`). *out is
 * the findings JSON (free() it). */
XSIRT_API int xsirt_vex_apply(char **out, const char *findings_json, size_t len,
                              const xsirt_vex *vex, xsirt_error *err);

#endif
