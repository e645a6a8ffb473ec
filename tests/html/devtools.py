"""devtools.py - a headless chromium's DevTools protocol on loopback, for
the HTML tests (cdp.py, boxes.py): the first page's WebSocket, and one
call at a time on it.  Events that arrive between answers are kept."""
import json
import os
import sys
import time
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "server"))
from wsclient import WS


class DevTools:
    def __init__(self, port, deadline):
        """Connects to chromium's first page on 127.0.0.1:PORT, waiting
        until the monotonic 'deadline' for DevTools to answer."""
        while True:
            try:
                targets = json.load(urllib.request.urlopen(
                    "http://127.0.0.1:%d/json/list" % port, timeout=2))
                page = next(t for t in targets if t["type"] == "page")
                break
            except Exception:
                if time.monotonic() > deadline:
                    sys.exit("chromium's DevTools did not answer")
                time.sleep(0.2)
        path = page["webSocketDebuggerUrl"].split("/", 3)[3]
        self.ws = WS("127.0.0.1", port, path="/" + path, tls=False,
                     origin=False, timeout=5)
        self.seq = 0
        self.events = []

    def call(self, method, **params):
        """The result of one method; the events before it in .events."""
        self.seq += 1
        self.ws.send({"id": self.seq, "method": method, "params": params})
        while True:
            m = self.ws.recv()
            if m.get("id") == self.seq:
                return m.get("result", {})
            self.events.append(m)
