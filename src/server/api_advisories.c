/*
 * api_advisories.c — /api/v1/advisories: drafts from a case, edits with
 * If-Match, the CSAF document, and publication, which answers 422 with
 * the validator's failures when the document fails it (advisory.h).
 */
#include <string.h>

#include "server/api.h"
#include "server/router.h"
#include "store/advisory.h"

int xsirt_api_advisories_list(xsirt_response *res, xsirt_request *req)
{
    return xsirt_api_call_list(res, req, xsirt_advisory_list);
}

int xsirt_api_advisories_create(xsirt_response *res, xsirt_request *req)
{
    return xsirt_api_call_create(res, req, "/api/v1/advisories/", xsirt_advisory_create);
}

int xsirt_api_advisories_get(xsirt_response *res, xsirt_request *req)
{
    return xsirt_api_call_get(res, req, xsirt_advisory_get);
}

int xsirt_api_advisories_update(xsirt_response *res, xsirt_request *req)
{
    return xsirt_api_call_update(res, req, "advisory", xsirt_advisory_update);
}

int xsirt_api_advisories_csaf(xsirt_response *res, xsirt_request *req)
{
    return xsirt_api_call_id(res, req, xsirt_advisory_csaf);
}

int xsirt_api_advisories_cve(xsirt_response *res, xsirt_request *req)
{
    return xsirt_api_call_id(res, req, xsirt_advisory_cve);
}

int xsirt_api_advisories_validation(xsirt_response *res, xsirt_request *req)
{
    return xsirt_api_call_id(res, req, xsirt_advisory_validate);
}

int xsirt_api_advisories_publish(xsirt_response *res, xsirt_request *req)
{
    int64_t revision = xsirt_api_if_match(req);
    json_t *out = NULL, *failures = NULL;
    xsirt_error err;
    int rc;

    if (revision < 0)
        return xsirt_http_error(res, 400, "invalid", "If-Match must be the advisory's ETag",
                                "If-Match");
    rc = xsirt_advisory_publish(&out, &failures, req->db, &req->who, req->params[0], revision,
                                &err);
    if (rc != 0 && failures != NULL) {
        /* The validator's verdict, test by test, for the author to fix. */
        json_t *body = json_pack("{s:{s:s, s:s, s:n, s:O}}", "error", "code", "invalid_csaf",
                                 "message", err.message, "field", "failures",
                                 json_object_get(failures, "failures"));
        json_decref(failures);
        return xsirt_http_json(res, 422, body);
    }
    json_decref(failures);
    if (rc == 0)
        xsirt_api_etag(res, out);
    return xsirt_api_reply(res, rc, 200, out, &err);
}
