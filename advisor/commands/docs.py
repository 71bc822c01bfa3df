"""`docs status|clear`: look at, or empty, the Context7 docs cache.

Fetching happens in `recommend --docs`; this command never opens a socket.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from advisor.errors import EXIT_OK, UserError

if TYPE_CHECKING:
    from advisor.docs import CacheStatus

DESCRIPTION = """\
Context7 docs cache. `recommend --docs` attaches current Clerk docs excerpts from
Context7 to its decisions and caches each answer for 24 h; `--offline` reads only
this cache. The cache lives in CLERK_ADVISOR_CACHE_DIR/context7 when that is set,
else in the platform cache directory (~/.cache/clerk-advisor/context7 on Linux,
~/Library/Caches/clerk-advisor/context7 on macOS,
%LOCALAPPDATA%\\clerk-advisor\\Cache\\context7 on Windows).

environment:
  CONTEXT7_API_URL   Context7 base URL (default https://context7.com/api)
  CONTEXT7_API_KEY   optional key (ctx7sk-...); sent as a bearer token, never stored
  CLERK_ADVISOR_CACHE_DIR  cache root override
"""


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "docs",
        help="the Context7 docs cache: status, clear",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="docs_command", metavar="SUBCOMMAND")
    status = sub.add_parser(
        "status",
        help="show the cache directory, entry count, size, ages and the resolved library id",
        description="Show where the Context7 docs cache is, how many entries it holds, their total "
        "size, the oldest and newest entry, and the Clerk library id Context7 search resolved to.",
    )
    status.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text for people (default), json for scripts",
    )
    sub.add_parser(
        "clear",
        help="delete every cached docs entry",
        description="Delete every entry of the Context7 docs cache (and leftover temp files). "
        "Files in the cache directory that the cache did not write are left alone.",
    )
    return parser


def run(args: argparse.Namespace) -> int:
    from advisor.docs import DocsCache, DocsSettings

    command = getattr(args, "docs_command", None)
    if command is None:
        raise UserError("docs needs a subcommand", allowed="status, clear", hint="see `clerk-advisor docs --help`")
    settings = DocsSettings.from_env()
    cache = DocsCache(
        settings.docs_cache_dir,
        ttl_seconds=settings.ttl_seconds,
        library_ttl_seconds=settings.library_ttl_seconds,
    )
    if command == "status":
        status = cache.status(settings.library_name)
        if args.format == "json":
            data = {**status.to_dict(), "ttl_seconds": int(settings.ttl_seconds)}
            print(json.dumps(data, indent=2))
        else:
            print(_status_text(status, settings.ttl_seconds))
        return EXIT_OK
    removed, freed = cache.clear()
    files = f"{removed} cache file{'s' if removed != 1 else ''}"
    print(f"removed {files} ({_size(freed)}) from {cache.directory}", file=sys.stderr)
    return EXIT_OK


def _status_text(status: CacheStatus, ttl_seconds: float) -> str:
    unreadable = f", {status.unreadable_entries} unreadable" if status.unreadable_entries else ""
    rows = [
        ("cache dir", status.cache_dir),
        ("entries", f"{status.entries} ({status.stale_entries} older than their TTL{unreadable})"),
        ("total size", _size(status.total_bytes)),
        ("oldest", status.oldest or "-"),
        ("newest", status.newest or "-"),
        ("library id", status.library_id or "- (not resolved yet)"),
        ("docs TTL", f"{ttl_seconds / 3600:g} h"),
    ]
    width = max(len(name) for name, _ in rows)
    return "\n".join(f"{name + ':':<{width + 1}} {value}" for name, value in rows)


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KiB"
    return f"{n / (1024 * 1024):.1f} MiB"
