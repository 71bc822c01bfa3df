"""Reading YAML safely, with positions for error messages.

Two readers share one set of checks. `load_positioned` keeps line and column of every
key (ruamel round-trip), for files a person wrote and wants precise messages about.
`load_fast` is the plain safe loader for large rule packs, where positions are looked up
again only when something is wrong. Both refuse what a hand-written config never needs
and an attacker likes: aliases (billion-laughs), and both report duplicate keys, syntax
errors, invalid UTF-8 and wrong top-level shapes as UserError with a location.
"""

from __future__ import annotations

import contextlib
import os
import re
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from advisor.errors import Location, UserError

MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 64  # deeper than any rule or requirements file needs; bounds recursion everywhere after
# Python refuses to convert more than 4,300 digits (a ValueError of its own); no number in
# these files needs more than a handful.
MAX_INT_DIGITS = 30
# libyaml reads YAML 1.1, which refuses a colon inside a plain flow scalar
# ([pci-dss-4:8.4.2]); such text is read again by ruamel's pure-Python parser (YAML 1.2),
# which costs about 5 microseconds a byte. Only up to this size: beyond it the cost would
# pass a second, and libyaml's error stands, with the way out in its hint.
PURE_MAX = 96 * 1024


def read_text(path: Path, *, what: str, limit: int = MAX_BYTES) -> str:
    """Read a UTF-8 text file, turning every OS-level problem into one clear message. A
    FIFO, a device or /dev/zero is refused before reading; no more than the limit and one
    byte is ever read."""
    from advisor.fsutil import read_limited

    shown = str(path)
    if not os.path.lexists(path):
        raise UserError(f"{what} not found", location=Location(shown),
                        hint="give the path of an existing file, or create one with `clerk-advisor ask`"
                        if what == "requirements file" else None)
    return decode_text(read_limited(Path(path), limit, what=what), shown, what=what)


def decode_text(data: bytes, shown: str, *, what: str) -> str:
    """UTF-8 text (a leading BOM dropped), or a UserError at the first bad byte."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise UserError(f"{what} is not valid UTF-8 (byte 0x{data[exc.start]:02x})",
                        location=Location(shown, line, col)) from None
    return text.removeprefix("\ufeff")


def _yaml(typ: str, pure: bool = False) -> Any:
    """A fresh ruamel loader: one is never reused, since a parser that stopped on an error
    keeps its state."""
    from ruamel.yaml import YAML

    # The safe loader uses libyaml (ruamel.yaml.clib) when present: a 10,000-rule pack
    # loads in a fraction of the time of the pure-Python parser. libyaml reads YAML 1.1,
    # which refuses a colon inside a plain flow scalar ([pci-dss-4:8.4.2]); such files
    # fall back to the pure parser (YAML 1.2), so they load either way, only slower.
    yaml = YAML(typ=typ, pure=pure or typ == "rt")
    yaml.allow_duplicate_keys = False
    return yaml


def _syntax_error(exc: Exception, shown: str, text: str = "") -> UserError:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    if "duplicate key" in str(exc).lower() or type(exc).__name__.startswith("Duplicate"):
        problem = "duplicate key " + _duplicate_name(exc)
    if mark is not None:
        loc = Location(shown, mark.line + 1, mark.column + 1)
    elif isinstance(getattr(exc, "position", None), int) and text:  # the reader: a character YAML forbids
        at = min(exc.position, len(text))  # type: ignore[attr-defined]
        line_start = text.rfind("\n", 0, at) + 1
        loc = Location(shown, text.count("\n", 0, at) + 1, at - line_start + 1)
    else:
        loc = Location(shown)
    return UserError(f"invalid YAML: {problem}", location=loc)


@contextlib.contextmanager
def _library_warnings_off() -> Iterator[None]:
    """ruamel warns on stderr, with its own file path, about things that are valid YAML (an
    anchor named twice): the person gets our messages, never the library's."""
    from ruamel.yaml.error import YAMLFutureWarning, YAMLWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", YAMLWarning)
        warnings.simplefilter("ignore", YAMLFutureWarning)
        yield


def _constructor_error(exc: Exception, text: str, shown: str) -> UserError:
    """ruamel's round-trip constructor failed where the core schema did not: a plain value
    it resolves as a number or a date but cannot build (`-_` and `0x_` raise IndexError,
    `2001-13-45` ValueError). Point at the first such value; otherwise say what the library
    said."""
    from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

    kinds = {"int": "a number", "float": "a number", "timestamp": "a date"}
    try:
        yaml = _yaml("rt")
        with _library_warnings_off():
            stack = [yaml.compose(text)]
        constructor = yaml.constructor
    except Exception:  # composing only locates the value; the error below stands either way
        stack = []
    while stack:
        node = stack.pop()
        if isinstance(node, MappingNode):
            stack.extend(v for pair in reversed(node.value) for v in reversed(pair))
        elif isinstance(node, SequenceNode):
            stack.extend(reversed(node.value))
        elif isinstance(node, ScalarNode) and node.style is None and str(node.tag).rsplit(":", 1)[-1] in kinds:
            try:
                constructor.construct_object(node)
            except Exception:  # this is the value the library cannot build
                mark = node.start_mark
                return UserError(f"the value {node.value!r} reads as {kinds[str(node.tag).rsplit(':', 1)[-1]]} "
                                 "but is not one", location=Location(shown, mark.line + 1, mark.column + 1),
                                 hint=f"quote it: '{node.value}'")
    return UserError(f"invalid YAML: {exc}"[:200], location=Location(shown))


def _duplicate_name(exc: Exception) -> str:
    text = str(exc)
    marker = 'found duplicate key "'
    if marker in text:
        return '"' + text.split(marker, 1)[1].split('"', 1)[0] + '"'
    return ""


def load_positioned(text: str, shown: str) -> Any:
    """Load keeping positions and comments (CommentedMap/CommentedSeq with `.lc`), for a
    file that is edited in place. Only after the bounded event loader accepted the text:
    aliases, tags, nesting and huge integers are refused there, with their line, before
    ruamel's pure-Python round-trip loader (slow on hostile input) sees any of it."""
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    load_fast(text, shown)
    try:
        with _library_warnings_off():
            docs = list(_yaml("rt").load_all(text))
    except (MarkedYAMLError, YAMLError) as exc:
        raise _syntax_error(exc, shown, text) from None
    except (RecursionError, ValueError, IndexError) as exc:
        raise _constructor_error(exc, text, shown) from None
    if len(docs) > 1:
        raise UserError("expected one YAML document, found several (a second `---`)", location=Location(shown))
    return docs[0] if docs else None


def load_fast(text: str, shown: str) -> Any:
    """Load plain Python data (YAML 1.2 core schema) straight from the parser's events.

    ruamel's own constructor spends most of a large file's load time resolving and
    constructing in Python; building from libyaml's events with a small resolver is
    several times faster, and aliases and duplicate keys are caught on the way.
    """
    return _load(text, shown, None)


class Located:
    """Plain data with the line and column of every key and value, for error messages
    (what ruamel's `.lc` gives, from libyaml's events, in linear time)."""

    def __init__(self, data: Any) -> None:
        self.data = data
        self.keys: dict[tuple[Any, ...], tuple[int, int]] = {}  # a mapping key, or a list item
        self.values: dict[tuple[Any, ...], tuple[int, int]] = {}  # a value (scalar or container)
        self._by_text: dict[tuple[str, ...], tuple[Any, ...]] | None = None

    def position(self, path: tuple[Any, ...], *, value: bool = False) -> tuple[int, int]:
        """1-based (line, column) of the deepest part of `path` present (as position_of):
        a key points at the key (with `value`, at its scalar value, unless that is empty or
        null); a list item at the item; nothing found, at the top of the document."""
        for end in range(len(path), 0, -1):
            prefix = self._known(tuple(path[:end]))
            if prefix is None:
                continue
            if value and end == len(path) and prefix in self.values and self._scalar(prefix) is not None:
                return self.values[prefix]
            return self.keys[prefix]
        return self.values.get((), (1, 1))

    def _known(self, path: tuple[Any, ...]) -> tuple[Any, ...] | None:
        if path in self.keys:
            return path
        # pydantic reports keys that are not strings as strings ("1", "None"): match those too.
        if self._by_text is None:
            self._by_text = {}
            for key in self.keys:
                self._by_text.setdefault(tuple(map(str, key)), key)
        return self._by_text.get(tuple(map(str, path)))

    def _scalar(self, path: tuple[Any, ...]) -> Any:
        node = self.data
        for part in path:
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                return None
        return None if isinstance(node, (dict, list)) else node


def load_located(text: str, shown: str, *, max_items: int | None = None) -> Located:
    """load_fast, keeping the position of every key and value (see Located). With
    `max_items`, a list or mapping longer than that is refused at the item that passes
    the bound, before the rest of the file is even parsed."""
    located = Located(None)
    located.data = _load(text, shown, located, max_items)
    return located


def _load(text: str, shown: str, located: Located | None, max_items: int | None = None) -> Any:
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    try:
        try:
            docs = _from_events(_events(_yaml("safe"), text), shown, located, max_items)
        except (MarkedYAMLError, YAMLError) as first:
            # libyaml reads YAML 1.1; the pure parser (YAML 1.2) gets the last word, unless
            # the text is too large for it (PURE_MAX) or it breaks on input libyaml already
            # refused (ruamel's scanner has such bugs).
            if len(text) > PURE_MAX:
                error = _syntax_error(first, shown, text)
                error.hint = ("in a file over 96 KB only YAML 1.1 syntax is read: quote a value with a colon inside "
                              "[...] or {...} (e.g. [\"org:invoices:read\"]), or write the list as a block (- item)")
                raise error from None
            if located is not None:
                located.keys.clear()
                located.values.clear()
            try:
                docs = _from_events(_events(_yaml("safe", pure=True), text), shown, located, max_items)
            except (MarkedYAMLError, YAMLError, UserError):
                raise
            except Exception:  # noqa: BLE001 - a parser bug: libyaml's own error stands
                raise first from None
    except (MarkedYAMLError, YAMLError) as exc:
        raise _syntax_error(exc, shown, text) from None
    except RecursionError:
        raise UserError(f"YAML nested more than {MAX_DEPTH} levels deep", location=Location(shown)) from None
    if len(docs) > 1:
        raise UserError("expected one YAML document, found several (a second `---`)", location=Location(shown))
    return docs[0] if docs else None


_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"^[-+]?[0-9]+$|^0o[0-7]+$|^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$|^[-+]?\.(inf|Inf|INF)$|^\.(nan|NaN|NAN)$")


def _scalar(event: Any, where: Any) -> Any:
    """A quoted or tagged scalar (plain ones go through _plain)."""
    value = event.value
    tag = event.tag
    if tag is not None and tag not in ("!", "tag:yaml.org,2002:str"):
        if tag == "tag:yaml.org,2002:int" and _INT.match(value):
            return _int(value, where(event))
        raise UserError(f"YAML tag {tag} is not supported here",
                        location=where(event))  # explicit tags have no use in these files
    return value  # quoted, literal or folded, or tagged as a string


class _TooLong(ValueError):
    """An integer with more digits than any value here needs (placed by the caller)."""


def _int(value: str, where: Location | None = None) -> int:
    digits = value.lstrip("+-")
    if len(digits) > MAX_INT_DIGITS + (2 if digits[:2] in ("0o", "0x") else 0):
        if where is None:
            raise _TooLong(value)
        raise UserError(f"an integer of {len(digits)} digits; no value here needs more than {MAX_INT_DIGITS}",
                        location=where)
    return int(value, 0) if digits[:2] in ("0o", "0x") else int(value)


def _plain(value: str) -> Any:
    """Resolve a plain scalar by the YAML 1.2 core schema (keys and enums repeat: cached)."""
    if value in _NULLS:
        return None
    if value in _BOOLS:
        return _BOOLS[value]
    if _INT.match(value):
        return _int(value)
    if _FLOAT.match(value):
        lowered = value.lower()
        if "inf" in lowered:
            return float("-inf") if lowered.startswith("-") else float("inf")
        return float("nan") if "nan" in lowered else float(value)
    return value


_PLAIN: dict[str, Any] = {}


def _plain_cached(cache: dict[str, Any], text: str) -> Any:
    if len(cache) > 50_000:  # bounded: a huge file of distinct values must not grow it forever
        cache.clear()
    cache[text] = value = _plain(text)
    return value


def _events(yaml: Any, text: str) -> Any:
    """The parser's get_event, without the generator ruamel's YAML.parse wraps around it."""
    _, parser = yaml.get_constructor_parser(text)
    return parser.get_event


def _from_events(get_event: Any, shown: str, located: Located | None = None, max_items: int | None = None
                 ) -> list[Any]:
    """Plain data from a stream of parser events (one list entry per document); with
    `located`, the position of every key and value is recorded on the way; with
    `max_items`, no list or mapping may hold more."""
    from ruamel.yaml.events import (
        AliasEvent,
        DocumentEndEvent,
        MappingEndEvent,
        MappingStartEvent,
        ScalarEvent,
        SequenceEndEvent,
        SequenceStartEvent,
        StreamEndEvent,
    )

    def where(event: Any) -> Location:
        mark = event.start_mark
        return Location(shown, mark.line + 1, mark.column + 1)

    plain = _PLAIN
    docs: list[Any] = []
    stack: list[Any] = []  # the containers being built, innermost last
    keys: list[Any] = []  # per container: a mapping's pending key, or no_key
    paths: list[tuple[Any, ...]] = []  # with `located`: per container, its path
    no_key = object()
    root: Any = no_key
    while True:
        event = get_event()
        kind = type(event)
        if kind is ScalarEvent:
            if event.style or event.tag is not None:
                value: Any = _scalar(event, where)
            else:  # a plain scalar, the common case: resolved once per distinct text
                text = event.value
                try:
                    value = plain[text] if text in plain else _plain_cached(plain, text)
                except _TooLong:
                    _int(text, where(event))
                    raise
        elif kind is MappingStartEvent or kind is SequenceStartEvent:
            if event.tag is not None and event.tag not in ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"):
                raise UserError(f"YAML tag {event.tag} is not supported here", location=where(event))
            value = {} if kind is MappingStartEvent else []
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            stack.pop()
            keys.pop()
            if located is not None:
                paths.pop()
            continue
        elif kind is AliasEvent:
            raise UserError("YAML aliases (*name) are not allowed here", location=where(event),
                            hint="write the value out in full; aliases can expand without bound")
        elif kind is DocumentEndEvent:
            docs.append(None if root is no_key else root)
            root = no_key
            continue
        elif kind is StreamEndEvent or event is None:  # None: a parser with nothing left
            break
        else:
            continue
        # Place the value: the root, a list item, a mapping key, or a mapping value.
        at: tuple[Any, ...] = ()
        if not stack:
            root = value
        else:
            top = stack[-1]
            if max_items is not None and len(top) >= max_items and (type(top) is list or keys[-1] is no_key):
                what = "items in one list" if type(top) is list else "keys in one mapping"
                raise UserError(f"more than {max_items} {what}; no field of this file takes that many",
                                location=where(event))
            if type(top) is list:
                if located is not None:
                    at = (*paths[-1], len(top))
                    located.keys[at] = located.values[at] = _mark(event)
                top.append(value)
            elif keys[-1] is no_key:
                if type(value) is dict or type(value) is list:
                    raise UserError("a mapping key must be a plain value", location=where(event))
                if value in top:
                    raise UserError(f"invalid YAML: duplicate key \"{value}\"", location=where(event))
                keys[-1] = value
                if located is not None:
                    located.keys[(*paths[-1], value)] = _mark(event)
            else:
                if located is not None:
                    at = (*paths[-1], keys[-1])
                    located.values[at] = _mark(event)
                top[keys[-1]] = value
                keys[-1] = no_key
        if type(value) is dict or type(value) is list:
            if len(stack) >= MAX_DEPTH:
                raise UserError(f"YAML nested more than {MAX_DEPTH} levels deep", location=where(event))
            stack.append(value)
            keys.append(no_key)
            if located is not None:
                if not at:
                    located.values.setdefault((), _mark(event))
                paths.append(at)
    return docs


def _mark(event: Any) -> tuple[int, int]:
    mark = event.start_mark
    return (mark.line + 1, mark.column + 1)


def position_of(doc: Any, path: tuple[str | int, ...], *, value: bool = False) -> tuple[int, int] | None:
    """1-based (line, column) of the deepest part of `path` present in a positioned doc.

    A key points at the key itself (or, with `value`, at its scalar value); a list item at
    the item.
    """
    node = doc
    found: tuple[int, int] | None = None
    for part in path:
        lc = getattr(node, "lc", None)
        if lc is None:
            break
        try:
            if isinstance(part, int):
                if not isinstance(node, list) or part >= len(node):
                    break
                line, col = lc.item(part)
                node = node[part]
            else:
                if not isinstance(node, dict) or part not in node:
                    break
                line, col = lc.value(part) if value and part == path[-1] and not isinstance(
                    node[part], (dict, list)) else lc.key(part)
                node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        found = (line + 1, col + 1)
    if found is None and getattr(doc, "lc", None) is not None:
        found = (doc.lc.line + 1, doc.lc.col + 1)
    return found
