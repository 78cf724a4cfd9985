/*
 * scan.c (bench) — the matching engine against floors measured in the
 * same run:
 *   build   index records/s from all shared OSV + CVE 5 + CSAF files, vs the
 *           time to only parse those files (xsirt_vuln_parse);
 *   scan    a CycloneDX SBOM of N components (real names and versions drawn
 *           from the shared OSV records): parse + match, vs parse only;
 *   warm    the scan again with a scanner kept from an earlier scan (ranges
 *           already prepared), as for several SBOMs against one index;
 *   open    mapping and opening the index file;
 *   process `xsirt scan` as a whole process (start-up, reading, matching,
 *           the table written) against a process that only parses the
 *           SBOM with jansson;
 * with the peak RSS of each phase (VmHWM, reset between phases through
 * /proc/self/clear_refs where the kernel allows it). Files are read into
 * memory first so that no phase times the disk.
 *
 *   bench_scan [SHARED_DATA] [COMPONENTS] [SAVE_TO] [REPS (9)]
 *
 * SAVE_TO (for profiling by hand): the very vulnerable SBOM is written
 * there, the realistic one to SAVE_TO.realistic and the index is kept as
 * SAVE_TO.index.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "common.h"
#include "xsirt/match.h"
#include "xsirt/purl.h"
#include "xsirt/sbom.h"
#include "xsirt/vuln.h"

/* Components per package name: a real SBOM holds a package once or a few
 * times (several copies in a monorepo), not every release of it. */
#define PER_NAME 10

#define BENCH_REPS 64

/* Peak RSS in MiB since the last reset. */
static double peak_mib(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kb = -1;

    if (f == NULL)
        return -1;
    while (fgets(line, sizeof line, f) != NULL)
        if (strncmp(line, "VmHWM:", 6) == 0)
            kb = strtol(line + 6, NULL, 10);
    fclose(f);
    return kb / 1024.0;
}

static void peak_reset(void)
{
    int fd = open("/proc/self/clear_refs", O_WRONLY);

    if (fd >= 0) {
        if (write(fd, "5", 1) != 1) {
            /* older kernels: the peak then accumulates across phases */
        }
        close(fd);
    }
}

/* Appends a component for an OSV package version, at most PER_NAME a
 * package. */
static void add_component(json_t *comps, const char *eco, const char *name, const char *version,
                          size_t max)
{
    static json_t *seen;   /* name -> versions used */
    json_int_t uses;

    if (json_array_size(comps) >= max || version == NULL || strcmp(version, "0") == 0)
        return;
    if (seen == NULL)
        seen = json_object();
    uses = json_integer_value(json_object_get(seen, name));
    if (uses >= PER_NAME)
        return;
    json_object_set_new(seen, name, json_integer(uses + 1));
    (void)bench_add_component(comps, eco, name, version);
}

typedef struct sbom_pass {
    json_t *comps;
    size_t pass, max;
} sbom_pass;

/* Pass p takes the p-th listed version and the p-th range event. */
static int pass_one(void *ctx, const xsirt_vuln_affected *af)
{
    sbom_pass *p = ctx;
    size_t k = 0;

    if (p->pass < af->n_versions)
        add_component(p->comps, af->ecosystem, af->name, af->versions[p->pass], p->max);
    for (size_t g = 0; g < af->n_ranges; g++)
        for (size_t e = 0; e < af->ranges[g].n_events; e++, k++)
            if (k == p->pass)
                add_component(p->comps, af->ecosystem, af->name, af->ranges[g].events[e].version,
                              p->max);
    return json_array_size(p->comps) >= p->max;
}

/* A CycloneDX SBOM of up to max components from the OSV records: listed
 * versions and range events, spread over many records. */
static char *make_sbom(const bench_files *osv, size_t max)
{
    sbom_pass p = {json_array(), 0, max};

    for (p.pass = 0; p.pass < 16 && json_array_size(p.comps) < max; p.pass++)
        bench_each_affected(osv, pass_one, &p);
    return bench_sbom_text(p.comps);
}

static int write_fd(void *ctx, const void *data, size_t len, xsirt_error *err)
{
    (void)err;
    return fwrite(data, 1, len, ctx) == len ? 0 : XSIRT_EIO;
}

/* A realistic SBOM of max components: every package at its newest
 * versions the records name (most are fixed releases), the newest first,
 * round after round: few findings, as in a maintained project. */
static char *make_current_sbom(const bench_files *osv, size_t max)
{
    json_t *keys, *counts, *sorted = bench_package_versions(osv, &keys, &counts);
    json_t *comps = json_array();
    int more = 1;

    for (size_t round = 0; more && json_array_size(comps) < max; round++) {
        more = 0;
        for (size_t i = 0; i < json_array_size(sorted) && json_array_size(comps) < max; i++) {
            json_t *arr = json_array_get(sorted, i);
            const char *key = json_string_value(json_array_get(keys, i)), *tab = strchr(key, '\t');
            size_t n = json_array_size(arr);
            char eco[256];
            if (round >= n)
                continue;
            more = 1;
            snprintf(eco, sizeof eco, "%.*s", (int)(tab - key), key);
            (void)bench_add_component(comps, eco, tab + 1,
                                      json_string_value(json_array_get(arr, n - 1 - round)));
        }
    }
    json_decref(keys);
    json_decref(counts);
    json_decref(sorted);
    return bench_sbom_text(comps);
}

/* `xsirt scan --db IDX SBOM` (the table, to /dev/null) as a whole process,
 * against a process that only parses the SBOM with jansson (the floor of
 * issue 17's goal), and against one that parses it with jansson's
 * allocations from an arena and frees nothing, as xsirt's reader does (the
 * stricter floor: the arena's gain is then not counted as the scan's);
 * interleaved, medians. */
static void process_scan(const char *self, const char *idx, const char *bom, int reps)
{
    char sbom[] = "/tmp/xsirt-bench-sbom-XXXXXX";
    double t[3][BENCH_REPS], c[3][BENCH_REPS], m[3][BENCH_REPS], med[3][3];
    bench_proc p;
    int fd = mkstemp(sbom), r;
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    char *argv[3][8] = {{XSIRT_BENCH_XSIRT, "scan", "--db", (char *)idx, sbom, NULL},
                        {(char *)self, "--floor", sbom, NULL},
                        {(char *)self, "--floor-arena", sbom, NULL}};

    if (f == NULL || fputs(bom, f) < 0 || fclose(f) != 0)
        return;
    for (r = 0; r < reps; r++)
        for (int k = 0; k < 3; k++) {
            if (bench_run(&p, argv[k], NULL) != 0 || p.status != 0) {
                fprintf(stderr, "bench_scan: %s %s failed\n", argv[k][0], argv[k][1]);
                unlink(sbom);
                return;
            }
            t[k][r] = p.seconds;
            c[k][r] = p.cpu_seconds;
            m[k][r] = p.maxrss_mib;
        }
    for (int k = 0; k < 3; k++) {
        med[k][0] = bench_median(t[k], reps);
        med[k][1] = bench_median(c[k], reps);
        med[k][2] = bench_median(m[k], reps);
    }
    printf("process: xsirt scan (table) %.4f s (cpu %.4f s), %.1f MiB; jansson parse of "
           "the SBOM as a process %.4f s (cpu %.4f s), %.1f MiB; scan/parse %.2f, cpu "
           "%.2f (medians of %d)\n",
           med[0][0], med[0][1], med[0][2], med[1][0], med[1][1], med[1][2],
           med[0][0] / med[1][0], med[0][1] / med[1][1], reps);
    printf("         against the parse with an arena, nothing freed %.4f s (cpu %.4f s), "
           "%.1f MiB: scan/parse %.2f, cpu %.2f\n",
           med[2][0], med[2][1], med[2][2], med[0][0] / med[2][0], med[0][1] / med[2][1]);
    unlink(sbom);
}

int main(int argc, char **argv)
{
    const char *shared = argc > 1 ? argv[1] : XSIRT_BENCH_SHARED_DATA;
    size_t ncomp = argc > 2 ? (size_t)strtoul(argv[2], NULL, 10) : 10000;
    bench_files osv = {0}, all = {0};
    char path[4096], idxpath[] = "/tmp/xsirt-bench-XXXXXX";
    const char *subs[] = {"osv/go", "osv/pypi", "osv/crates", "cve5", "csaf"};
    size_t records = 0, nparsed = 0, bytes = 0;
    double t0, t_parse, t_build, t_open, t_sbom, t_scan, t_warm, t_json, m_parse, m_build, m_sbom, m_scan;
    xsirt_match_builder *b;
    xsirt_match_index *idx;
    xsirt_sbom *sbom;
    xsirt_findings *f;
    char *bom, *out, *current;
    void *map;
    struct stat st;
    int fd, reps = argc > 4 ? (int)strtol(argv[4], NULL, 10) : 9;
    FILE *fo;

    int mode = bench_mode_main(argc, argv);

    if (mode >= 0)
        return mode;
    if (reps < 1 || reps > BENCH_REPS)
        return 2;
    for (size_t i = 0; i < 5; i++) {
        snprintf(path, sizeof path, "%s/%s", shared, subs[i]);
        bench_walk(i < 3 ? &osv : &all, path);
    }
    /* all = OSV + CVE 5 + CSAF */
    for (size_t i = 0; i < osv.n; i++) {
        if (all.n == all.cap) {
            all.cap = all.cap ? all.cap * 2 : 1024;
            all.items = realloc(all.items, all.cap * sizeof *all.items);
            if (all.items == NULL)
                return 3;
        }
        all.items[all.n++] = osv.items[i];
    }
    for (size_t i = 0; i < all.n; i++)
        bytes += all.items[i].len;
    printf("input: %zu files, %.1f MiB (OSV %zu files)\n", all.n, bytes / 1048576.0, osv.n);

    peak_reset();
    t0 = bench_now();
    for (size_t i = 0; i < all.n; i++) {
        xsirt_vuln_list *l;
        if (xsirt_vuln_parse(&l, all.items[i].data, all.items[i].len, NULL) == 0) {
            records += l->count;
            nparsed++;
            xsirt_vuln_list_free(l);
        }
    }
    t_parse = bench_now() - t0;
    m_parse = peak_mib();

    if ((fd = mkstemp(idxpath)) < 0 || (fo = fdopen(fd, "wb")) == NULL)
        return 3;
    peak_reset();
    t0 = bench_now();
    if (xsirt_match_builder_new(&b, NULL) != 0)
        return 3;
    for (size_t i = 0; i < all.n; i++)
        (void)xsirt_match_builder_add(b, all.items[i].data, all.items[i].len, NULL, NULL);
    if (xsirt_match_builder_finish(b, write_fd, fo, NULL) != 0)
        return 3;
    fflush(fo);
    t_build = bench_now() - t0;
    m_build = peak_mib();
    xsirt_match_builder_free(b);
    fclose(fo);

    bom = make_sbom(&osv, ncomp);
    current = make_current_sbom(&osv, ncomp);
    if (argc > 3 && argv[3][0] != '\0') {   /* for profiling by hand */
        snprintf(path, sizeof path, "%s.realistic", argv[3]);
        if ((fo = fopen(argv[3], "w")) != NULL) {
            fputs(bom, fo);
            fclose(fo);
        }
        if ((fo = fopen(path, "w")) != NULL) {
            fputs(current, fo);
            fclose(fo);
        }
    }
    for (size_t i = 0; i < all.n; i++)
        free(all.items[i].data);
    free(all.items);
    free(osv.items);

    t0 = bench_now();
    if ((fd = open(idxpath, O_RDONLY)) < 0 || fstat(fd, &st) != 0)
        return 3;
    map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (map == MAP_FAILED || xsirt_match_index_open(&idx, map, (size_t)st.st_size, NULL) != 0)
        return 3;
    t_open = bench_now() - t0;

    /* Parse-only, cold scan and warm scan, interleaved rep by rep so that
     * the machine's drift touches all three alike; medians are reported.
     * The warm scanner is prepared by one scan first, as `xsirt scan` does
     * for several SBOMs and the server for many assets. */
    double ts[BENCH_REPS], tc[BENCH_REPS], tw[BENCH_REPS];
    size_t findings = 0, ncomps = 0;
    xsirt_match_scanner *scanner;

    /* Peak memory first, one run each, before the scanner kept for the
     * warm runs holds anything. */
    peak_reset();
    if (xsirt_sbom_parse(&sbom, bom, strlen(bom), NULL) != 0)
        return 3;
    xsirt_sbom_free(sbom);
    m_sbom = peak_mib();
    peak_reset();
    if (xsirt_sbom_parse(&sbom, bom, strlen(bom), NULL) != 0 ||
        xsirt_match_scan(&f, idx, sbom, NULL) != 0)
        return 3;
    xsirt_findings_free(f);
    xsirt_sbom_free(sbom);
    m_scan = peak_mib();
    if (xsirt_match_scanner_new(&scanner, idx, NULL) != 0 ||
        xsirt_sbom_parse(&sbom, bom, strlen(bom), NULL) != 0 ||
        xsirt_match_scanner_scan(&f, scanner, sbom, NULL) != 0)
        return 3;
    xsirt_findings_free(f);
    xsirt_sbom_free(sbom);
    for (int r = 0; r < reps; r++) {
        t0 = bench_now();
        if (xsirt_sbom_parse(&sbom, bom, strlen(bom), NULL) != 0)
            return 3;
        xsirt_sbom_free(sbom);
        ts[r] = bench_now() - t0;
        t0 = bench_now();
        if (xsirt_sbom_parse(&sbom, bom, strlen(bom), NULL) != 0 ||
            xsirt_match_scan(&f, idx, sbom, NULL) != 0)
            return 3;
        findings = f->count;
        ncomps = sbom->component_count;
        xsirt_findings_free(f);
        xsirt_sbom_free(sbom);
        tc[r] = bench_now() - t0;
        t0 = bench_now();
        if (xsirt_sbom_parse(&sbom, bom, strlen(bom), NULL) != 0 ||
            xsirt_match_scanner_scan(&f, scanner, sbom, NULL) != 0)
            return 3;
        xsirt_findings_free(f);
        xsirt_sbom_free(sbom);
        tw[r] = bench_now() - t0;
    }
    xsirt_match_scanner_free(scanner);
    t_sbom = bench_median(ts, reps);
    t_scan = bench_median(tc, reps);
    t_warm = bench_median(tw, reps);

    if (xsirt_sbom_parse(&sbom, bom, strlen(bom), NULL) != 0 ||
        xsirt_match_scan(&f, idx, sbom, NULL) != 0)
        return 3;
    t0 = bench_now();
    if (xsirt_match_write_json(&out, f, 0, NULL) != 0)
        return 3;
    t_json = bench_now() - t0;
    free(out);
    xsirt_findings_free(f);
    xsirt_sbom_free(sbom);

    printf("build: %zu records from %zu files in %.3f s = %.0f records/s; "
           "parse-only floor %.3f s = %.0f records/s; build/parse %.2f\n",
           xsirt_match_index_records(idx), nparsed, t_build,
           xsirt_match_index_records(idx) / t_build, t_parse, records / t_parse,
           t_build / t_parse);
    printf("index: %.1f MiB, %zu keys; map + open %.6f s\n", st.st_size / 1048576.0,
           xsirt_match_index_keys(idx), t_open);
    printf("scan:  %zu components (%.1f KiB SBOM), %zu findings: parse-only floor %.4f s, "
           "parse + scan %.4f s; scan/parse %.2f (medians of %d)\n",
           ncomps, strlen(bom) / 1024.0, findings, t_sbom, t_scan, t_scan / t_sbom, reps);
    printf("warm:  the same with a scanner kept from an earlier scan: parse + scan %.4f s; "
           "scan/parse %.2f\n", t_warm, t_warm / t_sbom);
    printf("json report: %.4f s\n", t_json);
    printf("peak RSS (MiB): parse files %.1f, build %.1f, parse SBOM %.1f, scan %.1f\n", m_parse,
           m_build, m_sbom, m_scan);
    if (xsirt_sbom_parse(&sbom, current, strlen(current), NULL) != 0 ||
        xsirt_match_scan(&f, idx, sbom, NULL) != 0)
        return 3;
    printf("as processes, a realistic SBOM (%zu components at the newest versions the records "
           "name, %.1f KiB, %zu findings):\n", sbom->component_count, strlen(current) / 1024.0,
           f->count);
    xsirt_findings_free(f);
    xsirt_sbom_free(sbom);
    process_scan(argv[0], idxpath, current, reps);
    printf("the same, the very vulnerable SBOM above:\n");
    process_scan(argv[0], idxpath, bom, reps);
    free(current);
    xsirt_match_index_close(idx);
    munmap(map, (size_t)st.st_size);
    snprintf(path, sizeof path, "%s.index", argc > 3 ? argv[3] : "");
    if (argc <= 3 || argv[3][0] == '\0' || rename(idxpath, path) != 0)
        unlink(idxpath);
    free(bom);
    return 0;
}
