/*
 * smtp.c — composing OpenPGP/MIME mail and sending mail by SMTP through
 * libcurl (see smtp.h).
 *
 * RFC 3156: what is signed is the inner MIME entity exactly as sent,
 * headers included, with CRLF line ends; the CRLF before a boundary line
 * belongs to the boundary. The body travels as base64, so no line of it
 * can be changed by a relay (trailing spaces, long lines, a lone dot) and
 * break the signature.
 */
#include <curl/curl.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "mail/openpgp.h"
#include "mail/smtp.h"
#include "xsirt/limits.h"

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
static int smtp_subject(xsirt_buf *b, const char *subject)
{
    size_t n = strlen(subject), at = 0;
    int rc;

    if (smtp_ascii(subject) && n < 900)
        return xsirt_buf_printf(b, "Subject: %s\r\n", subject);
    rc = xsirt_buf_puts(b, "Subject:");
    while (at < n) {
        char enc[80];
        size_t take = n - at > 45 ? 45 : n - at;
        while (at + take < n && take > 0 && ((unsigned char)subject[at + take] & 0xC0) == 0x80)
            take--;
        if (take == 0)   /* not UTF-8 after all: cut anywhere rather than loop */
            take = n - at > 45 ? 45 : n - at;
        sodium_bin2base64(enc, sizeof enc, (const unsigned char *)subject + at, take,
                          sodium_base64_VARIANT_ORIGINAL);
        rc |= xsirt_buf_printf(b, " =?UTF-8?B?%s?=\r\n", enc);
        at += take;
    }
    return rc;
}

/* text with every line end as CRLF (GnuPG's armour has LF). */
static int smtp_crlf(xsirt_buf *b, const char *text)
{
    int rc = 0;

    for (const char *p = text; *p != '\0' && rc == 0; p++) {
        if (*p == '\r')
            continue;
        if (*p == '\n')
            rc = xsirt_buf_putc(b, '\r');
        rc |= xsirt_buf_putc(b, *p);
    }
    return rc;
}

/* The inner entity: text/plain, the body in base64 lines of 76
 * characters, no CRLF after the last line (it belongs to the boundary). */
static int smtp_entity(xsirt_buf *b, const char *body)
{
    size_t n = strlen(body);
    int rc = xsirt_buf_puts(b, "Content-Type: text/plain; charset=utf-8\r\n"
                               "Content-Transfer-Encoding: base64\r\n\r\n");

    for (size_t i = 0; i < n && rc == 0; i += 57) {
        char line[80];
        size_t take = n - i < 57 ? n - i : 57;
        sodium_bin2base64(line, sizeof line, (const unsigned char *)body + i, take,
                          sodium_base64_VARIANT_ORIGINAL);
        rc = xsirt_buf_printf(b, "%s%s", i > 0 ? "\r\n" : "", line);
    }
    return rc;
}

/* From, To, Date, Message-ID, Subject and MIME-Version. */
static int smtp_headers(xsirt_buf *b, const xsirt_smtp_mail *m)
{
    static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    char id[33], date[64];
    unsigned char raw[16];
    time_t now = time(NULL);
    struct tm tm;
    const char *at = strchr(m->from, '@');
    int rc;

    gmtime_r(&now, &tm);
    /* Locale-free: strftime's %a and %b follow LC_TIME. */
    snprintf(date, sizeof date, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday], tm.tm_mday,
             months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
    rc = xsirt_buf_printf(b, "From: %s\r\nTo: %s\r\nDate: %s\r\n", m->from, m->to, date);
    if (m->message_id != NULL) {
        rc |= xsirt_buf_printf(b, "Message-ID: %s\r\n", m->message_id);
    } else {
        randombytes_buf(raw, sizeof raw);
        sodium_bin2hex(id, sizeof id, raw, sizeof raw);
        rc |= xsirt_buf_printf(b, "Message-ID: <%s@%s>\r\n", id, at != NULL ? at + 1 : "xsirt.invalid");
    }
    rc |= smtp_subject(b, m->subject);
    return rc | xsirt_buf_puts(b, "MIME-Version: 1.0\r\n");
}

int xsirt_smtp_compose(char **out, const xsirt_smtp_mail *m, xsirt_error *err)
{
    char boundary[48], micalg[32] = "", *asc = NULL;
    unsigned char raw[12];
    xsirt_buf b, entity;
    int rc = 0, bad;

    *out = NULL;
    if (!smtp_header_safe(m->from) || !smtp_header_safe(m->to) || !smtp_header_safe(m->subject) ||
        (m->message_id != NULL && !smtp_header_safe(m->message_id)) || m->body == NULL)
        return xsirt_error_set(err, XSIRT_EINVAL, "a header of the mail would hold a line break");
    randombytes_buf(raw, sizeof raw);
    memcpy(boundary, "xsirt-", 6);
    sodium_bin2hex(boundary + 6, sizeof boundary - 6, raw, sizeof raw);
    xsirt_buf_init(&entity, strlen(m->body) * 2 + 4096);
    xsirt_buf_init(&b, strlen(m->body) * 3 + 64 * 1024);
    /* bad collects the appends' failures: a mail cut short must not go,
     * least of all with a good signature over what is left. */
    bad = smtp_entity(&entity, m->body) | smtp_headers(&b, m);
    if (bad == 0 && m->signer != NULL && m->recipient_key != NULL)
        rc = xsirt_openpgp_encrypt(&asc, m->home, m->signer, m->recipient_key, xsirt_buf_cstr(&entity),
                                   entity.len, err);
    else if (bad == 0 && m->signer != NULL)
        rc = xsirt_openpgp_sign(&asc, micalg, sizeof micalg, m->home, m->signer,
                                xsirt_buf_cstr(&entity), entity.len, err);
    if (rc == 0 && bad == 0 && m->signer == NULL) {
        bad |= xsirt_buf_append(&b, entity.data, entity.len) | xsirt_buf_puts(&b, "\r\n");
    } else if (rc == 0 && bad == 0 && m->recipient_key != NULL) {
        bad |= xsirt_buf_printf(&b, "Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\"; "
                                    "boundary=\"%s\"\r\n\r\nThis is an OpenPGP/MIME encrypted message (RFC 3156)."
                                    "\r\n--%s\r\nContent-Type: application/pgp-encrypted\r\n"
                                    "Content-Description: PGP/MIME version identification\r\n\r\nVersion: 1\r\n"
                                    "\r\n--%s\r\nContent-Type: application/octet-stream; name=\"encrypted.asc\"\r\n"
                                    "Content-Description: OpenPGP encrypted message\r\n"
                                    "Content-Disposition: inline; filename=\"encrypted.asc\"\r\n\r\n",
                                boundary, boundary, boundary);
        bad |= smtp_crlf(&b, asc) | xsirt_buf_printf(&b, "\r\n--%s--\r\n", boundary);
    } else if (rc == 0 && bad == 0) {
        bad |= xsirt_buf_printf(&b, "Content-Type: multipart/signed; micalg=%s; "
                                    "protocol=\"application/pgp-signature\"; boundary=\"%s\"\r\n\r\n"
                                    "This is an OpenPGP/MIME signed message (RFC 3156).\r\n--%s\r\n",
                                micalg, boundary, boundary);
        bad |= xsirt_buf_append(&b, entity.data, entity.len);
        bad |= xsirt_buf_printf(&b, "\r\n--%s\r\nContent-Type: application/pgp-signature; name=\"signature.asc\"\r\n"
                                    "Content-Description: OpenPGP digital signature\r\n"
                                    "Content-Disposition: attachment; filename=\"signature.asc\"\r\n\r\n",
                                boundary);
        bad |= smtp_crlf(&b, asc) | xsirt_buf_printf(&b, "\r\n--%s--\r\n", boundary);
    }
    free(asc);
    xsirt_buf_free(&entity);
    if (rc == 0 && bad != 0)
        rc = xsirt_error_set(err, XSIRT_ELIMIT, "the mail would be larger than %zu bytes", b.max);
    if (rc == 0 && (*out = xsirt_buf_detach(&b)) == NULL)
        rc = xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    xsirt_buf_free(&b);
    return rc;
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

/* Whether the URL's host is a loopback address. */
static bool smtp_loopback(const char *url)
{
    CURLU *u = curl_url();
    char *host = NULL;
    bool yes = false;

    if (u != NULL && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK)
        yes = strcmp(host, "localhost") == 0 || strncmp(host, "127.", 4) == 0 ||
              strcmp(host, "[::1]") == 0;
    curl_free(host);
    curl_url_cleanup(u);
    return yes;
}

/* The recipients of a comma-separated list as "<addr>" entries. */
static struct curl_slist *smtp_recipients(const char *to)
{
    struct curl_slist *rcpt = NULL, *next;
    unsigned count = 0;

    for (const char *s = to; s != NULL;) {
        const char *e = strchr(s, ',');
        char addr[400];
        size_t n = e != NULL ? (size_t)(e - s) : strlen(s);
        while (n > 0 && *s == ' ') {
            s++;
            n--;
        }
        while (n > 0 && s[n - 1] == ' ')
            n--;
        if (n > 0 && n < sizeof addr - 2 && count++ < XSIRT_LIMIT_NOTIFY_RECIPIENTS) {
            snprintf(addr, sizeof addr, "<%.*s>", (int)n, s);
            if ((next = curl_slist_append(rcpt, addr)) == NULL) {
                curl_slist_free_all(rcpt);
                return NULL;
            }
            rcpt = next;
        }
        s = e != NULL ? e + 1 : NULL;
    }
    return rcpt;
}

int xsirt_smtp_send(const char *url, const char *from, const char *to, const char *message,
                    long timeout, xsirt_error *err)
{
    char errbuf[CURL_ERROR_SIZE] = "", addr_from[400];
    struct curl_slist *rcpt = NULL;
    smtp_reader r = {message, strlen(message)};
    CURL *curl;
    CURLcode cc;

    if (!smtp_header_safe(from) || !smtp_header_safe(to))
        return xsirt_error_set(err, XSIRT_EINVAL, "a mail address with a line break");
    snprintf(addr_from, sizeof addr_from, "<%s>", from);
    if ((rcpt = smtp_recipients(to)) == NULL)
        return xsirt_error_set(err, XSIRT_EINVAL, "no recipient in \"%.200s\"", to);
    if ((curl = curl_easy_init()) == NULL) {
        curl_slist_free_all(rcpt);
        return xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    }
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(curl, CURLOPT_MAIL_FROM, addr_from);
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, smtp_read);
    curl_easy_setopt(curl, CURLOPT_READDATA, &r);
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, timeout);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, timeout);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(curl, CURLOPT_USE_SSL, smtp_loopback(url) ? (long)CURLUSESSL_TRY
                                                               : (long)CURLUSESSL_ALL);
    cc = curl_easy_perform(curl);
    curl_slist_free_all(rcpt);
    curl_easy_cleanup(curl);
    if (cc != CURLE_OK)
        return xsirt_error_set(err, XSIRT_EIO, "mail to %.200s not sent: %s", to,
                               errbuf[0] != '\0' ? errbuf : curl_easy_strerror(cc));
    return 0;
}
