"""What the server tests' python helpers share: their 'ok - ' and
'not ok - ' lines, counted, and an ICE check as a browser sends one.
Standard library only."""
import hashlib, hmac, os, struct, zlib

failures = 0


def check(what, ok, detail=""):
    """One assertion: prints its line, counts it when it failed."""
    global failures
    print("%s - %s%s" % ("ok" if ok else "not ok", what,
                         ": " + str(detail) if detail != "" else ""))
    if not ok:
        failures += 1


def want(what, got, expected):
    """check() that 'got' is 'expected', both printed."""
    check(what, got == expected, "%r" % (got,) if got == expected else
          "got %r, want %r" % (got, expected))


def ice_check(username, pwd, use_candidate=False):
    """An ICE Binding request with USERNAME, MESSAGE-INTEGRITY under
    'pwd' and FINGERPRINT (RFC 8445, RFC 5389)."""
    tid = os.urandom(12)
    un = username.encode()
    attrs = struct.pack("!HH", 0x0006, len(un)) + un + b"\0" * (-len(un) % 4)
    attrs += struct.pack("!HHI", 0x0024, 4, 0x6e0001ff)
    attrs += struct.pack("!HHQ", 0x802A, 8, 1)
    if use_candidate:
        attrs += struct.pack("!HH", 0x0025, 0)
    hdr = struct.pack("!HHI", 1, len(attrs) + 24, 0x2112A442) + tid
    mac = hmac.new(pwd.encode(), hdr + attrs, hashlib.sha1).digest()
    attrs += struct.pack("!HH", 0x0008, 20) + mac
    hdr = struct.pack("!HHI", 1, len(attrs) + 8, 0x2112A442) + tid
    crc = (zlib.crc32(hdr + attrs) ^ 0x5354554E) & 0xffffffff
    return hdr + attrs + struct.pack("!HHI", 0x8028, 4, crc)
