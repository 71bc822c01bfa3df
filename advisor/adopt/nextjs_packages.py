"""The packages an adopted Next.js app needs, and what its own versions say: added at the
starter's verified versions, never changing the app's; versions below Clerk's peer ranges
or an advisory's fix reported, not changed."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from advisor.adopt.jsedit import module_of
from advisor.adopt.model import Attention, Edited, EditResult, Refused, Unneeded
from advisor.adopt.packagejson import add_dependencies
from advisor.adopt.semver import satisfies

if TYPE_CHECKING:
    from advisor.audit.manifests import NodePackage
    from advisor.audit.versions import Version

CLERK_PEERS = {
    "next": "^15.2.8 || ^15.3.8 || ^15.4.10 || ^15.5.9 || ^15.6.0-0 || ^16.0.10 || ^16.1.0-0",
    "react": "^18 || ~19.0.3 || ~19.1.4 || ~19.2.3 || ~19.3.0-0",
}


def depends_on(package_json: bytes, name: str) -> bool:
    import json

    try:
        data = json.loads(package_json)
    except ValueError:
        return False
    return isinstance(data, dict) and any(isinstance(data.get(k), dict) and name in data[k]
                                          for k in ("dependencies", "devDependencies"))


def version_warnings(package: NodePackage) -> list[Attention]:
    """Versions below what @clerk/nextjs accepts or the advisories require: said, never changed."""
    from advisor.audit.checks.dependencies import advisories
    from advisor.audit.project import installed_version

    found: list[Attention] = []
    for name in ("next", "react", "@clerk/nextjs"):
        version, where, exact = installed_version(package, name)
        if version is None or where is None:
            continue
        declared = package.deps[name].spec if name in package.deps else str(version)
        shown = str(version) if exact else f"{declared} (from {version})"
        problems = []
        peer = CLERK_PEERS.get(name)
        if peer is not None and satisfies(version, peer) is False:
            problems.append(f"outside what @clerk/nextjs 7 accepts ({peer}), so npm install will refuse it")
        hits = _advisories_for(advisories(), name, version)
        if hits:
            problems.append(f"affected by {', '.join(hits)}")
        if problems:
            found.append(Attention(f"{name} {shown} is {' and '.join(problems)}; adopt did not change it",
                                   where.rel, where.line,
                                   fix=f"upgrade {name} yourself (npm install {name}@{_suggested(name)})"))
    return found


def _advisories_for(entries: Any, name: str, version: Version) -> list[str]:
    return [a.id for a in entries for interval in a.packages.get(name, ()) if interval.contains(version)]


def _suggested(name: str) -> str:
    return {"next": "latest", "react": "latest", "@clerk/nextjs": "7"}.get(name, "latest")


def _package_name(spec: str) -> str | None:
    if spec.startswith((".", "/", "node:")) or spec.startswith("@/"):
        return None
    parts = spec.split("/")
    return "/".join(parts[:2]) if spec.startswith("@") else parts[0]


def needed_packages(code: dict[str, bytes], versions: dict[str, str]) -> dict[str, str]:
    """Every package the adopted files import, at the version the starter was verified with."""
    needed: dict[str, str] = {}
    from advisor.audit.source import language_for

    for rel, data in code.items():
        if language_for(rel) not in ("typescript", "tsx", "javascript"):
            continue
        for spec in sorted(module_of(rel, data).import_modules()):
            name = _package_name(spec)
            if name is None or name in ("next", "react", "react-dom"):
                continue
            if name not in versions:
                raise ValueError(f"the starter's {rel} imports {name}, which templates/nextjs/versions.json does "
                                 "not pin")
            needed[name] = versions[name]
    return needed


def package_edit(needed: dict[str, str]) -> Callable[[bytes], EditResult]:
    """The edit of package.json that adds the missing packages (and nothing else)."""
    def edit(data: bytes) -> EditResult:
        import json

        text = data.decode("utf-8")
        manifest = json.loads(text)
        present = {**manifest.get("devDependencies", {}), **manifest.get("dependencies", {})}
        missing = {name: version for name, version in needed.items() if name not in present}
        if not missing:
            return Unneeded("has every package the setup needs already")
        shown = ", ".join(f"{name} {version}" for name, version in missing.items())
        try:
            new = add_dependencies(text, "dependencies", missing)
        except ValueError as exc:
            return Refused(f"package.json could not be edited safely ({exc})",
                           advice=f"add to dependencies: {shown}")
        return Edited(new.encode("utf-8"), f"adds {shown}")

    return edit
