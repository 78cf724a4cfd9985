/*
 * strmap.c — string → u32 hash map (see strmap.h).
 *
 * FNV-1a hashing and linear probing: the keys are short identifiers and
 * the maps live for one build or one scan, so simplicity beats cleverness.
 */
#include <stdlib.h>
#include <string.h>

#include "core/checked.h"
#include "match/strmap.h"
#include "xsirt/error.h"

/* Beyond this many entries the index would exceed its 32-bit references. */
#define STRMAP_MAX_ENTRIES (1u << 30)

uint64_t xsirt_strmap_hash(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603ull;

    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ull;
    }
    return h;
}

void xsirt_strmap_init(xsirt_strmap *m)
{
    m->slots = NULL;
    m->cap = 0;
    m->count = 0;
}

void xsirt_strmap_free(xsirt_strmap *m)
{
    for (size_t i = 0; i < m->cap; i++)
        free(m->slots[i].key);
    free(m->slots);
    xsirt_strmap_init(m);
}

static xsirt_strmap_slot *strmap_find(const xsirt_strmap *m, const char *s, size_t len,
                                      uint64_t h)
{
    size_t i = (size_t)h & (m->cap - 1);

    for (;;) {
        xsirt_strmap_slot *slot = &m->slots[i];
        if (slot->key == NULL ||
            (slot->hash == h && slot->len == len && memcmp(slot->key, s, len) == 0))
            return slot;
        i = (i + 1) & (m->cap - 1);
    }
}

static int strmap_grow(xsirt_strmap *m)
{
    size_t cap = m->cap ? m->cap * 2 : 64;
    xsirt_strmap old = *m;

    if ((m->slots = xsirt_alloc_array(cap, sizeof *m->slots)) == NULL) {
        *m = old;
        return XSIRT_ENOMEM;
    }
    m->cap = cap;
    for (size_t i = 0; i < old.cap; i++)
        if (old.slots[i].key != NULL)
            *strmap_find(m, old.slots[i].key, old.slots[i].len, old.slots[i].hash) =
                old.slots[i];
    free(old.slots);
    return 0;
}

int xsirt_strmap_put(xsirt_strmap *m, const char *s, size_t len, uint32_t value,
                     uint32_t *stored, bool *found)
{
    uint64_t h = xsirt_strmap_hash(s, len);
    xsirt_strmap_slot *slot;
    int rc;

    if ((m->count + 1) * 2 > m->cap) {
        if (m->count >= STRMAP_MAX_ENTRIES)
            return XSIRT_ELIMIT;
        if ((rc = strmap_grow(m)) != 0)
            return rc;
    }
    slot = strmap_find(m, s, len, h);
    if (slot->key != NULL) {
        if (stored != NULL)
            *stored = slot->value;
        if (found != NULL)
            *found = true;
        return 0;
    }
    if ((slot->key = malloc(len + 1)) == NULL)
        return XSIRT_ENOMEM;
    memcpy(slot->key, s, len);
    slot->key[len] = '\0';
    slot->len = len;
    slot->hash = h;
    slot->value = value;
    m->count++;
    if (stored != NULL)
        *stored = value;
    if (found != NULL)
        *found = false;
    return 0;
}

bool xsirt_strmap_get(const xsirt_strmap *m, const char *s, size_t len, uint32_t *value)
{
    const xsirt_strmap_slot *slot;

    if (m->cap == 0)
        return false;
    slot = strmap_find(m, s, len, xsirt_strmap_hash(s, len));
    if (slot->key == NULL)
        return false;
    if (value != NULL)
        *value = slot->value;
    return true;
}
