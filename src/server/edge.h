/*
 * edge.h — checks on a request's head before its body is read (internal to
 * src/server/): framing (Content-Length, Transfer-Encoding), Host, control
 * bytes in the raw URI, the body's media type; and text made safe for a
 * JSON error answer.
 *
 * Pure functions over bytes: http.c hands them what libmicrohttpd parsed,
 * fuzz_request.c hands them fuzzed heads, so both run the same code.
 */
#ifndef XSIRT_EDGE_H
#define XSIRT_EDGE_H

#include <stdbool.h>
#include <stddef.h>

#include "xsirt/limits.h"

typedef struct xsirt_edge_header {
    const char *name;
    const char *value;
} xsirt_edge_header;

/* What the request line and the headers say, as received. */
typedef struct xsirt_edge_head {
    const char *method;
    const char *raw_uri;     /* before percent-decoding; NULL when unknown */
    const char *version;     /* "HTTP/1.1" */
    const xsirt_edge_header *headers;
    size_t nheaders;
    size_t body_limit;       /* the route's most body bytes; 0: XSIRT_LIMIT_HTTP_BODY */
    bool raw;                /* the route takes a document (an SBOM), not JSON */
} xsirt_edge_head;

/* Why a head is refused: the JSON error it gets. When the framing cannot
 * be trusted the answer goes at once and the connection is closed after it;
 * when only the body is unwanted (its media type, its size) but its length
 * is sure, after_body says to read and drop the body first, so that the
 * client, still sending, is not cut off before it reads the answer. */
typedef struct xsirt_edge_verdict {
    int status;              /* 0: accepted */
    const char *code;
    const char *message;
    const char *field;       /* the header at fault, or NULL */
    bool after_body;
} xsirt_edge_verdict;

/* Judges a request head. Returns verdict->status (0 when accepted). */
int xsirt_edge_check(xsirt_edge_verdict *verdict, const xsirt_edge_head *head);

/* ---- the raw head, before libmicrohttpd reads it (front.c) -------------
 *
 * libmicrohttpd 0.9.75 answers some heads itself, with HTML and before the
 * server is called: a malformed request line, an HTTP version other than
 * 1.x, a header line without a colon, a Content-Length that is not a
 * number, a head larger than its connection memory. The front judges each
 * head on its bytes first, by rules stricter than libmicrohttpd's, so
 * every head it passes on is one libmicrohttpd accepts, and every other
 * gets a JSON answer (docs/security.md, "Every error is JSON"). */

/* Where the search for the end of a head stands (zero it for each head). */
typedef struct xsirt_edge_scan {
    size_t line;             /* start of the line being read */
    size_t pos;              /* bytes of it already searched for LF */
    bool started;            /* a non-empty line has been seen */
} xsirt_edge_scan;

/* The length of the head at the start of buf[0..len) (its empty line
 * included; empty lines before the request line are part of it, as
 * libmicrohttpd skips them), or 0 while it is incomplete. Resumes where
 * the previous call with the same scan stopped: call it again with buf
 * grown, never changed. */
size_t xsirt_edge_head_end(xsirt_edge_scan *scan, const char *buf, size_t len);

/* The verdict on a whole head. */
typedef struct xsirt_edge_frame {
    int status;              /* 0: libmicrohttpd may have it */
    const char *code;
    const char *message;
    bool opaque;             /* Transfer-Encoding or several Content-Lengths:
                              * the server refuses the request and closes the
                              * connection, so what follows is no request */
    unsigned long long body; /* the Content-Length: body bytes after the head */
} xsirt_edge_frame;

/* Judges head[0..len), a complete head (xsirt_edge_head_end). Returns
 * frame->status. */
int xsirt_edge_frame_check(xsirt_edge_frame *frame, const char *head, size_t len);

/* The status line's reason phrase for the statuses the edge answers. */
const char *xsirt_edge_reason(int status);

/* True when uri (raw, as sent) holds a control byte, literally or
 * percent-encoded (%00-%1F, %7F), or a '%' not followed by two hex digits:
 * decoded, such a path would be cut short or forge a log line. */
bool xsirt_edge_uri_bad(const char *uri);

/* Length of the well-formed UTF-8 character at s (n > 0 bytes left), 0
 * when s does not start one. */
size_t xsirt_edge_utf8_char(const unsigned char *s, size_t n);

/* Copies s into out (size outsz > 0) as valid UTF-8: stops before a
 * character that would not fit whole, leaves out a last character that s
 * itself has cut short, and writes U+FFFD for each byte that
 * is not part of a well-formed character. Error answers quote input
 * (field names, values), and a JSON string must be valid UTF-8. */
void xsirt_edge_utf8_copy(char *out, size_t outsz, const char *s);

/* ---- a head the front answers itself (front.c, http.c) ------------------
 *
 * A request without a body is answered by the server in the front's own
 * thread, without libmicrohttpd (docs/performance.md): its head is split
 * here as libmicrohttpd would split it, so that a handler sees the same
 * path, headers, query arguments and cookies either way. */

/* A head split into its parts; every string points into text. */
typedef struct xsirt_edge_request {
    const char *method;
    const char *raw_uri;     /* the target as sent */
    const char *path;        /* the target before '?', percent-decoded */
    const char *version;
    xsirt_edge_header headers[XSIRT_LIMIT_HTTP_HEADERS];
    size_t nheaders;         /* values without the blanks around them */
    xsirt_edge_header args[XSIRT_LIMIT_HTTP_FIELDS];
    size_t nargs;            /* decoded ('+' is a space); value NULL without '=' */
    xsirt_edge_header cookies[XSIRT_LIMIT_HTTP_FIELDS];
    size_t ncookies;         /* from the Cookie headers, quotes removed */
    char text[2 * XSIRT_LIMIT_HTTP_HEAD + 4 * XSIRT_LIMIT_HTTP_FIELDS + 64];
} xsirt_edge_request;

/* Splits head[0..len), a head xsirt_edge_frame_check accepted (len at most
 * XSIRT_LIMIT_HTTP_HEAD). Returns 0, or -1 when it is not such a head. */
int xsirt_edge_request_parse(xsirt_edge_request *r, const char *head, size_t len);

/* The first value under name (ASCII case ignored, as libmicrohttpd does),
 * or NULL. */
const char *xsirt_edge_request_value(const xsirt_edge_header *list, size_t n, const char *name);

#endif
