#!/bin/sh
# portfolio_scale.sh — continuous re-matching at portfolio scale (issue 11):
# a synthetic portfolio of COMPONENTS components (default 1,000,000: assets
# of 10,000 components each; names from the shared OSV records of PyPI,
# Go and crates, one component in 20 at version 0.0.1, which most of their
# ranges cover, the others at 999.0.0), SQLite, one file:// OSV feed of
# those records. Measured in the same run:
#   - a sync after 1,000 advisories changed ("modified" moved): the
#     selective re-match (only assets with a component those records name);
#   - the whole portfolio matched again (the index removed and the server
#     restarted, so the next sync has nothing to compare with);
#   target: selective <= 1/100 of whole;
#   - the server's peak memory (VmHWM) after each;
#   - GET /api/v1/findings with filters, p50/p99 (wrk, 2 threads, 8
#     connections, 10 s) next to GET /api/v1/cases/{id}.
#
#   bench/portfolio_scale.sh [XSIRT] [COMPONENTS]
#
# With XSIRT_BENCH_CHANGE=summary the changed advisories (those in JSON:
# Go and crates) also get a new summary, so that every finding of theirs
# is written again (the default moves "modified" only: nothing a finding
# holds changes, so nothing is written).
set -eu
xsirt=$(cd "$(dirname "${1:-build/xsirt}")" && pwd)/$(basename "${1:-build/xsirt}")
components=${2:-1000000}
shared=${XSIRT_SHARED_DATA:-$(cd "$(dirname "$0")/../.." && pwd)/shared/data}
work=$(mktemp -d /tmp/xsirt-bench-scale.XXXXXX)
cleanup() {
    [ -n "${xpid:-}" ] && kill "$xpid" 2>/dev/null
    sleep 0.3
    # the gpg-agent of the organisation's key xsirt init made
    GNUPGHOME="$work/data/gnupg" gpgconf --kill all 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

"$xsirt" init --data "$work/data" >/dev/null
token=$(awk '/^token:/ {print $2}' "$work/data/initial-credentials")
mkdir -p "$work/feed"
cp -r "$shared/osv/pypi" "$shared/osv/go" "$shared/osv/crates" "$work/feed/"

start_server() {
    "$xsirt" serve --data "$work/data" --listen 127.0.0.1:0 --quiet --no-feeds > "$work/serve.out" 2>&1 &
    xpid=$!
    for _ in $(seq 1 50); do grep -q serving "$work/serve.out" && break; sleep 0.2; done
    base=$(sed -n 's#.*\(http://[0-9.]*:[0-9]*\)/.*#\1#p' "$work/serve.out")
}
hwm() { awk '/VmHWM/ {printf "%.0f MiB", $2 / 1024}' "/proc/$xpid/status"; }
start_server
auth="Authorization: Bearer $token"
json="Content-Type: application/json"
curl -sf -H "$auth" -H "$json" -d '{"name":"Bench PSIRT","kind":"PSIRT"}' "$base/api/v1/teams" >/dev/null
feed=$(curl -sf -H "$auth" -H "$json" -d "{\"name\":\"OSV\",\"kind\":\"osv\",\"url\":\"file://$work/feed\"}" \
       "$base/api/v1/feeds" | sed 's/^{"id":\([0-9]*\).*/\1/')
curl -sf -H "$auth" -X POST -m 3600 "$base/api/v1/feeds/$feed/sync" > "$work/sync0.json"

t0=$(date +%s)
python3 - "$work" "$base" "$token" "$components" <<'PY'
import json, os, sys, urllib.request
work, base, token, total = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
names = []
for eco, purl in (("pypi", "pypi"), ("go", "golang"), ("crates", "cargo")):
    d = os.path.join(work, "feed", eco)
    for root, dirs, files in os.walk(d):
        for f in files:
            try:
                doc = json.load(open(os.path.join(root, f)))
            except Exception:
                continue
            for a in doc.get("affected", []):
                n = a.get("package", {}).get("name")
                if n:
                    names.append((purl, n))
names = sorted(set(names))
per = 10000
def req(method, path, body, ctype="application/json"):
    r = urllib.request.Request(base + path, data=body, method=method,
                               headers={"Authorization": "Bearer " + token, "Content-Type": ctype})
    return json.load(urllib.request.urlopen(r, timeout=3600))
i = 0
for a in range((total + per - 1) // per):
    asset = req("POST", "/api/v1/assets", json.dumps({"name": "product %d" % a, "kind": "product",
                                                       "team": 1, "criticality": "high",
                                                       "exposure": "internet"}).encode())
    comps = []
    for k in range(min(per, total - a * per)):
        t, n = names[i % len(names)]
        v = "0.0.1" if i % 20 == 0 else "999.0.0"
        comps.append({"type": "library", "bom-ref": "c%d" % k, "name": n, "version": v,
                      "purl": "pkg:%s/%s@%s" % (t, n, v)})
        i += 1
    req("POST", "/api/v1/assets/%d/sboms" % asset["id"], json.dumps(
        {"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1, "components": comps}).encode())
print("portfolio: %d components in %d assets, %d package names" % (i, a + 1, len(names)))
PY
t1=$(date +%s)
echo "uploads: $((t1 - t0)) s; server peak memory $(hwm)"
# The uploads' rows enter two indexes after them (store/deferred_index.h):
# the re-match is measured once the server has done that (it would do it
# first itself, and that is the uploads' work, not the re-match's).
python3 - "$work/data/xsirt.db" <<'PY'
import sqlite3, sys, time
t0 = time.time()
db = sqlite3.connect(sys.argv[1], timeout=60)
while True:
    try:
        n = db.execute("SELECT (SELECT COUNT(*) FROM sbom_components WHERE key_indexed = 0) + "
                       "(SELECT COUNT(*) FROM findings WHERE vuln_indexed = 0)").fetchone()[0]
    except sqlite3.OperationalError:   # a build before schema 24: indexed by the uploads
        n = 0
    if n == 0:
        break
    time.sleep(0.05)
print("indexed after the uploads within %.1f s" % (time.time() - t0))
PY

# 1,000 advisories change.
python3 - "$work/feed" "${XSIRT_BENCH_CHANGE:-}" <<'PY'
import json, os, re, sys
files = sorted(os.path.join(r, f) for r, _, fs in os.walk(sys.argv[1]) for f in fs)
n = 0
for p in files[::max(1, len(files) // 1000)][:1000]:
    text = open(p).read()
    try:
        doc = json.loads(text)
        doc["modified"] = "2031-01-01T00:00:00Z"
        if sys.argv[2] == "summary":
            doc["summary"] = doc.get("summary", "") + " (revised)"
        text = json.dumps(doc)
    except ValueError:
        text = re.sub(r"(?m)^modified: .*$", "modified: '2031-01-01T00:00:00Z'", text)
    open(p, "w").write(text)
    n += 1
print("changed %d advisories" % n)
PY
curl -sf -H "$auth" -X POST -m 3600 "$base/api/v1/feeds/$feed/sync" > "$work/sync1.json"
echo "selective sync: $(cat "$work/sync1.json"); server peak memory $(hwm)"

# The findings endpoints under load, on this portfolio.
curl -sf -H "$auth" -H "$json" -d '{"title":"Bench case","kind":"vulnerability","team":1,"severity":"high"}' \
     "$base/api/v1/cases" > "$work/case.json"
case=$(sed 's/^{"id":\([0-9]*\).*/\1/' "$work/case.json")
for path in "/api/v1/findings?state=in_triage&priority=P1&active=true&limit=50" \
            "/api/v1/findings?asset=5&kev=false&limit=50" \
            "/api/v1/findings?vulnerability=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['items'][0]['vulnerability']['id'])" "$(curl -sf -H "$auth" "$base/api/v1/findings?limit=1" > "$work/f1.json"; echo "$work/f1.json")")&limit=50" \
            "/api/v1/cases/$case"; do
    wrk -t2 -c8 -d10s --latency -H "$auth" "$base$path" > "$work/wrk.out" 2>&1
    printf '%-70s %s\n' "$path" "$(awk '/Requests\/sec/ {r=$2} / 50%/ {p50=$2} / 99%/ {p99=$2} END {printf "p50 %s  p99 %s  %s req/s", p50, p99, r}' "$work/wrk.out")"
done

# The whole portfolio again: no index to compare with.
kill "$xpid"; wait "$xpid" 2>/dev/null || true
rm -f "$work/data/vulns.idx"
start_server
curl -sf -H "$auth" -X POST -m 3600 "$base/api/v1/feeds/$feed/sync" > "$work/sync2.json"
echo "whole-portfolio sync: $(cat "$work/sync2.json"); server peak memory $(hwm)"
python3 - "$work/sync1.json" "$work/sync2.json" <<'PY'
import json, sys
a, b = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
print("re-match: selective %d ms (%d assets) vs whole %d ms (%d assets): 1/%.0f (target <= 1/100)"
      % (a["rematch_ms"], a["assets"], b["rematch_ms"], b["assets"],
         b["rematch_ms"] / max(a["rematch_ms"], 1)))
PY
