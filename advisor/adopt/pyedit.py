"""Python source moved into another package, and the wiring of an app, through Python's own
tokenizer and `ast`.

The starter's modules live in the package `app` and its tests in `tests`; an existing
project has its own. Adopted, they go into a package of their own (`clerk_auth`), so every
import of `app.X` / `tests.X` among them is renamed, as are the same names in strings and
comments (`monkeypatch.setattr("app.auth.X", ...)`, `uvicorn app.main:app`).
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from dataclasses import dataclass


def rename_modules(source: str, packages: dict[str, str], modules: dict[str, frozenset[str]]) -> str:
    """`packages` maps a starter package to its new dotted name ({"app": "clerk_auth"});
    `modules` names the starter's modules in each, the only ones renamed inside strings
    and comments."""
    lines = source.splitlines(True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))

    def at(point: tuple[int, int]) -> int:  # the tokenizer of a str counts columns in characters
        row, col = point
        return offsets[row - 1] + col if row <= len(lines) else offsets[-1]

    edits: list[tuple[int, int, str]] = []
    tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    dotted_text = _text_pattern(packages, modules)
    for i, token in enumerate(tokens):
        if token.type == tokenize.NAME and token.string in ("import", "from") and _starts_statement(tokens, i):
            edits += [(at(s), at(e), new) for s, e, new in _import_names(tokens, i + 1, packages)]
        elif token.type in (tokenize.STRING, tokenize.COMMENT) or token.type == getattr(tokenize, "FSTRING_MIDDLE",
                                                                                        -1):
            renamed = dotted_text(token.string)
            if renamed != token.string:
                edits.append((at(token.start), at(token.end), renamed))
    out = source
    for start, end, new in sorted(edits, reverse=True):
        out = out[:start] + new + out[end:]
    ast.parse(out)  # still Python
    return out


def _starts_statement(tokens: list[tokenize.TokenInfo], i: int) -> bool:
    j = i - 1
    while j >= 0 and tokens[j].type in (tokenize.INDENT, tokenize.DEDENT, tokenize.NL, tokenize.COMMENT):
        j -= 1
    return j < 0 or tokens[j].type == tokenize.NEWLINE or tokens[j].string == ";"


def _import_names(tokens: list[tokenize.TokenInfo], i: int, packages: dict[str, str]
                  ) -> list[tuple[tuple[int, int], tuple[int, int], str]]:
    """The dotted module names of one import statement that start with a renamed package."""
    found = []
    while i < len(tokens) and tokens[i].type not in (tokenize.NEWLINE, tokenize.ENDMARKER):
        token = tokens[i]
        if token.type == tokenize.NAME and token.string == "import" and tokens[i - 1].type == tokenize.NAME and \
                tokens[i - 1].string != "from":
            break  # `from x import names`: the names are not modules
        if token.type == tokenize.NAME and token.string in packages and tokens[i - 1].string != ".":
            j = i
            while j + 2 < len(tokens) and tokens[j + 1].string == "." and tokens[j + 2].type == tokenize.NAME:
                j += 2
            found.append((token.start, token.end, packages[token.string]))
            i = j
        i += 1
    return found


def _text_pattern(packages: dict[str, str], modules: dict[str, frozenset[str]]):
    rules = []
    for package, new in packages.items():
        names = "|".join(sorted(map(re.escape, modules.get(package, frozenset()))))
        if not names:
            continue
        rules.append((re.compile(rf"(?<![\w.]){re.escape(package)}\.({names})\b"), f"{new}.\\1"))
        rules.append((re.compile(rf"(?<![\w./]){re.escape(package)}/({names})\.py\b"),
                      f"{new.replace('.', '/')}/\\1.py"))

    def rename(text: str) -> str:
        for pattern, replacement in rules:
            text = pattern.sub(replacement, text)
        return text

    return rename


# ------------------------------------------------------------------ the app's own module


@dataclass(frozen=True)
class AppObject:
    """`NAME = FastAPI(...)` at the top level of a module."""

    rel: str
    name: str
    line: int  # of the assignment
    end_line: int


def fastapi_apps(rel: str, tree: ast.Module, qualified) -> list[AppObject]:
    found = []
    for statement in tree.body:
        value = statement.value if isinstance(statement, ast.Assign | ast.AnnAssign) else None
        targets = statement.targets if isinstance(statement, ast.Assign) else \
            [statement.target] if isinstance(statement, ast.AnnAssign) else []
        if not isinstance(value, ast.Call) or qualified(value.func) not in ("fastapi.FastAPI", "FastAPI"):
            continue
        for target in targets:
            if isinstance(target, ast.Name):
                found.append(AppObject(rel, target.id, statement.lineno, statement.end_lineno or statement.lineno))
    return found


def wiring(source: str, app: AppObject, install_module: str) -> str:
    """The app's module with `install_clerk(app)` right after the app is made, and its import
    after the module's last top-level import."""
    tree = ast.parse(source)
    lines = source.splitlines(True)
    nl = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    imports = [s for s in tree.body if isinstance(s, ast.Import | ast.ImportFrom)]
    import_after = (imports[-1].end_lineno or imports[-1].lineno) if imports else _docstring_end(tree)
    inserts = {
        import_after: f"from {install_module} import install_clerk{nl}",
        app.end_line: f"# Clerk: checks CLERK_* settings at startup; 401/403 as JSON.{nl}install_clerk({app.name}){nl}",
    }
    out = []
    for number, line in enumerate(lines, 1):
        out.append(line)
        if number in inserts:
            if not line.endswith(("\n", "\r")):
                out.append(nl)
            out.append(inserts[number])
    if 0 in inserts:
        out.insert(0, inserts[0])
    return "".join(out)


def _docstring_end(tree: ast.Module) -> int:
    first = tree.body[0] if tree.body else None
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
        return first.end_lineno or first.lineno
    return 0
