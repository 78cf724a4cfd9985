/*
 * reports.c (bench) — `xsirt scan` writing each report format for a very
 * vulnerable SBOM, as whole processes: time and peak memory, against
 * floors measured in the same run.
 *
 * The input: a CycloneDX SBOM of N components (10,000) at the oldest
 * versions the shared OSV records name (the packages most records speak
 * of first, each with its lowest PER_PACKAGE versions, COPIES times), so that each
 * component is affected by many records: about a quarter of a million
 * findings against an index of all the shared data (built first with
 * `xsirt db build`). For each format:
 *   time   `xsirt scan --format F` (start-up, parse, match, write) against
 *          a process that only parses the SBOM and the written report
 *          back with jansson (the floor: reading what the command reads
 *          and writes); goal <= 1.5x;
 *   memory the command's peak RSS against that of the table format (the
 *          findings themselves, no document); goal <= 2x.
 * Runs are interleaved format by format, rep by rep; medians reported.
 *
 *   bench_reports [SHARED_DATA] [COMPONENTS (10000)] [REPS (3)] [KEEP_DIR]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "common.h"
#include "xsirt/version.h"
#include "xsirt/vuln.h"

#define MAX_REPS 15
/* Versions of one package at most, and copies of each (a monorepo holds
 * the same old release in several of its projects). */
#define PER_PACKAGE 60
#define COPIES 3

static json_t *by_count;   /* for cmp_count */

static json_t *by_count_keys;

static int cmp_count(const void *pa, const void *pb)
{
    size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
    json_int_t ca = json_integer_value(json_object_get(by_count, json_string_value(json_array_get(by_count_keys, a))));
    json_int_t cb = json_integer_value(json_object_get(by_count, json_string_value(json_array_get(by_count_keys, b))));

    return ca != cb ? (ca < cb ? 1 : -1) : (a > b) - (a < b);
}

/* The SBOM: the packages most records speak of first, each with its
 * lowest versions, at most PER_PACKAGE of them: old releases of
 * much-patched packages, what a neglected monorepo holds. */
static char *make_old_sbom(const bench_files *osv, size_t max)
{
    json_t *counts, *keys, *sorted = bench_package_versions(osv, &keys, &counts);
    json_t *comps = json_array();
    size_t n = json_array_size(sorted), *order = calloc(n + 1, sizeof *order);

    for (size_t i = 0; i < n; i++)
        order[i] = i;
    by_count = counts;
    by_count_keys = keys;
    qsort(order, n, sizeof *order, cmp_count);
    for (size_t o = 0; o < n && json_array_size(comps) < max; o++) {
        json_t *arr = json_array_get(sorted, order[o]);
        const char *key = json_string_value(json_array_get(keys, order[o])), *tab = strchr(key, '\t');
        char eco[256];
        snprintf(eco, sizeof eco, "%.*s", (int)(tab - key), key);
        for (size_t v = 0; v < json_array_size(arr) && v < PER_PACKAGE; v++)
            for (int copy = 0; copy < COPIES && json_array_size(comps) < max; copy++)
                (void)bench_add_component(comps, eco, tab + 1,
                                          json_string_value(json_array_get(arr, v)));
    }
    free(order);
    json_decref(counts);
    json_decref(keys);
    json_decref(sorted);
    return bench_sbom_text(comps);
}

static double file_mib(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0 ? (double)st.st_size / 1048576.0 : -1;
}

/* The findings count from the table's summary line. */
static long table_findings(const char *path)
{
    FILE *f = fopen(path, "r");
    char line[1024];
    long n = -1;

    while (f != NULL && fgets(line, sizeof line, f) != NULL)
        if (strstr(line, " finding") != NULL && strstr(line, "components scanned") != NULL)
            n = strtol(line, NULL, 10);
    if (f != NULL)
        fclose(f);
    return n;
}

typedef struct row {
    const char *name;
    const char *args[3];   /* extra arguments of `xsirt scan` */
    double t[MAX_REPS], floor[MAX_REPS], rss[MAX_REPS], floor_rss[MAX_REPS], cpu[MAX_REPS],
        floor_cpu[MAX_REPS], out_mib;
} row;

int main(int argc, char **argv)
{
    int floor_rc = bench_mode_main(argc, argv);
    const char *shared = argc > 1 ? argv[1] : XSIRT_BENCH_SHARED_DATA;
    size_t ncomp = argc > 2 ? (size_t)strtoul(argv[2], NULL, 10) : 10000;
    int reps = argc > 3 ? (int)strtol(argv[3], NULL, 10) : 3;
    char dir[] = "/tmp/xsirt-bench-reports-XXXXXX", idx[4200], sbom[4200], out[4200], path[4096];
    const char *subs[] = {"osv/go", "osv/pypi", "osv/crates"};
    row rows[] = {{"table", {NULL}, {0}, {0}, {0}, {0}, {0}, {0}, 0},
                  {"json", {NULL}, {0}, {0}, {0}, {0}, {0}, {0}, 0},
                  {"json", {"--json-version", "1", NULL}, {0}, {0}, {0}, {0}, {0}, {0}, 0},
                  {"sarif", {NULL}, {0}, {0}, {0}, {0}, {0}, {0}, 0},
                  {"cyclonedx", {NULL}, {0}, {0}, {0}, {0}, {0}, {0}, 0},
                  {"openvex", {NULL}, {0}, {0}, {0}, {0}, {0}, {0}, 0}};
    size_t nrows = sizeof rows / sizeof *rows;
    bench_files osv = {0};
    bench_proc p;
    char *bom;
    FILE *f;
    double table_rss;

    if (floor_rc >= 0)
        return floor_rc;
    if (reps < 1 || reps > MAX_REPS || mkdtemp(dir) == NULL)
        return 2;
    snprintf(idx, sizeof idx, "%s/all.idx", dir);
    snprintf(sbom, sizeof sbom, "%s/old.cdx.json", dir);
    {
        char *build[] = {XSIRT_BENCH_XSIRT, "db", "build", "-q", "-o", idx, (char *)shared, NULL};
        if (bench_run(&p, build, NULL) != 0 || p.status != 0)
            return 3;
        printf("index: all of %s, %.1f MiB, built in %.2f s (peak %.0f MiB)\n", shared,
               file_mib(idx), p.seconds, p.maxrss_mib);
    }
    for (size_t i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/%s", shared, subs[i]);
        bench_walk(&osv, path);
    }
    bom = make_old_sbom(&osv, ncomp);
    for (size_t i = 0; i < osv.n; i++)
        free(osv.items[i].data);
    free(osv.items);
    if ((f = fopen(sbom, "w")) == NULL || fputs(bom, f) < 0 || fclose(f) != 0)
        return 3;
    free(bom);

    for (int r = 0; r < reps; r++)
        for (size_t k = 0; k < nrows; k++) {
            char *scan[12] = {XSIRT_BENCH_XSIRT, "scan", "--db", idx, "--format", (char *)rows[k].name};
            char *fl[] = {argv[0], "--floor", sbom, out, NULL};
            size_t n = 6;
            for (size_t a = 0; rows[k].args[a] != NULL; a++)
                scan[n++] = (char *)rows[k].args[a];
            scan[n++] = sbom;
            scan[n] = NULL;
            snprintf(out, sizeof out, "%s/out.%zu", dir, k);
            if (bench_run(&p, scan, out) != 0 || p.status != 0) {
                fprintf(stderr, "bench_reports: scan --format %s failed (%d)\n", rows[k].name, p.status);
                return 3;
            }
            rows[k].t[r] = p.seconds;
            rows[k].cpu[r] = p.cpu_seconds;
            rows[k].rss[r] = p.maxrss_mib;
            rows[k].out_mib = file_mib(out);
            /* The table is text: its floor is the SBOM alone. */
            if (k == 0)
                fl[3] = NULL;
            if (bench_run(&p, fl, NULL) != 0 || p.status != 0)
                return 3;
            rows[k].floor[r] = p.seconds;
            rows[k].floor_cpu[r] = p.cpu_seconds;
            rows[k].floor_rss[r] = p.maxrss_mib;
        }
    snprintf(out, sizeof out, "%s/out.0", dir);
    printf("sbom: %zu components at old versions, %.1f MiB, %ld findings; %d reps, medians\n",
           ncomp, file_mib(sbom), table_findings(out), reps);
    printf("%-10s %-2s %8s %8s %8s %7s %8s %8s %7s %8s %8s %7s\n", "format", "v", "out MiB",
           "time s", "floor s", "÷floor", "cpu s", "floor", "÷floor", "peak MiB", "floor", "÷table");
    table_rss = bench_median(rows[0].rss, reps);
    for (size_t k = 0; k < nrows; k++) {
        double t = bench_median(rows[k].t, reps), fl = bench_median(rows[k].floor, reps);
        double rss = bench_median(rows[k].rss, reps), frss = bench_median(rows[k].floor_rss, reps);
        double c = bench_median(rows[k].cpu, reps), fc = bench_median(rows[k].floor_cpu, reps);
        printf("%-10s %-2s %8.1f %8.3f %8.3f %6.2fx %8.3f %8.3f %6.2fx %8.1f %8.1f %6.2fx\n",
               rows[k].name,
               rows[k].args[0] != NULL ? "1" : (strcmp(rows[k].name, "json") == 0 ? "2" : "-"),
               rows[k].out_mib, t, fl, t / fl, c, fc, c / fc, rss, frss, rss / table_rss);
    }
    printf("goals: time <= 1.5x floor, peak <= 2x table (json version 1 is for comparison; the\n"
           "table is text, its floor parses the SBOM alone); cpu: user + system time\n");
    if (argc > 4) {
        printf("inputs and outputs kept in %s\n", dir);
        return 0;
    }
    for (size_t k = 0; k < nrows; k++) {
        snprintf(out, sizeof out, "%s/out.%zu", dir, k);
        unlink(out);
    }
    unlink(sbom);
    unlink(idx);
    rmdir(dir);
    return 0;
}
