"""The columns (which key is the actor, the lifecycle, the documents...) come from the whole log:
how a case is read never depends on the cases before it (XES traces, JSON Lines and `.json`
objects past the first ones). And a JSON Lines object with no value is a blank row, as in every
other format."""

from __future__ import annotations

import json
from pathlib import Path

import checker
from checker.readers import ReadOptions, open_log
from checker.reporters.audit import json_report

TWO_STEPS = Path(__file__).parent.parent / "fixtures" / "sops" / "two-steps.yaml"
SOP = TWO_STEPS.read_text(encoding="utf-8")


def _event(activity: str, hour: int, resource: str | None = None, lifecycle: str | None = None) -> str:
    parts = [f'<string key="concept:name" value="{activity}"/>']
    if resource is not None:
        parts.append(f'<string key="org:resource" value="{resource}"/>')
    if lifecycle is not None:
        parts.append(f'<string key="lifecycle:transition" value="{lifecycle}"/>')
    parts.append(f'<date key="time:timestamp" value="2025-01-06T{hour:02d}:00:00+07:00"/>')
    return "    <event>" + "".join(parts) + "</event>\n"


def _trace(case_id: str, *events: str) -> str:
    head = f'  <trace>\n    <string key="concept:name" value="{case_id}"/>\n'
    return head + "".join(events) + "  </trace>\n"


# The reviewer's first-trace2.xes: A without org:resource and lifecycle, then B with them.
TRACE_A = _trace("A", _event("Terima", 8), _event("Verifikasi", 9))
TRACE_B = _trace(
    "B",
    _event("Terima", 8, "Bupati"),
    _event("Verifikasi", 9, "Bupati", "start"),
    _event("Verifikasi", 10, "Bupati", "complete"),
)


def _xes(*traces: str) -> str:
    return '<?xml version="1.0" encoding="UTF-8"?>\n<log xes.version="1.0">\n' + "".join(traces) + "</log>\n"


def _verdict(sop: Path, log: Path, case_id: str) -> tuple[list[str], list[tuple[str, str | None, str]]]:
    """The finding codes and the events (activity, actor, time) of one case, rows aside."""
    report = json.loads(json_report(checker.audit(str(sop), str(log), as_of="2025-02-01"), "en"))
    codes = sorted(f["code"] for f in report["findings"] if f["case_id"] == case_id)
    (case,) = [c for c in report["cases"] if c["case_id"] == case_id]
    events = [(e["activity"], e["actor"], e["timestamp"]) for e in case["events"]]
    return codes, events


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_xes_later_trace_keys_are_fields(tmp_path):
    sop = _write(tmp_path / "sop.yaml", SOP)
    both = _write(tmp_path / "both.xes", _xes(TRACE_A, TRACE_B))
    alone = _write(tmp_path / "alone.xes", _xes(TRACE_B))
    verdict = _verdict(sop, both, "B")
    assert verdict == _verdict(sop, alone, "B")
    codes, events = verdict
    assert codes == ["AC003", "AC003"]  # 'Bupati' is read as the actor, and is no SOP actor
    assert [(a, actor) for a, actor, _ in events] == [("Terima", "Bupati"), ("Verifikasi", "Bupati")]

    source = open_log(both, ReadOptions())
    assert source.has_actor
    assert {"org:resource", "lifecycle:transition"} <= set(source.columns)
    cases = {c.case_id: c for c in source.cases()}
    assert cases["B"].events[1].start is not None  # start and complete paired
    assert source.accounting.paired_starts == 1
    assert cases["A"].events[0].actor is None
    assert "org:resource" not in cases["B"].events[0].attributes


def test_xes_has_actor_only_when_recorded(tmp_path):
    source = open_log(_write(tmp_path / "a.xes", _xes(TRACE_A)), ReadOptions())
    assert not source.has_actor
    assert not source.has_documents
    assert "org:resource" not in source.columns


def _line(case: str, activity: str, hour: int, **extra: object) -> str:
    record = {"case_id": case, "activity": activity, "timestamp": f"2025-01-06T{hour:02d}:00:00+07:00"}
    record.update(extra)
    return json.dumps(record)


def test_jsonl_keys_past_the_first_thousand_objects(tmp_path):
    sop = _write(tmp_path / "sop.yaml", SOP)
    early = [_line(f"A{i:04d}", "Terima", 8) for i in range(1200)]
    late = [
        _line("B", "Terima", 8, actor="Bupati"),
        _line("B", "Verifikasi", 9, actor="Bupati", lifecycle="start", documents=["Surat"]),
        _line("B", "Verifikasi", 10, actor="Bupati", lifecycle="complete"),
    ]
    both = _write(tmp_path / "both.jsonl", "\n".join(early + late) + "\n")
    alone = _write(tmp_path / "alone.jsonl", "\n".join(late) + "\n")
    verdict = _verdict(sop, both, "B")
    assert verdict == _verdict(sop, alone, "B")
    assert verdict[0] == ["AC003", "AC003"]

    source = open_log(both, ReadOptions())
    assert source.has_actor and source.has_documents
    assert {"actor", "lifecycle", "documents"} <= set(source.columns)
    (case,) = [c for c in source.cases() if c.case_id == "B"]
    assert [e.actor for e in case.events] == ["Bupati", "Bupati"]
    assert case.events[1].start is not None
    assert case.events[1].documents == ("Surat",)
    assert not case.events[1].attributes


def test_json_array_keys_past_the_first_thousand_records(tmp_path):
    records = [{"case_id": f"A{i:04d}", "activity": "Terima", "timestamp": "2025-01-06"} for i in range(1200)]
    records.append({"case_id": "B", "activity": "Terima", "timestamp": "2025-01-06", "actor": "Bupati"})
    path = _write(tmp_path / "log.json", json.dumps(records))
    source = open_log(path, ReadOptions())
    assert source.has_actor
    (case,) = [c for c in source.cases() if c.case_id == "B"]
    assert case.events[0].actor == "Bupati"


def test_jsonl_late_case_column_still_groups(tmp_path):
    """A mapped column that only later objects have is no error (it is in the file)."""
    lines = [_line(f"A{i}", "Terima", 8) for i in range(1100)]
    lines.append(_line("B", "Terima", 9, petugas="Bupati"))
    path = _write(tmp_path / "log.jsonl", "\n".join(lines) + "\n")
    source = open_log(path, ReadOptions(mapping={"actor": "petugas"}))
    (case,) = [c for c in source.cases() if c.case_id == "B"]
    assert case.events[0].actor == "Bupati"
    assert source.accounting.grouped


def test_jsonl_object_without_value_is_a_blank_row(tmp_path):
    lines = [
        _line("C1", "Terima", 8),
        "{}",
        json.dumps({"case_id": None, "activity": None, "timestamp": ""}),
        "",
        json.dumps({"case_id": "C1", "activity": "Verifikasi", "timestamp": None}),
    ]
    jsonl = _write(tmp_path / "log.jsonl", "\n".join(lines) + "\n")
    array = _write(tmp_path / "log.json", json.dumps([json.loads(x) for x in lines if x]))
    results = []
    for path in (jsonl, array):
        source = open_log(path, ReadOptions())
        list(source.cases())
        acc = source.accounting
        results.append((acc.rows_read, acc.accepted, len(acc.rejected), acc.blank_rows))
    assert results[0][:3] == results[1][:3] == (2, 1, 1)  # the object without a time is a row
    assert results[0][3] == 3  # the empty line too
    assert results[1][3] == 2
