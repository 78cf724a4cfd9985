/*
 * cmd_backup.c — `xsirt backup` and `xsirt restore`: an online copy of a
 * data directory's SQLite database, and putting one back into an empty
 * data directory after checking its audit chain (store/backup.h). Both in
 * one file: they are two halves of one procedure (docs/operations.md).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "cli/datadir.h"
#include "store/backup.h"

static int backup_run(int argc, char **argv);
static int restore_run(int argc, char **argv);

const xsirt_cli_command xsirt_cli_cmd_backup = {
    "backup",
    "Copy the database of a data directory, consistently, while it serves",
    "Usage: xsirt backup --data DIR OUT\n"
    "\n"
    "Writes a copy of DIR/xsirt.db to the new file OUT with SQLite's online\n"
    "backup API. Servers may go on writing: the copy is the database as of\n"
    "one commit, every change acknowledged before the backup began included.\n"
    "OUT is a SQLite database (mode 0600): keep it as safe as DIR. It is\n"
    "written under OUT.partial and renamed when complete; an existing OUT is\n"
    "never replaced. DIR/gnupg (the organisation's OpenPGP key) and the\n"
    "feeds' downloads are not in it (docs/operations.md). A PostgreSQL\n"
    "database is backed up with pg_dump instead.\n"
    "\n"
    "Options:\n"
    "  --data DIR    the data directory made by 'xsirt init'\n"
    "  -h, --help    show this help\n"
    "\n"
    "Exit status: 0 written, 2 bad usage or OUT exists, 3 error.\n",
    backup_run,
};

const xsirt_cli_command xsirt_cli_cmd_restore = {
    "restore",
    "Restore a backup into an empty data directory, checking its audit chain",
    "Usage: xsirt restore --data DIR IN\n"
    "\n"
    "Copies the backup IN (made by 'xsirt backup') to DIR/xsirt.db, creating\n"
    "DIR (mode 0700) if needed; DIR must not hold a database. The copy is\n"
    "upgraded to this version's schema, then its audit chain and every case\n"
    "are checked against it as 'xsirt audit verify' does. A backup whose\n"
    "chain is broken, or whose cases differ from it, is refused and nothing\n"
    "is restored. IN itself is never changed.\n"
    "\n"
    "Options:\n"
    "  --data DIR    the data directory to restore into\n"
    "  -h, --help    show this help\n"
    "\n"
    "Exit status: 0 restored, 1 the audit chain is broken (nothing restored),\n"
    "2 bad usage, IN is not a backup or DIR holds a database, 3 error.\n",
    restore_run,
};

/* Parses "--data DIR FILE" for cmd; returns 0 or the exit code. */
static int backup_args(const char **data, const char **file, const xsirt_cli_command *cmd,
                       int argc, char **argv)
{
    static const struct option options[] = {
        {"data", required_argument, NULL, 'd'},
        {NULL, 0, NULL, 0},
    };
    int c;

    *data = NULL;
    while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
        if (c == 'd')
            *data = optarg;
        else
            return xsirt_cli_bad_option(cmd, argc, argv);
    }
    if (*data == NULL)
        return xsirt_cli_usage_error(cmd, "%s needs --data DIR", cmd->name);
    if (optind + 1 != argc)
        return xsirt_cli_usage_error(cmd, "%s wants one file: xsirt %s --data DIR %s", cmd->name,
                                     cmd->name, cmd == &xsirt_cli_cmd_backup ? "OUT" : "IN");
    *file = argv[optind];
    return 0;
}

static int backup_run(int argc, char **argv)
{
    const char *data, *out;
    char db[4096];
    xsirt_error err;
    int rc;

    if ((rc = backup_args(&data, &out, &xsirt_cli_cmd_backup, argc, argv)) != 0 ||
        (rc = xsirt_datadir_target(db, sizeof db, data, NULL, "backup")) != 0)
        return rc;
    if (xsirt_backup_copy(db, out, &err) != 0)
        return xsirt_cli_fail(NULL, &err);
    printf("xsirt: backed up %s to %s\n", db, out);
    return XSIRT_EXIT_OK;
}

static int restore_run(int argc, char **argv)
{
    const char *data, *in;
    char db[4096];
    xsirt_audit_report r;
    xsirt_error err;
    int version, rc;

    if ((rc = backup_args(&data, &in, &xsirt_cli_cmd_restore, argc, argv)) != 0 ||
        (rc = xsirt_datadir_target(db, sizeof db, data, NULL, "restore")) != 0)
        return rc;
    if (mkdir(data, 0700) != 0 && errno != EEXIST) {
        fprintf(stderr, "xsirt: %s: %s\n", data, strerror(errno));
        return XSIRT_EXIT_INTERNAL;
    }
    if (xsirt_backup_restore(&r, &version, in, db, &err) != 0)
        return xsirt_cli_fail(NULL, &err);
    if (!xsirt_audit_intact(&r)) {
        if (r.bad_case != 0)
            fprintf(stderr, "xsirt: %s: refused, nothing restored: case %lld does not match the "
                            "audit chain (record %lld): %s\n",
                    in, (long long)r.bad_case, (long long)r.bad_seq, r.problem);
        else
            fprintf(stderr, "xsirt: %s: refused, nothing restored: the audit chain is broken at "
                            "record %lld: %s\n",
                    in, (long long)r.bad_seq, r.problem);
        return XSIRT_EXIT_NEGATIVE;
    }
    printf("xsirt: restored %s into %s (schema version %d); audit chain intact: %lld records, "
           "%lld cases match it\n",
           in, db, version, (long long)r.records, (long long)r.cases);
    return XSIRT_EXIT_OK;
}
