/*
 * db_walbuf.c — a SQLite VFS over the default one that gathers the
 * writes to a WAL file into a few large ones (see db_walbuf.h).
 *
 * Why: SQLite writes a WAL frame as two writes, its 24-byte header and
 * its page. An SBOM upload's commit is about 2,100 frames, so 4,300
 * pwrite calls on the request's thread before its fsync: 8 ms of system
 * calls where 135 writes of 64 KiB take about 1 ms (docs/performance.md). Nothing
 * else changes: the main database, its shared memory and every other
 * file are the default VFS's own objects, opened in place.
 *
 * Why it is safe: gathered writes reach the file, in the order they were
 * asked, before anything could depend on them being there —
 * - before the WAL is synced (xSync). A commit of a connection with
 *   synchronous=FULL syncs the WAL before it publishes the commit in the
 *   WAL index, which is what lets other connections read its frames; so
 *   they read them from the file, as before (db_sqlite.c opens every
 *   connection so; the VFS is for no other);
 * - before the connection reads the WAL itself (pages of a transaction
 *   that spilled from its cache are read back), truncates it, asks its
 *   size, passes it a file control, or closes it;
 * - and before a write that does not follow the gathered ones.
 * A write inside what is gathered (SQLite rewrites a frame's checksum)
 * replaces those bytes. A process killed with writes still gathered has
 * not synced them, so their transaction was never committed: as without
 * the VFS, recovery keeps the WAL up to its last committed frame.
 */
#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "store/db_walbuf.h"

/* What one WAL file gathers before it writes: 64 KiB (16 frames), so
 * that an upload's commit is about 140 writes. No more: the default VFS
 * writes at most 128 KiB - 1 at a time (unix's seekAndWriteFd masks the
 * length with 0x1ffff and reports the rest as a full disk). Allocated at
 * the connection's first write to its WAL. Larger single writes go
 * straight through. */
#define WALBUF_BYTES ((size_t)64 << 10)

typedef struct walbuf_file {
    sqlite3_file base;       /* pMethods: walbuf_methods */
    sqlite3_file *real;      /* the default VFS's file, right after this struct */
    unsigned char *buf;      /* WALBUF_BYTES, or NULL until the first write */
    size_t len;              /* bytes gathered, for [start, start + len) */
    sqlite3_int64 start;
} walbuf_file;

static sqlite3_vfs walbuf_vfs;
static sqlite3_vfs *walbuf_real;
static pthread_once_t walbuf_once = PTHREAD_ONCE_INIT;
static atomic_uint_fast64_t walbuf_asked, walbuf_issued;

/* ---- the WAL file ------------------------------------------------------- */

static int walbuf_flush(walbuf_file *f)
{
    int rc;

    if (f->len == 0)
        return SQLITE_OK;
    rc = f->real->pMethods->xWrite(f->real, f->buf, (int)f->len, f->start);
    atomic_fetch_add(&walbuf_issued, 1);
    f->len = 0;
    return rc;
}

static int walbuf_close(sqlite3_file *p)
{
    walbuf_file *f = (walbuf_file *)p;
    int rc = walbuf_flush(f), rc2 = f->real->pMethods->xClose(f->real);

    free(f->buf);
    f->buf = NULL;
    return rc != SQLITE_OK ? rc : rc2;
}

static int walbuf_read(sqlite3_file *p, void *out, int amt, sqlite3_int64 off)
{
    walbuf_file *f = (walbuf_file *)p;
    int rc = walbuf_flush(f);

    return rc != SQLITE_OK ? rc : f->real->pMethods->xRead(f->real, out, amt, off);
}

static int walbuf_write(sqlite3_file *p, const void *data, int amt, sqlite3_int64 off)
{
    walbuf_file *f = (walbuf_file *)p;
    sqlite3_int64 end = f->start + (sqlite3_int64)f->len;
    size_t n = (size_t)amt;
    int rc;

    atomic_fetch_add(&walbuf_asked, 1);
    if (amt <= 0)
        return f->real->pMethods->xWrite(f->real, data, amt, off);
    if (f->len > 0 && off >= f->start && off + amt <= end) {
        memcpy(f->buf + (off - f->start), data, n);   /* a frame written again */
        return SQLITE_OK;
    }
    if (f->len > 0 && off == end && f->len + n <= WALBUF_BYTES) {
        memcpy(f->buf + f->len, data, n);
        f->len += n;
        return SQLITE_OK;
    }
    if ((rc = walbuf_flush(f)) != SQLITE_OK)
        return rc;
    if (n > WALBUF_BYTES / 2 || (f->buf == NULL && (f->buf = malloc(WALBUF_BYTES)) == NULL)) {
        atomic_fetch_add(&walbuf_issued, 1);
        return f->real->pMethods->xWrite(f->real, data, amt, off);
    }
    memcpy(f->buf, data, n);
    f->start = off;
    f->len = n;
    return SQLITE_OK;
}

static int walbuf_truncate(sqlite3_file *p, sqlite3_int64 size)
{
    walbuf_file *f = (walbuf_file *)p;
    int rc = walbuf_flush(f);

    return rc != SQLITE_OK ? rc : f->real->pMethods->xTruncate(f->real, size);
}

static int walbuf_sync(sqlite3_file *p, int flags)
{
    walbuf_file *f = (walbuf_file *)p;
    int rc = walbuf_flush(f);

    return rc != SQLITE_OK ? rc : f->real->pMethods->xSync(f->real, flags);
}

static int walbuf_file_size(sqlite3_file *p, sqlite3_int64 *size)
{
    walbuf_file *f = (walbuf_file *)p;
    int rc = walbuf_flush(f);

    return rc != SQLITE_OK ? rc : f->real->pMethods->xFileSize(f->real, size);
}

static int walbuf_lock(sqlite3_file *p, int level)
{
    walbuf_file *f = (walbuf_file *)p;

    return f->real->pMethods->xLock(f->real, level);
}

static int walbuf_unlock(sqlite3_file *p, int level)
{
    walbuf_file *f = (walbuf_file *)p;

    return f->real->pMethods->xUnlock(f->real, level);
}

static int walbuf_check_reserved(sqlite3_file *p, int *out)
{
    walbuf_file *f = (walbuf_file *)p;

    return f->real->pMethods->xCheckReservedLock(f->real, out);
}

/* Whatever the control (SQLITE_FCNTL_SYNC_OMITTED stands for a sync), the
 * file is as SQLite wrote it when the default VFS sees it. */
static int walbuf_file_control(sqlite3_file *p, int op, void *arg)
{
    walbuf_file *f = (walbuf_file *)p;
    int rc = walbuf_flush(f);

    return rc != SQLITE_OK ? rc : f->real->pMethods->xFileControl(f->real, op, arg);
}

static int walbuf_sector_size(sqlite3_file *p)
{
    walbuf_file *f = (walbuf_file *)p;

    return f->real->pMethods->xSectorSize(f->real);
}

static int walbuf_device(sqlite3_file *p)
{
    walbuf_file *f = (walbuf_file *)p;

    return f->real->pMethods->xDeviceCharacteristics(f->real);
}

static int walbuf_shm_map(sqlite3_file *p, int page, int size, int extend, void volatile **out)
{
    walbuf_file *f = (walbuf_file *)p;

    return f->real->pMethods->xShmMap(f->real, page, size, extend, out);
}

static int walbuf_shm_lock(sqlite3_file *p, int offset, int n, int flags)
{
    walbuf_file *f = (walbuf_file *)p;

    return f->real->pMethods->xShmLock(f->real, offset, n, flags);
}

static void walbuf_shm_barrier(sqlite3_file *p)
{
    walbuf_file *f = (walbuf_file *)p;

    f->real->pMethods->xShmBarrier(f->real);
}

static int walbuf_shm_unmap(sqlite3_file *p, int delete_flag)
{
    walbuf_file *f = (walbuf_file *)p;

    return f->real->pMethods->xShmUnmap(f->real, delete_flag);
}

/* No memory-mapped view of a WAL file (SQLite asks none): reads go
 * through walbuf_read. */
static int walbuf_fetch(sqlite3_file *p, sqlite3_int64 off, int amt, void **out)
{
    (void)p;
    (void)off;
    (void)amt;
    *out = NULL;
    return SQLITE_OK;
}

static int walbuf_unfetch(sqlite3_file *p, sqlite3_int64 off, void *ptr)
{
    (void)p;
    (void)off;
    (void)ptr;
    return SQLITE_OK;
}

static const sqlite3_io_methods walbuf_methods = {
    3,
    walbuf_close,
    walbuf_read,
    walbuf_write,
    walbuf_truncate,
    walbuf_sync,
    walbuf_file_size,
    walbuf_lock,
    walbuf_unlock,
    walbuf_check_reserved,
    walbuf_file_control,
    walbuf_sector_size,
    walbuf_device,
    walbuf_shm_map,
    walbuf_shm_lock,
    walbuf_shm_barrier,
    walbuf_shm_unmap,
    walbuf_fetch,
    walbuf_unfetch,
};

/* ---- the VFS: WAL files through walbuf_methods, the rest in place ------- */

static int walbuf_open(sqlite3_vfs *vfs, sqlite3_filename name, sqlite3_file *file, int flags,
                       int *out_flags)
{
    walbuf_file *f = (walbuf_file *)file;
    int rc;

    (void)vfs;
    /* Not a WAL: the default VFS's file itself, its methods called directly. */
    if ((flags & SQLITE_OPEN_WAL) == 0)
        return walbuf_real->xOpen(walbuf_real, name, file, flags, out_flags);
    memset(f, 0, sizeof *f);
    f->real = (sqlite3_file *)(f + 1);
    rc = walbuf_real->xOpen(walbuf_real, name, f->real, flags, out_flags);
    /* SQLite closes a file only if its methods are set. */
    f->base.pMethods = rc == SQLITE_OK && f->real->pMethods != NULL ? &walbuf_methods : NULL;
    return rc;
}

static int walbuf_delete(sqlite3_vfs *vfs, const char *name, int sync_dir)
{
    (void)vfs;
    return walbuf_real->xDelete(walbuf_real, name, sync_dir);
}

static int walbuf_access(sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
    (void)vfs;
    return walbuf_real->xAccess(walbuf_real, name, flags, out);
}

static int walbuf_full_pathname(sqlite3_vfs *vfs, const char *name, int n, char *out)
{
    (void)vfs;
    return walbuf_real->xFullPathname(walbuf_real, name, n, out);
}

static void *walbuf_dl_open(sqlite3_vfs *vfs, const char *name)
{
    (void)vfs;
    return walbuf_real->xDlOpen(walbuf_real, name);
}

static void walbuf_dl_error(sqlite3_vfs *vfs, int n, char *out)
{
    (void)vfs;
    walbuf_real->xDlError(walbuf_real, n, out);
}

static void (*walbuf_dl_sym(sqlite3_vfs *vfs, void *lib, const char *sym))(void)
{
    (void)vfs;
    return walbuf_real->xDlSym(walbuf_real, lib, sym);
}

static void walbuf_dl_close(sqlite3_vfs *vfs, void *lib)
{
    (void)vfs;
    walbuf_real->xDlClose(walbuf_real, lib);
}

static int walbuf_randomness(sqlite3_vfs *vfs, int n, char *out)
{
    (void)vfs;
    return walbuf_real->xRandomness(walbuf_real, n, out);
}

static int walbuf_sleep(sqlite3_vfs *vfs, int micros)
{
    (void)vfs;
    return walbuf_real->xSleep(walbuf_real, micros);
}

static int walbuf_current_time(sqlite3_vfs *vfs, double *out)
{
    (void)vfs;
    return walbuf_real->xCurrentTime(walbuf_real, out);
}

static int walbuf_last_error(sqlite3_vfs *vfs, int n, char *out)
{
    (void)vfs;
    return walbuf_real->xGetLastError(walbuf_real, n, out);
}

static int walbuf_current_time64(sqlite3_vfs *vfs, sqlite3_int64 *out)
{
    (void)vfs;
    return walbuf_real->xCurrentTimeInt64(walbuf_real, out);
}

static void walbuf_register(void)
{
    sqlite3_vfs *real = sqlite3_vfs_find(NULL);

    /* Version 2 at least: the default unix VFS is 3, and SQLite calls
     * nothing of version 3 (system calls) through another VFS. */
    if (real == NULL || real->iVersion < 2)
        return;
    walbuf_real = real;
    walbuf_vfs.iVersion = 2;
    walbuf_vfs.szOsFile = (int)sizeof(walbuf_file) + real->szOsFile;
    walbuf_vfs.mxPathname = real->mxPathname;
    walbuf_vfs.zName = "xsirt-walbuf";
    walbuf_vfs.xOpen = walbuf_open;
    walbuf_vfs.xDelete = walbuf_delete;
    walbuf_vfs.xAccess = walbuf_access;
    walbuf_vfs.xFullPathname = walbuf_full_pathname;
    walbuf_vfs.xDlOpen = walbuf_dl_open;
    walbuf_vfs.xDlError = walbuf_dl_error;
    walbuf_vfs.xDlSym = walbuf_dl_sym;
    walbuf_vfs.xDlClose = walbuf_dl_close;
    walbuf_vfs.xRandomness = walbuf_randomness;
    walbuf_vfs.xSleep = walbuf_sleep;
    walbuf_vfs.xCurrentTime = walbuf_current_time;
    walbuf_vfs.xGetLastError = walbuf_last_error;
    walbuf_vfs.xCurrentTimeInt64 = walbuf_current_time64;
    if (sqlite3_vfs_register(&walbuf_vfs, 0) != SQLITE_OK)
        walbuf_real = NULL;
}

const char *xsirt_db_walbuf_vfs(void)
{
    pthread_once(&walbuf_once, walbuf_register);
    return walbuf_real != NULL ? walbuf_vfs.zName : NULL;
}

void xsirt_db_walbuf_counts(uint64_t *asked, uint64_t *issued)
{
    *asked = atomic_load(&walbuf_asked);
    *issued = atomic_load(&walbuf_issued);
}
