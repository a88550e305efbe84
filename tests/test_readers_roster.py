"""The roster: people (names or NIP) to SOP actors, with validity dates."""

from __future__ import annotations

import pickle
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from checker.errors import InputError
from checker.roster import Roster, person_key

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "logs"


@pytest.fixture(scope="module")
def roster() -> Roster:
    return Roster.load(str(FIXTURES / "roster.yaml"))


def test_names_and_nips_match(roster):
    on = date(2026, 3, 1)
    assert roster.role("Sri Wahyuni", on) == "pengadministrasi_umum"
    assert roster.role("  sri   WAHYUNI ", on) == "pengadministrasi_umum"
    assert roster.role("198501012010012001", on) == "pengadministrasi_umum"
    assert roster.role("19850101 201001 2 001", on) == "pengadministrasi_umum"
    assert roster.knows("197003152000031004")
    assert not roster.knows("Orang Lain") and roster.role("Orang Lain", on) is None
    assert roster.role(None, on) is None


def test_validity_dates_are_inclusive(roster):
    assert roster.role("Drs. Bambang Sutrisno", date(2026, 11, 25)) == "kepala_bagian_umum"
    assert roster.role("Drs. Bambang Sutrisno", date(2026, 11, 26)) == "sekretaris_daerah"
    assert roster.role("197003152000031004", date(2026, 11, 26)) is None  # the new entry has no NIP
    assert roster.role("Drs. Bambang Sutrisno", date(2024, 12, 31)) is None
    assert roster.role("Sri Wahyuni", date(2023, 12, 31)) is None


def test_overlapping_posts(roster):
    june = date(2026, 6, 15)
    assert roster.roles("Budi Santoso", june) == ("kepala_bagian_umum", "pengadministrasi_umum")
    assert roster.role("Budi Santoso", june) == "kepala_bagian_umum"  # the newer appointment
    assert roster.roles("Budi Santoso", date(2026, 7, 1)) == ("kepala_bagian_umum",)


def test_datetime_counts_by_its_own_local_date(roster):
    late_evening = datetime(2026, 11, 25, 23, 30, tzinfo=timezone(timedelta(hours=7)))
    assert roster.role("Drs. Bambang Sutrisno", late_evening) == "kepala_bagian_umum"


def test_csv_roster():
    roster = Roster.load(str(FIXTURES / "roster.csv"))
    assert roster.role("1970 0315 2000 03 1 004", date(2026, 1, 1)) == "kepala_bagian_umum"
    assert roster.role("Sri Wahyuni", date(2030, 1, 1)) == "pengadministrasi_umum"
    assert roster.actors == {"pengadministrasi_umum", "kepala_bagian_umum"}


def test_roster_pickles(roster):
    assert pickle.loads(pickle.dumps(roster)).role("Sri Wahyuni", date(2026, 1, 1)) == "pengadministrasi_umum"


def test_person_key():
    assert person_key("19850101 201001 2 001") == person_key("198501012010012001")
    assert person_key("Sri  Wahyuni") == person_key("sri wahyuni")


@pytest.mark.parametrize(
    ("text", "key", "line"),
    [
        ("roster:\n  - name: A\n    actor: x\n    valid_from: 2026-02-30\n", "schema.format", 4),
        ("roster:\n  - name: A\n    valid_from: 2026-01-01\n", "schema.required", 2),
        ("roster:\n  - actor: x\n    valid_from: 2026-01-01\n", "roster.no_person", 2),
        (
            "roster:\n  - name: A\n    actor: x\n    valid_from: 2026-02-01\n    valid_to: 2026-01-01\n",
            "roster.bad_range",
            2,
        ),
        (
            "roster:\n  - name: A\n    actor: x\n    valid_from: 2026-01-01\n    jabatan: y\n",
            "schema.additional",
            5,
        ),
    ],
)
def test_roster_errors_are_located(tmp_path, text, key, line):
    path = tmp_path / "roster.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        Roster.load(str(path))
    assert err.value.key == key
    assert err.value.location.line == line


def test_csv_roster_errors(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text("person,jabatan\nA,x\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        Roster.load(str(path))
    assert err.value.key == "roster.csv_columns"
    path.write_text("person,actor,valid_from\nA,x,kemarin\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        Roster.load(str(path))
    assert err.value.key == "roster.bad_date" and err.value.location.line == 2


def test_from_entries():
    roster = Roster.from_entries(
        [{"person": 198501012010012001, "actor": "x", "valid_from": date(2026, 1, 1)}]
    )
    assert roster.role("19850101 201001 2 001", date(2026, 5, 1)) == "x"


def test_an_unknown_actor_says_whether_a_roster_was_given(tmp_path):
    # AC003 used to say "not in the roster" when no roster had been given at all.
    from checker.api import audit

    sop = Path(__file__).resolve().parents[1] / "rules" / "magetan" / "penawaran-kerja-sama.yaml"
    log = Path(__file__).resolve().parents[1] / "fixtures" / "logs" / "penawaran-kerja-sama.csv"
    roster = tmp_path / "roster.csv"
    roster.write_text("person;actor;valid_from;valid_to\nSomeone Else;bupati;2020-01-01;\n", encoding="utf-8")

    def unknown(report, lang):
        return sorted(f.message(lang) for f in report.findings if f.code == "AC003")

    bare = audit(sop, log, as_of="2026-11-25")
    rostered = audit(sop, log, as_of="2026-11-25", roster=roster)
    assert unknown(bare, "en") and len(unknown(bare, "en")) == len(unknown(rostered, "en"))
    assert all("no roster (--roster)" in m and "in the roster on" not in m for m in unknown(bare, "en"))
    assert all("tidak ada daftar pegawai" in m for m in unknown(bare, "id"))
    assert all("not in the roster on 20" in m for m in unknown(rostered, "en"))
    assert all("tidak ada di daftar pegawai pada 20" in m for m in unknown(rostered, "id"))
