/*
 * test_metrics.c — the incremental counters against a straightforward
 * recomputation (differential), on both backends: a generated history of
 * cases (XSIRT_METRICS_CASES, 10,000 by default; the benchmark runs
 * 100,000) recorded through the hooks, then random edits, transitions,
 * escalations and deletions through the real case functions, comparing
 * every figure after each round. Also: who may read whose figures, TLP:RED
 * counted only for those who may see it, and the CSV form.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/str.h"
#include "store/case.h"
#include "store/clock.h"
#include "store/db.h"
#include "store/json_input.h"
#include "store/metrics.h"
#include "store/store.h"
#include "store/team.h"
#include "store/user.h"
#include "tests/store/testdb.h"

enum { T_CORP, T_PSIRT, T_SITE, T_CSIRT, NTEAMS };
enum { U_CORP, U_PSIRT, U_CSIRT, NUSERS };

typedef struct world {
    xsirt_db *db;
    xsirt_principal sys, u[NUSERS];
    int64_t team[NTEAMS];
    int64_t rule;
    unsigned seed;
} world;

static unsigned rnd(world *w, unsigned n)
{
    w->seed = w->seed * 1103515245u + 12345u;
    return (w->seed >> 8) % n;
}

static int64_t mk_team(world *w, const char *name, int64_t parent)
{
    json_t *in = json_pack("{s:s, s:s}", "name", name, "kind", "PSIRT"), *out;
    xsirt_error err;
    int64_t id;

    if (parent != 0)
        json_object_set_new(in, "parent", json_integer(parent));
    assert_int_equal(xsirt_team_create(&out, w->db, &w->sys, in, &err), 0);
    id = xsirt_json_int(out, "id");
    json_decref(in);
    json_decref(out);
    return id;
}

static int setup(void **state)
{
    static int n;
    static const char *const names[NUSERS] = {"corp", "psirtmem", "csirtmem"};
    world *w = calloc(1, sizeof *w);
    xsirt_error err;

    if (testdb_open_store(&w->db, "metrics", n++) != 0)
        return -1;
    xsirt_principal_system(&w->sys);
    w->seed = 20260705u;
    w->team[T_CORP] = mk_team(w, "Corporate", 0);
    w->team[T_PSIRT] = mk_team(w, "PSIRT", w->team[T_CORP]);
    w->team[T_SITE] = mk_team(w, "Site", w->team[T_PSIRT]);
    w->team[T_CSIRT] = mk_team(w, "CSIRT", 0);
    for (int i = 0; i < NUSERS; i++) {
        xsirt_user_new u = {names[i], NULL, NULL, NULL, "user", 0, NULL};
        int64_t id;
        assert_int_equal(xsirt_user_create(&id, w->db, &w->sys, &u, &err), 0);
        assert_int_equal(xsirt_user_principal(&w->u[i], w->db, id, &err), 0);
    }
    assert_int_equal(xsirt_team_set_member(w->db, &w->sys, w->team[T_CORP], w->u[U_CORP].user_id,
                                           "viewer", &err), 0);
    assert_int_equal(xsirt_team_set_member(w->db, &w->sys, w->team[T_PSIRT], w->u[U_PSIRT].user_id,
                                           "member", &err), 0);
    assert_int_equal(xsirt_team_set_member(w->db, &w->sys, w->team[T_CSIRT], w->u[U_CSIRT].user_id,
                                           "member", &err), 0);
    assert_int_equal(xsirt_db_exec(w->db, "INSERT INTO escalation_rules (name, condition, target_kind, "
                                          "target, created_at) VALUES ('test', '{}', 'role', 'admin', "
                                          "'2025-01-01T00:00:00.000Z')", NULL, 0, NULL, &err), 0);
    assert_int_equal(xsirt_db_query_int(&w->rule, w->db, "SELECT id FROM escalation_rules WHERE "
                                        "name = 'test'", NULL, 0, &err), 0);
    *state = w;
    return 0;
}

static int teardown(void **state)
{
    world *w = *state;

    xsirt_db_close(w->db);
    free(w);
    return 0;
}

/* ---- the generated history --------------------------------------------- */

static const char *const kinds[] = {"incident", "vulnerability"};
static const char *const sevs[] = {"none", "low", "medium", "high", "critical", NULL};
static const char *const tlps[] = {"CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED"};
static const char *const classes[] = {"rsit:malicious-code=\"infected-system\"", "rsit:intrusions=\"system-compromise\"",
                                      "rsit:fraud=\"phishing\"", "rsit:vulnerable=\"vulnerable-system\"",
                                      NULL};

static void stamp(char *out, time_t t)
{
    xsirt_clock_format(out, t, 0);
}

/* One case with random milestones between 2025-01-01 and 2026-11-30,
 * inserted as rows, then recorded through the hook. */
static void gen_case(world *w)
{
    const time_t base = 1735689600;            /* 2025-01-01 */
    const time_t span = 699 * 86400;
    time_t created = base + (time_t)rnd(w, (unsigned)span);
    time_t ack = created + (time_t)rnd(w, 3 * 86400), tri = ack + (time_t)rnd(w, 5 * 86400);
    time_t closed = tri + (time_t)rnd(w, 60 * 86400);
    int stage = (int)rnd(w, 4);                /* 0 new, 1 acknowledged, 2 triaged, 3 closed */
    int kind = (int)rnd(w, 2);
    char tc[XSIRT_TIME_MAX], ta[XSIRT_TIME_MAX], tt[XSIRT_TIME_MAX], tx[XSIRT_TIME_MAX];
    char da[XSIRT_TIME_MAX], dt[XSIRT_TIME_MAX], dr[XSIRT_TIME_MAX];
    static const char *const states[2][4] = {{"reported", "triage", "analysis", "closed"},
                                             {"discovery", "triage", "remediation", "closed"}};
    xsirt_db_value p[17];
    xsirt_db_rows *rows = NULL;
    xsirt_error err;
    bool has_sla = rnd(w, 3) != 0;
    int64_t id;

    stamp(tc, created);
    stamp(ta, ack);
    stamp(tt, tri);
    stamp(tx, closed);
    stamp(da, created + 86400);
    stamp(dt, created + 3 * 86400);
    stamp(dr, created + 30 * 86400);
    p[0] = XSIRT_DB_TEXTV(kinds[kind]);
    p[1] = XSIRT_DB_TEXTV("generated");
    p[2] = XSIRT_DB_INTV(w->team[rnd(w, NTEAMS)]);
    p[3] = XSIRT_DB_TEXTV(states[kind][stage]);
    p[4] = XSIRT_DB_TEXTV(sevs[rnd(w, 6)]);
    p[5] = XSIRT_DB_TEXTV(classes[rnd(w, 5)]);
    p[6] = XSIRT_DB_TEXTV(tlps[rnd(w, 5)]);
    p[7] = XSIRT_DB_TEXTV(stage >= 1 ? ta : NULL);
    p[8] = XSIRT_DB_TEXTV(stage >= 2 ? tt : NULL);
    p[9] = XSIRT_DB_TEXTV(stage >= 3 ? tx : NULL);
    p[10] = XSIRT_DB_TEXTV(has_sla ? da : NULL);
    p[11] = XSIRT_DB_TEXTV(has_sla ? dt : NULL);
    p[12] = XSIRT_DB_TEXTV(has_sla ? dr : NULL);
    p[13] = XSIRT_DB_TEXTV(tc);
    p[14] = XSIRT_DB_TEXTV(tc);
    assert_int_equal(xsirt_db_query(&rows, w->db,
                                    "INSERT INTO cases (kind, title, team_id, state, severity, "
                                    "classification, tlp, acknowledged_at, triaged_at, closed_at, "
                                    "due_acknowledge, due_triage, due_remediate, created_at, updated_at) "
                                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                                    p, 15, &err), 0);
    id = xsirt_db_rows_int(rows, 0, 0);
    xsirt_db_rows_free(rows);
    if (kind == 0 && stage >= 2 && rnd(w, 2) == 0) {   /* contained (twice: the first counts) */
        for (int k = 0; k < 2; k++) {
            stamp(ta, tri + 3600 + k * 86400);
            p[0] = XSIRT_DB_INTV(id);
            p[1] = XSIRT_DB_TEXTV(ta);
            assert_int_equal(xsirt_db_exec(w->db, "INSERT INTO case_events (case_id, at, kind, data) "
                                                  "VALUES (?, ?, 'transition', "
                                                  "'{\"from\":\"analysis\",\"to\":\"containment\"}')",
                                           p, 2, NULL, &err), 0);
        }
    }
    if (rnd(w, 10) == 0) {
        stamp(ta, created + 7200);
        p[0] = XSIRT_DB_INTV(id);
        p[1] = XSIRT_DB_INTV(w->rule);
        p[2] = XSIRT_DB_TEXTV(ta);
        assert_int_equal(xsirt_db_exec(w->db, "INSERT INTO escalations (case_id, rule_id, at, reason) "
                                              "VALUES (?, ?, ?, 'test')", p, 3, NULL, &err), 0);
    }
    assert_int_equal(xsirt_metrics_case_record(w->db, id, &err), 0);
}

static void gen_history(world *w, int n)
{
    xsirt_error err;

    assert_int_equal(xsirt_db_begin(w->db, &err), 0);
    for (int i = 0; i < n; i++)
        gen_case(w);
    assert_int_equal(xsirt_db_commit(w->db, &err), 0);
}

/* ---- the straightforward recomputation ---------------------------------- */

/* The days compare() asks for; the recomputation counts only these. */
static char window_from[11] = "2025-01-01", window_to[11] = "9999-12-31";

static bool in_window(const char *ts)
{
    return strncmp(ts, window_from, 10) >= 0 && strncmp(ts, window_to, 10) <= 0;
}

static void bump(json_t *m, const char *period, const char *figure, const char *key, int64_t n)
{
    char k[256];
    json_t *v;

    if (n == 0)
        return;
    snprintf(k, sizeof k, "%s|%s|%s", period, figure, key);
    v = json_object_get(m, k);
    json_object_set_new(m, k, json_integer((v != NULL ? json_integer_value(v) : 0) + n));
}

static void label(char *out, const char *ts, bool quarter)
{
    if (quarter)
        snprintf(out, 16, "%.4s-Q%d", ts, ((ts[5] - '0') * 10 + (ts[6] - '0') - 1) / 3 + 1);
    else
        snprintf(out, 16, "%.7s", ts);
}

static int64_t secs(const char *a, const char *b)
{
    time_t ta, tb;

    assert_int_equal(xsirt_clock_parse(&ta, a), 0);
    assert_int_equal(xsirt_clock_parse(&tb, b), 0);
    return tb > ta ? (int64_t)(tb - ta) : 0;
}

typedef struct durations {
    char period[16];
    int which;
    int64_t s;
} durations;

static int cmp_dur(const void *a, const void *b)
{
    const durations *x = a, *y = b;
    int c = strcmp(x->period, y->period);

    if (c == 0)
        c = x->which - y->which;
    return c != 0 ? c : (x->s > y->s) - (x->s < y->s);
}

static const char *const whiches[] = {"acknowledge", "triage", "contain", "resolve"};

/* Every figure from the cases themselves, for the teams in scope (SQL
 * list), RED only when red, periods by month or quarter. Durations go to
 * *d (for the percentile check). */
static json_t *recompute(world *w, const char *scope, bool red, bool quarter, durations **d, size_t *nd)
{
    char sql[2048], per[16];
    xsirt_db_rows *r = NULL, *e = NULL;
    xsirt_error err;
    json_t *m = json_object();

    snprintf(sql, sizeof sql,
             "SELECT c.kind, c.severity, c.classification, c.tlp, c.created_at, c.acknowledged_at, "
             "c.triaged_at, c.closed_at, c.due_acknowledge, c.due_triage, c.due_remediate, "
             "(SELECT MIN(e.at) FROM case_events e WHERE e.case_id = c.id AND e.kind = 'transition' "
             "AND e.data LIKE '%%\"to\":\"containment\"%%') FROM cases c WHERE c.team_id IN (%s)%s",
             scope, red ? "" : " AND c.tlp <> 'RED'");
    assert_int_equal(xsirt_db_query(&r, w->db, sql, NULL, 0, &err), 0);
    *d = calloc(xsirt_db_rows_count(r) * 4 + 1, sizeof **d);
    *nd = 0;
    for (size_t i = 0; i < xsirt_db_rows_count(r); i++) {
        const char *cls = xsirt_db_rows_text(r, i, 2), *created = xsirt_db_rows_text(r, i, 4);
        const char *closed = xsirt_db_rows_text(r, i, 7);
        char c[64] = "unclassified";
        const char *at[4] = {xsirt_db_rows_text(r, i, 5), xsirt_db_rows_text(r, i, 6),
                             xsirt_db_rows_text(r, i, 11), closed};
        if (cls != NULL)
            snprintf(c, sizeof c, "%.*s", (int)strcspn(cls + 5, "="), cls + 5);
        for (int k = 0; k < 2; k++) {
            const char *day = k ? closed : created, *fig = k ? "closed" : "opened";
            char f[32];
            if (day == NULL || !in_window(day))
                continue;
            label(per, day, quarter);
            bump(m, per, fig, "total", 1);
            snprintf(f, sizeof f, "%s.kind", fig);
            bump(m, per, f, xsirt_db_rows_text(r, i, 0), 1);
            snprintf(f, sizeof f, "%s.severity", fig);
            bump(m, per, f, xsirt_db_rows_text(r, i, 1) ? xsirt_db_rows_text(r, i, 1) : "unset", 1);
            snprintf(f, sizeof f, "%s.classification", fig);
            bump(m, per, f, c, 1);
            snprintf(f, sizeof f, "%s.tlp", fig);
            bump(m, per, f, xsirt_db_rows_text(r, i, 3), 1);
        }
        for (int k = 0; k < 4; k++) {
            char f[32];
            if (at[k] == NULL || !in_window(at[k]))
                continue;
            label(per, at[k], quarter);
            snprintf(f, sizeof f, "time.%s", whiches[k]);
            bump(m, per, f, "count", 1);
            memcpy((*d)[*nd].period, per, sizeof per);
            (*d)[*nd].which = k;
            (*d)[(*nd)++].s = secs(created, at[k]);
        }
        if (closed != NULL && in_window(closed)) {
            bool any = false, all = true;
            const char *dues[3] = {xsirt_db_rows_text(r, i, 8), xsirt_db_rows_text(r, i, 9),
                                   xsirt_db_rows_text(r, i, 10)};
            const char *done[3] = {at[0], at[1], closed};
            static const char *const sl[] = {"sla.acknowledge", "sla.triage", "sla.remediate"};
            label(per, closed, quarter);
            for (int k = 0; k < 3; k++) {
                bool met;
                if (dues[k] == NULL)
                    continue;
                any = true;
                met = done[k] != NULL && strcmp(done[k], dues[k]) <= 0;
                all = all && met;
                bump(m, per, sl[k], met ? "met" : "missed", 1);
            }
            if (any)
                bump(m, per, "sla.case", all ? "met" : "missed", 1);
        }
    }
    xsirt_db_rows_free(r);
    snprintf(sql, sizeof sql, "SELECT s.at FROM escalations s JOIN cases c ON c.id = s.case_id "
                              "WHERE c.team_id IN (%s)%s", scope, red ? "" : " AND c.tlp <> 'RED'");
    assert_int_equal(xsirt_db_query(&e, w->db, sql, NULL, 0, &err), 0);
    for (size_t i = 0; i < xsirt_db_rows_count(e); i++) {
        if (!in_window(xsirt_db_rows_text(e, i, 0)))
            continue;
        label(per, xsirt_db_rows_text(e, i, 0), quarter);
        bump(m, per, "escalations", "", 1);
    }
    xsirt_db_rows_free(e);
    qsort(*d, *nd, sizeof **d, cmp_dur);
    return m;
}

/* The statistics flattened the same way (zeros left out). */
static json_t *flatten(const json_t *stats)
{
    json_t *m = json_object();
    const json_t *series = json_object_get(stats, "series");

    for (size_t i = 0; i < json_array_size(series); i++) {
        const json_t *s = json_array_get(series, i);
        const char *per = json_string_value(json_object_get(s, "period")), *k, *k2;
        json_t *v, *v2;
        for (int c = 0; c < 2; c++) {
            const char *fig = c ? "closed" : "opened";
            json_t *o = json_object_get(s, fig);
            char f[32];
            bump(m, per, fig, "total", json_integer_value(json_object_get(o, "total")));
            json_object_foreach(o, k, v) {
                if (!json_is_object(v))
                    continue;
                snprintf(f, sizeof f, "%s.%s", fig, k);
                json_object_foreach(v, k2, v2)
                    bump(m, per, f, k2, json_integer_value(v2));
            }
        }
        json_object_foreach(json_object_get(s, "time"), k, v) {
            char f[32];
            snprintf(f, sizeof f, "time.%s", k);
            bump(m, per, f, "count", json_integer_value(json_object_get(v, "count")));
        }
        json_object_foreach(json_object_get(s, "sla"), k, v) {
            char f[32];
            snprintf(f, sizeof f, "sla.%s", k);
            bump(m, per, f, "met", json_integer_value(json_object_get(v, "met")));
            bump(m, per, f, "missed", json_integer_value(json_object_get(v, "missed")));
        }
        bump(m, per, "escalations", "", json_integer_value(json_object_get(s, "escalations")));
    }
    return m;
}

/* Median and p90 of each period: the exact nearest-rank value lies in
 * the bucket whose upper edge the statistics report; the mean is exact. */
static void check_times(const json_t *stats, const durations *d, size_t nd)
{
    const json_t *series = json_object_get(stats, "series");
    size_t checked = 0;

    for (size_t i = 0; i < json_array_size(series); i++) {
        const json_t *s = json_array_get(series, i);
        const char *per = json_string_value(json_object_get(s, "period"));
        for (int k = 0; k < 4; k++) {
            const json_t *t = json_object_get(json_object_get(s, "time"), whiches[k]);
            size_t first = 0, n = 0;
            int64_t sum = 0;
            while (first < nd && (strcmp(d[first].period, per) < 0 ||
                                  (strcmp(d[first].period, per) == 0 && d[first].which < k)))
                first++;
            while (first + n < nd && strcmp(d[first + n].period, per) == 0 && d[first + n].which == k)
                sum += d[first + n++].s;
            assert_int_equal((int64_t)json_integer_value(json_object_get(t, "count")), (int64_t)n);
            if (n == 0) {
                assert_true(json_is_null(json_object_get(t, "median")));
                continue;
            }
            assert_int_equal(json_integer_value(json_object_get(t, "mean")), sum / (int64_t)n);
            for (int q = 0; q < 2; q++) {
                int pct = q ? 90 : 50;
                int64_t exact = d[first + ((size_t)n * (size_t)pct + 99) / 100 - 1].s;
                int b = xsirt_metrics_bucket(exact);
                const json_t *got = json_object_get(t, q ? "p90" : "median");
                assert_int_equal(json_integer_value(got), xsirt_metrics_edge(b));
                assert_true(exact <= json_integer_value(got));
                assert_true(b == 0 || exact > xsirt_metrics_edge(b - 1));
                checked++;
            }
        }
    }
    assert_true(checked > 0);
}

static void compare_window(world *w, const xsirt_principal *by, int64_t team, const char *scope, bool red,
                           bool quarter, const char *from, const char *to);

static void compare(world *w, const xsirt_principal *by, int64_t team, const char *scope, bool red,
                    bool quarter)
{
    compare_window(w, by, team, scope, red, quarter, "2025-01-01", NULL);
}

/* from and to (NULL: today) mid-month make the answer read days at both
 * ends and the monthly roll-up between them. */
static void compare_window(world *w, const xsirt_principal *by, int64_t team, const char *scope, bool red,
                           bool quarter, const char *from, const char *to)
{
    xsirt_metrics_query q;
    xsirt_error err;
    json_t *stats = NULL, *want, *got;
    durations *d;
    size_t nd;
    char tid[24];
    const char *k;
    json_t *v;

    snprintf(tid, sizeof tid, "%lld", (long long)team);
    assert_int_equal(xsirt_metrics_query_parse(&q, team ? tid : NULL, from, to,
                                               quarter ? "quarter" : "month", &err), 0);
    xsirt_strlcpy(window_from, q.from, sizeof window_from);
    xsirt_strlcpy(window_to, q.to, sizeof window_to);
    if (xsirt_metrics_statistics(&stats, w->db, by, &q, &err) != 0)
        fail_msg("statistics: %s", err.message);
    want = recompute(w, scope, red, quarter, &d, &nd);
    got = flatten(stats);
    assert_true(json_object_size(want) > (strcmp(q.from, "2025-01-01") == 0 ? 20u : 0u));
    json_object_foreach(want, k, v) {
        if (!json_equal(v, json_object_get(got, k)))
            fail_msg("%s: want %lld, got %lld", k, (long long)json_integer_value(v),
                     (long long)json_integer_value(json_object_get(got, k)));
    }
    json_object_foreach(got, k, v) {
        if (json_object_get(want, k) == NULL)
            fail_msg("%s: not expected, got %lld", k, (long long)json_integer_value(v));
    }
    check_times(stats, d, nd);
    free(d);
    json_decref(want);
    json_decref(got);
    json_decref(stats);
}

static void compare_all(world *w)
{
    char all[128], psirt[128];

    snprintf(all, sizeof all, "SELECT id FROM teams");
    snprintf(psirt, sizeof psirt, "%lld, %lld", (long long)w->team[T_PSIRT], (long long)w->team[T_SITE]);
    compare(w, &w->sys, 0, all, true, false);
    compare(w, &w->sys, 0, all, true, true);
    compare(w, &w->u[U_PSIRT], w->team[T_PSIRT], psirt, false, false);
    compare(w, &w->u[U_CORP], w->team[T_PSIRT], psirt, false, true);
    compare_window(w, &w->sys, 0, all, true, false, "2025-02-17", "2026-08-12");
    compare_window(w, &w->u[U_PSIRT], w->team[T_PSIRT], psirt, false, true, "2025-03-17", "2025-05-09");
}

static int history_size(void)
{
    const char *n = getenv("XSIRT_METRICS_CASES");
    uint64_t v = 0;

    /* A PostgreSQL round trip per counter makes 10,000 cases take minutes
     * there; the SQLite run covers the size, this one the dialect. */
    if (n == NULL || xsirt_parse_u64(&v, n, strlen(n)) != 0 || v == 0 || v > 10000000)
        return getenv("XSIRT_TEST_DB") != NULL && strcmp(getenv("XSIRT_TEST_DB"), "postgres") == 0 ? 2000
                                                                                                  : 10000;
    return (int)v;
}

/* ---- random changes through the real case functions ---------------------- */

static int64_t random_case(world *w, const char *where)
{
    char sql[256];
    xsirt_db_rows *r = NULL;
    xsirt_error err;
    int64_t id = 0;

    snprintf(sql, sizeof sql, "SELECT id FROM cases WHERE %s ORDER BY id", where);
    assert_int_equal(xsirt_db_query(&r, w->db, sql, NULL, 0, &err), 0);
    if (xsirt_db_rows_count(r) > 0)
        id = xsirt_db_rows_int(r, rnd(w, (unsigned)xsirt_db_rows_count(r)), 0);
    xsirt_db_rows_free(r);
    return id;
}

static void random_update(world *w)
{
    int64_t id = random_case(w, "1 = 1");
    json_t *in = json_object(), *out = NULL;
    xsirt_error err;

    switch (rnd(w, 4)) {
    case 0: json_object_set_new(in, "tlp", json_string(tlps[rnd(w, 5)])); break;
    case 1: json_object_set_new(in, "severity", json_string(sevs[rnd(w, 5)])); break;
    case 2: json_object_set_new(in, "team", json_integer(w->team[rnd(w, NTEAMS)])); break;
    default: json_object_set_new(in, "classification", json_string(classes[rnd(w, 4)])); break;
    }
    if (xsirt_case_update(&out, w->db, &w->sys, id, 0, in, &err) != 0)
        fail_msg("update %lld: %s", (long long)id, err.message);
    json_decref(out);
    json_decref(in);
}

static void random_transition(world *w)
{
    int64_t id = random_case(w, "closed_at IS NULL OR 1 = 1");
    char sql[512];
    xsirt_db_value p[1] = {XSIRT_DB_INTV(id)};
    xsirt_db_rows *r = NULL;
    xsirt_error err;
    json_t *in, *out = NULL;

    snprintf(sql, sizeof sql, "SELECT t.to_state FROM cases c JOIN case_kinds k ON k.name = c.kind "
                              "JOIN workflow_transitions t ON t.workflow_id = k.workflow_id AND "
                              "t.from_state = c.state WHERE c.id = ? ORDER BY t.to_state");
    assert_int_equal(xsirt_db_query(&r, w->db, sql, p, 1, &err), 0);
    if (xsirt_db_rows_count(r) > 0) {
        in = json_pack("{s:s, s:s}", "to", xsirt_db_rows_text(r, rnd(w, (unsigned)xsirt_db_rows_count(r)), 0),
                       "resolution", "fixed");
        if (xsirt_case_transition(&out, w->db, &w->sys, id, 0, in, &err) != 0)
            fail_msg("transition %lld: %s", (long long)id, err.message);
        json_decref(out);
        json_decref(in);
    }
    xsirt_db_rows_free(r);
}

static void random_delete(world *w)
{
    int64_t id = random_case(w, "1 = 1");
    xsirt_db_value p[1] = {XSIRT_DB_INTV(id)};
    xsirt_error err;

    assert_int_equal(xsirt_db_begin(w->db, &err), 0);
    assert_int_equal(xsirt_metrics_case_retract(w->db, id, &err), 0);
    assert_int_equal(xsirt_db_exec(w->db, "DELETE FROM cases WHERE id = ?", p, 1, NULL, &err), 0);
    assert_int_equal(xsirt_db_commit(w->db, &err), 0);
}

static void test_differential(void **state)
{
    world *w = *state;
    xsirt_error err;
    int fired = 0;

    gen_history(w, history_size());
    compare_all(w);
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < 40; i++) {
            unsigned op = rnd(w, 3);
            if (op == 0)
                random_update(w);
            else if (op == 1)
                random_transition(w);
            else
                random_delete(w);
        }
        compare_all(w);
    }
    /* The overdue sweep escalates through the hooks too. */
    assert_int_equal(xsirt_db_exec(w->db, "UPDATE escalation_rules SET condition = '{\"overdue\":true}'",
                                   NULL, 0, NULL, &err), 0);
    assert_int_equal(xsirt_case_escalate_overdue(&fired, w->db, &err), 0);
    compare_all(w);
    /* And a rebuild from scratch gives the same counters. */
    assert_int_equal(xsirt_db_begin(w->db, &err), 0);
    assert_int_equal(xsirt_metrics_rebuild(w->db, &err), 0);
    assert_int_equal(xsirt_db_commit(w->db, &err), 0);
    compare_all(w);
}

/* ---- who reads whose figures -------------------------------------------- */

static void test_visibility(void **state)
{
    world *w = *state;
    xsirt_metrics_query q;
    xsirt_error err;
    json_t *stats = NULL;
    char tid[24];

    gen_history(w, 300);
    /* A PSIRT member may not read the corporate figures (above them) nor
     * the CSIRT's (beside them): 404, as if the team did not exist. */
    snprintf(tid, sizeof tid, "%lld", (long long)w->team[T_CORP]);
    assert_int_equal(xsirt_metrics_query_parse(&q, tid, "2025-01-01", NULL, NULL, &err), 0);
    assert_int_equal(xsirt_metrics_statistics(&stats, w->db, &w->u[U_PSIRT], &q, &err), XSIRT_ENOTFOUND);
    snprintf(tid, sizeof tid, "%lld", (long long)w->team[T_CSIRT]);
    assert_int_equal(xsirt_metrics_query_parse(&q, tid, "2025-01-01", NULL, NULL, &err), 0);
    assert_int_equal(xsirt_metrics_statistics(&stats, w->db, &w->u[U_PSIRT], &q, &err), XSIRT_ENOTFOUND);
    /* No team named: the caller's own teams, without RED. */
    assert_int_equal(xsirt_metrics_query_parse(&q, NULL, "2025-01-01", NULL, NULL, &err), 0);
    assert_int_equal(xsirt_metrics_statistics(&stats, w->db, &w->u[U_PSIRT], &q, &err), 0);
    assert_false(json_is_true(json_object_get(stats, "red_counted")));
    assert_null(json_object_get(json_object_get(json_object_get(json_object_get(stats, "totals"),
                                                                "opened"), "tlp"), "RED"));
    json_decref(stats);
    assert_int_equal(xsirt_metrics_statistics(&stats, w->db, &w->sys, &q, &err), 0);
    assert_true(json_integer_value(json_object_get(json_object_get(json_object_get(
                    json_object_get(stats, "totals"), "opened"), "tlp"), "RED")) > 0);
    json_decref(stats);
    {
        char scope[64];
        snprintf(scope, sizeof scope, "%lld, %lld", (long long)w->team[T_PSIRT], (long long)w->team[T_SITE]);
        compare(w, &w->u[U_PSIRT], 0, scope, false, false);
    }
}

static void test_arguments_and_csv(void **state)
{
    world *w = *state;
    xsirt_metrics_query q;
    xsirt_error err;
    json_t *stats = NULL;
    char *csv = NULL;
    size_t size = 0;

    assert_int_equal(xsirt_metrics_query_parse(&q, NULL, NULL, NULL, "year", &err), XSIRT_EINVAL);
    assert_string_equal(err.pointer, "interval");
    assert_int_equal(xsirt_metrics_query_parse(&q, NULL, "2026-13-01", NULL, NULL, &err), XSIRT_EINVAL);
    assert_int_equal(xsirt_metrics_query_parse(&q, NULL, "2026-02-01", "2026-01-01", NULL, &err),
                     XSIRT_EINVAL);
    assert_int_equal(xsirt_metrics_query_parse(&q, NULL, "1990-01-01", "2026-01-01", NULL, &err),
                     XSIRT_ELIMIT);
    assert_int_equal(xsirt_metrics_query_parse(&q, "x", NULL, NULL, NULL, &err), XSIRT_EINVAL);
    /* Weeks start on Monday: 2026-07-01 is a Wednesday. */
    assert_int_equal(xsirt_metrics_query_parse(&q, NULL, "2026-07-01", "2026-07-14", "week", &err), 0);
    assert_int_equal(xsirt_metrics_statistics(&stats, w->db, &w->sys, &q, &err), 0);
    assert_int_equal(json_array_size(json_object_get(stats, "series")), 3);
    assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(stats, "series"), 0),
                                                          "start")), "2026-06-29");
    assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(stats, "series"), 2),
                                                          "end")), "2026-07-19");
    assert_int_equal(xsirt_metrics_csv(&csv, &size, stats, &err), 0);
    assert_memory_equal(csv, "\xEF\xBB\xBFperiod,start,end,figure,key,value\r\n", 38);
    assert_non_null(strstr(csv, "2026-06-29,2026-06-29,2026-07-05,opened,total,0\r\n"));
    assert_non_null(strstr(csv, "total,total,total,sla.case,percent,\r\n"));
    free(csv);
    /* The findings hooks (metrics.h): what the portfolio code will call. */
    assert_int_equal(xsirt_db_begin(w->db, &err), 0);
    assert_int_equal(xsirt_metrics_add(w->db, w->team[T_SITE], "2026-06-30", "AMBER", "finding.opened", "P1", 1, &err), 0);
    assert_int_equal(xsirt_metrics_add(w->db, w->team[T_SITE], "2026-07-02", "AMBER", "finding.opened", "P1", 2, &err), 0);
    assert_int_equal(xsirt_metrics_add(w->db, w->team[T_SITE], "2026-07-02", "AMBER", "finding.kev", "opened", 1, &err), 0);
    assert_int_equal(xsirt_metrics_add(w->db, w->team[T_SITE], "2026-07-09", "AMBER", "finding.closed", "P1", 1, &err), 0);
    assert_int_equal(xsirt_metrics_add(w->db, w->team[T_SITE], "2026-07-09", "AMBER", "time.remediate",
                                       "20", 1, &err), 0);
    assert_int_equal(xsirt_metrics_add(w->db, w->team[T_SITE], "2026-07-09", "AMBER", "time.remediate.sum",
                                       "", 86400, &err), 0);
    assert_int_equal(xsirt_metrics_add(w->db, w->team[T_SITE], "2026-07-09", "RED", "finding.opened", "P2", 1, &err), 0);
    assert_int_equal(xsirt_db_commit(w->db, &err), 0);
    json_decref(stats);
    assert_int_equal(xsirt_metrics_statistics(&stats, w->db, &w->u[U_PSIRT], &q, &err), 0);
    {
        const json_t *f = json_object_get(json_object_get(stats, "totals"), "findings");
        const json_t *wk2 = json_object_get(json_array_get(json_object_get(stats, "series"), 1), "findings");
        assert_int_equal(json_integer_value(json_object_get(json_object_get(f, "opened"), "total")), 2);
        assert_int_equal(json_integer_value(json_object_get(json_object_get(json_object_get(f, "opened"), "priority"), "P1")), 2);
        assert_int_equal(json_integer_value(json_object_get(json_object_get(f, "kev"), "opened")), 1);
        assert_int_equal(json_integer_value(json_object_get(f, "open_at_end")), 2);   /* 1 before, +2, -1; RED left out */
        assert_int_equal(json_integer_value(json_object_get(wk2, "open_at_end")), 2);
        assert_int_equal(json_integer_value(json_object_get(json_object_get(json_object_get(
                             json_object_get(stats, "totals"), "time"), "remediate"), "mean")), 86400);
    }
    assert_int_equal(xsirt_metrics_csv(&csv, &size, stats, &err), 0);
    assert_non_null(strstr(csv, "total,total,total,findings.opened.priority,P1,2\r\n"));
    free(csv);
    json_decref(stats);
    stats = NULL;
    /* Histogram edges grow and the buckets invert them. */
    for (int b = 1; b < XSIRT_METRICS_BUCKETS - 1; b++) {
        assert_true(xsirt_metrics_edge(b) > xsirt_metrics_edge(b - 1));
        assert_int_equal(xsirt_metrics_bucket(xsirt_metrics_edge(b)), b);
        assert_int_equal(xsirt_metrics_bucket(xsirt_metrics_edge(b - 1) + 1), b);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_arguments_and_csv, setup, teardown),
        cmocka_unit_test_setup_teardown(test_visibility, setup, teardown),
        cmocka_unit_test_setup_teardown(test_differential, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
