/*
 * deadline.c — the request deadline watcher (see deadline.h).
 *
 * Every open connection is on one list with the time its current request
 * began (its accept, or the end of its previous answer). A thread looks at
 * the list four times a second and shuts down (shutdown(2), not close) the
 * socket of any connection still receiving past the deadline:
 * libmicrohttpd then sees the end of the stream and closes it itself, in
 * its own thread. The list lock is also taken when libmicrohttpd reports a
 * connection closed, before it closes the socket, so the watcher never
 * touches a descriptor that has been closed and reused.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

#include "server/deadline.h"

struct xsirt_deadline_conn {
    xsirt_deadline_conn *prev, *next;
    int fd;
    bool receiving;
    bool expired;
    struct timespec began;
};

struct xsirt_deadline {
    pthread_mutex_t lock;
    pthread_cond_t wake;
    pthread_t thread;
    xsirt_deadline_conn *head;
    unsigned seconds;
    bool stopping;
    atomic_ulong expired;
};

static double deadline_since(const struct timespec *t, const struct timespec *now)
{
    return (double)(now->tv_sec - t->tv_sec) + (double)(now->tv_nsec - t->tv_nsec) / 1e9;
}

static void deadline_sweep(xsirt_deadline *d)
{
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);
    for (xsirt_deadline_conn *c = d->head; c != NULL; c = c->next)
        if (c->receiving && !c->expired && deadline_since(&c->began, &now) > d->seconds) {
            c->expired = true;
            shutdown(c->fd, SHUT_RDWR);
            atomic_fetch_add(&d->expired, 1);
        }
}

static void *deadline_main(void *arg)
{
    xsirt_deadline *d = arg;
    struct timespec wake;

    pthread_mutex_lock(&d->lock);
    while (!d->stopping) {
        deadline_sweep(d);
        clock_gettime(CLOCK_REALTIME, &wake);
        wake.tv_nsec += 250 * 1000 * 1000;
        if (wake.tv_nsec >= 1000 * 1000 * 1000) {
            wake.tv_sec++;
            wake.tv_nsec -= 1000 * 1000 * 1000;
        }
        pthread_cond_timedwait(&d->wake, &d->lock, &wake);
    }
    pthread_mutex_unlock(&d->lock);
    return NULL;
}

xsirt_deadline *xsirt_deadline_start(unsigned seconds)
{
    xsirt_deadline *d = calloc(1, sizeof *d);

    if (d == NULL)
        return NULL;
    pthread_mutex_init(&d->lock, NULL);
    pthread_cond_init(&d->wake, NULL);
    d->seconds = seconds;
    if (pthread_create(&d->thread, NULL, deadline_main, d) != 0) {
        pthread_cond_destroy(&d->wake);
        pthread_mutex_destroy(&d->lock);
        free(d);
        return NULL;
    }
    return d;
}

void xsirt_deadline_stop(xsirt_deadline *d)
{
    if (d == NULL)
        return;
    pthread_mutex_lock(&d->lock);
    d->stopping = true;
    pthread_cond_signal(&d->wake);
    pthread_mutex_unlock(&d->lock);
    pthread_join(d->thread, NULL);
    while (d->head != NULL) {
        xsirt_deadline_conn *c = d->head;
        d->head = c->next;
        free(c);
    }
    pthread_cond_destroy(&d->wake);
    pthread_mutex_destroy(&d->lock);
    free(d);
}

xsirt_deadline_conn *xsirt_deadline_open(xsirt_deadline *d, int fd)
{
    xsirt_deadline_conn *c = calloc(1, sizeof *c);

    if (c == NULL)
        return NULL;
    c->fd = fd;
    c->receiving = true;
    clock_gettime(CLOCK_MONOTONIC, &c->began);
    pthread_mutex_lock(&d->lock);
    c->next = d->head;
    if (d->head != NULL)
        d->head->prev = c;
    d->head = c;
    pthread_mutex_unlock(&d->lock);
    return c;
}

void xsirt_deadline_close(xsirt_deadline *d, xsirt_deadline_conn *c)
{
    if (c == NULL)
        return;
    pthread_mutex_lock(&d->lock);
    if (c->prev != NULL)
        c->prev->next = c->next;
    else
        d->head = c->next;
    if (c->next != NULL)
        c->next->prev = c->prev;
    pthread_mutex_unlock(&d->lock);
    free(c);
}

void xsirt_deadline_received(xsirt_deadline *d, xsirt_deadline_conn *c)
{
    if (c == NULL)
        return;
    pthread_mutex_lock(&d->lock);
    c->receiving = false;
    pthread_mutex_unlock(&d->lock);
}

void xsirt_deadline_restart(xsirt_deadline *d, xsirt_deadline_conn *c)
{
    if (c == NULL)
        return;
    pthread_mutex_lock(&d->lock);
    c->receiving = true;
    clock_gettime(CLOCK_MONOTONIC, &c->began);
    pthread_mutex_unlock(&d->lock);
}

unsigned long xsirt_deadline_expired(const xsirt_deadline *d)
{
    return d != NULL ? atomic_load(&d->expired) : 0;
}
