"""XES logs: typed attributes, lifecycle pairing, row numbers, streaming, and hostile files."""

from __future__ import annotations

import gzip
import json
import textwrap
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from checker.errors import InputError
from checker.messages import t
from checker.readers import ReadOptions, open_log
from tests.conftest import counted_peak

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "logs"
WIB = timezone(timedelta(hours=7))


def read(path, **options):
    source = open_log(path, ReadOptions(**options))
    return source, list(source.cases())


def xes(body: str) -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<log xmlns="http://www.xes-standard.org/">\n{body}\n</log>\n'


def event(activity: str, stamp: str, extra: str = "") -> str:
    return (
        f'<event><string key="concept:name" value="{activity}"/>'
        f'<date key="time:timestamp" value="{stamp}"/>{extra}</event>'
    )


@pytest.mark.parametrize("name", ["izin.xes", "izin.xes.gz"])
def test_fixture(name):
    source, cases = read(FIXTURES / name)
    acc = source.accounting
    assert source.format == "xes"
    assert [c.case_id for c in cases] == ["IZ-001", "IZ-002", "IZ-003"]
    first, second, empty = cases
    assert dict(first.attributes) == {
        "deadline": datetime(2026, 11, 20, 16, 0, tzinfo=WIB),
        "luas_m2": 120,
        "online": True,
    }
    assert first.documents == ("Formulir Permohonan", "KTP")
    received, verified = first.events
    assert received.row == 24 and received.actor == "Sri Wahyuni"
    assert received.documents == ("Formulir Permohonan", "Tanda Terima")
    # START + COMPLETE (upper case) become one event with its start
    assert verified.row == 45
    assert verified.start == datetime(2026, 11, 3, 9, 30, tzinfo=WIB)
    assert verified.timestamp == datetime(2026, 11, 3, 11, 45, tzinfo=WIB)
    assert verified.attributes["skor"] == 87.5
    assert verified.attributes["halaman"] == "dua belas"  # a bad int, kept as text with a note
    assert "lifecycle:transition" not in verified.attributes
    assert empty.events == ()
    assert (acc.rows_read, acc.events_read, acc.accepted, acc.events) == (8, 7, 7, 4)
    assert [(r.row, r.args["field"]) for r in acc.rejected] == [(67, "timestamp")]
    assert acc.duplicates == [(71, 62)]
    assert [e.row for e in second.events] == [62, 71]
    assert (acc.paired_starts, acc.unpaired_starts, acc.lifecycle_other) == (1, 1, {"schedule": 1})
    assert acc.balanced
    keys = [n.key for n in acc.notes]
    assert "readers.note.xes_bad_value" in keys and "readers.note.empty_cases" in keys


def test_pairing_off_keeps_every_row():
    source, cases = read(FIXTURES / "izin.xes", pair_lifecycle=False)
    events = cases[0].events
    assert [e.attributes["lifecycle:transition"] for e in events] == [
        "complete",
        "schedule",
        "start",
        "complete",
        "start",
    ]
    assert events[-1].timestamp.tzinfo is not None  # a naive XES date takes the declared zone
    assert source.accounting.events == 7 and source.accounting.balanced


def test_pairing_is_per_activity_and_fifo(tmp_path):
    path = tmp_path / "log.xes"
    lifecycle = '<string key="lifecycle:transition" value="{}"/>'
    body = "<trace><string key='concept:name' value='A'/>"
    body += event("x", "2026-11-25T08:00:00+07:00", lifecycle.format("start"))
    body += event("y", "2026-11-25T08:30:00+07:00", lifecycle.format("start"))
    body += event("x", "2026-11-25T09:00:00+07:00", lifecycle.format("start"))
    body += event("x", "2026-11-25T10:00:00+07:00", lifecycle.format("complete"))
    body += event("y", "2026-11-25T11:00:00+07:00", lifecycle.format("complete"))
    body += event("x", "2026-11-25T12:00:00+07:00", lifecycle.format("complete"))
    body += event("x", "2026-11-25T13:00:00+07:00", lifecycle.format("ate_abort"))
    body += "</trace>"
    path.write_text(xes(body), encoding="utf-8")
    source, cases = read(path)
    starts = [(e.activity, e.start.hour, e.timestamp.hour) for e in cases[0].events]
    assert starts == [("x", 8, 10), ("y", 8, 11), ("x", 9, 12)]
    assert source.accounting.lifecycle_other == {"ate_abort": 1}


def test_no_namespace_and_list_container_types(tmp_path):
    path = tmp_path / "log.xes"
    path.write_text(
        textwrap.dedent(
            """\
            <log>
              <trace>
                <string key="concept:name" value="T1"/>
                <event>
                  <string key="concept:name" value="a"/>
                  <date key="time:timestamp" value="2026-11-25T08:00:00Z"/>
                  <list key="documents"><string key="d" value="Surat"/><string key="d" value="SK"/></list>
                  <container key="alamat"><string key="kota" value="Magetan"/></container>
                  <boolean key="ok" value="FALSE"/>
                  <id key="uid" value="123e4567"/>
                  <string key="nested" value="x"><int key="meta" value="1"/></string>
                </event>
              </trace>
            </log>
            """
        ),
        encoding="utf-8",
    )
    _, cases = read(path)
    (only,) = cases[0].events
    assert only.documents == ("Surat", "SK")
    assert only.attributes == {"alamat": {"kota": "Magetan"}, "ok": False, "uid": "123e4567", "nested": "x"}
    assert only.timestamp == datetime(2026, 11, 25, 8, tzinfo=UTC)


def test_event_outside_a_trace_is_rejected(tmp_path):
    path = tmp_path / "log.xes"
    body = "<trace><string key='concept:name' value='A'/>" + event("x", "2026-11-25T08:00:00Z") + "</trace>"
    path.write_text(xes(body + "\n" + event("y", "2026-11-25T08:00:00Z")), encoding="utf-8")
    source, _ = read(path)
    assert [r.reason for r in source.accounting.rejected] == ["readers.reject.event_outside_trace"]
    assert source.accounting.rejected[0].row == 4


def test_trace_without_name_rejects_its_events(tmp_path):
    path = tmp_path / "log.xes"
    body = "<trace><string key='concept:name' value='A'/>" + event("x", "2026-11-25T08:00:00Z") + "</trace>"
    body += "\n<trace>" + event("y", "2026-11-25T08:00:00Z") + "</trace>"
    path.write_text(xes(body), encoding="utf-8")
    source, cases = read(path)
    assert [c.case_id for c in cases] == ["A"]
    assert [(r.row, r.args["field"]) for r in source.accounting.rejected] == [(4, "case_id")]


def trace(name: str, *events: str, extra: str = "") -> str:
    return f'<trace><string key="concept:name" value="{name}"/>{extra}' + "".join(events) + "</trace>"


def test_traces_with_one_case_id_are_one_case_as_in_a_csv_file(tmp_path):
    """A case id names one case whatever the format: the events of every trace with that id are
    read together, as the rows of one case id that are not together in a CSV file are (and as
    the CSV export of the same traces reads), with a note naming the id and its traces' lines."""
    path = tmp_path / "log.xes"
    body = "\n".join(
        (
            trace("A", event("a1", "2026-11-25T08:00:00Z"), event("a2", "2026-11-25T09:00:00Z")),
            trace("B", event("b1", "2026-11-25T08:30:00Z")),
            trace("A", event("a3", "2026-11-25T08:30:00Z")),
        )
    )
    path.write_text(xes(body), encoding="utf-8")
    source, cases = read(path)
    acc = source.accounting
    assert [c.case_id for c in cases] == ["A", "B"]
    assert [(e.activity, e.row) for e in cases[0].events] == [("a1", 3), ("a3", 5), ("a2", 3)]
    assert (acc.rows_read, acc.accepted, len(acc.rejected), acc.cases, acc.events) == (4, 4, 0, 2, 4)
    assert acc.grouped is False
    [note] = [n for n in acc.notes if n.key == "readers.note.repeated_case"]
    assert note.args == {"case_id": "A", "count": 2, "lines": "3, 5"}
    csv_path = tmp_path / "log.csv"
    csv_path.write_text(
        "case_id,activity,timestamp\n"
        "A,a1,2026-11-25T08:00:00Z\nA,a2,2026-11-25T09:00:00Z\nB,b1,2026-11-25T08:30:00Z\n"
        "A,a3,2026-11-25T08:30:00Z\n",
        encoding="utf-8",
    )
    _, from_csv = read(csv_path)

    def shape(found):
        return [(c.case_id, [(e.activity, e.timestamp) for e in c.events]) for c in found]

    assert shape(cases) == shape(from_csv)


def test_repeated_traces_next_to_each_other_and_empty_ones(tmp_path):
    """Traces of one id one after the other are one case too; a trace without events adds its
    attributes (a value differing from the first trace's is noted); a first trace that says
    nothing of the columns (empty) does not hide a repeat."""
    path = tmp_path / "log.xes"
    body = "\n".join(
        (
            trace("Z"),
            trace("A", event("a1", "2026-11-25T08:00:00Z"), extra='<string key="unit" value="x"/>'),
            trace("A", event("a2", "2026-11-25T09:00:00Z"), extra='<string key="unit" value="x"/>'),
            trace("A", extra='<string key="unit" value="y"/>'),
            trace("Z"),
        )
    )
    path.write_text(xes(body), encoding="utf-8")
    source, cases = read(path)
    acc = source.accounting
    assert [(c.case_id, [e.activity for e in c.events]) for c in cases] == [("Z", []), ("A", ["a1", "a2"])]
    assert dict(cases[1].attributes) == {"unit": "x"}
    notes = {n.key: n.args for n in acc.notes}
    conflict = notes["readers.note.case_attribute_conflict"]
    assert [conflict[k] for k in ("names", "name", "value", "other")] == ["unit", "unit", "x", "y"]
    assert notes["readers.note.empty_cases"] == {"count": 1}
    repeated = [n.args for n in acc.notes if n.key == "readers.note.repeated_case"]
    assert repeated == [
        {"case_id": "Z", "count": 2, "lines": "3, 7"},
        {"case_id": "A", "count": 3, "lines": "4, 5, 6"},
    ]


def test_an_audit_reports_each_case_id_once(tmp_path, run_cli):
    """Two traces of case A split Terima and Verifikasi: the report has one case A, compliant."""
    path = tmp_path / "log.xes"
    first = trace("A", event("Terima", "2026-11-25T08:00:00+07:00"))
    second = trace("A", event("Verifikasi", "2026-11-25T09:00:00+07:00"))
    path.write_text(xes(first + "\n" + second), encoding="utf-8")
    sop = Path(__file__).resolve().parents[1] / "fixtures" / "sops" / "two-steps.yaml"
    code, out, err = run_cli(["audit", sop, path, "--format", "json"])
    assert code == 0, err
    report = json.loads(out)
    assert [(c["case_id"], c["compliant"]) for c in report["cases"]] == [("A", True)]
    for lang in ("en", "id"):
        code, out, err = run_cli(["inspect", path, "--lang", lang])
        assert code == 0, err
        assert t("readers.note.repeated_case", lang, case_id="A", count=2, lines="3, 4") in out


def test_mapping_applies_to_xes(tmp_path):
    path = tmp_path / "log.xes"
    body = "<trace><string key='concept:name' value='A'/><string key='nomor' value='SM-1'/>"
    body += "<event><string key='Kegiatan' value='Terima'/><string key='concept:name' value='t1'/>"
    body += "<date key='time:timestamp' value='2026-11-25T08:00:00Z'/></event></trace>"
    path.write_text(xes(body), encoding="utf-8")
    _, cases = read(path, mapping={"activity": "Kegiatan", "case_id": "case:nomor"})
    assert cases[0].case_id == "SM-1"
    assert cases[0].events[0].activity == "Terima"
    assert cases[0].attributes == {"concept:name": "A"}


@pytest.mark.parametrize(
    ("name", "key", "line"),
    [
        ("doctype-entity.xes", "readers.xml_doctype", 2),
        ("external-dtd.xes", "readers.xml_doctype", 2),
        ("truncated.xes.gz", "readers.gzip_truncated", None),
        ("not-xes.xes", "readers.not_xes", 2),
    ],
)
def test_hostile_and_broken_files(name, key, line):
    with pytest.raises(InputError) as err:
        open_log(FIXTURES / "bad" / name)
    assert err.value.key == key
    assert err.value.location.line == line


def test_doctype_beyond_the_first_block_is_refused(tmp_path):
    path = tmp_path / "log.xes"
    comment = "<!-- " + "padding " * 20000 + "-->"
    path.write_text(
        f'<?xml version="1.0"?>\n{comment}\n<!DOCTYPE log [<!ENTITY a "x">]>\n<log><trace/></log>\n',
        encoding="utf-8",
    )
    with pytest.raises(InputError) as err:
        open_log(path)
    assert err.value.key == "readers.xml_doctype"


@pytest.mark.parametrize(
    ("content", "key"),
    [
        (b"", "file.empty"),
        (b'<?xml version="1.0"?>\n<log xmlns="http://www.xes-standard.org/"/>\n', "readers.no_events"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "file.binary"),
        (b"<log><trace><event>", "readers.xml_error"),
        (b"gibberish that is not xml", "readers.xml_error"),
    ],
)
def test_unusable_xes(tmp_path, content, key):
    path = tmp_path / "log.xes"
    path.write_bytes(content)
    with pytest.raises(InputError) as err:
        open_log(path)
    assert err.value.key == key


def test_xml_cut_short_fails_while_streaming(tmp_path):
    trace = (
        "<trace><string key='concept:name' value='{}'/>" + event("x", "2026-11-25T08:00:00Z") + "</trace>\n"
    )
    body = "".join(trace.format(i) for i in range(50))
    text = xes(body)
    path = tmp_path / "log.xes"
    path.write_text(text[: len(text) - 200], encoding="utf-8")
    source = open_log(path)
    with pytest.raises(InputError) as err:
        list(source.cases())
    assert err.value.key == "readers.xml_error"
    assert err.value.location.line is not None


def test_gzip_is_recognised_by_its_bytes(tmp_path):
    path = tmp_path / "log.xes"  # gzip content without the .gz ending
    path.write_bytes(gzip.compress((FIXTURES / "izin.xes").read_bytes()))
    source, cases = read(path)
    assert len(cases) == 3


def test_log_format_option_overrides_the_name(tmp_path):
    path = tmp_path / "export.dat"
    path.write_bytes((FIXTURES / "izin.xes").read_bytes())
    source, _ = read(path, log_format="xes")
    assert source.format == "xes"


def test_streaming_keeps_memory_bounded(tmp_path):
    """A 4x larger log must not need much more memory: elements are cleared as they end."""

    def make(traces: int) -> Path:
        path = tmp_path / f"big{traces}.xes.gz"
        with gzip.open(path, "wt", encoding="utf-8") as handle:
            handle.write('<?xml version="1.0"?>\n<log xmlns="http://www.xes-standard.org/">\n')
            for i in range(traces):
                handle.write(f"<trace><string key='concept:name' value='C{i}'/>")
                for j in range(4):
                    handle.write(
                        event(
                            f"step {j}",
                            f"2026-11-25T0{j}:00:00+07:00",
                            f"<string key='org:resource' value='p{i % 97}'/><int key='n' value='{j}'/>",
                        )
                    )
                handle.write("</trace>\n")
            handle.write("</log>\n")
        return path

    peaks = []
    for traces in (5_000, 20_000):
        count, peak = counted_peak("sum(len(c.events) for c in source.cases())", make(traces))
        assert count == traces * 4
        peaks.append(peak)  # kilobytes
    # 60,000 more events (~20 MB of XML): a kept tree would add well over 50 MB
    assert peaks[1] - peaks[0] < 15 * 1024


def test_undefined_entity_is_named_where_it_is(tmp_path):
    """Regression: with entities not resolved, an HTML entity (&nbsp;) came out as lxml's bare
    "no element found" with no line; libxml2's own error is located."""
    path = tmp_path / "log.xes"
    path.write_text(
        '<log>\n<trace><string key="concept:name" value="a&nbsp;b"/></trace>\n</log>\n', encoding="utf-8"
    )
    with pytest.raises(InputError) as err:
        list(open_log(path).cases())
    assert err.value.key == "readers.xml_error"
    assert err.value.location.line == 2 and err.value.location.column is not None
    assert "Entity 'nbsp' not defined" in err.value.render("en")
