/*
 * query.c — statements built piece by piece (see query.h).
 */
#include "core/str.h"
#include "store/query.h"

void xsirt_query_init(xsirt_query *q)
{
    xsirt_buf_init(&q->sql, 64 * 1024);
    q->n = 0;
    q->overflow = 0;
}

void xsirt_query_free(xsirt_query *q)
{
    xsirt_buf_free(&q->sql);
}

void xsirt_query_sql(xsirt_query *q, const char *text)
{
    if (xsirt_buf_puts(&q->sql, text) != 0)
        q->overflow = 1;
}

void xsirt_query_int(xsirt_query *q, int64_t i)
{
    if (q->n < XSIRT_QUERY_MAX_PARAMS)
        q->v[q->n++] = XSIRT_DB_INTV(i);
    else
        q->overflow = 1;
}

void xsirt_query_text(xsirt_query *q, const char *s)
{
    if (q->n < XSIRT_QUERY_MAX_PARAMS)
        q->v[q->n++] = XSIRT_DB_TEXTV(s);
    else
        q->overflow = 1;
}

int xsirt_query_rows(xsirt_db_rows **out, xsirt_db *db, xsirt_query *q, xsirt_error *err)
{
    *out = NULL;
    if (q->overflow)
        return xsirt_error_set(err, XSIRT_EINTERNAL, "query too large");
    return xsirt_db_query(out, db, xsirt_buf_cstr(&q->sql), q->v, q->n, err);
}

int xsirt_query_exec(xsirt_db *db, xsirt_query *q, int64_t *changes, xsirt_error *err)
{
    if (q->overflow)
        return xsirt_error_set(err, XSIRT_EINTERNAL, "query too large");
    return xsirt_db_exec(db, xsirt_buf_cstr(&q->sql), q->v, q->n, changes, err);
}

int xsirt_query_like(xsirt_buf *b, const char *prefix, const char *text, const char *suffix,
                     bool lower)
{
    int rc = xsirt_buf_puts(b, prefix);

    for (const char *p = text; rc == 0 && *p != '\0'; p++) {
        if (*p == '%' || *p == '_' || *p == '\\')
            rc = xsirt_buf_putc(b, '\\');
        if (rc == 0)
            rc = xsirt_buf_putc(b, lower ? (char)xsirt_ascii_lower((unsigned char)*p) : *p);
    }
    return rc != 0 ? rc : xsirt_buf_puts(b, suffix);
}
