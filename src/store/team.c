/*
 * team.c — teams and membership (see team.h).
 *
 * Roles inherit downward: the lead of a corporate PSIRT is lead of its
 * business-unit and site PSIRTs too, found with one recursive query over
 * the parent links (both backends support WITH RECURSIVE).
 */
#include <stdio.h>
#include <string.h>

#include "core/str.h"
#include "store/clock.h"
#include "store/json_input.h"
#include "store/store.h"
#include "store/team.h"

static const char *const team_kinds[] = {"CSIRT", "PSIRT", "DSIRT", "SSIRT", "FSIRT", "SOC",
                                         "other", NULL};
static const char *const team_roles[] = {"lead", "member", "viewer", NULL};

static const xsirt_field team_fields[] = {
    {"name", XSIRT_FIELD_STRING, true, false, 200},
    {"kind", XSIRT_FIELD_STRING, true, false, 16},
    {"parent", XSIRT_FIELD_INTEGER, false, true, 0},
    {"description", XSIRT_FIELD_STRING, false, false, 0},
    {NULL, 0, false, false, 0},
};

static const char *const team_ints[] = {"id", "parent", NULL};

/* Teams an external user may see: those they belong to. */
static int team_load(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                     xsirt_error *err)
{
    xsirt_db_value p[3] = {XSIRT_DB_INTV(id), XSIRT_DB_INTV(by->organisation_id == 0 || by->admin),
                           XSIRT_DB_INTV(by->user_id)};
    xsirt_db_rows *rows;
    int rc = xsirt_db_query(&rows, db,
                            "SELECT id, name, kind, parent_id AS parent, description FROM teams t "
                            "WHERE id = ? AND (? = 1 OR EXISTS (SELECT 1 FROM team_members m "
                            "WHERE m.team_id = t.id AND m.user_id = ?))", p, 3, err);

    if (rc != 0)
        return rc;
    if (xsirt_db_rows_count(rows) == 0)
        rc = xsirt_error_set(err, XSIRT_ENOTFOUND, "no team %lld", (long long)id);
    else if ((*out = xsirt_store_row_json(rows, 0, team_ints)) == NULL)
        rc = xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    xsirt_db_rows_free(rows);
    return rc;
}

int xsirt_team_get(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                   xsirt_error *err)
{
    return team_load(out, db, by, id, err);
}

int xsirt_team_list(json_t **out, xsirt_db *db, const xsirt_principal *by, const xsirt_page *pg,
                    xsirt_error *err)
{
    xsirt_db_value p[2] = {XSIRT_DB_INTV(by->organisation_id == 0 || by->admin),
                           XSIRT_DB_INTV(by->user_id)};

    return xsirt_store_list_page(out, db,
                                 "SELECT id, name, kind, parent_id AS parent, description FROM teams t "
                                 "WHERE (? = 1 OR EXISTS (SELECT 1 FROM team_members m "
                                 "WHERE m.team_id = t.id AND m.user_id = ?)) AND id > ? ORDER BY id "
                                 "LIMIT ?", p, 2, team_ints, NULL, pg, err);
}

int xsirt_team_check_exists(xsirt_db *db, int64_t team_id, const char *field, xsirt_error *err)
{
    xsirt_db_value p[1] = {XSIRT_DB_INTV(team_id)};
    int64_t n = 0;
    int rc = xsirt_db_query_int(&n, db, "SELECT COUNT(*) FROM teams WHERE id = ?", p, 1, err);

    if (rc == 0 && n == 0)
        rc = xsirt_error_set_pointer(err, XSIRT_EINVAL, field, "no team %lld", (long long)team_id);
    return rc;
}

int xsirt_team_role(char *role, size_t rolesz, xsirt_db *db, int64_t team_id, int64_t user_id,
                    xsirt_error *err)
{
    /* The strongest role the user holds in the team or any ancestor. */
    xsirt_db_value p[2] = {XSIRT_DB_INTV(team_id), XSIRT_DB_INTV(user_id)};
    xsirt_db_rows *rows;
    int rc = xsirt_db_query(&rows, db,
                            "WITH RECURSIVE up(id) AS (SELECT CAST(? AS BIGINT) UNION SELECT t.parent_id FROM "
                            "teams t JOIN up ON t.id = up.id WHERE t.parent_id IS NOT NULL) "
                            "SELECT m.role FROM team_members m JOIN up ON m.team_id = up.id "
                            "WHERE m.user_id = ? ORDER BY CASE m.role WHEN 'lead' THEN 0 "
                            "WHEN 'member' THEN 1 ELSE 2 END LIMIT 1", p, 2, err);

    if (rc != 0)
        return rc;
    xsirt_strlcpy(role, xsirt_db_rows_count(rows) ? xsirt_db_rows_text(rows, 0, 0) : "", rolesz);
    xsirt_db_rows_free(rows);
    return 0;
}

static int team_may_manage(xsirt_db *db, const xsirt_principal *by, int64_t team_id,
                           xsirt_error *err)
{
    char role[16];
    int rc;

    if (by->admin)
        return 0;
    if ((rc = xsirt_team_role(role, sizeof role, db, team_id, by->user_id, err)) != 0)
        return rc;
    return strcmp(role, "lead") == 0 ? 0
           : xsirt_error_set(err, XSIRT_EDENIED, "only admins and team leads may do this");
}

/* The parent must exist and must not be the team or one of its descendants. */
static int team_check_parent(xsirt_db *db, int64_t id, int64_t parent, xsirt_error *err)
{
    xsirt_db_value p[2] = {XSIRT_DB_INTV(parent), XSIRT_DB_INTV(id)};
    int64_t n = 0;
    int rc;

    if ((rc = xsirt_db_query_int(&n, db, "SELECT COUNT(*) FROM teams WHERE id = ?", p, 1, err)) != 0)
        return rc;
    if (n == 0)
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, "parent", "no team %lld",
                                       (long long)parent);
    if (id == 0)
        return 0;
    rc = xsirt_db_query_int(&n, db,
                            "WITH RECURSIVE up(id) AS (SELECT CAST(? AS BIGINT) UNION SELECT t.parent_id FROM teams t "
                            "JOIN up ON t.id = up.id WHERE t.parent_id IS NOT NULL) "
                            "SELECT COUNT(*) FROM up WHERE id = ?", p, 2, err);
    if (rc == 0 && n > 0)
        rc = xsirt_error_set_pointer(err, XSIRT_EINVAL, "parent",
                                     "team %lld cannot be its own ancestor", (long long)id);
    return rc;
}

/* The parent tree decides who sees AMBER+STRICT, AMBER and GREEN cases and
 * who inherits lead rights, so moving a team (or detaching it) widens or
 * narrows what people see beyond the team itself: an administrator's act,
 * not a lead's (docs/security.md). */
static int team_check_move(const xsirt_principal *by, const json_t *before, const json_t *in,
                           xsirt_error *err)
{
    const json_t *want = json_object_get(in, "parent");

    if (want == NULL || by->admin || json_equal((json_t *)want, json_object_get(before, "parent")))
        return 0;
    return xsirt_error_set_pointer(err, XSIRT_EDENIED, "parent",
                                   "only administrators move teams: the team tree decides who "
                                   "sees which cases");
}

static int team_check_input(xsirt_db *db, int64_t id, const json_t *in, bool partial,
                            xsirt_error *err)
{
    int rc;

    if ((rc = xsirt_json_check(in, team_fields, partial, err)) != 0)
        return rc;
    if (xsirt_json_has(in, "kind") &&
        (rc = xsirt_json_enum(xsirt_json_str(in, "kind"), team_kinds, "kind", err)) != 0)
        return rc;
    if (xsirt_json_has(in, "name") && xsirt_json_str(in, "name")[0] == '\0')
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, "name", "name may not be empty");
    if (xsirt_json_int(in, "parent") != 0)
        return team_check_parent(db, id, xsirt_json_int(in, "parent"), err);
    return 0;
}

int xsirt_team_create(json_t **out, xsirt_db *db, const xsirt_principal *by, const json_t *in,
                      xsirt_error *err)
{
    char now[XSIRT_TIME_MAX];
    xsirt_db_value p[6];
    xsirt_db_rows *rows = NULL;
    int64_t id = 0;
    int rc;

    *out = NULL;
    if (!by->admin)
        return xsirt_error_set(err, XSIRT_EDENIED, "only admins create teams");
    if ((rc = xsirt_db_begin(db, err)) != 0)
        return rc;
    rc = team_check_input(db, 0, in, false, err);
    xsirt_clock_now(now);
    p[0] = XSIRT_DB_TEXTV(xsirt_json_str(in, "name"));
    p[1] = XSIRT_DB_TEXTV(xsirt_json_str(in, "kind"));
    p[2] = xsirt_json_int(in, "parent") ? XSIRT_DB_INTV(xsirt_json_int(in, "parent")) : XSIRT_DB_NULLV;
    p[3] = XSIRT_DB_TEXTV(xsirt_json_str(in, "description") ? xsirt_json_str(in, "description") : "");
    p[4] = XSIRT_DB_TEXTV(now);
    p[5] = XSIRT_DB_TEXTV(now);
    if (rc == 0)
        rc = xsirt_db_query(&rows, db, "INSERT INTO teams (name, kind, parent_id, description, "
                                       "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                            p, 6, err);
    if (rc == XSIRT_ECONFLICT)
        xsirt_error_set_pointer(err, XSIRT_ECONFLICT, "name", "a team named %s exists",
                                xsirt_json_str(in, "name"));
    if (rc == 0) {
        id = xsirt_db_rows_int(rows, 0, 0);
        rc = team_load(out, db, by, id, err);
    }
    xsirt_db_rows_free(rows);
    if (rc == 0)
        rc = xsirt_store_audit(db, by, "team.create", "team", id, NULL, *out, err);
    if (rc != 0) {
        json_decref(*out);
        *out = NULL;
    }
    return xsirt_store_finish(db, rc, err);
}

int xsirt_team_update(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                      const json_t *in, xsirt_error *err)
{
    static const char *const columns[][2] = {
        {"name", "name"}, {"kind", "kind"}, {"description", "description"}, {"parent", "parent_id"}};
    json_t *before = NULL;
    char now[XSIRT_TIME_MAX], sql[128];
    int rc;

    *out = NULL;
    if ((rc = xsirt_db_begin(db, err)) != 0)
        return rc;
    if ((rc = team_load(&before, db, by, id, err)) == 0 &&
        (rc = team_may_manage(db, by, id, err)) == 0)
        rc = team_check_input(db, id, in, true, err);
    if (rc == 0)
        rc = team_check_move(by, before, in, err);
    for (size_t i = 0; rc == 0 && i < sizeof columns / sizeof columns[0]; i++) {
        const json_t *v = json_object_get(in, columns[i][0]);
        xsirt_db_value p[2];
        if (v == NULL)
            continue;
        p[0] = json_is_integer(v) ? XSIRT_DB_INTV(json_integer_value(v))
                                  : XSIRT_DB_TEXTV(json_string_value(v));
        p[1] = XSIRT_DB_INTV(id);
        /* Column names come from the table above, never from input. */
        snprintf(sql, sizeof sql, "UPDATE teams SET %s = ? WHERE id = ?", columns[i][1]);
        rc = xsirt_db_exec(db, sql, p, 2, NULL, err);
    }
    if (rc == 0) {
        xsirt_db_value p[2];
        xsirt_clock_now(now);
        p[0] = XSIRT_DB_TEXTV(now);
        p[1] = XSIRT_DB_INTV(id);
        rc = xsirt_db_exec(db, "UPDATE teams SET updated_at = ? WHERE id = ?", p, 2, NULL, err);
    }
    if (rc == 0 && (rc = team_load(out, db, by, id, err)) == 0)
        rc = xsirt_store_audit(db, by, "team.update", "team", id, before, *out, err);
    json_decref(before);
    if (rc != 0) {
        json_decref(*out);
        *out = NULL;
    }
    return xsirt_store_finish(db, rc, err);
}

int xsirt_team_set_member(xsirt_db *db, const xsirt_principal *by, int64_t team_id,
                          int64_t user_id, const char *role, xsirt_error *err)
{
    xsirt_db_value p[3] = {XSIRT_DB_INTV(team_id), XSIRT_DB_INTV(user_id), XSIRT_DB_TEXTV(role)};
    json_t *team = NULL, *after;
    int64_t n = 0;
    int rc;

    if ((rc = xsirt_json_enum(role, team_roles, "role", err)) != 0)
        return rc;
    if ((rc = xsirt_db_begin(db, err)) != 0)
        return rc;
    if ((rc = team_load(&team, db, by, team_id, err)) == 0)
        rc = team_may_manage(db, by, team_id, err);
    json_decref(team);
    /* A party's account (kind external) is never one of a team: membership
     * is what opens cases and assets. */
    if (rc == 0 && (rc = xsirt_db_query_int(&n, db, "SELECT COUNT(*) FROM users WHERE id = ? AND "
                                                    "kind <> 'internal'", p + 1, 1, err)) == 0 && n > 0)
        rc = xsirt_error_set_pointer(err, XSIRT_EINVAL, "user", "user %lld is a party's external "
                                     "account: it joins no team", (long long)user_id);
    if (rc == 0 && (rc = xsirt_db_exec(db, "DELETE FROM team_members WHERE team_id = ? AND user_id = ?",
                                       p, 2, NULL, err)) == 0)
        rc = xsirt_db_exec(db, "INSERT INTO team_members (team_id, user_id, role) VALUES (?, ?, ?)",
                           p, 3, NULL, err);
    if (rc == XSIRT_ECONFLICT)
        xsirt_error_set_pointer(err, XSIRT_EINVAL, "user", "no user %lld", (long long)user_id);
    if (rc == 0) {
        after = json_pack("{s:I, s:s}", "user", (json_int_t)user_id, "role", role);
        rc = xsirt_store_audit(db, by, "team.member.set", "team", team_id, NULL, after, err);
        json_decref(after);
    }
    return xsirt_store_finish(db, rc, err);
}

int xsirt_team_remove_member(xsirt_db *db, const xsirt_principal *by, int64_t team_id,
                             int64_t user_id, xsirt_error *err)
{
    xsirt_db_value p[2] = {XSIRT_DB_INTV(team_id), XSIRT_DB_INTV(user_id)};
    json_t *before;
    int64_t changes = 0;
    int rc;

    if ((rc = xsirt_db_begin(db, err)) != 0)
        return rc;
    rc = team_may_manage(db, by, team_id, err);
    if (rc == 0)
        rc = xsirt_db_exec(db, "DELETE FROM team_members WHERE team_id = ? AND user_id = ?", p, 2,
                           &changes, err);
    if (rc == 0 && changes == 0)
        rc = xsirt_error_set(err, XSIRT_ENOTFOUND, "user %lld is not a member", (long long)user_id);
    if (rc == 0) {
        before = json_pack("{s:I}", "user", (json_int_t)user_id);
        rc = xsirt_store_audit(db, by, "team.member.remove", "team", team_id, before, NULL, err);
        json_decref(before);
    }
    return xsirt_store_finish(db, rc, err);
}

int xsirt_team_members(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t team_id,
                       const xsirt_page *pg, xsirt_error *err)
{
    static const char *const ints[] = {"user", NULL};
    xsirt_db_value p[1] = {XSIRT_DB_INTV(team_id)};
    json_t *team = NULL;
    int rc;

    if ((rc = team_load(&team, db, by, team_id, err)) != 0)
        return rc;
    json_decref(team);
    return xsirt_store_list_page(out, db, "SELECT u.id AS user, u.username, m.role FROM team_members m "
                                          "JOIN users u ON u.id = m.user_id WHERE m.team_id = ? "
                                          "AND u.id > ? ORDER BY u.id LIMIT ?", p, 1, ints, NULL, pg, err);
}
