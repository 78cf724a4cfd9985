/*
 * test_case.c — cases on both backends: the TLP visibility matrix for get
 * and list (nothing leaks), write permissions, optimistic concurrency,
 * workflow transitions and their required fields, service-level due
 * dates, escalations, filters and pagination; and issue 14's storage side:
 * rows checked against the audit chain, timeline pages and hidden links,
 * the audit log redacted for auditors, expiry compared as instants; and
 * the server's GET text of a case against the tree it replaces.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "formats/jsonw.h"
#include "store/audit.h"
#include "store/case.h"
#include "store/clock.h"
#include "store/db.h"
#include "store/escalation.h"
#include "store/json_input.h"
#include "store/schema.h"
#include "store/store.h"
#include "store/team.h"
#include "store/user.h"
#include "tests/store/testdb.h"

enum { LEAD, MEM, VIEW, OTHER, EXT, LONER, NUSERS };
static const char *const names[NUSERS] = {"lead", "mem", "view", "other", "ext", "loner"};

typedef struct world {
    xsirt_db *db;
    xsirt_principal sys, u[NUSERS];
    int64_t psirt, soc, org;
} world;

static int64_t mk_team(world *w, const char *name, const char *kind)
{
    json_t *in = json_pack("{s:s, s:s}", "name", name, "kind", kind), *out;
    xsirt_error err;
    int64_t id;

    assert_int_equal(xsirt_team_create(&out, w->db, &w->sys, in, &err), 0);
    id = xsirt_json_int(out, "id");
    json_decref(in);
    json_decref(out);
    return id;
}

static int setup(void **state)
{
    static int n;
    world *w = calloc(1, sizeof *w);
    xsirt_error err;

    if (testdb_open_store(&w->db, "case", n++) != 0)
        return -1;
    xsirt_principal_system(&w->sys);
    w->psirt = mk_team(w, "PSIRT", "PSIRT");
    w->soc = mk_team(w, "SOC", "SOC");
    xsirt_db_exec(w->db, "INSERT INTO organisations (name, kind, created_at) VALUES ('Supplier', "
                         "'supplier', 'now')", NULL, 0, NULL, &err);
    xsirt_db_query_int(&w->org, w->db, "SELECT id FROM organisations", NULL, 0, &err);
    for (int i = 0; i < NUSERS; i++) {
        xsirt_user_new u = {names[i], NULL, NULL, NULL, "user", i == EXT ? w->org : 0, NULL};
        int64_t id;
        assert_int_equal(xsirt_user_create(&id, w->db, &w->sys, &u, &err), 0);
        assert_int_equal(xsirt_user_principal(&w->u[i], w->db, id, &err), 0);
    }
    assert_int_equal(xsirt_team_set_member(w->db, &w->sys, w->psirt, w->u[LEAD].user_id, "lead", &err), 0);
    assert_int_equal(xsirt_team_set_member(w->db, &w->sys, w->psirt, w->u[MEM].user_id, "member", &err), 0);
    assert_int_equal(xsirt_team_set_member(w->db, &w->sys, w->psirt, w->u[VIEW].user_id, "viewer", &err), 0);
    assert_int_equal(xsirt_team_set_member(w->db, &w->sys, w->soc, w->u[OTHER].user_id, "member", &err), 0);
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

static int64_t mk_case(world *w, const char *tlp, const char *severity, const char *title)
{
    json_t *in = json_pack("{s:s, s:s, s:I, s:s, s:s}", "title", title, "kind", "vulnerability",
                           "team", (json_int_t)w->psirt, "tlp", tlp, "description", "details"), *out = NULL;
    xsirt_error err;
    int64_t id;

    if (severity != NULL)
        json_object_set_new(in, "severity", json_string(severity));
    if (xsirt_case_create(&out, w->db, &w->u[MEM], in, &err) != 0)
        fail_msg("create: %s (%s)", err.message, err.pointer);
    id = xsirt_json_int(out, "id");
    assert_string_equal(xsirt_json_str(out, "state"), "discovery");
    json_decref(in);
    json_decref(out);
    return id;
}

static bool sees(world *w, int who, int64_t id)
{
    json_t *c = NULL;
    xsirt_error err;
    int rc = xsirt_case_get(&c, w->db, &w->u[who], id, &err);

    json_decref(c);
    assert_true(rc == 0 || rc == XSIRT_ENOTFOUND);
    return rc == 0;
}

/* The ids a user's list returns, as a bit set over ids 1..63. */
static uint64_t listed(world *w, int who)
{
    xsirt_case_filter f = {.limit = 200};
    json_t *page;
    xsirt_error err;
    uint64_t set = 0;

    assert_int_equal(xsirt_case_list(&page, w->db, &w->u[who], &f, &err), 0);
    for (size_t i = 0; i < json_array_size(json_object_get(page, "items")); i++)
        set |= 1ull << xsirt_json_int(json_array_get(json_object_get(page, "items"), i), "id");
    json_decref(page);
    return set;
}

static void test_tlp_matrix(void **state)
{
    world *w = *state;
    static const char *const tlps[] = {"CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED"};
    /* Expected visibility before any participant is added, per user. */
    static const bool expect[5][NUSERS] = {
        /*               lead   mem   view  other  ext    loner */
        /* CLEAR */     {true, true, true, true, true, true},
        /* GREEN */     {true, true, true, true, false, false},
        /* AMBER */     {true, true, true, false, false, false},
        /* AMBER+S */   {true, true, true, false, false, false},
        /* RED */       {false, true, false, false, false, false},
    };
    int64_t ids[5];
    xsirt_error err;
    json_t *in, *out;

    for (int t = 0; t < 5; t++)
        ids[t] = mk_case(w, tlps[t], NULL, tlps[t]);
    for (int t = 0; t < 5; t++)
        for (int u = 0; u < NUSERS; u++) {
            if (sees(w, u, ids[t]) != expect[t][u])
                fail_msg("%s case: %s %s", tlps[t], names[u], expect[t][u] ? "should see" : "sees");
            /* The list agrees with get: no count, no title leaks. */
            assert_int_equal((listed(w, u) >> ids[t]) & 1, expect[t][u]);
        }

    /* Participation opens AMBER (and GREEN) to the supplier and the SOC,
     * but not AMBER+STRICT; RED needs the user by name. */
    for (int t = 1; t < 5; t++) {
        in = json_pack("{s:s, s:I}", "role", "supplier", "organisation", (json_int_t)w->org);
        assert_int_equal(xsirt_case_add_participant(&out, w->db, &w->u[MEM], ids[t], in, &err), 0);
        json_decref(in);
        json_decref(out);
        in = json_pack("{s:s, s:I}", "role", "internal", "team", (json_int_t)w->soc);
        assert_int_equal(xsirt_case_add_participant(&out, w->db, &w->u[MEM], ids[t], in, &err), 0);
        json_decref(in);
        json_decref(out);
    }
    assert_true(sees(w, EXT, ids[1]) && sees(w, EXT, ids[2]));
    assert_true(sees(w, OTHER, ids[2]));
    assert_false(sees(w, EXT, ids[3]) || sees(w, OTHER, ids[3]));
    assert_false(sees(w, EXT, ids[4]) || sees(w, OTHER, ids[4]) || sees(w, LEAD, ids[4]));
    in = json_pack("{s:s, s:I}", "role", "internal", "user", (json_int_t)w->u[LEAD].user_id);
    assert_int_equal(xsirt_case_add_participant(&out, w->db, &w->u[MEM], ids[4], in, &err), 0);
    json_decref(in);
    json_decref(out);
    assert_true(sees(w, LEAD, ids[4]));
    assert_false(sees(w, LONER, ids[2]));
}

static void test_write_permissions(void **state)
{
    world *w = *state;
    int64_t id = mk_case(w, "AMBER", "low", "perm");
    json_t *in = json_pack("{s:s}", "title", "changed"), *out = NULL;
    xsirt_error err;

    /* A viewer reads but cannot write; an outsider does not even see it. */
    assert_int_equal(xsirt_case_update(&out, w->db, &w->u[VIEW], id, 0, in, &err), XSIRT_EDENIED);
    assert_int_equal(xsirt_case_update(&out, w->db, &w->u[OTHER], id, 0, in, &err), XSIRT_ENOTFOUND);
    assert_int_equal(xsirt_case_update(&out, w->db, &w->u[LEAD], id, 0, in, &err), 0);
    json_decref(out);
    json_decref(in);
    /* Opening a case for a team one is not in is refused. */
    in = json_pack("{s:s, s:s, s:I}", "title", "x", "kind", "incident", "team", (json_int_t)w->soc);
    assert_int_equal(xsirt_case_create(&out, w->db, &w->u[MEM], in, &err), XSIRT_EDENIED);
    json_decref(in);
}

static void test_revision_conflict(void **state)
{
    world *w = *state;
    int64_t id = mk_case(w, "AMBER", NULL, "etag");
    json_t *a = json_pack("{s:s}", "title", "first"), *b = json_pack("{s:s}", "title", "second");
    json_t *out = NULL, *audit_check;
    xsirt_error err;

    assert_int_equal(xsirt_case_update(&out, w->db, &w->u[MEM], id, 1, a, &err), 0);
    assert_int_equal(xsirt_json_int(out, "revision"), 2);
    json_decref(out);
    /* The second writer still holds revision 1: refused, nothing lost. */
    assert_int_equal(xsirt_case_update(&out, w->db, &w->u[LEAD], id, 1, b, &err), XSIRT_ECONFLICT);
    assert_int_equal(xsirt_case_get(&audit_check, w->db, &w->u[MEM], id, &err), 0);
    assert_string_equal(xsirt_json_str(audit_check, "title"), "first");
    json_decref(audit_check);
    json_decref(a);
    json_decref(b);
}

static void transition(world *w, int64_t id, const char *to, const char *resolution, int want)
{
    json_t *in = json_pack("{s:s}", "to", to), *out = NULL;
    xsirt_error err;
    int rc;

    if (resolution != NULL)
        json_object_set_new(in, "resolution", json_string(resolution));
    rc = xsirt_case_transition(&out, w->db, &w->u[MEM], id, 0, in, &err);
    if (rc != want)
        fail_msg("-> %s: got %d want %d: %s", to, rc, want, err.message);
    if (rc == 0)
        assert_string_equal(xsirt_json_str(out, "state"), to);
    json_decref(out);
    json_decref(in);
}

static void test_workflow(void **state)
{
    world *w = *state;
    int64_t id = mk_case(w, "AMBER", "high", "flow");
    json_t *c;
    xsirt_error err;

    transition(w, id, "disclosure", NULL, XSIRT_EINVAL);   /* no such edge */
    transition(w, id, "triage", NULL, 0);
    transition(w, id, "rejected", NULL, XSIRT_EINVAL);     /* requires resolution */
    transition(w, id, "remediation", NULL, 0);
    transition(w, id, "disclosure", NULL, 0);
    transition(w, id, "closed", "fixed in 2.4.1", 0);
    assert_int_equal(xsirt_case_get(&c, w->db, &w->u[MEM], id, &err), 0);
    assert_string_equal(xsirt_json_str(c, "resolution"), "fixed in 2.4.1");
    assert_false(json_is_null(json_object_get(json_object_get(c, "sla"), "closed")));
    assert_false(json_is_null(json_object_get(json_object_get(c, "sla"), "acknowledged")));
    assert_false(json_is_null(json_object_get(json_object_get(c, "sla"), "triaged")));
    json_decref(c);
    transition(w, id, "triage", NULL, 0);                   /* reopen */
    assert_int_equal(xsirt_case_get(&c, w->db, &w->u[MEM], id, &err), 0);
    assert_true(json_is_null(json_object_get(json_object_get(c, "sla"), "closed")));
    json_decref(c);
    /* The timeline tells the story. */
    assert_int_equal(xsirt_case_timeline(&c, w->db, &w->u[VIEW], id, NULL, &err), 0);
    assert_int_equal(json_array_size(json_object_get(c, "items")), 1 + 5);
    json_decref(c);
}

static void test_sla_and_escalation(void **state)
{
    world *w = *state;
    int64_t crit = mk_case(w, "AMBER", "critical", "critical one"), low = mk_case(w, "AMBER", "low", "low one");
    json_t *c, *esc, *rule, *in;
    xsirt_error err;
    time_t created, ack;
    int fired = 0;

    assert_int_equal(xsirt_case_get(&c, w->db, &w->u[MEM], crit, &err), 0);
    assert_int_equal(xsirt_clock_parse(&created, xsirt_json_str(c, "created")), 0);
    assert_int_equal(xsirt_clock_parse(&ack, xsirt_json_str(json_object_get(c, "sla"), "acknowledge")), 0);
    assert_int_equal(ack - created, 4 * 3600);
    json_decref(c);
    /* "Critical cases reach the CISO" fired once, for the critical case only. */
    assert_int_equal(xsirt_escalation_list(&esc, w->db, crit, NULL, &err), 0);
    assert_int_equal(json_array_size(json_object_get(esc, "items")), 1);
    assert_string_equal(xsirt_json_str(json_array_get(json_object_get(esc, "items"), 0), "target"), "ciso");
    json_decref(esc);
    assert_int_equal(xsirt_escalation_list(&esc, w->db, low, NULL, &err), 0);
    assert_int_equal(json_array_size(json_object_get(esc, "items")), 0);
    json_decref(esc);

    /* An overdue rule fires from the periodic sweep, once. */
    rule = json_pack("{s:s, s:{s:b}, s:s, s:s}", "name", "overdue to management", "condition",
                     "overdue", 1, "target_kind", "group", "target", "management");
    assert_int_equal(xsirt_escalation_rule_create(&c, w->db, &w->sys, rule, &err), 0);
    json_decref(c);
    json_decref(rule);
    in = json_pack("{s:s}", "due", "2020-01-01");
    assert_int_equal(xsirt_case_update(&c, w->db, &w->u[MEM], low, 0, in, &err), 0);
    assert_true(json_is_true(json_object_get(json_object_get(c, "sla"), "overdue")));
    json_decref(c);
    json_decref(in);
    assert_int_equal(xsirt_case_escalate_overdue(&fired, w->db, &err), 0);
    assert_int_equal(fired, 0);   /* the update itself already escalated it */
    assert_int_equal(xsirt_escalation_list(&esc, w->db, low, NULL, &err), 0);
    assert_int_equal(json_array_size(json_object_get(esc, "items")), 1);
    json_decref(esc);
}

static void test_filters_and_pages(void **state)
{
    world *w = *state;
    xsirt_case_filter f = {.limit = 2};
    json_t *page, *in, *out;
    xsirt_error err;
    int64_t seen = 0, ids[5];
    int pages = 0;

    for (int i = 0; i < 5; i++) {
        char title[32];
        snprintf(title, sizeof title, "case %d%s", i, i == 3 ? " 100% broken" : "");
        ids[i] = mk_case(w, "AMBER", i % 2 ? "high" : "low", title);
    }
    in = json_pack("{s:[s]}", "labels", "ot");
    assert_int_equal(xsirt_case_update(&out, w->db, &w->u[MEM], ids[2], 0, in, &err), 0);
    json_decref(out);
    json_decref(in);
    do {
        assert_int_equal(xsirt_case_list(&page, w->db, &w->u[MEM], &f, &err), 0);
        seen += (int64_t)json_array_size(json_object_get(page, "items"));
        f.cursor = json_is_null(json_object_get(page, "next")) ? 0 : xsirt_json_int(page, "next");
        pages++;
        json_decref(page);
    } while (f.cursor != 0);
    assert_int_equal(seen, 5);
    assert_int_equal(pages, 3);

    memset(&f, 0, sizeof f);
    f.label = "ot";
    assert_int_equal(xsirt_case_list(&page, w->db, &w->u[MEM], &f, &err), 0);
    assert_int_equal(json_array_size(json_object_get(page, "items")), 1);
    json_decref(page);
    f.label = NULL;
    f.text = "100%";
    assert_int_equal(xsirt_case_list(&page, w->db, &w->u[MEM], &f, &err), 0);
    assert_int_equal(json_array_size(json_object_get(page, "items")), 1);
    json_decref(page);
    f.text = "CASE";
    f.severity = "high";
    assert_int_equal(xsirt_case_list(&page, w->db, &w->u[MEM], &f, &err), 0);
    assert_int_equal(json_array_size(json_object_get(page, "items")), 2);
    json_decref(page);
}

static void test_bad_input(void **state)
{
    world *w = *state;
    xsirt_error err;
    json_t *out = NULL, *in;

    in = json_pack("{s:s, s:s, s:I, s:s}", "title", "t", "kind", "vulnerability", "team",
                   (json_int_t)w->psirt, "tlp", "YELLOW");
    assert_int_equal(xsirt_case_create(&out, w->db, &w->u[MEM], in, &err), XSIRT_EINVAL);
    assert_string_equal(err.pointer, "tlp");
    json_decref(in);
    in = json_pack("{s:s, s:s, s:I}", "title", "t", "kind", "espionage", "team", (json_int_t)w->psirt);
    assert_int_equal(xsirt_case_create(&out, w->db, &w->u[MEM], in, &err), XSIRT_EINVAL);
    assert_string_equal(err.pointer, "kind");
    json_decref(in);
    in = json_pack("{s:s, s:s, s:I, s:s}", "title", "t", "kind", "incident", "team",
                   (json_int_t)w->psirt, "due", "next week");
    assert_int_equal(xsirt_case_create(&out, w->db, &w->u[MEM], in, &err), XSIRT_EINVAL);
    assert_string_equal(err.pointer, "due");
    json_decref(in);
    in = json_pack("{s:s, s:s, s:I, s:s}", "title", "t", "kind", "incident", "team",
                   (json_int_t)w->psirt, "classification", "rsit:espionage");
    assert_int_equal(xsirt_case_create(&out, w->db, &w->u[MEM], in, &err), XSIRT_EINVAL);
    assert_string_equal(err.pointer, "classification");
    json_decref(in);
    in = json_pack("{s:s, s:s, s:I, s:s}", "title", "t", "kind", "incident", "team",
                   (json_int_t)w->psirt, "classification", "rsit:fraud=\"phishing\"");
    assert_int_equal(xsirt_case_create(&out, w->db, &w->u[MEM], in, &err), 0);
    assert_string_equal(xsirt_json_str(out, "classification"), "rsit:fraud=\"phishing\"");
    json_decref(out);
    json_decref(in);
    in = json_pack("{s:s, s:s, s:I, s:b}", "title", "t", "kind", "incident", "team",
                   (json_int_t)w->psirt, "urgent", 1);
    assert_int_equal(xsirt_case_create(&out, w->db, &w->u[MEM], in, &err), XSIRT_EINVAL);
    assert_string_equal(err.pointer, "urgent");
    json_decref(in);
}

static void test_cvss_sets_severity(void **state)
{
    world *w = *state;
    json_t *in, *c = NULL;
    xsirt_error err;
    int64_t id;

    /* Out of order 3.1 metrics: stored canonically, scored by xsirt. */
    in = json_pack("{s:s, s:s, s:I, s:s}", "title", "cvss", "kind", "vulnerability", "team",
                   (json_int_t)w->psirt, "cvss", "CVSS:3.1/C:H/I:H/A:H/AV:N/AC:L/PR:N/UI:N/S:U");
    assert_int_equal(xsirt_case_create(&c, w->db, &w->u[MEM], in, &err), 0);
    assert_string_equal(xsirt_json_str(c, "cvss"), "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
    assert_string_equal(xsirt_json_str(c, "severity"), "critical");
    assert_true(json_real_value(json_object_get(c, "score")) > 9.79 &&
                json_real_value(json_object_get(c, "score")) < 9.81);
    id = xsirt_json_int(c, "id");
    json_decref(c);
    json_decref(in);

    /* A 4.0 vector lowers it, and the service-level dates follow. */
    in = json_pack("{s:s}", "cvss", "CVSS:4.0/AV:L/AC:H/AT:P/PR:H/UI:A/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N");
    assert_int_equal(xsirt_case_update(&c, w->db, &w->u[MEM], id, 0, in, &err), 0);
    assert_string_equal(xsirt_json_str(c, "severity"), "low");
    assert_true(json_real_value(json_object_get(c, "score")) < 4.0);
    json_decref(c);
    json_decref(in);

    in = json_pack("{s:s, s:s}", "cvss", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "severity", "low");
    assert_int_equal(xsirt_case_update(&c, w->db, &w->u[MEM], id, 0, in, &err), XSIRT_EINVAL);
    assert_string_equal(err.pointer, "severity");
    json_decref(in);
    in = json_pack("{s:s}", "cvss", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:Q");
    assert_int_equal(xsirt_case_update(&c, w->db, &w->u[MEM], id, 0, in, &err), XSIRT_EINVAL);
    assert_string_equal(err.pointer, "cvss");
    assert_non_null(strstr(err.message, "A"));
    json_decref(in);
    in = json_pack("{s:n}", "cvss");
    assert_int_equal(xsirt_case_update(&c, w->db, &w->u[MEM], id, 0, in, &err), 0);
    assert_true(json_is_null(json_object_get(c, "cvss")) && json_is_null(json_object_get(c, "score")));
    assert_string_equal(xsirt_json_str(c, "severity"), "low");
    json_decref(c);
    json_decref(in);
}

static void test_audit_chain_after_all_that(void **state)
{
    world *w = *state;
    xsirt_audit_report r;
    xsirt_error err;

    mk_case(w, "RED", "critical", "audited");
    assert_int_equal(xsirt_audit_verify(&r, w->db, &err), 0);
    assert_int_equal(r.bad_seq, 0);
    assert_true(r.records > 10);
}

static void add_note(world *w, int who, int64_t id, const char *body)
{
    json_t *in = json_pack("{s:s}", "body", body), *out = NULL;
    xsirt_error err;

    if (xsirt_case_add_note(&out, w->db, &w->u[who], id, in, &err) != 0)
        fail_msg("note: %s", err.message);
    json_decref(in);
    json_decref(out);
}

/* Issue 14, finding 6: the rows of every case are checked against the
 * chain; a note edited in the database is found, and so is a case row. */
static void test_rows_against_chain(void **state)
{
    world *w = *state;
    int64_t a = mk_case(w, "AMBER", "low", "chained"), b = mk_case(w, "GREEN", NULL, "other");
    xsirt_audit_report r;
    xsirt_error err;
    xsirt_db_value p[1] = {XSIRT_DB_INTV(a)};

    add_note(w, MEM, a, "first");
    add_note(w, LEAD, a, "second");
    assert_int_equal(xsirt_store_verify(&r, w->db, &err), 0);
    assert_true(xsirt_audit_intact(&r));
    assert_int_equal(r.cases, 2);
    assert_int_equal(xsirt_db_exec(w->db, "UPDATE case_events SET body = 'forged' WHERE case_id = ? "
                                          "AND body = 'first'", p, 1, NULL, &err), 0);
    assert_int_equal(xsirt_store_verify(&r, w->db, &err), 0);
    assert_false(xsirt_audit_intact(&r));
    assert_int_equal(r.bad_case, a);
    assert_non_null(strstr(r.problem, "timeline"));
    assert_int_equal(xsirt_db_exec(w->db, "UPDATE case_events SET body = 'first' WHERE case_id = ? "
                                          "AND body = 'forged'", p, 1, NULL, &err), 0);
    p[0] = XSIRT_DB_INTV(b);
    assert_int_equal(xsirt_db_exec(w->db, "UPDATE cases SET tlp = 'CLEAR' WHERE id = ?", p, 1, NULL, &err), 0);
    assert_int_equal(xsirt_store_verify(&r, w->db, &err), 0);
    assert_int_equal(r.bad_case, b);
}

/* Findings 2 and 5: the timeline pages by count; link events to a case
 * the reader may not see are left out, and so are such links. */
static void test_timeline_pages_and_hidden_links(void **state)
{
    world *w = *state;
    int64_t open = mk_case(w, "AMBER", NULL, "open"), red;
    xsirt_page pg = {0, 2};
    json_t *page = NULL, *in, *c = NULL;
    xsirt_error err;
    size_t total = 0, pages = 0;

    /* RED, created by LEAD: MEM is not named on it. */
    in = json_pack("{s:s, s:s, s:I, s:s}", "title", "secret", "kind", "vulnerability", "team",
                   (json_int_t)w->psirt, "tlp", "RED");
    assert_int_equal(xsirt_case_create(&c, w->db, &w->u[LEAD], in, &err), 0);
    red = xsirt_json_int(c, "id");
    json_decref(in);
    json_decref(c);
    in = json_pack("{s:I, s:s}", "target", (json_int_t)red, "kind", "related");
    assert_int_equal(xsirt_case_add_link(&c, w->db, &w->u[LEAD], open, in, &err), 0);
    assert_int_equal(json_array_size(json_object_get(c, "links")), 1);   /* LEAD sees it */
    json_decref(in);
    json_decref(c);
    for (int i = 0; i < 4; i++)
        add_note(w, MEM, open, "note");
    assert_int_equal(xsirt_case_get(&c, w->db, &w->u[MEM], open, &err), 0);
    assert_int_equal(json_array_size(json_object_get(c, "links")), 0);
    json_decref(c);
    do {
        assert_int_equal(xsirt_case_timeline(&page, w->db, &w->u[MEM], open, &pg, &err), 0);
        assert_true(json_array_size(json_object_get(page, "items")) <= 2);
        for (size_t i = 0; i < json_array_size(json_object_get(page, "items")); i++)
            assert_string_not_equal(xsirt_json_str(json_array_get(json_object_get(page, "items"), i), "kind"),
                                    "link");
        total += json_array_size(json_object_get(page, "items"));
        pg.cursor = json_integer_value(json_object_get(page, "next"));
        pages++;
        json_decref(page);
    } while (pg.cursor != 0 && pages < 20);
    assert_int_equal(total, 1 + 4);   /* created and four notes; the link event hidden */
    assert_int_equal(pages, 3);
    pg = (xsirt_page){0, 0};
    assert_int_equal(xsirt_case_timeline(&page, w->db, &w->u[LEAD], open, &pg, &err), 0);
    assert_int_equal(json_array_size(json_object_get(page, "items")), 1 + 1 + 4);
    json_decref(page);
}

/* ---- the GET's text (xsirt_case_get_text) ------------------------------------ */

/* Runs q with its n (1 or 2) parameters a, b. */
static void sql(world *w, const char *q, size_t n, int64_t a, int64_t b)
{
    xsirt_db_value p[2] = {XSIRT_DB_INTV(a), XSIRT_DB_INTV(b)};
    xsirt_error err;

    if (xsirt_db_exec(w->db, q, p, n, NULL, &err) != 0)
        fail_msg("%s: %s", q, err.message);
}

/* The text the server sends for case id equals xsirt_case_get's tree
 * dumped compact, byte for byte, for by (and both refuse alike); the
 * revision is the tree's. */
static void same_text(world *w, const xsirt_principal *by, int64_t id)
{
    json_t *c = NULL;
    xsirt_buf tree, text;
    xsirt_error e1, e2;
    int64_t revision = -1;
    int r1 = xsirt_case_get(&c, w->db, by, id, &e1), r2;

    xsirt_buf_init(&tree, XSIRT_LIMIT_ANSWER_BYTES);
    xsirt_buf_init(&text, XSIRT_LIMIT_ANSWER_BYTES);
    r2 = xsirt_case_get_text(&text, &revision, w->db, by, id, &e2);
    if (r1 != r2)
        fail_msg("case %lld: tree %d (%s), text %d (%s)", (long long)id, r1, r1 != 0 ? e1.message : "",
                 r2, r2 != 0 ? e2.message : "");
    if (r1 == 0) {
        assert_int_equal(xsirt_jsonw_dump_compact(&tree, c), 0);
        if (strcmp(xsirt_buf_cstr(&tree), xsirt_buf_cstr(&text)) != 0)
            fail_msg("case %lld differs:\ntree %s\ntext %s", (long long)id, xsirt_buf_cstr(&tree),
                     xsirt_buf_cstr(&text));
        assert_int_equal(revision, xsirt_json_int(c, "revision"));
    }
    json_decref(c);
    xsirt_buf_free(&tree);
    xsirt_buf_free(&text);
}

static void same_text_for_all(world *w, int64_t id)
{
    same_text(w, &w->sys, id);
    for (int i = 0; i < NUSERS; i++)
        same_text(w, &w->u[i], id);
}

static void add_part(world *w, int64_t id, json_t *in, bool link)
{
    json_t *c = NULL;
    xsirt_error err;
    int rc = link ? xsirt_case_add_link(&c, w->db, &w->sys, id, in, &err)
                  : xsirt_case_add_participant(&c, w->db, &w->sys, id, in, &err);

    if (rc != 0)
        fail_msg("add: %s (%s)", err.message, err.pointer);
    json_decref(in);
    json_decref(c);
}

/* case_load_row answers a member of the case's own team (and CLEAR) with a
 * short statement before the whole rule: what it admits must be what the
 * rule admits. The rule hides every case from an external account, also
 * one of the team's members (a principal made so: no other reader here
 * is an external account). */
static void test_own_team_shortcut(void **state)
{
    static const char *const tlps[] = {"CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED"};
    world *w = *state;
    xsirt_principal ext = w->u[MEM];

    ext.external = true;
    for (size_t i = 0; i < sizeof tlps / sizeof tlps[0]; i++) {
        int64_t id = mk_case(w, tlps[i], NULL, tlps[i]);
        json_t *c = NULL;
        xsirt_buf b;
        xsirt_error err;
        int64_t revision = 0;

        assert_int_equal(xsirt_case_get(&c, w->db, &ext, id, &err), XSIRT_ENOTFOUND);
        xsirt_buf_init(&b, XSIRT_LIMIT_ANSWER_BYTES);
        assert_int_equal(xsirt_case_get_text(&b, &revision, w->db, &ext, id, &err), XSIRT_ENOTFOUND);
        xsirt_buf_free(&b);
        /* The creator of the RED case is its participant; the others'
         * membership of the team is what the shortcut looks at. */
        assert_true(sees(w, MEM, id));
        assert_true(sees(w, LEAD, id) == (strcmp(tlps[i], "RED") != 0));
        /* GREEN: a member of any team (of no organisation) sees it. */
        assert_true(sees(w, OTHER, id) == (i < 2));
    }
}

/* Every optional part present and absent, every TLP, every reader. */
static void test_text_equals_tree(void **state)
{
    static const char *const tlps[] = {"CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED"};
    world *w = *state;
    int64_t bare = mk_case(w, "AMBER", NULL, "bare"), full, red = mk_case(w, "RED", NULL, "red");
    json_t *in = json_pack("{s:s, s:s, s:I, s:s, s:s, s:[s,s,s], s:[{s:s,s:s},{s:s,s:s},{s:s,s:s}],"
                           " s:s, s:s, s:s, s:s, s:s, s:I}",
                           "title", "Quote \" backslash \\ tab \t line\n \xc3\xa9\xe2\x82\xac \x01",
                           "kind", "incident", "team", (json_int_t)w->psirt, "tlp", "GREEN",
                           "description", "d", "labels", "zeta", "alpha", "m\"id",
                           "references", "kind", "url", "value", "https://b.example/x", "kind", "cve",
                           "value", "CVE-2025-0001", "kind", "url", "value", "https://a.example/y",
                           "severity", "high", "priority", "P2", "classification", "rsit:fraud",
                           "due", "2020-01-02T03:04:05.000Z", "embargo", "2099-01-01T00:00:00.000Z",
                           "assignee", (json_int_t)w->u[MEM].user_id), *out = NULL;
    xsirt_error err;
    int64_t asset_psirt, asset_soc;

    if (xsirt_case_create(&out, w->db, &w->u[MEM], in, &err) != 0)
        fail_msg("create: %s (%s)", err.message, err.pointer);
    full = xsirt_json_int(out, "id");
    json_decref(in);
    json_decref(out);
    same_text_for_all(w, bare);
    same_text_for_all(w, full);
    /* Participants of every kind, links to a case some may not see. */
    add_part(w, full, json_pack("{s:s, s:s, s:s}", "role", "reporter", "name", "A \"B\" C", "email",
                                "a@example.org"), false);
    add_part(w, full, json_pack("{s:s, s:I}", "role", "internal", "user",
                                (json_int_t)w->u[OTHER].user_id), false);
    add_part(w, full, json_pack("{s:s, s:I}", "role", "supplier", "organisation", (json_int_t)w->org),
             false);
    add_part(w, full, json_pack("{s:s, s:I}", "role", "coordinator", "team", (json_int_t)w->soc), false);
    sql(w, "UPDATE case_participants SET credit = 1 WHERE case_id = ? AND role = 'reporter'", 1, full, 0);
    add_part(w, full, json_pack("{s:I, s:s}", "target", (json_int_t)red, "kind", "related"), true);
    add_part(w, full, json_pack("{s:I, s:s}", "target", (json_int_t)bare, "kind", "duplicate-of"), true);
    add_part(w, bare, json_pack("{s:I, s:s}", "target", (json_int_t)red, "kind", "parent-of"), true);
    same_text_for_all(w, full);
    same_text_for_all(w, bare);
    /* Findings on two assets (one twice), of two teams. */
    sql(w, "INSERT INTO assets (name, kind, team_id, created_at, updated_at) VALUES ('p', 'product', ?, "
           "'2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z')", 1, w->psirt, 0);
    assert_int_equal(xsirt_db_query_int(&asset_psirt, w->db, "SELECT MAX(id) FROM assets", NULL, 0, &err), 0);
    sql(w, "INSERT INTO assets (name, kind, team_id, created_at, updated_at) VALUES ('s', 'device', ?, "
           "'2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z')", 1, w->soc, 0);
    assert_int_equal(xsirt_db_query_int(&asset_soc, w->db, "SELECT MAX(id) FROM assets", NULL, 0, &err), 0);
    for (int i = 0; i < 3; i++)
        sql(w, "INSERT INTO findings (asset_id, component_key, component_base, component_name, vuln_id, "
               "priority, first_seen, last_seen, case_id) SELECT ?, 'k' || COUNT(*), 'k', 'c', 'CVE-2025-1', 'P3', "
               "'2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z', ? FROM findings", 2,
            i == 1 ? asset_psirt : asset_soc, full);
    same_text_for_all(w, full);
    /* The SLA fields set, met, missed; a score; closed. */
    sql(w, "UPDATE cases SET due_acknowledge = '2020-01-01T00:00:00.000Z', due_triage = "
           "'2099-01-01T00:00:00.000Z', due_remediate = '2099-02-01T00:00:00.000Z', score10 = 75, "
           "due = NULL WHERE id = ? OR id = ?", 2, full, bare);
    same_text_for_all(w, full);   /* overdue: acknowledge missed */
    sql(w, "UPDATE cases SET acknowledged_at = '2019-12-31T00:00:00.000Z', score10 = 100 WHERE id = ?", 1,
        full, 0);
    same_text_for_all(w, full);   /* not overdue */
    sql(w, "UPDATE cases SET triaged_at = '2020-01-01T00:00:00.000Z', closed_at = "
           "'2020-01-02T00:00:00.000Z', due_remediate = '2020-01-01T00:00:00.000Z', score10 = 3 "
           "WHERE id = ?", 1, full, 0);
    same_text_for_all(w, full);
    same_text_for_all(w, bare);
    for (size_t i = 0; i < sizeof tlps / sizeof tlps[0]; i++) {
        xsirt_db_value p[2] = {XSIRT_DB_TEXTV(tlps[i]), XSIRT_DB_INTV(full)};
        assert_int_equal(xsirt_db_exec(w->db, "UPDATE cases SET tlp = ? WHERE id = ?", p, 2, NULL, &err), 0);
        same_text_for_all(w, full);
    }
    same_text_for_all(w, 999999);   /* no such case */
}

/* Finding 4: an auditor reads records of cases they may not see redacted. */
static void test_audit_redacted_for_auditor(void **state)
{
    world *w = *state;
    int64_t red = mk_case(w, "RED", NULL, "hidden title"), clear = mk_case(w, "CLEAR", NULL, "open title");
    xsirt_user_new u = {"aud", NULL, NULL, NULL, "auditor", 0, NULL};
    xsirt_principal aud;
    xsirt_page pg = {0, 200};
    json_t *page = NULL;
    xsirt_error err;
    int64_t id;
    int seen_red = 0, seen_clear = 0;
    char *text;

    assert_int_equal(xsirt_user_create(&id, w->db, &w->sys, &u, &err), 0);
    assert_int_equal(xsirt_user_principal(&aud, w->db, id, &err), 0);
    assert_int_equal(xsirt_audit_list(&page, w->db, &aud, &pg, &err), 0);
    text = json_dumps(page, 0);
    assert_null(strstr(text, "hidden title"));
    assert_non_null(strstr(text, "open title"));
    free(text);
    for (size_t i = 0; i < json_array_size(json_object_get(page, "items")); i++) {
        json_t *r = json_array_get(json_object_get(page, "items"), i);
        if (strcmp(xsirt_json_str(r, "object_type"), "case") != 0)
            continue;
        if (atoll(xsirt_json_str(r, "object_id")) == red) {
            seen_red++;
            assert_true(json_is_true(json_object_get(r, "redacted")));
            assert_true(json_is_null(json_object_get(r, "after")));
            assert_int_equal(strlen(xsirt_json_str(r, "hash")), 64);
        } else if (atoll(xsirt_json_str(r, "object_id")) == clear) {
            seen_clear++;
            assert_true(json_is_false(json_object_get(r, "redacted")));
        }
    }
    assert_int_equal(seen_red, 1);
    assert_int_equal(seen_clear, 1);
    json_decref(page);
    assert_int_equal(xsirt_audit_list(&page, w->db, &w->u[MEM], &pg, &err), XSIRT_EDENIED);
}

/* Finding 7: expiry is an instant, whatever RFC 3339 form it came in. */
static void test_token_expiry_instants(void **state)
{
    world *w = *state;
    char secret[XSIRT_TOKEN_MAX], when[64], past[XSIRT_TIME_MAX];
    xsirt_principal who;
    xsirt_error err;
    json_t *list = NULL;
    int64_t id;
    time_t t = time(NULL) - 3600 + 14 * 3600;   /* an hour ago, as local time at +14:00 */

    xsirt_clock_format(past, t, 0);
    snprintf(when, sizeof when, "%.19s+14:00", past);
    assert_int_equal(xsirt_token_create(&id, secret, w->db, &w->sys, w->u[MEM].user_id, "x", when, &err), 0);
    assert_int_equal(xsirt_token_authenticate(&who, w->db, secret, &err), XSIRT_EDENIED);
    xsirt_clock_format(past, time(NULL) + 86400 * 2, 0);
    snprintf(when, sizeof when, "%.10st00:00:00z", past);   /* the day after tomorrow: alive */
    assert_int_equal(xsirt_token_create(&id, secret, w->db, &w->sys, w->u[MEM].user_id, "y", when, &err), 0);
    assert_int_equal(xsirt_token_authenticate(&who, w->db, secret, &err), 0);
    assert_int_equal(xsirt_token_list(&list, w->db, &w->sys, NULL, &err), 0);
    for (size_t i = 0; i < json_array_size(json_object_get(list, "items")); i++) {
        const char *e = xsirt_json_str(json_array_get(json_object_get(list, "items"), i), "expires");
        if (e != NULL)
            assert_int_equal(strlen(e), 24);   /* 2026-12-05T10:00:00.000Z */
    }
    json_decref(list);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_tlp_matrix, setup, teardown),
        cmocka_unit_test_setup_teardown(test_write_permissions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_revision_conflict, setup, teardown),
        cmocka_unit_test_setup_teardown(test_workflow, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sla_and_escalation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_filters_and_pages, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_input, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cvss_sets_severity, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit_chain_after_all_that, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rows_against_chain, setup, teardown),
        cmocka_unit_test_setup_teardown(test_timeline_pages_and_hidden_links, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit_redacted_for_auditor, setup, teardown),
        cmocka_unit_test_setup_teardown(test_token_expiry_instants, setup, teardown),
        cmocka_unit_test_setup_teardown(test_text_equals_tree, setup, teardown),
        cmocka_unit_test_setup_teardown(test_own_team_shortcut, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
