/*
 * csaf_tests.h — the CSAF 2.0 document tests of specification section 6
 * (6.1 mandatory, 6.2 optional), one function each, defined by topic in
 * csaf_tests_*.c and listed in the registry of csaf_validate.c.
 *
 * Each test walks c->doc and reports through csaf_fail() (csaf_check.h);
 * a test that does not apply to the document reports nothing.
 */
#ifndef XSIRT_FORMATS_CSAF_TESTS_H
#define XSIRT_FORMATS_CSAF_TESTS_H

#include "formats/csaf_check.h"

/* csaf_tests_products.c: product and group ids, statuses, relationships */
void csaf_test_6_1_1(csaf_ctx *c);
void csaf_test_6_1_2(csaf_ctx *c);
void csaf_test_6_1_3(csaf_ctx *c);
void csaf_test_6_1_4(csaf_ctx *c);
void csaf_test_6_1_5(csaf_ctx *c);
void csaf_test_6_1_6(csaf_ctx *c);
void csaf_test_6_1_7(csaf_ctx *c);

/* csaf_tests_scores.c: CVSS objects */
void csaf_test_6_1_8(csaf_ctx *c);
void csaf_test_6_1_9(csaf_ctx *c);
void csaf_test_6_1_10(csaf_ctx *c);

/* csaf_tests_tracking.c: versions, revision history, status */
void csaf_test_6_1_14(csaf_ctx *c);
void csaf_test_6_1_16(csaf_ctx *c);
void csaf_test_6_1_17(csaf_ctx *c);
void csaf_test_6_1_18(csaf_ctx *c);
void csaf_test_6_1_19(csaf_ctx *c);
void csaf_test_6_1_20(csaf_ctx *c);
void csaf_test_6_1_21(csaf_ctx *c);
void csaf_test_6_1_22(csaf_ctx *c);
void csaf_test_6_1_30(csaf_ctx *c);

/* csaf_tests_content.c: CWE, language tags, purls, categories, hashes,
 * remediations and flags */
void csaf_test_6_1_11(csaf_ctx *c);
void csaf_test_6_1_12(csaf_ctx *c);
void csaf_test_6_1_13(csaf_ctx *c);
void csaf_test_6_1_15(csaf_ctx *c);
void csaf_test_6_1_23(csaf_ctx *c);
void csaf_test_6_1_24(csaf_ctx *c);
void csaf_test_6_1_25(csaf_ctx *c);
void csaf_test_6_1_26(csaf_ctx *c);
void csaf_test_6_1_28(csaf_ctx *c);
void csaf_test_6_1_29(csaf_ctx *c);
void csaf_test_6_1_31(csaf_ctx *c);
void csaf_test_6_1_32(csaf_ctx *c);
void csaf_test_6_1_33(csaf_ctx *c);

/* csaf_tests_profiles.c: what each profile (document category) requires */
void csaf_test_6_1_27_1(csaf_ctx *c);
void csaf_test_6_1_27_2(csaf_ctx *c);
void csaf_test_6_1_27_3(csaf_ctx *c);
void csaf_test_6_1_27_4(csaf_ctx *c);
void csaf_test_6_1_27_5(csaf_ctx *c);
void csaf_test_6_1_27_6(csaf_ctx *c);
void csaf_test_6_1_27_7(csaf_ctx *c);
void csaf_test_6_1_27_8(csaf_ctx *c);
void csaf_test_6_1_27_9(csaf_ctx *c);
void csaf_test_6_1_27_10(csaf_ctx *c);
void csaf_test_6_1_27_11(csaf_ctx *c);

/* csaf_tests_optional.c: the optional tests of 6.2 that need no network */
void csaf_test_6_2_1(csaf_ctx *c);
void csaf_test_6_2_2(csaf_ctx *c);
void csaf_test_6_2_3(csaf_ctx *c);
void csaf_test_6_2_4(csaf_ctx *c);
void csaf_test_6_2_5(csaf_ctx *c);
void csaf_test_6_2_6(csaf_ctx *c);
void csaf_test_6_2_7(csaf_ctx *c);
void csaf_test_6_2_8(csaf_ctx *c);
void csaf_test_6_2_9(csaf_ctx *c);
void csaf_test_6_2_10(csaf_ctx *c);
void csaf_test_6_2_11(csaf_ctx *c);
void csaf_test_6_2_12(csaf_ctx *c);
void csaf_test_6_2_13(csaf_ctx *c);
void csaf_test_6_2_14(csaf_ctx *c);
void csaf_test_6_2_15(csaf_ctx *c);
void csaf_test_6_2_16(csaf_ctx *c);
void csaf_test_6_2_17(csaf_ctx *c);
void csaf_test_6_2_18(csaf_ctx *c);
void csaf_test_6_2_19(csaf_ctx *c);
void csaf_test_6_2_20(csaf_ctx *c);

#endif
