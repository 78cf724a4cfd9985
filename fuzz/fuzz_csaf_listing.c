/*
 * fuzz_csaf_listing.c — what a CSAF provider lists (feeds_csaf.h): a ROLIE
 * feed, changes.csv or index.txt, as bytes from the network. The first
 * byte picks the kind; the rest is the listing. Every URL handed on must
 * be absolute http(s) against the base (a listing must not send the
 * fetcher to file:// or elsewhere by a relative trick it resolves oddly).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "server/feeds_csaf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t *list = NULL, *e;
    xsirt_error err;
    size_t i;

    if (size < 1)
        return 0;
    if (xsirt_feeds_csaf_listing(&list, "https://example.com/.well-known/csaf/white/",
                                 (const char *)data + 1, size - 1,
                                 (xsirt_feeds_csaf_kind)(data[0] % 3), &err) != 0)
        return 0;
    json_array_foreach(list, i, e) {
        const char *url = json_string_value(json_object_get(e, "url"));
        if (url == NULL || (strncmp(url, "https://", 8) != 0 && strncmp(url, "http://", 7) != 0 &&
                            strstr(url, "://") == NULL))
            abort();
    }
    json_decref(list);
    return 0;
}
