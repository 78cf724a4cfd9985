/*
 * cmd_db.c — `xsirt db build|info|show`: the vulnerability index scan uses.
 *
 * build walks its sources (files, directories recursively, zip/tar
 * archives), hands every file's bytes to the index builder, and writes the
 * index to FILE.tmp then renames it, so a reader never sees half an index.
 * Files that are not intelligence are skipped with a warning and bad files
 * reported with their place; both are counted, and only --strict makes
 * them fatal. Progress goes to stderr when it is a terminal.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/match_io.h"
#include "xsirt/archive.h"
#include "xsirt/limits.h"
#include "xsirt/match.h"

extern const xsirt_cli_command xsirt_cli_cmd_db;

typedef struct db_build {
    xsirt_match_builder *b;
    bool strict, quiet, progress;
    size_t files, skipped, bad;
    size_t by_format[XSIRT_VULN_EPSS + 1];
    int status;          /* exit code once a --strict failure happened */
    FILE *report;        /* --report: version texts not understood */
    const char *current; /* the document being added, for the report */
    size_t reported;
} db_build;

/* A field of the report's TSV: tabs and line breaks would split it. */
static void db_report_field(FILE *f, const char *s)
{
    for (; s != NULL && *s != '\0'; s++)
        fputc(*s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s, f);
}

/* xsirt_match_report_fn: one line FILE<TAB>PRODUCT<TAB>TEXT<TAB>WHY. */
static void db_report(void *ctx, const char *product, const char *text, const char *reason)
{
    db_build *d = ctx;

    d->reported++;
    if (d->report == NULL)
        return;
    db_report_field(d->report, d->current);
    fputc('\t', d->report);
    db_report_field(d->report, product);
    fputc('\t', d->report);
    db_report_field(d->report, text);
    fputc('\t', d->report);
    db_report_field(d->report, reason);
    fputc('\n', d->report);
}

static void db_progress(db_build *d, bool last)
{
    if (!d->progress || (!last && d->files % 64 != 0))
        return;
    fprintf(stderr, "\rxsirt: %zu files, %zu records%s", d->files,
            xsirt_match_builder_records(d->b), last ? "\n" : "");
}

/* Whether data starts like an archive libarchive reads. */
static bool db_is_archive(const char *data, size_t len)
{
    const unsigned char *p = (const unsigned char *)data;

    return (len >= 4 && memcmp(p, "PK\x03\x04", 4) == 0) ||
           (len >= 2 && p[0] == 0x1f && p[1] == 0x8b) ||
           (len >= 3 && memcmp(p, "BZh", 3) == 0) ||
           (len >= 6 && memcmp(p, "\xfd" "7zXZ\0", 6) == 0) ||
           (len >= 4 && memcmp(p, "\x28\xb5\x2f\xfd", 4) == 0) ||
           (len >= 262 && memcmp(p + 257, "ustar", 5) == 0);
}

/* One document; returns non-zero to stop (a --strict failure). */
static int db_document(db_build *d, const char *name, const char *data, size_t len)
{
    xsirt_error err;
    xsirt_vuln_format f = XSIRT_VULN_NONE;
    char msg[XSIRT_ERROR_MESSAGE_MAX + 512];
    int rc;

    xsirt_error_clear(&err);
    d->files++;
    d->current = name;
    rc = xsirt_match_builder_add(d->b, data, len, &f, &err);
    if (rc == 0) {
        d->by_format[f <= XSIRT_VULN_EPSS ? f : 0]++;
    } else if (rc == XSIRT_EUNSUPPORTED) {
        d->skipped++;
        if (d->strict) {
            fprintf(stderr, "\nxsirt: %s: %s\n", name, err.message);
            return d->status = XSIRT_EXIT_USAGE;
        }
        if (!d->quiet)
            fprintf(stderr, "%sxsirt: warning: %s: skipped: %s\n", d->progress ? "\n" : "", name,
                    err.message);
    } else {
        d->bad++;
        xsirt_error_format(msg, sizeof msg, &err, name);
        fprintf(stderr, "%sxsirt: %s%s\n", d->progress ? "\n" : "", d->strict ? "" : "error: ",
                msg);
        if (d->strict || rc == XSIRT_ENOMEM || rc == XSIRT_EINTERNAL)
            return d->status = xsirt_cli_exit_code(rc);
    }
    db_progress(d, false);
    return 0;
}

typedef struct db_entry_ctx {
    db_build *d;
    const char *archive;
} db_entry_ctx;

static int db_entry(void *ctx, const char *name, const char *data, size_t len, xsirt_error *err)
{
    db_entry_ctx *e = ctx;
    char where[4200];

    (void)err;
    snprintf(where, sizeof where, "%s:%s", e->archive, name);
    return db_document(e->d, where, data, len) != 0 ? 1 : 0;
}

static int db_file(db_build *d, const char *path)
{
    xsirt_error err;
    char *data;
    size_t len;
    int rc;

    xsirt_error_clear(&err);
    if ((rc = xsirt_cli_read_file(&data, &len, path, XSIRT_LIMIT_FILE, &err)) != 0) {
        d->files++;
        d->bad++;
        fprintf(stderr, "xsirt: %s%s: %s\n", d->strict ? "" : "error: ", path, err.message);
        return d->strict ? (d->status = xsirt_cli_exit_code(rc)) : 0;
    }
    if (db_is_archive(data, len)) {
        db_entry_ctx e = {d, path};
        rc = xsirt_archive_each_memory(data, len, NULL, db_entry, &e, &err);
        free(data);
        if (d->status != 0)
            return d->status;
        if (rc != 0) {
            d->bad++;
            xsirt_cli_fail(path, &err);
            return d->strict ? (d->status = xsirt_cli_exit_code(rc)) : 0;
        }
        return 0;
    }
    rc = db_document(d, path, data, len);
    free(data);
    return rc;
}

static int db_name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Walks a directory in name order (reproducible indexes); symbolic links
 * to directories are not followed (no cycles). */
static int db_dir(db_build *d, const char *path, unsigned depth)
{
    DIR *dir;
    struct dirent *de;
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;

    if (depth > XSIRT_LIMIT_DEPTH) {
        fprintf(stderr, "xsirt: %s: directories nested deeper than %u levels\n", path,
                XSIRT_LIMIT_DEPTH);
        return d->status = XSIRT_EXIT_USAGE;
    }
    if ((dir = opendir(path)) == NULL) {
        fprintf(stderr, "xsirt: %s: %s\n", path, strerror(errno));
        d->bad++;
        return d->strict ? (d->status = XSIRT_EXIT_USAGE) : 0;
    }
    while ((de = readdir(dir)) != NULL) {
        char **p;
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            if ((p = realloc(names, cap * sizeof *names)) == NULL) {
                rc = d->status = XSIRT_EXIT_INTERNAL;
                break;
            }
            names = p;
        }
        if ((names[n] = malloc(strlen(path) + strlen(de->d_name) + 2)) == NULL) {
            rc = d->status = XSIRT_EXIT_INTERNAL;
            break;
        }
        snprintf(names[n], strlen(path) + strlen(de->d_name) + 2, "%s/%s", path, de->d_name);
        n++;
    }
    closedir(dir);
    if (rc == 0 && n > 1)
        qsort(names, n, sizeof *names, db_name_cmp);
    for (size_t i = 0; i < n && rc == 0; i++) {
        struct stat st;
        if (lstat(names[i], &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode))
            rc = db_dir(d, names[i], depth + 1);
        else if (S_ISREG(st.st_mode) || (S_ISLNK(st.st_mode) && stat(names[i], &st) == 0 &&
                                          S_ISREG(st.st_mode)))
            rc = db_file(d, names[i]);
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return rc;
}

static int db_write(void *ctx, const void *data, size_t len, xsirt_error *err)
{
    if (fwrite(data, 1, len, ctx) != len)
        return xsirt_error_set(err, XSIRT_EIO, "cannot write: %s", strerror(errno));
    return 0;
}

/* Writes FILE.tmp, then renames it over FILE. */
static int db_output(db_build *d, const char *out)
{
    size_t n = strlen(out) + 5;
    char *tmp = malloc(n);
    xsirt_error err;
    FILE *f = NULL;
    int fd, rc;

    xsirt_error_clear(&err);
    if (tmp == NULL)
        return XSIRT_EXIT_INTERNAL;
    snprintf(tmp, n, "%s.tmp", out);
    if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0 ||
        (f = fdopen(fd, "wb")) == NULL) {
        fprintf(stderr, "xsirt: %s: %s\n", tmp, strerror(errno));
        if (fd >= 0)
            close(fd);
        free(tmp);
        return XSIRT_EXIT_INTERNAL;
    }
    rc = xsirt_match_builder_finish(d->b, db_write, f, &err);
    if (rc == 0 && (fflush(f) != 0 || fsync(fileno(f)) != 0))
        rc = xsirt_error_set(&err, XSIRT_EIO, "cannot write: %s", strerror(errno));
    if (fclose(f) != 0 && rc == 0)
        rc = xsirt_error_set(&err, XSIRT_EIO, "cannot write: %s", strerror(errno));
    if (rc == 0 && rename(tmp, out) != 0)
        rc = xsirt_error_set(&err, XSIRT_EIO, "cannot rename to %s: %s", out, strerror(errno));
    if (rc != 0) {
        unlink(tmp);
        free(tmp);
        return xsirt_cli_fail(out, &err);
    }
    free(tmp);
    return XSIRT_EXIT_OK;
}

static int db_build_cmd(int argc, char **argv)
{
    static const struct option opts[] = {{"output", required_argument, NULL, 'o'},
                                         {"strict", no_argument, NULL, 's'},
                                         {"quiet", no_argument, NULL, 'q'},
                                         {"report", required_argument, NULL, 'r'},
                                         {"vendor-aliases", required_argument, NULL, 'A'},
                                         {NULL, 0, NULL, 0}};
    db_build d;
    const char *out = NULL, *report = NULL, *aliases_file = NULL;
    xsirt_name_aliases *aliases = NULL;
    xsirt_error err;
    int c, rc = 0;

    memset(&d, 0, sizeof d);
    optind = 0;
    while ((c = getopt_long(argc, argv, "o:sq", opts, NULL)) != -1) {
        if (c == 'o')
            out = optarg;
        else if (c == 's')
            d.strict = true;
        else if (c == 'q')
            d.quiet = true;
        else if (c == 'r')
            report = optarg;
        else if (c == 'A')
            aliases_file = optarg;
        else
            return xsirt_cli_bad_option(&xsirt_cli_cmd_db, argc, argv);
    }
    if (out == NULL)
        return xsirt_cli_usage_error(&xsirt_cli_cmd_db, "db build: needs -o FILE");
    if (optind == argc)
        return xsirt_cli_usage_error(&xsirt_cli_cmd_db, "db build: needs at least one SOURCE");
    if (aliases_file != NULL && (rc = xsirt_cli_vendor_aliases(&aliases, aliases_file)) != 0)
        return rc;
    if (report != NULL && strcmp(report, "-") == 0)
        d.report = stdout;
    else if (report != NULL && (d.report = fopen(report, "w")) == NULL) {
        fprintf(stderr, "xsirt: %s: %s\n", report, strerror(errno));
        xsirt_name_aliases_free(aliases);
        return XSIRT_EXIT_USAGE;
    }
    if (xsirt_match_builder_new(&d.b, &err) != 0) {
        xsirt_name_aliases_free(aliases);
        return xsirt_cli_fail("db build", &err);
    }
    xsirt_match_builder_set_report(d.b, db_report, &d);
    xsirt_match_builder_set_aliases(d.b, aliases);
    d.progress = isatty(STDERR_FILENO) && !d.quiet;
    for (int i = optind; i < argc && rc == 0; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            fprintf(stderr, "xsirt: %s: %s\n", argv[i], strerror(errno));
            rc = XSIRT_EXIT_USAGE;
        } else if (S_ISDIR(st.st_mode)) {
            rc = db_dir(&d, argv[i], 0);
        } else {
            rc = db_file(&d, argv[i]);
        }
    }
    db_progress(&d, true);
    if (rc == 0)
        rc = db_output(&d, out);
    if (rc == 0 || !d.quiet)
        fprintf(stderr,
                "xsirt: %s %zu records from %zu files (osv %zu, cve5 %zu, csaf %zu, kev %zu, "
                "epss %zu); %zu skipped (not intelligence), %zu bad\n",
                rc == 0 ? "indexed" : "stopped after", xsirt_match_builder_records(d.b), d.files,
                d.by_format[XSIRT_VULN_OSV_JSON] + d.by_format[XSIRT_VULN_OSV_YAML],
                d.by_format[XSIRT_VULN_CVE5], d.by_format[XSIRT_VULN_CSAF],
                d.by_format[XSIRT_VULN_KEV], d.by_format[XSIRT_VULN_EPSS], d.skipped, d.bad);
    if (d.reported > 0 && !d.quiet)
        fprintf(stderr, "xsirt: %zu product version texts not understood (not indexed)%s\n",
                d.reported, report != NULL ? "; listed in the report" : "; see --report");
    if (d.report != NULL && d.report != stdout && fclose(d.report) != 0 && rc == 0) {
        fprintf(stderr, "xsirt: %s: %s\n", report, strerror(errno));
        rc = XSIRT_EXIT_INTERNAL;
    }
    xsirt_match_builder_free(d.b);
    xsirt_name_aliases_free(aliases);
    return rc;
}

/* Opens an index file; the caller unmaps and closes. */
static int db_open(const char *path, void **map, size_t *len, xsirt_match_index **idx)
{
    xsirt_error err;

    xsirt_error_clear(&err);
    if (xsirt_cli_map_file(map, len, path, &err) != 0)
        return xsirt_cli_fail(path, &err);
    if (xsirt_match_index_open(idx, *map, *len, &err) != 0) {
        xsirt_cli_unmap(*map, *len);
        return xsirt_cli_fail(path, &err);
    }
    return 0;
}

static void db_print_counts(json_t *obj, const char *title)
{
    const char *k;
    json_t *v;

    printf("%s:\n", title);
    json_object_foreach(obj, k, v)
        printf("  %-24s %lld\n", k, (long long)json_integer_value(v));
}

static int db_info_cmd(int argc, char **argv)
{
    static const struct option opts[] = {{"json", no_argument, NULL, 'j'}, {NULL, 0, NULL, 0}};
    bool as_json = false;
    xsirt_match_index *idx;
    void *map;
    size_t len;
    json_t *info;
    int c, rc;

    optind = 0;
    while ((c = getopt_long(argc, argv, "j", opts, NULL)) != -1) {
        if (c == 'j')
            as_json = true;
        else
            return xsirt_cli_bad_option(&xsirt_cli_cmd_db, argc, argv);
    }
    if (argc - optind != 1)
        return xsirt_cli_usage_error(&xsirt_cli_cmd_db, "db info: needs one FILE");
    if ((rc = db_open(argv[optind], &map, &len, &idx)) != 0)
        return rc;
    info = json_loads(xsirt_match_index_info(idx), 0, NULL);
    if (info == NULL) {
        fprintf(stderr, "xsirt: %s: the index's counts are not readable JSON\n", argv[optind]);
        rc = XSIRT_EXIT_USAGE;
    } else if (as_json) {
        rc = xsirt_cli_print_json(stdout, info) == 0 ? XSIRT_EXIT_OK : XSIRT_EXIT_INTERNAL;
    } else {
        printf("index:     %s (%zu bytes, format %lld)\n", argv[optind], len,
               (long long)json_integer_value(json_object_get(info, "formatVersion")));
        printf("records:   %lld (%lld withdrawn, %lld in KEV, %lld with EPSS)\n",
               (long long)json_integer_value(json_object_get(info, "records")),
               (long long)json_integer_value(json_object_get(info, "withdrawn")),
               (long long)json_integer_value(json_object_get(info, "kev")),
               (long long)json_integer_value(json_object_get(info, "epss")));
        printf("keys:      %lld (%lld entries)\n",
               (long long)json_integer_value(json_object_get(info, "keys")),
               (long long)json_integer_value(json_object_get(info, "postings")));
        db_print_counts(json_object_get(info, "formats"), "by source format");
        db_print_counts(json_object_get(info, "ecosystems"), "records by ecosystem");
        db_print_counts(json_object_get(info, "issues"), "not matchable");
        json_decref(info);
    }
    xsirt_match_index_close(idx);
    xsirt_cli_unmap(map, len);
    return rc;
}

static int db_show_cmd(int argc, char **argv)
{
    static const struct option opts[] = {{NULL, 0, NULL, 0}};
    xsirt_match_index *idx;
    xsirt_match_record rec;
    xsirt_error err;
    void *map;
    size_t len, at;
    int rc;

    optind = 0;
    if (getopt_long(argc, argv, "", opts, NULL) != -1)
        return xsirt_cli_bad_option(&xsirt_cli_cmd_db, argc, argv);
    if (argc - optind != 2)
        return xsirt_cli_usage_error(&xsirt_cli_cmd_db, "db show: needs FILE and ID");
    if ((rc = db_open(argv[optind], &map, &len, &idx)) != 0)
        return rc;
    xsirt_error_clear(&err);
    if (xsirt_match_record_find(&at, idx, argv[optind + 1], &err) != 0) {
        fprintf(stderr, "xsirt: %s\n", err.message);
        rc = XSIRT_EXIT_NEGATIVE;
    } else if ((rc = xsirt_match_record_get(&rec, idx, at, &err)) != 0) {
        rc = xsirt_cli_fail(argv[optind], &err);
    } else {
        fwrite(rec.document, 1, rec.document_len, stdout);
        if (rec.document_len > 0 && rec.document[rec.document_len - 1] != '\n')
            putchar('\n');
        xsirt_match_record_clear(&rec);
    }
    xsirt_match_index_close(idx);
    xsirt_cli_unmap(map, len);
    return rc;
}

static int db_run(int argc, char **argv)
{
    static const xsirt_cli_subcommand subs[] = {
        {"build", db_build_cmd}, {"info", db_info_cmd}, {"show", db_show_cmd}, {NULL, NULL}};

    return xsirt_cli_dispatch(&xsirt_cli_cmd_db, subs, argc, argv);
}

const xsirt_cli_command xsirt_cli_cmd_db = {
    "db", "build and inspect the vulnerability index 'xsirt scan' uses",
    "Usage: xsirt db build -o FILE [--strict] [--quiet] [--report FILE]\n"
    "                      [--vendor-aliases FILE] SOURCE...\n"
    "       xsirt db info [--json] FILE\n"
    "       xsirt db show FILE ID\n"
    "\n"
    "build   index OSV (JSON, YAML), CVE JSON 5, CSAF 2.0, CISA KEV and FIRST EPSS\n"
    "        documents. A SOURCE is a file, a zip/tar archive or a directory (walked\n"
    "        recursively). Each file's format is recognised from its content; files\n"
    "        that are not intelligence are skipped with a warning and bad files\n"
    "        reported with their place, both counted; --strict makes either fatal.\n"
    "        The index is written to FILE.tmp, then renamed to FILE. --report FILE\n"
    "        (- for stdout) lists the product version texts (CISA's forms) that could\n"
    "        not be understood, FILE<TAB>PRODUCT<TAB>TEXT<TAB>WHY; --vendor-aliases\n"
    "        adds ALIAS<TAB>CANONICAL vendor names to the built-in table.\n"
    "info    counts by source format and ecosystem (--json: as one JSON object)\n"
    "show    the original document of a record (by id or alias)\n"
    "\n"
    "Exit status: 0 success, 1 (show) no such record, 2 bad usage or input\n"
    "(--strict: a skipped or bad file), 3 internal error.\n",
    db_run};
