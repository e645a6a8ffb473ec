"""fwparse_unix.py - the parsers of the Linux and BSD formats: nftables,
iptables-restore and pf.conf (see fwparse.py).
"""
import re

from fwmodel import (ANY, Model, code_lines, conn_state, linux_sysctls, net,
                     port_range, proto_of, words)


# ---------------------------------------------------------------- nftables
def parse_nftables(text, site):
    m = Model("nftables")
    defines, sets, stack, objs, used = {}, {}, [], {}, set()
    chain = None

    def val(v):
        v = v.strip()
        if v.startswith("$"):
            v = defines.get(v[1:], v)
        return v.strip('"')

    def addrs(table, v):
        v = v.strip()
        if v.startswith("@"):
            return sets.get((table, v[1:]), [])
        return [n for n in (net(x) for x in v.strip("{}").split(","))
                if n is not None]

    for raw, s in code_lines(text):
        if s == "flush ruleset":
            m.replaces = raw
        mm = re.match(r"define (\w+) = (.*)$", s)
        if mm:
            defines[mm.group(1)] = mm.group(2).strip().strip('"')
            continue
        if s.endswith("{") and "=" not in s:
            stack.append(s[:-1].strip())
            if s.startswith("chain "):
                chain = {"name": s.split()[1], "hook": None, "type": None,
                         "policy": "accept"}
            continue
        if s == "}":
            if stack and stack[-1].startswith("chain ") and chain:
                if chain["hook"] in ("forward", "input"):
                    m.add("(chain %s policy %s)" % (chain["name"],
                          chain["policy"]), chain["hook"], chain["policy"],
                          site["wan"], pseudo=True)
                chain = None
            if stack:
                stack.pop()
            continue
        ctx = stack[-1] if stack else ""
        table = next((x for x in stack if x.startswith("table ")), "")
        if "ct helper" in s:
            m.sip.append((False, raw))
        if ctx.startswith("set "):
            mm = re.match(r"elements\s*=\s*\{(.*)\}", s)
            if mm:
                nets = addrs(table, mm.group(1))
                sets[(table, ctx.split()[1])] = nets
                m.lists.append(("set %s" % ctx.split()[1], nets, raw))
            continue
        if ctx.startswith("ct timeout"):
            mm = re.match(r"policy\s*=\s*\{(.*)\}", s)
            if mm:
                objs[ctx.split()[2]] = [
                    (k.strip(), int(v), raw) for k, v in
                    (x.split(":") for x in mm.group(1).split(","))]
            continue
        if not ctx.startswith("chain ") or chain is None:
            continue
        mm = re.match(r"type (\w+) hook (\w+) .*?(?:policy (\w+);)?$", s)
        if mm:
            chain["type"], chain["hook"] = mm.group(1), mm.group(2)
            chain["policy"] = mm.group(3) or "accept"
            continue
        mm = re.search(r'ct timeout set "?([\w-]+)"?', s)
        if mm:
            used.add(mm.group(1))
        hook, ctype = chain["hook"], chain["type"]
        if re.search(r"\bdnat to\b", s) and ctype == "nat":
            kind, action = "dnat", "dnat"
        elif hook in ("forward", "input") and ctype == "filter" and \
                re.search(r"\b(accept|drop|reject)$", s):
            kind = hook
            action = "accept" if s.endswith("accept") else "drop"
        else:
            continue
        iif = srcs = dst = proto = state = None
        dst_not = []
        mm = re.search(r"\biifname (!= )?(\S+)", s)
        if mm:
            iif = (bool(mm.group(1)), val(mm.group(2)))
        mm = re.search(r"\bip6? saddr (!= )?(@\w+|\{[^}]*\}|\S+)", s)
        if mm:
            srcs = ANY if mm.group(1) else addrs(table, mm.group(2))
        if re.search(r"\bfib daddr type local\b", s):
            dst = "local"
        family = 6 if re.search(r"\b(ip6 [sd]addr|icmpv6)\b", s) else \
            4 if re.search(r"\bip [sd]addr\b", s) or \
            table.startswith("table ip ") else None
        ports = None
        mm = re.search(r"\b(?:udp|tcp) dport (\S+)", s)
        if mm:
            ports = port_range(mm.group(1))
        for mm in re.finditer(r"\bip6? daddr (!= )?(@\w+|\{[^}]*\}|\S+)",
                              s):
            if mm.group(1):
                dst_not += addrs(table, mm.group(2))
            elif dst is None:
                dst = addrs(table, mm.group(2))
        mm = re.search(r"\b(udp|tcp) dport\b", s) or \
            re.search(r"\bmeta l4proto (\{[^}]*\}|\S+)", s) or \
            re.search(r"\b(icmpv6|icmp) type\b", s)
        if mm:
            proto = proto_of(mm.group(1))
        mm = re.search(r"\bct state ([\w,]+)", s)
        if mm:
            state = conn_state(mm.group(1))
        if re.search(r"\bct status dnat\b", s):
            state = state or "dnat"
        m.add(raw, kind, action, site["wan"], iif=iif, srcs=srcs,
              proto=proto, dst=dst, dst_not=dst_not, state=state,
              family=family, ports=ports)
    if m.replaces and not m.sip:
        m.sip.append((True, m.replaces + "  (and no rule assigns a helper)"))
    for name in used:
        for k, v, raw in objs.get(name, []):
            m.timeouts.append((k, v, raw))
    linux_sysctls(m, text)
    return m


# ---------------------------------------------------------------- iptables
def parse_iptables(text, site, family=4):
    """The iptables-restore file; its IPv6 part (the lines behind "#6 ",
    for ip6tables-restore) is read into m.v6."""
    m = Model("iptables")
    v6 = [x[3:] for x in text.splitlines() if x.startswith("#6 ")]
    if v6 and family == 4:
        m.v6 = parse_iptables("\n".join(v6), site, 6)
    table, groups = None, {}
    for raw, s in code_lines(text):
        if s.startswith("*"):
            table = s[1:]
            if table in ("raw", "filter"):
                m.replaces = m.replaces or raw
            if table == "raw":
                m.sip.append((True, raw + "  (replaces the raw table)"))
            continue
        mm = re.match(r":(\w+) (\w+)", s)
        if mm and table == "filter" and mm.group(1) in ("INPUT", "FORWARD"):
            pol = "accept" if mm.group(2) == "ACCEPT" else "drop"
            m.add("(%s)" % s, mm.group(1).lower(), pol, site["wan"],
                  pseudo=True)
            continue
        if not s.startswith("-A ") and not s.startswith("-I "):
            continue
        tok = words(m, raw, s)
        if tok is None:
            continue
        chain, opts, neg, i = tok[1], {}, False, 2
        while i < len(tok):
            t = tok[i]
            if t == "!":
                neg = True
            elif t.startswith("-") and i + 1 < len(tok) and \
                    not tok[i + 1].startswith("-"):
                opts[t] = (neg, tok[i + 1])
                neg = False
                i += 1
            else:
                opts[t] = (neg, "")
                neg = False
            i += 1
        target = opts.get("-j", (False, ""))[1]
        if target == "CT" and "--helper" in opts:
            m.sip.append((False, raw))
        comment = opts.get("--comment", (False, ""))[1]
        for flag in ("-s", "-d"):
            if flag in opts and not opts[flag][0]:
                n = net(opts[flag][1])
                if n is not None:
                    groups.setdefault((table, chain, comment, flag),
                                      ([], raw))[0].append(n)
        if table == "nat" and chain == "PREROUTING" and target == "DNAT":
            kind, action = "dnat", "dnat"
        elif table == "filter" and chain in ("INPUT", "FORWARD") and \
                target in ("ACCEPT", "DROP", "REJECT"):
            kind = chain.lower()
            action = "accept" if target == "ACCEPT" else "drop"
        else:
            continue
        iif = (opts["-i"][0], opts["-i"][1]) if "-i" in opts else None
        srcs = ANY
        if "-s" in opts and not opts["-s"][0]:
            srcs = [net(opts["-s"][1])]
        dst, dst_not = ANY, []
        if "-d" in opts:
            if opts["-d"][0]:
                dst_not.append(net(opts["-d"][1]))
            else:
                dst = [net(opts["-d"][1])]
        if opts.get("--dst-type", (True, ""))[:2] == (False, "LOCAL"):
            dst = "local" if dst is ANY else dst
        proto = proto_of(opts["-p"][1]) if "-p" in opts else ANY
        st = opts.get("--ctstate", opts.get("--state", (False, "")))[1]
        state = conn_state(st) if st else None
        ports = port_range(opts["--dport"][1]) if "--dport" in opts else None
        m.add(raw, kind, action, site["wan"], iif=iif, srcs=srcs,
              proto=proto, dst=dst, dst_not=dst_not, state=state,
              family=family, ports=ports)
    for (table, chain, comment, flag), (nets, raw) in groups.items():
        m.lists.append(("%s %s %s %s" % (table, chain, flag, comment),
                        nets, raw))
    linux_sysctls(m, text)
    # A policy closes its chain: move the pseudo rules to the end.
    m.rules = [r for r in m.rules if not r.pseudo] + \
        [r for r in m.rules if r.pseudo]
    return m


# ---------------------------------------------------------------------- pf
def parse_pf(text, site):
    m = Model("pf")
    m.sip_na = "pf has no SIP ALG"
    macros, tables, block = {}, {}, None
    m.replaces = "(pfctl -f loads the file in place of the ruleset)"

    def expand(v):
        return re.sub(r"\$(\w+)", lambda x: macros.get(x.group(1),
                      x.group(0)), v)

    def addr(v):
        v = v.strip()
        if v == "any":
            return ANY
        mm = re.match(r"<(\w+)>$", v)
        if mm:
            return tables.get(mm.group(1), [])
        if v.startswith("("):
            return "wan" if v.strip("()") == site["wan"] else "local"
        if v == "self":
            return "local"
        return [n for n in (net(x) for x in v.strip("{}").split())
                if n is not None]

    for raw, s in code_lines(text):
        mm = re.match(r'(\w+)\s*=\s*"(.*)"$', s)
        if mm:
            macros[mm.group(1)] = expand(mm.group(2))
            continue
        mm = re.match(r"table <(\w+)>[^{]*\{(.*)\}", s)
        if mm:
            nets = [net(x) for x in mm.group(2).replace(",", " ").split()]
            tables[mm.group(1)] = [n for n in nets if n is not None]
            m.lists.append(("table <%s>" % mm.group(1),
                            tables[mm.group(1)], raw))
            continue
        mm = re.match(r"set timeout\s+\{(.*)\}|set timeout\s+(\S+)\s+(\d+)",
                      s)
        if mm:
            pairs = re.findall(r"(udp\.\w+)\s+(\d+)", mm.group(1) or
                               "%s %s" % (mm.group(2), mm.group(3)))
            for k, v in pairs:
                m.timeouts.append((k, int(v), raw))
            continue
        s = expand(s)
        if re.match(r"block(\s+(log|return|drop))*\s+(all|in)\b", s) and \
                " from " not in s and " proto " not in s:
            block = raw
            continue
        mm = re.match(r"pass in(?: log)?(?: quick)? (?:on (!\s*)?(\S+) )?"
                      r"(?:inet6? )?(?:proto (\S+) )?"
                      r"(?:from (\{[^}]*\}|\S+) )?(?:to (\{[^}]*\}|\S+))?",
                      s + " ")
        if not mm:
            continue
        family = 6 if re.search(r"\binet6\b", s) else \
            4 if re.search(r"\binet\b", s) else None
        pm = re.search(r"\bto (?:\{[^}]*\}|\S+) port (\S+)", s)
        ports = port_range(pm.group(1)) if pm else None
        iif = (bool(mm.group(1)), mm.group(2)) if mm.group(2) else None
        proto = proto_of(mm.group(3)) if mm.group(3) else ANY
        srcs = addr(mm.group(4)) if mm.group(4) else ANY
        dst = addr(mm.group(5)) if mm.group(5) else ANY
        state = None
        if "rdr-to" in s:
            m.add(raw, "dnat", "dnat", site["wan"], iif=iif, srcs=srcs,
                  proto=proto, dst=dst, family=family, ports=ports)
        for chain in ("forward", "input"):
            # A pass to the LAN's own addresses (IPv6) keeps its
            # destination in forward: it is a routed, not a redirected,
            # flow.
            fwd = dst if isinstance(dst, list) and "rdr-to" not in s \
                else ANY
            m.add(raw, chain, "accept", site["wan"], iif=iif, srcs=srcs,
                  proto=proto, dst=dst if chain == "input" else fwd,
                  state=state, family=family, ports=ports)
    if "no state" not in text:
        m.add("(pf keeps state for what it passes)", "input", "accept",
              site["wan"], state="established")
    for chain in ("forward", "input"):
        m.add(block or "(no 'block all': pf passes by default)", chain,
              "drop" if block else "accept", site["wan"], pseudo=True)
    return m
