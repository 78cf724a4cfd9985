/*
 * openpgp.h — OpenPGP with GPGME in the data directory's GnuPG home
 * (DATA/gnupg, mode 0700): decrypting what reporters and parties encrypt
 * to the organisation's key, and checking the signatures on it; signing
 * what the organisation publishes and sends, and encrypting mail to a
 * party's key.
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
 * algo as GnuPG names them ("ed25519", "rsa3072"; NULL: "future-default",
 * Ed25519 with a Cv25519 encryption subkey), no passphrase (a server signs
 * unattended: docs/security.md), valid for two years. fpr gets its
 * fingerprint (at least 65 bytes). */
int xsirt_openpgp_create_key(char *fpr, size_t fprsz, const char *home, const char *uid,
                             const char *algo, xsirt_error *err);

/* A detached, ASCII-armoured signature of in (len bytes) by signer (a
 * fingerprint of home's secret keys) into *asc (malloc'd). micalg, when
 * not NULL, gets RFC 3156's name of the hash ("pgp-sha512"). */
int xsirt_openpgp_sign(char **asc, char *micalg, size_t micalgsz, const char *home,
                       const char *signer, const char *in, size_t len, xsirt_error *err);

/* Room for a fingerprint (V4: 40 hex digits; V5: 64). */
#define XSIRT_OPENPGP_FPR_MAX 72

/* Checks a party's armoured key (len bytes) in a GnuPG home of its own (a
 * temporary directory under TMPDIR, removed before returning): it must be
 * exactly one public key (no secret key material), neither revoked nor
 * expired nor disabled, with a subkey that can encrypt now. *minimal
 * (malloc'd) gets that key exported minimal and armoured, fpr its
 * fingerprint. XSIRT_EINVAL with the reason otherwise. */
int xsirt_openpgp_check_key(char **minimal, char *fpr, size_t fprsz, const char *key, size_t len,
                            xsirt_error *err);

/* in encrypted to the armoured public key (checked apart by
 * xsirt_openpgp_check_key, then only that minimal key imported into home)
 * and signed by signer, armoured, into *asc (malloc'd). XSIRT_EINVAL when
 * the key cannot be used. */
int xsirt_openpgp_encrypt(char **asc, const char *home, const char *signer, const char *key,
                          const char *in, size_t len, xsirt_error *err);

/* The armoured public key fpr of home into *asc (malloc'd);
 * XSIRT_ENOTFOUND when home has no such key. */
int xsirt_openpgp_export(char **asc, const char *home, const char *fpr, xsirt_error *err);

/* Stops the gpg-agent GnuPG started for home, if one runs (gpgconf
 * --homedir HOME --kill gpg-agent): commands that made or used the key
 * (xsirt init, xsirt key create) and the server at its exit leave no
 * process holding the secret key behind. GPGME starts a new agent when
 * the key is next needed. 0 also when none ran. */
int xsirt_openpgp_stop_agent(const char *home, xsirt_error *err);

/* Whether a gpg-agent answers for home (gpg-connect-agent --no-autostart).
 * Commands run from cron or a mail server (xsirt mail deliver, xsirt
 * notify) ask before they use the key and stop the agent afterwards only
 * if none ran: one that did may be the server's, busy with its own work. */
bool xsirt_openpgp_agent_running(const char *home);

#endif
