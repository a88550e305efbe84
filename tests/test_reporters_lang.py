"""Switching --lang changes every human-facing string and nothing else: the same structure, numbers,
codes, ids and evidence in Indonesian and English, and no English label left in an Indonesian
report (nor the other way round)."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from typing import Any

import openpyxl
import pytest

from checker.messages import MESSAGES
from checker.reporters.audit import FORMATS
from tests.test_reporters_common import injection_report
from tests.test_reporters_html import parse

# Keys of the records whose values are prose in the report's language.
HUMAN_KEYS = {"message", "step_name", "calendar", "lang"}


def strip_human(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: strip_human(v) for k, v in value.items() if k not in HUMAN_KEYS}
    if isinstance(value, list):
        return [strip_human(v) for v in value]
    return value


def render(fmt: str, lang: str) -> str | bytes:
    return FORMATS[fmt](injection_report(lang), lang)


def test_json_differs_only_in_human_strings():
    en, id_ = (json.loads(render("json", lang)) for lang in ("en", "id"))
    assert strip_human(en) == strip_human(id_)
    assert en["findings"][0]["message"] != id_["findings"][0]["message"]
    assert (en["provenance"]["lang"], id_["provenance"]["lang"]) == ("en", "id")


def test_sarif_differs_only_in_human_strings():
    def skeleton(doc: Any) -> Any:
        if isinstance(doc, dict):
            return {
                k: skeleton(v)
                for k, v in doc.items()
                if k not in ("text", "markdown", "language", "message", "step_name", "calendar", "lang")
            }
        if isinstance(doc, list):
            return [skeleton(v) for v in doc]
        return doc

    en, id_ = (json.loads(render("sarif", lang)) for lang in ("en", "id"))
    assert skeleton(en) == skeleton(id_)
    assert en["runs"][0]["results"][0]["message"] != id_["runs"][0]["results"][0]["message"]


def test_html_has_the_same_elements_and_attributes_in_both_languages():
    human_attributes = {"title", "placeholder", "aria-label", "content", "lang"}
    en, id_ = (parse(render("html", lang)) for lang in ("en", "id"))
    assert en.tags == id_.tags
    strip = [(t, n, v if n not in human_attributes else None) for t, n, v in en.attributes]
    assert strip == [(t, n, v if n not in human_attributes else None) for t, n, v in id_.attributes]
    assert en.finding_codes == id_.finding_codes
    assert en.text != id_.text


def test_csv_and_xlsx_keep_their_shape():
    en, id_ = (list(csv.reader(io.StringIO(render("csv", lang)))) for lang in ("en", "id"))
    assert en[0] == id_[0], "CSV headers are stable keys"
    assert [len(r) for r in en] == [len(r) for r in id_]
    keep = [en[0].index(k) for k in ("case_id", "code", "step", "rows", "depth", "caused_by")]
    assert [[r[i] for i in keep] for r in en] == [[r[i] for i in keep] for r in id_]
    books = [openpyxl.load_workbook(io.BytesIO(render("xlsx", lang))) for lang in ("en", "id")]
    assert [ws.title for ws in books[0]] == ["Summary", "Cases", "Findings"]
    assert [ws.title for ws in books[1]] == ["Ringkasan", "Kasus", "Temuan"]
    for a, b in zip(*books, strict=True):
        assert (a.max_row, a.max_column) == (b.max_row, b.max_column)
        for ra, rb in zip(a.iter_rows(values_only=True), b.iter_rows(values_only=True), strict=True):
            assert [type(x) for x in ra] == [type(x) for x in rb]
            assert [x for x in ra if isinstance(x, int | float)] == [
                x for x in rb if isinstance(x, int | float)
            ]


def test_junit_keeps_its_shape():
    en, id_ = (ET.fromstring(render("junit", lang)) for lang in ("en", "id"))
    shape = [(e.tag, e.get("name"), e.get("type")) for e in en.iter() if e.tag != "testsuite"]
    assert shape == [(e.tag, e.get("name"), e.get("type")) for e in id_.iter() if e.tag != "testsuite"]


def _log_strings() -> set[str]:
    """Strings the log itself holds (activities, actors, attribute values): data, not labels."""
    out: set[str] = set()
    for case in injection_report().cases:
        out.update(str(v) for v in case.attributes.values())
        for e in case.events:
            out.update(x for x in (e.activity, e.actor) if x)
    return out


def _labels(lang: str, other: str) -> list[str]:
    """Report labels of `other` that are not also words of `lang` (nor data of the log): they must
    not show in a report in `lang`."""
    data = _log_strings()
    out = []
    for key, texts in MESSAGES.items():
        if not key.startswith("rpt.") or "{" in texts[other]:
            continue
        label = texts[other]
        if label in data or label == texts[lang] or len(label) < 6:
            continue
        if not any(label in v[lang] for v in MESSAGES.values()):
            out.append(label)
    return out


@pytest.mark.parametrize(("lang", "other"), [("id", "en"), ("en", "id")])
@pytest.mark.parametrize("fmt", ["html", "md"])
def test_no_label_of_the_other_language(fmt, lang, other):
    out = render(fmt, lang)
    text = " ".join(parse(out).text) if fmt == "html" else out
    leaked = [label for label in _labels(lang, other) if re.search(rf"(?<!\w){re.escape(label)}(?!\w)", text)]
    assert leaked == []
