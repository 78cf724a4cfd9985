/*
 * cmd_version.c — `xsirt version`: compare and sort versions in the
 * ordering of an ecosystem (purl/vers type or OSV ecosystem name).
 *
 * The interface is stable: other tools and the differential tests drive
 * `version compare SCHEME --batch`, which answers one line per input line
 * (a result or "error: MESSAGE") so that a bad pair never stops a batch.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/buf.h"
#include "core/str.h"
#include "xsirt/limits.h"
#include "xsirt/version.h"

extern const xsirt_cli_command xsirt_cli_cmd_version;

static const char version_help[] =
    "Usage: xsirt version compare SCHEME A B\n"
    "       xsirt version compare SCHEME --batch   < pairs (A<TAB>B per line)\n"
    "       xsirt version sort SCHEME              < versions (one per line)\n"
    "       xsirt version schemes\n"
    "\n"
    "Compare or sort versions exactly as an ecosystem orders them. SCHEME is a\n"
    "purl/vers type (deb, rpm, apk, gem, composer, hex, pub, conan, ...) or an\n"
    "OSV ecosystem name (Debian:12, Alpine:v3.19, RubyGems, ...); see\n"
    "'xsirt version schemes'.\n"
    "\n"
    "  compare   print -1, 0 or 1 as A is older than, equal to or newer than B;\n"
    "            with --batch, read A<TAB>B lines and print one result per line,\n"
    "            or 'error: MESSAGE' for a line that does not parse\n"
    "  sort      print the versions read from stdin in ascending order (stable)\n"
    "  schemes   list the schemes and the OSV ecosystems that map to them\n"
    "\n"
    "Put '--' before versions that start with '-'.\n"
    "Exit status: 0 success, 2 unknown scheme, bad usage or a version that does\n"
    "not parse (--batch reports those per line and exits 0), 3 internal error.\n";

/* The scheme for a purl/vers type or an OSV ecosystem name; prints the
 * known names when there is none. */
static const xsirt_version_scheme *version_scheme_arg(const char *name)
{
    const xsirt_version_scheme *s = xsirt_version_scheme_find(name);
    xsirt_buf known;

    if (s == NULL)
        s = xsirt_version_scheme_for_osv(name);
    if (s != NULL)
        return s;
    xsirt_buf_init(&known, 4096);
    for (size_t i = 0; i < xsirt_version_scheme_count(); i++)
        xsirt_buf_printf(&known, "%s%s", i > 0 ? ", " : "",
                         xsirt_version_scheme_name(xsirt_version_scheme_at(i)));
    xsirt_cli_usage_error(&xsirt_cli_cmd_version,
                          "unknown version scheme '%s' (known: %s; or an OSV ecosystem "
                          "name, see 'xsirt version schemes')",
                          name, xsirt_buf_cstr(&known));
    xsirt_buf_free(&known);
    return NULL;
}

/* A line as a C string; an embedded NUL is an error. */
static int version_line_ok(const char *line, size_t len, xsirt_error *err)
{
    if (memchr(line, '\0', len) != NULL)
        return xsirt_error_set(err, XSIRT_EINVAL, "line contains a NUL byte");
    return 0;
}

static int version_print_result(int r)
{
    return printf("%d\n", r) < 0 ? XSIRT_EXIT_INTERNAL : XSIRT_EXIT_OK;
}

/* --batch: one answer per line, errors included. */
static int version_batch_line(void *ctx, const char *line, size_t len, unsigned long lineno,
                              const xsirt_error *lerr)
{
    const xsirt_version_scheme *scheme = ctx;
    xsirt_version *va = NULL, *vb = NULL;
    xsirt_error err;
    const char *tab;
    char *copy;
    int r = 0, rc;

    (void)lineno;
    xsirt_error_clear(&err);
    if (line == NULL) {
        printf("error: %s\n", lerr->message);
        return 0;
    }
    if (version_line_ok(line, len, &err) != 0) {
        printf("error: %s\n", err.message);
        return 0;
    }
    tab = memchr(line, '\t', len);
    if (tab == NULL) {
        fputs("error: expected A<TAB>B\n", stdout);
        return 0;
    }
    copy = xsirt_strndup(line, len);
    if (copy == NULL)
        return XSIRT_ENOMEM;
    copy[tab - line] = '\0';
    /* Through parsed versions, as matching compares: the differential
     * tests that drive --batch then check that path against the
     * references (the string path has the conformance tests). */
    if ((rc = xsirt_version_parse(&va, scheme, copy, &err)) != 0)
        xsirt_error_prefix(&err, "the first version: ");
    else if ((rc = xsirt_version_parse(&vb, scheme, copy + (tab - line) + 1, &err)) != 0)
        xsirt_error_prefix(&err, "the second version: ");
    else
        r = xsirt_version_cmp(va, vb);
    xsirt_version_free(va);
    xsirt_version_free(vb);
    free(copy);
    if (rc != 0)
        printf("error: %s\n", err.message);
    else
        printf("%d\n", r);
    return 0;
}

static int version_compare(int argc, char **argv)
{
    static const struct option opts[] = {{"batch", no_argument, NULL, 'b'}, {NULL, 0, NULL, 0}};
    const xsirt_version_scheme *scheme;
    xsirt_error err;
    int batch = 0, c, r = 0;

    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'b')
            batch = 1;
        else
            return xsirt_cli_bad_option(&xsirt_cli_cmd_version, argc, argv);
    }
    argc -= optind;
    argv += optind;
    if (argc < 1)
        return xsirt_cli_usage_error(&xsirt_cli_cmd_version, "version compare: missing SCHEME");
    if (argc != (batch ? 1 : 3))
        return xsirt_cli_usage_error(&xsirt_cli_cmd_version,
                                     batch ? "version compare --batch: expected only SCHEME"
                                           : "version compare: expected SCHEME A B");
    if ((scheme = version_scheme_arg(argv[0])) == NULL)
        return XSIRT_EXIT_USAGE;
    xsirt_error_clear(&err);
    if (batch) {
        int rc = xsirt_cli_each_line(stdin, version_batch_line, (void *)scheme, &err);
        if (rc != 0) {
            if (err.code == 0)
                xsirt_error_set(&err, rc, "%s", xsirt_error_code_name(rc));
            return xsirt_cli_fail("<stdin>", &err);
        }
        return XSIRT_EXIT_OK;
    }
    if (xsirt_version_compare(&r, scheme, argv[1], argv[2], &err) != 0)
        return xsirt_cli_fail(NULL, &err);
    return version_print_result(r);
}

typedef struct version_list {
    const xsirt_version_scheme *scheme;
    xsirt_version **items;     /* parsed once, compared n log n times */
    size_t n, cap;
    xsirt_error err;
} version_list;

static int version_sort_line(void *ctx, const char *line, size_t len, unsigned long lineno,
                             const xsirt_error *lerr)
{
    version_list *l = ctx;

    if (line == NULL) {
        l->err = *lerr;
        return l->err.code;
    }
    if (version_line_ok(line, len, &l->err) != 0) {
        l->err.line = lineno;
        return l->err.code;
    }
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        xsirt_version **items;
        if (l->n >= XSIRT_LIMIT_VERSION_SORT) {
            xsirt_error_set_at(&l->err, XSIRT_ELIMIT, lineno, 0, "more than %u versions",
                               XSIRT_LIMIT_VERSION_SORT);
            return l->err.code;
        }
        if ((items = realloc(l->items, cap * sizeof *items)) == NULL)
            return xsirt_error_set(&l->err, XSIRT_ENOMEM, "out of memory");
        l->items = items;
        l->cap = cap;
    }
    if (xsirt_version_parse(&l->items[l->n], l->scheme, line, &l->err) != 0) {
        l->err.line = lineno;
        return l->err.code;
    }
    l->n++;
    return 0;
}

/* Stable merge sort: equal versions ("1.0" and "1.0.0") keep their order. */
static void version_merge_sort(xsirt_version **a, xsirt_version **tmp, size_t n)
{
    size_t mid = n / 2, i = 0, j = mid, k = 0;

    if (n < 2)
        return;
    version_merge_sort(a, tmp, mid);
    version_merge_sort(a + mid, tmp, n - mid);
    while (i < mid && j < n)
        tmp[k++] = xsirt_version_cmp(a[j], a[i]) < 0 ? a[j++] : a[i++];
    while (i < mid)
        tmp[k++] = a[i++];
    while (j < n)
        tmp[k++] = a[j++];
    memcpy(a, tmp, n * sizeof *a);
}

static int version_sort(int argc, char **argv)
{
    static const struct option opts[] = {{NULL, 0, NULL, 0}};
    version_list l = {0};
    xsirt_version **tmp = NULL;
    int c, rc, exit_code = XSIRT_EXIT_OK;

    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1)
        return xsirt_cli_bad_option(&xsirt_cli_cmd_version, argc, argv);
    if (argc - optind != 1)
        return xsirt_cli_usage_error(&xsirt_cli_cmd_version, "version sort: expected SCHEME");
    if ((l.scheme = version_scheme_arg(argv[optind])) == NULL)
        return XSIRT_EXIT_USAGE;
    xsirt_error_clear(&l.err);
    rc = xsirt_cli_each_line(stdin, version_sort_line, &l, &l.err);
    if (rc == 0 && l.n > 0 && (tmp = malloc(l.n * sizeof *tmp)) == NULL)
        rc = xsirt_error_set(&l.err, XSIRT_ENOMEM, "out of memory");
    if (rc != 0) {
        exit_code = xsirt_cli_fail("<stdin>", &l.err);
    } else {
        version_merge_sort(l.items, tmp, l.n);
        for (size_t i = 0; i < l.n; i++)
            puts(xsirt_version_text(l.items[i]));
    }
    for (size_t i = 0; i < l.n; i++)
        xsirt_version_free(l.items[i]);
    free(l.items);
    free(tmp);
    return exit_code;
}

static int version_schemes(int argc, char **argv)
{
    static const struct option opts[] = {{NULL, 0, NULL, 0}};
    int c;

    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1)
        return xsirt_cli_bad_option(&xsirt_cli_cmd_version, argc, argv);
    if (argc != optind)
        return xsirt_cli_usage_error(&xsirt_cli_cmd_version, "version schemes: no arguments");
    for (size_t i = 0; i < xsirt_version_scheme_count(); i++) {
        const xsirt_version_scheme *s = xsirt_version_scheme_at(i);
        const char *eco;
        int first = 1;

        fputs(xsirt_version_scheme_name(s), stdout);
        for (size_t k = 0; (eco = xsirt_version_osv_ecosystem_at(k)) != NULL; k++) {
            if (xsirt_version_scheme_for_osv(eco) != s)
                continue;
            printf("%s%s", first ? "\t" : ", ", eco);
            first = 0;
        }
        putchar('\n');
    }
    return XSIRT_EXIT_OK;
}

static int version_run(int argc, char **argv)
{
    static const xsirt_cli_subcommand subs[] = {
        {"compare", version_compare},
        {"sort", version_sort},
        {"schemes", version_schemes},
        {NULL, NULL},
    };
    return xsirt_cli_dispatch(&xsirt_cli_cmd_version, subs, argc, argv);
}

const xsirt_cli_command xsirt_cli_cmd_version = {
    "version", "Compare and sort versions as each ecosystem orders them", version_help,
    version_run,
};
