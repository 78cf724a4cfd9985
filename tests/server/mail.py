#!/usr/bin/env python3
"""mail.py BACKEND — `xsirt mail deliver` end to end (issue 12): a new
report by mail becomes an intake case with its sender as reporter (subject
in RFC 2047, body in ISO-8859-1 converted), a reply carrying a party's tag
lands on that party's thread and the party sees it through its link, a
guessed tag (right case, wrong token) does not reach the case, an
OpenPGP/MIME message encrypted to the organisation's key (made here by
GnuPG, in DATA/gnupg) is decrypted with GPGME and its ciphertext kept, one
for a key xsirt does not hold or a broken one is kept whole and marked, garbage and NUL bytes are kept whole (base64) on a
case marked unreadable, a database that is down or no intake team gives
exit 75 (the mail server retries), and nothing received is ever dropped.
"""
import email
import email.policy
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

from aiosmtpd.controller import Controller
from harness import XSIRT, Result, Server, cleanup, fresh_database, init, request
from smtp_sink import Sink, free_port, parts, verify_signed, wait_for
from org import Org


backend = sys.argv[1]
t = Result()
data, database = fresh_database(backend, "mail")
admin = init(data, database)["token"]
srv = Server(data, database).start()
B = srv.base
org = Org(B, admin)
PUBLIC = "https://psirt.example.com"
DB_ARGS = ["--data", data] + (["--database", database] if database else [])


def call(method, path, body=None, token=admin):
    return request(B, method, path, body, token)


def deliver(message, args=None):
    if isinstance(message, str):
        message = message.encode()
    r = subprocess.run([XSIRT, "mail", "deliver"] + (args or DB_ARGS), input=message, capture_output=True)
    out = None
    if r.returncode == 0:
        import json
        out = json.loads(r.stdout)
    return r.returncode, out, r.stderr.decode(errors="replace")


# The organisation's key lives in DATA/gnupg (imported here; made by GnuPG in
# the test); another key, in a home of its own, is one xsirt does not hold.
gnupg = os.path.join(data, "gnupg")
os.makedirs(gnupg, 0o700, exist_ok=True)   # init made it, with the organisation's key
other = tempfile.mkdtemp(prefix="xsirt-gnupg-")
homes = [gnupg, other]
keyed = None
try:
    # -- before an intake team: the mail server must keep the mail ----------------
    rc, out, err = deliver("From: a@example.org\nSubject: hi\n\nbody\n")
    t.check(rc == 75 and "intake_team" in err, "no intake team: exit 75 (%d %s)" % (rc, err))
    rc, out, err = deliver("From: a@example.org\n\nx\n", ["--data", "/nonexistent/xsirt"])
    t.check(rc in (2, 75), "no database: not 0 (%d)" % rc)

    org.team("psirt")
    _, lead = org.user("lead", team="psirt", team_role="member")
    s, b, _ = call("PATCH", "/api/v1/settings", {"intake_team": org.teams["psirt"], "public_url": PUBLIC})
    t.check(s == 200, "settings (%d)" % s)

    # -- a new report by mail --------------------------------------------------------
    report = (b"From: =?UTF-8?B?55Sw5Lit?= <tanaka@example.jp>\r\nTo: psirt@acme.example\r\n"
              b"Subject: =?UTF-8?B?6ISG5byx5oCn44Gu5aCx5ZGK?=\r\nMessage-ID: <1@example.jp>\r\n"
              b"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=iso-8859-1\r\n"
              b"Content-Transfer-Encoding: 8bit\r\n\r\nCaf\xe9 overflow in HMI\r\n")
    rc, out, err = deliver(report)
    t.check(rc == 0 and out["filed"] == "intake" and out["receipt"].startswith("XR-"),
            "a mail report becomes an intake case (%d %s %s)" % (rc, out, err))
    cid = out["case"]
    s, c, _ = call("GET", "/api/v1/cases/%d" % cid, token=lead)
    t.check(s == 200 and c["title"] == "脆弱性の報告" and "Café overflow" in c["description"] and
            c["kind"] == "vulnerability", "title decoded (RFC 2047), body converted to UTF-8 (%s)" % c.get("title"))
    s, ps, _ = call("GET", "/api/v1/cases/%d/parties" % cid, token=lead)
    rep = ps["items"][0]
    t.check(rep["role"] == "reporter" and rep["email"] == "tanaka@example.jp" and rep["name"] == "田中",
            "the sender is the reporter (%s)" % rep)
    t.check(rep["mail_tag"].startswith("[XSIRT#%d:" % cid) and len(rep["mail_tag"]) >= len("[XSIRT#1:]") + 16,
            "the party has a mail tag with a secret token: %s" % rep["mail_tag"])

    # -- a reply with the tag goes on the thread ------------------------------------
    tag = rep["mail_tag"]
    rc, out, err = deliver("From: tanaka@example.jp\nSubject: Re: %s your report\n\nMore details here.\n" % tag)
    t.check(rc == 0 and out["filed"] == "thread" and out["case"] == cid, "tagged reply on the thread (%s)" % out)
    rc, out, err = deliver("From: tanaka@example.jp\nX-XSIRT-Case: %s\nSubject: no tag here\n\nBy header.\n"
                           % tag[len("[XSIRT#"):-1])
    t.check(rc == 0 and out["filed"] == "thread", "tag in the X-XSIRT-Case header (%s)" % out)
    s, ms, _ = call("GET", "/api/v1/cases/%d/messages" % cid, token=lead)
    bodies = [m["body"].strip() for m in ms["items"]]
    t.check(bodies[-2:] == ["More details here.", "By header."] and ms["items"][-1]["raw"].startswith("From:"),
            "the replies are on the thread with the mail kept (%s)" % bodies)

    # A guessed tag: right case number, wrong token -> a new intake case, not this thread.
    rc, out, err = deliver("From: attacker@example.net\nSubject: [XSIRT#%d:AAAAAAAAAAAAAAAAAAAAAA] inject\n\nx\n"
                           % cid)
    t.check(rc == 0 and out["filed"] == "intake" and out["case"] != cid, "a guessed tag reaches no case (%s)" % out)
    s, ms2, _ = call("GET", "/api/v1/cases/%d/messages" % cid, token=lead)
    t.check(len(ms2["items"]) == len(ms["items"]), "the thread is unchanged")

    # -- the team answers by mail (through the outbox, OpenPGP/MIME signed) ----------
    def gpg(home, *args, data_in=None, check=True):
        return subprocess.run(["gpg", "--batch", "--pinentry-mode", "loopback", "--passphrase", ""] + list(args),
                              input=data_in, env=dict(os.environ, GNUPGHOME=home), check=check,
                              capture_output=True).stdout

    # The recipient's side: the organisation's public key as the provider publishes it.
    recipient = tempfile.mkdtemp(prefix="xsirt-recipient-")
    os.chmod(recipient, 0o700)
    homes.append(recipient)
    meta = request(B, "GET", "/.well-known/csaf/provider-metadata.json")[1]
    org_fpr = meta["public_openpgp_keys"][0]["fingerprint"]
    s, pub, _ = call("GET", "/.well-known/csaf/openpgp/%s.asc" % org_fpr, token=None)
    gpg(recipient, "--import", data_in=pub.encode())

    sink = Sink()
    port = free_port()
    smtp = Controller(sink, hostname="127.0.0.1", port=port)
    smtp.start()
    try:
        s, b, _ = call("PATCH", "/api/v1/settings", {"smtp_url": "smtp://127.0.0.1:%d" % port,
                                                     "smtp_from": "psirt@acme.example"})
        t.check(s == 200, "smtp settings (%d)" % s)
        s, m, _ = call("POST", "/api/v1/cases/%d/messages" % cid,
                       {"body": "Thank you.\n.\nWe reproduced it.", "party": rep["id"]}, token=lead)
        t.check(s == 201 and len(m["mail"]) == 1 and m["mail"][0]["to"] == "tanaka@example.jp" and
                m["mail"][0]["queued"] is True and isinstance(m["mail"][0]["outbox"], int),
                "the team's message is queued in the outbox (%d %s)" % (s, m))
        t.check(wait_for(lambda: len(sink.got) == 1), "the worker delivered it to the sink")
        t.check(len(sink.got) == 1 and sink.got[0].rcpt_tos == ["tanaka@example.jp"] and
                sink.got[0].mail_from == "psirt@acme.example", "the sink got one mail for the reporter")
        raw0 = sink.got[0].original_content if sink.got else b""
        sent = email.message_from_bytes(raw0, policy=email.policy.default)
        t.check(str(sent["Subject"]).startswith(tag) and "脆弱性の報告" in str(sent["Subject"]),
                "its subject has the party's tag and the case title: %s" % sent["Subject"])
        ok, signer, text = verify_signed(raw0, recipient) if raw0 else (False, None, None)
        t.check(ok and signer == org_fpr, "RFC 3156 multipart/signed: gpg --verify with the published key (%s)" % signer)
        t.check(text is not None and text.replace("\r\n", "\n").strip() == "Thank you.\n.\nWe reproduced it.",
                "its body arrived whole (a lone dot too): %r" % text)
        tampered = raw0.replace(b"Content-Transfer-Encoding: base64\r\n\r\n",
                                b"Content-Transfer-Encoding: base64\r\n\r\nAAAA", 1)
        t.check(raw0 != b"" and not verify_signed(tampered, recipient)[0], "a changed part fails the signature")
        # Reply with the subject as it went on the wire (RFC 2047 words, unfolded).
        raw_subject = [line for line in raw0.decode().split("\r\n\r\n")[0]
                       .replace("\r\n ", " ").split("\r\n") if line.startswith("Subject:")][0]
        rc, out, err = deliver("From: tanaka@example.jp\n%s\n\nThanks, patch date?\n"
                               % raw_subject.replace("Subject:", "Subject: Re:", 1))
        t.check(rc == 0 and out["filed"] == "thread" and out["case"] == cid,
                "the reply to the mail comes back to the thread (%s %s)" % (out, err))
        s, b, _ = call("POST", "/api/v1/cases/%d/messages" % cid, {"body": "To all"}, token=lead)
        t.check(s == 201 and [x["to"] for x in b["mail"]] == ["tanaka@example.jp"],
                "a shared message goes to every party with an address (%s)" % b.get("mail"))
        t.check(wait_for(lambda: len(sink.got) == 2), "and is delivered")

        # -- the party's key is stored: mail to it is encrypted (and signed) -----------
        gpg(recipient, "--quick-gen-key", "Tanaka <tanaka@example.jp>", "future-default", "default", "1d")
        party_key = gpg(recipient, "--armor", "--export", "tanaka@example.jp").decode()
        s, b, _ = call("PUT", "/api/v1/cases/%d/parties/%d/openpgp_key" % (cid, rep["id"]),
                       {"openpgp_key": "not a key"}, token=lead)
        t.check(s == 400 and b["error"]["field"] == "openpgp_key", "a key that is not a public key block -> 400")
        org.team("other")
        _, eve = org.user("eve", team="other", team_role="lead")
        _, viewer = org.user("viewer", team="psirt", team_role="viewer")
        s, b, _ = call("PUT", "/api/v1/cases/%d/parties/%d/openpgp_key" % (cid, rep["id"]),
                       {"openpgp_key": party_key}, token=eve)
        t.check(s == 404, "another team cannot set a party's key (%d)" % s)
        s, b, _ = call("PUT", "/api/v1/cases/%d/parties/%d/openpgp_key" % (cid, rep["id"]),
                       {"openpgp_key": party_key}, token=viewer)
        t.check(s == 403, "a viewer of the team cannot either (%d)" % s)
        s, b, _ = call("PUT", "/api/v1/cases/%d/parties/%d/openpgp_key" % (cid, 999999),
                       {"openpgp_key": party_key}, token=lead)
        t.check(s == 404, "no such party on the case -> 404 (%d)" % s)
        private = gpg(recipient, "--armor", "--export-secret-keys", "tanaka@example.jp").decode()
        s, b, _ = call("PUT", "/api/v1/cases/%d/parties/%d/openpgp_key" % (cid, rep["id"]),
                       {"openpgp_key": private}, token=lead)
        t.check(s == 400 and b["error"]["field"] == "openpgp_key", "a private key block is refused (%d)" % s)
        s, b, _ = call("PUT", "/api/v1/cases/%d/parties/%d/openpgp_key" % (cid, rep["id"]),
                       {"openpgp_key": party_key}, token=lead)
        t.check(s == 200 and b["openpgp_key"] == party_key, "the party's key is stored (%d)" % s)
        s, ps, _ = call("GET", "/api/v1/cases/%d/parties" % cid, token=lead)
        t.check(ps["items"][0]["openpgp_key"] == party_key, "the party shows its key")
        s, b, _ = call("POST", "/api/v1/cases/%d/messages" % cid,
                       {"body": "秘密の修正日程: 3月1日", "party": rep["id"]}, token=lead)
        t.check(s == 201 and wait_for(lambda: len(sink.got) == 3), "the encrypted mail is delivered")
        raw2 = sink.got[-1].original_content
        enc_msg = email.message_from_bytes(raw2, policy=email.policy.default)
        t.check(enc_msg.get_content_type() == "multipart/encrypted" and
                enc_msg.get_param("protocol") == "application/pgp-encrypted" and
                "秘密".encode() not in raw2 and b"3\xe6\x9c\x88" not in raw2,
                "RFC 3156 multipart/encrypted, no clear text in it (%s)" % enc_msg.get_content_type())
        ps2 = parts(raw2, enc_msg.get_boundary().encode())
        armour = ps2[1].split(b"\r\n\r\n", 1)[1] if len(ps2) > 1 else b""
        r = subprocess.run(["gpg", "--batch", "--status-fd", "2", "--decrypt"], input=armour,
                           env=dict(os.environ, GNUPGHOME=recipient), capture_output=True)
        inner = email.message_from_bytes(r.stdout, policy=email.policy.default)
        t.check(r.returncode == 0 and "秘密の修正日程: 3月1日" in inner.get_content(),
                "the recipient's key decrypts it: %r" % r.stderr[-300:])
        t.check(("VALIDSIG " + org_fpr).encode() in r.stderr, "and it is signed by the organisation's key")

        # -- what GnuPG finds in an upload, checked apart from DATA/gnupg (422) -------
        # A secret key under a public key's armour header: the text looks right.
        relabelled = private.replace("PRIVATE KEY BLOCK", "PUBLIC KEY BLOCK")
        gpg(recipient, "--quick-gen-key", "Second <second@example.jp>", "future-default", "default", "1d")
        two = gpg(recipient, "--armor", "--export", "tanaka@example.jp", "second@example.jp").decode()
        gpg(recipient, "--quick-gen-key", "Signer <signer@example.jp>", "ed25519", "sign", "1d")
        sign_only = gpg(recipient, "--armor", "--export", "signer@example.jp").decode()
        # (The secret key last: without the check it would be the stored key
        # the next mail imports into DATA/gnupg.)
        for bad, why in ((two, "more than one key"), (sign_only, "no subkey that can encrypt"),
                         (relabelled, "secret key")):
            s, b, _ = call("PUT", "/api/v1/cases/%d/parties/%d/openpgp_key" % (cid, rep["id"]),
                           {"openpgp_key": bad}, token=lead)
            t.check(s == 422 and b["error"]["field"] == "openpgp_key" and why in b["error"]["message"],
                    "a key upload with %s -> 422 openpgp_key (%d %r)" % (why, s, b))
        s, b, _ = call("POST", "/api/v1/cases/%d/parties" % cid,
                       {"role": "vendor", "name": "Vendor", "email": "v@vendor.example",
                        "openpgp_key": relabelled}, token=lead)
        t.check(s == 422 and b["error"]["field"] == "openpgp_key",
                "a new party with a secret key -> 422 openpgp_key (%d %r)" % (s, b))
        s, ps, _ = call("GET", "/api/v1/cases/%d/parties" % cid, token=lead)
        t.check(ps["items"][0]["openpgp_key"] == party_key and len(ps["items"]) == 1,
                "the party keeps its good key; no party was added")
        s, b, _ = call("POST", "/api/v1/cases/%d/messages" % cid, {"body": "after the bad keys", "party": rep["id"]},
                       token=lead)
        t.check(s == 201 and wait_for(lambda: len(sink.got) == 4), "the next mail is delivered")
        secret = subprocess.run(["gpg", "--batch", "--with-colons", "--list-secret-keys"],
                                env=dict(os.environ, GNUPGHOME=gnupg), capture_output=True, text=True).stdout
        fprs = [line.split(":")[9] for line in secret.splitlines() if line.startswith("fpr:")]
        tanaka = [line.split(":")[9] for line in gpg(recipient, "--with-colons", "--list-secret-keys", "tanaka@example.jp")
                  .decode().splitlines() if line.startswith("fpr:")]
        t.check(org_fpr in fprs and not set(tanaka) & set(fprs),
                "DATA/gnupg holds the organisation's secret key and none of the party's (%r)" % (fprs,))
        call("PUT", "/api/v1/cases/%d/parties/%d/openpgp_key" % (cid, rep["id"]), {"openpgp_key": None}, token=lead)
    finally:
        smtp.stop()

    # -- SMTP down: accepted, kept in the outbox across a restart, delivered later ----
    s, m, _ = call("POST", "/api/v1/cases/%d/messages" % cid, {"body": "while SMTP is down", "party": rep["id"]},
                   token=lead)
    t.check(s == 201 and m["mail"][0]["queued"] is True,
            "SMTP down: the message is accepted and its mail queued (%s)" % m.get("mail"))
    time.sleep(2)   # a failed attempt or two: the row waits with its backoff
    srv.stop()
    srv = Server(data, database).start()
    B = srv.base
    sink2 = Sink()
    smtp = Controller(sink2, hostname="127.0.0.1", port=port)
    smtp.start()
    try:
        def down_mail_arrived():
            for e in sink2.got:
                m2 = email.message_from_bytes(e.original_content, policy=email.policy.default)
                if m2.is_multipart() and "while SMTP is down" in m2.get_payload(0).get_content():
                    return True
            return False
        t.check(wait_for(down_mail_arrived, 90),
                "the mail queued while SMTP was down is delivered after it came back, across a restart")
    finally:
        smtp.stop()

    # -- OpenPGP/MIME, with keys made here --------------------------------------------
    def gpg(home, *args, data_in=None):
        return subprocess.run(["gpg", "--batch", "--pinentry-mode", "loopback", "--passphrase", ""] + list(args),
                              input=data_in, env=dict(os.environ, GNUPGHOME=home), check=True,
                              capture_output=True).stdout

    os.chmod(other, 0o700)
    gpg(gnupg, "--quick-gen-key", "PSIRT Test <psirt@acme.example>", "default", "default", "1d")
    gpg(other, "--quick-gen-key", "Someone Else <else@example.org>", "default", "default", "1d")
    gpg(other, "--import", data_in=gpg(gnupg, "--armor", "--export", "psirt@acme.example"))
    enc = gpg(other, "--armor", "--trust-model", "always", "--encrypt", "-r", "psirt@acme.example",
              data_in=b"Content-Type: text/plain; charset=utf-8\r\n\r\nsecret details of the bug\r\n").decode()
    t.check("BEGIN PGP MESSAGE" in enc, "GnuPG encrypted a test message")

    def pgpmime(armour):
        return ("From: tanaka@example.jp\nSubject: encrypted report\nMIME-Version: 1.0\n"
                "Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=\"b\"\n\n"
                "--b\nContent-Type: application/pgp-encrypted\n\nVersion: 1\n\n"
                "--b\nContent-Type: application/octet-stream\n\n%s\n--b--\n" % armour)

    rc, out, err = deliver(pgpmime(enc))
    t.check(rc == 0 and out["filed"] == "intake", "OpenPGP/MIME report filed (%s %s)" % (out, err))
    s, ms, _ = call("GET", "/api/v1/cases/%d/messages" % out["case"], token=lead)
    m = ms["items"][0]
    t.check(m["encrypted"] == 1 and enc.strip() in m["raw"] and m["body"].strip() == "secret details of the bug",
            "decrypted with DATA/gnupg (GPGME), the ciphertext kept (%s)" % {k: m[k] for k in ("encrypted", "body")})
    s, c, _ = call("GET", "/api/v1/cases/%d" % out["case"], token=lead)
    t.check("secret details of the bug" in c["description"], "the case has the decrypted report")

    # Encrypted to a key xsirt does not hold: kept whole, still encrypted, said on stderr.
    enc2 = gpg(other, "--armor", "--trust-model", "always", "--encrypt", "-r", "else@example.org",
               data_in=b"not for xsirt\n").decode()
    rc, out, err = deliver(pgpmime(enc2))
    t.check(rc == 0 and out["filed"] == "intake" and "kept encrypted" in err, "undecryptable: filed (%s)" % err)
    s, ms, _ = call("GET", "/api/v1/cases/%d/messages" % out["case"], token=lead)
    m = ms["items"][0]
    t.check(m["encrypted"] == 1 and enc2.strip() in m["raw"] and "not for xsirt" not in m["body"],
            "kept whole and marked encrypted (%s)" % m["body"])
    # A broken OpenPGP block: kept, not decrypted, not lost.
    broken = enc.replace(enc.splitlines()[3], "AAAA" + enc.splitlines()[3][4:], 1)
    rc, out, err = deliver(pgpmime(broken))
    t.check(rc == 0 and out["filed"] == "intake", "broken OpenPGP: filed all the same (%s)" % err)

    # -- what is not mail is kept whole ------------------------------------------------
    for what, blob in (("no header block", b"just some text without headers\n"),
                       ("binary with NUL", b"\x00\xff\xfe garbage \x00"),
                       ("empty", b"")):
        rc, out, err = deliver(blob)
        t.check(rc == 0 and out.get("unreadable") is True, "%s: filed as unreadable (%d %s)" % (what, rc, out))
        s, ms, _ = call("GET", "/api/v1/cases/%d/messages" % out["case"], token=lead)
        raw = ms["items"][0]["raw"]
        kept = raw.encode() if not raw.startswith("base64:") else __import__("base64").b64decode(raw[7:])
        t.check(ms["items"][0]["unreadable"] == 1 and kept == blob, "%s: kept byte for byte" % what)
        s, c, _ = call("GET", "/api/v1/cases/%d" % out["case"], token=lead)
        t.check(c["title"] == "Unreadable message", "%s: the case says so" % what)

    # -- xsirt init --openpgp-uid makes the organisation's key ---------------------------
    keyed = tempfile.mkdtemp(prefix="xsirt-keyed-")
    homes.append(os.path.join(keyed, "d", "gnupg"))
    r = subprocess.run([XSIRT, "init", "--data", os.path.join(keyed, "d"), "--openpgp-uid",
                        "ACME PSIRT <psirt@acme.example>"], capture_output=True, text=True)
    fpr = r.stdout.split("openpgp: ")[1].split()[0] if "openpgp: " in r.stdout else ""
    t.check(r.returncode == 0 and len(fpr) == 40, "init made a key (%s %s)" % (r.stdout, r.stderr))
    home = os.path.join(keyed, "d", "gnupg")
    t.check(os.stat(home).st_mode & 0o777 == 0o700, "DATA/gnupg is mode 0700")
    listed = gpg(home, "--list-secret-keys", "--with-colons").decode()
    t.check("fpr:::::::::%s:" % fpr in listed and "psirt@acme.example" in listed,
            "the secret key is in DATA/gnupg with its uid")
    import sqlite3
    con = sqlite3.connect(os.path.join(keyed, "d", "xsirt.db"))
    setting = con.execute("SELECT value FROM settings WHERE key = 'org.openpgp_key'").fetchone()
    con.close()
    t.check(setting is not None and fpr in setting[0], "the setting openpgp_key names it (%s)" % setting)

    # mail deliver and the agent: one that ran before (it may be the server's) is
    # left alone; one the decryption started is stopped, so no process keeps holding
    # the key. No server runs on this directory after the settings are made.
    def agent_answers():
        sock = subprocess.run(["gpgconf", "--homedir", home, "--list-dirs", "agent-socket"],
                              capture_output=True, text=True).stdout.strip()
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            s.connect(sock)
            return True
        except OSError:
            return False
        finally:
            s.close()
    kdata = os.path.join(keyed, "d")
    ksrv = Server(kdata, None).start()
    try:
        with open(os.path.join(kdata, "initial-credentials")) as f:
            ktoken = [ln.split(": ", 1)[1].strip() for ln in f if ln.startswith("token: ")][0]
        korg = Org(ksrv.base, ktoken)
        korg.team("psirt")
        s, _, _ = request(ksrv.base, "PATCH", "/api/v1/settings", {"intake_team": korg.teams["psirt"]}, ktoken)
    finally:
        ksrv.stop()
    t.check(s == 200, "the keyed directory takes reports (%d)" % s)
    gpg(other, "--import", data_in=gpg(home, "--armor", "--export", fpr))
    subprocess.run(["gpgconf", "--homedir", home, "--kill", "gpg-agent"], capture_output=True)
    t.check(not agent_answers(), "no agent for the keyed directory (precondition)")
    enc3 = gpg(other, "--armor", "--trust-model", "always", "--encrypt", "-r", fpr,
               data_in=b"Content-Type: text/plain\r\n\r\nfor the keyed directory\r\n").decode()
    rc, out, err = deliver(pgpmime(enc3), ["--data", kdata])
    t.check(rc == 0 and "kept encrypted" not in err, "decrypted with the directory's own key (%s)" % err)
    t.check(not agent_answers(), "mail deliver stopped the agent its decryption started")
    subprocess.run(["gpg-connect-agent", "--homedir", home, "/bye"], capture_output=True)
    t.check(agent_answers(), "an agent runs (precondition)")
    rc, out, err = deliver(pgpmime(enc3), ["--data", kdata])
    t.check(rc == 0 and agent_answers(), "mail deliver leaves an agent it did not start (%s)" % err)

    # The audit chain holds.
    r = subprocess.run([XSIRT, "audit", "verify"] + DB_ARGS, capture_output=True, text=True)
    t.check(r.returncode == 0, "xsirt audit verify passes (%s)" % (r.stdout + r.stderr)[-300:])
finally:
    srv.stop()
    for home in homes:   # the agents gpg started for these homes
        subprocess.run(["gpgconf", "--kill", "all"], env=dict(os.environ, GNUPGHOME=home), capture_output=True)
    cleanup(data)
    shutil.rmtree(other, ignore_errors=True)
    if keyed:
        shutil.rmtree(keyed, ignore_errors=True)
t.finish()
