#!/usr/bin/env python3
"""render.py - what a GET of a stored report costs pinholed.

  render.py upload CAFILE FILE            POST it; prints the status and id
  render.py cost CAFILE PID ID TRIES      CPU of pinholed (every thread) per
                                          GET /r/ID; prints the largest, ms
  render.py during CAFILE ID LEGIT N      N GETs of /r/ID at once, each from
                                          an address of its own (127.0.0.2..),
                                          and GET /r/LEGIT from 127.0.0.200
                                          while they run; prints its time, ms,
                                          and the statuses

Everything to https://127.0.0.1:4443, inside the test's namespace, each
connection under a 30 s timeout.
"""
import json
import os
import socket
import ssl
import sys
import threading
import time

HOST, PORT = "127.0.0.1", 4443


def request(cafile, method, path, body=b"", src=None, timeout=30.0):
    """One request on a new TLS connection: (status, body bytes)."""
    ctx = ssl.create_default_context(cafile=cafile)
    raw = socket.create_connection((HOST, PORT), timeout=timeout,
                                   source_address=(src, 0) if src else None)
    with ctx.wrap_socket(raw, server_hostname=HOST) as s:
        head = "%s %s HTTP/1.1\r\nHost: %s:%d\r\nContent-Length: %d\r\n" \
               "Connection: close\r\n\r\n" % (method, path, HOST, PORT,
                                              len(body))
        s.sendall(head.encode() + body)
        data = b""
        while True:
            try:
                chunk = s.recv(65536)
            except (ssl.SSLError, ConnectionResetError):
                break
            if not chunk:
                break
            data += chunk
    line, _, rest = data.partition(b"\r\n")
    parts = line.split()
    status = int(parts[1]) if len(parts) > 1 else 0
    return status, rest.partition(b"\r\n\r\n")[2]


def cpu_ns(pid):
    """Time on a CPU of every thread of 'pid', in ns (schedstat)."""
    total = 0
    for t in os.listdir("/proc/%d/task" % pid):
        try:
            with open("/proc/%d/task/%s/schedstat" % (pid, t)) as f:
                total += int(f.read().split()[0])
        except OSError:
            pass
    return total


def main():
    cmd, cafile = sys.argv[1], sys.argv[2]
    if cmd == "upload":
        with open(sys.argv[3], "rb") as f:
            st, body = request(cafile, "POST", "/api/reports", f.read())
        try:
            rid = json.loads(body).get("id", "")
        except ValueError:
            rid = ""
        print(st, rid or "-")
    elif cmd == "cost":
        pid, rid, tries = int(sys.argv[3]), sys.argv[4], int(sys.argv[5])
        worst, statuses, size = 0.0, [], 0
        for _ in range(tries):
            c0 = cpu_ns(pid)
            st, body = request(cafile, "GET", "/r/" + rid)
            time.sleep(0.05)    # the close, counted too
            worst = max(worst, (cpu_ns(pid) - c0) / 1e6)
            statuses.append(st)
            size = max(size, len(body))
        print("%.1f %s %d" % (worst, ",".join(map(str, statuses)), size))
    elif cmd == "during":
        rid, legit, n = sys.argv[3], sys.argv[4], int(sys.argv[5])
        out = [None] * n

        def one(i):
            try:
                out[i] = request(cafile, "GET", "/r/" + rid,
                                 src="127.0.0.%d" % (2 + i))[0]
            except OSError as e:
                out[i] = "err:%s" % e
        ts = [threading.Thread(target=one, args=(i,)) for i in range(n)]
        for t in ts:
            t.start()
        time.sleep(0.02)
        t0 = time.monotonic()
        st, body = request(cafile, "GET", "/r/" + legit, src="127.0.0.200")
        ms = (time.monotonic() - t0) * 1000
        for t in ts:
            t.join()
        print("%.1f %d %s" % (ms, st, ",".join(map(str, out))))


if __name__ == "__main__":
    main()
