# test_costs.cmake — the order a parallel CTest run starts tests in.
# CTest starts the highest COST first when the build directory has no
# costs it measured itself (CI's clean clone never has): without these it
# went by test number, and the three browser tests ran last, nearly alone,
# for about 200 s of each suite (tests/ui.cmake says why they could not
# start earlier). Longest first, they run beside the many short tests
# instead. Seconds from the sanitizer suite (session 8, 2 cores), the
# tests of 12 s or more; pg_start first of all, since every PostgreSQL
# test waits for it.
set(XSIRT_TEST_COSTS
    pg_start=1000 ui_e2e=111 e2e_security_postgres=74 cvss_differential=65
    e2e_security_sqlite=62 e2e_edge_postgres=59 e2e_edge_sqlite=57 match_cli=55
    ui_e2e_disclosure=49 ui_e2e_reports=48 store_test_metrics_scale_sqlite=48
    store_test_metrics_postgres=46 e2e_permissions_postgres=46 e2e_feeds_postgres=46
    e2e_portfolio_postgres=44 fuzz_replay_csaf=43 e2e_feeds_sqlite=42
    store_test_metrics_sqlite=40 e2e_permissions_sqlite=38 ics_oracle=35
    csaf_validate_cisa=33 e2e_portfolio_sqlite=32 csaf_validate_mutants=29
    e2e_mail_postgres=27 match_generated=25 store_test_metrics_scale_postgres=24
    e2e_feeds_all_postgres=24 e2e_advisories_postgres=24 cli_frame=24
    e2e_advisories_sqlite=23 store_test_case_postgres=22 e2e_rematch_diff_postgres=21
    e2e_mail_sqlite=21 e2e_notify_postgres=20 vuln_csaf_cisa=19 e2e_reminders_postgres=18
    e2e_crash_postgres=18 vers_native_diff_pypi=16 e2e_reminders_sqlite=16
    e2e_rematch_diff_sqlite=16 e2e_feeds_all_sqlite=16 e2e_notify_sqlite=15
    fuzz_replay_csaf_validate=13 e2e_crash_sqlite=13 e2e_backup_postgres=13
    csaf_validate_oasis=12)
# Called at the end of each directory that adds tests (a test's properties
# can be set only in the directory that added it, before CMake 3.28).
function(xsirt_test_costs)
  foreach(pair ${XSIRT_TEST_COSTS})
    string(REPLACE "=" ";" kv ${pair})
    list(GET kv 0 name)
    list(GET kv 1 cost)
    if(TEST ${name})
      set_tests_properties(${name} PROPERTIES COST ${cost})
    endif()
  endforeach()
endfunction()
