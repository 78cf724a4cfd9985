/*
 * metrics.h — the team's figures as time series (docs/metrics.md), kept
 * incrementally: every change that moves a figure updates the counters in
 * metric_counts in the same transaction, so a statistics request sums a
 * few counter rows per day instead of scanning the cases' history.
 *
 * The idea: a case's contribution to the counters is a pure function of
 * its row (and of its containment transition and escalations). A write
 * retracts the case's old contribution before it changes anything and
 * records the new one after; a deletion only retracts. case.c calls both
 * from its begin/finish-write helpers, so no write path can forget them.
 *
 * Counters are keyed by (team, day, TLP, metric, key). Keying by TLP is
 * what lets the statistics honour visibility: TLP:RED rows are summed
 * only for callers who may see every RED case (admins).
 *
 * Findings follow the same idea (xsirt_metrics_finding_begin/end around
 * each change in finding.c, xsirt_metrics_findings_apply for an upload's
 * new findings and an asset's deletion or move); vendor response times
 * and published advisories are part of their case's contribution
 * (docs/metrics.md, "Findings, coordination and advisories").
 */
#ifndef XSIRT_METRICS_H
#define XSIRT_METRICS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"
#include "store/principal.h"

/* Duration histogram: bucket i holds durations in (edge(i-1), edge(i)]
 * seconds; edges grow by a quarter from one minute, the last bucket is
 * open. A median read from it is at most 25 % above the true value. */
#define XSIRT_METRICS_BUCKETS 80

/* The bucket index of a duration in seconds, and a bucket's upper edge
 * (INT64_MAX for the last, open bucket). */
int xsirt_metrics_bucket(int64_t seconds);
int64_t xsirt_metrics_edge(int bucket);

/* Adds delta to one counter (a row appears at its first use). */
int xsirt_metrics_add(xsirt_db *db, int64_t team, const char *day, const char *tlp,
                      const char *metric, const char *key, int64_t delta, xsirt_error *err);

/* The case hooks: subtract the case's contribution (before a change or a
 * deletion) and add it back (after a change or a creation). A case that
 * does not exist contributes nothing. */
int xsirt_metrics_case_retract(xsirt_db *db, int64_t case_id, xsirt_error *err);
int xsirt_metrics_case_record(xsirt_db *db, int64_t case_id, xsirt_error *err);

/* The findings hooks (docs/metrics.md, "Findings"): a finding's
 * contribution is a function of the fields below. begin reads them before
 * a change, end after it: end first keeps closed_at true to the state (set
 * when the finding stops being open — inactive, or resolved, false
 * positive, not affected — cleared when it is open again), then moves the
 * counters only when a field changed (an unchanged finding costs two
 * reads). A finding that does not exist (yet, or any more) has found ==
 * false and contributes nothing. */
typedef struct xsirt_metrics_finding {
    int64_t id, team, asset;
    bool found, open, kev;
    char priority[4];
    char first_seen[32], closed_at[32], due[32];   /* "" when NULL */
} xsirt_metrics_finding;

int xsirt_metrics_finding_begin(xsirt_metrics_finding *f, xsirt_db *db, int64_t id, xsirt_error *err);
int xsirt_metrics_finding_end(const xsirt_metrics_finding *before, xsirt_db *db, xsirt_error *err);

/* Adds (delta 1) or subtracts (-1) the contribution of every finding a
 * WHERE clause on alias f (and a on its asset) selects, summed in memory
 * first: new findings of an upload, all findings of an asset that is
 * deleted or moves to another team. where is a literal of the caller's,
 * never input. */
int xsirt_metrics_findings_apply(xsirt_db *db, const char *where, const xsirt_db_value *params, size_t np,
                                 int64_t delta, xsirt_error *err);

/* Adds the contribution of counts[i] findings like kinds[i], each i
 * (kinds[i].found true): an upload's new findings, which differ only by
 * priority and KEV, counted as they are inserted instead of read back. */
int xsirt_metrics_findings_add(xsirt_db *db, const xsirt_metrics_finding *kinds, const int64_t *counts,
                               size_t n, xsirt_error *err);

/* Recomputes every counter from the cases and findings (repair after an
 * import that bypassed the hooks; the migration that added the findings'
 * counters runs it once), summing in memory before writing. */
int xsirt_metrics_rebuild(xsirt_db *db, xsirt_error *err);

typedef enum xsirt_metrics_interval {
    XSIRT_INTERVAL_WEEK,
    XSIRT_INTERVAL_MONTH,
    XSIRT_INTERVAL_QUARTER,
} xsirt_metrics_interval;

typedef struct xsirt_metrics_query {
    int64_t team;                       /* 0: every team the caller belongs to */
    int64_t asset;                      /* not 0: the findings figures of this asset */
    char from[11], to[11];              /* days YYYY-MM-DD, both included */
    xsirt_metrics_interval interval;
} xsirt_metrics_query;

/* Parses the API's arguments (any may be NULL: defaults) into q; on a bad
 * one fills err with the field's name as pointer. */
int xsirt_metrics_query_parse(xsirt_metrics_query *q, const char *team, const char *from,
                              const char *to, const char *interval, xsirt_error *err);

/* The optional asset argument (after xsirt_metrics_query_parse): an
 * asset's findings figures instead of a team's; not with a team. */
int xsirt_metrics_query_asset(xsirt_metrics_query *q, const char *asset, xsirt_error *err);

/* 0 when team is 0 or by is an admin or a member of team or of a team
 * above it; XSIRT_ENOTFOUND (pointer "team") otherwise. The rule for
 * every per-team figure: statistics, reports, readiness. */
int xsirt_metrics_check_team(xsirt_db *db, const xsirt_principal *by, int64_t team, xsirt_error *err);

/* The statistics of docs/metrics.md for by: XSIRT_ENOTFOUND when the team
 * does not exist or by is not a member of it or of an ancestor. */
int xsirt_metrics_statistics(json_t **out, xsirt_db *db, const xsirt_principal *by,
                             const xsirt_metrics_query *q, xsirt_error *err);

/* The assets of team's tree (the caller's teams when 0) with the most
 * open findings — most P1, then P2, then in all — at most limit of them:
 * [{"asset","name","version","open","kev","priority":{"P1":n,...}}], from
 * the counters. The same visibility as the statistics. */
int xsirt_metrics_top_assets(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t team, size_t limit,
                             xsirt_error *err);

/* The same figures as CSV rows "period,start,end,figure,key,value"
 * (UTF-8 with a byte-order mark, so spreadsheet programs read Japanese
 * team names right). *out is malloc'd. */
int xsirt_metrics_csv(char **out, size_t *size, const json_t *statistics, xsirt_error *err);

#endif
