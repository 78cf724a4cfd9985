/*
 * notification_rule.c — notification rule rows (see notification_rule.h).
 * Rules are few (a handful per team), so lists read them whole and keep
 * the ones the caller may see. A webhook may not reach the server's own
 * networks unless the operator allows it (XSIRT_WEBHOOK_ALLOW): the rule's
 * URL is checked here when its host is an address, and every address the
 * worker connects to is checked through xsirt_notification_rule_permit.
 */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/netaddr.h"
#include "core/str.h"
#include "store/clock.h"
#include "store/json_input.h"
#include "store/notification_rule.h"
#include "store/profile.h"
#include "store/team.h"
#include "xsirt/limits.h"

static const char *const rule_events[] = {"finding.new", "finding.kev", "finding.overdue",
                                          "case.assigned", "case.transition", "case.overdue",
                                          "escalation", "feed.error", "embargo.ending",
                                          "embargo.ended", NULL};
static const char *const rule_priorities[] = {"P1", "P2", "P3", "P4", NULL};
static const char *const rule_channels[] = {"email", "webhook", NULL};
static const char *const rule_schedules[] = {"immediate", "weekly", NULL};
static const char *const rule_languages[] = {"en", "ja", NULL};

static const xsirt_field rule_fields[] = {
    {"team", XSIRT_FIELD_INTEGER, true, false, 0},
    {"events", XSIRT_FIELD_ARRAY, false, false, 10},
    {"min_priority", XSIRT_FIELD_STRING, false, false, 2},
    {"channel", XSIRT_FIELD_STRING, true, false, 16},
    {"target", XSIRT_FIELD_STRING, true, false, XSIRT_LIMIT_NOTIFY_TARGET},
    {"secret", XSIRT_FIELD_STRING, false, true, XSIRT_LIMIT_NOTIFY_SECRET},
    {"schedule", XSIRT_FIELD_STRING, false, false, 16},
    {"language", XSIRT_FIELD_STRING, false, false, 2},
    {NULL, 0, false, false, 0},
};

static const char rule_select[] =
    "SELECT r.id, r.team_id AS team, r.events, r.min_priority, r.channel, r.target, r.secret, "
    "r.schedule, r.language, r.last_error, r.last_delivered, r.revision, "
    "(SELECT COUNT(*) FROM outbox o WHERE o.rule_id = r.id AND o.delivered_at IS NULL) AS pending "
    "FROM notification_rules r";
static const char *const rule_ints[] = {"id", "team", "revision", "pending", NULL};

/* A row as the API shows it: events parsed, the secret hidden. */
static json_t *rule_json(const xsirt_db_rows *rows, size_t r, bool with_secret)
{
    json_t *o = xsirt_store_row_json(rows, r, rule_ints);
    json_t *ev = json_loads(xsirt_db_rows_text(rows, r, 2), 0, NULL);
    bool set = !xsirt_db_rows_null(rows, r, 6);

    json_object_set_new(o, "events", ev != NULL ? ev : json_array());
    if (!with_secret)
        json_object_set_new(o, "secret", json_pack("{s:b}", "set", set));
    return o;
}

static int rule_read(json_t **out, xsirt_db *db, int64_t id, bool with_secret, xsirt_error *err)
{
    char sql[1024];
    xsirt_db_value p[1] = {XSIRT_DB_INTV(id)};
    xsirt_db_rows *rows = NULL;
    int rc;

    *out = NULL;
    snprintf(sql, sizeof sql, "%s WHERE r.id = ?", rule_select);
    if ((rc = xsirt_db_query(&rows, db, sql, p, 1, err)) != 0)
        return rc;
    if (xsirt_db_rows_count(rows) == 0)
        rc = xsirt_error_set(err, XSIRT_ENOTFOUND, "no notification rule %lld", (long long)id);
    else
        *out = rule_json(rows, 0, with_secret);
    xsirt_db_rows_free(rows);
    return rc;
}

int xsirt_notification_rule_load(json_t **out, xsirt_db *db, int64_t id, xsirt_error *err)
{
    return rule_read(out, db, id, true, err);
}

/* Leads of the rule's team (or of a team above it) and administrators. */
static int rule_may(xsirt_db *db, const xsirt_principal *by, int64_t team, xsirt_error *err)
{
    char role[16];
    int rc;

    if (by->admin)
        return 0;
    if (by->organisation_id != 0)
        return xsirt_error_set(err, XSIRT_EDENIED, "notification rules are the teams' own");
    if ((rc = xsirt_team_role(role, sizeof role, db, team, by->user_id, err)) != 0)
        return rc;
    return strcmp(role, "lead") == 0
               ? 0
               : xsirt_error_set(err, XSIRT_EDENIED,
                                 "only leads of the team and administrators manage its "
                                 "notification rules");
}

int xsirt_notification_rule_get(json_t **out, xsirt_db *db, const xsirt_principal *by,
                                int64_t id, xsirt_error *err)
{
    int rc = rule_read(out, db, id, false, err);

    if (rc == 0 && rule_may(db, by, json_integer_value(json_object_get(*out, "team")), NULL) != 0) {
        json_decref(*out);
        *out = NULL;
        /* Not found rather than denied: whether a rule exists is the team's. */
        rc = xsirt_error_set(err, XSIRT_ENOTFOUND, "no notification rule %lld", (long long)id);
    }
    return rc;
}

int xsirt_notification_rule_page(json_t **out, xsirt_db *db, const xsirt_principal *by,
                                 const xsirt_page *pg, xsirt_error *err)
{
    char sql[1024];
    xsirt_db_value p[2] = {XSIRT_DB_INTV(pg->cursor), XSIRT_DB_INTV(xsirt_page_limit(pg) + 1)};
    xsirt_db_rows *rows = NULL;
    xsirt_pager pager;
    size_t n;
    int rc;

    snprintf(sql, sizeof sql, "%s WHERE r.id > ? ORDER BY r.id LIMIT ?", rule_select);
    if ((rc = xsirt_db_query(&rows, db, sql, p, 2, err)) != 0)
        return rc;
    xsirt_pager_init(&pager);
    n = xsirt_db_rows_count(rows);
    for (size_t i = 0; i < n && i < (size_t)xsirt_page_limit(pg); i++) {
        int64_t id = xsirt_db_rows_int(rows, i, 0);
        if (rule_may(db, by, xsirt_db_rows_int(rows, i, 1), NULL) != 0)
            xsirt_pager_skip(&pager, id);
        else if (!xsirt_pager_add(&pager, rule_json(rows, i, false), id))
            break;
    }
    *out = xsirt_pager_finish(&pager, n > (size_t)xsirt_page_limit(pg) || pager.full);
    xsirt_db_rows_free(rows);
    return 0;
}

/* One address: local@domain, printable ASCII without the characters that
 * would end or split a header or an SMTP command. */
static bool rule_address_ok(const char *s, size_t n)
{
    const char *at = memchr(s, '@', n);

    if (at == NULL || at == s || at == s + n - 1 || n > 254)
        return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] <= ' ' || (unsigned char)s[i] >= 127 || strchr("<>()[],;:\\\"", s[i]))
            return false;
    return memchr(at + 1, '@', (size_t)(s + n - at - 1)) == NULL;
}

int xsirt_notification_rule_permit(const char *host, const xsirt_netaddr *a, xsirt_error *err)
{
    const char *kind = xsirt_netaddr_restricted(a);
    char text[XSIRT_NETADDR_TEXT_MAX];
    bool allowed;
    int rc;

    if (kind == NULL)
        return 0;
    if ((rc = xsirt_netaddr_allowed(&allowed, getenv("XSIRT_WEBHOOK_ALLOW"), host, a, err)) != 0) {
        xsirt_error_prefix(err, "the setting XSIRT_WEBHOOK_ALLOW: ");
        return rc;
    }
    if (allowed)
        return 0;
    xsirt_netaddr_format(text, a);
    return xsirt_error_set(err, XSIRT_EDENIED,
                           "%.255s is %s, a %s address: webhooks do not go to loopback, "
                           "link-local, private, unspecified, multicast or reserved addresses "
                           "unless the server's setting XSIRT_WEBHOOK_ALLOW names the host or "
                           "address", host, text, kind);
}

/* A webhook URL whose host is an address is refused now
 * when delivery would refuse it; a host name is judged by what it
 * resolves to at each delivery. The host as libcurl reads it, so that
 * this check and the connection see the same one. */
static int rule_check_webhook_host(const char *target, xsirt_error *err)
{
    CURLU *u = curl_url();
    char *host = NULL;
    xsirt_netaddr a;
    int rc = 0;

    if (u == NULL)
        return xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    if (curl_url_set(u, CURLUPART_URL, target, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK)
        rc = xsirt_error_set_pointer(err, XSIRT_EINVAL, "target", "the URL has no valid host");
    else if (xsirt_netaddr_parse(&a, host, strlen(host)) &&
             (rc = xsirt_notification_rule_permit(host, &a, err)) != 0) {
        xsirt_error_point(err, "target");
        if (err != NULL)
            err->code = XSIRT_EINVAL;   /* the rule's input, not the caller's rights */
    }
    curl_free(host);
    curl_url_cleanup(u);
    return rc != 0 ? XSIRT_EINVAL : 0;
}

static int rule_check_target(const char *channel, const char *target, xsirt_error *err)
{
    if (strcmp(channel, "webhook") == 0) {
        if (strncmp(target, "http://", 7) != 0 && strncmp(target, "https://", 8) != 0)
            return xsirt_error_set_pointer(err, XSIRT_EINVAL, "target",
                                           "a webhook's target is an http:// or https:// URL");
        for (const char *c = target; *c; c++)
            if ((unsigned char)*c <= ' ' || (unsigned char)*c >= 127)
                return xsirt_error_set_pointer(err, XSIRT_EINVAL, "target",
                                               "the URL has a space or control character");
        return rule_check_webhook_host(target, err);
    }
    size_t count = 0;
    for (const char *s = target;;) {
        const char *e = strchr(s, ',');
        size_t n = e != NULL ? (size_t)(e - s) : strlen(s);
        while (n > 0 && *s == ' ') { s++; n--; }
        while (n > 0 && s[n - 1] == ' ') n--;
        if (!rule_address_ok(s, n))
            return xsirt_error_set_pointer(err, XSIRT_EINVAL, "target",
                                           "an email target is addresses (name@domain) "
                                           "separated by commas");
        if (++count > XSIRT_LIMIT_NOTIFY_RECIPIENTS)
            return xsirt_error_set_pointer(err, XSIRT_EINVAL, "target",
                                           "at most %u addresses", XSIRT_LIMIT_NOTIFY_RECIPIENTS);
        if (e == NULL)
            return 0;
        s = e + 1;
    }
}

/* The rule as it will be after in is applied to cur (NULL on create). */
static int rule_check(const json_t *in, const json_t *cur, xsirt_error *err)
{
    const json_t *ev = json_object_get(in, "events");
    const char *channel, *target;
    size_t i;
    json_t *v;
    int rc;

#define RULE_STR(name) (json_object_get(in, name) != NULL && !json_is_null(json_object_get(in, name)) \
                            ? xsirt_json_str(in, name) : json_string_value(json_object_get(cur, name)))
    json_array_foreach(ev, i, v) {
        if (!json_is_string(v) || xsirt_json_enum(json_string_value(v), rule_events, "events", err) != 0)
            return xsirt_error_set_pointer(err, XSIRT_EINVAL, "events",
                                           "events are among finding.new, finding.kev, "
                                           "finding.overdue, case.assigned, case.transition, "
                                           "case.overdue, escalation, feed.error, "
                                           "embargo.ending, embargo.ended");
    }
    if ((RULE_STR("min_priority") != NULL &&
         (rc = xsirt_json_enum(RULE_STR("min_priority"), rule_priorities, "min_priority", err)) != 0) ||
        (RULE_STR("schedule") != NULL &&
         (rc = xsirt_json_enum(RULE_STR("schedule"), rule_schedules, "schedule", err)) != 0) ||
        (RULE_STR("language") != NULL &&
         (rc = xsirt_json_enum(RULE_STR("language"), rule_languages, "language", err)) != 0) ||
        (rc = xsirt_json_enum(RULE_STR("channel"), rule_channels, "channel", err)) != 0)
        return rc;
    channel = RULE_STR("channel");
    target = RULE_STR("target");
    if ((rc = rule_check_target(channel, target, err)) != 0)
        return rc;
    if (strcmp(channel, "webhook") == 0 && RULE_STR("secret") == NULL &&
        !(cur != NULL && json_is_true(json_object_get(json_object_get(cur, "secret"), "set")) &&
          !json_is_null(json_object_get(in, "secret"))))
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, "secret",
                                       "a webhook needs a secret: it keys the signature");
#undef RULE_STR
    return 0;
}

static int rule_check_team(xsirt_db *db, const xsirt_principal *by, int64_t team,
                           xsirt_error *err)
{
    int rc = xsirt_team_check_exists(db, team, "team", err);

    if (rc == 0 && (rc = rule_may(db, by, team, err)) != 0)
        xsirt_error_point(err, "team");
    return rc;
}

/* The client's revision, or the one read in this transaction, is not the
 * rule's any more (412). */
static int rule_stale(int64_t revision, xsirt_error *err)
{
    return xsirt_error_set_pointer(err, XSIRT_ECONFLICT, "If-Match",
                                   "the rule changed since revision %lld; read it again",
                                   (long long)revision);
}

/* Writes in's fields over the row (all of them on create), if the row is
 * still at revision (the one read before; on PostgreSQL two changes can
 * both have read it, and the second UPDATE then finds none left to
 * change). A new rule without a language speaks the one its creator chose
 * in their profile. */
static int rule_write(int64_t *id, xsirt_db *db, const xsirt_principal *by, int64_t revision,
                      const json_t *in, xsirt_error *err)
{
    static const char *const cols[] = {"team", "team_id", "events", "events",
                                       "min_priority", "min_priority", "channel", "channel",
                                       "target", "target", "secret", "secret",
                                       "schedule", "schedule", "language", "language", NULL};
    char now[XSIRT_TIME_MAX], sql[1024];
    xsirt_db_value p[11];
    char *events = NULL;
    size_t n = 0, used = 0;
    int64_t changed = 0;
    int rc;

    xsirt_clock_now(now);
    if (*id == 0) {
        if (json_object_get(in, "events") != NULL)
            events = json_dumps(json_object_get(in, "events"), JSON_COMPACT);
        p[0] = XSIRT_DB_INTV(xsirt_json_int(in, "team"));
        p[1] = XSIRT_DB_TEXTV(events != NULL ? events : "[]");
        p[2] = XSIRT_DB_TEXTV(xsirt_json_str(in, "min_priority") ? xsirt_json_str(in, "min_priority") : "P4");
        p[3] = XSIRT_DB_TEXTV(xsirt_json_str(in, "channel"));
        p[4] = XSIRT_DB_TEXTV(xsirt_json_str(in, "target"));
        p[5] = XSIRT_DB_TEXTV(xsirt_json_str(in, "secret"));
        p[6] = XSIRT_DB_TEXTV(xsirt_json_str(in, "schedule") ? xsirt_json_str(in, "schedule") : "immediate");
        p[7] = XSIRT_DB_TEXTV(xsirt_json_str(in, "language") ? xsirt_json_str(in, "language")
                                                            : xsirt_profile_language(db, by->user_id, "en"));
        p[8] = XSIRT_DB_TEXTV(now);
        rc = xsirt_db_query_int(id, db, "INSERT INTO notification_rules (team_id, events, "
                                        "min_priority, channel, target, secret, schedule, "
                                        "language, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                                        "RETURNING id", p, 9, err);
        free(events);
        return rc;
    }
    used = (size_t)snprintf(sql, sizeof sql, "UPDATE notification_rules SET revision = revision + 1");
    for (size_t i = 0; cols[i] != NULL; i += 2) {
        const json_t *v = json_object_get(in, cols[i]);
        if (v == NULL)
            continue;
        used += (size_t)snprintf(sql + used, sizeof sql - used, ", %s = ?", cols[i + 1]);
        if (json_is_integer(v))
            p[n++] = XSIRT_DB_INTV(json_integer_value(v));
        else if (json_is_array(v)) {
            /* XSIRT_DB_TEXTV names its argument twice: dump once, then bind. */
            free(events);
            events = json_dumps(v, JSON_COMPACT);
            p[n++] = XSIRT_DB_TEXTV(events);
        }
        else
            p[n++] = json_is_null(v) ? XSIRT_DB_NULLV : XSIRT_DB_TEXTV(json_string_value(v));
    }
    snprintf(sql + used, sizeof sql - used, " WHERE id = ? AND revision = ?");
    p[n++] = XSIRT_DB_INTV(*id);
    p[n++] = XSIRT_DB_INTV(revision);
    rc = xsirt_db_exec(db, sql, p, n, &changed, err);
    free(events);
    if (rc == 0 && changed == 0)
        rc = rule_stale(revision, err);
    return rc;
}

/* Writes in (a new rule when before is NULL), reads the rule back into
 * *out and records the change in the audit log (the secret hidden). */
static int rule_save(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                     const json_t *before, const json_t *in, xsirt_error *err)
{
    int64_t revision = json_integer_value(json_object_get(before, "revision"));
    int rc = rule_write(&id, db, by, revision, in, err);

    if (rc == 0)
        rc = rule_read(out, db, id, false, err);
    if (rc == 0)
        rc = xsirt_store_audit(db, by, before != NULL ? "notification_rule.update"
                                                      : "notification_rule.create",
                               "notification_rule", id, before, *out, err);
    if (rc != 0) {
        json_decref(*out);
        *out = NULL;
    }
    return rc;
}

int xsirt_notification_rule_create(json_t **out, xsirt_db *db, const xsirt_principal *by,
                                   const json_t *in, xsirt_error *err)
{
    int rc;

    *out = NULL;
    if ((rc = xsirt_json_check(in, rule_fields, false, err)) != 0 ||
        (rc = rule_check(in, NULL, err)) != 0)
        return rc;
    if ((rc = xsirt_db_begin(db, err)) != 0)
        return rc;
    rc = rule_check_team(db, by, xsirt_json_int(in, "team"), err);
    if (rc == 0)
        rc = rule_save(out, db, by, 0, NULL, in, err);
    return xsirt_store_finish(db, rc, err);
}

int xsirt_notification_rule_update(json_t **out, xsirt_db *db, const xsirt_principal *by,
                                   int64_t id, int64_t revision, const json_t *in,
                                   xsirt_error *err)
{
    json_t *before = NULL;
    int rc;

    *out = NULL;
    if ((rc = xsirt_json_check(in, rule_fields, true, err)) != 0)
        return rc;
    if ((rc = xsirt_db_begin(db, err)) != 0)
        return rc;
    rc = xsirt_notification_rule_get(&before, db, by, id, err);
    if (rc == 0 && revision != 0 && json_integer_value(json_object_get(before, "revision")) != revision)
        rc = rule_stale(revision, err);
    if (rc == 0)
        rc = rule_check(in, before, err);
    if (rc == 0 && xsirt_json_has(in, "team"))
        rc = rule_check_team(db, by, xsirt_json_int(in, "team"), err);
    if (rc == 0)
        rc = rule_save(out, db, by, id, before, in, err);
    json_decref(before);
    return xsirt_store_finish(db, rc, err);
}

int xsirt_notification_rule_delete(xsirt_db *db, const xsirt_principal *by, int64_t id,
                                   xsirt_error *err)
{
    xsirt_db_value p[1] = {XSIRT_DB_INTV(id)};
    json_t *before = NULL;
    int rc;

    if ((rc = xsirt_db_begin(db, err)) != 0)
        return rc;
    rc = xsirt_notification_rule_get(&before, db, by, id, err);
    /* Undelivered messages go with the rule: its target is no longer wanted. */
    if (rc == 0)
        rc = xsirt_db_exec(db, "DELETE FROM outbox WHERE rule_id = ?", p, 1, NULL, err);
    if (rc == 0)
        rc = xsirt_db_exec(db, "DELETE FROM notification_rules WHERE id = ?", p, 1, NULL, err);
    if (rc == 0)
        rc = xsirt_store_audit(db, by, "notification_rule.delete", "notification_rule", id,
                               before, NULL, err);
    json_decref(before);
    return xsirt_store_finish(db, rc, err);
}

int xsirt_notification_rule_ancestors(json_t **out, xsirt_db *db, int64_t team,
                                      xsirt_error *err)
{
    xsirt_db_value p[1] = {XSIRT_DB_INTV(team)};
    xsirt_db_rows *rows = NULL;
    int rc = xsirt_db_query(&rows, db,
                            "WITH RECURSIVE up(id) AS (SELECT CAST(? AS BIGINT) UNION SELECT "
                            "t.parent_id FROM teams t JOIN up ON t.id = up.id WHERE t.parent_id "
                            "IS NOT NULL) SELECT id FROM up", p, 1, err);

    *out = json_array();
    for (size_t i = 0; rc == 0 && i < xsirt_db_rows_count(rows); i++)
        json_array_append_new(*out, json_integer(xsirt_db_rows_int(rows, i, 0)));
    xsirt_db_rows_free(rows);
    return rc;
}
