/*
 * json_arena.c — jansson's allocations in big blocks for the time one
 * document is read on a thread (see json_arena.h).
 *
 * Why: reading a 10,000-component SBOM makes about 220,000 jansson
 * allocations (an object, its hash table, a pair per member, a string and
 * its text) and frees each of them when the reader drops the tree. As
 * separate malloc blocks that was a third of the parse's instructions,
 * and the freed small blocks cost again when the next big allocation made
 * malloc consolidate them (docs/performance.md, "Matching"). Carved from
 * big blocks (their size depends on the program: json_arena.h), an
 * allocation is a pointer bump and the whole tree is given back in a few
 * frees. The blocks come from malloc's heap, so what follows the parse
 * (`xsirt scan`'s scan, the server's next upload) reuses their pages
 * instead of faulting in new ones, as long as malloc keeps them
 * (xsirt_cli_malloc_keep, called by `scan` and by `serve`).
 *
 * Why thread-local: jansson's allocator is one pair of functions for the
 * whole process, and the server's workers use jansson at the same time
 * (requests, answers, the feeds). The pair installed here dispatches on
 * the calling thread's arena: a thread with none gets malloc and free, so
 * one upload's arena never holds another thread's values, and a value
 * freed inside an arena that is not in its blocks (made before begin, or
 * by another thread) is freed for real.
 */
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "formats/json_arena.h"

#define ARENA_ALIGN ((size_t)16)

typedef struct arena_block {
    char *start, *end;
} arena_block;

/* One thread's arena. The blocks are kept sorted by address, so that a
 * free finds whether its pointer is in one of them by binary search (an
 * upload at the component limit has a few thousand blocks and frees
 * millions of values); `hit` is the block the last free fell in, where
 * the next one nearly always falls too (the tree is dropped in the order
 * it was read). */
typedef struct json_arena {
    unsigned depth;          /* begins not yet ended; 0: no arena */
    size_t block;            /* the size of a block */
    char *cur, *end;         /* the room left in the current block */
    arena_block *blocks;     /* malloc'd, sorted by start */
    size_t n, cap, hit;
} json_arena;

static _Thread_local json_arena arena_here;

/* The index of the block that holds p, or a->n. Pointers into different
 * objects are compared as integers. */
static size_t arena_find(const json_arena *a, const void *p)
{
    uintptr_t at = (uintptr_t)p;
    size_t lo = 0, hi = a->n;

    if (a->hit < a->n && at >= (uintptr_t)a->blocks[a->hit].start &&
        at < (uintptr_t)a->blocks[a->hit].end)
        return a->hit;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (at < (uintptr_t)a->blocks[mid].start)
            hi = mid;
        else if (at >= (uintptr_t)a->blocks[mid].end)
            lo = mid + 1;
        else
            return mid;
    }
    return a->n;
}

/* A new block of size bytes, recorded in its place by address. */
static char *arena_block_new(json_arena *a, size_t size)
{
    arena_block *grown;
    char *b;
    size_t at;

    if (a->n == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 16;
        if ((grown = realloc(a->blocks, cap * sizeof *grown)) == NULL)
            return NULL;
        a->blocks = grown;
        a->cap = cap;
    }
    if ((b = malloc(size)) == NULL)
        return NULL;
    /* From the end: a heap mostly hands out ascending addresses. */
    at = a->n;
    while (at > 0 && (uintptr_t)a->blocks[at - 1].start > (uintptr_t)b)
        at--;
    memmove(&a->blocks[at + 1], &a->blocks[at], (a->n - at) * sizeof *a->blocks);
    a->blocks[at] = (arena_block){b, b + size};
    a->n++;
    return b;
}

static void *arena_carve(json_arena *a, size_t n)
{
    char *b;

    if (n > SIZE_MAX - ARENA_ALIGN)
        return NULL;
    n = n == 0 ? ARENA_ALIGN : (n + ARENA_ALIGN - 1) & ~(ARENA_ALIGN - 1);
    if ((size_t)(a->end - a->cur) >= n) {
        a->cur += n;
        return a->cur - n;
    }
    /* Larger than a block: a block of its own, and the current block's
     * room stays for the small values after it. */
    if (n > a->block)
        return arena_block_new(a, n);
    if ((b = arena_block_new(a, a->block)) == NULL)
        return NULL;
    a->cur = b + n;
    a->end = b + a->block;
    return b;
}

static void *json_arena_alloc(size_t n)
{
    json_arena *a = &arena_here;

    return a->depth == 0 ? malloc(n) : arena_carve(a, n);
}

/* A value in the thread's blocks goes with them at end; anything else is
 * malloc's. */
static void json_arena_free(void *p)
{
    json_arena *a = &arena_here;
    size_t i;

    if (a->depth > 0 && p != NULL && (i = arena_find(a, p)) < a->n) {
        a->hit = i;
        return;
    }
    free(p);
}

void xsirt_json_arena_install(void)
{
    if (!XSIRT_SANITIZED)
        json_set_alloc_funcs(json_arena_alloc, json_arena_free);
}

void xsirt_json_arena_begin(size_t block_size)
{
    if (XSIRT_SANITIZED)
        return;
    if (arena_here.depth++ == 0)
        arena_here.block = block_size > ARENA_ALIGN ? block_size : ARENA_ALIGN;
}

void xsirt_json_arena_end(void)
{
    json_arena *a = &arena_here;

    if (XSIRT_SANITIZED || a->depth == 0 || --a->depth > 0)
        return;
    for (size_t i = 0; i < a->n; i++)
        free(a->blocks[i].start);
    free(a->blocks);
    memset(a, 0, sizeof *a);
}
