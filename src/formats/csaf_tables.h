/*
 * csaf_tables.h — data the CSAF tests look things up in (csaf_tables.c,
 * generated from the reference validator's copies so that both judge with
 * the same edition): MITRE's CWE list and IANA's language subtag registry.
 */
#ifndef XSIRT_FORMATS_CSAF_TABLES_H
#define XSIRT_FORMATS_CSAF_TABLES_H

#include <stddef.h>

typedef struct csaf_cwe {
    unsigned id;        /* CWE-<id> */
    const char *name;
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
    const char *subtag;   /* lower case; a range is "qaa..qtz" */
    const char *prefix;   /* the registry's Prefix fields, lower case, space-separated */
} csaf_subtag;

/* Sorted by type, then subtag. */
extern const csaf_subtag csaf_subtags[];
extern const size_t csaf_subtags_count;

#endif
