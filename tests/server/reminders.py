#!/usr/bin/env python3
"""reminders.py BACKEND — embargo reminders are delivered (issue 12): an
embargo set a few seconds ahead makes its reminders due (the 7-day and
1-day "ending" ones at once, the "ended" one at the end), and the server's
worker mails each once, through the outbox, to every party of the case
with an address (in the party's language: the one it was given, else
Japanese for a party in Asia/Tokyo, English otherwise; signed with the organisation's key) and to
the owning team: its notification rule that wants the event, or, for an
event no rule of the team wants, its leads and members with an address.
No clock is moved: the embargo is set close to now.
"""
import datetime
from zoneinfo import ZoneInfo
import email
import email.policy
import os
import subprocess
import sys
import tempfile
import time

from aiosmtpd.controller import Controller
from harness import Result, Server, cleanup, fresh_database, init, request
from org import PASSWORD
from smtp_sink import Sink, free_port, verify_signed, wait_for


backend = sys.argv[1]
t = Result()
data, database = fresh_database(backend, "reminders")
admin = init(data, database)["token"]
srv = Server(data, database).start()
sink = Sink()
port = free_port()
smtp = Controller(sink, hostname="127.0.0.1", port=port)
smtp.start()
verifier = tempfile.mkdtemp(prefix="xsirt-verify-")
os.chmod(verifier, 0o700)


def call(method, path, body=None, token=admin):
    return request(srv.base, method, path, body, token)


def mails():
    """[(recipients, parsed message, text of the signed part or of the message)]."""
    out = []
    for e in list(sink.got):
        m = email.message_from_bytes(e.original_content, policy=email.policy.default)
        text = m.get_payload(0).get_content() if m.is_multipart() else m.get_content()
        out.append((e.rcpt_tos, m, text))
    return out


try:
    s, b, _ = call("PATCH", "/api/v1/settings", {"smtp_url": "smtp://127.0.0.1:%d" % port,
                                                 "smtp_from": "psirt@acme.example"})
    t.check(s == 200, "smtp settings (%d)" % s)
    s, team, _ = call("POST", "/api/v1/teams", {"name": "psirt", "kind": "PSIRT"})
    users = {}
    for name, role, mail in (("lead", "lead", "lead@acme.example"), ("member", "member", "member@acme.example"),
                             ("viewer", "viewer", "viewer@acme.example")):
        s, u, _ = call("POST", "/api/v1/users", {"username": name, "password": PASSWORD, "email": mail})
        call("PUT", "/api/v1/teams/%d/members/%d" % (team["id"], u["id"]), {"role": role})
        s, tok, _ = call("POST", "/api/v1/tokens", {"name": "t", "user": u["id"]})
        users[name] = tok["token"]
    lead = users["lead"]
    # The team's rule wants embargo.ended only: "ending" goes to the members instead.
    s, rule, _ = call("POST", "/api/v1/notification-rules",
                      {"team": team["id"], "events": ["embargo.ended"], "channel": "email",
                       "target": "psirt-list@acme.example", "language": "ja"}, token=lead)
    t.check(s == 201, "a rule that wants embargo.ended (%d %s)" % (s, rule))
    s, case, _ = call("POST", "/api/v1/cases", {"title": "Overflow in HMI", "kind": "vulnerability",
                                                "team": team["id"], "tlp": "AMBER"}, token=lead)
    cid = case["id"]
    parties = {}
    for role, name, mail, zone, lang in (("reporter", "Tanaka", "tanaka@example.jp", "Asia/Tokyo", None),
                                         ("vendor", "Vendor", "vendor@example.com", "Europe/Berlin", None),
                                         ("vendor", "Suzuki", "suzuki@example.de", "Europe/Berlin", "ja"),
                                         ("coordinator", "No mail", None, None, None)):
        s, p, _ = call("POST", "/api/v1/cases/%d/parties" % cid,
                       {"role": role, "name": name, "email": mail, "time_zone": zone, "language": lang},
                       token=lead)
        t.check(s == 201 and p["language"] == lang, "party %s %s (%d %r)" % (role, name, s, p.get("language")))
        parties[name] = p
    s, b, _ = call("POST", "/api/v1/cases/%d/parties" % cid,
                   {"role": "vendor", "name": "X", "language": "de"}, token=lead)
    t.check(s == 400 and b["error"]["field"] == "language", "a language xsirt cannot write: 400 (%d)" % s)

    # The embargo ends 8 s from now, given in Tokyo time.
    end = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=9))) + datetime.timedelta(seconds=8)
    s, emb, _ = call("PUT", "/api/v1/cases/%d/embargo" % cid,
                     {"at": end.isoformat(timespec="seconds"), "zone": "Asia/Tokyo"}, token=lead)
    t.check(s == 200 and emb["zone"] == "Asia/Tokyo", "embargo set (%d %s)" % (s, emb))
    utc = end.astimezone(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")

    # -- "ending": once to each party with an address and to the team's members --------
    ending = {"tanaka@example.jp", "vendor@example.com", "suzuki@example.de", "lead@acme.example",
              "member@acme.example"}
    t.check(wait_for(lambda: {r[0][0] for r in mails()} >= ending, 30),
            "embargo.ending reached the parties and the team (%s)" % sorted({r[0][0] for r in mails()}))
    got = {r[0][0]: r for r in mails()}
    t.check(len(mails()) == 5 and "viewer@acme.example" not in got and "psirt-list@acme.example" not in got,
            "one reminder each, not three (the 7-day one is overtaken), none to viewers or the rule: %s"
            % [r[0] for r in mails()])
    tanaka, vendor = got.get("tanaka@example.jp"), got.get("vendor@example.com")
    t.check(tanaka is not None and "エンバーゴ" in str(tanaka[1]["Subject"]) and "公開しないでください" in tanaka[2]
            and utc in tanaka[2] and "Asia/Tokyo" in tanaka[2],
            "the party in Tokyo gets Japanese, with the end in UTC and the zone (%r)" % (tanaka and tanaka[2]))
    t.check(str(tanaka[1]["Subject"]).startswith("[XSIRT#%d:" % cid) if tanaka else False,
            "its subject carries the party's tag, so a reply files on its thread")
    t.check(vendor is not None and "The embargo on \"Overflow in HMI\" ends at " + utc in vendor[2],
            "the vendor gets English (%r)" % (vendor and vendor[2]))
    berlin = end.astimezone(ZoneInfo("Europe/Berlin")).strftime("%Y-%m-%d %H:%M Europe/Berlin")
    tokyo = end.strftime("%Y-%m-%d %H:%M Asia/Tokyo")
    t.check(vendor is not None and berlin in vendor[2] and tanaka is not None and tokyo in tanaka[2],
            "each party reads the end in its own zone too (%s; %s): %r" % (berlin, tokyo, vendor and vendor[2]))
    suzuki = got.get("suzuki@example.de")
    t.check(suzuki is not None and "エンバーゴ" in str(suzuki[1]["Subject"]) and berlin in suzuki[2],
            "a party given Japanese reads Japanese in Berlin time (%r)" % (suzuki and suzuki[2]))
    t.check(all(r[1].get_content_type() == "multipart/signed" for r in mails()),
            "every reminder is OpenPGP/MIME signed")

    # The signature checks out with the published key.
    meta = call("GET", "/.well-known/csaf/provider-metadata.json", token=None)[1]
    fpr = meta["public_openpgp_keys"][0]["fingerprint"]
    s, pub, _ = call("GET", "/.well-known/csaf/openpgp/%s.asc" % fpr, token=None)
    genv = dict(os.environ, GNUPGHOME=verifier)
    subprocess.run(["gpg", "--batch", "--import"], input=pub.encode(), env=genv, capture_output=True)
    raw = [e.original_content for e in sink.got if e.rcpt_tos == ["vendor@example.com"]][0]
    ok, signer, _ = verify_signed(raw, verifier)
    t.check(ok and signer == fpr, "gpg --verify of a reminder with the published key (%s)" % signer)

    # -- "ended": at the end, to the parties and to the team's rule (Japanese) -----------
    ended = {"tanaka@example.jp", "vendor@example.com", "suzuki@example.de", "psirt-list@acme.example"}
    t.check(wait_for(lambda: len(mails()) >= 9, 40), "embargo.ended delivered (%d mails)" % len(mails()))
    later = mails()[5:]
    t.check({r[0][0] for r in later} == ended,
            "ended: to the parties and the rule's target, not the members (%s)" % [r[0] for r in later])
    rule_mail = [r for r in later if r[0][0] == "psirt-list@acme.example"]
    t.check(rule_mail and "エンバーゴ" in str(rule_mail[0][1]["Subject"]) and "Asia/Tokyo" in rule_mail[0][2],
            "the rule's mail is in its language with the zone (%r)" % (rule_mail and rule_mail[0][2]))
    t.check([r for r in later if r[0][0] == "vendor@example.com" and "ended at " + utc in r[2]],
            "the vendor is told the embargo ended")

    # -- once each: nothing more comes, and the rows say sent --------------------------
    time.sleep(4)
    t.check(len(mails()) == 9, "no reminder is sent twice (%d mails)" % len(mails()))
    s, b, _ = call("GET", "/api/v1/notification-rules/%d" % rule["id"], token=lead)
    t.check(s == 200 and b.get("last_delivered") and b.get("pending", 0) == 0,
            "the rule shows its delivery (%s)" % {k: b.get(k) for k in ("last_delivered", "pending", "last_error")})
finally:
    smtp.stop()
    srv.stop()
    cleanup(data)
    cleanup(verifier)
t.finish()
