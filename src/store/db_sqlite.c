/*
 * db_sqlite.c — the SQLite driver of db.h.
 *
 * Durability: WAL journal with synchronous=FULL, so a transaction that
 * COMMIT acknowledged survives a kill of the process and a power cut.
 * Concurrency: one writer at a time (BEGIN IMMEDIATE in db.c) with a busy
 * timeout, so concurrent writers of one server queue instead of failing.
 */
#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/db_backend.h"
#include "store/db_walbuf.h"

/* How long a writer waits for another writer before giving up. */
#define SQLITE_BUSY_TIMEOUT_MS 30000

/* Prepared statements kept per connection. The storage layer runs a few
 * dozen distinct statements; preparing one costs about as much as running
 * it, so a request that runs six of them halves its time with the cache. */
#define SQLITE_CACHE 64

typedef struct sqlite_cached {
    char *sql;              /* the text, owned; NULL for an empty slot */
    uintptr_t src;          /* address of the caller's text it was last found for
                             * (an address only: that text may be gone) */
    uint64_t hash;
    uint64_t used;          /* tick of last use, for LRU eviction */
    sqlite3_stmt *st;
} sqlite_cached;

typedef struct sqlite_conn {
    sqlite3 *h;
    uint64_t tick;
    sqlite_cached cache[SQLITE_CACHE];
} sqlite_conn;

static uint64_t sqlite_hash(const char *s)
{
    uint64_t h = 14695981039346656037ull;   /* FNV-1a */

    for (; *s != '\0'; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static sqlite3_stmt *sqlite_hit(sqlite_conn *c, sqlite_cached *e, const char *sql)
{
    e->used = c->tick;
    e->src = (uintptr_t)sql;
    sqlite3_clear_bindings(e->st);
    return e->st;
}

/* A reset statement for sql, from the cache or freshly prepared into it.
 * Most statements are constant strings: one found again at the same
 * address is compared (strcmp, fast) but not hashed (a byte at a time, a
 * twentieth of a read of a case for its two long statements). */
static int sqlite_statement(sqlite3_stmt **out, sqlite_conn *c, const char *sql)
{
    uint64_t hash;
    sqlite_cached *victim = &c->cache[0];
    size_t len;
    int rc;

    c->tick++;
    for (size_t i = 0; i < SQLITE_CACHE; i++)
        if (c->cache[i].src == (uintptr_t)sql && c->cache[i].sql != NULL && strcmp(c->cache[i].sql, sql) == 0) {
            *out = sqlite_hit(c, &c->cache[i], sql);
            return SQLITE_OK;
        }
    hash = sqlite_hash(sql);
    for (size_t i = 0; i < SQLITE_CACHE; i++) {
        sqlite_cached *e = &c->cache[i];
        if (e->sql != NULL && e->hash == hash && strcmp(e->sql, sql) == 0) {
            *out = sqlite_hit(c, e, sql);
            return SQLITE_OK;
        }
        if (e->sql == NULL || (victim->sql != NULL && e->used < victim->used))
            victim = e;
    }
    if ((rc = sqlite3_prepare_v3(c->h, sql, -1, SQLITE_PREPARE_PERSISTENT, out, NULL)) != SQLITE_OK)
        return rc;
    len = strlen(sql);
    sqlite3_finalize(victim->st);
    free(victim->sql);
    victim->st = NULL;
    victim->sql = malloc(len + 1);
    if (victim->sql != NULL) {           /* without memory, it just is not cached */
        memcpy(victim->sql, sql, len + 1);
        victim->hash = hash;
        victim->src = (uintptr_t)sql;
        victim->used = c->tick;
        victim->st = *out;
    }
    return SQLITE_OK;
}

/* Done with a statement: reset it (releasing its locks), and finalize it if
 * it could not be cached. */
static void sqlite_release(sqlite_conn *c, sqlite3_stmt *st)
{
    for (size_t i = 0; i < SQLITE_CACHE; i++)
        if (c->cache[i].st == st) {
            sqlite3_reset(st);
            return;
        }
    sqlite3_finalize(st);
}

static int sqlite_error(sqlite3 *h, int rc, const char *what, xsirt_error *err)
{
    int code = XSIRT_EINTERNAL;

    switch (rc & 0xff) {
    case SQLITE_CONSTRAINT: code = XSIRT_ECONFLICT; break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED: code = XSIRT_ECONFLICT; break;
    case SQLITE_NOMEM: code = XSIRT_ENOMEM; break;
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN: code = XSIRT_EIO; break;
    default: break;
    }
    return xsirt_error_set(err, code, "sqlite: %s: %s", what,
                           h != NULL ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
}

static int sqlite_exec_script(xsirt_db *db, const char *sql, xsirt_error *err)
{
    sqlite_conn *c = db->handle;
    char *msg = NULL;
    int rc = sqlite3_exec(c->h, sql, NULL, NULL, &msg);

    if (rc != SQLITE_OK) {
        xsirt_error_set(err, XSIRT_EINTERNAL, "sqlite: %s", msg != NULL ? msg : sqlite3_errstr(rc));
        sqlite3_free(msg);
        return err != NULL ? err->code : XSIRT_EINTERNAL;
    }
    return 0;
}

static int sqlite_bind(sqlite3_stmt *st, const xsirt_db_value *params, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int rc, idx = (int)i + 1;
        switch (params[i].type) {
        case XSIRT_DB_INT: rc = sqlite3_bind_int64(st, idx, params[i].i); break;
        case XSIRT_DB_TEXT: rc = sqlite3_bind_text(st, idx, params[i].s, -1, SQLITE_STATIC); break;
        default: rc = sqlite3_bind_null(st, idx); break;
        }
        if (rc != SQLITE_OK)
            return rc;
    }
    return SQLITE_OK;
}

/* v in decimal at the end of d (24 bytes); returns where it starts. */
static const char *sqlite_int_text(char *d, sqlite3_int64 v)
{
    char *p = d + 23;
    unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;

    *p = '\0';
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u != 0);
    if (v < 0)
        *--p = '-';
    return p;
}

static int sqlite_collect(sqlite3_stmt *st, xsirt_db_rows *rows, xsirt_error *err)
{
    size_t ncols = (size_t)sqlite3_column_count(st);
    const char *cells[256];
    char digits[256][24];

    if (ncols > sizeof cells / sizeof cells[0])
        return xsirt_error_set(err, XSIRT_EINTERNAL, "query has more than 256 columns");
    if (rows->names == NULL) {
        const char *names[256];
        for (size_t c = 0; c < ncols; c++)
            names[c] = sqlite3_column_name(st, (int)c);
        if (xsirt_db_rows_set_names(rows, ncols, names, err) != 0)
            return err != NULL ? err->code : XSIRT_ENOMEM;
    }
    for (size_t c = 0; c < ncols; c++) {
        /* An integer is written here as SQLite would write it ("%lld"):
         * asked for its text, SQLite allocates a copy in the cell and
         * frees it when the statement is reset, about 40 allocations a
         * read of a case (docs/performance.md). */
        if (sqlite3_column_type(st, (int)c) == SQLITE_INTEGER)
            cells[c] = sqlite_int_text(digits[c], sqlite3_column_int64(st, (int)c));
        else
            cells[c] = (const char *)sqlite3_column_text(st, (int)c);
    }
    return xsirt_db_rows_add(rows, cells, err);
}

static int sqlite_run(xsirt_db *db, const char *sql, const xsirt_db_value *params,
                      size_t nparams, xsirt_db_rows *rows, int64_t *changes, xsirt_error *err)
{
    sqlite_conn *c = db->handle;
    sqlite3 *h = c->h;
    sqlite3_stmt *st = NULL;
    int rc, code = 0;

    if ((rc = sqlite_statement(&st, c, sql)) != SQLITE_OK)
        return sqlite_error(h, rc, "prepare", err);
    if ((size_t)sqlite3_bind_parameter_count(st) != nparams)
        code = xsirt_error_set(err, XSIRT_EINTERNAL, "sqlite: %d parameters expected, %zu given",
                               sqlite3_bind_parameter_count(st), nparams);
    else if ((rc = sqlite_bind(st, params, nparams)) != SQLITE_OK)
        code = sqlite_error(h, rc, "bind", err);
    while (code == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW)
        if (rows != NULL && sqlite_collect(st, rows, err) != 0)
            code = err != NULL ? err->code : XSIRT_ENOMEM;
    if (code == 0 && rc != SQLITE_DONE)
        code = sqlite_error(h, rc, "step", err);
    if (code == 0 && rows != NULL && rows->names == NULL) {
        const char *names[256];
        size_t ncols = (size_t)sqlite3_column_count(st);
        for (size_t i = 0; i < ncols && i < 256; i++)
            names[i] = sqlite3_column_name(st, (int)i);
        if (xsirt_db_rows_set_names(rows, ncols < 256 ? ncols : 256, names, err) != 0)
            code = XSIRT_ENOMEM;
    }
    if (code == 0 && changes != NULL)
        *changes = sqlite3_changes64(h);
    sqlite_release(c, st);
    return code;
}

static void sqlite_close(xsirt_db *db)
{
    sqlite_conn *c = db->handle;

    /* The planner's statistics, as SQLite recommends for connections that
     * close: ANALYZE of the tables this connection's queries used whose
     * statistics are missing or stale (row count changed tenfold), each
     * read on at most about 400 rows per index (SQLite >= 3.32), a few ms
     * the first time on 300,000 components, then nothing until the table
     * grows. Without them the planner guesses, and chose the sbom_id
     * index over the covering name_key one for the scan's component
     * query (docs/performance.md). It is best effort: it does not wait
     * for a writer (another process's or this one's); the next close
     * tries again. */
    sqlite3_busy_timeout(c->h, 0);
    sqlite3_exec(c->h, "PRAGMA analysis_limit=400; PRAGMA optimize;", NULL, NULL, NULL);
    for (size_t i = 0; i < SQLITE_CACHE; i++) {
        sqlite3_finalize(c->cache[i].st);
        free(c->cache[i].sql);
    }
    sqlite3_close_v2(c->h);
    free(c);
}

/* A file does not go away like a server: a SQLite connection stays good. */
static bool sqlite_broken(const xsirt_db *db)
{
    (void)db;
    return false;
}

static const xsirt_db_driver sqlite_driver = {
    XSIRT_DB_SQLITE, sqlite_exec_script, sqlite_run, sqlite_close, sqlite_broken,
};

/* SQLite's memory statistics (sqlite3_memory_used, never read here) take
 * a global mutex on every allocation and free: a tenth of a read's
 * instructions, and a lock all worker threads meet. Off before SQLite is
 * initialised (sqlite3_config refuses it later, which is harmless). */
/* And no bulk allocation of pages for each new page cache
 * (SQLITE_CONFIG_PAGECACHE with no buffer and 0 pages): every temporary
 * table a statement builds (a team member's case read, through the TLP
 * rule's recursive CTE, builds about ten) opens a pager of its own, which
 * by default allocates 20 pages (about 80 KiB) at once. A worker thread's
 * malloc arena hands that back and takes it from the kernel again on each
 * read: 1.1-1.8 ms of page faults a member's read under wrk, where the
 * read's instructions (callgrind does not count the kernel) were 60 us'
 * worth (docs/performance.md). Pages are then allocated one at a time, as
 * a cache needs them. */
static pthread_once_t sqlite_once = PTHREAD_ONCE_INIT;

static void sqlite_configure(void)
{
    (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    (void)sqlite3_config(SQLITE_CONFIG_PAGECACHE, NULL, 0, 0);
    (void)sqlite3_initialize();
}

/* ---- WAL checkpoints on a thread of their own (db.h) ------------------- */

/* SQLite's default: its autocheckpoint runs on a commit that leaves the
 * WAL at this many pages or more. */
#define SQLITE_WAL_PAGES 1000

struct xsirt_db_checkpointer {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pthread_t thread;
    bool pending, stop;          /* under mu */
    xsirt_db_checkpoint_stats stats;   /* under mu */
    xsirt_db *db;                /* the thread's own connection */
};

static void sqlite_checkpointer_count(xsirt_db_checkpointer *cp, uint64_t *counter, bool wake)
{
    pthread_mutex_lock(&cp->mu);
    (*counter)++;
    if (wake) {
        cp->pending = true;
        pthread_cond_signal(&cp->cv);
    }
    pthread_mutex_unlock(&cp->mu);
}

/* Called by SQLite on the committing thread, once the commit is durable
 * and its locks released; it replaces the connection's autocheckpoint. */
static int sqlite_wal_hook(void *arg, sqlite3 *h, const char *name, int pages)
{
    xsirt_db_checkpointer *cp = arg;

    if (pages >= XSIRT_DB_WAL_BOUND_PAGES) {
        /* Behind (or old snapshots kept it from restarting): bound the
         * WAL here, as the autocheckpoint would have. */
        (void)sqlite3_wal_checkpoint_v2(h, name, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
        sqlite_checkpointer_count(cp, &cp->stats.inline_runs, false);
    } else if (pages >= SQLITE_WAL_PAGES) {
        sqlite_checkpointer_count(cp, &cp->stats.wakes, true);
    }
    return SQLITE_OK;
}

static void *sqlite_checkpointer_main(void *arg)
{
    xsirt_db_checkpointer *cp = arg;
    sqlite3 *h = ((sqlite_conn *)cp->db->handle)->h;
    bool stop = false;

    pthread_mutex_lock(&cp->mu);
    while (!stop) {
        while (!cp->pending && !cp->stop)
            pthread_cond_wait(&cp->cv, &cp->mu);
        stop = cp->stop;      /* the last run is the shutdown's checkpoint */
        cp->pending = false;
        pthread_mutex_unlock(&cp->mu);
        /* PASSIVE: copies what no reader still needs, waits for no one;
         * a writer keeps appending meanwhile. */
        (void)sqlite3_wal_checkpoint_v2(h, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
        pthread_mutex_lock(&cp->mu);
        cp->stats.runs++;
    }
    pthread_mutex_unlock(&cp->mu);
    return NULL;
}

int xsirt_db_checkpointer_start(xsirt_db_checkpointer **out, const char *target, xsirt_error *err)
{
    xsirt_db_checkpointer *cp;
    int rc;

    *out = NULL;
    if (target != NULL && xsirt_db_target_postgres(target))
        return 0;   /* its server checkpoints; no connection opened to find out */
    if ((cp = calloc(1, sizeof *cp)) == NULL)
        return xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    if ((rc = xsirt_db_open(&cp->db, target, err)) != 0) {
        free(cp);
        return rc;
    }
    pthread_mutex_init(&cp->mu, NULL);
    pthread_cond_init(&cp->cv, NULL);
    if (pthread_create(&cp->thread, NULL, sqlite_checkpointer_main, cp) != 0) {
        pthread_cond_destroy(&cp->cv);
        pthread_mutex_destroy(&cp->mu);
        xsirt_db_close(cp->db);
        free(cp);
        return xsirt_error_set(err, XSIRT_EINTERNAL, "cannot start the WAL checkpointer");
    }
    *out = cp;
    return 0;
}

void xsirt_db_checkpoint_by(xsirt_db *db, xsirt_db_checkpointer *cp)
{
    if (cp != NULL && db != NULL && xsirt_db_backend_of(db) == XSIRT_DB_SQLITE)
        sqlite3_wal_hook(((sqlite_conn *)db->handle)->h, sqlite_wal_hook, cp);
}

void xsirt_db_checkpointer_stats(xsirt_db_checkpoint_stats *out, xsirt_db_checkpointer *cp)
{
    pthread_mutex_lock(&cp->mu);
    *out = cp->stats;
    pthread_mutex_unlock(&cp->mu);
}

void xsirt_db_checkpointer_stop(xsirt_db_checkpointer *cp)
{
    if (cp == NULL)
        return;
    pthread_mutex_lock(&cp->mu);
    cp->stop = true;
    pthread_cond_signal(&cp->cv);
    pthread_mutex_unlock(&cp->mu);
    pthread_join(cp->thread, NULL);
    pthread_cond_destroy(&cp->cv);
    pthread_mutex_destroy(&cp->mu);
    xsirt_db_close(cp->db);
    free(cp);
}

int xsirt_db_sqlite_open(xsirt_db *db, const char *path, xsirt_error *err)
{
    sqlite_conn *c;
    sqlite3 *h = NULL;
    int rc, fd;

    pthread_once(&sqlite_once, sqlite_configure);

    /* The database holds every case, and SQLite gives its -wal and -shm
     * files the database file's mode: create it 0600 whatever the umask. */
    if (strcmp(path, ":memory:") != 0 && strncmp(path, "file:", 5) != 0 &&
        (fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600)) >= 0) {
        if (fchmod(fd, 0600) != 0) {
            close(fd);
            return xsirt_error_set(err, XSIRT_EIO, "cannot restrict %s to its owner", path);
        }
        close(fd);
    }
    /* Through the VFS that gathers WAL writes (db_walbuf.c): its safety
     * rests on synchronous=FULL, set below for every connection. */
    rc = sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                         xsirt_db_walbuf_vfs());
    if (rc != SQLITE_OK) {
        xsirt_error_set(err, XSIRT_EIO, "sqlite: cannot open %s: %s", path,
                        h != NULL ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
        sqlite3_close_v2(h);
        return XSIRT_EIO;
    }
    sqlite3_busy_timeout(h, SQLITE_BUSY_TIMEOUT_MS);
    sqlite3_extended_result_codes(h, 1);
    if ((c = calloc(1, sizeof *c)) == NULL) {
        sqlite3_close_v2(h);
        return xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    }
    c->h = h;
    db->driver = &sqlite_driver;
    db->handle = c;
    /* synchronous=FULL: a commit syncs the WAL before other connections
     * may read it, which is also when db_walbuf.c writes what it gathered.
     * Never lower on a connection opened here. */
    rc = sqlite_exec_script(db, "PRAGMA journal_mode=WAL;"
                                "PRAGMA synchronous=FULL;"
                                "PRAGMA foreign_keys=ON;", err);
    if (rc != 0) {
        sqlite_close(db);
        return rc;
    }
    return 0;
}
