/*
 * startup.c (bench) — what a command costs before it does anything: the
 * commands used per line in scripts, as whole processes, against a C
 * "hello world" linked against libc alone (hello_floor), measured in the
 * same run, interleaved, N runs each: median and fastest wall time, and
 * median CPU time. xsirt-server --version
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
    double t[MAX_RUNS], cpu[MAX_RUNS], rss[MAX_RUNS];
} row;

static row rows[] = {
    {"hello (libc only, the floor)", {XSIRT_BENCH_HELLO, NULL}, {0}, {0}, {0}},
    {"xsirt --version", {XSIRT_BENCH_XSIRT, "--version", NULL}, {0}, {0}, {0}},
    {"xsirt version compare", {XSIRT_BENCH_XSIRT, "version", "compare", "semver", "1.2.3", "1.10.0", NULL}, {0}, {0}, {0}},
    {"xsirt purl parse", {XSIRT_BENCH_XSIRT, "purl", "parse", "pkg:npm/%40scope/a@1.0.0", NULL}, {0}, {0}, {0}},
    {"xsirt cvss", {XSIRT_BENCH_XSIRT, "cvss", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", NULL}, {0}, {0}, {0}},
    {"xsirt-server --version", {XSIRT_BENCH_SERVER, "--version", NULL}, {0}, {0}, {0}},
};

int main(int argc, char **argv)
{
    int runs = argc > 1 ? (int)strtol(argv[1], NULL, 10) : 300;
    size_t n = sizeof rows / sizeof *rows;
    double floor_t, floor_c, floor_min;
    bench_proc p;

    int mode = bench_mode_main(argc, argv);

    if (mode >= 0)
        return mode;
    if (runs < 1 || runs > MAX_RUNS)
        return 2;
    /* Interleaved, the order rotated from run to run: no command always
     * follows the heavy xsirt-server. */
    for (int r = 0; r < runs; r++)
        for (size_t j = 0, k; j < n; j++) {
            k = (j + (size_t)r) % n;
            if (bench_run(&p, rows[k].argv, NULL) != 0 || p.status != 0) {
                fprintf(stderr, "bench_startup: %s failed\n", rows[k].label);
                return 3;
            }
            rows[k].t[r] = p.seconds;
            rows[k].cpu[r] = p.cpu_seconds;
            rows[k].rss[r] = p.maxrss_mib;
        }
    floor_t = bench_median(rows[0].t, runs);
    floor_c = bench_median(rows[0].cpu, runs);
    floor_min = rows[0].t[0];   /* sorted by bench_median */
    printf("%-26s %9s %7s %9s %7s %9s %7s %8s   (%d runs each, interleaved)\n", "command",
           "wall ms", "÷hello", "min ms", "÷hello", "cpu ms", "÷hello", "peak MiB", runs);
    for (size_t k = 0; k < n; k++) {
        double t = bench_median(rows[k].t, runs), c = bench_median(rows[k].cpu, runs);
        double m = rows[k].t[0];
        printf("%-26s %9.3f %6.2fx %9.3f %6.2fx %9.3f %6.2fx %8.1f\n", rows[k].label, t * 1e3,
               t / floor_t, m * 1e3, m / floor_min, c * 1e3, c / floor_c,
               bench_median(rows[k].rss, runs));
    }
    printf("wall: median of the wall clock; min: the fastest run (least disturbed by other\n"
           "work on the machine); cpu: median of user + system time\n");
    printf("goal: xsirt --version <= 2x hello\n");
    return 0;
}
