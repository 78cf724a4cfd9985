/*
 * api_audit.c — the audit log (admins and auditors) and the API's own
 * description, the OpenAPI document compiled in from docs/openapi.json.
 */
#include <string.h>

#include "server/api.h"
#include "server/router.h"
#include "store/audit.h"
#include "store/store.h"

/* Generated at build time from docs/openapi.json (src/CMakeLists.txt). */
extern const char xsirt_openapi_json[];

int xsirt_api_audit_list(xsirt_response *res, xsirt_request *req)
{
    /* `after` is the audit log's cursor (a sequence number). */
    return xsirt_api_call_list_after(res, req, xsirt_audit_list);
}

int xsirt_api_audit_verify(xsirt_response *res, xsirt_request *req)
{
    xsirt_audit_report r;
    xsirt_error err;
    int rc;

    if (!req->who.admin && !req->who.auditor)
        return xsirt_http_error(res, 403, "forbidden", "only admins and auditors verify the audit log",
                                NULL);
    rc = xsirt_store_verify(&r, req->db, &err);
    return xsirt_api_reply(res, rc, 200,
                           json_pack("{s:b, s:I, s:I, s:o, s:s}", "intact", xsirt_audit_intact(&r),
                                     "records", (json_int_t)r.records, "cases", (json_int_t)r.cases,
                                     "first_bad",
                                     r.bad_seq ? json_integer((json_int_t)r.bad_seq) : json_null(),
                                     "problem", r.problem), &err);
}

int xsirt_api_openapi(xsirt_response *res, xsirt_request *req)
{
    (void)req;
    res->status = 200;
    res->text = xsirt_openapi_json;
    res->content_type = "application/json";
    return 0;
}
