/*
 * feeds.c — feed syncs (see feeds.h).
 *
 * The index is rebuilt whole from every feed's source: the builder needs
 * all records to enrich them (KEV and EPSS reach records through their
 * aliases), and a build of the whole of OSV takes about a minute (docs/
 * performance.md). The new index is written beside the old one and
 * renamed over it, so a crash leaves one or the other; the re-match after
 * it is one transaction per asset and can be repeated. Only what the
 * change can affect is matched again: the records added, changed or
 * withdrawn (and those aliased with them) name packages before and after,
 * sbom_components.name_key finds the components under them (the inverted
 * index), and only their findings of those records are compared and
 * written (sbom_store.h); records that name no package at all make it
 * every asset, whole. KEV and EPSS changes alone update findings in place.
 */
#include <curl/curl.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/str.h"
#include "server/feeds.h"
#include "server/feeds_csaf.h"
#include "server/feeds_local.h"
#include "server/intel.h"
#include "store/feed.h"
#include "store/finding.h"
#include "store/sbom_store.h"
#include "store/settings.h"
#include "xsirt/archive.h"
#include "xsirt/limits.h"
#include "xsirt/match.h"
#include "xsirt/vuln.h"

/* Directory levels a file:// feed is walked to: real trees (OSV's
 * ecosystem/package/record) are three deep. */
#define FEEDS_DEPTH 16

static pthread_mutex_t feeds_lock = PTHREAD_MUTEX_INITIALIZER;

typedef struct feeds_build {
    xsirt_match_builder *b;
    size_t bad;              /* documents that did not read, or not of the kind */
    char first_bad[512];
    const char *kind;        /* the feed being synced: its documents' kind */
} feeds_build;

/* Whether a document's format is what a feed of kind delivers. */
static bool feeds_kind_has(const char *kind, xsirt_vuln_format f)
{
    switch (f) {
    case XSIRT_VULN_OSV_JSON:
    case XSIRT_VULN_OSV_YAML: return strcmp(kind, "osv") == 0;
    case XSIRT_VULN_CVE5: return strcmp(kind, "cve5") == 0;
    case XSIRT_VULN_CSAF: return strcmp(kind, "csaf") == 0;
    case XSIRT_VULN_KEV: return strcmp(kind, "kev") == 0;
    case XSIRT_VULN_EPSS: return strcmp(kind, "epss") == 0;
    default: return false;
    }
}

/* ---- building the index -------------------------------------------------- */

static int feeds_document(feeds_build *fb, const char *name, const char *data, size_t len)
{
    xsirt_error err;
    xsirt_vuln_format f = XSIRT_VULN_NONE;
    int rc = xsirt_match_builder_add(fb->b, data, len, &f, &err);

    /* A feed delivers its kind: anything else there is a wrong URL or a
     * substituted file, and fails the sync like a bad document. */
    if (rc == 0 && fb->kind != NULL && !feeds_kind_has(fb->kind, f) && fb->bad++ == 0)
        snprintf(fb->first_bad, sizeof fb->first_bad, "%s: a %s document in a feed of kind %s",
                 name, xsirt_vuln_format_name(f), fb->kind);
    if (rc == XSIRT_EUNSUPPORTED)
        return 0;                      /* not intelligence: a README, a schema */
    if (rc == XSIRT_ENOMEM || rc == XSIRT_EINTERNAL)
        return rc;
    if (rc != 0 && fb->bad++ == 0)
        xsirt_error_format(fb->first_bad, sizeof fb->first_bad, &err, name);
    return 0;
}

static int feeds_entry(void *ctx, const char *name, const char *data, size_t len,
                     xsirt_error *err)
{
    (void)err;
    return feeds_document(ctx, name, data, len) != 0 ? 1 : 0;
}

static bool feeds_is_archive(const char *data, size_t len)
{
    const unsigned char *p = (const unsigned char *)data;

    return (len >= 4 && memcmp(p, "PK\x03\x04", 4) == 0) || (len >= 2 && p[0] == 0x1f && p[1] == 0x8b) ||
           (len >= 262 && memcmp(p + 257, "ustar", 5) == 0);
}

static int feeds_read(char **out, size_t *len, const char *path)
{
    FILE *f = fopen(path, "rb");
    xsirt_buf b;
    char chunk[65536];
    size_t n;
    int rc = 0;

    *out = NULL;
    if (f == NULL)
        return XSIRT_EIO;
    xsirt_buf_init(&b, XSIRT_LIMIT_FILE);
    while (rc == 0 && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        rc = xsirt_buf_append(&b, chunk, n);
    if (ferror(f))
        rc = XSIRT_EIO;
    fclose(f);
    *len = b.len;
    *out = rc == 0 ? xsirt_buf_detach(&b) : NULL;
    if (rc != 0)
        xsirt_buf_free(&b);
    return rc;
}

static int feeds_add_file(feeds_build *fb, const char *path, xsirt_error *err)
{
    char *data = NULL;
    size_t len = 0;
    int rc = feeds_read(&data, &len, path);

    if (rc != 0)
        return xsirt_error_set(err, rc, "%s: cannot read (%s)", path, strerror(errno));
    if (feeds_is_archive(data, len)) {
        rc = xsirt_archive_each_memory(data, len, NULL, feeds_entry, fb, err);
        if (rc != 0)
            xsirt_error_prefix(err, "%s: ", path);
    } else {
        rc = feeds_document(fb, path, data, len);
    }
    free(data);
    return rc;
}

static int feeds_add_path(feeds_build *fb, const char *path, int depth, xsirt_error *err)
{
    struct stat st;
    DIR *d;
    struct dirent *e;
    int rc = 0;

    if (stat(path, &st) != 0)
        return xsirt_error_set(err, XSIRT_EIO, "%s: %s", path, strerror(errno));
    if (!S_ISDIR(st.st_mode))
        return feeds_add_file(fb, path, err);
    if (depth >= FEEDS_DEPTH)
        return 0;
    if ((d = opendir(path)) == NULL)
        return xsirt_error_set(err, XSIRT_EIO, "%s: %s", path, strerror(errno));
    while (rc == 0 && (e = readdir(d)) != NULL) {
        char child[4096];
        if (e->d_name[0] == '.')
            continue;
        if ((size_t)snprintf(child, sizeof child, "%s/%s", path, e->d_name) >= sizeof child)
            continue;
        rc = feeds_add_path(fb, child, depth + 1, err);
    }
    closedir(d);
    return rc;
}

static int feeds_write(void *ctx, const void *data, size_t len, xsirt_error *err)
{
    return fwrite(data, 1, len, ctx) == len ? 0 : xsirt_error_set(err, XSIRT_EIO, "writing the index");
}

/* The source a feed's records come from now: a file:// path in place, or
 * its last good download (NULL: none yet). */
static const char *feeds_source(char *buf, size_t bufsz, const char *dir, const json_t *feed)
{
    const char *url = json_string_value(json_object_get(feed, "url"));
    struct stat st;

    if (strncmp(url, "file://", 7) == 0)
        return url + 7;
    snprintf(buf, bufsz, "%s/feeds/%lld.download", dir,
             (long long)json_integer_value(json_object_get(feed, "id")));
    return stat(buf, &st) == 0 ? buf : NULL;
}

/* Builds the index of every feed into path; the feed being synced reads
 * from override (its new download) and must read without a bad document. */
static int feeds_build_index(size_t *records, xsirt_db *db, const char *dir, int64_t synced,
                             const char *override, const char *path, xsirt_error *err)
{
    feeds_build fb = {NULL, 0, "", NULL};
    xsirt_principal sys;
    json_t *all = NULL, *feed;
    FILE *out = NULL;
    size_t i;
    int rc;

    if ((rc = xsirt_match_builder_new(&fb.b, err)) != 0)
        return rc;
    xsirt_principal_system(&sys);
    rc = xsirt_feed_list(&all, db, &sys, err);
    json_array_foreach(json_object_get(all, "items"), i, feed) {
        char buf[4200];
        int64_t id = (int64_t)json_integer_value(json_object_get(feed, "id"));
        const char *src = id == synced ? override : feeds_source(buf, sizeof buf, dir, feed);
        size_t bad = fb.bad;
        /* A feed that never synced well contributes nothing (yet). */
        if (rc != 0 || src == NULL ||
            (id != synced && json_integer_value(json_object_get(feed, "records")) == 0 &&
             strcmp(json_string_value(json_object_get(feed, "status")), "ok") != 0))
            continue;
        fb.kind = id == synced ? json_string_value(json_object_get(feed, "kind")) : NULL;
        rc = feeds_add_path(&fb, src, 0, err);
        if (rc == 0 && id == synced && fb.bad > bad)
            rc = xsirt_error_set(err, XSIRT_EINVAL, "%s", fb.first_bad);
    }
    json_decref(all);
    *records = xsirt_match_builder_records(fb.b);
    if (rc == 0 && (out = fopen(path, "wb")) == NULL)
        rc = xsirt_error_set(err, XSIRT_EIO, "%s: %s", path, strerror(errno));
    if (rc == 0) {
        /* Finishing spends the builder but does not free it (freed below). */
        rc = xsirt_match_builder_finish(fb.b, feeds_write, out, err);
        if (rc == 0 && (fflush(out) != 0 || fsync(fileno(out)) != 0))
            rc = xsirt_error_set(err, XSIRT_EIO, "%s: %s", path, strerror(errno));
    }
    if (out != NULL)
        fclose(out);
    xsirt_match_builder_free(fb.b);
    return rc;
}

/* ---- fetching ------------------------------------------------------------ */

typedef struct feeds_fetch {
    FILE *out;
    curl_off_t got, max;
    char etag[256], last_modified[128];
} feeds_fetch;

static size_t feeds_body(char *data, size_t size, size_t n, void *ctx)
{
    feeds_fetch *f = ctx;
    size_t bytes = size * n;

    f->got += (curl_off_t)bytes;
    if (f->got > f->max)
        return 0;                      /* over the limit: the transfer fails */
    return fwrite(data, 1, bytes, f->out);
}

/* Keeps the validators of the answer for the next conditional request. */
static size_t feeds_header(char *data, size_t size, size_t n, void *ctx)
{
    feeds_fetch *f = ctx;
    size_t bytes = size * n, len = bytes;
    char *dst = NULL;
    size_t dstsz = 0, skip = 0;

    while (len > 0 && (data[len - 1] == '\r' || data[len - 1] == '\n'))
        len--;
    if (len > 5 && xsirt_ascii_ncasecmp(data, "ETag:", 5) == 0)
        dst = f->etag, dstsz = sizeof f->etag, skip = 5;
    else if (len > 14 && xsirt_ascii_ncasecmp(data, "Last-Modified:", 14) == 0)
        dst = f->last_modified, dstsz = sizeof f->last_modified, skip = 14;
    if (dst != NULL) {
        while (skip < len && data[skip] == ' ')
            skip++;
        snprintf(dst, dstsz, "%.*s", (int)(len - skip), data + skip);
    }
    return bytes;
}

/* GETs url into path; *status gets the HTTP status (304: not modified).
 * Conditional on the validators of the download this server keeps (local),
 * NULL when it keeps none. */
static int feeds_fetch_http(long *status, feeds_fetch *f, const char *url,
                            const xsirt_feeds_local *local, long timeout, const char *path,
                            xsirt_error *err)
{
    const char *etag = local != NULL && local->etag[0] != '\0' ? local->etag : NULL;
    const char *lm = local != NULL && local->last_modified[0] != '\0' ? local->last_modified : NULL;
    char h1[400], h2[300], errbuf[CURL_ERROR_SIZE] = "";
    struct curl_slist *headers = NULL;
    CURLcode cc;
    CURL *curl;

    if ((f->out = fopen(path, "wb")) == NULL)
        return xsirt_error_set(err, XSIRT_EIO, "%s: %s", path, strerror(errno));
    if ((curl = curl_easy_init()) == NULL) {
        fclose(f->out);
        return xsirt_error_set(err, XSIRT_EINTERNAL, "cannot start libcurl");
    }
    if (etag != NULL && snprintf(h1, sizeof h1, "If-None-Match: %s", etag) < (int)sizeof h1)
        headers = curl_slist_append(headers, h1);
    if (lm != NULL && snprintf(h2, sizeof h2, "If-Modified-Since: %s", lm) < (int)sizeof h2)
        headers = curl_slist_append(headers, h2);
    xsirt_feeds_curl_setup(curl, url, f->max, timeout, errbuf);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, feeds_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, f);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, feeds_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, f);
    curl_easy_setopt(curl, CURLOPT_FAILONERROR, 0L);
    cc = curl_easy_perform(curl);
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, status);
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    if (fclose(f->out) != 0 && cc == CURLE_OK)
        return xsirt_error_set(err, XSIRT_EIO, "%s: %s", path, strerror(errno));
    if (cc != CURLE_OK)
        return xsirt_error_set(err, XSIRT_EIO, "%s: %s", url,
                               f->got > f->max ? "larger than the feed's max_bytes"
                               : errbuf[0] != '\0' ? errbuf : curl_easy_strerror(cc));
    if (*status != 200 && *status != 304)
        return xsirt_error_set(err, XSIRT_EIO, "%s: HTTP %ld", url, *status);
    return 0;
}

/* ---- what changed ---------------------------------------------------------- */

typedef struct feeds_diff {
    size_t added, changed, withdrawn;
    json_t *keys;            /* name keys of the packages those records name */
    json_t *vulns;           /* those records' ids, and the records aliased with them */
    json_t *enrich;          /* [{"id","kev","epss"}]: records only KEV or EPSS changed */
    json_t *text;            /* ids of records only their text changed (feeds_same_match) */
    bool all;                /* a record names none (CPE, KEV, EPSS): all assets */
} feeds_diff;

/* Notes the packages a new, changed or withdrawn record names, so that
 * only the assets with such a component are matched again. A record that
 * names its products otherwise (CPE, vendor and product) or enriches
 * others (KEV, EPSS) makes every asset a candidate. */
static void feeds_note(feeds_diff *d, const xsirt_match_record *r)
{
    xsirt_vuln_list *l = NULL;
    char key[512];

    if (d->all)
        return;
    if (r->document == NULL || xsirt_vuln_parse(&l, r->document, r->document_len, NULL) != 0 ||
        l->count == 0) {
        d->all = true;
        xsirt_vuln_list_free(l);
        return;
    }
    for (size_t i = 0; i < l->count && !d->all; i++) {
        for (size_t k = 0; k < l->items[i].n_affected && !d->all; k++) {
            const xsirt_vuln_affected *a = &l->items[i].affected[k];
            bool named = a->name != NULL || a->purl != NULL || a->n_purls > 0;
            /* By CPE, or by vendor and product (CVE 5, CSAF without
             * identifiers): the assets with a component of that vendor. */
            for (size_t j = 0; j < a->n_cpes; j++) {
                xsirt_sbom_store_vendor_key(key, sizeof key, a->cpes[j], true);
                if (key[0] != '\0')
                    json_object_set_new(d->keys, key, json_true());
                else
                    d->all = true;
            }
            if (!named && a->vendor != NULL && a->package_name == NULL) {
                xsirt_sbom_store_vendor_key(key, sizeof key, a->vendor, false);
                if (key[0] != '\0')
                    json_object_set_new(d->keys, key, json_true());
                else
                    d->all = true;
            } else if (!named && a->n_cpes == 0) {
                d->all = true;
            }
            if (d->all)
                break;
            if (a->name != NULL) {
                xsirt_sbom_store_name_key(key, sizeof key, a->name);
                json_object_set_new(d->keys, key, json_true());
            }
            if (a->purl != NULL) {
                xsirt_sbom_store_name_key(key, sizeof key, a->purl);
                json_object_set_new(d->keys, key, json_true());
            }
            for (size_t j = 0; j < a->n_purls; j++) {
                xsirt_sbom_store_name_key(key, sizeof key, a->purls[j]);
                json_object_set_new(d->keys, key, json_true());
            }
        }
    }
    xsirt_vuln_list_free(l);
}

/* The records whose findings a change can move: the changed ones, and
 * (until nothing is added, at most FEEDS_ALIAS_ROUNDS times) those that
 * alias them or that they alias, in either index. A scan keeps one of
 * the records naming the same vulnerability (scan.c), so adding,
 * changing or withdrawing one can move a finding to or from another. */
#define FEEDS_ALIAS_ROUNDS 4

static bool feeds_alias_step(json_t *vulns, const xsirt_match_index *idx)
{
    size_t n = idx != NULL ? xsirt_match_index_records(idx) : 0;
    xsirt_match_record r;
    bool grew = false;

    for (size_t i = 0; i < n; i++) {
        bool in;
        if (xsirt_match_record_get(&r, idx, i, NULL) != 0)
            continue;
        in = json_object_get(vulns, r.id) != NULL;
        for (size_t k = 0; !in && k < r.n_aliases; k++)
            in = json_object_get(vulns, r.aliases[k]) != NULL;
        if (in) {
            if (json_object_get(vulns, r.id) == NULL)
                grew = json_object_set_new(vulns, r.id, json_true()) == 0;
            for (size_t k = 0; k < r.n_aliases; k++)
                if (json_object_get(vulns, r.aliases[k]) == NULL)
                    grew = json_object_set_new(vulns, r.aliases[k], json_true()) == 0 || grew;
        }
        xsirt_match_record_clear(&r);
    }
    return grew;
}

static void feeds_alias_close(feeds_diff *d, const xsirt_match_index *old,
                              const xsirt_match_index *new)
{
    for (int round = 0; round < FEEDS_ALIAS_ROUNDS && json_object_size(d->vulns) > 0; round++) {
        bool grew = feeds_alias_step(d->vulns, new);
        if (!(feeds_alias_step(d->vulns, old) || grew))
            break;
    }
}

static bool feeds_same_text(const char *a, const char *b)
{
    return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* Whether a changed OSV record still matches what it matched and gives
 * its findings what it gave (a new summary, details, references or dates
 * only): its document equal to the old one but for the members below,
 * which no scan reads and no finding holds but the summary, kept once per
 * vulnerability (xsirt_finding_vulnerabilities_text). Other formats, and
 * a document that does not read, are taken as changed in what they match:
 * re-matching too much is slow, too little would be wrong. */
static bool feeds_same_match(const xsirt_match_record *a, const xsirt_match_record *b)
{
    static const char *const text_only[] = {"modified", "published", "summary", "details",
                                            "references", "credits", "schema_version", NULL};
    json_t *x, *y;
    bool same;

    if (a->format != XSIRT_VULN_OSV_JSON || b->format != XSIRT_VULN_OSV_JSON ||
        a->document == NULL || b->document == NULL || a->score != b->score ||
        a->withdrawn != b->withdrawn)
        return false;
    x = json_loadb(a->document, a->document_len, 0, NULL);
    y = json_loadb(b->document, b->document_len, 0, NULL);
    for (size_t i = 0; text_only[i] != NULL && x != NULL && y != NULL; i++) {
        json_object_del(x, text_only[i]);
        json_object_del(y, text_only[i]);
    }
    same = x != NULL && y != NULL && json_equal(x, y);
    json_decref(x);
    json_decref(y);
    return same;
}

/* Each record's place in idx by its id alone, the first of an id.
 * (xsirt_match_record_find takes aliases too: a record removed from a
 * feed while another names it among its aliases would look present, and
 * its findings would stay.) NULL without memory. */
static json_t *feeds_ids(const xsirt_match_index *idx)
{
    size_t n = idx != NULL ? xsirt_match_index_records(idx) : 0;
    json_t *ids = json_object();
    xsirt_match_record r;

    for (size_t i = 0; ids != NULL && i < n; i++) {
        if (xsirt_match_record_get(&r, idx, i, NULL) != 0)
            continue;
        if (json_object_get(ids, r.id) == NULL &&
            json_object_set_new(ids, r.id, json_integer((json_int_t)i)) != 0) {
            json_decref(ids);
            ids = NULL;
        }
        xsirt_match_record_clear(&r);
    }
    return ids;
}

/* Records of new against old: added (new id), changed (modified differs),
 * withdrawn (withdrawn now, or gone from the new index). Without memory
 * for the ids, everything is matched again. */
static void feeds_compare(feeds_diff *d, const xsirt_match_index *old, const xsirt_match_index *new)
{
    size_t n = xsirt_match_index_records(new);
    json_t *old_ids = feeds_ids(old), *new_ids = feeds_ids(new), *at;
    xsirt_match_record a, b;

    d->added = d->changed = d->withdrawn = 0;
    d->all = old == NULL || old_ids == NULL || new_ids == NULL;
    for (size_t i = 0; i < n; i++) {
        size_t before = d->added + d->changed + d->withdrawn;
        if (xsirt_match_record_get(&a, new, i, NULL) != 0)
            continue;
        if (old == NULL || (at = json_object_get(old_ids, a.id)) == NULL ||
            xsirt_match_record_get(&b, old, (size_t)json_integer_value(at), NULL) != 0) {
            d->added++;
        } else {
            if (a.withdrawn && !b.withdrawn)
                d->withdrawn++;
            else if (!feeds_same_text(a.modified, b.modified) || a.score != b.score ||
                     a.withdrawn != b.withdrawn) {
                d->changed++;
                if (feeds_same_match(&a, &b)) {
                    /* Its text only: the vulnerability's row is rewritten, no
                     * component is matched again and no finding touched. */
                    json_array_append_new(d->text, json_string(a.id));
                    before = d->added + d->changed + d->withdrawn;
                }
            }
            if (d->added + d->changed + d->withdrawn != before) {
                /* The packages it named before too: it may have left one. */
                feeds_note(d, &b);
            } else if (a.kev != b.kev || a.has_epss != b.has_epss || a.epss != b.epss) {
                /* KEV and EPSS change a record without its "modified" and
                 * without changing what it matches: its findings are
                 * updated in place (xsirt_finding_enrich), not matched. */
                d->changed++;
                json_array_append_new(d->enrich, json_pack("{s:s, s:b, s:o}", "id", a.id, "kev",
                                                           a.kev, "epss", a.has_epss
                                                               ? json_real(a.epss) : json_null()));
                before = d->added + d->changed + d->withdrawn;
            }
            xsirt_match_record_clear(&b);
        }
        if (d->added + d->changed + d->withdrawn != before) {
            feeds_note(d, &a);
            json_object_set_new(d->vulns, a.id, json_true());
        }
        xsirt_match_record_clear(&a);
    }
    n = old != NULL ? xsirt_match_index_records(old) : 0;
    for (size_t i = 0; i < n; i++) {
        if (xsirt_match_record_get(&b, old, i, NULL) != 0)
            continue;
        if (!b.withdrawn && json_object_get(new_ids, b.id) == NULL) {
            d->withdrawn++;
            feeds_note(d, &b);
            json_object_set_new(d->vulns, b.id, json_true());
        }
        xsirt_match_record_clear(&b);
    }
    json_decref(old_ids);
    json_decref(new_ids);
    if (!d->all)
        feeds_alias_close(d, old, new);
}

/* Compares the built index (path) with the one in force. */
static int feeds_diff_with(feeds_diff *d, const char *path, xsirt_error *err)
{
    const xsirt_match_index *old;
    xsirt_match_index *idx = NULL;
    struct stat st;
    void *map;
    int fd = open(path, O_RDONLY | O_CLOEXEC), rc;

    if (fd < 0 || fstat(fd, &st) != 0 || st.st_size <= 0) {
        if (fd >= 0)
            close(fd);
        return xsirt_error_set(err, XSIRT_EIO, "%s: cannot read the new index", path);
    }
    map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (map == MAP_FAILED)
        return xsirt_error_set(err, XSIRT_EIO, "%s: cannot map the new index", path);
    if ((rc = xsirt_match_index_open(&idx, map, (size_t)st.st_size, err)) == 0) {
        old = xsirt_intel_acquire();
        feeds_compare(d, old, idx);
        xsirt_intel_release();
        xsirt_match_index_close(idx);
    }
    munmap(map, (size_t)st.st_size);
    return rc;
}

/* ---- the sync ------------------------------------------------------------- */

/* The organisation's limits for a download. */
static void feeds_limits(long *timeout, curl_off_t *max, xsirt_db *db)
{
    json_t *d = NULL;
    xsirt_error err;

    *timeout = 600;
    *max = (curl_off_t)4 * 1024 * 1024 * 1024;
    if (xsirt_settings_value(&d, db, "feed_defaults", &err) != 0)
        return;
    if (json_is_integer(json_object_get(d, "timeout")))
        *timeout = (long)json_integer_value(json_object_get(d, "timeout"));
    if (json_is_integer(json_object_get(d, "max_bytes")))
        *max = (curl_off_t)json_integer_value(json_object_get(d, "max_bytes"));
    json_decref(d);
}

/* Fetches feed into a new download (*fresh: tmp holds it) or finds its
 * source; *src gets where its records are. */
static int feeds_get(const char **src, bool *fresh, feeds_fetch *f, xsirt_db *db,
                     const json_t *feed, const xsirt_feeds_local *local, const char *download,
                     const char *tmp, xsirt_error *err)
{
    const char *url = json_string_value(json_object_get(feed, "url"));
    struct stat st;
    bool kept;
    long status = 0, timeout;
    int rc;

    *fresh = false;
    if (strncmp(url, "file://", 7) == 0) {
        if (stat(url + 7, &st) != 0)
            return xsirt_error_set(err, XSIRT_EIO, "%s: %s", url + 7, strerror(errno));
        *src = url + 7;
        return 0;
    }
    feeds_limits(&timeout, &f->max, db);
    if (strcmp(json_string_value(json_object_get(feed, "kind")), "csaf") == 0) {
        /* A provider: its advisories one by one into a directory. */
        size_t fetched, reused;
        if ((rc = xsirt_feeds_csaf_fetch(&fetched, &reused, url, tmp, download, timeout, f->max,
                                         err)) != 0)
            return rc;
        *fresh = true;
        *src = tmp;
        return 0;
    }
    /* Asked as this server's download stands: without one, unconditionally
     * (another server's validators in the database would get a 304). */
    kept = stat(download, &st) == 0;
    if ((rc = feeds_fetch_http(&status, f, url, kept ? local : NULL, timeout, tmp, err)) != 0)
        return rc;
    if (status == 304) {
        *src = kept ? download : NULL;
        return *src != NULL ? 0 : xsirt_error_set(err, XSIRT_EIO, "%s: not modified, but no "
                                                  "earlier download is kept", url);
    }
    *fresh = true;
    *src = tmp;
    return 0;
}

/* Puts the new download (tmp) in the place of the last one. A CSAF
 * provider's download is a directory, which rename(2) cannot put over a
 * non-empty one: the old one steps aside first (a crash between the two
 * renames leaves no download; the next sync fetches again). */
static int feeds_keep(const char *download, const char *tmp, xsirt_error *err)
{
    char old[4400];
    struct stat st;

    if (stat(tmp, &st) == 0 && S_ISDIR(st.st_mode)) {
        snprintf(old, sizeof old, "%s.old", download);
        xsirt_feeds_csaf_remove(old);
        if (rename(download, old) != 0 && errno != ENOENT)
            return xsirt_error_set(err, XSIRT_EIO, "%s: %s", download, strerror(errno));
        if (rename(tmp, download) != 0)
            return xsirt_error_set(err, XSIRT_EIO, "%s: %s", download, strerror(errno));
        xsirt_feeds_csaf_remove(old);
        return 0;
    }
    if (rename(tmp, download) != 0)
        return xsirt_error_set(err, XSIRT_EIO, "%s: %s", download, strerror(errno));
    return 0;
}

/* The vulnerabilities' rows of the records whose text only changed (the
 * plan's "text": ids), from the index in force. */
static int feeds_text(xsirt_db *db, const xsirt_match_index *idx, const json_t *ids, xsirt_error *err)
{
    size_t n = 0, k;
    xsirt_match_record *recs;
    const json_t *id;
    int rc;

    if (json_array_size(ids) == 0 || idx == NULL)
        return 0;
    if ((recs = calloc(json_array_size(ids), sizeof *recs)) == NULL)
        return xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    json_array_foreach(ids, k, id) {
        size_t at;
        if (json_is_string(id) && xsirt_match_record_find(&at, idx, json_string_value(id), NULL) == 0 &&
            xsirt_match_record_get(&recs[n], idx, at, NULL) == 0)
            n++;
    }
    rc = xsirt_finding_vulnerabilities_text(db, recs, n, err);
    for (size_t i = 0; i < n; i++)
        xsirt_match_record_clear(&recs[i]);
    free(recs);
    return rc;
}

/* Matches again what plan says ({"all","keys","vulns","enrich","text"}, as a
 * feeds_diff) against the index in force. */
static int feeds_rematch(size_t *assets, size_t *enriched, xsirt_db *db, const json_t *plan,
                         xsirt_error *err)
{
    bool all = json_is_true(json_object_get(plan, "all"));
    const xsirt_match_index *idx = xsirt_intel_acquire();
    int rc;

    /* No index here (a server started without one, or whose file is not an
     * index): nothing to match against, and no finding may be judged gone
     * for that; the plan waits for an index (the scheduler retries). */
    if (idx == NULL) {
        xsirt_intel_release();
        return xsirt_error_set(err, XSIRT_EUNSUPPORTED, "no intelligence index to match against");
    }
    rc = xsirt_sbom_store_rematch(assets, NULL, db, idx, all ? NULL : json_object_get(plan, "keys"),
                                  all ? NULL : json_object_get(plan, "vulns"), err);

    if (rc == 0 && !all)
        rc = feeds_text(db, idx, json_object_get(plan, "text"), err);
    xsirt_intel_release();
    if (rc == 0 && !all)
        rc = xsirt_finding_enrich(enriched, db, json_object_get(plan, "enrich"), err);
    return rc;
}

/* Finishes the re-matches an earlier sync of this index (server)
 * journalled and did not finish (the server was stopped or killed between
 * putting its index in place and committing the findings): oldest first,
 * each forgotten once committed. */
static int feeds_resume_locked(size_t *done, xsirt_db *db, const char *server, xsirt_error *err)
{
    json_t *plan = NULL;
    int64_t pending = 0;
    size_t assets = 0, enriched = 0;
    int rc;

    *done = 0;
    while ((rc = xsirt_feed_pending_next(&plan, &pending, db, server, err)) == 0 && plan != NULL) {
        rc = feeds_rematch(&assets, &enriched, db, plan, err);
        json_decref(plan);
        if (rc != 0 || (rc = xsirt_feed_pending_done(db, pending, err)) != 0)
            break;
        (*done)++;
    }
    return rc;
}

/* Syncs of this process one at a time (feeds_lock, held by the caller),
 * and of every process on the same index directory (the flock); *server
 * the index's id. -1 or the lock's descriptor, for
 * xsirt_feeds_local_unlock. */
static int feeds_enter(char server[32], const char *dir)
{
    char path[4200];

    server[0] = '\0';
    if (dir[0] == '\0')
        return -1;
    snprintf(path, sizeof path, "%s/feeds", dir);
    mkdir(path, 0700);
    xsirt_feeds_local_server(server, dir);
    return xsirt_feeds_local_lock(dir);
}

int xsirt_feeds_resume(size_t *done, xsirt_db *db, xsirt_error *err)
{
    char dir[4096], server[32];
    int rc, lock;

    xsirt_intel_dir(dir, sizeof dir);
    pthread_mutex_lock(&feeds_lock);
    lock = feeds_enter(server, dir);
    rc = feeds_resume_locked(done, db, server, err);
    xsirt_feeds_local_unlock(lock);
    pthread_mutex_unlock(&feeds_lock);
    return rc;
}

int xsirt_feeds_due(json_t **ids, xsirt_db *db, xsirt_error *err)
{
    char dir[4096];
    json_t *schedule = NULL;
    int rc;

    *ids = NULL;
    xsirt_intel_dir(dir, sizeof dir);
    if (dir[0] == '\0') {
        *ids = json_array();   /* nowhere to keep a download: nothing to sync */
        return 0;
    }
    if ((rc = xsirt_feed_schedule(&schedule, db, err)) != 0)
        return rc;
    *ids = xsirt_feeds_local_due(schedule, dir, time(NULL));
    json_decref(schedule);
    return 0;
}

int xsirt_feeds_sync(json_t **out, xsirt_db *db, const xsirt_principal *by, int64_t id,
                     xsirt_error *err)
{
    char dir[4096], download[4200], tmp[4300], index[4096], index_tmp[4200], server[32];
    xsirt_feeds_local local;
    feeds_fetch f;
    feeds_diff d = {0, 0, 0, NULL, NULL, NULL, NULL, false};
    struct timespec t0, t1, r0, r1;
    long long rematch_ms = 0;
    json_t *feed = NULL, *result, *plan = NULL;
    const char *src = NULL;
    size_t records = 0, assets = 0, enriched = 0, resumed = 0;
    int64_t pending = 0;
    bool fresh = false;
    xsirt_error why;
    int rc, lock;

    *out = NULL;
    if (!by->admin)
        return xsirt_error_set(err, XSIRT_EDENIED, "only administrators sync feeds");
    xsirt_intel_dir(dir, sizeof dir);
    xsirt_intel_path(index, sizeof index);
    if (dir[0] == '\0')
        return xsirt_error_set(err, XSIRT_EUNSUPPORTED, "this server has no data directory for "
                                                        "its index (xsirt serve --data DIR)");
    if ((rc = xsirt_feed_load(&feed, db, id, err)) != 0)
        return rc;
    pthread_mutex_lock(&feeds_lock);
    lock = feeds_enter(server, dir);
    xsirt_feeds_local_load(&local, dir, id);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    d.keys = json_object();
    d.vulns = json_object();
    d.enrich = json_array();
    d.text = json_array();
    memset(&f, 0, sizeof f);
    snprintf(download, sizeof download, "%s/feeds/%lld.download", dir, (long long)id);
    snprintf(tmp, sizeof tmp, "%s.tmp", download);
    snprintf(index_tmp, sizeof index_tmp, "%s.tmp", index);
    /* Failures of the feed itself are the feed's state, not the request's.
     * A re-match an earlier sync left unfinished comes first: this sync's
     * comparison takes the index in force as what the findings follow. */
    rc = feeds_resume_locked(&resumed, db, server, &why);
    if (rc == 0)
        rc = feeds_get(&src, &fresh, &f, db, feed, &local, download, tmp, &why);
    if (rc == 0)
        rc = feeds_build_index(&records, db, dir, id, src, index_tmp, &why);
    if (rc == 0)
        rc = feeds_diff_with(&d, index_tmp, &why);
    if (rc == 0 && fresh)
        rc = feeds_keep(download, tmp, &why);
    /* What must be matched again is committed before the index moves. */
    if (rc == 0 && (plan = json_pack("{s:b, s:O, s:O, s:O, s:O}", "all", d.all, "keys", d.keys, "vulns",
                                     d.vulns, "enrich", d.enrich, "text", d.text)) == NULL)
        rc = xsirt_error_set(&why, XSIRT_ENOMEM, "out of memory");
    if (rc == 0)
        rc = xsirt_feed_pending_add(&pending, db, plan, server, &why);
    if (rc == 0 && rename(index_tmp, index) != 0) {
        rc = xsirt_error_set(&why, XSIRT_EIO, "%s: %s", index, strerror(errno));
        xsirt_feed_pending_done(db, pending, NULL);   /* the old index stays: nothing to do */
    }
    if (rc != 0) {
        if (unlink(tmp) != 0 && errno == EISDIR)
            xsirt_feeds_csaf_remove(tmp);
        unlink(index_tmp);
    }
    if (rc == 0) {
        /* The next acquire maps the new index; the re-match follows the plan,
         * which is forgotten once the findings are committed (a failure
         * leaves it for the next sync or start). */
        clock_gettime(CLOCK_MONOTONIC, &r0);
        rc = feeds_rematch(&assets, &enriched, db, plan, &why);
        if (rc == 0)
            rc = xsirt_feed_pending_done(db, pending, &why);
        clock_gettime(CLOCK_MONOTONIC, &r1);
        rematch_ms = (r1.tv_sec - r0.tv_sec) * 1000 + (r1.tv_nsec - r0.tv_nsec) / 1000000;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    result = json_pack("{s:I, s:s, s:I, s:I, s:I, s:I, s:I, s:I}", "feed", (json_int_t)id,
                       "status", rc == 0 ? "ok" : "error", "records", (json_int_t)records,
                       "added", (json_int_t)d.added, "changed", (json_int_t)d.changed,
                       "withdrawn", (json_int_t)d.withdrawn, "assets", (json_int_t)assets,
                       "duration_ms", (json_int_t)((t1.tv_sec - t0.tv_sec) * 1000 +
                                                   (t1.tv_nsec - t0.tv_nsec) / 1000000));
    /* What the re-match after the index swap cost (the benchmark's figure). */
    json_object_set_new(result, "enriched", json_integer((json_int_t)enriched));
    json_object_set_new(result, "rematch_ms", json_integer((json_int_t)rematch_ms));
    if (resumed > 0)
        json_object_set_new(result, "resumed", json_integer((json_int_t)resumed));
    if (rc != 0)
        json_object_set_new(result, "error", json_string(why.message));
    /* This server synced, well or not: its next sync is an interval away,
     * and a new download brings its own validators. */
    local.synced = time(NULL);
    if (rc == 0 && fresh) {
        xsirt_strlcpy(local.etag, f.etag, sizeof local.etag);
        xsirt_strlcpy(local.last_modified, f.last_modified, sizeof local.last_modified);
    }
    /* The row shows the validators in force here (a 304 carries none). */
    rc = xsirt_feed_record_sync(db, by, id, rc == 0 ? NULL : why.message,
                                local.etag[0] ? local.etag : NULL,
                                local.last_modified[0] ? local.last_modified : NULL, (int64_t)records,
                                result, err);
    /* Last: a state file says this server's sync is wholly recorded. */
    xsirt_feeds_local_save(&local, dir, id);
    xsirt_feeds_local_unlock(lock);
    pthread_mutex_unlock(&feeds_lock);
    json_decref(d.keys);
    json_decref(d.vulns);
    json_decref(d.enrich);
    json_decref(d.text);
    json_decref(plan);
    json_decref(feed);
    if (rc != 0) {
        json_decref(result);
        return rc;
    }
    *out = result;
    return 0;
}
