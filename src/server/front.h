/*
 * front.h — the server's listening socket and the relay in front of
 * libmicrohttpd (internal to src/server/): every request head is judged on
 * its bytes (edge.c) before libmicrohttpd reads it, so that a head
 * libmicrohttpd would answer itself, in HTML, is answered in JSON here.
 */
#ifndef XSIRT_FRONT_H
#define XSIRT_FRONT_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "xsirt/error.h"

typedef struct xsirt_front xsirt_front;

/* Gives the HTTP server one connection's inner socket, with the client's
 * address. Returns 0 when it takes it; fd is closed in any case (as
 * MHD_add_connection does): the per-address and total connection limits
 * refuse here. */
typedef int (*xsirt_front_hand)(void *cls, int fd, const struct sockaddr *addr, socklen_t len);

/* Listens on addr and starts the relay thread. quiet: refusals are not
 * logged. */
int xsirt_front_start(xsirt_front **out, const struct sockaddr_in *addr, xsirt_front_hand hand,
                      void *cls, bool quiet, xsirt_error *err);
/* The port listened on (useful after port 0). */
uint16_t xsirt_front_port(const xsirt_front *f);
/* Heads refused here, since start (for /metrics). */
unsigned long xsirt_front_refused(const xsirt_front *f);
/* Stops listening and relaying, closes every connection. */
void xsirt_front_stop(xsirt_front *f);

#endif
