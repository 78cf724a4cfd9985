/*
 * orgkey.h — the organisation's OpenPGP key: made in the data directory's
 * GnuPG home (DATA/gnupg, mode 0700) by `xsirt init`, `xsirt key create`
 * or the first `xsirt serve` of a directory without one, named in the
 * setting openpgp_key, and used to sign what the organisation publishes
 * (the CSAF provider's .asc files) and sends (mail to external parties).
 *
 * The key has no passphrase: the server signs unattended. The trade-off
 * and the operator's options are in docs/security.md.
 */
#ifndef XSIRT_ORGKEY_H
#define XSIRT_ORGKEY_H

#include <stdbool.h>
#include <stddef.h>

#include "store/db.h"

/* Fingerprint bytes with the NUL (v5/v6 keys have 64 hex digits). */
#define XSIRT_ORGKEY_FPR_MAX 72

/* The fingerprint the setting openpgp_key names, or XSIRT_ENOTFOUND. */
int xsirt_orgkey_fingerprint(char *fpr, size_t fprsz, xsirt_db *db, xsirt_error *err);

/* Makes sure home holds the key openpgp_key names: when the setting is
 * unset or home lacks its secret key (a new data directory, or one made
 * before keys were), a new key is made for uid (NULL: the setting
 * openpgp_uid, else the csaf_publisher's name and smtp_from) with algo
 * (NULL: Ed25519/Cv25519) and named in the setting as the system's
 * audited change; replace makes a new one in any case (the old one stays
 * in home, no longer used). *made says whether one was made. */
int xsirt_orgkey_ensure(char *fpr, size_t fprsz, bool *made, xsirt_db *db, const char *home,
                        const char *uid, const char *algo, bool replace, xsirt_error *err);

/* A detached armoured signature of text by the organisation's key. */
int xsirt_orgkey_sign(char **asc, xsirt_db *db, const char *home, const char *text,
                      xsirt_error *err);

/* Signs every published advisory whose document has no signature yet
 * (published before the directory had a key); *count gets how many. */
int xsirt_orgkey_sign_published(size_t *count, xsirt_db *db, const char *home, xsirt_error *err);

#endif
