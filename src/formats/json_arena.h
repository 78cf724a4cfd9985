/*
 * json_arena.h — jansson's allocations in a few big blocks while one
 * document is read on a thread, given back at once (`xsirt scan`, an SBOM
 * uploaded to the server), and whether this program is built for a
 * sanitizer (then every allocation stays its own and every object is
 * freed, so that LeakSanitizer checks every path).
 */
#ifndef XSIRT_FORMATS_JSON_ARENA_H
#define XSIRT_FORMATS_JSON_ARENA_H

#include <stddef.h>

/* Built with AddressSanitizer (gcc says so with __SANITIZE_ADDRESS__,
 * clang through __has_feature): `make asan`, CI, the fuzz targets. */
#if defined(__SANITIZE_ADDRESS__)
#define XSIRT_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define XSIRT_SANITIZED 1
#endif
#endif
#ifndef XSIRT_SANITIZED
#define XSIRT_SANITIZED 0
#endif

/* Gives jansson this module's allocation functions, for the whole
 * process (jansson has one allocator): once at the start of the program,
 * before any thread uses jansson (xsirt_cli_main, so every command and
 * `xsirt-server serve`). Outside an arena they are malloc and free; a
 * program that never calls this still works, its arenas are just unused.
 * A no-op in sanitizer builds. */
void xsirt_json_arena_install(void);

/* Block sizes, by what the memory is used for once the tree is dropped.
 *
 * A command that reads one document and works on its model alone
 * (`xsirt scan`): 4 MiB. A 10,000-component SBOM's tree takes three; with
 * 1 MiB blocks the scan that followed did not get their memory back from
 * malloc (it faulted in 2.4 MiB of new pages instead; 4 MiB blocks, 45
 * pages); a small SBOM wastes nothing that matters, pages not touched are
 * not faulted in.
 *
 * A server thread (an SBOM upload): 256 KiB. A worker's heap holds what it
 * keeps between requests (its database connection's cache, statements)
 * among what an upload frees, so a 4 MiB hole was seldom left for the next
 * upload's blocks: each parse grew the heap and faulted in about 600 new
 * pages (median of 50 uploads; parse 25 ms of CPU, no better than malloc
 * per value). 256 KiB blocks fit in the holes: no page faults, 18 ms
 * (docs/performance.md, "Portfolio"). */
#define XSIRT_JSON_ARENA_BLOCK_COMMAND ((size_t)4 << 20)
#define XSIRT_JSON_ARENA_BLOCK_SERVER ((size_t)256 << 10)

/* From begin to end on the calling thread, every jansson value it makes is
 * carved from blocks of block_size bytes (a value larger than that gets
 * its own), and freeing one of them does nothing; anything else it frees
 * (a value made before begin, or by another thread outside an arena) is
 * freed. end frees the blocks. Other threads are not affected: the arena
 * is the thread's own. Nothing made between begin and end may live past
 * end or be handed to another thread, and a jansson result meant for
 * free() (json_dumps) must not be made in between: meant around one reader
 * that builds its own model and drops the tree (xsirt_sbom_parse). Nested
 * pairs make one arena (the outer block size), freed at the outer end.
 * No-ops in sanitizer builds. */
void xsirt_json_arena_begin(size_t block_size);
void xsirt_json_arena_end(void);

#endif
