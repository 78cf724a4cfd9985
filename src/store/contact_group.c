/*
 * contact_group.c — a team's contact groups and their members
 * (contact_group.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/clock.h"
#include "store/contact_group.h"
#include "store/json_input.h"
#include "store/metrics.h"
#include "store/store.h"
#include "store/team.h"
#include "xsirt/limits.h"

static const char *const group_organisations[] = {"management", "pr", "legal", "it", "external", "other", NULL};

static const xsirt_field group_member_fields[] = {
    {"name", XSIRT_FIELD_STRING, true, false, 200},
    {"role", XSIRT_FIELD_STRING, false, true, 200},
    {"email", XSIRT_FIELD_STRING, false, true, 254},
    {"phone", XSIRT_FIELD_STRING, false, true, 40},
    {"organisation", XSIRT_FIELD_STRING, false, false, 16},
    {"user", XSIRT_FIELD_INTEGER, false, true, 0},
    {NULL, 0, false, false, 0},
};

/* May by change the groups of team (0: the organisation's)? Admins may;
 * of a team, its leads and members (also those of a team above it). */
static int group_may_change(xsirt_db *db, const xsirt_principal *by, int64_t team, xsirt_error *err)
{
    char role[16] = "";
    int rc;

    if (by->admin)
        return 0;
    if (team == 0)
        return xsirt_error_set(err, XSIRT_EDENIED, "admins change the organisation's contact groups");
    if ((rc = xsirt_team_role(role, sizeof role, db, team, by->user_id, err)) != 0)
        return rc;
    if (strcmp(role, "lead") != 0 && strcmp(role, "member") != 0)
        return xsirt_error_set(err, XSIRT_EDENIED, "the team's leads and members change its contact groups");
    return 0;
}

/* The team of a group by may read (0 for the organisation's); 404 when
 * there is no such group or by may not see it; 403 when change and by
 * may read but not change it. */
static int group_team(int64_t *team, xsirt_db *db, const xsirt_principal *by, int64_t id, bool change,
                      xsirt_error *err)
{
    xsirt_db_value p[1] = {XSIRT_DB_INTV(id)};
    xsirt_db_rows *r = NULL;
    bool found;
    int rc;

    *team = 0;
    if ((rc = xsirt_db_query(&r, db, "SELECT team_id FROM contact_groups WHERE id = ?", p, 1, err)) != 0)
        return rc;
    found = xsirt_db_rows_count(r) == 1;
    if (found)
        *team = xsirt_db_rows_int(r, 0, 0);
    xsirt_db_rows_free(r);
    if (!found || (*team == 0 && by->external))
        return xsirt_error_set(err, XSIRT_ENOTFOUND, "no contact group %lld", (long long)id);
    if (*team != 0 && (rc = xsirt_metrics_check_team(db, by, *team, err)) != 0) {
        if (rc != XSIRT_ENOTFOUND)
            return rc;
        xsirt_error_clear(err);   /* not "no team": the group is what was asked for */
        return xsirt_error_set(err, XSIRT_ENOTFOUND, "no contact group %lld", (long long)id);
    }
    return change ? group_may_change(db, by, *team, err) : 0;
}

static int group_members(json_t **out, xsirt_db *db, int64_t id, xsirt_error *err)
{
    static const char *const ints[] = {"id", "user", NULL};
    xsirt_db_value p[1] = {XSIRT_DB_INTV(id)};
    xsirt_db_rows *r = NULL;
    int rc;

    *out = json_array();
    rc = xsirt_db_query(&r, db, "SELECT id, name, role, email, phone, COALESCE(organisation, 'other') AS "
                                "organisation, user_id AS user FROM contact_group_members WHERE group_id = ? "
                                "ORDER BY id", p, 1, err);
    for (size_t i = 0; rc == 0 && i < xsirt_db_rows_count(r); i++)
        json_array_append_new(*out, xsirt_store_row_json(r, i, ints));
    xsirt_db_rows_free(r);
    return rc;
}

/* The group as JSON (whoever reads it was checked). */
static int group_load(json_t **out, xsirt_db *db, int64_t id, xsirt_error *err)
{
    static const char *const ints[] = {"id", "team", NULL};
    xsirt_db_value p[1] = {XSIRT_DB_INTV(id)};
    xsirt_db_rows *r = NULL;
    json_t *members = NULL;
    int rc;

    *out = NULL;
    if ((rc = xsirt_db_query(&r, db, "SELECT id, team_id AS team, name, description, reviewed_at FROM "
                                     "contact_groups WHERE id = ?", p, 1, err)) != 0)
        return rc;
    if (xsirt_db_rows_count(r) == 1 && (rc = group_members(&members, db, id, err)) == 0) {
        *out = xsirt_store_row_json(r, 0, ints);
        json_object_set_new(*out, "members", members);
    } else if (rc == 0) {
        rc = xsirt_error_set(err, XSIRT_ENOTFOUND, "no contact group %lld", (long long)id);
    } else {
        json_decref(members);
    }
    xsirt_db_rows_free(r);
    return rc;
}

int xsirt_contact_group_list(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t team,
                             xsirt_error *err)
{
    xsirt_db_value p[1] = {XSIRT_DB_INTV(team)};
    xsirt_db_rows *r = NULL;
    json_t *items;
    int rc;

    *out = NULL;
    if ((rc = xsirt_metrics_check_team(db, by, team, err)) != 0 ||
        (rc = xsirt_db_query(&r, db, "SELECT id FROM contact_groups WHERE team_id = ? ORDER BY id", p, 1, err)) != 0)
        return rc;
    items = json_array();
    for (size_t i = 0; rc == 0 && i < xsirt_db_rows_count(r); i++) {
        json_t *g = NULL;
        if ((rc = group_load(&g, db, xsirt_db_rows_int(r, i, 0), err)) == 0)
            json_array_append_new(items, g);
    }
    xsirt_db_rows_free(r);
    if (rc == 0)
        *out = json_pack("{s:o, s:n}", "items", items, "next");
    else
        json_decref(items);
    return rc;
}

/* A member's fields checked: organisation one of the list, an email with
 * an @, a phone of digits and + - ( ) and spaces, user an existing user. */
static int group_member_check(xsirt_db *db, const json_t *in, bool partial, xsirt_error *err)
{
    const char *email = xsirt_json_str(in, "email"), *phone = xsirt_json_str(in, "phone");
    int64_t n = 0;
    int rc;

    if ((rc = xsirt_json_check(in, group_member_fields, partial, err)) != 0)
        return rc;
    if (xsirt_json_str(in, "organisation") != NULL &&
        (rc = xsirt_json_enum(xsirt_json_str(in, "organisation"), group_organisations, "organisation", err)) != 0)
        return rc;
    if (email != NULL && (strchr(email, '@') == NULL || strchr(email, '@') == email || strpbrk(email, " <>\r\n")))
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, "email", "not an email address");
    if (phone != NULL && (phone[0] == '\0' || strspn(phone, "0123456789+-() ") != strlen(phone)))
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, "phone", "a phone number is digits, + - ( ) and spaces");
    if (xsirt_json_int(in, "user") != 0) {
        xsirt_db_value p[1] = {XSIRT_DB_INTV(xsirt_json_int(in, "user"))};
        if ((rc = xsirt_db_query_int(&n, db, "SELECT COUNT(*) FROM users WHERE id = ?", p, 1, err)) != 0)
            return rc;
        if (n == 0)
            return xsirt_error_set_pointer(err, XSIRT_EINVAL, "user", "no user %lld",
                                           (long long)xsirt_json_int(in, "user"));
    }
    return 0;
}

static int group_member_insert(xsirt_db *db, int64_t group, const json_t *in, xsirt_error *err)
{
    int64_t user = xsirt_json_int(in, "user"), n = 0;
    const char *org = xsirt_json_str(in, "organisation");
    xsirt_db_value p[7] = {XSIRT_DB_INTV(group)};
    int rc;

    if ((rc = xsirt_db_query_int(&n, db, "SELECT COUNT(*) FROM contact_group_members WHERE group_id = ?", p, 1,
                                 err)) != 0)
        return rc;
    if (n >= XSIRT_LIMIT_CONTACT_MEMBERS)
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, "members", "a contact group has at most %u people",
                                       XSIRT_LIMIT_CONTACT_MEMBERS);
    p[1] = XSIRT_DB_TEXTV(xsirt_json_str(in, "name"));
    p[2] = XSIRT_DB_TEXTV(xsirt_json_str(in, "role") != NULL ? xsirt_json_str(in, "role") : "");
    p[3] = XSIRT_DB_TEXTV(xsirt_json_str(in, "email"));
    p[4] = XSIRT_DB_TEXTV(xsirt_json_str(in, "phone"));
    p[5] = XSIRT_DB_TEXTV(org != NULL ? org : "other");
    p[6] = user != 0 ? XSIRT_DB_INTV(user) : XSIRT_DB_NULLV;
    return xsirt_db_exec(db, "INSERT INTO contact_group_members (group_id, name, role, email, phone, "
                             "organisation, user_id) VALUES (?, ?, ?, ?, ?, ?, ?)", p, 7, NULL, err);
}

/* Ends a change: audits it with the group as it now is, answers the group. */
static int group_done(json_t **out, xsirt_db *db, const xsirt_principal *by, const char *action, int64_t id,
                      const json_t *before, int rc, xsirt_error *err)
{
    json_t *after = NULL;

    if (rc == 0)
        rc = group_load(&after, db, id, err);
    if (rc == 0)
        rc = xsirt_store_audit(db, by, action, "contact_group", id, before, after, err);
    if ((rc = xsirt_store_finish(db, rc, err)) == 0)
        *out = after;
    else
        json_decref(after);
    return rc;
}

static int group_name_free(xsirt_db *db, const char *name, int64_t except, xsirt_error *err)
{
    xsirt_db_value p[2] = {XSIRT_DB_TEXTV(name), XSIRT_DB_INTV(except)};
    int64_t n = 0;
    int rc = xsirt_db_query_int(&n, db, "SELECT COUNT(*) FROM contact_groups WHERE name = ? AND id <> ?", p, 2, err);

    if (rc == 0 && n > 0)
        rc = xsirt_error_set_pointer(err, XSIRT_ECONFLICT, "name", "a contact group named %s exists", name);
    return rc;
}

int xsirt_contact_group_create(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t team,
                               const json_t *in, xsirt_error *err)
{
    static const xsirt_field fields[] = {
        {"name", XSIRT_FIELD_STRING, true, false, 100},
        {"description", XSIRT_FIELD_STRING, false, false, 2000},
        {"members", XSIRT_FIELD_ARRAY, false, false, XSIRT_LIMIT_CONTACT_MEMBERS},
        {NULL, 0, false, false, 0},
    };
    const json_t *members = json_object_get(in, "members");
    xsirt_db_value p[3];
    xsirt_db_rows *r = NULL;
    int64_t id = 0, n = 0;
    int rc;

    *out = NULL;
    if ((rc = xsirt_json_check(in, fields, false, err)) != 0)
        return rc;
    if (xsirt_json_str(in, "name")[0] == '\0')
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, "name", "a contact group needs a name");
    for (size_t i = 0; i < json_array_size(members); i++)
        if ((rc = group_member_check(db, json_array_get(members, i), false, err)) != 0) {
            char field[64];
            snprintf(field, sizeof field, "members/%zu/%.16s", i, err->pointer);
            xsirt_error_point(err, field);
            return rc;
        }
    if ((rc = xsirt_db_begin(db, err)) != 0)
        return rc;
    p[0] = XSIRT_DB_INTV(team);
    if ((rc = xsirt_metrics_check_team(db, by, team, err)) == 0 && (rc = group_may_change(db, by, team, err)) == 0 &&
        (rc = xsirt_db_query_int(&n, db, "SELECT COUNT(*) FROM contact_groups WHERE team_id = ?", p, 1, err)) == 0 &&
        n >= XSIRT_LIMIT_CONTACT_GROUPS)
        rc = xsirt_error_set_pointer(err, XSIRT_EINVAL, "team", "a team has at most %u contact groups",
                                     XSIRT_LIMIT_CONTACT_GROUPS);
    if (rc == 0)
        rc = group_name_free(db, xsirt_json_str(in, "name"), 0, err);
    p[1] = XSIRT_DB_TEXTV(xsirt_json_str(in, "name"));
    p[2] = XSIRT_DB_TEXTV(xsirt_json_str(in, "description") != NULL ? xsirt_json_str(in, "description") : "");
    if (rc == 0 && (rc = xsirt_db_query(&r, db, "INSERT INTO contact_groups (team_id, name, description) "
                                                "VALUES (?, ?, ?) RETURNING id", p, 3, err)) == 0) {
        id = xsirt_db_rows_int(r, 0, 0);
        xsirt_db_rows_free(r);
    }
    for (size_t i = 0; rc == 0 && i < json_array_size(members); i++)
        rc = group_member_insert(db, id, json_array_get(members, i), err);
    return group_done(out, db, by, "contact_group.create", id, NULL, rc, err);
}

int xsirt_contact_group_get(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                            xsirt_error *err)
{
    int64_t team = 0;
    int rc;

    *out = NULL;
    if ((rc = group_team(&team, db, by, id, false, err)) != 0)
        return rc;
    return group_load(out, db, id, err);
}

int xsirt_contact_group_update(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                               const json_t *in, xsirt_error *err)
{
    static const xsirt_field fields[] = {
        {"name", XSIRT_FIELD_STRING, false, false, 100},
        {"description", XSIRT_FIELD_STRING, false, false, 2000},
        {"reviewed", XSIRT_FIELD_BOOLEAN, false, false, 0},
        {NULL, 0, false, false, 0},
    };
    const char *name = xsirt_json_str(in, "name"), *desc = xsirt_json_str(in, "description");
    bool reviewed = json_is_true(json_object_get(in, "reviewed"));
    char now[XSIRT_TIME_MAX];
    json_t *before = NULL;
    xsirt_db_value p[4];
    int64_t team = 0;
    int rc;

    *out = NULL;
    if ((rc = xsirt_json_check(in, fields, true, err)) != 0)
        return rc;
    if (name != NULL && name[0] == '\0')
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, "name", "a contact group needs a name");
    if ((rc = xsirt_db_begin(db, err)) != 0)
        return rc;
    if ((rc = group_team(&team, db, by, id, true, err)) == 0 && (rc = group_load(&before, db, id, err)) == 0 &&
        name != NULL)
        rc = group_name_free(db, name, id, err);
    xsirt_clock_now(now);
    p[0] = XSIRT_DB_TEXTV(name);
    p[1] = XSIRT_DB_TEXTV(desc);
    p[2] = XSIRT_DB_TEXTV(reviewed ? now : NULL);
    p[3] = XSIRT_DB_INTV(id);
    /* Escalation rules name their group: a new name carries them along. */
    if (rc == 0 && name != NULL) {
        xsirt_db_value q[2] = {XSIRT_DB_TEXTV(name), XSIRT_DB_TEXTV(xsirt_json_str(before, "name"))};
        rc = xsirt_db_exec(db, "UPDATE escalation_rules SET target = ? WHERE target_kind = 'group' AND target = ?",
                           q, 2, NULL, err);
    }
    if (rc == 0)
        rc = xsirt_db_exec(db, "UPDATE contact_groups SET name = COALESCE(?, name), description = "
                               "COALESCE(?, description), reviewed_at = COALESCE(?, reviewed_at) WHERE id = ?",
                           p, 4, NULL, err);
    rc = group_done(out, db, by, reviewed && name == NULL && desc == NULL ? "contact_group.review" :
                    "contact_group.update", id, before, rc, err);
    json_decref(before);
    return rc;
}

/* A group an escalation rule sends to stays (409): deleting it would leave
 * the rule without anyone to tell. */
static int group_unused(xsirt_db *db, const char *name, xsirt_error *err)
{
    xsirt_db_value p[1] = {XSIRT_DB_TEXTV(name)};
    xsirt_db_rows *r = NULL;
    int rc = xsirt_db_query(&r, db, "SELECT name FROM escalation_rules WHERE target_kind = 'group' AND target = ? "
                                    "ORDER BY id LIMIT 1", p, 1, err);

    if (rc == 0 && xsirt_db_rows_count(r) == 1)
        rc = xsirt_error_set(err, XSIRT_ECONFLICT, "the escalation rule \"%s\" sends to this group: change the rule "
                             "first", xsirt_db_rows_text(r, 0, 0));
    xsirt_db_rows_free(r);
    return rc;
}

int xsirt_contact_group_delete(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                               xsirt_error *err)
{
    xsirt_db_value p[1] = {XSIRT_DB_INTV(id)};
    json_t *before = NULL;
    int64_t team = 0;
    int rc;

    *out = NULL;
    if ((rc = xsirt_db_begin(db, err)) != 0)
        return rc;
    if ((rc = group_team(&team, db, by, id, true, err)) == 0 && (rc = group_load(&before, db, id, err)) == 0)
        rc = group_unused(db, xsirt_json_str(before, "name"), err);
    if (rc == 0)
        rc = xsirt_db_exec(db, "DELETE FROM contact_groups WHERE id = ?", p, 1, NULL, err);
    if (rc == 0)
        rc = xsirt_store_audit(db, by, "contact_group.delete", "contact_group", id, before, NULL, err);
    json_decref(before);
    if ((rc = xsirt_store_finish(db, rc, err)) == 0)
        *out = json_pack("{s:b}", "deleted", 1);
    return rc;
}

int xsirt_contact_group_member_add(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t group,
                                   const json_t *in, xsirt_error *err)
{
    json_t *before = NULL;
    int64_t team = 0;
    int rc;

    *out = NULL;
    if ((rc = group_member_check(db, in, false, err)) != 0 || (rc = xsirt_db_begin(db, err)) != 0)
        return rc;
    if ((rc = group_team(&team, db, by, group, true, err)) == 0 && (rc = group_load(&before, db, group, err)) == 0)
        rc = group_member_insert(db, group, in, err);
    rc = group_done(out, db, by, "contact_group.member.add", group, before, rc, err);
    json_decref(before);
    return rc;
}

/* The member exists in group (404 otherwise). */
static int group_member_exists(xsirt_db *db, int64_t group, int64_t member, xsirt_error *err)
{
    xsirt_db_value p[2] = {XSIRT_DB_INTV(member), XSIRT_DB_INTV(group)};
    int64_t n = 0;
    int rc = xsirt_db_query_int(&n, db, "SELECT COUNT(*) FROM contact_group_members WHERE id = ? AND group_id = ?",
                                p, 2, err);

    if (rc == 0 && n == 0)
        rc = xsirt_error_set(err, XSIRT_ENOTFOUND, "no member %lld in contact group %lld", (long long)member,
                             (long long)group);
    return rc;
}

int xsirt_contact_group_member_update(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t group,
                                      int64_t member, const json_t *in, xsirt_error *err)
{
    int64_t user = xsirt_json_int(in, "user"), team = 0;
    const json_t *u = json_object_get(in, "user");
    json_t *before = NULL;
    xsirt_db_value p[9];
    int rc;

    *out = NULL;
    if ((rc = group_member_check(db, in, true, err)) != 0 || (rc = xsirt_db_begin(db, err)) != 0)
        return rc;
    if ((rc = group_team(&team, db, by, group, true, err)) == 0 && (rc = group_member_exists(db, group, member, err)) == 0)
        rc = group_load(&before, db, group, err);
    /* A field given as null is cleared (role, email, phone, user); one not
     * given is kept. */
    p[0] = XSIRT_DB_TEXTV(xsirt_json_str(in, "name"));
    p[1] = XSIRT_DB_INTV(xsirt_json_has(in, "role") ? 1 : 0);
    p[2] = XSIRT_DB_TEXTV(xsirt_json_str(in, "role") != NULL ? xsirt_json_str(in, "role") : "");
    p[3] = XSIRT_DB_INTV(xsirt_json_has(in, "email") ? 1 : 0);
    p[4] = XSIRT_DB_TEXTV(xsirt_json_str(in, "email"));
    p[5] = XSIRT_DB_INTV(xsirt_json_has(in, "phone") ? 1 : 0);
    p[6] = XSIRT_DB_TEXTV(xsirt_json_str(in, "phone"));
    p[7] = XSIRT_DB_TEXTV(xsirt_json_str(in, "organisation"));
    p[8] = XSIRT_DB_INTV(member);
    if (rc == 0)
        rc = xsirt_db_exec(db, "UPDATE contact_group_members SET name = COALESCE(?, name), role = CASE WHEN ? = 1 "
                               "THEN ? ELSE role END, email = CASE WHEN ? = 1 THEN ? ELSE email END, phone = CASE "
                               "WHEN ? = 1 THEN ? ELSE phone END, organisation = COALESCE(?, organisation) WHERE id = ?",
                           p, 9, NULL, err);
    if (rc == 0 && u != NULL) {
        xsirt_db_value q[2] = {user != 0 ? XSIRT_DB_INTV(user) : XSIRT_DB_NULLV, XSIRT_DB_INTV(member)};
        rc = xsirt_db_exec(db, "UPDATE contact_group_members SET user_id = ? WHERE id = ?", q, 2, NULL, err);
    }
    rc = group_done(out, db, by, "contact_group.member.update", group, before, rc, err);
    json_decref(before);
    return rc;
}

int xsirt_contact_group_member_delete(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t group,
                                      int64_t member, xsirt_error *err)
{
    xsirt_db_value p[1] = {XSIRT_DB_INTV(member)};
    json_t *before = NULL;
    int64_t team = 0;
    int rc;

    *out = NULL;
    if ((rc = xsirt_db_begin(db, err)) != 0)
        return rc;
    if ((rc = group_team(&team, db, by, group, true, err)) == 0 && (rc = group_member_exists(db, group, member, err)) == 0 &&
        (rc = group_load(&before, db, group, err)) == 0)
        rc = xsirt_db_exec(db, "DELETE FROM contact_group_members WHERE id = ?", p, 1, NULL, err);
    rc = group_done(out, db, by, "contact_group.member.remove", group, before, rc, err);
    json_decref(before);
    return rc;
}

int xsirt_contact_group_summary(json_t **people, char **reviewed_at, xsirt_db *db, int64_t team, xsirt_error *err)
{
    static const char up[] = "WITH RECURSIVE up(id) AS (SELECT CAST(? AS BIGINT) UNION SELECT t.parent_id FROM "
                             "teams t JOIN up ON t.id = up.id WHERE t.parent_id IS NOT NULL) ";
    xsirt_db_value p[1] = {XSIRT_DB_INTV(team)};
    xsirt_db_rows *r = NULL;
    char sql[640];
    int rc;

    *people = json_object();
    *reviewed_at = NULL;
    snprintf(sql, sizeof sql, "%sSELECT COALESCE(m.organisation, 'other'), COUNT(*) FROM contact_group_members m "
             "JOIN contact_groups g ON g.id = m.group_id WHERE g.team_id IS NULL OR g.team_id IN (SELECT id FROM up) "
             "GROUP BY COALESCE(m.organisation, 'other')", up);
    rc = xsirt_db_query(&r, db, sql, p, 1, err);
    for (size_t i = 0; rc == 0 && i < xsirt_db_rows_count(r); i++)
        json_object_set_new(*people, xsirt_db_rows_text(r, i, 0), json_integer(xsirt_db_rows_int(r, i, 1)));
    xsirt_db_rows_free(r);
    r = NULL;
    snprintf(sql, sizeof sql, "%sSELECT MAX(reviewed_at) FROM contact_groups WHERE team_id IS NULL OR team_id IN "
             "(SELECT id FROM up)", up);
    if (rc == 0 && (rc = xsirt_db_query(&r, db, sql, p, 1, err)) == 0 && xsirt_db_rows_count(r) == 1 &&
        xsirt_db_rows_text(r, 0, 0) != NULL)
        *reviewed_at = strdup(xsirt_db_rows_text(r, 0, 0));
    xsirt_db_rows_free(r);
    return rc;
}
