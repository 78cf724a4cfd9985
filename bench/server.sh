#!/bin/sh
# server.sh — requests per second and latency of the xsirt server, next to
# nginx serving a static file of the same size on the same machine in the
# same run (the floor: what answering HTTP costs at all).
#
#   bench/server.sh [XSIRT] [SECONDS]     (default build/xsirt, 5 s per run)
#
# Runs wrk at 1, 16 and 256 connections against
#   GET  /api/v1/cases/{id}   (an AMBER case: visibility check + 5 queries)
#   POST /api/v1/cases        (a write transaction + audit record, fsync'd)
#   GET  /case.json on nginx  (a static file of the GET answer's size)
# and prints each with its ratio to nginx. Loopback only.
set -eu
xsirt=$(cd "$(dirname "${1:-build/xsirt}")" && pwd)/$(basename "${1:-build/xsirt}")
secs=${2:-5}
command -v wrk >/dev/null || { echo "bench: wrk not installed (scripts/setup)"; exit 2; }
nginx=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$nginx" ] || { echo "bench: nginx not installed (scripts/setup)"; exit 2; }

work=$(mktemp -d /tmp/xsirt-bench.XXXXXX)
chmod 755 "$work"
cleanup() {
    [ -n "${xpid:-}" ] && kill "$xpid" 2>/dev/null
    [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null
    sleep 0.5
    # the gpg-agent of the organisation's key xsirt init made
    GNUPGHOME="$work/data/gnupg" gpgconf --kill all 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

"$xsirt" init --data "$work/data" >/dev/null
token=$(awk '/^token:/ {print $2}' "$work/data/initial-credentials")
"$xsirt" serve --data "$work/data" --listen 127.0.0.1:0 --quiet --max-per-address 0 > "$work/serve.out" 2>&1 &
xpid=$!
for _ in 1 2 3 4 5 6 7 8 9 10; do grep -q serving "$work/serve.out" && break; sleep 0.3; done
base=$(sed -n 's#.*\(http://[0-9.]*:[0-9]*\)/.*#\1#p' "$work/serve.out")
auth="Authorization: Bearer $token"
json="Content-Type: application/json"   # the edge answers 415 without it
curl -sf -H "$auth" -H "$json" -d '{"name":"Bench PSIRT","kind":"PSIRT"}' "$base/api/v1/teams" >/dev/null
body='{"title":"Heap overflow in the image decoder of the camera firmware","kind":"vulnerability","team":1,"severity":"high","tlp":"AMBER","labels":["firmware","decoder"],"description":"A crafted JPEG overflows a heap buffer."}'
curl -sf -H "$auth" -H "$json" -d "$body" "$base/api/v1/cases" > "$work/case.json"
size=$(wc -c < "$work/case.json")

mkdir -p "$work/www"
cp "$work/case.json" "$work/www/case.json"
cat > "$work/nginx.conf" <<NGINX
worker_processes 2;
pid $work/nginx.pid;
error_log $work/nginx.err;
events { worker_connections 1024; }
http {
    access_log off;
    server {
        listen 127.0.0.1:18099;
        root $work/www;
        location / { default_type application/json; }
    }
}
NGINX
"$nginx" -c "$work/nginx.conf" -p "$work"
sleep 0.5

cat > "$work/get.lua" <<LUA
wrk.headers["Authorization"] = "Bearer $token"
LUA
cat > "$work/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer $token"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '$body'
LUA

# run NAME URL SCRIPT CONNS -> "rps p50 p99" (latencies in ms)
run() {
    threads=2; [ "$4" -lt 2 ] && threads=1
    wrk -t"$threads" -c"$4" -d"${secs}s" --latency ${3:+-s "$3"} "$2" > "$work/wrk.out" 2>&1
    rps=$(awk '/^Requests\/sec/ {print $2}' "$work/wrk.out")
    p50=$(awk '$1=="50%" {print $2}' "$work/wrk.out")
    p99=$(awk '$1=="99%" {print $2}' "$work/wrk.out")
    non2xx=$(awk '/Non-2xx/ {print $NF}' "$work/wrk.out")
    echo "$rps $(ms "$p50") $(ms "$p99") ${non2xx:-0}"
}
# wrk prints 1.23ms, 456.00us or 1.20s: convert to ms
ms() {
    echo "$1" | awk '/us$/ {sub("us",""); printf "%.3f", $1/1000; next}
                     /ms$/ {sub("ms",""); printf "%.3f", $1; next}
                     /s$/  {sub("s",""); printf "%.3f", $1*1000; next} {print $1}'
}

echo "xsirt server benchmark: answer size $size bytes, ${secs}s per run, $(nproc) cores"
printf "%-28s %5s %10s %9s %9s %8s %7s\n" "request" "conns" "req/s" "p50 ms" "p99 ms" "non-2xx" "÷nginx"
for c in 1 16 256; do
    set -- $(run nginx http://127.0.0.1:18099/case.json "" "$c")
    floor=$1
    printf "%-28s %5d %10.0f %9s %9s %8s %7s\n" "nginx static (floor)" "$c" "$1" "$2" "$3" "$4" "1.00"
    set -- $(run get "$base/api/v1/cases/1" "$work/get.lua" "$c")
    printf "%-28s %5d %10.0f %9s %9s %8s %7.2f\n" "GET /api/v1/cases/{id}" "$c" "$1" "$2" "$3" "$4" \
        "$(echo "$1 $floor" | awk '{print $1/$2}')"
    set -- $(run post "$base/api/v1/cases" "$work/post.lua" "$c")
    printf "%-28s %5d %10.0f %9s %9s %8s %7.2f\n" "POST /api/v1/cases" "$c" "$1" "$2" "$3" "$4" \
        "$(echo "$1 $floor" | awk '{print $1/$2}')"
done
peak=$(awk '/VmHWM/ {print $2}' /proc/$xpid/status)
echo "xsirt peak RSS: $((peak / 1024)) MiB"
