"""MEDIA through a relay (FLAGS VIA_RELAY): the stream latches only on to
a packet from an address of relay-from, never the session client's own,
never any other; without relay-from such a MEDIA is refused (403).

usage: relaymedia.py refused | latch
The session's client is 127.0.0.1; 127.0.0.3 stands for the relay
(relay-from 127.0.0.3/32), 127.0.0.2 for anyone else.  Prints an ok or not
ok line per assertion; exits non-zero on any failure.
"""
import os, socket, struct, sys, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peer import HOST, frame, read_frame, session
import tap

ERROR, SENT, MEDIA, MEDIA_STATS = 3, 19, 22, 23
A_CODE, A_LOCAL_PORT, A_REQ_ID, A_FLAGS = 7, 11, 14, 16
A_SSRC, A_KEY, A_PT, A_PTIME, A_PAYLOAD_LEN = 28, 29, 30, 31, 32
A_PACKETS, A_FIRST_SEQ = 33, 34
VIA_RELAY = 1 << 3
PORT = 5060


def media(s, req, ssrc, key, flags=None, packets=20):
    attrs = [(A_REQ_ID, struct.pack("!I", req)),
             (A_LOCAL_PORT, struct.pack("!H", PORT)),
             (A_SSRC, struct.pack("!I", ssrc)), (A_KEY, struct.pack("!I", key)),
             (A_PT, bytes([0])), (A_PTIME, struct.pack("!H", 20)),
             (A_PAYLOAD_LEN, struct.pack("!H", 160)),
             (A_PACKETS, struct.pack("!I", packets)),
             (A_FIRST_SEQ, struct.pack("!H", 1))]
    if flags is not None:
        attrs.append((A_FLAGS, struct.pack("!I", flags)))
    s.sendall(frame(MEDIA, attrs))
    while True:                 # an earlier stream's MEDIA_STATS may come first
        typ, a = read_frame(s)
        if a.get(A_REQ_ID) == struct.pack("!I", req):
            return typ, a


def rtp(ssrc, key, seq):
    return (struct.pack("!BBHII", 0x80, 0, seq, seq * 160, ssrc) +
            struct.pack("!IIII", key, seq * 20000, 0xffffffff, 0) +
            b"\0" * 144)


def udp(src):
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.bind((src, 0))
    u.settimeout(0.3)
    return u


def got_any(u, ssrc=None, within=0.3):
    """Whether a packet (of the server's stream 'ssrc', when given) comes
    within 'within' seconds."""
    end = time.time() + within
    while time.time() < end:
        try:
            d = u.recv(2048)
        except socket.timeout:
            return False
        if ssrc is None or (len(d) >= 12 and
                            struct.unpack("!I", d[8:12])[0] == ssrc):
            return True
    return False


def refused():
    s = session()
    typ, a = media(s, 5, 0x1111, 0x2222, flags=VIA_RELAY)
    code = struct.unpack("!H", a.get(A_CODE, b"\0\0"))[0]
    tap.want("MEDIA via a relay without relay-from: ERROR 403", (typ, code),
             (ERROR, 403))
    typ, a = media(s, 6, 0x1111, 0x2222, flags=1 << 9)
    code = struct.unpack("!H", a.get(A_CODE, b"\0\0"))[0]
    tap.want("MEDIA with an unknown flag: ERROR 400", (typ, code),
             (ERROR, 400))


def latch():
    s = session()
    ssrc, key = 0x0badcafe, 0x5eed1234
    typ, a = media(s, 7, ssrc, key, flags=VIA_RELAY)
    tap.want("MEDIA via a relay with relay-from: SENT", typ, SENT)
    me, other, relay = udp("127.0.0.1"), udp("127.0.0.2"), udp("127.0.0.3")
    for seq in range(1, 4):
        me.sendto(rtp(ssrc, key, seq), (HOST, PORT))
        other.sendto(rtp(ssrc, key, seq), (HOST, PORT))
    tap.check("the client's own address is not latched on (it is not the "
              "relay)", not got_any(me))
    tap.check("another address is not latched on", not got_any(other))
    for seq in range(1, 21):
        relay.sendto(rtp(ssrc, key, seq), (HOST, PORT))
        time.sleep(0.02)
    tap.check("an address of relay-from is latched on: the stream comes "
              "back to it", got_any(relay))
    tap.check("... and to no one else", not got_any(me) and not got_any(other))
    # The plain MEDIA still latches on to the client's own address only.
    typ, a = media(s, 8, ssrc + 1, key)
    tap.want("a plain MEDIA: SENT", typ, SENT)
    ours = struct.unpack("!I", a.get(A_SSRC, b"\0\0\0\0"))[0]
    relay.sendto(rtp(ssrc + 1, key, 1), (HOST, PORT))
    tap.check("a MEDIA not via a relay ignores the relay's address",
              not got_any(relay, ours))
    for seq in range(1, 6):
        me.sendto(rtp(ssrc + 1, key, seq), (HOST, PORT))
        time.sleep(0.02)
    tap.check("... and latches on to the client's", got_any(me, ours, 1.0))


if __name__ == "__main__":
    {"refused": refused, "latch": latch}[sys.argv[1]]()
    sys.exit(1 if tap.failures else 0)
