/*
 * api_reports.c — what management reads: /api/v1/statistics (JSON and
 * CSV) from the incremental counters of store/metrics.c, and the
 * quarterly and case reports (report/management.c) as PDF or HTML. Every
 * figure and case honours the caller's teams and TLP (docs/metrics.md).
 * And the readiness self-assessment (store/readiness.c) and lessons
 * learned: reviews, the knowledge base and their exports (store/knowledge.c).
 */
#include <stdlib.h>
#include <string.h>

#include "report/document.h"
#include "report/management.h"
#include "server/api.h"
#include "server/router.h"
#include "core/str.h"
#include "store/knowledge.h"
#include "store/metrics.h"
#include "store/profile.h"
#include "store/readiness.h"

/* The statistics arguments, or a 400 answer and -1. */
static int reports_query(xsirt_metrics_query *q, xsirt_response *res, const xsirt_request *req)
{
    xsirt_error err;

    if (xsirt_metrics_query_parse(q, xsirt_http_query(req, "team"), xsirt_http_query(req, "from"),
                                  xsirt_http_query(req, "to"), xsirt_http_query(req, "interval"),
                                  &err) != 0 ||
        xsirt_metrics_query_asset(q, xsirt_http_query(req, "asset"), &err) != 0) {
        xsirt_http_store_error(res, &err);
        return -1;
    }
    return 0;
}

int xsirt_api_statistics(xsirt_response *res, xsirt_request *req)
{
    xsirt_metrics_query q;
    xsirt_error err;
    json_t *out = NULL;
    int rc;

    if (reports_query(&q, res, req) != 0)
        return 0;
    rc = xsirt_metrics_statistics(&out, req->db, &req->who, &q, &err);
    return xsirt_api_reply(res, rc, 200, out, &err);
}

int xsirt_api_statistics_csv(xsirt_response *res, xsirt_request *req)
{
    xsirt_metrics_query q;
    xsirt_error err;
    json_t *stats = NULL;
    char *csv = NULL;
    size_t size = 0;
    int rc;

    if (reports_query(&q, res, req) != 0)
        return 0;
    rc = xsirt_metrics_statistics(&stats, req->db, &req->who, &q, &err);
    if (rc == 0)
        rc = xsirt_metrics_csv(&csv, &size, stats, &err);
    json_decref(stats);
    if (rc != 0)
        return xsirt_http_store_error(res, &err);
    res->status = 200;
    res->owned_text = csv;
    res->owned_size = size;
    res->content_type = "text/csv; charset=utf-8";
    return 0;
}

/* format=pdf|html (pdf by default): the document rendered, or a 400. */
static int reports_render(xsirt_response *res, const xsirt_request *req, int rc, json_t *doc,
                          const xsirt_error *err)
{
    const char *format = xsirt_http_query(req, "format");
    bool html = format != NULL && strcmp(format, "html") == 0;
    xsirt_error rerr;
    char *out = NULL;
    size_t size = 0;

    if (rc != 0)
        return xsirt_http_store_error(res, err);
    rc = html ? xsirt_document_html(&out, &size, doc, &rerr) : xsirt_document_pdf(&out, &size, doc, &rerr);
    json_decref(doc);
    if (rc != 0)
        return xsirt_http_store_error(res, &rerr);
    res->status = 200;
    res->owned_text = out;
    res->owned_size = size;
    res->content_type = html ? "text/html; charset=utf-8" : "application/pdf";
    return 0;
}

static int reports_format(xsirt_response *res, const xsirt_request *req)
{
    const char *format = xsirt_http_query(req, "format");

    if (format != NULL && strcmp(format, "pdf") != 0 && strcmp(format, "html") != 0) {
        xsirt_http_error(res, 400, "invalid", "format must be pdf or html", "format");
        return -1;
    }
    return 0;
}

/* language=ja|en (the store checks the value); without it, the language
 * the caller chose in their profile, else English. */
static const char *reports_lang(const xsirt_request *req)
{
    const char *lang = xsirt_http_query(req, "language");

    return lang != NULL ? lang : xsirt_profile_language(req->db, req->who.user_id, "en");
}

int xsirt_api_report(xsirt_response *res, xsirt_request *req)
{
    xsirt_error err;
    json_t *doc = NULL;
    int64_t team;
    int rc;

    if (reports_format(res, req) != 0 || (team = xsirt_api_query_id(res, req, "team")) < 0)
        return 0;
    rc = xsirt_management_quarter(&doc, req->db, &req->who, team, xsirt_http_query(req, "period"),
                                  reports_lang(req), &err);
    return reports_render(res, req, rc, doc, &err);
}

int xsirt_api_case_report(xsirt_response *res, xsirt_request *req)
{
    xsirt_error err;
    json_t *doc = NULL;
    int rc;

    if (reports_format(res, req) != 0)
        return 0;
    rc = xsirt_management_case(&doc, req->db, &req->who, req->params[0], reports_lang(req), &err);
    return reports_render(res, req, rc, doc, &err);
}

int xsirt_api_readiness_get(xsirt_response *res, xsirt_request *req)
{
    xsirt_error err;
    json_t *out = NULL;
    int64_t team;
    int rc;

    if ((team = xsirt_api_query_id(res, req, "team")) < 0)
        return 0;
    rc = xsirt_readiness_get(&out, req->db, &req->who, team, reports_lang(req), &err);
    return xsirt_api_reply(res, rc, 200, out, &err);
}

int xsirt_api_readiness_post(xsirt_response *res, xsirt_request *req)
{
    return xsirt_api_call_body(res, req, 201, xsirt_readiness_answer);
}

/* ---- lessons learned ----------------------------------------------------- */

int xsirt_api_review_put(xsirt_response *res, xsirt_request *req)
{
    return xsirt_api_call_id_body(res, req, 200, xsirt_knowledge_review_put);
}

/* format=json (default), markdown or stix. */
int xsirt_api_review_get(xsirt_response *res, xsirt_request *req)
{
    const char *format = xsirt_http_query(req, "format");
    xsirt_error err;
    json_t *review = NULL, *stix = NULL;
    char *md = NULL;
    int rc;

    if (format != NULL && strcmp(format, "json") != 0 && strcmp(format, "markdown") != 0 &&
        strcmp(format, "stix") != 0)
        return xsirt_http_error(res, 400, "invalid", "format must be json, markdown or stix", "format");
    rc = xsirt_knowledge_review_get(&review, req->db, &req->who, req->params[0], &err);
    if (rc != 0 || format == NULL || strcmp(format, "json") == 0)
        return xsirt_api_reply(res, rc, 200, review, &err);
    if (strcmp(format, "stix") == 0) {
        rc = xsirt_knowledge_stix(&stix, review, &err);
        json_decref(review);
        return xsirt_api_reply(res, rc, 200, stix, &err);
    }
    rc = xsirt_knowledge_markdown(&md, review, &err);
    json_decref(review);
    if (rc != 0)
        return xsirt_http_store_error(res, &err);
    res->status = 200;
    res->owned_text = md;
    res->content_type = "text/markdown; charset=utf-8";
    return 0;
}

int xsirt_api_knowledge(xsirt_response *res, xsirt_request *req)
{
    const char *limit = xsirt_http_query(req, "limit");
    bool bad = false;
    const char *q = xsirt_api_query_text(res, req, "q", &bad);
    xsirt_error err;
    json_t *out = NULL;
    uint64_t v = 50;
    int rc;

    if (bad)
        return 0;
    if (limit != NULL && (xsirt_parse_u64(&v, limit, strlen(limit)) != 0 || v < 1 || v > 200))
        return xsirt_http_error(res, 400, "invalid", "limit must be 1 to 200", "limit");
    rc = xsirt_knowledge_search(&out, req->db, &req->who, q, (int)v, &err);
    return xsirt_api_reply(res, rc, 200, out, &err);
}
