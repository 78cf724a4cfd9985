/*
 * cli.c — the command frame: dispatch, help, exit codes, error printing and
 * bounded line input shared by every `xsirt` command (see cli.h). In the
 * lean `xsirt` program, a server-side command (a stub in the table of
 * commands.c) and the overview of all commands run in xsirt-server, the
 * same frame with every command, by exec: same arguments, same output,
 * same exit status.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/buf.h"
#include "formats/json_arena.h"
#include "xsirt/limits.h"

#ifndef XSIRT_LIBEXECDIR
#define XSIRT_LIBEXECDIR "/usr/local/libexec/xsirt"
#endif

static const char cli_usage_text[] =
    "Usage: xsirt [--help] [--version] COMMAND [ARGS...]\n";

const xsirt_cli_command *xsirt_cli_find(const char *name)
{
    for (size_t i = 0; xsirt_cli_commands[i] != NULL; i++)
        if (strcmp(xsirt_cli_commands[i]->name, name) == 0)
            return xsirt_cli_commands[i];
    return NULL;
}

/* Runs the same command line in xsirt-server: the program next to this
 * one (a build tree, or an installation that keeps them together), else
 * the installed one in XSIRT_LIBEXECDIR. Returns only on failure. */
static int cli_exec_server(char **argv)
{
    char self[4096], path[4096 + 32];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    char *slash;

    if (n > 0) {
        self[n] = '\0';
        if ((slash = strrchr(self, '/')) != NULL) {
            *slash = '\0';
            snprintf(path, sizeof path, "%s/xsirt-server", self);
            if (access(path, X_OK) == 0)
                execv(path, argv);
        }
    }
    snprintf(path, sizeof path, "%s/xsirt-server", XSIRT_LIBEXECDIR);
    execv(path, argv);
    fprintf(stderr, "xsirt: %s: cannot run %s: %s\n", argv[1], path, strerror(errno));
    return XSIRT_EXIT_INTERNAL;
}

/* Whether this program has every command (xsirt-server, the library) or
 * stubs for the server-side ones (the lean xsirt). */
static bool cli_complete(void)
{
    for (size_t i = 0; xsirt_cli_commands[i] != NULL; i++)
        if (xsirt_cli_commands[i]->run == NULL)
            return false;
    return true;
}

static void cli_print_overview(FILE *out)
{
    fputs(cli_usage_text, out);
    fputs("\nxsirt is one system for every security response team: CSIRT, PSIRT,\n"
          "DSIRT/SSIRT and FSIRT.\n\nCommands:\n", out);
    for (size_t i = 0; xsirt_cli_commands[i] != NULL; i++)
        fprintf(out, "  %-10s %s\n", xsirt_cli_commands[i]->name,
                xsirt_cli_commands[i]->summary);
    fputs("  help       Show the help of a command\n"
          "\nRun 'xsirt help COMMAND' or 'xsirt COMMAND --help' for a command's options.\n"
          "Exit status: 0 success, 1 a negative answer, 2 bad usage or input,\n"
          "3 internal error.\n", out);
}

static void cli_print_help(const xsirt_cli_command *cmd, FILE *out)
{
    fputs(cmd->help, out);
}

int xsirt_cli_usage_error(const xsirt_cli_command *cmd, const char *fmt, ...)
{
    va_list ap;

    fputs("xsirt: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    if (cmd != NULL)
        fprintf(stderr, "\nTry 'xsirt %s --help' for more information.\n", cmd->name);
    else
        fputs("\nTry 'xsirt --help' for more information.\n", stderr);
    return XSIRT_EXIT_USAGE;
}

int xsirt_cli_exit_code(int code)
{
    switch (code) {
    case XSIRT_OK:
        return XSIRT_EXIT_OK;
    case XSIRT_EINVAL:
    case XSIRT_ELIMIT:
    case XSIRT_ENOTFOUND:
    case XSIRT_EUNSUPPORTED:
    case XSIRT_ECONFLICT:
    case XSIRT_EDENIED:
        return XSIRT_EXIT_USAGE;
    default:
        return XSIRT_EXIT_INTERNAL;
    }
}

int xsirt_cli_fail(const char *where, const xsirt_error *err)
{
    char msg[XSIRT_ERROR_MESSAGE_MAX + 512];

    xsirt_error_format(msg, sizeof msg, err, where);
    fprintf(stderr, "xsirt: %s\n", msg);
    return xsirt_cli_exit_code(err != NULL && err->code != 0 ? err->code : XSIRT_EINTERNAL);
}

int xsirt_cli_bad_option(const xsirt_cli_command *cmd, int argc, char **argv)
{
    const char *arg = (optind > 0 && optind <= argc) ? argv[optind - 1] : "?";

    if (optopt != 0 && strncmp(arg, "--", 2) != 0)
        return xsirt_cli_usage_error(cmd, "invalid or incomplete option -- '%c'", optopt);
    return xsirt_cli_usage_error(cmd, "unrecognized or incomplete option '%s'", arg);
}

int xsirt_cli_dispatch(const xsirt_cli_command *cmd, const xsirt_cli_subcommand *subs,
                       int argc, char **argv)
{
    if (argc < 2)
        return xsirt_cli_usage_error(cmd, "%s: missing subcommand", cmd->name);
    for (size_t i = 0; subs[i].name != NULL; i++)
        if (strcmp(subs[i].name, argv[1]) == 0)
            return subs[i].run(argc - 1, argv + 1);
    return xsirt_cli_usage_error(cmd, "%s: unknown subcommand '%s'", cmd->name, argv[1]);
}

int xsirt_cli_each_line(FILE *in, xsirt_cli_line_fn fn, void *ctx, xsirt_error *err)
{
    xsirt_buf line;
    unsigned long lineno = 0;
    bool too_long = false;
    int c, rc = 0;

    xsirt_buf_init(&line, XSIRT_LIMIT_LINE);
    for (;;) {
        c = getc(in);
        if (c == EOF || c == '\n') {
            if (c == EOF && line.len == 0 && !too_long)
                break;
            lineno++;
            if (too_long) {
                xsirt_error e;
                xsirt_error_set_at(&e, XSIRT_ELIMIT, lineno, 0,
                                   "line longer than %u bytes", XSIRT_LIMIT_LINE);
                rc = fn(ctx, NULL, 0, lineno, &e);
            } else {
                size_t n = line.len;
                if (n > 0 && line.data[n - 1] == '\r')
                    n--;
                rc = fn(ctx, xsirt_buf_cstr(&line), n, lineno, NULL);
            }
            xsirt_buf_reset(&line);
            too_long = false;
            if (rc != 0 || c == EOF)
                break;
            continue;
        }
        if (too_long)
            continue;
        if (xsirt_buf_putc(&line, (char)c) != 0) {
            if (line.len < line.max) {
                rc = xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
                break;
            }
            too_long = true;
        }
    }
    if (rc == 0 && ferror(in))
        rc = xsirt_error_set(err, XSIRT_EIO, "read error");
    xsirt_buf_free(&line);
    return rc;
}

int xsirt_cli_each_file(int argc, char **argv, int first, int (*fn)(const char *path, void *ctx),
                        void *ctx)
{
    int status = XSIRT_EXIT_OK;

    for (int i = first; i < argc; i++) {
        int one = fn(argv[i], ctx);
        /* The worst status wins: internal > unreadable > invalid > valid. */
        if (one > status)
            status = one;
        if (one == XSIRT_EXIT_INTERNAL)
            break;
    }
    return fflush(stdout) != 0 ? XSIRT_EXIT_INTERNAL : status;
}

int xsirt_cli_print_json(FILE *out, json_t *value)
{
    char *s = json_dumps(value, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));

    json_decref(value);
    if (s == NULL)
        return XSIRT_ENOMEM;
    fputs(s, out);
    fputc('\n', out);
    free(s);
    return 0;
}

void xsirt_cli_print_json_error(FILE *out, const char *message)
{
    json_t *o = json_object();

    json_object_set_new(o, "error", json_string(message));
    xsirt_cli_print_json(out, o);
}

/* True when argv (before a "--") asks for help. */
static bool cli_wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            return false;
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return true;
    }
    return false;
}

static int cli_help(int argc, char **argv)
{
    const xsirt_cli_command *cmd;

    if (argc < 2) {
        cli_print_overview(stdout);
        return XSIRT_EXIT_OK;
    }
    cmd = xsirt_cli_find(argv[1]);
    if (cmd == NULL)
        return xsirt_cli_usage_error(NULL, "help: unknown command '%s'", argv[1]);
    if (cmd->run == NULL)   /* a stub: its help is in xsirt-server */
        return cli_exec_server(argv - 1);
    cli_print_help(cmd, stdout);
    return XSIRT_EXIT_OK;
}

int xsirt_cli_main(int argc, char **argv)
{
    const xsirt_cli_command *cmd;
    int rc;

    /* Before any thread uses jansson (serve starts them): its allocator is
     * the process's, and it is malloc and free outside an arena. */
    xsirt_json_arena_install();
    if (argc < 2) {
        fputs(cli_usage_text, stderr);
        fputs("Try 'xsirt --help' for more information.\n", stderr);
        return XSIRT_EXIT_USAGE;
    }
    /* The overview lists every command with its summary: the lean program
     * has the server-side ones by name only. */
    if ((strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
         (strcmp(argv[1], "help") == 0 && argc == 2)) &&
        !cli_complete())
        return cli_exec_server(argv);
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
        return cli_help(1, argv);
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
        printf("xsirt %s\n", XSIRT_VERSION_STRING);
        return XSIRT_EXIT_OK;
    }
    if (strcmp(argv[1], "help") == 0)
        return cli_help(argc - 1, argv + 1);
    if (argv[1][0] == '-')
        return xsirt_cli_usage_error(NULL, "unrecognized option '%s'", argv[1]);
    cmd = xsirt_cli_find(argv[1]);
    if (cmd == NULL)
        return xsirt_cli_usage_error(NULL, "unknown command '%s'", argv[1]);
    if (cmd->run == NULL)
        return cli_exec_server(argv);
    if (cli_wants_help(argc - 1, argv + 1)) {
        cli_print_help(cmd, stdout);
        return XSIRT_EXIT_OK;
    }
    optind = 0;    /* glibc: full getopt reset, commands may run in-process */
    opterr = 0;    /* the frame prints option errors itself */
    rc = cmd->run(argc - 1, argv + 1);
    if (fflush(stdout) != 0 && rc == XSIRT_EXIT_OK) {
        fputs("xsirt: error writing output\n", stderr);
        rc = XSIRT_EXIT_INTERNAL;
    }
    return rc;
}
