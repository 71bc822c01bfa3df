"""Files the repository keeps generated from a source of truth (the requirements contract,
the shipped pack's parse): one way to rewrite them, and to check they are fresh."""

from __future__ import annotations

import sys
from pathlib import Path


def refresh(target: Path, text: str, argv: list[str], command: str) -> int:
    """Write `text` to `target`; with --check in argv, only compare and exit 1 when stale."""
    if "--check" in argv:
        current = target.read_text(encoding="utf-8") if target.exists() else ""
        if current != text:
            print(f"{target} is stale: run `{command}`", file=sys.stderr)
            return 1
        return 0
    target.write_text(text, encoding="utf-8")
    print(f"wrote {target}", file=sys.stderr)
    return 0
