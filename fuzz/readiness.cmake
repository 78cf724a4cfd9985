# The readiness self-assessment's answers by kind (issue 16): accepted
# answers survive storage unchanged.
xsirt_fuzz_target(readiness FILES ${CMAKE_SOURCE_DIR}/fuzz/corpus/readiness)
