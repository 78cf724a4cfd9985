/*
 * openpgp.c — decryption and signature checks with GPGME (see openpgp.h).
 */
#include <errno.h>
#include <gpgme.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/str.h"
#include "mail/openpgp.h"

void xsirt_openpgp_init(void)
{
    gpgme_check_version(NULL);
}

int xsirt_openpgp_decrypt(xsirt_openpgp_result *out, const char *home, const char *in, size_t len,
                          xsirt_error *err)
{
    gpgme_ctx_t ctx = NULL;
    gpgme_data_t cipher = NULL, plain = NULL;
    gpgme_error_t ge;
    struct stat st;
    char *mem;
    size_t n = 0;

    memset(out, 0, sizeof *out);
    if (stat(home, &st) != 0 || !S_ISDIR(st.st_mode))
        return xsirt_error_set(err, XSIRT_EUNSUPPORTED, "no OpenPGP home %s", home);
    gpgme_check_version(NULL);
    if ((ge = gpgme_new(&ctx)) != 0 ||
        (ge = gpgme_ctx_set_engine_info(ctx, GPGME_PROTOCOL_OpenPGP, NULL, home)) != 0 ||
        (ge = gpgme_data_new_from_mem(&cipher, in, len, 0)) != 0 || (ge = gpgme_data_new(&plain)) != 0) {
        gpgme_data_release(cipher);
        gpgme_data_release(plain);
        gpgme_release(ctx);
        return xsirt_error_set(err, XSIRT_EINTERNAL, "GPGME: %s", gpgme_strerror(ge));
    }
    /* Never ask anyone for a passphrase: the server's key has none, and
     * there is nobody at a mail server's pipe to type one. */
    gpgme_set_pinentry_mode(ctx, GPGME_PINENTRY_MODE_LOOPBACK);
    ge = gpgme_op_decrypt_verify(ctx, cipher, plain);
    gpgme_data_release(cipher);
    if (ge != 0) {
        gpgme_data_release(plain);
        gpgme_release(ctx);
        return xsirt_error_set(err, XSIRT_EINVAL, "OpenPGP: %s", gpgme_strerror(ge));
    }
    {
        gpgme_verify_result_t v = gpgme_op_verify_result(ctx);
        if (v != NULL && v->signatures != NULL) {
            out->signed_valid = (v->signatures->summary & GPGME_SIGSUM_VALID) != 0 ||
                                (v->signatures->status == 0 && v->signatures->validity >= GPGME_VALIDITY_FULL);
            if (v->signatures->fpr != NULL)
                xsirt_strlcpy(out->signer, v->signatures->fpr, sizeof out->signer);
        }
    }
    mem = gpgme_data_release_and_get_mem(plain, &n);
    gpgme_release(ctx);
    out->plain = malloc(n + 1);
    if (out->plain == NULL) {
        gpgme_free(mem);
        return xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    }
    if (n > 0)
        memcpy(out->plain, mem, n);
    out->plain[n] = '\0';
    out->plain_len = n;
    gpgme_free(mem);
    return 0;
}

int xsirt_openpgp_create_key(char *fpr, size_t fprsz, const char *home, const char *uid,
                             xsirt_error *err)
{
    gpgme_ctx_t ctx = NULL;
    gpgme_genkey_result_t g;
    gpgme_error_t ge;

    if (mkdir(home, 0700) != 0 && errno != EEXIST)
        return xsirt_error_set(err, XSIRT_EIO, "%s: %s", home, strerror(errno));
    if (chmod(home, 0700) != 0)
        return xsirt_error_set(err, XSIRT_EIO, "%s: %s", home, strerror(errno));
    gpgme_check_version(NULL);
    if ((ge = gpgme_new(&ctx)) != 0 || (ge = gpgme_ctx_set_engine_info(ctx, GPGME_PROTOCOL_OpenPGP, NULL, home)) != 0) {
        gpgme_release(ctx);
        return xsirt_error_set(err, XSIRT_EINTERNAL, "GPGME: %s", gpgme_strerror(ge));
    }
    gpgme_set_pinentry_mode(ctx, GPGME_PINENTRY_MODE_LOOPBACK);
    ge = gpgme_op_createkey(ctx, uid, "default", 0, 2UL * 365 * 86400, NULL,
                            GPGME_CREATE_NOPASSWD | GPGME_CREATE_FORCE);
    if (ge != 0 || (g = gpgme_op_genkey_result(ctx)) == NULL || g->fpr == NULL) {
        gpgme_release(ctx);
        return xsirt_error_set(err, XSIRT_EINVAL, "OpenPGP key for %.200s: %s", uid, gpgme_strerror(ge));
    }
    xsirt_strlcpy(fpr, g->fpr, fprsz);
    gpgme_release(ctx);
    return 0;
}

void xsirt_openpgp_result_free(xsirt_openpgp_result *r)
{
    free(r->plain);
    memset(r, 0, sizeof *r);
}
