/*
 * schema.h — the database schema as versioned migrations.
 *
 * Migrations are applied in order, each in its own transaction, and
 * recorded in schema_migrations; several servers starting at once on one
 * PostgreSQL database serialise on an advisory lock, so each migration
 * runs exactly once. The SQL is written once for both backends, with a few
 * dialect tokens substituted per backend (see schema.c).
 */
#ifndef XSIRT_SCHEMA_H
#define XSIRT_SCHEMA_H

#include "store/db.h"

/* Brings the database up to the newest schema version; *version (may be
 * NULL) gets the version it is at afterwards. */
int xsirt_schema_migrate(int *version, xsirt_db *db, xsirt_error *err);

/* The same, stopping after version target (1 to the newest): the upgrade
 * tests make a database as an earlier release left it. A database already
 * past target stays as it is. */
int xsirt_schema_migrate_to(int *version, xsirt_db *db, int target, xsirt_error *err);

/* The newest version this build knows. */
int xsirt_schema_latest(void);

#endif
