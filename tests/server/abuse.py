"""Hostile clients for pinholed's robustness tests (loopback only).

usage: abuse.py CASE [ARGS]; each case prints what it measured and exits
non-zero when pinholed did not hold.  Every loop is bounded in count and
time.
"""
import os, socket, struct, sys, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peer import (HOST, CTL, addr, frame, read_frame, recv_exact, session,
                  sip_options_udp, stun_request)

PREAMBLE = b"PINHOLE\x01"


def hello_bytes():
    sw = b"abuse"
    body = struct.pack("!HH", 2, len(sw)) + sw
    return PREAMBLE + struct.pack("!HH", 1, len(body)) + body


def closed_within(s, secs):
    """Seconds until the peer closed (EOF or reset), or None; reads all."""
    s.settimeout(0.2)
    start = time.time()
    while time.time() - start < secs:
        try:
            if s.recv(65536) == b"":
                return time.time() - start
        except socket.timeout:
            continue
        except OSError:
            return time.time() - start
    return None


def outq():
    """PINGs without reading: the server cuts the session off."""
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.connect((HOST, CTL))
    s.sendall(hello_bytes())
    pings = struct.pack("!HH", 5, 0) * 16384        # 64 KiB
    s.settimeout(2)
    sent, start, cut = 0, time.time(), False
    while sent < (256 << 20) and time.time() - start < 20:
        try:
            s.sendall(pings)
            sent += len(pings)
        except OSError:
            cut = True
            break
    print("sent %d MiB of PINGs without reading in %.1f s; cut off: %s"
          % (sent >> 20, time.time() - start, cut))
    if not cut:
        raise SystemExit("the server kept queueing PONGs for a client that "
                         "does not read")


def stuck_close():
    """A client that stops reading cannot hold its slot past the close
    deadline (session-seconds and close-timeout are short here)."""
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.connect((HOST, CTL))
    s.sendall(hello_bytes())
    # 8 MiB of PONGs: more than kernel buffers take, so they queue at
    # the server.
    s.settimeout(5)
    try:
        s.sendall(struct.pack("!HH", 5, 0) * (2 << 20))
    except OSError:
        pass
    t = time.time()
    while time.time() - t < 25:
        try:
            session(timeout=1.0).close()
            print("a new session opened %.1f s later" % (time.time() - t))
            s.close()
            return
        except (SystemExit, OSError):
            time.sleep(0.5)
    raise SystemExit("the stuck session still held the source's only slot")


def trickle_hello(hello_timeout):
    """A HELLO one byte a second must not outlive the HELLO deadline."""
    s = socket.create_connection((HOST, CTL), timeout=2)
    data = hello_bytes()
    start = time.time()
    got = b""
    s.settimeout(0.05)
    for i in range(len(data)):
        try:
            s.send(data[i:i + 1])
        except OSError:
            break
        t = time.time()
        while time.time() - t < 1.0:
            try:
                x = s.recv(4096)
                if x == b"":
                    break
                got += x
            except socket.timeout:
                pass
            except OSError:
                break
        else:
            continue
        break
    took = time.time() - start
    welcomed = len(got) >= 12 and struct.unpack("!H", got[8:10])[0] == 2
    print("trickled HELLO: closed after %.1f s, WELCOME: %s" % (took, welcomed))
    if welcomed or took > hello_timeout + 2:
        raise SystemExit("a trickled HELLO was served past the HELLO deadline")


def trickle_idle(idle_timeout):
    """Bytes that never make a frame do not keep a session alive."""
    s = session()
    ping = struct.pack("!HH", 5, 0)
    start = time.time()
    s.settimeout(0.1)
    for i in range(int(idle_timeout * 3)):
        try:
            s.send(ping[i % 2:i % 2 + 1] if i % 4 else ping[:1])
        except OSError:
            break
        if closed_within(s, 1.0) is not None:
            break
    took = time.time() - start
    print("byte-a-second session closed after %.1f s" % took)
    if took > idle_timeout + 2.5:
        raise SystemExit("trickled bytes kept the session past idle-timeout")


def unauth_cap(n, cap):
    """Silent connections from one address: at most 'cap' stay open."""
    conns = [socket.create_connection((HOST, CTL), timeout=2) for _ in range(n)]
    time.sleep(0.5)
    open_ = 0
    for c in conns:
        c.setblocking(False)
        try:
            if c.recv(1) != b"":
                open_ += 1
        except BlockingIOError:
            open_ += 1
        except OSError:
            pass
    print("%d silent connections from one address: %d still open" % (n, open_))
    s = session()
    print("a session from that address still opens")
    s.close()
    if open_ > cap:
        raise SystemExit("more than %d connections without HELLO from one "
                         "address were kept" % cap)


def silent_conns(n, sources):
    """n connections to the control port from 'sources' loopback
    addresses (127.0.1.2 on) that never say a word."""
    conns = []
    for i in range(n):
        c = socket.socket()
        c.bind(("127.0.%d.%d" % (1 + i % sources // 250, 2 + i % sources % 250), 0))
        c.settimeout(2)
        try:
            c.connect((HOST, CTL))
            conns.append(c)
        except OSError:
            c.close()
    return conns


def fd_fill(n, sources):
    """Silent connections from many addresses fill no descriptor table:
    a session still opens at once, and the server does not spin."""
    conns = silent_conns(n, sources)
    t = time.time()
    s = session(timeout=3.0)
    print("%d silent connections from %d addresses; a session opened in "
          "%.2f s" % (len(conns), sources, time.time() - t))
    s.close()
    time.sleep(3)           # held open: a server on EMFILE would spin now
    for c in conns:
        c.close()


def fd_burst(n, sources, rounds):
    """Rounds of n connections at once from 'sources' loopback addresses,
    spread over the control port and the SIP TCP ports, with the table
    already full: each round evicts as many unauthenticated connections
    as it brings, in the same turns of pinholed's loop as it accepts."""
    ports = [CTL, CTL, CTL, 5060]
    held = []
    for r in range(rounds):
        conns = []
        for i in range(n):
            c = socket.socket()
            c.setblocking(False)
            c.bind(("127.0.%d.%d" % (1 + i % sources // 250,
                                     2 + i % sources % 250), 0))
            c.connect_ex((HOST, ports[i % len(ports)]))
            conns.append(c)
        time.sleep(0.3)
        for c in held:
            c.close()
        held = conns
    t = time.time()
    s = session(timeout=3.0)
    print("%d rounds of %d connections on %d ports from %d addresses; a "
          "session opened in %.2f s" % (rounds, n, len(set(ports)), sources,
                                        time.time() - t))
    s.close()
    for c in held:
        c.close()


def fd_connect(n, sources):
    """With the descriptors full of silent connections, a session's
    CONNECT still gets one (the oldest silent connection goes)."""
    conns = silent_conns(n, sources)
    s = session_from("127.0.0.2")
    lsn = socket.socket()
    lsn.bind(("127.0.0.2", 0))
    lsn.listen(4)
    lsn.settimeout(5)
    port = lsn.getsockname()[1]
    s.sendall(frame(21, [(14, struct.pack("!I", 1)), (9, os.urandom(8)),
                         (12, addr("127.0.0.2", port))]))
    s.settimeout(5)
    typ, a = read_frame(s)
    if typ != 19:
        code = struct.unpack("!H", a[7])[0] if typ == 3 and 7 in a else None
        raise SystemExit("with %d silent connections open, CONNECT got "
                         "type %d, code %r: %r" % (len(conns), typ, code,
                                                   a.get(8)))
    c, _ = lsn.accept()
    c.settimeout(2)
    line = c.recv(100)
    print("%d silent connections open; CONNECT arrived: %r"
          % (len(conns), line.strip()))
    if not line.startswith(b"PINHOLE-CONNECT "):
        raise SystemExit("CONNECT did not write its line")
    for c in conns:
        c.close()


GET = b"GET /x HTTP/1.1\r\nHost: x\r\n\r\n"


def get_sent(src=None):
    """A connection to port 80 (from src, when given) that sent a GET."""
    c = socket.socket()
    if src is not None:
        c.bind((src, 0))
    c.settimeout(2)
    c.connect((HOST, 80))
    c.sendall(GET)
    return c


def get_reset(src=None):
    """One GET on port 80, then a reset before the answer is read."""
    c = get_sent(src)
    c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    c.close()                       # RST, the answer unread


def get_answered(n, src=None):
    """An ordinary GET after n reset ones is answered 200."""
    c = get_sent(src)
    d = b""
    while True:
        try:
            x = c.recv(4096)
        except OSError:
            break
        if not x:
            break
        d += x
    print("after %d reset connections a GET got %d bytes" % (n, len(d)))
    if not d.startswith(b"HTTP/1.1 200"):
        raise SystemExit("a GET after reset connections went unanswered")


def reach_reset(n):
    """GET-then-reset connections are all freed: a GET is still answered."""
    for _ in range(n):
        get_reset()
    time.sleep(0.5)
    get_answered(n)


def session_from(src, timeout=2.0, welcome=None):
    """A control session from source address 'src' (a loopback address
    other than the server's own, which pinholed never sends to).  The
    WELCOME's attributes go into the dict 'welcome' when given."""
    s = socket.socket()
    s.bind((src, 0))
    s.settimeout(timeout)
    s.connect((HOST, CTL))
    s.sendall(hello_bytes())
    recv_exact(s, 8)
    typ, a = read_frame(s)
    if typ != 2:
        raise SystemExit("expected WELCOME, got type %d" % typ)
    if welcome is not None:
        welcome.update(a)
    return s


def sweep_cap(cap, each, count, src="127.0.0.2"):
    """Back-to-back SWEEPs: the cap counts what was asked, not what left.
    Exactly the first cap // each are sent, the rest refused with 429.
    Returns how many were refused."""
    s = session_from(src)
    nonce = os.urandom(8)
    for i in range(1, count + 1):
        s.sendall(frame(20, [(14, struct.pack("!I", i)), (9, nonce),
                             (25, struct.pack("!HH", 20000, 20000 + each - 1))]))
    sent, limited = [], []
    s.settimeout(20)
    while len(sent) + len(limited) < count:
        typ, a = read_frame(s)
        rid = struct.unpack("!I", a[14])[0] if 14 in a else None
        if typ == 19:
            sent.append(rid)
        elif typ == 3 and struct.unpack("!H", a[7])[0] == 429:
            limited.append(rid)
        elif typ == 3:
            raise SystemExit("unexpected ERROR %r" % a)
    print("%d SWEEPs of %d ports against a cap of %d: %d sent, %d refused"
          % (count, each, cap, len(sent), len(limited)))
    allowed = min(count, cap // each)
    if sorted(sent) != list(range(1, allowed + 1)):
        raise SystemExit("want SWEEPs 1-%d sent, got %r" % (allowed, sorted(sent)))
    if sorted(limited) != list(range(allowed + 1, count + 1)):
        raise SystemExit("want SWEEPs %d-%d refused with 429, got %r"
                         % (allowed + 1, count, sorted(limited)))
    s.close()
    return len(limited)


def connect_cap(n, cap, pid):
    """CONNECTs toward a port that never answers: at most 'cap' are in
    flight (and hold descriptors); the rest are refused with 429 at once."""
    s = session_from("127.0.0.2")
    nonce = os.urandom(8)
    for i in range(1, n + 1):
        s.sendall(frame(21, [(14, struct.pack("!I", i)), (9, nonce),
                             (12, addr("127.0.0.2", 9))]))
    time.sleep(0.5)
    fds = len(os.listdir("/proc/%d/fd" % pid))
    limited = 0
    s.settimeout(1)
    try:
        while True:
            typ, a = read_frame(s)
            if typ == 3 and struct.unpack("!H", a[7])[0] == 429:
                limited += 1
    except (socket.timeout, OSError):
        pass
    print("%d CONNECTs to a silent port: %d refused with 429; pinholed holds "
          "%d descriptors" % (n, limited, fds))
    s.close()
    if limited < n - cap or fds > cap + 64:
        raise SystemExit("CONNECTs in flight are not capped")


def stun_spoof(n, rate, secs):
    """n bare requests over secs seconds from a session's address, but
    another port (as a spoofer would send them): full answers, larger
    than the requests, but only session-stun-rate ('rate') of them a
    second after a burst of twice that, so that they never outweigh the
    requests.  A padded request, whose answer is no larger, is still
    answered with the quota spent."""
    s = session()
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.setblocking(False)
    inb = outb = got = larger = 0
    start = time.time()

    def drain():
        nonlocal outb, got, larger
        try:
            while True:
                d = u.recv(4096)
                outb += len(d)
                got += 1
                larger += len(d) > 20
        except BlockingIOError:
            pass

    for i in range(n):
        req = stun_request()
        u.sendto(req, (HOST, 3478))
        inb += len(req)
        ahead = (i + 1) * secs / n - (time.time() - start)
        if ahead > 0:
            time.sleep(ahead)
        drain()
    took = time.time() - start
    time.sleep(0.3)
    drain()
    print("%d bare requests (%d bytes) in %.1f s drew %d answers (%d bytes, "
          "%d larger than their request): %.2f bytes out per byte in; "
          "session-stun-rate %d" % (n, inb, took, got, outb, larger,
                                    outb / inb, rate))
    most = 2 * rate + rate * took + 2
    least = 2 * rate + 0.8 * rate * took - 2
    if got > most:
        raise SystemExit("more than %d answers: session-stun-rate not applied"
                         % most)
    if got < least:
        raise SystemExit("fewer than %d answers: the session's client did not "
                         "get its rate" % least)
    if larger != got:
        raise SystemExit("a session's client got answers cut to the request")
    if outb > inb:
        raise SystemExit("a validated address was used for amplification")
    req = stun_request(pad=64)
    u.sendto(req, (HOST, 3478))
    u.settimeout(2)
    try:
        d = u.recv(4096)
    except socket.timeout:
        raise SystemExit("a padded request was not answered with the "
                         "session's STUN quota spent")
    print("with the quota spent, a %d-byte padded request got a %d-byte "
          "answer" % (len(req), len(d)))
    if len(d) != len(req):
        raise SystemExit("want an answer as long as the padded request")
    s.close()


def stun_rate(rate, n):
    """n padded requests over a second from a source without a session:
    a burst of twice stun-rate ('rate'), then stun-rate answers a second,
    neither fewer nor more."""
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.bind(("127.0.0.9", 0))
    u.setblocking(False)
    got = 0
    start = time.time()

    def drain():
        nonlocal got
        try:
            while True:
                u.recv(4096)
                got += 1
        except BlockingIOError:
            pass

    for i in range(n):
        u.sendto(stun_request(pad=64), (HOST, 3478))
        time.sleep(1.0 / n)
        drain()
    took = time.time() - start
    time.sleep(0.2)
    drain()
    print("%d padded requests in %.1f s from a sessionless source: %d answers "
          "(stun-rate %d)" % (n, took, got, rate))
    if got > rate * took + 2 * rate + 1:
        raise SystemExit("stun-rate not applied")
    if got < min(n, 2 * rate + 0.8 * rate * took) - 2:
        raise SystemExit("fewer answers than stun-rate allows: the burst of "
                         "%d and %d a second" % (2 * rate, rate))


def expect_error(s, code, req_id=None):
    typ, a = read_frame(s)
    got = struct.unpack("!H", a.get(7, b"\0\0"))[0] if typ == 3 else None
    rid = struct.unpack("!I", a[14])[0] if typ == 3 and 14 in a else None
    if typ != 3 or got != code or rid != req_id:
        raise SystemExit("want ERROR %d (REQ_ID %r), got type %d code %r "
                         "REQ_ID %r" % (code, req_id, typ, got, rid))


def protocol():
    """The deviations docs/protocol.md forbids."""
    c = socket.create_connection((HOST, CTL), timeout=2)
    c.sendall(b"PINHOLE\x00" + hello_bytes()[8:])
    d = b""
    try:
        while True:
            x = c.recv(4096)
            if not x:
                break
            d += x
    except OSError:
        pass
    if d:
        raise SystemExit("a version-0 preamble was answered: %r" % d[:40])
    print("version 0: closed without an answer")
    # A frame larger than 16384 bytes: ERROR 400, then close.
    s = session()
    s.sendall(struct.pack("!HH", 5, 20000))
    expect_error(s, 400)
    if closed_within(s, 3) is None:
        raise SystemExit("not closed after an oversized frame")
    print("oversized frame: ERROR 400 and closed")
    # A malformed frame (an attribute past the end): ERROR 400, close.
    s = session()
    s.sendall(struct.pack("!HHHH", 5, 4, 1, 50))
    expect_error(s, 400)
    if closed_within(s, 3) is None:
        raise SystemExit("not closed after a malformed frame")
    print("malformed frame: ERROR 400 and closed")
    # An unknown type carrying a REQ_ID: ERROR 400 with it, session goes on.
    s = session()
    s.sendall(frame(999, [(14, struct.pack("!I", 77))]))
    expect_error(s, 400, 77)
    s.sendall(struct.pack("!HH", 5, 0))
    typ, _ = read_frame(s)
    if typ != 6:
        raise SystemExit("session did not go on after an unknown type")
    print("unknown type with REQ_ID: ERROR 400 REQ_ID 77, then PONG")
    # A message in the wrong direction without REQ_ID: fatal ERROR 400.
    s.sendall(frame(2, []))
    expect_error(s, 400)
    print("WELCOME from a client: ERROR 400")
    # The SIP 200 OK has no NUL byte (asked with a session open, so that
    # the answer may be larger than the request).
    s = session()
    d = sip_options_udp()
    if b"\0" in d or not d.startswith(b"SIP/2.0 200 OK\r\nVia:"):
        raise SystemExit("OPTIONS answer malformed: %r" % d[:60])
    print("OPTIONS: 200 OK without a NUL byte")


if __name__ == "__main__":
    cases = {"outq": outq, "stuck_close": stuck_close,
             "trickle_hello": trickle_hello, "trickle_idle": trickle_idle,
             "unauth_cap": unauth_cap, "fd_fill": fd_fill,
             "fd_connect": fd_connect, "fd_burst": fd_burst,
             "reach_reset": reach_reset, "sweep_cap": sweep_cap,
             "stun_spoof": stun_spoof, "connect_cap": connect_cap, "stun_rate": stun_rate,
             "protocol": protocol}
    cases[sys.argv[1]](*[int(a) for a in sys.argv[2:]])
