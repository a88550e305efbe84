"""TM006: a case whose start attribute holds something other than a usable date is reported, so
that a typo in the date a letter arrived does not let the first step's lateness pass unchecked."""

from __future__ import annotations

import pytest

from checker.api import audit
from tests.conftest import REPO_ROOT

SOP = REPO_ROOT / "rules" / "magetan" / "penawaran-kerja-sama.yaml"
FIXTURE = REPO_ROOT / "fixtures" / "logs" / "penawaran-kerja-sama.csv"


def _first_case_with(tmp_path, start: str):
    lines = FIXTURE.read_text(encoding="utf-8").splitlines()
    header, rows = lines[0], [r for r in lines[1:] if r.startswith("KS-2025-001,")]
    column = header.split(",").index("case:tanggal_surat_masuk")

    def with_start(row: str) -> str:
        cells = row.split(",")
        cells[column] = start
        return ",".join(cells)

    log = tmp_path / "start.csv"
    log.write_text("\n".join([header, *map(with_start, rows)]) + "\n", encoding="utf-8")
    (case,) = audit(SOP, log, as_of="2026-11-25").cases
    return case


@pytest.mark.parametrize("value", ["2025-13-01", "besok", "9999-12-31", "20-01-2025"])
def test_an_unreadable_start_date_is_tm006(tmp_path, value):
    case = _first_case_with(tmp_path, value)
    tm006 = [f for f in case.findings if f.code == "TM006"]
    assert [(f.severity, f.args["attribute"], f.args["value"]) for f in tm006] == [
        ("warning", "tanggal_surat_masuk", value)
    ]
    assert case.times[0].elapsed is None  # the first step's time could not be measured
    assert "tanggal_surat_masuk" in tm006[0].message("id") and value in tm006[0].message("en")


@pytest.mark.parametrize("value", ["2025-01-20", ""])
def test_a_usable_or_absent_start_date_is_not(tmp_path, value):
    case = _first_case_with(tmp_path, value)
    assert "TM006" not in {f.code for f in case.findings}
    assert (case.times[0].elapsed is None) == (value == "")
