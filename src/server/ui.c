/*
 * ui.c — serves the web UI built into the binary (see ui.h).
 *
 * The UI is a single page: every path that is not an asset, not under
 * /api/ and not a route answers index.html, and the browser-side router
 * shows the screen for the path, so links to /cases/12 work when pasted.
 * Vite names assets under /assets/ by their content hash, so they may be
 * cached for a year; index.html is never cached, so a new binary's UI is
 * picked up on the next load. Text assets were compressed at build time;
 * a browser that accepts gzip gets those bytes (a third of the size).
 * Everything carries the strict CSP.
 */
#include <microhttpd.h>
#include <string.h>

#include "server/router.h"
#include "server/ui.h"

#define UI_ASSET_PREFIX "/assets/"

static const char ui_missing[] =
    "xsirt was built without its web UI (XSIRT_UI=OFF). The API is at /api/v1/.\n";

const xsirt_ui_asset *xsirt_ui_find(const char *path)
{
    for (size_t i = 0; xsirt_ui_assets[i].path != NULL; i++)
        if (strcmp(xsirt_ui_assets[i].path, path) == 0)
            return &xsirt_ui_assets[i];
    return NULL;
}

bool xsirt_ui_wants(const char *method, const char *path)
{
    const xsirt_route *route;
    xsirt_request probe;

    if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
        return false;
    if (strncmp(path, "/api/", 5) == 0 || strcmp(path, "/api") == 0)
        return false;
    memset(&probe, 0, sizeof probe);
    probe.method = method;
    probe.path = path;
    return xsirt_router_find(&route, &probe) == XSIRT_ROUTE_NO_PATH;
}

/* True when Accept-Encoding allows gzip: named (or "*") and not with q=0. */
static bool ui_accepts_gzip(struct MHD_Connection *c)
{
    const char *ae = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT_ENCODING);
    const char *p;

    if (ae == NULL || (p = strstr(ae, "gzip")) == NULL)
        return false;
    p += 4;
    while (*p == ' ')
        p++;
    if (*p != ';')
        return true;
    p++;
    while (*p == ' ')
        p++;
    if (strncmp(p, "q=0", 3) != 0)
        return true;
    for (p += 3; *p == '.' || *p == '0'; p++)
        ;
    return *p >= '1' && *p <= '9';
}

static int ui_queue(struct MHD_Connection *c, unsigned status, const void *data, size_t len,
                    const char *type, const char *cache, bool gzipped)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer(len, (void *)data, MHD_RESPMEM_PERSISTENT);
    enum MHD_Result ok;

    if (r == NULL)
        return MHD_NO;
    if (gzipped)
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_ENCODING, "gzip");
    MHD_add_response_header(r, MHD_HTTP_HEADER_VARY, "Accept-Encoding");
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, cache);
    MHD_add_response_header(r, "Content-Security-Policy", XSIRT_UI_CSP);
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(r, "Cross-Origin-Opener-Policy", "same-origin");
    ok = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ok;
}

static int ui_asset(struct MHD_Connection *c, const xsirt_ui_asset *a, const char *cache)
{
    if (a->gzip != NULL && ui_accepts_gzip(c))
        return ui_queue(c, 200, a->gzip, a->gzip_len, a->content_type, cache, true);
    return ui_queue(c, 200, a->data, a->len, a->content_type, cache, false);
}

int xsirt_ui_send(void *connection, const char *method, const char *path)
{
    struct MHD_Connection *c = connection;
    const xsirt_ui_asset *a;

    (void)method;   /* libmicrohttpd drops the body of a HEAD answer itself */
    if (strncmp(path, UI_ASSET_PREFIX, strlen(UI_ASSET_PREFIX)) == 0) {
        if ((a = xsirt_ui_find(path)) == NULL)
            return ui_queue(c, 404, "no such asset\n", 14, "text/plain; charset=utf-8", "no-store",
                            false);
        return ui_asset(c, a, "public, max-age=31536000, immutable");
    }
    /* Files at the top of the build (favicon and the like) by name. */
    if (strcmp(path, "/") != 0 && strcmp(path, "/index.html") != 0 && (a = xsirt_ui_find(path)) != NULL)
        return ui_asset(c, a, "public, max-age=3600");
    if ((a = xsirt_ui_find("/index.html")) == NULL)
        return ui_queue(c, 404, ui_missing, sizeof ui_missing - 1, "text/plain; charset=utf-8",
                        "no-store", false);
    return ui_asset(c, a, "no-cache");
}
