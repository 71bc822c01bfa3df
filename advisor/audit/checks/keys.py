"""Key and instance consistency: a publishable key from one instance type beside a secret key
from the other, a development publishable key in production configuration, and publishable
keys that do not decode to a Frontend API host.

A publishable key is `pk_test_` or `pk_live_` followed by the base64 of `<frontend-api-host>$`.
Keys are found where the secrets check finds them: string literals in JS/TS and Python, and
lines of the other text files (.env, YAML, TOML, JSON). Secret keys are shown by prefix only.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterator
from dataclasses import dataclass

from advisor.audit.checks.secrets import DOCS_PR_1484, is_env_template, keys_in, placeholder
from advisor.audit.context import Context, is_test_file
from advisor.audit.jsnodes import text
from advisor.audit.model import Finding, Severity
from advisor.audit.registry import check
from advisor.audit.source import SourceFile
from advisor.errors import UserError
from advisor.yamlio import load_fast

_ID = "secrets.key-mismatch"
WORLD_ISSUE_98 = ("EngineMaker/world-issue-tracker#98 (development keys in production)",
                  "https://github.com/EngineMaker/world-issue-tracker/issues/98")
DEPLOY_DOC = ("Clerk: deploying to production (production keys)",
              "https://clerk.com/docs/guides/development/deployment/production")

_PUBLISHABLE = re.compile(r"(?<![A-Za-z0-9_])pk_(test|live)_([A-Za-z0-9+/=]*)")
# Prose about keys, not configuration that holds them.
_DOCUMENTS = (".md", ".mdx", ".rst", ".txt", ".html")
_PRODUCTION_WORDS = frozenset({"prod", "production"})
_HOST = re.compile(r"^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")


@dataclass(frozen=True)
class _Key:
    kind: str  # 'test' | 'live'
    secret: bool
    value: str  # the part after the prefix; never shown for a secret key
    line: int
    column: int

    @property
    def prefix(self) -> str:
        return f"{'sk' if self.secret else 'pk'}_{self.kind}_"


def frontend_api_host(value: str) -> str | None:
    """The host a publishable key's body decodes to, or None when it is not `base64(host$)`."""
    padded = value + "=" * (-len(value) % 4)
    try:
        decoded = base64.b64decode(padded, validate=True).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    host = decoded[:-1]
    return host if decoded.endswith("$") and _HOST.match(host) else None


def _keys_in_text(value: str, line: int, column: int) -> Iterator[_Key]:
    for match in _PUBLISHABLE.finditer(value):
        if len(match.group(2)) >= 8 and not placeholder(match.group(2)):
            yield _Key(match.group(1), False, match.group(2), line, column + match.start())
    for match in keys_in(value):
        if match.group(1) != "whsec_":
            yield _Key(match.group(1)[3:-1], True, match.group(2), line, column + match.start())


def _keys(ctx: Context, source: SourceFile) -> list[_Key]:
    project = ctx.project
    rel = source.rel
    if rel in project.js:
        module = project.js[rel]
        keys: list[_Key] = []
        for node in module.strings:
            line, column = module.position(node)
            keys.extend(_keys_in_text(text(node), line, column))
        return keys
    if rel in project.py:
        py = project.py[rel]
        found: list[_Key] = []
        for constant in py.constants_str:
            line, column = py.position(constant)
            found.extend(_keys_in_text(str(constant.value), line, column))
        return found
    return [key for number, line in enumerate(source.text.splitlines(), start=1)
            if not line.lstrip().startswith("#") for key in _keys_in_text(line, number, 1)]


def _production_file(source: SourceFile) -> str:
    """Why this file configures production ('' when it does not look like it does)."""
    name = source.path_name
    if _PRODUCTION_WORDS & set(re.split(r"[.\-_]", name.lower())):
        return f"{name} is production configuration"
    if "/.github/workflows/" in f"/{source.rel}" and name.endswith((".yml", ".yaml")):
        try:
            workflow = load_fast(source.text, source.rel)
        except UserError:
            return ""
        jobs = workflow.get("jobs") if isinstance(workflow, dict) else None
        for job in (jobs or {}).values() if isinstance(jobs, dict) else ():
            environment = job.get("environment") if isinstance(job, dict) else None
            if isinstance(environment, dict):
                environment = environment.get("name")
            if isinstance(environment, str) and environment.lower() in _PRODUCTION_WORDS:
                return f"this workflow deploys to the '{environment}' environment"
    return ""


@check(_ID, "high", "Clerk keys from different instances, or a development key in production",
       fix="Copy both keys from the same instance (Clerk Dashboard → API keys): pk_live_ with sk_live_ for "
           "production, pk_test_ with sk_test_ for development; paste the publishable key whole.",
       refs=[WORLD_ISSUE_98, DEPLOY_DOC, DOCS_PR_1484],
       help="A publishable key and a secret key from different instances make every sign-in fail verification; "
            "a pk_test_ key in production runs users on a development instance (shared dev browser, user caps, "
            "relaxed security). A publishable key is base64 of the Frontend API host followed by '$'.")
def key_mismatch(ctx: Context) -> Iterator[Finding]:
    project = ctx.project
    for rel, source in project.sources.items():
        if is_test_file(rel) or is_env_template(source.path_name) or rel.endswith(_DOCUMENTS):
            continue
        keys = _keys(ctx, source)
        publishable = [k for k in keys if not k.secret]
        if not publishable:
            continue
        secret_kinds = {k.kind for k in keys if k.secret}
        production = _production_file(source)
        for key in publishable:
            if frontend_api_host(key.value) is None:
                yield ctx.at(_ID, rel, key.line, key.column,
                             f"{key.prefix} key does not decode to a Frontend API host ending in '$': "
                             "truncated or mistyped", Severity.MEDIUM)
            other = "live" if key.kind == "test" else "test"
            if other in secret_kinds and key.kind not in secret_kinds:
                line = next(k.line for k in keys if k.secret and k.kind == other)
                yield ctx.at(_ID, rel, key.line, key.column,
                             f"{key.prefix} publishable key beside a sk_{other}_... secret key (line {line}): "
                             "the keys come from different instances")
            elif key.kind == "test" and production:
                yield ctx.at(_ID, rel, key.line, key.column,
                             f"development publishable key (pk_test_) where {production}")
