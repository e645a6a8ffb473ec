#!/usr/bin/env python3
"""worst.py - the most expensive report an upload can store, for the
render-cost test and bench: as many checks as fit in MAX bytes of the JSON
pinholed stores (the report rebuilt), each with the evidence that costs the
HTML page the most in its family.

  worst.py KIND MAX > report.json
KIND: reach (port maps of 1-65535 open and blocked), udp (udp-timeout
timelines), media (media.rtp per-port rows), json (deep evidence tables),
mixed (every kind in turn).
"""
import json
import sys


def reach(i):
    return {"id": "reach.in.udp.%d" % i, "section": "r", "verdict": "fail",
            "summary": "", "evidence": {"open": "1-65535",
                                        "blocked": "1-65535",
                                        "untried": "1-65535"}}


def udp(i):
    ports = [{"port": 1 + k, "unreplied_s": 599.0 - k,
              "established_s": None} for k in range(16)]
    return {"id": "udp-timeout.%d" % i, "section": "u", "verdict": "warn",
            "summary": "", "evidence": {"minimum_s": 600, "limit_s": 600,
                                        "resolution_s": 0.001,
                                        "ports": ports}}


def media(i):
    ports = [{"port": 10000 + k, "up": {"loss": 0.5}, "down": {"loss": 0.5}}
             for k in range(8)]
    return {"id": "media.rtp.%d" % i, "section": "m", "verdict": "fail",
            "summary": "", "evidence": {"ports": ports,
                                        "up": {"loss_pct": 50},
                                        "down": {"loss_pct": 50}}}


def deep(i):
    row = {"a%d" % k: k for k in range(16)}
    return {"id": "x.%d" % i, "section": "x%d" % i, "verdict": "pass",
            "summary": "", "evidence": {"rows": [row] * 8}}


KINDS = {"reach": [reach], "udp": [udp], "media": [media], "json": [deep],
         "mixed": [reach, udp, media, deep]}


def stored(checks):
    """The size of the JSON pinholed stores for these checks (rebuilt:
    requirement, remedy and duration_s added), with some slack."""
    extra = len(',"requirement":null,"remedy":null,"duration_s":0.0')
    return sum(len(json.dumps(c, separators=(",", ":"))) + extra + 1
               for c in checks) + 512


def main():
    kind, limit = sys.argv[1], int(sys.argv[2])
    make = KINDS[kind]
    checks = []
    while True:
        c = make[len(checks) % len(make)](len(checks))
        if stored(checks + [c]) > limit:
            break
        checks.append(c)
    json.dump({"schema": "pinhole.report/1", "version": "0.1.0",
               "server": "192.0.2.1:443", "profiles": ["worst"],
               "local_address": "192.0.2.2",
               "public_address": {"udp": None, "tcp": None},
               "started": "2026-01-01T00:00:00Z", "duration_s": 1,
               "verdict": "fail", "checks": checks}, sys.stdout,
              separators=(",", ":"))


if __name__ == "__main__":
    main()
