/*
 * cmd_key.c — `xsirt key show` and `xsirt key create`: the organisation's
 * OpenPGP key in DATA/gnupg (server/orgkey.h), for data directories made
 * before xsirt made one at init, and for an operator who replaces it.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/datadir.h"
#include "mail/openpgp.h"
#include "server/orgkey.h"
#include "store/store.h"

static int key_run(int argc, char **argv);
static int key_cmd(int argc, char **argv, bool create);

const xsirt_cli_command xsirt_cli_cmd_key = {
    "key",
    "Show or make the organisation's OpenPGP key",
    "Usage: xsirt key show --data DIR [--database URL]\n"
    "       xsirt key create --data DIR [--database URL] [--uid 'NAME <MAIL>']\n"
    "                        [--algo ed25519|rsa3072] [--replace]\n"
    "\n"
    "show prints the fingerprint the setting openpgp_key names and the public\n"
    "key (ASCII armour) from DIR/gnupg, as /.well-known/csaf/openpgp/ serves it.\n"
    "create makes the key when there is none (or DIR/gnupg lacks its secret\n"
    "key), for --uid (default: the setting openpgp_uid, else the CSAF\n"
    "publisher's name and smtp_from), with no passphrase (docs/security.md),\n"
    "and names it in openpgp_key; --replace makes a new one even when there is\n"
    "one. `xsirt serve` does the same as create at start.\n"
    "\n"
    "Exit status: 0 done, 1 no key (show), 2 bad usage, 3 error.\n",
    key_run,
};

static int key_cmd(int argc, char **argv, bool create)
{
    static const struct option options[] = {
        {"data", required_argument, NULL, 'd'},
        {"database", required_argument, NULL, 'D'},
        {"uid", required_argument, NULL, 'u'},
        {"algo", required_argument, NULL, 'a'},
        {"replace", no_argument, NULL, 'r'},
        {NULL, 0, NULL, 0},
    };
    const char *data = NULL, *database = NULL, *uid = NULL, *algo = NULL;
    char target[4096], home[4096], fpr[XSIRT_ORGKEY_FPR_MAX], *asc = NULL;
    bool replace = false, made = false;
    xsirt_error err;
    xsirt_db *db = NULL;
    int c, rc;

    optind = 0;
    while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
        switch (c) {
        case 'd': data = optarg; break;
        case 'D': database = optarg; break;
        case 'u': uid = optarg; break;
        case 'r': replace = true; break;
        case 'a':
            if (strcmp(optarg, "ed25519") != 0 && strcmp(optarg, "rsa3072") != 0)
                return xsirt_cli_usage_error(&xsirt_cli_cmd_key, "--algo is ed25519 or rsa3072");
            algo = strcmp(optarg, "ed25519") == 0 ? "future-default" : optarg;
            break;
        default: return xsirt_cli_bad_option(&xsirt_cli_cmd_key, argc, argv);
        }
    }
    if (optind != argc || data == NULL)
        return xsirt_cli_usage_error(&xsirt_cli_cmd_key, "key: needs --data DIR");
    if (!create && (uid != NULL || algo != NULL || replace))
        return xsirt_cli_usage_error(&xsirt_cli_cmd_key, "--uid, --algo and --replace are for key create");
    if ((rc = xsirt_datadir_target(target, sizeof target, data, database, "key")) != 0)
        return rc;
    snprintf(home, sizeof home, "%s/gnupg", data);
    if (xsirt_store_open(&db, target, &err) != 0)
        return xsirt_cli_fail(data, &err);
    xsirt_openpgp_init();
    if (create)
        rc = xsirt_orgkey_ensure(fpr, sizeof fpr, &made, db, home, uid, algo, replace, &err);
    else
        rc = xsirt_orgkey_fingerprint(fpr, sizeof fpr, db, &err);
    if (rc == 0)
        rc = xsirt_openpgp_export(&asc, home, fpr, &err);
    xsirt_db_close(db);
    if (create)
        xsirt_openpgp_stop_agent(home, NULL);   /* the one making or checking the key started */
    if (rc != 0) {
        int status = xsirt_cli_fail(home, &err);
        return rc == XSIRT_ENOTFOUND && !create ? XSIRT_EXIT_NEGATIVE : status;
    }
    printf("openpgp: %s%s\n%s", fpr, create ? (made ? " (made)" : " (already there)") : "", asc);
    free(asc);
    return XSIRT_EXIT_OK;
}

static int key_show(int argc, char **argv)
{
    return key_cmd(argc, argv, false);
}

static int key_create(int argc, char **argv)
{
    return key_cmd(argc, argv, true);
}

static int key_run(int argc, char **argv)
{
    static const xsirt_cli_subcommand subs[] = {{"show", key_show}, {"create", key_create}, {NULL, NULL}};

    return xsirt_cli_dispatch(&xsirt_cli_cmd_key, subs, argc, argv);
}
