/*
 * front.h — the server's listening socket, its worker threads and the
 * relay in front of libmicrohttpd (internal to src/server/): every request
 * head is judged on its bytes (edge.c) before libmicrohttpd reads it, so
 * that a head libmicrohttpd would answer itself, in HTML, is answered in
 * JSON here; a request without a body is answered by the worker itself
 * (config->direct), without libmicrohttpd; the per-address and total
 * connection limits are kept here.
 */
#ifndef XSIRT_FRONT_H
#define XSIRT_FRONT_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "core/buf.h"
#include "xsirt/error.h"

typedef struct xsirt_front xsirt_front;
struct MHD_Daemon;

typedef struct xsirt_front_config {
    const struct sockaddr_in *addr;
    unsigned threads;        /* workers: each runs its own daemon */
    unsigned per_address;    /* connections one client address may hold; 0: any */
    bool quiet;              /* refusals are not logged */
    /* Starts one libmicrohttpd daemon for a worker: external polling with
     * epoll, no listening socket (the workers accept and hand connections
     * to it with MHD_add_connection). */
    struct MHD_Daemon *(*start)(void *cls);
    /* Answers a request without a body in the worker itself: head[0..len)
     * is a head the front accepted; answer gets the whole HTTP answer and
     * *close whether the connection ends after it. Returns 0, or 1 when
     * libmicrohttpd must answer it (the connection is then handed to the
     * worker's daemon for good). */
    int (*direct)(void *cls, xsirt_buf *answer, bool *close, const char *head, size_t len,
                  const struct sockaddr *peer);
    void *cls;
    unsigned request_seconds;   /* a whole request within this, or the connection is closed */
} xsirt_front_config;

/* Listens on config->addr and starts the workers. */
int xsirt_front_start(xsirt_front **out, const xsirt_front_config *config, xsirt_error *err);
/* The port listened on (useful after port 0). */
uint16_t xsirt_front_port(const xsirt_front *f);
/* Heads refused here, since start (for /metrics). */
unsigned long xsirt_front_refused(const xsirt_front *f);
/* Connections closed here for not sending a whole request in time (those
 * libmicrohttpd holds are the deadline watcher's). */
unsigned long xsirt_front_expired(const xsirt_front *f);
/* Stops listening and relaying, closes every connection, stops the
 * daemons. */
void xsirt_front_stop(xsirt_front *f);

#endif
