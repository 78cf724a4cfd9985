/*
 * csaf_langtag.h — BCP 47 language tags as the CSAF tests judge them
 * (6.1.12 valid tag, 6.2.14 private-use language): the tag's syntax, then
 * its subtags against IANA's registry (csaf_tables.c), with the reference
 * validator's rules (an extlang or variant must follow one of its
 * registered prefixes; extensions only t and u, each once).
 */
#ifndef XSIRT_FORMATS_CSAF_LANGTAG_H
#define XSIRT_FORMATS_CSAF_LANGTAG_H

#include <stdbool.h>

/* Whether tag is well-formed and every subtag is registered. */
bool csaf_langtag_valid(const char *tag);

/* Whether tag is well-formed and its language, script or region is one of
 * the registry's private-use subtags (qaa..qtz, Qaaa..Qabx, AA, QM..QZ,
 * XA..XZ, ZZ). */
bool csaf_langtag_private(const char *tag);

#endif
