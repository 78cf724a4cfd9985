/*
 * mail.h — reading one RFC 5322 message (with MIME, through GMime) into
 * what the coordination threads need: who sent it, its subject, its text,
 * whether it is OpenPGP-encrypted or signed, and the case tag it carries.
 *
 * The case tag is "[XSIRT#<case id>:<token>]" in the subject, or the
 * header "X-XSIRT-Case: <case id>:<token>" (mail clients keep the subject
 * of a reply; some mailing lists rewrite it). The token is the party's
 * unguessable mail token: a case number alone never routes a message.
 */
#ifndef XSIRT_MAIL_H
#define XSIRT_MAIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xsirt/error.h"

typedef struct xsirt_mail {
    char *subject;        /* UTF-8, "" when absent */
    char *from_name;      /* "" when absent */
    char *from_address;   /* "" when absent */
    char *message_id;     /* "" when absent */
    char *text;           /* the first text/plain part (UTF-8), or "" */
    bool encrypted;       /* multipart/encrypted or an armoured PGP message */
    bool signed_part;     /* multipart/signed */
    int64_t tag_case;     /* 0: no tag */
    char tag_token[32];
} xsirt_mail;

/* Parses data (len bytes). XSIRT_EINVAL when it is no mail at all (no
 * header block, no From); out is then empty. xsirt_mail_free in every case. */
int xsirt_mail_parse(xsirt_mail *out, const char *data, size_t len, xsirt_error *err);
void xsirt_mail_free(xsirt_mail *m);

/* Finds a case tag in text: "[XSIRT#123:token]" anywhere, or "123:token"
 * when whole is true (the header's value). */
bool xsirt_mail_find_tag(const char *text, bool whole, int64_t *case_id, char *token, size_t tokensz);

#endif
