# The web UI's tests (label ui): the message catalogues are complete and
# the sources show no literal text (and the check fails on a bad fixture),
# and the UI end to end in Debian's chromium on a real server, in English
# and Japanese (tests/ui/e2e.mjs; screenshots in build/ui-screenshots/).
add_test(NAME ui_i18n COMMAND ${XSIRT_NODE} ${CMAKE_SOURCE_DIR}/tests/ui/i18n.mjs ${CMAKE_SOURCE_DIR}/web/src)
add_test(NAME ui_i18n_catches_mistakes
         COMMAND ${XSIRT_NODE} ${CMAKE_SOURCE_DIR}/tests/ui/i18n.mjs ${CMAKE_SOURCE_DIR}/tests/ui/fixtures/bad)
set_tests_properties(ui_i18n ui_i18n_catches_mistakes PROPERTIES LABELS ui)
set_tests_properties(ui_i18n_catches_mistakes PROPERTIES WILL_FAIL TRUE)

if(XSIRT_UI)
  # playwright-core and axe-core are pinned in web/package-lock.json and
  # installed with the UI's build tools; chromium comes from Debian. One
  # browser at a time (RESOURCE_LOCK), each beside the other tests: as
  # PROCESSORS 2 they waited for two free slots, which a parallel run never
  # leaves while it has one-slot tests to start, and so ran last, alone
  # (cmake/test_costs.cmake starts them first instead).
  find_program(XSIRT_CHROMIUM chromium PATHS /usr/bin)
  add_test(NAME ui_e2e COMMAND ${XSIRT_NODE} ${CMAKE_SOURCE_DIR}/tests/ui/e2e.mjs)
  set_tests_properties(ui_e2e PROPERTIES LABELS ui TIMEOUT 900 RESOURCE_LOCK browser
                       ENVIRONMENT "${XSIRT_TEST_ENV};XSIRT_CHROMIUM=${XSIRT_CHROMIUM}")
  # Profile language, notification rules, reports and readiness (e2e_reports.mjs).
  add_test(NAME ui_e2e_reports COMMAND ${XSIRT_NODE} ${CMAKE_SOURCE_DIR}/tests/ui/e2e_reports.mjs)
  set_tests_properties(ui_e2e_reports PROPERTIES LABELS ui TIMEOUT 600 RESOURCE_LOCK browser
                       ENVIRONMENT "${XSIRT_TEST_ENV};XSIRT_CHROMIUM=${XSIRT_CHROMIUM}")
  # The disclosure screens: public intake, coordination, advisories.
  add_test(NAME ui_e2e_disclosure COMMAND ${XSIRT_NODE} ${CMAKE_SOURCE_DIR}/tests/ui/disclosure.mjs)
  set_tests_properties(ui_e2e_disclosure PROPERTIES LABELS ui TIMEOUT 900 RESOURCE_LOCK browser
                       ENVIRONMENT "${XSIRT_TEST_ENV};XSIRT_CHROMIUM=${XSIRT_CHROMIUM}")
endif()
