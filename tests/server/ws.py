"""The check page's WebSocket against a pinholed on loopback: the
handshake, framing, limits and the results -> report round trip.

usage: ws.py CAFILE UNAUTH_PER_SOURCE SESSIONS_PER_SOURCE HELLO_TIMEOUT
Prints one 'ok - ' or 'not ok - ' line per assertion; exits 1 on any
failure.  Every wait is bounded by the socket timeout."""
import json, os, socket, struct, sys, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wsclient import WS, Closed
import tap
from tap import want

HOST, PORT = "127.0.0.1", 4443
CA = sys.argv[1]
UNAUTH, SESSIONS, HELLO_S = (int(a) for a in sys.argv[2:5])
def ws(**kw):
    return WS(HOST, PORT, cafile=CA, **kw)


def close_code(w):
    """The code of the close frame that comes next (messages skipped)."""
    try:
        while True:
            w.recv()
    except Closed as e:
        return e.code
    except (EOFError, OSError):
        return None


# The handshake.
w = ws()
want("101 Switching Protocols", w.status, 101)
w.send({"type": "hello", "version": 1})
h = w.recv()
want("hello answered", h.get("type"), "hello")
want("the address pinholed sees", h.get("address"), "127.0.0.1")
want("the profile", h["profile"]["name"], "ringio-web-phone")
want("hosts to fetch", [t["host"] for t in h["fetch"]][:1],
     ["chunderw-gll.twilio.com"])
want("WebRTC available", h.get("webrtc"), True)
w.frame(9, b"ping!")
op, p = w.recv_frame()
want("a ping is answered with its pong", (op, p), (10, b"ping!"))
w.send({"type": "offer", "sdp": "v=0"})
want("an offer that is not SDP", w.recv(),
     {"type": "error", "reason": "no audio section we can answer"})
w.send({"type": "nothing"})
want("an unknown type", w.recv().get("reason"), "unknown message type")
w.send({"type": "results", "ws": {"hello_rtt_ms": 2.5},
        "fetch": [{"host": "chunderw-gll.twilio.com", "port": 443,
                   "ok": True, "ms": 31},
                  {"host": "eventgw.twilio.com", "port": 443, "ok": False,
                   "timed_out": True, "ms": 5000, "error": "timed out"},
                  {"host": "elsewhere.example", "port": 443, "ok": True}],
        "webrtc": {"run": False}, "user_agent": "ws.py"})
r = w.recv()
want("results answered with a report", r.get("type"), "report")
want("its path", r.get("url"), "/r/" + r.get("id", ""))
# The page's own verdict and advice: each check that did not pass, in the
# report's words (the host that timed out; the one not in the profile is
# not fetched, not judged).
want("its verdict", r.get("verdict"), "fail")
adv = {a.get("id"): a for a in r.get("advice", [])}
want("advice for the host that timed out",
     adv.get("browser.fetch.eventgw.twilio.com", {}).get("verdict"), "fail")
want("its finding and what to do",
     all(adv.get("browser.fetch.eventgw.twilio.com", {}).get(k)
         for k in ("summary", "remedy")), True)
want("no advice for what passed", "browser.fetch.chunderw-gll.twilio.com"
     in adv, False)
print("report-id " + r.get("id", ""))
w.send({"type": "results", "fetch": []})
want("results only once", w.recv().get("reason"),
     "results were already received")
w.frame(8, struct.pack("!H", 1000))
want("a close is echoed", close_code(w), 1000)
w.close()

# Refused handshakes.
want("a foreign Origin", ws(origin="https://evil.example").status, 403)
want("no Origin", ws(origin=False).status, 403)
want("version 8", ws(headers={"Sec-WebSocket-Version": "8"}).status, 426)
want("no key", ws(headers={"Sec-WebSocket-Key": None}).status, 400)
want("a key that is not 16 bytes",
     ws(headers={"Sec-WebSocket-Key": "c2hvcnQ="}).status, 400)

# Frames a browser never sends.
def after_hello():
    w = ws()
    w.send({"type": "hello", "version": 1})
    w.recv()
    return w

w = ws()
w.frame(1, b'{"type":"hello"}', mask=False)
want("an unmasked client frame: 1002", close_code(w), 1002)
w = ws()
w.frame(1, b"x" * 16385)
want("a frame over 16384 bytes: 1009", close_code(w), 1009)
w = ws()
w.s.sendall(b"\x81\xff" + struct.pack("!Q", 1 << 40) + b"abcd")
want("a frame that claims 1 TiB: 1009 from the header", close_code(w), 1009)
w = after_hello()
w.frame(1, b'{"type":', fin=False)
want("a fragmented message: 1008", close_code(w), 1008)
w = after_hello()
w.frame(2, b"\x00\x01")
want("a binary message: 1003", close_code(w), 1003)
w = after_hello()
w.frame(1, b"\xc0\xaf")
want("text that is not UTF-8: 1007", close_code(w), 1007)
w = after_hello()
w.frame(9, b"x" * 126)
want("a ping over 125 bytes: 1002", close_code(w), 1002)
w = ws()
w.send({"type": "results", "fetch": []})
want("results before hello: 1008", close_code(w), 1008)
w = ws()
w.frame(1, b"[1, 2]")
want("not an object: 1007", close_code(w), 1007)
w = after_hello()
for i in range(64):	# with the hello, 65: nothing is sent after the last
    w.frame(1, b'{"type":"nothing"}')
want("past 64 messages: 1008", close_code(w), 1008)

# Per-source caps: sessions, then connections that have not said hello.
held = [after_hello() for _ in range(SESSIONS)]
w = ws()
w.send({"type": "hello", "version": 1})
want("a session past max-sessions-per-source: 1008", close_code(w), 1008)
for x in held:
    x.close()
time.sleep(0.3)
quiet = [ws() for _ in range(UNAUTH + 1)]
want("past max-unauth-per-source the oldest goes", close_code(quiet[0]), None)
q = quiet[-1]
q.send({"type": "hello", "version": 1})
want("the newest still gets its hello", q.recv().get("type"), "hello")
for x in quiet:
    x.close()
# The hello deadline: bytes that are not a message do not extend it.
w = ws(timeout=HELLO_S + 5)
t0 = time.monotonic()
w.s.sendall(b"\x81")
code = close_code(w)
want("no hello within hello-timeout: 1001", code, 1001)
el = time.monotonic() - t0
want("closed at the deadline (%.1f s)" % el, HELLO_S - 0.5 < el < HELLO_S + 2,
     True)

# The page's ICE-check lists as hostile input: a session that offered,
# then results whose "candidates" hold junk besides one real entry.  Only
# integer counts within bounds on a real port are kept (the stored report
# is read in websocket.sh).
import pagepeer
w = after_hello()
_, _, _, udp = pagepeer.offer(w)
junk = [{"port": udp[0], "protocol": "udp", "requests_sent": v,
         "responses_received": 0}
        for v in (1e300, -5, 2.5, "9", None, [1], {"n": 1}, True)]
junk += [{"port": p, "protocol": "udp", "requests_sent": 1,
          "responses_received": 0} for p in (0, 65536, -1, "443", 1.5)]
junk += [{"port": udp[1], "protocol": x, "requests_sent": 1,
          "responses_received": 0} for x in ("sctp", "UDP", None, 7)]
junk += [{"port": udp[1], "protocol": "udp", "requests_sent": 10 ** 6,
          "responses_received": 0}] * 3 + ["x", 1, None]
# Past 16 ports the rest is ignored, udp[0]'s valid entry with it.
junk += [{"port": 20000 + i, "protocol": "tcp", "requests_sent": 10 ** 6,
          "responses_received": 10 ** 6} for i in range(40)]
junk += [{"port": udp[0], "protocol": "udp", "requests_sent": 5,
          "responses_received": 5}]
w.send({"type": "results", "fetch": [],
        "webrtc": {"run": True, "audio": True, "connected": False,
                   "state": "failed", "candidates": junk},
        "user_agent": "ws.py hostile candidates"})
r = w.recv()
want("hostile candidates: results answered with a report", r.get("type"),
     "report")
print("report-id-cands %s %d %d" % (r.get("id", ""), udp[0], udp[1]))
w.close()

# ICE-TCP on the control port (first byte 0, RFC 4571 frames): a first
# frame that is not a valid ICE check of a session's peer is not
# answered, and the connection is closed.
def icetcp(frame):
    t = socket.create_connection((HOST, PORT), timeout=5)
    t.sendall(struct.pack(">H", len(frame)) + frame)
    try:
        got = t.recv(100)
    except OSError:
        got = None
    t.close()
    return got


bind = struct.pack(">HHI12s", 1, 0, 0x2112A442, b"0123456789ab")
want("ICE-TCP: a binding without USERNAME is closed unanswered",
     icetcp(bind), b"")
user = struct.pack(">HH", 6, 8) + b"nobody:x"
want("ICE-TCP: a check for no peer is closed unanswered",
     icetcp(struct.pack(">HHI12s", 1, len(user), 0x2112A442,
                        b"0123456789ab") + user), b"")
want("ICE-TCP: a frame longer than 1500 is closed",
     icetcp(b"\x00" * 1501), b"")
sys.exit(1 if tap.failures else 0)
