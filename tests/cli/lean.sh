#!/bin/sh
# lean.sh — the two programs (docs/architecture.md, "A lean command"):
# `xsirt` links none of the server side's libraries, runs the server-side
# commands by executing xsirt-server (same output, same exit status), and
# still runs its own commands when xsirt-server cannot be found.
. "$XSIRT_SOURCE_DIR/tests/lib.sh"
dir=$(dirname "$XSIRT")
SERVER="$dir/xsirt-server"
T=$(mktemp -d)
trap 'rm -rf "$T" "$_tmp"' EXIT

# No server-side library among the lean program's dependencies: a command
# that pulls one in must be XSIRT_CLI_SERVER_COMMAND in commands.def.
readelf -dW "$XSIRT" | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p' > "$T/needed"
for lib in libsqlite3 libpq libsodium libmicrohttpd libarchive libxml2 libicu libcurl libcairo libpango; do
    if grep -q "^$lib" "$T/needed"; then
        failed=$((failed + 1)); echo "FAIL: xsirt links $lib (mark its command XSIRT_CLI_SERVER_COMMAND)"
    else
        passed=$((passed + 1))
    fi
done
expect_exit 0 test -x "$SERVER"

# The overview and the help of server-side commands come from xsirt-server.
"$XSIRT" --help > "$T/help.lean"
"$SERVER" --help > "$T/help.full"
expect_exit 0 cmp "$T/help.lean" "$T/help.full"
expect_stdout_match '^  serve ' "$XSIRT" --help
expect_stdout_match '^  scan ' "$XSIRT" help
for cmd in init serve audit db token sbom feeds; do
    "$XSIRT" help "$cmd" > "$T/h1"; "$SERVER" help "$cmd" > "$T/h2"
    expect_exit 0 cmp "$T/h1" "$T/h2"
    expect_stdout_match '^Usage: xsirt ' "$XSIRT" "$cmd" --help
done
# Same exit status and messages through the exec.
expect_exit 2 "$XSIRT" db
expect_stderr_match "^xsirt: db: missing subcommand" "$XSIRT" db
expect_exit 2 "$XSIRT" serve --no-such-option
expect_exit 2 "$XSIRT" audit --no-such-option

# Alone (no xsirt-server beside it nor installed): its own commands work,
# a server-side one says what it could not run.
cp "$XSIRT" "$T/xsirt"
expect_exit 0 "$T/xsirt" --version
expect_stdout_match '^-1$' "$T/xsirt" version compare semver 1.0.0 2.0.0
expect_exit 3 "$T/xsirt" serve --data "$T/d"
expect_stderr_match '^xsirt: serve: cannot run .*xsirt-server' "$T/xsirt" serve --data "$T/d"
finish
