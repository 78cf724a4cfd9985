#!/usr/bin/env python3
"""security.py BACKEND — the authorisation, audit and storage findings of
issue 14, each as a check that failed before its fix (docs/security.md):

 2  every list pages by count and bytes; no answer over 8 MiB; eight
    parallel reads of a large timeline keep the server well under 256 MiB
    (VmHWM from /proc);
 3  a team lead cannot move or detach their team; an administrator can,
    audited;
 4  an auditor reads the audit log without reading what TLP hides;
 5  links and link events to a case the reader may not see are left out;
 6  note bodies are in the chain; rows changed behind xsirt's back, a log
    deleted and restarted (against a checkpoint) and a damaged record are
    tampering (exit 1), never an internal error; /audit skips nothing;
 7  token expiry is compared as an instant whatever its RFC 3339 form;
12  xsirt.db 0600, data directory 0700; the initial token expires and
    `xsirt token rotate` replaces it.
"""
import datetime
import json
import os
import stat
import subprocess
import sys
import threading

from harness import XSIRT, Result, Server, cleanup, fresh_database, init, request
from org import Org, sql

backend = sys.argv[1]
t = Result()
data, database = fresh_database(backend, "security")
db_args = ["--database", database] if database else ["--data", data]
MIB = 1024 * 1024


def verify(*extra):
    r = subprocess.run([XSIRT, "audit", "verify"] + db_args + list(extra), capture_output=True, text=True)
    return r.returncode, (r.stdout + r.stderr).strip()


def vm_hwm(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return 0


def utc(dt):
    return dt.strftime("%Y-%m-%dT%H:%M:%S")


creds = init(data, database)
admin = creds["token"]
# Under AddressSanitizer (make asan) freed memory waits in a quarantine and
# would count as resident: none for this server. Its shadow memory and red
# zones still about double what a request holds, so the bound doubles too.
ASAN = ":".join(x for x in (os.environ.get("ASAN_OPTIONS", ""), "quarantine_size_mb=0") if x)
MEMORY_BOUND = 256 * (2 if os.environ.get("XSIRT_SANITIZED") == "1" else 1)
srv = Server(data, database, env=dict(os.environ, ASAN_OPTIONS=ASAN)).start()
B = srv.base
org = Org(B, admin)


def call(method, path, body=None, token=admin, **kw):
    return request(B, method, path, body, token, **kw)


def pages(path, token=admin, limit=None):
    """Every page of a list: (items, sizes of the answers in bytes)."""
    items, sizes, cursor = [], [], None
    key = "after" if path.startswith("/api/v1/audit") else "cursor"
    while True:
        q = []
        if limit:
            q.append("limit=%d" % limit)
        if cursor:
            q.append("%s=%d" % (key, cursor))
        s, b, h = call("GET", path + ("?" + "&".join(q) if q else ""), token=token)
        if s != 200:
            return None, [s]
        sizes.append(len(json.dumps(b)))
        items += b["items"]
        cursor = b["next"]
        if cursor is None or len(sizes) > 1000:
            return items, sizes


try:
    # -- 12: files and the initial token ----------------------------------------
    mode = stat.S_IMODE(os.stat(data).st_mode)
    t.check(mode == 0o700, "data directory is 0700 (%o)" % mode)
    if not database:
        mode = stat.S_IMODE(os.stat(os.path.join(data, "xsirt.db")).st_mode)
        t.check(mode == 0o600, "xsirt.db is 0600 (%o)" % mode)
    until = creds.get("token-expires", "")
    try:
        left = (datetime.datetime.strptime(until[:19], "%Y-%m-%dT%H:%M:%S") -
                datetime.datetime.utcnow()).total_seconds() / 86400
    except ValueError:
        left = -1
    t.check(6.9 < left < 7.1, "initial token expires in 7 days: " + until)
    with open(os.path.join(data, "initial-credentials")) as f:
        t.check("xsirt token rotate" in f.read(), "initial-credentials says how to rotate")

    org.tree()
    lead_id, lead = org.user("lead", team="own", team_role="lead")
    mem_id, member = org.user("member", team="own", team_role="member")
    plead_id, plead = org.user("plead", team="parent", team_role="lead")
    out_id, outsider = org.user("outsider", team="unrelated", team_role="member")
    aud_id, auditor = org.user("auditor", role="auditor")

    # -- 3: the team tree is the administrator's -----------------------------------
    s, b, _ = call("PATCH", "/api/v1/teams/%d" % org.teams["own"], {"parent": org.teams["unrelated"]},
                   token=lead)
    t.check(s == 403 and b["error"]["field"] == "parent", "a lead cannot move their team (%d)" % s)
    s, b, _ = call("PATCH", "/api/v1/teams/%d" % org.teams["own"], {"parent": None}, token=lead)
    t.check(s == 403, "a lead cannot detach their team from its parent (%d)" % s)
    s, b, _ = call("PATCH", "/api/v1/teams/%d" % org.teams["child"], {"parent": org.teams["sibling"]},
                   token=plead)
    t.check(s == 403, "a parent's lead cannot move a team below them either (%d)" % s)
    s, b, _ = call("GET", "/api/v1/teams/%d" % org.teams["own"])
    t.check(b["parent"] == org.teams["parent"], "the tree is unchanged")
    s, b, _ = call("PATCH", "/api/v1/teams/%d" % org.teams["own"],
                   {"description": "still ours", "parent": org.teams["parent"]}, token=lead)
    t.check(s == 200 and b["description"] == "still ours", "a lead still edits the team (%d)" % s)
    s, b, _ = call("PATCH", "/api/v1/teams/%d" % org.teams["child"], {"parent": org.teams["sibling"]})
    t.check(s == 200 and b["parent"] == org.teams["sibling"], "an administrator moves a team")
    s, b, _ = call("PATCH", "/api/v1/teams/%d" % org.teams["child"], {"parent": org.teams["own"]})
    log, _ = pages("/api/v1/audit")
    moves = [r for r in log if r["action"] == "team.update" and r["object_id"] == str(org.teams["child"])]
    t.check(len(moves) == 2 and moves[0]["before"]["parent"] == org.teams["own"]
            and moves[0]["after"]["parent"] == org.teams["sibling"] and moves[0]["actor"] == "admin",
            "the move is audited with who, before and after")

    # -- 5: links never name a case the reader may not see ---------------------------
    red = org.case("Embargoed RCE in the bootloader", "RED")
    green = org.case("Public advisory follow-up", "GREEN")
    amber = org.case("Shared analysis", "AMBER")
    for target in (red, green):
        s, b, _ = call("POST", "/api/v1/cases/%d/links" % amber["id"], {"target": target["id"],
                                                                          "kind": "related"})
        t.check(s == 201, "admin links %d -> %d" % (amber["id"], target["id"]))
    s, c, _ = call("GET", "/api/v1/cases/%d" % amber["id"], token=member)
    targets = [l["target"] for l in c["links"]]
    t.check(red["id"] not in targets and green["id"] in targets,
            "links show the visible target and hide the RED one: %s" % targets)
    tl, _ = pages("/api/v1/cases/%d/timeline" % amber["id"], token=member)
    linked = [e["data"].get("target") for e in tl if e["kind"] == "link"]
    t.check(linked == [green["id"]], "link events: only the visible target: %s" % linked)
    s, c, _ = call("GET", "/api/v1/cases/%d" % amber["id"])
    t.check(sorted(l["target"] for l in c["links"]) == sorted([red["id"], green["id"]]),
            "the administrator sees both links")
    s, cs, _ = call("GET", "/api/v1/cases?limit=200", token=member)
    t.check(all(red["id"] not in [l["target"] for l in x["links"]] for x in cs["items"]),
            "the case list hides the link too")
    s, c, _ = call("POST", "/api/v1/cases/%d/notes" % amber["id"], {"body": "a note"}, token=member)
    t.check(s == 201 and red["id"] not in [l["target"] for l in c["links"]],
            "the answer to a write hides it as well")

    # -- 4: the audit log does not read past TLP ------------------------------------
    log, _ = pages("/api/v1/audit", token=auditor)
    text = json.dumps(log)
    t.check(log is not None and "Embargoed RCE" not in text, "the auditor does not read the RED title")
    mine = [r for r in log if r["object_type"] == "case" and r["object_id"] == str(red["id"])]
    t.check(len(mine) >= 1 and all(r.get("redacted") and r["before"] is None and r["after"] is None
                                   and len(r["hash"]) == 64 for r in mine),
            "records of the RED case: metadata and hash, before/after redacted")
    t.check(all(red["id"] not in [l["target"] for l in (r["after"] or {}).get("links", [])]
                for r in log if r["object_type"] == "case"), "nor a link naming it")
    seqs = [r["seq"] for r in log]
    t.check(seqs == list(range(1, len(seqs) + 1)), "no record skipped: seq 1..%d" % len(seqs))
    log, _ = pages("/api/v1/audit")
    t.check("Embargoed RCE" in json.dumps(log), "the administrator reads everything")
    s, v, _ = call("GET", "/api/v1/audit/verify", token=auditor)
    t.check(s == 200 and v["intact"] and v.get("cases", 0) >= 3, "the chain verifies over redacted records: %s" % v)
    s, b, _ = call("GET", "/api/v1/audit", token=member)
    t.check(s == 403, "members do not read the audit log")

    # -- 6: notes in the chain ---------------------------------------------------------
    s, c, _ = call("POST", "/api/v1/cases/%d/notes" % amber["id"], {"body": "the crash needs 4 KiB"},
                   token=member)
    log, _ = pages("/api/v1/audit")
    note = [r for r in log if r["action"] == "case.note"][-1]
    bodies = [e["body"] for e in note["after"].get("timeline", {}).get("new", [])]
    t.check(bodies == ["the crash needs 4 KiB"], "the note's body is in its audit record: %s" % bodies)

    # -- 7: expiry as an instant ---------------------------------------------------------
    now = datetime.datetime.utcnow()
    past_offset = utc(now - datetime.timedelta(hours=1) + datetime.timedelta(hours=14)) + "+14:00"
    past_lower = now.strftime("%Y-%m-%d") + "t00:00:00Z"
    for label, expiry in (("+14:00 offset", past_offset), ("lower-case t", past_lower)):
        if label == "lower-case t" and now.hour == 0 and now.minute < 2:
            continue   # midnight itself: not yet past
        s, tok, _ = call("POST", "/api/v1/tokens", {"name": "short", "user": mem_id, "expires": expiry})
        t.check(s == 201, "token with expiry " + expiry)
        s, b, _ = call("GET", "/api/v1/session", token=tok.get("token"))
        t.check(s == 401, "a token expired an hour ago (%s) is refused (%d)" % (label, s))
    future = utc(now + datetime.timedelta(hours=2) - datetime.timedelta(hours=5)) + "-05:00"
    s, tok, _ = call("POST", "/api/v1/tokens", {"name": "soon", "user": mem_id, "expires": future})
    s, b, _ = call("GET", "/api/v1/session", token=tok["token"])
    t.check(s == 200, "a token with an offset that has not expired works (%d)" % s)
    s, b, _ = call("GET", "/api/v1/tokens")
    t.check(all(x["expires"] is None or x["expires"].endswith("Z") and "T" in x["expires"]
                for x in b["items"]), "expiries are stored in one form (UTC, T, Z)")
    s, c, _ = call("PATCH", "/api/v1/cases/%d" % green["id"], {"due": "2030-01-01t10:00:00+02:00"},
                   headers={"If-Match": '"%d"' % green["revision"]})
    t.check(s == 200 and c["due"] == "2030-01-01T08:00:00.000Z", "a due date is stored as the instant")

    # -- 2: pages bounded by count and bytes ------------------------------------------------
    big = org.case("Large timeline", "AMBER")
    note = "x" * (256 * 1024 - 16)
    for i in range(120):
        s, _, _ = call("POST", "/api/v1/cases/%d/notes" % big["id"], {"body": "%04d " % i + note},
                       token=member)
        if s != 201:
            t.check(False, "note %d: %d" % (i, s))
            break
    s, b, _ = call("GET", "/api/v1/cases/%d/timeline" % big["id"], token=member)
    t.check(s == 200 and b["next"] is not None and len(json.dumps(b)) < 8 * MIB,
            "the first timeline page is bounded and has a next (%d bytes)" % len(json.dumps(b)))
    tl, sizes = pages("/api/v1/cases/%d/timeline" % big["id"], token=member)
    t.check(tl is not None and len([e for e in tl if e["kind"] == "note"]) == 120 and max(sizes) < 8 * MIB,
            "following next gives all 120 notes, each answer under 8 MiB (largest %d)" % max(sizes))
    t.check(len(set(e["id"] for e in tl)) == len(tl), "no event twice")
    s, b, _ = call("GET", "/api/v1/cases/%d/timeline?limit=3" % big["id"], token=member)
    t.check(s == 200 and len(b["items"]) == 3 and b["next"] == b["items"][-1]["id"], "limit=3")
    s, b, _ = call("GET", "/api/v1/cases/%d/timeline?limit=0" % big["id"], token=member)
    t.check(s == 400 and b["error"]["field"] == "limit", "limit=0 is 400")
    s, b, _ = call("GET", "/api/v1/cases/%d/timeline?cursor=x" % big["id"], token=member)
    t.check(s == 400 and b["error"]["field"] == "cursor", "a bad cursor is 400")
    for i in range(3):
        call("POST", "/api/v1/cases/%d/tasks" % big["id"], {"title": "task %d" % i}, token=member)
    tasks, sizes = pages("/api/v1/cases/%d/tasks" % big["id"], token=member, limit=2)
    t.check(tasks is not None and len(tasks) == 3 and len(sizes) == 2, "tasks page too")
    crowd = org.case("crowded", "AMBER")
    # 498 more straight into the database (the creator is the first), then
    # the 500th through the API, whose audit record covers them all.
    sql(data, database, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 498) "
        "INSERT INTO case_participants (case_id, name, role, added_at) SELECT %d, 'p' || i, 'other', "
        "'2026-01-01T00:00:00.000Z' FROM n" % crowd["id"])
    s1, _, _ = call("POST", "/api/v1/cases/%d/participants" % crowd["id"], {"role": "other", "name": "500th"})
    s, b, _ = call("POST", "/api/v1/cases/%d/participants" % crowd["id"], {"role": "other", "name": "one more"})
    t.check(s1 == 201 and s == 413 and b["error"]["field"] == "participant",
            "a case holds at most 500 participants (%d then %d)" % (s1, s))
    crit = org.case("critical one", "AMBER", severity="critical")
    call("PATCH", "/api/v1/cases/%d" % crit["id"], {"severity": "high"}, headers={"If-Match": '"1"'})
    for path in ("/api/v1/teams", "/api/v1/users", "/api/v1/tokens", "/api/v1/organisations",
                 "/api/v1/workflows", "/api/v1/escalation-rules", "/api/v1/cases",
                 "/api/v1/teams/%d/members" % org.teams["own"],
                 "/api/v1/cases/%d/escalations" % crit["id"]):
        if path == "/api/v1/organisations":
            for i in range(3):
                call("POST", path, {"name": "org %d" % i, "kind": "supplier"})
        if path == "/api/v1/escalation-rules":
            for i in range(2):
                call("POST", path, {"name": "rule %d" % i, "condition": {"tlp": ["RED"]},
                                    "target_kind": "group", "target": "legal"})
        whole, _ = pages(path, limit=200)
        paged, sizes = pages(path, limit=1)
        t.check(whole and paged == whole and len(sizes) == len(whole),
                "%s pages with limit and next (%d items, %d pages)" % (path, len(whole or []), len(sizes)))
    log, sizes = pages("/api/v1/audit")
    t.check(log is not None and max(sizes) < 8 * MIB and len(sizes) > 1,
            "the audit log pages by bytes (%d pages, largest %d)" % (len(sizes), max(sizes)))

    results = []

    def reader():
        items, sz = pages("/api/v1/cases/%d/timeline" % big["id"], token=member, limit=200)
        results.append(items is not None and len(items) > 120)

    threads = [threading.Thread(target=reader) for _ in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    peak = vm_hwm(srv.proc.pid)
    t.check(results == [True] * 8, "eight parallel readers got the whole timeline")
    print("server peak resident after eight parallel readers: %.1f MiB" % (peak / MIB))
    t.check(0 < peak < MEMORY_BOUND * MIB,
            "server peak resident %d MiB < %d MiB" % (peak // MIB, MEMORY_BOUND))

    # -- 6: concurrent writes to one case keep its timeline chain in order ------------------
    busy = org.case("busy", "AMBER")
    codes = []

    def writer(n):
        for i in range(8):
            codes.append(call("POST", "/api/v1/cases/%d/notes" % busy["id"], {"body": "w%d n%d" % (n, i)},
                              token=member)[0])

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    t.check(codes == [201] * 32, "32 concurrent notes on one case: %s" % sorted(set(codes)))

    # -- 6: the rows against the chain ----------------------------------------------------------
    rc, out = verify()
    t.check(rc == 0 and "intact" in out, "intact before tampering: " + out)
    cp = subprocess.run([XSIRT, "audit", "checkpoint"] + db_args, capture_output=True, text=True)
    t.check(cp.returncode == 0 and json.loads(cp.stdout)["seq"] > 10, "checkpoint: " + cp.stdout.strip())
    cpfile = os.path.join(data, "checkpoint.json")
    with open(cpfile, "w") as f:
        f.write(cp.stdout)
    rc, out = verify("--checkpoint", cpfile)
    t.check(rc == 0, "intact against the checkpoint: " + out)
    srv.stop()

    sql(data, database, "UPDATE case_events SET body = 'rewritten' WHERE kind = 'note' AND case_id = %d"
        % amber["id"])
    rc, out = verify()
    t.check(rc == 1 and "case %d" % amber["id"] in out and "timeline" in out, "an edited note is found: " + out)
    sql(data, database, "UPDATE case_events SET body = 'the crash needs 4 KiB' WHERE body = 'rewritten' "
        "AND id = (SELECT MAX(id) FROM case_events WHERE case_id = %d AND kind = 'note')" % amber["id"])
    sql(data, database, "UPDATE case_events SET body = 'a note' WHERE body = 'rewritten'")
    rc, out = verify()
    t.check(rc == 0, "restored, intact again: " + out)
    sql(data, database, "DELETE FROM case_events WHERE id = (SELECT MAX(id) FROM case_events WHERE case_id = %d)"
        % big["id"])
    rc, out = verify()
    t.check(rc == 1 and "case %d" % big["id"] in out, "a deleted event is found: " + out)
    sql(data, database, "UPDATE cases SET tlp = 'CLEAR' WHERE id = %d" % red["id"])
    rc, out = verify("--json")
    t.check(rc == 1 and json.loads(out)["intact"] is False, "--json says broken")
    sql(data, database, "DELETE FROM audit_log")
    sql(data, database, "UPDATE audit_head SET seq = 0, hash = '%s'" % ("0" * 64))
    rc, out = verify()
    t.check(rc == 1 and "no audit record" in out, "a deleted log with cases left is found: " + out)
    sql(data, database, "DELETE FROM case_events")
    for table in ("case_labels", "case_references", "case_participants", "case_links", "case_tasks",
                  "escalations", "cases"):
        sql(data, database, "DELETE FROM " + table)
    rc, out = verify()
    t.check(rc == 0, "everything deleted and the head reset looks intact on its own: " + out)
    rc, out = verify("--checkpoint", cpfile)
    t.check(rc == 1 and "checkpoint" in out, "... but not against the checkpoint: " + out)
    with open(cpfile, "w") as f:
        f.write("not json")
    rc, out = verify("--checkpoint", cpfile)
    t.check(rc == 2, "an unreadable checkpoint is a usage error (%d)" % rc)

    # -- 6: a damaged record is tampering, not an internal error -----------------------
    srv = Server(data, database).start()
    B = srv.base
    for i in range(3):
        call("POST", "/api/v1/teams", {"name": "after %d" % i, "kind": "CSIRT"})
    if not database:   # PostgreSQL refuses invalid UTF-8 in text: only SQLite can hold it
        sql(data, database, "UPDATE audit_log SET actor = CAST(X'61FF62' AS TEXT) WHERE seq = 2")
        s, b, _ = call("GET", "/api/v1/audit")
        t.check(s == 200 and [r["seq"] for r in b["items"]][:3] == [1, 2, 3]
                and b["items"][1].get("corrupt") is True, "/audit shows the damaged record, skips nothing")
        s, b, _ = call("GET", "/api/v1/audit/verify")
        t.check(s == 200 and b["intact"] is False and b["first_bad"] == 2, "/audit/verify: broken at 2")
        rc, out = verify()
        t.check(rc == 1 and "record 2" in out and "memory" not in out, "verify: exit 1, record 2: " + out)
    else:
        sql(data, database, "UPDATE audit_log SET prev_hash = NULL WHERE seq = 2") if False else None
        sql(data, database, "ALTER TABLE audit_log ALTER COLUMN actor DROP NOT NULL")
        sql(data, database, "UPDATE audit_log SET actor = NULL WHERE seq = 2")
        s, b, _ = call("GET", "/api/v1/audit/verify")
        t.check(s == 200 and b["intact"] is False and b["first_bad"] == 2, "/audit/verify: broken at 2")
        rc, out = verify()
        t.check(rc == 1 and "record 2" in out and "memory" not in out, "verify: exit 1, record 2: " + out)

    # -- 12: rotating the initial token ------------------------------------------------
    r = subprocess.run([XSIRT, "token", "rotate"] + db_args, capture_output=True, text=True)
    lines = dict(l.split(": ", 1) for l in r.stdout.strip().splitlines() if ": " in l)
    t.check(r.returncode == 0 and lines.get("token", "").startswith("xst_") and "expires" in lines,
            "xsirt token rotate prints a token and its expiry")
    s, b, _ = call("GET", "/api/v1/session", token=lines.get("token"))
    t.check(s == 200 and b["user"]["username"] == "admin", "the new token works")
    s, b, _ = call("GET", "/api/v1/session", token=admin)
    t.check(s == 401, "the initial token is revoked (%d)" % s)
    r = subprocess.run([XSIRT, "token", "rotate", "--user", "nobody"] + db_args, capture_output=True, text=True)
    t.check(r.returncode == 2, "rotating for an unknown user is exit 2 (%d)" % r.returncode)
finally:
    srv.stop()
    cleanup(data)
t.finish()
