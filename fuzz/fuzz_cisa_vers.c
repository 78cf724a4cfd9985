/*
 * fuzz_cisa_vers.c — CISA's product-version grammar (xsirt_vers_from_cisa)
 * as a property test: the input is "TEXT" or "TEXT<TAB>PRODUCT". Whatever
 * it is, the call returns (an error naming the byte for what it does not
 * understand); a range it gives must be a canonical vers that parses
 * strictly and renders unchanged, over the firmware scheme, and each of
 * its versions must compare with itself as equal (the scheme's
 * reflexivity on what the grammar produced).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xsirt/vers.h"
#include "xsirt/version.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1), *tab, *c1 = NULL, *c2 = NULL;
    const xsirt_version_scheme *fw = xsirt_version_scheme_find("firmware");
    xsirt_vers a, b;
    xsirt_error err;

    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    tab = strchr(text, '\t');
    if (tab != NULL)
        *tab = '\0';
    if (xsirt_vers_from_cisa(&a, text, tab != NULL ? tab + 1 : NULL, &err) != 0) {
        if (err.message[0] == '\0')
            __builtin_trap();   /* every failure says why */
        free(text);
        return 0;
    }
    if (a.count > 0) {
        if (strcmp(a.type, "firmware") != 0 || xsirt_vers_to_string(&c1, &a, NULL) != 0)
            __builtin_trap();
        if (xsirt_vers_parse(&b, c1, strlen(c1), 0, NULL) != 0)
            __builtin_trap();
        if (xsirt_vers_to_string(&c2, &b, NULL) != 0 || strcmp(c1, c2) != 0)
            __builtin_trap();
        xsirt_vers_free(&b);
        for (size_t i = 0; i < a.count; i++) {
            int c = 1;
            if (a.constraints[i].version != NULL &&
                (xsirt_version_compare(&c, fw, a.constraints[i].version,
                                       a.constraints[i].version, NULL) != 0 || c != 0))
                __builtin_trap();
        }
    }
    free(c1);
    free(c2);
    free(text);
    xsirt_vers_free(&a);
    return 0;
}
