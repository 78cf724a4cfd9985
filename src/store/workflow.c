/*
 * workflow.c — workflows as data (see workflow.h).
 *
 * The defaults are written below in the same JSON an administrator would
 * send to POST /api/v1/workflows, and go through the same checks, so the
 * built-in workflows are no more special than custom ones.
 */
#include <stdio.h>
#include <string.h>

#include "core/str.h"
#include "store/clock.h"
#include "store/json_input.h"
#include "store/store.h"
#include "store/workflow.h"

#define WORKFLOW_MAX_STATES 64u

static const char workflow_psirt[] =
    "{\"name\":\"psirt\",\"description\":\"Vulnerability handling after the FIRST PSIRT Services "
    "Framework: Discovery, Triage, Remediation, Disclosure.\",\"initial\":\"discovery\","
    "\"states\":["
    "{\"name\":\"discovery\",\"label\":\"Discovery\"},"
    "{\"name\":\"triage\",\"label\":\"Triage\"},"
    "{\"name\":\"remediation\",\"label\":\"Remediation\"},"
    "{\"name\":\"disclosure\",\"label\":\"Disclosure\"},"
    "{\"name\":\"closed\",\"label\":\"Closed\",\"terminal\":true},"
    "{\"name\":\"rejected\",\"label\":\"Rejected\",\"terminal\":true},"
    "{\"name\":\"duplicate\",\"label\":\"Duplicate\",\"terminal\":true}],"
    "\"transitions\":["
    "{\"from\":\"discovery\",\"to\":\"triage\",\"name\":\"Start triage\"},"
    "{\"from\":\"triage\",\"to\":\"remediation\",\"name\":\"Confirm\"},"
    "{\"from\":\"remediation\",\"to\":\"disclosure\",\"name\":\"Fix ready\"},"
    "{\"from\":\"disclosure\",\"to\":\"closed\",\"name\":\"Close\",\"requires\":[\"resolution\"]},"
    "{\"from\":\"remediation\",\"to\":\"triage\",\"name\":\"Back to triage\"},"
    "{\"from\":\"discovery\",\"to\":\"rejected\",\"name\":\"Reject\",\"requires\":[\"resolution\"]},"
    "{\"from\":\"triage\",\"to\":\"rejected\",\"name\":\"Reject\",\"requires\":[\"resolution\"]},"
    "{\"from\":\"discovery\",\"to\":\"duplicate\",\"name\":\"Duplicate\",\"requires\":[\"resolution\"]},"
    "{\"from\":\"triage\",\"to\":\"duplicate\",\"name\":\"Duplicate\",\"requires\":[\"resolution\"]},"
    "{\"from\":\"closed\",\"to\":\"triage\",\"name\":\"Reopen\"}]}";

static const char workflow_incident[] =
    "{\"name\":\"incident\",\"description\":\"Incident response after NIST SP 800-61: "
    "detection and analysis, containment, eradication and recovery, post-incident activity.\","
    "\"initial\":\"reported\",\"states\":["
    "{\"name\":\"reported\",\"label\":\"Reported\"},"
    "{\"name\":\"triage\",\"label\":\"Triage\"},"
    "{\"name\":\"analysis\",\"label\":\"Analysis\"},"
    "{\"name\":\"containment\",\"label\":\"Containment\"},"
    "{\"name\":\"eradication\",\"label\":\"Eradication\"},"
    "{\"name\":\"recovery\",\"label\":\"Recovery\"},"
    "{\"name\":\"lessons-learned\",\"label\":\"Lessons learned\"},"
    "{\"name\":\"closed\",\"label\":\"Closed\",\"terminal\":true}],"
    "\"transitions\":["
    "{\"from\":\"reported\",\"to\":\"triage\",\"name\":\"Acknowledge\"},"
    "{\"from\":\"triage\",\"to\":\"analysis\",\"name\":\"Analyse\"},"
    "{\"from\":\"triage\",\"to\":\"closed\",\"name\":\"Not an incident\",\"requires\":[\"resolution\"]},"
    "{\"from\":\"analysis\",\"to\":\"containment\",\"name\":\"Contain\"},"
    "{\"from\":\"containment\",\"to\":\"eradication\",\"name\":\"Eradicate\"},"
    "{\"from\":\"eradication\",\"to\":\"recovery\",\"name\":\"Recover\"},"
    "{\"from\":\"recovery\",\"to\":\"lessons-learned\",\"name\":\"Review\"},"
    "{\"from\":\"lessons-learned\",\"to\":\"closed\",\"name\":\"Close\",\"requires\":[\"resolution\"]},"
    "{\"from\":\"closed\",\"to\":\"analysis\",\"name\":\"Reopen\"}]}";

static const struct {
    const char *kind, *label, *workflow;
} workflow_default_kinds[] = {
    {"vulnerability", "Vulnerability report", "psirt"},
    {"incident", "Incident", "incident"},
    {"service-incident", "Service incident", "incident"},
};

static const xsirt_field workflow_fields[] = {
    {"name", XSIRT_FIELD_STRING, true, false, 64},
    {"description", XSIRT_FIELD_STRING, false, false, 0},
    {"initial", XSIRT_FIELD_STRING, true, false, 64},
    {"states", XSIRT_FIELD_ARRAY, true, false, WORKFLOW_MAX_STATES},
    {"transitions", XSIRT_FIELD_ARRAY, true, false, WORKFLOW_MAX_STATES * 8},
    {NULL, 0, false, false, 0},
};
static const xsirt_field state_fields[] = {
    {"name", XSIRT_FIELD_STRING, true, false, 64},
    {"label", XSIRT_FIELD_STRING, true, false, 200},
    {"terminal", XSIRT_FIELD_BOOLEAN, false, false, 0},
    {NULL, 0, false, false, 0},
};
static const xsirt_field transition_fields[] = {
    {"from", XSIRT_FIELD_STRING, true, false, 64},
    {"to", XSIRT_FIELD_STRING, true, false, 64},
    {"name", XSIRT_FIELD_STRING, true, false, 200},
    {"requires", XSIRT_FIELD_ARRAY, false, false, 32},
    {NULL, 0, false, false, 0},
};
static const xsirt_field kind_fields[] = {
    {"name", XSIRT_FIELD_STRING, true, false, 64},
    {"label", XSIRT_FIELD_STRING, true, false, 200},
    {"workflow", XSIRT_FIELD_INTEGER, true, false, 0},
    {NULL, 0, false, false, 0},
};

/* Case fields a transition may require (they must be set on the case). */
static const char *const workflow_requirable[] = {"resolution", "assignee", "severity",
                                                  "classification", "description", "due", NULL};

static int workflow_state_index(const json_t *states, const char *name)
{
    for (size_t i = 0; i < json_array_size(states); i++)
        if (strcmp(xsirt_json_str(json_array_get(states, i), "name"), name) == 0)
            return (int)i;
    return -1;
}

static int workflow_check_slug(const char *s, const char *field, xsirt_error *err)
{
    if (s[0] == '\0')
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, field, "%s may not be empty", field);
    for (const char *p = s; *p != '\0'; p++)
        if (!(xsirt_is_digit((unsigned char)*p) || (*p >= 'a' && *p <= 'z') || *p == '-'))
            return xsirt_error_set_pointer(err, XSIRT_EINVAL, field,
                                           "%s may use a-z, 0-9 and '-' only", field);
    return 0;
}

static int workflow_check_states(const json_t *states, xsirt_error *err)
{
    char ptr[64];
    int rc;

    if (json_array_size(states) == 0)
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, "states", "a workflow needs states");
    for (size_t i = 0; i < json_array_size(states); i++) {
        const json_t *s = json_array_get(states, i);
        snprintf(ptr, sizeof ptr, "states/%zu", i);
        if ((rc = xsirt_json_check(s, state_fields, false, err)) != 0 ||
            (rc = workflow_check_slug(xsirt_json_str(s, "name"), "name", err)) != 0) {
            xsirt_error_prefix(err, "%s: ", ptr);
            return rc;
        }
        if (workflow_state_index(states, xsirt_json_str(s, "name")) != (int)i)
            return xsirt_error_set_pointer(err, XSIRT_EINVAL, ptr, "state %s is listed twice",
                                           xsirt_json_str(s, "name"));
    }
    return 0;
}

static int workflow_check_transitions(const json_t *states, const json_t *transitions,
                                      xsirt_error *err)
{
    char ptr[64];
    int rc;

    for (size_t i = 0; i < json_array_size(transitions); i++) {
        const json_t *t = json_array_get(transitions, i), *req;
        snprintf(ptr, sizeof ptr, "transitions/%zu", i);
        if ((rc = xsirt_json_check(t, transition_fields, false, err)) != 0) {
            xsirt_error_prefix(err, "%s: ", ptr);
            return rc;
        }
        if (workflow_state_index(states, xsirt_json_str(t, "from")) < 0 ||
            workflow_state_index(states, xsirt_json_str(t, "to")) < 0)
            return xsirt_error_set_pointer(err, XSIRT_EINVAL, ptr,
                                           "transition %s -> %s joins a state not listed",
                                           xsirt_json_str(t, "from"), xsirt_json_str(t, "to"));
        req = json_object_get(t, "requires");
        for (size_t k = 0; k < json_array_size(req); k++)
            if (!json_is_string(json_array_get(req, k)) ||
                xsirt_json_enum(json_string_value(json_array_get(req, k)), workflow_requirable,
                                "requires", err) != 0)
                return xsirt_error_set_pointer(err, XSIRT_EINVAL, ptr,
                                               "requires lists a field a case cannot have");
    }
    return 0;
}

/* Every state reachable from the initial one, and some terminal one. */
static int workflow_check_graph(const json_t *wf, xsirt_error *err)
{
    const json_t *states = json_object_get(wf, "states");
    const json_t *transitions = json_object_get(wf, "transitions");
    bool seen[WORKFLOW_MAX_STATES] = {false}, grew = true, terminal = false;
    size_t n = json_array_size(states);
    int start = workflow_state_index(states, xsirt_json_str(wf, "initial"));

    if (start < 0)
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, "initial", "initial state %s is not listed",
                                       xsirt_json_str(wf, "initial"));
    seen[start] = true;
    while (grew) {
        grew = false;
        for (size_t i = 0; i < json_array_size(transitions); i++) {
            const json_t *t = json_array_get(transitions, i);
            int from = workflow_state_index(states, xsirt_json_str(t, "from"));
            int to = workflow_state_index(states, xsirt_json_str(t, "to"));
            if (seen[from] && !seen[to])
                seen[to] = grew = true;
        }
    }
    for (size_t i = 0; i < n; i++) {
        if (!seen[i])
            return xsirt_error_set_pointer(err, XSIRT_EINVAL, "states",
                                           "state %s cannot be reached from %s",
                                           xsirt_json_str(json_array_get(states, i), "name"),
                                           xsirt_json_str(wf, "initial"));
        terminal = terminal || json_is_true(json_object_get(json_array_get(states, i), "terminal"));
    }
    return terminal ? 0
           : xsirt_error_set_pointer(err, XSIRT_EINVAL, "states",
                                     "a workflow needs a terminal state");
}

int xsirt_workflow_check(const json_t *wf, xsirt_error *err)
{
    int rc;

    if ((rc = xsirt_json_check(wf, workflow_fields, false, err)) != 0 ||
        (rc = workflow_check_slug(xsirt_json_str(wf, "name"), "name", err)) != 0 ||
        (rc = workflow_check_states(json_object_get(wf, "states"), err)) != 0 ||
        (rc = workflow_check_transitions(json_object_get(wf, "states"),
                                         json_object_get(wf, "transitions"), err)) != 0)
        return rc;
    return workflow_check_graph(wf, err);
}

/* Inserts a checked workflow; *id gets its id. */
static int workflow_insert(int64_t *id, xsirt_db *db, const json_t *wf, xsirt_error *err)
{
    const json_t *states = json_object_get(wf, "states");
    const json_t *transitions = json_object_get(wf, "transitions");
    const char *desc = xsirt_json_str(wf, "description");
    char now[XSIRT_TIME_MAX];
    xsirt_db_value p[5];
    xsirt_db_rows *rows;
    int rc;

    xsirt_clock_now(now);
    p[0] = XSIRT_DB_TEXTV(xsirt_json_str(wf, "name"));
    p[1] = XSIRT_DB_TEXTV(desc != NULL ? desc : "");
    p[2] = XSIRT_DB_TEXTV(xsirt_json_str(wf, "initial"));
    p[3] = XSIRT_DB_TEXTV(now);
    rc = xsirt_db_query(&rows, db, "INSERT INTO workflows (name, description, initial_state, "
                                   "created_at) VALUES (?, ?, ?, ?) RETURNING id", p, 4, err);
    if (rc == XSIRT_ECONFLICT)
        return xsirt_error_set_pointer(err, XSIRT_ECONFLICT, "name", "a workflow named %s exists",
                                       xsirt_json_str(wf, "name"));
    if (rc != 0)
        return rc;
    *id = xsirt_db_rows_int(rows, 0, 0);
    xsirt_db_rows_free(rows);
    for (size_t i = 0; rc == 0 && i < json_array_size(states); i++) {
        const json_t *s = json_array_get(states, i);
        p[0] = XSIRT_DB_INTV(*id);
        p[1] = XSIRT_DB_TEXTV(xsirt_json_str(s, "name"));
        p[2] = XSIRT_DB_TEXTV(xsirt_json_str(s, "label"));
        p[3] = XSIRT_DB_INTV(i);
        p[4] = XSIRT_DB_INTV(json_is_true(json_object_get(s, "terminal")));
        rc = xsirt_db_exec(db, "INSERT INTO workflow_states (workflow_id, name, label, position, "
                               "terminal) VALUES (?, ?, ?, ?, ?)", p, 5, NULL, err);
    }
    for (size_t i = 0; rc == 0 && i < json_array_size(transitions); i++) {
        const json_t *t = json_array_get(transitions, i), *req = json_object_get(t, "requires");
        char *reqs = req != NULL ? json_dumps(req, JSON_COMPACT) : NULL;
        p[0] = XSIRT_DB_INTV(*id);
        p[1] = XSIRT_DB_TEXTV(xsirt_json_str(t, "from"));
        p[2] = XSIRT_DB_TEXTV(xsirt_json_str(t, "to"));
        p[3] = XSIRT_DB_TEXTV(xsirt_json_str(t, "name"));
        p[4] = XSIRT_DB_TEXTV(reqs != NULL ? reqs : "[]");
        rc = xsirt_db_exec(db, "INSERT INTO workflow_transitions (workflow_id, from_state, to_state, "
                               "name, requires) VALUES (?, ?, ?, ?, ?)", p, 5, NULL, err);
        free(reqs);
        if (rc == XSIRT_ECONFLICT)
            rc = xsirt_error_set_pointer(err, XSIRT_EINVAL, "transitions",
                                         "transition %s -> %s is listed twice",
                                         xsirt_json_str(t, "from"), xsirt_json_str(t, "to"));
    }
    return rc;
}

static int workflow_insert_kind(xsirt_db *db, const char *name, const char *label,
                                int64_t workflow_id, xsirt_error *err)
{
    xsirt_db_value p[3] = {XSIRT_DB_TEXTV(name), XSIRT_DB_TEXTV(label), XSIRT_DB_INTV(workflow_id)};
    int rc = xsirt_db_exec(db, "INSERT INTO case_kinds (name, label, workflow_id) VALUES (?, ?, ?)",
                           p, 3, NULL, err);

    if (rc == XSIRT_ECONFLICT)
        rc = xsirt_error_set_pointer(err, XSIRT_ECONFLICT, "name",
                                     "case kind %s exists or workflow %lld does not", name,
                                     (long long)workflow_id);
    return rc;
}

int xsirt_workflow_seed(xsirt_db *db, xsirt_error *err)
{
    const char *defs[] = {workflow_psirt, workflow_incident};
    int64_t ids[2] = {0, 0};
    int rc = 0;

    for (size_t i = 0; rc == 0 && i < 2; i++) {
        json_t *wf = json_loads(defs[i], 0, NULL);
        rc = wf == NULL ? xsirt_error_set(err, XSIRT_EINTERNAL, "built-in workflow %zu", i)
                        : xsirt_workflow_check(wf, err);
        if (rc == 0)
            rc = workflow_insert(&ids[i], db, wf, err);
        json_decref(wf);
    }
    for (size_t i = 0; rc == 0 && i < sizeof workflow_default_kinds / sizeof workflow_default_kinds[0]; i++)
        rc = workflow_insert_kind(db, workflow_default_kinds[i].kind, workflow_default_kinds[i].label,
                                  strcmp(workflow_default_kinds[i].workflow, "psirt") == 0 ? ids[0] : ids[1],
                                  err);
    return rc;
}

int xsirt_workflow_get(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                       xsirt_error *err)
{
    xsirt_db_value p[1] = {XSIRT_DB_INTV(id)};
    xsirt_db_rows *w = NULL, *s = NULL, *t = NULL, *k = NULL;
    json_t *states, *transitions, *kinds;
    int rc;

    (void)by;   /* readable by everyone authenticated (see workflow.h) */
    *out = NULL;
    if ((rc = xsirt_db_query(&w, db, "SELECT id, name, description, initial_state FROM workflows "
                                     "WHERE id = ?", p, 1, err)) != 0)
        return rc;
    if (xsirt_db_rows_count(w) == 0) {
        xsirt_db_rows_free(w);
        return xsirt_error_set(err, XSIRT_ENOTFOUND, "no workflow %lld", (long long)id);
    }
    if ((rc = xsirt_db_query(&s, db, "SELECT name, label, terminal FROM workflow_states "
                                     "WHERE workflow_id = ? ORDER BY position", p, 1, err)) == 0 &&
        (rc = xsirt_db_query(&t, db, "SELECT from_state, to_state, name, requires FROM "
                                     "workflow_transitions WHERE workflow_id = ? ORDER BY from_state, "
                                     "to_state", p, 1, err)) == 0)
        rc = xsirt_db_query(&k, db, "SELECT name FROM case_kinds WHERE workflow_id = ? ORDER BY name",
                            p, 1, err);
    if (rc == 0) {
        states = json_array();
        transitions = json_array();
        kinds = json_array();
        for (size_t i = 0; i < xsirt_db_rows_count(s); i++)
            json_array_append_new(states, json_pack("{s:s, s:s, s:b}", "name", xsirt_db_rows_text(s, i, 0),
                                                    "label", xsirt_db_rows_text(s, i, 1), "terminal",
                                                    (int)xsirt_db_rows_int(s, i, 2)));
        for (size_t i = 0; i < xsirt_db_rows_count(t); i++)
            json_array_append_new(transitions,
                                  json_pack("{s:s, s:s, s:s, s:o}", "from", xsirt_db_rows_text(t, i, 0),
                                            "to", xsirt_db_rows_text(t, i, 1), "name",
                                            xsirt_db_rows_text(t, i, 2), "requires",
                                            json_loads(xsirt_db_rows_text(t, i, 3), 0, NULL)));
        for (size_t i = 0; i < xsirt_db_rows_count(k); i++)
            json_array_append_new(kinds, json_string(xsirt_db_rows_text(k, i, 0)));
        *out = json_pack("{s:I, s:s, s:s, s:s, s:o, s:o, s:o}", "id", (json_int_t)id, "name",
                         xsirt_db_rows_text(w, 0, 1), "description", xsirt_db_rows_text(w, 0, 2),
                         "initial", xsirt_db_rows_text(w, 0, 3), "states", states, "transitions",
                         transitions, "kinds", kinds);
        if (*out == NULL)
            rc = xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    }
    xsirt_db_rows_free(w);
    xsirt_db_rows_free(s);
    xsirt_db_rows_free(t);
    xsirt_db_rows_free(k);
    return rc;
}

int xsirt_workflow_list(json_t **out, xsirt_db *db, const xsirt_principal *by, const xsirt_page *pg,
                        xsirt_error *err)
{
    static const char *const ints[] = {"id", NULL};
    json_t *ids = NULL, *items, *wf;
    int rc = xsirt_store_list_page(&ids, db, "SELECT id FROM workflows WHERE id > ? ORDER BY id LIMIT ?",
                                   NULL, 0, ints, NULL, pg, err);

    *out = NULL;
    if (rc != 0)
        return rc;
    /* The page of ids, each replaced by its workflow. */
    items = json_object_get(ids, "items");
    for (size_t i = 0; rc == 0 && i < json_array_size(items); i++)
        if ((rc = xsirt_workflow_get(&wf, db, by, xsirt_json_int(json_array_get(items, i), "id"), err)) == 0)
            json_array_set_new(items, i, wf);
    if (rc != 0) {
        json_decref(ids);
        return rc;
    }
    *out = ids;
    return 0;
}

int xsirt_workflow_create(json_t **out, xsirt_db *db, const xsirt_principal *by,
                          const json_t *in, xsirt_error *err)
{
    int64_t id = 0;
    int rc;

    *out = NULL;
    if (!by->admin)
        return xsirt_error_set(err, XSIRT_EDENIED, "only admins define workflows");
    if ((rc = xsirt_workflow_check(in, err)) != 0)
        return rc;
    if ((rc = xsirt_db_begin(db, err)) != 0)
        return rc;
    if ((rc = workflow_insert(&id, db, in, err)) == 0 &&
        (rc = xsirt_workflow_get(out, db, by, id, err)) == 0)
        rc = xsirt_store_audit(db, by, "workflow.create", "workflow", id, NULL, *out, err);
    if (rc != 0) {
        json_decref(*out);
        *out = NULL;
    }
    return xsirt_store_finish(db, rc, err);
}

int xsirt_workflow_add_kind(xsirt_db *db, const xsirt_principal *by, const json_t *in,
                            xsirt_error *err)
{
    int rc;

    if (!by->admin)
        return xsirt_error_set(err, XSIRT_EDENIED, "only admins define case kinds");
    if ((rc = xsirt_json_check(in, kind_fields, false, err)) != 0 ||
        (rc = workflow_check_slug(xsirt_json_str(in, "name"), "name", err)) != 0)
        return rc;
    if ((rc = xsirt_db_begin(db, err)) != 0)
        return rc;
    rc = workflow_insert_kind(db, xsirt_json_str(in, "name"), xsirt_json_str(in, "label"),
                              xsirt_json_int(in, "workflow"), err);
    if (rc == 0)
        rc = xsirt_store_audit(db, by, "workflow.kind", "workflow", xsirt_json_int(in, "workflow"),
                               NULL, in, err);
    return xsirt_store_finish(db, rc, err);
}

int xsirt_workflow_for_kind(int64_t *workflow_id, char *initial, xsirt_db *db, const char *kind,
                            xsirt_error *err)
{
    xsirt_db_value p[1] = {XSIRT_DB_TEXTV(kind)};
    xsirt_db_rows *rows;
    int rc = xsirt_db_query(&rows, db, "SELECT w.id, w.initial_state FROM case_kinds k JOIN workflows w "
                                       "ON w.id = k.workflow_id WHERE k.name = ?", p, 1, err);

    if (rc != 0)
        return rc;
    if (xsirt_db_rows_count(rows) == 0) {
        rc = xsirt_error_set_pointer(err, XSIRT_EINVAL, "kind", "unknown case kind %s", kind);
    } else {
        *workflow_id = xsirt_db_rows_int(rows, 0, 0);
        xsirt_strlcpy(initial, xsirt_db_rows_text(rows, 0, 1), 65);
    }
    xsirt_db_rows_free(rows);
    return rc;
}

int xsirt_workflow_transition(json_t **requires, bool *terminal, xsirt_db *db,
                              int64_t workflow_id, const char *from, const char *to,
                              xsirt_error *err)
{
    xsirt_db_value p[3] = {XSIRT_DB_INTV(workflow_id), XSIRT_DB_TEXTV(from), XSIRT_DB_TEXTV(to)};
    xsirt_db_rows *rows;
    int rc = xsirt_db_query(&rows, db,
                            "SELECT t.requires, s.terminal FROM workflow_transitions t "
                            "JOIN workflow_states s ON s.workflow_id = t.workflow_id AND s.name = t.to_state "
                            "WHERE t.workflow_id = ? AND t.from_state = ? AND t.to_state = ?",
                            p, 3, err);

    if (rc != 0)
        return rc;
    if (xsirt_db_rows_count(rows) == 0) {
        rc = xsirt_error_set_pointer(err, XSIRT_EINVAL, "state",
                                     "no transition from %s to %s in this case's workflow", from, to);
    } else {
        *requires = json_loads(xsirt_db_rows_text(rows, 0, 0), 0, NULL);
        *terminal = xsirt_db_rows_int(rows, 0, 1) != 0;
        if (*requires == NULL)
            rc = xsirt_error_set(err, XSIRT_EINTERNAL, "stored transition is not JSON");
    }
    xsirt_db_rows_free(rows);
    return rc;
}
