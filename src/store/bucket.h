/*
 * bucket.h — leaky buckets kept in the database (table throttle_buckets),
 * so that every server process on one database counts against the same
 * limits: the login throttle per account and per address, and the intake
 * throttle per address (src/server/throttle.c).
 *
 * A bucket holds a level that each counted event raises by one and that
 * drains by one every `period` seconds; an event that would lift it above
 * `burst` is refused, with the seconds until it would fit.
 */
#ifndef XSIRT_BUCKET_H
#define XSIRT_BUCKET_H

#include <stdbool.h>
#include <stddef.h>

#include "store/db.h"
#include "xsirt/error.h"

typedef struct xsirt_bucket {
    const char *key;         /* what is counted, e.g. "login-account:alice" */
    unsigned burst;
    unsigned period;         /* seconds to drain one event */
} xsirt_bucket;

/* Counts one event in each of buckets[0..n) (n <= 4) if every one has
 * room: *wait = 0. Otherwise counts nothing and sets *wait to the seconds
 * (>= 1) until all would have room. One transaction, serialised per
 * bucket across processes; keys are stored as their SHA-256, never as
 * given. Buckets that have drained empty are deleted on the way. */
int xsirt_bucket_take(unsigned *wait, xsirt_db *db, const xsirt_bucket *buckets, size_t n,
                      xsirt_error *err);

/* Takes one event back from bucket (empty: empties it). */
int xsirt_bucket_give(xsirt_db *db, const xsirt_bucket *bucket, bool empty, xsirt_error *err);

#endif
