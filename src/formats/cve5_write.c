/*
 * cve5_write.c — CVE JSON 5 records from a CSAF document (see
 * cve5_write.h): the product tree is walked once into product id ->
 * (vendor, product, version), then each vulnerability with a CVE becomes a
 * record whose affected list groups its products by vendor and product.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/cve5_write.h"
#include "xsirt/cvss.h"

static const char *c5_str(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/* Collects product id -> {"vendor","product","version"} below branch b. */
static void c5_walk(json_t *map, const json_t *b, const char *vendor, const char *product,
                    const char *version)
{
    const char *cat = c5_str(b, "category"), *name = c5_str(b, "name");
    const json_t *p = json_object_get(b, "product"), *c;
    size_t i;

    if (cat != NULL && name != NULL) {
        if (strcmp(cat, "vendor") == 0)
            vendor = name;
        else if (strcmp(cat, "product_name") == 0)
            product = name;
        else if (strcmp(cat, "product_version") == 0)
            version = name;
    }
    if (p != NULL && c5_str(p, "product_id") != NULL) {
        json_t *e = json_pack("{s:s, s:s}", "vendor", vendor != NULL ? vendor : "N/A", "product",
                              product != NULL ? product
                              : c5_str(p, "name") != NULL ? c5_str(p, "name") : "N/A");
        if (version != NULL)
            json_object_set_new(e, "version", json_string(version));
        json_object_set_new(map, c5_str(p, "product_id"), e);
    }
    json_array_foreach(json_object_get(b, "branches"), i, c) c5_walk(map, c, vendor, product, version);
}

static void c5_affect(json_t *affected, const json_t *prod, const char *status)
{
    json_t *a = NULL, *x, *v;
    size_t i;

    json_array_foreach(affected, i, x) {
        if (a == NULL && strcmp(c5_str(x, "vendor"), c5_str(prod, "vendor")) == 0 &&
            strcmp(c5_str(x, "product"), c5_str(prod, "product")) == 0)
            a = x;
    }
    if (a == NULL) {
        a = json_pack("{s:O, s:O, s:s}", "vendor", json_object_get(prod, "vendor"), "product",
                      json_object_get(prod, "product"), "defaultStatus", "unknown");
        json_array_append_new(affected, a);
    }
    if (c5_str(prod, "version") == NULL)
        return;
    if (json_object_get(a, "versions") == NULL)
        json_object_set_new(a, "versions", json_array());
    v = json_pack("{s:O, s:s}", "version", json_object_get(prod, "version"), "status", status);
    json_array_append_new(json_object_get(a, "versions"), v);
}

/* The metric of a vector as CVE 5 names it ({"cvssV3_1": {...}}), NULL
 * when it does not parse. */
static json_t *c5_metric(const char *vector)
{
    xsirt_cvss cvss;
    xsirt_error err;
    char *text = NULL;
    json_t *o;
    const char *key;

    if (vector == NULL || xsirt_cvss_parse(&cvss, vector, strlen(vector), &err) != 0 ||
        xsirt_cvss_to_json(&text, &cvss, 0, &err) != 0)
        return NULL;
    o = json_loads(text, 0, NULL);
    free(text);
    key = cvss.version == XSIRT_CVSS_V2_0 ? "cvssV2_0" : cvss.version == XSIRT_CVSS_V3_0
          ? "cvssV3_0" : cvss.version == XSIRT_CVSS_V3_1 ? "cvssV3_1" : "cvssV4_0";
    return o != NULL ? json_pack("{s:o}", key, o) : NULL;
}

static json_t *c5_record(const json_t *csaf, const json_t *vuln, const json_t *products,
                         const json_t *refs, const char *org_id, const char *now,
                         const json_t *ja, const json_t *vectors)
{
    static const char *const groups[][2] = {
        {"known_affected", "affected"}, {"fixed", "unaffected"},
        {"known_not_affected", "unaffected"}, {"under_investigation", "unknown"},
    };
    const json_t *doc = json_object_get(csaf, "document"), *x, *id;
    const char *cve = c5_str(vuln, "cve"), *desc = NULL;
    json_t *cna, *descs, *affected = json_array(), *metrics = json_array(), *credits = json_array();
    size_t i, k;

    json_array_foreach(json_object_get(vuln, "notes"), i, x) {
        if (desc == NULL && strcmp(c5_str(x, "category"), "description") == 0)
            desc = c5_str(x, "text");
    }
    descs = json_pack("[{s:s, s:s}]", "lang", "en", "value", desc != NULL ? desc : cve);
    if (c5_str(ja, cve) != NULL)
        json_array_append_new(descs, json_pack("{s:s, s:O}", "lang", "ja", "value",
                                               json_object_get(ja, cve)));
    for (k = 0; k < 4; k++) {
        json_array_foreach(json_object_get(json_object_get(vuln, "product_status"), groups[k][0]),
                           i, id) {
            const json_t *prod = json_object_get(products, json_string_value(id));
            if (prod != NULL)
                c5_affect(affected, prod, groups[k][1]);
        }
    }
    json_array_foreach(json_object_get(vuln, "scores"), i, x) {
        const json_t *v3 = json_object_get(x, "cvss_v3"), *v2 = json_object_get(x, "cvss_v2");
        if (v3 != NULL)
            json_array_append_new(metrics, json_pack("{s:O}", strcmp(c5_str(v3, "version"), "3.0")
                                                                   == 0 ? "cvssV3_0" : "cvssV3_1",
                                                     v3));
        else if (v2 != NULL)
            json_array_append_new(metrics, json_pack("{s:O}", "cvssV2_0", v2));
    }
    if (json_array_size(metrics) == 0) {
        json_t *m = c5_metric(c5_str(vectors, cve));
        if (m != NULL)
            json_array_append_new(metrics, m);
    }
    json_array_foreach(json_object_get(doc, "acknowledgments"), i, x) {
        const json_t *n;
        size_t j;
        json_array_foreach(json_object_get(x, "names"), j, n)
            json_array_append_new(credits, json_pack("{s:s, s:O}", "lang", "en", "value", n));
        if (c5_str(x, "organization") != NULL)
            json_array_append_new(credits, json_pack("{s:s, s:O}", "lang", "en", "value",
                                                     json_object_get(x, "organization")));
    }
    cna = json_pack("{s:{s:s, s:s}, s:o, s:o, s:O}", "providerMetadata", "orgId", org_id,
                    "dateUpdated", now, "descriptions", descs, "affected", affected,
                    "references", refs);
    /* The title whole, however long: CSAF sets no bound, a CVE record 256
     * characters, and the schema check of every record (store/advisory.c)
     * then refuses a longer one with its path for the author to shorten,
     * rather than the record going out without the title they wrote. */
    if (c5_str(doc, "title") != NULL)
        json_object_set(cna, "title", json_object_get(doc, "title"));
    if (json_object_get(vuln, "cwe") != NULL) {
        const json_t *cwe = json_object_get(vuln, "cwe");
        char text[600];
        snprintf(text, sizeof text, "%s %s", c5_str(cwe, "id"), c5_str(cwe, "name"));
        json_object_set_new(cna, "problemTypes",
                            json_pack("[{s:[{s:s, s:s, s:O, s:s}]}]", "descriptions", "lang", "en",
                                      "description", text, "cweId", json_object_get(cwe, "id"),
                                      "type", "CWE"));
    }
    if (json_array_size(metrics) > 0)
        json_object_set(cna, "metrics", metrics);
    if (json_array_size(credits) > 0)
        json_object_set(cna, "credits", credits);
    json_decref(metrics);
    json_decref(credits);
    return json_pack("{s:s, s:s, s:{s:s, s:s, s:s, s:s}, s:{s:o}}", "dataType", "CVE_RECORD",
                     "dataVersion", "5.1", "cveMetadata", "cveId", cve, "assignerOrgId", org_id,
                     "state", "PUBLISHED", "dateUpdated", now, "containers", "cna", cna);
}

int xsirt_cve5_write(json_t **out, const json_t *csaf, const char *org_id, const char *now,
                     const json_t *ja, const json_t *vectors, xsirt_error *err)
{
    json_t *products = json_object(), *refs = json_array(), *records = json_array(), *x;
    size_t i;

    *out = NULL;
    json_array_foreach(json_object_get(json_object_get(csaf, "product_tree"), "branches"), i, x)
        c5_walk(products, x, NULL, NULL, NULL);
    json_array_foreach(json_object_get(json_object_get(csaf, "document"), "references"), i, x) {
        bool dup = false;
        const json_t *r;
        size_t j;
        json_array_foreach(refs, j, r) dup = dup || json_equal(json_object_get(r, "url"),
                                                               json_object_get(x, "url"));
        if (!dup)
            json_array_append_new(refs, json_pack("{s:O}", "url", json_object_get(x, "url")));
    }
    if (json_array_size(refs) == 0) {
        json_decref(products);
        json_decref(refs);
        json_decref(records);
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, "references",
                                       "a CVE record needs a reference: set public_url (the "
                                       "advisory's canonical URL) or add references");
    }
    json_array_foreach(json_object_get(csaf, "vulnerabilities"), i, x) {
        if (c5_str(x, "cve") != NULL)
            json_array_append_new(records, c5_record(csaf, x, products, refs, org_id, now, ja,
                                                           vectors));
    }
    json_decref(products);
    json_decref(refs);
    *out = records;
    return 0;
}
