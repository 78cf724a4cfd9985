/*
 * case.h — the case: the unit of work of every team kind (an incident, a
 * vulnerability report, a service incident), with its workflow state,
 * severity, TLP, timeline, tasks, participants, links and references.
 *
 * A case as JSON (the API's stable names):
 *   {"id","title","description","kind","team","state","severity","score",
 *    "cvss","priority","classification","tlp","assignee","labels":[...],
 *    "due","embargo","resolution","references":[{"kind","value"}],
 *    "participants":[...],"links":[...],"sla":{"acknowledge","triage",
 *    "remediate","overdue"},"created","updated","revision"}
 *
 * Who sees a case: admins; otherwise by TLP (FIRST TLP 2.0):
 *   CLEAR         anyone authenticated
 *   GREEN         our organisation's people, and the case's participants
 *   AMBER         the owning team, participating teams, users and
 *                 external organisations
 *   AMBER+STRICT  the owning team only
 *   RED           named participants only
 * Membership of a team includes membership of its ancestors (a corporate
 * PSIRT sees its sites' cases). A case nobody may see does not exist for
 * them: XSIRT_ENOTFOUND, never XSIRT_EDENIED, so existence does not leak.
 */
#ifndef XSIRT_CASE_H
#define XSIRT_CASE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"
#include "store/audit.h"
#include "store/db.h"
#include "store/principal.h"
#include "store/store.h"

/* Filters and page of a list; zero/NULL fields do not filter. */
typedef struct xsirt_case_filter {
    const char *state;
    int64_t team;
    const char *severity;
    const char *tlp;
    const char *label;
    const char *kind;
    int64_t assignee;
    const char *text;        /* in title or description, case-insensitive */
    int overdue;             /* 1: only overdue cases */
    int64_t cursor;          /* the "next" of the previous page */
    int limit;               /* 1..200, default 50 */
} xsirt_case_filter;

/* Checks case input without touching the database: known fields, types,
 * sizes, TLP, severity, classification, labels, references. partial: a
 * PATCH, where nothing is required. */
int xsirt_case_check(const json_t *in, bool partial, xsirt_error *err);

/* 0 when by may see case id (write: and change it); XSIRT_ENOTFOUND for
 * a case by may not see, XSIRT_EDENIED for one by may only read. For
 * modules that keep their own rows about a case (portal.c). */
int xsirt_case_check_access(xsirt_db *db, const xsirt_principal *by, int64_t id, bool write,
                            xsirt_error *err);

int xsirt_case_create(json_t **out, xsirt_db *db, const xsirt_principal *by, const json_t *in,
                      xsirt_error *err);
int xsirt_case_get(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                   xsirt_error *err);
/* The same case as xsirt_case_get gives, appended to out as compact JSON
 * text (byte for byte its tree dumped by xsirt_jsonw_dump_compact), and
 * its revision: the server's GET, written from the rows without a tree. */
int xsirt_case_get_text(xsirt_buf *out, int64_t *revision, xsirt_db *db,
                        const xsirt_principal *by, int64_t id, xsirt_error *err);
/* 0 when by may change case id (XSIRT_ENOTFOUND when unseen, XSIRT_EDENIED
 * when only read). Advisories (advisory.h) follow their case through this
 * and xsirt_case_visible_to. */
int xsirt_case_check_write(xsirt_db *db, const xsirt_principal *by, int64_t id, xsirt_error *err);

/* Partial update. revision: the revision the client last read (its
 * If-Match), or 0 for none; a stale one is XSIRT_ECONFLICT. */
int xsirt_case_update(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                      int64_t revision, const json_t *in, xsirt_error *err);
/* {"to": state, "resolution"?: text, "note"?: text} */
int xsirt_case_transition(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                          int64_t revision, const json_t *in, xsirt_error *err);
int xsirt_case_list(json_t **out, xsirt_db *db, const xsirt_principal *by,
                    const xsirt_case_filter *filter, xsirt_error *err);

/* Timeline: {"body"} adds a note; the list gives one page of notes and
 * events, oldest first ({"items","next"}: pass next as the cursor), with
 * link events to cases by may not see left out. */
int xsirt_case_add_note(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                        const json_t *in, xsirt_error *err);
int xsirt_case_timeline(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                        const xsirt_page *pg, xsirt_error *err);

/* Tasks: {"title","description"?,"assignee"?,"due"?}; update {"done"...}. */
int xsirt_case_add_task(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                        const json_t *in, xsirt_error *err);
int xsirt_case_tasks(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                     const xsirt_page *pg, xsirt_error *err);

/* Participants: {"role", and one of "team","user","organisation", or
 * "name"/"email" for a person outside}. Links: {"target","kind"}. */
int xsirt_case_add_participant(json_t **out, xsirt_db *db, const xsirt_principal *by,
                               int64_t id, const json_t *in, xsirt_error *err);
int xsirt_case_add_link(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                        const json_t *in, xsirt_error *err);

/* Runs the escalation rules on every open overdue case (time makes cases
 * overdue without any write, so the server calls this periodically);
 * *fired gets the number of new escalations. */
int xsirt_case_escalate_overdue(int *fired, xsirt_db *db, xsirt_error *err);

/* Whether by may see case id (the table of docs/security.md); a failed
 * query counts as "no", so an error never reveals a case. */
bool xsirt_case_visible_to(xsirt_db *db, const xsirt_principal *by, int64_t id);

/* An audit record (as xsirt_audit_list shows it) as by may see it: a
 * record about a case, asset, SBOM or finding by may not see keeps its
 * metadata and hashes but loses before/after ("redacted": true); in the
 * others, what by may not see is left out as everywhere (links and link
 * events, a case's findings and assets, an asset's hidden dependencies). */
void xsirt_case_redact_audit(json_t *record, xsirt_db *db, const xsirt_principal *by);

/* Checks the current rows of every case against the audit chain: each
 * case equals the snapshot of its newest audit record, and its timeline
 * hashes to the head that record holds; no case the chain knows is gone.
 * The first difference goes into r (xsirt_audit_set_bad). */
int xsirt_case_verify(xsirt_audit_report *r, xsirt_db *db, xsirt_error *err);

#endif
