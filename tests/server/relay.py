"""RELAY against pinholed: credentials made from the [relay] secret, never
the secret itself, and every malformed or excess request refused with the
session going on.

usage: relay.py none | creds SECRET_FILE LIFETIME PROBES
Prints an ok or not ok line per assertion; exits non-zero on any failure.
Every read is bounded by the socket's timeout.
"""
import base64, hashlib, hmac, os, struct, sys, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peer import frame, read_frame, session
import tap

# Control protocol numbers (docs/protocol.md, sections 4 and 5).
ERROR, PING, PONG, RELAY, RELAY_CREDS = 3, 5, 6, 27, 28
A_CODE, A_REQ_ID, A_USER, A_PASS, A_LIFETIME = 7, 14, 39, 40, 41


def u32(v):
    return struct.pack("!I", v)


def ask(s, attrs):
    """Sends RELAY with 'attrs'; returns the answer's (type, attributes)
    and every byte of it, for the secret to be looked for."""
    s.sendall(frame(RELAY, attrs))
    return read_frame(s)


def alive(s, what):
    s.sendall(frame(PING, []))
    typ, _ = read_frame(s)
    tap.want(what, typ, PONG)


def none():
    s = session()
    typ, a = ask(s, [(A_REQ_ID, u32(7))])
    tap.want("RELAY without a [relay] secret: ERROR", typ, ERROR)
    tap.want("... 404", struct.unpack("!H", a.get(A_CODE, b"\0\0"))[0], 404)
    tap.want("... with its REQ_ID", a.get(A_REQ_ID), u32(7))
    alive(s, "the session goes on")


def creds(secret_file, lifetime, probes):
    secret = open(secret_file, "rb").read().rstrip(b"\r\n")
    lifetime, probes = int(lifetime), int(probes)
    s = session()
    seen = b""
    t0 = int(time.time())
    typ, a = ask(s, [(A_REQ_ID, u32(9))])
    seen += b"".join(a.values())
    tap.want("RELAY: RELAY_CREDS", typ, RELAY_CREDS)
    tap.want("... with its REQ_ID", a.get(A_REQ_ID), u32(9))
    user = a.get(A_USER, b"").decode("ascii", "replace")
    pw = a.get(A_PASS, b"")
    exp, _, who = user.partition(":")
    tap.want("the username's user part", who, "pinhole")
    tap.check("its expiry is LIFETIME from now", exp.isdigit() and
              t0 + lifetime - 2 <= int(exp) <= int(time.time()) + lifetime + 2,
              "%s, now %d" % (exp, t0))
    mac = base64.b64encode(hmac.new(secret, user.encode(), hashlib.sha1).digest())
    tap.want("the password is base64(HMAC-SHA1(secret, username))", pw, mac)
    tap.want("LIFETIME", a.get(A_LIFETIME), u32(lifetime))
    # Malformed: no REQ_ID, a REQ_ID of 0, a REQ_ID of 2 bytes.  The
    # ERROR then carries no REQ_ID, so it is fatal: pinholed closes the
    # connection after it (docs/protocol.md, ERROR).  Each on a session
    # of its own.
    for what, attrs in (("no REQ_ID", []), ("REQ_ID 0", [(A_REQ_ID, u32(0))]),
                        ("a 2-byte REQ_ID", [(A_REQ_ID, b"\0\1")])):
        m = session()
        typ, a = ask(m, attrs)
        seen += b"".join(a.values())
        tap.want("RELAY with %s: ERROR" % what, typ, ERROR)
        tap.want("... 400", struct.unpack("!H", a.get(A_CODE, b"\0\0"))[0],
                 400)
        tap.want("... without a REQ_ID", a.get(A_REQ_ID), None)
        try:
            rest = m.recv(1)
        except OSError as e:
            rest = repr(e)
        tap.want("... then the connection is closed", rest, b"")
        m.close()
    # Unknown attributes are ignored, a huge one included.
    typ, a = ask(s, [(A_REQ_ID, u32(10)), (999, b"x" * 8000)])
    seen += b"".join(a.values())
    tap.want("RELAY with an unknown 8000-byte attribute: RELAY_CREDS", typ,
             RELAY_CREDS)
    # Each RELAY costs a probe: past the cap, 429 and the session goes on.
    got = {}
    for i in range(probes + 2):
        typ, a = ask(s, [(A_REQ_ID, u32(100 + i))])
        seen += b"".join(a.values())
        code = struct.unpack("!H", a[A_CODE])[0] if typ == ERROR else typ
        got[code] = got.get(code, 0) + 1
    tap.want("RELAYs up to the probe cap, then 429", got,
             {RELAY_CREDS: probes - 2, 429: 4})
    alive(s, "the session goes on past the cap")
    tap.check("the secret is in no answer", secret not in seen)


def main():
    if sys.argv[1] == "none":
        none()
    else:
        creds(*sys.argv[2:5])
    sys.exit(1 if tap.failures else 0)


if __name__ == "__main__":
    main()
