/*
 * jsonw.h — a streaming JSON writer: a document written piece by piece
 * into a sink (a callback), never held whole in memory.
 *
 * Reports of a large scan run to hundreds of megabytes; building them as
 * one jansson tree first cost several times that in memory. The writers
 * emit the skeleton (objects, arrays, keys, scalars) directly and may hand
 * over a small jansson value (one SARIF rule, one CycloneDX vulnerability)
 * that is dumped at once and freed: memory stays bounded by the largest
 * piece. The output is byte for byte what json_dumps of the whole tree
 * gives with the same flags (2-space or compact layout, jansson's string
 * escapes, its number formatting), so writers could move to it without
 * changing a byte of their output. No I/O: the sink does it.
 */
#ifndef XSIRT_JSONW_H
#define XSIRT_JSONW_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "core/buf.h"
#include "xsirt/error.h"
#include "xsirt/limits.h"
#include "xsirt/report.h"

/* Bytes gathered before the sink is called: few calls, little memory. */
#define XSIRT_JSONW_CHUNK 65536u

typedef struct xsirt_jsonw {
    xsirt_report_sink_fn sink;
    void *ctx;
    xsirt_error *err;
    size_t dump_flags;         /* jansson flags for values handed over */
    unsigned indent;           /* spaces per level; 0: compact */
    unsigned depth;
    bool after_key;
    unsigned char nonempty[XSIRT_LIMIT_DEPTH + 2];
    int rc;                    /* first error; every later call does nothing */
    char *scratch;             /* values handed over are dumped here first */
    size_t scratch_cap;
    size_t len;
    char buf[XSIRT_JSONW_CHUNK];
} xsirt_jsonw;

/* indent 0 is JSON_COMPACT; real_precision 0 is jansson's default (17). */
void xsirt_jsonw_init(xsirt_jsonw *w, xsirt_report_sink_fn sink, void *ctx, unsigned indent,
                      unsigned real_precision, xsirt_error *err);
/* Flushes what is left and releases the writer's memory; returns the
 * first error (0 when none). Call it on every writer initialised. */
int xsirt_jsonw_finish(xsirt_jsonw *w);

/* '{' or '[' / '}' or ']'. */
void xsirt_jsonw_begin(xsirt_jsonw *w, char open);
void xsirt_jsonw_end(xsirt_jsonw *w, char close);
void xsirt_jsonw_key(xsirt_jsonw *w, const char *key);
/* NULL, and text that is not UTF-8 (jansson refuses it too), write null. */
void xsirt_jsonw_string(xsirt_jsonw *w, const char *s);
void xsirt_jsonw_int(xsirt_jsonw *w, long long v);
void xsirt_jsonw_bool(xsirt_jsonw *w, bool v);
void xsirt_jsonw_null(xsirt_jsonw *w);
void xsirt_jsonw_real(xsirt_jsonw *w, double v);
/* Dumps v at the current place and releases it (json_decref); NULL is an
 * out-of-memory error (a value that could not be built). */
void xsirt_jsonw_value_new(xsirt_jsonw *w, json_t *v);
/* A value given as compact JSON text (as jansson's JSON_COMPACT writes
 * it: no space outside strings), written at the current place in w's
 * layout: as is when w is compact, else laid out as jansson would indent
 * it. For values kept as text between two passes (OpenVEX). */
void xsirt_jsonw_compact_value(xsirt_jsonw *w, const char *json, size_t len);

/* s as a JSON string (quoted, escaped as jansson does) appended to b;
 * 0 or the buffer's error. */
int xsirt_jsonw_escape(xsirt_buf *b, const char *s);

/* v appended to b exactly as json_dumps(v, JSON_COMPACT) writes it, about
 * three times faster: a string in a jansson tree is valid UTF-8 already
 * (jansson checks it when the string is made), so only the bytes that need
 * an escape are looked at, where jansson decodes every code point. The
 * server writes every answer with it. 0, or the buffer's error, or
 * XSIRT_ELIMIT past XSIRT_LIMIT_DEPTH levels. */
int xsirt_jsonw_dump_compact(xsirt_buf *b, const json_t *v);

/* The pieces of a compact document written straight into b, laid out as
 * xsirt_jsonw_dump_compact lays out a tree (for an answer written from
 * rows without building one, case.h): a key with its colon (and the comma
 * before it unless first), a string (NULL: null; the text must be valid
 * UTF-8, as a jansson string is), an integer. 0 or the buffer's error. */
int xsirt_jsonw_buf_key(xsirt_buf *b, bool first, const char *key);
int xsirt_jsonw_buf_string(xsirt_buf *b, const char *s);
int xsirt_jsonw_buf_int(xsirt_buf *b, long long v);

/* Text appended as it is (a newline after the document). */
void xsirt_jsonw_raw(xsirt_jsonw *w, const char *data, size_t len);

/* key + value, for the common members. */
void xsirt_jsonw_kstring(xsirt_jsonw *w, const char *key, const char *s);
void xsirt_jsonw_kint(xsirt_jsonw *w, const char *key, long long v);
void xsirt_jsonw_kvalue_new(xsirt_jsonw *w, const char *key, json_t *v);

/* Sinks: into a growing buffer (ctx: an xsirt_buf, for the callers that
 * want the text), and a 64-bit FNV-1a hash of the bytes (ctx: unsigned
 * long long, start from RP_FNV_INIT; for ids derived from the content). */
int xsirt_jsonw_sink_buf(void *ctx, const void *data, size_t len, xsirt_error *err);
int xsirt_jsonw_sink_fnv(void *ctx, const void *data, size_t len, xsirt_error *err);

#endif
