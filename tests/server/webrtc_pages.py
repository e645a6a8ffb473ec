"""Two check pages behind one address (a NAT, an office, two tabs): each
page's session gets a peer, and both complete ICE and DTLS side by side
with real WebRTC peers (aiortc), the first page's checks still answered
after the second said hello and offered.

usage: webrtc_pages.py CAFILE
Both pages come from 127.0.0.2 (aioice skips 127.0.0.1); pinholed's
candidates are on 127.0.0.1.  Prints 'ok - ' or 'not ok - ' lines; exits
1 on any failure; every wait is bounded."""
import asyncio, os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from aiortc import RTCPeerConnection, RTCSessionDescription
from aiortc.mediastreams import AudioStreamTrack
from wsclient import WS
import tap
from tap import check

HOST, PORT, CLIENT = "127.0.0.1", 4443, "127.0.0.2"
CA = sys.argv[1]
async def page(n):
    """Page n: its WebSocket from CLIENT, its hello, and a peer connection
    whose offer it sends; (ws, pc, connected event)."""
    w = WS(HOST, PORT, cafile=CA, source=CLIENT, timeout=10)
    w.send({"type": "hello", "version": 1})
    h = w.recv()
    check("page %d: hello answered, WebRTC available" % n,
          h.get("type") == "hello" and h.get("webrtc") is True)
    pc = RTCPeerConnection()
    done = asyncio.Event()

    @pc.on("connectionstatechange")
    def on_conn():
        if pc.connectionState in ("connected", "failed"):
            done.set()

    pc.addTrack(AudioStreamTrack())
    await pc.setLocalDescription(await pc.createOffer())
    return w, pc, done


async def answer(n, w, pc):
    w.send({"type": "offer", "sdp": pc.localDescription.sdp})
    a = w.recv()
    check("page %d: offer answered" % n, a.get("type") == "answer",
          a.get("type"))
    await pc.setRemoteDescription(RTCSessionDescription(a["sdp"], "answer"))


async def main():
    # Both pages say hello before either offers: page 2's session is the
    # newest of the address all along.
    w1, pc1, d1 = await page(1)
    w2, pc2, d2 = await page(2)
    await answer(1, w1, pc1)
    await answer(2, w2, pc2)
    for n, pc, d in ((1, pc1, d1), (2, pc2, d2)):
        try:
            await asyncio.wait_for(d.wait(), 15)
        except asyncio.TimeoutError:
            pass
        check("page %d: ICE and DTLS connected" % n,
              pc.connectionState == "connected" and
              pc.iceConnectionState in ("connected", "completed"),
              "ice %s, dtls %s" % (pc.iceConnectionState,
                                   pc.connectionState))
    for pc in (pc1, pc2):
        await pc.close()
    w1.close()
    w2.close()


asyncio.run(asyncio.wait_for(main(), 60))
print("webrtc-pages: %d failed" % tap.failures)
sys.exit(1 if tap.failures else 0)
