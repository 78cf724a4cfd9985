# ICS advisories without identifiers (issue 15): CISA's CSAF matched by
# vendor, product name and version (docs/matching.md, "Identity without
# identifiers"):
#   ics_oracle   the shared CISA set's own product statuses as an oracle, run
#                with CISA's exact names and with inventory-style names;
#                prints its percentages (goals: >= 99 % found, <= 0.5 %
#                false positives, every miss explained)
#   ics_firmware the firmware version order: expected orders per vendor
#                style and transitivity over the shared set's versions
add_test(NAME ics_oracle
         COMMAND ${XSIRT_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/ics/oracle.py
                 $<TARGET_FILE:xsirt_cmd> ${XSIRT_SHARED_DATA}/csaf/cisa
                 ${CMAKE_CURRENT_BINARY_DIR}/ics_oracle)
set_tests_properties(ics_oracle PROPERTIES ENVIRONMENT "${XSIRT_TEST_ENV}" LABELS ics
                     TIMEOUT 900)
add_test(NAME ics_firmware
         COMMAND ${XSIRT_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/ics/firmware.py
                 $<TARGET_FILE:xsirt_cmd> ${XSIRT_SHARED_DATA}/csaf/cisa)
set_tests_properties(ics_firmware PROPERTIES ENVIRONMENT "${XSIRT_TEST_ENV}" LABELS ics)
#   ics_cli      db build --report, inventories (BOM, Shift_JIS, errors),
#                --vendor-aliases, JSON fields by name, CSAF VEX by name
xsirt_shell_test(ics_cli ${CMAKE_CURRENT_SOURCE_DIR}/ics/cli.sh)
set_tests_properties(ics_cli PROPERTIES LABELS ics)
