"""CSV logs: delimiters, encodings, quoted newlines, row numbers, rejects, grouping, duplicates."""

from __future__ import annotations

import csv
import hashlib
import io
import random
import tracemalloc
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.errors import InputError, Location
from checker.readers import ReadOptions, open_log, write_rejects
from checker.readers.csv_reader import open_quote
from checker.readers.share import Share
from tests.conftest import read_in_shares, run_cli

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "logs"
HEADER = "case_id,activity,timestamp,actor\n"


def read(path, **options):
    source = open_log(path, ReadOptions(**options))
    return source, list(source.cases())


def write(tmp_path: Path, text: str, name: str = "log.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_canonical_fixture():
    source, cases = read(FIXTURES / "surat-masuk.csv")
    acc = source.accounting
    assert (acc.rows_read, acc.accepted, len(acc.rejected), acc.cases) == (6, 6, 0, 2)
    first, second = cases
    assert [e.row for e in first.events] == [2, 3, 5]  # the quoted newline makes row 3 two lines
    assert first.events[1].attributes["catatan"] == "dicatat di buku agenda\nnomor 112/2026"
    assert first.events[1].documents == ("Surat Masuk", "Lembar Disposisi")
    assert first.events[2].date_only and not first.events[0].date_only
    assert dict(first.attributes) == {"deadline": "2026-11-16"}
    assert first.documents == ("Surat Masuk",)
    assert second.documents == ("Surat Masuk", "Proposal")
    assert second.events[2].timestamp.utcoffset() == timedelta(hours=8)  # 13:00 WITA
    assert first.events[0].timestamp.utcoffset() == timedelta(hours=7)  # naive: Asia/Jakarta
    assert source.has_documents and source.has_actor
    assert source.sha256 == hashlib.sha256((FIXTURES / "surat-masuk.csv").read_bytes()).hexdigest()


def test_an_unusable_file_stops_its_hash(tmp_path, monkeypatch):
    # The hash runs in a thread while the reader opens the file; when the reader gives up, the
    # thread stops at its next block rather than read a large file to the end for nothing.
    from checker import readers

    started: list = []
    real = readers._Hashing.__init__

    def spy(self, path):
        real(self, path)
        started.append(self)

    monkeypatch.setattr(readers._Hashing, "__init__", spy)
    path = write(tmp_path, HEADER)  # header only
    with pytest.raises(InputError):
        open_log(path)
    (hashing,) = started
    assert hashing.stop.is_set()
    hashing.join(5)
    assert not hashing.is_alive()


@pytest.mark.parametrize("delimiter", [";", "\t", "|", ","])
def test_delimiter_is_sniffed(tmp_path, delimiter):
    rows = [["case_id", "activity", "timestamp"], ["A", "Terima, lalu catat", "2026-11-25"]]
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    _, cases = read(write(tmp_path, buffer.getvalue()))
    assert cases[0].events[0].activity == "Terima, lalu catat"


def test_delimiter_given_and_excel_sep_line(tmp_path):
    path = write(tmp_path, "case_id;activity;timestamp\nA;x,y;2026-11-25\n")
    _, cases = read(path, delimiter=";")
    assert cases[0].events[0].activity == "x,y"
    path = write(tmp_path, "sep=;\ncase_id;activity;timestamp\nA;x;2026-11-25\n")
    _, cases = read(path)
    assert cases[0].events[0].row == 3
    with pytest.raises(InputError):
        read(path, delimiter=";;")


def test_tsv_extension(tmp_path):
    path = write(tmp_path, "case_id\tactivity\ttimestamp\nA\tx;y\t2026-11-25\n", name="log.tsv")
    _, cases = read(path)
    assert cases[0].events[0].activity == "x;y"


def test_bom_and_crlf(tmp_path):
    path = write(tmp_path, "\ufeffcase_id,activity,timestamp\r\nA,x,2026-11-25\r\nA,y,2026-11-26\r\n")
    source, cases = read(path)
    assert source.columns == ("case_id", "activity", "timestamp")
    assert [e.row for e in cases[0].events] == [2, 3]


def test_other_encoding_needs_the_option():
    path = FIXTURES / "bad" / "latin1.csv"
    with pytest.raises(InputError) as err:
        read(path)
    assert err.value.key == "readers.not_utf8"
    assert err.value.location.line == 3
    _, cases = read(path, encoding="cp1252")
    assert cases[0].events[1].actor == "André"
    assert "–" in cases[0].events[1].activity


def test_bad_utf8_far_into_the_file_is_located(tmp_path):
    good = "".join(f"C{i},Terima,2026-11-25T08:00:00+07:00,Sri\n" for i in range(5000))
    path = tmp_path / "log.csv"
    path.write_bytes((HEADER + good).encode() + b"C9,Terima \xff,2026-11-25,Sri\n")
    with pytest.raises(InputError) as err:
        read(path)
    assert err.value.key == "readers.not_utf8"
    assert err.value.location.line == 5002


def test_utf16_is_named(tmp_path):
    path = tmp_path / "log.csv"
    path.write_bytes((HEADER + "A,x,2026-11-25,Sri\n").encode("utf-16"))
    with pytest.raises(InputError) as err:
        read(path)
    assert err.value.key == "readers.utf16"
    _, cases = read(path, encoding="utf-16")
    assert cases[0].events[0].actor == "Sri"


def test_rejected_rows_are_counted_with_reasons(tmp_path):
    text = (
        HEADER
        + "A,Terima,2026-11-25T08:00:00+07:00,Sri\n"
        + ",Catat,2026-11-25T09:00:00+07:00,Sri\n"  # line 3: no case id
        + "A,,2026-11-25T09:00:00+07:00,Sri\n"  # line 4: no activity
        + "A,Catat,,Sri\n"  # line 5: no timestamp
        + "A,Catat,besok pagi,Sri\n"  # line 6: bad timestamp
        + "A,Catat,2026-11-25\n"  # line 7: too few fields
        + ",,,\n"  # line 8: an empty row, not a row
        + "\n"  # line 9: an empty line
        + "A,Arsip,2026-11-26T08:00:00+07:00,Sri,\n"  # line 10: a trailing delimiter is harmless
    )
    source, cases = read(write(tmp_path, text))
    acc = source.accounting
    assert [(r.row, r.reason) for r in acc.rejected] == [
        (3, "readers.reject.missing_value"),
        (4, "readers.reject.missing_value"),
        (5, "readers.reject.missing_value"),
        (6, "readers.reject.bad_timestamp"),
        (7, "readers.reject.field_count"),
    ]
    assert [r.args["field"] for r in acc.rejected[:4]] == ["case_id", "activity", "timestamp", "timestamp"]
    assert acc.rejected[3].raw == "A,Catat,besok pagi,Sri"
    assert (acc.rows_read, acc.accepted, acc.blank_rows) == (7, 2, 2)
    assert acc.balanced
    assert [e.row for e in cases[0].events] == [2, 10]


def test_rejects_file(tmp_path):
    source, _ = read(FIXTURES / "bad" / "bad-timestamp.csv")
    out = tmp_path / "rejects.csv"
    write_rejects(str(out), source.accounting.rejected, "id")
    rows = list(csv.reader(out.open(encoding="utf-8")))
    assert rows[0] == ["row", "reason", "raw", "code"]
    assert rows[1][0] == "3" and rows[1][2] == "SM-001,Catat Agenda,2 November 2026,Sri Wahyuni"
    assert rows[1][3] == "readers.reject.bad_timestamp"
    assert "cap waktu" in rows[1][1]


def test_strict_fails_on_the_first_rejected_row():
    source = open_log(FIXTURES / "bad" / "bad-timestamp.csv", ReadOptions(strict=True))
    with pytest.raises(InputError) as err:
        list(source.cases())
    assert err.value.key == "readers.reject.bad_timestamp"
    assert err.value.location.line == 3


def test_exact_duplicates_are_listed_and_kept(tmp_path):
    text = HEADER + "A,x,2026-11-25T08:00:00+07:00,Sri\nA,y,2026-11-25T09:00:00+07:00,Sri\n"
    text += "A,x,2026-11-25T08:00:00+07:00,Sri\nA,x,2026-11-25T08:00:00+07:00,Budi\n"
    source, cases = read(write(tmp_path, text))
    assert source.accounting.duplicates == [(4, 2)]
    assert len(cases[0].events) == 4
    assert [e.row for e in cases[0].events] == [2, 4, 5, 3]  # stable by time


def test_ungrouped_log_is_regrouped_through_the_spill_store():
    source, cases = read(FIXTURES / "ungrouped.csv")
    acc = source.accounting
    assert not acc.grouped and acc.spilled
    assert "readers.note.spilled_ungrouped" in [n.key for n in acc.notes]
    assert [(c.case_id, [e.row for e in c.events]) for c in cases] == [
        ("A", [2, 4, 7]),
        ("B", [3, 6]),
        ("C", [5]),
    ]


def test_grouped_and_shuffled_give_the_same_cases(tmp_path):
    rng = random.Random(7)
    rows = [
        [f"K{c:03d}", f"step{i}", f"2026-11-{1 + i:02d}T{8 + c % 9:02d}:00:00+07:00", f"p{c % 5}"]
        for c in range(60)
        for i in range(rng.randint(1, 6))
    ]

    def cases_of(ordered):
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["case_id", "activity", "timestamp", "actor"])
        writer.writerows(ordered)
        source, cases = read(write(tmp_path, buffer.getvalue(), name=f"log{id(ordered)}.csv"))
        return source, {c.case_id: [(e.activity, e.timestamp, e.actor) for e in c.events] for c in cases}

    grouped_source, grouped = cases_of(rows)
    shuffled = rows[:]
    rng.shuffle(shuffled)
    shuffled_source, regrouped = cases_of(shuffled)
    assert grouped_source.accounting.grouped and not grouped_source.accounting.spilled
    assert not shuffled_source.accounting.grouped
    assert grouped == regrouped


def test_a_100_mb_line_is_a_rejected_row_read_in_bounded_memory(tmp_path):
    path = tmp_path / "huge.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(HEADER)
        handle.write("A,Terima,2026-11-25T08:00:00+07:00,Sri\n")
        handle.write("A,")
        chunk = "x" * (1 << 20)
        for _ in range(100):
            handle.write(chunk)
        handle.write(",2026-11-25T09:00:00+07:00,Sri\n")
        handle.write("A,Arsip,2026-11-25T10:00:00+07:00,Sri\n")
    tracemalloc.start()
    try:
        source, cases = read(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    acc = source.accounting
    assert [(r.row, r.reason) for r in acc.rejected] == [(3, "readers.reject.line_too_long")]
    assert len(acc.rejected[0].raw) < 1000
    assert [e.row for e in cases[0].events] == [2, 4]
    assert peak < 40 * 1024 * 1024


def test_a_runaway_quoted_field_makes_the_file_unusable(tmp_path):
    big = "y\n" * 600_000  # 1.2 M characters inside one quoted field: an unclosed quote
    text = HEADER + "A,Terima,2026-11-25,Sri\n" + f'A,"{big}",2026-11-25,Sri\n'
    with pytest.raises(InputError) as err:
        read(write(tmp_path, text))
    assert err.value.key == "readers.csv_field_too_long"
    assert err.value.location.line == 3


def test_a_quote_never_closed_makes_the_file_unusable_where_it_opens(tmp_path):
    # The csv module would end the field quietly at the end of the file: row 4 lost, uncounted.
    text = HEADER + "A,Terima,2026-11-25,Sri\n" + 'A,"Catat,2026-11-26,Sri\nA,Arsip,2026-11-27,Sri\n'
    with pytest.raises(InputError) as err:
        read(write(tmp_path, text))
    assert err.value.key == "readers.csv_open_quote"
    assert err.value.location == Location(str(tmp_path / "log.csv"), 3, 3)


@pytest.mark.parametrize("end", ["\n", "\r\n", ""])
def test_a_quote_never_closed_on_the_last_line_is_found_with_any_line_end(tmp_path, end):
    text = HEADER + "A,Terima,2026-11-25,Sri\n" + f'A,Catat,2026-11-26,"Sri{end}'
    with pytest.raises(InputError) as err:
        read(write(tmp_path, text))
    assert (err.value.key, err.value.location.line, err.value.location.column) == (
        "readers.csv_open_quote", 3, 20
    )


@pytest.mark.parametrize("end", ["\n", ""])
def test_a_quoted_field_closed_on_the_last_lines_is_read(tmp_path, end):
    text = HEADER + 'A,Terima,2026-11-25,"Sri\n""Wahyuni"""' + end + ("\n" if end else "")
    source, cases = read(write(tmp_path, text))
    assert source.accounting.rows_read == source.accounting.accepted == 1
    assert cases[0].events[0].actor == 'Sri\n"Wahyuni"'


@pytest.mark.parametrize(
    ("text", "at"),
    [
        ('a,"b",c\n', None),
        ('a,"b""",c\n', None),
        ('a,"b"""\n', None),
        ('a,"b""\n', 2),  # "" is a quote inside the field, which goes on to the end
        ('a,"b"x"y,c\n', None),  # after the closing quote the field goes on unquoted
        ('a,b"c,d\n', None),  # a quote inside a field opens nothing
        ('"a\nb",c\r\nd,"e', 11),
        ('x;"y', 2),
    ],
)
def test_open_quote_reads_quotes_as_the_csv_module_does(text, at):
    assert open_quote(text, ";" if ";" in text else ",") == at


def test_a_stray_quote_is_one_line_and_exit_2_for_inspect_and_audit(tmp_path):
    rows = [f"K{i},Menerima Surat Penawaran,2025-01-{i % 28 + 1:02d}T08:00:00+07:00,Bupati"
            for i in range(100)]
    rows[4] = rows[4].replace(",Menerima", ',"Menerima')
    log = write(tmp_path, HEADER + "\n".join(rows) + "\n")
    sop = Path(__file__).resolve().parents[1] / "rules" / "magetan" / "penawaran-kerja-sama.yaml"
    for args in (
        ["inspect", log],
        ["audit", sop, log, "--as-of", "2026-01-01", "--jobs", "1"],
        ["audit", sop, log, "--as-of", "2026-01-01", "--jobs", "2"],
    ):
        code, out, err = run_cli(args)
        assert code == 2, (args, out, err)
        assert "Traceback" not in err
        lines = err.strip().splitlines()
        assert len(lines) == 1 and f"{log}:6:4: a quote opened here is never closed" in lines[0], err


def test_a_quote_never_closed_is_the_same_error_for_every_share(tmp_path):
    # Past the head byte_spans looks at, so shares are cut before the pre-scan: those read the
    # file as plain, and the pre-scan made meanwhile refuses it. A share read by hash reads the
    # file whole with the csv module and refuses it just the same.
    rows = [f"C{n:05d},Terima,2026-11-25T08:00:00+07:00,Sri" for n in range(40_000)]
    rows[-30] = rows[-30].replace(",Sri", ',"Sri')
    log = write(tmp_path, HEADER + "\n".join(rows) + "\n")
    where = ("readers.csv_open_quote", len(rows) - 30 + 2, 41)
    early = open_log(log, scan=False)
    assert early.early_shares(2)
    with pytest.raises(InputError) as err:
        early.early_shares_hold()
    assert (err.value.key, err.value.location.line, err.value.location.column) == where
    for index in range(2):
        with pytest.raises(InputError) as err:
            read_in_shares([Share.of(str(log), "csv", ReadOptions(), index, 2)])
        assert (err.value.key, err.value.location.line, err.value.location.column) == where


text_values = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r"), max_size=12
)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["A", "B", "C", ""]),
            text_values,
            st.sampled_from(["2026-11-25T08:00:00+07:00", "2026-11-26", "bad", "", "2026-11-25 13:05"]),
            text_values,
        ),
        min_size=1,
        max_size=30,
    )
)
def test_every_row_is_accounted_for(tmp_path, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["case_id", "activity", "timestamp", "actor"])
    writer.writerows(rows)
    path = write(tmp_path, buffer.getvalue(), name="prop.csv")
    try:
        source = open_log(path, ReadOptions(delimiter=","))
    except InputError as err:
        assert err.key == "readers.header_only"  # every row blank
        return
    cases = list(source.cases())
    acc = source.accounting
    assert acc.balanced
    assert acc.rows_read + acc.blank_rows == len(rows)
    events = [e for c in cases for e in c.events]
    assert len(events) == acc.accepted
    valid = [r for r in rows if r[0] and r[1].strip() and r[2] not in ("bad", "")]
    assert sorted(e.activity for e in events) == sorted(r[1].strip() for r in valid)


_STAMPS = [datetime(2026, 11, 25, h, tzinfo=timezone(timedelta(hours=7))) for h in (8, 9)]
_STAMPS.append(datetime(2026, 11, 25, 1, tzinfo=UTC))  # the same instant as 08:00 WIB


@given(st.lists(st.tuples(st.sampled_from("xy"), st.sampled_from(_STAMPS), st.sampled_from(["Sri", None])),
                min_size=2, max_size=12))
def test_duplicates_found_among_equal_timestamps_are_every_exact_copy(rows):
    # The definition: a row is a duplicate of the first earlier row (in source order) that says
    # the same; assemble() compares only rows whose timestamps are equal, after sorting by time.
    from checker.readers.build import RawEvent
    from checker.readers.grouping import _BY_TIME, _duplicates, _identity

    raws = [
        RawEvent(n + 2, "A", activity, stamp, False, actor, None, (), None, {}, {}, ())
        for n, (activity, stamp, actor) in enumerate(rows)
    ]
    expected = []
    for i, raw in enumerate(raws):
        first = next((r.row for r in raws[:i] if _identity(r) == _identity(raw)), None)
        if first is not None:
            expected.append((raw.row, first))
    assert _duplicates(sorted(raws, key=_BY_TIME)) == expected


def test_a_case_column_that_varies_is_noted_with_both_values(tmp_path, run_cli):
    # A `case:` column should say the same on every row of a case; where it does not, the first
    # value in time order is kept and a note names the columns and the first one's two values.
    path = tmp_path / "varies.csv"
    path.write_text(
        "case_id,activity,timestamp,actor,case:status,case:unit\n"
        "K1,Verifikasi,2025-01-07T10:00:00+07:00,Petugas,ditutup,B\n"
        "K1,Terima,2025-01-06T10:00:00+07:00,Petugas,proses,A\n"
        "K2,Terima,2025-01-06T10:00:00+07:00,Petugas,selesai,A\n",
        encoding="utf-8",
    )
    source = open_log(path, ReadOptions())
    cases = {c.case_id: c for c in source.cases()}
    assert dict(cases["K1"].attributes) == {"status": "proses", "unit": "A"}
    acc = source.accounting
    assert acc.case_attribute_conflicts == 2
    (note,) = [n for n in acc.notes if n.key == "readers.note.case_attribute_conflict"]
    assert note.args == {"case_id": "K1", "names": "status, unit", "row": 2, "name": "status",
                         "value": "proses", "other": "ditutup"}
    code, out, _ = run_cli(["inspect", str(path), "--lang", "id"])
    assert code == 0 and "status: 'proses', lalu 'ditutup'" in out


def test_a_varying_value_on_several_lines_is_quoted_on_one(tmp_path):
    path = tmp_path / "lines.csv"
    path.write_text('case_id,activity,timestamp,case:unit\nK,a,2025-01-06T10:00:00+07:00,"x\ny"\n'
                    'K,b,2025-01-07T10:00:00+07:00,z\n', encoding="utf-8")
    source = open_log(path, ReadOptions())
    list(source.cases())
    (note,) = [n for n in source.accounting.notes if n.key == "readers.note.case_attribute_conflict"]
    assert (note.args["value"], note.args["other"]) == ("x\\ny", "z")
    assert "\n" not in note.message("en")
