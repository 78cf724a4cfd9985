/*
 * orgkey.c — the organisation's OpenPGP key: made when missing, named in
 * the settings, and used to sign (see orgkey.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/str.h"
#include "mail/openpgp.h"
#include "server/orgkey.h"
#include "store/advisory.h"
#include "store/settings.h"

int xsirt_orgkey_fingerprint(char *fpr, size_t fprsz, xsirt_db *db, xsirt_error *err)
{
    json_t *key = NULL;
    const char *f;
    int rc;

    fpr[0] = '\0';
    if ((rc = xsirt_settings_value(&key, db, "openpgp_key", err)) != 0)
        return rc;
    f = json_string_value(json_object_get(key, "fingerprint"));
    if (f == NULL)
        rc = xsirt_error_set(err, XSIRT_ENOTFOUND, "the organisation has no OpenPGP key (setting "
                             "openpgp_key): xsirt key create --data DIR makes one");
    else
        xsirt_strlcpy(fpr, f, fprsz);
    json_decref(key);
    return rc;
}

/* The identity a new key is made for: the setting openpgp_uid, else the
 * CSAF publisher's name and the sender address of mail (or psirt@ the
 * public host), so that what the key signs names who sent it. */
static char *orgkey_default_uid(xsirt_db *db, xsirt_error *err)
{
    json_t *uid = NULL, *pub = NULL, *from = NULL, *url = NULL;
    const char *name, *host;
    char mail[400];
    xsirt_buf b;
    int rc;

    if ((rc = xsirt_settings_value(&uid, db, "openpgp_uid", err)) != 0 ||
        (rc = xsirt_settings_value(&pub, db, "csaf_publisher", err)) != 0 ||
        (rc = xsirt_settings_value(&from, db, "smtp_from", err)) != 0 ||
        (rc = xsirt_settings_value(&url, db, "public_url", err)) != 0) {
        json_decref(uid);
        json_decref(pub);
        json_decref(from);
        return NULL;
    }
    xsirt_buf_init(&b, 1024);
    if (json_is_string(uid)) {
        xsirt_buf_puts(&b, json_string_value(uid));
    } else {
        name = json_string_value(json_object_get(pub, "name"));
        host = json_is_string(url) ? json_string_value(url) + strlen("https://") : "localhost";
        if (json_is_string(from))
            snprintf(mail, sizeof mail, "%s", json_string_value(from));
        else
            snprintf(mail, sizeof mail, "psirt@%.*s", (int)strcspn(host, "/:"), host);
        xsirt_buf_printf(&b, "%s <%s>", name != NULL ? name : "PSIRT", mail);
    }
    json_decref(uid);
    json_decref(pub);
    json_decref(from);
    json_decref(url);
    return xsirt_buf_detach(&b);
}

/* Whether home can sign with fpr now (its secret key is there). */
static bool orgkey_usable(const char *home, const char *fpr)
{
    char *asc = NULL;
    xsirt_error e;
    bool ok = xsirt_openpgp_sign(&asc, NULL, 0, home, fpr, "xsirt", 5, &e) == 0;

    free(asc);
    return ok;
}

int xsirt_orgkey_ensure(char *fpr, size_t fprsz, bool *made, xsirt_db *db, const char *home,
                        const char *uid, const char *algo, bool replace, xsirt_error *err)
{
    char *def = NULL;
    xsirt_principal sys;
    json_t *in, *out = NULL;
    int rc;

    *made = false;
    if (!replace && xsirt_orgkey_fingerprint(fpr, fprsz, db, err) == 0 && orgkey_usable(home, fpr))
        return 0;
    if (uid == NULL && (uid = def = orgkey_default_uid(db, err)) == NULL)
        return err != NULL && err->code != 0 ? err->code : XSIRT_ENOMEM;
    if (strpbrk(uid, "\r\n") != NULL || strlen(uid) > 500) {
        free(def);
        return xsirt_error_set(err, XSIRT_EINVAL, "an OpenPGP identity is one line of at most 500 bytes");
    }
    if ((rc = xsirt_openpgp_create_key(fpr, fprsz, home, uid, algo, err)) != 0) {
        free(def);
        return rc;
    }
    xsirt_principal_system(&sys);
    in = json_pack("{s:{s:s, s:s}}", "openpgp_key", "fingerprint", fpr, "uid", uid);
    rc = in != NULL ? xsirt_settings_update(&out, db, &sys, in, err)
                    : xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    json_decref(in);
    json_decref(out);
    free(def);
    *made = rc == 0;
    return rc;
}

int xsirt_orgkey_sign(char **asc, xsirt_db *db, const char *home, const char *text,
                      xsirt_error *err)
{
    char fpr[XSIRT_ORGKEY_FPR_MAX];
    int rc;

    *asc = NULL;
    if ((rc = xsirt_orgkey_fingerprint(fpr, sizeof fpr, db, err)) != 0)
        return rc;
    return xsirt_openpgp_sign(asc, NULL, 0, home, fpr, text, strlen(text), err);
}

typedef struct orgkey_signer_ctx {
    xsirt_db *db;
    const char *home;
} orgkey_signer_ctx;

static int orgkey_sign_cb(char **asc, const char *text, void *ctx, xsirt_error *err)
{
    orgkey_signer_ctx *c = ctx;

    return xsirt_orgkey_sign(asc, c->db, c->home, text, err);
}

int xsirt_orgkey_sign_published(size_t *count, xsirt_db *db, const char *home, xsirt_error *err)
{
    orgkey_signer_ctx c = {db, home};
    xsirt_advisory_signer s = {orgkey_sign_cb, &c};

    return xsirt_advisory_sign_missing(count, db, &s, err);
}
