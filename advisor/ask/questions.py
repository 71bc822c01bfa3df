"""The questionnaire, read from the Requirements model: no second list of questions.

Every leaf field of the model is one `Question`: its description is the text a person
reads, its title the short label of the summary, its type picks the prompt (a Literal is
a single choice, a list of a Literal a multi-select, a bool a yes/no, an int a number, a
free list comma-separated text), and its `when` metadata says when it matters at all.
Sections follow `advisor.requirements.SECTIONS`; a top-level scalar such as `audience`
joins the section after it ("Audience and users"). Pure: no I/O, no terminal.
"""

from __future__ import annotations

import copy
import re
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from advisor.requirements.model import SECTIONS, RequirementsModel

Kind = Literal["select", "checkbox", "confirm", "integer", "text", "list"]
"""select: one of a Literal's values; checkbox: any of them; confirm: a bool;
integer: an int typed as text; text: a str; list: a free list of str, comma-separated."""


@dataclass(frozen=True)
class Question:
    path: tuple[str, ...]
    title: str
    text: str
    kind: Kind
    choices: tuple[Any, ...] = ()
    nullable: bool = False
    when: Mapping[str, Any] = field(default_factory=dict)
    # A choice offered only when its condition holds (organization events need organizations).
    choices_when: Mapping[Any, Mapping[str, Any]] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return ".".join(self.path)

    def applies(self, data: Mapping[str, Any]) -> bool:
        """Can the answer matter, given the other answers? (the field's `when` metadata)"""
        return _all_hold(self.when, data)

    def offered(self, data: Mapping[str, Any]) -> Question:
        """The question with the choices that can matter given the other answers; a choice
        already in the current value stays, so nothing is dropped unseen."""
        if not self.choices_when:
            return self
        current = get_path(data, self.path)
        chosen = current if isinstance(current, list) else [current]
        choices = tuple(c for c in self.choices
                        if c in chosen or c not in self.choices_when or _all_hold(self.choices_when[c], data))
        return replace(self, choices=choices)

    def parse(self, typed: str) -> Any:
        """Turn typed text into the candidate value. What does not parse is passed on
        unchanged, so validation refuses it with the loader's own message."""
        typed = typed.strip()
        if self.kind == "integer":
            if typed == "" and self.nullable:
                return None
            # People group thousands: 5,000 or 5 000 or 5_000 is five thousand.
            if re.fullmatch(r"[+-]?\d+|[+-]?\d{1,3}(?:([,_ '])\d{3})(?:\1\d{3})*", typed):
                return int(re.sub(r"[,_ ']", "", typed))
            return typed
        if self.kind == "list":
            return [part.strip() for part in typed.split(",") if part.strip()]
        if self.kind == "text" and typed == "" and self.nullable:
            return None
        return typed

    def typed(self, value: Any) -> str:
        """The text a text prompt starts with for `value` (the inverse of `parse`)."""
        if value is None:
            return ""
        if self.kind == "list":
            return ", ".join(map(str, value))
        return str(value)


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    explanation: str
    questions: tuple[Question, ...]


def _all_hold(when: Mapping[str, Any], data: Mapping[str, Any]) -> bool:
    if set(when) == {"any"}:
        return any(_all_hold(one, data) for one in when["any"])
    return all(_holds(get_path(data, tuple(p.split("."))), cond) for p, cond in when.items())


def _holds(value: Any, cond: Any) -> bool:
    if isinstance(cond, Mapping):
        if "not" in cond:
            return value != cond["not"]
        if "in" in cond:
            return value in cond["in"]
        raise ValueError(f"unknown `when` operator in {cond!r}")
    return value == cond


def get_path(data: Mapping[str, Any], path: tuple[str, ...]) -> Any:
    node: Any = data
    for part in path:
        node = node[part]
    return node


def with_value(data: Mapping[str, Any], path: tuple[str, ...], value: Any) -> dict[str, Any]:
    """A copy of `data` with `value` at `path`."""
    out = copy.deepcopy(dict(data))
    node = out
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    return out


def _unwrap(annotation: Any) -> tuple[Any, bool, bool]:
    """(element annotation, is_list, nullable)."""
    nullable = False
    if get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        nullable = len(args) < len(get_args(annotation))
        if len(args) != 1:
            raise TypeError(f"cannot ask for a union of {args}")
        annotation = args[0]
    if get_origin(annotation) is list:
        return get_args(annotation)[0], True, nullable
    return annotation, False, nullable


def _question(path: tuple[str, ...], info: FieldInfo) -> Question | None:
    element, is_list, nullable = _unwrap(info.annotation)
    choices: tuple[Any, ...] = get_args(element) if get_origin(element) is Literal else ()
    if choices and len(choices) == 1 and not is_list:
        return None  # one possible value (the schema version): nothing to ask
    if choices:
        kind: Kind = "checkbox" if is_list else "select"
    elif is_list:
        kind = "list"
    elif element is bool:
        kind = "confirm"
    elif element is int:
        kind = "integer"
    elif element is str:
        kind = "text"
    else:
        raise TypeError(f"no prompt for field {'.'.join(path)} of type {info.annotation!r}")
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, Mapping) else {}
    condition = extra.get("when") or {}
    if not isinstance(condition, Mapping):
        raise TypeError(f"`when` of {'.'.join(path)} must be a mapping, not {condition!r}")
    choices_when = extra.get("choices_when") or {}
    if not isinstance(choices_when, Mapping):
        raise TypeError(f"`choices_when` of {'.'.join(path)} must map choices to conditions")
    return Question(
        path=path,
        title=info.title or path[-1].replace("_", " ").capitalize(),
        text=info.description or info.title or path[-1],
        kind=kind,
        choices=choices,
        nullable=nullable,
        when=dict(condition),
        choices_when={choice: cond for choice, cond in choices_when.items() if isinstance(cond, Mapping)},
    )


def _is_section(info: FieldInfo) -> bool:
    return isinstance(info.annotation, type) and issubclass(info.annotation, BaseModel)


def _explanation(doc: str | None) -> str:
    first = (doc or "").strip().split("\n\n", 1)[0]
    return " ".join(first.split())


def _label(key: str) -> str:
    return key.replace("_", " ")


def build_sections(model: type[BaseModel] = RequirementsModel) -> tuple[Section, ...]:
    """The questionnaire for `model`, in the order of SECTIONS, then any other fields.

    A top-level scalar joins the section that follows it; trailing scalars form their own.
    """
    fields = {(info.alias or name): info for name, info in model.model_fields.items()}
    order = [k for k in SECTIONS if k in fields] + [k for k in fields if k not in SECTIONS]
    sections: list[Section] = []
    pending: list[tuple[str, FieldInfo]] = []
    for key in order:
        info = fields[key]
        if not _is_section(info):
            pending.append((key, info))
            continue
        sub: type[BaseModel] = info.annotation  # type: ignore[assignment]
        questions = [q for k, i in pending if (q := _question((k,), i))]
        questions += [q for n, i in sub.model_fields.items() if (q := _question((key, i.alias or n), i))]
        names = [_label(k) for k, i in pending if _question((k,), i)] + [_label(key)]
        title = " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)
        sections.append(Section(key, title[:1].upper() + title[1:], _explanation(sub.__doc__), tuple(questions)))
        pending = []
    for key, info in pending:
        q = _question((key,), info)
        if q is not None:
            sections.append(Section(key, q.title, q.text, (q,)))
    return tuple(sections)


def all_questions(sections: tuple[Section, ...]) -> tuple[Question, ...]:
    return tuple(q for s in sections for q in s.questions)
