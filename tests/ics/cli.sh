#!/bin/sh
# cli.sh — issue 15 end to end: `db build --report` and `db info` over the
# shared CISA set, `scan` of device inventories (UTF-8 with BOM, Shift_JIS
# detected and forced, --vendor-aliases, bad files named with their place),
# the JSON fields of findings by name (matchedBy, name, remediations,
# FIXED), CSAF as VEX by name and its warning, `vers from-native cisa`.
set -u
. "$XSIRT_SOURCE_DIR/tests/lib.sh"

CISA="$XSIRT_SHARED_DATA/csaf/cisa"
T=$(mktemp -d)
trap 'rm -rf "$T" "$_tmp"' EXIT
IDX="$T/cisa.idx"

expect_stderr_match 'product version texts not understood \(not indexed\); listed in the report' \
    "$XSIRT" db build -o "$IDX" --report "$T/report.tsv" "$CISA"
expect_exit 0 test -s "$T/report.tsv"
expect_exit 0 grep -q '	<  numbers ending ...9A ...9B ...9C etc.	version text not understood: the word "numbers"' "$T/report.tsv"
n=$(wc -l < "$T/report.tsv")
expect_stdout_match "notUnderstoodVersions +$n\$" "$XSIRT" db info "$IDX"

printf '\357\273\277Manufacturer,Model,Firmware Version,Serial\r\nSiemens AG,SIMATIC S7-1500 CPU 1516-3 PN/DP,V2.8.1,S1\r\nACME Works,Widget 1,1.0,S2\r\n' > "$T/plant.csv"
expect_stdout_match '^  CVE-2022-38465 +high +8\.4 .* V2\.9\.2 ' "$XSIRT" scan --db "$IDX" "$T/plant.csv"
expect_stdout_match 'without identifier, of which 2 by name\)$' "$XSIRT" scan --db "$IDX" "$T/plant.csv"
# the name fields in both JSON shapes: version 2 (the default) describes
# each vulnerability once in "vulnerabilities", version 1 in each finding
"$XSIRT" scan --db "$IDX" --format json "$T/plant.csv" > "$T/f.json"
"$XSIRT" scan --db "$IDX" --format json --json-version 1 "$T/plant.csv" > "$T/f1.json"
for shape in 2 1; do
    file="$T/f.json"; [ "$shape" = 1 ] && file="$T/f1.json"
    expect_exit 0 "$XSIRT_PYTHON" -c '
import json, sys
d = json.load(open(sys.argv[1]))
V = d.get("vulnerabilities")
assert (d.get("version") == 2) == (sys.argv[2] == "2") and (V is None) == (sys.argv[2] == "1")
vul = lambda x: V[x["vulnerability"]] if V is not None else x["vulnerability"]
f = [x for x in d["findings"] if vul(x)["id"] == "CVE-2022-38465"][0]
ok = (f["matchedBy"] == "name" and f["name"]["vendor"] == "siemens" and
      f["name"]["product"] == "simatic s7 1500 cpu" and f["name"]["rule"] == "family" and
      f["name"]["fixedIn"] == "V2.9.2" and 0 < f["name"]["confidence"] <= 1 and
      f["component"]["vendor"] == "Siemens AG" and f["component"]["bomRef"] == "S1" and
      any(r["category"] == "mitigation" for r in vul(f)["remediations"]) and
      vul(f)["summary"] != "CVE-2022-38465" and
      d["stats"]["byName"] == 2)
sys.exit(0 if ok else 1)' "$file" "$shape"
done

# Shift_JIS: メーカー,型式,バージョン / 三菱電機株式会社 (an alias through 三菱電機)
printf '\203\201\201\133\203\112\201\133,\214\136\216\256,\203\157\201\133\203\127\203\207\203\223\r\n\216\117\225\110\223\144\213\100\212\224\216\256\211\357\216\320,AL-PCS/WIN-E,1.0\r\n' > "$T/sjis.csv"
printf 'vendor,product,version\nMitsubishi Electric,AL-PCS/WIN-E,1.0\n' > "$T/melco.csv"
"$XSIRT" scan --db "$IDX" "$T/melco.csv" > "$T/melco.txt"
expect_stdout_match '"vendor": "三菱電機株式会社"' "$XSIRT" scan --db "$IDX" --format json "$T/sjis.csv"
"$XSIRT" scan --db "$IDX" --encoding shift_jis "$T/sjis.csv" > "$T/sjis.txt"
expect_exit 0 grep -q '^  CVE-' "$T/sjis.txt"
expect_exit 0 sh -c "grep '^  CVE-' '$T/melco.txt' | cut -c1-20 > '$T/a'; grep '^  CVE-' '$T/sjis.txt' | cut -c1-20 > '$T/b'; cmp -s '$T/a' '$T/b'"
expect_stderr_match 'sjis\.csv:1:1: inventory is not UTF-8' \
    "$XSIRT" scan --db "$IDX" --encoding utf-8 "$T/sjis.csv"
printf 'vendor,product\nA,B\n' > "$T/nover.csv"
expect_stderr_match 'nover\.csv:1:1: inventory header has no version column' \
    "$XSIRT" scan --db "$IDX" "$T/nover.csv"
printf 'vendor,product,version\nA,"B,1\n' > "$T/quote.csv"
expect_stderr_match 'quote\.csv:2:3: quoted field is not closed' "$XSIRT" scan --db "$IDX" "$T/quote.csv"

# CycloneDX: a device with a manufacturer (1.6), firmware with a supplier,
# a component with only a CPE from NVD's dictionary; a purl wins over names
cat > "$T/bom.json" <<'JSON'
{"bomFormat":"CycloneDX","specVersion":"1.6","components":[
 {"type":"device","bom-ref":"d1","name":"SIMATIC S7-1500 CPU 1516-3 PN/DP","version":"V2.8.1","manufacturer":{"name":"Siemens AG"}},
 {"type":"firmware","bom-ref":"f1","name":"SIMATIC S7-1500 CPU 1516-3 PN/DP","version":"2.8.1","supplier":{"name":"SIEMENS"}},
 {"type":"device","bom-ref":"c1","name":"x","version":"2.8.1","cpe":"cpe:2.3:h:siemens:simatic_s7-1500_cpu_1516-3_pn\\/dp:2.8.1:*:*:*:*:*:*:*"},
 {"type":"library","bom-ref":"p1","name":"SIMATIC S7-1500 CPU 1516-3 PN/DP","version":"2.8.1","supplier":{"name":"Siemens"},"purl":"pkg:generic/simatic@2.8.1"}]}
JSON
"$XSIRT" scan --db "$IDX" --format json "$T/bom.json" > "$T/bom.out"
expect_exit 0 "$XSIRT_PYTHON" -c '
import json, sys
d = json.load(open(sys.argv[1]))
refs = {}
for f in d["findings"]:
    if f["vulnerability"] == "CVE-2022-38465":
        refs[f["component"]["bomRef"]] = f["matchedBy"]
sys.exit(0 if refs == {"d1": "name", "f1": "name", "c1": "name"} else 1)' "$T/bom.out"

# --vendor-aliases: a name only the user's table knows
printf 'vendor,product,version\nSMNS,SIMATIC S7-1500 CPU 1516-3 PN/DP,V2.8.1\n' > "$T/alias.csv"
expect_stdout_match '^0 findings' "$XSIRT" scan --db "$IDX" "$T/alias.csv"
printf '# ours\nSMNS\tSiemens\n' > "$T/aliases.tsv"
expect_stdout_match 'CVE-2022-38465' "$XSIRT" scan --db "$IDX" --vendor-aliases "$T/aliases.tsv" "$T/alias.csv"
printf 'SMNS Siemens\n' > "$T/bad.tsv"
expect_stderr_match 'bad\.tsv:1:1: expected ALIAS<TAB>CANONICAL' \
    "$XSIRT" scan --db "$IDX" --vendor-aliases "$T/bad.tsv" "$T/alias.csv"

# CSAF as VEX by name, and a CSAF document nothing in which can apply
cat > "$T/vex.json" <<'JSON'
{"document":{"category":"csaf_vex","csaf_version":"2.0","title":"t","publisher":{"category":"vendor","name":"x","namespace":"https://x"},"tracking":{"id":"X-1","status":"final","version":"1","initial_release_date":"2024-01-01T00:00:00Z","current_release_date":"2024-01-01T00:00:00Z","revision_history":[{"date":"2024-01-01T00:00:00Z","number":"1","summary":"s"}]}},
 "product_tree":{"branches":[{"category":"vendor","name":"Siemens","branches":[{"category":"product_name","name":"SIMATIC S7-1500 CPU family","branches":[{"category":"product_version_range","name":">= V2.8 < V2.9","product":{"product_id":"P1","name":"S7-1500 2.8"}}]}]}]},
 "vulnerabilities":[{"cve":"CVE-2022-38465","product_status":{"known_not_affected":["P1"]}}]}
JSON
expect_stdout_match 'CVE-2022-38465 .*\[suppressed: not_affected\]' \
    "$XSIRT" scan --db "$IDX" --vex "$T/vex.json" --show-suppressed "$T/plant.csv"
sed 's/"product_version_range","name":">= V2.8 < V2.9"/"product_version_range","name":"No version"/' "$T/vex.json" > "$T/novex.json"
expect_stderr_match 'novex\.json: no statement names a product .* nothing in it can apply' \
    "$XSIRT" scan --db "$IDX" --vex "$T/novex.json" "$T/plant.csv"

expect_stdout 'vers:firmware/>=V7.80|<V9.40' "$XSIRT" vers from-native cisa 'vers:all/>=V7.80<V9.40'
expect_stdout 'vers:firmware/<=6.9.6' "$XSIRT" vers from-native cisa "$(printf 'NMC2 <= 6.9.6\tNMC2')"
expect_exit 1 "$XSIRT" vers from-native cisa 'No version'
finish
