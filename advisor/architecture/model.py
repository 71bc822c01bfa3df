"""The Architecture: the one value every stage after the engine works from.

It holds the decisions (each with its reason, rules and sources), the findings, the
assurance levels, Clerk's config document, the docs attached, and the versions that made
it. It is frozen (its records are NamedTuples, cheap to define at start-up); `to_data()`
is the snapshot document of DESIGN.md ("Architecture") and `from_data()` reads one back,
checking its shape, so a snapshot file is input like any other. Looking up a decision
that is not there raises: a misspelt key is an error, never a silent None.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple

from advisor.engine.decisions import DECISIONS
from advisor.engine.evaluate import Finding
from advisor.errors import Location, UserError
from advisor.requirements import Requirements, validate_document
from advisor.requirements.value import sha256_of_data
from advisor.severity import SEVERITIES
from advisor.suggest import did_you_mean
from advisor.values import plain

if TYPE_CHECKING:
    from advisor.architecture.setup import SetupStep

SNAPSHOT_SCHEMA = 1


class UnknownDecision(KeyError):
    """A decision key that the architecture does not have (a typo, or an older snapshot).

    A KeyError, so that `key in decisions` and `decisions.get(key)` work as for any
    mapping (a LookupError made `in` raise for a key one snapshot has and the other not).
    """

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


def freeze(value: Any) -> Any:
    """A JSON value made immutable: lists become tuples, objects read-only mappings."""
    if isinstance(value, Mapping):
        return MappingProxyType({k: freeze(v) for k, v in value.items()})
    if isinstance(value, (list, tuple)):
        return tuple(freeze(v) for v in value)
    return value


class DecisionRecord(NamedTuple):
    value: Any
    reason: str
    rules: tuple[str, ...]  # every rule that touched the key, the winner first
    refs: tuple[str, ...]  # the sources of the rules the value agrees with

    @property
    def winner(self) -> str | None:
        return self.rules[0] if self.rules else None


class Decisions(Mapping[str, DecisionRecord]):
    """Decision records by key, in the order of the decision table (keys a newer snapshot
    has and this version does not know come last)."""

    def __init__(self, records: Mapping[str, DecisionRecord]) -> None:
        known = [k for k in DECISIONS if k in records]
        self._records = {k: records[k] for k in [*known, *(k for k in records if k not in DECISIONS)]}

    def __getitem__(self, key: str) -> DecisionRecord:
        try:
            return self._records[key]
        except KeyError:
            hint = did_you_mean(key, self._records)
            raise UnknownDecision(f"no decision {key!r} in this architecture" + (f"; {hint}" if hint else "")) from None

    def __contains__(self, key: object) -> bool:
        return key in self._records

    def __iter__(self) -> Iterator[str]:
        return iter(self._records)

    def __len__(self) -> int:
        return len(self._records)

    def value(self, key: str) -> Any:
        return self[key].value


class Assurance(NamedTuple):
    aal: str
    asvs_level: int
    impact: str


class Excerpt(NamedTuple):
    """A short quote from Clerk's current docs, with where it came from."""

    title: str
    source_url: str | None
    quote: str


class DocsRecord(NamedTuple):
    """The Context7 answer used for one decision area: enough to tell when it changed."""

    area: str
    library_id: str | None
    query: str
    type: str
    sha256: str
    source_urls: tuple[str, ...]
    excerpts: tuple[Excerpt, ...] = ()


class Architecture(NamedTuple):
    """The recommendation: read-only, built once by advisor.architecture.build."""

    requirements: Requirements
    decisions: Decisions
    findings: tuple[Finding, ...]
    clerk_config: Mapping[str, Any]  # the `clerk config patch` document (frozen)
    docs: tuple[DocsRecord, ...]
    rules_version: str
    rule_versions: Mapping[str, int]  # every rule of the pack that made it, and its version
    created_at: str
    tool_version: str
    extra: Mapping[str, Any] = MappingProxyType({})  # keys of a newer snapshot, kept as they were

    def value(self, key: str) -> Any:
        return self.decisions.value(key)

    @property
    def assurance(self) -> Assurance:
        return Assurance(self.value("assurance.aal"), self.value("assurance.asvs_level"),
                         self.value("assurance.impact"))

    @property
    def requirements_sha256(self) -> str:
        return self.requirements.sha256

    @property
    def setup_steps(self) -> tuple[SetupStep, ...]:
        """The dashboard and CLI steps clerk-config.json cannot carry, each with its reason."""
        from advisor.architecture.setup import setup_steps

        return tuple(setup_steps(self))

    def to_data(self) -> dict[str, Any]:
        """The snapshot document (`recommend --format json`), in its fixed key order."""
        a = self.assurance
        requirements = self.requirements.to_document()
        return {
            "schema": SNAPSHOT_SCHEMA,
            "created_at": self.created_at,
            "tool_version": self.tool_version,
            "rules_version": self.rules_version,
            "requirements_sha256": sha256_of_data(requirements),
            "requirements": requirements,
            "assurance": {"aal": a.aal, "asvs_level": a.asvs_level, "impact": a.impact},
            "decisions": {
                key: {"value": plain(r.value), "reason": r.reason, "rules": list(r.rules), "refs": list(r.refs)}
                for key, r in self.decisions.items()
            },
            "findings": [f.to_data() for f in self.findings],
            "clerk_config": plain(self.clerk_config),
            "docs": [_docs_data(d) for d in self.docs],
            "rule_versions": dict(self.rule_versions),
            **plain(self.extra),
        }

    @classmethod
    def from_data(cls, data: Any, source: str) -> Architecture:
        """A snapshot read back, its shape checked; UserError names the file and field."""
        return _Reader(source).architecture(data)


def _docs_data(record: DocsRecord) -> dict[str, Any]:
    return {
        "area": record.area, "library_id": record.library_id, "query": record.query, "type": record.type,
        "sha256": record.sha256, "source_urls": list(record.source_urls),
        "excerpts": [{"title": e.title, "source_url": e.source_url, "quote": e.quote} for e in record.excerpts],
    }


_KNOWN_KEYS = ("schema", "created_at", "tool_version", "rules_version", "requirements_sha256", "requirements",
               "assurance", "decisions", "findings", "clerk_config", "docs", "rule_versions")


class _Reader:
    """Checks a snapshot's shape field by field; the first problem is one UserError."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, field: str, message: str, allowed: str | None = None) -> UserError:
        return UserError(f"not a valid snapshot: {message}", location=Location(self.source), field=field,
                         allowed=allowed)

    def typed(self, data: Mapping[str, Any], key: str, kind: type | tuple[type, ...], where: str,
              what: str, optional: bool = False) -> Any:
        if key not in data:
            if optional:
                return None
            raise self.fail(f"{where}{key}", "missing")
        value = data[key]
        if optional and value is None:
            return None
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
            raise self.fail(f"{where}{key}", f"must be {what}")
        return value

    def strings(self, value: Any, field: str) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(field, "must be a list of strings")
        return tuple(value)

    def architecture(self, data: Any) -> Architecture:
        if not isinstance(data, dict):
            raise self.fail("(top level)", "it must be a JSON object",
                            allowed="the output of `recommend --format json`")
        schema = data.get("schema")
        if schema != SNAPSHOT_SCHEMA or isinstance(schema, bool):
            raise self.fail("schema", f"schema {schema!r} is not supported", allowed=str(SNAPSHOT_SCHEMA))
        requirements = self.requirements(self.typed(data, "requirements", dict, "", "an object"))
        decisions = self.typed(data, "decisions", dict, "", "an object")
        records = {}
        for key, rec in decisions.items():
            where = f"decisions.{key}."
            if not isinstance(rec, dict):
                raise self.fail(f"decisions.{key}", "must be an object with value, reason, rules, refs")
            if "value" not in rec:
                raise self.fail(f"{where}value", "missing")
            self.value(key, rec["value"])
            records[key] = DecisionRecord(
                value=freeze(rec["value"]), reason=self.typed(rec, "reason", str, where, "a string"),
                rules=self.strings(rec.get("rules"), f"{where}rules"),
                refs=self.strings(rec.get("refs"), f"{where}refs"))
        for key in ("assurance.aal", "assurance.asvs_level", "assurance.impact"):
            if key not in records:
                raise self.fail(f"decisions.{key}", "missing")
        findings = []
        for i, item in enumerate(self.typed(data, "findings", list, "", "a list")):
            where = f"findings.{i}."
            if not isinstance(item, dict):
                raise self.fail(f"findings.{i}", "must be an object with id, severity, message, rule")
            severity = self.typed(item, "severity", str, where, "a string")
            if severity not in SEVERITIES:
                raise self.fail(f"{where}severity", f"unknown severity {severity!r}", allowed=", ".join(SEVERITIES))
            findings.append(Finding(self.typed(item, "id", str, where, "a string"), severity,
                                    self.typed(item, "message", str, where, "a string"),
                                    self.typed(item, "rule", str, where, "a string")))
        rule_versions = self.typed(data, "rule_versions", dict, "", "an object", optional=True) or {}
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in rule_versions.values()):
            raise self.fail("rule_versions", "must map rule ids to integer versions")
        return Architecture(
            requirements=requirements,
            decisions=Decisions(records),
            findings=tuple(findings),
            clerk_config=freeze(self.typed(data, "clerk_config", dict, "", "an object", optional=True) or {}),
            docs=tuple(self.docs(d, i) for i, d in enumerate(self.typed(data, "docs", list, "", "a list",
                                                                         optional=True) or [])),
            rules_version=self.typed(data, "rules_version", str, "", "a string"),
            rule_versions=MappingProxyType(dict(rule_versions)),
            created_at=self.typed(data, "created_at", str, "", "a string", optional=True) or "",
            tool_version=self.typed(data, "tool_version", str, "", "a string", optional=True) or "",
            extra=freeze({k: v for k, v in data.items() if k not in _KNOWN_KEYS}),
        )

    def value(self, key: str, value: Any) -> None:
        """A known decision's value has its kind's shape (any value of the right type: a
        snapshot of another version may hold enum values this one does not know)."""
        spec = DECISIONS.get(key)
        if spec is None or value is None and spec.kind not in ("list", "map"):
            return
        kind = spec.kind
        if kind in ("bool", "bool_or_null"):
            ok, what = isinstance(value, bool), "true, false or null"
        elif kind in ("int", "int_or_null"):
            ok, what = isinstance(value, int) and not isinstance(value, bool), "an integer or null"
        elif kind == "enum":
            ok, what = isinstance(value, (str, int, bool)), "one value (a string, number or boolean) or null"
        elif kind == "list":
            ok, what = isinstance(value, list) and all(isinstance(v, str) for v in value), "a list of strings"
        else:
            ok = isinstance(value, dict) and all(isinstance(v, str) for v in value.values())
            what = "a map of strings"
        if not ok:
            raise self.fail(f"decisions.{key}.value", f"must be {what}", allowed=spec.describe())

    def requirements(self, data: dict[str, Any]) -> Requirements:
        try:
            return validate_document(data, self.source)
        except UserError as exc:
            raise UserError(f"the snapshot's requirements no longer validate: {exc.message}",
                            location=Location(self.source),
                            field=f"requirements.{exc.field}" if exc.field else "requirements",
                            hint="re-run `clerk-advisor recommend` on the requirements file") from None

    def docs(self, item: Any, i: int) -> DocsRecord:
        where = f"docs.{i}."
        if not isinstance(item, dict):
            raise self.fail(f"docs.{i}", "must be an object")
        excerpts = []
        for j, e in enumerate(self.typed(item, "excerpts", list, where, "a list", optional=True) or []):
            at = f"{where}excerpts.{j}."
            if not isinstance(e, dict):
                raise self.fail(f"{where}excerpts.{j}", "must be an object with title, source_url, quote")
            excerpts.append(Excerpt(self.typed(e, "title", str, at, "a string"),
                                    self.typed(e, "source_url", str, at, "a string or null", optional=True),
                                    self.typed(e, "quote", str, at, "a string")))
        return DocsRecord(
            area=self.typed(item, "area", str, where, "a string"),
            library_id=self.typed(item, "library_id", str, where, "a string or null", optional=True),
            query=self.typed(item, "query", str, where, "a string", optional=True) or "",
            type=self.typed(item, "type", str, where, "a string", optional=True) or "txt",
            sha256=self.typed(item, "sha256", str, where, "a string", optional=True) or "",
            source_urls=self.strings(item.get("source_urls", []), f"{where}source_urls"),
            excerpts=tuple(excerpts),
        )
