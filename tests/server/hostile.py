"""A hostile pinholed, for the tests of what `pinhole check` trusts.

usage: hostile.py MODE PORT
  pingflood   WELCOME, then PINGs without ever reading
  seenflood   answers PING; floods SEEN for every watched nonce, and
              ERRORs for requests nobody made
  version     a preamble with version 2, then ERROR 505, then close
  newer       a preamble with version 2, then a WELCOME as if all was well
  vanish      answers PING; closes the connection at the first CONNECT

It listens on 127.0.0.1 only, serves one client, and every loop is
bounded in count and time (at most 60 s in all).
"""
import os, socket, struct, sys, time

HOST = "127.0.0.1"
DEADLINE = time.time() + 60


def attr(t, v):
    return struct.pack("!HH", t, len(v)) + v


def frame(typ, *attrs):
    body = b"".join(attrs)
    return struct.pack("!HH", typ, len(body)) + body


def addr(ip, port):
    return bytes([4]) + struct.pack("!H", port) + socket.inet_aton(ip)


def welcome(peer):
    return frame(2, attr(1, os.urandom(16)), attr(3, addr(peer[0], peer[1])),
                 attr(20, addr(HOST, 0)),
                 attr(27, struct.pack("!HH", 20000, 20000)),
                 attr(18, struct.pack("!I", 600)))


def frames(conn, buf):
    """Reads what is there; returns (frames, rest).  Frames are (type,
    {attr type: value})."""
    try:
        d = conn.recv(65536)
        if d == b"":
            return None, buf
    except BlockingIOError:
        d = b""
    buf += d
    out = []
    while len(buf) >= 4:
        typ, blen = struct.unpack("!HH", buf[:4])
        if len(buf) < 4 + blen:
            break
        body, buf = buf[4:4 + blen], buf[4 + blen:]
        attrs, i = {}, 0
        while i + 4 <= len(body):
            t, n = struct.unpack("!HH", body[i:i + 4])
            attrs.setdefault(t, body[i + 4:i + 4 + n])
            i += 4 + n
        out.append((typ, attrs))
    return out, buf


def serve(conn, peer, mode):
    conn.settimeout(10)
    pre = b""
    while len(pre) < 8 and time.time() < DEADLINE:
        d = conn.recv(8 - len(pre))
        if not d:
            raise ConnectionError("closed before its preamble")
        pre += d
    if mode == "version":
        conn.sendall(b"PINHOLE\x02" + frame(3, attr(7, struct.pack("!H", 505)),
                     attr(8, b"this server speaks version 2 only")))
        return
    conn.sendall((b"PINHOLE\x02" if mode == "newer" else b"PINHOLE\x01") +
                 welcome(peer))
    if mode == "pingflood":
        # 64 MB of PINGs at most; a client that answers each one queues
        # 64 MB of PONGs that nobody reads.
        conn.settimeout(5)
        ping = frame(5) * 4096
        sent = 0
        while sent < 64 << 20 and time.time() < DEADLINE:
            try:
                conn.sendall(ping)
            except OSError:
                break
            sent += len(ping)
        print("pingflood: sent %d bytes of PING" % sent, flush=True)
        time.sleep(2)
        return
    conn.setblocking(False)
    buf = b""
    while time.time() < DEADLINE:
        got, buf = frames(conn, buf)
        if got is None:
            return
        for typ, a in got:
            if typ == 5:
                conn.setblocking(True)
                conn.sendall(frame(6))
                conn.setblocking(False)
            elif typ == 16 and mode == "seenflood":
                flood_seen(conn, peer, a.get(9, b"\0" * 8))
            elif typ == 21 and mode == "vanish":
                print("vanish: closing at the first CONNECT", flush=True)
                conn.close()
                return
            elif typ == 4:
                return
        time.sleep(0.01)


def flood_seen(conn, peer, nonce):
    """64 MB of ERRORs for requests nobody made, then 48 MB of SEEN for
    the watched nonce."""
    conn.settimeout(10)
    err = b"".join(frame(3, attr(7, struct.pack("!H", 404)),
                         attr(14, struct.pack("!I", 1000 + i)),
                         attr(8, b"no such request"))
                   for i in range(4096))
    seen = frame(17, attr(9, nonce), attr(10, b"\x01"),
                 attr(11, struct.pack("!H", 20000)),
                 attr(12, addr(peer[0], 40000)),
                 attr(16, struct.pack("!I", 0)), attr(13, b"x" * 16000))
    n = sent = 0
    try:
        while n < 64 << 20 and time.time() < DEADLINE:
            conn.sendall(err)
            n += len(err)
        while sent < 48 << 20 and time.time() < DEADLINE:
            conn.sendall(seen * 16)
            sent += 16 * len(seen)
        print("seenflood: %d bytes of ERROR, %d bytes of SEEN" % (n, sent),
              flush=True)
    except OSError as e:
        print("seenflood: the client stopped reading after %d bytes of "
              "ERROR and %d of SEEN (%s)" % (n, sent, e), flush=True)
    conn.setblocking(False)


def main():
    mode, port = sys.argv[1], int(sys.argv[2])
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((HOST, port))
    ls.listen(4)
    ls.settimeout(30)
    print("listening", flush=True)
    conn, peer = ls.accept()
    try:
        serve(conn, peer, mode)
    except OSError as e:
        print("%s: the client went away (%s)" % (mode, e), flush=True)
    finally:
        conn.close()
        ls.close()


if __name__ == "__main__":
    main()
