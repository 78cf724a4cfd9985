/*
 * smtp.c — one mail by SMTP through libcurl (see smtp.h).
 */
#include <curl/curl.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "mail/smtp.h"

static bool smtp_header_safe(const char *s)
{
    return s != NULL && strpbrk(s, "\r\n") == NULL;
}

static bool smtp_ascii(const char *s)
{
    for (; *s != '\0'; s++)
        if ((unsigned char)*s >= 0x80)
            return false;
    return true;
}

/* Subject as RFC 2047 encoded-words of at most 45 bytes of UTF-8 each (so
 * that no line exceeds 78 characters), never splitting a character. */
static void smtp_subject(xsirt_buf *b, const char *subject)
{
    size_t n = strlen(subject), at = 0;

    if (smtp_ascii(subject) && n < 900) {
        xsirt_buf_printf(b, "Subject: %s\r\n", subject);
        return;
    }
    xsirt_buf_puts(b, "Subject:");
    while (at < n) {
        char enc[80];
        size_t take = n - at > 45 ? 45 : n - at;
        while (at + take < n && take > 0 && ((unsigned char)subject[at + take] & 0xC0) == 0x80)
            take--;
        sodium_bin2base64(enc, sizeof enc, (const unsigned char *)subject + at, take,
                          sodium_base64_VARIANT_ORIGINAL);
        xsirt_buf_printf(b, " =?UTF-8?B?%s?=\r\n", enc);
        at += take;
    }
}

char *xsirt_smtp_compose(const char *from, const char *to, const char *subject, const char *body,
                         const char *extra)
{
    char date[64], id[33];
    unsigned char raw[16];
    const char *domain;
    time_t now = time(NULL);
    struct tm tm;
    xsirt_buf b;

    if (!smtp_header_safe(from) || !smtp_header_safe(to) || !smtp_header_safe(subject) || body == NULL)
        return NULL;
    gmtime_r(&now, &tm);
    strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(id, sizeof id, raw, sizeof raw);
    domain = strchr(from, '@') != NULL ? strchr(from, '@') + 1 : "xsirt.invalid";
    xsirt_buf_init(&b, strlen(body) * 2 + 8192);
    xsirt_buf_printf(&b, "From: %s\r\nTo: %s\r\nDate: %s\r\nMessage-ID: <%s@%s>\r\n", from, to, date, id,
                     domain);
    smtp_subject(&b, subject);
    if (extra != NULL)
        xsirt_buf_puts(&b, extra);
    xsirt_buf_puts(&b, "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
                       "Content-Transfer-Encoding: 8bit\r\n\r\n");
    for (const char *p = body; *p != '\0'; p++) {
        if (*p == '\n' && (p == body || p[-1] != '\r'))
            xsirt_buf_putc(&b, '\r');
        /* A line of one "." would end the message early in SMTP: curl
         * dot-stuffs, but a bare CR must not make one either. */
        if (*p == '\r' && p[1] != '\n') {
            xsirt_buf_puts(&b, "\r\n");
            continue;
        }
        xsirt_buf_putc(&b, *p);
    }
    xsirt_buf_puts(&b, "\r\n");
    return xsirt_buf_detach(&b);
}

typedef struct smtp_reader {
    const char *data;
    size_t left;
} smtp_reader;

static size_t smtp_read(char *out, size_t size, size_t n, void *ctx)
{
    smtp_reader *r = ctx;
    size_t take = size * n < r->left ? size * n : r->left;

    memcpy(out, r->data, take);
    r->data += take;
    r->left -= take;
    return take;
}

int xsirt_smtp_send(const char *url, const char *from, const char *to, const char *message,
                    long timeout, xsirt_error *err)
{
    char errbuf[CURL_ERROR_SIZE] = "", addr_from[400], addr_to[400];
    struct curl_slist *rcpt = NULL;
    smtp_reader r = {message, strlen(message)};
    CURL *curl;
    CURLcode cc;

    if (!smtp_header_safe(from) || !smtp_header_safe(to))
        return xsirt_error_set(err, XSIRT_EINVAL, "a mail address with a line break");
    snprintf(addr_from, sizeof addr_from, "<%s>", from);
    snprintf(addr_to, sizeof addr_to, "<%s>", to);
    if ((curl = curl_easy_init()) == NULL || (rcpt = curl_slist_append(NULL, addr_to)) == NULL) {
        curl_easy_cleanup(curl);
        return xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    }
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(curl, CURLOPT_MAIL_FROM, addr_from);
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, smtp_read);
    curl_easy_setopt(curl, CURLOPT_READDATA, &r);
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, timeout);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
    /* smtp:// upgrades with STARTTLS when the server offers it. */
    curl_easy_setopt(curl, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
    cc = curl_easy_perform(curl);
    curl_slist_free_all(rcpt);
    curl_easy_cleanup(curl);
    if (cc != CURLE_OK)
        return xsirt_error_set(err, XSIRT_EIO, "mail to %.200s not sent: %s", to,
                               errbuf[0] != '\0' ? errbuf : curl_easy_strerror(cc));
    return 0;
}
