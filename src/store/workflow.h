/*
 * workflow.h — workflows as data: each case kind has a state machine
 * (states, allowed transitions, fields a transition requires) stored in
 * the database. Two defaults come with every installation:
 *
 *   vulnerability (PSIRT, FIRST PSIRT Services Framework):
 *     discovery → triage → remediation → disclosure → closed,
 *     with exits to rejected and duplicate;
 *   incident (CSIRT, NIST SP 800-61):
 *     reported → triage → analysis → containment → eradication →
 *     recovery → lessons-learned → closed;
 * and service-incident (DSIRT/SSIRT) on the incident workflow. Teams may
 * define their own workflows and case kinds.
 *
 * A workflow as JSON: {"id","name","description","initial",
 *   "states":[{"name","label","terminal"}],
 *   "transitions":[{"from","to","name","requires":[field...]}],
 *   "kinds":[case kind...]}
 */
#ifndef XSIRT_WORKFLOW_H
#define XSIRT_WORKFLOW_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"
#include "store/principal.h"
#include "store/store.h"

/* Inserts the default workflows and case kinds (inside the caller's
 * transaction; used by `xsirt init`). */
int xsirt_workflow_seed(xsirt_db *db, xsirt_error *err);

/* Creates a workflow from its JSON (admins only), checking that the
 * initial state exists, that transitions join existing states, that every
 * state is reachable from the initial one, and that a terminal state is. */
int xsirt_workflow_create(json_t **out, xsirt_db *db, const xsirt_principal *by,
                          const json_t *in, xsirt_error *err);

/* The checks of xsirt_workflow_create without the database. */
int xsirt_workflow_check(const json_t *wf, xsirt_error *err);

/* Registers a case kind on a workflow: {"name","label","workflow"}. */
int xsirt_workflow_add_kind(xsirt_db *db, const xsirt_principal *by, const json_t *in,
                            xsirt_error *err);

/* Every authenticated user may read workflows: they are how cases move,
 * not secrets. */
int xsirt_workflow_get(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                       xsirt_error *err);
int xsirt_workflow_list(json_t **out, xsirt_db *db, const xsirt_principal *by, const xsirt_page *pg,
                        xsirt_error *err);

/* The workflow of a case kind: its id and initial state (initial has room
 * for 64 bytes). XSIRT_EINVAL (pointer "kind") for an unknown kind. */
int xsirt_workflow_for_kind(int64_t *workflow_id, char *initial, xsirt_db *db, const char *kind,
                            xsirt_error *err);

/* The transition from → to in a workflow: *requires gets the JSON array of
 * required fields (caller decrefs), *terminal whether `to` ends the case.
 * XSIRT_EINVAL naming both states when the transition does not exist. */
int xsirt_workflow_transition(json_t **requires, bool *terminal, xsirt_db *db,
                              int64_t workflow_id, const char *from, const char *to,
                              xsirt_error *err);

#endif
