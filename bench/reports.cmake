# bench_reports: `xsirt scan` writing every report format for a very
# vulnerable SBOM (~260,000 findings), as whole processes: time against
# parsing the SBOM and the report back with jansson, peak memory against
# the table format (bench/reports.c).
add_executable(bench_reports ${CMAKE_CURRENT_SOURCE_DIR}/reports.c ${CMAKE_CURRENT_SOURCE_DIR}/common.c)
target_link_libraries(bench_reports PRIVATE xsirt_static)
target_compile_definitions(bench_reports PRIVATE XSIRT_BENCH_SHARED_DATA="${XSIRT_SHARED_DATA}"
                           XSIRT_BENCH_XSIRT="$<TARGET_FILE:xsirt_cmd>")
add_dependencies(bench_reports xsirt_cmd)
