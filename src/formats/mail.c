/*
 * mail.c — one RFC 5322 message through GMime (see mail.h).
 *
 * GMime is lenient by design (it reads what mail servers really deliver);
 * what this file adds is the decision of what a thread needs and the
 * checks that make the result safe to store: every string UTF-8, the text
 * converted from its declared charset, the tag read strictly.
 */
#include <gmime/gmime.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "formats/mail.h"

static pthread_once_t mail_once = PTHREAD_ONCE_INIT;

static void mail_setup(void)
{
    g_mime_init();
}

/* A malloc'd UTF-8 copy of s (invalid sequences replaced), "" for NULL. */
static char *mail_copy(const char *s, gssize len)
{
    gchar *valid;
    char *out;

    if (s == NULL)
        return calloc(1, 1);
    valid = g_utf8_make_valid(s, len);
    out = valid != NULL ? strdup(valid) : calloc(1, 1);
    g_free(valid);
    /* NUL bytes would end the text early in the database: make_valid keeps them. */
    return out;
}

bool xsirt_mail_find_tag(const char *text, bool whole, int64_t *case_id, char *token, size_t tokensz)
{
    const char *p = text;

    while (p != NULL && *p != '\0') {
        const char *q = p, *digits, *tok;
        uint64_t v = 0;
        if (!whole) {
            if ((q = strstr(p, "[XSIRT#")) == NULL)
                return false;
            q += 7;
        } else {
            q += strspn(q, " \t");
        }
        digits = q;
        while (xsirt_is_digit((unsigned char)*q))
            q++;
        if (q > digits && q - digits <= 18 && *digits != '0' && *q == ':' &&
            xsirt_parse_u64(&v, digits, (size_t)(q - digits)) == 0) {
            tok = ++q;
            while (xsirt_is_alnum((unsigned char)*q) || *q == '-' || *q == '_')
                q++;
            if ((size_t)(q - tok) >= 16 && (size_t)(q - tok) < tokensz &&
                (whole ? q[strspn(q, " \t\r\n")] == '\0' : *q == ']')) {
                memcpy(token, tok, (size_t)(q - tok));
                token[q - tok] = '\0';
                *case_id = (int64_t)v;
                return true;
            }
        }
        if (whole)
            return false;
        p = digits;
    }
    return false;
}

/* The decoded text of a text/plain part, converted to UTF-8. */
static char *mail_part_text(GMimePart *part)
{
    GMimeDataWrapper *content = g_mime_part_get_content(part);
    const char *charset = g_mime_object_get_content_type_parameter(GMIME_OBJECT(part), "charset");
    GMimeStream *mem, *filtered;
    GByteArray *bytes;
    char *out;

    if (content == NULL)
        return calloc(1, 1);
    mem = g_mime_stream_mem_new();
    filtered = g_mime_stream_filter_new(mem);
    if (charset != NULL && g_ascii_strcasecmp(charset, "utf-8") != 0 &&
        g_ascii_strcasecmp(charset, "us-ascii") != 0) {
        GMimeFilter *f = g_mime_filter_charset_new(charset, "UTF-8");
        if (f != NULL) {   /* an unknown charset: the bytes as they are, made valid */
            g_mime_stream_filter_add(GMIME_STREAM_FILTER(filtered), f);
            g_object_unref(f);
        }
    }
    g_mime_data_wrapper_write_to_stream(content, filtered);
    g_mime_stream_flush(filtered);
    bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
    out = mail_copy((const char *)bytes->data, (gssize)bytes->len);
    g_object_unref(filtered);
    g_object_unref(mem);
    return out;
}

/* Walks the MIME tree: the first text/plain part, and the OpenPGP kinds. */
static void mail_walk(xsirt_mail *m, GMimeObject *o, int depth)
{
    if (o == NULL || depth > 32)
        return;
    if (GMIME_IS_MULTIPART_ENCRYPTED(o)) {
        m->encrypted = true;
        return;
    }
    if (GMIME_IS_MULTIPART_SIGNED(o))
        m->signed_part = true;
    if (GMIME_IS_MULTIPART(o)) {
        int n = g_mime_multipart_get_count(GMIME_MULTIPART(o));
        for (int i = 0; i < n && i < 1000; i++)
            mail_walk(m, g_mime_multipart_get_part(GMIME_MULTIPART(o), i), depth + 1);
        return;
    }
    if (GMIME_IS_MESSAGE_PART(o))
        return;   /* a forwarded message stays in the raw mail */
    if (GMIME_IS_PART(o) && m->text == NULL) {
        GMimeContentType *ct = g_mime_object_get_content_type(o);
        const char *disp = g_mime_object_get_disposition(o);
        if (ct != NULL && g_mime_content_type_is_type(ct, "text", "plain") &&
            (disp == NULL || g_ascii_strcasecmp(disp, "attachment") != 0))
            m->text = mail_part_text(GMIME_PART(o));
        else if (ct != NULL && g_mime_content_type_is_type(ct, "application", "pgp-encrypted"))
            m->encrypted = true;
    }
}

int xsirt_mail_parse(xsirt_mail *out, const char *data, size_t len, xsirt_error *err)
{
    GMimeStream *stream;
    GMimeParser *parser;
    GMimeMessage *msg;
    InternetAddressList *from;
    const char *tag;
    int rc = 0;

    memset(out, 0, sizeof *out);
    pthread_once(&mail_once, mail_setup);
    stream = g_mime_stream_mem_new_with_buffer(data, len);
    parser = g_mime_parser_new_with_stream(stream);
    msg = g_mime_parser_construct_message(parser, NULL);
    from = msg != NULL ? g_mime_message_get_from(msg) : NULL;
    if (msg == NULL || from == NULL || internet_address_list_length(from) == 0) {
        rc = xsirt_error_set(err, XSIRT_EINVAL, "not a mail message (no header block with a From)");
    } else {
        InternetAddress *ia = internet_address_list_get_address(from, 0);
        out->from_name = mail_copy(internet_address_get_name(ia), -1);
        out->from_address = mail_copy(INTERNET_ADDRESS_IS_MAILBOX(ia)
                                          ? internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia))
                                          : NULL, -1);
        out->subject = mail_copy(g_mime_message_get_subject(msg), -1);
        out->message_id = mail_copy(g_mime_message_get_message_id(msg), -1);
        mail_walk(out, g_mime_message_get_mime_part(msg), 0);
        if (out->text == NULL)
            out->text = calloc(1, 1);
        if (out->text != NULL && strstr(out->text, "-----BEGIN PGP MESSAGE-----") != NULL)
            out->encrypted = true;
        tag = g_mime_object_get_header(GMIME_OBJECT(msg), "X-XSIRT-Case");
        if (!(tag != NULL && xsirt_mail_find_tag(tag, true, &out->tag_case, out->tag_token,
                                                  sizeof out->tag_token)) &&
            out->subject != NULL)
            xsirt_mail_find_tag(out->subject, false, &out->tag_case, out->tag_token, sizeof out->tag_token);
        if (out->from_name == NULL || out->from_address == NULL || out->subject == NULL ||
            out->message_id == NULL || out->text == NULL)
            rc = xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
        else if (out->from_address[0] == '\0')
            rc = xsirt_error_set(err, XSIRT_EINVAL, "not a mail message (the From has no address)");
    }
    if (msg != NULL)
        g_object_unref(msg);
    g_object_unref(parser);
    g_object_unref(stream);
    if (rc != 0)
        xsirt_mail_free(out);
    return rc;
}

void xsirt_mail_free(xsirt_mail *m)
{
    free(m->subject);
    free(m->from_name);
    free(m->from_address);
    free(m->message_id);
    free(m->text);
    memset(m, 0, sizeof *m);
}
