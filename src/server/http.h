/*
 * http.h — what a handler sees of a request and gives back (internal to
 * src/server/).
 */
#ifndef XSIRT_HTTP_H
#define XSIRT_HTTP_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"
#include "store/principal.h"
#include "store/user.h"

#define XSIRT_ROUTE_MAX_PARAMS 4

struct sockaddr;
struct xsirt_edge_request;

typedef struct xsirt_request {
    const char *method;
    const char *path;
    void *connection;                        /* struct MHD_Connection *, or NULL */
    const struct xsirt_edge_request *head;   /* or the head the front split (edge.h) */
    const struct sockaddr *peer;             /* with head: the client's address */
    json_t *body;                            /* parsed JSON body, or NULL */
    const char *raw;                         /* the body's bytes (raw-body routes) */
    size_t raw_len;
    int64_t params[XSIRT_ROUTE_MAX_PARAMS];  /* {id} path segments, in order */
    size_t nparams;
    char token[XSIRT_TOKEN_MAX];             /* a {token} path segment, "" for none */
    xsirt_principal who;
    bool authenticated;
    char csrf[XSIRT_TOKEN_MAX];              /* the session's, "" for tokens */
    xsirt_db *db;
} xsirt_request;

typedef struct xsirt_response {
    int status;
    json_t *body;                  /* JSON answer (owned), or NULL */
    const char *text;              /* or a static text answer */
    const char *content_type;      /* for text; JSON otherwise */
    char *owned_text;              /* or text to free */
    size_t owned_size;             /* its length when not 0 (binary: PDF) */
    char etag[32];                 /* "" for none */
    char cookie[256];              /* Set-Cookie value, "" for none */
    char location[128];            /* Location for 201, "" for none */
    char allow[64];                /* Allow for 405, "" for none */
    unsigned retry_after;          /* Retry-After seconds for 429, 0 for none */
    bool close;                    /* close the connection after answering */
} xsirt_response;

/* A query-string argument, NULL when absent. */
const char *xsirt_http_query(const xsirt_request *req, const char *name);
/* A request header, NULL when absent. */
const char *xsirt_http_header(const xsirt_request *req, const char *name);

/* A cookie sent with the request, NULL when absent. */
const char *xsirt_http_cookie(const xsirt_request *req, const char *name);

/* The client's address (for throttles and the log): the peer's, or behind
 * the TLS proxy the X-Real-IP it sets. */
void xsirt_http_client_address(const xsirt_request *req, char *out, size_t size);

/* True when the server was told it runs behind a TLS-terminating proxy
 * (xsirt serve --tls-proxy): cookies must carry Secure. */
bool xsirt_http_tls_proxy(void);

/* The OpenPGP home whose keys open encrypted reports (xsirt serve --data:
 * DATA/gnupg), or NULL. */
const char *xsirt_http_gnupg_home(void);

/* Fills res with the JSON error {"error":{"code","message","field"}}. */
int xsirt_http_error(xsirt_response *res, int status, const char *code, const char *message,
                     const char *field);
/* Maps a store error to its HTTP answer (400, 403, 404, 409, 412, 413, 500). */
int xsirt_http_store_error(xsirt_response *res, const xsirt_error *err);
/* 200 (or status) with body. */
int xsirt_http_json(xsirt_response *res, int status, json_t *body);

#endif
