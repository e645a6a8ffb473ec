"""pinholed's WebRTC peer against a real one (aiortc), on loopback.

usage: webrtc.py [SECONDS]
The control session and aiortc use 127.0.0.2 (aioice skips 127.0.0.1);
pinholed's candidates are on 127.0.0.1.  With WEBRTC_IPV6 set, the same
over IPv6: pinholed on 2001:db8::1, the client 2001:db8::2, another
source 2001:db8::3.  Checks: ICE connects, DTLS
completes, our Opus reaches aiortc and decodes, aiortc's tone reaches
pinholed (WEBRTC_STATS), aiortc sees our RTCP report, and ICE checks from
another source or with a wrong password are not answered.
"""
import asyncio, fractions, math, os, socket, struct, sys

from aiortc import RTCPeerConnection, RTCSessionDescription
from aiortc.mediastreams import MediaStreamTrack
import av
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tap
from tap import check, ice_check

HOST, CTL, CLIENT, OTHER = "127.0.0.1", 4443, "127.0.0.2", "127.0.0.3"
FAMILY = socket.AF_INET
if os.environ.get("WEBRTC_IPV6"):
    # pinholed listening on IPv6 too, reached over it: every candidate it
    # offers must be IPv6, and its ICE must work over IPv6.
    HOST, CLIENT, OTHER = "2001:db8::1", "2001:db8::2", "2001:db8::3"
    FAMILY = socket.AF_INET6
SECONDS = float(sys.argv[1]) if len(sys.argv) > 1 else 5.0
class Tone(MediaStreamTrack):
    """440 Hz, 20 ms frames of 48 kHz mono s16, paced in real time."""
    kind = "audio"

    def __init__(self):
        super().__init__()
        self.n = 0
        self.start = None

    async def recv(self):
        loop = asyncio.get_event_loop()
        if self.start is None:
            self.start = loop.time()
        due = self.start + self.n * 0.02
        if due > loop.time():
            await asyncio.sleep(due - loop.time())
        samples = [int(8000 * math.sin(2 * math.pi * 440 * (self.n * 960 + i)
                                       / 48000)) for i in range(960)]
        frame = av.AudioFrame(format="s16", layout="mono", samples=960)
        frame.planes[0].update(struct.pack("<960h", *samples))
        frame.sample_rate = 48000
        frame.pts = self.n * 960
        frame.time_base = fractions.Fraction(1, 48000)
        self.n += 1
        return frame


class Ctl:
    """The control protocol, as far as this test needs it."""

    def __init__(self):
        self.s = socket.socket(FAMILY)
        self.s.bind((CLIENT, 0))
        self.s.settimeout(5)
        self.s.connect((HOST, CTL))
        sw = b"webrtc-test"
        hello = struct.pack("!HH", 2, len(sw)) + sw
        self.s.sendall(b"PINHOLE\x01" + struct.pack("!HH", 1, len(hello)) +
                       hello)
        self.buf = b""
        while len(self.buf) < 8:
            d = self.s.recv(8 - len(self.buf))
            if not d:
                raise SystemExit("control connection closed before the "
                                 "preamble")
            self.buf += d
        self.buf = b""
        typ, _ = self.frame()
        assert typ == 2, "no WELCOME"

    def frame(self):
        while True:
            if len(self.buf) >= 4:
                typ, n = struct.unpack("!HH", self.buf[:4])
                if len(self.buf) >= 4 + n:
                    body = self.buf[4:4 + n]
                    self.buf = self.buf[4 + n:]
                    attrs, off = {}, 0
                    while off + 4 <= len(body):
                        t, l = struct.unpack("!HH", body[off:off + 4])
                        attrs.setdefault(t, body[off + 4:off + 4 + l])
                        off += 4 + l
                    return typ, attrs
            d = self.s.recv(65536)
            if not d:
                raise SystemExit("control connection closed")
            self.buf += d

    def request(self, typ, req_id, attrs=b""):
        body = struct.pack("!HHI", 14, 4, req_id) + attrs
        self.s.sendall(struct.pack("!HH", typ, len(body)) + body)
        while True:
            t, a = self.frame()
            if 14 in a and struct.unpack("!I", a[14])[0] == req_id:
                return t, a


def answered(src, dst, pkt):
    u = socket.socket(FAMILY, socket.SOCK_DGRAM)
    u.bind((src, 0))
    u.settimeout(0.5)
    try:
        for _ in range(2):
            u.sendto(pkt, dst)
            try:
                d, _ = u.recvfrom(2048)
                return d
            except socket.timeout:
                pass
        return None
    finally:
        u.close()


async def main():
    ctl = Ctl()
    pc = RTCPeerConnection()
    frames = {"n": 0}
    ice, dtls = asyncio.Event(), asyncio.Event()

    @pc.on("track")
    def on_track(track):
        async def pull():
            while True:
                try:
                    await track.recv()
                except Exception:
                    return
                frames["n"] += 1
        asyncio.ensure_future(pull())

    @pc.on("iceconnectionstatechange")
    def on_ice():
        if pc.iceConnectionState in ("connected", "completed"):
            ice.set()

    @pc.on("connectionstatechange")
    def on_conn():
        if pc.connectionState == "connected":
            dtls.set()

    pc.addTrack(Tone())
    await pc.setLocalDescription(await pc.createOffer())
    sdp = pc.localDescription.sdp.encode()
    t, a = ctl.request(24, 1, struct.pack("!HH", 38, len(sdp)) + sdp)
    check("WEBRTC_OFFER answered with WEBRTC_ANSWER", t == 25,
          a.get(8, b"").decode(errors="replace"))
    if t != 25:
        return
    answer = a[38].decode()
    for want in ("a=ice-lite", "a=setup:passive", "a=rtcp-mux",
                 "opus/48000/2", "a=fingerprint:sha-256 ", "typ host"):
        check("answer has " + want, want in answer)
    cands = [l.split()[4:6] for l in answer.splitlines()
             if l.startswith("a=candidate:")]
    ufrag = [l[12:] for l in answer.splitlines()
             if l.startswith("a=ice-ufrag:")][0]
    pwd = [l[10:] for l in answer.splitlines()
           if l.startswith("a=ice-pwd:")][0]
    check("host candidates on several media ports", len(cands) >= 2, cands)
    check("every candidate is on the address the client reached (%s)" % HOST,
          all(c[0] == HOST for c in cands), cands)
    await pc.setRemoteDescription(RTCSessionDescription(answer, "answer"))
    try:
        await asyncio.wait_for(ice.wait(), 10)
        check("ICE connected", True, pc.iceConnectionState)
    except asyncio.TimeoutError:
        check("ICE connected", False, pc.iceConnectionState)
        return
    try:
        await asyncio.wait_for(dtls.wait(), 10)
        check("DTLS connected", True, pc.connectionState)
    except asyncio.TimeoutError:
        check("DTLS connected", False, pc.connectionState)
        return
    await asyncio.sleep(SECONDS)
    check("aiortc decoded our Opus (frames > 200)", frames["n"] > 200,
          frames["n"])
    t, a = ctl.request(26, 2)
    got = struct.unpack("!%dI" % (len(a.get(36, b"")) // 4), a.get(36, b""))
    check("WEBRTC_STATS answered with MEDIA_STATS", t == 23 and len(got) > 2,
          t)
    if t == 23 and len(got) > 2:
        check("pinholed received aiortc's packets (> 200)", got[1] > 200,
              "received %d, lost %d, jitter %d us" % (got[1], got[2], got[6]))
    stats = await pc.getStats()
    rin = [s for s in stats.values() if s.type == "remote-inbound-rtp"]
    check("aiortc has remote-inbound-rtp from our RTCP", len(rin) > 0,
          ["rtt %.1f ms, fractionLost %s, packetsLost %s, jitter %s" %
           (1000 * (s.roundTripTime or 0), s.fractionLost, s.packetsLost,
            s.jitter) for s in rin])
    host, port = cands[0][0], int(cands[0][1])
    un = ufrag + ":" + "x" * 4
    check("a valid check from %s is answered on every offered port" % CLIENT,
          all(answered(CLIENT, (c[0], int(c[1])), ice_check(un, pwd))
              is not None for c in cands), cands)
    check("a check with a wrong password is not answered",
          answered(CLIENT, (host, port), ice_check(un, pwd[:-1] + "?")) is None)
    check("a check from another source (%s) is not answered" % OTHER,
          answered(OTHER, (host, port), ice_check(un, pwd)) is None)
    await pc.close()


asyncio.run(main())
print("webrtc: %d failed" % tap.failures)
sys.exit(1 if tap.failures else 0)
