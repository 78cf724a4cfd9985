/*
 * feeds_local.c — a feed sync's state beside this server's index (see
 * feeds_local.h for why it is not in the database): DIR/feeds/ID.state,
 * DIR/feeds/server-id and DIR/feeds/.lock.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/str.h"
#include "server/feeds_local.h"
#include "store/user.h"

static void local_path(char *out, size_t outsz, const char *dir, const char *name)
{
    snprintf(out, outsz, "%s/feeds/%s", dir, name);
}

static void local_state_path(char *out, size_t outsz, const char *dir, int64_t id)
{
    char name[64];

    snprintf(name, sizeof name, "%lld.state", (long long)id);
    local_path(out, outsz, dir, name);
}

void xsirt_feeds_local_load(xsirt_feeds_local *s, const char *dir, int64_t id)
{
    char path[4200];
    json_t *j;

    memset(s, 0, sizeof *s);
    local_state_path(path, sizeof path, dir, id);
    if ((j = json_load_file(path, JSON_REJECT_DUPLICATES, NULL)) == NULL)
        return;
    if (json_is_integer(json_object_get(j, "synced")))
        s->synced = (time_t)json_integer_value(json_object_get(j, "synced"));
    if (json_is_string(json_object_get(j, "etag")))
        xsirt_strlcpy(s->etag, json_string_value(json_object_get(j, "etag")), sizeof s->etag);
    if (json_is_string(json_object_get(j, "last_modified")))
        xsirt_strlcpy(s->last_modified, json_string_value(json_object_get(j, "last_modified")),
                      sizeof s->last_modified);
    json_decref(j);
}

void xsirt_feeds_local_save(const xsirt_feeds_local *s, const char *dir, int64_t id)
{
    char path[4200], tmp[4300];
    json_t *j = json_pack("{s:I, s:s?, s:s?}", "synced", (json_int_t)s->synced, "etag",
                          s->etag[0] != '\0' ? s->etag : NULL, "last_modified",
                          s->last_modified[0] != '\0' ? s->last_modified : NULL);

    if (j == NULL)
        return;
    local_state_path(path, sizeof path, dir, id);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    if (json_dump_file(j, tmp, JSON_COMPACT) == 0)
        rename(tmp, path);
    else
        unlink(tmp);
    json_decref(j);
}

/* A file of the id, made once: O_EXCL decides between two processes
 * making it at once, and the loser reads the winner's. */
void xsirt_feeds_local_server(char out[32], const char *dir)
{
    char path[4200], id[32];
    ssize_t n = 0;
    int fd;

    out[0] = '\0';
    local_path(path, sizeof path, dir, "server-id");
    if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) >= 0) {
        xsirt_random_token(id, sizeof id, 16);
        if (write(fd, id, strlen(id)) == (ssize_t)strlen(id) && fsync(fd) == 0)
            xsirt_strlcpy(out, id, 32);
        close(fd);
        if (out[0] == '\0')
            unlink(path);
        return;
    }
    if (errno != EEXIST || (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
        return;
    /* The maker may not have written it yet: a moment's wait, then none. */
    for (int tries = 0; tries < 50 && (n = read(fd, id, sizeof id - 1)) == 0; tries++) {
        nanosleep(&(struct timespec){0, 10 * 1000 * 1000}, NULL);
        lseek(fd, 0, SEEK_SET);
    }
    close(fd);
    if (n > 0) {
        id[n] = '\0';
        xsirt_strlcpy(out, id, 32);
    }
}

int xsirt_feeds_local_lock(const char *dir)
{
    char path[4200];
    int fd;

    local_path(path, sizeof path, dir, ".lock");
    if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) < 0)
        return -1;
    while (flock(fd, LOCK_EX) != 0) {
        if (errno != EINTR) {
            close(fd);
            return -1;
        }
    }
    return fd;
}

void xsirt_feeds_local_unlock(int fd)
{
    if (fd >= 0)
        close(fd);   /* closing releases the flock */
}

json_t *xsirt_feeds_local_due(const json_t *schedule, const char *dir, time_t now)
{
    json_t *due = json_array(), *f;
    size_t i;

    json_array_foreach(schedule, i, f) {
        int64_t id = (int64_t)json_integer_value(json_array_get(f, 0));
        xsirt_feeds_local s;
        xsirt_feeds_local_load(&s, dir, id);
        if (s.synced == 0 || s.synced + (time_t)json_integer_value(json_array_get(f, 1)) <= now)
            json_array_append_new(due, json_integer((json_int_t)id));
    }
    return due;
}
