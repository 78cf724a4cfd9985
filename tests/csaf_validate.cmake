# CSAF 2.0 validator (xsirt csaf validate) against the reference,
# @secvisogram/csaf-validator-lib from npm, test by test
# (tests/csaf_validate/compare.py runs both in batch):
#  - csaf_validate_oasis: every file of the OASIS test suite; each must fail
#    (or pass) the test it is listed for in testcases.json, and where the
#    reference and the suite disagree the suite wins (suite_wins.txt).
#  - csaf_validate_cisa: all of CISA's 1,932 advisories (about 30 s for
#    both validators together on 2 cores, so no subset is needed).
#  - csaf_validate_mutants: 1,500 documents made from both sets by seeded
#    random changes (csaf_validate/mutate.py), so that failing and oddly
#    shaped documents are compared too, not only valid advisories.
set(XSIRT_CSAF_COMPARE ${XSIRT_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/csaf_validate/compare.py)
set(XSIRT_CSAF_SUITE ${XSIRT_SHARED_DATA}/csaf/oasis-2.0/test/validator/data)
add_test(NAME csaf_validate_oasis
         COMMAND ${XSIRT_CSAF_COMPARE} --suite ${XSIRT_CSAF_SUITE}/testcases.json
                 --allow ${CMAKE_CURRENT_SOURCE_DIR}/csaf_validate/suite_wins.txt
                 ${XSIRT_CSAF_SUITE})
add_test(NAME csaf_validate_cisa
         COMMAND ${XSIRT_CSAF_COMPARE} ${XSIRT_SHARED_DATA}/csaf/cisa)
add_test(NAME csaf_validate_mutants
         COMMAND ${XSIRT_CSAF_COMPARE} --mutate 1500 --seed 1 --stricter 6.1.26
                 ${XSIRT_SHARED_DATA}/csaf/cisa ${XSIRT_CSAF_SUITE})
set_tests_properties(csaf_validate_oasis csaf_validate_cisa csaf_validate_mutants
                     PROPERTIES ENVIRONMENT "${XSIRT_TEST_ENV}" LABELS csaf)
set_tests_properties(csaf_validate_oasis csaf_validate_cisa csaf_validate_mutants
                     PROPERTIES TIMEOUT 1200)
