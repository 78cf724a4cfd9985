/*
 * csaf_tables.h — data the CSAF tests look things up in (csaf_tables.c,
 * generated from the reference validator's copies so that both judge with
 * the same edition): MITRE's CWE list and IANA's language subtag registry.
 * Rows name their strings by offset into csaf_strings rather than by
 * pointer, so that the loader has nothing to relocate in them: they stay
 * in read-only pages that are not touched at start-up.
 */
#ifndef XSIRT_FORMATS_CSAF_TABLES_H
#define XSIRT_FORMATS_CSAF_TABLES_H

#include <stddef.h>
#include <stdint.h>

/* Every string of the tables, NUL-terminated, one after another. */
extern const char csaf_strings[];

static inline const char *csaf_text(uint32_t offset)
{
    return csaf_strings + offset;
}

typedef struct csaf_cwe {
    unsigned id;        /* CWE-<id> */
    uint32_t name;      /* csaf_text */
} csaf_cwe;

/* Sorted by id. */
extern const csaf_cwe csaf_cwes[];
extern const size_t csaf_cwes_count;

enum csaf_subtag_type {
    CSAF_SUBTAG_LANGUAGE, CSAF_SUBTAG_EXTLANG, CSAF_SUBTAG_SCRIPT, CSAF_SUBTAG_REGION,
    CSAF_SUBTAG_VARIANT
};

typedef struct csaf_subtag {
    int type;             /* enum csaf_subtag_type */
    uint32_t subtag;      /* csaf_text: lower case; a range is "qaa..qtz" */
    uint32_t prefix;      /* csaf_text: the registry's Prefix fields, lower case,
                           * space-separated */
} csaf_subtag;

/* Sorted by type, then subtag. */
extern const csaf_subtag csaf_subtags[];
extern const size_t csaf_subtags_count;

#endif
