"""Issue 11 #1, #2 (and #4 for caches): no cache can run code or change advice.

Caches are shared (a CI cache restored across branches), so whatever sits in the cache
directory is an attacker's: it must never be executed, unpickled or believed over the
files the advice comes from.
"""

from __future__ import annotations

import json
import os
import pickle
import re
import sys
import time
from pathlib import Path

import pytest
from harness import EXAMPLE, ROOT, assert_refused, clean_output, run, write


class _Payload:
    """Unpickling this creates the marker file: proof that a cache ran code."""

    def __init__(self, marker: Path) -> None:
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


def _poisoned_bucket(marker: Path) -> bytes:
    """A Jinja bytecode-cache file whose checksum is a pickle that writes `marker`."""
    from jinja2.bccache import bc_magic

    return bc_magic + pickle.dumps(_Payload(marker))


def _plant_bytecode_cache(cache: Path, marker: Path) -> int:
    """A poisoned __jinja2_*.cache for every template, where Jinja's FileSystemBytecodeCache
    (the old code: CLERK_ADVISOR_CACHE_DIR/templates) and its default (a temp dir) look."""
    from jinja2.bccache import BytecodeCache

    key = BytecodeCache.get_cache_key
    planted = 0
    for directory in (cache / "templates", cache):
        directory.mkdir(parents=True, exist_ok=True)
        for template in (ROOT / "templates").rglob("*.j2"):
            name = template.relative_to(ROOT / "templates").as_posix()
            for filename in (str(template), os.path.normpath(str(template))):
                (directory / f"__jinja2_{key(None, name, filename)}.cache").write_bytes(_poisoned_bucket(marker))
                planted += 1
    return planted


def test_the_poisoned_bytecode_cache_is_a_real_attack(tmp_path):
    """Control: Jinja's own bytecode cache, pointed at such a directory, runs the payload."""
    import jinja2

    marker = tmp_path / "pwned"
    _plant_bytecode_cache(tmp_path / "cache", marker)
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(ROOT / "templates")),
                             bytecode_cache=jinja2.FileSystemBytecodeCache(str(tmp_path / "cache" / "templates")))
    env.get_template("nextjs/next.config.ts.j2")
    assert marker.exists()


@pytest.mark.parametrize("stack", ["nextjs", "fastapi"])
def test_generate_never_loads_a_bytecode_cache(tmp_path, stack):
    marker = tmp_path / "pwned"
    cache = tmp_path / ".cache"
    assert _plant_bytecode_cache(cache, marker) > 50
    before = sorted(p.relative_to(cache).as_posix() for p in cache.rglob("*"))
    result = run(tmp_path, "generate", EXAMPLE, "--stack", stack, "--out", "out", env={"TMPDIR": str(cache)})
    assert result.code == 0, result.err
    clean_output(result)
    assert not marker.exists(), "a cache file was unpickled: generate ran code from the cache"
    assert sorted(p.relative_to(cache).as_posix() for p in cache.rglob("*")) == before, "generate wrote a cache"


def test_nothing_in_the_package_unpickles_or_compiles_from_a_file():
    """No module of the tool can run code from data: no pickle, marshal, shelve, Jinja
    bytecode cache, eval or exec anywhere in advisor/."""
    forbidden = re.compile(r"\b(import pickle|from pickle|import marshal|import shelve|BytecodeCache|"
                           r"cPickle|dill|joblib|(?<![\w.])eval\(|(?<![\w.])exec\()")
    hits = []
    for path in (ROOT / "advisor").rglob("*.py"):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#", 1)[0]
            if forbidden.search(code):
                hits.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert hits == []


# --------------------------------------------------------------------------- #2 packs


def _tampered_pack_cache(cache: Path) -> None:
    """What the removed rule-pack parse cache held, rewritten: MFA off everywhere."""
    packs = cache / "packs"
    packs.mkdir(parents=True, exist_ok=True)
    for name in ("shipped", "0" * 64, "f" * 16):
        write(packs / f"{name}.json", json.dumps({
            "format": "clerk-advisor/pack-cache", "version": 1,
            "rules": [{"id": "mfa.aal2-required", "set": {"auth.mfa.policy": "off"}, "line": 1}],
            "decisions": {"auth.mfa.policy": "off"},
        }))


def test_a_tampered_pack_cache_changes_no_advice(tmp_path):
    clean_dir = tmp_path / "clean"
    clean_dir.mkdir()
    honest = run(clean_dir, "recommend", EXAMPLE, "--format", "json", "--no-save")
    assert honest.code == 0
    _tampered_pack_cache(tmp_path / ".cache")
    tampered = run(tmp_path, "recommend", EXAMPLE, "--format", "json", "--no-save")
    assert tampered.code == 0, tampered.err
    decisions = json.loads(tampered.out)["decisions"]
    assert decisions["auth.mfa.policy"]["value"] == "required"
    assert decisions == json.loads(honest.out)["decisions"]
    shown = run(tmp_path, "rules", "show", "mfa.aal2-required")
    assert shown.code == 0 and "sets      auth.mfa.policy = required" in shown.out
    assert run(tmp_path, "rules", "validate").code == 0
    assert sorted(p.name for p in (tmp_path / ".cache" / "packs").iterdir()) == ["0" * 64 + ".json",
                                                                                 "f" * 16 + ".json", "shipped.json"]


# ---------------------------------------------------------------------- the docs cache


def _docs_cache(tmp: Path) -> Path:
    from advisor.docs.settings import DOCS_SUBDIR

    return tmp / ".cache" / DOCS_SUBDIR


def _library_entry_path(tmp: Path) -> Path:
    from advisor.docs import DocsCache

    digest, _ = DocsCache.library_key("clerk")
    return _docs_cache(tmp) / f"{digest}.json"


def _entry(body: str, **over) -> dict:
    import hashlib

    from advisor.docs.cache import FORMAT, VERSION

    doc = {"format": FORMAT, "version": VERSION, "kind": "library", "key": {"library_name": "clerk"},
           "created_at": time.time(), "sha256": hashlib.sha256(body.encode()).hexdigest(), "meta": {}, "body": body}
    doc.update(over)
    return doc


def _plant(path: Path, kind: str, content: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if content == "fifo":
        os.mkfifo(path)
    elif content == "/dev/zero":
        os.symlink("/dev/zero", path)
    else:
        path.write_bytes(content if isinstance(content, bytes) else str(content).encode())
        if kind == "group-writable":
            os.chmod(path, 0o666)


def _hostile_entries(tmp: Path) -> dict[str, object]:
    """One cache entry per way to hurt a reader, each under a valid entry name."""
    deep = "[" * 3000 + "]" * 3000
    return {
        "fifo": "fifo",
        "link to /dev/zero": "/dev/zero",
        "over the size limit": json.dumps(_entry("x" * (5 << 20))),
        "3,000-deep nesting": '{"format": ' + deep + "}",
        "5,000-digit integer": json.dumps(_entry('["/clerk/docs"]')).replace('"version": 1',
                                                                            '"version": ' + "9" * 5000),
        "created_at 1e300": json.dumps(_entry('["/clerk/docs"]', created_at=1e300)),
        "created_at NaN": json.dumps(_entry('["/clerk/docs"]')).replace('"created_at": ', '"created_at": NaN, "x": '),
        "not UTF-8": b"\xff\xfe" + json.dumps(_entry('["/clerk/docs"]')).encode(),
        "group-writable": json.dumps(_entry('["/evil/library"]')),
    }


@pytest.mark.parametrize("kind", list(_hostile_entries(Path("/tmp"))))
def test_a_hostile_docs_cache_entry_is_a_miss(tmp_path, kind):
    _plant(_library_entry_path(tmp_path), kind, _hostile_entries(tmp_path)[kind])
    status = run(tmp_path, "docs", "status", timeout=10)
    assert status.code == 0, status.err
    clean_output(status)
    assert "library id:  - (not resolved yet)" in status.out or "library id: - (not resolved yet)" in status.out
    assert "/evil/library" not in status.out
    assert status.cpu < 1 and status.rss_mb < 200
    offline = run(tmp_path, "recommend", EXAMPLE, "--docs", "--offline", "--no-save", "--format", "json", timeout=10)
    assert offline.code == 0, offline.err
    clean_output(offline)
    assert json.loads(offline.out)["docs"] == []


def test_status_as_json_survives_hostile_entries(tmp_path):
    for i, (kind, content) in enumerate(_hostile_entries(tmp_path).items()):
        _plant(_docs_cache(tmp_path) / f"{i:064x}.json", kind, content)
    status = run(tmp_path, "docs", "status", "--format", "json", timeout=10)
    assert status.code == 0, status.err
    data = json.loads(status.out)
    assert data["entries"] == len(_hostile_entries(tmp_path))
    assert data["unreadable_entries"] == data["entries"]
    cleared = run(tmp_path, "docs", "clear", timeout=10)
    assert cleared.code == 0 and not any(_docs_cache(tmp_path).glob("*.json"))


def test_the_docs_cache_never_changes_a_decision(tmp_path):
    """Docs attach excerpts; whatever a (poisoned) docs cache says, the values stay."""
    from advisor.docs import DocsCache

    cache = DocsCache(_docs_cache(tmp_path), ttl_seconds=3600)
    cache.put_library("clerk", ["/clerk/clerk-docs"])
    lie = "### Turn MFA off\n\nSource: https://clerk.com/docs\n\nauth.mfa.policy: off. Set MFA to off; it is safe.\n"
    from advisor.architecture.docs import questions  # what recommend asks Context7, per area

    decisions = json.loads(run(tmp_path, "recommend", EXAMPLE, "--format", "json", "--no-save").out)["decisions"]
    for query in questions(lambda key: decisions[key]["value"] if key in decisions else None).values():
        for doc_type in ("txt", "json"):
            cache.put_context("/clerk/clerk-docs", query, doc_type, lie, meta={})
    plain = run(tmp_path, "recommend", EXAMPLE, "--format", "json", "--no-save")
    docs = run(tmp_path, "recommend", EXAMPLE, "--docs", "--offline", "--format", "json", "--no-save")
    assert docs.code == 0, docs.err
    with_docs = json.loads(docs.out)
    assert with_docs["docs"], "the cached excerpts were used"
    assert with_docs["decisions"] == json.loads(plain.out)["decisions"]


def test_a_docs_cache_dir_that_is_a_file_is_no_error(tmp_path):
    write(_docs_cache(tmp_path), "not a directory")
    result = run(tmp_path, "recommend", EXAMPLE, "--docs", "--offline", "--no-save")
    assert result.code == 0, result.err
    clean_output(result)


def test_rules_validate_reads_no_cache_at_all(tmp_path):
    cache = tmp_path / ".cache"
    cache.mkdir()
    os.mkfifo(cache / "packs")  # a reader of a pack cache would block here
    result = run(tmp_path, "rules", "validate", timeout=10)
    assert result.code == 0, result.err


def test_bad_pack_cache_would_be_refused_as_input_not_followed(tmp_path):
    """A requirements file the cache points at is still read from disk, and its errors are
    its own."""
    write(tmp_path / "req.yaml", "schema: 1\naudience: aliens\n")
    _tampered_pack_cache(tmp_path / ".cache")
    assert_refused(run(tmp_path, "recommend", "req.yaml", "--no-save"), "req.yaml:2:11", "aliens")


if sys.platform != "linux":  # FIFOs and /dev/zero are what the attacks use
    pytestmark = pytest.mark.skip("POSIX-only attacks")
