/*
 * http.c — the server loop on libmicrohttpd (see server.h): bounded
 * request bodies, authentication (API token or session cookie with CSRF
 * token), routing, JSON answers, metrics and the periodic sweep.
 *
 * Security headers go on every answer; an error is always the JSON body
 * {"error":{"code","message","field"}} with a 4xx status for anything the
 * client sent, so bad input never produces a 5xx.
 *
 * The network edge (docs/security.md): a request's head is judged
 * (edge.c) at libmicrohttpd's first call, before its body is read, and a
 * refused one is answered in JSON on a connection then closed; each
 * request must arrive whole within a deadline (deadline.c) and each
 * address may hold a bounded number of connections; the request log is
 * JSON lines (log.c). libmicrohttpd does not listen: the front (front.c)
 * accepts each connection and judges each head's bytes before handing
 * them on, so that libmicrohttpd never answers one itself, in HTML. A
 * request without a body the front hands to server_direct instead, which
 * answers it through the same checks and handlers without libmicrohttpd
 * (the handlers see its head through xsirt_http_header and the like).
 */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/str.h"
#include "formats/jsonw.h"
#include "server/deadline.h"
#include "server/edge.h"
#include "server/front.h"
#include "server/log.h"
#include "server/router.h"
#include "server/server.h"
#include "server/ui.h"
#include "store/case.h"
#include "store/store.h"
#include "xsirt/limits.h"

#define SESSION_COOKIE "xsirt_session"

/* Headers one request may have: the edge checks look at all of them (the
 * front refuses more before libmicrohttpd sees them). */
#define HTTP_MAX_HEADERS XSIRT_LIMIT_HTTP_HEADERS

struct xsirt_server {
    xsirt_server_config config;
    char database[1024];
    pthread_key_t db_key;
    xsirt_db_checkpointer *checkpointer;   /* the request connections' WAL checkpoints */
    xsirt_deadline *deadline;
    xsirt_front *front;
};

/* Counters for /metrics: requests by status class, and time spent. */
static atomic_ulong metric_requests[6];
static atomic_ulong metric_micros;
static atomic_ulong metric_escalations;
static xsirt_server *current_server;
/* Requests being handled now (their bodies read), and when the last one
 * ended (CLOCK_MONOTONIC, ms): background writers that can wait
 * (indexer.h) work between them. */
static atomic_int server_handling;
static atomic_llong server_handled_ms;

static long long server_now_ms(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

long long xsirt_server_quiet_ms(void)
{
    return atomic_load(&server_handling) > 0 ? 0
                                             : server_now_ms() - atomic_load(&server_handled_ms);
}

/* One request, from its request line (the URI log callback) to its end. */
typedef struct request_ctx {
    xsirt_buf body;
    bool too_large;
    bool started;           /* the access handler's first call is done */
    xsirt_edge_verdict refusal;   /* answered once the body is read and dropped */
    bool uri_bad;           /* the raw URI failed xsirt_edge_uri_bad */
    char uri[XSIRT_LIMIT_LOG_URI + 4];   /* the raw URI for the log, cut */
    bool raw;            /* the route takes a document, not JSON (router.h) */
} request_ctx;

/* ---- per-thread database connections ------------------------------------ */

static void server_db_close(void *db)
{
    xsirt_db_close(db);
}

static xsirt_db *server_db(xsirt_server *s, xsirt_error *err)
{
    xsirt_db *db = pthread_getspecific(s->db_key);

    if (db != NULL && !xsirt_db_broken(db))
        return db;
    if (db != NULL) {
        /* The database server restarted: reconnect instead of failing on. */
        xsirt_db_close(db);
        pthread_setspecific(s->db_key, NULL);
    }
    if (xsirt_db_open(&db, s->database, err) != 0)
        return NULL;
    /* A request that commits a large transaction (an SBOM upload) answers
     * without waiting for the WAL's copy into the database file. */
    xsirt_db_checkpoint_by(db, s->checkpointer);
    pthread_setspecific(s->db_key, db);
    return db;
}

/* ---- answers ------------------------------------------------------------ */

int xsirt_http_json(xsirt_response *res, int status, json_t *body)
{
    res->status = status;
    json_decref(res->body);
    res->body = body;
    return 0;
}

int xsirt_http_error(xsirt_response *res, int status, const char *code, const char *message,
                     const char *field)
{
    char msg[3 * XSIRT_ERROR_MESSAGE_MAX], where[3 * XSIRT_ERROR_POINTER_MAX];
    json_t *e;

    /* Messages and fields quote input, and may have been cut inside a
     * character: JSON strings must be valid UTF-8, or there is no answer. */
    xsirt_edge_utf8_copy(msg, sizeof msg, message != NULL ? message : "");
    xsirt_edge_utf8_copy(where, sizeof where, field != NULL ? field : "");
    e = json_pack("{s:{s:s, s:s, s:s?}}", "error", "code", code, "message", msg, "field",
                  where[0] != '\0' ? where : NULL);
    if (e == NULL)
        e = json_pack("{s:{s:s, s:s}}", "error", "code", "internal", "message", "out of memory");
    return xsirt_http_json(res, status, e);
}

int xsirt_http_store_error(xsirt_response *res, const xsirt_error *err)
{
    const char *field = err->pointer;

    switch (err->code) {
    case XSIRT_EINVAL: return xsirt_http_error(res, 400, "invalid", err->message, field);
    case XSIRT_ELIMIT: return xsirt_http_error(res, 413, "too_large", err->message, field);
    case XSIRT_ENOTFOUND: return xsirt_http_error(res, 404, "not_found", err->message, NULL);
    case XSIRT_EDENIED: return xsirt_http_error(res, 403, "forbidden", err->message, field);
    case XSIRT_ECONFLICT:
        if (strcmp(field, "If-Match") == 0)
            return xsirt_http_error(res, 412, "stale", err->message, field);
        return xsirt_http_error(res, 409, "conflict", err->message, field);
    case XSIRT_EUNSUPPORTED: return xsirt_http_error(res, 400, "unsupported", err->message, field);
    case XSIRT_EIO:
        xsirt_log_event("database", err->message);
        return xsirt_http_error(res, 503, "unavailable", "database unavailable; retry", NULL);
    default:
        xsirt_log_event("internal", err->message);
        return xsirt_http_error(res, 500, "internal", "internal error", NULL);
    }
}

/* A request the front answers itself has its head split by the edge
 * (req->head); one libmicrohttpd reads, its connection. */
const char *xsirt_http_query(const xsirt_request *req, const char *name)
{
    if (req->head != NULL)
        return xsirt_edge_request_value(req->head->args, req->head->nargs, name);
    return MHD_lookup_connection_value(req->connection, MHD_GET_ARGUMENT_KIND, name);
}

const char *xsirt_http_header(const xsirt_request *req, const char *name)
{
    if (req->head != NULL)
        return xsirt_edge_request_value(req->head->headers, req->head->nheaders, name);
    return MHD_lookup_connection_value(req->connection, MHD_HEADER_KIND, name);
}

const char *xsirt_http_cookie(const xsirt_request *req, const char *name)
{
    if (req->head != NULL)
        return xsirt_edge_request_value(req->head->cookies, req->head->ncookies, name);
    return MHD_lookup_connection_value(req->connection, MHD_COOKIE_KIND, name);
}

/* ---- authentication ----------------------------------------------------- */

static bool server_is_safe_method(const char *m)
{
    return strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0 || strcmp(m, "OPTIONS") == 0;
}

/* Fills req->who from a bearer token or a session cookie. A session may
 * change things only with its CSRF token in X-CSRF-Token. Returns 0 when
 * authenticated, XSIRT_EDENIED when credentials are missing or wrong. */
static int server_authenticate(xsirt_request *req, xsirt_error *err)
{
    const char *auth = xsirt_http_header(req, MHD_HTTP_HEADER_AUTHORIZATION);
    const char *cookie = xsirt_http_cookie(req, SESSION_COOKIE);
    char *csrf = req->csrf;
    const char *sent;
    int rc;

    if (auth != NULL) {
        if (xsirt_ascii_ncasecmp(auth, "Bearer ", 7) != 0)
            return xsirt_error_set(err, XSIRT_EDENIED, "use Authorization: Bearer TOKEN");
        return xsirt_token_authenticate(&req->who, req->db, auth + 7, err);
    }
    if (cookie == NULL)
        return xsirt_error_set(err, XSIRT_EDENIED, "authentication required: an API token "
                                                   "(Authorization: Bearer) or a session");
    if ((rc = xsirt_session_authenticate(&req->who, csrf, req->db, cookie, err)) != 0)
        return rc;
    if (!server_is_safe_method(req->method)) {
        sent = xsirt_http_header(req, "X-CSRF-Token");
        if (sent == NULL || strlen(sent) != strlen(csrf) ||
            sodium_memcmp(sent, csrf, strlen(csrf)) != 0)
            return xsirt_error_set(err, XSIRT_EDENIED, "missing or wrong X-CSRF-Token");
    }
    return 0;
}

/* ---- one request -------------------------------------------------------- */

static void server_parse_body(xsirt_response *res, xsirt_request *req, const request_ctx *ctx)
{
    json_error_t jerr;
    char msg[300];

    if (ctx->body.len == 0)
        return;
    req->body = json_loadb(ctx->body.data, ctx->body.len, JSON_REJECT_DUPLICATES, &jerr);
    if (req->body == NULL) {
        snprintf(msg, sizeof msg, "body is not valid JSON: %d:%d: %s", jerr.line, jerr.column,
                 jerr.text);
        xsirt_http_error(res, 400, "invalid_json", msg, NULL);
    }
}

static void server_method_not_allowed(xsirt_response *res, const xsirt_request *req)
{
    xsirt_router_allowed(res->allow, sizeof res->allow, req->path);
    xsirt_http_error(res, 405, "method_not_allowed", "method not allowed here", NULL);
}

/* /healthz and /metrics answer without the database; the API and
 * /.well-known/ (security.txt is built from the settings) need it. */
static bool server_needs_db(const char *path)
{
    return strncmp(path, "/api/", 5) == 0 || strncmp(path, "/.well-known/", 13) == 0;
}

static void server_handle_route(xsirt_response *res, xsirt_request *req, const request_ctx *ctx);

static void server_handle(xsirt_response *res, xsirt_request *req, const request_ctx *ctx)
{
    atomic_fetch_add(&server_handling, 1);
    server_handle_route(res, req, ctx);
    atomic_store(&server_handled_ms, server_now_ms());
    atomic_fetch_sub(&server_handling, 1);
}

static void server_handle_route(xsirt_response *res, xsirt_request *req, const request_ctx *ctx)
{
    const xsirt_route *route = NULL;
    enum xsirt_route_match m;
    xsirt_error err;

    if (ctx->too_large) {
        char msg[128];
        snprintf(msg, sizeof msg, "request body larger than %zu bytes", ctx->body.max);
        xsirt_http_error(res, 413, "too_large", msg, NULL);
        res->close = true;
        return;
    }
    /* HEAD is GET without the body (libmicrohttpd leaves the body out). */
    if (strcmp(req->method, "HEAD") == 0)
        req->method = "GET";
    m = xsirt_router_find(&route, req);
    if (m == XSIRT_ROUTE_FOUND && route->public_route && !server_needs_db(req->path)) {
        route->handler(res, req);   /* /healthz and /metrics need no database session */
        return;
    }
    if (m == XSIRT_ROUTE_NO_METHOD && strncmp(req->path, "/api/", 5) != 0) {
        server_method_not_allowed(res, req);   /* /healthz, /metrics, /.well-known/: public */
        return;
    }
    req->db = server_db(current_server, &err);
    if (req->db == NULL) {
        xsirt_http_error(res, 503, "unavailable", "database unavailable", NULL);
        xsirt_log_event("database", err.message);
        return;
    }
    if (m != XSIRT_ROUTE_FOUND || !route->public_route) {
        if (server_authenticate(req, &err) != 0) {
            if (err.code == XSIRT_EDENIED)
                xsirt_http_error(res, 401, "unauthenticated", err.message, NULL);
            else
                xsirt_http_store_error(res, &err);   /* the database, not the caller */
            return;
        }
        req->authenticated = true;
    } else if (strncmp(req->path, "/.well-known/", 13) == 0 &&
               (xsirt_http_header(req, MHD_HTTP_HEADER_AUTHORIZATION) != NULL ||
                xsirt_http_cookie(req, SESSION_COOKIE) != NULL)) {
        /* Public, but TLP:GREEN and above answer those who say who they
         * are (provider.c): credentials sent must be good. */
        if (server_authenticate(req, &err) != 0) {
            if (err.code == XSIRT_EDENIED)
                xsirt_http_error(res, 401, "unauthenticated", err.message, NULL);
            else
                xsirt_http_store_error(res, &err);
            return;
        }
        req->authenticated = true;
    }
    if (m == XSIRT_ROUTE_NO_PATH) {
        xsirt_http_error(res, 404, "not_found", "no such resource", NULL);
        return;
    }
    if (m == XSIRT_ROUTE_NO_METHOD) {
        server_method_not_allowed(res, req);
        return;
    }
    if (req->authenticated && req->who.external && !xsirt_router_external(route)) {
        /* A party's account reaches its portal only: an object named in the
         * path does not exist for it (404, as hidden objects are), anything
         * else is refused (docs/security.md). */
        if (strstr(route->pattern, "{id}") != NULL)
            xsirt_http_error(res, 404, "not_found", "not found", NULL);
        else
            xsirt_http_error(res, 403, "forbidden", "an external account reaches only its portal "
                             "(/api/v1/portal)", NULL);
        return;
    }
    if (req->authenticated && req->who.external && route->public_route) {
        /* The public routes answer a party's account as anyone: the CSAF
         * provider gives TLP:GREEN to callers who are authenticated, and
         * a party is not one of those. */
        req->authenticated = false;
        memset(&req->who, 0, sizeof req->who);
    }
    req->raw = xsirt_buf_cstr(&ctx->body);
    req->raw_len = ctx->body.len;
    if (!ctx->raw)
        server_parse_body(res, req, ctx);
    if (res->status == 0)
        route->handler(res, req);
}

/* Where an answer's headers go: a libmicrohttpd response, or the text of
 * an answer the front sends itself (server_direct_header). */
typedef void (*server_header_fn)(void *to, const char *name, const char *value);

static void server_mhd_header(void *to, const char *name, const char *value)
{
    MHD_add_response_header(to, name, value);
}

/* Behind a TLS proxy no cookie leaves without Secure, whoever set it: a
 * session cookie sent once over plain HTTP can be read on the way. */
static void server_cookie(server_header_fn add, void *r, const char *cookie)
{
    char secured[sizeof ((xsirt_response *)0)->cookie + 16];

    if (current_server->config.tls_proxy && strstr(cookie, "; Secure") == NULL) {
        snprintf(secured, sizeof secured, "%s; Secure", cookie);
        cookie = secured;
    }
    add(r, MHD_HTTP_HEADER_SET_COOKIE, cookie);
}

static void server_headers(server_header_fn add, void *r, const xsirt_response *res)
{
    char seconds[16];

    add(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    add(r, "X-Content-Type-Options", "nosniff");
    add(r, "X-Frame-Options", "DENY");
    add(r, "Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
    if (res->etag[0] != '\0')
        add(r, MHD_HTTP_HEADER_ETAG, res->etag);
    if (res->cookie[0] != '\0')
        server_cookie(add, r, res->cookie);
    if (res->location[0] != '\0')
        add(r, MHD_HTTP_HEADER_LOCATION, res->location);
    if (res->allow[0] != '\0')
        add(r, MHD_HTTP_HEADER_ALLOW, res->allow);
    if (res->retry_after > 0) {
        snprintf(seconds, sizeof seconds, "%u", res->retry_after);
        add(r, MHD_HTTP_HEADER_RETRY_AFTER, seconds);
    }
    if (res->close)
        add(r, MHD_HTTP_HEADER_CONNECTION, "close");
    if (res->status == 401)
        add(r, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer realm=\"xsirt\"");
}

/* The answer's JSON text, compact, in one allocation. Pages keep every
 * answer far below XSIRT_LIMIT_ANSWER_BYTES; the bound is enforced here
 * too, last, so that no route can ever send more. NULL (and len 0) only
 * when even the error text cannot be allocated. */
static char *server_dump(xsirt_response *res, size_t *len)
{
    static const char *const too_big =
        "{\"error\":{\"code\":\"internal\",\"message\":\"answer larger than the limit\"}}";
    static const char *const no_memory =
        "{\"error\":{\"code\":\"internal\",\"message\":\"out of memory\"}}";
    xsirt_buf b;
    int rc;
    char *text;

    xsirt_buf_init(&b, XSIRT_LIMIT_ANSWER_BYTES);
    rc = xsirt_jsonw_dump_compact(&b, res->body);
    *len = b.len;
    text = rc == 0 ? xsirt_buf_detach(&b) : NULL;
    xsirt_buf_free(&b);
    if (text == NULL) {
        res->status = 500;
        text = strdup(rc == XSIRT_ELIMIT ? too_big : no_memory);
        *len = text != NULL ? strlen(text) : 0;
    }
    return text;
}

/* The answer's body and media type; *owned is what to free after. */
static const char *server_body(xsirt_response *res, size_t *len, const char **type, char **owned)
{
    const char *t;

    *owned = NULL;
    if (res->body != NULL) {
        *owned = server_dump(res, len);
        *type = "application/json";
        return *owned;
    }
    t = res->owned_text != NULL ? res->owned_text : (res->text != NULL ? res->text : "");
    *len = res->owned_text != NULL && res->owned_size > 0 ? res->owned_size : strlen(t);
    *type = res->content_type != NULL ? res->content_type : "text/plain";
    return t;
}

static enum MHD_Result server_send(struct MHD_Connection *c, xsirt_response *res)
{
    struct MHD_Response *r;
    enum MHD_Result ok;
    const char *type, *body;
    char *owned;
    size_t len = 0;

    body = server_body(res, &len, &type, &owned);
    if (owned != NULL)
        r = MHD_create_response_from_buffer(len, owned, MHD_RESPMEM_MUST_FREE);
    else
        r = MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
    if (r == NULL) {
        free(owned);
        return MHD_NO;
    }
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    server_headers(server_mhd_header, r, res);
    ok = MHD_queue_response(c, (unsigned)res->status, r);
    MHD_destroy_response(r);
    return ok;
}

/* The most bytes the request's body may have. A raw-document route (an
 * SBOM upload, router.h) may take far more than JSON does, so the caller
 * is authenticated before that much is buffered: without valid
 * credentials the body gets the ordinary limit (and the request its 401). */
static size_t server_body_limit(const xsirt_request *request, bool *raw)
{
    size_t limit = xsirt_router_body_limit(request->method, request->path, raw);
    xsirt_request req;
    xsirt_error err;

    if (!*raw)
        return limit;
    req = *request;
    req.db = server_db(current_server, &err);
    if (req.db == NULL || server_authenticate(&req, &err) != 0)
        return XSIRT_LIMIT_HTTP_BODY;   /* still a document; the handler answers 401 */
    return limit;
}

/* The address requests are counted against: the peer's; behind the TLS
 * proxy, the client address the proxy puts in X-Real-IP when the peer is
 * the proxy on loopback. */
void xsirt_http_client_address(const xsirt_request *req, char *out, size_t size)
{
    const union MHD_ConnectionInfo *info =
        req->head != NULL ? NULL : MHD_get_connection_info(req->connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const struct sockaddr *sa = req->head != NULL ? req->peer : info != NULL ? info->client_addr : NULL;
    const char *real = xsirt_http_header(req, "X-Real-IP");
    unsigned char probe[sizeof(struct in6_addr)];

    xsirt_strlcpy(out, "-", size);
    if (sa == NULL)
        return;
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out, (socklen_t)size);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out,
                  (socklen_t)size);
    if (current_server->config.tls_proxy && strncmp(out, "127.", 4) == 0 && real != NULL &&
        (inet_pton(AF_INET, real, probe) == 1 || inet_pton(AF_INET6, real, probe) == 1))
        xsirt_strlcpy(out, real, size);
}

const char *xsirt_http_gnupg_home(void)
{
    return current_server != NULL ? current_server->config.gnupg_home : NULL;
}

bool xsirt_http_tls_proxy(void)
{
    return current_server != NULL && current_server->config.tls_proxy;
}

typedef struct server_headers_seen {
    xsirt_edge_header list[HTTP_MAX_HEADERS];
    size_t n;
    bool overflow;
} server_headers_seen;

static enum MHD_Result server_collect_header(void *cls, enum MHD_ValueKind kind, const char *key,
                                             const char *value)
{
    server_headers_seen *seen = cls;

    (void)kind;
    if (seen->n >= HTTP_MAX_HEADERS) {
        seen->overflow = true;
        return MHD_NO;
    }
    seen->list[seen->n++] = (xsirt_edge_header){key, value != NULL ? value : ""};
    return MHD_YES;
}

/* The first call: the head is complete, the body not yet read. Fills res
 * with the refusal to send (status 0 when the request may go on). */
static void server_check_head(xsirt_response *res, const xsirt_request *req, request_ctx *ctx,
                              const xsirt_edge_header *headers, size_t nheaders, bool overflow,
                              const char *version)
{
    xsirt_edge_verdict v;
    xsirt_edge_head head = {req->method, NULL, version, NULL, 0, 0, false};

    if (overflow) {
        xsirt_http_error(res, 431, "too_many_headers", "more than 100 header fields", NULL);
    } else if (ctx->uri_bad) {
        xsirt_http_error(res, 400, "bad_uri",
                         "the request target holds a control byte or a malformed %-escape", NULL);
    } else {
        head.headers = headers;
        head.nheaders = nheaders;
        head.body_limit = server_body_limit(req, &ctx->raw);
        ctx->body.max = head.body_limit;
        head.raw = ctx->raw;
    }
    if (res->status == 0 && xsirt_edge_check(&v, &head) != 0) {
        if (v.after_body) {
            ctx->refusal = v;
            return;
        }
        xsirt_http_error(res, v.status, v.code, v.message, v.field);
    }
    res->close = res->status != 0;
}

static xsirt_deadline_conn *server_deadline_conn(struct MHD_Connection *c)
{
    const union MHD_ConnectionInfo *info = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);

    return info != NULL ? info->socket_context : NULL;
}

static void server_log(const request_ctx *ctx, const char *method, const xsirt_request *req,
                       int status, unsigned long micros)
{
    char address[INET6_ADDRSTRLEN + 1];

    if (current_server->config.quiet)
        return;
    xsirt_http_client_address(req, address, sizeof address);
    xsirt_log_request_line(&(xsirt_log_request){address, method, ctx->uri, status, micros,
                                                req->authenticated ? req->who.username : NULL});
}

/* The answer is out: counted, logged, and the request's memory freed. */
static void server_done(const request_ctx *ctx, const char *method, xsirt_request *req,
                        xsirt_response *res, const struct timespec *t0)
{
    struct timespec t1;
    unsigned long micros;

    clock_gettime(CLOCK_MONOTONIC, &t1);
    micros = (unsigned long)((t1.tv_sec - t0->tv_sec) * 1000000L + (t1.tv_nsec - t0->tv_nsec) / 1000);
    atomic_fetch_add(&metric_requests[res->status / 100 <= 5 ? res->status / 100 : 0], 1);
    atomic_fetch_add(&metric_micros, micros);
    server_log(ctx, method, req, res->status, micros);
    json_decref(res->body);
    free(res->owned_text);
    json_decref(req->body);
}

static enum MHD_Result server_access(void *cls, struct MHD_Connection *connection, const char *url,
                                     const char *method, const char *version, const char *upload_data,
                                     size_t *upload_data_size, void **con_cls)
{
    request_ctx *ctx = *con_cls;
    xsirt_request req;
    xsirt_response res;
    struct timespec t0;
    enum MHD_Result ok;

    (void)cls;
    if (ctx == NULL)
        return MHD_NO;   /* the URI log callback could not allocate it */
    memset(&req, 0, sizeof req);
    memset(&res, 0, sizeof res);
    req.method = method;
    req.path = url;
    req.connection = connection;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (!ctx->started) {
        ctx->started = true;
        server_headers_seen seen = {.n = 0, .overflow = false};
        MHD_get_connection_values(connection, MHD_HEADER_KIND, server_collect_header, &seen);
        server_check_head(&res, &req, ctx, seen.list, seen.n, seen.overflow, version);
        if (res.status == 0)
            return MHD_YES;   /* now read the body */
    } else if (*upload_data_size > 0) {
        if (ctx->refusal.status == 0 && !ctx->too_large &&
            xsirt_buf_append(&ctx->body, upload_data, *upload_data_size) != 0)
            ctx->too_large = true;
        *upload_data_size = 0;
        return MHD_YES;
    } else if (ctx->refusal.status != 0) {
        xsirt_http_error(&res, ctx->refusal.status, ctx->refusal.code, ctx->refusal.message,
                         ctx->refusal.field);
    } else if (xsirt_ui_wants(method, url)) {   /* the web UI: GET/HEAD outside /api/ and the routes */
        xsirt_deadline_received(current_server->deadline, server_deadline_conn(connection));
        return (enum MHD_Result)xsirt_ui_send(connection, method, url);
    } else {
        xsirt_deadline_received(current_server->deadline, server_deadline_conn(connection));
        server_handle(&res, &req, ctx);
        if (res.status == 0)
            xsirt_http_error(&res, 500, "internal", "handler gave no answer", NULL);
    }
    xsirt_deadline_received(current_server->deadline, server_deadline_conn(connection));
    ok = server_send(connection, &res);
    server_done(ctx, method, &req, &res, &t0);
    return ok;
}

/* Called by libmicrohttpd with the request line's URI as sent, before it
 * is split and percent-decoded: the one place that sees "%00" or "%0a".
 * Its result becomes the request's context. */
static void server_ctx_init(request_ctx *ctx, const char *uri)
{
    xsirt_buf_init(&ctx->body, XSIRT_LIMIT_HTTP_BODY);
    ctx->uri_bad = xsirt_edge_uri_bad(uri);
    if (xsirt_strlcpy(ctx->uri, uri, XSIRT_LIMIT_LOG_URI + 1) > XSIRT_LIMIT_LOG_URI)
        xsirt_strlcpy(ctx->uri + XSIRT_LIMIT_LOG_URI, "...", 4);
}

static void *server_uri(void *cls, const char *uri, struct MHD_Connection *connection)
{
    request_ctx *ctx = calloc(1, sizeof *ctx);

    (void)cls;
    (void)connection;
    if (ctx == NULL)
        return NULL;
    server_ctx_init(ctx, uri);
    return ctx;
}

static void server_completed(void *cls, struct MHD_Connection *connection, void **con_cls,
                             enum MHD_RequestTerminationCode toe)
{
    request_ctx *ctx = *con_cls;

    (void)cls;
    xsirt_deadline_restart(current_server->deadline, server_deadline_conn(connection));
    if (ctx != NULL && !ctx->started && !current_server->config.quiet &&
        (toe == MHD_REQUEST_TERMINATED_COMPLETED_OK || toe == MHD_REQUEST_TERMINATED_WITH_ERROR)) {
        char msg[XSIRT_LIMIT_LOG_URI + 128];
        /* libmicrohttpd answered the head itself (docs/security.md). */
        snprintf(msg, sizeof msg, "request refused by libmicrohttpd before the server saw it: %s", ctx->uri);
        xsirt_log_event("http_parser", msg);
    }
    if (ctx != NULL) {
        xsirt_buf_free(&ctx->body);
        free(ctx);
        *con_cls = NULL;
    }
}

static void server_connection(void *cls, struct MHD_Connection *connection, void **socket_context,
                              enum MHD_ConnectionNotificationCode toe)
{
    xsirt_server *s = cls;
    const union MHD_ConnectionInfo *info;

    if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
        info = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CONNECTION_FD);
        *socket_context = info != NULL ? xsirt_deadline_open(s->deadline, info->connect_fd) : NULL;
    } else if (toe == MHD_CONNECTION_NOTIFY_CLOSED) {
        xsirt_deadline_close(s->deadline, *socket_context);
        *socket_context = NULL;
    }
}

/* ---- a request the front answers itself --------------------------------
 *
 * A request without a body whose head the front accepted is answered
 * here, in the front's thread, without libmicrohttpd: the same checks,
 * handler, headers, log and counters as server_access, but the answer is
 * written as text the front sends in one call (docs/performance.md). The
 * web UI's files, and every request with a body, still go to
 * libmicrohttpd (front.c hands the connection over). */

static void server_direct_header(void *to, const char *name, const char *value)
{
    xsirt_buf *out = to;

    xsirt_buf_puts(out, name);
    xsirt_buf_append(out, ": ", 2);
    xsirt_buf_puts(out, value);
    xsirt_buf_append(out, "\r\n", 2);
}

/* The Date header, as libmicrohttpd writes it (RFC 9110's IMF-fixdate,
 * locale-free), formatted once a second per thread. */
static const char *server_date(void)
{
    static const char days[7][4] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char months[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    static _Thread_local time_t at;
    static _Thread_local char text[40];
    time_t now = time(NULL);
    struct tm tm;

    if (now != at && gmtime_r(&now, &tm) != NULL) {
        snprintf(text, sizeof text, "%s, %02d %s %04d %02d:%02d:%02d GMT", days[tm.tm_wday % 7],
                 tm.tm_mday, months[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                 tm.tm_sec);
        at = now;
    }
    return text;
}

/* v in decimal (the status line and Content-Length are written by hand:
 * printf was a twentieth of what a read of a case cost). */
static void server_put_uint(xsirt_buf *out, unsigned long long v)
{
    char digits[24], *p = digits + sizeof digits;

    do {
        *--p = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    xsirt_buf_append(out, p, (size_t)(digits + sizeof digits - p));
}

/* libmicrohttpd's rule: HTTP/1.1 keeps the connection unless the client
 * says "Connection: close"; HTTP/1.0 closes it unless it says keep-alive. */
static bool server_has_token(const char *list, const char *token)
{
    size_t n = strlen(token);

    for (const char *p = list; p != NULL && *p != '\0';) {
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        if (xsirt_ascii_ncasecmp(p, token, n) == 0) {
            const char *e = p + n;
            while (*e == ' ' || *e == '\t')
                e++;
            if (*e == '\0' || *e == ',')
                return true;
        }
        p = strchr(p, ',');
    }
    return false;
}

static int server_direct(void *cls, xsirt_buf *out, bool *close, const char *bytes, size_t len,
                         const struct sockaddr *peer)
{
    xsirt_edge_request head, *h = &head;   /* 44 KiB of a worker's stack */
    const char *connection, *type, *body;
    request_ctx ctx;
    xsirt_request req;
    xsirt_response res;
    struct timespec t0;
    bool http11, keep;
    size_t blen = 0;
    char *owned;

    (void)cls;
    if (xsirt_edge_request_parse(h, bytes, len) != 0 || xsirt_ui_wants(h->method, h->path))
        return 1;   /* libmicrohttpd answers it */
    clock_gettime(CLOCK_MONOTONIC, &t0);
    memset(&ctx, 0, sizeof ctx);
    memset(&req, 0, sizeof req);
    memset(&res, 0, sizeof res);
    server_ctx_init(&ctx, h->raw_uri);
    req.method = h->method;
    req.path = h->path;
    req.head = h;
    req.peer = peer;
    server_check_head(&res, &req, &ctx, h->headers, h->nheaders, false, h->version);
    if (res.status == 0 && ctx.refusal.status != 0)   /* its body (none) is read: answer */
        xsirt_http_error(&res, ctx.refusal.status, ctx.refusal.code, ctx.refusal.message,
                         ctx.refusal.field);
    else if (res.status == 0)
        server_handle(&res, &req, &ctx);
    if (res.status == 0)
        xsirt_http_error(&res, 500, "internal", "handler gave no answer", NULL);
    connection = xsirt_edge_request_value(h->headers, h->nheaders, "Connection");
    http11 = strcmp(h->version, "HTTP/1.0") != 0;
    keep = !res.close && (http11 ? !server_has_token(connection, "close")
                                 : server_has_token(connection, "keep-alive"));
    body = server_body(&res, &blen, &type, &owned);
    xsirt_buf_reset(out);
    xsirt_buf_puts(out, "HTTP/1.1 ");
    server_put_uint(out, (unsigned)res.status);
    xsirt_buf_putc(out, ' ');
    xsirt_buf_puts(out, MHD_get_reason_phrase_for((unsigned)res.status));
    xsirt_buf_puts(out, "\r\nDate: ");
    xsirt_buf_puts(out, server_date());
    xsirt_buf_puts(out, "\r\n");
    if (!keep && !res.close)
        server_direct_header(out, MHD_HTTP_HEADER_CONNECTION, "close");
    else if (keep && !http11)
        server_direct_header(out, MHD_HTTP_HEADER_CONNECTION, "Keep-Alive");
    server_direct_header(out, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    server_headers(server_direct_header, out, &res);
    xsirt_buf_puts(out, "Content-Length: ");
    server_put_uint(out, blen);
    xsirt_buf_puts(out, "\r\n\r\n");
    if (strcmp(h->method, "HEAD") != 0)   /* HEAD: the length of what GET sends, no body */
        xsirt_buf_append(out, body, blen);
    free(owned);
    *close = !keep;
    /* Out of memory part way (the buffer holds the answer limit): the
     * handler has run, so the answer cannot go back to libmicrohttpd; a
     * whole answer saying so, never one cut short of its Content-Length. */
    if (xsirt_buf_failed(out) != 0) {
        static const char oom[] = "{\"error\":{\"code\":\"internal\",\"message\":\"out of memory\"}}";
        xsirt_buf_reset(out);
        xsirt_buf_printf(out, "HTTP/1.1 500 Internal Server Error\r\nConnection: close\r\n"
                              "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
                         sizeof oom - 1, oom);
        *close = true;
        res.status = 500;   /* for the log and the counters */
    }
    server_done(&ctx, h->method, &req, &res, &t0);
    xsirt_buf_free(&ctx.body);
    return 0;
}

/* ---- /healthz and /metrics --------------------------------------------- */

int xsirt_api_healthz(xsirt_response *res, xsirt_request *req)
{
    xsirt_error err;
    xsirt_db *db = server_db(current_server, &err);
    int64_t one = 0;

    (void)req;
    if (db == NULL || xsirt_db_query_int(&one, db, "SELECT 1", NULL, 0, &err) != 0)
        return xsirt_http_json(res, 503, json_pack("{s:s, s:s}", "status", "unavailable",
                                                   "database", "unreachable"));
    return xsirt_http_json(res, 200, json_pack("{s:s, s:s}", "status", "ok", "database", "ok"));
}

int xsirt_api_metrics(xsirt_response *res, xsirt_request *req)
{
    static const char *const classes[] = {"other", "1xx", "2xx", "3xx", "4xx", "5xx"};
    xsirt_buf b;

    (void)req;
    xsirt_buf_init(&b, 64 * 1024);
    xsirt_buf_puts(&b, "# HELP xsirt_http_requests_total HTTP requests answered, by status class.\n"
                       "# TYPE xsirt_http_requests_total counter\n");
    for (int i = 1; i < 6; i++)
        xsirt_buf_printf(&b, "xsirt_http_requests_total{code=\"%s\"} %lu\n", classes[i],
                         atomic_load(&metric_requests[i]));
    xsirt_buf_printf(&b, "# HELP xsirt_http_request_seconds_total Time spent answering.\n"
                         "# TYPE xsirt_http_request_seconds_total counter\n"
                         "xsirt_http_request_seconds_total %.6f\n",
                     (double)atomic_load(&metric_micros) / 1e6);
    xsirt_buf_printf(&b, "# HELP xsirt_escalations_total Escalations fired by the periodic sweep.\n"
                         "# TYPE xsirt_escalations_total counter\n"
                         "xsirt_escalations_total %lu\n", atomic_load(&metric_escalations));
    xsirt_buf_printf(&b, "# HELP xsirt_http_deadline_closed_total Connections closed for not "
                         "sending a whole request in time.\n"
                         "# TYPE xsirt_http_deadline_closed_total counter\n"
                         "xsirt_http_deadline_closed_total %lu\n",
                     xsirt_deadline_expired(current_server->deadline) +
                         xsirt_front_expired(current_server->front));
    xsirt_buf_printf(&b, "# HELP xsirt_http_heads_refused_total Request heads refused before "
                         "libmicrohttpd read them (malformed, too large).\n"
                         "# TYPE xsirt_http_heads_refused_total counter\n"
                         "xsirt_http_heads_refused_total %lu\n",
                     xsirt_front_refused(current_server->front));
    if ((res->owned_text = xsirt_buf_detach(&b)) == NULL)
        return xsirt_http_error(res, 500, "internal", "out of memory", NULL);
    res->status = 200;
    res->content_type = "text/plain; version=0.0.4";
    return 0;
}

/* ---- start, run, stop --------------------------------------------------- */

/* One worker's daemon (front.h): polled by the worker, fed by it. The
 * per-address and total limits are the front's (over all workers). */
static struct MHD_Daemon *server_daemon(void *cls)
{
    xsirt_server *s = cls;

    return MHD_start_daemon(MHD_USE_EPOLL | MHD_USE_TURBO | MHD_USE_NO_LISTEN_SOCKET, 0, NULL, NULL,
                            server_access, s,
                            MHD_OPTION_CONNECTION_LIMIT, XSIRT_LIMIT_HTTP_CONNECTIONS,
                            MHD_OPTION_CONNECTION_TIMEOUT, XSIRT_LIMIT_HTTP_IDLE_SECONDS,
                            MHD_OPTION_CONNECTION_MEMORY_LIMIT,
                            (size_t)XSIRT_LIMIT_HTTP_CONNECTION_MEMORY,
                            MHD_OPTION_URI_LOG_CALLBACK, server_uri, s,
                            MHD_OPTION_NOTIFY_COMPLETED, server_completed, NULL,
                            MHD_OPTION_NOTIFY_CONNECTION, server_connection, s,
                            MHD_OPTION_END);
}

int xsirt_server_start(xsirt_server **out, const xsirt_server_config *config, xsirt_error *err)
{
    struct sockaddr_in addr;
    xsirt_server *s;
    xsirt_db *db;
    unsigned threads = config->threads;
    int rc;

    *out = NULL;
    if (sodium_init() < 0)
        return xsirt_error_set(err, XSIRT_EINTERNAL, "libsodium failed to start");
    /* Migrate once before serving, so workers find the current schema. */
    if ((rc = xsirt_store_open(&db, config->database, err)) != 0)
        return rc;
    xsirt_db_close(db);
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons(config->port);
    if (inet_pton(AF_INET, config->host, &addr.sin_addr) != 1)
        return xsirt_error_set(err, XSIRT_EINVAL, "cannot listen on %s: not an IPv4 address",
                               config->host);
    s = calloc(1, sizeof *s);
    if (s == NULL)
        return xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    s->config = *config;
    xsirt_strlcpy(s->database, config->database, sizeof s->database);
    pthread_key_create(&s->db_key, server_db_close);
    if ((rc = xsirt_db_checkpointer_start(&s->checkpointer, s->database, err)) != 0) {
        free(s);
        return rc;
    }
    current_server = s;
    if (threads == 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        threads = n > 0 ? (unsigned)n * 2 : 4;
    }
    s->deadline = xsirt_deadline_start(config->request_seconds > 0 ? config->request_seconds
                                                                   : XSIRT_LIMIT_HTTP_REQUEST_SECONDS);
    /* Strictness: libmicrohttpd 0.9.75's MHD_OPTION_STRICT_FOR_CLIENT
     * would answer a missing Host with its own HTML page; edge.c checks
     * Host (and the rest of the head) and answers in JSON instead. The
     * front listens, and each of its workers runs a daemon. */
    if (s->deadline == NULL ||
        xsirt_front_start(&s->front,
                          &(xsirt_front_config){&addr, threads, config->max_per_address,
                                                config->quiet, server_daemon, server_direct, s,
                                                config->request_seconds > 0
                                                    ? config->request_seconds
                                                    : XSIRT_LIMIT_HTTP_REQUEST_SECONDS},
                          err) != 0) {
        xsirt_deadline_stop(s->deadline);
        xsirt_db_checkpointer_stop(s->checkpointer);
        free(s);
        current_server = NULL;
        return xsirt_error_set(err, XSIRT_EIO, "cannot listen on %s:%u (in use, or no permission)",
                               config->host, config->port);
    }
    *out = s;
    return 0;
}

uint16_t xsirt_server_port(const xsirt_server *s)
{
    return xsirt_front_port(s->front);
}

void xsirt_server_run(xsirt_server *s, volatile int *stop)
{
    time_t last = 0;

    while (!*stop) {
        time_t now = time(NULL);
        if (now - last >= 60) {
            xsirt_db *db;
            xsirt_error err;
            int fired = 0;
            last = now;
            if (xsirt_db_open(&db, s->database, &err) == 0) {
                if (xsirt_case_escalate_overdue(&fired, db, &err) != 0)
                    xsirt_log_event("escalation", err.message);
                atomic_fetch_add(&metric_escalations, (unsigned long)fired);
                xsirt_db_close(db);
            }
        }
        nanosleep(&(struct timespec){0, 200 * 1000 * 1000}, NULL);
    }
}

void xsirt_server_stop(xsirt_server *s)
{
    if (s == NULL)
        return;
    xsirt_front_stop(s->front);   /* no new connection, no more bytes; daemons stopped */
    xsirt_deadline_stop(s->deadline);
    /* After the workers (joined above, their connections closed). */
    xsirt_db_checkpointer_stop(s->checkpointer);
    current_server = NULL;
    free(s);
}

void xsirt_server_print_routes(void *file)
{
    for (size_t i = 0; xsirt_routes[i].method != NULL; i++)
        fprintf(file, "%s %s\n", xsirt_routes[i].method, xsirt_routes[i].pattern);
}
