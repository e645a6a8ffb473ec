"""The check page's session and its WebRTC peer, as the server tests
drive them without a browser: the WebSocket and its hello, an offer and
pinholed's answer, an ICE-TCP connection (RFC 4571 frames) that does the
peer's check and starts DTLS with a real ClientHello.  Standard library
(and openssl(1) for the ClientHello) only; every wait is bounded by a
socket timeout.  Used by owner.py and soak_mixed.py."""
import os, socket, struct, subprocess, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wsclient import WS
from tap import ice_check

HOST, PORT = "127.0.0.1", 4443

OFFER = """v=0
o=- 1 2 IN IP4 127.0.0.1
s=-
t=0 0
a=group:BUNDLE 0
a=ice-ufrag:abcd
a=ice-pwd:0123456789abcdefghijkl
a=fingerprint:sha-256 00:01:02:03:04:05:06:07:08:09:0a:0b:0c:0d:0e:0f:10:11:12:13:14:15:16:17:18:19:1a:1b:1c:1d:1e:1f
a=setup:actpass
m=audio 9 UDP/TLS/RTP/SAVPF 111
a=mid:0
a=sendrecv
a=rtcp-mux
a=rtpmap:111 opus/48000/2
""".replace("\n", "\r\n")


def page(ca, source=HOST, timeout=5):
    """A page session from 'source': the WebSocket, its hello answered."""
    w = WS(HOST, PORT, cafile=ca, source=source, timeout=timeout)
    w.send({"type": "hello", "version": 1})
    h = w.recv()
    assert h.get("type") == "hello", h
    return w


def offer(w):
    """The page's peer: (ufrag, pwd, ICE-TCP port, UDP candidate ports)."""
    w.send({"type": "offer", "sdp": OFFER})
    a = w.recv()
    assert a.get("type") == "answer", a
    sdp = a["sdp"].splitlines()
    ufrag = [l[12:] for l in sdp if l.startswith("a=ice-ufrag:")][0]
    pwd = [l[10:] for l in sdp if l.startswith("a=ice-pwd:")][0]
    cands = [l.split() for l in sdp if l.startswith("a=candidate:")]
    tcp = [int(c[5]) for c in cands if c[2].lower() == "tcp"]
    udp = [int(c[5]) for c in cands if c[2].lower() == "udp"]
    return ufrag, pwd, tcp[0] if tcp else None, udp


def client_hello():
    """A DTLS 1.2 ClientHello with use_srtp, as openssl s_client sends it."""
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.bind((HOST, 0))
    u.settimeout(5)
    p = subprocess.Popen(["openssl", "s_client", "-dtls1_2", "-use_srtp",
                          "SRTP_AES128_CM_SHA1_80", "-connect",
                          "%s:%d" % u.getsockname()],
                         stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    try:
        d, _ = u.recvfrom(4096)
    finally:
        p.kill()
        p.wait()
        u.close()
    assert d[0] == 22, "not a DTLS handshake record"
    return d


def frame(t, payload):
    t.sendall(struct.pack(">H", len(payload)) + payload)


def recv_frame(t):
    """One RFC 4571 frame, or None when the connection closed or is quiet."""
    def n(k):
        b = b""
        while len(b) < k:
            d = t.recv(k - len(b))
            if not d:
                raise EOFError
            b += d
        return b
    try:
        return n(struct.unpack(">H", n(2))[0])
    except (EOFError, OSError):
        return None


def icetcp(port=PORT, source=HOST):
    t = socket.socket()
    t.bind((source, 0))
    t.settimeout(3)
    t.connect((HOST, port))
    return t


def paired(w, ch, source=HOST):
    """An ICE-TCP connection from 'source' that did the check of page
    'w''s peer, sent the ClientHello 'ch' and received the start of the
    DTLS flight; (connection, (ufrag, pwd, port))."""
    ufrag, pwd, port, _ = offer(w)
    assert port is not None, "no ICE-TCP candidate"
    t = icetcp(port, source)
    frame(t, ice_check(ufrag + ":abcd", pwd, True))
    a = recv_frame(t)
    assert a is not None and a[:2] == b"\x01\x01", "check not answered"
    frame(t, ch)
    got = recv_frame(t)
    assert got is not None and got[0] == 22, "no DTLS flight"
    return t, (ufrag, pwd, port)
