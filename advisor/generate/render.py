"""Rendering a stack's templates into {relative path: content}. Pure; reads only templates.

A stack is a directory under templates/ with `files.yaml`, the list of files it makes:

    - path: proxy.ts            # where it goes in the project (may use {{ }} for a name)
      template: proxy.ts.j2     # relative to the stack directory, or common/...
      when: next16              # optional: a name in `features`, or `not NAME`

Escaping is explicit and per target language; there is no autoescape to lean on, and
StrictUndefined makes a misspelt variable a render error instead of an empty string.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Any

from advisor.errors import UserError
from advisor.markdown import inline, link

STACKS = ("nextjs", "fastapi")


def default_templates_dir() -> Path:
    here = Path(__file__).resolve().parent.parent
    installed = here / "_data" / "templates"
    return installed if installed.is_dir() else here.parent / "templates"


# ------------------------------------------------------------------ escaping filters


def js_string(value: Any) -> str:
    """A JavaScript/TypeScript string literal that is also safe inside JSX and <script>."""
    text = json.dumps(str(value), ensure_ascii=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


_PY_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def py_string(value: Any) -> str:
    """A double-quoted Python string literal in plain ASCII; every character reads back
    exactly (\\x, \\u or \\U escapes, never surrogate pairs)."""
    out = ['"']
    for ch in str(value):
        code = ord(ch)
        if ch in _PY_ESCAPES:
            out.append(_PY_ESCAPES[ch])
        elif 0x20 <= code < 0x7F:
            out.append(ch)
        elif code <= 0xFF:
            out.append(f"\\x{code:02x}")
        elif code <= 0xFFFF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    out.append('"')
    return "".join(out)


def json_value(value: Any, indent: int | None = None) -> str:
    return json.dumps(value, ensure_ascii=False, indent=indent)


def comment_text(value: Any) -> str:
    """Text for a // or # comment: one line, no control characters, no comment terminators."""
    printable = "".join(ch if ch.isprintable() else " " for ch in str(value))
    return " ".join(printable.split()).replace("*/", "* /")


def ident(value: Any) -> str:
    """A safe identifier fragment (letters, digits, _), e.g. for function names."""
    cleaned = re.sub(r"[^A-Za-z0-9_]", "_", str(value))
    return cleaned if cleaned and not cleaned[0].isdigit() else f"_{cleaned}"


def pascal(value: Any) -> str:
    return "".join(part.capitalize() for part in re.split(r"[^A-Za-z0-9]+", str(value)) if part) or "X"


FILTERS = {
    "js": js_string,
    "py": py_string,
    "json": json_value,
    "md": inline,
    "mdlink": link,
    "comment": comment_text,
    "ident": ident,
    "pascal": pascal,
}


@lru_cache(maxsize=4)
def _environment(templates_dir: Path):
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir)),
        # No bytecode cache: Jinja's FileSystemBytecodeCache unpickles (runs) whatever a cache
        # directory holds, and caches are shared and restored across branches. Compiling the
        # templates on every run is the price of never executing a file we did not ship.
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(FILTERS)
    return env


@lru_cache(maxsize=8)
def _files(templates_dir: Path, stack: str) -> list[dict[str, Any]]:
    from advisor.yamlio import load_fast, read_text

    path = templates_dir / stack / "files.yaml"
    entries = load_fast(read_text(path, what="template list"), str(path))
    if not isinstance(entries, list):
        raise UserError("files.yaml must be a list of {path, template, when}", field=str(path))
    return entries


def _applies(when: str | None, features: dict[str, bool]) -> bool:
    if not when:
        return True
    negate = when.startswith("not ")
    name = when.removeprefix("not ").strip()
    if name not in features:
        raise UserError(f"templates: unknown feature {name!r} in files.yaml", allowed=", ".join(features))
    return features[name] != negate


def safe_relpath(path: str) -> str:
    """Normalise a generated path; refuse anything that could leave the output directory."""
    if not path or "\\" in path or "\x00" in path or len(path) > 1000:
        raise UserError(f"refusing generated path {path!r}")
    pure = PurePosixPath(path)
    if pure.is_absolute() or any(part in ("..", ".", "") for part in pure.parts) or pure.parts[0] == ".clerk-advisor":
        raise UserError(f"refusing generated path {path!r}: it would leave the output directory")
    return str(pure)


def _path(env, entry: dict[str, Any], ctx: dict[str, Any]) -> str:
    path = entry["path"]
    return safe_relpath(env.from_string(path).render(ctx) if "{{" in path else path)


@dataclass(frozen=True)
class FileOptions:
    """What files.yaml says about how rendered files meet an existing project.

    `replaces`: {new path: [old paths]}: a renamed file (Next 15 middleware.ts -> Next 16
    proxy.ts) carries the user's edits across instead of leaving two files that cannot
    coexist. `once`: paths written only when missing (tools rewrite them, e.g. Next's
    next-env.d.ts), never updated or reported as changed by the user.
    """

    replaces: dict[str, list[str]]
    once: frozenset[str]


def file_options(stack: str, ctx: dict[str, Any], templates_dir: Path | None = None) -> FileOptions:
    tdir = templates_dir or default_templates_dir()
    env = _environment(tdir)
    replaces: dict[str, list[str]] = {}
    once: set[str] = set()
    for entry in _files(tdir, stack):
        if not _applies(entry.get("when"), ctx["features"]):
            continue
        if entry.get("replaces"):
            replaces[_path(env, entry, ctx)] = [safe_relpath(p) for p in entry["replaces"]]
        if entry.get("once"):
            once.add(_path(env, entry, ctx))
    return FileOptions(replaces, frozenset(once))


def render_template(name: str, ctx: dict[str, Any], templates_dir: Path | None = None) -> str:
    """One template by its name below templates/ (e.g. `fastapi/adopt/install.py.j2`)."""
    return _environment(templates_dir or default_templates_dir()).get_template(name).render(ctx)


def render(stack: str, ctx: dict[str, Any], templates_dir: Path | None = None) -> dict[str, str]:
    """{relative path: content} for a stack, in files.yaml order."""
    if stack not in STACKS:
        raise UserError(f"unknown stack {stack!r}", allowed=", ".join(STACKS))
    tdir = templates_dir or default_templates_dir()
    env = _environment(tdir)
    out: dict[str, str] = {}
    for entry in _files(tdir, stack):
        if not _applies(entry.get("when"), ctx["features"]):
            continue
        rel = _path(env, entry, ctx)
        template = entry["template"]
        name = template if template.startswith("common/") else f"{stack}/{template}"
        out[rel] = render_template(name, ctx, tdir)
    return out
