#!/bin/sh
# portfolio.sh — uploading and matching a 10,000-component SBOM through the
# API (POST /api/v1/assets/{id}/sboms: read, match, store the SBOM, its
# components and findings in one transaction), next to `xsirt scan` of the
# same SBOM on the same index in the same run (the floor: matching alone).
# Target (issue 11): upload <= 2x scan.
#
#   bench/portfolio.sh [XSIRT] [RUNS]     (default build/xsirt, best of 3)
#
# The index is built from the shared OSV PyPI records and KEV; the SBOM has
# 10,000 PyPI components, names from those records, versions spread so that
# about a quarter of them are affected. SQLite, loopback.
set -eu
xsirt=$(cd "$(dirname "${1:-build/xsirt}")" && pwd)/$(basename "${1:-build/xsirt}")
runs=${2:-3}
shared=${XSIRT_SHARED_DATA:-$(cd "$(dirname "$0")/../.." && pwd)/shared/data}
work=$(mktemp -d /tmp/xsirt-bench.XXXXXX)
cleanup() {
    [ -n "${xpid:-}" ] && kill "$xpid" 2>/dev/null
    sleep 0.3
    # the gpg-agent of the organisation's key xsirt init made
    GNUPGHOME="$work/data/gnupg" gpgconf --kill all 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

"$xsirt" init --data "$work/data" >/dev/null
"$xsirt" db build -q -o "$work/data/vulns.idx" "$shared/osv/pypi" "$shared/kev" 2>/dev/null
python3 - "$shared/osv/pypi" "$work/bom.json" <<'PY'
import json, os, sys
names = sorted(p for p in os.listdir(sys.argv[1]) if os.path.isdir(os.path.join(sys.argv[1], p)))
comps = []
for i in range(10000):
    n, v = names[i % len(names)], "%d.%d.%d" % (i // len(names), i % 7, i % 3)
    comps.append({"type": "library", "bom-ref": "c%d" % i, "name": n, "version": v,
                  "purl": "pkg:pypi/%s@%s" % (n, v)})
json.dump({"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1, "components": comps},
          open(sys.argv[2], "w"))
PY
token=$(awk '/^token:/ {print $2}' "$work/data/initial-credentials")
"$xsirt" serve --data "$work/data" --listen 127.0.0.1:0 --quiet > "$work/serve.out" 2>&1 &
xpid=$!
for _ in 1 2 3 4 5 6 7 8 9 10; do grep -q serving "$work/serve.out" && break; sleep 0.3; done
base=$(sed -n 's#.*\(http://[0-9.]*:[0-9]*\)/.*#\1#p' "$work/serve.out")
auth="Authorization: Bearer $token"
json="Content-Type: application/json"
# The edge refuses a body without its media type (415): JSON as JSON, the
# SBOM as CycloneDX JSON.
bom="Content-Type: application/vnd.cyclonedx+json"
curl -sf -H "$auth" -H "$json" -d '{"name":"Bench PSIRT","kind":"PSIRT"}' "$base/api/v1/teams" >/dev/null

now() { date +%s.%N; }
best_scan=999; best_up=999; best_again=999
i=0
while [ "$i" -lt "$runs" ]; do
    i=$((i + 1))
    t0=$(now); "$xsirt" scan --db "$work/data/vulns.idx" --format json "$work/bom.json" > "$work/scan.json"; t1=$(now)
    best_scan=$(echo "$t1 $t0 $best_scan" | awk '{d=$1-$2; print (d<$3)?d:$3}')
    asset=$(curl -sf -H "$auth" -H "$json" -d "{\"name\":\"product $i\",\"kind\":\"product\",\"team\":1}" \
            "$base/api/v1/assets" | sed 's/^{"id":\([0-9]*\).*/\1/')
    t0=$(now); curl -sf -H "$auth" -H "$bom" --data-binary @"$work/bom.json" "$base/api/v1/assets/$asset/sboms" > "$work/up.json"; t1=$(now)
    best_up=$(echo "$t1 $t0 $best_up" | awk '{d=$1-$2; print (d<$3)?d:$3}')
    t0=$(now); curl -sf -H "$auth" -H "$bom" --data-binary @"$work/bom.json" "$base/api/v1/assets/$asset/sboms" > /dev/null; t1=$(now)
    best_again=$(echo "$t1 $t0 $best_again" | awk '{d=$1-$2; print (d<$3)?d:$3}')
done
findings=$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['findings']))" "$work/scan.json")
stored=$(sed 's/.*"findings":\([0-9]*\).*/\1/' "$work/up.json")
echo "SBOM: 10000 components, $(wc -c < "$work/bom.json") bytes; scan: $findings findings; upload: $stored findings"
echo "machine load while it ran (1, 5, 15 min): $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$best_scan $best_up $best_again" | awk '{
    printf "xsirt scan (floor)            %7.3f s\n", $1;
    printf "upload + match, new asset     %7.3f s   %.2fx scan (target <= 2x)\n", $2, $2/$1;
    printf "upload + match, same SBOM     %7.3f s   %.2fx scan\n", $3, $3/$1 }'
