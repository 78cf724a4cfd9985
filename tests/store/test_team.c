/*
 * test_team.c — teams on both backends: creation by admins only, kinds,
 * nesting without cycles, roles inherited from ancestor teams, external
 * users seeing only their own teams, and strict input (unknown fields).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "store/db.h"
#include "store/schema.h"
#include "store/team.h"
#include "store/user.h"
#include "tests/store/testdb.h"

static xsirt_principal sys;

static int setup(void **state)
{
    static char target[2048];
    xsirt_db *db;
    xsirt_error err;

    if (testdb_target(target, sizeof target, "team") != 0 ||
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

static int64_t make_team(xsirt_db *db, const char *name, const char *kind, int64_t parent)
{
    json_t *in = json_pack("{s:s, s:s}", "name", name, "kind", kind), *out = NULL;
    xsirt_error err;
    int64_t id;

    if (parent != 0)
        json_object_set_new(in, "parent", json_integer(parent));
    assert_int_equal(xsirt_team_create(&out, db, &sys, in, &err), 0);
    id = json_integer_value(json_object_get(out, "id"));
    assert_string_equal(json_string_value(json_object_get(out, "kind")), kind);
    json_decref(in);
    json_decref(out);
    return id;
}

static int64_t make_user(xsirt_db *db, const char *name, int64_t org, xsirt_principal *p)
{
    xsirt_user_new u = {name, NULL, NULL, NULL, "user", org, NULL};
    xsirt_error err;
    int64_t id;

    assert_int_equal(xsirt_user_create(&id, db, &sys, &u, &err), 0);
    assert_int_equal(xsirt_user_principal(p, db, id, &err), 0);
    return id;
}

static void test_nesting_and_roles(void **state)
{
    xsirt_db *db = *state;
    int64_t corp = make_team(db, "Corporate PSIRT", "PSIRT", 0);
    int64_t bu = make_team(db, "BU PSIRT", "PSIRT", corp);
    int64_t site = make_team(db, "Site PSIRT", "PSIRT", bu);
    xsirt_principal lead, other;
    int64_t lead_id = make_user(db, "lead", 0, &lead);
    char role[16];
    xsirt_error err;
    json_t *in, *out;

    make_user(db, "other", 0, &other);
    assert_int_equal(xsirt_team_set_member(db, &sys, corp, lead_id, "lead", &err), 0);
    assert_int_equal(xsirt_team_role(role, sizeof role, db, site, lead_id, &err), 0);
    assert_string_equal(role, "lead");
    assert_int_equal(xsirt_team_role(role, sizeof role, db, site, other.user_id, &err), 0);
    assert_string_equal(role, "");

    /* The inherited lead may manage the site team; others may not. */
    assert_int_equal(xsirt_team_set_member(db, &lead, site, other.user_id, "viewer", &err), 0);
    assert_int_equal(xsirt_team_set_member(db, &other, site, other.user_id, "lead", &err),
                     XSIRT_EDENIED);
    assert_int_equal(xsirt_team_set_member(db, &lead, site, other.user_id, "boss", &err),
                     XSIRT_EINVAL);

    /* No cycles: corporate cannot hang below its own site. */
    in = json_pack("{s:I}", "parent", (json_int_t)site);
    assert_int_equal(xsirt_team_update(&out, db, &sys, corp, in, &err), XSIRT_EINVAL);
    assert_string_equal(err.pointer, "parent");
    json_decref(in);
    in = json_pack("{s:s}", "description", "site team of plant 3");
    assert_int_equal(xsirt_team_update(&out, db, &lead, site, in, &err), 0);
    assert_string_equal(json_string_value(json_object_get(out, "description")), "site team of plant 3");
    assert_int_equal(json_integer_value(json_object_get(out, "parent")), bu);
    json_decref(out);
    json_decref(in);
}

static void test_input_is_strict(void **state)
{
    xsirt_db *db = *state;
    xsirt_principal user;
    xsirt_error err;
    json_t *out = NULL, *in;

    in = json_pack("{s:s, s:s, s:s}", "name", "X", "kind", "CSIRT", "colour", "red");
    assert_int_equal(xsirt_team_create(&out, db, &sys, in, &err), XSIRT_EINVAL);
    assert_string_equal(err.pointer, "colour");
    json_decref(in);
    in = json_pack("{s:s, s:s}", "name", "X", "kind", "NOC");
    assert_int_equal(xsirt_team_create(&out, db, &sys, in, &err), XSIRT_EINVAL);
    assert_string_equal(err.pointer, "kind");
    json_decref(in);
    in = json_pack("{s:i, s:s}", "name", 5, "kind", "SOC");
    assert_int_equal(xsirt_team_create(&out, db, &sys, in, &err), XSIRT_EINVAL);
    assert_string_equal(err.pointer, "name");
    json_decref(in);
    in = json_pack("{s:s}", "name", "no kind");
    assert_int_equal(xsirt_team_create(&out, db, &sys, in, &err), XSIRT_EINVAL);
    assert_string_equal(err.pointer, "kind");
    json_decref(in);
    make_user(db, "plain", 0, &user);
    in = json_pack("{s:s, s:s}", "name", "Mine", "kind", "SOC");
    assert_int_equal(xsirt_team_create(&out, db, &user, in, &err), XSIRT_EDENIED);
    json_decref(in);
}

static void test_external_users_see_only_their_teams(void **state)
{
    xsirt_db *db = *state;
    xsirt_principal ext, in_house;
    xsirt_error err;
    json_t *list;
    int64_t org, shared, ext_id;

    assert_int_equal(xsirt_db_exec(db, "INSERT INTO organisations (name, kind, created_at) "
                                       "VALUES ('Supplier Co', 'supplier', 'now')", NULL, 0, NULL, &err), 0);
    assert_int_equal(xsirt_db_query_int(&org, db, "SELECT id FROM organisations", NULL, 0, &err), 0);
    shared = make_team(db, "Supplier liaison", "PSIRT", 0);
    make_team(db, "Internal SOC", "SOC", 0);
    ext_id = make_user(db, "supplier-psirt", org, &ext);
    make_user(db, "staff", 0, &in_house);
    assert_int_equal(xsirt_team_set_member(db, &sys, shared, ext_id, "member", &err), 0);

    assert_int_equal(xsirt_team_list(&list, db, &ext, NULL, &err), 0);
    assert_int_equal(json_array_size(json_object_get(list, "items")), 1);
    json_decref(list);
    assert_int_equal(xsirt_team_list(&list, db, &in_house, NULL, &err), 0);
    assert_true(json_array_size(json_object_get(list, "items")) >= 2);
    json_decref(list);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nesting_and_roles),
        cmocka_unit_test(test_input_is_strict),
        cmocka_unit_test(test_external_users_see_only_their_teams),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
