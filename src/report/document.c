/*
 * document.c — renders the report document model (document.h) as HTML
 * and as PDF.
 *
 * The PDF is drawn with cairo on A4 pages and its text laid out by pango,
 * which shapes Japanese and breaks lines where Japanese may break; the
 * font is Noto Sans CJK JP (fonts-noto-cjk), which covers Latin too.
 * Charts are grouped bars drawn as paths, so they stay vectors. Every
 * page carries the document's TLP label at the top, as TLP 2.0 asks of
 * anything shared.
 */
#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "report/document.h"
#include "xsirt/limits.h"

#define PAGE_W 595.0   /* A4 in points */
#define PAGE_H 842.0
#define MARGIN 50.0
#define FONT "Noto Sans CJK JP"

/* TLP 2.0 label colours (text on black), from the FIRST standard. */
static void tlp_rgb(const char *tlp, double *r, double *g, double *b)
{
    *r = *g = *b = 1.0;
    if (strcmp(tlp, "RED") == 0)
        *r = 1.0, *g = 0.17, *b = 0.17;
    else if (strncmp(tlp, "AMBER", 5) == 0)
        *r = 1.0, *g = 0.75, *b = 0.0;
    else if (strcmp(tlp, "GREEN") == 0)
        *r = 0.2, *g = 1.0, *b = 0.0;
}

/* Series colours: distinguishable, also in grey print. */
static const double palette[][3] = {{0.16, 0.35, 0.62}, {0.85, 0.45, 0.10}, {0.30, 0.60, 0.30},
                                    {0.60, 0.25, 0.55}, {0.50, 0.50, 0.50}, {0.80, 0.70, 0.20}};
#define PALETTE_N (sizeof palette / sizeof palette[0])

/* ---- HTML ---------------------------------------------------------------- */

static int html_text(xsirt_buf *b, const char *s)
{
    int rc = 0;

    for (; rc == 0 && s != NULL && *s != '\0'; s++) {
        switch (*s) {
        case '<': rc = xsirt_buf_puts(b, "&lt;"); break;
        case '>': rc = xsirt_buf_puts(b, "&gt;"); break;
        case '&': rc = xsirt_buf_puts(b, "&amp;"); break;
        case '"': rc = xsirt_buf_puts(b, "&quot;"); break;
        case '\'': rc = xsirt_buf_puts(b, "&#39;"); break;
        default: rc = xsirt_buf_putc(b, *s); break;
        }
    }
    return rc;
}

static int html_tlp(xsirt_buf *b, const char *tlp)
{
    double r, g, bl;

    tlp_rgb(tlp, &r, &g, &bl);
    xsirt_buf_printf(b, "<span class=\"tlp\" style=\"color:#%02x%02x%02x\">TLP:", (int)(r * 255),
                     (int)(g * 255), (int)(bl * 255));
    html_text(b, tlp);
    return xsirt_buf_puts(b, "</span>");
}

static double chart_max(const json_t *series)
{
    double max = 0;

    for (size_t s = 0; s < json_array_size(series); s++) {
        const json_t *vals = json_object_get(json_array_get(series, s), "values");
        for (size_t i = 0; i < json_array_size(vals); i++)
            if (json_number_value(json_array_get(vals, i)) > max)
                max = json_number_value(json_array_get(vals, i));
    }
    return max > 0 ? max : 1;
}

/* The chart as inline SVG: the same geometry the PDF draws. */
static void html_chart(xsirt_buf *b, const json_t *c)
{
    const json_t *labels = json_object_get(c, "labels"), *series = json_object_get(c, "series");
    size_t nl = json_array_size(labels), ns = json_array_size(series);
    double w = 480, h = 180, max = chart_max(series), gw = nl > 0 ? w / (double)nl : w;
    double bw = ns > 0 ? gw * 0.7 / (double)ns : 0;

    xsirt_buf_puts(b, "<figure><figcaption>");
    html_text(b, json_string_value(json_object_get(c, "title")));
    xsirt_buf_printf(b, "</figcaption><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" "
                        "height=\"%.0f\" viewBox=\"-40 -10 %.0f %.0f\">", w + 60, h + 60, w + 60, h + 60);
    xsirt_buf_printf(b, "<line x1=\"0\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" stroke=\"#000\"/>", h, w, h);
    xsirt_buf_printf(b, "<text x=\"-4\" y=\"8\" font-size=\"9\" text-anchor=\"end\">%g</text>", max);
    for (size_t i = 0; i < nl; i++) {
        for (size_t s = 0; s < ns; s++) {
            double v = json_number_value(json_array_get(json_object_get(json_array_get(series, s), "values"), i));
            double bh = v / max * h;
            const double *col = palette[s % PALETTE_N];
            xsirt_buf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                                "fill=\"rgb(%d,%d,%d)\"><title>%g</title></rect>",
                             (double)i * gw + gw * 0.15 + (double)s * bw, h - bh, bw, bh,
                             (int)(col[0] * 255), (int)(col[1] * 255), (int)(col[2] * 255), v);
        }
        xsirt_buf_printf(b, "<text x=\"%.1f\" y=\"%.0f\" font-size=\"9\" text-anchor=\"middle\">",
                         (double)i * gw + gw / 2, h + 12);
        html_text(b, json_string_value(json_array_get(labels, i)));
        xsirt_buf_puts(b, "</text>");
    }
    for (size_t s = 0; s < ns; s++) {
        const double *col = palette[s % PALETTE_N];
        xsirt_buf_printf(b, "<rect x=\"%.0f\" y=\"%.0f\" width=\"8\" height=\"8\" fill=\"rgb(%d,%d,%d)\"/>"
                            "<text x=\"%.0f\" y=\"%.0f\" font-size=\"9\">",
                         (double)(s % 4) * 120, h + 22 + (double)(s / 4) * 12, (int)(col[0] * 255),
                         (int)(col[1] * 255), (int)(col[2] * 255), (double)(s % 4) * 120 + 11,
                         h + 30 + (double)(s / 4) * 12);
        html_text(b, json_string_value(json_object_get(json_array_get(series, s), "name")));
        xsirt_buf_puts(b, "</text>");
    }
    xsirt_buf_puts(b, "</svg>");
    if (json_string_value(json_object_get(c, "unit")) != NULL) {
        xsirt_buf_puts(b, "<p class=\"unit\">");
        html_text(b, json_string_value(json_object_get(c, "unit")));
        xsirt_buf_puts(b, "</p>");
    }
    xsirt_buf_puts(b, "</figure>\n");
}

static void html_table(xsirt_buf *b, const json_t *t)
{
    const json_t *head = json_object_get(t, "head"), *rows = json_object_get(t, "rows");

    xsirt_buf_puts(b, "<table><thead><tr>");
    for (size_t i = 0; i < json_array_size(head); i++) {
        xsirt_buf_puts(b, "<th>");
        html_text(b, json_string_value(json_array_get(head, i)));
        xsirt_buf_puts(b, "</th>");
    }
    xsirt_buf_puts(b, "</tr></thead><tbody>");
    for (size_t r = 0; r < json_array_size(rows); r++) {
        const json_t *row = json_array_get(rows, r);
        xsirt_buf_puts(b, "<tr>");
        for (size_t i = 0; i < json_array_size(row); i++) {
            const char *cell = json_string_value(json_array_get(row, i));
            xsirt_buf_puts(b, "<td>");
            if (cell != NULL && strncmp(cell, "TLP:", 4) == 0)
                html_tlp(b, cell + 4);
            else
                html_text(b, cell);
            xsirt_buf_puts(b, "</td>");
        }
        xsirt_buf_puts(b, "</tr>");
    }
    xsirt_buf_puts(b, "</tbody></table>\n");
}

int xsirt_document_html(char **out, size_t *size, const json_t *doc, xsirt_error *err)
{
    const json_t *blocks = json_object_get(doc, "blocks");
    const char *tlp = json_string_value(json_object_get(doc, "tlp"));
    xsirt_buf b;
    int rc;

    *out = NULL;
    xsirt_buf_init(&b, XSIRT_LIMIT_REPORT_BYTES);
    xsirt_buf_printf(&b, "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\"><title>",
                     json_string_value(json_object_get(doc, "lang")));
    html_text(&b, json_string_value(json_object_get(doc, "title")));
    xsirt_buf_puts(&b, "</title><style>body{font-family:'Noto Sans CJK JP',sans-serif;max-width:50em;"
                       "margin:2em auto}.tlp{background:#000;padding:0 .4em;font-weight:bold}"
                       "table{border-collapse:collapse}td,th{border:1px solid #999;padding:.2em .5em;"
                       "text-align:left}.unit{font-size:smaller;color:#555}</style></head><body>\n"
                       "<p class=\"marking\">");
    html_tlp(&b, tlp != NULL ? tlp : "CLEAR");
    xsirt_buf_puts(&b, "</p>\n<h1>");
    html_text(&b, json_string_value(json_object_get(doc, "title")));
    xsirt_buf_puts(&b, "</h1>\n<p class=\"subtitle\">");
    html_text(&b, json_string_value(json_object_get(doc, "subtitle")));
    xsirt_buf_puts(&b, "</p>\n");
    for (size_t i = 0; i < json_array_size(blocks); i++) {
        const json_t *blk = json_array_get(blocks, i);
        if (json_object_get(blk, "h") != NULL) {
            xsirt_buf_puts(&b, "<h2>");
            html_text(&b, json_string_value(json_object_get(blk, "h")));
            xsirt_buf_puts(&b, "</h2>\n");
        } else if (json_object_get(blk, "p") != NULL) {
            xsirt_buf_puts(&b, "<p>");
            html_text(&b, json_string_value(json_object_get(blk, "p")));
            xsirt_buf_puts(&b, "</p>\n");
        } else if (json_object_get(blk, "chart") != NULL) {
            html_chart(&b, json_object_get(blk, "chart"));
        } else if (json_object_get(blk, "table") != NULL) {
            html_table(&b, json_object_get(blk, "table"));
        }
    }
    xsirt_buf_puts(&b, "<footer>");
    html_text(&b, json_string_value(json_object_get(doc, "footer")));
    rc = xsirt_buf_puts(&b, "</footer></body></html>\n");
    if (rc != 0) {
        xsirt_buf_free(&b);
        return xsirt_error_set(err, XSIRT_ELIMIT, "report over %u bytes", XSIRT_LIMIT_REPORT_BYTES);
    }
    *size = strlen(xsirt_buf_cstr(&b));
    *out = xsirt_buf_detach(&b);
    return *out != NULL ? 0 : xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
}

/* ---- PDF ----------------------------------------------------------------- */

typedef struct pdf {
    cairo_surface_t *surface;
    cairo_t *cr;
    const json_t *doc;
    double y;
    int page;
    xsirt_buf out;
    int write_failed;
} pdf;

static cairo_status_t pdf_write(void *closure, const unsigned char *data, unsigned int length)
{
    pdf *p = closure;

    if (xsirt_buf_append(&p->out, data, length) != 0) {
        p->write_failed = 1;
        return CAIRO_STATUS_WRITE_ERROR;
    }
    return CAIRO_STATUS_SUCCESS;
}

/* Lays out text at (x, y) within width; returns its height. */
static double pdf_text(pdf *p, double x, double y, double width, const char *text, double size,
                       bool bold, bool draw)
{
    PangoLayout *layout = pango_cairo_create_layout(p->cr);
    PangoFontDescription *font = pango_font_description_from_string(FONT);
    int w, h;

    pango_font_description_set_absolute_size(font, size * PANGO_SCALE);
    pango_font_description_set_weight(font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(layout, font);
    pango_layout_set_width(layout, (int)(width * PANGO_SCALE));
    pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_text(layout, text != NULL ? text : "", -1);
    pango_layout_get_size(layout, &w, &h);
    if (draw) {
        cairo_move_to(p->cr, x, y);
        pango_cairo_show_layout(p->cr, layout);
    }
    pango_font_description_free(font);
    g_object_unref(layout);
    return (double)h / PANGO_SCALE;
}

/* A TLP label: black box, coloured text. Returns its width. */
static double pdf_tlp(pdf *p, double x, double y, const char *tlp, double size)
{
    char label[32];
    double r, g, b, w;
    PangoLayout *layout = pango_cairo_create_layout(p->cr);
    PangoFontDescription *font = pango_font_description_from_string(FONT " Bold");
    int lw, lh;

    snprintf(label, sizeof label, "TLP:%s", tlp);
    pango_font_description_set_absolute_size(font, size * PANGO_SCALE);
    pango_layout_set_font_description(layout, font);
    pango_layout_set_text(layout, label, -1);
    pango_layout_get_size(layout, &lw, &lh);
    w = (double)lw / PANGO_SCALE + 6;
    cairo_set_source_rgb(p->cr, 0, 0, 0);
    cairo_rectangle(p->cr, x, y, w, (double)lh / PANGO_SCALE);
    cairo_fill(p->cr);
    tlp_rgb(tlp, &r, &g, &b);
    cairo_set_source_rgb(p->cr, r, g, b);
    cairo_move_to(p->cr, x + 3, y);
    pango_cairo_show_layout(p->cr, layout);
    cairo_set_source_rgb(p->cr, 0, 0, 0);
    pango_font_description_free(font);
    g_object_unref(layout);
    return w;
}

static void pdf_page_start(pdf *p)
{
    const char *tlp = json_string_value(json_object_get(p->doc, "tlp"));
    char num[32];

    p->page++;
    pdf_tlp(p, PAGE_W - MARGIN - 80, 20, tlp != NULL ? tlp : "CLEAR", 9);
    snprintf(num, sizeof num, "%d", p->page);
    pdf_text(p, MARGIN, PAGE_H - 35, PAGE_W - 2 * MARGIN,
             json_string_value(json_object_get(p->doc, "footer")), 7, false, true);
    pdf_text(p, PAGE_W - MARGIN - 20, PAGE_H - 35, 20, num, 7, false, true);
    p->y = MARGIN;
}

/* Starts a new page when need points do not fit on this one. */
static void pdf_room(pdf *p, double need)
{
    if (p->y + need <= PAGE_H - MARGIN - 10)
        return;
    cairo_show_page(p->cr);
    pdf_page_start(p);
}

static void pdf_paragraph(pdf *p, const char *text, double size, bool bold, double after)
{
    double h = pdf_text(p, MARGIN, p->y, PAGE_W - 2 * MARGIN, text, size, bold, false);

    pdf_room(p, h);
    pdf_text(p, MARGIN, p->y, PAGE_W - 2 * MARGIN, text, size, bold, true);
    p->y += h + after;
}

static void pdf_chart(pdf *p, const json_t *c)
{
    const json_t *labels = json_object_get(c, "labels"), *series = json_object_get(c, "series");
    size_t nl = json_array_size(labels), ns = json_array_size(series);
    double w = PAGE_W - 2 * MARGIN - 40, h = 150, max = chart_max(series);
    double gw = nl > 0 ? w / (double)nl : w, bw = ns > 0 ? gw * 0.7 / (double)ns : 0;
    double x0 = MARGIN + 40, y0;
    char num[32];

    pdf_room(p, h + 70 + 12.0 * (double)(ns / 4));
    p->y += pdf_text(p, MARGIN, p->y, w, json_string_value(json_object_get(c, "title")), 10, true, true) + 4;
    y0 = p->y + h;
    cairo_set_line_width(p->cr, 0.6);
    cairo_move_to(p->cr, x0, y0);
    cairo_line_to(p->cr, x0 + w, y0);
    cairo_move_to(p->cr, x0, y0);
    cairo_line_to(p->cr, x0, p->y);
    cairo_stroke(p->cr);
    snprintf(num, sizeof num, "%g", max);
    pdf_text(p, MARGIN, p->y - 4, 36, num, 7, false, true);
    pdf_text(p, MARGIN, y0 - 10, 36, "0", 7, false, true);
    for (size_t i = 0; i < nl; i++) {
        for (size_t s = 0; s < ns; s++) {
            double v = json_number_value(json_array_get(json_object_get(json_array_get(series, s), "values"), i));
            double bh = v / max * h;
            const double *col = palette[s % PALETTE_N];
            cairo_set_source_rgb(p->cr, col[0], col[1], col[2]);
            cairo_rectangle(p->cr, x0 + (double)i * gw + gw * 0.15 + (double)s * bw, y0 - bh, bw, bh);
            cairo_fill(p->cr);
        }
        cairo_set_source_rgb(p->cr, 0, 0, 0);
        pdf_text(p, x0 + (double)i * gw, y0 + 2, gw, json_string_value(json_array_get(labels, i)), 7,
                 false, true);
    }
    for (size_t s = 0; s < ns; s++) {
        const double *col = palette[s % PALETTE_N];
        double lx = x0 + (double)(s % 4) * 120, ly = y0 + 16 + (double)(s / 4) * 12;
        cairo_set_source_rgb(p->cr, col[0], col[1], col[2]);
        cairo_rectangle(p->cr, lx, ly + 2, 7, 7);
        cairo_fill(p->cr);
        cairo_set_source_rgb(p->cr, 0, 0, 0);
        pdf_text(p, lx + 10, ly, 105, json_string_value(json_object_get(json_array_get(series, s), "name")),
                 7, false, true);
    }
    p->y = y0 + 30 + 12.0 * (double)((ns + 3) / 4);
    if (json_string_value(json_object_get(c, "unit")) != NULL)
        pdf_paragraph(p, json_string_value(json_object_get(c, "unit")), 7, false, 8);
}

/* Column widths: each column as wide as its widest cell; when that does
 * not fit, the widest column takes what the others leave (its text
 * wraps), or all share equally when even that is too little. */
static void pdf_widths(pdf *p, double *w, size_t nc, const json_t *head, const json_t *rows)
{
    double avail = PAGE_W - 2 * MARGIN, sum = 0;
    size_t widest = 0;

    for (size_t i = 0; i < nc; i++) {
        w[i] = 0;
        for (size_t r = 0; r <= json_array_size(rows); r++) {
            const json_t *row = r == 0 ? head : json_array_get(rows, r - 1);
            const char *cell = json_string_value(json_array_get(row, i));
            PangoLayout *layout = pango_cairo_create_layout(p->cr);
            PangoFontDescription *font = pango_font_description_from_string(FONT " Bold");
            int lw, lh;
            pango_font_description_set_absolute_size(font, 8 * PANGO_SCALE);
            pango_layout_set_font_description(layout, font);
            pango_layout_set_text(layout, cell != NULL ? cell : "", -1);
            pango_layout_get_size(layout, &lw, &lh);
            if ((double)lw / PANGO_SCALE + 10 > w[i])
                w[i] = (double)lw / PANGO_SCALE + 10;
            pango_font_description_free(font);
            g_object_unref(layout);
        }
        sum += w[i];
        if (w[i] > w[widest])
            widest = i;
    }
    if (nc == 0)
        return;
    if (sum <= avail) {
        w[widest] += avail - sum;
        return;
    }
    if (avail - (sum - w[widest]) >= 80) {
        w[widest] = avail - (sum - w[widest]);
        return;
    }
    for (size_t i = 0; i < nc; i++)
        w[i] = avail / (double)nc;
}

static void pdf_table(pdf *p, const json_t *t)
{
    const json_t *head = json_object_get(t, "head"), *rows = json_object_get(t, "rows");
    size_t nc = json_array_size(head);
    double widths[16];

    if (nc > 16)
        nc = 16;
    pdf_widths(p, widths, nc, head, rows);
    for (size_t r = 0; r <= json_array_size(rows); r++) {
        const json_t *row = r == 0 ? head : json_array_get(rows, r - 1);
        double rh = 0, x = MARGIN;
        for (size_t i = 0; i < nc; i++) {
            double h = pdf_text(p, 0, 0, widths[i] - 6, json_string_value(json_array_get(row, i)), 8, r == 0,
                                false);
            rh = h > rh ? h : rh;
        }
        pdf_room(p, rh + 4);
        for (size_t i = 0; i < nc; i++) {
            const char *cell = json_string_value(json_array_get(row, i));
            if (cell != NULL && r > 0 && strncmp(cell, "TLP:", 4) == 0)
                pdf_tlp(p, x, p->y + 1, cell + 4, 7);
            else
                pdf_text(p, x, p->y + 1, widths[i] - 6, cell, 8, r == 0, true);
            x += widths[i];
        }
        p->y += rh + 3;
        cairo_set_line_width(p->cr, 0.3);
        cairo_move_to(p->cr, MARGIN, p->y);
        cairo_line_to(p->cr, PAGE_W - MARGIN, p->y);
        cairo_stroke(p->cr);
        p->y += 2;
    }
    p->y += 8;
}

int xsirt_document_pdf(char **out, size_t *size, const json_t *doc, xsirt_error *err)
{
    const json_t *blocks = json_object_get(doc, "blocks");
    pdf p;

    *out = NULL;
    memset(&p, 0, sizeof p);
    p.doc = doc;
    xsirt_buf_init(&p.out, XSIRT_LIMIT_REPORT_BYTES);
    p.surface = cairo_pdf_surface_create_for_stream(pdf_write, &p, PAGE_W, PAGE_H);
    cairo_pdf_surface_set_metadata(p.surface, CAIRO_PDF_METADATA_TITLE,
                                   json_string_value(json_object_get(doc, "title")));
    cairo_pdf_surface_set_metadata(p.surface, CAIRO_PDF_METADATA_CREATOR, "xsirt");
    p.cr = cairo_create(p.surface);
    cairo_set_source_rgb(p.cr, 0, 0, 0);
    pdf_page_start(&p);
    pdf_paragraph(&p, json_string_value(json_object_get(doc, "title")), 18, true, 4);
    pdf_paragraph(&p, json_string_value(json_object_get(doc, "subtitle")), 10, false, 14);
    for (size_t i = 0; i < json_array_size(blocks); i++) {
        const json_t *blk = json_array_get(blocks, i);
        if (json_object_get(blk, "h") != NULL) {
            pdf_room(&p, 60);   /* keep a heading with what follows */
            p.y += 6;
            pdf_paragraph(&p, json_string_value(json_object_get(blk, "h")), 13, true, 6);
        } else if (json_object_get(blk, "p") != NULL) {
            pdf_paragraph(&p, json_string_value(json_object_get(blk, "p")), 10, false, 8);
        } else if (json_object_get(blk, "chart") != NULL) {
            pdf_chart(&p, json_object_get(blk, "chart"));
        } else if (json_object_get(blk, "table") != NULL) {
            pdf_table(&p, json_object_get(blk, "table"));
        }
    }
    cairo_destroy(p.cr);
    cairo_surface_finish(p.surface);
    cairo_surface_destroy(p.surface);
    if (p.write_failed) {
        xsirt_buf_free(&p.out);
        return xsirt_error_set(err, XSIRT_ELIMIT, "report over %u bytes", XSIRT_LIMIT_REPORT_BYTES);
    }
    *size = p.out.len;
    *out = xsirt_buf_detach(&p.out);
    return *out != NULL ? 0 : xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
}
