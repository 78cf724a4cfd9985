/*
 * notify.c — the delivery worker (see notify.h). Each outbox row is sent
 * on its own and recorded at once, so a crash repeats at most the row
 * being sent (at least once). Mail goes through mail/smtp.c (the one SMTP
 * sender: STARTTLS required off loopback); mail to an external party is
 * composed there as OpenPGP/MIME with the organisation's key (signed,
 * and encrypted to the party's key when the case holds one), read at
 * delivery so that a key added after the message was queued applies.
 *
 * A webhook's URL is a team lead's input and the server sits inside the
 * organisation's network, so a webhook connects only to public addresses
 * unless the operator allows more (XSIRT_WEBHOOK_ALLOW; docs/security.md).
 * The check is on each address libcurl is about to connect to (its
 * open-socket callback), not on a resolution of our own, so a host name
 * whose DNS answer changes between a check and the connection (rebinding)
 * gains nothing; redirects are not followed and no proxy is used, so the
 * address checked is the address the request goes to.
 */
#include <curl/curl.h>
#include <sodium.h>
#include <sys/socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/str.h"
#include "mail/smtp.h"
#include "server/notify.h"
#include "server/orgkey.h"
#include "store/notification_rule.h"
#include "store/outbox.h"
#include "store/party_mail.h"
#include "store/settings.h"
#include "xsirt/limits.h"

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

/* smtp_url and smtp_from, or an error saying they are not set. */
static int notify_smtp_settings(json_t **url, json_t **from, char *error, size_t errsz, xsirt_db *db)
{
    xsirt_error err;

    *url = *from = NULL;
    if (xsirt_settings_value(url, db, "smtp_url", &err) != 0 ||
        xsirt_settings_value(from, db, "smtp_from", &err) != 0) {
        snprintf(error, errsz, "settings: %.400s", err.message);
        return -1;
    }
    if (!json_is_string(*url) || !json_is_string(*from)) {
        snprintf(error, errsz, "the organisation settings smtp_url and smtp_from are not set");
        return -1;
    }
    return 0;
}

static int notify_email(char *error, size_t errsz, xsirt_db *db, const json_t *rule,
                        const json_t *payload, int64_t id)
{
    json_t *url = NULL, *from = NULL;
    xsirt_buf mail;
    xsirt_error err;
    int rc = -1;

    xsirt_buf_init(&mail, XSIRT_LIMIT_NOTIFY_MESSAGE_BYTES);
    if (notify_smtp_settings(&url, &from, error, errsz, db) != 0)
        goto done;
    if (xsirt_notify_mail(&mail, rule, payload, json_string_value(from), id, &err) != 0) {
        snprintf(error, errsz, "%.400s", err.message);
        goto done;
    }
    if (xsirt_smtp_send(json_string_value(url), json_string_value(from),
                        json_string_value(json_object_get(rule, "target")), xsirt_buf_cstr(&mail),
                        (long)XSIRT_LIMIT_NOTIFY_TIMEOUT, &err) != 0)
        snprintf(error, errsz, "smtp: %.400s", err.message);
    else
        rc = 0;
done:
    xsirt_buf_free(&mail);
    json_decref(url);
    json_decref(from);
    return rc;
}

/* A mail to an external party (or a team member: party 0) queued by
 * store/party_mail.c: signed with the organisation's key, encrypted to
 * the party's key when it has one. A party deleted meanwhile (with its
 * case) gets nothing: 1, recorded as done. */
static int notify_party_mail(char *error, size_t errsz, xsirt_db *db, const json_t *payload,
                             int64_t id, const char *home)
{
    int64_t party = json_integer_value(json_object_get(payload, "party"));
    json_t *url = NULL, *from = NULL;
    xsirt_db_rows *rows = NULL;
    char fpr[XSIRT_ORGKEY_FPR_MAX], msgid[400], *text = NULL;
    const char *at;
    xsirt_smtp_mail m;
    xsirt_error err;
    int rc = -1;

    if (notify_smtp_settings(&url, &from, error, errsz, db) != 0)
        goto done;
    memset(&m, 0, sizeof m);
    if (party != 0) {
        xsirt_db_value p[1] = {XSIRT_DB_INTV(party)};
        if (xsirt_db_query(&rows, db, "SELECT openpgp_key FROM case_parties WHERE id = ?", p, 1,
                           &err) != 0) {
            snprintf(error, errsz, "%.400s", err.message);
            goto done;
        }
        if (xsirt_db_rows_count(rows) == 0) {
            rc = 1;
            goto done;
        }
        m.recipient_key = xsirt_db_rows_null(rows, 0, 0) ? NULL : xsirt_db_rows_text(rows, 0, 0);
    }
    /* Signed always: without the organisation's key nothing goes (the row
     * waits, with the reason, until `xsirt key create` or a restart of
     * serve makes one). */
    if (xsirt_orgkey_fingerprint(fpr, sizeof fpr, db, &err) != 0) {
        snprintf(error, errsz, "%.400s", err.message);
        goto done;
    }
    at = strchr(json_string_value(from), '@');
    snprintf(msgid, sizeof msgid, "<xsirt-outbox-%lld@%.300s>", (long long)id,
             at != NULL ? at + 1 : "xsirt.invalid");
    m.from = json_string_value(from);
    m.to = json_string_value(json_object_get(payload, "to"));
    m.subject = json_string_value(json_object_get(payload, "subject"));
    m.body = json_string_value(json_object_get(payload, "body"));
    m.message_id = msgid;
    m.home = home;
    m.signer = fpr;
    if (m.to == NULL || m.subject == NULL || m.body == NULL) {
        snprintf(error, errsz, "a mail row without to, subject or body");
        goto done;
    }
    if (xsirt_smtp_compose(&text, &m, &err) != 0 ||
        xsirt_smtp_send(json_string_value(url), m.from, m.to, text,
                        (long)XSIRT_LIMIT_NOTIFY_TIMEOUT, &err) != 0)
        snprintf(error, errsz, "%.400s", err.message);
    else
        rc = 0;
done:
    free(text);
    xsirt_db_rows_free(rows);
    json_decref(url);
    json_decref(from);
    return rc;
}

/* What the open-socket callback knows: the URL's host (allow-list names
 * match it) and why it refused, for the delivery's error. */
typedef struct notify_guard {
    char host[256];
    xsirt_error refused;
} notify_guard;

static curl_socket_t notify_open_socket(void *user, curlsocktype purpose, struct curl_sockaddr *addr)
{
    notify_guard *g = user;
    xsirt_netaddr a;

    (void)purpose;
    if (!xsirt_netaddr_from_sockaddr(&a, &addr->addr)) {
        xsirt_error_set(&g->refused, XSIRT_EDENIED, "%s: not an IP address", g->host);
        return CURL_SOCKET_BAD;
    }
    if (xsirt_notification_rule_permit(g->host, &a, &g->refused) != 0)
        return CURL_SOCKET_BAD;   /* libcurl tries the host's next address, if any */
    return socket(addr->family, addr->socktype | SOCK_CLOEXEC, addr->protocol);
}

/* The URL's host as libcurl reads it, without IPv6 brackets. */
static void notify_url_host(char *out, size_t outsz, const char *url)
{
    CURLU *u = curl_url();
    char *host = NULL;
    size_t n;

    out[0] = '\0';
    if (u != NULL && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK) {
        n = strlen(host);
        if (n >= 2 && host[0] == '[')
            snprintf(out, outsz, "%.*s", (int)(n - 2), host + 1);
        else
            xsirt_strlcpy(out, host, outsz);
    }
    curl_free(host);
    curl_url_cleanup(u);
}

static int notify_webhook(char *error, size_t errsz, const json_t *rule, json_t *payload)
{
    const char *url = json_string_value(json_object_get(rule, "target"));
    notify_guard guard;
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
    memset(&guard, 0, sizeof guard);
    notify_url_host(guard.host, sizeof guard.host, url);
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_OPENSOCKETFUNCTION, notify_open_socket);
    curl_easy_setopt(curl, CURLOPT_OPENSOCKETDATA, &guard);
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(curl, CURLOPT_PROXY, "");   /* not http_proxy: the check is on the target */
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, notify_discard);
    if ((cc = curl_easy_perform(curl)) != CURLE_OK && guard.refused.code != 0)
        snprintf(error, errsz, "webhook refused: %.400s", guard.refused.message);
    else if (cc != CURLE_OK)
        snprintf(error, errsz, "webhook: %s", errbuf[0] != '\0' ? errbuf : curl_easy_strerror(cc));
    else if (curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status), status < 200 || status > 299)
        snprintf(error, errsz, "webhook: the target answered HTTP %ld%s", status,
                 status >= 300 && status < 400 ? " (redirects are not followed)" : "");
    else
        rc = 0;
    curl_easy_cleanup(curl);
    curl_slist_free_all(headers);
    sodium_memzero(&st, sizeof st);
    free(body);
    return rc;
}

int xsirt_notify_deliver(size_t *sent, size_t *failed, xsirt_db *db, const char *home,
                         xsirt_error *err)
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

        if (rule_id == 0)
            ok = notify_party_mail(error, sizeof error, db, payload, id, home) >= 0 ? 0 : -1;
        else if (xsirt_notification_rule_load(&rule, db, rule_id, NULL) != 0)
            continue;   /* deleted meanwhile: its rows went with it */
        else if (strcmp(json_string_value(json_object_get(rule, "channel")), "email") == 0)
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
                        const char *home, xsirt_error *err)
{
    int rc = xsirt_outbox_digest(queued, db, team, err);

    *sent = *failed = 0;
    return rc != 0 ? rc : xsirt_notify_deliver(sent, failed, db, home, err);
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
        /* Embargo reminders each second: a cheap query, and a reminder
         * due at the embargo's end should not wait a minute. */
        if (db != NULL && xsirt_party_mail_reminders(&queued, db, &err) != 0)
            fprintf(stderr, "xsirt: embargo reminders: %s\n", err.message);
        if (db != NULL && xsirt_notify_deliver(&sent, &failed, db, w->gnupg_home, &err) != 0) {
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
