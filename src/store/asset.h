/*
 * asset.h — assets: what a team protects. A product and its released
 * versions, an online service (the DSIRT's), an IT system (the CSIRT's),
 * an OT/ICS device (the FSIRT's) or a component; nested through "parent"
 * (a product and its versions, a plant and its lines) and depending on
 * each other through "depends_on" (a service on systems, other services,
 * external providers).
 *
 * An asset as JSON (the API's stable names):
 *   {"id","name","kind","version","parent","team","criticality","exposure",
 *    "labels":[...],"identifiers":{"cpe","purl"},"vendor","description",
 *    "depends_on":[ids],"sbom","created","updated","revision"}
 *
 * Who sees an asset: admins and the members (any role) of its owning team
 * or of a team above it, as for cases of the owning team (a corporate
 * PSIRT sees its sites' products). Assets carry no TLP: they are the
 * team's inventory. Who changes it: admins, and leads and members of the
 * owning team (viewers read). An asset one may not see does not exist for
 * them: XSIRT_ENOTFOUND. SBOMs and findings follow their asset's rules.
 */
#ifndef XSIRT_ASSET_H
#define XSIRT_ASSET_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"
#include "store/principal.h"
#include "store/query.h"
#include "store/store.h"

typedef struct xsirt_asset_filter {
    int64_t team;
    int64_t parent;
    const char *kind;
    const char *text;        /* in the name, case-insensitive */
    int64_t cursor;          /* the "next" of the previous page */
    int limit;               /* 1..200, default 50 */
} xsirt_asset_filter;

int xsirt_asset_create(json_t **out, xsirt_db *db, const xsirt_principal *by, const json_t *in,
                       xsirt_error *err);
int xsirt_asset_get(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                    xsirt_error *err);
/* Partial update; revision is the If-Match (0: none); stale: ECONFLICT. */
int xsirt_asset_update(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                       int64_t revision, const json_t *in, xsirt_error *err);
/* Deletes an asset with its SBOMs and findings; refused (ECONFLICT) while
 * other assets nest under it. */
int xsirt_asset_delete(xsirt_db *db, const xsirt_principal *by, int64_t id, xsirt_error *err);
int xsirt_asset_list(json_t **out, xsirt_db *db, const xsirt_principal *by,
                     const xsirt_asset_filter *filter, xsirt_error *err);

/* Which services and products depend, directly or through others, on an
 * asset, with their open findings: {"asset","dependents":[...],
 * "findings":[...],"next"}, the dependants paged by id (see docs/api.md). */
int xsirt_asset_impact(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                       const xsirt_page *pg, xsirt_error *err);

/* For the modules that hang off assets (SBOMs, findings): */

/* Starts a statement with the CTE "mine" (the teams whose assets by sees
 * as a member: theirs and every team below). */
void xsirt_asset_mine_cte(xsirt_query *q, const xsirt_principal *by);
/* Appends the visibility predicate on an asset alias ("a"): needs mine. */
void xsirt_asset_visible(xsirt_query *q, const xsirt_principal *by, const char *alias);
/* 0 when the asset exists and by may see it; XSIRT_ENOTFOUND otherwise. */
int xsirt_asset_check_visible(xsirt_db *db, const xsirt_principal *by, int64_t id,
                              xsirt_error *err);
/* Whether by may see asset id (a failed query counts as "no"). */
bool xsirt_asset_sees(xsirt_db *db, const xsirt_principal *by, int64_t id);
/* What by may not see appears nowhere: drops from asset a's depends_on the
 * assets hidden from by, and shows a hidden parent as null. */
void xsirt_asset_hide(json_t *a, xsirt_db *db, const xsirt_principal *by);
/* 0 when by may change the asset (seeing it first); XSIRT_EDENIED when
 * they only read it. */
int xsirt_asset_check_writable(xsirt_db *db, const xsirt_principal *by, int64_t id,
                               xsirt_error *err);

#endif
