/*
 * buf.c — growable byte buffer with a ceiling (see buf.h).
 *
 * Growth doubles the capacity (amortised O(1) appends) but never past
 * max + 1, and every size computation is overflow-checked. Failures of
 * appends are sticky (buf.h says why): buf_reserve keeps them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/checked.h"
#include "xsirt/error.h"

void xsirt_buf_init(xsirt_buf *b, size_t max)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->max = max;
    b->failed = 0;
}

void xsirt_buf_free(xsirt_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->failed = 0;
}

void xsirt_buf_reset(xsirt_buf *b)
{
    b->len = 0;
    b->failed = 0;
    if (b->data != NULL)
        b->data[0] = '\0';
}

/* Makes room for n more bytes plus the NUL. */
static int buf_grow(xsirt_buf *b, size_t n)
{
    size_t need, cap;
    char *p;

    if (!xsirt_size_add(&need, b->len, n) || need > b->max)
        return XSIRT_ELIMIT;
    if (!xsirt_size_add(&need, need, 1))
        return XSIRT_ELIMIT;
    if (need <= b->cap)
        return 0;
    cap = b->cap ? b->cap : 64;
    while (cap < need) {
        if (!xsirt_size_mul(&cap, cap, 2)) {
            cap = need;
            break;
        }
    }
    if (cap > b->max + 1 && b->max + 1 >= need)
        cap = b->max + 1;
    p = realloc(b->data, cap);
    if (p == NULL)
        return XSIRT_ENOMEM;
    b->data = p;
    b->cap = cap;
    return 0;
}

/* Room for an append of n bytes; a refusal is kept (buf.h). */
static int buf_reserve(xsirt_buf *b, size_t n)
{
    if (b->failed == 0)
        b->failed = buf_grow(b, n);
    return b->failed;
}

int xsirt_buf_append(xsirt_buf *b, const void *data, size_t n)
{
    int rc = buf_reserve(b, n);

    if (rc != 0)
        return rc;
    if (n > 0)
        memcpy(b->data + b->len, data, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

/* A hint, not an append: refused, it leaves the buffer as it was. */
int xsirt_buf_reserve(xsirt_buf *b, size_t n)
{
    return b->failed != 0 ? b->failed : buf_grow(b, n);
}

int xsirt_buf_puts(xsirt_buf *b, const char *s)
{
    return xsirt_buf_append(b, s, strlen(s));
}

int xsirt_buf_putc(xsirt_buf *b, char c)
{
    return xsirt_buf_append(b, &c, 1);
}

int xsirt_buf_vprintf(xsirt_buf *b, const char *fmt, va_list ap)
{
    va_list copy;
    int n, rc;

    va_copy(copy, ap);
    n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0)
        return b->failed = XSIRT_EINVAL;
    rc = buf_reserve(b, (size_t)n);
    if (rc != 0)
        return rc;
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return 0;
}

int xsirt_buf_printf(xsirt_buf *b, const char *fmt, ...)
{
    va_list ap;
    int rc;

    va_start(ap, fmt);
    rc = xsirt_buf_vprintf(b, fmt, ap);
    va_end(ap);
    return rc;
}

int xsirt_buf_failed(const xsirt_buf *b)
{
    return b->failed;
}

char *xsirt_buf_detach(xsirt_buf *b)
{
    char *p = b->data;

    if (b->failed != 0) {
        free(p);
        p = NULL;
    } else if (p == NULL) {
        p = calloc(1, 1);
    }
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->failed = 0;
    return p;
}

const char *xsirt_buf_cstr(const xsirt_buf *b)
{
    return b->data != NULL ? b->data : "";
}
