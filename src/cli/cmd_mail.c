/*
 * cmd_mail.c — `xsirt mail deliver`: one mail from the mail server's pipe
 * delivery (Postfix pipe(8), Exim's pipe transport, a .forward "|command")
 * filed on its case's thread or as a new report (see store/portal.h).
 *
 * Exit statuses follow sysexits(3) where a mail server reads them: 75
 * (EX_TEMPFAIL) makes it keep the mail and retry, so a database that is
 * down loses nothing.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/datadir.h"
#include "core/buf.h"
#include "mail/openpgp.h"
#include "store/portal.h"
#include "store/store.h"
#include "xsirt/limits.h"

#define MAIL_EX_TEMPFAIL 75

static int mail_run(int argc, char **argv);
static int mail_deliver(int argc, char **argv);

const xsirt_cli_command xsirt_cli_cmd_mail = {
    "mail",
    "File a mail from the mail server on its case's thread or as a new report",
    "Usage: xsirt mail deliver --data DIR [--database postgres://...] < MESSAGE\n"
    "\n"
    "Reads one RFC 5322 message on standard input (MIME through GMime). A\n"
    "message whose subject carries a party's tag [XSIRT#<case>:<token>] (or\n"
    "the header X-XSIRT-Case: <case>:<token>) goes on that party's thread of\n"
    "the case; any other becomes a new vulnerability case in the intake team\n"
    "(setting intake_team). A message that cannot be read as mail is kept\n"
    "whole on a new case marked unreadable; an OpenPGP-encrypted one is kept\n"
    "whole, marked encrypted, and decrypted with the keys of DIR/gnupg\n"
    "(GPGME) when one of them opens it. Prints one JSON object: {\"filed\":\"thread\"|\n"
    "\"intake\",\"case\",...}.\n"
    "\n"
    "Exit status: 0 filed, 2 bad usage, 75 not filed now (database down, no\n"
    "intake team, over 25 MiB): the mail server keeps the mail and retries.\n",
    mail_run,
};

static int mail_run(int argc, char **argv)
{
    static const xsirt_cli_subcommand subs[] = {{"deliver", mail_deliver}, {NULL, NULL}};

    return xsirt_cli_dispatch(&xsirt_cli_cmd_mail, subs, argc, argv);
}

/* Standard input whole, up to XSIRT_LIMIT_MAIL bytes (a NUL added after). */
static int mail_read(xsirt_buf *b)
{
    char chunk[65536];
    size_t n;

    xsirt_buf_init(b, XSIRT_LIMIT_MAIL + 1);
    while ((n = fread(chunk, 1, sizeof chunk, stdin)) > 0)
        if (xsirt_buf_append(b, chunk, n) != 0)
            return -1;
    return ferror(stdin) ? -1 : 0;
}

/* The first armoured OpenPGP message in the mail decrypted with the keys
 * of DATA/gnupg, or NULL (no such block, no home, no key that opens it:
 * then the mail is filed still encrypted, and says why on stderr). */
static char *mail_decrypt(const char *data, const char *raw)
{
    static const char begin[] = "-----BEGIN PGP MESSAGE-----", end[] = "-----END PGP MESSAGE-----";
    const char *a = strstr(raw, begin), *b = a != NULL ? strstr(a, end) : NULL;
    xsirt_openpgp_result r;
    xsirt_error err;
    char home[4096];
    bool agent;
    int n, rc;

    if (a == NULL || b == NULL || data == NULL)
        return NULL;
    n = snprintf(home, sizeof home, "%s/gnupg", data);
    if (n < 0 || (size_t)n >= sizeof home)
        return NULL;
    agent = xsirt_openpgp_agent_running(home);
    rc = xsirt_openpgp_decrypt(&r, home, a, (size_t)(b - a) + sizeof end - 1, &err);
    if (!agent)   /* the one this decryption started: no process left holding the key */
        xsirt_openpgp_stop_agent(home, NULL);
    if (rc != 0) {
        if (err.code != XSIRT_EUNSUPPORTED)
            fprintf(stderr, "xsirt: <stdin>: kept encrypted: %s\n", err.message);
        return NULL;
    }
    if (strlen(r.plain) != r.plain_len) {   /* binary content: kept as it came */
        xsirt_openpgp_result_free(&r);
        return NULL;
    }
    return r.plain;
}

static int mail_deliver(int argc, char **argv)
{
    static const struct option options[] = {
        {"data", required_argument, NULL, 'd'},
        {"database", required_argument, NULL, 'D'},
        {NULL, 0, NULL, 0},
    };
    const char *data = NULL, *database = NULL;
    char target[4096], *text, *plain;
    json_t *out = NULL;
    xsirt_error err;
    xsirt_db *db;
    xsirt_buf b;
    int c, rc;

    while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
        if (c == 'd')
            data = optarg;
        else if (c == 'D')
            database = optarg;
        else
            return xsirt_cli_usage_error(&xsirt_cli_cmd_mail, NULL);
    }
    if (optind < argc)
        return xsirt_cli_usage_error(&xsirt_cli_cmd_mail, "unexpected argument %s", argv[optind]);
    if ((rc = xsirt_datadir_target(target, sizeof target, data, database, "mail")) != 0)
        return rc;
    if (mail_read(&b) != 0) {
        fprintf(stderr, "xsirt: <stdin>: the mail is larger than %u bytes or could not be read; not "
                        "filed (the mail server keeps it)\n", XSIRT_LIMIT_MAIL);
        xsirt_buf_free(&b);
        return MAIL_EX_TEMPFAIL;
    }
    if ((rc = xsirt_store_open(&db, target, &err)) != 0) {
        xsirt_buf_free(&b);
        xsirt_cli_fail(data != NULL ? data : "database", &err);
        return MAIL_EX_TEMPFAIL;
    }
    plain = mail_decrypt(data, xsirt_buf_cstr(&b));
    rc = xsirt_mail_deliver(&out, db, xsirt_buf_cstr(&b), b.len, plain, &err);
    xsirt_db_close(db);
    xsirt_buf_free(&b);
    free(plain);
    if (rc != 0) {
        xsirt_cli_fail("<stdin>", &err);
        return MAIL_EX_TEMPFAIL;
    }
    text = json_dumps(out, JSON_COMPACT);
    puts(text != NULL ? text : "{}");
    free(text);
    json_decref(out);
    return XSIRT_EXIT_OK;
}
