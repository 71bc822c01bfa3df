"""Loading a rule pack: every file read, every rule checked and compiled, or one error that
names the file, line, rule id and field.

A pack is a directory: `pack.yaml` (name and version), `references.yaml` (every cited
source) and any number of `*.yaml` rule files, each a list of rules. Advice comes from
these files alone: nothing parsed is cached between processes, so no cache can change it.
The one parsed form used is the package's own (`parsed.py`): the data of the shipped files,
taken only for a file whose text has exactly the digest that was parsed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from advisor.engine.conditions import Compiler, RuleError
from advisor.engine.index import CompiledRule, Phase, build_phases, compile_rule
from advisor.engine.rules import CONTROL, MAX_TEXT, REF_KEY, Reference, Rule, check_rule
from advisor.errors import Location, UserError
from advisor.urls import is_web_url
from advisor.yamlio import load_fast, load_located, read_text

if TYPE_CHECKING:
    from advisor.engine.parsed import Parsed

PACK_VERSION = re.compile(r"\d{4}\.\d{1,2}\.\d+")
META_FILES = ("pack.yaml", "references.yaml")


class RulePack:
    """A loaded pack: its rules and references, and the compiled form evaluation walks."""

    __slots__ = ("by_id", "directory", "name", "phases", "references", "rules", "version")

    def __init__(self, *, name: str, version: str, directory: Path, rules: tuple[Rule, ...],
                 references: Mapping[str, Reference], phases: tuple[Phase, ...], by_id: Mapping[str, Rule]) -> None:
        self.name = name
        self.version = version
        self.directory = directory
        self.rules = rules
        self.references = references
        self.phases = phases
        self.by_id = by_id

    def __repr__(self) -> str:
        return f"RulePack({self.name!r}, {self.version!r}, {len(self.rules)} rules)"


def default_pack_dir() -> Path:
    """The shipped pack: inside the wheel, or at the top of a source checkout."""
    here = Path(__file__).resolve().parent.parent
    installed = here / "_data" / "rules"
    return installed if installed.is_dir() else here.parent / "rules"


def load_pack(directory: Path | str | None = None) -> RulePack:
    """Load and check a whole pack (default: the shipped one)."""
    directory = Path(directory) if directory is not None else default_pack_dir()
    if not directory.is_dir():
        raise UserError("rule pack directory not found", location=Location(str(directory)),
                        hint="a pack is a directory with pack.yaml, references.yaml and rule files")
    from advisor.engine.parsed import Parsed  # (not at import: `python -m advisor.engine.parsed` runs it)

    shipped = Parsed()
    name, version = _load_meta(directory, shipped)
    references = _load_references(directory, shipped)
    files = sorted(p for p in directory.glob("*.yaml") if p.name not in META_FILES)
    if not files:
        raise UserError("the pack has no rule files (*.yaml besides pack.yaml and references.yaml)",
                        location=Location(str(directory)))
    compiler = Compiler()
    rules: list[Rule] = []
    entries = []
    seen: dict[str, Rule] = {}
    for path in files:
        shown = str(path)
        text = read_text(path, what="rule file")
        data = _parse(shipped, text, shown)
        if data is None:
            continue
        if not isinstance(data, list):
            raise UserError("a rule file is a YAML list of rules", location=Location(shown, 1, 1))
        for index, raw in enumerate(data):
            try:
                rule, guard, residual = check_rule(raw, references, shown, index, compiler)
            except RuleError as exc:
                rid = raw.get("id") if isinstance(raw, dict) else None
                label = f"rule {rid}" if isinstance(rid, str) else f"rule #{index + 1}"
                raise UserError(f"{label}: {exc.message}", location=_locate(text, shown, index, exc.path, not exc.key),
                                field=".".join(str(p) for p in exc.path) or None, allowed=exc.allowed,
                                hint=exc.hint) from None
            if rule.id in seen:
                raise UserError(f"duplicate rule id {rule.id!r} (first defined in {seen[rule.id].file})",
                                location=_locate(text, shown, index, ("id",)), field="id")
            seen[rule.id] = rule
            entries.append((compile_rule(rule, len(rules)), guard, residual))
            rules.append(rule)
    return RulePack(name=name, version=version, directory=directory, rules=tuple(rules),
                    references=MappingProxyType(references), phases=build_phases(entries),
                    by_id=MappingProxyType(seen))


def compiled_rules(pack: RulePack) -> list[CompiledRule]:
    """Every compiled rule of a pack, in pack order."""
    out = [c for phase in pack.phases for _, groups in phase for _, rules in groups for c in rules]
    return sorted(out, key=lambda c: c.order)


def locate_rule(rule: Rule, inner: tuple[str | int, ...] = ()) -> Location:
    """File, line and column of a rule (positions are read only when asked for)."""
    try:
        text = read_text(Path(rule.file), what="rule file")
    except UserError:
        return Location(rule.file)
    return _locate(text, rule.file, rule.index, inner)


def _locate(text: str, shown: str, index: int, inner: tuple[str | int, ...], value: bool = False) -> Location:
    try:
        pos: tuple[int, int] | None = load_located(text, shown).position((index, *inner), value=value)
    except UserError:
        pos = None
    return Location(shown, *(pos or (None, None)))


def _position(path: Path, shown: str, key: Any) -> Location:
    try:
        pos: tuple[int, int] | None = load_located(read_text(path, what="pack file"), shown).position((key,))
    except UserError:
        pos = None
    return Location(shown, *(pos or (None, None)))


def _parse(shipped: Parsed, text: str, shown: str) -> Any:
    known, data = shipped.take(text)
    return data if known else load_fast(text, shown)


def _load_references(directory: Path, shipped: Parsed) -> dict[str, Reference]:
    path = directory / "references.yaml"
    shown = str(path)
    data = _parse(shipped, read_text(path, what="references file"), shown)
    if not isinstance(data, dict) or not data:
        raise UserError("references.yaml must be a mapping of ref key to {title, url}", location=Location(shown, 1, 1))
    out: dict[str, Reference] = {}
    for key, body in data.items():
        problem = None
        if not isinstance(key, str) or not REF_KEY.fullmatch(key):
            problem = "a ref key is source:section, e.g. nist-800-63b-4:2.2.1"
        elif not isinstance(body, dict) or set(body) - {"title", "url"} or not isinstance(body.get("title"), str) \
                or not body["title"].strip() or not isinstance(body.get("url"), str):
            problem = "each reference needs a title and an https:// url, and nothing else"
        elif CONTROL.search(body["title"]) or len(body["title"]) > MAX_TEXT:
            problem = f"the title must be plain text of at most {MAX_TEXT} characters (no control characters)"
        elif not is_web_url(body["url"], https_only=True):
            problem = "the url must be a plain https:// url (no spaces, quotes, brackets, pipes or control characters)"
        if problem:
            raise UserError(problem, location=_position(path, shown, key), field=str(key))
        out[key] = Reference(key, " ".join(body["title"].split()), body["url"])
    return out


def _load_meta(directory: Path, shipped: Parsed) -> tuple[str, str]:
    path = directory / "pack.yaml"
    shown = str(path)
    data = _parse(shipped, read_text(path, what="pack file"), shown)
    what = "pack.yaml must be a mapping with name, version and an optional description"
    if not isinstance(data, dict):
        raise UserError(what, location=Location(shown, 1, 1))
    unknown = [k for k in data if k not in ("name", "version", "description")]
    if unknown:
        raise UserError(f"unknown key {unknown[0]!r}: {what}", location=_position(path, shown, unknown[0]),
                        field=str(unknown[0]))
    version = data.get("version")
    if not isinstance(version, str) or not PACK_VERSION.fullmatch(version):
        raise UserError(f"version must be a string like 2026.11.0; got {version!r}",
                        location=_position(path, shown, "version"), field="version")
    name = data.get("name") or directory.name
    if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._ -]{0,79}", name):
        raise UserError("name must be 1-80 letters, digits, spaces, dots, dashes or underscores",
                        location=_position(path, shown, "name"), field="name")
    return name, version
