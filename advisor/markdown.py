"""Text from rules, snapshots, docs or users inside markdown: shown as text, never as markup.

Every value that reaches a report or a generated markdown file goes through one of these:
`inline` for text (also safe inside a table cell), `code` for names, `link` for a link
whose target is checked (plain http(s) only; anything else is shown as text).
"""

from __future__ import annotations

import re
from typing import Any

from advisor.urls import is_web_url

# What can start markup inside a line: emphasis, code, links and images, table cells,
# strikethrough. Parentheses and braces are markup only after `]`, which is escaped; a
# value never starts a line, so headings and quotes cannot begin.
_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
# HTML is written as entities rather than escaped: no raw `<` is left for a renderer that
# passes HTML through, and entities read as text everywhere.
_HTML = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _flat(value: Any) -> str:
    """One line: control characters (newlines included) become spaces, runs collapse."""
    return " ".join(_CONTROL.sub(" ", str(value)).split())


def inline(value: Any) -> str:
    """One line of literal text, markup escaped and HTML as entities."""
    return _SPECIAL.sub(r"\\\1", _flat(value).translate(_HTML))


def code(value: Any) -> str:
    """A name in a code span, which renders no markup or HTML; a backtick inside becomes '
    and a pipe is escaped so the span cannot end a table cell."""
    return "`" + _flat(value).replace("`", "'").replace("|", "\\|") + "`"


def link(text: Any, target: Any) -> str:
    """[text](target) when the target is a plain http(s) URL, else the text alone."""
    shown = inline(text)
    return f"[{shown}]({target})" if is_web_url(target) else shown
