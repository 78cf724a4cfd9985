# CSAF validation rate: xsirt csaf validate next to the npm validator on
# the CISA set, against a read + parse floor (bench/csaf_validate.c).
add_executable(bench_csaf_validate ${CMAKE_CURRENT_SOURCE_DIR}/csaf_validate.c)
target_link_libraries(bench_csaf_validate PRIVATE xsirt_static)
target_compile_definitions(bench_csaf_validate PRIVATE
                           XSIRT_BENCH_SHARED_DATA="${XSIRT_SHARED_DATA}"
                           XSIRT_BENCH_SOURCE_DIR="${CMAKE_SOURCE_DIR}"
                           XSIRT_BENCH_XSIRT="${CMAKE_BINARY_DIR}/xsirt")
