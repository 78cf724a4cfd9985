/*
 * output_table.c — the human report of a scan: one block per component
 * with findings, its vulnerabilities sorted by severity (the scan's order),
 * columns aligned; a summary line at the end. A finding VEX speaks of is
 * tagged ([vex: affected], [suppressed: not_affected]) and followed by a
 * line with the statement: status, justification, impact, action, file.
 * Written block by block into a sink (xsirt_match_stream_table).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/str.h"
#include "match/apply_vex.h"
#include "match/output.h"
#include "xsirt/limits.h"
#include "xsirt/match.h"

/* Summaries are cut so that a row fits a wide terminal; VEX texts
 * (impact, action) so that a statement stays a line or two. */
#define OT_SUMMARY_MAX 60
#define OT_VEX_MAX 160

typedef struct ot_widths {
    int id, sev, fixed;
} ot_widths;

/* FIXED: the finding's own bound (by name), else the record's first
 * three fixed versions, ",..." when there are more, "-" when none.
 * ot_fixed_len measures it, ot_fixed_put writes it (room for
 * ot_fixed_len bytes at p) and returns the end. */
#define OT_FIXED_SHOWN 3

static size_t ot_fixed_len(const xsirt_finding *fd, const xsirt_match_record *r)
{
    size_t n = 0;

    if (fd->fixed != NULL)
        return strlen(fd->fixed);
    if (r->n_fixed == 0)
        return 1;
    for (size_t i = 0; i < r->n_fixed && i < OT_FIXED_SHOWN; i++)
        n += (i > 0) + strlen(r->fixed[i]);
    return n + (r->n_fixed > OT_FIXED_SHOWN ? 4 : 0);
}

static char *ot_put(char *p, const char *s, size_t n)
{
    memcpy(p, s, n);
    return p + n;
}

static char *ot_fixed_put(char *p, const xsirt_finding *fd, const xsirt_match_record *r)
{
    if (fd->fixed != NULL)
        return ot_put(p, fd->fixed, strlen(fd->fixed));
    if (r->n_fixed == 0)
        return ot_put(p, "-", 1);
    for (size_t i = 0; i < r->n_fixed && i < OT_FIXED_SHOWN; i++) {
        if (i > 0)
            *p++ = ',';
        p = ot_put(p, r->fixed[i], strlen(r->fixed[i]));
    }
    return r->n_fixed > OT_FIXED_SHOWN ? ot_put(p, ",...", 4) : p;
}

static void ot_measure(const xsirt_findings *f, size_t from, size_t to, unsigned flags,
                       ot_widths *w)
{
    w->id = 2;
    w->sev = 8;
    w->fixed = 5;
    for (size_t i = from; i < to; i++) {
        const xsirt_findings_record *fr = &f->records[f->items[i].record];
        size_t n;
        if (f->items[i].suppressed && !(flags & XSIRT_MATCH_OUT_SUPPRESSED))
            continue;
        if ((int)(n = strlen(fr->rec.id)) > w->id)
            w->id = (int)n;
        if ((n = ot_fixed_len(&f->items[i], &fr->rec)) > (size_t)w->fixed &&
            n <= XSIRT_LIMIT_LINE)
            w->fixed = (int)n;
    }
}

/* Text from a VEX document, on one line: control characters become
 * spaces and it is cut at OT_VEX_MAX bytes (at a character boundary). */
static int ot_text(xsirt_buf *out, const char *label, const char *s)
{
    size_t n = strlen(s);
    int rc;

    if (n > OT_VEX_MAX)
        for (n = OT_VEX_MAX; n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80; n--)
            ;
    if ((rc = xsirt_buf_puts(out, label)) != 0)
        return rc;
    for (size_t i = 0; i < n && rc == 0; i++)
        rc = xsirt_buf_putc(out, (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? ' ' : s[i]);
    return rc == 0 && n < strlen(s) ? xsirt_buf_puts(out, "...") : rc;
}

/* The line under a finding that VEX speaks of: status, justification,
 * impact, action and the document it came from. */
static int ot_vex(xsirt_buf *out, const xsirt_match_vex_view *v)
{
    const xsirt_vex_statement *st = v->statement;
    const char *just = st->justification_text != NULL
                           ? st->justification_text
                           : (st->justification != XSIRT_VEX_JUSTIFICATION_NONE
                                  ? xsirt_vex_justification_name(st->justification)
                                  : NULL);
    const char *from = v->source != NULL ? v->source : v->document->id;
    int rc = xsirt_buf_printf(out, "      VEX %s", xsirt_vex_status_name(st->status));

    if (rc == 0 && just != NULL && (rc = ot_text(out, " (", just)) == 0)
        rc = xsirt_buf_putc(out, ')');
    if (rc == 0 && st->impact != NULL)
        rc = ot_text(out, "; impact: ", st->impact);
    if (rc == 0 && st->action != NULL)
        rc = ot_text(out, "; action: ", st->action);
    if (rc == 0 && from != NULL && (rc = ot_text(out, "  (", from)) == 0)
        rc = xsirt_buf_putc(out, ')');
    return rc != 0 ? rc : xsirt_buf_putc(out, '\n');
}

/* Spaces up to width after len bytes (printf's padding). */
static char *ot_pad(char *p, size_t len, int width)
{
    if (width > 0 && (size_t)width > len) {
        memset(p, ' ', (size_t)width - len);
        p += (size_t)width - len;
    }
    return p;
}

/* A line of the table is built in memory and appended to out at once
 * (ot_line_end): rows are written for every finding, and appending cell
 * by cell (a call, a bounds check and a NUL per cell, printf's padding by
 * hand) was a seventh of the whole `xsirt scan` of 10,000 components.
 * A line of need bytes at most uses stack (OT_LINE_STACK bytes) when it
 * fits, else the heap (a long FIXED list); NULL when out of memory. */
#define OT_LINE_STACK 512

static char *ot_line_begin(char *stack, size_t need)
{
    return need <= OT_LINE_STACK ? stack : malloc(need);
}

static int ot_line_end(xsirt_buf *out, char *line, const char *end, const char *stack)
{
    int rc = xsirt_buf_append(out, line, (size_t)(end - line));

    if (line != stack)
        free(line);
    return rc;
}

/* One finding's row, its cells padded to the widths. */
static int ot_row(xsirt_buf *out, const xsirt_findings *f, const xsirt_finding *fd,
                  const ot_widths *w)
{
    const xsirt_findings_record *fr = &f->records[fd->record];
    xsirt_match_vex_view v;
    bool has_vex = xsirt_match_vex_view_get(&v, f, fd);
    char score[XSIRT_FIXED_MAX] = "-", epss[XSIRT_FIXED_MAX] = "-", stack[OT_LINE_STACK];
    const char *summary = fr->rec.summary, *sev = xsirt_match_severity_name(fr->rating);
    const char *kev = fr->rec.kev ? "KEV" : "";
    /* only whether the summary is longer than the column matters: it is
     * not read to its end (summaries run to hundreds of bytes) */
    size_t slen = strnlen(summary, OT_SUMMARY_MAX + 1), idlen = strlen(fr->rec.id);
    size_t sevlen = strlen(sev);
    size_t fixedlen = ot_fixed_len(fd, &fr->rec), scorelen, epsslen, kevlen = strlen(kev), need;
    char *line, *p;
    int rc;

    if (fixedlen > XSIRT_LIMIT_LINE)
        return XSIRT_ENOMEM;   /* as the column's buffer refused it */
    if (fr->score >= 0)
        xsirt_format_fixed(score, fr->score, 1);
    if (fr->rec.has_epss)
        xsirt_format_fixed(epss, fr->rec.epss, 3);
    scorelen = strlen(score);
    epsslen = strlen(epss);
    /* each cell at most its text plus its width, the separators, the
     * summary and "...", the newline */
    need = idlen + (size_t)w->id + sevlen + (size_t)w->sev + scorelen + 5 + kevlen + 3 +
           epsslen + 5 + fixedlen + (size_t)w->fixed + OT_SUMMARY_MAX + 16;
    if ((line = ot_line_begin(stack, need)) == NULL)
        return XSIRT_ENOMEM;
    p = ot_put(line, "  ", 2);
    p = ot_pad(ot_put(p, fr->rec.id, idlen), idlen, w->id);
    p = ot_put(p, "  ", 2);
    p = ot_pad(ot_put(p, sev, sevlen), sevlen, w->sev);
    p = ot_put(ot_pad(ot_put(p, " ", 1), scorelen, 5), score, scorelen);
    p = ot_put(p, "  ", 2);
    p = ot_pad(ot_put(p, kev, kevlen), kevlen, 3);
    p = ot_put(ot_pad(ot_put(p, "  ", 2), epsslen, 5), epss, epsslen);
    p = ot_put(p, "  ", 2);
    p = ot_pad(ot_fixed_put(p, fd, &fr->rec), fixedlen, w->fixed);
    p = ot_put(p, "  ", 2);
    p = ot_put(p, summary, slen > OT_SUMMARY_MAX ? OT_SUMMARY_MAX - 3 : slen);
    if (slen > OT_SUMMARY_MAX)
        p = ot_put(p, "...", 3);
    if (!has_vex)
        *p++ = '\n';
    rc = ot_line_end(out, line, p, stack);
    if (rc == 0 && has_vex)
        rc = xsirt_buf_printf(out, "  [%s%s]\n", fd->suppressed ? "suppressed: " : "vex: ",
                              xsirt_vex_status_name(v.statement->status));
    if (rc == 0 && has_vex)
        rc = ot_vex(out, &v);
    return rc;
}

static int ot_component(xsirt_buf *out, const xsirt_findings *f, size_t from, size_t to,
                        unsigned flags)
{
    const xsirt_sbom_component *c = &f->sbom->components[f->items[from].component];
    ot_widths w;
    char stack[OT_LINE_STACK], *line, *p;
    size_t nlen, vlen, plen, need;
    int rc;

    ot_measure(f, from, to, flags, &w);
    /* name version  (purl), then the column heads */
    nlen = strlen(c->name);
    vlen = c->version != NULL ? strlen(c->version) : 0;
    plen = c->purl != NULL ? strlen(c->purl) : 0;
    need = nlen + vlen + plen + (size_t)w.id + (size_t)w.sev + (size_t)w.fixed + 64;
    if ((line = ot_line_begin(stack, need)) == NULL)
        return XSIRT_ENOMEM;
    p = ot_put(ot_put(line, c->name, nlen), " ", 1);
    if (c->version != NULL)   /* memcpy is not to be given NULL, even for 0 bytes */
        p = ot_put(p, c->version, vlen);
    if (c->purl != NULL)
        p = ot_put(ot_put(ot_put(p, "  (", 3), c->purl, plen), ")", 1);
    p = ot_pad(ot_put(p, "\n  ID", 5), 2, w.id);
    p = ot_pad(ot_put(p, "  SEVERITY", 10), 8, w.sev);
    p = ot_put(p, " SCORE  KEV   EPSS", 18);
    p = ot_pad(ot_put(p, "  FIXED", 7), 5, w.fixed);
    p = ot_put(p, "  SUMMARY\n", 10);
    rc = ot_line_end(out, line, p, stack);
    for (size_t i = from; i < to && rc == 0; i++)
        if (!f->items[i].suppressed || (flags & XSIRT_MATCH_OUT_SUPPRESSED))
            rc = ot_row(out, f, &f->items[i], &w);
    return rc != 0 ? rc : xsirt_buf_putc(out, '\n');
}

/* Streamed: each component's block is made in a small buffer and handed
 * to the sink before the next one, so memory does not grow with the
 * findings. */
int xsirt_match_stream_table(const xsirt_findings *f, unsigned flags, xsirt_match_write_fn sink,
                             void *ctx, xsirt_error *err)
{
    const xsirt_findings_stats *s = &f->stats;
    xsirt_buf b;
    int rc = 0;
    char annotated[48] = "", by_name[48] = "";

    if (s->annotated > 0)
        snprintf(annotated, sizeof annotated, ", %zu annotated by VEX", s->annotated);
    xsirt_buf_init(&b, XSIRT_LIMIT_REPORT_TEXT);
    for (size_t i = 0; i < f->count && rc == 0;) {
        size_t j = i, shown = 0;
        while (j < f->count && f->items[j].component == f->items[i].component) {
            shown += !f->items[j].suppressed || (flags & XSIRT_MATCH_OUT_SUPPRESSED);
            j++;
        }
        if (shown > 0 && (rc = ot_component(&b, f, i, j, flags)) == 0 && b.len >= 65536) {
            if ((rc = sink(ctx, b.data, b.len, err)) != 0) {
                xsirt_buf_free(&b);
                return rc;
            }
            xsirt_buf_reset(&b);
        }
        i = j;
    }
    /* devices named by vendor and product: said only when there are some */
    if (s->by_name > 0)
        snprintf(by_name, sizeof by_name, ", of which %zu by name", s->by_name);
    if (rc == 0)
        rc = xsirt_buf_printf(
            &b,
            "%zu finding%s (critical %zu, high %zu, medium %zu, low %zu, unknown %zu), "
            "%zu suppressed%s; %zu components scanned (%zu by purl, %zu by CPE, %zu without "
            "identifier%s)\n",
            s->findings, s->findings == 1 ? "" : "s", s->by_severity[XSIRT_MATCH_SEV_CRITICAL],
            s->by_severity[XSIRT_MATCH_SEV_HIGH], s->by_severity[XSIRT_MATCH_SEV_MEDIUM],
            s->by_severity[XSIRT_MATCH_SEV_LOW], s->by_severity[XSIRT_MATCH_SEV_UNKNOWN],
            s->suppressed, annotated, s->components, s->with_purl, s->with_cpe_only,
            s->without_identifier, by_name);
    if (rc != 0) {
        xsirt_buf_free(&b);
        return xsirt_error_set(err, XSIRT_ENOMEM, "table: out of memory");
    }
    rc = sink(ctx, b.data, b.len, err);
    xsirt_buf_free(&b);
    return rc;
}

int xsirt_match_write_table(char **out, const xsirt_findings *f, unsigned flags,
                            xsirt_error *err)
{
    return xsirt_match_as_text(out, xsirt_match_stream_table, f, flags, err);
}
