/*
 * cmd_audit.c — `xsirt audit verify` and `xsirt audit checkpoint`.
 *
 * verify checks the audit log's hash chain (an edited, deleted, truncated
 * or damaged record), then the current rows of every case against it (a
 * case or a timeline event changed in the database behind xsirt's back).
 * The chain and its head live in the database, so someone who can write
 * the file can delete everything and start a new chain: checkpoint prints
 * the head as one line an operator keeps elsewhere, and verify
 * --checkpoint FILE finds such a rewrite (docs/security.md).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/datadir.h"
#include "store/audit.h"
#include "store/clock.h"
#include "store/store.h"

static int audit_run(int argc, char **argv);
static int audit_verify(int argc, char **argv);
static int audit_checkpoint(int argc, char **argv);

const xsirt_cli_command xsirt_cli_cmd_audit = {
    "audit",
    "Verify the audit log and the cases against it; print a checkpoint",
    "Usage: xsirt audit verify --data DIR [--database postgres://...] [--checkpoint FILE] [--json]\n"
    "       xsirt audit checkpoint --data DIR [--database postgres://...]\n"
    "\n"
    "verify walks the append-only audit log and checks that each record is\n"
    "chained to the one before it by hash and that the newest record matches\n"
    "the recorded head, so an edited, deleted, truncated or damaged record is\n"
    "found. Then it checks that every case, and every note and event of its\n"
    "timeline, is what the newest audit record of the case says, so a row\n"
    "changed in the database directly is found too. With --checkpoint FILE\n"
    "(a line printed by checkpoint earlier) the record it names must still\n"
    "be there with the same hash: a log deleted and restarted is found.\n"
    "\n"
    "checkpoint verifies the chain and prints its head as one JSON line\n"
    "{\"seq\":N,\"hash\":\"...\",\"at\":\"...\"}. Keep it outside the machine\n"
    "(run it daily; mail or print it): the database cannot vouch for itself.\n"
    "\n"
    "Exit status: 0 intact, 1 broken or tampered (the first problem is named),\n"
    "2 bad usage or an unreadable checkpoint, 3 the database could not be read.\n",
    audit_run,
};

static int audit_run(int argc, char **argv)
{
    static const xsirt_cli_subcommand subs[] = {
        {"verify", audit_verify}, {"checkpoint", audit_checkpoint}, {NULL, NULL}};

    return xsirt_cli_dispatch(&xsirt_cli_cmd_audit, subs, argc, argv);
}

typedef struct audit_args {
    const char *data, *database, *checkpoint;
    int json;
} audit_args;

static int audit_parse(audit_args *a, int argc, char **argv, bool verify)
{
    static const struct option options[] = {
        {"data", required_argument, NULL, 'd'},
        {"database", required_argument, NULL, 'D'},
        {"checkpoint", required_argument, NULL, 'c'},
        {"json", no_argument, NULL, 'j'},
        {NULL, 0, NULL, 0},
    };
    int c;

    memset(a, 0, sizeof *a);
    while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
        if (c == 'd')
            a->data = optarg;
        else if (c == 'D')
            a->database = optarg;
        else if (c == 'c' && verify)
            a->checkpoint = optarg;
        else if (c == 'j' && verify)
            a->json = 1;
        else
            return xsirt_cli_bad_option(&xsirt_cli_cmd_audit, argc, argv);
    }
    if (optind < argc)
        return xsirt_cli_usage_error(&xsirt_cli_cmd_audit, "audit: unexpected argument '%s'", argv[optind]);
    return 0;
}

static int audit_open(xsirt_db **db, const audit_args *a)
{
    char target[4096];
    xsirt_error err;
    int rc;

    if ((rc = xsirt_datadir_target(target, sizeof target, a->data, a->database, "audit")) != 0)
        return rc;
    if (xsirt_db_open(db, target, &err) != 0)
        return xsirt_cli_fail(a->data != NULL ? a->data : "database", &err);
    return 0;
}

/* Reads {"seq","hash"} from a checkpoint file. */
static int audit_read_checkpoint(int64_t *seq, char *hash, const char *path)
{
    json_error_t jerr;
    json_t *cp = json_load_file(path, JSON_DISABLE_EOF_CHECK, &jerr);
    const char *h = json_string_value(json_object_get(cp, "hash"));
    json_t *s = json_object_get(cp, "seq");

    if (cp == NULL || h == NULL || !json_is_integer(s) || strlen(h) != XSIRT_AUDIT_HASH_HEX - 1) {
        fprintf(stderr, "xsirt: %s: not a checkpoint (a line from xsirt audit checkpoint)%s%s\n", path,
                cp == NULL ? ": " : "", cp == NULL ? jerr.text : "");
        json_decref(cp);
        return XSIRT_EXIT_USAGE;
    }
    *seq = (int64_t)json_integer_value(s);
    memcpy(hash, h, XSIRT_AUDIT_HASH_HEX);
    json_decref(cp);
    return 0;
}

static int audit_verify(int argc, char **argv)
{
    char hash[XSIRT_AUDIT_HASH_HEX];
    int64_t cp_seq = 0;
    xsirt_audit_report r;
    xsirt_error err;
    audit_args a;
    xsirt_db *db;
    int rc;

    if ((rc = audit_parse(&a, argc, argv, true)) != 0)
        return rc;
    if (a.checkpoint != NULL && (rc = audit_read_checkpoint(&cp_seq, hash, a.checkpoint)) != 0)
        return rc;
    if ((rc = audit_open(&db, &a)) != 0)
        return rc;
    rc = xsirt_store_verify(&r, db, &err);
    if (rc == 0 && a.checkpoint != NULL)
        rc = xsirt_audit_check_anchor(&r, db, cp_seq, hash, &err);
    xsirt_db_close(db);
    if (rc != 0)
        return xsirt_cli_fail(a.data != NULL ? a.data : "database", &err);
    if (a.json)
        xsirt_cli_print_json(stdout, json_pack("{s:b, s:I, s:I, s:o, s:o, s:s}", "intact",
                                               xsirt_audit_intact(&r), "records", (json_int_t)r.records,
                                               "cases", (json_int_t)r.cases, "first_bad",
                                               r.bad_seq ? json_integer((json_int_t)r.bad_seq) : json_null(),
                                               "case", r.bad_case > 0 ? json_integer((json_int_t)r.bad_case)
                                                                      : json_null(),
                                               "problem", r.problem));
    else if (xsirt_audit_intact(&r))
        printf("audit chain intact: %lld records, %lld cases match it\n", (long long)r.records,
               (long long)r.cases);
    else if (r.bad_seq != 0 && r.bad_case == 0)
        printf("audit chain broken at record %lld: %s\n", (long long)r.bad_seq, r.problem);
    else
        printf("audit check failed: %s\n", r.problem);
    return xsirt_audit_intact(&r) ? XSIRT_EXIT_OK : XSIRT_EXIT_NEGATIVE;
}

static int audit_checkpoint(int argc, char **argv)
{
    char now[XSIRT_TIME_MAX];
    xsirt_audit_report r;
    xsirt_db_rows *head = NULL;
    xsirt_error err;
    audit_args a;
    xsirt_db *db;
    int rc;

    if ((rc = audit_parse(&a, argc, argv, false)) != 0)
        return rc;
    if ((rc = audit_open(&db, &a)) != 0)
        return rc;
    /* The head printed is the one verified: both from one snapshot. */
    rc = xsirt_db_begin_read(db, &err);
    if (rc == 0)
        rc = xsirt_audit_verify(&r, db, &err);
    if (rc == 0 && xsirt_audit_intact(&r))
        rc = xsirt_db_query(&head, db, "SELECT seq, hash FROM audit_head WHERE id = 1", NULL, 0, &err);
    xsirt_db_rollback(db);
    xsirt_db_close(db);
    if (rc != 0)
        return xsirt_cli_fail(a.data != NULL ? a.data : "database", &err);
    if (!xsirt_audit_intact(&r)) {
        fprintf(stderr, "xsirt: no checkpoint of a broken chain: record %lld: %s\n",
                (long long)r.bad_seq, r.problem);
        return XSIRT_EXIT_NEGATIVE;
    }
    xsirt_clock_now(now);
    xsirt_cli_print_json(stdout, json_pack("{s:I, s:s, s:s}", "seq", (json_int_t)xsirt_db_rows_int(head, 0, 0),
                                           "hash", xsirt_db_rows_text(head, 0, 1), "at", now));
    xsirt_db_rows_free(head);
    return XSIRT_EXIT_OK;
}
