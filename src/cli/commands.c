/*
 * commands.c — the command table of commands.def, and nothing else.
 *
 * Compiled twice. As part of the xsirt_cli library (xsirt-server, the
 * tests) every entry is the command itself. For the lean `xsirt` program
 * (XSIRT_CLI_LEAN) a server-side command is a stub with its name only
 * (run == NULL): the frame executes xsirt-server for it, and since the
 * stub names no symbol of cmd_NAME.c, the linker takes neither that file
 * from the library nor what it uses (the store, the HTTP server and their
 * libraries). The lean program's own commands.o defines
 * xsirt_cli_commands first, so the library's copy of this file is never
 * linked into it: keep anything else out of this file.
 */
#include <stddef.h>

#include "cli/cli.h"

#define XSIRT_CLI_COMMAND(name) extern const xsirt_cli_command xsirt_cli_cmd_##name;
#ifdef XSIRT_CLI_LEAN
#define XSIRT_CLI_SERVER_COMMAND(name) \
    static const xsirt_cli_command xsirt_cli_stub_##name = {#name, NULL, NULL, NULL};
#endif
#include "cli/commands.def"
#undef XSIRT_CLI_COMMAND
#undef XSIRT_CLI_SERVER_COMMAND

const xsirt_cli_command *const xsirt_cli_commands[] = {
#define XSIRT_CLI_COMMAND(name) &xsirt_cli_cmd_##name,
#ifdef XSIRT_CLI_LEAN
#define XSIRT_CLI_SERVER_COMMAND(name) &xsirt_cli_stub_##name,
#endif
#include "cli/commands.def"
#undef XSIRT_CLI_COMMAND
#undef XSIRT_CLI_SERVER_COMMAND
    NULL
};
