/*
 * notify.h — sending what the outbox holds (store/outbox.h): mail through
 * SMTP (libcurl; STARTTLS, authentication from the organisation setting
 * smtp_url, sender smtp_from) and webhooks (an HTTP POST of the payload
 * as JSON, signed with X-Xsirt-Signature: sha256=HMAC-SHA256 over the
 * body keyed by the rule's secret); and mail to external parties
 * (store/party_mail.h), OpenPGP/MIME. docs/notifications.md.
 */
#ifndef XSIRT_NOTIFY_H
#define XSIRT_NOTIFY_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "store/db.h"

/* The subject and text body of payload for rule (its "language"). */
int xsirt_notify_text(xsirt_buf *subject, xsirt_buf *body, const json_t *rule,
                      const json_t *payload);
/* The whole mail (headers and base64 body, CRLF line ends). */
int xsirt_notify_mail(xsirt_buf *out, const json_t *rule, const json_t *payload,
                      const char *from, int64_t outbox_id, xsirt_error *err);

/* One delivery pass: every outbox row due now (up to the batch limit),
 * each sent once and recorded delivered or put off. *sent and *failed
 * count them. home: the GnuPG home with the organisation's key (mail to
 * external parties is signed with it; NULL: such mail waits). */
int xsirt_notify_deliver(size_t *sent, size_t *failed, xsirt_db *db, const char *home,
                         xsirt_error *err);

/* Queues the weekly digest of every weekly rule (of team when not 0) and
 * delivers what is due. */
int xsirt_notify_digest(size_t *queued, size_t *sent, size_t *failed, xsirt_db *db, int64_t team,
                        const char *home, xsirt_error *err);

/* The server's delivery worker (a thread): every second it queues the
 * embargo reminders due and delivers what is due, and every minute it
 * queues the digests of the weekly rules whose week has passed; on its
 * own connection to target, until *stop. */
typedef struct xsirt_notify_worker {
    const char *target;
    const char *gnupg_home;   /* DATA/gnupg, or NULL */
    volatile int *stop;
} xsirt_notify_worker;

void *xsirt_notify_worker_main(void *worker);

#endif
