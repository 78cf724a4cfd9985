/*
 * feeds_csaf.c — fetching a CSAF provider's advisories (see feeds_csaf.h).
 *
 * A provider publishes one provider-metadata.json naming its distributions:
 * ROLIE feeds (JSON lists of entries, each with the advisory's URL, its
 * "updated" time and often a hash link) or a directory with index.txt
 * (paths) and changes.csv (paths with their last change). The advisories
 * are fetched one by one into a new directory that feeds.c swaps in only
 * when all of them arrived and checked; an advisory whose "updated" time
 * did not change since the last download is linked from it instead of
 * fetched (the per-document conditional request that matters: CISA's set
 * changes a few advisories a week out of thousands).
 */
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/str.h"
#include "server/feeds_csaf.h"
#include "xsirt/limits.h"

typedef struct csaf_ctx {
    time_t deadline;
    curl_off_t max;
    const char *dir, *old;
    json_t *old_manifest;    /* {url: {"file","updated"}} of the last download */
    json_t *manifest;        /* the same for this one */
    json_t *seen;            /* URLs already taken (feeds overlap: TLP levels) */
    size_t fetched, reused;
} csaf_ctx;

typedef struct csaf_body {
    xsirt_buf buf;
    curl_off_t max;
    bool over;
} csaf_body;

static size_t csaf_write(char *data, size_t size, size_t n, void *ctx)
{
    csaf_body *b = ctx;
    size_t bytes = size * n;

    if ((curl_off_t)(b->buf.len + bytes) > b->max) {
        b->over = true;
        return 0;
    }
    return xsirt_buf_append(&b->buf, data, bytes) == 0 ? bytes : 0;
}

/* GETs url into out (its own buffer); *status 404 is not an error when
 * missing_ok (an optional .sha256). */
static int csaf_get(xsirt_buf *out, long *status, csaf_ctx *x, const char *url, curl_off_t max,
                    bool missing_ok, xsirt_error *err)
{
    char errbuf[CURL_ERROR_SIZE] = "";
    csaf_body b;
    CURLcode cc;
    CURL *curl;
    long left = (long)(x->deadline - time(NULL));

    *status = 0;
    if (left <= 0)
        return xsirt_error_set(err, XSIRT_ELIMIT, "%s: the feed's time limit ran out", url);
    xsirt_buf_init(&b.buf, (size_t)max + 1);
    b.max = max;
    b.over = false;
    if ((curl = curl_easy_init()) == NULL)
        return xsirt_error_set(err, XSIRT_EINTERNAL, "cannot start libcurl");
    xsirt_feeds_curl_setup(curl, url, max, left, errbuf);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, csaf_write);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &b);
    cc = curl_easy_perform(curl);
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, status);
    curl_easy_cleanup(curl);
    if (cc != CURLE_OK) {
        xsirt_buf_free(&b.buf);
        return xsirt_error_set(err, XSIRT_EIO, "%s: %s", url,
                               b.over ? "larger than the limit"
                               : errbuf[0] != '\0' ? errbuf : curl_easy_strerror(cc));
    }
    if (*status != 200) {
        xsirt_buf_free(&b.buf);
        if (missing_ok && *status == 404)
            return 0;
        return xsirt_error_set(err, XSIRT_EIO, "%s: HTTP %ld", url, *status);
    }
    *out = b.buf;
    return 0;
}

/* url relative to base (hrefs in ROLIE are absolute; index.txt paths are
 * relative to the directory). */
static char *csaf_resolve(const char *base, const char *ref)
{
    CURLU *u = curl_url();
    char *s = NULL, *copy = NULL;

    if (u != NULL && curl_url_set(u, CURLUPART_URL, base, 0) == CURLUE_OK &&
        curl_url_set(u, CURLUPART_URL, ref, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_URL, &s, 0) == CURLUE_OK)
        copy = xsirt_strndup(s, strlen(s));
    curl_free(s);
    curl_url_cleanup(u);
    return copy;
}

/* Whether the hash file's first word is the SHA-256 of data. */
static bool csaf_hash_ok(const char *hash, size_t hlen, const char *data, size_t len)
{
    unsigned char d[crypto_hash_sha256_BYTES];
    char hex[crypto_hash_sha256_BYTES * 2 + 1];

    crypto_hash_sha256(d, (const unsigned char *)data, len);
    sodium_bin2hex(hex, sizeof hex, d, sizeof d);
    if (hlen < 64)
        return false;
    for (size_t i = 0; i < 64; i++)
        if (xsirt_ascii_lower((unsigned char)hash[i]) != hex[i])
            return false;
    return hlen == 64 || hash[64] == ' ' || hash[64] == '\t' || hash[64] == '\n' ||
           hash[64] == '\r';
}

static int csaf_write_file(const char *path, const char *data, size_t len, xsirt_error *err)
{
    FILE *f = fopen(path, "wb");

    if (f == NULL)
        return xsirt_error_set(err, XSIRT_EIO, "%s: %s", path, strerror(errno));
    bool ok = fwrite(data, 1, len, f) == len;

    if (fclose(f) != 0 || !ok)
        return xsirt_error_set(err, XSIRT_EIO, "%s: %s", path, strerror(errno));
    return 0;
}

/* One advisory: linked from the last download when its updated time is
 * the same, else fetched and its hash checked. hash: the URL of its
 * .sha256 (NULL: none listed); try_hash: look for url.sha256. */
static int csaf_advisory(csaf_ctx *x, const char *url, const char *updated, const char *hash,
                         bool try_hash, xsirt_error *err)
{
    json_t *prev = json_object_get(x->old_manifest, url);
    char path[4200], from[4200], file[32];
    xsirt_buf doc, h;
    long status;
    int rc;

    if (json_object_get(x->seen, url) != NULL)
        return 0;
    if (json_object_size(x->seen) >= XSIRT_LIMIT_FEED_ADVISORIES)
        return xsirt_error_set(err, XSIRT_ELIMIT, "the provider lists more than %u advisories",
                               XSIRT_LIMIT_FEED_ADVISORIES);
    json_object_set_new(x->seen, url, json_true());
    snprintf(file, sizeof file, "%07zu.json", json_object_size(x->seen));
    snprintf(path, sizeof path, "%s/%s", x->dir, file);
    if (prev != NULL && updated != NULL && x->old != NULL &&
        json_is_string(json_object_get(prev, "updated")) &&
        strcmp(json_string_value(json_object_get(prev, "updated")), updated) == 0) {
        snprintf(from, sizeof from, "%s/%s", x->old,
                 json_string_value(json_object_get(prev, "file")));
        if (link(from, path) == 0) {
            x->reused++;
            goto done;
        }
    }
    if ((rc = csaf_get(&doc, &status, x, url, x->max, false, err)) != 0)
        return rc;
    if (hash != NULL || try_hash) {
        char hurl[4200];
        snprintf(hurl, sizeof hurl, "%s.sha256", url);
        rc = csaf_get(&h, &status, x, hash != NULL ? hash : hurl, 4096, hash == NULL, err);
        if (rc == 0 && status == 200) {
            if (!csaf_hash_ok(h.data, h.len, doc.data, doc.len))
                rc = xsirt_error_set(err, XSIRT_EINVAL, "%s: does not match its SHA-256 file", url);
            xsirt_buf_free(&h);
        }
        if (rc != 0) {
            xsirt_buf_free(&doc);
            return rc;
        }
    }
    rc = csaf_write_file(path, doc.data != NULL ? doc.data : "", doc.len, err);
    xsirt_buf_free(&doc);
    if (rc != 0)
        return rc;
    x->fetched++;
done:
    json_object_set_new(x->manifest, url, json_pack("{s:s, s:s?}", "file", file, "updated", updated));
    return 0;
}

void xsirt_feeds_curl_setup(CURL *curl, const char *url, curl_off_t max, long timeout,
                            char *errbuf)
{
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(curl, CURLOPT_MAXREDIRS, 5L);
    curl_easy_setopt(curl, CURLOPT_MAXFILESIZE_LARGE, max);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 30L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, timeout);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
}

int xsirt_feeds_csaf_listing(json_t **out, const char *base, const char *data, size_t len,
                             xsirt_feeds_csaf_kind kind, xsirt_error *err)
{
    json_t *list = json_array();

    *out = NULL;
    if (kind == XSIRT_FEEDS_CSAF_ROLIE) {
        json_t *feed = json_loadb(data, len, 0, NULL), *entry, *link;
        json_t *entries = json_object_get(json_object_get(feed, "feed"), "entry");
        size_t i, k;
        if (!json_is_array(entries)) {
            json_decref(feed);
            json_decref(list);
            return xsirt_error_set(err, XSIRT_EINVAL, "%s: not a ROLIE feed (no feed.entry)", base);
        }
        json_array_foreach(entries, i, entry) {
            const char *src = json_string_value(json_object_get(json_object_get(entry, "content"),
                                                                "src"));
            const char *hash = NULL, *updated = json_string_value(json_object_get(entry, "updated"));
            char *abs_src, *abs_hash;
            json_array_foreach(json_object_get(entry, "link"), k, link) {
                const char *rel = json_string_value(json_object_get(link, "rel"));
                const char *href = json_string_value(json_object_get(link, "href"));
                if (rel != NULL && href != NULL && strcmp(rel, "self") == 0 && src == NULL)
                    src = href;
                if (rel != NULL && href != NULL && strcmp(rel, "hash") == 0 &&
                    strlen(href) > 7 && strcmp(href + strlen(href) - 7, ".sha256") == 0)
                    hash = href;
            }
            abs_src = src != NULL ? csaf_resolve(base, src) : NULL;
            abs_hash = hash != NULL ? csaf_resolve(base, hash) : NULL;
            if (abs_src == NULL || (hash != NULL && abs_hash == NULL)) {
                free(abs_src);
                free(abs_hash);
                json_decref(feed);
                json_decref(list);
                return xsirt_error_set(err, XSIRT_EINVAL, "%s: entry %zu names no advisory URL",
                                       base, i);
            }
            json_array_append_new(list, json_pack("{s:s, s:s?, s:s?}", "url", abs_src, "updated",
                                                  updated, "hash", abs_hash));
            free(abs_src);
            free(abs_hash);
        }
        json_decref(feed);
        *out = list;
        return 0;
    }
    /* changes.csv: "path","time" a line; index.txt: a path a line. */
    for (size_t at = 0; at < len;) {
        const char *line = data + at, *nl = memchr(line, '\n', len - at);
        size_t n = nl != NULL ? (size_t)(nl - line) : len - at;
        char path[4096], updated[128] = "", *abs;
        size_t plen = n, p0 = 0;
        at += n + 1;
        while (plen > 0 && line[plen - 1] == '\r')
            plen--;
        if (kind == XSIRT_FEEDS_CSAF_CHANGES) {
            const char *comma = memchr(line, ',', plen);
            if (comma != NULL) {
                size_t u0 = (size_t)(comma - line) + 1, ulen = plen - u0;
                if (ulen > 0 && line[u0] == '"')
                    u0++, ulen--;
                if (ulen > 0 && line[u0 + ulen - 1] == '"')
                    ulen--;
                snprintf(updated, sizeof updated, "%.*s", (int)(ulen < sizeof updated ? ulen : 0),
                         line + u0);
                plen = (size_t)(comma - line);
            }
            if (plen > 0 && line[0] == '"')
                p0 = 1;
            if (plen > p0 && line[plen - 1] == '"')
                plen--;
        }
        if (plen <= p0 || plen - p0 >= sizeof path || memchr(line + p0, '\0', plen - p0) != NULL)
            continue;   /* blank, or no path a URL can carry */
        snprintf(path, sizeof path, "%.*s", (int)(plen - p0), line + p0);
        if ((abs = csaf_resolve(base, path)) == NULL) {
            json_decref(list);
            return xsirt_error_set(err, XSIRT_EINVAL, "%s: a bad path: %s", base, path);
        }
        json_array_append_new(list, json_pack("{s:s, s:s?}", "url", abs, "updated",
                                              updated[0] != '\0' ? updated : NULL));
        free(abs);
    }
    *out = list;
    return 0;
}

/* Fetches what a listing names. try_hash: look for URL.sha256 when the
 * listing names no hash (a directory distribution). */
static int csaf_fetch_listed(csaf_ctx *x, const json_t *list, bool try_hash, xsirt_error *err)
{
    const json_t *e;
    size_t i;
    int rc = 0;

    json_array_foreach(list, i, e) {
        if (rc != 0)
            break;
        rc = csaf_advisory(x, json_string_value(json_object_get(e, "url")),
                           json_string_value(json_object_get(e, "updated")),
                           json_string_value(json_object_get(e, "hash")), try_hash, err);
    }
    return rc;
}

/* A ROLIE feed. */
static int csaf_rolie(csaf_ctx *x, const char *url, xsirt_error *err)
{
    json_t *list = NULL;
    xsirt_buf b;
    long status;
    int rc = csaf_get(&b, &status, x, url, XSIRT_LIMIT_FEED_LISTING, false, err);

    if (rc != 0)
        return rc;
    rc = xsirt_feeds_csaf_listing(&list, url, b.data != NULL ? b.data : "", b.len,
                                  XSIRT_FEEDS_CSAF_ROLIE, err);
    xsirt_buf_free(&b);
    if (rc == 0)
        rc = csaf_fetch_listed(x, list, false, err);
    json_decref(list);
    return rc;
}

/* A directory distribution: changes.csv when there, else index.txt. */
static int csaf_directory(csaf_ctx *x, const char *dir_url, xsirt_error *err)
{
    char base[4200];
    char *list_url;
    json_t *list = NULL;
    xsirt_buf b;
    long status;
    xsirt_feeds_csaf_kind kind = XSIRT_FEEDS_CSAF_CHANGES;
    int rc;

    snprintf(base, sizeof base, "%s%s", dir_url, dir_url[strlen(dir_url) - 1] == '/' ? "" : "/");
    list_url = csaf_resolve(base, "changes.csv");
    rc = list_url != NULL ? csaf_get(&b, &status, x, list_url, XSIRT_LIMIT_FEED_LISTING, true, err)
                          : xsirt_error_set(err, XSIRT_EINVAL, "%s: a bad URL", dir_url);
    free(list_url);
    if (rc == 0 && status == 404) {
        kind = XSIRT_FEEDS_CSAF_INDEX;
        list_url = csaf_resolve(base, "index.txt");
        rc = list_url != NULL ? csaf_get(&b, &status, x, list_url, XSIRT_LIMIT_FEED_LISTING, false,
                                         err)
                              : xsirt_error_set(err, XSIRT_EINVAL, "%s: a bad URL", dir_url);
        free(list_url);
    }
    if (rc != 0)
        return rc;
    rc = xsirt_feeds_csaf_listing(&list, base, b.data != NULL ? b.data : "", b.len, kind, err);
    xsirt_buf_free(&b);
    if (rc == 0)
        rc = csaf_fetch_listed(x, list, true, err);
    json_decref(list);
    return rc;
}

static json_t *csaf_load_manifest(const char *dir)
{
    char path[4200];

    if (dir == NULL)
        return NULL;
    snprintf(path, sizeof path, "%s/.manifest.json", dir);
    return json_load_file(path, 0, NULL);
}

int xsirt_feeds_csaf_fetch(size_t *fetched, size_t *reused, const char *url, const char *dir,
                           const char *old, long timeout, curl_off_t max, xsirt_error *err)
{
    csaf_ctx x = {time(NULL) + timeout, max, dir, old, NULL, json_object(), json_object(), 0, 0};
    json_t *meta = NULL, *dist;
    json_error_t je;
    xsirt_buf b;
    long status;
    size_t i, k, lists = 0;
    char path[4200];
    int rc;

    *fetched = *reused = 0;
    xsirt_feeds_csaf_remove(dir);
    if (mkdir(dir, 0700) != 0)
        return xsirt_error_set(err, XSIRT_EIO, "%s: %s", dir, strerror(errno));
    x.old_manifest = csaf_load_manifest(old);
    if ((rc = csaf_get(&b, &status, &x, url, XSIRT_LIMIT_FEED_LISTING, false, err)) == 0) {
        meta = json_loadb(b.data != NULL ? b.data : "", b.len, 0, &je);
        xsirt_buf_free(&b);
        if (!json_is_array(json_object_get(meta, "distributions")))
            rc = xsirt_error_set(err, XSIRT_EINVAL, "%s: not a CSAF provider-metadata.json "
                                                    "(no distributions)", url);
    }
    /* ROLIE first: it carries times and hashes; a directory otherwise. */
    json_array_foreach(json_object_get(meta, "distributions"), i, dist) {
        json_t *feed;
        json_array_foreach(json_object_get(json_object_get(dist, "rolie"), "feeds"), k, feed) {
            const char *u = json_string_value(json_object_get(feed, "url"));
            char *abs = u != NULL ? csaf_resolve(url, u) : NULL;
            if (rc == 0 && abs != NULL) {
                rc = csaf_rolie(&x, abs, err);
                lists++;
            }
            free(abs);
        }
    }
    json_array_foreach(json_object_get(meta, "distributions"), i, dist) {
        const char *d = json_string_value(json_object_get(dist, "directory_url"));
        char *abs = d != NULL && *d != '\0' ? csaf_resolve(url, d) : NULL;
        if (rc == 0 && abs != NULL && lists == 0) {
            rc = csaf_directory(&x, abs, err);
            lists++;
        }
        free(abs);
    }
    if (rc == 0 && lists == 0)
        rc = xsirt_error_set(err, XSIRT_EINVAL, "%s: names neither a ROLIE feed nor a directory",
                             url);
    snprintf(path, sizeof path, "%s/.manifest.json", dir);
    if (rc == 0 && json_dump_file(x.manifest, path, JSON_COMPACT) != 0)
        rc = xsirt_error_set(err, XSIRT_EIO, "%s: cannot write", path);
    *fetched = x.fetched;
    *reused = x.reused;
    json_decref(meta);
    json_decref(x.old_manifest);
    json_decref(x.manifest);
    json_decref(x.seen);
    if (rc != 0)
        xsirt_feeds_csaf_remove(dir);
    return rc;
}

void xsirt_feeds_csaf_remove(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char path[4400];

    if (d == NULL)
        return;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, e->d_name) < sizeof path)
            unlink(path);
    }
    closedir(d);
    rmdir(dir);
}
