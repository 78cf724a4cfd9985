/*
 * fuzz_vers.c — vers parsing as a property test: the canonical form of any
 * accepted range must itself be canonical (strict parsing accepts it and
 * renders it unchanged) and canonicalising it again must change nothing.
 * Containment of each constraint's own version must agree between the
 * lenient-then-simplified range and its canonical re-parse. conan ranges
 * with versions its order is not transitive for are skipped (conan_odd.h).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conan_odd.h"
#include "xsirt/vers.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    xsirt_vers a, b;
    char *c1 = NULL, *c2 = NULL, *c3 = NULL;

    if (xsirt_vers_parse(&a, (const char *)data, size, XSIRT_VERS_LENIENT, NULL) != 0)
        return 0;
    if (xsirt_vers_simplify(&a, NULL) != 0 || a.count == 0 ||
        (strcmp(a.type, "conan") == 0 && conan_odd(&a))) {
        xsirt_vers_free(&a);
        return 0;
    }
    if (xsirt_vers_to_string(&c1, &a, NULL) != 0)
        __builtin_trap();
    if (xsirt_vers_parse(&b, c1, strlen(c1), 0, NULL) != 0)
        __builtin_trap();
    if (xsirt_vers_to_string(&c2, &b, NULL) != 0 || strcmp(c1, c2) != 0)
        __builtin_trap();
    if (xsirt_vers_canonical(&c3, c1, strlen(c1), NULL) != 0 || strcmp(c1, c3) != 0)
        __builtin_trap();
    for (size_t i = 0; i < a.count; i++) {
        bool x = false, y = false;
        const char *v = a.constraints[i].version;
        if (v == NULL)
            continue;
        /* A version the scheme rejects is an error on both sides. */
        int ra = xsirt_vers_contains(&x, &a, v, NULL), rb = xsirt_vers_contains(&y, &b, v, NULL);
        if (ra != rb || (ra == 0 && x != y))
            __builtin_trap();
    }
    free(c1);
    free(c2);
    free(c3);
    xsirt_vers_free(&a);
    xsirt_vers_free(&b);
    return 0;
}
