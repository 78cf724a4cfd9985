/*
 * feed.h — intelligence feeds as data: {"id","name","kind","url",
 * "interval","status","error","synced","records"}. kind is osv, cve5,
 * csaf, kev or epss; url is http(s):// or file://; interval is seconds
 * between syncs (the organisation's feed_defaults when not given).
 * Administrators add feeds; everyone authenticated reads them (they say
 * where intelligence comes from, nothing about the portfolio). Fetching
 * and indexing are the server's (src/server/feeds.c); this module keeps
 * the rows and the audit records.
 */
#ifndef XSIRT_FEED_H
#define XSIRT_FEED_H

#include <jansson.h>
#include <stdint.h>

#include "store/db.h"
#include "store/principal.h"
#include "store/store.h"

int xsirt_feed_create(json_t **out, xsirt_db *db, const xsirt_principal *by, const json_t *in,
                      xsirt_error *err);
int xsirt_feed_get(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                   xsirt_error *err);
/* {"items":[...],"next":null}: every feed (an organisation has a few). */
int xsirt_feed_list(json_t **out, xsirt_db *db, const xsirt_principal *by, xsirt_error *err);
/* One page of the feeds, for the API. */
int xsirt_feed_page(json_t **out, xsirt_db *db, const xsirt_principal *by, const xsirt_page *pg,
                    xsirt_error *err);

/* For the sync: the feed with its conditional-request state
 * ("etag","last_modified"), no permission check. */
int xsirt_feed_load(json_t **out, xsirt_db *db, int64_t id, xsirt_error *err);
/* Records how a sync of feed id went: error NULL for success (then etag,
 * last_modified and records are stored), else the reason (the rest is
 * kept). With its audit record, by the principal who asked. */
int xsirt_feed_record_sync(xsirt_db *db, const xsirt_principal *by, int64_t id,
                           const char *error, const char *etag, const char *last_modified,
                           int64_t records, const json_t *result, xsirt_error *err);

/* Every feed as [id, interval in seconds], by id: what a server's
 * scheduler needs to tell which are due for it (server/feeds.c keeps when
 * this server last synced each). */
int xsirt_feed_schedule(json_t **feeds, xsirt_db *db, xsirt_error *err);

/* The re-match journal (table rematch_pending). plan is
 * {"all":bool,"keys":{},"vulns":{},"enrich":[]}: what a sync must match
 * again, committed before its new index is put in place; *id names it.
 * A plan over XSIRT_LIMIT_REMATCH_PLAN is kept as {"all":true}. */
/* server names the index the plan follows (the data directory's,
 * server/feeds.c). */
int xsirt_feed_pending_add(int64_t *id, xsirt_db *db, const json_t *plan, const char *server,
                           xsirt_error *err);
/* The oldest plan not yet done of server, or of no server (written before
 * schema 22); *plan NULL and 0 when none. */
int xsirt_feed_pending_next(json_t **plan, int64_t *id, xsirt_db *db, const char *server,
                            xsirt_error *err);
/* The plan's re-match is committed: forget it. */
int xsirt_feed_pending_done(xsirt_db *db, int64_t id, xsirt_error *err);

#endif
