/*
 * csaf_tests_content.c — CSAF tests on single values and small lists: CWE
 * names (6.1.11), language tags (6.1.12), purls (6.1.13), translator
 * without source language (6.1.15), CVE used twice (6.1.23), involvements
 * (6.1.24), hash algorithms (6.1.25), document category (6.1.26), lang
 * equal to source_lang (6.1.28), remediations and flags without products
 * (6.1.29, 6.1.32), version ranges in product versions (6.1.31), several
 * VEX justifications for one product (6.1.33).
 *
 * Several reference tests first check the document's shape with a JSON
 * Type Definition and skip the test when it does not hold; the
 * precondition_* functions say which shape, so that verdicts agree on
 * documents that also fail the schema.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/str.h"
#include "formats/csaf_langtag.h"
#include "formats/csaf_tables.h"
#include "formats/csaf_tests.h"
#include "xsirt/error.h"
#include "xsirt/limits.h"
#include "xsirt/purl.h"

static const json_t *vulnerabilities(const json_t *doc)
{
    return json_object_get(doc, "vulnerabilities");
}

/* ---- 6.1.11 ------------------------------------------------------------- */

static int cwe_cmp(const void *key, const void *entry)
{
    unsigned id = *(const unsigned *)key, other = ((const csaf_cwe *)entry)->id;
    return id < other ? -1 : id > other;
}

static const csaf_cwe *find_cwe(const char *id)
{
    unsigned n = 0;
    const char *p = id + 4;
    if (strncmp(id, "CWE-", 4) != 0 || !xsirt_is_digit(*p) || *p == '0')
        return NULL;
    for (; xsirt_is_digit(*p) && n < 100000000u; p++)
        n = n * 10 + (unsigned)(*p - '0');
    if (*p != '\0')
        return NULL;
    return bsearch(&n, csaf_cwes, csaf_cwes_count, sizeof *csaf_cwes, cwe_cmp);
}

void csaf_test_6_1_11(csaf_ctx *c)
{
    const json_t *vulns = vulnerabilities(c->doc);
    for (size_t i = 0; i < json_array_size(vulns); i++) {
        const json_t *cwe = json_object_get(json_array_get(vulns, i), "cwe");
        const char *id = csaf_str(json_object_get(cwe, "id"));
        const char *name = csaf_str(json_object_get(cwe, "name"));
        const csaf_cwe *entry;
        if (id == NULL || name == NULL)
            continue;
        if ((entry = find_cwe(id)) == NULL)
            csaf_fail(c, "no weakness with this id is recognized", "/vulnerabilities/%zu/cwe/id", i);
        else if (strcmp(csaf_text(entry->name), name) != 0)
            csaf_fail(c, "the name does not match the weakness with the given id",
                      "/vulnerabilities/%zu/cwe/name", i);
    }
}

/* ---- 6.1.12 ---------------------------------------------------------------- */

void csaf_test_6_1_12(csaf_ctx *c)
{
    static const char *const keys[] = { "lang", "source_lang" };
    for (int k = 0; k < 2; k++) {
        const char *tag = csaf_str(csaf_get(c->doc, "document", keys[k], NULL));
        if (tag != NULL && !csaf_langtag_valid(tag))
            csaf_fail(c, "is not a valid language-tag", "/document/%s", keys[k]);
    }
}

/* ---- 6.1.13 ----------------------------------------------------------------- */

static void check_purl(csaf_ctx *c, const json_t *product, const char *pointer)
{
    const json_t *purl = csaf_get(product, "product_identification_helper", "purl", NULL);
    xsirt_error err;
    if (!json_is_string(purl))
        return;
    if (xsirt_purl_validate(json_string_value(purl), json_string_length(purl), 0, &err) != 0) {
        char msg[XSIRT_ERROR_MESSAGE_MAX + 16];
        snprintf(msg, sizeof msg, "invalid purl: %s", err.message);
        csaf_fail(c, msg, "%s/product_identification_helper/purl", pointer);
    }
}

void csaf_test_6_1_13(csaf_ctx *c)
{
    csaf_each_product(c, check_purl);
}

/* ---- 6.1.15, 6.1.28 ------------------------------------------------------------- */

void csaf_test_6_1_15(csaf_ctx *c)
{
    const char *category = csaf_str(csaf_get(c->doc, "document", "publisher", "category", NULL));
    if (category != NULL && strcmp(category, "translator") == 0 &&
        !csaf_truthy(csaf_get(c->doc, "document", "source_lang", NULL)))
        csaf_fail(c, "source language attribute is missing", "/document/publisher/category");
}

void csaf_test_6_1_28(csaf_ctx *c)
{
    const char *lang = csaf_str(csaf_get(c->doc, "document", "lang", NULL));
    const char *source = csaf_str(csaf_get(c->doc, "document", "source_lang", NULL));
    if (lang != NULL && source != NULL && strcmp(lang, source) == 0) {
        csaf_fail(c, "is the same as `/document/source_lang`", "/document/lang");
        csaf_fail(c, "is the same as `/document/lang`", "/document/source_lang");
    }
}

/* ---- 6.1.23, 6.1.24 --------------------------------------------------------------- */

void csaf_test_6_1_23(csaf_ctx *c)
{
    const json_t *vulns = vulnerabilities(c->doc);
    json_t *seen;

    if (!json_is_array(vulns))
        return;
    for (size_t i = 0; i < json_array_size(vulns); i++) {
        const json_t *cve = json_object_get(json_array_get(vulns, i), "cve");
        if (cve != NULL && !json_is_string(cve))
            return;
    }
    if ((seen = json_object()) == NULL) {
        c->error = XSIRT_ENOMEM;
        return;
    }
    for (size_t i = 0; i < json_array_size(vulns); i++) {
        const char *cve = csaf_str(json_object_get(json_array_get(vulns, i), "cve"));
        if (cve == NULL)
            continue;
        if (json_object_get(seen, cve) != NULL)
            csaf_fail(c, "CVE identifier was already used", "/vulnerabilities/%zu/cve", i);
        json_object_set_new(seen, cve, json_true());
    }
    json_decref(seen);
}

static bool string_or_absent(const json_t *v)
{
    return v == NULL || json_is_string(v);
}

/* Every vulnerability has an involvements array whose date, party and
 * status are strings where present. */
static bool precondition_6_1_24(const json_t *doc)
{
    const json_t *vulns = vulnerabilities(doc);
    if (!json_is_array(vulns))
        return false;
    for (size_t i = 0; i < json_array_size(vulns); i++) {
        const json_t *list = json_object_get(json_array_get(vulns, i), "involvements");
        if (!json_is_array(list))
            return false;
        for (size_t j = 0; j < json_array_size(list); j++) {
            const json_t *inv = json_array_get(list, j);
            if (!string_or_absent(json_object_get(inv, "date")) ||
                !string_or_absent(json_object_get(inv, "party")) ||
                !string_or_absent(json_object_get(inv, "status")))
                return false;
        }
    }
    return true;
}

void csaf_test_6_1_24(csaf_ctx *c)
{
    const json_t *vulns = vulnerabilities(c->doc);
    if (!precondition_6_1_24(c->doc))
        return;
    for (size_t i = 0; i < json_array_size(vulns); i++) {
        const json_t *list = json_object_get(json_array_get(vulns, i), "involvements");
        json_t *by_date = json_object();   /* date -> {party: true} */
        for (size_t j = 0; by_date != NULL && j < json_array_size(list); j++) {
            const json_t *inv = json_array_get(list, j);
            const char *date = csaf_str(json_object_get(inv, "date"));
            const char *party = csaf_str(json_object_get(inv, "party"));
            if (date == NULL || party == NULL)
                continue;
            json_t *parties = json_object_get(by_date, date);
            if (parties == NULL) {
                parties = json_object();
                json_object_set_new(by_date, date, parties);
            }
            if (json_object_get(parties, party) != NULL)
                csaf_fail(c, "status for party was already given for the same date",
                          "/vulnerabilities/%zu/involvements/%zu", i, j);
            json_object_set_new(parties, party, json_true());
        }
        if (by_date == NULL)
            c->error = XSIRT_ENOMEM;
        json_decref(by_date);
    }
}

/* ---- 6.1.25 --------------------------------------------------------------------- */

static void check_hashes(csaf_ctx *c, const json_t *product, const char *pointer)
{
    const json_t *hashes = csaf_get(product, "product_identification_helper", "hashes", NULL);
    for (size_t h = 0; h < json_array_size(hashes); h++) {
        const json_t *files = json_object_get(json_array_get(hashes, h), "file_hashes");
        json_t *seen = json_object();
        for (size_t f = 0; seen != NULL && f < json_array_size(files); f++) {
            const char *alg = csaf_str(json_object_get(json_array_get(files, f), "algorithm"));
            if (alg == NULL)
                continue;
            if (json_object_get(seen, alg) != NULL) {
                char msg[256];
                snprintf(msg, sizeof msg, "there is already a hash with the algorithm %s", alg);
                csaf_fail(c, msg, "%s/product_identification_helper/hashes/%zu/file_hashes/%zu",
                          pointer, h, f);
            }
            json_object_set_new(seen, alg, json_true());
        }
        json_decref(seen);
    }
}

void csaf_test_6_1_25(csaf_ctx *c)
{
    csaf_each_product(c, check_hashes);
}

/* ---- 6.1.26 ---------------------------------------------------------------------- */

void csaf_test_6_1_26(csaf_ctx *c)
{
    static const char *const profiles[] = {
        "csaf_base", "csaf_security_incident_response", "csaf_informational_advisory",
        "csaf_security_advisory", "csaf_vex", NULL,
    };
    /* The profile names without separators, with and without "csaf": the
     * OASIS test suite (6.1.26-04, "csafsecurityadvisory") wants the
     * prefixed forms refused too, where the reference lets them pass. */
    static const char *const similar[] = {
        "securityincidentresponse", "informationaladvisory", "securityadvisory", "vex",
        "csafbase", "csafsecurityincidentresponse", "csafinformationaladvisory",
        "csafsecurityadvisory", "csafvex", NULL,
    };
    const char *category = csaf_str(csaf_get(c->doc, "document", "category", NULL));
    char *squeezed;
    size_t n = 0;

    if (category == NULL)
        return;
    for (int i = 0; profiles[i] != NULL; i++)
        if (strcmp(category, profiles[i]) == 0)
            return;
    if (xsirt_ascii_ncasecmp(category, "csaf_", 5) == 0) {
        csaf_fail(c, "reserved prefix used", "/document/category");
        return;
    }
    if ((squeezed = malloc(strlen(category) + 1)) == NULL) {
        c->error = XSIRT_ENOMEM;
        return;
    }
    for (const char *p = category; *p != '\0'; p++)
        if (*p != '_' && *p != '-' && !(*p == ' ' || (*p >= '\t' && *p <= '\r')))
            squeezed[n++] = (char)xsirt_ascii_lower((unsigned char)*p);
    squeezed[n] = '\0';
    for (int i = 0; similar[i] != NULL; i++)
        if (strcmp(squeezed, similar[i]) == 0) {
            csaf_fail(c, "value prohibited", "/document/category");
            break;
        }
    free(squeezed);
}

/* ---- 6.1.29, 6.1.32, 6.1.33: remediations and flags ------------------------------------ */

/* vulnerabilities with an array `field` of objects whose group_ids and
 * product_ids are string arrays where present (the reference's type
 * definition). */
static bool precondition_lists(csaf_ctx *c, const char *field)
{
    char jtd[512];
    snprintf(jtd, sizeof jtd, "{" CSAF_OPEN ",'properties':{'vulnerabilities':{'elements':{"
             CSAF_OPEN ",'properties':{'%s':{'elements':{" CSAF_OPEN ",'optionalProperties':{"
             "'group_ids':" CSAF_STRINGS ",'product_ids':" CSAF_STRINGS "}}}}}}}}", field);
    return csaf_shape(c, c->doc, jtd);
}

static void without_products(csaf_ctx *c, const char *field, const char *message)
{
    const json_t *vulns = vulnerabilities(c->doc);
    if (!precondition_lists(c, field))
        return;
    for (size_t i = 0; i < json_array_size(vulns); i++) {
        const json_t *list = json_object_get(json_array_get(vulns, i), field);
        for (size_t j = 0; j < json_array_size(list); j++) {
            const json_t *e = json_array_get(list, j);
            if (json_object_get(e, "group_ids") == NULL && json_object_get(e, "product_ids") == NULL)
                csaf_fail(c, message, "/vulnerabilities/%zu/%s/%zu", i, field, j);
        }
    }
}

void csaf_test_6_1_29(csaf_ctx *c)
{
    without_products(c, "remediations", "remediation without product reference");
}

void csaf_test_6_1_32(csaf_ctx *c)
{
    without_products(c, "flags", "flag without product reference");
}

/* 6.1.33 also wants product_tree, and product groups with nothing but a
 * string group_id and string product_ids: the reference's type definition
 * does not allow other members there, so a group with a summary skips the
 * test. */
static bool precondition_6_1_33(csaf_ctx *c)
{
    return csaf_shape(c, c->doc, "{" CSAF_OPEN ",'properties':{'product_tree':{" CSAF_OPEN
                      ",'optionalProperties':{'product_groups':{'elements':{"
                      "'optionalProperties':{'group_id':{'type':'string'},'product_ids':"
                      CSAF_STRINGS "}}}}},'vulnerabilities':{'elements':{" CSAF_OPEN
                      ",'properties':{'flags':{'elements':{" CSAF_OPEN ",'optionalProperties':{"
                      "'group_ids':" CSAF_STRINGS ",'product_ids':" CSAF_STRINGS "}}}}}}}}");
}

void csaf_test_6_1_33(csaf_ctx *c)
{
    const json_t *vulns = vulnerabilities(c->doc);
    if (!precondition_6_1_33(c))
        return;
    for (size_t i = 0; i < json_array_size(vulns); i++) {
        const json_t *flags = json_object_get(json_array_get(vulns, i), "flags");
        json_t *seen = json_object();
        if (seen == NULL) {
            c->error = XSIRT_ENOMEM;
            return;
        }
        for (size_t j = 0; j < json_array_size(flags); j++) {
            const json_t *flag = json_array_get(flags, j);
            const json_t *products = json_object_get(flag, "product_ids");
            const json_t *groups = json_object_get(flag, "group_ids");
            bool reported = false;
            for (size_t g = 0; g <= json_array_size(groups); g++) {
                /* g == 0 is the flag's own products, then each group's. */
                const json_t *list = g == 0 ? products
                    : csaf_group_products(c->doc, csaf_str(json_array_get(groups, g - 1)));
                for (size_t k = 0; k < json_array_size(list); k++) {
                    const char *id = csaf_str(json_array_get(list, k));
                    if (id == NULL)
                        continue;
                    if (json_object_get(seen, id) != NULL && !reported) {
                        csaf_fail(c, "multiple flags with vex justification codes per product",
                                  "/vulnerabilities/%zu/flags/%zu", i, j);
                        reported = true;
                    }
                    json_object_set_new(seen, id, json_true());
                }
            }
        }
        json_decref(seen);
    }
}

/* ---- 6.1.31 ------------------------------------------------------------------------- */

static bool looks_like_range(const char *name)
{
    static const char *const words[] = {
        "after", "all", "before", "earlier", "later", "prior", "versions", NULL,
    };
    if (strchr(name, '<') != NULL || strchr(name, '>') != NULL)
        return true;
    for (const char *p = name; *p != '\0';) {
        size_t n = 0;
        while (p[n] != '\0' && !(p[n] == ' ' || (p[n] >= '\t' && p[n] <= '\r')))
            n++;
        for (int i = 0; words[i] != NULL; i++)
            if (strlen(words[i]) == n && xsirt_ascii_ncasecmp(p, words[i], n) == 0)
                return true;
        p += n;
        if (*p != '\0')
            p++;
    }
    return false;
}

static void range_in_version(csaf_ctx *c, const json_t *b, const char *pointer, void *arg)
{
    const char *name = csaf_branch_name(b, "product_version");
    (void)arg;
    if (name != NULL && looks_like_range(name))
        csaf_fail(c, "version range in product version", "%s/name", pointer);
}

void csaf_test_6_1_31(csaf_ctx *c)
{
    if (csaf_shape(c, c->doc, "{" CSAF_OPEN ",'properties':{'product_tree':{" CSAF_OPEN
                   ",'properties':{'branches':" CSAF_ARRAY "}}}}"))
        csaf_walk_branches(c, csaf_get(c->doc, "product_tree", "branches", NULL),
                           "{" CSAF_OPEN ",'optionalProperties':{'category':{'type':'string'},"
                           "'name':{'type':'string'},'branches':" CSAF_ARRAY "}}",
                           range_in_version, NULL);
}
