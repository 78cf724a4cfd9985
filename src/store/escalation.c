/*
 * escalation.c — evaluating escalation rules (see escalation.h).
 *
 * The UNIQUE (case_id, rule_id) constraint makes "fires once per case"
 * hold even when two servers evaluate the same case at once: the second
 * insert does nothing, and only an insert that happened adds the timeline
 * event.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/clock.h"
#include "store/escalation.h"
#include "store/json_input.h"
#include "store/outbox.h"
#include "store/store.h"

static const char *const escalation_groups[][2] = {
    {"management", "Management"},
    {"pr", "Public relations"},
    {"legal", "Legal"},
    {"ciso", "Chief information security officer"},
};

static const xsirt_field rule_fields[] = {
    {"name", XSIRT_FIELD_STRING, true, false, 200},
    {"team", XSIRT_FIELD_INTEGER, false, true, 0},
    {"condition", XSIRT_FIELD_OBJECT, true, false, 0},
    {"target_kind", XSIRT_FIELD_STRING, true, false, 16},
    {"target", XSIRT_FIELD_STRING, true, false, 200},
    {"enabled", XSIRT_FIELD_BOOLEAN, false, false, 0},
    {NULL, 0, false, false, 0},
};
static const char *const rule_ints[] = {"id", "team", "revision", NULL};

static int escalation_rule_read(json_t **out, xsirt_db *db, int64_t id, xsirt_error *err);

static const xsirt_field condition_fields[] = {
    {"severity", XSIRT_FIELD_ARRAY, false, false, 10},
    {"classification", XSIRT_FIELD_ARRAY, false, false, 100},
    {"tlp", XSIRT_FIELD_ARRAY, false, false, 10},
    {"kind", XSIRT_FIELD_ARRAY, false, false, 50},
    {"overdue", XSIRT_FIELD_BOOLEAN, false, false, 0},
    {NULL, 0, false, false, 0},
};

int xsirt_escalation_seed(xsirt_db *db, xsirt_error *err)
{
    char now[XSIRT_TIME_MAX];
    xsirt_db_value p[2];
    int rc = 0;

    for (size_t i = 0; rc == 0 && i < sizeof escalation_groups / sizeof escalation_groups[0]; i++) {
        p[0] = XSIRT_DB_TEXTV(escalation_groups[i][0]);
        p[1] = XSIRT_DB_TEXTV(escalation_groups[i][1]);
        rc = xsirt_db_exec(db, "INSERT INTO contact_groups (name, description) VALUES (?, ?)", p, 2,
                           NULL, err);
    }
    xsirt_clock_now(now);
    p[0] = XSIRT_DB_TEXTV(now);
    if (rc == 0)
        rc = xsirt_db_exec(db, "INSERT INTO escalation_rules (name, condition, target_kind, target, "
                               "created_at) VALUES ('Critical cases reach the CISO', "
                               "'{\"severity\":[\"critical\"]}', 'group', 'ciso', ?)", p, 1, NULL, err);
    return rc;
}

/* value is in the JSON array list (or, with prefix, starts with one). */
static bool escalation_in(const json_t *list, const char *value, bool prefix)
{
    if (value == NULL)
        return false;
    for (size_t i = 0; i < json_array_size(list); i++) {
        const char *s = json_string_value(json_array_get(list, i));
        if (s != NULL && (prefix ? strncmp(value, s, strlen(s)) == 0 : strcmp(value, s) == 0))
            return true;
    }
    return false;
}

/* True when the case meets every key of cond; reason gets why. */
static bool escalation_matches(const json_t *cond, const json_t *c, char *reason, size_t n)
{
    const json_t *v;
    size_t used = 0;

    reason[0] = '\0';
#define ESC_KEY(key, field, prefix)                                                         \
    if ((v = json_object_get(cond, key)) != NULL) {                                         \
        const char *s = json_string_value(json_object_get(c, field));                      \
        if (!escalation_in(v, s, prefix))                                                   \
            return false;                                                                   \
        used += (size_t)snprintf(reason + used, used < n ? n - used : 0, "%s%s %s",        \
                                 used ? ", " : "", key, s);                                 \
    }
    ESC_KEY("severity", "severity", false)
    ESC_KEY("classification", "classification", true)
    ESC_KEY("tlp", "tlp", false)
    ESC_KEY("kind", "kind", false)
#undef ESC_KEY
    if (json_is_true(json_object_get(cond, "overdue"))) {
        if (!json_is_true(json_object_get(json_object_get(c, "sla"), "overdue")))
            return false;
        snprintf(reason + (used < n ? used : n - 1), used < n ? n - used : 1, "%soverdue",
                 used ? ", " : "");
    }
    return true;
}

static int escalation_fire(int *fired, xsirt_db *db, int64_t case_id, const xsirt_db_rows *rules, size_t i,
                           const char *reason, xsirt_error *err)
{
    char now[XSIRT_TIME_MAX], *data;
    xsirt_db_value p[6];
    int64_t changes = 0;
    json_t *d;
    int rc;

    xsirt_clock_now(now);
    p[0] = XSIRT_DB_INTV(case_id);
    p[1] = XSIRT_DB_INTV(xsirt_db_rows_int(rules, i, 0));
    p[2] = XSIRT_DB_TEXTV(now);
    p[3] = XSIRT_DB_TEXTV(reason);
    rc = xsirt_db_exec(db, "INSERT INTO escalations (case_id, rule_id, at, reason) VALUES (?, ?, ?, ?) "
                           "ON CONFLICT DO NOTHING", p, 4, &changes, err);
    if (rc != 0 || changes == 0)
        return rc;
    if (fired != NULL)
        (*fired)++;
    d = json_pack("{s:I, s:s, s:s, s:s, s:s}", "rule", (json_int_t)xsirt_db_rows_int(rules, i, 0),
                  "name", xsirt_db_rows_text(rules, i, 1), "target_kind", xsirt_db_rows_text(rules, i, 3),
                  "target", xsirt_db_rows_text(rules, i, 4), "reason", reason);
    data = d != NULL ? json_dumps(d, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    json_decref(d);
    if (data == NULL)
        return xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    p[1] = XSIRT_DB_TEXTV(now);
    p[2] = XSIRT_DB_TEXTV(reason);
    p[3] = XSIRT_DB_TEXTV(data);
    rc = xsirt_db_exec(db, "INSERT INTO case_events (case_id, at, kind, body, data) "
                           "VALUES (?, ?, 'escalation', ?, ?)", p, 4, NULL, err);
    free(data);
    return rc;
}

/* An escalation that fired, to the notification rules of the case's team
 * and the teams above it (in this transaction; outbox.h). A RED case is
 * its named participants' alone: it notifies no team's rule. */
static int escalation_notify(xsirt_db *db, const json_t *c, const xsirt_db_rows *rules, size_t i,
                             const char *reason, xsirt_error *err)
{
    const char *tlp = json_string_value(json_object_get(c, "tlp"));
    json_t *ev;
    int rc;

    if (tlp == NULL || strcmp(tlp, "RED") == 0)
        return 0;
    ev = json_pack("{s:{s:O?, s:O?, s:O?, s:O?, s:O?}, s:{s:I, s:s}, s:s}", "case",
                   "id", json_object_get(c, "id"), "title", json_object_get(c, "title"),
                   "tlp", json_object_get(c, "tlp"), "state", json_object_get(c, "state"),
                   "severity", json_object_get(c, "severity"), "escalation_rule",
                   "id", (json_int_t)xsirt_db_rows_int(rules, i, 0), "name",
                   xsirt_db_rows_text(rules, i, 1), "reason", reason);
    rc = xsirt_outbox_event(db, json_integer_value(json_object_get(c, "team")), "escalation", ev,
                            err);
    json_decref(ev);
    return rc;
}

int xsirt_escalation_evaluate(int *fired, xsirt_db *db, int64_t case_id, const json_t *c,
                              xsirt_error *err)
{
    xsirt_db_value p[1] = {XSIRT_DB_INTV(json_integer_value(json_object_get(c, "team")))};
    xsirt_db_rows *rules;
    char reason[256];
    int rc;

    /* Rules of every team (team_id NULL) and of the case's team and its ancestors. */
    rc = xsirt_db_query(&rules, db,
                        "WITH RECURSIVE up(id) AS (SELECT CAST(? AS BIGINT) UNION SELECT t.parent_id "
                        "FROM teams t JOIN up ON t.id = up.id WHERE t.parent_id IS NOT NULL) "
                        "SELECT r.id, r.name, r.condition, r.target_kind, r.target FROM escalation_rules r "
                        "WHERE r.enabled = 1 AND (r.team_id IS NULL OR r.team_id IN (SELECT id FROM up)) "
                        "ORDER BY r.id", p, 1, err);
    if (rc != 0)
        return rc;
    for (size_t i = 0; rc == 0 && i < xsirt_db_rows_count(rules); i++) {
        json_t *cond = json_loads(xsirt_db_rows_text(rules, i, 2), 0, NULL);
        int now_fired = 0;
        if (cond != NULL && escalation_matches(cond, c, reason, sizeof reason))
            rc = escalation_fire(&now_fired, db, case_id, rules, i, reason, err);
        if (fired != NULL)
            *fired += now_fired;
        if (rc == 0 && now_fired > 0)
            rc = escalation_notify(db, c, rules, i, reason, err);
        json_decref(cond);
    }
    xsirt_db_rows_free(rules);
    return rc;
}

/* A whole rule (as created, or as it would be after a change): its
 * condition says something, its target is a role xsirt knows or a group. */
static int escalation_rule_check(const json_t *r, xsirt_error *err)
{
    static const char *const kinds[] = {"role", "group", NULL};
    static const char *const roles[] = {"team-lead", "admin", NULL};
    const json_t *cond = json_object_get(r, "condition");
    int rc;

    if ((rc = xsirt_json_check(cond, condition_fields, false, err)) != 0 ||
        (rc = xsirt_json_enum(xsirt_json_str(r, "target_kind"), kinds, "target_kind", err)) != 0)
        return rc;
    if (json_object_size(cond) == 0)
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, "condition", "a rule needs a condition");
    if (strcmp(xsirt_json_str(r, "target_kind"), "role") == 0)
        return xsirt_json_enum(xsirt_json_str(r, "target"), roles, "target", err);
    return 0;
}

/* A unique or foreign key refused the row: the name, or the team. */
static int escalation_rule_taken(xsirt_error *err)
{
    return xsirt_error_set_pointer(err, XSIRT_EINVAL, "name", "the name is taken or the team does "
                                                              "not exist");
}

/* The client's revision is not the rule's any more (412). */
static int escalation_rule_stale(int64_t revision, xsirt_error *err)
{
    return xsirt_error_set_pointer(err, XSIRT_ECONFLICT, "If-Match",
                                   "the rule changed since revision %lld; read it again",
                                   (long long)revision);
}

/* In the caller's transaction: a group target names a contact group. */
static int escalation_rule_check_group(xsirt_db *db, const json_t *r, xsirt_error *err)
{
    xsirt_db_value p[1] = {XSIRT_DB_TEXTV(xsirt_json_str(r, "target"))};
    int64_t n = 0;
    int rc;

    if (strcmp(xsirt_json_str(r, "target_kind"), "group") != 0)
        return 0;
    rc = xsirt_db_query_int(&n, db, "SELECT COUNT(*) FROM contact_groups WHERE name = ?", p, 1, err);
    if (rc == 0 && n == 0)
        rc = xsirt_error_set_pointer(err, XSIRT_EINVAL, "target", "no contact group %s",
                                     xsirt_json_str(r, "target"));
    return rc;
}

int xsirt_escalation_rule_create(json_t **out, xsirt_db *db, const xsirt_principal *by,
                                 const json_t *in, xsirt_error *err)
{
    const json_t *cond = json_object_get(in, "condition");
    char now[XSIRT_TIME_MAX], *ctext = NULL;
    xsirt_db_value p[6];
    xsirt_db_rows *rows = NULL;
    int64_t id;
    int rc;

    *out = NULL;
    if (!by->admin)
        return xsirt_error_set(err, XSIRT_EDENIED, "only admins define escalation rules");
    if ((rc = xsirt_json_check(in, rule_fields, false, err)) != 0 ||
        (rc = escalation_rule_check(in, err)) != 0)
        return rc;
    if ((rc = xsirt_db_begin(db, err)) != 0)
        return rc;
    rc = escalation_rule_check_group(db, in, err);
    ctext = json_dumps(cond, JSON_COMPACT | JSON_SORT_KEYS);
    xsirt_clock_now(now);
    p[0] = XSIRT_DB_TEXTV(xsirt_json_str(in, "name"));
    p[1] = xsirt_json_int(in, "team") ? XSIRT_DB_INTV(xsirt_json_int(in, "team")) : XSIRT_DB_NULLV;
    p[2] = XSIRT_DB_TEXTV(ctext);
    p[3] = XSIRT_DB_TEXTV(xsirt_json_str(in, "target_kind"));
    p[4] = XSIRT_DB_TEXTV(xsirt_json_str(in, "target"));
    p[5] = XSIRT_DB_INTV(json_object_get(in, "enabled") == NULL || json_is_true(json_object_get(in, "enabled")));
    if (rc == 0)
        rc = xsirt_db_query(&rows, db, "INSERT INTO escalation_rules (name, team_id, condition, "
                                       "target_kind, target, enabled, created_at) VALUES "
                                       "(?, ?, ?, ?, ?, ?, '') RETURNING id", p, 6, err);
    free(ctext);
    if (rc == XSIRT_ECONFLICT)
        rc = escalation_rule_taken(err);
    if (rc == 0) {
        id = xsirt_db_rows_int(rows, 0, 0);
        xsirt_db_rows_free(rows);
        p[0] = XSIRT_DB_TEXTV(now);
        p[1] = XSIRT_DB_INTV(id);
        rc = xsirt_db_exec(db, "UPDATE escalation_rules SET created_at = ? WHERE id = ?", p, 2, NULL, err);
        if (rc == 0)
            rc = escalation_rule_read(out, db, id, err);
        if (rc == 0)
            rc = xsirt_store_audit(db, by, "escalation_rule.create", "escalation_rule", id, NULL,
                                   *out, err);
    }
    if (rc != 0) {
        json_decref(*out);
        *out = NULL;
    }
    return xsirt_store_finish(db, rc, err);
}

#define ESCALATION_RULE_COLUMNS                                                             \
    "id, name, team_id AS team, condition, target_kind, target, enabled, revision"

/* condition is stored as JSON text, enabled as 0/1. */
static void escalation_rule_fix(json_t *r, const xsirt_db_rows *rows, size_t i)
{
    json_t *cond = json_loads(xsirt_db_rows_text(rows, i, 3), 0, NULL);

    json_object_set_new(r, "condition", cond != NULL ? cond : json_object());
    json_object_set_new(r, "enabled", json_boolean(xsirt_db_rows_int(rows, i, 6)));
}

int xsirt_escalation_rule_list(json_t **out, xsirt_db *db, const xsirt_principal *by,
                               const xsirt_page *pg, xsirt_error *err)
{
    *out = NULL;
    if (by->organisation_id != 0 && !by->admin)
        return xsirt_error_set(err, XSIRT_EDENIED, "escalation rules are internal");
    return xsirt_store_list_page(out, db, "SELECT " ESCALATION_RULE_COLUMNS " FROM escalation_rules "
                                          "WHERE id > ? ORDER BY id LIMIT ?", NULL, 0, rule_ints,
                                 escalation_rule_fix, pg, err);
}

static int escalation_rule_read(json_t **out, xsirt_db *db, int64_t id, xsirt_error *err)
{
    xsirt_db_value p[1] = {XSIRT_DB_INTV(id)};
    xsirt_db_rows *rows = NULL;
    int rc;

    *out = NULL;
    if ((rc = xsirt_db_query(&rows, db, "SELECT " ESCALATION_RULE_COLUMNS " FROM escalation_rules "
                                        "WHERE id = ?", p, 1, err)) != 0)
        return rc;
    if (xsirt_db_rows_count(rows) == 0)
        rc = xsirt_error_set(err, XSIRT_ENOTFOUND, "no escalation rule %lld", (long long)id);
    else if ((*out = xsirt_store_row_json(rows, 0, rule_ints)) == NULL)
        rc = xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    else
        escalation_rule_fix(*out, rows, 0);
    xsirt_db_rows_free(rows);
    return rc;
}

int xsirt_escalation_rule_get(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                              xsirt_error *err)
{
    *out = NULL;
    if (by->organisation_id != 0 && !by->admin)
        return xsirt_error_set(err, XSIRT_EDENIED, "escalation rules are internal");
    return escalation_rule_read(out, db, id, err);
}

int xsirt_escalation_rule_update(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                                 int64_t revision, const json_t *in, xsirt_error *err)
{
    json_t *before = NULL, *after = NULL;
    char *ctext = NULL;
    xsirt_db_value p[8];
    int64_t n = 0;
    int rc;

    *out = NULL;
    if (!by->admin)
        return xsirt_error_set(err, XSIRT_EDENIED, "only admins change escalation rules");
    if ((rc = xsirt_json_check(in, rule_fields, true, err)) != 0 || (rc = xsirt_db_begin(db, err)) != 0)
        return rc;
    rc = escalation_rule_read(&before, db, id, err);
    if (rc == 0 && json_integer_value(json_object_get(before, "revision")) != revision)
        rc = escalation_rule_stale(revision, err);
    if (rc == 0 && ((after = json_deep_copy(before)) == NULL || json_object_update(after, (json_t *)in) != 0))
        rc = xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    if (rc == 0 && (rc = escalation_rule_check(after, err)) == 0)
        rc = escalation_rule_check_group(db, after, err);
    if (rc == 0 && (ctext = json_dumps(json_object_get(after, "condition"), JSON_COMPACT | JSON_SORT_KEYS)) == NULL)
        rc = xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    p[0] = XSIRT_DB_TEXTV(xsirt_json_str(after, "name"));
    p[1] = xsirt_json_int(after, "team") ? XSIRT_DB_INTV(xsirt_json_int(after, "team")) : XSIRT_DB_NULLV;
    p[2] = XSIRT_DB_TEXTV(ctext);
    p[3] = XSIRT_DB_TEXTV(xsirt_json_str(after, "target_kind"));
    p[4] = XSIRT_DB_TEXTV(xsirt_json_str(after, "target"));
    p[5] = XSIRT_DB_INTV(json_is_true(json_object_get(after, "enabled")));
    p[6] = XSIRT_DB_INTV(id);
    p[7] = XSIRT_DB_INTV(revision);
    if (rc == 0 &&
        (rc = xsirt_db_exec(db, "UPDATE escalation_rules SET name = ?, team_id = ?, condition = ?, "
                                "target_kind = ?, target = ?, enabled = ?, revision = revision + 1 "
                                "WHERE id = ? AND revision = ?", p, 8, &n, err)) == XSIRT_ECONFLICT)
        rc = escalation_rule_taken(err);
    /* On PostgreSQL two changes can both have read the revision; the second
     * UPDATE then finds none left to change. */
    if (rc == 0 && n == 0)
        rc = escalation_rule_stale(revision, err);
    if (rc == 0 && (rc = escalation_rule_read(out, db, id, err)) == 0)
        rc = xsirt_store_audit(db, by, "escalation_rule.update", "escalation_rule", id, before, *out, err);
    free(ctext);
    json_decref(before);
    json_decref(after);
    if (rc != 0) {
        json_decref(*out);
        *out = NULL;
    }
    return xsirt_store_finish(db, rc, err);
}

int xsirt_escalation_rule_delete(xsirt_db *db, const xsirt_principal *by, int64_t id,
                                 xsirt_error *err)
{
    xsirt_db_value p[1] = {XSIRT_DB_INTV(id)};
    json_t *before = NULL;
    int64_t fired = 0;
    int rc;

    if (!by->admin)
        return xsirt_error_set(err, XSIRT_EDENIED, "only admins delete escalation rules");
    if ((rc = xsirt_db_begin(db, err)) != 0)
        return rc;
    rc = escalation_rule_read(&before, db, id, err);
    /* The escalations it recorded are the cases' history (and would go with
     * it: ON DELETE CASCADE): a rule that fired is disabled, not deleted. */
    if (rc == 0)
        rc = xsirt_db_query_int(&fired, db, "SELECT COUNT(*) FROM escalations WHERE rule_id = ?", p, 1, err);
    if (rc == 0 && fired > 0)
        rc = xsirt_error_set_pointer(err, XSIRT_ECONFLICT, "id",
                                     "the rule escalated %lld cases, whose timelines name it: "
                                     "disable it instead (PATCH {\"enabled\": false})",
                                     (long long)fired);
    if (rc == 0)
        rc = xsirt_db_exec(db, "DELETE FROM escalation_rules WHERE id = ?", p, 1, NULL, err);
    if (rc == 0)
        rc = xsirt_store_audit(db, by, "escalation_rule.delete", "escalation_rule", id, before, NULL, err);
    json_decref(before);
    return xsirt_store_finish(db, rc, err);
}

/* The escalation's own id only orders the page. */
static void escalation_fix(json_t *e, const xsirt_db_rows *rows, size_t i)
{
    (void)rows;
    (void)i;
    json_object_del(e, "id");
}

int xsirt_escalation_list(json_t **out, xsirt_db *db, int64_t case_id, const xsirt_page *pg,
                          xsirt_error *err)
{
    static const char *const ints[] = {"id", "rule", NULL};
    xsirt_db_value p[1] = {XSIRT_DB_INTV(case_id)};

    return xsirt_store_list_page(out, db, "SELECT e.id, e.rule_id AS rule, e.at, e.reason, "
                                          "r.target_kind, r.target FROM escalations e JOIN "
                                          "escalation_rules r ON r.id = e.rule_id WHERE e.case_id = ? "
                                          "AND e.id > ? ORDER BY e.id LIMIT ?", p, 1, ints,
                                 escalation_fix, pg, err);
}
