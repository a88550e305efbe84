"""The JSON report writes a case's line with strings (records.case_json), not through the
encoder: for any values its text must be the encoder's text of the case's record."""

from __future__ import annotations

import json

from hypothesis import example, given
from hypothesis import strategies as st

from checker.conformance.results import CaseResult, Evidence, Move, StepTime
from checker.reporters.audit import alignment_text
from checker.reporters.records import case_json, case_record, json_value

ENCODE = json.JSONEncoder(ensure_ascii=False).encode

# Text with quotes, backslashes, control characters, non-ASCII and lone surrogates.
TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=12)
NUMBER = st.one_of(
    st.integers(-(10**20), 10**20),
    st.floats(),
    st.sampled_from([float("nan"), float("inf"), float("-inf")]),  # named in JSON, not repr'd
)
SCALAR = st.one_of(st.none(), st.booleans(), TEXT, NUMBER)


@given(SCALAR)
def test_a_scalar_is_written_as_the_encoder_writes_it(value: object) -> None:
    assert json_value(value) == ENCODE(value)


EVIDENCE = st.builds(Evidence, st.one_of(st.integers(0, 10**6), st.none()), TEXT,
                     st.one_of(TEXT, st.none()), st.one_of(TEXT, st.none()))
STEP_TIME = st.builds(StepTime, TEXT, st.one_of(st.integers(0, 10**6), st.none()),
                      st.one_of(NUMBER, st.none()), st.one_of(NUMBER, st.none()),
                      st.one_of(TEXT, st.none()))
MOVE = st.builds(Move, st.sampled_from(["sync", "log", "model"]), st.one_of(TEXT, st.none()),
                 st.one_of(st.integers(0, 50), st.none()))


@example(  # an attribute named like a key of the record
    case_id="c", attributes={"findings": 1, "events": ', "findings": '}, events=[], times=[],
    moves=[], fitness=1.0, cost=0, stamps=(None, None),
)
@given(
    case_id=TEXT,
    attributes=st.dictionaries(TEXT, SCALAR, max_size=3),
    events=st.lists(EVIDENCE, max_size=4),
    times=st.lists(STEP_TIME, max_size=4),
    moves=st.lists(MOVE, max_size=4),
    fitness=st.floats(0, 1),
    cost=st.integers(0, 99),
    stamps=st.tuples(st.one_of(TEXT, st.none()), st.one_of(TEXT, st.none())),
)
def test_a_case_line_is_its_record_encoded(case_id, attributes, events, times, moves, fitness, cost,
                                           stamps) -> None:
    case = CaseResult(case_id, "complete", fitness, cost, "1", attributes, tuple(events), tuple(moves),
                      tuple(times), (), *stamps)
    assert case_json(case, alignment_text(case.moves)) == ENCODE(case_record(case, "en"))
