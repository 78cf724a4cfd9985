/*
 * deferred_index.h — the two index entries an upload leaves for later
 * (schema 24): a component's in the name key index, a finding's in the
 * index by vulnerability.
 *
 * The idea (PostgreSQL's GIN "fast update", Lucene's segments): of the
 * trees an upload's rows enter, these two put each entry at a place of
 * its own across the whole portfolio, and the name key index is a
 * covering one, as wide as the row; the other trees take an upload's
 * rows at their end. Together they were a third of a 10,000-component
 * upload and most of its commit (docs/performance.md). So the upload
 * inserts its rows as pending (their flag 0, in a small partial index of
 * the pending rows, appended to: ids grow), answers, and the rows enter
 * the index in batches afterwards:
 * - on a thread of the server (server/indexer.c), soon after, between
 *   requests, in short transactions;
 * - at once, before anything reads the index: "which assets contain
 *   this?", a feed's selective re-match, its enrichment and the findings'
 *   vulnerability filter call xsirt_deferred_index_all first, then read
 *   the index with the flag's "= 1" (which lets the partial index serve
 *   them).
 * So no reader misses a row, and a request reads what the ones before it
 * wrote. Pending rows are committed data like any other: a crash leaves
 * them pending, and the next batch indexes them.
 */
#ifndef XSIRT_DEFERRED_INDEX_H
#define XSIRT_DEFERRED_INDEX_H

#include <stddef.h>
#include <stdint.h>

#include "store/db.h"

typedef enum xsirt_deferred {
    XSIRT_DEFERRED_COMPONENTS,   /* sbom_components.key_indexed: sbom_components_name_key */
    XSIRT_DEFERRED_FINDINGS,     /* findings.vuln_indexed: findings_vuln */
    XSIRT_DEFERRED_COUNT
} xsirt_deferred;

/* Rows a batch indexes, in one transaction: a few ms on SQLite, the
 * longest a writer that comes meanwhile waits for it. */
#define XSIRT_DEFERRED_BATCH 1000

/* Indexes up to most pending rows of one kind, oldest first, in one
 * transaction (or in the caller's, if one is open); *indexed says how
 * many. Takes no writer lock when none is pending. */
int xsirt_deferred_index_some(size_t *indexed, xsirt_db *db, xsirt_deferred which, size_t most,
                              xsirt_error *err);

/* Indexes every pending row of one kind, a batch a transaction: what a
 * reader of its index calls first. */
int xsirt_deferred_index_all(xsirt_db *db, xsirt_deferred which, xsirt_error *err);

/* The most rows of one kind left pending (counted from the oldest
 * pending id to the newest id): what a reader may have to index before
 * it reads, about 0.2 s on SQLite. Uploads that come faster than the
 * server indexes between requests index their own rows past it
 * (xsirt_deferred_index_backlog), as they did before schema 24. */
#define XSIRT_DEFERRED_BACKLOG_MAX 50000

/* After an upload that added `added` rows of one kind: past the backlog
 * limit, indexes that many (outside any transaction). */
int xsirt_deferred_index_backlog(xsirt_db *db, xsirt_deferred which, size_t added,
                                 xsirt_error *err);

/* How many rows of one kind are pending (tests, benchmarks). */
int xsirt_deferred_pending(int64_t *pending, xsirt_db *db, xsirt_deferred which,
                           xsirt_error *err);

#endif
