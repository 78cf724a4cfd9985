/*
 * cmd_init.c — `xsirt init`: creates a data directory with its database
 * and an administrator, and writes the administrator's credentials to
 * DIR/initial-credentials (mode 0600), the one place they are shown.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/datadir.h"
#include "mail/openpgp.h"
#include "server/orgkey.h"
#include "store/store.h"

static int init_run(int argc, char **argv);

const xsirt_cli_command xsirt_cli_cmd_init = {
    "init",
    "Create a data directory with its database and an administrator",
    "Usage: xsirt init --data DIR [--database postgres://...] [--openpgp-uid 'NAME <MAIL>']\n"
    "                  [--openpgp-algo ALGO]\n"
    "\n"
    "Creates DIR (mode 0700) with a SQLite database (or prepares the PostgreSQL\n"
    "database given with --database), the default workflows and escalation\n"
    "rules, and the administrator account. The administrator's initial\n"
    "password and API token are written to DIR/initial-credentials (mode 0600)\n"
    "as lines 'user: admin', 'password: ...', 'token: ...', 'token-expires: ...'.\n"
    "The token expires after 7 days; 'xsirt token rotate' issues the next one.\n"
    "It also makes the organisation's OpenPGP key in DIR/gnupg (mode 0700;\n"
    "GPGME, no passphrase: the server signs unattended, see docs/security.md),\n"
    "names it in the setting openpgp_key and prints its fingerprint; it signs\n"
    "the published advisories (.asc) and the mail to external parties.\n"
    "\n"
    "Options:\n"
    "  --data DIR         the data directory\n"
    "  --database URL     a postgres:// URL instead of SQLite in DIR\n"
    "  --openpgp-uid UID  the key's identity (default 'PSIRT <psirt@localhost>';\n"
    "                     'xsirt key create' makes another later)\n"
    "  --openpgp-algo A   ed25519 (the default: Ed25519 with a Cv25519\n"
    "                     encryption subkey) or rsa3072\n"
    "  -h, --help         show this help\n"
    "\n"
    "Exit status: 0 created, 2 bad usage or already initialised, 3 error.\n",
    init_run,
};

static int init_write_credentials(const char *data, const xsirt_store_admin *a)
{
    char path[4096];
    FILE *f;
    int fd;

    snprintf(path, sizeof path, "%s/initial-credentials", data);
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, 0600);
    if (fd < 0 || fchmod(fd, 0600) != 0 || (f = fdopen(fd, "w")) == NULL) {
        fprintf(stderr, "xsirt: %s: %s\n", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return XSIRT_EXIT_INTERNAL;
    }
    fprintf(f, "user: %s\npassword: %s\ntoken: %s\ntoken-expires: %s\n"
               "# The token stops working at token-expires. Issue the next one with\n"
               "# xsirt token rotate --data DIR (or --database URL); change the password\n"
               "# after the first login and delete this file.\n",
            a->username, a->password, a->token, a->token_expires);
    if (fclose(f) != 0) {
        fprintf(stderr, "xsirt: %s: %s\n", path, strerror(errno));
        return XSIRT_EXIT_INTERNAL;
    }
    printf("xsirt: initialised %s; the administrator's credentials are in %s\n", data, path);
    return XSIRT_EXIT_OK;
}

/* The organisation's OpenPGP key in DATA/gnupg, named in the settings
 * (an audited change by the system). A key that cannot be made (no GnuPG)
 * does not stop the directory from being made: the first serve, or
 * xsirt key create, tries again. */
static void init_openpgp(xsirt_db *db, const char *data, const char *uid, const char *algo)
{
    char home[4096], fpr[XSIRT_ORGKEY_FPR_MAX];
    xsirt_error err;
    bool made;

    snprintf(home, sizeof home, "%s/gnupg", data);
    if (xsirt_orgkey_ensure(fpr, sizeof fpr, &made, db, home, uid, algo, false, &err) == 0)
        printf("openpgp: %s\n", fpr);
    else
        fprintf(stderr, "xsirt: %s: no OpenPGP key made (xsirt key create makes it later): %s\n",
                home, err.message);
    /* Making the key started an agent for home; nothing here needs it now. */
    if (xsirt_openpgp_stop_agent(home, &err) != 0)
        fprintf(stderr, "xsirt: %s: %s\n", home, err.message);
}

static int init_run(int argc, char **argv)
{
    static const struct option options[] = {
        {"data", required_argument, NULL, 'd'},
        {"database", required_argument, NULL, 'D'},
        {"openpgp-uid", required_argument, NULL, 'k'},
        {"openpgp-algo", required_argument, NULL, 'a'},
        {NULL, 0, NULL, 0},
    };
    const char *data = NULL, *database = NULL, *uid = NULL, *algo = NULL;
    char target[4096];
    xsirt_store_admin admin;
    xsirt_error err;
    xsirt_db *db;
    int c, rc;

    while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
        if (c == 'd')
            data = optarg;
        else if (c == 'D')
            database = optarg;
        else if (c == 'k')
            uid = optarg;
        else if (c == 'a' && (strcmp(optarg, "ed25519") == 0 || strcmp(optarg, "rsa3072") == 0))
            algo = strcmp(optarg, "ed25519") == 0 ? "future-default" : optarg;
        else if (c == 'a')
            return xsirt_cli_usage_error(&xsirt_cli_cmd_init, "--openpgp-algo is ed25519 or rsa3072");
        else
            return xsirt_cli_bad_option(&xsirt_cli_cmd_init, argc, argv);
    }
    if (optind < argc)
        return xsirt_cli_usage_error(&xsirt_cli_cmd_init, "init: unexpected argument '%s'", argv[optind]);
    if (data == NULL)
        return xsirt_cli_usage_error(&xsirt_cli_cmd_init, "init needs --data DIR");
    if (uid != NULL && (strpbrk(uid, "\r\n") != NULL || strlen(uid) > 500))
        return xsirt_cli_usage_error(&xsirt_cli_cmd_init, "--openpgp-uid is one line of at most 500 bytes");
    if ((rc = xsirt_datadir_target(target, sizeof target, data, database, "init")) != 0)
        return rc;
    if (mkdir(data, 0700) != 0 && errno != EEXIST) {
        fprintf(stderr, "xsirt: %s: %s\n", data, strerror(errno));
        return XSIRT_EXIT_INTERNAL;
    }
    if ((rc = xsirt_db_open(&db, target, &err)) != 0)
        return xsirt_cli_fail(database != NULL ? "database" : target, &err);
    rc = xsirt_store_initialise(&admin, db, &err);
    if (rc == 0) {
        xsirt_openpgp_init();
        init_openpgp(db, data, uid, algo);
    }
    xsirt_db_close(db);
    if (rc != 0)
        return xsirt_cli_fail(data, &err);
    return init_write_credentials(data, &admin);
}
