"""Who owns a connection on the control port: the check page's sessions,
their WebRTC peers' ICE-TCP connections, and the first bytes that decide
which responder takes a connection.  Standard library only; every wait
is bounded by a socket timeout.

usage: owner.py CAFILE foreign|phases
  foreign  page session 1 pairs over ICE-TCP connection c1 and sends a
           DTLS ClientHello; page session 2 (same address) says hello;
           c1 closes.  Connections from another address (TLS, nothing
           asked) must receive nothing: session 1's DTLS retransmissions
           must not reach them.
  phases   connections closed in every phase of the demultiplexing, bytes
           that two responders could claim, ICE-TCP connections that
           outlive their peer's session and peers that outlive theirs;
           then pinholed must still answer, and nothing foreign arrives.
Prints one 'ok - ' or 'not ok - ' line per assertion; exits 1 on any
failure."""
import os, socket, ssl, sys, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wsclient import WS
import pagepeer, tap
from pagepeer import HOST, PORT, offer, frame, recv_frame, icetcp
from tap import ice_check, want

OTHER = "127.0.0.3"
CA, MODE = sys.argv[1], sys.argv[2]


def page(source=HOST):
    return pagepeer.page(CA, source)


def paired(w):
    return pagepeer.paired(w, CH)


def probes(k=6):
    """TLS connections from another address that ask nothing."""
    out = []
    ctx = ssl.create_default_context(cafile=CA)
    for _ in range(k):
        raw = socket.socket()
        raw.bind((OTHER, 0))
        raw.settimeout(5)
        raw.connect((HOST, PORT))
        out.append(ctx.wrap_socket(raw, server_hostname=HOST))
    return out


def foreign(conns, secs):
    """Bytes that came to connections that asked for nothing."""
    got = 0
    end = time.monotonic() + secs
    for c in conns:
        c.settimeout(max(0.1, end - time.monotonic()))
        try:
            d = c.recv(65536)
            got += len(d)
            while d:
                c.settimeout(0.2)
                d = c.recv(65536)
                got += len(d)
        except (socket.timeout, ssl.SSLError, OSError):
            pass
        c.close()
    return got


def alive(what):
    """pinholed still answers a page's hello and a control preamble."""
    try:
        w = page()
        w.close()
        ok = True
    except Exception as e:      # noqa: BLE001 - any failure is the answer
        ok = repr(e)
    want("%s: a page still gets its hello" % what, ok, True)


CH = pagepeer.client_hello()

if MODE == "foreign":
    w1 = page()
    c1, _ = paired(w1)
    w2 = page()                 # the same address: the newest session
    c1.close()
    time.sleep(0.2)
    p = probes()
    want("connections from another address received nothing (DTLS "
         "retransmissions of a closed ICE-TCP connection)", foreign(p, 8), 0)
    alive("after the closed ICE-TCP connection")
    w1.close()
    w2.close()
    sys.exit(1 if tap.failures else 0)


def raw(data, tls=False, wait=0.3):
    """A connection that sends 'data' (inside TLS when 'tls') and closes
    after 'wait'; what came back, b'' when it was closed unanswered."""
    t = socket.create_connection((HOST, PORT), timeout=3)
    if tls:
        t = ssl.create_default_context(cafile=CA).wrap_socket(
            t, server_hostname=HOST)
    got = b""
    try:
        if data:
            t.sendall(data)
        t.settimeout(wait)
        while True:
            d = t.recv(65536)
            if not d:
                break
            got += d
    except (socket.timeout, ssl.SSLError, OSError):
        pass
    t.close()
    return got


# Closed in every phase of the demultiplexing, in the clear and in TLS.
for data, tls in ((b"", False), (b"\x16", False), (b"\x16\x03\x01", False),
                  (b"P", False), (b"PINHO", False), (b"\x00", False),
                  (b"\x00\x14\x00", False), (b"", True), (b"P", True),
                  (b"G", True), (b"GET /ws HTTP/1.1\r\nHost: x", True),
                  (b"\x00\x10", True)):
    for _ in range(3):
        raw(data, tls, wait=0.05)
alive("connections closed in every phase of the demultiplexing")

# Bytes two responders could claim: 'P' starts the control preamble and
# an HTTP method; it is decided by the bytes that follow.
want("'P' then the control preamble in TLS: the preamble answered",
     raw(b"PINHOLE\x01", tls=True)[:8], b"PINHOLE\x01")
want("'P' then an HTTP request in TLS: HTTP answers",
     raw(b"PUT / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", tls=True)[:9],
     b"HTTP/1.1 ")
want("an HTTP request in the clear: closed unanswered",
     raw(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"), b"")
want("an ICE-TCP frame inside TLS: closed unanswered",
     raw(b"\x00\x14" + b"\x00" * 20, tls=True), b"")

# A WebSocket closed right after the upgrade, before its hello.
for _ in range(3):
    w = WS(HOST, PORT, cafile=CA, timeout=5)
    w.close()
alive("WebSockets closed before their hello")

# The peer goes before its ICE-TCP connection: the page re-offers (the
# peer is replaced) and then closes; the connection then talks on.
def talk(t, payload):
    try:
        frame(t, payload)
    except OSError:
        pass                    # closed already: what is wanted


w1 = page()
c1, (u1, p1, port) = paired(w1)
offer(w1)
talk(c1, CH)
w1.close()
time.sleep(0.3)
talk(c1, CH)
talk(c1, ice_check(u1 + ":abcd", p1, True))
while True:                     # what was in flight before the close
    f = recv_frame(c1)
    if f is None or f[:2] == b"\x01\x01":
        break
want("the replaced peer's ICE-TCP connection is closed, its check "
     "unanswered", f, None)
c1.close()

# ICE-TCP connections closed in each phase while other sessions of the
# same address are open, each the newest in turn.
ws = [page() for _ in range(2)]
conns = []
for w in list(ws):
    t, _ = paired(w)
    conns.append(t)
    ws.append(page())           # a newer session of the same address
    t.close()
ufrag, pwd, port, _ = offer(ws[0])
t = icetcp(port)
frame(t, ice_check(ufrag + ":abcd", pwd, True))
t.close()                       # after its check, before DTLS
t = icetcp(port)
t.sendall(b"\x00")
t.close()                       # inside its first frame
time.sleep(0.2)
p = probes()
want("connections from another address received nothing", foreign(p, 8), 0)
alive("ICE-TCP connections closed in each phase")
for w in ws:
    w.close()
sys.exit(1 if tap.failures else 0)
