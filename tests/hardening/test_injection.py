"""Issue 11 #6: markdown and HTML injection. Every value from a rule pack, a snapshot or the
docs that reaches markdown (the report, the diff, CLERK_SETUP.md, READMEs) is text: no
link but plain http(s), no raw HTML, no table cell broken out of."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from harness import EXAMPLE, ROOT, assert_refused, copy_pack, run, write

# Markup an attacker would like to see rendered: a script, an event handler, a table cell
# break, a javascript: link and an image beacon.
MARKUP = ("<script>alert(1)</script> | injected | [click](javascript:alert(1)) "
          "<img src=x onerror=alert(2)> ![beacon](http://evil.example/p.png) `code` *em* _u_ ~~s~~")


def assert_inert(markdown: str) -> None:
    """Nothing in `markdown` renders as a live link, HTML element or broken table. (Inside
    a code span everything is literal text, so spans are left out of the HTML checks.)"""
    prose = re.sub(r"`[^`\n]*`", "``", markdown)
    assert "<script" not in prose.lower() and "<img" not in prose.lower()
    assert re.search(r"(?<!\\)\]\(\s*(javascript|data|vbscript):", prose, re.I) is None
    assert re.search(r"(?<!\\)!\[beacon\]", prose) is None
    assert re.search(r"(?<!\\)\[click\]\(", prose) is None
    for line in markdown.splitlines():  # every table row keeps the header's cell count
        if line.startswith("|") and not line.startswith("|---"):
            cells = len(re.findall(r"(?<!\\)\|", line))
            header = _header_cells(markdown, line)
            assert cells == header, f"a table row has {cells} cell borders instead of {header}: {line}"


def _header_cells(markdown: str, row: str) -> int:
    lines = markdown.splitlines()
    i = lines.index(row)
    while i > 0 and lines[i - 1].startswith("|"):
        i -= 1
    return len(re.findall(r"(?<!\\)\|", lines[i]))


# ------------------------------------------------------------------------ rule packs


def _hostile_rule_pack(tmp: Path) -> Path:
    pack = copy_pack(tmp)
    text = (pack / "rules.yaml").read_text()
    text = text.replace("because: PCI DSS v4 requires MFA for all access into the cardholder data environment.",
                        "because: " + json.dumps(MARKUP))
    text = text.replace("title: Cardholder-data access needs MFA", "title: " + json.dumps("MFA " + MARKUP))
    text = text.replace("finding: Review admin access quarterly.", "finding: " + json.dumps(MARKUP))
    (pack / "rules.yaml").write_text(text)
    refs = (pack / "references.yaml").read_text().replace("title: PCI DSS v4.0.1, 8.4.2",
                                                          "title: " + json.dumps("PCI " + MARKUP))
    (pack / "references.yaml").write_text(refs)
    return pack


REQ = "schema: 1\nthreat_model:\n  compliance: [pci-dss]\n  privileged_users: true\n"


def test_rule_texts_are_text_in_the_markdown_report(tmp_path):
    pack = _hostile_rule_pack(tmp_path)
    write(tmp_path / "req.yaml", REQ)
    result = run(tmp_path, "recommend", "req.yaml", "--rules", pack, "--format", "markdown", "--no-save")
    assert result.code == 0, result.err
    assert "\\<script" not in result.out and "&lt;script&gt;alert(1)&lt;/script&gt;" in result.out
    assert_inert(result.out)
    assert "[pci-dss-4:8.4.2](https://www.pcisecuritystandards.org/)" in result.out  # real links still links


@pytest.mark.parametrize("url", [
    "javascript:alert(1)",
    "https://x.example/a|b",
    "https://x.example/<script>alert(1)</script>",
    "https://x.example/a\nb",
    "https://x.example/a b",
    "https://x.example/a)[click](javascript:alert(1)",
    "https://x.example/\"onmouseover=\"alert(1)",
    "https://x.example/'onmouseover='alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "http://x.example/plain-http",
    "https://x.example/\x1b]8;;http://evil\x07",
])
def test_reference_urls_with_markup_are_refused_by_the_pack_loader(tmp_path, url):
    pack = copy_pack(tmp_path)
    refs = (pack / "references.yaml").read_text().replace("url: https://www.pcisecuritystandards.org/",
                                                          "url: " + json.dumps(url))
    (pack / "references.yaml").write_text(refs)
    for command in (("rules", "validate", pack), ("recommend", EXAMPLE, "--rules", pack, "--no-save",
                                                  "--format", "markdown")):
        assert_refused(run(tmp_path, *command), where=f"{pack}/references.yaml:", message="url")


# -------------------------------------------------------------------------- the docs


HOSTILE_TXT = """\
### Hostile {markup}

Source: javascript:alert(document.cookie)

Use this {markup} \x1b]8;;http://evil.example\x07a link\x1b]8;;\x07 \x1b[2J\x9b31m

--------------------------------

### Looks like a link

Source: https://clerk.com/docs/x"onmouseover="alert(1)

Text with a | pipe and <b>bold</b>.

--------------------------------

### A real one

Source: https://clerk.com/docs/guides/secure/reverification

Plain words.
""".replace("{markup}", MARKUP)


@pytest.fixture
def hostile_context7(tmp_path):
    from fake_context7 import FIXTURES, FakeContext7

    fixtures = tmp_path / "fixtures"
    shutil.copytree(FIXTURES, fixtures)
    for path in (fixtures / "docs").glob("*.txt"):
        path.write_text(HOSTILE_TXT, encoding="utf-8")
    with FakeContext7(fixtures) as server:
        yield {"CONTEXT7_API_URL": server.base_url, "CONTEXT7_API_KEY": "ctx7sk-test-0000"}


def test_docs_excerpts_are_text_in_the_report(tmp_path, hostile_context7):
    result = run(tmp_path, "recommend", EXAMPLE, "--docs", "--format", "markdown", "--no-save", "--quiet",
                 env=hostile_context7)
    assert result.code == 0, result.err
    assert "Current Clerk docs" in result.out, "the excerpts were attached"
    assert_inert(result.out)
    assert "javascript:" not in result.out.replace("javascript:alert(1)", "")  # only as escaped text of MARKUP
    assert "[A real one](https://clerk.com/docs/guides/secure/reverification)" in result.out
    assert 'onmouseover="' not in result.out


def test_docs_excerpts_are_text_in_clerk_setup(tmp_path, hostile_context7):
    result = run(tmp_path, "generate", EXAMPLE, "--stack", "nextjs", "--out", "out", "--docs", "--quiet",
                 env=hostile_context7)
    assert result.code == 0, result.err
    setup = (tmp_path / "out" / "CLERK_SETUP.md").read_text()
    assert "## Current Clerk docs" in setup
    assert_inert(setup)
    assert 'onmouseover="' not in setup
    for path in (tmp_path / "out").rglob("*.md"):
        assert_inert(path.read_text())


# ----------------------------------------------------------------------- snapshots


def hostile_snapshot(tmp: Path, name: str, text: str) -> Path:
    """A valid snapshot (from the example) whose free-text fields carry `text`."""
    result = run(tmp, "recommend", EXAMPLE, "--format", "json", "--no-save")
    data = json.loads(result.out)
    data["decisions"]["auth.mfa.policy"]["reason"] = text
    data["decisions"]["auth.mfa.policy"]["rules"] = [text, "mfa.aal2-required"]
    data["decisions"]["auth.mfa.policy"]["value"] = "required" + text[:40]
    data["decisions"]["orgs.roles"]["value"].append(text)
    data["decisions"][text] = {"value": text, "reason": text, "rules": [text], "refs": [text]}
    data["findings"].append({"id": text, "severity": "high", "message": text, "rule": text})
    data["rule_versions"][text] = 3
    data["rules_version"] = text
    data["docs"] = [{"area": text, "library_id": text, "query": text, "type": "txt", "sha256": text,
                     "source_urls": [text, "javascript:alert(1)"],
                     "excerpts": [{"title": text, "source_url": "javascript:alert(1)", "quote": text}]}]
    data["requirements_file"] = text
    data["tool_version"] = text
    return write(tmp / name, json.dumps(data))


def test_hostile_snapshots_are_text_in_the_markdown_diff(tmp_path):
    old = hostile_snapshot(tmp_path, "old`|<b>.json", MARKUP)
    result = run(tmp_path, "diff", old, EXAMPLE, "--format", "markdown")
    assert result.code == 0, result.err
    assert_inert(result.out)
    assert "&lt;script&gt;" in result.out
    reverse = run(tmp_path, "diff", EXAMPLE, old, "--format", "markdown")
    assert reverse.code == 0 and reverse.out.count("&lt;script&gt;") >= 3
    assert_inert(reverse.out)


def test_project_names_cannot_carry_markup(tmp_path):
    write(tmp_path / "req.yaml", "schema: 1\nproject:\n  name: \"a](javascript:alert(1))\"\n")
    assert_refused(run(tmp_path, "recommend", "req.yaml", "--no-save"), where="req.yaml:3:", message="project name")


def test_the_committed_example_reports_are_inert():
    for path in sorted((ROOT / "examples").glob("*/ARCHITECTURE.md")):
        assert_inert(path.read_text())
