"""One catalogue drives `codes`, `explain` and docs/codes.md: the page is up to date, every code
explains itself in both languages, and every code's message renders."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker import catalogue
from checker.commands.codes import markdown

ROOT = Path(__file__).resolve().parents[1]


def test_docs_codes_page_is_generated_from_the_catalogue() -> None:
    page = (ROOT / "docs" / "codes.md").read_text(encoding="utf-8")
    assert page == markdown(list(catalogue.CODES), "en")


def test_codes_are_unique_and_well_formed() -> None:
    codes = [c.code for c in catalogue.CODES]
    assert len(codes) == len(set(codes))
    assert len({c.name for c in catalogue.CODES}) == len(codes)
    for c in catalogue.CODES:
        assert c.severity in catalogue.SEVERITIES
        assert c.name.split(".")[0] == c.family


@pytest.mark.parametrize("code", [c.code for c in catalogue.CODES])
def test_explain_works_for_every_code(code: str, run_cli) -> None:
    en = run_cli(["explain", code, "--lang", "en"])
    id_ = run_cli(["explain", code, "--lang", "id"])
    assert en.code == 0 and id_.code == 0
    entry = catalogue.get(code)
    assert entry.explanation.en in en.stdout and entry.explanation.id in id_.stdout
    assert entry.failing.splitlines()[0] in en.stdout


def test_codes_lists_every_code(run_cli) -> None:
    result = run_cli(["codes"])
    assert result.code == 0
    listed = [line.split()[0] for line in result.stdout.splitlines() if line.strip()]
    assert listed == [c.code for c in catalogue.CODES]
