/*
 * db_backend.h — what each database backend implements (internal to
 * src/store/db*.c). db.c holds the common parts: result rows, argument
 * checks, the dispatch; db_sqlite.c and db_postgres.c the drivers.
 */
#ifndef XSIRT_DB_BACKEND_H
#define XSIRT_DB_BACKEND_H

#include "store/db.h"

/* The text of a result's names and cells, in blocks that never move (the
 * cells point into them): a few allocations per result instead of one
 * per cell, which a read of a case (a hundred cells) felt. Not
 * core/arena: most results are a row or two, and its 64 KiB zeroed blocks
 * would cost more than the allocations they save. */
typedef struct xsirt_db_text_block {
    struct xsirt_db_text_block *next;
    size_t used, size;
    char data[];
} xsirt_db_text_block;

struct xsirt_db_rows {
    size_t nrows, ncols;
    size_t cap;      /* rows allocated */
    char **names;    /* ncols */
    char **cells;    /* nrows * ncols; NULL = SQL NULL */
    xsirt_db_text_block *text;   /* where names and cells point, newest first */
};

typedef struct xsirt_db_driver {
    enum xsirt_db_backend backend;
    int (*exec_script)(xsirt_db *db, const char *sql, xsirt_error *err);
    /* rows may be NULL when the caller wants no result. */
    int (*run)(xsirt_db *db, const char *sql, const xsirt_db_value *params,
               size_t nparams, xsirt_db_rows *rows, int64_t *changes, xsirt_error *err);
    void (*close)(xsirt_db *db);
    bool (*broken)(const xsirt_db *db);
} xsirt_db_driver;

struct xsirt_db {
    const xsirt_db_driver *driver;
    void *handle;        /* sqlite3 * or PGconn * */
    bool in_tx;
    bool read_tx;       /* in_tx opened by xsirt_db_begin_read: no writer lock */
};

/* Whether target names a PostgreSQL database (else it is a SQLite file). */
bool xsirt_db_target_postgres(const char *target);
int xsirt_db_sqlite_open(xsirt_db *db, const char *path, xsirt_error *err);
int xsirt_db_postgres_open(xsirt_db *db, const char *url, xsirt_error *err);

/* Appends one row of ncols cells (copied; NULL pointers stay NULL). */
int xsirt_db_rows_add(xsirt_db_rows *rows, const char *const *cells, xsirt_error *err);
int xsirt_db_rows_set_names(xsirt_db_rows *rows, size_t ncols, const char *const *names,
                            xsirt_error *err);

#endif
