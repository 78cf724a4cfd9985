/*
 * test_smtp.c — the mail xsirt sends to external parties (mail/smtp.c):
 * header values with line breaks refused, every line ending in CRLF, the
 * body as base64 that decodes to the text, and the RFC 3156 shapes —
 * multipart/signed with the signed part exactly between its boundaries,
 * and multipart/encrypted without the clear text — with a key made here
 * in a temporary GnuPG home.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "mail/openpgp.h"
#include "mail/smtp.h"

static char home[64];

static int setup(void **state)
{
    char tmpl[] = "/tmp/xsirt-smtp-XXXXXX";

    (void)state;
    if (sodium_init() < 0 || mkdtemp(tmpl) == NULL)
        return -1;
    snprintf(home, sizeof home, "%s/gnupg", tmpl);
    xsirt_openpgp_init();
    return 0;
}

static int teardown(void **state)
{
    char cmd[256];

    (void)state;
    snprintf(cmd, sizeof cmd, "GNUPGHOME=%s gpgconf --kill all >/dev/null 2>&1; rm -rf %.*s", home,
             (int)(strlen(home) - strlen("/gnupg")), home);
    return system(cmd) == 0 ? 0 : -1;
}

/* Every LF is preceded by CR. */
static bool all_crlf(const char *s)
{
    for (const char *p = strchr(s, '\n'); p != NULL; p = strchr(p + 1, '\n'))
        if (p == s || p[-1] != '\r')
            return false;
    return true;
}

static void test_plain(void **state)
{
    xsirt_smtp_mail m = {"psirt@acme.example", "tanaka@example.jp", "脆弱性の報告", "line 1\n.\nline 3\n",
                         "<xsirt-outbox-7@acme.example>", NULL, NULL, NULL};
    unsigned char dec[256];
    size_t n = 0;
    char *out = NULL, *b64;

    (void)state;
    assert_int_equal(xsirt_smtp_compose(&out, &m, NULL), 0);
    assert_non_null(strstr(out, "From: psirt@acme.example\r\nTo: tanaka@example.jp\r\n"));
    assert_non_null(strstr(out, "Message-ID: <xsirt-outbox-7@acme.example>\r\n"));
    assert_non_null(strstr(out, "Subject: =?UTF-8?B?"));
    assert_true(all_crlf(out));
    b64 = strstr(out, "base64\r\n\r\n");
    assert_non_null(b64);
    b64 += strlen("base64\r\n\r\n");
    assert_int_equal(sodium_base642bin(dec, sizeof dec, b64, strlen(b64), "\r\n", &n, NULL,
                                       sodium_base64_VARIANT_ORIGINAL), 0);
    assert_int_equal(n, strlen(m.body));
    assert_memory_equal(dec, m.body, n);
    free(out);
}

static void test_injection(void **state)
{
    xsirt_smtp_mail m = {"psirt@acme.example", "a@example.org", "hi\r\nBcc: everyone@example.org", "x",
                         NULL, NULL, NULL, NULL};
    xsirt_error err;
    char *out = NULL;

    (void)state;
    assert_int_equal(xsirt_smtp_compose(&out, &m, &err), XSIRT_EINVAL);
    assert_null(out);
    m.subject = "fine";
    m.to = "a@example.org\nBcc: b@example.org";
    assert_int_equal(xsirt_smtp_compose(&out, &m, &err), XSIRT_EINVAL);
    assert_int_equal(xsirt_smtp_send("smtp://127.0.0.1:1", "p@acme.example", m.to, "x", 1, &err),
                     XSIRT_EINVAL);
}

static void test_signed_and_encrypted(void **state)
{
    char fpr[80], boundary[64], needle[160], *out = NULL, *key = NULL;
    const char *b, *e;
    xsirt_error err;
    xsirt_smtp_mail m = {"psirt@acme.example", "tanaka@example.jp", "signed", "secret text\n", NULL,
                         home, fpr, NULL};

    (void)state;
    assert_int_equal(xsirt_openpgp_create_key(fpr, sizeof fpr, home, "T <psirt@acme.example>", NULL, &err), 0);
    assert_int_equal(xsirt_smtp_compose(&out, &m, &err), 0);
    assert_true(all_crlf(out));
    assert_non_null(strstr(out, "Content-Type: multipart/signed; micalg=pgp-sha"));
    assert_non_null(strstr(out, "protocol=\"application/pgp-signature\""));
    b = strstr(out, "boundary=\"");
    assert_non_null(b);
    b += strlen("boundary=\"");
    snprintf(boundary, sizeof boundary, "%.*s", (int)strcspn(b, "\""), b);
    /* The signed part starts right after the first delimiter line and is
     * the text/plain entity; the signature part follows the second. */
    snprintf(needle, sizeof needle, "\r\n--%s\r\nContent-Type: text/plain; charset=utf-8\r\n", boundary);
    assert_non_null(strstr(out, needle));
    snprintf(needle, sizeof needle, "\r\n--%s\r\nContent-Type: application/pgp-signature", boundary);
    assert_non_null((e = strstr(out, needle)));
    assert_non_null(strstr(e, "-----BEGIN PGP SIGNATURE-----\r\n"));
    snprintf(needle, sizeof needle, "\r\n--%s--\r\n", boundary);
    assert_non_null(strstr(out, needle));
    free(out);

    /* Encrypted to a public key (here the same key, exported). */
    assert_int_equal(xsirt_openpgp_export(&key, home, fpr, &err), 0);
    m.recipient_key = key;
    assert_int_equal(xsirt_smtp_compose(&out, &m, &err), 0);
    assert_non_null(strstr(out, "Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\""));
    assert_non_null(strstr(out, "\r\nVersion: 1\r\n"));
    assert_non_null(strstr(out, "-----BEGIN PGP MESSAGE-----\r\n"));
    assert_null(strstr(out, "c2VjcmV0IHRleHQK"));   /* base64 of the text: not in clear */
    {
        /* It opens with the key, and holds the text/plain entity. */
        const char *arm = strstr(out, "-----BEGIN PGP MESSAGE-----");
        xsirt_openpgp_result r;
        assert_int_equal(xsirt_openpgp_decrypt(&r, home, arm, strlen(arm), &err), 0);
        assert_non_null(strstr(r.plain, "Content-Type: text/plain; charset=utf-8\r\n"));
        assert_non_null(strstr(r.plain, "c2VjcmV0IHRleHQK"));
        assert_string_equal(r.signer, fpr);
        xsirt_openpgp_result_free(&r);
    }
    free(out);
    /* A key that is no key: a clear error, no mail. */
    m.recipient_key = "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nAAAA\n-----END PGP PUBLIC KEY BLOCK-----\n";
    assert_int_equal(xsirt_smtp_compose(&out, &m, &err), XSIRT_EINVAL);
    assert_null(out);
    /* A signer the home does not hold. */
    m.recipient_key = NULL;
    m.signer = "0000000000000000000000000000000000000000";
    assert_int_equal(xsirt_smtp_compose(&out, &m, &err), XSIRT_EUNSUPPORTED);
    free(key);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain),
        cmocka_unit_test(test_injection),
        cmocka_unit_test(test_signed_and_encrypted),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
