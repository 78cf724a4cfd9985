/*
 * sbom_store.h — SBOMs of assets in the server: an upload is read with
 * the same readers as `xsirt scan` (format detected by content), matched
 * at once against the server's intelligence index, and stored with its
 * components and findings in one transaction. Every upload is kept; the
 * newest is the asset's current SBOM. Components answer "which assets
 * contain this?" across the portfolio the caller may see.
 */
#ifndef XSIRT_SBOM_STORE_H
#define XSIRT_SBOM_STORE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/db.h"
#include "store/principal.h"
#include "store/store.h"
#include "xsirt/match.h"

/* A device asset (issue 15: kind "device", vendor, name, version; no
 * purl or CPE) is matched by name as a one-device inventory, recorded as
 * its SBOM of format "device", unless an SBOM or inventory was uploaded
 * to it. asset is the asset as the API shows it; other kinds: nothing. */
int xsirt_sbom_store_device(xsirt_db *db, const xsirt_principal *by, const json_t *asset,
                            const xsirt_match_index *idx, xsirt_error *err);

/* Reads data[0..len) as an SBOM of asset_id, matches it against idx (may
 * be NULL: no intelligence yet, no findings) and stores it. *out is
 * {"id","asset","format","components","findings"}. Bad documents are
 * XSIRT_EINVAL / XSIRT_EUNSUPPORTED with the reader's message and place;
 * too many components XSIRT_ELIMIT. */
int xsirt_sbom_store_upload(json_t **out, xsirt_db *db, const xsirt_principal *by,
                            int64_t asset_id, const char *data, size_t len,
                            const xsirt_match_index *idx, xsirt_error *err);

/* The SBOMs of an asset, newest first: {"items":[{"id","format",
 * "spec_version","serial","components","size","sha256","created",
 * "current"}],"next"}. */
int xsirt_sbom_store_list(json_t **out, xsirt_db *db, const xsirt_principal *by,
                          int64_t asset_id, const xsirt_page *pg, xsirt_error *err);

typedef struct xsirt_component_filter {
    const char *purl;        /* a purl: its version, if any, filters too */
    const char *name;
    const char *version;
    int64_t asset;           /* > 0: the components of this asset's current SBOM */
    int64_t cursor;
    int limit;               /* 1..200, default 50 */
} xsirt_component_filter;

/* Components of the current SBOMs of visible assets, by purl, name or
 * asset (at least one): {"items":[{"id",
 * "name","version","purl","cpe","sbom","asset":{"id","name","version",
 * "kind","team"}}],"next"}. */
int xsirt_sbom_store_components(json_t **out, xsirt_db *db, const xsirt_principal *by,
                                const xsirt_component_filter *filter, xsirt_error *err);

/* Matches current SBOMs again against idx (after the intelligence
 * changed) and records the findings: new ones appear, those no longer
 * matched (a withdrawn advisory, a changed range) become inactive. With
 * keys NULL (or vulns NULL) every asset is matched and recorded whole.
 * Otherwise only what the sync can change: keys (a JSON object whose
 * member names are name keys and vendor keys: the packages the added,
 * changed and withdrawn records name) select the components through the
 * inverted index from package to components, each distinct component is
 * scanned once, and only the assets holding one that a record of vulns
 * (a JSON object whose member names are those records' ids and their
 * aliases) matches now or matched before record those components again,
 * partially (xsirt_finding_record_partial): findings of other components
 * and other vulnerabilities are not touched. One transaction per asset.
 * *assets and *findings (may be NULL) get the assets recorded again and
 * the findings they saw. */
int xsirt_sbom_store_rematch(size_t *assets, size_t *findings, xsirt_db *db,
                             const xsirt_match_index *idx, const json_t *keys,
                             const json_t *vulns, xsirt_error *err);

/* The key under which a component is found by the packages an advisory
 * names: from a purl or a package name, the last path segment of the name
 * (after '/' or ':', so Maven's group:artifact, Go's module path and
 * npm's scope reduce to what a purl ends with), lower-cased, with '_' and
 * '.' as '-'. Names that differ only there share a key: a key selects a
 * superset, never less, of the components an advisory can affect. */
void xsirt_sbom_store_name_key(char *out, size_t outsz, const char *name_or_purl);

/* Schema 23: gives the components stored before it their name_alt (the
 * name's key where the component is filed under its purl's, and that
 * differs), a page of rows at a time; inside the migration's transaction. */
int xsirt_sbom_store_name_alt_fill(xsirt_db *db, xsirt_error *err);

/* The vendor key of a component or record: "v:" and the vendor as name.h
 * normalises it with the built-in aliases; from a CPE (cpe true: its vendor
 * attribute) or a vendor name. "" when there is none. The inverted index
 * for records that name products by CPE or by vendor and product: a feed
 * sync re-matches the assets with a component of that vendor. */
void xsirt_sbom_store_vendor_key(char *out, size_t outsz, const char *vendor, bool cpe);

#endif
