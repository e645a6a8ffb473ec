"""Attacks on pinholed's metrics listener (127.0.0.1:9464), from inside
the test's namespace; every loop is bounded in count and time.

usage: metrics-attack.py
Prints ok / not ok lines; exits 1 on any failure.  The listener's rules
(src/server/metricsrv.c): 8 connections at most, 5 s from accept to close
whatever the peer sends, a request of 4096 bytes at most, GET /metrics
and GET /health only.
"""
import os, socket, sys, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import peer  # noqa: E402  (a control session on the public port)

ADDR = ("127.0.0.1", 9464)
CONNS, DEADLINE, REQ_MAX = 8, 5.0, 4096
failed = 0


def ok(what, cond, detail=""):
    global failed
    print("%s - %s%s" % ("ok" if cond else "not ok", what,
                         (": " + detail) if detail else ""), flush=True)
    if not cond:
        failed = 1


def ask(raw, timeout=3.0):
    """Sends raw bytes; returns (status line, whole answer)."""
    s = socket.create_connection(ADDR, timeout=timeout)
    try:
        s.sendall(raw)
        buf = b""
        while True:
            d = s.recv(65536)
            if not d:
                break
            buf += d
    except (socket.timeout, ConnectionResetError):
        pass
    finally:
        s.close()
    return buf.split(b"\r\n", 1)[0].decode("latin-1"), buf


def status(raw):
    return ask(raw)[0][9:12]


def closed_after(s, limit):
    """Seconds until the server closes 's' (reading all), at most limit."""
    t0 = time.monotonic()
    s.settimeout(0.2)
    while time.monotonic() - t0 < limit:
        try:
            d = s.recv(65536)
            if not d:
                return time.monotonic() - t0
        except socket.timeout:
            continue
        except ConnectionResetError:
            return time.monotonic() - t0
    return None


def scrape():
    st, buf = ask(b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
    vals = {}
    for line in buf.split(b"\r\n\r\n", 1)[-1].decode().splitlines():
        if line and not line.startswith("#"):
            k, v = line.rsplit(" ", 1)
            vals[k] = float(v)
    return st, vals


def main():
    st, before = scrape()
    ok("a scrape before", st.startswith("HTTP/1.1 200"), st)
    fds0 = before.get("pinholed_process_open_fds", 0)

    # Paths other than the two, and methods other than GET.
    for p in (b"/", b"/metrics/", b"/metricsx", b"/healthz", b"/../metrics",
              b"/metrics%00", b"//metrics", b"/" + b"a" * 3000):
        ok("GET %s... is 404" % p[:20].decode(),
           status(b"GET " + p + b" HTTP/1.1\r\n\r\n") == "404")
    for m in (b"POST", b"HEAD", b"PUT", b"DELETE", b"OPTIONS", b"GETX",
              b"get", b"CONNECT"):
        st, buf = ask(m + b" /metrics HTTP/1.1\r\nContent-Length: 5\r\n\r\n"
                      b"hello")
        ok("%s /metrics is 405" % m.decode(), st[9:12] == "405" and
           b"Allow: GET" in buf, st)
    ok("GET /health?x=1 is 200", status(b"GET /health?x=1 HTTP/1.0\r\n\r\n")
       == "200")
    for raw in (b"\r\n\r\n", b"GET\r\n\r\n", b"\x16\x03\x01\x00\x05hello"
                b"\r\n\r\n", b"GET metrics HTTP/1.1\r\n\r\n"):
        ok("junk %r is 400" % raw[:12], status(raw) == "400")

    # A huge request: 431 once 4096 bytes are in, and the rest not read.
    s = socket.create_connection(ADDR, timeout=5)
    sent, t0 = 0, time.monotonic()
    head = b"GET /metrics HTTP/1.1\r\nX: " + b"a" * 60
    try:
        s.sendall(head)
        chunk = b"a" * 65536
        while sent < 64 * 1024 * 1024 and time.monotonic() - t0 < 4:
            sent += s.send(chunk)
    except (BrokenPipeError, ConnectionResetError, socket.timeout):
        pass
    s.settimeout(2)
    try:
        ans = s.recv(200)
    except (ConnectionResetError, socket.timeout):
        ans = b""
    s.close()
    ok("a huge request: 431 or cut, not read whole",
       sent < 64 * 1024 * 1024 and (ans.startswith(b"HTTP/1.1 431") or
                                    ans == b""),
       "%d bytes went out; %r" % (sent, ans[:30]))

    # Slow clients: a byte every 0.5 s holds a connection no longer than
    # the deadline.
    slow = []
    for _ in range(CONNS):
        c = socket.create_connection(ADDR, timeout=2)
        c.send(b"G")
        slow.append(c)
    t0 = time.monotonic()
    alive = list(slow)
    ends = {}
    while alive and time.monotonic() - t0 < DEADLINE + 3:
        time.sleep(0.5)
        for c in list(alive):
            try:
                c.send(b"E")
                c.settimeout(0.01)
                if c.recv(1) == b"":
                    raise ConnectionResetError
            except socket.timeout:
                continue
            except (BrokenPipeError, ConnectionResetError, OSError):
                ends[c] = time.monotonic() - t0
                alive.remove(c)
    worst = max(ends.values()) if len(ends) == CONNS else None
    ok("%d trickling clients closed by the deadline" % CONNS,
       worst is not None and worst <= DEADLINE + 1.5,
       "after %s s" % (None if worst is None else round(worst, 1)))
    for c in slow:
        c.close()

    # Many connections at once: 8 held, the rest closed at once, counted;
    # the public control port unaffected meanwhile.
    held, shut = [], 0
    for _ in range(CONNS):
        held.append(socket.create_connection(ADDR, timeout=2))
    time.sleep(0.3)
    extra = []
    for _ in range(100):
        c = socket.create_connection(ADDR, timeout=2)
        extra.append(c)
    for c in extra:
        if closed_after(c, 1.0) is not None:
            shut += 1
        c.close()
    ok("connections past the cap closed at once", shut == 100,
       "%d of 100" % shut)
    try:
        peer.session().close()
        ok("a control session opens meanwhile", True)
    except SystemExit as e:
        ok("a control session opens meanwhile", False, str(e))
    # The held ones, each answered once and closed (an answer fits the
    # socket buffers: a reader that never reads is the deadline's, above).
    for c in held:
        c.send(b"GET /metrics HTTP/1.1\r\n\r\n")
    gone = [closed_after(c, DEADLINE + 2) for c in held]
    ok("held connections answered and closed", all(
       g is not None for g in gone), "%s" % [g and round(g, 1) for g in gone])
    for c in held:
        c.close()

    time.sleep(0.3)
    st, after = scrape()
    ok("a scrape after", st.startswith("HTTP/1.1 200"), st)
    ref = after.get("pinholed_metrics_connections_refused_total", 0)
    ok("refusals counted", ref >= 100, "%d" % ref)
    fds1 = after.get("pinholed_process_open_fds", 0)
    ok("descriptors back", fds1 <= fds0 + 1, "%d before, %d after" %
       (fds0, fds1))
    rss = after.get("pinholed_process_resident_memory_bytes", 1e12)
    ok("resident memory bounded", rss < 64e6, "%d bytes" % rss)
    return failed


if __name__ == "__main__":
    sys.exit(main())
