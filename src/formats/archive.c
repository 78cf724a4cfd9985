/*
 * archive.c — iterating archive entries with libarchive, bounded (see
 * include/xsirt/archive.h).
 *
 * The sizes an archive declares are only hints (a zip bomb may declare
 * anything), so the limits are enforced on the bytes actually produced:
 * an entry is read in blocks into a buffer whose ceiling is the entry
 * limit, and a running total stops the archive at the total limit. Only
 * zip and tar (with gzip, bzip2, xz or zstd compression) are enabled:
 * libarchive's rarer formats would add attack surface and no use.
 */
#include <string.h>

#include <archive.h>
#include <archive_entry.h>

#include "core/buf.h"
#include "core/str.h"
#include "xsirt/archive.h"
#include "xsirt/limits.h"

#define ARCHIVE_BLOCK (64u * 1024u)

void xsirt_archive_limits_default(xsirt_archive_limits *limits)
{
    limits->max_entry = XSIRT_LIMIT_ARCHIVE_ENTRY;
    limits->max_total = XSIRT_LIMIT_ARCHIVE_TOTAL;
    limits->max_entries = XSIRT_LIMIT_ARCHIVE_ENTRIES;
}

static struct archive *archive_new_reader(void)
{
    struct archive *a = archive_read_new();

    if (a == NULL)
        return NULL;
    archive_read_support_format_zip(a);
    archive_read_support_format_tar(a);
    /* One compressed file that is no archive (FIRST's EPSS CSV is
     * published gzipped): one entry named "data". The raw format bids
     * lowest, so zip and tar still win whenever they match. */
    archive_read_support_format_raw(a);
    archive_read_support_filter_gzip(a);
    archive_read_support_filter_bzip2(a);
    archive_read_support_filter_xz(a);
    archive_read_support_filter_zstd(a);
    return a;
}

static int archive_fail(struct archive *a, xsirt_error *err, const char *name,
                        unsigned long index)
{
    const char *msg = archive_error_string(a);
    char q[XSIRT_LIMIT_QUOTE + 16];

    if (name == NULL)
        return xsirt_error_set(err, XSIRT_EINVAL, "archive: %s",
                               msg != NULL ? msg : "unreadable");
    xsirt_quote(q, sizeof q, name, strlen(name));
    return xsirt_error_set(err, XSIRT_EINVAL, "archive entry %lu %s: %s", index, q,
                           msg != NULL ? msg : "unreadable");
}

/* Reads the current entry's data into buf, counting toward *total. */
static int archive_read_entry(struct archive *a, xsirt_buf *buf, const char *name,
                              unsigned long index, const xsirt_archive_limits *lim,
                              unsigned long long *total, xsirt_error *err)
{
    char block[ARCHIVE_BLOCK];
    char q[XSIRT_LIMIT_QUOTE + 16];

    xsirt_quote(q, sizeof q, name, strlen(name));
    for (;;) {
        la_ssize_t n = archive_read_data(a, block, sizeof block);
        if (n == 0)
            return 0;
        if (n < 0)
            return archive_fail(a, err, name, index);
        *total += (unsigned long long)n;
        if (*total > lim->max_total)
            return xsirt_error_set(err, XSIRT_ELIMIT,
                                   "archive expands to more than %llu bytes "
                                   "(XSIRT_LIMIT_ARCHIVE_TOTAL) at entry %lu %s",
                                   lim->max_total, index, q);
        if (xsirt_buf_append(buf, block, (size_t)n) != 0) {
            if (buf->len + (size_t)n > buf->max)
                return xsirt_error_set(err, XSIRT_ELIMIT,
                                       "archive entry %lu %s is larger than %zu bytes "
                                       "(XSIRT_LIMIT_ARCHIVE_ENTRY)",
                                       index, q, lim->max_entry);
            return xsirt_error_set(err, XSIRT_ENOMEM, "out of memory reading archive");
        }
    }
}

static int archive_iterate(struct archive *a, const xsirt_archive_limits *lim,
                           xsirt_archive_fn fn, void *ctx, xsirt_error *err)
{
    struct archive_entry *e;
    unsigned long long total = 0;
    unsigned long index = 0;
    xsirt_buf buf;
    int r, rc = 0;

    xsirt_buf_init(&buf, lim->max_entry);
    while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK || r == ARCHIVE_WARN) {
        const char *name = archive_entry_pathname(e);
        index++;
        /* The raw format takes anything: it stands for a compressed file
         * only when a compression filter read it; plain bytes are no archive. */
        if (index == 1 && archive_format(a) == ARCHIVE_FORMAT_RAW &&
            archive_filter_code(a, 0) == ARCHIVE_FILTER_NONE) {
            rc = xsirt_error_set(err, XSIRT_EINVAL,
                                 "archive: not a zip or tar archive, nor a compressed file");
            break;
        }
        if (index > lim->max_entries) {
            rc = xsirt_error_set(err, XSIRT_ELIMIT,
                                 "archive has more than %zu entries (XSIRT_LIMIT_ARCHIVE_ENTRIES)",
                                 lim->max_entries);
            break;
        }
        if (name == NULL)
            name = "";
        if (strlen(name) > XSIRT_LIMIT_ARCHIVE_NAME) {
            rc = xsirt_error_set(err, XSIRT_ELIMIT,
                                 "archive entry %lu has a name longer than "
                                 "XSIRT_LIMIT_ARCHIVE_NAME", index);
            break;
        }
        if (archive_entry_filetype(e) != AE_IFREG)
            continue;
        if (archive_entry_size_is_set(e) && archive_entry_size(e) >= 0 &&
            (unsigned long long)archive_entry_size(e) > lim->max_entry) {
            char q[XSIRT_LIMIT_QUOTE + 16];
            xsirt_quote(q, sizeof q, name, strlen(name));
            rc = xsirt_error_set(err, XSIRT_ELIMIT,
                                 "archive entry %lu %s declares %lld bytes, more than %zu "
                                 "(XSIRT_LIMIT_ARCHIVE_ENTRY)",
                                 index, q, (long long)archive_entry_size(e), lim->max_entry);
            break;
        }
        xsirt_buf_reset(&buf);
        if ((rc = archive_read_entry(a, &buf, name, index, lim, &total, err)) != 0)
            break;
        rc = fn(ctx, name, buf.data != NULL ? buf.data : "", buf.len, err);
        if (rc != 0) {
            if (rc > 0)
                rc = 0;
            goto out;
        }
    }
    if (rc == 0 && r != ARCHIVE_EOF && !(r == ARCHIVE_OK || r == ARCHIVE_WARN))
        rc = archive_fail(a, err, NULL, 0);
out:
    xsirt_buf_free(&buf);
    return rc;
}

static int archive_run(struct archive *a, int opened, const xsirt_archive_limits *limits,
                       xsirt_archive_fn fn, void *ctx, xsirt_error *err)
{
    xsirt_archive_limits def;
    int rc;

    if (limits == NULL) {
        xsirt_archive_limits_default(&def);
        limits = &def;
    }
    if (opened != ARCHIVE_OK)
        rc = archive_fail(a, err, NULL, 0);
    else
        rc = archive_iterate(a, limits, fn, ctx, err);
    archive_read_free(a);
    return rc;
}

int xsirt_archive_each_memory(const void *data, size_t len, const xsirt_archive_limits *limits,
                              xsirt_archive_fn fn, void *ctx, xsirt_error *err)
{
    struct archive *a;

    if (data == NULL || len == 0)
        return xsirt_error_set(err, XSIRT_EINVAL, "archive: empty input");
    if ((a = archive_new_reader()) == NULL)
        return xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    return archive_run(a, archive_read_open_memory(a, data, len), limits, fn, ctx, err);
}

int xsirt_archive_each_fd(int fd, const xsirt_archive_limits *limits, xsirt_archive_fn fn,
                          void *ctx, xsirt_error *err)
{
    struct archive *a;

    if (fd < 0)
        return xsirt_error_set(err, XSIRT_EINVAL, "archive: bad file descriptor");
    if ((a = archive_new_reader()) == NULL)
        return xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
    return archive_run(a, archive_read_open_fd(a, fd, ARCHIVE_BLOCK), limits, fn, ctx, err);
}
