#!/usr/bin/env python3
"""page-cap.py - the check page's sessions cannot starve the checks, nor
the checks the page's.
usage: page-cap.py CAFILE PAGES PAGE_CAP
Opens PAGES page sessions (hello said), 4 from each of 127.0.0.2, .3...,
and holds them; then a control session from 127.0.0.1 must open.  With
PAGE_CAP > 0 one more page session from another address must be closed
1013 (too many sessions) while the held ones stay.  Prints ok / not ok
lines; exits 1 on any failure.  Every wait is bounded (socket timeouts)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wsclient import WS, Closed  # noqa: E402
import peer  # noqa: E402

CA, PAGES, CAP = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
failed = 0


def want(what, got, expected):
    global failed
    print("%s - %s: %r" % ("ok" if got == expected else "not ok", what, got)
          + ("" if got == expected else " want %r" % (expected,)))
    failed |= got != expected


def page(src):
    """A page session from 'src': 'hello', or the close code."""
    w = WS("127.0.0.1", 4443, cafile=CA, source=src, timeout=5)
    w.send({"type": "hello", "version": 1})
    try:
        return w, w.recv().get("type")
    except Closed as e:
        return w, e.code


held = []
got = []
for i in range(PAGES):
    w, t = page("127.0.0.%d" % (2 + i // 4))
    held.append(w)
    got.append(t)
want("%d page sessions" % PAGES, got.count("hello"), PAGES)
try:
    peer.session(timeout=3).close()
    want("a check beside them", "opened", "opened")
except SystemExit as e:
    want("a check beside them", str(e), "opened")
if CAP:
    w, t = page("127.0.0.250")
    want("one page session past max-page-sessions", t, 1013)
    w.s.close()
for w in held:
    w.s.close()
sys.exit(failed)
