/*
 * outbox.c — queueing notifications and recording their delivery (see
 * outbox.h). Which rules an event reaches is decided here, once, when the
 * event happens: a rule hears about an asset only when its team is the
 * asset's team or a team above it (the teams whose members see the
 * asset), so no payload ever holds what the rule's team may not see.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "store/clock.h"
#include "store/notification_rule.h"
#include "store/outbox.h"
#include "xsirt/limits.h"

/* One row; *id (when not NULL) gets its id. Rule 0: mail to an external
 * party, which belongs to no rule. */
static int outbox_insert_id(int64_t *id, xsirt_db *db, int64_t rule, const char *event,
                            json_t *payload, xsirt_error *err)
{
    char now[XSIRT_TIME_MAX];
    xsirt_db_rows *rows = NULL;
    char *text;
    int rc;

    xsirt_clock_now(now);
    json_object_set_new(payload, "event", json_string(event));
    if (json_object_get(payload, "at") == NULL)
        json_object_set_new(payload, "at", json_string(now));
    text = json_dumps(payload, JSON_COMPACT | JSON_SORT_KEYS);
    if (text == NULL)
        return xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    xsirt_db_value p[5] = {rule != 0 ? XSIRT_DB_INTV(rule) : XSIRT_DB_NULLV, XSIRT_DB_TEXTV(event),
                           XSIRT_DB_TEXTV(text), XSIRT_DB_TEXTV(now), XSIRT_DB_TEXTV(now)};
    rc = xsirt_db_query(&rows, db, "INSERT INTO outbox (rule_id, event, payload, created_at, next_at) "
                                   "VALUES (?, ?, ?, ?, ?) RETURNING id", p, 5, err);
    if (rc == 0 && id != NULL)
        *id = xsirt_db_rows_int(rows, 0, 0);
    xsirt_db_rows_free(rows);
    free(text);
    return rc;
}

static int outbox_insert(xsirt_db *db, int64_t rule, const char *event, json_t *payload,
                         xsirt_error *err)
{
    return outbox_insert_id(NULL, db, rule, event, payload, err);
}

int xsirt_outbox_mail(int64_t *id, xsirt_db *db, json_t *payload, xsirt_error *err)
{
    *id = 0;
    return outbox_insert_id(id, db, 0, "mail", payload, err);
}

/* The immediate (or weekly) rules of team and the teams above it (every
 * rule when team is 0): id, team, events, min_priority. */
static int outbox_rules(xsirt_db_rows **rows, xsirt_db *db, int64_t team, const char *schedule,
                        xsirt_error *err)
{
    xsirt_buf sql;
    json_t *up = NULL, *v;
    size_t i;
    int rc = 0;

    *rows = NULL;
    xsirt_buf_init(&sql, 64 * 1024);
    xsirt_buf_puts(&sql, "SELECT r.id, r.team_id, r.events, r.min_priority, t.name FROM "
                         "notification_rules r JOIN teams t ON t.id = r.team_id "
                         "WHERE r.schedule = ?");
    if (team != 0) {
        if ((rc = xsirt_notification_rule_ancestors(&up, db, team, err)) != 0)
            goto done;
        xsirt_buf_puts(&sql, " AND r.team_id IN (0");
        json_array_foreach(up, i, v)
            xsirt_buf_printf(&sql, ", %lld", (long long)json_integer_value(v));
        xsirt_buf_puts(&sql, ")");
    }
    xsirt_buf_puts(&sql, " ORDER BY r.id");
    xsirt_db_value p[1] = {XSIRT_DB_TEXTV(schedule)};
    rc = xsirt_db_query(rows, db, xsirt_buf_cstr(&sql), p, 1, err);
done:
    json_decref(up);
    xsirt_buf_free(&sql);
    return rc;
}

static bool outbox_wants(const char *events, const char *event)
{
    char quoted[64];

    snprintf(quoted, sizeof quoted, "\"%s\"", event);
    return strstr(events, quoted) != NULL;
}

static json_t *outbox_team(const xsirt_db_rows *rules, size_t r)
{
    return json_pack("{s:I, s:s}", "id", (json_int_t)xsirt_db_rows_int(rules, r, 1), "name",
                     xsirt_db_rows_text(rules, r, 4));
}

/* The findings columns a message shows, in the order outbox_finding reads. */
#define OUTBOX_FINDING_COLUMNS                                                              \
    "f.id, f.component_name, f.component_version, f.component_purl, f.vuln_id, "             \
    "(SELECT v.summary FROM vulnerabilities v WHERE v.id = f.vuln_id), f.kev, f.priority, "   \
    "f.due, f.first_seen, f.state, a.id, a.name, a.version, a.team_id"

static json_t *outbox_finding(const xsirt_db_rows *rows, size_t i, const char *now,
                              const char *week_ago)
{
    const char *due = xsirt_db_rows_null(rows, i, 8) ? NULL : xsirt_db_rows_text(rows, i, 8);
    json_t *f = json_pack("{s:I, s:{s:s, s:s?, s:s?}, s:{s:s, s:s?, s:b}, s:s, s:s?, s:b, s:b, "
                          "s:s, s:{s:I, s:s, s:s?}}",
                          "id", (json_int_t)xsirt_db_rows_int(rows, i, 0),
                          "component", "name", xsirt_db_rows_text(rows, i, 1),
                          "version", xsirt_db_rows_null(rows, i, 2) ? NULL : xsirt_db_rows_text(rows, i, 2),
                          "purl", xsirt_db_rows_null(rows, i, 3) ? NULL : xsirt_db_rows_text(rows, i, 3),
                          "vulnerability", "id", xsirt_db_rows_text(rows, i, 4),
                          "summary", xsirt_db_rows_null(rows, i, 5) ? NULL : xsirt_db_rows_text(rows, i, 5),
                          "kev", xsirt_db_rows_int(rows, i, 6) != 0,
                          "priority", xsirt_db_rows_text(rows, i, 7),
                          "due", due,
                          "overdue", due != NULL && strcmp(due, now) < 0,
                          "new", week_ago == NULL || strcmp(xsirt_db_rows_text(rows, i, 9), week_ago) >= 0,
                          "state", xsirt_db_rows_text(rows, i, 10),
                          "asset", "id", (json_int_t)xsirt_db_rows_int(rows, i, 11),
                          "name", xsirt_db_rows_text(rows, i, 12),
                          "version", xsirt_db_rows_null(rows, i, 13) ? NULL : xsirt_db_rows_text(rows, i, 13));
    return f;
}

/* The findings rows (of one asset of team, KEV first) to the immediate
 * rules of team and the teams above it: one message per rule, event
 * "finding.overdue" to the rules that want it, else "finding.new" (all) or
 * "finding.kev" (the known-exploited ones). */
static int outbox_findings(xsirt_db *db, int64_t team, const xsirt_db_rows *rows, bool overdue,
                           const char *now, xsirt_error *err)
{
    xsirt_db_rows *rules = NULL;
    int rc = outbox_rules(&rules, db, team, "immediate", err);

    for (size_t r = 0; rc == 0 && r < xsirt_db_rows_count(rules); r++) {
        const char *events = xsirt_db_rows_text(rules, r, 2), *minp = xsirt_db_rows_text(rules, r, 3);
        bool all = overdue ? outbox_wants(events, "finding.overdue") : outbox_wants(events, "finding.new");
        bool kev = !overdue && outbox_wants(events, "finding.kev");
        json_t *list, *payload;
        size_t more = 0;
        if (!all && !kev)
            continue;
        list = json_array();
        for (size_t i = 0; i < xsirt_db_rows_count(rows); i++) {
            if (strcmp(xsirt_db_rows_text(rows, i, 7), minp) > 0 ||
                (!all && xsirt_db_rows_int(rows, i, 6) == 0))
                continue;
            if (json_array_size(list) == XSIRT_LIMIT_NOTIFY_FINDINGS)
                more++;
            else
                json_array_append_new(list, outbox_finding(rows, i, now, NULL));
        }
        if (json_array_size(list) == 0) {
            json_decref(list);
            continue;
        }
        payload = json_pack("{s:o, s:o, s:I}", "team", outbox_team(rules, r), "findings", list,
                            "more", (json_int_t)more);
        json_object_set(payload, "asset", json_object_get(json_array_get(list, 0), "asset"));
        rc = outbox_insert(db, xsirt_db_rows_int(rules, r, 0),
                           overdue ? "finding.overdue" : all ? "finding.new" : "finding.kev",
                           payload, err);
        json_decref(payload);
    }
    xsirt_db_rows_free(rules);
    return rc;
}

int xsirt_outbox_findings_new(xsirt_db *db, int64_t asset, const char *now, xsirt_error *err)
{
    xsirt_db_value p[2] = {XSIRT_DB_INTV(asset), XSIRT_DB_TEXTV(now)};
    xsirt_db_rows *rows = NULL, *rules = NULL;
    int64_t team = 0;
    int rc;

    /* KEV first, then by priority: the order every message lists them in.
     * Without an immediate rule over the team, no message: the findings
     * (an upload's thousands) are not read. */
    if ((rc = xsirt_db_query_int(&team, db, "SELECT team_id FROM assets WHERE id = ?", p, 1,
                                 err)) == 0 &&
        (rc = outbox_rules(&rules, db, team, "immediate", err)) == 0 &&
        xsirt_db_rows_count(rules) > 0 &&
        (rc = xsirt_db_query(&rows, db, "SELECT " OUTBOX_FINDING_COLUMNS " FROM findings f JOIN "
                                        "assets a ON a.id = f.asset_id WHERE f.asset_id = ? AND "
                                        "f.first_seen = ? AND f.active = 1 AND "
                                        "f.state IN ('in_triage','exploitable') "
                                        "ORDER BY f.kev DESC, f.priority, f.id", p, 2, err)) == 0 &&
        xsirt_db_rows_count(rows) > 0)
        rc = outbox_findings(db, team, rows, false, now, err);
    xsirt_db_rows_free(rows);
    xsirt_db_rows_free(rules);
    return rc;
}

/* An open finding past its due date, not yet announced. */
#define OUTBOX_OVERDUE                                                                  \
    "f.overdue_notified = 0 AND f.active = 1 AND f.state IN ('in_triage','exploitable') " \
    "AND f.due IS NOT NULL AND f.due < ?"

/* Open findings past their due date not yet announced, asset by asset. */
static int outbox_overdue_findings(size_t *count, xsirt_db *db, const char *now, xsirt_error *err)
{
    xsirt_db_value p[1] = {XSIRT_DB_TEXTV(now)};
    xsirt_db_rows *assets = NULL;
    int rc = xsirt_db_query(&assets, db, "SELECT DISTINCT a.id, a.team_id FROM findings f JOIN "
                                         "assets a ON a.id = f.asset_id WHERE " OUTBOX_OVERDUE
                                         " ORDER BY a.id", p, 1, err);

    for (size_t i = 0; rc == 0 && i < xsirt_db_rows_count(assets); i++) {
        xsirt_db_value q[2] = {XSIRT_DB_INTV(xsirt_db_rows_int(assets, i, 0)), XSIRT_DB_TEXTV(now)};
        xsirt_db_rows *rows = NULL;
        rc = xsirt_db_query(&rows, db, "SELECT " OUTBOX_FINDING_COLUMNS " FROM findings f JOIN "
                                       "assets a ON a.id = f.asset_id WHERE f.asset_id = ? AND "
                                       OUTBOX_OVERDUE " ORDER BY f.kev DESC, f.priority, f.id", q, 2, err);
        if (rc == 0)
            rc = outbox_findings(db, xsirt_db_rows_int(assets, i, 1), rows, true, now, err);
        if (rc == 0)
            rc = xsirt_db_exec(db, "UPDATE findings SET overdue_notified = 1 WHERE id IN (SELECT "
                                   "f.id FROM findings f WHERE f.asset_id = ? AND " OUTBOX_OVERDUE
                                   ")",
                               q, 2, NULL, err);
        *count += rc == 0 ? xsirt_db_rows_count(rows) : 0;
        xsirt_db_rows_free(rows);
    }
    xsirt_db_rows_free(assets);
    return rc;
}

/* Open cases past their due date not yet announced (never RED ones). */
static int outbox_overdue_cases(size_t *count, xsirt_db *db, const char *now, xsirt_error *err)
{
    xsirt_db_value p[1] = {XSIRT_DB_TEXTV(now)};
    xsirt_db_rows *rows = NULL;
    int rc = xsirt_db_query(&rows, db, "SELECT id, team_id, title, kind, tlp, state, severity, "
                                       "due FROM cases WHERE overdue_notified = 0 AND closed_at "
                                       "IS NULL AND due IS NOT NULL AND due < ? AND tlp <> 'RED' "
                                       "ORDER BY id", p, 1, err);

    for (size_t i = 0; rc == 0 && i < xsirt_db_rows_count(rows); i++) {
        xsirt_db_value q[1] = {XSIRT_DB_INTV(xsirt_db_rows_int(rows, i, 0))};
        json_t *ev = json_pack("{s:{s:I, s:s, s:s, s:s, s:s, s:s?, s:s}}", "case",
                               "id", (json_int_t)xsirt_db_rows_int(rows, i, 0),
                               "title", xsirt_db_rows_text(rows, i, 2),
                               "kind", xsirt_db_rows_text(rows, i, 3),
                               "tlp", xsirt_db_rows_text(rows, i, 4),
                               "state", xsirt_db_rows_text(rows, i, 5),
                               "severity", xsirt_db_rows_null(rows, i, 6) ? NULL : xsirt_db_rows_text(rows, i, 6),
                               "due", xsirt_db_rows_text(rows, i, 7));
        rc = xsirt_outbox_event(db, xsirt_db_rows_int(rows, i, 1), "case.overdue", ev, err);
        json_decref(ev);
        if (rc == 0)
            rc = xsirt_db_exec(db, "UPDATE cases SET overdue_notified = 1 WHERE id = ?", q, 1,
                               NULL, err);
        *count += rc == 0;
    }
    xsirt_db_rows_free(rows);
    return rc;
}

int xsirt_outbox_overdue(size_t *count, xsirt_db *db, xsirt_error *err)
{
    char now[XSIRT_TIME_MAX];
    int rc;

    *count = 0;
    xsirt_clock_now(now);
    if ((rc = xsirt_db_begin(db, err)) != 0)
        return rc;
    rc = outbox_overdue_findings(count, db, now, err);
    if (rc == 0)
        rc = outbox_overdue_cases(count, db, now, err);
    if (rc != 0) {
        xsirt_db_rollback(db);
        return rc;
    }
    return xsirt_db_commit(db, err);
}

int xsirt_outbox_event(xsirt_db *db, int64_t team, const char *event, const json_t *payload,
                       xsirt_error *err)
{
    xsirt_db_rows *rules = NULL;
    int rc = outbox_rules(&rules, db, team, "immediate", err);

    for (size_t r = 0; rc == 0 && r < xsirt_db_rows_count(rules); r++) {
        if (!outbox_wants(xsirt_db_rows_text(rules, r, 2), event))
            continue;
        json_t *copy = json_deep_copy(payload);
        json_object_set_new(copy, "team", outbox_team(rules, r));
        rc = outbox_insert(db, xsirt_db_rows_int(rules, r, 0), event, copy, err);
        json_decref(copy);
    }
    xsirt_db_rows_free(rules);
    return rc;
}

/* One rule's digest: the open findings of the assets of its team and the
 * teams below it, at or above its min_priority, KEV first. */
static int outbox_digest_one(xsirt_db *db, const xsirt_db_rows *rules, size_t r,
                             const char *now, const char *week_ago, xsirt_error *err)
{
    xsirt_db_value p[2] = {XSIRT_DB_INTV(xsirt_db_rows_int(rules, r, 1)),
                           XSIRT_DB_TEXTV(xsirt_db_rows_text(rules, r, 3))};
    xsirt_db_rows *rows = NULL;
    json_t *list = json_array(), *payload;
    size_t n, news = 0, overdue = 0;
    int rc = xsirt_db_query(&rows, db,
                            "WITH RECURSIVE down(id) AS (SELECT CAST(? AS BIGINT) UNION SELECT "
                            "t.id FROM teams t JOIN down ON t.parent_id = down.id) SELECT "
                            OUTBOX_FINDING_COLUMNS " FROM findings f JOIN assets a ON a.id = "
                            "f.asset_id WHERE a.team_id IN (SELECT id FROM down) AND f.active = 1 "
                            "AND f.state IN ('in_triage','exploitable') AND f.priority <= ? "
                            "ORDER BY f.kev DESC, f.priority, f.due, f.id", p, 2, err);

    n = rc == 0 ? xsirt_db_rows_count(rows) : 0;
    for (size_t i = 0; i < n; i++) {
        json_t *f = outbox_finding(rows, i, now, week_ago);
        news += json_is_true(json_object_get(f, "new"));
        overdue += json_is_true(json_object_get(f, "overdue"));
        if (i < XSIRT_LIMIT_NOTIFY_FINDINGS)
            json_array_append_new(list, f);
        else
            json_decref(f);
    }
    payload = json_pack("{s:o, s:o, s:I, s:I, s:I, s:I, s:s}", "team", outbox_team(rules, r),
                        "findings", list, "more",
                        (json_int_t)(n > XSIRT_LIMIT_NOTIFY_FINDINGS ? n - XSIRT_LIMIT_NOTIFY_FINDINGS : 0),
                        "total", (json_int_t)n, "new", (json_int_t)news, "overdue",
                        (json_int_t)overdue, "since", week_ago);
    if (rc == 0)
        rc = outbox_insert(db, xsirt_db_rows_int(rules, r, 0), "digest", payload, err);
    json_decref(payload);
    xsirt_db_rows_free(rows);
    return rc;
}

static int outbox_digests(size_t *count, xsirt_db *db, int64_t team, bool only_due,
                          xsirt_error *err)
{
    char now[XSIRT_TIME_MAX], week_ago[XSIRT_TIME_MAX];
    xsirt_db_rows *rules = NULL;
    int rc;

    *count = 0;
    xsirt_clock_now(now);
    xsirt_clock_format(week_ago, time(NULL) - 7 * 24 * 3600, 0);
    if ((rc = xsirt_db_begin(db, err)) != 0)
        return rc;
    rc = outbox_rules(&rules, db, 0, "weekly", err);
    for (size_t r = 0; rc == 0 && r < xsirt_db_rows_count(rules); r++) {
        if (team != 0 && xsirt_db_rows_int(rules, r, 1) != team)
            continue;
        if (only_due) {
            xsirt_db_value p[3] = {XSIRT_DB_INTV(xsirt_db_rows_int(rules, r, 0)),
                                   XSIRT_DB_TEXTV(week_ago), XSIRT_DB_TEXTV(week_ago)};
            int64_t due = 0;
            if ((rc = xsirt_db_query_int(&due, db, "SELECT COUNT(*) FROM notification_rules r "
                                                   "WHERE r.id = ? AND r.created_at <= ? AND NOT "
                                                   "EXISTS (SELECT 1 FROM outbox o WHERE o.rule_id "
                                                   "= r.id AND o.event = 'digest' AND "
                                                   "o.created_at > ?)", p, 3, err)) != 0)
                break;
            if (due == 0)
                continue;
        }
        if ((rc = outbox_digest_one(db, rules, r, now, week_ago, err)) == 0)
            (*count)++;
    }
    xsirt_db_rows_free(rules);
    if (rc != 0) {
        xsirt_db_rollback(db);
        return rc;
    }
    return xsirt_db_commit(db, err);
}

int xsirt_outbox_digest(size_t *count, xsirt_db *db, int64_t team, xsirt_error *err)
{
    return outbox_digests(count, db, team, false, err);
}

int xsirt_outbox_digest_due(size_t *count, xsirt_db *db, xsirt_error *err)
{
    return outbox_digests(count, db, 0, true, err);
}

int xsirt_outbox_due(json_t **out, xsirt_db *db, size_t limit, xsirt_error *err)
{
    char now[XSIRT_TIME_MAX], lease[XSIRT_TIME_MAX];
    xsirt_db_value p[2];
    xsirt_db_rows *rows = NULL;
    int rc;

    xsirt_clock_now(now);
    /* A row is taken by moving its next attempt past the time one send may
     * take, on the condition that nobody moved it first: two workers (a
     * server and cron, or servers sharing PostgreSQL) never send the same
     * row at once, and a worker that dies mid-send leaves it to be retried
     * when the lease ends. */
    xsirt_clock_format(lease, time(NULL) + XSIRT_LIMIT_NOTIFY_TIMEOUT + 5, 0);
    p[0] = XSIRT_DB_TEXTV(now);
    p[1] = XSIRT_DB_INTV((int64_t)limit);
    *out = json_array();
    rc = xsirt_db_query(&rows, db, "SELECT id, rule_id, event, payload, attempts, next_at FROM "
                                   "outbox WHERE delivered_at IS NULL AND next_at <= ? ORDER BY "
                                   "id LIMIT ?", p, 2, err);
    for (size_t i = 0; rc == 0 && i < xsirt_db_rows_count(rows); i++) {
        xsirt_db_value q[3] = {XSIRT_DB_TEXTV(lease), XSIRT_DB_INTV(xsirt_db_rows_int(rows, i, 0)),
                               XSIRT_DB_TEXTV(xsirt_db_rows_text(rows, i, 5))};
        int64_t taken = 0;
        if ((rc = xsirt_db_exec(db, "UPDATE outbox SET next_at = ? WHERE id = ? AND next_at = ? "
                                    "AND delivered_at IS NULL", q, 3, &taken, err)) != 0 ||
            taken != 1)
            continue;
        json_t *payload = json_loads(xsirt_db_rows_text(rows, i, 3), 0, NULL);
        json_array_append_new(*out, json_pack("{s:I, s:I, s:s, s:o, s:I}", "id",
                                              (json_int_t)xsirt_db_rows_int(rows, i, 0), "rule",
                                              (json_int_t)xsirt_db_rows_int(rows, i, 1), "event",
                                              xsirt_db_rows_text(rows, i, 2), "payload",
                                              payload != NULL ? payload : json_object(), "attempts",
                                              (json_int_t)xsirt_db_rows_int(rows, i, 4)));
    }
    xsirt_db_rows_free(rows);
    return rc;
}

int xsirt_outbox_record(xsirt_db *db, int64_t id, int64_t rule, int64_t attempts,
                        const char *error, xsirt_error *err)
{
    char now[XSIRT_TIME_MAX], next[XSIRT_TIME_MAX];
    uint64_t wait = XSIRT_LIMIT_NOTIFY_BACKOFF_FIRST;
    int rc;

    xsirt_clock_now(now);
    for (int64_t i = 0; i < attempts && wait < XSIRT_LIMIT_NOTIFY_BACKOFF_MAX; i++)
        wait *= 2;
    if (wait > XSIRT_LIMIT_NOTIFY_BACKOFF_MAX)
        wait = XSIRT_LIMIT_NOTIFY_BACKOFF_MAX;
    xsirt_clock_format(next, time(NULL) + (time_t)wait, 0);
    if ((rc = xsirt_db_begin(db, err)) != 0)
        return rc;
    if (error == NULL) {
        xsirt_db_value p[2] = {XSIRT_DB_TEXTV(now), XSIRT_DB_INTV(id)};
        xsirt_db_value q[2] = {XSIRT_DB_TEXTV(now), XSIRT_DB_INTV(rule)};
        rc = xsirt_db_exec(db, "UPDATE outbox SET delivered_at = ?, attempts = attempts + 1 "
                               "WHERE id = ?", p, 2, NULL, err);
        if (rc == 0)
            rc = xsirt_db_exec(db, "UPDATE notification_rules SET last_delivered = ?, "
                                   "last_error = NULL WHERE id = ?", q, 2, NULL, err);
    } else {
        xsirt_db_value p[3] = {XSIRT_DB_TEXTV(next), XSIRT_DB_TEXTV(error), XSIRT_DB_INTV(id)};
        xsirt_db_value q[2] = {XSIRT_DB_TEXTV(error), XSIRT_DB_INTV(rule)};
        rc = xsirt_db_exec(db, "UPDATE outbox SET next_at = ?, last_error = ?, attempts = "
                               "attempts + 1 WHERE id = ?", p, 3, NULL, err);
        if (rc == 0)
            rc = xsirt_db_exec(db, "UPDATE notification_rules SET last_error = ? WHERE id = ?",
                               q, 2, NULL, err);
    }
    if (rc != 0) {
        xsirt_db_rollback(db);
        return rc;
    }
    return xsirt_db_commit(db, err);
}
