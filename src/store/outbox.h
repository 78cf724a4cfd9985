/*
 * outbox.h — the notifications waiting to be sent. A row is written in the
 * transaction of the event that causes it (so a change that rolls back
 * sends nothing, and one that commits cannot lose its message), holds the
 * payload already cut to what the rule's team may see, and stays until
 * its target accepted it: the delivery worker (src/server/notify.c) retries
 * with exponential backoff, and after a restart finds the rows still there.
 * Delivery is at least once: a crash between the target's acceptance and
 * the mark sends the message again.
 *
 * A payload: {"event","team":{"id","name"},"asset":{...}?,"findings":[...]?,
 * "more":n?,"case":{...}?,"feed":{...}?,"at"}.
 */
#ifndef XSIRT_OUTBOX_H
#define XSIRT_OUTBOX_H

#include <jansson.h>
#include <stdint.h>

#include "store/db.h"

/* Inside the caller's transaction: the findings of asset first seen at
 * now (those the scan just created) go to the immediate rules, of the
 * asset's team or a team above it, that want finding.new (all of them at
 * or above the rule's min_priority) or finding.kev (the known-exploited
 * ones). One message per rule. */
int xsirt_outbox_findings_new(xsirt_db *db, int64_t asset, const char *now, xsirt_error *err);

/* Announces, once each, the open findings and the open cases (not RED)
 * that are past their due date to the rules that want finding.overdue
 * and case.overdue; one transaction. *count gets how many. */
int xsirt_outbox_overdue(size_t *count, xsirt_db *db, xsirt_error *err);

/* Inside the caller's transaction: event with payload (borrowed; "event",
 * "at" and "team" are added) to the immediate rules that want it, of team
 * or of a team above it; team 0 reaches every such rule (events that say
 * nothing about any team's portfolio, such as feed.error). */
int xsirt_outbox_event(xsirt_db *db, int64_t team, const char *event, const json_t *payload,
                       xsirt_error *err);

/* Inside the caller's transaction: one mail to an external party (event
 * "mail", no rule): payload {"party","case","to","subject","body"} is
 * borrowed ("event" and "at" are added). The delivery worker composes it
 * signed with the organisation's key, encrypted when the party's key is
 * known (server/notify.c). *id gets the row's id. */
int xsirt_outbox_mail(int64_t *id, xsirt_db *db, json_t *payload, xsirt_error *err);

/* Queues the weekly digest of every weekly rule (of team, when not 0),
 * one transaction; *count gets the number of messages queued. */
int xsirt_outbox_digest(size_t *count, xsirt_db *db, int64_t team, xsirt_error *err);

/* Queues the digest of every weekly rule whose last digest (or, before
 * the first, its creation) is a week old or more. */
int xsirt_outbox_digest_due(size_t *count, xsirt_db *db, xsirt_error *err);

/* Takes the rows due for a send: [{"id","rule","event","payload",
 * "attempts"}], at most limit, oldest first, each leased to the caller for
 * the time one send may take (no other worker takes it meanwhile; the
 * caller records the attempt with xsirt_outbox_record). */
int xsirt_outbox_due(json_t **out, xsirt_db *db, size_t limit, xsirt_error *err);

/* Records one attempt: error NULL means delivered; otherwise the next
 * attempt is put off by the backoff (see limits.h) and the rule shows
 * the error. */
int xsirt_outbox_record(xsirt_db *db, int64_t id, int64_t rule, int64_t attempts,
                        const char *error, xsirt_error *err);

#endif
