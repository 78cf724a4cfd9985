/*
 * arena.h — memory handed out from big blocks and given back all at once.
 *
 * For structures made of many small pieces that live and die together: a
 * vulnerability list's strings and arrays (formats), the ranges a scanner
 * prepares (matching). One free per block instead of one per piece, and
 * an error path that just drops the arena.
 */
#ifndef XSIRT_CORE_ARENA_H
#define XSIRT_CORE_ARENA_H

#include <stddef.h>

typedef struct xsirt_arena xsirt_arena;

xsirt_arena *xsirt_arena_new(void);
void xsirt_arena_free(xsirt_arena *a);
/* Zeroed memory for count × size bytes, aligned for any type; NULL on
 * overflow or exhaustion. */
void *xsirt_arena_alloc(xsirt_arena *a, size_t count, size_t size);
char *xsirt_arena_strndup(xsirt_arena *a, const char *s, size_t len);

#endif
