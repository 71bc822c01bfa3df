"""What a validated requirements document becomes: NamedTuples generated into contract.py
(immutable, cheap to define at start-up), and these helpers behind their methods:
attribute access as on the model (`req.platforms.web`), lists as tuples, and the document
back with `to_data()`.

A key that is a Python keyword (`migration.from`) is the attribute `from_`. An optional
section (`migration`) is always in `to_data()`, which the questionnaire reads, and left
out of `to_document()` (the snapshot's requirements, the digest) while it holds only its
defaults: a file written before the section existed keeps its snapshot, its digest and
its history file name."""

from __future__ import annotations

import hashlib
import json
import keyword
from typing import Any, TypeVar

T = TypeVar("T")


def attribute(key: str) -> str:
    """The attribute of a document key: `from` is `from_`."""
    return f"{key}_" if keyword.iskeyword(key) else key


def document_key(name: str) -> str:
    """The document key of an attribute (the inverse of `attribute`)."""
    return name[:-1] if name.endswith("_") and keyword.iskeyword(name[:-1]) else name


def _data(value: Any) -> Any:
    fields = getattr(type(value), "_fields", None)
    if isinstance(value, tuple) and fields is not None:
        return {document_key(name): _data(item) for name, item in zip(fields, value, strict=True)}
    if isinstance(value, tuple):
        return [_data(v) for v in value]
    return value


def document(value: Any) -> dict[str, Any]:
    """The full, defaulted document, as it is written to files (a fresh copy each call:
    callers may change it)."""
    out = _data(value)
    assert isinstance(out, dict)
    return out


def without_default_sections(value: Any, optional: dict[str, Any]) -> dict[str, Any]:
    """`document(value)` without the optional sections (name -> their type) that hold only
    their defaults: what a snapshot records and the digest covers."""
    data = document(value)
    for key, section in optional.items():
        if getattr(value, key) == section():
            del data[key]
    return data


def sha256_of_data(data: dict[str, Any]) -> str:
    """Digest of a requirements document (`to_document()`): equal meaning, equal digest."""
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _frozen(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def from_data(cls: type[T], sections: dict[str, Any], data: dict[str, Any]) -> T:
    kwargs: dict[str, Any] = {}
    for key, value in data.items():
        section = sections.get(key)
        kwargs[attribute(key)] = (section(**{attribute(k): _frozen(v) for k, v in value.items()}) if section
                                  else _frozen(value))
    return cls(**kwargs)
