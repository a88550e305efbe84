"""Someone holding two posts on the same day (an acting post, Plt.) is judged by every post they
hold that day, not only by the newer appointment.

The fixture roster has Budi Santoso as pengadministrasi_umum from 2026-01-01 to 2026-06-30 and
acting kepala_bagian_umum from 2026-06-01: in June he holds both."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path

import pytest

from checker.api import audit
from checker.roster import Roster

ROSTER = Path(__file__).resolve().parents[1] / "fixtures" / "logs" / "roster.yaml"

SOP = """\
sopcheck: 1
id: test/acting
revision: "1"
identity:
  title: Acting posts
actors:
  - {id: pengadministrasi_umum, name: Pengadministrasi Umum}
  - {id: kepala_bagian_umum, name: Kepala Bagian Umum}
  - {id: sekretaris_daerah, name: Sekretaris Daerah}
documents:
  - {id: surat_kuasa, name: Surat Kuasa}
steps:
  - {id: agenda, number: 1, name: Catat Agenda, actor: pengadministrasi_umum, next: disposisi}
  - {id: disposisi, number: 2, name: Disposisi, actor: kepala_bagian_umum, next: paraf}
  - id: paraf
    number: 3
    name: Paraf
    actor: sekretaris_daerah
    delegates:
      - {actor: pengadministrasi_umum, requires: [surat_kuasa]}
    next: sahkan
  - id: sahkan
    number: 4
    name: Sahkan
    actor: sekretaris_daerah
    delegates:
      - {actor: kepala_bagian_umum, requires: [surat_kuasa]}
      - {actor: pengadministrasi_umum}
    next: end
"""

HEADER = "case_id,activity,timestamp,actor,documents\n"


def _case(case_id: str, actors: Iterable[tuple[str, str]], documents: dict[int, str] | None = None) -> str:
    """One case through the four steps: (actor, ISO date) per step, documents by step index."""
    steps = ("Catat Agenda", "Disposisi", "Paraf", "Sahkan")
    rows = []
    for i, (step, (actor, day)) in enumerate(zip(steps, actors, strict=True)):
        rows.append(f"{case_id},{step},{day}T09:00:00+07:00,{actor},{(documents or {}).get(i, '')}\n")
    return "".join(rows)


def _actor_findings(tmp_path: Path, log: str, roster: object = ROSTER, sop: str = SOP) -> list[tuple]:
    (tmp_path / "sop.yaml").write_text(sop, encoding="utf-8")
    (tmp_path / "log.csv").write_text(HEADER + log, encoding="utf-8")
    report = audit(tmp_path / "sop.yaml", tmp_path / "log.csv", as_of="2026-12-31", roster=roster)

    def walk(findings):
        for f in findings:
            yield f
            yield from walk(f.consequences)

    return sorted(
        (f.case_id, f.step, f.code, dict(f.args).get("actual"))
        for f in walk(report.findings)
        if f.code.startswith("AC")
    )


BUDI = "Budi Santoso"
SRI = "Sri Wahyuni"
JUNE = "2026-06-15"


def test_the_fixture_gives_two_posts_in_june():
    roster = Roster.load(str(ROSTER))
    assert roster.roles(BUDI, date.fromisoformat(JUNE)) == ("kepala_bagian_umum", "pengadministrasi_umum")


def test_an_acting_official_may_do_the_steps_of_his_own_post(tmp_path):
    # Catat Agenda belongs to his older post (pengadministrasi_umum), Disposisi to the acting one.
    log = _case("R1", [(BUDI, JUNE), (BUDI, "2026-06-16"), (BUDI, JUNE), (BUDI, JUNE)], {2: "Surat Kuasa"})
    assert _actor_findings(tmp_path, log) == []


def test_a_post_that_has_ended_no_longer_counts(tmp_path):
    # From July he is kepala_bagian_umum only: the agenda is a wrong actor, named by his post.
    log = _case(
        "R2", [(BUDI, "2026-07-01"), (BUDI, "2026-07-01"), (BUDI, "2026-07-01"), (BUDI, "2026-07-01")],
        {2: "Surat Kuasa", 3: "Surat Kuasa"},
    )
    assert _actor_findings(tmp_path, log) == [
        ("R2", "agenda", "AC001", "kepala_bagian_umum"),
        ("R2", "paraf", "AC001", "kepala_bagian_umum"),
    ]


def test_a_wrong_actor_names_the_newest_post(tmp_path):
    # Paraf without its delegation: he holds neither its actor nor a delegate, in either post.
    sop = SOP.replace("    delegates:\n      - {actor: pengadministrasi_umum, requires: [surat_kuasa]}\n", "")
    log = _case("R3", [(SRI, JUNE), (SRI, JUNE), (BUDI, JUNE), (BUDI, JUNE)])
    assert _actor_findings(tmp_path, log, sop=sop) == [
        ("R3", "disposisi", "AC001", "pengadministrasi_umum"),
        ("R3", "paraf", "AC001", "kepala_bagian_umum"),
    ]


def test_a_delegation_held_through_the_older_post_needs_its_document(tmp_path):
    # Paraf allows pengadministrasi_umum with a surat kuasa: Budi's older post, not his newest.
    log = _case("R4", [(BUDI, JUNE), (BUDI, JUNE), (BUDI, JUNE), (BUDI, JUNE)])
    assert _actor_findings(tmp_path, log) == [("R4", "paraf", "AC002", "pengadministrasi_umum")]


def test_any_delegation_he_holds_may_be_the_one_used(tmp_path):
    # Sahkan allows kepala_bagian_umum with a surat kuasa, or pengadministrasi_umum without one:
    # with no surat kuasa in the case, his older post still lets him do it.
    log = _case("R5", [(BUDI, JUNE), (BUDI, JUNE), ("Sekretaris Daerah", JUNE), (BUDI, JUNE)])
    assert _actor_findings(tmp_path, log) == []


def test_a_delegation_whose_document_is_missing_names_the_newest_delegate(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "person,actor,valid_from,valid_to\n"
        "Ani,pengadministrasi_umum,2026-01-01,\n"
        "Ani,kepala_bagian_umum,2026-06-01,\n"
        f"{SRI},pengadministrasi_umum,2024-01-01,\n",
        encoding="utf-8",
    )
    # Both of Ani's posts may sign for the Sekretaris Daerah, each with a surat kuasa; there is none.
    sop = SOP.replace(
        "      - {actor: pengadministrasi_umum}\n",
        "      - {actor: pengadministrasi_umum, requires: [surat_kuasa]}\n",
    )
    (tmp_path / "sop.yaml").write_text(sop, encoding="utf-8")
    people = [(SRI, JUNE), ("Kepala Bagian Umum", JUNE), ("Sekretaris Daerah", JUNE), ("Ani", JUNE)]
    (tmp_path / "log.csv").write_text(HEADER + _case("R6", people), encoding="utf-8")
    report = audit(tmp_path / "sop.yaml", tmp_path / "log.csv", as_of="2026-12-31", roster=roster)
    actors = [f for f in report.findings if f.code.startswith("AC")]
    found = [(f.step, f.code, f.args["actual"], f.args["document"]) for f in actors]
    assert found == [("sahkan", "AC002", "kepala_bagian_umum", "surat_kuasa")]


def test_someone_out_of_post_is_still_unknown(tmp_path):
    log = _case("R7", [(BUDI, "2025-12-31"), (BUDI, JUNE), (BUDI, JUNE), (BUDI, JUNE)], {2: "Surat Kuasa"})
    assert _actor_findings(tmp_path, log) == [("R7", "agenda", "AC003", BUDI)]


class _Untouchable:
    """A roster that fails the test if the audit asks it anything."""

    def __getattr__(self, name: str):
        raise AssertionError(f"the roster was consulted ({name}) for a log naming SOP actors")

    def __reduce__(self):
        return (_Untouchable, ())


def test_a_log_naming_roles_is_judged_without_the_roster(tmp_path):
    log = _case(
        "R8",
        [("Kepala Bagian Umum", JUNE), ("kepala_bagian_umum", JUNE), ("Sekretaris Daerah", JUNE),
         ("Pengadministrasi Umum", JUNE)],
    )
    assert _actor_findings(tmp_path, log, roster=_Untouchable()) == [
        ("R8", "agenda", "AC001", "kepala_bagian_umum"),
    ]


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_wrong_actor_message_is_unchanged(tmp_path, lang):
    (tmp_path / "sop.yaml").write_text(SOP, encoding="utf-8")
    july = "2026-07-01"
    log = _case("R9", [(BUDI, july), (BUDI, july), (SRI, july), (BUDI, july)], {2: "Surat Kuasa"})
    (tmp_path / "log.csv").write_text(HEADER + log, encoding="utf-8")
    report = audit(tmp_path / "sop.yaml", tmp_path / "log.csv", as_of="2026-12-31", roster=ROSTER)
    (only,) = [f for f in report.findings if f.code == "AC001"]
    assert only.step == "agenda"
    assert "'kepala_bagian_umum'" in only.message(lang) and "'pengadministrasi_umum'" in only.message(lang)
