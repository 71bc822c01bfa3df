"""The requirements file as text: a new one with comments, or an edit of the user's own.

A new file holds every field, each section under a comment taken from its model's
docstring, and each short choice field with its allowed values as an end-of-line
comment: it documents itself for hand-editing. An existing file is edited in place, as
text, by `advisor.ask.edit`: only changed values differ.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

from advisor.ask.edit import updated_document
from advisor.ask.questions import Section, get_path

__all__ = ["new_document", "updated_document"]

HEADER = (
    "clerk-advisor requirements, schema 1. `clerk-advisor ask` edits this file in place and\n"
    "keeps your comments; a key you leave out takes its default.\n"
    "Then: `clerk-advisor recommend`."
)

# Lists of choices longer than this are not spelled out in an end-of-line comment.
_MAX_EOL_CHOICES = 8


def _yaml():
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt", pure=True)
    yaml.width = 4096
    yaml.representer.add_representer(
        type(None), lambda rep, _: rep.represent_scalar("tag:yaml.org,2002:null", "null"))
    return yaml


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


def _fresh(value: Any) -> Any:
    return _flow(list(value)) if isinstance(value, list) else value
