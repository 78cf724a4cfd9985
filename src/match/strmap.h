/*
 * strmap.h — an open-addressing hash map from strings to 32-bit values,
 * internal to the matching engine (interning the index's strings, KEV and
 * EPSS look-ups by CVE id, alias group peers).
 *
 * Keys are copied into the map's own storage. Growth doubles the table at
 * half load; the number of entries is bounded by the caller's max.
 */
#ifndef XSIRT_MATCH_STRMAP_H
#define XSIRT_MATCH_STRMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct xsirt_strmap_slot {
    char *key;
    size_t len;
    uint64_t hash;
    uint32_t value;
} xsirt_strmap_slot;

typedef struct xsirt_strmap {
    xsirt_strmap_slot *slots;
    size_t cap;     /* power of two, or 0 */
    size_t count;
} xsirt_strmap;

void xsirt_strmap_init(xsirt_strmap *m);
void xsirt_strmap_free(xsirt_strmap *m);
/* *found says whether s was there; *value its value (or the one stored).
 * Returns 0 or XSIRT_ENOMEM / XSIRT_ELIMIT. */
int xsirt_strmap_put(xsirt_strmap *m, const char *s, size_t len, uint32_t value,
                     uint32_t *stored, bool *found);
/* True and *value when s is there. */
bool xsirt_strmap_get(const xsirt_strmap *m, const char *s, size_t len, uint32_t *value);

/* The map's hash of s[0..len) (FNV-1a), for callers' own filters. */
uint64_t xsirt_strmap_hash(const char *s, size_t len);

#endif
