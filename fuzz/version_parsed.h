/*
 * version_parsed.h — for the version fuzz targets: the parsed path must
 * agree with the string path. Parsing a and b succeeds exactly when they
 * validate, and xsirt_version_cmp of the parsed forms gives what
 * xsirt_version_compare gave (ab, valid when rab is 0).
 */
#ifndef XSIRT_FUZZ_VERSION_PARSED_H
#define XSIRT_FUZZ_VERSION_PARSED_H

#include "xsirt/version.h"

static inline void fuzz_parsed_agrees(const xsirt_version_scheme *s, const char *a,
                                      const char *b, int rab, int ab)
{
    xsirt_version *pa = NULL, *pb = NULL;
    int ra = xsirt_version_parse(&pa, s, a, NULL), rb = xsirt_version_parse(&pb, s, b, NULL);

    if ((ra == 0 && rb == 0) != (rab == 0))
        __builtin_trap();
    if (rab == 0 && xsirt_version_cmp(pa, pb) != ab)
        __builtin_trap();
    xsirt_version_free(pa);
    xsirt_version_free(pb);
}

#endif
