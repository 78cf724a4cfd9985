/*
 * front.c — the listening socket, and in each worker thread the
 * connections' bytes: every request head is judged before anything reads
 * it as a request; a request without a body is answered here, in the
 * worker; anything else goes to libmicrohttpd through a relay (see
 * front.h).
 *
 * Why the front judges heads: libmicrohttpd 0.9.75 answers some malformed
 * heads itself, with fixed HTML pages, before any callback of the server
 * runs (a malformed request line, a version other than HTTP/1.x, a header
 * line without a colon, a Content-Length that is not a number, a head
 * larger than its connection memory), and has no option or hook to change
 * those answers. So libmicrohttpd never reads a client's socket; each head
 * is judged by xsirt_edge_frame_check, by rules stricter than
 * libmicrohttpd's, and a refused one gets a JSON answer here.
 *
 * Why a request without a body is answered here (docs/performance.md): a
 * read was mostly the cost of passing it through libmicrohttpd — a copy
 * each way through a socket pair, its parsing, the zeroing of its
 * connection memory, its attempts at TCP options on a socket pair. The
 * worker gives the accepted head to the server (front.h's direct: http.c
 * splits it as libmicrohttpd would, with edge.c, and runs the same checks
 * and handlers) and sends the answer in one call. One answer at a time:
 * pipelined heads wait in the input until it is sent. The deadline and
 * the idle timeout of such a connection are kept here (front_sweep).
 *
 * The relay: at a connection's first request with a body (or for a file of
 * the web UI, which libmicrohttpd sends), it gets a socket pair whose
 * other end is given to the worker's libmicrohttpd daemon
 * (MHD_add_connection, with the client's address), for good. Towards
 * libmicrohttpd pass only whole heads that xsirt_edge_frame_check accepts,
 * followed by the body bytes their Content-Length announces; a head with
 * Transfer-Encoding or several Content-Lengths is passed on with what
 * follows, since the server refuses it and closes the connection (edge.c).
 * A refused head stops the reading: the inner socket is shut for writing,
 * libmicrohttpd answers the requests before it and closes, and then the
 * JSON refusal goes to the client and the connection is closed. Back
 * towards the client bytes are copied as they come. A connection costs
 * XSIRT_LIMIT_HTTP_HEAD + FRONT_OUT bytes, and a relayed one a socket pair.
 */
#define _GNU_SOURCE   /* accept4 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "core/str.h"
#include "server/edge.h"
#include "server/front.h"
#include "server/log.h"
#include "xsirt/limits.h"

/* Bytes of answer read from libmicrohttpd at a time. */
#define FRONT_OUT (16u * 1024u)
/* Seconds a connection whose server side is closed may take to read its
 * last answer, and to close after a refusal (bytes it still sends are
 * read and dropped meanwhile, so that its answer is not lost to a reset). */
#define FRONT_LINGER_SECONDS 2

enum front_state {
    FRONT_HEAD,       /* reading a request head */
    FRONT_BODY,       /* passing body_left bytes of body */
    FRONT_OPAQUE,     /* passing everything: the server refuses and closes */
    FRONT_REFUSING,   /* a head was refused: waiting for the server to finish */
    FRONT_CLOSING,    /* the server is done: sending the rest, then closing */
};

struct front_conn;

typedef struct front_end {
    struct front_conn *conn;   /* NULL for the listening socket and the wake-up */
    int fd;
    uint32_t events;           /* what epoll watches for */
    bool readable, writable;
    bool gone;                 /* hung up, out of the epoll set: read to its end */
} front_end;

typedef struct front_conn {
    front_end client, inner;
    enum front_state state;
    bool client_eof, client_shut, inner_shut, inner_eof, dead;
    xsirt_edge_scan scan;
    xsirt_edge_frame refusal;
    unsigned long long body_left;
    size_t in_len, fwd;        /* in[0..fwd) is judged and waits for the server */
    size_t out_off, out_len;
    bool answered;             /* the refusal is in out */
    bool relay;                /* handed to libmicrohttpd: inner is its socket pair */
    bool held;                 /* direct: heads wait in in until the answer is sent */
    char *obuf;                /* what out_off and out_len count: out, or big */
    char *big;                 /* an answer larger than out, owned */
    time_t began;              /* direct: the current request's clock (deadline) */
    time_t active;             /* direct: the last byte sent to the client */
    time_t until;              /* CLOSING: closed at this time whatever */
    struct sockaddr_storage peer;
    struct front_worker *worker;
    struct front_conn *prev, *next;
    bool expecting;            /* on the worker's expect list */
    struct front_conn *expect_next;
    char in[XSIRT_LIMIT_HTTP_HEAD];
    char out[FRONT_OUT];
} front_conn;

typedef struct front_worker {
    struct xsirt_front *front;
    pthread_t thread;
    int epoll;
    front_end wake, mhd;       /* the stop signal; libmicrohttpd's own epoll set */
    struct MHD_Daemon *daemon;
    front_conn *conns, *dead;
    front_conn *expect;        /* sent bytes to the daemon in this turn */
    bool listen_paused;        /* out of descriptors: not accepting for a second */
    time_t now;                /* at the start of this turn */
    unsigned relayed;          /* connections with a socket pair to the daemon */
    xsirt_buf answer;          /* a direct answer, before it goes into a connection's out */
} front_worker;

/* Connections per client address, over all workers. */
typedef struct front_address {
    struct sockaddr_storage addr;
    unsigned count;
} front_address;

struct xsirt_front {
    front_end listener;
    atomic_bool stop;
    struct MHD_Daemon *(*start)(void *cls);
    int (*direct)(void *cls, xsirt_buf *answer, bool *close, const char *head, size_t len,
                  const struct sockaddr *peer);
    void *cls;
    unsigned request_seconds;
    atomic_ulong expired;
    bool quiet;
    unsigned per_address;
    uint16_t port;
    atomic_ulong refused;
    unsigned nworkers;
    front_worker *workers;
    pthread_mutex_t lock;      /* addresses, connections */
    unsigned connections;
    front_address addresses[XSIRT_LIMIT_HTTP_CONNECTIONS];
};

static void front_release(xsirt_front *f, const struct sockaddr_storage *peer);

/* ---- epoll bookkeeping -------------------------------------------------- */

static void front_watch(front_worker *w, front_end *e, uint32_t events)
{
    struct epoll_event ev = {.events = events, .data.ptr = e};

    if (e->fd < 0 || e->gone || e->events == events)
        return;
    if (epoll_ctl(w->epoll, EPOLL_CTL_MOD, e->fd, &ev) == 0)
        e->events = events;
}

static void front_close_end(front_end *e)
{
    /* Out of the epoll set first: close alone leaves it there while another
     * descriptor shares the socket (a child between fork and exec, such as
     * GPGME's gpg), and its events would then name a freed connection. */
    if (e->fd >= 0) {
        if (!e->gone)
            epoll_ctl(e->conn->worker->epoll, EPOLL_CTL_DEL, e->fd, NULL);
        close(e->fd);
    }
    e->fd = -1;
    e->readable = e->writable = false;
}

/* The end of a connection's socket pair (libmicrohttpd sees its end close). */
static void front_close_inner(front_conn *c)
{
    if (c->inner.fd >= 0)
        c->worker->relayed--;
    front_close_end(&c->inner);
}

static void front_kill(front_worker *w, front_conn *c)
{
    if (c->dead)
        return;
    front_close_end(&c->client);
    front_close_inner(c);
    front_release(w->front, &c->peer);
    free(c->big);
    c->big = NULL;
    c->dead = true;
    if (c->prev != NULL)
        c->prev->next = c->next;
    else
        w->conns = c->next;
    if (c->next != NULL)
        c->next->prev = c->prev;
    c->next = w->dead;   /* freed after the current batch of events */
    w->dead = c;
}

/* ---- the refusal -------------------------------------------------------- */

/* The refused request in the log, like the server's own request lines:
 * the method and the target as sent (log.c escapes them). */
static void front_log(const front_worker *w, const front_conn *c, const char *line, size_t n)
{
    char address[INET6_ADDRSTRLEN + 1] = "-", method[33], uri[XSIRT_LIMIT_LOG_URI + 4];
    size_t m = 0, u = 0;

    if (w->front->quiet)
        return;
    if (c->peer.ss_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)&c->peer)->sin_addr, address,
                  sizeof address);
    while (m < n && m < sizeof method - 1 && line[m] != ' ' && line[m] != '\n')
        m++;
    memcpy(method, line, m);
    method[m] = '\0';
    if (m < n && line[m] == ' ') {
        const char *t = line + m + 1;
        size_t left = n - m - 1;
        while (u < left && u < XSIRT_LIMIT_LOG_URI && t[u] != ' ' && t[u] != '\n')
            u++;
        memcpy(uri, t, u);
    }
    xsirt_strlcpy(uri + u, u == XSIRT_LIMIT_LOG_URI ? "..." : "", 4);
    xsirt_log_request_line(&(xsirt_log_request){address, method, uri, c->refusal.status, 0, NULL});
}

static void front_refuse(front_worker *w, front_conn *c, const xsirt_edge_frame *v)
{
    const char *line = c->in + c->fwd;
    size_t n = c->in_len - c->fwd;

    c->refusal = *v;
    c->state = FRONT_REFUSING;
    atomic_fetch_add(&w->front->refused, 1);
    while (n > 0 && (*line == '\r' || *line == '\n')) {   /* the empty lines before it */
        line++;
        n--;
    }
    front_log(w, c, line, n);
}

/* The JSON answer, in out: the codes and messages are the edge's own
 * constants (no client byte is quoted), so they need no escaping. */
static void front_answer(front_conn *c)
{
    char body[256];
    int nb = snprintf(body, sizeof body, "{\"error\":{\"code\":\"%s\",\"message\":\"%s\"}}",
                      c->refusal.code, c->refusal.message);
    int n = snprintf(c->out, sizeof c->out,
                     "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n"
                     "Connection: close\r\nCache-Control: no-store\r\n"
                     "X-Content-Type-Options: nosniff\r\nX-Frame-Options: DENY\r\n"
                     "Content-Security-Policy: default-src 'none'; frame-ancestors 'none'\r\n"
                     "\r\n%s",
                     c->refusal.status, xsirt_edge_reason(c->refusal.status), nb, body);
    c->obuf = c->out;
    c->out_off = 0;
    c->out_len = n > 0 && (size_t)n < sizeof c->out ? (size_t)n : 0;
    c->answered = true;
}

/* ---- answering in the worker, or handing over to libmicrohttpd ---------- */

static void front_server_done(front_conn *c);

/* The connection goes to the worker's daemon for good: the request whose
 * head is at the start of in (a body, or a web UI file) and all after it
 * are relayed. -1 when no socket pair or daemon connection can be had. */
static int front_attach(front_worker *w, front_conn *c)
{
    int pair[2];
    struct epoll_event ev;

    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, pair) != 0)
        return -1;
    if (MHD_add_connection(w->daemon, pair[1], (const struct sockaddr *)&c->peer,
                           c->peer.ss_family == AF_INET6 ? sizeof(struct sockaddr_in6)
                                                         : sizeof(struct sockaddr_in)) != MHD_YES) {
        close(pair[0]);   /* libmicrohttpd closed its end */
        return -1;
    }
    c->inner = (front_end){c, pair[0], EPOLLIN, false, true, false};
    ev = (struct epoll_event){.events = EPOLLIN, .data.ptr = &c->inner};
    epoll_ctl(w->epoll, EPOLL_CTL_ADD, pair[0], &ev);
    c->relay = true;
    w->relayed++;
    return 0;
}

/* A head without a body, answered here (front.h): 0 when it was (its
 * bytes are gone from in, its answer is in out), 1 when libmicrohttpd must
 * answer it. */
static int front_direct(front_worker *w, front_conn *c, size_t end)
{
    bool close = false;
    xsirt_buf *a = &w->answer;

    if (w->front->direct == NULL ||
        w->front->direct(w->front->cls, a, &close, c->in, end, (const struct sockaddr *)&c->peer) != 0)
        return 1;
    memmove(c->in, c->in + end, c->in_len - end);
    c->in_len -= end;
    c->scan = (xsirt_edge_scan){0, 0, false};
    if (a->len <= sizeof c->out) {
        memcpy(c->out, a->data, a->len);
        c->obuf = c->out;
        c->out_len = a->len;
    } else {
        c->out_len = a->len;
        c->big = xsirt_buf_detach(a);
        c->obuf = c->big;
    }
    c->out_off = 0;
    c->began = w->now;   /* the next request's clock starts with this answer */
    if (close)
        front_server_done(c);   /* the answer goes, then the connection closes */
    return 0;
}

/* ---- judging the bytes from the client ---------------------------------- */

static void front_judge(front_worker *w, front_conn *c)
{
    xsirt_edge_frame v;

    while (c->fwd < c->in_len) {
        size_t avail = c->in_len - c->fwd, end;
        if (!c->relay && c->out_off < c->out_len) {
            c->held = true;   /* one answer at a time: judged once it is sent */
            return;
        }
        if (c->state == FRONT_OPAQUE) {
            c->fwd = c->in_len;
        } else if (c->state == FRONT_BODY) {
            size_t take = c->body_left < avail ? (size_t)c->body_left : avail;
            c->fwd += take;
            c->body_left -= take;
            if (c->body_left == 0) {
                c->state = FRONT_HEAD;
                c->scan = (xsirt_edge_scan){0, 0, false};
            }
        } else if (c->state == FRONT_HEAD) {
            end = xsirt_edge_head_end(&c->scan, c->in + c->fwd, avail);
            if (end == 0) {
                if (c->fwd == 0 && c->in_len == sizeof c->in)   /* full, and no end */
                    front_refuse(w, c, c->scan.started && c->scan.line > 0
                                 ? &(xsirt_edge_frame){431, "head_too_large",
                                                       "the request head is larger than 16 KiB",
                                                       false, 0}
                                 : &(xsirt_edge_frame){414, "uri_too_long",
                                                       "the request line is longer than 16 KiB",
                                                       false, 0});
                return;
            }
            if (xsirt_edge_frame_check(&v, c->in + c->fwd, end) != 0) {
                front_refuse(w, c, &v);
                return;
            }
            if (!c->relay) {
                if (!v.opaque && v.body == 0 && front_direct(w, c, end) == 0)
                    continue;
                if (front_attach(w, c) != 0) {
                    front_server_done(c);   /* no resources: closed, as libmicrohttpd would */
                    return;
                }
            }
            c->fwd += end;
            c->scan = (xsirt_edge_scan){0, 0, false};
            c->body_left = v.body;
            c->state = v.opaque ? FRONT_OPAQUE : v.body > 0 ? FRONT_BODY : FRONT_HEAD;
        } else {
            return;
        }
    }
}

/* ---- moving bytes ------------------------------------------------------- */

static bool front_again(void)
{
    return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
}

static bool front_reading_client(const front_conn *c)
{
    return c->client.fd >= 0 && !c->client_eof &&
           (c->state == FRONT_CLOSING ||
            (c->state != FRONT_REFUSING && c->in_len < sizeof c->in));
}

/* The server's side is finished: what is left is the rest of its answer
 * (or the refusal), then a close that drops what the client still sends. */
static void front_server_done(front_conn *c)
{
    front_close_inner(c);
    c->inner_eof = true;
    c->in_len = c->fwd = 0;   /* nothing more goes to the server */
    if (c->state != FRONT_CLOSING) {
        c->state = FRONT_CLOSING;
        c->until = time(NULL) + FRONT_LINGER_SECONDS;
    }
}

/* Bytes went to the server: once the daemon has run, its answer is
 * probably there, so it is read then without waiting for epoll. */
static void front_expect(front_conn *c)
{
    if (c->expecting)
        return;
    c->expecting = true;
    c->expect_next = c->worker->expect;
    c->worker->expect = c;
}

/* One round of every move that can be made without waiting. Returns -1
 * when the connection is finished (killed), 1 when something moved. */
static int front_move(front_worker *w, front_conn *c)
{
    ssize_t n;
    int moved = 0;

    if (front_reading_client(c) && c->client.readable) {
        size_t want = c->state == FRONT_CLOSING ? sizeof c->in : sizeof c->in - c->in_len;
        /* Closing, what the client still sends is dropped (into in, which
         * nothing reads any more): its answer must not be lost to a reset. */
        n = recv(c->client.fd, c->state == FRONT_CLOSING ? c->in : c->in + c->in_len, want, 0);
        if (n > 0 && c->state != FRONT_CLOSING) {
            c->in_len += (size_t)n;
            front_judge(w, c);
        }
        if (n == 0 || (n < 0 && !front_again()))
            c->client_eof = true;
        else if (n < 0 || (size_t)n < want)
            c->client.readable = false;   /* drained: epoll says when there is more */
        moved = 1;
    }
    if (c->fwd > 0 && c->inner.fd >= 0 && c->inner.writable) {
        n = send(c->inner.fd, c->in, c->fwd, MSG_NOSIGNAL);
        if (n > 0) {
            memmove(c->in, c->in + n, c->in_len - (size_t)n);
            c->in_len -= (size_t)n;
            c->fwd -= (size_t)n;
            front_expect(c);
        } else if (n < 0 && front_again()) {
            c->inner.writable = false;
        } else {
            c->fwd = c->in_len = 0;   /* the server closed: nothing more goes to it */
            front_server_done(c);
        }
        moved = 1;
    }
    /* Nothing more will go to the server: after a refusal (it answers what
     * came before, then closes) or when the client has stopped sending. */
    if (c->fwd == 0 && c->inner.fd >= 0 && !c->inner_shut &&
        (c->state == FRONT_REFUSING || c->client_eof)) {
        shutdown(c->inner.fd, SHUT_WR);
        c->inner_shut = true;
    }
    /* Answering here, the same moment is when the server side is done:
     * the answers before it go, then the refusal or the close. */
    if (!c->relay && c->state != FRONT_CLOSING &&
        (c->state == FRONT_REFUSING || (c->client_eof && !c->held))) {
        front_server_done(c);
        moved = 1;
    }
    if (c->out_off == c->out_len && c->inner.fd >= 0 && c->inner.readable) {
        n = recv(c->inner.fd, c->out, sizeof c->out, 0);
        if (n > 0) {
            c->obuf = c->out;
            c->out_off = 0;
            c->out_len = (size_t)n;
            if ((size_t)n < sizeof c->out)
                c->inner.readable = c->inner.gone;   /* hung up: read to its end */
        } else if (n < 0 && front_again()) {
            c->inner.readable = false;
        } else {
            front_server_done(c);
        }
        moved = 1;
    }
    if (c->out_off < c->out_len && c->client.fd >= 0 && c->client.writable) {
        n = send(c->client.fd, c->obuf + c->out_off, c->out_len - c->out_off, MSG_NOSIGNAL);
        if (n > 0) {
            c->out_off += (size_t)n;
            c->active = w->now;
            if (c->out_off == c->out_len && c->big != NULL) {
                free(c->big);
                c->big = NULL;
                c->obuf = c->out;
            }
        } else if (n < 0 && front_again()) {
            c->client.writable = false;
        } else {
            front_kill(w, c);   /* the client is gone */
            return -1;
        }
        moved = 1;
    }
    if (c->held && c->out_off == c->out_len) {
        c->held = false;   /* the answer is sent: the next head */
        front_judge(w, c);
        moved = 1;
    }
    if (c->state == FRONT_CLOSING && c->out_off == c->out_len) {
        if (c->refusal.status != 0 && !c->answered) {
            front_answer(c);
            return 1;
        }
        if (!c->client_shut) {
            shutdown(c->client.fd, SHUT_WR);
            c->client_shut = true;
        }
        if (c->client_eof) {
            front_kill(w, c);
            return -1;
        }
    }
    return moved;
}

/* Moves until nothing can move without waiting. Returns false when the
 * connection is finished. */
static bool front_step(front_worker *w, front_conn *c)
{
    int rc;

    while ((rc = front_move(w, c)) > 0)
        ;
    return rc == 0;
}

static void front_update(front_worker *w, front_conn *c)
{
    uint32_t ce = 0, ie = 0;

    if (front_reading_client(c))
        ce |= EPOLLIN;
    if (c->out_off < c->out_len)
        ce |= EPOLLOUT;
    front_watch(w, &c->client, ce);
    if (c->inner.fd < 0)
        return;
    if (c->out_off == c->out_len)
        ie |= EPOLLIN;
    if (c->fwd > 0)
        ie |= EPOLLOUT;
    front_watch(w, &c->inner, ie);
}

static void front_event(front_worker *w, front_end *e, uint32_t events)
{
    front_conn *c = e->conn;

    if (c->dead)
        return;
    if (e == &c->client && (events & (EPOLLHUP | EPOLLERR)) != 0) {
        front_kill(w, c);   /* reset or closed both ways: nobody to answer */
        return;
    }
    if ((events & (EPOLLIN | EPOLLHUP | EPOLLERR | EPOLLRDHUP)) != 0)
        e->readable = true;
    if ((events & (EPOLLOUT | EPOLLHUP | EPOLLERR)) != 0)
        e->writable = true;
    if (e == &c->inner && (events & (EPOLLHUP | EPOLLERR)) != 0) {
        /* Closed by the server: what it wrote is still to be read, when
         * the client has taken the previous bytes; until then epoll would
         * report the hang-up again and again. */
        epoll_ctl(w->epoll, EPOLL_CTL_DEL, e->fd, NULL);
        e->gone = true;
    }
    if (front_step(w, c))
        front_update(w, c);
}

/* ---- accepting ---------------------------------------------------------- */

static bool front_same_address(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
    if (a->ss_family != b->ss_family)
        return false;
    if (a->ss_family == AF_INET)
        return memcmp(&((const struct sockaddr_in *)(const void *)a)->sin_addr,
                      &((const struct sockaddr_in *)(const void *)b)->sin_addr, sizeof(struct in_addr)) == 0;
    return a->ss_family == AF_INET6 &&
           memcmp(&((const struct sockaddr_in6 *)(const void *)a)->sin6_addr,
                  &((const struct sockaddr_in6 *)(const void *)b)->sin6_addr, sizeof(struct in6_addr)) == 0;
}

/* Counts a connection from peer: false when its address already holds
 * per_address of them (0: no limit, behind a proxy whose address all
 * clients share) or the server XSIRT_LIMIT_HTTP_CONNECTIONS. */
static bool front_admit(xsirt_front *f, const struct sockaddr_storage *peer)
{
    front_address *slot = NULL;
    bool ok = false;

    pthread_mutex_lock(&f->lock);
    if (f->connections < XSIRT_LIMIT_HTTP_CONNECTIONS) {
        for (size_t i = 0; i < XSIRT_LIMIT_HTTP_CONNECTIONS; i++) {
            front_address *a = &f->addresses[i];
            if (a->count > 0 && front_same_address(&a->addr, peer)) {
                slot = a;
                break;
            }
            if (a->count == 0 && slot == NULL)
                slot = a;
        }
        if (slot != NULL && (f->per_address == 0 || slot->count < f->per_address)) {
            if (slot->count++ == 0)
                slot->addr = *peer;
            f->connections++;
            ok = true;
        }
    }
    pthread_mutex_unlock(&f->lock);
    return ok;
}

static void front_release(xsirt_front *f, const struct sockaddr_storage *peer)
{
    pthread_mutex_lock(&f->lock);
    for (size_t i = 0; i < XSIRT_LIMIT_HTTP_CONNECTIONS; i++)
        if (f->addresses[i].count > 0 && front_same_address(&f->addresses[i].addr, peer)) {
            f->addresses[i].count--;
            f->connections--;
            break;
        }
    pthread_mutex_unlock(&f->lock);
}

/* A new connection starts answered here (front_direct); it gets its
 * socket pair and libmicrohttpd connection at its first request with a
 * body or for the web UI (front_attach). */
static void front_add(front_worker *w, int fd, const struct sockaddr_storage *peer)
{
    int one = 1;
    front_conn *c;
    struct epoll_event ev;

    if (!front_admit(w->front, peer)) {
        close(fd);   /* over the per-address or total limit: turned away at once */
        return;
    }
    c = calloc(1, sizeof *c);
    if (c == NULL) {
        close(fd);
        front_release(w->front, peer);
        return;
    }
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);   /* answers go as they come */
    c->worker = w;
    c->client = (front_end){c, fd, EPOLLIN, false, true, false};
    c->inner = (front_end){c, -1, 0, false, false, false};
    c->peer = *peer;
    c->obuf = c->out;
    c->began = c->active = w->now;
    ev = (struct epoll_event){.events = EPOLLIN, .data.ptr = &c->client};
    epoll_ctl(w->epoll, EPOLL_CTL_ADD, fd, &ev);
    c->next = w->conns;
    if (w->conns != NULL)
        w->conns->prev = c;
    w->conns = c;
}

/* At most FRONT_ACCEPTS connections a turn, so that clients reconnecting
 * as fast as they are refused (over the per-address limit) cannot keep
 * the thread from the connections it serves. */
#define FRONT_ACCEPTS 2

static void front_accept(front_worker *w)
{
    for (int i = 0; i < FRONT_ACCEPTS; i++) {
        struct sockaddr_storage peer;
        socklen_t len = sizeof peer;
        int fd = accept4(w->front->listener.fd, (struct sockaddr *)&peer, &len,
                         SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0 && (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM)) {
            /* Out of descriptors: the listener would be reported ready
             * again at once, so this worker stops watching it for a
             * second (the sweep watches it again); the backlog waits. */
            epoll_ctl(w->epoll, EPOLL_CTL_DEL, w->front->listener.fd, NULL);
            w->listen_paused = true;
        }
        if (fd < 0)
            return;   /* none left (another worker took it) */
        front_add(w, fd, &peer);
    }
}

/* Connections whose server side is closed get FRONT_LINGER_SECONDS to
 * finish; a client that reads nothing does not keep one. */
static void front_sweep(front_worker *w)
{
    time_t now = w->now;
    xsirt_front *f = w->front;

    for (front_conn *c = w->conns, *next; c != NULL; c = next) {
        next = c->next;
        if (c->state == FRONT_CLOSING && now >= c->until) {
            front_kill(w, c);
        } else if (!c->relay && c->state == FRONT_HEAD) {
            /* Answered here, a connection keeps the rules libmicrohttpd's
             * keep (deadline.c, the idle timeout): a whole request within
             * request_seconds of the previous answer, and an answer taken
             * within the idle time. */
            if (c->out_off == c->out_len && now - c->began > (time_t)f->request_seconds) {
                atomic_fetch_add(&f->expired, 1);
                front_server_done(c);
            } else if (c->out_off < c->out_len && now - c->active > (time_t)XSIRT_LIMIT_HTTP_IDLE_SECONDS) {
                front_kill(w, c);
                continue;
            } else {
                continue;
            }
            if (front_step(w, c))
                front_update(w, c);
        }
    }
}

static void front_free_dead(front_worker *w)
{
    while (w->dead != NULL) {
        front_conn *c = w->dead;
        w->dead = c->next;
        free(c);
    }
}

/* One worker: its connections' relays and its libmicrohttpd daemon, run
 * from the same loop, so a request and its answer cross no thread. */
static void *front_run(void *arg)
{
    front_worker *w = arg;
    struct epoll_event events[64];
    time_t swept = time(NULL);

    while (!atomic_load(&w->front->stop)) {
        MHD_UNSIGNED_LONG_LONG mhd_ms = 1000;
        int n, timeout;
        bool daemon_busy;
        if (MHD_get_timeout(w->daemon, &mhd_ms) != MHD_YES || mhd_ms > 1000)
            mhd_ms = 1000;
        timeout = (int)mhd_ms;
        n = epoll_wait(w->epoll, events, 64, timeout);
        w->now = time(NULL);
        /* libmicrohttpd is run when it has connections, has something to
         * do (its epoll set is ready: a relay closed, say), and once a
         * second: a turn that only answered here costs no system call of
         * its. */
        daemon_busy = w->relayed > 0 || w->now != swept || mhd_ms == 0;
        for (int i = 0; i < n; i++) {
            front_end *e = events[i].data.ptr;
            if (e == &w->front->listener)
                front_accept(w);
            else if (e == &w->mhd)
                daemon_busy = true;
            else if (e->conn != NULL)
                front_event(w, e, events[i].events);
        }
        daemon_busy = daemon_busy || w->relayed > 0;
        if (daemon_busy)
            MHD_run(w->daemon);   /* requests in, answers out, timeouts */
        while (w->expect != NULL) {
            front_conn *c = w->expect;
            w->expect = c->expect_next;
            c->expecting = false;
            if (!c->dead && c->inner.fd >= 0) {
                c->inner.readable = true;
                if (front_step(w, c))
                    front_update(w, c);
            }
        }
        front_free_dead(w);
        if (w->now != swept) {
            swept = w->now;
            front_sweep(w);
            front_free_dead(w);
            if (w->listen_paused) {
                struct epoll_event ev = {.events = EPOLLIN | EPOLLEXCLUSIVE,
                                         .data.ptr = &w->front->listener};
                w->listen_paused = epoll_ctl(w->epoll, EPOLL_CTL_ADD, w->front->listener.fd, &ev) != 0;
            }
        }
    }
    return NULL;
}

/* ---- start and stop ----------------------------------------------------- */

static int front_worker_start(xsirt_front *f, front_worker *w)
{
    const union MHD_DaemonInfo *info;
    struct epoll_event ev;

    w->front = f;
    w->now = time(NULL);
    xsirt_buf_init(&w->answer, XSIRT_LIMIT_ANSWER_BYTES + XSIRT_LIMIT_HTTP_HEAD);
    w->wake = (front_end){NULL, eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC), EPOLLIN, false, false, false};
    w->mhd = (front_end){NULL, -1, EPOLLIN, false, false, false};
    w->epoll = epoll_create1(EPOLL_CLOEXEC);
    w->daemon = f->start(f->cls);
    info = w->daemon != NULL ? MHD_get_daemon_info(w->daemon, MHD_DAEMON_INFO_EPOLL_FD) : NULL;
    if (w->wake.fd < 0 || w->epoll < 0 || info == NULL)
        return -1;
    w->mhd.fd = info->epoll_fd;
    ev = (struct epoll_event){.events = EPOLLIN | EPOLLEXCLUSIVE, .data.ptr = &f->listener};
    if (epoll_ctl(w->epoll, EPOLL_CTL_ADD, f->listener.fd, &ev) != 0)
        return -1;
    ev = (struct epoll_event){.events = EPOLLIN, .data.ptr = &w->wake};
    if (epoll_ctl(w->epoll, EPOLL_CTL_ADD, w->wake.fd, &ev) != 0)
        return -1;
    ev = (struct epoll_event){.events = EPOLLIN, .data.ptr = &w->mhd};
    if (epoll_ctl(w->epoll, EPOLL_CTL_ADD, w->mhd.fd, &ev) != 0)
        return -1;
    return pthread_create(&w->thread, NULL, front_run, w) == 0 ? 0 : -1;
}

/* After the thread has stopped (or never started). */
static void front_worker_stop(front_worker *w)
{
    while (w->conns != NULL)
        front_kill(w, w->conns);
    front_free_dead(w);
    xsirt_buf_free(&w->answer);
    if (w->daemon != NULL)
        MHD_stop_daemon(w->daemon);
    if (w->wake.fd >= 0)
        close(w->wake.fd);
    if (w->epoll >= 0)
        close(w->epoll);
}

static void front_free(xsirt_front *f, unsigned started)
{
    uint64_t one = 1;

    atomic_store(&f->stop, true);
    for (unsigned i = 0; i < started; i++)
        if (write(f->workers[i].wake.fd, &one, sizeof one) < 0)
            atomic_store(&f->stop, true);   /* it wakes within a second anyway */
    for (unsigned i = 0; i < started; i++)
        pthread_join(f->workers[i].thread, NULL);
    for (unsigned i = 0; i < f->nworkers; i++)
        if (f->workers[i].front != NULL)
            front_worker_stop(&f->workers[i]);
    if (f->listener.fd >= 0)
        close(f->listener.fd);
    pthread_mutex_destroy(&f->lock);
    free(f->workers);
    free(f);
}

/* Each connection takes three descriptors (the client's socket and a
 * socket pair): the soft limit is raised towards the hard one so that
 * XSIRT_LIMIT_HTTP_CONNECTIONS fit (a systemd service starts with 1024). */
static void front_raise_descriptors(void)
{
    rlim_t want = 3 * (rlim_t)XSIRT_LIMIT_HTTP_CONNECTIONS + 256;
    struct rlimit r;

    if (getrlimit(RLIMIT_NOFILE, &r) != 0 || r.rlim_cur >= want)
        return;
    r.rlim_cur = r.rlim_max == RLIM_INFINITY || r.rlim_max >= want ? want : r.rlim_max;
    setrlimit(RLIMIT_NOFILE, &r);
}

int xsirt_front_start(xsirt_front **out, const xsirt_front_config *config, xsirt_error *err)
{
    xsirt_front *f = calloc(1, sizeof *f);
    struct sockaddr_in bound;
    socklen_t len = sizeof bound;
    int one = 1;
    unsigned started = 0;

    *out = NULL;
    if (f == NULL)
        return xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    pthread_mutex_init(&f->lock, NULL);
    f->start = config->start;
    f->direct = config->direct;
    f->cls = config->cls;
    f->request_seconds = config->request_seconds > 0 ? config->request_seconds
                                                     : XSIRT_LIMIT_HTTP_REQUEST_SECONDS;
    f->quiet = config->quiet;
    f->per_address = config->per_address;
    f->nworkers = config->threads > 0 ? config->threads : 1;
    f->workers = calloc(f->nworkers, sizeof *f->workers);
    f->listener = (front_end){NULL, socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0),
                              EPOLLIN, false, false, false};
    if (f->workers == NULL || f->listener.fd < 0 ||
        setsockopt(f->listener.fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
        bind(f->listener.fd, (const struct sockaddr *)config->addr, sizeof *config->addr) != 0 ||
        listen(f->listener.fd, SOMAXCONN) != 0 ||
        getsockname(f->listener.fd, (struct sockaddr *)&bound, &len) != 0) {
        if (f->workers == NULL) {
            if (f->listener.fd >= 0)
                close(f->listener.fd);
            free(f);
            return xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
        }
        front_free(f, 0);
        return xsirt_error_set(err, XSIRT_EIO, "cannot listen (address in use, or no permission)");
    }
    f->port = ntohs(bound.sin_port);
    front_raise_descriptors();
    for (; started < f->nworkers; started++)
        if (front_worker_start(f, &f->workers[started]) != 0)
            break;
    if (started < f->nworkers) {
        front_worker *w = &f->workers[started];
        /* the one that failed has no thread: clean it without joining */
        front_free(f, started);
        (void)w;
        return xsirt_error_set(err, XSIRT_EIO, "cannot start the server's threads");
    }
    *out = f;
    return 0;
}

uint16_t xsirt_front_port(const xsirt_front *f)
{
    return f->port;
}

unsigned long xsirt_front_refused(const xsirt_front *f)
{
    return f != NULL ? atomic_load(&f->refused) : 0;
}

unsigned long xsirt_front_expired(const xsirt_front *f)
{
    return f != NULL ? atomic_load(&f->expired) : 0;
}

void xsirt_front_stop(xsirt_front *f)
{
    if (f != NULL)
        front_free(f, f->nworkers);
}
