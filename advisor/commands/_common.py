"""Arguments and steps that several commands share."""

from __future__ import annotations

import argparse
import gc
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from advisor.errors import UserError
from advisor.paths import DEFAULT_FILE

if TYPE_CHECKING:
    from advisor.architecture import Architecture, DocsRequest
    from advisor.engine import RulePack


def formatter() -> type[argparse.HelpFormatter]:
    return argparse.RawDescriptionHelpFormatter


def add_file_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", nargs="?", default=DEFAULT_FILE, metavar="FILE",
                        help=f"requirements file (default: {DEFAULT_FILE})")


def add_rules_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--rules", metavar="DIR", type=Path, default=None,
                        help="use a custom rule pack directory instead of the shipped one")


def add_docs_args(parser: argparse.ArgumentParser) -> None:
    # `--docs` takes no value of its own, so `--docs FILE` reads FILE as the requirements
    # file; `--docs=required` (only with `=`) is spelled `--docs-required` for argparse.
    parser.add_argument("--docs", action="store_const", const="on", default=None,
                        help="attach current Clerk docs from Context7 to each decision")
    parser.add_argument("--docs-required", dest="docs", action="store_const", const="required",
                        help="like --docs, but exit 3 if they cannot be fetched (also written --docs=required)")
    parser.add_argument("--offline", action="store_true", help="with --docs: use only cached docs, no network")
    parser.add_argument("--quiet", action="store_true", help="no progress display")


def load_pack_arg(rules: Path | None) -> RulePack:
    from advisor.engine import load_pack

    pack = load_pack(rules)
    # The pack lives as long as this process and forms no garbage: keep the cyclic collector
    # from re-scanning its compiled conditions (large packs made evaluations pause).
    gc.freeze()
    return pack


def docs_request(args: argparse.Namespace) -> DocsRequest | None:
    from advisor.architecture import DocsRequest

    if not getattr(args, "docs", None):
        return None
    file = getattr(args, "file", None)
    if file in ("required", "on") and not Path(file).exists():
        # `--docs required`, with a space, as an older version read it.
        raise UserError(f"`{file}` after --docs was read as the requirements file, and there is no such file",
                        hint=f"write --docs={file}" if file == "required" else "write --docs")
    return DocsRequest(required=args.docs == "required", offline=args.offline, quiet=args.quiet)


def recommend_file(file: str | Path, rules: Path | None, docs: DocsRequest | None = None
                   ) -> tuple[Architecture, RulePack]:
    """Requirements file -> Architecture: what `recommend`, `generate` and `ask` start from."""
    from advisor.architecture import recommend
    from advisor.requirements import load_requirements

    pack = load_pack_arg(rules)
    return recommend(load_requirements(file), pack, docs), pack


def save_snapshot(arch: Architecture, quiet: bool, source: str | Path) -> None:
    """Keep the recommendation in history, as one of `source`'s (the requirements file)."""
    from advisor.history import save

    path, written = save(arch, source)
    if not quiet:
        print(f"saved {path}" if written else f"unchanged since {path.name}; nothing saved", file=sys.stderr)
