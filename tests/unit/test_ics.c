/*
 * test_ics.c — the pieces of matching ICS advisories by name (issue 15):
 * the firmware version order (expected orders for each vendor style seen
 * in CISA's advisories, synonyms, trailing zeros), CISA's version grammar
 * (every form of the survey, and what must be reported rather than
 * guessed), vendor and product normalisation (legal suffixes, aliases,
 * NFKC, families) and the device inventory reader (UTF-8 with BOM,
 * Shift_JIS, quoting, errors with their place). The oracle over the whole
 * shared set is tests/ics/oracle.py.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "xsirt/match.h"
#include "xsirt/name.h"
#include "xsirt/sbom.h"
#include "xsirt/vers.h"
#include "xsirt/version.h"
#include "xsirt/vex.h"

static const xsirt_version_scheme *fw(void)
{
    const xsirt_version_scheme *s = xsirt_version_scheme_find("firmware");
    assert_non_null(s);
    return s;
}

/* Each list is in strictly ascending order; every pair is checked both
 * ways. */
static void ascending(const char *const *v)
{
    for (size_t i = 0; v[i] != NULL; i++)
        for (size_t j = 0; v[j] != NULL; j++) {
            int c = 9;
            assert_int_equal(xsirt_version_compare(&c, fw(), v[i], v[j], NULL), 0);
            if ((i < j ? -1 : i > j) != c)
                fail_msg("firmware: %s vs %s gave %d, expected %d", v[i], v[j], c,
                         i < j ? -1 : i > j);
        }
}

static void equal(const char *a, const char *b)
{
    int c = 9;

    assert_int_equal(xsirt_version_compare(&c, fw(), a, b, NULL), 0);
    if (c != 0)
        fail_msg("firmware: %s and %s should be equal, got %d", a, b, c);
}

static void test_firmware_order(void **state)
{
    /* Siemens: V, SP, Update/Upd, HF */
    static const char *const siemens[] = {"V2.5", "V2.6", "V2.6.1", "V2.6.1 SP1",
                                          "V2.6.1 SP2", "V2.6.2", "V17", "V17 Update 4",
                                          "V17 Upd 5", "V17 SP1", "V18", NULL};
    /* Rockwell and Mitsubishi: letter suffixes, zero-padded numbers */
    static const char *const letters[] = {"1.00", "1.00A", "1.00B", "1.01", "1.26C", "1.250L",
                                          "07.09.07C", "7.10a", "20.011", NULL};
    /* Schneider, Yokogawa: R-releases, BIOS R-versions */
    static const char *const releases[] = {"R1.9", "R1.27.3", "R1.28.0-beta", "R1.28.0",
                                           "R3.01.00", "R16A", "R16B", NULL};
    /* pre-releases, builds, dates, long numbers */
    static const char *const misc[] = {"2.0 alpha", "2.0 beta 2", "2.0 rc1", "2.0",
                                       "2.0 build 11051315", "2.0.0.3",
                                       "8.00-20141023", "8.00-20150101",
                                       "99999999999999999999", "100000000000000000000", NULL};
    (void)state;
    ascending(siemens);
    ascending(letters);
    ascending(releases);
    ascending(misc);
    equal("V4.1", "4.1");
    equal("4.1", "4.1.0.0");
    equal("4.1.0 SP1", "4.1 SP1");
    equal("V17 Upd 5", "V17-Update-5");
    equal("Ver.2.2.1", "2.2.1");
    equal("v.32.011", "32.11");
    equal("R1.28.0", "1.28");
    equal("SW_4.1.1.10", "4.1.1.10");
    equal("V4.8 Hotfix 4", "V4.8 HF4");
    {
        int c;
        assert_int_equal(xsirt_version_compare(&c, fw(), "...", "1", NULL), XSIRT_EINVAL);
    }
}

/* want: the canonical vers, or "!" for "not understood" */
static void cisa(const char *text, const char *product, const char *want)
{
    xsirt_vers v;
    xsirt_error err;
    char *got = NULL;
    int rc = xsirt_vers_from_cisa(&v, text, product, &err);

    if (want[0] == '!') {
        if (rc == 0)
            fail_msg("cisa %s: expected an error", text);
        assert_int_equal(rc, XSIRT_EINVAL);
        assert_non_null(strstr(err.message, "not understood"));
        assert_true(err.column > 0);
        return;
    }
    if (rc != 0)
        fail_msg("cisa %s: %s", text, err.message);
    assert_int_equal(xsirt_vers_to_string(&got, &v, NULL), 0);
    if (strcmp(got, want) != 0)
        fail_msg("cisa %s: got %s, want %s", text, got, want);
    free(got);
    xsirt_vers_free(&v);
}

static void test_cisa_grammar(void **state)
{
    (void)state;
    cisa("vers:all/*", NULL, "vers:firmware/*");
    cisa("All versions", NULL, "vers:firmware/*");
    cisa("All versions < V1.04.01", NULL, "vers:firmware/<V1.04.01");
    cisa("All BIOS versions < R1.28.0", NULL, "vers:firmware/<R1.28.0");
    cisa("vers:all/<V4.3.8", NULL, "vers:firmware/<V4.3.8");
    cisa("< V4.1.3", NULL, "vers:firmware/<V4.1.3");
    cisa(">=V7.80 <V9.40", NULL, "vers:firmware/>=V7.80|<V9.40");
    cisa("vers:all/>=V7.80<V9.40", NULL, "vers:firmware/>=V7.80|<V9.40");
    cisa(">= 1.0 | <= 1.32", NULL, "vers:firmware/>=1.0|<=1.32");
    cisa("All Versions >= V2.0 and < V2.2", NULL, "vers:firmware/>=V2.0|<V2.2");
    cisa("1.00 | 1.04", NULL, "vers:firmware/1.00|1.04");
    cisa("2.8.2 and 2.8.19", NULL, "vers:firmware/2.8.2|2.8.19");
    cisa("2.4.X", NULL, "vers:firmware/>=2.4|<2.5");
    cisa("=< 4.6.20304.x", NULL, "vers:firmware/<4.6.20305");
    cisa("1.9.x", NULL, "vers:firmware/>=1.9|<1.10");
    cisa("< V17 Update 5", NULL, "vers:firmware/<V17-Update-5");
    cisa("< V4.8 HF4", NULL, "vers:firmware/<V4.8-HF4");
    cisa("<=9.4_FP2_Hotfix_4", NULL, "vers:firmware/<=9.4-FP2-Hotfix-4");
    cisa("2.3.6 and  below", NULL, "vers:firmware/<=2.3.6");
    cisa("01.14.000 -01.47.000", NULL, "vers:firmware/>=01.14.000|<=01.47.000");
    cisa("NMC2 <= 6.9.6", "NMC2 AP9631", "vers:firmware/<=6.9.6");
    cisa("< SIMATIC WinAC RTX 2010 SP3", "SIMATIC WinAC RTX 2010", "vers:firmware/<2010-SP3");
    cisa("1.01.01 (build 2149)", NULL, "vers:firmware/1.01.01-build-2149");
    cisa("All versions only if web components are used", NULL, "vers:firmware/*");
    cisa("< V10.4.1 only if web components are used", NULL, "vers:firmware/<V10.4.1");
    cisa("Version 2.2.1", NULL, "vers:firmware/2.2.1");
    cisa("<= 15.2(6)E0a", NULL, "vers:firmware/<=15.2(6)E0a");
    cisa("< 5.7.4 (96)", NULL, "vers:firmware/<5.7.4-96");
    cisa(">FW16_up_to_and_including_FW26", NULL, "vers:firmware/>FW16|<=FW26");
    cisa("2.2.3  until 2.2.3.3", NULL, "vers:firmware/>=2.2.3|<=2.2.3.3");
    cisa("\xc2\xa0<= 4.00.02 ", NULL, "vers:firmware/<=4.00.02");
    /* reported, never a literal */
    cisa("<  numbers ending ...9A ...9B ...9C etc.", NULL, "!");
    cisa("No version", NULL, "!");
    cisa("MMT-551 / MMT-751 MiniMed 530G", NULL, "!");
    cisa("", NULL, "!");
    cisa("< ", NULL, "!");
    cisa("\xe2\x80\x94 1.0", NULL, "!");
    cisa("\x7f" "2.4.0.0", "GWS", "!");   /* found by fuzz_cisa_vers */
    cisa("and below 1.0", NULL, "!");     /* an operator with nothing before it */
    cisa("to", NULL, "!");
}

static char *vendor(const char *v, const xsirt_name_aliases *a)
{
    char *o = NULL;
    assert_int_equal(xsirt_name_vendor(&o, v, a, NULL), 0);
    return o;
}

static void same_vendor(const xsirt_name_aliases *a, const char *x, const char *y)
{
    char *p = vendor(x, a), *q = vendor(y, a);
    if (strcmp(p, q) != 0)
        fail_msg("vendor %s -> %s, %s -> %s", x, p, y, q);
    free(p);
    free(q);
}

static void test_names(void **state)
{
    xsirt_name_aliases *a;
    char *e, *b, *f;
    (void)state;
    assert_int_equal(xsirt_name_aliases_new(&a, NULL), 0);
    same_vendor(a, "Mitsubishi Electric", "MITSUBISHI ELECTRIC CORPORATION");
    same_vendor(a, "mitsubishi_electric", "Mitsubishi Electric Corporation");
    same_vendor(a, "Mitsubishi Electric", "MELCO");
    same_vendor(a, "Mitsubishi Electric", "三菱電機株式会社");
    same_vendor(a, "Mitsubishi Electric", "(株)三菱電機");
    same_vendor(a, "rockwell_automation_", "Rockwell Automation, Inc.");
    same_vendor(a, "Rockwell Automation", "Allen-Bradley");
    same_vendor(a, "Siemens", "Siemens AG");
    same_vendor(a, "Yokogawa Electric", "横河電機株式会社");
    same_vendor(a, "Phoenix Contact", "PHOENIX CONTACT GmbH & Co. KG");
    same_vendor(a, "Digi International", "Digi International, Inc. ");
    same_vendor(a, "Fuji Electric", "Fuji Electric Co., Ltd.");
    same_vendor(a, "Omron", "OMRON Corporation");
    same_vendor(a, "Hitachi Energy", "Hitachi ABB Power Grids");
    same_vendor(a, "Sony", "Sony K.K.");
    {
        char *p = vendor("Siemens", a), *q = vendor("Schneider Electric", a);
        assert_string_not_equal(p, q);
        free(p);
        free(q);
    }
    /* user aliases, and their errors */
    assert_int_equal(xsirt_name_aliases_add(a, "# ours\nAcme Works\tACME\n", 23, NULL), 0);
    same_vendor(a, "Acme Works", "Acme, Inc.");
    {
        xsirt_error err;
        assert_int_equal(xsirt_name_aliases_add(a, "ok\tOK\nno tab here\n", 19, &err),
                         XSIRT_EINVAL);
        assert_int_equal(err.line, 2);
    }
    assert_int_equal(xsirt_name_product_forms(&e, &b, &f,
                         "SIMATIC S7-1500 CPU family (incl. related ET200 CPUs and SIPLUS "
                         "variants)", NULL), 0);
    assert_string_equal(b, "simatic s7 1500 cpu family");
    assert_string_equal(f, "simatic s7 1500 cpu");
    free(e);
    free(b);
    free(f);
    assert_int_equal(xsirt_name_product_forms(&e, &b, &f,
                         "\xef\xbc\xb3\xef\xbc\xa9\xef\xbc\xad\xef\xbc\xa1\xef\xbc\xb4\xef\xbc"
                         "\xa9\xef\xbc\xa3\xc2\xa0S7-1200", NULL), 0);   /* full width, NBSP */
    assert_string_equal(e, "simatic s7 1200");
    assert_null(b);
    assert_null(f);
    free(e);
    assert_int_equal(xsirt_name_product_forms(&e, &b, &f, "Relion 670 series", NULL), 0);
    assert_string_equal(f, "relion 670");
    free(e);
    free(f);
    {
        char *o = NULL;
        assert_int_equal(xsirt_name_product(&o, "bad \xff", NULL), XSIRT_EINVAL);
    }
    xsirt_name_aliases_free(a);
}

static void test_inventory(void **state)
{
    static const char utf8[] =
        "\xef\xbb\xbf" "Manufacturer,Model,Firmware Version,Serial,Location\r\n"
        "Siemens AG,\"SIMATIC S7-1500 CPU 1516-3 PN/DP\",V2.8.1,SN1,\"Hall \"\"A\"\"\"\r\n"
        "\r\n"
        "MELCO,MELSEC iQ-R,1.0,,\r\n";
    /* "メーカー,型式,バージョン" then a row, in Shift_JIS */
    static const char sjis[] =
        "\x83\x81\x81\x5b\x83\x4a\x81\x5b,\x8c\x5e\x8e\xae,\x83\x6f\x81\x5b\x83\x57\x83\x87\x83\x93\n"
        "\x8e\x4f\x95\x48\x93\x64\x8b\x40,MELSEC iQ-R,1.0\n";
    xsirt_sbom *sb = NULL;
    xsirt_error err;
    (void)state;
    assert_int_equal(xsirt_sbom_parse(&sb, utf8, sizeof utf8 - 1, &err), 0);
    assert_int_equal(sb->format, XSIRT_SBOM_INVENTORY_CSV);
    assert_int_equal(sb->component_count, 2);
    assert_string_equal(sb->components[0].supplier, "Siemens AG");
    assert_string_equal(sb->components[0].name, "SIMATIC S7-1500 CPU 1516-3 PN/DP");
    assert_string_equal(sb->components[0].version, "V2.8.1");
    assert_string_equal(sb->components[0].ref, "SN1");
    assert_string_equal(sb->components[0].type, "device");
    assert_string_equal(sb->components[1].ref, "row-3");
    xsirt_sbom_free(sb);
    assert_int_equal(xsirt_sbom_parse(&sb, sjis, sizeof sjis - 1, &err), 0);
    assert_int_equal(sb->component_count, 1);
    assert_string_equal(sb->components[0].supplier, "三菱電機");
    xsirt_sbom_free(sb);
    assert_int_equal(xsirt_sbom_parse_inventory(&sb, sjis, sizeof sjis - 1, "utf-8", &err),
                     XSIRT_EINVAL);
    assert_int_equal(xsirt_sbom_parse_inventory(&sb, "vendor,product\nA,B\n", 19, NULL, &err),
                     XSIRT_EINVAL);
    assert_non_null(strstr(err.message, "version"));
    assert_int_equal(xsirt_sbom_parse_inventory(&sb, "vendor,product,version\nA,\"B,1\n", 29,
                                                NULL, &err),
                     XSIRT_EINVAL);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.column, 3);
    {
        xsirt_sbom_device d[2] = {{"Siemens", "SCALANCE X200", "5.2", "asset-7"},
                                  {NULL, NULL, NULL, NULL}};
        assert_int_equal(xsirt_sbom_from_devices(&sb, d, 1, &err), 0);
        assert_string_equal(sb->components[0].ref, "asset-7");
        xsirt_sbom_free(sb);
        assert_int_equal(xsirt_sbom_from_devices(&sb, d, 2, &err), XSIRT_EINVAL);
    }
}

/* CSAF as VEX for a product named only by vendor, name and version. */
static void test_csaf_vex_by_name(void **state)
{
    static const char doc[] =
        "{\"document\":{\"category\":\"csaf_vex\",\"csaf_version\":\"2.0\",\"title\":\"t\","
        "\"publisher\":{\"category\":\"vendor\",\"name\":\"x\",\"namespace\":\"https://x\"},"
        "\"tracking\":{\"id\":\"X-1\",\"status\":\"final\",\"version\":\"1\","
        "\"initial_release_date\":\"2024-01-01T00:00:00Z\","
        "\"current_release_date\":\"2024-01-01T00:00:00Z\",\"revision_history\":[{\"date\":"
        "\"2024-01-01T00:00:00Z\",\"number\":\"1\",\"summary\":\"s\"}]}},"
        "\"product_tree\":{\"branches\":[{\"category\":\"vendor\",\"name\":\"Siemens\",\"branches\":"
        "[{\"category\":\"product_name\",\"name\":\"SIMATIC S7-1500 CPU family\",\"branches\":"
        "[{\"category\":\"product_version_range\",\"name\":\">= V2.8 < V2.9\",\"product\":"
        "{\"product_id\":\"P1\",\"name\":\"S7-1500 2.8\"}}]}]}]},"
        "\"vulnerabilities\":[{\"cve\":\"CVE-2022-38465\",\"product_status\":"
        "{\"known_not_affected\":[\"P1\"]}}]}";
    xsirt_vex *vex = NULL;
    xsirt_vex_matcher *m = NULL;
    xsirt_vex_subject s = {"CVE-2022-38465", NULL, 0, NULL, NULL, NULL,
                           "SIEMENS AG", "SIMATIC S7-1500 CPU 1516-3 PN/DP", "V2.8.1"};
    (void)state;
    assert_int_equal(xsirt_vex_parse(&vex, doc, sizeof doc - 1, NULL), 0);
    assert_int_equal(xsirt_vex_matcher_new(&m, vex, NULL), 0);
    assert_non_null(xsirt_vex_matcher_find(m, &s));
    s.version = "V2.9";   /* out of the range */
    assert_null(xsirt_vex_matcher_find(m, &s));
    s.version = "2.8";
    s.vendor = "Schneider Electric";   /* another vendor */
    assert_null(xsirt_vex_matcher_find(m, &s));
    s.vendor = "Siemens";
    s.name = "SIMATIC S7-1200 CPU 1214C";   /* another family */
    assert_null(xsirt_vex_matcher_find(m, &s));
    xsirt_vex_matcher_free(m);
    xsirt_vex_free(vex);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_firmware_order),
        cmocka_unit_test(test_cisa_grammar),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_inventory),
        cmocka_unit_test(test_csaf_vex_by_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
