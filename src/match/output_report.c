/*
 * output_report.c — the report formats of report.h (SARIF, CycloneDX,
 * OpenVEX) written straight from a scan's findings, streamed.
 *
 * The writers work from a compact view of the findings (rp_findings:
 * pointers, no copies). From the JSON text they need the whole findings
 * document parsed first; from a scan, the view points into the SBOM model
 * and the matched records, plus one small jansson object per distinct
 * vulnerability and per VEX annotation. So the memory of a report grows
 * with the vulnerabilities and the VEX statements used, not with the
 * findings times their records, and no findings JSON is written or parsed
 * on the way. Suppressed findings are included, marked, as
 * XSIRT_MATCH_OUT_INLINE gives them to the text API.
 */
#include <stdlib.h>
#include <string.h>

#include "formats/report_internal.h"
#include "match/output.h"
#include "xsirt/match.h"

/* Keeps v (a new reference) alive as long as the view; NULL when v is. */
static json_t *rv_own(rp_findings *view, json_t *v)
{
    if (v == NULL || json_array_append_new(view->owned, v) != 0)
        return NULL;
    return v;
}

typedef struct rv_rec {
    const char *id;
    size_t r;
} rv_rec;

static int cmp_record_id(const void *pa, const void *pb)
{
    const rv_rec *a = pa, *b = pb;
    int c = strcmp(a->id, b->id);

    return c != 0 ? c : (a->r > b->r) - (a->r < b->r);
}

/* The slot of each finding in the writers' order (vulnerability id
 * first) without comparing ids per finding: records are ranked by id
 * once and findings placed by rank (a counting sort, keeping their order);
 * each rank's run is then sorted by the rest of the key (rv_build). On
 * return slot[i] is finding i's place, end[k] the end of rank k's run. */
static int rv_places(size_t **slot_out, size_t **end_out, const xsirt_findings *f)
{
    size_t nr = f->n_records, *rank = calloc(nr + 1, sizeof *rank),
           *end = calloc(nr + 2, sizeof *end), *slot = calloc(f->count + 1, sizeof *slot);
    rv_rec *order = calloc(nr + 1, sizeof *order);
    size_t ranks = 0;

    if (order == NULL || rank == NULL || end == NULL || slot == NULL) {
        free(order);
        free(rank);
        free(end);
        free(slot);
        return XSIRT_ENOMEM;
    }
    for (size_t r = 0; r < nr; r++) {
        order[r].id = f->records[r].rec.id;
        order[r].r = r;
    }
    qsort(order, nr, sizeof *order, cmp_record_id);
    for (size_t k = 0; k < nr; k++) {
        if (k > 0 && strcmp(order[k].id, order[k - 1].id) != 0)
            ranks++;
        rank[order[k].r] = ranks;
    }
    for (size_t i = 0; i < f->count; i++)
        end[rank[f->items[i].record] + 1]++;
    for (size_t k = 1; k < nr + 2; k++)
        end[k] += end[k - 1];
    for (size_t i = 0; i < f->count; i++)
        slot[i] = end[rank[f->items[i].record]]++;
    free(order);
    free(rank);
    *slot_out = slot;
    *end_out = end;
    return 0;
}

static int rv_build(rp_findings *view, const xsirt_findings *f)
{
    size_t *slot = NULL, *end = NULL;

    memset(view, 0, sizeof *view);
    view->owned = json_array();
    view->vulns = calloc(f->n_records ? f->n_records : 1, sizeof *view->vulns);
    view->items = calloc(f->count ? f->count : 1, sizeof *view->items);
    if (view->owned == NULL || view->vulns == NULL || view->items == NULL ||
        rv_places(&slot, &end, f) != 0)
        return XSIRT_ENOMEM;
    for (size_t r = 0; r < f->n_records; r++) {
        json_t *v = rv_own(view, xsirt_match_vuln_json(&f->records[r], NULL));
        if (v == NULL || !rp_vuln_read(&view->vulns[r], v))
            break;
        view->n_vulns++;
    }
    for (size_t i = 0; view->n_vulns == f->n_records && i < f->count; i++) {
        const xsirt_finding *fd = &f->items[i];
        const xsirt_sbom_component *c = &f->sbom->components[fd->component];
        rp_finding *o = &view->items[slot[i]];
        json_t *vex = xsirt_match_vex_json(f, fd);
        if (vex != NULL && rv_own(view, vex) == NULL)
            break;
        o->index = i;
        o->name = c->name != NULL ? c->name : "";
        o->version = c->version;
        o->purl = c->purl;
        o->bom_ref = c->ref;
        o->cpe = c->cpe;
        o->v = &view->vulns[fd->record];
        o->matched_by = fd->matched_by;
        o->range = fd->range;
        if (fd->suppressed)
            o->suppressed_by = vex;
        else
            o->vex = vex;
        view->count++;
    }
    for (size_t k = 0, from = 0; view->count == f->count && from < f->count; k++) {
        rp_sort_items(view->items + from, end[k] - from);
        from = end[k];
    }
    free(slot);
    free(end);
    return view->count == f->count && view->n_vulns == f->n_records ? 0 : XSIRT_ENOMEM;
}

int xsirt_match_stream_report(const xsirt_findings *f, const char *format,
                              const xsirt_report_options *opts, xsirt_match_write_fn sink,
                              void *ctx, xsirt_error *err)
{
    rp_findings view;
    int rc = rv_build(&view, f);

    if (rc != 0)
        rc = xsirt_error_set(err, rc, "out of memory writing the %s report", format);
    else
        rc = xsirt_report_stream_view(format, &view, f->sbom, opts, sink, ctx, err);
    rp_findings_free(&view);
    return rc;
}
