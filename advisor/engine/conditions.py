"""Conditions: `all` / `any` / `not` trees over `{fact: PATH, OP: VALUE}` leaves, checked and
compiled into predicates over the flat facts dict. Nothing is evaluated as code.

A `Compiler` belongs to one pack load: identical conditions share one predicate, so the
engine tests each distinct condition once per evaluation however many rules use it; the
intern tables go away with the compiler.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from advisor.engine.facts import FactSpec, fact_specs
from advisor.suggest import did_you_mean
from advisor.values import as_yaml

Predicate = Callable[[dict[str, Any]], bool]
Path = tuple[str | int, ...]

OPERATORS = ("eq", "ne", "in", "not_in", "contains", "contains_any", "contains_all", "gte", "lte", "count_gte",
             "count_lte", "exists")
COMBINATORS = ("all", "any", "not")
_SYMBOLS = {"eq": "=", "ne": "!=", "gte": ">=", "lte": "<=", "in": "in", "not_in": "not in",
            "contains": "contains", "contains_any": "contains any of", "contains_all": "contains all of",
            "count_gte": ">=", "count_lte": "<="}


class RuleError(Exception):
    """A problem inside one rule, with the path (inside the rule) that is wrong."""

    def __init__(self, message: str, path: Path = (), allowed: str | None = None,
                 hint: str | None = None, key: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.allowed = allowed
        self.hint = hint
        self.key = key  # the problem is the key itself (point at it), not its value


def always(facts: dict[str, Any]) -> bool:
    return True


def _leaf_predicate(spec: FactSpec, op: str, value: Any, at: Path) -> Predicate:
    key = spec.path

    def bad(expected: str) -> RuleError:
        return RuleError(f"{op} on fact {key} needs {expected}; got {value!r}", at, allowed=spec.describe())

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
    if op in ("count_gte", "count_lte"):
        # How many items a list holds (custom roles past Clerk's limit).
        if not spec.is_list:
            raise bad("a list fact (use gte / lte for a number)")
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise bad("a whole number >= 0")
        if op == "count_gte":
            return lambda f: len(f[key]) >= value
        return lambda f: len(f[key]) <= value
    # gte / lte: integers, or enums with a declared order.
    if spec.is_list:
        raise bad("a scalar fact")
    if spec.order is not None:
        if not any(value == o and type(value) is type(o) for o in spec.order):
            raise bad("one of " + ", ".join(map(str, spec.order)))
        rank = {v: i for i, v in enumerate(spec.order)}
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
    # Short lists, the usual case, get a closure without a loop: evaluating a large pack is
    # mostly calls of these.
    if len(parts) == 1:
        return parts[0]
    if len(parts) == 2:
        a, b = parts
        return lambda f: a(f) and b(f)
    if len(parts) == 3:
        a, b, c = parts
        return lambda f: a(f) and b(f) and c(f)
    return lambda f: all(p(f) for p in parts)


def _any_of(parts: tuple[Predicate, ...]) -> Predicate:
    if len(parts) == 1:
        return parts[0]
    if len(parts) == 2:
        a, b = parts
        return lambda f: a(f) or b(f)
    if len(parts) == 3:
        a, b, c = parts
        return lambda f: a(f) or b(f) or c(f)
    return lambda f: any(p(f) for p in parts)


class Compiler:
    """Checks and compiles the conditions of one pack."""

    def __init__(self) -> None:
        self._specs = fact_specs()
        # repr of the condition -> (predicate, facts it reads). repr tells apart every
        # value YAML can give (1, 1.0, True and "1" all differ), and costs half a JSON dump.
        self._guards: dict[str, tuple[Predicate, tuple[str, ...]]] = {}
        self._conditions: dict[str, tuple[Predicate, tuple[str, ...]]] = {}

    def leaf(self, leaf: dict[str, Any], at: Path, reads: set[str]) -> Predicate:
        if "fact" not in leaf:
            raise RuleError("a condition leaf needs `fact` and one operator", at,
                            allowed="all, any, not, or {fact: PATH, OP: VALUE}")
        path = leaf["fact"]
        ops = [k for k in leaf if k != "fact"]
        if not isinstance(path, str) or path not in self._specs:
            raise RuleError(f"unknown fact {path!r}", at + ("fact",), hint=did_you_mean(path, self._specs))
        unknown = [k for k in ops if k not in OPERATORS]
        if unknown:
            raise RuleError(f"unknown operator {unknown[0]!r}", at + (unknown[0],), allowed=", ".join(OPERATORS),
                            hint=did_you_mean(unknown[0], OPERATORS), key=True)
        if len(ops) != 1:
            raise RuleError(f"a leaf needs exactly one operator, found {len(ops)}", at, allowed=", ".join(OPERATORS))
        op = ops[0]
        reads.add(path)
        return _leaf_predicate(self._specs[path], op, leaf[op], at + (op,))

    def condition(self, node: Any, at: Path, reads: set[str]) -> Predicate:
        """One predicate for a condition tree. Nesting is bounded by the YAML reader."""
        if not isinstance(node, dict) or not node:
            raise RuleError("a condition is a mapping: {all: [...]}, {any: [...]}, {not: ...} or a leaf", at)
        combinators = [k for k in COMBINATORS if k in node]
        if not combinators:
            return self.leaf(node, at, reads)
        kind = combinators[0]
        if len(node) != 1:
            extra = sorted(str(k) for k in node if k != kind)
            raise RuleError(f"`{kind}` cannot be combined with {', '.join(extra)} in one mapping", at)
        body = node[kind]
        if kind == "not":
            inner = self.condition(body, at + ("not",), reads)
            return lambda f: not inner(f)
        if not isinstance(body, list) or not body:
            raise RuleError(f"`{kind}` takes a non-empty list of conditions", at + (kind,))
        parts = tuple(self.condition(c, at + (kind, i), reads) for i, c in enumerate(body))
        return _all_of(parts) if kind == "all" else _any_of(parts)

    def when(self, when: Any, reads: set[str]) -> tuple[Predicate | None, Predicate]:
        """A rule's condition as (guard, residual): the rule applies when both hold.

        The guard is a leaf every match needs (a top-level conjunct), shared by every rule
        with the same leaf so the engine skips all of them at once when it is false; the
        residual is the rest of the condition, shared likewise so identical ones are tested
        once. Errors name their place in the original tree either way.
        """
        if when is None:
            return None, always
        leaf_at: Path | None = None
        if isinstance(when, dict) and "fact" in when:
            leaf_at = ("when",)
        elif isinstance(when, dict) and set(when) == {"all"} and isinstance(when["all"], list):
            leaf_at = next((("when", "all", i) for i, c in enumerate(when["all"])
                            if isinstance(c, dict) and "fact" in c), None)
        if leaf_at is None:
            return None, self._interned(self._conditions, when, lambda r: self.condition(when, ("when",), r), reads)
        if leaf_at == ("when",):
            return self._interned(self._guards, when, lambda r: self.leaf(when, leaf_at, r), reads), always
        index = int(leaf_at[2])
        leaf = when["all"][index]
        guard = self._interned(self._guards, leaf, lambda r: self.leaf(leaf, leaf_at, r), reads)
        rest = [(c, ("when", "all", i)) for i, c in enumerate(when["all"]) if i != index]
        if not rest:
            return guard, always

        def compile_rest(r: set[str]) -> Predicate:
            return _all_of(tuple(self.condition(c, at, r) for c, at in rest))

        return guard, self._interned(self._conditions, {"all": [c for c, _ in rest]}, compile_rest, reads)

    def _interned(self, table: dict[str, tuple[Predicate, tuple[str, ...]]], node: Any,
                  compile: Callable[[set[str]], Predicate], reads: set[str]) -> Predicate:
        key = repr(node)
        found = table.get(key)
        if found is not None:
            reads.update(found[1])
            return found[0]
        own: set[str] = set()
        predicate = compile(own)
        table[key] = (predicate, tuple(own))
        reads.update(own)
        return predicate


def describe(node: Any) -> str:
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
    if op == "exists":
        return f"{node['fact']} is set" if value else f"{node['fact']} is empty"
    shown = "[" + ", ".join(map(as_yaml, value)) + "]" if isinstance(value, list) else as_yaml(value)
    if op.startswith("count_"):
        return f"count of {node['fact']} {_SYMBOLS[op]} {shown}"
    return f"{node['fact']} {_SYMBOLS[op]} {shown}"


def _paren(node: Any) -> str:
    text = describe(node)
    return f"({text})" if ("all" in node or "any" in node) and " " in text else text
