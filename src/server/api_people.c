/*
 * api_people.c — who: browser sessions (login, logout), users, API tokens
 * and external organisations.
 */
#include <stdio.h>
#include <string.h>

#include "server/api.h"
#include "server/router.h"
#include "server/throttle.h"
#include "store/json_input.h"
#include "store/organisation.h"
#include "store/profile.h"
#include "store/user.h"

static json_t *people_principal(const xsirt_principal *p)
{
    return json_pack("{s:I, s:s, s:b, s:b, s:o, s:s}", "id", (json_int_t)p->user_id, "username",
                     p->username, "admin", p->admin, "auditor", p->auditor, "organisation",
                     p->organisation_id ? json_integer((json_int_t)p->organisation_id) : json_null(),
                     "kind", p->external ? "external" : "internal");
}

int xsirt_api_session_create(xsirt_response *res, xsirt_request *req)
{
    static const xsirt_field fields[] = {
        {"username", XSIRT_FIELD_STRING, true, false, 64},
        {"password", XSIRT_FIELD_STRING, true, false, XSIRT_PASSWORD_MAX},
        {NULL, 0, false, false, 0},
    };
    const json_t *in = xsirt_api_body(res, req);
    char session[XSIRT_TOKEN_MAX], csrf[XSIRT_TOKEN_MAX], address[64];
    xsirt_throttle_ticket ticket;
    xsirt_principal who;
    xsirt_error err, fail;
    int rc;

    if (in == NULL)
        return 0;
    if (xsirt_json_check(in, fields, false, &err) != 0)
        return xsirt_http_store_error(res, &err);
    /* Each attempt costs a 64 MiB Argon2id hash: bound them (throttle.h). */
    if (!xsirt_throttle_hash_acquire()) {
        res->retry_after = 1;
        return xsirt_http_error(res, 429, "busy", "too many logins in progress; retry", NULL);
    }
    xsirt_http_client_address(req, address, sizeof address);
    if (xsirt_throttle_login_begin(&res->retry_after, &ticket, req->db, address,
                                   xsirt_json_str(in, "username"), &err) != 0) {
        xsirt_throttle_hash_release();
        return xsirt_http_store_error(res, &err);
    }
    if (res->retry_after > 0) {
        xsirt_throttle_hash_release();
        return xsirt_http_error(res, 429, "too_many_attempts",
                                "too many login attempts; retry after the time in Retry-After", NULL);
    }
    rc = xsirt_user_login(&who, req->db, xsirt_json_str(in, "username"), xsirt_json_str(in, "password"),
                          &err);
    xsirt_throttle_hash_release();
    if (xsirt_throttle_login_end(&ticket, req->db, rc == 0, &fail) != 0)
        return xsirt_http_store_error(res, &fail);
    if (rc != 0)
        return err.code == XSIRT_EDENIED ? xsirt_http_error(res, 401, "unauthenticated", err.message, NULL)
                                         : xsirt_http_store_error(res, &err);
    if (xsirt_session_create(session, csrf, req->db, who.user_id, &err) != 0)
        return xsirt_http_store_error(res, &err);
    snprintf(res->cookie, sizeof res->cookie,
             "xsirt_session=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d%s", session,
             XSIRT_SESSION_HOURS * 3600, xsirt_http_tls_proxy() ? "; Secure" : "");
    return xsirt_http_json(res, 201, json_pack("{s:o, s:s}", "user", people_principal(&who), "csrf", csrf));
}

int xsirt_api_session_get(xsirt_response *res, xsirt_request *req)
{
    return xsirt_http_json(res, 200, json_pack("{s:o, s:o}", "user", people_principal(&req->who), "csrf",
                                               req->csrf[0] ? json_string(req->csrf) : json_null()));
}

int xsirt_api_session_delete(xsirt_response *res, xsirt_request *req)
{
    const char *session = xsirt_http_cookie(req, "xsirt_session");
    xsirt_error err;

    if (session != NULL && xsirt_session_delete(req->db, session, &err) != 0)
        return xsirt_http_store_error(res, &err);
    snprintf(res->cookie, sizeof res->cookie,
             "xsirt_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    return xsirt_http_json(res, 200, json_pack("{s:b}", "ended", session != NULL));
}

/* GET/PATCH /api/v1/me: the caller's own profile (language, time zone). */
int xsirt_api_me_get(xsirt_response *res, xsirt_request *req)
{
    json_t *out = NULL;
    xsirt_error err;
    int rc = xsirt_profile_get(&out, req->db, &req->who, &err);

    return xsirt_api_reply(res, rc, 200, out, &err);
}

int xsirt_api_me_update(xsirt_response *res, xsirt_request *req)
{
    return xsirt_api_call_body(res, req, 200, xsirt_profile_update);
}

int xsirt_api_users_list(xsirt_response *res, xsirt_request *req)
{
    return xsirt_api_call_list(res, req, xsirt_user_list);
}

int xsirt_api_users_get(xsirt_response *res, xsirt_request *req)
{
    return xsirt_api_call_id(res, req, xsirt_user_get);
}

int xsirt_api_users_create(xsirt_response *res, xsirt_request *req)
{
    static const xsirt_field fields[] = {
        {"username", XSIRT_FIELD_STRING, true, false, 64},
        {"display_name", XSIRT_FIELD_STRING, false, false, 200},
        {"email", XSIRT_FIELD_STRING, false, true, 320},
        {"password", XSIRT_FIELD_STRING, false, true, XSIRT_PASSWORD_MAX},
        {"role", XSIRT_FIELD_STRING, false, false, 16},
        {"organisation", XSIRT_FIELD_INTEGER, false, true, 0},
        {"kind", XSIRT_FIELD_STRING, false, false, 16},
        {NULL, 0, false, false, 0},
    };
    const json_t *in = xsirt_api_body(res, req);
    xsirt_user_new u;
    json_t *out = NULL;
    xsirt_error err;
    int64_t id = 0;
    int rc;

    if (in == NULL)
        return 0;
    if (!req->who.admin)
        return xsirt_http_error(res, 403, "forbidden", "only admins create users", NULL);
    if ((rc = xsirt_json_check(in, fields, false, &err)) != 0)
        return xsirt_http_store_error(res, &err);
    u = (xsirt_user_new){xsirt_json_str(in, "username"), xsirt_json_str(in, "display_name"),
                         xsirt_json_str(in, "email"), xsirt_json_str(in, "password"),
                         xsirt_json_str(in, "role"), xsirt_json_int(in, "organisation"),
                         xsirt_json_str(in, "kind")};
    rc = xsirt_user_create(&id, req->db, &req->who, &u, &err);
    if (rc == 0)
        rc = xsirt_user_get(&out, req->db, &req->who, id, &err);
    return xsirt_api_reply(res, rc, 201, out, &err);
}

int xsirt_api_tokens_list(xsirt_response *res, xsirt_request *req)
{
    return xsirt_api_call_list(res, req, xsirt_token_list);
}

int xsirt_api_tokens_create(xsirt_response *res, xsirt_request *req)
{
    static const xsirt_field fields[] = {
        {"name", XSIRT_FIELD_STRING, true, false, 200},
        {"user", XSIRT_FIELD_INTEGER, false, false, 0},
        {"expires", XSIRT_FIELD_TIME, false, true, 64},
        {NULL, 0, false, false, 0},
    };
    const json_t *in = xsirt_api_body(res, req);
    char secret[XSIRT_TOKEN_MAX];
    int64_t id = 0, user;
    xsirt_error err;
    int rc;

    if (in == NULL)
        return 0;
    if ((rc = xsirt_json_check(in, fields, false, &err)) != 0)
        return xsirt_http_store_error(res, &err);
    user = xsirt_json_has(in, "user") ? xsirt_json_int(in, "user") : req->who.user_id;
    rc = xsirt_token_create(&id, secret, req->db, &req->who, user, xsirt_json_str(in, "name"),
                            xsirt_json_str(in, "expires"), &err);
    if (rc != 0)
        return xsirt_http_store_error(res, &err);
    /* The only time the secret is shown. */
    return xsirt_http_json(res, 201, json_pack("{s:I, s:I, s:s, s:s}", "id", (json_int_t)id, "user",
                                               (json_int_t)user, "name", xsirt_json_str(in, "name"),
                                               "token", secret));
}

int xsirt_api_tokens_delete(xsirt_response *res, xsirt_request *req)
{
    xsirt_error err;
    int rc = xsirt_token_revoke(req->db, &req->who, req->params[0], &err);

    return xsirt_api_reply(res, rc, 200, json_pack("{s:b}", "revoked", 1), &err);
}

int xsirt_api_organisations_list(xsirt_response *res, xsirt_request *req)
{
    return xsirt_api_call_list(res, req, xsirt_organisation_list);
}

int xsirt_api_organisations_create(xsirt_response *res, xsirt_request *req)
{
    return xsirt_api_call_body(res, req, 201, xsirt_organisation_create);
}
