/*
 * test_netaddr.c — the webhook guard's address ranges and allow-list
 * (core/netaddr.c): every range the guard refuses by default, the IPv6
 * forms that carry an IPv4 address, and allow-list entries by name,
 * address and CIDR, malformed ones included.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "core/netaddr.h"

static const char *kind(const char *text)
{
    xsirt_netaddr a;

    assert_true(xsirt_netaddr_parse(&a, text, strlen(text)));
    return xsirt_netaddr_restricted(&a);
}

static void test_ranges(void **state)
{
    static const struct { const char *addr, *kind; } cases[] = {
        {"127.0.0.1", "loopback"},        {"127.255.0.9", "loopback"},
        {"::1", "loopback"},              {"[::1]", "loopback"},
        {"::ffff:127.0.0.1", "loopback"}, {"169.254.169.254", "link-local"},
        {"fe80::1", "link-local"},        {"febf::1", "link-local"},
        {"10.2.3.4", "private"},          {"172.16.0.1", "private"},
        {"172.31.255.255", "private"},    {"192.168.1.1", "private"},
        {"fc00::1", "private"},           {"fdff::1", "private"},
        {"0.0.0.0", "unspecified"},       {"::", "unspecified"},
        {"224.0.0.1", "multicast"},       {"ff02::1", "multicast"},
        {"255.255.255.255", "reserved"},  {"100.100.100.200", "shared (carrier-grade NAT)"},
        {"64:ff9b::a9fe:a9fe", "link-local"}, /* NAT64 of 169.254.169.254 */
        {"2002:7f00:1::", "loopback"},    /* 6to4 of 127.0.0.1 */
        {"::127.0.0.1", "reserved"},      /* IPv4-compatible, deprecated */
        {"fec0::1", "private"},           /* site-local, deprecated */
    };
    static const char *const public[] = {"93.184.216.34", "172.15.255.255", "172.32.0.1",
                                         "169.253.1.1", "2606:2800:220:1::1", "8.8.8.8",
                                         "100.128.0.1"};
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *k = kind(cases[i].addr);
        if (k == NULL || strcmp(k, cases[i].kind) != 0)
            fail_msg("%s: %s, expected %s", cases[i].addr, k ? k : "public", cases[i].kind);
    }
    for (size_t i = 0; i < sizeof public / sizeof public[0]; i++)
        if (kind(public[i]) != NULL)
            fail_msg("%s: %s, expected public", public[i], kind(public[i]));
    assert_string_equal(kind("fec0::1"), "private");
}

static void test_parse(void **state)
{
    xsirt_netaddr a;
    struct sockaddr_in6 in6;
    struct sockaddr_in in;
    char text[XSIRT_NETADDR_TEXT_MAX];

    (void)state;
    /* Names and shortened IPv4 forms are not literals here: the guard sees
     * what the resolver makes of them when it connects. */
    assert_false(xsirt_netaddr_parse(&a, "localhost", 9));
    assert_false(xsirt_netaddr_parse(&a, "127.1", 5));
    assert_false(xsirt_netaddr_parse(&a, "", 0));
    assert_false(xsirt_netaddr_parse(&a, "[]", 2));
    memset(&in6, 0, sizeof in6);
    in6.sin6_family = AF_INET6;
    assert_int_equal(inet_pton(AF_INET6, "::ffff:10.0.0.1", &in6.sin6_addr), 1);
    assert_true(xsirt_netaddr_from_sockaddr(&a, (const struct sockaddr *)&in6));
    assert_int_equal(a.version, 4);
    xsirt_netaddr_format(text, &a);
    assert_string_equal(text, "10.0.0.1");
    memset(&in, 0, sizeof in);
    in.sin_family = AF_INET;
    in.sin_addr.s_addr = htonl(0xa9fea9feu);
    assert_true(xsirt_netaddr_from_sockaddr(&a, (const struct sockaddr *)&in));
    assert_string_equal(xsirt_netaddr_restricted(&a), "link-local");
}

static bool allowed(const char *list, const char *host, const char *addr)
{
    xsirt_netaddr a;
    xsirt_error err;
    bool yes = false;

    assert_true(xsirt_netaddr_parse(&a, addr, strlen(addr)));
    if (xsirt_netaddr_allowed(&yes, list, host, &a, &err) != 0)
        fail_msg("%s: %s", list != NULL ? list : "(no list)", err.message);
    return yes;
}

static void test_allow(void **state)
{
    xsirt_netaddr a;
    xsirt_error err;
    bool yes;

    (void)state;
    assert_false(allowed(NULL, "localhost", "127.0.0.1"));
    assert_false(allowed("", "localhost", "127.0.0.1"));
    assert_true(allowed("127.0.0.1", "localhost", "127.0.0.1"));
    assert_false(allowed("127.0.0.1", "localhost", "127.0.0.2"));
    assert_true(allowed("chat.corp.example, 10.1.0.0/16", "Chat.Corp.Example", "10.9.9.9"));
    assert_true(allowed("chat.corp.example, 10.1.0.0/16", "other", "10.1.200.3"));
    assert_false(allowed("chat.corp.example, 10.1.0.0/16", "other", "10.2.0.1"));
    assert_false(allowed("chat.corp.example", "corp.example", "10.2.0.1"));
    assert_true(allowed("fd00::/8 ::1", NULL, "fd12::5"));
    assert_true(allowed("fd00::/8 ::1", NULL, "::1"));
    assert_false(allowed("fd00::/8", NULL, "fc00::1"));
    assert_true(allowed("172.16.0.0/12", NULL, "172.31.1.1"));
    assert_false(allowed("172.16.0.0/12", NULL, "172.32.1.1"));
    assert_true(allowed("::ffff:192.168.0.0/112", NULL, "192.168.4.4"));
    assert_true(allowed("0.0.0.0/0,::/0", NULL, "169.254.169.254"));
    assert_false(allowed("10.0.0.0/8", NULL, "::ffff:11.0.0.1"));
    assert_true(allowed("10.0.0.0/8", NULL, "::ffff:10.0.0.1"));

    assert_true(xsirt_netaddr_parse(&a, "10.0.0.1", 8));
    assert_int_equal(xsirt_netaddr_allowed(&yes, "10.0.0.0/33", NULL, &a, &err), XSIRT_EINVAL);
    assert_non_null(strstr(err.message, "10.0.0.0/33"));
    assert_int_equal(xsirt_netaddr_allowed(&yes, "host/8", NULL, &a, &err), XSIRT_EINVAL);
    assert_int_equal(xsirt_netaddr_allowed(&yes, "a;b", NULL, &a, &err), XSIRT_EINVAL);
    assert_int_equal(xsirt_netaddr_allowed(&yes, "10.0.0.0/", NULL, &a, &err), XSIRT_EINVAL);
    assert_int_equal(xsirt_netaddr_allowed(&yes, "::ffff:10.0.0.0/8", NULL, &a, &err), XSIRT_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ranges),
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_allow),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
