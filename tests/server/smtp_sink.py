"""smtp_sink.py — what the mail tests share: a loopback SMTP server that
keeps what it receives (aiosmtpd), a free port, waiting for a condition,
and checking an OpenPGP/MIME signed mail (RFC 3156) with gpg.
"""
import email
import email.policy
import os
import socket
import subprocess
import time


class Sink:
    """aiosmtpd handler keeping every envelope."""

    def __init__(self):
        self.got = []

    async def handle_DATA(self, server, session, envelope):
        self.got.append(envelope)
        return "250 OK"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(cond, seconds=60):
    end = time.time() + seconds
    while time.time() < end:
        if cond():
            return True
        time.sleep(0.2)
    return cond()


def parts(raw, boundary):
    """The body parts of a multipart message exactly as sent (RFC 2046: the
    CRLF before a delimiter belongs to it)."""
    body = raw.split(b"\r\n\r\n", 1)[1]
    chunks = body.split(b"\r\n--" + boundary)
    return [c[2:] if c.startswith(b"\r\n") else c for c in chunks[1:-1]]


def verify_signed(raw, home):
    """(ok, signer fingerprint, text of the signed part) of a multipart/signed
    mail, checked by gpg with the keys of home."""
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    if msg.get_content_type() != "multipart/signed" or msg.get_param("protocol") != "application/pgp-signature":
        return False, None, None
    ps = parts(raw, msg.get_boundary().encode())
    if len(ps) != 2:
        return False, None, None
    with open(os.path.join(home, "part"), "wb") as f:
        f.write(ps[0])
    with open(os.path.join(home, "part.asc"), "wb") as f:
        f.write(ps[1].split(b"\r\n\r\n", 1)[1])
    r = subprocess.run(["gpg", "--batch", "--status-fd", "1", "--verify", os.path.join(home, "part.asc"),
                        os.path.join(home, "part")], env=dict(os.environ, GNUPGHOME=home),
                       capture_output=True, text=True)
    valid = [line.split()[2] for line in r.stdout.splitlines() if line.startswith("[GNUPG:] VALIDSIG")]
    inner = email.message_from_bytes(ps[0], policy=email.policy.default)
    return r.returncode == 0 and bool(valid), valid[0] if valid else None, inner.get_content()
