/*
 * party_mail.h — mail to the external parties of a case, queued in the
 * outbox (store/outbox.h) in the transaction of what causes it: the team's
 * messages on the coordination threads, and the embargo reminders. The
 * delivery worker (server/notify.c) sends each row signed with the
 * organisation's OpenPGP key, encrypted when the party's key is known,
 * and retries with backoff until the SMTP server takes it, so nothing is
 * lost to an SMTP server that is down or to a restart.
 *
 * A party's language: its "language" ("en" or "ja": given when it is
 * added, or by the reporter on the public form); a party without one gets
 * Japanese when its time zone is Asia/Tokyo, English otherwise
 * (party_mail_language).
 */
#ifndef XSIRT_PARTY_MAIL_H
#define XSIRT_PARTY_MAIL_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "store/db.h"
#include "store/principal.h"

/* Inside the caller's transaction: the team message (direction out) to
 * its party, or for a shared one to every party with an address; none
 * until smtp_url and smtp_from are set. *out: [{"to","queued":true,
 * "outbox"}]. */
int xsirt_party_mail_message(json_t **out, xsirt_db *db, int64_t message, xsirt_error *err);

/* A party's OpenPGP public key (for the team: case write rights, never
 * outside organisations' accounts): key is an ASCII-armoured public key
 * block ("-----BEGIN PGP PUBLIC KEY BLOCK-----" ... END), at most
 * XSIRT_LIMIT_PARTY_KEY bytes, or NULL to remove it. Mail to the party is
 * encrypted to it from the next delivery on. *out: {"party","openpgp_key"}. */
int xsirt_party_check_key(const char *key, xsirt_error *err);
/* Inside the caller's transaction, without access checks (a party just
 * made): key (checked) or NULL. */
int xsirt_party_store_key(xsirt_db *db, int64_t party, int64_t case_id, const char *key,
                          xsirt_error *err);
int xsirt_party_set_key(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t case_id,
                        int64_t party, const json_t *in, xsirt_error *err);

/* Queues the embargo reminders due now (store/portal.h), once each, one
 * transaction: to every party of the case with an address (in the party's
 * language, with its tag in the subject), and to the owning team — its
 * notification rules that want embargo.ending / embargo.ended, or when
 * none does, its leads and members with an address. A reminder overtaken
 * by a later one of the same case (an embargo set close to its end) is
 * marked sent without a mail. *count: reminders handled. */
int xsirt_party_mail_reminders(size_t *count, xsirt_db *db, xsirt_error *err);

#endif
