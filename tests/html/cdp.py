"""Drives a headless chromium over its DevTools protocol (loopback only):
opens URL, waits at most TIMEOUT seconds for the check page to finish
(body data-state 'done' or 'error'), prints the page's state, the report
link's href, the seconds from navigating to that state (elapsed_s), the
page's own verdict (verdict, from its verdict section's data-verdict) and
advice (the text of each item), its relay line and rows (relay,
relay_rows: transport, result class and text), the most host rows seen "checking…" at
once while it ran (pending_max) and those left at the end (pending), and
the console messages and exceptions it saw, as JSON.

With "click", it clicks the page's "Test the audio" button (a user's
gesture, as Input.dispatchMouseEvent gives one) once it shows, and says
so in "clicked".

usage: cdp.py PORT URL TIMEOUT [click]"""
import json, os, sys, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from devtools import DevTools

port, url, limit = int(sys.argv[1]), sys.argv[2], float(sys.argv[3])
click = sys.argv[4:] == ["click"]
deadline = time.monotonic() + limit
dt = DevTools(port, deadline)
call = dt.call
events = dt.events


call("Runtime.enable")
call("Log.enable")
call("Page.enable")
started = time.monotonic()
call("Page.navigate", url=url)
probe = ("(function () { var a = document.getElementById('report-link');"
         " return JSON.stringify({state: document.body ?"
         " document.body.getAttribute('data-state') : null,"
         " href: a && !a.hidden ? a.getAttribute('href') : null,"
         " status: (document.getElementById('report-status') || {}).textContent,"
         " verdict: (function (v) { return v && !v.hidden ?"
         " v.getAttribute('data-verdict') : null; })"
         "(document.getElementById('s-verdict')),"
         " advice: Array.from(document.querySelectorAll('#advice li'))"
         ".map(function (li) { return li.textContent; }),"
         " pending: document.querySelectorAll('#fetch-table td.pending').length,"
         " relay: (document.getElementById('relay-status') || {}).textContent,"
         " relay_rows: Array.from(document.querySelectorAll('#relay-list li'))"
         ".map(function (li) { return {transport: li.getAttribute('data-transport'),"
         " result: li.getAttribute('data-result'), text: li.textContent}; }),"
         " button: (function (b) { if (!b || b.hidden) return null;"
         " b.scrollIntoView({block: 'center'});"
         " var r = b.getBoundingClientRect();"
         " return [r.left + r.width / 2, r.top + r.height / 2]; })"
         "(document.getElementById('webrtc-start'))"
         " }); })()")
clicked = False
out = {}
pending_max = 0
while time.monotonic() < deadline:
    r = call("Runtime.evaluate", expression=probe, returnByValue=True)
    try:
        out = json.loads(r["result"]["value"])
    except (KeyError, TypeError, ValueError):
        out = {}
    pending_max = max(pending_max, out.get("pending") or 0)
    if click and not clicked and out.get("button"):
        x, y = out["button"]
        for kind in ("mousePressed", "mouseReleased"):
            call("Input.dispatchMouseEvent", type=kind, x=x, y=y,
                 button="left", clickCount=1)
        clicked = True
    if out.get("state") in ("done", "error"):
        out["elapsed_s"] = round(time.monotonic() - started, 2)
        break
    time.sleep(0.25)
out.pop("button", None)
out["clicked"] = clicked
out["pending_max"] = pending_max
out["console"] = [
    " ".join(str(a.get("value", a.get("description", ""))) for a in
             e["params"].get("args", []))
    for e in events if e.get("method") == "Runtime.consoleAPICalled"]
out["console"] += [e["params"]["entry"].get("text", "") for e in events
                   if e.get("method") == "Log.entryAdded"]
out["exceptions"] = [e["params"]["exceptionDetails"].get("text", "")
                     for e in events
                     if e.get("method") == "Runtime.exceptionThrown"]
print(json.dumps(out))
