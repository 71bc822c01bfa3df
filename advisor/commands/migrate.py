"""`migrate convert|import|status|rollback`: move users from another auth system into Clerk."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

from advisor.commands._common import formatter
from advisor.errors import EXIT_FOUND, EXIT_OK, UserError

DESCRIPTION = """\
Move users from another auth system into Clerk, in two steps so that the risky one works
on a file you can read:

  1. convert   your export -> users.jsonl (one CreateUser body a line; offline)
  2. import    users.jsonl -> your Clerk instance (journaled, resumable, rate-limited)

The safe path: convert -> import --dry-run -> import -> status -> (rollback).

examples:
  clerk-advisor migrate convert --from auth0 export.json --hashes hashes.json -o users.jsonl
  clerk-advisor migrate import users.jsonl --dry-run
  clerk-advisor migrate import users.jsonl
  clerk-advisor migrate status
  clerk-advisor migrate rollback
"""

CONVERT = """\
Convert an export into users.jsonl: one Clerk CreateUser body a line, in Clerk's field
names. Streams (memory does not grow with the number of users) and never touches the
network. Every identifier of a user goes into its one line; an identifier the old system
had not verified is kept as `reserved` (usable to sign in, verified on first use), never
marked verified. Users that cannot be imported (a digest that does not fit its hasher, no
email/phone/username, an identifier used twice in the source) and users the old system
no longer counts (deleted, anonymous) go to <output>.rejected.jsonl with the reason.
users.jsonl holds password digests and TOTP secrets: it is written 0600.

sources and what they need:
  auth0       bulk export (NDJSON or CSV); --hashes FILE: the password-hash NDJSON from
              Auth0 support, joined by user id
  firebase    `firebase auth:export users.json --format=json` (or `users.csv --format=csv`,
              read by column position); --hash-config FILE: the project's hash parameters
              (base64_signer_key, base64_salt_separator, rounds, mem_cost) as JSON, or
              --no-passwords
  supabase    auth.users rows as a JSON array, NDJSON or CSV; --mfa FILE: auth.mfa_factors
              rows for TOTP
  cognito     `aws cognito-idp list-users` output (one file or one per page);
              --hash-config FILE: {"user_pool_id", "client_id", "sign_in_attribute"} for
              Clerk's awscognito hasher, or --no-passwords
  authjs      rows of your Auth.js users table (JSON, NDJSON or CSV)
  django      auth_user rows (JSON, NDJSON, CSV) or `manage.py dumpdata auth.user`
  keycloak    realm export JSON (kc.sh export ... --users realm_file or the users files)
  clerk-json  the input of Clerk's migration tool (its schema, or a Clerk Dashboard export)

exit codes: 0 every user converted; 1 some were rejected (see the rejects file);
2 bad input (file, line and field named; nothing written).

examples:
  clerk-advisor migrate convert --from auth0 users-export.json --hashes auth0-hashes.json -o users.jsonl
  clerk-advisor migrate convert --from firebase users.json --hash-config firebase-hash.json -o users.jsonl
  clerk-advisor migrate convert --from supabase auth_users.json --mfa mfa_factors.json -o users.jsonl
  clerk-advisor migrate convert --from cognito page-1.json page-2.json --hash-config cognito.json -o users.jsonl
"""

IMPORT = """\
Create the users of users.jsonl in the Clerk instance of $CLERK_SECRET_KEY (Backend API at
$CLERK_API_URL, default https://api.clerk.com). Before creating, it looks up 100
external_ids per request, so re-running resumes: a run killed at any moment and started
again creates every user exactly once. The journal (a SQLite file) and the reports live
in the state folder, default .clerk-advisor/migrations/<users file name>/, all 0600:
failures.jsonl (external_id, Clerk's error code), id-map.csv (old id -> Clerk user id),
summary.json.

The key decides the instance: sk_test_ is a development instance (100 requests per 10 s;
its user cap is checked before anything is created), sk_live_ production (1,000 per 10 s;
needs --yes, or a yes on a terminal). The default --rate is 80% of that limit, to leave
room for your live app; every request counts (look-ups, creates, deletes). A 429 pauses
everything for Retry-After and slows down; 5xx and timeouts are retried with jitter, and a
create whose answer was lost is looked up before it is retried. 401/403 or an API that
cannot be reached stops the run (exit 3); run the same command again to resume.

--dry-run writes nothing: it checks every line, and with a key it reads the instance
(kind, user count and the development cap) and looks up which users already exist or
would conflict. --spot-check FILE (lines of {"external_id": ..., "password": ...}, one
test user per hasher whose password you know) creates a copy of that user, asks Clerk
to verify the password, and deletes it, before anything else; users of a hasher whose
format Clerk does not document are imported only after such a check passed.

exit codes: 0 every user is in Clerk; 1 some failed (listed by Clerk's error code);
2 bad input or refused (production without --yes, over the development cap, a failed
spot check); 3 the API refused the key or could not be reached.

examples:
  clerk-advisor migrate import users.jsonl --dry-run
  CLERK_SECRET_KEY=sk_test_... clerk-advisor migrate import users.jsonl
  clerk-advisor migrate import users.jsonl --rate 40 --yes --format json > result.json
  clerk-advisor migrate import users.jsonl --spot-check spot-check.jsonl --dry-run
"""

STATUS = """\
What the journal of an import says, without touching the network: users created, already
there, failed (by Clerk's error code, with each external_id in --format json), pending
(an interrupted run; importing again resolves them) and rolled back.

examples:
  clerk-advisor migrate status
  clerk-advisor migrate status --state .clerk-advisor/migrations/users.jsonl --format json
"""

ROLLBACK = """\
Delete exactly the users this state created: those the journal records as created, and
those a killed run marked pending and Clerk has (looked up by external_id). Users that
were already in Clerk before the import, and conflicts, are never touched. Needs --yes, or
a yes on a terminal. Resumable like import; the journal records each deletion.

examples:
  clerk-advisor migrate rollback
  clerk-advisor migrate rollback --state .clerk-advisor/migrations/users.jsonl --yes
"""


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("migrate", help="move users from another auth system into Clerk",
                            description=DESCRIPTION, formatter_class=formatter())
    commands = parser.add_subparsers(dest="migrate_command", metavar="SUBCOMMAND")

    convert = commands.add_parser("convert", help="an export -> users.jsonl (offline)", description=CONVERT,
                                  formatter_class=formatter())
    from advisor.migrate.instance import DEV_USER_CAP
    from advisor.migrate.sources import SOURCES

    convert.add_argument("--from", dest="source", required=True, choices=list(SOURCES), metavar="SOURCE_KIND",
                         help=f"the system you leave: {', '.join(SOURCES)}")
    convert.add_argument("inputs", nargs="+", type=Path, metavar="SOURCE", help="export file(s)")
    convert.add_argument("-o", "--output", type=Path, required=True, help="users.jsonl to write")
    convert.add_argument("--hashes", type=Path, help="auth0: the password-hash NDJSON from Auth0 support")
    convert.add_argument("--hash-config", type=Path, help="firebase: hash parameters JSON; cognito: pool/client JSON")
    convert.add_argument("--mfa", type=Path, help="supabase: auth.mfa_factors rows (TOTP secrets)")
    convert.add_argument("--no-passwords", action="store_true", help="import everyone without a password")
    convert.add_argument("--on-unsupported-hash", choices=("reject", "no-password"), default="reject",
                         help="a hash Clerk has no hasher for: reject the user (default) or import without password")
    convert.add_argument("--format", choices=("text", "json"), default="text", help="the summary: text on stderr "
                         "(default) or a JSON document on stdout")


    imp = commands.add_parser("import", help="users.jsonl -> Clerk (journaled, resumable)", description=IMPORT,
                              formatter_class=formatter())
    imp.add_argument("users_file", type=Path, metavar="USERS.jsonl")
    _state_arg(imp)
    imp.add_argument("--dry-run", action="store_true", help="check everything, create nothing")
    _rate_args(imp)
    imp.add_argument("--yes", action="store_true", help="do not ask before importing into production")
    imp.add_argument("--spot-check", type=Path, metavar="FILE",
                     help='lines of {"external_id": ..., "password": ...}: verify a known password per hasher first')
    imp.add_argument("--dev-user-cap", type=_positive_int, default=DEV_USER_CAP, metavar="N",
                     help=f"the development instance's user cap (Clerk's docs: {DEV_USER_CAP})")
    _output_args(imp)

    status = commands.add_parser("status", help="what the journal says (no network)", description=STATUS,
                                 formatter_class=formatter())
    _state_arg(status)
    status.add_argument("--format", choices=("text", "json"), default="text")

    rollback = commands.add_parser("rollback", help="delete exactly the users this state created",
                                   description=ROLLBACK, formatter_class=formatter())
    _state_arg(rollback)
    rollback.add_argument("--yes", action="store_true", help="do not ask before deleting")
    _rate_args(rollback)
    _output_args(rollback)


def _state_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--state", type=Path, metavar="DIR",
                        help="the state folder (default .clerk-advisor/migrations/<users file name>/)")


def _rate_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--rate", type=_positive_float, metavar="N",
                        help="at most N Backend API requests per second, every request counted (default 80%% of "
                        "the instance's limit: 80 production, 8 development)")
    parser.add_argument("--concurrency", type=_positive_int, metavar="N", help="requests in flight at most")


def _output_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="text for people (default), or one JSON document on stdout")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0 < value <= 10_000:
        raise argparse.ArgumentTypeError("must be more than 0 (and at most 10000)")
    return value


def _positive_int(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of at least 1")
    return int(text)


def run(args: argparse.Namespace) -> int:
    command = getattr(args, "migrate_command", None)
    if command is None:
        raise UserError("migrate needs a subcommand", allowed="convert, import, status, rollback",
                        hint="see `clerk-advisor migrate --help`")
    return int(_COMMANDS[command](args))


def _convert(args: argparse.Namespace) -> int:
    from advisor.migrate import convert
    from advisor.migrate.converter import ConvertOptions
    from advisor.migrate.report import convert_text

    summary = convert(ConvertOptions(args.source, tuple(args.inputs), args.output, hashes=args.hashes,
                                     hash_config=args.hash_config, mfa=args.mfa, no_passwords=args.no_passwords,
                                     on_unsupported_hash=args.on_unsupported_hash))
    if args.format == "json":
        sys.stdout.write(json.dumps(summary.to_dict(), indent=2) + "\n")
    else:
        print(convert_text(summary), file=sys.stderr)
    return EXIT_FOUND if summary.rejected else EXIT_OK


def _import(args: argparse.Namespace) -> int:
    from advisor.migrate import import_users
    from advisor.migrate.importer import ImportOptions
    from advisor.migrate.report import import_text

    result = import_users(ImportOptions(
        args.users_file, state=args.state, dry_run=args.dry_run, rate=args.rate, concurrency=args.concurrency,
        yes=args.yes, spot_check=args.spot_check, dev_user_cap=args.dev_user_cap, quiet=args.quiet,
        confirm=_terminal_confirm()))
    _render(args.format, result.to_dict(), import_text(result), result.stopped)
    return result.exit_code


def _status(args: argparse.Namespace) -> int:
    from advisor.migrate import status
    from advisor.migrate.report import status_text

    summary = status(args.state)
    _render(args.format, summary, status_text(summary), None)
    return EXIT_OK


def _rollback(args: argparse.Namespace) -> int:
    from advisor.migrate import rollback
    from advisor.migrate.report import rollback_text
    from advisor.migrate.undo import RollbackOptions

    result = rollback(RollbackOptions(args.state, yes=args.yes, rate=args.rate, concurrency=args.concurrency,
                                      quiet=args.quiet, confirm=_terminal_confirm()))
    _render(args.format, result.to_dict(), rollback_text(result), result.stopped)
    return result.exit_code


def _render(fmt: str, document: dict, text: str, stopped: str | None) -> None:
    if fmt == "json":
        sys.stdout.write(json.dumps(document, indent=2) + "\n")
    else:
        print(text)
    if stopped:
        print(f"error: stopped: {stopped}", file=sys.stderr)


_COMMANDS = {"convert": _convert, "import": _import, "status": _status, "rollback": _rollback}


def _terminal_confirm() -> Callable[[str], bool] | None:
    """A yes/no question on the terminal, or None when stdin is not one."""
    if not (sys.stdin.isatty() and sys.stderr.isatty()):
        return None

    def ask(question: str) -> bool:
        print(f"{question} Type yes to go on: ", end="", file=sys.stderr, flush=True)
        try:
            return input().strip().lower() == "yes"
        except EOFError:
            return False

    return ask
