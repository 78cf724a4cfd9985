/*
 * csaf_tests_products.c — CSAF tests 6.1.1 to 6.1.7: product and group ids
 * are defined once and every reference has a definition, relationships do
 * not go round in circles, a product is not in contradicting status
 * groups, and a product has one score per CVSS version.
 *
 * Sets of ids are jansson objects (a hash table keyed by the id), so a
 * document with thousands of products and references stays linear.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/csaf_tests.h"
#include "xsirt/error.h"

static const char *const statuses[] = {
    "first_affected", "first_fixed", "fixed", "known_affected",
    "known_not_affected", "last_affected", "recommended", "under_investigation",
};

/* A set of the ids' strings. NULL when out of memory. */
static json_t *id_set(const csaf_ids *ids)
{
    json_t *set = json_object();
    for (size_t i = 0; set != NULL && i < ids->len; i++)
        if (json_object_set_new(set, ids->items[i].id, json_true()) != 0) {
            json_decref(set);
            return NULL;
        }
    return set;
}

/* Reports each reference in list (array at path) with no definition in set.
 * The reference walks lists with index loops, so a string in place of a
 * list is walked character by character, each a reference. */
static void check_refs(csaf_ctx *c, const json_t *set, const json_t *list, const char *message,
                       const char *path)
{
    if (json_is_string(list)) {
        const char *s = json_string_value(list);
        size_t n = json_string_length(list), index = 0;
        for (size_t i = 0; i < n; index++) {
            size_t len = 1;
            char one[5];
            unsigned char lead = (unsigned char)s[i];
            if (lead >= 0xF0)
                len = 4;
            else if (lead >= 0xE0)
                len = 3;
            else if (lead >= 0xC0)
                len = 2;
            if (i + len > n)
                len = n - i;
            memcpy(one, s + i, len);
            one[len] = '\0';
            /* An astral character is two UTF-16 units to ECMAScript: two
             * references, neither of them defined. */
            if (len == 4)
                csaf_fail(c, message, "%s/%zu", path, index++);
            if (len == 4 || json_object_get(set, one) == NULL)
                csaf_fail(c, message, "%s/%zu", path, index);
            i += len;
        }
        return;
    }
    for (size_t j = 0; j < json_array_size(list); j++) {
        const json_t *ref = json_array_get(list, j);
        const char *id = csaf_str(ref);
        if (!csaf_truthy(ref))
            continue;
        if (id == NULL || json_object_get(set, id) == NULL)
            csaf_fail(c, message, "%s/%zu", path, j);
    }
}

/* Reports references of `member` (product_ids / group_ids) in each entry of
 * vulnerability v's array `field`. */
static void check_member_refs(csaf_ctx *c, const json_t *set, const json_t *v, size_t vi,
                              const char *field, const char *member, const char *message)
{
    const json_t *list = json_object_get(v, field);
    char path[160];
    for (size_t i = 0; i < json_array_size(list); i++) {
        snprintf(path, sizeof path, "/vulnerabilities/%zu/%s/%zu/%s", vi, field, i, member);
        check_refs(c, set, json_object_get(json_array_get(list, i), member), message, path);
    }
}

void csaf_test_6_1_1(csaf_ctx *c)
{
    static const char msg[] = "definition of product id missing";
    csaf_ids ids = { 0 };
    json_t *set;
    char path[160];

    if (csaf_collect_product_ids(&ids, c->doc) != 0 || (set = id_set(&ids)) == NULL) {
        csaf_ids_free(&ids);
        c->error = XSIRT_ENOMEM;
        return;
    }
    const json_t *tree = json_object_get(c->doc, "product_tree");
    const json_t *groups = json_object_get(tree, "product_groups");
    for (size_t i = 0; i < json_array_size(groups); i++) {
        snprintf(path, sizeof path, "/product_tree/product_groups/%zu/product_ids", i);
        check_refs(c, set, json_object_get(json_array_get(groups, i), "product_ids"), msg, path);
    }
    const json_t *rels = json_object_get(tree, "relationships");
    for (size_t i = 0; i < json_array_size(rels); i++) {
        static const char *const keys[] = { "product_reference", "relates_to_product_reference" };
        for (int k = 0; k < 2; k++) {
            const json_t *ref = json_object_get(json_array_get(rels, i), keys[k]);
            const char *id = csaf_str(ref);
            if (csaf_truthy(ref) && (id == NULL || json_object_get(set, id) == NULL))
                csaf_fail(c, msg, "/product_tree/relationships/%zu/%s", i, keys[k]);
        }
    }
    const json_t *vulns = json_object_get(c->doc, "vulnerabilities");
    for (size_t i = 0; i < json_array_size(vulns); i++) {
        const json_t *v = json_array_get(vulns, i);
        const json_t *ps = json_object_get(v, "product_status");
        for (size_t s = 0; s < sizeof statuses / sizeof *statuses; s++) {
            snprintf(path, sizeof path, "/vulnerabilities/%zu/product_status/%s", i, statuses[s]);
            check_refs(c, set, json_object_get(ps, statuses[s]), msg, path);
        }
        check_member_refs(c, set, v, i, "remediations", "product_ids", msg);
        check_member_refs(c, set, v, i, "scores", "products", msg);
        check_member_refs(c, set, v, i, "threats", "product_ids", msg);
        check_member_refs(c, set, v, i, "flags", "product_ids", msg);
    }
    json_decref(set);
    csaf_ids_free(&ids);
}

/* Reports every definition whose id is defined more than once. */
static void report_duplicates(csaf_ctx *c, const csaf_ids *ids, const char *message)
{
    json_t *count = json_object();
    if (count == NULL) {
        c->error = XSIRT_ENOMEM;
        return;
    }
    for (size_t i = 0; i < ids->len; i++) {
        json_t *n = json_object_get(count, ids->items[i].id);
        json_object_set_new(count, ids->items[i].id,
                            json_integer(n ? json_integer_value(n) + 1 : 1));
    }
    for (size_t i = 0; i < ids->len; i++)
        if (json_integer_value(json_object_get(count, ids->items[i].id)) > 1)
            csaf_fail(c, message, "%s", ids->items[i].path);
    json_decref(count);
}

void csaf_test_6_1_2(csaf_ctx *c)
{
    csaf_ids ids = { 0 };
    if (csaf_collect_product_ids(&ids, c->doc) != 0)
        c->error = XSIRT_ENOMEM;
    else
        report_duplicates(c, &ids, "duplicate definition product id");
    csaf_ids_free(&ids);
}

/*
 * 6.1.3. The reference walks from each relationship along its two
 * references (to the first relationship defining that product id) and
 * reports the reference it started with when the walk meets a relationship
 * already on its path: that is, when the start's target can reach a cycle.
 * Nodes that can reach a cycle are those left after repeatedly removing
 * nodes whose every successor was removed, which takes linear time where
 * the walk could take exponential time.
 */
void csaf_test_6_1_3(csaf_ctx *c)
{
    static const char *const keys[] = { "product_reference", "relates_to_product_reference" };
    const json_t *rels = csaf_get(c->doc, "product_tree", "relationships", NULL);
    size_t n = json_array_size(rels);
    json_t *first = json_object();
    long *target = calloc(2 * n + 1, sizeof *target);
    size_t *outdeg = calloc(n + 1, sizeof *outdeg), *queue = calloc(n + 1, sizeof *queue);
    size_t *pred_start = calloc(n + 2, sizeof *pred_start), *pred = calloc(2 * n + 1, sizeof *pred);
    bool *removed = calloc(n + 1, sizeof *removed);

    if (first == NULL || target == NULL || outdeg == NULL || queue == NULL || removed == NULL ||
        pred_start == NULL || pred == NULL) {
        c->error = XSIRT_ENOMEM;
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        const char *id = csaf_str(csaf_get(json_array_get(rels, i), "full_product_name",
                                           "product_id", NULL));
        if (id != NULL && json_object_get(first, id) == NULL)
            json_object_set_new(first, id, json_integer((json_int_t)i));
    }
    for (size_t i = 0; i < n; i++)
        for (int k = 0; k < 2; k++) {
            const char *ref = csaf_str(json_object_get(json_array_get(rels, i), keys[k]));
            const json_t *t = ref ? json_object_get(first, ref) : NULL;
            target[2 * i + k] = t ? (long)json_integer_value(t) : -1;
            outdeg[i] += t != NULL;
        }
    /* Each node's predecessors, one entry per edge, in one array. */
    for (size_t e = 0; e < 2 * n; e++)
        if (target[e] >= 0)
            pred_start[target[e] + 1]++;
    for (size_t i = 0; i < n; i++)
        pred_start[i + 1] += pred_start[i];
    for (size_t e = 0, *fill = queue; e < 2 * n; e++)
        if (target[e] >= 0)
            pred[pred_start[target[e]] + fill[target[e]]++] = e / 2;
    memset(queue, 0, (n + 1) * sizeof *queue);
    size_t head = 0, tail = 0;
    for (size_t i = 0; i < n; i++)
        if (outdeg[i] == 0)
            queue[tail++] = i;
    while (head < tail) {
        size_t gone = queue[head++];
        removed[gone] = true;
        for (size_t k = pred_start[gone]; k < pred_start[gone + 1]; k++)
            if (--outdeg[pred[k]] == 0)
                queue[tail++] = pred[k];
    }
    for (size_t i = 0; i < n; i++)
        for (int k = 0; k < 2; k++)
            if (target[2 * i + k] >= 0 && !removed[target[2 * i + k]])
                csaf_fail(c, "circular reference", "/product_tree/relationships/%zu/%s", i, keys[k]);
done:
    json_decref(first);
    free(target);
    free(outdeg);
    free(queue);
    free(pred_start);
    free(pred);
    free(removed);
}

void csaf_test_6_1_4(csaf_ctx *c)
{
    static const char msg[] = "definition of group id missing";
    csaf_ids ids = { 0 };
    json_t *set;

    if (csaf_collect_group_ids(&ids, c->doc) != 0 || (set = id_set(&ids)) == NULL) {
        csaf_ids_free(&ids);
        c->error = XSIRT_ENOMEM;
        return;
    }
    const json_t *vulns = json_object_get(c->doc, "vulnerabilities");
    for (size_t i = 0; i < json_array_size(vulns); i++) {
        const json_t *v = json_array_get(vulns, i);
        check_member_refs(c, set, v, i, "remediations", "group_ids", msg);
        check_member_refs(c, set, v, i, "threats", "group_ids", msg);
        check_member_refs(c, set, v, i, "flags", "group_ids", msg);
    }
    json_decref(set);
    csaf_ids_free(&ids);
}

void csaf_test_6_1_5(csaf_ctx *c)
{
    csaf_ids ids = { 0 };
    if (csaf_collect_group_ids(&ids, c->doc) != 0)
        c->error = XSIRT_ENOMEM;
    else
        report_duplicates(c, &ids, "duplicate definition product group id");
    csaf_ids_free(&ids);
}

/* 6.1.6: the four groups of statuses that contradict each other. */
void csaf_test_6_1_6(csaf_ctx *c)
{
    static const char *const groups[4][3] = {
        { "first_affected", "known_affected", "last_affected" },
        { "known_not_affected", NULL, NULL },
        { "first_fixed", "fixed", NULL },
        { "under_investigation", NULL, NULL },
    };
    const json_t *vulns = json_object_get(c->doc, "vulnerabilities");

    for (size_t vi = 0; vi < json_array_size(vulns); vi++) {
        const json_t *ps = json_object_get(json_array_get(vulns, vi), "product_status");
        json_t *member[4];   /* product id -> true, per group */
        for (int g = 0; g < 4; g++) {
            member[g] = json_object();
            for (int k = 0; k < 3 && groups[g][k] && member[g]; k++) {
                const json_t *list = json_object_get(ps, groups[g][k]);
                for (size_t i = 0; i < json_array_size(list); i++) {
                    const char *id = csaf_str(json_array_get(list, i));
                    if (id != NULL)
                        json_object_set_new(member[g], id, json_true());
                }
            }
        }
        for (int g = 0; g < 4; g++) {
            const char *id;
            json_t *unused;
            if (member[g] == NULL) {
                c->error = XSIRT_ENOMEM;
                continue;
            }
            json_object_foreach(member[g], id, unused) {
                bool later = false;
                for (int h = g + 1; h < 4 && !later; h++)
                    later = member[h] != NULL && json_object_get(member[h], id) != NULL;
                if (later) {
                    char msg[512];
                    snprintf(msg, sizeof msg, "product id \"%s\" is mentioned in contradicting "
                             "product status groups", id);
                    csaf_fail(c, msg, "/vulnerabilities/%zu/product_status", vi);
                }
            }
        }
        for (int g = 0; g < 4; g++)
            json_decref(member[g]);
    }
}

/* cvss_v2 / cvss_v3 as the 6.1.7 precondition wants them: absent, or an
 * object whose version is a string or absent. */
static bool score_version_ok(const json_t *score, const char *key)
{
    const json_t *cvss = json_object_get(score, key);
    if (cvss == NULL)
        return true;
    if (!csaf_truthy(cvss))
        return false;
    const json_t *version = json_object_get(cvss, "version");
    return version == NULL || json_is_string(version);
}

static bool precondition_6_1_7(const json_t *doc)
{
    const json_t *vulns = json_object_get(doc, "vulnerabilities");
    if (!json_is_array(vulns))
        return false;
    for (size_t i = 0; i < json_array_size(vulns); i++) {
        const json_t *scores = json_object_get(json_array_get(vulns, i), "scores");
        if (scores == NULL)
            continue;
        if (!json_is_array(scores))
            return false;
        for (size_t j = 0; j < json_array_size(scores); j++) {
            const json_t *score = json_array_get(scores, j);
            const json_t *products = json_object_get(score, "products");
            if (!json_is_array(products))
                return false;
            for (size_t k = 0; k < json_array_size(products); k++)
                if (!json_is_string(json_array_get(products, k)))
                    return false;
            if (!score_version_ok(score, "cvss_v2") || !score_version_ok(score, "cvss_v3"))
                return false;
        }
    }
    return true;
}

void csaf_test_6_1_7(csaf_ctx *c)
{
    const json_t *vulns = json_object_get(c->doc, "vulnerabilities");
    if (!precondition_6_1_7(c->doc))
        return;
    for (size_t vi = 0; vi < json_array_size(vulns); vi++) {
        const json_t *scores = json_object_get(json_array_get(vulns, vi), "scores");
        json_t *seen = json_object();   /* product -> {version: true} */
        if (seen == NULL) {
            c->error = XSIRT_ENOMEM;
            return;
        }
        for (size_t si = 0; si < json_array_size(scores); si++) {
            const json_t *score = json_array_get(scores, si);
            const char *v2 = csaf_str(csaf_get(score, "cvss_v2", "version", NULL));
            const char *v3 = csaf_str(csaf_get(score, "cvss_v3", "version", NULL));
            const json_t *products = json_object_get(score, "products");
            for (size_t pi = 0; pi < json_array_size(products); pi++) {
                const char *product = csaf_str(json_array_get(products, pi));
                json_t *versions = json_object_get(seen, product);
                if (versions == NULL) {
                    versions = json_object();
                    json_object_set_new(seen, product, versions);
                }
                if ((v2 && json_object_get(versions, v2)) || (v3 && json_object_get(versions, v3))) {
                    char msg[512];
                    size_t used = 0;
                    const char *key;
                    json_t *unused;
                    used += (size_t)snprintf(msg, sizeof msg,
                                             "product is already included in these cvss-versions: ");
                    json_object_foreach(versions, key, unused)
                        if (used < sizeof msg)
                            used += (size_t)snprintf(msg + used, sizeof msg - used, "%s%s",
                                                     key == json_object_iter_key(
                                                         json_object_iter(versions)) ? "" : ", ",
                                                     key);
                    csaf_fail(c, msg, "/vulnerabilities/%zu/scores/%zu/products/%zu", vi, si, pi);
                }
                if (v2)
                    json_object_set_new(versions, v2, json_true());
                if (v3)
                    json_object_set_new(versions, v3, json_true());
            }
        }
        json_decref(seen);
    }
}
