#!/usr/bin/env python3
"""crash.py BACKEND — nothing acknowledged is lost.

Many concurrent clients create cases while the server is killed with
SIGKILL mid-way; after a restart, every case whose creation got a 2xx
answer must be there with its title, and the audit chain must verify
(`xsirt audit verify`). On PostgreSQL two servers share the database and
both are killed. Repeated for several rounds.
"""
import subprocess
import sys
import threading
import time

from harness import XSIRT, Result, Server, cleanup, fresh_database, init, request

backend = sys.argv[1]
# Each round runs at least RUN_SECONDS and until ROUND_ACKS creations were
# acknowledged (a loaded machine answers fewer per second: the kill waits
# for traffic, not for the clock), at most ROUND_LIMIT seconds.
ROUNDS, CLIENTS, RUN_SECONDS, ROUND_ACKS, ROUND_LIMIT = 3, 16, 1.5, 20, 120
t = Result()
data, database = fresh_database(backend, "crash")
admin = init(data, database)["token"]
nservers = 2 if backend == "postgres" else 1


def start_all():
    return [Server(data, database, threads=8).start() for _ in range(nservers)]


servers = start_all()
s, team, _ = request(servers[0].base, "POST", "/api/v1/teams", {"name": "CSIRT", "kind": "CSIRT"}, admin)
acked = {}          # id -> title
lock = threading.Lock()
errors = {"5xx": 0}


def client(n, bases, stop):
    i = 0
    while not stop.is_set():
        title = "crash r%d c%d n%d" % (rnd, n, i)
        i += 1
        try:
            s, b, _ = request(bases[i % len(bases)], "POST", "/api/v1/cases",
                              {"title": title, "kind": "incident", "team": team["id"]}, admin, timeout=5)
        except Exception:
            continue            # the server died under us: not acknowledged
        if 200 <= s < 300:
            with lock:
                acked[b["id"]] = title
        elif s >= 500:
            with lock:
                errors["5xx"] += 1


try:
    for rnd in range(ROUNDS):
        stop = threading.Event()
        bases = [s.base for s in servers]
        threads = [threading.Thread(target=client, args=(n, bases, stop)) for n in range(CLIENTS)]
        start, at_start = time.monotonic(), len(acked)
        for th in threads:
            th.start()
        while time.monotonic() - start < ROUND_LIMIT and (
                time.monotonic() - start < RUN_SECONDS or len(acked) - at_start < ROUND_ACKS):
            time.sleep(0.05)
        for srv in servers:
            srv.kill()          # mid-way: clients are still sending
        stop.set()
        for th in threads:
            th.join()
        servers = start_all()
        before = len(acked)
        missing = 0
        for cid, title in list(acked.items()):
            s, b, _ = request(servers[0].base, "GET", "/api/v1/cases/%d" % cid, None, admin)
            if s != 200 or b.get("title") != title:
                missing += 1
        t.check(missing == 0, "round %d: all %d acknowledged cases survived (missing %d)" % (rnd, before, missing))
        args = [XSIRT, "audit", "verify", "--data", data] + (["--database", database] if database else [])
        r = subprocess.run(args, capture_output=True, text=True)
        t.check(r.returncode == 0, "round %d: audit chain verifies: %s" % (rnd, r.stdout.strip()))
    t.check(len(acked) > 50, "enough traffic to mean something (%d cases acknowledged)" % len(acked))
    t.check(errors["5xx"] == 0, "no 5xx under concurrency (%d)" % errors["5xx"])
    print("acknowledged cases: %d over %d rounds, %d server(s)" % (len(acked), ROUNDS, nservers))
finally:
    for srv in servers:
        srv.stop()
    cleanup(data)
t.finish()
