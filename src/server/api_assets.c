/*
 * api_assets.c — /api/v1/assets, their SBOMs and impact, and
 * /api/v1/components. GET of an asset sends its revision as ETag and
 * PATCH takes it back in If-Match, as for cases. An SBOM upload's body is
 * the document itself (router.c marks the route raw), matched against the
 * server's intelligence index (intel.h) before it is stored.
 */
#include <stdio.h>
#include <string.h>

#include "server/api.h"
#include "server/intel.h"
#include "server/router.h"
#include "store/asset.h"
#include "store/asset_vex.h"
#include "store/sbom_store.h"

int xsirt_api_assets_list(xsirt_response *res, xsirt_request *req)
{
    xsirt_asset_filter f;
    xsirt_page pg;
    bool bad = false;
    xsirt_error err;
    json_t *out = NULL;
    int rc;

    memset(&f, 0, sizeof f);
    f.kind = xsirt_api_query_text(res, req, "kind", &bad);
    f.text = xsirt_api_query_text(res, req, "q", &bad);
    if (bad || (f.team = xsirt_api_query_id(res, req, "team")) < 0 ||
        (f.parent = xsirt_api_query_id(res, req, "parent")) < 0 ||
        xsirt_api_page(&pg, res, req, "cursor") != 0)
        return 0;
    f.cursor = pg.cursor;
    f.limit = pg.limit;
    rc = xsirt_asset_list(&out, req->db, &req->who, &f, &err);
    return xsirt_api_reply(res, rc, 200, out, &err);
}

/* A device asset is matched by its vendor, name and version as soon as
 * it is created or changed (issue 15). */
static int assets_match_device(int rc, json_t **out, xsirt_db *db, const xsirt_principal *by,
                               xsirt_error *err)
{
    const xsirt_match_index *idx;

    if (rc != 0)
        return rc;
    idx = xsirt_intel_acquire();
    rc = xsirt_sbom_store_device(db, by, *out, idx, err);
    xsirt_intel_release();
    if (rc != 0) {
        json_decref(*out);
        *out = NULL;
    }
    return rc;
}

static int assets_create(json_t **out, xsirt_db *db, const xsirt_principal *by, const json_t *in,
                         xsirt_error *err)
{
    return assets_match_device(xsirt_asset_create(out, db, by, in, err), out, db, by, err);
}

static int assets_update(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                         int64_t revision, const json_t *in, xsirt_error *err)
{
    return assets_match_device(xsirt_asset_update(out, db, by, id, revision, in, err), out, db, by,
                               err);
}

int xsirt_api_assets_create(xsirt_response *res, xsirt_request *req)
{
    return xsirt_api_call_create(res, req, "/api/v1/assets/", assets_create);
}

int xsirt_api_assets_get(xsirt_response *res, xsirt_request *req)
{
    return xsirt_api_call_get(res, req, xsirt_asset_get);
}

int xsirt_api_assets_update(xsirt_response *res, xsirt_request *req)
{
    return xsirt_api_call_update(res, req, "asset", assets_update);
}

int xsirt_api_assets_delete(xsirt_response *res, xsirt_request *req)
{
    xsirt_error err;
    int rc = xsirt_asset_delete(req->db, &req->who, req->params[0], &err);

    return xsirt_api_reply(res, rc, 200, json_pack("{s:b}", "deleted", 1), &err);
}

int xsirt_api_assets_impact(xsirt_response *res, xsirt_request *req)
{
    return xsirt_api_call_page(res, req, xsirt_asset_impact);
}

int xsirt_api_sboms_list(xsirt_response *res, xsirt_request *req)
{
    return xsirt_api_call_page(res, req, xsirt_sbom_store_list);
}

int xsirt_api_sboms_upload(xsirt_response *res, xsirt_request *req)
{
    const xsirt_match_index *idx = xsirt_intel_acquire();
    json_t *out = NULL;
    xsirt_error err;
    int rc = xsirt_sbom_store_upload(&out, req->db, &req->who, req->params[0], req->raw,
                                     req->raw_len, idx, &err);

    xsirt_intel_release();
    if (rc == 0)
        snprintf(res->location, sizeof res->location, "/api/v1/assets/%lld/sboms",
                 (long long)req->params[0]);
    return xsirt_api_reply(res, rc, 201, out, &err);
}

int xsirt_api_components_list(xsirt_response *res, xsirt_request *req)
{
    xsirt_component_filter f;
    xsirt_page pg;
    bool bad = false;
    xsirt_error err;
    json_t *out = NULL;
    int rc;

    memset(&f, 0, sizeof f);
    f.purl = xsirt_api_query_text(res, req, "purl", &bad);
    f.name = xsirt_api_query_text(res, req, "name", &bad);
    f.version = xsirt_api_query_text(res, req, "version", &bad);
    if (bad || (f.asset = xsirt_api_query_id(res, req, "asset")) < 0 ||
        xsirt_api_page(&pg, res, req, "cursor") != 0)
        return 0;
    f.cursor = pg.cursor;
    f.limit = pg.limit;
    rc = xsirt_sbom_store_components(&out, req->db, &req->who, &f, &err);
    return xsirt_api_reply(res, rc, 200, out, &err);
}

int xsirt_api_assets_vex(xsirt_response *res, xsirt_request *req)
{
    bool bad = false;
    const char *format = xsirt_api_query_text(res, req, "format", &bad);
    json_t *out = NULL;
    xsirt_error err;
    int rc;

    if (bad)
        return 0;
    rc = xsirt_asset_vex(&out, req->db, &req->who, req->params[0],
                         format != NULL ? format : "openvex", &err);
    return xsirt_api_reply(res, rc, 200, out, &err);
}
