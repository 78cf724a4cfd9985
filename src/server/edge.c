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
static bool edge_is_tchar(unsigned char c)
{
    return xsirt_is_alnum(c) || (c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

static bool edge_is_token(const char *s)
{
    if (*s == '\0')
        return false;
    for (; *s != '\0'; s++)
        if (!edge_is_tchar((unsigned char)*s))
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

/* ---- the raw head, before libmicrohttpd reads it ------------------------ */

size_t xsirt_edge_head_end(xsirt_edge_scan *scan, const char *buf, size_t len)
{
    while (scan->line + scan->pos < len) {
        const char *from = buf + scan->line + scan->pos;
        const char *nl = memchr(from, '\n', len - scan->line - scan->pos);
        size_t n;
        if (nl == NULL) {
            scan->pos = len - scan->line;   /* search only new bytes next time */
            return 0;
        }
        n = (size_t)(nl - (buf + scan->line));   /* the line without its LF */
        if (n == 0 || (n == 1 && buf[scan->line] == '\r')) {
            if (scan->started)
                return (size_t)(nl - buf) + 1;
        } else {
            scan->started = true;
        }
        scan->line = (size_t)(nl - buf) + 1;
        scan->pos = 0;
    }
    return 0;
}

static int edge_frame_refuse(xsirt_edge_frame *f, int status, const char *code, const char *message)
{
    f->status = status;
    f->code = code;
    f->message = message;
    return status;
}

/* The next line of head[*pos..len) without its CR LF (or bare LF, which
 * libmicrohttpd accepts too); false at the end. */
static bool edge_next_line(const char *head, size_t len, size_t *pos, const char **line, size_t *n)
{
    const char *nl;

    if (*pos >= len)
        return false;
    nl = memchr(head + *pos, '\n', len - *pos);
    if (nl == NULL)
        return false;
    *line = head + *pos;
    *n = (size_t)(nl - *line);
    if (*n > 0 && (*line)[*n - 1] == '\r')
        (*n)--;
    *pos = (size_t)(nl - head) + 1;
    return true;
}

/* METHOD SP TARGET SP HTTP/d.d, nothing more: libmicrohttpd tolerates
 * extra spaces and a missing version, but answers other versions (505)
 * and a version that is not d.d (400) itself. *fields gets the query's
 * arguments, each of which libmicrohttpd records. */
static int edge_request_line(xsirt_edge_frame *f, const char *line, size_t n, size_t *fields)
{
    size_t i = 0, target;
    const char *v;

    while (i < n && edge_is_tchar((unsigned char)line[i]))
        i++;
    if (i == 0 || i == n || line[i] != ' ')
        return edge_frame_refuse(f, 400, "bad_request_line",
                                 "the request line must be METHOD TARGET HTTP/1.1");
    target = ++i;
    for (; i < n && line[i] != ' '; i++) {
        if (edge_is_control((unsigned char)line[i]))
            return edge_frame_refuse(f, 400, "bad_uri",
                                     "the request target holds a control byte or a malformed %-escape");
        if (line[i] == '&' || (line[i] == '?' && *fields == 0))
            (*fields)++;
    }
    v = line + i + 1;
    if (i == target || i == n || n - i - 1 != 8 || memcmp(v, "HTTP/", 5) != 0 ||
        !xsirt_is_digit(v[5]) || v[6] != '.' || !xsirt_is_digit(v[7]))
        return edge_frame_refuse(f, 400, "bad_request_line",
                                 "the request line must be METHOD TARGET HTTP/1.1");
    if (v[5] != '1')
        return edge_frame_refuse(f, 505, "http_version_not_supported", "only HTTP/1.0 and HTTP/1.1");
    return 0;
}

static bool edge_name_is(const char *line, size_t n, const char *name)
{
    return strlen(name) == n && xsirt_ascii_ncasecmp(line, name, n) == 0;
}

/* A Content-Length libmicrohttpd reads as a number: blanks, then 1 to 19
 * digits, then the end of the line (a trailing blank is a malformed
 * value to it). */
static bool edge_length(unsigned long long *out, const char *v, size_t n)
{
    size_t i = 0, digits;
    unsigned long long x = 0;

    while (i < n && (v[i] == ' ' || v[i] == '\t'))
        i++;
    for (digits = 0; i < n && xsirt_is_digit((unsigned char)v[i]); i++, digits++)
        x = x * 10 + (unsigned long long)(v[i] - '0');
    if (digits == 0 || digits > 19 || i != n)
        return false;
    *out = x;
    return true;
}

static int edge_header_line(xsirt_edge_frame *f, const char *line, size_t n, size_t *ncl,
                            size_t *fields)
{
    const char *colon = memchr(line, ':', n);
    size_t name = colon != NULL ? (size_t)(colon - line) : n;
    const char *value = line + name + 1;
    size_t vn = colon != NULL ? n - name - 1 : 0;

    if (line[0] == ' ' || line[0] == '\t')
        return edge_frame_refuse(f, 400, "bad_header", "a header continued on the next line "
                                                       "(obsolete line folding)");
    if (colon == NULL)
        return edge_frame_refuse(f, 400, "bad_header", "a header line without a colon");
    for (size_t i = 0; i < name; i++)
        if (!edge_is_tchar((unsigned char)line[i]))
            return edge_frame_refuse(f, 400, "bad_header", "a header name is not an HTTP token");
    if (name == 0)
        return edge_frame_refuse(f, 400, "bad_header", "a header name is not an HTTP token");
    for (size_t i = 0; i < vn; i++)
        if (edge_is_control((unsigned char)value[i]) && value[i] != '\t')
            return edge_frame_refuse(f, 400, "bad_header", "a header value holds a control byte");
    if (edge_name_is(line, name, "Content-Length")) {
        if (!edge_length(&f->body, value, vn))
            return edge_frame_refuse(f, 400, "bad_content_length",
                                     "Content-Length must be a decimal number");
        (*ncl)++;
    } else if (edge_name_is(line, name, "Transfer-Encoding")) {
        f->opaque = true;
    } else if (edge_name_is(line, name, "Cookie")) {
        for (size_t i = 0; i < vn; i++)
            *fields += value[i] == ';' || value[i] == ',';
        (*fields)++;
    }
    return 0;
}

int xsirt_edge_frame_check(xsirt_edge_frame *f, const char *head, size_t len)
{
    const char *line;
    size_t n, pos = 0, headers = 0, fields = 0, ncl = 0;

    *f = (xsirt_edge_frame){0, NULL, NULL, false, 0};
    do {
        if (!edge_next_line(head, len, &pos, &line, &n))
            return edge_frame_refuse(f, 400, "bad_request_line", "no request line");
    } while (n == 0);   /* empty lines before the request line are skipped */
    if (edge_request_line(f, line, n, &fields) != 0)
        return f->status;
    while (edge_next_line(head, len, &pos, &line, &n) && n > 0) {
        if (++headers > XSIRT_LIMIT_HTTP_HEADERS)
            return edge_frame_refuse(f, 431, "too_many_headers", "more than 100 header fields");
        if (edge_header_line(f, line, n, &ncl, &fields) != 0)
            return f->status;
    }
    if (headers + fields > XSIRT_LIMIT_HTTP_FIELDS)
        return edge_frame_refuse(f, 431, "too_many_fields",
                                 "too many header fields, query arguments and cookies");
    /* Several Content-Lengths, or a Transfer-Encoding: xsirt_edge_check
     * refuses the request and the connection is closed. */
    if (ncl > 1)
        f->opaque = true;
    if (f->opaque)
        f->body = 0;
    return 0;
}

const char *xsirt_edge_reason(int status)
{
    switch (status) {
    case 400: return "Bad Request";
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 431: return "Request Header Fields Too Large";
    case 505: return "HTTP Version Not Supported";
    default: return "Error";
    }
}

/* ---- splitting a head the front answers itself -------------------------- */

typedef struct edge_space {
    char *at, *end;
} edge_space;

/* Room for n bytes and a NUL in r->text after the head; NULL when full
 * (the fields beyond are left out: the frame check bounds them anyway). */
static char *edge_room(edge_space *s, size_t n)
{
    char *p = s->at;

    if ((size_t)(s->end - s->at) < n + 1)
        return NULL;
    s->at += n + 1;
    return p;
}

/* Percent-decodes src[0..n) into out (NUL-terminated), '+' as a space
 * when plus: libmicrohttpd's rules for the path and the arguments (a '%'
 * without two hex digits stays as it is). */
static void edge_decode(char *out, const char *src, size_t n, bool plus)
{
    size_t o = 0;

    for (size_t i = 0; i < n; i++) {
        if (src[i] == '%' && i + 2 < n && edge_is_hex((unsigned char)src[i + 1]) &&
            edge_is_hex((unsigned char)src[i + 2])) {
            out[o++] = (char)(edge_hex((unsigned char)src[i + 1]) * 16 + edge_hex((unsigned char)src[i + 2]));
            i += 2;
        } else {
            out[o++] = plus && src[i] == '+' ? ' ' : src[i];
        }
    }
    out[o] = '\0';
}

/* The query's arguments: name[=value] separated by '&'. */
static void edge_split_args(xsirt_edge_request *r, edge_space *s, const char *q, size_t n)
{
    size_t i = 0;

    while (i < n && r->nargs < XSIRT_LIMIT_HTTP_FIELDS) {
        const char *amp = memchr(q + i, '&', n - i);
        size_t end = amp != NULL ? (size_t)(amp - q) : n;
        const char *eq = memchr(q + i, '=', end - i);
        size_t kn = eq != NULL ? (size_t)(eq - (q + i)) : end - i;
        char *k = edge_room(s, kn), *v = NULL;
        if (k == NULL)
            return;
        edge_decode(k, q + i, kn, true);
        if (eq != NULL) {
            size_t vn = end - i - kn - 1;
            if ((v = edge_room(s, vn)) == NULL)
                return;
            edge_decode(v, eq + 1, vn, true);
        }
        r->args[r->nargs++] = (xsirt_edge_header){k, v};
        i = end + 1;
    }
}

/* The cookies of one Cookie header: name=value pairs separated by ';' or
 * ',', blanks around the name dropped, a value's surrounding quotes
 * removed (a ';' inside quotes is part of the value). */
static void edge_split_cookies(xsirt_edge_request *r, edge_space *s, const char *c)
{
    size_t n = strlen(c), i = 0;

    while (i < n && r->ncookies < XSIRT_LIMIT_HTTP_FIELDS) {
        size_t k0, k1, v0, v1;
        bool quoted = false;
        char *k, *v;
        while (i < n && c[i] == ' ')
            i++;
        k0 = i;
        while (i < n && c[i] != ';' && c[i] != ',' && c[i] != '=')
            i++;
        k1 = i;
        while (k1 > k0 && c[k1 - 1] == ' ')
            k1--;
        v0 = v1 = i;
        if (i < n && c[i] == '=') {
            v0 = ++i;
            while (i < n && (quoted || (c[i] != ';' && c[i] != ',')))
                quoted = c[i++] == '"' ? !quoted : quoted;
            v1 = i;
            if (v1 - v0 >= 2 && c[v0] == '"' && c[v1 - 1] == '"') {
                v0++;
                v1--;
            }
        }
        if ((k = edge_room(s, k1 - k0)) == NULL || (v = edge_room(s, v1 - v0)) == NULL)
            return;
        memcpy(k, c + k0, k1 - k0);
        k[k1 - k0] = '\0';
        memcpy(v, c + v0, v1 - v0);
        v[v1 - v0] = '\0';
        r->cookies[r->ncookies++] = (xsirt_edge_header){k, v};
        i++;   /* past the ';' or ',' */
    }
}

/* The next line of r->text, NUL-terminated in place without its CR. */
static char *edge_cut_line(char *text, size_t len, size_t *pos)
{
    char *line = text + *pos, *nl;

    if (*pos >= len || (nl = memchr(line, '\n', len - *pos)) == NULL)
        return NULL;
    *pos = (size_t)(nl - text) + 1;
    *nl = '\0';
    if (nl > line && nl[-1] == '\r')
        nl[-1] = '\0';
    return line;
}

static bool edge_blank(char c)
{
    return c == ' ' || c == '\t';
}

int xsirt_edge_request_parse(xsirt_edge_request *r, const char *head, size_t len)
{
    size_t pos = 0;
    char *line, *sp, *target, *q;
    edge_space s;

    r->nheaders = r->nargs = r->ncookies = 0;
    if (len > XSIRT_LIMIT_HTTP_HEAD)
        return -1;
    memcpy(r->text, head, len);
    r->text[len] = '\0';
    s = (edge_space){r->text + len + 1, r->text + sizeof r->text};
    do {
        if ((line = edge_cut_line(r->text, len, &pos)) == NULL)
            return -1;
    } while (*line == '\0');
    /* METHOD SP TARGET SP VERSION: what the frame check let through */
    if ((sp = strchr(line, ' ')) == NULL)
        return -1;
    *sp = '\0';
    r->method = line;
    target = sp + 1;
    if ((sp = strchr(target, ' ')) == NULL)
        return -1;
    *sp = '\0';
    r->version = sp + 1;
    r->raw_uri = target;
    q = strchr(target, '?');
    {
        size_t pn = q != NULL ? (size_t)(q - target) : strlen(target);
        char *path = edge_room(&s, pn);
        if (path == NULL)
            return -1;
        edge_decode(path, target, pn, false);
        r->path = path;
    }
    if (q != NULL)
        edge_split_args(r, &s, q + 1, strlen(q + 1));
    while ((line = edge_cut_line(r->text, len, &pos)) != NULL && *line != '\0') {
        char *colon = strchr(line, ':'), *v, *e;
        if (colon == NULL || r->nheaders == XSIRT_LIMIT_HTTP_HEADERS)
            return -1;
        *colon = '\0';
        for (v = colon + 1; edge_blank(*v); v++)
            ;
        for (e = v + strlen(v); e > v && edge_blank(e[-1]); e--)
            ;
        *e = '\0';
        r->headers[r->nheaders++] = (xsirt_edge_header){line, v};
    }
    for (size_t i = 0; i < r->nheaders; i++)
        if (xsirt_ascii_casecmp(r->headers[i].name, "Cookie") == 0)
            edge_split_cookies(r, &s, r->headers[i].value);
    return 0;
}

const char *xsirt_edge_request_value(const xsirt_edge_header *list, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (xsirt_ascii_casecmp(list[i].name, name) == 0)
            return list[i].value;
    return NULL;
}
