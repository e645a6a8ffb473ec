"""An OPTIONS that carries a watched nonce is answered 200 OK and reported
(SEEN) to its session, so that a check learns whether OPTIONS gets
through; one without a watched nonce is answered and reported to no one;
one from an address that is not the session's client is never reported.

usage: sipopts.py   (the session's client is 127.0.0.1, the stranger
127.0.0.2).  Prints an ok or not ok line per assertion.
"""
import os, socket, struct, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peer import HOST, frame, read_frame, session
import tap

WATCH, SEEN, PING, PONG = 16, 17, 5, 6
A_NONCE = 9


def options(nonce_hex, src="127.0.0.1"):
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.bind((src, 0))
    u.settimeout(2)
    u.sendto(b"OPTIONS sip:pinholed SIP/2.0\r\n"
             b"Via: SIP/2.0/UDP 127.0.0.1:5999;branch=z9hG4bK-" +
             nonce_hex + b"\r\nFrom: <sip:peer@127.0.0.1>;tag=1\r\n"
             b"To: <sip:pinholed>\r\nCall-ID: " + nonce_hex +
             b"@peer\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\n"
             b"Content-Length: 0\r\n\r\n", (HOST, 5060))
    try:
        return u.recv(4096)
    except socket.timeout:
        return b""


def next_frame_type(s):
    """The type of what comes next on the control connection after a
    PING: SEEN when one was queued, else PONG."""
    s.sendall(frame(PING, []))
    typ, a = read_frame(s)
    if typ == SEEN:
        read_frame(s)           # its PONG
    return typ, a


def main():
    s = session()
    watched = os.urandom(8)
    s.sendall(frame(WATCH, [(A_NONCE, watched)]))
    next_frame_type(s)          # WATCH in effect
    d = options(watched.hex().encode())
    tap.check("a watched OPTIONS is answered 200 OK",
              d.startswith(b"SIP/2.0 200 OK"), d[:40])
    typ, a = next_frame_type(s)
    tap.want("... and reported to its session", (typ, a.get(A_NONCE)),
             (SEEN, watched))
    d = options(os.urandom(8).hex().encode())
    tap.check("an OPTIONS with no watched nonce is answered",
              d.startswith(b"SIP/2.0 200 OK"), d[:40])
    typ, _ = next_frame_type(s)
    tap.want("... and reported to no one", typ, PONG)
    options(watched.hex().encode(), src="127.0.0.2")
    typ, _ = next_frame_type(s)
    tap.want("a watched nonce from another address is not reported", typ,
             PONG)
    s.close()
    sys.exit(1 if tap.failures else 0)


if __name__ == "__main__":
    main()
