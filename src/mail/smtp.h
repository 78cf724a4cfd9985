/*
 * smtp.h — sending one mail by SMTP with libcurl (smtp:// or smtps://, the
 * organisation settings smtp_url and smtp_from), and composing the RFC 5322
 * text of a plain UTF-8 message.
 *
 * Shared by whatever sends mail (the coordination threads of issue 12; the
 * notification outbox): one place that knows SMTP and header safety.
 */
#ifndef XSIRT_SMTP_H
#define XSIRT_SMTP_H

#include "xsirt/error.h"

/* The text of a message: From, To, Subject (RFC 2047 when not ASCII),
 * Date, Message-ID, MIME headers, then body with CRLF line ends; extra is
 * more header lines ("Name: value\r\n"...) or NULL. NULL when a header
 * value holds CR or LF (header injection) or without memory. malloc'd. */
char *xsirt_smtp_compose(const char *from, const char *to, const char *subject, const char *body,
                         const char *extra);

/* Sends message to one recipient through url (smtp://host:port or
 * smtps://; user:password@ in it when the server wants them), waiting at
 * most timeout seconds. XSIRT_EIO with the server's answer on failure. */
int xsirt_smtp_send(const char *url, const char *from, const char *to, const char *message,
                    long timeout, xsirt_error *err);

#endif
