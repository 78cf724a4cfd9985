/*
 * openpgp.h — OpenPGP with GPGME in the data directory's GnuPG home
 * (DATA/gnupg, mode 0700): decrypting what reporters and parties encrypt
 * to the organisation's key, and checking the signatures on it.
 */
#ifndef XSIRT_OPENPGP_H
#define XSIRT_OPENPGP_H

#include <stdbool.h>
#include <stddef.h>

#include "xsirt/error.h"

typedef struct xsirt_openpgp_result {
    char *plain;            /* malloc'd, NUL-terminated; plain_len bytes */
    size_t plain_len;
    bool signed_valid;      /* a good signature by a key the home trusts */
    char signer[64];        /* fingerprint of the first signature, "" */
} xsirt_openpgp_result;

/* Initialises GPGME; call once before threads that decrypt start. */
void xsirt_openpgp_init(void);

/* Decrypts (and verifies) the armoured or binary OpenPGP message in
 * (len bytes) with the secret keys of home. XSIRT_EINVAL with GPGME's
 * reason when it is no OpenPGP message or no key of home opens it;
 * XSIRT_EUNSUPPORTED when home does not exist. */
int xsirt_openpgp_decrypt(xsirt_openpgp_result *out, const char *home, const char *in, size_t len,
                          xsirt_error *err);
void xsirt_openpgp_result_free(xsirt_openpgp_result *r);

/* Makes home (mode 0700) and in it a new key for uid ("Name <mail>"):
 * GnuPG's default algorithms, signing and encryption, no passphrase (a
 * server has no one to type it), valid for two years. fpr gets its
 * fingerprint (at least 65 bytes). */
int xsirt_openpgp_create_key(char *fpr, size_t fprsz, const char *home, const char *uid,
                             xsirt_error *err);

#endif
