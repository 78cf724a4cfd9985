/*
 * csaf_tests_profiles.c — CSAF tests 6.1.27.1 to 6.1.27.11: what each
 * profile (document category) requires beyond the schema — notes and
 * references for incident responses and informational advisories, no
 * vulnerabilities in the latter, a product tree, notes and statuses in
 * security advisories and VEX, and in VEX an id per vulnerability, an
 * impact statement per known_not_affected product and an action statement
 * per known_affected product.
 */
#include <string.h>

#include "formats/csaf_tests.h"

static bool category_is(const json_t *doc, const char *a, const char *b)
{
    const char *category = csaf_str(csaf_get(doc, "document", "category", NULL));
    return category != NULL && (strcmp(category, a) == 0 || (b != NULL && strcmp(category, b) == 0));
}

static bool incident_or_informational(const json_t *doc)
{
    return category_is(doc, "csaf_security_incident_response", "csaf_informational_advisory");
}

static bool advisory_or_vex(const json_t *doc)
{
    return category_is(doc, "csaf_security_advisory", "csaf_vex");
}

/* Whether an element of list has a string member `key` among `values`
 * (NULL-terminated). */
static bool some_category(const json_t *list, const char *const *values)
{
    for (size_t i = 0; i < json_array_size(list); i++) {
        const char *category = csaf_str(json_object_get(json_array_get(list, i), "category"));
        for (int k = 0; category != NULL && values[k] != NULL; k++)
            if (strcmp(category, values[k]) == 0)
                return true;
    }
    return false;
}

void csaf_test_6_1_27_1(csaf_ctx *c)
{
    static const char *const wanted[] = { "description", "details", "general", "summary", NULL };
    if (incident_or_informational(c->doc) &&
        !some_category(csaf_get(c->doc, "document", "notes", NULL), wanted))
        csaf_fail(c, "need at least one document note with a category of description, details, "
                  "general or summary", "/document/notes");
}

void csaf_test_6_1_27_2(csaf_ctx *c)
{
    static const char *const wanted[] = { "external", NULL };
    if (incident_or_informational(c->doc) &&
        !some_category(csaf_get(c->doc, "document", "references", NULL), wanted))
        csaf_fail(c, "need at least one document reference with the category \"external\"",
                  "/document/references");
}

void csaf_test_6_1_27_3(csaf_ctx *c)
{
    if (category_is(c->doc, "csaf_informational_advisory", NULL) &&
        json_object_get(c->doc, "vulnerabilities") != NULL)
        csaf_fail(c, "must not exist", "/vulnerabilities");
}

void csaf_test_6_1_27_4(csaf_ctx *c)
{
    if (advisory_or_vex(c->doc) && !csaf_truthy(json_object_get(c->doc, "product_tree")))
        csaf_fail(c, "needs a product_tree", "/");
}

/* Each vulnerability of the document lacking (falsy) member `key`. */
static void each_vulnerability_needs(csaf_ctx *c, const char *key, const char *message)
{
    const json_t *vulns = json_object_get(c->doc, "vulnerabilities");
    for (size_t i = 0; i < json_array_size(vulns); i++)
        if (!csaf_truthy(json_object_get(json_array_get(vulns, i), key)))
            csaf_fail(c, message, "/vulnerabilities/%zu", i);
}

void csaf_test_6_1_27_5(csaf_ctx *c)
{
    if (advisory_or_vex(c->doc))
        each_vulnerability_needs(c, "notes", "needs a `notes` attribute");
}

void csaf_test_6_1_27_6(csaf_ctx *c)
{
    if (category_is(c->doc, "csaf_security_advisory", NULL))
        each_vulnerability_needs(c, "product_status", "needs a `product_status` attribute");
}

void csaf_test_6_1_27_7(csaf_ctx *c)
{
    static const char *const needed[] = {
        "fixed", "known_affected", "known_not_affected", "under_investigation", NULL,
    };
    const json_t *vulns = json_object_get(c->doc, "vulnerabilities");
    if (!category_is(c->doc, "csaf_vex", NULL))
        return;
    for (size_t i = 0; i < json_array_size(vulns); i++) {
        const json_t *ps = json_object_get(json_array_get(vulns, i), "product_status");
        bool any = false;
        if (!csaf_truthy(ps)) {
            csaf_fail(c, "needs a `product_status` attribute", "/vulnerabilities/%zu", i);
            continue;
        }
        for (int k = 0; needed[k] != NULL && !any; k++)
            any = json_is_array(json_object_get(ps, needed[k]));
        if (!any)
            csaf_fail(c, "needs at least one the following attributes: `fixed`, `known_affected`, "
                      "`known_not_affected`, `under_investigation`",
                      "/vulnerabilities/%zu/product_status", i);
    }
}

void csaf_test_6_1_27_8(csaf_ctx *c)
{
    const json_t *vulns = json_object_get(c->doc, "vulnerabilities");
    if (!category_is(c->doc, "csaf_vex", NULL))
        return;
    for (size_t i = 0; i < json_array_size(vulns); i++) {
        const json_t *v = json_array_get(vulns, i);
        if (json_object_get(v, "ids") == NULL && json_object_get(v, "cve") == NULL)
            csaf_fail(c, "needs at least one the following attributes: `ids`, `cve`",
                      "/vulnerabilities/%zu", i);
    }
}

/* Whether one of the entries (threats, flags, remediations) names the
 * product directly or through one of its product groups. category, when
 * not NULL, is the category an entry must have. */
static bool statement_for(const json_t *doc, const json_t *entries, const char *category,
                          const json_t *product)
{
    for (size_t i = 0; i < json_array_size(entries); i++) {
        const json_t *e = json_array_get(entries, i);
        const json_t *groups = json_object_get(e, "group_ids");
        if (!csaf_truthy(e))
            continue;
        if (category != NULL) {
            const char *got = csaf_str(json_object_get(e, "category"));
            if (got == NULL || strcmp(got, category) != 0)
                continue;
        }
        if (csaf_array_has(json_object_get(e, "product_ids"), product))
            return true;
        if (!json_is_array(csaf_get(doc, "product_tree", "product_groups", NULL)))
            continue;
        for (size_t g = 0; g < json_array_size(groups); g++) {
            const char *gid = csaf_str(json_array_get(groups, g));
            if (gid != NULL && csaf_array_has(csaf_group_products(doc, gid), product))
                return true;
        }
    }
    return false;
}

/* Reports each product of product_status[status] that no entry of the
 * vulnerability's `first` (of first_category) or `second` lists names. The
 * string ids go through a set; other values (schema-invalid) through the
 * slow path, which compares them as ECMAScript's includes() does. */
static void statements_needed(csaf_ctx *c, const char *status, const char *first,
                              const char *first_category, const char *second,
                              const char *message)
{
    const json_t *vulns = json_object_get(c->doc, "vulnerabilities");
    if (!category_is(c->doc, "csaf_vex", NULL))
        return;
    for (size_t i = 0; i < json_array_size(vulns); i++) {
        const json_t *v = json_array_get(vulns, i);
        const json_t *list = csaf_get(v, "product_status", status, NULL);
        json_t *covered = json_object();
        if (covered == NULL ||
            csaf_covered_products(covered, c->doc, json_object_get(v, first), first_category) ||
            (second && csaf_covered_products(covered, c->doc, json_object_get(v, second), NULL))) {
            json_decref(covered);
            c->error = XSIRT_ENOMEM;
            return;
        }
        for (size_t j = 0; j < json_array_size(list); j++) {
            const json_t *id = json_array_get(list, j);
            bool found = json_is_string(id)
                ? json_object_get(covered, json_string_value(id)) != NULL
                : statement_for(c->doc, json_object_get(v, first), first_category, id) ||
                  (second && statement_for(c->doc, json_object_get(v, second), NULL, id));
            if (!found)
                csaf_fail(c, message, "/vulnerabilities/%zu/product_status/%s/%zu", i, status, j);
        }
        json_decref(covered);
    }
}

void csaf_test_6_1_27_9(csaf_ctx *c)
{
    statements_needed(c, "known_not_affected", "threats", "impact", "flags",
                      "no suitable impact statement found");
}

void csaf_test_6_1_27_10(csaf_ctx *c)
{
    statements_needed(c, "known_affected", "remediations", NULL, NULL,
                      "no suitable action statement found");
}

void csaf_test_6_1_27_11(csaf_ctx *c)
{
    if (advisory_or_vex(c->doc) && !csaf_truthy(json_object_get(c->doc, "vulnerabilities")))
        csaf_fail(c, "needs vulnerabilities", "/");
}
