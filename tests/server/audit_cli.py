#!/usr/bin/env python3
"""audit_cli.py BACKEND — `xsirt init` and `xsirt audit verify` from the
command line: the credentials file (mode 0600, its three lines), a second
init refused, and verify finding an edited and a deleted audit record
(exit 1, naming the record) after direct edits to the database.
"""
import os
import stat
import subprocess
import sys

import org
from harness import XSIRT, Result, Server, cleanup, fresh_database, init, request

backend = sys.argv[1]
t = Result()
data, database = fresh_database(backend, "auditcli")
db_args = ["--database", database] if database else []


def sql(statement):
    org.sql(data, database, statement)


def verify():
    r = subprocess.run([XSIRT, "audit", "verify", "--data", data] + db_args, capture_output=True, text=True)
    return r.returncode, r.stdout.strip()


try:
    creds = init(data, database)
    mode = stat.S_IMODE(os.stat(os.path.join(data, "initial-credentials")).st_mode)
    t.check(mode == 0o600, "initial-credentials is mode 0600 (%o)" % mode)
    t.check(creds.get("user") == "admin" and len(creds.get("password", "")) >= 12
            and creds.get("token", "").startswith("xst_"), "user, password and token lines")
    r = subprocess.run([XSIRT, "init", "--data", data] + db_args, capture_output=True, text=True)
    t.check(r.returncode == 2 and "initialised before" in r.stderr, "second init refused: " + r.stderr.strip())
    srv = Server(data, database).start()
    s, team, _ = request(srv.base, "POST", "/api/v1/teams", {"name": "CSIRT", "kind": "CSIRT"}, creds["token"])
    for i in range(5):
        request(srv.base, "POST", "/api/v1/cases", {"title": "c%d" % i, "kind": "incident", "team": team["id"]},
                creds["token"])
    s, b, _ = request(srv.base, "POST", "/api/v1/session", {"username": "admin", "password": creds["password"]})
    t.check(s == 201, "the initial password logs in")
    srv.stop()
    rc, out = verify()
    t.check(rc == 0 and "intact" in out, "intact chain: " + out)
    sql("UPDATE audit_log SET after = '{\"title\":\"forged\"}' WHERE seq = 5")
    rc, out = verify()
    t.check(rc == 1 and "record 5" in out and "edited" in out, "edited record found: " + out)
    sql("DELETE FROM audit_log WHERE seq = 5")
    rc, out = verify()
    t.check(rc == 1 and "record 5" in out, "deleted record found: " + out)
    r = subprocess.run([XSIRT, "audit", "verify"], capture_output=True, text=True)
    t.check(r.returncode == 2, "verify without --data is a usage error")
finally:
    cleanup(data)
t.finish()
