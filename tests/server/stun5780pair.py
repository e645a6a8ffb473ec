"""RFC 5780 on a dual-stack pinholed: in each family the first two listen
addresses are the pair.

usage: stun5780pair.py A B   (two addresses of one family, A first)
A session from A makes its answers full; then a Binding request to
A:3478 must name B:3479 as OTHER-ADDRESS, and CHANGE-REQUEST for the
address (and the port) must be answered from B (B:3479).  Prints an ok or
not ok line per assertion; exits non-zero on any failure.
"""
import os, socket, struct, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import peer
import tap


def addr_attr(v):
    fam, port = v[1], struct.unpack("!H", v[2:4])[0]
    af = socket.AF_INET if fam == 1 else socket.AF_INET6
    return socket.inet_ntop(af, v[4:]), port


def main(a, b):
    af = socket.AF_INET6 if ":" in a else socket.AF_INET
    peer.HOST = a
    s = peer.session()
    u = socket.socket(af, socket.SOCK_DGRAM)
    u.bind((a, 0))
    u.settimeout(2)

    def ask(change=None):
        u.sendto(peer.stun_request(change=change), (a, 3478))
        d, src = u.recvfrom(65536)
        return src[:2], peer.stun_attrs(d)

    src, (typ, at) = ask()
    tap.want("%s: a Binding request succeeds" % a, typ, 0x0101)
    tap.want("... OTHER-ADDRESS is the family's other address",
             addr_attr(at.get(0x802C, b"\0\1\0\0\0\0\0\0")), (b, 3479))
    src, (typ, at) = ask(change=4)
    tap.want("CHANGE-REQUEST ip: answered from the other address",
             (typ, src), (0x0101, (b, 3478)))
    src, (typ, at) = ask(change=6)
    tap.want("CHANGE-REQUEST ip and port: answered from the other pair",
             (typ, src), (0x0101, (b, 3479)))
    s.close()
    sys.exit(1 if tap.failures else 0)


if __name__ == "__main__":
    main(*sys.argv[1:3])
