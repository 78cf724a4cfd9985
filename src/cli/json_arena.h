/*
 * json_arena.h — jansson's allocations in a few big blocks while one
 * document is read, given back at once (`xsirt scan`), and whether this
 * program is built for a sanitizer (then every allocation stays its own
 * and every object is freed, so that LeakSanitizer checks every path).
 */
#ifndef XSIRT_CLI_JSON_ARENA_H
#define XSIRT_CLI_JSON_ARENA_H

#include <stdbool.h>

/* Built with AddressSanitizer (gcc says so with __SANITIZE_ADDRESS__,
 * clang through __has_feature): `make asan`, CI, the fuzz targets. */
#if defined(__SANITIZE_ADDRESS__)
#define XSIRT_CLI_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define XSIRT_CLI_SANITIZED 1
#endif
#endif
#ifndef XSIRT_CLI_SANITIZED
#define XSIRT_CLI_SANITIZED 0
#endif

/* From begin to end, every jansson value is carved from blocks and free
 * does nothing; end frees the blocks and gives jansson malloc and free
 * back. Nothing jansson allocated before begin may be freed before end,
 * and nothing allocated between them may live past end: meant around one
 * reader that builds its own model and drops the tree (xsirt_sbom_parse).
 * Process-wide (jansson's allocator is global): only for the
 * single-threaded CLI. A no-op in sanitizer builds. */
void xsirt_cli_json_arena_begin(void);
void xsirt_cli_json_arena_end(void);

/* For a command that reads one large document and exits: malloc keeps
 * what is freed for the next allocations (no trimming, no separate
 * mappings for big blocks) instead of giving it back to the kernel and
 * faulting it in again. */
void xsirt_cli_malloc_keep(void);

/* After xsirt_cli_malloc_keep: grows malloc's heap by about `bytes`
 * (what the command expects to allocate; at most 30 MiB, none below
 * 4 MiB) and asks the kernel to back it with transparent huge pages
 * (MADV_HUGEPAGE: Debian's default THP mode is "madvise"). Each 4 KiB page
 * first touched is otherwise a fault: a trap, a page cleared, an LRU
 * insertion and a cgroup charge; a 2 MiB page is one. The cost: the last
 * huge page touched is all resident (peak RSS up to a few MiB higher). A
 * hint: without THP, or in sanitizer builds, nothing changes. */
void xsirt_cli_malloc_huge(size_t bytes);

#endif
