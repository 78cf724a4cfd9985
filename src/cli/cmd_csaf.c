/*
 * cmd_csaf.c — `xsirt csaf validate FILE...`: the CSAF 2.0 validator
 * (src/formats/csaf_validate.c) on files, one JSON object per file.
 *
 * The command reads the files; the validator works on their bytes. Exit
 * status: 0 every document valid, 1 a document failed the schema or a
 * mandatory test, 2 a file could not be read or is not JSON (that file's
 * line then carries "error" instead of "valid").
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/match_io.h"
#include "xsirt/csaf_validate.h"
#include "xsirt/limits.h"

static const char csaf_help[] =
    "Usage: xsirt csaf validate [--no-optional] FILE...\n"
    "       xsirt csaf validate --list-tests\n"
    "\n"
    "Validate CSAF 2.0 documents: the JSON schema (objects closed as in the OASIS\n"
    "strict schema, with FIRST's CVSS schemas), every mandatory test of section 6.1\n"
    "and the optional tests of 6.2 that need no network. Prints one JSON object per\n"
    "FILE, in order:\n"
    "  {\"file\":\"a.json\",\"valid\":false,\"failures\":[{\"test\":\"6.1.1\",\n"
    "   \"kind\":\"mandatory\",\"path\":\"/vulnerabilities/0/product_status/fixed/0\",\n"
    "   \"message\":\"definition of product id missing\"}]}\n"
    "kind is schema, mandatory or optional; optional failures are warnings and\n"
    "leave \"valid\" true. A file that cannot be read or is not JSON prints\n"
    "{\"file\":...,\"error\":\"line:column: message\"}.\n"
    "\n"
    "Options:\n"
    "  --no-optional  skip the optional (6.2) tests\n"
    "  --list-tests   print the tests this validator runs, one per line:\n"
    "                 number and kind\n"
    "  --help         show this help\n"
    "\n"
    "Exit status: 0 all valid, 1 a document failed the schema or a mandatory\n"
    "test, 2 bad usage or an unreadable file, 3 internal error.\n"
    "Example: xsirt csaf validate advisories/*.json\n";

extern const xsirt_cli_command xsirt_cli_cmd_csaf;

static int list_tests(void)
{
    static const char *const kinds[] = { "schema", "mandatory", "optional" };
    const char *name;
    int kind;
    for (size_t i = 0; (name = xsirt_csaf_validate_test_name(i, &kind)) != NULL; i++)
        printf("%s\t%s\n", name, kinds[kind]);
    return fflush(stdout) == 0 ? XSIRT_EXIT_OK : XSIRT_EXIT_INTERNAL;
}

/* Validates one file and prints its line; returns its exit status. */
static int validate_file(const char *path, void *ctx)
{
    unsigned flags = *(const unsigned *)ctx;
    xsirt_error err;
    char *data = NULL, *result = NULL;
    size_t len = 0;
    bool valid = false;
    json_t *line = NULL;
    int rc;

    xsirt_error_clear(&err);
    rc = xsirt_cli_read_file(&data, &len, path, XSIRT_LIMIT_FILE, &err);
    if (rc == 0)
        rc = xsirt_csaf_validate_text(&result, &valid, data, len, flags, &err);
    free(data);
    if (rc != 0) {
        char msg[XSIRT_ERROR_MESSAGE_MAX + 64];
        int status = xsirt_cli_fail(path, &err);
        xsirt_error_format(msg, sizeof msg, &err, NULL);
        line = json_pack("{s:s, s:s}", "file", path, "error", msg);
        if (line == NULL || xsirt_cli_print_json(stdout, line) != 0)
            return XSIRT_EXIT_INTERNAL;
        return status;
    }
    /* {"file":...,  then the result's members: no second parse. */
    json_t *name = json_string(path);
    char *quoted = name ? json_dumps(name, JSON_ENCODE_ANY) : NULL;
    json_decref(name);
    if (quoted == NULL || result[0] != '{') {
        free(quoted);
        free(result);
        return XSIRT_EXIT_INTERNAL;
    }
    int printed = printf("{\"file\":%s,%s\n", quoted, result + 1);
    free(quoted);
    free(result);
    if (printed < 0)
        return XSIRT_EXIT_INTERNAL;
    return valid ? XSIRT_EXIT_OK : XSIRT_EXIT_NEGATIVE;
}

static int csaf_validate(int argc, char **argv)
{
    static const struct option opts[] = {
        { "no-optional", no_argument, NULL, 'n' },
        { "list-tests", no_argument, NULL, 'l' },
        { NULL, 0, NULL, 0 },
    };
    unsigned flags = 0;
    int c, list = 0;

    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'n')
            flags |= XSIRT_CSAF_VALIDATE_NO_OPTIONAL;
        else if (c == 'l')
            list = 1;
        else
            return xsirt_cli_bad_option(&xsirt_cli_cmd_csaf, argc, argv);
    }
    if (list)
        return list_tests();
    if (optind >= argc)
        return xsirt_cli_usage_error(&xsirt_cli_cmd_csaf, "csaf validate: missing FILE");
    return xsirt_cli_each_file(argc, argv, optind, validate_file, &flags);
}

static int csaf_run(int argc, char **argv)
{
    static const xsirt_cli_subcommand subs[] = {
        { "validate", csaf_validate },
        { NULL, NULL },
    };
    return xsirt_cli_dispatch(&xsirt_cli_cmd_csaf, subs, argc, argv);
}

const xsirt_cli_command xsirt_cli_cmd_csaf = {
    "csaf", "Validate CSAF 2.0 advisories (schema, mandatory and optional tests)", csaf_help,
    csaf_run,
};
