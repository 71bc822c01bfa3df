"""What every source adapter needs: typed field access with file:line errors, times,
names, and the walk from raw records to Drafts.

An adapter maps fields and nothing else. A record that is not what its export should
contain (not an object, a field of the wrong type, no id) is the wrong file or a broken
export: one UserError with file, line and field. A record that is well formed but cannot
become a Clerk user (no identifier, a digest Clerk cannot take) raises record.Problem and
is reported with its reason. A record the old system itself no longer counts as a user
(deleted, anonymous) is a Skip, also reported.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from advisor.errors import Location, UserError
from advisor.migrate.draft import Draft
from advisor.migrate.record import Problem


@dataclass(frozen=True, slots=True)
class Skip:
    code: str
    message: str


@dataclass(slots=True)
class Item:
    location: Location
    external_id: str
    result: Draft | Skip | Problem


@dataclass
class Run:
    """One conversion: the options an adapter reads, and the notes it leaves for the summary."""

    inputs: list[Path]
    hashes: Path | None = None
    hash_config: Path | None = None
    mfa: Path | None = None
    no_passwords: bool = False  # the person chose to import everyone without a password
    keep_unsupported: bool = False  # import users whose hash Clerk cannot take, without a password
    index: Any = None  # advisor.migrate.index.Index
    notes: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def count(self, name: str, n: int = 1) -> None:
        self.counts[name] = self.counts.get(name, 0) + n

    def unsupported_password(self, why: str) -> None:
        """A password Clerk has no hasher for: reject the user, or (when the person chose
        --on-unsupported-hash no-password) carry on without it and say so."""
        if not self.keep_unsupported:
            raise Problem("unsupported_hasher", "password_digest",
                          f"{why}; Clerk has no hasher for it (--on-unsupported-hash no-password imports the "
                          "user without a password)")
        self.count("passwords dropped (unsupported hash)")


def walk(records: Iterable[tuple[int, Any]], path: Path, id_of: Callable[[dict[str, Any], Location], str],
         to_draft: Callable[[dict[str, Any], Location, str], Draft | Skip]) -> Iterator[Item]:
    name = str(path)
    for line, raw in records:
        location = Location(name, line)
        if not isinstance(raw, dict):
            raise UserError("a user must be a JSON object", location=location)
        external_id = id_of(raw, location)
        try:
            result: Draft | Skip | Problem = to_draft(raw, location, external_id)
        except Problem as problem:
            result = problem
        yield Item(location, external_id, result)


def text(raw: dict[str, Any], key: str, location: Location, *, required: bool = False) -> str | None:
    value = raw.get(key)
    if type(value) is str and value:
        return value
    if value is None or value == "":
        if required:
            raise UserError("is missing; every user needs it", location=location, field=key)
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise UserError(f"must be a string, not {_kind(value)}", location=location, field=key)
    return str(value)


def flag(raw: dict[str, Any], key: str, location: Location) -> bool:
    """A boolean that JSON gives as true/false and CSV or SQL dumps as text."""
    value = raw.get(key)
    if value is None or value == "":
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _BOOLS:
        return _BOOLS[value.strip().lower()]
    raise UserError(f"must be true or false, not {value!r}" if isinstance(value, str | int) else
                    f"must be true or false, not {_kind(value)}", location=location, field=key)


_BOOLS = {"true": True, "t": True, "1": True, "yes": True, "false": False, "f": False, "0": False, "no": False}


def mapping(raw: dict[str, Any], key: str, location: Location) -> dict[str, Any] | None:
    """An object, also when a CSV or SQL export wrote it as a JSON string."""
    value = raw.get(key)
    if value is None or value == "" or value == {}:
        return None
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            raise UserError("must be a JSON object (it is text that is not JSON)", location=location,
                            field=key) from None
        if value is None or value == {}:
            return None
    if not isinstance(value, dict):
        raise UserError(f"must be a JSON object, not {_kind(value)}", location=location, field=key)
    return value


def listing(raw: dict[str, Any], key: str, location: Location) -> list[Any]:
    value = raw.get(key)
    if value is None or value == "":
        return []
    if not isinstance(value, list):
        raise UserError(f"must be a list, not {_kind(value)}", location=location, field=key)
    return value


def from_millis(value: Any, location: Location, key: str) -> str | None:
    """Epoch milliseconds (a number or its text) as RFC 3339."""
    if value is None or value == "":
        return None
    try:
        millis = int(str(value).strip())
        return rfc3339(datetime.fromtimestamp(millis / 1000, UTC))
    except (ValueError, OverflowError, OSError):
        raise UserError("must be a time in epoch milliseconds", location=location, field=key) from None


def from_iso(value: Any, location: Location, key: str) -> str | None:
    """An ISO 8601 / SQL timestamp (`2024-06-29 20:25:06.126079+00`) as RFC 3339."""
    if value is None or value == "":
        return None
    utc = _UTC_TIME.fullmatch(value) if type(value) is str else None
    if utc is not None:  # already UTC, the usual case: no datetime needed
        date, clock, fraction = utc.groups()
        return f"{date}T{clock}.{(fraction or '').ljust(3, '0')[:3]}Z"
    if not isinstance(value, str):
        raise UserError(f"must be a time, not {_kind(value)}", location=location, field=key)
    text = value.strip().replace(" ", "T", 1)
    if "T" in text and text[-3] in "+-" and text[-2:].isdigit():  # SQL's short offset: +00
        text += ":00"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise UserError(f"is not a time: {value!r}", location=location, field=key) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return rfc3339(moment)


_UTC_TIME = re.compile(r"(\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01]))[ T]((?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d)"
                       r"(?:\.(\d{1,9}))?(?:Z|[+-]00(?::?00)?)")


def rfc3339(moment: datetime) -> str:
    m = moment.astimezone(UTC)
    return (f"{m.year:04d}-{m.month:02d}-{m.day:02d}T{m.hour:02d}:{m.minute:02d}:{m.second:02d}."
            f"{m.microsecond // 1000:03d}Z")


def is_future(value: str | None) -> bool:
    return value is not None and value > rfc3339(datetime.now(UTC))


def split_name(name: str | None) -> tuple[str | None, str | None]:
    """'Ada King Lovelace' -> ('Ada', 'King Lovelace'); a single word is a first name."""
    if not name or not name.strip():
        return None, None
    first, _, last = name.strip().partition(" ")
    return first, (last.strip() or None)


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", bool: "true/false", float: "a number", int: "a number",
            str: "a string"}.get(type(value), type(value).__name__)
