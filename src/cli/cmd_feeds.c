/*
 * cmd_feeds.c — `xsirt feeds sync`: what POST /api/v1/feeds/{id}/sync
 * does, offline, for every feed (or one): fetch, rebuild DIR/vulns.idx,
 * match every asset's current SBOM again. For cron and for tests; a
 * running server picks the new index up by itself.
 */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/datadir.h"
#include "core/str.h"
#include "server/feeds.h"
#include "server/intel.h"
#include "store/feed.h"
#include "store/store.h"

extern const xsirt_cli_command xsirt_cli_cmd_feeds;

/* Syncs one feed and prints its result; returns the exit code. */
static int feeds_sync_one(xsirt_db *db, const xsirt_principal *sys, int64_t id, bool json)
{
    json_t *r = NULL;
    xsirt_error err;
    char *text;
    const char *status;
    bool ok;

    if (xsirt_feeds_sync(&r, db, sys, id, &err) != 0)
        return xsirt_cli_fail("feeds sync", &err);
    status = json_string_value(json_object_get(r, "status"));
    ok = status != NULL && strcmp(status, "ok") == 0;
    if (json) {
        text = json_dumps(r, JSON_COMPACT | JSON_PRESERVE_ORDER);
        printf("%s\n", text != NULL ? text : "{}");
        free(text);
    } else if (ok) {
        printf("feed %lld: %lld records, %lld added, %lld changed, %lld withdrawn; %lld assets "
               "matched again in %lld ms\n", (long long)id,
               (long long)json_integer_value(json_object_get(r, "records")),
               (long long)json_integer_value(json_object_get(r, "added")),
               (long long)json_integer_value(json_object_get(r, "changed")),
               (long long)json_integer_value(json_object_get(r, "withdrawn")),
               (long long)json_integer_value(json_object_get(r, "assets")),
               (long long)json_integer_value(json_object_get(r, "duration_ms")));
    }
    if (!ok)
        fprintf(stderr, "xsirt: feed %lld: %s (the previous intelligence stays in use)\n",
                (long long)id, json_string_value(json_object_get(r, "error")));
    json_decref(r);
    return ok ? XSIRT_EXIT_OK : XSIRT_EXIT_NEGATIVE;
}

static int feeds_sync_cmd(int argc, char **argv)
{
    static const struct option options[] = {
        {"data", required_argument, NULL, 'd'},
        {"database", required_argument, NULL, 'D'},
        {"feed", required_argument, NULL, 'f'},
        {"json", no_argument, NULL, 'j'},
        {NULL, 0, NULL, 0},
    };
    const char *data = NULL, *database = NULL;
    char target[4096], index[4200];
    xsirt_principal sys;
    xsirt_error err;
    xsirt_db *db = NULL;
    json_t *all = NULL, *feed;
    uint64_t one = 0;
    bool json = false;
    size_t i;
    int c, rc, worst = XSIRT_EXIT_OK;

    optind = 0;
    while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
        switch (c) {
        case 'd': data = optarg; break;
        case 'D': database = optarg; break;
        case 'j': json = true; break;
        case 'f':
            if (xsirt_parse_u64(&one, optarg, strlen(optarg)) != 0 || one == 0)
                return xsirt_cli_usage_error(&xsirt_cli_cmd_feeds, "--feed wants a feed id");
            break;
        default: return xsirt_cli_bad_option(&xsirt_cli_cmd_feeds, argc, argv);
        }
    }
    if (optind != argc || data == NULL)
        return xsirt_cli_usage_error(&xsirt_cli_cmd_feeds, "feeds sync: needs --data DIR");
    if ((rc = xsirt_datadir_target(target, sizeof target, data, database, "feeds")) != 0)
        return rc;
    snprintf(index, sizeof index, "%s/vulns.idx", data);
    if (xsirt_intel_open(index, &err) != 0)
        return xsirt_cli_fail(index, &err);
    if (xsirt_store_open(&db, target, &err) != 0) {
        xsirt_intel_close();
        return xsirt_cli_fail(data, &err);
    }
    xsirt_principal_system(&sys);
    if (one != 0) {
        worst = feeds_sync_one(db, &sys, (int64_t)one, json);
    } else if ((rc = xsirt_feed_list(&all, db, &sys, &err)) != 0) {
        worst = xsirt_cli_fail("feeds sync", &err);
    } else {
        json_array_foreach(json_object_get(all, "items"), i, feed) {
            rc = feeds_sync_one(db, &sys, (int64_t)json_integer_value(json_object_get(feed, "id")),
                                json);
            worst = rc > worst ? rc : worst;
        }
    }
    json_decref(all);
    xsirt_db_close(db);
    xsirt_intel_close();
    return worst;
}

static int feeds_run(int argc, char **argv)
{
    static const xsirt_cli_subcommand subs[] = {{"sync", feeds_sync_cmd}, {NULL, NULL}};

    return xsirt_cli_dispatch(&xsirt_cli_cmd_feeds, subs, argc, argv);
}

const xsirt_cli_command xsirt_cli_cmd_feeds = {
    "feeds", "sync the server's intelligence feeds now, offline",
    "Usage: xsirt feeds sync --data DIR [--database URL] [--feed ID] [--json]\n"
    "\n"
    "sync    fetches every feed of the server's database (or --feed ID), rebuilds\n"
    "        DIR/vulns.idx from all of them and matches every asset's current SBOM\n"
    "        again, as POST /api/v1/feeds/{id}/sync does. A feed that fails leaves\n"
    "        the previous intelligence in use and is reported.\n"
    "\n"
    "Exit status: 0 every feed synced, 1 a feed failed (the others synced),\n"
    "2 bad usage, 3 internal error.\n",
    feeds_run};
