"""Traffic generators for pinholed's robustness tests (loopback only).

usage: peer.py amplification | flood | session | stun5780 | reach | rules |
       hold SECONDS
Every loop is bounded in count and time.
"""
import os, random, socket, struct, sys, time

# The server and its control port: loopback unless the environment names
# others (the soak test runs these peers in a lab topology).
HOST = os.environ.get("PINHOLED_HOST", "127.0.0.1")
CTL = int(os.environ.get("PINHOLED_CTL", "4443"))
UDP_PORTS = [3478, 5060, 5061, 5062]
TCP_PORTS = [4443, 5060, 5061, 5062]


def stun_request(pad=0, fingerprint=False, change=None, response_port=None,
                 mtype=1):
    tid = os.urandom(12)
    attrs = b""
    if change is not None:
        attrs += struct.pack("!HHI", 0x0003, 4, change)
    if response_port is not None:
        attrs += struct.pack("!HHHH", 0x0027, 4, response_port, 0)
    if pad:
        attrs += struct.pack("!HH", 0x0026, pad) + b"\0" * pad
    if fingerprint:
        attrs += struct.pack("!HHI", 0x8028, 4, 0)  # CRC wrong on purpose
    return struct.pack("!HHI", mtype, len(attrs), 0x2112A442) + tid + attrs


def stun_attrs(d):
    """(type, {attr: value}) of a STUN message."""
    typ, blen = struct.unpack("!HH", d[:4])
    attrs, off = {}, 20
    while off + 4 <= 20 + blen:
        t, n = struct.unpack("!HH", d[off:off + 4])
        attrs[t] = d[off + 4:off + 4 + n]
        off += 4 + ((n + 3) & ~3)
    return typ, attrs


def stun5780():
    """The RFC 5780 responder on one address with two ports."""
    s = session()
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.settimeout(2)
    other = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    other.bind((HOST, 0))
    other.settimeout(2)

    def ask(req, sock=u):
        u.sendto(req, (HOST, 3478))
        d, src = sock.recvfrom(65536)
        return d, src, stun_attrs(d)

    d, src, (typ, a) = ask(stun_request())
    if typ != 0x0101 or 0x802B not in a or 0x802C in a:
        raise SystemExit("plain request: want success with RESPONSE-ORIGIN "
                         "and no OTHER-ADDRESS on one address, got %r" % a.keys())
    d, src, (typ, a) = ask(stun_request(change=2))
    if typ != 0x0101 or src[1] != 3479:
        raise SystemExit("CHANGE-REQUEST port: want success from 3479, got "
                         "0x%04x from %r" % (typ, src))
    print("change port: answered from %s:%d" % src)
    d, src, (typ, a) = ask(stun_request(change=4))
    if typ != 0x0111 or a[0x0009][2:4] != b"\x04\x14":
        raise SystemExit("CHANGE-REQUEST ip on one address: want 420")
    print("change ip without a second address: 420")
    port = other.getsockname()[1]
    d, src, (typ, a) = ask(stun_request(response_port=port), sock=other)
    if typ != 0x0101 or src != (HOST, 3478):
        raise SystemExit("RESPONSE-PORT: want the answer on port %d" % port)
    print("response-port: answer went to port %d" % port)
    d, src, (typ, a) = ask(stun_request(pad=64, response_port=port))
    if typ != 0x0111 or a[0x0009][2:4] != b"\x04\x00":
        raise SystemExit("PADDING with RESPONSE-PORT: want 400")
    print("padding with response-port: 400")
    req = stun_request(pad=200)
    d, src, (typ, a) = ask(req)
    if typ != 0x0101 or len(d) != len(req):
        raise SystemExit("PADDING: want an answer as long as the request "
                         "(%d), got %d" % (len(req), len(d)))
    print("padding: %d-byte request, %d-byte answer" % (len(req), len(d)))
    u.sendto(stun_request(mtype=0x0011), (HOST, 3478))
    u.settimeout(0.5)
    try:
        u.recv(65536)
        raise SystemExit("an indication was answered")
    except socket.timeout:
        print("indication: not answered")
    s.close()


def sip_options_udp(port=5060):
    """Sends one SIP OPTIONS over UDP; returns the answer's bytes."""
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.settimeout(2)
    opt = (b"OPTIONS sip:pinholed SIP/2.0\r\n"
           b"Via: SIP/2.0/UDP 127.0.0.1:5999;branch=z9hG4bKpeer\r\n"
           b"From: <sip:peer@127.0.0.1>;tag=1\r\nTo: <sip:pinholed>\r\n"
           b"Call-ID: peer-1\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\n"
           b"Content-Length: 0\r\n\r\n")
    u.sendto(opt, (HOST, port))
    return u.recv(4096)


TOKEN = {}                      # socket -> its session's token (WELCOME)


def session(timeout=2.0, source=None):
    """Opens a control session (from 'source' when given); returns the
    socket after WELCOME, whose token TOKEN[socket] holds."""
    s = socket.create_connection((HOST, CTL), timeout=timeout,
                                 source_address=(source, 0) if source else None)
    sw = b"test"
    hello = struct.pack("!HH", 2, len(sw)) + sw
    s.sendall(b"PINHOLE\x01" + struct.pack("!HH", 1, len(hello)) + hello)
    buf = b""
    deadline = time.time() + timeout
    while time.time() < deadline:
        x = s.recv(4096)
        if not x:
            raise SystemExit("pinholed closed the connection before WELCOME "
                             "(%d bytes in)" % len(buf))
        buf += x
        if len(buf) >= 12:
            typ, blen = struct.unpack("!HH", buf[8:12])
            if len(buf) >= 12 + blen:
                if buf[:7] != b"PINHOLE" or typ != 2:
                    raise SystemExit("expected WELCOME, got type %d" % typ)
                body, i = buf[12:12 + blen], 0
                while i + 4 <= len(body):
                    t, l = struct.unpack("!HH", body[i:i + 4])
                    if t == 1:          # CTL_A_TOKEN
                        TOKEN[s] = body[i + 4:i + 4 + l]
                    i += 4 + l
                return s
    raise SystemExit("no WELCOME within %.1f s" % timeout)


def amplification_probes():
    """Request shapes that a reflector might answer with more than came in."""
    return [stun_request(), stun_request(fingerprint=True),
            stun_request(pad=64), stun_request(change=6),
            stun_request(pad=8, change=2), b"\x00\x01\x00\x00" + b"x" * 4,
            b"REGISTER sip:x SIP/2.0\r\n\r\n", os.urandom(200), b"\x00"]


def flood_payload(n):
    """The n-th datagram of a flood: random, truncated or lying bytes."""
    kind = n % 5
    if kind == 0:
        return os.urandom(random.randint(0, 1400))
    if kind == 1:
        return stun_request(pad=random.choice([0, 4, 64]))[:random.randint(0, 40)]
    if kind == 2:
        return struct.pack("!HHI", 1, random.randint(0, 65535), 0x2112A442) + os.urandom(12)
    if kind == 3:
        return b"INVITE sip:x SIP/2.0\r\nContent-Length: 99999\r\n" + os.urandom(50)
    return b"PINHOLE\x01" + os.urandom(random.randint(0, 100))


def amplification():
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.setblocking(False)
    sent_b = sent_p = recv_b = recv_p = 0
    probes = amplification_probes()
    for _ in range(20):
        for port in UDP_PORTS:
            for p in probes:
                u.sendto(p, (HOST, port))
                sent_b += len(p)
                sent_p += 1
    deadline = time.time() + 1.5
    while time.time() < deadline:
        try:
            d = u.recv(65536)
            recv_b += len(d)
            recv_p += 1
        except BlockingIOError:
            time.sleep(0.01)
    print("unvalidated: sent %d packets / %d bytes, received %d packets / "
          "%d bytes" % (sent_p, sent_b, recv_p, recv_b))
    if recv_b > sent_b or recv_p > sent_p:
        raise SystemExit("amplification: more came back than went out")
    if recv_p == 0:
        raise SystemExit("no answer at all: padded requests should be answered")
    # With a session from this address, a bare request gets a full answer.
    s = session()
    bare = stun_request()
    u.sendto(bare, (HOST, 3478))
    u.settimeout(2)
    d = u.recv(65536)
    print("validated: a %d-byte request got a %d-byte answer" % (len(bare), len(d)))
    if len(d) <= len(bare):
        raise SystemExit("a session's client should get the full answer")
    s.close()


def flood():
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    start = time.time()
    n = 0
    while n < 20000 and time.time() - start < 15:
        port = random.choice(UDP_PORTS)
        try:
            u.sendto(flood_payload(n), (HOST, port))
        except OSError:
            pass
        n += 1
    conns = []
    for i in range(300):
        if time.time() - start > 25:
            break
        try:
            c = socket.create_connection((HOST, random.choice(TCP_PORTS)), timeout=1)
            k = i % 4
            if k == 0:
                c.sendall(os.urandom(random.randint(1, 3000)))
            elif k == 1:
                c.sendall(b"PINHOLE\x01" + struct.pack("!HH", 1, 60000))
            elif k == 2:
                c.sendall(b"PINHOLE\x01" + os.urandom(64))
            conns.append(c)  # k == 3: connect and say nothing
        except OSError:
            pass
    print("flood: %d datagrams, %d connections in %.1f s" % (n, len(conns), time.time() - start))
    t = time.time()
    s = session(timeout=2.0)
    print("a fresh session opened %.2f s after the flood" % (time.time() - t))
    s.close()
    for c in conns:
        c.close()


def frame(typ, attrs):
    body = b"".join(struct.pack("!HH", t, len(v)) + v for t, v in attrs)
    return struct.pack("!HH", typ, len(body)) + body


def recv_exact(s, n):
    """Exactly n bytes from s; end of file is an error (pinholed closed the
    connection, or died), never a reason to read again."""
    d = b""
    while len(d) < n:
        x = s.recv(n - len(d))
        if not x:
            raise SystemExit("pinholed closed the connection after %d of %d "
                             "bytes" % (len(d), n))
        d += x
    return d


def read_frame(s):
    typ, blen = struct.unpack("!HH", recv_exact(s, 4))
    body = recv_exact(s, blen)
    attrs, i = {}, 0
    while i < len(body):
        t, l = struct.unpack("!HH", body[i:i + 4])
        attrs.setdefault(t, body[i + 4:i + 4 + l])
        i += 4 + l
    return typ, attrs


def addr(ip, port):
    return bytes([4]) + struct.pack("!H", port) + socket.inet_aton(ip)


def rules():
    """SEND goes only to the session client's own address."""
    s = session()
    # (127.0.0.1 is the server's own address here, refused as well.)
    cases = [("127.0.0.2", 1, 5060, 403, "another address"),
             ("198.51.100.7", 2, 5060, 403, "another address, TCP"),
             ("127.0.0.1", 1, 5060, 403, "the server's own address")]
    for i, (ip, tr, lport, want, what) in enumerate(cases, 1):
        s.sendall(frame(18, [(14, struct.pack("!I", i)), (10, bytes([tr])),
                             (11, struct.pack("!H", lport)),
                             (12, addr(ip, 40000)), (13, b"x")]))
        typ, a = read_frame(s)
        code = struct.unpack("!H", a.get(7, b"\0\0"))[0]
        if typ != 3 or code != want:
            raise SystemExit("SEND to %s (%s): want ERROR %d, got type %d "
                             "code %d" % (ip, what, want, typ, code))
        print("SEND to %s (%s) refused with %d" % (ip, what, code))
    s.close()


def reach():
    """The reachability responders: HTTP echo, BOSH, XMPP, SIP OPTIONS."""
    s = session()
    req = (b"GET /pinhole HTTP/1.1\r\nHost: 127.0.0.1\r\n"
           b"User-Agent: peer\r\n\r\n")
    c = socket.create_connection((HOST, 80), timeout=2)
    c.sendall(req)
    d = b""
    while True:
        x = c.recv(4096)
        if not x:
            break
        d += x
    head, _, body = d.partition(b"\r\n\r\n")
    if not head.startswith(b"HTTP/1.1 200") or body != req:
        raise SystemExit("HTTP: want 200 echoing the request, got %r" % d[:200])
    print("http: %d-byte request echoed" % len(req))
    body = (b"<body rid='1' xmlns='http://jabber.org/protocol/httpbind' "
            b"to='pinholed' wait='60' hold='1'/>")
    c = socket.create_connection((HOST, 5280), timeout=2)
    c.sendall(b"POST /http-bind HTTP/1.1\r\nHost: x\r\nContent-Length: %d"
              b"\r\n\r\n" % len(body) + body)
    d = c.recv(4096)
    if b"200 OK" not in d or b"httpbind" not in d:
        raise SystemExit("BOSH: want a <body/>, got %r" % d[:200])
    print("bosh: session body")
    c = socket.create_connection((HOST, 5222), timeout=2)
    c.sendall(b"<?xml version='1.0'?><stream:stream to='pinholed' "
              b"xmlns='jabber:client' "
              b"xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>")
    d = c.recv(4096)
    if b"<stream:features>" not in d or b"starttls" not in d:
        raise SystemExit("XMPP: want features with STARTTLS, got %r" % d[:200])
    print("xmpp: features with starttls")
    d = sip_options_udp()
    if not d.startswith(b"SIP/2.0 200 OK") or b"Call-ID: peer-1" not in d:
        raise SystemExit("OPTIONS: want 200 OK, got %r" % d[:200])
    print("sip options over udp: 200 OK")
    s.close()


def hold(secs):
    """A control session, held for secs seconds (printing "held TOKEN",
    its token in hex, once it is welcomed) or until the process is ended;
    anything from the server meanwhile, its end of file too, is an
    error."""
    s = session()
    print("held", TOKEN[s].hex(), flush=True)
    s.settimeout(float(secs))
    try:
        d = s.recv(4096)
    except socket.timeout:
        return
    raise SystemExit("the held session got %r" % d[:60])


if __name__ == "__main__":
    {"amplification": amplification, "flood": flood, "rules": rules,
     "stun5780": stun5780, "reach": reach, "hold": hold,
     "session": lambda: session().close()}[sys.argv[1]](*sys.argv[2:])
