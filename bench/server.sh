#!/bin/sh
# server.sh — requests per second and latency of the xsirt server, next to
# nginx serving a static file of the same size on the same machine in the
# same run (the floor: what answering HTTP costs at all).
#
#   bench/server.sh [XSIRT] [SECONDS]     (default build/xsirt, 5 s per run)
#   XSIRT_BENCH_POST=0 bench/server.sh ... (the reads only)
#   XSIRT_BENCH_PIN=1 bench/server.sh ...  (wrk on the first core, the servers
#                                           on the second: on a shared machine,
#                                           each side keeps one core's worth)
#   XSIRT_BENCH_READER=member bench/server.sh ... (the GETs are a member's of
#                                           the case's team, whose read
#                                           evaluates the TLP rule; default
#                                           admin, for whom it is skipped)
#
# Runs wrk at 1, 16 and 256 connections against
#   GET  /api/v1/cases/{id}   (an AMBER case: visibility check + 5 queries)
#   POST /api/v1/cases        (a write transaction + audit record, fsync'd)
#   GET  /case.json on nginx  (a static file of the GET answer's size)
# and prints each with its ratio to nginx, and the CPU time the serving
# process(es) spent per request (user + system, from /proc: less disturbed
# by other work on the machine than the rates are). Loopback only.
set -eu
[ -n "${XSIRT_BENCH_DEBUG:-}" ] && set -x
xsirt=$(cd "$(dirname "${1:-build/xsirt}")" && pwd)/$(basename "${1:-build/xsirt}")
secs=${2:-5}
client="" server=""
if [ "${XSIRT_BENCH_PIN:-0}" = 1 ] && command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then
    client="taskset -c 0" server="taskset -c 1"
fi
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
$server "$xsirt" serve --data "$work/data" --listen 127.0.0.1:0 --quiet --max-per-address 0 > "$work/serve.out" 2>&1 &
xpid=$!
for _ in 1 2 3 4 5 6 7 8 9 10; do grep -q serving "$work/serve.out" && break; sleep 0.3; done
base=$(sed -n 's#.*\(http://[0-9.]*:[0-9]*\)/.*#\1#p' "$work/serve.out")
auth="Authorization: Bearer $token"
json="Content-Type: application/json"   # the edge answers 415 without it
curl -sf -H "$auth" -H "$json" -d '{"name":"Bench PSIRT","kind":"PSIRT"}' "$base/api/v1/teams" >/dev/null
body='{"title":"Heap overflow in the image decoder of the camera firmware","kind":"vulnerability","team":1,"severity":"high","tlp":"AMBER","labels":["firmware","decoder"],"description":"A crafted JPEG overflows a heap buffer."}'
curl -sf -H "$auth" -H "$json" -d "$body" "$base/api/v1/cases" > "$work/case.json"
size=$(wc -c < "$work/case.json")
if [ "${XSIRT_BENCH_READER:-admin}" = member ]; then
    uid=$(curl -sf -H "$auth" -H "$json" -d '{"username":"member","password":"a long password 1"}' \
        "$base/api/v1/users" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
    curl -sf -X PUT -H "$auth" -H "$json" -d '{"role":"member"}' "$base/api/v1/teams/1/members/$uid" >/dev/null
    token=$(curl -sf -H "$auth" -H "$json" -d "{\"name\":\"bench\",\"user\":$uid}" "$base/api/v1/tokens" |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
    # the member's answer is the one nginx serves: the same size
    curl -sf -H "Authorization: Bearer $token" "$base/api/v1/cases/1" > "$work/case.json"
    size=$(wc -c < "$work/case.json")
fi

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
$server "$nginx" -c "$work/nginx.conf" -p "$work"
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

# CPU clock ticks (user + system) of the processes PIDS so far
ticks() {
    for p in "$@"; do cat "/proc/$p/stat"; done 2>/dev/null |
        awk '{sub(/.*\) /, ""); t += $12 + $13} END {print t + 0}'
}

# run URL SCRIPT CONNS PIDS... -> "rps p50 p99 non2xx cpu_us_per_request"
run() {
    url=$1 script=$2 conns=$3
    shift 3
    threads=2; [ "$conns" -lt 2 ] && threads=1
    t0=$(ticks "$@")
    $client wrk -t"$threads" -c"$conns" -d"${secs}s" --latency ${script:+-s "$script"} "$url" > "$work/wrk.out" 2>&1
    t1=$(ticks "$@")
    rps=$(awk '/^Requests\/sec/ {print $2}' "$work/wrk.out")
    total=$(awk '/requests in/ {print $1}' "$work/wrk.out")
    p50=$(awk '$1=="50%" {print $2}' "$work/wrk.out")
    p99=$(awk '$1=="99%" {print $2}' "$work/wrk.out")
    non2xx=$(awk '/Non-2xx/ {print $NF}' "$work/wrk.out")
    cpu=$(echo "$t0 $t1 $total $(getconf CLK_TCK)" | awk '{printf "%.1f", ($3 > 0 ? ($2 - $1) * 1e6 / $4 / $3 : 0)}')
    echo "$rps $(ms "$p50") $(ms "$p99") ${non2xx:-0} $cpu"
}
# wrk prints 1.23ms, 456.00us or 1.20s: convert to ms
ms() {
    echo "$1" | awk '/us$/ {sub("us",""); printf "%.3f", $1/1000; next}
                     /ms$/ {sub("ms",""); printf "%.3f", $1; next}
                     /s$/  {sub("s",""); printf "%.3f", $1*1000; next} {print $1}'
}

npids="$(cat "$work/nginx.pid") $(pgrep -P "$(cat "$work/nginx.pid")" | tr '\n' ' ')"
echo "xsirt server benchmark: GET as ${XSIRT_BENCH_READER:-admin}, answer size $size bytes, ${secs}s per run, $(nproc) cores${server:+ (wrk on core 0, servers on core 1)}, load $(cut -d' ' -f1-3 /proc/loadavg)"
printf "%-28s %5s %10s %9s %9s %8s %7s %9s\n" "request" "conns" "req/s" "p50 ms" "p99 ms" "non-2xx" "÷nginx" "cpu µs/req"
for c in 1 16 256; do
    set -- $(run http://127.0.0.1:18099/case.json "" "$c" $npids)
    floor=$1
    printf "%-28s %5d %10.0f %9s %9s %8s %7s %9s\n" "nginx static (floor)" "$c" "$1" "$2" "$3" "$4" "1.00" "$5"
    set -- $(run "$base/api/v1/cases/1" "$work/get.lua" "$c" "$xpid")
    printf "%-28s %5d %10.0f %9s %9s %8s %7.2f %9s\n" "GET /api/v1/cases/{id}" "$c" "$1" "$2" "$3" "$4" \
        "$(echo "$1 $floor" | awk '{print $1/$2}')" "$5"
    [ "${XSIRT_BENCH_POST:-1}" = 0 ] && continue
    set -- $(run "$base/api/v1/cases" "$work/post.lua" "$c" "$xpid")
    printf "%-28s %5d %10.0f %9s %9s %8s %7.2f %9s\n" "POST /api/v1/cases" "$c" "$1" "$2" "$3" "$4" \
        "$(echo "$1 $floor" | awk '{print $1/$2}')" "$5"
done
peak=$(awk '/VmHWM/ {print $2}' /proc/$xpid/status)
echo "xsirt peak RSS: $((peak / 1024)) MiB"
