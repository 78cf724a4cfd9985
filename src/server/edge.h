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

#endif
