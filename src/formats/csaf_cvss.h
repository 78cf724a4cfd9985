/*
 * csaf_cvss.h — the metric properties of FIRST's CVSS 2.0 and 3.x JSON
 * schemas against the vector's abbreviations, for the CSAF tests that
 * compare a CVSS object with its vector (6.1.10) or rebuild a vector from
 * its properties (6.2.19).
 */
#ifndef XSIRT_FORMATS_CSAF_CVSS_H
#define XSIRT_FORMATS_CSAF_CVSS_H

#include <stdbool.h>
#include <stddef.h>

/* A metric: its schema property, its abbreviation in the vector, and its
 * values as "SCHEMA_WORD=abbreviation,..." pairs. */
typedef struct csaf_cvss_metric {
    const char *property, *abbr, *values;
} csaf_cvss_metric;

/* In the specification's order (base metrics first: 8 in 3.x, 6 in 2.0),
 * terminated by an entry of NULLs. */
extern const csaf_cvss_metric csaf_cvss_v3_metrics[];
extern const csaf_cvss_metric csaf_cvss_v2_metrics[];
#define CSAF_CVSS_V3_BASE 8
#define CSAF_CVSS_V2_BASE 6

/* The schema word of abbreviation abbr[0..alen) in a values list, copied
 * into out; false when the list has no such abbreviation. */
bool csaf_cvss_word(char *out, size_t outsz, const char *values, const char *abbr, size_t alen);

/* The abbreviation of a schema word, copied into out; false when none. */
bool csaf_cvss_abbr(char *out, size_t outsz, const char *values, const char *word);

#endif
