"""The txt and json docs formats, the search answer, and SDK version spotting."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from advisor.docs.errors import MalformedResponseError
from advisor.docs.fetch import quote_of
from advisor.docs.libraries import Library, is_library_id, parse_search, rank_libraries
from advisor.docs.snippets import parse_json, parse_txt, split_txt
from advisor.docs.versions import newer_majors, sdk_major_versions

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "context7"
SEP = "-" * 32


# -- txt ------------------------------------------------------------------------------


def test_txt_snippet_fields() -> None:
    body = (
        "### Protect a route\n\nSource: https://clerk.com/docs/a\n\nUse auth.protect() in the handler.\n\n"
        "```ts\nawait auth.protect()\n```\n"
    )
    [snippet] = parse_txt(body)
    assert snippet.title == "Protect a route"
    assert snippet.source_url == "https://clerk.com/docs/a"
    assert snippet.description == "Use auth.protect() in the handler."
    assert snippet.code == "await auth.protect()"
    assert snippet.language == "ts"


def test_txt_splits_on_exactly_32_dashes_between_blank_lines() -> None:
    body = f"### One\n\nfirst\n\n{SEP}\n\n### Two\n\nsecond\n\n{'-' * 31}\n\nstill second\n\n{SEP}\n"
    snippets = parse_txt(body)
    assert [s.title for s in snippets] == ["One", "Two"]
    assert "still second" in snippets[1].description
    assert "-" * 31 in snippets[1].description


def test_txt_trailing_separator_is_optional() -> None:
    with_sep = f"### A\n\nx\n\n{SEP}\n\n### B\n\ny\n\n{SEP}\n\n"
    without = f"### A\n\nx\n\n{SEP}\n\n### B\n\ny\n"
    assert parse_txt(with_sep) == parse_txt(without)
    assert len(parse_txt(with_sep)) == 2


def test_txt_dash_line_inside_code_block_does_not_split() -> None:
    body = f"### Banner\n\nSource: https://x.test/a\n\nPrints a rule.\n\n```text\nabove\n\n{SEP}\n\nbelow\n```\n"
    [snippet] = parse_txt(body)
    assert SEP in snippet.code and "below" in snippet.code


def test_txt_dash_line_without_blank_lines_does_not_split() -> None:
    assert len(split_txt(f"### A\ntext\n{SEP}\nmore text")) == 1


def test_txt_tolerates_missing_parts_and_crlf() -> None:
    body = f"Just prose, no title or source.\r\n\r\n{SEP}\r\n\r\n### Only a title\r\n"
    snippets = parse_txt(body)
    assert snippets[0].title == "" and snippets[0].source_url is None
    assert snippets[0].description == "Just prose, no title or source."
    assert snippets[1].title == "Only a title" and snippets[1].code == ""


def test_txt_empty_body_has_no_snippets() -> None:
    assert parse_txt("") == []
    assert parse_txt("\n\n" + SEP + "\n\n") == []


def test_txt_legacy_v1_fields() -> None:
    body = (
        "TITLE: Verify a webhook\nDESCRIPTION: Use verifyWebhook in the route.\n"
        "SOURCE: https://clerk.com/docs/webhooks\n\nLANGUAGE: ts\nCODE:\n```\nawait verifyWebhook(req)\n```\n\n"
        + "-" * 40
        + "\n\nTITLE: Second\nDESCRIPTION: two\n"
    )
    first, second = parse_txt(body)
    assert (first.title, first.source_url, first.language) == ("Verify a webhook", "https://clerk.com/docs/webhooks", "ts")
    assert first.description == "Use verifyWebhook in the route."
    assert first.code == "await verifyWebhook(req)"
    assert second.title == "Second"


@pytest.mark.parametrize("name", ["mfa", "session", "orgs", "m2m", "webhooks", "sdk"])
def test_txt_fixtures_parse_completely(name: str) -> None:
    text = (FIXTURES / "docs" / f"{name}.txt").read_text()
    snippets = parse_txt(text)
    assert len(snippets) == text.count(f"\n{SEP}\n") + (0 if text.rstrip().endswith(SEP) else 1)
    for snippet in snippets:
        assert snippet.title and snippet.source_url and snippet.source_url.startswith("https://")
        assert snippet.description
        assert "Source:" not in snippet.description and "```" not in snippet.description


# -- json -----------------------------------------------------------------------------


def test_json_code_and_info_snippets() -> None:
    body = json.dumps(
        {
            "codeSnippets": [
                {
                    "codeTitle": "Create an M2M token",
                    "codeDescription": "Use the machine secret key.",
                    "codeLanguage": "ts",
                    "codeTokens": 10,
                    "codeId": "https://github.com/clerk/clerk-docs/blob/main/m2m.mdx#_snippet_0",
                    "pageTitle": "M2M",
                    "codeList": [{"language": "ts", "code": "await clerk.m2m.createToken()"}],
                    "somethingNew": {"x": 1},
                }
            ],
            "infoSnippets": [{"content": "Tokens start with mt_.", "contentTokens": 5}],
            "rules": {"global": []},
        }
    )
    code, info = parse_json(body)
    assert code.title == "Create an M2M token"
    assert code.source_url == "https://github.com/clerk/clerk-docs/blob/main/m2m.mdx#_snippet_0"
    assert code.description == "Use the machine secret key." and code.code == "await clerk.m2m.createToken()"
    assert info.description == "Tokens start with mt_." and info.source_url is None and info.title


def test_json_tolerates_missing_and_odd_fields() -> None:
    body = json.dumps(
        {
            "codeSnippets": [{"codeList": [{"code": "x()"}]}, "not an object", {"codeId": "not-a-url", "codeTitle": "T"}],
            "infoSnippets": [{"breadcrumb": "A > B"}, {"content": "kept", "pageId": "https://clerk.com/docs/b", "breadcrumb": "Guides > B"}],
        }
    )
    snippets = parse_json(body)
    assert [s.code for s in snippets[:1]] == ["x()"]
    assert snippets[1].title == "T" and snippets[1].source_url is None
    assert snippets[2].title == "B" and snippets[2].source_url == "https://clerk.com/docs/b"
    assert len(snippets) == 3


@pytest.mark.parametrize("body", ["{\"codeSnippets\": [", "[1, 2]", "<html></html>"])
def test_json_malformed_raises(body: str) -> None:
    with pytest.raises(MalformedResponseError):
        parse_json(body)


def test_json_empty_is_no_snippets() -> None:
    assert parse_json("") == []
    assert parse_json('{"codeSnippets": [], "infoSnippets": []}') == []


@pytest.mark.parametrize("name", ["mfa", "session", "orgs", "m2m", "webhooks", "sdk"])
def test_json_fixture_matches_txt_fixture(name: str) -> None:
    from_txt = parse_txt((FIXTURES / "docs" / f"{name}.txt").read_text())
    from_json = parse_json((FIXTURES / "docs" / f"{name}.json").read_bytes())
    assert {s.source_url for s in from_txt} <= {s.source_url for s in from_json} | {None}
    assert {s.title for s in from_txt} <= {s.title for s in from_json}


# -- quotes ---------------------------------------------------------------------------


def test_quote_is_short_and_on_one_line() -> None:
    text = "word " * 300
    quote = quote_of(text, 400)
    assert len(quote) <= 400 and quote.endswith("…") and "\n" not in quote
    assert quote_of("short\n\ntext") == "short text"


# -- search ---------------------------------------------------------------------------


def test_search_fixture_and_ranking() -> None:
    libraries = parse_search((FIXTURES / "search_clerk.json").read_text())
    assert len(libraries) == 6
    ranked = rank_libraries(libraries, name="clerk", preferred=("/clerk/clerk-docs", "/websites/clerk"))
    # Preferred ids first though /clerk/javascript has a higher trust score; indexing and
    # errored libraries, and libraries that are not Clerk's, come last or not at all.
    assert [lib.id for lib in ranked] == [
        "/clerk/clerk-docs",
        "/websites/clerk",
        "/clerk/javascript",
        "/llmstxt/clerk_llms_txt",
    ]


def test_ranking_prefers_finalized_over_preferred_but_indexing() -> None:
    libraries = [
        Library("/clerk/clerk-docs", state="processing", trust_score=9),
        Library("/websites/clerk", state="finalized", trust_score=7),
    ]
    assert rank_libraries(libraries, name="clerk", preferred=("/clerk/clerk-docs",))[0].id == "/websites/clerk"


def test_ranking_without_preferences_uses_scores() -> None:
    libraries = [
        Library("/a/clerk-one", trust_score=7.5, benchmark_score=90),
        Library("/b/clerk-two", trust_score=8.0, benchmark_score=10),
        Library("/c/clerk-three", trust_score=8.0, benchmark_score=50),
    ]
    assert [lib.id for lib in rank_libraries(libraries, name="clerk")] == ["/c/clerk-three", "/b/clerk-two", "/a/clerk-one"]


def test_search_tolerates_shapes() -> None:
    assert parse_search("") == []
    assert parse_search('{"results": []}') == []
    assert parse_search('{"results": [{"title": "no id"}, {"id": "bad id"}, {"id": "/clerk/x", "trustScore": "high"}]}') == [
        Library("/clerk/x")
    ]
    assert parse_search('[{"id": "/clerk/x"}]') == [Library("/clerk/x")]
    with pytest.raises(MalformedResponseError):
        parse_search('{"results": [')


@pytest.mark.parametrize(
    ("value", "ok"),
    [("/clerk/clerk-docs", True), ("/clerk/clerk-docs/v1.2", True), ("/clerk/clerk-docs@v1.2", True),
     ("clerk/clerk-docs", False), ("/clerk", False), ("/a/b/c/d", False), ("/a b/c", False), (None, False)],
)
def test_library_id_pattern(value: object, ok: bool) -> None:
    assert is_library_id(value) is ok


# -- SDK versions ---------------------------------------------------------------------


def test_sdk_versions_from_every_notation() -> None:
    text = """
    npm install @clerk/nextjs@7.9.17 and later @clerk/nextjs@8.1.0
    "dependencies": { "@clerk/backend": "^3.25.0", "@clerk/ui": "~1.36.0" }
    pip install clerk-backend-api==8.0.0
    clerk_backend_api>=7.1
    go get github.com/clerk/clerk-sdk-go/v2
    """
    assert sdk_major_versions(text) == {
        "@clerk/backend": 3,
        "@clerk/nextjs": 8,
        "@clerk/ui": 1,
        "clerk-backend-api": 8,
        "github.com/clerk/clerk-sdk-go": 2,
    }


def test_sdk_versions_ignore_tags_prereleases_and_lookalikes() -> None:
    text = "@clerk/nextjs@latest, @clerk/nextjs@9.0.0-beta.1, notclerk-backend-api==9, foo@clerk/nextjs@9"
    assert sdk_major_versions(text) == {}


def test_sdk_versions_from_pyproject_and_fixture() -> None:
    assert sdk_major_versions('clerk-backend-api = "^8.0"') == {"clerk-backend-api": 8}
    text = (FIXTURES / "docs" / "sdk.txt").read_text()
    assert sdk_major_versions(text) == {"@clerk/nextjs": 7, "@clerk/ui": 1, "clerk-backend-api": 7}


def test_newer_majors() -> None:
    found = {"@clerk/nextjs": 8, "clerk-backend-api": 7}
    assert newer_majors(found, {"@clerk/nextjs": 7, "clerk-backend-api": 7, "@clerk/expo": 2}) == {"@clerk/nextjs": (7, 8)}
