/*
 * feed.c — feed rows (see feed.h).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/clock.h"
#include "store/feed.h"
#include "store/json_input.h"
#include "store/outbox.h"
#include "store/settings.h"
#include "store/store.h"
#include "xsirt/limits.h"

static const char *const feed_kinds[] = {"osv", "cve5", "csaf", "kev", "epss", NULL};

static const char feed_select[] =
    "SELECT id, name, kind, url, interval_s AS interval, status, error, synced_at AS synced, "
    "records FROM feeds";
static const char *const feed_ints[] = {"id", "interval", "records", NULL};

static int feed_rows(json_t **out, xsirt_db *db, const char *where, int64_t id, bool one,
                     xsirt_error *err)
{
    char sql[512];
    xsirt_db_value p[1] = {XSIRT_DB_INTV(id)};
    xsirt_db_rows *rows = NULL;
    json_t *items;
    int rc;

    *out = NULL;
    snprintf(sql, sizeof sql, "%s%s ORDER BY id", feed_select, where);
    if ((rc = xsirt_db_query(&rows, db, sql, p, id != 0 ? 1 : 0, err)) != 0)
        return rc;
    items = json_array();
    for (size_t i = 0; i < xsirt_db_rows_count(rows); i++)
        json_array_append_new(items, xsirt_store_row_json(rows, i, feed_ints));
    xsirt_db_rows_free(rows);
    if (!one) {
        *out = json_pack("{s:o, s:n}", "items", items, "next");
        return 0;
    }
    if (json_array_size(items) == 0) {
        json_decref(items);
        return xsirt_error_set(err, XSIRT_ENOTFOUND, "no feed %lld", (long long)id);
    }
    *out = json_incref(json_array_get(items, 0));
    json_decref(items);
    return 0;
}

int xsirt_feed_page(json_t **out, xsirt_db *db, const xsirt_principal *by, const xsirt_page *pg,
                    xsirt_error *err)
{
    char sql[512];

    (void)by;
    snprintf(sql, sizeof sql, "%s WHERE id > ? ORDER BY id LIMIT ?", feed_select);
    return xsirt_store_list_page(out, db, sql, NULL, 0, feed_ints, NULL, pg, err);
}

int xsirt_feed_get(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                   xsirt_error *err)
{
    (void)by;
    return feed_rows(out, db, " WHERE id = ?", id, true, err);
}

int xsirt_feed_list(json_t **out, xsirt_db *db, const xsirt_principal *by, xsirt_error *err)
{
    (void)by;
    return feed_rows(out, db, "", 0, false, err);
}

int xsirt_feed_load(json_t **out, xsirt_db *db, int64_t id, xsirt_error *err)
{
    static const char *const ints[] = {"id", "interval_s", "records", NULL};
    xsirt_db_value p[1] = {XSIRT_DB_INTV(id)};
    xsirt_db_rows *rows = NULL;
    int rc = xsirt_db_query(&rows, db, "SELECT id, name, kind, url, interval_s, etag, "
                                       "last_modified, records FROM feeds WHERE id = ?", p, 1, err);

    *out = NULL;
    if (rc == 0 && xsirt_db_rows_count(rows) == 0)
        rc = xsirt_error_set(err, XSIRT_ENOTFOUND, "no feed %lld", (long long)id);
    if (rc == 0)
        *out = xsirt_store_row_json(rows, 0, ints);
    xsirt_db_rows_free(rows);
    return rc;
}

int xsirt_feed_create(json_t **out, xsirt_db *db, const xsirt_principal *by, const json_t *in,
                      xsirt_error *err)
{
    static const xsirt_field fields[] = {
        {"name", XSIRT_FIELD_STRING, true, false, 200},
        {"kind", XSIRT_FIELD_STRING, true, false, 16},
        {"url", XSIRT_FIELD_STRING, true, false, 4096},
        {"interval", XSIRT_FIELD_INTEGER, false, true, 0},
        {NULL, 0, false, false, 0},
    };
    const char *url = xsirt_json_str(in, "url");
    json_t *defaults = NULL;
    int64_t interval = xsirt_json_int(in, "interval"), id = 0;
    char now[XSIRT_TIME_MAX];
    xsirt_db_value p[5];
    xsirt_db_rows *rows = NULL;
    int rc;

    *out = NULL;
    if (!by->admin)
        return xsirt_error_set(err, XSIRT_EDENIED, "only administrators add feeds");
    if ((rc = xsirt_json_check(in, fields, false, err)) != 0 ||
        (rc = xsirt_json_enum(xsirt_json_str(in, "kind"), feed_kinds, "kind", err)) != 0)
        return rc;
    if (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0 &&
        strncmp(url, "file:///", 8) != 0)
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, "url",
                                       "url must be http://, https:// or file:///PATH");
    if (xsirt_json_has(in, "interval") && (interval < 60 || interval > 7 * 24 * 3600))
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, "interval",
                                       "interval is 60 seconds to 7 days");
    if ((rc = xsirt_db_begin(db, err)) != 0)
        return rc;
    if (interval == 0 && (rc = xsirt_settings_value(&defaults, db, "feed_defaults", err)) == 0) {
        json_t *v = json_object_get(defaults, "interval");
        interval = json_is_integer(v) ? (int64_t)json_integer_value(v) : 3600;
    }
    json_decref(defaults);
    xsirt_clock_now(now);
    p[0] = XSIRT_DB_TEXTV(xsirt_json_str(in, "name"));
    p[1] = XSIRT_DB_TEXTV(xsirt_json_str(in, "kind"));
    p[2] = XSIRT_DB_TEXTV(url);
    p[3] = XSIRT_DB_INTV(interval);
    p[4] = XSIRT_DB_TEXTV(now);
    if (rc == 0)
        rc = xsirt_db_query(&rows, db, "INSERT INTO feeds (name, kind, url, interval_s, "
                                       "created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
                            p, 5, err);
    if (rc == XSIRT_ECONFLICT)
        rc = xsirt_error_set_pointer(err, XSIRT_ECONFLICT, "name", "a feed named %s exists",
                                     xsirt_json_str(in, "name"));
    if (rc == 0) {
        id = xsirt_db_rows_int(rows, 0, 0);
        rc = feed_rows(out, db, " WHERE id = ?", id, true, err);
    }
    xsirt_db_rows_free(rows);
    if (rc == 0)
        rc = xsirt_store_audit(db, by, "feed.create", "feed", id, NULL, *out, err);
    if (rc != 0) {
        json_decref(*out);
        *out = NULL;
    }
    return xsirt_store_finish(db, rc, err);
}

int xsirt_feed_record_sync(xsirt_db *db, const xsirt_principal *by, int64_t id,
                           const char *error, const char *etag, const char *last_modified,
                           int64_t records, const json_t *result, xsirt_error *err)
{
    char now[XSIRT_TIME_MAX];
    xsirt_db_value p[6];
    int rc;

    if ((rc = xsirt_db_begin(db, err)) != 0)
        return rc;
    xsirt_clock_now(now);
    p[0] = XSIRT_DB_TEXTV(now);
    if (error != NULL) {
        p[1] = XSIRT_DB_TEXTV(error);
        p[2] = XSIRT_DB_INTV(id);
        rc = xsirt_db_exec(db, "UPDATE feeds SET synced_at = ?, status = 'error', error = ? "
                               "WHERE id = ?", p, 3, NULL, err);
        /* A feed error says nothing about any team's portfolio: every
         * rule that wants it hears of it. */
        if (rc == 0) {
            json_t *ev = json_pack("{s:{s:I, s:s}}", "feed", "id", (json_int_t)id, "error", error);
            rc = xsirt_outbox_event(db, 0, "feed.error", ev, err);
            json_decref(ev);
        }
    } else {
        p[1] = XSIRT_DB_TEXTV(etag);
        p[2] = XSIRT_DB_TEXTV(last_modified);
        p[3] = XSIRT_DB_INTV(records);
        p[4] = XSIRT_DB_INTV(id);
        rc = xsirt_db_exec(db, "UPDATE feeds SET synced_at = ?, status = 'ok', error = NULL, "
                               "etag = ?, last_modified = ?, records = ? WHERE id = ?",
                           p, 5, NULL, err);
    }
    if (rc == 0)
        rc = xsirt_store_audit(db, by, "feed.sync", "feed", id, NULL, result, err);
    return xsirt_store_finish(db, rc, err);
}

int xsirt_feed_schedule(json_t **feeds, xsirt_db *db, xsirt_error *err)
{
    xsirt_db_rows *rows = NULL;
    int rc = xsirt_db_query(&rows, db, "SELECT id, interval_s FROM feeds ORDER BY id", NULL, 0,
                            err);

    *feeds = NULL;
    if (rc != 0)
        return rc;
    *feeds = json_array();
    for (size_t i = 0; i < xsirt_db_rows_count(rows); i++)
        json_array_append_new(*feeds, json_pack("[I, I]", (json_int_t)xsirt_db_rows_int(rows, i, 0),
                                                (json_int_t)xsirt_db_rows_int(rows, i, 1)));
    xsirt_db_rows_free(rows);
    return 0;
}

/* ---- the re-match journal -------------------------------------------------- */

int xsirt_feed_pending_add(int64_t *id, xsirt_db *db, const json_t *plan, const char *server,
                           xsirt_error *err)
{
    char now[XSIRT_TIME_MAX], *text = json_dumps(plan, JSON_COMPACT);
    xsirt_db_value p[3];
    xsirt_db_rows *rows = NULL;
    int rc;

    if (text == NULL)
        return xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    if (strlen(text) > XSIRT_LIMIT_REMATCH_PLAN) {
        free(text);
        if ((text = strdup("{\"all\":true}")) == NULL)
            return xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    }
    xsirt_clock_now(now);
    p[0] = XSIRT_DB_TEXTV(text);
    p[1] = XSIRT_DB_TEXTV(now);
    p[2] = XSIRT_DB_TEXTV(server);
    rc = xsirt_db_query(&rows, db, "INSERT INTO rematch_pending (plan, created_at, server) "
                                   "VALUES (?, ?, ?) RETURNING id", p, 3, err);
    if (rc == 0)
        *id = xsirt_db_rows_int(rows, 0, 0);
    xsirt_db_rows_free(rows);
    free(text);
    return rc;
}

int xsirt_feed_pending_next(json_t **plan, int64_t *id, xsirt_db *db, const char *server,
                            xsirt_error *err)
{
    xsirt_db_value p[1] = {XSIRT_DB_TEXTV(server)};
    xsirt_db_rows *rows = NULL;
    int rc = xsirt_db_query(&rows, db, "SELECT id, plan FROM rematch_pending WHERE server IS NULL "
                                       "OR server = ? ORDER BY id LIMIT 1", p, 1, err);

    *plan = NULL;
    *id = 0;
    if (rc == 0 && xsirt_db_rows_count(rows) == 1) {
        *id = xsirt_db_rows_int(rows, 0, 0);
        /* A plan that does not read (it cannot happen short of an edited
         * database) is taken as "match everything". */
        *plan = json_loads(xsirt_db_rows_text(rows, 0, 1), 0, NULL);
        if (*plan == NULL)
            *plan = json_pack("{s:b}", "all", 1);
        if (*plan == NULL)
            rc = xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    }
    xsirt_db_rows_free(rows);
    return rc;
}

int xsirt_feed_pending_done(xsirt_db *db, int64_t id, xsirt_error *err)
{
    xsirt_db_value p[1] = {XSIRT_DB_INTV(id)};

    return xsirt_db_exec(db, "DELETE FROM rematch_pending WHERE id = ?", p, 1, NULL, err);
}
