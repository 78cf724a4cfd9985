/*
 * apply_vex.h — what VEX says about one finding, for the writers
 * (output_json.c, output_table.c): the statement xsirt_match_apply_vex
 * applied, or the SBOM analysis the scanner suppressed it with, seen as a
 * statement of a CycloneDX document, so both print alike.
 */
#ifndef XSIRT_MATCH_APPLY_VEX_H
#define XSIRT_MATCH_APPLY_VEX_H

#include <stdbool.h>

#include "xsirt/match.h"

typedef struct xsirt_match_vex_view {
    const xsirt_vex_statement *statement;
    const xsirt_vex *document;
    const char *source;                 /* the document's file, or NULL */
    xsirt_vex_statement tmp_statement;  /* the storage behind a scanner's */
    xsirt_vex tmp_document;             /* SBOM analysis (do not copy v) */
} xsirt_match_vex_view;

/* Fills *v; false when no VEX speaks of fd. */
bool xsirt_match_vex_view_get(xsirt_match_vex_view *v, const xsirt_findings *f,
                              const xsirt_finding *fd);

#endif
