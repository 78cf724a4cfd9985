# CVSS: the shared test vectors (RedHat's cvss suite) and a differential test
# against two calculators from npm on random vectors of every version
# (tests/cvss/). The differential test's seed and size can be overridden
# with XSIRT_CVSS_SEED and XSIRT_CVSS_COUNT in the environment.
add_test(NAME cvss_vectors
         COMMAND ${XSIRT_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/cvss/vectors.py
                 $<TARGET_FILE:xsirt_cmd> ${XSIRT_SHARED_DATA})
add_test(NAME cvss_differential
         COMMAND ${XSIRT_NODE} ${CMAKE_CURRENT_SOURCE_DIR}/cvss/diff.mjs
                 $<TARGET_FILE:xsirt_cmd> ${CMAKE_SOURCE_DIR}/tests/tools)
set_tests_properties(cvss_vectors cvss_differential PROPERTIES
                     ENVIRONMENT "${XSIRT_TEST_ENV}" LABELS cvss)
# Every suite checks 20,000 vectors per version (about 40 s); the full
# 100,000 per version of docs/cvss.md (about 4 minutes on 2 cores) is the
# slow tier's (make check-slow), to keep CI's two suites within 30 minutes.
add_test(NAME cvss_differential_full
         COMMAND ${XSIRT_NODE} ${CMAKE_CURRENT_SOURCE_DIR}/cvss/diff.mjs
                 $<TARGET_FILE:xsirt_cmd> ${CMAKE_SOURCE_DIR}/tests/tools)
set_tests_properties(cvss_differential_full PROPERTIES
                     ENVIRONMENT "${XSIRT_TEST_ENV};XSIRT_CVSS_COUNT=100000" LABELS "cvss;slow"
                     TIMEOUT 1800)
set_tests_properties(cvss_differential PROPERTIES TIMEOUT 900)
# Under the sanitizers the point is memory safety, not agreement: 10,000.
if(XSIRT_SANITIZE)
  set_property(TEST cvss_differential APPEND PROPERTY ENVIRONMENT XSIRT_CVSS_COUNT=10000)
else()
  # (a default: XSIRT_CVSS_COUNT in the environment, as the full test sets it, wins)
  set_property(TEST cvss_differential APPEND PROPERTY ENVIRONMENT XSIRT_CVSS_DEFAULT_COUNT=20000)
endif()
