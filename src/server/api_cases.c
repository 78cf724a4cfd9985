/*
 * api_cases.c — /api/v1/cases and its sub-resources. GET of a case sends
 * its revision as ETag; PATCH must send it back in If-Match (a stale one
 * is 412), so concurrent edits never overwrite each other silently.
 */
#include <stdio.h>
#include <string.h>

#include "core/str.h"
#include "server/api.h"
#include "server/router.h"
#include "store/case.h"
#include "store/escalation.h"
#include "xsirt/limits.h"

int xsirt_api_cases_list(xsirt_response *res, xsirt_request *req)
{
    xsirt_case_filter f;
    xsirt_page pg;
    bool bad = false;
    xsirt_error err;
    json_t *out = NULL;
    int rc;

    memset(&f, 0, sizeof f);
    f.state = xsirt_api_query_text(res, req, "state", &bad);
    f.severity = xsirt_api_query_text(res, req, "severity", &bad);
    f.tlp = xsirt_api_query_text(res, req, "tlp", &bad);
    f.label = xsirt_api_query_text(res, req, "label", &bad);
    f.kind = xsirt_api_query_text(res, req, "kind", &bad);
    f.text = xsirt_api_query_text(res, req, "q", &bad);
    if (bad || (f.team = xsirt_api_query_id(res, req, "team")) < 0 ||
        (f.assignee = xsirt_api_query_id(res, req, "assignee")) < 0 ||
        xsirt_api_page(&pg, res, req, "cursor") != 0 ||
        !xsirt_api_query_bool(res, req, "overdue", &f.overdue))
        return 0;
    f.overdue = f.overdue == 1;
    f.cursor = pg.cursor;
    f.limit = pg.limit;
    rc = xsirt_case_list(&out, req->db, &req->who, &f, &err);
    return xsirt_api_reply(res, rc, 200, out, &err);
}

int xsirt_api_cases_create(xsirt_response *res, xsirt_request *req)
{
    return xsirt_api_call_create(res, req, "/api/v1/cases/", xsirt_case_create);
}

/* The case's JSON is written from its rows straight into the answer's
 * text (xsirt_case_get_text): the server's most frequent request. */
int xsirt_api_cases_get(xsirt_response *res, xsirt_request *req)
{
    xsirt_buf b;
    xsirt_error err;
    int64_t revision = 0;
    size_t len;
    int rc;

    xsirt_buf_init(&b, XSIRT_LIMIT_ANSWER_BYTES);
    (void)xsirt_buf_reserve(&b, 2048);   /* most cases fit; without memory it grows later */
    rc = xsirt_case_get_text(&b, &revision, req->db, &req->who, req->params[0], &err);
    len = b.len;
    if (rc == 0 && (res->owned_text = xsirt_buf_detach(&b)) == NULL)
        rc = xsirt_error_set(&err, XSIRT_ENOMEM, "out of memory");
    xsirt_buf_free(&b);
    if (rc != 0)
        return xsirt_http_store_error(res, &err);
    res->owned_size = len;
    res->content_type = "application/json";
    res->status = 200;
    snprintf(res->etag, sizeof res->etag, "\"%lld\"", (long long)revision);
    return 0;
}

int xsirt_api_cases_update(xsirt_response *res, xsirt_request *req)
{
    return xsirt_api_call_update(res, req, "case", xsirt_case_update);
}

int xsirt_api_cases_transition(xsirt_response *res, xsirt_request *req)
{
    const json_t *in = xsirt_api_body(res, req);
    int64_t revision = xsirt_api_if_match(req);
    json_t *out = NULL;
    xsirt_error err;
    int rc;

    if (in == NULL)
        return 0;
    if (revision < 0)
        return xsirt_http_error(res, 400, "invalid", "If-Match must be the case's ETag", "If-Match");
    rc = xsirt_case_transition(&out, req->db, &req->who, req->params[0], revision, in, &err);
    if (rc == 0)
        xsirt_api_etag(res, out);
    return xsirt_api_reply(res, rc, 200, out, &err);
}

/* The POST sub-resources share one shape: body in, case out. */
typedef int (*case_add_fn)(json_t **, xsirt_db *, const xsirt_principal *, int64_t, const json_t *,
                           xsirt_error *);

static int cases_add(xsirt_response *res, xsirt_request *req, case_add_fn fn)
{
    const json_t *in = xsirt_api_body(res, req);
    json_t *out = NULL;
    xsirt_error err;
    int rc;

    if (in == NULL)
        return 0;
    rc = fn(&out, req->db, &req->who, req->params[0], in, &err);
    if (rc == 0)
        xsirt_api_etag(res, out);
    return xsirt_api_reply(res, rc, 201, out, &err);
}

int xsirt_api_cases_notes_create(xsirt_response *res, xsirt_request *req)
{
    return cases_add(res, req, xsirt_case_add_note);
}

int xsirt_api_cases_tasks_create(xsirt_response *res, xsirt_request *req)
{
    return xsirt_api_call_id_body(res, req, 201, xsirt_case_add_task);   /* a task, not a case */
}

int xsirt_api_cases_participants_create(xsirt_response *res, xsirt_request *req)
{
    return cases_add(res, req, xsirt_case_add_participant);
}

int xsirt_api_cases_links_create(xsirt_response *res, xsirt_request *req)
{
    return cases_add(res, req, xsirt_case_add_link);
}

int xsirt_api_cases_timeline(xsirt_response *res, xsirt_request *req)
{
    return xsirt_api_call_page(res, req, xsirt_case_timeline);
}

int xsirt_api_cases_tasks_list(xsirt_response *res, xsirt_request *req)
{
    return xsirt_api_call_page(res, req, xsirt_case_tasks);
}

int xsirt_api_cases_escalations(xsirt_response *res, xsirt_request *req)
{
    json_t *c = NULL, *out = NULL;
    xsirt_page pg;
    xsirt_error err;
    int rc;

    if (xsirt_api_page(&pg, res, req, "cursor") != 0)
        return 0;
    rc = xsirt_case_get(&c, req->db, &req->who, req->params[0], &err);
    json_decref(c);
    if (rc == 0)
        rc = xsirt_escalation_list(&out, req->db, req->params[0], &pg, &err);
    return xsirt_api_reply(res, rc, 200, out, &err);
}
