/*
 * feeds_csaf.h — fetching a CSAF provider (CSAF 2.0 section 7): from its
 * provider-metadata.json, the advisories its ROLIE feeds list
 * (distributions[].rolie.feeds[].url) or, without ROLIE, its directory
 * index (distributions[].directory_url + changes.csv or index.txt).
 * feeds.c calls it for a feed of kind csaf over http(s).
 */
#ifndef XSIRT_FEEDS_CSAF_H
#define XSIRT_FEEDS_CSAF_H

#include <curl/curl.h>
#include <jansson.h>
#include <stddef.h>

#include "xsirt/error.h"

/* Fetches every advisory of the provider at url into the directory dir
 * (created; one file each, plus the manifest ".manifest.json" naming each
 * advisory's URL and its "updated" time). An advisory whose URL and
 * updated time are those of the previous download in old (may be NULL or
 * absent) is linked from there, not fetched again. A ".sha256" file
 * listed (ROLIE hash link) or, for a directory index, found next to the
 * advisory must match. Bounded: XSIRT_LIMIT_FEED_ADVISORIES advisories,
 * max bytes each, timeout seconds in all. *fetched, *reused count them.
 * Any failure fails the whole fetch (the caller keeps the old download). */
int xsirt_feeds_csaf_fetch(size_t *fetched, size_t *reused, const char *url, const char *dir,
                           const char *old, long timeout, curl_off_t max, xsirt_error *err);

/* What a listing names, as [{"url","updated"?,"hash"?}] with URLs made
 * absolute against base: a ROLIE feed (entry[].content.src or the "self"
 * link, "updated", a "hash" link ending in .sha256), changes.csv ("path",
 * "time" a line) or index.txt (a path a line). No I/O (fuzz_csaf_listing). */
typedef enum xsirt_feeds_csaf_kind {
    XSIRT_FEEDS_CSAF_ROLIE,
    XSIRT_FEEDS_CSAF_CHANGES,
    XSIRT_FEEDS_CSAF_INDEX
} xsirt_feeds_csaf_kind;
int xsirt_feeds_csaf_listing(json_t **out, const char *base, const char *data, size_t len,
                             xsirt_feeds_csaf_kind kind, xsirt_error *err);

/* The options every feed download shares: http(s) only (redirects too,
 * at most 5), at most max bytes, timeout seconds, errors into errbuf
 * (CURL_ERROR_SIZE bytes). */
void xsirt_feeds_curl_setup(CURL *curl, const char *url, curl_off_t max, long timeout,
                            char *errbuf);

/* Removes a download directory made by xsirt_feeds_csaf_fetch (its files
 * only: it has no subdirectories). */
void xsirt_feeds_csaf_remove(const char *dir);

#endif
