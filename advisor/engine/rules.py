"""A rule: the data read from a rule file, checked, and frozen.

`check_rule` turns one parsed YAML mapping into a `Rule` or raises `RuleError` with the path
inside the rule that is wrong; the pack loader adds the file, line and rule id. The
compiled form (predicates, prepared contributions) lives apart, in `index.py`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Literal, NamedTuple

from advisor.engine.conditions import Compiler, Predicate, RuleError
from advisor.engine.decisions import DECISIONS, LAST_PHASE, DecisionSpec, first_phase_reading
from advisor.engine.facts import fact_specs
from advisor.requirements.checks import SAMPLES
from advisor.severity import RANK, SEVERITIES, Severity
from advisor.suggest import did_you_mean
from advisor.values import as_yaml

RULE_ID = re.compile(r"[a-z0-9][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)+")
REF_KEY = re.compile(r"[a-z0-9][a-z0-9.-]*:[A-Za-z0-9][A-Za-z0-9.()/_-]*")
RULE_KEYS = ("id", "version", "title", "when", "set", "remove", "finding", "severity", "because", "refs",
             "priority", "preference", "examples")
REQUIRED_RULE_KEYS = ("id", "version", "title", "severity", "because", "refs")
EXAMPLE_KEYS = ("given", "expect", "fires", "finding")
_RULE_KEY_SET = frozenset(RULE_KEYS)
MAX_TEXT = 4000  # title, because, finding: a paragraph, not a document
# Control characters (other than the whitespace YAML folds), DEL, C1 and bidi overrides:
# a rule's text is shown in terminals and reports, where these are commands, not text.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# A finding may quote what the user wrote: {{fact.path}} is its value, {{fact.path|count}}
# the number of items of a list fact. Nothing else is expanded: other text in braces (a
# Clerk JWT template such as {{user.external_id || user.id}}) is shown as written, unless
# it starts with a fact's name (then it is a placeholder written wrong).
_PLACEHOLDER = re.compile(r"\{\{\s*([a-z0-9_.]+)\s*(?:\|\s*(count)\s*)?\}\}")
_BRACES = re.compile(r"\{\{\s*([A-Za-z0-9_.]*)")

Action = Literal["set", "remove"]


class Reference(NamedTuple):
    key: str
    title: str
    url: str


class FactRef(NamedTuple):
    """A list value taken from a list fact at evaluation time, each item prefixed.

    Written in a rule as `{fact: tenancy.custom_roles, prefix: "org:"}`: how the pack turns
    the user's own names (roles, providers, events) into decision values without templating.
    """

    fact: str
    prefix: str = ""

    def resolve(self, facts: dict[str, Any]) -> list[str]:
        return [f"{self.prefix}{item}" for item in facts[self.fact]]


class Example(NamedTuple):
    """A requirements fragment and the effect the rule must have on it."""

    given: Mapping[str, Any]
    fires: bool = True
    expect: Mapping[str, Any] = MappingProxyType({})
    finding: bool = False


class Rule:
    """One checked rule, read-only. A rule is itself: equal and hashed by identity, not
    field by field (two rules with the same fields are still two rules)."""

    __slots__ = ("because", "examples", "file", "finding", "id", "index", "phase", "preference", "priority",
                 "reads", "refs", "removes", "sets", "severity", "title", "version", "when")
    id: str
    version: int
    title: str
    severity: Severity
    because: str
    refs: tuple[str, ...]
    sets: Mapping[str, Any]  # decision key -> value, or a FactRef
    removes: Mapping[str, tuple[Any, ...]]
    finding: str | None
    priority: int
    preference: str | None
    when: Any  # the condition as written (checked), for explain and `rules show`
    examples: tuple[Example, ...]
    file: str
    index: int  # position in its file, 0-based; the loader finds the line when asked
    phase: int
    reads: frozenset[str]  # facts the condition and fact values read

    def __init__(self, *, id: str, version: int, title: str, severity: Severity, because: str,
                 refs: tuple[str, ...], sets: Mapping[str, Any], removes: Mapping[str, tuple[Any, ...]],
                 finding: str | None, priority: int, preference: str | None, when: Any,
                 examples: tuple[Example, ...], file: str, index: int, phase: int, reads: frozenset[str]) -> None:
        for name, value in (("id", id), ("version", version), ("title", title), ("severity", severity),
                            ("because", because), ("refs", refs), ("sets", sets), ("removes", removes),
                            ("finding", finding), ("priority", priority), ("preference", preference),
                            ("when", when), ("examples", examples), ("file", file), ("index", index),
                            ("phase", phase), ("reads", reads)):
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"a rule is read-only ({name})")

    def __repr__(self) -> str:
        return f"Rule({self.id!r}, v{self.version})"

    @property
    def strength(self) -> tuple[int, int]:
        """Tie-break among rules that set the same value: a standard beats a preference,
        then the higher severity wins."""
        return (0 if self.preference is not None else 1, RANK[self.severity])

    @property
    def keys(self) -> list[str]:
        """The decision keys this rule sets or removes items from."""
        return list(dict.fromkeys([*self.sets, *self.removes]))


def _text(raw: dict[str, Any], key: str) -> str:
    value = raw[key]
    if not isinstance(value, str) or not value.strip():
        raise RuleError(f"{key} must be a non-empty string", (key,))
    if len(value) > MAX_TEXT:
        raise RuleError(f"{key} is {len(value)} characters; at most {MAX_TEXT}", (key,))
    bad = CONTROL.search(value)
    if bad:
        raise RuleError(f"{key} contains the control character U+{ord(bad.group()):04X}; write plain text", (key,))
    return " ".join(value.split())


def _int(raw: dict[str, Any], key: str, default: int, minimum: int | None = None) -> int:
    value = raw.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool) or abs(value) > 10**9 or (
            minimum is not None and value < minimum):
        floor = f" >= {minimum}" if minimum is not None else ""
        raise RuleError(f"{key} must be an integer{floor}", (key,))
    return value


def check_rule(raw: Any, references: Mapping[str, Reference], file: str, index: int,
               compiler: Compiler) -> tuple[Rule, Predicate | None, Predicate]:
    """The checked rule, and its condition compiled as (guard, residual) (see Compiler.when)."""
    if not isinstance(raw, dict):
        raise RuleError("a rule is a mapping with id, version, title, when, set, severity, because, refs")
    unknown = [k for k in raw if k not in _RULE_KEY_SET]
    if unknown:
        raise RuleError(f"unknown key {unknown[0]!r}", (unknown[0],), allowed=", ".join(sorted(RULE_KEYS)),
                        hint=did_you_mean(unknown[0], RULE_KEYS), key=True)
    for key in REQUIRED_RULE_KEYS:
        if key not in raw:
            raise RuleError(f"missing required key `{key}`")
    rid = raw["id"]
    if not isinstance(rid, str) or not RULE_ID.fullmatch(rid) or len(rid) > 200:
        raise RuleError("id must be namespaced like area.name (a-z, 0-9, -; dots between parts)", ("id",))
    version = _int(raw, "version", 1, minimum=1)
    title, because = _text(raw, "title"), _text(raw, "because")
    severity = raw["severity"]
    if severity not in SEVERITIES:
        raise RuleError(f"unknown severity {severity!r}", ("severity",), allowed=", ".join(SEVERITIES),
                        hint=did_you_mean(severity, SEVERITIES))
    refs = _refs(raw["refs"], references)
    sets, removes = raw.get("set") or {}, raw.get("remove") or {}
    finding = raw.get("finding")
    if not isinstance(sets, dict):
        raise RuleError("set must be a mapping of decision key to value", ("set",))
    if not isinstance(removes, dict):
        raise RuleError("remove must be a mapping of list decision key to the items to remove", ("remove",))
    if finding is not None:
        finding = _text(raw, "finding")
        _check_placeholders(finding)
    if not sets and not removes and finding is None:
        raise RuleError("a rule must set or remove a decision, or raise a finding")
    phases: set[int] = set()
    checked_sets: dict[str, Any] = {}
    for key, value in sets.items():
        spec = _decision(key, ("set", key))
        checked_sets[key] = _set_value(spec, value, ("set", key))
        phases.add(spec.phase)
    checked_removes: dict[str, tuple[Any, ...]] = {}
    for key, value in removes.items():
        spec = _decision(key, ("remove", key))
        if spec.combine != "union":
            raise RuleError(f"only list keys can have items removed; {key} combines by {spec.combine}",
                            ("remove", key))
        if not isinstance(value, list) or not value or not spec.check(value):
            raise RuleError(f"remove.{key} must be a non-empty list of items", ("remove", key),
                            allowed=spec.describe())
        checked_removes[key] = tuple(value)
        phases.add(spec.phase)
    if len(phases) > 1:
        raise RuleError("a rule cannot set assurance facts and architecture decisions at once; split it", ("set",))
    phase = phases.pop() if phases else LAST_PHASE
    preference = raw.get("preference")
    if preference is not None and (not isinstance(preference, str) or not preference.startswith("preferences.")
                                   or preference not in fact_specs()):
        raise RuleError(f"preference must name a preferences.* field; got {preference!r}", ("preference",),
                        hint=did_you_mean(preference, [p for p in fact_specs() if p.startswith("preferences.")]))
    reads = {v.fact for v in checked_sets.values() if isinstance(v, FactRef)}
    guard, residual = compiler.when(raw.get("when"), reads)
    for path in sorted(reads):  # a derived fact is known only after the phase that settles it
        if first_phase_reading(path) > phase:
            raise RuleError(f"fact {path} is derived by the pack and not known yet when this rule runs",
                            ("when",), hint="rules that set assurance.* may read only requirements "
                            "(and assurance.aal / asvs_level may read assurance.impact)")
    rule = Rule(
        id=rid, version=version, title=title, severity=severity, because=because, refs=refs,
        sets=MappingProxyType(checked_sets), removes=MappingProxyType(checked_removes), finding=finding,
        priority=_int(raw, "priority", 0), preference=preference, when=raw.get("when"),
        examples=_examples(raw.get("examples")), file=file, index=index, phase=phase, reads=frozenset(reads),
    )
    return rule, guard, residual


def _check_placeholders(text: str) -> None:
    for match in _PLACEHOLDER.finditer(text):
        path, count = match.group(1), match.group(2)
        spec = fact_specs().get(path)
        if spec is None:
            raise RuleError(f"unknown fact {path!r} in {match.group()}", ("finding",),
                            hint=did_you_mean(path, fact_specs()))
        if count and not spec.is_list:
            raise RuleError(f"{match.group()}: |count needs a list fact; {path} is not one", ("finding",))
    for match in _BRACES.finditer(_PLACEHOLDER.sub("", text)):
        if match.group(1) in fact_specs():
            raise RuleError("a finding quotes a fact as {{fact.path}} or {{fact.path|count}}; nothing else goes "
                            "between {{ and }}", ("finding",))


def finding_text(text: str, facts: Mapping[str, Any]) -> str:
    """A fired rule's finding with its {{...}} placeholders filled from the facts."""
    if "{{" not in text:
        return text

    def fill(match: re.Match[str]) -> str:
        value = facts[match.group(1)]
        return str(len(value)) if match.group(2) else as_yaml(list(value) if isinstance(value, tuple) else value)

    return _PLACEHOLDER.sub(fill, text)


def _refs(refs: Any, references: Mapping[str, Reference]) -> tuple[str, ...]:
    if not isinstance(refs, list) or not refs:
        raise RuleError("refs must be a non-empty list: every rule cites at least one source", ("refs",))
    for i, ref in enumerate(refs):
        if not isinstance(ref, str):
            raise RuleError("each ref is a reference key (a string), e.g. nist-800-63b-4:2.2.1", ("refs", i))
        if ref not in references:
            raise RuleError(f"reference {ref!r} is not in references.yaml", ("refs", i),
                            hint=did_you_mean(ref, references))
    return tuple(dict.fromkeys(refs))


def _decision(key: Any, at: tuple[str | int, ...]) -> DecisionSpec:
    spec = DECISIONS.get(key) if isinstance(key, str) else None
    if spec is None:
        raise RuleError(f"unknown decision key {key!r}", at, hint=did_you_mean(key, DECISIONS), key=True)
    return spec


def _set_value(spec: DecisionSpec, value: Any, at: tuple[str | int, ...]) -> Any:
    if isinstance(value, dict) and "fact" in value and spec.kind == "list":
        return _fact_ref(spec, value, at)
    if not spec.check(value):
        raise RuleError(f"value {value!r} does not fit {spec.key}", at, allowed=spec.describe())
    if isinstance(value, list):
        return tuple(value)
    return MappingProxyType(dict(value)) if isinstance(value, dict) else value


def _fact_ref(spec: DecisionSpec, value: dict[str, Any], at: tuple[str | int, ...]) -> FactRef:
    extra = sorted(str(k) for k in set(value) - {"fact", "prefix"})
    if extra:
        raise RuleError(f"unknown key {extra[0]!r} in a fact value", at, allowed="fact, prefix")
    path, prefix = value["fact"], value.get("prefix", "")
    fspec = fact_specs().get(path) if isinstance(path, str) else None
    if fspec is None:
        raise RuleError(f"unknown fact {path!r}", at + ("fact",), hint=did_you_mean(path, fact_specs()))
    if not fspec.is_list:
        raise RuleError(f"fact {path} is not a list; a fact value needs a list fact", at + ("fact",))
    if not isinstance(prefix, str):
        raise RuleError("prefix must be a string", at + ("prefix",))
    # Every value the fact can hold, prefixed, must fit the decision: checked here, against
    # the fact's choices or (for free text such as role keys) samples of its language, so a
    # bad prefix is the pack's error at its line, never a user's at evaluation time.
    items = fspec.choices if fspec.choices is not None else SAMPLES.get(fspec.check or "", ())
    bad = [c for c in items if not spec.check_item(f"{prefix}{c}")]
    if bad:
        raise RuleError(f"prefix {prefix!r}: {prefix}{bad[0]} (from {path}) does not fit {spec.key}",
                        at + ("prefix",) if "prefix" in value else at, allowed=spec.describe())
    return FactRef(path, prefix)


def _examples(raw: Any) -> tuple[Example, ...]:
    """Examples are checked for shape here; `rules test` runs them against the engine."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise RuleError("examples must be a list of {given, expect, fires, finding}", ("examples",))
    out = []
    for i, item in enumerate(raw):
        at: tuple[str | int, ...] = ("examples", i)
        if not isinstance(item, dict) or not isinstance(item.get("given"), dict):
            raise RuleError("an example needs `given`, a requirements fragment (a mapping)", at)
        unknown = [k for k in item if k not in EXAMPLE_KEYS]
        if unknown:
            raise RuleError(f"unknown key {unknown[0]!r} in an example", at + (unknown[0],),
                            allowed=", ".join(EXAMPLE_KEYS), hint=did_you_mean(unknown[0], EXAMPLE_KEYS), key=True)
        expect = item.get("expect") or {}
        if not isinstance(expect, dict):
            raise RuleError("expect must map decision keys to their final values", at + ("expect",))
        for key, value in expect.items():
            spec = _decision(key, at + ("expect", key))
            if not (spec.check(value) or (spec.kind == "enum" and value in spec.order)):
                raise RuleError(f"expected value {value!r} does not fit {key}", at + ("expect", key),
                                allowed=spec.describe())
        for flag in ("fires", "finding"):
            if not isinstance(item.get(flag, False), bool):
                raise RuleError(f"{flag} must be true or false", at + (flag,))
        out.append(Example(given=item["given"], fires=item.get("fires", True),
                           expect=MappingProxyType(dict(expect)), finding=item.get("finding", False)))
    return tuple(out)
