/*
 * api_intake.c — the disclosure routes (issue 12): reports without an
 * account (POST /api/v1/intake), the portal link's view and messages, the
 * team's side of the coordination threads and parties, and
 * /.well-known/security.txt.
 *
 * The public routes are throttled per address before anything is stored:
 * each report becomes a case someone must read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "mail/openpgp.h"
#include "server/api.h"
#include "server/router.h"
#include "server/throttle.h"
#include "store/party_mail.h"
#include "store/portal.h"
#include "xsirt/limits.h"

static const char pgp_armour[] = "-----BEGIN PGP MESSAGE-----";

/* 429 with Retry-After when address has sent too much; 0 when it may go on. */
static int intake_throttled(xsirt_response *res, const xsirt_request *req)
{
    char address[64];
    xsirt_error err;

    xsirt_http_client_address(req, address, sizeof address);
    if (xsirt_throttle_intake(&res->retry_after, req->db, address, &err) != 0) {
        xsirt_http_store_error(res, &err);
        return 1;
    }
    if (res->retry_after == 0)
        return 0;
    xsirt_http_error(res, 429, "too_many_reports",
                     "too many reports or messages from this address; retry after the time in "
                     "Retry-After", NULL);
    return 1;
}

/* A store error, with the server's own missing configuration as 503. */
static int intake_error(xsirt_response *res, const xsirt_error *err)
{
    if (err->code == XSIRT_EUNSUPPORTED && strcmp(err->pointer, "intake_team") == 0)
        return xsirt_http_error(res, 503, "not_configured", err->message, NULL);
    return xsirt_http_store_error(res, err);
}

/* An encrypted report: decrypted when the server's keys open it (a JSON
 * report inside is checked like any other; plain text becomes the
 * description), kept encrypted otherwise; the ciphertext is kept always. */
static int intake_encrypted(xsirt_response *res, xsirt_request *req, const char *raw)
{
    const char *home = xsirt_http_gnupg_home();
    xsirt_openpgp_result pgp;
    json_t *in = NULL, *out = NULL;
    xsirt_error err;
    int rc;

    if (home != NULL && xsirt_openpgp_decrypt(&pgp, home, raw, req->raw_len, &err) == 0) {
        if (strlen(pgp.plain) == pgp.plain_len && xsirt_utf8_valid(pgp.plain, pgp.plain_len)) {
            in = json_loads(pgp.plain, JSON_REJECT_DUPLICATES, NULL);
            if (!json_is_object(in)) {
                json_decref(in);
                in = json_pack("{s:s, s:s%}", "title", "Encrypted vulnerability report", "description",
                               pgp.plain, pgp.plain_len > 200 * 1024 ? (size_t)200 * 1024 : pgp.plain_len);
            }
        }
        xsirt_openpgp_result_free(&pgp);
    }
    rc = xsirt_intake_create(&out, req->db, in, "web", raw, XSIRT_RAW_ENCRYPTED, &err);
    json_decref(in);
    return rc == 0 ? xsirt_http_json(res, 201, out) : intake_error(res, &err);
}

int xsirt_api_intake_create(xsirt_response *res, xsirt_request *req)
{
    const char *raw = req->raw != NULL ? req->raw : "";
    json_t *in = NULL, *out = NULL;
    json_error_t jerr;
    xsirt_error err;
    char msg[300];
    int rc;

    if (intake_throttled(res, req))
        return 0;
    if (strlen(raw) != req->raw_len)
        return xsirt_http_error(res, 400, "invalid", "the report contains a NUL byte", NULL);
    /* An armoured OpenPGP message is kept as it came, and opened with the
     * organisation's keys when one of them can (docs/disclosure.md). */
    if (strncmp(raw + strspn(raw, " \t\r\n"), pgp_armour, sizeof pgp_armour - 1) == 0) {
        if (strstr(raw, "-----END PGP MESSAGE-----") == NULL)
            return xsirt_http_error(res, 400, "invalid_openpgp",
                                    "the OpenPGP message has no END PGP MESSAGE line (cut short?)",
                                    NULL);
        return intake_encrypted(res, req, raw);
    }
    if (req->raw_len == 0)
        return xsirt_http_error(res, 400, "invalid", "a report is a JSON object (or an OpenPGP "
                                "message); the body is empty", NULL);
    in = json_loadb(raw, req->raw_len, JSON_REJECT_DUPLICATES, &jerr);
    if (in == NULL) {
        snprintf(msg, sizeof msg, "body is not valid JSON: %d:%d: %s", jerr.line, jerr.column, jerr.text);
        return xsirt_http_error(res, 400, "invalid_json", msg, NULL);
    }
    rc = xsirt_intake_create(&out, req->db, in, "web", NULL, XSIRT_RAW_NONE, &err);
    json_decref(in);
    return rc == 0 ? xsirt_http_json(res, 201, out) : intake_error(res, &err);
}

int xsirt_api_intake_list(xsirt_response *res, xsirt_request *req)
{
    return xsirt_api_call_list(res, req, xsirt_intake_list);
}

int xsirt_api_intake_get(xsirt_response *res, xsirt_request *req)
{
    json_t *out = NULL;
    xsirt_error err;
    int rc = xsirt_portal_view(&out, req->db, req->token, &err);

    return xsirt_api_reply(res, rc, 200, out, &err);
}

/* A throttled portal write: the link's party posts in through fn. */
static int intake_portal_write(xsirt_response *res, xsirt_request *req, int status,
                               int (*fn)(json_t **, xsirt_db *, const char *, const json_t *,
                                         xsirt_error *))
{
    const json_t *in;
    json_t *out = NULL;
    xsirt_error err;
    int rc;

    if (intake_throttled(res, req) || (in = xsirt_api_body(res, req)) == NULL)
        return 0;
    rc = fn(&out, req->db, req->token, in, &err);
    return xsirt_api_reply(res, rc, status, out, &err);
}

int xsirt_api_intake_message(xsirt_response *res, xsirt_request *req)
{
    return intake_portal_write(res, req, 201, xsirt_portal_post);
}

int xsirt_api_intake_statement(xsirt_response *res, xsirt_request *req)
{
    return intake_portal_write(res, req, 200, xsirt_portal_answer);
}

int xsirt_api_cases_statements_list(xsirt_response *res, xsirt_request *req)
{
    return xsirt_api_call_id(res, req, xsirt_case_statements);
}

int xsirt_api_cases_statements_ask(xsirt_response *res, xsirt_request *req)
{
    return xsirt_api_call_id_body(res, req, 201, xsirt_case_ask);
}

int xsirt_api_cases_embargo_put(xsirt_response *res, xsirt_request *req)
{
    return xsirt_api_call_id_body(res, req, 200, xsirt_case_set_embargo);
}

int xsirt_api_cases_parties_list(xsirt_response *res, xsirt_request *req)
{
    return xsirt_api_call_page(res, req, xsirt_case_parties);
}

/* A party's key in the armour the store accepts is then checked by GnuPG,
 * apart from the organisation's home (mail/openpgp.c): one public key that
 * can encrypt, or 422 with GnuPG's reason (1: answered). A key the store
 * refuses on its face is left to the store's 400. */
static int intake_key_unusable(xsirt_response *res, const xsirt_request *req)
{
    const char *key = json_string_value(json_object_get(req->body, "openpgp_key"));
    char fpr[XSIRT_OPENPGP_FPR_MAX], *minimal = NULL;
    xsirt_error err;

    if (key == NULL || xsirt_party_check_key(key, NULL) != 0)
        return 0;
    if (xsirt_openpgp_check_key(&minimal, fpr, sizeof fpr, key, strlen(key), &err) != 0) {
        xsirt_http_error(res, 422, "unusable_key", err.message, "openpgp_key");
        return 1;
    }
    free(minimal);
    return 0;
}

int xsirt_api_cases_parties_create(xsirt_response *res, xsirt_request *req)
{
    if (intake_key_unusable(res, req))
        return 0;
    return xsirt_api_call_id_body(res, req, 201, xsirt_case_add_party);
}

int xsirt_api_cases_messages_list(xsirt_response *res, xsirt_request *req)
{
    return xsirt_api_call_page(res, req, xsirt_case_messages);
}

/* The answer's "mail" lists what went into the outbox (party_mail.h). */
int xsirt_api_cases_messages_create(xsirt_response *res, xsirt_request *req)
{
    return xsirt_api_call_id_body(res, req, 201, xsirt_case_add_message);
}

int xsirt_api_cases_party_key_put(xsirt_response *res, xsirt_request *req)
{
    const json_t *in = xsirt_api_body(res, req);
    json_t *out = NULL;
    xsirt_error err;
    int rc;

    if (in == NULL || intake_key_unusable(res, req))
        return 0;
    rc = xsirt_party_set_key(&out, req->db, &req->who, req->params[0], req->params[1], in, &err);
    return xsirt_api_reply(res, rc, 200, out, &err);
}

int xsirt_api_security_txt(xsirt_response *res, xsirt_request *req)
{
    char *text = NULL;
    xsirt_error err;

    if (xsirt_security_txt(&text, req->db, &err) != 0)
        return xsirt_http_store_error(res, &err);
    res->status = 200;
    res->owned_text = text;
    res->content_type = "text/plain; charset=utf-8";
    return 0;
}

/* ---- the portal of an external account ------------------------------------ */

int xsirt_api_portal_list(xsirt_response *res, xsirt_request *req)
{
    json_t *out = NULL;
    xsirt_error err;
    int rc = xsirt_portal_account_list(&out, req->db, &req->who, &err);

    return xsirt_api_reply(res, rc, 200, out, &err);
}

int xsirt_api_portal_get(xsirt_response *res, xsirt_request *req)
{
    return xsirt_api_call_id(res, req, xsirt_portal_account_view);
}

int xsirt_api_portal_message(xsirt_response *res, xsirt_request *req)
{
    return xsirt_api_call_id_body(res, req, 201, xsirt_portal_account_post);
}

int xsirt_api_portal_statement(xsirt_response *res, xsirt_request *req)
{
    return xsirt_api_call_id_body(res, req, 200, xsirt_portal_account_answer);
}
