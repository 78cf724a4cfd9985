/*
 * db_walbuf.h — a SQLite VFS that gathers the writes to a WAL file into
 * a few large ones (internal to src/store/db*.c; see db_walbuf.c).
 */
#ifndef XSIRT_DB_WALBUF_H
#define XSIRT_DB_WALBUF_H

#include <stdint.h>

/* The name of the VFS, registered (not as the default) on the first call;
 * NULL if SQLite has no default VFS to build it on. Only for connections
 * whose every commit syncs the WAL (synchronous=FULL): the sync is where
 * the gathered writes reach the file, before the commit is visible. */
const char *xsirt_db_walbuf_vfs(void);

/* Since the process started: the writes SQLite asked of WAL files opened
 * through the VFS, and the writes that reached the files (tests). */
void xsirt_db_walbuf_counts(uint64_t *asked, uint64_t *issued);

#endif
