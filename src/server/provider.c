/*
 * provider.c — the CSAF trusted provider directory (CSAF 2.0 section 7)
 * under /.well-known/csaf/: provider-metadata.json, one directory per TLP
 * label (white, green, amber, red) with a folder per year of initial
 * release, index.txt, changes.csv, a ROLIE feed per label, and beside each
 * document its .sha256, .sha512 and .asc (the detached OpenPGP signature
 * made with the organisation's key when it was published, kept with it);
 * the public key itself at openpgp/<fingerprint>.asc, named in the
 * metadata's public_openpgp_keys. Documents are served byte for byte as
 * published (store/advisory.c keeps the text), so hashes and signatures
 * hold.
 *
 * Who reads what: TLP:WHITE (CLEAR) to anyone; GREEN to authenticated
 * callers; AMBER and RED to authenticated callers who see the advisory's
 * case (case.h) — others get 404 for the document, and lists (index,
 * changes, feeds) leave out what they may not read, so nothing leaks.
 * The route is public (router.c); http.c authenticates a caller who sends
 * credentials. See docs/advisories.md.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "formats/csaf_write.h"
#include "mail/openpgp.h"
#include "server/api.h"
#include "server/orgkey.h"
#include "server/router.h"
#include "store/advisory.h"
#include "store/case.h"
#include "store/clock.h"
#include "store/settings.h"

#define PROVIDER_PREFIX "/.well-known/csaf/"

static const char *const provider_labels[] = {"WHITE", "GREEN", "AMBER", "RED"};

/* Whether the caller may read a document of this label and case. */
static bool provider_may_read(const xsirt_request *req, const char *label, int64_t case_id)
{
    if (strcmp(label, "WHITE") == 0)
        return true;
    if (!req->authenticated)
        return false;
    if (strcmp(label, "GREEN") == 0)
        return true;
    return xsirt_case_visible_to(req->db, &req->who, case_id);
}

/* Every published advisory the caller may read, oldest first, each with
 * "dir" (lower-case label), "file" ("<year>/<name>.json"). */
static int provider_entries(json_t **out, xsirt_request *req, xsirt_error *err)
{
    xsirt_page pg = {0, 200};
    json_t *all = json_array();
    int rc = 0;

    do {
        json_t *page = NULL, *x;
        size_t i;
        if ((rc = xsirt_advisory_published(&page, req->db, &pg, err)) != 0)
            break;
        json_array_foreach(json_object_get(page, "items"), i, x) {
            const char *label = json_string_value(json_object_get(x, "tlp"));
            const char *init = json_string_value(json_object_get(x, "initial_release"));
            char name[256], file[300], dir[8];
            size_t k;
            if (label == NULL || init == NULL ||
                !provider_may_read(req, label, json_integer_value(json_object_get(x, "case_id"))) ||
                !xsirt_csaf_write_filename(name, sizeof name,
                                           json_string_value(json_object_get(x, "tracking_id"))))
                continue;
            for (k = 0; label[k] != '\0' && k < sizeof dir - 1; k++)
                dir[k] = (char)(label[k] - 'A' + 'a');
            dir[k] = '\0';
            snprintf(file, sizeof file, "%.4s/%s", init, name);
            json_object_set_new(x, "dir", json_string(dir));
            json_object_set_new(x, "file", json_string(file));
            json_array_append(all, x);
        }
        pg.cursor = json_is_integer(json_object_get(page, "next"))
                        ? (int64_t)json_integer_value(json_object_get(page, "next")) : 0;
        json_decref(page);
    } while (pg.cursor != 0);
    if (rc != 0) {
        json_decref(all);
        all = NULL;
    }
    *out = all;
    return rc;
}

static int provider_text(xsirt_response *res, const char *type, char *text)
{
    res->status = 200;
    res->content_type = type;
    res->owned_text = text;
    return 0;
}

static int provider_not_found(xsirt_response *res)
{
    return xsirt_http_error(res, 404, "not_found", "no such file in the CSAF provider directory",
                            NULL);
}

/* The base URL of the directory: public_url's, else the Host's. */
static void provider_base(char *out, size_t size, xsirt_request *req)
{
    json_t *url = NULL;
    xsirt_error err;
    const char *host = xsirt_http_header(req, "Host");

    if (xsirt_settings_value(&url, req->db, "public_url", &err) == 0 && json_string_value(url))
        snprintf(out, size, "%s/.well-known/csaf", json_string_value(url));
    else
        snprintf(out, size, "http://%s/.well-known/csaf", host != NULL ? host : "localhost");
    json_decref(url);
}

static int provider_metadata(xsirt_response *res, xsirt_request *req, const json_t *entries)
{
    char base[2200], url[2400];
    json_t *pub = NULL, *feeds = json_array(), *dists = json_array(), *x;
    const char *last = NULL;
    xsirt_error err;
    size_t i;

    provider_base(base, sizeof base, req);
    if (xsirt_advisory_publisher(&pub, NULL, req->db, &err) != 0) {
        json_decref(feeds);
        json_decref(dists);
        return xsirt_http_store_error(res, &err);
    }
    for (i = 0; i < 4; i++) {
        char dir[8];
        size_t k;
        for (k = 0; provider_labels[i][k] != '\0'; k++)
            dir[k] = (char)(provider_labels[i][k] - 'A' + 'a');
        dir[k] = '\0';
        snprintf(url, sizeof url, "%s/%s/csaf-feed-tlp-%s.json", base, dir, dir);
        json_array_append_new(feeds, json_pack("{s:s, s:s, s:s}", "summary", provider_labels[i],
                                               "tlp_label", provider_labels[i], "url", url));
        snprintf(url, sizeof url, "%s/%s/", base, dir);
        json_array_append_new(dists, json_pack("{s:s}", "directory_url", url));
    }
    json_array_append_new(dists, json_pack("{s:{s:o}}", "rolie", "feeds", feeds));
    json_array_foreach(entries, i, x) {
        const char *at = json_string_value(json_object_get(x, "published_at"));
        if (at != NULL && (last == NULL || strcmp(at, last) > 0))
            last = at;
    }
    snprintf(url, sizeof url, "%s/provider-metadata.json", base);
    {
        char now[XSIRT_TIME_MAX], fpr[XSIRT_ORGKEY_FPR_MAX], key[2600];
        json_t *meta;
        xsirt_clock_now(now);
        meta = json_pack("{s:s, s:o, s:s, s:b, s:b, s:s, s:o, s:s}",
                         "canonical_url", url, "distributions", dists,
                         "last_updated", last != NULL ? last : now,
                         "list_on_CSAF_aggregators", 1,
                         "mirror_on_CSAF_aggregators", 1,
                         "metadata_version", "2.0", "publisher", pub,
                         "role", "csaf_trusted_provider");
        /* Requirement 19: the key the .asc files verify with. */
        if (xsirt_orgkey_fingerprint(fpr, sizeof fpr, req->db, &err) == 0) {
            snprintf(key, sizeof key, "%s/openpgp/%s.asc", base, fpr);
            json_object_set_new(meta, "public_openpgp_keys",
                                json_pack("[{s:s, s:s}]", "fingerprint", fpr, "url", key));
        }
        return xsirt_http_json(res, 200, meta);
    }
}

/* index.txt, changes.csv or the ROLIE feed of directory dir. */
static int provider_listing(xsirt_response *res, xsirt_request *req, const json_t *entries,
                            const char *dir, const char *what)
{
    xsirt_buf b;
    char base[2200], url[2600];
    json_t *x, *feed_entries = json_array();
    size_t i, n = json_array_size(entries);

    provider_base(base, sizeof base, req);
    xsirt_buf_init(&b, 1 << 20);
    /* changes.csv is newest first; index.txt and the feed oldest first. */
    for (i = 0; i < n; i++) {
        x = json_array_get(entries, strcmp(what, "changes.csv") == 0 ? n - 1 - i : i);
        const char *file = json_string_value(json_object_get(x, "file"));
        if (strcmp(json_string_value(json_object_get(x, "dir")), dir) != 0)
            continue;
        if (strcmp(what, "index.txt") == 0) {
            xsirt_buf_puts(&b, file);
            xsirt_buf_puts(&b, "\n");
        } else if (strcmp(what, "changes.csv") == 0) {
            xsirt_buf_puts(&b, "\"");
            xsirt_buf_puts(&b, file);
            xsirt_buf_puts(&b, "\",\"");
            xsirt_buf_puts(&b, json_string_value(json_object_get(x, "published_at")));
            xsirt_buf_puts(&b, "\"\n");
        } else {
            snprintf(url, sizeof url, "%s/%s/%s", base, dir, file);
            json_t *links = json_array();
            char h[2700];
            json_array_append_new(links, json_pack("{s:s, s:s}", "rel", "self", "href", url));
            snprintf(h, sizeof h, "%s.sha256", url);
            json_array_append_new(links, json_pack("{s:s, s:s}", "rel", "hash", "href", h));
            snprintf(h, sizeof h, "%s.sha512", url);
            json_array_append_new(links, json_pack("{s:s, s:s}", "rel", "hash", "href", h));
            if (json_integer_value(json_object_get(x, "signed")) != 0) {
                snprintf(h, sizeof h, "%s.asc", url);
                json_array_append_new(links, json_pack("{s:s, s:s}", "rel", "signature", "href", h));
            }
            json_array_append_new(feed_entries, json_pack(
                "{s:O, s:O, s:o, s:O, s:O, s:{s:s, s:s}, s:{s:s, s:s}}", "id",
                json_object_get(x, "tracking_id"), "title", json_object_get(x, "tracking_id"),
                "link", links, "published", json_object_get(x, "initial_release"), "updated",
                json_object_get(x, "published_at"), "content", "type", "application/json", "src",
                url, "format", "schema",
                "https://docs.oasis-open.org/csaf/csaf/v2.0/csaf_json_schema.json", "version",
                "2.0"));
        }
    }
    if (strcmp(what, "index.txt") == 0 || strcmp(what, "changes.csv") == 0) {
        json_decref(feed_entries);
        return provider_text(res, strcmp(what, "index.txt") == 0 ? "text/plain; charset=utf-8"
                                                                : "text/csv; charset=utf-8",
                             xsirt_buf_detach(&b));
    }
    xsirt_buf_free(&b);
    {
        char id[64], title[64], now[XSIRT_TIME_MAX];
        xsirt_clock_now(now);
        snprintf(url, sizeof url, "%s/%s/csaf-feed-tlp-%s.json", base, dir, dir);
        snprintf(id, sizeof id, "xsirt-csaf-feed-tlp-%s", dir);
        snprintf(title, sizeof title, "CSAF feed (TLP:%s)", dir);
        return xsirt_http_json(res, 200, json_pack(
            "{s:{s:s, s:s, s:[{s:s, s:s}], s:[{s:s, s:s}], s:s, s:o}}", "feed", "id", id,
            "title", title, "link", "rel", "self", "href", url, "category", "scheme",
            "urn:ietf:params:rolie:category:information-type", "term", "csaf", "updated", now,
            "entry", feed_entries));
    }
}

/* The organisation's public key at openpgp/<fingerprint>.asc: public,
 * like the metadata that names it. */
static int provider_public_key(xsirt_response *res, xsirt_request *req, const char *name)
{
    char fpr[XSIRT_ORGKEY_FPR_MAX], file[XSIRT_ORGKEY_FPR_MAX + 8], *asc = NULL;
    xsirt_error err;

    if (xsirt_orgkey_fingerprint(fpr, sizeof fpr, req->db, &err) != 0)
        return provider_not_found(res);
    snprintf(file, sizeof file, "%s.asc", fpr);
    if (strcmp(name, file) != 0 || xsirt_http_gnupg_home() == NULL ||
        xsirt_openpgp_export(&asc, xsirt_http_gnupg_home(), fpr, &err) != 0)
        return provider_not_found(res);
    return provider_text(res, "application/pgp-keys", asc);
}

/* A document, or its .sha256 / .sha512 / .asc, at dir/file[suffix]. */
static int provider_document(xsirt_response *res, xsirt_request *req, const json_t *entries,
                             const char *dir, const char *rest)
{
    json_t *x;
    size_t i;

    json_array_foreach(entries, i, x) {
        const char *file = json_string_value(json_object_get(x, "file"));
        size_t n = strlen(file);
        char *text = NULL;
        xsirt_error err;
        if (strcmp(json_string_value(json_object_get(x, "dir")), dir) != 0 ||
            strncmp(rest, file, n) != 0 ||
            (rest[n] != '\0' && strcmp(rest + n, ".sha256") != 0 && strcmp(rest + n, ".sha512") != 0 &&
             strcmp(rest + n, ".asc") != 0))
            continue;
        if (strcmp(rest + n, ".asc") == 0) {
            if (xsirt_advisory_signature(&text, req->db, json_integer_value(json_object_get(x, "id")),
                                         &err) != 0)
                return err.code == XSIRT_ENOTFOUND ? provider_not_found(res)
                                                   : xsirt_http_store_error(res, &err);
            return provider_text(res, "application/pgp-signature", text);
        }
        if (xsirt_advisory_document(&text, req->db, json_integer_value(json_object_get(x, "id")),
                                    &err) != 0)
            return xsirt_http_store_error(res, &err);
        if (rest[n] == '\0')
            return provider_text(res, "application/json", text);
        {
            bool big = strcmp(rest + n, ".sha512") == 0;
            unsigned char h[crypto_hash_sha512_BYTES];
            char hex[2 * crypto_hash_sha512_BYTES + 1], *line;
            const char *base = strrchr(file, '/') != NULL ? strrchr(file, '/') + 1 : file;
            size_t len = strlen(base) + sizeof hex + 4;
            if (big)
                crypto_hash_sha512(h, (const unsigned char *)text, strlen(text));
            else
                crypto_hash_sha256(h, (const unsigned char *)text, strlen(text));
            free(text);
            sodium_bin2hex(hex, sizeof hex, h, big ? crypto_hash_sha512_BYTES
                                                   : crypto_hash_sha256_BYTES);
            if ((line = malloc(len)) == NULL)
                return xsirt_http_error(res, 500, "internal", "out of memory", NULL);
            /* sha256sum's format: "<hex>  <file name>". */
            snprintf(line, len, "%s  %s\n", hex, base);
            return provider_text(res, "text/plain; charset=utf-8", line);
        }
    }
    return provider_not_found(res);
}

int xsirt_api_provider(xsirt_response *res, xsirt_request *req)
{
    const char *rest = req->path + strlen(PROVIDER_PREFIX), *slash;
    json_t *entries = NULL;
    xsirt_error err;
    char dir[8];
    int rc;

    if (strstr(rest, "..") != NULL)
        return provider_not_found(res);
    if ((rc = provider_entries(&entries, req, &err)) != 0)
        return xsirt_http_store_error(res, &err);
    if (strcmp(rest, "provider-metadata.json") == 0) {
        rc = provider_metadata(res, req, entries);
    } else if ((slash = strchr(rest, '/')) == NULL || (size_t)(slash - rest) >= sizeof dir) {
        rc = provider_not_found(res);
    } else {
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - rest), rest);
        slash++;
        if (strcmp(dir, "openpgp") == 0)
            rc = provider_public_key(res, req, slash);
        else if (strcmp(slash, "index.txt") == 0 || strcmp(slash, "changes.csv") == 0)
            rc = provider_listing(res, req, entries, dir, slash);
        else if (strncmp(slash, "csaf-feed-tlp-", 14) == 0 && strncmp(slash + 14, dir, strlen(dir)) == 0 &&
                 strcmp(slash + 14 + strlen(dir), ".json") == 0)
            rc = provider_listing(res, req, entries, dir, "feed");
        else
            rc = provider_document(res, req, entries, dir, slash);
    }
    json_decref(entries);
    return rc;
}
