"""`history`: the saved recommendations, oldest first."""

from __future__ import annotations

import argparse
import json
import sys

from advisor.commands._common import formatter

DESCRIPTION = """\
List the snapshots that `recommend` saved under .clerk-advisor/history/ in the current
directory: date, rule pack version, requirements digest and a one-line summary. Compare
two with `clerk-advisor diff OLD NEW` (default: the last two).
"""


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("history", help="list saved recommendations", description=DESCRIPTION,
                       formatter_class=formatter())
    p.add_argument("--format", choices=("text", "json"), default="text")


def summary(snapshot: dict) -> str:
    d = {k: v["value"] for k, v in snapshot["decisions"].items()}
    a = snapshot.get("assurance", {})
    bits = [str(a.get("aal", "?")), f"MFA {d.get('auth.mfa.policy', '?')}"]
    if d.get("orgs.enabled"):
        bits.append("orgs")
    if d.get("sso.enterprise"):
        bits.append("SSO")
    if d.get("m2m.enabled"):
        bits.append("M2M")
    counts: dict[str, int] = {}
    for f in snapshot["findings"]:
        counts[f["severity"]] = counts.get(f["severity"], 0) + 1
    high = counts.get("critical", 0) + counts.get("high", 0)
    bits.append(f"{len(snapshot['findings'])} findings ({high} high)")
    return f"{snapshot['requirements']['project']['name']}: " + ", ".join(bits)


def run(args: argparse.Namespace) -> int:
    from advisor.history import entries, load_snapshot

    rows = []
    for entry in entries():
        snap = load_snapshot(entry.path)
        rows.append({"file": str(entry.path), "created_at": snap.get("created_at"),
                     "rules_version": snap["rules_version"],
                     "requirements_sha256": snap.get("requirements_sha256", ""), "summary": summary(snap)})
    if args.format == "json":
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
        return 0
    if not rows:
        print("no snapshots yet in .clerk-advisor/history/; run `clerk-advisor recommend`", file=sys.stderr)
        return 0
    for i, r in enumerate(rows, 1):
        print(f"{i:>3}  {r['created_at']}  rules {r['rules_version']}  req {r['requirements_sha256'][:8]}  "
              f"{r['summary']}")
        print(f"     {r['file']}")
    return 0
