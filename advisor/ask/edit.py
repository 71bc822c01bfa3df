"""Editing the user's requirements file in place, as text: only changed values differ.

A YAML emitter re-indents everything it writes with one style, so a file with 2-space
mappings and 4-space lists, comments at hand-picked columns, CRLF line ends or a BOM
would come back reformatted. Instead, the file is composed (not loaded) to learn where
each value is, and only those spans are rewritten; every other byte stays. The rules:

- a key the user wrote keeps its place and spelling; its value is rewritten only when the
  answer changed, in the value's own style (plain or quoted, flow `[a, b]` or block
  `- a` lines at the list's own dash column, with the end-of-line comments of items that
  remain);
- an end-of-line comment after a changed value keeps its column while there is room;
- a key the user did not write is added only when its answer differs from the default:
  after the key before it in the model's order, at the indentation of its siblings (a
  missing section comes with its comment, indented as the file indents its mappings);
  comment lines below that key belong to the key that follows them and stay before it;
- new lines use the file's line ends.
"""

from __future__ import annotations

import io
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from advisor.ask.questions import Question, Section, get_path


@dataclass
class _Edit:
    start: int
    end: int
    text: str


def updated_document(text: str, data: Mapping[str, Any], defaults: Mapping[str, Any],
                     sections: tuple[Section, ...]) -> str:
    """`text` (a requirements file the loader accepts) with the values of `data`."""
    return _Editor(text, sections).apply(data, defaults)


class _Editor:
    def __init__(self, text: str, sections: tuple[Section, ...]) -> None:
        from ruamel.yaml import YAML

        self.text = text
        self.sections = sections
        self.nl = "\r\n" if "\r\n" in text else "\n"
        self.root = YAML(typ="rt", pure=True).compose(io.StringIO(text))
        self.edits: list[_Edit] = []
        self.order = _model_order(sections)
        self.step = _mapping_step(self.root)

    # ------------------------------------------------------------------ driving

    def apply(self, data: Mapping[str, Any], defaults: Mapping[str, Any]) -> str:
        for section in self.sections:
            missing: list[Question] = []
            for question in section.questions:
                value = get_path(data, question.path)
                differs = value != get_path(defaults, question.path)
                parent = self.root
                for part in question.path[:-1]:
                    found = _child(parent, part)
                    if found is None:
                        parent = None
                        break
                    parent = found[1]
                if parent is None:
                    if differs:
                        missing.append(question)
                    continue
                key = question.path[-1]
                found = _child(parent, key)
                if found is not None:
                    if _plain(found[1]) != value:
                        self._replace(found[0], found[1], value)
                elif differs:
                    self._insert_key(parent, question.path[:-1], key, _flow_text(value, None))
            if missing:
                self._insert_section(section, missing, data)
        return self._spliced()

    def _spliced(self) -> str:
        self._keep_comment_columns()
        out = self.text
        # From the end, so earlier positions stay valid; inserts at one place keep their order.
        for edit in sorted(self.edits, key=lambda e: (e.start, e.end), reverse=True):
            out = out[:edit.start] + edit.text + out[edit.end:]
        return out

    def _keep_comment_columns(self) -> None:
        """An end-of-line comment after changed values keeps its column while the line
        leaves room (at least one space before it)."""
        lines: dict[int, list[_Edit]] = {}
        for edit in self.edits:
            if "\n" not in edit.text and "\n" not in self.text[edit.start:edit.end]:
                lines.setdefault(_line_start(self.text, edit.start), []).append(edit)
        for line, edits in lines.items():
            last = max(e.end for e in edits)
            gap = _comment_gap(self.text, last)
            shift = sum(len(e.text) - (e.end - e.start) for e in edits)
            if gap is None or shift == 0:
                continue
            start, end = gap
            spaces = max(1, (end - line) - (start - line + shift))
            self.edits.append(_Edit(start, end, " " * spaces))

    def _edit(self, start: int, end: int, text: str) -> None:
        for edit in self.edits:
            if edit.start == edit.end == start == end:
                edit.text += text  # a second insert at the same place goes after the first
                return
        self.edits.append(_Edit(start, end, text))

    # ------------------------------------------------------------------ values

    def _replace(self, key_node: Any, node: Any, value: Any) -> None:
        from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

        if isinstance(node, SequenceNode) and not node.flow_style and isinstance(value, list):
            self._replace_block_list(key_node, node, value)
        elif isinstance(node, (MappingNode, SequenceNode)) and not node.flow_style and node.value:
            # A block value of the wrong shape (a repaired answer): the new one on the key's line.
            colon = self.text.index(":", key_node.end_mark.index)
            self._edit(colon + 1, _last_index(node), " " + _flow_text(value, None))
        elif isinstance(node, SequenceNode) and isinstance(value, list):
            self._replace_span(node.start_mark.index, node.end_mark.index, self._flow_list(node, value))
        elif isinstance(node, ScalarNode) and node.value == "" and node.style is None:
            # `key:` with nothing after it (an implicit null): the value goes after the colon.
            colon = self.text.index(":", key_node.end_mark.index)
            self._replace_span(colon + 1, colon + 1, " " + _flow_text(value, None))
        else:
            style = node.style if isinstance(node, ScalarNode) else None
            self._replace_span(node.start_mark.index, node.end_mark.index, _flow_text(value, style))

    def _replace_span(self, start: int, end: int, new: str) -> None:
        self._edit(start, end, new)

    def _flow_list(self, node: Any, value: list[Any]) -> str:
        """A flow list with the items that remain spelled as they were."""
        spelled = {_plain(item): self.text[item.start_mark.index:item.end_mark.index] for item in node.value}
        style = next((item.style for item in node.value if item.style), None)
        inner = ", ".join(spelled.get(v) or _flow_text(v, style) for v in value)
        original = self.text[node.start_mark.index:node.end_mark.index]
        pad = " " if original.startswith("[ ") and original.endswith(" ]") and inner else ""
        return f"[{pad}{inner}{pad}]"

    def _replace_block_list(self, key_node: Any, node: Any, value: list[Any]) -> None:
        items = list(node.value)
        first = _line_start(self.text, items[0].start_mark.index)
        last = _next_line(self.text, items[-1].end_mark.index)
        if not value:
            # An emptied block list becomes `key: []`; the lines of its items go.
            colon = self.text.index(":", key_node.end_mark.index)
            self._replace_span(colon + 1, colon + 1, " []")
            self._edit(first, last, "")
            return
        lines: dict[Any, str] = {}
        gone: list[tuple[Any, int]] = []  # items the new list drops, with where their line starts
        start = first
        for item in items:
            end = _next_line(self.text, item.end_mark.index)
            chunk = self.text[start:end]  # the item's line, with the comment lines above it
            lines.setdefault(_plain(item), chunk if chunk.endswith("\n") else chunk + self.nl)
            if _plain(item) not in value:
                gone.append((item, start))
            start = end
        dash = self.text[first:items[0].start_mark.index]
        dash = dash[:dash.rindex("-") + 1] + " " if "-" in dash else "- "
        style = next((item.style for item in items if item.style), None)

        def line_of(v: Any) -> str:
            if v in lines:
                return lines[v]
            respelt = next((g for g in gone if _same_word(g[0], v)), None)
            if respelt is not None:  # a corrected spelling keeps its place and its comment
                gone.remove(respelt)
                item, at = respelt
                chunk = lines[_plain(item)]
                start, end = item.start_mark.index - at, item.end_mark.index - at
                return _respelled(chunk, start, end, _flow_text(v, item.style))
            return f"{dash}{_flow_text(v, style)}{self.nl}"

        new = "".join(line_of(v) for v in value)
        if not self.text[first:last].endswith("\n"):  # the list ended the file, without a line end
            new = new[: -len(self.nl)]
        self._edit(first, last, new)

    # ------------------------------------------------------------------ new keys

    def _insert_key(self, parent: Any, path: tuple[str, ...], key: str, value_text: str) -> None:
        pairs = list(parent.value)
        if parent.flow_style:
            self._insert_flow(parent, path, key, f"{key}: {value_text}")
            return
        indent = " " * pairs[0][0].start_mark.column
        self._insert_block(parent, path, key, f"{indent}{key}: {value_text}{self.nl}")

    def _insert_section(self, section: Section, questions: list[Question], data: Mapping[str, Any]) -> None:
        head = questions[0].path[0]
        keys = [(q.path[-1], _flow_text(get_path(data, q.path), None)) for q in questions]
        if self.root.flow_style:
            body = ", ".join(f"{k}: {v}" for k, v in keys)
            self._insert_flow(self.root, (), head, f"{head}: {{{body}}}")
            return
        nl = self.nl
        lines = [f"{nl}# {section.title}: {section.explanation}{nl}{head}:{nl}"]
        lines += [f"{' ' * self.step}{k}: {v}{nl}" for k, v in keys]
        self._insert_block(self.root, (), head, "".join(lines))

    def _previous_sibling(self, parent: Any, path: tuple[str, ...], key: str) -> Any:
        """The last entry of `parent` that comes before `key` in the model's order."""
        order = self.order.get(path, [])
        rank = order.index(key) if key in order else len(order)
        before = [(k, v) for k, v in parent.value if k.value in order and order.index(k.value) < rank]
        return max(before, key=lambda kv: order.index(kv[0].value)) if before else None

    def _insert_block(self, parent: Any, path: tuple[str, ...], key: str, text: str) -> None:
        previous = self._previous_sibling(parent, path, key)
        if previous is not None:
            at = _next_line(self.text, _last_index(previous[1]))
        else:
            # Before the first entry and the comment lines directly above it (they are its own).
            at = _line_start(self.text, parent.value[0][0].start_mark.index)
            while at > 0:
                above = _line_start(self.text, at - 1)
                if not self.text[above:at].lstrip(" \t").startswith("#") or above == at:
                    break
                at = above
        if at == len(self.text) and not self.text.endswith(("\n", "\r")):
            text = self.nl + text
        self._edit(at, at, text)

    def _insert_flow(self, parent: Any, path: tuple[str, ...], key: str, entry: str) -> None:
        previous = self._previous_sibling(parent, path, key)
        if previous is not None:
            self._edit(previous[1].end_mark.index, previous[1].end_mark.index, f", {entry}")
        else:
            brace = parent.start_mark.index + 1
            self._edit(brace, brace, entry + (", " if parent.value else ""))


# ---------------------------------------------------------------------- helpers


def _child(node: Any, key: str) -> tuple[Any, Any] | None:
    from ruamel.yaml.nodes import MappingNode

    if not isinstance(node, MappingNode):
        return None
    return next(((k, v) for k, v in node.value if k.value == key), None)


def _plain(node: Any) -> Any:
    """The Python value of a composed node, resolved as the loader resolves it."""
    from ruamel.yaml.nodes import MappingNode, SequenceNode

    if isinstance(node, SequenceNode):
        return [_plain(item) for item in node.value]
    if isinstance(node, MappingNode):
        return {k.value: _plain(v) for k, v in node.value}
    tag = node.tag.value if hasattr(node.tag, "value") else str(node.tag)
    if tag.endswith(":null"):
        return None
    if tag.endswith(":bool"):
        return node.value.lower() == "true"
    if tag.endswith(":int"):
        try:
            return int(node.value.replace("_", ""), 0)
        except ValueError:
            return node.value
    return node.value


def _flow_text(value: Any, style: str | None) -> str:
    """`value` as YAML on one line: a list in flow style, a string quoted as `style` (or
    plain where YAML reads it back as the same string)."""
    if isinstance(value, list):
        return "[" + ", ".join(_flow_text(v, style) for v in value) + "]"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if style == "'":
        return "'" + text.replace("'", "''") + "'"
    if style == '"':
        return json.dumps(text, ensure_ascii=False)
    return _plain_or_quoted(text)


def _plain_or_quoted(text: str) -> str:
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = True
    yaml.width = 4096
    out = io.StringIO()
    yaml.dump([text], out)
    return out.getvalue().strip()[1:-1]


def _last_index(node: Any) -> int:
    """Where the text of a value ends: its last scalar or flow collection, however deep."""
    from ruamel.yaml.nodes import MappingNode, SequenceNode

    while isinstance(node, (MappingNode, SequenceNode)) and not node.flow_style and node.value:
        last = node.value[-1]
        node = last[1] if isinstance(node, MappingNode) else last
    return node.end_mark.index


def _same_word(item: Any, value: Any) -> bool:
    """Is `value` a corrected spelling of the list item (Finance -> finance, biling -> billing)?"""
    from difflib import SequenceMatcher

    old, new = str(_plain(item)).lower(), str(value).lower()
    return old == new or SequenceMatcher(None, old, new).ratio() >= 0.8


def _respelled(line: str, start: int, end: int, new: str) -> str:
    """`line` with line[start:end] replaced by `new`, its end-of-line comment kept in place."""
    gap = _comment_gap(line, end)
    if gap is None:
        return line[:start] + new + line[end:]
    spaces = max(1, gap[1] - (start + len(new)))
    return line[:start] + new + line[end:gap[0]] + " " * spaces + line[gap[1]:]


def _comment_gap(text: str, index: int) -> tuple[int, int] | None:
    """The blanks before the end-of-line comment of the line of `index`, if it has one
    after `index` (a `#` after a blank, outside quotes)."""
    end = _line_end(text, index)
    quote = None
    for i in range(index, end):
        ch = text[i]
        if quote:
            quote = None if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == "#" and i > index and text[i - 1] in " \t":
            start = i
            while start > index and text[start - 1] in " \t":
                start -= 1
            return start, i
    return None


def _line_start(text: str, index: int) -> int:
    return max(text.rfind("\n", 0, index), -1) + 1


def _line_end(text: str, index: int) -> int:
    """The index of the line break (\\r\\n or \\n) that ends the line of `index`."""
    end = text.find("\n", index)
    end = len(text) if end < 0 else end
    return end - 1 if end > 0 and text[end - 1] == "\r" and end - 1 >= index else end


def _next_line(text: str, index: int) -> int:
    """The start of the line after the one `index` is on (the end of the text on the last)."""
    end = text.find("\n", index)
    return len(text) if end < 0 else end + 1


def _mapping_step(root: Any) -> int:
    """How far the file indents a nested mapping (2 unless it shows otherwise)."""
    from ruamel.yaml.nodes import MappingNode

    if not isinstance(root, MappingNode) or root.flow_style:
        return 2
    for key, value in root.value:
        if isinstance(value, MappingNode) and not value.flow_style and value.value:
            step: int = value.value[0][0].start_mark.column - key.start_mark.column
            if step > 0:
                return step
    return 2


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
