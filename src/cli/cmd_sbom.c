/*
 * cmd_sbom.c — `xsirt sbom upload`: pushes an SBOM to a server's asset, so
 * a CI pipeline registers the SBOM of every build (the server matches it
 * at once and answers with the number of findings).
 *
 * The token comes from the environment (XSIRT_TOKEN), never from the
 * command line, where other users of the machine could read it. The
 * server's JSON error is shown as it is: it names the place in the SBOM.
 */
#include <curl/curl.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/match_io.h"
#include "core/buf.h"
#include "core/str.h"
#include "xsirt/limits.h"

extern const xsirt_cli_command xsirt_cli_cmd_sbom;

/* The answer to an upload is a small JSON object; a larger one is not
 * from an xsirt server. */
#define SBOM_ANSWER_MAX (1024u * 1024u)
/* Reaching the server; the upload itself may take as long as matching a
 * large SBOM does. */
#define SBOM_CONNECT_SECONDS 30L
#define SBOM_TOTAL_SECONDS 1800L

static size_t sbom_collect(char *data, size_t size, size_t n, void *ctx)
{
    size_t bytes = size * n;

    return xsirt_buf_append(ctx, data, bytes) == 0 ? bytes : 0;
}

/* POSTs body to url with the token; *status and answer get the reply.
 * Returns 0, or non-zero after printing why the request failed. */
static int sbom_post(long *status, xsirt_buf *answer, const char *url, const char *token,
                     const char *body, size_t len)
{
    struct curl_slist *headers = NULL;
    char auth[1024], errbuf[CURL_ERROR_SIZE] = "";
    CURLcode rc;
    CURL *curl;

    snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
    if ((curl = curl_easy_init()) == NULL) {
        fprintf(stderr, "xsirt: sbom upload: cannot start libcurl\n");
        return XSIRT_EXIT_INTERNAL;
    }
    headers = curl_slist_append(headers, auth);
    headers = curl_slist_append(headers, "Content-Type: application/octet-stream");
    headers = curl_slist_append(headers, "Expect:");
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, sbom_collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, answer);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, SBOM_CONNECT_SECONDS);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, SBOM_TOTAL_SECONDS);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    rc = curl_easy_perform(curl);
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, status);
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    if (rc != CURLE_OK) {
        fprintf(stderr, "xsirt: sbom upload: %s: %s\n", url,
                errbuf[0] != '\0' ? errbuf : curl_easy_strerror(rc));
        return XSIRT_EXIT_INTERNAL;
    }
    return 0;
}

/* Prints the server's answer; returns the exit code it means. */
static int sbom_report(long status, const xsirt_buf *answer, const char *file, bool json)
{
    json_t *a = json_loadb(answer->data != NULL ? answer->data : "", answer->len, 0, NULL);
    json_t *e = json_object_get(a, "error");
    int rc = XSIRT_EXIT_OK;

    if (status == 201 && json_is_object(a)) {
        if (json)
            printf("%s\n", xsirt_buf_cstr(answer));
        else
            printf("%s: SBOM %lld of asset %lld (%s): %lld components, %lld findings\n", file,
                   (long long)json_integer_value(json_object_get(a, "id")),
                   (long long)json_integer_value(json_object_get(a, "asset")),
                   json_string_value(json_object_get(a, "format")),
                   (long long)json_integer_value(json_object_get(a, "components")),
                   (long long)json_integer_value(json_object_get(a, "findings")));
    } else if (json_is_object(e)) {
        fprintf(stderr, "xsirt: %s: %s (HTTP %ld %s)\n", file,
                json_string_value(json_object_get(e, "message")), status,
                json_string_value(json_object_get(e, "code")));
        rc = status >= 500 ? XSIRT_EXIT_INTERNAL : XSIRT_EXIT_USAGE;
    } else {
        fprintf(stderr, "xsirt: %s: unexpected answer (HTTP %ld): not an xsirt server?\n", file,
                status);
        rc = XSIRT_EXIT_INTERNAL;
    }
    json_decref(a);
    return rc;
}

static int sbom_upload_cmd(int argc, char **argv)
{
    static const struct option options[] = {
        {"server", required_argument, NULL, 's'},
        {"asset", required_argument, NULL, 'a'},
        {"json", no_argument, NULL, 'j'},
        {NULL, 0, NULL, 0},
    };
    const char *server = NULL, *token = getenv("XSIRT_TOKEN");
    char url[4096], *body = NULL;
    uint64_t asset = 0;
    xsirt_buf answer;
    xsirt_error err;
    bool json = false;
    long status = 0;
    size_t len = 0;
    int c, rc;

    optind = 0;
    while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
        switch (c) {
        case 's': server = optarg; break;
        case 'a':
            if (xsirt_parse_u64(&asset, optarg, strlen(optarg)) != 0 || asset == 0)
                return xsirt_cli_usage_error(&xsirt_cli_cmd_sbom, "--asset wants an asset id");
            break;
        case 'j': json = true; break;
        default: return xsirt_cli_bad_option(&xsirt_cli_cmd_sbom, argc, argv);
        }
    }
    if (server == NULL || asset == 0 || optind + 1 != argc)
        return xsirt_cli_usage_error(&xsirt_cli_cmd_sbom,
                                     "sbom upload: needs --server URL, --asset ID and one FILE");
    if (strncmp(server, "http://", 7) != 0 && strncmp(server, "https://", 8) != 0)
        return xsirt_cli_usage_error(&xsirt_cli_cmd_sbom, "--server wants an http(s):// URL");
    if (token == NULL || token[0] == '\0' || strpbrk(token, "\r\n") != NULL)
        return xsirt_cli_usage_error(&xsirt_cli_cmd_sbom,
                                     "sbom upload: set XSIRT_TOKEN to an API token");
    /* "http://host:8080" and "http://host:8080/" name the same server. */
    snprintf(url, sizeof url, "%.*s/api/v1/assets/%llu/sboms",
             (int)(strlen(server) - (server[strlen(server) - 1] == '/')), server,
             (unsigned long long)asset);
    if (xsirt_cli_read_file(&body, &len, argv[optind], XSIRT_LIMIT_SBOM_UPLOAD, &err) != 0)
        return xsirt_cli_fail(argv[optind], &err);
    xsirt_buf_init(&answer, SBOM_ANSWER_MAX);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    rc = sbom_post(&status, &answer, url, token, body, len);
    if (rc == 0)
        rc = sbom_report(status, &answer, argv[optind], json);
    curl_global_cleanup();
    xsirt_buf_free(&answer);
    free(body);
    return rc;
}

static int sbom_run(int argc, char **argv)
{
    static const xsirt_cli_subcommand subs[] = {{"upload", sbom_upload_cmd}, {NULL, NULL}};

    return xsirt_cli_dispatch(&xsirt_cli_cmd_sbom, subs, argc, argv);
}

const xsirt_cli_command xsirt_cli_cmd_sbom = {
    "sbom", "upload an SBOM to an asset on a server",
    "Usage: xsirt sbom upload --server URL --asset ID [--json] FILE\n"
    "\n"
    "upload  sends FILE (CycloneDX JSON/XML, SPDX JSON/tag-value) to the asset\n"
    "        on the server at URL, which matches it at once; prints the SBOM's\n"
    "        id, its components and findings (--json: the server's answer).\n"
    "        The API token is read from the environment variable XSIRT_TOKEN.\n"
    "\n"
    "Exit status: 0 uploaded, 2 bad usage or refused by the server (the\n"
    "message names the place in FILE), 3 network or server failure.\n",
    sbom_run};
