/*
 * cmd_cve.c — `xsirt cve validate FILE...`: CVE JSON 5 records against the
 * CVE Record Format schema (src/formats/cve5_validate.c, the schema the
 * server checks every record it answers or publishes with), one JSON
 * object per file.
 *
 * Exit status as `csaf validate`: 0 every record valid, 1 a record is
 * invalid, 2 a file could not be read or is not JSON.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/match_io.h"
#include "formats/cve5_validate.h"
#include "xsirt/limits.h"

static const char cve_help[] =
    "Usage: xsirt cve validate FILE...\n"
    "\n"
    "Validate CVE JSON 5 records (one record per file) against the CVE Record\n"
    "Format schema (the bundled schema, built in). Prints one JSON object per\n"
    "FILE, in order:\n"
    "  {\"file\":\"CVE-2026-1111.json\",\"valid\":false,\"failures\":[{\"path\":\n"
    "   \"/containers/cna/descriptions\",\"message\":\"must contain at least 1 valid item(s)\"}]}\n"
    "A file that cannot be read or is not JSON prints\n"
    "{\"file\":...,\"error\":\"file:line:column: message\"}.\n"
    "\n"
    "Options:\n"
    "  --help   show this help\n"
    "\n"
    "Exit status: 0 all valid, 1 a record is invalid, 2 bad usage or an\n"
    "unreadable file, 3 internal error.\n"
    "Example: xsirt cve validate records/*.json\n";

extern const xsirt_cli_command xsirt_cli_cmd_cve;

/* Validates one file and prints its line; returns its exit status. */
static int cve_validate_file(const char *path, void *ctx)
{
    xsirt_error err;
    char *data = NULL;
    size_t len = 0;
    bool valid = false;
    json_t *failures = NULL, *line;
    int rc, printed;

    (void)ctx;
    xsirt_error_clear(&err);
    rc = xsirt_cli_read_file(&data, &len, path, XSIRT_LIMIT_FILE, &err);
    if (rc == 0)
        rc = xsirt_cve5_validate_text(&failures, &valid, data, len, &err);
    free(data);
    if (rc != 0) {
        char msg[XSIRT_ERROR_MESSAGE_MAX + 64];
        int status = xsirt_cli_fail(path, &err);
        xsirt_error_format(msg, sizeof msg, &err, NULL);
        line = json_pack("{s:s, s:s}", "file", path, "error", msg);
        printed = line != NULL ? xsirt_cli_print_json(stdout, line) : -1;
        return printed != 0 ? XSIRT_EXIT_INTERNAL : status;
    }
    line = json_pack("{s:s, s:b, s:o}", "file", path, "valid", valid, "failures", failures);
    printed = line != NULL ? xsirt_cli_print_json(stdout, line) : -1;
    if (printed != 0)
        return XSIRT_EXIT_INTERNAL;
    return valid ? XSIRT_EXIT_OK : XSIRT_EXIT_NEGATIVE;
}

static int cve_validate(int argc, char **argv)
{
    static const struct option opts[] = {
        { NULL, 0, NULL, 0 },
    };
    int c;

    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1)
        return xsirt_cli_bad_option(&xsirt_cli_cmd_cve, argc, argv);
    if (optind >= argc)
        return xsirt_cli_usage_error(&xsirt_cli_cmd_cve, "cve validate: missing FILE");
    return xsirt_cli_each_file(argc, argv, optind, cve_validate_file, NULL);
}

static int cve_run(int argc, char **argv)
{
    static const xsirt_cli_subcommand subs[] = {
        { "validate", cve_validate },
        { NULL, NULL },
    };
    return xsirt_cli_dispatch(&xsirt_cli_cmd_cve, subs, argc, argv);
}

const xsirt_cli_command xsirt_cli_cmd_cve = {
    "cve", "Validate CVE JSON 5 records against the CVE Record Format schema", cve_help, cve_run,
};
