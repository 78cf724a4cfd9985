/*
 * feeds_local.h — what a feed sync keeps beside this server's index, not in
 * the database.
 *
 * Servers sharing one PostgreSQL database each keep their own index and
 * downloads (the directory of the index file, DIR/feeds). What a sync
 * depends on locally must be kept there too, or one server's sync
 * misleads the others: when this server last synced each feed (so each
 * syncs on its own interval, not skipping a feed another synced), the
 * ETag and Last-Modified of its own download (so a 304 never answers a
 * server that has no download), which journalled re-matches follow this
 * index (the server id), and a lock that makes syncs of servers sharing a
 * data directory run one at a time. The feed's row in the database says
 * when any server last synced it, for people.
 */
#ifndef XSIRT_FEEDS_LOCAL_H
#define XSIRT_FEEDS_LOCAL_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include <jansson.h>

/* DIR/feeds/ID.state: this server's last sync of a feed. */
typedef struct xsirt_feeds_local {
    time_t synced;                /* 0: never synced here */
    char etag[256];               /* of the download kept here, "" if none */
    char last_modified[128];
} xsirt_feeds_local;

/* Reads feed id's state in dir (the index's directory); a missing or
 * unreadable file is "never synced here". */
void xsirt_feeds_local_load(xsirt_feeds_local *s, const char *dir, int64_t id);
/* Writes it (a temporary file renamed over the last): losing it costs one
 * sync more, never a wrong answer. */
void xsirt_feeds_local_save(const xsirt_feeds_local *s, const char *dir, int64_t id);

/* The id of the index in dir (DIR/feeds/server-id, made at first use): 22
 * characters, or "" when the directory cannot hold it. */
void xsirt_feeds_local_server(char out[32], const char *dir);

/* Takes the lock of dir's feeds across processes (flock on
 * DIR/feeds/.lock), waiting for it; -1 when it cannot be opened (then the
 * caller goes on under its own mutex only). Released by
 * xsirt_feeds_local_unlock. */
int xsirt_feeds_local_lock(const char *dir);
void xsirt_feeds_local_unlock(int fd);

/* The feeds due here: schedule is [[id, interval], ...]
 * (xsirt_feed_schedule); due gets the ids never synced here or synced
 * here at least their interval before now. */
json_t *xsirt_feeds_local_due(const json_t *schedule, const char *dir, time_t now);

#endif
