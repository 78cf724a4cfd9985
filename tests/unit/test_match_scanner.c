/*
 * test_match_scanner.c — a scanner kept between scans answers exactly as a
 * fresh scan does: an index built in memory from OSV records, three SBOMs
 * scanned one after another with one scanner (so that prepared ranges,
 * the last key and the findings numbering carry over) and each compared,
 * finding by finding, with xsirt_match_scan on its own.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "index_image.h"
#include "xsirt/match.h"

#define OSV(id, aliases, eco, name, events)                                          \
    "{\"id\":\"" id "\",\"modified\":\"2024-01-01T00:00:00Z\",\"aliases\":[" aliases \
    "],\"affected\":[{\"package\":{\"ecosystem\":\"" eco "\",\"name\":\"" name      \
    "\"},\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[" events "]}]}]}"

static const char *const records[] = {
    OSV("T-A-1", "", "npm", "a", "{\"introduced\":\"0\"},{\"fixed\":\"2.0.0\"}"),
    OSV("T-A-2", "\"T-A-3\"", "npm", "a",
        "{\"introduced\":\"1.5.0\"},{\"fixed\":\"1.6.0\"},{\"introduced\":\"3.0.0\"}"),
    OSV("T-A-3", "", "npm", "a", "{\"introduced\":\"1.0.0\"},{\"last_affected\":\"1.5.2\"}"),
    OSV("T-B-1", "", "PyPI", "b", "{\"introduced\":\"1.0\"},{\"fixed\":\"1.0.5\"}"),
    OSV("T-C-1", "", "Go", "example.com/c", "{\"introduced\":\"0\"},{\"fixed\":\"1.2.0\"}"),
};

#define COMP(ref, purl) \
    "{\"type\":\"library\",\"bom-ref\":\"" ref "\",\"name\":\"" ref "\",\"purl\":\"" purl "\"}"
#define BOM(comps) \
    "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"version\":1,\"components\":[" comps "]}"

static const char *const sboms[] = {
    BOM(COMP("a1", "pkg:npm/a@1.5.1") "," COMP("a2", "pkg:npm/a@3.1.0") ","
        COMP("b1", "pkg:pypi/b@1.0.4")),
    BOM(COMP("c1", "pkg:golang/example.com/c@v1.1.0") "," COMP("b2", "pkg:pypi/b@1.0.5") ","
        COMP("a3", "pkg:npm/a@1.5.1")),
    BOM(COMP("a4", "pkg:npm/a@0.9.0") "," COMP("c2", "pkg:golang/example.com/c@v1.2.0")),
};

/* Findings each SBOM must give (component ref, id), in order: unrated, so
 * by id; T-A-3 is an alias of T-A-2 (one finding). */
static const char *const want[][6][2] = {
    {{"a1", "T-A-1"}, {"a1", "T-A-2"}, {"a2", "T-A-2"}, {"b1", "T-B-1"}},
    {{"c1", "T-C-1"}, {"a3", "T-A-1"}, {"a3", "T-A-2"}},
    {{"a4", "T-A-1"}},
};
static const size_t want_count[] = {4, 3, 1};


static void same_findings(const xsirt_findings *a, const xsirt_findings *b)
{
    assert_int_equal(a->count, b->count);
    assert_int_equal(a->stats.findings, b->stats.findings);
    for (size_t i = 0; i < a->count; i++) {
        assert_int_equal(a->items[i].component, b->items[i].component);
        assert_string_equal(a->records[a->items[i].record].rec.id,
                            b->records[b->items[i].record].rec.id);
        assert_string_equal(a->items[i].range, b->items[i].range);
    }
}

static void test_scanner_reuse(void **state)
{
    index_image im = {NULL, 0};
    xsirt_match_index *idx;
    xsirt_match_scanner *s;
    xsirt_error err;

    (void)state;
    assert_int_equal(index_image_build(&im, records, sizeof records / sizeof *records, &err), 0);
    assert_int_equal(xsirt_match_index_open(&idx, im.data, im.len, &err), 0);
    assert_int_equal(xsirt_match_scanner_new(&s, idx, &err), 0);
    /* Twice round: the second time every range is already prepared. */
    for (size_t round = 0; round < 2; round++)
        for (size_t k = 0; k < sizeof sboms / sizeof *sboms; k++) {
            xsirt_sbom *sbom;
            xsirt_findings *kept, *fresh;
            assert_int_equal(xsirt_sbom_parse(&sbom, sboms[k], strlen(sboms[k]), &err), 0);
            assert_int_equal(xsirt_match_scanner_scan(&kept, s, sbom, &err), 0);
            assert_int_equal(xsirt_match_scan(&fresh, idx, sbom, &err), 0);
            same_findings(kept, fresh);
            assert_int_equal(kept->count, want_count[k]);
            for (size_t i = 0; i < kept->count; i++) {
                assert_string_equal(sbom->components[kept->items[i].component].ref,
                                    want[k][i][0]);
                assert_string_equal(kept->records[kept->items[i].record].rec.id, want[k][i][1]);
            }
            xsirt_findings_free(kept);
            xsirt_findings_free(fresh);
            xsirt_sbom_free(sbom);
        }
    xsirt_match_scanner_free(s);
    xsirt_match_index_close(idx);
    free(im.data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scanner_reuse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
