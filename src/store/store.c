/*
 * store.c — the helpers every storage module shares (see store.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "xsirt/limits.h"
#include "store/audit.h"
#include "store/case.h"
#include "store/clock.h"
#include "store/escalation.h"
#include "store/schema.h"
#include "store/store.h"
#include "store/user.h"
#include "store/workflow.h"

int xsirt_store_finish(xsirt_db *db, int rc, xsirt_error *err)
{
    if (rc != 0) {
        xsirt_db_rollback(db);
        return rc;
    }
    return xsirt_db_commit(db, err);
}

int xsirt_store_audit(xsirt_db *db, const xsirt_principal *by, const char *action,
                      const char *object_type, int64_t object_id, const json_t *before,
                      const json_t *after, xsirt_error *err)
{
    char id[24];
    char *b = before != NULL ? json_dumps(before, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    char *a = after != NULL ? json_dumps(after, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    xsirt_audit_entry e;
    int rc;

    if ((before != NULL && b == NULL) || (after != NULL && a == NULL)) {
        free(b);
        free(a);
        return xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    }
    snprintf(id, sizeof id, "%lld", (long long)object_id);
    e = (xsirt_audit_entry){by->user_id, by->username, action, object_type, id, b, a};
    rc = xsirt_audit_append(db, &e, err);
    free(b);
    free(a);
    return rc;
}

static int store_is_int_column(const char *name, const char *const *ints)
{
    for (size_t i = 0; ints != NULL && ints[i] != NULL; i++)
        if (strcmp(ints[i], name) == 0)
            return 1;
    return 0;
}

json_t *xsirt_store_row_json(const xsirt_db_rows *rows, size_t r, const char *const *ints)
{
    json_t *o = json_object();

    if (o == NULL)
        return NULL;
    for (size_t c = 0; c < xsirt_db_rows_columns(rows); c++) {
        const char *name = xsirt_db_rows_name(rows, c);
        json_t *v;
        if (xsirt_db_rows_null(rows, r, c))
            v = json_null();
        else if (store_is_int_column(name, ints))
            v = json_integer((json_int_t)xsirt_db_rows_int(rows, r, c));
        else
            v = json_string(xsirt_db_rows_text(rows, r, c));
        if (v == NULL || json_object_set_new(o, name, v) != 0) {
            json_decref(o);
            return NULL;
        }
    }
    return o;
}

int xsirt_page_limit(const xsirt_page *pg)
{
    if (pg == NULL || pg->limit <= 0)
        return XSIRT_LIMIT_PAGE_DEFAULT;
    return pg->limit < XSIRT_LIMIT_PAGE_ITEMS ? pg->limit : XSIRT_LIMIT_PAGE_ITEMS;
}

void xsirt_pager_init(xsirt_pager *pg)
{
    memset(pg, 0, sizeof *pg);
    pg->items = json_array();
}

bool xsirt_pager_add(xsirt_pager *pg, json_t *item, int64_t id)
{
    /* The exact size of the item as the server will send it (compact). */
    size_t n = item != NULL ? json_dumpb(item, NULL, 0, JSON_COMPACT) : 0;

    if (item == NULL || pg->items == NULL || pg->full ||
        (json_array_size(pg->items) > 0 && pg->bytes + n > XSIRT_LIMIT_PAGE_BYTES)) {
        pg->full = pg->full || item != NULL;
        json_decref(item);
        return false;
    }
    pg->bytes += n + 1;
    pg->last = id;
    json_array_append_new(pg->items, item);
    return true;
}

void xsirt_pager_skip(xsirt_pager *pg, int64_t id)
{
    if (!pg->full)
        pg->last = id;
}

json_t *xsirt_pager_finish(xsirt_pager *pg, bool more)
{
    json_t *items = pg->items;

    pg->items = NULL;
    if (items == NULL)
        return NULL;
    return json_pack("{s:o, s:o}", "items", items, "next",
                     (more || pg->full) && pg->last > 0 ? json_integer((json_int_t)pg->last)
                                                        : json_null());
}

#define STORE_PAGE_PARAMS 8

/* Runs sql with key..., the cursor and limit + 1 (one more than the page,
 * to know whether another follows); p (STORE_PAGE_PARAMS) keeps them. */
static int store_page_query(xsirt_db_rows **rows, xsirt_db_value *p, xsirt_db *db, const char *sql,
                            const xsirt_db_value *key, size_t nkey, const xsirt_page *pg,
                            xsirt_error *err)
{
    if (nkey > STORE_PAGE_PARAMS - 2)
        return xsirt_error_set(err, XSIRT_EINTERNAL, "page key too long");
    if (nkey > 0)
        memcpy(p, key, nkey * sizeof *key);
    p[nkey] = XSIRT_DB_INTV(pg != NULL ? pg->cursor : 0);
    p[nkey + 1] = XSIRT_DB_INTV(xsirt_page_limit(pg) + 1);
    return xsirt_db_query(rows, db, sql, p, nkey + 2, err);
}

int xsirt_store_page_rows(xsirt_db_rows **rows, bool *more, xsirt_db *db, const char *meta_sql,
                          const char *rows_sql, const xsirt_db_value *key, size_t nkey,
                          const xsirt_page *pg, xsirt_error *err)
{
    xsirt_db_value p[STORE_PAGE_PARAMS];
    xsirt_db_rows *meta;
    size_t n, k = 0;
    uint64_t bytes = 0;
    int limit = xsirt_page_limit(pg);
    int rc;

    *rows = NULL;
    *more = false;
    if ((rc = store_page_query(&meta, p, db, meta_sql, key, nkey, pg, err)) != 0)
        return rc;
    n = xsirt_db_rows_count(meta);
    /* As many as fit the byte bound (at least one), at most limit. */
    while (k < n && k < (size_t)limit) {
        bytes += (uint64_t)xsirt_db_rows_int(meta, k, 1);
        if (k > 0 && bytes > XSIRT_LIMIT_PAGE_BYTES)
            break;
        k++;
    }
    *more = n > k;
    /* No candidates: the empty range 1..0 gives the empty rows. */
    p[nkey] = XSIRT_DB_INTV(k > 0 ? xsirt_db_rows_int(meta, 0, 0) : 1);
    p[nkey + 1] = XSIRT_DB_INTV(k > 0 ? xsirt_db_rows_int(meta, k - 1, 0) : 0);
    xsirt_db_rows_free(meta);
    return xsirt_db_query(rows, db, rows_sql, p, nkey + 2, err);
}

int xsirt_store_list_page(json_t **out, xsirt_db *db, const char *sql, const xsirt_db_value *key,
                          size_t nkey, const char *const *ints, xsirt_store_item_fn fix,
                          const xsirt_page *pg, xsirt_error *err)
{
    xsirt_db_value p[STORE_PAGE_PARAMS];
    xsirt_db_rows *rows;
    xsirt_pager pager;
    int limit = xsirt_page_limit(pg);
    size_t n;
    int rc;

    *out = NULL;
    if ((rc = store_page_query(&rows, p, db, sql, key, nkey, pg, err)) != 0)
        return rc;
    n = xsirt_db_rows_count(rows);
    xsirt_pager_init(&pager);
    for (size_t i = 0; i < n && i < (size_t)limit; i++) {
        json_t *item = xsirt_store_row_json(rows, i, ints);
        if (item != NULL && fix != NULL)
            fix(item, rows, i);
        if (!xsirt_pager_add(&pager, item, xsirt_db_rows_int(rows, i, 0)))
            break;
    }
    xsirt_db_rows_free(rows);
    *out = xsirt_pager_finish(&pager, n > (size_t)limit);
    return *out != NULL ? 0 : xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
}

int xsirt_store_load_page(json_t **out, xsirt_db *db, const xsirt_principal *by,
                          const xsirt_db_rows *rows, int limit, xsirt_store_load_fn load,
                          xsirt_error *err)
{
    size_t n = xsirt_db_rows_count(rows);
    xsirt_pager pager;
    int rc = 0;

    *out = NULL;
    xsirt_pager_init(&pager);
    for (size_t i = 0; i < n && i < (size_t)limit; i++) {
        json_t *item = NULL;
        int64_t id = xsirt_db_rows_int(rows, i, 0);
        if ((rc = load(&item, db, by, id, err)) != 0 || !xsirt_pager_add(&pager, item, id))
            break;
    }
    *out = xsirt_pager_finish(&pager, n > (size_t)limit);
    if (rc == 0 && *out == NULL)
        rc = xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    if (rc != 0) {
        json_decref(*out);
        *out = NULL;
    }
    return rc;
}

static int store_seed(xsirt_db *db, xsirt_error *err)
{
    xsirt_principal sys;
    int64_t n = 0;
    int rc;

    if ((rc = xsirt_db_begin(db, err)) != 0)
        return rc;
    rc = xsirt_db_query_int(&n, db, "SELECT COUNT(*) FROM settings WHERE key = 'initialised'",
                            NULL, 0, err);
    if (rc == 0 && n > 0)
        rc = xsirt_error_set(err, XSIRT_ECONFLICT, "this database was initialised before");
    /* A run cut short before the end left the seeds: keep them. */
    if (rc == 0 && (rc = xsirt_db_query_int(&n, db, "SELECT COUNT(*) FROM workflows", NULL, 0,
                                            err)) == 0 && n == 0) {
        xsirt_principal_system(&sys);
        if ((rc = xsirt_workflow_seed(db, err)) == 0 && (rc = xsirt_escalation_seed(db, err)) == 0)
            rc = xsirt_store_audit(db, &sys, "install.seed", "install", 1, NULL, NULL, err);
    }
    return xsirt_store_finish(db, rc, err);
}

int xsirt_store_initialise(xsirt_store_admin *admin, xsirt_db *db, xsirt_error *err)
{
    xsirt_user_new u = {"admin", "Administrator", NULL, NULL, "admin", 0, NULL};
    xsirt_principal sys, adm;
    int64_t id = 0, tid = 0, n = 0;
    int rc;

    memset(admin, 0, sizeof *admin);
    xsirt_principal_system(&sys);
    if ((rc = xsirt_schema_migrate(NULL, db, err)) != 0 || (rc = store_seed(db, err)) != 0)
        return rc;
    xsirt_strlcpy(admin->username, "admin", sizeof admin->username);
    xsirt_random_token(admin->password, sizeof admin->password, 18);
    /* The initial token is a key lying in a file: it expires (and `xsirt
     * token rotate` issues the next one). */
    xsirt_clock_format(admin->token_expires,
                       time(NULL) + (time_t)XSIRT_LIMIT_INITIAL_TOKEN_DAYS * 86400, 0);
    u.password = admin->password;
    if ((rc = xsirt_db_query_int(&n, db, "SELECT COUNT(*) FROM users WHERE username = 'admin'",
                                 NULL, 0, err)) != 0)
        return rc;
    if (n == 0)
        rc = xsirt_user_create(&id, db, &sys, &u, err);
    else if ((rc = xsirt_db_query_int(&id, db, "SELECT id FROM users WHERE username = 'admin'",
                                      NULL, 0, err)) == 0)
        rc = xsirt_user_set_password(db, &sys, id, admin->password, err);
    if (rc == 0 && (rc = xsirt_user_principal(&adm, db, id, err)) == 0)
        rc = xsirt_token_create(&tid, admin->token, db, &adm, id, "initial", admin->token_expires,
                                err);
    if (rc != 0)
        return rc;
    rc = xsirt_db_exec(db, "INSERT INTO settings (key, value) VALUES ('initialised', 'yes')", NULL,
                       0, NULL, err);
    return rc;
}

int xsirt_store_open(xsirt_db **out, const char *target, xsirt_error *err)
{
    xsirt_db *db;
    int rc;

    *out = NULL;
    if ((rc = xsirt_db_open(&db, target, err)) != 0)
        return rc;
    if ((rc = xsirt_schema_migrate(NULL, db, err)) != 0) {
        xsirt_db_close(db);
        return rc;
    }
    *out = db;
    return 0;
}

int xsirt_store_verify(xsirt_audit_report *r, xsirt_db *db, xsirt_error *err)
{
    bool own = !xsirt_db_in_transaction(db);
    int rc = own ? xsirt_db_begin_read(db, err) : 0;

    /* The chain and the cases from one snapshot (xsirt_db_begin_read). */
    if (rc == 0)
        rc = xsirt_audit_verify(r, db, err);
    if (rc == 0 && xsirt_audit_intact(r))
        rc = xsirt_case_verify(r, db, err);
    if (own)
        xsirt_db_rollback(db);
    return rc;
}
