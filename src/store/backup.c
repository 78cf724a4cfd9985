/*
 * backup.c — online backups of the SQLite database and restoring them
 * (see backup.h).
 *
 * The copy is sqlite3_backup_step(-1): all pages in one step, under one
 * read transaction of the source. Stepping a few pages at a time would let
 * a writer's commit in between restart the copy (or, with WAL, let it go
 * on from a snapshot that no longer exists); one step copies the snapshot
 * the read transaction pins while writers keep appending to the WAL.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/str.h"
#include "store/backup.h"
#include "store/db.h"
#include "store/schema.h"
#include "store/store.h"

/* How long the copy waits for the source's lock (a WAL checkpoint or
 * recovery); the same bound as a writer's (db_sqlite.c). */
#define BACKUP_BUSY_TIMEOUT_MS 30000

static int backup_sqlite_error(sqlite3 *h, int rc, const char *path, xsirt_error *err)
{
    int code = (rc & 0xff) == SQLITE_NOTADB || (rc & 0xff) == SQLITE_CORRUPT ? XSIRT_EINVAL : XSIRT_EIO;

    return xsirt_error_set(err, code, "%s: %s", path, h != NULL ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
}

/* fsync of path (a file or a directory). */
static int backup_sync(const char *path, int flags, xsirt_error *err)
{
    int fd = open(path, flags | O_CLOEXEC);

    if (fd < 0 || fsync(fd) != 0) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        return xsirt_error_set(err, XSIRT_EIO, "%s: %s", path, strerror(e));
    }
    close(fd);
    return 0;
}

/* The directory holding path, synced, so that a rename in it is durable. */
static int backup_sync_dir(const char *path, xsirt_error *err)
{
    char copy[4096];

    if (xsirt_strlcpy(copy, path, sizeof copy) >= sizeof copy)
        return xsirt_error_set(err, XSIRT_ELIMIT, "path too long: %s", path);
    return backup_sync(dirname(copy), O_RDONLY | O_DIRECTORY, err);
}

/* Removes a SQLite file and the journals it may have left. */
static void backup_unlink_db(const char *path)
{
    static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
    char name[4200];

    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        snprintf(name, sizeof name, "%s%s", path, suffixes[i]);
        unlink(name);
    }
}

/* Copies from into the new file tmp (mode 0600) in one step. */
static int backup_copy_into(const char *from, const char *tmp, xsirt_error *err)
{
    sqlite3 *src = NULL, *dst = NULL;
    sqlite3_backup *b;
    struct stat st;
    int rc, fd;

    /* A wrong path is bad input (exit 2), not a failure of the copy. */
    if (stat(from, &st) != 0)
        return xsirt_error_set(err, errno == ENOENT ? XSIRT_ENOTFOUND : XSIRT_EIO, "%s: %s", from,
                               strerror(errno));
    if (!S_ISREG(st.st_mode))
        return xsirt_error_set(err, XSIRT_EINVAL, "%s: not a file", from);
    fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0)
        return xsirt_error_set(err, errno == EEXIST ? XSIRT_ECONFLICT : XSIRT_EIO, "%s: %s", tmp,
                               strerror(errno));
    close(fd);
    /* The source must exist: without SQLITE_OPEN_CREATE a wrong path is
     * an error here, not an empty backup. */
    rc = sqlite3_open_v2(from, &src, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        backup_sqlite_error(src, rc, from, err);
        goto out;
    }
    sqlite3_busy_timeout(src, BACKUP_BUSY_TIMEOUT_MS);
    rc = sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        backup_sqlite_error(dst, rc, tmp, err);
        goto out;
    }
    if ((b = sqlite3_backup_init(dst, "main", src, "main")) == NULL) {
        rc = SQLITE_ERROR;
        backup_sqlite_error(dst, sqlite3_errcode(dst), tmp, err);
        goto out;
    }
    rc = sqlite3_backup_step(b, -1);
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE) {
        backup_sqlite_error(NULL, rc, from, err);
        goto out;
    }
    rc = SQLITE_OK;
out:
    sqlite3_close_v2(src);
    if (sqlite3_close_v2(dst) != SQLITE_OK && rc == SQLITE_OK)
        rc = xsirt_error_set(err, XSIRT_EIO, "%s: cannot close", tmp);
    if (rc == SQLITE_OK && backup_sync(tmp, O_RDONLY, err) != 0)
        rc = SQLITE_IOERR;
    if (rc != SQLITE_OK) {
        backup_unlink_db(tmp);
        return err != NULL && err->code != 0 ? err->code : XSIRT_EIO;
    }
    return 0;
}

/* Renames tmp to to, refusing to replace a file, and syncs the directory. */
static int backup_publish(const char *tmp, const char *to, xsirt_error *err)
{
    if (link(tmp, to) != 0) {
        int e = errno;
        backup_unlink_db(tmp);
        return xsirt_error_set(err, e == EEXIST ? XSIRT_ECONFLICT : XSIRT_EIO, "%s: %s", to,
                               strerror(e));
    }
    unlink(tmp);
    return backup_sync_dir(to, err);
}

static int backup_tmp_name(char *tmp, size_t size, const char *to, xsirt_error *err)
{
    if ((size_t)snprintf(tmp, size, "%s.partial", to) >= size)
        return xsirt_error_set(err, XSIRT_ELIMIT, "path too long: %s", to);
    return 0;
}

int xsirt_backup_copy(const char *from, const char *to, xsirt_error *err)
{
    char tmp[4096];
    struct stat st;
    int rc;

    if (lstat(to, &st) == 0)
        return xsirt_error_set(err, XSIRT_ECONFLICT, "%s exists: a backup never replaces a file", to);
    if ((rc = backup_tmp_name(tmp, sizeof tmp, to, err)) != 0 ||
        (rc = backup_copy_into(from, tmp, err)) != 0)
        return rc;
    return backup_publish(tmp, to, err);
}

/* The schema version recorded in the copy; XSIRT_EINVAL when it is no
 * xsirt database at all (a SQLite file of something else). */
static int backup_schema_version(int *version, xsirt_db *db, const char *in, xsirt_error *err)
{
    int64_t n = 0;
    int rc = xsirt_db_query_int(&n, db,
                                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' "
                                "AND name IN ('schema_migrations', 'audit_log', 'audit_head')",
                                NULL, 0, err);

    if (rc != 0)
        return rc == XSIRT_EIO ? rc : xsirt_error_set(err, XSIRT_EINVAL, "%s: not an xsirt backup", in);
    if (n != 3)
        return xsirt_error_set(err, XSIRT_EINVAL, "%s: not an xsirt backup (no audit log)", in);
    if ((rc = xsirt_db_query_int(&n, db, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
                                 NULL, 0, err)) != 0)
        return rc;
    *version = (int)n;
    return 0;
}

int xsirt_backup_restore(xsirt_audit_report *r, int *version, const char *in, const char *db_path,
                         xsirt_error *err)
{
    char tmp[4096];
    struct stat st;
    xsirt_db *db = NULL;
    int rc;

    memset(r, 0, sizeof *r);
    *version = 0;
    if (lstat(db_path, &st) == 0)
        return xsirt_error_set(err, XSIRT_ECONFLICT,
                               "%s exists: restore into an empty data directory", db_path);
    if ((rc = backup_tmp_name(tmp, sizeof tmp, db_path, err)) != 0 ||
        (rc = backup_copy_into(in, tmp, err)) != 0)
        return rc;
    /* The copy, not the backup, is upgraded and checked: the backup file
     * stays as it was whatever happens. */
    if ((rc = xsirt_db_open(&db, tmp, err)) == 0 &&
        (rc = backup_schema_version(version, db, in, err)) == 0 &&
        (rc = xsirt_schema_migrate(NULL, db, err)) == 0)
        rc = xsirt_store_verify(r, db, err);
    /* Closing checkpoints the WAL into the file and removes it, so the
     * file alone is the whole database when it is renamed. */
    xsirt_db_close(db);
    if (rc == 0 && !xsirt_audit_intact(r)) {
        backup_unlink_db(tmp);
        return 0;
    }
    if (rc == 0 && (rc = backup_sync(tmp, O_RDONLY, err)) == 0)
        return backup_publish(tmp, db_path, err);
    backup_unlink_db(tmp);
    return rc;
}
