/*
 * deferred_index.c — the index entries an upload leaves for later (see
 * deferred_index.h).
 */
#include <stdbool.h>

#include "store/deferred_index.h"
#include "store/store.h"

/* Each kind's statements: whether one is pending (read from the partial
 * index of the pending rows, without a transaction), a batch (setting the
 * flag moves a row from that index into the deferred one: SQLite and
 * PostgreSQL keep both), and the count. */
static const struct {
    const char *any, *batch, *count, *span;
} deferred_sql[XSIRT_DEFERRED_COUNT] = {
    [XSIRT_DEFERRED_COMPONENTS] =
        {"SELECT id FROM sbom_components WHERE key_indexed = 0 LIMIT 1",
         "UPDATE sbom_components SET key_indexed = 1 WHERE id IN (SELECT id FROM sbom_components "
         "WHERE key_indexed = 0 ORDER BY id LIMIT ?)",
         "SELECT COUNT(*) FROM sbom_components WHERE key_indexed = 0",
         "SELECT COALESCE((SELECT MAX(id) FROM sbom_components) - (SELECT MIN(id) FROM "
         "sbom_components WHERE key_indexed = 0), -1)"},
    [XSIRT_DEFERRED_FINDINGS] =
        {"SELECT id FROM findings WHERE vuln_indexed = 0 LIMIT 1",
         "UPDATE findings SET vuln_indexed = 1 WHERE id IN (SELECT id FROM findings WHERE "
         "vuln_indexed = 0 ORDER BY id LIMIT ?)",
         "SELECT COUNT(*) FROM findings WHERE vuln_indexed = 0",
         "SELECT COALESCE((SELECT MAX(id) FROM findings) - (SELECT MIN(id) FROM findings WHERE "
         "vuln_indexed = 0), -1)"},
};

static int deferred_any(bool *any, xsirt_db *db, xsirt_deferred which, xsirt_error *err)
{
    xsirt_db_rows *rows = NULL;
    int rc = xsirt_db_query(&rows, db, deferred_sql[which].any, NULL, 0, err);

    *any = rc == 0 && xsirt_db_rows_count(rows) > 0;
    xsirt_db_rows_free(rows);
    return rc;
}

int xsirt_deferred_index_some(size_t *indexed, xsirt_db *db, xsirt_deferred which, size_t most,
                              xsirt_error *err)
{
    xsirt_db_value p[1] = {XSIRT_DB_INTV((int64_t)most)};
    bool own = !xsirt_db_in_transaction(db), any = false;
    int64_t changed = 0;
    int rc;

    *indexed = 0;
    if (own && ((rc = deferred_any(&any, db, which, err)) != 0 || !any))
        return rc;
    if (own && (rc = xsirt_db_begin(db, err)) != 0)
        return rc;
    rc = xsirt_db_exec(db, deferred_sql[which].batch, p, 1, &changed, err);
    if (own)
        rc = xsirt_store_finish(db, rc, err);
    if (rc == 0)
        *indexed = (size_t)changed;
    return rc;
}

int xsirt_deferred_index_all(xsirt_db *db, xsirt_deferred which, xsirt_error *err)
{
    size_t n;
    int rc;

    do
        rc = xsirt_deferred_index_some(&n, db, which, XSIRT_DEFERRED_BATCH, err);
    while (rc == 0 && n == XSIRT_DEFERRED_BATCH);
    return rc;
}

int xsirt_deferred_index_backlog(xsirt_db *db, xsirt_deferred which, size_t added,
                                 xsirt_error *err)
{
    int64_t span = -1;
    size_t n = 1;
    int rc;

    /* Two ends of two indexes, not a count: the pending rows have the
     * newest ids, so this is at least how many are pending. */
    if ((rc = xsirt_db_query_int(&span, db, deferred_sql[which].span, NULL, 0, err)) != 0 ||
        span < XSIRT_DEFERRED_BACKLOG_MAX)
        return rc;
    while (rc == 0 && added > 0 && n > 0) {
        rc = xsirt_deferred_index_some(&n, db, which,
                                       added < XSIRT_DEFERRED_BATCH ? added : XSIRT_DEFERRED_BATCH,
                                       err);
        added -= n < added ? n : added;
    }
    return rc;
}

int xsirt_deferred_pending(int64_t *pending, xsirt_db *db, xsirt_deferred which, xsirt_error *err)
{
    return xsirt_db_query_int(pending, db, deferred_sql[which].count, NULL, 0, err);
}
