# Storage tests, run once per backend: SQLite always, PostgreSQL on a
# throwaway server that tests/pg/pg.sh starts for the run (fixture "pg").
add_test(NAME pg_start COMMAND sh ${CMAKE_SOURCE_DIR}/tests/pg/pg.sh start ${CMAKE_BINARY_DIR}/pg)
add_test(NAME pg_stop COMMAND sh ${CMAKE_SOURCE_DIR}/tests/pg/pg.sh stop ${CMAKE_BINARY_DIR}/pg)
set_tests_properties(pg_start PROPERTIES FIXTURES_SETUP pg)
set_tests_properties(pg_stop PROPERTIES FIXTURES_CLEANUP pg)

# xsirt_store_test(NAME SOURCE): builds SOURCE and runs it on both backends.
function(xsirt_store_test name source)
  add_executable(${name} ${source})
  target_include_directories(${name} PRIVATE ${CMAKE_SOURCE_DIR})
  target_link_libraries(${name} PRIVATE xsirt_cli PkgConfig::CMOCKA Threads::Threads)
  add_test(NAME store_${name}_sqlite COMMAND ${name})
  set_tests_properties(store_${name}_sqlite PROPERTIES LABELS store
                       ENVIRONMENT "${XSIRT_TEST_ENV};XSIRT_TEST_DB=sqlite")
  add_test(NAME store_${name}_postgres COMMAND ${name})
  set_tests_properties(store_${name}_postgres PROPERTIES LABELS store FIXTURES_REQUIRED pg
                       ENVIRONMENT "${XSIRT_TEST_ENV};XSIRT_TEST_DB=postgres")
endfunction()

find_package(Threads REQUIRED)
xsirt_store_test(test_db store/test_db.c)
xsirt_store_test(test_audit store/test_audit.c)
xsirt_store_test(test_user store/test_user.c)
xsirt_store_test(test_team store/test_team.c)
xsirt_store_test(test_case store/test_case.c)
xsirt_store_test(test_metrics store/test_metrics.c)
# The findings' counters at scale: a smaller history in the default tier,
# the issue's 100,000 cases and 1,000,000 findings in the slow tier (label
# slow, SQLite; docs/metrics.md).
xsirt_store_test(test_metrics_scale store/test_metrics_scale.c)
add_test(NAME store_test_metrics_scale_full COMMAND test_metrics_scale)
set_tests_properties(store_test_metrics_scale_full PROPERTIES LABELS "store;slow" TIMEOUT 1800
                     ENVIRONMENT "${XSIRT_TEST_ENV};XSIRT_TEST_DB=sqlite;XSIRT_SCALE_CASES=100000;XSIRT_SCALE_FINDINGS=1000000")
# A database of an earlier release (the first N migrations) upgraded.
xsirt_store_test(test_upgrade store/test_upgrade.c)
xsirt_store_test(test_deferred store/test_deferred.c)

# End-to-end: the real server on loopback, over HTTP, on both backends.
function(xsirt_e2e_test name script)
  foreach(backend sqlite postgres)
    add_test(NAME e2e_${name}_${backend}
             COMMAND ${XSIRT_PYTHON} ${CMAKE_SOURCE_DIR}/tests/server/${script} ${backend} ${ARGN})
    set_tests_properties(e2e_${name}_${backend} PROPERTIES LABELS e2e ENVIRONMENT "${XSIRT_TEST_ENV}")
    if(backend STREQUAL postgres)
      set_tests_properties(e2e_${name}_${backend} PROPERTIES FIXTURES_REQUIRED pg)
    endif()
  endforeach()
endfunction()
xsirt_e2e_test(api api.py)
xsirt_e2e_test(openapi openapi.py)
xsirt_e2e_test(crash crash.py)
xsirt_e2e_test(audit_cli audit_cli.py)
xsirt_e2e_test(edge edge.py)
xsirt_e2e_test(reports reports.py)
xsirt_e2e_test(profile profile.py)
xsirt_e2e_test(readiness readiness.py)
# nginx with the configuration of docs/operations.md in front of the server.
add_test(NAME e2e_tls_proxy_sqlite
         COMMAND ${XSIRT_PYTHON} ${CMAKE_SOURCE_DIR}/tests/server/tls_proxy.py sqlite)
set_tests_properties(e2e_tls_proxy_sqlite PROPERTIES LABELS "e2e;nginx" SKIP_RETURN_CODE 77
                     ENVIRONMENT "${XSIRT_TEST_ENV}")
xsirt_e2e_test(security security.py)
xsirt_e2e_test(permissions permissions.py)
add_test(NAME e2e_db_restart_postgres
         COMMAND ${XSIRT_PYTHON} ${CMAKE_SOURCE_DIR}/tests/server/db_restart.py postgres)
set_tests_properties(e2e_db_restart_postgres PROPERTIES LABELS e2e FIXTURES_REQUIRED pg
                     RUN_SERIAL TRUE ENVIRONMENT "${XSIRT_TEST_ENV}")
xsirt_e2e_test(portfolio portfolio.py)
xsirt_e2e_test(advisories advisories.py)
xsirt_e2e_test(feeds feeds.py)
# Two servers with their own data directories on one PostgreSQL database.
add_test(NAME e2e_feeds_servers_postgres
         COMMAND ${XSIRT_PYTHON} ${CMAKE_SOURCE_DIR}/tests/server/feeds_servers.py postgres)
set_tests_properties(e2e_feeds_servers_postgres PROPERTIES LABELS e2e FIXTURES_REQUIRED pg
                     ENVIRONMENT "${XSIRT_TEST_ENV}")

# The readiness questionnaire's figures are the seed's (JPCERT/CC survey).
file(GLOB XSIRT_SURVEY_SEED ${XSIRT_SHARED_DATA}/../seeds/004_*.txt)
if(XSIRT_SURVEY_SEED)
  add_test(NAME readiness_seed
           COMMAND ${XSIRT_PYTHON} ${CMAKE_SOURCE_DIR}/tests/readiness_seed.py
                   ${CMAKE_SOURCE_DIR}/data/readiness/csirt-survey.json ${XSIRT_SURVEY_SEED})
  set_tests_properties(readiness_seed PROPERTIES LABELS readiness)
endif()
xsirt_e2e_test(notify notify.py)
# The webhook guard: SQLite only (it checks the delivery path, not the store).
add_test(NAME e2e_notify_guard_sqlite
         COMMAND ${XSIRT_PYTHON} ${CMAKE_SOURCE_DIR}/tests/server/notify_guard.py sqlite)
set_tests_properties(e2e_notify_guard_sqlite PROPERTIES LABELS e2e ENVIRONMENT "${XSIRT_TEST_ENV}")
xsirt_e2e_test(intake intake.py)
xsirt_e2e_test(coordination coordination.py)
xsirt_e2e_test(mail mail.py)
xsirt_e2e_test(reminders reminders.py)
xsirt_e2e_test(orgkey orgkey.py)
xsirt_e2e_test(feeds_all feeds_all.py)
xsirt_e2e_test(rematch_diff rematch_diff.py)
# Online backup while clients write, restore with the audit check; on
# PostgreSQL the pg_dump/pg_restore procedure of docs/operations.md.
xsirt_e2e_test(backup backup.py)
