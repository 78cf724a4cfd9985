/*
 * edge.c — the request head judged before its body is read (see edge.h).
 *
 * The idea: a request whose framing two HTTP parsers could read two ways
 * (two Content-Lengths, Content-Length with Transfer-Encoding, a coding we
 * do not implement) is the raw material of request smuggling behind a
 * proxy, so it is refused outright, with a JSON 400, and its connection
 * closed. Request bodies must come with a Content-Length: chunked request
 * bodies get 411, which keeps libmicrohttpd's chunk parser (it accepts bare
 * LF and chunk extensions) away from anything the server acts on. Every
 * client the API has (browsers' fetch, curl, Python, nginx, which buffers
 * the body and sends Content-Length) sends one.
 */
#include <string.h>

#include "core/str.h"
#include "server/edge.h"
#include "xsirt/limits.h"

static bool edge_is_hex(int c)
{
    return xsirt_is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int edge_hex(int c)
{
    return xsirt_is_digit(c) ? c - '0' : xsirt_ascii_lower(c) - 'a' + 10;
}

static bool edge_is_control(unsigned c)
{
    return c < 0x20 || c == 0x7f;
}

bool xsirt_edge_uri_bad(const char *uri)
{
    for (const unsigned char *p = (const unsigned char *)uri; *p != '\0'; p++) {
        if (edge_is_control(*p) || *p == ' ')
            return true;
        if (*p != '%')
            continue;
        if (!edge_is_hex(p[1]) || !edge_is_hex(p[2]))
            return true;
        if (edge_is_control((unsigned)(edge_hex(p[1]) * 16 + edge_hex(p[2]))))
            return true;
        p += 2;
    }
    return false;
}

/* RFC 9110 token characters: a header name with anything else (a space
 * before the colon, say) is one a proxy may read differently. */
static bool edge_is_token(const char *s)
{
    static const char extra[] = "!#$%&'*+-.^_`|~";

    if (*s == '\0')
        return false;
    for (; *s != '\0'; s++)
        if (!xsirt_is_alnum((unsigned char)*s) && strchr(extra, *s) == NULL)
            return false;
    return true;
}

static bool edge_value_ok(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++)
        if (edge_is_control(*p) && *p != '\t')
            return false;
    return true;
}

/* Counts the headers called name; *last gets the last one's value. */
static size_t edge_count(const xsirt_edge_head *head, const char *name, const char **last)
{
    size_t n = 0;

    *last = NULL;
    for (size_t i = 0; i < head->nheaders; i++)
        if (xsirt_ascii_casecmp(head->headers[i].name, name) == 0) {
            *last = head->headers[i].value;
            n++;
        }
    return n;
}

static int edge_refuse(xsirt_edge_verdict *v, int status, const char *code, const char *message,
                       const char *field)
{
    *v = (xsirt_edge_verdict){status, code, message, field, false};
    return status;
}

/* "application/json", any case, alone or followed by parameters. */
static bool edge_is_json(const char *type)
{
    static const char json[] = "application/json";
    size_t n = sizeof json - 1;

    if (type == NULL || xsirt_ascii_ncasecmp(type, json, n) != 0)
        return false;
    return type[n] == '\0' || type[n] == ';' || type[n] == ' ' || type[n] == '\t';
}

/* The encodings an HTML form can post (with text/plain, which a document
 * route accepts: SPDX tag-value is text, and the CSRF token guards it). */
static bool edge_is_form(const char *type)
{
    return xsirt_ascii_ncasecmp(type, "application/x-www-form-urlencoded", 33) == 0 ||
           xsirt_ascii_ncasecmp(type, "multipart/form-data", 19) == 0;
}

static int edge_framing(xsirt_edge_verdict *v, const xsirt_edge_head *head, bool *has_body)
{
    const char *cl, *te;
    size_t ncl = edge_count(head, "Content-Length", &cl);
    size_t nte = edge_count(head, "Transfer-Encoding", &te);
    uint64_t length;

    *has_body = false;
    if (ncl > 0 && nte > 0)
        return edge_refuse(v, 400, "ambiguous_framing",
                           "both Content-Length and Transfer-Encoding: send one", "Content-Length");
    if (ncl > 1)
        return edge_refuse(v, 400, "ambiguous_framing", "more than one Content-Length",
                           "Content-Length");
    if (nte > 1 || (nte == 1 && xsirt_ascii_casecmp(te, "chunked") != 0))
        return edge_refuse(v, 400, "unsupported_transfer_coding",
                           "only Content-Length framing is accepted", "Transfer-Encoding");
    if (nte == 1)
        return edge_refuse(v, 411, "length_required",
                           "send the body with a Content-Length, not chunked", "Transfer-Encoding");
    if (ncl == 1) {
        if (strlen(cl) > 19 || xsirt_parse_u64(&length, cl, strlen(cl)) != 0)
            return edge_refuse(v, 400, "bad_content_length", "Content-Length must be a decimal number",
                               "Content-Length");
        /* Refused before a byte of it is read. */
        if (length > (head->body_limit != 0 ? head->body_limit : XSIRT_LIMIT_HTTP_BODY)) {
            edge_refuse(v, 413, "too_large", "request body larger than this route accepts",
                        "Content-Length");
            v->after_body = length <= XSIRT_LIMIT_HTTP_DRAIN;
            return v->status;
        }
        *has_body = length > 0;
    }
    return 0;
}

int xsirt_edge_check(xsirt_edge_verdict *v, const xsirt_edge_head *head)
{
    const char *host, *type;
    bool has_body;

    *v = (xsirt_edge_verdict){0, NULL, NULL, NULL, false};
    if (head->raw_uri != NULL && xsirt_edge_uri_bad(head->raw_uri))
        return edge_refuse(v, 400, "bad_uri",
                           "the request target holds a control byte or a malformed %-escape", NULL);
    for (size_t i = 0; i < head->nheaders; i++) {
        if (!edge_is_token(head->headers[i].name))
            return edge_refuse(v, 400, "bad_header", "a header name is not an HTTP token", NULL);
        if (!edge_value_ok(head->headers[i].value))
            return edge_refuse(v, 400, "bad_header", "a header value holds a control byte",
                               head->headers[i].name);
    }
    /* RFC 9112 3.2: an HTTP/1.1 request has exactly one Host. */
    if (head->version != NULL && strcmp(head->version, "HTTP/1.0") != 0 &&
        edge_count(head, "Host", &host) != 1)
        return edge_refuse(v, 400, "bad_host", "an HTTP/1.1 request needs exactly one Host header",
                           "Host");
    if (edge_framing(v, head, &has_body) != 0)
        return v->status;
    /* A document route (an SBOM upload) takes its format by content, but
     * never an HTML form's encoding: what a form posts is not a document. */
    if (has_body && head->raw) {
        if (edge_count(head, "Content-Type", &type) != 1 || edge_is_form(type)) {
            edge_refuse(v, 415, "unsupported_media_type",
                        "send the document with its own Content-Type, not a form's", "Content-Type");
            v->after_body = true;
        }
        return v->status;
    }
    /* A form another site posts is not JSON, whatever its body looks like. */
    if (has_body && (edge_count(head, "Content-Type", &type) != 1 || !edge_is_json(type))) {
        edge_refuse(v, 415, "unsupported_media_type",
                    "a request body must be sent as Content-Type: application/json", "Content-Type");
        v->after_body = true;
    }
    return v->status;
}

/* The length a UTF-8 lead byte announces, 0 for a byte that leads nothing. */
static size_t edge_utf8_lead(unsigned char c)
{
    return c < 0x80 ? 1 : c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3
         : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
}

size_t xsirt_edge_utf8_char(const unsigned char *s, size_t n)
{
    size_t len = edge_utf8_lead(s[0]);

    if (len == 0 || len > n)
        return 0;
    return xsirt_utf8_valid((const char *)s, len) ? len : 0;
}

/* True when s[0..n) is the start of a character cut off by the end of the
 * text: a lead byte and fewer continuation bytes than it announces. */
static bool edge_utf8_cut(const unsigned char *s, size_t n)
{
    size_t len = edge_utf8_lead(s[0]);

    if (len < 2 || n >= len)
        return false;
    for (size_t i = 1; i < n; i++)
        if ((s[i] & 0xc0) != 0x80)
            return false;
    return true;
}

void xsirt_edge_utf8_copy(char *out, size_t outsz, const char *s)
{
    static const char replacement[] = "\xef\xbf\xbd";
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s), o = 0;

    while (n > 0 && !edge_utf8_cut(p, n)) {   /* a cut last character is left out */
        size_t len = xsirt_edge_utf8_char(p, n);
        const char *from = len > 0 ? (const char *)p : replacement;
        size_t copy = len > 0 ? len : 3;
        if (o + copy >= outsz)
            break;
        memcpy(out + o, from, copy);
        o += copy;
        p += len > 0 ? len : 1;
        n -= len > 0 ? len : 1;
    }
    out[o] = '\0';
}
