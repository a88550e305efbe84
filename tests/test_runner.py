"""The runner: worker processes give the same report as one process, a spilled store reads back
every case sorted, and the streamed JSON is the same bytes as one dump of the records."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from checker.api import audit
from checker.conformance import runner
from checker.conformance.results import CaseResult
from checker.conformance.store import CaseStore
from checker.readers import share as share_module
from checker.reporters.audit import joined, json_chunks
from checker.reporters.records import report_records
from tests.conftest import read_in_shares

ROOT = Path(__file__).resolve().parents[1]
SOP = ROOT / "rules" / "magetan" / "penawaran-kerja-sama.yaml"
LOG = ROOT / "fixtures" / "logs" / "penawaran-kerja-sama.csv"


pytestmark = pytest.mark.usefixtures("workers_for_small_logs")


def test_a_small_log_is_audited_without_workers(monkeypatch) -> None:
    monkeypatch.setattr(runner, "SMALL", 1 << 30)

    def no_workers(*args, **kwargs):
        raise AssertionError("workers started for a small log")

    monkeypatch.setattr(share_module, "worker_context", no_workers)
    report = audit(SOP, LOG, as_of="2026-11-25", jobs=2)
    assert len(report.cases) == 44


def test_workers_give_the_same_report_as_one_process() -> None:
    one = joined(json_chunks(audit(SOP, LOG, as_of="2026-11-25", jobs=1), "en"))
    two = joined(json_chunks(audit(SOP, LOG, as_of="2026-11-25", jobs=2), "en"))
    assert one == two
    # without --as-of the open cases wait for the log's latest event: still the same
    assert joined(json_chunks(audit(SOP, LOG, jobs=2), "en")) == "".join(
        json_chunks(audit(SOP, LOG, jobs=1), "en")
    )


def test_streamed_json_is_one_dump_of_the_records() -> None:
    report = audit(SOP, LOG, as_of="2026-11-25")
    streamed = joined(json_chunks(report, "id"))
    records = report_records(report, "id")
    assert json.loads(streamed) == records
    # One case (and one finding) per line: a report of a million cases stays greppable.
    lines = streamed.splitlines()
    for case in records["cases"]:
        assert sum(f'"case_id": {json.dumps(case["case_id"])}, "compliant"' in line for line in lines) == 1
    assert json.loads(streamed)["summary"]["cases"] == len(report.cases)


def _result(case_id: str, fitness: float = 1.0) -> CaseResult:
    status = "complete" if fitness == 1.0 else "in_progress"
    return CaseResult(case_id, status, fitness, 0, "1", {}, (), (), (), (), None, None)


@given(
    st.lists(
        st.tuples(st.text(min_size=1, max_size=6), st.floats(0, 1).map(lambda f: round(f, 6))),
        min_size=0,
        max_size=60,
    ),
    st.integers(1, 7),
)
def test_a_spilled_store_reads_back_every_case_sorted(items: list[tuple[str, float]], buffer: int) -> None:
    from checker.conformance.store import dumps
    from checker.conformance.tally import Tally, digest

    store = CaseStore(buffer=buffer)
    for i, (case_id, fitness) in enumerate(items):
        result = _result(case_id, fitness)
        if i % 2:
            store.add(result)
        else:
            store.add_pickled(case_id, dumps(result), digest(result))
    assert len(store) == len(items)
    for _ in range(2):  # reporters read it more than once
        assert [r.case_id for r in store] == sorted(i for i, _ in items)
    # The totals kept while filing equal a recount of what reads back.
    assert store.tally == Tally.of(store)


@pytest.mark.parametrize("jobs", [1, 2])
def test_the_example_log_is_audited_whole(jobs: int) -> None:
    report = audit(SOP, LOG, as_of="2026-11-25", jobs=jobs)
    events = sum(len(c.events) for c in report.cases)
    assert events == report.rows.accepted  # every accepted row is an event of some case
    assert len({c.case_id for c in report.cases}) == len(report.cases) == 44


def test_a_report_into_a_missing_folder_is_one_line_and_exit_2(run_cli, tmp_path) -> None:
    target = tmp_path / "no-such-folder" / "report.json"
    result = run_cli(["audit", str(SOP), str(LOG), "--format", "json", "-o", str(target)])
    assert result.code == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert str(target) in result.stderr and not target.exists()


def test_the_text_report_has_no_english_severity_in_indonesian(run_cli) -> None:
    result = run_cli(["audit", str(SOP), str(LOG), "--as-of", "2026-11-25", "--lang", "id"])
    findings = result.stdout.split("Temuan:")[1]
    assert "galat FL001" in findings
    assert " error " not in findings and " warning " not in findings


def _messy_log(tmp_path: Path) -> Path:
    """The example log with what real exports hold between the cases: rows without a case id, a
    bad timestamp, a short row, blank lines, a quoted field spanning two lines, a case attribute
    that changes within its case."""
    lines = LOG.read_text(encoding="utf-8").splitlines()
    header, rows = lines[0], lines[1:]
    out = [header]
    for i, row in enumerate(rows):
        out.append(row)
        if i % 7 == 3:
            case_id = row.split(",", 1)[0]
            out.append(f"{case_id},Rapat TKKSD,not-a-date,Bupati,,,KSDD,2025-01-20,selesai,")
            out.append(",Disposisi,2025-02-01T10:00:00+07:00,Bupati,,,KSDD,2025-01-20,selesai,")
            out.append("")
        if i % 11 == 5:
            case_id = row.split(",", 1)[0]
            out.append(f"{case_id},too,short")
            out.append(f'{case_id},Arsip,2025-03-03T10:00:00+07:00,"Sekretariat\nTKKSD",,,KSPK,2025-01-20,selesai,')
    path = tmp_path / "messy.csv"
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


@pytest.fixture(params=["span", "hash"])
def way(request, monkeypatch) -> str:
    """Shares by span (each worker reads its own lines or rows), or by hash (each worker reads the
    whole file, the way taken where spans cannot be found): both must give one reader's report."""
    if request.param == "hash":
        from checker.readers.csv_reader import CsvReader
        from checker.readers.parquet_reader import ParquetReader

        monkeypatch.setattr(CsvReader, "spans", lambda self, count: None)
        monkeypatch.setattr(ParquetReader, "spans", lambda self, count: None)
    return request.param


def _shares(source, count: int, way: str) -> list:
    shares = source.shares(count)
    assert shares is not None and len(shares) == count  # the shared read is what runs
    assert all((share.span is not None) == (way == "span") for share in shares)
    return shares


def test_workers_reading_their_own_shares_give_the_report_of_one_reader(tmp_path: Path, way: str) -> None:
    from checker.readers import open_log

    log = _messy_log(tmp_path)
    _shares(open_log(log), 2, way)
    one = audit(SOP, log, as_of="2026-11-25", jobs=1, rejects=str(tmp_path / "one.csv"))
    two = audit(SOP, log, as_of="2026-11-25", jobs=2, rejects=str(tmp_path / "two.csv"))
    assert one.rows.rejected > 10 and one.rows.accepted > 300
    assert joined(json_chunks(two, "en")) == joined(json_chunks(one, "en"))
    assert (tmp_path / "two.csv").read_bytes() == (tmp_path / "one.csv").read_bytes()


def test_the_shares_account_for_every_row_once(tmp_path: Path, way: str) -> None:
    from checker.readers import open_log

    log = _messy_log(tmp_path)
    whole = open_log(log)
    cases = {c.case_id: c for c in whole.cases()}
    seen, parts = read_in_shares(_shares(whole, 3, way))
    assert seen == cases
    before = whole.accounting
    whole.absorb(parts)
    assert whole.accounting.to_dict() == before.to_dict()
    assert whole.accounting.balanced


def test_a_strict_read_is_not_shared() -> None:
    from checker.readers import open_log
    from checker.readers.options import ReadOptions

    assert open_log(LOG, ReadOptions(strict=True)).shares(2) is None
    assert open_log(LOG).shares(1) is None


def _messy_parquet(tmp_path: Path) -> Path:
    """The messy CSV log as Parquet (string columns), so that its bad rows stay bad."""
    pa = pytest.importorskip("pyarrow")
    import csv

    import pyarrow.parquet as pq

    with open(_messy_log(tmp_path), encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header, body = rows[0], [r for r in rows[1:] if len(r) == len(rows[0])]
    columns = {name: [r[i] or None for r in body] for i, name in enumerate(header)}
    path = tmp_path / "messy.parquet"
    pq.write_table(pa.table(columns), path, row_group_size=50)
    return path


def test_a_parquet_log_read_in_shares_gives_the_report_of_one_reader(tmp_path: Path, way: str) -> None:
    from checker.readers import open_log

    log = _messy_parquet(tmp_path)
    whole = open_log(log)
    _shares(whole, 2, way)
    one = audit(SOP, log, as_of="2026-11-25", jobs=1)
    two = audit(SOP, log, as_of="2026-11-25", jobs=2)
    assert one.rows.rejected > 10
    assert joined(json_chunks(two, "en")) == joined(json_chunks(one, "en"))
    cases = {c.case_id: c for c in whole.cases()}
    before = whole.accounting
    parts, seen = [], {}
    for share in _shares(whole, 3, way):
        source = share.open()
        seen.update({c.case_id: c for c in source.cases()})
        parts.append(source.accounting)
    assert seen == cases
    whole.absorb(parts)
    assert whole.accounting.to_dict() == before.to_dict()


@given(st.lists(st.integers(), max_size=40), st.integers(1, 5))
def test_the_spool_gives_back_every_item_in_order(items: list[int], buffer: int) -> None:
    from checker.conformance.store import Spool

    spool = Spool(buffer=buffer)
    for item in items:
        spool.append(("pending", item))
    assert len(spool) == len(items)
    assert list(spool) == [("pending", item) for item in items]
    spool.close()


def test_open_cases_waiting_for_the_audit_date_are_spooled(monkeypatch) -> None:
    from checker.conformance import store

    # Without --as-of, open cases wait for the log's latest event; a buffer of 2 spills them.
    waited = []
    append = store.Spool.append

    def counted(self, item):
        waited.append(item)
        append(self, item)

    monkeypatch.setattr(store.Spool.__init__, "__defaults__", (2,))  # (WAITING is 1,000)
    monkeypatch.setattr(store.Spool, "append", counted)
    spilled = joined(json_chunks(audit(SOP, LOG, jobs=1), "en"))
    monkeypatch.undo()
    assert len(waited) > 2  # more waited than the buffer holds: they went through the file
    assert spilled == joined(json_chunks(audit(SOP, LOG, jobs=1), "en"))


def test_a_log_read_by_this_process_is_fed_to_the_workers_the_same(tmp_path: Path) -> None:
    import csv

    from checker.readers import open_log

    # JSON Lines is not read in shares: the main process reads, the pool audits.
    with open(LOG, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    log = tmp_path / "log.jsonl"
    log.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    assert open_log(log).shares(2) is None
    one = joined(json_chunks(audit(SOP, log, as_of="2026-11-25", jobs=1), "en"))
    assert joined(json_chunks(audit(SOP, log, as_of="2026-11-25", jobs=2), "en")) == one
    assert joined(json_chunks(audit(SOP, log, jobs=2), "en")) == "".join(
        json_chunks(audit(SOP, log, jobs=1), "en")
    )


def test_case_results_pickle_plain_and_come_back_equal() -> None:
    """Results cross processes and disk as plain tuples (CaseResult.__reduce__): what comes
    back is equal, with its named tuples and findings restored."""
    import pickle

    from checker.conformance.results import Evidence, Finding, Move, StepTime

    report = audit(SOP, LOG, as_of="2026-11-25", jobs=1)
    results = list(report.cases)
    assert any(r.findings for r in results) and any(r.times for r in results)
    for result in results:
        back = pickle.loads(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
        assert back == result
        assert all(type(e) is Evidence for e in back.events)
        assert all(type(m) is Move for m in back.moves)
        assert all(type(t) is StepTime for t in back.times)
        for finding in back.all_findings():
            assert type(finding) is Finding and all(type(e) is Evidence for e in finding.evidence)


def test_every_record_of_a_report_has_its_keys_in_sorted_order() -> None:
    """The JSON report encodes case and finding records without sorting them (a large report's
    cost): they must be built sorted, down to the last nested dict, traces or not."""
    from checker.reporters.records import case_record, finding_record

    def sorted_through(value) -> bool:
        if isinstance(value, dict):
            return list(value) == sorted(value) and all(sorted_through(v) for v in value.values())
        if isinstance(value, list):
            return all(sorted_through(v) for v in value)
        return True

    report = audit(SOP, LOG, as_of="2026-11-25", jobs=1)
    findings = [f for case in report.cases for f in case.all_findings()]
    assert findings and any(f.consequences for f in findings) and any(f.evidence for f in findings)
    for case in report.cases:
        for traces in (True, False):
            assert sorted_through(case_record(case, "id", traces=traces))
    for finding in findings:
        assert sorted_through(finding_record(finding, "en"))


def test_a_case_line_with_its_alignment_encoded_once_per_variant_is_the_whole_record_encoded() -> None:
    """JsonLines splices each variant's alignment text (encoded once) into the case's line: the
    line must be the very text of the whole record encoded, traces or not, in both languages."""
    import json

    from checker.reporters.audit import JsonLines
    from checker.reporters.records import case_record, finding_record

    report = audit(SOP, LOG, as_of="2026-11-25", jobs=1)
    assert len({c.moves for c in report.cases}) < len(report.cases)  # variants shared
    encode = json.JSONEncoder(ensure_ascii=False).encode
    for lang in ("id", "en"):
        for traces in (True, False):
            render = JsonLines(lang, traces)
            for case in report.cases:
                line, findings = render(case)
                assert line == ",\n  " + encode(case_record(case, lang, traces=traces))
                assert findings == "".join(",\n  " + encode(finding_record(f, lang)) for f in case.findings)


@pytest.mark.parametrize("jobs", [1, 2])
def test_json_lines_rendered_as_cases_are_audited_are_the_report_of_rendering_at_the_end(
    tmp_path: Path, jobs: int
) -> None:
    """The command has the workers render each case's JSON lines (JsonLines); the report is the
    same bytes as one rendered from the stored results at the end."""
    from checker.reporters.audit import JsonLines

    log = _messy_log(tmp_path)
    plain = audit(SOP, log, as_of="2026-11-25", jobs=jobs)
    for lang, traces in (("en", True), ("id", False)):
        render = JsonLines(lang, traces)
        early = audit(SOP, log, as_of="2026-11-25", jobs=jobs, render=render)
        assert early.cases.rendering == render  # the rendered lines are what is written
        # Workers file their lines in runs of their own, which the main process adopts.
        assert early.cases.spilled == (jobs > 1)
        late = replace(plain, traces=traces)
        assert joined(json_chunks(replace(early, traces=traces), lang)) == joined(json_chunks(late, lang))


def test_a_spilled_store_gives_each_rendering_in_case_order() -> None:
    from checker.reporters.audit import JsonLines

    render = JsonLines("en", True)
    results = list(audit(SOP, LOG, as_of="2026-11-25", jobs=1).cases)
    store = CaseStore(buffer=7, rendering=render)
    for result in reversed(results):
        store.add(result)
    assert store.spilled and len(store) == len(results)
    ordered = sorted(results, key=lambda r: r.case_id)
    for k in (0, 1):
        assert _text(store.stream(k)) == "".join(render(r)[k] for r in ordered)
    with pytest.raises(ValueError):
        list(store)  # the renderings are all it kept
    bare = CaseStore(buffer=7)
    bare.add(results[0])
    with pytest.raises(ValueError):
        list(bare.stream(0))


def _text(pieces) -> str:
    return "".join(p.decode("utf-8") if isinstance(p, bytes) else p for p in pieces)


def _streams(store: CaseStore) -> tuple[str, str]:
    return _text(store.stream(0)), _text(store.stream(1))


def _render_ids(result: CaseResult) -> tuple[str, str]:
    # Report text for a case: several lines, and its id (not ASCII in some examples).
    return f"line of {result.case_id};" * 3, f"[{result.case_id}]"


def test_the_runs_of_a_log_sorted_by_case_id_are_copied_whole(monkeypatch) -> None:
    """A log sorted by case id fills runs of disjoint ranges: reading them back copies each run
    in one stretch; a log out of order has its runs merged in many, to the same text."""
    from checker.conformance import textruns

    ids = [f"C{n:04d}é" for n in range(60)]
    expected = tuple("".join(_render_ids(_result(i))[k] for i in ids) for k in (0, 1))
    stretches = []
    real = textruns._stretches
    monkeypatch.setattr(textruns, "_stretches", lambda *a: (stretches.append(s) or s for s in real(*a)))
    store = CaseStore(buffer=7, rendering=_render_ids)
    for case_id in ids:
        store.add(_result(case_id))
    assert store.spilled and _streams(store) == expected
    assert len(stretches) == 2 * (60 // 7 + 1)  # each run, and the buffer, whole: for each stream
    stretches.clear()
    shuffled = CaseStore(buffer=7, rendering=_render_ids)
    for case_id in ids[1::2] + ids[::2]:
        shuffled.add(_result(case_id))
    assert _streams(shuffled) == expected and len(stretches) > 60


@given(
    st.lists(st.text(min_size=1, max_size=5), unique=True, max_size=80),
    st.integers(1, 400),
    st.integers(3, 5),
)
def test_a_store_bounded_by_bytes_and_fan_in_reads_back_in_order(
    case_ids: list[str], bytes_: int, fan_in: int
) -> None:
    # Renderings as report lines: the buffer spills on their size, and past fan_in runs the
    # runs are merged, so the final merge never opens more than fan_in of them.
    render = _render_ids
    store = CaseStore(buffer=10_000, rendering=render, bytes_=bytes_, fan_in=fan_in)
    opened = []
    for case_id in case_ids:
        store.add(_result(case_id))
        opened.append(len(store._runs))
    assert max(opened, default=0) < fan_in
    ordered = [render(_result(i)) for i in sorted(case_ids)]
    assert _streams(store) == ("".join(t[0] for t in ordered), "".join(t[1] for t in ordered))
    if sum(len(render(_result(i))[0]) for i in case_ids) >= 2 * bytes_ + 100:
        assert store.spilled  # the case count (10,000) was never reached: the bytes spilled it


@given(
    st.lists(st.text(min_size=1, max_size=5), unique=True, max_size=60),
    st.lists(st.integers(0, 2), max_size=60),
    st.integers(1, 300),
    st.integers(3, 5),
)
def test_a_store_that_adopts_its_workers_runs_reads_back_as_one_store(
    case_ids: list[str], owners: list[int], bytes_: int, fan_in: int
) -> None:
    """With --jobs, each worker files its cases' lines in a store of its own, in the main store's
    folder, and the main store counts them and adopts the runs: it must read back as one store
    that filed every case, with its totals, and never hold more than fan_in runs."""
    render = _render_ids
    main = CaseStore(buffer=10_000, rendering=render, bytes_=bytes_, fan_in=fan_in)
    workers = [CaseStore(buffer=10_000, rendering=render, bytes_=bytes_, fan_in=fan_in,
                         directory=main.directory(), prefix=f"w{i}-") for i in range(3)]
    alone = CaseStore(rendering=render)
    for n, case_id in enumerate(case_ids):
        result = _result(case_id)
        if n < len(owners) and owners[n] < 3:
            worker = workers[owners[n]]
            worker.add(result)
        else:
            main.add(result)  # filed by the main process itself (a case that waited)
        alone.add(result)
    for worker in workers:
        main.adopt(worker.finish())
        assert len(main._runs) < fan_in
    assert len(main) == len(case_ids)
    assert main.tally == alone.tally
    assert _streams(main) == _streams(alone)


_DIGESTS = st.tuples(
    st.sampled_from(["complete", "in_progress", "ended_early", "overdue", "not_judged"]),
    st.booleans(),
    st.integers(0, 1_000_000),
    st.lists(st.tuples(st.sampled_from(["FL001", "AC001", "DC002"]), st.sampled_from(["error", "warning"]),
                       st.sampled_from([None, "disposisi", "arsip"])), max_size=3).map(tuple),
    st.lists(st.tuples(st.sampled_from(["FL001", "AC001", "DC001"]), st.sampled_from(["error", "warning"])),
             max_size=4).map(tuple),
)


@given(st.lists(st.tuples(_DIGESTS, st.integers(0, 5)), max_size=6))
def test_a_digest_added_many_times_at_once_totals_as_added_one_by_one(counted: list) -> None:
    """Tally.add_many(d, n), how the columnar engine files the cases of one template, is n
    times Tally.add(d), findings and all."""
    from checker.conformance.tally import Tally

    at_once, one_by_one = Tally(), Tally()
    for summary, count in counted:
        at_once.add_many(summary, count)
        for _ in range(count):
            one_by_one.add(summary)
    assert at_once == one_by_one


def test_rendered_cases_must_be_counted_by_their_totals() -> None:
    """Cases filed rendered carry their totals: totals that miss a case are refused, not
    silently dropped from the summary."""
    from checker.conformance.store import Rendered
    from checker.conformance.tally import CLEAN
    from checker.reporters.audit import JsonLines

    store = CaseStore(rendering=JsonLines("en", True))
    store.add_rendered(Rendered(["a", "b"], ["x", "y"], ["", "z"], [(CLEAN, 1), (CLEAN, 1)]))
    assert len(store) == 2 and store.tally.cases == 2
    with pytest.raises(ValueError, match="totals"):
        store.add_rendered(Rendered(["c", "d"], ["x", "y"], ["", ""], [(CLEAN, 1)]))


@pytest.mark.parametrize("kind", ["csv", "parquet"])
def test_open_cases_settled_in_the_workers_wait_for_the_latest_event_of_the_whole_log(
    tmp_path: Path, kind: str
) -> None:
    """Without --as-of each worker settles its own open cases, on the audit date the main process
    sends once every worker has read its share: the latest event of the whole log, not of the
    share. The first share holds only cases open since January 2025, its own latest event before
    their next step is due; the second share's cases end in December, so all are overdue."""
    import csv

    from checker.cli import main
    from checker.readers import open_log

    with open(LOG, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header, first = rows[0], [r for r in rows[1:] if r[0] == "KS-2025-001"]
    body = [[f"A{n:04d}", *row[1:]] for n in range(150) for row in first[:2]]
    for n in range(20):  # the same case, eleven months later
        body += [[f"B{n:04d}", row[1], row[2].replace("2025-0", "2025-1"), *row[3:]] for row in first]
    log = tmp_path / "open.csv"
    with open(log, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows([header, *body])
    if kind == "parquet":
        pa = pytest.importorskip("pyarrow")
        import pyarrow.parquet as pq

        table = pa.table({name: [r[i] for r in body] for i, name in enumerate(header)})
        log = tmp_path / "open.parquet"
        pq.write_table(table, log, row_group_size=64)
    source = open_log(log, scan=False)  # (as the audit opens it: a CSV file is cut before its pre-scan)
    shares = source.early_shares(2) or source.shares(2)
    assert shares is not None and len(shares) == 2
    first_share = {c.case_id for c in shares[0].open().cases()}
    assert first_share and all(case_id.startswith("A") for case_id in first_share)

    reports = []
    for jobs in (1, 2):  # the command in this process (runner.SMALL is 0 here), its JSON report
        out = tmp_path / f"jobs{jobs}.json"
        with pytest.raises(SystemExit) as end:
            main(["audit", str(SOP), str(log), "--format", "json", "-o", str(out), "--jobs", str(jobs)])
        assert end.value.code == 1  # findings
        reports.append(out.read_bytes())
    statuses = {c["case_id"]: c["status"] for c in json.loads(reports[0])["cases"]}
    assert {statuses[case_id] for case_id in first_share} == {"overdue"}
    assert reports[1] == reports[0]
