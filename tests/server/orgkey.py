#!/usr/bin/env python3
"""orgkey.py BACKEND — the organisation's OpenPGP key (issue 12): `xsirt init`
makes it (Ed25519 with a Cv25519 subkey, no passphrase) in DATA/gnupg (mode
0700) and names it in the setting openpgp_key; `xsirt key show` prints it;
a data directory without a key (made before keys were: setting and home
removed here) gets one for the settings' identity on the first `xsirt
serve`, which the provider metadata and security.txt then name; `xsirt key
create` leaves a usable key alone and --replace makes a new one.
"""
import os
import shutil
import socket
import subprocess
import sys

from harness import XSIRT, Result, Server, cleanup, fresh_database, init, request
from org import sql

backend = sys.argv[1]
t = Result()
data, database = fresh_database(backend, "orgkey")
DB = ["--data", data] + (["--database", database] if database else [])
home = os.path.join(data, "gnupg")


def gpg(*args):
    return subprocess.run(["gpg", "--batch", "--with-colons"] + list(args), env=dict(os.environ, GNUPGHOME=home),
                          capture_output=True, text=True).stdout


def agents():
    """The gpg-agent processes whose command line names DATA/gnupg, and
    whether the agent socket of DATA/gnupg answers (GnuPG may put the
    socket under /run/user; gpgconf says where)."""
    found = []
    for pid in os.listdir("/proc"):
        try:
            with open("/proc/%s/cmdline" % pid, "rb") as f:
                argv = f.read().split(b"\0")
        except OSError:
            continue
        if argv and argv[0].endswith(b"gpg-agent") and home.encode() in b" ".join(argv):
            found.append(int(pid))
    sock = subprocess.run(["gpgconf", "--homedir", home, "--list-dirs", "agent-socket"],
                          capture_output=True, text=True).stdout.strip()
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        s.connect(sock)
        answers = True
    except OSError:
        answers = False
    finally:
        s.close()
    return found, answers


def kill_agent():
    subprocess.run(["gpgconf", "--kill", "all"], env=dict(os.environ, GNUPGHOME=home), capture_output=True)


srv = None
try:
    admin = init(data, database)["token"]
    t.check(agents() == ([], False),
            "init leaves no gpg-agent running for DATA/gnupg (%r)" % (agents(),))
    t.check(os.stat(home).st_mode & 0o777 == 0o700, "DATA/gnupg is mode 0700")
    r = subprocess.run([XSIRT, "key", "show"] + DB, capture_output=True, text=True)
    fpr = r.stdout.split("openpgp: ")[1].split()[0] if "openpgp: " in r.stdout else ""
    t.check(r.returncode == 0 and len(fpr) == 40 and "-----BEGIN PGP PUBLIC KEY BLOCK-----" in r.stdout,
            "xsirt key show prints the key init made (%s %s)" % (r.returncode, r.stderr))
    listed = gpg("--list-secret-keys")
    t.check("sec:u:255:22:" in listed and "ssb:u:255:18:" in listed and "PSIRT <psirt@localhost>" in listed,
            "an Ed25519 key with a Cv25519 subkey, for the default identity")
    r = subprocess.run([XSIRT, "key", "create"] + DB, capture_output=True, text=True)
    t.check(r.returncode == 0 and ("openpgp: %s (already there)" % fpr) in r.stdout,
            "key create leaves a usable key alone (%s)" % r.stdout[:80])
    t.check(agents() == ([], False), "and stops the agent it (or gpg above) started (%r)" % (agents(),))

    # A directory from before: no setting, no home. serve makes a key for the settings' identity.
    kill_agent()
    shutil.rmtree(home)
    sql(data, database, "DELETE FROM settings WHERE key = 'org.openpgp_key'")
    r = subprocess.run([XSIRT, "key", "show"] + DB, capture_output=True, text=True)
    t.check(r.returncode == 1, "key show without a key: exit 1 (%d %s)" % (r.returncode, r.stderr))
    # The identity comes from the settings, here given to serve (applied before the key is made).
    srv = Server(data, database, extra=["--set", "openpgp_uid=ACME PSIRT <psirt@acme.example>",
                                        "--set", "public_url=https://psirt.example.com"]).start()
    s, b, _ = request(srv.base, "PATCH", "/api/v1/settings", {"openpgp_uid": "two\nlines"}, admin)
    t.check(s == 400 and b["error"]["field"] == "openpgp_uid", "openpgp_uid is one line -> 400")
    s, b, _ = request(srv.base, "GET", "/api/v1/settings", None, admin)
    new = (b.get("openpgp_key") or {}).get("fingerprint", "")
    t.check(s == 200 and len(new) == 40 and new != fpr and b["openpgp_key"]["uid"] == "ACME PSIRT <psirt@acme.example>",
            "the first serve made a key for openpgp_uid and named it (%s)" % b.get("openpgp_key"))
    t.check(os.stat(home).st_mode & 0o777 == 0o700 and new in gpg("--list-secret-keys"),
            "its secret key is in DATA/gnupg (0700)")
    s, meta, _ = request(srv.base, "GET", "/.well-known/csaf/provider-metadata.json")
    t.check(meta.get("public_openpgp_keys") == [{"fingerprint": new, "url":
            "https://psirt.example.com/.well-known/csaf/openpgp/%s.asc" % new}], "the metadata names it")
    s, txt, _ = request(srv.base, "GET", "/.well-known/security.txt")
    t.check("Encryption: https://psirt.example.com/.well-known/csaf/openpgp/%s.asc\n" % new in txt,
            "security.txt's Encryption points at the published key")
    s, pub, h = request(srv.base, "GET", "/.well-known/csaf/openpgp/%s.asc" % new)
    t.check(s == 200 and pub.startswith("-----BEGIN PGP PUBLIC KEY BLOCK-----") and
            h["Content-Type"] == "application/pgp-keys", "the public key is served (%d)" % s)
    s, a, _ = request(srv.base, "GET", "/api/v1/audit?limit=200", None, admin)
    t.check(any(x["action"] == "settings.update" and new in str(x.get("after")) for x in a["items"]),
            "naming the key in the settings is audited")
    srv.stop()
    srv = None
    t.check(agents() == ([], False), "the server stops the agent at its exit (%r)" % (agents(),))
    r = subprocess.run([XSIRT, "key", "create", "--replace", "--algo", "ed25519", "--uid", "Other <o@example.org>"]
                       + DB, capture_output=True, text=True)
    third = r.stdout.split("openpgp: ")[1].split()[0] if "openpgp: " in r.stdout else ""
    t.check(r.returncode == 0 and "(made)" in r.stdout and len(third) == 40 and third != new,
            "key create --replace makes a new one (%s)" % r.stdout[:90])
    r = subprocess.run([XSIRT, "key", "create", "--algo", "dsa"] + DB, capture_output=True, text=True)
    t.check(r.returncode == 2, "an unknown algorithm is a usage error")
finally:
    if srv:
        srv.stop()
    cleanup(data)
t.finish()
