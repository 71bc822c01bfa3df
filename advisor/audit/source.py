"""A project file read once: its bytes, its text, and line/column arithmetic.

Parsers work on bytes (tree-sitter) or text (Python's ast) and report byte offsets;
findings show 1-based lines and character columns, as editors do.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

JS_EXTENSIONS = {".ts": "typescript", ".mts": "typescript", ".cts": "typescript", ".tsx": "tsx",
                 ".js": "javascript", ".jsx": "javascript", ".mjs": "javascript", ".cjs": "javascript"}
PY_EXTENSIONS = {".py": "python", ".pyi": "python"}


def language_for(rel: str) -> str | None:
    if rel.endswith(".d.ts"):
        return None  # declarations: no behaviour to audit
    suffix = rel[rel.rfind("."):] if "." in rel.rsplit("/", 1)[-1] else ""
    return JS_EXTENSIONS.get(suffix) or PY_EXTENSIONS.get(suffix)


def looks_binary(data: bytes) -> bool:
    return b"\0" in data[:8192]


@dataclass
class SourceFile:
    rel: str
    data: bytes
    language: str | None = None
    _line_starts: list[int] = field(default_factory=list, repr=False)

    @cached_property
    def text(self) -> str:
        return self.data.decode("utf-8", errors="replace")

    @cached_property
    def is_utf8(self) -> bool:
        try:
            self.data.decode("utf-8")
        except UnicodeDecodeError:
            return False
        return True

    @cached_property
    def lines(self) -> list[bytes]:
        return self.data.split(b"\n")

    def line_text(self, line: int) -> str:
        """The 1-based line as text, without its line ending."""
        if 1 <= line <= len(self.lines):
            return self.lines[line - 1].rstrip(b"\r").decode("utf-8", errors="replace")
        return ""

    def column(self, line: int, byte_column: int) -> int:
        """1-based character column from a 0-based byte column on a 1-based line."""
        if 1 <= line <= len(self.lines):
            return len(self.lines[line - 1][:byte_column].decode("utf-8", errors="replace")) + 1
        return byte_column + 1

    def line_of_offset(self, offset: int) -> tuple[int, int]:
        """(1-based line, 0-based byte column) of a byte offset."""
        line = self.data.count(b"\n", 0, offset) + 1
        start = self.data.rfind(b"\n", 0, offset) + 1
        return line, offset - start

    @property
    def path_name(self) -> str:
        return Path(self.rel).name


def read_source(root: Path, rel: str) -> SourceFile | str:
    """The file, or the reason it cannot be read (a string)."""
    try:
        data = (root / rel).read_bytes()
    except OSError as exc:
        return exc.strerror or "cannot read"
    if looks_binary(data):
        return "binary"
    return SourceFile(rel=rel, data=data, language=language_for(rel))
