# Makefile — the two commands of the README, and a few conveniences.
#   make demo    install, build, and run xsirt on ./demo-data
#   make check   install, build, and run every test (CTest)
#   make asan    the whole suite under AddressSanitizer + UndefinedBehaviorSanitizer
#   make hardened  build with Debian's hardening flags (dpkg-buildflags) in
#                build-hardened/, check the binary, run the suite on it
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

.PHONY: all setup build demo check asan hardened fuzz bench deb deb-test clean

all: build

setup:
	@scripts/setup

build:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DXSIRT_WERROR=$(WERROR) >/dev/null
	cmake --build $(BUILD) -j $(JOBS)

demo: setup build
	@scripts/demo $(BUILD)/xsirt demo-data

check: setup build
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

# Debian's flags as a package build gets them (debhelper: build type None,
# the flags from dpkg-buildflags with every hardening feature), so that a
# warning or a fortify abort a distribution would meet shows up here first.
hardened: setup
	JOBS=$(JOBS) scripts/hardened-build build-hardened $(WERROR)
	scripts/check-hardening build-hardened/xsirt build-hardened/xsirt-server
	# The differential CVSS test checks agreement, which make check does in
	# full (100,000 vectors a version); here it checks the hardened build.
	# The slow tier (label slow) runs in make check-slow only; the same
	# test runs here at its default size.
	cd build-hardened && XSIRT_CVSS_COUNT=10000 ctest -j $(TEST_JOBS) -LE 'slow|package' $(CTESTFLAGS) $(HARDENED_CTESTFLAGS)

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
	rm -rf $(BUILD) build-asan build-hardened build-fuzz build-deb
