/*
 * buf.h — a growable byte buffer with a maximum size.
 *
 * Every buffer that grows with input has a ceiling (from limits.h) so that
 * hostile input hits XSIRT_ELIMIT instead of exhausting memory. The data is
 * always NUL-terminated, so it can be used as a C string.
 *
 * A failure is sticky: once an append fails (past the ceiling, or out of
 * memory), every later append fails with the same code and writes nothing,
 * and xsirt_buf_detach gives NULL. So a writer may append many pieces and
 * look at the result once, at the end (xsirt_buf_failed, or the last
 * append's code): a piece refused in the middle can never leave a hole in
 * a text that then looks whole.
 */
#ifndef XSIRT_BUF_H
#define XSIRT_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "xsirt/common.h"

typedef struct xsirt_buf {
    char *data;     /* NUL-terminated; NULL until the first append */
    size_t len;     /* bytes used, not counting the NUL */
    size_t cap;     /* bytes allocated */
    size_t max;     /* most bytes len may reach */
    int failed;     /* 0, or the code of the first append that failed */
} xsirt_buf;

void xsirt_buf_init(xsirt_buf *b, size_t max);
void xsirt_buf_free(xsirt_buf *b);
/* Empties b and forgets a failure. */
void xsirt_buf_reset(xsirt_buf *b);

/* Each returns 0, XSIRT_ELIMIT past max, or XSIRT_ENOMEM (then, and after
 * any earlier failure, nothing is written). */
int xsirt_buf_append(xsirt_buf *b, const void *data, size_t n);
int xsirt_buf_puts(xsirt_buf *b, const char *s);
/* Room for n more bytes allocated at once (a buffer grows by doubling
 * from 64 bytes otherwise: four reallocations to reach a case's 821). A
 * hint: refused, it leaves the buffer as it was, failure included. */
int xsirt_buf_reserve(xsirt_buf *b, size_t n);
int xsirt_buf_putc(xsirt_buf *b, char c);
int xsirt_buf_printf(xsirt_buf *b, const char *fmt, ...) XSIRT_PRINTF(2, 3);
int xsirt_buf_vprintf(xsirt_buf *b, const char *fmt, va_list ap) XSIRT_PRINTF(2, 0);

/* 0, or the code of the first append that failed since init or reset. */
int xsirt_buf_failed(const xsirt_buf *b);

/* Gives the caller the data (free() it) and resets b; "" for an empty buffer.
 * NULL when out of memory or when an append failed (the partial text is
 * freed: it is not what the writer meant). */
char *xsirt_buf_detach(xsirt_buf *b);

/* The content as a C string, "" when empty (never NULL). */
const char *xsirt_buf_cstr(const xsirt_buf *b);

#endif
