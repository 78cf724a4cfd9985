/*
 * log.c — JSON-lines log on stderr (see log.h).
 *
 * A line is built whole in memory and written with one fwrite under the
 * stdio lock, so lines from worker threads never interleave. Strings are
 * escaped here rather than with jansson because what clients send is not
 * always valid UTF-8, and a log must keep the bytes it was sent, not
 * refuse them.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "server/edge.h"
#include "server/log.h"
#include "xsirt/limits.h"

/* Bytes one log line may take: at most six string fields of at most
 * XSIRT_LIMIT_LOG_URI bytes each, escaped (a byte takes at most six:
 * \u00XX), and the numbers; so a line is never cut. */
#define LOG_LINE_MAX (6u * XSIRT_LIMIT_LOG_URI * 6u + 4096u)

int xsirt_log_escape(xsirt_buf *out, const char *s, size_t len, size_t max)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)s;
    size_t n = len < max ? len : max;
    int rc = 0;

    for (size_t i = 0; i < n && rc == 0;) {
        size_t clen = p[i] >= 0x80 ? xsirt_edge_utf8_char(p + i, n - i) : 0;
        if (clen > 0) {
            rc = xsirt_buf_append(out, p + i, clen);
            i += clen;
            continue;
        }
        if (p[i] == '"' || p[i] == '\\') {
            char esc[2] = {'\\', (char)p[i]};
            rc = xsirt_buf_append(out, esc, 2);
        } else if (p[i] < 0x20 || p[i] >= 0x7f) {
            char esc[6] = {'\\', 'u', '0', '0', hex[p[i] >> 4], hex[p[i] & 15]};
            rc = xsirt_buf_append(out, esc, 6);
        } else {
            rc = xsirt_buf_putc(out, (char)p[i]);
        }
        i++;
    }
    if (rc == 0 && len > max)
        rc = xsirt_buf_puts(out, "...");
    return rc;
}

static void log_field(xsirt_buf *b, const char *name, const char *value)
{
    xsirt_buf_printf(b, ",\"%s\":", name);
    if (value == NULL) {
        xsirt_buf_puts(b, "null");
        return;
    }
    xsirt_buf_putc(b, '"');
    xsirt_log_escape(b, value, strlen(value), XSIRT_LIMIT_LOG_URI);
    xsirt_buf_putc(b, '"');
}

static void log_begin(xsirt_buf *b, const char *event)
{
    struct timespec now;
    struct tm tm;
    char when[32];

    clock_gettime(CLOCK_REALTIME, &now);
    gmtime_r(&now.tv_sec, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm);
    xsirt_buf_init(b, LOG_LINE_MAX);
    xsirt_buf_printf(b, "{\"time\":\"%s.%03ldZ\"", when, now.tv_nsec / 1000000);
    log_field(b, "event", event);
}

static void log_end(xsirt_buf *b)
{
    xsirt_buf_puts(b, "}\n");
    flockfile(stderr);
    fwrite(xsirt_buf_cstr(b), 1, b->len, stderr);
    fflush(stderr);
    funlockfile(stderr);
    xsirt_buf_free(b);
}

void xsirt_log_request_line(const xsirt_log_request *r)
{
    xsirt_buf b;

    log_begin(&b, "request");
    log_field(&b, "address", r->address);
    log_field(&b, "method", r->method);
    log_field(&b, "uri", r->uri);
    xsirt_buf_printf(&b, ",\"status\":%d,\"ms\":%lu.%03lu", r->status, r->micros / 1000,
                     r->micros % 1000);
    log_field(&b, "user", r->user);
    log_end(&b);
}

void xsirt_log_event(const char *event, const char *message)
{
    xsirt_buf b;

    log_begin(&b, event);
    log_field(&b, "message", message);
    log_end(&b);
}
