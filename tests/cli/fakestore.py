"""A report store as pinhole show sees one: HTTPS on 127.0.0.1, a port the
kernel picks (printed as "port N" once listening), GET /r/ID.json answered
with the file DIR/ID.json exactly as it is (empty, not JSON, any schema),
404 when there is none, and 503 with a JSON error for the id in BUSY.
Every request is logged on stderr.  Ends after 120 s.

usage: fakestore.py DIR CERT KEY
"""
import http.server, os, ssl, sys, threading

BUSY = "busybusybusybusybusybusy"


class Store(http.server.BaseHTTPRequestHandler):
    def answer(self, code, body, ctype="application/json"):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        name = self.path[len("/r/"):] if self.path.startswith("/r/") else ""
        if name == BUSY + ".json":
            return self.answer(503, b'{"error":"the store is busy"}')
        path = os.path.join(sys.argv[1], name)
        if not name.endswith(".json") or "/" in name or not os.path.isfile(path):
            return self.answer(404, b'{"error":"no such report"}')
        with open(path, "rb") as f:
            self.answer(200, f.read())


def main():
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Store)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(sys.argv[2], sys.argv[3])
    srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    print("port", srv.server_address[1], flush=True)
    threading.Timer(120, srv.shutdown).start()
    srv.serve_forever()


if __name__ == "__main__":
    main()
