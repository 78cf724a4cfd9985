/*
 * fuzz_request.c — the whole path of a request through the server's own
 * code, before any database work: the head's edge checks (framing, Host,
 * control bytes, media type) and the front's judgement of the raw head
 * (front.c: what libmicrohttpd must never see) and its split for the
 * requests the front answers itself, route matching with {id} parameters, HEAD
 * and Allow, the log line's escaping, the UTF-8 repair of error text, and
 * JSON body decoding and checking; on a document route (an SBOM upload,
 * router.h's raw routes) the edge's media-type rule for documents and the
 * SBOM reader that reads the body by content.
 *
 * Input: an HTTP/1.1 request as sent, "METHOD URI VERSION\r\n", header
 * lines, an empty line, the body; split the way libmicrohttpd splits it
 * (CRLF or bare LF, first colon, leading blanks of a value skipped). The
 * older corpus form "METHOD PATH\nBODY" is a request with no version and
 * no headers. Traps mark broken promises: a decoded path with a control
 * byte the edge let through, a log line a client could break, error text
 * that is not UTF-8.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/str.h"
#include "server/edge.h"
#include "server/log.h"
#include "server/router.h"
#include "store/case.h"
#include "store/workflow.h"
#include "xsirt/sbom.h"

#define FUZZ_HEADERS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* One line of text[*pos..size), NUL-terminated in place; NULL at the end. */
static char *fuzz_line(char *text, size_t size, size_t *pos)
{
    char *start = text + *pos, *nl;

    if (*pos >= size)
        return NULL;
    nl = memchr(start, '\n', size - *pos);
    if (nl == NULL) {
        *pos = size;
        return start;
    }
    *pos = (size_t)(nl - text) + 1;
    *nl = '\0';
    if (nl > start && nl[-1] == '\r')
        nl[-1] = '\0';
    return start;
}

static int fuzz_hex(int c)
{
    return xsirt_is_digit(c) ? c - '0' : xsirt_ascii_lower(c) - 'a' + 10;
}

/* Percent-decodes uri up to '?' as libmicrohttpd does; traps when a URI
 * the edge accepted decodes to a control byte. */
static void fuzz_decoded_path(const char *uri, char *out, size_t outsz)
{
    size_t o = 0;

    for (const char *p = uri; *p != '\0' && *p != '?' && o + 1 < outsz; p++) {
        int c = (unsigned char)*p;
        if (c == '%' && p[1] != '\0' && p[2] != '\0' && strchr("0123456789abcdefABCDEF", p[1]) &&
            strchr("0123456789abcdefABCDEF", p[2])) {
            c = fuzz_hex(p[1]) * 16 + fuzz_hex(p[2]);
            p += 2;
        }
        if (c < 0x20 || c == 0x7f)
            __builtin_trap();
        out[o++] = (char)c;
    }
    out[o] = '\0';
}

static void fuzz_log(const char *uri)
{
    xsirt_buf b;

    xsirt_buf_init(&b, 64 * 1024);
    if (xsirt_log_escape(&b, uri, strlen(uri), 2048) == 0) {
        for (size_t i = 0; i < b.len; i++)
            if ((unsigned char)b.data[i] < 0x20 || b.data[i] == 0x7f)
                __builtin_trap();
        if (b.len > 0 && !xsirt_utf8_valid(b.data, b.len))
            __builtin_trap();
    }
    xsirt_buf_free(&b);
}

static void fuzz_route(const char *method, const char *path)
{
    const xsirt_route *route;
    xsirt_request req;
    char allow[64];

    memset(&req, 0, sizeof req);
    req.method = strcmp(method, "HEAD") == 0 ? "GET" : method;
    req.path = path;
    switch (xsirt_router_find(&route, &req)) {
    case XSIRT_ROUTE_FOUND:
        if (route->handler == NULL || req.nparams > XSIRT_ROUTE_MAX_PARAMS)
            __builtin_trap();
        for (size_t i = 0; i < req.nparams; i++)
            if (req.params[i] <= 0)
                __builtin_trap();
        break;
    case XSIRT_ROUTE_NO_METHOD:
        xsirt_router_allowed(allow, sizeof allow, path);
        if (allow[0] == '\0')
            __builtin_trap();
        break;
    case XSIRT_ROUTE_NO_PATH:
        break;
    }
}

static void fuzz_body(const char *body, size_t len)
{
    char text[512];
    xsirt_error err;
    json_t *doc = json_loadb(body, len, JSON_REJECT_DUPLICATES, NULL);

    /* Error answers quote input: the repaired text must be UTF-8. */
    memcpy(text, body, len < sizeof text - 1 ? len : sizeof text - 1);
    text[len < sizeof text - 1 ? len : sizeof text - 1] = '\0';
    {
        char fixed[300];
        xsirt_edge_utf8_copy(fixed, sizeof fixed, text);
        if (!xsirt_utf8_valid(fixed, strlen(fixed)))
            __builtin_trap();
    }
    if (doc == NULL)
        return;
    if (xsirt_case_check(doc, false, &err) != 0 || xsirt_case_check(doc, true, &err) != 0 ||
        xsirt_workflow_check(doc, &err) != 0) {
        char fixed[3 * XSIRT_ERROR_POINTER_MAX];
        xsirt_edge_utf8_copy(fixed, sizeof fixed, err.pointer);
        if (!xsirt_utf8_valid(fixed, strlen(fixed)))
            __builtin_trap();
    }
    json_decref(doc);
}

/* A head the frame check accepted, split as the front's own answers see
 * it (xsirt_edge_request_parse): it must split, and a path decoded from a
 * target the edge accepts holds no control byte. */
static void fuzz_split(const char *data, size_t end)
{
    static xsirt_edge_request r;

    if (end > XSIRT_LIMIT_HTTP_HEAD)
        return;
    if (xsirt_edge_request_parse(&r, data, end) != 0 || r.method[0] == '\0' ||
        strncmp(r.version, "HTTP/1.", 7) != 0 || r.nheaders > XSIRT_LIMIT_HTTP_HEADERS)
        __builtin_trap();
    if (!xsirt_edge_uri_bad(r.raw_uri))
        for (const char *p = r.path; *p != '\0'; p++)
            if ((unsigned char)*p < 0x20 || *p == 0x7f)
                __builtin_trap();   /* a control byte the edge let through */
    for (size_t i = 0; i < r.nheaders; i++)
        if (xsirt_edge_request_value(r.headers, r.nheaders, r.headers[i].name) == NULL)
            __builtin_trap();
}

/* The front's judgement of the raw head (front.c): found at once or byte
 * by byte alike, and never passing on a head libmicrohttpd would answer
 * itself: a NUL, a line without a colon, a version that is not 1.x, a
 * Content-Length that is not a number. */
static void fuzz_frame(const char *data, size_t size)
{
    xsirt_edge_scan whole = {0, 0, false}, bytes = {0, 0, false};
    xsirt_edge_frame f;
    size_t end = xsirt_edge_head_end(&whole, data, size), step = 0;

    for (size_t i = 1; i <= size && step == 0; i++)
        step = xsirt_edge_head_end(&bytes, data, i);
    if (step != end)
        __builtin_trap();
    if (end == 0)
        return;
    if (xsirt_edge_frame_check(&f, data, end) != 0) {
        if (f.code == NULL || f.message == NULL ||
            (f.status != 400 && f.status != 431 && f.status != 505))
            __builtin_trap();
        return;
    }
    if (memchr(data, '\0', end) != NULL || strstr(data, " HTTP/1.") == NULL)
        __builtin_trap();
    for (size_t i = 0, line = 0, n = 0; i < end; i++) {
        if (data[i] != '\n')
            continue;
        n = i - line - (i > line && data[i - 1] == '\r');
        if (n > 0 && memchr(data + line, ' ', n) == NULL && memchr(data + line, ':', n) == NULL)
            __builtin_trap();   /* neither a request line nor a header line */
        line = i + 1;
    }
    fuzz_split(data, end);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    xsirt_edge_header headers[FUZZ_HEADERS];
    xsirt_edge_head head = {NULL, NULL, NULL, headers, 0, 0, false};
    xsirt_edge_verdict v;
    char *text, *line, *sp, *version, path[1024];
    size_t pos = 0;

    if (size > 256 * 1024 || (text = malloc(size + 1)) == NULL)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    fuzz_frame(text, size);
    line = fuzz_line(text, size, &pos);
    sp = line != NULL ? strchr(line, ' ') : NULL;
    if (sp == NULL) {
        free(text);
        return 0;
    }
    *sp = '\0';
    head.method = line;
    head.raw_uri = sp + 1;
    version = strrchr(sp + 1, ' ');
    if (version != NULL && strncmp(version + 1, "HTTP/", 5) == 0) {
        *version = '\0';
        head.version = version + 1;
        /* Headers up to the empty line; the rest is the body. */
        while ((line = fuzz_line(text, size, &pos)) != NULL && line[0] != '\0' &&
               head.nheaders < FUZZ_HEADERS) {
            char *colon = strchr(line, ':');
            if (colon == NULL)
                continue;   /* libmicrohttpd refuses the request itself */
            *colon++ = '\0';
            colon += strspn(colon, " \t");
            headers[head.nheaders++] = (xsirt_edge_header){line, colon};
        }
    }
    /* The server asks the router with libmicrohttpd's decoded path; the
     * document route's path has nothing to decode, so the raw one (up to
     * '?') answers the same for it. */
    {
        size_t n = strcspn(head.raw_uri, "?");
        char route_path[1024];
        if (n < sizeof route_path) {
            memcpy(route_path, head.raw_uri, n);
            route_path[n] = '\0';
            head.body_limit = xsirt_router_body_limit(head.method, route_path, &head.raw);
        }
    }
    if (xsirt_edge_check(&v, &head) != 0) {
        if (v.code == NULL || v.message == NULL || v.status < 400 || v.status > 415)
            __builtin_trap();
    } else {
        fuzz_decoded_path(head.raw_uri, path, sizeof path);
        fuzz_route(head.method, path);
    }
    fuzz_log(head.raw_uri);
    if (head.raw) {
        /* An SBOM upload: the body is read by content, whatever it is. */
        xsirt_sbom *sbom = NULL;
        xsirt_error err;
        if (xsirt_sbom_parse(&sbom, text + pos, size - pos, &err) == 0)
            xsirt_sbom_free(sbom);
    } else {
        fuzz_body(text + pos, size - pos);
    }
    free(text);
    return 0;
}
