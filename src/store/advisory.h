/*
 * advisory.h — advisories: a draft made from a case, edited, and
 * published as CSAF 2.0 revisions (profile csaf_security_advisory or
 * csaf_vex) built from the case, its findings and the portfolio's assets.
 * See docs/advisories.md.
 *
 * An advisory as JSON (the API's stable names):
 *   {"id","case","profile","title","tracking_id","status":"draft|final",
 *    "version","summary","notes":[...],"references":[...],"remediation",
 *    "cwes":{"<vulnerability id>":{"id","name"}},"revision_summary",
 *    "history":[{"date","number","summary"}],"published":n,
 *    "published_at","initial_release","tlp","created","updated",
 *    "revision"}
 *
 * Who sees and changes an advisory: whoever sees and changes its case
 * (case.h): an advisory follows its case's visibility and TLP, and the
 * document carries the case's TLP. One nobody may see does not exist for
 * them (XSIRT_ENOTFOUND).
 *
 * Versions follow CSAF 2.0 semantic versioning: "0.N.0" while a draft
 * that was never published (N counts its edits), "1.0.0" at the first
 * publication, "K.0.0" at the K-th; a published advisory edited again is
 * a draft of the next major version. Publishing refuses a document that
 * fails the validator (xsirt_csaf_validate_text).
 */
#ifndef XSIRT_ADVISORY_H
#define XSIRT_ADVISORY_H

#include <jansson.h>
#include <stdint.h>

#include "store/db.h"
#include "store/principal.h"
#include "store/store.h"

/* {"case", "profile"?, "title"?, "tracking_id"?, and any PATCH field}. */
int xsirt_advisory_create(json_t **out, xsirt_db *db, const xsirt_principal *by,
                          const json_t *in, xsirt_error *err);
int xsirt_advisory_get(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                       xsirt_error *err);
/* revision: the If-Match (stale: XSIRT_ECONFLICT). */
int xsirt_advisory_update(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                          int64_t revision, const json_t *in, xsirt_error *err);
int xsirt_advisory_list(json_t **out, xsirt_db *db, const xsirt_principal *by,
                        const xsirt_page *pg, xsirt_error *err);

/* The CSAF document: the published one while the advisory is final, else
 * the draft built now. */
int xsirt_advisory_csaf(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                        xsirt_error *err);

/* The CVE JSON 5 records of the advisory's CVEs, from its CSAF document
 * (formats/cve5_write.h): {"records":[...]}. XSIRT_ECONFLICT until the
 * cna_org_id setting is set. Every record is checked against the CVE 5
 * schema (formats/cve5_validate.h): when one fails, XSIRT_EINVAL and
 * *failures gets [{"record","path","message"}]. */
int xsirt_advisory_cve(json_t **out, json_t **failures, xsirt_db *db, const xsirt_principal *by,
                       int64_t id, xsirt_error *err);

/* Signs a document's text for the provider directory: *asc gets a
 * detached armoured OpenPGP signature (malloc'd). The store makes no
 * signatures itself (it has no key); the server passes one of these. */
typedef struct xsirt_advisory_signer {
    int (*sign)(char **asc, const char *text, void *ctx, xsirt_error *err);
    void *ctx;
} xsirt_advisory_signer;

/* The validator's verdict on the document publishing would write now
 * (xsirt_csaf_validate_text's object: {"valid","failures":[{"test",
 * "kind","path","message"}]}) with "version", the version it would get:
 * what the author fixes before publishing. */
int xsirt_advisory_validate(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                            xsirt_error *err);

/* Publishes the next revision. When the document fails the validator,
 * XSIRT_EINVAL and *failures gets the validator's result object; when the
 * organisation is a CNA (cna_org_id set) and a CVE record made from the
 * document would be invalid, XSIRT_EINVAL and *failures gets {"kind":
 * "cve","failures":[{"record","path","message"}]}. signer (may be NULL: no
 * signature) signs the document in the same transaction, so that a
 * published document always has the signature of its text; a signer
 * failing fails the publication. */
int xsirt_advisory_publish(json_t **out, json_t **failures, xsirt_db *db,
                           const xsirt_principal *by, int64_t id, int64_t revision,
                           const xsirt_advisory_signer *signer, xsirt_error *err);

/* The product statuses of a case, per vulnerability and product:
 *   {"<vulnerability id>":{"summary","cvss","products":{"<asset id>":
 *     {"status","justification","detail"}}}}
 * Today from the case's findings the caller may see; the vendors'
 * statements of the coordination module (issue 12 item 3) join here, and
 * only here. *assets gets the assets named, as xsirt_asset_get gives. */
int xsirt_advisory_statuses(json_t **out, json_t **assets, xsirt_db *db,
                            const xsirt_principal *by, int64_t case_id, xsirt_error *err);

/* The published advisories for the provider directory, one page:
 * {"items":[{"id","case_id","tracking_id","tlp" (CSAF's label, as published),
 * "published_at","initial_release","signed" (1 when it has a signature)}],
 * "next"}; and the text of one's
 * latest published document. No visibility check: the caller serves each
 * by its TLP. */
int xsirt_advisory_published(json_t **out, xsirt_db *db, const xsirt_page *pg, xsirt_error *err);
int xsirt_advisory_document(char **text, xsirt_db *db, int64_t id, xsirt_error *err);
/* Its detached signature (XSIRT_ENOTFOUND when it has none). */
int xsirt_advisory_signature(char **asc, xsirt_db *db, int64_t id, xsirt_error *err);
/* Signs, with signer, each published document without a signature (those
 * published before the organisation had a key); *count: how many. */
int xsirt_advisory_sign_missing(size_t *count, xsirt_db *db, const xsirt_advisory_signer *signer,
                                xsirt_error *err);

/* Shared with asset_vex.c's CSAF VEX: the document's publisher (the
 * csaf_publisher setting, else a vendor named by public_url) and, when
 * self_base is not NULL, public_url (malloc'ed, NULL when unset); and an
 * asset as a product of csaf_write.h's description ("CSAFPID-<id>"). */
int xsirt_advisory_publisher(json_t **out, char **self_base, xsirt_db *db, xsirt_error *err);
json_t *xsirt_advisory_product(const json_t *asset);
/* A finding's CycloneDX state as a CSAF product status (exploitable ->
 * known_affected, resolved -> fixed, in_triage -> under_investigation,
 * else known_not_affected); and a status's rank, higher for what a reader
 * must act on first (several components of one product: the highest). */
const char *xsirt_advisory_status_of(const char *state);
int xsirt_advisory_rank(const char *status);

#endif
