"""Dependencies: Clerk and Next.js versions with known advisories; the Python SDK's bounds."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from advisor.audit.context import Context
from advisor.audit.manifests import Declared, NodePackage
from advisor.audit.model import Finding, Severity
from advisor.audit.project import installed_version
from advisor.audit.registry import check
from advisor.audit.versions import Interval, Version, pep440_has_upper_bound

_DATA = Path(__file__).resolve().parent.parent / "data" / "advisories.json"


@dataclass(frozen=True)
class Advisory:
    id: str
    severity: Severity
    summary: str
    url: str
    packages: dict[str, tuple[Interval, ...]]


@cache
def advisories() -> tuple[Advisory, ...]:
    raw = json.loads(_DATA.read_text(encoding="utf-8"))
    found = []
    for entry in raw["advisories"]:
        packages = {
            name: tuple(Interval(_v(lo), _v(hi)) for lo, hi in ranges) for name, ranges in entry["packages"].items()
        }
        found.append(Advisory(entry["id"], Severity.parse(entry["severity"]), entry["summary"], entry["url"],
                              packages))
    return tuple(found)


def _v(text: str) -> Version:
    version = Version.parse(text)
    if version is None:
        raise ValueError(f"advisories.json: bad version {text!r}")
    return version


def _hits(name: str, version: Version) -> list[tuple[Advisory, Interval]]:
    hits = []
    for advisory in advisories():
        for interval in advisory.packages.get(name, ()):
            if interval.contains(version):
                hits.append((advisory, interval))
    return hits


def _watched() -> set[str]:
    return {name for advisory in advisories() for name in advisory.packages}


@check("js.vulnerable-dependency", "critical", "Clerk or Next.js version with a known advisory",
       fix="Upgrade to the fixed version the message names (or later) and refresh the lockfile.",
       refs=[("GHSA-vqx2-fgx2-5wq9", "https://osv.dev/GHSA-vqx2-fgx2-5wq9"),
             ("GHSA-w24r-5266-9c3c", "https://github.com/clerk/javascript/security/advisories/GHSA-w24r-5266-9c3c"),
             ("CVE-2025-29927", "https://osv.dev/GHSA-f82v-jwr5-mffw"),
             ("CVE-2024-22206", "https://clerk.com/changelog/2024-02-02")])
def vulnerable_dependency(ctx: Context) -> Iterator[Finding]:
    for package in ctx.project.packages:
        for name in sorted(_watched()):
            yield from _package_findings(ctx, package, name)


def _package_findings(ctx: Context, package: NodePackage, name: str) -> Iterator[Finding]:
    resolved = package.resolved.get(name, [])
    candidates: list[tuple[Version, Declared, bool]] = []
    for declared in resolved:
        version = Version.parse(declared.spec)
        if version is not None:
            candidates.append((version, declared, True))
    if not candidates:
        version, where, exact = installed_version(package, name)
        if version is None or where is None:
            return
        candidates.append((version, where, exact))
    seen: set[Version] = set()
    for version, where, exact in candidates:
        hits = _hits(name, version)
        if not hits or version in seen:
            continue
        seen.add(version)
        ids = ", ".join(a.id for a, _ in hits)
        fixed = max(i.fixed for _, i in hits)
        severity = max(a.severity for a, _ in hits)
        if exact:
            message = f"{name} {version} is affected by {ids}: upgrade to {fixed} or later"
        else:
            severity = min(severity, Severity.MEDIUM)
            declared_spec = package.deps[name].spec if name in package.deps else str(version)
            message = (f"{name} {declared_spec} allows {version}, affected by {ids}, and no lockfile pins a "
                       f"fixed version: require >= {fixed}")
        yield ctx.at("js.vulnerable-dependency", where.rel, where.line, 1, message, severity)


@check("python.sdk-unpinned", "medium", "clerk-backend-api without an upper version bound",
       fix="Pin a range such as `clerk-backend-api>=7.0.0,<8` (or `==7.0.0`): major releases change "
           "authenticate_request's options and results.",
       refs=[("clerk/clerk-sdk-python#158", "https://github.com/clerk/clerk-sdk-python/issues/158")])
def python_sdk_unpinned(ctx: Context) -> Iterator[Finding]:
    for declared in ctx.project.python_deps:
        if declared.name != "clerk-backend-api" or pep440_has_upper_bound(declared.spec):
            continue
        shown = declared.spec or "(no version)"
        yield ctx.at("python.sdk-unpinned", declared.rel, declared.line, 1,
                     f"clerk-backend-api {shown} lets the next major version in")
