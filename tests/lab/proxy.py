"""Middleboxes for the lab, run on the router: a transparent HTTP proxy, a
TLS-intercepting proxy, each taking connections redirected to it, and a
forward proxy (CONNECT and absolute URIs) that clients are configured to
use.  For tests that must see what went through a proxy, the forward
proxy that logs each request line on stdout (connect), the same reached
over TLS, an https:// proxy (connect-tls), and a SOCKS5 proxy (socks5,
no authentication, CONNECT only) that logs each CONNECT.

usage: proxy.py http PORT | tls PORT CERT KEY | forward PORT
       proxy.py connect PORT | connect-tls PORT CERT KEY | socks5 PORT
All stop by themselves after 60 s (PROXY_SECONDS in the environment:
that many instead).  The TLS-intercepting proxy says on stdout whether
each client finished its handshake with the proxy's certificate.
"""
import os, select, socket, ssl, struct, sys, threading, time

SO_ORIGINAL_DST = 80


def original_dst(conn):
    raw = conn.getsockopt(socket.SOL_IP, SO_ORIGINAL_DST, 16)
    port, = struct.unpack("!H", raw[2:4])
    return socket.inet_ntoa(raw[4:8]), port


def relay(a, b):
    try:
        while True:
            d = a.recv(4096)
            if not d:
                break
            b.sendall(d)
    except OSError:
        pass
    finally:
        try:
            b.shutdown(socket.SHUT_WR)
        except OSError:
            pass


def read_head(conn):
    """The request head and what came with it, or None if the peer left."""
    conn.settimeout(5)
    head = b""
    while b"\r\n\r\n" not in head and len(head) < 8192:
        d = conn.recv(4096)
        if not d:
            return None
        head += d
    return head


def http_proxy(conn):
    """Adds the headers a proxy adds, then relays to the real server."""
    head = read_head(conn)
    if head is None:
        return
    top, _, rest = head.partition(b"\r\n\r\n")
    top += b"\r\nVia: 1.1 lab-proxy\r\nX-Forwarded-For: 192.168.1.10"
    up = socket.create_connection(original_dst(conn), timeout=5)
    up.sendall(top + b"\r\n\r\n" + rest)
    relay(up, conn)
    up.close()


def tls_proxy(conn, ctx):
    """Terminates TLS with its own certificate, as an inspecting firewall."""
    conn.settimeout(5)
    try:
        s = ctx.wrap_socket(conn, server_side=True)
        log("tls: handshake done")
        s.recv(1)
    except ssl.SSLError as e:
        log("tls: handshake refused (%s)" % e.reason)
    except OSError:
        pass


def relay_both(a, b):
    """Both ways on one thread, so that a TLS socket is used by one only."""
    try:
        while True:
            ready = [s for s in (a, b) if getattr(s, "pending", int)()]
            if not ready:
                ready, _, _ = select.select([a, b], [], [], 10)
                if not ready:
                    return
            for s in ready:
                d = s.recv(4096)
                if not d:
                    return
                (b if s is a else a).sendall(d)
    except OSError:
        pass


def log(what):
    print(what, flush=True)


def forward_proxy(conn, logged=False):
    """An explicit proxy: CONNECT tunnels, absolute-URI requests forwarded;
    with logged, each request line said on stdout."""
    head = read_head(conn)
    if head is None:
        return
    line, _, rest = head.partition(b"\r\n")
    method, target, version = line.split(b" ", 2)
    if logged:
        log("PROXY " + line.decode(errors="replace"))
    if method == b"CONNECT":
        host, _, port = target.rpartition(b":")
        up = socket.create_connection((host.strip(b"[]").decode(), int(port)),
                                      timeout=5)
        conn.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        rest = rest.partition(b"\r\n\r\n")[2]
        if rest:
            up.sendall(rest)
        if logged:
            relay_both(conn, up)
            up.close()
            return
        threading.Thread(target=relay, args=(conn, up), daemon=True).start()
        relay(up, conn)
        return
    # http://host:port/path -> /path, to host:port
    hostport, _, path = target[len(b"http://"):].partition(b"/")
    host, _, port = hostport.rpartition(b":")
    if not host:
        host, port = hostport, b"80"
    up = socket.create_connection((host.strip(b"[]").decode(), int(port)),
                                  timeout=5)
    up.sendall(method + b" /" + path + b" " + version + b"\r\n" + rest)
    relay(up, conn)
    up.close()


def connect_tls(conn, ctx):
    """The logging forward proxy, spoken inside TLS (an https:// proxy)."""
    conn.settimeout(5)
    try:
        s = ctx.wrap_socket(conn, server_side=True)
    except (OSError, ssl.SSLError) as e:
        log("TLS handshake failed: %s" % e)
        return
    forward_proxy(s, logged=True)


def recv_all(conn, n):
    d = b""
    while len(d) < n:
        more = conn.recv(n - len(d))
        if not more:
            raise OSError("short read")
        d += more
    return d


def socks5(conn):
    """RFC 1928 without authentication: one CONNECT, logged, then relayed."""
    conn.settimeout(5)
    try:
        ver, n = recv_all(conn, 2)
        methods = recv_all(conn, n)
        if ver != 5 or 0 not in methods:
            conn.sendall(b"\x05\xff")
            return
        conn.sendall(b"\x05\x00")
        ver, cmd, _, atyp = recv_all(conn, 4)
        if atyp == 1:
            host = socket.inet_ntoa(recv_all(conn, 4))
        elif atyp == 4:
            host = socket.inet_ntop(socket.AF_INET6, recv_all(conn, 16))
        else:
            host = recv_all(conn, recv_all(conn, 1)[0]).decode()
        port, = struct.unpack("!H", recv_all(conn, 2))
        log("SOCKS5 %s %s:%d" % ("CONNECT" if cmd == 1 else "cmd %d" % cmd,
                                 host, port))
        if cmd != 1:
            conn.sendall(b"\x05\x07\x00\x01" + bytes(6))
            return
        try:
            up = socket.create_connection((host, port), timeout=5)
        except OSError:
            conn.sendall(b"\x05\x05\x00\x01" + bytes(6))
            return
        conn.sendall(b"\x05\x00\x00\x01" + bytes(6))
        relay_both(conn, up)
        up.close()
    except OSError:
        pass


def main():
    mode, port = sys.argv[1], int(sys.argv[2])
    ctx = None
    if mode in ("tls", "connect-tls"):
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(sys.argv[3], sys.argv[4])
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("0.0.0.0", port))
    ls.listen(16)
    ls.settimeout(1)
    end = time.time() + float(os.environ.get("PROXY_SECONDS", "60"))
    while time.time() < end:
        try:
            conn, _ = ls.accept()
        except socket.timeout:
            continue
        fn = {"http": http_proxy, "forward": forward_proxy,
              "connect": lambda c: forward_proxy(c, logged=True),
              "connect-tls": lambda c: connect_tls(c, ctx),
              "socks5": socks5}.get(mode, lambda c: tls_proxy(c, ctx))
        threading.Thread(target=fn, args=(conn,), daemon=True).start()


if __name__ == "__main__":
    main()
