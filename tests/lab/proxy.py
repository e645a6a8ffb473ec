"""Middleboxes for the lab, run on the router: a transparent HTTP proxy, a
TLS-intercepting proxy, each taking connections redirected to it, and a
forward proxy (CONNECT and absolute URIs) that clients are configured to
use.

usage: proxy.py http PORT | tls PORT CERT KEY | forward PORT
Both stop by themselves after 60 s.
"""
import socket, ssl, struct, sys, threading, time

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
        s.recv(1)
    except (OSError, ssl.SSLError):
        pass


def forward_proxy(conn):
    """An explicit proxy: CONNECT tunnels, absolute-URI requests forwarded."""
    head = read_head(conn)
    if head is None:
        return
    line, _, rest = head.partition(b"\r\n")
    method, target, version = line.split(b" ", 2)
    if method == b"CONNECT":
        host, _, port = target.rpartition(b":")
        up = socket.create_connection((host.strip(b"[]").decode(), int(port)),
                                      timeout=5)
        conn.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        rest = rest.partition(b"\r\n\r\n")[2]
        if rest:
            up.sendall(rest)
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


def main():
    mode, port = sys.argv[1], int(sys.argv[2])
    ctx = None
    if mode == "tls":
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(sys.argv[3], sys.argv[4])
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("0.0.0.0", port))
    ls.listen(16)
    ls.settimeout(1)
    end = time.time() + 60
    while time.time() < end:
        try:
            conn, _ = ls.accept()
        except socket.timeout:
            continue
        fn = {"http": http_proxy, "forward": forward_proxy}.get(
            mode, lambda c: tls_proxy(c, ctx))
        threading.Thread(target=fn, args=(conn,), daemon=True).start()


if __name__ == "__main__":
    main()
