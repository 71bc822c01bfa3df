"""Secrets: Clerk keys in committed files or client bundles, public env names on secrets,
committed .env files."""

from __future__ import annotations

import re
from collections.abc import Iterator

from advisor.audit.comments import comments
from advisor.audit.context import Context
from advisor.audit.jsnodes import text
from advisor.audit.model import Finding, Severity
from advisor.audit.registry import check
from advisor.audit.source import SourceFile

DOCS_PR_1484 = ("clerk/clerk-docs PR #1484", "https://github.com/clerk/clerk-docs/pull/1484")
SCALIBR = ("google/osv-scalibr#1107 (Clerk key scanner)", "https://github.com/google/osv-scalibr/issues/1107")

# Regexes over a string literal's or comment's text, or a non-code file's line.
_KEY = re.compile(r"(?<![A-Za-z0-9_])(sk_live_|sk_test_|whsec_)([A-Za-z0-9+/=]{20,})")
_PLACEHOLDER = re.compile(r"x{4,}|X{4,}|0{8,}|1234567|abcdef|your|example|placeholder|dummy|fake|test_?key", re.I)
_PUBLIC_SECRET = re.compile(r"^NEXT_PUBLIC_\w*(SECRET|PRIVATE)\w*$|^NEXT_PUBLIC_CLERK_(SECRET|WEBHOOK)\w*$")
_ENV_LINE = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$")
_ENV_TEMPLATES = (".example", ".sample", ".template", ".dist", ".defaults", ".schema")
_SECRET_NAME = re.compile(r"SECRET|PRIVATE|PASSWORD|TOKEN|_KEY$", re.I)
_TEXT_SUFFIXES = (".json", ".yaml", ".yml", ".toml", ".md", ".txt", ".cfg", ".ini", ".sh", ".conf", ".properties",
                  ".html", ".xml", ".tf", ".tfvars")


def _is_env_file(name: str) -> bool:
    return name == ".env" or name.startswith(".env.") or name.endswith(".env")


def is_env_template(name: str) -> bool:
    return any(name.endswith(suffix) for suffix in _ENV_TEMPLATES)


def placeholder(value: str) -> bool:
    """A documentation stand-in (`sk_test_xxxx...`, `pk_test_your_key`), not a real key."""
    return _PLACEHOLDER.search(value) is not None


def keys_in(value: str) -> Iterator[re.Match[str]]:
    for match in _KEY.finditer(value):
        if not placeholder(match.group(2)):
            yield match


def redact_keys(value: str) -> str:
    """The text with every secret key cut to its prefix, for snippets shown beside findings."""
    return _KEY.sub(lambda match: f"{match.group(1)}...", value)


def _key_severity(prefix: str, client: bool) -> Severity:
    return Severity.CRITICAL if client or prefix == "sk_live_" else Severity.HIGH


def _key_message(prefix: str, client: bool) -> str:
    kind = "webhook signing secret" if prefix == "whsec_" else \
        ("production secret key" if prefix == "sk_live_" else "development secret key")
    where = "in a 'use client' module, which ships to every browser" if client else "in a committed file"
    return f"Clerk {kind} ({prefix}...) {where}"


@check("secrets.hardcoded-key", "critical", "Clerk secret key or webhook secret in source",
       fix="Rotate the key in the Clerk Dashboard now (it is exposed), delete it from the file and its git history, "
           "and read it from the environment (CLERK_SECRET_KEY, CLERK_WEBHOOK_SIGNING_SECRET).",
       refs=[SCALIBR, DOCS_PR_1484])
def hardcoded_key(ctx: Context) -> Iterator[Finding]:
    project = ctx.project
    for rel, source in project.sources.items():
        js = project.js.get(rel)
        client = js is not None and js.is_client
        if not client and not project.fileset.is_committed(rel):
            continue
        if js is not None:
            for node in js.strings + js.comments:
                for match in keys_in(text(node)):
                    yield ctx.at_node("secrets.hardcoded-key", js, node, _key_message(match.group(1), client),
                                      _key_severity(match.group(1), client))
        elif rel in project.py:
            py = project.py[rel]
            for constant in py.constants_str:
                for match in keys_in(str(constant.value)):
                    yield ctx.at_ast("secrets.hardcoded-key", py, constant, _key_message(match.group(1), False),
                                     _key_severity(match.group(1), False))
            for comment in comments(source):
                for match in keys_in(comment.text):
                    yield ctx.at("secrets.hardcoded-key", rel, comment.line, 1,
                                 _key_message(match.group(1), False), _key_severity(match.group(1), False))
        elif source.language is None and _scannable(source):
            yield from _text_keys(ctx, source)


def _scannable(source: SourceFile) -> bool:
    name = source.path_name
    return _is_env_file(name) or name.endswith(_TEXT_SUFFIXES) or name in ("Dockerfile", "Procfile", "Makefile")


def _text_keys(ctx: Context, source: SourceFile) -> Iterator[Finding]:
    for number, line in enumerate(source.text.splitlines(), start=1):
        for match in keys_in(line):
            yield ctx.at("secrets.hardcoded-key", source.rel, number, match.start() + 1,
                         _key_message(match.group(1), False), _key_severity(match.group(1), False))


@check("secrets.next-public-secret", "critical", "Secret exposed through a NEXT_PUBLIC_ variable",
       fix="Rename the variable without NEXT_PUBLIC_ and read it only in server code; rotate the secret if it was "
           "ever deployed.",
       refs=[DOCS_PR_1484, ("Next.js: environment variables exposed to the browser",
                            "https://nextjs.org/docs/app/guides/environment-variables")],
       help="Next.js inlines every NEXT_PUBLIC_ variable into the JavaScript it sends to browsers.")
def next_public_secret(ctx: Context) -> Iterator[Finding]:
    project = ctx.project
    for module in ctx.js_modules():
        for member in module.members:
            obj = member.child_by_field_name("object")
            name = text(member.child_by_field_name("property"))
            if text(obj) in ("process.env", "import.meta.env") and _PUBLIC_SECRET.match(name):
                yield ctx.at_node("secrets.next-public-secret", module, member,
                                  f"{name} is inlined into the browser bundle")
    for rel, source in project.sources.items():
        if not _is_env_file(source.path_name):
            continue
        for number, line in enumerate(source.text.splitlines(), start=1):
            match = _ENV_LINE.match(line)
            if match and _PUBLIC_SECRET.match(match.group(1)):
                yield ctx.at("secrets.next-public-secret", rel, number, 1,
                             f"{match.group(1)} is inlined into the browser bundle")


@check("secrets.env-file-committed", "high", "Environment file committed to git",
       fix="`git rm --cached` the file, add `.env*` (with `!.env.example`) to .gitignore, and rotate every secret it "
           "held; keep only variable names in .env.example.",
       refs=[DOCS_PR_1484, SCALIBR])
def env_file_committed(ctx: Context) -> Iterator[Finding]:
    project = ctx.project
    for rel, source in project.sources.items():
        name = source.path_name
        if not _is_env_file(name) or is_env_template(name) or not project.fileset.is_committed(rel):
            continue
        state = "tracked by git" if project.fileset.tracked is not None else "not ignored by .gitignore"
        secret_line = 0
        for number, line in enumerate(source.text.splitlines(), start=1):
            match = _ENV_LINE.match(line)
            variable = match.group(1) if match else ""
            public = variable.startswith(("NEXT_PUBLIC_", "VITE_", "EXPO_PUBLIC_")) or "PUBLISHABLE" in variable
            if match and not public and _SECRET_NAME.search(variable) and match.group(2).strip().strip("'\""):
                secret_line = number
                break
        if secret_line:
            yield ctx.at("secrets.env-file-committed", rel, secret_line, 1,
                         f"{name} is {state} and holds a secret value")
        else:
            yield ctx.at("secrets.env-file-committed", rel, 1, 1, f"{name} is {state}", Severity.MEDIUM)
