#!/usr/bin/python3
"""Builds the EVTX oracle fixtures: what python-evtx and libevtx agree on, in SEMANTICS.md rendering.

Usage (from the repository root, with the Debian oracles installed:
`apt-get update && apt-get install -y python3-evtx libevtx-utils`):

    /usr/bin/python3 scripts/oracle/evtx-oracle.py ../shared/data test/fixtures/evtx/oracle

For each file in FILES, every record is decoded by python-evtx 0.6.1 (`Evtx.Evtx`, the library behind
`evtx_dump.py`) and by libevtx (`evtxexport -m all -f xml`). Both renderings are normalized to
SEMANTICS.md §3 ("How EVTX values are rendered as text"):
  - zero-padded hex (`0x0000000000000fa8`, 8 or 16 digits) -> `0xfa8`;
  - python-evtx times (`2021-12-07 14:54:22.071562`, microseconds) and libevtx times
    (`2021-12-07T14:54:22.071562500Z`) -> `2021-12-07T14:54:22.0715625Z` (libevtx's 100 ns digits, kept
    only if python-evtx's microseconds agree within 4, since python-evtx converts through a float);
  - GUIDs upper-case; python-evtx `True`/`False` -> `true`/`false`; python-evtx base64 binary -> hex.
Event data is flattened like Winnow does (docs/evtx.md): every leaf element under EventData/UserData,
keyed by its Name attribute or element name, repeated keys suffixed 1, 2, ...

Only fields on which both oracles agree are written; disagreements are counted per field in the
fixture's `disagreements` so a reader can see what was left out and why. Records that only libevtx
prints (its recovered records, `-m all`) are written from libevtx alone, marked `"only": "libevtx"`.
"""
import base64
import binascii
import gzip
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import Evtx.Evtx as evtx

FILES = [
    "evtx-attack-samples/LM_sysmon_psexec_smb_meterpreter.evtx",
    "evtx-to-mitre-attack/ID4688_4697_5140-5145_PSexec_remote_execution_+_admin_share.evtx",
    "evtx-rs-samples/security.evtx",
    "evtx-rs-samples/sysmon.evtx",
    "evtx-rs-samples/Application_no_crc32.evtx",
    "evtx-rs-samples/sample_with_a_bad_chunk_magic.evtx",
    "evtx-rs-samples/sample-with-zero-data-size-event.evtx",
]

PY_TIME = re.compile(r"^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)(?:\.(\d{1,6}))?$")
LIBEVTX_TIME = re.compile(r"^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)\.(\d{9})Z$")
PADDED_HEX = re.compile(r"^0x([0-9a-fA-F]{8}|[0-9a-fA-F]{16})$")
GUID = re.compile(r"^\{[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}$")
HEX_BYTES = re.compile(r"^(?:[0-9A-F]{2})+$")
PY_ARRAY = re.compile(r"^(?:<string>.*?</string>\n)+$", re.S)
PY_ARRAY_ITEM = re.compile(r"<string>(.*?)</string>\n", re.S)


def local(tag):
    return tag.rsplit("}", 1)[-1]


def flatten(event, python_arrays=False):
    """ElementTree <Event> -> (system dict, data dict), names and values as Winnow keeps them."""
    system = {}
    data = {}
    for part in event:
        name = local(part.tag)
        if name == "System":
            for el in part:
                n = local(el.tag)
                text = el.text or ""
                if n == "Provider":
                    system["provider"] = el.get("Name", "")
                elif n == "EventID":
                    system["eventId"] = text
                elif n == "Version":
                    system["version"] = text
                elif n == "Channel":
                    system["channel"] = text
                elif n == "Computer":
                    system["computer"] = text
                elif n == "TimeCreated":
                    system["timeCreated"] = el.get("SystemTime", "")
                elif n == "EventRecordID":
                    system["recordId"] = text
        elif name != "RenderingInfo":
            collect(part, data, python_arrays)
    return system, data


def collect(parent, data, python_arrays):
    for el in parent:
        if len(el) > 0:
            collect(el, data, python_arrays)
            continue
        key = el.get("Name") or local(el.tag)
        text = el.text or ""
        # python-evtx renders a string array as `<string>a</string>\n<string>b</string>\n` in one
        # element; Windows (and libevtx) repeat the element once per item. Rewrite to the latter.
        items = PY_ARRAY_ITEM.findall(text) if python_arrays and PY_ARRAY.match(text) else [text]
        for item in items:
            k = key
            if k in data:
                n = 1
                while f"{k}{n}" in data:
                    n += 1
                k = f"{k}{n}"
            data[k] = item


def keep_cr(xml_text):
    """XML parsers turn CR LF into LF; the values really hold CR LF, so keep the CR as a reference."""
    return xml_text.replace("\r", "&#13;")


def python_records(path):
    out = {}
    failed = 0
    with evtx.Evtx(path) as log:
        for rec in log.records():
            try:
                root = ET.fromstring(keep_cr(rec.xml()))
            except Exception:
                failed += 1
                continue
            system, data = flatten(root, python_arrays=True)
            rid = system.get("recordId") or str(rec.record_num())
            out.setdefault(rid, (system, data))
    return out, failed


def libevtx_records(path):
    text = subprocess.run(
        ["evtxexport", "-m", "all", "-f", "xml", path], capture_output=True, check=False
    ).stdout.decode("utf-8", "replace")
    out = {}
    failed = 0
    for m in re.finditer(r"<Event xmlns=.*?</Event>", text, re.S):
        try:
            root = ET.fromstring(keep_cr(m.group(0)))
        except Exception:
            failed += 1
            continue
        system, data = flatten(root)
        out.setdefault(system.get("recordId", ""), (system, data))
    return out, failed


def agree(py, lib):
    """The SEMANTICS.md rendering both oracles agree on, or None."""
    if py == lib:
        return norm_simple(py)
    pt = PY_TIME.match(py)
    lt = LIBEVTX_TIME.match(lib)
    if pt and lt:
        if pt.group(1) == lt.group(1) and pt.group(2) == lt.group(2):
            # python-evtx converts FILETIMEs through a float (about 2 microseconds of precision at
            # these magnitudes), so its microseconds may be a few off libevtx's exact 100 ns digits.
            micro = int((pt.group(3) or "").ljust(6, "0"))
            if abs(int(lt.group(3)[:6]) - micro) <= 4:
                return f"{lt.group(1)}T{lt.group(2)}.{lt.group(3)[:7]}Z"
        return None
    if py in ("True", "False") and lib.lower() == py.lower():
        return py.lower()
    if GUID.match(py) and GUID.match(lib) and py.upper() == lib.upper():
        return py.upper()
    if PADDED_HEX.match(py) and PADDED_HEX.match(lib) and py.lower() == lib.lower():
        return norm_simple(py)
    if HEX_BYTES.match(lib.upper()):
        try:
            if base64.b64decode(py, validate=True) == binascii.unhexlify(lib):
                return lib.upper()
        except (binascii.Error, ValueError):
            pass
    return None


def libevtx_norm(v):
    """libevtx's rendering alone, to SEMANTICS.md: 9 time digits -> 7, padded hex, GUID case."""
    t = LIBEVTX_TIME.match(v)
    if t:
        return f"{t.group(1)}T{t.group(2)}.{t.group(3)[:7]}Z"
    return norm_simple(v)


def norm_simple(v):
    m = PADDED_HEX.match(v)
    if m:
        return "0x" + (m.group(1).lower().lstrip("0") or "0")
    if GUID.match(v):
        return v.upper()
    return v


def main():
    data_dir, out_dir = sys.argv[1], sys.argv[2]
    os.makedirs(out_dir, exist_ok=True)
    for rel in FILES:
        path = os.path.join(data_dir, rel)
        py, py_failed = python_records(path)
        lib, lib_failed = libevtx_records(path)
        records = []
        disagreements = {}
        for rid in sorted(set(py) & set(lib), key=lambda r: int(r) if r.isdigit() else -1):
            (ps, pd), (ls, ld) = py[rid], lib[rid]
            fields = {}
            for k in ("provider", "channel", "eventId", "version", "computer", "timeCreated", "recordId"):
                if k in ps and k in ls:
                    v = agree(ps[k], ls[k])
                    if v is None:
                        disagreements[k] = disagreements.get(k, 0) + 1
                    else:
                        fields[k] = v
                elif k in ps or k in ls:
                    disagreements[k] = disagreements.get(k, 0) + 1
            data = {}
            complete = list(pd.keys()) == list(ld.keys())
            for k in pd:
                if k in ld:
                    v = agree(pd[k], ld[k])
                    if v is None:
                        complete = False
                        disagreements[f"data.{k}"] = disagreements.get(f"data.{k}", 0) + 1
                    else:
                        data[k] = v
            if not complete:
                disagreements["data (key sets or values)"] = disagreements.get("data (key sets or values)", 0) + 1
            records.append({"fields": fields, "data": data, "dataComplete": complete})
        # Records only libevtx has (its recovered ones, found by signature): python-evtx cannot
        # confirm them, so they are checked against libevtx alone and marked as such.
        for rid in sorted(set(lib) - set(py), key=lambda r: int(r) if r.isdigit() else -1):
            ls, ld = lib[rid]
            fields = {k: libevtx_norm(v) for k, v in ls.items()}
            data = {k: libevtx_norm(v) for k, v in ld.items()}
            records.append({"fields": fields, "data": data, "dataComplete": True, "only": "libevtx"})
        fixture = {
            "file": rel,
            "oracles": "python3-evtx 0.6.1 (Evtx.Evtx) and libevtx-utils 20181227 (evtxexport -m all -f xml)",
            "pythonRecords": len(py),
            "pythonFailed": py_failed,
            "libevtxRecords": len(lib),
            "libevtxFailed": lib_failed,
            "onlyPython": sorted(set(py) - set(lib)),
            "onlyLibevtx": sorted(set(lib) - set(py)),
            "disagreements": disagreements,
            "records": records,
        }
        name = os.path.basename(rel).replace("%", "_") + ".oracle.json.gz"
        with gzip.open(os.path.join(out_dir, name), "wt", encoding="utf-8", compresslevel=9) as f:
            json.dump(fixture, f, ensure_ascii=False, separators=(",", ":"))
        print(f"{rel}: python {len(py)} (+{py_failed} failed), libevtx {len(lib)} (+{lib_failed} failed), "
              f"compared {len(records)}, disagreements {disagreements}")


if __name__ == "__main__":
    main()
