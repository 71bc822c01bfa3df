"""Reading YAML safely, with positions for error messages.

Two readers share one set of checks. `load_positioned` keeps line and column of every
key (ruamel round-trip), for files a person wrote and wants precise messages about.
`load_fast` is the plain safe loader for large rule packs, where positions are looked up
again only when something is wrong. Both refuse what a hand-written config never needs
and an attacker likes: aliases (billion-laughs), and both report duplicate keys, syntax
errors, invalid UTF-8 and wrong top-level shapes as UserError with a location.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from advisor.errors import Location, UserError

MAX_BYTES = 2 * 1024 * 1024


def read_text(path: Path, *, what: str) -> str:
    """Read a UTF-8 text file, turning every OS-level problem into one clear message."""
    shown = str(path)
    if not path.exists():
        raise UserError(f"{what} not found", location=Location(shown),
                        hint="give the path of an existing file, or create one with `clerk-advisor ask`"
                        if what == "requirements file" else None)
    if path.is_dir():
        raise UserError(f"{what} is a directory, not a file", location=Location(shown))
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UserError(f"cannot read {what}: {exc.strerror}", location=Location(shown)) from None
    if len(data) > MAX_BYTES:
        raise UserError(f"{what} is {len(data)} bytes; the limit is {MAX_BYTES}", location=Location(shown))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise UserError(f"{what} is not valid UTF-8 (byte 0x{data[exc.start]:02x})",
                        location=Location(shown, line, col)) from None
    return text.removeprefix("\ufeff")


def _yaml(typ: str):
    from ruamel.yaml import YAML

    yaml = YAML(typ=typ, pure=True)
    yaml.allow_duplicate_keys = False
    return yaml


def _reject_aliases(text: str, shown: str) -> None:
    from ruamel.yaml.events import AliasEvent

    yaml = _yaml("safe")
    for event in yaml.parse(io.StringIO(text)):
        if isinstance(event, AliasEvent):
            mark = event.start_mark
            raise UserError(
                "YAML aliases (*name) are not allowed here",
                location=Location(shown, mark.line + 1, mark.column + 1),
                hint="write the value out in full; aliases can expand without bound",
            )


def _syntax_error(exc: Exception, shown: str) -> UserError:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    if "duplicate key" in str(exc).lower() or type(exc).__name__.startswith("Duplicate"):
        problem = "duplicate key " + _duplicate_name(exc)
    loc = Location(shown, mark.line + 1, mark.column + 1) if mark is not None else Location(shown)
    return UserError(f"invalid YAML: {problem}", location=loc)


def _duplicate_name(exc: Exception) -> str:
    text = str(exc)
    marker = 'found duplicate key "'
    if marker in text:
        return '"' + text.split(marker, 1)[1].split('"', 1)[0] + '"'
    return ""


def _parse(text: str, shown: str, typ: str) -> Any:
    from ruamel.yaml.error import YAMLError, MarkedYAMLError

    _reject_aliases_guarded(text, shown)
    try:
        docs = list(_yaml(typ).load_all(text))
    except (MarkedYAMLError, YAMLError) as exc:
        raise _syntax_error(exc, shown) from None
    except RecursionError:
        raise UserError("YAML is nested too deeply", location=Location(shown)) from None
    if len(docs) > 1:
        raise UserError("expected one YAML document, found several (a second `---`)", location=Location(shown))
    return docs[0] if docs else None


def _reject_aliases_guarded(text: str, shown: str) -> None:
    from ruamel.yaml.error import YAMLError, MarkedYAMLError

    try:
        _reject_aliases(text, shown)
    except (MarkedYAMLError, YAMLError) as exc:
        raise _syntax_error(exc, shown) from None
    except RecursionError:
        raise UserError("YAML is nested too deeply", location=Location(shown)) from None


def load_positioned(text: str, shown: str) -> Any:
    """Load keeping positions (CommentedMap/CommentedSeq with `.lc`)."""
    return _parse(text, shown, "rt")


def load_fast(text: str, shown: str) -> Any:
    """Load plain Python data. Call `load_positioned` to locate an error afterwards."""
    return _parse(text, shown, "safe")


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
