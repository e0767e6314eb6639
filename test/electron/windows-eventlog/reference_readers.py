"""Independent readers for LogSieve's EVTX/EVT tests: prints one JSON object per record.

Usage: reference_readers.py (libevtx|python-evtx|libevt) FILE

- libevtx:     Debian python3-libevtx (pyevtx), the library behind `evtxexport` (libevtx-utils).
- python-evtx: Debian python3-evtx (module Evtx), the library behind `evtx_dump.py`.
- libevt:      Debian python3-libevt (pyevt), the library behind `evtexport` (libevt-utils).

The command-line tools stop at the first record they cannot render (evtxexport aborts the whole
export, evtx_dump.py raises); these loops ask the same libraries for each record on its own and
report a failure as {"error": ...} for that record, so one bad record does not hide the rest.
Fields are taken from each library's own XML rendering (EVTX) or record accessors (EVT) and
printed as the library gives them; the TypeScript test normalises only documented differences.
"""

import json
import sys
import xml.etree.ElementTree as ET

NS = "{http://schemas.microsoft.com/win/2004/08/events/event}"


def strip(tag):
    return tag.split("}", 1)[1] if tag.startswith("{") else tag


# XML 1.0 forbids most control characters, yet event data holds them (a DNS query name with
# binary bytes) and both libraries write them out raw. They are swapped for private-use
# characters before parsing and swapped back in every value, so values stay exactly as rendered.
PRIVATE = 0xF0000


def hide_controls(text):
    return "".join(chr(PRIVATE + ord(c)) if (ord(c) < 32 and c not in "\t\n\r") or ord(c) in (0xFFFE, 0xFFFF) else c for c in text)


def show_controls(text):
    if text is None:
        return None
    return "".join(chr(ord(c) - PRIVATE) if PRIVATE <= ord(c) < PRIVATE + 0x10000 else c for c in text)


def event_fields(xml_text):
    """System values and event data (name, value) pairs from one rendered event."""
    root = ET.fromstring(hide_controls(xml_text))
    for e in root.iter():
        e.text = show_controls(e.text)
        for k, v in list(e.attrib.items()):
            e.attrib[k] = show_controls(v)
    out = {"data": []}
    system = root.find(NS + "System")
    if system is None:
        system = root.find("System")
    if system is not None:
        for e in system:
            name = strip(e.tag)
            if name == "Provider":
                out["provider"] = e.get("Name")
                out["sourceName"] = e.get("EventSourceName")
            elif name == "EventID":
                out["eventId"] = (e.text or "").strip()
                out["qualifiers"] = e.get("Qualifiers")
            elif name == "TimeCreated":
                out["timeCreated"] = e.get("SystemTime")
            elif name in ("Level", "Keywords", "Channel", "Computer", "EventRecordID", "Task", "Opcode"):
                out[name[0].lower() + name[1:]] = (e.text or "").strip()
    for section in root:
        name = strip(section.tag)
        if name == "EventData":
            for d in section:
                if strip(d.tag) == "Data":
                    out["data"].append([d.get("Name"), d.text or ""])
        elif name == "UserData":
            def leaves(e):
                kids = list(e)
                if not kids:
                    out["data"].append([strip(e.tag), e.text or ""])
                for k in kids:
                    leaves(k)
            for k in section:
                leaves(k)
    return out


def emit(obj):
    sys.stdout.write(json.dumps(obj) + "\n")


def libevtx(path):
    import pyevtx

    f = pyevtx.file()
    f.open(path)
    for recovered, count, get in (
        (False, f.number_of_records, f.get_record),
        (True, f.number_of_recovered_records, f.get_recovered_record),
    ):
        for i in range(count):
            row = {"index": i, "recovered": recovered}
            try:
                r = get(i)
                row.update(id=r.identifier, offset=r.offset, written=r.get_written_time_as_integer())
                row["xml"] = r.xml_string
                row.update(event_fields(row["xml"]))
            except Exception as e:  # one record's failure must not hide the others
                row["error"] = str(e).split("\n")[0][:300]
            emit(row)


def python_evtx(path):
    import Evtx.Evtx as evtx

    with evtx.Evtx(path) as log:
        for chunk_index, chunk in enumerate(log.chunks()):
            try:
                record = chunk.first_record()
            except Exception:
                continue
            seen = 0
            while record._offset < chunk._offset + chunk.next_record_offset() and record.length() > 0:
                row = {"chunk": chunk_index, "offset": record._offset}
                try:
                    row["id"] = record.record_num()
                    row["xml"] = record.xml()
                    row.update(event_fields(row["xml"]))
                except Exception as e:
                    row["error"] = repr(e)[:300]
                emit(row)
                seen += 1
                try:
                    record = evtx.Record(log._buf, record._offset + record.length(), chunk)
                except Exception:
                    break
                if seen > 100000:
                    break


def libevt(path):
    import pyevt

    f = pyevt.file()
    f.open(path)
    for recovered, count, get in (
        (False, f.number_of_records, f.get_record),
        (True, f.number_of_recovered_records, f.get_recovered_record),
    ):
        for i in range(count):
            row = {"index": i, "recovered": recovered}
            try:
                r = get(i)
                row.update(
                    id=r.identifier,
                    offset=r.offset,
                    created=r.get_creation_time_as_integer(),
                    written=r.get_written_time_as_integer(),
                    eventId=r.event_identifier,
                    type=r.event_type,
                    category=r.event_category,
                    source=r.source_name,
                    computer=r.computer_name,
                    sid=r.user_security_identifier,
                    strings=[r.get_string(j) for j in range(r.number_of_strings)],
                )
                try:
                    data = r.data
                    row["data"] = data.hex() if data else ""
                except OSError:
                    row["data"] = ""
            except Exception as e:
                row["error"] = str(e).split("\n")[0][:300]
            emit(row)


if __name__ == "__main__":
    reader, path = sys.argv[1], sys.argv[2]
    {"libevtx": libevtx, "python-evtx": python_evtx, "libevt": libevt}[reader](path)
