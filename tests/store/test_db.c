/*
 * test_db.c — the SQL interface (src/store/db.h) and the migrations, run
 * unchanged against SQLite and PostgreSQL (CTest runs it once per backend).
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <cmocka.h>

#include "store/db.h"
#include "store/db_walbuf.h"
#include "store/schema.h"
#include "tests/store/testdb.h"

static char target[2048];

static int setup(void **state)
{
    xsirt_db *db;
    xsirt_error err;

    if (testdb_target(target, sizeof target, "db") != 0)
        return -1;
    if (xsirt_db_open(&db, target, &err) != 0) {
        fprintf(stderr, "open %s: %s\n", target, err.message);
        return -1;
    }
    *state = db;
    return 0;
}

static int teardown(void **state)
{
    xsirt_db_close(*state);
    return 0;
}

static void test_migrate_is_idempotent(void **state)
{
    xsirt_db *db = *state;
    xsirt_error err;
    int version = 0;
    int64_t n = -1;

    assert_int_equal(xsirt_schema_migrate(&version, db, &err), 0);
    assert_int_equal(version, xsirt_schema_latest());
    assert_int_equal(xsirt_schema_migrate(&version, db, &err), 0);
    assert_int_equal(version, xsirt_schema_latest());
    /* Versions may have gaps (branches add migrations in parallel): the
     * newest is the latest, each recorded once (version is the key). */
    assert_int_equal(xsirt_db_query_int(&n, db, "SELECT MAX(version) FROM schema_migrations",
                                        NULL, 0, &err), 0);
    assert_int_equal(n, xsirt_schema_latest());
}

static void test_params_round_trip(void **state)
{
    xsirt_db *db = *state;
    xsirt_error err;
    xsirt_db_rows *rows;
    const char *tricky = "it's a \"?\" \xe6\x97\xa5\xe6\x9c\xac; DROP TABLE teams; --";
    xsirt_db_value p[4] = {XSIRT_DB_TEXTV(tricky), XSIRT_DB_TEXTV("PSIRT"),
                           XSIRT_DB_TEXTV("2026-11-22T00:00:00.000Z"),
                           XSIRT_DB_TEXTV("2026-11-22T00:00:00.000Z")};
    xsirt_db_value q[1];
    int64_t id = 0;

    assert_int_equal(xsirt_db_query(&rows, db,
                                    "INSERT INTO teams (name, kind, created_at, updated_at) "
                                    "VALUES (?, ?, ?, ?) RETURNING id", p, 4, &err), 0);
    assert_int_equal(xsirt_db_rows_count(rows), 1);
    id = xsirt_db_rows_int(rows, 0, 0);
    assert_true(id > 0);
    xsirt_db_rows_free(rows);

    /* A literal containing '?' is not a placeholder. */
    q[0] = XSIRT_DB_INTV(id);
    assert_int_equal(xsirt_db_query(&rows, db,
                                    "SELECT name, parent_id, 'what?' AS q, kind FROM teams "
                                    "WHERE id = ?", q, 1, &err), 0);
    assert_int_equal(xsirt_db_rows_count(rows), 1);
    assert_int_equal(xsirt_db_rows_columns(rows), 4);
    assert_string_equal(xsirt_db_rows_name(rows, 0), "name");
    assert_string_equal(xsirt_db_rows_text(rows, 0, 0), tricky);
    assert_true(xsirt_db_rows_null(rows, 0, 1));
    assert_string_equal(xsirt_db_rows_text(rows, 0, 2), "what?");
    xsirt_db_rows_free(rows);

    /* Empty results still name their columns. */
    q[0] = XSIRT_DB_INTV(-1);
    assert_int_equal(xsirt_db_query(&rows, db, "SELECT id, name FROM teams WHERE id = ?",
                                    q, 1, &err), 0);
    assert_int_equal(xsirt_db_rows_count(rows), 0);
    xsirt_db_rows_free(rows);
}

static void test_errors(void **state)
{
    xsirt_db *db = *state;
    xsirt_error err;
    xsirt_db_value p[4] = {XSIRT_DB_TEXTV("dup"), XSIRT_DB_TEXTV("CSIRT"),
                           XSIRT_DB_TEXTV("t"), XSIRT_DB_TEXTV("t")};

    assert_int_equal(xsirt_db_exec(db, "INSERT INTO teams (name, kind, created_at, updated_at) "
                                       "VALUES (?, ?, ?, ?)", p, 4, NULL, &err), 0);
    /* Unique and check constraints are conflicts, not internal errors. */
    assert_int_equal(xsirt_db_exec(db, "INSERT INTO teams (name, kind, created_at, updated_at) "
                                       "VALUES (?, ?, ?, ?)", p, 4, NULL, &err), XSIRT_ECONFLICT);
    p[0] = XSIRT_DB_TEXTV("other");
    p[1] = XSIRT_DB_TEXTV("NOT-A-KIND");
    assert_int_equal(xsirt_db_exec(db, "INSERT INTO teams (name, kind, created_at, updated_at) "
                                       "VALUES (?, ?, ?, ?)", p, 4, NULL, &err), XSIRT_ECONFLICT);
    /* Parameter count mismatch is caught before the database sees it. */
    assert_int_equal(xsirt_db_exec(db, "SELECT ?", NULL, 0, NULL, &err), XSIRT_EINTERNAL);
    assert_int_not_equal(xsirt_db_exec(db, "SELEKT 1", NULL, 0, NULL, &err), 0);
    assert_non_null(strstr(err.message, "SELEKT"));
}

static void test_rollback_leaves_nothing(void **state)
{
    xsirt_db *db = *state;
    xsirt_error err;
    int64_t before, after, changes = 0;
    xsirt_db_value p[4] = {XSIRT_DB_TEXTV("rolled back"), XSIRT_DB_TEXTV("SOC"),
                           XSIRT_DB_TEXTV("t"), XSIRT_DB_TEXTV("t")};

    assert_int_equal(xsirt_db_query_int(&before, db, "SELECT COUNT(*) FROM teams", NULL, 0, &err), 0);
    assert_int_equal(xsirt_db_begin(db, &err), 0);
    assert_int_equal(xsirt_db_exec(db, "INSERT INTO teams (name, kind, created_at, updated_at) "
                                       "VALUES (?, ?, ?, ?)", p, 4, &changes, &err), 0);
    assert_int_equal(changes, 1);
    xsirt_db_rollback(db);
    assert_int_equal(xsirt_db_query_int(&after, db, "SELECT COUNT(*) FROM teams", NULL, 0, &err), 0);
    assert_int_equal(before, after);
}

/* Writers on separate connections, each in its own transactions: every
 * committed row is there afterwards (SQLite queues them on its write lock,
 * PostgreSQL runs them concurrently). */
#define WRITERS 4
#define ROWS_EACH 50

static void *writer(void *arg)
{
    long n = (long)(intptr_t)arg;
    xsirt_db *db;
    xsirt_error err;
    long ok = 0;

    if (xsirt_db_open(&db, target, &err) != 0)
        return (void *)(intptr_t)-1;
    for (int i = 0; i < ROWS_EACH; i++) {
        char name[64];
        xsirt_db_value p[2];
        snprintf(name, sizeof name, "writer-%ld-%d", n, i);
        p[0] = XSIRT_DB_TEXTV(name);
        p[1] = XSIRT_DB_TEXTV("x");
        if (xsirt_db_begin(db, &err) != 0)
            continue;
        if (xsirt_db_exec(db, "INSERT INTO settings (key, value) VALUES (?, ?)", p, 2, NULL,
                          &err) == 0 && xsirt_db_commit(db, &err) == 0)
            ok++;
        else
            xsirt_db_rollback(db);
    }
    xsirt_db_close(db);
    return (void *)(intptr_t)ok;
}

static void test_concurrent_writers(void **state)
{
    xsirt_db *db = *state;
    pthread_t t[WRITERS];
    long committed = 0;
    int64_t n = 0;
    xsirt_error err;

    for (long i = 0; i < WRITERS; i++)
        assert_int_equal(pthread_create(&t[i], NULL, writer, (void *)(intptr_t)i), 0);
    for (int i = 0; i < WRITERS; i++) {
        void *r;
        pthread_join(t[i], &r);
        assert_true((intptr_t)r >= 0);
        committed += (long)(intptr_t)r;
    }
    assert_int_equal(committed, WRITERS * ROWS_EACH);
    assert_int_equal(xsirt_db_query_int(&n, db, "SELECT COUNT(*) FROM settings WHERE key LIKE 'writer-%'",
                                        NULL, 0, &err), 0);
    assert_int_equal(n, committed);
}

/* SQLite: closing a connection runs PRAGMA optimize, which gathers the
 * statistics of the tables its queries used (sqlite_stat1). */
static void test_optimize_on_close(void **state)
{
    xsirt_db *db;
    xsirt_error err;
    int64_t n = -1;

    if (xsirt_db_backend_of(*state) != XSIRT_DB_SQLITE)
        skip();   /* PostgreSQL's autovacuum analyses */
    assert_int_equal(xsirt_db_open(&db, target, &err), 0);
    assert_int_equal(xsirt_db_exec_script(db, "CREATE TABLE t_opt (a INTEGER, b INTEGER);"
                                              "CREATE INDEX t_opt_b ON t_opt(b);"
                                              "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT "
                                              "i + 1 FROM n WHERE i < 2000) INSERT INTO t_opt "
                                              "SELECT i, i % 50 FROM n;", &err), 0);
    assert_int_equal(xsirt_db_query_int(&n, db, "SELECT COUNT(*) FROM t_opt WHERE b = 7", NULL, 0,
                                        &err), 0);
    assert_int_equal(n, 40);
    xsirt_db_close(db);
    assert_int_equal(xsirt_db_open(&db, target, &err), 0);
    assert_int_equal(xsirt_db_query_int(&n, db, "SELECT COUNT(*) FROM sqlite_master WHERE name = "
                                                "'sqlite_stat1'", NULL, 0, &err), 0);
    assert_int_equal(n, 1);
    assert_int_equal(xsirt_db_query_int(&n, db, "SELECT COUNT(*) FROM sqlite_stat1 WHERE idx = "
                                                "'t_opt_b'", NULL, 0, &err), 0);
    assert_int_equal(n, 1);
    xsirt_db_close(db);
}

/* Inserts rows * 4 KiB of blobs in one transaction: about that many WAL
 * pages. */
static void wal_write(xsirt_db *db, int rows)
{
    xsirt_db_value p[1] = {XSIRT_DB_INTV(rows)};
    xsirt_error err;

    assert_int_equal(xsirt_db_begin(db, &err), 0);
    assert_int_equal(xsirt_db_exec(db, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 "
                                       "FROM n WHERE i < ?) INSERT INTO t_wal SELECT "
                                       "randomblob(4000) FROM n", p, 1, NULL, &err), 0);
    assert_int_equal(xsirt_db_commit(db, &err), 0);
}

static off_t file_size(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0 ? st.st_size : -1;
}

/* SQLite: a connection handed to a checkpointer does not copy the WAL
 * into the database file when its commit leaves 1,000 pages: the
 * checkpointer's thread does; past the bound the connection does it
 * itself (the WAL stays bounded when the checkpointer is behind). */
static void test_checkpointer(void **state)
{
    xsirt_db_checkpointer *cp = NULL;
    xsirt_db_checkpoint_stats st = {0};
    xsirt_db *db;
    xsirt_error err;
    off_t before;

    assert_int_equal(xsirt_db_checkpointer_start(&cp, target, &err), 0);
    if (xsirt_db_backend_of(*state) != XSIRT_DB_SQLITE) {
        assert_null(cp);     /* PostgreSQL checkpoints itself */
        skip();
    }
    assert_non_null(cp);
    assert_int_equal(xsirt_db_open(&db, target, &err), 0);
    xsirt_db_checkpoint_by(db, cp);
    assert_int_equal(xsirt_db_exec_script(db, "CREATE TABLE t_wal (b BLOB)", &err), 0);
    before = file_size(target);
    wal_write(db, 2000);
    for (int i = 0; i < 500 && (st.runs == 0 || file_size(target) < before + 2000 * 4000); i++) {
        nanosleep(&(struct timespec){0, 10 * 1000 * 1000}, NULL);
        xsirt_db_checkpointer_stats(&st, cp);
    }
    assert_int_equal(st.wakes, 1);
    assert_true(st.runs >= 1);
    assert_int_equal(st.inline_runs, 0);
    assert_true(file_size(target) >= before + 2000 * 4000);   /* the pages were copied */
    /* One transaction past the bound: its connection checkpoints. */
    wal_write(db, XSIRT_DB_WAL_BOUND_PAGES + 500);
    xsirt_db_checkpointer_stats(&st, cp);
    assert_int_equal(st.inline_runs, 1);
    assert_int_equal(st.wakes, 1);
    xsirt_db_close(db);
    xsirt_db_checkpointer_stop(cp);
}

static int64_t query_int(xsirt_db *db, const char *sql)
{
    int64_t v = -1;
    xsirt_error err;

    if (xsirt_db_query_int(&v, db, sql, NULL, 0, &err) != 0)
        fail_msg("%s: %s", sql, err.message);
    return v;
}

/* A blob of n bytes 'x' (SQL), to compare every byte read back. */
#define XS(n) "CAST(substr(replace(hex(zeroblob(" #n ")), '00', 'x'), 1, " #n ") AS BLOB)"

/* SQLite: the WAL's writes are gathered (db_walbuf.c) — a commit of 500
 * pages is a few dozen writes, not a thousand — and every other connection
 * sees exactly what was committed: after a plain commit, after a
 * transaction whose pages spilled from a small cache into the WAL and were
 * read and rewritten before it committed, after a rollback, and after the
 * database is opened again. */
static void test_wal_writes_gathered(void **state)
{
    uint64_t asked0, issued0, asked, issued;
    char path[2048];
    xsirt_db *db, *other;
    xsirt_error err;
    xsirt_db_rows *rows = NULL;

    if (xsirt_db_backend_of(*state) != XSIRT_DB_SQLITE)
        skip();
    /* A database of its own: the test closes every connection to it. */
    assert_int_equal(testdb_target(path, sizeof path, "walbuf"), 0);
    assert_int_equal(xsirt_db_open(&db, path, &err), 0);
    assert_int_equal(xsirt_db_exec_script(db, "CREATE TABLE t_gather (b BLOB)", &err), 0);
    xsirt_db_walbuf_counts(&asked0, &issued0);
    assert_int_equal(xsirt_db_exec_script(db, "BEGIN; WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL "
                                              "SELECT i + 1 FROM n WHERE i < 500) INSERT INTO "
                                              "t_gather SELECT randomblob(4000) FROM n; COMMIT",
                                          &err), 0);
    xsirt_db_walbuf_counts(&asked, &issued);
    assert_true(asked - asked0 >= 1000);                    /* a header and a page a frame */
    assert_true((issued - issued0) * 10 <= asked - asked0); /* gathered */

    assert_int_equal(xsirt_db_open(&other, path, &err), 0);
    assert_int_equal(query_int(other, "SELECT COUNT(*) FROM t_gather"), 500);
    /* A transaction larger than a small cache: its pages go to the WAL
     * before the commit, are read back (every byte compared) and written
     * again. */
    assert_int_equal(xsirt_db_exec_script(db, "PRAGMA cache_size = 20; BEGIN; WITH RECURSIVE "
                                              "n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                                              "WHERE i < 2000) INSERT INTO t_gather SELECT " XS(3000 + i)
                                              " FROM n", &err), 0);
    /* The newest rows, whose pages were the last to spill. */
    assert_int_equal(query_int(db, "SELECT COUNT(*) FROM t_gather WHERE rowid > 2400 AND b = "
                                   XS(length(b))), 100);
    assert_int_equal(xsirt_db_exec_script(db, "UPDATE t_gather SET b = CAST('y' AS BLOB) "
                                              "WHERE rowid % 7 = 0", &err), 0);
    assert_int_equal(query_int(db, "SELECT COUNT(*) FROM t_gather"), 2500);
    assert_int_equal(query_int(db, "SELECT COUNT(*) FROM t_gather WHERE b = " XS(length(b))), 1714);
    assert_int_equal(query_int(other, "SELECT COUNT(*) FROM t_gather"), 500);   /* not yet */
    assert_int_equal(xsirt_db_exec_script(db, "COMMIT; PRAGMA cache_size = -2000", &err), 0);
    assert_int_equal(query_int(other, "SELECT COUNT(*) FROM t_gather"), 2500);
    assert_int_equal(query_int(other, "SELECT COUNT(*) FROM t_gather WHERE b = " XS(length(b))), 1714);
    assert_int_equal(query_int(other, "SELECT COUNT(*) FROM t_gather WHERE b = CAST('y' AS BLOB)"),
                     2500 / 7);
    /* Pages rewritten while their frames may still be gathered: a tiny
     * cache, rows inserted and half of them changed again, many times in
     * one transaction (SQLite writes a page it already wrote in the same
     * transaction over its frame). */
    assert_int_equal(xsirt_db_exec_script(db, "CREATE TABLE t_again (b BLOB); "
                                              "PRAGMA cache_size = 5; BEGIN", &err), 0);
    for (int round = 0; round < 40; round++)
        assert_int_equal(xsirt_db_exec_script(db, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL "
                                                  "SELECT i + 1 FROM n WHERE i < 12) INSERT INTO "
                                                  "t_again SELECT " XS(1500) " FROM n; UPDATE t_again "
                                                  "SET b = " XS(1400) " WHERE rowid > (SELECT "
                                                  "MAX(rowid) - 12 FROM t_again) AND rowid % 2 = 0",
                                              &err), 0);
    assert_int_equal(xsirt_db_exec_script(db, "COMMIT; PRAGMA cache_size = -2000", &err), 0);
    assert_int_equal(query_int(other, "SELECT COUNT(*) FROM t_again WHERE b = " XS(1400)), 240);
    assert_int_equal(query_int(other, "SELECT COUNT(*) FROM t_again WHERE b = " XS(1500)), 240);
    /* Rolled back: nothing of it seen, and the next commit is whole. */
    assert_int_equal(xsirt_db_exec_script(db, "BEGIN; INSERT INTO t_gather SELECT b FROM t_gather; "
                                              "ROLLBACK; INSERT INTO t_gather VALUES (x'01')",
                                          &err), 0);
    assert_int_equal(query_int(other, "SELECT COUNT(*) FROM t_gather"), 2501);
    assert_int_equal(xsirt_db_query(&rows, other, "PRAGMA integrity_check", NULL, 0, &err), 0);
    assert_string_equal(xsirt_db_rows_text(rows, 0, 0), "ok");
    xsirt_db_rows_free(rows);
    xsirt_db_close(other);
    /* Opened again (every connection closed: the WAL checkpointed). */
    xsirt_db_close(db);
    assert_int_equal(xsirt_db_open(&db, path, &err), 0);
    assert_int_equal(query_int(db, "SELECT COUNT(*) FROM t_gather"), 2501);
    xsirt_db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_migrate_is_idempotent),
        cmocka_unit_test(test_params_round_trip),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_rollback_leaves_nothing),
        cmocka_unit_test(test_concurrent_writers),
        cmocka_unit_test(test_optimize_on_close),
        cmocka_unit_test(test_checkpointer),
        cmocka_unit_test(test_wal_writes_gathered),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
