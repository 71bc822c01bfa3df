"""Command-line entry point: argument parsing, dispatch, and the error boundary.

Human output goes to stderr, data to stdout. Every AdvisorError becomes one message and
its exit code; nothing else a user can trigger should reach here as a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import sys
from typing import NoReturn

from advisor import __version__, terminal
from advisor.commands import COMMANDS
from advisor.errors import EXIT_INTERRUPTED, EXIT_USAGE, AdvisorError, UserError

EPILOG = """\
exit codes:
  0  ok
  1  --exit-code / --check found a difference, or generate --update left conflicts
  2  bad input or usage
  3  a required external service failed (--docs=required)
  130 interrupted

FILE defaults to clerk-requirements.yaml in the current directory.
"""


class _Parser(argparse.ArgumentParser):
    """argparse, but usage errors are UserErrors (exit 2, one message, no traceback)."""

    def error(self, message: str) -> NoReturn:
        raise UserError(message, hint=f"see `{self.prog} --help`")

    def parse_known_args(self, args=None, namespace=None):
        if args is not None:
            args = self._spelled_values(list(args))
        return super().parse_known_args(args, namespace)

    def _spelled_values(self, args: list[str]) -> list[str]:
        """`--docs=required` -> `--docs-required`: an option whose value may only follow an
        `=` is a flag of its own for each value, so `--docs FILE` never reads FILE as a value."""
        out: list[str] = []
        for i, arg in enumerate(args):
            if arg == "--":
                return out + args[i:]
            name, eq, value = arg.partition("=")
            if eq and name.startswith("--") and name in self._option_string_actions:
                forms = [o[len(name) + 1:] for o in self._option_string_actions if o.startswith(name + "-")]
                if value in forms:
                    arg = f"{name}-{value}"
                elif forms:
                    self.error(f"{arg}: {name} takes no value; the only spelled forms are "
                               + ", ".join(f"{name}={form}" for form in forms))
            out.append(arg)
        return out


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="clerk-advisor",
        description="Architecture advisor and configuration generator for Clerk authentication.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"clerk-advisor {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name, help_text in COMMANDS.items():
        module = _command(name) if _wants(name) else None
        if module is not None:
            module.add_parser(sub)
        else:
            sub.add_parser(name, help=help_text, add_help=False)
    return parser


_argv_command: str | None = None


def _wants(name: str) -> bool:
    """Build the full parser only for the command being run (lazy imports, fast start)."""
    return _argv_command is None or _argv_command == name


def _command(name: str):
    return importlib.import_module(f"advisor.commands.{name}")


def _first_command(argv: list[str]) -> str | None:
    for arg in argv:
        if arg in COMMANDS:
            return arg
        if not arg.startswith("-"):
            return None
    return None


def main(argv: list[str] | None = None) -> int:
    global _argv_command
    argv = list(sys.argv[1:] if argv is None else argv)
    _argv_command = _first_command(argv)
    # `ask` hands the terminal to prompt_toolkit, which writes its own escape sequences;
    # it guards what it prints from files itself.
    guard = terminal.guarded() if _argv_command != "ask" else contextlib.nullcontext()
    try:
        with guard:
            return _run(argv)
    finally:
        _argv_command = None


def _run(argv: list[str]) -> int:
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        if not args.command:
            parser.print_help(sys.stderr)
            return EXIT_USAGE
        code = int(_command(args.command).run(args) or 0)
        if sys.stdout is not None:
            sys.stdout.flush()  # a full disk or a closed stdout shows here, not at exit
        return code
    except AdvisorError as exc:
        if isinstance(exc, terminal.OutputError):
            terminal.silence_stdout()
        print(exc, file=sys.stderr) if not isinstance(exc, UserError) else print(exc.render(), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted; nothing was written", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`| head`); that is not our error, and nothing more is said.
        terminal.silence_stdout()
        return 0
