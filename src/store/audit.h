/*
 * audit.h — the append-only, hash-chained audit log.
 *
 * Every change is recorded (who, when, what, before/after) in the same
 * transaction as the change itself, so a change and its record commit or
 * vanish together. Record n carries the hash of record n-1; editing or
 * deleting any record breaks the chain, and audit_head anchors the tail,
 * so `xsirt audit verify` finds the first record that does not fit.
 */
#ifndef XSIRT_AUDIT_H
#define XSIRT_AUDIT_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "store/db.h"
#include "store/principal.h"
#include "store/store.h"

typedef struct xsirt_audit_entry {
    int64_t actor_id;          /* 0 for the system itself */
    const char *actor;         /* user name, or "system" */
    const char *action;        /* "case.create", "user.update", ... */
    const char *object_type;   /* "case", "user", "team", ... */
    const char *object_id;
    const char *before;        /* JSON text, or NULL */
    const char *after;         /* JSON text, or NULL */
} xsirt_audit_entry;

/* Appends e; must run inside a write transaction (it locks audit_head). */
int xsirt_audit_append(xsirt_db *db, const xsirt_audit_entry *e, xsirt_error *err);

typedef struct xsirt_audit_report {
    int64_t records;           /* records checked */
    int64_t cases;             /* cases whose rows were checked against the chain */
    int64_t bad_seq;           /* first record that does not fit; 0 if intact */
    int64_t bad_case;          /* first case whose rows differ from the chain; 0 if none */
    char problem[256];         /* what does not fit */
} xsirt_audit_report;

#define XSIRT_AUDIT_HASH_HEX 65   /* a SHA-256 in hex with its NUL */

/* Whether a verification found nothing wrong. */
bool xsirt_audit_intact(const xsirt_audit_report *r);

/* Marks r broken at record seq (0: none) or case (0: none) with a reason. */
void xsirt_audit_set_bad(xsirt_audit_report *r, int64_t seq, int64_t case_id, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* One step of a case timeline's hash chain (the audit records of a case
 * carry its head, so notes and events are covered by the audit chain):
 * head = SHA-256(head || [id, at, actor_id or null, kind, body, data] as
 * compact ASCII JSON). head holds XSIRT_AUDIT_HASH_HEX bytes, all zeros to
 * start. XSIRT_EINVAL when a field is not UTF-8 (damage: xsirt writes none). */
int xsirt_audit_event_step(char *head, int64_t id, const char *at, int64_t actor_id,
                           const char *kind, const char *body, const char *data);

/* Checks the chain against an anchor kept outside the database (`xsirt
 * audit checkpoint`): record seq must be there with that hash, so deleting
 * records and resetting audit_head cannot pass for an intact log. */
int xsirt_audit_check_anchor(xsirt_audit_report *r, xsirt_db *db, int64_t seq, const char *hash,
                             xsirt_error *err);

/* Walks the whole chain. Returns 0 when it could read it (then
 * report->bad_seq says whether it is intact) or an error. */
int xsirt_audit_verify(xsirt_audit_report *report, xsirt_db *db, xsirt_error *err);

/* One page of records after seq pg->cursor, oldest first, bounded by count
 * and bytes: {"items":[{"seq","at","actor","action","object_type",
 * "object_id","before","after","prev_hash","hash"}],"next"}. Admins and
 * auditors only. What TLP hides stays hidden: a record about a case the
 * caller may not see has before/after null and "redacted": true (its
 * hashes still chain); a damaged record is listed as {"seq","corrupt":
 * true,"problem"}, never skipped. */
int xsirt_audit_list(json_t **out, xsirt_db *db, const xsirt_principal *by, const xsirt_page *pg,
                     xsirt_error *err);

#endif
