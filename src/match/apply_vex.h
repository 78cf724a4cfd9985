/*
 * apply_vex.h — what VEX says about one finding, for the writers
 * (output_json.c, output_table.c): the statement applied last, its
 * document and file; and the recount of stats the scanner shares.
 */
#ifndef XSIRT_MATCH_APPLY_VEX_H
#define XSIRT_MATCH_APPLY_VEX_H

#include <stdbool.h>

#include "xsirt/match.h"

typedef struct xsirt_match_vex_view {
    const xsirt_vex_statement *statement;
    const xsirt_vex *document;
    const char *source;                 /* the document's file, or NULL */
} xsirt_match_vex_view;

/* Fills *v; false when no VEX speaks of fd. */
bool xsirt_match_vex_view_get(xsirt_match_vex_view *v, const xsirt_findings *f,
                              const xsirt_finding *fd);

/* Recomputes f->stats' counts that depend on suppression (findings,
 * suppressed, annotated, by severity) from the items. */
void xsirt_match_recount(xsirt_findings *f);

#endif
