/*
 * notification_rule.h — notification rules as data:
 *   {"id","team","events","min_priority","channel","target","secret",
 *    "schedule","language","last_error","last_delivered","pending",
 *    "revision"}
 * events among finding.new, finding.kev, finding.overdue, case.assigned,
 * case.transition, case.overdue, escalation, feed.error; channel email
 * (target: addresses separated by commas) or webhook (target: an http(s)
 * URL, secret required: it keys the X-Xsirt-Signature HMAC); schedule
 * immediate or weekly (the digest); language en or ja.
 *
 * A rule belongs to its team: leads of the team (or of a team above it)
 * and administrators see and change it, nobody else (a rule says where a
 * team's findings go). The secret is write-only ({"set":true}). A rule
 * only ever carries what its team may see (docs/security.md).
 */
#ifndef XSIRT_NOTIFICATION_RULE_H
#define XSIRT_NOTIFICATION_RULE_H

#include <jansson.h>
#include <stdint.h>

#include "core/netaddr.h"
#include "store/db.h"
#include "store/principal.h"
#include "store/store.h"

int xsirt_notification_rule_create(json_t **out, xsirt_db *db, const xsirt_principal *by,
                                   const json_t *in, xsirt_error *err);
int xsirt_notification_rule_get(json_t **out, xsirt_db *db, const xsirt_principal *by,
                                int64_t id, xsirt_error *err);
int xsirt_notification_rule_page(json_t **out, xsirt_db *db, const xsirt_principal *by,
                                 const xsirt_page *pg, xsirt_error *err);
int xsirt_notification_rule_update(json_t **out, xsirt_db *db, const xsirt_principal *by,
                                   int64_t id, int64_t revision, const json_t *in,
                                   xsirt_error *err);
int xsirt_notification_rule_delete(xsirt_db *db, const xsirt_principal *by, int64_t id,
                                   xsirt_error *err);

/* For delivery (no permission check): the rule with its secret. */
int xsirt_notification_rule_load(json_t **out, xsirt_db *db, int64_t id, xsirt_error *err);

/* 0 when a webhook to host may connect to address a: a public address,
 * or one the operator's XSIRT_WEBHOOK_ALLOW (host names, addresses, CIDRs)
 * names; else XSIRT_EDENIED saying what the address is, or XSIRT_EINVAL
 * for a malformed allow-list. Called for every address the delivery
 * connects to (notify.c), so that DNS cannot point a rule elsewhere. */
int xsirt_notification_rule_permit(const char *host, const xsirt_netaddr *a, xsirt_error *err);

/* The ids of team and of the teams above it (a rule of any of them may
 * be told about team's assets), as a JSON array. */
int xsirt_notification_rule_ancestors(json_t **out, xsirt_db *db, int64_t team,
                                      xsirt_error *err);

#endif
