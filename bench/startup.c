/*
 * startup.c (bench) — what a command costs before it does anything: the
 * commands used per line in scripts, as whole processes, against a C
 * "hello world" linked against libc alone (hello_floor), measured in the
 * same run, interleaved, medians of N runs each. xsirt-server --version
 * is there for comparison: it loads every library the server needs, as
 * `xsirt` did before the split (docs/architecture.md). Goal: `xsirt
 * --version` <= 2x hello.
 *
 *   bench_startup [RUNS (300)]
 */
#include <stdio.h>
#include <stdlib.h>

#include "common.h"

#define MAX_RUNS 2000

typedef struct row {
    const char *label;
    char *argv[8];
    double t[MAX_RUNS], rss[MAX_RUNS];
} row;

static row rows[] = {
    {"hello (libc only, the floor)", {XSIRT_BENCH_HELLO, NULL}, {0}, {0}},
    {"xsirt --version", {XSIRT_BENCH_XSIRT, "--version", NULL}, {0}, {0}},
    {"xsirt version compare", {XSIRT_BENCH_XSIRT, "version", "compare", "semver", "1.2.3", "1.10.0", NULL}, {0}, {0}},
    {"xsirt purl parse", {XSIRT_BENCH_XSIRT, "purl", "parse", "pkg:npm/%40scope/a@1.0.0", NULL}, {0}, {0}},
    {"xsirt cvss", {XSIRT_BENCH_XSIRT, "cvss", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", NULL}, {0}, {0}},
    {"xsirt-server --version", {XSIRT_BENCH_SERVER, "--version", NULL}, {0}, {0}},
};

int main(int argc, char **argv)
{
    int runs = argc > 1 ? (int)strtol(argv[1], NULL, 10) : 300;
    size_t n = sizeof rows / sizeof *rows;
    double floor_t;
    bench_proc p;

    if (runs < 1 || runs > MAX_RUNS)
        return 2;
    for (int r = 0; r < runs; r++)
        for (size_t k = 0; k < n; k++) {
            if (bench_run(&p, rows[k].argv, NULL) != 0 || p.status != 0) {
                fprintf(stderr, "bench_startup: %s failed\n", rows[k].label);
                return 3;
            }
            rows[k].t[r] = p.seconds;
            rows[k].rss[r] = p.maxrss_mib;
        }
    floor_t = bench_median(rows[0].t, runs);
    printf("%-30s %10s %8s %9s   (medians of %d runs, interleaved)\n", "command", "ms", "÷hello",
           "peak MiB", runs);
    for (size_t k = 0; k < n; k++) {
        double t = bench_median(rows[k].t, runs);
        printf("%-30s %10.3f %7.2fx %9.1f\n", rows[k].label, t * 1e3, t / floor_t,
               bench_median(rows[k].rss, runs));
    }
    printf("goal: xsirt --version <= 2x hello\n");
    return 0;
}
