# Matching engine (include/xsirt/match.h, src/match/) and `xsirt db`/`xsirt scan`:
#   match_traps      hand-written records and SBOM components on each version
#                    scheme's traps (local versions, +incompatible, epochs, ...)
#   match_generated  SBOMs generated from the shared OSV records themselves
#   match_cli        exit codes, messages, formats, db build over all shared data
#   match_order      after matching: alias dedupe, severity order, sorted version
#                    lists (exact, and any case for PyPI)
add_test(NAME match_traps
         COMMAND ${XSIRT_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/match/traps.py
                 $<TARGET_FILE:xsirt_cmd> ${CMAKE_CURRENT_SOURCE_DIR}/match/data
                 ${CMAKE_CURRENT_BINARY_DIR}/match_traps)
add_test(NAME match_generated
         COMMAND ${XSIRT_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/match/generated.py
                 $<TARGET_FILE:xsirt_cmd> ${XSIRT_SHARED_DATA}
                 ${CMAKE_CURRENT_BINARY_DIR}/match_generated)
add_test(NAME match_order
         COMMAND ${XSIRT_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/match/order.py
                 $<TARGET_FILE:xsirt_cmd> ${CMAKE_CURRENT_BINARY_DIR}/match_order)
set_tests_properties(match_traps match_generated match_order PROPERTIES ENVIRONMENT "${XSIRT_TEST_ENV}"
                     LABELS match)
xsirt_shell_test(match_cli ${CMAKE_CURRENT_SOURCE_DIR}/match/cli.sh)
set_tests_properties(match_cli PROPERTIES LABELS match)
#   match_vex        scan --vex: OpenVEX, CycloneDX and CSAF VEX applied to a real
#                    index of hand-written records (tests/match/vex)
xsirt_shell_test(match_vex ${CMAKE_CURRENT_SOURCE_DIR}/match/vex.sh)
set_tests_properties(match_vex PROPERTIES LABELS match)
