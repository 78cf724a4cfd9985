/*
 * cmd_notify.c — `xsirt notify deliver` (send what the outbox holds, for
 * cron or after an outage) and `xsirt notify digest` (queue and send the
 * weekly digest now), against the server's data directory. A running
 * server's own worker does the same; both together send a message at
 * least once.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/datadir.h"
#include "core/str.h"
#include "mail/openpgp.h"
#include "server/notify.h"
#include "store/outbox.h"
#include "store/party_mail.h"
#include "store/store.h"

extern const xsirt_cli_command xsirt_cli_cmd_notify;

static int notify_cmd(int argc, char **argv, bool digest)
{
    static const struct option options[] = {
        {"data", required_argument, NULL, 'd'},
        {"database", required_argument, NULL, 'D'},
        {"team", required_argument, NULL, 't'},
        {NULL, 0, NULL, 0},
    };
    const char *data = NULL, *database = NULL;
    char target[4096], home[4096];
    size_t queued = 0, sent = 0, failed = 0;
    uint64_t team = 0;
    xsirt_error err;
    xsirt_db *db = NULL;
    bool agent = true;
    int c, rc;

    optind = 0;
    while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
        switch (c) {
        case 'd': data = optarg; break;
        case 'D': database = optarg; break;
        case 't':
            if (!digest || xsirt_parse_u64(&team, optarg, strlen(optarg)) != 0 || team == 0)
                return xsirt_cli_usage_error(&xsirt_cli_cmd_notify,
                                             "--team wants a team id (notify digest)");
            break;
        default: return xsirt_cli_bad_option(&xsirt_cli_cmd_notify, argc, argv);
        }
    }
    if (optind != argc || (data == NULL && database == NULL))
        return xsirt_cli_usage_error(&xsirt_cli_cmd_notify, "notify: needs --data DIR");
    if ((rc = xsirt_datadir_target(target, sizeof target, data, database, "notify")) != 0)
        return rc;
    if (xsirt_store_open(&db, target, &err) != 0)
        return xsirt_cli_fail(data != NULL ? data : "notify", &err);
    if (data != NULL) {
        snprintf(home, sizeof home, "%s/gnupg", data);
        xsirt_openpgp_init();
        agent = xsirt_openpgp_agent_running(home);
    }
    if (digest) {
        rc = xsirt_notify_digest(&queued, &sent, &failed, db, (int64_t)team,
                                 data != NULL ? home : NULL, &err);
    } else {
        /* What became overdue, and the embargo reminders due, are queued
         * before the outbox is sent. */
        rc = xsirt_outbox_overdue(&queued, db, &err);
        if (rc == 0)
            rc = xsirt_party_mail_reminders(&queued, db, &err);
        if (rc == 0)
            rc = xsirt_notify_deliver(&sent, &failed, db, data != NULL ? home : NULL, &err);
    }
    xsirt_db_close(db);
    /* Signing and encrypting mail to parties started an agent: no process
     * is left holding the key, unless one ran before (the server's). */
    if (data != NULL && !agent)
        xsirt_openpgp_stop_agent(home, NULL);
    if (rc != 0)
        return xsirt_cli_fail("notify", &err);
    if (digest)
        printf("%zu digests queued; ", queued);
    printf("%zu messages delivered, %zu failed (retried later)\n", sent, failed);
    return failed > 0 ? XSIRT_EXIT_NEGATIVE : XSIRT_EXIT_OK;
}

static int notify_deliver_cmd(int argc, char **argv)
{
    return notify_cmd(argc, argv, false);
}

static int notify_digest_cmd(int argc, char **argv)
{
    return notify_cmd(argc, argv, true);
}

static int notify_run(int argc, char **argv)
{
    static const xsirt_cli_subcommand subs[] = {
        {"deliver", notify_deliver_cmd}, {"digest", notify_digest_cmd}, {NULL, NULL}};

    return xsirt_cli_dispatch(&xsirt_cli_cmd_notify, subs, argc, argv);
}

const xsirt_cli_command xsirt_cli_cmd_notify = {
    "notify", "send notifications now: the outbox, or the weekly digest",
    "Usage: xsirt notify deliver --data DIR [--database URL]\n"
    "       xsirt notify digest --data DIR [--database URL] [--team ID]\n"
    "\n"
    "deliver  announces what became overdue and the embargo reminders due,\n"
    "         then sends every notification and mail to external parties of\n"
    "         the outbox that is due (new, or whose backoff has passed);\n"
    "         failures are retried later.\n"
    "digest   queues the weekly digest of every weekly notification rule (of\n"
    "         team ID only with --team) and sends what is due.\n"
    "\n"
    "Exit status: 0 all sent, 1 a message failed (it stays in the outbox),\n"
    "2 bad usage, 3 internal error.\n",
    notify_run};
