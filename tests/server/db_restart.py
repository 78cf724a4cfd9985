#!/usr/bin/env python3
"""db_restart.py postgres — the server outlives a restart of PostgreSQL:
requests during the outage get 503 (never a crash, never 401 for a valid
token), and once the database is back every worker reconnects by itself,
before its next statement: no request fails after the restart.
"""
import glob
import os
import subprocess
import sys
import time

from harness import BUILD, Result, Server, cleanup, fresh_database, init, request

t = Result()
if sys.argv[1] != "postgres":
    sys.exit("db_restart.py only makes sense on postgres")
data, database = fresh_database("postgres", "restart")
token = init(data, database)["token"]
srv = Server(data, database, threads=4).start()
pgdir = os.path.join(BUILD, "pg")
bindir = sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1]
sock = open(os.path.join(pgdir, "socket")).read().strip()


def pg_ctl(*args):
    cmd = [os.path.join(bindir, "pg_ctl"), "-D", os.path.join(pgdir, "data")] + list(args)
    if os.geteuid() == 0:
        cmd = ["runuser", "-u", "postgres", "--"] + cmd
    subprocess.run(cmd, check=True, capture_output=True)


try:
    codes = [request(srv.base, "GET", "/api/v1/cases", None, token)[0] for _ in range(8)]
    t.check(codes == [200] * 8, "before: %s" % codes)
    # -t 300: a loaded machine can take over a minute to write the
    # shutdown checkpoint after the bigger storage tests.
    pg_ctl("-m", "fast", "-w", "-t", "300", "stop")
    codes = [request(srv.base, "GET", "/api/v1/cases", None, token)[0] for _ in range(8)]
    t.check(set(codes) <= {503}, "while the database is down: 503 only (%s)" % codes)
    s, b, _ = request(srv.base, "GET", "/healthz")
    t.check(s == 503, "healthz says 503 while down")
    pg_ctl("-w", "-t", "300", "-l", os.path.join(pgdir, "server.log"), "-o",
           "-c listen_addresses='' -c unix_socket_directories='%s' -c max_connections=300" % sock, "start")
    time.sleep(0.5)
    # Every worker notices its connection died before using it (it reads
    # the closed socket) and reconnects: no request fails after the restart.
    codes = [request(srv.base, "GET", "/api/v1/cases", None, token)[0] for _ in range(32)]
    t.check(codes == [200] * 32, "after the restart, every worker reconnected: %s" % codes)
    t.check(srv.proc.poll() is None, "the server never died")
finally:
    srv.stop()
    cleanup(data)
t.finish()
