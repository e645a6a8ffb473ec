"""Where a page's elements are drawn, as a browser lays them out: drives a
headless chromium over its DevTools protocol (loopback only), opens URL at
WIDTH css pixels wide, and prints as JSON, for every element matching the
CSS SELECTOR, its text and its box ({"text", "left", "top", "right",
"bottom"}), in document order.  DevTools evaluates the probe, so a page
whose policy forbids scripts (a report's) is measured as it is.

usage: boxes.py PORT URL WIDTH SELECTOR"""
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from devtools import DevTools

port, url, width, selector = (int(sys.argv[1]), sys.argv[2],
                              int(sys.argv[3]), sys.argv[4])
deadline = time.monotonic() + 30
call = DevTools(port, deadline).call


call("Page.enable")
call("Emulation.setDeviceMetricsOverride", width=width, height=2000,
     deviceScaleFactor=1, mobile=False)
call("Page.navigate", url=url)
probe = ("(function () { if (document.readyState !== 'complete') return null;"
         " return JSON.stringify(Array.from(document.querySelectorAll(%s))"
         ".map(function (e) { var r = e.getBoundingClientRect();"
         " return {text: e.textContent, left: r.left, top: r.top,"
         " right: r.right, bottom: r.bottom}; })); })()"
         % json.dumps(selector))
while time.monotonic() < deadline:
    r = call("Runtime.evaluate", expression=probe, returnByValue=True)
    v = r.get("result", {}).get("value")
    if v is not None:
        print(v)
        sys.exit(0)
    time.sleep(0.2)
sys.exit("the page did not load")
