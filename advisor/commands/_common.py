"""Arguments and steps that several commands share."""

from __future__ import annotations

import argparse
from pathlib import Path

from advisor.paths import DEFAULT_FILE


def add_file_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", nargs="?", default=DEFAULT_FILE, metavar="FILE",
                        help=f"requirements file (default: {DEFAULT_FILE})")


def add_rules_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--rules", metavar="DIR", type=Path, default=None,
                        help="use a custom rule pack directory instead of the shipped one")


def load_pack_arg(rules: Path | None):
    from advisor.pack import default_pack_dir, load_pack

    return load_pack(rules or default_pack_dir())


def formatter():
    return argparse.RawDescriptionHelpFormatter


def build_snapshot(args, pack, req) -> dict:
    """The architecture for `req`, with Context7 docs attached when --docs was given."""
    from advisor.architecture import build
    from advisor.engine import evaluate

    evaluation = evaluate(pack, req)
    docs: list[dict] = []
    extra: list[dict] = []
    if getattr(args, "docs", None):
        from advisor.docs_attach import attach

        values = {key: d.value for key, d in evaluation.decisions.items()}
        docs, extra = attach(values, required=args.docs == "required", offline=args.offline, quiet=args.quiet)
    return build(req, pack, evaluation=evaluation, docs=docs, extra_findings=extra)
