/*
 * test_deferred.c — the index entries an upload leaves for later
 * (store/deferred_index.h), on both backends: an upload through the real
 * store function with an index built in memory leaves its components and
 * findings pending (not in the name key index, not in the index by
 * vulnerability); "which assets contain this?" and the findings'
 * vulnerability filter still find them, having indexed them first; batches
 * take the oldest first and as many as asked; a second upload is found
 * beside the first; deleting an asset with pending rows leaves none;
 * past the backlog bound an upload indexes as many rows as it added.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "store/asset.h"
#include "store/db.h"
#include "store/deferred_index.h"
#include "store/finding.h"
#include "store/json_input.h"
#include "store/sbom_store.h"
#include "store/store.h"
#include "store/team.h"
#include "tests/store/testdb.h"
#include "tests/unit/index_image.h"

/* Two records: npm a below 2.0.0, npm b below 2.0.0. */
static const char *const records[] = {
    "{\"id\":\"GHSA-aaaa-bbbb-cccc\",\"modified\":\"2024-01-01T00:00:00Z\","
    "\"aliases\":[\"CVE-2099-0001\"],\"summary\":\"a\","
    "\"affected\":[{\"package\":{\"ecosystem\":\"npm\",\"name\":\"a\"},"
    "\"ranges\":[{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"0\"},{\"fixed\":\"2.0.0\"}]}]}]}",
    "{\"id\":\"OSV-2099-2\",\"modified\":\"2024-01-01T00:00:00Z\",\"summary\":\"b\","
    "\"affected\":[{\"package\":{\"ecosystem\":\"npm\",\"name\":\"b\"},"
    "\"ranges\":[{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"0\"},{\"fixed\":\"2.0.0\"}]}]}]}",
};

/* Three components, two of them affected by a's record, one by b's. */
static const char sbom_text[] =
    "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"version\":1,\"components\":["
    "{\"type\":\"library\",\"name\":\"b\",\"version\":\"1.0.0\",\"purl\":\"pkg:npm/b@1.0.0\"},"
    "{\"type\":\"library\",\"name\":\"a\",\"version\":\"1.5.0\",\"purl\":\"pkg:npm/a@1.5.0\"},"
    "{\"type\":\"library\",\"name\":\"a\",\"version\":\"1.0.0\",\"purl\":\"pkg:npm/a@1.0.0\"}]}";

typedef struct world {
    xsirt_db *db;
    xsirt_principal sys;
    index_image im;
    xsirt_match_index *idx;
    int64_t team;
} world;

static int setup(void **state)
{
    static int n;
    world *w = calloc(1, sizeof *w);
    json_t *in = json_pack("{s:s, s:s}", "name", "PSIRT", "kind", "PSIRT"), *out = NULL;
    xsirt_error err;

    if (w == NULL || testdb_open_store(&w->db, "deferred", n++) != 0)
        return -1;
    xsirt_principal_system(&w->sys);
    if (xsirt_team_create(&out, w->db, &w->sys, in, &err) != 0 ||
        index_image_build(&w->im, records, sizeof records / sizeof *records, &err) != 0 ||
        xsirt_match_index_open(&w->idx, w->im.data, w->im.len, &err) != 0) {
        fprintf(stderr, "setup: %s\n", err.message);
        return -1;
    }
    w->team = xsirt_json_int(out, "id");
    json_decref(in);
    json_decref(out);
    *state = w;
    return 0;
}

static int teardown(void **state)
{
    world *w = *state;

    xsirt_match_index_close(w->idx);
    free(w->im.data);
    xsirt_db_close(w->db);
    free(w);
    return 0;
}

static int64_t mk_asset(world *w, const char *name)
{
    json_t *in = json_pack("{s:s, s:s, s:I}", "name", name, "kind", "product", "team",
                           (json_int_t)w->team), *out = NULL;
    xsirt_error err;
    int64_t id;

    assert_int_equal(xsirt_asset_create(&out, w->db, &w->sys, in, &err), 0);
    id = xsirt_json_int(out, "id");
    json_decref(in);
    json_decref(out);
    return id;
}

static json_int_t upload(world *w, int64_t asset)
{
    json_t *out = NULL;
    xsirt_error err;
    json_int_t findings;

    assert_int_equal(xsirt_sbom_store_upload(&out, w->db, &w->sys, asset, sbom_text,
                                             sizeof sbom_text - 1, w->idx, &err), 0);
    findings = json_integer_value(json_object_get(out, "findings"));
    json_decref(out);
    return findings;
}

static int64_t pending(world *w, xsirt_deferred which)
{
    int64_t n = -1;
    xsirt_error err;

    assert_int_equal(xsirt_deferred_pending(&n, w->db, which, &err), 0);
    return n;
}

/* Rows the deferred indexes hold for name key a / vulnerability a's. */
static int64_t indexed(world *w, const char *sql)
{
    int64_t n = -1;
    xsirt_error err;

    assert_int_equal(xsirt_db_query_int(&n, w->db, sql, NULL, 0, &err), 0);
    return n;
}

#define INDEXED_A "SELECT COUNT(*) FROM sbom_components WHERE key_indexed = 1 AND name_key = 'a'"
#define INDEXED_GHSA                                                                          \
    "SELECT COUNT(*) FROM findings WHERE vuln_indexed = 1 AND vuln_id = 'GHSA-aaaa-bbbb-cccc'"

static size_t items(json_t *page)
{
    size_t n = json_array_size(json_object_get(page, "items"));

    json_decref(page);
    return n;
}

static size_t components_of(world *w, const char *purl)
{
    xsirt_component_filter f = {.purl = purl};
    json_t *out = NULL;
    xsirt_error err;

    assert_int_equal(xsirt_sbom_store_components(&out, w->db, &w->sys, &f, &err), 0);
    return items(out);
}

static size_t findings_of(world *w, const char *vulnerability)
{
    /* With the records that list it (none here): the IN on findings_vuln. */
    json_t *aliased = json_array(), *out = NULL;
    xsirt_finding_filter f = {.kev = -1, .active = -1, .vulnerability = vulnerability,
                              .aliased = aliased};
    xsirt_error err;

    assert_int_equal(xsirt_finding_list(&out, w->db, &w->sys, &f, &err), 0);
    json_decref(aliased);
    return items(out);
}

static void test_readers_index_first(void **state)
{
    world *w = *state;
    int64_t asset = mk_asset(w, "Gateway");

    assert_int_equal(upload(w, asset), 3);
    /* The upload left its rows out of both indexes. */
    assert_int_equal(pending(w, XSIRT_DEFERRED_COMPONENTS), 3);
    assert_int_equal(pending(w, XSIRT_DEFERRED_FINDINGS), 3);
    assert_int_equal(indexed(w, INDEXED_A), 0);
    assert_int_equal(indexed(w, INDEXED_GHSA), 0);
    /* Readers find them, having indexed their kind. */
    assert_int_equal(components_of(w, "pkg:npm/a@1.0.0"), 1);
    assert_int_equal(pending(w, XSIRT_DEFERRED_COMPONENTS), 0);
    assert_int_equal(indexed(w, INDEXED_A), 2);
    assert_int_equal(pending(w, XSIRT_DEFERRED_FINDINGS), 3);
    assert_int_equal(findings_of(w, "GHSA-aaaa-bbbb-cccc"), 2);
    assert_int_equal(pending(w, XSIRT_DEFERRED_FINDINGS), 0);
    assert_int_equal(indexed(w, INDEXED_GHSA), 2);
    assert_int_equal(findings_of(w, "OSV-2099-2"), 1);
}

static void test_batches(void **state)
{
    world *w = *state;
    int64_t asset = mk_asset(w, "Portal");
    xsirt_error err;
    size_t n = 99;

    assert_int_equal(upload(w, asset), 3);
    assert_int_equal(pending(w, XSIRT_DEFERRED_COMPONENTS), 3);
    assert_int_equal(xsirt_deferred_index_some(&n, w->db, XSIRT_DEFERRED_COMPONENTS, 2, &err), 0);
    assert_int_equal(n, 2);
    assert_int_equal(pending(w, XSIRT_DEFERRED_COMPONENTS), 1);
    /* The oldest first: the one left is the newest id. */
    assert_int_equal(indexed(w, "SELECT COUNT(*) FROM sbom_components WHERE key_indexed = 0 AND "
                                "id = (SELECT MAX(id) FROM sbom_components)"), 1);
    assert_int_equal(xsirt_deferred_index_some(&n, w->db, XSIRT_DEFERRED_COMPONENTS, 2, &err), 0);
    assert_int_equal(n, 1);
    assert_int_equal(xsirt_deferred_index_some(&n, w->db, XSIRT_DEFERRED_COMPONENTS, 2, &err), 0);
    assert_int_equal(n, 0);
    /* Inside a caller's transaction the batch is part of it. */
    assert_int_equal(xsirt_db_begin(w->db, &err), 0);
    assert_int_equal(xsirt_deferred_index_some(&n, w->db, XSIRT_DEFERRED_FINDINGS, 1000, &err), 0);
    assert_int_equal(n, 3);
    xsirt_db_rollback(w->db);
    assert_int_equal(pending(w, XSIRT_DEFERRED_FINDINGS), 3);
    assert_int_equal(xsirt_deferred_index_all(w->db, XSIRT_DEFERRED_FINDINGS, &err), 0);
    assert_int_equal(pending(w, XSIRT_DEFERRED_FINDINGS), 0);
}

static void test_second_upload_and_delete(void **state)
{
    world *w = *state;
    int64_t first = mk_asset(w, "Shop"), second = mk_asset(w, "Shop 2");
    xsirt_error err;

    upload(w, first);
    assert_int_equal(components_of(w, "pkg:npm/b@1.0.0"), 1);
    upload(w, second);
    assert_true(pending(w, XSIRT_DEFERRED_COMPONENTS) > 0);
    assert_int_equal(components_of(w, "pkg:npm/b@1.0.0"), 2);
    assert_int_equal(findings_of(w, "OSV-2099-2"), 2);
    /* An asset deleted with its rows still pending takes them along. */
    upload(w, first);
    assert_true(pending(w, XSIRT_DEFERRED_COMPONENTS) > 0);
    assert_int_equal(xsirt_asset_delete(w->db, &w->sys, first, &err), 0);
    assert_int_equal(pending(w, XSIRT_DEFERRED_COMPONENTS), 0);
    assert_int_equal(components_of(w, "pkg:npm/b@1.0.0"), 1);
}

/* Uploads faster than the server indexes: past the bound, an upload
 * indexes as many rows as it added, the oldest first; below it, none. */
static void test_backlog_bound(void **state)
{
    world *w = *state;
    int64_t asset = mk_asset(w, "Factory");
    char sql[512];
    xsirt_error err;

    upload(w, asset);
    assert_int_equal(xsirt_deferred_index_backlog(w->db, XSIRT_DEFERRED_COMPONENTS, 3, &err), 0);
    assert_int_equal(pending(w, XSIRT_DEFERRED_COMPONENTS), 3);
    snprintf(sql, sizeof sql,
             "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < %d) "
             "INSERT INTO sbom_components (sbom_id, name, name_key, key_indexed) SELECT "
             "(SELECT MAX(id) FROM sboms), 'n' || i, 'n' || i, 0 FROM c",
             XSIRT_DEFERRED_BACKLOG_MAX);
    assert_int_equal(xsirt_db_exec(w->db, sql, NULL, 0, NULL, &err), 0);
    assert_int_equal(pending(w, XSIRT_DEFERRED_COMPONENTS), XSIRT_DEFERRED_BACKLOG_MAX + 3);
    assert_int_equal(xsirt_deferred_index_backlog(w->db, XSIRT_DEFERRED_COMPONENTS, 2500, &err), 0);
    assert_int_equal(pending(w, XSIRT_DEFERRED_COMPONENTS), XSIRT_DEFERRED_BACKLOG_MAX + 3 - 2500);
    assert_int_equal(indexed(w, INDEXED_A), 2);   /* the upload's, the oldest */
    assert_int_equal(xsirt_deferred_index_all(w->db, XSIRT_DEFERRED_COMPONENTS, &err), 0);
    assert_int_equal(xsirt_deferred_index_backlog(w->db, XSIRT_DEFERRED_COMPONENTS, 2500, &err), 0);
    assert_int_equal(pending(w, XSIRT_DEFERRED_COMPONENTS), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_readers_index_first, setup, teardown),
        cmocka_unit_test_setup_teardown(test_batches, setup, teardown),
        cmocka_unit_test_setup_teardown(test_second_upload_and_delete, setup, teardown),
        cmocka_unit_test_setup_teardown(test_backlog_bound, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
