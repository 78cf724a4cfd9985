/*
 * csaf_validate.c (bench) — CSAF documents validated per second: `xsirt
 * csaf validate` next to the npm validator (@secvisogram/csaf-validator-lib,
 * bench/csaf_reference.mjs) on the same files in the same run, whole
 * processes included, and against a floor: reading and parsing the same
 * files as JSON in this process (what any validator must do at least).
 *
 * Rows: floor (read + parse), in-process validation (read + parse + schema
 * + every test, the library call the command makes), the xsirt command as
 * processes (batches of 500 files per process, output discarded), and the
 * npm validator as one node process. Ratios are to the floor, and npm's
 * time over xsirt's; each in wall time and in CPU time (user + system, of
 * this process or of the children), which a busy machine disturbs less.
 *
 *   bench_csaf_validate [DIR] [NODE]     (default: the shared CISA set)
 */
#include <dirent.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "xsirt/csaf_validate.h"

extern char **environ;

#define MAX_FILES 20000
#define BATCH 500

static char *files[MAX_FILES];
static size_t nfiles;

/* CPU seconds (user + system) of this process or of its waited-for
 * children: on a shared machine this moves less than wall time. */
static double cpu(int who)
{
    struct rusage ru;
    getrusage(who, &ru);
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
           (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void collect(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    if (d == NULL)
        return;
    while ((e = readdir(d)) != NULL && nfiles < MAX_FILES) {
        size_t n = strlen(e->d_name), len = strlen(dir) + n + 2;
        char *path;
        struct stat st;
        if (e->d_name[0] == '.' || (path = malloc(len)) == NULL)
            continue;
        snprintf(path, len, "%s/%s", dir, e->d_name);
        if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
            collect(path);
            free(path);
        } else if (n > 5 && strcmp(e->d_name + n - 5, ".json") == 0) {
            files[nfiles++] = path;
        } else {
            free(path);
        }
    }
    closedir(d);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *data = NULL;
    long n;
    if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
        fseek(f, 0, SEEK_SET) != 0 || (data = malloc((size_t)n + 1)) == NULL ||
        fread(data, 1, (size_t)n, f) != (size_t)n) {
        perror(path);
        exit(2);
    }
    fclose(f);
    *len = (size_t)n;
    return data;
}

/* Runs argv with stdout to /dev/null (stdin from `input` when not NULL);
 * returns its exit status. */
static int run(char **argv, const char *input)
{
    posix_spawn_file_actions_t fa;
    char tmpl[] = "/tmp/xsirt-bench-csaf.XXXXXX";
    int in = -1, status = -1;
    pid_t pid;

    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    if (input != NULL) {
        in = mkstemp(tmpl);
        if (in < 0 || write(in, input, strlen(input)) != (ssize_t)strlen(input))
            exit(2);
        lseek(in, 0, SEEK_SET);
        posix_spawn_file_actions_adddup2(&fa, in, 0);
    }
    if (posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ) == 0)
        waitpid(pid, &status, 0);
    posix_spawn_file_actions_destroy(&fa);
    if (in >= 0) {
        close(in);
        unlink(tmpl);
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void row(const char *name, double secs, double cpu_secs, double floor, double cpu_floor)
{
    printf("%-34s %7.2f s %8.1f/s %6.2fx %9.2f s %8.1f/s %6.2fx\n", name, secs,
           (double)nfiles / secs, secs / floor, cpu_secs, (double)nfiles / cpu_secs,
           cpu_secs / cpu_floor);
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : XSIRT_BENCH_SHARED_DATA "/csaf/cisa";
    const char *node = argc > 2 ? argv[2] : "node";
    size_t invalid = 0;
    double t0, c0, floor, inproc, command, npm, cfloor, cinproc, ccommand, cnpm;

    collect(dir);
    qsort(files, nfiles, sizeof *files, by_name);
    if (nfiles == 0) {
        fprintf(stderr, "bench: no .json files in %s\n", dir);
        return 2;
    }
    printf("%zu CSAF documents from %s\n", nfiles, dir);

    t0 = now();
    c0 = cpu(RUSAGE_SELF);
    for (size_t i = 0; i < nfiles; i++) {
        size_t len;
        char *data = slurp(files[i], &len);
        json_t *doc = json_loadb(data, len, JSON_DECODE_INT_AS_REAL, NULL);
        invalid += doc == NULL;
        json_decref(doc);
        free(data);
    }
    floor = now() - t0;
    cfloor = cpu(RUSAGE_SELF) - c0;

    t0 = now();
    c0 = cpu(RUSAGE_SELF);
    for (size_t i = 0; i < nfiles; i++) {
        size_t len;
        char *data = slurp(files[i], &len), *out = NULL;
        bool valid;
        if (xsirt_csaf_validate_text(&out, &valid, data, len, 0, NULL) != 0 || !valid)
            invalid++;
        free(out);
        free(data);
    }
    inproc = now() - t0;
    cinproc = cpu(RUSAGE_SELF) - c0;

    char *args[BATCH + 4] = { XSIRT_BENCH_XSIRT, "csaf", "validate" };
    t0 = now();
    c0 = cpu(RUSAGE_CHILDREN);
    for (size_t i = 0; i < nfiles; i += BATCH) {
        size_t k = 0;
        for (; k < BATCH && i + k < nfiles; k++)
            args[3 + k] = files[i + k];
        args[3 + k] = NULL;
        if (run(args, NULL) < 0)
            return 3;
    }
    command = now() - t0;
    ccommand = cpu(RUSAGE_CHILDREN) - c0;

    size_t total = 0;
    for (size_t i = 0; i < nfiles; i++)
        total += strlen(files[i]) + 1;
    char *list = malloc(total + 1), *p = list;
    for (size_t i = 0; i < nfiles; i++) {
        size_t n = strlen(files[i]);
        memcpy(p, files[i], n);
        p[n] = '\n';
        p += n + 1;
    }
    *p = '\0';
    char *nargs[] = { (char *)node, XSIRT_BENCH_SOURCE_DIR "/bench/csaf_reference.mjs", NULL };
    t0 = now();
    c0 = cpu(RUSAGE_CHILDREN);
    int rc = run(nargs, list);
    npm = now() - t0;
    cnpm = cpu(RUSAGE_CHILDREN) - c0;
    free(list);

    printf("%-34s %9s %10s %7s %11s %10s %7s\n", "", "wall", "files", "ratio", "cpu", "files",
           "ratio");
    row("floor: read + parse JSON", floor, cfloor, floor, cfloor);
    row("xsirt: validate in process", inproc, cinproc, floor, cfloor);
    row("xsirt csaf validate (processes)", command, ccommand, floor, cfloor);
    if (rc == 0) {
        row("npm csaf-validator-lib (node)", npm, cnpm, floor, cfloor);
        printf("npm / xsirt csaf validate: %.1fx wall, %.1fx cpu\n", npm / command, cnpm / ccommand);
    } else {
        printf("npm csaf-validator-lib: failed (%d); is tests/tools installed?\n", rc);
    }
    printf("(%zu documents invalid or unreadable in process)\n", invalid);
    for (size_t i = 0; i < nfiles; i++)
        free(files[i]);
    return 0;
}
