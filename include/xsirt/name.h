/*
 * name.h — vendor and product names normalised for matching without
 * identifiers: CISA's ICS advisories name devices only by vendor, product
 * name and version, and an asset inventory writes them its own way
 * ("Mitsubishi Electric Corporation", "MITSUBISHI ELECTRIC", "三菱電機株式会社").
 *
 * A vendor name is NFKC-normalised (libunistring), case-folded, its punctuation
 * turned into spaces, its legal suffixes dropped ("Inc.", "Co., Ltd.",
 * "AG", "GmbH", "K.K.", "株式会社", ...), and then looked up in an alias
 * table (data/vendor-aliases.tsv, built in; callers may add pairs). A
 * product name is NFKC-normalised, case-folded, and every run of
 * characters that are not letters or digits is one space. Families
 * ("SIMATIC S7-1500 CPU family (incl. SIPLUS variants)") are described by
 * xsirt_name_product_forms. The rules are in docs/matching.md, "Identity
 * without identifiers". Nothing here does I/O.
 */
#ifndef XSIRT_NAME_H
#define XSIRT_NAME_H

#include <stddef.h>

#include "common.h"
#include "error.h"

/* A text in one form for searching (the knowledge base): NFKC and case
 * folded, so that full-width letters and digits (ＳＢＯＭ), half-width
 * katakana (ﾗﾝｻﾑ) and case match their usual forms. *out is malloc'd;
 * XSIRT_EINVAL when in is not UTF-8. */
XSIRT_API int xsirt_name_fold(char **out, const char *in, size_t len, xsirt_error *err);

typedef struct xsirt_name_aliases xsirt_name_aliases;

/* The built-in alias table (XSIRT_EINTERNAL if it does not parse). */
XSIRT_API int xsirt_name_aliases_new(xsirt_name_aliases **out, xsirt_error *err);
/* Adds ALIAS<TAB>CANONICAL lines ('#' comments, blank lines) from text;
 * errors name the line. */
XSIRT_API int xsirt_name_aliases_add(xsirt_name_aliases *a, const char *text, size_t len,
                                     xsirt_error *err);
XSIRT_API void xsirt_name_aliases_free(xsirt_name_aliases *a);

/* The normalised vendor (malloc'ed; "" when nothing is left). aliases may
 * be NULL (no table). XSIRT_EINVAL for text that is not UTF-8. */
XSIRT_API int xsirt_name_vendor(char **out, const char *vendor, const xsirt_name_aliases *aliases,
                                xsirt_error *err);
/* The normalised product (malloc'ed). */
XSIRT_API int xsirt_name_product(char **out, const char *product, xsirt_error *err);

/* The names an advisory's product is indexed under: the normalised name
 * (*exact), the name without its parenthesised remarks when it has some
 * (*bare, else NULL: "SIPLUS NET CP 443-1 Advanced (6AG1443-1GX30-4XE0)"),
 * and, when the name without remarks ends in "family", "series", "product
 * family" or "products", the family prefix (*family, else NULL: the words
 * before; a device whose normalised name starts with them belongs to it).
 * All malloc'ed. */
XSIRT_API int xsirt_name_product_forms(char **exact, char **bare, char **family,
                                       const char *product, xsirt_error *err);

#endif
