/*
 * test_metrics_scale.c — the findings' counters (and the cases' opened
 * and closed) on a generated history at scale, against a straightforward
 * recomputation from the same rows (differential), on both backends.
 *
 * The history is generated in the database itself (one INSERT ... SELECT
 * over a recursive sequence per table, in one transaction), the counters
 * by xsirt_metrics_rebuild; then rounds of random changes go through the
 * real functions — triage decisions (closing and reopening), enrichment
 * (KEV, priority and due date move), deactivation by an empty scan, an
 * asset moving to another team, an asset deleted with its findings — and
 * every figure of every month is compared again, for an admin, for a
 * member of a sub-tree and for single assets.
 *
 * Size: XSIRT_SCALE_CASES and XSIRT_SCALE_FINDINGS (default 10,000 and
 * 100,000 on SQLite, 2,000 and 20,000 on PostgreSQL); the slow tier runs
 * 100,000 and 1,000,000 (docs/metrics.md). It prints the benchmark line
 * docs/performance.md quotes: rebuild time, statistics time and its ratio
 * to a plain SQL count over the same rows.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "core/str.h"
#include "report/document.h"
#include "report/management.h"
#include "store/asset.h"
#include "store/clock.h"
#include "store/db.h"
#include "store/finding.h"
#include "store/json_input.h"
#include "store/metrics.h"
#include "store/store.h"
#include "store/team.h"
#include "store/user.h"
#include "tests/store/testdb.h"

enum { T_CORP, T_PSIRT, T_SITE, T_CSIRT, NTEAMS };

typedef struct world {
    xsirt_db *db;
    xsirt_principal sys, member;   /* member: of PSIRT (sees PSIRT and Site) */
    int64_t team[NTEAMS];
    int64_t asset0, nassets, ncases, nfindings;
    unsigned seed;
} world;

/* The generated days: 2024-01-01 and the 1,064 days after it (to
 * 2026-11-29) for milestones, 400 more for due dates. */
#define GEN_DAYS 1064
#define GEN_BASE 1704067200   /* 2024-01-01 */

static unsigned rnd(world *w, unsigned n)
{
    w->seed = w->seed * 1103515245u + 12345u;
    return (w->seed >> 8) % n;
}

static double now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int64_t env_size(const char *name, int64_t sqlite, int64_t postgres)
{
    const char *v = getenv(name), *b = getenv("XSIRT_TEST_DB");

    if (v != NULL && strtoll(v, NULL, 10) > 0)
        return strtoll(v, NULL, 10);
    return b != NULL && strcmp(b, "postgres") == 0 ? postgres : sqlite;
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

static void exec(world *w, const char *sql, const xsirt_db_value *p, size_t n)
{
    xsirt_error err;

    if (xsirt_db_exec(w->db, sql, p, n, NULL, &err) != 0)
        fail_msg("%s: %s", sql, err.message);
}

/* ---- the generated history ---------------------------------------------- */

static void gen_calendar(world *w)
{
    exec(w, "CREATE TEMP TABLE gen_days (d INTEGER PRIMARY KEY, day TEXT NOT NULL)", NULL, 0);
    exec(w, "CREATE TEMP TABLE gen_times (t INTEGER PRIMARY KEY, tm TEXT NOT NULL)", NULL, 0);
    for (int d = 0; d < GEN_DAYS + 400; d++) {
        char ts[XSIRT_TIME_MAX];
        xsirt_db_value p[2];
        xsirt_clock_format(ts, (time_t)GEN_BASE + (time_t)d * 86400, 0);
        ts[10] = '\0';
        p[0] = XSIRT_DB_INTV(d);
        p[1] = XSIRT_DB_TEXTV(ts);
        exec(w, "INSERT INTO gen_days (d, day) VALUES (?, ?)", p, 2);
    }
    for (int t = 0; t < 1440; t++) {
        char tm[32];
        xsirt_db_value p[2];
        snprintf(tm, sizeof tm, "T%02d:%02d:00.000Z", t / 60, t % 60);
        p[0] = XSIRT_DB_INTV(t);
        p[1] = XSIRT_DB_TEXTV(tm);
        exec(w, "INSERT INTO gen_times (t, tm) VALUES (?, ?)", p, 2);
    }
}

static void gen_history(world *w)
{
    xsirt_db_value p[8];
    xsirt_error err;
    double t0;

    assert_int_equal(xsirt_db_begin(w->db, &err), 0);
    gen_calendar(w);
    /* (Parameters are cast: PostgreSQL does not infer their type here.)
     * Assets, one per 5,000 findings (at least 20), over the four teams. */
    p[0] = XSIRT_DB_INTV(w->nassets);
    p[1] = XSIRT_DB_INTV(w->team[T_CORP]);
    p[2] = XSIRT_DB_INTV(w->team[T_PSIRT]);
    p[3] = XSIRT_DB_INTV(w->team[T_SITE]);
    p[4] = XSIRT_DB_INTV(w->team[T_CSIRT]);
    exec(w, "WITH RECURSIVE seq(i) AS (SELECT CAST(1 AS BIGINT) UNION ALL SELECT i + 1 FROM seq WHERE i < CAST(? AS BIGINT)) "
            "INSERT INTO assets (name, kind, team_id, created_at, updated_at) SELECT 'asset ' || i, 'product', "
            "CASE i % 4 WHEN 0 THEN CAST(? AS BIGINT) WHEN 1 THEN CAST(? AS BIGINT) WHEN 2 THEN ? ELSE CAST(? AS BIGINT) END, '2024-01-01T00:00:00.000Z', "
            "'2024-01-01T00:00:00.000Z' FROM seq", p, 5);
    assert_int_equal(xsirt_db_query_int(&w->asset0, w->db, "SELECT MIN(id) FROM assets", NULL, 0, &err), 0);
    t0 = now_ms();
    /* Cases: created on a day of the calendar, closed 0-59 days later
     * for three in five; every TLP including RED. */
    p[0] = XSIRT_DB_INTV(w->ncases);
    p[1] = XSIRT_DB_INTV(w->team[T_CORP]);
    p[2] = XSIRT_DB_INTV(w->team[T_PSIRT]);
    p[3] = XSIRT_DB_INTV(w->team[T_SITE]);
    p[4] = XSIRT_DB_INTV(w->team[T_CSIRT]);
    p[5] = XSIRT_DB_INTV(GEN_DAYS);
    exec(w, "WITH RECURSIVE seq(i) AS (SELECT CAST(1 AS BIGINT) UNION ALL SELECT i + 1 FROM seq WHERE i < CAST(? AS BIGINT)) "
            "INSERT INTO cases (kind, title, team_id, state, severity, tlp, created_at, updated_at, closed_at) "
            "SELECT CASE WHEN i % 2 = 0 THEN 'incident' ELSE 'vulnerability' END, 'generated', "
            "CASE i % 4 WHEN 0 THEN CAST(? AS BIGINT) WHEN 1 THEN CAST(? AS BIGINT) WHEN 2 THEN ? ELSE CAST(? AS BIGINT) END, "
            "CASE WHEN i % 5 < 3 THEN 'closed' ELSE 'triage' END, "
            "CASE i % 3 WHEN 0 THEN 'high' WHEN 1 THEN 'low' ELSE 'medium' END, "
            "CASE i % 5 WHEN 0 THEN 'CLEAR' WHEN 1 THEN 'GREEN' WHEN 2 THEN 'AMBER' WHEN 3 THEN 'AMBER+STRICT' "
            "ELSE 'RED' END, o.day || t.tm, o.day || t.tm, "
            "CASE WHEN i % 5 < 3 THEN c.day || t.tm END "
            "FROM seq JOIN gen_days o ON o.d = (i * 7919) % CAST(? AS BIGINT) JOIN gen_days c ON c.d = o.d + (i * 31) % 60 "
            "JOIN gen_times t ON t.t = (i * 13) % 1440", p, 6);
    /* Findings: four in ten open (in_triage, exploitable), four closed
     * by a decision, one inactive, one open again; a KEV one in 13;
     * three in four with a due date 30-89 days after the first day. */
    p[0] = XSIRT_DB_INTV(w->nfindings);
    p[1] = XSIRT_DB_INTV(w->asset0);
    p[2] = XSIRT_DB_INTV(w->nassets);
    p[3] = XSIRT_DB_INTV(GEN_DAYS);
    exec(w, "WITH RECURSIVE seq(i) AS (SELECT CAST(1 AS BIGINT) UNION ALL SELECT i + 1 FROM seq WHERE i < CAST(? AS BIGINT)) "
            "INSERT INTO findings (asset_id, component_key, component_base, component_name, vuln_id, kev, "
            "state, justification, priority, due, first_seen, last_seen, active, closed_at) "
            "SELECT CAST(? AS BIGINT) + (i * 7907) % CAST(? AS BIGINT), 'c' || i, 'c' || i, 'component', 'CVE-2025-' || (i % 5000), "
            "CASE WHEN i % 13 = 0 THEN 1 ELSE 0 END, "
            "CASE i % 10 WHEN 0 THEN 'in_triage' WHEN 1 THEN 'exploitable' WHEN 2 THEN 'in_triage' "
            "WHEN 3 THEN 'exploitable' WHEN 4 THEN 'resolved' WHEN 5 THEN 'false_positive' "
            "WHEN 6 THEN 'not_affected' WHEN 7 THEN 'resolved' WHEN 8 THEN 'in_triage' ELSE 'in_triage' END, "
            "CASE WHEN i % 10 = 6 THEN 'code_not_present' END, "
            "CASE i % 7 WHEN 0 THEN 'P1' WHEN 1 THEN 'P2' WHEN 2 THEN 'P2' WHEN 3 THEN 'P3' WHEN 4 THEN 'P3' "
            "ELSE 'P4' END, "
            "CASE WHEN i % 4 <> 0 THEN d.day || 'T23:59:59.000Z' END, o.day || t.tm, o.day || t.tm, "
            "CASE WHEN i % 10 = 8 THEN 0 ELSE 1 END, "
            "CASE WHEN i % 10 BETWEEN 4 AND 8 THEN c.day || u.tm END "
            "FROM seq JOIN gen_days o ON o.d = (i * 104729) % CAST(? AS BIGINT) JOIN gen_days c ON c.d = o.d + (i * 37) % 120 "
            "JOIN gen_days d ON d.d = o.d + 30 + i % 60 JOIN gen_times t ON t.t = (i * 13) % 1440 "
            "JOIN gen_times u ON u.t = (i * 17) % 1440", p, 4);
    /* Each with its "created" event, as finding.c records them (a finding
     * without any event is one an upload has just inserted). */
    exec(w, "INSERT INTO finding_events (finding_id, at, kind, data) SELECT id, first_seen, 'created', '{}' "
            "FROM findings", NULL, 0);
    assert_int_equal(xsirt_db_commit(w->db, &err), 0);
    print_message("scale: generated %lld cases and %lld findings on %lld assets in %.0f ms\n",
                  (long long)w->ncases, (long long)w->nfindings, (long long)w->nassets, now_ms() - t0);
    t0 = now_ms();
    assert_int_equal(xsirt_db_begin(w->db, &err), 0);
    if (xsirt_metrics_rebuild(w->db, &err) != 0)
        fail_msg("rebuild: %s", err.message);
    assert_int_equal(xsirt_db_commit(w->db, &err), 0);
    print_message("scale: rebuild of the counters %.0f ms\n", now_ms() - t0);
}

static int setup(void **state)
{
    static int n;
    world *w = calloc(1, sizeof *w);
    xsirt_user_new u = {"member", NULL, NULL, NULL, "user", 0, NULL};
    xsirt_error err;
    int64_t id;

    if (testdb_open_store(&w->db, "mscale", n++) != 0)
        return -1;
    xsirt_principal_system(&w->sys);
    w->seed = 20261205u;
    w->team[T_CORP] = mk_team(w, "Corporate", 0);
    w->team[T_PSIRT] = mk_team(w, "PSIRT", w->team[T_CORP]);
    w->team[T_SITE] = mk_team(w, "Site", w->team[T_PSIRT]);
    w->team[T_CSIRT] = mk_team(w, "CSIRT", 0);
    assert_int_equal(xsirt_user_create(&id, w->db, &w->sys, &u, &err), 0);
    assert_int_equal(xsirt_user_principal(&w->member, w->db, id, &err), 0);
    assert_int_equal(xsirt_team_set_member(w->db, &w->sys, w->team[T_PSIRT], id, "member", &err), 0);
    w->ncases = env_size("XSIRT_SCALE_CASES", 10000, 2000);
    w->nfindings = env_size("XSIRT_SCALE_FINDINGS", 100000, 20000);
    w->nassets = w->nfindings / 5000 > 20 ? w->nfindings / 5000 : 20;
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

/* ---- the straightforward recomputation ------------------------------------ */

/* expected[figure] for one month, built up as "2026-07 figure key" -> n. */
static void bump(json_t *m, const char *month, const char *figure, const char *key, int64_t n)
{
    char k[128];
    json_t *v;

    snprintf(k, sizeof k, "%.7s %s %s", month, figure, key);
    v = json_object_get(m, k);
    json_object_set_new(m, k, json_integer((v != NULL ? json_integer_value(v) : 0) + n));
}

static int64_t secs(const char *a, const char *b)
{
    time_t ta, tb;

    if (xsirt_clock_parse(&ta, a) != 0 || xsirt_clock_parse(&tb, b) != 0 || tb < ta)
        return 0;
    return (int64_t)(tb - ta);
}

/* The scope as SQL over alias a (assets) or c (cases). */
static void scope_sql(char *out, size_t size, const char *alias, const world *w, int64_t team, int64_t asset)
{
    if (asset != 0)
        snprintf(out, size, "a.id = %lld", (long long)asset);
    else if (team == w->team[T_PSIRT])
        snprintf(out, size, "%s.team_id IN (%lld, %lld)", alias, (long long)w->team[T_PSIRT],
                 (long long)w->team[T_SITE]);
    else
        snprintf(out, size, "1 = 1");
}

static xsirt_db_rows *rows_of(world *w, const char *fmt, const char *scope)
{
    char sql[2048];
    xsirt_db_rows *r = NULL;
    xsirt_error err;

    snprintf(sql, sizeof sql, fmt, scope);
    if (xsirt_db_query(&r, w->db, sql, NULL, 0, &err) != 0)
        fail_msg("%s: %s", sql, err.message);
    return r;
}

/* Every figure the counters give, recomputed from the rows. */
static json_t *recompute(world *w, int64_t team, int64_t asset, bool red)
{
    json_t *m = json_object();
    char scope[256], cscope[300], today[XSIRT_TIME_MAX];
    xsirt_db_rows *r;
    int64_t last = 0;
    time_t tnow;

    scope_sql(scope, sizeof scope, "a", w, team, asset);
    r = rows_of(w, "SELECT substr(f.first_seen, 1, 7), f.priority, f.kev, COUNT(*) FROM findings f JOIN assets a "
                   "ON a.id = f.asset_id WHERE %s GROUP BY 1, 2, 3", scope);
    for (size_t i = 0; i < xsirt_db_rows_count(r); i++) {
        const char *mo = xsirt_db_rows_text(r, i, 0);
        int64_t n = xsirt_db_rows_int(r, i, 3);
        bump(m, mo, "findings.opened.priority", xsirt_db_rows_text(r, i, 1), n);
        bump(m, mo, "findings.opened", "total", n);
        if (xsirt_db_rows_int(r, i, 2) != 0)
            bump(m, mo, "findings.kev", "opened", n);
    }
    xsirt_db_rows_free(r);
    r = rows_of(w, "SELECT substr(f.closed_at, 1, 7), f.priority, f.kev, COUNT(*), "
                   "SUM(CASE WHEN f.due IS NOT NULL AND f.closed_at <= f.due THEN 1 ELSE 0 END), "
                   "SUM(CASE WHEN f.due IS NOT NULL AND f.closed_at > f.due THEN 1 ELSE 0 END) "
                   "FROM findings f JOIN assets a ON a.id = f.asset_id WHERE f.closed_at IS NOT NULL AND %s "
                   "GROUP BY 1, 2, 3", scope);
    for (size_t i = 0; i < xsirt_db_rows_count(r); i++) {
        const char *mo = xsirt_db_rows_text(r, i, 0);
        int64_t n = xsirt_db_rows_int(r, i, 3);
        bump(m, mo, "findings.closed.priority", xsirt_db_rows_text(r, i, 1), n);
        bump(m, mo, "findings.closed", "total", n);
        if (xsirt_db_rows_int(r, i, 2) != 0)
            bump(m, mo, "findings.kev", "closed", n);
        bump(m, mo, "sla.finding", "met", xsirt_db_rows_int(r, i, 4));
        bump(m, mo, "sla.finding", "missed", xsirt_db_rows_int(r, i, 5));
    }
    xsirt_db_rows_free(r);
    /* Time to remediate: the seconds of every closed finding, in pages. */
    for (;;) {
        char sql[1024];
        size_t n;
        snprintf(sql, sizeof sql, "SELECT f.id, f.first_seen, f.closed_at FROM findings f JOIN assets a ON "
                                  "a.id = f.asset_id WHERE f.closed_at IS NOT NULL AND %s AND f.id > %lld "
                                  "ORDER BY f.id LIMIT 50000", scope, (long long)last);
        r = rows_of(w, "%s", sql);
        n = xsirt_db_rows_count(r);
        for (size_t i = 0; i < n; i++) {
            const char *c = xsirt_db_rows_text(r, i, 2);
            last = xsirt_db_rows_int(r, i, 0);
            bump(m, c, "time.remediate", "count", 1);
            bump(m, c, "time.remediate", "sum", secs(xsirt_db_rows_text(r, i, 1), c));
        }
        xsirt_db_rows_free(r);
        if (n < 50000)
            break;
    }
    /* Open now: by priority, KEV, age in days as of today. */
    xsirt_clock_now(today);
    today[10] = '\0';
    xsirt_clock_parse(&tnow, today);
    r = rows_of(w, "SELECT substr(f.first_seen, 1, 10), f.priority, f.kev, COUNT(*) FROM findings f JOIN assets a "
                   "ON a.id = f.asset_id WHERE f.closed_at IS NULL AND %s GROUP BY 1, 2, 3", scope);
    for (size_t i = 0; i < xsirt_db_rows_count(r); i++) {
        static const char *const ages[] = {"0-30", "31-90", "91-180", "181-365", "over-365"};
        static const int64_t limits[] = {30, 90, 180, 365, INT64_MAX};
        char day[16];
        time_t t;
        int64_t n = xsirt_db_rows_int(r, i, 3), age;
        int b = 0;
        /* An asset's are aged from the first day of the month. */
        snprintf(day, sizeof day, asset != 0 ? "%.7s-01" : "%.10s", xsirt_db_rows_text(r, i, 0));
        xsirt_clock_parse(&t, day);
        age = (int64_t)(tnow - t) / 86400;
        while (age > limits[b])
            b++;
        bump(m, "open-now", "age", ages[b], n);
        bump(m, "open-now", "priority", xsirt_db_rows_text(r, i, 1), n);
        bump(m, "open-now", "total", "", n);
        if (xsirt_db_rows_int(r, i, 2) != 0)
            bump(m, "open-now", "kev", "", n);
    }
    xsirt_db_rows_free(r);
    if (asset != 0)
        return m;
    /* The cases' opened and closed, by TLP (RED for admins only). */
    scope_sql(cscope, sizeof cscope, "c", w, team, 0);
    if (!red)
        xsirt_strlcpy(cscope + strlen(cscope), " AND c.tlp <> 'RED'", sizeof cscope - strlen(cscope));
    r = rows_of(w, "SELECT substr(c.created_at, 1, 7), COUNT(*) FROM cases c WHERE %s GROUP BY 1", cscope);
    for (size_t i = 0; i < xsirt_db_rows_count(r); i++)
        bump(m, xsirt_db_rows_text(r, i, 0), "opened", "total", xsirt_db_rows_int(r, i, 1));
    xsirt_db_rows_free(r);
    r = rows_of(w, "SELECT substr(c.closed_at, 1, 7), COUNT(*) FROM cases c WHERE c.closed_at IS NOT NULL AND %s "
                   "GROUP BY 1", cscope);
    for (size_t i = 0; i < xsirt_db_rows_count(r); i++)
        bump(m, xsirt_db_rows_text(r, i, 0), "closed", "total", xsirt_db_rows_int(r, i, 1));
    xsirt_db_rows_free(r);
    return m;
}

static int64_t want(const json_t *m, const char *month, const char *figure, const char *key)
{
    char k[128];

    snprintf(k, sizeof k, "%.7s %s %s", month, figure, key != NULL ? key : "");
    return json_integer_value(json_object_get(m, k));
}

static int64_t got(const json_t *o, const char *a, const char *b, const char *c)
{
    const json_t *v = json_object_get(o, a);

    if (b != NULL)
        v = json_object_get(v, b);
    if (c != NULL)
        v = json_object_get(v, c);
    return json_integer_value(v);
}

#define CHECK(label, g, e)                                                                                   \
    do {                                                                                                      \
        int64_t g_ = (g), e_ = (e);                                                                           \
        if (g_ != e_)                                                                                         \
            fail_msg("%s %s: statistics %lld, recomputed %lld", what, label, (long long)g_, (long long)e_);    \
    } while (0)

/* The statistics of [2024-01-01, 2026-12-31] by month against the
 * recomputation. */
static void compare(world *w, const xsirt_principal *by, int64_t team, int64_t asset)
{
    static const char *const prios[] = {"P1", "P2", "P3", "P4"};
    char tid[24], what[64];
    xsirt_metrics_query q;
    xsirt_error err;
    json_t *stats = NULL, *m = recompute(w, team, asset, by->admin), *p, *now;
    int64_t open = 0, copen = 0;
    size_t i;

    snprintf(tid, sizeof tid, "%lld", (long long)(asset != 0 ? asset : team));
    assert_int_equal(xsirt_metrics_query_parse(&q, team != 0 && asset == 0 ? tid : NULL, "2024-01-01", "2026-12-31",
                                               "month", &err), 0);
    assert_int_equal(xsirt_metrics_query_asset(&q, asset != 0 ? tid : NULL, &err), 0);
    if (xsirt_metrics_statistics(&stats, w->db, by, &q, &err) != 0)
        fail_msg("statistics: %s", err.message);
    json_array_foreach(json_object_get(stats, "series"), i, p) {
        const char *mo = json_string_value(json_object_get(p, "period"));
        const json_t *f = json_object_get(p, "findings"), *t = json_object_get(json_object_get(p, "time"), "remediate");
        int64_t count = want(m, mo, "time.remediate", "count");
        snprintf(what, sizeof what, "%s team %lld asset %lld", mo, (long long)team, (long long)asset);
        CHECK("findings opened", got(f, "opened", "total", NULL), want(m, mo, "findings.opened", "total"));
        CHECK("findings closed", got(f, "closed", "total", NULL), want(m, mo, "findings.closed", "total"));
        for (int k = 0; k < 4; k++) {
            CHECK(prios[k], got(f, "opened", "priority", prios[k]), want(m, mo, "findings.opened.priority", prios[k]));
            CHECK(prios[k], got(f, "closed", "priority", prios[k]), want(m, mo, "findings.closed.priority", prios[k]));
        }
        CHECK("kev opened", got(f, "kev", "opened", NULL), want(m, mo, "findings.kev", "opened"));
        CHECK("kev closed", got(f, "kev", "closed", NULL), want(m, mo, "findings.kev", "closed"));
        open += want(m, mo, "findings.opened", "total") - want(m, mo, "findings.closed", "total");
        CHECK("findings open at end", got(f, "open_at_end", NULL, NULL), open);
        CHECK("sla met", got(p, "sla", "finding", "met"), want(m, mo, "sla.finding", "met"));
        CHECK("sla missed", got(p, "sla", "finding", "missed"), want(m, mo, "sla.finding", "missed"));
        CHECK("remediate count", got(t, "count", NULL, NULL), count);
        if (count > 0)
            CHECK("remediate mean", got(t, "mean", NULL, NULL), want(m, mo, "time.remediate", "sum") / count);
        if (asset != 0)
            continue;
        CHECK("cases opened", got(p, "opened", "total", NULL), want(m, mo, "opened", "total"));
        CHECK("cases closed", got(p, "closed", "total", NULL), want(m, mo, "closed", "total"));
        copen += want(m, mo, "opened", "total") - want(m, mo, "closed", "total");
        CHECK("cases open at end", got(p, "open_at_end", NULL, NULL), copen);
    }
    assert_int_equal(json_array_size(json_object_get(stats, "series")), 36);
    now = json_object_get(json_object_get(json_object_get(stats, "totals"), "findings"), "open_now");
    snprintf(what, sizeof what, "open now team %lld asset %lld", (long long)team, (long long)asset);
    CHECK("total", got(now, "total", NULL, NULL), want(m, "open-now", "total", ""));
    CHECK("kev", got(now, "kev", NULL, NULL), want(m, "open-now", "kev", ""));
    for (int k = 0; k < 4; k++)
        CHECK(prios[k], got(now, "priority", prios[k], NULL), want(m, "open-now", "priority", prios[k]));
    {
        static const char *const ages[] = {"0-30", "31-90", "91-180", "181-365", "over-365"};
        for (int k = 0; k < 5; k++)
            CHECK(ages[k], got(now, "age", ages[k], NULL), want(m, "open-now", "age", ages[k]));
    }
    /* Not a vacuous comparison: the history has findings in the scope. */
    assert_true(got(json_object_get(stats, "totals"), "findings", "opened", "total") > 0);
    json_decref(stats);
    json_decref(m);
}

static void compare_all(world *w)
{
    compare(w, &w->sys, 0, 0);
    compare(w, &w->member, w->team[T_PSIRT], 0);
    compare(w, &w->sys, 0, w->asset0 + (int64_t)rnd(w, (unsigned)w->nassets));
}

/* ---- random changes through the real functions ---------------------------- */

/* An existing row of table with an id at or after a random one of n
 * from first (0 when none is left). */
static int64_t random_row(world *w, const char *table, int64_t first, int64_t n)
{
    xsirt_db_value p[1] = {XSIRT_DB_INTV(first + (int64_t)rnd(w, (unsigned)n))};
    char sql[128];
    xsirt_error err;
    int64_t id = 0;

    snprintf(sql, sizeof sql, "SELECT COALESCE(MIN(id), 0) FROM %s WHERE id >= ?", table);
    assert_int_equal(xsirt_db_query_int(&id, w->db, sql, p, 1, &err), 0);
    return id;
}

static int64_t random_finding(world *w)
{
    return random_row(w, "findings", 1, w->nfindings);
}

static int64_t random_asset(world *w)
{
    return random_row(w, "assets", w->asset0, w->nassets);
}

static void random_decision(world *w)
{
    static const char *const states[] = {"in_triage", "exploitable", "resolved", "false_positive", "not_affected"};
    const char *st = states[rnd(w, 5)];
    json_t *in = json_pack("{s:s}", "state", st), *out = NULL;
    int64_t id = random_finding(w);
    xsirt_error err;

    if (strcmp(st, "not_affected") == 0)
        json_object_set_new(in, "justification", json_string("code_not_reachable"));
    if (id != 0 && xsirt_finding_update(&out, w->db, &w->sys, id, 0, in, &err) != 0)
        fail_msg("finding %lld -> %s: %s", (long long)id, st, err.message);
    json_decref(in);
    json_decref(out);
}

static void random_enrich(world *w)
{
    char vuln[32];
    json_t *rec;
    xsirt_error err;
    size_t n = 0;

    snprintf(vuln, sizeof vuln, "CVE-2025-%u", rnd(w, 5000));
    rec = json_pack("[{s:s, s:b, s:f}]", "id", vuln, "kev", rnd(w, 2) == 0, "epss", rnd(w, 100) / 100.0);
    if (xsirt_finding_enrich(&n, w->db, rec, &err) != 0)
        fail_msg("enrich %s: %s", vuln, err.message);
    json_decref(rec);
}

/* A scan that finds nothing: every active finding of the asset goes. */
static void random_empty_scan(world *w)
{
    xsirt_findings none;
    xsirt_error err;
    size_t n = 0;
    int64_t asset = random_asset(w);

    memset(&none, 0, sizeof none);
    if (asset == 0)
        return;
    assert_int_equal(xsirt_db_begin(w->db, &err), 0);
    if (xsirt_finding_record(&n, w->db, asset, 0, &none, &err) != 0)
        fail_msg("empty scan: %s", err.message);
    assert_int_equal(xsirt_db_commit(w->db, &err), 0);
}

static void random_move(world *w)
{
    json_t *in = json_pack("{s:I}", "team", (json_int_t)w->team[rnd(w, NTEAMS)]), *out = NULL;
    int64_t asset = random_asset(w);
    xsirt_error err;

    if (asset != 0 && xsirt_asset_update(&out, w->db, &w->sys, asset, 0, in, &err) != 0)
        fail_msg("move asset %lld: %s", (long long)asset, err.message);
    json_decref(in);
    json_decref(out);
}

static void random_delete(world *w)
{
    int64_t asset = random_asset(w);
    xsirt_error err;

    if (asset != 0 && xsirt_asset_delete(w->db, &w->sys, asset, &err) != 0)
        fail_msg("delete asset %lld: %s", (long long)asset, err.message);
}

/* ---- the tests ------------------------------------------------------------- */

/* Statistics against a plain count over the same rows, in the same run. */
static void bench(world *w)
{
    xsirt_metrics_query q;
    xsirt_error err;
    json_t *stats = NULL;
    int64_t n = 0;
    double t0, ts, tc;

    assert_int_equal(xsirt_metrics_query_parse(&q, NULL, "2024-01-01", "2026-12-31", "month", &err), 0);
    t0 = now_ms();
    assert_int_equal(xsirt_metrics_statistics(&stats, w->db, &w->sys, &q, &err), 0);
    ts = now_ms() - t0;
    json_decref(stats);
    t0 = now_ms();
    assert_int_equal(xsirt_db_query_int(&n, w->db, "SELECT COUNT(*) FROM findings f JOIN assets a ON a.id = "
                                        "f.asset_id WHERE f.closed_at IS NULL", NULL, 0, &err), 0);
    tc = now_ms() - t0;
    print_message("scale: statistics (36 months, every figure) %.1f ms; plain SQL count of open findings "
                  "%.1f ms; ratio %.2f\n", ts, tc, tc > 0 ? ts / tc : 0.0);
    /* The quarterly report over the same history, as the API makes it. */
    {
        json_t *doc = NULL;
        char *pdf = NULL;
        size_t size = 0;
        double tr;
        t0 = now_ms();
        if (xsirt_management_quarter(&doc, w->db, &w->sys, 0, "2026-Q3", "ja", &err) != 0 ||
            xsirt_document_pdf(&pdf, &size, doc, &err) != 0)
            fail_msg("report: %s", err.message);
        tr = now_ms() - t0;
        print_message("scale: quarterly report 2026-Q3 as PDF %.0f ms (%zu bytes); ratio to the statistics "
                      "%.1f\n", tr, size, ts > 0 ? tr / ts : 0.0);
        assert_true(size > 1000 && memcmp(pdf, "%PDF-", 5) == 0);
        free(pdf);
        json_decref(doc);
    }
}

static void test_differential(void **state)
{
    world *w = *state;
    double t0;

    gen_history(w);
    t0 = now_ms();
    compare_all(w);
    print_message("scale: comparison after the rebuild %.0f ms\n", now_ms() - t0);
    bench(w);
    /* Two rounds at full size (each comparison reads every closed finding). */
    for (int round = 0; round < (w->nfindings >= 500000 ? 2 : 4); round++) {
        double t[6];
        t[0] = now_ms();
        for (int k = 0; k < 40; k++)
            random_decision(w);
        t[1] = now_ms();
        for (int k = 0; k < 5; k++)
            random_enrich(w);
        t[2] = now_ms();
        random_empty_scan(w);
        t[3] = now_ms();
        random_move(w);
        if (round % 2 == 1)
            random_delete(w);
        t[4] = now_ms();
        compare_all(w);
        t[5] = now_ms();
        print_message("scale: round %d: decisions %.0f ms, enrichment %.0f ms, empty scan %.0f ms, move and "
                      "delete %.0f ms, comparison %.0f ms\n", round, t[1] - t[0], t[2] - t[1], t[3] - t[2],
                      t[4] - t[3], t[5] - t[4]);
    }
    /* And a rebuild of the edited history gives the same figures. */
    {
        xsirt_error err;
        assert_int_equal(xsirt_db_begin(w->db, &err), 0);
        assert_int_equal(xsirt_metrics_rebuild(w->db, &err), 0);
        assert_int_equal(xsirt_db_commit(w->db, &err), 0);
    }
    compare_all(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_differential, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
