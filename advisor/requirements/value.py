"""What a validated requirements document becomes: NamedTuples generated into contract.py
(immutable, cheap to define at start-up), and these helpers behind their methods:
attribute access as on the model (`req.platforms.web`), lists as tuples, and the document
back with `to_data()`."""

from __future__ import annotations

import hashlib
import json
from typing import Any, TypeVar

T = TypeVar("T")


def _data(value: Any) -> Any:
    fields = getattr(type(value), "_fields", None)
    if isinstance(value, tuple) and fields is not None:
        return {name: _data(item) for name, item in zip(fields, value, strict=True)}
    if isinstance(value, tuple):
        return [_data(v) for v in value]
    return value


def document(value: Any) -> dict[str, Any]:
    """The full, defaulted document, as it is written to files and snapshots (a fresh copy
    each call: callers may change it)."""
    out = _data(value)
    assert isinstance(out, dict)
    return out


def sha256_of(value: Any) -> str:
    return sha256_of_data(document(value))


def sha256_of_data(data: dict[str, Any]) -> str:
    """Digest of a full, defaulted requirements document: equal meaning, equal digest."""
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _frozen(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def from_data(cls: type[T], sections: dict[str, Any], data: dict[str, Any]) -> T:
    kwargs: dict[str, Any] = {}
    for key, value in data.items():
        section = sections.get(key)
        kwargs[key] = section(**{k: _frozen(v) for k, v in value.items()}) if section else _frozen(value)
    return cls(**kwargs)
