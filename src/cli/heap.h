/*
 * heap.h — malloc's heap for a program that reads large documents: kept
 * instead of given back to the kernel (`xsirt scan`, `xsirt-server
 * serve`), and backed by huge pages (`xsirt scan`). jansson's arena, which
 * reads the documents, is formats/json_arena.h.
 */
#ifndef XSIRT_CLI_HEAP_H
#define XSIRT_CLI_HEAP_H

#include <stddef.h>

/* For a program that reads large documents: malloc keeps what is freed,
 * up to trim_threshold bytes at the top of each of its heaps, for the
 * next allocations (and blocks up to 32 MiB come from the heaps, not
 * from mappings of their own), instead of giving it back to the kernel
 * and faulting it in again. Once, before the threads start. */
void xsirt_cli_malloc_keep(size_t trim_threshold);

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
