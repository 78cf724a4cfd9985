/*
 * common.h (bench) — what the benchmarks share. Whole processes measured
 * from the outside: a command run with fork/exec, its wall time from fork
 * to exit and its peak resident memory (wait4's ru_maxrss), so that
 * start-up, loading shared libraries and writing the output all count, as
 * they do for a user. Input files read into memory, and package URLs for
 * OSV package versions (the SBOMs the benchmarks generate).
 */
#ifndef XSIRT_BENCH_COMMON_H
#define XSIRT_BENCH_COMMON_H

#include <stddef.h>

#include <jansson.h>

#include "xsirt/vuln.h"

typedef struct bench_proc {
    double seconds;      /* wall clock, fork to exit */
    double cpu_seconds;  /* the child's user + system time (less sensitive
                          * than the wall clock to a machine shared with
                          * other work) */
    double maxrss_mib;   /* peak RSS of the child */
    int status;          /* exit status, or -1 when it did not exit */
} bench_proc;

/* Runs argv (argv[0] a path) with stdout to out_path ("/dev/null" when
 * NULL) and stdin from /dev/null; 0 when it could be run at all. */
int bench_run(bench_proc *out, char *const argv[], const char *out_path);

/* Monotonic seconds. */
double bench_now(void);

/* The median of t[0..n) (sorts t). */
double bench_median(double *t, int n);

/* The modes every benchmark program has besides its own, to be called
 * first in main: `PROGRAM --floor FILE...` parses each file with jansson
 * alone (json_load_file) and exits, the floor a whole process reading the
 * same documents is compared with; `PROGRAM --floor-arena FILE...` the
 * same with jansson's allocations from big blocks, never freed (as `xsirt
 * scan` reads an SBOM); `PROGRAM --spawn ...` is bench_run's
 * measuring side. Returns the exit code, or -1 when argv is neither. */
int bench_mode_main(int argc, char **argv);

typedef struct bench_file {
    char *data;
    size_t len;
} bench_file;

typedef struct bench_files {
    bench_file *items;
    size_t n, cap;
} bench_files;

/* Every file under dir (recursively), read into memory. */
void bench_walk(bench_files *fs, const char *dir);

/* Calls fn for every affected package that has an ecosystem and a name,
 * of every record of every file of fs that reads as intelligence; stops
 * when fn returns non-zero. */
typedef int (*bench_affected_fn)(void *ctx, const xsirt_vuln_affected *af);
void bench_each_affected(const bench_files *fs, bench_affected_fn fn, void *ctx);

/* Every package the OSV records of osv speak of, with every version they
 * list or name in a range event: an array (in the order of *keys, the
 * "ecosystem\tname" of each) of arrays of versions, lowest first by the
 * ecosystem's order; *counts maps each key to the number of records about
 * it. Packages of ecosystems without a version scheme are left out. */
json_t *bench_package_versions(const bench_files *osv, json_t **keys, json_t **counts);

/* Appends a CycloneDX component {type, bom-ref, name, version, purl} for
 * an OSV package version to comps (Go, PyPI, crates.io; Go versions get
 * their "v"); -1 for other ecosystems. */
int bench_add_component(json_t *comps, const char *ecosystem, const char *name,
                        const char *version);

/* A CycloneDX 1.5 document of comps (taken), as compact text. */
char *bench_sbom_text(json_t *comps);

#endif
