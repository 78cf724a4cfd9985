/*
 * api_findings.c — /api/v1/findings (list with filters, one finding with
 * its history, a decision with If-Match, batch triage) and
 * /api/v1/settings (administrators only).
 */
#include <stdio.h>
#include <string.h>

#include "server/api.h"
#include "server/intel.h"
#include "server/router.h"
#include "store/finding.h"
#include "store/settings.h"

int xsirt_api_findings_list(xsirt_response *res, xsirt_request *req)
{
    xsirt_finding_filter f;
    xsirt_page pg;
    bool bad = false;
    xsirt_error err;
    json_t *out = NULL;
    int rc;

    memset(&f, 0, sizeof f);
    f.state = xsirt_api_query_text(res, req, "state", &bad);
    f.priority = xsirt_api_query_text(res, req, "priority", &bad);
    f.vulnerability = xsirt_api_query_text(res, req, "vulnerability", &bad);
    f.component = xsirt_api_query_text(res, req, "component", &bad);
    if (bad || (f.asset = xsirt_api_query_id(res, req, "asset")) < 0 ||
        (f.team = xsirt_api_query_id(res, req, "team")) < 0 ||
        xsirt_api_page(&pg, res, req, "cursor") != 0 ||
        !xsirt_api_query_bool(res, req, "kev", &f.kev) ||
        !xsirt_api_query_bool(res, req, "active", &f.active))
        return 0;
    f.cursor = pg.cursor;
    f.limit = pg.limit;
    /* The records that list it as an alias, from the index in force. */
    f.aliased = f.vulnerability != NULL ? xsirt_intel_aliased(f.vulnerability) : NULL;
    rc = xsirt_finding_list(&out, req->db, &req->who, &f, &err);
    json_decref(f.aliased);
    return xsirt_api_reply(res, rc, 200, out, &err);
}

int xsirt_api_findings_get(xsirt_response *res, xsirt_request *req)
{
    return xsirt_api_call_get(res, req, xsirt_finding_get);
}

int xsirt_api_findings_history(xsirt_response *res, xsirt_request *req)
{
    return xsirt_api_call_page(res, req, xsirt_finding_history);
}

int xsirt_api_findings_update(xsirt_response *res, xsirt_request *req)
{
    return xsirt_api_call_update(res, req, "finding", xsirt_finding_update);
}

int xsirt_api_findings_triage(xsirt_response *res, xsirt_request *req)
{
    return xsirt_api_call_body(res, req, 200, xsirt_finding_triage);
}

int xsirt_api_settings_get(xsirt_response *res, xsirt_request *req)
{
    json_t *out = NULL;
    xsirt_error err;
    int rc = xsirt_settings_get(&out, req->db, &req->who, &err);

    return xsirt_api_reply(res, rc, 200, out, &err);
}

int xsirt_api_settings_update(xsirt_response *res, xsirt_request *req)
{
    return xsirt_api_call_body(res, req, 200, xsirt_settings_update);
}
