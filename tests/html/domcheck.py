#!/usr/bin/env python3
"""domcheck.py REPORT.json DOM.html: asserts that the DOM of an HTML report,
as a browser built it, holds every check of the JSON report with its
verdict, the overall verdict, the plots of the families that have them,
and nothing that loads from elsewhere.  Prints ok / not ok lines; exits 1
when anything is missing."""
import json
import sys
from html.parser import HTMLParser


class Dom(HTMLParser):
    def __init__(self):
        super().__init__()
        self.checks = []        # (id, verdict) of each article
        self.overall = None
        self.stack = []         # data-check of the enclosing article
        self.plots = {}         # check id -> tags seen inside its figures
        self.external = []      # what would load from elsewhere
        self.scripts = 0
        self.figure = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script":
            self.scripts += 1
        for k in ("src", "href", "action", "srcset", "data", "poster"):
            v = a.get(k)
            if v is not None and not v.startswith("#"):
                self.external.append(f"<{tag} {k}={v}>")
        if tag == "link":
            self.external.append(f"<link {a}>")
        if "data-overall" in a:
            self.overall = a["data-overall"]
        if tag == "article" and "data-check" in a:
            self.checks.append((a["data-check"], a.get("data-verdict")))
            self.stack.append(a["data-check"])
        if tag == "figure":
            self.figure += 1
        if self.figure and self.stack:
            self.plots.setdefault(self.stack[-1], set()).add(tag)

    def handle_endtag(self, tag):
        if tag == "article" and self.stack:
            self.stack.pop()
        if tag == "figure" and self.figure:
            self.figure -= 1


def main():
    report = json.load(open(sys.argv[1]))
    dom = Dom()
    dom.feed(open(sys.argv[2], encoding="utf-8").read())
    failed = 0

    def expect(cond, what):
        nonlocal failed
        print(("ok - " if cond else "not ok - ") + what)
        if not cond:
            failed += 1

    seen = set(dom.checks)
    for c in report["checks"]:
        expect((c["id"], c["verdict"]) in seen,
               f"the page shows {c['id']} as {c['verdict']}")
    expect(len(dom.checks) == len(report["checks"]),
           f"{len(report['checks'])} checks on the page "
           f"(found {len(dom.checks)})")
    expect(dom.overall == report["verdict"],
           f"overall verdict {report['verdict']} (found {dom.overall})")
    # Families with plots draw them when they measured something.
    measured = {c["id"] for c in report["checks"]
                if c["verdict"] in ("pass", "warn", "fail")}
    for cid in sorted(measured):
        fam = cid.split(".")[0]
        if cid == "udp-timeout" or (fam == "reach" and ".in." in cid):
            expect("svg" in dom.plots.get(cid, set()),
                   f"{cid} has its plot (inline SVG)")
        elif fam == "sip-alg":
            expect("h4" in dom.plots.get(cid, set()),
                   f"{cid} has its side-by-side diff")
    expect(dom.scripts == 0, "no script on the page")
    expect(not dom.external, "nothing loads from elsewhere " +
           " ".join(dom.external[:3]))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
