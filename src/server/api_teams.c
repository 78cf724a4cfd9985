/*
 * api_teams.c — teams, their members and their service levels.
 */
#include "server/api.h"
#include "server/router.h"
#include "store/json_input.h"
#include "store/service_level.h"
#include "store/team.h"

int xsirt_api_teams_list(xsirt_response *res, xsirt_request *req)
{
    return xsirt_api_call_list(res, req, xsirt_team_list);
}

int xsirt_api_teams_create(xsirt_response *res, xsirt_request *req)
{
    return xsirt_api_call_body(res, req, 201, xsirt_team_create);
}

int xsirt_api_teams_get(xsirt_response *res, xsirt_request *req)
{
    return xsirt_api_call_id(res, req, xsirt_team_get);
}

int xsirt_api_teams_update(xsirt_response *res, xsirt_request *req)
{
    return xsirt_api_call_id_body(res, req, 200, xsirt_team_update);
}

int xsirt_api_team_members_list(xsirt_response *res, xsirt_request *req)
{
    return xsirt_api_call_page(res, req, xsirt_team_members);
}

int xsirt_api_team_members_put(xsirt_response *res, xsirt_request *req)
{
    static const xsirt_field fields[] = {
        {"role", XSIRT_FIELD_STRING, true, false, 16},
        {NULL, 0, false, false, 0},
    };
    const json_t *in = xsirt_api_body(res, req);
    xsirt_error err;
    int rc;

    if (in == NULL)
        return 0;
    if ((rc = xsirt_json_check(in, fields, false, &err)) == 0)
        rc = xsirt_team_set_member(req->db, &req->who, req->params[0], req->params[1],
                                   xsirt_json_str(in, "role"), &err);
    return xsirt_api_reply(res, rc, 200,
                           json_pack("{s:I, s:s}", "user", (json_int_t)req->params[1], "role",
                                     rc == 0 ? xsirt_json_str(in, "role") : ""), &err);
}

int xsirt_api_team_members_delete(xsirt_response *res, xsirt_request *req)
{
    xsirt_error err;
    int rc = xsirt_team_remove_member(req->db, &req->who, req->params[0], req->params[1], &err);

    return xsirt_api_reply(res, rc, 200, json_pack("{s:b}", "removed", 1), &err);
}

int xsirt_api_service_levels_get(xsirt_response *res, xsirt_request *req)
{
    return xsirt_api_call_id(res, req, xsirt_service_level_list);
}

int xsirt_api_service_levels_put(xsirt_response *res, xsirt_request *req)
{
    return xsirt_api_call_id_body(res, req, 200, xsirt_service_level_set);
}
