/*
 * log.h — the server's log on stderr (internal to src/server/): one JSON
 * object a line, requests and events alike, every string escaped, so no
 * client-chosen byte can start a line of its own or break the record.
 */
#ifndef XSIRT_LOG_H
#define XSIRT_LOG_H

#include <stddef.h>

#include "core/buf.h"

/* Appends s[0..len) to out as the inside of a JSON string: quote,
 * backslash and control bytes escaped, well-formed UTF-8 kept, any other
 * byte written as \u00XX of its value (so the line stays valid UTF-8 and
 * the byte can be recovered). At most max input bytes; a longer s ends
 * with "...". Returns 0 or XSIRT_ELIMIT when out is full. */
int xsirt_log_escape(xsirt_buf *out, const char *s, size_t len, size_t max);

typedef struct xsirt_log_request {
    const char *address;
    const char *method;
    const char *uri;         /* as received, before percent-decoding */
    int status;
    unsigned long micros;
    const char *user;        /* NULL when not authenticated */
} xsirt_log_request;

/* {"time","event":"request","address","method","uri","status","ms","user"} */
void xsirt_log_request_line(const xsirt_log_request *r);

/* {"time","event":event,"message":message} */
void xsirt_log_event(const char *event, const char *message);

#endif
