"""Text from rules, docs or users inside markdown: shown as text, never as markup."""

from __future__ import annotations

import re
from typing import Any

# What can start markup inside a line: emphasis, code, links and images, table cells,
# strikethrough. Parentheses and braces are only markup after `]`, which is escaped.
_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
# HTML is written as entities rather than escaped: no raw `<` is left for a renderer that
# passes HTML through, and entities read as text everywhere.
_HTML = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def inline(value: Any) -> str:
    """One line of literal text: whitespace (newlines included) collapsed, markup escaped."""
    return _SPECIAL.sub(r"\\\1", " ".join(str(value).split()).translate(_HTML))


def url(value: Any) -> str:
    """A link target: no spaces or parentheses that would end the link early."""
    return str(value).replace(" ", "%20").replace("(", "%28").replace(")", "%29")
