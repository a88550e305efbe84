"""The columnar engine (checker.columnar) against the case-by-case engine, report for report.

The columnar engine promises a JSON report byte for byte the usual engine's, for every log, with
--jobs 1 and --jobs 2. Each test here audits one log both ways (SOPCHECK_COLUMNAR=0: the usual
engine, the reference) and compares the exit statuses, the standard error and the report files'
bytes. It also checks that the columnar engine really audited the log where it should
(Engine.batches ran; where clean cases of one kind repeat, Engine.fast counts the lines it
rendered itself), or stepped aside where it must, so that no test passes by the engine silently
declining.

Runs with --jobs 1 go through checker.cli.main in this process. Runs with --jobs 2 start
`python -m checker` with a sitecustomize module (written to tmp_path) that counts the engine's
work in every process, the share workers included, and can set chunks.CHUNK and runner.SMALL
there. chunks.CHUNK set small forces many chunk boundaries and cases that span chunks.

The edge cases edit a log written by `sopcheck generate`: most edit a copy of a case the
generator made compliant, put right after it, so that the copy has the kind (the engine's key)
of a case already audited as a sample: the columnar engine then renders it itself unless it
sees the edit.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import tempfile
import traceback
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import NamedTuple

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytest.importorskip("pyarrow", reason="the columnar engine needs pyarrow (the parquet extra)")

from checker.cli import main  # noqa: E402
from checker.columnar import chunks  # noqa: E402
from checker.columnar.columns import EDGE_SPACE, SPACE  # noqa: E402
from checker.columnar.engine import Engine  # noqa: E402
from checker.conformance import runner  # noqa: E402
from tests.conftest import REPO_ROOT, run_cli  # noqa: E402

RULES = REPO_ROOT / "rules"
MAGETAN = RULES / "magetan" / "penawaran-kerja-sama.yaml"
RUNNING = RULES / "examples" / "running-example.yaml"
OTHER_SOPS = sorted(
    p for p in RULES.rglob("*.yaml") if not p.name.endswith(".cases.yaml") and p != MAGETAN
)
# The engine's plan declines an SOP with deadlines (road-traffic-fines, wabo-receipt) or an
# effective date (the second revision of MAGETAN); it takes these:
TAKEN = {"bpic2012-loan", "running-example"}
START = "case:tanggal_surat_masuk"  # MAGETAN's case.start_attribute, as the generator names it


# -- running an audit both ways ---------------------------------------------------------------


class Audit(NamedTuple):
    status: int
    stderr: str
    report: bytes | None  # None: no report file written
    rejects: bytes | None = None  # the --rejects file, when asked for


def _arguments(sop: Path, log: Path, out: Path, name: str, jobs: int, options: Sequence[object],
               rejects: bool) -> tuple[list[object], Path, Path]:
    """The audit command's arguments for a run called `name`; its report and rejects paths."""
    report, rejected = out / f"{name}.json", out / f"{name}.rejects.csv"
    args = ["audit", sop, log, "--format", "json", "-o", report, "--jobs", jobs, *options]
    return [*args, "--rejects", rejected] if rejects else args, report, rejected


def _read(path: Path) -> bytes | None:
    return path.read_bytes() if path.exists() else None


@dataclass
class Outcome:
    usual: Audit
    columnar: Audit
    runs: list[tuple[str, int, int]]  # per columnar Engine: (process name, fast, sampled)

    @property
    def ran(self) -> bool:
        return bool(self.runs)

    @property
    def fast(self) -> int:
        return sum(fast for _, fast, _ in self.runs)

    @property
    def in_workers(self) -> bool:
        return any(name != "MainProcess" for name, _, _ in self.runs)


def _cli(args: Sequence[object]) -> tuple[int, str]:
    """`sopcheck ARGS` in this process: (exit status, standard error); a bug's traceback is
    status -1 and the traceback, so that a crash of one engine shows as a difference."""
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            main([str(a) for a in args])
            code: object = 0
        except SystemExit as end:
            code = end.code
        except Exception:  # noqa: BLE001 - a bug, reported as the run's outcome
            return -1, err.getvalue() + traceback.format_exc()
    return (code if isinstance(code, int) else 0 if code is None else 2), err.getvalue()


def _difference(usual: Audit, columnar: Audit) -> str | None:
    """Where the two audits differ (None: they do not): the reports first, then the exit
    statuses and standard error."""
    a, b = usual.report, columnar.report
    if a != b:
        if a is None or b is None:
            return (
                f"a report from one engine only (usual: {a is not None}, columnar: {b is not None})\n"
                f"usual: exit {usual.status}, stderr {usual.stderr[-1500:]!r}\n"
                f"columnar: exit {columnar.status}, stderr {columnar.stderr[-1500:]!r}"
            )
        at = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
        low = max(0, at - 150)
        return (
            f"the reports differ from byte {at} (sizes {len(a)} and {len(b)}):\n"
            f"usual:    ...{a[low : at + 250]!r}\ncolumnar: ...{b[low : at + 250]!r}"
        )
    if usual.rejects != columnar.rejects:
        return f"the rejects files differ:\nusual:    {usual.rejects!r}\ncolumnar: {columnar.rejects!r}"
    if usual.status != columnar.status or usual.stderr != columnar.stderr:
        return (
            f"exit status {usual.status} (usual) vs {columnar.status} (columnar)\n"
            f"usual stderr:    {usual.stderr!r}\ncolumnar stderr: {columnar.stderr!r}"
        )
    return None


def _check(outcome: Outcome) -> Outcome:
    problem = _difference(outcome.usual, outcome.columnar)
    assert problem is None, problem
    return outcome


def audit_both(
    sop: Path, log: Path, out: Path, *options: object, chunk: int | None = None, rejects: bool = False,
    frame: int | None = None,
) -> Outcome:
    """Audit `log` with --jobs 1 in this process, the usual way and the columnar way (CHUNK set
    to `chunk`, and FRAME_ROWS, a Parquet file's, to `frame`), and assert the two reports
    identical (and the --rejects files, with `rejects`)."""
    engines: list[Engine] = []
    batches = Engine.batches

    def watched(self: Engine) -> Iterator:
        engines.append(self)
        return batches(self)

    audits: dict[str, Audit] = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(Engine, "batches", watched)
        mp.setattr(runner, "SMALL", 0)  # the columnar engine for these small logs too
        if chunk is not None:
            mp.setattr(chunks, "CHUNK", chunk)
        if frame is not None:
            mp.setattr(chunks, "FRAME_ROWS", frame)
        mp.delenv("SOPCHECK_LANG", raising=False)
        for flag, name in (("0", "usual"), ("1", "columnar")):
            mp.setenv("SOPCHECK_COLUMNAR", flag)
            args, report, rejected = _arguments(sop, log, out, name, 1, options, rejects)
            status, err = _cli(args)
            audits[name] = Audit(status, err, _read(report), _read(rejected))
            if flag == "0":
                assert not engines, "SOPCHECK_COLUMNAR=0 must switch the columnar engine off"
    runs = [("MainProcess", e.fast, e.sampled) for e in engines]
    return _check(Outcome(audits["usual"], audits["columnar"], runs))


SITE = '''\
"""Test hook (tests/test_columnar.py): counts the columnar engine's work in every process."""
import os

if os.environ.get("SOPCHECK_TEST_COUNTS"):
    import multiprocessing

    from checker.columnar import chunks, engine
    from checker.conformance import runner

    if os.environ.get("SOPCHECK_TEST_CHUNK"):
        chunks.CHUNK = int(os.environ["SOPCHECK_TEST_CHUNK"])
    if os.environ.get("SOPCHECK_TEST_FRAME"):
        chunks.FRAME_ROWS = int(os.environ["SOPCHECK_TEST_FRAME"])
    if os.environ.get("SOPCHECK_TEST_SMALL"):
        runner.SMALL = int(os.environ["SOPCHECK_TEST_SMALL"])
    _batches = engine.Engine.batches

    def _counted(self):
        try:
            yield from _batches(self)
        finally:
            with open(os.environ["SOPCHECK_TEST_COUNTS"], "a", encoding="utf-8") as out:
                name = multiprocessing.current_process().name
                out.write(f"{name} {self.fast} {self.sampled}\\n")

    engine.Engine.batches = _counted
'''


def audit_both_jobs(
    sop: Path,
    log: Path,
    out: Path,
    *options: object,
    jobs: int = 2,
    chunk: int | None = None,
    small: int | None = None,
    rejects: bool = False,
    frame: int | None = None,
) -> Outcome:
    """audit_both in a `python -m checker` subprocess with --jobs `jobs`; `small` sets
    runner.SMALL there (0: worker shares however small the log)."""
    site = out / "site"
    site.mkdir(exist_ok=True)
    (site / "sitecustomize.py").write_text(SITE, encoding="utf-8")
    audits: dict[str, Audit] = {}
    runs: list[tuple[str, int, int]] = []
    for flag, name in (("0", "usual"), ("1", "columnar")):
        counts = out / f"{name}.counts"
        env = {
            "PYTHONPATH": os.pathsep.join([str(site), str(REPO_ROOT)]),
            "SOPCHECK_COLUMNAR": flag,
            "SOPCHECK_TEST_COUNTS": str(counts),
            "SOPCHECK_TEST_CHUNK": "" if chunk is None else str(chunk),
            "SOPCHECK_TEST_SMALL": "" if small is None else str(small),
            "SOPCHECK_TEST_FRAME": "" if frame is None else str(frame),
        }
        args, report, rejected = _arguments(sop, log, out, name, jobs, options, rejects)
        code, _, err = run_cli(args, env=env)
        assert "Traceback" not in err, err
        audits[name] = Audit(code, err, _read(report), _read(rejected))
        found = counts.read_text("utf-8").split("\n") if counts.exists() else []
        parsed = [(p[0], int(p[1]), int(p[2])) for p in (line.split() for line in found) if p]
        if flag == "0":
            assert not parsed, "SOPCHECK_COLUMNAR=0 must switch the columnar engine off"
        else:
            runs = parsed
    return _check(Outcome(audits["usual"], audits["columnar"], runs))


# -- logs -------------------------------------------------------------------------------------


def generate(sop: Path, path: Path, *, cases: int, rate: float, seed: int) -> Path:
    """`sopcheck generate` in this process."""
    status, err = _cli(
        ["generate", sop, "--cases", cases, "--violation-rate", rate, "--seed", seed, "-o", path]
    )
    assert status == 0, err
    return path


@pytest.fixture(scope="module")
def logs(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Path]:
    """generate(), each log written once per module."""
    folder = tmp_path_factory.mktemp("generated")
    made: dict[tuple, Path] = {}

    def get(sop: Path = MAGETAN, *, cases: int, rate: float, seed: int) -> Path:
        key = (sop, cases, rate, seed)
        if key not in made:
            made[key] = generate(sop, folder / f"{sop.stem}-{cases}-{rate}-{seed}.csv",
                                 cases=cases, rate=rate, seed=seed)
        return made[key]

    return get


@dataclass
class Log:
    """A plain CSV log as cells, its rows by case (row lists are edited in place)."""

    header: list[str]
    cases: list[list[list[str]]]
    compliant: list[str]  # ids of the cases the generator made complete without a finding
    copies: int = 0

    @classmethod
    def read(cls, path: Path) -> Log:
        lines = path.read_text("utf-8").splitlines()
        header = lines[0].split(",")
        cases: list[list[list[str]]] = []
        for line in lines[1:]:
            row = line.split(",")
            if not cases or cases[-1][0][0] != row[0]:
                cases.append([])
            cases[-1].append(row)
        compliant = []
        truth = Path(f"{path}.truth.jsonl")
        if truth.exists():
            for record in map(json.loads, truth.read_text("utf-8").splitlines()[1:]):
                if record["status"] == "complete" and not record["findings"]:
                    compliant.append(record["case_id"])
        return cls(header, cases, compliant)

    def col(self, name: str) -> int:
        return self.header.index(name)

    def donor(self, k: int = 0) -> int:
        """The index of the k-th compliant case of at least 4 events (counted from the end for
        negative k)."""
        ids = set(self.compliant)
        found = [i for i, rows in enumerate(self.cases) if rows and rows[0][0] in ids and len(rows) >= 4]
        assert found, "no compliant case to copy"
        return found[k % len(found)]

    def copy(self, i: int, suffix: str | None = None) -> list[list[str]]:
        """A copy of case i, put right after it under the id `<id><suffix>` (by default `-x1`,
        `-x2`... a new one each time): its rows."""
        self.copies += 1
        suffix = f"-x{self.copies}" if suffix is None else suffix
        rows = [list(r) for r in self.cases[i]]
        for row in rows:
            if row and row[0].strip():  # not a blank row, nor one without a case id
                row[0] += suffix
        self.cases.insert(i + 1, rows)
        return rows

    def text(self, delimiter: str = ",", end: str = "\n") -> str:
        lines = [self.header] + [row for rows in self.cases for row in rows]
        return "".join(delimiter.join(cells) + end for cells in lines)

    def write(self, path: Path, *, delimiter: str = ",", end: str = "\n", prefix: str = "",
              last_end: bool = True) -> Path:
        text = prefix + self.text(delimiter, end)
        if not last_end:
            text = text[: -len(end)]
        path.write_bytes(text.encode("utf-8"))
        return path


def retime(
    log: Log, rows: list[list[str]], day: date, stamps: Callable[[int, str], str] | None = None
) -> None:
    """Put every event of `rows` on `day` a minute apart (08:00, 08:01, ...) in the calendar's
    offset, and the case's start there: in time order, each step within its time allowed (none
    takes a day), the case as compliant as before. `stamps(i, stamp)` may rewrite event i's."""
    t, s = log.col("timestamp"), log.col(START) if START in log.header else None
    for i, row in enumerate(_events(log, rows)):
        stamp = f"{day.isoformat()}T08:{i:02d}:00+07:00"
        row[t] = stamps(i, stamp) if stamps else stamp
        if s is not None:
            row[s] = day.isoformat()


# -- generated logs ---------------------------------------------------------------------------


@pytest.mark.parametrize("rate", [0.0, 0.1, 0.5])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_generated_logs_one_job(logs, tmp_path: Path, rate: float, seed: int) -> None:
    log = logs(cases=200, rate=rate, seed=seed)
    outcome = audit_both(MAGETAN, log, tmp_path)
    assert outcome.ran and outcome.fast > 0


@pytest.mark.parametrize("chunk", [700, 4096])
@pytest.mark.parametrize(("rate", "seed"), [(0.0, 4), (0.1, 5), (0.5, 6)])
def test_generated_logs_in_small_chunks(logs, tmp_path: Path, rate: float, seed: int, chunk: int) -> None:
    """Many chunk boundaries, cases spanning chunks (a 700-byte chunk holds less than a case)."""
    log = logs(cases=80, rate=rate, seed=seed)
    outcome = audit_both(MAGETAN, log, tmp_path, chunk=chunk)
    assert outcome.ran and outcome.fast > 0


def test_a_log_under_the_small_size_goes_the_usual_way_in_one_process(logs, tmp_path, monkeypatch) -> None:
    """Below runner.SMALL the columnar engine's imports cost more than its columns save: one
    process audits the log the usual way, with the same report."""
    log = logs(cases=80, rate=0.1, seed=5)
    started: list[Engine] = []
    batches = Engine.batches

    def watched(self: Engine) -> Iterator:
        started.append(self)
        return batches(self)

    monkeypatch.setattr(Engine, "batches", watched)
    monkeypatch.delenv("SOPCHECK_COLUMNAR", raising=False)
    reports = []
    for small in (log.stat().st_size + 1, log.stat().st_size):
        monkeypatch.setattr(runner, "SMALL", small)
        out = tmp_path / f"small-{small}.json"
        status, err = _cli(["audit", MAGETAN, log, "--format", "json", "-o", out, "--jobs", "1"])
        assert status == 1, err
        reports.append(out.read_bytes())
        assert len(started) == (0 if small > log.stat().st_size else 1)
    assert reports[0] == reports[1]


def test_a_late_first_case_does_not_send_its_whole_kind_the_usual_way(logs, tmp_path: Path) -> None:
    """The first case of a kind of clean case is its sample; if that one is late (a finding),
    the kind gets no template then, but is sampled again at its 2nd, 4th, 8th... case: the
    later clean cases of the kind are still rendered from the columns."""
    log = Log.read(logs(cases=300, rate=0.0, seed=12))
    plain = audit_both(MAGETAN, log.write(tmp_path / "plain.csv"), tmp_path)
    first = log.cases[0]
    for row in first[1:]:  # every event after the first a month later: the second step is late
        row[2] = (datetime.fromisoformat(row[2]) + timedelta(days=30)).isoformat()
    late = audit_both(MAGETAN, log.write(tmp_path / "late.csv"), tmp_path)
    assert b'"code": "TM001"' in (late.usual.report or b"")
    # One case fewer rendered (the late one) and a retry's sample or two, not its kind's cases.
    assert late.fast >= plain.fast - 3, (late.fast, plain.fast)


def _later_by(stamp: str, minutes: int) -> str:
    if len(stamp) == 10:  # a date alone: its midnight, in MAGETAN's zone
        stamp = f"{stamp}T00:00:00+07:00"
    return (datetime.fromisoformat(stamp) + timedelta(minutes=minutes)).isoformat()


def _wrong_first_actor(log: Log, rows: list[list[str]]) -> None:
    rows[0][log.col("actor")] = "bagian_hukum"  # the first step is the regent's (AC001)


def _repeated_last(log: Log, rows: list[list[str]]) -> None:
    again = list(rows[-1])  # done again a minute later (FL004)
    again[log.col("timestamp")] = _later_by(again[log.col("timestamp")], 1)
    rows.append(again)


def _skipped_second(log: Log, rows: list[list[str]]) -> None:
    if len(rows) >= 3:
        del rows[1]  # FL001, and the documents its step would have made (DC001)


def _no_documents_second(log: Log, rows: list[list[str]]) -> None:
    rows[1][log.col("documents")] = ""  # DC002, and DC001 where a later step needs them


def _unknown_activity(log: Log, rows: list[list[str]]) -> None:
    extra = list(rows[0])  # a row the SOP has no step for (FL003), its text of the case's own
    extra[log.col("activity")] = f"Rapat tambahan {int(rows[0][0][1:]) % 7}"
    extra[log.col("timestamp")] = _later_by(rows[0][log.col("timestamp")], 1)
    rows.insert(1, extra)


def _mode_not_allowed(log: Log, rows: list[list[str]]) -> None:
    m = log.col("mode")  # the signing steps' mode (AC004), as each case writes it
    for row in rows:
        if row[m]:
            row[m] = ("daring", "Daring", "DARING")[int(row[0][1:]) % 3]


def _unknown_person(log: Log, rows: list[list[str]]) -> None:
    rows[0][log.col("actor")] = "Pak Budi"  # no role's label, and no roster (AC003)


# name: (edit of every case, a code every edited case then has)
EVERY_CASE = {
    "wrong actor": (_wrong_first_actor, "AC001"),
    "repeated step": (_repeated_last, "FL004"),
    "skipped step": (_skipped_second, "FL001"),
    "missing documents": (_no_documents_second, "DC002"),
    "unknown activity": (_unknown_activity, "FL003"),
    "mode not allowed": (_mode_not_allowed, "AC004"),
    "unknown person": (_unknown_person, "AC003"),
}


@pytest.fixture(scope="module")
def every_case(logs, tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], tuple[Path, Outcome]]:
    """A clean generated log with an edit of every case (EVERY_CASE), and the audit of the
    log as generated (for its counts)."""
    folder = tmp_path_factory.mktemp("every-case")
    generated = logs(cases=300, rate=0.0, seed=13)
    plain = audit_both(MAGETAN, generated, folder)

    def edited(name: str) -> tuple[Path, Outcome]:
        log = Log.read(generated)
        edit, _ = EVERY_CASE[name]
        for rows in log.cases:
            edit(log, rows)
        return log.write(folder / f"{name.replace(' ', '-')}.csv"), plain

    return edited


@pytest.mark.parametrize("name", sorted(EVERY_CASE))
def test_cases_with_findings_are_rendered_from_their_kinds_template(every_case, tmp_path: Path,
                                                                    name: str) -> None:
    """A finding whose every field but the case id and its evidence follows from the case's
    kind (engine.KEYED): the later cases of a kind whose sample has it are rendered from the
    sample's template, findings and all, as the usual engine writes them."""
    log, plain = every_case(name)
    outcome = audit_both(MAGETAN, log, tmp_path)
    report = json.loads(outcome.usual.report or b"{}")
    code = EVERY_CASE[name][1]
    with_code = {f["case_id"] for f in report["findings"]} & {
        f["case_id"] for f in report["findings"] for f in [f, *f["consequences"]] if f["code"] == code}
    assert len(with_code) >= 200, (name, len(with_code))
    # As many cases rendered as in the clean log, but for the few a changed time makes late (these
    # go the usual way, as before). Cases with findings were all audited the usual way before.
    assert outcome.fast >= 0.8 * plain.fast, (outcome.fast, plain.fast)


@pytest.mark.parametrize("options", [["--no-traces"], ["--lang", "id"]])
def test_finding_templates_in_worker_shares(every_case, tmp_path: Path, options: list[str]) -> None:
    """The same with --jobs 2 (the workers hand over rendered texts, not results), without the
    traces, and in Indonesian."""
    log, plain = every_case("wrong actor")
    outcome = audit_both_jobs(MAGETAN, log, tmp_path, *options, small=0, chunk=4096)
    assert outcome.in_workers and outcome.fast >= 0.8 * plain.fast, (outcome.runs, plain.fast)


def _late_first_step(log: Log, rows: list[list[str]]) -> None:
    """The letter logged a week before the case's start: its first step is late (TM001)."""
    c = log.col(START)
    for row in _events(log, rows):
        row[c] = (date.fromisoformat(row[c][:10]) - timedelta(days=7)).isoformat() + row[c][10:]


def _late_first_and_last_steps(log: Log, rows: list[list[str]]) -> None:
    """The first step late as above, and the last one (one working day allowed) a week late."""
    _late_first_step(log, rows)
    t, events = log.col("timestamp"), _events(log, rows)
    stamp = events[-1][t]
    events[-1][t] = (date.fromisoformat(stamp[:10]) + timedelta(days=7)).isoformat() + stamp[10:]


@pytest.mark.parametrize(("jobs", "edit", "options"), [
    (1, _late_first_step, ()),
    (2, _late_first_step, ()),
    (1, _late_first_step, ("--no-traces",)),
    (1, _late_first_step, ("--lang", "id")),
    (1, _late_first_and_last_steps, ()),
])
def test_late_cases_of_a_clean_kind_are_rendered(logs, tmp_path: Path, jobs: int, edit, options) -> None:
    """A case of a clean kind with steps over their time (TM001) and the whole case within its
    own is rendered from the kind's template with a TM001 line for each late step, once the
    first such case of the template and set of late steps renders as the usual engine writes
    it (and counts it); the others go the usual way, as before."""
    generated = logs(cases=300, rate=0.0, seed=13)
    plain = audit_both(MAGETAN, generated, tmp_path)
    log = Log.read(generated)
    for rows in log.cases[1::2]:  # every other case: a kind's sample late is sampled again
        edit(log, rows)
    edited = log.write(tmp_path / "late.csv")
    if jobs == 1:
        outcome = audit_both(MAGETAN, edited, tmp_path, *options)
    else:
        outcome = audit_both_jobs(MAGETAN, edited, tmp_path, *options, small=0, chunk=4096)
        assert outcome.in_workers
    report = json.loads(outcome.usual.report or b"{}")
    late = Counter(f["case_id"] for f in report["findings"] if f["code"] == "TM001")
    over_total = {f["case_id"] for f in report["findings"] for g in f["consequences"] if g["code"] == "TM004"}
    assert len(set(late) - over_total) >= 100, (len(late), len(over_total))
    steps = 2 if edit is _late_first_and_last_steps else 1
    assert sum(n == steps for n in late.values()) >= 100, late
    # Before, every late case went the usual way: 107 cases rendered (92 with two workers), of
    # the clean log's 263; now 191 (164).
    assert outcome.fast >= 0.55 * plain.fast, (outcome.fast, plain.fast)


@pytest.mark.parametrize("part", ["findings", "totals"])
def test_a_late_rendering_its_proof_refutes_renders_no_case(logs, tmp_path: Path, monkeypatch,
                                                          part: str) -> None:
    """A template's late cases whose first one does not render as the usual engine writes it
    or counts it (here a TM001 line, or its totals, made wrong) all go the usual way: the report
    is still the usual one."""
    generated = logs(cases=300, rate=0.0, seed=13)
    log = Log.read(generated)
    for rows in log.cases[1::2]:
        _late_first_step(log, rows)
    edited = log.write(tmp_path / "late.csv")
    texts = Engine._late_texts

    def wrong(self, *args):
        rendered = texts(self, *args)
        if rendered is None:
            return None
        line, findings, summary = rendered
        if part == "findings":
            return line, findings.replace("TM001", "TM002"), summary
        return line, findings, (*summary[:3], (), ())

    monkeypatch.setattr(Engine, "_late_texts", wrong)
    outcome = audit_both(MAGETAN, edited, tmp_path)
    assert 90 <= outcome.fast <= 120, outcome.runs  # the cases on time only, as before (107)


def _unreadable_start(log: Log, rows: list[list[str]]) -> None:
    for row in rows:  # TM006, which quotes the attribute (cut to 80 characters)
        row[log.col(START)] = f"surat no. {row[0]}"


def _open(log: Log, rows: list[list[str]]) -> None:
    del rows[-2:]  # still open (overdue by the log's last day): its steps to do follow from its kind


@pytest.mark.parametrize(("edit", "shown"), [(_unreadable_start, b'"code": "TM006"'),
                                            (_open, b'"code": "CS001"')])
def test_a_kind_no_template_renders_is_not_sampled_again(logs, tmp_path: Path, edit, shown: bytes) -> None:
    """A kind whose sample has a finding no template renders, or is still open, goes the usual
    way without samples at its 2nd, 4th, 8th... case: every case of the kind is so."""
    generated = logs(cases=300, rate=0.0, seed=13)
    plain = audit_both(MAGETAN, generated, tmp_path)
    log = Log.read(generated)
    for rows in log.cases:
        edit(log, rows)
    outcome = audit_both(MAGETAN, log.write(tmp_path / "edited.csv"), tmp_path)
    assert (outcome.usual.report or b"").count(shown) >= 250
    sampled = sum(s for _, _, s in outcome.runs)
    assert sampled <= sum(s for _, _, s in plain.runs) + 2, (sampled, plain.runs)
    assert outcome.fast == 0


def test_what_a_message_quotes_of_a_row_is_each_cases_own(every_case, tmp_path: Path) -> None:
    """FL003's message quotes the activity as the row writes it: cases of one kind (one
    template) with different texts each get their own, not their sample's."""
    log, plain = every_case("unknown activity")
    outcome = audit_both(MAGETAN, log, tmp_path)
    report = json.loads(outcome.columnar.report or b"{}")
    quoted = {f["message"] for f in report["findings"] if f["code"] == "FL003"}
    assert {f"activity 'Rapat tambahan {k}' is not in the SOP" for k in range(7)} <= quoted
    assert outcome.fast >= 0.8 * plain.fast, (outcome.fast, plain.fast)


def test_a_template_its_sample_does_not_prove_renders_no_case(every_case, tmp_path: Path,
                                                              monkeypatch) -> None:
    """A template is proved on its sample, rendered with the other cases of its chunk: one that
    renders its sample otherwise than the usual engine (here, every one: a wrong cost) renders
    none of them; they go the usual way, and the report is the same."""
    from checker.columnar import engine

    fields = engine._fields
    monkeypatch.setattr(engine, "_fields", lambda record, *keys: fields(record, *keys).replace(
        '"cost": ', '"cost": 9'))
    log, _ = every_case("wrong actor")
    outcome = audit_both(MAGETAN, log, tmp_path)
    assert outcome.fast == 0 and sum(s for _, _, s in outcome.runs) > 0, outcome.runs


@pytest.mark.parametrize("chunk", [4096, 1 << 14])
def test_a_case_of_many_chunks_is_read_in_time_linear_in_its_length(
    logs, tmp_path: Path, monkeypatch, chunk: int
) -> None:
    """A case far longer than a chunk (a rework loop of 3,000 events among ordinary cases) gives
    the usual engine's report, and its lines are not parsed again with each chunk read: the
    bytes pyarrow parses stay within a few times the file's (before: 52 times, quadratic)."""
    log = Log.read(logs(cases=60, rate=0.1, seed=11))
    first = log.cases[0][0]
    loop = []
    start = datetime(2025, 1, 20, 8, 0, tzinfo=timezone(timedelta(hours=7)))
    steps = [row[1] for row in log.cases[0]]
    for k in range(3000):
        row = list(first)
        row[0] = "LOOP-1"
        row[1] = steps[k % len(steps)]
        row[2] = (start + timedelta(minutes=k)).isoformat()
        loop.append(row)
    log.cases.insert(len(log.cases) // 2, loop)
    path = log.write(tmp_path / "loop.csv")
    parsed: list[int] = []
    parse = chunks.parse

    def counted(chunk_, width, delimiter):
        parsed.append(len(chunk_.data))
        return parse(chunk_, width, delimiter)

    monkeypatch.setattr(chunks, "parse", counted)
    outcome = audit_both(MAGETAN, path, tmp_path, chunk=chunk)
    assert outcome.ran and outcome.fast > 0
    assert sum(parsed) < 4 * path.stat().st_size, (sum(parsed), path.stat().st_size)


@pytest.fixture(scope="module")
def large_log(logs) -> Path:
    """A generated log over runner.SMALL: --jobs 2 reads it in worker shares."""
    log = logs(cases=3700, rate=0.1, seed=7)
    assert log.stat().st_size > runner.SMALL
    return log


@pytest.mark.parametrize("chunk", [None, 4096])
def test_large_log_two_jobs(large_log: Path, tmp_path: Path, chunk: int | None) -> None:
    outcome = audit_both_jobs(MAGETAN, large_log, tmp_path, jobs=2, chunk=chunk)
    assert outcome.in_workers and outcome.fast > 0


def test_large_log_one_job(large_log: Path, tmp_path: Path) -> None:
    outcome = audit_both(MAGETAN, large_log, tmp_path)
    assert outcome.ran and outcome.fast > 0


@pytest.mark.parametrize(("rate", "seed", "chunk"), [(0.0, 8, None), (0.5, 9, 700), (0.1, 10, 2048)])
def test_small_logs_in_worker_shares(logs, tmp_path: Path, rate: float, seed: int, chunk: int | None) -> None:
    """--jobs 2 with worker shares however small the log (runner.SMALL = 0 in the subprocess)."""
    log = logs(cases=300, rate=rate, seed=seed)
    outcome = audit_both_jobs(MAGETAN, log, tmp_path, jobs=2, chunk=chunk, small=0)
    assert outcome.in_workers and outcome.fast > 0


@pytest.mark.parametrize("sop", OTHER_SOPS, ids=lambda p: p.stem)
@pytest.mark.parametrize("chunk", [None, 2048])
def test_other_sops(logs, tmp_path: Path, sop: Path, chunk: int | None) -> None:
    """The other bundled SOPs. Those in a zone with summer time (Europe/...) have no fixed offset
    over a year: the engine runs, but sends every case the usual way."""
    log = logs(sop, cases=150, rate=0.2, seed=11)
    outcome = audit_both(sop, log, tmp_path, chunk=chunk)
    assert outcome.ran == (sop.stem in TAKEN)


def test_running_example_is_rendered_by_the_engine(logs, tmp_path: Path) -> None:
    """An SOP in a fixed-offset zone besides MAGETAN: its clean cases are rendered columnar."""
    outcome = audit_both(RUNNING, logs(RUNNING, cases=300, rate=0.1, seed=12), tmp_path)
    assert outcome.fast > 0


# -- edge cases in a generated log ------------------------------------------------------------


def _events(log: Log, rows: list[list[str]]) -> list[list[str]]:
    """The rows of a case that hold an event's cells (not an inserted blank or short row)."""
    return [row for row in rows if len(row) == len(log.header)]


def _cell(
    name: str, value: Callable[[str], str], rows_at: slice = slice(None)
) -> Callable[[Log, list], None]:
    def edit(log: Log, rows: list[list[str]]) -> None:
        c = log.col(name)
        for row in _events(log, rows)[rows_at]:
            row[c] = value(row[c])

    return edit


def _insert(at: int, make: Callable[[Log, list[list[str]]], list[str]]) -> Callable[[Log, list], None]:
    """Insert make(log, the case's event rows) at `at` among the case's rows."""

    def edit(log: Log, rows: list[list[str]]) -> None:
        events = _events(log, rows)
        if len(events) >= 3:
            rows.insert(at, make(log, events))

    return edit


def _swap_times(log: Log, rows: list[list[str]]) -> None:
    t, events = log.col("timestamp"), _events(log, rows)
    if len(events) >= 3:
        events[1][t], events[2][t] = events[2][t], events[1][t]


def _same_time(log: Log, rows: list[list[str]]) -> None:
    t, events = log.col("timestamp"), _events(log, rows)
    if len(events) >= 3:
        events[2][t] = events[1][t]


def _shift(stamp: str, hours: int, zone: str) -> str:
    try:
        moment = datetime.fromisoformat(stamp if len(stamp) > 10 else f"{stamp}T00:00:00+07:00")
    except ValueError:
        return stamp  # edited before into something else
    shifted = moment.astimezone(timezone(timedelta(hours=hours)))
    text = shifted.isoformat()
    return text.replace("+00:00", "Z") if zone == "Z" else text


def _in_zone(hours: int, zone: str = "") -> Callable[[str], str]:
    return lambda stamp: _shift(stamp, hours, zone)


def _changing_attribute(log: Log, rows: list[list[str]]) -> None:
    events = _events(log, rows)
    if len(events) >= 2:
        events[-1][log.col("case:status")] += " (revisi)"


def _truncated(log: Log, rows: list[list[str]]) -> None:
    del rows[-2:]


def _date_only(stamp: str) -> str:
    return stamp[:10]


def _dated_on_the_day_of(at: int, of: int) -> Callable[[Log, list], None]:
    """Event `at` dated (no time) on the day of event `of`, a timed one: written after it, the
    date keeps its place (events.in_time_order); written before it, it is in time order."""

    def edit(log: Log, rows: list[list[str]]) -> None:
        t, events = log.col("timestamp"), _events(log, rows)
        if len(events) >= 3:
            events[at][t] = events[of][t][:10]

    return edit


# name: (edit of a copy of a compliant case, whether it goes the usual way for its whole chunk)
EDITS: dict[str, tuple[Callable[[Log, list], None], bool]] = {
    "copy unchanged": (lambda log, rows: None, False),
    "empty case id": (_insert(2, lambda log, rows: ["", *rows[1][1:]]), True),
    "empty activity": (_cell("activity", lambda v: "", slice(2, 3)), False),
    "blank activity": (_cell("activity", lambda v: "   ", slice(2, 3)), False),
    "blank line in a case": (_insert(2, lambda log, rows: []), True),
    "delimiters only": (_insert(2, lambda log, rows: [""] * len(log.header)), True),
    "too many fields": (_insert(2, lambda log, rows: [*rows[2], "extra"]), True),
    "trailing delimiter": (_insert(2, lambda log, rows: [*rows[2], ""]), True),
    "too few fields": (_insert(2, lambda log, rows: rows[2][:-1]), True),
    "date only": (_cell("timestamp", _date_only, slice(1, 3)), False),
    "all dates only": (_cell("timestamp", _date_only), False),
    "a date after a timed row of its day": (_dated_on_the_day_of(2, 1), False),
    "a date before a timed row of its day": (_dated_on_the_day_of(1, 2), False),
    "another offset": (_cell("timestamp", _in_zone(8), slice(2, 3)), False),
    "Z": (_cell("timestamp", _in_zone(0, "Z"), slice(2, 3)), False),
    "UTC +00:00 throughout": (_cell("timestamp", _in_zone(0)), False),
    "space separator": (_cell("timestamp", lambda v: v.replace("T", " "), slice(2, 3)), False),
    "lower-case t": (_cell("timestamp", lambda v: v.replace("T", "t"), slice(2, 3)), False),
    "fraction of a second": (_cell("timestamp", lambda v: v.replace("+07", ".5+07"), slice(2, 3)), False),
    "no offset": (_cell("timestamp", lambda v: v.replace("+07:00", ""), slice(2, 3)), False),
    "year out of range": (_cell("timestamp", lambda v: "2250" + v[4:], slice(2, 3)), True),
    "out of time order": (_swap_times, False),
    "duplicate row": (_insert(2, lambda log, rows: list(rows[2])), False),
    "same time, other activity": (_same_time, False),
    "case id with spaces": (_cell("case_id", lambda v: f" {v} "), True),
    "case id with a no-break space": (_cell("case_id", lambda v: f"{v}\xa0"), True),
    "activity with spaces": (_cell("activity", lambda v: f"  {v} ", slice(1, 3)), False),
    "activity in capitals": (_cell("activity", str.upper), False),
    "actor with spaces": (_cell("actor", lambda v: f" {v}  ", slice(0, 3)), False),
    "actor in capitals": (_cell("actor", str.upper), False),
    "actor empty": (_cell("actor", lambda v: "", slice(1, 2)), False),
    "actor of spaces": (_cell("actor", lambda v: "  ", slice(1, 2)), False),
    "attribute with spaces": (_cell("case:jenis_kerja_sama", lambda v: f" {v} "), False),
    "attribute of spaces": (_cell("case:status", lambda v: "  "), False),
    "attribute empty": (_cell("case:status", lambda v: ""), False),
    "documents with spaces": (_cell("documents", lambda v: v.replace(";", " ; ") + " "), False),
    "documents in capitals": (_cell("documents", str.upper), False),
    "mode in capitals": (_cell("mode", str.upper), False),
    "start with spaces": (_cell(START, lambda v: f" {v} "), False),
    "start with a time": (_cell(START, lambda v: f"{v}T23:30:00+00:00"), False),
    "start empty": (_cell(START, lambda v: ""), False),
    "start unreadable": (_cell(START, lambda v: v[:5] + "13-40"), False),
    "attribute changes": (_changing_attribute, False),
    "open case": (_truncated, False),
    "non-ASCII activity": (_cell("activity", lambda v: f"{v} ✉ é", slice(1, 2)), False),
    "non-ASCII actor": (_cell("actor", lambda v: "Bäpak Ğünawan", slice(1, 2)), False),
    "non-ASCII attribute": (_cell("case:jenis_kerja_sama", lambda v: f"{v} – ñ"), False),
    "JSON-special case id": (_cell("case_id", lambda v: f"{v}\\\t\x01\u2028/</script>"), False),
    "JSON-special activity": (_cell("activity", lambda v: f"{v}\\n\t", slice(1, 2)), False),
    "non-ASCII case id": (_cell("case_id", lambda v: f"{v}-Ğé☃"), False),
    "a shift of 28 years": (_cell("timestamp", lambda v: str(int(v[:4]) + 28) + v[4:]), False),
}
CHUNKS = [None, 700]


@pytest.fixture(scope="module")
def base(logs) -> Path:
    return logs(cases=30, rate=0.0, seed=21)


@pytest.mark.parametrize("chunk", CHUNKS)
@pytest.mark.parametrize("name", sorted(EDITS))
def test_edge_case(base: Path, tmp_path: Path, name: str, chunk: int | None) -> None:
    edit, chunk_wide = EDITS[name]
    log = Log.read(base)
    for k in (1, len(log.compliant) // 2, -1):  # early, in the middle and at the end of the log
        edit(log, log.copy(log.donor(k)))
    outcome = audit_both(MAGETAN, log.write(tmp_path / "log.csv"), tmp_path, chunk=chunk)
    assert outcome.ran
    if chunk is not None or not chunk_wide:
        assert outcome.fast > 0


def _crlf(log: Log, path: Path) -> Path:
    return log.write(path, end="\r\n")


def _bom(log: Log, path: Path) -> Path:
    return log.write(path, prefix="\ufeff")


def _semicolons(log: Log, path: Path) -> Path:
    for rows in log.cases:
        for row in rows:
            row[:] = [c.replace(";", "|") for c in row]
    return log.write(path, delimiter=";", prefix="sep=;\n")


def _bom_crlf_semicolons(log: Log, path: Path) -> Path:
    for rows in log.cases:
        for row in rows:
            row[:] = [c.replace(";", "|") for c in row]
    return log.write(path, delimiter=";", end="\r\n", prefix="\ufeffsep=;\r\n")


def _tabs(log: Log, path: Path) -> Path:
    return log.write(path.with_suffix(".tsv"), delimiter="\t")


def _no_last_line_end(log: Log, path: Path) -> Path:
    return log.write(path, last_end=False)


def _no_actor(log: Log, path: Path) -> Path:
    a = log.col("actor")
    del log.header[a]
    for rows in log.cases:
        for row in rows:
            del row[a]
    return log.write(path)


def _blank_lines_between(log: Log, path: Path) -> Path:
    for i in (3, 9, 20):
        log.cases[i].append([])
    log.cases[14].append(["", "", ""])
    return log.write(path, end="\n")


def _extra_column(log: Log, path: Path) -> Path:
    """A case attribute and an event attribute the SOP does not read, with JSON-special and
    non-ASCII text."""
    log.header += ["case:catatan", "keterangan"]
    for n, rows in enumerate(log.cases):
        for m, row in enumerate(rows):
            row += [f"ca\\tatan {n % 2} ñ ☃ \u2028 \x7f", f"ket {m}"]
    return log.write(path)


def _drop(name: str) -> Callable[[Log, Path], Path]:
    def form(log: Log, path: Path) -> Path:
        c = log.col(name)
        del log.header[c]
        for rows in log.cases:
            for row in rows:
                del row[c]
        return log.write(path)

    return form


def _reordered(log: Log, path: Path) -> Path:
    order = list(reversed(range(len(log.header))))
    log.header = [log.header[i] for i in order]
    for rows in log.cases:
        for row in rows:
            row[:] = [row[i] for i in order]
    return log.write(path)


def _trailing_delimiters(log: Log, path: Path) -> Path:
    for rows in log.cases:
        for row in rows:
            row.append("")
    return log.write(path)


def _trailing_delimiters_everywhere(log: Log, path: Path) -> Path:
    log.header.append("")
    return _trailing_delimiters(log, path)


def _spaced_header(log: Log, path: Path) -> Path:
    log.header = [f" {name} " for name in log.header]
    return log.write(path)


FILES: dict[str, Callable[[Log, Path], Path]] = {
    "CRLF line ends": _crlf,
    "UTF-8 BOM": _bom,
    "sep=; first line": _semicolons,
    "BOM, CRLF and sep=;": _bom_crlf_semicolons,
    "tab-separated": _tabs,
    "no line end after the last line": _no_last_line_end,
    "blank lines between cases": _blank_lines_between,
    "extra columns": _extra_column,
    "no actor column": _no_actor,
    "no mode column": _drop("mode"),
    "no documents column": _drop("documents"),
    "no case:documents column": _drop("case:documents"),
    "no start column": _drop(START),
    "columns in reverse order": _reordered,
    "a trailing delimiter on every data row": _trailing_delimiters,
    "a trailing delimiter on every line": _trailing_delimiters_everywhere,
    "spaces around the column names": _spaced_header,
}


# Forms the engine reads but renders no case of itself. Rows one field wider than the header
# (a harmless trailing delimiter for the reader) make pyarrow's parse fail: every chunk goes row
# by row. Without a start attribute the report has no time allowed for the first step, which
# the engine's template would write: its samples' lines differ, and it renders nothing.
NOTHING_RENDERED = {"a trailing delimiter on every data row"}  # pyarrow's parse fails: row by row


@pytest.mark.parametrize("chunk", CHUNKS)
@pytest.mark.parametrize("name", sorted(FILES))
def test_file_form(base: Path, tmp_path: Path, name: str, chunk: int | None) -> None:
    log = Log.read(base)
    for k in (1, -1):
        log.copy(log.donor(k))
    outcome = audit_both(MAGETAN, FILES[name](log, tmp_path / "log.csv"), tmp_path, chunk=chunk)
    assert outcome.ran
    if name not in NOTHING_RENDERED and (chunk is not None or name != "blank lines between cases"):
        assert outcome.fast > 0


@pytest.mark.parametrize(
    "options",
    [
        ["--as-of", "2025-06-30"],
        ["--as-of", "2024-01-01"],
        ["--as-of", "2031-01-01"],
        ["--no-traces"],
        ["--no-traces", "--as-of", "2026-02-01"],
        ["--timezone", "Asia/Jakarta"],
        ["--lang", "id"],
        ["--fail-on", "none"],
        ["--encoding", "utf-8", "--delimiter", ",", "--log-format", "csv"],
    ],
    ids=" ".join,
)
@pytest.mark.parametrize("chunk", [None, 700])
def test_options(logs, tmp_path: Path, options: list[str], chunk: int | None) -> None:
    """Options the engine handles; the log has open cases (in progress, overdue on the date)."""
    log = Log.read(logs(cases=40, rate=0.3, seed=22))
    for k in (2, 6):
        _truncated(log, log.copy(log.donor(k)))
    outcome = audit_both(MAGETAN, log.write(tmp_path / "log.csv"), tmp_path, *options, chunk=chunk)
    assert outcome.ran and outcome.fast > 0


@pytest.mark.parametrize("chunk", [None, 700])
def test_column_map(base: Path, tmp_path: Path, chunk: int | None) -> None:
    log = Log.read(base)
    log.copy(log.donor(3))
    log.header[log.col("activity")] = "Kegiatan"
    log.header[log.col("case:status")] = "Status Surat"
    path = log.write(tmp_path / "log.csv")
    options = ["--map", "activity=Kegiatan", "--map", "case:status=Status Surat"]
    outcome = audit_both(MAGETAN, path, tmp_path, *options, chunk=chunk)
    assert outcome.ran and outcome.fast > 0


def test_mapping_file(base: Path, tmp_path: Path) -> None:
    log = Log.read(base)
    log.header[log.col("case_id")] = "Nomor Agenda"
    log.header[log.col("timestamp")] = "Waktu"
    path = log.write(tmp_path / "log.csv")
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("columns:\n  case_id: Nomor Agenda\n  timestamp: Waktu\n", "utf-8")
    outcome = audit_both(MAGETAN, path, tmp_path, "--mapping", mapping)
    assert outcome.ran and outcome.fast > 0


def _many_edits(log: Log) -> Log:
    """A log with one copy of a compliant case for each edit of EDITS (the kinds of row the
    reader rejects among them), spread over the log."""
    for n, name in enumerate(sorted(EDITS)):
        EDITS[name][0](log, log.copy(log.donor(n)))
    return log


@pytest.mark.parametrize("chunk", [None, 700])
def test_rejected_rows_file(base: Path, tmp_path: Path, chunk: int | None) -> None:
    """Every edit at once, and the --rejects file compared too."""
    path = _many_edits(Log.read(base)).write(tmp_path / "log.csv")
    outcome = audit_both(MAGETAN, path, tmp_path, chunk=chunk, rejects=True)
    assert outcome.ran and outcome.usual.rejects


@pytest.mark.parametrize(("options", "chunk"), [([], 700), (["--no-traces"], None)])
def test_many_edits_in_worker_shares(
    base: Path, tmp_path: Path, options: list[str], chunk: int | None
) -> None:
    path = _many_edits(Log.read(base)).write(tmp_path / "log.csv")
    outcome = audit_both_jobs(
        MAGETAN, path, tmp_path, *options, jobs=2, chunk=chunk, small=0, rejects=True
    )
    assert outcome.in_workers


def test_file_forms_in_worker_shares(base: Path, tmp_path: Path) -> None:
    """Shares cut at byte offsets in a file with a BOM, a sep= line and CRLF line ends."""
    log = _many_edits(Log.read(base))
    path = _bom_crlf_semicolons(log, tmp_path / "log.csv")
    outcome = audit_both_jobs(MAGETAN, path, tmp_path, jobs=2, chunk=700, small=0)
    assert outcome.in_workers and outcome.fast > 0


def _units(unit: str, count: int = -1) -> Callable[[str], str]:
    return lambda text: text.replace("unit: working_days}", f"unit: {unit}}}", count)


def _case_line(line: str) -> Callable[[str], str]:
    """A line added to the SOP's `case:` section."""
    return lambda text: text.replace("\ncase:\n", f"\ncase:\n  {line}\n", 1)


def _tight(text: str) -> str:
    return text.replace("amount: 7,", "amount: 4,")


# Versions of MAGETAN within the engine's reach: other units and zones, a total time, tighter
# times. name: (the change, whether the log is generated for the version or for MAGETAN: then
# cases the version finds over time sit among cases of the same kind on time).
SOP_VARIANTS: dict[str, tuple[Callable[[str], str], bool]] = {
    "calendar days": (_units("calendar_days"), True),
    "mixed units": (_units("calendar_days", 3), True),
    "a declared total time": (_case_line("total_time: {amount: 12, unit: working_days}"), False),
    "a total in calendar days": (_case_line("total_time: {amount: 16, unit: calendar_days}"), False),
    "tighter times": (_tight, False),
    "Asia/Makassar": (_case_line("timezone: Asia/Makassar"), True),
    "UTC": (_case_line("timezone: UTC"), True),
    "America/Bogota (-05:00)": (_case_line("timezone: America/Bogota"), True),
}


@pytest.mark.parametrize("chunk", [None, 2048])
@pytest.mark.parametrize("name", sorted(SOP_VARIANTS))
def test_sop_variants(tmp_path: Path, name: str, chunk: int | None) -> None:
    change, own_log = SOP_VARIANTS[name]
    sop = tmp_path / "sop.yaml"
    text = MAGETAN.read_text("utf-8")
    assert change(text) != text
    sop.write_text(change(text), "utf-8")
    log = generate(sop if own_log else MAGETAN, tmp_path / "log.csv", cases=100, rate=0.2, seed=31)
    outcome = audit_both(sop, log, tmp_path, chunk=chunk)
    assert outcome.ran and outcome.fast > 0


def _days(key: str, *days: str) -> str:
    return f"{key}:\n" + "".join(f"  - {{date: '{d}', name: test}}\n" for d in days)


CALENDARS = {
    "days off": _days("days_off", "2024-03-04", "2025-06-02", "2026-01-05", "2027-02-01"),
    "Saturday a working day": "weekend: [sunday]\nhours:\n  saturday: '08:00-12:00'\n",
    "working days on holidays": _days("working_days", "2024-04-10", "2025-03-31", "2025-12-25"),
    "WIB": "timezone: WIB\n",
}


@pytest.mark.parametrize("name", sorted(CALENDARS))
def test_calendar_file(logs, tmp_path: Path, name: str) -> None:
    calendar = tmp_path / "calendar.yaml"
    calendar.write_text(CALENDARS[name], "utf-8")
    log = logs(cases=200, rate=0.1, seed=32)
    outcome = audit_both(MAGETAN, log, tmp_path, "--calendar", calendar, chunk=4096)
    assert outcome.ran and outcome.fast > 0


# -- where the engine must step aside ---------------------------------------------------------


def _quote(log: Log, path: Path) -> Path:
    rows = log.copy(log.donor(2))
    rows[1][log.col("actor")] = 'Bupati "Magetan"'
    return log.write(path)


def _ungrouped(log: Log, path: Path) -> Path:
    log.cases[-1].append(list(log.cases[5][1]))  # a row of case 6 after the last case
    return log.write(path)


def _quoted_field(log: Log, path: Path) -> Path:
    rows = log.copy(log.donor(2))
    rows[1][log.col("documents")] = '"disposisi_jelas"'
    return log.write(path)


DECLINED: dict[str, Callable[[Log, Path], Path]] = {
    "a quote in a cell": _quote,
    "a quoted field": _quoted_field,
    "case ids not grouped": _ungrouped,
}


@pytest.mark.parametrize("name", sorted(DECLINED))
def test_declined(base: Path, tmp_path: Path, name: str) -> None:
    log = Log.read(base)
    outcome = audit_both(MAGETAN, DECLINED[name](log, tmp_path / "log.csv"), tmp_path, chunk=700)
    assert not outcome.ran


def _with_column(name: str, value: Callable[[list[str]], str]) -> Callable[[Log, Path], Path]:
    def form(log: Log, path: Path) -> Path:
        log.header.append(name)
        for rows in log.cases:
            for row in rows:
                row.append(value(row))
        return log.write(path)

    return form


DECLINED_COLUMNS: dict[str, Callable[[Log, Path], Path]] = {
    "a lifecycle column": _with_column("lifecycle:transition", lambda row: "complete"),
    "a start_timestamp column": _with_column("start_timestamp", lambda row: row[2]),
}


@pytest.mark.parametrize("name", sorted(DECLINED_COLUMNS))
def test_declined_columns(base: Path, tmp_path: Path, name: str) -> None:
    path = DECLINED_COLUMNS[name](Log.read(base), tmp_path / "log.csv")
    assert not audit_both(MAGETAN, path, tmp_path).ran


@pytest.mark.parametrize(
    "options",
    [["--strict"], ["--date-format", "%Y-%m-%d"], ["--encoding", "cp1252"], ["--timezone", "+07:00"]],
    ids=" ".join,
)
def test_declined_options(base: Path, tmp_path: Path, options: list[str]) -> None:
    assert not audit_both(MAGETAN, base, tmp_path, *options).ran


def test_ungrouped_large_log_two_jobs(large_log: Path, tmp_path: Path) -> None:
    """Worker shares cut before the pre-scan find the file not grouped: both ways fall back."""
    text = large_log.read_text("utf-8")
    first = text.split("\n")[1]
    log = tmp_path / "ungrouped.csv"
    log.write_text(text + first + "\n", "utf-8")  # case 1's first row again at the end
    audit_both_jobs(MAGETAN, log, tmp_path, jobs=2)


@given(st.lists(st.lists(st.text(min_size=1, max_size=8), max_size=5), max_size=8))
@settings(max_examples=50, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_a_workers_digests_go_to_its_file_in_pieces_and_whole(tmp_path: Path, batches: list) -> None:
    """A worker's case-id digests go to a file as they come (Engine.digest_path), a piece at a
    time past engine.DIGESTS bytes: the file the verdict names holds every digest, in order,
    and a file left by an earlier reading is not added to."""
    from hashlib import blake2b

    from checker.columnar import engine as module

    path = tmp_path / "digests"
    path.write_bytes(b"left by an earlier reading")
    worker = object.__new__(Engine)  # only its digests are used here
    worker.grouping, worker.plain, worker.digests = None, True, bytearray()
    worker.digest_path, worker.digests_spilled = str(path), False
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(module, "DIGESTS", 16)
        for ids in batches:
            worker._started(ids)
            assert len(worker.digests) < 16 + 8 * len(ids)
    assert worker.verdict() == (True, str(path))
    expected = b"".join(blake2b(i.encode("utf-8", "surrogatepass"), digest_size=8).digest()
                        for ids in batches for i in ids)
    assert path.read_bytes() == expected


def test_quote_in_large_log_two_jobs(large_log: Path, tmp_path: Path) -> None:
    text = large_log.read_text("utf-8")
    middle = text.index("\n", len(text) // 2) + 1
    row = text[middle : text.index("\n", middle)].split(",")
    row[3] = '"' + row[3] + '"'
    log = tmp_path / "quoted.csv"
    log.write_text(text[:middle] + ",".join(row) + text[text.index("\n", middle) :], "utf-8")
    audit_both_jobs(MAGETAN, log, tmp_path, jobs=2)


# -- a bad byte -------------------------------------------------------------------------------


def _bad_byte(large_log: Path, tmp_path: Path) -> Path:
    data = bytearray(large_log.read_bytes())
    at = data.index(b"\n", len(data) // 2) + 12  # in a row in the middle of the file
    data[at] = 0xFF
    path = tmp_path / "bad.csv"
    path.write_bytes(bytes(data))
    return path


def test_bad_utf8_byte_one_job(large_log: Path, tmp_path: Path) -> None:
    outcome = audit_both(MAGETAN, _bad_byte(large_log, tmp_path), tmp_path, chunk=4096)
    _one_line_error(outcome)


def test_bad_utf8_byte_two_jobs(large_log: Path, tmp_path: Path) -> None:
    outcome = audit_both_jobs(MAGETAN, _bad_byte(large_log, tmp_path), tmp_path, jobs=2)
    _one_line_error(outcome)


def test_bad_utf8_byte_in_small_chunks_of_shares(large_log: Path, tmp_path: Path) -> None:
    outcome = audit_both_jobs(MAGETAN, _bad_byte(large_log, tmp_path), tmp_path, jobs=2, chunk=4096)
    _one_line_error(outcome)


def _one_line_error(outcome: Outcome) -> None:
    for audit in (outcome.usual, outcome.columnar):
        assert audit.status == 2
        assert audit.report is None
        lines = audit.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("sopcheck: "), audit.stderr


# -- timestamps the engine must not take for valid ones ---------------------------------------


def _written(text: str, at: int = 2) -> Callable[[int, str], str]:
    """Event `at`'s timestamp written as `text`, the others as retime() writes them."""
    return lambda i, stamp: text if i == at else stamp


def _dated(text: str, at: int = 2) -> Callable[[int, str], str]:
    """Every event's timestamp a date alone, event `at`'s written as `text`."""
    return lambda i, stamp: text if i == at else stamp[:10]


# Each retimes a copy of a compliant case to one day, event 2 (at 08:02) written otherwise: an
# impossible date or time that a lenient parser would read as that very moment.
IMPOSSIBLE: dict[str, tuple[date, Callable[[int, str], str]]] = {
    "February 30": (date(2024, 3, 1), _written("2024-02-30T08:02:00+07:00")),
    "February 29 of a common year": (date(2023, 3, 1), _written("2023-02-29T08:02:00+07:00")),
    "April 31": (date(2024, 5, 1), _written("2024-04-31T08:02:00+07:00")),
    "February 30, dates only": (date(2024, 3, 1), _dated("2024-02-30")),
    "second 60": (date(2024, 3, 1), _written("2024-03-01T08:01:60+07:00")),
    "hour 24": (date(2024, 3, 1), _written("2024-02-29T24:02:00+07:00")),
    "month 13": (date(2024, 3, 1), _written("2024-13-01T08:02:00+07:00")),
    "day 00": (date(2024, 3, 1), _written("2024-03-00T08:02:00+07:00")),
}


@pytest.mark.parametrize("chunk", [None, 700])
@pytest.mark.parametrize("name", sorted(IMPOSSIBLE))
def test_impossible_timestamp(base: Path, tmp_path: Path, name: str, chunk: int | None) -> None:
    day, stamps = IMPOSSIBLE[name]
    log = Log.read(base)
    donor = log.donor(1)
    retime(log, log.copy(donor, "-a"), day, lambda i, stamp: stamps(-1, stamp))  # compliant
    retime(log, log.copy(donor + 1, "-b"), day, stamps)
    outcome = audit_both(MAGETAN, log.write(tmp_path / "log.csv"), tmp_path, chunk=chunk)
    assert outcome.ran and outcome.fast > 0


def test_impossible_timestamp_on_the_latest_event(base: Path, tmp_path: Path) -> None:
    """February 30 on the last event of a case the engine would render, the log's latest."""
    log = Log.read(base)
    donor = log.donor(-1)
    retime(log, log.copy(donor, "-a"), date(2030, 3, 1))  # the latest of the log, compliant
    rows = log.copy(donor + 1, "-b")
    rows[-1][log.col("timestamp")] = rows[-1][log.col("timestamp")].replace("2030-03-01", "2030-02-30")
    outcome = audit_both(MAGETAN, log.write(tmp_path / "log.csv"), tmp_path)
    assert outcome.ran


# Days the engine counts over arrays of day numbers (days since 1970-01-01).
DAYS = {
    "1964 (the first year of +07:00 in Jakarta)": date(1964, 3, 2),
    "1968": date(1968, 3, 1),
    "1969-12-31": date(1969, 12, 31),
    "1970-01-01": date(1970, 1, 1),
    "1900": date(1900, 3, 1),
    "2199-12-31": date(2199, 12, 31),
    "a Sunday": date(2024, 3, 3),
    "a public holiday (Idul Fitri 2024)": date(2024, 4, 10),
}


@pytest.mark.parametrize("name", sorted(DAYS))
def test_cases_on_unusual_days(base: Path, tmp_path: Path, name: str) -> None:
    """A copy of a compliant case moved to one day: its steps take no time."""
    log = Log.read(base)
    retime(log, log.copy(log.donor(1)), DAYS[name])
    outcome = audit_both(MAGETAN, log.write(tmp_path / "log.csv"), tmp_path, chunk=4096)
    assert outcome.ran and outcome.fast > 0


@pytest.mark.parametrize("start", ["1969-12-31", "1924-02-01", "1970-01-01", "1900-01-01", "2199-12-31"])
def test_start_attribute_far_from_the_events(base: Path, tmp_path: Path, start: str) -> None:
    """A copy of a compliant case whose start date (the SOP's case.start_attribute) is a typo
    decades before its events (or after): its first step and the whole case are over time."""
    log = Log.read(base)
    rows = log.copy(log.donor(1))
    for row in rows:
        row[log.col(START)] = start
    outcome = audit_both(MAGETAN, log.write(tmp_path / "log.csv"), tmp_path)
    assert outcome.ran and outcome.fast > 0


def test_start_attribute_before_1970_in_worker_shares(base: Path, tmp_path: Path) -> None:
    log = Log.read(base)
    for k in (1, -1):
        for row in log.copy(log.donor(k)):
            row[log.col(START)] = "1969-12-31"
    path = log.write(tmp_path / "log.csv")
    outcome = audit_both_jobs(MAGETAN, path, tmp_path, jobs=2, chunk=4096, small=0)
    assert outcome.in_workers and outcome.fast > 0


# -- duplicates -------------------------------------------------------------------------------

RUNNING_HEADER = "case_id,activity,timestamp,org:resource\n"
ROUND = [("examine casually", "Mike"), ("check ticket", "Pete"), ("decide", "Sara")]


def _running_case(case_id: str, day: str, *, same_time: bool, second_round: str) -> str:
    """A running-example case with a second round (reinitiated), every event at 08:00 if
    `same_time`; the second round's labels written with `second_round` before them."""
    events = [("register request", "Pete"), *ROUND, ("reinitiate request", "Sara"),
              *[(second_round + a, r) for a, r in ROUND], ("pay compensation", "Ellen")]
    lines = []
    for i, (activity, actor) in enumerate(events):
        minute = 0 if same_time else i
        lines.append(f"{case_id},{activity},{day}T08:{minute:02d}:00+07:00,{actor}\n")
    return "".join(lines)


@pytest.mark.parametrize("second_round", ["", " ", "\t"], ids=["as is", "space", "tab"])
def test_duplicates_at_one_time(tmp_path: Path, second_round: str) -> None:
    """Events at one time: the reader counts exact duplicates (rows.duplicates; labels compared
    as stripped). The second case repeats the first's three steps of the second round at the
    same moment, exact duplicates once stripped; the first case, a sample of the same kind, is
    compliant."""
    log = tmp_path / "log.csv"
    log.write_text(
        RUNNING_HEADER
        + _running_case("C1", "2024-03-04", same_time=False, second_round="")
        + _running_case("C2", "2024-03-05", same_time=True, second_round=second_round),
        "utf-8",
    )
    outcome = audit_both(RUNNING, log, tmp_path)
    assert outcome.ran


# -- the engine's own tables ------------------------------------------------------------------


def test_space_is_what_str_isspace_is_true_of() -> None:
    python = "".join(c for c in map(chr, range(0x110000)) if c.isspace())
    assert python == SPACE


def test_edge_space_matches_where_strip_changes_the_text() -> None:
    import pyarrow as pa
    import pyarrow.compute as pc

    texts = ["a", "a b", "", "\u200ba\u200b", "a\u2028b", "\ufeffa"]
    texts += [f"{c}a" for c in SPACE] + [f"a{c}" for c in SPACE] + [f"a{c}b" for c in SPACE]
    found = pc.match_substring_regex(pa.array(texts), EDGE_SPACE).to_pylist()
    assert found == [t != t.strip() for t in texts]


# -- a property -------------------------------------------------------------------------------

# Edits for the property: of a case of the log, or of a copy of it put after it (most keep
# the copy's kind, so that it is rendered from the sample's template unless the engine sees the
# edit). Impossible dates and dates before 1970 are tested above; so are the edits left out
# here, which only spell a timestamp otherwise or send a whole chunk the usual way.
PROPERTY_EDITS = sorted(
    set(EDITS) - {"year out of range", "lower-case t", "fraction of a second", "no offset"}
)


@settings(max_examples=25, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10_000),
    rate=st.sampled_from([0.0, 0.1, 0.5, 1.0]),
    cases=st.integers(2, 25),
    chunk=st.one_of(st.none(), st.integers(256, 8192)),
    edits=st.lists(
        st.tuples(st.sampled_from(PROPERTY_EDITS), st.integers(0, 100), st.booleans(),
                  st.integers(0, 3650)),
        max_size=4,
    ),
    end=st.sampled_from(["\n", "\r\n"]),
)
def test_random_small_logs_give_the_same_report(
    seed: int, rate: float, cases: int, chunk: int | None, edits: list, end: str
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        log = Log.read(generate(MAGETAN, tmp / "generated.csv", cases=cases, rate=rate, seed=seed))
        for name, k, copy, shift in edits:
            i = k % len(log.cases)
            rows = log.copy(i) if copy else log.cases[i]
            if len(rows) < 4:
                continue
            if copy and shift:  # the copy on another day, its steps taking no time
                retime(log, rows, date(2024, 1, 1) + timedelta(days=shift))
            EDITS[name][0](log, rows)
        outcome = audit_both(MAGETAN, log.write(tmp / "log.csv", end=end), tmp, chunk=chunk)
        assert outcome.ran



# -- what a review found (each failed before its fix) ---------------------------------------


FIXTURE = REPO_ROOT / "fixtures" / "logs" / "penawaran-kerja-sama.csv"


def _fixture_cases(edits: dict[str, Callable[[int, list[str]], None] | None], sep: str = ",") -> str:
    """The fixture log's first (clean) case, copied under each id with its edit."""
    lines = FIXTURE.read_text(encoding="utf-8-sig").splitlines()
    header, base = lines[0], lines[1:10]
    rows = []
    for case_id, edit in edits.items():
        for i, line in enumerate(base):
            fields = line.split(",")
            fields[0] = case_id
            if edit is not None:
                edit(i, fields)
            rows.append(sep.join(fields))
    return "\n".join([header.replace(",", sep), *rows]) + "\n"


def _actor(value: str) -> Callable[[int, list[str]], None]:
    def edit(i: int, fields: list[str]) -> None:
        if i == 2:  # a step of bagian_tapem
            fields[3] = value

    return edit


def test_an_empty_actor_and_a_role_are_not_one_key(tmp_path: Path) -> None:
    # The sample (no actor on its third step) is clean; the second case's third step is the
    # Bupati's, a wrong actor (AC001): a key that confused the two rendered it clean.
    log = tmp_path / "log.csv"
    log.write_text(_fixture_cases({"C1": _actor(""), "C2": _actor("Bupati")}), encoding="utf-8")
    outcome = audit_both(MAGETAN, log, tmp_path)
    assert outcome.usual.status == 1 and b'"AC001"' in (outcome.usual.report or b"")


def test_year_0000_is_a_rejected_row_not_a_traceback(tmp_path: Path) -> None:
    def year0(i: int, fields: list[str]) -> None:
        if i == 3:
            fields[2] = "0000-01-01"

    log = tmp_path / "log.csv"
    log.write_text(_fixture_cases({"C1": None, "C2": year0}), encoding="utf-8")
    outcome = audit_both(MAGETAN, log, tmp_path)
    assert outcome.usual.report is not None and b'"rejected": 1' in outcome.usual.report


def test_a_delimiter_pyarrow_cannot_take_leaves_the_log_to_the_usual_engine(tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    log.write_text("sep=\u00a6\n" + _fixture_cases({"C1": None, "C2": None}, sep="\u00a6"), encoding="utf-8")
    outcome = audit_both(MAGETAN, log, tmp_path)
    assert not outcome.ran and outcome.usual.report is not None


@settings(max_examples=200, deadline=None, database=None)
@given(
    st.dates(date(2019, 1, 1), date(2027, 12, 31)),
    st.dates(date(2019, 1, 1), date(2027, 12, 31)),
    st.booleans(),
)
def test_day_counts_over_arrays_are_the_calendars(a: date, b: date, calendar_days: bool) -> None:
    """plan.Days.taken (arrays of day numbers) against WorkCalendar._days_taken, which the
    engine's time checks use, on the default Indonesian calendar (weekends, holidays, cuti
    bersama)."""
    import numpy as np

    from checker.columnar.plan import EPOCH, Days
    from checker.workcal import WorkCalendar

    calendar = WorkCalendar.default()
    days = Days(calendar, 7 * 3600)
    assert days.cover(2019, 2027, (2019, 2027))
    unit = "calendar_days" if calendar_days else "working_days"
    start, end = np.asarray([a.toordinal() - EPOCH]), np.asarray([b.toordinal() - EPOCH])
    taken = days.taken(start, end, calendar_days)
    assert int(taken[0]) == calendar._days_taken(a, b, unit)


_DIGITS = st.text("0123456789", min_size=2, max_size=2)


@st.composite
def _stamps(draw) -> str:
    """A timed stamp, a date alone (both shapes with any digits: impossible dates too), or other
    text."""
    day = f"{draw(st.integers(1, 9999)):04d}-{draw(_DIGITS)}-{draw(_DIGITS)}"
    kind = draw(st.sampled_from(["timed", "dated", "other"]))
    if kind == "timed":
        return f"{day}T{draw(_DIGITS)}:{draw(_DIGITS)}:{draw(_DIGITS)}+07:00"
    return day if kind == "dated" else draw(st.text(max_size=30))


@settings(max_examples=200, deadline=None)
@given(st.lists(_stamps(), min_size=1, max_size=20), st.integers(0, 3))
def test_local_seconds_are_the_calendars_for_every_shape_of_stamp(stamps: list[str], skip: int) -> None:
    # The digits are read from the text's bytes at the places the shape puts them; a sliced
    # array (an offset into its buffers) reads its own rows.
    import pyarrow as pa
    import pyarrow.compute as pc

    from checker.columnar.columns import _local_seconds

    array = pa.array(["x" * skip] * skip + stamps, pa.string()).slice(skip)
    timed = pc.match_substring_regex(array, r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00$").to_numpy(
        zero_copy_only=False)
    dated = pc.match_substring_regex(array, r"^\d{4}-\d{2}-\d{2}$").to_numpy(zero_copy_only=False)
    seconds, possible, year = _local_seconds(array, timed, dated)
    for k, text in enumerate(stamps):
        if not (timed[k] or dated[k]):
            assert (seconds[k], possible[k], year[k]) == (0, False, 1970)
            continue
        assert year[k] == int(text[:4])
        try:
            moment = datetime.fromisoformat(text[:19] if timed[k] else text)
        except ValueError:
            assert (seconds[k], possible[k]) == (0, False), text
            continue
        assert possible[k], text
        assert seconds[k] == (moment.replace(tzinfo=None) - datetime(1970, 1, 1)).total_seconds(), text
