"""Pulled instance configuration (`clerk config pull` output) and its security settings.

Each setting knows which direction is stronger, so a difference from the recommendation
can be told apart: weaker (a finding at the check's severity) or merely different (low).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from advisor.errors import Location, UserError

_SIGN_UP_STRENGTH = {"public": 0, "waitlist": 1, "restricted": 2}


def _higher(a: Any, b: Any) -> bool:
    return isinstance(a, int | float) and isinstance(b, int | float) and a > b


def _lower(a: Any, b: Any) -> bool:
    return isinstance(a, int | float) and isinstance(b, int | float) and a < b


def _true(a: Any, b: Any) -> bool:
    return a is True and b is False


def _false(a: Any, b: Any) -> bool:
    return a is False and b is True


def _sign_up(a: Any, b: Any) -> bool:
    return _SIGN_UP_STRENGTH.get(a, -1) > _SIGN_UP_STRENGTH.get(b, -1)


@dataclass(frozen=True)
class Setting:
    area: str  # the check id's suffix: mfa, lockout, password, sign-up-mode, session
    path: tuple[str, ...]
    stronger: Callable[[Any, Any], bool]  # stronger(a, b): is a stronger than b?

    @property
    def name(self) -> str:
        return ".".join(self.path)


SETTINGS = (
    Setting("mfa", ("auth_multi_factor", "required_for_sign_in"), _true),
    Setting("mfa", ("auth_multi_factor", "required_for_sign_up"), _true),
    Setting("mfa", ("auth_multi_factor", "authenticator_app", "enabled"), _true),
    Setting("mfa", ("auth_multi_factor", "backup_code", "enabled"), _true),
    Setting("lockout", ("auth_attack_protection", "user_lockout", "enabled"), _true),
    Setting("lockout", ("auth_attack_protection", "user_lockout", "max_attempts"), _lower),
    Setting("lockout", ("auth_attack_protection", "user_lockout", "duration_in_minutes"), _higher),
    Setting("password", ("auth_password", "min_length"), _higher),
    Setting("password", ("auth_password", "disable_hibp"), _false),
    Setting("password", ("auth_password", "enforce_hibp_on_sign_in"), _true),
    Setting("sign-up-mode", ("auth_access_control", "sign_up_mode"), _sign_up),
    Setting("session", ("session_settings", "maximum_lifetime", "enabled"), _true),
    Setting("session", ("session_settings", "maximum_lifetime", "duration_seconds"), _lower),
    Setting("session", ("session_settings", "inactivity_timeout", "enabled"), _true),
    Setting("session", ("session_settings", "inactivity_timeout", "duration_seconds"), _lower),
    Setting("session", ("session_settings", "multi_session_enabled"), _false),
)
_MISSING = object()


def lookup(doc: dict[str, Any], path: tuple[str, ...]) -> Any:
    node: Any = doc
    for key in path:
        if not isinstance(node, dict) or key not in node:
            return _MISSING
        node = node[key]
    return node


def present(value: Any) -> bool:
    return value is not _MISSING


@dataclass(frozen=True)
class PulledConfig:
    path: Path
    shown: str  # the path as findings show it (relative to the audited root when inside it)
    text: str
    doc: dict[str, Any]

    def line_of(self, path: tuple[str, ...]) -> int:
        """The line of a nested key, found key by key in the file's text."""
        offset = 0
        for key in path:
            found = self.text.find(json.dumps(key), offset)
            if found < 0:
                break
            offset = found
        return self.text.count("\n", 0, offset) + 1


def load_pulled(path: Path, root: Path) -> PulledConfig:
    shown = _shown(path, root)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UserError("no such file", location=Location(shown), field="--instance-config") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"cannot read the pulled instance config: {getattr(exc, 'strerror', None) or exc}",
                        location=Location(shown), field="--instance-config") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UserError(f"not JSON: {exc.msg}", location=Location(shown, exc.lineno, exc.colno),
                        field="--instance-config", hint="give the file `clerk config pull` wrote") from None
    if isinstance(data, dict) and isinstance(data.get("config"), dict) and not _has_settings(data):
        data = data["config"]
    if not isinstance(data, dict) or not _has_settings(data):
        raise UserError("no Clerk instance settings in this file", location=Location(shown),
                        field="--instance-config",
                        allowed="an object with keys such as auth_multi_factor, auth_password, session_settings",
                        hint="give the file `clerk config pull` wrote")
    return PulledConfig(path=path, shown=shown, text=text, doc=data)


def _has_settings(doc: dict[str, Any]) -> bool:
    return any(s.path[0] in doc for s in SETTINGS)


def _shown(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except (ValueError, OSError):
        return path.as_posix()
