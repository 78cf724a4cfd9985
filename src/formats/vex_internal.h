/*
 * vex_internal.h — what VEX application shares inside the library: the
 * JSON object that says which statement applied to a finding, built one
 * way for the findings JSON (vex_apply.c) and for the matching engine's
 * writers (src/match/output_json.c), so that both print the same shape.
 */
#ifndef XSIRT_VEX_INTERNAL_H
#define XSIRT_VEX_INTERNAL_H

#include <jansson.h>

#include "xsirt/vex.h"

/* {status, justification?, justificationText?, impact?, action?,
 * vulnerability, format, document?, source?}: the statement st of vex;
 * source is the caller's name for the document (a file), or NULL.
 * NULL when out of memory. */
json_t *xsirt_vex_annotation_json(const xsirt_vex *vex, const xsirt_vex_statement *st,
                                  const char *source);

#endif
