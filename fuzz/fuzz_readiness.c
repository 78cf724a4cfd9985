/*
 * fuzz_readiness.c — the readiness self-assessment's answers as a property
 * test: the input is a JSON object of answers ({"3.3":7,"1.1":["a"],…});
 * every answer the kind check accepts must be stored and read back as the
 * same JSON (encode, decode), and its bin (numbers, months) must be an
 * option of the question. Anything else traps.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store/json_input.h"
#include "store/readiness_kind.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

extern const char xsirt_readiness_survey_json[];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static json_t *survey;
    json_t *in, *v;
    const char *k;

    if (survey == NULL && (survey = json_loads(xsirt_readiness_survey_json, 0, NULL)) == NULL)
        __builtin_trap();
    in = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
    json_object_foreach(in, k, v) {
        const json_t *qs = json_object_get(survey, "questions"), *q = NULL;
        for (size_t i = 0; q == NULL && i < json_array_size(qs); i++)
            if (strcmp(xsirt_json_str(json_array_get(qs, i), "id"), k) == 0)
                q = json_array_get(qs, i);
        if (q == NULL || xsirt_readiness_check(q, v, NULL) != 0)
            continue;
        char *text = xsirt_readiness_encode(q, v);
        json_t *back = text != NULL ? xsirt_readiness_decode(q, text) : NULL;
        const json_t *bin = xsirt_readiness_bin(q, v);
        if (back == NULL || !json_equal(back, v))
            __builtin_trap();
        if (bin != NULL && strcmp(xsirt_readiness_kind(q), "number") != 0 &&
            strcmp(xsirt_readiness_kind(q), "month") != 0)
            __builtin_trap();
        json_decref(back);
        free(text);
    }
    json_decref(in);
    return 0;
}
