/*
 * asset_vex.c — VEX documents from an asset's findings (see asset_vex.h).
 * The findings are read through the same visibility as the list
 * (finding.h), so a document holds exactly what its reader may see.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "formats/csaf_write.h"
#include "store/advisory.h"
#include "store/asset.h"
#include "store/asset_vex.h"
#include "store/clock.h"
#include "store/finding.h"
#include "xsirt/limits.h"

/* Findings of one asset, at most this many in one document: the most a
 * product's SBOM yields in practice is in the thousands. */
#define VEX_MAX_FINDINGS 20000


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
        /* OpenVEX justifications are CSAF's flag labels. */
        if (xsirt_csaf_write_flag(just) != NULL)
            json_object_set_new(st, "justification", json_string(xsirt_csaf_write_flag(just)));
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

/* The CSAF VEX document (csaf_vex) of the asset's decisions: one product,
 * the asset; a vulnerability per finding's vulnerability (its CVE when it
 * has one), with the mapping of the header. Assets carry no TLP: the
 * document is TLP:AMBER (the team's inventory), its reader decides what
 * to share. */
static int vex_csaf(json_t **out, xsirt_db *db, const json_t *asset, const json_t *findings,
                    const char *now, xsirt_error *err)
{
    json_t *pub = NULL, *vulns = json_object(), *list = json_array(), *d, *f, *v;
    char tracking[96], pid[40];
    const char *key;
    size_t i;
    int rc;

    if ((rc = xsirt_advisory_publisher(&pub, NULL, db, err)) != 0) {
        json_decref(vulns);
        json_decref(list);
        return rc;
    }
    snprintf(pid, sizeof pid, "CSAFPID-%lld", (long long)json_integer_value(json_object_get(asset, "id")));
    json_array_foreach(findings, i, f) {
        const json_t *vu = json_object_get(f, "vulnerability");
        const char *state = vex_str(f, "state"), *id = vex_str(vu, "id"), *status;
        const json_t *a;
        size_t k;
        json_t *old, *st;
        json_array_foreach(json_object_get(vu, "aliases"), k, a) {
            if (json_string_value(a) != NULL && strncmp(json_string_value(a), "CVE-", 4) == 0 &&
                strncmp(id, "CVE-", 4) != 0)
                id = json_string_value(a);
        }
        status = xsirt_advisory_status_of(state);
        if ((v = json_object_get(vulns, id)) == NULL) {
            v = json_pack("{s:s, s:O, s:{}}", "id", id, "summary", json_object_get(vu, "summary"),
                          "status");
            json_object_set_new(vulns, id, v);
        }
        old = json_object_get(json_object_get(v, "status"), pid);
        /* Several components with one vulnerability: the most pressing. */
        if (old != NULL && xsirt_advisory_rank(status) <= xsirt_advisory_rank(vex_str(old, "status")))
            continue;
        st = json_pack("{s:s}", "status", status);
        if (vex_str(f, "justification") != NULL)
            json_object_set(st, "justification", json_object_get(f, "justification"));
        if (vex_str(f, "detail") != NULL)
            json_object_set(st, "detail", json_object_get(f, "detail"));
        json_object_set_new(json_object_get(v, "status"), pid, st);
    }
    json_object_foreach(vulns, key, v) json_array_append(list, v);
    json_decref(vulns);
    snprintf(tracking, sizeof tracking, "XSIRT-VEX-%lld-%.4s%.2s%.2s%.2s%.2s%.2s",
             (long long)json_integer_value(json_object_get(asset, "id")), now, now + 5, now + 8,
             now + 11, now + 14, now + 17);
    d = json_pack("{s:s, s:s, s:s, s:s, s:o, s:{s:s, s:s, s:s, s:s, s:s, s:[{s:s, s:s, s:s}]},"
                  " s:[o], s:o}",
                  "category", "csaf_vex", "title", "", "lang", "en", "tlp", "AMBER",
                  "publisher", pub, "tracking", "id", tracking, "status", "final", "version",
                  "1.0.0", "initial", now, "current", now, "history", "date", now, "number",
                  "1.0.0", "summary", "Generated from the triage decisions", "products",
                  xsirt_advisory_product(asset), "vulnerabilities", list);
    if (d == NULL)
        return xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    {
        char title[600];
        snprintf(title, sizeof title, "VEX for %s%s%s", vex_str(asset, "name"),
                 vex_str(asset, "version") != NULL ? " " : "",
                 vex_str(asset, "version") != NULL ? vex_str(asset, "version") : "");
        json_object_set_new(d, "title", json_string(title));
    }
    rc = xsirt_csaf_write(out, d, err);
    json_decref(d);
    return rc;
}

int xsirt_asset_vex(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t asset_id,
                    const char *format, xsirt_error *err)
{
    json_t *asset = NULL, *findings = NULL;
    char now[XSIRT_TIME_MAX];
    int rc;

    *out = NULL;
    if (format == NULL || (strcmp(format, "openvex") != 0 && strcmp(format, "cyclonedx") != 0 &&
                           strcmp(format, "csaf") != 0))
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, "format",
                                       "format must be openvex, cyclonedx or csaf");
    if ((rc = xsirt_asset_get(&asset, db, by, asset_id, err)) != 0 ||
        (rc = vex_findings(&findings, db, by, asset_id, err)) != 0) {
        json_decref(asset);
        return rc;
    }
    xsirt_clock_now(now);
    if (strcmp(format, "csaf") == 0) {
        rc = vex_csaf(out, db, asset, findings, now, err);
        json_decref(asset);
        json_decref(findings);
        return rc;
    }
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
