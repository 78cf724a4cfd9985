/*
 * fuzz_inventory.c — the device inventory reader (CSV; UTF-8, BOM,
 * Shift_JIS by detection) on arbitrary bytes: it returns a model or an
 * error with its place, never a crash; a model's components each have a
 * product and the type "device", and scanning nothing else is needed to
 * check it. The first byte picks the encoding argument.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xsirt/sbom.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const encodings[] = {NULL, "utf-8", "shift_jis", "auto"};
    xsirt_sbom *sb = NULL;
    xsirt_error err;

    if (size == 0)
        return 0;
    if (xsirt_sbom_parse_inventory(&sb, (const char *)data + 1, size - 1,
                                   encodings[data[0] % 4], &err) != 0) {
        if (err.message[0] == '\0')
            __builtin_trap();
        return 0;
    }
    for (size_t i = 0; i < sb->component_count; i++)
        if (sb->components[i].name == NULL || sb->components[i].name[0] == '\0' ||
            strcmp(sb->components[i].type, "device") != 0)
            __builtin_trap();
    xsirt_sbom_free(sb);
    return 0;
}
