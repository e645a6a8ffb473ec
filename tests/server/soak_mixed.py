"""The web surface's mixed soak (tests/server/soak-mixed.sh): from every
source address at once, three loads side by side, each bounded by ROUNDS
and by SECONDS:
  pages    the check page's sessions: the WebSocket, its hello, an offer
           answered, and every other round the page's results, stored, and
           its report read back with GET /r/ID;
  iceclose the case that once wrote one user's DTLS flight into another
           user's connection (docs/decisions.md), interleaved: page
           session 1 offers and pairs over ICE-TCP connection c1 and sends
           a DTLS ClientHello; page session 2 (the same address) says
           hello; c1 closes (every third round after its check, before
           DTLS); the previous round's pages close only then.  A round
           lasts at least 1.5 s, so that session 1's DTLS retransmission
           timer (1 s) fires after c1 is gone, as it did then;
  uploads  a control session, a report uploaded naming it by its token
           (Pinhole-Session, as pinhole check --share does) and the
           report read back with GET /r/ID.
pages and uploads run 10 rounds for each of iceclose's, at most one
every 0.15 s, so that the three loads overlap from start to end.
Meanwhile TLS connections from WATCH that ask for nothing are held, the
oldest replaced every 0.25 s: they must receive nothing, as the
connection that got another user's DTLS flight did.

usage: soak_mixed.py CAFILE REPORT ROUNDS SECONDS WATCH SOURCE...
Prints one 'ok - ' or 'not ok - ' line per load and a '# ' line of
figures; exits 1 on any failure.  Standard library only."""
import http.client, json, os, socket, ssl, sys, threading, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pagepeer, peer, tap
from pagepeer import HOST, PORT, frame, icetcp, offer, page, paired
from tap import check, ice_check

CA, REPORT = sys.argv[1], open(sys.argv[2], "rb").read()
ROUNDS, SECONDS = int(sys.argv[3]), float(sys.argv[4])
WATCH, SOURCES = sys.argv[5], sys.argv[6:]
END = time.monotonic() + SECONDS
CH = pagepeer.client_hello()
RESULTS = {"type": "results", "ws": {"hello_rtt_ms": 2.5},
           "fetch": [{"host": "chunderw-gll.twilio.com", "port": 443,
                      "ok": True, "ms": 31}],
           "webrtc": {"run": False}, "user_agent": "soak_mixed.py"}

lock = threading.Lock()
done = {"pages": 0, "iceclose": 0, "uploads": 0}
errors = {k: [] for k in done}


def https(source, method, path, body=None, headers=None):
    """One HTTPS request from 'source'; (status, body)."""
    ctx = ssl.create_default_context(cafile=CA)
    c = http.client.HTTPSConnection(HOST, PORT, context=ctx, timeout=10,
                                    source_address=(source, 0))
    try:
        c.request(method, path, body=body, headers=headers or {})
        r = c.getresponse()
        return r.status, r.read()
    finally:
        c.close()


def read_back(source, rid):
    st, body = https(source, "GET", "/r/" + rid)
    assert st == 200 and b"<html" in body[:512].lower(), \
        "GET /r/%s: %d" % (rid, st)


def pages(src, n):
    w = page(CA, src)
    try:
        offer(w)
        if n % 2 == 0:
            w.send(RESULTS)
            r = w.recv()
            assert r.get("type") == "report", r
            read_back(src, r["id"])
    finally:
        w.close()


def iceclose(src, n, held):
    w1 = page(CA, src)
    held.append(w1)
    if n % 3 == 1:              # closed after its check, before DTLS
        ufrag, pwd, port, _ = offer(w1)
        c1 = icetcp(port, src)
        frame(c1, ice_check(ufrag + ":abcd", pwd, True))
        pagepeer.recv_frame(c1)
    else:
        c1, _ = paired(w1, CH, src)
    held.append(page(CA, src))  # session 2, the newest of the address
    c1.close()
    while len(held) > 2:        # the previous round's pages, only now
        held.pop(0).close()


def uploads(src, n):
    s = peer.session(timeout=5, source=src)
    try:
        st, body = https(src, "POST", "/api/reports", REPORT, {
            "Content-Type": "application/json",
            "Pinhole-Session": peer.TOKEN[s].hex()})
        assert st == 201, "upload: %d %r" % (st, body[:100])
        read_back(src, json.loads(body)["id"])
    finally:
        s.close()


# Each load: its rounds, their number (times ROUNDS) and shortest period.
LOADS = {"pages": (lambda src, n, held: pages(src, n), 10, 0.15),
         "iceclose": (iceclose, 1, 1.5),
         "uploads": (lambda src, n, held: uploads(src, n), 10, 0.15)}


def load(kind, src):
    run, times, period = LOADS[kind]
    held = []
    for n in range(ROUNDS * times):
        start = time.monotonic()
        if start > END:
            break
        try:
            run(src, n, held)
            with lock:
                done[kind] += 1
        except Exception as e:      # noqa: BLE001 - every failure counted
            with lock:
                errors[kind].append("%s round %d: %r" % (src, n, e))
        time.sleep(max(0.0, min(start + period, END) - time.monotonic()))
    for w in held:
        w.close()


def watch(stop, got):
    """TLS connections from WATCH that ask nothing, the oldest replaced
    every 0.25 s (a new connection may take the memory of one that is
    gone); bytes they received."""
    ctx = ssl.create_default_context(cafile=CA)
    conns = []
    while not stop.is_set():
        if len(conns) == 8:
            conns.pop(0).close()
        while len(conns) < 8:
            try:
                conns.append(ctx.wrap_socket(socket.create_connection(
                    (HOST, PORT), timeout=5, source_address=(WATCH, 0)),
                    server_hostname=HOST))
            except OSError:
                time.sleep(0.2)
                break
        for c in list(conns):
            c.settimeout(0.03)
            try:
                d = c.recv(65536)
                if not d:
                    raise EOFError
                got[0] += len(d)
            except socket.timeout:
                continue
            except (EOFError, OSError):
                c.close()
                conns.remove(c)
    for c in conns:
        c.close()


t0 = time.monotonic()
stop, foreign = threading.Event(), [0]
watcher = threading.Thread(target=watch, args=(stop, foreign))
watcher.start()
threads = [threading.Thread(target=load, args=(k, s))
           for s in SOURCES for k in done]
for t in threads:
    t.start()
for t in threads:
    t.join(SECONDS + 60)
stop.set()
watcher.join(10)
took = time.monotonic() - t0
print("# %.1f s from %d sources: %s" % (took, len(SOURCES), ", ".join(
    "%d %s rounds" % (done[k], k) for k in done)))
for k in done:
    check("%s: no round failed" % k, not errors[k],
          "; ".join(errors[k][:3]) + (" ..." if len(errors[k]) > 3 else ""))
    least = len(SOURCES) * min(ROUNDS * LOADS[k][1], 5)
    check("%s: at least %d rounds ran" % (k, least), done[k] >= least,
          done[k])
check("every load ended", not any(t.is_alive() for t in threads))
tap.want("connections from %s that asked nothing received nothing" % WATCH,
         foreign[0], 0)
sys.exit(1 if tap.failures else 0)
