/*
 * json_arena.c — jansson's allocations in big blocks for the time one
 * document is read (see json_arena.h).
 *
 * Why: reading a 10,000-component SBOM makes about 220,000 jansson
 * allocations (an object, its hash table, a pair per member, a string and
 * its text) and frees each of them when the reader drops the tree. As
 * separate malloc blocks that was a third of the parse's instructions,
 * and the freed small blocks cost again when the next big allocation made
 * malloc consolidate them (docs/performance.md, "Matching"). Carved from
 * 4 MiB blocks, an allocation is a pointer bump and the whole tree is
 * given back in a few frees. The blocks come from malloc's heap (see
 * xsirt_cli_malloc_keep), so the scan that follows reuses their pages
 * instead of faulting in new ones; xsirt_cli_malloc_huge puts that heap
 * on huge pages.
 */
#define _DEFAULT_SOURCE   /* MADV_HUGEPAGE */
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#ifdef __GLIBC__
#include <malloc.h>
#endif
#ifdef __linux__
#include <sys/mman.h>
#endif

#include "cli/json_arena.h"

/* 4 MiB: a 10,000-component SBOM's tree takes three. With 1 MiB blocks
 * the scan that followed did not get their memory back from malloc (it
 * faulted in 2.4 MiB of new pages instead; 4 MiB blocks, 45 pages); a
 * small SBOM wastes nothing that matters, pages not touched are not
 * faulted in. */
#define ARENA_BLOCK ((size_t)4 << 20)
#define ARENA_ALIGN ((size_t)16)

struct arena_block {
    struct arena_block *next;
    max_align_t align;   /* the data that follows is aligned for any type */
};

static struct arena_block *arena_blocks;
static char *arena_cur, *arena_end;

static void *arena_alloc(size_t n)
{
    size_t size, head = offsetof(struct arena_block, align);
    struct arena_block *b;

    if (n > SIZE_MAX - ARENA_BLOCK)
        return NULL;
    n = (n + ARENA_ALIGN - 1) & ~(ARENA_ALIGN - 1);
    if ((size_t)(arena_end - arena_cur) < n) {
        size = n + head > ARENA_BLOCK ? n + head : ARENA_BLOCK;
        if ((b = malloc(size)) == NULL)
            return NULL;
        b->next = arena_blocks;
        arena_blocks = b;
        arena_cur = (char *)b + head;
        arena_end = (char *)b + size;
    }
    arena_cur += n;
    return arena_cur - n;
}

/* Everything goes with the blocks at xsirt_cli_json_arena_end. */
static void arena_free(void *p)
{
    (void)p;
}

void xsirt_cli_json_arena_begin(void)
{
    if (!XSIRT_CLI_SANITIZED)
        json_set_alloc_funcs(arena_alloc, arena_free);
}

void xsirt_cli_json_arena_end(void)
{
    struct arena_block *b, *next;

    if (XSIRT_CLI_SANITIZED)
        return;
    json_set_alloc_funcs(malloc, free);
    for (b = arena_blocks; b != NULL; b = next) {
        next = b->next;
        free(b);
    }
    arena_blocks = NULL;
    arena_cur = arena_end = NULL;
}

void xsirt_cli_malloc_keep(void)
{
#ifdef __GLIBC__
    /* 32 MiB is the most glibc accepts for the mapping threshold on 64-bit
     * (a larger value is refused and changes nothing); larger blocks
     * are still mapped on their own. */
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
#endif
}

/* Below glibc's largest mapping threshold (xsirt_cli_malloc_keep): a
 * block this size still comes from the heap and stays there once freed. */
#define HEAP_HUGE_MOST ((size_t)30 << 20)
#define HUGE_PAGE ((uintptr_t)2 << 20)   /* x86-64 and arm64 with 4 KiB pages */

void xsirt_cli_malloc_huge(size_t bytes)
{
#if defined(__GLIBC__) && defined(__linux__) && defined(MADV_HUGEPAGE)
    uintptr_t from, to;
    void *p;

    if (XSIRT_CLI_SANITIZED || bytes < 2 * HUGE_PAGE)
        return;
    if (bytes > HEAP_HUGE_MOST)
        bytes = HEAP_HUGE_MOST;
    if ((p = malloc(bytes)) == NULL)
        return;
    from = ((uintptr_t)p + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
    to = ((uintptr_t)p + bytes) & ~(HUGE_PAGE - 1);
    if (to > from)
        (void)madvise((void *)from, to - from, MADV_HUGEPAGE);
    free(p);
#else
    (void)bytes;
#endif
}
