"""A strict reader of the Prometheus text exposition format, version 0.0.4,
for pinholed's metrics (python3 stdlib only).

usage: promcheck.py FILE
Reads FILE (an exposition), checks it and prints each series as
'name{label="value",...} value' with the labels sorted, one a line; on
the first error, says where and what on stderr and exits 1.

Checked: metric and label names; the label syntax and escapes; values
(floats, +Inf, -Inf, NaN); one HELP and one TYPE per metric, before its
samples, with a known type; each metric's samples together; no series
twice; counters named *_total, never negative; histograms with le on
every bucket, cumulative buckets ending at +Inf equal to _count, and a
_sum; pinholed's policy: every name starts pinholed_, and no label could
name a client (address, port, token, id, session, user).
"""
import math, re, sys

NAME = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*$")
LABEL = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*$")
TYPES = {"counter", "gauge", "histogram", "summary", "untyped"}
CLIENT_LABELS = {"addr", "address", "ip", "client", "peer", "source",
                 "src", "port", "token", "id", "session", "user", "host",
                 "instance_ip", "remote"}


class Bad(Exception):
    pass


def parse_value(s):
    if s in ("+Inf", "Inf"):
        return math.inf
    if s == "-Inf":
        return -math.inf
    if s == "NaN":
        return math.nan
    if not re.fullmatch(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?", s):
        raise Bad("bad value %r" % s)
    return float(s)


def parse_labels(s, i):
    """s[i] == '{'; returns (labels, index after '}')."""
    labels = {}
    i += 1
    while True:
        if i < len(s) and s[i] == "}":
            return labels, i + 1
        m = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*").match(s, i)
        if not m:
            raise Bad("bad label name at column %d" % (i + 1))
        name = m.group(0)
        i = m.end()
        if s[i:i + 2] != '="':
            raise Bad("want =\" after label %s" % name)
        i += 2
        val = []
        while True:
            if i >= len(s):
                raise Bad("unterminated label value")
            c = s[i]
            if c == "\\":
                if i + 1 >= len(s) or s[i + 1] not in '\\"n':
                    raise Bad("bad escape in label %s" % name)
                val.append({"\\": "\\", '"': '"', "n": "\n"}[s[i + 1]])
                i += 2
                continue
            if c == '"':
                i += 1
                break
            if c == "\n":
                raise Bad("newline in label value")
            val.append(c)
            i += 1
        if name.startswith("__"):
            raise Bad("reserved label name %s" % name)
        if name in labels:
            raise Bad("label %s twice" % name)
        labels[name] = "".join(val)
        if i < len(s) and s[i] == ",":
            i += 1
        elif i < len(s) and s[i] == "}":
            continue
        else:
            raise Bad("want , or } after label %s" % name)


def family_of(name, types):
    for suf in ("_bucket", "_sum", "_count"):
        if name.endswith(suf) and types.get(name[:-len(suf)]) in (
                "histogram", "summary"):
            return name[:-len(suf)]
    return name


def check(text):
    if text and not text.endswith("\n"):
        raise Bad("the last line has no newline")
    helps, types, seen, series, done = {}, {}, set(), [], set()
    current = None
    hist = {}
    for no, line in enumerate(text.split("\n")[:-1], 1):
        try:
            if line == "":
                continue
            if line.startswith("#"):
                parts = line.split(None, 3)
                if len(parts) >= 3 and parts[1] in ("HELP", "TYPE"):
                    name = parts[2]
                    if not NAME.match(name):
                        raise Bad("bad metric name %r" % name)
                    table = helps if parts[1] == "HELP" else types
                    if name in table:
                        raise Bad("second %s of %s" % (parts[1], name))
                    if name in done or (current and current != name and
                                        name in seen):
                        raise Bad("%s of %s after its samples" %
                                  (parts[1], name))
                    if parts[1] == "TYPE":
                        if len(parts) != 4 or parts[3] not in TYPES:
                            raise Bad("bad TYPE line")
                        types[name] = parts[3]
                    else:
                        if len(parts) != 4 or not parts[3].strip():
                            raise Bad("empty HELP")
                        helps[name] = parts[3]
                    if current is not None and current != name:
                        done.add(current)
                    current = name
                continue
            m = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*").match(line)
            if not m:
                raise Bad("bad metric name")
            name = m.group(0)
            i = m.end()
            labels = {}
            if i < len(line) and line[i] == "{":
                labels, i = parse_labels(line, i)
            rest = line[i:]
            if not rest.startswith(" "):
                raise Bad("want a space before the value")
            fields = rest.split()
            if len(fields) not in (1, 2):
                raise Bad("want a value and at most a timestamp")
            value = parse_value(fields[0])
            if len(fields) == 2 and not re.fullmatch(r"-?\d+", fields[1]):
                raise Bad("bad timestamp")
            fam = family_of(name, types)
            if fam not in types or fam not in helps:
                raise Bad("%s has no TYPE or no HELP before it" % fam)
            if fam in done or fam != current:
                raise Bad("%s's samples are not together" % fam)
            if not fam.startswith("pinholed_"):
                raise Bad("%s is not pinholed_*" % fam)
            bad = CLIENT_LABELS & set(labels)
            if bad:
                raise Bad("label %s could name a client" % sorted(bad)[0])
            key = name + "{" + ",".join(
                '%s="%s"' % (k, labels[k]) for k in sorted(labels)) + "}"
            if key in seen:
                raise Bad("series %s twice" % key)
            seen.add(key)
            seen.add(fam)
            t = types[fam]
            if t == "counter":
                if not name.endswith("_total"):
                    raise Bad("counter %s not named *_total" % name)
                if not value >= 0:
                    raise Bad("counter %s negative" % name)
            if t == "histogram":
                rest_l = tuple(sorted((k, v) for k, v in labels.items()
                                      if k != "le"))
                h = hist.setdefault((fam, rest_l), {"b": []})
                if name == fam + "_bucket":
                    if "le" not in labels:
                        raise Bad("bucket without le")
                    h["b"].append((parse_value(labels["le"]), value))
                elif name == fam + "_sum":
                    h["sum"] = value
                elif name == fam + "_count":
                    h["count"] = value
                else:
                    raise Bad("%s in histogram %s" % (name, fam))
            series.append((key, value))
        except Bad as e:
            raise Bad("line %d: %s: %s" % (no, e, line[:120]))
    for (fam, lab), h in hist.items():
        b = h["b"]
        if not b or b[-1][0] != math.inf:
            raise Bad("%s%s: no +Inf bucket last" % (fam, lab))
        if any(b[i][0] >= b[i + 1][0] or b[i][1] > b[i + 1][1]
               for i in range(len(b) - 1)):
            raise Bad("%s%s: buckets not increasing" % (fam, lab))
        if "count" not in h or "sum" not in h or h["count"] != b[-1][1]:
            raise Bad("%s%s: _count or _sum missing or wrong" % (fam, lab))
    if not series:
        raise Bad("no series")
    return series


def main():
    try:
        with open(sys.argv[1], encoding="utf-8") as f:
            series = check(f.read())
    except (Bad, UnicodeDecodeError) as e:
        print("promcheck: %s" % e, file=sys.stderr)
        return 1
    for key, value in series:
        shown = (int(value) if math.isfinite(value) and
                 value == int(value) else repr(value))
        print("%s %s" % (key.replace("{}", ""), shown))
    return 0


if __name__ == "__main__":
    sys.exit(main())
