/*
 * heap.c — malloc's heap kept and on huge pages for the commands that
 * read large documents (see heap.h).
 *
 * Why: by default glibc gives freed memory at the top of its heap back to
 * the kernel once more than 128 KiB is free there, and maps each block of
 * 128 KiB or more on its own, unmapped when freed (both thresholds then
 * rise with what it has seen); the next parse or scan then
 * faults the same pages in again, one trap and one cleared page per
 * 4 KiB. jansson's tree of a 10,000-component SBOM lives in 4 MiB blocks
 * (formats/json_arena.c) freed at once after the parse: kept, they are
 * the pages the scan that follows uses (docs/performance.md, "Matching"
 * and "Portfolio").
 */
#define _DEFAULT_SOURCE   /* MADV_HUGEPAGE */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#ifdef __GLIBC__
#include <malloc.h>
#endif
#ifdef __linux__
#include <sys/mman.h>
#endif

#include "cli/heap.h"
#include "formats/json_arena.h"

void xsirt_cli_malloc_keep(size_t trim_threshold)
{
#ifdef __GLIBC__
    /* 32 MiB is the most glibc accepts for the mapping threshold on 64-bit
     * (a larger value is refused and changes nothing); larger blocks
     * are still mapped on their own. */
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, trim_threshold > INT32_MAX ? INT32_MAX : (int)trim_threshold);
#else
    (void)trim_threshold;
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

    if (XSIRT_SANITIZED || bytes < 2 * HUGE_PAGE)
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
