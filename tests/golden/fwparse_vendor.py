"""fwparse_vendor.py - the parsers of the router and firewall CLIs:
RouterOS, VyOS/EdgeOS, Junos and FortiOS (see fwparse.py; Cisco IOS is in
fwparse_cisco.py).
"""
import re
import shlex

from fwmodel import (ANY, Model, Rule, code_lines, conn_state, mask_net, net,
                     port_range, proto_of, words)


# ---------------------------------------------------------------- RouterOS
def ros_seconds(v):
    """RouterOS times: 10s, 3m, 1h, 1d, 00:03:00."""
    if re.match(r"^\d+:\d+:\d+$", v):
        h, mi, se = (int(x) for x in v.split(":"))
        return h * 3600 + mi * 60 + se
    total, ok = 0, False
    for n, u in re.findall(r"(\d+)([smhdw]?)", v):
        total += int(n) * {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400,
                           "w": 604800}[u]
        ok = True
    return total if ok else None


def parse_routeros(text, site, family=4):
    """The /ip commands; the /ipv6 ones are read into m.v6."""
    m = Model("routeros")
    menu = "/ip " if family == 4 else "/ipv6 "
    if family == 4 and re.search(r"(?m)^/ipv6 firewall ", text):
        m.v6 = parse_routeros(text, site, 6)
    lists, closed = {}, set()
    rules = []
    for raw, s in code_lines(text):
        if not s.startswith(menu):
            continue
        s = "/ip " + s[len(menu):]
        tok = words(m, raw, s)
        if tok is None:
            continue
        kv = dict(t.split("=", 1) for t in tok if "=" in t)
        path = " ".join(t for t in tok if "=" not in t)
        if path.startswith("/ip firewall service-port") and \
                re.search(r"\bsip\b", s):
            m.sip.append((kv.get("disabled") == "yes" or
                          path.split()[-1] == "disable", raw))
        elif path.startswith("/ip firewall connection tracking set"):
            for k in ("udp-timeout", "udp-stream-timeout"):
                if k in kv:
                    m.timeouts.append((k, ros_seconds(kv[k]), raw))
        elif path.startswith("/ip firewall address-list add"):
            n = net(kv.get("address", ""))
            if n is not None:
                lists.setdefault(kv.get("list"), []).append(n)
        elif path.startswith("/ip firewall filter add") or \
                path.startswith("/ip firewall nat add"):
            rules.append((raw, path, kv))
    for name, nets in lists.items():
        m.lists.append(("address-list %s" % name, nets, "address-list " +
                        name))

    def addr_field(kv, key):
        v = kv.get(key)
        if v is None:
            return ANY, []
        negated = v.startswith("!")
        nets = lists.get(v.lstrip("!"), []) if key.endswith("list") else \
            [net(v.lstrip("!"))]
        return (ANY, nets) if negated else (nets, [])

    for raw, path, kv in rules:
        chain, action = kv.get("chain"), kv.get("action", "accept")
        if path.startswith("/ip firewall nat"):
            if chain != "dstnat" or action not in ("dst-nat", "netmap"):
                continue
            kind, action = "dnat", "dnat"
        elif chain in ("forward", "input"):
            kind = chain
            action = "accept" if action in ("accept", "fasttrack-connection")\
                else "drop" if action in ("drop", "reject", "tarpit") \
                else None
            if action is None or kind in closed:
                continue
        else:
            continue
        iif = None
        if "in-interface" in kv:
            v = kv["in-interface"]
            iif = (v.startswith("!"), v.lstrip("!"))
        elif "in-interface-list" in kv:
            v = kv["in-interface-list"]
            name = site["wan"] if v.lstrip("!").upper() == "WAN" else v
            iif = (v.startswith("!"), name)
        srcs = ANY
        for key in ("src-address", "src-address-list"):
            s_, _ = addr_field(kv, key)
            if s_ is not ANY:
                srcs = s_
        dst, dst_not = ANY, []
        for key in ("dst-address", "dst-address-list"):
            d, dn = addr_field(kv, key)
            if d is not ANY:
                dst = d
            dst_not += dn
        if kv.get("dst-address-type") == "local" and dst is ANY:
            dst = "local"
        cs = kv.get("connection-state")
        state = conn_state(cs) if cs else None
        if kv.get("connection-nat-state") == "dstnat" and kind != "dnat":
            state = state or "dnat"
        proto = proto_of(kv["protocol"]) if "protocol" in kv else ANY
        if "icmp-options" in kv or kv.get("protocol") == "icmpv6":
            proto = "icmp"
        r = Rule(raw, kind, action, site["wan"], iif=iif, srcs=srcs,
                 proto=proto, dst=dst, dst_not=dst_not, state=state,
                 family=family, ports=port_range(kv["dst-port"]) if
                 "dst-port" in kv else None)
        if state == "dnat" and r.from_wan:
            state = r.state = None      # the forward of a port forward
        m.rules.append(r)
        if kind != "dnat" and action == "drop" and iif is None and \
                srcs is ANY and dst is ANY and proto is ANY and state is None:
            closed.add(kind)            # a catch-all drop ends the chain
    for chain in ("forward", "input"):
        if chain not in closed:
            m.add("(no catch-all drop: chain=%s accepts the rest)" % chain,
                  chain, "accept", site["wan"], pseudo=True)
    return m


# -------------------------------------------------------------------- VyOS
def parse_vyos(text, site, family=4):
    """The IPv4 firewall ('name', 'network-group'); the IPv6 one
    ('ipv6-name', 'ipv6-network-group') is read into m.v6."""
    m = Model("vyos")
    if family == 4 and " ipv6-name " in text:
        m.v6 = parse_vyos(text, site, 6)
    groups, fw, defaults, binds, dnat = {}, {}, {}, {}, {}
    for raw, s in code_lines(text):
        if family == 6:
            # the IPv6 nodes read as the IPv4 ones; the IPv4 ones skipped
            if re.match(r"set firewall (name|group network-group) ", s) or \
                    re.search(r" firewall (in|local) name ", s) or \
                    s.startswith("set nat "):
                continue
            s = s.replace(" ipv6-name ", " name ").replace(
                "group ipv6-network-group ", "group network-group ")
        if s.startswith("delete system conntrack modules sip") or \
                s == "set system conntrack modules sip disable":
            m.sip.append((True, raw))
        elif s.startswith("set system conntrack modules sip"):
            m.sip.append((False, raw))
        mm = re.match(r"set system conntrack timeout udp (other|stream) "
                      r"(\d+)", s)
        if mm:
            m.timeouts.append((mm.group(1), int(mm.group(2)), raw))
        mm = re.match(r"set firewall group network-group (\S+) network "
                      r"(\S+)", s)
        if mm:
            groups.setdefault(mm.group(1), []).append(net(mm.group(2)))
        mm = re.match(r"set firewall name (\S+) default-action (\w+)", s)
        if mm:
            defaults[mm.group(1)] = (mm.group(2), raw)
        mm = re.match(r"set firewall name (\S+) rule (\d+) (.*)$", s)
        if mm:
            r = fw.setdefault((mm.group(1), int(mm.group(2))),
                              {"line": raw})
            rest = mm.group(3).replace("'", "").split()
            r[" ".join(rest[:-1])] = rest[-1]
        mm = re.match(r"set interfaces \S+ (\S+) firewall (in|local) name "
                      r"(\S+)", s)
        if mm:
            binds.setdefault(mm.group(1), {})[mm.group(2)] = mm.group(3)
        mm = re.match(r"set nat destination rule (\d+) (.*)$", s)
        if mm:
            r = dnat.setdefault(int(mm.group(1)), {"line": raw})
            rest = mm.group(2).replace("'", "").split()
            r[" ".join(rest[:-1])] = rest[-1]
    for g, nets in groups.items():
        m.lists.append(("network-group %s" % g, nets, "network-group " + g))

    def srcs_of(r):
        if "source group network-group" in r:
            return groups.get(r["source group network-group"], [])
        if "source address" in r:
            return [net(r["source address"])]
        return ANY

    wan = site["wan"]
    for where, chain in (("in", "forward"), ("local", "input")):
        name = binds.get(wan, {}).get(where)
        if name is None:
            m.add("(no 'firewall %s' ruleset on %s: all accepted)" %
                  (where, wan), chain, "accept", wan, iif=(False, wan),
                  pseudo=True)
            continue
        for (n, num), r in sorted(fw.items()):
            if n != name or r.get("action") not in ("accept", "drop",
                                                    "reject"):
                continue
            state = "established" if any(
                r.get("state %s" % k) == "enable" for k in
                ("established", "related")) and r.get("state new") != \
                "enable" else None
            dst = [net(r["destination address"])] if \
                "destination address" in r else \
                groups.get(r["destination group network-group"], []) if \
                "destination group network-group" in r else ANY
            m.add(r["line"], chain, "accept" if r["action"] == "accept"
                  else "drop", wan, iif=(False, wan), srcs=srcs_of(r),
                  proto=proto_of(r.get("protocol", "")), dst=dst,
                  state=state, family=family,
                  ports=port_range(r["destination port"]) if
                  "destination port" in r else None)
        act, line = defaults.get(name, ("drop", "(default-action drop)"))
        m.add(line, chain, "accept" if act == "accept" else "drop", wan,
              iif=(False, wan), pseudo=True)
    for num, r in sorted(dnat.items()):
        iif = (False, r["inbound-interface"]) if "inbound-interface" in r \
            else None
        dst = [net(r["destination address"])] if "destination address" in r\
            else ANY
        m.add(r["line"], "dnat", "dnat", wan, iif=iif, srcs=srcs_of(r),
              proto=proto_of(r.get("protocol", "")), dst=dst)
    return m


# ------------------------------------------------------------------- Junos
def parse_junos(text, site):
    m = Model("junos")
    book, sets, apps, pol, zones, default = {}, {}, {}, {}, {}, None
    dnat = {}
    for raw, s in code_lines(text):
        if re.match(r"set security alg sip disable$", s):
            m.sip.append((True, raw))
        elif s.startswith("delete security alg sip disable"):
            m.sip.append((False, raw))
        mm = re.match(r"set security zones security-zone (\S+) interfaces "
                      r"(\S+)", s)
        if mm:
            zones[mm.group(2).split(".")[0]] = mm.group(1)
        mm = re.match(r"set security address-book \S+ address (\S+) (\S+)$",
                      s)
        if mm:
            book[mm.group(1)] = net(mm.group(2))
        mm = re.match(r"set security address-book \S+ address-set (\S+) "
                      r"address (\S+)", s)
        if mm:
            sets.setdefault(mm.group(1), []).append(mm.group(2))
        mm = re.match(r"set applications application (\S+) (.*)$", s)
        if mm:
            a = apps.setdefault(mm.group(1), {"line": raw})
            rest = mm.group(2).split()
            for k, v in zip(rest[::2], rest[1::2]):
                a[k] = v
            if "inactivity-timeout" in a:
                a["tline"] = raw
        mm = re.match(r"set security policies from-zone (\S+) to-zone (\S+) "
                      r"policy (\S+) (match (\S+) (\S+)|then (\w+))", s)
        if mm:
            p = pol.setdefault((mm.group(1), mm.group(2), mm.group(3)),
                               {"line": raw, "match": {}})
            if mm.group(5):
                p["match"].setdefault(mm.group(5), []).append(mm.group(6))
            else:
                p["then"] = mm.group(7)
                p["line"] = raw
        if re.match(r"set security policies default-policy permit-all", s):
            default = raw
        mm = re.match(r"set security nat destination rule-set (\S+) (.*)$",
                      s)
        if mm:
            d = dnat.setdefault(mm.group(1), {"line": raw, "rules": {}})
            rest = mm.group(2).split()
            if rest[:2] == ["from", "zone"] or rest[:2] == ["from",
                                                           "interface"]:
                d["from"] = rest[2]
            mm2 = re.match(r"rule (\S+) match destination-address (\S+)",
                           mm.group(2))
            if mm2:
                d["rules"][mm2.group(1)] = (net(mm2.group(2)), raw)
    for name, members in sets.items():
        m.lists.append(("address-set %s" % name,
                        [book.get(x) for x in members if book.get(x)],
                        "address-set " + name))
    wanzone = zones.get(site["wan"], "untrust")

    def addrs(names):
        out = []
        for n in names:
            if n == "any":
                return ANY
            out += [book[x] for x in sets.get(n, []) if x in book] \
                if n in sets else [book[n]] if n in book else []
        return out

    for (fz, tz, name), p in pol.items():
        if fz != wanzone:
            continue
        names = p["match"].get("application", [])
        a = [apps.get(x, {}) for x in names]
        proto = ANY if not a or any(x.get("protocol") is None for x in a) \
            else proto_of(" ".join(x["protocol"] for x in a))
        if names and all(re.match(r"junos-icmp6?-", x) for x in names):
            proto = "icmp"              # the predefined ICMP applications
        ports = [port_range(x["destination-port"]) for x in a
                 if "destination-port" in x]
        m.add(p["line"], "forward", "accept" if p.get("then") == "permit"
              else "drop", site["wan"], iif=(False, site["wan"]),
              srcs=addrs(p["match"].get("source-address", ["any"])),
              dst=addrs(p["match"].get("destination-address", ["any"])),
              proto=proto, ports=ports[0] if len(ports) == 1 else None)
    m.add(default or "(default-policy deny-all)", "forward",
          "accept" if default else "drop", site["wan"],
          iif=(False, site["wan"]), pseudo=True)
    used = {x for p in pol.values() for x in p["match"].get("application",
                                                           [])}
    for name in sorted(used):
        a = apps.get(name, {})
        if a.get("protocol") == "udp":
            t = a.get("inactivity-timeout")
            m.timeouts.append(("udp", None if t is None else
                               10 ** 9 if t == "never" else int(t),
                               a.get("tline", a.get("line", name))))
    for rs, d in dnat.items():
        from_wan = d.get("from") in (wanzone, site["wan"])
        for rule, (dst, raw) in d["rules"].items():
            m.add(raw, "dnat", "dnat", site["wan"],
                  iif=(False, site["wan"]) if from_wan else None,
                  dst=[dst] if dst else ANY)
    for raw, s in code_lines(text):
        mm = re.match(r"set firewall family inet6? filter (\S+) term (\S+) "
                      r"from (source|destination)-address (\S+)", s)
        if mm:
            key = "filter %s term %s %s" % mm.group(1, 2, 3)
            for lab, nets, _ in m.lists:
                if lab == key:
                    nets.append(net(mm.group(4)))
                    break
            else:
                m.lists.append((key, [net(mm.group(4))], raw))
    return m


# ----------------------------------------------------------------- FortiOS
def fortios_tree(text):
    """[(path, key, [values], line)] for every 'set' and 'delete'."""
    out, path = [], []
    for raw, s in code_lines(text):
        try:
            tok = shlex.split(s)
        except ValueError:
            tok = s.split()
        if not tok:
            continue
        if tok[0] == "config":
            path.append(" ".join(tok[1:]))
        elif tok[0] == "edit":
            name = " ".join(tok[1:])
            if name == "0":             # a new entry each time
                name = "0#%d" % len(out)
            path.append("edit " + name)
        elif tok[0] == "next":
            if path and path[-1].startswith("edit "):
                path.pop()
        elif tok[0] == "end":
            while path and path[-1].startswith("edit "):
                path.pop()
            if path:
                path.pop()
        elif tok[0] in ("set", "delete", "unset", "append"):
            out.append((tuple(path), tok[0], tok[1] if len(tok) > 1 else "",
                        tok[2:], raw))
    return out


def parse_fortios(text, site):
    m = Model("fortios")
    tree = fortios_tree(text)
    objs = {}
    for path, verb, key, vals, raw in tree:
        if path and path[-1].startswith("edit "):
            obj = objs.setdefault((path[:-1], path[-1][5:]), {"line": raw})
            obj[key] = vals
            obj.setdefault("lines", {})[key] = raw
    alg_mode = helper = None
    for path, verb, key, vals, raw in tree:
        if path == ("system settings",) and verb == "set":
            if key == "default-voip-alg-mode":
                alg_mode = (vals == ["kernel-helper-based"], raw)
            if key == "sip-helper":
                helper = (vals == ["disable"], raw)
        if path == ("system session-helper",) and verb == "delete":
            helper = (True, raw)
        if path == ("system global",) and key == "udp-idle-timer":
            m.timeouts.append(("udp", int(vals[0]), raw))
    m.sip.append(alg_mode or (False, "(default-voip-alg-mode proxy-based: "
                              "the SIP ALG)"))
    m.sip.append(helper or (False, "(the SIP session helper is left on)"))
    addr = {n: [mask_net(*o["subnet"][:2])] for (p, n), o in objs.items()
            if p == ("firewall address",) and len(o.get("subnet", [])) >= 2}
    addr.update({n: [net(o["ip6"][0])] for (p, n), o in objs.items()
                 if p == ("firewall address6",) and o.get("ip6")})
    grp = {}
    for (p, n), o in objs.items():
        if p in (("firewall addrgrp",), ("firewall addrgrp6",)):
            grp[n] = [x for mem in o.get("member", []) for x in
                      addr.get(mem, [])]
            m.lists.append(("addrgrp %s" % n, grp[n], o["line"]))
    svc = {n: o for (p, n), o in objs.items()
           if p == ("firewall service custom",)}
    for (p, n), o in objs.items():
        if p == ("system session-ttl", "port") and \
                o.get("protocol") == ["17"] and "timeout" in o:
            t = o["timeout"][0]
            m.timeouts.append(("udp", 10 ** 9 if t == "never" else int(t),
                               o["lines"]["timeout"]))
        if p == ("firewall service custom",) and "session-ttl" in o and \
                "udp-portrange" in o:
            m.timeouts.append(("udp", int(o["session-ttl"][0]),
                               o["lines"]["session-ttl"]))

    def resolve(names):
        out = []
        for x in names:
            if x == "all":
                return ANY
            out += grp.get(x, addr.get(x, []))
        return out

    vips = {n: o for (p, n), o in objs.items() if p == ("firewall vip",)}
    for n, o in vips.items():
        ext = o.get("extintf", ["any"])[0]
        extip = o.get("extip", ["0.0.0.0"])[0]
        dst = "wan" if extip == "0.0.0.0" and ext == site["wan"] else \
            "local" if extip == "0.0.0.0" else [net(extip.split("-")[0])]
        m.add(o["line"], "dnat", "dnat", site["wan"],
              iif=None if ext == "any" else (False, ext), dst=dst)
    for (p, n), o in objs.items():
        if p != ("firewall policy",):
            continue
        if "voip-profile" in o:
            m.sip.append((False, o["lines"]["voip-profile"]))
        intf = o.get("srcintf", ["any"])[0]
        services = o.get("service", ["ALL"])
        protos = set()
        for x in services:
            s = svc.get(x, {})
            protos |= {k.split("-")[0] for k in s if k.endswith("portrange")}
            if x.upper() == "ALL" or not s:
                protos.add("any")
        proto = ANY if "any" in protos or len(protos) != 1 else protos.pop()
        if services and all("ICMP" in x.upper() for x in services):
            proto = "icmp"              # ALL_ICMP, ALL_ICMP6
        ranges = [port_range(v[0]) for x in services
                  for k, v in svc.get(x, {}).items()
                  if k.endswith("portrange") and v]
        six = "6" if "srcaddr6" in o and "srcaddr" not in o else ""
        m.add(o.get("lines", {}).get("srcaddr" + six, o["line"]), "forward",
              "accept" if o.get("action") == ["accept"] else "drop",
              site["wan"], iif=None if intf == "any" else (False, intf),
              srcs=resolve(o.get("srcaddr" + six, ["all"])), proto=proto,
              dst=resolve(o.get("dstaddr6", ["all"])) if six else ANY,
              family=6 if six else None,
              ports=ranges[0] if len(ranges) == 1 else None)
    m.add("(implicit deny)", "forward", "drop", site["wan"], pseudo=True)
    return m
