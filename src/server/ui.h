/*
 * ui.h — the web UI served from the binary (internal to src/server/).
 * The built assets are a table generated at build time by
 * cmake/embed_assets.cmake; ui.c answers GET/HEAD for paths outside the
 * API with them.
 */
#ifndef XSIRT_UI_H
#define XSIRT_UI_H

#include <stdbool.h>
#include <stddef.h>

typedef struct xsirt_ui_asset {
    const char *path;           /* "/index.html", "/assets/index-3f2a9c.js" */
    const char *content_type;
    const unsigned char *data;
    size_t len;
    const unsigned char *gzip;  /* the same compressed, or NULL */
    size_t gzip_len;
} xsirt_ui_asset;

/* The generated table, ended by a {NULL} entry (empty with XSIRT_UI=OFF). */
extern const xsirt_ui_asset xsirt_ui_assets[];

/* The Content-Security-Policy of UI pages: only the server's own scripts,
 * styles and API; no inline script, no frames, nothing from elsewhere. */
#define XSIRT_UI_CSP                                                                         \
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "       \
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "             \
    "form-action 'self'; frame-ancestors 'none'"

/* True when the UI answers this request: GET or HEAD of a path that is
 * neither under /api/ nor a route of the route table. */
bool xsirt_ui_wants(const char *method, const char *path);

/* Queues the answer on connection (a struct MHD_Connection *): an asset
 * with long caching when its name is hashed, index.html for the UI's own
 * paths (the browser-side router takes over), 404 for a missing asset.
 * Returns libmicrohttpd's MHD_YES or MHD_NO. */
int xsirt_ui_send(void *connection, const char *method, const char *path);

/* The asset at path, or NULL. */
const xsirt_ui_asset *xsirt_ui_find(const char *path);

#endif
