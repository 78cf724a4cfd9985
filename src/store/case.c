/*
 * case.c — cases (see case.h): create, read, update with optimistic
 * concurrency, workflow transitions, lists with filters, and the parts of
 * a case (timeline, tasks, participants, links).
 *
 * Every read goes through one visibility predicate (case_visible_sql) so
 * that get, list, search and every sub-resource apply the same TLP rules;
 * every write runs in one transaction with its timeline event and audit
 * record, so a change is never half-recorded. The audit record of a case
 * also carries its timeline's hash chain and new events, so that `xsirt
 * audit verify` can check the rows against the chain (case_verify_one).
 * A case someone may not see appears nowhere to them: not in links, not
 * in link events, not in the audit log (xsirt_case_redact_audit).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/str.h"
#include "formats/jsonw.h"
#include "store/asset.h"
#include "store/audit.h"
#include "store/case.h"
#include "store/clock.h"
#include "store/escalation.h"
#include "store/finding.h"
#include "store/outbox.h"
#include "store/json_input.h"
#include "store/knowledge.h"
#include "store/metrics.h"
#include "store/service_level.h"
#include "store/store.h"
#include "store/team.h"
#include "store/workflow.h"
#include "xsirt/cvss.h"
#include "xsirt/limits.h"

#define CASE_MAX_PARAMS 48
#define CASE_LABEL_MAX 64
#define CASE_LIST_DEFAULT XSIRT_LIMIT_PAGE_DEFAULT
#define CASE_LIST_MAX XSIRT_LIMIT_PAGE_ITEMS

static const char *const case_tlps[] = {"CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED", NULL};
static const char *const case_severities[] = {"none", "low", "medium", "high", "critical", NULL};
static const char *const case_participant_roles[] = {"internal", "reporter", "finder", "supplier",
                                                     "customer", "coordinator", "vendor", "other",
                                                     NULL};
static const char *const case_link_kinds[] = {"duplicate-of", "related", "parent-of", "child-of",
                                              NULL};

static const xsirt_field case_fields[] = {
    {"title", XSIRT_FIELD_STRING, true, false, 500},
    {"description", XSIRT_FIELD_STRING, false, false, 256 * 1024},
    {"kind", XSIRT_FIELD_STRING, true, false, 64},
    {"team", XSIRT_FIELD_INTEGER, true, false, 0},
    {"assignee", XSIRT_FIELD_INTEGER, false, true, 0},
    {"severity", XSIRT_FIELD_STRING, false, true, 16},
    {"cvss", XSIRT_FIELD_STRING, false, true, 512},
    {"priority", XSIRT_FIELD_STRING, false, true, 32},
    {"classification", XSIRT_FIELD_STRING, false, true, 200},
    {"tlp", XSIRT_FIELD_STRING, false, false, 16},
    {"labels", XSIRT_FIELD_ARRAY, false, false, 50},
    {"due", XSIRT_FIELD_TIME, false, true, 64},
    {"embargo", XSIRT_FIELD_TIME, false, true, 64},
    {"resolution", XSIRT_FIELD_STRING, false, true, 4096},
    {"references", XSIRT_FIELD_ARRAY, false, false, 200},
    {"findings", XSIRT_FIELD_ARRAY, false, false, XSIRT_LIMIT_BATCH},   /* issue 11 */
    {NULL, 0, false, false, 0},
};

/* ---- bound parameters -------------------------------------------------- */

typedef struct case_params {
    xsirt_db_value v[CASE_MAX_PARAMS];
    size_t n;
} case_params;

static void cp_int(case_params *p, int64_t i)
{
    if (p->n < CASE_MAX_PARAMS)
        p->v[p->n++] = XSIRT_DB_INTV(i);
}

static void cp_text(case_params *p, const char *s)
{
    if (p->n < CASE_MAX_PARAMS)
        p->v[p->n++] = XSIRT_DB_TEXTV(s);
}

/* ---- visibility -------------------------------------------------------- */

/* The teams whose cases the user sees as a member: the teams they belong
 * to and every team below those. Must start the statement. */
#define CASE_MINE_CTE \
    "WITH RECURSIVE mine(id) AS (SELECT team_id FROM team_members WHERE user_id = ? " \
    "UNION SELECT t.id FROM teams t JOIN mine ON t.parent_id = mine.id) "
static const char case_mine_cte[] = CASE_MINE_CTE;

static void case_mine_params(case_params *p, const xsirt_principal *by)
{
    cp_int(p, by->user_id);
}

/* The TLP rule of case.h as a predicate on alias c. An external account
 * (a party's, user kind external) sees no case this way, not even CLEAR:
 * what it sees of its cases is the portal's view (portal.h). */
#define CASE_VISIBLE_SQL \
    "(? = 0 AND (? = 1 OR c.tlp = 'CLEAR'" \
    " OR (c.tlp = 'RED' AND EXISTS (SELECT 1 FROM case_participants p" \
    "     WHERE p.case_id = c.id AND p.user_id = ?))" \
    " OR (c.tlp IN ('AMBER+STRICT','AMBER','GREEN') AND c.team_id IN (SELECT id FROM mine))" \
    " OR (c.tlp IN ('AMBER','GREEN') AND EXISTS (SELECT 1 FROM case_participants p" \
    "     WHERE p.case_id = c.id AND (p.user_id = ? OR p.team_id IN (SELECT id FROM mine)" \
    "     OR (? <> 0 AND p.organisation_id = ?))))" \
    " OR (c.tlp = 'GREEN' AND ? = 1 AND EXISTS (SELECT 1 FROM team_members m" \
    "     WHERE m.user_id = ?))))"
static const char case_visible_sql[] = CASE_VISIBLE_SQL;

static void case_visible_params(case_params *p, const xsirt_principal *by)
{
    cp_int(p, by->external ? 1 : 0);
    cp_int(p, by->admin ? 1 : 0);
    cp_int(p, by->user_id);
    cp_int(p, by->user_id);
    cp_int(p, by->organisation_id);
    cp_int(p, by->organisation_id);
    cp_int(p, by->organisation_id == 0 ? 1 : 0);
    cp_int(p, by->user_id);
}

/* 0 when the case exists and by may see it; XSIRT_ENOTFOUND otherwise. */
static int case_check_visible(xsirt_db *db, const xsirt_principal *by, int64_t id,
                              xsirt_error *err)
{
    /* One constant statement (prepared once per connection): every link,
     * event and sub-resource of a case read runs this check. */
    static const char sql[] = CASE_MINE_CTE "SELECT COUNT(*) FROM cases c WHERE c.id = ? AND "
                              CASE_VISIBLE_SQL;
    case_params p = {.n = 0};
    int64_t n = 0;
    int rc;

    case_mine_params(&p, by);
    cp_int(&p, id);
    case_visible_params(&p, by);
    rc = xsirt_db_query_int(&n, db, sql, p.v, p.n, err);
    if (rc == 0 && n == 0)
        rc = xsirt_error_set(err, XSIRT_ENOTFOUND, "no case %lld", (long long)id);
    return rc;
}

bool xsirt_case_visible_to(xsirt_db *db, const xsirt_principal *by, int64_t id)
{
    if (by->admin)
        return true;
    return case_check_visible(db, by, id, NULL) == 0;
}

static int case_check_writable(xsirt_db *db, const xsirt_principal *by, int64_t id,
                               int64_t team_id, xsirt_error *err);

int xsirt_case_check_write(xsirt_db *db, const xsirt_principal *by, int64_t id, xsirt_error *err)
{
    int64_t team = 0;
    xsirt_db_value p[1] = {XSIRT_DB_INTV(id)};
    int rc;

    if ((rc = case_check_visible(db, by, id, err)) != 0 ||
        (rc = xsirt_db_query_int(&team, db, "SELECT team_id FROM cases WHERE id = ?", p, 1,
                                 err)) != 0)
        return rc;
    return case_check_writable(db, by, id, team, err);
}

/* A case someone may not see appears nowhere to them: drops from c's
 * links those whose target by may not see. */
static void case_hide_links(json_t *c, xsirt_db *db, const xsirt_principal *by)
{
    json_t *links = json_object_get(c, "links");

    for (size_t i = json_array_size(links); i-- > 0;)
        if (!xsirt_case_visible_to(db, by, json_integer_value(json_object_get(json_array_get(links, i),
                                                                          "target"))))
            json_array_remove(links, i);
    /* Nor does an asset: the findings a case was opened for, and their
     * assets, are listed only to those who see the assets. */
    if (by->admin)
        return;
    links = json_object_get(c, "findings");
    for (size_t i = json_array_size(links); i-- > 0;)
        if (!xsirt_finding_visible(db, by, json_integer_value(json_array_get(links, i))))
            json_array_remove(links, i);
    links = json_object_get(c, "assets");
    for (size_t i = json_array_size(links); i-- > 0;)
        if (!xsirt_asset_sees(db, by, json_integer_value(json_array_get(links, i))))
            json_array_remove(links, i);
}

/* Writing needs more than seeing: admin, lead or member of the owning team
 * (not viewer), the assignee, or a named internal participant. */
static int case_check_writable(xsirt_db *db, const xsirt_principal *by, int64_t id,
                               int64_t team_id, xsirt_error *err)
{
    xsirt_db_value p[3] = {XSIRT_DB_INTV(id), XSIRT_DB_INTV(by->user_id), XSIRT_DB_INTV(by->user_id)};
    char role[16];
    int64_t n = 0;
    int rc;

    if (by->admin)
        return 0;
    if ((rc = xsirt_team_role(role, sizeof role, db, team_id, by->user_id, err)) != 0)
        return rc;
    if (strcmp(role, "lead") == 0 || strcmp(role, "member") == 0)
        return 0;
    if (id != 0 &&
        (rc = xsirt_db_query_int(&n, db,
                                 "SELECT COUNT(*) FROM cases c WHERE c.id = ? AND (c.assignee_id = ? OR "
                                 "EXISTS (SELECT 1 FROM case_participants p WHERE p.case_id = c.id AND "
                                 "p.user_id = ? AND p.role = 'internal'))", p, 3, err)) != 0)
        return rc;
    return n > 0 ? 0
           : xsirt_error_set(err, XSIRT_EDENIED,
                             "you may read this case but not change it (team viewers and outside "
                             "participants are read-only)");
}

int xsirt_case_check_access(xsirt_db *db, const xsirt_principal *by, int64_t id, bool write,
                            xsirt_error *err)
{
    xsirt_db_value p[1] = {XSIRT_DB_INTV(id)};
    int64_t team = 0;
    int rc;

    if ((rc = case_check_visible(db, by, id, err)) != 0 || !write)
        return rc;
    if ((rc = xsirt_db_query_int(&team, db, "SELECT team_id FROM cases WHERE id = ?", p, 1, err)) != 0)
        return rc;
    return case_check_writable(db, by, id, team, err);
}

/* ---- reading ------------------------------------------------------------ */

#define CASE_COLUMNS \
    "c.id, c.title, c.description, c.kind, c.team_id AS team, c.state, c.severity, " \
    "c.score10, c.cvss_vector AS cvss, c.priority, c.classification, c.tlp, " \
    "c.assignee_id AS assignee, c.due, c.embargo, c.resolution, c.due_acknowledge, " \
    "c.due_triage, c.due_remediate, c.acknowledged_at, c.triaged_at, c.closed_at, " \
    "c.created_at AS created, c.updated_at AS updated, c.revision"
static const char *const case_ints[] = {"id", "team", "assignee", "score10", "revision", NULL};

static json_t *case_rows_array(const xsirt_db_rows *rows, const char *const *ints)
{
    json_t *a = json_array();

    for (size_t i = 0; a != NULL && i < xsirt_db_rows_count(rows); i++)
        json_array_append_new(a, xsirt_store_row_json(rows, i, ints));
    return a;
}

/* Adds to o[key] the rows of a sub-query on the case id. */
static int case_attach(json_t *o, xsirt_db *db, int64_t id, const char *key, const char *sql,
                       const char *const *ints, xsirt_error *err)
{
    xsirt_db_value p[1] = {XSIRT_DB_INTV(id)};
    xsirt_db_rows *rows;
    int rc = xsirt_db_query(&rows, db, sql, p, 1, err);

    if (rc != 0)
        return rc;
    json_object_set_new(o, key, case_rows_array(rows, ints));
    xsirt_db_rows_free(rows);
    return 0;
}

/* The raw SLA columns that a case shows under "sla" (and score10 as
 * "score"), not as themselves. */
static const char *const case_raw[] = {"due_acknowledge", "due_triage", "due_remediate",
                                       "acknowledged_at", "triaged_at", "closed_at", "score10"};

/* An open case is overdue when a deadline it has not met has passed. */
static bool case_overdue(const char *ack, const char *tri, const char *rem, const char *due,
                         bool unacknowledged, bool untriaged, bool open)
{
    char now[XSIRT_TIME_MAX];

    xsirt_clock_now(now);
    return open && ((ack != NULL && unacknowledged && strcmp(ack, now) < 0) ||
                    (tri != NULL && untriaged && strcmp(tri, now) < 0) ||
                    (rem != NULL && strcmp(rem, now) < 0) || (due != NULL && strcmp(due, now) < 0));
}

/* Moves the raw SLA columns into "sla" and computes "overdue" and "score". */
static void case_shape(json_t *o)
{
    bool overdue = case_overdue(json_string_value(json_object_get(o, "due_acknowledge")),
                                json_string_value(json_object_get(o, "due_triage")),
                                json_string_value(json_object_get(o, "due_remediate")),
                                json_string_value(json_object_get(o, "due")),
                                json_is_null(json_object_get(o, "acknowledged_at")),
                                json_is_null(json_object_get(o, "triaged_at")),
                                json_is_null(json_object_get(o, "closed_at")));
    json_t *score = json_object_get(o, "score10");

    json_object_set_new(o, "score", json_is_integer(score)
                                        ? json_real((double)json_integer_value(score) / 10.0)
                                        : json_null());
    json_object_set_new(o, "sla", json_pack("{s:O, s:O, s:O, s:O, s:O, s:O, s:b}",
                                            "acknowledge", json_object_get(o, "due_acknowledge"),
                                            "triage", json_object_get(o, "due_triage"),
                                            "remediate", json_object_get(o, "due_remediate"),
                                            "acknowledged", json_object_get(o, "acknowledged_at"),
                                            "triaged", json_object_get(o, "triaged_at"),
                                            "closed", json_object_get(o, "closed_at"),
                                            "overdue", overdue));
    for (size_t i = 0; i < sizeof case_raw / sizeof case_raw[0]; i++)
        json_object_del(o, case_raw[i]);
}

/* ---- findings (issue 11) ---------------------------------------------------
 * A case lists the findings it was opened for and their assets; the
 * findings module owns the link (findings.case_id). */
static int case_attach_findings(json_t *o, xsirt_db *db, int64_t id, xsirt_error *err)
{
    json_t *findings = NULL, *assets = NULL;
    int rc = xsirt_finding_of_case(&findings, &assets, db, id, err);

    if (rc == 0) {
        json_object_set_new(o, "findings", findings);
        json_object_set_new(o, "assets", assets);
    }
    return rc;
}

/* The case's row; with by, only when by may see it (the visibility rule
 * and the row in one statement: a read of a case is the server's most
 * frequent request, docs/performance.md). XSIRT_ENOTFOUND (and no rows)
 * when there is none to see. */
static int case_load_row(xsirt_db_rows **rows, xsirt_db *db, int64_t id,
                         const xsirt_principal *by, xsirt_error *err)
{
    static const char plain[] = "SELECT " CASE_COLUMNS " FROM cases c WHERE c.id = ?";
    static const char shown[] = CASE_MINE_CTE "SELECT " CASE_COLUMNS
                                " FROM cases c WHERE c.id = ? AND " CASE_VISIBLE_SQL;
    /* Two clauses of CASE_VISIBLE_SQL alone, and whatever they admit the
     * whole rule admits: a CLEAR case, and a case of a team the reader is
     * a member of itself (the first row of mine). The usual read of a
     * member, answered by index lookups; SQLite builds the recursive CTE
     * of the whole rule as about ten temporary tables (two thirds of a
     * member's read, docs/performance.md), and an IN list as one: the TLPs
     * are compared one by one. Anything else, the whole rule. */
    static const char own[] = "SELECT " CASE_COLUMNS " FROM cases c WHERE c.id = ? AND ? = 0 AND "
                              "(c.tlp = 'CLEAR' OR ((c.tlp = 'AMBER+STRICT' OR c.tlp = 'AMBER' "
                              "OR c.tlp = 'GREEN') AND "
                              "EXISTS (SELECT 1 FROM team_members m WHERE m.user_id = ? AND "
                              "m.team_id = c.team_id)))";
    case_params p = {.n = 0};
    int rc;

    if (by == NULL || by->admin) {
        cp_int(&p, id);
        rc = xsirt_db_query(rows, db, plain, p.v, p.n, err);
    } else {
        cp_int(&p, id);
        cp_int(&p, by->external ? 1 : 0);
        cp_int(&p, by->user_id);
        if ((rc = xsirt_db_query(rows, db, own, p.v, p.n, err)) != 0)
            return rc;
        if (xsirt_db_rows_count(*rows) > 0)
            return 0;
        xsirt_db_rows_free(*rows);
        *rows = NULL;
        p.n = 0;
        case_mine_params(&p, by);
        cp_int(&p, id);
        case_visible_params(&p, by);
        rc = xsirt_db_query(rows, db, shown, p.v, p.n, err);
    }
    if (rc == 0 && xsirt_db_rows_count(*rows) == 0) {
        xsirt_db_rows_free(*rows);
        *rows = NULL;
        rc = xsirt_error_set(err, XSIRT_ENOTFOUND, "no case %lld", (long long)id);
    }
    return rc;
}

/* Labels, references and links: short lists, mostly empty, read in one
 * statement (a statement costs more than its few rows here). Each part
 * keeps its own order: labels by text, references by kind and value,
 * links by target and kind. */
static int case_load_lists(json_t *o, xsirt_db *db, int64_t id, xsirt_error *err)
{
    static const char sql[] =
        "SELECT 1 AS part, 0 AS n, label AS a, '' AS b FROM case_labels WHERE case_id = ? "
        "UNION ALL SELECT 2, 0, kind, value FROM case_references WHERE case_id = ? "
        "UNION ALL SELECT 3, target_id, kind, '' FROM case_links WHERE case_id = ? "
        "ORDER BY 1, 2, 3, 4";
    xsirt_db_value p[3] = {XSIRT_DB_INTV(id), XSIRT_DB_INTV(id), XSIRT_DB_INTV(id)};
    xsirt_db_rows *rows = NULL;
    json_t *labels = json_array(), *refs = json_array(), *links = json_array();
    int rc = xsirt_db_query(&rows, db, sql, p, 3, err);

    for (size_t i = 0; rc == 0 && i < xsirt_db_rows_count(rows); i++) {
        int64_t part = xsirt_db_rows_int(rows, i, 0);
        const char *a = xsirt_db_rows_text(rows, i, 2), *b = xsirt_db_rows_text(rows, i, 3);
        if (part == 1)
            json_array_append_new(labels, json_string(a));
        else if (part == 2)
            json_array_append_new(refs, json_pack("{s:s, s:s}", "kind", a, "value", b));
        else
            json_array_append_new(links, json_pack("{s:I, s:s}", "target",
                                                   (json_int_t)xsirt_db_rows_int(rows, i, 1),
                                                   "kind", a));
    }
    if (rc == 0)
        xsirt_db_rows_free(rows);
    json_object_set_new(o, "labels", labels);
    json_object_set_new(o, "references", refs);
    json_object_set_new(o, "participants", json_null());   /* its place in the order */
    json_object_set_new(o, "links", links);
    return rc;
}

/* A case as the API shows it. With by, XSIRT_ENOTFOUND unless by may see
 * it (its links and findings are then filtered by case_hide_links); NULL:
 * no visibility check (callers checked first). */
static int case_load(json_t **out, xsirt_db *db, int64_t id, const xsirt_principal *by,
                     xsirt_error *err)
{
    static const char *const part_ints[] = {"id", "team", "user", "organisation", "credit",
                                            NULL};
    xsirt_db_rows *rows;
    json_t *o;
    int rc;

    *out = NULL;
    if ((rc = case_load_row(&rows, db, id, by, err)) != 0)
        return rc;
    o = xsirt_store_row_json(rows, 0, case_ints);
    xsirt_db_rows_free(rows);
    if (o == NULL)
        return xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    rc = case_load_lists(o, db, id, err);
    if (rc == 0)
        rc = case_attach(o, db, id, "participants",
                         "SELECT id, role, team_id AS team, user_id AS user, organisation_id AS "
                         "organisation, name, email, credit FROM case_participants WHERE case_id = ? "
                         "ORDER BY id",
                         part_ints, err);
    if (rc == 0)
        rc = case_attach_findings(o, db, id, err);
    if (rc != 0) {
        json_decref(o);
        return rc;
    }
    case_shape(o);
    *out = o;
    return 0;
}

/* A case is read in one snapshot: its row and its lists agree with each
 * other. On SQLite that is also cheaper than each statement's own read
 * transaction (a lock and an unlock of the WAL each, docs/performance.md);
 * PostgreSQL would pay two more round trips, and reads a statement's
 * snapshot consistently anyway for the row, so it is left as it is. */
int xsirt_case_get(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                   xsirt_error *err)
{
    bool snapshot = xsirt_db_backend_of(db) == XSIRT_DB_SQLITE && !xsirt_db_in_transaction(db);
    int rc;

    *out = NULL;
    if (snapshot && (rc = xsirt_db_begin_read(db, err)) != 0)
        return rc;
    rc = case_load(out, db, id, by, err);
    if (rc == 0)
        case_hide_links(*out, db, by);
    if (snapshot)
        xsirt_db_rollback(db);   /* nothing was written: ending it is all */
    return rc;
}

/* ---- a case as JSON text (the API's GET) ----------------------------------
 * The same answer as xsirt_case_get's tree dumped compact, byte for byte
 * (tests/unit/test_case_text.c compares them), written straight from the
 * rows: building, dumping and freeing a tree of about 40 values was a
 * third of what a read of a case cost the server (docs/performance.md).
 * Its lists come in one statement instead of three. */

/* Every list of a case in one statement: each part keeps the tree path's
 * order (labels by text, references by kind and value, links by target
 * and kind, participants and findings by id). Columns: part, n (link
 * target, participant or finding id), a, b (texts), t, u, o, cr (ints),
 * e (text). The first part's NULLs are typed: PostgreSQL types a column
 * of a UNION from its first two parts (NULL and NULL would be text). */
#define CASE_PARTS_SQL \
    "SELECT 1 AS part, 0 AS n, label AS a, '' AS b, CAST(NULL AS BIGINT) AS t, " \
    "CAST(NULL AS BIGINT) AS u, CAST(NULL AS BIGINT) AS o, CAST(NULL AS BIGINT) AS cr, " \
    "CAST(NULL AS TEXT) AS e FROM case_labels WHERE case_id = ? " \
    "UNION ALL SELECT 2, 0, kind, value, NULL, NULL, NULL, NULL, NULL " \
    "FROM case_references WHERE case_id = ? " \
    "UNION ALL SELECT 3, target_id, kind, '', NULL, NULL, NULL, NULL, NULL " \
    "FROM case_links WHERE case_id = ? " \
    "UNION ALL SELECT 4, id, role, name, team_id, user_id, organisation_id, credit, email " \
    "FROM case_participants WHERE case_id = ? " \
    "UNION ALL SELECT 5, f.id, '', '', f.asset_id, NULL, NULL, NULL, NULL " \
    "FROM (SELECT id, asset_id FROM findings WHERE case_id = ? ORDER BY id LIMIT 1000) f "
/* On PostgreSQL the order is the database's (its collation orders text as
 * the tree path's statements do); on SQLite it is put in order here
 * (ct_item_cmp: SQLite's BINARY collation is strcmp's order): in SQL it
 * took a temporary B-tree for each of the five parts, a third of the
 * statement's cost. */
static const char case_parts_sql_pg[] = CASE_PARTS_SQL "ORDER BY 1, 2, 3, 4";
static const char case_parts_sql_sqlite[] = CASE_PARTS_SQL;

enum { CP_PART, CP_N, CP_A, CP_B, CP_T, CP_U, CP_O, CP_CR, CP_E };

/* A row of the parts, with its sort key. */
typedef struct ct_item {
    int64_t part, n, t;
    const char *a, *b;
    size_t row;
} ct_item;

/* SQLite's order of two texts: NULL first, then BINARY (strcmp's). */
static int ct_text_cmp(const char *a, const char *b)
{
    if (a == NULL || b == NULL)
        return (a != NULL) - (b != NULL);
    return strcmp(a, b);
}

static int ct_item_cmp(const void *x, const void *y)
{
    const ct_item *p = x, *q = y;
    int c;

    if (p->part != q->part)
        return p->part < q->part ? -1 : 1;
    if (p->n != q->n)
        return p->n < q->n ? -1 : 1;
    if ((c = ct_text_cmp(p->a, q->a)) != 0)
        return c;
    return ct_text_cmp(p->b, q->b);
}

/* The parts' rows in order, and who reads them. */
typedef struct ct_parts {
    const xsirt_db_rows *rows;
    ct_item *items;
    size_t n;
    xsirt_db *db;
    const xsirt_principal *by;
} ct_parts;

typedef struct case_text {
    xsirt_buf *b;
    int rc;
} case_text;

static void ct_key(case_text *t, bool first, const char *key)
{
    if (t->rc == 0)
        t->rc = xsirt_jsonw_buf_key(t->b, first, key);
}

static void ct_raw(case_text *t, const char *s)
{
    if (t->rc == 0)
        t->rc = xsirt_buf_puts(t->b, s);
}

static void ct_string(case_text *t, const char *s)
{
    if (t->rc == 0)
        t->rc = xsirt_jsonw_buf_string(t->b, s);
}

static void ct_int(case_text *t, int64_t v)
{
    if (t->rc == 0)
        t->rc = xsirt_jsonw_buf_int(t->b, (long long)v);
}

/* Cell (r, c): null, an integer, or a string. */
static void ct_cell(case_text *t, const xsirt_db_rows *rows, size_t r, size_t c, bool integer)
{
    if (xsirt_db_rows_null(rows, r, c))
        ct_raw(t, "null");
    else if (integer)
        ct_int(t, xsirt_db_rows_int(rows, r, c));
    else
        ct_string(t, xsirt_db_rows_text(rows, r, c));
}

/* CASE_COLUMNS in their order, as xsirt_store_row_json types them (an
 * integer in case_ints, else a string), and for the raw SLA columns their
 * place in case_raw (-1: shown as itself). Looked up by place, not by
 * name: 500 string comparisons were a tenth of the text's cost. */
static const struct {
    const char *name;
    bool integer;
    signed char raw;
} case_cols[] = {
    {"id", true, -1}, {"title", false, -1}, {"description", false, -1}, {"kind", false, -1},
    {"team", true, -1}, {"state", false, -1}, {"severity", false, -1}, {"score10", true, 6},
    {"cvss", false, -1}, {"priority", false, -1}, {"classification", false, -1},
    {"tlp", false, -1}, {"assignee", true, -1}, {"due", false, -1}, {"embargo", false, -1},
    {"resolution", false, -1}, {"due_acknowledge", false, 0}, {"due_triage", false, 1},
    {"due_remediate", false, 2}, {"acknowledged_at", false, 3}, {"triaged_at", false, 4},
    {"closed_at", false, 5}, {"created", false, -1}, {"updated", false, -1},
    {"revision", true, -1},
};
#define CASE_COL_DUE 13
#define CASE_COL_REVISION 24
#define CASE_NCOLS (sizeof case_cols / sizeof case_cols[0])

/* The row's columns are case_cols (a changed CASE_COLUMNS must change
 * both). */
static bool ct_columns_known(const xsirt_db_rows *row)
{
    if (xsirt_db_rows_columns(row) != CASE_NCOLS)
        return false;
    for (size_t c = 0; c < CASE_NCOLS; c++)
        if (strcmp(xsirt_db_rows_name(row, c), case_cols[c].name) != 0)
            return false;
    return true;
}

/* The columns of the case's row (all but the raw SLA ones); the raw ones'
 * texts (NULL for null) into raw. */
static void ct_row(case_text *t, const xsirt_db_rows *row, const char **raw)
{
    for (size_t c = 0; c < CASE_NCOLS; c++) {
        if (case_cols[c].raw >= 0) {
            raw[case_cols[c].raw] = xsirt_db_rows_null(row, 0, c) ? NULL : xsirt_db_rows_text(row, 0, c);
            continue;
        }
        ct_key(t, c == 0, case_cols[c].name);
        ct_cell(t, row, 0, c, case_cols[c].integer);
    }
}

/* The rows of one part, between [ and ]; write is called for those the
 * reader may see (shown NULL: all). */
static void ct_part(case_text *t, const ct_parts *ps, int64_t part, const char *key,
                    bool (*shown)(xsirt_db *, const xsirt_principal *, int64_t),
                    void (*write)(case_text *, const xsirt_db_rows *, size_t))
{
    bool first = true;

    ct_key(t, false, key);
    ct_raw(t, "[");
    for (size_t i = 0; i < ps->n; i++) {
        const ct_item *it = &ps->items[i];
        if (it->part != part || (shown != NULL && !shown(ps->db, ps->by, it->n)))
            continue;
        if (!first)
            ct_raw(t, ",");
        write(t, ps->rows, it->row);
        first = false;
    }
    ct_raw(t, "]");
}

static void ct_label(case_text *t, const xsirt_db_rows *rows, size_t r)
{
    ct_string(t, xsirt_db_rows_text(rows, r, CP_A));
}

/* An object of a part's row: its members' keys, columns and types in
 * the order the tree path gives them. */
typedef struct ct_member {
    const char *key;
    int col;
    bool integer;
} ct_member;

static void ct_object(case_text *t, const xsirt_db_rows *rows, size_t r, const ct_member *m,
                      size_t n)
{
    ct_raw(t, "{");
    for (size_t i = 0; i < n; i++) {
        ct_key(t, i == 0, m[i].key);
        ct_cell(t, rows, r, (size_t)m[i].col, m[i].integer);
    }
    ct_raw(t, "}");
}

static void ct_reference(case_text *t, const xsirt_db_rows *rows, size_t r)
{
    static const ct_member m[] = {{"kind", CP_A, false}, {"value", CP_B, false}};
    ct_object(t, rows, r, m, sizeof m / sizeof m[0]);
}

static void ct_link(case_text *t, const xsirt_db_rows *rows, size_t r)
{
    static const ct_member m[] = {{"target", CP_N, true}, {"kind", CP_A, false}};
    ct_object(t, rows, r, m, sizeof m / sizeof m[0]);
}

static void ct_participant(case_text *t, const xsirt_db_rows *rows, size_t r)
{
    static const ct_member m[] = {{"id", CP_N, true},           {"role", CP_A, false},
                                  {"team", CP_T, true},         {"user", CP_U, true},
                                  {"organisation", CP_O, true}, {"name", CP_B, false},
                                  {"email", CP_E, false},       {"credit", CP_CR, true}};
    ct_object(t, rows, r, m, sizeof m / sizeof m[0]);
}

static void ct_finding(case_text *t, const xsirt_db_rows *rows, size_t r)
{
    ct_int(t, xsirt_db_rows_int(rows, r, CP_N));
}

static bool ct_link_shown(xsirt_db *db, const xsirt_principal *by, int64_t target)
{
    return xsirt_case_visible_to(db, by, target);
}

/* The findings' assets, each once in the order first met, those by sees
 * (xsirt_finding_of_case and case_hide_links). */
static void ct_assets(case_text *t, const ct_parts *ps)
{
    bool first = true;

    ct_key(t, false, "assets");
    ct_raw(t, "[");
    for (size_t i = 0; i < ps->n; i++) {
        int64_t a = ps->items[i].t;
        bool dup = false;
        if (ps->items[i].part != 5)
            continue;
        for (size_t k = 0; !dup && k < i; k++)
            dup = ps->items[k].part == 5 && ps->items[k].t == a;
        if (dup || (!ps->by->admin && !xsirt_asset_sees(ps->db, ps->by, a)))
            continue;
        if (!first)
            ct_raw(t, ",");
        ct_int(t, a);
        first = false;
    }
    ct_raw(t, "]");
}

/* "score" and "sla" from the raw columns (and due) of the row, as
 * case_shape. */
static void ct_shape(case_text *t, const char *const *v, const char *due)
{
    static const char *const sla_keys[] = {"acknowledge", "triage", "remediate",
                                           "acknowledged", "triaged", "closed"};

    ct_key(t, false, "score");
    if (v[6] == NULL) {
        ct_raw(t, "null");
    } else {
        json_t *score = json_real((double)strtoll(v[6], NULL, 10) / 10.0);
        if (t->rc == 0)
            t->rc = score != NULL ? xsirt_jsonw_dump_compact(t->b, score) : XSIRT_ENOMEM;
        json_decref(score);
    }
    ct_key(t, false, "sla");
    ct_raw(t, "{");
    for (size_t i = 0; i < sizeof sla_keys / sizeof sla_keys[0]; i++) {
        ct_key(t, i == 0, sla_keys[i]);
        ct_string(t, v[i]);
    }
    ct_key(t, false, "overdue");
    ct_raw(t, case_overdue(v[0], v[1], v[2], due, v[3] == NULL, v[4] == NULL, v[5] == NULL)
                  ? "true"
                  : "false");
    ct_raw(t, "}");
}

static int case_text_load(xsirt_buf *out, int64_t *revision, xsirt_db *db,
                          const xsirt_principal *by, int64_t id, xsirt_error *err)
{
    xsirt_db_value p[5] = {XSIRT_DB_INTV(id), XSIRT_DB_INTV(id), XSIRT_DB_INTV(id),
                           XSIRT_DB_INTV(id), XSIRT_DB_INTV(id)};
    xsirt_db_rows *row = NULL, *parts = NULL;
    bool sqlite = xsirt_db_backend_of(db) == XSIRT_DB_SQLITE;
    ct_parts ps;
    case_text t = {out, 0};
    const char *raw[sizeof case_raw / sizeof case_raw[0]] = {NULL};
    int rc;

    if ((rc = case_load_row(&row, db, id, by, err)) != 0)
        return rc;
    if ((rc = xsirt_db_query(&parts, db, sqlite ? case_parts_sql_sqlite : case_parts_sql_pg, p, 5,
                             err)) != 0) {
        xsirt_db_rows_free(row);
        return rc;
    }
    ps = (ct_parts){parts, NULL, xsirt_db_rows_count(parts), db, by};
    if (ps.n > 0 && (ps.items = calloc(ps.n, sizeof *ps.items)) == NULL) {
        xsirt_db_rows_free(row);
        xsirt_db_rows_free(parts);
        return xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    }
    for (size_t r = 0; r < ps.n; r++)
        ps.items[r] = (ct_item){xsirt_db_rows_int(parts, r, CP_PART), xsirt_db_rows_int(parts, r, CP_N),
                                xsirt_db_rows_int(parts, r, CP_T), xsirt_db_rows_text(parts, r, CP_A),
                                xsirt_db_rows_text(parts, r, CP_B), r};
    if (sqlite && ps.n > 1)
        qsort(ps.items, ps.n, sizeof *ps.items, ct_item_cmp);
    if (!ct_columns_known(row)) {
        xsirt_db_rows_free(row);
        xsirt_db_rows_free(parts);
        free(ps.items);
        return xsirt_error_set(err, XSIRT_EINTERNAL, "case columns are not case_cols");
    }
    *revision = xsirt_db_rows_int(row, 0, CASE_COL_REVISION);
    ct_raw(&t, "{");
    ct_row(&t, row, raw);
    ct_part(&t, &ps, 1, "labels", NULL, ct_label);
    ct_part(&t, &ps, 2, "references", NULL, ct_reference);
    ct_part(&t, &ps, 4, "participants", NULL, ct_participant);
    ct_part(&t, &ps, 3, "links", ct_link_shown, ct_link);
    ct_part(&t, &ps, 5, "findings", by->admin ? NULL : xsirt_finding_visible, ct_finding);
    ct_assets(&t, &ps);
    ct_shape(&t, raw, xsirt_db_rows_null(row, 0, CASE_COL_DUE) ? NULL
                                                              : xsirt_db_rows_text(row, 0, CASE_COL_DUE));
    ct_raw(&t, "}");
    xsirt_db_rows_free(row);
    xsirt_db_rows_free(parts);
    free(ps.items);
    return t.rc == 0 ? 0
           : xsirt_error_set(err, t.rc, t.rc == XSIRT_ELIMIT ? "case larger than an answer may be"
                                                              : "out of memory");
}

int xsirt_case_get_text(xsirt_buf *out, int64_t *revision, xsirt_db *db,
                        const xsirt_principal *by, int64_t id, xsirt_error *err)
{
    bool snapshot = xsirt_db_backend_of(db) == XSIRT_DB_SQLITE && !xsirt_db_in_transaction(db);
    int rc;

    *revision = 0;
    if (snapshot && (rc = xsirt_db_begin_read(db, err)) != 0)
        return rc;
    rc = case_text_load(out, revision, db, by, id, err);
    if (snapshot)
        xsirt_db_rollback(db);
    return rc;
}

/* ---- writing helpers ---------------------------------------------------- */

static int case_event(xsirt_db *db, const xsirt_principal *by, int64_t id, const char *kind,
                      const char *body, json_t *data, xsirt_error *err)
{
    char now[XSIRT_TIME_MAX];
    char *text = data != NULL ? json_dumps(data, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    xsirt_db_value p[6];
    int rc;

    json_decref(data);
    xsirt_clock_now(now);
    p[0] = XSIRT_DB_INTV(id);
    p[1] = XSIRT_DB_TEXTV(now);
    p[2] = by->user_id != 0 ? XSIRT_DB_INTV(by->user_id) : XSIRT_DB_NULLV;
    p[3] = XSIRT_DB_TEXTV(kind);
    p[4] = XSIRT_DB_TEXTV(body != NULL ? body : "");
    p[5] = XSIRT_DB_TEXTV(text != NULL ? text : "{}");
    rc = xsirt_db_exec(db, "INSERT INTO case_events (case_id, at, actor_id, kind, body, data) "
                           "VALUES (?, ?, ?, ?, ?, ?)", p, 6, NULL, err);
    free(text);
    return rc;
}

static int case_check_labels(const json_t *labels, xsirt_error *err)
{
    for (size_t i = 0; i < json_array_size(labels); i++) {
        const json_t *l = json_array_get(labels, i);
        if (!json_is_string(l) || json_string_length(l) == 0 || json_string_length(l) > CASE_LABEL_MAX)
            return xsirt_error_set_pointer(err, XSIRT_EINVAL, "labels",
                                           "labels must be strings of 1 to %d bytes", CASE_LABEL_MAX);
    }
    return 0;
}

static int case_check_references(const json_t *refs, xsirt_error *err)
{
    static const xsirt_field fields[] = {
        {"kind", XSIRT_FIELD_STRING, true, false, 32},
        {"value", XSIRT_FIELD_STRING, true, false, 2048},
        {NULL, 0, false, false, 0},
    };
    int rc;

    for (size_t i = 0; i < json_array_size(refs); i++)
        if ((rc = xsirt_json_check(json_array_get(refs, i), fields, false, err)) != 0) {
            xsirt_error_point(err, "references");
            return rc;
        }
    return 0;
}

/* Generated from the RSIT taxonomy (src/CMakeLists.txt). */
extern const char *const xsirt_rsit_tags[];

/* A classification is an ENISA RSIT machine tag: rsit:PREDICATE or
 * rsit:PREDICATE="VALUE" (as MISP writes them). */
static int case_check_classification(const char *c, xsirt_error *err)
{
    for (size_t i = 0; xsirt_rsit_tags[i] != NULL; i++)
        if (strcmp(xsirt_rsit_tags[i], c) == 0)
            return 0;
    return xsirt_error_set_pointer(err, XSIRT_EINVAL, "classification",
                                   "classification must be an RSIT tag such as "
                                   "rsit:malicious-code=\"infected-system\" or rsit:fraud");
}

static int case_check_enums(const json_t *in, xsirt_error *err)
{
    int rc = 0;
    const char *s;

    if ((s = xsirt_json_str(in, "classification")) != NULL &&
        (rc = case_check_classification(s, err)) != 0)
        return rc;
    if ((s = xsirt_json_str(in, "tlp")) != NULL && (rc = xsirt_json_enum(s, case_tlps, "tlp", err)) != 0)
        return rc;
    if ((s = xsirt_json_str(in, "severity")) != NULL &&
        (rc = xsirt_json_enum(s, case_severities, "severity", err)) != 0)
        return rc;
    if (xsirt_json_has(in, "title") && xsirt_json_str(in, "title") != NULL &&
        xsirt_json_str(in, "title")[0] == '\0')
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, "title", "title may not be empty");
    if ((rc = case_check_labels(json_object_get(in, "labels"), err)) != 0)
        return rc;
    return case_check_references(json_object_get(in, "references"), err);
}

static int case_check_user(xsirt_db *db, int64_t user_id, const char *field, xsirt_error *err)
{
    xsirt_db_value p[1] = {XSIRT_DB_INTV(user_id)};
    int64_t n = 0;
    int rc = xsirt_db_query_int(&n, db, "SELECT COUNT(*) FROM users WHERE id = ? AND disabled = 0",
                                p, 1, err);

    if (rc == 0 && n == 0)
        rc = xsirt_error_set_pointer(err, XSIRT_EINVAL, field, "no user %lld", (long long)user_id);
    return rc;
}

static int case_replace_labels(xsirt_db *db, int64_t id, const json_t *labels, xsirt_error *err)
{
    xsirt_db_value p[2] = {XSIRT_DB_INTV(id), XSIRT_DB_NULLV};
    int rc = xsirt_db_exec(db, "DELETE FROM case_labels WHERE case_id = ?", p, 1, NULL, err);

    for (size_t i = 0; rc == 0 && i < json_array_size(labels); i++) {
        p[1] = XSIRT_DB_TEXTV(json_string_value(json_array_get(labels, i)));
        rc = xsirt_db_exec(db, "INSERT INTO case_labels (case_id, label) VALUES (?, ?) "
                               "ON CONFLICT DO NOTHING", p, 2, NULL, err);
    }
    return rc;
}

static int case_replace_references(xsirt_db *db, int64_t id, const json_t *refs, xsirt_error *err)
{
    xsirt_db_value p[3] = {XSIRT_DB_INTV(id), XSIRT_DB_NULLV, XSIRT_DB_NULLV};
    int rc = xsirt_db_exec(db, "DELETE FROM case_references WHERE case_id = ?", p, 1, NULL, err);

    for (size_t i = 0; rc == 0 && i < json_array_size(refs); i++) {
        p[1] = XSIRT_DB_TEXTV(xsirt_json_str(json_array_get(refs, i), "kind"));
        p[2] = XSIRT_DB_TEXTV(xsirt_json_str(json_array_get(refs, i), "value"));
        rc = xsirt_db_exec(db, "INSERT INTO case_references (case_id, kind, value) VALUES (?, ?, ?) "
                               "ON CONFLICT DO NOTHING", p, 3, NULL, err);
    }
    return rc;
}

static int case_add_participant_row(xsirt_db *db, int64_t id, const char *role, int64_t team,
                                    int64_t user, int64_t org, const char *name, const char *email,
                                    int64_t *pid, xsirt_error *err)
{
    char now[XSIRT_TIME_MAX];
    xsirt_db_value p[8];
    xsirt_db_rows *rows;
    int rc;

    xsirt_clock_now(now);
    p[0] = XSIRT_DB_INTV(id);
    p[1] = team ? XSIRT_DB_INTV(team) : XSIRT_DB_NULLV;
    p[2] = user ? XSIRT_DB_INTV(user) : XSIRT_DB_NULLV;
    p[3] = org ? XSIRT_DB_INTV(org) : XSIRT_DB_NULLV;
    p[4] = XSIRT_DB_TEXTV(name);
    p[5] = XSIRT_DB_TEXTV(email);
    p[6] = XSIRT_DB_TEXTV(role);
    p[7] = XSIRT_DB_TEXTV(now);
    rc = xsirt_db_query(&rows, db, "INSERT INTO case_participants (case_id, team_id, user_id, "
                                   "organisation_id, name, email, role, added_at) VALUES "
                                   "(?, ?, ?, ?, ?, ?, ?, ?) RETURNING id", p, 8, err);
    if (rc == XSIRT_ECONFLICT)
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, "participant",
                                       "the team, user or organisation does not exist");
    if (rc == 0 && pid != NULL)
        *pid = xsirt_db_rows_int(rows, 0, 0);
    if (rc == 0)
        xsirt_db_rows_free(rows);
    return rc;
}

/* Refuses a part beyond its limit (the case travels whole). */
static int case_check_count(xsirt_db *db, int64_t id, const char *sql, int max, const char *field,
                            xsirt_error *err)
{
    xsirt_db_value p[1] = {XSIRT_DB_INTV(id)};
    int64_t n = 0;
    int rc = xsirt_db_query_int(&n, db, sql, p, 1, err);

    if (rc == 0 && n >= max)
        rc = xsirt_error_set_pointer(err, XSIRT_ELIMIT, field, "a case has at most %d %ss", max, field);
    return rc;
}

/* Makes sure a user is a named participant (so a RED case stays visible
 * to the people working on it). */
static int case_ensure_user_participant(xsirt_db *db, int64_t id, int64_t user, xsirt_error *err)
{
    xsirt_db_value p[2] = {XSIRT_DB_INTV(id), XSIRT_DB_INTV(user)};
    int64_t n = 0;
    int rc;

    if (user == 0)
        return 0;
    rc = xsirt_db_query_int(&n, db, "SELECT COUNT(*) FROM case_participants WHERE case_id = ? "
                                    "AND user_id = ?", p, 2, err);
    if (rc != 0 || n > 0)
        return rc;
    return case_add_participant_row(db, id, "internal", 0, user, 0, NULL, NULL, NULL, err);
}

/* ---- the timeline under the audit chain ----------------------------------
 *
 * Every audit record of a case carries "timeline": {"events", "last",
 * "head", "new"}: how many events the case has, the id of the newest, the
 * head of a hash chain over all of them (xsirt_audit_event_step) and the
 * events added by this change in full (notes with their bodies). The next
 * write continues the chain from the head its last record holds, so each
 * write hashes only its own events; `xsirt audit verify` recomputes the
 * chain from the rows (case_verify_one). */

#define CASE_TIMELINE_BATCH 16

/* o[key] with a reference of its own; drops o. */
static json_t *case_take(json_t *o, const char *key)
{
    json_t *v = json_incref(json_object_get(o, key));

    json_decref(o);
    return v;
}

/* The snapshot ("after") of the newest audit record of case id, or NULL;
 * *seq is that record's number (0: the case has none). */
static json_t *case_last_record(xsirt_db *db, int64_t id, int64_t *seq, xsirt_error *err, int *rc)
{
    char oid[24];
    xsirt_db_value p[1];
    xsirt_db_rows *rows;
    json_t *after = NULL;

    snprintf(oid, sizeof oid, "%lld", (long long)id);
    p[0] = XSIRT_DB_TEXTV(oid);
    *seq = 0;
    *rc = xsirt_db_query(&rows, db, "SELECT seq, after FROM audit_log WHERE object_type = 'case' "
                                    "AND object_id = ? ORDER BY seq DESC LIMIT 1", p, 1, err);
    if (*rc != 0)
        return NULL;
    if (xsirt_db_rows_count(rows) == 1) {
        *seq = xsirt_db_rows_int(rows, 0, 0);
        if (!xsirt_db_rows_null(rows, 0, 1))
            after = json_loads(xsirt_db_rows_text(rows, 0, 1), 0, NULL);
    }
    xsirt_db_rows_free(rows);
    return after;
}

/* Extends the chain (count, last id, head) over the events of case id
 * after *last; collects them into fresh (when not NULL) while they fit the
 * page bound. XSIRT_EINVAL when an event is damaged. */
static int case_timeline_walk(xsirt_db *db, int64_t id, int64_t *count, int64_t *last, char *head,
                              json_t *fresh, xsirt_error *err)
{
    static const char *const ints[] = {"id", "actor", NULL};
    size_t bytes = 0, got;
    int rc;

    do {
        xsirt_db_value p[3] = {XSIRT_DB_INTV(id), XSIRT_DB_INTV(*last), XSIRT_DB_INTV(CASE_TIMELINE_BATCH)};
        xsirt_db_rows *rows;
        if ((rc = xsirt_db_query(&rows, db, "SELECT id, at, actor_id AS actor, kind, body, data FROM "
                                            "case_events WHERE case_id = ? AND id > ? ORDER BY id "
                                            "LIMIT ?", p, 3, err)) != 0)
            return rc;
        got = xsirt_db_rows_count(rows);
        for (size_t i = 0; rc == 0 && i < got; i++) {
            const char *body = xsirt_db_rows_text(rows, i, 4);
            rc = xsirt_audit_event_step(head, xsirt_db_rows_int(rows, i, 0), xsirt_db_rows_text(rows, i, 1),
                                        xsirt_db_rows_null(rows, i, 2) ? 0 : xsirt_db_rows_int(rows, i, 2),
                                        xsirt_db_rows_text(rows, i, 3), body, xsirt_db_rows_text(rows, i, 5));
            *last = xsirt_db_rows_int(rows, i, 0);
            (*count)++;
            if (rc == 0 && fresh != NULL && body != NULL &&
                (bytes += strlen(body) + strlen(xsirt_db_rows_text(rows, i, 5))) <= XSIRT_LIMIT_PAGE_BYTES)
                json_array_append_new(fresh, xsirt_store_row_json(rows, i, ints));
        }
        xsirt_db_rows_free(rows);
    } while (rc == 0 && got == CASE_TIMELINE_BATCH);
    return rc;
}

/* The "timeline" object for the audit record of a write to case id. */
static int case_timeline_advance(json_t **out, xsirt_db *db, int64_t id, xsirt_error *err)
{
    char head[XSIRT_AUDIT_HASH_HEX];
    int64_t count = 0, last = 0, seq;
    json_t *prev, *fresh = json_array();
    int rc;

    *out = NULL;
    prev = case_last_record(db, id, &seq, err, &rc);
    prev = case_take(prev, "timeline");
    memset(head, '0', sizeof head - 1);
    head[sizeof head - 1] = '\0';
    if (rc == 0 && prev != NULL) {
        count = xsirt_json_int(prev, "events");
        last = xsirt_json_int(prev, "last");
        if (xsirt_json_str(prev, "head") != NULL)
            xsirt_strlcpy(head, xsirt_json_str(prev, "head"), sizeof head);
    }
    json_decref(prev);
    if (rc == 0 && (rc = case_timeline_walk(db, id, &count, &last, head, fresh, err)) == XSIRT_EINVAL)
        rc = xsirt_error_set(err, XSIRT_EINTERNAL, "case %lld has a damaged timeline event: run "
                             "xsirt audit verify", (long long)id);
    if (rc == 0)
        *out = json_pack("{s:I, s:I, s:s, s:O}", "events", (json_int_t)count, "last", (json_int_t)last,
                         "head", head, "new", fresh);
    json_decref(fresh);
    return rc != 0 ? rc : *out != NULL ? 0 : xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
}

/* Finishes any write: revision and timestamp, escalation rules, audit
 * (with the timeline's chain and new events). */
/* The notifications of a change (outbox.h), in its transaction: a
 * transition, and a new assignee. They go to the rules of the owning team
 * and the teams above it, whose members see the case at every TLP but
 * RED: a RED case is its named participants' alone, so it notifies no
 * team's rule. */
static int case_notify(xsirt_db *db, const char *action, const json_t *before,
                       const json_t *after, xsirt_error *err)
{
    const char *tlp = xsirt_json_str(after, "tlp");
    const json_t *was = before != NULL ? json_object_get(before, "assignee") : NULL;
    const json_t *now = json_object_get(after, "assignee");
    int64_t team = xsirt_json_int(after, "team");
    json_t *ev;
    int rc = 0;

    if (tlp == NULL || strcmp(tlp, "RED") == 0)
        return 0;
    ev = json_pack("{s:{s:O?, s:O?, s:O?, s:O?, s:O?, s:O?, s:O?}}", "case",
                   "id", json_object_get(after, "id"), "title", json_object_get(after, "title"),
                   "kind", json_object_get(after, "kind"), "tlp", json_object_get(after, "tlp"),
                   "state", json_object_get(after, "state"),
                   "severity", json_object_get(after, "severity"), "assignee", now);
    if (strcmp(action, "case.transition") == 0 && before != NULL) {
        json_object_set(ev, "from", json_object_get(before, "state"));
        json_object_set(ev, "to", json_object_get(after, "state"));
        rc = xsirt_outbox_event(db, team, "case.transition", ev, err);
    }
    if (rc == 0 && json_is_integer(now) && !json_equal((json_t *)now, (json_t *)was))
        rc = xsirt_outbox_event(db, team, "case.assigned", ev, err);
    json_decref(ev);
    return rc;
}

static int case_finish_write(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                             const char *action, const json_t *before, xsirt_error *err)
{
    char now[XSIRT_TIME_MAX];
    xsirt_db_value p[2];
    json_t *record, *tl = NULL;
    int rc;

    xsirt_clock_now(now);
    p[0] = XSIRT_DB_TEXTV(now);
    p[1] = XSIRT_DB_INTV(id);
    if (before != NULL &&
        (rc = xsirt_db_exec(db, "UPDATE cases SET revision = revision + 1, updated_at = ? "
                                "WHERE id = ?", p, 2, NULL, err)) != 0)
        return rc;
    if ((rc = case_load(out, db, id, NULL, err)) != 0 ||
        (rc = case_notify(db, action, before, *out, err)) != 0)
        return rc;
    if ((rc = xsirt_escalation_evaluate(NULL, db, id, *out, err)) != 0 ||
        (rc = case_timeline_advance(&tl, db, id, err)) != 0)
        return rc;
    /* The counters get the case back as it is now (retracted in
     * case_begin_write; a new case has nothing to retract). */
    if ((rc = xsirt_metrics_case_record(db, id, err)) != 0 ||
        (rc = xsirt_knowledge_case_changed(db, id, err)) != 0) {
        json_decref(tl);
        return rc;
    }
    /* The record is the case as stored plus the timeline; the caller gets
     * the case as they may see it. */
    if ((record = json_copy(*out)) == NULL)
        json_decref(tl);
    if (record == NULL || json_object_set_new(record, "timeline", tl) != 0)
        rc = xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    if (rc == 0)
        rc = xsirt_store_audit(db, by, action, "case", id, before, record, err);
    json_decref(record);
    if (rc != 0)
        return rc;
    case_hide_links(*out, db, by);
    return 0;
}

/* The severity a CVSS vector gives: canonical vector, score × 10 and
 * rating. 2.0 has no ratings of its own; NVD's bands are used. */
typedef struct case_cvss {
    char vector[512];
    int score10;
    char rating[16];
} case_cvss;

static int case_score_cvss(case_cvss *out, const char *vector, xsirt_error *err)
{
    xsirt_cvss cvss;
    xsirt_cvss_scores scores;
    const char *rating;
    int rc;

    if ((rc = xsirt_cvss_parse(&cvss, vector, strlen(vector), err)) != 0 ||
        (rc = xsirt_cvss_score(&scores, &cvss, err)) != 0 ||
        (rc = xsirt_cvss_format(out->vector, sizeof out->vector, &cvss, err)) != 0) {
        xsirt_error_point(err, "cvss");
        return rc;
    }
    out->score10 = (int)(scores.score * 10.0 + 0.5);
    if (cvss.version == XSIRT_CVSS_V2_0)
        rating = scores.score >= 7.0 ? "high" : scores.score >= 4.0 ? "medium" : "low";
    else
        rating = xsirt_cvss_severity(scores.score);
    xsirt_strlcpy(out->rating, rating != NULL ? rating : "none", sizeof out->rating);
    xsirt_ascii_lower_str(out->rating);
    return 0;
}

int xsirt_case_check(const json_t *in, bool partial, xsirt_error *err)
{
    int rc = xsirt_json_check(in, case_fields, partial, err);
    const char *vector = xsirt_json_str(in, "cvss");
    case_cvss c;

    if (rc != 0 || (rc = case_check_enums(in, err)) != 0)
        return rc;
    if (vector == NULL)
        return 0;
    if (xsirt_json_has(in, "severity"))
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, "severity",
                                       "give a CVSS vector or a severity, not both: the "
                                       "vector's score sets the severity");
    return case_score_cvss(&c, vector, err);
}

/* ---- create ------------------------------------------------------------- */

static int case_create(json_t **out, xsirt_db *db, const xsirt_principal *by, const json_t *in,
                       xsirt_error *err)
{
    char now[XSIRT_TIME_MAX], initial[65];
    case_cvss cvss;
    xsirt_sla sla;
    xsirt_db_value p[20];
    xsirt_db_rows *rows = NULL;
    const char *severity, *tlp, *desc;
    int64_t workflow = 0, id = 0, team, assignee;
    int rc;

    *out = NULL;
    if ((rc = xsirt_case_check(in, false, err)) != 0)
        return rc;
    if (json_object_get(in, "resolution") != NULL)
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, "resolution",
                                       "resolution is set by a closing transition");
    team = xsirt_json_int(in, "team");
    assignee = xsirt_json_int(in, "assignee");
    severity = xsirt_json_str(in, "severity");
    cvss.vector[0] = '\0';
    if (xsirt_json_str(in, "cvss") != NULL) {
        if ((rc = case_score_cvss(&cvss, xsirt_json_str(in, "cvss"), err)) != 0)
            return rc;
        severity = cvss.rating;
    }
    tlp = xsirt_json_str(in, "tlp") != NULL ? xsirt_json_str(in, "tlp") : "AMBER";
    desc = xsirt_json_str(in, "description");
    if ((rc = xsirt_db_begin(db, err)) != 0)
        return rc;
    if ((rc = case_check_writable(db, by, 0, team, err)) == XSIRT_EDENIED)
        xsirt_error_set_pointer(err, XSIRT_EDENIED, "team",
                                "only the team's leads and members open its cases");
    if (rc == 0)
        rc = xsirt_workflow_for_kind(&workflow, initial, db, xsirt_json_str(in, "kind"), err);
    if (rc == 0 && assignee != 0)
        rc = case_check_user(db, assignee, "assignee", err);
    xsirt_clock_now(now);
    if (rc == 0)
        rc = xsirt_service_level_due(&sla, db, team, severity, now, err);
    if (rc == 0) {
        p[0] = XSIRT_DB_TEXTV(xsirt_json_str(in, "kind"));
        p[1] = XSIRT_DB_TEXTV(xsirt_json_str(in, "title"));
        p[2] = XSIRT_DB_TEXTV(desc != NULL ? desc : "");
        p[3] = XSIRT_DB_INTV(team);
        p[4] = assignee ? XSIRT_DB_INTV(assignee) : XSIRT_DB_NULLV;
        p[5] = XSIRT_DB_TEXTV(initial);
        p[6] = XSIRT_DB_TEXTV(severity);
        p[7] = XSIRT_DB_TEXTV(xsirt_json_str(in, "priority"));
        p[8] = XSIRT_DB_TEXTV(xsirt_json_str(in, "classification"));
        p[9] = XSIRT_DB_TEXTV(tlp);
        p[10] = XSIRT_DB_TEXTV(xsirt_json_str(in, "due"));
        p[11] = XSIRT_DB_TEXTV(xsirt_json_str(in, "embargo"));
        p[12] = XSIRT_DB_TEXTV(sla.acknowledge[0] ? sla.acknowledge : NULL);
        p[13] = XSIRT_DB_TEXTV(sla.triage[0] ? sla.triage : NULL);
        p[14] = XSIRT_DB_TEXTV(sla.remediate[0] ? sla.remediate : NULL);
        p[15] = by->user_id ? XSIRT_DB_INTV(by->user_id) : XSIRT_DB_NULLV;
        p[16] = XSIRT_DB_TEXTV(now);
        p[17] = XSIRT_DB_TEXTV(now);
        p[18] = XSIRT_DB_TEXTV(cvss.vector[0] ? cvss.vector : NULL);
        p[19] = cvss.vector[0] ? XSIRT_DB_INTV(cvss.score10) : XSIRT_DB_NULLV;
        rc = xsirt_db_query(&rows, db,
                            "INSERT INTO cases (kind, title, description, team_id, assignee_id, state, "
                            "severity, priority, classification, tlp, due, embargo, due_acknowledge, "
                            "due_triage, due_remediate, created_by, created_at, updated_at, "
                            "cvss_vector, score10) VALUES "
                            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                            p, 20, err);
        if (rc == XSIRT_ECONFLICT)
            rc = xsirt_error_set_pointer(err, XSIRT_EINVAL, "team", "no team %lld", (long long)team);
    }
    if (rc == 0) {
        id = xsirt_db_rows_int(rows, 0, 0);
        rc = case_replace_labels(db, id, json_object_get(in, "labels"), err);
    }
    xsirt_db_rows_free(rows);
    if (rc == 0)
        rc = case_replace_references(db, id, json_object_get(in, "references"), err);
    if (rc == 0 && json_object_get(in, "findings") != NULL)   /* issue 11 */
        rc = xsirt_finding_link_case(db, by, id, json_object_get(in, "findings"), err);
    if (rc == 0)
        rc = case_ensure_user_participant(db, id, by->user_id, err);
    if (rc == 0)
        rc = case_ensure_user_participant(db, id, assignee, err);
    if (rc == 0)
        rc = case_event(db, by, id, "created", NULL, json_pack("{s:s}", "state", initial), err);
    if (rc == 0)
        rc = case_finish_write(out, db, by, id, "case.create", NULL, err);
    if (rc != 0) {
        json_decref(*out);
        *out = NULL;
    }
    return xsirt_store_finish(db, rc, err);
}

/* ---- update ------------------------------------------------------------- */

/* Holds the case's row until the transaction ends, so that writes to one
 * case run one after the other on every backend: each continues the
 * timeline's hash chain from the last, and events get ids in the order
 * their audit records cover them. (SQLite runs one writer at a time
 * anyway; PostgreSQL needs the row lock.) */
static int case_lock(xsirt_db *db, int64_t id, xsirt_error *err)
{
    xsirt_db_value p[1] = {XSIRT_DB_INTV(id)};

    if (xsirt_db_backend_of(db) != XSIRT_DB_POSTGRES)
        return 0;
    return xsirt_db_exec(db, "SELECT id FROM cases WHERE id = ? FOR UPDATE", p, 1, NULL, err);
}

/* Loads the case for a write: visible, writable, at the expected revision. */
static int case_begin_write(json_t **before, xsirt_db *db, const xsirt_principal *by, int64_t id,
                            int64_t revision, xsirt_error *err)
{
    int rc;

    *before = NULL;
    if ((rc = case_check_visible(db, by, id, err)) != 0 || (rc = case_lock(db, id, err)) != 0 ||
        (rc = case_load(before, db, id, NULL, err)) != 0)
        return rc;
    if ((rc = case_check_writable(db, by, id, xsirt_json_int(*before, "team"), err)) != 0)
        return rc;
    if (revision != 0 && revision != xsirt_json_int(*before, "revision"))
        return xsirt_error_set_pointer(err, XSIRT_ECONFLICT, "If-Match",
                               "case %lld changed since revision %lld (now %lld): reload and retry",
                               (long long)id, (long long)revision,
                               (long long)xsirt_json_int(*before, "revision"));
    /* Every write ends in case_finish_write, which records it again. */
    return xsirt_metrics_case_retract(db, id, err);
}

/* Sets (or, with NULL, clears) a case's vector and score; a vector also
 * sets the severity. */
static int case_update_cvss(xsirt_db *db, int64_t id, const char *vector, xsirt_error *err)
{
    xsirt_db_value p[4];
    case_cvss c;
    int rc;

    if (vector == NULL) {
        p[0] = XSIRT_DB_INTV(id);
        return xsirt_db_exec(db, "UPDATE cases SET cvss_vector = NULL, score10 = NULL WHERE id = ?",
                             p, 1, NULL, err);
    }
    if ((rc = case_score_cvss(&c, vector, err)) != 0)
        return rc;
    p[0] = XSIRT_DB_TEXTV(c.vector);
    p[1] = XSIRT_DB_INTV(c.score10);
    p[2] = XSIRT_DB_TEXTV(c.rating);
    p[3] = XSIRT_DB_INTV(id);
    return xsirt_db_exec(db, "UPDATE cases SET cvss_vector = ?, score10 = ?, severity = ? WHERE id = ?",
                         p, 4, NULL, err);
}

static int case_update(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                       int64_t revision, const json_t *in, xsirt_error *err)
{
    /* API field -> column; names come from this table, never from input. */
    static const char *const columns[][2] = {
        {"title", "title"}, {"description", "description"}, {"team", "team_id"},
        {"assignee", "assignee_id"}, {"severity", "severity"}, {"priority", "priority"},
        {"classification", "classification"}, {"tlp", "tlp"}, {"due", "due"},
        {"embargo", "embargo"}, {"resolution", "resolution"}};
    json_t *before = NULL, *changed = json_array();
    char sql[128];
    int rc;

    *out = NULL;
    if ((rc = xsirt_case_check(in, true, err)) != 0) {
        json_decref(changed);
        return rc;
    }
    if (json_object_get(in, "kind") != NULL) {
        json_decref(changed);
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, "kind", "a case's kind cannot change");
    }
    if (json_object_get(in, "findings") != NULL) {   /* issue 11 */
        json_decref(changed);
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, "findings",
                                       "findings are given when the case is opened");
    }
    if ((rc = xsirt_db_begin(db, err)) != 0) {
        json_decref(changed);
        return rc;
    }
    rc = case_begin_write(&before, db, by, id, revision, err);
    if (rc == 0 && xsirt_json_int(in, "assignee") != 0 &&
        (rc = case_check_user(db, xsirt_json_int(in, "assignee"), "assignee", err)) == 0)
        rc = case_ensure_user_participant(db, id, xsirt_json_int(in, "assignee"), err);
    if (rc == 0 && xsirt_json_int(in, "team") != 0 &&
        xsirt_json_int(in, "team") != xsirt_json_int(before, "team") &&
        (rc = case_check_writable(db, by, 0, xsirt_json_int(in, "team"), err)) == XSIRT_EDENIED)
        xsirt_error_set_pointer(err, XSIRT_EDENIED, "team", "you cannot hand cases to that team");
    for (size_t i = 0; rc == 0 && i < sizeof columns / sizeof columns[0]; i++) {
        const json_t *v = json_object_get(in, columns[i][0]);
        xsirt_db_value p[2];
        if (v == NULL || json_equal((json_t *)v, json_object_get(before, columns[i][0])))
            continue;
        p[0] = json_is_integer(v) ? XSIRT_DB_INTV(json_integer_value(v))
                                  : XSIRT_DB_TEXTV(json_string_value(v));
        p[1] = XSIRT_DB_INTV(id);
        snprintf(sql, sizeof sql, "UPDATE cases SET %s = ? WHERE id = ?", columns[i][1]);
        rc = xsirt_db_exec(db, sql, p, 2, NULL, err);
        if (rc == XSIRT_ECONFLICT)
            rc = xsirt_error_set_pointer(err, XSIRT_EINVAL, columns[i][0], "no such %s",
                                         columns[i][0]);
        json_array_append_new(changed, json_string(columns[i][0]));
    }
    if (rc == 0 && json_object_get(in, "cvss") != NULL) {
        rc = case_update_cvss(db, id, xsirt_json_str(in, "cvss"), err);
        json_array_append_new(changed, json_string("cvss"));
    }
    if (rc == 0 && (json_object_get(in, "cvss") != NULL || json_object_get(in, "severity") != NULL))
        rc = xsirt_service_level_apply(db, id, err);
    if (rc == 0 && json_object_get(in, "labels") != NULL) {
        rc = case_replace_labels(db, id, json_object_get(in, "labels"), err);
        json_array_append_new(changed, json_string("labels"));
    }
    if (rc == 0 && json_object_get(in, "references") != NULL) {
        rc = case_replace_references(db, id, json_object_get(in, "references"), err);
        json_array_append_new(changed, json_string("references"));
    }
    if (rc == 0 && json_array_size(changed) > 0)
        rc = case_event(db, by, id, "updated", NULL, json_pack("{s:O}", "fields", changed), err);
    if (rc == 0)
        rc = case_finish_write(out, db, by, id, "case.update", before, err);
    json_decref(changed);
    json_decref(before);
    if (rc != 0) {
        json_decref(*out);
        *out = NULL;
    }
    return xsirt_store_finish(db, rc, err);
}

/* ---- transitions -------------------------------------------------------- */

static const xsirt_field transition_input[] = {
    {"to", XSIRT_FIELD_STRING, true, false, 64},
    {"resolution", XSIRT_FIELD_STRING, false, false, 4096},
    {"note", XSIRT_FIELD_STRING, false, false, 64 * 1024},
    {NULL, 0, false, false, 0},
};

/* Each field the transition requires must be set, on the case or now. */
static int case_check_requires(const json_t *requires, const json_t *c, const json_t *in,
                               xsirt_error *err)
{
    for (size_t i = 0; i < json_array_size(requires); i++) {
        const char *f = json_string_value(json_array_get(requires, i));
        const json_t *v = json_object_get(in, f) != NULL ? json_object_get(in, f) : json_object_get(c, f);
        if (v == NULL || json_is_null(v) || (json_is_string(v) && json_string_length(v) == 0))
            return xsirt_error_set_pointer(err, XSIRT_EINVAL, f, "this transition requires %s", f);
    }
    return 0;
}

int xsirt_case_transition(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                          int64_t revision, const json_t *in, xsirt_error *err)
{
    json_t *before = NULL, *requires = NULL;
    char now[XSIRT_TIME_MAX], initial[65];
    const char *from, *to = xsirt_json_str(in, "to");
    int64_t workflow = 0;
    bool terminal = false;
    xsirt_db_value p[8];
    int rc;

    *out = NULL;
    if ((rc = xsirt_json_check(in, transition_input, false, err)) != 0)
        return rc;
    if ((rc = xsirt_db_begin(db, err)) != 0)
        return rc;
    rc = case_begin_write(&before, db, by, id, revision, err);
    from = before != NULL ? xsirt_json_str(before, "state") : "";
    if (rc == 0)
        rc = xsirt_workflow_for_kind(&workflow, initial, db, xsirt_json_str(before, "kind"), err);
    if (rc == 0)
        rc = xsirt_workflow_transition(&requires, &terminal, db, workflow, from, to, err);
    if (rc == 0)
        rc = case_check_requires(requires, before, in, err);
    if (rc == 0) {
        xsirt_clock_now(now);
        p[0] = XSIRT_DB_TEXTV(to);
        p[1] = XSIRT_DB_TEXTV(xsirt_json_str(in, "resolution"));
        p[2] = XSIRT_DB_INTV(terminal);
        p[3] = XSIRT_DB_TEXTV(now);
        p[4] = XSIRT_DB_TEXTV(now);
        p[5] = XSIRT_DB_INTV(strcmp(from, "triage") == 0 || strcmp(initial, "triage") == 0);
        p[6] = XSIRT_DB_TEXTV(now);
        p[7] = XSIRT_DB_INTV(id);
        /* Acknowledged when it first leaves the initial state; triaged when
         * it first leaves "triage"; closed while in a terminal state. */
        rc = xsirt_db_exec(db, "UPDATE cases SET state = ?, resolution = COALESCE(?, resolution), "
                               "closed_at = CASE WHEN ? = 1 THEN ? ELSE NULL END, "
                               "acknowledged_at = COALESCE(acknowledged_at, ?), "
                               "triaged_at = CASE WHEN ? = 1 THEN COALESCE(triaged_at, ?) "
                               "ELSE triaged_at END WHERE id = ?", p, 8, NULL, err);
    }
    if (rc == 0)
        rc = case_event(db, by, id, "transition", xsirt_json_str(in, "note"),
                        json_pack("{s:s, s:s, s:s?}", "from", from, "to", to, "resolution",
                                  xsirt_json_str(in, "resolution")), err);
    /* issue 11: closing a case as fixed resolves its open findings. */
    if (rc == 0 && terminal && xsirt_json_str(in, "resolution") != NULL &&
        strcmp(xsirt_json_str(in, "resolution"), "fixed") == 0)
        rc = xsirt_finding_resolve_case(db, by, id, err);
    if (rc == 0)
        rc = case_finish_write(out, db, by, id, "case.transition", before, err);
    json_decref(requires);
    json_decref(before);
    if (rc != 0) {
        json_decref(*out);
        *out = NULL;
    }
    return xsirt_store_finish(db, rc, err);
}

/* ---- lists -------------------------------------------------------------- */

/* Escapes LIKE wildcards so that a search for "100%" finds "100%". */
static int case_like_pattern(xsirt_buf *b, const char *text)
{
    int rc = xsirt_buf_putc(b, '%');

    for (const char *p = text; rc == 0 && *p != '\0'; p++) {
        if (*p == '%' || *p == '_' || *p == '\\')
            rc = xsirt_buf_putc(b, '\\');
        if (rc == 0)
            rc = xsirt_buf_putc(b, (char)xsirt_ascii_lower((unsigned char)*p));
    }
    return rc != 0 ? rc : xsirt_buf_putc(b, '%');
}

/* Builds the list query; p keeps pointers to like and now, which must
 * outlive the query. */
static int case_list_sql(xsirt_buf *sql, case_params *p, xsirt_buf *like, const char *now,
                         const xsirt_principal *by, const xsirt_case_filter *f, int limit)
{
    xsirt_buf_puts(sql, case_mine_cte);
    case_mine_params(p, by);
    xsirt_buf_puts(sql, "SELECT c.id FROM cases c WHERE ");
    xsirt_buf_puts(sql, case_visible_sql);
    case_visible_params(p, by);
    if (f->state != NULL) { xsirt_buf_puts(sql, " AND c.state = ?"); cp_text(p, f->state); }
    if (f->team != 0) { xsirt_buf_puts(sql, " AND c.team_id = ?"); cp_int(p, f->team); }
    if (f->severity != NULL) { xsirt_buf_puts(sql, " AND c.severity = ?"); cp_text(p, f->severity); }
    if (f->tlp != NULL) { xsirt_buf_puts(sql, " AND c.tlp = ?"); cp_text(p, f->tlp); }
    if (f->kind != NULL) { xsirt_buf_puts(sql, " AND c.kind = ?"); cp_text(p, f->kind); }
    if (f->assignee != 0) { xsirt_buf_puts(sql, " AND c.assignee_id = ?"); cp_int(p, f->assignee); }
    if (f->label != NULL) {
        xsirt_buf_puts(sql, " AND EXISTS (SELECT 1 FROM case_labels l WHERE l.case_id = c.id "
                            "AND l.label = ?)");
        cp_text(p, f->label);
    }
    if (f->text != NULL) {
        if (case_like_pattern(like, f->text) != 0)
            return XSIRT_ELIMIT;
        xsirt_buf_puts(sql, " AND (LOWER(c.title) LIKE ? ESCAPE '\\' OR LOWER(c.description) "
                            "LIKE ? ESCAPE '\\')");
        cp_text(p, xsirt_buf_cstr(like));
        cp_text(p, xsirt_buf_cstr(like));
    }
    if (f->overdue) {
        xsirt_buf_puts(sql, " AND c.closed_at IS NULL AND ((c.acknowledged_at IS NULL AND "
                            "c.due_acknowledge < ?) OR (c.triaged_at IS NULL AND c.due_triage < ?) "
                            "OR c.due_remediate < ? OR c.due < ?)");
        for (int i = 0; i < 4; i++)
            cp_text(p, now);
    }
    if (f->cursor > 0) { xsirt_buf_puts(sql, " AND c.id < ?"); cp_int(p, f->cursor); }
    xsirt_buf_puts(sql, " ORDER BY c.id DESC LIMIT ?");
    cp_int(p, limit + 1);
    return p->n < CASE_MAX_PARAMS ? 0 : XSIRT_EINTERNAL;
}

/* A case as by may see it in a list (visibility checked by the list). */
static int case_load_shown(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                           xsirt_error *err)
{
    int rc = case_load(out, db, id, NULL, err);

    if (rc == 0)
        case_hide_links(*out, db, by);
    return rc;
}

int xsirt_case_list(json_t **out, xsirt_db *db, const xsirt_principal *by,
                    const xsirt_case_filter *f, xsirt_error *err)
{
    int limit = f->limit > 0 ? (f->limit < CASE_LIST_MAX ? f->limit : CASE_LIST_MAX) : CASE_LIST_DEFAULT;
    case_params p = {.n = 0};
    char now[XSIRT_TIME_MAX];
    xsirt_buf sql, like;
    xsirt_db_rows *rows = NULL;
    int rc;

    *out = NULL;
    xsirt_clock_now(now);
    xsirt_buf_init(&sql, 16384);
    xsirt_buf_init(&like, 4096);
    rc = case_list_sql(&sql, &p, &like, now, by, f, limit);
    if (rc != 0)
        rc = xsirt_error_set_pointer(err, XSIRT_ELIMIT, "q", "search text too long");
    if (rc == 0)
        rc = xsirt_db_query(&rows, db, xsirt_buf_cstr(&sql), p.v, p.n, err);
    xsirt_buf_free(&sql);
    xsirt_buf_free(&like);
    if (rc != 0)
        return rc;
    /* Rows are ids only; each case is loaded and counted against the
     * page's byte bound one at a time. */
    rc = xsirt_store_load_page(out, db, by, rows, limit, case_load_shown, err);
    xsirt_db_rows_free(rows);
    return rc;
}

/* ---- notes, timeline, tasks, participants, links ------------------------ */

int xsirt_case_add_note(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                        const json_t *in, xsirt_error *err)
{
    static const xsirt_field fields[] = {
        {"body", XSIRT_FIELD_STRING, true, false, 256 * 1024},
        {NULL, 0, false, false, 0},
    };
    json_t *before = NULL;
    int rc;

    *out = NULL;
    if ((rc = xsirt_json_check(in, fields, false, err)) != 0)
        return rc;
    if (xsirt_json_str(in, "body")[0] == '\0')
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, "body", "a note needs a body");
    if ((rc = xsirt_db_begin(db, err)) != 0)
        return rc;
    rc = case_begin_write(&before, db, by, id, 0, err);
    if (rc == 0)
        rc = case_event(db, by, id, "note", xsirt_json_str(in, "body"), NULL, err);
    if (rc == 0)
        rc = case_finish_write(out, db, by, id, "case.note", before, err);
    json_decref(before);
    if (rc != 0) {
        json_decref(*out);
        *out = NULL;
    }
    return xsirt_store_finish(db, rc, err);
}

/* Whether a timeline event may be shown to by: a link names its target,
 * so a link to a case by may not see is left out. */
static bool case_event_visible(xsirt_db *db, const xsirt_principal *by, const json_t *e)
{
    const json_t *target = json_object_get(json_object_get(e, "data"), "target");

    if (strcmp(xsirt_json_str(e, "kind") != NULL ? xsirt_json_str(e, "kind") : "", "link") != 0)
        return true;
    return json_is_integer(target) && xsirt_case_visible_to(db, by, json_integer_value(target));
}

/* One page of a sub-resource of a visible case, bounded by count and bytes
 * (xsirt_store_page_rows); events get their data as JSON and lose links
 * to cases by may not see. */
/* A page of a case's sub-resource: rows_sql's rows as objects (ints and
 * bools name the columns that are numbers and booleans in JSON), events
 * filtered by what the reader may see. */
static int case_page_sub_typed(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                               const xsirt_page *pg, const char *meta_sql, const char *rows_sql,
                               const char *const *ints, const char *const *bools, bool events,
                               xsirt_error *err)
{
    xsirt_db_value key[1] = {XSIRT_DB_INTV(id)};
    xsirt_db_rows *rows;
    xsirt_pager pager;
    bool more;
    int rc;

    *out = NULL;
    if ((rc = case_check_visible(db, by, id, err)) != 0 ||
        (rc = xsirt_store_page_rows(&rows, &more, db, meta_sql, rows_sql, key, 1, pg, err)) != 0)
        return rc;
    xsirt_pager_init(&pager);
    for (size_t i = 0; i < xsirt_db_rows_count(rows); i++) {
        json_t *e = xsirt_store_row_json(rows, i, ints);
        int64_t eid = xsirt_db_rows_int(rows, i, 0);
        for (size_t b = 0; e != NULL && bools != NULL && bools[b] != NULL; b++) {
            const char *v = json_string_value(json_object_get(e, bools[b]));
            if (v != NULL)
                json_object_set_new(e, bools[b], json_boolean(strcmp(v, "0") != 0));
        }
        /* A row damaged in the database is shown as such, never skipped. */
        if (e == NULL)
            e = json_pack("{s:I, s:b, s:s}", "id", (json_int_t)eid, "corrupt", 1, "problem",
                          "damaged in the database (not UTF-8): run xsirt audit verify");
        else if (events) {
            json_t *data = json_loads(json_string_value(json_object_get(e, "data")), 0, NULL);
            json_object_set_new(e, "data", data != NULL ? data : json_object());
            if (!case_event_visible(db, by, e)) {
                json_decref(e);
                xsirt_pager_skip(&pager, eid);
                continue;
            }
        }
        if (!xsirt_pager_add(&pager, e, eid))
            break;
    }
    xsirt_db_rows_free(rows);
    *out = xsirt_pager_finish(&pager, more);
    return *out != NULL ? 0 : xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
}

static int case_page_sub(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                         const xsirt_page *pg, const char *meta_sql, const char *rows_sql,
                         const char *const *ints, bool events, xsirt_error *err)
{
    return case_page_sub_typed(out, db, by, id, pg, meta_sql, rows_sql, ints, NULL, events, err);
}

int xsirt_case_timeline(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                        const xsirt_page *pg, xsirt_error *err)
{
    static const char *const ints[] = {"id", "actor", NULL};

    return case_page_sub(out, db, by, id, pg,
                         "SELECT id, LENGTH(body) + LENGTH(data) + 256 FROM case_events "
                         "WHERE case_id = ? AND id > ? ORDER BY id LIMIT ?",
                         "SELECT e.id, e.at, e.actor_id AS actor, u.username AS actor_name, e.kind, "
                         "e.body, e.data FROM case_events e LEFT JOIN users u ON u.id = e.actor_id "
                         "WHERE e.case_id = ? AND e.id BETWEEN ? AND ? ORDER BY e.id",
                         ints, true, err);
}

static const char case_task_select[] =
    "SELECT id, title, description, assignee_id AS assignee, due, done, created_at AS created, "
    "updated_at AS updated FROM case_tasks";

int xsirt_case_tasks(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                     const xsirt_page *pg, xsirt_error *err)
{
    static const char *const ints[] = {"id", "assignee", NULL};
    static const char *const bools[] = {"done", NULL};
    char sql[512];

    snprintf(sql, sizeof sql, "%s WHERE case_id = ? AND id BETWEEN ? AND ? ORDER BY id",
             case_task_select);
    return case_page_sub_typed(out, db, by, id, pg,
                               "SELECT id, LENGTH(title) + LENGTH(description) + 256 FROM case_tasks "
                               "WHERE case_id = ? AND id > ? ORDER BY id LIMIT ?",
                               sql, ints, bools, false, err);
}

static const xsirt_field case_task_fields[] = {
    {"title", XSIRT_FIELD_STRING, true, false, 500},
    {"description", XSIRT_FIELD_STRING, false, false, 64 * 1024},
    {"assignee", XSIRT_FIELD_INTEGER, false, true, 0},
    {"due", XSIRT_FIELD_TIME, false, true, 64},
    {NULL, 0, false, false, 0},
};

static int case_add_task(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                         const json_t *in, xsirt_error *err)
{
    const xsirt_field *fields = case_task_fields;
    static const char *const ints[] = {"id", "assignee", NULL};
    json_t *before = NULL, *after = NULL;
    char now[XSIRT_TIME_MAX], sql[512];
    xsirt_db_value p[7];
    xsirt_db_rows *rows = NULL;
    int64_t assignee = xsirt_json_int(in, "assignee"), tid = 0;
    int rc;

    *out = NULL;
    if ((rc = xsirt_json_check(in, fields, false, err)) != 0)
        return rc;
    if ((rc = xsirt_db_begin(db, err)) != 0)
        return rc;
    rc = case_begin_write(&before, db, by, id, 0, err);
    if (rc == 0 && assignee != 0 && (rc = case_check_user(db, assignee, "assignee", err)) == 0)
        rc = case_ensure_user_participant(db, id, assignee, err);
    if (rc == 0) {
        xsirt_clock_now(now);
        p[0] = XSIRT_DB_INTV(id);
        p[1] = XSIRT_DB_TEXTV(xsirt_json_str(in, "title"));
        p[2] = XSIRT_DB_TEXTV(xsirt_json_str(in, "description") ? xsirt_json_str(in, "description") : "");
        p[3] = assignee ? XSIRT_DB_INTV(assignee) : XSIRT_DB_NULLV;
        p[4] = XSIRT_DB_TEXTV(xsirt_json_str(in, "due"));
        p[5] = XSIRT_DB_TEXTV(now);
        p[6] = XSIRT_DB_TEXTV(now);
        rc = xsirt_db_query(&rows, db, "INSERT INTO case_tasks (case_id, title, description, "
                                       "assignee_id, due, created_at, updated_at) VALUES "
                                       "(?, ?, ?, ?, ?, ?, ?) RETURNING id", p, 7, err);
    }
    if (rc == 0) {
        tid = xsirt_db_rows_int(rows, 0, 0);
        xsirt_db_rows_free(rows);
        snprintf(sql, sizeof sql, "%s WHERE id = ?", case_task_select);
        p[0] = XSIRT_DB_INTV(tid);
        if ((rc = xsirt_db_query(&rows, db, sql, p, 1, err)) == 0) {
            *out = xsirt_store_row_json(rows, 0, ints);
            json_object_set_new(*out, "done", json_boolean(xsirt_db_rows_int(rows, 0, 5)));
            xsirt_db_rows_free(rows);
        }
    }
    if (rc == 0)
        rc = case_event(db, by, id, "task", NULL, json_pack("{s:I, s:s}", "task", (json_int_t)tid,
                                                             "title", xsirt_json_str(in, "title")), err);
    if (rc == 0)
        rc = case_finish_write(&after, db, by, id, "case.task", before, err);
    json_decref(after);
    json_decref(before);
    if (rc != 0) {
        json_decref(*out);
        *out = NULL;
    }
    return xsirt_store_finish(db, rc, err);
}

int xsirt_case_add_participant(json_t **out, xsirt_db *db, const xsirt_principal *by,
                               int64_t id, const json_t *in, xsirt_error *err)
{
    static const xsirt_field fields[] = {
        {"role", XSIRT_FIELD_STRING, true, false, 32},
        {"team", XSIRT_FIELD_INTEGER, false, false, 0},
        {"user", XSIRT_FIELD_INTEGER, false, false, 0},
        {"organisation", XSIRT_FIELD_INTEGER, false, false, 0},
        {"name", XSIRT_FIELD_STRING, false, false, 200},
        {"email", XSIRT_FIELD_STRING, false, false, 320},
        {"credit", XSIRT_FIELD_BOOLEAN, false, false, 0},   /* named in advisories */
        {NULL, 0, false, false, 0},
    };
    json_t *before = NULL;
    int64_t pid = 0;
    int who, rc;

    *out = NULL;
    if ((rc = xsirt_json_check(in, fields, false, err)) != 0 ||
        (rc = xsirt_json_enum(xsirt_json_str(in, "role"), case_participant_roles, "role", err)) != 0)
        return rc;
    who = (xsirt_json_int(in, "team") != 0) + (xsirt_json_int(in, "user") != 0) +
          (xsirt_json_int(in, "organisation") != 0);
    if (who > 1 || (who == 0 && xsirt_json_str(in, "name") == NULL && xsirt_json_str(in, "email") == NULL))
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, "participant",
                                       "name one of team, user or organisation, or a person by "
                                       "name or email");
    if ((rc = xsirt_db_begin(db, err)) != 0)
        return rc;
    rc = case_begin_write(&before, db, by, id, 0, err);
    if (rc == 0)
        rc = case_check_count(db, id, "SELECT COUNT(*) FROM case_participants WHERE case_id = ?",
                              XSIRT_LIMIT_CASE_PARTICIPANTS, "participant", err);
    if (rc == 0)
        rc = case_add_participant_row(db, id, xsirt_json_str(in, "role"), xsirt_json_int(in, "team"),
                                      xsirt_json_int(in, "user"), xsirt_json_int(in, "organisation"),
                                      xsirt_json_str(in, "name"), xsirt_json_str(in, "email"), &pid, err);
    if (rc == 0 && json_is_true(json_object_get(in, "credit"))) {
        xsirt_db_value cp[1] = {XSIRT_DB_INTV(pid)};
        rc = xsirt_db_exec(db, "UPDATE case_participants SET credit = 1 WHERE id = ?", cp, 1,
                           NULL, err);
    }
    if (rc == 0)
        rc = case_event(db, by, id, "participant", NULL, json_deep_copy(in), err);
    if (rc == 0)
        rc = case_finish_write(out, db, by, id, "case.participant", before, err);
    json_decref(before);
    if (rc != 0) {
        json_decref(*out);
        *out = NULL;
    }
    return xsirt_store_finish(db, rc, err);
}

int xsirt_case_add_link(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                        const json_t *in, xsirt_error *err)
{
    static const xsirt_field fields[] = {
        {"target", XSIRT_FIELD_INTEGER, true, false, 0},
        {"kind", XSIRT_FIELD_STRING, true, false, 32},
        {NULL, 0, false, false, 0},
    };
    json_t *before = NULL;
    int64_t target = xsirt_json_int(in, "target");
    xsirt_db_value p[3];
    int rc;

    *out = NULL;
    if ((rc = xsirt_json_check(in, fields, false, err)) != 0 ||
        (rc = xsirt_json_enum(xsirt_json_str(in, "kind"), case_link_kinds, "kind", err)) != 0)
        return rc;
    if (target == id)
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, "target", "a case cannot link to itself");
    if ((rc = xsirt_db_begin(db, err)) != 0)
        return rc;
    rc = case_begin_write(&before, db, by, id, 0, err);
    /* Linking to a case one cannot see would reveal that it exists. */
    if (rc == 0 && (rc = case_check_visible(db, by, target, err)) == XSIRT_ENOTFOUND)
        xsirt_error_set_pointer(err, XSIRT_EINVAL, "target", "no case %lld", (long long)target);
    if (rc == 0)
        rc = case_check_count(db, id, "SELECT COUNT(*) FROM case_links WHERE case_id = ?",
                              XSIRT_LIMIT_CASE_LINKS, "link", err);
    if (rc == 0) {
        p[0] = XSIRT_DB_INTV(id);
        p[1] = XSIRT_DB_INTV(target);
        p[2] = XSIRT_DB_TEXTV(xsirt_json_str(in, "kind"));
        rc = xsirt_db_exec(db, "INSERT INTO case_links (case_id, target_id, kind) VALUES (?, ?, ?) "
                               "ON CONFLICT DO NOTHING", p, 3, NULL, err);
    }
    if (rc == 0)
        rc = case_event(db, by, id, "link", NULL, json_deep_copy(in), err);
    if (rc == 0)
        rc = case_finish_write(out, db, by, id, "case.link", before, err);
    json_decref(before);
    if (rc != 0) {
        json_decref(*out);
        *out = NULL;
    }
    return xsirt_store_finish(db, rc, err);
}

int xsirt_case_escalate_overdue(int *fired, xsirt_db *db, xsirt_error *err)
{
    xsirt_principal sys;
    xsirt_case_filter f = {.overdue = 1, .limit = CASE_LIST_MAX};
    json_t *page = NULL;
    int rc;

    *fired = 0;
    xsirt_principal_system(&sys);
    do {
        json_t *next;
        if ((rc = xsirt_db_begin(db, err)) != 0)
            return rc;
        if ((rc = xsirt_case_list(&page, db, &sys, &f, err)) == 0) {
            for (size_t i = 0; rc == 0 && i < json_array_size(json_object_get(page, "items")); i++) {
                json_t *c = json_array_get(json_object_get(page, "items"), i), *after = NULL;
                int64_t cid = xsirt_json_int(c, "id");
                int was = *fired;
                /* An escalation moves the counters: retract, escalate, record
                 * (case_finish_write records them again with the audit). */
                rc = case_lock(db, cid, err);
                if (rc == 0)
                    rc = xsirt_metrics_case_retract(db, cid, err);
                if (rc == 0)
                    rc = xsirt_escalation_evaluate(fired, db, cid, c, err);
                /* An escalation adds to the timeline: audited like any change. */
                if (rc == 0 && *fired > was)
                    rc = case_finish_write(&after, db, &sys, cid, "case.escalate", NULL, err);
                else if (rc == 0)
                    rc = xsirt_metrics_case_record(db, cid, err);
                json_decref(after);
            }
        }
        next = page != NULL ? json_object_get(page, "next") : NULL;
        f.cursor = json_is_integer(next) ? (int64_t)json_integer_value(next) : 0;
        json_decref(page);
        page = NULL;
        if ((rc = xsirt_store_finish(db, rc, err)) != 0)
            return rc;
    } while (f.cursor != 0);
    return 0;
}

/* ---- times at the edge --------------------------------------------------- */

/* Due dates and embargoes are compared with now (overdue, escalations):
 * they enter in the one stored form, so text order is time order. */

int xsirt_case_create(json_t **out, xsirt_db *db, const xsirt_principal *by, const json_t *in,
                      xsirt_error *err)
{
    json_t *canon = xsirt_json_canonical_times(in, case_fields);
    int rc = canon != NULL ? case_create(out, db, by, canon, err)
                           : xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");

    json_decref(canon);
    return rc;
}

int xsirt_case_update(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                      int64_t revision, const json_t *in, xsirt_error *err)
{
    json_t *canon = xsirt_json_canonical_times(in, case_fields);
    int rc = canon != NULL ? case_update(out, db, by, id, revision, canon, err)
                           : xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");

    json_decref(canon);
    return rc;
}

int xsirt_case_add_task(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                        const json_t *in, xsirt_error *err)
{
    json_t *canon = xsirt_json_canonical_times(in, case_task_fields);
    int rc = canon != NULL ? case_add_task(out, db, by, id, canon, err)
                           : xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");

    json_decref(canon);
    return rc;
}

/* ---- the audit log as TLP allows ------------------------------------------ */

/* Drops from a timeline's "new" events the links to cases by may not see. */
static void case_hide_link_events(json_t *tl, xsirt_db *db, const xsirt_principal *by)
{
    json_t *fresh = json_object_get(tl, "new");

    for (size_t i = json_array_size(fresh); i-- > 0;) {
        json_t *e = json_array_get(fresh, i);
        json_t *data = json_loads(json_string_value(json_object_get(e, "data")), 0, NULL);
        json_t *probe = json_pack("{s:O, s:o}", "kind", json_object_get(e, "kind"), "data",
                                  data != NULL ? data : json_object());
        if (probe != NULL && !case_event_visible(db, by, probe))
            json_array_remove(fresh, i);
        json_decref(probe);
    }
}

void xsirt_case_redact_audit(json_t *record, xsirt_db *db, const xsirt_principal *by)
{
    const char *type = xsirt_json_str(record, "object_type");
    const char *oid = xsirt_json_str(record, "object_id");
    uint64_t id = 0;
    bool hide;

    bool is_case = type != NULL && strcmp(type, "case") == 0;
    bool portfolio = type != NULL && (strcmp(type, "asset") == 0 ||
                                      strcmp(type, "finding") == 0 || strcmp(type, "sbom") == 0);

    if ((!is_case && !portfolio) || oid == NULL || by->admin) {
        json_object_set_new(record, "redacted", json_false());
        return;
    }
    hide = xsirt_parse_u64(&id, oid, strlen(oid)) != 0 || id == 0 || id > (uint64_t)INT64_MAX ||
           (is_case ? !xsirt_case_visible_to(db, by, (int64_t)id)
                    : !xsirt_finding_object_visible(db, by, type, (int64_t)id));
    json_object_set_new(record, "redacted", json_boolean(hide));
    if (hide) {
        json_object_set_new(record, "before", json_null());
        json_object_set_new(record, "after", json_null());
        return;
    }
    for (int k = 0; k < 2; k++) {
        json_t *snap = json_object_get(record, k ? "after" : "before");
        if (!json_is_object(snap))
            continue;
        if (is_case) {
            case_hide_links(snap, db, by);
            case_hide_link_events(json_object_get(snap, "timeline"), db, by);
        } else if (strcmp(type, "asset") == 0) {
            xsirt_asset_hide(snap, db, by);
        } else if (strcmp(type, "finding") == 0) {
            xsirt_finding_hide(snap, db, by);
        }
    }
}

/* ---- verification: the rows against the chain ---------------------------- */

static void case_drop_clock(json_t *c)
{
    /* "overdue" depends on when it is read, not on what is stored. */
    json_object_del(json_object_get(c, "sla"), "overdue");
    /* A case's findings are the findings' link (findings.case_id, each
     * change audited as the finding's): a finding opened again in a newer
     * case leaves the older one without a change of its own. */
    json_object_del(c, "findings");
    json_object_del(c, "assets");
}

/* Fields a migration added to a case as its snapshot holds it, absent from
 * a snapshot an earlier release wrote, while the row has the migration's
 * default: there they compare equal to their absence (any other value is
 * a change). Migration 8: a participant's credit, 0. Without this, every
 * case with a participant failed `audit verify` after the upgrade
 * (tests/store/test_upgrade.c). */
static void case_drop_added(json_t *now, const json_t *after)
{
    json_t *was = json_object_get(after, "participants"), *p;
    size_t i;

    json_array_foreach(json_object_get(now, "participants"), i, p) {
        json_t *old = json_array_get(was, i), *credit = json_object_get(p, "credit");
        if (old != NULL && json_object_get(old, "credit") == NULL && json_is_integer(credit) &&
            json_integer_value(credit) == 0)
            json_object_del(p, "credit");
    }
}

/* Checks case id: its row and parts equal its newest audit snapshot, and
 * its timeline hashes to the head that snapshot records. */
static int case_verify_one(xsirt_audit_report *r, xsirt_db *db, int64_t id, xsirt_error *err)
{
    char head[XSIRT_AUDIT_HASH_HEX];
    int64_t seq, count = 0, last = 0;
    json_t *after, *tl, *now = NULL;
    int rc;

    after = case_last_record(db, id, &seq, err, &rc);
    if (rc != 0)
        return rc;
    if (seq == 0 || after == NULL) {
        json_decref(after);
        xsirt_audit_set_bad(r, seq, id, seq == 0 ? "case %lld has no audit record (written outside xsirt)"
                                                 : "case %lld: its last audit record has no snapshot",
                            (long long)id);
        return 0;
    }
    tl = json_incref(json_object_get(after, "timeline"));
    json_object_del(after, "timeline");
    if ((rc = case_load(&now, db, id, NULL, err)) == 0) {
        case_drop_clock(now);
        case_drop_clock(after);
        case_drop_added(now, after);
        if (!json_equal(now, after))
            xsirt_audit_set_bad(r, seq, id, "case %lld differs from its last audit record %lld "
                                "(changed outside xsirt)", (long long)id, (long long)seq);
    }
    /* Records written before the timeline was chained carry no head. */
    if (rc == 0 && tl != NULL) {
        memset(head, '0', sizeof head - 1);
        head[sizeof head - 1] = '\0';
        rc = case_timeline_walk(db, id, &count, &last, head, NULL, err);
        if (rc == XSIRT_EINVAL) {
            rc = 0;
            xsirt_audit_set_bad(r, seq, id, "case %lld: a timeline event is damaged (not UTF-8)",
                                (long long)id);
        } else if (rc == 0 && (count != xsirt_json_int(tl, "events") || last != xsirt_json_int(tl, "last") ||
                             xsirt_json_str(tl, "head") == NULL || strcmp(head, xsirt_json_str(tl, "head")) != 0))
            xsirt_audit_set_bad(r, seq, id, "case %lld: the timeline differs from the audit chain "
                                "(events edited, added or deleted outside xsirt)", (long long)id);
    }
    json_decref(now);
    json_decref(tl);
    json_decref(after);
    return rc;
}

int xsirt_case_verify(xsirt_audit_report *r, xsirt_db *db, xsirt_error *err)
{
    int64_t cursor = 0;
    size_t got;
    int rc = 0;

    do {
        xsirt_db_value p[2] = {XSIRT_DB_INTV(cursor), XSIRT_DB_INTV(100)};
        xsirt_db_rows *rows;
        if ((rc = xsirt_db_query(&rows, db, "SELECT id FROM cases WHERE id > ? ORDER BY id LIMIT ?",
                                 p, 2, err)) != 0)
            return rc;
        got = xsirt_db_rows_count(rows);
        for (size_t i = 0; rc == 0 && i < got && xsirt_audit_intact(r); i++) {
            cursor = xsirt_db_rows_int(rows, i, 0);
            r->cases++;
            rc = case_verify_one(r, db, cursor, err);
        }
        xsirt_db_rows_free(rows);
    } while (rc == 0 && got == 100 && xsirt_audit_intact(r));
    if (rc == 0 && xsirt_audit_intact(r)) {
        /* xsirt never deletes a case: one the chain knows and the table
         * lacks was removed behind its back. */
        xsirt_db_rows *gone;
        rc = xsirt_db_query(&gone, db, "SELECT object_id FROM audit_log a WHERE object_type = 'case' "
                                       "AND NOT EXISTS (SELECT 1 FROM cases c WHERE CAST(c.id AS TEXT) = "
                                       "a.object_id) ORDER BY seq LIMIT 1", NULL, 0, err);
        if (rc == 0 && xsirt_db_rows_count(gone) > 0)
            xsirt_audit_set_bad(r, 0, -1, "case %s is in the audit log but not in the database (deleted "
                                "outside xsirt)", xsirt_db_rows_text(gone, 0, 0));
        if (rc == 0)
            xsirt_db_rows_free(gone);
    }
    return rc;
}
