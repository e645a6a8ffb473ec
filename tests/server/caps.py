"""A session's caps in pinholed, measured on loopback.

usage: caps.py probes CAP | bytes CAP | sweep_pps PPS PORTS
The session's client is 127.0.0.2 (pinholed never sends to its own
127.0.0.1); what pinholed sends it is received and counted.  Each case
prints an ok or not ok line per assertion and exits non-zero on any
failure; every wait is bounded.
"""
import os, socket, struct, sys, threading, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peer import HOST, addr, frame, read_frame
from abuse import session_from

CLIENT = "127.0.0.2"
SIP_PORT = 5060
fails = 0

# Control protocol numbers (docs/protocol.md, sections 4 and 5).
ERROR, PING, PONG, WATCH, SEND, SENT, SWEEP, CONNECT = 3, 5, 6, 16, 18, 19, 20, 21
A_CODE, A_REASON, A_NONCE, A_TRANSPORT = 7, 8, 9, 10
A_LOCAL_PORT, A_PEER, A_PAYLOAD, A_REQ_ID = 11, 12, 13, 14
A_MAX_PROBES, A_MAX_BYTES, A_PORTS = 17, 19, 25


def check(what, ok, detail=""):
    global fails
    print("%s - %s%s" % ("ok" if ok else "not ok", what,
                         ": %s" % (detail,) if detail != "" else ""))
    if not ok:
        fails += 1


def u32(v):
    return struct.pack("!I", v)


def answer(s):
    """The next frame as (type, REQ_ID or None, ERROR code or None, reason)."""
    typ, a = read_frame(s)
    rid = struct.unpack("!I", a[A_REQ_ID])[0] if A_REQ_ID in a else None
    code = struct.unpack("!H", a[A_CODE])[0] if typ == ERROR else None
    return typ, rid, code, a.get(A_REASON, b"").decode()


def want_answer(s, what, want):
    """Checks the next frame against want = (type, REQ_ID, code, reason)."""
    got = answer(s)
    check(what, got == want, "" if got == want else "got %r, want %r" % (got, want))


def send(s, rid, payload, port):
    """SEND of payload over UDP from SIP_PORT to the client's port."""
    s.sendall(frame(SEND, [(A_REQ_ID, u32(rid)), (A_TRANSPORT, b"\x01"),
                           (A_LOCAL_PORT, struct.pack("!H", SIP_PORT)),
                           (A_PEER, addr(CLIENT, port)), (A_PAYLOAD, payload)]))


def connect(s, rid, port):
    s.sendall(frame(CONNECT, [(A_REQ_ID, u32(rid)), (A_NONCE, os.urandom(8)),
                              (A_PEER, addr(CLIENT, port))]))


def ping_pong(s, what):
    s.sendall(frame(PING, []))
    want_answer(s, what, (PONG, None, None, ""))


def datagrams(u):
    """The payloads waiting on u, after a moment for the last to land."""
    time.sleep(0.3)
    got = []
    u.setblocking(False)
    try:
        while True:
            got.append(u.recv(65536))
    except BlockingIOError:
        pass
    return got


def client_udp():
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.bind((CLIENT, 0))
    return u, u.getsockname()[1]


def open_session(cap_attr, cap, name):
    """A session from CLIENT whose WELCOME must announce cap."""
    w = {}
    s = session_from(CLIENT, timeout=5, welcome=w)
    got = struct.unpack("!I", w[cap_attr])[0] if cap_attr in w else None
    check("WELCOME announces %s %d" % (name, cap), got == cap, got)
    return s


def probes(cap):
    """session-probes: new WATCH nonces, SENDs and CONNECTs count, a WATCH
    of a nonce already watched does not.  Past the cap a SEND or CONNECT
    gets ERROR 429 with its REQ_ID and the session goes on; a WATCH gets
    ERROR 429 without one, and the connection is closed."""
    if cap < 4:
        raise SystemExit("probes: the cap must be 4 or more")
    s = open_session(A_MAX_PROBES, cap, "MAX_PROBES")
    u, uport = client_udp()
    lsn = socket.socket()
    lsn.bind((CLIENT, 0))
    lsn.listen(4)
    lsn.settimeout(5)
    n1, n2 = os.urandom(8), os.urandom(8)
    for n in (n1, n1, n2):
        s.sendall(frame(WATCH, [(A_NONCE, n)]))
    ping_pong(s, "two nonces watched, one of them twice: no ERROR")
    connect(s, 1, lsn.getsockname()[1])
    want_answer(s, "CONNECT, probe 3", (SENT, 1, None, ""))
    c, _ = lsn.accept()
    c.settimeout(5)
    check("the CONNECT arrived", c.recv(100).startswith(b"PINHOLE-CONNECT "))
    for rid in range(2, cap - 1):
        send(s, rid, b"probe %d" % rid, uport)
        want_answer(s, "SEND, probe %d" % (rid + 2), (SENT, rid, None, ""))
    cap_msg = "session probe cap reached"
    send(s, 100, b"one too many", uport)
    want_answer(s, "SEND past the cap", (ERROR, 100, 429, cap_msg))
    connect(s, 101, lsn.getsockname()[1])
    want_answer(s, "CONNECT past the cap", (ERROR, 101, 429, cap_msg))
    ping_pong(s, "the session goes on")
    got = datagrams(u)
    check("the %d SENDs within the cap arrived, the one past it did not"
          % (cap - 3), got == [b"probe %d" % r for r in range(2, cap - 1)], got)
    s.sendall(frame(WATCH, [(A_NONCE, os.urandom(8))]))
    want_answer(s, "WATCH of a new nonce past the cap", (ERROR, None, 429, cap_msg))
    s.settimeout(3)
    try:
        end = s.recv(100)
    except OSError as e:
        end = e
    check("then the connection is closed", end == b"", end)


def bytes_(cap):
    """session-bytes: the PAYLOAD bytes of a session's SENDs.  A SEND that
    would pass the cap gets ERROR 429 with its REQ_ID and is not charged:
    a smaller one that fits exactly still goes."""
    s = open_session(A_MAX_BYTES, cap, "MAX_BYTES")
    u, uport = client_udp()
    third = cap // 3
    sizes = [third, third, cap - 2 * third + 1, cap - 2 * third, 1]
    fits = [True, True, False, True, False]
    for rid, (n, ok) in enumerate(zip(sizes, fits), 1):
        send(s, rid, b"x" * n, uport)
        want = (SENT, rid, None, "") if ok else \
            (ERROR, rid, 429, "session byte cap reached")
        want_answer(s, "SEND of %d bytes, %d charged before" %
                    (n, sum(m for m, f in zip(sizes[:rid - 1], fits) if f)), want)
    ping_pong(s, "the session goes on")
    got = [len(d) for d in datagrams(u)]
    want = [n for n, f in zip(sizes, fits) if f]
    check("the datagrams that arrived: %s bytes, %d in all"
          % (want, sum(want)), got == want, got)


SO_TIMESTAMPNS = getattr(socket, "SO_TIMESTAMPNS", 35)


class SweepTap:
    """Every sweep datagram that reaches CLIENT on lo, with the kernel's
    time of its arrival: (time.time() seconds, nonce hex, port).  A packet
    socket sees them all without a socket per port, as the client's
    inbound checks do."""

    def __init__(self):
        self.got = []
        self.stop = False
        self.r = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM,
                               socket.htons(0x0800))
        self.r.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
        self.r.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
        self.r.bind(("lo", 0))
        self.r.settimeout(0.1)
        self.t = threading.Thread(target=self.run)
        self.t.start()

    def run(self):
        while not self.stop:
            try:
                p, anc, _, where = self.r.recvmsg(65536, 64)
            except socket.timeout:
                continue
            sec, ns = struct.unpack("qq", anc[0][2][:16])
            if where[2] == socket.PACKET_OUTGOING or p[9] != 17:
                continue
            h = (p[0] & 15) * 4
            pay = p[h + 8:]
            if socket.inet_ntoa(p[16:20]) == CLIENT and \
                    pay.startswith(b"PINHOLE-SWEEP "):
                _, nonce, port = pay.split()
                self.got.append((sec + ns / 1e9, nonce.decode(), int(port)))

    def close(self):
        self.stop = True
        self.t.join()
        self.r.close()


def sweep_pps(pps, ports):
    """sweep-pps: two SWEEPs of 'ports' ports each, asked back to back, run
    one after the other, each at pps datagrams a second (5 ms ticks), so
    that the session as a whole is paced at pps; each port gets its one
    datagram, and SENT comes after the last."""
    tap = SweepTap()
    s = session_from(CLIENT, timeout=5)
    nonces = [os.urandom(8) for _ in range(2)]
    bases = [20000, 30000]
    start = time.time()
    for rid, (n, b) in enumerate(zip(nonces, bases), 1):
        s.sendall(frame(SWEEP, [(A_REQ_ID, u32(rid)), (A_NONCE, n),
                                (A_PORTS, struct.pack("!HH", b, b + ports - 1))]))
    s.settimeout(2.0 * ports / pps + 10)
    sent_at = {}
    for _ in range(2):
        typ, rid, code, why = answer(s)
        check("SWEEP %s answered SENT" % rid, typ == SENT,
              "" if typ == SENT else (typ, code, why))
        sent_at[rid] = time.time()
    time.sleep(0.2)
    tap.close()
    spans = []
    for rid, (n, b) in enumerate(zip(nonces, bases), 1):
        got = [(t, p) for t, h, p in tap.got if h == n.hex()]
        check("SWEEP %d: one datagram to each of its %d ports" % (rid, ports),
              sorted(p for _, p in got) == list(range(b, b + ports)), len(got))
        if len(got) < 2:
            spans.append((start, start))
            continue
        first, last = got[0][0], got[-1][0]
        spans.append((first, last))
        rate = (len(got) - 1) / max(last - first, 1e-6)
        check("SWEEP %d: %d datagrams in %.2f s, %.0f a second (sweep-pps %d)"
              % (rid, len(got), last - first, rate, pps),
              0.8 * pps <= rate <= 1.05 * pps)
        check("SWEEP %d: SENT after its last datagram" % rid,
              sent_at[rid] >= last)
    check("SWEEP 2 began after SWEEP 1 ended (%.3f s later)"
          % (spans[1][0] - spans[0][1]), spans[1][0] >= spans[0][1])
    rate = (2 * ports - 1) / max(spans[1][1] - spans[0][0], 1e-6)
    check("both together: %.0f datagrams a second, no more than sweep-pps"
          % rate, rate <= 1.05 * pps)


if __name__ == "__main__":
    cases = {"probes": probes, "bytes": bytes_, "sweep_pps": sweep_pps}
    cases[sys.argv[1]](*[int(a) for a in sys.argv[2:]])
    sys.exit(1 if fails else 0)
