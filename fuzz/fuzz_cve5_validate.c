/*
 * fuzz_cve5_validate.c — CVE JSON 5 records against the CVE Record Format
 * schema (src/formats/cve5_validate.c and the JSON Schema validator under
 * it, patternProperties and contains included) on hostile input: whatever
 * the bytes, a verdict or an error, never a crash, a leak or undefined
 * behaviour; and a record is valid exactly when it has no failure.
 */
#include <stdint.h>
#include <stdlib.h>

#include <jansson.h>

#include "formats/cve5_validate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t *failures = NULL;
    bool valid = false;
    xsirt_error err;

    if (xsirt_cve5_validate_text(&failures, &valid, (const char *)data, size, &err) != 0) {
        if (err.message[0] == '\0' || failures != NULL)
            abort();   /* every error says what went wrong, and leaves nothing */
        return 0;
    }
    if (!json_is_array(failures) || valid != (json_array_size(failures) == 0))
        abort();
    for (size_t i = 0; i < json_array_size(failures); i++)
        if (json_string_value(json_object_get(json_array_get(failures, i), "message")) == NULL)
            abort();
    json_decref(failures);
    return 0;
}
