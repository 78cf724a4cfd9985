/*
 * user.h — accounts: users with Argon2id passwords, API tokens and browser
 * sessions. Secrets (passwords, tokens, session ids) are never stored:
 * passwords as Argon2id hashes (libsodium), tokens and sessions as SHA-256
 * of 256-bit random values, which is enough for secrets nobody chooses.
 */
#ifndef XSIRT_USER_H
#define XSIRT_USER_H

#include <jansson.h>
#include <stdint.h>

#include "store/db.h"
#include "store/principal.h"
#include "store/store.h"

/* A token as shown once to its owner: "xst_" + 43 base64url characters. */
#define XSIRT_TOKEN_MAX 64
/* Shortest password accepted (NIST SP 800-63B: at least 8). */
#define XSIRT_PASSWORD_MIN 12
#define XSIRT_PASSWORD_MAX 1024

typedef struct xsirt_user_new {
    const char *username;       /* [a-z0-9._-], 1..64 */
    const char *display_name;   /* may be NULL */
    const char *email;          /* may be NULL */
    const char *password;       /* may be NULL: token-only account */
    const char *role;           /* "admin", "auditor", "user" */
    int64_t organisation_id;    /* 0: our own organisation */
    const char *kind;           /* NULL or "internal"; "external": a party's account, role
                                 * user, that reaches only its portal (portal.h) */
} xsirt_user_new;

/* Creates a user (audited as by). Usernames are unique: XSIRT_ECONFLICT. */
int xsirt_user_create(int64_t *id, xsirt_db *db, const xsirt_principal *by,
                      const xsirt_user_new *u, xsirt_error *err);

/* Sets a new password (audited; the hash is not written to the log). */
int xsirt_user_set_password(xsirt_db *db, const xsirt_principal *by, int64_t user_id,
                            const char *password, xsirt_error *err);

/* Loads the principal of a user id; XSIRT_ENOTFOUND if none or disabled. */
int xsirt_user_principal(xsirt_principal *out, xsirt_db *db, int64_t user_id, xsirt_error *err);

/* Password login: XSIRT_EDENIED for an unknown user, a wrong password or a
 * disabled account alike (and in about the same time). */
int xsirt_user_login(xsirt_principal *out, xsirt_db *db, const char *username,
                     const char *password, xsirt_error *err);

/* A new API token for user_id; secret (XSIRT_TOKEN_MAX bytes) gets the
 * token, shown once. expires_at: RFC 3339 or NULL for none. */
int xsirt_token_create(int64_t *id, char *secret, xsirt_db *db, const xsirt_principal *by,
                       int64_t user_id, const char *name, const char *expires_at,
                       xsirt_error *err);

/* Rotation: a new token named name for the user called username, expiring
 * days from now (written to expires, XSIRT_TIME_MAX bytes), and every
 * other unrevoked token of that user and name revoked. The new token is
 * made first, so a failure leaves the old one working. Audited. */
int xsirt_token_rotate(char *secret, char *expires, xsirt_db *db, const xsirt_principal *by,
                       const char *username, const char *name, int days, xsirt_error *err);

/* The principal a token stands for; XSIRT_EDENIED if unknown, revoked,
 * expired, or its user disabled. */
int xsirt_token_authenticate(xsirt_principal *out, xsirt_db *db, const char *secret,
                             xsirt_error *err);

/* Revokes a token of the principal's own, or any token for an admin. */
int xsirt_token_revoke(xsirt_db *db, const xsirt_principal *by, int64_t token_id,
                       xsirt_error *err);

/* Users as JSON {"id","username","display_name","email","role",
 * "organisation","kind","disabled"}: admins see everyone, others our own
 * organisation's people (to assign and mention them; not the external
 * accounts of parties) and themselves. */
int xsirt_user_list(json_t **out, xsirt_db *db, const xsirt_principal *by, const xsirt_page *pg,
                    xsirt_error *err);
int xsirt_user_get(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                   xsirt_error *err);

/* The principal's own tokens (admins: everyone's), never their secrets:
 * {"id","user","name","prefix","created","expires","revoked","last_used"}. */
int xsirt_token_list(json_t **out, xsirt_db *db, const xsirt_principal *by, const xsirt_page *pg,
                     xsirt_error *err);

/* Browser sessions: a random id for an HttpOnly cookie and a CSRF token
 * the page sends back in a header on every change. Both XSIRT_TOKEN_MAX. */
#define XSIRT_SESSION_HOURS 12
int xsirt_session_create(char *session, char *csrf, xsirt_db *db, int64_t user_id,
                         xsirt_error *err);
/* The principal and CSRF token of a live session; XSIRT_EDENIED otherwise. */
int xsirt_session_authenticate(xsirt_principal *out, char *csrf, xsirt_db *db,
                               const char *session, xsirt_error *err);
int xsirt_session_delete(xsirt_db *db, const char *session, xsirt_error *err);

/* True when the password is acceptable; else a message in err. */
int xsirt_password_check_policy(const char *password, xsirt_error *err);

/* Fills out with n random bytes as base64url (no padding), NUL-terminated;
 * outsz must hold it. For secrets: tokens, session ids, CSRF tokens. */
void xsirt_random_token(char *out, size_t outsz, size_t nbytes);

/* hex SHA-256 of secret into out[65]. */
void xsirt_secret_hash(char *out, const char *secret);

#endif
