"""fwmodel.py - the rules that tests/golden/semantic.py checks, as read
back from the output of 'pinhole config' by the parsers of fwparse.py, and
the small readers the parsers share.  python3, standard library only.
"""
import ipaddress
import re
import shlex
ANY = None          # a rule matching every source, destination or protocol


def net(s):
    """An ip_network from "a.b.c.d", "a.b.c.d/n" or None on junk."""
    try:
        return ipaddress.ip_network(s.strip().strip('"'), strict=False)
    except ValueError:
        return None


def wildcard_net(addr, wild):
    """Cisco "ADDR WILDCARD" as an ip_network."""
    w = int(ipaddress.ip_address(wild))
    plen = 32 - (w + 1).bit_length() + 1 if w else 32
    return net("%s/%d" % (addr, plen))


def mask_net(addr, mask):
    """FortiOS "ADDR MASK" as an ip_network."""
    return net("%s/%s" % (addr, mask))


class Rule:
    """One rule.  chain: forward, input, dnat or acl-in (a stateless ACL
    on the WAN interface, before both forward and input).  action: accept,
    drop or dnat.  iif: (negated, name) or None.  srcs, dst: lists of
    networks, or ANY; dst may also be "wan" (the WAN address) or "local"
    (any address of the router), with dst_not the networks excluded.
    state: "established" when it matches only established/related flows,
    "dnat" when only flows already translated.  family: 4 or 6 when the
    rule matches one address family only, None for both (or unknown).
    ports: (lo, hi) of the destination port, or None for any (or
    unknown)."""

    def __init__(self, line, chain, action, wan, iif=None, srcs=ANY,
                 proto=ANY, dst=ANY, dst_not=(), state=None, pseudo=False,
                 family=None, ports=None):
        self.line, self.chain, self.action = line, chain, action
        self.iif, self.srcs, self.proto = iif, srcs, proto
        self.dst, self.dst_not, self.state = dst, list(dst_not), state
        self.pseudo = pseudo            # a chain policy, not a written rule
        self.family, self.ports = family, ports
        if family is not None:          # a list of both families, matched
            if isinstance(srcs, list):  # in one only
                self.srcs = [n for n in srcs if n is None or
                             n.version == family]
            if isinstance(dst, list):
                self.dst = [n for n in dst if n is None or
                            n.version == family]
        if iif is None:
            self.from_wan = None
        elif iif == (False, wan):
            self.from_wan = True
        elif iif[1] == wan or not iif[0]:
            self.from_wan = False       # != WAN, or some other interface
        else:
            self.from_wan = None        # != an interface that is not WAN

    def __repr__(self):
        return "Rule(%s %s %r)" % (self.chain, self.action, self.line)


class Model:
    def __init__(self, fmt):
        self.fmt = fmt
        self.rules = []
        self.replaces = None    # the line that makes the file replace all
        self.sip = []           # (ok, line): each SIP helper/ALG setting
        self.sip_na = None      # why the platform has no ALG
        self.timeouts = []      # (key, seconds or None for default, line)
        self.lists = []         # (label, [networks], line)
        self.notes = []         # what the parser could not read
        self.v6 = None          # a Model of a separate IPv6 ruleset

    def add(self, *a, **kw):
        self.rules.append(Rule(*a, **kw))


def code_lines(text, leader="#"):
    """(line, stripped) for every line that is not a comment or blank."""
    for raw in re.split(r"\r\n|\r|\n", text):
        s = raw.strip()
        if s and not s.startswith(leader):
            yield raw, s


def comment_lines(text, leader="#"):
    for raw in re.split(r"\r\n|\r|\n", text):
        s = raw.strip()
        if s.startswith(leader):
            yield raw, s[len(leader):].strip()


def linux_sysctls(m, text):
    """'sysctl -w net.netfilter.nf_conntrack_udp_timeout=N' lines, given
    as commands to run first (in comments) by the Linux formats."""
    for raw, s in comment_lines(text):
        mm = re.search(r"sysctl -w net\.netfilter\.nf_conntrack_udp_timeout"
                       r"(_stream)?=(\d+)", s)
        if mm:
            m.timeouts.append(("replied" if mm.group(1) else "unreplied",
                               int(mm.group(2)), raw))


def conn_state(v):
    """A connection-state match: "established" (established, related),
    "dnat" (already translated), "other" (invalid, untracked...) or None
    (it matches new flows)."""
    states = set(v.lower().replace(" ", "").split(","))
    if states <= {"established", "related"}:
        return "established"
    if states == {"dnat"}:
        return "dnat"
    if "new" in states:
        return None
    return "other"


def proto_of(s):
    s = s.strip("{} ").replace(",", " ").split()
    if not s:
        return ANY
    if all(p in ("icmp", "ipv6-icmp", "icmpv6", "icmp6", "1", "58")
           for p in s):
        return "icmp"
    if len(s) == 1 and s[0] in ("udp", "tcp", "17", "6"):
        return {"17": "udp", "6": "tcp"}.get(s[0], s[0])
    return ANY


def words(m, raw, s):
    """The shell-like words of a command line, or None (noted in m.notes)
    when its quotes do not close."""
    try:
        return shlex.split(s)
    except ValueError:
        m.notes.append(raw)
        return None


def port_range(s):
    """(lo, hi) from "5060", "5060-5066" or "5060:5066"; None on junk."""
    mm = re.match(r"^(\d+)(?:[-:](\d+))?$", s.strip())
    if not mm:
        return None
    lo = int(mm.group(1))
    return lo, int(mm.group(2) or lo)


def not_expressed(text, leader="#"):
    """Every NOT EXPRESSED comment, its wrapped lines joined."""
    found, cur = [], None
    for raw, s in comment_lines(text, leader):
        if s.startswith("NOT EXPRESSED"):
            cur = [s]
            found.append(cur)
        elif cur is not None and s:
            cur.append(s)
        else:
            cur = None
    return [" ".join(x) for x in found]


def covered(nets, allowed):
    """Every network of 'nets' lies inside one of 'allowed'."""
    return nets is not ANY and all(
        n is not None and any(n.version == a.version and n.subnet_of(a)
                              for a in allowed) for n in nets)


def parts(m):
    """The model and its separate IPv6 ruleset (ip6tables), if any."""
    return [m] + ([m.v6] if m.v6 is not None else [])


def before_drop_all(rules, chain):
    """The rules of 'chain' up to a rule that drops everything else."""
    for r in rules:
        if r.chain != chain:
            continue
        if r.action == "drop" and r.from_wan is not False and \
                r.srcs is ANY and r.proto is ANY and \
                r.state is None and r.dst is ANY:
            return
        yield r
