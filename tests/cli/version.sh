#!/bin/sh
# version.sh — `xsirt version`: compare (one pair and --batch), sort and
# schemes, with their exit codes and error messages. Uses only the deb,
# rpm and apk schemes and never the full list, so it holds whatever other
# schemes are registered.
set -u
. "$XSIRT_SOURCE_DIR/tests/lib.sh"
X=$XSIRT

# compare: -1, 0, 1
expect_stdout 1 "$X" version compare deb 1:1.0 2.0
expect_stdout -1 "$X" version compare deb 1.0~rc1 1.0
expect_stdout 0 "$X" version compare deb 1.0 1.0-0
expect_stdout 1 "$X" version compare rpm 1.0^git1 1.0
expect_stdout -1 "$X" version compare apk 1.0_rc1 1.0
expect_stdout -1 "$X" version compare apk 1.0-r1 1.0_p1
# OSV ecosystem names and aliases name schemes too.
expect_stdout 1 "$X" version compare Debian:12 1:1.0 2.0
expect_stdout -1 "$X" version compare Alpine:v3.19 1.0 1.0-r1
expect_stdout 0 "$X" version compare "Red Hat" 1.0 1.0
expect_stdout 1 "$X" version compare debian 1.1 1.0
# '--' lets a version start with '-'.
expect_exit 2 "$X" version compare deb -- -1 1.0
expect_stderr_match 'invalid deb version "-1": upstream version is empty' \
    "$X" version compare deb -- -1 1.0

# A version that does not parse: exit 2, the message names it.
expect_exit 2 "$X" version compare deb 1.0 1:
expect_stderr_match '^xsirt: invalid deb version "1:": nothing after colon' \
    "$X" version compare deb 1.0 1:
expect_stdout '' "$X" version compare deb 1.0 1:
# Unknown scheme: exit 2, the known schemes are listed.
expect_exit 2 "$X" version compare no-such-scheme 1 2
expect_stderr_match "unknown version scheme 'no-such-scheme' \(known: .*deb.*rpm.*apk" \
    "$X" version compare no-such-scheme 1 2
# Usage errors.
expect_exit 2 "$X" version compare deb 1.0
expect_exit 2 "$X" version compare
expect_exit 2 "$X" version compare deb 1 2 3
expect_exit 2 "$X" version compare deb --batch extra
expect_exit 2 "$X" version compare deb --bogus 1 2
expect_exit 2 "$X" version
expect_exit 2 "$X" version no-such-subcommand

# --batch: one line out per line in, errors included, exit 0.
expect_stdout "$(printf '1\n-1\nerror: the second version: invalid deb version "1:": nothing after colon in version number\nerror: expected A<TAB>B\n0')" \
    sh -c "printf '1:1.0\t2.0\n1.0~rc1\t1.0\n1.0\t1:\nno tab\n1.0\t1.0-0' | \"\$0\" version compare deb --batch" "$X"
expect_exit 0 sh -c "printf 'x\ty\n' | \"\$0\" version compare deb --batch" "$X"
expect_stdout "" sh -c "\"\$0\" version compare deb --batch </dev/null" "$X"
expect_exit 2 sh -c "printf '1\t2\n' | \"\$0\" version compare nope --batch" "$X"

# sort: ascending and stable ("1.0" and "1.0-0" are equal for dpkg).
expect_stdout "$(printf '1.0~rc1\n1.0\n1.0-0\n1.0-1\n1:0.1')" \
    sh -c "printf '1:0.1\n1.0\n1.0-1\n1.0~rc1\n1.0-0\n' | \"\$0\" version sort deb" "$X"
expect_stdout "$(printf '1.0-0\n1.0\n')" \
    sh -c "printf '1.0-0\n1.0\n' | \"\$0\" version sort deb" "$X"
expect_stdout "$(printf '1.0_alpha\n1.0_rc1\n1.0\n1.0-r1\n1.0_p1')" \
    sh -c "printf '1.0_p1\n1.0\n1.0-r1\n1.0_rc1\n1.0_alpha\n' | \"\$0\" version sort apk" "$X"
expect_stdout "" sh -c "\"\$0\" version sort deb </dev/null" "$X"
# An invalid version: exit 2, the line is named.
expect_exit 2 sh -c "printf '1.0\n2.0\n1:\n' | \"\$0\" version sort deb" "$X"
expect_stderr_match '^xsirt: <stdin>:3: invalid deb version "1:"' \
    sh -c "printf '1.0\n2.0\n1:\n' | \"\$0\" version sort deb" "$X"
expect_stdout "" sh -c "printf '1.0\n2.0\n1:\n' | \"\$0\" version sort deb" "$X"
expect_exit 2 "$X" version sort
expect_exit 2 "$X" version sort no-such-scheme

# schemes: one line each, with the OSV ecosystems that map to it.
expect_exit 0 "$X" version schemes
expect_stdout_match '^deb	(.*, )?Debian(, .*)?$' "$X" version schemes
expect_stdout_match '^apk	(.*, )?Alpine(, .*)?$' "$X" version schemes
expect_stdout_match '^rpm	(.*, )?Red Hat(, .*)?$' "$X" version schemes
expect_exit 2 "$X" version schemes extra

# Help.
expect_stdout_match '^Usage: xsirt version compare SCHEME A B' "$X" version --help
expect_stdout_match '^Usage: xsirt version compare SCHEME A B' "$X" help version
finish
