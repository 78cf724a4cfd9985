/*
 * cmd_scan.c — `xsirt scan --db FILE SBOM...`: the components of SBOMs
 * matched against a vulnerability index (xsirt db build).
 *
 * Output formats are writers over xsirt_findings, listed by name in
 * scan_formats (NULL-terminated): a new format (SARIF, CycloneDX VEX,
 * OpenVEX) is one line here and one function in the library. Every writer
 * streams to stdout as it goes. --fail-on turns findings into the exit
 * code for CI pipelines.
 *
 * VEX: the SBOM's own statements (CycloneDX vulnerabilities[] with
 * analysis) are applied by the scan, then each --vex document in the order
 * given, so that for any finding the last statement that applies wins.
 * --vex documents are read once, before any SBOM, and stay loaded (the
 * findings point at their statements) until the end.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/heap.h"
#include "cli/match_io.h"
#include "formats/json_arena.h"
#include "xsirt/limits.h"
#include "xsirt/match.h"
#include "xsirt/report.h"
#include "xsirt/sbom.h"
#include "xsirt/vex.h"

extern const xsirt_cli_command xsirt_cli_cmd_scan;

/* Output goes to stdout as the writers produce it (a report of a large
 * scan is hundreds of megabytes: it is never held whole). */
static int scan_sink(void *ctx, const void *data, size_t len, xsirt_error *err)
{
    if (len > 0 && fwrite(data, 1, len, ctx) != len)
        return xsirt_error_set(err, XSIRT_EIO, "cannot write the report");
    return 0;
}

typedef int (*scan_stream_fn)(const xsirt_findings *f, unsigned flags, xsirt_match_write_fn sink,
                              void *ctx, xsirt_error *err);

/* A format is a writer of match.h (table, json) or a report format of
 * report.h by name, given a timestamp (taken here: the library reads no
 * clock) and the SBOM's file name. */
static const struct scan_format {
    const char *name;
    scan_stream_fn stream;
    const char *report;
} scan_formats[] = {
    {"table", xsirt_match_stream_table, NULL},
    {"json", xsirt_match_stream_json, NULL},
    {"sarif", NULL, "sarif"},
    {"cyclonedx", NULL, "cyclonedx"},
    {"openvex", NULL, "openvex"},
    {NULL, NULL, NULL},
};

static int scan_write(const struct scan_format *fmt, const xsirt_findings *f, unsigned flags,
                      xsirt_error *err)
{
    xsirt_report_options o;
    char now[32];
    time_t t = time(NULL);
    struct tm tm;

    if (fmt->stream != NULL)
        return fmt->stream(f, flags, scan_sink, stdout, err);
    gmtime_r(&t, &tm);
    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
    memset(&o, 0, sizeof o);
    o.timestamp = now;
    o.sbom_uri = f->source;
    return xsirt_match_stream_report(f, fmt->report, &o, scan_sink, stdout, err);
}

static const struct scan_format *scan_find_format(const char *name)
{
    for (size_t i = 0; scan_formats[i].name != NULL; i++)
        if (strcmp(scan_formats[i].name, name) == 0)
            return &scan_formats[i];
    return NULL;
}

static int scan_unknown_format(const char *name)
{
    fprintf(stderr, "xsirt: scan: unknown format '%s' (known:", name);
    for (size_t i = 0; scan_formats[i].name != NULL; i++)
        fprintf(stderr, " %s", scan_formats[i].name);
    fputs(")\n", stderr);
    return XSIRT_EXIT_USAGE;
}

/* One --vex document, loaded. */
typedef struct scan_vex {
    const char *path;
    char *data;
    xsirt_vex *vex;
} scan_vex;

typedef struct scan_opts {
    const struct scan_format *format;
    bool fail_on_set;
    xsirt_match_severity fail_on;
    unsigned flags;
    scan_vex *vex;     /* in command-line order */
    size_t n_vex;
    const char *encoding;          /* --encoding: inventories in it */
    const char *aliases_file;      /* --vendor-aliases */
    xsirt_name_aliases *aliases;
} scan_opts;

/* Reads a --vex file; a file that is not VEX or is malformed is named
 * (with the place the reader gives) and is exit 2. */
static int scan_load_vex(scan_vex *v)
{
    xsirt_error err;
    size_t len;

    xsirt_error_clear(&err);
    if (xsirt_cli_read_file(&v->data, &len, v->path, XSIRT_LIMIT_FILE, &err) != 0 ||
        xsirt_vex_parse(&v->vex, v->data, len, &err) != 0)
        return xsirt_cli_fail(v->path, &err);
    /* Any CycloneDX BOM reads as VEX; one without vulnerabilities is most
     * likely an SBOM given by mistake. */
    if (v->vex->format == XSIRT_VEX_CYCLONEDX && v->vex->count == 0) {
        xsirt_error_set(&err, XSIRT_EUNSUPPORTED,
                        "not a VEX document: a CycloneDX BOM without vulnerabilities");
        return xsirt_cli_fail(v->path, &err);
    }
    /* A CSAF statement names products by purl, CPE or (CISA) vendor,
     * product and a version text the name rule reads; when none does,
     * nothing in the document can apply to anything scanned. */
    if (v->vex->format == XSIRT_VEX_CSAF) {
        size_t usable = 0;
        for (size_t i = 0; i < v->vex->count; i++)
            usable += v->vex->statements[i].n_products + v->vex->statements[i].n_names > 0;
        if (usable == 0)
            fprintf(stderr, "xsirt: warning: %s: no statement names a product by purl, CPE or "
                            "vendor, product and a readable version: nothing in it can apply\n",
                    v->path);
    }
    return XSIRT_EXIT_OK;
}

static void scan_free_vex(scan_opts *o)
{
    for (size_t i = 0; i < o->n_vex; i++) {
        xsirt_vex_free(o->vex[i].vex);
        free(o->vex[i].data);
    }
    free(o->vex);
}

/* Every --vex document, in order, after the SBOM's own statements (the
 * scan applied those). */
static int scan_apply_vex(const scan_opts *o, xsirt_findings *f, xsirt_error *err)
{
    int rc = 0;

    for (size_t i = 0; i < o->n_vex && rc == 0; i++)
        rc = xsirt_match_apply_vex(f, o->vex[i].vex, o->vex[i].path, err);
    return rc;
}

/* Whether findings reach the --fail-on threshold. Unrated findings count
 * only for "none" (any finding fails). */
static bool scan_fails(const scan_opts *o, const xsirt_findings *f)
{
    bool any;
    xsirt_match_severity max = xsirt_findings_max_severity(f, &any);

    if (!o->fail_on_set || !any)
        return false;
    return o->fail_on == XSIRT_MATCH_SEV_NONE || max >= o->fail_on;
}

/* Scans one SBOM file; *failed is set when its findings reach --fail-on.
 * last: the process ends after this one. */
static int scan_one(const scan_opts *o, xsirt_match_scanner *scanner, const char *path,
                    bool last, bool *failed)
{
    xsirt_error err;
    xsirt_sbom *sbom = NULL;
    xsirt_findings *f = NULL;
    struct stat st;
    char *data = NULL;
    size_t len;
    int rc;

    xsirt_error_clear(&err);
    /* The file, jansson's tree, the model and the findings of a 1.2 MiB
     * SBOM took 17 MiB of heap: that much on huge pages, asked for before
     * the file is read into it, turns about 2,900 page faults (a sixth of
     * the process's time) into a few dozen (heap.h). */
    if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
        (unsigned long long)st.st_size <= XSIRT_LIMIT_FILE)
        xsirt_cli_malloc_huge(17 * (size_t)st.st_size);
    if ((rc = xsirt_cli_read_file(&data, &len, path, XSIRT_LIMIT_FILE, &err)) != 0) {
        free(data);
        return xsirt_cli_fail(path, &err);
    }
    /* The reader builds its own model and drops jansson's tree before it
     * returns: the tree can live in an arena (json_arena.h). */
    xsirt_json_arena_begin(XSIRT_JSON_ARENA_BLOCK_COMMAND);
    rc = o->encoding != NULL && xsirt_sbom_looks_like_inventory(data, len)
             ? xsirt_sbom_parse_inventory(&sbom, data, len, o->encoding, &err)
             : xsirt_sbom_parse(&sbom, data, len, &err);
    xsirt_json_arena_end();
    if (rc != 0) {
        free(data);
        return xsirt_cli_fail(path, &err);
    }
    if ((rc = xsirt_match_scanner_scan(&f, scanner, sbom, &err)) == 0) {
        f->source = path;
        if ((rc = scan_apply_vex(o, f, &err)) == 0)
            rc = scan_write(o->format, f, o->flags, &err);
    }
    if (rc == 0 && fflush(stdout) != 0)
        rc = xsirt_error_set(&err, XSIRT_EIO, "cannot write the report");
    if (rc == 0)
        *failed = *failed || scan_fails(o, f);
    /* The last SBOM's model and findings are left to the exit, which
     * gives their memory back at once (freeing them is thousands of
     * frees: each matched record's lists, each exact match's range);
     * sanitizer builds free them, so that LeakSanitizer still checks
     * this path. */
    if (!last || XSIRT_SANITIZED) {
        xsirt_findings_free(f);
        xsirt_sbom_free(sbom);
        free(data);
    }
    return rc == 0 ? XSIRT_EXIT_OK : xsirt_cli_fail(path, &err);
}

/* The options into *o and *db; the SBOMs start at optind. */
static int scan_parse(scan_opts *o, const char **db, int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"format", required_argument, NULL, 'f'},
                                         {"fail-on", required_argument, NULL, 'F'},
                                         {"show-suppressed", no_argument, NULL, 's'},
                                         {"vex", required_argument, NULL, 'V'},
                                         {"json-version", required_argument, NULL, 'J'},
                                         {"encoding", required_argument, NULL, 'E'},
                                         {"vendor-aliases", required_argument, NULL, 'A'},
                                         {NULL, 0, NULL, 0}};
    xsirt_error err;
    int c;

    xsirt_error_clear(&err);
    optind = 0;
    while ((c = getopt_long(argc, argv, "d:f:F:s", opts, NULL)) != -1) {
        if (c == 'd') {
            *db = optarg;
        } else if (c == 'f') {
            if ((o->format = scan_find_format(optarg)) == NULL)
                return scan_unknown_format(optarg);
        } else if (c == 'F') {
            if (xsirt_match_severity_parse(&o->fail_on, optarg, &err) != 0)
                return xsirt_cli_usage_error(&xsirt_cli_cmd_scan, "--fail-on '%s': %s", optarg,
                                             err.message);
            o->fail_on_set = true;
        } else if (c == 's') {
            o->flags |= XSIRT_MATCH_OUT_SUPPRESSED;
        } else if (c == 'J') {
            if (strcmp(optarg, "1") != 0 && strcmp(optarg, "2") != 0)
                return xsirt_cli_usage_error(&xsirt_cli_cmd_scan,
                                             "--json-version '%s': 1 or 2", optarg);
            if (optarg[0] == '1')
                o->flags |= XSIRT_MATCH_OUT_JSON_V1;
            else
                o->flags &= ~XSIRT_MATCH_OUT_JSON_V1;
        } else if (c == 'V') {
            o->vex[o->n_vex++].path = optarg;   /* o->vex has argc slots */
        } else if (c == 'E') {
            o->encoding = optarg;
        } else if (c == 'A') {
            o->aliases_file = optarg;
        } else {
            return xsirt_cli_bad_option(&xsirt_cli_cmd_scan, argc, argv);
        }
    }
    if (*db == NULL)
        return xsirt_cli_usage_error(&xsirt_cli_cmd_scan, "scan: needs --db FILE");
    if (optind == argc)
        return xsirt_cli_usage_error(&xsirt_cli_cmd_scan, "scan: needs at least one SBOM");
    return XSIRT_EXIT_OK;
}

/* Every SBOM of argv[optind..] against the index db, with one scanner
 * (each range of the index prepared once for them all). */
static int scan_all(const scan_opts *o, const char *db, int argc, char **argv)
{
    xsirt_match_index *idx = NULL;
    xsirt_match_scanner *scanner = NULL;
    xsirt_error err;
    bool failed = false;
    void *map = NULL;
    size_t len = 0;
    int rc = XSIRT_EXIT_OK;

    xsirt_error_clear(&err);
    if (xsirt_cli_map_file(&map, &len, db, &err) != 0)
        return xsirt_cli_fail(db, &err);
    if (xsirt_match_index_open(&idx, map, len, &err) != 0 ||
        xsirt_match_scanner_new(&scanner, idx, &err) != 0) {
        xsirt_match_index_close(idx);
        xsirt_cli_unmap(map, len);
        return xsirt_cli_fail(db, &err);
    }
    xsirt_match_scanner_set_aliases(scanner, o->aliases);
    for (int i = optind; i < argc; i++) {
        int r = scan_one(o, scanner, argv[i], i == argc - 1, &failed);
        if (r > rc)
            rc = r;
    }
    /* The scanner's prepared ranges go with the process (see scan_one). */
    if (XSIRT_SANITIZED)
        xsirt_match_scanner_free(scanner);
    xsirt_match_index_close(idx);
    xsirt_cli_unmap(map, len);
    if (rc == XSIRT_EXIT_OK && failed)
        rc = XSIRT_EXIT_NEGATIVE;
    return rc;
}

static int scan_run(int argc, char **argv)
{
    scan_opts o = {scan_find_format("table"), false, XSIRT_MATCH_SEV_NONE, 0, NULL, 0, NULL, NULL,
                   NULL};
    const char *db = NULL;
    int rc;

    /* The command exits after its last SBOM: nothing it frees needs to go
     * back to the kernel before (1 GiB, more than any scan takes). */
    xsirt_cli_malloc_keep((size_t)1 << 30);
    /* At most one --vex per argument. */
    if ((o.vex = calloc((size_t)argc, sizeof *o.vex)) == NULL)
        return XSIRT_EXIT_INTERNAL;
    rc = scan_parse(&o, &db, argc, argv);
    for (size_t i = 0; i < o.n_vex && rc == XSIRT_EXIT_OK; i++)
        rc = scan_load_vex(&o.vex[i]);
    if (rc == XSIRT_EXIT_OK && o.aliases_file != NULL)
        rc = xsirt_cli_vendor_aliases(&o.aliases, o.aliases_file);
    if (rc == XSIRT_EXIT_OK)
        rc = scan_all(&o, db, argc, argv);
    scan_free_vex(&o);
    xsirt_name_aliases_free(o.aliases);
    return rc;
}

const xsirt_cli_command xsirt_cli_cmd_scan = {
    "scan", "match SBOM components against a vulnerability index",
    "Usage: xsirt scan --db FILE [--format FORMAT] [--fail-on SEVERITY]\n"
    "                  [--vex FILE]... [--show-suppressed] [--json-version 1|2]\n"
    "                  [--encoding ENC] [--vendor-aliases FILE] SBOM...\n"
    "\n"
    "Reads each SBOM (CycloneDX JSON/XML, SPDX JSON/tag-value) or device\n"
    "inventory (CSV with vendor, product and version columns) and matches every\n"
    "component with a purl (or, without one, a CPE) against the index built by\n"
    "'xsirt db build', using each ecosystem's own version order. Devices and\n"
    "components with neither but with a vendor are matched by normalised vendor\n"
    "and product name against advisories that name products only so (CISA ICS);\n"
    "such findings say matchedBy \"name\", the names and a confidence.\n"
    "\n"
    "VEX statements, the SBOM's own (CycloneDX vulnerabilities with analysis)\n"
    "and then those of each --vex file in order, the last that applies winning:\n"
    "not_affected and fixed suppress a finding; affected and under_investigation\n"
    "annotate it (it stays reported, with the statement's justification, impact\n"
    "and action).\n"
    "\n"
    "  --db FILE           the index\n"
    "  --format NAME       table (default, for people), json (stable, for tools),\n"
    "                      sarif (CI code scanning), cyclonedx (the SBOM with its\n"
    "                      vulnerabilities) or openvex; these three always carry\n"
    "                      suppressed findings, marked as such\n"
    "  --fail-on SEVERITY  none|low|medium|high|critical: exit 1 when an unsuppressed\n"
    "                      finding at or above it exists ('none': any finding;\n"
    "                      findings without a CVSS score count only for 'none')\n"
    "  --vex FILE          apply a VEX document: OpenVEX, CycloneDX VEX (JSON or\n"
    "                      XML) or CSAF; may be repeated\n"
    "  --show-suppressed   table, json: also list suppressed findings, each with the\n"
    "                      statement and file that suppressed it\n"
    "  --json-version N    json: 2 (default) names each finding's vulnerability by\n"
    "                      id and describes it once in \"vulnerabilities\"; 1 repeats\n"
    "                      the whole vulnerability in every finding (the old shape)\n"
    "  --encoding ENC      inventories are in ENC (utf-8, shift_jis); default:\n"
    "                      UTF-8 (BOM or not), else Shift_JIS when not UTF-8\n"
    "  --vendor-aliases FILE  more vendor names, ALIAS<TAB>CANONICAL per line\n"
    "\n"
    "Exit status: 0 success (no finding at --fail-on), 1 findings at or above\n"
    "--fail-on, 2 bad usage or input (SBOM, index or VEX file named, with the\n"
    "place), 3 internal error.\n",
    scan_run};
