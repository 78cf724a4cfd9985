/*
 * jsonw.c — the streaming JSON writer (jsonw.h). The layout rules are
 * jansson's (dump.c), so that a document written in pieces reads the same
 * as one dumped whole: "key": value with 2-space levels, or "," and ":"
 * alone when compact; empty containers as {} and []; strings escaped as
 * jansson does (\" \\ \b \f \n \r \t, \uXXXX in upper case for other
 * controls, UTF-8 as is). A value handed over is dumped by jansson itself
 * (numbers keep its formatting) with every line break re-indented to the
 * depth it sits at; JSON strings hold no raw line break, so every '\n' of a
 * dump is layout.
 */
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/str.h"
#include "formats/jsonw.h"

void xsirt_jsonw_init(xsirt_jsonw *w, xsirt_report_sink_fn sink, void *ctx, unsigned indent,
                      unsigned real_precision, xsirt_error *err)
{
    w->sink = sink;
    w->ctx = ctx;
    w->err = err;
    w->indent = indent > 31 ? 31 : indent;
    w->dump_flags = JSON_ENCODE_ANY | (w->indent == 0 ? JSON_COMPACT : JSON_INDENT(w->indent));
    if (real_precision > 0 && real_precision <= 31)
        w->dump_flags |= JSON_REAL_PRECISION(real_precision);
    w->depth = 0;
    w->after_key = false;
    w->nonempty[0] = 0;
    w->rc = 0;
    w->scratch = NULL;
    w->scratch_cap = 0;
    w->len = 0;
}

static void jw_flush(xsirt_jsonw *w)
{
    if (w->rc == 0 && w->len > 0)
        w->rc = w->sink(w->ctx, w->buf, w->len, w->err);
    w->len = 0;
}

void xsirt_jsonw_raw(xsirt_jsonw *w, const char *data, size_t len)
{
    while (w->rc == 0 && len > 0) {
        size_t n = sizeof w->buf - w->len;
        if (n == 0) {
            jw_flush(w);
            continue;
        }
        if (n > len)
            n = len;
        memcpy(w->buf + w->len, data, n);
        w->len += n;
        data += n;
        len -= n;
    }
}

static void jw_putc(xsirt_jsonw *w, char c)
{
    if (w->len == sizeof w->buf)
        jw_flush(w);
    if (w->rc == 0)
        w->buf[w->len++] = c;
}

static void jw_newline(xsirt_jsonw *w, unsigned depth)
{
    jw_putc(w, '\n');
    for (unsigned i = 0; i < depth * w->indent; i++)
        jw_putc(w, ' ');
}

/* What goes before a value: nothing after a key, else a comma after an
 * earlier item and the new line of the container's layout. */
static void jw_item(xsirt_jsonw *w)
{
    if (w->after_key) {
        w->after_key = false;
        return;
    }
    if (w->depth == 0)
        return;
    if (w->nonempty[w->depth])
        jw_putc(w, ',');
    if (w->indent > 0)
        jw_newline(w, w->depth);
    w->nonempty[w->depth] = 1;
}

void xsirt_jsonw_begin(xsirt_jsonw *w, char open)
{
    jw_item(w);
    if (w->depth > XSIRT_LIMIT_DEPTH) {
        if (w->rc == 0)
            w->rc = xsirt_error_set(w->err, XSIRT_ELIMIT, "JSON output nested too deep");
        return;
    }
    jw_putc(w, open);
    w->nonempty[++w->depth] = 0;
}

void xsirt_jsonw_end(xsirt_jsonw *w, char close)
{
    if (w->depth == 0)
        return;
    if (w->nonempty[w->depth] && w->indent > 0)
        jw_newline(w, w->depth - 1);
    w->depth--;
    jw_putc(w, close);
}

/* Escapes the len bytes at s (a jansson string may hold NUL) for a JSON
 * string as jansson does, handing runs of text and escapes to put (one
 * escaper for the writer, for buffers and for the server's answers). */
static void jw_escape_n(void (*put)(void *, const char *, size_t), void *ctx, const char *s,
                        size_t len)
{
    size_t run = 0;

    put(ctx, "\"", 1);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *esc = NULL;
        char u[8];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        put(ctx, s + run, i - run);
        run = i + 1;
        switch (c) {
        case '"': esc = "\\\""; break;
        case '\\': esc = "\\\\"; break;
        case '\b': esc = "\\b"; break;
        case '\f': esc = "\\f"; break;
        case '\n': esc = "\\n"; break;
        case '\r': esc = "\\r"; break;
        case '\t': esc = "\\t"; break;
        default:
            snprintf(u, sizeof u, "\\u%04X", c);
            esc = u;
        }
        put(ctx, esc, strlen(esc));
    }
    put(ctx, s + run, len - run);
    put(ctx, "\"", 1);
}

static void jw_escape_into(void (*put)(void *, const char *, size_t), void *ctx, const char *s)
{
    jw_escape_n(put, ctx, s, strlen(s));
}

static void jw_put_writer(void *ctx, const char *data, size_t len)
{
    xsirt_jsonw_raw(ctx, data, len);
}

typedef struct jw_buf_put {
    xsirt_buf *b;
    int rc;
} jw_buf_put;

static void jw_put_buf(void *ctx, const char *data, size_t len)
{
    jw_buf_put *p = ctx;

    if (p->rc == 0)
        p->rc = xsirt_buf_append(p->b, data, len);
}

static void jw_escaped(xsirt_jsonw *w, const char *s)
{
    jw_escape_into(jw_put_writer, w, s);
}

int xsirt_jsonw_escape(xsirt_buf *b, const char *s)
{
    jw_buf_put p = {b, 0};

    jw_escape_into(jw_put_buf, &p, s);
    return p.rc;
}

/* A jansson string (it may hold NUL: json_stringn) escaped into b. */
static int jw_dump_string(xsirt_buf *b, const char *s, size_t len)
{
    jw_buf_put p = {b, 0};

    jw_escape_n(jw_put_buf, &p, s, len);
    return p.rc;
}

/* Strings that need no escape (most keys and values) go with their
 * quotes, and with the comma and the colon around a key, in one append:
 * three to five calls of the buffer per member were a third of what
 * writing a server's answer cost. */
#define JW_PLAIN_MAX 256u

static bool jw_plain(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == '"' || c == '\\')
            return false;
    }
    return true;
}

/* pre (when not NUL), s[0..len) as a JSON string, post (when not NUL). */
static int jw_dump_quoted(xsirt_buf *b, char pre, const char *s, size_t len, char post)
{
    char tmp[JW_PLAIN_MAX + 4];
    size_t n = 0;
    int rc = 0;

    if (len <= JW_PLAIN_MAX && jw_plain(s, len)) {
        if (pre != '\0')
            tmp[n++] = pre;
        tmp[n++] = '"';
        memcpy(tmp + n, s, len);
        n += len;
        tmp[n++] = '"';
        if (post != '\0')
            tmp[n++] = post;
        return xsirt_buf_append(b, tmp, n);
    }
    if (pre != '\0')
        rc = xsirt_buf_putc(b, pre);
    if (rc == 0)
        rc = jw_dump_string(b, s, len);
    if (rc == 0 && post != '\0')
        rc = xsirt_buf_putc(b, post);
    return rc;
}

static int jw_dump_integer(xsirt_buf *b, json_int_t v)
{
    char digits[24], *p = digits + sizeof digits;
    unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;

    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u != 0);
    if (v < 0)
        *--p = '-';
    return xsirt_buf_append(b, p, (size_t)(digits + sizeof digits - p));
}

static int jw_dump(xsirt_buf *b, const json_t *v, unsigned depth)
{
    int rc = 0;
    char real[64];
    size_t n;

    if (depth > XSIRT_LIMIT_DEPTH)
        return XSIRT_ELIMIT;
    switch (json_typeof(v)) {
    case JSON_OBJECT: {
        const char *key;
        json_t *member;
        bool first = true;
        rc = xsirt_buf_putc(b, '{');
        json_object_foreach((json_t *)v, key, member) {
            if (rc == 0)
                rc = jw_dump_quoted(b, first ? '\0' : ',', key, strlen(key), ':');
            first = false;
            if (rc == 0)
                rc = jw_dump(b, member, depth + 1);
        }
        return rc != 0 ? rc : xsirt_buf_putc(b, '}');
    }
    case JSON_ARRAY:
        rc = xsirt_buf_putc(b, '[');
        for (size_t i = 0; rc == 0 && i < json_array_size(v); i++) {
            if (i > 0)
                rc = xsirt_buf_putc(b, ',');
            if (rc == 0)
                rc = jw_dump(b, json_array_get(v, i), depth + 1);
        }
        return rc != 0 ? rc : xsirt_buf_putc(b, ']');
    case JSON_STRING:
        return jw_dump_quoted(b, '\0', json_string_value(v), json_string_length(v), '\0');
    case JSON_INTEGER:
        return jw_dump_integer(b, json_integer_value(v));
    case JSON_REAL:
        /* jansson's own formatting (precision, ".0", exponent form). */
        n = json_dumpb(v, real, sizeof real, JSON_COMPACT | JSON_ENCODE_ANY);
        return n == 0 || n >= sizeof real ? XSIRT_ENOMEM : xsirt_buf_append(b, real, n);
    case JSON_TRUE:
        return xsirt_buf_puts(b, "true");
    case JSON_FALSE:
        return xsirt_buf_puts(b, "false");
    default:
        return xsirt_buf_puts(b, "null");
    }
}

int xsirt_jsonw_dump_compact(xsirt_buf *b, const json_t *v)
{
    return jw_dump(b, v, 0);
}

int xsirt_jsonw_buf_key(xsirt_buf *b, bool first, const char *key)
{
    return jw_dump_quoted(b, first ? '\0' : ',', key, strlen(key), ':');
}

int xsirt_jsonw_buf_string(xsirt_buf *b, const char *s)
{
    return s == NULL ? xsirt_buf_puts(b, "null") : jw_dump_quoted(b, '\0', s, strlen(s), '\0');
}

int xsirt_jsonw_buf_int(xsirt_buf *b, long long v)
{
    return jw_dump_integer(b, (json_int_t)v);
}

void xsirt_jsonw_key(xsirt_jsonw *w, const char *key)
{
    jw_item(w);
    jw_escaped(w, key);
    if (w->indent > 0)
        xsirt_jsonw_raw(w, ": ", 2);
    else
        jw_putc(w, ':');
    w->after_key = true;
}

void xsirt_jsonw_string(xsirt_jsonw *w, const char *s)
{
    if (s == NULL || !xsirt_utf8_valid(s, strlen(s))) {
        xsirt_jsonw_null(w);
        return;
    }
    jw_item(w);
    jw_escaped(w, s);
}

void xsirt_jsonw_int(xsirt_jsonw *w, long long v)
{
    char n[24];
    int len = snprintf(n, sizeof n, "%lld", v);

    jw_item(w);
    xsirt_jsonw_raw(w, n, (size_t)len);
}

void xsirt_jsonw_bool(xsirt_jsonw *w, bool v)
{
    jw_item(w);
    xsirt_jsonw_raw(w, v ? "true" : "false", v ? 4 : 5);
}

void xsirt_jsonw_null(xsirt_jsonw *w)
{
    jw_item(w);
    xsirt_jsonw_raw(w, "null", 4);
}

void xsirt_jsonw_real(xsirt_jsonw *w, double v)
{
    xsirt_jsonw_value_new(w, json_real(v));
}

/* Text dumped by jansson, re-indented to the depth it sits at. */
static void jw_reindent(xsirt_jsonw *w, const char *p, size_t size)
{
    const char *end = p + size, *nl;

    while (p < end && (nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
        xsirt_jsonw_raw(w, p, (size_t)(nl - p));
        jw_newline(w, w->depth);
        p = nl + 1;
    }
    xsirt_jsonw_raw(w, p, (size_t)(end - p));
}

/* The value is dumped into the scratch buffer in one call (jansson's
 * callback interface would call back once per token), grown and dumped
 * again when it did not fit. */
void xsirt_jsonw_value_new(xsirt_jsonw *w, json_t *v)
{
    size_t n;

    if (v == NULL) {
        if (w->rc == 0)
            w->rc = xsirt_error_set(w->err, XSIRT_ENOMEM, "out of memory writing JSON");
        return;
    }
    jw_item(w);
    n = json_dumpb(v, w->scratch, w->scratch_cap, w->dump_flags);
    if (n > w->scratch_cap) {
        size_t cap = n + n / 2 + 4096;
        char *grown = malloc(cap);
        if (grown == NULL) {
            n = 0;
            if (w->rc == 0)
                w->rc = xsirt_error_set(w->err, XSIRT_ENOMEM, "out of memory writing JSON");
        } else {
            free(w->scratch);
            w->scratch = grown;
            w->scratch_cap = cap;
            n = json_dumpb(v, w->scratch, w->scratch_cap, w->dump_flags);
        }
    }
    if (n == 0 && w->rc == 0)
        w->rc = xsirt_error_set(w->err, XSIRT_ENOMEM, "out of memory writing JSON");
    else if (w->indent > 0)
        jw_reindent(w, w->scratch, n);
    else
        xsirt_jsonw_raw(w, w->scratch, n);
    json_decref(v);
}

/* Compact JSON laid out with indentation: a new line after an opening
 * bracket (unless the container is empty) and after each comma, ": "
 * after a key, the closing bracket on its own line; strings copied
 * untouched (a quote inside one is escaped, so only an unescaped quote
 * ends it). */
void xsirt_jsonw_compact_value(xsirt_jsonw *w, const char *json, size_t len)
{
    unsigned depth;
    const char *run = json;

    jw_item(w);
    if (w->indent == 0) {
        xsirt_jsonw_raw(w, json, len);
        return;
    }
    depth = w->depth;
    for (size_t i = 0; i < len && w->rc == 0; i++) {
        char c = json[i];
        if (c == '"') {
            for (i++; i < len && json[i] != '"'; i++)
                i += json[i] == '\\';
            continue;
        }
        if (c != '{' && c != '[' && c != '}' && c != ']' && c != ',' && c != ':')
            continue;
        xsirt_jsonw_raw(w, run, (size_t)(json + i - run) + (c == '}' || c == ']' ? 0 : 1));
        run = json + i + 1;
        if ((c == '{' || c == '[') && i + 1 < len && (json[i + 1] == '}' || json[i + 1] == ']')) {
            jw_putc(w, json[++i]);   /* {} and [] stay as they are */
            run = json + i + 1;
        } else if (c == '{' || c == '[') {
            jw_newline(w, ++depth);
        } else if (c == '}' || c == ']') {
            jw_newline(w, --depth);
            jw_putc(w, c);
        } else if (c == ',') {
            jw_newline(w, depth);
        } else {
            jw_putc(w, ' ');
        }
    }
    xsirt_jsonw_raw(w, run, (size_t)(json + len - run));
}

void xsirt_jsonw_kstring(xsirt_jsonw *w, const char *key, const char *s)
{
    xsirt_jsonw_key(w, key);
    xsirt_jsonw_string(w, s);
}

void xsirt_jsonw_kint(xsirt_jsonw *w, const char *key, long long v)
{
    xsirt_jsonw_key(w, key);
    xsirt_jsonw_int(w, v);
}

void xsirt_jsonw_kvalue_new(xsirt_jsonw *w, const char *key, json_t *v)
{
    xsirt_jsonw_key(w, key);
    xsirt_jsonw_value_new(w, v);
}

int xsirt_jsonw_finish(xsirt_jsonw *w)
{
    jw_flush(w);
    free(w->scratch);
    w->scratch = NULL;
    w->scratch_cap = 0;
    return w->rc;
}

int xsirt_jsonw_sink_buf(void *ctx, const void *data, size_t len, xsirt_error *err)
{
    int rc = xsirt_buf_append(ctx, data, len);

    return rc == 0 ? 0 : xsirt_error_set(err, rc, "out of memory writing a report");
}

int xsirt_jsonw_sink_fnv(void *ctx, const void *data, size_t len, xsirt_error *err)
{
    unsigned long long *h = ctx;
    const unsigned char *p = data;

    (void)err;
    for (size_t i = 0; i < len; i++) {
        *h ^= p[i];
        *h *= 0x100000001b3ull;
    }
    return 0;
}
