/*
 * smtp.h — the one place xsirt sends mail from: SMTP with libcurl
 * (smtp:// with STARTTLS, or smtps://; the organisation settings smtp_url
 * and smtp_from), used by the delivery worker for the notification rules'
 * mail and for mail to external parties; and the composition of the
 * latter as OpenPGP/MIME (RFC 3156): multipart/signed with the
 * organisation's key, or multipart/encrypted (encrypted to the party's
 * key and signed, section 6.2) when the party's key is known.
 *
 * Header values never carry a CR or LF from the data (header injection).
 */
#ifndef XSIRT_SMTP_H
#define XSIRT_SMTP_H

#include "xsirt/error.h"

/* One mail to compose. */
typedef struct xsirt_smtp_mail {
    const char *from, *to, *subject, *body;   /* body: UTF-8 text */
    const char *message_id;                   /* "<...@...>", or NULL: a random one */
    const char *home;                         /* GnuPG home with the organisation's key */
    const char *signer;                       /* its fingerprint; NULL: not signed */
    const char *recipient_key;                /* the recipient's armoured public key, or NULL */
} xsirt_smtp_mail;

/* The whole RFC 5322 text with CRLF line ends into *out (malloc'd): the
 * body as one base64 text/plain part, signed or encrypted as above. */
int xsirt_smtp_compose(char **out, const xsirt_smtp_mail *m, xsirt_error *err);

/* Sends message through url to to (one address, or several separated by
 * commas), from from, waiting at most timeout seconds. Over smtp://,
 * STARTTLS is required unless the server is on loopback (a local relay
 * or a test), so credentials in the URL never cross a network in clear.
 * XSIRT_EIO with the server's answer on failure. */
int xsirt_smtp_send(const char *url, const char *from, const char *to, const char *message,
                    long timeout, xsirt_error *err);

#endif
