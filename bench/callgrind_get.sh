#!/bin/sh
# callgrind_get.sh — the instructions one GET /api/v1/cases/{id} costs the
# server (docs/performance.md, "Where a read's time goes"): a server with
# one worker thread under valgrind's callgrind answers N keep-alive GETs of
# the bench/server.sh case; prints the worker thread's instructions per
# request and leaves the profile (callgrind_annotate it) in OUT.
#
#   bench/callgrind_get.sh [build/xsirt] [N] [OUT]
# Instructions do not depend on the machine's load, unlike bench/server.sh.
# The GETs are an administrator's, as in bench/server.sh; XSIRT_CG_MEMBER=1
# makes them a team member's, whose read also evaluates the TLP rule.
set -eu
xsirt=$(cd "$(dirname "${1:-build/xsirt}")" && pwd)/$(basename "${1:-build/xsirt}")
n=${2:-1000}
out=${3:-/tmp/xsirt-callgrind.out}
work=$(mktemp -d /tmp/xsirt-cg.XXXXXX)
cleanup() {
    [ -n "${xpid:-}" ] && kill "$xpid" 2>/dev/null && wait "$xpid" 2>/dev/null
    GNUPGHOME="$work/data/gnupg" gpgconf --kill all 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

"$xsirt" init --data "$work/data" >/dev/null
token=$(awk '/^token:/ {print $2}' "$work/data/initial-credentials")
valgrind --tool=callgrind --trace-children=yes --separate-threads=yes --callgrind-out-file="$work/cg.%p" \
    "$xsirt" serve --data "$work/data" --listen 127.0.0.1:0 --quiet --max-per-address 0 \
    --threads 1 --no-feeds > "$work/serve.out" 2>&1 &
xpid=$!
for _ in $(seq 1 100); do grep -q serving "$work/serve.out" && break; sleep 0.3; done
base=$(sed -n 's#.*\(http://[0-9.]*:[0-9]*\)/.*#\1#p' "$work/serve.out")
auth="Authorization: Bearer $token"
json="Content-Type: application/json"
curl -sf -H "$auth" -H "$json" -d '{"name":"Bench PSIRT","kind":"PSIRT"}' "$base/api/v1/teams" >/dev/null
body='{"title":"Heap overflow in the image decoder of the camera firmware","kind":"vulnerability","team":1,"severity":"high","tlp":"AMBER","labels":["firmware","decoder"],"description":"A crafted JPEG overflows a heap buffer."}'
curl -sf -H "$auth" -H "$json" -d "$body" "$base/api/v1/cases" >/dev/null
if [ "${XSIRT_CG_MEMBER:-0}" = 1 ]; then
    uid=$(curl -sf -H "$auth" -H "$json" -d '{"username":"member","password":"a long password 1"}' \
        "$base/api/v1/users" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
    curl -sf -X PUT -H "$auth" -H "$json" -d '{"role":"member"}' "$base/api/v1/teams/1/members/$uid" >/dev/null
    token=$(curl -sf -H "$auth" -H "$json" -d "{\"name\":\"cg\",\"user\":$uid}" "$base/api/v1/tokens" |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
fi
python3 - "$base" "$token" "$n" <<'PY'
import http.client, sys, urllib.parse
u = urllib.parse.urlparse(sys.argv[1])
c = http.client.HTTPConnection(u.hostname, u.port)
h = {"Authorization": "Bearer " + sys.argv[2]}
for _ in range(int(sys.argv[3])):
    c.request("GET", "/api/v1/cases/1", headers=h)
    r = c.getresponse(); r.read()
    assert r.status == 200, r.status
PY
kill "$xpid"; wait "$xpid" 2>/dev/null || true; xpid=""
# The worker thread is the one with the most instructions.
best=""; max=0
for f in "$work"/cg.*; do
    ir=$(awk '/^summary:/ {print $2}' "$f")
    [ "${ir:-0}" -gt "$max" ] && max=$ir && best=$f
done
cp "$best" "$out"
echo "worker thread: $max instructions, $((max / n)) per request (profile: $out)"
