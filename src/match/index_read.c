/*
 * index_read.c — opens an index image in place and reads it with checks
 * (see index_format.h).
 *
 * Opening validates the header and that every section lies inside the
 * image, which is all a load costs; the rest is checked where it is read
 * (each reference against its section), so a corrupted or hostile file
 * can give wrong answers or errors but never reads outside the image.
 */
#include <stdlib.h>
#include <string.h>

#include "core/checked.h"
#include "core/str.h"
#include "match/index_read.h"
#include "match/strmap.h"
#include "xsirt/match.h"

static bool ix_section(const xsirt_match_index *idx, uint64_t off, uint64_t count,
                       uint64_t size)
{
    uint64_t bytes, end;

    return !__builtin_mul_overflow(count, size, &bytes) &&
           !__builtin_add_overflow(off, bytes, &end) && off >= sizeof idx->h &&
           end <= idx->len;
}

static int ix_bad(xsirt_error *err, const char *what)
{
    return xsirt_error_set(err, XSIRT_EINVAL, "not a valid xsirt index: %s", what);
}

int xsirt_match_index_open(xsirt_match_index **out, const void *data, size_t len,
                           xsirt_error *err)
{
    xsirt_match_index *idx;
    const xsirt_ix_header *h;

    *out = NULL;
    if ((idx = calloc(1, sizeof *idx)) == NULL)
        return xsirt_error_set(err, XSIRT_ENOMEM, "index: out of memory");
    idx->data = data;
    idx->len = len;
    h = &idx->h;
    if (len < sizeof idx->h || memcmp(data, XSIRT_IX_MAGIC, 8) != 0) {
        free(idx);
        return ix_bad(err, "no xsirt index header (build one with 'xsirt db build')");
    }
    memcpy(&idx->h, data, sizeof idx->h);
    if (h->endian != XSIRT_IX_ENDIAN) {
        free(idx);
        return ix_bad(err, "written on a machine of another byte order");
    }
    if (h->version != XSIRT_IX_VERSION) {
        unsigned version = h->version;
        free(idx);
        return xsirt_error_set(err, XSIRT_EUNSUPPORTED,
                               "index format version %u, this xsirt reads version %u "
                               "(rebuild it with 'xsirt db build')",
                               version, XSIRT_IX_VERSION);
    }
    if (h->file_size != len) {
        free(idx);
        return ix_bad(err, "truncated or extended (size differs from the header's)");
    }
    if (!ix_section(idx, h->off_strings, h->len_strings, 1) || h->len_strings == 0 ||
        ((const char *)data)[h->off_strings + h->len_strings - 1] != '\0' ||
        ((const char *)data)[h->off_strings] != '\0') {
        free(idx);
        return ix_bad(err, "string table out of bounds");
    }
    if (!ix_section(idx, h->off_records, h->n_records, sizeof(xsirt_ix_record)) ||
        !ix_section(idx, h->off_keys, h->n_keys, sizeof(xsirt_ix_key)) ||
        !ix_section(idx, h->off_postings, h->n_postings, sizeof(xsirt_ix_posting)) ||
        !ix_section(idx, h->off_refs, h->n_refs, sizeof(uint32_t)) ||
        !ix_section(idx, h->off_hash, h->n_hash, sizeof(xsirt_ix_key)) ||
        !ix_section(idx, h->off_docs, h->len_docs, 1)) {
        free(idx);
        return ix_bad(err, "a table lies outside the file");
    }
    if (h->n_hash == 0 || (h->n_hash & (h->n_hash - 1)) != 0) {
        free(idx);
        return ix_bad(err, "key hash table size is not a power of two");
    }
    *out = idx;
    return 0;
}

void xsirt_match_index_close(xsirt_match_index *idx)
{
    free(idx);
}

size_t xsirt_ix_postings(const xsirt_match_index *idx)
{
    return idx->h.n_postings;
}

const char *xsirt_ix_list_find(const xsirt_match_index *idx, uint32_t first, uint32_t n,
                               const char *s, bool any_case)
{
    uint32_t lo = 0, hi = n;

    if (!xsirt_ix_list_ok(idx, first, n))
        return NULL;
    /* Above the last entry: not there. The search below would say so too,
     * after a string compared at each of its steps, each a read somewhere
     * in the index; a component at a newer version than every one a record
     * lists (the usual case in a maintained project) is decided by one. */
    if (n == 0 || xsirt_ascii_casecmp(xsirt_ix_ref(idx, first, n, n - 1), s) < 0)
        return NULL;
    /* The first entry not below s case-insensitively, then every entry
     * equal to it that way: one of them may be equal byte for byte. A
     * corrupted image that is not sorted only makes this miss. */
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (xsirt_ascii_casecmp(xsirt_ix_ref(idx, first, n, mid), s) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (; lo < n; lo++) {
        const char *e = xsirt_ix_ref(idx, first, n, lo);
        if (xsirt_ascii_casecmp(e, s) != 0)
            break;
        if (any_case || strcmp(e, s) == 0)
            return e;
    }
    return NULL;
}

static bool ix_key(const xsirt_match_index *idx, size_t i, xsirt_ix_key *k)
{
    if (i >= idx->h.n_keys)
        return false;
    memcpy(k, idx->data + idx->h.off_keys + i * sizeof *k, sizeof *k);
    return true;
}

const char *xsirt_ix_key_at(const xsirt_match_index *idx, size_t i, uint32_t *first,
                            uint32_t *count)
{
    xsirt_ix_key k;

    *first = 0;
    *count = 0;
    if (!ix_key(idx, i, &k))
        return "";
    if (k.first <= idx->h.n_postings && k.count <= idx->h.n_postings - k.first) {
        *first = k.first;
        *count = k.count;
    }
    return xsirt_ix_str(idx, k.key);
}

/* The key's slot in the hash section, then linear probing; in a damaged
 * image the probe still ends (after n_hash slots at most) and a key whose
 * text differs never matches. */
bool xsirt_ix_find(const xsirt_match_index *idx, const char *key, uint32_t *first,
                   uint32_t *count)
{
    size_t len = strlen(key), mask = (size_t)idx->h.n_hash - 1;
    uint64_t hash = xsirt_strmap_hash(key, len);
    const unsigned char *slots = idx->data + idx->h.off_hash;

    *first = *count = 0;
    for (size_t n = 0, k = (size_t)hash & mask; n <= mask; n++, k = (k + 1) & mask) {
        xsirt_ix_key e;
        memcpy(&e, slots + k * sizeof e, sizeof e);
        if (e.count == 0)
            return false;
        if (e.hash == (uint32_t)hash && strcmp(xsirt_ix_str(idx, e.key), key) == 0) {
            if (e.first > idx->h.n_postings || e.count > idx->h.n_postings - e.first)
                return false;
            *first = e.first;
            *count = e.count;
            return true;
        }
    }
    return false;
}

const char *xsirt_match_index_info(const xsirt_match_index *idx)
{
    return xsirt_ix_str(idx, idx->h.info);
}

size_t xsirt_match_index_records(const xsirt_match_index *idx)
{
    return idx->h.n_records;
}

size_t xsirt_match_index_keys(const xsirt_match_index *idx)
{
    return idx->h.n_keys;
}

/* How many strings a list of n references gives taking every stride-th;
 * 0 when it lies outside the table (a damaged image: treated as empty). */
static size_t ix_count(const xsirt_match_index *idx, uint32_t first, uint32_t n, uint32_t stride)
{
    if (first >= idx->h.n_refs || n > idx->h.n_refs - first)
        return 0;
    return n / stride;
}

/* Fills out[0..count) from the list, every stride-th from at. */
static void ix_fill(const char **out, size_t count, const xsirt_match_index *idx, uint32_t first,
                    uint32_t n, uint32_t stride, uint32_t at)
{
    for (size_t i = 0; i < count; i++)
        out[i] = xsirt_ix_ref(idx, first, n, (uint32_t)(i * stride + at));
}

void xsirt_match_record_clear(xsirt_match_record *rec)
{
    free(rec->aliases);   /* the one block behind all four arrays */
    memset(rec, 0, sizeof *rec);
}

int xsirt_match_record_get(xsirt_match_record *out, const xsirt_match_index *idx, size_t index,
                           xsirt_error *err)
{
    xsirt_ix_record r;
    size_t na, ns, nf;
    const char **block;

    memset(out, 0, sizeof *out);
    if (!xsirt_ix_record_at(idx, index, &r))
        return xsirt_error_set(err, XSIRT_ENOTFOUND, "index: no record %zu", index);
    out->index = index;
    out->format = (xsirt_vuln_format)(r.flags & 0xffu);
    out->id = xsirt_ix_str(idx, r.id);
    out->summary = xsirt_ix_str(idx, r.summary);
    out->modified = xsirt_ix_str(idx, r.modified);
    out->withdrawn = (r.flags & XSIRT_IX_WITHDRAWN) != 0;
    out->kev = (r.flags & XSIRT_IX_KEV) != 0;
    out->has_epss = (r.flags & XSIRT_IX_EPSS) != 0 && r.epss >= 0 && r.epss <= 1;
    out->epss = out->has_epss ? r.epss : 0;
    out->score = r.score >= 0 && r.score <= 10 ? r.score : -1;
    /* One allocation for aliases, severity types, vectors and fixed
     * versions (counts are bounded by the reference table). */
    na = ix_count(idx, r.aliases, r.n_aliases, 1);
    ns = ix_count(idx, r.severities, r.n_severities, 2);
    nf = ix_count(idx, r.fixed, r.n_fixed, 1);
    if ((block = xsirt_alloc_array(na + 2 * ns + nf, sizeof *block)) == NULL)
        return xsirt_error_set(err, XSIRT_ENOMEM, "index: out of memory");
    out->aliases = block;
    out->severity_types = block + na;
    out->severity_vectors = block + na + ns;
    out->fixed = block + na + 2 * ns;
    out->n_aliases = na;
    out->n_severities = ns;
    out->n_fixed = nf;
    ix_fill(out->aliases, na, idx, r.aliases, r.n_aliases, 1, 0);
    ix_fill(out->severity_types, ns, idx, r.severities, r.n_severities, 2, 0);
    ix_fill(out->severity_vectors, ns, idx, r.severities, r.n_severities, 2, 1);
    ix_fill(out->fixed, nf, idx, r.fixed, r.n_fixed, 1, 0);
    if (r.doc_off <= idx->h.len_docs && r.doc_len <= idx->h.len_docs - r.doc_off) {
        out->document = (const char *)idx->data + idx->h.off_docs + r.doc_off;
        out->document_len = (size_t)r.doc_len;
    }
    return 0;
}

int xsirt_match_record_find(size_t *out, const xsirt_match_index *idx, const char *id,
                            xsirt_error *err)
{
    for (size_t i = 0; i < idx->h.n_records; i++) {
        xsirt_ix_record r;
        if (!xsirt_ix_record_at(idx, i, &r))
            break;
        if (strcmp(xsirt_ix_str(idx, r.id), id) == 0) {
            *out = i;
            return 0;
        }
        if (!xsirt_ix_list_ok(idx, r.aliases, r.n_aliases))
            continue;
        for (uint32_t j = 0; j < r.n_aliases; j++)
            if (strcmp(xsirt_ix_ref(idx, r.aliases, r.n_aliases, j), id) == 0) {
                *out = i;
                return 0;
            }
    }
    return xsirt_error_set(err, XSIRT_ENOTFOUND, "no record %s in the index", id);
}
