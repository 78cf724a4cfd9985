/*
 * priority.c — the priority rule (see priority.h): checking a rule and
 * evaluating it for one finding.
 */
#include <string.h>

#include "store/priority.h"

static const char priority_default_json[] =
    "{\"rules\":["
    "{\"priority\":\"P1\",\"kev\":true,\"exposure\":[\"internet\"]},"
    "{\"priority\":\"P1\",\"min_cvss\":9.0,\"exposure\":[\"internet\"],"
    "\"criticality\":[\"high\",\"critical\"]},"
    "{\"priority\":\"P2\",\"kev\":true},"
    "{\"priority\":\"P2\",\"min_cvss\":9.0},"
    "{\"priority\":\"P2\",\"min_epss\":0.5},"
    "{\"priority\":\"P2\",\"min_cvss\":7.0,\"exposure\":[\"internet\"]},"
    "{\"priority\":\"P2\",\"min_cvss\":7.0,\"criticality\":[\"high\",\"critical\"]},"
    "{\"priority\":\"P3\",\"min_cvss\":7.0},"
    "{\"priority\":\"P3\",\"min_epss\":0.1},"
    "{\"priority\":\"P3\",\"min_cvss\":4.0,\"exposure\":[\"internet\"]}"
    "],\"default\":\"P4\"}";

static const char *const priority_names[] = {"P1", "P2", "P3", "P4", NULL};
static const char *const priority_severities[] = {"critical", "high", "medium", "low"};

json_t *xsirt_priority_default_rule(void)
{
    return json_loads(priority_default_json, 0, NULL);
}

static int priority_index(const char *p)
{
    for (int i = 0; p != NULL && priority_names[i] != NULL; i++)
        if (strcmp(p, priority_names[i]) == 0)
            return i;
    return -1;
}

const char *xsirt_priority_severity(const char *priority)
{
    int i = priority_index(priority);

    return i >= 0 ? priority_severities[i] : "low";
}

/* A list of the allowed names. */
static int priority_check_list(const json_t *v, const char *const *allowed, size_t entry,
                               const char *key, xsirt_error *err)
{
    const json_t *x;
    size_t i;

    if (!json_is_array(v) || json_array_size(v) == 0)
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, "priority_rule",
                                       "rules[%zu].%s must be a non-empty list", entry, key);
    json_array_foreach(v, i, x) {
        size_t k = 0;
        while (allowed[k] != NULL && !(json_is_string(x) && strcmp(json_string_value(x), allowed[k]) == 0))
            k++;
        if (allowed[k] == NULL)
            return xsirt_error_set_pointer(err, XSIRT_EINVAL, "priority_rule",
                                           "rules[%zu].%s[%zu] is not one of its values", entry,
                                           key, i);
    }
    return 0;
}

static int priority_check_entry(const json_t *e, size_t i, xsirt_error *err)
{
    static const char *const crit[] = {"low", "medium", "high", "critical", NULL};
    static const char *const expo[] = {"internet", "internal", "isolated", NULL};
    const char *key;
    json_t *v;
    int rc = 0;

    if (!json_is_object(e) || priority_index(json_string_value(json_object_get(e, "priority"))) < 0)
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, "priority_rule",
                                       "rules[%zu] needs a priority P1 to P4", i);
    json_object_foreach((json_t *)e, key, v) {
        if (strcmp(key, "priority") == 0)
            continue;
        if (strcmp(key, "kev") == 0 && json_is_boolean(v))
            continue;
        if (strcmp(key, "min_cvss") == 0 && json_is_number(v) && json_number_value(v) >= 0 &&
            json_number_value(v) <= 10)
            continue;
        if (strcmp(key, "min_epss") == 0 && json_is_number(v) && json_number_value(v) >= 0 &&
            json_number_value(v) <= 1)
            continue;
        if (strcmp(key, "criticality") == 0)
            rc = priority_check_list(v, crit, i, key, err);
        else if (strcmp(key, "exposure") == 0)
            rc = priority_check_list(v, expo, i, key, err);
        else
            rc = xsirt_error_set_pointer(err, XSIRT_EINVAL, "priority_rule",
                                         "rules[%zu].%.64s: not a condition, or a wrong value "
                                         "(kev: boolean, min_cvss: 0-10, min_epss: 0-1, "
                                         "criticality, exposure: lists)", i, key);
        if (rc != 0)
            return rc;
    }
    return 0;
}

int xsirt_priority_check(const json_t *rule, xsirt_error *err)
{
    const json_t *rules = json_object_get(rule, "rules"), *e;
    size_t i;
    int rc;

    if (!json_is_object(rule) || !json_is_array(rules) || json_object_size(rule) != 2 ||
        priority_index(json_string_value(json_object_get(rule, "default"))) < 0)
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, "priority_rule",
                                       "priority_rule is {\"rules\":[...],\"default\":\"P1\".."
                                       "\"P4\"}");
    if (json_array_size(rules) > 100)
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, "priority_rule",
                                       "priority_rule has more than 100 rules");
    json_array_foreach(rules, i, e) {
        if ((rc = priority_check_entry(e, i, err)) != 0)
            return rc;
    }
    return 0;
}

static bool priority_in(const json_t *list, const char *value)
{
    const json_t *x;
    size_t i;

    if (list == NULL)
        return true;
    json_array_foreach(list, i, x) {
        if (value != NULL && strcmp(json_string_value(x), value) == 0)
            return true;
    }
    return false;
}

static bool priority_holds(const json_t *e, const xsirt_priority_facts *f)
{
    const json_t *kev = json_object_get(e, "kev");
    const json_t *cvss = json_object_get(e, "min_cvss");
    const json_t *epss = json_object_get(e, "min_epss");

    return (kev == NULL || json_is_true(kev) == f->kev) &&
           (cvss == NULL || (f->cvss >= 0 && f->cvss >= json_number_value(cvss))) &&
           (epss == NULL || (f->epss >= 0 && f->epss >= json_number_value(epss))) &&
           priority_in(json_object_get(e, "criticality"), f->criticality) &&
           priority_in(json_object_get(e, "exposure"), f->exposure);
}

const char *xsirt_priority_eval(const json_t *rule, const xsirt_priority_facts *facts)
{
    const json_t *e;
    size_t i;

    json_array_foreach(json_object_get(rule, "rules"), i, e) {
        if (priority_holds(e, facts))
            return priority_names[priority_index(json_string_value(json_object_get(e, "priority")))];
    }
    i = (size_t)priority_index(json_string_value(json_object_get(rule, "default")));
    return priority_names[i < 4 ? i : 3];
}
