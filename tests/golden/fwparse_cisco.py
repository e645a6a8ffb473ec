"""fwparse_cisco.py - the parser of Cisco IOS configuration (and its ASA
comments): ACLs (IPv4 and IPv6), the zone-based firewall, static NAT (see
fwparse.py).
"""
import re

from fwmodel import ANY, Model, net, proto_of, wildcard_net


# ------------------------------------------------------------------- Cisco
def cisco_addr(tok, i):
    """One ACL address at tok[i]: (networks or ANY, next index)."""
    if tok[i] == "any":
        return ANY, i + 1
    if tok[i] == "host":
        return [net(tok[i + 1])], i + 2
    if tok[i] in ("object-group", "addrgroup"):
        return [], i + 2
    if "/" in tok[i]:                   # an IPv6 prefix
        return [net(tok[i])], i + 1
    return [wildcard_net(tok[i], tok[i + 1])], i + 2


def cisco_ports(tok, i, out=None):
    """The index after a port match at tok[i]; its (lo, hi) into out."""
    if i < len(tok) and tok[i] in ("eq", "lt", "gt", "neq"):
        if out is not None and tok[i] == "eq" and tok[i + 1].isdigit():
            out.append((int(tok[i + 1]), int(tok[i + 1])))
        return i + 2
    if i < len(tok) and tok[i] == "range":
        if out is not None:
            out.append((int(tok[i + 1]), int(tok[i + 2])))
        return i + 3
    return i


def cisco_zbf_line(z, raw, s):
    """Zone-based firewall state: returns True when the line was one."""
    mm = re.match(r"class-map type inspect match-(?:all|any) (\S+)", s)
    if mm:
        z["ctx"] = ("class", mm.group(1))
        z["class"].setdefault(mm.group(1), [])
        return True
    mm = re.match(r"policy-map type inspect (\S+)", s)
    if mm:
        z["ctx"] = ("policy", mm.group(1))
        z["policy"].setdefault(mm.group(1), [])
        return True
    mm = re.match(r"zone-pair security \S+ source (\S+) destination (\S+)", s)
    if mm:
        z["ctx"] = ("pair", (mm.group(1), mm.group(2)))
        return True
    if not raw.startswith(" "):
        return False
    ctx = z.get("ctx")
    if ctx is None:
        return False
    if ctx[0] == "class":
        mm = re.match(r"match access-group name (\S+)", s)
        z["class"][ctx[1]].append(mm.group(1) if mm else s)
        return True
    if ctx[0] in ("policy", "pclass"):
        pol = ctx[1] if ctx[0] == "policy" else ctx[1][0]
        mm = re.match(r"class (?:type inspect )?(\S+)", s)
        if mm:
            z["policy"][pol].append([mm.group(1), None, raw])
            z["ctx"] = ("pclass", (pol,))
            return True
        if z["policy"][pol] and s.split()[0] in ("inspect", "pass", "drop"):
            z["policy"][pol][-1][1] = s.split()[0]
            return True
        return False
    if ctx[0] == "pair":
        mm = re.match(r"service-policy type inspect (\S+)", s)
        if mm:
            z["pair"][ctx[1]] = mm.group(1)
            return True
    return False


def cisco_zbf_inbound(m, site, z, acls):
    """Inbound from the WAN's zone, through its zone pairs' policies."""
    wz = z["member"].get(site["wan"])
    pairs = [(k, v) for k, v in z["pair"].items() if k[0] == wz]
    for _, pol in pairs:
        for cls, act, raw in z["policy"].get(pol, []):
            allow = act in ("inspect", "pass")
            if cls == "class-default":
                m.add(raw, "acl-in", "accept" if allow else "drop",
                      site["wan"], iif=(False, site["wan"]), pseudo=True)
                continue
            for acl in z["class"].get(cls, []):
                for r, a, proto, src, dst, est, ports, fam in acls.get(
                        acl, {}).get("rules", []):
                    if a != "permit":
                        continue
                    m.add(r, "acl-in", "accept" if allow else "drop",
                          site["wan"], iif=(False, site["wan"]), srcs=src,
                          proto=ANY if proto in ("ip", "ipv6") else
                          proto_of(proto), dst=dst,
                          state="established" if est else None,
                          family=fam, ports=ports)
    # Between zones, what no pair allows is dropped.
    m.add("(zone-based firewall: traffic between zones without a pair is "
          "dropped)", "acl-in", "drop", site["wan"],
          iif=(False, site["wan"]), pseudo=True)
    return m


def parse_cisco(text, site):
    m = Model("cisco")
    acls, cur, iface, bind = {}, None, None, {}
    z = {"class": {}, "policy": {}, "pair": {}, "member": {}, "ctx": None}
    for raw in re.split(r"\r\n|\r|\n", text):
        s = raw.strip()
        if s and not s.startswith("!") and cisco_zbf_line(z, raw, s):
            cur = None
            continue
        if not raw.startswith(" "):
            z["ctx"] = None
        asa = s.startswith("! ASA:")
        if asa:
            s = s[len("! ASA:"):].strip()
            mm = re.match(r"timeout udp (\d+):(\d+):(\d+)", s)
            if mm:
                h, mi, se = (int(x) for x in mm.groups())
                m.timeouts.append(("asa-udp", h * 3600 + mi * 60 + se, raw))
            if re.match(r"(no )?inspect sip\b", s):
                m.sip.append((s.startswith("no "), raw))
            continue
        if not s or s.startswith("!"):
            if s == "!":
                cur = iface = None
            continue
        mm = re.match(r"ip nat translation udp-timeout (\d+|never)", s)
        if mm:
            v = mm.group(1)
            m.timeouts.append(("ios-udp", 10 ** 9 if v == "never"
                               else int(v), raw))
        mm = re.match(r"(no )?ip nat service sip (udp|tcp) port (\d+)", s)
        if mm:
            m.sip.append((bool(mm.group(1)), raw))
        mm = re.match(r"ip access-list (extended|standard) (\S+)", s)
        if mm:
            cur, iface = mm.group(2), None
            acls[cur] = {"type": mm.group(1), "entries": [], "family": 4}
            continue
        mm = re.match(r"ipv6 access-list (\S+)", s)
        if mm:
            cur, iface = mm.group(1), None
            acls[cur] = {"type": "extended", "entries": [], "family": 6}
            continue
        mm = re.match(r"interface (\S+)", s)
        if mm:
            iface, cur = mm.group(1), None
            continue
        mm = re.match(r"ip access-group (\S+) (in|out)", s)
        if mm and iface:
            bind[(iface, mm.group(2))] = mm.group(1)
            continue
        mm = re.match(r"zone-member security (\S+)", s)
        if mm and iface:
            z["member"][iface] = mm.group(1)
            continue
        mm = re.match(r"ip nat (?:inside|outside) source static (?:(udp|tcp) "
                      r")?(\S+) (?:(\d+) )?(interface (\S+)|\S+)", s)
        if mm:
            dst = "wan" if mm.group(5) in (site["wan"], None) and \
                mm.group(4).startswith("interface") else \
                [net(mm.group(4))]
            m.add(raw, "dnat", "dnat", site["wan"], iif=(False, site["wan"]),
                  proto=mm.group(1) or ANY, dst=dst)
            continue
        if cur is not None and raw.startswith(" "):
            acls[cur]["entries"].append((raw, s))
        elif not raw.startswith(" "):
            cur = iface = None
    for name, acl in acls.items():
        label, srcl, dstl = "(first entries)", [], []

        def flush():
            if srcl:
                m.lists.append(("acl %s %s src" % (name, label), srcl[:],
                                name))
            if dstl:
                m.lists.append(("acl %s %s dst" % (name, label), dstl[:],
                                name))
        for raw, s in acl["entries"]:
            tok = s.split()
            if tok[0] == "remark":
                flush()
                srcl, dstl = [], []
                label = " ".join(tok[1:2])
                continue
            if tok[0] not in ("permit", "deny") or acl["type"] != "extended":
                continue
            ports = []
            try:
                src, i = cisco_addr(tok, 2)
                i = cisco_ports(tok, i)
                dst, i = cisco_addr(tok, i)
                i = cisco_ports(tok, i, ports)
            except (IndexError, ValueError):
                m.notes.append(raw)
                continue
            srcl += src or []
            dstl += dst or []
            acl.setdefault("rules", []).append(
                (raw, tok[0], tok[1], src, dst, "established" in tok[i:],
                 ports[0] if ports else None, acl["family"]))
        flush()
    name = bind.get((site["wan"], "in"))
    if name is None and site["wan"] in z["member"]:
        return cisco_zbf_inbound(m, site, z, acls)
    if name is None:
        m.add("(no ACL inbound on %s: IOS permits all)" % site["wan"],
              "acl-in", "accept", site["wan"], iif=(False, site["wan"]),
              pseudo=True)
        return m
    for raw, act, proto, src, dst, est, ports, fam in acls.get(
            name, {}).get("rules", []):
        m.add(raw, "acl-in", "accept" if act == "permit" else "drop",
              site["wan"], iif=(False, site["wan"]), srcs=src,
              proto=ANY if proto in ("ip", "ipv6") else proto_of(proto),
              dst=dst, state="established" if est else None, family=fam,
              ports=ports)
    m.add("(implicit deny at the end of %s)" % name, "acl-in", "drop",
          site["wan"], iif=(False, site["wan"]), pseudo=True)
    return m
