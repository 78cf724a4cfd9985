/*
 * metrics.c — incremental counters and the statistics read from them
 * (metrics.h, docs/metrics.md).
 *
 * A case contributes to counters on the days its milestones happened:
 * opened on its creation day, acknowledged/triaged/contained/closed on
 * theirs (with the duration since creation in a histogram), SLA met or
 * missed on its closing day, one escalation on each escalation's day.
 * Retract and record apply the same function with -1 and +1, so the
 * counters always equal the sum over today's cases, whatever was edited.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/str.h"
#include "store/clock.h"
#include "store/metrics.h"
#include "xsirt/limits.h"

/* ---- duration histogram -------------------------------------------------- */

int64_t xsirt_metrics_edge(int bucket)
{
    int64_t e = 60;

    if (bucket >= XSIRT_METRICS_BUCKETS - 1)
        return INT64_MAX;
    for (int i = 0; i < bucket; i++)
        e += (e + 3) / 4;
    return e;
}

int xsirt_metrics_bucket(int64_t seconds)
{
    int64_t e = 60;

    for (int i = 0; i < XSIRT_METRICS_BUCKETS - 1; i++) {
        if (seconds <= e)
            return i;
        e += (e + 3) / 4;
    }
    return XSIRT_METRICS_BUCKETS - 1;
}

/* ---- counters ------------------------------------------------------------ */

int xsirt_metrics_add(xsirt_db *db, int64_t team, const char *day, const char *tlp,
                      const char *metric, const char *key, int64_t delta, xsirt_error *err)
{
    xsirt_db_value p[6];
    char d[11];
    int rc = 0;

    xsirt_strlcpy(d, day, sizeof d);
    p[0] = XSIRT_DB_INTV(team);
    p[1] = XSIRT_DB_TEXTV(d);
    p[2] = XSIRT_DB_TEXTV(tlp);
    p[3] = XSIRT_DB_TEXTV(metric);
    p[4] = XSIRT_DB_TEXTV(key);
    p[5] = XSIRT_DB_INTV(delta);
    /* The day's counter, then the month's (the roll-up month and quarter
     * figures read: a thirtieth of the rows). */
    for (int t = 0; rc == 0 && t < 2; t++) {
        static const char *const tables[] = {"metric_counts", "metric_months"};
        char sql[256];
        if (t == 1)
            d[7] = '\0';
        snprintf(sql, sizeof sql, "INSERT INTO %s (team_id, day, tlp, metric, key, n) VALUES (?, ?, ?, ?, ?, ?) "
                                  "ON CONFLICT (team_id, day, tlp, metric, key) DO UPDATE SET n = %s.n + excluded.n",
                 tables[t], tables[t]);
        rc = xsirt_db_exec(db, sql, p, 6, NULL, err);
    }
    return rc;
}

/* Seconds from a to b (0 when either does not parse or b precedes a). */
static int64_t metrics_seconds(const char *a, const char *b)
{
    time_t ta, tb;

    if (a == NULL || b == NULL || xsirt_clock_parse(&ta, a) != 0 || xsirt_clock_parse(&tb, b) != 0 ||
        tb < ta)
        return 0;
    return (int64_t)(tb - ta);
}

/* The RSIT class of a classification tag: rsit:CLASS="value" -> CLASS. */
static void metrics_class(char *out, size_t size, const char *tag)
{
    size_t n;

    if (tag == NULL || strncmp(tag, "rsit:", 5) != 0) {
        xsirt_strlcpy(out, tag == NULL ? "unclassified" : tag, size);
        return;
    }
    tag += 5;
    n = strcspn(tag, "=");
    if (n >= size)
        n = size - 1;
    memcpy(out, tag, n);
    out[n] = '\0';
}

typedef struct metrics_case {
    int64_t team;
    const char *tlp;
    int64_t delta;
} metrics_case;

static int metrics_put(xsirt_db *db, const metrics_case *c, const char *day, const char *metric,
                       const char *key, int64_t n, xsirt_error *err)
{
    return xsirt_metrics_add(db, c->team, day, c->tlp, metric, key, n * c->delta, err);
}

/* One duration milestone: the histogram bucket and the sum of seconds. */
static int metrics_time(xsirt_db *db, const metrics_case *c, const char *which, const char *created,
                        const char *at, xsirt_error *err)
{
    char metric[48], key[8];
    int64_t s;
    int rc;

    if (at == NULL)
        return 0;
    s = metrics_seconds(created, at);
    snprintf(metric, sizeof metric, "time.%s", which);
    snprintf(key, sizeof key, "%d", xsirt_metrics_bucket(s));
    if ((rc = metrics_put(db, c, at, metric, key, 1, err)) != 0)
        return rc;
    snprintf(metric, sizeof metric, "time.%s.sum", which);
    return metrics_put(db, c, at, metric, "", s, err);
}

/* One service level on the closing day: met when the milestone came no
 * later than its due time (a milestone never reached is missed). */
static int metrics_sla(xsirt_db *db, const metrics_case *c, const char *which, const char *due,
                       const char *done, const char *closed, bool *all_met, xsirt_error *err)
{
    char metric[48];
    bool met;

    if (due == NULL)
        return 0;
    met = done != NULL && strcmp(done, due) <= 0;
    if (!met)
        *all_met = false;
    snprintf(metric, sizeof metric, "sla.%s", which);
    return metrics_put(db, c, closed, metric, met ? "met" : "missed", 1, err);
}

enum { MC_TEAM, MC_TLP, MC_KIND, MC_SEV, MC_CLASS, MC_CREATED, MC_ACK, MC_TRI, MC_CLOSED,
       MC_DUE_ACK, MC_DUE_TRI, MC_DUE_REM, MC_CONTAINED };

/* The milestone counters of one case row (see the file comment). */
static int metrics_case_rows(xsirt_db *db, const xsirt_db_rows *r, int64_t delta, xsirt_error *err)
{
    metrics_case c = {xsirt_db_rows_int(r, 0, MC_TEAM), xsirt_db_rows_text(r, 0, MC_TLP), delta};
    const char *created = xsirt_db_rows_text(r, 0, MC_CREATED);
    const char *closed = xsirt_db_rows_text(r, 0, MC_CLOSED);
    const char *sev = xsirt_db_rows_text(r, 0, MC_SEV);
    char cls[64];
    bool all_met = true, any = false;
    int rc = 0;

    metrics_class(cls, sizeof cls, xsirt_db_rows_text(r, 0, MC_CLASS));
    for (int closing = 0; rc == 0 && closing < 2; closing++) {
        const char *day = closing ? closed : created;
        const char *what = closing ? "closed" : "opened";
        char metric[48];
        if (day == NULL)
            continue;
        rc = metrics_put(db, &c, day, what, "", 1, err);
        snprintf(metric, sizeof metric, "%s.kind", what);
        if (rc == 0)
            rc = metrics_put(db, &c, day, metric, xsirt_db_rows_text(r, 0, MC_KIND), 1, err);
        snprintf(metric, sizeof metric, "%s.severity", what);
        if (rc == 0)
            rc = metrics_put(db, &c, day, metric, sev != NULL ? sev : "unset", 1, err);
        snprintf(metric, sizeof metric, "%s.classification", what);
        if (rc == 0)
            rc = metrics_put(db, &c, day, metric, cls, 1, err);
    }
    if (rc == 0)
        rc = metrics_time(db, &c, "acknowledge", created, xsirt_db_rows_text(r, 0, MC_ACK), err);
    if (rc == 0)
        rc = metrics_time(db, &c, "triage", created, xsirt_db_rows_text(r, 0, MC_TRI), err);
    if (rc == 0)
        rc = metrics_time(db, &c, "contain", created, xsirt_db_rows_text(r, 0, MC_CONTAINED), err);
    if (rc == 0)
        rc = metrics_time(db, &c, "resolve", created, closed, err);
    if (closed == NULL)
        return rc;
    if (rc == 0)
        rc = metrics_sla(db, &c, "acknowledge", xsirt_db_rows_text(r, 0, MC_DUE_ACK),
                         xsirt_db_rows_text(r, 0, MC_ACK), closed, &all_met, err);
    if (rc == 0)
        rc = metrics_sla(db, &c, "triage", xsirt_db_rows_text(r, 0, MC_DUE_TRI),
                         xsirt_db_rows_text(r, 0, MC_TRI), closed, &all_met, err);
    if (rc == 0)
        rc = metrics_sla(db, &c, "remediate", xsirt_db_rows_text(r, 0, MC_DUE_REM), closed, closed,
                         &all_met, err);
    any = xsirt_db_rows_text(r, 0, MC_DUE_ACK) != NULL || xsirt_db_rows_text(r, 0, MC_DUE_TRI) != NULL ||
          xsirt_db_rows_text(r, 0, MC_DUE_REM) != NULL;
    if (rc == 0 && any)
        rc = metrics_put(db, &c, closed, "sla.case", all_met ? "met" : "missed", 1, err);
    return rc;
}

/* The containment milestone: the first transition into "containment"
 * (the incident workflow's state of that name; docs/metrics.md). */
static const char metrics_case_sql[] =
    "SELECT c.team_id, c.tlp, c.kind, c.severity, c.classification, c.created_at, "
    "c.acknowledged_at, c.triaged_at, c.closed_at, c.due_acknowledge, c.due_triage, "
    "c.due_remediate, (SELECT MIN(e.at) FROM case_events e WHERE e.case_id = c.id AND "
    "e.kind = 'transition' AND e.data LIKE '%\"to\":\"containment\"%') "
    "FROM cases c WHERE c.id = ?";

static int metrics_case_apply(xsirt_db *db, int64_t case_id, int64_t delta, xsirt_error *err)
{
    xsirt_db_value p[1] = {XSIRT_DB_INTV(case_id)};
    xsirt_db_rows *r = NULL, *esc = NULL;
    int rc;

    if ((rc = xsirt_db_query(&r, db, metrics_case_sql, p, 1, err)) != 0)
        return rc;
    if (xsirt_db_rows_count(r) == 1) {
        metrics_case c = {xsirt_db_rows_int(r, 0, MC_TEAM), xsirt_db_rows_text(r, 0, MC_TLP), delta};
        rc = metrics_case_rows(db, r, delta, err);
        if (rc == 0)
            rc = xsirt_db_query(&esc, db, "SELECT at FROM escalations WHERE case_id = ?", p, 1, err);
        for (size_t i = 0; rc == 0 && i < xsirt_db_rows_count(esc); i++)
            rc = metrics_put(db, &c, xsirt_db_rows_text(esc, i, 0), "escalated", "", 1, err);
        xsirt_db_rows_free(esc);
    }
    xsirt_db_rows_free(r);
    return rc;
}

int xsirt_metrics_case_retract(xsirt_db *db, int64_t case_id, xsirt_error *err)
{
    return metrics_case_apply(db, case_id, -1, err);
}

int xsirt_metrics_case_record(xsirt_db *db, int64_t case_id, xsirt_error *err)
{
    return metrics_case_apply(db, case_id, 1, err);
}

int xsirt_metrics_rebuild(xsirt_db *db, xsirt_error *err)
{
    xsirt_db_rows *ids = NULL;
    int rc = xsirt_db_exec(db, "DELETE FROM metric_counts", NULL, 0, NULL, err);

    if (rc == 0)
        rc = xsirt_db_exec(db, "DELETE FROM metric_months", NULL, 0, NULL, err);
    if (rc == 0)
        rc = xsirt_db_query(&ids, db, "SELECT id FROM cases ORDER BY id", NULL, 0, err);
    for (size_t i = 0; rc == 0 && i < xsirt_db_rows_count(ids); i++)
        rc = xsirt_metrics_case_record(db, xsirt_db_rows_int(ids, i, 0), err);
    xsirt_db_rows_free(ids);
    return rc;
}

/* ---- calendar ------------------------------------------------------------ */

/* Days since 1970-01-01 of a proleptic Gregorian date, and back. */
static int64_t metrics_days(int y, int m, int d)
{
    int64_t yy = y - (m <= 2);
    int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
    int64_t yoe = yy - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

    return era * 146097 + doe - 719468;
}

static void metrics_date(char *out, int64_t days)
{
    time_t t = (time_t)(days * 86400);
    char ts[XSIRT_TIME_MAX];

    xsirt_clock_format(ts, t, 0);
    memcpy(out, ts, 10);
    out[10] = '\0';
}

static int metrics_parse_day(int64_t *days, const char *text)
{
    uint64_t y, m, d;

    if (strlen(text) != 10 || text[4] != '-' || text[7] != '-' || xsirt_parse_u64(&y, text, 4) != 0 ||
        xsirt_parse_u64(&m, text + 5, 2) != 0 || xsirt_parse_u64(&d, text + 8, 2) != 0 || y < 1970 ||
        m < 1 || m > 12 || d < 1 || d > 31)
        return XSIRT_EINVAL;
    *days = metrics_days((int)y, (int)m, (int)d);
    return 0;
}

/* The first day of the period holding day, its label, and the first day
 * of the next period. */
static void metrics_period(int64_t *start, int64_t *next, char *label, size_t size, int64_t day,
                           xsirt_metrics_interval iv)
{
    char date[11];
    int y, m;

    if (iv == XSIRT_INTERVAL_WEEK) {
        int64_t wd = ((day % 7) + 7 + 3) % 7;   /* 1970-01-01 was a Thursday: Monday = 0 */
        *start = day - wd;
        *next = *start + 7;
        metrics_date(date, *start);
        snprintf(label, size, "%s", date);
        return;
    }
    metrics_date(date, day);
    y = (date[0] - '0') * 1000 + (date[1] - '0') * 100 + (date[2] - '0') * 10 + (date[3] - '0');
    m = (date[5] - '0') * 10 + (date[6] - '0');
    if (iv == XSIRT_INTERVAL_QUARTER) {
        int q = (m - 1) / 3;
        *start = metrics_days(y, q * 3 + 1, 1);
        *next = q == 3 ? metrics_days(y + 1, 1, 1) : metrics_days(y, q * 3 + 4, 1);
        snprintf(label, size, "%04d-Q%d", y, q + 1);
        return;
    }
    *start = metrics_days(y, m, 1);
    *next = m == 12 ? metrics_days(y + 1, 1, 1) : metrics_days(y, m + 1, 1);
    snprintf(label, size, "%04d-%02d", y, m);
}

int xsirt_metrics_query_parse(xsirt_metrics_query *q, const char *team, const char *from,
                              const char *to, const char *interval, xsirt_error *err)
{
    char now[XSIRT_TIME_MAX];
    int64_t f, t;
    uint64_t v;

    memset(q, 0, sizeof *q);
    if (team != NULL && (xsirt_parse_u64(&v, team, strlen(team)) != 0 || v == 0 || v > (uint64_t)INT64_MAX))
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, "team", "team must be a team id");
    q->team = team != NULL ? (int64_t)v : 0;
    q->interval = XSIRT_INTERVAL_MONTH;
    if (interval != NULL) {
        if (strcmp(interval, "week") == 0)
            q->interval = XSIRT_INTERVAL_WEEK;
        else if (strcmp(interval, "quarter") == 0)
            q->interval = XSIRT_INTERVAL_QUARTER;
        else if (strcmp(interval, "month") != 0)
            return xsirt_error_set_pointer(err, XSIRT_EINVAL, "interval",
                                           "interval must be week, month or quarter");
    }
    xsirt_clock_now(now);
    now[10] = '\0';
    if (metrics_parse_day(&t, to != NULL ? to : now) != 0)
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, "to", "to must be a day YYYY-MM-DD");
    if (from == NULL)
        f = t - 364;
    else if (metrics_parse_day(&f, from) != 0)
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, "from", "from must be a day YYYY-MM-DD");
    if (f > t)
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, "from", "from is after to");
    if (t - f >= XSIRT_LIMIT_STATISTICS_DAYS)
        return xsirt_error_set_pointer(err, XSIRT_ELIMIT, "from", "at most %u days at once",
                                       XSIRT_LIMIT_STATISTICS_DAYS);
    metrics_date(q->from, f);
    metrics_date(q->to, t);
    return 0;
}

/* ---- statistics ---------------------------------------------------------- */

/* "remediate" and the SLA "finding" are the findings' (metrics.h). */
static const char *const metrics_times[] = {"acknowledge", "triage", "contain", "resolve", "remediate"};
static const char *const metrics_slas[] = {"acknowledge", "triage", "remediate", "case", "finding"};
#define METRICS_NT 5

typedef struct metrics_acc {
    char label[16], start[11], end[11];
    json_t *opened, *closed;             /* {"total","kind":{},"severity":{},...} */
    int64_t hist[METRICS_NT][XSIRT_METRICS_BUCKETS];
    int64_t sum[METRICS_NT];
    int64_t sla[METRICS_NT][2];          /* met, missed */
    int64_t escalations;
    int64_t open_delta;
    json_t *findings;                    /* {"opened":{"total","priority":{}},"closed":..,"kev":{}} */
    int64_t finding_delta;
} metrics_acc;

static void metrics_acc_init(metrics_acc *a)
{
    memset(a, 0, sizeof *a);
    a->opened = json_pack("{s:I, s:{}, s:{}, s:{}, s:{}}", "total", (json_int_t)0, "kind",
                          "severity", "classification", "tlp");
    a->closed = json_deep_copy(a->opened);
    a->findings = json_pack("{s:{s:I, s:{}}, s:{s:I, s:{}}, s:{s:I, s:I}}", "opened", "total", (json_int_t)0,
                            "priority", "closed", "total", (json_int_t)0, "priority", "kev", "opened",
                            (json_int_t)0, "closed", (json_int_t)0);
}

static void metrics_bump(json_t *obj, const char *key, int64_t n)
{
    json_t *v = json_object_get(obj, key);

    json_object_set_new(obj, key, json_integer((json_is_integer(v) ? json_integer_value(v) : 0) + n));
}

static int metrics_index(const char *const *names, const char *name)
{
    for (int i = 0; i < METRICS_NT; i++)
        if (strcmp(names[i], name) == 0)
            return i;
    return -1;
}

/* Folds one counter row into an accumulator. */
static void metrics_fold(metrics_acc *a, const char *tlp, const char *metric, const char *key,
                         int64_t n)
{
    const char *dot = strchr(metric, '.');
    int i;

    if (strcmp(metric, "opened") == 0 || strcmp(metric, "closed") == 0) {
        json_t *o = metric[0] == 'o' ? a->opened : a->closed;
        metrics_bump(o, "total", n);
        metrics_bump(json_object_get(o, "tlp"), tlp, n);
        a->open_delta += metric[0] == 'o' ? n : -n;
    } else if (dot != NULL && (strncmp(metric, "opened.", 7) == 0 || strncmp(metric, "closed.", 7) == 0)) {
        json_t *o = json_object_get(metric[0] == 'o' ? a->opened : a->closed, dot + 1);
        if (o != NULL)
            metrics_bump(o, key, n);
    } else if (strncmp(metric, "time.", 5) == 0) {
        char which[32];
        size_t len = strcspn(metric + 5, ".");
        uint64_t b;
        if (len >= sizeof which)
            return;
        memcpy(which, metric + 5, len);
        which[len] = '\0';
        if ((i = metrics_index(metrics_times, which)) < 0)
            return;
        if (metric[5 + len] == '.')
            a->sum[i] += n;
        else if (xsirt_parse_u64(&b, key, strlen(key)) == 0 && b < XSIRT_METRICS_BUCKETS)
            a->hist[i][b] += n;
    } else if (strncmp(metric, "sla.", 4) == 0 && (i = metrics_index(metrics_slas, metric + 4)) >= 0) {
        a->sla[i][strcmp(key, "met") == 0 ? 0 : 1] += n;
    } else if (strcmp(metric, "escalated") == 0) {
        a->escalations += n;
    } else if (strcmp(metric, "finding.opened") == 0 || strcmp(metric, "finding.closed") == 0) {
        json_t *o = json_object_get(a->findings, metric + 8);
        metrics_bump(o, "total", n);
        metrics_bump(json_object_get(o, "priority"), key, n);
        a->finding_delta += metric[8] == 'o' ? n : -n;
    } else if (strcmp(metric, "finding.kev") == 0 && (strcmp(key, "opened") == 0 || strcmp(key, "closed") == 0)) {
        metrics_bump(json_object_get(a->findings, "kev"), key, n);
    }
}

/* Nearest-rank percentile from the histogram: the upper edge of the
 * bucket holding the ceil(p * count / 100)-th duration; null when empty. */
static json_t *metrics_percentile(const int64_t *hist, int64_t count, int p)
{
    int64_t rank = (count * p + 99) / 100, seen = 0;

    if (count == 0)
        return json_null();
    for (int b = 0; b < XSIRT_METRICS_BUCKETS; b++) {
        seen += hist[b];
        if (seen >= rank)
            return b == XSIRT_METRICS_BUCKETS - 1 ? json_null()
                                                  : json_integer((json_int_t)xsirt_metrics_edge(b));
    }
    return json_null();
}

static json_t *metrics_acc_json(metrics_acc *a, int64_t open_at_end, int64_t findings_open, bool with_period)
{
    json_t *o = json_object(), *times = json_object(), *sla = json_object();

    for (int i = 0; i < METRICS_NT; i++) {
        int64_t count = 0;
        for (int b = 0; b < XSIRT_METRICS_BUCKETS; b++)
            count += a->hist[i][b];
        json_object_set_new(times, metrics_times[i],
                            json_pack("{s:I, s:o, s:o, s:o}", "count", (json_int_t)count, "mean",
                                      count > 0 ? json_integer((json_int_t)(a->sum[i] / count))
                                                : json_null(),
                                      "median", metrics_percentile(a->hist[i], count, 50), "p90",
                                      metrics_percentile(a->hist[i], count, 90)));
        count = a->sla[i][0] + a->sla[i][1];
        json_object_set_new(sla, metrics_slas[i],
                            json_pack("{s:I, s:I, s:o}", "met", (json_int_t)a->sla[i][0], "missed",
                                      (json_int_t)a->sla[i][1], "percent",
                                      count > 0 ? json_real((double)(a->sla[i][0] * 1000 / count) / 10.0)
                                                : json_null()));
    }
    if (with_period) {
        json_object_set_new(o, "period", json_string(a->label));
        json_object_set_new(o, "start", json_string(a->start));
        json_object_set_new(o, "end", json_string(a->end));
    }
    json_object_set_new(o, "opened", a->opened);
    json_object_set_new(o, "closed", a->closed);
    json_object_set_new(o, "open_at_end", json_integer((json_int_t)open_at_end));
    json_object_set_new(o, "time", times);
    json_object_set_new(o, "sla", sla);
    json_object_set_new(o, "escalations", json_integer((json_int_t)a->escalations));
    json_object_set_new(a->findings, "open_at_end", json_integer((json_int_t)findings_open));
    json_object_set_new(o, "findings", a->findings);
    a->opened = a->closed = a->findings = NULL;
    return o;
}

/* The teams whose counters the figures sum, as a CTE "sub(id)" that must
 * start the statement; the caller's own teams (and all below them) when
 * no team is named, every team for an admin. */
static void metrics_scope(xsirt_buf *sql, xsirt_db_value *p, size_t *n, const xsirt_principal *by,
                          int64_t team)
{
    if (team != 0) {
        xsirt_buf_puts(sql, "WITH RECURSIVE sub(id) AS (SELECT CAST(? AS BIGINT) UNION SELECT t.id FROM teams t "
                            "JOIN sub ON t.parent_id = sub.id) ");
        p[(*n)++] = XSIRT_DB_INTV(team);
    } else if (by->admin) {
        xsirt_buf_puts(sql, "WITH sub(id) AS (SELECT id FROM teams) ");
    } else {
        xsirt_buf_puts(sql, "WITH RECURSIVE sub(id) AS (SELECT team_id FROM team_members WHERE "
                            "user_id = ? UNION SELECT t.id FROM teams t JOIN sub ON t.parent_id = sub.id) ");
        p[(*n)++] = XSIRT_DB_INTV(by->user_id);
    }
}

/* A team's figures are for the members of it or of a team above it. */
int xsirt_metrics_check_team(xsirt_db *db, const xsirt_principal *by, int64_t team, xsirt_error *err)
{
    xsirt_db_value p[2] = {XSIRT_DB_INTV(by->user_id), XSIRT_DB_INTV(team)};
    int64_t n = 0;
    int rc;

    if (team == 0)
        return 0;
    if (by->admin)
        rc = xsirt_db_query_int(&n, db, "SELECT COUNT(*) FROM teams WHERE id = ?", p + 1, 1, err);
    else
        rc = xsirt_db_query_int(&n, db,
                                "WITH RECURSIVE mine(id) AS (SELECT team_id FROM team_members WHERE "
                                "user_id = ? UNION SELECT t.id FROM teams t JOIN mine ON t.parent_id = "
                                "mine.id) SELECT COUNT(*) FROM mine WHERE id = ?", p, 2, err);
    if (rc == 0 && n == 0)
        rc = xsirt_error_set_pointer(err, XSIRT_ENOTFOUND, "team", "no team %lld", (long long)team);
    return rc;
}

/* Where the counters of [from, to] are read: whole months from the
 * monthly roll-up, the days before and after them from the daily
 * counters. An empty range is ("9", "0"). */
typedef struct metrics_ranges {
    char m_from[11], m_to[11];           /* months, YYYY-MM */
    char a_from[11], a_to[11];           /* days before the first whole month */
    char b_from[11], b_to[11];           /* days after the last whole month */
} metrics_ranges;

static void metrics_empty(char *from, char *to)
{
    xsirt_strlcpy(from, "9", 11);
    xsirt_strlcpy(to, "0", 11);
}

static void metrics_month(char *out, int64_t day)
{
    metrics_date(out, day);
    out[7] = '\0';
}

static void metrics_split(metrics_ranges *r, int64_t from, int64_t to, bool months)
{
    int64_t fs, fn, ts, tn, first, last_next;
    char label[16];

    metrics_empty(r->m_from, r->m_to);
    metrics_empty(r->b_from, r->b_to);
    metrics_date(r->a_from, from);
    metrics_date(r->a_to, to);
    if (!months)
        return;
    metrics_period(&fs, &fn, label, sizeof label, from, XSIRT_INTERVAL_MONTH);
    metrics_period(&ts, &tn, label, sizeof label, to, XSIRT_INTERVAL_MONTH);
    first = from == fs ? fs : fn;
    last_next = to == tn - 1 ? tn : ts;
    if (first >= last_next)
        return;
    metrics_month(r->m_from, first);
    metrics_month(r->m_to, last_next - 1);
    if (from < first)
        metrics_date(r->a_to, first - 1);
    else
        metrics_empty(r->a_from, r->a_to);
    if (last_next <= to) {
        metrics_date(r->b_from, last_next);
        metrics_date(r->b_to, to);
    }
}

static const char metrics_source[] =
    "(SELECT team_id, day, tlp, metric, key, n FROM metric_months WHERE day >= ? AND day <= ? "
    "UNION ALL SELECT team_id, day, tlp, metric, key, n FROM metric_counts WHERE (day >= ? AND day <= ?) "
    "OR (day >= ? AND day <= ?)) m";

static int metrics_rows(xsirt_db_rows **rows, xsirt_db *db, const xsirt_principal *by,
                        const xsirt_metrics_query *q, bool before, xsirt_error *err)
{
    xsirt_db_value p[8];
    metrics_ranges r;
    int64_t from = 0, to = 0, fs, fn;
    size_t n = 0;
    xsirt_buf sql;
    char label[16];
    int rc;

    metrics_parse_day(&from, q->from);
    metrics_parse_day(&to, q->to);
    if (before) {
        /* Everything before from: whole months before its month, then
         * the days of its month before it. */
        metrics_period(&fs, &fn, label, sizeof label, from, XSIRT_INTERVAL_MONTH);
        xsirt_strlcpy(r.m_from, "0000-00", sizeof r.m_from);
        metrics_month(r.m_to, fs - 1);
        metrics_empty(r.a_from, r.a_to);
        metrics_empty(r.b_from, r.b_to);
        if (from > fs) {
            metrics_date(r.a_from, fs);
            metrics_date(r.a_to, from - 1);
        }
    } else {
        metrics_split(&r, from, to, q->interval != XSIRT_INTERVAL_WEEK);
    }
    xsirt_buf_init(&sql, 4096);
    metrics_scope(&sql, p, &n, by, q->team);
    if (before) {
        xsirt_buf_puts(&sql, "SELECT '', m.tlp, m.metric, '', SUM(m.n) FROM ");
    } else {
        /* Summed per period in SQL (per day for weeks, which the C side
         * folds), and by TLP only where the answer shows TLPs: a few
         * hundred rows cross the driver instead of one per counter. The
         * period expressions read months (YYYY-MM) and days alike. */
        xsirt_buf_printf(&sql, "SELECT %s, CASE WHEN m.metric IN ('opened','closed') THEN m.tlp ELSE '' END, "
                               "m.metric, m.key, SUM(m.n) FROM ",
                         q->interval == XSIRT_INTERVAL_MONTH ? "substr(m.day, 1, 7)"
                         : q->interval == XSIRT_INTERVAL_QUARTER
                             ? "substr(m.day, 1, 4) || '-Q' || CAST((CAST(substr(m.day, 6, 2) AS INTEGER) + 2) "
                               "/ 3 AS TEXT)"
                             : "m.day");
    }
    xsirt_buf_puts(&sql, metrics_source);
    p[n++] = XSIRT_DB_TEXTV(r.m_from);
    p[n++] = XSIRT_DB_TEXTV(r.m_to);
    p[n++] = XSIRT_DB_TEXTV(r.a_from);
    p[n++] = XSIRT_DB_TEXTV(r.a_to);
    p[n++] = XSIRT_DB_TEXTV(r.b_from);
    p[n++] = XSIRT_DB_TEXTV(r.b_to);
    xsirt_buf_puts(&sql, " WHERE m.team_id IN (SELECT id FROM sub)");
    if (before)
        xsirt_buf_puts(&sql, " AND m.metric IN ('opened','closed','finding.opened','finding.closed')");
    if (!by->admin)
        xsirt_buf_puts(&sql, " AND m.tlp <> 'RED'");
    xsirt_buf_puts(&sql, before ? " GROUP BY m.tlp, m.metric" : " GROUP BY 1, 2, 3, 4 ORDER BY 1");
    rc = xsirt_db_query(rows, db, xsirt_buf_cstr(&sql), p, n, err);
    xsirt_buf_free(&sql);
    return rc;
}

static const char *const metrics_interval_names[] = {"week", "month", "quarter"};

int xsirt_metrics_statistics(json_t **out, xsirt_db *db, const xsirt_principal *by,
                             const xsirt_metrics_query *q, xsirt_error *err)
{
    xsirt_db_rows *rows = NULL, *prior = NULL;
    metrics_acc *acc = NULL, total;
    int64_t from, to, start, next, open = 0, fopen = 0;
    size_t np = 0, cur = 0;
    json_t *series;
    int rc;

    *out = NULL;
    if (metrics_parse_day(&from, q->from) != 0 || metrics_parse_day(&to, q->to) != 0)
        return xsirt_error_set(err, XSIRT_EINVAL, "bad period");
    if ((rc = xsirt_metrics_check_team(db, by, q->team, err)) != 0 ||
        (rc = metrics_rows(&prior, db, by, q, true, err)) != 0)
        return rc;
    if ((rc = metrics_rows(&rows, db, by, q, false, err)) != 0) {
        xsirt_db_rows_free(prior);
        return rc;
    }
    for (size_t i = 0; i < xsirt_db_rows_count(prior); i++) {
        const char *m = xsirt_db_rows_text(prior, i, 2);
        int64_t n = xsirt_db_rows_int(prior, i, 4);
        if (strncmp(m, "finding.", 8) == 0)
            fopen += strcmp(m + 8, "opened") == 0 ? n : -n;
        else
            open += strcmp(m, "opened") == 0 ? n : -n;
    }
    xsirt_db_rows_free(prior);
    /* One accumulator per period from the one holding from to the one
     * holding to; at most XSIRT_LIMIT_STATISTICS_DAYS / 7 + 2 of them. */
    acc = calloc(XSIRT_LIMIT_STATISTICS_DAYS / 7 + 2, sizeof *acc);
    if (acc == NULL) {
        xsirt_db_rows_free(rows);
        return xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    }
    for (int64_t d = from; d <= to; d = next) {
        metrics_acc_init(&acc[np]);
        metrics_period(&start, &next, acc[np].label, sizeof acc[np].label, d, q->interval);
        metrics_date(acc[np].start, start);
        metrics_date(acc[np].end, next - 1);
        np++;
    }
    metrics_acc_init(&total);
    for (size_t i = 0; i < xsirt_db_rows_count(rows); i++) {
        const char *key = xsirt_db_rows_text(rows, i, 0);   /* a day for weeks, else a label */
        while (cur + 1 < np && (q->interval == XSIRT_INTERVAL_WEEK ? strcmp(key, acc[cur].end) > 0
                                                                   : strcmp(key, acc[cur].label) != 0))
            cur++;
        for (int t = 0; t < 2; t++)
            metrics_fold(t ? &total : &acc[cur], xsirt_db_rows_text(rows, i, 1),
                         xsirt_db_rows_text(rows, i, 2), xsirt_db_rows_text(rows, i, 3),
                         xsirt_db_rows_int(rows, i, 4));
    }
    xsirt_db_rows_free(rows);
    series = json_array();
    for (size_t i = 0; i < np; i++) {
        open += acc[i].open_delta;
        fopen += acc[i].finding_delta;
        json_array_append_new(series, metrics_acc_json(&acc[i], open, fopen, true));
    }
    free(acc);
    *out = json_pack("{s:o, s:s, s:s, s:s, s:b, s:o, s:o}", "team",
                     q->team != 0 ? json_integer((json_int_t)q->team) : json_null(), "from", q->from,
                     "to", q->to, "interval", metrics_interval_names[q->interval], "red_counted",
                     by->admin, "series", series, "totals", metrics_acc_json(&total, open, fopen, false));
    return *out != NULL ? 0 : xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
}

/* ---- CSV ----------------------------------------------------------------- */

/* A CSV field: quoted when it holds a comma, quote or line break. */
static int metrics_csv_field(xsirt_buf *b, const char *s, bool last)
{
    int rc = 0;

    if (strpbrk(s, ",\"\r\n") != NULL) {
        rc = xsirt_buf_putc(b, '"');
        for (const char *p = s; rc == 0 && *p != '\0'; p++)
            rc = *p == '"' ? xsirt_buf_puts(b, "\"\"") : xsirt_buf_putc(b, *p);
        if (rc == 0)
            rc = xsirt_buf_putc(b, '"');
    } else {
        rc = xsirt_buf_puts(b, s);
    }
    return rc != 0 ? rc : xsirt_buf_puts(b, last ? "\r\n" : ",");
}

static int metrics_csv_value(xsirt_buf *b, const json_t *period, const char *figure,
                             const char *key, const json_t *v)
{
    char text[64];
    int rc = 0;

    if (json_is_integer(v))
        snprintf(text, sizeof text, "%lld", (long long)json_integer_value(v));
    else if (json_is_real(v))
        snprintf(text, sizeof text, "%.1f", json_real_value(v));
    else
        text[0] = '\0';
    for (int i = 0; rc == 0 && i < 3; i++) {
        static const char *const cols[] = {"period", "start", "end"};
        const char *s = json_string_value(json_object_get(period, cols[i]));
        rc = metrics_csv_field(b, s != NULL ? s : "total", false);
    }
    if (rc == 0)
        rc = metrics_csv_field(b, figure, false);
    if (rc == 0)
        rc = metrics_csv_field(b, key, false);
    return rc != 0 ? rc : metrics_csv_field(b, text, true);
}

/* Every leaf of a period's object: its parent's dotted path is the
 * figure and its own name the key ("opened.kind","incident"); a leaf at
 * the top is a figure without key. */
static int metrics_csv_walk(xsirt_buf *b, const json_t *period, const json_t *obj, const char *prefix)
{
    static const char *const skip[] = {"period", "start", "end", NULL};
    const char *k;
    json_t *v;
    char figure[128];
    int rc = 0;

    json_object_foreach((json_t *)obj, k, v) {
        bool skipped = false;
        for (size_t i = 0; prefix[0] == '\0' && skip[i] != NULL; i++)
            skipped = skipped || strcmp(skip[i], k) == 0;
        if (skipped || rc != 0)
            continue;
        if (json_is_object(v)) {
            snprintf(figure, sizeof figure, "%s%s%s", prefix, prefix[0] != '\0' ? "." : "", k);
            rc = metrics_csv_walk(b, period, v, figure);
        } else {
            rc = metrics_csv_value(b, period, prefix[0] != '\0' ? prefix : k, prefix[0] != '\0' ? k : "", v);
        }
    }
    return rc;
}

static int metrics_csv_period(xsirt_buf *b, const json_t *period)
{
    return metrics_csv_walk(b, period, period, "");
}

int xsirt_metrics_csv(char **out, size_t *size, const json_t *statistics, xsirt_error *err)
{
    const json_t *series = json_object_get(statistics, "series");
    xsirt_buf b;
    int rc;

    *out = NULL;
    xsirt_buf_init(&b, XSIRT_LIMIT_STATISTICS_CSV);
    rc = xsirt_buf_puts(&b, "\xEF\xBB\xBFperiod,start,end,figure,key,value\r\n");
    for (size_t i = 0; rc == 0 && i < json_array_size(series); i++)
        rc = metrics_csv_period(&b, json_array_get(series, i));
    if (rc == 0)
        rc = metrics_csv_period(&b, json_object_get(statistics, "totals"));
    if (rc != 0) {
        xsirt_buf_free(&b);
        return xsirt_error_set(err, XSIRT_ELIMIT, "statistics CSV over %u bytes: ask for fewer days",
                               XSIRT_LIMIT_STATISTICS_CSV);
    }
    *size = strlen(xsirt_buf_cstr(&b));
    *out = xsirt_buf_detach(&b);
    return *out != NULL ? 0 : xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
}
