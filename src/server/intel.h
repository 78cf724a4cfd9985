/*
 * intel.h — the server's intelligence index: the file `xsirt db build`
 * writes (DATA/vulns.idx by default), memory-mapped and shared by every
 * worker. Each use checks whether the file was replaced (db build and
 * feed syncs write a new file and rename it over the old one) and maps
 * the new one, so new intelligence is used without a restart; a use in
 * progress keeps the old mapping until it ends.
 */
#ifndef XSIRT_INTEL_H
#define XSIRT_INTEL_H

#include <jansson.h>

#include "xsirt/error.h"
#include "xsirt/match.h"

/* Sets the index file (need not exist yet: until it does, SBOMs are
 * stored without findings). A file that exists but is not a valid index
 * is an error. */
int xsirt_intel_open(const char *path, xsirt_error *err);

/* The index in force, or NULL when there is none; every acquire is
 * followed by a release, after the last use of the index. */
const xsirt_match_index *xsirt_intel_acquire(void);
void xsirt_intel_release(void);

/* The index file's directory (the data directory), "" when none is set. */
void xsirt_intel_dir(char *out, size_t outsz);

/* The index file's path, "" when none is set. */
void xsirt_intel_path(char *out, size_t outsz);

/* The ids of the records of the index in force whose aliases include
 * alias (a new array, maybe empty), or NULL when there is no index. The
 * map from alias to records is made at the first call after each index
 * swap: GET /findings?vulnerability=ALIAS finds the findings of those
 * records through an index on their id instead of reading every finding's
 * aliases. */
json_t *xsirt_intel_aliased(const char *alias);

void xsirt_intel_close(void);

#endif
