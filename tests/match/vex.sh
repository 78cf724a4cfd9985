#!/bin/sh
# vex.sh — `xsirt scan --vex FILE` end to end on a real index of hand-written
# records (tests/match/vex/records): OpenVEX, CycloneDX VEX (JSON and XML),
# CSAF VEX (hand-written, and a real CSAF document of the OASIS examples),
# suppression through an alias, purls without version, annotation,
# the SBOM's own statements, the last statement winning across files,
# --fail-on, every output format, and bad VEX files (exit 2, named).
set -u
. "$XSIRT_SOURCE_DIR/tests/lib.sh"

D="$XSIRT_SOURCE_DIR/tests/match/vex"
BSI="$XSIRT_SHARED_DATA/csaf/oasis-2.0/examples/csaf/bsi-2022-0001.json"
T=$(mktemp -d)
trap 'rm -rf "$T" "$_tmp"' EXIT
IDX="$T/v.idx"
BOM="$D/app.cdx.json"

"$XSIRT" db build -q -o "$IDX" "$D/records" 2>/dev/null
expect_stdout_match '^records: +4 ' "$XSIRT" db info "$IDX"

# expect_json DESCRIPTION FILE PYTHON-EXPRESSION: the expression holds for
# d, the JSON in FILE. F(id)/S(id): the finding / suppressed finding of a
# vulnerability id (None when absent); R(ref)/RS(ref): the same by bom-ref;
# X(o): a VEX object without its "source" (a path).
expect_json() {
    if "$XSIRT_PYTHON" - "$2" "$3" <<'PY' 2>"$T/py.err"
import json, os, sys
sys.path.insert(0, os.path.join(os.environ["XSIRT_SOURCE_DIR"], "tests", "match"))
import report
d = json.load(open(sys.argv[1]))
if "findings" in d:   # a scan's JSON: version 2, references resolved
    d = report.load(json.dumps(d))
def pick(arr, key):
    hits = [f for f in d.get(arr, []) if key(f)]
    return hits[0] if len(hits) == 1 else None
F = lambda i: pick("findings", lambda f: f["vulnerability"]["id"] == i)
S = lambda i: pick("suppressed", lambda f: f["vulnerability"]["id"] == i)
R = lambda r: pick("findings", lambda f: f["component"]["bomRef"] == r)
RS = lambda r: pick("suppressed", lambda f: f["component"]["bomRef"] == r)
X = lambda o: {k: v for k, v in o.items() if k != "source"}
sys.exit(0 if eval(sys.argv[2]) else 1)
PY
    then passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL: $1: $3"
        head -c 600 "$2" | sed 's/^/  json: /'
        echo
        sed 's/^/  python: /' "$T/py.err" | tail -n 3
    fi
}

# scan_json NAME ARGS...: the JSON report of the SBOM with ARGS into $T/NAME.json.
scan_json() {
    name=$1; shift
    "$XSIRT" scan --db "$IDX" --format json "$@" "$BOM" > "$T/$name.json" 2>"$T/$name.err"
}

# Without --vex: the stable shape; the SBOM's own statement (exploitable)
# annotates jackson with the SBOM named as its source.
scan_json base
expect_json "base shape" "$T/base.json" \
    'set(d) == {"version", "findings", "vulnerabilities", "stats"} and len(d["findings"]) == 5 and all(set(f) >= {"component", "vulnerability", "matchedBy", "range"} for f in d["findings"])'
expect_json "base stats" "$T/base.json" \
    'd["stats"]["findings"] == 5 and d["stats"]["suppressed"] == 0 and d["stats"]["annotated"] == 1 and d["stats"]["bySeverity"]["medium"] == 3'
expect_json "SBOM statement annotates" "$T/base.json" \
    'F("GHSA-vx03-xsrt-0003")["vex"]["status"] == "affected" and F("GHSA-vx03-xsrt-0003")["vex"]["format"] == "cyclonedx" and F("GHSA-vx03-xsrt-0003")["vex"]["impact"] == "reachable from the REST API" and F("GHSA-vx03-xsrt-0003")["vex"]["source"].endswith("app.cdx.json") and "suppressedBy" not in F("GHSA-vx03-xsrt-0003")'
expect_json "CPE component in the finding" "$T/base.json" \
    'R("conv-rc2")["component"]["cpe"] == "cpe:/a:csaf-tools:cvrf-csaf-converter:1.0.0-rc2" and R("conv-rc2")["matchedBy"] == "cpe"'

# OpenVEX: the statement names the CVE, the record is a GHSA with that alias;
# its purl has no version (covers 4.17.11); a later statement for
# lodash@9.9.9 does not cover it. flask: not_affected, then affected: the
# later statement of the document wins (annotated).
scan_json ov --vex "$D/openvex-alias.json"
expect_json "openvex: lodash suppressed" "$T/ov.json" \
    'set(d) == {"version", "findings", "vulnerabilities", "stats"} and F("GHSA-vx01-xsrt-0001") is None and d["stats"]["suppressed"] == 1 and d["stats"]["findings"] == 4'
expect_json "openvex: severity counts follow" "$T/ov.json" \
    'd["stats"]["bySeverity"]["high"] == 0 and d["stats"]["bySeverity"]["critical"] == 1 and d["stats"]["annotated"] == 2'
expect_json "openvex: flask annotated" "$T/ov.json" \
    'X(F("PYSEC-2099-2")["vex"]) == {"status": "affected", "action": "Upgrade flask to 2.3.2", "vulnerability": "CVE-2099-1002", "format": "openvex", "document": "https://example.com/vex/alias-1"}'
expect_json "openvex: annotation names the file" "$T/ov.json" \
    'F("PYSEC-2099-2")["vex"]["source"].endswith("tests/match/vex/openvex-alias.json")'
scan_json ovs --vex "$D/openvex-alias.json" --show-suppressed
expect_json "--show-suppressed: which statement and document" "$T/ovs.json" \
    'set(d) == {"version", "findings", "suppressed", "vulnerabilities", "stats"} and S("GHSA-vx01-xsrt-0001")["suppressedBy"]["status"] == "not_affected" and S("GHSA-vx01-xsrt-0001")["suppressedBy"]["justification"] == "vulnerable_code_not_in_execute_path" and S("GHSA-vx01-xsrt-0001")["suppressedBy"]["vulnerability"] == "CVE-2099-1001" and S("GHSA-vx01-xsrt-0001")["suppressedBy"]["document"] == "https://example.com/vex/alias-1" and S("GHSA-vx01-xsrt-0001")["suppressedBy"]["impact"] == "the vulnerable function is never called" and S("GHSA-vx01-xsrt-0001")["suppressedBy"]["source"].endswith("openvex-alias.json")'
expect_json "--show-suppressed: nothing else" "$T/ovs.json" 'len(d["suppressed"]) == 1 and len(d["findings"]) == 4'

# The last statement that applies wins, across files; a later document
# lifts an earlier suppression.
scan_json last1 --vex "$D/openvex-alias.json" --vex "$D/openvex-lift.json"
expect_json "last wins: lifted" "$T/last1.json" \
    'F("GHSA-vx01-xsrt-0001")["vex"]["status"] == "under_investigation" and F("GHSA-vx01-xsrt-0001")["vex"]["source"].endswith("openvex-lift.json") and d["stats"]["suppressed"] == 0 and d["stats"]["findings"] == 5'
scan_json last2 --vex "$D/openvex-lift.json" --vex "$D/openvex-alias.json"
expect_json "last wins: suppressed" "$T/last2.json" \
    'F("GHSA-vx01-xsrt-0001") is None and d["stats"]["suppressed"] == 1'

# CycloneDX VEX JSON: a BOM-link to the SBOM's flask; CycloneDX's
# justification kept beside the OpenVEX one.
scan_json cdx --vex "$D/cdx-vex.json" --show-suppressed
expect_json "cyclonedx json: flask suppressed" "$T/cdx.json" \
    'F("PYSEC-2099-2") is None and S("PYSEC-2099-2")["suppressedBy"]["justification"] == "vulnerable_code_not_in_execute_path" and S("PYSEC-2099-2")["suppressedBy"]["justificationText"] == "code_not_reachable" and S("PYSEC-2099-2")["suppressedBy"]["document"] == "urn:uuid:9c1b2c3d-0000-4000-8000-000000000001" and S("PYSEC-2099-2")["suppressedBy"]["format"] == "cyclonedx"'
# CycloneDX VEX XML: resolved overrides the SBOM's own exploitable.
scan_json xml --vex "$D/cdx-vex.xml" --show-suppressed
expect_json "cyclonedx xml: resolved overrides the SBOM" "$T/xml.json" \
    'S("GHSA-vx03-xsrt-0003")["suppressedBy"]["status"] == "fixed" and S("GHSA-vx03-xsrt-0003")["suppressedBy"]["impact"] == "patched in our build" and S("GHSA-vx03-xsrt-0003")["suppressedBy"]["source"].endswith("cdx-vex.xml") and d["stats"]["annotated"] == 0'

# CSAF VEX: a product_tree purl helper; the CVE is the GHSA's alias.
scan_json csaf --vex "$D/csaf-vex.json" --show-suppressed
expect_json "csaf: jackson suppressed" "$T/csaf.json" \
    'X(S("GHSA-vx03-xsrt-0003")["suppressedBy"]) == {"status": "not_affected", "justification": "vulnerable_code_not_present", "justificationText": "vulnerable_code_not_present", "impact": "the affected class is not shipped", "vulnerability": "CVE-2099-1003", "format": "csaf", "document": "XSIRT-VEX-TEST-1"}'

# A real CSAF document (BSI's example advisory, CPE helpers): 1.0.0-rc2 is
# first_fixed (suppressed), 1.0.0-dev1 known_affected (annotated, with the
# vendor fix as action).
if [ -f "$BSI" ]; then
    scan_json bsi --vex "$BSI" --show-suppressed
    expect_json "bsi csaf: fixed suppresses" "$T/bsi.json" \
        'RS("conv-rc2")["suppressedBy"]["status"] == "fixed" and RS("conv-rc2")["suppressedBy"]["format"] == "csaf" and RS("conv-rc2")["suppressedBy"]["document"] == "BSI-2022-0001"'
    expect_json "bsi csaf: known_affected annotates" "$T/bsi.json" \
        'R("conv-dev1")["vex"]["status"] == "affected" and "1.0.0-rc2" in R("conv-dev1")["vex"]["action"]'
else
    _fail "missing $BSI"
fi

# --fail-on: suppressed findings do not count, annotated ones do.
expect_exit 1 "$XSIRT" scan --db "$IDX" --fail-on high "$BOM"
expect_exit 0 "$XSIRT" scan --db "$IDX" --fail-on high --vex "$D/openvex-alias.json" \
    --vex "$D/cdx-vex.json" "$BOM"
expect_exit 1 "$XSIRT" scan --db "$IDX" --fail-on high --vex "$D/cdx-vex.json" \
    --vex "$D/openvex-alias.json" "$BOM"
expect_exit 1 "$XSIRT" scan --db "$IDX" --fail-on critical --vex "$D/openvex-alias.json" "$BOM"

# Table: annotations shown, suppressed rows only with --show-suppressed,
# counted in the summary line.
expect_stdout_match '^  PYSEC-2099-2 .*\[vex: affected\]$' \
    "$XSIRT" scan --db "$IDX" --vex "$D/openvex-alias.json" "$BOM"
expect_stdout_match '^      VEX affected; action: Upgrade flask to 2\.3\.2  \(.*openvex-alias\.json\)$' \
    "$XSIRT" scan --db "$IDX" --vex "$D/openvex-alias.json" "$BOM"
expect_stdout_match '^4 findings .*, 1 suppressed, 2 annotated by VEX; 5 components' \
    "$XSIRT" scan --db "$IDX" --vex "$D/openvex-alias.json" "$BOM"
expect_stdout_match '^  GHSA-vx01-xsrt-0001 .*\[suppressed: not_affected\]$' \
    "$XSIRT" scan --db "$IDX" --vex "$D/openvex-alias.json" --show-suppressed "$BOM"
"$XSIRT" scan --db "$IDX" --vex "$D/openvex-alias.json" "$BOM" > "$T/table.txt"
if grep -q 'GHSA-vx01' "$T/table.txt"; then _fail "table lists a suppressed finding"; else passed=$((passed + 1)); fi

# The report formats carry suppression and annotation.
for fmt in sarif cyclonedx openvex; do
    "$XSIRT" scan --db "$IDX" --format "$fmt" --vex "$D/openvex-alias.json" "$BOM" > "$T/r.$fmt.json"
done
expect_json "sarif: suppression" "$T/r.sarif.json" \
    '[r["suppressions"][0]["status"] for r in d["runs"][0]["results"] if r["ruleId"] == "GHSA-vx01-xsrt-0001"] == ["accepted"]'
expect_json "sarif: annotation" "$T/r.sarif.json" \
    '[r["properties"]["vex"]["status"] for r in d["runs"][0]["results"] if r["ruleId"] == "PYSEC-2099-2"] == ["affected"] and all("suppressions" not in r for r in d["runs"][0]["results"] if r["ruleId"] != "GHSA-vx01-xsrt-0001")'
expect_json "cyclonedx: not_affected analysis" "$T/r.cyclonedx.json" \
    '[v["analysis"]["state"] for v in d["vulnerabilities"] if v["id"] == "GHSA-vx01-xsrt-0001"] == ["not_affected"] and [v["analysis"]["justification"] for v in d["vulnerabilities"] if v["id"] == "GHSA-vx01-xsrt-0001"] == ["code_not_reachable"]'
expect_json "openvex: not_affected statement" "$T/r.openvex.json" \
    '[(s["status"], s.get("justification")) for s in d["statements"] if s["vulnerability"]["name"] == "GHSA-vx01-xsrt-0001"] == [("not_affected", "vulnerable_code_not_in_execute_path")]'
# Annotations are assessments: the SBOM's own exploitable stays exploitable
# in its words; an affected statement's action is the report's action; a
# bare match is in triage.
expect_json "cyclonedx: the SBOM's exploitable kept" "$T/r.cyclonedx.json" \
    '[(v["analysis"]["state"], v["analysis"].get("detail")) for v in d["vulnerabilities"] if v["id"] == "GHSA-vx03-xsrt-0003"] == [("exploitable", "reachable from the REST API")]'
expect_json "cyclonedx: affected statement makes exploitable" "$T/r.cyclonedx.json" \
    '[(v["analysis"]["state"], v["analysis"].get("detail")) for v in d["vulnerabilities"] if v["id"] == "PYSEC-2099-2"] == [("exploitable", "Upgrade flask to 2.3.2")]'
expect_json "cyclonedx: a bare match is in triage" "$T/r.cyclonedx.json" \
    'all(v["analysis"]["state"] == "in_triage" for v in d["vulnerabilities"] if v["id"] not in ("GHSA-vx01-xsrt-0001", "GHSA-vx03-xsrt-0003", "PYSEC-2099-2")) and len(d["vulnerabilities"]) > 3'
expect_json "openvex: the statement's action" "$T/r.openvex.json" \
    '[s["action_statement"] for s in d["statements"] if s["vulnerability"]["name"] == "PYSEC-2099-2"] == ["Upgrade flask to 2.3.2"]'
"$XSIRT" scan --db "$IDX" --format cyclonedx --vex "$D/openvex-lift.json" "$BOM" > "$T/r.lift.json"
expect_json "cyclonedx: under_investigation stays in triage" "$T/r.lift.json" \
    '[v["analysis"]["state"] for v in d["vulnerabilities"] if v["id"] == "GHSA-vx01-xsrt-0001"] == ["in_triage"]'

# Bad VEX files: exit 2 naming the file (and the place), before any scan.
printf '{"@context":"https://openvex.dev/ns/v0.2.0","statements":[' > "$T/trunc-vex.json"
printf '{"@context":"https://openvex.dev/ns/v0.2.0","@id":"x","statements":[{"vulnerability":{"name":"CVE-1"},"products":[{"@id":"pkg:npm/a"}],"status":"maybe"}]}' \
    > "$T/bad-status.json"
printf '{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,"components":[]}' > "$T/sbom-not-vex.json"
expect_exit 2 "$XSIRT" scan --db "$IDX" --vex "$D/records/pypi-flask.json" "$BOM"
expect_stderr_match 'records/pypi-flask\.json: not a VEX document' \
    "$XSIRT" scan --db "$IDX" --vex "$D/records/pypi-flask.json" "$BOM"
expect_stdout "" "$XSIRT" scan --db "$IDX" --vex "$D/records/pypi-flask.json" "$BOM"
expect_exit 2 "$XSIRT" scan --db "$IDX" --vex "$T/trunc-vex.json" "$BOM"
expect_stderr_match 'trunc-vex\.json:1:[0-9]+: ' "$XSIRT" scan --db "$IDX" --vex "$T/trunc-vex.json" "$BOM"
expect_exit 2 "$XSIRT" scan --db "$IDX" --vex "$D/openvex-alias.json" --vex "$T/bad-status.json" "$BOM"
expect_stderr_match 'bad-status\.json: /statements/0/status: status "maybe"' \
    "$XSIRT" scan --db "$IDX" --vex "$T/bad-status.json" "$BOM"
expect_exit 2 "$XSIRT" scan --db "$IDX" --vex "$T/sbom-not-vex.json" "$BOM"
expect_stderr_match 'sbom-not-vex\.json: not a VEX document: a CycloneDX BOM without vulnerabilities' \
    "$XSIRT" scan --db "$IDX" --vex "$T/sbom-not-vex.json" "$BOM"
expect_exit 2 "$XSIRT" scan --db "$IDX" --vex "$T/missing.json" "$BOM"
expect_stderr_match 'missing\.json: cannot open' "$XSIRT" scan --db "$IDX" --vex "$T/missing.json" "$BOM"
expect_exit 2 "$XSIRT" scan --db "$IDX" "$BOM" --vex
expect_stdout_match '--vex FILE' "$XSIRT" scan --help

finish
