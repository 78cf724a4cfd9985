/*
 * api.c — shared handler helpers (see api.h).
 */
#include <stdio.h>
#include <string.h>

#include "core/str.h"
#include "server/api.h"
#include "xsirt/limits.h"

int xsirt_api_reply(xsirt_response *res, int rc, int status, json_t *value, const xsirt_error *err)
{
    if (rc != 0) {
        json_decref(value);
        return xsirt_http_store_error(res, err);
    }
    return xsirt_http_json(res, status, value);
}

const json_t *xsirt_api_body(xsirt_response *res, xsirt_request *req)
{
    if (!json_is_object(req->body)) {
        xsirt_http_error(res, 400, "invalid", "the body must be a JSON object", NULL);
        return NULL;
    }
    return req->body;
}

int64_t xsirt_api_query_id(xsirt_response *res, const xsirt_request *req, const char *name)
{
    const char *s = xsirt_http_query(req, name);
    uint64_t v;
    char msg[128];

    if (s == NULL || s[0] == '\0')
        return 0;
    if (xsirt_parse_u64(&v, s, strlen(s)) != 0 || v == 0 || v > (uint64_t)INT64_MAX) {
        snprintf(msg, sizeof msg, "%s must be a positive integer", name);
        xsirt_http_error(res, 400, "invalid", msg, name);
        return -1;
    }
    return (int64_t)v;
}

const char *xsirt_api_query_text(xsirt_response *res, const xsirt_request *req, const char *name,
                                 bool *bad)
{
    const char *s = xsirt_http_query(req, name);
    char msg[128];

    if (s == NULL || *bad)
        return NULL;
    if (strlen(s) > 1024 || !xsirt_utf8_valid(s, strlen(s))) {
        snprintf(msg, sizeof msg, "%s must be UTF-8 text of at most 1024 bytes", name);
        xsirt_http_error(res, 400, "invalid", msg, name);
        *bad = true;
        return NULL;
    }
    return s;
}

int64_t xsirt_api_if_match(const xsirt_request *req)
{
    const char *h = xsirt_http_header(req, "If-Match");
    char digits[24];
    size_t n = 0;
    uint64_t v;

    if (h == NULL)
        return 0;
    if (strncmp(h, "W/", 2) == 0)
        h += 2;
    for (; *h != '\0' && n + 1 < sizeof digits; h++)
        if (*h != '"')
            digits[n++] = *h;
    digits[n] = '\0';
    if (xsirt_parse_u64(&v, digits, n) != 0 || v == 0 || v > (uint64_t)INT64_MAX)
        return -1;
    return (int64_t)v;
}

bool xsirt_api_query_bool(xsirt_response *res, const xsirt_request *req, const char *name,
                          int *out)
{
    const char *s = xsirt_http_query(req, name);
    char msg[128];

    *out = -1;
    if (s == NULL)
        return true;
    if (strcmp(s, "true") != 0 && strcmp(s, "false") != 0) {
        snprintf(msg, sizeof msg, "%s must be true or false", name);
        xsirt_http_error(res, 400, "invalid", msg, name);
        return false;
    }
    *out = strcmp(s, "true") == 0;
    return true;
}

void xsirt_api_etag(xsirt_response *res, const json_t *o)
{
    if (json_is_integer(json_object_get(o, "revision")))
        snprintf(res->etag, sizeof res->etag, "\"%lld\"",
                 (long long)json_integer_value(json_object_get(o, "revision")));
}

int xsirt_api_call_get(xsirt_response *res, xsirt_request *req, xsirt_api_id_fn fn)
{
    json_t *out = NULL;
    xsirt_error err;
    int rc = fn(&out, req->db, &req->who, req->params[0], &err);

    if (rc == 0)
        xsirt_api_etag(res, out);
    return xsirt_api_reply(res, rc, 200, out, &err);
}

int xsirt_api_call_create(xsirt_response *res, xsirt_request *req, const char *path_prefix,
                          xsirt_api_body_fn fn)
{
    const json_t *in = xsirt_api_body(res, req);
    json_t *out = NULL;
    xsirt_error err;
    int rc;

    if (in == NULL)
        return 0;
    rc = fn(&out, req->db, &req->who, in, &err);
    if (rc == 0) {
        xsirt_api_etag(res, out);
        snprintf(res->location, sizeof res->location, "%s%lld", path_prefix,
                 (long long)json_integer_value(json_object_get(out, "id")));
    }
    return xsirt_api_reply(res, rc, 201, out, &err);
}

int xsirt_api_call_update(xsirt_response *res, xsirt_request *req, const char *what,
                          xsirt_api_update_fn fn)
{
    const json_t *in = xsirt_api_body(res, req);
    int64_t revision = xsirt_api_if_match(req);
    json_t *out = NULL;
    xsirt_error err;
    char msg[160];
    int rc;

    if (in == NULL)
        return 0;
    if (revision == 0) {
        snprintf(msg, sizeof msg, "send the %s's ETag in If-Match, so that a change made "
                                  "meanwhile is not overwritten", what);
        return xsirt_http_error(res, 428, "precondition_required", msg, "If-Match");
    }
    if (revision < 0) {
        snprintf(msg, sizeof msg, "If-Match must be the %s's ETag", what);
        return xsirt_http_error(res, 400, "invalid", msg, "If-Match");
    }
    rc = fn(&out, req->db, &req->who, req->params[0], revision, in, &err);
    if (rc == 0)
        xsirt_api_etag(res, out);
    return xsirt_api_reply(res, rc, 200, out, &err);
}


int xsirt_api_page(xsirt_page *pg, xsirt_response *res, const xsirt_request *req,
                   const char *cursor_name)
{
    const char *limit = xsirt_http_query(req, "limit");
    uint64_t v;
    char msg[64];

    pg->limit = 0;
    if ((pg->cursor = xsirt_api_query_id(res, req, cursor_name)) < 0)
        return -1;
    if (limit == NULL)
        return 0;
    if (xsirt_parse_u64(&v, limit, strlen(limit)) != 0 || v < 1 || v > XSIRT_LIMIT_PAGE_ITEMS) {
        snprintf(msg, sizeof msg, "limit must be 1 to %d", XSIRT_LIMIT_PAGE_ITEMS);
        xsirt_http_error(res, 400, "invalid", msg, "limit");
        return -1;
    }
    pg->limit = (int)v;
    return 0;
}

/* A page of a list (list) or of a sub-resource of the path's id (sub). */
static int api_paged(xsirt_response *res, xsirt_request *req, const char *cursor_name,
                     xsirt_api_list_fn list, xsirt_api_page_fn sub)
{
    json_t *out = NULL;
    xsirt_page pg;
    xsirt_error err;
    int rc;

    if (xsirt_api_page(&pg, res, req, cursor_name) != 0)
        return 0;
    rc = list != NULL ? list(&out, req->db, &req->who, &pg, &err)
                      : sub(&out, req->db, &req->who, req->params[0], &pg, &err);
    return xsirt_api_reply(res, rc, 200, out, &err);
}

int xsirt_api_call_page(xsirt_response *res, xsirt_request *req, xsirt_api_page_fn fn)
{
    return api_paged(res, req, "cursor", NULL, fn);
}

int xsirt_api_call_list(xsirt_response *res, xsirt_request *req, xsirt_api_list_fn fn)
{
    return api_paged(res, req, "cursor", fn, NULL);
}

int xsirt_api_call_list_after(xsirt_response *res, xsirt_request *req, xsirt_api_list_fn fn)
{
    return api_paged(res, req, "after", fn, NULL);
}

int xsirt_api_call_id(xsirt_response *res, xsirt_request *req, xsirt_api_id_fn fn)
{
    json_t *out = NULL;
    xsirt_error err;
    int rc = fn(&out, req->db, &req->who, req->params[0], &err);

    return xsirt_api_reply(res, rc, 200, out, &err);
}

int xsirt_api_call_body(xsirt_response *res, xsirt_request *req, int status, xsirt_api_body_fn fn)
{
    const json_t *in = xsirt_api_body(res, req);
    json_t *out = NULL;
    xsirt_error err;
    int rc;

    if (in == NULL)
        return 0;
    rc = fn(&out, req->db, &req->who, in, &err);
    return xsirt_api_reply(res, rc, status, out, &err);
}

int xsirt_api_call_id_body(xsirt_response *res, xsirt_request *req, int status,
                           xsirt_api_id_body_fn fn)
{
    const json_t *in = xsirt_api_body(res, req);
    json_t *out = NULL;
    xsirt_error err;
    int rc;

    if (in == NULL)
        return 0;
    rc = fn(&out, req->db, &req->who, req->params[0], in, &err);
    return xsirt_api_reply(res, rc, status, out, &err);
}
