"""`sopcheck inspect LOG`: what is read, in text (id / en) and JSON."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from tests.conftest import run_cli

LOGS = Path(__file__).resolve().parents[1] / "fixtures" / "logs"


def inspect_json(*args) -> dict:
    code, out, err = run_cli(["inspect", *args, "--format", "json"])
    assert code == 0, err
    return json.loads(out)


def test_json_summary_of_a_csv():
    summary = inspect_json(LOGS / "surat-masuk.csv")
    assert (summary["cases"], summary["events_read"], summary["events"]) == (2, 6, 6)
    assert (summary["rows_read"], summary["accepted"], summary["rejected"]) == (6, 6, 0)
    assert summary["activities"] == {"Terima Surat": 2, "Catat Agenda": 2, "Disposisi": 2}
    assert summary["actors"] == {"Sri Wahyuni": 2, "Budi Santoso": 2, "Kepala Bagian Umum": 2}
    assert summary["case_attributes"] == {"deadline": 2}
    assert summary["event_attributes"] == {"catatan": 1}
    assert summary["date_only"] == {"events": 1, "all": False}
    assert summary["zones"] == {"Asia/Jakarta": 4, "+07:00": 1, "Asia/Makassar": 1}
    assert summary["time_range"] == {
        "first": "2026-11-02T08:15:00+07:00",
        "last": "2026-11-05T13:00:00+08:00",
    }
    assert summary["events_with_documents"] == 6 and summary["cases_with_documents"] == 2
    assert summary["log"]["format"] == "csv" and len(summary["log"]["sha256"]) == 64
    assert summary["grouped"] is True and summary["spilled"] is False


def test_json_is_deterministic_and_sorted():
    first = run_cli(["inspect", LOGS / "izin.xes", "--format", "json"])
    second = run_cli(["inspect", LOGS / "izin.xes", "--format", "json"])
    assert first == second
    data = json.loads(first.stdout)
    assert list(data) == sorted(data)


def test_lifecycle_duplicates_and_rejects_in_json():
    summary = inspect_json(LOGS / "izin.xes")
    assert summary["lifecycle"] == {"paired_starts": 1, "unpaired_starts": 1, "other": {"schedule": 1}}
    assert summary["duplicate_rows"] == [{"row": 71, "duplicate_of": 62}]
    assert [(r["row"], r["reason"]) for r in summary["rejected_rows"]] == [
        (67, "readers.reject.missing_value")
    ]
    assert summary["events_with_start"] == 1
    assert "readers.note.empty_cases" in [n["key"] for n in summary["notes"]]


def test_text_in_english_and_indonesian():
    code, out, _ = run_cli(["inspect", LOGS / "izin.xes"])
    assert code == 0
    assert "Cases" in out and "Rejected rows (1)" in out and "row 67" in out
    assert "row 71 is an exact duplicate of row 62" in out
    code, out, _ = run_cli(["inspect", LOGS / "izin.xes", "--lang", "id"])
    assert code == 0
    assert "Kasus" in out and "Baris ditolak (1)" in out and "baris 67" in out
    assert "start dipasangkan" in out


def test_indonesian_numbers_use_dots(tmp_path):
    path = tmp_path / "log.csv"
    rows = "".join(f"C{i},Terima,2026-11-25\n" for i in range(1234))
    path.write_text("case_id,activity,timestamp\n" + rows, encoding="utf-8")
    code, out, _ = run_cli(["inspect", path, "--lang", "id"])
    assert code == 0 and "1.234" in out
    code, out, _ = run_cli(["inspect", path], env={"SOPCHECK_LANG": "en"})
    assert "1,234" in out
    assert "1,234 of 1,234 events" in out  # all date-only


def test_mapping_file_and_rejects_file(tmp_path):
    rejects = tmp_path / "ditolak.csv"
    code, out, err = run_cli(
        [
            "inspect",
            LOGS / "buku-agenda.csv",
            "--mapping",
            LOGS / "buku-agenda.mapping.yaml",
            "--rejects",
            rejects,
            "--lang",
            "id",
        ]
    )
    assert code == 0, err
    rows = list(csv.reader(rejects.open(encoding="utf-8")))
    assert rows[0] == ["row", "reason", "raw", "code"]
    assert rows[1][0] == "7" and rows[1][3] == "readers.reject.bad_timestamp_format"
    assert "31/11/2026" in rows[1][2]
    assert "Baris kosong (dilewati)" in out


def test_strict(tmp_path):
    code, _, err = run_cli(
        ["inspect", LOGS / "buku-agenda.csv", "--mapping", LOGS / "buku-agenda.mapping.yaml", "--strict"]
    )
    assert code == 2 and "buku-agenda.csv:7:" in err and "Traceback" not in err


def test_map_options(tmp_path):
    summary = inspect_json(
        LOGS / "buku-agenda.csv",
        "--map",
        "case_id=No. Agenda",
        "--map",
        "activity=Kegiatan",
        "--map",
        "timestamp=Tanggal",
        "--map",
        "actor=Petugas",
        "--date-format",
        "%d/%m/%Y %H:%M",
        "--timezone",
        "WITA",
    )
    assert summary["cases"] == 2 and summary["rejected"] == 1
    assert summary["event_attributes"] == {"Berkas": 4}
    assert summary["zones"] == {"Asia/Makassar": 5}
    assert summary["declared_timezone"] == "WITA"


def test_roster(tmp_path):
    summary = inspect_json(LOGS / "surat-masuk.csv", "--roster", LOGS / "roster.yaml")
    roster = summary["roster"]
    assert roster["roles"] == {"pengadministrasi_umum": 2, "kepala_bagian_umum": 2}
    assert roster["unknown_people"] == {"Kepala Bagian Umum": 2}
    assert roster["events_without_role_on_date"] == 0
    code, out, _ = run_cli(["inspect", LOGS / "surat-masuk.csv", "--roster", LOGS / "roster.yaml"])
    assert "SOP roles by the roster" in out


def test_roster_roles_are_every_post_held_that_day_as_the_audit_judges(tmp_path):
    """Budi Santoso holds pengadministrasi_umum until 2026-06-30 and is acting kepala_bagian_umum
    from 2026-06-01 (fixtures/logs/roster.yaml): in June an event of his counts for both posts,
    as the audit judges it (tests/test_roster_acting.py), not only for the newer one. The day is
    the event's in the log's zone: 23:30 UTC on 30 June is 1 July in WIB, the default."""
    log = tmp_path / "acting.csv"
    log.write_text(
        "case_id,activity,timestamp,actor\n"
        "C1,Catat Agenda,2026-06-15T09:00:00+07:00,Budi Santoso\n"
        "C1,Disposisi,2026-06-30T23:30:00+00:00,Budi Santoso\n",
        encoding="utf-8",
    )
    roster = inspect_json(log, "--roster", LOGS / "roster.yaml")["roster"]
    assert roster["roles"] == {"pengadministrasi_umum": 1, "kepala_bagian_umum": 2}
    assert roster["events_without_role_on_date"] == 0
    in_utc = inspect_json(log, "--roster", LOGS / "roster.yaml", "--timezone", "UTC")["roster"]
    assert in_utc["roles"] == {"pengadministrasi_umum": 2, "kepala_bagian_umum": 2}


def test_output_file(tmp_path):
    target = tmp_path / "inspect.json"
    code, out, _ = run_cli(["inspect", LOGS / "ungrouped.csv", "--format", "json", "-o", target])
    assert code == 0 and out == ""
    summary = json.loads(target.read_text(encoding="utf-8"))
    assert summary["grouped"] is False and summary["spilled"] is True


def test_help_lists_the_log_options():
    code, out, _ = run_cli(["inspect", "--help"])
    assert code == 0
    for option in (
        "--log-format",
        "--map",
        "--mapping",
        "--timezone",
        "--date-format",
        "--encoding",
        "--delimiter",
        "--sheet",
        "--roster",
        "--rejects",
        "--strict",
        "--lang",
        "--format",
    ):
        assert option in out
