"""Parsers for the two shapes of GET /v2/context: `type=txt` and `type=json`.

Both are tolerant: a missing title, source or code block gives a snippet without it, and
unknown fields are ignored. Neither parser raises on odd text; `parse_json` raises
MalformedResponseError only when the body is not JSON at all or not an object.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from advisor.docs.errors import MalformedResponseError

SEPARATOR = "-" * 32
_LEGACY_SEPARATOR = "-" * 40  # the v1 txt format separated snippets with 40 dashes
_FENCE = re.compile(r"^\s*(```+|~~~+)\s*([\w+#.-]*)")
_LEGACY_FIELD = re.compile(r"^(TITLE|DESCRIPTION|SOURCE|LANGUAGE|CODE):\s?(.*)$")
_URL = re.compile(r"^[a-z][a-z0-9+.-]*://\S+$", re.IGNORECASE)


@dataclass(frozen=True)
class Snippet:
    """One documentation snippet, whichever format it came in."""

    title: str = ""
    source_url: str | None = None
    description: str = ""
    code: str = ""
    language: str = ""

    @property
    def text(self) -> str:
        """The prose of the snippet, or its code when it has no prose."""
        return self.description or self.code


def split_txt(text: str) -> list[str]:
    """Split a txt body into snippet blocks.

    A separator is a line of exactly 32 dashes (40 in the legacy format) with a blank
    line, or the start or end of the text, on each side, outside any code fence.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    blocks: list[list[str]] = [[]]
    fence: str | None = None
    for i, line in enumerate(lines):
        stripped = line.strip()
        match = _FENCE.match(line)
        if match:
            marker = match.group(1)
            if fence is None:
                fence = marker[:3]
            elif marker.startswith(fence) and not match.group(2):
                fence = None
        elif fence is None and stripped in (SEPARATOR, _LEGACY_SEPARATOR):
            before = i == 0 or not lines[i - 1].strip()
            after = i == len(lines) - 1 or not lines[i + 1].strip()
            if before and after:
                blocks.append([])
                continue
        blocks[-1].append(line)
    return [block for block in ("\n".join(b).strip() for b in blocks) if block]


def _parse_block(block: str) -> Snippet:
    title = ""
    source: str | None = None
    prose: list[str] = []
    code: list[str] = []
    language = ""
    fence: str | None = None
    seen_code = False
    for line in block.split("\n"):
        match = _FENCE.match(line)
        if fence is not None:
            if match and match.group(1).startswith(fence) and not match.group(2):
                fence = None
            else:
                code.append(line)
            continue
        if match:
            fence = match.group(1)[:3]
            if seen_code:
                code.append("")
            seen_code = True
            language = language or match.group(2)
            continue
        stripped = line.strip()
        legacy = _LEGACY_FIELD.match(stripped)
        if not title and stripped.startswith("#") and not prose and not seen_code:
            title = stripped.lstrip("#").strip()
        elif source is None and stripped.lower().startswith("source:"):
            candidate = stripped.split(":", 1)[1].strip()
            source = candidate or None
        elif legacy:
            field, value = legacy.groups()
            if field == "TITLE" and not title:
                title = value.strip()
            elif field == "SOURCE" and source is None:
                source = value.strip() or None
            elif field == "LANGUAGE":
                language = language or value.strip()
            elif field == "DESCRIPTION":
                prose.append(value)
        elif not seen_code:
            prose.append(line)
        else:
            # Prose after the code block still describes the snippet.
            prose.append(line)
    description = "\n".join(prose).strip()
    return Snippet(
        title=title,
        source_url=source,
        description=re.sub(r"\n{3,}", "\n\n", description),
        code="\n".join(code).strip("\n"),
        language=language,
    )


def parse_txt(text: str) -> list[Snippet]:
    """Snippets of a `type=txt` body. An empty body gives an empty list."""
    snippets = [_parse_block(block) for block in split_txt(text)]
    return [s for s in snippets if s.title or s.description or s.code]


def _str(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _url(value: Any) -> str | None:
    text = _str(value)
    return text if _URL.match(text) else None


def parse_json(body: str | bytes) -> list[Snippet]:
    """Snippets of a `type=json` body: code snippets first, then info snippets."""
    if isinstance(body, bytes):
        body = body.decode("utf-8", errors="replace")
    if not body.strip():
        return []
    try:
        data = json.loads(body)
    except json.JSONDecodeError as exc:
        raise MalformedResponseError(f"docs JSON could not be parsed ({exc.msg} at line {exc.lineno})") from None
    if not isinstance(data, dict):
        raise MalformedResponseError("docs JSON is not an object")
    return snippets_from_json(data)


def snippets_from_json(data: dict[str, Any]) -> list[Snippet]:
    snippets: list[Snippet] = []
    for item in data.get("codeSnippets") or []:
        if not isinstance(item, dict):
            continue
        code_parts: list[str] = []
        language = _str(item.get("codeLanguage"))
        for entry in item.get("codeList") or []:
            if isinstance(entry, dict) and _str(entry.get("code")):
                code_parts.append(entry["code"].strip("\n"))
                language = language or _str(entry.get("language"))
        snippet = Snippet(
            title=_str(item.get("codeTitle")) or _str(item.get("pageTitle")),
            source_url=_url(item.get("codeId")) or _url(item.get("pageId")) or _url(item.get("source")),
            description=_str(item.get("codeDescription")),
            code="\n\n".join(code_parts),
            language=language,
        )
        if snippet.title or snippet.description or snippet.code:
            snippets.append(snippet)
    for item in data.get("infoSnippets") or []:
        if not isinstance(item, dict):
            continue
        content = _str(item.get("content"))
        if not content:
            continue
        breadcrumb = _str(item.get("breadcrumb"))
        title = breadcrumb.split(">")[-1].strip() if breadcrumb else ""
        snippets.append(
            Snippet(
                title=title or content.split("\n", 1)[0].lstrip("#").strip()[:120],
                source_url=_url(item.get("pageId")) or _url(item.get("source")),
                description=content,
            )
        )
    return snippets


def parse_docs(body: str, doc_type: str) -> list[Snippet]:
    """Dispatch on the format the body was requested in."""
    return parse_json(body) if doc_type == "json" else parse_txt(body)
