/*
 * notify.c — the delivery worker (see notify.h). Each outbox row is sent
 * on its own and recorded at once, so a crash repeats at most the row
 * being sent (at least once). SMTP over smtp:// insists on STARTTLS
 * unless the server is on loopback (a local relay or a test), so that
 * credentials never cross a network in clear; smtps:// is TLS from the
 * start.
 */
#include <curl/curl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/str.h"
#include "server/notify.h"
#include "store/notification_rule.h"
#include "store/outbox.h"
#include "store/settings.h"
#include "xsirt/limits.h"

typedef struct notify_upload {
    const char *data;
    size_t len, off;
} notify_upload;

static size_t notify_read(char *ptr, size_t size, size_t n, void *user)
{
    notify_upload *u = user;
    size_t want = size * n, left = u->len - u->off;

    if (want > left)
        want = left;
    memcpy(ptr, u->data + u->off, want);
    u->off += want;
    return want;
}

static size_t notify_discard(char *ptr, size_t size, size_t n, void *user)
{
    (void)ptr;
    (void)user;
    return size * n;
}

static void notify_curl_common(CURL *curl, char *errbuf)
{
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, (long)XSIRT_LIMIT_NOTIFY_TIMEOUT);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, (long)XSIRT_LIMIT_NOTIFY_TIMEOUT);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
    errbuf[0] = '\0';
}

/* Whether the URL's host is a loopback address. */
static bool notify_loopback(const char *url)
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

static int notify_email(char *error, size_t errsz, xsirt_db *db, const json_t *rule,
                        const json_t *payload, int64_t id)
{
    json_t *url = NULL, *from = NULL;
    struct curl_slist *rcpt = NULL;
    xsirt_buf mail;
    xsirt_error err;
    char errbuf[CURL_ERROR_SIZE];
    CURL *curl = NULL;
    CURLcode cc;
    int rc = -1;

    xsirt_buf_init(&mail, XSIRT_LIMIT_NOTIFY_MESSAGE_BYTES);
    if (xsirt_settings_value(&url, db, "smtp_url", &err) != 0 ||
        xsirt_settings_value(&from, db, "smtp_from", &err) != 0) {
        snprintf(error, errsz, "settings: %.400s", err.message);
        goto done;
    }
    if (!json_is_string(url) || !json_is_string(from)) {
        snprintf(error, errsz, "the organisation settings smtp_url and smtp_from are not set");
        goto done;
    }
    if (xsirt_notify_mail(&mail, rule, payload, json_string_value(from), id, &err) != 0) {
        snprintf(error, errsz, "%.400s", err.message);
        goto done;
    }
    for (const char *s = json_string_value(json_object_get(rule, "target")); s != NULL;) {
        const char *e = strchr(s, ',');
        char addr[300];
        size_t n = e != NULL ? (size_t)(e - s) : strlen(s);
        while (n > 0 && *s == ' ') { s++; n--; }
        while (n > 0 && s[n - 1] == ' ') n--;
        snprintf(addr, sizeof addr, "<%.*s>", (int)n, s);
        rcpt = curl_slist_append(rcpt, addr);
        s = e != NULL ? e + 1 : NULL;
    }
    char sender[300];
    snprintf(sender, sizeof sender, "<%s>", json_string_value(from));
    notify_upload up = {mail.data, mail.len, 0};
    if ((curl = curl_easy_init()) == NULL) {
        snprintf(error, errsz, "out of memory");
        goto done;
    }
    notify_curl_common(curl, errbuf);
    curl_easy_setopt(curl, CURLOPT_URL, json_string_value(url));
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(curl, CURLOPT_USE_SSL, notify_loopback(json_string_value(url))
                                                ? (long)CURLUSESSL_TRY : (long)CURLUSESSL_ALL);
    curl_easy_setopt(curl, CURLOPT_MAIL_FROM, sender);
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, notify_read);
    curl_easy_setopt(curl, CURLOPT_READDATA, &up);
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    if ((cc = curl_easy_perform(curl)) != CURLE_OK)
        snprintf(error, errsz, "smtp: %s", errbuf[0] != '\0' ? errbuf : curl_easy_strerror(cc));
    else
        rc = 0;
done:
    curl_easy_cleanup(curl);
    curl_slist_free_all(rcpt);
    xsirt_buf_free(&mail);
    json_decref(url);
    json_decref(from);
    return rc;
}

static int notify_webhook(char *error, size_t errsz, const json_t *rule, json_t *payload)
{
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    char hex[crypto_auth_hmacsha256_BYTES * 2 + 1], header[128];
    const char *secret = json_string_value(json_object_get(rule, "secret"));
    struct curl_slist *headers = NULL;
    char errbuf[CURL_ERROR_SIZE];
    char *body;
    CURL *curl;
    CURLcode cc;
    long status = 0;
    int rc = -1;

    json_object_set_new(payload, "rule", json_integer(json_integer_value(json_object_get(rule, "id"))));
    body = json_dumps(payload, JSON_COMPACT | JSON_SORT_KEYS);
    if (body == NULL || secret == NULL || (curl = curl_easy_init()) == NULL) {
        snprintf(error, errsz, secret == NULL ? "the webhook has no secret" : "out of memory");
        free(body);
        return -1;
    }
    /* HMAC-SHA256 takes a key of any length (crypto_auth_hmacsha256_init). */
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, strlen(secret));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, strlen(body));
    crypto_auth_hmacsha256_final(&st, mac);
    sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
    snprintf(header, sizeof header, "X-Xsirt-Signature: sha256=%s", hex);
    headers = curl_slist_append(headers, "Content-Type: application/json");
    headers = curl_slist_append(headers, header);
    notify_curl_common(curl, errbuf);
    curl_easy_setopt(curl, CURLOPT_URL, json_string_value(json_object_get(rule, "target")));
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, notify_discard);
    if ((cc = curl_easy_perform(curl)) != CURLE_OK)
        snprintf(error, errsz, "webhook: %s", errbuf[0] != '\0' ? errbuf : curl_easy_strerror(cc));
    else if (curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status), status < 200 || status > 299)
        snprintf(error, errsz, "webhook: the target answered HTTP %ld", status);
    else
        rc = 0;
    curl_easy_cleanup(curl);
    curl_slist_free_all(headers);
    sodium_memzero(&st, sizeof st);
    free(body);
    return rc;
}

int xsirt_notify_deliver(size_t *sent, size_t *failed, xsirt_db *db, xsirt_error *err)
{
    json_t *due = NULL, *row;
    size_t i;
    int rc;

    *sent = *failed = 0;
    if ((rc = xsirt_outbox_due(&due, db, XSIRT_LIMIT_NOTIFY_BATCH, err)) != 0) {
        json_decref(due);
        return rc;
    }
    json_array_foreach(due, i, row) {
        int64_t id = json_integer_value(json_object_get(row, "id"));
        int64_t rule_id = json_integer_value(json_object_get(row, "rule"));
        json_t *rule = NULL, *payload = json_object_get(row, "payload");
        char error[512] = "";
        int ok = -1;

        if (xsirt_notification_rule_load(&rule, db, rule_id, NULL) != 0)
            continue;   /* deleted meanwhile: its rows went with it */
        if (strcmp(json_string_value(json_object_get(rule, "channel")), "email") == 0)
            ok = notify_email(error, sizeof error, db, rule, payload, id);
        else
            ok = notify_webhook(error, sizeof error, rule, payload);
        json_decref(rule);
        if (ok == 0)
            (*sent)++;
        else
            (*failed)++;
        if ((rc = xsirt_outbox_record(db, id, rule_id,
                                      json_integer_value(json_object_get(row, "attempts")),
                                      ok == 0 ? NULL : error, err)) != 0)
            break;
    }
    json_decref(due);
    return rc;
}

int xsirt_notify_digest(size_t *queued, size_t *sent, size_t *failed, xsirt_db *db, int64_t team,
                        xsirt_error *err)
{
    int rc = xsirt_outbox_digest(queued, db, team, err);

    *sent = *failed = 0;
    return rc != 0 ? rc : xsirt_notify_deliver(sent, failed, db, err);
}

void *xsirt_notify_worker_main(void *arg)
{
    const xsirt_notify_worker *w = arg;
    xsirt_db *db = NULL;
    unsigned tick = 0;

    while (!*w->stop) {
        xsirt_error err;
        size_t sent, failed, queued;
        if (db == NULL && xsirt_db_open(&db, w->target, &err) != 0)
            db = NULL;
        if (db != NULL && tick % 60 == 0 && (xsirt_outbox_digest_due(&queued, db, &err) != 0 ||
                                             xsirt_outbox_overdue(&queued, db, &err) != 0))
            fprintf(stderr, "xsirt: notifications: %s\n", err.message);
        if (db != NULL && xsirt_notify_deliver(&sent, &failed, db, &err) != 0) {
            fprintf(stderr, "xsirt: notifications: %s\n", err.message);
            xsirt_db_close(db);   /* a lost connection: open a new one */
            db = NULL;
        }
        tick++;
        sleep(1);
    }
    xsirt_db_close(db);
    return NULL;
}
