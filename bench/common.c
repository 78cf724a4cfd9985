/*
 * common.c (bench) — what the benchmarks share (common.h): commands run
 * as whole processes, the jansson parse floor as a process, input files,
 * package URLs for generated SBOMs.
 */
#define _DEFAULT_SOURCE   /* wait4: one child's own peak memory */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "common.h"
#include "xsirt/purl.h"
#include "xsirt/version.h"

double bench_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

double bench_median(double *t, int n)
{
    qsort(t, (size_t)n, sizeof *t, cmp_double);
    return n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
}

/* Runs argv and measures it from here: this process must be small, since
 * a child's peak RSS counts what it had when forked (the kernel keeps
 * the high-water mark across exec). */
static int run_measured(bench_proc *out, char *const argv[], const char *out_path)
{
    struct rusage ru;
    double t0 = bench_now();
    int status;
    pid_t pid = fork();

    if (pid < 0)
        return -1;
    if (pid == 0) {
        int in = open("/dev/null", O_RDONLY);
        int fd = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (in < 0 || fd < 0 || dup2(in, 0) < 0 || dup2(fd, 1) < 0)
            _exit(127);
        execv(argv[0], argv);
        _exit(127);
    }
    if (wait4(pid, &status, 0, &ru) != pid)
        return -1;
    out->seconds = bench_now() - t0;
    out->maxrss_mib = (double)ru.ru_maxrss / 1024.0;
    out->cpu_seconds = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
                       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
    out->status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return 0;
}

/* The benchmark holds its inputs (hundreds of MiB): the command is run
 * by a fresh copy of the benchmark program (`--spawn`, a few MiB), which
 * measures it and hands the figures back through a pipe. */
int bench_run(bench_proc *out, char *const argv[], const char *out_path)
{
    char *args[64], fdarg[16];
    int fds[2], status;
    size_t n = 0;
    ssize_t got;
    pid_t pid;

    if (pipe(fds) != 0)
        return -1;
    snprintf(fdarg, sizeof fdarg, "%d", fds[1]);
    args[n++] = "bench";
    args[n++] = "--spawn";
    args[n++] = fdarg;
    args[n++] = (char *)(out_path != NULL ? out_path : "/dev/null");
    for (size_t i = 0; argv[i] != NULL && n < 63; i++)
        args[n++] = argv[i];
    args[n] = NULL;
    if ((pid = fork()) < 0)
        return -1;
    if (pid == 0) {
        close(fds[0]);
        execv("/proc/self/exe", args);
        _exit(127);
    }
    close(fds[1]);
    got = read(fds[0], out, sizeof *out);
    close(fds[0]);
    if (waitpid(pid, &status, 0) != pid || got != (ssize_t)sizeof *out)
        return -1;
    return 0;
}

/* The floor with jansson's allocations carved from big blocks and never
 * freed (the process's exit gives them back): what `xsirt scan`'s reader
 * does (src/formats/json_arena.c), so that its gain over malloc is not
 * counted as the scan's. Same jansson call and flags as --floor. */
static char *arena_cur, *arena_end;

static void *floor_alloc(size_t n)
{
    n = (n + 15) & ~(size_t)15;
    if ((size_t)(arena_end - arena_cur) < n) {
        size_t size = n > ((size_t)4 << 20) ? n : (size_t)4 << 20;
        if ((arena_cur = malloc(size)) == NULL)
            return NULL;
        arena_end = arena_cur + size;
    }
    arena_cur += n;
    return arena_cur - n;
}

static void floor_free(void *p)
{
    (void)p;
}

static int floor_arena(int argc, char **argv)
{
    json_set_alloc_funcs(floor_alloc, floor_free);
    for (int i = 2; i < argc; i++)
        if (json_load_file(argv[i], 0, NULL) == NULL)
            return 3;
    return 0;
}

int bench_mode_main(int argc, char **argv)
{
    if (argc >= 5 && strcmp(argv[1], "--spawn") == 0) {
        bench_proc p;
        int fd = (int)strtol(argv[2], NULL, 10);
        if (run_measured(&p, argv + 4, argv[3]) != 0 || write(fd, &p, sizeof p) != (ssize_t)sizeof p)
            return 3;
        return 0;
    }
    if (argc >= 2 && strcmp(argv[1], "--floor-arena") == 0)
        return floor_arena(argc, argv);
    if (argc < 2 || strcmp(argv[1], "--floor") != 0)
        return -1;
    for (int i = 2; i < argc; i++) {
        json_t *j = json_load_file(argv[i], 0, NULL);
        if (j == NULL)
            return 3;
        json_decref(j);
    }
    return 0;
}

static void add_file(bench_files *fs, const char *path)
{
    struct stat st;
    FILE *f;
    bench_file *p;

    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) || (f = fopen(path, "rb")) == NULL)
        return;
    if (fs->n == fs->cap) {
        fs->cap = fs->cap ? fs->cap * 2 : 1024;
        if ((p = realloc(fs->items, fs->cap * sizeof *p)) == NULL)
            exit(3);
        fs->items = p;
    }
    p = &fs->items[fs->n];
    p->len = (size_t)st.st_size;
    if ((p->data = malloc(p->len + 1)) == NULL || fread(p->data, 1, p->len, f) != p->len) {
        free(p->data);
        fclose(f);
        return;
    }
    p->data[p->len] = '\0';
    fclose(f);
    fs->n++;
}

void bench_walk(bench_files *fs, const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    char path[4096];

    if (d == NULL)
        return;
    while ((de = readdir(d)) != NULL) {
        struct stat st;
        if (de->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        if (stat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode))
            bench_walk(fs, path);
        else
            add_file(fs, path);
    }
    closedir(d);
}

void bench_each_affected(const bench_files *fs, bench_affected_fn fn, void *ctx)
{
    int stop = 0;

    for (size_t i = 0; !stop && i < fs->n; i++) {
        xsirt_vuln_list *l;
        if (xsirt_vuln_parse(&l, fs->items[i].data, fs->items[i].len, NULL) != 0)
            continue;
        for (size_t r = 0; !stop && r < l->count; r++)
            for (size_t a = 0; !stop && a < l->items[r].n_affected; a++) {
                const xsirt_vuln_affected *af = &l->items[r].affected[a];
                if (af->ecosystem != NULL && af->name != NULL)
                    stop = fn(ctx, af);
            }
        xsirt_vuln_list_free(l);
    }
}

static const xsirt_version_scheme *sort_scheme;

static int cmp_version(const void *pa, const void *pb)
{
    const char *a = json_string_value(*(json_t *const *)pa), *b = json_string_value(*(json_t *const *)pb);
    int c = 0;

    if (xsirt_version_compare(&c, sort_scheme, a, b, NULL) != 0)
        c = strcmp(a, b);
    return c;
}

/* "ecosystem\tname" -> {version: true} of every version an OSV record
 * lists or names in a range event; *counts: "ecosystem\tname" -> the
 * number of records about the package. */
typedef struct collect {
    json_t *pkgs, *counts;
} collect;

static int collect_one(void *ctx, const xsirt_vuln_affected *af)
{
    collect *c = ctx;
    char key[1024];
    json_t *set;

    snprintf(key, sizeof key, "%s\t%s", af->ecosystem, af->name);
    json_object_set_new(c->counts, key,
                        json_integer(json_integer_value(json_object_get(c->counts, key)) + 1));
    if ((set = json_object_get(c->pkgs, key)) == NULL)
        json_object_set_new(c->pkgs, key, set = json_object());
    for (size_t v = 0; v < af->n_versions; v++)
        json_object_set_new(set, af->versions[v], json_true());
    for (size_t g = 0; g < af->n_ranges; g++)
        for (size_t e = 0; e < af->ranges[g].n_events; e++) {
            const char *v = af->ranges[g].events[e].version;
            if (v != NULL && strcmp(v, "0") != 0)
                json_object_set_new(set, v, json_true());
        }
    return 0;
}

static json_t *collect_versions(const bench_files *osv, json_t **counts)
{
    collect c = {json_object(), json_object()};

    bench_each_affected(osv, collect_one, &c);
    *counts = c.counts;
    return c.pkgs;
}

/* Each package's versions, lowest first, as arrays in key order. */
static json_t *sorted_versions(json_t *pkgs, json_t **keys_out)
{
    json_t *sorted = json_array(), *keys = json_array(), *set;
    const char *key;

    json_object_foreach(pkgs, key, set) {
        json_t *arr = json_array(), **items;
        const char *v;
        json_t *x;
        char eco[256];
        size_t n = 0, k = 0;
        snprintf(eco, sizeof eco, "%.*s", (int)(strchr(key, '\t') - key), key);
        if ((sort_scheme = xsirt_version_scheme_for_osv(eco)) == NULL)
            continue;
        items = calloc(json_object_size(set) + 1, sizeof *items);
        json_object_foreach(set, v, x) items[n++] = json_string(v);
        qsort(items, n, sizeof *items, cmp_version);
        for (k = 0; k < n; k++)
            json_array_append_new(arr, items[k]);
        free(items);
        json_array_append_new(sorted, arr);
        json_array_append_new(keys, json_string(key));
    }
    *keys_out = keys;
    return sorted;
}

json_t *bench_package_versions(const bench_files *osv, json_t **keys, json_t **counts)
{
    json_t *pkgs = collect_versions(osv, counts), *sorted = sorted_versions(pkgs, keys);

    json_decref(pkgs);
    return sorted;
}

int bench_add_component(json_t *comps, const char *eco, const char *name, const char *version)
{
    static const struct {
        const char *eco, *type;
    } types[] = {{"Go", "golang"}, {"PyPI", "pypi"}, {"crates.io", "cargo"}};
    xsirt_purl p;
    char *purl = NULL, vbuf[256], nsbuf[512];
    const char *slash;
    json_t *c;

    xsirt_purl_init(&p);
    for (size_t i = 0; i < 3; i++)
        if (strcmp(types[i].eco, eco) == 0)
            p.type = (char *)types[i].type;
    if (p.type == NULL)
        return -1;
    p.name = (char *)name;
    if (strcmp(p.type, "golang") == 0) {
        if ((slash = strrchr(name, '/')) == NULL)
            return -1;
        snprintf(nsbuf, sizeof nsbuf, "%.*s", (int)(slash - name), name);
        p.namespace_ = nsbuf;
        p.name = (char *)slash + 1;
        snprintf(vbuf, sizeof vbuf, "v%s", version);
        version = vbuf;
    }
    p.version = (char *)version;
    if (xsirt_purl_build(&purl, &p, NULL) != 0)
        return -1;
    c = json_object();
    json_object_set_new(c, "type", json_string("library"));
    json_object_set_new(c, "bom-ref", json_sprintf("c%zu", json_array_size(comps)));
    json_object_set_new(c, "name", json_string(name));
    json_object_set_new(c, "version", json_string(version));
    json_object_set_new(c, "purl", json_string(purl));
    json_array_append_new(comps, c);
    free(purl);
    return 0;
}

char *bench_sbom_text(json_t *comps)
{
    json_t *root = json_object();
    char *text;

    json_object_set_new(root, "bomFormat", json_string("CycloneDX"));
    json_object_set_new(root, "specVersion", json_string("1.5"));
    json_object_set_new(root, "version", json_integer(1));
    json_object_set_new(root, "components", comps);
    text = json_dumps(root, JSON_COMPACT);
    json_decref(root);
    return text;
}
