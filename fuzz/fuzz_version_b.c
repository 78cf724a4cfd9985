/*
 * fuzz_version_b.c — the deb, rpm, apk, gem, composer, hex, pub and
 * conan version schemes on hostile input.
 *
 * Input: one byte choosing the scheme, then version A, a newline and
 * version B (B = A without a newline). Besides memory safety, it checks
 * what every ordering promises: a valid version equals itself, validity
 * agrees between validate and compare, and compare(B, A) is the reverse
 * of compare(A, B); parsed versions agree (version_parsed.h).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "version_parsed.h"
#include "xsirt/version.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const fuzz_schemes[] = {"deb", "rpm", "apk", "gem",
                                           "composer", "hex", "pub", "conan"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const xsirt_version_scheme *s;
    const uint8_t *nl;
    char *a, *b;
    size_t alen;
    int ab = 0, ba = 0, aa = 1, va, vb, rab, rba;

    if (size < 1)
        return 0;
    s = xsirt_version_scheme_find(fuzz_schemes[data[0] % 8]);
    if (s == NULL)
        __builtin_trap();
    data++;
    size--;
    nl = memchr(data, '\n', size);
    alen = nl != NULL ? (size_t)(nl - data) : size;
    a = malloc(alen + 1);
    b = malloc(size + 1);
    if (a == NULL || b == NULL) {
        free(a);
        free(b);
        return 0;
    }
    memcpy(a, data, alen);
    a[alen] = '\0';
    if (nl != NULL) {
        memcpy(b, nl + 1, size - alen - 1);
        b[size - alen - 1] = '\0';
    } else {
        memcpy(b, a, alen + 1);
    }
    va = xsirt_version_validate(s, a, NULL);
    vb = xsirt_version_validate(s, b, NULL);
    rab = xsirt_version_compare(&ab, s, a, b, NULL);
    rba = xsirt_version_compare(&ba, s, b, a, NULL);
    if ((rab == 0) != (va == 0 && vb == 0) || (rab == 0) != (rba == 0))
        __builtin_trap();
    if (rab == 0 && (ab != -ba || ab < -1 || ab > 1))
        __builtin_trap();
    if (va == 0 && (xsirt_version_compare(&aa, s, a, a, NULL) != 0 || aa != 0))
        __builtin_trap();
    fuzz_parsed_agrees(s, a, b, rab, ab);
    free(a);
    free(b);
    return 0;
}
