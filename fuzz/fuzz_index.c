/*
 * fuzz_index.c — opening a corrupted index (xsirt db build's output) must
 * never crash: the image is opened in place, every record, key and posting
 * is read through the checked accessors, then an SBOM made from the
 * index's own keys is scanned and both reports written, so lookups, range
 * parsing and output all run over hostile tables. VEX statements made from
 * the findings themselves are applied first (xsirt_match_apply_vex), so
 * the reports print suppressions and annotations of hostile records too.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "match/index_read.h"
#include "xsirt/match.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Bounds the work on an image that claims millions of entries. */
#define FZ_MAX 4096
#define FZ_COMPONENTS 32

static volatile size_t fz_sink;

static void fz_records(const xsirt_match_index *idx)
{
    size_t n = xsirt_match_index_records(idx);

    for (size_t i = 0; i < n && i < FZ_MAX; i++) {
        xsirt_match_record r;
        if (xsirt_match_record_get(&r, idx, i, NULL) != 0)
            continue;
        fz_sink += strlen(r.id) + strlen(r.summary) + strlen(r.modified);
        for (size_t j = 0; j < r.n_aliases; j++)
            fz_sink += strlen(r.aliases[j]);
        for (size_t j = 0; j < r.n_severities; j++)
            fz_sink += strlen(r.severity_types[j]) + strlen(r.severity_vectors[j]);
        for (size_t j = 0; j < r.n_fixed; j++)
            fz_sink += strlen(r.fixed[j]);
        if (r.document_len > 0)
            fz_sink += (unsigned char)r.document[r.document_len - 1];
        xsirt_match_record_clear(&r);
    }
}

/* One component per key (up to FZ_COMPONENTS), at a version its first
 * posting names, so that the scan takes the matching paths. */
static size_t fz_components(const xsirt_match_index *idx, xsirt_sbom_component *comps,
                            char bufs[][512])
{
    size_t n = 0;

    for (size_t i = 0; i < xsirt_match_index_keys(idx) && n < FZ_COMPONENTS; i++) {
        uint32_t first, count;
        const char *key = xsirt_ix_key_at(idx, i, &first, &count);
        const char *version = "1.0.0";
        xsirt_ix_posting p;
        if (count > 0 && xsirt_ix_posting_at(idx, first, &p) && p.n_list > 0)
            version = xsirt_ix_ref(idx, p.list, p.n_list, 0);
        for (uint32_t j = first; j < first + count && j - first < 16; j++)
            if (xsirt_ix_posting_at(idx, j, &p))
                fz_sink += strlen(xsirt_ix_str(idx, p.range)) + strlen(xsirt_ix_str(idx, p.source)) +
                           strlen(xsirt_ix_str(idx, p.scheme));
        memset(&comps[n], 0, sizeof comps[n]);
        comps[n].name = "c";
        comps[n].version = version;
        comps[n].parent = XSIRT_SBOM_NONE;
        if (strncmp(key, "p:", 2) == 0) {
            const char *slash = strchr(key + 2, '/');
            if (slash == NULL)
                continue;
            snprintf(bufs[n], 512, "pkg:%.*s/%s@%s", (int)(slash - key - 2), key + 2, slash + 1,
                     version);
            comps[n].purl = bufs[n];
        } else if (strncmp(key, "c:", 2) == 0) {
            snprintf(bufs[n], 512, "cpe:2.3:a:%s:%s:*:*:*:*:*:*:*", key + 2, version);
            comps[n].cpe = bufs[n];
        }
        n++;
    }
    return n;
}

/* One statement per finding (up to FZ_COMPONENTS), naming its record by
 * an alias when it has one and its component by purl, CPE or name, the
 * four statuses in turn. Static: the findings point at them until freed. */
static void fz_vex(xsirt_findings *f)
{
    static xsirt_vex_statement st[FZ_COMPONENTS];
    static const char *prods[FZ_COMPONENTS];
    static xsirt_vex vex;

    memset(&vex, 0, sizeof vex);
    vex.format = XSIRT_VEX_OPENVEX;
    vex.id = "https://example.com/vex/fuzz";
    vex.statements = st;
    for (size_t i = 0; i < f->count && vex.count < FZ_COMPONENTS; i++) {
        const xsirt_sbom_component *c = &f->sbom->components[f->items[i].component];
        const xsirt_match_record *r = &f->records[f->items[i].record].rec;
        xsirt_vex_statement *s = &st[vex.count];
        memset(s, 0, sizeof *s);
        s->vulnerability = r->n_aliases > 0 ? r->aliases[0] : r->id;
        prods[vex.count] = c->purl != NULL ? c->purl : c->cpe != NULL ? c->cpe : c->name;
        s->products = &prods[vex.count];
        s->n_products = 1;
        s->status = (xsirt_vex_status)(XSIRT_VEX_NOT_AFFECTED + (int)(vex.count % 4));
        s->impact = "fuzz";
        vex.count++;
    }
    (void)xsirt_match_apply_vex(f, &vex, "fuzz.json", NULL);
}

static void fz_scan(const xsirt_match_index *idx)
{
    static xsirt_sbom_component comps[FZ_COMPONENTS];
    static char bufs[FZ_COMPONENTS][512];
    xsirt_sbom sbom;
    xsirt_findings *f = NULL;
    char *out = NULL;

    memset(&sbom, 0, sizeof sbom);
    sbom.subject = XSIRT_SBOM_NONE;
    sbom.components = comps;
    sbom.component_count = fz_components(idx, comps, bufs);
    if (xsirt_match_scan(&f, idx, &sbom, NULL) != 0)
        return;
    fz_vex(f);
    if (xsirt_match_write_json(&out, f, XSIRT_MATCH_OUT_SUPPRESSED, NULL) == 0)
        fz_sink += strlen(out);
    free(out);
    out = NULL;
    if (xsirt_match_write_table(&out, f, 0, NULL) == 0)
        fz_sink += strlen(out);
    free(out);
    xsirt_findings_free(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    xsirt_match_index *idx;
    size_t at;

    if (xsirt_match_index_open(&idx, data, size, NULL) != 0)
        return 0;
    fz_sink += strlen(xsirt_match_index_info(idx));
    fz_records(idx);
    fz_scan(idx);
    (void)xsirt_match_record_find(&at, idx, "CVE-2021-44228", NULL);
    xsirt_match_index_close(idx);
    return 0;
}
