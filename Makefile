# Makefile — the two commands of the README, and a few conveniences.
#   make demo    install, build, and run xsirt on ./demo-data
#   make check   install, build, check the binaries' hardening, and run every
#                test (CTest)
#   make asan    the whole suite under AddressSanitizer + UndefinedBehaviorSanitizer
#   make fuzz    build the libFuzzer targets with clang (build-fuzz/)
#   make bench   build and run the benchmarks (see docs/performance.md)
#   make deb     the Debian package in build-deb/ (debian/, lintian; docs/operations.md)
#   make deb-test  install it into a fresh Debian root and run the service there
BUILD    ?= build
JOBS     ?= $(shell nproc 2>/dev/null || echo 2)
# Tests at once: one more than the cores. Many end-to-end tests spend most of
# their time waiting (on a server, a browser, a deadline they test), so with
# one test per core the cores sit idle about half the suite (measured: 447 s of
# CPU in a 621 s run on 2 cores). The tests measure no time against a
# threshold, and they pass with the machine loaded far more (CONTRIBUTING.md).
TEST_JOBS ?= $(shell echo $$(( $$(nproc 2>/dev/null || echo 2) + 1 )))
CTESTFLAGS ?= --output-on-failure
# Warnings are errors in development and CI (every target here); a plain
# `cmake` build (a packager's) leaves them warnings: XSIRT_WERROR is OFF.
WERROR   ?= ON

.PHONY: all setup build demo check check-slow asan fuzz bench deb deb-test clean

all: build

setup:
	@scripts/setup

# The development and CI build is the one a distribution makes: build type
# None with Debian's flags (dpkg-buildflags, every hardening feature on:
# _FORTIFY_SOURCE, stack protector, RELRO, BIND_NOW, PIE), so that a warning
# or a fortify abort a packager would meet shows up in every test run. It was
# a RelWithDebInfo build with a second, hardened build and suite beside it in
# CI: the same -O2 code twice, 600 s of CI's 30 minutes (session 8).
build:
	JOBS=$(JOBS) scripts/hardened-build $(BUILD) $(WERROR)

demo: setup build
	@scripts/demo $(BUILD)/xsirt demo-data

check: setup build
	scripts/check-hardening $(BUILD)/xsirt $(BUILD)/xsirt-server
	cd $(BUILD) && ctest -j $(TEST_JOBS) -LE 'slow|package' $(CTESTFLAGS)

# The slow tier (label slow: the metrics at 100,000 cases and 1,000,000
# findings), minutes on 2 cores: kept out of CI's 30 (CONTRIBUTING.md).
check-slow: setup build
	cd $(BUILD) && ctest -j $(TEST_JOBS) -L slow $(CTESTFLAGS)

# The slow tier (CTest label slow) is left out here as in make check: the
# same tests run there at their default size.
asan: setup
	cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_COMPILER=clang \
	      -DXSIRT_SANITIZE=ON -DXSIRT_WERROR=$(WERROR) >/dev/null
	cmake --build build-asan -j $(JOBS)
	cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	  LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest -j $(TEST_JOBS) -LE 'slow|package' $(CTESTFLAGS)

fuzz: setup
	cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang \
	      -DXSIRT_FUZZ=ON -DXSIRT_TESTS=OFF >/dev/null
	cmake --build build-fuzz -j $(JOBS)

bench: build
	@scripts/bench $(BUILD)

deb: setup
	packaging/build-deb build-deb

# The package installed into a fresh Debian root (tests/package/install.sh;
# also CTest's package_install, label "package", which make check leaves out).
deb-test: deb
	sh tests/package/install.sh build-deb

clean:
	rm -rf $(BUILD) build-asan build-fuzz build-deb
