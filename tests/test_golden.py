"""The example SOPs on the real public logs of ../shared/data: golden audit reports, and checks of
those reports against the raw logs that do not go through sopcheck's readers or engine.

Goldens (fixtures/golden/*.json) are `sopcheck audit --format json` reports, normalised so that
they do not depend on the machine: the log's path becomes its file name, the tool version and the
calendar line (holidays package version) are dropped, and each case's `events`, `alignment`,
`times` and `attributes` are left out (they repeat the log: 8,577 events for WABO, 5 MB of JSON;
the findings keep their evidence rows). The SOP's and the log's sha256 stay: a golden belongs to
one SOP text and one log.

Regenerate after a deliberate change:  SOPCHECK_UPDATE_GOLDEN=1 python3 -m pytest tests/test_golden.py
Every test skips when ../shared/data is absent.
"""

from __future__ import annotations

import csv
import json
import os
import re
import tempfile
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from tests.conftest import REPO_ROOT, run_cli
from tests.examples_support import DATA

GOLDEN = REPO_ROOT / "fixtures" / "golden"
DOC = REPO_ROOT / "docs" / "examples.md"
UPDATE = os.environ.get("SOPCHECK_UPDATE_GOLDEN") == "1"

WABO = "rules/examples/wabo-receipt.yaml"
FINES = "rules/examples/road-traffic-fines.yaml"
WABO_AS_OF = "2012-01-23"  # the day of the receipt log's last event
FINES_AS_OF = "2013-04-24"  # the day of the last event of the 100 road traffic cases

# golden name -> (SOP, log file in ../shared/data, extra options); the commands of docs/examples.md
AUDITS = {
    # The SOP reads org:group as the actor (case.actor_field).
    "wabo-receipt.xes": (WABO, "receipt.xes.gz", ["--as-of", WABO_AS_OF]),
    "wabo-receipt.csv": (WABO, "receipt.csv", ["--as-of", WABO_AS_OF]),
    "road-traffic-fines": (FINES, "roadtraffic100traces.xes", ["--as-of", FINES_AS_OF]),
}

needs_data = pytest.mark.skipif(
    not all((DATA / log).exists() for _, log, _ in AUDITS.values()),
    reason=f"the real logs are not here ({DATA})",
)


def normalise(report: dict) -> dict:
    """The report without what depends on the machine or repeats the log (see the module doc)."""
    report = json.loads(json.dumps(report))
    report["tool"].pop("version", None)
    prov = report["provenance"]
    prov["log_path"] = Path(prov["log_path"]).name if prov.get("log_path") else None
    prov.pop("calendar", None)
    for case in report["cases"]:
        for key in ("events", "alignment", "times", "attributes"):
            case.pop(key, None)
    return report


@cache
def audited(name: str) -> tuple[int, dict]:
    """Run the audit of AUDITS[name] as a user would; (exit status, normalised report)."""
    sop, log, options = AUDITS[name]
    with tempfile.TemporaryDirectory(prefix="sopcheck-golden-") as folder:
        out = Path(folder) / f"{name}.json"
        code, _, err = run_cli(["audit", sop, DATA / log, *options, "--format", "json", "-o", out],
                               timeout=600)
        assert code in (0, 1), err
        assert "Traceback" not in err
        return code, normalise(json.loads(out.read_text(encoding="utf-8")))


def _first_difference(expected: dict, actual: dict) -> str:
    for key in sorted(set(expected) | set(actual)):
        if key == "cases":
            old = {c["case_id"]: c for c in expected.get("cases", [])}
            new = {c["case_id"]: c for c in actual.get("cases", [])}
            for case_id in sorted(set(old) | set(new)):
                if old.get(case_id) != new.get(case_id):
                    return f"case {case_id}: golden {old.get(case_id)} != now {new.get(case_id)}"
        elif expected.get(key) != actual.get(key):
            return f"{key}: golden {expected.get(key)} != now {actual.get(key)}"
    return "no difference"


@needs_data
@pytest.mark.parametrize("name", sorted(AUDITS))
def test_audit_reproduces_golden(name):
    code, report = audited(name)
    path = GOLDEN / f"{name}.json"
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(report, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                        encoding="utf-8")
    golden = json.loads(path.read_text(encoding="utf-8"))
    assert report == golden, (
        f"{name}: the audit no longer gives the golden report ({_first_difference(golden, report)}); "
        "if the change is deliberate, regenerate with SOPCHECK_UPDATE_GOLDEN=1"
    )
    # Findings of severity error exist in both logs, so the exit status says so.
    assert code == 1
    assert report["summary"]["cases"] == len(report["cases"])


def _without_rows(report: dict) -> dict:
    """Each case's status and findings, with evidence named by activity, time and actor only."""

    def finding(f: dict) -> tuple:
        evidence = tuple((e["activity"], e["timestamp"], e["actor"]) for e in f["evidence"])
        return (f["code"], f["step"], f["message"], evidence, tuple(map(finding, f["consequences"])))

    by_case: dict[str, list] = {}
    for f in report["findings"]:
        by_case.setdefault(f["case_id"], []).append(finding(f))
    return {c["case_id"]: (c["status"], c["fitness"], c["cost"], tuple(by_case.get(c["case_id"], ())))
            for c in report["cases"]}


@needs_data
def test_receipt_xes_and_csv_give_the_same_findings():
    _, xes = audited("wabo-receipt.xes")
    _, csv_report = audited("wabo-receipt.csv")
    assert xes["summary"] == csv_report["summary"]
    assert _without_rows(xes) == _without_rows(csv_report)
    # ... and the rows differ only because XES rows are lines of the XML and CSV rows are lines
    # of the table: every evidence row of the CSV report is a data line of the CSV.
    rows = {e["row"] for f in csv_report["findings"] for e in f["evidence"]}
    assert rows and min(rows) >= 2 and max(rows) <= 8578


# -- Checks against the raw logs, read here with lxml and csv, not with sopcheck's readers ------


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text.strip().replace(" ", "T"))


@cache
def raw_receipt() -> dict[str, dict]:
    """receipt.csv as {case: {deadline, enddate, events: [(activity, instant, group)]}}."""
    cases: dict[str, dict] = {}
    with open(DATA / "receipt.csv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            case = cases.setdefault(row["case:concept:name"], {
                "deadline": _instant(row["case:deadline"]),
                "enddate": row["case:enddate"] or None,
                "events": [],
            })
            case["events"].append((row["concept:name"], _instant(row["time:timestamp"]), row["org:group"]))
    return cases


@cache
def raw_fines() -> dict[str, list[tuple[str, datetime, dict]]]:
    """roadtraffic100traces.xes as {case: [(activity, instant, attributes)]}, in file order."""
    tree = etree.parse(str(DATA / "roadtraffic100traces.xes"))
    cases = {}
    for trace in tree.getroot().iter("{*}trace", "trace"):
        name = next(c.get("value") for c in trace if c.get("key") == "concept:name")
        events = []
        for event in trace.iter("{*}event", "event"):
            attrs = {c.get("key"): c.get("value") for c in event}
            events.append((attrs["concept:name"], _instant(attrs["time:timestamp"]), attrs))
        cases[name] = events
    return cases


def _codes(report: dict, case_id: str, code: str) -> list[dict]:
    def walk(findings):
        for f in findings:
            yield f
            yield from walk(f["consequences"])

    return [f for f in walk(report["findings"]) if f["case_id"] == case_id and f["code"] == code]


@needs_data
def test_receipt_log_facts_the_report_must_agree_with():
    _, report = audited("wabo-receipt.xes")
    raw = raw_receipt()
    cases = {c["case_id"]: c for c in report["cases"]}
    assert set(cases) == set(raw) and len(raw) == 1434
    assert report["rows"]["accepted"] == sum(len(c["events"]) for c in raw.values()) == 8577
    as_of_end = datetime(2012, 1, 23, 23, 59, 59, 999999, tzinfo=UTC)  # generous: any zone's day
    for case_id, case in raw.items():
        last = case["events"][-1][1]
        late = _codes(report, case_id, "TM003")
        status = cases[case_id]["status"]
        if status in ("complete", "ended_early"):
            # A finished case misses its deadline exactly when its last event is after it.
            assert bool(late) == (last > case["deadline"]), case_id
        elif late:
            assert case["deadline"] < as_of_end, case_id
        # A case the system closed (enddate) is never reported as still open.
        if case["enddate"]:
            assert status not in ("in_progress", "overdue"), case_id
    # Every activity label of the log is a step of the SOP: no "unknown activity" finding.
    assert not any(f["code"] == "FL003" for f in report["findings"])


@needs_data
def test_fines_log_facts_the_report_must_agree_with():
    _, report = audited("road-traffic-fines")
    raw = raw_fines()
    assert {c["case_id"] for c in report["cases"]} == set(raw) and len(raw) == 100
    for case_id, events in raw.items():
        first = {}
        for activity, when, _ in events:
            first.setdefault(activity, when)
        # Notification term, counted in calendar days between the local dates of the log.
        late = _codes(report, case_id, "TM002")
        late_notification = [f for f in late if f["step"] == "send_fine"]  # only that deadline
        if "Send Fine" in first:
            offence = first["Create Fine"].date()
            days = (first["Send Fine"].date() - offence).days
            assert bool(late_notification) == (days > _notification_term(offence)), case_id
        else:
            assert not late_notification, case_id
    # Equal timestamps keep the log's order: C13687 created, sent and notified on one day is in order.
    assert not [f for f in report["findings"] if f["case_id"] == "C13687" and f["family"] == "flow"]


def _notification_term(offence: date) -> int:
    """Codice della Strada art. 201 c.1: 150 days, 90 for offences from 13 August 2010."""
    return 90 if offence >= date(2010, 8, 13) else 150


# -- The hand-checked cases of docs/examples.md agree with the reports ---------------------------

_ROW = re.compile(r"^\|\s*`(?P<golden>[\w.-]+)`\s*\|\s*`(?P<case>[\w-]+)`\s*\|\s*(?P<status>\w+)\s*\|"
                  r"\s*(?P<codes>[^|]*)\|")


def _hand_checked() -> list[tuple[str, str, str, list[str]]]:
    text = DOC.read_text(encoding="utf-8")
    start, end = text.index("<!-- hand-checked:start -->"), text.index("<!-- hand-checked:end -->")
    rows = []
    for line in text[start:end].splitlines():
        match = _ROW.match(line)
        if match:
            codes = sorted(re.findall(r"[A-Z]{2}\d{3} [a-z0-9_]+|[A-Z]{2}\d{3}", match["codes"]))
            rows.append((match["golden"], match["case"], match["status"], codes))
    return rows


def test_docs_give_the_commands_the_goldens_come_from():
    text = DOC.read_text(encoding="utf-8")
    for sop, log, options in AUDITS.values():
        command = " ".join(["sopcheck audit", sop, f"../shared/data/{log}", *options])
        assert command in text, command


def test_docs_list_hand_checked_cases_for_both_logs():
    rows = _hand_checked()
    assert sum(1 for r in rows if r[0].startswith("wabo")) >= 3
    assert sum(1 for r in rows if r[0] == "road-traffic-fines") >= 3


@needs_data
@pytest.mark.parametrize("row", _hand_checked() if DOC.exists() else [], ids=lambda r: f"{r[0]}:{r[1]}")
def test_hand_checked_case_agrees_with_the_report(row):
    name, case_id, status, codes = row
    _, report = audited(name)
    case = next(c for c in report["cases"] if c["case_id"] == case_id)
    assert case["status"] == status

    def walk(findings):
        for f in findings:
            yield f
            yield from walk(f["consequences"])

    found = sorted(
        (f"{f['code']} {f['step']}" if f["step"] else f["code"])
        for f in walk(report["findings"]) if f["case_id"] == case_id
    )
    assert found == codes


# -- A property: a case's result does not depend on the other cases of the log ------------------


@cache
def _receipt_cases():
    from checker.readers import ReadOptions, open_log

    source = open_log(str(DATA / "receipt.xes.gz"), ReadOptions(mapping={"actor": "org:group"}))
    return {case.case_id: case for case in source.cases()}


@needs_data
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_a_case_is_judged_the_same_alone_or_with_others(data):
    from checker.api import audit_cases
    from checker.sop.load import require_sop

    cases = _receipt_cases()
    ids = data.draw(st.lists(st.sampled_from(sorted(cases)), min_size=1, max_size=25, unique=True))
    sop = require_sop(REPO_ROOT / WABO)
    together = audit_cases(sop, [cases[i] for i in ids], as_of=WABO_AS_OF, track_documents=False)
    for case_id in ids:
        alone = audit_cases(sop, [cases[case_id]], as_of=WABO_AS_OF, track_documents=False)[case_id]
        assert alone == together[case_id]
