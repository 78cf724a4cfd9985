/*
 * csaf_tests_optional.c — the optional CSAF tests of section 6.2 that need
 * no network (6.2.1 to 6.2.20): unused product definitions, affected
 * products without remediation or score, build metadata in revisions,
 * release dates older than the revision history, involvements without
 * date, MD5 or SHA-1 as the only hash, missing TLP label, canonical URL or
 * language, unsorted keys, private-use and default languages, products
 * without identification helper, CVEs in ids, version ranges without vers,
 * scores of fixed products, and additional properties.
 *
 * They are warnings: a failure here leaves the document valid. Like the
 * reference, each test first checks the shape it needs (csaf_shape, a JSON
 * Type Definition written with ' for ") and is silent when it does not hold.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/str.h"
#include "formats/csaf_cvss.h"
#include "formats/csaf_langtag.h"
#include "formats/csaf_tests.h"
#include "xsirt/cvss.h"
#include "xsirt/error.h"
#include "xsirt/limits.h"

#define ANY_OBJECTS CSAF_ARRAY
#define STRINGS CSAF_STRINGS
#define OPEN CSAF_OPEN

static const json_t *vulnerabilities(const json_t *doc)
{
    return json_object_get(doc, "vulnerabilities");
}

/* ---- 6.2.1 unused product ids ---------------------------------------------- */

static void add_all(json_t *set, const json_t *list)
{
    for (size_t k = 0; k < json_array_size(list); k++)
        if (json_is_string(json_array_get(list, k)))
            json_object_set_new(set, json_string_value(json_array_get(list, k)), json_true());
}

/* The product ids the reference counts as references, each source only
 * when its part of the document has the shape the reference wants. */
static json_t *referenced_ids(csaf_ctx *c, const json_t *doc)
{
    static const char *const statuses[] = {
        "first_affected", "first_fixed", "fixed", "known_affected", "known_not_affected",
        "last_affected", "recommended", "under_investigation", NULL,
    };
    json_t *set = json_object();
    const json_t *tree = json_object_get(doc, "product_tree"), *vulns = vulnerabilities(doc);


    if (set == NULL)
        return NULL;
    if (csaf_shape(c, doc, "{" OPEN ",'properties':{'product_tree':{" OPEN ",'properties':{"
                   "'product_groups':{'elements':{" OPEN ",'optionalProperties':{'product_ids':"
                   STRINGS "}}}}}}}")) {
        const json_t *groups = json_object_get(tree, "product_groups");
        for (size_t i = 0; i < json_array_size(groups); i++)
            add_all(set, json_object_get(json_array_get(groups, i), "product_ids"));
    }
    if (csaf_shape(c, doc, "{" OPEN ",'properties':{'product_tree':{" OPEN ",'properties':{"
                   "'relationships':{'elements':{" OPEN ",'optionalProperties':{"
                   "'product_reference':{'type':'string'},"
                   "'relates_to_product_reference':{'type':'string'}}}}}}}}")) {
        const json_t *rels = json_object_get(tree, "relationships");
        for (size_t i = 0; i < json_array_size(rels); i++) {
            const json_t *r = json_array_get(rels, i);
            const char *a = csaf_str(json_object_get(r, "product_reference"));
            const char *b = csaf_str(json_object_get(r, "relates_to_product_reference"));
            if (a != NULL)
                json_object_set_new(set, a, json_true());
            if (b != NULL)
                json_object_set_new(set, b, json_true());
        }
    }
    if (csaf_shape(c, doc, "{" OPEN ",'properties':{'vulnerabilities':{'elements':{" OPEN
                   ",'optionalProperties':{'product_status':{" OPEN ",'optionalProperties':{"
                   "'first_affected':" STRINGS ",'first_fixed':" STRINGS ",'fixed':" STRINGS
                   ",'known_affected':" STRINGS ",'known_not_affected':" STRINGS
                   ",'last_affected':" STRINGS ",'recommended':" STRINGS
                   ",'under_investigation':" STRINGS "}}}}}}}")) {
        for (size_t i = 0; i < json_array_size(vulns); i++) {
            const json_t *ps = json_object_get(json_array_get(vulns, i), "product_status");
            for (int s = 0; statuses[s] != NULL; s++)
                add_all(set, json_object_get(ps, statuses[s]));
        }
    }
    if (csaf_shape(c, doc, "{" OPEN ",'properties':{'vulnerabilities':{'elements':{" OPEN
                   ",'optionalProperties':{"
                   "'remediations':{'elements':{" OPEN ",'optionalProperties':{'product_ids':"
                   STRINGS "}}},"
                   "'scores':{'elements':{" OPEN ",'optionalProperties':{'products':" STRINGS "}}},"
                   "'threats':{'elements':{" OPEN ",'optionalProperties':{'product_ids':"
                   STRINGS "}}}}}}}}")) {
        for (size_t i = 0; i < json_array_size(vulns); i++) {
            const json_t *v = json_array_get(vulns, i);
            static const char *const lists[3][2] = {
                { "remediations", "product_ids" }, { "scores", "products" },
                { "threats", "product_ids" },
            };
            for (int l = 0; l < 3; l++) {
                const json_t *entries = json_object_get(v, lists[l][0]);
                for (size_t j = 0; j < json_array_size(entries); j++)
                    add_all(set, json_object_get(json_array_get(entries, j), lists[l][1]));
            }
        }
    }
    return set;
}

static void unused_branch_product(csaf_ctx *c, const json_t *b, const char *pointer, void *arg)
{
    const char *id = csaf_str(csaf_get(b, "product", "product_id", NULL));
    if (id != NULL && json_object_get(arg, id) == NULL)
        csaf_fail(c, "is not referenced", "%s/product/product_id", pointer);
}

void csaf_test_6_2_1(csaf_ctx *c)
{
    const json_t *tree = json_object_get(c->doc, "product_tree");
    const char *category = csaf_str(csaf_get(c->doc, "document", "category", NULL));
    json_t *used;

    if (!csaf_shape(c, c->doc, "{" OPEN ",'properties':{'product_tree':{" OPEN
                    ",'optionalProperties':{'branches':" ANY_OBJECTS ",'full_product_names':"
                    ANY_OBJECTS ",'relationships':" ANY_OBJECTS "}}},'optionalProperties':{"
                    "'document':{" OPEN ",'optionalProperties':{'category':{'type':'string'}}}}}") ||
        (category != NULL && strcmp(category, "csaf_informational_advisory") == 0))
        return;
    if ((used = referenced_ids(c, c->doc)) == NULL) {
        c->error = XSIRT_ENOMEM;
        return;
    }
    csaf_walk_branches(c, json_object_get(tree, "branches"),
                       "{" OPEN ",'optionalProperties':{'product':{" OPEN ",'properties':{"
                       "'product_id':{'type':'string'}}},'branches':" ANY_OBJECTS "}}",
                       unused_branch_product, used);
    const json_t *list = json_object_get(tree, "full_product_names");
    for (size_t i = 0; i < json_array_size(list); i++) {
        const char *id = csaf_str(json_object_get(json_array_get(list, i), "product_id"));
        if (id != NULL && json_object_get(used, id) == NULL)
            csaf_fail(c, "is not referenced", "/product_tree/full_product_names/%zu/product_id", i);
    }
    list = json_object_get(tree, "relationships");
    for (size_t i = 0; i < json_array_size(list); i++) {
        const char *id = csaf_str(csaf_get(json_array_get(list, i), "full_product_name",
                                           "product_id", NULL));
        if (id != NULL && json_object_get(used, id) == NULL)
            csaf_fail(c, "is not referenced",
                      "/product_tree/relationships/%zu/full_product_name/product_id", i);
    }
    json_decref(used);
}

/* ---- 6.2.2, 6.2.3: affected products without remediation or score ------------ */

/* Reports each product of the statuses in `lists` that `covered` lacks. */
static void uncovered(csaf_ctx *c, const json_t *v, size_t vi, const char *const *lists,
                      const json_t *covered, const char *message)
{
    for (int l = 0; lists[l] != NULL; l++) {
        const json_t *ids = csaf_get(v, "product_status", lists[l], NULL);
        for (size_t j = 0; j < json_array_size(ids); j++)
            if (json_object_get(covered, json_string_value(json_array_get(ids, j))) == NULL)
                csaf_fail(c, message, "/vulnerabilities/%zu/product_status/%s/%zu", vi, lists[l], j);
    }
}

void csaf_test_6_2_2(csaf_ctx *c)
{
    static const char *const lists[] = {
        "first_affected", "known_affected", "last_affected", "under_investigation", NULL,
    };
    const json_t *vulns = vulnerabilities(c->doc);
    if (!csaf_shape(c, c->doc, "{" OPEN ",'optionalProperties':{'product_tree':{" OPEN
                    ",'optionalProperties':{'product_groups':{'elements':{" OPEN
                    ",'optionalProperties':{'group_id':{'type':'string'},'product_ids':" STRINGS
                    "}}}}}},'properties':{'vulnerabilities':{'elements':{" OPEN
                    ",'properties':{'product_status':{" OPEN ",'optionalProperties':{"
                    "'first_affected':" STRINGS ",'known_affected':" STRINGS ",'last_affected':"
                    STRINGS ",'under_investigation':" STRINGS "}}},'optionalProperties':{"
                    "'remediations':{'elements':{" OPEN ",'optionalProperties':{'product_ids':"
                    STRINGS ",'group_ids':" STRINGS "}}}}}}}}"))
        return;
    for (size_t i = 0; i < json_array_size(vulns); i++) {
        const json_t *v = json_array_get(vulns, i);
        json_t *covered = json_object();
        if (covered == NULL ||
            csaf_covered_products(covered, c->doc, json_object_get(v, "remediations"), NULL)) {
            json_decref(covered);
            c->error = XSIRT_ENOMEM;
            return;
        }
        uncovered(c, v, i, lists, covered, "missing remediation");
        json_decref(covered);
    }
}

void csaf_test_6_2_3(csaf_ctx *c)
{
    static const char *const lists[] = { "first_affected", "known_affected", "last_affected", NULL };
    const json_t *vulns = vulnerabilities(c->doc);
    if (!csaf_shape(c, c->doc, "{" OPEN ",'properties':{'vulnerabilities':{'elements':{" OPEN
                    ",'properties':{'product_status':{" OPEN ",'optionalProperties':{"
                    "'first_affected':" STRINGS ",'known_affected':" STRINGS ",'last_affected':"
                    STRINGS "}}},'optionalProperties':{'scores':{'elements':{" OPEN
                    ",'optionalProperties':{'products':" STRINGS "}}}}}}}}"))
        return;
    for (size_t i = 0; i < json_array_size(vulns); i++) {
        const json_t *v = json_array_get(vulns, i), *scores = json_object_get(v, "scores");
        json_t *covered = json_object();
        for (size_t s = 0; covered != NULL && s < json_array_size(scores); s++) {
            const json_t *products = json_object_get(json_array_get(scores, s), "products");
            for (size_t k = 0; k < json_array_size(products); k++)
                json_object_set_new(covered, json_string_value(json_array_get(products, k)),
                                    json_true());
        }
        if (covered == NULL) {
            c->error = XSIRT_ENOMEM;
            return;
        }
        uncovered(c, v, i, lists, covered, "missing score");
        json_decref(covered);
    }
}

/* ---- 6.2.4 to 6.2.7: revisions, release dates, involvements ---------------------- */

#define TRACKING_WITH(extra) \
    "{" OPEN ",'properties':{'document':{" OPEN ",'properties':{'tracking':{" OPEN \
    ",'properties':{" extra "}}}}}}"

void csaf_test_6_2_4(csaf_ctx *c)
{
    const json_t *list = csaf_get(c->doc, "document", "tracking", "revision_history", NULL);
    if (!csaf_shape(c, c->doc, TRACKING_WITH("'revision_history':" ANY_OBJECTS)))
        return;
    for (size_t i = 0; i < json_array_size(list); i++) {
        const char *number = csaf_str(json_object_get(json_array_get(list, i), "number"));
        if (number != NULL && strchr(number, '+') != NULL)
            csaf_fail(c, "build metadata in revision history",
                      "/document/tracking/revision_history/%zu/number", i);
    }
}

/* The first revision date in the order cmp gives (stable), or NULL. */
static const char *first_date(const json_t *list, int sign)
{
    const char *best = NULL;
    for (size_t i = 0; i < json_array_size(list); i++) {
        const char *d = csaf_str(json_object_get(json_array_get(list, i), "date"));
        /* A stable sort's first element: the earliest (or latest) that no
         * later element strictly precedes. */
        if (best == NULL || sign * csaf_datetime_cmp(d, best) < 0)
            best = d;
    }
    return best;
}

static void release_date_check(csaf_ctx *c, const char *field, int sign, const char *message)
{
    char shape[512];
    const json_t *tracking = csaf_get(c->doc, "document", "tracking", NULL);
    snprintf(shape, sizeof shape, TRACKING_WITH("'%s':{'type':'timestamp'},'revision_history':"
             "{'elements':{" OPEN ",'properties':{'date':{'type':'timestamp'}}}}"), field);
    if (!csaf_shape(c, c->doc, shape))
        return;
    const char *first = first_date(json_object_get(tracking, "revision_history"), sign);
    if (first != NULL && csaf_datetime_cmp(csaf_str(json_object_get(tracking, field)), first) < 0)
        csaf_fail(c, message, "/document/tracking/%s", field);
}

void csaf_test_6_2_5(csaf_ctx *c)
{
    release_date_check(c, "initial_release_date", 1,
                       "older initial release date than revision history");
}

void csaf_test_6_2_6(csaf_ctx *c)
{
    release_date_check(c, "current_release_date", -1,
                       "older current release date than revision history");
}

void csaf_test_6_2_7(csaf_ctx *c)
{
    const json_t *vulns = vulnerabilities(c->doc);
    if (!csaf_shape(c, c->doc, "{" OPEN ",'properties':{'vulnerabilities':{'elements':{" OPEN
                    ",'optionalProperties':{'involvements':" ANY_OBJECTS "}}}}}"))
        return;
    for (size_t i = 0; i < json_array_size(vulns); i++) {
        const json_t *list = json_object_get(json_array_get(vulns, i), "involvements");
        for (size_t j = 0; j < json_array_size(list); j++)
            if (!csaf_truthy(json_object_get(json_array_get(list, j), "date")))
                csaf_fail(c, "missing date", "/vulnerabilities/%zu/involvements/%zu", i, j);
    }
}

/* ---- 6.2.8, 6.2.9: MD5 or SHA-1 as the only hash ------------------------------ */

#define HASHES "'product_identification_helper':{" OPEN ",'properties':{'hashes':" ANY_OBJECTS "}}"

typedef struct weak_hash {
    csaf_ctx *c;
    const char *algorithm;
} weak_hash;

static void check_only_hash(weak_hash *w, const json_t *hashes, const char *prefix)
{
    for (size_t h = 0; h < json_array_size(hashes); h++) {
        const json_t *hash = json_array_get(hashes, h);
        const json_t *files = json_object_get(hash, "file_hashes");
        bool has = false, other = false;
        if (!csaf_shape(w->c, hash, "{" OPEN ",'properties':{'file_hashes':" ANY_OBJECTS "}}"))
            continue;
        for (size_t f = 0; f < json_array_size(files); f++) {
            const char *alg = csaf_str(json_object_get(json_array_get(files, f), "algorithm"));
            if (alg == NULL)
                continue;
            if (strcmp(alg, w->algorithm) == 0)
                has = true;
            else
                other = true;
        }
        if (has && !other) {
            char msg[96];
            snprintf(msg, sizeof msg, "use of %s as the only hash algorithm", w->algorithm);
            csaf_fail(w->c, msg, "%s/product_identification_helper/hashes/%zu", prefix, h);
        }
    }
}

static void weak_hash_branch(csaf_ctx *c, const json_t *b, const char *pointer, void *arg)
{
    (void)c;
    /* The reference's path leaves out "/product" here. */
    check_only_hash(arg, csaf_get(b, "product", "product_identification_helper", "hashes", NULL),
                    pointer);
}

static void only_weak_hash(csaf_ctx *c, const char *algorithm)
{
    weak_hash w = { c, algorithm };
    const json_t *tree = json_object_get(c->doc, "product_tree");
    char prefix[96];

    if (!csaf_shape(c, c->doc, "{" OPEN ",'properties':{'product_tree':{" OPEN
                    ",'optionalProperties':{'branches':" ANY_OBJECTS ",'full_product_names':"
                    ANY_OBJECTS ",'relationships':" ANY_OBJECTS "}}}}"))
        return;
    const json_t *list = json_object_get(tree, "full_product_names");
    for (size_t i = 0; i < json_array_size(list); i++) {
        const json_t *p = json_array_get(list, i);
        if (!csaf_shape(c, p, "{" OPEN ",'properties':{" HASHES "}}"))
            continue;
        snprintf(prefix, sizeof prefix, "/product_tree/full_product_names/%zu", i);
        check_only_hash(&w, csaf_get(p, "product_identification_helper", "hashes", NULL), prefix);
    }
    csaf_walk_branches(c, json_object_get(tree, "branches"),
                       "{" OPEN ",'optionalProperties':{'product':{" OPEN ",'properties':{"
                       HASHES "}}}}", weak_hash_branch, &w);
    list = json_object_get(tree, "relationships");
    for (size_t i = 0; i < json_array_size(list); i++) {
        const json_t *r = json_array_get(list, i);
        if (!csaf_shape(c, r, "{" OPEN ",'properties':{'full_product_name':{" OPEN
                        ",'properties':{" HASHES "}}}}"))
            continue;
        snprintf(prefix, sizeof prefix, "/product_tree/relationships/%zu/full_product_name", i);
        check_only_hash(&w, csaf_get(r, "full_product_name", "product_identification_helper",
                                     "hashes", NULL), prefix);
    }
}

void csaf_test_6_2_8(csaf_ctx *c)
{
    only_weak_hash(c, "md5");
}

void csaf_test_6_2_9(csaf_ctx *c)
{
    only_weak_hash(c, "sha1");
}

/* ---- 6.2.10 to 6.2.12: TLP label, canonical URL, language ------------------------- */

void csaf_test_6_2_10(csaf_ctx *c)
{
    if (!csaf_shape(c, c->doc, "{" OPEN ",'properties':{'document':{" OPEN ",'properties':{"
                    "'distribution':{" OPEN ",'properties':{'tlp':{" OPEN ",'properties':{"
                    "'label':{'type':'string'}}}}}}}}}"))
        csaf_fail(c, "missing tlp label", "/document");
}

/* The file name the specification derives from the tracking id: lower
 * case, each run of characters other than + - a-z 0-9 replaced by "_". */
static char *canonical_name(const char *id)
{
    xsirt_buf b;
    bool in_run = false;
    xsirt_buf_init(&b, XSIRT_LIMIT_FILE);
    for (const char *p = id; *p != '\0'; p++) {
        int ch = xsirt_ascii_lower((unsigned char)*p);
        bool keep = ch == '+' || ch == '-' || (ch >= 'a' && ch <= 'z') || xsirt_is_digit(ch);
        if (keep) {
            xsirt_buf_putc(&b, (char)ch);
            in_run = false;
        } else if (!in_run) {
            xsirt_buf_putc(&b, '_');
            in_run = true;
        }
    }
    if (xsirt_buf_puts(&b, ".json") != 0) {
        xsirt_buf_free(&b);
        return NULL;
    }
    return xsirt_buf_detach(&b);
}

void csaf_test_6_2_11(csaf_ctx *c)
{
    const json_t *refs = csaf_get(c->doc, "document", "references", NULL);
    bool found = false;

    if (csaf_shape(c, c->doc, "{" OPEN ",'properties':{'document':{" OPEN ",'properties':{"
                   "'references':" ANY_OBJECTS ",'tracking':{" OPEN ",'properties':{"
                   "'id':{'type':'string'}}}}}}}")) {
        char *name = canonical_name(csaf_str(csaf_get(c->doc, "document", "tracking", "id", NULL)));
        if (name == NULL) {
            c->error = XSIRT_ENOMEM;
            return;
        }
        for (size_t i = 0; i < json_array_size(refs) && !found; i++) {
            const json_t *r = json_array_get(refs, i);
            const char *category = csaf_str(json_object_get(r, "category"));
            const char *url = csaf_str(json_object_get(r, "url"));
            size_t ul = url ? strlen(url) : 0, nl = strlen(name);
            found = category != NULL && url != NULL && strcmp(category, "self") == 0 &&
                    strncmp(url, "https://", 8) == 0 && ul >= nl &&
                    strcmp(url + ul - nl, name) == 0;
        }
        free(name);
    }
    if (!found)
        csaf_fail(c, "missing canonical url", "/document/references");
}

void csaf_test_6_2_12(csaf_ctx *c)
{
    if (!csaf_shape(c, c->doc, "{" OPEN ",'properties':{'document':{" OPEN ",'properties':{"
                    "'lang':{'type':'string'}}}}}"))
        csaf_fail(c, "missing document language", "/document");
}

/* ---- 6.2.13: keys sorted ---------------------------------------------------------- */

/* The rank of an ASCII character in the Unicode root collation (CLDR, as
 * ECMAScript's default Intl.Collator compares): spaces, then punctuation
 * and symbols in the order below, then digits, then letters with case a
 * later difference. Other characters rank after ASCII by code. */
static int collation_rank(unsigned char ch)
{
    static const char order[] = "\t\n\v\f\r _-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$0123456789";
    const char *at;
    if (ch >= 'A' && ch <= 'Z')
        ch = (unsigned char)(ch + 32);
    if (ch >= 'a' && ch <= 'z')
        return 100 + (ch - 'a');
    if (ch != 0 && ch < 128 && (at = strchr(order, ch)) != NULL)
        return (int)(at - order);
    return 200 + ch;
}

static int collate(const char *a, const char *b)
{
    const unsigned char *p = (const unsigned char *)a, *q = (const unsigned char *)b;
    for (; *p && *q; p++, q++) {
        int x = collation_rank(*p), y = collation_rank(*q);
        if (x != y)
            return x < y ? -1 : 1;
    }
    if (*p || *q)
        return *p ? 1 : -1;
    /* Equal but for case: lower case first, at the first difference. */
    for (p = (const unsigned char *)a, q = (const unsigned char *)b; *p; p++, q++)
        if (*p != *q)
            return (*p >= 'a' && *p <= 'z') ? -1 : 1;
    return 0;
}

/* The way down to a value: its key or index and its parent's way. The
 * pointer is only spelled out when a failure needs it, since this test
 * visits every value of the document. */
typedef struct way {
    const char *key;        /* NULL for an array element */
    size_t index;
    const struct way *up;
} way;

static int spell_way(xsirt_buf *out, const way *w)
{
    if (w == NULL)
        return 0;
    if (spell_way(out, w->up) != 0)
        return XSIRT_ENOMEM;
    return w->key ? xsirt_buf_printf(out, "/%s", w->key) : xsirt_buf_printf(out, "/%zu", w->index);
}

static void keys_sorted(csaf_ctx *c, const json_t *v, const way *here, unsigned depth)
{
    const char *key, *prev = NULL;
    json_t *child;

    if (depth > XSIRT_LIMIT_DEPTH)
        return;
    if (json_is_array(v)) {
        for (size_t i = 0; i < json_array_size(v); i++) {
            way w = { NULL, i, here };
            keys_sorted(c, json_array_get(v, i), &w, depth + 1);
        }
        return;
    }
    if (!json_is_object(v))
        return;
    json_object_foreach((json_t *)v, key, child) {
        if (prev != NULL && collate(prev, key) > 0) {
            xsirt_buf path;
            xsirt_buf_init(&path, XSIRT_LIMIT_FILE);
            if (spell_way(&path, here) == 0)
                csaf_fail(c, "not sorted alphabetically", "%s", xsirt_buf_cstr(&path));
            else
                c->error = XSIRT_ENOMEM;
            xsirt_buf_free(&path);
            break;
        }
        prev = key;
    }
    json_object_foreach((json_t *)v, key, child) {
        way w = { key, 0, here };
        keys_sorted(c, child, &w, depth + 1);
    }
}

void csaf_test_6_2_13(csaf_ctx *c)
{
    keys_sorted(c, c->doc, NULL, 0);
}

/* ---- 6.2.14, 6.2.15: private and default languages ----------------------------------- */

void csaf_test_6_2_14(csaf_ctx *c)
{
    static const char *const keys[] = { "lang", "source_lang" };
    for (int k = 0; k < 2; k++) {
        const char *tag = csaf_str(csaf_get(c->doc, "document", keys[k], NULL));
        if (tag != NULL && csaf_langtag_private(tag))
            csaf_fail(c, "use of private language", "/document/%s", keys[k]);
    }
}

void csaf_test_6_2_15(csaf_ctx *c)
{
    static const char *const keys[] = { "lang", "source_lang" };
    for (int k = 0; k < 2; k++) {
        const char *tag = csaf_str(csaf_get(c->doc, "document", keys[k], NULL));
        if (tag != NULL && strcmp(tag, "i-default") == 0)
            csaf_fail(c, "use of default language", "/document/%s", keys[k]);
    }
}

/* ---- 6.2.16: products without identification helper ------------------------------------ */

static void branch_without_helper(csaf_ctx *c, const json_t *b, const char *pointer, void *arg)
{
    const json_t *product = json_object_get(b, "product");
    (void)arg;
    if (product != NULL && !csaf_truthy(json_object_get(product, "product_identification_helper")))
        csaf_fail(c, "missing product identification helper", "%s/product", pointer);
}

void csaf_test_6_2_16(csaf_ctx *c)
{
    const json_t *tree = json_object_get(c->doc, "product_tree");

    if (!csaf_shape(c, c->doc, "{" OPEN ",'properties':{'product_tree':{" OPEN
                    ",'optionalProperties':{'branches':" ANY_OBJECTS ",'full_product_names':"
                    ANY_OBJECTS ",'relationships':" ANY_OBJECTS "}}}}"))
        return;
    const json_t *list = json_object_get(tree, "full_product_names");
    for (size_t i = 0; i < json_array_size(list); i++)
        if (!csaf_truthy(json_object_get(json_array_get(list, i), "product_identification_helper")))
            csaf_fail(c, "missing product identification helper",
                      "/product_tree/full_product_names/%zu", i);
    csaf_walk_branches(c, json_object_get(tree, "branches"),
                       "{" OPEN ",'optionalProperties':{'product':{" OPEN
                       ",'optionalProperties':{'product_identification_helper':{" OPEN
                       ",'properties':{}}}}}}", branch_without_helper, NULL);
    list = json_object_get(tree, "relationships");
    for (size_t i = 0; i < json_array_size(list); i++) {
        const json_t *r = json_array_get(list, i);
        if (csaf_shape(c, r, "{" OPEN ",'properties':{'full_product_name':{" OPEN
                       ",'optionalProperties':{'product_identification_helper':{" OPEN
                       ",'properties':{}}}}}}") &&
            !csaf_truthy(json_object_get(json_object_get(r, "full_product_name"),
                                         "product_identification_helper")))
            csaf_fail(c, "missing product identification helper",
                      "/product_tree/relationships/%zu/full_product_name", i);
    }
}

/* ---- 6.2.17, 6.2.18: CVE in ids, version ranges without vers ------------------------------ */

static bool is_cve_id(const char *s)
{
    size_t digits = 0;
    if (strncmp(s, "CVE-", 4) != 0)
        return false;
    for (int i = 4; i < 8; i++)
        if (!xsirt_is_digit(s[i]))
            return false;
    if (s[8] != '-')
        return false;
    for (s += 9; xsirt_is_digit(*s); s++)
        digits++;
    return digits >= 4 && *s == '\0';
}

void csaf_test_6_2_17(csaf_ctx *c)
{
    const json_t *vulns = vulnerabilities(c->doc);
    if (!csaf_shape(c, c->doc, "{" OPEN ",'properties':{'vulnerabilities':{'elements':{" OPEN
                    ",'optionalProperties':{'ids':{'elements':{" OPEN ",'optionalProperties':{"
                    "'text':{'type':'string'}}}}}}}}}"))
        return;
    for (size_t i = 0; i < json_array_size(vulns); i++) {
        const json_t *ids = json_object_get(json_array_get(vulns, i), "ids");
        for (size_t j = 0; j < json_array_size(ids); j++) {
            const char *text = csaf_str(json_object_get(json_array_get(ids, j), "text"));
            if (text != NULL && is_cve_id(text))
                csaf_fail(c, "contains CVE", "/vulnerabilities/%zu/ids/%zu", i, j);
        }
    }
}

/* ^vers:[a-z.+-][a-z0-9.+-]*\/.+ (a prefix match: one character after the
 * slash that is not a line terminator is enough). */
static bool starts_with_vers(const char *s)
{
    if (strncmp(s, "vers:", 5) != 0)
        return false;
    s += 5;
    if (!((*s >= 'a' && *s <= 'z') || *s == '.' || *s == '-' || *s == '+'))
        return false;
    for (s++; (*s >= 'a' && *s <= 'z') || xsirt_is_digit(*s) || *s == '.' || *s == '-' ||
              *s == '+'; s++)
        ;
    return *s == '/' && s[1] != '\0' && s[1] != '\n' && s[1] != '\r' &&
           strncmp(s + 1, "\xe2\x80\xa8", 3) != 0 && strncmp(s + 1, "\xe2\x80\xa9", 3) != 0;
}

static void range_without_vers(csaf_ctx *c, const json_t *b, const char *pointer, void *arg)
{
    const char *name = csaf_branch_name(b, "product_version_range");
    (void)arg;
    if (name != NULL && !starts_with_vers(name))
        csaf_fail(c, "product version range without vers", "%s", pointer);
}

void csaf_test_6_2_18(csaf_ctx *c)
{
    if (csaf_shape(c, c->doc, "{" OPEN ",'properties':{'product_tree':{" OPEN
                   ",'optionalProperties':{'branches':" ANY_OBJECTS "}}}}"))
        csaf_walk_branches(c, csaf_get(c->doc, "product_tree", "branches", NULL),
                           "{" OPEN ",'optionalProperties':{'category':{'type':'string'},"
                           "'name':{'type':'string'}}}", range_without_vers, NULL);
}

/* ---- 6.2.19: scores of fixed products ------------------------------------------------- */

/* The value of metric abbr in a vector string ("KEY:VALUE" parts), copied
 * into out; false when absent or empty. */
static bool vector_value(char *out, size_t outsz, const char *vector, const char *abbr)
{
    size_t alen = strlen(abbr);
    for (const char *p = vector; p != NULL && *p != '\0';) {
        const char *end = strchr(p, '/');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len > alen && strncmp(p, abbr, alen) == 0 && p[alen] == ':') {
            size_t vlen = strcspn(p + alen + 1, ":/");
            if (vlen > 0 && vlen < outsz) {
                memcpy(out, p + alen + 1, vlen);
                out[vlen] = '\0';
                return true;
            }
        }
        p = end ? end + 1 : NULL;
    }
    return false;
}

/* The environmental score of the metrics the vector string and the
 * properties give (the vector wins), as the reference computes it for
 * 6.2.19; false when they do not make a valid vector. */
static bool environmental_score(double *out, const json_t *cvss, const csaf_cvss_metric *map,
                                const char *prefix, int version)
{
    const char *vector = csaf_str(json_object_get(cvss, "vectorString"));
    xsirt_buf b;
    xsirt_cvss parsed;
    xsirt_cvss_scores scores;
    bool ok = true;

    xsirt_buf_init(&b, 512);
    ok = xsirt_buf_puts(&b, prefix) == 0;
    for (const csaf_cvss_metric *m = map; ok && m->abbr != NULL; m++) {
        char value[16];
        const char *word = csaf_str(json_object_get(cvss, m->property));
        bool have = (vector != NULL && vector_value(value, sizeof value, vector, m->abbr)) ||
                    (word != NULL && csaf_cvss_abbr(value, sizeof value, m->values, word));
        if (!have) {
            /* Base metrics are needed; the others default to Not Defined. */
            ok = m - map >= (version == XSIRT_CVSS_V2_0 ? CSAF_CVSS_V2_BASE : CSAF_CVSS_V3_BASE);
            continue;
        }
        if (strcmp(value, "X") == 0 || strcmp(value, "ND") == 0)
            continue;
        ok = xsirt_buf_printf(&b, "%s%s:%s", b.len > strlen(prefix) ? "/" : "", m->abbr,
                              value) == 0;
    }
    ok = ok && xsirt_cvss_parse(&parsed, xsirt_buf_cstr(&b), b.len, NULL) == 0 &&
         parsed.version == version && xsirt_cvss_score(&scores, &parsed, NULL) == 0;
    xsirt_buf_free(&b);
    if (ok)
        *out = scores.environmental;
    return ok;
}

static bool fixed_score_warns(const json_t *score, const char *key)
{
    const json_t *cvss = json_object_get(score, key);
    const json_t *given = json_object_get(cvss, "environmentalScore");
    double computed = 0;
    bool known;

    if (strcmp(key, "cvss_v3") == 0) {
        const char *v = csaf_str(json_object_get(cvss, "version"));
        int version = v == NULL ? 0 : strcmp(v, "3.1") == 0 ? XSIRT_CVSS_V3_1
                                     : strcmp(v, "3.0") == 0 ? XSIRT_CVSS_V3_0 : 0;
        known = version != 0 && environmental_score(&computed, cvss, csaf_cvss_v3_metrics,
                                                    version == XSIRT_CVSS_V3_1 ? "CVSS:3.1/"
                                                                               : "CVSS:3.0/",
                                                    version);
        return (json_is_number(given) && json_number_value(given) > 0) || !known || computed > 0;
    }
    known = environmental_score(&computed, cvss, csaf_cvss_v2_metrics, "", XSIRT_CVSS_V2_0);
    return (json_is_number(given) && json_number_value(given) > 0) || !known || computed != 0;
}

void csaf_test_6_2_19(csaf_ctx *c)
{
    const json_t *vulns = vulnerabilities(c->doc);
#define CVSS_SHAPE "{" OPEN ",'optionalProperties':{'environmentalScore':{'type':'float64'}," \
                   "'vectorString':{'type':'string'},'version':{'type':'string'}}}"
    if (!csaf_shape(c, c->doc, "{" OPEN ",'properties':{'vulnerabilities':{'elements':{" OPEN
                    ",'optionalProperties':{'product_status':{" OPEN ",'optionalProperties':{"
                    "'fixed':" STRINGS ",'first_fixed':" STRINGS "}},'scores':{'elements':{" OPEN
                    ",'optionalProperties':{'cvss_v3':" CVSS_SHAPE ",'cvss_v2':" CVSS_SHAPE
                    ",'products':" STRINGS "}}}}}}}}"))
        return;
#undef CVSS_SHAPE
    for (size_t i = 0; i < json_array_size(vulns); i++) {
        const json_t *v = json_array_get(vulns, i), *scores = json_object_get(v, "scores");
        json_t *fixed = json_object();
        static const char *const lists[] = { "first_fixed", "fixed" };
        const char *id;
        json_t *unused;
        if (fixed == NULL) {
            c->error = XSIRT_ENOMEM;
            return;
        }
        for (int l = 0; l < 2; l++) {
            const json_t *ids = csaf_get(v, "product_status", lists[l], NULL);
            for (size_t j = 0; j < json_array_size(ids); j++)
                json_object_set_new(fixed, json_string_value(json_array_get(ids, j)), json_true());
        }
        json_object_foreach(fixed, id, unused) {
            for (size_t s = 0; s < json_array_size(scores); s++) {
                const json_t *score = json_array_get(scores, s);
                char msg[512];
                if (!csaf_array_has_string(json_object_get(score, "products"), id))
                    continue;
                snprintf(msg, sizeof msg, "environmental score should be 0 since \"%s\" is "
                         "listed as fixed", id);
                if (json_object_get(score, "cvss_v3") && fixed_score_warns(score, "cvss_v3"))
                    csaf_fail(c, msg, "/vulnerabilities/%zu/scores/%zu/cvss_v3", i, s);
                if (json_object_get(score, "cvss_v2") && fixed_score_warns(score, "cvss_v2"))
                    csaf_fail(c, msg, "/vulnerabilities/%zu/scores/%zu/cvss_v2", i, s);
            }
        }
        json_decref(fixed);
    }
}

/* ---- 6.2.20: additional properties ------------------------------------------------------ */

/* The schema test ran first and recorded the closed objects' extra
 * members; this repeats them as warnings, as the reference does. */
void csaf_test_6_2_20(csaf_ctx *c)
{
    static const char prefix[] = "must NOT have additional properties";
    size_t n = json_array_size(c->failures);
    for (size_t i = 0; i < n; i++) {
        const json_t *f = json_array_get(c->failures, i);
        const char *kind = csaf_str(json_object_get(f, "kind"));
        const char *message = csaf_str(json_object_get(f, "message"));
        if (kind != NULL && strcmp(kind, "schema") == 0 && message != NULL &&
            strncmp(message, prefix, sizeof prefix - 1) == 0)
            csaf_fail(c, message, "%s", csaf_str(json_object_get(f, "path")));
    }
}
