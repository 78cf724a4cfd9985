/*
 * csaf_write.c — the CSAF 2.0 writer (see csaf_write.h): the document
 * block with tracking and distribution, a product tree of vendor ->
 * product name -> product version branches, and per vulnerability its
 * product statuses, flags or impact threats for products not affected,
 * remediations for affected ones, CVSS scores computed by xsirt's own
 * CVSS code, and notes. Every choice here is one the validator's
 * mandatory tests (6.1) require; optional ones (6.2) are met where the
 * description allows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/csaf_write.h"
#include "xsirt/cvss.h"

static const char *const csaf_write_tlps[][2] = {
    {"CLEAR", "WHITE"}, {"GREEN", "GREEN"}, {"AMBER", "AMBER"},
    {"AMBER+STRICT", "AMBER"}, {"RED", "RED"},
};

/* CycloneDX justifications (finding.h) -> CSAF flag labels. */
static const char *const csaf_write_flags[][2] = {
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

static const char *const csaf_write_statuses[] = {
    "fixed", "known_affected", "known_not_affected", "under_investigation",
};

const char *xsirt_csaf_write_flag(const char *justification)
{
    for (size_t i = 0; justification != NULL &&
                       i < sizeof csaf_write_flags / sizeof csaf_write_flags[0]; i++)
        if (strcmp(justification, csaf_write_flags[i][0]) == 0)
            return csaf_write_flags[i][1];
    return NULL;
}

const char *xsirt_csaf_write_tlp(const char *tlp2)
{
    for (size_t i = 0; tlp2 != NULL && i < sizeof csaf_write_tlps / sizeof csaf_write_tlps[0]; i++)
        if (strcmp(tlp2, csaf_write_tlps[i][0]) == 0)
            return csaf_write_tlps[i][1];
    return NULL;
}

int xsirt_csaf_write_filename(char *out, size_t size, const char *tracking_id)
{
    size_t n = strlen(tracking_id), i;

    if (n + sizeof ".json" > size)
        return 0;
    for (i = 0; i < n; i++) {
        char c = tracking_id[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        out[i] = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '-' ? c
                                                                                         : '_';
    }
    memcpy(out + n, ".json", sizeof ".json");
    return 1;
}

static const char *cw_str(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

static int cw_missing(xsirt_error *err, const char *field)
{
    return xsirt_error_set_pointer(err, XSIRT_EINVAL, field, "the description lacks %s", field);
}

static json_t *cw_document(const json_t *d, xsirt_error *err)
{
    const json_t *pub = json_object_get(d, "publisher"), *tr = json_object_get(d, "tracking");
    const char *tlp = cw_str(d, "tlp"), *label = xsirt_csaf_write_tlp(tlp);
    char text[64];
    json_t *doc, *hist = json_array(), *x, *refs = json_array();
    size_t i;

    if (label == NULL || cw_str(d, "title") == NULL || !json_is_object(pub) ||
        cw_str(tr, "id") == NULL || cw_str(tr, "version") == NULL ||
        cw_str(tr, "initial") == NULL || cw_str(tr, "current") == NULL) {
        json_decref(hist);
        json_decref(refs);
        cw_missing(err, label == NULL ? "tlp" : !json_is_object(pub) ? "publisher"
                                              : cw_str(d, "title") == NULL ? "title" : "tracking");
        return NULL;
    }
    json_array_foreach(json_object_get(tr, "history"), i, x)
        json_array_append_new(hist, json_pack("{s:O, s:O, s:O}", "date", json_object_get(x, "date"),
                                              "number", json_object_get(x, "number"), "summary",
                                              json_object_get(x, "summary")));
    snprintf(text, sizeof text, "TLP:%s (FIRST TLP 2.0)", tlp);
    doc = json_pack("{s:s, s:s, s:{s:s, s:{s:s, s:s}}, s:s, s:O, s:O,"
                    " s:{s:O, s:s, s:s, s:O, s:O, s:o, s:o}}",
                    "category", cw_str(d, "category"), "csaf_version", "2.0", "distribution",
                    "text", text, "tlp", "label", label, "url", "https://www.first.org/tlp/",
                    "lang", cw_str(d, "lang") != NULL ? cw_str(d, "lang") : "en", "publisher", pub,
                    "title", json_object_get(d, "title"), "tracking", "id",
                    json_object_get(tr, "id"), "status",
                    cw_str(tr, "status") != NULL ? cw_str(tr, "status") : "draft", "version",
                    cw_str(tr, "version"), "initial_release_date", json_object_get(tr, "initial"),
                    "current_release_date", json_object_get(tr, "current"), "revision_history",
                    hist, "generator", json_pack("{s:{s:s}}", "engine", "name", "xsirt"));
    if (doc == NULL) {
        json_decref(refs);
        cw_missing(err, "tracking");
        return NULL;
    }
    if (json_array_size(json_object_get(d, "notes")) > 0)
        json_object_set(doc, "notes", json_object_get(d, "notes"));
    if (cw_str(d, "self_url") != NULL)
        json_array_append_new(refs, json_pack("{s:s, s:s, s:O}", "category", "self", "summary",
                                              "Canonical URL", "url",
                                              json_object_get(d, "self_url")));
    json_array_foreach(json_object_get(d, "references"), i, x) json_array_append(refs, x);
    if (json_array_size(refs) > 0)
        json_object_set(doc, "references", refs);
    json_decref(refs);
    if (json_array_size(json_object_get(d, "acknowledgments")) > 0)
        json_object_set(doc, "acknowledgments", json_object_get(d, "acknowledgments"));
    return doc;
}

/* A child branch of *parent's "branches" with this category and name,
 * made when absent. */
static json_t *cw_branch(json_t *parent, const char *category, const char *name)
{
    json_t *list = json_object_get(parent, "branches"), *b;
    size_t i;

    if (list == NULL) {
        list = json_array();
        json_object_set_new(parent, "branches", list);
    }
    json_array_foreach(list, i, b) {
        if (strcmp(cw_str(b, "category"), category) == 0 && strcmp(cw_str(b, "name"), name) == 0 &&
            json_object_get(b, "product") == NULL)
            return b;
    }
    b = json_pack("{s:s, s:s}", "category", category, "name", name);
    json_array_append_new(list, b);
    return b;
}

static json_t *cw_tree(const json_t *d, xsirt_error *err)
{
    const char *fallback_vendor = cw_str(json_object_get(d, "publisher"), "name");
    json_t *root = json_object(), *p;
    size_t i;

    json_array_foreach(json_object_get(d, "products"), i, p) {
        const char *vendor = cw_str(p, "vendor"), *name = cw_str(p, "name");
        const char *version = cw_str(p, "version");
        json_t *b, *leaf, *helper = json_object();
        char full[1024];

        if (name == NULL || cw_str(p, "id") == NULL) {
            json_decref(helper);
            json_decref(root);
            cw_missing(err, "products/name");
            return NULL;
        }
        if (vendor == NULL || vendor[0] == '\0')
            vendor = fallback_vendor;
        b = cw_branch(root, "vendor", vendor);
        snprintf(full, sizeof full, "%s %s%s%s", vendor, name, version != NULL ? " " : "",
                 version != NULL ? version : "");
        leaf = json_pack("{s:s, s:O}", "name", full, "product_id", json_object_get(p, "id"));
        if (cw_str(p, "cpe") != NULL)
            json_object_set(helper, "cpe", json_object_get(p, "cpe"));
        if (cw_str(p, "purl") != NULL)
            json_object_set(helper, "purl", json_object_get(p, "purl"));
        if (json_object_size(helper) > 0)
            json_object_set(leaf, "product_identification_helper", helper);
        json_decref(helper);
        if (version != NULL) {
            b = cw_branch(b, "product_name", name);
            b = cw_branch(b, "product_version", version);
        } else {
            /* A product without versions is a leaf of its own. */
            json_t *list = json_object_get(b, "branches");
            if (list == NULL)
                json_object_set_new(b, "branches", list = json_array());
            b = json_pack("{s:s, s:s}", "category", "product_name", "name", name);
            json_array_append_new(list, b);
        }
        json_object_set_new(b, "product", leaf);
    }
    return root;
}

static void cw_add_id(json_t *groups, const char *key, const char *id)
{
    json_t *list = json_object_get(groups, key);

    if (list == NULL)
        json_object_set_new(groups, key, list = json_array());
    json_array_append_new(list, json_string(id));
}

/* The score of vector for these products, or NULL when the vector is
 * CVSS 4.0 (CSAF 2.0 knows 2.0 and 3.x only). */
static int cw_score(json_t **out, const char *vector, const json_t *products, xsirt_error *err)
{
    xsirt_cvss cvss;
    char *text = NULL;
    json_t *o;
    int rc;

    *out = NULL;
    if ((rc = xsirt_cvss_parse(&cvss, vector, strlen(vector), err)) != 0) {
        xsirt_error_prefix(err, "CVSS vector: ");
        return rc;
    }
    if (cvss.version == XSIRT_CVSS_V4_0)
        return 0;
    if ((rc = xsirt_cvss_to_json(&text, &cvss, 0, err)) != 0)
        return rc;
    o = json_loads(text, 0, NULL);
    free(text);
    if (o == NULL)
        return xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    *out = json_pack("{s:O, s:o}", "products", products,
                     cvss.version == XSIRT_CVSS_V2_0 ? "cvss_v2" : "cvss_v3", o);
    return 0;
}

static int cw_vulnerability(json_t **out, const json_t *v, xsirt_error *err)
{
    const char *id = cw_str(v, "id"), *key, *remedy = cw_str(v, "remediation");
    json_t *o = json_object(), *groups = json_object(), *flags = json_object(), *threats = json_array();
    json_t *notes = json_array(), *rems = json_array(), *x, *affected;
    size_t i;
    int rc = 0;

    if (id == NULL) {
        json_decref(o);
        json_decref(groups);
        json_decref(flags);
        json_decref(threats);
        json_decref(notes);
        json_decref(rems);
        return cw_missing(err, "vulnerabilities/id");
    }
    if (strncmp(id, "CVE-", 4) == 0) {
        json_object_set_new(o, "cve", json_string(id));
    } else {
        /* The id's system is its prefix ("GHSA", "OSV"...). */
        char sys[64];
        size_t n = strcspn(id, "-:");
        snprintf(sys, sizeof sys, "%.*s", (int)(n < 60 ? n : 60), id);
        json_object_set_new(o, "ids", json_pack("[{s:s, s:s}]", "system_name",
                                                n > 0 ? sys : "xsirt", "text", id));
    }
    if (json_is_object(json_object_get(v, "cwe")))
        json_object_set(o, "cwe", json_object_get(v, "cwe"));
    if (cw_str(v, "title") != NULL)
        json_object_set(o, "title", json_object_get(v, "title"));
    json_array_append_new(notes, json_pack("{s:s, s:s, s:s}", "category", "description", "title",
                                           "Description", "text",
                                           cw_str(v, "summary") != NULL && cw_str(v, "summary")[0]
                                               ? cw_str(v, "summary") : id));
    json_array_foreach(json_object_get(v, "notes"), i, x) json_array_append(notes, x);
    json_object_set_new(o, "notes", notes);

    json_object_foreach((json_t *)json_object_get(v, "status"), key, x) {
        const char *s = cw_str(x, "status"), *just = cw_str(x, "justification");
        const char *label = NULL;
        bool known = false;
        for (i = 0; s != NULL && i < 4; i++)
            known = known || strcmp(s, csaf_write_statuses[i]) == 0;
        if (!known) {
            rc = cw_missing(err, "vulnerabilities/status");
            break;
        }
        cw_add_id(groups, s, key);
        if (strcmp(s, "known_not_affected") != 0)
            continue;
        if ((label = xsirt_csaf_write_flag(just)) != NULL) {
            cw_add_id(flags, label, key);
        } else {
            json_array_append_new(threats, json_pack("{s:s, s:s, s:[s]}", "category", "impact",
                                                     "details", cw_str(x, "detail") != NULL
                                                         ? cw_str(x, "detail")
                                                         : "The product is not affected.",
                                                     "product_ids", key));
        }
    }
    affected = json_object_get(groups, "known_affected");
    if (rc == 0 && affected != NULL) {
        const json_t *fixed = json_object_get(groups, "fixed");
        json_array_append_new(rems, json_pack("{s:s, s:s, s:O}", "category",
                                              fixed != NULL ? "vendor_fix" : "none_available",
                                              "details", remedy != NULL ? remedy
                                              : fixed != NULL ? "Update to a fixed version."
                                                              : "No fix is available yet.",
                                              "product_ids", affected));
    }
    if (rc == 0 && cw_str(v, "cvss") != NULL) {
        /* Scores apply where the vulnerability is present. */
        json_t *prods = json_array(), *sc = NULL;
        if (affected != NULL)
            json_array_extend(prods, affected);
        if (json_object_get(groups, "under_investigation") != NULL)
            json_array_extend(prods, json_object_get(groups, "under_investigation"));
        if (json_array_size(prods) > 0 && (rc = cw_score(&sc, cw_str(v, "cvss"), prods, err)) == 0 &&
            sc != NULL)
            json_object_set_new(o, "scores", json_pack("[o]", sc));
        json_decref(prods);
    }
    if (json_object_size(groups) > 0)
        json_object_set(o, "product_status", groups);
    if (json_object_size(flags) > 0) {
        json_t *list = json_array();
        json_object_foreach(flags, key, x)
            json_array_append_new(list, json_pack("{s:s, s:O}", "label", key, "product_ids", x));
        json_object_set_new(o, "flags", list);
    }
    if (json_array_size(threats) > 0)
        json_object_set(o, "threats", threats);
    if (json_array_size(rems) > 0)
        json_object_set(o, "remediations", rems);
    json_decref(groups);
    json_decref(flags);
    json_decref(threats);
    json_decref(rems);
    if (rc != 0) {
        json_decref(o);
        o = NULL;
    }
    *out = o;
    return rc;
}

int xsirt_csaf_write(json_t **out, const json_t *desc, xsirt_error *err)
{
    const char *cat = cw_str(desc, "category");
    json_t *doc = NULL, *tree = NULL, *vulns = json_array(), *v;
    size_t i;
    int rc = 0;

    *out = NULL;
    if (cat == NULL || (strcmp(cat, "csaf_security_advisory") != 0 && strcmp(cat, "csaf_vex") != 0))
        rc = cw_missing(err, "category");
    else if ((doc = cw_document(desc, err)) == NULL || (tree = cw_tree(desc, err)) == NULL)
        rc = XSIRT_EINVAL;
    json_array_foreach(json_object_get(desc, "vulnerabilities"), i, v) {
        json_t *o = NULL;
        if (rc != 0 || (rc = cw_vulnerability(&o, v, err)) != 0)
            break;
        json_array_append_new(vulns, o);
    }
    if (rc != 0) {
        json_decref(doc);
        json_decref(tree);
        json_decref(vulns);
        return rc;
    }
    *out = json_pack("{s:o}", "document", doc);
    if (json_object_size(tree) > 0)
        json_object_set(*out, "product_tree", tree);
    if (json_array_size(vulns) > 0)
        json_object_set(*out, "vulnerabilities", vulns);
    json_decref(tree);
    json_decref(vulns);
    return 0;
}
