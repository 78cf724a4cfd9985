# Matching engine: index build vs parse-only, SBOM scan vs SBOM parse-only,
# index open, peak RSS per phase (bench/scan.c).
add_executable(bench_scan ${CMAKE_CURRENT_SOURCE_DIR}/scan.c)
target_link_libraries(bench_scan PRIVATE xsirt_static)
target_compile_definitions(bench_scan PRIVATE XSIRT_BENCH_SHARED_DATA="${XSIRT_SHARED_DATA}")
target_sources(bench_scan PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/common.c)
target_compile_definitions(bench_scan PRIVATE XSIRT_BENCH_XSIRT="$<TARGET_FILE:xsirt_cmd>")
add_dependencies(bench_scan xsirt_cmd)
