/*
 * finding.h — findings: a component of an asset affected by a
 * vulnerability record, with its triage (CycloneDX analysis), priority,
 * due date and history.
 *
 * A finding as JSON (the API's stable names):
 *   {"id","asset","sbom","component":{"name","version","purl","cpe"},
 *    "vulnerability":{"id","aliases","summary","cvss":{"score","vector"},
 *    "kev","epss"},"state","justification","response":[...],"detail",
 *    "priority","due","overdue","first_seen","last_seen","active","case",
 *    "carried_over":{"finding","asset"},"revision"}
 *
 * state is CycloneDX's analysis state (in_triage when new, exploitable,
 * resolved, false_positive, not_affected); justification and response
 * use CycloneDX's values. One finding exists per (asset, component at
 * its version, vulnerability): a newer SBOM of the same asset with the
 * same component updates it (its triage stays), and one the newer SBOM
 * no longer has becomes inactive, kept with its history. A new finding
 * starts with the decision of the newest decided finding on the same
 * component (any version) and vulnerability, of the same asset (an older
 * version of the component) or of a sibling (an asset with the same
 * parent: another version of the product), and says so in
 * "carried_over". A version that is no longer affected has no finding,
 * so nothing carries over to it.
 *
 * Findings are seen and changed by whoever sees and changes their asset
 * (asset.h).
 */
#ifndef XSIRT_FINDING_H
#define XSIRT_FINDING_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"
#include "store/principal.h"
#include "store/store.h"
#include "xsirt/match.h"

typedef struct xsirt_finding_filter {
    int64_t asset;           /* this asset and the assets nested under it */
    int64_t team;
    const char *state;
    const char *priority;
    int kev;                 /* -1: either */
    int active;              /* -1: either */
    const char *vulnerability;  /* an id or an alias */
    json_t *aliased;         /* ids of the records with vulnerability among their
                              * aliases (the server's index): only their findings
                              * are searched for it; NULL: every finding's aliases */
    const char *component;   /* a name, or a purl without version */
    int64_t cursor;
    int limit;               /* 1..200, default 50 */
} xsirt_finding_filter;

/* Records the findings of a scan of SBOM sbom_id of asset_id, inside the
 * caller's transaction: new ones (with priority, due date and any
 * decision carried over from a sibling), seen-again ones updated, and
 * those the SBOM no longer has made inactive. *count gets the number of
 * distinct findings of this SBOM. */
int xsirt_finding_record(size_t *count, xsirt_db *db, int64_t asset_id, int64_t sbom_id,
                         const xsirt_findings *f, xsirt_error *err);

/* The partial record after a feed sync, inside the caller's transaction:
 * f is a scan of some components of SBOM sbom_id (the asset's current
 * one) and vulns (a JSON object whose member names are vulnerability
 * ids: the records the sync added, changed or withdrew) the scope. Only
 * the (component, vulnerability) pairs of those components and those
 * vulnerabilities are touched: new ones inserted, gone ones made
 * inactive, changed ones updated (a finding the scan gives unchanged is
 * not written, so its last_seen stays); every other finding is left as it
 * is. A finding seen again whose priority changed takes the due date of
 * its new priority (here and in xsirt_finding_record). *count gets the
 * findings of the scope seen. */
int xsirt_finding_record_partial(size_t *count, xsirt_db *db, int64_t asset_id, int64_t sbom_id,
                                 const xsirt_findings *f, const json_t *vulns, xsirt_error *err);

/* The text of the vulnerabilities a scan found (aliases, summary, CVSS
 * vector: a property of the advisory, kept once per vulnerability id since
 * schema 20 and joined by every reader of a finding), inside the caller's
 * transaction: written where new or changed, the others only looked up.
 * scope: the vulnerability ids to write (a JSON object's member names),
 * NULL for all the scan's records with a finding. */
int xsirt_finding_vulnerabilities_put(xsirt_db *db, const xsirt_findings *f, const json_t *scope,
                                      xsirt_error *err);

/* A feed sync's records whose change is text only (summary, details,
 * dates, references: nothing a scan matches or a finding holds changed):
 * their vulnerabilities rows take the new aliases text, summary and
 * vector, in a transaction of their own; no finding is read or written,
 * and a vulnerability no finding names gets no row. */
int xsirt_finding_vulnerabilities_text(xsirt_db *db, const xsirt_match_record *records, size_t n,
                                       xsirt_error *err);

/* What a finding holds of its vulnerability (CVSS score, KEV, EPSS: its
 * text is the vulnerability's) as a short hash (16 hex digits; malloc'ed), kept in the
 * findings' fingerprint column when they are written from a scan (NULL
 * after a KEV or EPSS update in place). Equal fingerprints: recording the
 * scan would not change what the finding holds. A selective re-match
 * counts them (findings_vuln covers the column) to leave alone the
 * components whose findings a sync does not change. */
char *xsirt_finding_fingerprint(const xsirt_findings *f, const xsirt_finding *it);

/* After xsirt_finding_record, in the same transaction: how the findings
 * made by vendor and product name were matched (matchedBy "name", the
 * normalised vendor:product, the confidence). */
int xsirt_finding_record_match(xsirt_db *db, int64_t asset_id, const xsirt_findings *f,
                               xsirt_error *err);

/* After a feed sync whose records changed only in KEV or EPSS (records:
 * [{"id","kev","epss"}]): their findings take the new kev, epss and the
 * priority the rule gives, and a new due date when the priority changed;
 * nothing is matched again. One transaction per record. *count: the
 * findings updated. */
int xsirt_finding_enrich(size_t *count, xsirt_db *db, const json_t *records, xsirt_error *err);

int xsirt_finding_get(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                      xsirt_error *err);
/* A finding's history, paged oldest first ({"items","next"}); GET of the
 * finding carries the first page as "history" and "history_next". */
int xsirt_finding_history(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                          const xsirt_page *pg, xsirt_error *err);
int xsirt_finding_list(json_t **out, xsirt_db *db, const xsirt_principal *by,
                       const xsirt_finding_filter *filter, xsirt_error *err);
/* A decision {"state","justification","response","detail"} (partial);
 * revision is the If-Match (0: none; stale: ECONFLICT). */
int xsirt_finding_update(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                         int64_t revision, const json_t *in, xsirt_error *err);
/* The same decision on many: {"findings":[ids], "state", ...}; all or
 * none. *out is {"items":[findings]}. */
int xsirt_finding_triage(json_t **out, xsirt_db *db, const xsirt_principal *by, const json_t *in,
                         xsirt_error *err);

/* Whether by may see finding id (its asset); a failed query is "no". */
bool xsirt_finding_visible(xsirt_db *db, const xsirt_principal *by, int64_t id);
/* Whether by may see the portfolio object an audit record is about
 * (type "asset", "finding" or "sbom": its asset); true for other types. */
bool xsirt_finding_object_visible(xsirt_db *db, const xsirt_principal *by, const char *type,
                                  int64_t id);
/* What by may not see appears nowhere: in finding f, a hidden case reads
 * as null, and so do the finding and asset a decision was carried over
 * from when that asset is hidden (in "carried_over" and the history). */
void xsirt_finding_hide(json_t *f, xsirt_db *db, const xsirt_principal *by);

/* Cases: links the findings (ids, checked visible) to case_id inside the
 * caller's transaction (a finding already in another open case is
 * XSIRT_ECONFLICT naming it and, if by sees it, that case); and the
 * findings and assets of a case. */
int xsirt_finding_link_case(xsirt_db *db, const xsirt_principal *by, int64_t case_id,
                            const json_t *ids, xsirt_error *err);
int xsirt_finding_of_case(json_t **findings, json_t **assets, xsirt_db *db, int64_t case_id,
                          xsirt_error *err);
/* Closing a case as fixed: its findings in triage or exploitable become
 * resolved (response "update"), on their history (by the closer) and in
 * the audit log; inside the caller's transaction. */
int xsirt_finding_resolve_case(xsirt_db *db, const xsirt_principal *by, int64_t case_id,
                               xsirt_error *err);

/* The key that identifies a component: its purl without qualifiers and
 * subpath; else "cpe:" vendor:product; else "name:" its name; with
 * "@version" (purls: as written) when with_version, without it when not
 * (the component across its versions). Malloc'ed; NULL when too long. */
char *xsirt_finding_component_key(const char *name, const char *version, const char *purl,
                                  const char *cpe, bool with_version);

#endif
