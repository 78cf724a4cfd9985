/*
 * throttle.h — limits on password logins (internal to src/server/): how
 * often one address and one account may try, and how many Argon2id hashes
 * run at once.
 *
 * Each login attempt costs a 64 MiB Argon2id hash before anyone is
 * authenticated, so without these an unauthenticated client can guess
 * passwords at the machine's full speed and take its memory.
 */
#ifndef XSIRT_THROTTLE_H
#define XSIRT_THROTTLE_H

#include <stdbool.h>

/* One attempt in progress, from xsirt_throttle_login_begin to _end. */
typedef struct xsirt_throttle_ticket {
    char address[64];
    char account[65];
} xsirt_throttle_ticket;

/* Starts the throttle (idempotent); hash slots = online cores, at most
 * XSIRT_LIMIT_LOGIN_HASHES. */
void xsirt_throttle_init(void);

/* Counts one attempt against address and account. Returns 0 when it may
 * proceed, or the number of seconds (>= 1) to wait before the next attempt
 * can succeed: then nothing is counted. */
unsigned xsirt_throttle_login_begin(xsirt_throttle_ticket *ticket, const char *address,
                                    const char *account);
/* Ends an attempt begun with 0: a success forgives the account's failures
 * and the attempt's count against the address. */
void xsirt_throttle_login_end(const xsirt_throttle_ticket *ticket, bool success);

/* Counts one unauthenticated report or portal message from address
 * (XSIRT_LIMIT_INTAKE_*): 0 when it may proceed, else the seconds to wait
 * (then nothing is counted). */
unsigned xsirt_throttle_intake(const char *address);

/* Takes one of the hash slots without waiting: false when all are busy. */
bool xsirt_throttle_hash_acquire(void);
void xsirt_throttle_hash_release(void);

#endif
