# bench_startup: start-up of the commands used per line in scripts, as
# processes, against a C hello world linked against libc alone
# (hello_floor), in the same run (bench/startup.c).
add_executable(hello_floor ${CMAKE_CURRENT_SOURCE_DIR}/hello.c)
add_executable(bench_startup ${CMAKE_CURRENT_SOURCE_DIR}/startup.c ${CMAKE_CURRENT_SOURCE_DIR}/common.c)
target_link_libraries(bench_startup PRIVATE xsirt_static)
target_compile_definitions(bench_startup PRIVATE XSIRT_BENCH_HELLO="$<TARGET_FILE:hello_floor>"
                           XSIRT_BENCH_XSIRT="$<TARGET_FILE:xsirt_cmd>"
                           XSIRT_BENCH_SERVER="$<TARGET_FILE:xsirt_server_cmd>")
add_dependencies(bench_startup hello_floor xsirt_cmd)
