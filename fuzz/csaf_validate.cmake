# The CSAF 2.0 validator (xsirt csaf validate): the OASIS test suite's
# documents (each built to fail one test), the OASIS examples and CISA's
# advisories as corpus.
set(D ${XSIRT_SHARED_DATA}/csaf)
xsirt_fuzz_target(csaf_validate FILES ${D}/oasis-2.0/test/validator/data ${D}/oasis-2.0/examples
                  ${D}/cisa)
