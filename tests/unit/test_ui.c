/*
 * test_ui.c — which requests the web UI answers (GET and HEAD outside
 * /api/ and the route table) and the embedded asset table: index.html is
 * HTML, assets carry a smaller gzip copy, and lookups miss cleanly.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "server/ui.h"

/* GET/HEAD outside /api/ and the routes are the UI's; the rest is not. */
static const struct {
    const char *method, *path;
    bool ui;
} ui_requests[] = {
    {"GET", "/", true},
    {"GET", "/cases/12", true},
    {"HEAD", "/admin/teams", true},
    {"GET", "/assets/index-abc.js", true},
    {"GET", "/api/v1/cases", false},
    {"GET", "/api/v1/nothing-here", false},
    {"GET", "/api", false},
    {"GET", "/healthz", false},
    {"GET", "/metrics", false},
    {"POST", "/", false},
    {"DELETE", "/cases/1", false},
};

static void test_which_requests(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof ui_requests / sizeof ui_requests[0]; i++) {
        if (xsirt_ui_wants(ui_requests[i].method, ui_requests[i].path) != ui_requests[i].ui)
            fail_msg("%s %s: the UI should %sanswer", ui_requests[i].method, ui_requests[i].path,
                     ui_requests[i].ui ? "" : "not ");
    }
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
        cmocka_unit_test(test_which_requests),
        cmocka_unit_test(test_asset_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
