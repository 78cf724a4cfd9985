/*
 * netaddr.c — address ranges that are not the public Internet, and the
 * operator's allow-list (see netaddr.h). The ranges are those a request
 * made on a user's behalf must not reach by default: the host itself, the
 * link (169.254.169.254 answers cloud credentials there), the private
 * networks behind the server, and addresses no public host has. IPv6 forms
 * that carry an IPv4 address are judged by the address they carry, since
 * that is where the packets go.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "core/netaddr.h"
#include "core/str.h"

/* Longest allow-list entry: a host name (253) or an IPv6 CIDR. */
#define NETADDR_ENTRY_MAX 256

typedef struct netaddr_range {
    unsigned char prefix[16];
    unsigned bits;
    const char *kind;
} netaddr_range;

static const netaddr_range netaddr_v4[] = {
    {{0}, 8, "unspecified"},                   /* 0/8: "this network"; 0.0.0.0 is the host */
    {{10}, 8, "private"},
    {{100, 64}, 10, "shared (carrier-grade NAT)"}, /* Alibaba's metadata is 100.100.100.200 */
    {{127}, 8, "loopback"},
    {{169, 254}, 16, "link-local"},            /* 169.254.169.254: cloud metadata */
    {{172, 16}, 12, "private"},
    {{192, 0, 0}, 24, "reserved"},             /* IETF protocol assignments */
    {{192, 168}, 16, "private"},
    {{198, 18}, 15, "reserved"},               /* benchmarking */
    {{224}, 4, "multicast"},
    {{240}, 4, "reserved"},                    /* with 255.255.255.255, broadcast */
};

static const netaddr_range netaddr_v6[] = {
    {{0}, 128, "unspecified"},
    {{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 128, "loopback"},
    {{0}, 8, "reserved"},                      /* IPv4-compatible and the rest of ::/8 */
    {{0xfc}, 7, "private"},                    /* unique local */
    {{0xfe, 0x80}, 10, "link-local"},
    {{0xfe, 0xc0}, 10, "private"},             /* site-local, deprecated */
    {{0xff}, 8, "multicast"},
};

static bool netaddr_in(const unsigned char *addr, const unsigned char *prefix, unsigned bits)
{
    unsigned whole = bits / 8, rest = bits % 8;

    if (memcmp(addr, prefix, whole) != 0)
        return false;
    return rest == 0 || ((addr[whole] ^ prefix[whole]) & (unsigned char)(0xff << (8 - rest))) == 0;
}

/* ::ffff:a.b.c.d as a.b.c.d. */
static void netaddr_unmap(xsirt_netaddr *a)
{
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

    if (a->version == 6 && memcmp(a->bytes, mapped, 12) == 0) {
        memmove(a->bytes, a->bytes + 12, 4);
        memset(a->bytes + 4, 0, 12);
        a->version = 4;
    }
}

bool xsirt_netaddr_parse(xsirt_netaddr *out, const char *text, size_t len)
{
    char buf[XSIRT_NETADDR_TEXT_MAX + 2];

    memset(out, 0, sizeof *out);
    if (len >= 2 && text[0] == '[' && text[len - 1] == ']') {
        text++;
        len -= 2;
    }
    if (len == 0 || len >= sizeof buf)
        return false;
    memcpy(buf, text, len);
    buf[len] = '\0';
    /* inet_pton's IPv4 is strict dotted-quad: "127.1" and "0x7f.1" are
     * host names here, and the check at connection time sees them
     * as the address the resolver makes of them. */
    if (inet_pton(AF_INET, buf, out->bytes) == 1)
        out->version = 4;
    else if (inet_pton(AF_INET6, buf, out->bytes) == 1)
        out->version = 6;
    else
        return false;
    netaddr_unmap(out);
    return true;
}

bool xsirt_netaddr_from_sockaddr(xsirt_netaddr *out, const struct sockaddr *sa)
{
    memset(out, 0, sizeof *out);
    if (sa->sa_family == AF_INET) {
        struct sockaddr_in in;
        memcpy(&in, sa, sizeof in);
        memcpy(out->bytes, &in.sin_addr, 4);
        out->version = 4;
    } else if (sa->sa_family == AF_INET6) {
        struct sockaddr_in6 in6;
        memcpy(&in6, sa, sizeof in6);
        memcpy(out->bytes, &in6.sin6_addr, 16);
        out->version = 6;
        netaddr_unmap(out);
    } else {
        return false;
    }
    return true;
}

void xsirt_netaddr_format(char out[XSIRT_NETADDR_TEXT_MAX], const xsirt_netaddr *a)
{
    if (inet_ntop(a->version == 4 ? AF_INET : AF_INET6, a->bytes, out, XSIRT_NETADDR_TEXT_MAX) == NULL)
        xsirt_strlcpy(out, "?", XSIRT_NETADDR_TEXT_MAX);
}

static const char *netaddr_kind_v4(const unsigned char *b)
{
    for (size_t i = 0; i < sizeof netaddr_v4 / sizeof netaddr_v4[0]; i++)
        if (netaddr_in(b, netaddr_v4[i].prefix, netaddr_v4[i].bits))
            return netaddr_v4[i].kind;
    return NULL;
}

const char *xsirt_netaddr_restricted(const xsirt_netaddr *a)
{
    static const unsigned char nat64[12] = {0, 0x64, 0xff, 0x9b};

    if (a->version == 4)
        return netaddr_kind_v4(a->bytes);
    if (memcmp(a->bytes, nat64, 12) == 0)
        return netaddr_kind_v4(a->bytes + 12);
    if (a->bytes[0] == 0x20 && a->bytes[1] == 0x02)   /* 6to4: 2002:AABB:CCDD::/48 */
        return netaddr_kind_v4(a->bytes + 2);
    for (size_t i = 0; i < sizeof netaddr_v6 / sizeof netaddr_v6[0]; i++)
        if (netaddr_in(a->bytes, netaddr_v6[i].prefix, netaddr_v6[i].bits))
            return netaddr_v6[i].kind;
    return NULL;
}

/* One entry: a CIDR or address (does it hold a?) or a host name (is it host?). */
static int netaddr_entry(bool *out, const char *e, size_t n, const char *host,
                         const xsirt_netaddr *a, xsirt_error *err)
{
    const char *slash = memchr(e, '/', n);
    size_t alen = slash != NULL ? (size_t)(slash - e) : n;
    xsirt_netaddr net;
    uint64_t bits;
    char q[64];

    if (xsirt_netaddr_parse(&net, e, alen)) {
        /* ::ffff:a.b.c.d/N was made IPv4 by the parse: N counts from bit 96. */
        bool mapped = net.version == 4 && memchr(e, ':', alen) != NULL;
        unsigned max = net.version == 4 ? 32 : 128, skip = mapped ? 96 : 0;
        if (slash == NULL)
            bits = max + skip;
        else if (xsirt_parse_u64(&bits, slash + 1, n - alen - 1) != 0 || bits < skip ||
                 bits > max + skip) {
            xsirt_quote(q, sizeof q, e, n);
            return xsirt_error_set(err, XSIRT_EINVAL, "%s: the prefix length is not %u to %u",
                                   q, skip, max + skip);
        }
        bits -= skip;
        *out = a != NULL && a->version == net.version && netaddr_in(a->bytes, net.bytes, (unsigned)bits);
        return 0;
    }
    if (slash != NULL || n > 253) {
        xsirt_quote(q, sizeof q, e, n);
        return xsirt_error_set(err, XSIRT_EINVAL, "%s is not a host name, address or CIDR", q);
    }
    for (size_t i = 0; i < n; i++)
        if (!xsirt_is_alnum(e[i]) && e[i] != '.' && e[i] != '-' && e[i] != '_') {
            xsirt_quote(q, sizeof q, e, n);
            return xsirt_error_set(err, XSIRT_EINVAL, "%s is not a host name, address or CIDR", q);
        }
    *out = host != NULL && strlen(host) == n && xsirt_ascii_ncasecmp(host, e, n) == 0;
    return 0;
}

int xsirt_netaddr_allowed(bool *out, const char *allow, const char *host,
                          const xsirt_netaddr *a, xsirt_error *err)
{
    const char *s = allow != NULL ? allow : "";

    *out = false;
    while (*s != '\0') {
        size_t n;
        bool hit = false;
        int rc;
        s += strspn(s, ", \t");
        n = strcspn(s, ", \t");
        if (n == 0)
            break;
        if (n > NETADDR_ENTRY_MAX)
            return xsirt_error_set(err, XSIRT_EINVAL, "an entry longer than %u characters",
                                   NETADDR_ENTRY_MAX);
        if ((rc = netaddr_entry(&hit, s, n, host, a, err)) != 0)
            return rc;
        *out = *out || hit;
        s += n;
    }
    return 0;
}
