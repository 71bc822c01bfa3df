"""Checks register themselves here by id, with the metadata every output shows."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from advisor.audit.model import CheckInfo, Finding, Reference, Severity

if TYPE_CHECKING:
    from advisor.audit.context import Context

CheckFn = Callable[["Context"], Iterable[Finding]]


@dataclass(frozen=True)
class Check:
    info: CheckInfo
    run: CheckFn


REGISTRY: dict[str, Check] = {}
# Ids of findings the runner itself makes (no check function behind them).
BUILTIN: dict[str, CheckInfo] = {}


def _info(id: str, severity: str, title: str, fix: str, refs: list[tuple[str, str]], help: str) -> CheckInfo:
    if not refs:
        raise ValueError(f"check {id} needs at least one reference")
    return CheckInfo(id=id, severity=Severity.parse(severity), title=title, fix=fix,
                     references=tuple(Reference(label, url) for label, url in refs), help=help or title)


def check(id: str, severity: str, title: str, *, fix: str, refs: list[tuple[str, str]],
          help: str = "") -> Callable[[CheckFn], CheckFn]:
    """Register a check: `@check("nextjs.x", "high", "title", fix=..., refs=[(label, url)])`."""
    info = _info(id, severity, title, fix, refs, help)

    def register(fn: CheckFn) -> CheckFn:
        if id in REGISTRY or id in BUILTIN:
            raise ValueError(f"duplicate check id {id}")
        REGISTRY[id] = Check(info, fn)
        return fn

    return register


def builtin(id: str, severity: str, title: str, *, fix: str, refs: list[tuple[str, str]], help: str = "") -> None:
    BUILTIN[id] = _info(id, severity, title, fix, refs, help)


def info_for(id: str) -> CheckInfo:
    found = REGISTRY.get(id)
    return found.info if found is not None else BUILTIN[id]


def all_infos() -> list[CheckInfo]:
    load_checks()
    return sorted([c.info for c in REGISTRY.values()] + list(BUILTIN.values()), key=lambda i: i.id)


def load_checks() -> dict[str, Check]:
    """Import every check module (they register on import) and return the registry."""
    import advisor.audit.checks  # noqa: F401

    return REGISTRY
