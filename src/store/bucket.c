/*
 * bucket.c — leaky buckets in the database (see bucket.h).
 *
 * A row holds the level in thousandths of an event, the time it was
 * computed and the time it will have drained empty (epoch milliseconds of
 * the wall clock, which every server on the database shares). Taking reads
 * the rows, computes in C and writes them back inside one transaction; on
 * PostgreSQL a transaction-scoped advisory lock per bucket (taken in a
 * fixed order) serialises processes that count the same bucket without
 * creating rows for refused events, and SQLite's BEGIN IMMEDIATE
 * serialises every writer anyway. Rows are written only for events that
 * are counted, and deleted once drained (each take deletes every drained
 * row; empty_at is indexed), so the table holds at most the buckets used
 * within the last burst × period seconds.
 */
#include <sodium.h>
#include <string.h>
#include <time.h>

#include "store/bucket.h"

#define BUCKET_MAX 4
#define BUCKET_UNIT 1000   /* thousandths of an event */

typedef struct bucket_row {
    char key[crypto_hash_sha256_BYTES * 2 + 1];
    int64_t lock;            /* PostgreSQL advisory lock id */
    int64_t level;           /* now, in thousandths */
} bucket_row;

static int64_t bucket_now_ms(void)
{
    struct timespec t;

    clock_gettime(CLOCK_REALTIME, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void bucket_hash(bucket_row *r, const char *key)
{
    unsigned char h[crypto_hash_sha256_BYTES];
    uint64_t lock;

    crypto_hash_sha256(h, (const unsigned char *)key, strlen(key));
    sodium_bin2hex(r->key, sizeof r->key, h, sizeof h);
    memcpy(&lock, h, sizeof lock);
    r->lock = (int64_t)(lock >> 1);
}

/* The level of r's row now (0 when there is none), drained at one
 * thousandth per period milliseconds. */
static int bucket_level(bucket_row *r, xsirt_db *db, unsigned period, int64_t now, xsirt_error *err)
{
    xsirt_db_value p[1] = {XSIRT_DB_TEXTV(r->key)};
    xsirt_db_rows *rows;
    int rc;

    r->level = 0;
    if ((rc = xsirt_db_query(&rows, db, "SELECT level, at_ms FROM throttle_buckets WHERE key = ?", p, 1,
                             err)) != 0)
        return rc;
    if (xsirt_db_rows_count(rows) == 1) {
        int64_t level = xsirt_db_rows_int(rows, 0, 0), at = xsirt_db_rows_int(rows, 0, 1);
        int64_t drained = now > at ? (now - at) / (int64_t)period : 0;
        r->level = level > drained ? level - drained : 0;
    }
    xsirt_db_rows_free(rows);
    return 0;
}

static int bucket_store(xsirt_db *db, const bucket_row *r, int64_t level, unsigned period, int64_t now,
                        xsirt_error *err)
{
    xsirt_db_value p[4] = {XSIRT_DB_TEXTV(r->key), XSIRT_DB_INTV(level), XSIRT_DB_INTV(now),
                           XSIRT_DB_INTV(now + level * (int64_t)period)};

    if (level <= 0)
        return xsirt_db_exec(db, "DELETE FROM throttle_buckets WHERE key = ?", p, 1, NULL, err);
    return xsirt_db_exec(db,
                         "INSERT INTO throttle_buckets (key, level, at_ms, empty_at_ms) VALUES (?, ?, ?, ?) "
                         "ON CONFLICT (key) DO UPDATE SET level = excluded.level, "
                         "at_ms = excluded.at_ms, empty_at_ms = excluded.empty_at_ms",
                         p, 4, NULL, err);
}

/* Serialises the buckets' users across processes (PostgreSQL; SQLite's
 * write transaction already does), locks taken in ascending order so that
 * two takers of the same pair cannot deadlock. */
static int bucket_lock(xsirt_db *db, bucket_row *rows, size_t n, xsirt_error *err)
{
    int64_t done = -1;

    if (xsirt_db_backend_of(db) != XSIRT_DB_POSTGRES)
        return 0;
    for (size_t k = 0; k < n; k++) {
        int64_t next = -1;
        int rc;
        for (size_t i = 0; i < n; i++)
            if (rows[i].lock > done && (next < 0 || rows[i].lock < next))
                next = rows[i].lock;
        if (next < 0)
            break;
        if ((rc = xsirt_db_exec(db, "SELECT pg_advisory_xact_lock(?)", &XSIRT_DB_INTV(next), 1, NULL,
                                err)) != 0)
            return rc;
        done = next;
    }
    return 0;
}

static int bucket_take_locked(unsigned *wait, xsirt_db *db, const xsirt_bucket *b, bucket_row *rows,
                              size_t n, xsirt_error *err)
{
    int64_t now = bucket_now_ms();
    int rc;

    *wait = 0;
    if ((rc = bucket_lock(db, rows, n, err)) != 0)
        return rc;
    for (size_t i = 0; i < n; i++) {
        int64_t over;
        if ((rc = bucket_level(&rows[i], db, b[i].period, now, err)) != 0)
            return rc;
        /* Thousandths above the burst once this event is counted, each
         * taking period milliseconds to drain: seconds, rounded up. */
        over = rows[i].level + BUCKET_UNIT - (int64_t)b[i].burst * BUCKET_UNIT;
        if (over > 0) {
            int64_t seconds = (over * (int64_t)b[i].period + 999) / 1000;
            if ((unsigned)seconds > *wait)
                *wait = seconds > 0 ? (unsigned)seconds : 1;
        }
    }
    if (*wait > 0)
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((rc = bucket_store(db, &rows[i], rows[i].level + BUCKET_UNIT, b[i].period, now, err)) != 0)
            return rc;
    return xsirt_db_exec(db, "DELETE FROM throttle_buckets WHERE empty_at_ms < ?", &XSIRT_DB_INTV(now), 1,
                         NULL, err);
}

int xsirt_bucket_take(unsigned *wait, xsirt_db *db, const xsirt_bucket *b, size_t n, xsirt_error *err)
{
    bucket_row rows[BUCKET_MAX];
    int rc;

    *wait = 0;
    if (n > BUCKET_MAX)
        return xsirt_error_set(err, XSIRT_EINTERNAL, "more than %d buckets at once", BUCKET_MAX);
    for (size_t i = 0; i < n; i++)
        bucket_hash(&rows[i], b[i].key);
    if ((rc = xsirt_db_begin(db, err)) != 0)
        return rc;
    if ((rc = bucket_take_locked(wait, db, b, rows, n, err)) != 0) {
        xsirt_db_rollback(db);
        return rc;
    }
    return xsirt_db_commit(db, err);
}

int xsirt_bucket_give(xsirt_db *db, const xsirt_bucket *b, bool empty, xsirt_error *err)
{
    bucket_row row;
    int64_t now = bucket_now_ms();
    int rc;

    bucket_hash(&row, b->key);
    if ((rc = xsirt_db_begin(db, err)) != 0)
        return rc;
    rc = bucket_lock(db, &row, 1, err);
    if (rc == 0 && !empty)
        rc = bucket_level(&row, db, b->period, now, err);
    if (rc == 0)
        rc = bucket_store(db, &row, empty ? 0 : row.level - BUCKET_UNIT, b->period, now, err);
    if (rc != 0) {
        xsirt_db_rollback(db);
        return rc;
    }
    return xsirt_db_commit(db, err);
}
