#!/usr/bin/env python3
"""intake.py BACKEND — reports without an account end to end (issue 12):
the disclosure settings (admins only, each value checked), POST
/api/v1/intake into the intake team's vulnerability case with its receipt
and secret status link, the reporter's view and messages through that link
(and nothing of the team's internal notes), the team's replies, an
OpenPGP message kept as it came, bad input (unknown fields, oversize
attachments, bad base64, broken armour) as 4xx, /.well-known/security.txt
checked field by field against RFC 9116, and a flood answered with 429 and
Retry-After.
"""
import base64
import datetime
import json
import os
import shutil
import subprocess
import sys
import tempfile

from harness import Result, Server, cleanup, fresh_database, init, request
from org import Org

backend = sys.argv[1]
t = Result()
data, database = fresh_database(backend, "intake")
admin = init(data, database)["token"]
# Behind the TLS proxy the server throttles by X-Real-IP: each part of the
# test comes from its own address, and the flood from one more.
srv = Server(data, database, extra=["--tls-proxy"]).start()
B = srv.base
org = Org(B, admin)
PUBLIC = "https://psirt.example.com"
FPR = "5F2DE5521C63A801AB59CCB603D49DE44B29100F"


ADDRESS = ["192.0.2.1"]


def call(method, path, body=None, token=admin, headers=None, **kw):
    h = dict(headers or {}, **{"X-Real-IP": ADDRESS[0]})
    return request(B, method, path, body, token, headers=h, **kw)


def report(**over):
    r = {"title": "Stack overflow in the HMI web server", "description": "Send 5000 bytes of A.",
         "product": "HMI-3000", "version": "2.1.4",
         "reporter": {"name": "Aiko Tanaka", "email": "aiko@example.jp", "organisation": "Lab",
                      "language": "ja"},
         "credit": "Aiko Tanaka (Lab)", "disclosure_plans": "talk in 90 days",
         "already_public": False, "exploited": False,
         "attachments": [{"name": "poc.py", "content_type": "text/x-python",
                          "data": base64.b64encode(b"print('A' * 5000)\n").decode()}]}
    r.update(over)
    return r


try:
    org.team("psirt")
    org.team("other")
    lead_id, lead = org.user("lead", team="psirt", team_role="member")
    _, outsider = org.user("outsider", team="other", team_role="member")

    # -- settings ----------------------------------------------------------------
    s, b, _ = call("POST", "/api/v1/intake", report(), token=None)
    t.check(s == 503 and b["error"]["code"] == "not_configured", "no intake_team: 503 (%d %s)" % (s, b))
    for bad in ({"public_url": "http://psirt.example.com"}, {"public_url": PUBLIC + "/"},
                {"public_url": PUBLIC + "/?x=1"}, {"intake_team": "psirt"}, {"intake_team": 0},
                {"cna_org_id": "not-a-uuid"}, {"csaf_publisher": {"name": "ACME"}},
                {"csaf_publisher": {"name": "ACME", "namespace": "https://acme.example",
                                    "category": "seller"}},
                {"openpgp_key": {"fingerprint": "XYZ"}}, {"security_policy_url": "ftp://x"}):
        s, b, _ = call("PATCH", "/api/v1/settings", bad)
        key = next(iter(bad))
        t.check(s == 400 and b["error"]["field"] == key, "settings %s refused (%d %s)" % (bad, s, b))
    good = {"public_url": PUBLIC, "intake_team": org.teams["psirt"],
            "cna_org_id": "0d4b1e2c-9a3f-4e55-8c7b-2f6a9d8e1c00",
            "csaf_publisher": {"name": "ACME PSIRT", "namespace": "https://acme.example",
                               "category": "vendor"},
            "openpgp_key": {"fingerprint": FPR, "uid": "ACME PSIRT <psirt@acme.example>"},
            "security_policy_url": PUBLIC + "/policy", "smtp_from": "psirt@acme.example"}
    s, b, _ = call("PATCH", "/api/v1/settings", good, token=lead)
    t.check(s == 403, "a team member may not change settings (%d)" % s)
    s, b, _ = call("PATCH", "/api/v1/settings", good)
    t.check(s == 200 and all(b[k] == v for k, v in good.items()), "settings saved (%d %s)" % (s, b))

    # -- a report ----------------------------------------------------------------
    s, r, h = call("POST", "/api/v1/intake", report(), token=None)
    t.check(s == 201 and set(r) >= {"receipt", "status_url"}, "report filed: 201 (%d %s)" % (s, r))
    t.check(r["status_url"].startswith(PUBLIC + "/api/v1/intake/") and len(r["status_url"]) > 70,
            "status_url is a secret link under public_url: %s" % r["status_url"])
    link = r["status_url"][len(PUBLIC):]
    case_id = r["case"]
    s, c, _ = call("GET", "/api/v1/cases/%d" % case_id, token=lead)
    t.check(s == 200 and c["kind"] == "vulnerability" and c["team"] == org.teams["psirt"] and
            c["title"] == report()["title"] and "HMI-3000" in c["description"] and
            "Aiko Tanaka" in c["description"] and "poc.py" in c["description"],
            "a vulnerability case in the intake team with the report (%d)" % s)
    s, c, _ = call("GET", "/api/v1/cases/%d" % case_id, token=outsider)
    t.check(s == 404, "another team does not see the AMBER report (%d)" % s)
    s, parties, _ = call("GET", "/api/v1/cases/%d/parties" % case_id, token=lead)
    t.check(s == 200 and len(parties["items"]) == 1 and parties["items"][0]["role"] == "reporter" and
            parties["items"][0]["email"] == "aiko@example.jp" and "portal_url" not in parties["items"][0] and
            parties["items"][0]["language"] == "ja",
            "the reporter is a party, without the link (%s)" % parties)
    reporter_party = parties["items"][0]["id"]

    s, v, _ = call("GET", link, token=None)
    t.check(s == 200 and v["receipt"] == r["receipt"] and v["case"]["title"] == report()["title"] and
            v["party"]["role"] == "reporter", "the reporter follows the case by the link (%d %s)" % (s, v))
    t.check(len(v["messages"]) == 1 and v["messages"][0]["author"] == "you" and
            v["messages"][0]["body"] == "Send 5000 bytes of A.", "the report is the first message")

    # The team writes an internal note and a reply; the reporter sees only the reply.
    s, _, _ = call("POST", "/api/v1/cases/%d/notes" % case_id, {"body": "INTERNAL: probably CVE-worthy"},
                   token=lead)
    t.check(s == 201, "internal note (%d)" % s)
    s, m, _ = call("POST", "/api/v1/cases/%d/messages" % case_id,
                   {"body": "Thank you, we reproduced it.", "party": reporter_party}, token=lead)
    t.check(s == 201 and m["direction"] == "out" and m["author"] == lead_id, "team reply (%d %s)" % (s, m))
    s, _, _ = call("POST", "/api/v1/cases/%d/messages" % case_id, {"body": "x"}, token=outsider)
    t.check(s == 404, "another team cannot post on the thread (%d)" % s)
    s, b, _ = call("POST", "/api/v1/cases/%d/messages" % case_id, {"body": "x", "party": 999999}, token=lead)
    t.check(s == 400 and b["error"]["field"] == "party", "a party of no case (%d)" % s)
    s, m, _ = call("POST", link + "/messages", {"body": "Great, when is the fix due?"}, token=None)
    t.check(s == 201 and m["direction"] == "in" and "party" not in m, "reporter replies (%d %s)" % (s, m))
    s, v, _ = call("GET", link, token=None)
    bodies = [x["body"] for x in v["messages"]]
    t.check(bodies == ["Send 5000 bytes of A.", "Thank you, we reproduced it.", "Great, when is the fix due?"],
            "the thread in order: %s" % bodies)
    t.check("INTERNAL" not in str(v), "no internal note in the portal view")
    s, ms, _ = call("GET", "/api/v1/cases/%d/messages" % case_id, token=lead)
    t.check(s == 200 and [x["direction"] for x in ms["items"]] == ["in", "out", "in"],
            "the team sees the thread (%s)" % ms)

    # A second party (a vendor) with its own link sees its thread, not the reporter's.
    s, p, _ = call("POST", "/api/v1/cases/%d/parties" % case_id,
                   {"role": "vendor", "name": "Chip Co", "email": "psirt@chip.example",
                    "time_zone": "Europe/Berlin"}, token=lead)
    t.check(s == 201 and p["portal_url"].startswith(PUBLIC), "vendor invited (%d %s)" % (s, p))
    vlink = p["portal_url"][len(PUBLIC):]
    s, v2, _ = call("GET", vlink, token=None)
    t.check(s == 200 and v2["messages"] == [] and v2["receipt"] is None and v2["party"]["time_zone"] ==
            "Europe/Berlin", "the vendor sees none of the reporter's thread (%s)" % v2)
    s, _, _ = call("POST", "/api/v1/cases/%d/messages" % case_id, {"body": "To all: embargo soon"},
                   token=lead)
    s, v2, _ = call("GET", vlink, token=None)
    s, v, _ = call("GET", link, token=None)
    t.check([x["thread"] for x in v2["messages"]] == ["shared"] and v["messages"][-1]["thread"] == "shared",
            "a shared message reaches both parties")
    for bad in ({"role": "boss", "name": "x"}, {"role": "vendor", "name": "x", "email": "no-at"},
                {"role": "vendor", "name": "x", "time_zone": "../../etc/passwd"},
                {"role": "vendor", "name": "x", "extra": 1}, {"role": "vendor", "name": "x", "language": "fr"}):
        s, b, _ = call("POST", "/api/v1/cases/%d/parties" % case_id, bad, token=lead)
        t.check(s == 400, "bad party %s: 400 (%d)" % (bad, s))

    # Links: unknown, malformed, and the other case's are all the same 404.
    s, b, _ = call("GET", "/api/v1/intake/" + "A" * 43, token=None)
    t.check(s == 404 and b["error"]["code"] == "not_found", "unknown link: 404 (%d)" % s)
    s, b, _ = call("POST", "/api/v1/intake/" + "A" * 43 + "/messages", {"body": "hi"}, token=None)
    t.check(s == 404, "message on an unknown link: 404 (%d)" % s)
    s, b, _ = call("GET", "/api/v1/intake/short", token=None)
    t.check(s in (401, 404), "malformed link: no route, like any unknown API path (%d)" % s)

    # -- bad reports ---------------------------------------------------------------
    ADDRESS[0] = "192.0.2.2"
    big = base64.b64encode(os.urandom(600 * 1024)).decode()
    for what, body, status, field in (
            ("unknown field", report(severity="critical"), 400, "severity"),
            ("no title", {"description": "x"}, 400, "title"),
            ("reporter unknown field", report(reporter={"name": "x", "phone": "1"}), 400, None),
            ("bad email", report(reporter={"email": "nobody"}), 400, "reporter.email"),
            ("bad language", report(reporter={"language": "fr"}), 400, "reporter.language"),
            ("oversize attachment", report(attachments=[{"name": "a", "data": big}]), 413, "attachments"),
            ("bad base64", report(attachments=[{"name": "a", "data": "!!!!"}]), 400, "attachments"),
            ("too many attachments", report(attachments=[{"name": "a", "data": ""}] * 9), 413, None)):
        s, b, _ = call("POST", "/api/v1/intake", body, token=None)
        t.check(s == status and (field is None or b["error"].get("field") == field),
                "%s: %d (%d %s)" % (what, status, s, b))
    s, b, _ = call("POST", "/api/v1/intake", None, token=None, raw=b'{"title": "x",')
    t.check(s == 400 and b["error"]["code"] == "invalid_json", "malformed JSON: 400 (%d)" % s)
    s, b, _ = call("POST", "/api/v1/intake", None, token=None,
                   raw=b"-----BEGIN PGP MESSAGE-----\n\nhQEMA0xyz\n")
    t.check(s == 400 and b["error"]["code"] == "invalid_openpgp", "cut OpenPGP message: 400 (%d)" % s)

    # An OpenPGP message is kept whole on its case.
    ADDRESS[0] = "192.0.2.3"
    armour = "-----BEGIN PGP MESSAGE-----\n\nhQEMA7Jx1Y3e9mNqAQf+abc\n=XyZ1\n-----END PGP MESSAGE-----\n"
    s, r2, _ = call("POST", "/api/v1/intake", None, token=None, raw=armour.encode(),
                    headers={"Content-Type": "application/pgp-encrypted"})
    t.check(s == 201 and r2["receipt"] != r["receipt"], "encrypted report filed (%d %s)" % (s, r2))
    s, ms, _ = call("GET", "/api/v1/cases/%d/messages" % r2["case"], token=lead)
    t.check(s == 200 and ms["items"][0]["raw"] == armour and ms["items"][0]["encrypted"] == 1,
            "the ciphertext is kept as it came (%s)" % ms)

    # Encrypted to the organisation's key (in DATA/gnupg, made here by GnuPG): decrypted.
    gnupg, other = os.path.join(data, "gnupg"), tempfile.mkdtemp(prefix="xsirt-gnupg-")
    os.makedirs(gnupg, 0o700, exist_ok=True)   # init made it with the organisation's key
    os.chmod(other, 0o700)
    homes = [gnupg, other]

    def gpg(home, *args, data_in=None):
        return subprocess.run(["gpg", "--batch", "--pinentry-mode", "loopback", "--passphrase", ""] + list(args),
                              input=data_in, env=dict(os.environ, GNUPGHOME=home), check=True,
                              capture_output=True).stdout

    gpg(gnupg, "--quick-gen-key", "ACME PSIRT <psirt@acme.example>", "default", "default", "1d")
    gpg(other, "--import", data_in=gpg(gnupg, "--armor", "--export", "psirt@acme.example"))
    secret_report = report(title="Encrypted: auth bypass", description="Send header X-Admin: 1")
    armour = gpg(other, "--armor", "--trust-model", "always", "--encrypt", "-r", "psirt@acme.example",
                 data_in=json.dumps(secret_report).encode()).decode()
    s, r3, _ = call("POST", "/api/v1/intake", None, token=None, raw=armour.encode(),
                    headers={"Content-Type": "application/pgp-encrypted"})
    t.check(s == 201, "encrypted JSON report filed (%d %s)" % (s, r3))
    s, c, _ = call("GET", "/api/v1/cases/%d" % r3["case"], token=lead)
    t.check(c["title"] == "Encrypted: auth bypass" and "HMI-3000" in c["description"],
            "decrypted with GPGME: the case is the report inside (%s)" % c["title"])
    s, ms, _ = call("GET", "/api/v1/cases/%d/messages" % r3["case"], token=lead)
    t.check(ms["items"][0]["body"] == "Send header X-Admin: 1" and ms["items"][0]["raw"] == armour and
            ms["items"][0]["encrypted"] == 1, "the ciphertext is kept beside the plain text")
    armour = gpg(other, "--armor", "--trust-model", "always", "--encrypt", "-r", "psirt@acme.example",
                 data_in="プレーンテキストの報告".encode()).decode()
    s, r4, _ = call("POST", "/api/v1/intake", None, token=None, raw=armour.encode())
    s, c, _ = call("GET", "/api/v1/cases/%d" % r4["case"], token=lead)
    t.check(c["title"] == "Encrypted vulnerability report" and "プレーンテキストの報告" in c["description"],
            "an encrypted plain-text report becomes the description (%s)" % c["description"][:40])

    # -- security.txt (RFC 9116) ---------------------------------------------------
    s, txt, h = call("GET", "/.well-known/security.txt", token=None)
    t.check(s == 200 and h["Content-Type"].startswith("text/plain") and "charset=utf-8" in h["Content-Type"],
            "security.txt served as text/plain; charset=utf-8 (%d %s)" % (s, h["Content-Type"]))
    fields = {}
    for line in txt.splitlines():
        if line.startswith("#") or not line:
            continue
        name, sep, value = line.partition(": ")
        t.check(sep == ": " and name and value, "line has the form Field: value: %r" % line)
        fields.setdefault(name.lower(), []).append(value)
    t.check(txt.endswith("\n"), "every line ends with a newline")
    t.check("contact" in fields and all(v.startswith(("mailto:", "https://")) for v in fields["contact"]),
            "Contact present, mailto: or https: (%s)" % fields.get("contact"))
    t.check("mailto:psirt@acme.example" in fields["contact"], "Contact has smtp_from")
    t.check(len(fields.get("expires", [])) == 1, "exactly one Expires (RFC 9116 2.5.5)")
    exp = datetime.datetime.strptime(fields["expires"][0], "%Y-%m-%dT%H:%M:%SZ").replace(
        tzinfo=datetime.timezone.utc)
    now = datetime.datetime.now(datetime.timezone.utc)
    t.check(now < exp < now + datetime.timedelta(days=365), "Expires in the future, under a year: %s" % exp)
    t.check(fields.get("encryption") == [PUBLIC + "/.well-known/csaf/openpgp/%s.asc" % FPR],
            "Encryption is the URL of the published key (%s)" % fields.get("encryption"))
    t.check(fields.get("policy") == [PUBLIC + "/policy"], "Policy from the settings")
    t.check(fields.get("preferred-languages") == ["ja, en"], "Preferred-Languages: ja, en")
    t.check(fields.get("canonical") == [PUBLIC + "/.well-known/security.txt"], "Canonical matches the URL")
    t.check(fields.get("csaf") == [PUBLIC + "/.well-known/csaf/provider-metadata.json"], "CSAF field")
    known = {"acknowledgments", "canonical", "contact", "encryption", "expires", "hiring", "policy",
             "preferred-languages", "csaf"}
    t.check(set(fields) <= known, "only registered fields: %s" % sorted(fields))
    s, _, _ = call("POST", "/.well-known/security.txt", {}, token=None)
    t.check(s == 405, "security.txt is read-only (%d)" % s)

    # -- the audit log records the intake ----------------------------------------
    s, a, _ = call("GET", "/api/v1/audit?limit=200")
    t.check(s == 200 and any(x["action"] == "intake.create" for x in a["items"]), "intake audited")

    # -- the intake queue: the team sees its reports, newest first, others none --
    s, q, _ = call("GET", "/api/v1/intake-reports?limit=200", token=lead)
    mine = [x for x in q["items"] if x["case"] == case_id] if s == 200 else []
    t.check(s == 200 and len(mine) == 1 and mine[0]["receipt"] == r["receipt"] and
            mine[0]["channel"] == "web" and mine[0]["title"] == report()["title"] and
            mine[0]["state"] == c["state"] and mine[0]["tlp"] == "AMBER" and
            mine[0]["reporter"] == {"name": "Aiko Tanaka", "email": "aiko@example.jp", "organisation": "Lab",
                                    "language": "ja"} and
            mine[0]["received"],
            "the intake queue lists the report with its reporter and receipt (%d %s)" % (s, mine))
    ids = [x["id"] for x in q.get("items", [])]
    t.check(len(ids) >= 2 and ids == sorted(ids, reverse=True), "newest first (%s)" % ids)
    s, q1, _ = call("GET", "/api/v1/intake-reports?limit=1", token=lead)
    s2, q2, _ = call("GET", "/api/v1/intake-reports?limit=1&cursor=%s" % q1["next"], token=lead)
    t.check(s == 200 and s2 == 200 and len(q1["items"]) == 1 and q1["next"] is not None and
            q2["items"][0]["id"] < q1["items"][0]["id"], "paged by cursor (%s, %s)" % (q1, q2))
    s, q, _ = call("GET", "/api/v1/intake-reports?limit=200", token=outsider)
    t.check(s == 200 and q["items"] == [], "another team's user sees no report (%d %s)" % (s, q))
    s, q, _ = call("GET", "/api/v1/intake-reports", token=None)
    t.check(s == 401, "the queue needs a login (%d)" % s)

    # -- a flood: 429 with Retry-After, and nothing more is filed --------------------
    statuses, retry = [], None
    ADDRESS[0] = "192.0.2.4"
    for i in range(15):
        s, b, h = call("POST", "/api/v1/intake", report(title="flood %d" % i), token=None)
        statuses.append(s)
        if s == 429:
            retry = h.get("Retry-After")
    t.check(429 in statuses and retry is not None and int(retry) >= 1,
            "a flood gets 429 with Retry-After (%s, %s)" % (statuses, retry))
    s, cs, _ = call("GET", "/api/v1/cases?limit=200&label=intake")
    filed = [c for c in cs["items"] if c["title"].startswith("flood")]
    t.check(len(filed) == statuses.count(201), "only the accepted reports became cases (%d)" % len(filed))
finally:
    srv.stop()
    for home in globals().get("homes", []):   # the agents gpg and GPGME started
        subprocess.run(["gpgconf", "--kill", "all"], env=dict(os.environ, GNUPGHOME=home), capture_output=True)
        if home != os.path.join(data, "gnupg"):
            shutil.rmtree(home, ignore_errors=True)
    cleanup(data)
t.finish()
