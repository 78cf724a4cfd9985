/*
 * intel.c — the shared intelligence index (see intel.h). A read-write
 * lock lets any number of workers match at once; swapping in a replaced
 * file waits for them to finish with the old mapping.
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/str.h"
#include "server/intel.h"

static pthread_rwlock_t intel_lock = PTHREAD_RWLOCK_INITIALIZER;
static char intel_path[4096];
static void *intel_map;
static size_t intel_len;
static xsirt_match_index *intel_index;
static struct stat intel_stat;      /* of the file mapped */
/* alias -> [ids of the records listing it] of intel_index, made on first
 * use (intel_alias_lock) and dropped with the mapping (write lock held). */
static pthread_mutex_t intel_alias_lock = PTHREAD_MUTEX_INITIALIZER;
static json_t *intel_aliases;

static void intel_unmap(void)
{
    json_decref(intel_aliases);
    intel_aliases = NULL;
    xsirt_match_index_close(intel_index);
    if (intel_map != NULL)
        munmap(intel_map, intel_len);
    intel_index = NULL;
    intel_map = NULL;
    intel_len = 0;
    memset(&intel_stat, 0, sizeof intel_stat);
}

static bool intel_changed(const struct stat *st)
{
    return st->st_ino != intel_stat.st_ino || st->st_size != intel_stat.st_size ||
           st->st_mtim.tv_sec != intel_stat.st_mtim.tv_sec ||
           st->st_mtim.tv_nsec != intel_stat.st_mtim.tv_nsec;
}

/* Maps the file if it changed; with the write lock held. */
static int intel_reload(xsirt_error *err)
{
    struct stat st;
    xsirt_match_index *idx = NULL;
    void *map;
    int fd;

    if (intel_path[0] == '\0')
        return 0;
    fd = open(intel_path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        intel_unmap();      /* removed: no intelligence */
        return 0;
    }
    if (fstat(fd, &st) != 0 || st.st_size <= 0 || !intel_changed(&st)) {
        close(fd);
        return 0;
    }
    map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (map == MAP_FAILED)
        return xsirt_error_set(err, XSIRT_EIO, "%s: cannot map the index", intel_path);
    if (xsirt_match_index_open(&idx, map, (size_t)st.st_size, err) != 0) {
        munmap(map, (size_t)st.st_size);
        xsirt_error_prefix(err, "%s: ", intel_path);
        return XSIRT_EINVAL;
    }
    intel_unmap();
    intel_map = map;
    intel_len = (size_t)st.st_size;
    intel_index = idx;
    intel_stat = st;
    return 0;
}

int xsirt_intel_open(const char *path, xsirt_error *err)
{
    int rc;

    pthread_rwlock_wrlock(&intel_lock);
    intel_unmap();
    xsirt_strlcpy(intel_path, path, sizeof intel_path);
    rc = intel_reload(err);
    pthread_rwlock_unlock(&intel_lock);
    return rc;
}

const xsirt_match_index *xsirt_intel_acquire(void)
{
    struct stat st;
    bool stale;

    pthread_rwlock_rdlock(&intel_lock);
    stale = intel_path[0] != '\0' &&
            (stat(intel_path, &st) == 0 ? intel_changed(&st) : intel_index != NULL);
    if (stale) {
        xsirt_error err;
        pthread_rwlock_unlock(&intel_lock);
        pthread_rwlock_wrlock(&intel_lock);
        if (intel_reload(&err) != 0)
            fprintf(stderr, "xsirt: intelligence index: %s (the previous one stays in use)\n",
                    err.message);
        pthread_rwlock_unlock(&intel_lock);
        pthread_rwlock_rdlock(&intel_lock);
    }
    return intel_index;
}

void xsirt_intel_release(void)
{
    pthread_rwlock_unlock(&intel_lock);
}

static json_t *intel_alias_map(const xsirt_match_index *idx)
{
    size_t n = xsirt_match_index_records(idx);
    json_t *map = json_object();
    xsirt_match_record r;

    for (size_t i = 0; map != NULL && i < n; i++) {
        if (xsirt_match_record_get(&r, idx, i, NULL) != 0)
            continue;
        for (size_t k = 0; k < r.n_aliases; k++) {
            json_t *ids = json_object_get(map, r.aliases[k]);
            if (ids == NULL)
                json_object_set_new(map, r.aliases[k], ids = json_array());
            json_array_append_new(ids, json_string(r.id));
        }
        xsirt_match_record_clear(&r);
    }
    return map;
}

json_t *xsirt_intel_aliased(const char *alias)
{
    const xsirt_match_index *idx = xsirt_intel_acquire();
    json_t *out = NULL;

    if (idx != NULL) {
        pthread_mutex_lock(&intel_alias_lock);
        if (intel_aliases == NULL)
            intel_aliases = intel_alias_map(idx);
        /* A copy: the map goes with the mapping, and the caller outlives it. */
        out = json_deep_copy(json_object_get(intel_aliases, alias));
        pthread_mutex_unlock(&intel_alias_lock);
        if (out == NULL)
            out = json_array();
    }
    xsirt_intel_release();
    return out;
}

void xsirt_intel_close(void)
{
    pthread_rwlock_wrlock(&intel_lock);
    intel_unmap();
    intel_path[0] = '\0';
    pthread_rwlock_unlock(&intel_lock);
}

void xsirt_intel_path(char *out, size_t outsz)
{
    pthread_rwlock_rdlock(&intel_lock);
    xsirt_strlcpy(out, intel_path, outsz);
    pthread_rwlock_unlock(&intel_lock);
}

void xsirt_intel_dir(char *out, size_t outsz)
{
    char *slash;

    xsirt_intel_path(out, outsz);
    slash = strrchr(out, '/');
    if (slash != NULL)
        *slash = '\0';
    else if (out[0] != '\0')
        xsirt_strlcpy(out, ".", outsz);
}
