"""semantic6.py - the IPv6 invariants of tests/golden/semantic.py, for a
dual-stack site (an IPv4 and an IPv6 --lan):

  ipv6-admits      each inbound requirement is accepted from the profile's
                   IPv6 sources to the IPv6 LAN, or, where the profile
                   names no IPv6 source or the format writes no IPv6 side,
                   listed as NOT EXPRESSED
  ipv6-only-asked  no IPv6 accept from the WAN admits another source, a
                   destination outside the IPv6 LAN, or a protocol or port
                   no inbound requirement asks for
  ipv6-no-nat      nothing translates IPv6 (no NAT66, no port forward)

and the edits of the dual-stack output that each must notice
(MUTATIONS6).  python3, standard library only.
"""
import ipaddress
import re

from fwmodel import ANY, before_drop_all, code_lines, covered, parts

LAN6 = [ipaddress.ip_network("2001:db8:1::/64")]   # of SITE_DUAL


# Formats that write the IPv6 side of a dual-stack site.
# (all of them.)
IPV6_FORMATS = ("nftables", "iptables", "pf", "routeros", "vyos", "junos",
                "fortios", "cisco")


def in_ids(prof):
    """(endpoint, the prefix of its requirement id) of each inbound one."""
    for e in prof["in"]:
        lo, hi = e["ports"]
        yield e, "reach.%s.in.%s" % (e["proto"], lo if lo == hi else
                                     "%d-%d" % (lo, hi))


def v6_accepts(m):
    """IPv6 accepts from the WAN in the forward chains (the rules of both
    families included), up to the chain's drop of everything else."""
    for part in parts(m):
        for chain in ("forward", "acl-in"):
            for r in before_drop_all(part.rules, chain):
                if r.action == "accept" and r.from_wan is True and \
                        r.state is None and r.proto != "icmp" and \
                        r.family in (6, None):
                    yield r


def v6_dst_ok(r):
    return isinstance(r.dst, list) and r.dst and all(
        d is not None and d.version == 6 and any(d.subnet_of(x)
                                                 for x in LAN6)
        for d in r.dst)


def check_admits6(m, prof, fail):
    notes = m.not_expressed
    if m.fmt not in IPV6_FORMATS:
        if not any("IPv6" in x for x in notes):
            fail("(no IPv6 rule)", "the format writes no IPv6 side and no "
                 "NOT EXPRESSED comment says so")
        return
    for e, rid in in_ids(prof):
        if prof["sources"] and not prof["sources6"]:
            if not any(rid in x and "IPv6" in x for x in notes):
                fail(rid, "the profile names no IPv6 source, and no NOT "
                     "EXPRESSED comment says that %s stays closed over "
                     "IPv6" % rid)
            continue
        lo, hi = e["ports"]
        for src in prof["sources6"] or [ANY]:
            if not any(r.proto == e["proto"] and r.ports is not None and
                       r.ports[0] <= lo and hi <= r.ports[1] and
                       v6_dst_ok(r) and (r.srcs is ANY or (
                           src is not ANY and any(
                               x is not None and x.version == 6 and
                               src.subnet_of(x) for x in r.srcs)))
                       for r in v6_accepts(m)):
                fail(rid, "no IPv6 accept from %s to the IPv6 LAN for %s"
                     % (src or "anywhere", rid))
                return


def check_only_asked6(m, prof, fail):
    for r in v6_accepts(m):
        if r.family is None and not any(
                isinstance(x, list) and any(n is not None and n.version == 6
                                            for n in x)
                for x in (r.dst, r.srcs)):
            if r.srcs is ANY and prof["sources"]:
                fail(r.line, "an accept of both families from any source")
                return
            continue            # an IPv4 rule (its addresses are IPv4)
        if prof["sources"] and not covered(r.srcs, prof["sources6"]):
            fail(r.line, "an IPv6 accept from sources other than the "
                 "profile's IPv6 ones")
        elif not v6_dst_ok(r):
            fail(r.line, "an IPv6 accept to a destination outside the "
                 "IPv6 LAN")
        elif r.ports is None or not any(
                e["proto"] == r.proto and e["ports"][0] <= r.ports[0] and
                r.ports[1] <= e["ports"][1] for e in prof["in"]):
            fail(r.line, "an IPv6 accept for a protocol or ports no inbound "
                 "requirement asks for")
        else:
            continue
        return


NAT6 = re.compile(r"\bip6\b.*\b(dnat|snat|masquerade|netmap)\b|"
                  r"^table ip6 \w*nat|^/ipv6 firewall nat|\bnat66\b|"
                  r"\bnptv6\b|^\*nat")


def check_no_nat6(m, prof, fail):
    for r in (r for part in parts(m) for r in part.rules):
        if r.chain == "dnat" and (r.family == 6 or (
                isinstance(r.dst, list) and any(
                    d is not None and d.version == 6 for d in r.dst))):
            fail(r.line, "a DNAT over IPv6: there is no NAT to forward")
            return
    for raw, s in code_lines(m.text6, m.leader):
        if NAT6.search(s) or (m.fmt == "pf" and PF_NAT.search(s) and
                              not PF_INET4.search(s)):
            fail(raw, "IPv6 translated (NAT66 is not assumed)")
            return


# pf translates both families unless the rule says 'inet' or names an
# IPv4 address (pfctl takes the family from it).
PF_NAT = re.compile(r"\b(nat-to|rdr-to|binat-to|af-to)\b")
PF_INET4 = re.compile(r"\binet\b|\b\d+\.\d+\.\d+\.\d+\b")


INVARIANTS6 = [
    ("ipv6-admits", check_admits6),
    ("ipv6-only-asked", check_only_asked6),
    ("ipv6-no-nat", check_no_nat6),
]


# The same for the IPv6 invariants, on the dual-stack site's output of
# tests/golden/profiles/dual-phones.ini.
MUTATIONS6 = [
    ("nftables", "oifname != $WAN ip6 saddr @provider6 ip6 daddr @lan6 udp",
     "oifname != $WAN ip6 daddr @lan6 udp", "ipv6-only-asked"),
    ("nftables", "ip6 saddr @provider6 ip6 daddr @lan6 tcp dport 5060-5061",
     "ip6 saddr @provider6 tcp dport 5060-5061", "ipv6-only-asked"),
    ("nftables", "ip6 daddr @lan6 udp dport 10000-20000",
     "ip6 daddr @lan6 udp dport 1-65535", "ipv6-only-asked"),
    ("nftables", "\t\tiifname $WAN oifname != $WAN ip6 saddr @provider6 "
     "ip6 daddr @lan6 udp dport 10000-20000 accept\n", "", "ipv6-admits"),
    ("nftables", "table ip pinhole_nat {", "table ip6 pinhole_nat6 {\n"
     "\tchain post {\n\t\toifname $WAN masquerade\n\t}\n}\n"
     "table ip pinhole_nat {", "ipv6-no-nat"),
    ("iptables", "-d 2001:db8:1::/64 -s 2001:db8:5000::/48 -p udp",
     "-d 2001:db8:1::/64 -p udp", "sources"),
    ("iptables", "-d 2001:db8:1::/64 -s 2001:db8:6000::/48 -p tcp",
     "-s 2001:db8:6000::/48 -p tcp", "ipv6-only-asked"),
    ("iptables", "#6 -A FORWARD -i wan0 ! -o wan0 -d 2001:db8:1::/64 -s "
     "2001:db8:5000::/48 -p tcp", "#6 -A FORWARD -i wan0 ! -o wan0 -d "
     "2001:db8:1::/64 -s 2001:db8:5000::/48 -p udp", "ipv6-admits"),
    ("iptables", "#6 *filter\n", "#6 *nat\n#6 -A POSTROUTING -o wan0 -j "
     "MASQUERADE\n#6 COMMIT\n#6 *filter\n", "ipv6-no-nat"),
    ("iptables", "#6 :FORWARD DROP", "#6 :FORWARD ACCEPT", "sources"),
    ("pf", "inet6 proto udp from <provider> to $lan6",
     "inet6 proto udp from any to $lan6", "ipv6-only-asked"),
    ("pf", "inet6 proto tcp from <provider> to $lan6",
     "inet6 proto tcp from <provider> to any", "ipv6-only-asked"),
    ("pf", "to $lan6 port 10000:20000", "to $lan6 port 1000:20000",
     "ipv6-only-asked"),
    ("pf", "pass in on $wan inet6 proto tcp", "pass in on $wan inet6 proto "
     "udp", "ipv6-admits"),
    ("pf", "match out on $wan inet from", "match out on $wan from",
     "ipv6-no-nat"),
    ("routeros", "in-interface=wan0 src-address-list=pinhole-provider "
     "dst-address-list=pinhole-lan6 protocol=udp", "in-interface=wan0 "
     "dst-address-list=pinhole-lan6 protocol=udp", "ipv6-only-asked"),
    ("routeros", "src-address-list=pinhole-provider dst-address-list="
     "pinhole-lan6 protocol=tcp", "src-address-list=pinhole-provider "
     "protocol=tcp", "ipv6-only-asked"),
    ("routeros", "pinhole-lan6 protocol=tcp dst-port=5060-5061",
     "pinhole-lan6 protocol=tcp dst-port=5062", "ipv6-admits"),
    ("routeros", "/ipv6 firewall filter add chain=forward action=drop",
     "/ipv6 firewall filter add chain=forward action=log", "sources"),
    ("routeros", "/ipv6 firewall filter add chain=forward connection-state"
     "=established", "/ipv6 firewall nat add chain=srcnat out-interface=wan0"
     " action=masquerade\n/ipv6 firewall filter add chain=forward "
     "connection-state=established", "ipv6-no-nat"),
    ("vyos", "WAN6_IN rule 100 source group network-group PINHOLE-PROVIDER6"
     "\n", "", "ipv6-only-asked"),
    ("vyos", "WAN6_IN rule 101 destination group network-group PINHOLE-LAN6"
     "\n", "", "ipv6-only-asked"),
    ("vyos", "WAN6_IN rule 101 protocol tcp", "WAN6_IN rule 101 protocol udp",
     "ipv6-admits"),
    ("vyos", "ipv6-name WAN6_IN default-action drop",
     "ipv6-name WAN6_IN default-action accept", "sources"),
    ("vyos", "firewall in ipv6-name WAN6_IN", "firewall out ipv6-name "
     "WAN6_IN", "sources"),
    ("junos", "policy reach-udp-in-10000-20000-ipv6 match source-address "
     "pinhole-provider6", "policy reach-udp-in-10000-20000-ipv6 match "
     "source-address any", "ipv6-only-asked"),
    ("junos", "policy reach-tcp-in-5060-5061-ipv6 match destination-address "
     "pinhole-lan6", "policy reach-tcp-in-5060-5061-ipv6 match "
     "destination-address any", "ipv6-only-asked"),
    ("junos", "policy reach-tcp-in-5060-5061-ipv6 match application "
     "reach-tcp-in-5060-5061", "policy reach-tcp-in-5060-5061-ipv6 match "
     "application reach-udp-out-5060", "ipv6-admits"),
    ("junos", "address-set pinhole-provider address pinhole-provider-1",
     "address-set pinhole-provider address pinhole-provider6-1",
     "ipv6-only-asked"),
    ("fortios", 'set srcaddr6 "pinhole-provider6"', 'set srcaddr6 "all"',
     "ipv6-only-asked"),
    ("fortios", 'set dstaddr6 "pinhole-phone6"\n        set action accept\n'
     '        set schedule "always"\n        set service "reach.tcp',
     'set dstaddr6 "all"\n        set action accept\n'
     '        set schedule "always"\n        set service "reach.tcp',
     "ipv6-only-asked"),
    ("fortios", 'edit "pinhole-provider6-2"\n        set ip6 '
     '2001:db8:6000::/48', 'edit "pinhole-provider6-2"\n        set ip6 '
     '2001:db8:7000::/48', "ipv6-admits"),
    ("cisco", " permit udp 2001:db8:5000::/48 2001:db8:1::/64",
     " permit udp any 2001:db8:1::/64", "ipv6-only-asked"),
    ("cisco", " permit tcp 2001:db8:6000::/48 2001:db8:1::/64",
     " permit tcp 2001:db8:6000::/48 any", "ipv6-only-asked"),
    ("cisco", "2001:db8:1::/64 range 5060 5061", "2001:db8:1::/64 eq 5060",
     "ipv6-admits"),
    ("cisco", " class type inspect PINHOLE-IN6\n  inspect\n", "",
     "ipv6-admits"),
    ("cisco", " deny ipv6 any any\n", " permit ipv6 any any\n",
     "sources"),
]
