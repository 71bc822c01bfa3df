"""What a validated requirements document becomes: frozen dataclasses (generated into
contract.py) with this base for the whole document. Attribute access as on the model
(`req.platforms.web`), lists as tuples, and the document back with `to_data()`."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from functools import cached_property
from typing import Any, ClassVar, TypeVar

T = TypeVar("T", bound="RequirementsValue")


def _data(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _data(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple):
        return [_data(v) for v in value]
    return value


def _frozen(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


class RequirementsValue:
    """Base of the generated `Requirements` dataclass."""

    _sections: ClassVar[dict[str, type]]

    @classmethod
    def from_data(cls: type[T], data: dict[str, Any]) -> T:
        """Build from a document the contract has already validated and completed."""
        kwargs: dict[str, Any] = {}
        for key, value in data.items():
            section = cls._sections.get(key)
            kwargs[key] = section(**{k: _frozen(v) for k, v in value.items()}) if section else _frozen(value)
        return cls(**kwargs)

    def to_data(self) -> dict[str, Any]:
        """The full, defaulted document, as it is written to files and snapshots (a fresh
        copy each call: callers may change it)."""
        return json.loads(self._json)

    @cached_property
    def _json(self) -> str:
        return json.dumps(_data(self))

    @cached_property
    def sha256(self) -> str:
        """Digest of the full, defaulted requirements: equal meaning, equal digest."""
        canonical = json.dumps(self.to_data(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()
