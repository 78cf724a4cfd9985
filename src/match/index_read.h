/*
 * index_read.h — checked access to an opened index image, internal to the
 * matching engine (the scanner and the record accessors use it).
 *
 * Every accessor bounds-checks what it reads: a reference out of range
 * gives "" (strings) or false, never a read outside the image.
 */
#ifndef XSIRT_MATCH_INDEX_READ_H
#define XSIRT_MATCH_INDEX_READ_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "match/index_format.h"
#include "xsirt/match.h"

/* An opened image. Here rather than in index_read.c so that the accessors
 * below, called for every posting a scan visits, can be inlined. */
struct xsirt_match_index {
    const unsigned char *data;
    size_t len;
    xsirt_ix_header h;
};

static inline const char *xsirt_ix_str(const xsirt_match_index *idx, uint32_t off)
{
    if (off >= idx->h.len_strings)
        return "";
    return (const char *)idx->data + idx->h.off_strings + off;
}

static inline bool xsirt_ix_record_at(const xsirt_match_index *idx, size_t i,
                                      xsirt_ix_record *out)
{
    if (i >= idx->h.n_records)
        return false;
    memcpy(out, idx->data + idx->h.off_records + i * sizeof *out, sizeof *out);
    return true;
}

static inline bool xsirt_ix_posting_at(const xsirt_match_index *idx, size_t i,
                                       xsirt_ix_posting *out)
{
    if (i >= idx->h.n_postings)
        return false;
    memcpy(out, idx->data + idx->h.off_postings + i * sizeof *out, sizeof *out);
    return true;
}

/* Whether a list of n references from first lies inside the table (a
 * corrupted count must not make a caller loop billions of times). */
static inline bool xsirt_ix_list_ok(const xsirt_match_index *idx, uint32_t first, uint32_t n)
{
    return n == 0 || (first < idx->h.n_refs && n <= idx->h.n_refs - first);
}

/* Entry i of the list as a number (record numbers); UINT32_MAX out of range. */
static inline uint32_t xsirt_ix_ref_value(const xsirt_match_index *idx, uint32_t first,
                                          uint32_t n, uint32_t i)
{
    uint32_t r;

    if (i >= n || first >= idx->h.n_refs || i >= idx->h.n_refs - first)
        return UINT32_MAX;
    memcpy(&r, idx->data + idx->h.off_refs + ((size_t)first + i) * sizeof r, sizeof r);
    return r;
}

/* The string of reference first + i of a list of n. */
static inline const char *xsirt_ix_ref(const xsirt_match_index *idx, uint32_t first, uint32_t n,
                                       uint32_t i)
{
    uint32_t r = xsirt_ix_ref_value(idx, first, n, i);

    return r == UINT32_MAX ? "" : xsirt_ix_str(idx, r);
}

/* The entry of a version list (sorted as the builder sorts them) equal to
 * s, ASCII case-insensitively when any_case; NULL when none. */
const char *xsirt_ix_list_find(const xsirt_match_index *idx, uint32_t first, uint32_t n,
                               const char *s, bool any_case);
/* The postings of key: [*first, *first + *count). False when absent. */
bool xsirt_ix_find(const xsirt_match_index *idx, const char *key, uint32_t *first,
                   uint32_t *count);
size_t xsirt_ix_postings(const xsirt_match_index *idx);
/* Key i's text, "" out of range. */
const char *xsirt_ix_key_at(const xsirt_match_index *idx, size_t i, uint32_t *first,
                            uint32_t *count);

#endif
