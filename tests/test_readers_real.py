"""The real logs in ../shared/data (public process-mining logs): every event read, none rejected,
and the CSV and XES exports of the receipt log read alike. Skipped when the folder is absent."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from checker.readers import open_log
from tests.conftest import run_cli
from tests.examples_support import DATA

pytestmark = pytest.mark.skipif(not DATA.is_dir(), reason=f"real logs not found in {DATA}")

EXPECTED = {
    "receipt.xes.gz": (1434, 8577),
    "receipt.csv": (1434, 8577),
    "roadtraffic100traces.xes": (100, 390),
    "running-example.xes": (6, 42),
    "bpic2012.xes.gz": (13087, 262200),
}


def need(name: str) -> Path:
    path = DATA / name
    if not path.exists():
        pytest.skip(f"{name} not in {DATA}")
    return path


@pytest.mark.parametrize(("name", "expected"), sorted(EXPECTED.items()))
def test_inspect_counts(name, expected):
    code, out, err = run_cli(["inspect", need(name), "--format", "json"], timeout=300)
    assert code == 0, err
    summary = json.loads(out)
    assert (summary["cases"], summary["events_read"]) == expected
    assert summary["rejected"] == 0 and summary["rows_read"] == summary["accepted"] == expected[1]
    assert summary["date_only"]["events"] == 0


def test_inspect_text_says_the_counts():
    code, out, _ = run_cli(["inspect", need("receipt.xes.gz")])
    assert code == 0
    assert re.search(r"^Cases\s+1,434$", out, re.M)
    assert re.search(r"^Events read\s+8,577$", out, re.M)
    assert re.search(r"8,577 read = 8,577 accepted \+ 0 rejected", out)


def test_receipt_csv_and_xes_agree():
    xes = list(open_log(need("receipt.xes.gz")).cases())
    csv = list(open_log(need("receipt.csv")).cases())
    assert Counter(e.activity for c in xes for e in c.events) == Counter(
        e.activity for c in csv for e in c.events
    )
    by_id = {c.case_id: c for c in csv}
    assert set(by_id) == {c.case_id for c in xes}
    for case in xes:
        other = by_id[case.case_id]
        assert [(e.activity, e.timestamp, e.actor) for e in case.events] == [
            (e.activity, e.timestamp, e.actor) for e in other.events
        ]
        # XES types its dates; the CSV keeps text the audit parses with the same parser
        assert set(case.attributes) <= set(other.attributes) | {"aantekening", "redenverlenging"}


def test_receipt_keeps_daylight_saving_offsets():
    source = open_log(need("receipt.csv"))
    offsets = Counter(
        e.timestamp.utcoffset().total_seconds() / 3600 for c in source.cases() for e in c.events
    )
    assert set(offsets) == {1.0, 2.0}


def test_bpic2012_lifecycle():
    source = open_log(need("bpic2012.xes.gz"))
    events = sum(len(c.events) for c in source.cases())
    acc = source.accounting
    assert acc.events_read == 262200 and acc.balanced
    assert acc.lifecycle_other == {"schedule": 26318}
    assert acc.paired_starts + acc.unpaired_starts == 71376
    assert events == acc.events == 164506
