/*
 * match_io.h — file I/O for `xsirt db` and `xsirt scan`: reading a whole
 * file with a size bound, and mapping an index file into memory.
 */
#ifndef XSIRT_CLI_MATCH_IO_H
#define XSIRT_CLI_MATCH_IO_H

#include <stddef.h>

#include "xsirt/error.h"
#include "xsirt/name.h"

/* Reads path whole (at most max bytes) into a malloc'ed, NUL-terminated
 * buffer. XSIRT_ELIMIT past max, XSIRT_EIO/XSIRT_ENOTFOUND otherwise. */
int xsirt_cli_read_file(char **out, size_t *len, const char *path, size_t max, xsirt_error *err);

/* Maps path read-only; xsirt_cli_unmap releases it. */
int xsirt_cli_map_file(void **out, size_t *len, const char *path, xsirt_error *err);
void xsirt_cli_unmap(void *data, size_t len);

/* The built-in vendor aliases plus those of path (ALIAS<TAB>CANONICAL
 * lines, --vendor-aliases); prints the error naming the file and line.
 * Returns an XSIRT_EXIT_* code. */
int xsirt_cli_vendor_aliases(xsirt_name_aliases **out, const char *path);

#endif
