"""generate beside copier: how long a cold `clerk-advisor generate --stack nextjs` takes
relative to copier rendering a template of the same number of files.

    python3 -m venv /tmp/copier-venv && /tmp/copier-venv/bin/pip install copier
    python benchmarks/bench_copier.py --copier /tmp/copier-venv/bin/copier [--runs N] [--other-tree DIR]

The copier template is built here from the nextjs starter's own files (their sizes and
line counts, with the Jinja filters copier does not have replaced by plain variables), so
both tools render the same amount of text. `--other-tree` times `generate` from another
checkout too (e.g. `git worktree add /tmp/before <commit>` with its own venv), so a change
can be compared with what it replaced, in the same run. Medians of fresh processes.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "b2b-saas" / "clerk-requirements.yaml"


def copier_template(directory: Path, limit: int | None) -> int:
    """A copier template with the nextjs starter's rendered files (the first `limit`) as its files."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "advisor", "generate", str(EXAMPLE), "--stack", "nextjs", "--out",
                        tmp, "--quiet"], check=True, cwd=ROOT)
        files = sorted(p for p in Path(tmp).rglob("*") if p.is_file() and ".clerk-advisor" not in p.parts)[:limit]
        for path in files:
            rel = path.relative_to(tmp)
            text = path.read_text(encoding="utf-8").replace("{{", "{ {").replace("{%", "{ %")
            # One variable per line keeps the template work comparable to ours.
            text = re.sub(r"^", "{{ project_name }}", text, count=0, flags=re.M)
            target = directory / "template" / f"{rel}.jinja"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        (directory / "copier.yml").write_text("_subdirectory: template\nproject_name:\n  type: str\n  default: acme\n")
        return len(files)


def timed(cmd: list[str], runs: int, cwd: Path) -> float:
    samples = []
    for i in range(runs):
        out = cwd / f"out-{time.monotonic_ns()}-{i}"
        start = time.perf_counter()
        subprocess.run([*cmd, str(out)], check=True, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--copier", required=True, help="the copier executable")
    ap.add_argument("--runs", type=int, default=11)
    ap.add_argument("--files", type=int, default=None, help="give copier only the first N files (default: all)")
    ap.add_argument("--other-tree", type=Path, help="another checkout (with .venv) to time beside this one")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        template = work / "template-src"
        count = copier_template(template, args.files)
        rows = [
            (f"copier copy ({count} files)", [args.copier, "copy", "--quiet", "--defaults", "--trust",
                                             str(template)]),
            ("clerk-advisor generate --stack nextjs", [sys.executable, "-m", "advisor", "generate", str(EXAMPLE),
                                                      "--stack", "nextjs", "--quiet", "--out"]),
        ]
        if args.other_tree:
            rows.append((f"  ... from {args.other_tree}", [str(args.other_tree / ".venv" / "bin" / "python"), "-m",
                                                          "advisor", "generate", str(EXAMPLE), "--stack", "nextjs",
                                                          "--quiet", "--out"]))
        timed(rows[1][1], 1, work)  # warm the OS file cache and .pyc files
        results = [(label, timed(cmd, args.runs, work)) for label, cmd in rows]
    base = results[0][1]
    for label, seconds in results:
        print(f"{label:<48} {seconds * 1000:7.0f} ms   {seconds / base:5.2f}x copier")


if __name__ == "__main__":
    main()
