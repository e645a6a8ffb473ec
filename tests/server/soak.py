"""The loads of the soak test (tests/server/soak.sh), run at the same time
against a pinholed in the lab.

usage: soak.py LOAD SECONDS [ARGS]; the server is PINHOLED_HOST and its
control port PINHOLED_CTL (peer.py).  Each load is bounded in count and in
time, prints what it did as one line of key=value figures, and exits
non-zero when pinholed did not hold.
"""
import os, random, selectors, socket, struct, sys, threading, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peer import HOST, CTL, amplification_probes, flood_payload
from abuse import (hello_bytes, get_reset, get_answered, session_from,
                   sweep_cap)


def addrs(base, first, n):
    """n addresses base.first, base.first+1, ..."""
    return ["%s.%d" % (base, first + i) for i in range(n)]


def report(load, **figures):
    print("%s: %s" % (load, " ".join("%s=%s" % kv for kv in figures.items())))
    sys.stdout.flush()


def trickle(secs, n, base, first, nsrc, hello_timeout):
    """n connections from nsrc addresses trickle a HELLO, a byte every 2 s.
    Each closed one is opened again 2 s later (at most 20 n in all).  None
    may get a WELCOME or outlive the HELLO deadline."""
    srcs = addrs(base, first, nsrc)
    hello = hello_bytes()
    sel = selectors.DefaultSelector()
    conns = {}                  # socket -> [opened, bytes sent, next byte]
    reopen = []                 # (when, source)
    opened = welcomed = oldest = 0
    start = time.time()

    def open_one(src):
        nonlocal opened
        c = socket.socket()
        c.setblocking(False)
        c.bind((src, 0))
        c.connect_ex((HOST, CTL))
        now = time.time()
        conns[c] = [now, 0, now + 0.5, src]
        sel.register(c, selectors.EVENT_READ)
        opened += 1

    def drop(c):
        nonlocal oldest
        when, _, _, src = conns.pop(c)
        sel.unregister(c)
        c.close()
        oldest = max(oldest, time.time() - when)
        if opened < 20 * n:
            reopen.append((time.time() + 2, src))

    for i in range(n):
        open_one(srcs[i % nsrc])
        if i % 100 == 99:
            time.sleep(0.05)
    while time.time() - start < secs:
        for key, _ in sel.select(0.1):
            c = key.fileobj
            try:
                d = c.recv(4096)
            except OSError:
                d = b""
            if len(d) >= 12 and struct.unpack("!H", d[8:10])[0] == 2:
                welcomed += 1
            drop(c)
        now = time.time()
        for c, st in list(conns.items()):
            if st[2] <= now and st[1] < len(hello) - 1:
                try:
                    c.send(hello[st[1]:st[1] + 1])
                    st[1] += 1
                except OSError:
                    pass
                st[2] = now + 2
        while reopen and reopen[0][0] <= now:
            open_one(reopen.pop(0)[1])
    # Those still open: none older than the deadline.
    for c, st in conns.items():
        oldest = max(oldest, time.time() - st[0])
    report("trickle", opened=opened, sources=nsrc, welcomed=welcomed,
           oldest_s="%.1f" % oldest)
    if welcomed:
        raise SystemExit("a trickled HELLO got a WELCOME")
    # How many the server holds at once is counted on its side (soak.sh);
    # ours lags its closes.
    if oldest > hello_timeout + 3:
        raise SystemExit("a trickling connection outlived the HELLO deadline "
                         "(%.1f s)" % oldest)


def deaf(secs, n, src):
    """n sessions from src send PINGs and never read; each is opened again
    when cut off.  Afterwards a fresh session from src must open."""
    pings = struct.pack("!HH", 5, 0) * 16384        # 64 KiB
    stats = {"cut": 0, "refused": 0, "mib": 0}
    lock = threading.Lock()
    start = time.time()

    def one():
        while time.time() - start < secs:
            t = time.time()
            try:
                s = session_from(src)
            except (SystemExit, OSError):
                with lock:
                    stats["refused"] += 1   # conn-rate, or a slot still held
                time.sleep(1)
                continue
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            s.settimeout(2)
            sent = 0
            while sent < (64 << 20) and time.time() - start < secs:
                try:
                    s.sendall(pings)
                    sent += len(pings)
                except OSError:
                    with lock:
                        stats["cut"] += 1
                    break
            s.close()
            with lock:
                stats["mib"] += sent >> 20
            time.sleep(max(0.0, 1 - (time.time() - t)))

    threads = [threading.Thread(target=one) for _ in range(n)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    time.sleep(1)
    t = time.time()
    session_from(src).close()
    report("deaf", sessions=n, cut_off=stats["cut"], refused=stats["refused"],
           pings_mib=stats["mib"], fresh_session_s="%.2f" % (time.time() - t))
    if stats["cut"] == 0:
        raise SystemExit("no session that does not read was cut off")


def sweeps(secs, cap, each, count, src):
    """One session's back-to-back SWEEPs (abuse.py sweep_cap)."""
    start = time.time()
    refused = sweep_cap(cap, each, count, src)
    report("sweeps", sweeps=count, ports_each=each, cap=cap,
           refused_429=refused, took_s="%.1f" % (time.time() - start))
    if refused != count - cap // each:
        raise SystemExit("want %d SWEEPs refused, got %d"
                         % (count - cap // each, refused))


def csum(b):
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b + b"\0" * (len(b) % 2)))
    s = (s >> 16) + (s & 0xffff)
    return ~(s + (s >> 16)) & 0xffff


def flood(secs, pps, base, first, nsrc, *targets):
    """Datagrams from spoofed sources (raw IP, sources nobody here owns) to
    every TARGET ADDR:PORT at pps a second: requests that a reflector
    might amplify, and junk."""
    srcs = addrs(base, first, nsrc)
    dsts = [(t.rsplit(":", 1)[0], int(t.rsplit(":", 1)[1])) for t in targets]
    probes = amplification_probes()
    r = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    r.setsockopt(socket.IPPROTO_IP, socket.IP_HDRINCL, 1)
    n = errors = 0
    start = time.time()
    while time.time() - start < secs and n < pps * secs:
        # 100 datagrams a tick, paced to pps.
        for _ in range(100):
            src = random.choice(srcs)
            dst, port = dsts[n % len(dsts)]
            p = probes[n % len(probes)] if n % 2 else flood_payload(n)
            udp = struct.pack("!HHHH", random.randint(1024, 65535), port,
                              8 + len(p), 0) + p
            ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp),
                             n & 0xffff, 0, 64, socket.IPPROTO_UDP, 0,
                             socket.inet_aton(src), socket.inet_aton(dst))
            ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
            try:
                r.sendto(ip + udp, (dst, 0))
            except OSError:
                errors += 1
            n += 1
        ahead = n / pps - (time.time() - start)
        if ahead > 0:
            time.sleep(ahead)
    took = time.time() - start
    report("flood", datagrams=n, sources=nsrc, ports=len(dsts),
           pps=int(n / took), send_errors=errors)


def resets(secs, n, base, first, nsrc):
    """n GETs on port 80 from nsrc addresses, each reset by us before the
    answer is read, spread over secs; then an ordinary GET is answered."""
    srcs = addrs(base, first, nsrc)
    start = time.time()
    failed = 0
    for i in range(n):
        try:
            get_reset(srcs[i % nsrc])
        except OSError:
            failed += 1
        ahead = (i + 1) * secs / n - (time.time() - start)
        if ahead > 0:
            time.sleep(ahead)
    time.sleep(0.5)
    get_answered(n, srcs[0])
    report("resets", connections=n, sources=nsrc, connect_failed=failed)


if __name__ == "__main__":
    loads = {"trickle": trickle, "deaf": deaf, "sweeps": sweeps,
             "flood": flood, "resets": resets}
    args = [int(a) if a.isdigit() else a for a in sys.argv[2:]]
    loads[sys.argv[1]](*args)
