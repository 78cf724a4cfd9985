/*
 * api_notify.c — /api/v1/notification-rules: a team's rules, seen and
 * changed by its leads and the administrators. GET of a rule sends its
 * revision as ETag and PATCH takes it back in If-Match; a rule shows how
 * its delivery goes ("last_error", "last_delivered", "pending").
 */
#include "server/api.h"
#include "server/router.h"
#include "store/notification_rule.h"

int xsirt_api_notification_rules_list(xsirt_response *res, xsirt_request *req)
{
    return xsirt_api_call_list(res, req, xsirt_notification_rule_page);
}

int xsirt_api_notification_rules_create(xsirt_response *res, xsirt_request *req)
{
    return xsirt_api_call_create(res, req, "/api/v1/notification-rules/",
                                 xsirt_notification_rule_create);
}

int xsirt_api_notification_rules_get(xsirt_response *res, xsirt_request *req)
{
    return xsirt_api_call_get(res, req, xsirt_notification_rule_get);
}

int xsirt_api_notification_rules_update(xsirt_response *res, xsirt_request *req)
{
    return xsirt_api_call_update(res, req, "notification rule", xsirt_notification_rule_update);
}

int xsirt_api_notification_rules_delete(xsirt_response *res, xsirt_request *req)
{
    xsirt_error err;
    int rc = xsirt_notification_rule_delete(req->db, &req->who, req->params[0], &err);

    return xsirt_api_reply(res, rc, 200, json_pack("{s:b}", "deleted", 1), &err);
}
