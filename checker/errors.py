"""Errors a user can cause: each becomes one line on stderr and exit status 2."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_INPUT = 2


@dataclass(frozen=True)
class Location:
    """Where a problem is: a file and, when known, a 1-based line and column or a row."""

    path: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        parts = [self.path]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)


@dataclass
class InputError(Exception):
    """Input that cannot be used. `key` names a message in the catalogue (checker.messages)."""

    key: str
    location: Location | None = None
    args_: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__init__(self.key)

    def render(self, lang: str = "en") -> str:
        from checker.messages import t

        text = t(self.key, lang, **self.args_)  # a bilingual argument in the language asked for
        return f"{self.location}: {text}" if self.location else text

    def __str__(self) -> str:
        return self.render("en")
