/*
 * fuzz_mail.c — the mail reader (src/formats/mail.c, GMime underneath) on
 * hostile input: every field of the result is walked, and the case tag
 * reader is run on the input as a subject and as a header value.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "formats/mail.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t fz_sink;

static void fz_walk(const char *s)
{
    fz_sink += strlen(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    xsirt_mail m;
    xsirt_error err;
    char *text = malloc(size + 1);
    char token[32];
    int64_t id = 0;

    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    if (xsirt_mail_parse(&m, (const char *)data, size, &err) == 0) {
        fz_walk(m.subject);
        fz_walk(m.from_name);
        fz_walk(m.from_address);
        fz_walk(m.message_id);
        fz_walk(m.text);
        fz_sink += (size_t)m.tag_case + strlen(m.tag_token) + m.encrypted + m.signed_part;
    }
    xsirt_mail_free(&m);
    if (xsirt_mail_find_tag(text, false, &id, token, sizeof token))
        fz_sink += strlen(token);
    if (xsirt_mail_find_tag(text, true, &id, token, sizeof token))
        fz_sink += strlen(token);
    free(text);
    return 0;
}
