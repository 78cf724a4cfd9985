/*
 * cmd_serve.c — `xsirt serve`: runs the HTTP server until SIGINT/SIGTERM.
 * The network-edge settings (TLS proxy, per-address connections, request
 * deadline) are described in docs/security.md and docs/operations.md.
 */
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/datadir.h"
#include "cli/heap.h"
#include "mail/openpgp.h"
#include "core/str.h"
#include "server/feeds.h"
#include "server/indexer.h"
#include "server/intel.h"
#include "server/notify.h"
#include "server/orgkey.h"
#include "server/server.h"
#include "xsirt/limits.h"
#include "store/feed.h"
#include "store/settings.h"
#include "store/store.h"

static int serve_run(int argc, char **argv);

const xsirt_cli_command xsirt_cli_cmd_serve = {
    "serve",
    "Run the server: JSON API, /healthz, /metrics",
    "Usage: xsirt serve --data DIR [--listen HOST:PORT] [--database postgres://...]\n"
    "\n"
    "Serves the HTTP API under /api/v1 (described at /api/v1/openapi.json),\n"
    "/healthz and /metrics. With --database, several servers may share one\n"
    "PostgreSQL database. Stops cleanly on SIGINT or SIGTERM; every answered\n"
    "change is committed before its answer is sent.\n"
    "\n"
    "Options:\n"
    "  --data DIR           the data directory made by 'xsirt init'\n"
    "  --listen HOST:PORT   address to listen on (default 127.0.0.1:8080;\n"
    "                       port 0 picks a free one and prints it)\n"
    "  --database URL       a postgres:// URL instead of SQLite in DIR\n"
    "  --threads N          worker threads (default: 2 per core)\n"
    "  --tls-proxy          behind a TLS-terminating proxy on this host: every\n"
    "                       cookie gets Secure, X-Real-IP from a loopback peer\n"
    "                       names the client (also XSIRT_TLS_PROXY=1)\n"
    "  --max-per-address N  connections one client address may hold (default\n"
    "                       64; 0: no limit)\n"
    "  --request-seconds N  time to send one whole request, head and body\n"
    "                       (default 30)\n"
    "  --index FILE         the intelligence index SBOMs are matched against\n"
    "                       (default DIR/vulns.idx, built by 'xsirt db build';\n"
    "                       a replaced file is picked up without a restart)\n"
    "  --quiet              no request log on stderr\n"
    "  --set NAME=VALUE     set an organisation setting before serving (VALUE is\n"
    "                       JSON, or else text): smtp_from, priority_rule,\n"
    "                       feed_defaults; smtp_url comes from XSIRT_SMTP_URL and\n"
    "                       smtp_from from XSIRT_SMTP_FROM too (see\n"
    "                       docs/operations.md); recorded in the audit log\n"
    "  --no-feeds           do not sync feeds when their interval has passed\n"
    "                       (cron runs 'xsirt feeds sync', or another server does)\n"
    "  --routes             print the routes and exit\n"
    "  -h, --help           show this help\n",
    serve_run,
};

static volatile sig_atomic_t serve_stop;

/* How often the feed scheduler looks for feeds due: a query of a few
 * rows; feed intervals are a minute at least. */
#define SERVE_FEED_CHECK_SECONDS 10
/* A failing resume is tried again at most this far apart (an hour: a
 * fault that lasts is for an operator to read in the log once, not every
 * ten seconds). */
#define SERVE_RESUME_BACKOFF_MAX 3600

/* --set options one command line takes: the settings are a handful. */
#define SERVE_MAX_SETS 32

/* Freed memory malloc keeps at the top of each of its heaps rather than
 * give back to the kernel (heap.h): an upload's parse, matching and
 * answer then reuse the pages the last one faulted in (the matching
 * thread's 19 ms became 8: docs/performance.md, "Portfolio"). 256 MiB:
 * more than an upload at the component limit takes
 * (XSIRT_LIMIT_SBOM_UPLOAD_COMPONENTS: 100,000 components grew the
 * server's peak by 140-170 MiB), so that its memory is kept for the next,
 * while a larger surplus (uploads near the body limit side by side) still
 * goes back. The resident size stays near its peak (docs/operations.md). */
#define SERVE_MALLOC_KEEP ((size_t)256 << 20)

static void serve_on_signal(int sig)
{
    (void)sig;
    serve_stop = 1;
}

static int serve_parse_listen(xsirt_server_config *cfg, char *host, size_t hostsz, const char *listen)
{
    const char *colon = strrchr(listen, ':');
    uint64_t port;

    if (colon == NULL || (size_t)(colon - listen) >= hostsz ||
        xsirt_parse_u64(&port, colon + 1, strlen(colon + 1)) != 0 || port > 65535)
        return xsirt_cli_usage_error(&xsirt_cli_cmd_serve, "--listen wants HOST:PORT, e.g. 127.0.0.1:8080");
    memcpy(host, listen, (size_t)(colon - listen));
    host[colon - listen] = '\0';
    cfg->host = host;
    cfg->port = (uint16_t)port;
    return 0;
}

/* --set NAME=VALUE: VALUE as JSON when it is JSON, else as text. */
static void serve_add_setting(json_t *settings, const char *arg)
{
    const char *eq = strchr(arg, '=');
    char name[64];
    json_t *v;

    snprintf(name, sizeof name, "%.*s", (int)(eq - arg), arg);
    v = json_loads(eq + 1, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, NULL);
    json_object_set_new(settings, name, v != NULL ? v : json_string(eq + 1));
}

/* The settings given to serve (and the secrets from the environment, kept
 * off the command line) are stored as the system's change, with its audit
 * record, before the first request. */
static int serve_apply_settings(const char *const *sets, size_t nsets, const char *target)
{
    static const char *const env[][2] = {{"XSIRT_SMTP_URL", "smtp_url"},
                                         {"XSIRT_SMTP_FROM", "smtp_from"}};
    xsirt_principal sys;
    xsirt_error err;
    xsirt_db *db;
    json_t *out = NULL, *settings = json_object();
    int rc;

    for (size_t i = 0; i < nsets; i++)
        serve_add_setting(settings, sets[i]);
    for (size_t i = 0; i < sizeof env / sizeof env[0]; i++)
        if (getenv(env[i][0]) != NULL && json_object_get(settings, env[i][1]) == NULL)
            json_object_set_new(settings, env[i][1], json_string(getenv(env[i][0])));
    if (json_object_size(settings) == 0) {
        json_decref(settings);
        return 0;
    }
    if ((rc = xsirt_store_open(&db, target, &err)) != 0) {
        json_decref(settings);
        return xsirt_cli_fail("serve", &err);
    }
    xsirt_principal_system(&sys);
    rc = xsirt_settings_update(&out, db, &sys, settings, &err);
    xsirt_db_close(db);
    json_decref(out);
    json_decref(settings);
    return rc != 0 ? xsirt_cli_fail("--set", &err) : 0;
}

/* The organisation's OpenPGP key, made now when the directory has none
 * (one made before keys were, or whose init could not make it), and the
 * published advisories signed that have no signature yet. A failure is
 * said and serving goes on: documents are then published unsigned. */
static void serve_openpgp(const char *target, const char *home)
{
    char fpr[XSIRT_ORGKEY_FPR_MAX];
    xsirt_error err;
    xsirt_db *db;
    size_t signed_now = 0;
    bool made = false;

    if (xsirt_store_open(&db, target, &err) != 0)
        return;   /* the server's own start says why */
    if (xsirt_orgkey_ensure(fpr, sizeof fpr, &made, db, home, NULL, NULL, false, &err) != 0)
        fprintf(stderr, "xsirt: %s: no OpenPGP key: %s\n", home, err.message);
    else if (xsirt_orgkey_sign_published(&signed_now, db, home, &err) != 0)
        fprintf(stderr, "xsirt: signing the published advisories: %s\n", err.message);
    if (made)
        fprintf(stderr, "xsirt: made the organisation's OpenPGP key %s in %s\n", fpr, home);
    if (signed_now > 0)
        fprintf(stderr, "xsirt: signed %zu published advisories\n", signed_now);
    xsirt_db_close(db);
}

/* --no-feeds: the scheduler only finishes an interrupted re-match. */
static bool serve_no_feeds;

/* Finishes a re-match a killed server left unfinished. One that fails
 * (the database away, the index unreadable) is tried again after
 * *backoff seconds, doubled at each failure up to
 * SERVE_RESUME_BACKOFF_MAX, so a lasting fault is not retried and logged
 * every few seconds. True when nothing is left to finish. */
static bool serve_resume(xsirt_db *db, unsigned *backoff, time_t *next)
{
    xsirt_error err;
    size_t resumed = 0;
    time_t now = time(NULL);

    if (now < *next)
        return false;
    if (db == NULL || xsirt_feeds_resume(&resumed, db, &err) != 0) {
        *backoff = *backoff == 0 ? SERVE_FEED_CHECK_SECONDS
                                 : (*backoff >= SERVE_RESUME_BACKOFF_MAX / 2 ? SERVE_RESUME_BACKOFF_MAX
                                                                             : *backoff * 2);
        *next = now + (time_t)*backoff;
        fprintf(stderr, "xsirt: finishing an interrupted re-match: %s (tried again in %u s)\n",
                db == NULL ? "the database did not open" : err.message, *backoff);
        return false;
    }
    if (resumed > 0)
        fprintf(stderr, "xsirt: finished %zu re-matches a stop had interrupted\n", resumed);
    *backoff = 0;
    *next = 0;
    return true;
}

/* The feed scheduler: syncs every feed whose interval has passed, one at
 * a time, on a connection of its own, until serve stops. */
static void *serve_feeds(void *target)
{
    unsigned backoff = 0;
    time_t next = 0;

    while (!serve_stop) {
        xsirt_principal sys;
        xsirt_error err;
        xsirt_db *db = NULL;
        json_t *due = NULL, *id;
        size_t i;
        bool resumed;

        xsirt_principal_system(&sys);
        if (xsirt_db_open(&db, target, &err) != 0)
            db = NULL;
        /* A re-match a killed server left unfinished is done first. */
        resumed = serve_resume(db, &backoff, &next);
        if (serve_no_feeds && resumed) {
            xsirt_db_close(db);
            break;
        }
        if (!serve_no_feeds && db != NULL && xsirt_feeds_due(&due, db, &err) == 0) {
            json_array_foreach(due, i, id) {
                json_t *r = NULL;
                if (serve_stop)
                    break;
                if (xsirt_feeds_sync(&r, db, &sys, (int64_t)json_integer_value(id), &err) != 0)
                    fprintf(stderr, "xsirt: feed %lld: %s\n", (long long)json_integer_value(id),
                            err.message);
                else if (json_object_get(r, "error") != NULL)
                    fprintf(stderr, "xsirt: feed %lld: %s\n", (long long)json_integer_value(id),
                            json_string_value(json_object_get(r, "error")));
                json_decref(r);
            }
        }
        json_decref(due);
        xsirt_db_close(db);
        for (int s = 0; s < SERVE_FEED_CHECK_SECONDS && !serve_stop; s++)
            sleep(1);
    }
    return NULL;
}

static int serve_run(int argc, char **argv)
{
    static const struct option options[] = {
        {"data", required_argument, NULL, 'd'},
        {"database", required_argument, NULL, 'D'},
        {"listen", required_argument, NULL, 'l'},
        {"threads", required_argument, NULL, 't'},
        {"quiet", no_argument, NULL, 'q'},
        {"routes", no_argument, NULL, 'r'},
        {"tls-proxy", no_argument, NULL, 'T'},
        {"max-per-address", required_argument, NULL, 'm'},
        {"request-seconds", required_argument, NULL, 'R'},
        {"index", required_argument, NULL, 'i'},
        {"set", required_argument, NULL, 's'},
        {"no-feeds", no_argument, NULL, 'n'},
        {NULL, 0, NULL, 0},
    };
    char gnupg_home[4096];
    const char *data = NULL, *database = NULL, *listen = "127.0.0.1:8080", *index = NULL;
    xsirt_server_config cfg = {0};
    const char *sets[SERVE_MAX_SETS];
    pthread_t feeds;
    bool feeds_started = false, no_feeds = false, notify_started, indexer_started;
    pthread_t notify, indexing;
    xsirt_notify_worker worker;
    xsirt_indexer indexer;
    size_t nsets = 0;
    char target[4096], host[256], index_path[4096];
    xsirt_server *server;
    struct sigaction sa;
    xsirt_error err;
    const char *env = getenv("XSIRT_TLS_PROXY");
    uint64_t threads, n;
    int c, rc;

    cfg.max_per_address = XSIRT_LIMIT_HTTP_CONNECTIONS_PER_ADDRESS;
    cfg.tls_proxy = env != NULL && strcmp(env, "1") == 0;

    while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
        switch (c) {
        case 'd': data = optarg; break;
        case 'D': database = optarg; break;
        case 'l': listen = optarg; break;
        case 'q': cfg.quiet = true; break;
        case 'i': index = optarg; break;
        case 'n': no_feeds = true; break;
        case 's':
            if (nsets == SERVE_MAX_SETS || strchr(optarg, '=') == NULL || optarg[0] == '=')
                return xsirt_cli_usage_error(&xsirt_cli_cmd_serve, "--set wants NAME=VALUE "
                                             "(at most %d times)", SERVE_MAX_SETS);
            sets[nsets++] = optarg;
            break;
        case 'r': xsirt_server_print_routes(stdout); return XSIRT_EXIT_OK;
        case 't':
            if (xsirt_parse_u64(&threads, optarg, strlen(optarg)) != 0 || threads < 1 || threads > 256)
                return xsirt_cli_usage_error(&xsirt_cli_cmd_serve, "--threads wants 1 to 256");
            cfg.threads = (unsigned)threads;
            break;
        case 'T': cfg.tls_proxy = true; break;
        case 'm':
            if (xsirt_parse_u64(&n, optarg, strlen(optarg)) != 0 || n > XSIRT_LIMIT_HTTP_CONNECTIONS)
                return xsirt_cli_usage_error(&xsirt_cli_cmd_serve, "--max-per-address wants 0 to %u",
                                             XSIRT_LIMIT_HTTP_CONNECTIONS);
            cfg.max_per_address = (unsigned)n;
            break;
        case 'R':
            if (xsirt_parse_u64(&n, optarg, strlen(optarg)) != 0 || n < 1 || n > 3600)
                return xsirt_cli_usage_error(&xsirt_cli_cmd_serve, "--request-seconds wants 1 to 3600");
            cfg.request_seconds = (unsigned)n;
            break;
        default: return xsirt_cli_bad_option(&xsirt_cli_cmd_serve, argc, argv);
        }
    }
    if (optind < argc)
        return xsirt_cli_usage_error(&xsirt_cli_cmd_serve, "serve: unexpected argument '%s'", argv[optind]);
    xsirt_cli_malloc_keep(SERVE_MALLOC_KEEP);
    if ((rc = xsirt_datadir_target(target, sizeof target, data, database, "serve")) != 0 ||
        (rc = serve_parse_listen(&cfg, host, sizeof host, listen)) != 0)
        return rc;
    cfg.database = target;
    if ((rc = serve_apply_settings(sets, nsets, target)) != 0)
        return rc;
    if (data != NULL) {
        snprintf(gnupg_home, sizeof gnupg_home, "%s/gnupg", data);
        cfg.gnupg_home = gnupg_home;
        xsirt_openpgp_init();
        serve_openpgp(target, gnupg_home);
    }
    if (index == NULL && data != NULL) {
        snprintf(index_path, sizeof index_path, "%s/vulns.idx", data);
        index = index_path;
    }
    if (index != NULL && xsirt_intel_open(index, &err) != 0)
        return xsirt_cli_fail(index, &err);
    if ((rc = xsirt_server_start(&server, &cfg, &err)) != 0)
        return xsirt_cli_fail(listen, &err);
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = serve_on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    printf("xsirt: serving http://%s:%u/ (database: %s)%s\n", host, xsirt_server_port(server),
           database != NULL ? "postgres" : target, cfg.tls_proxy ? " behind a TLS proxy" : "");
    fflush(stdout);
    /* With --no-feeds too: a re-match a killed sync left is finished. */
    serve_no_feeds = no_feeds;
    feeds_started = pthread_create(&feeds, NULL, serve_feeds, target) == 0;
    worker.target = target;
    worker.gnupg_home = cfg.gnupg_home;
    worker.stop = (volatile int *)&serve_stop;
    notify_started = pthread_create(&notify, NULL, xsirt_notify_worker_main, &worker) == 0;
    indexer.target = target;
    indexer.stop = (volatile int *)&serve_stop;
    indexer_started = pthread_create(&indexing, NULL, xsirt_indexer_main, &indexer) == 0;
    xsirt_server_run(server, (volatile int *)&serve_stop);
    if (feeds_started)
        pthread_join(feeds, NULL);
    if (notify_started)
        pthread_join(notify, NULL);
    if (indexer_started)
        pthread_join(indexing, NULL);
    xsirt_server_stop(server);
    xsirt_intel_close();
    /* The agent GPGME started for signing and decrypting holds the
     * organisation's secret key: it goes with the server. */
    if (cfg.gnupg_home != NULL && xsirt_openpgp_stop_agent(cfg.gnupg_home, &err) != 0)
        fprintf(stderr, "xsirt: %s\n", err.message);
    printf("xsirt: stopped\n");
    return XSIRT_EXIT_OK;
}
