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
#include "store/asset.h"
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

static const char *const metrics_tables[] = {"metric_counts", "metric_months"};

/* Adds n rows of (team, day, tlp, metric, key, delta) in p to one table
 * in one statement (a rebuild writes 40 at a time). */
static int metrics_upsert(xsirt_db *db, int table, const xsirt_db_value *p, size_t n, xsirt_error *err)
{
    xsirt_buf sql;
    int rc;

    xsirt_buf_init(&sql, 8192);
    xsirt_buf_printf(&sql, "INSERT INTO %s (team_id, day, tlp, metric, key, n) VALUES ", metrics_tables[table]);
    for (size_t i = 0; i < n; i++)
        xsirt_buf_puts(&sql, i == 0 ? "(?, ?, ?, ?, ?, ?)" : ", (?, ?, ?, ?, ?, ?)");
    xsirt_buf_printf(&sql, " ON CONFLICT (team_id, day, tlp, metric, key) DO UPDATE SET n = %s.n + excluded.n",
                     metrics_tables[table]);
    rc = xsirt_db_exec(db, xsirt_buf_cstr(&sql), p, n * 6, NULL, err);
    xsirt_buf_free(&sql);
    return rc;
}

/* One counter of one table (0 days, 1 months: day cut to YYYY-MM). */
static int metrics_add_table(xsirt_db *db, int table, int64_t team, const char *day, const char *tlp,
                             const char *metric, const char *key, int64_t delta, xsirt_error *err)
{
    xsirt_db_value p[6];
    char d[11];

    xsirt_strlcpy(d, day, table == 0 ? 11 : 8);
    p[0] = XSIRT_DB_INTV(team);
    p[1] = XSIRT_DB_TEXTV(d);
    p[2] = XSIRT_DB_TEXTV(tlp);
    p[3] = XSIRT_DB_TEXTV(metric);
    p[4] = XSIRT_DB_TEXTV(key);
    p[5] = XSIRT_DB_INTV(delta);
    return metrics_upsert(db, table, p, 1, err);
}

int xsirt_metrics_add(xsirt_db *db, int64_t team, const char *day, const char *tlp,
                      const char *metric, const char *key, int64_t delta, xsirt_error *err)
{
    /* The day's counter, then the month's (the roll-up month and quarter
     * figures read: a thirtieth of the rows). */
    int rc = metrics_add_table(db, 0, team, day, tlp, metric, key, delta, err);

    return rc != 0 ? rc : metrics_add_table(db, 1, team, day, tlp, metric, key, delta, err);
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

/* ---- the aggregator of a rebuild ----------------------------------------- */

/* A rebuild sums the contributions of every case and finding in memory
 * first and writes each distinct counter once: a million findings are a
 * few hundred thousand counters, not ten million upserts. Open
 * addressing on "team day tlp metric key" (unit separators). */
typedef struct metrics_agg_slot {
    char *k;
    int64_t n;
} metrics_agg_slot;

typedef struct metrics_agg {
    metrics_agg_slot *slot;
    size_t cap, used;
    bool failed;
} metrics_agg;

static uint64_t metrics_hash(const char *s)
{
    uint64_t h = 1469598103934665603u;

    for (; *s != '\0'; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

static bool metrics_agg_grow(metrics_agg *a)
{
    size_t cap = a->cap != 0 ? a->cap * 2 : 1u << 16;
    metrics_agg_slot *s = calloc(cap, sizeof *s);

    if (s == NULL)
        return false;
    for (size_t i = 0; i < a->cap; i++) {
        size_t j;
        if (a->slot[i].k == NULL)
            continue;
        for (j = metrics_hash(a->slot[i].k) & (cap - 1); s[j].k != NULL; j = (j + 1) & (cap - 1))
            ;
        s[j] = a->slot[i];
    }
    free(a->slot);
    a->slot = s;
    a->cap = cap;
    return true;
}

static void metrics_agg_one(metrics_agg *a, int table, int64_t team, const char *day, const char *tlp,
                            const char *metric, const char *key, int64_t n)
{
    char k[256];
    size_t j;

    if (a->failed)
        return;
    snprintf(k, sizeof k, "%d\x1f%lld\x1f%.*s\x1f%s\x1f%s\x1f%s", table, (long long)team, table == 0 ? 10 : 7,
             day, tlp, metric, key);
    if ((a->used + 1) * 2 > a->cap && !metrics_agg_grow(a)) {
        a->failed = true;
        return;
    }
    for (j = metrics_hash(k) & (a->cap - 1); a->slot[j].k != NULL; j = (j + 1) & (a->cap - 1))
        if (strcmp(a->slot[j].k, k) == 0) {
            a->slot[j].n += n;
            return;
        }
    if ((a->slot[j].k = xsirt_strndup(k, strlen(k))) == NULL) {
        a->failed = true;
        return;
    }
    a->slot[j].n = n;
    a->used++;
}

/* A counter of both tables, or (months_only) of the monthly one. */
static void metrics_agg_add(metrics_agg *a, bool months_only, int64_t team, const char *day, const char *tlp,
                            const char *metric, const char *key, int64_t n)
{
    if (!months_only)
        metrics_agg_one(a, 0, team, day, tlp, metric, key, n);
    metrics_agg_one(a, 1, team, day, tlp, metric, key, n);
}

#define METRICS_BATCH 40   /* rows of 6 values: under db_postgres.c's 256 parameters */

/* Writes every non-zero counter, 40 to a statement, and empties the
 * aggregator (the keys are distinct, so no statement names a counter
 * twice). */
static int metrics_agg_flush(metrics_agg *a, xsirt_db *db, xsirt_error *err)
{
    int rc = a->failed ? xsirt_error_set(err, XSIRT_ENOMEM, "out of memory") : 0;

    for (int table = 0; table < 2; table++) {
        xsirt_db_value p[METRICS_BATCH * 6];
        size_t n = 0;
        for (size_t i = 0; rc == 0 && i <= a->cap; i++) {
            char *f[6], *save = NULL, *k = i < a->cap ? a->slot[i].k : NULL;
            if (i < a->cap && (k == NULL || a->slot[i].n == 0 || k[0] - '0' != table))
                continue;
            if (k != NULL) {
                f[0] = strtok_r(k, "\x1f", &save);
                for (int t = 1; t < 6; t++)
                    f[t] = strtok_r(NULL, "\x1f", &save);
                p[n * 6] = XSIRT_DB_INTV(strtoll(f[1], NULL, 10));
                p[n * 6 + 1] = XSIRT_DB_TEXTV(f[2]);
                p[n * 6 + 2] = XSIRT_DB_TEXTV(f[3]);
                p[n * 6 + 3] = XSIRT_DB_TEXTV(f[4]);
                p[n * 6 + 4] = XSIRT_DB_TEXTV(f[5] != NULL ? f[5] : "");
                p[n * 6 + 5] = XSIRT_DB_INTV(a->slot[i].n);
                n++;
            }
            if (n > 0 && (n == METRICS_BATCH || i == a->cap)) {
                rc = metrics_upsert(db, table, p, n, err);
                n = 0;
            }
        }
    }
    for (size_t i = 0; i < a->cap; i++)
        free(a->slot[i].k);
    free(a->slot);
    memset(a, 0, sizeof *a);
    return rc;
}

typedef struct metrics_case {
    int64_t team;
    const char *tlp;
    int64_t delta;
    metrics_agg *agg;       /* a rebuild's, or NULL: straight to the counters */
} metrics_case;

static int metrics_put(xsirt_db *db, const metrics_case *c, const char *day, const char *metric,
                       const char *key, int64_t n, xsirt_error *err)
{
    if (c->agg != NULL) {
        metrics_agg_add(c->agg, false, c->team, day, c->tlp, metric, key, n * c->delta);
        return 0;
    }
    return xsirt_metrics_add(db, c->team, day, c->tlp, metric, key, n * c->delta, err);
}

/* A counter kept per month only (an asset's: metrics_finding_put). */
static int metrics_put_month(xsirt_db *db, const metrics_case *c, const char *day, const char *metric,
                             const char *key, int64_t n, xsirt_error *err)
{
    if (c->agg != NULL) {
        metrics_agg_add(c->agg, true, c->team, day, c->tlp, metric, key, n * c->delta);
        return 0;
    }
    return metrics_add_table(db, 1, c->team, day, c->tlp, metric, key, n * c->delta, err);
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
       MC_DUE_ACK, MC_DUE_TRI, MC_DUE_REM, MC_CONTAINED, MC_ID };

/* The milestone counters of one case row (see the file comment). */
static int metrics_case_rows(xsirt_db *db, const metrics_case *cp, const xsirt_db_rows *r, size_t i,
                             xsirt_error *err)
{
    metrics_case c = *cp;
    const char *created = xsirt_db_rows_text(r, i, MC_CREATED);
    const char *closed = xsirt_db_rows_text(r, i, MC_CLOSED);
    const char *sev = xsirt_db_rows_text(r, i, MC_SEV);
    char cls[64];
    bool all_met = true, any = false;
    int rc = 0;

    metrics_class(cls, sizeof cls, xsirt_db_rows_text(r, i, MC_CLASS));
    for (int closing = 0; rc == 0 && closing < 2; closing++) {
        const char *day = closing ? closed : created;
        const char *what = closing ? "closed" : "opened";
        char metric[48];
        if (day == NULL)
            continue;
        rc = metrics_put(db, &c, day, what, "", 1, err);
        snprintf(metric, sizeof metric, "%s.kind", what);
        if (rc == 0)
            rc = metrics_put(db, &c, day, metric, xsirt_db_rows_text(r, i, MC_KIND), 1, err);
        snprintf(metric, sizeof metric, "%s.severity", what);
        if (rc == 0)
            rc = metrics_put(db, &c, day, metric, sev != NULL ? sev : "unset", 1, err);
        snprintf(metric, sizeof metric, "%s.classification", what);
        if (rc == 0)
            rc = metrics_put(db, &c, day, metric, cls, 1, err);
    }
    if (rc == 0)
        rc = metrics_time(db, &c, "acknowledge", created, xsirt_db_rows_text(r, i, MC_ACK), err);
    if (rc == 0)
        rc = metrics_time(db, &c, "triage", created, xsirt_db_rows_text(r, i, MC_TRI), err);
    if (rc == 0)
        rc = metrics_time(db, &c, "contain", created, xsirt_db_rows_text(r, i, MC_CONTAINED), err);
    if (rc == 0)
        rc = metrics_time(db, &c, "resolve", created, closed, err);
    if (closed == NULL)
        return rc;
    if (rc == 0)
        rc = metrics_sla(db, &c, "acknowledge", xsirt_db_rows_text(r, i, MC_DUE_ACK),
                         xsirt_db_rows_text(r, i, MC_ACK), closed, &all_met, err);
    if (rc == 0)
        rc = metrics_sla(db, &c, "triage", xsirt_db_rows_text(r, i, MC_DUE_TRI),
                         xsirt_db_rows_text(r, i, MC_TRI), closed, &all_met, err);
    if (rc == 0)
        rc = metrics_sla(db, &c, "remediate", xsirt_db_rows_text(r, i, MC_DUE_REM), closed, closed,
                         &all_met, err);
    any = xsirt_db_rows_text(r, i, MC_DUE_ACK) != NULL || xsirt_db_rows_text(r, i, MC_DUE_TRI) != NULL ||
          xsirt_db_rows_text(r, i, MC_DUE_REM) != NULL;
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
    "e.kind = 'transition' AND e.data LIKE '%\"to\":\"containment\"%'), c.id "
    "FROM cases c WHERE c.id = ?";

/* Coordination: each vendor's response time, from its invitation (the
 * party added to the case) to its first answered status, on the day of
 * that answer. */
static const char metrics_vendor_sql[] =
    "SELECT p.created_at, MIN(s.answered_at) FROM case_parties p JOIN case_statements s ON "
    "s.party_id = p.id WHERE p.case_id = ? AND p.role = 'vendor' AND s.answered_at IS NOT NULL "
    "GROUP BY p.id, p.created_at";

/* Advisories: every published revision of the case's advisories on its
 * day, from the revision history the publication wrote ("1.0.0" the
 * initial release, later major versions updates; 0.x are drafts). */
static int metrics_advisories(xsirt_db *db, const metrics_case *c, const xsirt_db_value *p,
                              xsirt_error *err)
{
    xsirt_db_rows *r = NULL;
    int rc = xsirt_db_query(&r, db, "SELECT history FROM advisories WHERE case_id = ? AND published > 0",
                            p, 1, err);

    for (size_t i = 0; rc == 0 && i < xsirt_db_rows_count(r); i++) {
        json_t *h = json_loads(xsirt_db_rows_text(r, i, 0) != NULL ? xsirt_db_rows_text(r, i, 0) : "[]",
                               0, NULL), *e;
        size_t k;
        json_array_foreach(h, k, e) {
            const char *num = json_string_value(json_object_get(e, "number"));
            const char *date = json_string_value(json_object_get(e, "date"));
            if (rc != 0 || num == NULL || date == NULL || strlen(date) < 10 || strncmp(num, "0.", 2) == 0)
                continue;
            rc = metrics_put(db, c, date, "advisory.published", strcmp(num, "1.0.0") == 0 ? "initial" : "update",
                             1, err);
        }
        json_decref(h);
    }
    xsirt_db_rows_free(r);
    return rc;
}

/* Escalations, vendor response times and advisories: the parts of a
 * case's contribution that live in other tables of the case. */
static int metrics_case_parts(xsirt_db *db, const metrics_case *c, int64_t case_id, xsirt_error *err)
{
    xsirt_db_value p[1] = {XSIRT_DB_INTV(case_id)};
    xsirt_db_rows *r = NULL;
    int rc = xsirt_db_query(&r, db, "SELECT at FROM escalations WHERE case_id = ?", p, 1, err);

    for (size_t i = 0; rc == 0 && i < xsirt_db_rows_count(r); i++)
        rc = metrics_put(db, c, xsirt_db_rows_text(r, i, 0), "escalated", "", 1, err);
    xsirt_db_rows_free(r);
    r = NULL;
    if (rc == 0)
        rc = xsirt_db_query(&r, db, metrics_vendor_sql, p, 1, err);
    for (size_t i = 0; rc == 0 && i < xsirt_db_rows_count(r); i++)
        rc = metrics_time(db, c, "vendor_response", xsirt_db_rows_text(r, i, 0), xsirt_db_rows_text(r, i, 1),
                          err);
    xsirt_db_rows_free(r);
    return rc == 0 ? metrics_advisories(db, c, p, err) : rc;
}

static int metrics_case_apply(xsirt_db *db, int64_t case_id, int64_t delta, metrics_agg *agg,
                              xsirt_error *err)
{
    xsirt_db_value p[1] = {XSIRT_DB_INTV(case_id)};
    xsirt_db_rows *r = NULL;
    int rc;

    if ((rc = xsirt_db_query(&r, db, metrics_case_sql, p, 1, err)) != 0)
        return rc;
    if (xsirt_db_rows_count(r) == 1) {
        metrics_case c = {xsirt_db_rows_int(r, 0, MC_TEAM), xsirt_db_rows_text(r, 0, MC_TLP), delta, agg};
        rc = metrics_case_rows(db, &c, r, 0, err);
        if (rc == 0)
            rc = metrics_case_parts(db, &c, case_id, err);
    }
    xsirt_db_rows_free(r);
    return rc;
}

int xsirt_metrics_case_retract(xsirt_db *db, int64_t case_id, xsirt_error *err)
{
    return metrics_case_apply(db, case_id, -1, NULL, err);
}

int xsirt_metrics_case_record(xsirt_db *db, int64_t case_id, xsirt_error *err)
{
    return metrics_case_apply(db, case_id, 1, NULL, err);
}

/* ---- findings ------------------------------------------------------------ */

/* A finding is open while it is active and in_triage or exploitable;
 * closed_at is when it stopped being open (kept by xsirt_metrics_finding_end). */
static const char metrics_finding_sql[] =
    "SELECT f.id, a.team_id, f.asset_id, f.priority, f.kev, f.first_seen, f.closed_at, f.due, f.active, "
    "f.state FROM findings f JOIN assets a ON a.id = f.asset_id WHERE ";

static void metrics_finding_read(xsirt_metrics_finding *f, const xsirt_db_rows *r, size_t i)
{
    const char *st = xsirt_db_rows_text(r, i, 9);

    memset(f, 0, sizeof *f);
    f->found = true;
    f->id = xsirt_db_rows_int(r, i, 0);
    f->team = xsirt_db_rows_int(r, i, 1);
    f->asset = xsirt_db_rows_int(r, i, 2);
    xsirt_strlcpy(f->priority, xsirt_db_rows_text(r, i, 3), sizeof f->priority);
    f->kev = xsirt_db_rows_int(r, i, 4) != 0;
    xsirt_strlcpy(f->first_seen, xsirt_db_rows_text(r, i, 5), sizeof f->first_seen);
    if (xsirt_db_rows_text(r, i, 6) != NULL)
        xsirt_strlcpy(f->closed_at, xsirt_db_rows_text(r, i, 6), sizeof f->closed_at);
    if (xsirt_db_rows_text(r, i, 7) != NULL)
        xsirt_strlcpy(f->due, xsirt_db_rows_text(r, i, 7), sizeof f->due);
    f->open = xsirt_db_rows_int(r, i, 8) != 0 && st != NULL &&
              (strcmp(st, "in_triage") == 0 || strcmp(st, "exploitable") == 0);
}

/* One figure of a finding, for its team and again for its asset (metric
 * "asset.<metric>", key "<asset>:<key>"): the per-asset statistics read
 * the latter, which are kept per month only — an asset's counters by day
 * would be nearly one row per finding. Findings carry no TLP of their
 * own: AMBER, as the assets. */
static int metrics_finding_put(xsirt_db *db, const metrics_case *c, int64_t asset, const char *day,
                               const char *metric, const char *key, int64_t n, xsirt_error *err)
{
    char am[64], ak[48];
    int rc = metrics_put(db, c, day, metric, key, n, err);

    snprintf(am, sizeof am, "asset.%s", metric);
    snprintf(ak, sizeof ak, "%lld:%s", (long long)asset, key);
    return rc != 0 ? rc : metrics_put_month(db, c, day, am, ak, n, err);
}

/* The counters of one finding (docs/metrics.md, "Findings"). */
static int metrics_finding_apply(xsirt_db *db, const xsirt_metrics_finding *f, int64_t delta, metrics_agg *agg,
                                 xsirt_error *err)
{
    metrics_case c = {f->team, "AMBER", delta, agg};
    const char *closed = f->closed_at;
    char key[8];
    int64_t s;
    int rc;

    if (!f->found)
        return 0;
    rc = metrics_finding_put(db, &c, f->asset, f->first_seen, "finding.opened", f->priority, 1, err);
    if (rc == 0 && f->kev)
        rc = metrics_finding_put(db, &c, f->asset, f->first_seen, "finding.kev", "opened", 1, err);
    if (closed[0] == '\0') {
        /* Still open: counted on its opening day, so that the open
         * findings' ages are sums over day ranges. */
        if (rc == 0)
            rc = metrics_finding_put(db, &c, f->asset, f->first_seen, "finding.open", f->priority, 1, err);
        if (rc == 0 && f->kev)
            rc = metrics_finding_put(db, &c, f->asset, f->first_seen, "finding.open", "kev", 1, err);
        return rc;
    }
    if (rc == 0)
        rc = metrics_finding_put(db, &c, f->asset, closed, "finding.closed", f->priority, 1, err);
    if (rc == 0 && f->kev)
        rc = metrics_finding_put(db, &c, f->asset, closed, "finding.kev", "closed", 1, err);
    s = metrics_seconds(f->first_seen, closed);
    snprintf(key, sizeof key, "%d", xsirt_metrics_bucket(s));
    if (rc == 0)
        rc = metrics_finding_put(db, &c, f->asset, closed, "time.remediate", key, 1, err);
    if (rc == 0)
        rc = metrics_finding_put(db, &c, f->asset, closed, "time.remediate.sum", "", s, err);
    if (rc == 0 && f->due[0] != '\0')
        rc = metrics_finding_put(db, &c, f->asset, closed, "sla.finding",
                                 strcmp(closed, f->due) <= 0 ? "met" : "missed", 1, err);
    return rc;
}

int xsirt_metrics_finding_begin(xsirt_metrics_finding *f, xsirt_db *db, int64_t id, xsirt_error *err)
{
    xsirt_db_value p[1] = {XSIRT_DB_INTV(id)};
    xsirt_db_rows *r = NULL;
    char sql[512];
    int rc;

    memset(f, 0, sizeof *f);
    f->id = id;
    snprintf(sql, sizeof sql, "%sf.id = ?", metrics_finding_sql);
    if ((rc = xsirt_db_query(&r, db, sql, p, 1, err)) == 0 && xsirt_db_rows_count(r) == 1)
        metrics_finding_read(f, r, 0);
    xsirt_db_rows_free(r);
    return rc;
}

static bool metrics_finding_same(const xsirt_metrics_finding *a, const xsirt_metrics_finding *b)
{
    return a->found == b->found && a->team == b->team && a->asset == b->asset && a->kev == b->kev &&
           strcmp(a->priority, b->priority) == 0 && strcmp(a->first_seen, b->first_seen) == 0 &&
           strcmp(a->closed_at, b->closed_at) == 0 && strcmp(a->due, b->due) == 0;
}

int xsirt_metrics_finding_end(const xsirt_metrics_finding *before, xsirt_db *db, xsirt_error *err)
{
    xsirt_metrics_finding now;
    int rc = xsirt_metrics_finding_begin(&now, db, before->id, err);

    /* closed_at follows the finding's state: set when it stops being
     * open, cleared when it is open again (reactivated, re-triaged). */
    if (rc == 0 && now.found && now.open == (now.closed_at[0] != '\0')) {
        xsirt_db_value p[2];
        if (now.open) {
            now.closed_at[0] = '\0';
        } else {
            xsirt_clock_now(now.closed_at);
        }
        p[0] = now.open ? XSIRT_DB_NULLV : XSIRT_DB_TEXTV(now.closed_at);
        p[1] = XSIRT_DB_INTV(now.id);
        rc = xsirt_db_exec(db, "UPDATE findings SET closed_at = ? WHERE id = ?", p, 2, NULL, err);
    }
    if (rc != 0 || metrics_finding_same(before, &now))
        return rc;
    if ((rc = metrics_finding_apply(db, before, -1, NULL, err)) != 0)
        return rc;
    return metrics_finding_apply(db, &now, 1, NULL, err);
}

/* Every finding a WHERE clause on alias f selects, read in pages by id
 * (a rebuild reads a million). */
static int metrics_findings_each(xsirt_db *db, const char *where, const xsirt_db_value *params, size_t np,
                                 int64_t delta, metrics_agg *agg, xsirt_error *err)
{
    xsirt_db_value p[8];
    int64_t last = 0;
    char sql[1024];
    int rc = 0;

    if (np > 7)
        return xsirt_error_set(err, XSIRT_EINTERNAL, "too many parameters");
    snprintf(sql, sizeof sql, "%s(%s) AND f.id > ? ORDER BY f.id LIMIT 20000", metrics_finding_sql, where);
    for (;;) {
        xsirt_db_rows *r = NULL;
        size_t n;
        if (np > 0)   /* params may be NULL then (memcpy of NULL: UB) */
            memcpy(p, params, np * sizeof *p);
        p[np] = XSIRT_DB_INTV(last);
        if ((rc = xsirt_db_query(&r, db, sql, p, np + 1, err)) != 0)
            return rc;
        n = xsirt_db_rows_count(r);
        for (size_t i = 0; rc == 0 && i < n; i++) {
            xsirt_metrics_finding f;
            metrics_finding_read(&f, r, i);
            last = f.id;
            rc = metrics_finding_apply(db, &f, delta, agg, err);
        }
        xsirt_db_rows_free(r);
        if (rc != 0 || n < 20000)
            return rc;
    }
}

int xsirt_metrics_findings_apply(xsirt_db *db, const char *where, const xsirt_db_value *params, size_t np,
                                 int64_t delta, xsirt_error *err)
{
    metrics_agg agg;
    int rc;

    memset(&agg, 0, sizeof agg);
    rc = metrics_findings_each(db, where, params, np, delta, &agg, err);
    if (rc != 0) {
        agg.failed = true;
        metrics_agg_flush(&agg, db, NULL);
        return rc;
    }
    return metrics_agg_flush(&agg, db, err);
}

int xsirt_metrics_findings_add(xsirt_db *db, const xsirt_metrics_finding *kinds, const int64_t *counts,
                               size_t n, xsirt_error *err)
{
    metrics_agg agg;
    int rc = 0;

    memset(&agg, 0, sizeof agg);
    for (size_t i = 0; rc == 0 && i < n; i++)
        if (counts[i] != 0)
            rc = metrics_finding_apply(db, &kinds[i], counts[i], &agg, err);
    if (rc != 0) {
        agg.failed = true;
        metrics_agg_flush(&agg, db, NULL);
        return rc;
    }
    return metrics_agg_flush(&agg, db, err);
}

/* The rebuild's cases, in pages: one query for the rows, each case's
 * other parts by id (escalations, vendors, advisories). */
static int metrics_rebuild_cases(xsirt_db *db, metrics_agg *agg, xsirt_error *err)
{
    char sql[1024];
    int64_t last = 0;
    int rc = 0;

    snprintf(sql, sizeof sql, "%.*s c.id > ? ORDER BY c.id LIMIT 5000",
             (int)(strlen(metrics_case_sql) - strlen(" c.id = ?")), metrics_case_sql);
    for (;;) {
        xsirt_db_value p[1] = {XSIRT_DB_INTV(last)};
        xsirt_db_rows *r = NULL;
        size_t n;
        if ((rc = xsirt_db_query(&r, db, sql, p, 1, err)) != 0)
            return rc;
        n = xsirt_db_rows_count(r);
        for (size_t i = 0; rc == 0 && i < n; i++) {
            metrics_case c = {xsirt_db_rows_int(r, i, MC_TEAM), xsirt_db_rows_text(r, i, MC_TLP), 1, agg};
            last = xsirt_db_rows_int(r, i, MC_ID);
            rc = metrics_case_rows(db, &c, r, i, err);
            if (rc == 0)
                rc = metrics_case_parts(db, &c, last, err);
        }
        xsirt_db_rows_free(r);
        if (rc != 0 || n < 5000)
            return rc;
    }
}

int xsirt_metrics_rebuild(xsirt_db *db, xsirt_error *err)
{
    metrics_agg agg;
    int rc = xsirt_db_exec(db, "DELETE FROM metric_counts", NULL, 0, NULL, err);

    memset(&agg, 0, sizeof agg);
    if (rc == 0)
        rc = xsirt_db_exec(db, "DELETE FROM metric_months", NULL, 0, NULL, err);
    if (rc == 0)
        rc = metrics_rebuild_cases(db, &agg, err);
    if (rc == 0)
        rc = metrics_findings_each(db, "1 = 1", NULL, 0, 1, &agg, err);
    if (rc != 0)
        agg.failed = true;
    return rc != 0 ? (metrics_agg_flush(&agg, db, NULL), rc) : metrics_agg_flush(&agg, db, err);
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

/* "remediate" and the SLA "finding" are the findings' (metrics.h),
 * "vendor_response" coordination's. */
static const char *const metrics_times[] = {"acknowledge", "triage", "contain", "resolve", "remediate",
                                            "vendor_response", NULL};
static const char *const metrics_slas[] = {"acknowledge", "triage", "remediate", "case", "finding", NULL};
#define METRICS_NT 6
#define METRICS_NS 5

typedef struct metrics_acc {
    char label[16], start[11], end[11];
    json_t *opened, *closed;             /* {"total","kind":{},"severity":{},...} */
    int64_t hist[METRICS_NT][XSIRT_METRICS_BUCKETS];
    int64_t sum[METRICS_NT];
    int64_t sla[METRICS_NS][2];          /* met, missed */
    int64_t advisories[2];               /* initial releases, updates */
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
    for (int i = 0; names[i] != NULL; i++)
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
    } else if (strcmp(metric, "advisory.published") == 0) {
        a->advisories[strcmp(key, "initial") == 0 ? 0 : 1] += n;
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
    }
    for (int i = 0; i < METRICS_NS; i++) {
        int64_t count = a->sla[i][0] + a->sla[i][1];
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
    json_object_set_new(o, "advisories",
                        json_pack("{s:I, s:I, s:I}", "published", (json_int_t)(a->advisories[0] + a->advisories[1]),
                                  "initial", (json_int_t)a->advisories[0], "updates", (json_int_t)a->advisories[1]));
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

/* The counters of the query's asset (asset_cond, and keys "<asset>:…";
 * akey holds the pattern, 32 bytes) or, without one, team_cond. */
static void metrics_where_asset(xsirt_buf *sql, xsirt_db_value *p, size_t *n, char *akey,
                                const xsirt_metrics_query *q, const char *asset_cond, const char *team_cond)
{
    xsirt_buf_printf(sql, " AND %s", q->asset != 0 ? asset_cond : team_cond);
    if (q->asset != 0) {
        snprintf(akey, 32, "%lld:%%", (long long)q->asset);
        xsirt_buf_puts(sql, " AND m.key LIKE ?");
        p[(*n)++] = XSIRT_DB_TEXTV(akey);
    }
}

static int metrics_rows(xsirt_db_rows **rows, xsirt_db *db, const xsirt_principal *by,
                        const xsirt_metrics_query *q, bool before, xsirt_error *err)
{
    xsirt_db_value p[9];
    metrics_ranges r;
    int64_t from = 0, to = 0, fs, fn;
    size_t n = 0;
    xsirt_buf sql;
    char label[16], akey[32];
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
        /* An asset's figures are the "asset." counters (metrics_finding_put). */
        xsirt_buf_printf(&sql, "SELECT '', m.tlp, %s, '', SUM(m.n) FROM ",
                         q->asset != 0 ? "substr(m.metric, 7)" : "m.metric");
    } else {
        /* Summed per period in SQL (per day for weeks, which the C side
         * folds), and by TLP only where the answer shows TLPs: a few
         * hundred rows cross the driver instead of one per counter. The
         * period expressions read months (YYYY-MM) and days alike. */
        xsirt_buf_printf(&sql, "SELECT %s, CASE WHEN m.metric IN ('opened','closed') THEN m.tlp ELSE '' END, "
                               "%s, m.key, SUM(m.n) FROM ",
                         q->interval == XSIRT_INTERVAL_MONTH ? "substr(m.day, 1, 7)"
                         : q->interval == XSIRT_INTERVAL_QUARTER
                             ? "substr(m.day, 1, 4) || '-Q' || CAST((CAST(substr(m.day, 6, 2) AS INTEGER) + 2) "
                               "/ 3 AS TEXT)"
                             : "m.day", q->asset != 0 ? "substr(m.metric, 7)" : "m.metric");
    }
    xsirt_buf_puts(&sql, metrics_source);
    p[n++] = XSIRT_DB_TEXTV(r.m_from);
    p[n++] = XSIRT_DB_TEXTV(r.m_to);
    p[n++] = XSIRT_DB_TEXTV(r.a_from);
    p[n++] = XSIRT_DB_TEXTV(r.a_to);
    p[n++] = XSIRT_DB_TEXTV(r.b_from);
    p[n++] = XSIRT_DB_TEXTV(r.b_to);
    xsirt_buf_puts(&sql, " WHERE m.team_id IN (SELECT id FROM sub)");
    metrics_where_asset(&sql, p, &n, akey, q, "m.metric LIKE 'asset.%'", "m.metric NOT LIKE 'asset.%'");
    if (before)
        xsirt_buf_puts(&sql, q->asset != 0 ? " AND m.metric IN ('asset.finding.opened','asset.finding.closed')"
                                           : " AND m.metric IN ('opened','closed','finding.opened','finding.closed')");
    if (!by->admin)
        xsirt_buf_puts(&sql, " AND m.tlp <> 'RED'");
    xsirt_buf_puts(&sql, before ? " GROUP BY m.tlp, m.metric" : " GROUP BY 1, 2, 3, 4 ORDER BY 1");
    rc = xsirt_db_query(rows, db, xsirt_buf_cstr(&sql), p, n, err);
    xsirt_buf_free(&sql);
    return rc;
}

static const char *const metrics_interval_names[] = {"week", "month", "quarter"};

/* The key of an "asset." counter without its "<asset>:" prefix. */
static const char *metrics_key(const xsirt_metrics_query *q, const char *key)
{
    const char *colon = q->asset != 0 ? strchr(key, ':') : NULL;

    return colon != NULL ? colon + 1 : key;
}

/* The findings open now: by priority, KEV-listed, and by age (days since
 * first seen, as of today) from the "finding.open" counters, which sit on
 * each open finding's first day. */
static int metrics_open_now(json_t **out, xsirt_db *db, const xsirt_principal *by, const xsirt_metrics_query *q,
                            xsirt_error *err)
{
    static const char *const ages[] = {"0-30", "31-90", "91-180", "181-365", "over-365"};
    static const int64_t limits[] = {30, 90, 180, 365, INT64_MAX};
    xsirt_db_value p[3];
    xsirt_db_rows *r = NULL;
    xsirt_buf sql;
    char akey[32], now[XSIRT_TIME_MAX], day[16];
    int64_t today = 0, total = 0, kev = 0, age[5] = {0, 0, 0, 0, 0};
    json_t *prio = json_object(), *agej = json_object();
    size_t n = 0;
    int rc;

    xsirt_clock_now(now);
    now[10] = '\0';
    metrics_parse_day(&today, now);
    xsirt_buf_init(&sql, 2048);
    metrics_scope(&sql, p, &n, by, q->team);
    xsirt_buf_printf(&sql, "SELECT m.day, m.key, SUM(m.n) FROM %s m WHERE m.team_id IN (SELECT id FROM sub)",
                     q->asset != 0 ? "metric_months" : "metric_counts");
    metrics_where_asset(&sql, p, &n, akey, q, "m.metric = 'asset.finding.open'", "m.metric = 'finding.open'");
    if (!by->admin)
        xsirt_buf_puts(&sql, " AND m.tlp <> 'RED'");
    xsirt_buf_puts(&sql, " GROUP BY m.day, m.key");
    rc = xsirt_db_query(&r, db, xsirt_buf_cstr(&sql), p, n, err);
    xsirt_buf_free(&sql);
    for (size_t i = 0; rc == 0 && i < xsirt_db_rows_count(r); i++) {
        const char *key = metrics_key(q, xsirt_db_rows_text(r, i, 1));
        int64_t c = xsirt_db_rows_int(r, i, 2), d = today;
        int b = 0;
        if (strcmp(key, "kev") == 0) {
            kev += c;
            continue;
        }
        /* An asset's are by month: aged from the month's first day. */
        snprintf(day, sizeof day, "%.7s-01", xsirt_db_rows_text(r, i, 0));
        metrics_parse_day(&d, q->asset != 0 ? day : xsirt_db_rows_text(r, i, 0));
        while (today - d > limits[b])
            b++;
        age[b] += c;
        total += c;
        metrics_bump(prio, key, c);
    }
    xsirt_db_rows_free(r);
    for (int b = 0; b < 5; b++)
        json_object_set_new(agej, ages[b], json_integer((json_int_t)age[b]));
    *out = json_pack("{s:I, s:o, s:I, s:o}", "total", (json_int_t)total, "priority", prio, "kev", (json_int_t)kev,
                     "age", agej);
    return rc;
}

int xsirt_metrics_query_asset(xsirt_metrics_query *q, const char *asset, xsirt_error *err)
{
    uint64_t v;

    if (asset == NULL)
        return 0;
    if (xsirt_parse_u64(&v, asset, strlen(asset)) != 0 || v == 0 || v > (uint64_t)INT64_MAX)
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, "asset", "asset must be an asset id");
    if (q->team != 0)
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, "asset", "ask for a team or an asset, not both");
    if (q->interval == XSIRT_INTERVAL_WEEK)
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, "interval",
                                       "an asset's figures are kept per month: interval month or quarter");
    q->asset = (int64_t)v;
    return 0;
}

/* An asset's figures are for those who see the asset; they are read from
 * its team's counters. */
static int metrics_asset_scope(xsirt_metrics_query *q, xsirt_db *db, const xsirt_principal *by, xsirt_error *err)
{
    xsirt_db_value p[1] = {XSIRT_DB_INTV(q->asset)};
    int rc = xsirt_asset_check_visible(db, by, q->asset, err);

    if (rc == 0)
        rc = xsirt_db_query_int(&q->team, db, "SELECT team_id FROM assets WHERE id = ?", p, 1, err);
    /* Kept per month: the period widens to whole months. */
    if (rc == 0) {
        int64_t from = 0, to = 0, start, next;
        char label[16];
        metrics_parse_day(&from, q->from);
        metrics_parse_day(&to, q->to);
        metrics_period(&start, &next, label, sizeof label, from, XSIRT_INTERVAL_MONTH);
        metrics_date(q->from, start);
        metrics_period(&start, &next, label, sizeof label, to, XSIRT_INTERVAL_MONTH);
        metrics_date(q->to, next - 1);
    }
    return rc;
}

int xsirt_metrics_statistics(json_t **out, xsirt_db *db, const xsirt_principal *by,
                             const xsirt_metrics_query *query, xsirt_error *err)
{
    xsirt_db_rows *rows = NULL, *prior = NULL;
    metrics_acc *acc = NULL, total;
    int64_t from, to, start, next, open = 0, fopen = 0;
    size_t np = 0, cur = 0;
    json_t *series, *open_now = NULL, *totals;
    xsirt_metrics_query qa = *query, *q = &qa;
    int rc;

    *out = NULL;
    if (metrics_parse_day(&from, q->from) != 0 || metrics_parse_day(&to, q->to) != 0)
        return xsirt_error_set(err, XSIRT_EINVAL, "bad period");
    rc = q->asset != 0 ? metrics_asset_scope(q, db, by, err) : xsirt_metrics_check_team(db, by, q->team, err);
    if (rc != 0 || (rc = metrics_open_now(&open_now, db, by, q, err)) != 0 ||
        (rc = metrics_rows(&prior, db, by, q, true, err)) != 0) {
        json_decref(open_now);
        return rc;
    }
    if ((rc = metrics_rows(&rows, db, by, q, false, err)) != 0) {
        xsirt_db_rows_free(prior);
        json_decref(open_now);
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
        json_decref(open_now);
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
                         xsirt_db_rows_text(rows, i, 2), metrics_key(q, xsirt_db_rows_text(rows, i, 3)),
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
    totals = metrics_acc_json(&total, open, fopen, false);
    json_object_set_new(json_object_get(totals, "findings"), "open_now", open_now);
    *out = json_pack("{s:o, s:o, s:s, s:s, s:s, s:b, s:o, s:o}", "team",
                     q->team != 0 ? json_integer((json_int_t)q->team) : json_null(), "asset",
                     q->asset != 0 ? json_integer((json_int_t)q->asset) : json_null(), "from", q->from,
                     "to", q->to, "interval", metrics_interval_names[q->interval], "red_counted",
                     by->admin, "series", series, "totals", totals);
    return *out != NULL ? 0 : xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
}

/* ---- top affected assets ------------------------------------------------- */

int xsirt_metrics_top_assets(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t team, size_t limit,
                             xsirt_error *err)
{
    xsirt_db_value p[2];
    xsirt_db_rows *r = NULL;
    xsirt_buf sql;
    json_t *per = json_object(), *list = json_array(), *v;
    const char *k;
    size_t n = 0;
    int rc;

    *out = NULL;
    if ((rc = xsirt_metrics_check_team(db, by, team, err)) != 0) {
        json_decref(per);
        json_decref(list);
        return rc;
    }
    /* The open findings' monthly counters, per asset and priority. */
    xsirt_buf_init(&sql, 2048);
    metrics_scope(&sql, p, &n, by, team);
    xsirt_buf_puts(&sql, "SELECT m.key, SUM(m.n) FROM metric_months m WHERE m.team_id IN (SELECT id FROM sub) "
                         "AND m.metric = 'asset.finding.open' GROUP BY m.key");
    rc = xsirt_db_query(&r, db, xsirt_buf_cstr(&sql), p, n, err);
    xsirt_buf_free(&sql);
    for (size_t i = 0; rc == 0 && i < xsirt_db_rows_count(r); i++) {
        const char *key = xsirt_db_rows_text(r, i, 0), *colon = strchr(key, ':');
        int64_t c = xsirt_db_rows_int(r, i, 1);
        char id[24];
        json_t *a;
        if (colon == NULL || c == 0 || (size_t)(colon - key) >= sizeof id)
            continue;
        snprintf(id, sizeof id, "%.*s", (int)(colon - key), key);
        if ((a = json_object_get(per, id)) == NULL) {
            a = json_pack("{s:I, s:I, s:I, s:{}}", "asset", (json_int_t)strtoll(id, NULL, 10), "open",
                          (json_int_t)0, "kev", (json_int_t)0, "priority");
            json_object_set_new(per, id, a);
        }
        if (strcmp(colon + 1, "kev") == 0) {
            metrics_bump(a, "kev", c);
        } else {
            metrics_bump(a, "open", c);
            metrics_bump(json_object_get(a, "priority"), colon + 1, c);
        }
    }
    xsirt_db_rows_free(r);
    /* The most P1, then P2, then open in all; at most limit of them. */
    while (rc == 0 && json_array_size(list) < limit) {
        json_t *best = NULL;
        const char *bk = NULL;
        json_object_foreach(per, k, v) {
            static const char *const order[] = {"P1", "P2", "open"};
            int cmp = 0;
            for (int o = 0; best != NULL && cmp == 0 && o < 3; o++) {
                json_t *a = o < 2 ? json_object_get(json_object_get(v, "priority"), order[o]) : json_object_get(v, "open");
                json_t *b = o < 2 ? json_object_get(json_object_get(best, "priority"), order[o]) : json_object_get(best, "open");
                json_int_t x = json_integer_value(a), y = json_integer_value(b);
                cmp = x > y ? 1 : x < y ? -1 : 0;
            }
            if (json_integer_value(json_object_get(v, "open")) > 0 && (best == NULL || cmp > 0)) {
                best = v;
                bk = k;
            }
        }
        if (best == NULL)
            break;
        json_array_append(list, best);
        json_object_del(per, bk);
    }
    json_decref(per);
    for (size_t i = 0; rc == 0 && i < json_array_size(list); i++) {
        json_t *a = json_array_get(list, i);
        p[0] = XSIRT_DB_INTV(json_integer_value(json_object_get(a, "asset")));
        if ((rc = xsirt_db_query(&r, db, "SELECT name, version FROM assets WHERE id = ?", p, 1, err)) != 0)
            break;
        json_object_set_new(a, "name", xsirt_db_rows_count(r) == 1 ? json_string(xsirt_db_rows_text(r, 0, 0))
                                                                   : json_null());
        json_object_set_new(a, "version", xsirt_db_rows_count(r) == 1 && xsirt_db_rows_text(r, 0, 1) != NULL
                                              ? json_string(xsirt_db_rows_text(r, 0, 1)) : json_null());
        xsirt_db_rows_free(r);
        r = NULL;
    }
    if (rc != 0) {
        json_decref(list);
        return rc;
    }
    *out = list;
    return 0;
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
