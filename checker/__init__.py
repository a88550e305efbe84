"""sopcheck: a rules-as-code compliance checker for government Standard Operating Procedures.

`checker.audit(sop, log, **options)` audits a case log from Python (see checker.api).
"""

__version__ = "0.1.0"


def audit(sop, log, **options):
    """Audit `log` against `sop`; see checker.api.audit for the options."""
    from checker.api import audit as _audit

    return _audit(sop, log, **options)


def load_sop(path):
    """The SOP at `path` (raises InputError when it is not valid)."""
    from checker.sop.load import require_sop

    return require_sop(path)
