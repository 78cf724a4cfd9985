/*
 * cmd_vers.c — `xsirt vers contains|canonical|from-native`: vers ranges on the command
 * line.
 *
 * from-native turns ecosystems' own range syntaxes into vers, one line
 * out per range in.
 *
 * contains answers with the exit code (0 in range, 1 not, 2 malformed), or
 * line by line with --batch ("RANGE<TAB>VERSION" -> true/false/error: ...)
 * so that scripts and differential tests run one process for many pairs.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "xsirt/vers.h"

extern const xsirt_cli_command xsirt_cli_cmd_vers;

static int vers_batch_line(void *ctx, const char *line, size_t len, unsigned long lineno,
                           const xsirt_error *line_err)
{
    const char *tab;
    xsirt_vers v;
    xsirt_error err;
    bool in = false;
    char *version;
    int rc;

    (void)ctx;
    (void)lineno;
    if (line == NULL) {
        printf("error: %s\n", line_err->message);
        return 0;
    }
    if (len == 0)
        return 0;
    if ((tab = memchr(line, '\t', len)) == NULL) {
        puts("error: expected RANGE<TAB>VERSION");
        return 0;
    }
    if ((version = malloc(len - (size_t)(tab - line))) == NULL)
        return XSIRT_ENOMEM;
    memcpy(version, tab + 1, len - (size_t)(tab - line) - 1);
    version[len - (size_t)(tab - line) - 1] = '\0';
    rc = xsirt_vers_parse(&v, line, (size_t)(tab - line), 0, &err);
    if (rc == 0)
        rc = xsirt_vers_contains(&in, &v, version, &err);
    xsirt_vers_free(&v);
    free(version);
    if (rc == XSIRT_ENOMEM)
        return rc;
    if (rc != 0)
        printf("error: %s\n", err.message);
    else
        puts(in ? "true" : "false");
    return 0;
}

static int vers_contains_cmd(int argc, char **argv)
{
    static const struct option opts[] = {{"batch", no_argument, NULL, 'b'},
                                         {"lenient", no_argument, NULL, 'l'},
                                         {NULL, 0, NULL, 0}};
    bool batch = false;
    unsigned flags = 0;
    xsirt_vers v;
    xsirt_error err;
    bool in = false;
    int c, rc;

    xsirt_error_clear(&err);
    optind = 0;
    while ((c = getopt_long(argc, argv, "bl", opts, NULL)) != -1) {
        if (c == 'b')
            batch = true;
        else if (c == 'l')
            flags |= XSIRT_VERS_LENIENT;
        else
            return xsirt_cli_bad_option(&xsirt_cli_cmd_vers, argc, argv);
    }
    if (batch) {
        if (optind != argc)
            return xsirt_cli_usage_error(&xsirt_cli_cmd_vers,
                                         "vers contains --batch: reads stdin, takes no argument");
        if ((rc = xsirt_cli_each_line(stdin, vers_batch_line, NULL, &err)) != 0)
            return xsirt_cli_fail("vers", &err);
        return XSIRT_EXIT_OK;
    }
    if (argc - optind != 2)
        return xsirt_cli_usage_error(&xsirt_cli_cmd_vers, "vers contains: needs RANGE and VERSION");
    if ((rc = xsirt_vers_parse(&v, argv[optind], strlen(argv[optind]), flags, &err)) != 0 ||
        ((flags & XSIRT_VERS_LENIENT) && (rc = xsirt_vers_simplify(&v, &err)) != 0)) {
        xsirt_vers_free(&v);
        return xsirt_cli_fail("range", &err);
    }
    rc = xsirt_vers_contains(&in, &v, argv[optind + 1], &err);
    xsirt_vers_free(&v);
    if (rc != 0)
        return xsirt_cli_fail("version", &err);
    return in ? XSIRT_EXIT_OK : XSIRT_EXIT_NEGATIVE;
}

static int vers_canonical_cmd(int argc, char **argv)
{
    static const struct option opts[] = {{NULL, 0, NULL, 0}};
    int status = XSIRT_EXIT_OK;

    optind = 0;
    if (getopt_long(argc, argv, "", opts, NULL) != -1)
        return xsirt_cli_bad_option(&xsirt_cli_cmd_vers, argc, argv);
    if (optind == argc)
        return xsirt_cli_usage_error(&xsirt_cli_cmd_vers, "vers canonical: needs a RANGE");
    for (int i = optind; i < argc; i++) {
        xsirt_error err;
        char *out = NULL;
        if (xsirt_vers_canonical(&out, argv[i], strlen(argv[i]), &err) != 0) {
            status = xsirt_cli_fail(argv[i], &err);
            continue;
        }
        puts(out);
        free(out);
    }
    return status;
}

/* One native range: its canonical vers, or "error: ..." (also for a
 * range that holds no version: vers cannot write it). 0 or 1 (failed). */
static int from_native_one(const char *scheme, char *range)
{
    xsirt_vers v;
    xsirt_error err;
    char *out = NULL;
    int rc;

    if (strcmp(scheme, "cisa") == 0) {
        /* "TEXT<TAB>PRODUCT": the product's words may prefix the version */
        char *tab = strchr(range, '\t');
        if (tab != NULL)
            *tab = '\0';
        rc = xsirt_vers_from_cisa(&v, range, tab != NULL ? tab + 1 : NULL, &err);
    } else {
        rc = xsirt_vers_from_native(&v, scheme, range, &err);
    }
    if (rc == 0) {
        if (v.count == 0)
            rc = xsirt_error_set(&err, XSIRT_EINVAL, "vers: %s range holds no version", scheme);
        else
            rc = xsirt_vers_to_string(&out, &v, &err);
    }
    xsirt_vers_free(&v);
    if (rc != 0) {
        printf("error: %s\n", err.message);
        return 1;
    }
    puts(out);
    free(out);
    return 0;
}

typedef struct native_lines {
    const char *scheme;
    int failed;
} native_lines;

static int from_native_line(void *ctx, const char *line, size_t len, unsigned long lineno,
                            const xsirt_error *line_err)
{
    native_lines *nl = ctx;
    char *copy;

    (void)lineno;
    if (line == NULL) {
        printf("error: %s\n", line_err->message);
        nl->failed = 1;
        return 0;
    }
    if ((copy = malloc(len + 1)) == NULL)
        return XSIRT_ENOMEM;
    memcpy(copy, line, len);
    copy[len] = '\0';
    nl->failed |= from_native_one(nl->scheme, copy);
    free(copy);
    return 0;
}

static int vers_from_native_cmd(int argc, char **argv)
{
    static const struct option opts[] = {{NULL, 0, NULL, 0}};
    native_lines nl = {NULL, 0};
    xsirt_error err;

    optind = 0;
    if (getopt_long(argc, argv, "", opts, NULL) != -1)
        return xsirt_cli_bad_option(&xsirt_cli_cmd_vers, argc, argv);
    if (optind == argc)
        return xsirt_cli_usage_error(&xsirt_cli_cmd_vers, "vers from-native: needs a SCHEME");
    nl.scheme = argv[optind++];
    {
        bool known = strcmp(nl.scheme, "cisa") == 0;
        for (size_t i = 0; xsirt_vers_native_scheme_at(i) != NULL; i++)
            known |= xsirt_version_scheme_find(nl.scheme) != NULL &&
                     strcmp(xsirt_vers_native_scheme_at(i),
                            xsirt_version_scheme_name(xsirt_version_scheme_find(nl.scheme))) == 0;
        if (!known)
            return xsirt_cli_usage_error(&xsirt_cli_cmd_vers,
                                         "vers from-native: no native range syntax for %s",
                                         nl.scheme);
    }
    if (optind == argc) {
        xsirt_error_clear(&err);
        if (xsirt_cli_each_line(stdin, from_native_line, &nl, &err) != 0)
            return xsirt_cli_fail("vers", &err);
    }
    for (int i = optind; i < argc; i++)
        nl.failed |= from_native_one(nl.scheme, argv[i]);
    return nl.failed ? XSIRT_EXIT_NEGATIVE : XSIRT_EXIT_OK;
}

static int vers_run(int argc, char **argv)
{
    static const xsirt_cli_subcommand subs[] = {
        {"contains", vers_contains_cmd},
        {"canonical", vers_canonical_cmd},
        {"from-native", vers_from_native_cmd},
        {NULL, NULL},
    };
    return xsirt_cli_dispatch(&xsirt_cli_cmd_vers, subs, argc, argv);
}

const xsirt_cli_command xsirt_cli_cmd_vers = {
    "vers",
    "Test and canonicalise version ranges (vers)",
    "Usage: xsirt vers contains [--lenient] RANGE VERSION\n"
    "       xsirt vers contains --batch < pairs.tsv\n"
    "       xsirt vers canonical RANGE...\n"
    "       xsirt vers from-native SCHEME [NATIVE_RANGE...]   (or one per stdin line)\n"
    "\n"
    "contains: exit 0 when VERSION is in RANGE, 1 when not, 2 when RANGE or\n"
    "VERSION is malformed (or its type has no version scheme). RANGE must be\n"
    "canonical unless --lenient (then it is simplified first, as by\n"
    "'vers canonical'). --batch reads RANGE<TAB>VERSION lines and\n"
    "prints true, false or \"error: MESSAGE\" for each.\n"
    "\n"
    "canonical: prints each RANGE sorted, de-duplicated and simplified\n"
    "(non-canonical input accepted); exit 2 if one is malformed.\n"
    "\n"
    "from-native: prints the canonical vers of each range written in the\n"
    "ecosystem's own syntax (npm, pypi, gem, nuget, maven, composer, conan,\n"
    "golang, cargo), or \"error: MESSAGE\" (also for a range holding no\n"
    "version); exit 1 if any failed, 2 for an unknown SCHEME. SCHEME cisa\n"
    "reads CISA's product versions and ranges (docs/versions.md) into\n"
    "vers:firmware; a line TEXT<TAB>PRODUCT names the product too.\n"
    "\n"
    "Examples: xsirt vers canonical 'vers:generic/<2|>=1| 1.5 |<=2'\n"
    "          xsirt vers from-native npm '^1.2.3 || ~0.4'\n",
    vers_run,
};
