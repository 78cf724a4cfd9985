#!/usr/bin/env python3
"""backup.py BACKEND — backups taken while the server writes restore whole.

sqlite: clients create cases continuously while `xsirt backup` copies the
database; `xsirt restore` puts the copy into a new data directory: every
case acknowledged before the backup began is there with its title, the
audit chain verifies, and a server runs on it. Then the refusals: a
backup whose audit chain was edited (exit 1, nothing restored), a data
directory that holds a database, a file that is no backup, an OUT that
exists (exit 2).

postgres: the procedure of docs/operations.md, pg_dump while clients
write, pg_restore into a new database, `xsirt audit verify` on it.
"""
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

from harness import XSIRT, Result, Server, cleanup, fresh_database, init, request

backend = sys.argv[1]
CLIENTS = 4
t = Result()
data, database = fresh_database(backend, "backup")
admin = init(data, database)["token"]
work = tempfile.mkdtemp(prefix="xsirt-backup-")
acked = {}            # id -> (title, time the answer arrived)
lock = threading.Lock()


def client(n, base, team, stop):
    i = 0
    while not stop.is_set():
        title = "backup c%d n%d" % (n, i)
        i += 1
        s, b, _ = request(base, "POST", "/api/v1/cases",
                          {"title": title, "kind": "incident", "team": team}, admin, timeout=30)
        if s == 201 or s == 200:
            with lock:
                acked[b["id"]] = (title, time.monotonic())


def run(args, **kw):
    return subprocess.run([XSIRT] + args, capture_output=True, text=True, **kw)


def under_load(server, take):
    """Runs take() while clients write; returns (its result, cases acked before it began)."""
    s, team, _ = request(server.base, "POST", "/api/v1/teams", {"name": "PSIRT", "kind": "PSIRT"}, admin)
    t.check(s == 201, "team created (%d)" % s)
    stop = threading.Event()
    threads = [threading.Thread(target=client, args=(n, server.base, team["id"], stop))
               for n in range(CLIENTS)]
    for th in threads:
        th.start()
    time.sleep(1.5)                      # traffic before
    began = time.monotonic()
    with lock:
        before = dict(acked)
    result = take()
    time.sleep(1.0)                      # and after: the copy must not stop writers
    stop.set()
    for th in threads:
        th.join()
    after = len(acked) - len(before)
    t.check(len(before) > 20, "enough cases acknowledged before the backup (%d)" % len(before))
    t.check(after > 0, "clients went on writing during and after the backup (%d more)" % after)
    return result, {cid: v[0] for cid, v in before.items() if v[1] < began}


def sqlite_case_titles(path):
    con = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
    try:
        return dict(con.execute("SELECT id, title FROM cases"))
    finally:
        con.close()


def check_sqlite():
    server = Server(data, None, threads=8).start()
    out = os.path.join(work, "xsirt-backup.db")
    try:
        r, before = under_load(server, lambda: run(["backup", "--data", data, out]))
    finally:
        server.stop()
    t.check(r.returncode == 0, "backup while serving exits 0: %s%s" % (r.stdout, r.stderr))
    t.check(os.stat(out).st_mode & 0o077 == 0, "the backup is readable by its owner only")
    t.check(not os.path.exists(out + ".partial"), "no partial file left")

    r = run(["backup", "--data", data, out])
    t.check(r.returncode == 2 and "exists" in r.stderr, "an existing OUT is never replaced: %s" % r.stderr)

    restored = os.path.join(work, "restored")
    r = run(["restore", "--data", restored, out])
    t.check(r.returncode == 0, "restore exits 0: %s%s" % (r.stdout, r.stderr))
    t.check("audit chain intact" in r.stdout, "restore reports the chain: %s" % r.stdout.strip())
    titles = sqlite_case_titles(os.path.join(restored, "xsirt.db"))
    missing = [cid for cid, title in before.items() if titles.get(cid) != title]
    t.check(not missing, "every case acknowledged before the backup began is restored "
            "(%d of %d missing: %s)" % (len(missing), len(before), missing[:5]))
    r = run(["audit", "verify", "--data", restored])
    t.check(r.returncode == 0, "audit verify on the restored directory: %s" % r.stdout.strip())
    server = Server(restored, None).start()
    try:
        s, body, _ = request(server.base, "GET", "/api/v1/cases/%d" % min(before), None, admin)
        t.check(s == 200 and body.get("title") == before[min(before)],
                "a server on the restored directory serves a case (%d)" % s)
    finally:
        server.stop()

    r = run(["restore", "--data", restored, out])
    t.check(r.returncode == 2 and "empty data directory" in r.stderr,
            "restore refuses a directory that holds a database: %s" % r.stderr.strip())

    # An audit record edited in the backup: refused, and nothing is left.
    forged = os.path.join(work, "forged.db")
    shutil.copy(out, forged)
    con = sqlite3.connect(forged)
    con.execute("UPDATE audit_log SET actor = 'mallory' WHERE seq = 3")
    con.commit()
    con.close()
    target = os.path.join(work, "from-forged")
    r = run(["restore", "--data", target, forged])
    t.check(r.returncode == 1 and "audit chain is broken at record 3" in r.stderr,
            "a backup with an edited audit record is refused (exit %d): %s" % (r.returncode, r.stderr.strip()))
    t.check(os.listdir(target) == [], "nothing restored from it: %s" % os.listdir(target))

    # A case edited behind xsirt's back: its rows no longer match the chain.
    shutil.copy(out, forged)
    con = sqlite3.connect(forged)
    con.execute("UPDATE cases SET title = 'renamed' WHERE id = ?", (min(before),))
    con.commit()
    con.close()
    r = run(["restore", "--data", target, forged])
    t.check(r.returncode == 1 and "case %d" % min(before) in r.stderr,
            "a backup with a case changed outside xsirt is refused: %s" % r.stderr.strip())

    junk = os.path.join(work, "junk.db")
    with open(junk, "w") as f:
        f.write("not a database at all\n" * 100)
    r = run(["restore", "--data", os.path.join(work, "from-junk"), junk])
    t.check(r.returncode == 2 and "not a database" in r.stderr, "a file that is no database: %s" % r.stderr.strip())
    other = os.path.join(work, "other.db")
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    r = run(["restore", "--data", os.path.join(work, "from-other"), other])
    t.check(r.returncode == 2 and "not an xsirt backup" in r.stderr,
            "a SQLite file of something else: %s" % r.stderr.strip())
    r = run(["restore", "--data", os.path.join(work, "from-none"), os.path.join(work, "absent.db")])
    t.check(r.returncode == 2 and "absent.db: No such file" in r.stderr,
            "a missing backup is named, exit 2: %s" % r.stderr.strip())
    r = run(["backup", "--data", os.path.join(work, "no-such-dir"), os.path.join(work, "x.db")])
    t.check(r.returncode == 2 and "xsirt.db: No such file" in r.stderr,
            "backup of a directory without a database, exit 2: %s" % r.stderr.strip())
    r = run(["backup", "--data", data])
    t.check(r.returncode == 2, "backup without OUT is a usage error")


def check_postgres():
    """pg_dump while serving, pg_restore into a new database (docs/operations.md)."""
    server = Server(data, database, threads=8).start()
    dump = os.path.join(work, "xsirt.dump")
    try:
        r, before = under_load(server, lambda: subprocess.run(
            ["pg_dump", "--format=custom", "--file=" + dump, database], capture_output=True, text=True))
    finally:
        server.stop()
    t.check(r.returncode == 0, "pg_dump while serving: %s" % r.stderr)
    _, restored = fresh_database("postgres", "backup_restored")
    r = subprocess.run(["pg_restore", "--no-owner", "--exit-on-error", "--dbname=" + restored, dump],
                       capture_output=True, text=True)
    t.check(r.returncode == 0, "pg_restore into a new database: %s" % r.stderr)
    r = run(["audit", "verify", "--data", data, "--database", restored])
    t.check(r.returncode == 0, "audit verify on the restored database: %s%s" % (r.stdout, r.stderr))
    r = subprocess.run(["psql", restored, "-tAc", "SELECT id, title FROM cases"], capture_output=True, text=True)
    titles = dict(line.split("|", 1) for line in r.stdout.split("\n") if "|" in line)
    missing = [cid for cid, title in before.items() if titles.get(str(cid)) != title]
    t.check(not missing, "every case acknowledged before pg_dump began is restored "
            "(%d of %d missing)" % (len(missing), len(before)))
    server = Server(data, restored).start()
    try:
        s, team, _ = request(server.base, "GET", "/api/v1/teams", None, admin)
        s, body, _ = request(server.base, "POST", "/api/v1/cases",
                             {"title": "after restore", "kind": "incident", "team": team["items"][0]["id"]}, admin)
        t.check(s == 201, "the restored database takes new cases (identity sequences restored): %d %s" % (s, body))
    finally:
        server.stop()
    r = run(["audit", "verify", "--data", data, "--database", restored])
    t.check(r.returncode == 0, "and its chain goes on: %s" % r.stdout.strip())


try:
    check_sqlite() if backend == "sqlite" else check_postgres()
finally:
    cleanup(data)
    shutil.rmtree(work, ignore_errors=True)
t.finish()
