/*
 * db.c — the backend-independent half of the SQL interface (db.h): opening
 * by URL, transactions, result rows and argument checks.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/checked.h"
#include "core/str.h"
#include "store/db_backend.h"

/* A result larger than this is a bug in a query (every list is paginated),
 * not something to hold in memory. */
#define DB_MAX_ROWS 1000000u

bool xsirt_db_target_postgres(const char *target)
{
    return strncmp(target, "postgres://", 11) == 0 || strncmp(target, "postgresql://", 13) == 0;
}

int xsirt_db_open(xsirt_db **out, const char *target, xsirt_error *err)
{
    xsirt_db *db;
    int rc;

    *out = NULL;
    if (target == NULL || target[0] == '\0')
        return xsirt_error_set(err, XSIRT_EINVAL, "no database given");
    db = calloc(1, sizeof *db);
    if (db == NULL)
        return xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    if (xsirt_db_target_postgres(target))
        rc = xsirt_db_postgres_open(db, target, err);
    else
        rc = xsirt_db_sqlite_open(db, target, err);
    if (rc != 0) {
        free(db);
        return rc;
    }
    *out = db;
    return 0;
}

void xsirt_db_close(xsirt_db *db)
{
    if (db == NULL)
        return;
    if (db->in_tx)
        xsirt_db_rollback(db);
    db->driver->close(db);
    free(db);
}

enum xsirt_db_backend xsirt_db_backend_of(const xsirt_db *db)
{
    return db->driver->backend;
}

/* SQLite has one writer at a time. Writers of this process queue on a
 * mutex instead of on SQLite's busy handler, whose sleeps (up to 100 ms
 * each) would otherwise dominate write latency under load. Other
 * processes on the same file still meet the busy handler. */
static pthread_mutex_t db_sqlite_writer = PTHREAD_MUTEX_INITIALIZER;

static void db_unlock_writer(xsirt_db *db)
{
    if (db->driver->backend == XSIRT_DB_SQLITE)
        pthread_mutex_unlock(&db_sqlite_writer);
}

bool xsirt_db_broken(const xsirt_db *db)
{
    return db->driver->broken(db);
}

int xsirt_db_begin(xsirt_db *db, xsirt_error *err)
{
    bool sqlite = db->driver->backend == XSIRT_DB_SQLITE;
    int rc;

    if (db->in_tx)
        return xsirt_error_set(err, XSIRT_EINTERNAL, "transaction already open");
    if (sqlite)
        pthread_mutex_lock(&db_sqlite_writer);
    rc = db->driver->run(db, sqlite ? "BEGIN IMMEDIATE" : "BEGIN", NULL, 0, NULL, NULL, err);
    if (rc == 0)
        db->in_tx = true;
    else
        db_unlock_writer(db);
    return rc;
}

int xsirt_db_begin_read(xsirt_db *db, xsirt_error *err)
{
    bool sqlite = db->driver->backend == XSIRT_DB_SQLITE;
    int rc;

    if (db->in_tx)
        return xsirt_error_set(err, XSIRT_EINTERNAL, "transaction already open");
    rc = db->driver->run(db, sqlite ? "BEGIN" : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
                         NULL, 0, NULL, NULL, err);
    if (rc == 0)
        db->in_tx = db->read_tx = true;
    return rc;
}

bool xsirt_db_in_transaction(const xsirt_db *db)
{
    return db->in_tx;
}

int xsirt_db_commit(xsirt_db *db, xsirt_error *err)
{
    int rc;

    if (!db->in_tx)
        return xsirt_error_set(err, XSIRT_EINTERNAL, "no transaction open");
    rc = db->driver->run(db, "COMMIT", NULL, 0, NULL, NULL, err);
    if (rc != 0) {
        xsirt_db_rollback(db);
        return rc;
    }
    db->in_tx = false;
    if (!db->read_tx)
        db_unlock_writer(db);
    db->read_tx = false;
    return 0;
}

void xsirt_db_rollback(xsirt_db *db)
{
    if (!db->in_tx)
        return;
    (void)db->driver->run(db, "ROLLBACK", NULL, 0, NULL, NULL, NULL);
    db->in_tx = false;
    if (!db->read_tx)
        db_unlock_writer(db);
    db->read_tx = false;
}

int xsirt_db_exec(xsirt_db *db, const char *sql, const xsirt_db_value *params,
                  size_t nparams, int64_t *changes, xsirt_error *err)
{
    if (changes != NULL)
        *changes = 0;
    return db->driver->run(db, sql, params, nparams, NULL, changes, err);
}

int xsirt_db_exec_script(xsirt_db *db, const char *sql, xsirt_error *err)
{
    return db->driver->exec_script(db, sql, err);
}

int xsirt_db_query(xsirt_db_rows **out, xsirt_db *db, const char *sql,
                   const xsirt_db_value *params, size_t nparams, xsirt_error *err)
{
    xsirt_db_rows *rows = calloc(1, sizeof *rows);
    int rc;

    *out = NULL;
    if (rows == NULL)
        return xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    rc = db->driver->run(db, sql, params, nparams, rows, NULL, err);
    if (rc != 0) {
        xsirt_db_rows_free(rows);
        return rc;
    }
    *out = rows;
    return 0;
}

int xsirt_db_query_int(int64_t *out, xsirt_db *db, const char *sql,
                       const xsirt_db_value *params, size_t nparams, xsirt_error *err)
{
    xsirt_db_rows *rows;
    int rc = xsirt_db_query(&rows, db, sql, params, nparams, err);

    if (rc != 0)
        return rc;
    if (rows->nrows == 0 || rows->ncols == 0) {
        xsirt_db_rows_free(rows);
        return xsirt_error_set(err, XSIRT_ENOTFOUND, "no row");
    }
    *out = xsirt_db_rows_int(rows, 0, 0);
    xsirt_db_rows_free(rows);
    return 0;
}

size_t xsirt_db_rows_count(const xsirt_db_rows *rows)
{
    return rows->nrows;
}

size_t xsirt_db_rows_columns(const xsirt_db_rows *rows)
{
    return rows->ncols;
}

const char *xsirt_db_rows_name(const xsirt_db_rows *rows, size_t col)
{
    return col < rows->ncols ? rows->names[col] : NULL;
}

const char *xsirt_db_rows_text(const xsirt_db_rows *rows, size_t row, size_t col)
{
    if (row >= rows->nrows || col >= rows->ncols)
        return NULL;
    return rows->cells[row * rows->ncols + col];
}

bool xsirt_db_rows_null(const xsirt_db_rows *rows, size_t row, size_t col)
{
    return xsirt_db_rows_text(rows, row, col) == NULL;
}

int64_t xsirt_db_rows_int(const xsirt_db_rows *rows, size_t row, size_t col)
{
    const char *s = xsirt_db_rows_text(rows, row, col);
    uint64_t v;
    bool neg;

    if (s == NULL)
        return 0;
    neg = s[0] == '-';
    if (xsirt_parse_u64(&v, s + neg, strlen(s + neg)) != 0 || v > (uint64_t)INT64_MAX)
        return 0;
    return neg ? -(int64_t)v : (int64_t)v;
}

void xsirt_db_rows_free(xsirt_db_rows *rows)
{
    if (rows == NULL)
        return;
    while (rows->text != NULL) {
        xsirt_db_text_block *b = rows->text;
        rows->text = b->next;
        free(b);
    }
    free(rows->names);
    free(rows->cells);
    free(rows);
}

/* Blocks double from under 1 KiB to 64 KiB; a longer text gets a block of
 * its own size. The first, with its header, stays within what glibc keeps
 * in its per-thread cache (1032 bytes): a larger request takes the slow
 * path and consolidates the free lists. */
#define DB_TEXT_FIRST 960u
#define DB_TEXT_MOST (64u * 1024u)

/* A copy of s[0..n) with its NUL in the rows' text blocks; NULL when out
 * of memory. */
static char *db_rows_copy(xsirt_db_rows *rows, const char *s, size_t n)
{
    xsirt_db_text_block *b = rows->text;
    char *p;

    if (b == NULL || b->size - b->used <= n) {
        size_t size = b == NULL ? DB_TEXT_FIRST : b->size < DB_TEXT_MOST ? b->size * 2 : DB_TEXT_MOST;
        size_t total;
        if (size <= n)
            size = n + 1;
        if (!xsirt_size_add(&total, sizeof *b, size) || (b = malloc(total)) == NULL)
            return NULL;
        b->next = rows->text;
        b->used = 0;
        b->size = size;
        rows->text = b;
    }
    p = b->data + b->used;
    memcpy(p, s, n);
    p[n] = '\0';
    b->used += n + 1;
    return p;
}

int xsirt_db_rows_set_names(xsirt_db_rows *rows, size_t ncols, const char *const *names,
                            xsirt_error *err)
{
    rows->names = xsirt_alloc_array(ncols, sizeof *rows->names);
    if (rows->names == NULL)
        return xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    for (size_t i = 0; i < ncols; i++) {
        rows->names[i] = db_rows_copy(rows, names[i], strlen(names[i]));
        if (rows->names[i] == NULL)
            return xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    }
    rows->ncols = ncols;
    return 0;
}

int xsirt_db_rows_add(xsirt_db_rows *rows, const char *const *cells, xsirt_error *err)
{
    size_t n, base = rows->nrows * rows->ncols;
    char **grown;

    if (rows->nrows >= DB_MAX_ROWS)
        return xsirt_error_set(err, XSIRT_ELIMIT, "query returned more than %u rows",
                               DB_MAX_ROWS);
    if (rows->nrows == rows->cap) {
        size_t cap = rows->cap ? rows->cap * 2 : 16;
        if (!xsirt_size_mul(&n, cap, rows->ncols ? rows->ncols : 1))
            return xsirt_error_set(err, XSIRT_ELIMIT, "result too large");
        grown = xsirt_realloc_array(rows->cells, n, sizeof *grown);
        if (grown == NULL)
            return xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
        rows->cells = grown;
        rows->cap = cap;
    }
    for (size_t c = 0; c < rows->ncols; c++) {
        rows->cells[base + c] = NULL;
        if (cells[c] != NULL &&
            (rows->cells[base + c] = db_rows_copy(rows, cells[c], strlen(cells[c]))) == NULL)
            return xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    }
    rows->nrows++;
    return 0;
}
