/*
 * asset.c — assets (see asset.h): create, read, update with optimistic
 * concurrency, delete, lists, and the impact of an asset along the
 * dependency graph.
 *
 * Every read goes through one visibility predicate (xsirt_asset_visible)
 * that SBOMs, components and findings reuse, so the portfolio shows each
 * person the same assets everywhere; every write runs in one transaction
 * with its audit record.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "store/asset.h"
#include "store/clock.h"
#include "store/metrics.h"
#include "store/json_input.h"
#include "store/store.h"
#include "store/team.h"
#include "xsirt/cpe.h"
#include "xsirt/limits.h"
#include "xsirt/purl.h"

#define ASSET_LABEL_MAX 64
/* Dependency chains longer than this are cut: real service graphs are a
 * few levels deep, and the bound keeps a cycle from running on. */
#define ASSET_IMPACT_DEPTH 32

static const char *const asset_kinds[] = {"product", "service", "system", "device", "component",
                                          NULL};
static const char *const asset_criticalities[] = {"low", "medium", "high", "critical", NULL};
static const char *const asset_exposures[] = {"internet", "internal", "isolated", NULL};

static const xsirt_field asset_fields[] = {
    {"name", XSIRT_FIELD_STRING, true, false, 200},
    {"kind", XSIRT_FIELD_STRING, true, false, 16},
    {"version", XSIRT_FIELD_STRING, false, true, 200},
    {"parent", XSIRT_FIELD_INTEGER, false, true, 0},
    {"team", XSIRT_FIELD_INTEGER, true, false, 0},
    {"criticality", XSIRT_FIELD_STRING, false, false, 16},
    {"exposure", XSIRT_FIELD_STRING, false, false, 16},
    {"labels", XSIRT_FIELD_ARRAY, false, false, 50},
    {"identifiers", XSIRT_FIELD_OBJECT, false, false, 0},
    {"vendor", XSIRT_FIELD_STRING, false, true, 200},
    {"description", XSIRT_FIELD_STRING, false, false, 64 * 1024},
    {"depends_on", XSIRT_FIELD_ARRAY, false, false, XSIRT_LIMIT_BATCH},
    {NULL, 0, false, false, 0},
};

/* ---- visibility --------------------------------------------------------- */

void xsirt_asset_mine_cte(xsirt_query *q, const xsirt_principal *by)
{
    xsirt_query_sql(q, "WITH RECURSIVE mine(id) AS (SELECT team_id FROM team_members "
                       "WHERE user_id = ? UNION SELECT t.id FROM teams t JOIN mine "
                       "ON t.parent_id = mine.id) ");
    xsirt_query_int(q, by->user_id);
}

void xsirt_asset_visible(xsirt_query *q, const xsirt_principal *by, const char *alias)
{
    char sql[128];

    snprintf(sql, sizeof sql, "(? = 1 OR %s.team_id IN (SELECT id FROM mine))", alias);
    xsirt_query_sql(q, sql);
    xsirt_query_int(q, by->admin ? 1 : 0);
}

int xsirt_asset_check_visible(xsirt_db *db, const xsirt_principal *by, int64_t id,
                              xsirt_error *err)
{
    xsirt_query q;
    xsirt_db_rows *rows = NULL;
    int rc;

    xsirt_query_init(&q);
    xsirt_asset_mine_cte(&q, by);
    xsirt_query_sql(&q, "SELECT a.id FROM assets a WHERE a.id = ? AND ");
    xsirt_query_int(&q, id);
    xsirt_asset_visible(&q, by, "a");
    rc = xsirt_query_rows(&rows, db, &q, err);
    xsirt_query_free(&q);
    if (rc == 0 && xsirt_db_rows_count(rows) == 0)
        rc = xsirt_error_set(err, XSIRT_ENOTFOUND, "no asset %lld", (long long)id);
    xsirt_db_rows_free(rows);
    return rc;
}

bool xsirt_asset_sees(xsirt_db *db, const xsirt_principal *by, int64_t id)
{
    return by->admin || xsirt_asset_check_visible(db, by, id, NULL) == 0;
}

void xsirt_asset_hide(json_t *a, xsirt_db *db, const xsirt_principal *by)
{
    json_t *deps = json_object_get(a, "depends_on");
    json_t *parent = json_object_get(a, "parent");

    if (a == NULL || by->admin)
        return;
    if (json_is_integer(parent) && !xsirt_asset_sees(db, by, json_integer_value(parent)))
        json_object_set_new(a, "parent", json_null());
    for (size_t i = json_array_size(deps); i-- > 0;)
        if (!xsirt_asset_sees(db, by, json_integer_value(json_array_get(deps, i))))
            json_array_remove(deps, i);
}

/* Leads and members of team (or of a team above it) change its assets. */
static int asset_check_team_writable(xsirt_db *db, const xsirt_principal *by, int64_t team,
                                     xsirt_error *err)
{
    char role[16];
    int rc;

    if (by->admin)
        return 0;
    if ((rc = xsirt_team_role(role, sizeof role, db, team, by->user_id, err)) != 0)
        return rc;
    if (strcmp(role, "lead") == 0 || strcmp(role, "member") == 0)
        return 0;
    return xsirt_error_set(err, XSIRT_EDENIED, "only leads and members of the owning team "
                                               "change its assets");
}

int xsirt_asset_check_writable(xsirt_db *db, const xsirt_principal *by, int64_t id,
                               xsirt_error *err)
{
    xsirt_db_value p[1] = {XSIRT_DB_INTV(id)};
    int64_t team = 0;
    int rc;

    if ((rc = xsirt_asset_check_visible(db, by, id, err)) != 0 ||
        (rc = xsirt_db_query_int(&team, db, "SELECT team_id FROM assets WHERE id = ?", p, 1,
                                 err)) != 0)
        return rc;
    return asset_check_team_writable(db, by, team, err);
}

/* ---- reading ------------------------------------------------------------ */

static const char asset_select[] =
    "SELECT a.id, a.name, a.kind, a.version, a.parent_id AS parent, a.team_id AS team, "
    "a.criticality, a.exposure, a.labels, a.cpe, a.purl, a.vendor, a.description, "
    "a.current_sbom_id AS sbom, a.created_at AS created, a.updated_at AS updated, a.revision "
    "FROM assets a WHERE a.id = ?";

/* Loads an asset without a visibility check (callers check first). */
static int asset_load(json_t **out, xsirt_db *db, int64_t id, xsirt_error *err)
{
    static const char *const ints[] = {"id", "parent", "team", "sbom", "revision", NULL};
    xsirt_db_value p[1] = {XSIRT_DB_INTV(id)};
    xsirt_db_rows *rows = NULL;
    json_t *o, *labels, *deps;
    int rc;

    *out = NULL;
    if ((rc = xsirt_db_query(&rows, db, asset_select, p, 1, err)) != 0)
        return rc;
    if (xsirt_db_rows_count(rows) == 0) {
        xsirt_db_rows_free(rows);
        return xsirt_error_set(err, XSIRT_ENOTFOUND, "no asset %lld", (long long)id);
    }
    o = xsirt_store_row_json(rows, 0, ints);
    xsirt_db_rows_free(rows);
    labels = json_loads(json_string_value(json_object_get(o, "labels")), 0, NULL);
    json_object_set_new(o, "labels", labels != NULL ? labels : json_array());
    json_object_set_new(o, "identifiers", json_pack("{s:O, s:O}", "cpe", json_object_get(o, "cpe"),
                                                    "purl", json_object_get(o, "purl")));
    json_object_del(o, "cpe");
    json_object_del(o, "purl");
    if ((rc = xsirt_db_query(&rows, db, "SELECT depends_on_id FROM asset_dependencies "
                                        "WHERE asset_id = ? ORDER BY depends_on_id", p, 1,
                             err)) != 0) {
        json_decref(o);
        return rc;
    }
    deps = json_array();
    for (size_t i = 0; i < xsirt_db_rows_count(rows); i++)
        json_array_append_new(deps, json_integer((json_int_t)xsirt_db_rows_int(rows, i, 0)));
    xsirt_db_rows_free(rows);
    json_object_set_new(o, "depends_on", deps);
    *out = o;
    return 0;
}

int xsirt_asset_get(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                    xsirt_error *err)
{
    int rc;

    *out = NULL;
    if ((rc = xsirt_asset_check_visible(db, by, id, err)) != 0 ||
        (rc = asset_load(out, db, id, err)) != 0)
        return rc;
    xsirt_asset_hide(*out, db, by);
    return 0;
}

/* ---- checking input ----------------------------------------------------- */

static int asset_check_identifiers(const json_t *ids, xsirt_error *err)
{
    const char *key;
    json_t *v;

    json_object_foreach((json_t *)ids, key, v) {
        const char *s = json_string_value(v);
        xsirt_cpe cpe;
        int rc;

        if (strcmp(key, "cpe") != 0 && strcmp(key, "purl") != 0)
            return xsirt_error_set_pointer(err, XSIRT_EINVAL, "identifiers",
                                           "identifiers has cpe and purl only, not %.64s", key);
        if (json_is_null(v))
            continue;
        if (s == NULL || strlen(s) > XSIRT_LIMIT_IDENTIFIER)
            return xsirt_error_set_pointer(err, XSIRT_EINVAL, "identifiers",
                                           "identifiers.%s must be a string", key);
        if (strcmp(key, "purl") == 0)
            rc = xsirt_purl_validate(s, strlen(s), 0, err);
        else if ((rc = xsirt_cpe_parse(&cpe, s, strlen(s), err)) == 0)
            xsirt_cpe_free(&cpe);
        if (rc != 0) {
            xsirt_error_prefix(err, "identifiers.%s: ", key);
            xsirt_error_point(err, "identifiers");
            return XSIRT_EINVAL;
        }
    }
    return 0;
}

static int asset_check_input(const json_t *in, bool partial, xsirt_error *err)
{
    const json_t *v;
    size_t i;
    int rc;

    if ((rc = xsirt_json_check(in, asset_fields, partial, err)) != 0)
        return rc;
    if ((xsirt_json_has(in, "kind") &&
         (rc = xsirt_json_enum(xsirt_json_str(in, "kind"), asset_kinds, "kind", err)) != 0) ||
        (xsirt_json_has(in, "criticality") &&
         (rc = xsirt_json_enum(xsirt_json_str(in, "criticality"), asset_criticalities,
                               "criticality", err)) != 0) ||
        (xsirt_json_has(in, "exposure") &&
         (rc = xsirt_json_enum(xsirt_json_str(in, "exposure"), asset_exposures, "exposure",
                               err)) != 0))
        return rc;
    if (xsirt_json_has(in, "name") && xsirt_json_str(in, "name")[0] == '\0')
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, "name", "an asset needs a name");
    json_array_foreach(json_object_get(in, "labels"), i, v) {
        if (!json_is_string(v) || json_string_length(v) == 0 ||
            json_string_length(v) > ASSET_LABEL_MAX)
            return xsirt_error_set_pointer(err, XSIRT_EINVAL, "labels",
                                           "labels must be strings of 1 to %d bytes",
                                           ASSET_LABEL_MAX);
    }
    json_array_foreach(json_object_get(in, "depends_on"), i, v) {
        if (!json_is_integer(v) || json_integer_value(v) <= 0)
            return xsirt_error_set_pointer(err, XSIRT_EINVAL, "depends_on",
                                           "depends_on must list asset ids");
    }
    if (json_object_get(in, "identifiers") != NULL)
        return asset_check_identifiers(json_object_get(in, "identifiers"), err);
    return 0;
}

/* A referenced asset (parent, dependency) must be one the caller sees:
 * pointing at an invisible one would reveal that it exists. */
static int asset_check_ref(xsirt_db *db, const xsirt_principal *by, int64_t ref,
                           const char *field, xsirt_error *err)
{
    int rc = xsirt_asset_check_visible(db, by, ref, err);

    if (rc == XSIRT_ENOTFOUND)
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, field, "no asset %lld",
                                       (long long)ref);
    return rc;
}

/* Refuses a parent that is the asset itself or nests under it. */
static int asset_check_parent_cycle(xsirt_db *db, int64_t id, int64_t parent, xsirt_error *err)
{
    xsirt_db_value p[2] = {XSIRT_DB_INTV(parent), XSIRT_DB_INTV(id)};
    int64_t n = 0;
    int rc = xsirt_db_query_int(&n, db,
                                "WITH RECURSIVE up(id) AS (SELECT CAST(? AS BIGINT) UNION SELECT a.parent_id FROM "
                                "assets a JOIN up ON a.id = up.id WHERE a.parent_id IS NOT NULL) "
                                "SELECT COUNT(*) FROM up WHERE id = ?", p, 2, err);

    if (rc == 0 && n > 0)
        rc = xsirt_error_set_pointer(err, XSIRT_EINVAL, "parent",
                                     "an asset cannot nest under itself");
    return rc;
}

static int asset_check_team(xsirt_db *db, const xsirt_principal *by, int64_t team,
                            xsirt_error *err)
{
    int rc = xsirt_team_check_exists(db, team, "team", err);

    /* External accounts do not see our teams (xsirt_team_list): for them a
     * team is as unknown as one that does not exist. */
    if (rc == 0 && by->organisation_id != 0 && !by->admin)
        rc = xsirt_error_set_pointer(err, XSIRT_EINVAL, "team", "no team %lld", (long long)team);
    if (rc == 0 && (rc = asset_check_team_writable(db, by, team, err)) == XSIRT_EDENIED)
        xsirt_error_point(err, "team");
    return rc;
}

/* Replaces the asset's dependencies with the list given. */
static int asset_set_dependencies(xsirt_db *db, const xsirt_principal *by, int64_t id,
                                  const json_t *deps, xsirt_error *err)
{
    xsirt_db_value p[2] = {XSIRT_DB_INTV(id), XSIRT_DB_NULLV};
    const json_t *v;
    size_t i;
    xsirt_query q;
    int rc;

    /* Dependencies on assets the caller does not see are not theirs to
     * list (they are hidden from them), so they stay. */
    xsirt_query_init(&q);
    xsirt_asset_mine_cte(&q, by);
    xsirt_query_sql(&q, "DELETE FROM asset_dependencies WHERE asset_id = ? AND depends_on_id IN "
                        "(SELECT a.id FROM assets a WHERE ");
    xsirt_query_int(&q, id);
    xsirt_asset_visible(&q, by, "a");
    xsirt_query_sql(&q, ")");
    rc = xsirt_query_exec(db, &q, NULL, err);
    xsirt_query_free(&q);

    json_array_foreach(deps, i, v) {
        int64_t dep = (int64_t)json_integer_value(v);
        if (rc != 0)
            break;
        if (dep == id)
            return xsirt_error_set_pointer(err, XSIRT_EINVAL, "depends_on",
                                           "an asset cannot depend on itself");
        if ((rc = asset_check_ref(db, by, dep, "depends_on", err)) != 0)
            break;
        p[1] = XSIRT_DB_INTV(dep);
        rc = xsirt_db_exec(db, "INSERT INTO asset_dependencies (asset_id, depends_on_id) "
                               "VALUES (?, ?) ON CONFLICT DO NOTHING", p, 2, NULL, err);
    }
    return rc;
}

/* ---- writing ------------------------------------------------------------ */

/* The value of a string member for a column: the input's, or keep. */
static const char *asset_str_or(const json_t *in, const char *name, const char *keep)
{
    return json_object_get(in, name) != NULL ? xsirt_json_str(in, name) : keep;
}

/* Writes the columns of an asset from in over current (NULL: create). */
static int asset_write_row(int64_t *id, xsirt_db *db, const json_t *in, const json_t *cur,
                           xsirt_error *err)
{
    const json_t *ids = json_object_get(in, "identifiers");
    const json_t *cids = cur != NULL ? json_object_get(cur, "identifiers") : NULL;
    char now[XSIRT_TIME_MAX];
    char *labels;
    xsirt_db_value p[15];
    xsirt_db_rows *rows = NULL;
    int64_t parent;
    int rc;

#define CUR(name) (cur != NULL ? json_string_value(json_object_get(cur, name)) : NULL)
    xsirt_clock_now(now);
    parent = json_object_get(in, "parent") != NULL
                 ? xsirt_json_int(in, "parent")
                 : (cur != NULL ? (int64_t)json_integer_value(json_object_get(cur, "parent")) : 0);
    /* No labels given nor kept: NULL, bound as "[]" below. */
    labels = json_object_get(in, "labels") != NULL ? json_dumps(json_object_get(in, "labels"), JSON_COMPACT)
             : cur != NULL && json_object_get(cur, "labels") != NULL
                 ? json_dumps(json_object_get(cur, "labels"), JSON_COMPACT)
                 : NULL;
    p[0] = XSIRT_DB_TEXTV(asset_str_or(in, "name", CUR("name")));
    p[1] = XSIRT_DB_TEXTV(asset_str_or(in, "kind", CUR("kind")));
    p[2] = XSIRT_DB_TEXTV(asset_str_or(in, "version", CUR("version")));
    p[3] = parent != 0 ? XSIRT_DB_INTV(parent) : XSIRT_DB_NULLV;
    p[4] = XSIRT_DB_INTV(json_object_get(in, "team") != NULL
                             ? xsirt_json_int(in, "team")
                             : (int64_t)json_integer_value(json_object_get(cur, "team")));
    p[5] = XSIRT_DB_TEXTV(asset_str_or(in, "criticality", cur ? CUR("criticality") : "medium"));
    p[6] = XSIRT_DB_TEXTV(asset_str_or(in, "exposure", cur ? CUR("exposure") : "internal"));
    p[7] = XSIRT_DB_TEXTV(labels != NULL ? labels : "[]");
    p[8] = XSIRT_DB_TEXTV(ids != NULL && json_object_get(ids, "cpe") != NULL
                              ? json_string_value(json_object_get(ids, "cpe"))
                              : json_string_value(json_object_get(cids, "cpe")));
    p[9] = XSIRT_DB_TEXTV(ids != NULL && json_object_get(ids, "purl") != NULL
                              ? json_string_value(json_object_get(ids, "purl"))
                              : json_string_value(json_object_get(cids, "purl")));
    p[10] = XSIRT_DB_TEXTV(asset_str_or(in, "vendor", CUR("vendor")));
    p[11] = XSIRT_DB_TEXTV(asset_str_or(in, "description", cur ? CUR("description") : ""));
    p[12] = XSIRT_DB_TEXTV(now);
    if (cur == NULL) {
        p[13] = XSIRT_DB_TEXTV(now);
        rc = xsirt_db_query(&rows, db, "INSERT INTO assets (name, kind, version, parent_id, "
                                       "team_id, criticality, exposure, labels, cpe, purl, "
                                       "vendor, description, updated_at, created_at) VALUES "
                                       "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                            p, 14, err);
        if (rc == 0)
            *id = xsirt_db_rows_int(rows, 0, 0);
        xsirt_db_rows_free(rows);
    } else {
        p[13] = XSIRT_DB_INTV(*id);
        rc = xsirt_db_exec(db, "UPDATE assets SET name = ?, kind = ?, version = ?, "
                               "parent_id = ?, team_id = ?, criticality = ?, exposure = ?, "
                               "labels = ?, cpe = ?, purl = ?, vendor = ?, description = ?, "
                               "updated_at = ?, revision = revision + 1 WHERE id = ?",
                           p, 14, NULL, err);
    }
#undef CUR
    free(labels);
    return rc;
}

int xsirt_asset_create(json_t **out, xsirt_db *db, const xsirt_principal *by, const json_t *in,
                       xsirt_error *err)
{
    int64_t id = 0;
    int rc;

    *out = NULL;
    if ((rc = asset_check_input(in, false, err)) != 0)
        return rc;
    if ((rc = xsirt_db_begin(db, err)) != 0)
        return rc;
    rc = asset_check_team(db, by, xsirt_json_int(in, "team"), err);
    if (rc == 0 && xsirt_json_int(in, "parent") != 0)
        rc = asset_check_ref(db, by, xsirt_json_int(in, "parent"), "parent", err);
    if (rc == 0)
        rc = asset_write_row(&id, db, in, NULL, err);
    if (rc == 0)
        rc = asset_set_dependencies(db, by, id, json_object_get(in, "depends_on"), err);
    if (rc == 0)
        rc = asset_load(out, db, id, err);
    if (rc == 0)
        rc = xsirt_store_audit(db, by, "asset.create", "asset", id, NULL, *out, err);
    if (rc == 0)
        xsirt_asset_hide(*out, db, by);
    if (rc != 0) {
        json_decref(*out);
        *out = NULL;
    }
    return xsirt_store_finish(db, rc, err);
}

/* Locks the asset's row for the change, checks the caller may change it
 * and that revision (if given) is the current one; *before gets it. */
static int asset_begin_write(json_t **before, xsirt_db *db, const xsirt_principal *by,
                             int64_t id, int64_t revision, xsirt_error *err)
{
    xsirt_db_value p[1] = {XSIRT_DB_INTV(id)};
    int rc;

    *before = NULL;
    if (xsirt_db_backend_of(db) == XSIRT_DB_POSTGRES &&
        (rc = xsirt_db_exec(db, "SELECT id FROM assets WHERE id = ? FOR UPDATE", p, 1, NULL,
                            err)) != 0)
        return rc;
    if ((rc = xsirt_asset_check_writable(db, by, id, err)) != 0 ||
        (rc = asset_load(before, db, id, err)) != 0)
        return rc;
    if (revision != 0 && json_integer_value(json_object_get(*before, "revision")) != revision)
        return xsirt_error_set_pointer(err, XSIRT_ECONFLICT, "If-Match",
                                       "the asset changed since revision %lld; read it again",
                                       (long long)revision);
    return 0;
}

/* The asset's findings leave its team's counters before it moves to
 * another team or is deleted, and join the new team's after a move
 * (store/metrics.h). */
static int asset_metrics(xsirt_db *db, int64_t id, int64_t delta, xsirt_error *err)
{
    xsirt_db_value p[1] = {XSIRT_DB_INTV(id)};

    return xsirt_metrics_findings_apply(db, "f.asset_id = ?", p, 1, delta, err);
}

int xsirt_asset_update(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                       int64_t revision, const json_t *in, xsirt_error *err)
{
    json_t *before = NULL;
    int64_t parent = xsirt_json_int(in, "parent");
    bool moves;
    int rc;

    *out = NULL;
    if ((rc = asset_check_input(in, true, err)) != 0)
        return rc;
    if ((rc = xsirt_db_begin(db, err)) != 0)
        return rc;
    rc = asset_begin_write(&before, db, by, id, revision, err);
    if (rc == 0 && xsirt_json_has(in, "team"))
        rc = asset_check_team(db, by, xsirt_json_int(in, "team"), err);
    if (rc == 0 && parent != 0 && (rc = asset_check_ref(db, by, parent, "parent", err)) == 0)
        rc = asset_check_parent_cycle(db, id, parent, err);
    moves = rc == 0 && xsirt_json_has(in, "team") &&
            xsirt_json_int(in, "team") != xsirt_json_int(before, "team");
    if (rc == 0 && moves)
        rc = asset_metrics(db, id, -1, err);
    if (rc == 0)
        rc = asset_write_row(&id, db, in, before, err);
    if (rc == 0 && moves)
        rc = asset_metrics(db, id, 1, err);
    if (rc == 0 && json_object_get(in, "depends_on") != NULL)
        rc = asset_set_dependencies(db, by, id, json_object_get(in, "depends_on"), err);
    if (rc == 0)
        rc = asset_load(out, db, id, err);
    if (rc == 0)
        rc = xsirt_store_audit(db, by, "asset.update", "asset", id, before, *out, err);
    if (rc == 0)
        xsirt_asset_hide(*out, db, by);
    json_decref(before);
    if (rc != 0) {
        json_decref(*out);
        *out = NULL;
    }
    return xsirt_store_finish(db, rc, err);
}

int xsirt_asset_delete(xsirt_db *db, const xsirt_principal *by, int64_t id, xsirt_error *err)
{
    xsirt_db_value p[1] = {XSIRT_DB_INTV(id)};
    json_t *before = NULL;
    int64_t children = 0;
    int rc;

    if ((rc = xsirt_db_begin(db, err)) != 0)
        return rc;
    rc = asset_begin_write(&before, db, by, id, 0, err);
    if (rc == 0)
        rc = xsirt_db_query_int(&children, db, "SELECT COUNT(*) FROM assets WHERE parent_id = ?",
                                p, 1, err);
    if (rc == 0 && children > 0)
        rc = xsirt_error_set_pointer(err, XSIRT_ECONFLICT, "parent",
                                     "%lld assets nest under this one: move or delete them first",
                                     (long long)children);
    if (rc == 0)
        rc = asset_metrics(db, id, -1, err);
    if (rc == 0)
        rc = xsirt_db_exec(db, "DELETE FROM assets WHERE id = ?", p, 1, NULL, err);
    if (rc == 0)
        rc = xsirt_store_audit(db, by, "asset.delete", "asset", id, before, NULL, err);
    json_decref(before);
    return xsirt_store_finish(db, rc, err);
}

/* ---- lists -------------------------------------------------------------- */

/* An asset as by may see it in a list (visibility checked by the list). */
static int asset_load_shown(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                            xsirt_error *err)
{
    int rc = asset_load(out, db, id, err);

    if (rc == 0)
        xsirt_asset_hide(*out, db, by);
    return rc;
}

int xsirt_asset_list(json_t **out, xsirt_db *db, const xsirt_principal *by,
                     const xsirt_asset_filter *f, xsirt_error *err)
{
    xsirt_page pg = {.cursor = f->cursor, .limit = f->limit};
    int limit = xsirt_page_limit(&pg);
    xsirt_query q;
    xsirt_buf like;
    xsirt_db_rows *rows = NULL;
    int rc = 0;

    *out = NULL;
    xsirt_query_init(&q);
    xsirt_buf_init(&like, 4096);
    xsirt_asset_mine_cte(&q, by);
    xsirt_query_sql(&q, "SELECT a.id FROM assets a WHERE ");
    xsirt_asset_visible(&q, by, "a");
    if (f->team != 0) { xsirt_query_sql(&q, " AND a.team_id = ?"); xsirt_query_int(&q, f->team); }
    if (f->parent != 0) {
        /* Only under a parent the caller sees: the assets nested under a
         * hidden one must not tell where they hang. */
        xsirt_query_sql(&q, " AND a.parent_id = ? AND EXISTS (SELECT 1 FROM assets pv WHERE "
                            "pv.id = a.parent_id AND ");
        xsirt_query_int(&q, f->parent);
        xsirt_asset_visible(&q, by, "pv");
        xsirt_query_sql(&q, ")");
    }
    if (f->kind != NULL) { xsirt_query_sql(&q, " AND a.kind = ?"); xsirt_query_text(&q, f->kind); }
    if (f->text != NULL) {
        if (xsirt_query_like(&like, "%", f->text, "%", true) != 0)
            rc = xsirt_error_set_pointer(err, XSIRT_ELIMIT, "q", "search text too long");
        xsirt_query_sql(&q, " AND LOWER(a.name) LIKE ? ESCAPE '\\'");
        xsirt_query_text(&q, xsirt_buf_cstr(&like));
    }
    if (f->cursor > 0) { xsirt_query_sql(&q, " AND a.id < ?"); xsirt_query_int(&q, f->cursor); }
    xsirt_query_sql(&q, " ORDER BY a.id DESC LIMIT ?");
    xsirt_query_int(&q, limit + 1);
    if (rc == 0)
        rc = xsirt_query_rows(&rows, db, &q, err);
    xsirt_query_free(&q);
    xsirt_buf_free(&like);
    if (rc != 0)
        return rc;
    /* Rows are ids only; each asset is loaded and counted against the
     * page's byte bound one at a time. */
    rc = xsirt_store_load_page(out, db, by, rows, limit, asset_load_shown, err);
    xsirt_db_rows_free(rows);
    return rc;
}

/* ---- impact ------------------------------------------------------------- */

/* The open findings (active, in triage or exploitable) of one asset. */
static const char asset_open_findings[] =
    "SELECT f.id, f.vuln_id AS vulnerability, f.component_name AS component, "
    "f.component_version AS version, f.priority, f.state, f.due FROM findings f "
    "WHERE f.asset_id = ? AND f.active = 1 AND f.state IN ('in_triage','exploitable') "
    "ORDER BY f.priority, f.id LIMIT 1000";

int xsirt_asset_impact(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                       const xsirt_page *pg, xsirt_error *err)
{
    static const char *const ints[] = {"id", "team", "depth", "open_findings", NULL};
    static const char *const fints[] = {"id", NULL};
    xsirt_db_value p[1] = {XSIRT_DB_INTV(id)};
    int limit = xsirt_page_limit(pg);
    xsirt_query q;
    xsirt_db_rows *rows = NULL;
    xsirt_pager pager;
    json_t *page, *findings;
    char sql[512];
    size_t n;
    int rc;

    *out = NULL;
    if ((rc = xsirt_asset_check_visible(db, by, id, err)) != 0)
        return rc;
    xsirt_query_init(&q);
    xsirt_asset_mine_cte(&q, by);
    /* The walk goes through visible assets only: a path through an asset
     * hidden from the caller would reveal it (as a depth, or as the link
     * between two assets they see). */
    xsirt_query_sql(&q, ", dep(id, depth) AS (SELECT d.asset_id, 1 FROM asset_dependencies d "
                        "JOIN assets v ON v.id = d.asset_id WHERE d.depends_on_id = ? AND ");
    xsirt_query_int(&q, id);
    xsirt_asset_visible(&q, by, "v");
    snprintf(sql, sizeof sql, " UNION SELECT d.asset_id, dep.depth + 1 FROM asset_dependencies d "
                              "JOIN dep ON d.depends_on_id = dep.id JOIN assets v ON "
                              "v.id = d.asset_id WHERE dep.depth < %d AND ", ASSET_IMPACT_DEPTH);
    xsirt_query_sql(&q, sql);
    xsirt_asset_visible(&q, by, "v");
    xsirt_query_sql(&q, ") ");
    xsirt_query_sql(&q, "SELECT a.id, a.name, a.kind, a.version, a.team_id AS team, a.exposure, "
                        "a.criticality, MIN(dep.depth) AS depth, (SELECT COUNT(*) FROM findings f "
                        "WHERE f.asset_id = a.id AND f.active = 1 AND f.state IN "
                        "('in_triage','exploitable')) AS open_findings FROM dep JOIN assets a ON "
                        "a.id = dep.id WHERE a.id <> ? AND ");
    xsirt_query_int(&q, id);
    xsirt_asset_visible(&q, by, "a");
    /* Dependants page by id (each says its depth), like every list. */
    xsirt_query_sql(&q, " AND a.id > ?");
    xsirt_query_int(&q, pg != NULL ? pg->cursor : 0);
    xsirt_query_sql(&q, " GROUP BY a.id, a.name, a.kind, a.version, a.team_id, a.exposure, "
                        "a.criticality ORDER BY a.id LIMIT ?");
    xsirt_query_int(&q, limit + 1);
    rc = xsirt_query_rows(&rows, db, &q, err);
    xsirt_query_free(&q);
    if (rc != 0)
        return rc;
    n = xsirt_db_rows_count(rows);
    xsirt_pager_init(&pager);
    for (size_t i = 0; i < n && i < (size_t)limit; i++)
        if (!xsirt_pager_add(&pager, xsirt_store_row_json(rows, i, ints),
                             xsirt_db_rows_int(rows, i, 0)))
            break;
    xsirt_db_rows_free(rows);
    page = xsirt_pager_finish(&pager, n > (size_t)limit);
    if (page == NULL || (rc = xsirt_db_query(&rows, db, asset_open_findings, p, 1, err)) != 0) {
        json_decref(page);
        return rc != 0 ? rc : xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    }
    findings = json_array();
    for (size_t i = 0; i < xsirt_db_rows_count(rows); i++)
        json_array_append_new(findings, xsirt_store_row_json(rows, i, fints));
    xsirt_db_rows_free(rows);
    *out = json_pack("{s:I, s:O, s:o, s:O}", "asset", (json_int_t)id, "dependents",
                     json_object_get(page, "items"), "findings", findings, "next",
                     json_object_get(page, "next"));
    json_decref(page);
    return 0;
}
