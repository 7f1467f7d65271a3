#!/usr/bin/python3
"""Cross-check for docs/coverage.md: a few detections re-implemented by hand, outside Winnow, and compared
row for row with what `winnow hunt --format jsonl` returned for them.

Usage (from the repository root; needs libevtx's `evtxexport`: `apt-get install -y libevtx-utils`):

    node dist/cli.js hunt ../shared/data --content ../shared/content/security_content --no-pack \
      -d "Certutil exe certificate extraction" ... --format jsonl -o /tmp/rows.jsonl -q
    /usr/bin/python3 scripts/oracle/coverage-crosscheck.py /tmp/rows.jsonl ../shared/data

Endpoint.Processes records are built independently from SEMANTICS.md section 3 (EVTX through
`evtxexport -f xml`; XmlWinEventLog lines, NXLog/OTRF flat JSON in zip and tar.gz, and the nested JSON
rendering with the stdlib). Two readings follow Winnow's documented choices (docs/normalization.md) where
SEMANTICS.md is silent: a 4688 whose TargetUserName and SubjectUserName are both `-` has no user ("unknown"),
and the rebuilt 4688 `process` keeps trailing spaces of the arguments.
Each detection's where clause, by-fields and later stages are written out by hand below. Prints one line per
detection (identical=True when the row sets are equal) and the first differences; exit 1 on any difference.
"""
import html
import io
import json
import math
import os
import re
import statistics
import subprocess
import sys
import tarfile
import zipfile
from collections import defaultdict
from datetime import datetime, timezone


def base(p):
    if p is None:
        return None
    return re.split(r"[\\/]", p)[-1]


def first_token(s):
    s = s.strip()
    if s.startswith('"'):
        end = s.find('"', 1)
        return s[1:end] if end > 0 else s[1:]
    return s.split(" ")[0] if s else ""


def strip_domain(u):
    if u is None or u in ("", "-"):
        return None
    return u.split("\\")[-1]


def epoch(s):
    # '2022-03-10 20:23:24.125' or '2022-03-10T20:23:24.1269371Z'
    s = s.strip().rstrip("Z").replace("T", " ")
    m = re.match(r"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)(?:\.(\d+))?", s)
    t = datetime.strptime(m[1], "%Y-%m-%d %H:%M:%S").replace(tzinfo=timezone.utc).timestamp()
    if m[2]:
        t += float("0." + m[2])
    return t


def fill(r):
    for k in ("dest", "user", "process", "parent_process", "original_file_name"):
        if r.get(k) in (None, ""):
            r[k] = "unknown"
    if not r.get("process_name"):
        t = first_token(r["process"]) if r["process"] != "unknown" else ""
        r["process_name"] = base(t) if t else "unknown"
    if not r.get("parent_process_name"):
        t = first_token(r["parent_process"]) if r["parent_process"] != "unknown" else ""
        r["parent_process_name"] = base(t) if t else "unknown"
    if r.get("process_integrity_level"):
        r["process_integrity_level"] = r["process_integrity_level"].lower()
    return r


def sysmon(d, computer, src):
    g = lambda k: d.get(k) if d.get(k) not in ("",) else None
    ofn = g("OriginalFileName")
    return fill(
        {
            "_time": epoch(d["UtcTime"]),
            "dest": computer,
            "user": strip_domain(g("User")),
            "process": g("CommandLine"),
            "process_path": g("Image"),
            "process_name": base(g("Image")),
            "process_id": g("ProcessId"),
            "parent_process_id": g("ParentProcessId"),
            "process_guid": g("ProcessGuid"),
            "parent_process_guid": g("ParentProcessGuid"),
            "parent_process": g("ParentCommandLine"),
            "parent_process_path": g("ParentImage"),
            "parent_process_name": base(g("ParentImage")),
            "original_file_name": None if ofn == "-" else ofn,
            "process_hash": g("Hashes"),
            "process_integrity_level": g("IntegrityLevel"),
            "process_current_directory": g("CurrentDirectory"),
            "vendor_product": "Microsoft Sysmon",
            "_src": src,
        }
    )


def hexnorm(v):
    if v and re.match(r"^0x[0-9a-fA-F]+$", v):
        return "0x" + (v[2:].lstrip("0").lower() or "0")
    return v


def sec4688(d, computer, systime, src):
    g = lambda k: d.get(k) if d.get(k) not in ("",) else None
    npn = g("NewProcessName")
    cl = g("CommandLine")
    if cl is None:
        proc = npn
    elif "\\" in first_token(cl):
        proc = cl
    else:
        t = cl.lstrip()
        if t.startswith('"'):
            e = t.find('"', 1)
            args = t[e + 1 :] if e > 0 else ""
        else:
            sp = t.find(" ")
            args = t[sp:] if sp >= 0 else ""
        nm = f'"{npn}"' if npn and " " in npn else npn
        proc = nm + (" " + args.lstrip(" ") if args.strip() else "")
    user = g("TargetUserName")
    if user in (None, "-"):
        user = g("SubjectUserName")
    if user == "-":  # Winnow's reading (docs/normalization.md): a dash is no value
        user = None
    ppn = g("ParentProcessName")
    return fill(
        {
            "_time": epoch(systime),
            "dest": computer,
            "user": user,
            "process": proc,
            "process_path": npn,
            "process_name": base(npn),
            "process_id": hexnorm(g("NewProcessId")),
            "parent_process_id": hexnorm(g("ProcessId")),
            "parent_process": ppn,
            "parent_process_path": ppn,
            "parent_process_name": base(ppn),
            "vendor_product": "Microsoft Windows",
            "_src": src,
        }
    )


def from_xml_event(x, src):
    eid = int(re.search(r"<EventID[^>]*>(\d+)<", x)[1])
    prov = (re.search(r'<Provider Name=[\'"]([^\'"]*)', x) or [None, ""])[1]
    chan = (re.search(r"<Channel>(.*?)</Channel>", x) or [None, ""])[1]
    if not ((eid == 1 and ("Sysmon" in prov or "Sysmon" in chan)) or (eid == 4688 and ("Security" in prov or "Security" in chan))):
        return None
    comp = html.unescape(re.search(r"<Computer>(.*?)</Computer>", x)[1])
    d = {}
    for m in re.finditer(r"<Data Name=['\"]([^'\"]+)['\"](?:\s*/>|>(.*?)</Data>)", x, re.S):
        d[m[1]] = html.unescape(m[2]) if m[2] is not None else ""
    rid = re.search(r"<EventRecordID>(\d+)<", x)
    src = dict(src, record=int(rid[1]) if rid else None)
    if eid == 1:
        return sysmon(d, comp, src)
    st = re.search(r"<TimeCreated SystemTime=['\"]([^'\"]+)", x)[1]
    return sec4688(d, comp, st, src)


def from_flat(d, src):
    eid = int(d.get("EventID", -1))
    sn = str(d.get("SourceName", "")) + str(d.get("Channel", ""))
    if eid == 1 and "Sysmon" in sn:
        return sysmon({k: (str(v) if v is not None else None) for k, v in d.items()}, d.get("Hostname"), src)
    if eid == 4688 and "Security" in sn:
        t = d.get("TimeCreated") or d.get("@timestamp") or d.get("EventTime")
        return sec4688({k: (str(v) if v is not None else None) for k, v in d.items()}, d.get("Hostname"), t, src)
    return None


def read_all(root):
    """Every Sysmon 1 / Security 4688 event under root as a CIM record."""
    recs = []

    def out(r):
        if r:
            recs.append(r)

    for dirpath, _, files in sorted(os.walk(root)):
        for fn in sorted(files):
            p = os.path.join(dirpath, fn)
            rel = os.path.relpath(p, root)
            if fn.endswith(".evtx"):
                x = subprocess.run(["evtxexport", "-f", "xml", p], capture_output=True, text=True, errors="replace").stdout
                for ev in re.split(r"(?=<Event )", x)[1:]:
                    out(from_xml_event(ev, {"file": rel}))
            elif fn.endswith(".zip"):
                with zipfile.ZipFile(p) as z:
                    for n in z.namelist():
                        for i, line in enumerate(io.TextIOWrapper(z.open(n), encoding="utf-8"), 1):
                            if line.strip():
                                out(from_flat(json.loads(line), {"file": rel + "!" + n, "line": i}))
            elif fn.endswith(".tar.gz"):
                with tarfile.open(p) as t:
                    for m in t.getmembers():
                        if not m.isfile():
                            continue
                        for i, line in enumerate(io.TextIOWrapper(t.extractfile(m), encoding="utf-8"), 1):
                            if line.strip():
                                out(from_flat(json.loads(line), {"file": rel + "!" + m.name, "line": i}))
            elif fn.endswith(".json") and not fn.endswith(".expected.json"):
                txt = open(p, encoding="utf-8").read()
                if txt.lstrip().startswith("{") and "\n{" in txt and fn.startswith("derived"):
                    for i, line in enumerate(txt.splitlines(), 1):
                        if line.strip():
                            out(from_flat(json.loads(line), {"file": rel, "line": i}))
                else:  # nested rendering of the event XML (xp-rules)
                    ev = json.loads(txt)["Event"]
                    s = ev["System"]
                    data = {x["Name"]: x.get("text", x.get("#text", "")) for x in ev["EventData"]["Data"]}
                    eid = int(s["EventID"] if not isinstance(s["EventID"], dict) else s["EventID"]["text"])
                    if eid == 4688:
                        tc = s["TimeCreated"]
                        st = tc.get("SystemTime") if isinstance(tc, dict) else tc
                        out(sec4688(data, s["Computer"], st, {"file": rel}))
            elif fn.endswith(".log") or fn.endswith(".raw"):
                for i, line in enumerate(open(p, encoding="utf-8", newline=""), 1):
                    if line.startswith("<Event"):
                        out(from_xml_event(line, {"file": rel, "line": i}))
    return recs


ROWS = sys.argv[1] if len(sys.argv) > 1 else "rows.jsonl"
ROOT = sys.argv[2] if len(sys.argv) > 2 else "../shared/data"
R = read_all(ROOT)
W = defaultdict(list)
for line in open(ROWS, encoding="utf-8"):
    row = json.loads(line)
    W[row["detection"]].append(row)


def wc(pat, v):
    """Splunk search/tstats equality: case-insensitive, whole value, `*` = any run of characters."""
    if v is None:
        return False
    rx = "^" + ".*".join(re.escape(p) for p in pat.split("*")) + "$"
    return re.match(rx, v, re.I | re.S) is not None


def ctime(t):
    """security_content_ctime: %Y-%m-%dT%H:%M:%S in UTC, seconds truncated."""
    return datetime.fromtimestamp(math.floor(t), timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")


def tstats(records, pred, by, count=True):
    """tstats [count] min(_time) as firstTime max(_time) as lastTime where pred by ... (fillnull_value=null)."""
    g = {}
    for r in records:
        if not pred(r):
            continue
        key = tuple(r.get(f) if r.get(f) is not None else "null" for f in by)
        a = g.setdefault(key, {"count": 0, "min": r["_time"], "max": r["_time"]})
        a["count"] += 1
        a["min"] = min(a["min"], r["_time"])
        a["max"] = max(a["max"], r["_time"])
    rows = []
    for key, a in g.items():
        row = dict(zip(by, key))
        if count:
            row["count"] = a["count"]
        row["firstTime"], row["lastTime"] = ctime(a["min"]), ctime(a["max"])
        row["_min"], row["_max"] = a["min"], a["max"]
        rows.append(row)
    return rows


def mv(x):
    """A value as a sorted list of strings: a one-value multivalue field and a plain value compare equal."""
    return json.dumps(sorted(map(str, x)) if isinstance(x, list) else [str(x)])


FAILED = []


def compare(name, mine, cols):
    key = lambda r: tuple(mv(r.get(c)) for c in cols)
    a, b = sorted(map(key, mine)), sorted(map(key, W[name]))
    print(f"{name}: hand {len(a)} rows, winnow {len(b)} rows, identical={a == b}")
    if a != b:
        FAILED.append(name)
        for x in sorted(set(a) - set(b))[:5]:
            print("  only by hand", x)
        for x in sorted(set(b) - set(a))[:5]:
            print("  only winnow ", x)


TIMES = ["firstTime", "lastTime"]
P = ["dest", "user", "parent_process_name", "process_name", "process", "process_id", "parent_process_id"]

# Remote Process Instantiation via WinRM and Winrs (SEMANTICS.md section 1)
m = tstats(
    R,
    lambda r: (wc("winrs.exe", r["process_name"]) or wc("winrs.exe", r["original_file_name"]))
    and (wc("*-r:*", r["process"]) or wc("*-remote:*", r["process"])),
    P,
)
compare("Remote Process Instantiation via WinRM and Winrs", m, P + ["count"] + TIMES)

# Certutil exe certificate extraction
by = ["dest", "user", "parent_process", "parent_process_name", "process_name", "process", "process_id", "parent_process_id"]
m = tstats(R, lambda r: wc("certutil.exe", r["process_name"]) and wc("*-exportPFX*", r["process"]), by)
compare("Certutil exe certificate extraction", m, by + ["count"] + TIMES)

# Detect Renamed PSExec: != needs the field; process_name always has a value after the CIM fill
by = P + ["original_file_name"]
m = tstats(
    R,
    lambda r: not wc("psexec.exe", r["process_name"])
    and not wc("psexec64.exe", r["process_name"])
    and wc("psexec.c", r["original_file_name"]),
    by,
)
compare("Detect Renamed PSExec", m, by + ["count"] + TIMES)

# System User Discovery With Whoami
by = ["dest", "user", "parent_process", "process_name", "process", "process_id", "parent_process_id"]
m = tstats(R, lambda r: wc("whoami.exe", r["process_name"]), by)
compare("System User Discovery With Whoami", m, by + ["count"] + TIMES)

# CMD Carry Out String Command Parameter: `process_cmd` AND process="* /c*", no count
by = ["dest", "user", "parent_process_name", "parent_process", "process_name", "original_file_name", "process"]
by += ["process_id", "parent_process_id"]
m = tstats(
    R,
    lambda r: (wc("cmd.exe", r["process_name"]) or wc("Cmd.Exe", r["original_file_name"])) and wc("* /c*", r["process"]),
    by,
    count=False,
)
compare("CMD Carry Out String Command Parameter", m, by + TIMES)

# Linux Service Started Or Enabled (NOT f=v also matches records without f: `os` is never set)
by = P + ["process_guid"]
m = tstats(
    R,
    lambda r: (
        any(wc(p, r["process_name"]) for p in ("systemctl", "service"))
        or any(wc(p, r["process"]) for p in ("*systemctl *", "*service *"))
    )
    and any(wc(p, r["process"]) for p in ("* start *", "* enable *"))
    and not (wc("Microsoft Windows", r.get("os")) or wc("Microsoft Windows", r.get("vendor_product"))),
    by,
)
compare("Linux Service Started Or Enabled", m, by + ["count"] + TIMES)

# Detect Rare Executables: dc(dest) values(dest) values(user) min max by process_name | search dc_dest < 10
g = {}
for r in R:
    a = g.setdefault(r["process_name"], {"dest": set(), "user": set(), "min": r["_time"], "max": r["_time"]})
    a["dest"].add(r["dest"])
    a["user"].add(r["user"])
    a["min"], a["max"] = min(a["min"], r["_time"]), max(a["max"], r["_time"])
m = [
    {"process_name": k, "dc_dest": len(a["dest"]), "dest": sorted(a["dest"]), "user": sorted(a["user"]),
     "firstTime": ctime(a["min"]), "lastTime": ctime(a["max"])}
    for k, a in g.items()
    if len(a["dest"]) < 10
]
compare("Detect Rare Executables", m, ["process_name", "dc_dest", "dest", "user"] + TIMES)

# Unusually Long Command Line: tstats by user dest process_name process | eval processlen=len(process)
# | eventstats stdev(processlen) avg(processlen) by dest | stats max(processlen) as maxlen ... | where maxlen > 3*stdev+avg
t = tstats(R, lambda r: True, ["user", "dest", "process_name", "process"])
lens = defaultdict(list)
for r in t:
    lens[r["dest"]].append(len(r["process"]))
st = {d: (statistics.stdev(v) if len(v) > 1 else None, statistics.mean(v)) for d, v in lens.items()}
m = [
    {"dest": r["dest"], "user": r["user"], "process_name": r["process_name"], "process": r["process"],
     "maxlen": len(r["process"])}
    for r in t
    if st[r["dest"]][0] is not None and len(r["process"]) > 3 * st[r["dest"]][0] + st[r["dest"]][1]
]
compare("Unusually Long Command Line", m, ["dest", "user", "process_name", "process", "maxlen"])

# Windows Privilege Escalation Suspicious Process Elevation: outer tstats (the parent, renamed to parent_*)
# joined on dest + its process_guid = the child's parent_process_guid, kept when the child's level is higher.
# (`user != elevated_user` is null: there is no elevated_user field.)
SYS_USERS = ["*SYSTEM", "*LOCAL SERVICE", "*NETWORK SERVICE", "DWM-*", "*$"]
PATHS = [r"*\\*", r"*\Users\*", r"*\Temp\*", r"*\ProgramData\*"]


def level(s):
    return next((n for w, n in (("low", 1), ("medium", 2), ("high", 3), ("system", 4)) if s and w in s), 0)


outer = tstats(
    R,
    lambda r: r.get("process_integrity_level") in ("low", "medium", "high")
    and not any(wc(p, r["user"]) for p in SYS_USERS),
    ["dest", "user", "parent_process_guid", "parent_process", "parent_process_name", "process_name", "process",
     "process_path", "process_guid", "process_integrity_level", "process_current_directory"],
)
sub = tstats(
    R,
    lambda r: (r.get("process_integrity_level") == "system" and not any(wc(p, r["user"]) for p in SYS_USERS))
    or (
        r.get("process_integrity_level") in ("high", "system")
        and any(wc(p, r.get("parent_process_path")) or wc(p, r.get("process_path")) for p in PATHS)
    ),
    ["dest", "user", "parent_process_guid", "process_name", "process", "process_path", "process_integrity_level",
     "process_current_directory"],
)
m = []
for o in outer:
    for s in sub:
        if s["dest"] == o["dest"] and s["parent_process_guid"] == o["process_guid"]:
            if level(s["process_integrity_level"]) > level(o["process_integrity_level"]):
                m.append({"dest": o["dest"], "user": s["user"], "src_user": o["user"],
                          "parent_process_name": o["process_name"], "parent_process_guid": o["process_guid"],
                          "process_name": s["process_name"], "process_guid": None,
                          "orig_parent_process_guid": o["parent_process_guid"],
                          "firstTime": o["firstTime"], "lastTime": ctime(s["_max"]), "count": s["count"]})
compare("Windows Privilege Escalation Suspicious Process Elevation", m,
        ["dest", "user", "src_user", "parent_process_name", "parent_process_guid", "process_name",
         "orig_parent_process_guid", "firstTime", "lastTime", "count"])

sys.exit(1 if FAILED else 0)
