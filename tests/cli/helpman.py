#!/usr/bin/env python3
"""helpman.py PINHOLE PINHOLED MANDIR: --help and the man pages say the same.

For each program (and for `pinhole config`), it reads the options listed by
--help and the options documented in the man page's section for them, and
fails when
  - an option is in one and not the other;
  - an option's names (short and long) or its argument differ;
  - their descriptions differ in substance: --help gives a number the man
    page does not, the man page gives a limit, range or default ("up to
    8", "1 to 60", "2 by default") that --help does not, "repeatable" is
    in one only, or they name different firewall formats (any case) or
    check families (as written in the code, lower case);
  - a synopsis line of a command lists other options in --help than in the
    man page's SYNOPSIS.
Prints "ok - ..." or "not ok - ..." per comparison; exits 1 on any failure.
"""
import re
import subprocess
import sys

OPT = r"--?(?:[A-Za-z]|[46](?![0-9]))[A-Za-z0-9-]*"


def run(*argv, ok=(0,)):
    p = subprocess.run(argv, capture_output=True, text=True, timeout=10)
    if p.returncode not in ok:
        sys.exit("%s exited %d: %s" % (" ".join(argv), p.returncode, p.stderr))
    return p.stdout + p.stderr


def numbers(text):
    """Numbers as facts: '1-60' and '1 to 60' both give {1, 60}."""
    return set(re.findall(r"(?<![\w.])\d+(?:\.\d+)?(?![\w])", text))


N = r"(\d+(?:\.\d+)?)"
FACTS = [r"up to " + N, r"at most " + N, N + r" to " + N, N + r"-" + N,
         r"default:? " + N, N + r" by default", N + r" unless given"]


def facts(text):
    """The limits, ranges and defaults a description states."""
    out = set()
    for pat in FACTS:
        for m in re.finditer(pat, text):
            out |= set(m.groups())
    return out


def terms(text, vocab):
    """vocab: {term: case-insensitive?}"""
    return {t for t, icase in vocab.items()
            if re.search(r"(?<![\w-])" + re.escape(t) + r"(?![\w-])",
                         text.lower() if icase else text)}


def opt_names(tokens):
    """'-dhnSV' is five short options."""
    out = set()
    for t in tokens:
        if re.fullmatch(r"-[A-Za-z]{2,}", t):
            out |= {"-" + c for c in t[1:]}
        else:
            out.add(t)
    return out


# --- --help -----------------------------------------------------------------

def help_parse(text, prog):
    """Returns (synopsis lines as (command, options)), {option: entry}."""
    synopsis, entries, cur = [], {}, None
    lines = text.splitlines()
    i = 0
    while i < len(lines) and not lines[i].startswith("usage:"):
        i += 1
    while i < len(lines) and lines[i].strip() and \
            not re.match(r"^ {2,6}-", lines[i]):
        line = lines[i].replace("usage:", "      ", 1)
        m = re.match(r"\s+" + re.escape(prog) + r"(?:\s+([a-z]+))?(.*)", line)
        if m and line.strip().startswith(prog):
            cmd = m.group(1) if m.group(1) and not m.group(1).startswith("-") \
                else ""
            synopsis.append([cmd, m.group(2)])
        elif synopsis:
            synopsis[-1][1] += " " + line
        i += 1
    synopsis = [(c, opt_names(re.findall(r"(?<![\w-])" + OPT, re.sub(
        r"\(see .*?\)", "", rest)))) for c, rest in synopsis]
    for line in lines[i:]:
        m = re.match(r"^ {2,6}(%s(?:,\s*%s)*)(.*)$" % (OPT, OPT), line)
        if m:
            names = set(re.findall(OPT, m.group(1)))
            rest = m.group(2).strip()
            parts = re.split(r"\s{2,}", rest, maxsplit=1)
            arg, desc = (parts[0], parts[1]) if len(parts) == 2 else \
                (parts[0], "") if re.fullmatch(r"[A-Z][A-Z|\[\]:a-z]*|"
                                               r"[a-z]+\|[a-z|]+", parts[0]) \
                else ("", parts[0])
            cur = {"names": names, "arg": arg, "desc": desc}
            for n in names:
                entries[n] = cur
        elif cur is not None and re.match(r"^ {7,}[^ -]", line):
            cur["desc"] += " " + line.strip()
        else:
            cur = None
    return synopsis, entries


# --- man pages --------------------------------------------------------------

def roff_text(s):
    s = re.sub(r"\\f[BIRP]", "", s)
    s = s.replace("\\-", "-").replace("\\(em", "-").replace("\\ ", " ")
    s = re.sub(r"^\.(?:B|I|BR|BI|IB|RB|RI|IR)\s+", "", s)
    return s.replace('"', "")


def man_sections(path):
    secs, name = {}, None
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if line.startswith(".SH "):
            name = line[4:].strip('"')
            secs[name] = []
        elif name is not None:
            secs[name].append(line)
    return secs


def man_entries(lines):
    entries, cur, tag_next = {}, None, False
    for line in lines:
        if line in (".TP", ".TQ"):
            tag_next = True
            continue
        if tag_next:
            tag_next = False
            tag = roff_text(line)
            toks = re.split(r"[\s,]+", tag.strip())
            names = {t for t in toks if re.fullmatch(OPT, t)}
            if not names:
                cur = None
                continue
            arg = " ".join(t for t in toks if t and t not in names)
            cur = {"names": names, "arg": arg, "desc": ""}
            for n in names:
                entries[n] = cur
            continue
        if line.startswith((".PP", ".SH", ".SS", ".IP")):
            cur = None
        elif cur is not None and not line.startswith((".br", ".RS", ".RE")):
            cur["desc"] += " " + roff_text(line)
    return entries


def man_synopsis(lines, prog):
    chunks, cur = [], []
    for line in lines:
        if line == ".br":
            chunks.append(cur)
            cur = []
        else:
            cur.append(roff_text(line))
    chunks.append(cur)
    out = []
    for c in chunks:
        text = " ".join(c)
        m = re.match(re.escape(prog) + r"(?:\s+([a-z]+))?(.*)", text.strip())
        if m:
            out.append((m.group(1) or "",
                        opt_names(re.findall(r"(?<![\w-])" + OPT, m.group(2)))))
    return out


# --- comparisons ------------------------------------------------------------

failed = False


def report(ok, what):
    global failed
    print(("ok - " if ok else "not ok - ") + what)
    failed |= not ok


def norm_arg(a):
    return re.sub(r"\s+", "", a).upper()


def compare_entries(label, hlp, man, vocab, both_ways=True):
    hopts = {id(e): e for e in hlp.values()}.values()
    mopts = {id(e): e for e in man.values()}.values()
    for e in hopts:
        name = sorted(e["names"], key=len)[-1]
        m = man.get(name)
        if m is None:
            report(False, "%s: %s is in --help, not in the man page" % (label, name))
            continue
        problems = []
        # A man page may document --color and --no-color in one entry.
        shorts = lambda names: {n for n in names if not n.startswith("--")}
        if not e["names"] <= m["names"] or shorts(e["names"]) != shorts(m["names"]):
            problems.append("names %s vs %s" % (sorted(e["names"]), sorted(m["names"])))
        if norm_arg(m["arg"]) != norm_arg(e["arg"]):
            problems.append("argument '%s' vs '%s'" % (e["arg"], m["arg"]))
        hn, mn = numbers(e["desc"]), numbers(m["desc"])
        if not hn <= mn:
            problems.append("numbers %s in --help, not in the man page" %
                            sorted(hn - mn))
        mf = facts(m["desc"])
        if not mf <= hn:
            problems.append("limits, ranges or defaults %s in the man page, "
                            "not in --help" % sorted(mf - hn))
        hr, mr = "repeatable" in e["desc"].lower(), "repeatable" in m["desc"].lower()
        if hr != mr:
            problems.append("'repeatable' only in %s" % ("--help" if hr else "the man page"))
        ht, mt = terms(e["desc"], vocab), terms(m["desc"], vocab)
        if ht != mt:
            problems.append("names %s in --help, %s in the man page" %
                            (sorted(ht), sorted(mt)))
        report(not problems, "%s: %s%s" % (label, name,
                                           (": " + "; ".join(problems)) if problems else ""))
    if both_ways:
        for m in mopts:
            if not any(n in hlp for n in m["names"]):
                report(False, "%s: %s is in the man page, not in --help" %
                       (label, sorted(m["names"])[-1]))


def compare_synopsis(label, hsyn, msyn):
    for cmd, opts in hsyn:
        ok = any(c == cmd and o == opts for c, o in msyn)
        report(ok, "%s: synopsis of '%s' %s%s" % (
            label, cmd or label, sorted(opts),
            "" if ok else " differs from the man page's %s" %
            [sorted(o) for c, o in msyn if c == cmd]))


def main():
    pinhole, pinholed, mandir = sys.argv[1:4]
    formats = [l.split()[0] for l in run(pinhole, "config", "--list-formats").splitlines()
               if l.strip()]
    skip_err = run(pinhole, "check", "--skip", "none-such", ok=(2,))
    m = re.search(r"\(([a-z, -]+)\)", skip_err)
    families = [f.strip() for f in m.group(1).split(",")] if m else []
    report(len(formats) >= 8 and len(families) >= 6,
           "the vocabulary: formats %s, families %s" % (formats, families))
    vocab = {f: True for f in formats}
    vocab.update({f: False for f in families})

    p1 = man_sections(mandir + "/pinhole.1")
    p8 = man_sections(mandir + "/pinholed.8")
    man_opts = man_entries(p1["OPTIONS"])
    man_cfg = man_entries(p1["FIREWALL CONFIGURATION"])
    man_syn = man_synopsis(p1["SYNOPSIS"], "pinhole")

    main_syn, main_opts = help_parse(run(pinhole, "--help"), "pinhole")
    compare_entries("pinhole --help", main_opts, man_opts, vocab)
    compare_synopsis("pinhole --help", main_syn, man_syn)
    for cmd in ("check", "nat"):
        syn, opts = help_parse(run(pinhole, cmd, "--help"), "pinhole")
        compare_entries("pinhole %s --help" % cmd, opts, man_opts, vocab,
                        both_ways=False)
    cfg_syn, cfg_opts = help_parse(run(pinhole, "config", "--help"), "pinhole")
    compare_entries("pinhole config --help", cfg_opts, man_cfg, vocab)
    compare_synopsis("pinhole config --help", cfg_syn, man_syn)
    for cmd, opts in man_syn:
        ok = any(c == cmd and o == opts for c, o in main_syn + cfg_syn)
        report(ok, "pinhole(1): synopsis of '%s' %s is in a --help" % (cmd, sorted(opts)))

    d_syn, d_opts = help_parse(run(pinholed, "--help"), "pinholed")
    compare_entries("pinholed --help", d_opts, man_entries(p8["OPTIONS"]), vocab)
    compare_synopsis("pinholed --help", d_syn, man_synopsis(p8["SYNOPSIS"], "pinholed"))
    sys.exit(1 if failed else 0)


main()
