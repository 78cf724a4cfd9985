#!/bin/sh
# csaf.sh — `xsirt csaf validate`: one JSON object per file, failures with
# test number, kind, path and message; exit 0 valid, 1 a schema or
# mandatory failure, 2 an unreadable or non-JSON file (the worst wins);
# --list-tests, --no-optional, usage errors.
set -u
. "$XSIRT_SOURCE_DIR/tests/lib.sh"

S="$XSIRT_SHARED_DATA/csaf/oasis-2.0/test/validator/data"
good="$S/mandatory/oasis_csaf_tc-csaf_2_0-2021-6-1-01-11.json"
bad="$S/mandatory/oasis_csaf_tc-csaf_2_0-2021-6-1-01-01.json"
cycle="$S/mandatory/oasis_csaf_tc-csaf_2_0-2021-6-1-03-01.json"
schema_bad="$S/mandatory/oasis_csaf_tc-csaf_2_0-2021-6-1-08-01.json"

expect_exit 0 "$XSIRT" csaf validate "$good"
expect_stdout_match '^\{"file":"[^"]*6-1-01-11.json","valid":true,"failures":\[' "$XSIRT" csaf validate "$good"
expect_exit 1 "$XSIRT" csaf validate "$bad"
expect_stdout_match '"valid":false,"failures":\[\{"test":"6.1.1","kind":"mandatory","path":"/product_tree/product_groups/0/product_ids/0","message":"definition of product id missing"\}' \
    "$XSIRT" csaf validate "$bad"
expect_stdout_match '"test":"6.1.3","kind":"mandatory","path":"/product_tree/relationships/0/relates_to_product_reference","message":"circular reference"' \
    "$XSIRT" csaf validate "$cycle"
expect_stdout_match '"test":"6.1.8","kind":"mandatory","path":"/vulnerabilities/0/scores/0/cvss_v3"' \
    "$XSIRT" csaf validate "$schema_bad"

# An extra member: a schema failure (closed objects) and the 6.2.20 warning.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sed 's/"document": {/"document": {"x_extra": 1,/' "$good" > "$tmp/extra.json"
expect_exit 1 "$XSIRT" csaf validate "$tmp/extra.json"
expect_stdout_match '"test":"schema","kind":"schema","path":"/document","message":"must NOT have additional properties \(.x_extra.\)"' \
    "$XSIRT" csaf validate "$tmp/extra.json"
expect_stdout_match '"test":"6.2.20","kind":"optional","path":"/document"' \
    "$XSIRT" csaf validate "$tmp/extra.json"

# Optional failures only warn: the suite's 6.2.10 example lacks a TLP label.
opt="$S/optional/oasis_csaf_tc-csaf_2_0-2021-6-2-10-01.json"
expect_exit 0 "$XSIRT" csaf validate "$opt"
expect_stdout_match '"valid":true.*"test":"6.2.10","kind":"optional"' "$XSIRT" csaf validate "$opt"
expect_stdout_match '"valid":true,"failures":\[\]' "$XSIRT" csaf validate --no-optional "$opt"

# Unreadable input: exit 2, the file named on stderr, an "error" line.
printf '{"document": ' > "$tmp/broken.json"
expect_exit 2 "$XSIRT" csaf validate "$tmp/broken.json"
expect_stderr_match 'broken.json:1:[0-9]+: ' "$XSIRT" csaf validate "$tmp/broken.json"
expect_stdout_match '^\{"file":"[^"]*broken.json","error":"1:[0-9]+: ' "$XSIRT" csaf validate "$tmp/broken.json"
expect_exit 2 "$XSIRT" csaf validate "$tmp/missing.json"
expect_stderr_match 'missing.json' "$XSIRT" csaf validate "$tmp/missing.json"
python3 -c 'print("[" * 100 + "]" * 100)' > "$tmp/deep.json"
expect_exit 2 "$XSIRT" csaf validate "$tmp/deep.json"
expect_stderr_match 'deeper than 64' "$XSIRT" csaf validate "$tmp/deep.json"
# Not an object: readable, but not CSAF.
echo '[]' > "$tmp/array.json"
expect_exit 1 "$XSIRT" csaf validate "$tmp/array.json"
expect_stdout_match '"test":"schema","kind":"schema","path":"","message":"must be object"' \
    "$XSIRT" csaf validate "$tmp/array.json"

# Several files: one line each, in order; the worst status wins.
expect_exit 1 "$XSIRT" csaf validate "$good" "$bad"
expect_exit 2 "$XSIRT" csaf validate "$bad" "$tmp/broken.json" "$good"
_run "$XSIRT" csaf validate "$good" "$bad" "$good"
if [ "$(wc -l < "$_tmp/out")" -eq 3 ]; then passed=$((passed + 1)); else _fail "want 3 lines"; fi

expect_stdout_match '^6\.1\.27\.11	mandatory$' "$XSIRT" csaf validate --list-tests
expect_stdout_match '^6\.2\.20	optional$' "$XSIRT" csaf validate --list-tests
expect_stdout_match '^schema	schema$' "$XSIRT" csaf validate --list-tests
expect_exit 2 "$XSIRT" csaf validate
expect_exit 2 "$XSIRT" csaf validate --bogus "$good"
expect_exit 2 "$XSIRT" csaf
expect_stdout_match 'csaf validate' "$XSIRT" help csaf
finish
