/*
 * metrics.c — benchmark of the statistics and reports (docs/performance.md).
 *
 * Generates a history of cases (100,000 by default, or argv[1]) in a fresh
 * SQLite database and prints, each against a floor measured in the same
 * run:
 *   - inserting the cases with the counter hooks vs inserting them alone
 *     (what keeping the metrics incrementally costs a write);
 *   - GET /statistics for two years by month (summing counters) vs a plain
 *     SQL count of the same cases by month (the least any answer costs);
 *   - the quarterly report as PDF and as HTML vs the statistics it reads.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "report/document.h"
#include "report/management.h"
#include "store/clock.h"
#include "store/metrics.h"
#include "store/store.h"

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);   /* CPU time: the machine may be shared */
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static unsigned seed = 7;
static unsigned rnd(unsigned n)
{
    seed = seed * 1103515245u + 12345u;
    return (seed >> 8) % n;
}

static void die(const char *what, const xsirt_error *err)
{
    fprintf(stderr, "bench_metrics: %s: %s\n", what, err != NULL ? err->message : "");
    exit(1);
}

/* Inserts n cases between 2025-01-01 and 2026-11-30; with hooks, records
 * each in the counters. */
static double insert(xsirt_db *db, int n, int64_t *teams, bool hooks)
{
    static const char *const sevs[] = {"low", "medium", "high", "critical"};
    static const char *const tlps[] = {"CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED"};
    static const char *const cls[] = {"rsit:fraud=\"phishing\"", "rsit:availability=\"ddos\"",
                                      "rsit:malicious-code=\"infected-system\"", NULL};
    xsirt_error err;
    double t0 = now();

    if (xsirt_db_begin(db, &err) != 0)
        die("begin", &err);
    for (int i = 0; i < n; i++) {
        time_t c = 1735689600 + (time_t)rnd(699 * 86400);
        char tc[XSIRT_TIME_MAX], ta[XSIRT_TIME_MAX], tx[XSIRT_TIME_MAX], td[XSIRT_TIME_MAX];
        bool closed = rnd(3) != 0;
        xsirt_db_value p[10];
        xsirt_db_rows *r = NULL;
        xsirt_clock_format(tc, c, 0);
        xsirt_clock_format(ta, c + (time_t)rnd(86400), 0);
        xsirt_clock_format(tx, c + (time_t)rnd(40 * 86400), 0);
        xsirt_clock_format(td, c + 30 * 86400, 0);
        p[0] = XSIRT_DB_INTV(teams[rnd(3)]);
        p[1] = XSIRT_DB_TEXTV(closed ? "closed" : "triage");
        p[2] = XSIRT_DB_TEXTV(sevs[rnd(4)]);
        p[3] = XSIRT_DB_TEXTV(cls[rnd(4)]);
        p[4] = XSIRT_DB_TEXTV(tlps[rnd(5)]);
        p[5] = XSIRT_DB_TEXTV(ta);
        p[6] = XSIRT_DB_TEXTV(closed ? tx : NULL);
        p[7] = XSIRT_DB_TEXTV(td);
        p[8] = XSIRT_DB_TEXTV(tc);
        p[9] = XSIRT_DB_TEXTV(tc);
        if (xsirt_db_query(&r, db, "INSERT INTO cases (kind, title, team_id, state, severity, classification, "
                                   "tlp, acknowledged_at, closed_at, due_remediate, created_at, updated_at) VALUES "
                                   "('incident', 'generated', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                           p, 10, &err) != 0)
            die("insert", &err);
        if (hooks && xsirt_metrics_case_record(db, xsirt_db_rows_int(r, 0, 0), &err) != 0)
            die("record", &err);
        xsirt_db_rows_free(r);
    }
    if (xsirt_db_commit(db, &err) != 0)
        die("commit", &err);
    return now() - t0;
}

static xsirt_db *fresh(const char *dir, const char *name, int64_t *teams)
{
    char target[512];
    xsirt_store_admin admin;
    xsirt_error err;
    xsirt_db *db;

    snprintf(target, sizeof target, "%s/%s.db", dir, name);
    if (xsirt_db_open(&db, target, &err) != 0 || xsirt_store_initialise(&admin, db, &err) != 0)
        die("open", &err);
    for (int i = 0; i < 3; i++) {
        char sql[256];
        snprintf(sql, sizeof sql, "INSERT INTO teams (name, kind, parent_id, created_at, updated_at) VALUES "
                                  "('team%d', 'CSIRT', %s, 'x', 'x')", i, i == 0 ? "NULL" : "1");
        if (xsirt_db_exec(db, sql, NULL, 0, NULL, &err) != 0)
            die("team", &err);
        teams[i] = i + 1;
    }
    return db;
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? (int)strtol(argv[1], NULL, 10) : 100000;
    char dir[] = "/tmp/xsirt-bench-metrics.XXXXXX";
    int64_t teams[3];
    xsirt_principal sys;
    xsirt_metrics_query q;
    xsirt_error err;
    xsirt_db *plain, *db;
    double tp, th, ts, tc, tpdf = 0, thtml = 0;
    const int reps = 20;

    if (n <= 0 || mkdtemp(dir) == NULL)
        return 2;
    xsirt_principal_system(&sys);
    plain = fresh(dir, "plain", teams);
    db = fresh(dir, "hooks", teams);
    seed = 7;
    tp = insert(plain, n, teams, false);
    seed = 7;
    th = insert(db, n, teams, true);
    printf("%d cases: insert %.2f s, insert + counters %.2f s: %.2fx\n", n, tp, th, th / tp);

    if (xsirt_metrics_query_parse(&q, NULL, "2025-01-01", "2026-12-31", "month", &err) != 0)
        die("query", &err);
    tc = now();
    for (int i = 0; i < reps; i++) {
        xsirt_db_rows *r = NULL;
        if (xsirt_db_query(&r, db, "SELECT substr(created_at, 1, 7), COUNT(*) FROM cases WHERE created_at >= "
                                   "'2025-01-01' GROUP BY 1", NULL, 0, &err) != 0)
            die("count", &err);
        xsirt_db_rows_free(r);
    }
    tc = (now() - tc) / reps;
    ts = now();
    for (int i = 0; i < reps; i++) {
        json_t *st = NULL;
        if (xsirt_metrics_statistics(&st, db, &sys, &q, &err) != 0)
            die("statistics", &err);
        json_decref(st);
    }
    ts = (now() - ts) / reps;
    printf("statistics, 24 months, every figure: %.2f ms; plain SQL count by month: %.2f ms: %.2fx\n",
           ts * 1e3, tc * 1e3, ts / tc);
    for (int i = 0; i < 5; i++) {
        json_t *doc = NULL;
        char *out = NULL;
        size_t size;
        double t0 = now();
        if (xsirt_management_quarter(&doc, db, &sys, 0, "2026-Q3", i % 2 ? "en" : "ja", &err) != 0 ||
            xsirt_document_pdf(&out, &size, doc, &err) != 0)
            die("report", &err);
        tpdf += now() - t0;
        free(out);
        t0 = now();
        if (xsirt_document_html(&out, &size, doc, &err) != 0)
            die("html", &err);
        thtml += now() - t0;
        free(out);
        json_decref(doc);
    }
    printf("quarterly report: PDF %.1f ms, HTML (rendering only) %.2f ms; PDF vs statistics: %.1fx\n",
           tpdf / 5 * 1e3, thtml / 5 * 1e3, tpdf / 5 / ts);
    xsirt_db_close(plain);
    xsirt_db_close(db);
    return 0;
}
