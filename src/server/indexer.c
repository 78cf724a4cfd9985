/*
 * indexer.c — the server's thread that enters an upload's components and
 * findings in the indexes it left for later (see indexer.h and
 * store/deferred_index.h).
 *
 * It looks four times a second whether rows are pending (a read of their
 * partial index: microseconds, no lock) and indexes them a batch a
 * transaction, once the server has handled no request for INDEXER_QUIET_MS:
 * on SQLite a batch holds the one writer's lock, and a request that came
 * meanwhile would wait for it; and the machine's cores would be shared
 * with the client that just got its answer and is sending the next
 * request of a sequence (a script, a pipeline). A batch still
 * goes when INDEXER_PATIENCE_MS have passed without one while rows were
 * pending, so that a server never idle still indexes; uploads that come
 * faster than that index their own rows past a bound (deferred_index.h).
 * After a batch, the next follows at once if the server is still quiet,
 * else after a pause longer than a batch takes: a SQLite writer waiting in its
 * busy handler sleeps and retries, and would otherwise find the next
 * batch holding the lock again. Readers of the indexes never wait for
 * this thread: they index what is pending themselves first.
 */
#include <stdio.h>
#include <time.h>

#include "server/indexer.h"
#include "server/server.h"
#include "store/db.h"
#include "store/deferred_index.h"

/* The pauses: when nothing was pending, between two batches while a
 * request is in hand, and between two batches otherwise. */
#define INDEXER_IDLE_MS 250
#define INDEXER_YIELD_MS 15
#define INDEXER_NEXT_MS 1
/* How often it looks again while the server is busy, and how long at
 * most it defers to requests. */
#define INDEXER_BUSY_MS 5
#define INDEXER_PATIENCE_MS 250
#define INDEXER_QUIET_MS 50

static void indexer_pause(long ms)
{
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};

    nanosleep(&t, NULL);
}

void *xsirt_indexer_main(void *arg)
{
    const xsirt_indexer *w = arg;
    xsirt_db *db = NULL;
    long deferred = 0;   /* ms spent deferring to requests since the last batch */

    while (!*w->stop) {
        xsirt_error err;
        size_t n = 0;
        if (xsirt_server_quiet_ms() < INDEXER_QUIET_MS && deferred < INDEXER_PATIENCE_MS) {
            indexer_pause(INDEXER_BUSY_MS);
            deferred += INDEXER_BUSY_MS;
            continue;
        }
        deferred = 0;
        if (db == NULL && xsirt_db_open(&db, w->target, &err) != 0)
            db = NULL;
        /* Components first: "which assets contain this?" is asked the most. */
        for (int k = 0; db != NULL && k < XSIRT_DEFERRED_COUNT && n == 0; k++)
            if (xsirt_deferred_index_some(&n, db, (xsirt_deferred)k, XSIRT_DEFERRED_BATCH,
                                          &err) != 0) {
                fprintf(stderr, "xsirt: indexing an upload: %s\n", err.message);
                xsirt_db_close(db);   /* a lost connection: open a new one */
                db = NULL;
            }
        /* More to do: at once if nobody waits, else after a pause. */
        indexer_pause(n == 0 ? INDEXER_IDLE_MS
                             : xsirt_server_quiet_ms() < INDEXER_QUIET_MS ? INDEXER_YIELD_MS
                                                                          : INDEXER_NEXT_MS);
    }
    xsirt_db_close(db);
    return NULL;
}
