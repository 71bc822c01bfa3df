"""Helpers of the attack suite: run the CLI as an attacker's victim would, and check what
must always hold (an exit code, one located message, no traceback, nothing raw sent to
the terminal)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from benchmarks.attack_inputs import BASIC_PACK, PERMISSIONS_HOLD, Outcome, first_error, run_cli

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "b2b-saas" / "clerk-requirements.yaml"
# What a terminal would obey: C0 controls but newline and tab, DEL, C1, bidi overrides.
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
# The hostile string: clear screen, set the window title (OSC ... BEL), C1 CSI, a bidi override.
NASTY = "\x1b[2J\x1b]0;pwned\x07\x9b31m\u202eevil"

__all__ = ["BASIC_PACK", "EXAMPLE", "NASTY", "PERMISSIONS_HOLD", "ROOT", "Outcome", "assert_refused", "clean_output",
           "copy_pack", "first_error", "run", "write"]


def run(tmp: Path, *args: object, env: dict[str, str] | None = None, timeout: float = 30, **kw) -> Outcome:
    """The CLI in `tmp`, with its own cache dir and HOME (nothing of the developer's)."""
    full = {"CLERK_ADVISOR_CACHE_DIR": str(tmp / ".cache"), "HOME": str(tmp), **(env or {})}
    return run_cli([str(a) for a in args], cwd=tmp, env=full, timeout=timeout, **kw)


def clean_output(outcome: Outcome) -> None:
    assert "Traceback" not in outcome.err and "Exception ignored" not in outcome.err, outcome.err[-3000:]
    for name, text in (("stdout", outcome.out), ("stderr", outcome.err)):
        bad = RAW_CONTROL.search(text)
        assert bad is None, f"raw U+{ord(bad.group()):04X} on {name}: {text[max(0, bad.start() - 80):bad.end() + 80]!r}"


def assert_refused(outcome: Outcome, where: str | None = None, message: str | None = None, code: int = 2) -> str:
    """Exit `code`, one `error:` line first (at `where`), no traceback; returns that line."""
    assert outcome.code == code, (outcome.code, outcome.err[-3000:])
    clean_output(outcome)
    head = first_error(outcome.err)
    assert head, outcome.err
    if where is not None:
        assert head.startswith(f"error: {where}"), head
    if message is not None:
        assert message.lower() in outcome.err.lower(), outcome.err
    return head


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def copy_pack(tmp: Path, name: str = "pack") -> Path:
    target = tmp / name
    shutil.copytree(BASIC_PACK, target)
    return target
