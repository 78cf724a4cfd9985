/*
 * test_upgrade.c — a database an earlier release left behind opens with
 * this build, on both backends: its data intact and its audit chain (and
 * every case against it) verifying.
 *
 * "An earlier release" is the schema as of an earlier commit: the first N
 * migrations only (xsirt_schema_migrate_to), filled through SQL the way
 * that release's code wrote rows, with the audit records it wrote (case
 * snapshots in that release's shape: a participant had no "credit" before
 * migration 8). N is the release before this one (the newest version but
 * one) and the very first schema (the longest way up). Then the current
 * code opens it: every migration runs, and `audit verify` must hold.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "store/audit.h"
#include "store/case.h"
#include "store/db.h"
#include "store/finding.h"
#include "store/schema.h"
#include "store/store.h"
#include "tests/store/testdb.h"

#define AT "2026-01-10T09:00:00Z"
#define EVENT_AT "2026-01-10T09:00:01Z"

static void exec(xsirt_db *db, const char *sql)
{
    xsirt_error err;

    if (xsirt_db_exec_script(db, sql, &err) != 0)
        fail_msg("%s: %s", sql, err.message);
}

static void audit(xsirt_db *db, const char *action, const char *type, const char *id,
                  const char *before, json_t *after)
{
    char *text = json_dumps(after, JSON_COMPACT | JSON_SORT_KEYS);
    xsirt_audit_entry e = {0};
    xsirt_error err;

    e.actor = "system";
    e.action = action;
    e.object_type = type;
    e.object_id = id;
    e.before = before;
    e.after = text;
    assert_int_equal(xsirt_db_begin(db, &err), 0);
    if (xsirt_audit_append(db, &e, &err) != 0)
        fail_msg("audit: %s", err.message);
    assert_int_equal(xsirt_db_commit(db, &err), 0);
    free(text);
}

/* The rows an earlier release wrote for one team, workflow and case with a
 * label, a reference, a participant and a timeline event, and its audit
 * records. Explicit ids: the same on both backends. */
static void fill_old_release(xsirt_db *db)
{
    char head[XSIRT_AUDIT_HASH_HEX];
    json_t *team, *kase;

    exec(db, "INSERT INTO teams (id, name, kind, description, created_at, updated_at) "
             "VALUES (1, 'PSIRT', 'PSIRT', 'product security', '" AT "', '" AT "')");
    exec(db, "INSERT INTO workflows (id, name, description, initial_state, created_at) "
             "VALUES (1, 'old flow', '', 'new', '" AT "')");
    exec(db, "INSERT INTO workflow_states (workflow_id, name, label, position, terminal) VALUES "
             "(1, 'new', 'New', 0, 0), (1, 'closed', 'Closed', 1, 1)");
    exec(db, "INSERT INTO workflow_transitions (workflow_id, from_state, to_state, name) "
             "VALUES (1, 'new', 'closed', 'close')");
    exec(db, "INSERT INTO case_kinds (name, label, workflow_id) VALUES ('oldkind', 'Old kind', 1)");
    exec(db, "INSERT INTO cases (id, kind, title, description, team_id, state, severity, "
             "cvss_vector, score10, tlp, created_at, updated_at, revision) VALUES (1, 'oldkind', "
             "'Overflow in the parser', 'found by a researcher', 1, 'new', 'high', "
             "'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N', 75, 'AMBER', '" AT "', '" AT "', 1)");
    exec(db, "INSERT INTO case_labels (case_id, label) VALUES (1, 'parser')");
    exec(db, "INSERT INTO case_references (case_id, kind, value) VALUES (1, 'cve', 'CVE-2026-0001')");
    exec(db, "INSERT INTO case_participants (id, case_id, name, email, role, added_at) "
             "VALUES (1, 1, 'A. Finder', 'finder@example.org', 'finder', '" AT "')");
    exec(db, "INSERT INTO case_events (id, case_id, at, actor_id, kind, body, data) "
             "VALUES (1, 1, '" EVENT_AT "', NULL, 'created', '', '{}')");
    if (xsirt_db_backend_of(db) == XSIRT_DB_POSTGRES)
        exec(db, "SELECT setval(pg_get_serial_sequence('teams', 'id'), 1);"
                 "SELECT setval(pg_get_serial_sequence('workflows', 'id'), 1);"
                 "SELECT setval(pg_get_serial_sequence('cases', 'id'), 1);"
                 "SELECT setval(pg_get_serial_sequence('case_participants', 'id'), 1);"
                 "SELECT setval(pg_get_serial_sequence('case_events', 'id'), 1);");

    team = json_pack("{s:i, s:s, s:s, s:n, s:s, s:s, s:s}", "id", 1, "name", "PSIRT", "kind",
                     "PSIRT", "parent", "description", "product security", "created", AT,
                     "updated", AT);
    audit(db, "team.create", "team", "1", NULL, team);
    json_decref(team);

    memset(head, '0', sizeof head - 1);
    head[sizeof head - 1] = '\0';
    assert_int_equal(xsirt_audit_event_step(head, 1, EVENT_AT, 0, "created", "", "{}"), 0);
    kase = json_pack(
        "{s:i, s:s, s:s, s:s, s:i, s:s, s:s, s:f, s:s, s:n, s:n, s:s, s:n, s:n, s:n, s:n, "
        "s:s, s:s, s:i, s:[s], s:[{s:s, s:s}], "
        "s:[{s:i, s:s, s:n, s:n, s:n, s:s, s:s}], s:[], "
        "s:{s:n, s:n, s:n, s:n, s:n, s:n}, s:{s:i, s:i, s:s, s:[]}}",
        "id", 1, "title", "Overflow in the parser", "description", "found by a researcher",
        "kind", "oldkind", "team", 1, "state", "new", "severity", "high", "score", 7.5, "cvss",
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", "priority", "classification", "tlp",
        "AMBER", "assignee", "due", "embargo", "resolution", "created", AT, "updated", AT,
        "revision", 1, "labels", "parser", "references", "kind", "cve", "value", "CVE-2026-0001",
        "participants", "id", 1, "role", "finder", "team", "user", "organisation", "name",
        "A. Finder", "email", "finder@example.org", "links",
        "sla", "acknowledge", "triage", "remediate", "acknowledged", "triaged", "closed",
        "timeline", "events", 1, "last", 1, "head", head, "new");
    assert_non_null(kase);
    audit(db, "case.create", "case", "1", NULL, kase);
    json_decref(kase);
}

static void upgrade_from(int from)
{
    static int n;
    char target[2048], name[32];
    xsirt_audit_report r;
    xsirt_principal sys;
    xsirt_error err;
    xsirt_db *db;
    json_t *c = NULL;
    int version = 0;

    snprintf(name, sizeof name, "upgrade%d_%d", from, n++);
    assert_int_equal(testdb_target(target, sizeof target, name), 0);

    /* The earlier release. */
    assert_int_equal(xsirt_db_open(&db, target, &err), 0);
    if (xsirt_schema_migrate_to(&version, db, from, &err) != 0)
        fail_msg("migrate to %d: %s", from, err.message);
    assert_int_equal(version, from);
    fill_old_release(db);
    /* What that release's own `audit verify` said. */
    assert_int_equal(xsirt_audit_verify(&r, db, &err), 0);
    assert_true(xsirt_audit_intact(&r));
    xsirt_db_close(db);

    /* This build opens it: every later migration runs once. */
    if (xsirt_store_open(&db, target, &err) != 0)
        fail_msg("open after upgrade from %d: %s", from, err.message);
    assert_int_equal(xsirt_schema_migrate(&version, db, &err), 0);
    assert_int_equal(version, xsirt_schema_latest());

    memset(&r, 0, sizeof r);
    assert_int_equal(xsirt_store_verify(&r, db, &err), 0);
    if (!xsirt_audit_intact(&r))
        fail_msg("after upgrading from version %d: record %lld, case %lld: %s", from,
                 (long long)r.bad_seq, (long long)r.bad_case, r.problem);
    assert_int_equal(r.records, 2);
    assert_int_equal(r.cases, 1);

    /* The data as the current code reads it. */
    xsirt_principal_system(&sys);
    if (xsirt_case_get(&c, db, &sys, 1, &err) != 0)
        fail_msg("case 1 after the upgrade: %s", err.message);
    assert_string_equal(json_string_value(json_object_get(c, "title")), "Overflow in the parser");
    assert_string_equal(json_string_value(json_object_get(c, "severity")), "high");
    assert_string_equal(json_string_value(json_array_get(json_object_get(c, "labels"), 0)), "parser");
    assert_int_equal(json_array_size(json_object_get(c, "participants")), 1);
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(json_object_get(c, "participants"), 0), "email")),
                        "finder@example.org");
    json_decref(c);

    /* The field the old snapshot lacks is excused at its default only: a
     * credit set behind xsirt's back is still a change. */
    exec(db, "UPDATE case_participants SET credit = 1 WHERE id = 1");
    memset(&r, 0, sizeof r);
    assert_int_equal(xsirt_store_verify(&r, db, &err), 0);
    assert_false(xsirt_audit_intact(&r));
    assert_int_equal(r.bad_case, 1);
    xsirt_db_close(db);
}

static void test_from_previous_release(void **state)
{
    (void)state;
    upgrade_from(xsirt_schema_latest() - 1);
}

static void test_from_first_schema(void **state)
{
    (void)state;
    upgrade_from(1);
}

static void test_migrate_to_bounds(void **state)
{
    char target[2048];
    xsirt_error err;
    xsirt_db *db;
    int version = 0;

    (void)state;
    assert_int_equal(testdb_target(target, sizeof target, "upgrade_bounds"), 0);
    assert_int_equal(xsirt_db_open(&db, target, &err), 0);
    assert_int_equal(xsirt_schema_migrate_to(&version, db, 0, &err), XSIRT_EINVAL);
    assert_int_equal(xsirt_schema_migrate_to(&version, db, xsirt_schema_latest() + 1, &err),
                     XSIRT_EINVAL);
    assert_int_equal(xsirt_schema_migrate_to(&version, db, 2, &err), 0);
    assert_int_equal(version, 2);
    /* Asking for less than it has leaves it as it is. */
    assert_int_equal(xsirt_schema_migrate_to(&version, db, 1, &err), 0);
    assert_int_equal(version, 2);
    xsirt_db_close(db);
}

static int64_t count(xsirt_db *db, const char *sql)
{
    int64_t n = -1;
    xsirt_error err;

    if (xsirt_db_query_int(&n, db, sql, NULL, 0, &err) != 0)
        fail_msg("%s: %s", sql, err.message);
    return n;
}

/* Migration 19 rebuilds the findings table on SQLite (a CHECK changes):
 * the findings keep their ids, columns, case links and carry-over, their
 * events survive the old table's drop (ON DELETE CASCADE), the foreign
 * keys and the CHECKs hold afterwards, and ids of deleted findings are not
 * given again. */
/* How many "created" events finding id's history shows (as an admin). */
static int history_created(xsirt_db *db, int64_t id)
{
    xsirt_principal admin = {.admin = true};
    json_t *h = NULL, *e;
    xsirt_error err;
    size_t i;
    int n = 0;

    if (xsirt_finding_history(&h, db, &admin, id, NULL, &err) != 0)
        fail_msg("history of %lld: %s", (long long)id, err.message);
    json_array_foreach(json_object_get(h, "items"), i, e)
        n += strcmp(json_string_value(json_object_get(e, "kind")), "created") == 0;
    json_decref(h);
    return n;
}

/* Schema 21: a new finding's "created" event is told by the finding, as
 * event 1 (its first_seen, its first SBOM); stored events are numbered
 * from 2, even in a database that never had one, so it comes first. */
static void test_created_told_by_finding(void **state)
{
    char target[2048];
    xsirt_principal admin = {.admin = true};
    xsirt_db *db;
    xsirt_error err;
    json_t *h = NULL, *items;
    int version = 0;

    (void)state;
    assert_int_equal(testdb_target(target, sizeof target, "upgrade_created"), 0);
    assert_int_equal(xsirt_db_open(&db, target, &err), 0);
    assert_int_equal(xsirt_schema_migrate(&version, db, &err), 0);
    exec(db, "INSERT INTO teams (id, name, kind, created_at, updated_at) "
             "VALUES (1, 'PSIRT', 'PSIRT', '" AT "', '" AT "');"
             "INSERT INTO assets (id, name, kind, team_id, created_at, updated_at) "
             "VALUES (1, 'router', 'product', 1, '" AT "', '" AT "');"
             "INSERT INTO sboms (id, asset_id, format, components, size, sha256, created_at) "
             "VALUES (7, 1, 'cyclonedx', 2, 10, 'ab', '" AT "');"
             "INSERT INTO findings (id, asset_id, sbom_id, component_key, component_base, "
             "component_name, vuln_id, priority, first_seen, last_seen, first_sbom_id) VALUES "
             "(1, 1, 7, 'k1', 'b', 'n', 'GHSA-1', 'P2', '" AT "', '" AT "', 7);"
             "INSERT INTO finding_events (finding_id, at, kind) VALUES (1, '" EVENT_AT "', 'triage')");
    assert_int_equal(count(db, "SELECT MIN(id) FROM finding_events"), 2);
    assert_int_equal(xsirt_finding_history(&h, db, &admin, 1, NULL, &err), 0);
    items = json_object_get(h, "items");
    assert_int_equal(json_array_size(items), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(items, 0), "kind")), "created");
    assert_int_equal(json_integer_value(json_object_get(json_array_get(items, 0), "id")), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(items, 0), "at")), AT);
    assert_int_equal(json_integer_value(json_object_get(
                         json_object_get(json_array_get(items, 0), "data"), "sbom")), 7);
    assert_string_equal(json_string_value(json_object_get(json_array_get(items, 1), "kind")), "triage");
    json_decref(h);
    /* The SBOM deleted: the finding still says where it was first seen. */
    exec(db, "DELETE FROM sboms WHERE id = 7");
    assert_int_equal(history_created(db, 1), 1);
    xsirt_db_close(db);
}

/* Schema 23: components stored before it whose name is not what they are
 * filed under (their purl's name key) get that name's key as name_alt,
 * so that a search by name still finds them; the others get none. */
static void test_component_names(void **state)
{
    char target[2048];
    xsirt_error err;
    xsirt_db *db;
    int version = 0;

    (void)state;
    assert_int_equal(testdb_target(target, sizeof target, "upgrade_components"), 0);
    assert_int_equal(xsirt_db_open(&db, target, &err), 0);
    assert_int_equal(xsirt_schema_migrate_to(&version, db, 22, &err), 0);
    exec(db, "INSERT INTO teams (id, name, kind, created_at, updated_at) "
             "VALUES (1, 'PSIRT', 'PSIRT', '" AT "', '" AT "');"
             "INSERT INTO assets (id, name, kind, team_id, created_at, updated_at) "
             "VALUES (1, 'billing', 'service', 1, '" AT "', '" AT "');"
             "INSERT INTO sboms (id, asset_id, format, components, size, sha256, created_at) "
             "VALUES (1, 1, 'cyclonedx', 3, 10, 'ab', '" AT "');"
             "INSERT INTO sbom_components (id, sbom_id, name, version, purl, purl_key, name_key) "
             "VALUES (1, 1, 'Apache Log4j Core', '2.14.1', "
             "'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1', "
             "'pkg:maven/org.apache.logging.log4j/log4j-core', 'log4j-core'),"
             "(2, 1, 'org.apache.commons:commons-text', '1.9', "
             "'pkg:maven/org.apache.commons/commons-text@1.9', "
             "'pkg:maven/org.apache.commons/commons-text', 'commons-text'),"
             "(3, 1, 'Jackson_Databind', '2.9.8', NULL, NULL, 'jackson-databind')");
    assert_int_equal(xsirt_schema_migrate(&version, db, &err), 0);
    assert_int_equal(version, xsirt_schema_latest());
    assert_int_equal(count(db, "SELECT COUNT(*) FROM sbom_components WHERE id = 1 AND "
                               "name_alt = 'apache log4j core'"), 1);
    assert_int_equal(count(db, "SELECT COUNT(*) FROM sbom_components WHERE name_alt IS NULL"), 2);
    /* Schema 24: what was stored before is in the name key index (flag
     * 1), nothing is pending, and the index answers for it. */
    assert_int_equal(count(db, "SELECT COUNT(*) FROM sbom_components WHERE key_indexed = 1 AND "
                               "name_key = 'commons-text'"), 1);
    assert_int_equal(count(db, "SELECT COUNT(*) FROM sbom_components WHERE key_indexed = 0"), 0);
    assert_int_equal(count(db, "SELECT COUNT(*) FROM findings WHERE vuln_indexed = 0"), 0);
    xsirt_db_close(db);
}

static void test_findings_rebuilt(void **state)
{
    char target[2048];
    xsirt_error err;
    xsirt_db *db;
    int version = 0;

    (void)state;
    assert_int_equal(testdb_target(target, sizeof target, "upgrade_findings"), 0);
    assert_int_equal(xsirt_db_open(&db, target, &err), 0);
    assert_int_equal(xsirt_schema_migrate_to(&version, db, 18, &err), 0);
    fill_old_release(db);
    exec(db, "INSERT INTO assets (id, name, kind, team_id, created_at, updated_at) "
             "VALUES (1, 'router', 'product', 1, '" AT "', '" AT "');"
             "INSERT INTO sboms (id, asset_id, format, components, size, sha256, created_at) "
             "VALUES (1, 1, 'cyclonedx', 2, 10, 'ab', '" AT "');"
             "INSERT INTO findings (id, asset_id, sbom_id, component_key, component_base, "
             "component_name, vuln_id, aliases, summary, state, priority, first_seen, last_seen, "
             "case_id, carried_from, fingerprint, closed_at) VALUES "
             "(1, 1, 1, 'k1', 'b', 'n', 'GHSA-1', '[\"CVE-1\"]', 'overflow', 'resolved', 'P2', "
             "'" AT "', '" AT "', 1, NULL, 'fp', '" AT "'),"
             "(2, 1, 1, 'k2', 'b', 'n', 'GHSA-1', '[\"CVE-1\"]', 'overflow', 'in_triage', 'P3', "
             "'" AT "', '" AT "', NULL, 1, NULL, NULL),"
             "(3, 1, 1, 'k3', 'b', 'n', 'GHSA-7', '[]', 'gone', 'in_triage', 'P4', '" AT "', "
             "'" AT "', NULL, NULL, NULL, NULL),"
             "(5, 1, 1, 'k5', 'b', 'n', 'GHSA-5', '[]', NULL, 'in_triage', 'P4', '" AT "', "
             "'" AT "', NULL, NULL, NULL, NULL);"
             "INSERT INTO finding_events (finding_id, at, kind) VALUES (1, '" AT "', 'created'),"
             "(2, '" AT "', 'created'), (5, '" AT "', 'created');"
             "DELETE FROM findings WHERE id = 5; UPDATE findings SET active = 0 WHERE id = 3;");
    if (xsirt_db_backend_of(db) == XSIRT_DB_POSTGRES)
        exec(db, "SELECT setval(pg_get_serial_sequence('findings', 'id'), 5);");
    assert_int_equal(xsirt_schema_migrate(&version, db, &err), 0);
    assert_int_equal(version, xsirt_schema_latest());

    assert_int_equal(count(db, "SELECT COUNT(*) FROM findings"), 3);
    assert_int_equal(count(db, "SELECT COUNT(*) FROM finding_events"), 2);
    assert_int_equal(count(db, "SELECT case_id FROM findings WHERE id = 1 AND fingerprint = 'fp' "
                               "AND closed_at IS NOT NULL"), 1);
    /* Migration 20: the text once per vulnerability, from its newest
     * active finding; a vulnerability whose findings have all gone keeps
     * the text of its newest. */
    assert_int_equal(count(db, "SELECT COUNT(*) FROM vulnerabilities WHERE id = 'GHSA-1' AND "
                               "summary = 'overflow' AND aliases = '[\"CVE-1\"]'"), 1);
    assert_int_equal(count(db, "SELECT COUNT(*) FROM vulnerabilities WHERE id = 'GHSA-7' AND "
                               "summary = 'gone'"), 1);
    assert_int_equal(count(db, "SELECT COUNT(*) FROM vulnerabilities"), 2);
    assert_int_equal(count(db, "SELECT carried_from FROM findings WHERE id = 2"), 1);
    /* Migration 21: a finding made before keeps its stored "created"
     * event, shown once. */
    assert_int_equal(history_created(db, 2), 1);
    assert_int_equal(count(db, "SELECT COUNT(*) FROM findings WHERE first_sbom_id IS NOT NULL"), 0);
    /* Migration 24: findings made before are in the index by vulnerability. */
    assert_int_equal(count(db, "SELECT COUNT(*) FROM findings WHERE vuln_indexed = 1 AND "
                               "vuln_id = 'GHSA-1'"), count(db, "SELECT COUNT(*) FROM findings "
                                                                "WHERE vuln_id = 'GHSA-1'"));
    /* The CHECKs still refuse what they refused. */
    if (xsirt_db_exec_script(db, "UPDATE findings SET state = 'fixed' WHERE id = 2", &err) == 0)
        fail_msg("a state outside the list was accepted");
    if (xsirt_db_exec_script(db, "UPDATE findings SET priority = 'P5' WHERE id = 2", &err) == 0)
        fail_msg("a priority outside the list was accepted");
    /* A new finding gets an id past the deleted one. */
    exec(db, "INSERT INTO findings (asset_id, component_key, component_base, component_name, "
             "vuln_id, priority, first_seen, last_seen) VALUES (1, 'k6', 'b', 'n', 'GHSA-6', "
             "'P4', '" AT "', '" AT "')");
    assert_int_equal(count(db, "SELECT MAX(id) FROM findings"), 6);
    /* The foreign keys: deleting a case clears its findings' link, deleting
     * a finding its events and the carry-over that names it. */
    exec(db, "DELETE FROM findings WHERE id = 1");
    assert_int_equal(count(db, "SELECT COUNT(*) FROM finding_events"), 1);
    assert_int_equal(count(db, "SELECT COUNT(*) FROM findings WHERE carried_from IS NOT NULL"), 0);
    exec(db, "UPDATE findings SET case_id = 1 WHERE id = 2; DELETE FROM cases WHERE id = 1");
    assert_int_equal(count(db, "SELECT COUNT(*) FROM findings WHERE case_id IS NOT NULL"), 0);
    xsirt_db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_migrate_to_bounds),
        cmocka_unit_test(test_findings_rebuilt),
        cmocka_unit_test(test_created_told_by_finding),
        cmocka_unit_test(test_component_names),
        cmocka_unit_test(test_from_previous_release),
        cmocka_unit_test(test_from_first_schema),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
