/*
 * feeds.h — syncing intelligence feeds (store/feed.h has the rows): fetch
 * a feed (file:// read in place; http(s):// through libcurl, conditional
 * on the last ETag / Last-Modified, bounded in size and time), build a new
 * index from every feed's source, swap it in for the server's (intel.h)
 * and match every asset's current SBOM again. A failed or corrupt
 * download changes nothing: the previous download and index stay, and
 * the feed says {"status":"error","error":...}; the next sync retries.
 * Syncs run one at a time (in a process, and across the processes on one
 * data directory). What a sync must match again is journalled
 * (store/feed.h, rematch_pending) before its index is put in place, so
 * that a server killed in between finishes it (xsirt_feeds_resume). What
 * each server keeps for itself is in feeds_local.h.
 */
#ifndef XSIRT_FEEDS_H
#define XSIRT_FEEDS_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "store/db.h"
#include "store/principal.h"

/* Syncs feed id (administrators). *out: {"feed","status","error"?,
 * "records","added","changed","withdrawn","assets","duration_ms"}. The
 * downloads live in the directory of the server's index file (DIR/feeds). */
int xsirt_feeds_sync(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                     xsirt_error *err);

/* Finishes the re-matches a sync journalled and did not commit (the
 * server stopped in between); *done: how many. At start, before serving
 * the findings, and at the start of every sync. */
int xsirt_feeds_resume(size_t *done, xsirt_db *db, xsirt_error *err);

/* The ids of the feeds due for a sync on this server: never synced here,
 * or synced here at least their interval ago (after a failure too: the
 * next sync retries). Another server's sync does not count
 * (feeds_local.h says why). */
int xsirt_feeds_due(json_t **ids, xsirt_db *db, xsirt_error *err);

#endif
