"""Hypothesis settings profiles for the whole test suite (tests/conftest.py holds the fixtures).

`default`: fast, for a quick local run (25 examples a property). `ci`: thorough (200 examples a
property); .ci/run sets HYPOTHESIS_PROFILE=ci. Choose with HYPOTHESIS_PROFILE=default|ci.

No deadline per example: a generated case is a whole trace with its audit, and a slow first call
(the holiday tables of a year being built) is not a failure. The health checks for slow data and
for filtered draws are off: some deviations apply to few cases of a path (a deadline missed needs
a step without time allowed on the path), and drawing another case is the intended way to find one.
"""

from __future__ import annotations

import os

try:
    from hypothesis import HealthCheck, settings
except ImportError:  # the test extra is not installed; tests needing Hypothesis say so themselves
    settings = None

if settings is not None:
    _quiet = [HealthCheck.too_slow, HealthCheck.filter_too_much]
    settings.register_profile("default", max_examples=25, deadline=None, suppress_health_check=_quiet)
    settings.register_profile(
        "ci", max_examples=200, deadline=None, suppress_health_check=_quiet, print_blob=True
    )
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
