"""Hostile names cannot inject code into the fastapi project.

The requirements model refuses such names; this test goes around it (_replace without
validation, decisions built by hand) to prove the templates escape on their own. Every
hostile string carries the marker PWN: after rendering, the marker may appear in Python only
inside string literals (and in handler names made by the `ident` filter, which cannot carry
anything but letters, digits and _), and each hostile value must come back unchanged from its
literal.
"""

from __future__ import annotations

import ast
import json
import re
import tomllib

import pytest
from helpers_fastapi import FULL_DECISIONS, FULL_REQUIREMENTS, STACK

from advisor.generate.context import context_from
from advisor.generate.render import default_templates_dir, render
from advisor.requirements import validate_document
from advisor.requirements.contract import Project
from tests.architectures import fixed_architecture

MARKER = "PWN"

HOSTILE = [
    'x"); __import__("os").system("PWN") #',
    "x'); PWN_call('",
    'x"""; PWN = 1; """',
    "x'''; PWN = 1; '''",
    "line\nPWN = 1\n# ",
    "cr\rPWN = 1\r",
    "`PWN` ${PWN} {PWN} {{PWN}} %(PWN)s %s",
    "</script><script>PWN()</script>",
    "back\\slash\\PWN\\",
    "\\u0022; PWN = 1; \\u0022",
    "u2028\u2028PWN = 1\u2029",
    "nul\x00PWN\x7f\x1b[31m",
    "emoji \U0001F600 PWN",
    "# PWN\n",
]

NAME = "acme" + HOSTILE[0] + HOSTILE[4] + HOSTILE[7]
ROLES = ["org:admin", "org:member"] + [f"org:role{i}{s}" for i, s in enumerate(HOSTILE[:4])]
PERMISSIONS = [f"org:feat{i}{s}:manage" for i, s in enumerate(HOSTILE)] + [f"org:f{HOSTILE[2]}:read"]
EVENTS = [f"user.{s}" for s in HOSTILE] + [f"x{s}.deleted" for s in HOSTILE[:3]]
REVERIFICATION = HOSTILE[2]


def hostile_render() -> dict[str, str]:
    req = validate_document(FULL_REQUIREMENTS)._replace(project=Project(name=NAME))
    assert req.project.name == NAME
    decisions = {
        **FULL_DECISIONS,
        "orgs.roles": ROLES,
        "orgs.permissions": PERMISSIONS,
        "webhooks.events": EVENTS,
        "auth.reverification": REVERIFICATION,
    }
    tdir = default_templates_dir()
    ctx = context_from(fixed_architecture(req, decisions), STACK, tdir)
    assert ctx["features"]["webhooks"] and ctx["features"]["m2m"] and ctx["features"]["reverification"]
    assert ctx["permission_manage"] == PERMISSIONS[0]
    return render(STACK, ctx, tdir)


FILES = hostile_render()
PY_FILES = sorted(path for path in FILES if path.endswith(".py"))
HANDLER_NAME = re.compile(r"on_\w+")


def identifiers(tree: ast.AST):
    """Every name in the code that is not a string literal's content."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            yield node.id
        elif isinstance(node, ast.Attribute):
            yield node.attr
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            yield node.name
        elif isinstance(node, ast.arg):
            yield node.arg
        elif isinstance(node, ast.keyword) and node.arg:
            yield node.arg
        elif isinstance(node, ast.alias):
            yield node.name
            if node.asname:
                yield node.asname


def literal_of(tree: ast.Module, name: str):
    for node in tree.body:
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == name for t in targets):
                if isinstance(node.value, ast.Dict):
                    return [ast.literal_eval(key) for key in node.value.keys]
                return ast.literal_eval(node.value)
    raise AssertionError(f"{name} is not assigned")


@pytest.mark.parametrize("path", PY_FILES)
def test_python_compiles_and_the_marker_stays_in_literals(path: str) -> None:
    text = FILES[path]
    tree = ast.parse(text, filename=path)
    compile(text, path, "exec")
    for name in identifiers(tree):
        assert MARKER not in name or HANDLER_NAME.fullmatch(name), f"{path}: hostile input became code: {name!r}"
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):  # an f-string would evaluate {PWN}
            assert MARKER not in ast.unparse(node), path
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            assert node.func.id not in ("__import__", "eval", "exec"), path


def joined(value):
    """Join surrogate pairs: the `py` filter (json.dumps, ensure_ascii) writes a character
    beyond the BMP as two \\u escapes, which Python reads as two lone surrogates."""
    if isinstance(value, list):
        return [joined(item) for item in value]
    return value.encode("utf-16", "surrogatepass").decode("utf-16")


def test_hostile_values_round_trip_through_their_literals() -> None:
    main = ast.parse(FILES["app/main.py"])
    assert joined(literal_of(main, "PROJECT_NAME")) == NAME
    assert joined(literal_of(main, "PERMISSION_MANAGE")) == PERMISSIONS[0]
    assert joined(literal_of(main, "REVERIFICATION")) == REVERIFICATION
    assert joined(literal_of(ast.parse(FILES["app/webhooks.py"]), "HANDLERS")) == EVENTS
    assert joined(literal_of(ast.parse(FILES["tests/test_webhooks.py"]), "EVENTS")) == EVENTS
    assert joined(literal_of(ast.parse(FILES["tests/test_authorization.py"]), "PERMISSION_MANAGE")) == PERMISSIONS[0]


def test_the_py_filter_round_trips_characters_beyond_the_bmp() -> None:
    from advisor.generate.render import py_string

    assert ast.literal_eval(py_string("\U0001F600")) == "\U0001F600"


def test_handler_names_are_identifiers() -> None:
    tree = ast.parse(FILES["app/webhooks.py"])
    names = [node.name for node in tree.body if isinstance(node, ast.FunctionDef) and node.name.startswith("on_")]
    assert len(names) == len(EVENTS)
    assert all(name.isidentifier() for name in names)


def test_comments_carry_no_hostile_text() -> None:
    for path in PY_FILES:
        for line in FILES[path].splitlines():
            comment = line.split("#", 1)[1] if line.lstrip().startswith("#") else ""
            assert MARKER not in comment, (path, line)


def test_other_formats_stay_well_formed() -> None:
    pyproject = tomllib.loads(FILES["pyproject.toml"])
    assert re.fullmatch(r"[A-Za-z0-9-]+", pyproject["project"]["name"])
    json.loads(FILES["clerk-config.json"])
    assert MARKER not in FILES[".env.example"]
    assert MARKER not in FILES["requirements.txt"]
    readme = FILES["README.md"]
    assert "</script>" not in readme and "<script>" not in readme
    assert not any(line.startswith(("PWN", "# PWN")) for line in readme.splitlines())
