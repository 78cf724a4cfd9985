/*
 * fuzz_version_a.c — the semver, npm, pypi, golang, cargo, maven and nuget
 * version schemes on hostile input.
 *
 * The input is split at the first tab or newline into two versions A and
 * B (B = A when there is none); under every scheme we validate both and
 * compare them both ways, and trap when an ordering law breaks: compare
 * must agree with validate, be antisymmetric (cmp(A,B) == -cmp(B,A)) and
 * reflexive (cmp(A,A) == 0), and answer only -1, 0 or 1; parsed versions
 * must agree (version_parsed.h).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xsirt/error.h"
#include "xsirt/limits.h"
#include "version_parsed.h"
#include "xsirt/version.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const fuzz_schemes[] = {"semver", "npm", "pypi", "golang",
                                           "cargo", "maven", "nuget"};

/* A NUL-terminated copy, cut just past the version limit so the limit
 * path is exercised too; NULs inside end the string early, as in C. */
static char *fuzz_copy(const uint8_t *p, size_t n)
{
    char *s;

    if (n > XSIRT_LIMIT_VERSION + 1)
        n = XSIRT_LIMIT_VERSION + 1;
    if ((s = malloc(n + 1)) == NULL)
        abort();
    memcpy(s, p, n);
    s[n] = '\0';
    return s;
}

static void fuzz_scheme(const xsirt_version_scheme *s, const char *a, const char *b)
{
    xsirt_error err;
    int ab = 7, ba = 7, aa = 7;
    int va = xsirt_version_validate(s, a, &err) == 0;
    int vb = xsirt_version_validate(s, b, &err) == 0;
    int rab = xsirt_version_compare(&ab, s, a, b, &err);
    int rba = xsirt_version_compare(&ba, s, b, a, &err);

    if ((rab == 0) != (va && vb) || (rba == 0) != (va && vb))
        __builtin_trap();
    if (rab == 0 && (ab < -1 || ab > 1 || ab != -ba))
        __builtin_trap();
    if (va && (xsirt_version_compare(&aa, s, a, a, &err) != 0 || aa != 0))
        __builtin_trap();
    fuzz_parsed_agrees(s, a, b, rab, ab);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t cut = 0;
    char *a, *b;

    while (cut < size && data[cut] != '\t' && data[cut] != '\n')
        cut++;
    a = fuzz_copy(data, cut);
    b = cut < size ? fuzz_copy(data + cut + 1, size - cut - 1) : fuzz_copy(data, cut);
    for (size_t k = 0; k < sizeof fuzz_schemes / sizeof fuzz_schemes[0]; k++)
        fuzz_scheme(xsirt_version_scheme_find(fuzz_schemes[k]), a, b);
    free(a);
    free(b);
    return 0;
}
