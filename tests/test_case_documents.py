"""The documents that arrived with a case are read from the log's case-documents field whatever
its column is called: `case:documents`, another case (`Case:Documents`), or a column mapped to
`case_documents` (--map, a mapping file). Then the log, not the SOP's `arrives_with`, says what
arrived; a missing input is DC001."""

from __future__ import annotations

import pytest

from checker.api import audit
from checker.readers import ReadOptions

SOP = """\
sopcheck: 1
id: t/arrived
revision: "1"
identity: {title: Arrived}
actors: [{id: a, name: A}]
documents: [{id: d0, name: D0}, {id: d1, name: D1}, {id: kuasa, name: Kuasa}]
case: {arrives_with: [d0]}
steps:
  - {id: s1, number: 1, name: S1, actor: a, inputs: [d0], outputs: [d1], next: s2}
  - {id: s2, number: 2, name: S2, actor: a, inputs: [d1], next: end}
"""


@pytest.mark.parametrize(
    ("column", "mapping"),
    [("case:documents", {}), ("Case:Documents", {}), ("Berkas Awal", {"case_documents": "Berkas Awal"})],
)
@pytest.mark.parametrize(("arrived", "expected"), [("Kuasa", [("DC001", "s1")]), ("D0;Kuasa", [])])
def test_what_the_log_says_arrived_is_what_arrived(tmp_path, column, mapping, arrived, expected):
    sop = tmp_path / "arrived.yaml"
    sop.write_text(SOP, encoding="utf-8")
    log = tmp_path / "arrived.csv"
    log.write_text(
        f"case_id,activity,timestamp,actor,documents,{column}\n"
        f"K1,S1,2025-03-03T09:00:00+07:00,A,D1,{arrived}\nK1,S2,2025-03-04T09:00:00+07:00,A,,{arrived}\n",
        encoding="utf-8",
    )
    report = audit(sop, log, read_options=ReadOptions(mapping=mapping))
    (case,) = report.cases
    assert [(f.code, f.step) for f in case.findings] == expected
