# The CVE JSON 5 validator (xsirt cve validate; the server's check of every
# record it answers or publishes): the Go vulnerability database's CVE
# records as corpus (they lack the fields the CVE service fills in, so
# they fail the schema's oneOf: the failing paths get fuzzed too).
xsirt_fuzz_target(cve5_validate FILES ${XSIRT_SHARED_DATA}/cve5/go)
