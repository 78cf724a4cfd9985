/*
 * api_workflows.c — workflows, case kinds and escalation rules: the parts
 * of the process that are data.
 */
#include "server/api.h"
#include "server/router.h"
#include "store/escalation.h"
#include "store/workflow.h"

int xsirt_api_workflows_list(xsirt_response *res, xsirt_request *req)
{
    return xsirt_api_call_list(res, req, xsirt_workflow_list);
}

int xsirt_api_workflows_get(xsirt_response *res, xsirt_request *req)
{
    return xsirt_api_call_id(res, req, xsirt_workflow_get);
}

int xsirt_api_workflows_create(xsirt_response *res, xsirt_request *req)
{
    return xsirt_api_call_body(res, req, 201, xsirt_workflow_create);
}

int xsirt_api_case_kinds_create(xsirt_response *res, xsirt_request *req)
{
    const json_t *in = xsirt_api_body(res, req);
    xsirt_error err;
    int rc;

    if (in == NULL)
        return 0;
    rc = xsirt_workflow_add_kind(req->db, &req->who, in, &err);
    return xsirt_api_reply(res, rc, 201, rc == 0 ? json_deep_copy(in) : NULL, &err);
}

int xsirt_api_escalation_rules_list(xsirt_response *res, xsirt_request *req)
{
    return xsirt_api_call_list(res, req, xsirt_escalation_rule_list);
}

int xsirt_api_escalation_rules_create(xsirt_response *res, xsirt_request *req)
{
    return xsirt_api_call_body(res, req, 201, xsirt_escalation_rule_create);
}

int xsirt_api_escalation_rules_get(xsirt_response *res, xsirt_request *req)
{
    return xsirt_api_call_get(res, req, xsirt_escalation_rule_get);
}

int xsirt_api_escalation_rules_update(xsirt_response *res, xsirt_request *req)
{
    return xsirt_api_call_update(res, req, "escalation rule", xsirt_escalation_rule_update);
}

int xsirt_api_escalation_rules_delete(xsirt_response *res, xsirt_request *req)
{
    xsirt_error err;
    int rc = xsirt_escalation_rule_delete(req->db, &req->who, req->params[0], &err);

    return xsirt_api_reply(res, rc, 200, json_pack("{s:b}", "deleted", 1), &err);
}
