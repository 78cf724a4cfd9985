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

int bench_run(bench_proc *out, char *const argv[], const char *out_path)
{
    struct rusage ru;
    double t0 = bench_now();
    int status;
    pid_t pid = fork();

    if (pid < 0)
        return -1;
    if (pid == 0) {
        int in = open("/dev/null", O_RDONLY);
        int fd = open(out_path != NULL ? out_path : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (in < 0 || fd < 0 || dup2(in, 0) < 0 || dup2(fd, 1) < 0)
            _exit(127);
        execv(argv[0], argv);
        _exit(127);
    }
    if (wait4(pid, &status, 0, &ru) != pid)
        return -1;
    out->seconds = bench_now() - t0;
    out->maxrss_mib = (double)ru.ru_maxrss / 1024.0;
    out->status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return 0;
}

int bench_floor_main(int argc, char **argv)
{
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
