/*
 * openpgp.c — the organisation's OpenPGP operations with GPGME (see
 * openpgp.h): decryption and signature checks of what arrives; detached
 * signatures, export of the public key, and encryption to a party's key
 * for what leaves.
 */
#include <errno.h>
#include <gpgme.h>
#include <locale.h>
#include <stdio.h>
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
                             const char *algo, xsirt_error *err)
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
    /* "future-default": Ed25519 to sign and a Cv25519 subkey to encrypt
     * (GnuPG 2.2's "default" is RSA-3072, slower to make and to use). */
    ge = gpgme_op_createkey(ctx, uid, algo != NULL ? algo : "future-default", 0, 2UL * 365 * 86400, NULL,
                            GPGME_CREATE_NOPASSWD | GPGME_CREATE_FORCE);
    if (ge != 0 || (g = gpgme_op_genkey_result(ctx)) == NULL || g->fpr == NULL) {
        gpgme_release(ctx);
        return xsirt_error_set(err, XSIRT_EINVAL, "OpenPGP key for %.200s: %s", uid, gpgme_strerror(ge));
    }
    xsirt_strlcpy(fpr, g->fpr, fprsz);
    gpgme_release(ctx);
    return 0;
}

/* A context on home that never asks for a passphrase: the server's key
 * has none, and there is nobody at a server or a mail pipe to type one. */
static int openpgp_ctx(gpgme_ctx_t *ctx, const char *home, xsirt_error *err)
{
    struct stat st;
    gpgme_error_t ge;

    *ctx = NULL;
    if (home == NULL || stat(home, &st) != 0 || !S_ISDIR(st.st_mode))
        return xsirt_error_set(err, XSIRT_EUNSUPPORTED, "no OpenPGP home %s",
                               home != NULL ? home : "(none)");
    gpgme_check_version(NULL);
    if ((ge = gpgme_new(ctx)) != 0 ||
        (ge = gpgme_ctx_set_engine_info(*ctx, GPGME_PROTOCOL_OpenPGP, NULL, home)) != 0) {
        gpgme_release(*ctx);
        *ctx = NULL;
        return xsirt_error_set(err, XSIRT_EINTERNAL, "GPGME: %s", gpgme_strerror(ge));
    }
    gpgme_set_pinentry_mode(*ctx, GPGME_PINENTRY_MODE_LOOPBACK);
    gpgme_set_armor(*ctx, 1);
    return 0;
}

/* The text GPGME wrote into d, NUL-terminated and malloc'd; d is spent. */
static int openpgp_take(char **out, gpgme_data_t d, xsirt_error *err)
{
    size_t n = 0;
    char *mem = gpgme_data_release_and_get_mem(d, &n);

    *out = malloc(n + 1);
    if (*out == NULL) {
        gpgme_free(mem);
        return xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    }
    if (n > 0)
        memcpy(*out, mem, n);
    (*out)[n] = '\0';
    gpgme_free(mem);
    return 0;
}

/* Makes signer (a fingerprint of home's secret keys) the context's only signer. */
static int openpgp_signer(gpgme_ctx_t ctx, const char *signer, xsirt_error *err)
{
    gpgme_key_t key = NULL;
    gpgme_error_t ge = gpgme_get_key(ctx, signer, &key, 1);

    if (ge == 0)
        ge = gpgme_signers_add(ctx, key);
    gpgme_key_unref(key);
    if (ge != 0)
        return xsirt_error_set(err, XSIRT_EUNSUPPORTED, "no secret OpenPGP key %.80s to sign with: %s",
                               signer, gpgme_strerror(ge));
    return 0;
}

int xsirt_openpgp_sign(char **asc, char *micalg, size_t micalgsz, const char *home,
                       const char *signer, const char *in, size_t len, xsirt_error *err)
{
    gpgme_ctx_t ctx;
    gpgme_data_t data = NULL, sig = NULL;
    gpgme_sign_result_t r;
    gpgme_error_t ge;
    int rc;

    *asc = NULL;
    if ((rc = openpgp_ctx(&ctx, home, err)) != 0 || (rc = openpgp_signer(ctx, signer, err)) != 0) {
        gpgme_release(ctx);
        return rc;
    }
    if ((ge = gpgme_data_new_from_mem(&data, in, len, 0)) != 0 || (ge = gpgme_data_new(&sig)) != 0 ||
        (ge = gpgme_op_sign(ctx, data, sig, GPGME_SIG_MODE_DETACH)) != 0 ||
        (r = gpgme_op_sign_result(ctx)) == NULL || r->signatures == NULL) {
        gpgme_data_release(data);
        gpgme_data_release(sig);
        gpgme_release(ctx);
        return xsirt_error_set(err, XSIRT_EIO, "OpenPGP signature: %s",
                               ge != 0 ? gpgme_strerror(ge) : "none made");
    }
    if (micalg != NULL) {
        /* RFC 3156 section 5: "pgp-" and the hash's name in lower case. */
        const char *h = gpgme_hash_algo_name(r->signatures->hash_algo);
        snprintf(micalg, micalgsz, "pgp-%s", h != NULL ? h : "sha256");
        xsirt_ascii_lower_str(micalg);
    }
    gpgme_data_release(data);
    rc = openpgp_take(asc, sig, err);
    gpgme_release(ctx);
    return rc;
}

int xsirt_openpgp_encrypt(char **asc, const char *home, const char *signer, const char *key,
                          const char *in, size_t len, xsirt_error *err)
{
    gpgme_ctx_t ctx;
    gpgme_data_t keydata = NULL, data = NULL, out = NULL;
    gpgme_import_result_t imp;
    gpgme_key_t rcpt[2] = {NULL, NULL};
    gpgme_error_t ge;
    int rc;

    *asc = NULL;
    if ((rc = openpgp_ctx(&ctx, home, err)) != 0 || (rc = openpgp_signer(ctx, signer, err)) != 0) {
        gpgme_release(ctx);
        return rc;
    }
    /* The party's key is imported into the home (public keys only: the
     * store accepts nothing else) and trusted for this message because
     * the team stored it for that party. */
    if ((ge = gpgme_data_new_from_mem(&keydata, key, strlen(key), 0)) != 0 ||
        (ge = gpgme_op_import(ctx, keydata)) != 0 || (imp = gpgme_op_import_result(ctx)) == NULL ||
        imp->imports == NULL || imp->imports->fpr == NULL || imp->imports->result != 0 ||
        (ge = gpgme_get_key(ctx, imp->imports->fpr, &rcpt[0], 0)) != 0) {
        gpgme_data_release(keydata);
        gpgme_release(ctx);
        return xsirt_error_set(err, XSIRT_EINVAL, "the recipient's OpenPGP key cannot be used: %s",
                               ge != 0 ? gpgme_strerror(ge) : "no key in it");
    }
    gpgme_data_release(keydata);
    if ((ge = gpgme_data_new_from_mem(&data, in, len, 0)) != 0 || (ge = gpgme_data_new(&out)) != 0 ||
        (ge = gpgme_op_encrypt_sign(ctx, rcpt, GPGME_ENCRYPT_ALWAYS_TRUST, data, out)) != 0) {
        gpgme_data_release(data);
        gpgme_data_release(out);
        gpgme_key_unref(rcpt[0]);
        gpgme_release(ctx);
        return xsirt_error_set(err, XSIRT_EINVAL, "OpenPGP encryption: %s", gpgme_strerror(ge));
    }
    gpgme_data_release(data);
    gpgme_key_unref(rcpt[0]);
    rc = openpgp_take(asc, out, err);
    gpgme_release(ctx);
    return rc;
}

int xsirt_openpgp_export(char **asc, const char *home, const char *fpr, xsirt_error *err)
{
    gpgme_ctx_t ctx;
    gpgme_data_t out = NULL;
    gpgme_error_t ge;
    int rc;

    *asc = NULL;
    if ((rc = openpgp_ctx(&ctx, home, err)) != 0)
        return rc;
    if ((ge = gpgme_data_new(&out)) != 0 || (ge = gpgme_op_export(ctx, fpr, 0, out)) != 0) {
        gpgme_data_release(out);
        gpgme_release(ctx);
        return xsirt_error_set(err, XSIRT_EIO, "OpenPGP export: %s", gpgme_strerror(ge));
    }
    rc = openpgp_take(asc, out, err);
    gpgme_release(ctx);
    if (rc == 0 && strstr(*asc, "BEGIN PGP PUBLIC KEY BLOCK") == NULL) {
        free(*asc);
        *asc = NULL;
        return xsirt_error_set(err, XSIRT_ENOTFOUND, "no OpenPGP key %.80s in %s", fpr, home);
    }
    return rc;
}

void xsirt_openpgp_result_free(xsirt_openpgp_result *r)
{
    free(r->plain);
    memset(r, 0, sizeof *r);
}
