/*
 * report_gen.c — test driver for the report writers: for each SBOM given,
 * makes synthetic findings from the SBOM's own purls (names when it has
 * none) (so that affects[]
 * must resolve to the BOM's components) and writes the report of FORMAT
 * into OUTDIR/<n>.json, for a schema validator to check. The same
 * findings in the json format's version 2 shape must give the same bytes.
 *
 *   report_gen FORMAT OUTDIR SBOM...
 *
 * Prints "N written, N skipped" (SBOMs that do not read, e.g. SPDX 3, are
 * skipped) and fails on any writer error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "xsirt/report.h"
#include "xsirt/sbom.h"

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long n;

    if (f == NULL)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
        (buf = malloc((size_t)n + 1)) != NULL) {
        *len = fread(buf, 1, (size_t)n, f);
        buf[*len] = '\0';
    }
    fclose(f);
    return buf;
}

/* One finding per component with a purl (at most 200), spread over a few
 * vulnerabilities with every optional field, some suppressed by VEX. */
static json_t *findings_for(const xsirt_sbom *sb)
{
    json_t *arr = json_array();
    size_t n = 0;
    int has_purls = 0;

    /* Without any purl (some SPDX examples), components are named by name
     * and version only: the writers' fallback identifiers get tested. */
    for (size_t i = 0; i < sb->component_count; i++)
        has_purls |= sb->components[i].purl != NULL;
    for (size_t i = 0; i < sb->component_count && n < 200; i++) {
        const xsirt_sbom_component *c = &sb->components[i];
        char id[32], ghsa[40];
        json_t *f;
        if (c->purl == NULL && has_purls)
            continue;
        snprintf(id, sizeof id, "CVE-2024-%04zu", 1000 + n % 7);
        snprintf(ghsa, sizeof ghsa, "GHSA-aaaa-bbbb-%04zu", n % 7);
        f = json_pack("{s:{s:s,s:s*,s:s*,s:s*},s:{s:s,s:[s],s:s,s:{s:[{s:s,s:s,s:f,s:s},{s:s,s:s,s:f}],s:s},"
                      "s:b,s:f,s:[s],s:[s]},s:s,s:s}",
                      "component", "name", c->name, "version", c->version, "purl", c->purl,
                      "bomRef", c->ref,
                      "vulnerability", "id", id, "aliases", ghsa, "summary",
                      "Synthetic <b>issue</b> \"quoted\" & [link](javascript:x)", "severity", "cvss",
                      "version", "3.1", "vectorString", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
                      "baseScore", 9.8, "baseSeverity", "CRITICAL", "version", "2.0", "vectorString",
                      "AV:N/AC:L/Au:N/C:P/I:P/A:P", "baseScore", 7.5, "rating", "critical",
                      "kev", n % 3 == 0, "epss", 0.25, "fixed", "99.0.0", "cwes", "CWE-79",
                      "matchedBy", "purl", "range", "vers:generic/<99.0.0");
        if (n % 5 == 4)
            json_object_set_new(f, "suppressedBy",
                                json_pack("{s:s,s:s,s:s}", "status", "not_affected", "justification",
                                          "vulnerable_code_not_in_execute_path", "impact",
                                          "The vulnerable function is never called."));
        if (n % 11 == 10)
            json_object_set_new(f, "suppressedBy", json_pack("{s:s}", "status", "fixed"));
        json_array_append_new(arr, f);
        n++;
    }
    return json_pack("{s:o,s:{s:I}}", "findings", arr, "stats", "findings", (json_int_t)n);
}

/* The same findings in the json format's version 2 shape: each finding
 * names its vulnerability by id, described once in "vulnerabilities". */
static char *findings_v2(json_t *v1)
{
    json_t *root = json_deep_copy(v1), *vulns = json_object(), *fd;
    size_t i;
    char *text;

    json_array_foreach(json_object_get(root, "findings"), i, fd) {
        json_t *v = json_object_get(fd, "vulnerability");
        const char *id = json_string_value(json_object_get(v, "id"));
        json_object_set(vulns, id, v);
        json_object_set_new(fd, "vulnerability", json_string(id));
    }
    json_object_set_new(root, "version", json_integer(2));
    json_object_set_new(root, "vulnerabilities", vulns);
    text = json_dumps(root, JSON_COMPACT);
    json_decref(root);
    return text;
}

/* The report of the version 2 findings must be the very bytes of the
 * version 1 report: the writers read both shapes. */
static int same_from_v2(const char *format, json_t *fj, const xsirt_sbom *sb,
                        const xsirt_report_options *opts, const char *v1_out, const char *where)
{
    char *v2 = findings_v2(fj), *out = NULL;
    xsirt_error err;
    int ok = v2 != NULL &&
             xsirt_report_write(&out, format, v2, strlen(v2), sb, opts, &err) == 0 &&
             strcmp(out, v1_out) == 0;

    if (!ok)
        fprintf(stderr, "%s: the report of the version 2 findings differs\n", where);
    free(out);
    free(v2);
    return ok;
}

int main(int argc, char **argv)
{
    int written = 0, skipped = 0, failed = 0;

    if (argc < 4) {
        fprintf(stderr, "usage: report_gen FORMAT OUTDIR SBOM...\n");
        return 2;
    }
    for (int i = 3; i < argc; i++) {
        size_t len = 0;
        char *data = slurp(argv[i], &len), *findings, *out = NULL, path[4096];
        xsirt_sbom *sb = NULL;
        xsirt_error err;
        xsirt_report_options opts = {0};
        json_t *fj;
        FILE *f;
        if (data == NULL || xsirt_sbom_parse(&sb, data, len, &err) != 0) {
            free(data);
            skipped++;
            continue;
        }
        fj = findings_for(sb);
        findings = json_dumps(fj, JSON_COMPACT);
        opts.timestamp = "2025-01-02T03:04:05Z";
        opts.sbom_uri = argv[i];
        if (xsirt_report_write(&out, argv[1], findings, strlen(findings), sb, &opts, &err) != 0) {
            fprintf(stderr, "%s: %s\n", argv[i], err.message);
            failed++;
        } else if (!same_from_v2(argv[1], fj, sb, &opts, out, argv[i])) {
            failed++;
        } else {
            snprintf(path, sizeof path, "%s/%d.json", argv[2], written);
            if ((f = fopen(path, "w")) == NULL) {
                failed++;
            } else {
                fprintf(f, "%s\n", out);
                fclose(f);
                printf("%s <- %s (%zu findings)\n", path, argv[i], json_array_size(json_object_get(fj, "findings")));
                written++;
            }
        }
        free(out);
        free(findings);
        json_decref(fj);
        xsirt_sbom_free(sb);
        free(data);
    }
    printf("%d written, %d skipped, %d failed\n", written, skipped, failed);
    return failed == 0 && written > 0 ? 0 : 1;
}
