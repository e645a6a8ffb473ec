#!/usr/bin/env python3
"""udpflow.py - a paced stream of numbered UDP datagrams and its receiver,
the ground truth of the lab's impairment scenarios.

  udpflow.py send --to ADDR:PORT [--bind ADDR:PORT] --count N --pps P
                  [--start FIRST] [--size BYTES] [--ssrc X] [--tos TOS]
  udpflow.py recv --bind ADDR:PORT --count N --out FILE [--idle S]
                  [--timeout S]

Each datagram is RTP-shaped (version 2, the sequence number's low 16 bits
in the RTP header, SSRC X), followed by the full 32-bit sequence number
and the CLOCK_MONOTONIC time it was sent (the namespaces share the clock),
padded to BYTES of UDP payload; the numbers run from FIRST (default 0),
so that several senders can make up one receiver's N.  The sender keeps an absolute schedule, so
the pace does not drift.  The receiver stops when N arrived, when nothing
came for --idle seconds (default 1) after the first, or after --timeout
(default 30), and writes a JSON report to FILE: what arrived and what was
lost (the sequence numbers and the bursts they form), duplicates,
reordering, one-way delay and the TOS bytes seen (IP_RECVTOS).
"""
import argparse
import json
import select
import socket
import struct
import sys
import time

HDR = struct.Struct("!BBHII")   # RTP: V/P/X/CC, M/PT, seq, timestamp, SSRC
BODY = struct.Struct("!IQ")     # 32-bit sequence, send time in ns
IP_RECVTOS = getattr(socket, "IP_RECVTOS", 13)


def addr(s):
    host, port = s.rsplit(":", 1)
    return host, int(port)


def send(a):
    size = max(a.size, HDR.size + BODY.size)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    if a.bind:
        s.bind(addr(a.bind))
    if a.tos:
        s.setsockopt(socket.IPPROTO_IP, socket.IP_TOS, a.tos)
    dst = addr(a.to)
    pad = bytes(size - HDR.size - BODY.size)
    step = 1e9 / a.pps
    start = time.monotonic_ns()
    for i in range(a.start, a.start + a.count):
        due = start + int((i - a.start) * step)
        wait = due - time.monotonic_ns()
        if wait > 0:
            time.sleep(wait / 1e9)
        pkt = HDR.pack(0x80, 0, i & 0xFFFF, i * 160, a.ssrc) + \
            BODY.pack(i, time.monotonic_ns()) + pad
        try:
            s.sendto(pkt, dst)
        except OSError:
            pass    # a full qdisc: the datagram is lost, as on a link
    return 0


def bursts(lost):
    """Runs of consecutive lost sequence numbers: their lengths."""
    runs, prev = [], None
    for q in lost:
        if prev is not None and q == prev + 1:
            runs[-1] += 1
        else:
            runs.append(1)
        prev = q
    return runs


def report(count, got):
    seqs = [g[0] for g in got]
    seen = set()
    dup = 0
    for q in seqs:
        if q in seen:
            dup += 1
        seen.add(q)
    lost = sorted(set(range(count)) - seen)
    # A datagram overtook another when one sent before it arrives after it.
    overtook, late, low, high = 0, 0, None, -1
    for q in reversed(seqs):
        if low is not None and q > low:
            overtook += 1
        low = q if low is None else min(low, q)
    for q in seqs:
        if q < high:
            late += 1
        high = max(high, q)
    delays = [(g[1] - g[2]) / 1e6 for g in got]
    runs = bursts(lost)
    tos, sizes = {}, {}
    for g in got:
        tos[str(g[3])] = tos.get(str(g[3]), 0) + 1
        sizes[str(g[4])] = sizes.get(str(g[4]), 0) + 1
    return {
        "count": count, "received": len(seen), "duplicates": dup,
        "lost": len(lost), "lost_seqs": lost,
        "loss_bursts": len(runs),
        "loss_burst_mean": (sum(runs) / len(runs)) if runs else 0,
        "loss_burst_max": max(runs) if runs else 0,
        "reordered": overtook, "late": late,
        "delay_ms": {
            "min": min(delays) if delays else 0,
            "mean": sum(delays) / len(delays) if delays else 0,
            "max": max(delays) if delays else 0,
        },
        "tos": tos, "sizes": sizes,
    }


def recv(a):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    s.setsockopt(socket.IPPROTO_IP, IP_RECVTOS, 1)
    s.bind(addr(a.bind))
    got = []
    end = time.monotonic() + a.timeout
    last = None
    while len(got) < a.count:
        now = time.monotonic()
        limit = end - now
        if last is not None:
            limit = min(limit, last + a.idle - now)
        if limit <= 0:
            break
        r, _, _ = select.select([s], [], [], limit)
        if not r:
            continue
        data, anc, _, _ = s.recvmsg(65535, socket.CMSG_SPACE(4))
        t = time.monotonic_ns()
        last = time.monotonic()
        if len(data) < HDR.size + BODY.size:
            continue
        tos = -1
        for level, kind, val in anc:
            if level == socket.IPPROTO_IP and kind == socket.IP_TOS and val:
                tos = val[0]
        q, sent = BODY.unpack_from(data, HDR.size)
        got.append((q, t, sent, tos, len(data)))
    with open(a.out, "w") as f:
        json.dump(report(a.count, got), f)
    return 0


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    ps = sub.add_parser("send")
    ps.add_argument("--to", required=True)
    ps.add_argument("--bind")
    ps.add_argument("--count", type=int, required=True)
    ps.add_argument("--pps", type=float, required=True)
    ps.add_argument("--start", type=int, default=0)
    ps.add_argument("--size", type=int, default=172)
    ps.add_argument("--ssrc", type=lambda v: int(v, 0), default=0x1234)
    ps.add_argument("--tos", type=lambda v: int(v, 0), default=0)
    pr = sub.add_parser("recv")
    pr.add_argument("--bind", required=True)
    pr.add_argument("--count", type=int, required=True)
    pr.add_argument("--out", required=True)
    pr.add_argument("--idle", type=float, default=1.0)
    pr.add_argument("--timeout", type=float, default=30.0)
    a = p.parse_args()
    return send(a) if a.cmd == "send" else recv(a)


if __name__ == "__main__":
    sys.exit(main())
