/*
 * escalation.h — escalation rules: when a case meets a condition, notify a
 * role or a contact group (management, PR, legal, CISO), and record it on
 * the case's timeline. A rule fires once per case.
 *
 * A rule as JSON: {"id","name","team","condition","target_kind","target",
 * "enabled"}, condition {"severity":[...],"classification":[...],
 * "tlp":[...],"kind":[...],"overdue":true} — every key given must match
 * (classification by prefix, so "rsit:malicious-code" matches its
 * subcategories); target_kind "role" ("team-lead", "admin") or "group"
 * (a contact group's name). Delivery (mail, chat) is the notifications
 * module's job; here rules are evaluated and escalations recorded.
 */
#ifndef XSIRT_ESCALATION_H
#define XSIRT_ESCALATION_H

#include <jansson.h>
#include <stdint.h>

#include "store/db.h"
#include "store/principal.h"
#include "store/store.h"

/* Inserts the default contact groups (management, pr, legal, ciso) and
 * the rule "critical cases reach the CISO" (seed 003). */
int xsirt_escalation_seed(xsirt_db *db, xsirt_error *err);

/* Evaluates every enabled rule against a case (its JSON as case.h gives
 * it), inside the caller's transaction; *fired (may be NULL) is increased
 * by the number of new escalations. */
int xsirt_escalation_evaluate(int *fired, xsirt_db *db, int64_t case_id, const json_t *c,
                              xsirt_error *err);

int xsirt_escalation_rule_create(json_t **out, xsirt_db *db, const xsirt_principal *by,
                                 const json_t *in, xsirt_error *err);
/* Our own organisation's people see the rules; external accounts do not. */
int xsirt_escalation_rule_list(json_t **out, xsirt_db *db, const xsirt_principal *by,
                               const xsirt_page *pg, xsirt_error *err);
int xsirt_escalation_rule_get(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                              xsirt_error *err);
/* Admins only; revision is the rule's ETag (412 when it moved on). The
 * result is checked whole, as at creation. */
int xsirt_escalation_rule_update(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                                 int64_t revision, const json_t *in, xsirt_error *err);
/* Admins only. A rule that has escalated cases is refused (409): the
 * escalations on those cases' timelines name it; disable it instead. */
int xsirt_escalation_rule_delete(xsirt_db *db, const xsirt_principal *by, int64_t id,
                                 xsirt_error *err);

/* The escalations recorded for a case: {"items":[{"rule","at","reason",
 * "target_kind","target"}]}; the caller has checked visibility. */
int xsirt_escalation_list(json_t **out, xsirt_db *db, int64_t case_id, const xsirt_page *pg,
                          xsirt_error *err);

#endif
