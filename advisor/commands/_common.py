"""Arguments and steps that several commands share."""

from __future__ import annotations

import argparse
from pathlib import Path

from advisor.loader import DEFAULT_FILE


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
