"""fwparse.py - reads the output of 'pinhole config' back into rules.

One function per format, registered in PARSERS.  Each turns the text into a
Model: the filter and NAT rules in order (Rule), the chain policies, how the
SIP helper or ALG is set, every UDP timeout the output sets, and every list
of prefixes it names.  The parsers know the subset of each language that
the generators write (plus the obvious alternatives a fix may use); what
they do not understand they leave out, and tests/golden/semantic.py checks
the invariants on what is left.

The model is in fwmodel.py, the parsers in fwparse_unix.py,
fwparse_vendor.py and fwparse_cisco.py.  Used by tests/golden/semantic.py; python3, standard
library only.
"""
from fwmodel import ANY, code_lines  # noqa: F401  (semantic.py uses them)
from fwparse_cisco import parse_cisco
from fwparse_unix import parse_iptables, parse_nftables, parse_pf
from fwparse_vendor import (parse_fortios, parse_junos, parse_routeros,
                            parse_vyos)

PARSERS = {
    "nftables": (parse_nftables, "#"),
    "iptables": (parse_iptables, "#"),
    "pf": (parse_pf, "#"),
    "routeros": (parse_routeros, "#"),
    "vyos": (parse_vyos, "#"),
    "cisco": (parse_cisco, "!"),
    "junos": (parse_junos, "#"),
    "fortios": (parse_fortios, "#"),
}

