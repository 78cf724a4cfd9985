/*
 * cmd_token.c — `xsirt token rotate`: the operator's way to replace an API
 * token without the server, above all the initial administrator token that
 * `xsirt init` writes to a file and that expires after a few days.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/datadir.h"
#include "core/str.h"
#include "store/clock.h"
#include "store/store.h"
#include "store/user.h"
#include "xsirt/limits.h"

static int token_run(int argc, char **argv);
static int token_rotate(int argc, char **argv);

const xsirt_cli_command xsirt_cli_cmd_token = {
    "token",
    "Rotate an API token (the initial administrator token first of all)",
    "Usage: xsirt token rotate --data DIR [--database postgres://...]\n"
    "                          [--user NAME] [--name NAME] [--days N]\n"
    "\n"
    "Issues a new API token for the user (default: admin) named NAME (default:\n"
    "initial, the token `xsirt init` wrote to initial-credentials), valid for N\n"
    "days (default: 7), and revokes that user's other tokens of that name.\n"
    "Prints 'token: ...' and 'expires: ...'; the token is shown only here.\n"
    "The change is in the audit log (action token.rotate, actor system).\n"
    "\n"
    "Exit status: 0 rotated, 2 bad usage or no such user, 3 error.\n",
    token_run,
};

static int token_run(int argc, char **argv)
{
    static const xsirt_cli_subcommand subs[] = {{"rotate", token_rotate}, {NULL, NULL}};

    return xsirt_cli_dispatch(&xsirt_cli_cmd_token, subs, argc, argv);
}

static int token_rotate(int argc, char **argv)
{
    static const struct option options[] = {
        {"data", required_argument, NULL, 'd'},
        {"database", required_argument, NULL, 'D'},
        {"user", required_argument, NULL, 'u'},
        {"name", required_argument, NULL, 'n'},
        {"days", required_argument, NULL, 'y'},
        {NULL, 0, NULL, 0},
    };
    const char *data = NULL, *database = NULL, *user = "admin", *name = "initial";
    char target[4096], secret[XSIRT_TOKEN_MAX], expires[XSIRT_TIME_MAX];
    int days = XSIRT_LIMIT_INITIAL_TOKEN_DAYS, c, rc;
    xsirt_principal sys;
    xsirt_error err;
    xsirt_db *db;
    uint64_t v;

    while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
        if (c == 'd')
            data = optarg;
        else if (c == 'D')
            database = optarg;
        else if (c == 'u')
            user = optarg;
        else if (c == 'n')
            name = optarg;
        else if (c == 'y') {
            if (xsirt_parse_u64(&v, optarg, strlen(optarg)) != 0 || v < 1 || v > 3650)
                return xsirt_cli_usage_error(&xsirt_cli_cmd_token, "--days must be 1 to 3650");
            days = (int)v;
        } else
            return xsirt_cli_bad_option(&xsirt_cli_cmd_token, argc, argv);
    }
    if (optind < argc)
        return xsirt_cli_usage_error(&xsirt_cli_cmd_token, "token rotate: unexpected argument '%s'",
                                     argv[optind]);
    if ((rc = xsirt_datadir_target(target, sizeof target, data, database, "token")) != 0)
        return rc;
    if ((rc = xsirt_store_open(&db, target, &err)) != 0)
        return xsirt_cli_fail(data != NULL ? data : "database", &err);
    xsirt_principal_system(&sys);
    rc = xsirt_token_rotate(secret, expires, db, &sys, user, name, days, &err);
    xsirt_db_close(db);
    if (rc != 0)
        return xsirt_cli_fail(data != NULL ? data : "database", &err);
    printf("token: %s\nexpires: %s\n", secret, expires);
    return XSIRT_EXIT_OK;
}
