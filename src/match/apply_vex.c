/*
 * apply_vex.c — VEX documents applied to the matching engine's findings
 * (xsirt_match_apply_vex), and the one view of "what VEX says about this
 * finding" that the writers print.
 *
 * Which statement applies is not decided here: each finding is turned into
 * an xsirt_vex_subject (record id and aliases, component purl, CPE and
 * bom-ref) and xsirt_vex_matcher_find answers, the same rule the findings
 * JSON path (xsirt_vex_apply) uses. A finding keeps a pointer to the
 * statement and its document rather than copies, so writers can say which
 * document and statement suppressed or annotated it.
 *
 * The scan applies the SBOM's own CycloneDX analysis this way too
 * (findings->sbom_vex), so whatever VEX says prints the same way.
 */
#include <string.h>

#include "match/apply_vex.h"
#include "xsirt/match.h"

void xsirt_match_recount(xsirt_findings *f)
{
    xsirt_findings_stats *s = &f->stats;

    s->findings = s->suppressed = s->annotated = 0;
    memset(s->by_severity, 0, sizeof s->by_severity);
    for (size_t i = 0; i < f->count; i++) {
        const xsirt_finding *fd = &f->items[i];
        if (fd->suppressed) {
            s->suppressed++;
            continue;
        }
        s->findings++;
        s->annotated += fd->vex != NULL;
        s->by_severity[f->records[fd->record].rating]++;
    }
}

int xsirt_match_apply_vex(xsirt_findings *f, const xsirt_vex *vex, const char *source,
                          xsirt_error *err)
{
    xsirt_vex_matcher *m;
    int rc;

    if (f == NULL || vex == NULL)
        return xsirt_error_set(err, XSIRT_EINVAL, "no findings or no VEX statements given");
    if ((rc = xsirt_vex_matcher_new(&m, vex, err)) != 0)
        return rc;
    for (size_t i = 0; i < f->count; i++) {
        xsirt_finding *fd = &f->items[i];
        const xsirt_sbom_component *c = &f->sbom->components[fd->component];
        const xsirt_match_record *r = &f->records[fd->record].rec;
        const xsirt_vex_subject s = {r->id, r->aliases, r->n_aliases, c->purl, c->cpe, c->ref,
                                     c->manufacturer != NULL ? c->manufacturer : c->supplier,
                                     c->name, c->version};
        const xsirt_vex_statement *st = xsirt_vex_matcher_find(m, &s);
        if (st == NULL)
            continue;
        fd->vex = st;
        fd->vex_document = vex;
        fd->vex_source = source;
        fd->suppressed = xsirt_vex_suppresses(st->status);
    }
    xsirt_vex_matcher_free(m);
    xsirt_match_recount(f);
    return 0;
}

bool xsirt_match_vex_view_get(xsirt_match_vex_view *v, const xsirt_findings *f,
                              const xsirt_finding *fd)
{
    memset(v, 0, sizeof *v);
    if (fd->vex == NULL)
        return false;
    v->statement = fd->vex;
    v->document = fd->vex_document;
    /* The SBOM's own statements come from the SBOM's file. */
    v->source = fd->vex_source != NULL || fd->vex_document != f->sbom_vex ? fd->vex_source
                                                                          : f->source;
    return true;
}
