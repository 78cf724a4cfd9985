/*
 * portal.h — disclosure and coordination with people outside the
 * organisation (issue 12): vulnerability reports taken without an account,
 * the external parties of a case (reporter, finder, supplier, customer,
 * coordinator, vendor) with their secret portal links, the coordination
 * threads, and the organisation's security.txt.
 *
 * A portal link is a random secret of 32 bytes; only its SHA-256 is kept
 * (like API tokens), with an expiry. Whoever holds it sees, of one case,
 * only what its party may: the case's title, state and embargo, their own
 * thread and the shared thread, never internal notes, other parties'
 * threads or other cases.
 *
 * A party as JSON: {"id","case","role","name","email","organisation",
 * "time_zone","mail_tag","openpgp_key" (its public key, or null: see
 * party_mail.h),"link_expires","created"}; a message: {"id","party"
 * (null: the shared thread),"direction":"in"|"out","author","body",
 * "encrypted","unreadable","created"}.
 */
#ifndef XSIRT_PORTAL_H
#define XSIRT_PORTAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"
#include "store/principal.h"
#include "store/store.h"

/* The intake queue: the reports (by the form or by mail) whose cases by
 * may see and coordinate (an outside organisation's account sees none),
 * newest first, one page: {"items":[{"id","receipt","channel":"web"|
 * "mail","received","case","title","state","tlp","reporter":{"name",
 * "email","organisation"} or null}],"next"}. */
int xsirt_intake_list(json_t **out, xsirt_db *db, const xsirt_principal *by,
                      const xsirt_page *pg, xsirt_error *err);

/* Checks a report (POST /api/v1/intake's body) without the database:
 * {"title","description","product","version","reporter":{"name","email",
 * "organisation"},"credit","disclosure_plans","already_public","exploited",
 * "attachments":[{"name","content_type","data" (base64)}]}. Unknown fields
 * are XSIRT_EINVAL naming them; an attachment over its limit XSIRT_ELIMIT. */
int xsirt_intake_check(const json_t *in, xsirt_error *err);

/* What raw bytes kept with a message are. */
enum xsirt_raw_kind {
    XSIRT_RAW_NONE,          /* none, or the mail a readable message came in */
    XSIRT_RAW_ENCRYPTED,     /* an OpenPGP message not decrypted here */
    XSIRT_RAW_UNREADABLE     /* something that could not be read at all */
};

/* Files a report as a new vulnerability case in the intake team (setting
 * intake_team) with its reporter as a party. in is a checked report, or
 * NULL when only raw bytes arrived (kind says what: the case says so and
 * keeps them whole on its first message). channel: "web" or "mail".
 * *out: {"receipt","status_url","case"}; status_url is shown once. */
int xsirt_intake_create(json_t **out, xsirt_db *db, const json_t *in, const char *channel,
                        const char *raw, enum xsirt_raw_kind kind, xsirt_error *err);

/* Files one mail (for `xsirt mail deliver`): a message whose subject or
 * X-XSIRT-Case header carries a party's tag ("[XSIRT#<case>:<token>]")
 * goes on that party's thread; any other becomes a new intake case; one
 * that cannot be read as mail becomes an intake case that keeps it whole.
 * The raw mail is kept whole with its message. plain: the decrypted
 * content of an OpenPGP mail (the caller decrypts: mail/openpgp.h), or
 * NULL; it becomes the message's text, and the mail stays marked
 * encrypted with its ciphertext kept.
 * *out: {"filed": "thread"|"intake", "case", and "receipt" for intake}. */
int xsirt_mail_deliver(json_t **out, xsirt_db *db, const char *raw, size_t len, const char *plain,
                       xsirt_error *err);

/* What the holder of a portal link sees (XSIRT_ENOTFOUND for an unknown
 * or expired link). */
int xsirt_portal_view(json_t **out, xsirt_db *db, const char *link, xsirt_error *err);
/* {"body"}: a message from the link's party on their thread. */
int xsirt_portal_post(json_t **out, xsirt_db *db, const char *link, const json_t *in,
                      xsirt_error *err);

/* The same for an external account (user kind external): the parties
 * linked to it (case_parties.user_id), by party id; a party that is not
 * the account's is XSIRT_ENOTFOUND, like one that does not exist. list:
 * {"items":[view]}, newest first, at most XSIRT_LIMIT_PORTAL_ACCOUNT_PARTIES.
 * Messages and answers are audited under the account's name. */
int xsirt_portal_account_list(json_t **out, xsirt_db *db, const xsirt_principal *by,
                              xsirt_error *err);
int xsirt_portal_account_view(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t party,
                              xsirt_error *err);
int xsirt_portal_account_post(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t party,
                              const json_t *in, xsirt_error *err);
int xsirt_portal_account_answer(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t party,
                                const json_t *in, xsirt_error *err);

/* The team's side, as case visibility and write rights allow:
 * parties: {"role","name","email"?,"organisation"?,"time_zone"?,
 * "openpgp_key"?, "account"?: true | {"username"?}}; the answer carries
 * "portal_url" once. With "account" (leads of the case's team and
 * administrators only), the party is also given an account of kind
 * external: an existing external account of that username is linked, else
 * one is made (the username from the email when not given) and the answer
 * carries "account": {"id","username","password" (shown once)}. messages:
 * {"body","party"?: id or null for the shared thread}; the answer carries
 * "mail": what it queued in the outbox (party_mail.h). */
int xsirt_case_parties(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                       const xsirt_page *pg, xsirt_error *err);
int xsirt_case_add_party(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                         const json_t *in, xsirt_error *err);
int xsirt_case_messages(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                        const xsirt_page *pg, xsirt_error *err);
int xsirt_case_add_message(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                           const json_t *in, xsirt_error *err);

/* Vendors' statements. ask: {"party","vulnerabilities":[ids]} records
 * the question (asked now); statements: {"items":[{"party","party_name",
 * "role","vulnerability","status","statement","asked","answered",
 * "waiting_since"}],"unanswered","by_vulnerability":[{"vulnerability",
 * "statuses":{status: count},"waiting":[{"party","party_name","role",
 * "since"}] (longest silent first)}]}: waiting_since is set for each
 * question without an answer, so silence never reads as "not affected". answer (by
 * a portal link): {"vulnerability","status": affected|not_affected|fixed|
 * under_investigation|unknown,"statement"?}, only for questions asked. */
int xsirt_case_ask(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                   const json_t *in, xsirt_error *err);
int xsirt_case_statements(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                          xsirt_error *err);
int xsirt_portal_answer(json_t **out, xsirt_db *db, const char *link, const json_t *in,
                        xsirt_error *err);

/* The embargo: {"at": RFC 3339 with its offset (or null to lift it),
 * "zone"?: IANA name it was agreed in}. The instant is the case's
 * "embargo" (through xsirt_case_update: timeline and audit), the zone
 * beside it; reminder rows (embargo.ending 7 days and 1 day before,
 * embargo.ended at the time) replace the unsent ones. *out: {"utc","zone"}. */
int xsirt_case_set_embargo(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                           const json_t *in, xsirt_error *err);
/* The reminders due now and not yet sent: [{"id","case","event","due"}]
 * (the hook for the notification outbox). */
int xsirt_embargo_reminders_due(json_t **out, xsirt_db *db, xsirt_error *err);

/* The RFC 9116 security.txt built from the settings (public_url required:
 * XSIRT_ENOTFOUND without it); *out is malloc'd. */
int xsirt_security_txt(char **out, xsirt_db *db, xsirt_error *err);

#endif
