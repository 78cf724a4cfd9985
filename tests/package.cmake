# The Debian package (label "package"): built from this tree with
# packaging/build-deb (debhelper, lintian without error) into build/deb,
# then installed into a fresh Debian root by tests/package/install.sh,
# which runs xsirt init and the service's serve as its user and purges it.
# Slow (a package build, debootstrap and an apt install: 530 s on a
# loaded 2-core machine, 2026-12-05): make check and make asan leave
# it out (-LE package); run it by hand with `make deb-test` or
# `ctest -L package`, before a release. Skipped
# (77) without root or debootstrap.
add_test(NAME package_install
         COMMAND sh -c "${CMAKE_SOURCE_DIR}/packaging/build-deb ${CMAKE_BINARY_DIR}/deb && sh ${CMAKE_SOURCE_DIR}/tests/package/install.sh ${CMAKE_BINARY_DIR}/deb")
set_tests_properties(package_install PROPERTIES LABELS package SKIP_RETURN_CODE 77
                     RUN_SERIAL TRUE ENVIRONMENT "${XSIRT_TEST_ENV}")
