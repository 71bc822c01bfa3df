"""The comments of a file, found by its parser (tree-sitter for JS/TS, `tokenize` for Python).

Suppressions and the tests' `ruleid:`/`ok:` markers are both comments, so both read them
from here. Other text files (.env, YAML, TOML) count whole `#` lines as comments.
"""

from __future__ import annotations

import io
import tokenize
from dataclasses import dataclass

from advisor.audit.jsmodule import JsModule
from advisor.audit.jsnodes import text
from advisor.audit.source import SourceFile


@dataclass(frozen=True)
class Comment:
    line: int
    text: str  # without the comment markers
    standalone: bool  # alone on its line: it speaks about the next code line

    def target_line(self, source: SourceFile) -> int:
        """The line the comment speaks about: its own, or (alone on a line) the next code line."""
        if not self.standalone:
            return self.line
        line = self.line + 1
        while line <= len(source.lines):
            stripped = source.line_text(line).strip()
            if stripped and not stripped.startswith(("//", "#", "/*", "*", "{/*")):
                return line
            line += 1
        return self.line


def _strip_markers(raw: str) -> str:
    body = raw.strip()
    for start, end in (("/*", "*/"), ("//", ""), ("#", "")):
        if body.startswith(start):
            body = body[len(start):]
            if end and body.endswith(end):
                body = body[: -len(end)]
            break
    return body.strip().lstrip("*").strip()


def comments(source: SourceFile, js: JsModule | None = None) -> list[Comment]:
    if js is not None:
        return _js_comments(source, js)
    if source.language == "python":
        return _py_comments(source)
    found = []
    for number, line in enumerate(source.text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith(("#", "//")):
            found.append(Comment(number, _strip_markers(stripped), True))
    return found


def _js_comments(source: SourceFile, js: JsModule) -> list[Comment]:
    found = []
    for node in js.comments:
        row = node.start_point[0] + 1
        before = source.lines[row - 1][: node.start_point[1]].strip() if row <= len(source.lines) else b""
        standalone = not before or before in (b"{",)
        found.append(Comment(row, _strip_markers(text(node)), standalone))
    return found


def _py_comments(source: SourceFile) -> list[Comment]:
    found = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(source.text).readline):
            if token.type == tokenize.COMMENT:
                row, col = token.start
                standalone = not token.line[:col].strip()
                found.append(Comment(row, _strip_markers(token.string), standalone))
    except (tokenize.TokenError, SyntaxError):
        pass
    return found
