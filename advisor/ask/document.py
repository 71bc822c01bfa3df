"""The requirements file as text: a new one with comments, or an edit of the user's own.

A new file holds every field, each section under a comment taken from its model's
docstring, and each short choice field with its allowed values as an end-of-line
comment: it documents itself for hand-editing.

An existing file is edited through ruamel.yaml's round-trip document, so what the user
wrote survives: comments, key order, quoting, flow or block lists. The rules:

- a key the user wrote stays, and its value changes only when the answer changed, even
  when the new answer equals the default (the user chose to spell it out);
- a key the user did not write is added only when the answer differs from the default,
  at its place in the model's order (a missing section comes with its comment);
- a changed list keeps its flow/block style and the end-of-line comments of items that
  remain;
- comment lines that ruamel keeps after the entry where something is inserted (in YAML
  they belong to the entry that follows) are moved after the inserted entry.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

from advisor.ask.questions import Section, get_path

HEADER = (
    "clerk-advisor requirements, schema 1. `clerk-advisor ask` edits this file in place and\n"
    "keeps your comments; a key you leave out takes its default.\n"
    "Then: `clerk-advisor recommend`."
)

# Lists of choices longer than this are not spelled out in an end-of-line comment.
_MAX_EOL_CHOICES = 8


def _yaml(text: str | None = None):
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt", pure=True)
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap the user's long lines
    yaml.representer.add_representer(
        type(None), lambda rep, _: rep.represent_scalar("tag:yaml.org,2002:null", "null"))
    if text is not None:
        indent, offset = _guess_indent(text)
        yaml.indent(mapping=indent, sequence=indent, offset=offset)
        yaml.explicit_start = text.lstrip().startswith("---")
    return yaml


def _guess_indent(text: str) -> tuple[int, int]:
    from ruamel.yaml.util import load_yaml_guess_indent

    _, indent, offset = load_yaml_guess_indent(text)  # the loader has accepted this text
    return (indent or 2), (offset or 0)


def _dump(yaml, doc: Any) -> str:
    out = io.StringIO()
    yaml.dump(doc, out)
    return out.getvalue()


def _flow(values: list[Any]):
    from ruamel.yaml.comments import CommentedSeq

    seq = CommentedSeq(values)
    seq.fa.set_flow_style()
    return seq


def _choices_comment(question) -> str | None:
    if question.kind not in ("select", "checkbox") or len(question.choices) > _MAX_EOL_CHOICES:
        return None
    values = [str(c) for c in question.choices]
    return " | ".join(values) if question.kind == "select" else "any of: " + ", ".join(values)


def new_document(data: Mapping[str, Any], sections: tuple[Section, ...]) -> str:
    """A complete requirements file for `data`, commented from the model."""
    from ruamel.yaml.comments import CommentedMap

    doc = CommentedMap()
    doc["schema"] = data["schema"]
    doc.yaml_set_start_comment(HEADER)
    eol: list[tuple[CommentedMap, str, str]] = []
    for section in sections:
        for number, question in enumerate(section.questions):
            head, key = question.path[0], question.path[-1]
            parent = doc if len(question.path) == 1 else doc.setdefault(head, CommentedMap())
            parent[key] = _fresh(get_path(data, question.path))
            if number == 0:
                _section_comment(doc, head, section)
            if (comment := _choices_comment(question)) is not None:
                eol.append((parent, key, comment))
    text = _dump(_yaml(), doc)
    # Align the end-of-line comments of a file we write ourselves: measure, then dump again.
    width = max((len(line) for line in text.splitlines() if not line.startswith("#")), default=0)
    for parent, key, comment in eol:
        parent.yaml_add_eol_comment(comment, key, column=min(width + 2, 48))
    return _dump(_yaml(), doc)


def _section_comment(parent, key: str, section: Section) -> None:
    parent.yaml_set_comment_before_after_key(key, before=f"\n{section.title}: {section.explanation}", indent=0)


def updated_document(text: str, data: Mapping[str, Any], defaults: Mapping[str, Any],
                     sections: tuple[Section, ...]) -> str:
    """`text` (a valid requirements file) with the values of `data`, edited in place."""
    crlf = "\r\n" in text
    text = text.replace("\r\n", "\n")
    yaml = _yaml(text)
    doc = yaml.load(text)
    model_order = _model_order(sections)
    for section in sections:
        for question in section.questions:
            value = get_path(data, question.path)
            differs = value != get_path(defaults, question.path)
            parent = doc
            for depth, part in enumerate(question.path[:-1]):
                if part not in parent:
                    if differs:  # a whole mapping is missing: add it, holding this one key
                        _insert(parent, part, _nested(question.path[depth + 1:], value),
                                model_order[question.path[:depth]])
                        _section_comment(parent, part, section)
                    break
                parent = parent[part]
            else:
                key = question.path[-1]
                if key in parent:
                    if parent[key] != value:
                        _replace(parent, key, value)
                elif differs:
                    _insert(parent, key, _fresh(value), model_order[question.path[:-1]])
    out = _dump(yaml, doc)
    return out.replace("\n", "\r\n") if crlf else out


def _fresh(value: Any) -> Any:
    return _flow(list(value)) if isinstance(value, list) else value


def _nested(path: tuple[str, ...], value: Any):
    from ruamel.yaml.comments import CommentedMap

    node = CommentedMap()
    node[path[0]] = _nested(path[1:], value) if len(path) > 1 else _fresh(value)
    return node


def _model_order(sections: tuple[Section, ...]) -> dict[tuple[str, ...], list[str]]:
    """For each mapping (by path), its keys in the model's order."""
    order: dict[tuple[str, ...], list[str]] = {(): ["schema"]}
    for section in sections:
        for question in section.questions:
            for depth in range(len(question.path)):
                keys = order.setdefault(question.path[:depth], [])
                if question.path[depth] not in keys:
                    keys.append(question.path[depth])
    return order


def _insert(parent, key: str, value: Any, order: list[str]) -> None:
    rank = order.index(key)
    keys = list(parent.keys())
    index = next((i for i, k in enumerate(keys) if k in order and order.index(k) > rank), len(keys))
    moved = _detach_following(parent, keys[index - 1]) if index > 0 else ""
    parent.insert(index, key, value)
    if moved:
        _attach_following(parent, key, moved)


def _replace(parent, key: str, value: Any) -> None:
    from ruamel.yaml.comments import CommentedSeq

    old = parent[key]
    if not isinstance(value, list):
        parent[key] = value
        return
    moved = _detach_following(parent, key)
    flow = not isinstance(old, CommentedSeq) or old.fa.flow_style() or not value
    seq = CommentedSeq(value)
    if flow:
        seq.fa.set_flow_style()
    elif isinstance(old, CommentedSeq):
        for new_index, item in enumerate(value):
            if item in old:
                token = old.ca.items.get(old.index(item), [None])[0]
                head = _split(token.value)[0] if token is not None else ""
                if head.lstrip().startswith("#"):
                    seq.ca.items[new_index] = [_token(head, token.column), None, None, None]
    parent[key] = seq
    if moved:
        _attach_following(parent, key, moved)


# ruamel keeps the comment lines that follow an entry (and usually belong to the next
# one) in the comment token of the deepest last entry of its value: index 2 of a map
# key's slot, index 0 of a sequence item's slot. The first line of that token is the
# entry's own end-of-line comment (or just its line end).

def _slots(container, key):
    """(container, key, slot index) from `container[key]` down to its deepest last entry."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    chain = [(container, key, 2 if isinstance(container, CommentedMap) else 0)]
    value = container[key]
    while isinstance(value, (CommentedMap, CommentedSeq)) and len(value) and not value.fa.flow_style():
        last = list(value.keys())[-1] if isinstance(value, CommentedMap) else len(value) - 1
        chain.append((value, last, 2 if isinstance(value, CommentedMap) else 0))
        value = value[last]
    return chain


def _split(text: str) -> tuple[str, str]:
    head, sep, rest = text.partition("\n")
    return head + sep, rest


def _detach_following(container, key) -> str:
    for node, k, slot in reversed(_slots(container, key)):
        entry = node.ca.items.get(k)
        token = entry[slot] if entry and len(entry) > slot else None
        if token is None:
            continue
        head, rest = _split(token.value)
        if rest:
            token.value = head
            return rest
    return ""


def _attach_following(container, key, text: str) -> None:
    node, k, slot = _slots(container, key)[-1]
    entry = node.ca.items.setdefault(k, [None, None, None, None])
    token = entry[slot]
    if token is None:
        entry[slot] = _token("\n" + text, 0)
    else:
        head = token.value if token.value.endswith("\n") else token.value + "\n"
        token.value = head + text


def _token(value: str, column: int):
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.tokens import CommentToken

    return CommentToken(value, CommentMark(column))
