/*
 * store.h — shared helpers of the storage modules: running a change and
 * its audit record in one transaction, and JSON conversion of rows.
 */
#ifndef XSIRT_STORE_H
#define XSIRT_STORE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"
#include "store/principal.h"

/* Ends a write transaction: commits when rc is 0, rolls back otherwise;
 * returns the final code. Every store function that changes data ends
 * with `return xsirt_store_finish(db, rc, err);`. */
int xsirt_store_finish(xsirt_db *db, int rc, xsirt_error *err);

/* Appends an audit record for an object (ids as integers). before/after
 * are JSON values or NULL; they are serialised with sorted keys. */
int xsirt_store_audit(xsirt_db *db, const xsirt_principal *by, const char *action,
                      const char *object_type, int64_t object_id, const json_t *before,
                      const json_t *after, xsirt_error *err);

/* Row r of rows as a JSON object: column names as keys, SQL NULL as null,
 * and the columns named in ints (NULL-terminated) as integers. */
json_t *xsirt_store_row_json(const xsirt_db_rows *rows, size_t r, const char *const *ints);

/* A page request: items after cursor (0: from the start), at most limit
 * (0: the default); see XSIRT_LIMIT_PAGE_*. */
typedef struct xsirt_page {
    int64_t cursor;
    int limit;
} xsirt_page;

int xsirt_page_limit(const xsirt_page *pg);

/* Collects one page's items under the byte bound: add returns false (and
 * drops item) once the page is full; at least one item always fits. */
typedef struct xsirt_pager {
    json_t *items;
    size_t bytes;
    int64_t last;      /* id of the last item taken or skipped */
    bool full;
} xsirt_pager;

void xsirt_pager_init(xsirt_pager *pg);
bool xsirt_pager_add(xsirt_pager *pg, json_t *item, int64_t id);
/* Skips an item the caller may not see (the page still moves past it). */
void xsirt_pager_skip(xsirt_pager *pg, int64_t id);
/* {"items":[...],"next":id or null}; more: rows remained after the page. */
json_t *xsirt_pager_finish(xsirt_pager *pg, bool more);

/* Fetches the rows of one page in two steps, so that memory is bounded by
 * bytes and not only by count: meta_sql selects (id, size in bytes) of the
 * candidates, with parameters key..., cursor, limit; rows_sql selects the
 * full rows of the ids that fit, with parameters key..., first id, last id.
 * Both order by id ascending. *more says whether candidates remained. */
int xsirt_store_page_rows(xsirt_db_rows **rows, bool *more, xsirt_db *db, const char *meta_sql,
                          const char *rows_sql, const xsirt_db_value *key, size_t nkey,
                          const xsirt_page *pg, xsirt_error *err);

/* One page of a list whose rows are small and bounded: sql takes the
 * parameters key..., then the cursor, then the row limit; it selects the
 * item's id first and orders by it ascending ("... AND id > ? ORDER BY id
 * LIMIT ?"). fix (or NULL) adjusts each item from its row. */
typedef void (*xsirt_store_item_fn)(json_t *item, const xsirt_db_rows *rows, size_t row);

int xsirt_store_list_page(json_t **out, xsirt_db *db, const char *sql, const xsirt_db_value *key,
                          size_t nkey, const char *const *ints, xsirt_store_item_fn fix,
                          const xsirt_page *pg, xsirt_error *err);

/* One page of items loaded one at a time, each counted against the byte
 * bound as it comes: rows holds the candidates' ids in column 0, in page
 * order, at most limit + 1 (the extra one says another page follows);
 * load gives the item as by may see it. */
typedef int (*xsirt_store_load_fn)(json_t **out, xsirt_db *db, const xsirt_principal *by,
                                   int64_t id, xsirt_error *err);

int xsirt_store_load_page(json_t **out, xsirt_db *db, const xsirt_principal *by,
                          const xsirt_db_rows *rows, int limit, xsirt_store_load_fn load,
                          xsirt_error *err);

/* What `xsirt init` creates: the schema, the default workflows, contact
 * groups and escalation rule, and an administrator with a random password
 * and an API token (shown once: the caller writes them where the operator
 * reads them). XSIRT_ECONFLICT when the database was initialised before. */
typedef struct xsirt_store_admin {
    char username[32];
    char password[64];
    char token[64];
    char token_expires[32];    /* the token's expiry (RFC 3339 UTC) */
} xsirt_store_admin;

int xsirt_store_initialise(xsirt_store_admin *admin, xsirt_db *db, xsirt_error *err);

/* Brings an existing database to the current schema (each server start). */
int xsirt_store_open(xsirt_db **out, const char *target, xsirt_error *err);

/* `xsirt audit verify`: the audit chain (xsirt_audit_verify) and, when it
 * is intact, the current rows of every case against it (xsirt_case_verify).
 * The report type is audit.h's. */
struct xsirt_audit_report;
int xsirt_store_verify(struct xsirt_audit_report *r, xsirt_db *db, xsirt_error *err);

#endif
