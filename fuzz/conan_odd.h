/*
 * conan_odd.h — for the vers fuzz targets: the conan scheme, like Conan's
 * own Version class, is not transitive for versions with an item (between
 * '.', '-', '+') that is empty or mixes digits with anything else, so the
 * canonical order of a range holding one may differ between two sorts.
 * Targets check conan ranges only when neither the range (conan_odd) nor,
 * for native syntax, the text it came from (conan_odd_text) holds one: a
 * version dropped by simplification has still been sorted with the rest.
 */
#ifndef XSIRT_FUZZ_CONAN_ODD_H
#define XSIRT_FUZZ_CONAN_ODD_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "xsirt/vers.h"

/* p[0..n) has an item that is empty or mixes digits with anything else. */
static inline bool conan_odd_version(const char *p, size_t n)
{
    size_t len = 0;
    int kind = 0;   /* 1 digits, 2 letters */

    for (size_t i = 0; i <= n; i++) {
        int c = i < n ? (unsigned char)p[i] : '\0';
        if (c == '.' || c == '-' || c == '+' || c == '\0') {
            if (len == 0)
                return true;
            len = 0;
            kind = 0;
            continue;
        }
        int k = (c >= '0' && c <= '9') ? 1
                : ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) ? 2 : 3;
        if (k == 3 || (kind != 0 && k != kind))
            return true;
        kind = k;
        len++;
    }
    return false;
}

/* Some version of the range is odd. */
static inline bool conan_odd(const xsirt_vers *v)
{
    for (size_t i = 0; i < v->count; i++) {
        const char *p = v->constraints[i].version;
        if (p != NULL && conan_odd_version(p, strlen(p)))
            return true;
    }
    return false;
}

/* Some word of a native range text (between operators, spaces and
 * brackets) is an odd version. */
static inline bool conan_odd_text(const char *s)
{
    static const char seps[] = " \t|,<>=!~^()[]*";

    while (*s != '\0') {
        size_t n = strcspn(s, seps);
        if (n > 0 && conan_odd_version(s, n))
            return true;
        s += n;
        s += strspn(s, seps);
    }
    return false;
}

#endif
