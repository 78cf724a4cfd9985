/*
 * server.h — the xsirt HTTP server: JSON API under /api/v1, /healthz,
 * /metrics, on libmicrohttpd with a pool of worker threads, each with its
 * own database connection.
 *
 * Request handling in one picture:
 *   http.c     reads the request (bounded body), authenticates it, finds
 *              the route, calls its handler, writes the JSON answer
 *   router.c   the route table: method + path pattern -> handler
 *   api_*.c    handlers: decode input, call the store, shape the answer
 */
#ifndef XSIRT_SERVER_H
#define XSIRT_SERVER_H

#include <stdbool.h>
#include <stdint.h>

#include "xsirt/error.h"

typedef struct xsirt_server xsirt_server;

typedef struct xsirt_server_config {
    const char *database;      /* SQLite path or postgres:// URL */
    const char *host;          /* address to listen on, e.g. "127.0.0.1" */
    uint16_t port;             /* 0: any free port */
    unsigned threads;          /* worker threads; 0: 2 x cores */
    bool quiet;                /* no request log on stderr */
    bool tls_proxy;            /* behind a TLS-terminating proxy: every cookie
                                  gets Secure; X-Real-IP from a loopback peer
                                  names the client */
    unsigned max_per_address;  /* connections per client address; 0: no limit */
    unsigned request_seconds;  /* to receive one whole request; 0: the default,
                                  XSIRT_LIMIT_HTTP_REQUEST_SECONDS */
    const char *gnupg_home;    /* DATA/gnupg: the organisation's OpenPGP keys
                                  that open encrypted reports; NULL: none */
} xsirt_server_config;

int xsirt_server_start(xsirt_server **out, const xsirt_server_config *config, xsirt_error *err);
/* The port actually bound (when config->port was 0). */
uint16_t xsirt_server_port(const xsirt_server *server);
/* Runs periodic work (overdue escalations) until *stop becomes true. */
void xsirt_server_run(xsirt_server *server, volatile int *stop);
void xsirt_server_stop(xsirt_server *server);
/* For how long the server has handled no request (ms; 0 while it
 * handles one). */
long long xsirt_server_quiet_ms(void);

/* Prints "METHOD PATTERN" for every route, one a line (for the OpenAPI
 * conformance test). */
void xsirt_server_print_routes(void *file);

#endif
