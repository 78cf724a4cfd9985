/*
 * netaddr.h — IP addresses as the webhook guard sees them (docs/security.md,
 * "Webhooks and the internal network"): which ranges are not the public
 * Internet (loopback, link-local with the cloud metadata address, private,
 * unspecified, multicast, ...) and whether an operator's allow-list of host
 * names and CIDRs names a host or address. Pure: no resolution, no I/O;
 * the caller gives the address it is about to connect to.
 */
#ifndef XSIRT_NETADDR_H
#define XSIRT_NETADDR_H

#include <stdbool.h>
#include <stddef.h>

#include "xsirt/error.h"

struct sockaddr;

typedef struct xsirt_netaddr {
    int version;              /* 4 or 6 */
    unsigned char bytes[16];  /* network order; 4 used for IPv4 */
} xsirt_netaddr;

/* Room for an address as text (INET6_ADDRSTRLEN). */
#define XSIRT_NETADDR_TEXT_MAX 46

/* A literal address: dotted IPv4, or IPv6 with or without brackets.
 * IPv4-mapped IPv6 (::ffff:a.b.c.d) becomes the IPv4 address it maps, so
 * that it is classified and matched as what the kernel connects to.
 * False when text is not an address (a host name). */
bool xsirt_netaddr_parse(xsirt_netaddr *out, const char *text, size_t len);

/* The same from a socket address (AF_INET or AF_INET6); false otherwise. */
bool xsirt_netaddr_from_sockaddr(xsirt_netaddr *out, const struct sockaddr *sa);

/* The address as text ("127.0.0.1", "fe80::1"). */
void xsirt_netaddr_format(char out[XSIRT_NETADDR_TEXT_MAX], const xsirt_netaddr *a);

/* NULL for a public unicast address; else what it is: "loopback",
 * "link-local", "private", "unspecified", "multicast", "shared (carrier-grade
 * NAT)" or "reserved". IPv6 forms that embed an IPv4 address (NAT64
 * 64:ff9b::/96, 6to4 2002::/16) are the kind of the address they embed. */
const char *xsirt_netaddr_restricted(const xsirt_netaddr *a);

/* Whether the allow-list names host (a host name, compared without case;
 * NULL for none) or holds a CIDR or address containing a. The list is
 * entries separated by commas or blanks: host names, addresses, CIDRs
 * (10.1.0.0/16, fd00::/8). A malformed entry is XSIRT_EINVAL naming it. */
int xsirt_netaddr_allowed(bool *out, const char *allow, const char *host,
                          const xsirt_netaddr *a, xsirt_error *err);

#endif
