/*
 * throttle.h — limits on what unauthenticated clients may make the server
 * do (internal to src/server/): how often one address and one account may
 * try to log in, how many Argon2id hashes run at once in this process, and
 * how often one address may send a vulnerability report or portal message
 * (intake).
 *
 * Each login attempt costs a 64 MiB Argon2id hash before anyone is
 * authenticated, so without these an unauthenticated client can guess
 * passwords at the machine's full speed and take its memory; each report
 * becomes a case someone must read. The counts are in the database
 * (store/bucket.h), shared by every server on it; the hash slots are per
 * process, since memory is.
 */
#ifndef XSIRT_THROTTLE_H
#define XSIRT_THROTTLE_H

#include <stdbool.h>

#include "store/db.h"
#include "xsirt/error.h"

/* One attempt in progress, from xsirt_throttle_login_begin to _end. */
typedef struct xsirt_throttle_ticket {
    char address[64];
    char account[65];
} xsirt_throttle_ticket;

/* Starts the hash slots (idempotent): online cores, at most
 * XSIRT_LIMIT_LOGIN_HASHES. */
void xsirt_throttle_init(void);

/* Counts one attempt against address and account. *wait = 0 when it may
 * proceed, or the number of seconds (>= 1) to wait before the next attempt
 * can succeed: then nothing is counted. Fails only with the database. */
int xsirt_throttle_login_begin(unsigned *wait, xsirt_throttle_ticket *ticket, xsirt_db *db,
                               const char *address, const char *account, xsirt_error *err);
/* Ends an attempt begun with *wait = 0: a success forgives the account's
 * failures and the attempt's count against the address. */
int xsirt_throttle_login_end(const xsirt_throttle_ticket *ticket, xsirt_db *db, bool success,
                             xsirt_error *err);

/* Counts one unauthenticated report or portal message from address
 * (XSIRT_LIMIT_INTAKE_*): *wait = 0 when it may proceed, else the seconds
 * to wait (then nothing is counted). */
int xsirt_throttle_intake(unsigned *wait, xsirt_db *db, const char *address, xsirt_error *err);

/* Takes one of the hash slots without waiting: false when all are busy. */
bool xsirt_throttle_hash_acquire(void);
void xsirt_throttle_hash_release(void);

#endif
