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
