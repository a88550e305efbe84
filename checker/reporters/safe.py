"""Making strings from logs and SOPs safe for the format they land in.

Every string that comes from a log or an SOP (activity labels, attributes, case ids, actors) is
untrusted: in HTML it is escaped (text and attribute values alike), in a spreadsheet or CSV a cell
that a spreadsheet program would read as a formula is neutralised, in Markdown it cannot open a
table cell, code span, link or HTML tag.
"""

from __future__ import annotations

import html
import re
from typing import Any

# A spreadsheet reads a cell starting with one of these as a formula (=, +, -, @), or, after a
# tab or carriage return, as one (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def h(value: Any) -> str:
    """`value` as HTML text, safe both between tags and inside a double- or single-quoted
    attribute value. None is the empty string."""
    if value is None:
        return ""
    return html.escape(str(value), quote=True)


def neutralise(value: Any) -> Any:
    """A cell value that no spreadsheet program evaluates: text that starts like a formula gets a
    leading apostrophe (shown as text, and visibly marked). Numbers, booleans and None pass."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def is_formula_like(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_START)


# Enough to keep text inert where this module puts it (table cells and list items, never at the
# start of a line): emphasis, code spans, links and images, strike-through, table pipes.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def md(value: Any) -> str:
    """`value` as Markdown text: HTML escaped (GitHub renders inline HTML), Markdown punctuation
    backslash-escaped, line breaks flattened so that a table row stays one row."""
    if value is None:
        return ""
    text = " ".join(str(value).split())
    text = html.escape(text, quote=False)
    return _MD_SPECIAL.sub(r"\\\1", text)


def md_code(value: Any, table: bool = True) -> str:
    """`value` in a code span that no backtick in it can break (nor a pipe, in a table cell)."""
    text = " ".join(str(value).split())
    if table:
        text = text.replace("|", "\\|")
    fence = "`"
    while fence in text:
        fence += "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(value: Any) -> str:
    """`value` with the characters XML 1.0 cannot carry at all replaced (escaping of <, & and
    quotes is left to the XML writer)."""
    if value is None:
        return ""
    return _XML_BAD.sub("\ufffd", str(value))
