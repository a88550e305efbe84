"""The message catalogue: every string a user reads, in Indonesian (id) and English (en).

Each area keeps its messages in a module of this package (a dict of key -> {"id", "en"}); they are
merged here into one catalogue so that a test can check every key has both languages.
"""

from __future__ import annotations

from checker.messages import (
    calendar,
    cli,
    core,
    export,
    libraries,
    parsers,
    readers,
    report,
    revisions,
    scale,
    sop,
    testing,
)

LANGS = ("id", "en")
MESSAGES: dict[str, dict[str, str]] = {}
for _module in (
    core,
    sop,
    readers,
    cli,
    calendar,
    export,
    scale,
    revisions,
    report,
    testing,
    parsers,
    libraries,
):
    for _key, _texts in _module.MESSAGES.items():
        if _key in MESSAGES:
            raise RuntimeError(f"message key {_key!r} defined twice")
        MESSAGES[_key] = _texts


def t(key: str, lang: str = "en", /, **kwargs: object) -> str:
    """The message `key` in `lang`, formatted with `kwargs` (a bilingual argument, a Text such as
    a library's problem in both languages, in `lang`)."""
    from checker.sop.model import Text

    texts = MESSAGES[key]
    lang = lang if lang in texts else "en"
    args = {k: v.get(lang) if v.__class__ is Text else v for k, v in kwargs.items()}
    return texts[lang].format(**args)
