"""Shared helpers for the nextjs stack tests: inline profiles, snapshots built by hand,
and a cached node_modules per set of pinned versions so tsc runs in seconds.

Two kinds of input:
- requirement files run through the real CLI and the shipped rule pack (what users get;
  the output follows the pack);
- snapshots whose decisions are written here by hand (`fixed_snapshot`), so every
  template branch is exercised whatever the rule pack currently decides.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

from advisor.architecture import Architecture
from advisor.requirements import Requirements, validate_document
from tests.architectures import fixed_architecture, render_stack

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
NPM_CACHE = Path(os.environ.get("CLERK_ADVISOR_TEST_CACHE", Path.home() / ".cache" / "clerk-advisor-tests"))

# ------------------------------------------------------------------ requirement files

REQ_NEXT16_FULL = """\
schema: 1
project:
  name: acme-web
platforms:
  web: nextjs
  nextjs_version: 16
audience: b2b
tenancy:
  organizations: required
  users_in_many_orgs: true
  custom_roles: [billing, viewer]
threat_model:
  data_sensitivity: confidential
  privileged_users: true
preferences:
  passkeys: true
integrations:
  m2m: true
  api_keys: true
  webhooks: [user.created, user.updated, user.deleted, organization.created, organizationMembership.created]
"""

REQ_NEXT15_B2C = """\
schema: 1
project:
  name: shop
platforms:
  web: nextjs
  nextjs_version: 15
audience: b2c
preferences:
  passkeys: false
"""

# ------------------------------------------------------------------ hand-built decisions

FULL_DECISIONS: dict[str, Any] = {
    "assurance.impact": "moderate",
    "assurance.aal": "AAL2",
    "assurance.asvs_level": 2,
    "auth.first_factors": ["email_code", "password", "passkey", "oauth_google"],
    "auth.passwords.enabled": True,
    "auth.passwords.min_length": 12,
    "auth.passwords.breach_check": True,
    "auth.mfa.policy": "required",
    "auth.mfa.methods": ["totp", "backup_code", "passkey"],
    "auth.phishing_resistant": "offered",
    "auth.reverification": "strict_mfa",
    "auth.bot_protection": True,
    "auth.lockout.max_attempts": 10,
    "auth.lockout.duration_minutes": 60,
    "auth.sign_up_mode": "waitlist",
    "session.max_lifetime_seconds": 86400,
    "session.inactivity_timeout_seconds": 1800,
    "session.multi_session": False,
    "orgs.enabled": True,
    "orgs.force_selection": True,
    "orgs.domains": True,
    "orgs.roles": ["org:admin", "org:member", "org:billing", "org:viewer"],
    "orgs.permissions": ["org:invoices:read", "org:invoices:manage", "org:sys_memberships:manage"],
    "sso.enterprise": True,
    "m2m.enabled": True,
    "api_keys.enabled": True,
    "webhooks.events": ["user.created", "user.updated", "user.deleted", "organization.created",
                        "organizationMembership.created"],
    "sdk.packages": {"nextjs": "@clerk/nextjs@^7.9.17"},
}

# Organizations on, but nothing else: no custom permissions (permission_manage is None),
# no reverification, no force selection.
ORGS_NO_PERMISSIONS: dict[str, Any] = {
    "auth.first_factors": ["email_code"],
    "auth.passwords.enabled": False,
    "auth.mfa.policy": "optional",
    "auth.mfa.methods": ["totp"],
    "orgs.enabled": True,
    "orgs.roles": [],
    "orgs.permissions": [],
}

MINIMAL_DECISIONS: dict[str, Any] = {
    "auth.first_factors": ["email_code", "password"],
    "auth.passwords.enabled": True,
    "auth.mfa.policy": "off",
}


REQ_NEXT15_FULL = REQ_NEXT16_FULL.replace("nextjs_version: 16", "nextjs_version: 15")
SYS_PERMISSIONS_ONLY = {**ORGS_NO_PERMISSIONS, "orgs.permissions": ["org:sys_memberships:manage", "org:sys_profile:manage"]}

# name -> (requirements text, decisions; None: the shipped rule pack, through the CLI)
PROFILES: dict[str, tuple[str, dict[str, Any] | None]] = {
    "cli-next16-full": (REQ_NEXT16_FULL, None),
    "cli-next15-b2c": (REQ_NEXT15_B2C, None),
    "fixed-next16-full": (REQ_NEXT16_FULL, FULL_DECISIONS),
    "fixed-next15-full": (REQ_NEXT15_FULL, FULL_DECISIONS),
    "fixed-next16-orgs-no-permissions": (REQ_NEXT16_FULL, ORGS_NO_PERMISSIONS),
    "fixed-next16-orgs-system-permissions-only": (REQ_NEXT16_FULL, SYS_PERMISSIONS_ONLY),
    "fixed-next15-minimal": (REQ_NEXT15_B2C, MINIMAL_DECISIONS),
}
# The shipped examples, through the CLI: whatever they ask for must generate a valid project.
EXAMPLES = {f"example-{path.parent.name}": path for path in sorted((ROOT / "examples").glob("*/clerk-requirements.yaml"))}
PROFILES.update({name: (path.read_text(encoding="utf-8"), None) for name, path in EXAMPLES.items()})


def is_next15(name: str) -> bool:
    """Next 15 only when the requirements say so; anything else gets Next 16."""
    platforms = requirements(PROFILES[name][0]).platforms
    return platforms.web == "nextjs" and platforms.nextjs_version == 15


def requirements(text_or_data: str | dict[str, Any]) -> Requirements:
    from advisor.yamlio import load_fast

    data = load_fast(text_or_data, "<inline>") if isinstance(text_or_data, str) else text_or_data
    return validate_document(data)


def fixed_snapshot(req: Requirements, decisions: dict[str, Any], findings: list[dict] | None = None) -> Architecture:
    """An architecture with exactly these decision values (the rest empty), no rule pack."""
    return fixed_architecture(req, decisions, findings)


def render_snapshot(arch: Architecture, req: Requirements | None = None) -> dict[str, str]:
    return render_stack("nextjs", arch)


def generate_cli(workdir: Path, req_text: str) -> Path:
    """`clerk-advisor generate FILE --stack nextjs --out DIR` (in-process); returns DIR."""
    from advisor.cli import main

    workdir.mkdir(parents=True, exist_ok=True)
    req_file = workdir / "clerk-requirements.yaml"
    req_file.write_text(req_text, encoding="utf-8")
    out = workdir / "web"
    code = main(["generate", str(req_file), "--stack", "nextjs", "--out", str(out), "--quiet"])
    assert code == 0, f"generate exited {code}"
    return out


def profile_files(name: str, workdir: Path) -> dict[str, str]:
    """The files a profile generates: through the CLI, or rendered from fixed decisions."""
    req_text, decisions = PROFILES[name]
    if decisions is None:
        return read_tree(generate_cli(workdir, req_text))
    req = requirements(req_text)
    return render_snapshot(fixed_snapshot(req, decisions), req)


def write_plan(root: Path, files: dict[str, str]) -> Path:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    return root


def read_tree(root: Path) -> dict[str, str]:
    """Every generated file under root (not node_modules, not the advisor's own state)."""
    out = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_file() and not rel.startswith((".clerk-advisor/", "node_modules/")) and not path.is_symlink():
            out[rel] = path.read_text(encoding="utf-8")
    return out


# ------------------------------------------------------------------ static checks

# Removed or deprecated in Clerk Core 3 (@clerk/nextjs 7); a type check does not catch the
# removed components (they are typed `never` and throw only when rendered).
REMOVED_APIS = ("<SignedIn", "<SignedOut", "<Protect", "createRouteMatcher", "authMiddleware", "afterSignInUrl",
                "afterSignUpUrl", "baseTheme", "machine_token", "@clerk/types", "@clerk/clerk-react",
                "@clerk/themes", "afterSwitchOrganizationUrl", "@simplewebauthn", "clerkClient.")

SECRET_PATTERNS = (
    re.compile(r"sk_(?:test|live)_[A-Za-z0-9]{8,}"),
    re.compile(r"pk_(?:test|live)_[A-Za-z0-9]{8,}"),
    re.compile(r"whsec_[A-Za-z0-9+/=]{8,}"),
    re.compile(r"ak_[A-Za-z0-9]{16,}"),
    re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"),
)

CODE_SUFFIXES = (".ts", ".tsx")


_COMMENT = re.compile(r"/\*.*?\*/|(?<![:\\])//[^\n]*", re.DOTALL)


def strip_comments(code: str) -> str:
    """TS/TSX without // and /* */ comments (good enough for generated code: no // in strings)."""
    return _COMMENT.sub("", code)


def code_files(files: dict[str, str]) -> dict[str, str]:
    return {p: c for p, c in files.items() if p.endswith(CODE_SUFFIXES)}


def removed_api_uses(files: dict[str, str]) -> list[tuple[str, str]]:
    return [(path, api) for path, text in code_files(files).items() for api in REMOVED_APIS if api in text]


def secrets_in(files: dict[str, str]) -> list[tuple[str, str]]:
    return [(path, m.group(0)) for path, text in files.items() for pat in SECRET_PATTERNS
            for m in pat.finditer(text)]


_BODY_READ = re.compile(r"\b(?:req|request)\s*\.\s*(?:json|text|formData|arrayBuffer|blob|body)\b")


def webhook_problems(route: str) -> list[str]:
    """What is wrong with a generated webhook route, if anything."""
    problems = []
    route = strip_comments(route)
    verify = route.find("verifyWebhook(req")
    if verify < 0:
        problems.append("verifyWebhook(req) is never called")
    body = _BODY_READ.search(route)
    if body and (verify < 0 or body.start() < verify):
        problems.append(f"the body is read before verification: {body.group(0)}")
    for guard in ("auth.protect", "auth()", "await auth(", "currentUser("):
        if guard in route:
            problems.append(f"the webhook route checks a session ({guard}); it must stay public")
    if "signingSecret" in route:
        problems.append("the signing secret must come from CLERK_WEBHOOK_SIGNING_SECRET, not code")
    if "status: 401" not in route:
        problems.append("a failed verification must answer 401 (the delivery is unauthenticated)")
    return problems


# ------------------------------------------------------------------ npm and tsc

def _npm_env() -> dict[str, str]:
    env = dict(os.environ)
    env["npm_config_cache"] = str(NPM_CACHE / "npm")
    env.setdefault("npm_config_update_notifier", "false")
    env["NEXT_TELEMETRY_DISABLED"] = "1"
    return env


def dependency_key(package_json: str) -> str:
    """A cache key: only the dependency sets matter, not the project's name."""
    data = json.loads(package_json)
    deps = {k: data.get(k, {}) for k in ("dependencies", "devDependencies")}
    return hashlib.sha256(json.dumps(deps, sort_keys=True).encode()).hexdigest()[:16]


def ensure_node_modules(package_json: str) -> Path:
    """node_modules for these exact dependencies, installed once and reused (keyed by their hash).

    Safe when several test processes race: each installs into its own directory and the
    first to finish renames it into place.
    """
    key = dependency_key(package_json)
    home = NPM_CACHE / "node_modules" / key
    if (home / ".installed").exists():
        return home / "node_modules"
    tmp = home.with_name(f"{key}.{os.getpid()}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    data = json.loads(package_json)
    (tmp / "package.json").write_text(json.dumps({
        "name": "clerk-advisor-test-deps", "private": True,
        "dependencies": data.get("dependencies", {}), "devDependencies": data.get("devDependencies", {}),
    }, indent=2), encoding="utf-8")
    proc = subprocess.run(
        ["npm", "install", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"],
        cwd=tmp, env=_npm_env(), capture_output=True, text=True, timeout=600, check=False,
    )
    if proc.returncode != 0:
        shutil.rmtree(tmp, ignore_errors=True)
        raise RuntimeError(f"npm install failed:\n{proc.stdout}\n{proc.stderr}")
    (tmp / ".installed").write_text(key, encoding="utf-8")
    if not (home / ".installed").exists():
        shutil.rmtree(home, ignore_errors=True)  # a half-finished directory from an interrupted run
        try:
            tmp.rename(home)
        except OSError:  # another process won the race
            pass
    shutil.rmtree(tmp, ignore_errors=True)
    return home / "node_modules"


def link_node_modules(project: Path) -> Path:
    modules = ensure_node_modules((project / "package.json").read_text(encoding="utf-8"))
    link = project / "node_modules"
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(modules, target_is_directory=True)
    return modules


def tsc(project: Path) -> subprocess.CompletedProcess:
    """`tsc --noEmit` with the project's own tsconfig and the pinned TypeScript."""
    tsc_js = project / "node_modules" / "typescript" / "bin" / "tsc"
    return subprocess.run(["node", str(tsc_js), "--noEmit", "-p", str(project / "tsconfig.json")],
                          cwd=project, env=_npm_env(), capture_output=True, text=True, timeout=300, check=False)


# ------------------------------------------------------------------ hostile input

# Strings the Requirements model would refuse; they reach the templates by bypassing it,
# as a custom rule pack or a future looser field could. Each tries to leave a string
# literal, a comment, a JSX text node or a <script> element.
HOSTILE_NAME = "acme\"'`${globalThis.pwned=1}`</script><!-- */ \u2028\n// end \\"
HOSTILE_ROLES = ['org:ev"il', "org:back`tick", "org:${role}", "org:</script>", "org:a*/b", "org:new\nline"]
HOSTILE_PERMISSIONS = ['org:in"v:manage', "org:x`y:read", "org:${a}:read", "org:</script>:read", "org:c*/d:read"]
HOSTILE_EVENTS = ['user.created"); globalThis.pwned = 1; ("', "x`${y}`", "a*/b", "</script>", "line\nbreak",
                  "user.created"]
HOSTILE_STRINGS = (HOSTILE_NAME, *HOSTILE_ROLES, *HOSTILE_PERMISSIONS, *HOSTILE_EVENTS)


def hostile_requirements(nextjs_version: int = 16) -> Requirements:
    from advisor.requirements.contract import Integrations, Platforms, Project, Tenancy

    # Built without validation: these values could never pass the loader.
    return Requirements(
        project=Project(name=HOSTILE_NAME),
        platforms=Platforms(web="nextjs", nextjs_version=nextjs_version),  # type: ignore[arg-type]
        audience="b2b",
        tenancy=Tenancy(organizations="required", custom_roles=tuple(r.removeprefix("org:") for r in HOSTILE_ROLES)),
        integrations=Integrations(m2m=True, api_keys=True, webhooks=tuple(HOSTILE_EVENTS)),  # type: ignore[arg-type]
    )


def hostile_files(nextjs_version: int = 16) -> dict[str, str]:
    req = hostile_requirements(nextjs_version)
    decisions = {
        **FULL_DECISIONS,
        "orgs.roles": ["org:admin", "org:member", *HOSTILE_ROLES],
        "orgs.permissions": list(HOSTILE_PERMISSIONS),
        "webhooks.events": list(HOSTILE_EVENTS),
        "auth.reverification": "strict",
    }
    return render_snapshot(fixed_snapshot(req, decisions), req)


_DOUBLE_QUOTED = re.compile(r'"(?:[^"\\\n]|\\.)*"')
_SINGLE_QUOTED = re.compile(r"'(?:[^'\\\n]|\\.)*'")


def string_literals(code: str) -> list[str]:
    """The decoded double-quoted literals of generated code (the js filter's output is JSON)."""
    out = []
    for match in _DOUBLE_QUOTED.finditer(code):
        try:
            out.append(json.loads(match.group(0)))
        except json.JSONDecodeError:
            pass
    return out


def outside_literals(code: str) -> str:
    """Code with string literals and comments removed: what a hostile string must never reach."""
    return strip_comments(_SINGLE_QUOTED.sub("''", _DOUBLE_QUOTED.sub('""', code)))
