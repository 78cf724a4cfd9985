#!/bin/sh
# cli.sh — `xsirt db` and `xsirt scan` end to end: exit codes (--fail-on,
# --strict), error messages naming the file and place, atomic output,
# formats, and db build over all of the shared data.
set -u
. "$XSIRT_SOURCE_DIR/tests/lib.sh"

D="$XSIRT_SOURCE_DIR/tests/match/data"
T=$(mktemp -d)
trap 'rm -rf "$T" "$_tmp"' EXIT
IDX="$T/t.idx"

"$XSIRT" db build -q -o "$IDX" "$D" 2>/dev/null
expect_exit 0 "$XSIRT" db info "$IDX"
expect_stdout_match '^records: +12 ' "$XSIRT" db info "$IDX"
expect_stdout_match '"withdrawn":1' "$XSIRT" db info --json "$IDX"
expect_stdout_match '"osv-json":11' "$XSIRT" db info --json "$IDX"
expect_exit 0 "$XSIRT" db show "$IDX" CVE-2021-44228
expect_stdout_match 'XSIRT-TEST-LOG4J-1' "$XSIRT" db show "$IDX" CVE-2021-44228
expect_exit 1 "$XSIRT" db show "$IDX" CVE-1999-0000

# Non-intelligence files: a warning and a count; --strict: exit 2 naming the file.
expect_exit 0 "$XSIRT" db build -o "$T/a.idx" "$D"
expect_stderr_match 'warning: .*README.md: skipped: not vulnerability intelligence' \
    "$XSIRT" db build -o "$T/a.idx" "$D"
expect_stderr_match '1 skipped \(not intelligence\), 0 bad' "$XSIRT" db build -o "$T/a.idx" "$D"
expect_exit 2 "$XSIRT" db build --strict -o "$T/s.idx" "$D"
expect_stderr_match 'README.md: not vulnerability intelligence' \
    "$XSIRT" db build --strict -o "$T/s.idx" "$D"
if [ -e "$T/s.idx" ] || [ -e "$T/s.idx.tmp" ]; then _fail "--strict left an index"; else passed=$((passed + 1)); fi

# A bad record: named with its place; counted; fatal only with --strict.
mkdir "$T/bad"
printf '{"id":"X-1","modified":"2024-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"PyPI","name":7}}]}' \
    > "$T/bad/bad.json"
cp "$D/npm-lodash.json" "$T/bad/"
expect_exit 0 "$XSIRT" db build -o "$T/b.idx" "$T/bad"
expect_stderr_match 'bad.json: /affected/0/package/name: ' "$XSIRT" db build -o "$T/b.idx" "$T/bad"
expect_stderr_match '1 bad$' "$XSIRT" db build -o "$T/b.idx" "$T/bad"
expect_exit 2 "$XSIRT" db build --strict -o "$T/b2.idx" "$T/bad"
printf '{"id": "X-2", "modified": ' > "$T/trunc.json"
expect_stderr_match 'trunc.json:1:[0-9]+: ' "$XSIRT" db build -o "$T/c.idx" "$T/trunc.json"

# Archives: a zip of records indexes like the records.
if command -v "$XSIRT_PYTHON" >/dev/null; then
    "$XSIRT_PYTHON" -c "import sys,zipfile,glob,os
z=zipfile.ZipFile(sys.argv[1],'w',zipfile.ZIP_DEFLATED)
[z.write(f,os.path.basename(f)) for f in glob.glob(sys.argv[2]+'/*.json')]" "$T/d.zip" "$D"
    expect_stderr_match 'indexed 12 records from 13 files' "$XSIRT" db build -o "$T/z.idx" "$T/d.zip"
    # A zip bomb (80 MiB in 80 KiB): stopped at the entry limit, named, counted.
    "$XSIRT_PYTHON" -c "import sys,zipfile
z=zipfile.ZipFile(sys.argv[1],'w',zipfile.ZIP_DEFLATED)
z.writestr('big.json', b'{\"id\":\"X\",\"modified\":\"' + b'a'*(80<<20) + b'\"}')" "$T/bomb.zip"
    expect_stderr_match 'bomb.zip: archive entry 1 "big.json" declares [0-9]+ bytes, more than [0-9]+ \(XSIRT_LIMIT_ARCHIVE_ENTRY\)' \
        "$XSIRT" db build -o "$T/bomb.idx" "$T/bomb.zip"
    expect_exit 2 "$XSIRT" db build --strict -o "$T/bomb.idx" "$T/bomb.zip"
fi

# Usage errors.
expect_exit 2 "$XSIRT" db build "$D"
expect_exit 2 "$XSIRT" db build -o "$T/x.idx"
expect_exit 2 "$XSIRT" db build -o "$T/x.idx" "$T/no-such-dir"
expect_exit 2 "$XSIRT" db nope

# A corrupted or foreign index is refused with a clear message.
printf 'not an index' > "$T/junk.idx"
expect_exit 2 "$XSIRT" db info "$T/junk.idx"
expect_stderr_match 'junk.idx: not a valid xsirt index' "$XSIRT" db info "$T/junk.idx"
head -c 200 "$IDX" > "$T/short.idx"
expect_stderr_match 'short.idx: not a valid xsirt index: truncated' "$XSIRT" db info "$T/short.idx"

# Scan: exit codes with --fail-on.
cat > "$T/bom.json" <<'BOM'
{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,"components":[
{"type":"library","bom-ref":"log4j","name":"log4j-core","version":"2.14.1","purl":"pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"},
{"type":"library","bom-ref":"lodash","name":"lodash","version":"4.17.20","purl":"pkg:npm/lodash@4.17.20"}]}
BOM
cat > "$T/clean.json" <<'BOM'
{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,"components":[
{"type":"library","bom-ref":"lodash","name":"lodash","version":"4.17.21","purl":"pkg:npm/lodash@4.17.21"}]}
BOM
cat > "$T/unrated.json" <<'BOM'
{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,"components":[
{"type":"library","bom-ref":"lodash","name":"lodash","version":"4.17.20","purl":"pkg:npm/lodash@4.17.20"}]}
BOM
expect_exit 0 "$XSIRT" scan --db "$IDX" "$T/bom.json"
expect_exit 1 "$XSIRT" scan --db "$IDX" --fail-on critical "$T/bom.json"
expect_exit 1 "$XSIRT" scan --db "$IDX" --fail-on HIGH "$T/bom.json"
expect_exit 0 "$XSIRT" scan --db "$IDX" --fail-on critical "$T/clean.json"
expect_exit 0 "$XSIRT" scan --db "$IDX" --fail-on none "$T/clean.json"
expect_exit 0 "$XSIRT" scan --db "$IDX" --fail-on low "$T/unrated.json"
expect_exit 1 "$XSIRT" scan --db "$IDX" --fail-on none "$T/unrated.json"
expect_exit 1 "$XSIRT" scan --db "$IDX" --fail-on critical "$T/clean.json" "$T/bom.json"
# Several SBOMs in one run (each read with jansson's tree in an arena
# given back after it, the last one's findings left to the exit): the
# tables are those of one run per SBOM, in order.
"$XSIRT" scan --db "$IDX" "$T/bom.json" > "$T/each.txt"
"$XSIRT" scan --db "$IDX" "$T/unrated.json" >> "$T/each.txt"
"$XSIRT" scan --db "$IDX" "$T/bom.json" >> "$T/each.txt"
"$XSIRT" scan --db "$IDX" "$T/bom.json" "$T/unrated.json" "$T/bom.json" > "$T/all.txt"
if grep -q XSIRT-TEST-LOG4J-1 "$T/all.txt" && cmp -s "$T/each.txt" "$T/all.txt"; then
    passed=$((passed + 1))
else
    _fail "scan of three SBOMs in one run differs from three runs"
fi
expect_exit 2 "$XSIRT" scan --db "$IDX" --fail-on severe "$T/bom.json"
expect_stderr_match "fail-on 'severe'" "$XSIRT" scan --db "$IDX" --fail-on severe "$T/bom.json"

# Output: table by default, json on request, unknown formats listed.
expect_stdout_match '^  XSIRT-TEST-LOG4J-1 +critical +10\.0  KEV  0\.976' "$XSIRT" scan --db "$IDX" "$T/bom.json"
expect_stdout_match '^1 finding .*0 suppressed' "$XSIRT" scan --db "$IDX" "$T/unrated.json"
expect_stdout_match '"matchedBy": "purl"' "$XSIRT" scan --db "$IDX" --format json "$T/bom.json"
expect_stdout_match '"range": "vers:maven/>=2.0-beta9\|<2.15.0"' \
    "$XSIRT" scan --db "$IDX" --format json "$T/bom.json"
expect_stdout_match '"baseScore": 10' "$XSIRT" scan --db "$IDX" --format json "$T/bom.json"
# json version 2 (default): the vulnerability named by id, described once;
# version 1 on request: the whole record in the finding, no version member.
expect_stdout_match '^  "version": 2,' "$XSIRT" scan --db "$IDX" --format json "$T/bom.json"
expect_stdout_match '"vulnerability": "XSIRT-TEST-LOG4J-1"' \
    "$XSIRT" scan --db "$IDX" --format json "$T/bom.json"
expect_stdout_match '^    "XSIRT-TEST-LOG4J-1": \{' "$XSIRT" scan --db "$IDX" --format json "$T/bom.json"
expect_stdout_match '"vulnerability": \{' "$XSIRT" scan --db "$IDX" --format json --json-version 1 "$T/bom.json"
expect_stdout_match '"baseScore": 10' "$XSIRT" scan --db "$IDX" --format json --json-version 1 "$T/bom.json"
"$XSIRT" scan --db "$IDX" --format json --json-version 1 "$T/bom.json" > "$T/v1.json"
"$XSIRT" scan --db "$IDX" --format json "$T/bom.json" > "$T/v2.json"
if "$XSIRT_PYTHON" - "$T/v1.json" "$T/v2.json" <<'PY'
import json, sys
v1, v2 = (json.load(open(p)) for p in sys.argv[1:])
# The same findings either way: v2 resolved equals v1.
for f in v2["findings"]:
    f["vulnerability"] = v2["vulnerabilities"][f["vulnerability"]]
ok = "version" not in v1 and v2["version"] == 2 and v1["findings"] == v2["findings"] \
    and v1["stats"] == v2["stats"] and len(v2["vulnerabilities"]) > 0
sys.exit(0 if ok else 1)
PY
then passed=$((passed + 1)); else _fail "json version 1 and version 2 hold the same findings"; fi
expect_exit 2 "$XSIRT" scan --db "$IDX" --format json --json-version 3 "$T/bom.json"
expect_stderr_match "json-version '3'" "$XSIRT" scan --db "$IDX" --format json --json-version 3 "$T/bom.json"
expect_exit 2 "$XSIRT" scan --db "$IDX" --format xml "$T/bom.json"
expect_stderr_match "unknown format 'xml' \(known: table json" \
    "$XSIRT" scan --db "$IDX" --format xml "$T/bom.json"

# Bad input: file named, with the place.
printf '{"bomFormat":"CycloneDX","specVersion":"1.5","components":[{"name":}]}' > "$T/broken.json"
expect_exit 2 "$XSIRT" scan --db "$IDX" "$T/broken.json"
expect_stderr_match 'broken.json:1:[0-9]+: ' "$XSIRT" scan --db "$IDX" "$T/broken.json"
expect_exit 2 "$XSIRT" scan --db "$IDX" "$T/missing.json"
expect_stderr_match 'missing.json: cannot open' "$XSIRT" scan --db "$IDX" "$T/missing.json"
expect_exit 2 "$XSIRT" scan --db "$T/junk.idx" "$T/bom.json"
expect_exit 2 "$XSIRT" scan "$T/bom.json"
expect_exit 2 "$XSIRT" scan --db "$IDX"

# All of the shared data: intelligence indexed, the rest skipped and counted;
# --strict stops at the first file that is not intelligence, naming it.
S="$XSIRT_SHARED_DATA"
expect_exit 0 "$XSIRT" db build -q -o "$T/all.idx" "$S"
expect_stderr_match '^xsirt: indexed [0-9]+ records from [0-9]+ files .*; [1-9][0-9]* skipped \(not intelligence\), [0-9]+ bad$' \
    "$XSIRT" db build -q -o "$T/all.idx" "$S"
expect_stdout_match '"csaf":[1-9]' "$XSIRT" db info --json "$T/all.idx"
expect_exit 2 "$XSIRT" db build -q --strict -o "$T/all2.idx" "$S"
expect_stderr_match "^xsirt: $S/[^:]+: not vulnerability intelligence" \
    "$XSIRT" db build -q --strict -o "$T/all2.idx" "$S"
# The report formats: SARIF for CI, the SBOM with its vulnerabilities
# (CycloneDX), OpenVEX; each names the findings of the scan.
for fmt in sarif cyclonedx openvex; do
    "$XSIRT" scan --db "$IDX" --format "$fmt" "$T/bom.json" > "$T/out.$fmt"
    if "$XSIRT_PYTHON" - "$fmt" "$T/out.$fmt" <<'PY'
import json, sys
fmt, path = sys.argv[1:]
d = json.load(open(path))
text = json.dumps(d)
ok = {"sarif": d.get("version") == "2.1.0" and len(d["runs"][0]["results"]) > 0,
      "cyclonedx": d.get("bomFormat") == "CycloneDX" and len(d.get("vulnerabilities", [])) > 0,
      "openvex": d.get("@context", "").startswith("https://openvex.dev/ns") and len(d["statements"]) > 0}[fmt]
sys.exit(0 if ok and "XSIRT-TEST-LOG4J-1" in text and "log4j-core" in text else 1)
PY
    then passed=$((passed + 1)); else _fail "scan --format $fmt"; fi
done
expect_exit 2 "$XSIRT" scan --db "$IDX" --format html "$T/bom.json"
expect_stderr_match "known: table json sarif cyclonedx openvex" "$XSIRT" scan --db "$IDX" --format html "$T/bom.json"

finish
