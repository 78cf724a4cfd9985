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
#include <unistd.h>

#include <cmocka.h>

#include "core/buf.h"
#include "core/str.h"
#include "server/edge.h"
#include "server/log.h"
#include "server/router.h"
#include "server/throttle.h"
#include "store/store.h"
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

/* The raw head: what the front passes to libmicrohttpd, and what not. */
static int frame(const char *head, xsirt_edge_frame *f)
{
    xsirt_edge_scan scan = {0, 0, false};
    size_t len = strlen(head), end = 0;

    /* Fed a byte at a time, the end is found where it is, and only there. */
    for (size_t i = 1; i <= len && end == 0; i++)
        end = xsirt_edge_head_end(&scan, head, i);
    assert_int_equal(end, len);
    return xsirt_edge_frame_check(f, head, len);
}

static void test_frame(void **state)
{
    static const struct {
        const char *head;
        int status;
        const char *code;
    } cases[] = {
        {"GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n", 0, NULL},
        {"\r\nGET / HTTP/1.0\n\n", 0, NULL},
        {"GET /healthz\r\n\r\n", 400, "bad_request_line"},
        {"GET  /healthz HTTP/1.1\r\n\r\n", 400, "bad_request_line"},
        {"G(T / HTTP/1.1\r\n\r\n", 400, "bad_request_line"},
        {"GET / HTTP/1.1 \r\n\r\n", 400, "bad_request_line"},
        {"GET /a\x01 HTTP/1.1\r\n\r\n", 400, "bad_uri"},
        {"GET / HTTP/2.0\r\n\r\n", 505, "http_version_not_supported"},
        {"GET / HTTP/1.9\r\n\r\n", 0, NULL},
        {"GET / HTTP/1.1\r\nNoColon\r\n\r\n", 400, "bad_header"},
        {"GET / HTTP/1.1\r\nA: b\r\n c\r\n\r\n", 400, "bad_header"},
        {"GET / HTTP/1.1\r\nA b: c\r\n\r\n", 400, "bad_header"},
        {"GET / HTTP/1.1\r\nA: b\rc\r\n\r\n", 400, "bad_header"},
        {"POST / HTTP/1.1\r\nContent-Length: 12a\r\n\r\n", 400, "bad_content_length"},
        {"POST / HTTP/1.1\r\ncontent-length:  \t7\r\n\r\n", 0, NULL},
        {"POST / HTTP/1.1\r\nContent-Length: 7 \r\n\r\n", 400, "bad_content_length"},
        {"POST / HTTP/1.1\r\nContent-Length: 12345678901234567890\r\n\r\n", 400, "bad_content_length"},
    };
    xsirt_edge_frame f;

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(frame(cases[i].head, &f), cases[i].status);
        if (cases[i].code != NULL)
            assert_string_equal(f.code, cases[i].code);
    }
    assert_int_equal(frame("POST / HTTP/1.1\r\ncontent-length:  \t7\r\n\r\n", &f), 0);
    assert_true(f.body == 7 && !f.opaque);
    assert_int_equal(frame("POST / HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n", &f), 0);
    assert_true(f.opaque && f.body == 0);
    assert_int_equal(frame("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", &f), 0);
    assert_true(f.opaque);
}

/* One attempt: the wait it is given (0: counted), ended as a failure or a success. */
static unsigned throttle_try(xsirt_db *db, const char *address, const char *account, int end)
{
    xsirt_throttle_ticket t;
    xsirt_error err;
    unsigned wait = 99;

    assert_int_equal(xsirt_throttle_login_begin(&wait, &t, db, address, account, &err), 0);
    if (wait == 0 && end >= 0)
        assert_int_equal(xsirt_throttle_login_end(&t, db, end == 1, &err), 0);
    return wait;
}

static void test_throttle(void **state)
{
    char dir[] = "/tmp/xsirt-throttle-XXXXXX", path[64];
    xsirt_db *db, *other;
    xsirt_error err;
    unsigned wait = 0;
    int64_t rows = -1;

    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/t.db", dir);
    assert_int_equal(xsirt_store_open(&db, path, &err), 0);
    assert_int_equal(xsirt_store_open(&other, path, &err), 0);   /* a second server */
    /* Account: the burst, then a wait of about a period, counted over both
     * connections as over two servers. */
    for (unsigned i = 0; i < XSIRT_LIMIT_LOGIN_ACCOUNT_BURST; i++)
        assert_int_equal(throttle_try(i % 2 ? other : db, "192.0.2.1", "alice", 0), 0);
    wait = throttle_try(db, "192.0.2.2", "alice", -1);
    assert_true(wait >= 1 && wait <= XSIRT_LIMIT_LOGIN_ACCOUNT_PERIOD);
    assert_int_equal(throttle_try(other, "192.0.2.2", "alice", -1), wait);
    /* A success forgives: bob fails four times, succeeds, and may go on. */
    for (unsigned i = 0; i < XSIRT_LIMIT_LOGIN_ACCOUNT_BURST - 1; i++)
        assert_int_equal(throttle_try(db, "192.0.2.3", "bob", 0), 0);
    assert_int_equal(throttle_try(db, "192.0.2.3", "bob", 1), 0);
    assert_int_equal(throttle_try(db, "192.0.2.3", "bob", 1), 0);
    /* Address: many names from one address. */
    for (unsigned i = 0; i < XSIRT_LIMIT_LOGIN_ADDRESS_BURST; i++) {
        char name[16];
        snprintf(name, sizeof name, "n%u", i);
        assert_int_equal(throttle_try(i % 2 ? other : db, "198.51.100.7", name, 0), 0);
    }
    assert_true(throttle_try(db, "198.51.100.7", "fresh", -1) > 0);
    assert_int_equal(throttle_try(db, "198.51.100.8", "fresh", 0), 0);
    /* Names are kept as hashes only. */
    assert_int_equal(xsirt_db_query_int(&rows, db, "SELECT count(*) FROM throttle_buckets WHERE "
                                        "key LIKE '%alice%' OR key LIKE '%198.51%'", NULL, 0, &err), 0);
    assert_int_equal(rows, 0);
    /* Intake: the burst per address, then a wait. */
    for (unsigned i = 0; i < XSIRT_LIMIT_INTAKE_BURST; i++) {
        assert_int_equal(xsirt_throttle_intake(&wait, i % 2 ? other : db, "203.0.113.9", &err), 0);
        assert_int_equal(wait, 0);
    }
    assert_int_equal(xsirt_throttle_intake(&wait, db, "203.0.113.9", &err), 0);
    assert_true(wait >= 1 && wait <= XSIRT_LIMIT_INTAKE_PERIOD);
    /* Drained buckets are deleted: age every row past its end. */
    assert_int_equal(xsirt_db_exec(db, "UPDATE throttle_buckets SET at_ms = at_ms - 86400000, "
                                       "empty_at_ms = empty_at_ms - 86400000", NULL, 0, NULL, &err), 0);
    assert_int_equal(throttle_try(db, "192.0.2.2", "alice", 0), 0);
    assert_int_equal(xsirt_db_query_int(&rows, db, "SELECT count(*) FROM throttle_buckets", NULL, 0, &err), 0);
    assert_int_equal(rows, 2);   /* alice's and 192.0.2.2's, just counted */
    xsirt_db_close(other);
    xsirt_db_close(db);
    /* Hash slots: at least one, and never more than the limit. */
    unsigned taken = 0;
    while (taken <= XSIRT_LIMIT_LOGIN_HASHES && xsirt_throttle_hash_acquire())
        taken++;
    assert_true(taken >= 1 && taken <= XSIRT_LIMIT_LOGIN_HASHES);
    while (taken-- > 0)
        xsirt_throttle_hash_release();
    for (const char *f = "t.db\0t.db-wal\0t.db-shm\0"; *f != '\0'; f += strlen(f) + 1) {
        snprintf(path, sizeof path, "%s/%s", dir, f);
        unlink(path);
    }
    rmdir(dir);
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

/* The front answers heads without a body itself (front.c): the handler
 * must see what libmicrohttpd would have given it. */
static void test_request_parse(void **state)
{
    static const char head[] =
        "\r\nGET /api/v1/cases%2F7?q=a+b%21&flag&q=second&=x HTTP/1.1\r\n"
        "Host: example\r\n"
        "X-Blank:   padded value \t\r\n"
        "cookie: theme=dark; xsirt_session=\"abc;def\",other=1\r\n"
        "Cookie: late=2\r\n"
        "\r\n";
    static xsirt_edge_request r;
    xsirt_edge_frame f;

    (void)state;
    assert_int_equal(xsirt_edge_frame_check(&f, head, sizeof head - 1), 0);
    assert_int_equal(xsirt_edge_request_parse(&r, head, sizeof head - 1), 0);
    assert_string_equal(r.method, "GET");
    assert_string_equal(r.version, "HTTP/1.1");
    assert_string_equal(r.raw_uri, "/api/v1/cases%2F7?q=a+b%21&flag&q=second&=x");
    assert_string_equal(r.path, "/api/v1/cases/7");   /* decoded, '+' only in arguments */
    assert_int_equal(r.nargs, 4);
    assert_string_equal(xsirt_edge_request_value(r.args, r.nargs, "q"), "a b!");   /* the first */
    assert_string_equal(r.args[1].name, "flag");
    assert_null(r.args[1].value);
    assert_string_equal(r.args[3].name, "");
    assert_string_equal(r.args[3].value, "x");
    assert_int_equal(r.nheaders, 4);
    assert_string_equal(xsirt_edge_request_value(r.headers, r.nheaders, "HOST"), "example");
    assert_string_equal(xsirt_edge_request_value(r.headers, r.nheaders, "x-blank"), "padded value");
    assert_null(xsirt_edge_request_value(r.headers, r.nheaders, "Content-Length"));
    assert_int_equal(r.ncookies, 4);
    assert_string_equal(xsirt_edge_request_value(r.cookies, r.ncookies, "theme"), "dark");
    assert_string_equal(xsirt_edge_request_value(r.cookies, r.ncookies, "xsirt_session"), "abc;def");
    assert_string_equal(xsirt_edge_request_value(r.cookies, r.ncookies, "other"), "1");
    assert_string_equal(xsirt_edge_request_value(r.cookies, r.ncookies, "late"), "2");
    /* not a head the frame check accepts */
    assert_int_equal(xsirt_edge_request_parse(&r, "GET\r\n\r\n", 7), -1);
    assert_int_equal(xsirt_edge_request_parse(&r, "GET / HTTP/1.1\r\nno colon\r\n\r\n", 28), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_framing), cmocka_unit_test(test_uri),
        cmocka_unit_test(test_utf8_copy), cmocka_unit_test(test_log_escape),
        cmocka_unit_test(test_throttle), cmocka_unit_test(test_frame), cmocka_unit_test(test_allow),
        cmocka_unit_test(test_request_parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
