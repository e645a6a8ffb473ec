"""A small RFC 6455 client for the tests: the check page's WebSocket
(wss://, a raw frame writer included, so that a test can send what a
browser never would) and chromium's DevTools protocol (ws:// on
loopback).  Standard library only; every read has a timeout."""
import base64, hashlib, json, os, socket, ssl, struct

GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


class Closed(Exception):
    """The server closed: .code and .reason of its close frame."""
    def __init__(self, code, reason):
        super().__init__("closed %s %s" % (code, reason))
        self.code, self.reason = code, reason


class WS:
    def __init__(self, host, port, path="/ws", tls=True, cafile=None,
                 origin=None, timeout=10, headers=None, sni=None,
                 source=None):
        raw = socket.create_connection(
            (host, port), timeout=timeout,
            source_address=(source, 0) if source else None)
        if tls:
            ctx = ssl.create_default_context(cafile=cafile)
            if cafile is None:
                ctx.check_hostname = False
                ctx.verify_mode = ssl.CERT_NONE
            raw = ctx.wrap_socket(raw, server_hostname=sni or host)
        self.s = raw
        self.buf = b""
        self.key = base64.b64encode(os.urandom(16)).decode()
        hostport = "%s:%d" % (host, port)
        h = {"Host": hostport, "Upgrade": "websocket",
             "Connection": "Upgrade", "Sec-WebSocket-Key": self.key,
             "Sec-WebSocket-Version": "13"}
        if origin is not False:
            h["Origin"] = origin or "https://" + hostport
        h.update(headers or {})
        req = "GET %s HTTP/1.1\r\n" % path + "".join(
            "%s: %s\r\n" % kv for kv in h.items() if kv[1] is not None)
        self.s.sendall((req + "\r\n").encode())
        head = self._until(b"\r\n\r\n").decode("latin-1")
        self.status = int(head.split(" ", 2)[1])
        self.head = head
        if self.status == 101:
            want = base64.b64encode(hashlib.sha1(
                self.key.encode() + GUID).digest()).decode()
            if ("sec-websocket-accept: " + want).lower() not in head.lower():
                raise ValueError("wrong Sec-WebSocket-Accept: " + head)

    def _until(self, sep):
        while sep not in self.buf:
            d = self.s.recv(65536)
            if not d:
                raise EOFError("connection closed")
            self.buf += d
        i = self.buf.index(sep) + len(sep)
        out, self.buf = self.buf[:i], self.buf[i:]
        return out

    def _n(self, n):
        while len(self.buf) < n:
            d = self.s.recv(65536)
            if not d:
                raise EOFError("connection closed")
            self.buf += d
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def frame(self, opcode, payload=b"", fin=True, mask=True, length=None):
        """Sends one frame; 'length' lies about the payload's length."""
        n = len(payload) if length is None else length
        b0 = (0x80 if fin else 0) | opcode
        mbit = 0x80 if mask else 0
        if n < 126:
            h = struct.pack("!BB", b0, mbit | n)
        elif n <= 0xffff:
            h = struct.pack("!BBH", b0, mbit | 126, n)
        else:
            h = struct.pack("!BBQ", b0, mbit | 127, n)
        if mask:
            k = os.urandom(4)
            payload = bytes(c ^ k[i & 3] for i, c in enumerate(payload))
            h += k
        self.s.sendall(h + payload)

    def send(self, obj):
        self.frame(1, json.dumps(obj).encode())

    def recv_frame(self):
        b0, b1 = self._n(2)
        n = b1 & 0x7f
        if n == 126:
            n = struct.unpack("!H", self._n(2))[0]
        elif n == 127:
            n = struct.unpack("!Q", self._n(8))[0]
        if b1 & 0x80:
            raise ValueError("the server masked a frame")
        return b0 & 0x0f, self._n(n)

    def recv(self):
        """The next text message as JSON; Closed on a close frame."""
        while True:
            op, p = self.recv_frame()
            if op == 1:
                return json.loads(p)
            if op == 8:
                code = struct.unpack("!H", p[:2])[0] if len(p) >= 2 else 1005
                raise Closed(code, p[2:].decode())

    def close(self):
        self.s.close()
