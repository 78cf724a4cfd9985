/*
 * test_ui.c — which requests the web UI answers (GET and HEAD outside
 * /api/ and the route table) and the embedded asset table: index.html is
 * HTML, assets carry a smaller gzip copy, and lookups miss cleanly.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "server/ui.h"

static void test_wants_ui_paths(void **state)
{
    (void)state;
    assert_true(xsirt_ui_wants("GET", "/"));
    assert_true(xsirt_ui_wants("GET", "/cases/12"));
    assert_true(xsirt_ui_wants("HEAD", "/admin/teams"));
    assert_true(xsirt_ui_wants("GET", "/assets/index-abc.js"));
}

static void test_leaves_api_and_routes(void **state)
{
    (void)state;
    assert_false(xsirt_ui_wants("GET", "/api/v1/cases"));
    assert_false(xsirt_ui_wants("GET", "/api/v1/nothing-here"));
    assert_false(xsirt_ui_wants("GET", "/api"));
    assert_false(xsirt_ui_wants("GET", "/healthz"));
    assert_false(xsirt_ui_wants("GET", "/metrics"));
    assert_false(xsirt_ui_wants("POST", "/"));
    assert_false(xsirt_ui_wants("DELETE", "/cases/1"));
}

static void test_asset_table(void **state)
{
    const xsirt_ui_asset *index = xsirt_ui_find("/index.html");
    size_t n = 0;

    (void)state;
    assert_null(xsirt_ui_find("/assets/no-such-file.js"));
    assert_null(xsirt_ui_find(""));
    for (const xsirt_ui_asset *a = xsirt_ui_assets; a->path != NULL; a++, n++) {
        assert_true(a->path[0] == '/');
        assert_non_null(a->content_type);
        assert_ptr_equal(xsirt_ui_find(a->path), a);
        if (a->gzip != NULL)
            assert_true(a->gzip_len < a->len && a->gzip[0] == 0x1f && a->gzip[1] == 0x8b);
    }
    if (n == 0)
        return;   /* built with XSIRT_UI=OFF */
    assert_non_null(index);
    assert_string_equal(index->content_type, "text/html; charset=utf-8");
    assert_non_null(strstr((const char *)index->data, "/assets/"));
    assert_null(strstr((const char *)index->data, "<script>"));   /* no inline script */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wants_ui_paths),
        cmocka_unit_test(test_leaves_api_and_routes),
        cmocka_unit_test(test_asset_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
