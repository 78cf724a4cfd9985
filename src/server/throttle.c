/*
 * throttle.c — the login and intake throttles and the hash slots (see
 * throttle.h).
 *
 * Each address and each account name has a leaky bucket (store/bucket.c,
 * in the database, so several servers on one database share it): an
 * attempt adds one, the level drains at a fixed rate, an attempt that
 * would overflow a bucket is refused with the time until it would fit
 * (429, Retry-After). Attempts are counted when they start, not when they
 * fail, so a burst of parallel attempts — on one server or spread over
 * several — cannot all pass before the first failure is recorded. A
 * success empties the account's bucket and takes its own attempt back
 * from the address's: a person who mistypes a few times and then gets it
 * right is never slowed down.
 *
 * The hash slots stay in the process: they bound this process's memory.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

#include "core/str.h"
#include "server/throttle.h"
#include "store/bucket.h"
#include "xsirt/limits.h"

static pthread_once_t throttle_once = PTHREAD_ONCE_INIT;
static atomic_int throttle_slots;

static void throttle_setup(void)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);

    if (cores < 1)
        cores = 1;
    if (cores > (long)XSIRT_LIMIT_LOGIN_HASHES)
        cores = XSIRT_LIMIT_LOGIN_HASHES;
    atomic_store(&throttle_slots, (int)cores);
}

void xsirt_throttle_init(void)
{
    pthread_once(&throttle_once, throttle_setup);
}

typedef struct throttle_keys {
    char address[80], account[96];
} throttle_keys;

static void throttle_login_buckets(xsirt_bucket b[2], throttle_keys *k, const xsirt_throttle_ticket *t)
{
    snprintf(k->address, sizeof k->address, "login-address:%s", t->address);
    snprintf(k->account, sizeof k->account, "login-account:%s", t->account);
    b[0] = (xsirt_bucket){k->address, XSIRT_LIMIT_LOGIN_ADDRESS_BURST, XSIRT_LIMIT_LOGIN_ADDRESS_PERIOD};
    b[1] = (xsirt_bucket){k->account, XSIRT_LIMIT_LOGIN_ACCOUNT_BURST, XSIRT_LIMIT_LOGIN_ACCOUNT_PERIOD};
}

int xsirt_throttle_login_begin(unsigned *wait, xsirt_throttle_ticket *t, xsirt_db *db,
                               const char *address, const char *account, xsirt_error *err)
{
    xsirt_bucket b[2];
    throttle_keys k;

    xsirt_strlcpy(t->address, address, sizeof t->address);
    xsirt_strlcpy(t->account, account, sizeof t->account);
    throttle_login_buckets(b, &k, t);
    return xsirt_bucket_take(wait, db, b, 2, err);
}

int xsirt_throttle_login_end(const xsirt_throttle_ticket *t, xsirt_db *db, bool success, xsirt_error *err)
{
    xsirt_bucket b[2];
    throttle_keys k;
    int rc;

    if (!success)
        return 0;   /* the attempt stays counted */
    throttle_login_buckets(b, &k, t);
    if ((rc = xsirt_bucket_give(db, &b[0], false, err)) != 0)
        return rc;
    return xsirt_bucket_give(db, &b[1], true, err);
}

int xsirt_throttle_intake(unsigned *wait, xsirt_db *db, const char *address, xsirt_error *err)
{
    char key[80];

    snprintf(key, sizeof key, "intake-address:%s", address);
    return xsirt_bucket_take(wait, db,
                             &(xsirt_bucket){key, XSIRT_LIMIT_INTAKE_BURST, XSIRT_LIMIT_INTAKE_PERIOD}, 1,
                             err);
}

bool xsirt_throttle_hash_acquire(void)
{
    int free_slots;

    xsirt_throttle_init();
    free_slots = atomic_load(&throttle_slots);
    while (free_slots > 0)
        if (atomic_compare_exchange_weak(&throttle_slots, &free_slots, free_slots - 1))
            return true;
    return false;
}

void xsirt_throttle_hash_release(void)
{
    atomic_fetch_add(&throttle_slots, 1);
}
