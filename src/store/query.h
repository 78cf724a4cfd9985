/*
 * query.h — building one SQL statement piece by piece with its bound
 * parameters beside it, for the lists whose WHERE clause depends on the
 * filters given. The text is always the program's own; values only ever
 * travel as `?` parameters, so a filter cannot change the statement.
 */
#ifndef XSIRT_QUERY_H
#define XSIRT_QUERY_H

#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"
#include "store/db.h"

#define XSIRT_QUERY_MAX_PARAMS 64

typedef struct xsirt_query {
    xsirt_buf sql;
    xsirt_db_value v[XSIRT_QUERY_MAX_PARAMS];
    size_t n;
    int overflow;            /* a parameter or text did not fit: a bug */
} xsirt_query;

void xsirt_query_init(xsirt_query *q);
void xsirt_query_free(xsirt_query *q);
/* Appends SQL text (the program's own, never input). */
void xsirt_query_sql(xsirt_query *q, const char *text);
/* Appends a parameter; text is borrowed and must outlive the query. */
void xsirt_query_int(xsirt_query *q, int64_t i);
void xsirt_query_text(xsirt_query *q, const char *s);
/* A LIKE pattern (used with ESCAPE '\\') for text between prefix and
 * suffix, with the wildcards in text escaped so that "100%" finds "100%";
 * lower: ASCII lower-cased, for case-insensitive searches on LOWER(col). */
int xsirt_query_like(xsirt_buf *b, const char *prefix, const char *text, const char *suffix,
                     bool lower);

/* Runs the statement. */
int xsirt_query_rows(xsirt_db_rows **out, xsirt_db *db, xsirt_query *q, xsirt_error *err);
int xsirt_query_exec(xsirt_db *db, xsirt_query *q, int64_t *changes, xsirt_error *err);

#endif
