#!/usr/bin/env python3
"""coordination.py BACKEND — coordination with parties outside the
organisation (issue 12): vendors invited by secret link, private and
shared threads, who sees what (each party only its own thread, the shared
one and its own statements; never internal notes or other parties'),
statements per vulnerability with the silent ones shown as waiting since
the question, the embargo with its time zone and its reminder rows, the
team-side permissions (other teams 404, viewers 403), and the audit
chain still verifying after all of it.
"""
import os
import sqlite3
import subprocess
import sys

from harness import Result, Server, cleanup, fresh_database, init, request
from org import Org

backend = sys.argv[1]
t = Result()
data, database = fresh_database(backend, "coordination")
admin = init(data, database)["token"]
srv = Server(data, database).start()
B = srv.base
org = Org(B, admin)
PUBLIC = "https://psirt.example.com"


def call(method, path, body=None, token=admin):
    return request(B, method, path, body, token)


def rows(statement):
    if database:
        out = subprocess.run(["psql", database, "-tAc", statement], check=True, capture_output=True,
                             text=True).stdout
        return [tuple(line.split("|")) for line in out.splitlines() if line]
    con = sqlite3.connect(os.path.join(data, "xsirt.db"))
    r = [tuple(str(x) for x in row) for row in con.execute(statement)]
    con.close()
    return r


try:
    org.team("psirt")
    org.team("other")
    _, lead = org.user("lead", team="psirt", team_role="lead")
    _, viewer = org.user("viewer", team="psirt", team_role="viewer")
    _, outsider = org.user("outsider", team="other", team_role="member")
    s, _, _ = call("PATCH", "/api/v1/settings", {"public_url": PUBLIC})
    s, case, _ = call("POST", "/api/v1/cases", {"title": "Buffer overflow in libfoo", "kind": "vulnerability",
                                                "team": org.teams["psirt"], "tlp": "AMBER"}, token=lead)
    cid = case["id"]
    base = "/api/v1/cases/%d" % cid

    # The organisation's zone: the default of a party that names none.
    s, b, _ = call("PATCH", "/api/v1/settings", {"time_zone": "Europe/Berlin"})
    t.check(s == 200 and b["time_zone"] == "Europe/Berlin", "the organisation's time zone (%d %s)" % (s, b))
    for bad in ("Mars/Olympus", "/usr/share/zoneinfo/UTC", "+0900", "Asia/../Asia/Tokyo", 9):
        s, b, _ = call("PATCH", "/api/v1/settings", {"time_zone": bad})
        t.check(s == 400 and b["error"]["field"] == "time_zone", "time_zone %r refused (%d)" % (bad, s))
    links = {}
    parties = {}
    for name, zone in (("Chip Co", "Asia/Tokyo"), ("Board Inc", "America/New_York"),
                       ("Silent Ltd", None)):
        body = {"role": "vendor", "name": name, "email": "psirt@%s.example" % name.split()[0].lower()}
        if zone:
            body["time_zone"] = zone
        s, p, _ = call("POST", base + "/parties", body, token=lead)
        t.check(s == 201 and p["role"] == "vendor", "invite %s (%d %s)" % (name, s, p))
        links[name] = p["portal_url"][len(PUBLIC):]
        parties[name] = p["id"]
    s, b, _ = call("POST", base + "/parties", {"role": "vendor", "name": "x"}, token=viewer)
    t.check(s == 403, "a viewer may not invite (%d)" % s)
    s, b, _ = call("GET", base + "/parties", token=outsider)
    t.check(s == 404, "another team does not see the parties (%d)" % s)
    s, b, _ = call("GET", base + "/parties", token=viewer)
    t.check(s == 200 and len(b["items"]) == 3, "a viewer reads the parties (%d)" % s)

    # Threads: a private message to each of two vendors, an internal note, a shared message.
    call("POST", base + "/notes", {"body": "INTERNAL: Chip Co is slow"}, token=lead)
    for name in ("Chip Co", "Board Inc"):
        s, m, _ = call("POST", base + "/messages", {"body": "private to " + name, "party": parties[name]},
                       token=lead)
        t.check(s == 201, "private message to %s (%d)" % (name, s))
    s, m, _ = call("POST", base + "/messages", {"body": "shared: patch coming"}, token=lead)
    s, m, _ = call("POST", base + "/messages", {"body": "x"}, token=viewer)
    t.check(s == 403, "a viewer may not write on the threads (%d)" % s)
    s, m, _ = call("POST", links["Board Inc"] + "/messages", {"body": "Board here, checking"}, token=None)
    t.check(s == 201, "Board Inc replies (%d)" % s)

    s, chip, _ = call("GET", links["Chip Co"], token=None)
    texts = [m["body"] for m in chip["messages"]]
    t.check(texts == ["private to Chip Co", "shared: patch coming"], "Chip Co sees its thread and the shared one: %s"
            % texts)
    t.check("INTERNAL" not in str(chip) and "Board" not in str(chip), "Chip Co sees no note, no other party")
    t.check(chip["party"]["time_zone"] == "Asia/Tokyo" and chip["receipt"] is None, "Chip Co's view")

    # Statements: ask, answer, the silent ones stay visible as waiting.
    for name in parties:
        s, st, _ = call("POST", base + "/statements", {"party": parties[name],
                                                       "vulnerabilities": ["CVE-2026-1111", "CVE-2026-2222"]},
                        token=lead)
        t.check(s == 201, "ask %s (%d %s)" % (name, s, st))
    t.check(st["unanswered"] == 6 and all(x["waiting_since"] == x["asked"] for x in st["items"]),
            "six questions waiting since they were asked (%s)" % st["unanswered"])
    s, b, _ = call("POST", base + "/statements", {"party": parties["Chip Co"], "vulnerabilities": ["bad id!"]},
                   token=lead)
    t.check(s == 400, "a malformed vulnerability id: 400 (%d)" % s)
    s, a, _ = call("POST", links["Chip Co"] + "/statements",
                   {"vulnerability": "CVE-2026-1111", "status": "affected", "statement": "fw 2.x"}, token=None)
    t.check(s == 200 and any(x["vulnerability"] == "CVE-2026-1111" and x["status"] == "affected" for x in a),
            "Chip Co answers affected (%d %s)" % (s, a))
    s, a, _ = call("POST", links["Board Inc"] + "/statements",
                   {"vulnerability": "CVE-2026-1111", "status": "not_affected"}, token=None)
    for bad, code in (({"vulnerability": "CVE-2026-9999", "status": "fixed"}, 400),
                      ({"vulnerability": "CVE-2026-1111", "status": "maybe"}, 400),
                      ({"vulnerability": "CVE-2026-1111", "status": "fixed", "extra": 1}, 400)):
        s, b, _ = call("POST", links["Chip Co"] + "/statements", bad, token=None)
        t.check(s == code, "bad statement %s: %d (%d)" % (bad, code, s))
    s, st, _ = call("GET", base + "/statements", token=viewer)
    t.check(s == 200 and st["unanswered"] == 4, "four still waiting (%s)" % st.get("unanswered"))
    byv = {v["vulnerability"]: v for v in st["by_vulnerability"]}
    t.check([v["vulnerability"] for v in st["by_vulnerability"]] == ["CVE-2026-1111", "CVE-2026-2222"] and
            byv["CVE-2026-1111"]["statuses"] == {"affected": 1, "not_affected": 1} and
            [(w["party_name"], w["since"] is not None) for w in byv["CVE-2026-1111"]["waiting"]] ==
            [("Silent Ltd", True)] and byv["CVE-2026-2222"]["statuses"] == {} and
            [w["party_name"] for w in byv["CVE-2026-2222"]["waiting"]] == ["Chip Co", "Board Inc", "Silent Ltd"],
            "per vulnerability: who answered what, who has not and since when (%s)" % st["by_vulnerability"])
    # Two vendors answered: two response times in the team's figures (issue 16).
    s, fig, _ = call("GET", "/api/v1/statistics?team=%d" % org.teams["psirt"], token=viewer)
    vr = fig["totals"]["time"]["vendor_response"] if s == 200 else {}
    t.check(vr.get("count") == 2 and vr.get("mean") is not None, "vendor response times: %r" % (vr,))
    silent = [x for x in st["items"] if x["party_name"] == "Silent Ltd"]
    t.check(len(silent) == 2 and all(x["status"] is None and x["waiting_since"] for x in silent),
            "the silent vendor shows as waiting, not as not_affected")
    s, chip, _ = call("GET", links["Chip Co"], token=None)
    t.check({x["party_name"] for x in chip["statements"]} == {"Chip Co"} and len(chip["statements"]) == 2,
            "Chip Co sees only its own statements")
    s, b, _ = call("GET", base + "/statements", token=outsider)
    t.check(s == 404, "another team does not see the statements (%d)" % s)

    # The embargo, agreed in Tokyo time.
    s, e, _ = call("PUT", base + "/embargo", {"at": "2027-03-01T09:00:00+09:00", "zone": "Asia/Tokyo"}, token=lead)
    t.check(s == 200 and e["utc"] == "2027-03-01T00:00:00.000Z" and e["zone"] == "Asia/Tokyo",
            "embargo stored as the instant and its zone (%d %s)" % (s, e))
    s, e2, _ = call("PUT", base + "/embargo", {"at": "2027-03-01T09:00:00+09:00", "zone": "Mars/Olympus Mons"},
                    token=lead)
    t.check(s == 400, "a zone that is no IANA name: 400 (%d)" % s)
    s, b, _ = call("PUT", base + "/embargo", {"at": "2027-03-01T09:00:00"}, token=lead)
    t.check(s == 400, "a time without its offset: 400 (%d)" % s)
    s, b, _ = call("PUT", base + "/embargo", {"at": "2027-03-01T09:00:00Z"}, token=viewer)
    t.check(s == 403, "a viewer may not set the embargo (%d)" % s)
    s, chip, _ = call("GET", links["Chip Co"], token=None)
    tokyo = {"zone": "Asia/Tokyo", "local": "2027-03-01T09:00:00+09:00"}
    t.check(chip["embargo"] == dict(tokyo, at="2027-03-01T00:00:00.000Z", utc="2027-03-01T00:00:00.000Z",
                                    agreed=tokyo),
            "the vendor sees the embargo in UTC and in its zone (%s)" % chip["embargo"])
    # Each party in its own zone, on the server: New York is still on EST on
    # 1 March 2027, Berlin (the organisation's zone, Silent Ltd's) on CET.
    want = {"Chip Co": ("Asia/Tokyo", "2027-03-01T09:00:00+09:00"),
            "Board Inc": ("America/New_York", "2027-02-28T19:00:00-05:00"),
            "Silent Ltd": ("Europe/Berlin", "2027-03-01T01:00:00+01:00")}
    s, ps, _ = call("GET", base + "/parties", token=viewer)
    got = {p["name"]: (p["embargo"]["zone"], p["embargo"]["local"]) for p in ps["items"]}
    t.check(got == want, "each party's embargo in its zone: %s" % got)
    s, board, _ = call("GET", links["Board Inc"], token=None)
    t.check(board["embargo"]["local"] == want["Board Inc"][1] and board["embargo"]["agreed"] == tokyo,
            "Board Inc's portal shows New York time and the agreed Tokyo time (%s)" % board["embargo"])
    # Across the daylight-saving changes of 2027: the US moves on 14 March
    # (07:00 UTC), the EU on 28 March (01:00 UTC); Tokyo never does.
    for at, expect in (
            ("2027-03-14T06:59:59Z", {"Board Inc": "2027-03-14T01:59:59-05:00",
                                      "Silent Ltd": "2027-03-14T07:59:59+01:00",
                                      "Chip Co": "2027-03-14T15:59:59+09:00"}),
            ("2027-03-14T07:00:00Z", {"Board Inc": "2027-03-14T03:00:00-04:00",
                                      "Silent Ltd": "2027-03-14T08:00:00+01:00",
                                      "Chip Co": "2027-03-14T16:00:00+09:00"}),
            ("2027-03-28T00:59:59Z", {"Board Inc": "2027-03-27T20:59:59-04:00",
                                      "Silent Ltd": "2027-03-28T01:59:59+01:00",
                                      "Chip Co": "2027-03-28T09:59:59+09:00"}),
            ("2027-03-28T01:00:00Z", {"Board Inc": "2027-03-27T21:00:00-04:00",
                                      "Silent Ltd": "2027-03-28T03:00:00+02:00",
                                      "Chip Co": "2027-03-28T10:00:00+09:00"}),
            ("2027-11-07T06:00:00Z", {"Board Inc": "2027-11-07T01:00:00-05:00",
                                      "Silent Ltd": "2027-11-07T07:00:00+01:00",
                                      "Chip Co": "2027-11-07T15:00:00+09:00"})):
        s, e, _ = call("PUT", base + "/embargo", {"at": at, "zone": "Europe/Berlin"}, token=lead)
        t.check(s == 200 and e["local"] == expect["Silent Ltd"] and e["zone"] == "Europe/Berlin",
                "embargo %s agreed in Berlin: %s" % (at, e))
        s, ps, _ = call("GET", base + "/parties", token=viewer)
        got = {p["name"]: p["embargo"]["local"] for p in ps["items"]}
        t.check(got == expect, "embargo %s in each zone: %s" % (at, got))
    s, e, _ = call("PUT", base + "/embargo", {"at": "2027-03-01T09:00:00+09:00", "zone": "Asia/Tokyo"}, token=lead)
    s, c, _ = call("GET", base, token=lead)
    t.check(c["embargo"] == "2027-03-01T00:00:00.000Z", "the case's embargo is the instant")
    rem = sorted(r[1] for r in rows("SELECT event, due_at FROM embargo_reminders WHERE case_id = %d" % cid))
    t.check(rem == ["2027-02-22T00:00:00.000Z", "2027-02-28T00:00:00.000Z", "2027-03-01T00:00:00.000Z"],
            "reminders 7 days and 1 day before, and at the end: %s" % rem)

    # Accounts of external organisations: a partner named on the case sees the case
    # (AMBER) but not the threads, parties or statements (403); a stranger nothing (404).
    s, partner_org, _ = call("POST", "/api/v1/organisations", {"name": "Supplier Ltd", "kind": "supplier"})
    s, stranger_org, _ = call("POST", "/api/v1/organisations", {"name": "Other Ltd", "kind": "customer"})
    ext = {}
    for name, o in (("partner", partner_org), ("stranger", stranger_org)):
        s, u, _ = call("POST", "/api/v1/users", {"username": name, "password": "a long password 1",
                                                 "organisation": o["id"]})
        s, tok, _ = call("POST", "/api/v1/tokens", {"name": "t", "user": u["id"]})
        ext[name] = tok["token"]
    s, b, _ = call("POST", base + "/participants", {"role": "supplier", "organisation": partner_org["id"]},
                   token=lead)
    t.check(s in (200, 201), "the partner organisation participates (%d %s)" % (s, b))
    s, b, _ = call("GET", base, token=ext["partner"])
    t.check(s == 200, "the partner sees the AMBER case (%d)" % s)
    for sub in ("/parties", "/messages", "/statements"):
        s, b, _ = call("GET", base + sub, token=ext["partner"])
        t.check(s == 403, "partner account: GET %s is 403 (%d)" % (sub, s))
        s, b, _ = call("GET", base + sub, token=ext["stranger"])
        t.check(s == 404, "stranger account: GET %s is 404 (%d)" % (sub, s))
    s, b, _ = call("POST", base + "/messages", {"body": "hi"}, token=ext["partner"])
    t.check(s == 403, "a partner account cannot write on the threads (%d)" % s)

    # The audit chain holds after all of it.
    r = subprocess.run([os.environ["XSIRT"], "audit", "verify", "--data", data] +
                       (["--database", database] if database else []), capture_output=True, text=True)
    t.check(r.returncode == 0, "xsirt audit verify passes (%s)" % (r.stdout + r.stderr)[-300:])
finally:
    srv.stop()
    cleanup(data)
t.finish()
