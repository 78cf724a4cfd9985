/*
 * throttle.c — login throttle and hash slots (see throttle.h).
 *
 * Each address and each account name has a leaky bucket: an attempt adds
 * one, the level drains at a fixed rate, an attempt that would overflow the
 * bucket is refused with the time until it would fit (429, Retry-After).
 * Attempts are counted when they start, not when they fail, so a burst of
 * parallel attempts cannot all pass before the first failure is recorded.
 * A success empties the account's bucket and takes its own attempt back
 * from the address's: a person who mistypes a few times and then gets it
 * right is never slowed down.
 *
 * Buckets live in one fixed table (bounded memory whatever the number of
 * names tried), indexed by a keyed hash so that a client cannot choose
 * names that collide. When a probe window is full, the bucket with the
 * lowest level is reused: the buckets of accounts under attack, being full,
 * are the last to go.
 */
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/str.h"
#include "server/throttle.h"
#include "xsirt/limits.h"

#define THROTTLE_PROBE 16u

typedef struct throttle_bucket {
    char key[72];            /* "a:" address or "u:" account; "" free */
    double level;
    double at;               /* when level was computed (monotonic s) */
} throttle_bucket;

static throttle_bucket throttle_table[XSIRT_LIMIT_LOGIN_BUCKETS];
static unsigned char throttle_key[crypto_shorthash_KEYBYTES];
static pthread_mutex_t throttle_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t throttle_once = PTHREAD_ONCE_INIT;
static atomic_int throttle_slots;

static void throttle_setup(void)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);

    if (sodium_init() < 0)
        abort();   /* no randomness: a server must not run on without it */
    randombytes_buf(throttle_key, sizeof throttle_key);
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

static double throttle_now(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* The bucket's level now, drained at one attempt per period seconds. */
static double throttle_level(const throttle_bucket *b, double now, double period)
{
    double level = b->level - (now - b->at) / period;

    return level > 0 ? level : 0;
}

/* The bucket for key (created empty, or recycled); lock held. */
static throttle_bucket *throttle_find(const char *key, double now, double period)
{
    unsigned char h[crypto_shorthash_BYTES];
    throttle_bucket *victim = NULL;
    uint64_t start;

    crypto_shorthash(h, (const unsigned char *)key, strlen(key), throttle_key);
    memcpy(&start, h, sizeof start);
    for (unsigned i = 0; i < THROTTLE_PROBE; i++) {
        throttle_bucket *b = &throttle_table[(start + i) % XSIRT_LIMIT_LOGIN_BUCKETS];
        if (strcmp(b->key, key) == 0)
            return b;
        if (victim == NULL || b->key[0] == '\0' ||
            (victim->key[0] != '\0' && throttle_level(b, now, period) < throttle_level(victim, now, period)))
            victim = b;
    }
    xsirt_strlcpy(victim->key, key, sizeof victim->key);
    victim->level = 0;
    victim->at = now;
    return victim;
}

/* Seconds until one more attempt fits in b, 0 if it fits now. */
static unsigned throttle_wait(const throttle_bucket *b, double now, double burst, double period)
{
    double seconds = (throttle_level(b, now, period) + 1 - burst) * period;
    unsigned whole = seconds > 0 ? (unsigned)seconds : 0;

    return seconds > (double)whole ? whole + 1 : whole;   /* rounded up */
}

static void throttle_add(throttle_bucket *b, double now, double period, double amount)
{
    double level = throttle_level(b, now, period) + amount;

    b->level = level > 0 ? level : 0;
    b->at = now;
}

static void throttle_keys(char *a, char *u, size_t size, const xsirt_throttle_ticket *t)
{
    xsirt_strlcpy(a, "a:", size);
    xsirt_strlcpy(a + 2, t->address, size - 2);
    xsirt_strlcpy(u, "u:", size);
    xsirt_strlcpy(u + 2, t->account, size - 2);
}

unsigned xsirt_throttle_login_begin(xsirt_throttle_ticket *t, const char *address, const char *account)
{
    const double ap = XSIRT_LIMIT_LOGIN_ADDRESS_PERIOD, up = XSIRT_LIMIT_LOGIN_ACCOUNT_PERIOD;
    char akey[72], ukey[72];
    throttle_bucket *a, *u;
    unsigned wa, wu;
    double now;

    xsirt_throttle_init();
    xsirt_strlcpy(t->address, address, sizeof t->address);
    xsirt_strlcpy(t->account, account, sizeof t->account);
    throttle_keys(akey, ukey, sizeof akey, t);
    pthread_mutex_lock(&throttle_lock);
    now = throttle_now();
    a = throttle_find(akey, now, ap);
    u = throttle_find(ukey, now, up);
    wa = throttle_wait(a, now, XSIRT_LIMIT_LOGIN_ADDRESS_BURST, ap);
    wu = throttle_wait(u, now, XSIRT_LIMIT_LOGIN_ACCOUNT_BURST, up);
    if (wa == 0 && wu == 0) {
        throttle_add(a, now, ap, 1);
        throttle_add(u, now, up, 1);
    }
    pthread_mutex_unlock(&throttle_lock);
    return wa > wu ? wa : wu;
}

void xsirt_throttle_login_end(const xsirt_throttle_ticket *t, bool success)
{
    const double ap = XSIRT_LIMIT_LOGIN_ADDRESS_PERIOD, up = XSIRT_LIMIT_LOGIN_ACCOUNT_PERIOD;
    char akey[72], ukey[72];
    double now;

    if (!success)
        return;   /* the attempt stays counted */
    throttle_keys(akey, ukey, sizeof akey, t);
    pthread_mutex_lock(&throttle_lock);
    now = throttle_now();
    throttle_add(throttle_find(akey, now, ap), now, ap, -1);
    throttle_find(ukey, now, up)->level = 0;
    pthread_mutex_unlock(&throttle_lock);
}

unsigned xsirt_throttle_intake(const char *address)
{
    const double period = XSIRT_LIMIT_INTAKE_PERIOD;
    char key[72];
    throttle_bucket *b;
    unsigned wait;
    double now;

    xsirt_throttle_init();
    xsirt_strlcpy(key, "i:", sizeof key);
    xsirt_strlcpy(key + 2, address, sizeof key - 2);
    pthread_mutex_lock(&throttle_lock);
    now = throttle_now();
    b = throttle_find(key, now, period);
    wait = throttle_wait(b, now, XSIRT_LIMIT_INTAKE_BURST, period);
    if (wait == 0)
        throttle_add(b, now, period, 1);
    pthread_mutex_unlock(&throttle_lock);
    return wait;
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
