/*
 * index_format.h — the on-disk layout of an xsirt index (docs/matching.md).
 *
 * One flat image: a header, then seven sections, each 8-byte aligned:
 *   strings   NUL-terminated strings; a reference is a byte offset (0 is "")
 *   records   XSIRT_IX_RECORD_SIZE bytes each
 *   keys      sorted by key string: first posting and count
 *   hash      the keys again, by hash: n_hash slots (a power of two, at least
 *             twice the keys), each a key or empty (count 0), linear probing
 *             from xsirt_strmap_hash(key) & (n_hash - 1) (FNV-1a, 64 bits)
 *   postings  per key, sorted by record: what range or versions match
 *   refs      arrays of string references (aliases, severities, fixed, versions)
 *             and of record numbers (alias records)
 *   docs      the original documents, concatenated
 * Integers are little-endian (the header's endian mark is checked); fields are
 * read with memcpy, so the image need not be aligned in memory.
 */
#ifndef XSIRT_MATCH_INDEX_FORMAT_H
#define XSIRT_MATCH_INDEX_FORMAT_H

#include <stdint.h>

#define XSIRT_IX_MAGIC "XSIRTIX\n"
#define XSIRT_IX_VERSION 4u   /* 2: lists sorted, ranges as constraints, scores;
                               * 3: keys by hash, alias records;
                               * 4: CISA products by name ("n:", "a:", "f:"
                               * keys, firmware ranges) */
#define XSIRT_IX_ENDIAN 0x01020304u

typedef struct xsirt_ix_header {
    char magic[8];
    uint32_t version;
    uint32_t endian;
    uint64_t file_size;
    uint32_t n_records, n_keys, n_postings, n_refs;
    uint64_t off_strings, len_strings;
    uint64_t off_records, off_keys, off_postings, off_refs;
    uint64_t off_docs, len_docs;
    uint32_t info;        /* string: the JSON counts */
    uint32_t n_hash;      /* slots of the key hash table */
    uint64_t off_hash;
} xsirt_ix_header;

/* Record flags (the low byte is the xsirt_vuln_format). */
#define XSIRT_IX_WITHDRAWN 0x100u
#define XSIRT_IX_KEV 0x200u
#define XSIRT_IX_EPSS 0x400u

typedef struct xsirt_ix_record {
    uint32_t id, aliases, n_aliases, summary;
    uint32_t severities, n_severities;   /* refs: type, vector, type, vector, ... */
    uint32_t fixed, n_fixed;
    uint32_t flags, modified;
    double epss;
    double score;         /* highest CVSS base score of its vectors; -1 when none */
    uint64_t doc_off, doc_len;
    uint32_t alias_records, n_alias_records; /* refs holding record numbers, not
                                              * strings: the records whose id is
                                              * one of its aliases (dedupe) */
} xsirt_ix_record;

typedef struct xsirt_ix_key {
    uint32_t key;         /* string: "p:SCHEME/NAME" or "c:VENDOR:PRODUCT" */
    uint32_t first, count;
    uint32_t hash;        /* low half of the key string's hash */
} xsirt_ix_key;


/* Posting kinds. */
#define XSIRT_IX_RANGE 1u        /* range is a vers string, and list/n_list its
                                  * constraints in order, each the operator's code
                                  * ('0' + xsirt_vers_op) then the decoded version */
#define XSIRT_IX_EXACT 2u        /* list/n_list: exact versions */
#define XSIRT_IX_NOT_AFFECTED 4u /* CSAF fixed / not affected: cancels a match */
#define XSIRT_IX_BY_CPE 8u       /* matched by CPE rather than package */
#define XSIRT_IX_ENUMERATED 16u  /* an OSV versions list beside ranges of the same package:
                                  * compared as text only (the ranges decide the rest) */
#define XSIRT_IX_OF_WITHDRAWN 32u /* the record is withdrawn: never matches (the scanner
                                   * need not read the record to know) */
#define XSIRT_IX_BY_NAME 64u      /* a product named without identifiers, under
                                   * "n:VENDOR:PRODUCT" (exact), "a:" (without
                                   * remarks) or "f:" (family); source is
                                   * "VENDOR:PRODUCT" normalised (name.h) */

typedef struct xsirt_ix_posting {
    uint32_t record;
    uint32_t kind;
    uint32_t range;       /* string: vers (RANGE) */
    uint32_t list, n_list;/* refs: EXACT versions, sorted ASCII case-insensitively then
                           * by bytes; RANGE constraints */
    uint32_t source;      /* string: OSV ecosystem, CPE, purl as the source gave it */
    uint32_t scheme;      /* string: the version scheme ("pypi", "generic") */
    uint32_t reserved;
} xsirt_ix_posting;

#endif
