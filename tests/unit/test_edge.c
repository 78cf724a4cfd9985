/*
 * test_edge.c — the server's edge in isolation: request heads judged before
 * the body (edge.c), UTF-8 repair of error text, log escaping (log.c), the
 * login throttle's buckets (throttle.c) and Allow lists (router.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/buf.h"
#include "core/str.h"
#include "server/edge.h"
#include "server/log.h"
#include "server/router.h"
#include "server/throttle.h"
#include "xsirt/limits.h"

static int judge(const char *version, const char *uri, const xsirt_edge_header *h, size_t n,
                 const char **code)
{
    xsirt_edge_head head = {"POST", uri, version, h, n, 0, false};
    xsirt_edge_verdict v;
    int status = xsirt_edge_check(&v, &head);

    *code = v.code;
    return status;
}

static void test_framing(void **state)
{
    const xsirt_edge_header ok[] = {{"Host", "x"}, {"Content-Type", "application/json; charset=utf-8"},
                                    {"content-length", "12"}};
    const xsirt_edge_header two_cl[] = {{"Host", "x"}, {"Content-Length", "2"}, {"Content-Length", "2"}};
    const xsirt_edge_header cl_te[] = {{"Host", "x"}, {"Content-Length", "2"},
                                       {"Transfer-Encoding", "chunked"}};
    const xsirt_edge_header xchunked[] = {{"Host", "x"}, {"Transfer-Encoding", "gzip, chunked"}};
    const xsirt_edge_header chunked[] = {{"Host", "x"}, {"Transfer-Encoding", "Chunked"}};
    const xsirt_edge_header bad_cl[] = {{"Host", "x"}, {"Content-Length", "+2"}};
    const xsirt_edge_header form[] = {{"Host", "x"}, {"Content-Type", "application/x-www-form-urlencoded"},
                                      {"Content-Length", "2"}};
    const xsirt_edge_header jsonx[] = {{"Host", "x"}, {"Content-Type", "application/jsonp"},
                                       {"Content-Length", "2"}};
    const xsirt_edge_header no_body[] = {{"Host", "x"}, {"Content-Length", "0"}};
    const xsirt_edge_header spaced[] = {{"Host", "x"}, {"Content-Length ", "2"}};
    const xsirt_edge_header ctl[] = {{"Host", "x"}, {"X-A", "a\rb"}};
    const char *code;

    (void)state;
    assert_int_equal(judge("HTTP/1.1", "/api/v1/cases", ok, 3, &code), 0);
    assert_int_equal(judge("HTTP/1.1", "/", two_cl, 3, &code), 400);
    assert_string_equal(code, "ambiguous_framing");
    assert_int_equal(judge("HTTP/1.1", "/", cl_te, 3, &code), 400);
    assert_string_equal(code, "ambiguous_framing");
    assert_int_equal(judge("HTTP/1.1", "/", xchunked, 2, &code), 400);
    assert_string_equal(code, "unsupported_transfer_coding");
    assert_int_equal(judge("HTTP/1.1", "/", chunked, 2, &code), 411);
    assert_int_equal(judge("HTTP/1.1", "/", bad_cl, 2, &code), 400);
    assert_string_equal(code, "bad_content_length");
    assert_int_equal(judge("HTTP/1.1", "/", form, 3, &code), 415);
    assert_int_equal(judge("HTTP/1.1", "/", jsonx, 3, &code), 415);
    assert_int_equal(judge("HTTP/1.1", "/", no_body, 2, &code), 0);
    assert_int_equal(judge("HTTP/1.1", "/", spaced, 2, &code), 400);
    assert_string_equal(code, "bad_header");
    assert_int_equal(judge("HTTP/1.1", "/", ctl, 2, &code), 400);
    assert_int_equal(judge("HTTP/1.1", "/", NULL, 0, &code), 400);
    assert_string_equal(code, "bad_host");
    assert_int_equal(judge("HTTP/1.0", "/", NULL, 0, &code), 0);
}

static void test_uri(void **state)
{
    (void)state;
    assert_false(xsirt_edge_uri_bad("/api/v1/cases?q=a%20b%C3%A9"));
    assert_true(xsirt_edge_uri_bad("/cases/1/timeline%00.json"));
    assert_true(xsirt_edge_uri_bad("/x%0a"));
    assert_true(xsirt_edge_uri_bad("/x%0D"));
    assert_true(xsirt_edge_uri_bad("/x%7f"));
    assert_true(xsirt_edge_uri_bad("/x%"));
    assert_true(xsirt_edge_uri_bad("/x%4"));
    assert_true(xsirt_edge_uri_bad("/x%zz"));
    assert_true(xsirt_edge_uri_bad("/x\x1b[2J"));
}

static void test_utf8_copy(void **state)
{
    char out[8];

    (void)state;
    xsirt_edge_utf8_copy(out, sizeof out, "\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac");   /* 3 x EUR */
    assert_string_equal(out, "\xe2\x82\xac\xe2\x82\xac");       /* the third does not fit whole */
    xsirt_edge_utf8_copy(out, sizeof out, "ab\xe2\x82");         /* cut by the source */
    assert_string_equal(out, "ab");
    xsirt_edge_utf8_copy(out, sizeof out, "a\xffz");
    assert_string_equal(out, "a\xef\xbf\xbdz");
    xsirt_edge_utf8_copy(out, sizeof out, "\xc0\xaf");           /* overlong */
    assert_true(xsirt_utf8_valid(out, strlen(out)));
}

static void test_log_escape(void **state)
{
    xsirt_buf b;

    (void)state;
    xsirt_buf_init(&b, 4096);
    assert_int_equal(xsirt_log_escape(&b, "a\n\"}\\\x1b\xc3\xa9\xff", 9, 100), 0);
    assert_string_equal(xsirt_buf_cstr(&b), "a\\u000a\\\"}\\\\\\u001b\xc3\xa9\\u00ff");
    xsirt_buf_reset(&b);
    assert_int_equal(xsirt_log_escape(&b, "abcdef", 6, 3), 0);
    assert_string_equal(xsirt_buf_cstr(&b), "abc...");
    xsirt_buf_free(&b);
}

static void test_throttle(void **state)
{
    xsirt_throttle_ticket t;
    unsigned wait = 0;

    (void)state;
    /* Account: the burst, then a wait of about a period. */
    for (unsigned i = 0; i < XSIRT_LIMIT_LOGIN_ACCOUNT_BURST; i++) {
        assert_int_equal(xsirt_throttle_login_begin(&t, "192.0.2.1", "alice"), 0);
        xsirt_throttle_login_end(&t, false);
    }
    wait = xsirt_throttle_login_begin(&t, "192.0.2.2", "alice");
    assert_true(wait >= 1 && wait <= XSIRT_LIMIT_LOGIN_ACCOUNT_PERIOD);
    /* A success forgives: bob fails four times, succeeds, and may go on. */
    for (unsigned i = 0; i < XSIRT_LIMIT_LOGIN_ACCOUNT_BURST - 1; i++) {
        assert_int_equal(xsirt_throttle_login_begin(&t, "192.0.2.3", "bob"), 0);
        xsirt_throttle_login_end(&t, false);
    }
    assert_int_equal(xsirt_throttle_login_begin(&t, "192.0.2.3", "bob"), 0);
    xsirt_throttle_login_end(&t, true);
    assert_int_equal(xsirt_throttle_login_begin(&t, "192.0.2.3", "bob"), 0);
    xsirt_throttle_login_end(&t, true);
    /* Address: many names from one address. */
    for (unsigned i = 0; i < XSIRT_LIMIT_LOGIN_ADDRESS_BURST; i++) {
        char name[16];
        snprintf(name, sizeof name, "n%u", i);
        assert_int_equal(xsirt_throttle_login_begin(&t, "198.51.100.7", name), 0);
        xsirt_throttle_login_end(&t, false);
    }
    assert_true(xsirt_throttle_login_begin(&t, "198.51.100.7", "fresh") > 0);
    assert_int_equal(xsirt_throttle_login_begin(&t, "198.51.100.8", "fresh"), 0);
    /* Hash slots: at least one, and never more than the limit. */
    unsigned taken = 0;
    while (taken <= XSIRT_LIMIT_LOGIN_HASHES && xsirt_throttle_hash_acquire())
        taken++;
    assert_true(taken >= 1 && taken <= XSIRT_LIMIT_LOGIN_HASHES);
    while (taken-- > 0)
        xsirt_throttle_hash_release();
}

static void test_allow(void **state)
{
    char allow[64];

    (void)state;
    xsirt_router_allowed(allow, sizeof allow, "/api/v1/cases");
    assert_string_equal(allow, "GET, HEAD, POST");
    xsirt_router_allowed(allow, sizeof allow, "/healthz");
    assert_string_equal(allow, "GET, HEAD");
    xsirt_router_allowed(allow, sizeof allow, "/nothing");
    assert_string_equal(allow, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_framing), cmocka_unit_test(test_uri),
        cmocka_unit_test(test_utf8_copy), cmocka_unit_test(test_log_escape),
        cmocka_unit_test(test_throttle), cmocka_unit_test(test_allow),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
