"""The revisions of one SOP taken together (docs/revisions.md): each has its own label, and its own
effective date (only one may have none). Otherwise which revision judges a case would be decided
by a tie-break nobody wrote down, so such a set is refused, naming both files."""

from __future__ import annotations

import os
from collections.abc import Sequence

from checker.errors import InputError, Location
from checker.sop.model import Sop


def distinct_revisions(sops: Sequence[Sop]) -> list[Sop]:
    """`sops` without repeats of one file (named twice, or through a folder and by name), in the
    order given; InputError when two revisions share a label or an effective date, or more
    than one has no effective date."""
    seen: set[str] = set()
    unique: list[Sop] = []
    for sop in sops:
        if sop.path is not None:
            real = os.path.realpath(sop.path)
            if real in seen:
                continue
            seen.add(real)
        if any(sop is other for other in unique):
            continue
        unique.append(sop)
    ordered = sorted(unique, key=lambda s: (s.order, s.path or ""))
    labels: dict[str, Sop] = {}
    dates: dict[str | None, Sop] = {}
    for sop in ordered:
        first = labels.setdefault(sop.revision, sop)
        if first is not sop:
            raise InputError(
                "revisions.duplicate_label",
                _where(sop, ("revision",)),
                {"revision": sop.revision, "first": first.path or "-"},
            )
    for sop in ordered:
        first = dates.setdefault(sop.effective, sop)
        if first is not sop:
            args = {"revision": sop.revision, "other": first.revision, "first": first.path or "-"}
            if sop.effective is None:
                raise InputError("revisions.two_undated", _where(sop, ("revision",)), args)
            raise InputError(
                "revisions.same_effective",
                _where(sop, ("identity", "dates", "effective")),
                {**args, "date": sop.effective},
            )
    return unique


def _where(sop: Sop, path: tuple[str, ...]) -> Location:
    """The node at `path` in the revision's file (read again: only on this error)."""
    from checker.sop.yamlload import load_yaml

    if sop.path is None:
        return Location("-")
    try:
        return load_yaml(sop.path).locate(path)
    except (InputError, OSError):
        return Location(sop.path)
