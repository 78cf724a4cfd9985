/*
 * backup.h — online backups of the embedded database, and restoring one.
 *
 * A backup is a copy of the SQLite database made with SQLite's online
 * backup API while servers keep writing: the copy is one read transaction,
 * so it is the database as of one commit (WAL lets writers go on during
 * it), never a mix. It is written to a temporary name, synced and renamed,
 * so a file at the backup's name is always a whole backup.
 *
 * Restoring copies a backup into an empty data directory the same way,
 * brings its schema to this build's (an older backup is upgraded) and
 * checks the audit chain and every case against it before the copy takes
 * the database's name: a backup whose chain is broken is refused and
 * leaves nothing behind. PostgreSQL has pg_dump and pg_restore
 * (docs/operations.md).
 */
#ifndef XSIRT_BACKUP_H
#define XSIRT_BACKUP_H

#include "store/audit.h"
#include "xsirt/error.h"

/* Copies the SQLite database at from to the new file to (which must not
 * exist: XSIRT_ECONFLICT), consistently while from is in use. */
int xsirt_backup_copy(const char *from, const char *to, xsirt_error *err);

/* Restores the backup in into the database file db_path (which must not
 * exist). r gets the audit check of what was restored; when the chain or
 * a case does not verify, nothing is restored and the call still returns
 * 0: the caller tells the two apart with xsirt_audit_intact(r). *version
 * gets the schema version the backup had before it was upgraded. */
int xsirt_backup_restore(xsirt_audit_report *r, int *version, const char *in, const char *db_path,
                         xsirt_error *err);

#endif
