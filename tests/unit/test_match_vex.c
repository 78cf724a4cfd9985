/*
 * test_match_vex.c — xsirt_match_apply_vex on the matching engine's own
 * structs: an index built in memory from two OSV records, an SBOM of three
 * components, and VEX documents applied one after another. Checks which
 * findings are suppressed or annotated, the statement each points to, the
 * recomputed stats, and that the JSON writer says the same; the JSON
 * versions and the report formats streamed from the structs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "index_image.h"
#include "xsirt/match.h"
#include "xsirt/vex.h"

static const char *const records[] = {
    "{\"id\":\"GHSA-aaaa-bbbb-cccc\",\"modified\":\"2024-01-01T00:00:00Z\","
    "\"aliases\":[\"CVE-2099-0001\"],\"summary\":\"a\","
    "\"severity\":[{\"type\":\"CVSS_V3\",\"score\":\"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\"}],"
    "\"affected\":[{\"package\":{\"ecosystem\":\"npm\",\"name\":\"a\"},"
    "\"ranges\":[{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"0\"},{\"fixed\":\"2.0.0\"}]}]}]}",
    "{\"id\":\"OSV-2099-2\",\"modified\":\"2024-01-01T00:00:00Z\",\"summary\":\"b\","
    "\"severity\":[{\"type\":\"CVSS_V3\",\"score\":\"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N\"}],"
    "\"affected\":[{\"package\":{\"ecosystem\":\"npm\",\"name\":\"b\"},"
    "\"ranges\":[{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"0\"},{\"fixed\":\"2.0.0\"}]}]}]}",
};

static const char sbom_text[] =
    "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"version\":1,\"components\":["
    "{\"type\":\"library\",\"bom-ref\":\"a1\",\"name\":\"a\",\"version\":\"1.0.0\",\"purl\":\"pkg:npm/a@1.0.0\"},"
    "{\"type\":\"library\",\"bom-ref\":\"a2\",\"name\":\"a\",\"version\":\"1.5.0\",\"purl\":\"pkg:npm/a@1.5.0\"},"
    "{\"type\":\"library\",\"bom-ref\":\"b1\",\"name\":\"b\",\"version\":\"1.0.0\",\"purl\":\"pkg:npm/b@1.0.0\"}]}";

/* The CVE alias and a purl without version (both versions of a), a purl
 * with another version (not covering), then an affected annotation of b. */
static const char vex1[] =
    "{\"@context\":\"https://openvex.dev/ns/v0.2.0\",\"@id\":\"https://x/1\",\"author\":\"t\","
    "\"timestamp\":\"2024-01-01T00:00:00Z\",\"version\":1,\"statements\":["
    "{\"vulnerability\":{\"name\":\"CVE-2099-0001\"},\"products\":[{\"@id\":\"pkg:npm/a\"}],"
    "\"status\":\"not_affected\",\"justification\":\"component_not_present\"},"
    "{\"vulnerability\":{\"name\":\"CVE-2099-0001\"},\"products\":[{\"@id\":\"pkg:npm/a@9\"}],"
    "\"status\":\"affected\",\"action_statement\":\"no\"},"
    "{\"vulnerability\":{\"name\":\"OSV-2099-2\"},\"products\":[{\"@id\":\"b1\"}],"
    "\"status\":\"affected\",\"action_statement\":\"upgrade b\"}]}";

/* A later document: a@1.5.0 under investigation (lifts its suppression). */
static const char vex2[] =
    "{\"@context\":\"https://openvex.dev/ns/v0.2.0\",\"@id\":\"https://x/2\",\"author\":\"t\","
    "\"timestamp\":\"2024-02-01T00:00:00Z\",\"version\":1,\"statements\":["
    "{\"vulnerability\":{\"name\":\"GHSA-aaaa-bbbb-cccc\"},\"products\":[{\"@id\":\"pkg:npm/a@1.5.0\"}],"
    "\"status\":\"under_investigation\"}]}";


typedef struct fixture {
    index_image im;
    xsirt_match_index *idx;
    xsirt_sbom *sbom;
    xsirt_findings *f;
    xsirt_vex *v1, *v2;
} fixture;

static int setup(void **state)
{
    fixture *x = calloc(1, sizeof *x);
    xsirt_error err;

    assert_non_null(x);
    assert_int_equal(index_image_build(&x->im, records, sizeof records / sizeof *records, &err), 0);
    assert_int_equal(xsirt_match_index_open(&x->idx, x->im.data, x->im.len, &err), 0);
    assert_int_equal(xsirt_sbom_parse(&x->sbom, sbom_text, sizeof sbom_text - 1, &err), 0);
    assert_int_equal(xsirt_match_scan(&x->f, x->idx, x->sbom, &err), 0);
    assert_int_equal(xsirt_vex_parse(&x->v1, vex1, sizeof vex1 - 1, &err), 0);
    assert_int_equal(xsirt_vex_parse(&x->v2, vex2, sizeof vex2 - 1, &err), 0);
    *state = x;
    return 0;
}

static int teardown(void **state)
{
    fixture *x = *state;

    xsirt_findings_free(x->f);
    xsirt_vex_free(x->v1);
    xsirt_vex_free(x->v2);
    xsirt_sbom_free(x->sbom);
    xsirt_match_index_close(x->idx);
    free(x->im.data);
    free(x);
    return 0;
}

/* The finding of the component with bom-ref ref. */
static const xsirt_finding *by_ref(const xsirt_findings *f, const char *ref)
{
    for (size_t i = 0; i < f->count; i++)
        if (strcmp(f->sbom->components[f->items[i].component].ref, ref) == 0)
            return &f->items[i];
    fail_msg("no finding for %s", ref);
    return NULL;
}

static void test_apply(void **state)
{
    fixture *x = *state;
    xsirt_findings *f = x->f;
    xsirt_error err;
    const xsirt_finding *a1, *a2, *b1;
    bool any;

    assert_int_equal(f->count, 3);
    assert_int_equal(f->stats.findings, 3);
    assert_int_equal(xsirt_match_apply_vex(f, x->v1, "one.json", &err), 0);
    a1 = by_ref(f, "a1");
    a2 = by_ref(f, "a2");
    b1 = by_ref(f, "b1");
    assert_true(a1->suppressed);
    assert_true(a2->suppressed);
    assert_ptr_equal(a1->vex, &x->v1->statements[0]);
    assert_ptr_equal(a1->vex_document, x->v1);
    assert_string_equal(a1->vex_source, "one.json");
    assert_false(b1->suppressed);
    assert_ptr_equal(b1->vex, &x->v1->statements[2]);
    assert_int_equal(f->stats.findings, 1);
    assert_int_equal(f->stats.suppressed, 2);
    assert_int_equal(f->stats.annotated, 1);
    assert_int_equal(f->stats.by_severity[XSIRT_MATCH_SEV_CRITICAL], 0);
    assert_int_equal(f->stats.by_severity[XSIRT_MATCH_SEV_MEDIUM], 1);
    /* Annotated findings count for --fail-on; suppressed ones do not. */
    assert_int_equal(xsirt_findings_max_severity(f, &any), XSIRT_MATCH_SEV_MEDIUM);
    assert_true(any);

    /* The later document wins where it applies, and only there. */
    assert_int_equal(xsirt_match_apply_vex(f, x->v2, "two.json", &err), 0);
    assert_true(a1->suppressed);
    assert_false(a2->suppressed);
    assert_int_equal(a2->vex->status, XSIRT_VEX_UNDER_INVESTIGATION);
    assert_string_equal(a2->vex_source, "two.json");
    assert_int_equal(f->stats.findings, 2);
    assert_int_equal(f->stats.suppressed, 1);
    assert_int_equal(f->stats.annotated, 2);
    assert_int_equal(f->stats.by_severity[XSIRT_MATCH_SEV_CRITICAL], 1);
    assert_int_equal(xsirt_findings_max_severity(f, &any), XSIRT_MATCH_SEV_CRITICAL);
}

static json_t *member(json_t *o, const char *a, const char *b)
{
    return json_object_get(json_object_get(o, a), b);
}

/* The JSON writer prints what the structs say, in xsirt_vex_apply's shape. */
static void test_json(void **state)
{
    fixture *x = *state;
    xsirt_error err;
    char *text = NULL;
    json_t *j, *fs, *supp;

    assert_int_equal(xsirt_match_write_json(&text, x->f, XSIRT_MATCH_OUT_SUPPRESSED, &err), 0);
    j = json_loads(text, 0, NULL);
    free(text);
    assert_non_null(j);
    fs = json_object_get(j, "findings");
    supp = json_object_get(j, "suppressed");
    assert_int_equal(json_array_size(fs), 2);
    assert_int_equal(json_array_size(supp), 1);
    assert_string_equal(json_string_value(member(json_array_get(supp, 0), "suppressedBy", "status")),
                        "not_affected");
    assert_string_equal(json_string_value(member(json_array_get(supp, 0), "suppressedBy", "vulnerability")),
                        "CVE-2099-0001");
    assert_string_equal(json_string_value(member(json_array_get(supp, 0), "suppressedBy", "document")),
                        "https://x/1");
    assert_string_equal(json_string_value(member(json_array_get(supp, 0), "suppressedBy", "source")),
                        "one.json");
    for (size_t i = 0; i < 2; i++) {
        json_t *v = json_object_get(json_array_get(fs, i), "vex");
        assert_non_null(v);
        assert_null(json_object_get(json_array_get(fs, i), "suppressedBy"));
    }
    assert_int_equal(json_integer_value(member(j, "stats", "annotated")), 2);
    json_decref(j);

    /* Inline: every finding in "findings", no "suppressed" array. */
    assert_int_equal(xsirt_match_write_json(&text, x->f, XSIRT_MATCH_OUT_INLINE, &err), 0);
    j = json_loads(text, 0, NULL);
    free(text);
    assert_non_null(j);
    assert_int_equal(json_array_size(json_object_get(j, "findings")), 3);
    assert_null(json_object_get(j, "suppressed"));
    json_decref(j);
}

/* A sink gathering the pieces into a string; fails once told to, to
 * check that writers stop and pass the error on. */
typedef struct text_sink {
    char *s;
    size_t len, calls, fail_at;
} text_sink;

static int to_text(void *ctx, const void *data, size_t len, xsirt_error *err)
{
    text_sink *t = ctx;
    char *grown;

    if (++t->calls == t->fail_at)
        return xsirt_error_set(err, XSIRT_EIO, "sink full");
    if ((grown = malloc(t->len + len + 1)) == NULL)
        return XSIRT_ENOMEM;
    if (t->len > 0)
        memcpy(grown, t->s, t->len);
    memcpy(grown + t->len, data, len);
    free(t->s);
    t->s = grown;
    t->len += len;
    t->s[t->len] = '\0';
    return 0;
}

/* Version 2 names each finding's vulnerability by id and describes each
 * once; version 1 repeats it in every finding, as it always did. */
static void test_json_versions(void **state)
{
    fixture *x = *state;
    xsirt_error err;
    char *text = NULL;
    json_t *j, *vulns;

    assert_int_equal(xsirt_match_write_json(&text, x->f, XSIRT_MATCH_OUT_INLINE, &err), 0);
    j = json_loads(text, 0, NULL);
    free(text);
    assert_non_null(j);
    assert_int_equal(json_integer_value(json_object_get(j, "version")), 2);
    vulns = json_object_get(j, "vulnerabilities");
    assert_int_equal(json_object_size(vulns), 2);
    for (size_t i = 0; i < 3; i++) {
        json_t *fd = json_array_get(json_object_get(j, "findings"), i);
        const char *id = json_string_value(json_object_get(fd, "vulnerability"));
        assert_non_null(id);
        assert_string_equal(json_string_value(member(vulns, id, "id")), id);
    }
    assert_string_equal(json_string_value(member(vulns, "GHSA-aaaa-bbbb-cccc", "summary")), "a");
    json_decref(j);

    assert_int_equal(xsirt_match_write_json(&text, x->f, XSIRT_MATCH_OUT_JSON_V1, &err), 0);
    j = json_loads(text, 0, NULL);
    free(text);
    assert_non_null(j);
    assert_null(json_object_get(j, "version"));
    assert_null(json_object_get(j, "vulnerabilities"));
    assert_string_equal(json_string_value(member(json_array_get(json_object_get(j, "findings"), 0),
                                                 "vulnerability", "id")),
                        "GHSA-aaaa-bbbb-cccc");
    json_decref(j);
}

/* A report streamed from the findings' compact view is, byte for byte,
 * the report the text API writes from the findings JSON, of either
 * version; a failing sink stops the writer with its error. */
static void test_reports(void **state)
{
    static const char *const formats[] = {"sarif", "cyclonedx", "openvex"};
    fixture *x = *state;
    xsirt_report_options o = {0};
    xsirt_error err;
    char *v1 = NULL, *v2 = NULL;

    o.timestamp = "2025-01-02T03:04:05Z";
    assert_int_equal(xsirt_match_write_json(&v1, x->f, XSIRT_MATCH_OUT_INLINE | XSIRT_MATCH_OUT_JSON_V1,
                                            &err), 0);
    assert_int_equal(xsirt_match_write_json(&v2, x->f, XSIRT_MATCH_OUT_INLINE, &err), 0);
    for (size_t i = 0; i < 3; i++) {
        text_sink t = {0};
        char *a = NULL, *b = NULL;
        assert_int_equal(xsirt_match_stream_report(x->f, formats[i], &o, to_text, &t, &err), 0);
        assert_int_equal(xsirt_report_write(&a, formats[i], v1, strlen(v1), x->sbom, &o, &err), 0);
        assert_int_equal(xsirt_report_write(&b, formats[i], v2, strlen(v2), x->sbom, &o, &err), 0);
        assert_string_equal(a, b);
        assert_int_equal(t.len, strlen(a) + 1);
        assert_memory_equal(t.s, a, strlen(a));
        assert_int_equal(t.s[t.len - 1], '\n');
        assert_non_null(strstr(a, "GHSA-aaaa-bbbb-cccc"));
        free(a);
        free(b);
        free(t.s);
    }
    for (size_t i = 0; i < 3; i++) {
        text_sink t = {NULL, 0, 0, 1};
        assert_int_equal(xsirt_match_stream_report(x->f, formats[i], &o, to_text, &t, &err), XSIRT_EIO);
        assert_string_equal(err.message, "sink full");
        free(t.s);
    }
    {
        text_sink t = {NULL, 0, 0, 1};
        assert_int_equal(xsirt_match_stream_json(x->f, 0, to_text, &t, &err), XSIRT_EIO);
        assert_int_equal(xsirt_match_stream_table(x->f, 0, to_text, &t, &err), 0);   /* one call: 2nd */
        free(t.s);
    }
    assert_int_equal(xsirt_match_stream_report(x->f, "pdf", &o, to_text, NULL, &err), XSIRT_ENOTFOUND);
    free(v1);
    free(v2);
}

static void test_table(void **state)
{
    fixture *x = *state;
    xsirt_error err;
    char *text = NULL;

    assert_int_equal(xsirt_match_write_table(&text, x->f, 0, &err), 0);
    assert_non_null(strstr(text, "[vex: affected]"));
    assert_non_null(strstr(text, "      VEX affected; action: upgrade b  (one.json)\n"));
    assert_non_null(strstr(text, "[vex: under_investigation]"));
    assert_null(strstr(text, "[suppressed"));
    assert_non_null(strstr(text, "1 suppressed, 2 annotated by VEX;"));
    free(text);
    assert_int_equal(xsirt_match_write_table(&text, x->f, XSIRT_MATCH_OUT_SUPPRESSED, &err), 0);
    assert_non_null(strstr(text, "[suppressed: not_affected]"));
    assert_non_null(strstr(text, "      VEX not_affected (component_not_present)  (one.json)\n"));
    free(text);
}

static void test_errors(void **state)
{
    fixture *x = *state;
    xsirt_error err;

    assert_int_equal(xsirt_match_apply_vex(x->f, NULL, NULL, &err), XSIRT_EINVAL);
    assert_int_equal(xsirt_match_apply_vex(NULL, x->v1, NULL, &err), XSIRT_EINVAL);
}

/* The SBOM's own statements as a document (xsirt_vex_from_sbom). */
static void test_from_sbom(void **state)
{
    static const char bom[] =
        "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"version\":1,"
        "\"serialNumber\":\"urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79\","
        "\"components\":[{\"type\":\"library\",\"bom-ref\":\"r\",\"name\":\"a\",\"purl\":\"pkg:npm/a@1\"}],"
        "\"vulnerabilities\":[{\"id\":\"CVE-1\",\"analysis\":{\"state\":\"in_triage\"},"
        "\"affects\":[{\"ref\":\"r\"}]}]}";
    xsirt_sbom *sb;
    xsirt_vex *v;
    xsirt_error err;

    (void)state;
    assert_int_equal(xsirt_sbom_parse(&sb, bom, sizeof bom - 1, &err), 0);
    assert_int_equal(xsirt_vex_from_sbom(&v, sb, &err), 0);
    assert_int_equal(v->format, XSIRT_VEX_CYCLONEDX);
    assert_string_equal(v->id, "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79");
    assert_int_equal(v->count, 1);
    assert_int_equal(v->statements[0].status, XSIRT_VEX_UNDER_INVESTIGATION);
    assert_int_equal(v->statements[0].n_products, 2);   /* the ref and its purl */
    xsirt_vex_free(v);
    xsirt_sbom_free(sb);
    assert_int_equal(xsirt_vex_from_sbom(&v, NULL, &err), XSIRT_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_apply),
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_json_versions),
        cmocka_unit_test(test_reports),
    };
    const struct CMUnitTest alone[] = {
        cmocka_unit_test(test_from_sbom),
    };
    int rc = cmocka_run_group_tests(tests, setup, teardown);

    return rc + cmocka_run_group_tests(alone, NULL, NULL);
}
