"""What adopting says besides the file list: refusals with their patches, what needs the
person's attention, the next steps (text on stderr), and the same as data for --format json.

Everything shown can come from the app's own files, so it is printed through
`advisor.terminal.clean`/`printable`: nothing in a file name or a patch reaches the
terminal as a control sequence.
"""

from __future__ import annotations

from typing import Any, TextIO

from advisor.adopt.model import Adoption
from advisor.terminal import clean, printable


def header(adoption: Adoption, dry_run: bool, out: TextIO) -> None:
    verb = "would adopt" if dry_run else "adopting"
    print(f"{verb} into {printable(str(adoption.plan.out))}: {printable(adoption.app)}", file=out)


def details(adoption: Adoption, dry_run: bool, out: TextIO) -> None:
    if adoption.already:
        print(f"already in place: {len(adoption.already)}", file=out)
        for path, reason in adoption.already:
            print(f"  {printable(path)} ({printable(reason)})", file=out)
    for refusal in adoption.refusals:
        label = "to wire by hand" if refusal.kind == "wire" else "refused"
        print(f"{label}: {printable(refusal.path)}: {printable(refusal.reason)}", file=out)
        if refusal.advice:
            print(f"  {printable(refusal.advice)}", file=out)
        if refusal.patch:
            print("  the change it needs (not applied; apply it yourself once you have read it):", file=out)
            for line in clean(refusal.patch.rstrip("\n")).split("\n"):
                print(f"    {line}", file=out)
    if adoption.attention:
        print(f"needs your attention: {len(adoption.attention)}", file=out)
        for item in adoption.attention:
            where = f"{printable(item.where())}: " if item.path else ""
            print(f"  {where}{printable(item.message)}", file=out)
            if item.fix:
                print(f"    fix: {printable(item.fix)}", file=out)
    if adoption.next_steps and not dry_run:
        print("next steps:", file=out)
        for number, step in enumerate(adoption.next_steps, 1):
            print(f"  {number}. {printable(step)}", file=out)


def as_data(adoption: Adoption) -> dict[str, Any]:
    return {
        "app": adoption.app,
        "already": [{"path": path, "reason": reason} for path, reason in adoption.already],
        "refused": [{"path": r.path, "reason": r.reason, "advice": r.advice, "patch": r.patch}
                    for r in adoption.refusals if r.kind == "refused"],
        "wire_by_hand": [{"path": r.path, "reason": r.reason, "patch": r.patch}
                         for r in adoption.refusals if r.kind == "wire"],
        "attention": [{"path": a.path, "line": a.line, "message": a.message, "fix": a.fix}
                      for a in adoption.attention],
        "next_steps": adoption.next_steps,
    }
