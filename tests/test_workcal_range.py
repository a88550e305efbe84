"""The years the audit counts in: event timestamps are 1900 to 2199 (the readers reject others),
SOP time allowed is at most about 100 years (SOP113), so every deadline stays inside the dates
Python and the calendar can count; a case attribute date outside those years counts as unreadable
(docs/time.md)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from checker.sop.checks.timing import MAXIMUM
from checker.timeparse import to_instant
from checker.workcal import WorkCalendar
from tests.conftest import run_cli

REPO = Path(__file__).resolve().parents[1]
MAGETAN = REPO / "rules" / "magetan" / "penawaran-kerja-sama.yaml"
WABO = REPO / "rules" / "examples" / "wabo-receipt.yaml"
JAKARTA = ZoneInfo("Asia/Jakarta")
SENTINELS = ["9999-12-31", "9999-12-31T23:00:00-12:00", "0001-01-01", "0001-01-01T00:00:00+14:00"]


@pytest.mark.parametrize("value", [*SENTINELS, datetime(9999, 12, 31, tzinfo=UTC), "1899-12-31"])
def test_an_attribute_date_outside_the_years_reads_as_unreadable(value) -> None:
    assert to_instant(value, JAKARTA) == (None, False)


def test_an_attribute_date_inside_the_years_is_read() -> None:
    assert to_instant("2026-03-02", JAKARTA) == (datetime(2026, 3, 2, tzinfo=JAKARTA), True)
    assert to_instant("1900-01-01", JAKARTA)[0] is not None


@pytest.mark.parametrize("unit", sorted(MAXIMUM))
def test_the_longest_time_allowed_from_either_end_of_the_years_is_computable(unit: str) -> None:
    cal = WorkCalendar.default()
    first = datetime(1900, 1, 1, tzinfo=timezone(timedelta(hours=14)))
    last = datetime(2199, 12, 31, 23, 59, 59, tzinfo=timezone(timedelta(hours=-12)))
    amount = MAXIMUM[unit]
    assert cal.due(last, amount, unit, day_precision=False) > last
    assert cal.overrun(first, last, amount, unit, day_precision=False) > 0
    assert cal.elapsed(first, last, unit, day_precision=False) > 0


def audit_json(tmp_path: Path, sop: Path, header: str, row: str) -> tuple[int, dict]:
    log = tmp_path / "log.csv"
    log.write_text(header + row, encoding="utf-8")
    code, out, err = run_cli(["audit", sop, log, "--format", "json"])
    assert "Traceback" not in err and code in (0, 1), err
    return code, json.loads(out)


def codes(report: dict) -> list[str]:
    return sorted(f["code"] for f in report["findings"])


@pytest.mark.parametrize("value", SENTINELS)
def test_a_start_attribute_outside_the_years_starts_no_clock(tmp_path: Path, value: str) -> None:
    """Like an unreadable start date: the first step is not timed (no TM001 of 500,000 days)."""
    _, report = audit_json(
        tmp_path,
        MAGETAN,
        "case_id,activity,timestamp,actor,case:tanggal_surat_masuk,case:jenis_kerja_sama\n",
        f"C1,Menerima Surat Penawaran,2026-03-02T10:00:00+07:00,Bupati,{value},KSDD\n",
    )
    assert report["rows"]["accepted"] == 1
    assert "TM001" not in codes(report)


@pytest.mark.parametrize(("value", "missed"), [(v, False) for v in SENTINELS] + [("2010-01-01", True)])
def test_a_deadline_attribute_outside_the_years_is_no_deadline(
    tmp_path: Path, value: str, missed: bool
) -> None:
    """9999-12-31 is the usual "no deadline"; a real past deadline is still missed (TM003)."""
    _, report = audit_json(
        tmp_path,
        WABO,
        "case_id,activity,timestamp,org:group,case:deadline\n",
        f"C1,Confirmation of receipt,2011-03-02T10:00:00+01:00,Group 1,{value}\n",
    )
    assert ("TM003" in codes(report)) is missed
