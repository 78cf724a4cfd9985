/*
 * finding.c — findings (see finding.h): recorded from a scan inside the
 * SBOM upload's transaction, read and listed through their asset's
 * visibility, and triaged one by one (with If-Match) or many at once, each
 * decision on the finding's history and in the audit log in one
 * transaction.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/str.h"
#include "store/asset.h"
#include "store/case.h"
#include "store/clock.h"
#include "store/finding.h"
#include "store/deferred_index.h"
#include "store/outbox.h"
#include "store/json_input.h"
#include "store/metrics.h"
#include "store/priority.h"
#include "store/query.h"
#include "store/service_level.h"
#include "store/settings.h"
#include "store/store.h"
#include "xsirt/limits.h"


static const char *const finding_states[] = {"in_triage", "exploitable", "resolved",
                                             "false_positive", "not_affected", NULL};
static const char *const finding_justifications[] = {
    "code_not_present", "code_not_reachable", "requires_configuration", "requires_dependency",
    "requires_environment", "protected_by_compiler", "protected_at_runtime",
    "protected_at_perimeter", "protected_by_mitigating_control", NULL};
static const char *const finding_responses[] = {"can_not_fix", "will_not_fix", "update",
                                                "rollback", "workaround_available", NULL};

/* ---- keys --------------------------------------------------------------- */

char *xsirt_finding_component_key(const char *name, const char *version, const char *purl,
                                  const char *cpe, bool with_version)
{
    xsirt_buf b;
    int rc = 0;

    xsirt_buf_init(&b, XSIRT_LIMIT_IDENTIFIER + XSIRT_LIMIT_VERSION + 64);
    if (purl != NULL && strncmp(purl, "pkg:", 4) == 0) {
        /* The version follows the last '@' before qualifiers and subpath
         * (an unencoded npm scope "@angular/core" comes before it). */
        size_t end = strcspn(purl, "?#"), at = end;
        for (size_t i = 0; i < end; i++)
            if (purl[i] == '@')
                at = i;
        return xsirt_buf_append(&b, purl, with_version ? end : at) == 0 ? xsirt_buf_detach(&b)
                                                                        : (xsirt_buf_free(&b), NULL);
    }
    if (cpe != NULL && strncmp(cpe, "cpe:2.3:", 8) == 0) {
        /* cpe:2.3:part:vendor:product:version:... -> cpe:vendor:product */
        const char *v = strchr(cpe + 8, ':');
        const char *prod = v != NULL ? strchr(v + 1, ':') : NULL;
        const char *end = prod != NULL ? strchr(prod + 1, ':') : NULL;
        rc = xsirt_buf_puts(&b, "cpe:");
        if (rc == 0)
            rc = v != NULL && end != NULL ? xsirt_buf_append(&b, v + 1, (size_t)(end - v - 1))
                                          : xsirt_buf_puts(&b, cpe);
    } else {
        rc = xsirt_buf_printf(&b, "name:%s", name != NULL ? name : "");
    }
    if (rc == 0 && with_version)
        rc = xsirt_buf_printf(&b, "@%s", version != NULL ? version : "");
    if (rc != 0) {
        xsirt_buf_free(&b);
        return NULL;
    }
    return xsirt_buf_detach(&b);
}

/* ---- reading ------------------------------------------------------------ */

static const char finding_columns[] =
    "f.id, f.asset_id AS asset, f.sbom_id AS sbom, f.component_name, f.component_version, "
    "f.component_purl, f.component_cpe, f.vuln_id, v.aliases, v.summary, v.cvss_vector, "
    "f.score10, f.kev, f.epss_ppm, f.state, f.justification, f.response, f.detail, f.priority, "
    "f.due, f.first_seen, f.last_seen, f.active, f.case_id AS case_id, f.carried_from, "
    "cf.asset_id AS carried_asset, f.revision, f.matched_by, f.name_match, f.confidence_pct";
static const char *const finding_ints[] = {"id", "asset", "sbom", "score10", "kev", "epss_ppm",
                                           "active", "case_id", "carried_from", "carried_asset",
                                           "revision", "confidence_pct", NULL};

static json_t *finding_take(json_t *o, const char *key)
{
    json_t *v = json_incref(json_object_get(o, key));

    json_object_del(o, key);
    return v != NULL ? v : json_null();
}

/* How the finding was matched: "matchedBy" ("name" for findings made by
 * vendor and product name, issue 15; identifiers otherwise, null for
 * findings recorded before the server kept it), and for a match by name
 * the normalised "vendor" and "product" and the "confidence" (0..1). */
static void finding_shape_match(json_t *o)
{
    json_t *by = finding_take(o, "matched_by"), *nm = finding_take(o, "name_match");
    json_t *pct = finding_take(o, "confidence_pct");
    const char *n = json_string_value(nm), *colon = n != NULL ? strchr(n, ':') : NULL;

    json_object_set_new(o, "matchedBy", json_is_string(by) ? json_incref(by) : json_null());
    if (colon != NULL && json_is_integer(pct)) {
        json_object_set_new(o, "name", json_pack("{s:s%, s:s}", "vendor", n, (size_t)(colon - n),
                                                 "product", colon + 1));
        json_object_set_new(o, "confidence", json_real((double)json_integer_value(pct) / 100.0));
    }
    json_decref(by);
    json_decref(nm);
    json_decref(pct);
}

/* A row of finding_columns in the API's shape. */
static json_t *finding_shape(const xsirt_db_rows *rows, size_t r, const char *now)
{
    json_t *o = xsirt_store_row_json(rows, r, finding_ints);
    json_t *aliases = json_loads(json_string_value(json_object_get(o, "aliases")), 0, NULL);
    json_t *response = json_loads(json_string_value(json_object_get(o, "response")), 0, NULL);
    json_t *score = finding_take(o, "score10"), *vector = finding_take(o, "cvss_vector");
    json_t *epss = finding_take(o, "epss_ppm"), *from = finding_take(o, "carried_from");
    json_t *from_asset = finding_take(o, "carried_asset"), *kev = finding_take(o, "kev");
    const char *due = json_string_value(json_object_get(o, "due"));
    const char *state = json_string_value(json_object_get(o, "state"));
    json_t *cvss = json_is_integer(score)
                       ? json_pack("{s:f, s:O}", "score", (double)json_integer_value(score) / 10.0,
                                   "vector", vector)
                       : json_null();

    json_object_set_new(o, "component",
                        json_pack("{s:o, s:o, s:o, s:o}", "name", finding_take(o, "component_name"),
                                  "version", finding_take(o, "component_version"), "purl",
                                  finding_take(o, "component_purl"), "cpe",
                                  finding_take(o, "component_cpe")));
    json_object_del(o, "aliases");
    json_object_set_new(o, "vulnerability",
                        json_pack("{s:o, s:o, s:o, s:o, s:b, s:o}", "id", finding_take(o, "vuln_id"),
                                  "aliases", aliases != NULL ? aliases : json_array(), "summary",
                                  finding_take(o, "summary"), "cvss", cvss, "kev",
                                  (int)json_integer_value(kev),
                                  "epss", json_is_integer(epss)
                                              ? json_real((double)json_integer_value(epss) / 1e6)
                                              : json_null()));
    json_object_set_new(o, "response", response != NULL ? response : json_array());
    json_object_set_new(o, "active", json_boolean(json_integer_value(json_object_get(o, "active"))));
    json_object_set_new(o, "case", finding_take(o, "case_id"));
    json_object_set_new(o, "carried_over",
                        json_is_integer(from) ? json_pack("{s:O, s:O}", "finding", from, "asset",
                                                          from_asset)
                                              : json_null());
    json_object_set_new(o, "overdue",
                        json_boolean(due != NULL && strcmp(due, now) < 0 && state != NULL &&
                                     (strcmp(state, "in_triage") == 0 ||
                                      strcmp(state, "exploitable") == 0) &&
                                     json_is_true(json_object_get(o, "active"))));
    finding_shape_match(o);
    json_decref(score);
    json_decref(kev);
    json_decref(vector);
    json_decref(epss);
    json_decref(from);
    json_decref(from_asset);
    return o;
}

/* Loads findings by a WHERE clause on alias f (no visibility check). */
static int finding_select(json_t **items, xsirt_db *db, xsirt_query *q, xsirt_error *err)
{
    char now[XSIRT_TIME_MAX];
    xsirt_db_rows *rows = NULL;
    int rc = xsirt_query_rows(&rows, db, q, err);

    *items = NULL;
    if (rc != 0)
        return rc;
    xsirt_clock_now(now);
    *items = json_array();
    for (size_t i = 0; i < xsirt_db_rows_count(rows); i++)
        json_array_append_new(*items, finding_shape(rows, i, now));
    xsirt_db_rows_free(rows);
    return 0;
}

static void finding_from(xsirt_query *q)
{
    xsirt_query_sql(q, "SELECT ");
    xsirt_query_sql(q, finding_columns);
    /* The advisory's text is its vulnerability's (schema 20). */
    xsirt_query_sql(q, " FROM findings f JOIN assets a ON a.id = f.asset_id "
                       "LEFT JOIN vulnerabilities v ON v.id = f.vuln_id "
                       "LEFT JOIN findings cf ON cf.id = f.carried_from WHERE ");
}

/* One finding by id if by sees it (its asset), else XSIRT_ENOTFOUND. */
static int finding_load(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                        xsirt_error *err)
{
    xsirt_query q;
    json_t *items = NULL;
    int rc;

    *out = NULL;
    xsirt_query_init(&q);
    xsirt_asset_mine_cte(&q, by);
    finding_from(&q);
    xsirt_query_sql(&q, "f.id = ? AND ");
    xsirt_query_int(&q, id);
    xsirt_asset_visible(&q, by, "a");
    rc = finding_select(&items, db, &q, err);
    xsirt_query_free(&q);
    if (rc == 0 && json_array_size(items) == 0)
        rc = xsirt_error_set(err, XSIRT_ENOTFOUND, "no finding %lld", (long long)id);
    if (rc == 0)
        *out = json_incref(json_array_get(items, 0));
    json_decref(items);
    return rc;
}

bool xsirt_finding_visible(xsirt_db *db, const xsirt_principal *by, int64_t id)
{
    xsirt_db_value p[1] = {XSIRT_DB_INTV(id)};
    int64_t asset = 0;

    if (by->admin)
        return true;
    return xsirt_db_query_int(&asset, db, "SELECT asset_id FROM findings WHERE id = ?", p, 1,
                              NULL) == 0 &&
           asset > 0 && xsirt_asset_sees(db, by, asset);
}

bool xsirt_finding_object_visible(xsirt_db *db, const xsirt_principal *by, const char *type,
                                  int64_t id)
{
    xsirt_db_value p[1] = {XSIRT_DB_INTV(id)};
    int64_t asset = 0;

    if (by->admin)
        return true;
    if (strcmp(type, "asset") == 0)
        return xsirt_asset_sees(db, by, id);
    if (strcmp(type, "finding") == 0)
        return xsirt_finding_visible(db, by, id);
    if (strcmp(type, "sbom") == 0)
        return xsirt_db_query_int(&asset, db, "SELECT asset_id FROM sboms WHERE id = ?", p, 1,
                                  NULL) == 0 &&
               asset > 0 && xsirt_asset_sees(db, by, asset);
    return true;
}

static void finding_hide_events(json_t *events, xsirt_db *db, const xsirt_principal *by);

void xsirt_finding_hide(json_t *f, xsirt_db *db, const xsirt_principal *by)
{
    json_t *c = json_object_get(f, "case"), *from = json_object_get(f, "carried_over");

    if (f == NULL || by->admin)
        return;
    /* The case it was opened in, when that case is hidden (a RED case). */
    if (json_is_integer(c) && !xsirt_case_visible_to(db, by, json_integer_value(c)))
        json_object_set_new(f, "case", json_null());
    /* The decision it took over, when that came from a hidden asset. */
    if (json_is_object(from) &&
        !xsirt_asset_sees(db, by, json_integer_value(json_object_get(from, "asset")))) {
        json_object_set_new(from, "finding", json_null());
        json_object_set_new(from, "asset", json_null());
    }
    finding_hide_events(json_object_get(f, "history"), db, by);
}

/* In a finding's history: the case and the carried-over source as in
 * xsirt_finding_hide. */
static void finding_hide_events(json_t *events, xsirt_db *db, const xsirt_principal *by)
{
    json_t *e;
    size_t i;

    if (by->admin)
        return;
    json_array_foreach(events, i, e) {
        json_t *data = json_object_get(e, "data");
        const char *kind = json_string_value(json_object_get(e, "kind"));
        if (kind == NULL || !json_is_object(data))
            continue;
        if (strcmp(kind, "case") == 0 && json_is_integer(json_object_get(data, "case")) &&
            !xsirt_case_visible_to(db, by, json_integer_value(json_object_get(data, "case"))))
            json_object_set_new(data, "case", json_null());
        if (strcmp(kind, "carried_over") == 0 &&
            !xsirt_asset_sees(db, by, json_integer_value(json_object_get(data, "asset")))) {
            json_object_set_new(data, "from", json_null());
            json_object_set_new(data, "asset", json_null());
        }
    }
}

static void finding_event_data(json_t *e, const xsirt_db_rows *rows, size_t row)
{
    json_t *data = json_loads(json_string_value(json_object_get(e, "data")), 0, NULL);

    (void)rows;
    (void)row;
    json_object_set_new(e, "data", data != NULL ? data : json_object());
}

/* A finding's history: its stored events and, for a finding made since
 * schema 21, its creation told by the finding itself (first_seen, the
 * SBOM it was first seen in) as event 1, before the stored ones (numbered
 * from 2), paged like them. A finding made before keeps its stored
 * "created" event and has no first_sbom_id. Each branch is searched by
 * the finding (SQLite and PostgreSQL push the WHERE into the UNION). */
#define FINDING_HISTORY_SQL                                                                   \
    "SELECT h.id, h.at, h.actor, u.username AS actor_name, h.kind, h.data FROM ("             \
    "SELECT e.id, e.finding_id AS finding, e.at, e.actor_id AS actor, e.kind, e.data "        \
    "FROM finding_events e UNION ALL SELECT 1, f.id, f.first_seen, NULL, 'created', "         \
    "'{\"sbom\":' || CAST(f.first_sbom_id AS TEXT) || '}' FROM findings f WHERE "             \
    "f.first_sbom_id IS NOT NULL) h LEFT JOIN users u ON u.id = h.actor WHERE h.finding = ? " \
    "AND h.id > ? ORDER BY h.id LIMIT ?"

/* One page of a finding's history, oldest first (no visibility check). */
static int finding_history(json_t **out, xsirt_db *db, int64_t id, const xsirt_page *pg,
                           xsirt_error *err)
{
    static const char *const ints[] = {"id", "actor", NULL};
    xsirt_db_value key[1] = {XSIRT_DB_INTV(id)};

    return xsirt_store_list_page(out, db, FINDING_HISTORY_SQL, key, 1, ints, finding_event_data,
                                 pg, err);
}

int xsirt_finding_history(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                          const xsirt_page *pg, xsirt_error *err)
{
    json_t *f = NULL;
    int rc = finding_load(&f, db, by, id, err);

    json_decref(f);
    *out = NULL;
    if (rc == 0 && (rc = finding_history(out, db, id, pg, err)) == 0)
        finding_hide_events(json_object_get(*out, "items"), db, by);
    return rc;
}

int xsirt_finding_get(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                      xsirt_error *err)
{
    json_t *history = NULL;
    int rc = finding_load(out, db, by, id, err);

    /* The first page of the history; the rest from /findings/{id}/history. */
    if (rc == 0 && (rc = finding_history(&history, db, id, NULL, err)) == 0) {
        json_object_set(*out, "history", json_object_get(history, "items"));
        json_object_set(*out, "history_next", json_object_get(history, "next"));
        json_decref(history);
        xsirt_finding_hide(*out, db, by);
    }
    if (rc != 0) {
        json_decref(*out);
        *out = NULL;
    }
    return rc;
}

/* Records listing an id among their aliases past which the filter reads
 * every finding's aliases instead (one id is an alias of a few records). */
#define FINDING_ALIASED_MAX 40   /* of XSIRT_QUERY_MAX_PARAMS */

/* The vulnerability filter: its id, or the id among a finding's aliases
 * (its vulnerability's aliases, JSON text, like). With the records that list it
 * (f->aliased) both parts are an IN on findings_vuln, the aliases only
 * read to confirm; without, every finding's aliases are read. The list
 * has indexed the pending findings first (deferred_index.h): "vuln_indexed
 * = 1" is what lets the partial index serve the IN. */
static void finding_filter_vulnerability(xsirt_query *q, const xsirt_finding_filter *f,
                                         const char *like)
{
    const json_t *v;
    size_t i;

    if (f->aliased == NULL || json_array_size(f->aliased) > FINDING_ALIASED_MAX) {
        xsirt_query_sql(q, " AND (f.vuln_id = ? OR v.aliases LIKE ? ESCAPE '\\')");
        xsirt_query_text(q, f->vulnerability);
        xsirt_query_text(q, like);
        return;
    }
    xsirt_query_sql(q, " AND f.vuln_indexed = 1 AND f.vuln_id IN (?");
    xsirt_query_text(q, f->vulnerability);
    json_array_foreach(f->aliased, i, v) {
        xsirt_query_sql(q, ", ?");
        xsirt_query_text(q, json_string_value(v));
    }
    xsirt_query_sql(q, ") AND (f.vuln_id = ? OR v.aliases LIKE ? ESCAPE '\\')");
    xsirt_query_text(q, f->vulnerability);
    xsirt_query_text(q, like);
}

int xsirt_finding_list(json_t **out, xsirt_db *db, const xsirt_principal *by,
                       const xsirt_finding_filter *f, xsirt_error *err)
{
    xsirt_page pg = {.cursor = f->cursor, .limit = f->limit};
    int limit = xsirt_page_limit(&pg);
    xsirt_query q;
    xsirt_buf like;
    xsirt_pager pager;
    json_t *items = NULL;
    int rc = 0;

    *out = NULL;
    if (f->vulnerability != NULL &&
        (rc = xsirt_deferred_index_all(db, XSIRT_DEFERRED_FINDINGS, err)) != 0)
        return rc;
    xsirt_query_init(&q);
    xsirt_buf_init(&like, 4096);
    xsirt_asset_mine_cte(&q, by);
    if (f->asset != 0) {
        /* From an asset the caller sees only: assets nested under a hidden
         * one must not reveal where they hang. */
        xsirt_query_sql(&q, ", sub(id) AS (SELECT r.id FROM assets r WHERE r.id = ? AND ");
        xsirt_query_int(&q, f->asset);
        xsirt_asset_visible(&q, by, "r");
        xsirt_query_sql(&q, " UNION SELECT s.id FROM assets s JOIN sub ON s.parent_id = sub.id) ");
    }
    finding_from(&q);
    xsirt_asset_visible(&q, by, "a");
    if (f->asset != 0)
        xsirt_query_sql(&q, " AND f.asset_id IN (SELECT id FROM sub)");
    if (f->team != 0) { xsirt_query_sql(&q, " AND a.team_id = ?"); xsirt_query_int(&q, f->team); }
    if (f->state != NULL) { xsirt_query_sql(&q, " AND f.state = ?"); xsirt_query_text(&q, f->state); }
    if (f->priority != NULL) {
        xsirt_query_sql(&q, " AND f.priority = ?");
        xsirt_query_text(&q, f->priority);
    }
    if (f->kev >= 0) { xsirt_query_sql(&q, " AND f.kev = ?"); xsirt_query_int(&q, f->kev); }
    if (f->active >= 0) { xsirt_query_sql(&q, " AND f.active = ?"); xsirt_query_int(&q, f->active); }
    if (f->vulnerability != NULL &&
        xsirt_query_like(&like, "%\"", f->vulnerability, "\"%", false) != 0)
        rc = xsirt_error_set_pointer(err, XSIRT_ELIMIT, "vulnerability", "id too long");
    if (f->vulnerability != NULL)
        finding_filter_vulnerability(&q, f, xsirt_buf_cstr(&like));
    if (f->component != NULL) {
        xsirt_query_sql(&q, " AND (f.component_name = ? OR f.component_base = ?)");
        xsirt_query_text(&q, f->component);
        xsirt_query_text(&q, f->component);
    }
    if (f->cursor > 0) { xsirt_query_sql(&q, " AND f.id < ?"); xsirt_query_int(&q, f->cursor); }
    xsirt_query_sql(&q, " ORDER BY f.id DESC LIMIT ?");
    xsirt_query_int(&q, limit + 1);
    if (rc == 0)
        rc = finding_select(&items, db, &q, err);
    xsirt_query_free(&q);
    xsirt_buf_free(&like);
    if (rc != 0)
        return rc;
    xsirt_pager_init(&pager);
    for (size_t i = 0; i < json_array_size(items) && i < (size_t)limit; i++) {
        json_t *x = json_incref(json_array_get(items, i));
        xsirt_finding_hide(x, db, by);
        if (!xsirt_pager_add(&pager, x, json_integer_value(json_object_get(x, "id"))))
            break;
    }
    *out = xsirt_pager_finish(&pager, json_array_size(items) > (size_t)limit);
    json_decref(items);
    return *out != NULL ? 0 : xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
}

/* ---- history ------------------------------------------------------------ */

static int finding_event(xsirt_db *db, int64_t actor, int64_t id, const char *kind, json_t *data,
                         const char *now, xsirt_error *err)
{
    char *text = json_dumps(data != NULL ? data : json_object(), JSON_COMPACT | JSON_SORT_KEYS);
    xsirt_db_value p[5];
    int rc;

    json_decref(data);
    if (text == NULL)
        return xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    p[0] = XSIRT_DB_INTV(id);
    p[1] = XSIRT_DB_TEXTV(now);
    p[2] = actor != 0 ? XSIRT_DB_INTV(actor) : XSIRT_DB_NULLV;
    p[3] = XSIRT_DB_TEXTV(kind);
    p[4] = XSIRT_DB_TEXTV(text);
    rc = xsirt_db_exec(db, "INSERT INTO finding_events (finding_id, at, actor_id, kind, data) "
                           "VALUES (?, ?, ?, ?, ?)", p, 5, NULL, err);
    free(text);
    return rc;
}

/* ---- metrics (issue 16) ------------------------------------------------- */

/* Every change of a finding moves its counters in the same transaction
 * (store/metrics.h, docs/metrics.md): finding_metrics_begin before the
 * change, finding_metrics_end after (which also keeps closed_at). */
static int finding_metrics_begin(xsirt_metrics_finding *m, xsirt_db *db, int64_t id, xsirt_error *err)
{
    return xsirt_metrics_finding_begin(m, db, id, err);
}

static int finding_metrics_end(const xsirt_metrics_finding *m, xsirt_db *db, int rc, xsirt_error *err)
{
    return rc != 0 ? rc : xsirt_metrics_finding_end(m, db, err);
}

/* ---- recording a scan --------------------------------------------------- */

/* New findings go in as multi-row inserts: a large SBOM's thousands of
 * findings are hundreds of statements. On PostgreSQL 14 rows of 18
 * columns stay under the 256 parameters of db_postgres.c; SQLite binds
 * up to 999 in any build, and each statement costs about as much as a
 * row (65,000 instructions, callgrind): 55 rows. */
#define FINDING_BATCH_POSTGRES 14
#define FINDING_BATCH 55
#define FINDING_COLUMNS 18
/* Component keys per statement when a partial record loads the findings
 * of the components it scanned (db_postgres.c binds at most 256). */
#define FINDING_KEYS_PER_QUERY 200

/* Findings seen again are written together (finding_again): touched
 * FINDING_TOUCH_PER to a statement, rewritten FINDING_REWRITE_PER (five
 * values each); with the statement's two values, under the 256
 * parameters of db_postgres.c. */
#define FINDING_TOUCH_PER 250
#define FINDING_REWRITE_PER 50
#define FINDING_REWRITE_COLUMNS 5

typedef struct finding_batch {
    xsirt_db_value p[FINDING_BATCH * FINDING_COLUMNS];   /* keys: finding_keys' */
    size_t n;
} finding_batch;

/* An existing finding in reach of the record, as read once before it:
 * its row of FINDING_OLD_COLUMNS (FINDING_OLD_*: their positions), and
 * whether the scan saw it again. */
enum {
    FINDING_OLD_ID, FINDING_OLD_ACTIVE, FINDING_OLD_SBOM, FINDING_OLD_PRIORITY,
    FINDING_OLD_FIRST_SEEN, FINDING_OLD_SCORE, FINDING_OLD_KEV, FINDING_OLD_EPSS,
    FINDING_OLD_FINGERPRINT,
    FINDING_OLD_NAME, FINDING_OLD_VERSION, FINDING_OLD_PURL, FINDING_OLD_CPE,
    FINDING_OLD_STATE, FINDING_OLD_CLOSED, FINDING_OLD_KEY, FINDING_OLD_VULN
};
#define FINDING_OLD_COLUMNS                                                                \
    "id, active, sbom_id, priority, first_seen, score10, kev, epss_ppm, fingerprint, "    \
    "component_name, component_version, component_purl, "                                 \
    "component_cpe, state, closed_at, component_key, vuln_id"

typedef struct finding_old {
    const xsirt_db_rows *rows;
    size_t row;
    bool seen;
} finding_old;

/* A finding seen again whose counters do not move (store/metrics.h),
 * written with others at the end of the record: touched (its SBOM and
 * last_seen) when the scan gives what it holds, rewritten with its
 * record's values (a changed CVSS score or EPSS) otherwise. */
typedef struct finding_again {
    size_t record;   /* rewritten from this record of the scan; SIZE_MAX: touched */
    int64_t id;
} finding_again;

/* What a matched record gives each of its findings, made on its first
 * finding: a record usually matches many components of an SBOM. */
typedef struct finding_rec {
    char *fingerprint;
    const char *priority;    /* NULL until made */
} finding_rec;

typedef struct finding_ctx {
    xsirt_db *db;
    int64_t asset, sbom, team, parent;
    char criticality[16], exposure[16];
    json_t *rule;
    const json_t *scope;     /* partial: the vulnerability ids recorded; NULL: all */
    json_t *existing;        /* "key\nvuln" -> index into olds */
    finding_old *olds;       /* the asset's findings in reach */
    size_t n_olds;
    xsirt_db_rows **old_rows;   /* the results olds point into */
    size_t n_old_rows;
    finding_rec *recs;       /* per record of the scan */
    char **keys, **bases;    /* per component of the scan (finding_keys), or NULL */
    size_t n_keys;
    finding_again *again;    /* findings seen again, written together */
    size_t n_again;
    size_t recorded;         /* findings of this scan in scope, each once */
    json_t *decided;         /* "base\nvuln" decided on the asset or a sibling */
    json_t *carry;           /* [key, base, vuln] of new findings to carry to */
    size_t inserted, batch_max;
    int64_t inserted_by[8];  /* of those, by priority and KEV (finding_metrics_new) */
    finding_batch batch;
    char now[XSIRT_TIME_MAX];
    xsirt_sla sla[4];        /* due dates by priority, from now */
} finding_ctx;

/* Which (component, vulnerability) pairs have a decision to carry over:
 * one query, so that new findings without one cost no lookup. */
static int finding_ctx_decided(finding_ctx *c, xsirt_error *err)
{
    xsirt_db_value p[2] = {XSIRT_DB_INTV(c->asset), XSIRT_DB_INTV(c->parent)};
    xsirt_db_rows *rows = NULL;
    int rc = xsirt_db_query(&rows, c->db,
                            "SELECT DISTINCT f.component_base, f.vuln_id FROM findings f JOIN "
                            "assets a ON a.id = f.asset_id WHERE (a.id = ? OR a.parent_id = ?) "
                            "AND f.state <> 'in_triage'", p, 2, err);

    for (size_t i = 0; rc == 0 && i < xsirt_db_rows_count(rows); i++) {
        char key[XSIRT_LIMIT_IDENTIFIER + XSIRT_LIMIT_VERSION + 512];
        snprintf(key, sizeof key, "%s\n%s", xsirt_db_rows_text(rows, i, 0),
                 xsirt_db_rows_text(rows, i, 1));
        json_object_set_new(c->decided, key, json_true());
    }
    xsirt_db_rows_free(rows);
    return rc;
}

static const char *finding_old_text(const finding_old *o, int col)
{
    return xsirt_db_rows_text(o->rows, o->row, (size_t)col);
}

static int64_t finding_old_int(const finding_old *o, int col)
{
    return xsirt_db_rows_int(o->rows, o->row, (size_t)col);
}

/* Adds the rows of FINDING_OLD_COLUMNS to c->olds, and takes them. */
static int finding_ctx_keep(finding_ctx *c, xsirt_db_rows *rows, xsirt_error *err)
{
    size_t n = xsirt_db_rows_count(rows);
    xsirt_db_rows **kept = realloc(c->old_rows, (c->n_old_rows + 1) * sizeof *kept);
    finding_old *olds;

    if (kept == NULL) {
        xsirt_db_rows_free(rows);
        return xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    }
    c->old_rows = kept;
    kept[c->n_old_rows++] = rows;
    if (n == 0)
        return 0;
    if ((olds = realloc(c->olds, (c->n_olds + n) * sizeof *olds)) == NULL)
        return xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    c->olds = olds;
    for (size_t i = 0; i < n; i++) {
        char key[XSIRT_LIMIT_IDENTIFIER + XSIRT_LIMIT_VERSION + 512];
        snprintf(key, sizeof key, "%s\n%s", xsirt_db_rows_text(rows, i, FINDING_OLD_KEY),
                 xsirt_db_rows_text(rows, i, FINDING_OLD_VULN));
        if (json_object_get(c->existing, key) != NULL)
            continue;   /* the same finding again, from another chunk of keys */
        c->olds[c->n_olds] = (finding_old){rows, i, false};
        json_object_set_new(c->existing, key, json_integer((json_int_t)c->n_olds++));
    }
    return 0;
}

/* Every finding of the asset (a whole record: an upload, or the whole
 * portfolio matched again). */
static int finding_ctx_existing_all(finding_ctx *c, xsirt_error *err)
{
    xsirt_db_value p[1] = {XSIRT_DB_INTV(c->asset)};
    xsirt_db_rows *rows = NULL;
    int rc = xsirt_db_query(&rows, c->db, "SELECT " FINDING_OLD_COLUMNS " FROM findings WHERE "
                                          "asset_id = ?", p, 1, err);

    return rc == 0 ? finding_ctx_keep(c, rows, err) : rc;
}

/* The findings of the asset on the components f scanned (a partial
 * record), FINDING_KEYS_PER_QUERY keys a statement. */
static int finding_ctx_existing_of(finding_ctx *c, const xsirt_findings *f, xsirt_error *err)
{
    const xsirt_sbom *view = f != NULL ? f->sbom : NULL;
    size_t n = view != NULL ? view->component_count : 0;
    xsirt_db_value p[1 + FINDING_KEYS_PER_QUERY];
    char *keys[FINDING_KEYS_PER_QUERY];
    xsirt_buf sql;
    int rc = 0;

    xsirt_buf_init(&sql, 8 * 1024);
    for (size_t start = 0; rc == 0 && start < n; start += FINDING_KEYS_PER_QUERY) {
        size_t m = n - start < FINDING_KEYS_PER_QUERY ? n - start : FINDING_KEYS_PER_QUERY, k = 0;
        xsirt_db_rows *rows = NULL;
        xsirt_buf_reset(&sql);
        xsirt_buf_puts(&sql, "SELECT " FINDING_OLD_COLUMNS " FROM findings WHERE asset_id = ? "
                             "AND component_key IN (");
        p[0] = XSIRT_DB_INTV(c->asset);
        for (size_t i = 0; i < m; i++) {
            const xsirt_sbom_component *comp = &view->components[start + i];
            if ((keys[k] = xsirt_finding_component_key(comp->name, comp->version, comp->purl,
                                                       comp->cpe, true)) == NULL)
                continue;
            xsirt_buf_puts(&sql, k == 0 ? "?" : ", ?");
            p[1 + k] = XSIRT_DB_TEXTV(keys[k]);
            k++;
        }
        xsirt_buf_puts(&sql, ")");
        if (k > 0)
            rc = xsirt_db_query(&rows, c->db, xsirt_buf_cstr(&sql), p, 1 + k, err);
        if (rc == 0 && rows != NULL)
            rc = finding_ctx_keep(c, rows, err);
        for (size_t i = 0; i < k; i++)
            free(keys[i]);
    }
    xsirt_buf_free(&sql);
    return rc;
}

/* What recording needs to know of the asset, once per scan. */
static int finding_ctx_open(finding_ctx *c, xsirt_db *db, int64_t asset, int64_t sbom,
                            const json_t *scope, xsirt_error *err)
{
    xsirt_db_value p[1] = {XSIRT_DB_INTV(asset)};
    xsirt_db_rows *rows = NULL;
    int rc;

    memset(c, 0, sizeof *c);
    c->db = db;
    c->asset = asset;
    c->sbom = sbom;
    c->batch_max = xsirt_db_backend_of(db) == XSIRT_DB_POSTGRES ? FINDING_BATCH_POSTGRES : FINDING_BATCH;
    c->scope = scope;
    xsirt_clock_now(c->now);
    c->existing = json_object();
    c->decided = json_object();
    c->carry = json_array();
    if ((rc = xsirt_db_query(&rows, db, "SELECT team_id, parent_id, criticality, exposure FROM "
                                        "assets WHERE id = ?", p, 1, err)) != 0)
        return rc;
    if (xsirt_db_rows_count(rows) == 1) {
        c->team = xsirt_db_rows_int(rows, 0, 0);
        c->parent = xsirt_db_rows_int(rows, 0, 1);
        xsirt_strlcpy(c->criticality, xsirt_db_rows_text(rows, 0, 2), sizeof c->criticality);
        xsirt_strlcpy(c->exposure, xsirt_db_rows_text(rows, 0, 3), sizeof c->exposure);
    }
    xsirt_db_rows_free(rows);
    if ((rc = xsirt_settings_value(&c->rule, db, "priority_rule", err)) != 0)
        return rc;
    for (int i = 0; rc == 0 && i < 4; i++) {
        static const char *const prios[] = {"P1", "P2", "P3", "P4"};
        rc = xsirt_service_level_due(&c->sla[i], db, c->team, xsirt_priority_severity(prios[i]),
                                     c->now, err);
    }
    if (rc == 0)
        rc = finding_ctx_decided(c, err);
    return rc;
}

static void finding_ctx_close(finding_ctx *c, size_t n_records)
{
    for (size_t i = 0; i < c->n_keys; i++) {
        free(c->keys[i]);
        free(c->bases[i]);
    }
    free(c->keys);
    free(c->bases);
    for (size_t i = 0; c->recs != NULL && i < n_records; i++) {
        free(c->recs[i].fingerprint);
    }
    free(c->recs);
    for (size_t i = 0; i < c->n_old_rows; i++)
        xsirt_db_rows_free(c->old_rows[i]);
    free(c->old_rows);
    free(c->olds);
    free(c->again);
    json_decref(c->rule);
    json_decref(c->existing);
    json_decref(c->decided);
    json_decref(c->carry);
}

/* The CVSS vector shown with a finding: v3 first (the most widely scored),
 * then v4, then v2. */
static const char *finding_vector(const xsirt_match_record *r)
{
    static const char *const order[] = {"CVSS_V3", "CVSS_V4", "CVSS_V2"};

    for (size_t k = 0; k < 3; k++)
        for (size_t i = 0; i < r->n_severities; i++)
            if (r->severity_types[i] != NULL && strcmp(r->severity_types[i], order[k]) == 0)
                return r->severity_vectors[i];
    return NULL;
}

/* A record's aliases as the aliases column holds them (malloc'ed). */
static char *finding_aliases_text(const xsirt_match_record *r)
{
    json_t *al = json_array();
    char *text;

    for (size_t i = 0; i < r->n_aliases; i++)
        json_array_append_new(al, json_string(r->aliases[i]));
    text = json_dumps(al, JSON_COMPACT);
    json_decref(al);
    return text;
}

/* One value of a fingerprint: NULL and text told apart. */
static void finding_print(xsirt_buf *b, const char *text)
{
    if (text == NULL)
        xsirt_buf_puts(b, "\x1e");
    else
        xsirt_buf_printf(b, "%s\x1f", text);
}

static void finding_print_int(xsirt_buf *b, bool null, long long v)
{
    char n[32];

    snprintf(n, sizeof n, "%lld", v);
    finding_print(b, null ? NULL : n);
}

/* The fingerprint of a record's findings: what they hold of it (the
 * text is its vulnerability's, schema 20). */
static char *finding_fingerprint_of(const xsirt_findings_record *fr)
{
    const xsirt_match_record *r = &fr->rec;
    char *out = malloc(17);
    uint64_t h = 14695981039346656037ULL;   /* FNV-1a, 64 bits */
    xsirt_buf b;

    xsirt_buf_init(&b, SIZE_MAX / 2);
    finding_print_int(&b, fr->score < 0, fr->score >= 0 ? lround(fr->score * 10) : 0);
    finding_print_int(&b, false, r->kev ? 1 : 0);
    finding_print_int(&b, !r->has_epss, r->has_epss ? lround(r->epss * 1e6) : 0);
    for (const char *c = xsirt_buf_cstr(&b); *c != '\0'; c++)
        h = (h ^ (unsigned char)*c) * 1099511628211ULL;
    if (out != NULL)
        snprintf(out, 17, "%016llx", (unsigned long long)h);
    xsirt_buf_free(&b);
    return out;
}

char *xsirt_finding_fingerprint(const xsirt_findings *f, const xsirt_finding *it)
{
    return finding_fingerprint_of(&f->records[it->record]);
}

/* Vulnerabilities a statement when their text is written (four values
 * each, under the 256 parameters of db_postgres.c). */
#define FINDING_VULNS_PER 50

/* One batch of xsirt_finding_vulnerabilities_put: n rows of p, two
 * statements. New ones inserted (DO NOTHING: no lock on a row that is
 * there), then those whose text differs (NULL and '' apart) updated: a row
 * that matches is neither written nor, on PostgreSQL, locked, so that
 * uploads sharing vulnerabilities do not wait for each other (an upsert's
 * DO UPDATE locks the row it meets even when its WHERE leaves it). */
static int finding_vulns_flush(xsirt_db *db, xsirt_db_value *p, char **aliases, size_t n,
                               bool update_only, xsirt_error *err)
{
    xsirt_buf sql;
    int rc = 0;

    if (n == 0)
        return 0;
    xsirt_buf_init(&sql, 96 * FINDING_VULNS_PER + 1024);   /* a bound: the UPDATE is the longer */
    if (!update_only) {
        xsirt_buf_puts(&sql, "INSERT INTO vulnerabilities (id, aliases, summary, cvss_vector) VALUES ");
        for (size_t i = 0; i < n; i++)
            xsirt_buf_puts(&sql, i == 0 ? "(?, ?, ?, ?)" : ", (?, ?, ?, ?)");
        xsirt_buf_puts(&sql, " ON CONFLICT (id) DO NOTHING");
        rc = xsirt_db_exec(db, xsirt_buf_cstr(&sql), p, n * 4, NULL, err);
        xsirt_buf_reset(&sql);
    }
    xsirt_buf_puts(&sql, "UPDATE vulnerabilities SET aliases = v.column2, summary = v.column3, "
                         "cvss_vector = v.column4 FROM (VALUES ");
    for (size_t i = 0; i < n; i++)
        xsirt_buf_puts(&sql, i == 0 ? "(CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), "
                                      "CAST(? AS TEXT))"
                                    : ", (CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), "
                                      "CAST(? AS TEXT))");
    xsirt_buf_puts(&sql, ") AS v WHERE vulnerabilities.id = v.column1 AND ("
                         "vulnerabilities.aliases <> v.column2 OR "
                         "COALESCE(vulnerabilities.summary, '') <> COALESCE(v.column3, '') OR "
                         "(vulnerabilities.summary IS NULL) <> (v.column3 IS NULL) OR "
                         "COALESCE(vulnerabilities.cvss_vector, '') <> COALESCE(v.column4, '') OR "
                         "(vulnerabilities.cvss_vector IS NULL) <> (v.column4 IS NULL))");
    if (rc == 0)
        rc = xsirt_db_exec(db, xsirt_buf_cstr(&sql), p, n * 4, NULL, err);
    xsirt_buf_free(&sql);
    for (size_t i = 0; i < n; i++)
        free(aliases[i]);
    return rc;
}

/* Records by id: every writer takes the rows of vulnerabilities in one
 * order (two first uploads inserting the same new ones cannot deadlock). */
static int finding_vulns_order(const void *a, const void *b)
{
    const xsirt_match_record *x = *(const xsirt_match_record *const *)a;
    const xsirt_match_record *y = *(const xsirt_match_record *const *)b;

    return strcmp(x->id, y->id);
}

/* Writes the text of the m records of order (sorted here), in batches. */
static int finding_vulns_write(xsirt_db *db, const xsirt_match_record **order, size_t m,
                               bool update_only, xsirt_error *err)
{
    xsirt_db_value p[FINDING_VULNS_PER * 4];
    char *aliases[FINDING_VULNS_PER];
    size_t n = 0;
    int rc = 0;

    qsort(order, m, sizeof *order, finding_vulns_order);
    for (size_t k = 0; rc == 0 && k < m; k++) {
        const xsirt_match_record *r = order[k];
        if ((aliases[n] = finding_aliases_text(r)) == NULL) {
            rc = xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
            break;
        }
        p[n * 4] = XSIRT_DB_TEXTV(r->id);
        p[n * 4 + 1] = XSIRT_DB_TEXTV(aliases[n]);
        p[n * 4 + 2] = XSIRT_DB_TEXTV(r->summary);
        p[n * 4 + 3] = XSIRT_DB_TEXTV(finding_vector(r));
        if (++n == FINDING_VULNS_PER) {
            rc = finding_vulns_flush(db, p, aliases, n, update_only, err);
            n = 0;
        }
    }
    if (rc == 0)
        rc = finding_vulns_flush(db, p, aliases, n, update_only, err);
    else
        for (size_t i = 0; i < n; i++)
            free(aliases[i]);
    return rc;
}

int xsirt_finding_vulnerabilities_put(xsirt_db *db, const xsirt_findings *f, const json_t *scope,
                                      xsirt_error *err)
{
    const xsirt_match_record **order;
    size_t m = 0;
    bool *used;
    int rc;

    if (f == NULL || f->n_records == 0)
        return 0;
    used = calloc(f->n_records, sizeof *used);
    order = calloc(f->n_records, sizeof *order);
    if (used == NULL || order == NULL) {
        free(used);
        free(order);
        return xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < f->count; i++)
        if (!f->items[i].suppressed)
            used[f->items[i].record] = true;
    for (size_t i = 0; i < f->n_records; i++)
        if (used[i] && (scope == NULL || json_object_get(scope, f->records[i].rec.id) != NULL))
            order[m++] = &f->records[i].rec;
    rc = finding_vulns_write(db, order, m, false, err);
    free(used);
    free(order);
    return rc;
}

int xsirt_finding_vulnerabilities_text(xsirt_db *db, const xsirt_match_record *records, size_t n,
                                       xsirt_error *err)
{
    const xsirt_match_record **order;
    int rc;

    if (n == 0)
        return 0;
    if ((order = calloc(n, sizeof *order)) == NULL)
        return xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++)
        order[i] = &records[i];
    if ((rc = xsirt_db_begin(db, err)) == 0) {
        rc = finding_vulns_write(db, order, n, true, err);
        rc = xsirt_store_finish(db, rc, err);
    }
    free(order);
    return rc;
}

/* The record's part of its findings, made on its first one. */
static const finding_rec *finding_rec_of(finding_ctx *c, const xsirt_findings *f, size_t record)
{
    finding_rec *r = &c->recs[record];
    const xsirt_findings_record *fr = &f->records[record];
    xsirt_priority_facts facts = {fr->score, fr->rec.kev, fr->rec.has_epss ? fr->rec.epss : -1.0,
                                  c->criticality, c->exposure};

    if (r->priority != NULL)
        return r;
    if ((r->fingerprint = finding_fingerprint_of(fr)) == NULL)
        return NULL;
    r->priority = xsirt_priority_eval(c->rule, &facts);
    return r;
}

/* Copies a decision from the newest decided finding on the same component
 * (any version) and vulnerability, of the asset itself or of a sibling
 * (an asset with the same parent). */
static int finding_carry_over(finding_ctx *c, int64_t id, const char *base, const char *vuln,
                              xsirt_error *err)
{
    xsirt_db_value p[5] = {XSIRT_DB_TEXTV(base), XSIRT_DB_TEXTV(vuln), XSIRT_DB_INTV(id),
                           XSIRT_DB_INTV(c->asset), XSIRT_DB_INTV(c->parent)};
    xsirt_db_value u[6];
    xsirt_db_rows *rows = NULL;
    xsirt_metrics_finding m;
    int rc;

    if ((rc = xsirt_db_query(&rows, c->db,
                             "SELECT f.id, f.asset_id, f.state, f.justification, f.response, "
                             "f.detail FROM findings f JOIN assets a ON a.id = f.asset_id "
                             "WHERE f.component_base = ? AND f.vuln_id = ? AND f.id <> ? AND "
                             "f.state <> 'in_triage' AND (a.id = ? OR a.parent_id = ?) "
                             "ORDER BY f.id DESC LIMIT 1", p, 5, err)) != 0 ||
        xsirt_db_rows_count(rows) == 0) {
        xsirt_db_rows_free(rows);
        return rc;
    }
    u[0] = XSIRT_DB_TEXTV(xsirt_db_rows_text(rows, 0, 2));
    u[1] = XSIRT_DB_TEXTV(xsirt_db_rows_text(rows, 0, 3));
    u[2] = XSIRT_DB_TEXTV(xsirt_db_rows_text(rows, 0, 4));
    u[3] = XSIRT_DB_TEXTV(xsirt_db_rows_text(rows, 0, 5));
    u[4] = XSIRT_DB_INTV(xsirt_db_rows_int(rows, 0, 0));
    u[5] = XSIRT_DB_INTV(id);
    rc = finding_metrics_begin(&m, c->db, id, err);
    if (rc == 0)
        rc = xsirt_db_exec(c->db, "UPDATE findings SET state = ?, justification = ?, response = ?, "
                                  "detail = ?, carried_from = ? WHERE id = ?", u, 6, NULL, err);
    rc = finding_metrics_end(&m, c->db, rc, err);
    if (rc == 0)
        rc = finding_event(c->db, 0, id, "carried_over",
                           json_pack("{s:I, s:I, s:s}", "from",
                                     (json_int_t)xsirt_db_rows_int(rows, 0, 0), "asset",
                                     (json_int_t)xsirt_db_rows_int(rows, 0, 1), "state",
                                     xsirt_db_rows_text(rows, 0, 2)),
                           c->now, err);
    xsirt_db_rows_free(rows);
    return rc;
}

/* The counters of the new findings (store/metrics.h). They were
 * inserted as open, active, first seen now, due by their priority's
 * service level, so they differ only by priority and KEV: counted by
 * those as they went in (c->inserted_by), not read back. */
static int finding_metrics_new(finding_ctx *c, xsirt_error *err)
{
    xsirt_metrics_finding kinds[8];

    memset(kinds, 0, sizeof kinds);
    for (int i = 0; i < 8; i++) {
        xsirt_metrics_finding *k = &kinds[i];
        k->team = c->team;
        k->asset = c->asset;
        k->found = k->open = true;
        k->kev = i % 2 == 1;
        snprintf(k->priority, sizeof k->priority, "P%d", i / 2 + 1);
        xsirt_strlcpy(k->first_seen, c->now, sizeof k->first_seen);
        xsirt_strlcpy(k->due, c->sla[i / 2].remediate, sizeof k->due);
    }
    return xsirt_metrics_findings_add(c->db, kinds, c->inserted_by, 8, err);
}

/* Inserts the batched new findings. */
static int finding_flush(finding_ctx *c, xsirt_error *err)
{
    finding_batch *b = &c->batch;
    xsirt_buf sql;
    int rc;

    if (b->n == 0)
        return 0;
    xsirt_buf_init(&sql, 16 * 1024);
    xsirt_buf_puts(&sql, "INSERT INTO findings (sbom_id, component_name, component_version, "
                         "component_purl, component_cpe, score10, kev, epss_ppm, priority, "
                         "last_seen, asset_id, component_key, vuln_id, due, first_seen, "
                         "component_base, fingerprint, first_sbom_id, vuln_indexed) VALUES ");
    /* Pending in the index by vulnerability (deferred_index.h). */
    for (size_t i = 0; i < b->n; i++)
        xsirt_buf_puts(&sql, i == 0 ? "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)"
                                    : ", (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)");
    rc = xsirt_db_exec(c->db, xsirt_buf_cstr(&sql), b->p, b->n * FINDING_COLUMNS, NULL, err);
    xsirt_buf_free(&sql);
    c->inserted += b->n;
    b->n = 0;
    return rc;
}

/* After the inserts: the new findings' counters, then the decisions
 * carried over to them. Their "created" events are not stored: the
 * history tells them from first_seen and first_sbom_id. */
static int finding_finish_new(finding_ctx *c, xsirt_error *err)
{
    const json_t *v;
    size_t i;
    int rc;

    if (c->inserted == 0)
        return 0;
    rc = finding_metrics_new(c, err);
    json_array_foreach(c->carry, i, v) {
        xsirt_db_value q[3] = {XSIRT_DB_INTV(c->asset),
                               XSIRT_DB_TEXTV(json_string_value(json_array_get(v, 0))),
                               XSIRT_DB_TEXTV(json_string_value(json_array_get(v, 2)))};
        int64_t id = 0;
        if (rc == 0)
            rc = xsirt_db_query_int(&id, c->db, "SELECT id FROM findings WHERE asset_id = ? AND "
                                                "component_key = ? AND vuln_id = ?", q, 3, err);
        if (rc == 0)
            rc = finding_carry_over(c, id, json_string_value(json_array_get(v, 1)),
                                    json_string_value(json_array_get(v, 2)), err);
    }
    return rc;
}

/* Whether a stored value (FINDING_OLD_*) equals the one a scan gives. */
static bool finding_same_text(const finding_old *o, int col, const char *now)
{
    const char *old = finding_old_text(o, col);

    return now == NULL ? old == NULL : old != NULL && strcmp(old, now) == 0;
}

static bool finding_same_int(const finding_old *o, int col, const xsirt_db_value *now)
{
    return now->type == XSIRT_DB_NULL ? finding_old_text(o, col) == NULL
                                      : finding_old_text(o, col) != NULL &&
                                            finding_old_int(o, col) == now->i;
}

/* How a finding seen again is written (p as finding_record_one fills it). */
typedef enum finding_write {
    FINDING_WRITE,     /* alone, with its counters (priority or KEV changed, gone and back) */
    FINDING_REWRITE,   /* with the others of its record (c->again) */
    FINDING_TOUCH,     /* its SBOM and last_seen, with the others touched (c->again) */
    FINDING_KEEP       /* not at all */
} finding_write;

/* A partial record of the finding's own SBOM leaves it unwritten when the
 * scan gives what it holds. Otherwise, when nothing its counters depend
 * on changes — still active, the same priority and KEV, and its closed_at
 * true to its state — nor its component's names, it is written with
 * others: touched when the record's values are the ones it holds,
 * rewritten with them otherwise. */
static finding_write finding_compare(const finding_ctx *c, const finding_old *o,
                                     const xsirt_db_value *p)
{
    const char *state = finding_old_text(o, FINDING_OLD_STATE);
    bool open = state != NULL &&
                (strcmp(state, "in_triage") == 0 || strcmp(state, "exploitable") == 0);
    bool same = finding_same_int(o, FINDING_OLD_SCORE, &p[5]) &&
                finding_same_int(o, FINDING_OLD_EPSS, &p[7]) &&
                finding_same_text(o, FINDING_OLD_FINGERPRINT, p[16].s);

    if (finding_old_int(o, FINDING_OLD_ACTIVE) != 1 ||
        !finding_same_int(o, FINDING_OLD_KEV, &p[6]) ||
        !finding_same_text(o, FINDING_OLD_PRIORITY, p[8].s))
        return FINDING_WRITE;
    if (same && c->scope != NULL && finding_old_int(o, FINDING_OLD_SBOM) == c->sbom)
        return FINDING_KEEP;
    if (!finding_same_text(o, FINDING_OLD_NAME, p[1].s) ||
        !finding_same_text(o, FINDING_OLD_VERSION, p[2].s) ||
        !finding_same_text(o, FINDING_OLD_PURL, p[3].s) ||
        !finding_same_text(o, FINDING_OLD_CPE, p[4].s) ||
        open != (finding_old_text(o, FINDING_OLD_CLOSED) == NULL))
        return FINDING_WRITE;
    return same ? FINDING_TOUCH : FINDING_REWRITE;
}

/* A record's columns of its findings: score10, kev, epss_ppm (its text
 * is its vulnerability's, xsirt_finding_vulnerabilities_put). */
static void finding_record_columns(xsirt_db_value *p, const xsirt_findings_record *fr)
{
    const xsirt_match_record *r = &fr->rec;

    p[0] = fr->score >= 0 ? XSIRT_DB_INTV(lround(fr->score * 10)) : XSIRT_DB_NULLV;
    p[1] = XSIRT_DB_INTV(r->kev ? 1 : 0);
    p[2] = r->has_epss ? XSIRT_DB_INTV(lround(r->epss * 1e6)) : XSIRT_DB_NULLV;
}

/* Touched findings first, then by record (the statements repeat). */
static int finding_again_order(const void *a, const void *b)
{
    const finding_again *x = a, *y = b;

    if (x->record != y->record)
        return x->record == SIZE_MAX ? -1 : y->record == SIZE_MAX ? 1 : x->record < y->record ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

/* The findings of c->again from i on written the same way, one UPDATE
 * (*next the first after them): touched, at most FINDING_TOUCH_PER, their
 * SBOM and last_seen by id; rewritten, at most FINDING_REWRITE_PER, joined
 * with their values, each row its finding's id and its record's columns
 * (a sync's changed records are about as many as their findings, so one
 * statement per record would not batch). The casts type the values for
 * PostgreSQL, which binds them as text. */
static int finding_again_batch(finding_ctx *c, const xsirt_findings *f, size_t i, size_t *next,
                               xsirt_error *err)
{
    bool rewrite = c->again[i].record != SIZE_MAX;
    size_t per = rewrite ? FINDING_REWRITE_PER : FINDING_TOUCH_PER;
    size_t width = rewrite ? FINDING_REWRITE_COLUMNS : 1, n = 0;
    xsirt_db_value p[2 + FINDING_TOUCH_PER];   /* >= 2 + FINDING_REWRITE_PER * its columns */
    xsirt_buf sql;
    int rc;

    p[0] = XSIRT_DB_INTV(c->sbom);
    p[1] = XSIRT_DB_TEXTV(c->now);
    xsirt_buf_init(&sql, 160 * FINDING_TOUCH_PER + 512);
    xsirt_buf_puts(&sql, rewrite ? "UPDATE findings SET sbom_id = ?, last_seen = ?, "
                                   "score10 = v.column2, kev = v.column3, epss_ppm = v.column4, "
                                   "fingerprint = v.column5 FROM (VALUES "
                                 : "UPDATE findings SET sbom_id = ?, last_seen = ? WHERE id IN (");
    for (; i < c->n_again && (c->again[i].record != SIZE_MAX) == rewrite && n < per; i++, n++) {
        xsirt_db_value *row = &p[2 + n * width];
        const finding_rec *made;
        row[0] = XSIRT_DB_INTV(c->again[i].id);
        if (!rewrite) {
            xsirt_buf_puts(&sql, n == 0 ? "?" : ", ?");
            continue;
        }
        made = &c->recs[c->again[i].record];   /* made by its findings */
        xsirt_buf_puts(&sql, n == 0 ? "" : ", ");
        xsirt_buf_puts(&sql, "(CAST(? AS BIGINT), CAST(? AS INTEGER), CAST(? AS INTEGER), "
                             "CAST(? AS INTEGER), CAST(? AS TEXT))");
        finding_record_columns(&row[1], &f->records[c->again[i].record]);
        row[4] = XSIRT_DB_TEXTV(made->fingerprint);
    }
    xsirt_buf_puts(&sql, rewrite ? ") AS v WHERE findings.id = v.column1" : ")");
    rc = xsirt_db_exec(c->db, xsirt_buf_cstr(&sql), p, 2 + n * width, NULL, err);
    xsirt_buf_free(&sql);
    *next = i;
    return rc;
}

/* The findings seen again that are written together: thousands of them
 * in a few dozen statements. */
static int finding_again_write(finding_ctx *c, const xsirt_findings *f, xsirt_error *err)
{
    int rc = 0;

    if (c->n_again > 1)
        qsort(c->again, c->n_again, sizeof *c->again, finding_again_order);
    for (size_t i = 0; rc == 0 && i < c->n_again;)
        rc = finding_again_batch(c, f, i, &i, err);
    c->n_again = 0;
    return rc;
}

/* A finding matched again (p[0..9] and p[16] as finding_record_one
 * fills them):
 * updated, reactivated if it had gone, and given the due date of its new
 * priority, counted from when it was first seen, when the priority
 * changed (a new KEV or EPSS, a changed CVSS). */
static int finding_seen_again(finding_ctx *c, finding_old *o, size_t record, xsirt_db_value *p,
                              xsirt_error *err)
{
    int64_t id = finding_old_int(o, FINDING_OLD_ID);
    const char *prio = p[8].s;
    const char *was = finding_old_text(o, FINDING_OLD_PRIORITY);
    bool reprioritised = was != NULL && strcmp(was, prio) != 0;
    finding_write how = finding_compare(c, o, p);
    xsirt_metrics_finding m;
    xsirt_sla sla;
    int rc = 0;

    o->seen = true;
    switch (how) {
    case FINDING_KEEP:
        return 0;
    case FINDING_TOUCH:
    case FINDING_REWRITE:
        if (c->again == NULL && (c->again = calloc(c->n_olds, sizeof *c->again)) == NULL)
            return xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
        /* Each old finding is seen once (finding_record_scan): n_olds is room enough. */
        c->again[c->n_again].record = how == FINDING_TOUCH ? SIZE_MAX : record;
        c->again[c->n_again++].id = id;
        return 0;
    case FINDING_WRITE:
        break;
    }
    memset(&sla, 0, sizeof sla);
    if (reprioritised)
        rc = xsirt_service_level_due(&sla, c->db, c->team, xsirt_priority_severity(prio),
                                     finding_old_text(o, FINDING_OLD_FIRST_SEEN), err);
    p[10] = p[16];
    p[11] = XSIRT_DB_INTV(reprioritised ? 1 : 0);
    p[12] = XSIRT_DB_TEXTV(sla.remediate[0] != '\0' ? sla.remediate : NULL);
    p[13] = XSIRT_DB_INTV(id);
    if (rc == 0 && (rc = finding_metrics_begin(&m, c->db, id, err)) == 0) {
        rc = xsirt_db_exec(c->db, "UPDATE findings SET sbom_id = ?, component_name = ?, "
                                  "component_version = ?, component_purl = ?, component_cpe = ?, "
                                  "score10 = ?, kev = ?, epss_ppm = ?, priority = ?, "
                                  "last_seen = ?, fingerprint = ?, active = 1, "
                                  "due = CASE WHEN ? = 1 THEN ? ELSE due END "
                                  "WHERE id = ?", p, 14, NULL, err);
        rc = finding_metrics_end(&m, c->db, rc, err);
    }
    if (rc == 0 && finding_old_int(o, FINDING_OLD_ACTIVE) == 0)
        rc = finding_event(c->db, 0, id, "reactivated",
                           json_pack("{s:I}", "sbom", (json_int_t)c->sbom), c->now, err);
    return rc;
}

/* A scan's findings are recorded in the order of the findings' unique
 * index (asset, component key, vulnerability): an asset's new findings
 * then enter that tree one after the other, on the pages just written,
 * where the matcher's order (by component as the document lists them)
 * put each at a place of its own. */
typedef struct finding_sorted {
    const char *key, *vuln;
    size_t item;       /* into the scan's items */
} finding_sorted;

/* By component key and vulnerability: 0 for one finding. */
static int finding_sorted_pair(const finding_sorted *a, const finding_sorted *b)
{
    int d = strcmp(a->key, b->key);

    return d != 0 ? d : strcmp(a->vuln, b->vuln);
}

static int finding_sorted_cmp(const void *pa, const void *pb)
{
    const finding_sorted *a = pa, *b = pb;
    int d = finding_sorted_pair(a, b);

    return d != 0 ? d : (a->item > b->item) - (a->item < b->item);
}

/* Each component's key and base, made once for its findings (one a
 * vulnerability), and the scan's items in the order they are recorded
 * (finding_sorted). A key too long stays NULL: its finding says so. */
static int finding_keys(finding_ctx *c, finding_sorted **order, size_t *n, const xsirt_findings *f,
                        xsirt_error *err)
{
    size_t m = f->sbom != NULL ? f->sbom->component_count : 0;

    *order = NULL;
    *n = 0;
    if (f->count == 0)
        return 0;
    c->keys = calloc(m > 0 ? m : 1, sizeof *c->keys);
    c->bases = calloc(m > 0 ? m : 1, sizeof *c->bases);
    *order = malloc(f->count * sizeof **order);
    if (c->keys == NULL || c->bases == NULL || *order == NULL)
        return xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    c->n_keys = m;
    for (size_t i = 0; i < f->count; i++) {
        const xsirt_finding *it = &f->items[i];
        const xsirt_sbom_component *comp = &f->sbom->components[it->component];
        if (it->suppressed)
            continue;
        if (c->keys[it->component] == NULL) {
            c->keys[it->component] = xsirt_finding_component_key(comp->name, comp->version,
                                                                 comp->purl, comp->cpe, true);
            c->bases[it->component] = xsirt_finding_component_key(comp->name, comp->version,
                                                                  comp->purl, comp->cpe, false);
        }
        (*order)[(*n)++] = (finding_sorted){
            c->keys[it->component] != NULL ? c->keys[it->component] : "",
            f->records[it->record].rec.id, i};
    }
    qsort(*order, *n, sizeof **order, finding_sorted_cmp);
    return 0;
}

static int finding_record_one(finding_ctx *c, const xsirt_findings *f, const xsirt_finding *it,
                              xsirt_error *err)
{
    const xsirt_sbom_component *comp = &f->sbom->components[it->component];
    const xsirt_findings_record *fr = &f->records[it->record];
    const xsirt_match_record *r = &fr->rec;
    const char *ckey = c->keys[it->component], *base = c->bases[it->component];
    const finding_rec *made;
    const char *prio;
    char key[XSIRT_LIMIT_IDENTIFIER + XSIRT_LIMIT_VERSION + 512];
    json_t *old;
    xsirt_db_value p[FINDING_COLUMNS];

    /* A partial record: vulnerabilities outside its scope stay as they are. */
    if (c->scope != NULL && json_object_get(c->scope, r->id) == NULL)
        return 0;
    if ((made = finding_rec_of(c, f, it->record)) == NULL)
        return xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    prio = made->priority;
    if (ckey == NULL || base == NULL)
        return xsirt_error_set(err, XSIRT_ELIMIT, "component identifier too long");
    c->recorded++;
    /* Looked up only where there is something to find: an upload to a
     * new asset has neither old findings nor decisions. */
    old = NULL;
    if (c->n_olds > 0) {
        snprintf(key, sizeof key, "%s\n%s", ckey, r->id);
        old = json_object_get(c->existing, key);
    }
    p[0] = XSIRT_DB_INTV(c->sbom);
    p[1] = XSIRT_DB_TEXTV(comp->name);
    p[2] = XSIRT_DB_TEXTV(comp->version);
    p[3] = XSIRT_DB_TEXTV(comp->purl);
    p[4] = XSIRT_DB_TEXTV(comp->cpe);
    finding_record_columns(&p[5], fr);
    p[8] = XSIRT_DB_TEXTV(prio);
    p[9] = XSIRT_DB_TEXTV(c->now);
    p[16] = XSIRT_DB_TEXTV(made->fingerprint);
    if (old != NULL)
        return finding_seen_again(c, &c->olds[json_integer_value(old)], it->record, p, err);
    p[10] = XSIRT_DB_INTV(c->asset);
    p[11] = XSIRT_DB_TEXTV(ckey);
    p[12] = XSIRT_DB_TEXTV(r->id);
    p[13] = XSIRT_DB_TEXTV(c->sla[prio[1] - '1'].remediate[0] != '\0'
                               ? c->sla[prio[1] - '1'].remediate : NULL);
    p[14] = XSIRT_DB_TEXTV(c->now);
    p[15] = XSIRT_DB_TEXTV(base);
    p[17] = XSIRT_DB_INTV(c->sbom);   /* its "created" event (FINDING_HISTORY_SQL) */
    if (json_object_size(c->decided) > 0) {
        snprintf(key, sizeof key, "%s\n%s", base, r->id);
        if (json_object_get(c->decided, key) != NULL)
            json_array_append_new(c->carry, json_pack("[s, s, s]", ckey, base, r->id));
    }
    c->inserted_by[(prio[1] - '1') * 2 + (r->kev ? 1 : 0)]++;
    memcpy(&c->batch.p[c->batch.n * FINDING_COLUMNS], p, sizeof p);
    if (++c->batch.n == c->batch_max)
        return finding_flush(c, err);
    return 0;
}

/* Findings in reach that this scan did not see become inactive: of the
 * asset, those the new SBOM no longer has; of a partial record, those of
 * the scanned components and the scope's vulnerabilities that no longer
 * match. */
static int finding_deactivate(finding_ctx *c, xsirt_error *err)
{
    int rc = 0;

    for (size_t i = 0; rc == 0 && i < c->n_olds; i++) {
        const finding_old *o = &c->olds[i];
        int64_t id = finding_old_int(o, FINDING_OLD_ID);
        xsirt_db_value u[1] = {XSIRT_DB_INTV(id)};
        /* Matched before from the same SBOM: the intelligence changed. */
        bool same = finding_old_int(o, FINDING_OLD_SBOM) == c->sbom;
        const char *vuln = finding_old_text(o, FINDING_OLD_VULN);
        xsirt_metrics_finding m;
        if (o->seen || finding_old_int(o, FINDING_OLD_ACTIVE) == 0 ||
            (c->scope != NULL && (vuln == NULL || json_object_get(c->scope, vuln) == NULL)))
            continue;
        if ((rc = finding_metrics_begin(&m, c->db, id, err)) == 0)
            rc = xsirt_db_exec(c->db, "UPDATE findings SET active = 0 WHERE id = ?", u, 1, NULL, err);
        rc = finding_metrics_end(&m, c->db, rc, err);
        if (rc == 0)
            rc = finding_event(c->db, 0, id, "deactivated",
                               json_pack("{s:s, s:I}", "reason",
                                         same ? "its advisory was withdrawn or no longer applies"
                                              : "not in the asset's newest SBOM",
                                         "sbom", (json_int_t)c->sbom), c->now, err);
    }
    return rc;
}

/* The record of a scan, whole (scope NULL) or partial. */
static int finding_record_scan(size_t *count, xsirt_db *db, int64_t asset_id, int64_t sbom_id,
                               const xsirt_findings *f, const json_t *scope, xsirt_error *err)
{
    finding_ctx c;
    finding_sorted *order = NULL;
    size_t n_order = 0;
    int rc = finding_ctx_open(&c, db, asset_id, sbom_id, scope, err);

    if (rc == 0)
        rc = scope == NULL ? finding_ctx_existing_all(&c, err) : finding_ctx_existing_of(&c, f, err);
    if (rc == 0 && f != NULL && f->n_records > 0 &&
        (c.recs = calloc(f->n_records, sizeof *c.recs)) == NULL)
        rc = xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    if (rc == 0)
        rc = xsirt_finding_vulnerabilities_put(db, f, scope, err);
    if (rc == 0 && f != NULL)
        rc = finding_keys(&c, &order, &n_order, f, err);
    for (size_t i = 0; rc == 0 && i < n_order; i++) {
        /* The same component twice in one SBOM: one finding (side by side
         * in this order). */
        if (i > 0 && finding_sorted_pair(&order[i], &order[i - 1]) == 0)
            continue;
        rc = finding_record_one(&c, f, &f->items[order[i].item], err);
    }
    free(order);
    if (rc == 0)
        rc = finding_flush(&c, err);
    if (rc == 0)
        rc = finding_again_write(&c, f, err);
    if (rc == 0)
        rc = finding_finish_new(&c, err);
    /* The notifications of the new findings, in this same transaction. */
    if (rc == 0 && c.inserted > 0)
        rc = xsirt_outbox_findings_new(db, asset_id, c.now, err);
    /* Without an index nothing was matched: nothing can have gone. */
    if (rc == 0 && f != NULL)
        rc = finding_deactivate(&c, err);
    *count = c.recorded;
    finding_ctx_close(&c, f != NULL ? f->n_records : 0);
    return rc;
}

int xsirt_finding_record(size_t *count, xsirt_db *db, int64_t asset_id, int64_t sbom_id,
                         const xsirt_findings *f, xsirt_error *err)
{
    return finding_record_scan(count, db, asset_id, sbom_id, f, NULL, err);
}

int xsirt_finding_record_partial(size_t *count, xsirt_db *db, int64_t asset_id, int64_t sbom_id,
                                 const xsirt_findings *f, const json_t *vulns, xsirt_error *err)
{
    if (vulns == NULL)
        return xsirt_error_set(err, XSIRT_EINVAL, "a partial record needs its vulnerabilities");
    return finding_record_scan(count, db, asset_id, sbom_id, f, vulns, err);
}

/* ---- triage ------------------------------------------------------------- */

static const xsirt_field finding_decision_fields[] = {
    {"state", XSIRT_FIELD_STRING, false, false, 32},
    {"justification", XSIRT_FIELD_STRING, false, true, 64},
    {"response", XSIRT_FIELD_ARRAY, false, false, 5},
    {"detail", XSIRT_FIELD_STRING, false, true, 64 * 1024},
    {NULL, 0, false, false, 0},
};

static int finding_check_decision(const json_t *in, xsirt_error *err)
{
    const json_t *v;
    size_t i;
    int rc;

    if (xsirt_json_has(in, "state") &&
        (rc = xsirt_json_enum(xsirt_json_str(in, "state"), finding_states, "state", err)) != 0)
        return rc;
    if (xsirt_json_str(in, "justification") != NULL &&
        (rc = xsirt_json_enum(xsirt_json_str(in, "justification"), finding_justifications,
                              "justification", err)) != 0)
        return rc;
    json_array_foreach(json_object_get(in, "response"), i, v) {
        if (!json_is_string(v))
            return xsirt_error_set_pointer(err, XSIRT_EINVAL, "response",
                                           "response must list CycloneDX responses");
        if ((rc = xsirt_json_enum(json_string_value(v), finding_responses, "response", err)) != 0)
            return rc;
    }
    return 0;
}

/* The decision in and the finding before give the decision after; a
 * justification belongs to not_affected only, which needs one or a
 * detail saying why (as VEX does). */
static int finding_merge(json_t **after, const json_t *before, const json_t *in, xsirt_error *err)
{
    json_t *a = json_pack("{s:O, s:O, s:O, s:O}", "state", json_object_get(before, "state"),
                          "justification", json_object_get(before, "justification"),
                          "response", json_object_get(before, "response"),
                          "detail", json_object_get(before, "detail"));
    const char *state, *just, *detail;

    json_object_update_existing(a, (json_t *)in);
    state = json_string_value(json_object_get(a, "state"));
    if (xsirt_json_has(in, "state") && strcmp(state, "not_affected") != 0 &&
        !xsirt_json_has(in, "justification"))
        json_object_set_new(a, "justification", json_null());
    just = json_string_value(json_object_get(a, "justification"));
    detail = json_string_value(json_object_get(a, "detail"));
    *after = a;
    if (just != NULL && strcmp(state, "not_affected") != 0)
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, "justification",
                                       "a justification goes with state not_affected only");
    if (strcmp(state, "not_affected") == 0 && just == NULL && (detail == NULL || detail[0] == '\0'))
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, "justification",
                                       "not_affected needs a justification or a detail");
    return 0;
}

/* One decision inside the caller's transaction; *out the finding after. */
static int finding_decide(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                          int64_t revision, const json_t *in, xsirt_error *err)
{
    json_t *before = NULL, *after = NULL;
    char now[XSIRT_TIME_MAX], *response = NULL;
    xsirt_db_value p[6] = {XSIRT_DB_INTV(id)};
    xsirt_metrics_finding m;
    int rc;

    *out = NULL;
    if (xsirt_db_backend_of(db) == XSIRT_DB_POSTGRES &&
        (rc = xsirt_db_exec(db, "SELECT id FROM findings WHERE id = ? FOR UPDATE", p, 1, NULL,
                            err)) != 0)
        return rc;
    if ((rc = finding_load(&before, db, by, id, err)) != 0)
        return rc;
    rc = xsirt_asset_check_writable(db, by, json_integer_value(json_object_get(before, "asset")),
                                    err);
    if (rc == 0 && revision != 0 &&
        json_integer_value(json_object_get(before, "revision")) != revision)
        rc = xsirt_error_set_pointer(err, XSIRT_ECONFLICT, "If-Match",
                                     "the finding changed since revision %lld; read it again",
                                     (long long)revision);
    if (rc == 0)
        rc = finding_merge(&after, before, in, err);
    if (rc == 0) {
        xsirt_clock_now(now);
        response = json_dumps(json_object_get(after, "response"), JSON_COMPACT);
        p[0] = XSIRT_DB_TEXTV(json_string_value(json_object_get(after, "state")));
        p[1] = XSIRT_DB_TEXTV(json_string_value(json_object_get(after, "justification")));
        p[2] = XSIRT_DB_TEXTV(response != NULL ? response : "[]");
        p[3] = XSIRT_DB_TEXTV(json_string_value(json_object_get(after, "detail")));
        p[4] = XSIRT_DB_INTV(id);
        if ((rc = finding_metrics_begin(&m, db, id, err)) == 0)
            rc = xsirt_db_exec(db, "UPDATE findings SET state = ?, justification = ?, response = ?, "
                                   "detail = ?, revision = revision + 1 WHERE id = ?", p, 5, NULL, err);
        rc = finding_metrics_end(&m, db, rc, err);
    }
    if (rc == 0)
        rc = finding_event(db, by->user_id, id, "triage", json_deep_copy(after), now, err);
    if (rc == 0)
        rc = finding_load(out, db, by, id, err);
    if (rc == 0)
        rc = xsirt_store_audit(db, by, "finding.triage", "finding", id, before, *out, err);
    free(response);
    json_decref(before);
    json_decref(after);
    if (rc != 0) {
        json_decref(*out);
        *out = NULL;
    }
    return rc;
}

int xsirt_finding_update(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                         int64_t revision, const json_t *in, xsirt_error *err)
{
    int rc;

    *out = NULL;
    if ((rc = xsirt_json_check(in, finding_decision_fields, true, err)) != 0 ||
        (rc = finding_check_decision(in, err)) != 0)
        return rc;
    if ((rc = xsirt_db_begin(db, err)) != 0)
        return rc;
    rc = finding_decide(out, db, by, id, revision, in, err);
    if ((rc = xsirt_store_finish(db, rc, err)) == 0)
        xsirt_finding_hide(*out, db, by);
    return rc;
}

int xsirt_finding_triage(json_t **out, xsirt_db *db, const xsirt_principal *by, const json_t *in,
                         xsirt_error *err)
{
    static const xsirt_field fields[] = {
        {"findings", XSIRT_FIELD_ARRAY, true, false, XSIRT_LIMIT_BATCH},
        {"state", XSIRT_FIELD_STRING, true, false, 32},
        {"justification", XSIRT_FIELD_STRING, false, true, 64},
        {"response", XSIRT_FIELD_ARRAY, false, false, 5},
        {"detail", XSIRT_FIELD_STRING, false, true, 64 * 1024},
        {NULL, 0, false, false, 0},
    };
    json_t *decision, *items, *v;
    size_t i;
    int rc;

    *out = NULL;
    if ((rc = xsirt_json_check(in, fields, false, err)) != 0 ||
        (rc = finding_check_decision(in, err)) != 0)
        return rc;
    json_array_foreach(json_object_get(in, "findings"), i, v) {
        if (!json_is_integer(v) || json_integer_value(v) <= 0)
            return xsirt_error_set_pointer(err, XSIRT_EINVAL, "findings",
                                           "findings must list finding ids");
    }
    if (json_array_size(json_object_get(in, "findings")) == 0)
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, "findings", "findings is empty");
    decision = json_deep_copy(in);
    json_object_del(decision, "findings");
    items = json_array();
    if ((rc = xsirt_db_begin(db, err)) == 0) {
        json_array_foreach(json_object_get(in, "findings"), i, v) {
            json_t *f = NULL;
            if ((rc = finding_decide(&f, db, by, (int64_t)json_integer_value(v), 0, decision,
                                     err)) != 0) {
                xsirt_error_prefix(err, "findings[%zu]: ", i);
                if (rc == XSIRT_ENOTFOUND) {
                    /* An id the caller cannot see is a bad request item. */
                    rc = XSIRT_EINVAL;
                    if (err != NULL)
                        err->code = XSIRT_EINVAL;
                    xsirt_error_point(err, "findings");
                }
                break;
            }
            json_array_append_new(items, f);
        }
        rc = xsirt_store_finish(db, rc, err);
    }
    json_decref(decision);
    if (rc != 0) {
        json_decref(items);
        return rc;
    }
    json_array_foreach(items, i, v) xsirt_finding_hide(v, db, by);
    *out = json_pack("{s:o, s:n}", "items", items, "next");
    return 0;
}

/* ---- cases -------------------------------------------------------------- */

/* A finding belongs to one case: one already in another open case is a
 * conflict naming that case (when the caller may see it), never moved
 * silently. One in a closed case may be opened again in a new one. */
static int finding_case_conflict(xsirt_db *db, const xsirt_principal *by, int64_t case_id,
                                 int64_t id, size_t i, xsirt_error *err)
{
    xsirt_db_value p[2] = {XSIRT_DB_INTV(id), XSIRT_DB_INTV(case_id)};
    xsirt_db_rows *rows = NULL;
    int64_t other;
    int rc = xsirt_db_query(&rows, db, "SELECT f.case_id FROM findings f JOIN cases c ON c.id = "
                                       "f.case_id WHERE f.id = ? AND f.case_id <> ? AND "
                                       "c.closed_at IS NULL", p, 2, err);

    if (rc != 0 || xsirt_db_rows_count(rows) == 0) {
        xsirt_db_rows_free(rows);
        return rc;
    }
    other = xsirt_db_rows_int(rows, 0, 0);
    xsirt_db_rows_free(rows);
    if (xsirt_case_visible_to(db, by, other))
        return xsirt_error_set_pointer(err, XSIRT_ECONFLICT, "findings", "findings[%zu]: finding "
                                       "%lld is already in open case %lld", i, (long long)id,
                                       (long long)other);
    return xsirt_error_set_pointer(err, XSIRT_ECONFLICT, "findings", "findings[%zu]: finding %lld "
                                   "is already in another open case", i, (long long)id);
}

int xsirt_finding_link_case(xsirt_db *db, const xsirt_principal *by, int64_t case_id,
                            const json_t *ids, xsirt_error *err)
{
    char now[XSIRT_TIME_MAX];
    const json_t *v;
    size_t i;
    int rc = 0;

    xsirt_clock_now(now);
    json_array_foreach(ids, i, v) {
        json_t *f = NULL;
        int64_t id = json_is_integer(v) ? (int64_t)json_integer_value(v) : 0;
        xsirt_db_value p[2] = {XSIRT_DB_INTV(case_id), XSIRT_DB_INTV(id)};
        if (id <= 0 || (rc = finding_load(&f, db, by, id, err)) == XSIRT_ENOTFOUND)
            return xsirt_error_set_pointer(err, XSIRT_EINVAL, "findings", "findings[%zu]: no "
                                           "finding %lld", i, (long long)id);
        json_decref(f);
        if (rc != 0 || (rc = finding_case_conflict(db, by, case_id, id, i, err)) != 0 ||
            (rc = xsirt_db_exec(db, "UPDATE findings SET case_id = ?, revision = revision + 1 "
                                    "WHERE id = ?", p, 2, NULL, err)) != 0 ||
            (rc = finding_event(db, by->user_id, id, "case",
                                json_pack("{s:I}", "case", (json_int_t)case_id), now, err)) != 0)
            return rc;
    }
    return 0;
}

int xsirt_finding_of_case(json_t **findings, json_t **assets, xsirt_db *db, int64_t case_id,
                          xsirt_error *err)
{
    xsirt_db_value p[1] = {XSIRT_DB_INTV(case_id)};
    xsirt_db_rows *rows = NULL;
    int rc = xsirt_db_query(&rows, db, "SELECT id, asset_id FROM findings WHERE case_id = ? "
                                       "ORDER BY id LIMIT 1000", p, 1, err);

    *findings = *assets = NULL;
    if (rc != 0)
        return rc;
    *findings = json_array();
    *assets = json_array();
    for (size_t i = 0; i < xsirt_db_rows_count(rows); i++) {
        json_t *a = json_integer((json_int_t)xsirt_db_rows_int(rows, i, 1));
        size_t k;
        json_t *x;
        bool dup = false;
        json_array_append_new(*findings, json_integer((json_int_t)xsirt_db_rows_int(rows, i, 0)));
        json_array_foreach(*assets, k, x) dup = dup || json_equal(x, a);
        if (dup)
            json_decref(a);
        else
            json_array_append_new(*assets, a);
    }
    xsirt_db_rows_free(rows);
    return 0;
}

int xsirt_finding_resolve_case(xsirt_db *db, const xsirt_principal *by, int64_t case_id,
                               xsirt_error *err)
{
    xsirt_db_value p[1] = {XSIRT_DB_INTV(case_id)};
    xsirt_db_rows *rows = NULL;
    char now[XSIRT_TIME_MAX];
    int rc = xsirt_db_query(&rows, db, "SELECT id, state FROM findings WHERE case_id = ? AND "
                                       "state IN ('in_triage','exploitable') ORDER BY id", p, 1, err);

    xsirt_clock_now(now);
    for (size_t i = 0; rc == 0 && i < xsirt_db_rows_count(rows); i++) {
        int64_t id = xsirt_db_rows_int(rows, i, 0);
        xsirt_db_value u[1] = {XSIRT_DB_INTV(id)};
        json_t *after = json_pack("{s:s, s:[s], s:I}", "state", "resolved", "response", "update",
                                  "case", (json_int_t)case_id);
        json_t *before = json_pack("{s:s}", "state", xsirt_db_rows_text(rows, i, 1));
        xsirt_metrics_finding m;
        if ((rc = finding_metrics_begin(&m, db, id, err)) == 0)
            rc = xsirt_db_exec(db, "UPDATE findings SET state = 'resolved', justification = NULL, "
                                   "response = '[\"update\"]', revision = revision + 1 WHERE id = ?",
                               u, 1, NULL, err);
        rc = finding_metrics_end(&m, db, rc, err);
        if (rc == 0)
            rc = finding_event(db, by->user_id, id, "triage", json_deep_copy(after), now, err);
        if (rc == 0)
            rc = xsirt_store_audit(db, by, "finding.triage", "finding", id, before, after, err);
        json_decref(before);
        json_decref(after);
    }
    xsirt_db_rows_free(rows);
    return rc;
}

int xsirt_finding_record_match(xsirt_db *db, int64_t asset_id, const xsirt_findings *f,
                               xsirt_error *err)
{
    int rc = 0;

    for (size_t i = 0; rc == 0 && f != NULL && i < f->count; i++) {
        const xsirt_finding *it = &f->items[i];
        const xsirt_sbom_component *c = &f->sbom->components[it->component];
        bool by_name = it->name_match != NULL && strcmp(it->matched_by, "name") == 0;
        char *key;
        xsirt_db_value p[6];
        /* Identifier matches are the default reading of a null: only
         * matches by name cost a statement. */
        if (it->suppressed || !by_name)
            continue;
        if ((key = xsirt_finding_component_key(c->name, c->version, c->purl, c->cpe, true)) == NULL)
            return xsirt_error_set(err, XSIRT_ELIMIT, "component identifier too long");
        p[0] = XSIRT_DB_TEXTV(it->matched_by);
        p[1] = XSIRT_DB_TEXTV(it->name_match);
        p[2] = XSIRT_DB_INTV(lround(it->confidence * 100));
        p[3] = XSIRT_DB_INTV(asset_id);
        p[4] = XSIRT_DB_TEXTV(key);
        p[5] = XSIRT_DB_TEXTV(f->records[it->record].rec.id);
        rc = xsirt_db_exec(db, "UPDATE findings SET matched_by = ?, name_match = ?, "
                               "confidence_pct = ? WHERE asset_id = ? AND component_key = ? AND "
                               "vuln_id = ?", p, 6, NULL, err);
        free(key);
    }
    return rc;
}

int xsirt_finding_enrich(size_t *count, xsirt_db *db, const json_t *records, xsirt_error *err)
{
    json_t *rule = NULL, *r;
    size_t i;
    int rc = json_array_size(records) > 0 ? xsirt_settings_value(&rule, db, "priority_rule", err)
                                          : 0;

    *count = 0;
    /* The findings are read by vulnerability (deferred_index.h). */
    if (rc == 0 && json_array_size(records) > 0)
        rc = xsirt_deferred_index_all(db, XSIRT_DEFERRED_FINDINGS, err);
    json_array_foreach(records, i, r) {
        const json_t *epss = json_object_get(r, "epss");
        bool kev = json_is_true(json_object_get(r, "kev"));
        xsirt_db_value p[5] = {XSIRT_DB_TEXTV(json_string_value(json_object_get(r, "id")))};
        xsirt_db_rows *rows = NULL;
        if (rc != 0)
            break;
        rc = xsirt_db_query(&rows, db, "SELECT f.id, f.score10, a.criticality, a.exposure, "
                                       "f.priority, a.team_id, f.first_seen FROM findings f "
                                       "JOIN assets a ON a.id = f.asset_id WHERE "
                                       "f.vuln_indexed = 1 AND f.vuln_id = ?",
                            p, 1, err);
        if (rc == 0 && xsirt_db_rows_count(rows) > 0 && (rc = xsirt_db_begin(db, err)) == 0) {
            for (size_t k = 0; rc == 0 && k < xsirt_db_rows_count(rows); k++) {
                xsirt_priority_facts facts = {
                    xsirt_db_rows_null(rows, k, 1) ? -1.0
                                                      : (double)xsirt_db_rows_int(rows, k, 1) / 10.0,
                    kev, json_is_number(epss) ? json_number_value(epss) : -1.0,
                    xsirt_db_rows_text(rows, k, 2), xsirt_db_rows_text(rows, k, 3)};
                const char *prio = xsirt_priority_eval(rule, &facts);
                xsirt_metrics_finding m;
                xsirt_sla sla;
                memset(&sla, 0, sizeof sla);
                if ((rc = finding_metrics_begin(&m, db, xsirt_db_rows_int(rows, k, 0), err)) != 0)
                    break;
                p[0] = XSIRT_DB_INTV(kev ? 1 : 0);
                p[1] = json_is_number(epss) ? XSIRT_DB_INTV(lround(json_number_value(epss) * 1e6))
                                            : XSIRT_DB_NULLV;
                p[2] = XSIRT_DB_TEXTV(prio);
                p[3] = XSIRT_DB_INTV(xsirt_db_rows_int(rows, k, 0));
                if (strcmp(prio, xsirt_db_rows_text(rows, k, 4)) == 0) {
                    rc = xsirt_db_exec(db, "UPDATE findings SET kev = ?, epss_ppm = ?, "
                                           "priority = ?, fingerprint = NULL WHERE id = ?", p, 4, NULL, err);
                } else {
                    /* A new priority: the due date its service level gives,
                     * counted from when the finding was first seen. */
                    rc = xsirt_service_level_due(&sla, db, xsirt_db_rows_int(rows, k, 5),
                                                 xsirt_priority_severity(prio),
                                                 xsirt_db_rows_text(rows, k, 6), err);
                    p[3] = XSIRT_DB_TEXTV(sla.remediate[0] != '\0' ? sla.remediate : NULL);
                    p[4] = XSIRT_DB_INTV(xsirt_db_rows_int(rows, k, 0));
                    if (rc == 0)
                        rc = xsirt_db_exec(db, "UPDATE findings SET kev = ?, epss_ppm = ?, "
                                               "priority = ?, due = ?, fingerprint = NULL "
                                               "WHERE id = ?", p, 5, NULL,
                                           err);
                }
                rc = finding_metrics_end(&m, db, rc, err);
                (*count)++;
            }
            rc = xsirt_store_finish(db, rc, err);
        }
        xsirt_db_rows_free(rows);
    }
    json_decref(rule);
    return rc;
}
