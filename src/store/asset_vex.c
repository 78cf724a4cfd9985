/*
 * asset_vex.c — VEX documents from an asset's findings (see asset_vex.h).
 * The findings are read through the same visibility as the list
 * (finding.h), so a document holds exactly what its reader may see.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "store/asset.h"
#include "store/asset_vex.h"
#include "store/clock.h"
#include "store/finding.h"
#include "xsirt/limits.h"

/* Findings of one asset, at most this many in one document: the most a
 * product's SBOM yields in practice is in the thousands. */
#define VEX_MAX_FINDINGS 20000

static const char *const vex_openvex_justifications[][2] = {
    {"code_not_present", "vulnerable_code_not_present"},
    {"code_not_reachable", "vulnerable_code_not_in_execute_path"},
    {"requires_configuration", "vulnerable_code_cannot_be_controlled_by_adversary"},
    {"requires_dependency", "vulnerable_code_cannot_be_controlled_by_adversary"},
    {"requires_environment", "vulnerable_code_cannot_be_controlled_by_adversary"},
    {"protected_by_compiler", "inline_mitigations_already_exist"},
    {"protected_at_runtime", "inline_mitigations_already_exist"},
    {"protected_at_perimeter", "inline_mitigations_already_exist"},
    {"protected_by_mitigating_control", "inline_mitigations_already_exist"},
};

static const char *vex_str(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/* Every active finding of the asset itself (the list also gives those of
 * the assets nested under it: they have VEX documents of their own). */
static int vex_findings(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t asset,
                        xsirt_error *err)
{
    xsirt_finding_filter f = {.asset = asset, .kev = -1, .active = 1, .limit = 200};
    json_t *all = json_array();
    size_t bytes = 0;
    int rc = 0;

    do {
        json_t *page = NULL, *next, *x;
        size_t i;
        if ((rc = xsirt_finding_list(&page, db, by, &f, err)) != 0)
            break;
        json_array_foreach(json_object_get(page, "items"), i, x) {
            if (json_integer_value(json_object_get(x, "asset")) == asset) {
                json_array_append(all, x);
                bytes += json_dumpb(x, NULL, 0, JSON_COMPACT);
            }
        }
        next = json_object_get(page, "next");
        f.cursor = json_is_integer(next) ? (int64_t)json_integer_value(next) : 0;
        json_decref(page);
        if (rc == 0 && bytes > XSIRT_LIMIT_VEX_BYTES)
            rc = xsirt_error_set(err, XSIRT_ELIMIT, "the asset's findings come to more than "
                                 "%u bytes: too large for one VEX document (split the asset, "
                                 "or read its findings from /api/v1/findings?asset=%lld)",
                                 XSIRT_LIMIT_VEX_BYTES, (long long)asset);
        if (rc == 0 && json_array_size(all) > VEX_MAX_FINDINGS)
            rc = xsirt_error_set(err, XSIRT_ELIMIT, "more than %d active findings: too many "
                                 "for one VEX document", VEX_MAX_FINDINGS);
    } while (rc == 0 && f.cursor != 0);
    if (rc != 0) {
        json_decref(all);
        all = NULL;
    }
    *out = all;
    return rc;
}

/* A product or component id: its purl, else a URN naming it here. */
static json_t *vex_product_id(const char *purl, const char *kind, int64_t id)
{
    char urn[64];

    if (purl != NULL)
        return json_string(purl);
    snprintf(urn, sizeof urn, "urn:xsirt:%s:%lld", kind, (long long)id);
    return json_string(urn);
}

static json_t *vex_openvex_statement(const json_t *f, const json_t *asset)
{
    const json_t *c = json_object_get(f, "component"), *v = json_object_get(f, "vulnerability");
    const char *state = vex_str(f, "state"), *just = vex_str(f, "justification");
    const char *detail = vex_str(f, "detail");
    json_t *st = json_pack("{s:{s:O, s:O}, s:[{s:o, s:[{s:o}]}]}", "vulnerability", "name",
                           json_object_get(v, "id"), "aliases", json_object_get(v, "aliases"),
                           "products", "@id",
                           vex_product_id(vex_str(json_object_get(asset, "identifiers"), "purl"),
                                          "asset", json_integer_value(json_object_get(asset, "id"))),
                           "subcomponents", "@id",
                           vex_product_id(vex_str(c, "purl"), "finding",
                                          json_integer_value(json_object_get(f, "id"))));

    if (strcmp(state, "exploitable") == 0) {
        json_object_set_new(st, "status", json_string("affected"));
        json_object_set_new(st, "action_statement",
                            json_string(detail != NULL ? detail : "under remediation"));
    } else if (strcmp(state, "resolved") == 0) {
        json_object_set_new(st, "status", json_string("fixed"));
    } else if (strcmp(state, "in_triage") == 0) {
        json_object_set_new(st, "status", json_string("under_investigation"));
    } else {
        json_object_set_new(st, "status", json_string("not_affected"));
        for (size_t i = 0; just != NULL && i < sizeof vex_openvex_justifications /
                                                sizeof vex_openvex_justifications[0]; i++)
            if (strcmp(just, vex_openvex_justifications[i][0]) == 0)
                json_object_set_new(st, "justification",
                                    json_string(vex_openvex_justifications[i][1]));
        if (strcmp(state, "false_positive") == 0 || json_object_get(st, "justification") == NULL)
            json_object_set_new(st, "impact_statement",
                                json_string(detail != NULL ? detail
                                            : strcmp(state, "false_positive") == 0
                                                ? "false positive: the component is not the one "
                                                  "the vulnerability affects"
                                                : "not affected"));
        else if (detail != NULL)
            json_object_set_new(st, "impact_statement", json_string(detail));
    }
    return st;
}

static json_t *vex_openvex(const json_t *asset, const json_t *findings, const char *now)
{
    char id[128];
    const json_t *f;
    json_t *sts = json_array();
    size_t i;

    snprintf(id, sizeof id, "urn:xsirt:vex:asset:%lld:%s",
             (long long)json_integer_value(json_object_get(asset, "id")), now);
    json_array_foreach(findings, i, f) json_array_append_new(sts, vex_openvex_statement(f, asset));
    return json_pack("{s:s, s:s, s:s, s:s, s:i, s:s, s:o}", "@context",
                     "https://openvex.dev/ns/v0.2.0", "@id", id, "author", "xsirt", "timestamp",
                     now, "version", 1, "tooling", "xsirt", "statements", sts);
}

static json_t *vex_cyclonedx_vuln(const json_t *f, const char *ref)
{
    const json_t *v = json_object_get(f, "vulnerability");
    const char *state = vex_str(f, "state");
    json_t *analysis = json_pack("{s:s}", "state", state);

    if (vex_str(f, "justification") != NULL)
        json_object_set(analysis, "justification", json_object_get(f, "justification"));
    if (json_array_size(json_object_get(f, "response")) > 0)
        json_object_set(analysis, "response", json_object_get(f, "response"));
    if (vex_str(f, "detail") != NULL)
        json_object_set(analysis, "detail", json_object_get(f, "detail"));
    return json_pack("{s:O, s:o, s:[{s:s}]}", "id", json_object_get(v, "id"), "analysis", analysis,
                     "affects", "ref", ref);
}

static json_t *vex_cyclonedx(const json_t *asset, const json_t *findings, const char *now)
{
    unsigned char r[16];
    char uuid[64], ref[48];
    const json_t *f;
    json_t *comps = json_array(), *vulns = json_array(), *seen = json_object(), *subject;
    size_t i;

    randombytes_buf(r, sizeof r);
    r[6] = (unsigned char)((r[6] & 0x0f) | 0x40);   /* version 4 */
    r[8] = (unsigned char)((r[8] & 0x3f) | 0x80);   /* RFC 4122 variant */
    snprintf(uuid, sizeof uuid, "urn:uuid:%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
             "%02x%02x%02x%02x%02x%02x", r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8],
             r[9], r[10], r[11], r[12], r[13], r[14], r[15]);
    json_array_foreach(findings, i, f) {
        const json_t *c = json_object_get(f, "component");
        /* One component entry per name and version, referenced by every
         * finding on it. */
        char key[1024];
        snprintf(key, sizeof key, "%s@%s", vex_str(c, "name"),
                 vex_str(c, "version") != NULL ? vex_str(c, "version") : "");
        if (json_object_get(seen, key) == NULL) {
            json_t *comp = json_pack("{s:s, s:s, s:O}", "bom-ref", "", "type", "library", "name",
                                     json_object_get(c, "name"));
            snprintf(ref, sizeof ref, "component-%zu", json_object_size(seen) + 1);
            json_object_set_new(comp, "bom-ref", json_string(ref));
            if (vex_str(c, "version") != NULL)
                json_object_set(comp, "version", json_object_get(c, "version"));
            if (vex_str(c, "purl") != NULL)
                json_object_set(comp, "purl", json_object_get(c, "purl"));
            json_array_append_new(comps, comp);
            json_object_set_new(seen, key, json_string(ref));
        }
        json_array_append_new(vulns, vex_cyclonedx_vuln(f, vex_str(seen, key)));
    }
    json_decref(seen);
    subject = json_pack("{s:s, s:s, s:O}", "type", "application", "bom-ref", "asset", "name",
                        json_object_get(asset, "name"));
    if (vex_str(asset, "version") != NULL)
        json_object_set(subject, "version", json_object_get(asset, "version"));
    return json_pack("{s:s, s:s, s:s, s:i, s:{s:s, s:o}, s:o, s:o}", "bomFormat", "CycloneDX",
                     "specVersion", "1.5", "serialNumber", uuid, "version", 1, "metadata",
                     "timestamp", now, "component", subject, "components", comps,
                     "vulnerabilities", vulns);
}

int xsirt_asset_vex(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t asset_id,
                    const char *format, xsirt_error *err)
{
    json_t *asset = NULL, *findings = NULL;
    char now[XSIRT_TIME_MAX];
    int rc;

    *out = NULL;
    if (format == NULL || (strcmp(format, "openvex") != 0 && strcmp(format, "cyclonedx") != 0)) {
        if (format != NULL && strcmp(format, "csaf") == 0)
            return xsirt_error_set_pointer(err, XSIRT_EUNSUPPORTED, "format",
                                           "CSAF VEX is not written yet: use openvex or cyclonedx");
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, "format",
                                       "format must be openvex or cyclonedx");
    }
    if ((rc = xsirt_asset_get(&asset, db, by, asset_id, err)) != 0 ||
        (rc = vex_findings(&findings, db, by, asset_id, err)) != 0) {
        json_decref(asset);
        return rc;
    }
    xsirt_clock_now(now);
    *out = strcmp(format, "openvex") == 0 ? vex_openvex(asset, findings, now)
                                          : vex_cyclonedx(asset, findings, now);
    json_decref(asset);
    json_decref(findings);
    if (*out == NULL)
        return xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    if (json_dumpb(*out, NULL, 0, JSON_COMPACT) > XSIRT_LIMIT_ANSWER_BYTES) {
        json_decref(*out);
        *out = NULL;
        return xsirt_error_set(err, XSIRT_ELIMIT, "the VEX document would be larger than %u "
                               "bytes", XSIRT_LIMIT_ANSWER_BYTES);
    }
    return 0;
}
