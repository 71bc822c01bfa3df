"""Streaming readers for exports: NDJSON, a JSON array (bare or under a key of a top-level
object), and CSV. Each yields (line, record) and holds one record at a time, so memory
does not grow with the file. Anything malformed is one UserError naming file, line and
column.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from advisor.errors import Location, UserError

CHUNK = 1 << 20
MAX_RECORD = 16 << 20  # a single record larger than this is not a user export
_WS = re.compile(r"[ \t\r\n]*")
_SEP = re.compile(r"[ \t\r\n]*,[ \t\r\n]*")
_DECODER = json.JSONDecoder()

csv.field_size_limit(MAX_RECORD)


def records(path: Path, *, formats: tuple[str, ...], array_key: str | None = None,
            what: str = "an export", header: bool = True) -> Iterator[tuple[int, Any]]:
    """The records of `path` in whichever of `formats` it is written.

    formats: any of "ndjson", "json-array", "json-object" (an object holding the array
    under `array_key`), "csv". A CSV record is a dict keyed by the header row, or, with
    header=False (an export that writes none), the list of its fields.
    """
    kind = sniff(path, array_key, formats)
    if kind not in formats:
        raise UserError(f"looks like {_NAMES[kind]}, but {what} is {_list(formats)}", location=Location(str(path)))
    try:
        with open_text(path) as fh:
            if kind == "ndjson":
                yield from _ndjson(fh, path)
            elif kind == "csv":
                yield from _csv(fh, path, header)
            else:
                yield from _JsonArray(fh, path).items(None if kind == "json-array" else array_key)
    except UnicodeDecodeError as exc:
        raise UserError(f"is not UTF-8 text ({exc.reason} at byte {exc.start} of a block)",
                        location=Location(str(path))) from None


def sniff(path: Path, array_key: str | None = None, formats: tuple[str, ...] = ()) -> str:
    try:
        with open_text(path) as fh:
            head = fh.read(64 * 1024)
    except UnicodeDecodeError:
        raise UserError("is not UTF-8 text", location=Location(str(path))) from None
    text = head.lstrip()
    if not text:
        raise UserError("is empty", location=Location(str(path)))
    if text[0] == "[":
        return "json-array"
    if text[0] != "{":
        return "csv"
    first, newline, _ = text.partition("\n")
    if newline:
        try:
            value = json.loads(first)
        except json.JSONDecodeError:
            if "json-object" in formats or first.strip() == "{":
                return "json-object"
            return "ndjson"  # a broken first record: the line reader says where
        if isinstance(value, dict) and not (array_key and isinstance(value.get(array_key), list)):
            return "ndjson"
    return "json-object"


def open_text(path: Path) -> IO[str]:
    try:
        return open(path, encoding="utf-8-sig", newline="")
    except IsADirectoryError:
        raise UserError("is a directory, not a file", location=Location(str(path))) from None
    except OSError as exc:
        raise UserError(f"cannot be read: {exc.strerror or exc}", location=Location(str(path))) from None


_NAMES = {"ndjson": "NDJSON (one JSON object a line)", "json-array": "a JSON array",
          "json-object": "a JSON object", "csv": "CSV (not JSON)"}


def _list(formats: tuple[str, ...]) -> str:
    return " or ".join(_NAMES[f].split(" (")[0] for f in formats)


def _ndjson(fh: IO[str], path: Path) -> Iterator[tuple[int, Any]]:
    for number, line in enumerate(fh, 1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except json.JSONDecodeError as exc:
            column = exc.colno if exc.lineno == 1 else len(line.rstrip("\r\n"))
            raise UserError(f"is not valid JSON: {exc.msg}", location=Location(str(path), number, column)) from None


def _csv(fh: IO[str], path: Path, header: bool) -> Iterator[tuple[int, dict[str, str] | list[str]]]:
    reader = csv.reader(fh)
    try:
        names: list[str] | None = None
        if header:
            names = [h.strip() for h in next(reader)]
            if len(set(names)) != len(names) or "" in names:
                raise UserError("the CSV header has empty or repeated column names", location=Location(str(path), 1))
        start = reader.line_num + 1
        for row in reader:
            if not row:
                pass
            elif names is None:
                yield start, row
            elif len(row) != len(names):
                raise UserError(f"has {len(row)} fields but the header has {len(names)}",
                                location=Location(str(path), start))
            else:
                yield start, dict(zip(names, row, strict=True))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise UserError(f"is not valid CSV: {exc}", location=Location(str(path), reader.line_num)) from None
    except StopIteration:
        return


class _JsonArray:
    """Walks one JSON document in 1 MiB chunks, decoding one array element at a time."""

    def __init__(self, fh: IO[str], path: Path) -> None:
        self.fh, self.path = fh, path
        self.buf, self.pos, self.line, self.eof = "", 0, 1, False

    def items(self, key: str | None) -> Iterator[tuple[int, Any]]:
        self._ws()
        if key is not None and self._peek() == "{":
            self._advance(1)
            while True:
                self._ws()
                if self._peek() != '"':
                    raise self._error(f'has no "{key}" array at its top level')
                name = self._value()
                self._ws()
                self._expect(":")
                self._ws()
                if name == key:
                    break
                self._value()  # another top-level member (realm settings, clients, ...)
                self._ws()
                if self._peek() == ",":
                    self._advance(1)
        self._expect("[", f'"{key}" must be an array of users' if key else "expected a JSON array of users")
        self._ws()
        if self._peek() == "]":
            return
        decode, separator = _DECODER.raw_decode, _SEP.match
        while True:
            buf, pos = self.buf, self.pos
            try:  # the common case in one step: an element and its `,` inside the buffer
                value, end = decode(buf, pos)
                match = separator(buf, end) if end < len(buf) else None
            except json.JSONDecodeError:
                match = None
            if match is not None and match.end() < len(buf):
                line, self.pos = self.line, match.end()
                self.line = line + buf.count("\n", pos, self.pos)
                yield line, value
                continue
            yield self.line, self._value()  # at a chunk's end, the last element, or an error
            self._ws()
            char = self._peek()
            if char == ",":
                self._advance(1)
                self._ws()
            elif char == "]":
                return
            else:
                raise self._error("expected ',' or ']' after an array element")

    def _fill(self) -> bool:
        if self.eof:
            return False
        if self.pos > CHUNK:
            self.buf, self.pos = self.buf[self.pos:], 0
        chunk = self.fh.read(CHUNK)
        if not chunk:
            self.eof = True
            return False
        self.buf += chunk
        return True

    def _peek(self) -> str:
        while self.pos >= len(self.buf):
            if not self._fill():
                raise self._error("ends too early")
        return self.buf[self.pos]

    def _advance(self, n: int) -> None:
        self.line += self.buf.count("\n", self.pos, self.pos + n)
        self.pos += n

    def _ws(self) -> None:
        while True:
            end = _WS.match(self.buf, self.pos).end()  # type: ignore[union-attr]
            self._advance(end - self.pos)
            if end < len(self.buf) or not self._fill():
                return

    def _expect(self, char: str, message: str | None = None) -> None:
        if self._peek() != char:
            raise self._error(message or f"expected '{char}'")
        self._advance(1)

    def _value(self) -> Any:
        while True:
            try:
                value, end = _DECODER.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as exc:
                if len(self.buf) - self.pos < MAX_RECORD and self._fill():
                    continue
                raise self._error(f"is not valid JSON: {exc.msg}", exc.pos) from None
            if end == len(self.buf) and self._fill():
                continue  # a number cut at the chunk's end would decode short
            self._advance(end - self.pos)
            return value

    def _error(self, message: str, at: int | None = None) -> UserError:
        at = self.pos if at is None else at
        line = self.line + self.buf.count("\n", self.pos, at) if at >= self.pos else self.line
        column = at - self.buf.rfind("\n", 0, at)
        return UserError(message, location=Location(str(self.path), line, column))
