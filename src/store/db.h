/*
 * db.h — one small SQL interface over SQLite and PostgreSQL.
 *
 * The rest of the storage layer writes SQL once, with `?` placeholders and
 * bound parameters only (never SQL built from strings), and runs it on
 * either backend: SQLite for one server with an embedded database,
 * PostgreSQL when several servers share one. Results are copied into
 * memory (queries are paginated, so they are small), which keeps the two
 * backends' cursor lifetimes out of the callers' way.
 *
 * A connection is used by one thread at a time; the server keeps one per
 * worker thread.
 */
#ifndef XSIRT_DB_H
#define XSIRT_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xsirt/error.h"

typedef struct xsirt_db xsirt_db;
typedef struct xsirt_db_rows xsirt_db_rows;

enum xsirt_db_backend { XSIRT_DB_SQLITE, XSIRT_DB_POSTGRES };

enum xsirt_db_type { XSIRT_DB_NULL, XSIRT_DB_INT, XSIRT_DB_TEXT };

/* A bound parameter. Text is borrowed for the duration of the call. */
typedef struct xsirt_db_value {
    enum xsirt_db_type type;
    int64_t i;
    const char *s;
} xsirt_db_value;

#define XSIRT_DB_INTV(x) ((xsirt_db_value){XSIRT_DB_INT, (int64_t)(x), NULL})
/* A NULL string binds SQL NULL. A function, so that its argument is
 * evaluated once (an argument with a side effect, such as a dump that
 * allocates, must not run twice). */
static inline xsirt_db_value xsirt_db_textv(const char *x)
{
    return (xsirt_db_value){x != NULL ? XSIRT_DB_TEXT : XSIRT_DB_NULL, 0, x};
}
#define XSIRT_DB_TEXTV(x) xsirt_db_textv(x)
#define XSIRT_DB_NULLV ((xsirt_db_value){XSIRT_DB_NULL, 0, NULL})

/* Opens "postgres://..." / "postgresql://..." with libpq, anything else as
 * a SQLite file path (WAL, foreign keys on, synchronous FULL, busy timeout). */
int xsirt_db_open(xsirt_db **out, const char *target, xsirt_error *err);
void xsirt_db_close(xsirt_db *db);
enum xsirt_db_backend xsirt_db_backend_of(const xsirt_db *db);

/* True when the connection is lost for good (the PostgreSQL server went
 * away): the caller closes it and opens a new one. */
bool xsirt_db_broken(const xsirt_db *db);

/* A write transaction: BEGIN IMMEDIATE on SQLite (writers queue at the
 * start, not at the first write, so there are no upgrade deadlocks);
 * READ COMMITTED plus explicit row locks on PostgreSQL. */
int xsirt_db_begin(xsirt_db *db, xsirt_error *err);
/* A read-only transaction over one snapshot of the database (SQLite: a
 * deferred BEGIN, whose first read fixes the snapshot in WAL mode;
 * PostgreSQL: REPEATABLE READ): reads that must agree with each other
 * (the audit chain and its head) see no write that commits meanwhile.
 * Ended by xsirt_db_commit or xsirt_db_rollback; takes no writer lock. */
int xsirt_db_begin_read(xsirt_db *db, xsirt_error *err);
bool xsirt_db_in_transaction(const xsirt_db *db);
int xsirt_db_commit(xsirt_db *db, xsirt_error *err);
void xsirt_db_rollback(xsirt_db *db);

/* Runs one statement; *changes (may be NULL) gets the rows affected. */
int xsirt_db_exec(xsirt_db *db, const char *sql, const xsirt_db_value *params,
                  size_t nparams, int64_t *changes, xsirt_error *err);

/* Runs several statements without parameters (migrations). */
int xsirt_db_exec_script(xsirt_db *db, const char *sql, xsirt_error *err);

/* Runs one statement and copies its result rows. */
int xsirt_db_query(xsirt_db_rows **out, xsirt_db *db, const char *sql,
                   const xsirt_db_value *params, size_t nparams, xsirt_error *err);

size_t xsirt_db_rows_count(const xsirt_db_rows *rows);
size_t xsirt_db_rows_columns(const xsirt_db_rows *rows);
const char *xsirt_db_rows_name(const xsirt_db_rows *rows, size_t col);
/* NULL for SQL NULL; numbers come back as their decimal text. */
const char *xsirt_db_rows_text(const xsirt_db_rows *rows, size_t row, size_t col);
bool xsirt_db_rows_null(const xsirt_db_rows *rows, size_t row, size_t col);
/* The value as an integer; 0 for NULL or text that is not one. */
int64_t xsirt_db_rows_int(const xsirt_db_rows *rows, size_t row, size_t col);
void xsirt_db_rows_free(xsirt_db_rows *rows);

/* WAL checkpoints off the writers' threads (SQLite; nothing on PostgreSQL).
 * By default SQLite's commit that leaves the WAL past 1,000 pages copies
 * it into the database file there and then (two fsyncs and the pages'
 * writes, on the thread that committed: a request's, in the server). A
 * checkpointer is a thread with a connection of its own that does that
 * copy (PASSIVE: it never blocks a reader or a writer) when a connection
 * handed to it commits past that size. Durability is the same: a commit
 * is durable in the WAL (synchronous=FULL) before any checkpoint, and
 * after a kill the WAL is recovered whether or not it was copied. The WAL
 * stays bounded: a connection whose commit leaves it past
 * XSIRT_DB_WAL_BOUND_PAGES (the checkpointer behind, or readers holding
 * old snapshots) checkpoints on its own thread as before. Stopping the
 * checkpointer checkpoints once more. */
#define XSIRT_DB_WAL_BOUND_PAGES 10000

typedef struct xsirt_db_checkpointer xsirt_db_checkpointer;

typedef struct xsirt_db_checkpoint_stats {
    uint64_t wakes;      /* commits past 1,000 pages handed to the checkpointer */
    uint64_t runs;       /* checkpoints it ran */
    uint64_t inline_runs;   /* checkpoints run by a committing connection (past the bound) */
} xsirt_db_checkpoint_stats;

/* *out is NULL for a PostgreSQL target (its server checkpoints). */
int xsirt_db_checkpointer_start(xsirt_db_checkpointer **out, const char *target,
                                xsirt_error *err);
/* Hands db's checkpoints to cp, which must outlive db's commits; nothing
 * when either is NULL or db is not SQLite. */
void xsirt_db_checkpoint_by(xsirt_db *db, xsirt_db_checkpointer *cp);
void xsirt_db_checkpointer_stats(xsirt_db_checkpoint_stats *out, xsirt_db_checkpointer *cp);
/* A last checkpoint, then the thread ends; cp may be NULL. */
void xsirt_db_checkpointer_stop(xsirt_db_checkpointer *cp);

/* Convenience: the first column of the first row as an integer; returns
 * XSIRT_ENOTFOUND when there is no row. */
int xsirt_db_query_int(int64_t *out, xsirt_db *db, const char *sql,
                       const xsirt_db_value *params, size_t nparams, xsirt_error *err);

#endif
