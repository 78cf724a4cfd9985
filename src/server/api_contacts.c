/*
 * api_contacts.c — a team's contact groups and their members
 * (store/contact_group.h; docs/api.md, "Contact groups").
 */
#include "server/api.h"
#include "server/router.h"
#include "store/contact_group.h"

int xsirt_api_contact_groups_list(xsirt_response *res, xsirt_request *req)
{
    return xsirt_api_call_id(res, req, xsirt_contact_group_list);
}

int xsirt_api_contact_groups_create(xsirt_response *res, xsirt_request *req)
{
    return xsirt_api_call_id_body(res, req, 201, xsirt_contact_group_create);
}

int xsirt_api_contact_groups_get(xsirt_response *res, xsirt_request *req)
{
    return xsirt_api_call_id(res, req, xsirt_contact_group_get);
}

int xsirt_api_contact_groups_update(xsirt_response *res, xsirt_request *req)
{
    return xsirt_api_call_id_body(res, req, 200, xsirt_contact_group_update);
}

int xsirt_api_contact_groups_delete(xsirt_response *res, xsirt_request *req)
{
    return xsirt_api_call_id(res, req, xsirt_contact_group_delete);
}

int xsirt_api_contact_members_create(xsirt_response *res, xsirt_request *req)
{
    return xsirt_api_call_id_body(res, req, 201, xsirt_contact_group_member_add);
}

int xsirt_api_contact_members_update(xsirt_response *res, xsirt_request *req)
{
    const json_t *in = xsirt_api_body(res, req);
    json_t *out = NULL;
    xsirt_error err;
    int rc;

    if (in == NULL)
        return 0;
    rc = xsirt_contact_group_member_update(&out, req->db, &req->who, req->params[0], req->params[1], in, &err);
    return xsirt_api_reply(res, rc, 200, out, &err);
}

int xsirt_api_contact_members_delete(xsirt_response *res, xsirt_request *req)
{
    json_t *out = NULL;
    xsirt_error err;
    int rc = xsirt_contact_group_member_delete(&out, req->db, &req->who, req->params[0], req->params[1], &err);

    return xsirt_api_reply(res, rc, 200, out, &err);
}
