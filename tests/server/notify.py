#!/usr/bin/env python3
"""notify.py BACKEND — notifications end to end (issue 11 item 8): rules as
data (team leads and administrators only, the secret write-only), immediate
notifications of new findings by signed webhook and by mail through a real
loopback SMTP server (aiosmtpd, with authentication from smtp_url), nothing
of another team's assets reaching a rule, the weekly digest in English and
Japanese (parsed with Python's email package: right team, right findings,
KEV first, overdue marked), a failing SMTP server then a working one
(delivered after retry, the rule showing the error meanwhile), and kill -9
of the server with undelivered messages: after a restart they arrive.
"""
import email
import email.header
import email.policy
import hashlib
import hmac
import json
import logging
import os
import sqlite3
import subprocess
import sys
import threading
import time
import warnings

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from harness import XSIRT, Result, Server, cleanup, fresh_database, init, request
from hook_sink import HookSink
from portfolio_kit import build_index, cdx, people, team_tree
from smtp_sink import free_port, wait_for

# aiosmtpd warns, rightly, that AUTH without TLS is unsafe: on loopback in a
# test it is what we want (libcurl uses STARTTLS when offered).
warnings.filterwarnings("ignore")
logging.getLogger("mail.log").setLevel(logging.CRITICAL)

backend = sys.argv[1]
t = Result()
data, database = fresh_database(backend, "notify")
admin = init(data, database)["token"]
build_index(data)
DB_ARGS = ["--data", data] + (["--database", database] if database else [])
SECRET = "webhook secret 1"
# The webhook receiver is on loopback: `xsirt notify deliver` is allowed it
# as the harness allows the server (XSIRT_WEBHOOK_ALLOW, docs/security.md).
CLI_ENV = dict(os.environ, XSIRT_WEBHOOK_ALLOW="127.0.0.1")


# -- a loopback SMTP server with authentication ------------------------------
class Mailbox:
    def __init__(self):
        self.messages, self.logins = [], []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.original_content or envelope.content,
                                       policy=email.policy.default)
        with self.lock:
            self.messages.append((list(envelope.rcpt_tos), msg))
        return "250 OK"


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = auth_data.login == b"mailer" and auth_data.password == b"mail pass"
    box.logins.append((auth_data.login, ok))
    return AuthResult(success=ok)


box = Mailbox()
SMTP_PORT = free_port()


def smtp_start():
    c = Controller(box, hostname="127.0.0.1", port=SMTP_PORT, authenticator=authenticator,
                   auth_require_tls=False, auth_required=True)
    c.start()
    return c


# -- a webhook receiver -------------------------------------------------------
hook_server = HookSink()
hooks, hook_fail, HOOK = hook_server.hooks, hook_server.fail, hook_server.base


def wait(cond, seconds=40):
    return wait_for(cond, seconds)


def mails_to(addr):
    with box.lock:
        return [m for rcpt, m in box.messages if addr in rcpt]


def subject(msg):
    return str(email.header.make_header(email.header.decode_header(msg["Subject"])))


def body(msg):
    return msg.get_content()


def set_overdue(vuln):
    """Time passing, as the database sees it: the findings of vuln become
    overdue (their due date is in the past)."""
    sql = "UPDATE findings SET due = '2020-01-01T00:00:00.000Z' WHERE vuln_id = '%s'" % vuln
    if database:
        subprocess.run(["psql", database, "-qc", sql], check=True, capture_output=True)
    else:
        with sqlite3.connect(os.path.join(data, "xsirt.db")) as c:
            c.execute(sql)


smtp = smtp_start()
srv = Server(data, database).start()


def call(method, path, body=None, token=admin, **kw):
    return request(srv.base, method, path, body, token, **kw)


def upload(asset, doc, token=admin):
    return call("POST", "/api/v1/assets/%d/sboms" % asset, token=token, raw=doc,
                headers={"Content-Type": "application/octet-stream"})


try:
    s, _, _ = call("PATCH", "/api/v1/settings",
                   {"smtp_url": "smtp://mailer:mail%%20pass@127.0.0.1:%d" % SMTP_PORT,
                    "smtp_from": "psirt@example.com"})
    t.check(s == 200, "smtp settings")

    # -- teams, people -------------------------------------------------------
    corp, site, soc = team_tree(call)
    users = people(call, (("lena", corp, "lead"), ("max", corp, "member"),
                             ("sol", soc, "lead")))
    lena, mx, sol = users["lena"], users["max"], users["sol"]

    # -- rules as data ---------------------------------------------------------
    s, hook_rule, h = call("POST", "/api/v1/notification-rules",
                           {"team": corp["id"], "events": ["finding.new"], "channel": "webhook",
                            "target": HOOK + "/corp", "secret": SECRET}, token=lena)
    t.check(s == 201 and hook_rule["secret"] == {"set": True} and SECRET not in json.dumps(hook_rule)
            and hook_rule["schedule"] == "immediate" and hook_rule["min_priority"] == "P4"
            and hook_rule["pending"] == 0
            and h["Location"] == "/api/v1/notification-rules/%d" % hook_rule["id"],
            "a lead adds a webhook rule; the secret is write-only: %r" % (hook_rule,))
    for bad, field in (({"team": corp["id"], "channel": "webhook", "target": HOOK}, "secret"),
                       ({"team": corp["id"], "channel": "webhook", "target": "ftp://x", "secret": "s"}, "target"),
                       ({"team": corp["id"], "channel": "email", "target": "a@b.example\r\nBcc: x@y"}, "target"),
                       ({"team": corp["id"], "channel": "email", "target": "nobody"}, "target"),
                       ({"team": corp["id"], "channel": "pigeon", "target": "a@b"}, "channel"),
                       ({"team": corp["id"], "channel": "email", "target": "a@b", "events": ["finding.old"]}, "events"),
                       ({"team": corp["id"], "channel": "email", "target": "a@b", "min_priority": "P7"}, "min_priority"),
                       ({"team": corp["id"], "channel": "email", "target": "a@b", "language": "fr"}, "language"),
                       ({"team": corp["id"], "channel": "email", "target": "a@b", "schedule": "daily"}, "schedule"),
                       ({"team": corp["id"], "channel": "email", "target": "a@b", "colour": 1}, "colour")):
        s, b, _ = call("POST", "/api/v1/notification-rules", bad, token=lena)
        t.check(s == 400 and b["error"]["field"] == field, "bad rule %r -> 400 %s: %r" % (bad, field, b))
    s, b, _ = call("POST", "/api/v1/notification-rules",
                   {"team": corp["id"], "channel": "email", "target": "a@b.example"}, token=mx)
    t.check(s == 403, "a member (not a lead) may not add rules: %d" % s)
    s, b, _ = call("POST", "/api/v1/notification-rules",
                   {"team": corp["id"], "channel": "email", "target": "a@b.example"}, token=sol)
    t.check(s == 403, "another team's lead may not add rules to corp: %d" % s)
    s, _, _ = call("GET", "/api/v1/notification-rules/%d" % hook_rule["id"], token=mx)
    t.check(s == 404, "a member does not see the team's rules")
    s, b, _ = call("GET", "/api/v1/notification-rules", token=sol)
    t.check(s == 200 and b["items"] == [], "another team's lead lists none of corp's rules")
    s, kev_rule, _ = call("POST", "/api/v1/notification-rules",
                          {"team": corp["id"], "events": ["finding.kev"], "channel": "email",
                           "target": "owner@example.com"}, token=lena)
    t.check(s == 201, "an email rule for known-exploited findings")
    s, soc_rule, _ = call("POST", "/api/v1/notification-rules",
                          {"team": soc["id"], "events": ["finding.new", "finding.kev"],
                           "channel": "webhook", "target": HOOK + "/soc", "secret": "soc"},
                          token=sol)
    t.check(s == 201, "the SOC's own rule")
    weekly = {}
    for key, team, lang, tok in (("corp-en", corp, "en", lena), ("corp-ja", corp, "ja", lena),
                                 ("site-en", site, "en", lena)):
        s, weekly[key], _ = call("POST", "/api/v1/notification-rules",
                                 {"team": team["id"], "channel": "email", "schedule": "weekly",
                                  "language": lang, "target": key + "@example.com"}, token=tok)
        t.check(s == 201, "weekly rule " + key)
    s, b, _ = call("GET", "/api/v1/notification-rules", token=lena)
    t.check(s == 200 and len(b["items"]) == 5, "lena lists corp's and site's rules: %r" % (b,))
    # PATCH with If-Match, DELETE
    s, tmp, _ = call("POST", "/api/v1/notification-rules",
                     {"team": site["id"], "channel": "email", "target": "tmp@example.com"}, token=lena)
    s, b, _ = call("PATCH", "/api/v1/notification-rules/%d" % tmp["id"], {"min_priority": "P1"},
                   token=lena)
    t.check(s == 428, "PATCH without If-Match -> 428")
    s, b, _ = call("PATCH", "/api/v1/notification-rules/%d" % tmp["id"],
                   {"min_priority": "P1", "language": "ja"}, token=lena, headers={"If-Match": '"1"'})
    t.check(s == 200 and b["min_priority"] == "P1" and b["language"] == "ja" and b["revision"] == 2,
            "PATCH a rule: %r" % (b,))
    s, b, _ = call("PATCH", "/api/v1/notification-rules/%d" % tmp["id"], {"min_priority": "P2"},
                   token=lena, headers={"If-Match": '"1"'})
    t.check(s == 412, "a stale If-Match -> 412")
    s, _, _ = call("DELETE", "/api/v1/notification-rules/%d" % tmp["id"], token=mx)
    t.check(s == 404, "a member cannot delete a rule")
    s, _, _ = call("DELETE", "/api/v1/notification-rules/%d" % tmp["id"], token=lena)
    s2, _, _ = call("GET", "/api/v1/notification-rules/%d" % tmp["id"], token=lena)
    t.check(s == 200 and s2 == 404, "a lead deletes a rule")
    s, b, _ = call("GET", "/api/v1/audit?limit=200")
    t.check(s == 200 and any(r.get("action") == "notification_rule.create" for r in b["items"])
            and SECRET not in json.dumps(b), "rule changes are audited, without the secret")

    # -- assets and SBOMs: immediate notifications ----------------------------
    _, gw, _ = call("POST", "/api/v1/assets", {"name": "Gateway", "version": "1.0", "kind": "product",
                                               "team": corp["id"], "exposure": "internet",
                                               "criticality": "critical"})
    _, portal, _ = call("POST", "/api/v1/assets", {"name": "Portal", "kind": "service",
                                                   "team": site["id"]})
    _, siem, _ = call("POST", "/api/v1/assets", {"name": "SIEM", "kind": "system", "team": soc["id"]})
    s, up, _ = upload(gw["id"], cdx([("salt", "3000.1"), ("jinja2", "2.10")]))
    t.check(s == 201 and up["findings"] > 1, "Gateway's SBOM: %r" % (up,))
    s, up2, _ = upload(portal["id"], cdx([("django", "2.0"), ("urllib3", "1.24")]))
    t.check(s == 201 and up2["findings"] > 0, "Portal's SBOM: %r" % (up2,))
    s, _, _ = upload(siem["id"], cdx([("requests", "2.19.0")]))
    _, gw_f, _ = call("GET", "/api/v1/findings?asset=%d&limit=200" % gw["id"])
    _, portal_f, _ = call("GET", "/api/v1/findings?asset=%d&limit=200" % portal["id"])
    gw_ids = {f["id"] for f in gw_f["items"]}
    portal_ids = {f["id"] for f in portal_f["items"]}
    kev_ids = {f["id"] for f in gw_f["items"] if f["vulnerability"]["kev"]}
    t.check(len(kev_ids) > 0 and len(kev_ids) < len(gw_ids), "salt's KEV findings and others")

    t.check(wait(lambda: len([x for x in hooks if x[0] == "/corp"]) >= 2),
            "corp's webhook hears of both uploads: %r" % ([x[0] for x in hooks],))
    corp_hooks = [x for x in hooks if x[0] == "/corp"]
    for path, sig, raw in corp_hooks:
        good = "sha256=" + hmac.new(SECRET.encode(), raw, hashlib.sha256).hexdigest()
        t.check(sig == good, "the webhook signature verifies: %r" % (sig,))
        t.check(hmac.new(b"wrong", raw, hashlib.sha256).hexdigest() not in (sig or ""),
                "and not with another key")
    seen = {}
    for _, _, raw in corp_hooks:
        p = json.loads(raw)
        t.check(p["event"] == "finding.new" and p["team"]["id"] == corp["id"] and
                p["rule"] == hook_rule["id"], "webhook payload header: %r" % (p["event"],))
        seen[p["asset"]["id"]] = {f["id"] for f in p["findings"]}
    t.check(seen.get(gw["id"]) == gw_ids and seen.get(portal["id"]) == portal_ids,
            "the webhook lists exactly the new findings of each upload")
    wait(lambda: len(hooks) >= 3, 5)
    soc_hooks = [json.loads(x[2]) for x in hooks if x[0] == "/soc"]
    t.check(len(soc_hooks) == 1 and soc_hooks[0]["asset"]["id"] == siem["id"] and
            not ({f["id"] for f in soc_hooks[0]["findings"]} & (gw_ids | portal_ids)),
            "the SOC's rule hears only of the SOC's asset, nothing of corp's")

    t.check(wait(lambda: len(mails_to("owner@example.com")) >= 1), "the KEV mail arrives")
    m = mails_to("owner@example.com")[0]
    t.check(m["From"].addresses[0].addr_spec == "psirt@example.com" and "Corporate PSIRT" in subject(m) and
            "Known exploited" in subject(m) and m.get_content_type() == "text/plain",
            "KEV mail headers: %r" % (subject(m),))
    text = body(m)
    t.check(all(f["vulnerability"]["id"] in text for f in gw_f["items"] if f["id"] in kev_ids) and
            not any(f["vulnerability"]["id"] in text for f in gw_f["items"] if f["id"] not in kev_ids)
            and "[KEV" in text, "the KEV mail lists the KEV findings only")
    t.check(any(ok for login, ok in box.logins) and all(login == b"mailer" for login, _ in box.logins),
            "the mail went through SMTP authentication from smtp_url: %r" % (box.logins,))

    # -- the weekly digest -------------------------------------------------------
    overdue_vuln = next(f["vulnerability"]["id"] for f in gw_f["items"] if f["id"] not in kev_ids)
    set_overdue(overdue_vuln)
    r = subprocess.run([XSIRT, "notify", "digest"] + DB_ARGS + ["--team", str(site["id"])],
                       capture_output=True, text=True)
    t.check(r.returncode == 0 and "1 digests queued" in r.stdout, "digest of one team: %r" % (r.stdout + r.stderr,))
    t.check(wait(lambda: len(mails_to("site-en@example.com")) >= 1) and
            not mails_to("corp-en@example.com"), "--team sends that team's digest only")
    r = subprocess.run([XSIRT, "notify", "digest"] + DB_ARGS, capture_output=True, text=True)
    t.check(r.returncode == 0 and "3 digests queued" in r.stdout, "digest of all: %r" % (r.stdout + r.stderr,))
    t.check(wait(lambda: mails_to("corp-en@example.com") and mails_to("corp-ja@example.com")),
            "both corp digests arrive")
    all_open = {f["vulnerability"]["id"] for f in gw_f["items"] + portal_f["items"]}
    en = mails_to("corp-en@example.com")[0]
    ja = mails_to("corp-ja@example.com")[0]
    site_mail = mails_to("site-en@example.com")[-1]
    t.check(subject(en).startswith("Weekly digest for Corporate PSIRT") and
            subject(ja).startswith("Corporate PSIRT の週次ダイジェスト"),
            "digest subjects (RFC 2047 decoded): %r %r" % (subject(en), subject(ja)))
    t.check("=?UTF-8?B?" in ja.as_string() or "=?utf-8?b?" in ja.as_string().lower(),
            "the Japanese subject is RFC 2047-encoded")
    for msg, lang in ((en, "en"), (ja, "ja")):
        lines = [l for l in body(msg).splitlines() if l.startswith("- ")]
        t.check({v for v in all_open if any(v in l for l in lines)} == all_open,
                "%s digest lists every open finding of corp and the site below it" % lang)
        kev_mark = "[KEV" if lang == "en" else "[KEV"
        flags = [kev_mark in l for l in lines]
        t.check(flags == sorted(flags, reverse=True) and flags[0], "%s digest: KEV first" % lang)
        over = "[OVERDUE" if lang == "en" else "[期限超過"
        marked = [l for l in lines if over in l]
        t.check(marked and all(overdue_vuln in l for l in marked), "%s digest marks the overdue one" % lang)
    t.check("悪用が確認されている脆弱性を先に示します。" in body(ja) and
            "known exploited vulnerabilities first." in body(en), "whole sentences in each language")
    site_lines = [l for l in body(site_mail).splitlines() if l.startswith("- ")]
    t.check(site_lines and all("Portal" in l for l in site_lines),
            "the site's digest has the site's findings only: %r" % (site_lines[:3],))
    t.check(not any(v in body(site_mail) for v in
                    {f["vulnerability"]["id"] for f in gw_f["items"]} -
                    {f["vulnerability"]["id"] for f in portal_f["items"]}),
            "nothing of corp's Gateway reaches the site's rule")

    # -- case events: to the owning team and the teams above, never for RED ---------
    case_events = ["case.transition", "case.assigned", "escalation"]
    s, case_rule, _ = call("POST", "/api/v1/notification-rules",
                           {"team": corp["id"], "events": case_events, "channel": "webhook",
                            "target": HOOK + "/cases", "secret": SECRET}, token=lena)
    s2, site_rule, _ = call("POST", "/api/v1/notification-rules",
                            {"team": site["id"], "events": case_events, "channel": "webhook",
                             "target": HOOK + "/site-cases", "secret": SECRET}, token=lena)
    t.check(s == 201 and s2 == 201, "case event rules")
    _, me, _ = call("GET", "/api/v1/session", token=lena)
    s, kase, _ = call("POST", "/api/v1/cases", {"title": "RCE in gateway", "kind": "vulnerability",
                                                "team": corp["id"], "severity": "critical",
                                                "tlp": "AMBER"}, token=lena)
    s2, red, _ = call("POST", "/api/v1/cases", {"title": "Secret red matter", "kind": "vulnerability",
                                                "team": corp["id"], "severity": "critical",
                                                "tlp": "RED"}, token=lena)
    t.check(s == 201 and s2 == 201, "an AMBER and a RED case")
    s, _, _ = call("POST", "/api/v1/cases/%d/transitions" % kase["id"], {"to": "triage"}, token=lena)
    s2, _, _ = call("POST", "/api/v1/cases/%d/transitions" % red["id"], {"to": "triage"}, token=lena)
    t.check(s == 200 and s2 == 200, "both move to triage")
    user_id = me.get("user", {}).get("id") if isinstance(me.get("user"), dict) else me.get("id")
    s, _, _ = call("PATCH", "/api/v1/cases/%d" % kase["id"], {"assignee": user_id}, token=lena,
                   headers={"If-Match": '"2"'})
    t.check(s == 200, "assign the AMBER case")
    wanted = {"case.transition", "case.assigned", "escalation"}
    t.check(wait(lambda: wanted <= {json.loads(x[2])["event"] for x in hooks if x[0] == "/cases"}),
            "corp's rule hears of the transition, the assignment and the escalation: %r"
            % ([json.loads(x[2])["event"] for x in hooks if x[0] == "/cases"],))
    case_msgs = [json.loads(x[2]) for x in hooks if x[0] == "/cases"]
    tr = next(m for m in case_msgs if m["event"] == "case.transition")
    t.check(tr["case"]["id"] == kase["id"] and tr["from"] == "discovery" and tr["to"] == "triage",
            "the transition message: %r" % (tr,))
    t.check(all(m["case"]["id"] != red["id"] and "red matter" not in json.dumps(m) for m in case_msgs),
            "nothing of the RED case reaches any team's rule")
    t.check(not [x for x in hooks if x[0] == "/site-cases"],
            "the site below does not hear of corp's AMBER case")

    # -- overdue findings and cases: announced once ----------------------------------
    s, _, _ = call("POST", "/api/v1/notification-rules",
                   {"team": corp["id"], "events": ["finding.overdue", "case.overdue"],
                    "channel": "webhook", "target": HOOK + "/overdue", "secret": SECRET}, token=lena)
    _, kc, h = call("GET", "/api/v1/cases/%d" % kase["id"], token=lena)
    s1, _, _ = call("PATCH", "/api/v1/cases/%d" % kase["id"], {"due": "2020-01-01T00:00:00Z"},
                    token=lena, headers={"If-Match": h["ETag"]})
    _, rc_, h = call("GET", "/api/v1/cases/%d" % red["id"], token=lena)
    s2, _, _ = call("PATCH", "/api/v1/cases/%d" % red["id"], {"due": "2020-01-01T00:00:00Z"},
                    token=lena, headers={"If-Match": h["ETag"]})
    t.check(s == 201 and s1 == 200 and s2 == 200, "an overdue rule; both cases past due")
    r = subprocess.run([XSIRT, "notify", "deliver"] + DB_ARGS, capture_output=True, text=True,
                       env=CLI_ENV)
    t.check(r.returncode == 0, "notify deliver: %r" % (r.stdout + r.stderr,))
    overdue_msgs = lambda: [json.loads(x[2]) for x in hooks if x[0] == "/overdue"]
    t.check(wait(lambda: {m["event"] for m in overdue_msgs()} == {"finding.overdue", "case.overdue"}),
            "overdue finding and case announced: %r" % ([m["event"] for m in overdue_msgs()],))
    fo = [m for m in overdue_msgs() if m["event"] == "finding.overdue"]
    t.check(len(fo) == 1 and fo[0]["asset"]["id"] == gw["id"] and
            {f["vulnerability"]["id"] for f in fo[0]["findings"]} == {overdue_vuln} and
            all(f["overdue"] for f in fo[0]["findings"]), "the overdue finding message: %r" % (fo,))
    co = [m for m in overdue_msgs() if m["event"] == "case.overdue"]
    t.check(len(co) == 1 and co[0]["case"]["id"] == kase["id"], "only the AMBER case, not the RED one")
    n_over = len(overdue_msgs())
    subprocess.run([XSIRT, "notify", "deliver"] + DB_ARGS, capture_output=True, text=True,
                       env=CLI_ENV)
    time.sleep(1)
    t.check(len(overdue_msgs()) == n_over, "announced once")

    # -- a failing SMTP server, then a working one --------------------------------
    smtp.stop()
    before = len(mails_to("owner@example.com"))
    s, _, _ = upload(gw["id"], cdx([("salt", "3000.1"), ("salt", "2019.2.0"), ("jinja2", "2.10")]))
    t.check(s == 201, "a new SBOM while the mail server is down")
    t.check(wait(lambda: (call("GET", "/api/v1/notification-rules/%d" % kev_rule["id"], token=lena)[1]
                          .get("last_error") or "") != ""), "the rule shows the delivery error")
    _, r1, _ = call("GET", "/api/v1/notification-rules/%d" % kev_rule["id"], token=lena)
    t.check(r1["pending"] >= 1 and "smtp" in r1["last_error"], "pending and error: %r" % (r1,))
    smtp = smtp_start()
    t.check(wait(lambda: len(mails_to("owner@example.com")) > before, 60),
            "delivered after retry once the server works")
    _, r2, _ = call("GET", "/api/v1/notification-rules/%d" % kev_rule["id"], token=lena)
    t.check(r2["pending"] == 0 and r2["last_error"] is None and r2["last_delivered"],
            "nothing pending, the error cleared: %r" % (r2,))

    # -- kill -9 with undelivered messages ------------------------------------------
    smtp.stop()
    hook_fail[0] = True
    n_hooks = len(hooks)
    before = len(mails_to("owner@example.com"))
    s, _, _ = upload(gw["id"], cdx([("salt", "3000.1"), ("salt", "2018.3.0"), ("jinja2", "2.10")]))
    wait(lambda: call("GET", "/api/v1/notification-rules/%d" % kev_rule["id"], token=lena)[1]
         .get("pending", 0) >= 1 and call("GET", "/api/v1/notification-rules/%d" % hook_rule["id"],
                                          token=lena)[1].get("last_error"))
    srv.kill()
    smtp = smtp_start()
    hook_fail[0] = False
    srv = Server(data, database).start()
    t.check(wait(lambda: len(mails_to("owner@example.com")) > before and len(hooks) > n_hooks, 60),
            "after kill -9 and restart the undelivered messages arrive")
    _, r3, _ = call("GET", "/api/v1/notification-rules/%d" % kev_rule["id"], token=lena)
    _, r4, _ = call("GET", "/api/v1/notification-rules/%d" % hook_rule["id"], token=lena)
    t.check(r3["pending"] == 0 and r4["pending"] == 0, "nothing pending after the restart")
    ids = [m["Message-ID"] for m in mails_to("owner@example.com")]
    t.check(len(ids) == len(set(ids)) or len(ids) - len(set(ids)) <= 1,
            "no duplicate beyond at-least-once: %r" % (ids,))
    late = [json.loads(x[2]) for x in hooks[n_hooks:] if x[0] == "/corp"]
    t.check(any(any(f["component"]["version"] == "2018.3.0" for f in p["findings"]) for p in late),
            "the webhook message of the upload before the crash arrives")

    # -- the CLI without a server ---------------------------------------------------
    r = subprocess.run([XSIRT, "notify", "deliver"] + DB_ARGS, capture_output=True, text=True,
                       env=CLI_ENV)
    t.check(r.returncode == 0 and "0 failed" in r.stdout, "notify deliver: %r" % (r.stdout + r.stderr,))
    r = subprocess.run([XSIRT, "notify", "digest"], capture_output=True, text=True)
    t.check(r.returncode == 2, "notify digest without --data -> usage error")
finally:
    srv.stop()
    smtp.stop()
    hook_server.shutdown()
    cleanup(data)
t.finish()
