# Statistics from the incremental counters against a plain SQL count over
# the same cases, the cost of keeping the counters, and report generation
# (bench/metrics.c).
add_executable(bench_metrics ${CMAKE_CURRENT_SOURCE_DIR}/metrics.c)
target_include_directories(bench_metrics PRIVATE ${CMAKE_SOURCE_DIR}/src)
target_link_libraries(bench_metrics PRIVATE xsirt_static)
