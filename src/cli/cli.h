/*
 * cli.h — the frame every `xsirt COMMAND` is written in.
 *
 * A command is an xsirt_cli_command (name, summary, help, run) defined in
 * its own cmd_NAME.c and listed once in commands.def. The frame handles
 * --help/--version, `xsirt help COMMAND`, unknown commands and the exit
 * codes, so a command only parses its own options and does its work.
 */
#ifndef XSIRT_CLI_H
#define XSIRT_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include <jansson.h>

#include "xsirt/common.h"
#include "xsirt/error.h"

/* Exit codes, the same for every command. */
enum xsirt_exit {
    XSIRT_EXIT_OK = 0,        /* success */
    XSIRT_EXIT_NEGATIVE = 1,  /* a negative answer: findings found, version not
                                 in range, validation failed */
    XSIRT_EXIT_USAGE = 2,     /* bad usage or bad input */
    XSIRT_EXIT_INTERNAL = 3   /* internal error (out of memory, I/O, bug) */
};

typedef struct xsirt_cli_command {
    const char *name;
    const char *summary;   /* one line for `xsirt --help` */
    const char *help;      /* the whole text for `xsirt help NAME` */
    /* argv[0] is the command name; returns an XSIRT_EXIT_* code. */
    int (*run)(int argc, char **argv);
} xsirt_cli_command;

/* A subcommand table for commands such as `version compare|sort`. */
typedef struct xsirt_cli_subcommand {
    const char *name;
    int (*run)(int argc, char **argv);   /* argv[0] is the subcommand */
} xsirt_cli_subcommand;

/* Every command, in the order of commands.def; NULL-terminated. */
extern const xsirt_cli_command *const xsirt_cli_commands[];

const xsirt_cli_command *xsirt_cli_find(const char *name);

/* Runs the whole command line (what main() does); returns the exit code. */
int xsirt_cli_main(int argc, char **argv);

/* Prints "xsirt: MESSAGE" and a hint to stderr; returns XSIRT_EXIT_USAGE. */
int xsirt_cli_usage_error(const xsirt_cli_command *cmd, const char *fmt, ...)
    XSIRT_PRINTF(2, 3);

/* Prints "xsirt: WHERE:LINE:COL: MESSAGE" to stderr and returns the exit code
 * that fits err->code (XSIRT_EXIT_USAGE for bad input, XSIRT_EXIT_INTERNAL
 * for out of memory, I/O and bugs). where may be NULL. */
int xsirt_cli_fail(const char *where, const xsirt_error *err);

/* The exit code for an XSIRT_E* code. */
int xsirt_cli_exit_code(int code);

/* The usual handling of getopt_long's '?' (unknown option or missing
 * argument); returns XSIRT_EXIT_USAGE. */
int xsirt_cli_bad_option(const xsirt_cli_command *cmd, int argc, char **argv);

/* Runs fn on each of argv[first..argc-1] (file names) and returns the
 * worst exit status (internal > unreadable > negative > ok), stopping at an
 * internal error; stdout is flushed (a failure is internal). For the
 * validators that print one line per file. */
int xsirt_cli_each_file(int argc, char **argv, int first, int (*fn)(const char *path, void *ctx),
                        void *ctx);

/* Runs argv[1] from subs (argv[0] is the command). Unknown or missing
 * subcommands are usage errors. */
int xsirt_cli_dispatch(const xsirt_cli_command *cmd, const xsirt_cli_subcommand *subs,
                       int argc, char **argv);

/* Reads `in` line by line with a bounded line length (XSIRT_LIMIT_LINE),
 * calling fn for each line without its newline (and without a trailing CR).
 * A line over the limit is reported through fn with line == NULL and the
 * error in err. fn returns 0 to go on or non-zero to stop (that value is
 * returned). Returns 0 at end of input or XSIRT_EIO/XSIRT_ENOMEM. */
typedef int (*xsirt_cli_line_fn)(void *ctx, const char *line, size_t len,
                                 unsigned long lineno, const xsirt_error *err);
int xsirt_cli_each_line(FILE *in, xsirt_cli_line_fn fn, void *ctx, xsirt_error *err);

/* Prints value as one line of compact JSON on out and takes ownership of
 * value (json_decref). Returns 0 or XSIRT_ENOMEM. */
int xsirt_cli_print_json(FILE *out, json_t *value);

/* {"error": message} as one JSON line on out. */
void xsirt_cli_print_json_error(FILE *out, const char *message);

#endif
