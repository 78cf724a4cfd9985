/*
 * deadline.h — a total time limit for receiving each request (internal to
 * src/server/), against clients that send a byte now and then to keep a
 * connection (slowloris): libmicrohttpd's own timeout is an idle timeout,
 * which every byte resets.
 */
#ifndef XSIRT_DEADLINE_H
#define XSIRT_DEADLINE_H

#include <stdbool.h>

typedef struct xsirt_deadline xsirt_deadline;
typedef struct xsirt_deadline_conn xsirt_deadline_conn;

/* Starts the watcher thread: a connection still receiving a request
 * `seconds` after its clock started is shut down. NULL when out of memory
 * or no thread could start. */
xsirt_deadline *xsirt_deadline_start(unsigned seconds);
/* Stops the watcher; call after the connections are gone. */
void xsirt_deadline_stop(xsirt_deadline *d);

/* A new connection on socket fd: its clock starts now. NULL when out of
 * memory (the connection then has only the idle timeout). */
xsirt_deadline_conn *xsirt_deadline_open(xsirt_deadline *d, int fd);
/* The connection is closing: forget it (before its socket is closed). */
void xsirt_deadline_close(xsirt_deadline *d, xsirt_deadline_conn *c);
/* The request has been received whole: answering it is not limited. */
void xsirt_deadline_received(xsirt_deadline *d, xsirt_deadline_conn *c);
/* The answer is done: the clock starts again for the next request. */
void xsirt_deadline_restart(xsirt_deadline *d, xsirt_deadline_conn *c);

/* Connections shut down for missing their deadline, since start. */
unsigned long xsirt_deadline_expired(const xsirt_deadline *d);

#endif
