/*
 * test_notify.c — what a notification mail looks like (notify_message.c):
 * whole sentences from the message table in each language, data with
 * line breaks kept out of headers, the subject RFC 2047-encoded in words
 * of at most 75 characters cut between UTF-8 characters, and the body
 * base64 in lines of 76.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>
#include <sodium.h>

#include "core/buf.h"
#include "server/notify.h"

static json_t *payload(const char *team, const char *asset)
{
    return json_pack("{s:s, s:{s:I, s:s}, s:{s:I, s:s, s:s}, s:[{s:I, s:{s:s, s:s}, "
                     "s:{s:s, s:b}, s:s, s:s, s:b, s:{s:I, s:s}}], s:I}",
                     "event", "finding.new", "team", "id", (json_int_t)1, "name", team,
                     "asset", "id", (json_int_t)2, "name", asset, "version", "1.0",
                     "findings", "id", (json_int_t)3, "component", "name", "salt", "version",
                     "3000.1", "vulnerability", "id", "PYSEC-2020-102", "kev", 1, "priority",
                     "P1", "due", "2020-01-01T00:00:00.000Z", "overdue", 1, "asset", "id",
                     (json_int_t)2, "name", asset, "more", (json_int_t)0);
}

/* The decoded body of a mail (its base64 lines after the blank line). */
static char *decoded_body(const char *mail)
{
    const char *b = strstr(mail, "\r\n\r\n");
    size_t n = 0, len;
    char *clean, *out;

    assert_non_null(b);
    b += 4;
    clean = calloc(strlen(b) + 1, 1);
    for (; *b != '\0'; b++)
        if (*b != '\r' && *b != '\n')
            clean[n++] = *b;
    out = calloc(n + 1, 1);
    assert_int_equal(sodium_base642bin((unsigned char *)out, n, clean, n, NULL, &len, NULL,
                                       sodium_base64_VARIANT_ORIGINAL), 0);
    free(clean);
    return out;
}

static void test_english_and_japanese(void **state)
{
    json_t *p = payload("Corporate PSIRT", "Gateway");
    json_t *en = json_pack("{s:I, s:s, s:s}", "id", (json_int_t)7, "language", "en", "target", "a@b.example");
    json_t *ja = json_pack("{s:I, s:s, s:s}", "id", (json_int_t)7, "language", "ja", "target", "a@b.example");
    xsirt_buf subject, body;

    (void)state;
    xsirt_buf_init(&subject, 4096);
    xsirt_buf_init(&body, 65536);
    assert_int_equal(xsirt_notify_text(&subject, &body, en, p), 0);
    assert_string_equal(subject.data, "New findings for Corporate PSIRT: 1 on Gateway 1.0");
    assert_non_null(strstr(body.data, "1 new findings were found on Gateway 1.0, an asset of team "
                                      "Corporate PSIRT."));
    assert_non_null(strstr(body.data, "- P1 PYSEC-2020-102 in salt 3000.1 on Gateway [KEV: known "
                                      "exploited] [OVERDUE: due 2020-01-01T00:00:00.000Z]"));
    assert_non_null(strstr(body.data, "notification rule 7."));
    xsirt_buf_reset(&subject);
    xsirt_buf_reset(&body);
    assert_int_equal(xsirt_notify_text(&subject, &body, ja, p), 0);
    assert_string_equal(subject.data, "Corporate PSIRT の新しい検出事項: Gateway 1.0 に 1 件");
    assert_non_null(strstr(body.data, "チーム Corporate PSIRT の資産 Gateway 1.0 で新しい検出事項が 1 "
                                      "件見つかりました。"));
    assert_non_null(strstr(body.data, "[期限超過: 期限 2020-01-01T00:00:00.000Z]"));
    xsirt_buf_free(&subject);
    xsirt_buf_free(&body);
    json_decref(p);
    json_decref(en);
    json_decref(ja);
}

static void test_headers(void **state)
{
    /* A team name with a line break must not start a header of its own. */
    json_t *p = payload("Evil\r\nBcc: victim@example.com", "日本語の長い資産名がここにあります、とても長い名前です");
    json_t *rule = json_pack("{s:I, s:s, s:s}", "id", (json_int_t)7, "language", "ja", "target",
                             "a@b.example, c@d.example");
    xsirt_buf mail;
    xsirt_error err;
    char *text;
    const char *line, *next;

    (void)state;
    xsirt_buf_init(&mail, 1 << 20);
    assert_int_equal(xsirt_notify_mail(&mail, rule, p, "psirt@example.com", 42, &err), 0);
    assert_null(strstr(mail.data, "\r\nBcc:"));
    assert_non_null(strstr(mail.data, "\r\nMessage-ID: <xsirt-outbox-42@example.com>\r\n"));
    assert_non_null(strstr(mail.data, "Content-Type: text/plain; charset=UTF-8\r\n"));
    assert_non_null(strstr(mail.data, "To: a@b.example, c@d.example\r\n"));
    /* Subject words: =?UTF-8?B?...?=, each at most 75 characters, each
     * whole UTF-8 once decoded. */
    for (line = mail.data; *line != '\0'; line = next + 1) {
        next = strstr(line, "\r\n");
        assert_non_null(next);
        assert_true(next - line <= 78);   /* RFC 5322: lines of at most 78 characters */
        const char *w = strstr(line, "=?UTF-8?B?");
        if (w != NULL && w < next) {
            unsigned char raw[64];
            size_t len;
            const char *end = strstr(w + 10, "?=");
            assert_non_null(end);
            assert_true(end + 2 - w <= 75);
            assert_int_equal(sodium_base642bin(raw, sizeof raw, w + 10, (size_t)(end - w - 10),
                                               NULL, &len, NULL, sodium_base64_VARIANT_ORIGINAL), 0);
            assert_true(len == 0 || (raw[0] & 0xC0) != 0x80);   /* starts a character */
        }
        next++;
    }
    text = decoded_body(mail.data);
    assert_non_null(strstr(text, "Evil  Bcc: victim@example.com"));   /* kept, on one line */
    free(text);
    xsirt_buf_free(&mail);
    json_decref(p);
    json_decref(rule);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_english_and_japanese),
        cmocka_unit_test(test_headers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
