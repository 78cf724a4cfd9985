/*
 * api_advisories.c — /api/v1/advisories: drafts from a case, edits with
 * If-Match, the CSAF document, and publication, which answers 422 with
 * the validator's failures when the document fails it (advisory.h).
 */
#include <string.h>

#include "server/api.h"
#include "server/orgkey.h"
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

/* 422 with a validator's verdict for the author to fix: code, and the
 * failures under "failures" beside the ordinary error object. */
static int advisory_invalid(xsirt_response *res, const char *code, const xsirt_error *err,
                            const json_t *failures)
{
    json_t *body = json_pack("{s:{s:s, s:s, s:n, s:O}}", "error", "code", code, "message",
                             err->message, "field", "failures", failures);

    return xsirt_http_json(res, 422, body);
}

int xsirt_api_advisories_cve(xsirt_response *res, xsirt_request *req)
{
    json_t *out = NULL, *failures = NULL;
    xsirt_error err;
    int rc = xsirt_advisory_cve(&out, &failures, req->db, &req->who, req->params[0], &err);

    if (rc != 0 && failures != NULL) {   /* only valid records leave the server */
        rc = advisory_invalid(res, "invalid_cve", &err, failures);
        json_decref(failures);
        return rc;
    }
    return xsirt_api_reply(res, rc, 200, out, &err);
}

/* The published document is signed with the organisation's key as it is
 * published (the provider's .asc); without a key (none was made: see
 * orgkey.h) it is published unsigned. A key that cannot sign is 409 on
 * the setting, and nothing is published. */
static int advisories_sign(char **asc, const char *text, void *ctx, xsirt_error *err)
{
    xsirt_request *req = ctx;
    char fpr[XSIRT_ORGKEY_FPR_MAX];
    xsirt_error e;

    *asc = NULL;
    if (xsirt_orgkey_fingerprint(fpr, sizeof fpr, req->db, &e) != 0)
        return e.code == XSIRT_ENOTFOUND ? 0 : xsirt_error_set(err, e.code, "%s", e.message);
    if (xsirt_orgkey_sign(asc, req->db, xsirt_http_gnupg_home(), text, &e) != 0)
        return xsirt_error_set_pointer(err, XSIRT_ECONFLICT, "openpgp_key",
                                       "the advisory cannot be signed with the organisation's "
                                       "key: %s", e.message);
    return 0;
}

int xsirt_api_advisories_validation(xsirt_response *res, xsirt_request *req)
{
    return xsirt_api_call_id(res, req, xsirt_advisory_validate);
}

int xsirt_api_advisories_publish(xsirt_response *res, xsirt_request *req)
{
    xsirt_advisory_signer signer = {advisories_sign, req};
    int64_t revision = xsirt_api_if_match(req);
    json_t *out = NULL, *failures = NULL;
    xsirt_error err;
    int rc;

    if (revision < 0)
        return xsirt_http_error(res, 400, "invalid", "If-Match must be the advisory's ETag",
                                "If-Match");
    rc = xsirt_advisory_publish(&out, &failures, req->db, &req->who, req->params[0], revision,
                                &signer, &err);
    if (rc != 0 && failures != NULL) {
        /* The validator's verdict, test by test (CSAF) or path by path (a
         * CVE record), for the author to fix. */
        rc = advisory_invalid(res, json_object_get(failures, "kind") != NULL ? "invalid_cve"
                                                                           : "invalid_csaf",
                              &err, json_object_get(failures, "failures"));
        json_decref(failures);
        return rc;
    }
    json_decref(failures);
    if (rc == 0)
        xsirt_api_etag(res, out);
    return xsirt_api_reply(res, rc, 200, out, &err);
}
