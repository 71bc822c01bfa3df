"""The rule pack: loading, validation and compilation of declarative rules.

A pack is a directory: `pack.yaml` (name and version), `references.yaml` (every cited
source) and any number of `*.yaml` files, each a list of rules. Everything is checked
when the pack loads, so a typo is an error that names the rule id, file and line, not a
rule that silently never fires. Conditions compile once into closures over a flat dict of
facts; nothing is evaluated as code.
"""

from __future__ import annotations

import difflib
import gc
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from advisor.decisions import DECISIONS, LAST_PHASE, SEVERITIES, DecisionSpec
from advisor.errors import Location, UserError
from advisor.facts import ORDERS, FactSpec, fact_specs
from advisor.values import as_yaml
from advisor.yamlio import load_fast, load_positioned, position_of, read_text

RULE_ID = re.compile(r"^[a-z0-9][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)+$")
REF_KEY = re.compile(r"^[a-z0-9][a-z0-9.-]*:[A-Za-z0-9][A-Za-z0-9.()/_-]*$")
PACK_VERSION = re.compile(r"^\d{4}\.\d{1,2}\.\d+$")
OPERATORS = ("eq", "ne", "in", "not_in", "contains", "contains_any", "contains_all", "gte", "lte", "exists")
RULE_KEYS = {"id", "version", "title", "when", "set", "remove", "finding", "severity", "because", "refs",
             "priority", "preference", "examples"}
EXAMPLE_KEYS = ("given", "expect", "fires", "finding")
REQUIRED_RULE_KEYS = ("id", "version", "title", "severity", "because", "refs")

Predicate = Callable[[dict[str, Any]], bool]


@dataclass(frozen=True)
class Reference:
    key: str
    title: str
    url: str


@dataclass(frozen=True)
class FactRef:
    """A list value taken from a list fact at evaluation time, each item prefixed.

    Written in a rule as `{fact: tenancy.custom_roles, prefix: "org:"}`; this is how the
    pack turns the user's own names (roles, providers, events) into decision values
    without any templating.
    """

    fact: str
    prefix: str = ""

    def resolve(self, facts: dict[str, Any]) -> list[str]:
        return [f"{self.prefix}{item}" for item in facts[self.fact]]


@dataclass(eq=False)  # a rule is itself: identity, not field-by-field equality
class Rule:
    id: str
    version: int
    title: str
    severity: str
    because: str
    refs: tuple[str, ...]
    set: dict[str, Any]
    remove: dict[str, tuple[Any, ...]]
    finding: str | None
    priority: int
    preference: str | None
    when: Any
    file: str
    index: int  # position in its file, 0-based; `locate_rule` finds the line
    phase: int = 0
    test: Predicate = field(default=lambda facts: True, repr=False)
    reads: frozenset[str] = frozenset()
    # A leaf that must hold for the rule to apply (a top-level conjunct), shared by every
    # rule with the same leaf: the engine tests it once and skips all those rules at once.
    guard: Predicate | None = field(default=None, repr=False)
    residual: Predicate = field(default=lambda facts: True, repr=False)  # the condition less the guard
    order: int = 0
    # Tie-break among rules that set the same value: a standard beats a preference, then
    # the higher severity wins.
    strength: tuple[int, int] = (1, 0)
    # The engine's per-process cache of this rule's fact-independent contributions.
    prepared: Any = field(default=None, repr=False)
    # The rule's own test cases, kept raw: [{given: {...}, expect: {...}, fires: bool, finding: bool}].
    # tests/test_rule_examples.py runs them; the engine never reads them.
    examples: list[dict[str, Any]] = field(default_factory=list, repr=False)


@dataclass
class RulePack:
    name: str
    version: str
    directory: Path
    rules: list[Rule]
    references: dict[str, Reference]
    _phases: list[list[Rule]] | None = field(default=None, repr=False)
    _guarded: list[list[tuple[Predicate | None, list[tuple[Predicate, list[Rule]]]]]] | None = field(
        default=None, repr=False)

    def by_id(self) -> dict[str, Rule]:
        return {r.id: r for r in self.rules}

    def phases(self) -> list[list[Rule]]:
        """Rules grouped by evaluation phase (computed once)."""
        if self._phases is None:
            top = max((r.phase for r in self.rules), default=0)
            self._phases = [[] for _ in range(top + 1)]
            for rule in self.rules:
                self._phases[rule.phase].append(rule)
        return self._phases

    def guarded(self, phase: int) -> list[tuple[Predicate | None, list[tuple[Predicate, list[Rule]]]]]:
        """A phase's rules grouped by shared guard (None: no guard), and within a guard by
        shared condition: the engine skips a whole group when its guard is false and tests
        each distinct condition once."""
        if self._guarded is None:
            self._guarded = []
            for rules in self.phases():
                groups: dict[int, tuple[Predicate | None, dict[int, tuple[Predicate, list[Rule]]]]] = {}
                for rule in rules:
                    _, by_test = groups.setdefault(id(rule.guard), (rule.guard, {}))
                    by_test.setdefault(id(rule.residual), (rule.residual, []))[1].append(rule)
                self._guarded.append([(g, list(by_test.values())) for g, by_test in groups.values()])
        return self._guarded[phase] if phase < len(self._guarded) else []


def _phase_of_fact(path: str) -> int:
    """The first phase that may read a fact: requirements always, a derived fact after the
    phase that settles it."""
    spec = DECISIONS.get(path)
    return spec.phase + 1 if spec is not None else 0


class _RuleError(Exception):
    """A problem inside one rule, with the path (inside the rule) that is wrong."""

    def __init__(self, message: str, path: tuple[str | int, ...] = (), allowed: str | None = None,
                 hint: str | None = None, key: bool = False) -> None:
        super().__init__(message)
        self.key = key  # the problem is the key itself (point at it), not its value
        self.message = message
        self.path = path
        self.allowed = allowed
        self.hint = hint


def _did_you_mean(word: str, options: list[str]) -> str | None:
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return f"did you mean {close[0]!r}?" if close else None


# ---------------------------------------------------------------- conditions


def _compile_leaf(leaf: dict[str, Any], at: tuple[str | int, ...], reads: set[str]) -> Predicate:
    specs = fact_specs()
    if "fact" not in leaf:
        raise _RuleError("a condition leaf needs `fact` and one operator", at,
                         allowed="all, any, not, or {fact: PATH, OP: VALUE}")
    path = leaf["fact"]
    ops = [k for k in leaf if k != "fact"]
    if not isinstance(path, str) or path not in specs:
        raise _RuleError(f"unknown fact {path!r}", at + ("fact",), hint=_did_you_mean(str(path), list(specs)))
    unknown = [k for k in ops if k not in OPERATORS]
    if unknown:
        raise _RuleError(f"unknown operator {unknown[0]!r}", at + (unknown[0],), allowed=", ".join(OPERATORS),
                         hint=_did_you_mean(str(unknown[0]), list(OPERATORS)), key=True)
    if len(ops) != 1:
        raise _RuleError(f"a leaf needs exactly one operator, found {len(ops)}", at, allowed=", ".join(OPERATORS))
    op = ops[0]
    value = leaf[op]
    spec = specs[path]
    reads.add(path)
    return _make_predicate(spec, op, value, at + (op,))


def _make_predicate(spec: FactSpec, op: str, value: Any, at: tuple[str | int, ...]) -> Predicate:
    key = spec.path

    def bad(expected: str) -> _RuleError:
        return _RuleError(f"{op} on fact {key} needs {expected}; got {value!r}", at, allowed=spec.describe())

    if op == "exists":
        if not isinstance(value, bool):
            raise bad("true or false")
        return (lambda f: f[key] not in (None, ())) if value else (lambda f: f[key] in (None, ()))
    if op in ("eq", "ne"):
        if spec.is_list:
            raise bad("a scalar fact; this fact is a list (use contains / contains_any / contains_all)")
        if not spec.accepts(value):
            raise bad(spec.describe())
        return (lambda f: f[key] == value) if op == "eq" else (lambda f: f[key] != value)
    if op in ("in", "not_in"):
        if spec.is_list:
            raise bad("a scalar fact; this fact is a list (use contains_any)")
        if not isinstance(value, list) or not value or not all(spec.accepts(v) for v in value):
            raise bad(f"a non-empty list of values, each {spec.describe()}")
        members = frozenset(value)
        return (lambda f: f[key] in members) if op == "in" else (lambda f: f[key] not in members)
    if op == "contains":
        if not spec.is_list:
            raise bad("a list fact (use eq for a scalar)")
        if not spec.accepts(value):
            raise bad(f"one item, {spec.describe()}")
        return lambda f: value in f[key]
    if op in ("contains_any", "contains_all"):
        if not spec.is_list:
            raise bad("a list fact (use in for a scalar)")
        if not isinstance(value, list) or not value or not all(spec.accepts(v) for v in value):
            raise bad(f"a non-empty list of items, each {spec.describe()}")
        members = frozenset(value)
        if op == "contains_any":
            return lambda f: not members.isdisjoint(f[key])
        return lambda f: members.issubset(f[key])
    # gte / lte: integers, or enums with a declared order.
    order = ORDERS.get(key)
    if spec.is_list:
        raise bad("a scalar fact")
    if order is not None:
        if not any(value == o and type(value) is type(o) for o in order):
            raise bad("one of " + ", ".join(map(str, order)))
        rank = {v: i for i, v in enumerate(order)}
        bound = rank[value]
        if op == "gte":
            return lambda f: rank.get(f[key], -1) >= bound
        return lambda f: f[key] in rank and rank[f[key]] <= bound
    if spec.kind != "int":
        raise bad("an integer fact or an ordered enum")
    if not isinstance(value, int) or isinstance(value, bool):
        raise bad("an integer")
    if op == "gte":
        return lambda f: f[key] is not None and f[key] >= value
    return lambda f: f[key] is not None and f[key] <= value


def _all_of(parts: tuple[Predicate, ...]) -> Predicate:
    # Short lists, the usual case, get a closure without a loop: evaluation of large packs
    # is mostly calls of these.
    if len(parts) == 1:
        return parts[0]
    if len(parts) == 2:
        a, b = parts
        return lambda f: a(f) and b(f)
    if len(parts) == 3:
        a, b, c = parts
        return lambda f: a(f) and b(f) and c(f)

    def all_of(f: dict[str, Any]) -> bool:
        for p in parts:
            if not p(f):
                return False
        return True
    return all_of


def _any_of(parts: tuple[Predicate, ...]) -> Predicate:
    if len(parts) == 1:
        return parts[0]
    if len(parts) == 2:
        a, b = parts
        return lambda f: a(f) or b(f)
    if len(parts) == 3:
        a, b, c = parts
        return lambda f: a(f) or b(f) or c(f)

    def any_of(f: dict[str, Any]) -> bool:
        for p in parts:
            if p(f):
                return True
        return False
    return any_of


def compile_condition(node: Any, at: tuple[str | int, ...] = ("when",), reads: set[str] | None = None) -> Predicate:
    """Compile a condition tree into one predicate over the flat facts dict."""
    reads = reads if reads is not None else set()
    if not isinstance(node, dict) or not node:
        raise _RuleError("a condition is a mapping: {all: [...]}, {any: [...]}, {not: ...} or a leaf", at)
    combinators = [k for k in ("all", "any", "not") if k in node]
    if combinators:
        if len(node) != 1:
            extra = sorted(k for k in node if k != combinators[0])
            raise _RuleError(f"`{combinators[0]}` cannot be combined with {', '.join(map(str, extra))} in one mapping", at)
        kind = combinators[0]
        body = node[kind]
        if kind == "not":
            inner = compile_condition(body, at + ("not",), reads)
            return lambda f: not inner(f)
        if not isinstance(body, list) or not body:
            raise _RuleError(f"`{kind}` takes a non-empty list of conditions", at + (kind,))
        parts = tuple(compile_condition(c, at + (kind, i), reads) for i, c in enumerate(body))
        return _all_of(parts) if kind == "all" else _any_of(parts)
    return _compile_leaf(node, at, reads)


# ---------------------------------------------------------------- rules


def _check_rule(raw: Any, references: dict[str, Reference], file: str, index: int) -> Rule:
    if not isinstance(raw, dict):
        raise _RuleError("a rule is a mapping with id, version, title, when, set, severity, because, refs")
    unknown = [k for k in raw if k not in RULE_KEYS]
    if unknown:
        raise _RuleError(f"unknown key {unknown[0]!r}", (unknown[0],), allowed=", ".join(sorted(RULE_KEYS)),
                         hint=_did_you_mean(str(unknown[0]), sorted(RULE_KEYS)), key=True)
    for key in REQUIRED_RULE_KEYS:
        if key not in raw:
            raise _RuleError(f"missing required key `{key}`", ())
    rid = raw["id"]
    if not isinstance(rid, str) or not RULE_ID.match(rid):
        raise _RuleError("id must be namespaced like area.name (a-z, 0-9, -; dots between parts)", ("id",))
    version = raw["version"]
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise _RuleError("version must be an integer >= 1", ("version",))
    for key in ("title", "because"):
        if not isinstance(raw[key], str) or not raw[key].strip():
            raise _RuleError(f"{key} must be a non-empty string", (key,))
    if raw["severity"] not in SEVERITIES:
        raise _RuleError(f"unknown severity {raw['severity']!r}", ("severity",), allowed=", ".join(SEVERITIES))
    refs = raw["refs"]
    if not isinstance(refs, list) or not refs:
        raise _RuleError("refs must be a non-empty list: every rule cites at least one source", ("refs",))
    for i, ref in enumerate(refs):
        if ref not in references:
            raise _RuleError(f"reference {ref!r} is not in references.yaml", ("refs", i),
                             hint=_did_you_mean(str(ref), list(references)))
    sets = raw.get("set") or {}
    removes = raw.get("remove") or {}
    finding = raw.get("finding")
    if not isinstance(sets, dict):
        raise _RuleError("set must be a mapping of decision key to value", ("set",))
    if not isinstance(removes, dict):
        raise _RuleError("remove must be a mapping of list decision key to the items to remove", ("remove",))
    if finding is not None and (not isinstance(finding, str) or not finding.strip()):
        raise _RuleError("finding must be a non-empty string (the message shown to the user)", ("finding",))
    if not sets and not removes and finding is None:
        raise _RuleError("a rule must set or remove a decision, or raise a finding", ())
    phases: set[int] = set()
    sets = dict(sets)
    for key, value in sets.items():
        spec = DECISIONS.get(key)
        if spec is None:
            raise _RuleError(f"unknown decision key {key!r}", ("set", key), hint=_did_you_mean(str(key), list(DECISIONS)),
                             key=True)
        if isinstance(value, dict) and "fact" in value and spec.kind == "list":
            sets[key] = _fact_ref(spec, value, ("set", key))
            phases.add(spec.phase)
            continue
        if not spec.check(value):
            raise _RuleError(f"value {value!r} does not fit {key}", ("set", key), allowed=spec.describe())
        phases.add(spec.phase)
    for key, value in removes.items():
        spec = DECISIONS.get(key)
        if spec is None:
            raise _RuleError(f"unknown decision key {key!r}", ("remove", key), hint=_did_you_mean(str(key), list(DECISIONS)))
        if spec.combine != "union":
            raise _RuleError(f"only list keys can have items removed; {key} combines by {spec.combine}", ("remove", key))
        if not isinstance(value, list) or not value or not spec.check(value):
            raise _RuleError(f"remove.{key} must be a non-empty list of items", ("remove", key), allowed=spec.describe())
        phases.add(spec.phase)
    if len(phases) > 1:
        raise _RuleError("a rule cannot set assurance facts and architecture decisions at once; split it", ("set",))
    phase = phases.pop() if phases else LAST_PHASE
    priority = raw.get("priority", 0)
    if not isinstance(priority, int) or isinstance(priority, bool):
        raise _RuleError("priority must be an integer", ("priority",))
    preference = raw.get("preference")
    if preference is not None:
        spec_f = fact_specs().get(preference) if isinstance(preference, str) else None
        if spec_f is None or not preference.startswith("preferences."):
            raise _RuleError(f"preference must name a preferences.* field; got {preference!r}", ("preference",),
                             hint=_did_you_mean(str(preference), [p for p in fact_specs() if p.startswith("preferences.")]))
    examples = _check_examples(raw.get("examples"))
    reads: set[str] = {v.fact for v in sets.values() if isinstance(v, FactRef)}
    when = raw.get("when")
    guard, residual = _compile_when(when, reads)
    test: Predicate = residual if guard is None else (lambda f, g=guard, r=residual: g(f) and r(f))
    for path in reads:
        if _phase_of_fact(path) > phase:
            raise _RuleError(f"fact {path} is derived by the pack and not known yet when this rule runs",
                             ("when",), hint="rules that set assurance.* may read only requirements "
                             "(and assurance.aal / asvs_level may read assurance.impact)")
    return Rule(
        id=rid, version=version, title=raw["title"].strip(), severity=raw["severity"],
        because=" ".join(raw["because"].split()), refs=tuple(refs), set=dict(sets),
        remove={k: tuple(v) for k, v in removes.items()},
        finding=" ".join(finding.split()) if finding else None, priority=priority, preference=preference,
        when=when, file=file, index=index, phase=phase, test=test, reads=frozenset(reads), guard=guard, residual=residual,
        strength=(0 if preference is not None else 1, SEVERITIES.index(raw["severity"])),
        examples=examples,
    )


def _check_examples(raw: Any) -> list[dict[str, Any]]:
    """A rule's examples: only their shape is checked here; tests/test_rule_examples.py runs them."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise _RuleError("examples must be a list of {given, expect, fires, finding}", ("examples",))
    for i, example in enumerate(raw):
        at: tuple[str | int, ...] = ("examples", i)
        if not isinstance(example, dict):
            raise _RuleError("an example is a mapping with `given` and optional expect, fires, finding", at)
        unknown = [k for k in example if k not in EXAMPLE_KEYS]
        if unknown:
            raise _RuleError(f"unknown key {unknown[0]!r} in an example", at + (unknown[0],),
                             allowed=", ".join(EXAMPLE_KEYS), hint=_did_you_mean(str(unknown[0]), list(EXAMPLE_KEYS)),
                             key=True)
        if not isinstance(example.get("given"), dict):
            raise _RuleError("an example needs `given`: a requirements fragment (a mapping)", at)
        if "expect" in example and not isinstance(example["expect"], dict):
            raise _RuleError("expect must map decision keys to their final values", at + ("expect",))
        for key in ("fires", "finding"):
            if key in example and not isinstance(example[key], bool):
                raise _RuleError(f"{key} must be true or false", at + (key,))
    return [dict(example) for example in raw]


_GUARDS: dict[str, Predicate] = {}
# Identical conditions share one predicate, so the engine tests each distinct condition
# once per evaluation however many rules use it.
_CONDITIONS: dict[str, Predicate] = {}


def _ALWAYS(facts: dict[str, Any]) -> bool:
    return True


def _interned(when: Any, compiled: Predicate, table: dict[str, Predicate] = _CONDITIONS) -> Predicate:
    return table.setdefault(json.dumps(when, sort_keys=True, default=str), compiled)



def _compile_when(when: Any, reads: set[str]) -> tuple[Predicate | None, Predicate]:
    """Compile a rule's condition as (guard, residual): the rule applies when both hold.

    The guard is a leaf every match needs (a top-level conjunct), interned so all rules
    that share it are skipped at once when it is false; the residual is the rest of the
    condition, interned so identical ones are tested once. Errors name their place in the
    original tree either way.
    """
    if when is None:
        return None, _ALWAYS
    leaf_at = None
    if isinstance(when, dict) and "fact" in when:
        leaf_at = ("when",)
    elif isinstance(when, dict) and set(when) == {"all"} and isinstance(when["all"], list):
        leaf_at = next((("when", "all", i) for i, c in enumerate(when["all"]) if isinstance(c, dict) and "fact" in c),
                       None)
    if leaf_at is None:
        return None, _interned(when, compile_condition(when, ("when",), reads))
    leaf = when if leaf_at == ("when",) else when["all"][leaf_at[2]]
    guard = _interned(leaf, compile_condition(leaf, leaf_at, reads), _GUARDS)
    if leaf_at == ("when",):
        return guard, _ALWAYS
    rest = [(c, ("when", "all", i)) for i, c in enumerate(when["all"]) if i != leaf_at[2]]
    if not rest:
        return guard, _ALWAYS
    parts = tuple(compile_condition(c, at, reads) for c, at in rest)
    residual = _interned({"all": [c for c, _ in rest]}, _all_of(parts))
    return guard, residual


def _fact_ref(spec: DecisionSpec, value: dict[str, Any], at: tuple[str | int, ...]) -> FactRef:
    extra = set(value) - {"fact", "prefix"}
    if extra:
        raise _RuleError(f"unknown key {sorted(extra)[0]!r} in a fact value", at, allowed="fact, prefix")
    path, prefix = value["fact"], value.get("prefix", "")
    fspec = fact_specs().get(path) if isinstance(path, str) else None
    if fspec is None:
        raise _RuleError(f"unknown fact {path!r}", at + ("fact",), hint=_did_you_mean(str(path), list(fact_specs())))
    if not fspec.is_list:
        raise _RuleError(f"fact {path} is not a list; a fact value needs a list fact", at + ("fact",))
    if not isinstance(prefix, str):
        raise _RuleError("prefix must be a string", at + ("prefix",))
    if fspec.choices is not None:
        bad = [c for c in fspec.choices if not spec.check_item(f"{prefix}{c}")]
        if bad:
            raise _RuleError(f"{prefix}{bad[0]} (from {path}) does not fit {spec.key}", at, allowed=spec.describe())
    return FactRef(path, prefix)


def _locate(path: Path, shown: str, index: int, inner: tuple[str | int, ...], value: bool = False) -> Location:
    try:
        doc = load_positioned(read_text(path, what="rule file"), shown)
        pos = position_of(doc, (index, *inner), value=value)
    except UserError:
        pos = None
    return Location(shown, *(pos or (None, None)))


def _load_references(directory: Path) -> dict[str, Reference]:
    path = directory / "references.yaml"
    shown = str(path)
    data = load_fast(read_text(path, what="references file"), shown)
    if not isinstance(data, dict) or not data:
        raise UserError("references.yaml must be a mapping of ref key to {title, url}", location=Location(shown))
    out: dict[str, Reference] = {}
    for key, body in data.items():
        problem = None
        if not isinstance(key, str) or not REF_KEY.match(key):
            problem = "a ref key is source:section, e.g. nist-800-63b-4:2.2.1"
        elif not isinstance(body, dict) or set(body) - {"title", "url"} or not isinstance(body.get("title"), str) \
                or not isinstance(body.get("url"), str) or not body["url"].startswith("https://"):
            problem = "each reference needs a title and an https:// url, and nothing else"
        if problem:
            doc = load_positioned(read_text(path, what="references file"), shown)
            pos = position_of(doc, (key,))
            raise UserError(problem, location=Location(shown, *(pos or (None, None))), field=str(key))
        out[key] = Reference(key, body["title"], body["url"])
    return out


def _load_meta(directory: Path) -> tuple[str, str]:
    path = directory / "pack.yaml"
    shown = str(path)
    data = load_fast(read_text(path, what="pack file"), shown)
    if not isinstance(data, dict) or set(data) - {"name", "version", "description"}:
        raise UserError("pack.yaml must be a mapping with name, version and an optional description",
                        location=Location(shown))
    version = data.get("version")
    if not isinstance(version, str) or not PACK_VERSION.match(version):
        doc = load_positioned(read_text(path, what="pack file"), shown)
        pos = position_of(doc, ("version",))
        raise UserError(f"version must be a string like 2026.11.0; got {version!r}",
                        location=Location(shown, *(pos or (None, None))), field="version")
    return str(data.get("name") or directory.name), version


def load_pack(directory: Path) -> RulePack:
    """Load and validate a whole pack. Raises UserError naming file, line, rule id and field."""
    directory = Path(directory)
    if not directory.is_dir():
        raise UserError("rule pack directory not found", location=Location(str(directory)),
                        hint="a pack is a directory with pack.yaml, references.yaml and rule files")
    name, version = _load_meta(directory)
    references = _load_references(directory)
    rules: list[Rule] = []
    seen: dict[str, Rule] = {}
    files = sorted(p for p in directory.glob("*.yaml") if p.name not in ("pack.yaml", "references.yaml"))
    if not files:
        raise UserError("the pack has no rule files (*.yaml besides pack.yaml and references.yaml)",
                        location=Location(str(directory)))
    for path in files:
        shown = str(path)
        data = _parsed_rule_file(path, shown)
        if data is None:
            continue
        if not isinstance(data, list):
            raise UserError("a rule file is a YAML list of rules", location=Location(shown, 1, 1))
        for index, raw in enumerate(data):
            rid = raw.get("id") if isinstance(raw, dict) else None
            try:
                rule = _check_rule(raw, references, shown, index)
            except _RuleError as exc:
                loc = _locate(path, shown, index, exc.path, value=not exc.key)
                label = f"rule {rid}" if isinstance(rid, str) else f"rule #{index + 1}"
                dotted = ".".join(str(p) for p in exc.path) or None
                raise UserError(f"{label}: {exc.message}", location=loc, field=dotted,
                                allowed=exc.allowed, hint=exc.hint) from None
            if rule.id in seen:
                loc = _locate(path, shown, index, ("id",))
                first = seen[rule.id]
                raise UserError(f"duplicate rule id {rule.id!r} (first defined in {first.file})", location=loc,
                                field="id")
            rule.order = len(rules)
            seen[rule.id] = rule
            rules.append(rule)
    pack = RulePack(name=name, version=version, directory=directory, rules=rules, references=references)
    # A loaded pack lives as long as the process and never forms garbage; keep the cyclic
    # collector from re-scanning its closures on every collection (large packs made
    # evaluations pause for tens of milliseconds).
    gc.freeze()
    return pack


_PARSE_FORMAT = "yamlio-1"


def _parsed_rule_file(path: Path, shown: str) -> Any:
    """A rule file's data, parsed once per content: like .pyc files, the parse of each
    distinct file is kept (as JSON, in the user cache) and reused by later processes.
    Validation still runs on every load; a missing, unreadable or corrupt cache entry just
    means parsing again."""
    import hashlib

    from advisor.paths import default_cache_dir

    text = read_text(path, what="rule file")
    # The parser's version is part of the key: a fix in how YAML is read must not be
    # hidden behind entries an older version wrote.
    digest = hashlib.sha256(f"{_PARSE_FORMAT}\0{text}".encode("utf-8")).hexdigest()
    cached = default_cache_dir() / "packs" / f"{digest}.json"
    try:
        return json.loads(cached.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    data = load_fast(text, shown)
    if _json_exact(data):
        try:
            from advisor.fsutil import atomic_write

            atomic_write(cached, json.dumps(data, separators=(",", ":")), durable=False)
        except OSError:
            pass  # no cache (read-only home): parse next time too
    return data


def _json_exact(data: Any) -> bool:
    """Would JSON give this back unchanged? (It turns non-string keys into strings.)"""
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if not all(type(k) is str for k in node):
                return False
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, float) and node != node:
            return False  # NaN
    return True


def locate_rule(rule: Rule, inner: tuple[str | int, ...] = ()) -> Location:
    """File, line and column of a rule (positions are read only when asked for)."""
    return _locate(Path(rule.file), rule.file, rule.index, inner)


def default_pack_dir() -> Path:
    """The shipped pack: inside the wheel, or at the top of a source checkout."""
    here = Path(__file__).resolve().parent
    installed = here / "_data" / "rules"
    return installed if installed.is_dir() else here.parent / "rules"


def describe_condition(node: Any) -> str:
    """A compact, readable form of a (validated) condition, for explain and rules show."""
    if node is None:
        return "always"
    if "all" in node:
        return " and ".join(_paren(c) for c in node["all"])
    if "any" in node:
        return " or ".join(_paren(c) for c in node["any"])
    if "not" in node:
        return f"not {_paren(node['not'])}"
    op = next(k for k in node if k != "fact")
    value = node[op]
    symbol = {"eq": "=", "ne": "!=", "gte": ">=", "lte": "<=", "in": "in", "not_in": "not in",
              "contains": "contains", "contains_any": "contains any of", "contains_all": "contains all of"}
    if op == "exists":
        return f"{node['fact']} is set" if value else f"{node['fact']} is empty"
    shown = "[" + ", ".join(map(as_yaml, value)) + "]" if isinstance(value, list) else as_yaml(value)
    return f"{node['fact']} {symbol[op]} {shown}"


def _paren(node: Any) -> str:
    text = describe_condition(node)
    return f"({text})" if ("all" in node or "any" in node) and " " in text else text
