/*
 * match_io.c — whole-file reads and read-only maps (see match_io.h).
 *
 * The index is mapped rather than read so that opening it costs nothing
 * but the header check: pages are loaded as the scan touches them.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/match_io.h"
#include "xsirt/limits.h"

static int io_errno(xsirt_error *err, const char *what)
{
    int code = errno == ENOENT ? XSIRT_ENOTFOUND : XSIRT_EIO;

    return xsirt_error_set(err, code, "%s: %s", what, strerror(errno));
}

int xsirt_cli_read_file(char **out, size_t *len, const char *path, size_t max, xsirt_error *err)
{
    struct stat st;
    char *buf = NULL;
    size_t n = 0, cap;
    int fd, rc = 0;

    *out = NULL;
    *len = 0;
    if ((fd = open(path, O_RDONLY)) < 0)
        return io_errno(err, "cannot open");
    if (fstat(fd, &st) != 0) {
        rc = io_errno(err, "cannot stat");
        goto out;
    }
    if (S_ISDIR(st.st_mode)) {
        rc = xsirt_error_set(err, XSIRT_EINVAL, "is a directory");
        goto out;
    }
    if (st.st_size > 0 && (unsigned long long)st.st_size > max) {
        rc = xsirt_error_set(err, XSIRT_ELIMIT, "file larger than %zu bytes", max);
        goto out;
    }
    /* Room for the file, the NUL and one byte more, so that the read
     * which finds the end needs no growth (growing had copied the whole
     * file into a buffer twice its size). */
    cap = st.st_size > 0 ? (size_t)st.st_size + 2 : 65536;
    if ((buf = malloc(cap)) == NULL) {
        rc = xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
        goto out;
    }
    for (;;) {
        ssize_t r;
        if (n + 1 >= cap) {
            char *p;
            if (cap > max) {
                rc = xsirt_error_set(err, XSIRT_ELIMIT, "file larger than %zu bytes", max);
                goto out;
            }
            if ((p = realloc(buf, cap * 2)) == NULL) {
                rc = xsirt_error_set(err, XSIRT_ENOMEM, "out of memory");
                goto out;
            }
            buf = p;
            cap *= 2;
        }
        r = read(fd, buf + n, cap - n - 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            rc = io_errno(err, "cannot read");
            goto out;
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    if (n > max) {
        rc = xsirt_error_set(err, XSIRT_ELIMIT, "file larger than %zu bytes", max);
        goto out;
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    buf = NULL;
out:
    free(buf);
    close(fd);
    return rc;
}

int xsirt_cli_map_file(void **out, size_t *len, const char *path, xsirt_error *err)
{
    struct stat st;
    void *p;
    int fd;

    *out = NULL;
    *len = 0;
    if ((fd = open(path, O_RDONLY)) < 0)
        return io_errno(err, "cannot open");
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return xsirt_error_set(err, XSIRT_EINVAL, "not a regular file");
    }
    if (st.st_size == 0) {
        close(fd);
        return xsirt_error_set(err, XSIRT_EINVAL, "empty file, not an xsirt index");
    }
    p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (p == MAP_FAILED)
        return io_errno(err, "cannot map");
    *out = p;
    *len = (size_t)st.st_size;
    return 0;
}

void xsirt_cli_unmap(void *data, size_t len)
{
    if (data != NULL)
        munmap(data, len);
}

int xsirt_cli_vendor_aliases(xsirt_name_aliases **out, const char *path)
{
    xsirt_error err;
    char *data = NULL;
    size_t len = 0;
    int rc;

    *out = NULL;
    xsirt_error_clear(&err);
    if ((rc = xsirt_name_aliases_new(out, &err)) != 0 ||
        (rc = xsirt_cli_read_file(&data, &len, path, XSIRT_LIMIT_FILE, &err)) != 0 ||
        (rc = xsirt_name_aliases_add(*out, data, len, &err)) != 0) {
        free(data);
        xsirt_name_aliases_free(*out);
        *out = NULL;
        return xsirt_cli_fail(path, &err);
    }
    free(data);
    return 0;
}
