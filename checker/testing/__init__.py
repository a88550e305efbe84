"""Hypothesis strategies for SOPs: cases that follow an SOP, and cases with one deviation.

For an SOP author's own CI (and this project's property tests)::

    from hypothesis import given
    from checker.testing import audit_case, conforming_cases, violating_cases

    SOP = "rules/magetan/penawaran-kerja-sama.yaml"

    @given(conforming_cases(SOP))
    def test_a_case_that_follows_the_sop_passes(case):
        assert not audit_case(SOP, case).findings

    @given(violating_cases(SOP, code="FL001"))
    def test_a_skipped_step_is_found(v):
        result = audit_case(SOP, v.case, as_of=v.as_of)
        assert [(f.code, f.step) for f in result.findings] == [(v.code, v.step)]

Importable only with the test extra installed (`pip install 'sopcheck[test]'`). See
docs/testing.md. The cases come from checker.casegen and the deviations from checker.mutations,
shared with `sopcheck generate`; a strategy draws its choices through Hypothesis, so a failing
case shrinks towards a short, plain one.
"""

from __future__ import annotations

try:
    import hypothesis  # noqa: F401
except ImportError:  # pragma: no cover - exercised in a subprocess by the tests
    from checker.messages import t

    _texts = [t("testing.needs_hypothesis", lang, what="checker.testing") for lang in ("id", "en")]
    raise ImportError(" / ".join(_texts)) from None

from checker.testing.strategies import Violation, audit_case, builder_for, conforming_cases, violating_cases

__all__ = ["Violation", "audit_case", "builder_for", "conforming_cases", "violating_cases"]

for _name in __all__:  # a name listed but not defined is a packaging mistake: fail at import
    if _name not in globals():
        raise ImportError(f"checker.testing.__all__ names {_name!r}, which it does not define")
