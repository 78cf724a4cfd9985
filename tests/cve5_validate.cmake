# CVE JSON 5 validator (xsirt cve validate, and the server's check of every
# record) against the reference, ajv with the CVE Record Format schema
# (tests/server/cve5_validate.mjs): the Go database's CVE records made
# valid, hand-made breakages of single rules and seeded mutations, record
# by record (tests/cve5_validate/compare.py).
add_test(NAME cve5_validate
         COMMAND ${XSIRT_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/cve5_validate/compare.py
                 ${XSIRT_SHARED_DATA}/cve5/go
                 ${XSIRT_SHARED_DATA}/schemas/cve5/CVE_Record_Format_bundled.json)
set_tests_properties(cve5_validate PROPERTIES ENVIRONMENT "${XSIRT_TEST_ENV}" LABELS csaf TIMEOUT 600)
