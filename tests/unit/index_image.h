/*
 * index_image.h — for unit tests of the matching engine: an index built in
 * memory from OSV records given as strings (the builder writes the image
 * through index_image_collect into an index_image).
 */
#ifndef XSIRT_TEST_INDEX_IMAGE_H
#define XSIRT_TEST_INDEX_IMAGE_H

#include <stdlib.h>
#include <string.h>

#include "xsirt/match.h"

typedef struct index_image {
    char *data;
    size_t len;
} index_image;

static int index_image_collect(void *ctx, const void *data, size_t len, xsirt_error *err)
{
    index_image *im = ctx;
    char *p = realloc(im->data, im->len + len);

    (void)err;
    if (p == NULL)
        return XSIRT_ENOMEM;
    memcpy(p + im->len, data, len);
    im->data = p;
    im->len += len;
    return 0;
}

/* Builds records[0..n) into *im (empty before); 0 or the builder's error. */
static int index_image_build(index_image *im, const char *const *records, size_t n,
                             xsirt_error *err)
{
    xsirt_match_builder *b;
    int rc;

    if ((rc = xsirt_match_builder_new(&b, err)) != 0)
        return rc;
    for (size_t i = 0; i < n && rc == 0; i++)
        rc = xsirt_match_builder_add(b, records[i], strlen(records[i]), NULL, err);
    if (rc == 0)
        rc = xsirt_match_builder_finish(b, index_image_collect, im, err);
    xsirt_match_builder_free(b);
    return rc;
}

#endif
