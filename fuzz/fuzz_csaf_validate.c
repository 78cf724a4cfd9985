/*
 * fuzz_csaf_validate.c — the CSAF 2.0 validator (src/formats/
 * csaf_validate.c, the JSON Schema validator under it and every 6.1 / 6.2
 * test) on hostile input: whatever the bytes, a result or an error, never
 * a crash, a leak or undefined behaviour; and a result is a JSON object
 * whose "valid" agrees with its failures.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "xsirt/csaf_validate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *out = NULL;
    bool valid = false;
    xsirt_error err;

    if (xsirt_csaf_validate_text(&out, &valid, (const char *)data, size, 0, &err) != 0) {
        if (err.message[0] == '\0')
            abort();   /* every error says what went wrong */
        return 0;
    }
    json_t *result = json_loads(out, 0, NULL);
    if (result == NULL || json_is_true(json_object_get(result, "valid")) != valid)
        abort();
    json_t *failures = json_object_get(result, "failures");
    for (size_t i = 0; i < json_array_size(failures); i++) {
        const char *kind = json_string_value(json_object_get(json_array_get(failures, i), "kind"));
        if (kind == NULL || (valid && strcmp(kind, "optional") != 0))
            abort();
    }
    json_decref(result);
    free(out);
    return 0;
}
