/*
 * db_postgres.c — the PostgreSQL driver of db.h (libpq).
 *
 * The storage layer writes `?` placeholders; PostgreSQL wants $1, $2, ...
 * so statements are rewritten once here, skipping string literals and
 * quoted identifiers. Parameters are always sent separately from the SQL
 * text (PQexecParams), never interpolated.
 */
#include <inttypes.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "store/db_backend.h"

/* Longest SQL statement the storage layer writes, with room to spare. */
#define PG_MAX_SQL (256u * 1024u)
#define PG_MAX_PARAMS 256u

static int pg_error(PGconn *c, const PGresult *res, const char *what, xsirt_error *err)
{
    const char *state = res != NULL ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *msg = res != NULL ? PQresultErrorMessage(res) : PQerrorMessage(c);
    int code = XSIRT_EINTERNAL;
    char clean[XSIRT_ERROR_MESSAGE_MAX];
    size_t n;

    if (state != NULL && strncmp(state, "23", 2) == 0)
        code = XSIRT_ECONFLICT;          /* integrity constraint */
    else if (state != NULL && (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0))
        code = XSIRT_ECONFLICT;          /* serialization failure, deadlock */
    else if (PQstatus(c) != CONNECTION_OK)
        code = XSIRT_EIO;
    snprintf(clean, sizeof clean, "%s", msg != NULL ? msg : "unknown error");
    n = strlen(clean);
    while (n > 0 && (clean[n - 1] == '\n' || clean[n - 1] == ' '))
        clean[--n] = '\0';
    return xsirt_error_set(err, code, "postgres: %s: %s", what, clean);
}

/* Rewrites ? placeholders to $n outside literals and quoted identifiers. */
static int pg_rewrite(xsirt_buf *out, const char *sql, size_t *nplaceholders)
{
    char quote = 0;
    size_t n = 0;
    int rc = 0;

    for (const char *p = sql; *p != '\0' && rc == 0; p++) {
        if (quote != 0) {
            if (*p == quote)
                quote = 0;         /* '' and "" re-open at once: harmless */
            rc = xsirt_buf_putc(out, *p);
        } else if (*p == '\'' || *p == '"') {
            quote = *p;
            rc = xsirt_buf_putc(out, *p);
        } else if (*p == '?') {
            rc = xsirt_buf_printf(out, "$%zu", ++n);
        } else {
            rc = xsirt_buf_putc(out, *p);
        }
    }
    *nplaceholders = n;
    return rc;
}

static int pg_exec_script(xsirt_db *db, const char *sql, xsirt_error *err)
{
    PGresult *res = PQexec(db->handle, sql);
    int rc = 0;

    if (PQresultStatus(res) != PGRES_COMMAND_OK && PQresultStatus(res) != PGRES_TUPLES_OK)
        rc = pg_error(db->handle, res, "script", err);
    PQclear(res);
    return rc;
}

static int pg_collect(PGresult *res, xsirt_db_rows *rows, xsirt_error *err)
{
    size_t ncols = (size_t)PQnfields(res), nrows = (size_t)PQntuples(res);
    const char *cells[256];

    if (ncols > 256)
        return xsirt_error_set(err, XSIRT_EINTERNAL, "query has more than 256 columns");
    for (size_t c = 0; c < ncols; c++)
        cells[c] = PQfname(res, (int)c);
    if (xsirt_db_rows_set_names(rows, ncols, cells, err) != 0)
        return XSIRT_ENOMEM;
    for (size_t r = 0; r < nrows; r++) {
        int rc;
        for (size_t c = 0; c < ncols; c++)
            cells[c] = PQgetisnull(res, (int)r, (int)c) ? NULL : PQgetvalue(res, (int)r, (int)c);
        if ((rc = xsirt_db_rows_add(rows, cells, err)) != 0)
            return rc;
    }
    return 0;
}

static int pg_run(xsirt_db *db, const char *sql, const xsirt_db_value *params,
                  size_t nparams, xsirt_db_rows *rows, int64_t *changes, xsirt_error *err)
{
    const char *values[PG_MAX_PARAMS];
    char numbers[PG_MAX_PARAMS][24];
    xsirt_buf text;
    size_t nph;
    PGresult *res;
    ExecStatusType st;
    int rc = 0;

    if (nparams > PG_MAX_PARAMS)
        return xsirt_error_set(err, XSIRT_EINTERNAL, "more than %u parameters", PG_MAX_PARAMS);
    xsirt_buf_init(&text, PG_MAX_SQL);
    if (pg_rewrite(&text, sql, &nph) != 0) {
        xsirt_buf_free(&text);
        return xsirt_error_set(err, XSIRT_ELIMIT, "statement too long");
    }
    if (nph != nparams) {
        xsirt_buf_free(&text);
        return xsirt_error_set(err, XSIRT_EINTERNAL, "postgres: %zu parameters expected, %zu given",
                               nph, nparams);
    }
    for (size_t i = 0; i < nparams; i++) {
        if (params[i].type == XSIRT_DB_INT) {
            snprintf(numbers[i], sizeof numbers[i], "%" PRId64, params[i].i);
            values[i] = numbers[i];
        } else {
            values[i] = params[i].type == XSIRT_DB_TEXT ? params[i].s : NULL;
        }
    }
    res = PQexecParams(db->handle, xsirt_buf_cstr(&text), (int)nparams, NULL, values, NULL,
                       NULL, 0);
    xsirt_buf_free(&text);
    st = PQresultStatus(res);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
        rc = pg_error(db->handle, res, "query", err);
    else if (rows != NULL)
        rc = pg_collect(res, rows, err);
    if (rc == 0 && changes != NULL) {
        const char *t = PQcmdTuples(res);
        *changes = (t != NULL && t[0] != '\0') ? strtoll(t, NULL, 10) : 0;
    }
    PQclear(res);
    return rc;
}

static void pg_close(xsirt_db *db)
{
    PQfinish(db->handle);
}

/* A restarted server has closed the socket of every connection it had; a
 * connection learns it only by reading. Reading what is there (nothing to
 * wait for: libpq's socket does not block) lets the caller reconnect
 * before a statement fails on a dead connection and answers 503. Twice:
 * the first read may only take the server's farewell message, the second
 * then meets the end of the stream. */
static bool pg_broken(const xsirt_db *db)
{
    for (int i = 0; i < 2 && PQstatus(db->handle) == CONNECTION_OK; i++)
        if (!PQconsumeInput(db->handle))
            break;
    return PQstatus(db->handle) != CONNECTION_OK;
}

static const xsirt_db_driver pg_driver = {
    XSIRT_DB_POSTGRES, pg_exec_script, pg_run, pg_close, pg_broken,
};

static void pg_quiet(void *arg, const char *message)
{
    (void)arg;
    (void)message;   /* NOTICEs (e.g. "relation exists, skipping") are not errors */
}

int xsirt_db_postgres_open(xsirt_db *db, const char *url, xsirt_error *err)
{
    PGconn *c = PQconnectdb(url);

    if (c == NULL)
        return xsirt_error_set(err, XSIRT_ENOMEM, "postgres: out of memory");
    if (PQstatus(c) != CONNECTION_OK) {
        pg_error(c, NULL, "connect", err);
        PQfinish(c);
        return XSIRT_EIO;
    }
    PQsetNoticeProcessor(c, pg_quiet, NULL);
    db->driver = &pg_driver;
    db->handle = c;
    return pg_exec_script(db, "SET client_encoding = 'UTF8'; SET TIME ZONE 'UTC';", err);
}
