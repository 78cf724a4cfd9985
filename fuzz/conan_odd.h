/*
 * conan_odd.h — for the vers fuzz targets: the conan scheme, like Conan's
 * own Version class, is not transitive for versions with an item (between
 * '.', '-', '+') that is empty or mixes digits with anything else, so the
 * canonical order of a range holding one may differ between two sorts.
 * Targets check conan ranges only when conan_odd() is false.
 */
#ifndef XSIRT_FUZZ_CONAN_ODD_H
#define XSIRT_FUZZ_CONAN_ODD_H

#include <stdbool.h>
#include <stddef.h>

#include "xsirt/vers.h"

/* Some version has an item (between '.', '-', '+') that is empty or mixes
 * digits with anything else. */
static inline bool conan_odd(const xsirt_vers *v)
{
    for (size_t i = 0; i < v->count; i++) {
        const char *p = v->constraints[i].version;
        size_t len = 0;
        int kind = 0;   /* 1 digits, 2 letters */
        for (;; p++) {
            int c = p != NULL ? *p : '\0';
            if (c == '.' || c == '-' || c == '+' || c == '\0') {
                if (len == 0 && p != NULL)
                    return true;
                if (c == '\0')
                    break;
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
    }
    return false;
}

#endif
