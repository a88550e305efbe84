"""The engine caches work per variant and per branch decision: a case must be judged the same
whatever other cases the same process audited before it."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from checker.api import audit_cases
from checker.events import Case, Event
from checker.sop.load import require_sop

SEED = Path(__file__).resolve().parents[1] / "rules" / "magetan" / "penawaran-kerja-sama.yaml"


def test_an_attribute_that_reads_none_is_not_an_attribute_left_out(tmp_path: Path) -> None:
    """Branch decisions are cached on the attributes' text: a case whose attribute is the text
    "None" must not take the decisions of a case without the attribute (or the other way round),
    so that each is judged the same alone or after the other."""
    text = SEED.read_text(encoding="utf-8")
    vertical = "when: {attribute: jenis_kerja_sama, equals: Instansi Vertikal}"
    assert text.count(vertical) >= 2
    path = tmp_path / "sop.yaml"
    value = "      - value: Instansi Vertikal\n"
    assert value in text
    text = text.replace(vertical, 'when: {attribute: jenis_kerja_sama, equals: "None"}')
    path.write_text(text.replace(value, '      - value: "None"\n'), "utf-8")
    sop = require_sop(path)
    zone = ZoneInfo("Asia/Jakarta")
    steps = ["terima_penawaran", "disposisi", "rapat_naskah", "legal_naskah", "ttd_naskah", "arsip"]

    def case(case_id: str, attributes: dict) -> Case:
        events = tuple(
            Event(case_id, step, datetime(2025, 3, 3 + i, 10, tzinfo=zone), row=i + 1)
            for i, step in enumerate(steps)
        )
        return Case(case_id, events, attributes)

    named = case("A", {"jenis_kerja_sama": "None"})  # takes the branch to arsip
    missing = case("B", {})  # no branch is open to it
    together = audit_cases(sop, [named, missing], as_of="2026-12-31", track_documents=False)
    for one in (named, missing):
        alone = audit_cases(sop, [one], as_of="2026-12-31", track_documents=False)[one.case_id]
        assert alone == together[one.case_id]
    assert together["A"].status != together["B"].status or together["A"].findings != together["B"].findings


def test_a_document_table_at_a_freed_ones_address_does_not_take_its_cache(monkeypatch) -> None:
    """Document labels are resolved once per SOP table, cached by the table's id: a table made
    where a freed one was (same id) must not read the old table's resolutions."""
    from types import SimpleNamespace

    from checker.conformance.checks import documents

    table = {"surat": "surat_penawaran"}
    ctx = SimpleNamespace(sop=SimpleNamespace(document_for_label=table))
    stale = {("surat",): frozenset({"from_another_sop"})}
    monkeypatch.setattr(documents, "_RESOLVED", {id(table): ({"surat": "x"}, stale)})
    assert documents._resolve(ctx, ("surat",)) == frozenset({"surat_penawaran"})
    assert documents._resolve(ctx, ("Surat",)) == frozenset({"surat_penawaran"})



def test_closing_is_judged_on_each_cases_own_attributes_whatever_the_cache(monkeypatch) -> None:
    """Whether the log closed a case (case.closed_when) is cached on the attribute's text, and
    the cache is bounded. It decides when a case ended for a deadline "to: end" (WABO: a case
    with an end date ended at its last event, and missed its deadline there; one without is
    still open, its deadline pending): cases that differ only in that attribute keep their own
    verdicts, in any order, with the cache cleared at every other case."""
    from checker.conformance import engine

    sop = require_sop(SEED.parents[1] / "examples" / "wabo-receipt.yaml")
    zone = ZoneInfo("Europe/Amsterdam")

    def case(case_id: str, enddate: str | None) -> Case:
        events = (Event(case_id, "Confirmation of receipt", datetime(2025, 3, 5, 10, tzinfo=zone), row=1),)
        attributes = {"deadline": "2025-03-04", **({"enddate": enddate} if enddate else {})}
        return Case(case_id, events, attributes)

    cases = [case("A", "2025-03-05"), case("B", None), case("C", "2025-03-06"), case("D", None)]
    monkeypatch.setattr(engine, "DECISIONS", 1)
    together = audit_cases(sop, cases, as_of="2025-03-05", track_documents=False)
    codes = {}
    for one in cases:
        alone = audit_cases(sop, [one], as_of="2025-03-05", track_documents=False)[one.case_id]
        assert alone == together[one.case_id]
        codes[one.case_id] = sorted(f.code for f in alone.all_findings())
    assert "TM003" in codes["A"] and "TM003" in codes["C"]  # ended (end date), after the deadline
    assert codes["B"] == codes["D"] != codes["A"]
