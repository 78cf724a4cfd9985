/*
 * versions.c — comparisons per second of every registered version scheme.
 *
 * Each scheme gets the pairs of a fixed set of real-looking versions (from
 * many ecosystems) that it accepts, compared round after round for about
 * a quarter of a second. The floor is strcmp() over the same pairs in the
 * same loop, measured in the same run, so the printed ratio (how many
 * strcmp calls one comparison costs) does not depend on the machine.
 * "parsed" compares the same pairs parsed once beforehand (xsirt_version_cmp),
 * as matching does.
 * Usage: bench_versions [SECONDS_PER_SCHEME]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "xsirt/version.h"

static const char *const bench_versions[] = {
    "1.0", "1.0.0", "1.0.1", "1.2.3", "1.2.10", "2.0.0", "10.4.2", "0.9.28.1",
    "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0+build.5",
    "1.0rc1", "1.0.post1", "1.0.dev3", "2.0b2", "1!2.0", "1:1.0-1", "1.0~rc1-2",
    "2.30-1+deb12u1", "7.88.1-10+deb12u5", "1:2.4.52-1ubuntu4.9", "1.0-1.el9",
    "4.18.0-477.10.1.el8_8", "1.0^git20240101", "1.0_rc1", "1.0-r1", "1.0_p1",
    "3.1.4_alpha2-r3", "v1.2.3", "v0.0.0-20210101000000-abcdefabcdef", "1.0-SNAPSHOT",
    "1.0.0.Final", "2010-01-02", "1.x-dev", "1.0.0.0-beta1", "20240101", "1.1a",
    "0.12.3", "3.0.0-M1", "6.0.0-preview.1", "1.0.0-0x10",
};

#define BENCH_N (sizeof bench_versions / sizeof bench_versions[0])

typedef struct bench_pair {
    const char *a, *b;
    const xsirt_version *pa, *pb;
} bench_pair;

enum { BENCH_STRCMP, BENCH_STRINGS, BENCH_PARSED };

static double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static volatile int bench_sink;

/* Comparisons per second of the scheme in a mode (BENCH_*). */
static double bench_rate(const xsirt_version_scheme *s, int mode, const bench_pair *pairs,
                         size_t n, double seconds)
{
    double start = bench_now(), elapsed;
    unsigned long rounds = 0;
    int acc = 0;

    do {
        for (size_t i = 0; i < n; i++) {
            int r = 0;
            if (mode == BENCH_STRINGS)
                (void)xsirt_version_compare(&r, s, pairs[i].a, pairs[i].b, NULL);
            else if (mode == BENCH_PARSED)
                r = xsirt_version_cmp(pairs[i].pa, pairs[i].pb);
            else
                r = strcmp(pairs[i].a, pairs[i].b);
            acc += r;
        }
        rounds++;
        elapsed = bench_now() - start;
    } while (elapsed < seconds);
    bench_sink = acc;
    return (double)rounds * (double)n / elapsed;
}

int main(int argc, char **argv)
{
    double seconds = argc > 1 ? strtod(argv[1], NULL) : 0.25;
    bench_pair *pairs = malloc(BENCH_N * BENCH_N * sizeof *pairs);

    if (pairs == NULL || seconds <= 0)
        return 2;
    printf("%-10s %6s %14s %14s %8s %14s %8s\n", "scheme", "pairs", "compares/s", "strcmp/s",
           "ratio", "parsed/s", "ratio");
    for (size_t k = 0; k < xsirt_version_scheme_count(); k++) {
        const xsirt_version_scheme *s = xsirt_version_scheme_at(k);
        xsirt_version *parsed[BENCH_N];
        size_t n = 0;
        double rate, floor_rate, parsed_rate;

        for (size_t i = 0; i < BENCH_N; i++)
            if (xsirt_version_parse(&parsed[i], s, bench_versions[i], NULL) != 0)
                parsed[i] = NULL;
        for (size_t i = 0; i < BENCH_N; i++)
            for (size_t j = 0; j < BENCH_N; j++)
                if (parsed[i] != NULL && parsed[j] != NULL)
                    pairs[n++] = (bench_pair){bench_versions[i], bench_versions[j], parsed[i],
                                              parsed[j]};
        if (n == 0) {
            printf("%-10s %6s\n", xsirt_version_scheme_name(s), "none");
            continue;
        }
        rate = bench_rate(s, BENCH_STRINGS, pairs, n, seconds);
        floor_rate = bench_rate(s, BENCH_STRCMP, pairs, n, seconds);
        parsed_rate = bench_rate(s, BENCH_PARSED, pairs, n, seconds);
        printf("%-10s %6zu %14.0f %14.0f %7.1fx %14.0f %7.1fx\n", xsirt_version_scheme_name(s),
               n, rate, floor_rate, floor_rate / rate, parsed_rate, floor_rate / parsed_rate);
        for (size_t i = 0; i < BENCH_N; i++)
            xsirt_version_free(parsed[i]);
    }
    free(pairs);
    return 0;
}
