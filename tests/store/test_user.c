/*
 * test_user.c — accounts on both backends: Argon2id passwords (never
 * stored in clear), login failures that look alike, tokens shown once and
 * stored hashed, revocation, expiry, disabled users, and the audit trail.
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
#include "store/db.h"
#include "store/schema.h"
#include "store/user.h"
#include "tests/store/testdb.h"

static xsirt_principal sys;

static int setup(void **state)
{
    static char target[2048];
    xsirt_db *db;
    xsirt_error err;

    if (testdb_target(target, sizeof target, "user") != 0 ||
        xsirt_db_open(&db, target, &err) != 0 || xsirt_schema_migrate(NULL, db, &err) != 0)
        return -1;
    xsirt_principal_system(&sys);
    *state = db;
    return 0;
}

static int teardown(void **state)
{
    xsirt_db_close(*state);
    return 0;
}

static void test_password_login(void **state)
{
    xsirt_db *db = *state;
    xsirt_user_new u = {"alice", "Alice", "alice@example.org", "correct horse battery", "user", 0, NULL};
    xsirt_principal p;
    xsirt_error err, err2;
    xsirt_db_rows *rows;
    int64_t id = 0;

    assert_int_equal(xsirt_user_create(&id, db, &sys, &u, &err), 0);
    assert_true(id > 0);
    assert_int_equal(xsirt_user_login(&p, db, "alice", "correct horse battery", &err), 0);
    assert_int_equal(p.user_id, id);
    assert_string_equal(p.username, "alice");
    assert_false(p.admin);

    /* Wrong password and unknown user fail the same way. */
    assert_int_equal(xsirt_user_login(&p, db, "alice", "wrong horse battery", &err), XSIRT_EDENIED);
    assert_int_equal(xsirt_user_login(&p, db, "mallory", "correct horse battery", &err2),
                     XSIRT_EDENIED);
    assert_string_equal(err.message, err2.message);

    /* The stored hash is Argon2id, never the password. */
    assert_int_equal(xsirt_db_query(&rows, db, "SELECT password_hash FROM users WHERE username = 'alice'",
                                    NULL, 0, &err), 0);
    assert_non_null(strstr(xsirt_db_rows_text(rows, 0, 0), "$argon2id$"));
    assert_null(strstr(xsirt_db_rows_text(rows, 0, 0), "horse"));
    xsirt_db_rows_free(rows);

    /* Duplicate names, bad names, short passwords. */
    assert_int_equal(xsirt_user_create(&id, db, &sys, &u, &err), XSIRT_ECONFLICT);
    assert_string_equal(err.pointer, "username");
    u.username = "Bad Name";
    assert_int_equal(xsirt_user_create(&id, db, &sys, &u, &err), XSIRT_EINVAL);
    u.username = "bob";
    u.password = "short";
    assert_int_equal(xsirt_user_create(&id, db, &sys, &u, &err), XSIRT_EINVAL);
    assert_string_equal(err.pointer, "password");
}

static void test_tokens(void **state)
{
    xsirt_db *db = *state;
    xsirt_user_new u = {"carol", NULL, NULL, NULL, "admin", 0, NULL};
    char secret[XSIRT_TOKEN_MAX], hash[65];
    xsirt_principal p, carol;
    xsirt_error err;
    int64_t uid, tid, expired_id, n;
    xsirt_db_value v[1];

    assert_int_equal(xsirt_user_create(&uid, db, &sys, &u, &err), 0);
    assert_int_equal(xsirt_user_principal(&carol, db, uid, &err), 0);
    assert_true(carol.admin);
    assert_int_equal(xsirt_token_create(&tid, secret, db, &carol, uid, "ci", NULL, &err), 0);
    assert_int_equal(strncmp(secret, "xst_", 4), 0);
    assert_int_equal(strlen(secret), 4 + 43);
    assert_int_equal(xsirt_token_authenticate(&p, db, secret, &err), 0);
    assert_int_equal(p.user_id, uid);

    /* Only the hash is stored. */
    xsirt_secret_hash(hash, secret);
    v[0] = XSIRT_DB_TEXTV(secret);
    assert_int_equal(xsirt_db_query_int(&n, db, "SELECT COUNT(*) FROM tokens WHERE hash = ? OR prefix = ?",
                                        (xsirt_db_value[]){XSIRT_DB_TEXTV(secret), XSIRT_DB_TEXTV(secret)},
                                        2, &err), 0);
    assert_int_equal(n, 0);
    v[0] = XSIRT_DB_TEXTV(hash);
    assert_int_equal(xsirt_db_query_int(&n, db, "SELECT COUNT(*) FROM tokens WHERE hash = ?", v, 1, &err), 0);
    assert_int_equal(n, 1);

    /* A flipped character, a foreign prefix, revoked and expired tokens fail. */
    secret[10] = secret[10] == 'A' ? 'B' : 'A';
    assert_int_equal(xsirt_token_authenticate(&p, db, secret, &err), XSIRT_EDENIED);
    assert_int_equal(xsirt_token_authenticate(&p, db, "Bearer nonsense", &err), XSIRT_EDENIED);
    assert_int_equal(xsirt_token_revoke(db, &carol, tid, &err), 0);
    assert_int_equal(xsirt_token_revoke(db, &carol, tid, &err), XSIRT_ENOTFOUND);
    assert_int_equal(xsirt_token_create(&expired_id, secret, db, &carol, uid, "old",
                                        "2001-01-01T00:00:00Z", &err), 0);
    assert_int_equal(xsirt_token_authenticate(&p, db, secret, &err), XSIRT_EDENIED);
    assert_int_equal(xsirt_token_create(&tid, secret, db, &carol, uid, "bad", "tomorrow", &err),
                     XSIRT_EINVAL);
}

static void test_tokens_for_others_need_admin(void **state)
{
    xsirt_db *db = *state;
    xsirt_user_new a = {"dave", NULL, NULL, NULL, "user", 0, NULL}, b = {"erin", NULL, NULL, NULL, "user", 0, NULL};
    xsirt_principal dave, erin;
    char secret[XSIRT_TOKEN_MAX];
    int64_t da, er, tid;
    xsirt_error err;

    assert_int_equal(xsirt_user_create(&da, db, &sys, &a, &err), 0);
    assert_int_equal(xsirt_user_create(&er, db, &sys, &b, &err), 0);
    assert_int_equal(xsirt_user_principal(&dave, db, da, &err), 0);
    assert_int_equal(xsirt_user_principal(&erin, db, er, &err), 0);
    assert_int_equal(xsirt_token_create(&tid, secret, db, &dave, er, "x", NULL, &err), XSIRT_EDENIED);
    assert_int_equal(xsirt_token_create(&tid, secret, db, &erin, er, "mine", NULL, &err), 0);
    /* Dave cannot revoke Erin's token; disabling Erin stops her token. */
    assert_int_equal(xsirt_token_revoke(db, &dave, tid, &err), XSIRT_ENOTFOUND);
    assert_int_equal(xsirt_db_exec(db, "UPDATE users SET disabled = 1 WHERE username = 'erin'",
                                   NULL, 0, NULL, &err), 0);
    assert_int_equal(xsirt_token_authenticate(&erin, db, secret, &err), XSIRT_EDENIED);
}

static void test_everything_is_audited(void **state)
{
    xsirt_db *db = *state;
    xsirt_audit_report r;
    xsirt_error err;
    int64_t n;

    assert_int_equal(xsirt_audit_verify(&r, db, &err), 0);
    assert_int_equal(r.bad_seq, 0);
    assert_true(r.records >= 8);
    assert_int_equal(xsirt_db_query_int(&n, db, "SELECT COUNT(*) FROM audit_log WHERE after LIKE '%argon2%'"
                                        " OR after LIKE '%horse%'", NULL, 0, &err), 0);
    assert_int_equal(n, 0);
}

/* Accounts of kind external (a party's): loaded as external by every way
 * in (login, token, id), never admin or auditor, and only as role user. */
static void test_external_kind(void **state)
{
    xsirt_db *db = *state;
    xsirt_user_new u = {"vendor.chip.example", "Chip", NULL, "a long password 1", "user", 0, "external"};
    xsirt_user_new bad_kind = {"x1", NULL, NULL, NULL, "user", 0, "alien"};
    xsirt_user_new bad_role = {"x2", NULL, NULL, NULL, "admin", 0, "external"};
    xsirt_user_new internal = {"x3", NULL, NULL, "a long password 1", "user", 0, NULL};
    char secret[XSIRT_TOKEN_MAX];
    xsirt_principal p;
    xsirt_error err;
    int64_t id = 0, tid = 0, iid = 0;

    assert_int_equal(xsirt_user_create(&id, db, &sys, &u, &err), 0);
    assert_int_equal(xsirt_user_login(&p, db, "vendor.chip.example", "a long password 1", &err), 0);
    assert_true(p.external);
    assert_false(p.admin);
    assert_false(p.auditor);
    assert_int_equal(xsirt_token_create(&tid, secret, db, &sys, id, "t", NULL, &err), 0);
    memset(&p, 0, sizeof p);
    assert_int_equal(xsirt_token_authenticate(&p, db, secret, &err), 0);
    assert_true(p.external);
    memset(&p, 0, sizeof p);
    assert_int_equal(xsirt_user_principal(&p, db, id, &err), 0);
    assert_true(p.external);
    assert_int_equal(xsirt_user_create(&iid, db, &sys, &internal, &err), 0);
    assert_int_equal(xsirt_user_login(&p, db, "x3", "a long password 1", &err), 0);
    assert_false(p.external);

    assert_int_equal(xsirt_user_create(&iid, db, &sys, &bad_kind, &err), XSIRT_EINVAL);
    assert_string_equal(err.pointer, "kind");
    assert_int_equal(xsirt_user_create(&iid, db, &sys, &bad_role, &err), XSIRT_EINVAL);
    assert_string_equal(err.pointer, "kind");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_password_login),
        cmocka_unit_test(test_tokens),
        cmocka_unit_test(test_tokens_for_others_need_admin),
        cmocka_unit_test(test_everything_is_audited),
        cmocka_unit_test(test_external_kind),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
