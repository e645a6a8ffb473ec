#!/usr/bin/env python3
"""tests/golden/semantic.py: is what 'pinhole config' writes safe and right?

For every profile in profiles/ and every format, runs pinhole config with
the site options of tests/golden/run.sh, and with variants (a --report; a
profile with 100 source prefixes; reports whose check id carries a line
break and a command), reads each output back into rules (fwparse.py, one
parser per format) and checks the invariants:

  sip-alg          the SIP helper/ALG is off when a profile asks for it
  sources          inbound traffic only from the profile's [sources]: no
                   allow rule, later 'any' permit or default accept lets
                   other sources in from the WAN
  udp-timeout      no UDP timeout below the profile's minimum nor below the
                   platform's default (PLATFORM_DEFAULTS)
  router-address   a DNAT matches only the WAN address or traffic arriving
                   on the WAN, never the router's LAN address
  management       an output that replaces the ruleset and drops input
                   keeps established flows and the LAN side to the router
  report-injection nothing from --report reaches the output as a new
                   command line or a control character
  all-prefixes     every list of the provider's prefixes holds all of them

and, for a dual-stack site (an IPv4 and an IPv6 --lan; every profile of
profiles/ and tests/golden/profiles/), all of them and the IPv6 ones of
semantic6.py: ipv6-admits, ipv6-only-asked and ipv6-no-nat.

and the site options: unsafe ones refused (exit 2, a message naming the
option), --no-restrict-sources warned about on stderr.

Prints one FAIL line per (profile, format, variant, invariant) with the
offending output line, then "semantic: N outputs, N checks, N failed".
Exit 0 when nothing failed, 1 otherwise, 2 when it cannot run.
usage: tests/golden/semantic.py [-v]   (PINHOLE=path overrides the binary)
"""
import ipaddress
import json
import os
import re
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True         # no __pycache__ in the tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fwparse  # noqa: E402
from fwmodel import covered, not_expressed, parts, port_range  # noqa: E402
from semantic6 import INVARIANTS6, MUTATIONS6  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
PINHOLE = os.environ.get("PINHOLE",
                         os.path.join(ROOT, "build/src/client/pinhole"))
SITE = {"lan": ["192.168.1.0/24"], "wan": "wan0", "lan_if": "lan0",
        "forward": "192.168.1.10"}
SITE_ARGS = ["--lan", "192.168.1.0/24", "--wan", "wan0", "--lan-if", "lan0",
             "--forward", "192.168.1.10"]
# The dual-stack site of tests/golden/run.sh.
SITE_DUAL = dict(SITE, lan=["192.168.1.0/24", "2001:db8:1::/64"])
SITE_DUAL_ARGS = SITE_ARGS + ["--lan", "2001:db8:1::/64"]

# What each platform does with idle UDP when nothing is set: the output
# may raise these, never lower them.  Keys are those the parsers report.
PLATFORM_DEFAULTS = {
    # Linux conntrack: nf_conntrack_udp_timeout 30 s (unreplied),
    # nf_conntrack_udp_timeout_stream 120 s (replied; 180 before Linux
    # 5.0), Documentation/networking/nf_conntrack-sysctl.rst.  An nft
    # 'ct timeout' policy names the same two states.
    "nftables": {"unreplied": 30, "replied": 120},
    "iptables": {"unreplied": 30, "replied": 120},
    # OpenBSD pf.conf(5), "set timeout": udp.first 60, udp.single 30,
    # udp.multiple 60.
    "pf": {"udp.first": 60, "udp.single": 30, "udp.multiple": 60},
    # MikroTik manual, IP > Firewall > Connection tracking: udp-timeout
    # 10 s, udp-stream-timeout 3 min (RouterOS v6; newer v7 releases list
    # 30 s for udp-timeout, which the output sets above either way).
    "routeros": {"udp-timeout": 10, "udp-stream-timeout": 180},
    # VyOS runs Linux conntrack: the Linux figures ('udp other' and
    # 'udp stream'; VyOS's own default for stream is 180 s).
    "vyos": {"other": 30, "stream": 120},
    # Cisco IOS NAT command reference, 'ip nat translation udp-timeout':
    # 300 s.  Cisco ASA command reference, 'timeout udp': 0:02:00.
    "cisco": {"ios-udp": 300, "asa-udp": 120},
    # Junos Security configuration guide, "Protocol-Based Default
    # Timeout": UDP 1 minute (an application's inactivity-timeout).
    "junos": {"udp": 60},
    # FortiOS CLI reference, 'config system global', udp-idle-timer:
    # 180 s.  A session-ttl port entry for protocol 17 or a service's
    # session-ttl replaces it for those ports (not checked on a device).
    "fortios": {"udp": 180},
}

INJECT = {      # per format, a command that must never come from a report
    "nftables": 'include "/etc/passwd"',
    "iptables": "-I INPUT 1 -j ACCEPT",
    "pf": "pass in quick all",
    "routeros": "/ip firewall filter add chain=input action=accept",
    "vyos": "set firewall name WAN_IN default-action accept",
    "cisco": "permit ip any any",
    "junos": "set security policies default-policy permit-all",
    "fortios": "config firewall policy",
}


# ------------------------------------------------------------------ profile
def read_profile(path):
    """The parts of a profile the invariants need."""
    p = {"path": path, "sip_alg_off": False, "udp_min": 0, "sources": [],
         "inbound": False, "endpoints": []}
    ep = None
    section = None
    with open(path) as f:
        for line in f:
            line = line.split(";", 1)[0].strip()
            if not line:
                continue
            if line.startswith("["):
                section = line.strip("[]").strip()
                if section.startswith("endpoint"):
                    ep = {"proto": None, "ports": None, "dir": None}
                    p["endpoints"].append(ep)
                continue
            k, _, v = (x.strip() for x in line.partition("="))
            if section == "profile" and k == "name":
                p["name"] = v
            elif section == "requirements" and k == "sip-alg":
                p["sip_alg_off"] = v == "off"
            elif section == "requirements" and k == "udp-timeout-min":
                p["udp_min"] = int(v)
            elif section == "sources" and k == "allow":
                p["sources"].append(ipaddress.ip_network(v))
            elif section.startswith("endpoint") and k == "direction":
                p["inbound"] |= v in ("in", "both")
                ep["dir"] = v
            elif section.startswith("endpoint") and k == "proto":
                ep["proto"] = v
            elif section.startswith("endpoint") and k == "ports":
                ep["ports"] = port_range(v)
    p["in"] = [e for e in p["endpoints"] if e["dir"] in ("in", "both")]
    p["sources6"] = [n for n in p["sources"] if n.version == 6]
    return p


def report(checks):
    return json.dumps({"schema": "pinhole.report/1", "verdict": "fail",
                       "checks": [dict({"verdict": "fail", "summary": "",
                                        "evidence": {}, "remedy": ""}, **c)
                                  for c in checks]})


MEASURED = [
    {"id": "sip-alg.udp.5060", "summary": "Via rewritten"},
    {"id": "udp-timeout", "evidence": {"minimum_s": 120, "ports": [
        {"port": 3478, "unreplied_s": 20, "established_s": 30}]}},
    {"id": "nat.layers", "evidence": {"count": 2, "cgnat": False}},
]


def run(args):
    r = subprocess.run([PINHOLE, "config"] + args, capture_output=True,
                       text=True, timeout=30)
    return r.returncode, r.stdout, r.stderr


# --------------------------------------------------------------- invariants
def check_sip(m, prof, fail):
    if not prof["sip_alg_off"]:
        return
    bad = [line for ok, line in m.sip if not ok]
    if bad:
        fail(bad[0], "the SIP helper/ALG is left on or assigned")
    elif not m.sip and m.sip_na is None:
        fail("(nothing)", "no command switches the SIP helper/ALG off")


def check_sources(m, prof, fail):
    for part in parts(m):
        check_sources_of(part, prof, fail)


def check_sources_of(m, prof, fail):
    if not prof["sources"] or not prof["inbound"]:
        return
    for chain in ("forward", "acl-in"):
        for r in m.rules:
            if r.chain != chain:
                continue
            if r.action == "drop" and r.from_wan is not False and \
                    r.srcs is fwparse.ANY and r.proto is fwparse.ANY and \
                    r.state is None and r.dst is fwparse.ANY:
                break           # everything after it is dropped
            if r.action != "accept" or r.from_wan is False or \
                    r.state is not None or r.proto == "icmp":
                continue
            if not covered(r.srcs, prof["sources"]):
                fail(r.line, "%s lets sources other than the profile's "
                     "in from the WAN" % ("the default policy" if r.pseudo
                                          else "this %s rule" % chain))
                break


def check_timeout(m, prof, fail):
    defaults = PLATFORM_DEFAULTS[m.fmt]
    seen = set()
    for key, secs, line in m.timeouts:
        base = defaults.get(key)
        if base is None:
            fail(line, "a UDP timeout the test has no default for (%s)" % key)
            continue
        seen.add(key)
        value = base if secs is None else secs
        if value < base:
            fail(line, "%s %d s is below the platform's default %d s" %
                 (key, value, base))
        elif value < prof["udp_min"]:
            fail(line, "%s %d s is below the profile's minimum %d s" %
                 (key, value, prof["udp_min"]))
    for key, base in defaults.items():
        if key not in seen and base < prof["udp_min"] and \
                (m.fmt != "cisco" or key != "asa-udp" or
                 any(k == "asa-udp" for k, _, _ in m.timeouts)):
            fail("(%s not set)" % key, "the default %d s stays below the "
                 "profile's minimum %d s" % (base, prof["udp_min"]))


def check_router_address(m, prof, fail):
    lans = [ipaddress.ip_network(x) for x in SITE["lan"]]
    for r in m.rules:
        if r.chain != "dnat" or r.from_wan is True:
            continue
        if r.dst == "wan":
            continue
        if r.dst == "local" and covered(lans, r.dst_not):
            continue
        if isinstance(r.dst, list) and not any(
                d is None or any(d.overlaps(lan) for lan in lans)
                for d in r.dst):
            continue
        fail(r.line, "this DNAT also matches the router's own LAN address "
             "(LAN DNS, DHCP, management to the router go to the phone)")
        return


def check_management(m, prof, fail):
    for part in parts(m):
        check_management_of(part, prof, fail)


def check_management_of(m, prof, fail):
    if not m.replaces:
        return
    rules = [r for r in m.rules if r.chain == "input"]
    policy = next((r for r in rules if r.pseudo), None)
    if policy is None or policy.action != "drop":
        return
    est = any(r.action == "accept" and r.state == "established" and
              r.srcs is fwparse.ANY for r in rules)
    lans = [ipaddress.ip_network(x) for x in SITE["lan"]]
    lan = any(r.action == "accept" and r.state is None and
              r.proto is fwparse.ANY and r.dst is fwparse.ANY and
              (r.iif == (True, SITE["wan"]) or
               r.iif == (False, SITE["lan_if"]) or
               (r.iif is None and r.srcs is not fwparse.ANY and
                covered(lans, r.srcs)))
              for r in rules)
    if not est:
        fail(m.replaces, "replaces the ruleset and drops input, with no "
             "accept for established/related flows to the router")
    if not lan:
        fail(m.replaces, "replaces the ruleset and drops input, with no "
             "accept for the LAN side to the router (management)")


def check_prefixes(m, prof, fail):
    for part in parts(m):
        for version in (4, 6):
            check_prefixes_of(part, prof, version, fail)


def check_prefixes_of(m, prof, version, fail):
    """Each list of one family holds all the profile's prefixes of it."""
    want = set(n for n in prof["sources"] if n.version == version)
    if len(want) <= 1:
        return
    for label, nets, line in m.lists:
        have = set(n for n in nets if n is not None)
        if have & want and not want <= have:
            fail(line, "%s holds %d of the profile's %d prefixes" %
                 (label, len(have & want), len(want)))
            return


def parse(fmt, text, site):
    """The model of an output, with its NOT EXPRESSED comments and the
    text an IPv6 translation would be in."""
    fn, leader = fwparse.PARSERS[fmt]
    m = fn(text, site)
    m.leader = leader
    v6 = [x[3:] for x in text.splitlines() if x.startswith("#6 ")]
    m.not_expressed = not_expressed(text, leader) + \
        not_expressed("\n".join(v6), leader)
    m.text6 = "\n".join(v6) if v6 else "\n".join(
        x for x in text.splitlines() if not x.startswith("*nat"))
    return m


INVARIANTS = [
    ("sip-alg", check_sip),
    ("sources", check_sources),
    ("udp-timeout", check_timeout),
    ("router-address", check_router_address),
    ("management", check_management),
    ("all-prefixes", check_prefixes),
]


def code_set(text, leader):
    return {s for _, s in fwparse.code_lines(text, leader)}


def check_injection(text, baselines, leader, fail):
    known = set().union(*(code_set(b, leader) for b in baselines))
    for raw, s in fwparse.code_lines(text, leader):
        if s not in known and not (leader == "!" and s.startswith("remark")):
            fail(raw, "a line the output has only because of the report's "
                 "check id")
            return
    bad = re.search(r"[\x00-\x08\x0b-\x1f\x7f]", text)
    if bad:
        at = text.rfind("\n", 0, bad.start()) + 1
        fail(repr(text[at:text.find("\n", bad.start())]),
             "a control character from the report (%r)" % bad.group(0))


# Each invariant must be able to fail on every format: these edits of the
# ringio-ip-phones output (site options as above) each break one, and the
# self-test fails when an edit no longer applies or goes unnoticed.
MUTATIONS = [   # (format, old, new, the invariant that must then fail)
    ("nftables", "flush ruleset\n", "", "sip-alg"),
    ("nftables", "policy = { unreplied : 120", "policy = { unreplied : 20",
     "udp-timeout"),
    ("nftables", "oifname != $WAN ip saddr @provider4 ", "oifname != $WAN ",
     "sources"),
    ("nftables", "hook forward priority filter; policy drop;",
     "hook forward priority filter; policy accept;", "sources"),
    ("nftables", "ip daddr != @lan4 ", "", "router-address"),
    ("nftables", "\t\tiifname != $WAN accept\n", "", "management"),
    ("nftables", "ct state established,related accept\n\t\tct state "
     "invalid drop\n\t\tiifname != $WAN", "ct state invalid drop\n"
     "\t\tiifname != $WAN", "management"),
    ("iptables", "*raw\n", "", "sip-alg"),
    ("iptables", "udp_timeout=120", "udp_timeout=20", "udp-timeout"),
    ("iptables", ":FORWARD DROP", ":FORWARD ACCEPT", "sources"),
    ("iptables", "-d 192.168.1.10 -s 199.7.172.0/22", "-d 192.168.1.10",
     "sources"),
    ("iptables", "-A INPUT ! -i wan0 -j ACCEPT\n", "", "management"),
    ("pf", "udp.single 120", "udp.single 20", "udp-timeout"),
    ("pf", "from <provider> to ($wan)", "from any to ($wan)", "sources"),
    ("pf", "block log all\n", "", "sources"),
    ("pf", "from $lan to ($wan)", "from $lan to any", "router-address"),
    ("pf", "pass in on ! $wan from $lan\n", "", "management"),
    ("routeros", "service-port set sip disabled=yes",
     "service-port set sip disabled=no", "sip-alg"),
    ("routeros", "udp-timeout=2m", "udp-timeout=5s", "udp-timeout"),
    ("routeros", "in-interface=wan0 src-address-list=pinhole-provider "
     "dst-address", "in-interface=wan0 dst-address", "sources"),
    ("routeros", "chain=forward action=drop", "chain=forward action=log",
     "sources"),
    ("vyos", "modules sip disable", "modules sip", "sip-alg"),
    ("vyos", "udp other 120", "udp other 20", "udp-timeout"),
    ("vyos", "default-action drop", "default-action accept", "sources"),
    ("vyos", "firewall in name WAN_IN", "firewall out name WAN_IN",
     "sources"),
    ("cisco", "no ip nat service sip udp", "ip nat service sip udp",
     "sip-alg"),
    ("cisco", "permit udp 199.7.172.0 0.0.3.255", "permit udp any",
     "sources"),
    ("cisco", " class class-default\n  drop log\n", " class class-default\n"
     "  pass\n", "sources"),
    ("iptables", "! -d 192.168.1.0/24 ", "", "router-address"),
    ("routeros", "dst-address-list=!pinhole-lan ", "", "router-address"),
    ("junos", "set security alg sip disable\n", "", "sip-alg"),
    ("junos", "inactivity-timeout 120", "inactivity-timeout 30",
     "udp-timeout"),
    ("junos", "match source-address pinhole-provider",
     "match source-address any", "sources"),
    ("fortios", "set sip-helper disable", "set sip-helper enable",
     "sip-alg"),
    ("fortios", "set timeout 180", "set timeout 600\n            "
     "set timeout 30", "udp-timeout"),
    ("fortios", 'set srcaddr "pinhole-provider"', 'set srcaddr "all"',
     "sources"),
    ("fortios", 'set extintf "wan0"', 'set extintf "any"',
     "router-address"),
]


def mutate(t, outs, fmt, old, new, inv, prof, checks, site):
    what = "self-test %s %s <- %r" % (fmt, inv, old.strip()[:40])

    def mutant(fail):
        if old not in outs[fmt]:
            fail(old, "the edit no longer applies to the output: "
                 "update MUTATIONS")
            return
        found = []
        m = parse(fmt, outs[fmt].replace(old, new), site)
        checks[inv](m, prof, lambda line, msg: found.append(line))
        if not found:
            fail(new or "(removed)", "the edit went unnoticed by %s" % inv)
    t.check(what, mutant)


def self_test(t, fmts):
    path = os.path.join(ROOT, "tests/golden/profiles/dual-phones.ini")
    prof = read_profile(path)
    checks = dict(INVARIANTS + INVARIANTS6)
    outs = {f: run(["--profile", path, "--format", f] + SITE_DUAL_ARGS)[1]
            for f in fmts}
    for fmt, old, new, inv in MUTATIONS6:
        if fmt in outs:
            mutate(t, outs, fmt, old, new, inv, prof, checks, SITE_DUAL)
    path = os.path.join(ROOT, "profiles/ringio-ip-phones.ini")
    prof = read_profile(path)
    checks = dict(INVARIANTS)
    outs = {f: run(["--profile", path, "--format", f] + SITE_ARGS)[1]
            for f in fmts}
    for fmt, old, new, inv in MUTATIONS:
        if fmt in outs:
            mutate(t, outs, fmt, old, new, inv, prof, checks, SITE)


# ------------------------------------------------------------------- driver
class Tally:
    def __init__(self, verbose):
        self.verbose, self.outputs, self.checks, self.failed = verbose, 0, 0, 0

    def check(self, what, fn, *args):
        found = []
        fn(*args, lambda line, msg: found.append((line, msg)))
        self.checks += 1
        if found:
            self.failed += 1
            line, msg = found[0]
            more = " (+%d more)" % (len(found) - 1) if len(found) > 1 else ""
            line = line.strip()
            if len(line) > 160:
                line = line[:157] + "..."
            print("FAIL %s: %s%s: %s" % (what, msg, more, line))
        elif self.verbose:
            print("PASS %s" % what)


def formats():
    rc, out, err = run(["--list-formats"])
    if rc != 0:
        sys.exit("semantic: pinhole config --list-formats failed: " + err)
    return [line.split()[0] for line in out.splitlines() if line.strip()]


def many_prefixes(tmp):
    """ringio-ip-phones with 100 allow prefixes in [sources]."""
    src = open(os.path.join(ROOT, "profiles/ringio-ip-phones.ini")).read()
    allow = "".join("allow = 198.18.%d.0/24\n" % i for i in range(100))
    text = re.sub(r"(?m)^allow = .*\n", "", src)
    text = text.replace("[sources]\n", "[sources]\n" + allow)
    text = text.replace("name = ringio-ip-phones", "name = many-prefixes")
    path = os.path.join(tmp, "many-prefixes.ini")
    with open(path, "w") as f:
        f.write(text)
    return path


def semantic(t, tmp, fmts):
    profiles = sorted(os.path.join(ROOT, "profiles", x) for x in
                      os.listdir(os.path.join(ROOT, "profiles"))
                      if x.endswith(".ini"))
    measured = os.path.join(tmp, "measured.json")
    with open(measured, "w") as f:
        f.write(report(MEASURED))
    variants = [("base", []), ("report", ["--report", measured])]
    runs = [(p, v, a) for p in profiles for v, a in variants]
    runs.append((many_prefixes(tmp), "100-prefixes", []))
    for path, variant, extra in runs:
        prof = read_profile(path)
        for fmt in fmts:
            check_output(t, "%s %s %s" % (prof["name"], fmt, variant), prof,
                         fmt, SITE_ARGS + extra, SITE, INVARIANTS)
    dual(t, profiles, fmts)
    for path in profiles:
        prof = read_profile(path)
        for fmt in fmts:
            base = run(["--profile", path, "--format", fmt] + SITE_ARGS)[1]
            leader = fwparse.PARSERS[fmt][1]
            clean = os.path.join(tmp, "clean.json")
            with open(clean, "w") as f:
                f.write(report([{"id": "sip-alg.udp.5060"}]))
            with_clean = run(["--profile", path, "--format", fmt, "--report",
                              clean] + SITE_ARGS)[1]
            for brk, label in (("\n", "lf"), ("\r", "cr")):
                rep = os.path.join(tmp, "inject.json")
                with open(rep, "w") as f:
                    f.write(report([{"id": "sip-alg.udp.5060" + brk +
                                     INJECT[fmt]}]))
                rc, out, err = run(["--profile", path, "--format", fmt,
                                    "--report", rep] + SITE_ARGS)
                t.outputs += 1
                t.check("%s %s inject-%s report-injection" %
                        (prof["name"], fmt, label), check_injection,
                        out if rc == 0 else "", [base, with_clean], leader)


def dual(t, profiles, fmts):
    """A dual-stack site: every invariant, and the IPv6 ones."""
    here = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                        "profiles")
    profiles = profiles + sorted(os.path.join(here, x) for x in
                                 os.listdir(here) if x.endswith(".ini"))
    for path in profiles:
        prof = read_profile(path)
        for fmt in fmts:
            check_output(t, "%s %s dual" % (prof["name"], fmt), prof, fmt,
                         SITE_DUAL_ARGS, SITE_DUAL, INVARIANTS + INVARIANTS6)


def check_output(t, what, prof, fmt, args, site, invariants):
    """pinhole config for the profile with 'args', read back, checked."""
    rc, out, err = run(["--profile", prof["path"], "--format", fmt] + args)
    t.outputs += 1
    if rc != 0:
        t.check(what + " run", lambda fail: fail(
            err.strip().splitlines()[-1] if err.strip() else "",
            "pinhole config exited %d" % rc))
        return
    m = parse(fmt, out, site)
    for name, fn in invariants:
        t.check("%s %s" % (what, name), fn, m, prof)


def site_options(t, fmts):
    prof = os.path.join(ROOT, "profiles/ringio-ip-phones.ini")
    unsafe = [
        ("lan-0/0", ["--lan", "0.0.0.0/0", "--wan", "wan0",
                     "--forward", "192.168.1.10"], "--lan"),
        ("lan-public", ["--lan", "198.51.100.0/24", "--wan", "wan0"],
         "--lan"),
        ("forward-network", ["--lan", "192.168.1.0/24", "--wan", "wan0",
                             "--forward", "192.168.1.0"], "--forward"),
        ("forward-broadcast", ["--lan", "192.168.1.0/24", "--wan", "wan0",
                               "--forward", "192.168.1.255"], "--forward"),
        ("lan6-short", ["--lan", "192.168.1.0/24", "--lan", "2001:db8::/16",
                        "--wan", "wan0"], "--lan"),
        ("lan6-link-local", ["--lan", "fe80::/64", "--wan", "wan0"],
         "--lan"),
        ("lan6-0/0", ["--lan", "::/0", "--wan", "wan0"], "--lan"),
        ("forward6-outside", ["--lan", "2001:db8:1::/64", "--wan", "wan0",
                              "--forward", "2001:db8:2::10"], "--forward"),
    ]
    for name, args, opt in unsafe:
        rc, out, err = run(["--profile", prof, "--format", "nftables"] + args)
        t.outputs += 1

        def refused(fail, rc=rc, err=err, opt=opt, args=args):
            if rc != 2:
                fail(" ".join(args), "accepted (exit %d); must be refused "
                     "with exit 2" % rc)
            elif opt not in err:
                fail(err.strip(), "refused, but stderr does not name %s" %
                     opt)
        t.check("site %s refused" % name, refused)
    for fmt in fmts:
        rc, out, err = run(["--profile", prof, "--format", fmt,
                            "--no-restrict-sources"] + SITE_ARGS)
        t.outputs += 1

        def warned(fail, rc=rc, err=err):
            lines = [x for x in err.splitlines()
                     if "not expressed" not in x and
                     re.search(r"source|anywhere|--no-restrict", x, re.I)]
            if rc != 0:
                fail(err.strip(), "pinhole config exited %d" % rc)
            elif not lines:
                fail("--no-restrict-sources", "nothing on stderr warns that "
                     "inbound is open to every source")
        t.check("ringio-ip-phones %s no-restrict-sources warning" % fmt,
                warned)


def main():
    verbose = "-v" in sys.argv[1:]
    if not os.access(PINHOLE, os.X_OK):
        print("semantic: no pinhole at %s (build first, or set PINHOLE)" %
              PINHOLE, file=sys.stderr)
        return 2
    fmts = formats()
    missing = [f for f in fmts if f not in fwparse.PARSERS]
    t = Tally(verbose)
    for f in missing:
        t.check("%s parser" % f, lambda fail: fail(f, "no parser for this "
                                                   "format in fwparse.py"))
    fmts = [f for f in fmts if f in fwparse.PARSERS]
    with tempfile.TemporaryDirectory() as tmp:
        self_test(t, fmts)
        semantic(t, tmp, fmts)
        site_options(t, fmts)
    # As many outputs as the golden files hold at least (every profile in
    # every format), or the test compared less than it claims.
    here = os.path.dirname(os.path.abspath(__file__))
    oks = len([x for x in os.listdir(here) if x.endswith(".ok")])
    if t.outputs == 0 or t.outputs < oks or t.checks == 0:
        t.check("coverage", lambda fail: fail(
            "semantic", "%d outputs and %d checks, but %d golden files"
            % (t.outputs, t.checks, oks)))
    print("semantic: %d outputs, %d checks, %d failed" %
          (t.outputs, t.checks, t.failed))
    return 1 if t.failed else 0


if __name__ == "__main__":
    sys.exit(main())
