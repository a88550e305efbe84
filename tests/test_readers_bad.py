"""Bad input through the command line: an unusable file is one line on stderr and exit status 2,
never a traceback; a bad row is a counted rejected row."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import input_error, run_cli

BAD = Path(__file__).resolve().parents[1] / "fixtures" / "logs" / "bad"


assert_unusable = input_error


def test_missing_required_column_names_the_columns_found_and_the_option():
    line = assert_unusable(run_cli(["inspect", BAD / "missing-column.csv"]), "missing-column.csv:1:")
    assert "case_id, activity, timestamp" in line
    assert "No Agenda, Kegiatan, Waktu" in line
    assert "--map" in line and "--mapping" in line


def test_missing_column_in_indonesian():
    line = assert_unusable(run_cli(["inspect", BAD / "missing-column.csv", "--lang", "id"]))
    assert "kolom wajib tidak ditemukan" in line


def test_empty_file():
    assert_unusable(run_cli(["inspect", BAD / "empty.csv"]), "empty")


def test_header_only():
    assert_unusable(run_cli(["inspect", BAD / "header-only.csv"]), "header-only.csv:1:", "no data rows")


def test_bad_timestamp_is_a_counted_rejected_row():
    code, out, err = run_cli(["inspect", BAD / "bad-timestamp.csv", "--format", "json"])
    assert code == 0, err
    summary = json.loads(out)
    assert (summary["rows_read"], summary["accepted"], summary["rejected"]) == (3, 2, 1)
    (row,) = summary["rejected_rows"]
    assert (row["row"], row["reason"]) == (3, "readers.reject.bad_timestamp")


def test_bad_timestamp_with_strict_fails_with_the_first_reason():
    assert_unusable(
        run_cli(["inspect", BAD / "bad-timestamp.csv", "--strict"]), "bad-timestamp.csv:3:", "ISO 8601"
    )


def test_binary_garbage():
    assert_unusable(run_cli(["inspect", BAD / "binary.csv"]), "binary")


def test_binary_garbage_named_as_xes(tmp_path):
    path = tmp_path / "garbage.xes"
    path.write_bytes((BAD / "binary.csv").read_bytes())
    assert_unusable(run_cli(["inspect", path]))


def test_a_100_mb_line_is_a_counted_rejected_row(tmp_path):
    path = tmp_path / "huge.csv"
    with path.open("w", encoding="utf-8") as handle:
        handle.write("case_id,activity,timestamp\nA,Terima,2026-11-25\nA,")
        for _ in range(100):
            handle.write("z" * (1 << 20))
        handle.write(",2026-11-26\nA,Arsip,2026-11-27\n")
    code, out, err = run_cli(["inspect", path, "--format", "json"])
    assert code == 0, err
    summary = json.loads(out)
    assert summary["rejected"] == 1 and summary["accepted"] == 2
    assert summary["rejected_rows"][0]["row"] == 3
    assert summary["rejected_rows"][0]["reason"] == "readers.reject.line_too_long"


def test_truncated_xes_gz():
    assert_unusable(run_cli(["inspect", BAD / "truncated.xes.gz"]), "truncated")


def test_xes_with_doctype_entities():
    assert_unusable(run_cli(["inspect", BAD / "doctype-entity.xes"]), "doctype-entity.xes:2:", "DOCTYPE")


def test_xes_with_external_dtd():
    assert_unusable(run_cli(["inspect", BAD / "external-dtd.xes"]), "DOCTYPE")


def test_not_xes():
    assert_unusable(run_cli(["inspect", BAD / "not-xes.xes"]), "<pnml>")


def test_other_encoding_without_option():
    assert_unusable(run_cli(["inspect", BAD / "latin1.csv"]), "latin1.csv:3:", "--encoding")
    code, _, err = run_cli(["inspect", BAD / "latin1.csv", "--encoding", "cp1252"])
    assert code == 0, err


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--timezone", "Mars/Olympus"], "Mars/Olympus"),
        (["--date-format", "dd/mm/yyyy"], "dd/mm/yyyy"),
        (["--encoding", "klingon"], "klingon"),
        (["--map", "kegiatan=Kegiatan"], "kegiatan"),
        (["--map", "activity"], "activity"),
        (["--map", "activity=Tidak Ada"], "Tidak Ada"),
        (["--delimiter", ";;"], ";;"),
        (["--mapping", "nope.yaml"], "nope.yaml"),
        (["--roster", "nope.yaml"], "nope.yaml"),
    ],
)
def test_bad_options(args, fragment):
    log = Path(__file__).resolve().parents[1] / "fixtures" / "logs" / "surat-masuk.csv"
    assert_unusable(run_cli(["inspect", log, *args]), fragment)


def test_missing_file_and_unknown_extension(tmp_path):
    assert_unusable(run_cli(["inspect", tmp_path / "tidak-ada.csv"]), "not found")
    other = tmp_path / "log.dat"
    other.write_text("x", encoding="utf-8")
    assert_unusable(run_cli(["inspect", other]), "--log-format")
    assert_unusable(run_cli(["inspect", tmp_path]), "folder")


@pytest.mark.parametrize("encoding", ["rot13", "base64", "hex", "idna"])
def test_an_encoding_that_cannot_read_text_is_refused(encoding):
    log = Path(__file__).resolve().parents[1] / "fixtures" / "logs" / "surat-masuk.csv"
    line = assert_unusable(run_cli(["inspect", log, "--encoding", encoding]), f"'{encoding}'")
    assert "not a character encoding" in line


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32"])
def test_utf16_or_utf32_without_a_bom_is_one_line(tmp_path, encoding):
    log = tmp_path / "log.csv"
    log.write_text("case_id,activity,timestamp\nA,x,2026-11-25\n", encoding="utf-8")
    assert_unusable(run_cli(["inspect", log, "--encoding", encoding]), "log.csv:1:", f"{encoding}-le")


def test_utf16_without_a_bom_is_named_with_its_byte_order(tmp_path):
    log = tmp_path / "log.csv"
    text = "case_id,activity,timestamp\nA,x,2026-11-25T08:00:00+07:00\n"
    log.write_bytes(text.encode("utf-16-le"))
    for args in ([], ["--encoding", "utf-16"]):
        assert_unusable(run_cli(["inspect", log, *args]), "log.csv:1:", "--encoding utf-16-le")
    code, out, err = run_cli(["inspect", log, "--encoding", "utf-16-le"])
    assert code == 0, err
    log.write_bytes(text.encode("utf-16-be"))
    assert_unusable(run_cli(["inspect", log]), "log.csv:1:", "--encoding utf-16-be")


def test_a_pipe_is_refused_at_once_not_read_as_empty_or_waited_on(tmp_path: Path) -> None:
    # A FIFO with no writer would block the open; `<(...)` would read as empty the second time.
    import os

    fifo = tmp_path / "log.csv"
    os.mkfifo(fifo)
    line = assert_unusable(run_cli(["inspect", fifo], timeout=30), f"{fifo}:")
    assert "regular file" in line
