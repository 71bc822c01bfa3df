"""`clerk-advisor check` as a user runs it: formats, exit codes, -o, bad input."""

from __future__ import annotations

import json

import pytest
from audit_helpers import copy_case

from tests.conftest import ROOT, build_tree, run_process

ROUTE = """import { db } from '@/lib/db'

export async function GET() {
  const rows = await db.secret.findMany()
  return Response.json(rows)
}
"""
PACKAGE = '{"name": "x", "dependencies": {"@clerk/nextjs": "7.9.17", "next": "16.4.6"}}\n'
PROXY = "import { clerkMiddleware } from '@clerk/nextjs/server'\n" \
        "export default clerkMiddleware({ authorizedParties: ['https://a.example.com'] })\n"


def _app(tmp_path, route: str = ROUTE):
    return build_tree(tmp_path / "app", {"package.json": PACKAGE, "proxy.ts": PROXY,
                                         "app/api/rows/route.ts": route})


def test_text_groups_by_file_and_shows_the_line(cli, tmp_path):
    _app(tmp_path)
    result = cli("check", "app")
    assert result.code == 1
    lines = result.out.splitlines()
    assert lines[0] == "app/api/rows/route.ts"
    assert lines[1].startswith("  4:22  high      nextjs.unguarded-route-handler  "
                               "GET /api/rows calls db.secret.findMany()")
    assert lines[2] == "      | const rows = await db.secret.findMany()"
    assert lines[3].startswith("      fix: ")
    assert lines[4] == "      see: https://github.com/clerk/javascript/pull/5419"
    assert result.out.rstrip().endswith("1 finding (1 high); 0 suppressed; 3 files scanned")


def test_fail_on_threshold(cli, tmp_path):
    _app(tmp_path)
    assert cli("check", "app", "--fail-on", "critical").code == 0
    assert cli("check", "app", "--fail-on", "never").code == 0
    assert cli("check", "app", "--fail-on", "medium").code == 1
    assert cli("check", "app").code == 1  # default: high


def test_json_and_output_file(cli, tmp_path):
    _app(tmp_path)
    result = cli("check", "app", "--format", "json", "-o", "report.json")
    assert result.code == 1 and result.out == ""
    assert "wrote report.json: 1 findings, 0 suppressed" in result.err
    data = json.loads((tmp_path / "report.json").read_text())
    assert data["summary"]["by_severity"]["high"] == 1
    finding = data["findings"][0]
    assert (finding["check"], finding["path"], finding["line"], finding["column"]) == \
        ("nextjs.unguarded-route-handler", "app/api/rows/route.ts", 4, 22)
    assert finding["reference"].startswith("https://") and finding["fix"]


def test_suppressed_findings_are_counted(cli, tmp_path):
    route = ROUTE.replace("  const rows", "  // clerk-advisor: ignore nextjs.unguarded-route-handler -- demo data\n"
                                          "  const rows")
    _app(tmp_path, route)
    result = cli("check", "app", "--format", "json")
    data = json.loads(result.out)
    assert result.code == 0 and data["findings"] == []
    assert data["summary"]["suppressed"] == 1 and data["suppressed"][0]["reason"] == "demo data"
    assert "0 findings; 1 suppressed" in cli("check", "app").out


def test_control_characters_in_source_are_escaped(cli, tmp_path):
    route = ROUTE.replace("db.secret.findMany()", "db.secret.findMany() /* \x1b[2J\x1b]0;pwned\x07 */")
    _app(tmp_path, route)
    result = cli("check", "app")
    assert "\x1b" not in result.out and "\x07" not in result.out
    assert "\\x1b[2J" in result.out
    data = json.loads(cli("check", "app", "--format", "json").out)
    assert "\x1b[2J" in data["findings"][0]["snippet"]  # JSON keeps the text, escaped by the encoder


@pytest.mark.parametrize(("args", "message"), [
    (["check", "missing-dir"], "error: missing-dir: DIR: no such directory"),
    (["check", "file.txt"], "error: file.txt: DIR: not a directory"),
    (["check", "empty"], "error: empty: DIR: not a project"),
    (["check", "app", "--requirements", "nope.yaml"], "nope.yaml"),
    (["check", "app", "--instance-config", "bad.json"], "error: bad.json:1:2: --instance-config: not JSON"),
    (["check", "app", "--instance-config", "other.json"], "--instance-config: no Clerk instance settings"),
    (["check", "app", "--instance-config", "other.json", "--instance-config", "other.json",
      "--instance-config", "other.json"], "at most two --instance-config files"),
    (["check", "app", "--format", "xml"], "invalid choice: 'xml'"),
    (["check", "app", "-o", "empty"], "error: empty: report is a directory"),
])
def test_bad_input_is_one_message_and_exit_2(cli, tmp_path, args, message):
    _app(tmp_path)
    build_tree(tmp_path, {"file.txt": "x", "bad.json": "{nope", "other.json": '{"name": "x"}',
                          "empty/notes.txt": "nothing here"})
    result = cli(*args)
    assert result.code == 2, result
    assert message in result.err and "Traceback" not in result.err


def test_a_realistic_app_end_to_end_as_a_process(tmp_path):
    root = copy_case("acme-crm", tmp_path)
    result = run_process("check", str(root), "--format", "sarif", "-o", str(tmp_path / "out.sarif"),
                         "--requirements", str(root / "clerk-requirements.yaml"))
    assert result.code == 1, result.err
    sarif = json.loads((tmp_path / "out.sarif").read_text())
    found = {(r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
              r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in sarif["runs"][0]["results"]}
    assert ("nextjs.deny-list-gating", "src/middleware.ts", 11) in found
    assert ("webhook.parsed-before-verify", "src/app/api/webhooks/clerk/route.ts", 8) in found
    assert ("js.vulnerable-dependency", "package-lock.json", 13) in found


def test_other_commands_do_not_load_tree_sitter():
    code = ("import sys; from advisor.cli import main; main(['rules', 'list']); "
            "assert not [m for m in sys.modules if m.startswith('tree_sitter')], 'tree_sitter imported'")
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert proc.returncode == 0, proc.stderr


def test_dev_bypass_and_cache_key_as_a_user_sees_them(cli, tmp_path):
    build_tree(tmp_path / "web", {
        "package.json": PACKAGE,
        "proxy.ts": "import { clerkMiddleware } from '@clerk/nextjs/server'\n"
                    "import { NextResponse } from 'next/server'\n"
                    "export default clerkMiddleware(async (auth) => {\n"
                    "  if (process.env.SKIP_AUTH === '1') return NextResponse.next()\n"
                    "  await auth.protect()\n"
                    "}, { authorizedParties: ['https://a.example.com'] })\n",
        "app/invoices/page.tsx": "import { auth } from '@clerk/nextjs/server'\n"
                                 "import { unstable_cache } from 'next/cache'\n"
                                 "import { db } from '@/lib/db'\n"
                                 "export default async function Page() {\n"
                                 "  const { userId } = await auth.protect()\n"
                                 "  const rows = unstable_cache(async () => db.invoice.findMany({ where: { userId } }),"
                                 " ['invoices'])\n"
                                 "  return <pre>{JSON.stringify(await rows())}</pre>\n"
                                 "}\n",
    })
    result = cli("check", "web")
    assert result.code == 1
    assert "4:3  high      auth.dev-bypass  when process.env.SKIP_AUTH === '1', this lets the request through " \
           "with NextResponse.next(): Clerk's auth is skipped" in result.out
    assert "see: https://github.com/vedantnimbarte/reachfs/issues/10" in result.out
    assert "6:16  high      nextjs.cache-key-missing-user  unstable_cache callback reads the signed-in user " \
           "(userId) but its cache key (['invoices']) does not include it" in result.out
    sarif = json.loads(cli("check", "web", "--format", "sarif", "--fail-on", "never").out)
    rules = {r["id"]: r for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["auth.dev-bypass"]["defaultConfiguration"]["level"] == "error"
    assert "clerk-nextjs-patterns" in rules["nextjs.cache-key-missing-user"]["helpUri"]
    assert {r["ruleId"] for r in sarif["runs"][0]["results"]} >= {"auth.dev-bypass", "nextjs.cache-key-missing-user"}
