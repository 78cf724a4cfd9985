/*
 * arena.c — block allocator (see arena.h).
 *
 * Blocks of 64 KiB are filled front to back; a request larger than a block
 * gets a block of its own, linked behind the current one so that the
 * current block's free room stays usable for the small requests after it.
 */
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/checked.h"

typedef struct arena_block {
    struct arena_block *next;
    size_t used, cap;
    max_align_t data[];
} arena_block;

struct xsirt_arena {
    arena_block *head;
};

#define ARENA_BLOCK (64u * 1024u)

xsirt_arena *xsirt_arena_new(void)
{
    return calloc(1, sizeof(xsirt_arena));
}

void xsirt_arena_free(xsirt_arena *a)
{
    arena_block *b, *next;

    if (a == NULL)
        return;
    for (b = a->head; b != NULL; b = next) {
        next = b->next;
        free(b);
    }
    free(a);
}

void *xsirt_arena_alloc(xsirt_arena *a, size_t count, size_t size)
{
    size_t n, cap, total;
    arena_block *b = a->head;
    void *p;

    if (!xsirt_size_mul(&n, count, size))
        return NULL;
    /* Round up so every allocation stays aligned for any type. */
    if (!xsirt_size_add(&n, n, sizeof(max_align_t) - 1))
        return NULL;
    n -= n % sizeof(max_align_t);
    if (n == 0)
        n = sizeof(max_align_t);
    if (b == NULL || b->cap - b->used < n) {
        cap = n > ARENA_BLOCK ? n : ARENA_BLOCK;
        if (!xsirt_size_add(&total, sizeof(arena_block), cap))
            return NULL;
        b = malloc(total);
        if (b == NULL)
            return NULL;
        b->used = 0;
        b->cap = cap;
        if (a->head != NULL && n > ARENA_BLOCK) {
            b->next = a->head->next;
            a->head->next = b;
        } else {
            b->next = a->head;
            a->head = b;
        }
    }
    p = (char *)b->data + b->used;
    b->used += n;
    memset(p, 0, n);
    return p;
}

char *xsirt_arena_strndup(xsirt_arena *a, const char *s, size_t len)
{
    size_t n;
    char *p;

    if (!xsirt_size_add(&n, len, 1))
        return NULL;
    p = xsirt_arena_alloc(a, n, 1);
    if (p == NULL)
        return NULL;
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}
