/*
 * test_audit.c — the hash-chained audit log on both backends: appends
 * verify; an edited, a deleted and a truncated record are each found;
 * appends from concurrent connections still form one chain.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "store/audit.h"
#include "store/db.h"
#include "store/schema.h"
#include "store/store.h"
#include "tests/store/testdb.h"

static char target[2048];

static int append_n(xsirt_db *db, int n, const char *who)
{
    for (int i = 0; i < n; i++) {
        char id[32], after[64];
        xsirt_error err;
        xsirt_audit_entry e = {0};

        snprintf(id, sizeof id, "%d", i);
        snprintf(after, sizeof after, "{\"title\":\"case %s %d\"}", who, i);
        e.actor = who;
        e.action = "case.create";
        e.object_type = "case";
        e.object_id = id;
        e.after = after;
        e.before = i % 2 ? "{\"\\u65e5\":1}" : NULL;
        if (xsirt_db_begin(db, &err) != 0)
            return -1;
        if (xsirt_audit_append(db, &e, &err) != 0) {
            fprintf(stderr, "append: %s\n", err.message);
            xsirt_db_rollback(db);
            return -1;
        }
        if (xsirt_db_commit(db, &err) != 0)
            return -1;
    }
    return 0;
}

static int setup(void **state)
{
    static int n;
    char name[32];
    xsirt_db *db;
    xsirt_error err;

    snprintf(name, sizeof name, "audit%d", n++);
    if (testdb_target(target, sizeof target, name) != 0 ||
        xsirt_db_open(&db, target, &err) != 0 || xsirt_schema_migrate(NULL, db, &err) != 0)
        return -1;
    if (append_n(db, 30, "alice") != 0)
        return -1;
    *state = db;
    return 0;
}

static int teardown(void **state)
{
    xsirt_db_close(*state);
    return 0;
}

static void verify(xsirt_db *db, xsirt_audit_report *r)
{
    xsirt_error err;
    assert_int_equal(xsirt_audit_verify(r, db, &err), 0);
}

static void test_intact_chain_verifies(void **state)
{
    xsirt_audit_report r;
    verify(*state, &r);
    assert_int_equal(r.records, 30);
    assert_int_equal(r.bad_seq, 0);
}

static void test_edit_is_found(void **state)
{
    xsirt_audit_report r;
    assert_int_equal(xsirt_db_exec(*state, "UPDATE audit_log SET after = '{}' WHERE seq = 12",
                                   NULL, 0, NULL, NULL), 0);
    verify(*state, &r);
    assert_int_equal(r.bad_seq, 12);
    assert_non_null(strstr(r.problem, "edited"));
}

static void test_rehashed_edit_is_found(void **state)
{
    /* An editor who also fixes the hash breaks the next record's link. */
    xsirt_audit_report r;
    assert_int_equal(xsirt_db_exec(*state, "UPDATE audit_log SET hash = 'f00' WHERE seq = 7",
                                   NULL, 0, NULL, NULL), 0);
    verify(*state, &r);
    assert_int_equal(r.bad_seq, 7);
}

static void test_delete_is_found(void **state)
{
    xsirt_audit_report r;
    assert_int_equal(xsirt_db_exec(*state, "DELETE FROM audit_log WHERE seq = 20", NULL, 0,
                                   NULL, NULL), 0);
    verify(*state, &r);
    assert_int_equal(r.bad_seq, 20);
    assert_non_null(strstr(r.problem, "missing"));
}

static void test_truncation_is_found(void **state)
{
    xsirt_audit_report r;
    assert_int_equal(xsirt_db_exec(*state, "DELETE FROM audit_log WHERE seq > 25", NULL, 0,
                                   NULL, NULL), 0);
    verify(*state, &r);
    assert_int_equal(r.bad_seq, 26);
}

static void *appender(void *arg)
{
    xsirt_db *db;
    xsirt_error err;
    intptr_t rc;

    if (xsirt_db_open(&db, target, &err) != 0)
        return (void *)(intptr_t)-1;
    rc = append_n(db, 25, arg);
    xsirt_db_close(db);
    return (void *)rc;
}

static void test_concurrent_appends_chain(void **state)
{
    static char *names[] = {"w1", "w2", "w3", "w4"};
    pthread_t t[4];
    xsirt_audit_report r;

    for (int i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&t[i], NULL, appender, names[i]), 0);
    for (int i = 0; i < 4; i++) {
        void *rc;
        pthread_join(t[i], &rc);
        assert_int_equal((intptr_t)rc, 0);
    }
    verify(*state, &r);
    assert_int_equal(r.bad_seq, 0);
    assert_int_equal(r.records, 30 + 4 * 25);
}

/* Issue 14: no audit answer passes 8 MiB, even for a record whose text is
 * all control characters (six bytes each in JSON). */
static void test_huge_record_is_bounded(void **state)
{
    size_t n = 700 * 1024;
    char *big = malloc(n * 6 + 3), *text;
    xsirt_audit_entry e = {0, "alice", "team.update", "team", "1", NULL, NULL};
    xsirt_principal sys;
    xsirt_page pg = {30, 10};
    xsirt_error err;
    json_t *page = NULL, *rec;

    assert_non_null(big);
    big[0] = '"';
    for (size_t i = 0; i < n; i++)
        memcpy(big + 1 + i * 6, "\\u0001", 6);
    memcpy(big + 1 + n * 6, "\"", 2);
    e.before = e.after = big;
    assert_int_equal(xsirt_db_begin(*state, &err), 0);
    assert_int_equal(xsirt_audit_append(*state, &e, &err), 0);
    assert_int_equal(xsirt_db_commit(*state, &err), 0);
    free(big);
    xsirt_principal_system(&sys);
    assert_int_equal(xsirt_audit_list(&page, *state, &sys, &pg, &err), 0);
    rec = json_array_get(json_object_get(page, "items"), 0);
    assert_int_equal(json_integer_value(json_object_get(rec, "seq")), 31);
    assert_true(json_is_true(json_object_get(json_object_get(rec, "before"), "omitted")));
    assert_int_equal(strlen(json_string_value(json_object_get(rec, "hash"))), 64);
    text = json_dumps(page, JSON_COMPACT);
    assert_true(strlen(text) < 8u * 1024u * 1024u);
    free(text);
    json_decref(page);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_intact_chain_verifies, setup, teardown),
        cmocka_unit_test_setup_teardown(test_edit_is_found, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rehashed_edit_is_found, setup, teardown),
        cmocka_unit_test_setup_teardown(test_delete_is_found, setup, teardown),
        cmocka_unit_test_setup_teardown(test_truncation_is_found, setup, teardown),
        cmocka_unit_test_setup_teardown(test_concurrent_appends_chain, setup, teardown),
        cmocka_unit_test_setup_teardown(test_huge_record_is_bounded, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
