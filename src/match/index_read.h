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

#include "match/index_format.h"
#include "xsirt/match.h"

const char *xsirt_ix_str(const xsirt_match_index *idx, uint32_t off);
bool xsirt_ix_record_at(const xsirt_match_index *idx, size_t i, xsirt_ix_record *out);
bool xsirt_ix_posting_at(const xsirt_match_index *idx, size_t i, xsirt_ix_posting *out);
/* Whether a list of n references from first lies inside the table (a
 * corrupted count must not make a caller loop billions of times). */
bool xsirt_ix_list_ok(const xsirt_match_index *idx, uint32_t first, uint32_t n);
/* The string of reference first + i of a list of n. */
const char *xsirt_ix_ref(const xsirt_match_index *idx, uint32_t first, uint32_t n, uint32_t i);
/* Entry i of the list as a number (record numbers); UINT32_MAX out of range. */
uint32_t xsirt_ix_ref_value(const xsirt_match_index *idx, uint32_t first, uint32_t n, uint32_t i);
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
