"""The check page's relay message and relay offers against pinholed on
loopback: credentials from the [relay] secret with the relays' URIs,
refused without them or past the probe cap with the session going on,
malformed relay offers refused, and a relay peer's ICE taken from
relay-from alone (a direct peer's from the page's own address alone).

usage: relay_page.py CAFILE none
       relay_page.py CAFILE creds SECRET_FILE LIFETIME PROBES RELAY_IP
Prints an ok or not ok line per assertion and, for creds, the passwords
it was given as 'password X' lines (for the log to be searched); exits
1 on any failure.  Every wait is bounded by a socket timeout."""
import base64, hashlib, hmac, os, socket, sys, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pagepeer import page, OFFER
from tap import ice_check, want, check
import tap

URLS = ["turn:127.0.0.1:3478?transport=udp",
        "turn:127.0.0.1:3478?transport=tcp",
        "turns:127.0.0.1:443?transport=tcp"]


def answer(w, relay):
    """Sends an offer with 'relay' (absent when None); the reply."""
    m = {"type": "offer", "sdp": OFFER}
    if relay is not None:
        m["relay"] = relay
    w.send(m)
    return w.recv()


def ice_answered(src, port, ufrag, pwd):
    """Whether an ICE check from 'src' to UDP 'port' is answered."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((src, 0))
    s.settimeout(1)
    s.sendto(ice_check(ufrag + ":abcd", pwd, True), ("127.0.0.1", port))
    try:
        return len(s.recv(1500)) > 20
    except socket.timeout:
        return False
    finally:
        s.close()


def peer(a):
    sdp = a["sdp"].splitlines()
    ufrag = [l[12:] for l in sdp if l.startswith("a=ice-ufrag:")][0]
    pwd = [l[10:] for l in sdp if l.startswith("a=ice-pwd:")][0]
    udp = [int(l.split()[5]) for l in sdp if l.startswith("a=candidate:")
           and l.split()[2].lower() == "udp"]
    return ufrag, pwd, udp[0]


def none(ca):
    w = page(ca)
    w.send({"type": "relay"})
    want("relay without [relay]: refused", w.recv(),
         {"type": "error", "reason": "relay: no TURN relays configured on "
          "this server"})
    for what, v in (("udp", "udp"), ("bogus", "bogus"), ("a number", 5),
                    ("null", None)):
        if v is None:
            continue
        a = answer(w, v)
        want("an offer with relay %s: refused" % what, a.get("reason"),
             "offer: no relay-from on this server: it takes no media from "
             "relays" if v == "udp" else "offer: relay is udp, tcp or tls")
    want("the session goes on: a direct offer answered",
         answer(w, None).get("type"), "answer")


def creds(ca, secret_file, lifetime, probes, relay_ip):
    secret = open(secret_file, "rb").read().rstrip(b"\r\n")
    lifetime, probes = int(lifetime), int(probes)
    w = page(ca)
    t0 = int(time.time())
    w.send({"type": "relay", "junk": "x" * 1000})
    m = w.recv()
    want("relay: answered with credentials", m.get("type"), "relay")
    want("... the relays' URIs ([relay] urls)", m.get("urls"), URLS)
    want("... the lifetime", m.get("lifetime"), lifetime)
    user, pw = m.get("username", ""), m.get("credential", "")
    print("password %s" % pw)
    exp, _, who = user.partition(":")
    want("the username's user part", who, "pinhole")
    check("its expiry is LIFETIME from now", exp.isdigit() and
          t0 + lifetime - 2 <= int(exp) <= int(time.time()) + lifetime + 2,
          "%s, now %d" % (exp, t0))
    mac = base64.b64encode(hmac.new(secret, user.encode(),
                                    hashlib.sha1).digest()).decode()
    want("the password is base64(HMAC-SHA1(secret, username))", pw, mac)
    check("the secret is not in the answer",
          secret.decode() not in str(m))
    got = {}
    for _ in range(probes + 1):
        w.send({"type": "relay"})
        m = w.recv()
        if m.get("type") == "relay":
            print("password %s" % m.get("credential"))
        k = m.get("type") if m.get("type") == "relay" else m.get("reason")
        got[k] = got.get(k, 0) + 1
    want("relay up to the probe cap, then refused", got,
         {"relay": probes - 1, "relay: session probe cap reached": 2})
    # A relay peer: ICE from relay-from alone.
    a = answer(w, "udp")
    want("an offer with relay udp: answered", a.get("type"), "answer")
    ufrag, pwd, port = peer(a)
    want("its ICE from the page's own address: not answered",
         ice_answered("127.0.0.1", port, ufrag, pwd), False)
    want("its ICE from relay-from: answered",
         ice_answered(relay_ip, port, ufrag, pwd), True)
    # A direct peer: from the page's own address alone, as before.
    a = answer(w, None)
    ufrag, pwd, port = peer(a)
    want("a direct peer's ICE from relay-from: not answered",
         ice_answered(relay_ip, port, ufrag, pwd), False)
    want("a direct peer's ICE from the page's address: answered",
         ice_answered("127.0.0.1", port, ufrag, pwd), True)


def main():
    if sys.argv[2] == "none":
        none(sys.argv[1])
    else:
        creds(sys.argv[1], *sys.argv[3:7])
    sys.exit(1 if tap.failures else 0)


if __name__ == "__main__":
    main()
