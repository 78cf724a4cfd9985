/*
 * document.h — a report as a small document model (JSON), written once
 * from the figures and the cases, and rendered twice: as HTML and as PDF.
 * One model means the two formats cannot drift apart in content.
 *
 *   {"title","subtitle","lang":"ja|en","tlp":"AMBER","footer",
 *    "blocks":[{"h":TEXT} | {"p":TEXT} |
 *              {"chart":{"title","unit","labels":[..],"series":[{"name","values":[..]}]}} |
 *              {"table":{"head":[..],"rows":[[..],..]}}]}
 *
 * Table cells starting with "TLP:" are drawn as TLP labels in their
 * colours (FIRST TLP 2.0).
 */
#ifndef XSIRT_REPORT_DOCUMENT_H
#define XSIRT_REPORT_DOCUMENT_H

#include <jansson.h>
#include <stddef.h>

#include "xsirt/error.h"

/* The document as a complete HTML page (charts as inline SVG). */
int xsirt_document_html(char **out, size_t *size, const json_t *doc, xsirt_error *err);

/* The document as PDF (cairo + pango; A4; charts as vectors; Japanese
 * laid out with Noto Sans CJK JP). */
int xsirt_document_pdf(char **out, size_t *size, const json_t *doc, xsirt_error *err);

#endif
