"""What a validated requirements document becomes: frozen dataclasses (generated into
contract.py) with this base for the whole document. Attribute access as on the model
(`req.platforms.web`), lists as tuples, and the document back with `to_data()`.

A key that is a Python keyword (`migration.from`) is the attribute `from_`. An optional
section (`migration`) is always in `to_data()`, which the questionnaire and the rule facts
read, and left out of `to_document()` (the snapshot's requirements, the digest) while it
holds only its defaults: a file written before the section existed keeps its snapshot,
its digest and its history file name."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import keyword
from functools import cached_property
from typing import Any, ClassVar, TypeVar

T = TypeVar("T", bound="RequirementsValue")


def attribute(key: str) -> str:
    """The dataclass attribute of a document key: `from` is `from_`."""
    return f"{key}_" if keyword.iskeyword(key) else key


def document_key(name: str) -> str:
    """The document key of a dataclass attribute (the inverse of `attribute`)."""
    return name[:-1] if name.endswith("_") and keyword.iskeyword(name[:-1]) else name


def _data(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {document_key(f.name): _data(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple):
        return [_data(v) for v in value]
    return value


def _frozen(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


class RequirementsValue:
    """Base of the generated `Requirements` dataclass."""

    _sections: ClassVar[dict[str, type]]
    _optional: ClassVar[frozenset[str]] = frozenset()

    @classmethod
    def from_data(cls: type[T], data: dict[str, Any]) -> T:
        """Build from a document the contract has already validated and completed."""
        kwargs: dict[str, Any] = {}
        for key, value in data.items():
            section = cls._sections.get(key)
            kwargs[attribute(key)] = (section(**{attribute(k): _frozen(v) for k, v in value.items()}) if section
                                      else _frozen(value))
        return cls(**kwargs)

    def to_data(self) -> dict[str, Any]:
        """The full, defaulted document, as it is written to files and snapshots (a fresh
        copy each call: callers may change it)."""
        return json.loads(self._json)

    def to_document(self) -> dict[str, Any]:
        """`to_data()` without the optional sections that hold only their defaults."""
        data = self.to_data()
        for key in self._optional:
            if data.get(key) == _data(self._sections[key]()):
                del data[key]
        return data

    @cached_property
    def _json(self) -> str:
        return json.dumps(_data(self))

    @cached_property
    def sha256(self) -> str:
        """Digest of the full, defaulted requirements: equal meaning, equal digest (an optional
        section at its defaults means the same as no section)."""
        canonical = json.dumps(self.to_document(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()
