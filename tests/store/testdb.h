/*
 * testdb.h — a fresh, empty database for a storage test, on the backend
 * CTest chose (env XSIRT_TEST_DB = sqlite | postgres). For PostgreSQL the
 * server is the fixture started by tests/pg/pg.sh; each test gets its own
 * database so tests can run in parallel. Header-only: test helpers.
 */
#ifndef XSIRT_TESTDB_H
#define XSIRT_TESTDB_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/db.h"
#include "store/store.h"

/* Fills target with a connection string for a new empty database named
 * after name; returns 0 or -1 (with a message on stderr). */
static inline int testdb_target(char *target, size_t n, const char *name)
{
    const char *backend = getenv("XSIRT_TEST_DB");
    const char *build = getenv("XSIRT_BUILD_DIR");

    if (backend == NULL || strcmp(backend, "sqlite") == 0) {
        char dir[] = "/tmp/xsirt-test.XXXXXX";
        if (mkdtemp(dir) == NULL)
            return -1;
        snprintf(target, n, "%s/%s.db", dir, name);
        return 0;
    }
    if (strcmp(backend, "postgres") == 0) {
        char path[4096], url[1024], sql[256];
        FILE *f;
        xsirt_db *admin;
        xsirt_error err;
        char *q;

        snprintf(path, sizeof path, "%s/pg/url", build != NULL ? build : ".");
        f = fopen(path, "r");
        if (f == NULL || fgets(url, sizeof url, f) == NULL) {
            fprintf(stderr, "testdb: no PostgreSQL fixture at %s\n", path);
            if (f != NULL)
                fclose(f);
            return -1;
        }
        fclose(f);
        url[strcspn(url, "\n")] = '\0';
        if (xsirt_db_open(&admin, url, &err) != 0) {
            fprintf(stderr, "testdb: %s\n", err.message);
            return -1;
        }
        snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS t_%s WITH (FORCE)", name);
        xsirt_db_exec_script(admin, sql, NULL);
        snprintf(sql, sizeof sql, "CREATE DATABASE t_%s", name);
        if (xsirt_db_exec_script(admin, sql, &err) != 0) {
            fprintf(stderr, "testdb: %s\n", err.message);
            xsirt_db_close(admin);
            return -1;
        }
        xsirt_db_close(admin);
        /* postgresql:///xsirt?host=... -> postgresql:///t_NAME?host=... */
        q = strchr(url, '?');
        snprintf(target, n, "postgresql:///t_%s%s", name, q != NULL ? q : "");
        return 0;
    }
    fprintf(stderr, "testdb: unknown XSIRT_TEST_DB=%s\n", backend);
    return -1;
}

/* A new database named prefix and n, opened into *db and initialised as
 * xsirt init leaves it (schema, default workflows, the first admin):
 * 0, or -1 with the reason on stderr. */
static inline int testdb_open_store(xsirt_db **db, const char *prefix, int n)
{
    char name[64], target[2048];
    xsirt_store_admin admin;
    xsirt_error err;

    snprintf(name, sizeof name, "%s%d", prefix, n);
    if (testdb_target(target, sizeof target, name) != 0)
        return -1;
    if (xsirt_db_open(db, target, &err) != 0 || xsirt_store_initialise(&admin, *db, &err) != 0) {
        fprintf(stderr, "setup: %s\n", err.message);
        return -1;
    }
    return 0;
}

#endif
