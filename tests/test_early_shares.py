"""`--jobs` before the pre-scan: a CSV file's shares cut at byte offsets, the workers started at
once, and the pre-scan (grouped? plain?) made by another process meanwhile. Only a grouped, plain
file keeps what the workers did; any other falls back to the usual way. Either way the report is
one process's."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from checker.api import audit
from checker.conformance import runner
from checker.errors import InputError
from checker.readers import csv_reader, open_log
from checker.readers.csv_reader import CsvReader
from checker.reporters.audit import JsonLines, joined, json_chunks
from tests.conftest import read_in_shares

ROOT = Path(__file__).resolve().parents[1]
SOP = ROOT / "rules" / "magetan" / "penawaran-kerja-sama.yaml"
LOG = ROOT / "fixtures" / "logs" / "penawaran-kerja-sama.csv"


pytestmark = pytest.mark.usefixtures("workers_for_small_logs")


@pytest.fixture
def scans(monkeypatch) -> list[str]:
    """The pre-scans made in this process (its thread's included; the workers make none)."""
    made: list[str] = []
    prescan = CsvReader._prescan

    def counted(self, records):
        made.append(self.path)
        return prescan(self, records)

    monkeypatch.setattr(CsvReader, "_prescan", counted)
    return made


@pytest.fixture
def ways(monkeypatch) -> list[bool]:
    """How each read in shares went: True with shares cut before the pre-scan."""
    taken: list[bool] = []
    shared = runner._shared

    def watched(*args, confirm=False, **kwargs):
        taken.append(confirm)
        return shared(*args, confirm=confirm, **kwargs)

    monkeypatch.setattr(runner, "_shared", watched)
    return taken


@pytest.fixture
def discarded(monkeypatch) -> list[list[str]]:
    """What the store's folder holds after each discard of the early workers' runs."""
    left: list[list[str]] = []
    discard = runner._discard

    def watched(folder, prefix):
        discard(folder, prefix)
        left.append(sorted(Path(folder).iterdir()))

    monkeypatch.setattr(runner, "_discard", watched)
    return left


def _report(log: Path, jobs: int) -> str:
    # Rendered as the audit command renders a JSON report: the workers file their cases' lines
    # in runs of their own, which a fallback must discard.
    render = JsonLines("en", True)
    return joined(json_chunks(audit(SOP, log, as_of="2026-11-25", jobs=jobs, render=render), "en"))


def _lines(tmp_path: Path, rows: list[str], name: str = "log.csv") -> Path:
    header = LOG.read_text(encoding="utf-8-sig").splitlines()[0]
    path = tmp_path / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def _rows() -> list[str]:
    return LOG.read_text(encoding="utf-8-sig").splitlines()[1:]


@pytest.mark.parametrize("columnar", [False, True])
def test_a_grouped_plain_log_keeps_the_work_of_workers_started_before_the_prescan(
    scans, ways, discarded, monkeypatch, columnar
) -> None:
    monkeypatch.setenv("SOPCHECK_COLUMNAR", "1" if columnar else "0")
    one = _report(LOG, 1)
    scans.clear()
    assert _report(LOG, 2) == one
    assert ways == [True] and discarded == []  # the early shares held
    # The usual engine: the pre-scan made once, by the thread, while the workers ran. The
    # columnar engine's workers find out themselves that the file is plain and grouped: none.
    assert scans == ([] if columnar else [str(LOG)])


def test_a_log_sorted_by_time_is_not_cut_before_the_prescan(tmp_path: Path, scans, ways) -> None:
    # Its cases interleave from the first lines on: workers started early would only be stopped.
    rows = sorted(_rows(), key=lambda row: row.split(",")[2])
    log = _lines(tmp_path, rows)
    one = _report(log, 1)
    scans.clear()
    assert _report(log, 2) == one
    assert ways == []  # no shares at all: the main process reads and hands cases out
    assert scans == [str(log)]


def test_a_log_ungrouped_past_its_head_falls_back_with_the_same_report(
    tmp_path: Path, monkeypatch, scans, ways, discarded
) -> None:
    monkeypatch.setattr(csv_reader, "HEAD_SAMPLE", 4096)
    rows = _rows()
    tail = rows[100:]
    random.Random(7).shuffle(tail)
    log = _lines(tmp_path, rows[:100] + tail)
    one = _report(log, 1)
    scans.clear()
    assert _report(log, 2) == one
    assert ways == [True]  # cut early, then no shares: the file is not grouped
    assert len(discarded) == 1 and not any(p.name.startswith(runner.EARLY) for p in discarded[0])
    assert scans == [str(log)]  # the fallback goes by the thread's pre-scan: not made again


@pytest.mark.parametrize("head", [4096, 1 << 20])
def test_a_log_with_a_quoted_field_falls_back_with_the_same_report(
    tmp_path: Path, monkeypatch, scans, ways, head
) -> None:
    monkeypatch.setattr(csv_reader, "HEAD_SAMPLE", head)
    rows = _rows()
    rows[200] = rows[200].replace(",Bupati,", ',"Bupati, Magetan",', 1)
    log = _lines(tmp_path, rows)
    one = _report(log, 1)
    scans.clear()
    assert _report(log, 2) == one
    # Grouped, so shared at the case starts the pre-scan found: after early shares that did not
    # hold when the quote lies past the head the file was first looked at, or at once.
    assert ways == ([True, False] if head < log.stat().st_size // 2 else [False])
    assert scans == [str(log)]


def test_a_byte_the_encoding_cannot_decode_is_the_error_one_process_gives(tmp_path: Path) -> None:
    log = _lines(tmp_path, _rows())
    data = bytearray(log.read_bytes())
    data[len(data) * 3 // 4] = 0xFF  # in the second share, where an early worker reads it
    log.write_bytes(bytes(data))
    errors = []
    for jobs in (1, 2):
        with pytest.raises(InputError) as caught:
            audit(SOP, log, as_of="2026-11-25", jobs=jobs)
        errors.append((caught.value.key, caught.value.location))
    assert errors[0] == errors[1]
    assert errors[0][1].line is not None


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    sizes=st.lists(st.integers(1, 6), min_size=3, max_size=40),
    count=st.integers(2, 4),
    blanks=st.booleans(),
)
def test_byte_cuts_are_case_starts_and_the_shares_hold_every_case_whole(
    tmp_path: Path, sizes: list[int], count: int, blanks: bool
) -> None:
    rows = []
    for n, size in enumerate(sizes):
        for k in range(size):
            rows.append(f"C{n:03d},Menerima Surat Penawaran,2025-01-{k + 1:02d}T08:00:00+07:00,Bupati,,,KSDD,"
                        "2025-01-20,selesai,")
            if blanks and k == 0:
                rows.append("")
    log = _lines(tmp_path, rows, f"cuts-{count}.csv")
    whole = open_log(log)
    cases = {c.case_id: c for c in whole.cases()}
    early = open_log(log, scan=False)
    shares = early.early_shares(count)
    assume(shares is not None)  # None: no case starts after a cut (a big last case)
    lines = log.read_text(encoding="utf-8").split("\n")
    for share in shares[1:]:
        first, offset, _, plain = share.span
        assert plain and lines[first - 1].split(",")[0] != lines[first - 2].split(",")[0]
        assert len(log.read_bytes()[:offset].split(b"\n")) == first
    seen, parts = read_in_shares(shares)
    assert seen == cases
    before = whole.accounting
    early.absorb(parts)
    assert early.accounting.to_dict() == before.to_dict()
    assert not early._reader.scanned  # nothing here asked whether the file is grouped


class _Counts:
    """A progress callable that keeps every count it is given, in order."""

    def __init__(self, marks: list) -> None:
        self.marks = marks

    def __call__(self, events: int) -> None:
        self.marks.append(events)


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    """A log of the seed SOP from `sopcheck generate`: one the columnar engine takes."""
    from tests.conftest import run_cli

    path = tmp_path_factory.mktemp("generated") / "log.csv"
    made = run_cli(["generate", str(SOP), "--cases", "400", "--violation-rate", "0.1", "--seed", "3",
                    "-o", str(path)])
    assert made.code == 0, made.stderr
    return path


@pytest.mark.parametrize("columnar", [False, True])
def test_the_progress_line_counts_each_event_once_and_moves_before_the_verdict(
    generated: Path, monkeypatch, columnar
) -> None:
    """Shares cut before the pre-scan: their events are counted as the workers send them, not
    after the verdict that lets their cases be used (with the columnar engine it comes from
    the workers, at the end), and each event once."""
    monkeypatch.setenv("SOPCHECK_COLUMNAR", "1" if columnar else "0")
    marks: list = []
    verified = runner._verified

    def watched(*args):
        marks.append("verdict")
        return verified(*args)

    monkeypatch.setattr(runner, "_verified", watched)
    render = JsonLines("en", True)  # the columnar engine makes the JSON report's lines only
    report = audit(SOP, generated, as_of="2026-11-25", jobs=2, progress=_Counts(marks), render=render)
    counts = [m for m in marks if m != "verdict"]
    assert sum(counts) == report.rows.events_read > 0
    assert all(c >= 0 for c in counts)
    if columnar:
        assert "verdict" in marks and sum(marks[: marks.index("verdict")]) == report.rows.events_read


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_log_read_again_another_way_takes_its_counted_events_back(
    tmp_path: Path, monkeypatch, jobs
) -> None:
    """A file found ungrouped past its head after its first reading began (the workers of early
    shares, or the columnar engine in one process): the progress line takes back what it
    counted, so the counts add up to the events, each once."""
    monkeypatch.setenv("SOPCHECK_COLUMNAR", "1")
    monkeypatch.setattr(csv_reader, "HEAD_SAMPLE", 4096)
    rows = _rows()
    tail = rows[100:]
    random.Random(7).shuffle(tail)
    log = _lines(tmp_path, rows[:100] + tail)
    marks: list = []
    render = JsonLines("en", True)
    report = audit(SOP, log, as_of="2026-11-25", jobs=jobs, progress=_Counts(marks), render=render)
    assert sum(marks) == report.rows.events_read == len(rows)
    assert any(m < 0 for m in marks)  # taken back
