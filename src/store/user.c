/*
 * user.c — users, passwords, API tokens (see user.h).
 *
 * Login runs the Argon2id verification even for an unknown user, against
 * a fixed dummy hash, so response time does not tell which usernames
 * exist. Tokens are looked up by the SHA-256 of the presented secret
 * through a unique index, so the lookup does not leak timing either.
 */
#include <jansson.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "store/audit.h"
#include "store/clock.h"
#include "store/store.h"
#include "store/user.h"

#define TOKEN_PREFIX "xst_"

static pthread_once_t user_sodium_once = PTHREAD_ONCE_INIT;
static int user_sodium_ok;

static void user_sodium_init(void)
{
    user_sodium_ok = sodium_init() >= 0;
}

static int user_crypto_ready(xsirt_error *err)
{
    pthread_once(&user_sodium_once, user_sodium_init);
    return user_sodium_ok ? 0 : xsirt_error_set(err, XSIRT_EINTERNAL, "libsodium failed to start");
}

void xsirt_principal_system(xsirt_principal *out)
{
    memset(out, 0, sizeof *out);
    xsirt_strlcpy(out->username, "system", sizeof out->username);
    out->admin = true;
}

void xsirt_random_token(char *out, size_t outsz, size_t nbytes)
{
    unsigned char raw[64];

    (void)user_crypto_ready(NULL);
    if (nbytes > sizeof raw)
        nbytes = sizeof raw;
    randombytes_buf(raw, nbytes);
    sodium_bin2base64(out, outsz, raw, nbytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof raw);
}

void xsirt_secret_hash(char *out, const char *secret)
{
    unsigned char d[crypto_hash_sha256_BYTES];

    crypto_hash_sha256(d, (const unsigned char *)secret, strlen(secret));
    sodium_bin2hex(out, crypto_hash_sha256_BYTES * 2 + 1, d, sizeof d);
}

int xsirt_password_check_policy(const char *password, xsirt_error *err)
{
    size_t n = strlen(password);

    if (n < XSIRT_PASSWORD_MIN)
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, "password",
                                       "password shorter than %d characters", XSIRT_PASSWORD_MIN);
    if (n > XSIRT_PASSWORD_MAX)
        return xsirt_error_set_pointer(err, XSIRT_ELIMIT, "password",
                                       "password longer than %d bytes", XSIRT_PASSWORD_MAX);
    if (!xsirt_utf8_valid(password, n))
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, "password", "password is not UTF-8");
    return 0;
}

static int user_hash_password(char *out, const char *password, xsirt_error *err)
{
    int rc;

    if ((rc = user_crypto_ready(err)) != 0 || (rc = xsirt_password_check_policy(password, err)) != 0)
        return rc;
    if (crypto_pwhash_str_alg(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0)
        return xsirt_error_set(err, XSIRT_ENOMEM, "out of memory hashing the password");
    return 0;
}

static int user_check_name(const char *name, xsirt_error *err)
{
    size_t n = name != NULL ? strlen(name) : 0;

    if (n == 0 || n > XSIRT_USERNAME_MAX)
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, "username",
                                       "username must have 1 to %d characters", XSIRT_USERNAME_MAX);
    for (size_t i = 0; i < n; i++) {
        int c = (unsigned char)name[i];
        if (!(xsirt_is_digit(c) || (c >= 'a' && c <= 'z') || c == '.' || c == '_' || c == '-'))
            return xsirt_error_set_pointer(err, XSIRT_EINVAL, "username",
                                           "username may use a-z, 0-9, '.', '_' and '-' only");
    }
    return 0;
}

static char *user_audit_json(const xsirt_user_new *u)
{
    json_t *o = json_pack("{s:s, s:s?, s:s?, s:s, s:I, s:s}", "username", u->username,
                          "display_name", u->display_name, "email", u->email, "role", u->role,
                          "organisation_id", (json_int_t)u->organisation_id, "kind", u->kind);
    char *s = o != NULL ? json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS) : NULL;

    json_decref(o);
    return s;
}

int xsirt_user_create(int64_t *id, xsirt_db *db, const xsirt_principal *by,
                      const xsirt_user_new *u, xsirt_error *err)
{
    char hash[crypto_pwhash_STRBYTES], now[XSIRT_TIME_MAX], oid[24];
    const char *role = u->role != NULL ? u->role : "user";
    const char *kind = u->kind != NULL ? u->kind : "internal";
    xsirt_db_value p[9];
    xsirt_db_rows *rows = NULL;
    xsirt_audit_entry e = {0};
    char *after;
    int rc;

    if ((rc = user_check_name(u->username, err)) != 0)
        return rc;
    if (strcmp(role, "admin") != 0 && strcmp(role, "auditor") != 0 && strcmp(role, "user") != 0)
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, "role",
                                       "role must be admin, auditor or user");
    if (strcmp(kind, "internal") != 0 && strcmp(kind, "external") != 0)
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, "kind", "kind must be internal or external");
    if (strcmp(kind, "external") == 0 && (strcmp(role, "user") != 0 || u->organisation_id != 0))
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, "kind",
                                       "an external account has role user and no organisation");
    if (u->password != NULL && (rc = user_hash_password(hash, u->password, err)) != 0)
        return rc;
    xsirt_clock_now(now);
    p[0] = XSIRT_DB_TEXTV(u->username);
    p[1] = XSIRT_DB_TEXTV(u->display_name != NULL ? u->display_name : "");
    p[2] = XSIRT_DB_TEXTV(u->email);
    p[3] = XSIRT_DB_TEXTV(u->password != NULL ? hash : NULL);
    p[4] = XSIRT_DB_TEXTV(role);
    p[5] = u->organisation_id != 0 ? XSIRT_DB_INTV(u->organisation_id) : XSIRT_DB_NULLV;
    p[6] = XSIRT_DB_TEXTV(now);
    p[7] = XSIRT_DB_TEXTV(now);
    p[8] = XSIRT_DB_TEXTV(kind);
    if ((rc = xsirt_db_begin(db, err)) != 0)
        return rc;
    rc = xsirt_db_query(&rows, db,
                        "INSERT INTO users (username, display_name, email, password_hash, role, "
                        "organisation_id, created_at, updated_at, kind) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                        "RETURNING id", p, 9, err);
    if (rc == XSIRT_ECONFLICT)
        xsirt_error_set_pointer(err, XSIRT_ECONFLICT, "username", "username %s is taken",
                                u->username);
    if (rc == 0) {
        *id = xsirt_db_rows_int(rows, 0, 0);
        snprintf(oid, sizeof oid, "%lld", (long long)*id);
        after = user_audit_json(&(xsirt_user_new){u->username, u->display_name, u->email, NULL,
                                                  role, u->organisation_id, kind});
        e = (xsirt_audit_entry){by->user_id, by->username, "user.create", "user", oid, NULL, after};
        rc = after != NULL ? xsirt_audit_append(db, &e, err) : XSIRT_ENOMEM;
        free(after);
    }
    xsirt_db_rows_free(rows);
    if (rc != 0) {
        xsirt_db_rollback(db);
        return rc;
    }
    return xsirt_db_commit(db, err);
}

int xsirt_user_set_password(xsirt_db *db, const xsirt_principal *by, int64_t user_id,
                            const char *password, xsirt_error *err)
{
    char hash[crypto_pwhash_STRBYTES], now[XSIRT_TIME_MAX], oid[24];
    xsirt_db_value p[3];
    xsirt_audit_entry e;
    int64_t changes = 0;
    int rc;

    if ((rc = user_hash_password(hash, password, err)) != 0)
        return rc;
    xsirt_clock_now(now);
    p[0] = XSIRT_DB_TEXTV(hash);
    p[1] = XSIRT_DB_TEXTV(now);
    p[2] = XSIRT_DB_INTV(user_id);
    snprintf(oid, sizeof oid, "%lld", (long long)user_id);
    e = (xsirt_audit_entry){by->user_id, by->username, "user.password", "user", oid, NULL, NULL};
    if ((rc = xsirt_db_begin(db, err)) != 0)
        return rc;
    rc = xsirt_db_exec(db, "UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?", p, 3,
                       &changes, err);
    if (rc == 0 && changes == 0)
        rc = xsirt_error_set(err, XSIRT_ENOTFOUND, "no user %lld", (long long)user_id);
    if (rc == 0)
        rc = xsirt_audit_append(db, &e, err);
    if (rc != 0) {
        xsirt_db_rollback(db);
        return rc;
    }
    return xsirt_db_commit(db, err);
}

/* Fills out from a row (id, username, role, organisation_id, and the
 * kind in column kind_col). */
static void user_fill(xsirt_principal *out, const xsirt_db_rows *rows, size_t kind_col)
{
    const char *role = xsirt_db_rows_text(rows, 0, 2);
    const char *kind = xsirt_db_rows_text(rows, 0, kind_col);

    memset(out, 0, sizeof *out);
    out->user_id = xsirt_db_rows_int(rows, 0, 0);
    xsirt_strlcpy(out->username, xsirt_db_rows_text(rows, 0, 1), sizeof out->username);
    out->admin = strcmp(role, "admin") == 0;
    out->auditor = strcmp(role, "auditor") == 0;
    out->organisation_id = xsirt_db_rows_int(rows, 0, 3);
    /* Fail closed: only "internal" is one of our people. */
    out->external = kind == NULL || strcmp(kind, "internal") != 0;
    if (out->external)
        out->admin = out->auditor = false;
}

int xsirt_user_principal(xsirt_principal *out, xsirt_db *db, int64_t user_id, xsirt_error *err)
{
    xsirt_db_value p[1] = {XSIRT_DB_INTV(user_id)};
    xsirt_db_rows *rows;
    int rc = xsirt_db_query(&rows, db,
                            "SELECT id, username, role, organisation_id, kind FROM users "
                            "WHERE id = ? AND disabled = 0", p, 1, err);

    if (rc != 0)
        return rc;
    if (xsirt_db_rows_count(rows) == 0)
        rc = xsirt_error_set(err, XSIRT_ENOTFOUND, "no such user");
    else
        user_fill(out, rows, 4);
    xsirt_db_rows_free(rows);
    return rc;
}

/* A hash nobody knows the password of, to verify against when the user
 * does not exist (so that both cases cost the same). */
static char user_dummy_hash[crypto_pwhash_STRBYTES];
static pthread_once_t user_dummy_once = PTHREAD_ONCE_INIT;

static void user_dummy_init(void)
{
    char secret[64];

    xsirt_random_token(secret, sizeof secret, 32);
    if (crypto_pwhash_str_alg(user_dummy_hash, secret, strlen(secret),
                              crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0)
        user_dummy_hash[0] = '\0';
}

int xsirt_user_login(xsirt_principal *out, xsirt_db *db, const char *username,
                     const char *password, xsirt_error *err)
{
    xsirt_db_value p[1] = {XSIRT_DB_TEXTV(username)};
    xsirt_db_rows *rows;
    const char *hash;
    bool ok;
    int rc;

    if ((rc = user_crypto_ready(err)) != 0)
        return rc;
    if (strlen(password) > XSIRT_PASSWORD_MAX)
        return xsirt_error_set(err, XSIRT_EDENIED, "wrong username or password");
    rc = xsirt_db_query(&rows, db,
                        "SELECT id, username, role, organisation_id, password_hash, disabled, kind "
                        "FROM users WHERE username = ?", p, 1, err);
    if (rc != 0)
        return rc;
    hash = xsirt_db_rows_count(rows) == 1 ? xsirt_db_rows_text(rows, 0, 4) : NULL;
    if (hash == NULL) {
        pthread_once(&user_dummy_once, user_dummy_init);
        int wasted = crypto_pwhash_str_verify(user_dummy_hash, password, strlen(password));
        (void)wasted;   /* the time is what matters, not the answer */
        ok = false;
    } else {
        ok = crypto_pwhash_str_verify(hash, password, strlen(password)) == 0 &&
             xsirt_db_rows_int(rows, 0, 5) == 0;
    }
    if (ok)
        user_fill(out, rows, 6);
    xsirt_db_rows_free(rows);
    return ok ? 0 : xsirt_error_set(err, XSIRT_EDENIED, "wrong username or password");
}

int xsirt_token_create(int64_t *id, char *secret, xsirt_db *db, const xsirt_principal *by,
                       int64_t user_id, const char *name, const char *expires_at,
                       xsirt_error *err)
{
    char body[48], hash[crypto_hash_sha256_BYTES * 2 + 1], now[XSIRT_TIME_MAX];
    char prefix[16], oid[24], after[256], until[XSIRT_TIME_MAX];
    xsirt_db_value p[6];
    xsirt_db_rows *rows = NULL;
    xsirt_audit_entry e;
    time_t t;
    int rc;

    if (!by->admin && by->user_id != user_id)
        return xsirt_error_set(err, XSIRT_EDENIED, "only admins create tokens for others");
    if (name == NULL || name[0] == '\0' || strlen(name) > 200)
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, "name",
                                       "a token needs a name of 1 to 200 bytes");
    if (expires_at != NULL && xsirt_clock_parse(&t, expires_at) != 0)
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, "expires",
                                       "expiry is not an RFC 3339 date or time");
    /* Stored canonically (UTC, "T", "Z"), whatever form it came in. */
    if (expires_at != NULL) {
        xsirt_clock_format(until, t, 0);
        expires_at = until;
    }
    xsirt_random_token(body, sizeof body, 32);
    snprintf(secret, XSIRT_TOKEN_MAX, TOKEN_PREFIX "%s", body);
    xsirt_secret_hash(hash, secret);
    snprintf(prefix, sizeof prefix, "%.12s", secret);
    xsirt_clock_now(now);
    p[0] = XSIRT_DB_INTV(user_id);
    p[1] = XSIRT_DB_TEXTV(name);
    p[2] = XSIRT_DB_TEXTV(hash);
    p[3] = XSIRT_DB_TEXTV(prefix);
    p[4] = XSIRT_DB_TEXTV(now);
    p[5] = XSIRT_DB_TEXTV(expires_at);
    if ((rc = xsirt_db_begin(db, err)) != 0)
        return rc;
    rc = xsirt_db_query(&rows, db,
                        "INSERT INTO tokens (user_id, name, hash, prefix, created_at, expires_at) "
                        "VALUES (?, ?, ?, ?, ?, ?) RETURNING id", p, 6, err);
    if (rc == 0) {
        *id = xsirt_db_rows_int(rows, 0, 0);
        snprintf(oid, sizeof oid, "%lld", (long long)*id);
        snprintf(after, sizeof after, "{\"user_id\":%lld,\"prefix\":\"%s\"}", (long long)user_id,
                 prefix);
        e = (xsirt_audit_entry){by->user_id, by->username, "token.create", "token", oid, NULL, after};
        rc = xsirt_audit_append(db, &e, err);
    }
    xsirt_db_rows_free(rows);
    if (rc == XSIRT_ECONFLICT)
        xsirt_error_set(err, XSIRT_ENOTFOUND, "no user %lld", (long long)user_id);
    if (rc != 0) {
        xsirt_db_rollback(db);
        return rc;
    }
    return xsirt_db_commit(db, err);
}

/* Expiry is compared as an instant, never as text: a stored value in
 * another RFC 3339 form (lower-case "t", an offset) means the same moment,
 * and one that does not parse has expired (fail closed). */
static bool user_still_valid(const char *expires_at)
{
    time_t until;

    return expires_at != NULL && xsirt_clock_parse(&until, expires_at) == 0 && until > time(NULL);
}

int xsirt_token_authenticate(xsirt_principal *out, xsirt_db *db, const char *secret,
                             xsirt_error *err)
{
    char hash[crypto_hash_sha256_BYTES * 2 + 1];
    xsirt_db_value p[2];
    xsirt_db_rows *rows;
    int rc;

    if (strncmp(secret, TOKEN_PREFIX, strlen(TOKEN_PREFIX)) != 0 || strlen(secret) >= XSIRT_TOKEN_MAX)
        return xsirt_error_set(err, XSIRT_EDENIED, "invalid token");
    xsirt_secret_hash(hash, secret);
    p[0] = XSIRT_DB_TEXTV(hash);
    rc = xsirt_db_query(&rows, db,
                        "SELECT u.id, u.username, u.role, u.organisation_id, t.expires_at, u.kind FROM tokens t "
                        "JOIN users u ON u.id = t.user_id WHERE t.hash = ? AND t.revoked_at IS NULL "
                        "AND u.disabled = 0", p, 1, err);
    if (rc != 0)
        return rc;
    if (xsirt_db_rows_count(rows) != 1 ||
        (!xsirt_db_rows_null(rows, 0, 4) && !user_still_valid(xsirt_db_rows_text(rows, 0, 4))))
        rc = xsirt_error_set(err, XSIRT_EDENIED, "invalid, revoked or expired token");
    else
        user_fill(out, rows, 5);
    xsirt_db_rows_free(rows);
    return rc;
}

int xsirt_token_revoke(xsirt_db *db, const xsirt_principal *by, int64_t token_id,
                       xsirt_error *err)
{
    char now[XSIRT_TIME_MAX], oid[24];
    xsirt_db_value p[4];
    xsirt_audit_entry e;
    int64_t changes = 0;
    int rc;

    xsirt_clock_now(now);
    p[0] = XSIRT_DB_TEXTV(now);
    p[1] = XSIRT_DB_INTV(token_id);
    p[2] = XSIRT_DB_INTV(by->admin ? 1 : 0);
    p[3] = XSIRT_DB_INTV(by->user_id);
    snprintf(oid, sizeof oid, "%lld", (long long)token_id);
    e = (xsirt_audit_entry){by->user_id, by->username, "token.revoke", "token", oid, NULL, NULL};
    if ((rc = xsirt_db_begin(db, err)) != 0)
        return rc;
    rc = xsirt_db_exec(db, "UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL "
                           "AND (? = 1 OR user_id = ?)", p, 4, &changes, err);
    if (rc == 0 && changes == 0)
        rc = xsirt_error_set(err, XSIRT_ENOTFOUND, "no such token");
    if (rc == 0)
        rc = xsirt_audit_append(db, &e, err);
    if (rc != 0) {
        xsirt_db_rollback(db);
        return rc;
    }
    return xsirt_db_commit(db, err);
}

int xsirt_session_create(char *session, char *csrf, xsirt_db *db, int64_t user_id,
                         xsirt_error *err)
{
    char hash[crypto_hash_sha256_BYTES * 2 + 1], now[XSIRT_TIME_MAX], until[XSIRT_TIME_MAX];
    xsirt_db_value p[5];
    time_t t = time(NULL);

    xsirt_random_token(session, XSIRT_TOKEN_MAX, 32);
    xsirt_random_token(csrf, XSIRT_TOKEN_MAX, 32);
    xsirt_secret_hash(hash, session);
    xsirt_clock_now(now);
    xsirt_clock_format(until, t + XSIRT_SESSION_HOURS * 3600, 0);
    p[0] = XSIRT_DB_INTV(user_id);
    p[1] = XSIRT_DB_TEXTV(hash);
    p[2] = XSIRT_DB_TEXTV(csrf);
    p[3] = XSIRT_DB_TEXTV(now);
    p[4] = XSIRT_DB_TEXTV(until);
    return xsirt_db_exec(db, "INSERT INTO sessions (user_id, hash, csrf, created_at, expires_at) "
                             "VALUES (?, ?, ?, ?, ?)", p, 5, NULL, err);
}

int xsirt_session_authenticate(xsirt_principal *out, char *csrf, xsirt_db *db,
                               const char *session, xsirt_error *err)
{
    char hash[crypto_hash_sha256_BYTES * 2 + 1];
    xsirt_db_value p[2];
    xsirt_db_rows *rows;
    int rc;

    if (strlen(session) >= XSIRT_TOKEN_MAX)
        return xsirt_error_set(err, XSIRT_EDENIED, "invalid session");
    xsirt_secret_hash(hash, session);
    p[0] = XSIRT_DB_TEXTV(hash);
    rc = xsirt_db_query(&rows, db,
                        "SELECT u.id, u.username, u.role, u.organisation_id, s.csrf, s.expires_at, u.kind "
                        "FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.hash = ? "
                        "AND u.disabled = 0", p, 1, err);
    if (rc != 0)
        return rc;
    if (xsirt_db_rows_count(rows) != 1 || !user_still_valid(xsirt_db_rows_text(rows, 0, 5))) {
        rc = xsirt_error_set(err, XSIRT_EDENIED, "session expired or unknown");
    } else {
        user_fill(out, rows, 6);
        xsirt_strlcpy(csrf, xsirt_db_rows_text(rows, 0, 4), XSIRT_TOKEN_MAX);
    }
    xsirt_db_rows_free(rows);
    return rc;
}

int xsirt_session_delete(xsirt_db *db, const char *session, xsirt_error *err)
{
    char hash[crypto_hash_sha256_BYTES * 2 + 1];
    xsirt_db_value p[1];

    xsirt_secret_hash(hash, session);
    p[0] = XSIRT_DB_TEXTV(hash);
    return xsirt_db_exec(db, "DELETE FROM sessions WHERE hash = ?", p, 1, NULL, err);
}

static const char *const user_ints[] = {"id", "organisation", NULL};

/* "disabled" is stored as 0/1 and shown as a boolean. */
static void user_fix(json_t *o, const xsirt_db_rows *rows, size_t row)
{
    json_t *d = json_object_get(o, "disabled");

    (void)rows;
    (void)row;
    if (d != NULL)
        json_object_set_new(o, "disabled", json_boolean(strcmp(json_string_value(d), "0") != 0));
}

/* Whom by may see: admins everyone, our people our people, external
 * accounts themselves. */
#define USER_VISIBLE "(? = 1 OR (? = 1 AND organisation_id IS NULL AND kind = 'internal') OR id = ?)"
#define USER_COLUMNS "SELECT id, username, display_name, email, role, organisation_id AS " \
                     "organisation, kind, disabled FROM users WHERE "

int xsirt_user_list(json_t **out, xsirt_db *db, const xsirt_principal *by, const xsirt_page *pg,
                    xsirt_error *err)
{
    xsirt_db_value p[3] = {XSIRT_DB_INTV(by->admin), XSIRT_DB_INTV(by->organisation_id == 0 && !by->external),
                           XSIRT_DB_INTV(by->user_id)};

    return xsirt_store_list_page(out, db, USER_COLUMNS USER_VISIBLE " AND id > ? ORDER BY id LIMIT ?",
                                 p, 3, user_ints, user_fix, pg, err);
}

int xsirt_user_get(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                   xsirt_error *err)
{
    xsirt_db_value p[4] = {XSIRT_DB_INTV(by->admin), XSIRT_DB_INTV(by->organisation_id == 0 && !by->external),
                           XSIRT_DB_INTV(by->user_id), XSIRT_DB_INTV(id)};
    xsirt_db_rows *rows;
    int rc = xsirt_db_query(&rows, db, USER_COLUMNS USER_VISIBLE " AND id = ?", p, 4, err);

    *out = NULL;
    if (rc != 0)
        return rc;
    if (xsirt_db_rows_count(rows) == 1 && (*out = xsirt_store_row_json(rows, 0, user_ints)) != NULL)
        user_fix(*out, rows, 0);
    xsirt_db_rows_free(rows);
    return *out != NULL ? 0 : xsirt_error_set(err, XSIRT_ENOTFOUND, "no user %lld", (long long)id);
}

int xsirt_token_list(json_t **out, xsirt_db *db, const xsirt_principal *by, const xsirt_page *pg,
                     xsirt_error *err)
{
    static const char *const ints[] = {"id", "user", NULL};
    xsirt_db_value p[2] = {XSIRT_DB_INTV(by->admin), XSIRT_DB_INTV(by->user_id)};

    return xsirt_store_list_page(out, db,
                                 "SELECT id, user_id AS user, name, prefix, created_at AS created, "
                                 "expires_at AS expires, revoked_at AS revoked, last_used_at AS "
                                 "last_used FROM tokens WHERE (? = 1 OR user_id = ?) AND id > ? "
                                 "ORDER BY id LIMIT ?", p, 2, ints, NULL, pg, err);
}

int xsirt_token_rotate(char *secret, char *expires, xsirt_db *db, const xsirt_principal *by,
                       const char *username, const char *name, int days, xsirt_error *err)
{
    xsirt_db_value p[4];
    xsirt_audit_entry e;
    char oid[24];
    int64_t user = 0, id = 0, revoked = 0;
    int rc;

    if (days < 1 || days > 3650)
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, "days", "a token lives 1 to 3650 days");
    p[0] = XSIRT_DB_TEXTV(username);
    if ((rc = xsirt_db_query_int(&user, db, "SELECT COALESCE(MAX(id), 0) FROM users WHERE username = ?",
                                 p, 1, err)) != 0)
        return rc;
    if (user == 0)
        return xsirt_error_set_pointer(err, XSIRT_ENOTFOUND, "user", "no user %s", username);
    xsirt_clock_format(expires, time(NULL) + (time_t)days * 86400, 0);
    if ((rc = xsirt_token_create(&id, secret, db, by, user, name, expires, err)) != 0)
        return rc;
    p[0] = XSIRT_DB_INTV(id);
    p[1] = XSIRT_DB_INTV(user);
    p[2] = XSIRT_DB_TEXTV(name);
    p[3] = XSIRT_DB_INTV(id);
    if ((rc = xsirt_db_begin(db, err)) != 0)
        return rc;
    rc = xsirt_db_exec(db, "UPDATE tokens SET revoked_at = (SELECT created_at FROM tokens WHERE id = ?) "
                           "WHERE user_id = ? AND name = ? AND id <> ? AND revoked_at IS NULL",
                       p, 4, &revoked, err);
    if (rc == 0) {
        char after[64];
        snprintf(oid, sizeof oid, "%lld", (long long)id);
        snprintf(after, sizeof after, "{\"revoked\":%lld}", (long long)revoked);
        e = (xsirt_audit_entry){by->user_id, by->username, "token.rotate", "token", oid, NULL, after};
        rc = xsirt_audit_append(db, &e, err);
    }
    return xsirt_store_finish(db, rc, err);
}
