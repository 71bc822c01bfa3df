"""Hostile inputs against the real CLI, with the figures issue 11 asks for.

Generates malformed requirements files (every kind a person or an attacker can hand the
tool) and hostile rule packs, runs each through the real command in a fresh process under
resource limits, and reports: how many exit 2, how many name the location where one
exists, how many print a traceback, and the worst time and memory of a single run.

    python benchmarks/attack_inputs.py              # the figures, exit 1 if one fails
    python benchmarks/attack_inputs.py --verbose    # one line per attack
    python benchmarks/attack_inputs.py --json       # machine-readable

tests/hardening/test_figures.py runs the same attacks and asserts the same figures.

Limits per run: "answered within 1 s" is checked as CPU time (user + system), which does
not depend on how busy the machine is; wall time is reported and bounded by a kill after
`WALL_TIMEOUT` seconds (a FIFO that blocks, a read that never ends). Memory is the run's
peak resident set (ru_maxrss of that one child). RLIMIT_AS, RLIMIT_CPU and RLIMIT_FSIZE
cap every run so that a defect cannot hurt the machine (no 23 GB read, no endless loop).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASIC_PACK = ROOT / "tests" / "fixtures" / "packs" / "basic"

CPU_LIMIT_SECONDS = 1.0  # the figure: each answered within 1 s
RSS_LIMIT_MB = 200  # the figure: and 200 MB
WALL_TIMEOUT = 20.0  # a run still going after this is killed (and fails)
ADDRESS_SPACE_MB = 2048  # RLIMIT_AS: a runaway allocation fails fast instead of swapping
OUTPUT_CAP = 1 << 20  # bytes of stdout/stderr kept per run


# ------------------------------------------------------------------------------ running


@dataclass
class Outcome:
    code: int | None  # None: killed after WALL_TIMEOUT
    out: str
    err: str
    wall: float
    cpu: float
    rss_mb: float

    @property
    def traceback(self) -> bool:
        return "Traceback (most recent call last)" in self.err or "Exception ignored" in self.err


def _limits(cpu: int, memory_mb: int) -> Callable[[], None]:
    def apply() -> None:
        os.setsid()  # its own process group: a timeout kills everything it started
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
        resource.setrlimit(resource.RLIMIT_AS, (memory_mb << 20, memory_mb << 20))
        resource.setrlimit(resource.RLIMIT_FSIZE, (64 << 20, 64 << 20))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    return apply


def _drain(stream, sink: list[bytes]) -> None:
    size = 0
    while chunk := stream.read(65536):
        if size < OUTPUT_CAP:
            sink.append(chunk[: OUTPUT_CAP - size])
        size += len(chunk)
    stream.close()


def _without_root_powers() -> list[str] | None:
    """A command prefix under which file permissions hold even for root (so a chmod 000
    file is unreadable, a read-only folder unwritable): root without the capabilities
    that override them. [] when not root; None when root and setpriv is missing."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None
    return [setpriv, "--bounding-set", "-dac_override,-dac_read_search,-fowner", "--"]


PERMISSIONS_HOLD = _without_root_powers() is not None


def run_cli(args: list[str], *, cwd: Path, env: dict[str, str] | None = None, stdin: bytes | None = None,
            timeout: float = WALL_TIMEOUT, cpu: int = 10, memory_mb: int = ADDRESS_SPACE_MB,
            stdout: int | None = None) -> Outcome:
    """`clerk-advisor ARGS` in a new interpreter under resource limits, with its own rusage.
    File permissions hold (see _without_root_powers). `stdout` may name a file descriptor
    to write to instead of a pipe (/dev/full, a closed one)."""
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    prefix = _without_root_powers() or []
    start = time.perf_counter()
    proc = subprocess.Popen([*prefix, sys.executable, "-m", "advisor", *args], cwd=cwd, env=full_env,
                            stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                            stdout=subprocess.PIPE if stdout is None else stdout, stderr=subprocess.PIPE,
                            preexec_fn=_limits(cpu, memory_mb))
    out: list[bytes] = []
    err: list[bytes] = []
    readers = [threading.Thread(target=_drain, args=(proc.stderr, err), daemon=True)]
    if proc.stdout is not None:
        readers.append(threading.Thread(target=_drain, args=(proc.stdout, out), daemon=True))
    for t in readers:
        t.start()
    if stdin is not None and proc.stdin is not None:
        try:
            proc.stdin.write(stdin)
            proc.stdin.close()
        except OSError:
            pass
    killed = threading.Event()

    def kill() -> None:
        killed.set()
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    timer = threading.Timer(timeout, kill)
    timer.start()
    try:
        # wait4 instead of Popen.wait: the rusage of this one child (peak RSS, CPU).
        _, status, usage = os.wait4(proc.pid, 0)
    finally:
        timer.cancel()
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    for t in readers:
        t.join(5)
    return Outcome(
        code=None if killed.is_set() else proc.returncode,
        out=b"".join(out).decode("utf-8", "replace"),
        err=b"".join(err).decode("utf-8", "replace"),
        wall=wall, cpu=usage.ru_utime + usage.ru_stime, rss_mb=usage.ru_maxrss / 1024,
    )


# ------------------------------------------------------------------------------ cases


@dataclass
class Case:
    """One attack: files to lay out, the command, and where the message must point.

    `where` is the start of the expected location ("req.yaml:3:" or "req.yaml"); None when
    the input has no place to point at. `setup` may build what text cannot (a FIFO, a link).
    """

    name: str
    files: dict[str, bytes | str] = field(default_factory=dict)
    args: list[str] = field(default_factory=list)
    where: str | None = None
    message: str | None = None  # a fragment the message must contain
    setup: Callable[[Path], None] | None = None
    needs_permissions: bool = False  # chmod 000 must mean something (see _without_root_powers)


REQ = "req.yaml"


def _req(name: str, text: str | bytes, where: str | None, message: str | None = None, **kw) -> Case:
    return Case(name, {REQ: text}, ["recommend", REQ, "--no-save"], where, message, **kw)


def _link(target: str, name: str = REQ) -> Callable[[Path], None]:
    def setup(tmp: Path) -> None:
        (tmp / name).unlink(missing_ok=True)
        os.symlink(target, tmp / name)

    return setup


def _fifo(name: str = REQ) -> Callable[[Path], None]:
    def setup(tmp: Path) -> None:
        (tmp / name).unlink(missing_ok=True)
        os.mkfifo(tmp / name)

    return setup


def _sparse(name: str, size: int) -> Callable[[Path], None]:
    def setup(tmp: Path) -> None:
        with open(tmp / name, "wb") as fh:
            fh.truncate(size)

    return setup


def _chmod(name: str, mode: int) -> Callable[[Path], None]:
    def setup(tmp: Path) -> None:
        os.chmod(tmp / name, mode)

    return setup


def _mkdir(name: str) -> Callable[[Path], None]:
    def setup(tmp: Path) -> None:
        (tmp / name).mkdir(parents=True, exist_ok=True)

    return setup


S = "schema: 1\n"


def malformed_requirements() -> list[Case]:
    """Requirements files that must each get exit 2 and one located message."""
    nested = "[" * 2000 + "]" * 2000  # 4 KB: took 5 s in ruamel's pure-Python scanner
    cases = [
        # --- the file itself
        Case("missing file", {}, ["recommend", "nope.yaml", "--no-save"], "nope.yaml", "not found"),
        _req("directory", "", REQ, "directory", setup=lambda t: ((t / REQ).unlink(), (t / REQ).mkdir())),
        _req("fifo", "", REQ, "not a regular file", setup=_fifo()),
        _req("link to /dev/zero", "", REQ, "not a regular file", setup=_link("/dev/zero")),
        _req("link to /dev/urandom", "", REQ, "not a regular file", setup=_link("/dev/urandom")),
        _req("link to /dev/stdin", "", REQ, None, setup=_link("/dev/stdin")),
        _req("symlink loop", "", REQ, None, setup=_link(REQ)),
        _req("dangling symlink", "", REQ, "not found", setup=_link("missing-target.yaml")),
        _req("unreadable", S, REQ, "permission", setup=_chmod(REQ, 0), needs_permissions=True),
        _req("over 2 MB", S + "#" * (3 << 20) + "\n", REQ, "limit"),
        _req("sparse 5 GB file", "", REQ, "limit", setup=_sparse(REQ, 5 << 30)),
        _req("empty file", "", REQ, "empty"),
        _req("only comments", "# nothing here\n# at all\n", REQ, "empty"),
        _req("only whitespace", "   \n\n\t\n", REQ),
        _req("invalid UTF-8", (S + "project:\n  name: caf\xe9\n").encode("latin-1"),
             f"{REQ}:3:", "UTF-8"),
        _req("UTF-16 with BOM", ("schema: 1\n").encode("utf-16"), f"{REQ}:1:", "UTF-8"),
        _req("NUL bytes", b"schema: 1\x00\nproject: x\n", f"{REQ}:1:"),
        _req("binary garbage", bytes(range(256)) * 4, f"{REQ}:2:"),
        _req("surrogate bytes", b"schema: 1\nproject:\n  name: \xed\xa0\x80\n", f"{REQ}:3:", "UTF-8"),
        _req("ELF header", b"\x7fELF\x02\x01\x01" + b"\x00" * 64, f"{REQ}:1:"),
        # --- YAML syntax
        _req("unclosed bracket", S + "project: [\n", f"{REQ}:", "invalid YAML"),
        _req("unclosed quote", S + 'project:\n  name: "acme\n', f"{REQ}:", "invalid YAML"),
        _req("bad indentation", S + "project:\n    name: acme\n  web: x\n", f"{REQ}:", "invalid YAML"),
        _req("tab indentation", S + "project:\n\tname: acme\n", f"{REQ}:", "invalid YAML"),
        _req("duplicate top key", S + "schema: 1\n", f"{REQ}:2:", "duplicate key"),
        _req("duplicate nested key", S + "project:\n  name: a\n  name: b\n", f"{REQ}:4:", "duplicate key"),
        _req("duplicate key in flow", S + "project: {name: a, name: b}\n", f"{REQ}:2:", "duplicate key"),
        _req("alias bomb", S + "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
             "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n",
             f"{REQ}:3:", "aliases"),
        _req("simple alias", S + "project: &p {name: acme}\nx: *p\n", f"{REQ}:3:", "aliases"),
        _req("merge key", S + "base: &b {web: nextjs}\nplatforms:\n  <<: *b\n", f"{REQ}:4:", "aliases"),
        _req("unknown tag", S + "project:\n  name: !foo acme\n", f"{REQ}:3:", "tag !foo"),
        _req("python object tag", S + "project: !!python/object/apply:os.system [echo pwned]\n", f"{REQ}:2:",
             "tag"),
        _req("binary tag", S + "project: !!binary aGVsbG8=\n", f"{REQ}:2:", "tag"),
        _req("set tag", S + "platforms:\n  mobile: !!set {expo: null}\n", f"{REQ}:3:", "tag"),
        _req("timestamp tag", S + "project:\n  name: !!timestamp 2001-12-14\n", f"{REQ}:3:", "tag"),
        _req("two documents", S + "---\nschema: 1\n", REQ, "one YAML document"),
        _req("document end then junk", S + "...\n]]]\n", f"{REQ}:", None),
        _req("bad directive", "%YAML 9.9\n---\nschema: 1\n", f"{REQ}:", None),
        _req("2,000 nested brackets (4 KB)", S + "project: " + nested + "\n", f"{REQ}:2:", "nested"),
        _req("3,000 nested mappings", S + "project: " + "{a: " * 3000 + "1" + "}" * 3000 + "\n", f"{REQ}:2:",
             "nested"),
        _req("200 levels of block nesting",
             S + "".join(" " * (2 * i) + f"k{i}:\n" for i in range(200)) + " " * 400 + "v: 1\n", f"{REQ}:",
             None),
        _req("complex key", S + "? [a, b]\n: c\n", f"{REQ}:2:"),
        _req("null key", S + "~: 1\n", f"{REQ}:2:"),
        _req("integer key", S + "1: x\n", f"{REQ}:2:"),
        _req("boolean key", S + "true: x\n", f"{REQ}:2:"),
        _req("1.9 MB scalar", S + "project:\n  name: " + "a" * (1900 << 10) + "\n", f"{REQ}:3:"),
        _req("100 KB key", S + "k" * (100 << 10) + ": 1\n", f"{REQ}:2:", "invalid YAML"),
        _req("60,000 unknown keys", S + "".join(f"k{i:05d}: 1\n" for i in range(60000)), f"{REQ}:1001:1",
             "more than 1000 keys"),
        _req("900 unknown keys", S + "".join(f"k{i:05d}: 1\n" for i in range(900)), f"{REQ}:2:1",
             "and 880 more problems"),
        _req("30,000 custom roles", S + "tenancy:\n  organizations: optional\n  custom_roles: ["
             + ", ".join(f"r{i}" for i in range(30000)) + "]\n", f"{REQ}:", None),
        _req("100,000 backends", S + "platforms:\n  backends: [" + ", ".join(["fastapi"] * 100000) + "]\n",
             f"{REQ}:3:", None),
        _req("10,000 webhook events", S + "integrations:\n  webhooks: ["
             + ", ".join(f"user.e{i}" for i in range(10000)) + "]\n", f"{REQ}:3:", None),
        # --- numbers
        _req("5,000-digit integer", S + "users:\n  expected_mau: " + "9" * 5000 + "\n", f"{REQ}:3:"),
        _req("5,000-digit hex integer", S + "users:\n  expected_mau: 0x" + "f" * 5000 + "\n", f"{REQ}:3:"),
        _req("5,000-digit negative integer", S + "users:\n  expected_mau: -" + "9" * 5000 + "\n", f"{REQ}:3:"),
        _req("5,000-digit schema", "schema: " + "1" * 5000 + "\n", f"{REQ}:1:"),
        _req("tagged 5,000-digit integer", S + "users:\n  expected_mau: !!int " + "9" * 5000 + "\n", f"{REQ}:3:"),
        _req("float overflow", S + "users:\n  expected_mau: 1e400\n", f"{REQ}:3:"),
        _req("nan", S + "users:\n  expected_mau: .nan\n", f"{REQ}:3:"),
        _req("negative mau", S + "users:\n  expected_mau: -1\n", f"{REQ}:3:"),
        _req("mau over the bound", S + "users:\n  expected_mau: 99999999999999999999999\n", f"{REQ}:3:"),
        _req("mau true", S + "users:\n  expected_mau: true\n", f"{REQ}:3:"),
        _req("mau as a string", S + "users:\n  expected_mau: '1000'\n", f"{REQ}:3:"),
        _req("mau as a float", S + "users:\n  expected_mau: 1.5\n", f"{REQ}:3:"),
        _req("negative session lifetime", S + "preferences:\n  session_max_lifetime_hours: -5\n", f"{REQ}:3:"),
        _req("huge session lifetime", S + "preferences:\n  session_max_lifetime_hours: " + "9" * 40 + "\n",
             f"{REQ}:3:"),
        _req("schema missing", "project:\n  name: acme\n", f"{REQ}:1:", "schema"),
        _req("schema 2", "schema: 2\n", f"{REQ}:1:", "not supported"),
        _req("schema as a string", "schema: '1'\n", f"{REQ}:1:"),
        _req("schema true", "schema: true\n", f"{REQ}:1:"),
        _req("schema 1.5", "schema: 1.5\n", f"{REQ}:1:"),
        _req("schema null", "schema:\n", f"{REQ}:1:"),
        _req("top-level list", "- schema: 1\n", f"{REQ}:1:", "mapping"),
        _req("top-level scalar", "just text\n", f"{REQ}:1:", "mapping"),
        _req("top-level null", "~\n", REQ),
        _req("unknown top key", S + "platform:\n  web: nextjs\n", f"{REQ}:2:", "unknown key"),
        _req("unknown nested key", S + "threat_model:\n  complience: [pci-dss]\n", f"{REQ}:3:", "unknown key"),
        _req("section not a mapping", S + "project: acme\n", f"{REQ}:2:"),
        _req("section a list", S + "platforms: [nextjs]\n", f"{REQ}:2:"),
        _req("project name with spaces", S + "project:\n  name: Acme Corp\n", f"{REQ}:3:"),
        _req("project name 65 chars", S + "project:\n  name: a" + "b" * 64 + "\n", f"{REQ}:3:"),
        _req("project name with newline", S + 'project:\n  name: "acme\\n"\n', f"{REQ}:3:"),
        _req("project name with escape", S + 'project:\n  name: "acme\\e]0;pwned\\a"\n', f"{REQ}:3:"),
        _req("project name homoglyph", S + "project:\n  name: \u0430cme\n", f"{REQ}:3:"),
        _req("project name as a number", S + "project:\n  name: 42\n", f"{REQ}:3:"),
        _req("project name as a list", S + "project:\n  name: [a]\n", f"{REQ}:3:"),
        _req("web enum", S + "platforms:\n  web: nextj\n", f"{REQ}:3:", "not allowed"),
        _req("web null", S + "platforms:\n  web: null\n", f"{REQ}:3:"),
        _req("web with escape", S + 'platforms:\n  web: "\\e]8;;http://evil\\a"\n', f"{REQ}:3:"),
        _req("nextjs 14", S + "platforms:\n  nextjs_version: 14\n", f"{REQ}:3:"),
        _req("duplicate mobile", S + "platforms:\n  mobile: [expo, expo]\n", f"{REQ}:3:", "twice"),
        _req("duplicate backends", S + "platforms:\n  backends: [fastapi, fastapi]\n", f"{REQ}:3:", "twice"),
        _req("backends a string", S + "platforms:\n  backends: fastapi\n", f"{REQ}:3:"),
        _req("backends nested list", S + "platforms:\n  backends: [[fastapi]]\n", f"{REQ}:3:"),
        _req("audience enum", S + "audience: aliens\n", f"{REQ}:2:", "not allowed"),
        _req("audience number", S + "audience: 7\n", f"{REQ}:2:"),
        _req("empty region", S + "users:\n  regions: ['']\n", f"{REQ}:3:"),
        _req("organizations enum", S + "tenancy:\n  organizations: sometimes\n", f"{REQ}:3:"),
        _req("role with trailing newline", S + 'tenancy:\n  organizations: optional\n  custom_roles: ["billing\\n"]\n',
             f"{REQ}:4:"),
        _req("default role as custom", S + "tenancy:\n  organizations: optional\n  custom_roles: [admin]\n",
             f"{REQ}:4:"),
        _req("duplicate roles", S + "tenancy:\n  organizations: optional\n  custom_roles: [billing, billing]\n",
             f"{REQ}:4:", "twice"),
        _req("role 100 chars", S + "tenancy:\n  organizations: optional\n  custom_roles: [r" + "x" * 99 + "]\n",
             f"{REQ}:4:"),
        _req("role with two org prefixes",
             S + "tenancy:\n  organizations: optional\n  custom_roles: ['org:org:billing']\n", f"{REQ}:4:"),
        _req("impact enum", S + "threat_model:\n  impact: extreme\n", f"{REQ}:3:"),
        _req("compliance item", S + "threat_model:\n  compliance: [pci-dss, fedramp]\n", f"{REQ}:3:"),
        _req("threats a mapping", S + "threat_model:\n  threats: {bots: true}\n", f"{REQ}:3:"),
        _req("mfa boolean", S + "preferences:\n  mfa: true\n", f"{REQ}:3:"),
        _req("social provider javascript:", S + "preferences:\n  social_providers: ['javascript:alert(1)']\n",
             f"{REQ}:3:"),
        _req("passwordless item", S + "preferences:\n  passwordless: [carrier_pigeon]\n", f"{REQ}:3:"),
        _req("webhook event name", S + "integrations:\n  webhooks: ['user.created; rm -rf /']\n", f"{REQ}:3:"),
        _req("duplicate webhook", S + "integrations:\n  webhooks: [user.created, user.created]\n", f"{REQ}:3:",
             "twice"),
        _req("key with escape", S + '"\\e[2J\\e]0;pwned\\a": 1\n', f"{REQ}:2:", "unknown key"),
        _req("value with C1 CSI", S + 'audience: "\\x9b31m"\n', f"{REQ}:2:"),
        _req("value with bidi override", S + 'audience: "b2c\\u202e"\n', f"{REQ}:2:"),
        _req("line separator in value", S + 'audience: "b2c\\u2028x"\n', f"{REQ}:2:"),
        _req("CRLF line ends", (S + "audience: aliens\n").replace("\n", "\r\n"), f"{REQ}:2:"),
        _req("BOM then an error", "\ufeff" + S + "audience: aliens\n", f"{REQ}:2:"),
        _req("2 MB of YAML 1.2-only flow scalars", S + "platforms:\n  backends: ["
             + ", ".join(f"a:{i}" for i in range(200000)) + "]\n", f"{REQ}:3:", "quote a value"),
        _req("90 KB of YAML 1.2-only flow scalars", S + "platforms:\n  backends: ["
             + ", ".join(f"a:{i}" for i in range(12000)) + "]\n", f"{REQ}:3:"),
        _req("65 levels of lists", S + "platforms:\n  backends: " + "[" * 65 + "]" * 65 + "\n", f"{REQ}:3:",
             "nested"),
        _req("100 levels of mappings in a known section",
             S + "project: " + "{name: " * 100 + "a" + "}" * 100 + "\n", f"{REQ}:2:", "nested"),
    ]
    return cases


# --------------------------------------------------------------------- hostile rule packs

RULE = """\
- id: test.rule
  version: 1
  title: A rule
  when: {fact: audience, eq: b2b}
  set: {auth.mfa.policy: required}
  severity: high
  because: A reason.
  refs: [nist-800-63b-4:2.2.1]
"""
PACK = "pack"


def _rule(**changes: str) -> str:
    """RULE with some of its lines replaced (key -> the YAML text after `key: `)."""
    lines = []
    for line in RULE.splitlines():
        key = line.strip().lstrip("- ").split(":", 1)[0]
        if key in changes:
            value = changes.pop(key)
            if value is None:
                continue
            prefix = line[: line.index(key)]
            line = f"{prefix}{key}: {value}"
        lines.append(line)
    for key, value in changes.items():
        lines.append(f"  {key}: {value}")
    return "\n".join(lines) + "\n"


def _pack(name: str, files: dict[str, str | bytes | None], where: str | None, message: str | None = None,
          setup: Callable[[Path], None] | None = None, **kw) -> Case:
    """The basic test pack with `files` added, replaced or (None) removed."""
    base = {p.name: p.read_text(encoding="utf-8") for p in sorted(BASIC_PACK.glob("*.yaml"))}
    laid: dict[str, bytes | str] = {}
    removed = {k for k, v in files.items() if v is None}
    for rel, text in {**base, **{k: v for k, v in files.items() if v is not None}}.items():
        if rel not in removed:
            laid[f"{PACK}/{rel}"] = text
    return Case(name, laid, ["rules", "validate", PACK], where and f"{PACK}/{where}", message, setup, **kw)


def _in_pack(make: Callable[[Path], None]) -> Callable[[Path], None]:
    return lambda tmp: make(tmp / PACK)


def hostile_packs() -> list[Case]:
    """Rule packs that must each be refused with exit 2 and a located message."""
    deep_not = "{not: " * 3000 + "{fact: audience, eq: b2b}" + "}" * 3000
    cases = [
        # --- the pack directory and its files
        Case("pack directory missing", {}, ["rules", "validate", "no-pack"], "no-pack", "not found"),
        Case("pack directory is a file", {"pack": "x"}, ["rules", "validate", "pack"], "pack"),
        _pack("pack.yaml missing", {"pack.yaml": None}, "pack.yaml", "not found"),
        _pack("references.yaml missing", {"references.yaml": None}, "references.yaml", "not found"),
        _pack("no rule files", {"rules.yaml": None}, "", "no rule files"),
        _pack("pack.yaml is a FIFO", {}, "pack.yaml", "not a regular file", setup=_in_pack(_fifo("pack.yaml"))),
        _pack("rule file is a FIFO", {"z.yaml": ""}, "z.yaml", "not a regular file",
              setup=_in_pack(_fifo("z.yaml"))),
        _pack("rule file linked to /dev/zero", {"z.yaml": ""}, "z.yaml", "not a regular file",
              setup=_in_pack(_link("/dev/zero", "z.yaml"))),
        _pack("references linked to /dev/zero", {}, "references.yaml", "not a regular file",
              setup=_in_pack(_link("/dev/zero", "references.yaml"))),
        _pack("rule file sparse 5 GB", {"z.yaml": ""}, "z.yaml", "limit", setup=_in_pack(_sparse("z.yaml", 5 << 30))),
        _pack("rule file over 2 MB", {"z.yaml": "#" * (3 << 20)}, "z.yaml", "limit"),
        _pack("rule file is a directory", {}, "z.yaml", "directory", setup=_in_pack(_mkdir("z.yaml"))),
        _pack("rule file unreadable", {"z.yaml": RULE}, "z.yaml", "permission",
              setup=_in_pack(_chmod("z.yaml", 0)), needs_permissions=True),
        _pack("rule file invalid UTF-8", {"z.yaml": RULE.encode() + b"# \xff\n"}, "z.yaml:9:", "UTF-8"),
        _pack("rule file binary", {"z.yaml": bytes(range(256))}, "z.yaml:2:"),
        # --- YAML
        _pack("rule file syntax error", {"z.yaml": RULE + "- id: [\n"}, "z.yaml:", "invalid YAML"),
        _pack("rule file alias bomb", {"z.yaml": "- &a [x, x, x, x, x, x, x, x]\n- &b [*a, *a, *a, *a, *a, *a]\n"},
              "z.yaml:2:", "aliases"),
        _pack("pack.yaml alias", {"pack.yaml": "name: &n x\nversion: *n\n"}, "pack.yaml:2:", "aliases"),
        _pack("rule file python tag", {"z.yaml": "- !!python/object/apply:os.system [echo pwned]\n"}, "z.yaml:1:",
              "tag"),
        _pack("rule file two documents", {"z.yaml": RULE + "---\n" + RULE}, "z.yaml", "one YAML document"),
        _pack("duplicate key in a rule", {"z.yaml": RULE + "  id: other.rule\n"}, "z.yaml:9:", "duplicate key"),
        _pack("1.3 MB of YAML 1.2-only flow scalars",
              {"z.yaml": "".join(_rule(id=f"t.r{i}", set=f"{{orgs.permissions: [org:p{i}:read]}}")
                                 for i in range(6000))}, "z.yaml:5:", "quote a value"),
        _pack("3,000-deep not", {"z.yaml": _rule(when=deep_not)}, "z.yaml:4:", "nested"),
        _pack("100-deep all", {"z.yaml": _rule(when="{all: [" * 100 + "{fact: audience, eq: b2b}" + "]}" * 100)},
              "z.yaml:4:", "nested"),
        _pack("3,000-deep refs", {"z.yaml": _rule(refs="[" * 3000 + "]" * 3000)}, "z.yaml:8:", "nested"),
        _pack("5,000-digit version", {"z.yaml": _rule(version="9" * 5000)}, "z.yaml:2:"),
        _pack("5,000-digit value in a condition",
              {"z.yaml": _rule(when="{fact: users.expected_mau, gte: " + "9" * 5000 + "}")}, "z.yaml:4:"),
        _pack("5,000-digit pack version", {"pack.yaml": "name: x\nversion: " + "9" * 5000 + "\n"}, "pack.yaml:2:"),
        # --- pack.yaml and references.yaml
        _pack("pack.yaml not a mapping", {"pack.yaml": "- x\n"}, "pack.yaml", "mapping"),
        _pack("pack version malformed", {"pack.yaml": "name: x\nversion: latest\n"}, "pack.yaml:2:", "version"),
        _pack("pack name with newline", {"pack.yaml": 'name: "x\\ny"\nversion: 2026.1.0\n'}, "pack.yaml:1:",
              "name"),
        _pack("pack.yaml unknown key", {"pack.yaml": "name: x\nversion: 2026.1.0\nhooks: [rm]\n"}, "pack.yaml:3:"),
        _pack("references not a mapping", {"references.yaml": "- a\n"}, "references.yaml:1:", None),
        _pack("reference url javascript:", {"references.yaml": BASIC_REFS.replace(
            "https://pages.nist.gov/800-63-4/sp800-63b.html", "'javascript:alert(1)'")}, "references.yaml:1:",
            "url"),
        _pack("reference url with markup", {"references.yaml": BASIC_REFS.replace(
            "https://pages.nist.gov/800-63-4/sp800-63b.html", '"https://x.example/a|b\\n<script>alert(1)</script>"')},
            "references.yaml:1:", "url"),
        _pack("reference url plain http", {"references.yaml": BASIC_REFS.replace(
            "https://pages.nist.gov/800-63-4/sp800-63b.html", "http://pages.nist.gov/")}, "references.yaml:1:",
            "url"),
        _pack("reference key malformed", {"references.yaml": BASIC_REFS + "'bad key':\n  title: x\n  url: https://x.example/\n"},
              "references.yaml:7:", "ref key"),
        _pack("reference title with escape", {"references.yaml": BASIC_REFS.replace(
            "title: NIST SP 800-63B-4, 2.2.1", 'title: "NIST \\e]0;pwned\\a"')}, "references.yaml:", None),
        _pack("reference extra key", {"references.yaml": BASIC_REFS.replace(
            "  url: https://www.pcisecuritystandards.org/", "  url: https://www.pcisecuritystandards.org/\n  exec: x")},
            "references.yaml:4:", None),
        # --- rules
        _pack("rule file a mapping", {"z.yaml": "id: x\n"}, "z.yaml:1:", "list"),
        _pack("rule a string", {"z.yaml": "- just text\n"}, "z.yaml:1:"),
        _pack("unknown rule key", {"z.yaml": _rule(exec="rm -rf /")}, "z.yaml:9:", "unknown key"),
        _pack("id missing", {"z.yaml": _rule().replace("- id: test.rule\n  ", "- ")}, "z.yaml:1:", "`id`"),
        _pack("id malformed", {"z.yaml": _rule(id="'Bad Id!'")}, "z.yaml:1:", "id"),
        _pack("duplicate id", {"z.yaml": RULE + RULE}, "z.yaml:9:", "duplicate rule id"),
        _pack("version zero", {"z.yaml": _rule(version="0")}, "z.yaml:2:", "version"),
        _pack("version a string", {"z.yaml": _rule(version="'1'")}, "z.yaml:2:", "version"),
        _pack("empty title", {"z.yaml": _rule(title="''")}, "z.yaml:3:", "title"),
        _pack("title 5,000 characters", {"z.yaml": _rule(title="t" * 5000)}, "z.yaml:3:", "title"),
        _pack("because with escapes", {"z.yaml": _rule(because='"\\e[2J\\e]0;pwned\\a\\x9b31m"')}, "z.yaml:7:",
              "control"),
        _pack("finding with NUL", {"z.yaml": _rule(finding='"a\\0b"')}, "z.yaml:9:", "control"),
        _pack("severity unknown", {"z.yaml": _rule(severity="apocalyptic")}, "z.yaml:6:", "severity"),
        _pack("refs empty", {"z.yaml": _rule(refs="[]")}, "z.yaml:8:", "refs"),
        _pack("refs a mapping item", {"z.yaml": _rule(refs="[{a: 1}]")}, "z.yaml:8:", "ref"),
        _pack("refs unknown key", {"z.yaml": _rule(refs="[nope:1]")}, "z.yaml:8:", "references.yaml"),
        _pack("unknown fact", {"z.yaml": _rule(when="{fact: bogus.thing, eq: 1}")}, "z.yaml:4:", "unknown fact"),
        _pack("unknown operator", {"z.yaml": _rule(when="{fact: audience, regex: '.*'}")}, "z.yaml:4:", None),
        _pack("two operators", {"z.yaml": _rule(when="{fact: audience, eq: b2b, ne: b2c}")}, "z.yaml:4:", None),
        _pack("condition a list", {"z.yaml": _rule(when="[a, b]")}, "z.yaml:4:", None),
        _pack("value of the wrong type", {"z.yaml": _rule(when="{fact: integrations.m2m, eq: 'yes'}")},
              "z.yaml:4:", None),
        _pack("in with a scalar", {"z.yaml": _rule(when="{fact: audience, in: b2b}")}, "z.yaml:4:", None),
        _pack("contains a number", {"z.yaml": _rule(when="{fact: tenancy.custom_roles, contains: 1}")}, "z.yaml:4:",
              None),
        _pack("unknown decision key", {"z.yaml": _rule(set="{auth.mfa.polcy: required}")}, "z.yaml:5:",
              "unknown decision key"),
        _pack("set value of the wrong type", {"z.yaml": _rule(set="{auth.mfa.policy: maybe}")}, "z.yaml:5:", None),
        _pack("set list with a bad item", {"z.yaml": _rule(set="{auth.first_factors: [carrier_pigeon]}")},
              "z.yaml:5:", None),
        _pack("remove from a scalar key", {"z.yaml": _rule(remove="{auth.mfa.policy: [required]}")}, "z.yaml:9:",
              None),
        _pack("fact value with a bad prefix",
              {"z.yaml": _rule(set='{orgs.roles: {fact: tenancy.custom_roles, prefix: "bad prefix "}}')},
              "z.yaml:5:", "prefix"),
        _pack("fact value from a scalar fact", {"z.yaml": _rule(set="{orgs.roles: {fact: audience}}")}, "z.yaml:5:",
              None),
        _pack("fact value with an extra key",
              {"z.yaml": _rule(set="{orgs.roles: {fact: tenancy.custom_roles, prefix: 'org:', run: x}}")},
              "z.yaml:5:", None),
        _pack("preference not a preference", {"z.yaml": _rule(preference="audience")}, "z.yaml:9:", "preference"),
        _pack("assurance and decisions at once",
              {"z.yaml": _rule(set="{auth.mfa.policy: required, assurance.aal: AAL2}")}, "z.yaml:5:", None),
        _pack("derived fact read too early",
              {"z.yaml": _rule(when="{fact: assurance.aal, eq: AAL2}", set="{assurance.impact: high}")},
              "z.yaml:4:", None),
        _pack("no effect", {"z.yaml": _rule(set=None)}, "z.yaml:1:", None),
        _pack("priority huge", {"z.yaml": _rule(priority="9" * 30)}, "z.yaml:9:", "priority"),
        _pack("examples not a list", {"z.yaml": _rule(examples="{given: {}}")}, "z.yaml:9:", "examples"),
        _pack("example given a list", {"z.yaml": _rule(examples="[{given: [1]}]")}, "z.yaml:9:", None),
        _pack("example expecting an unknown key",
              {"z.yaml": _rule(examples="[{given: {audience: b2b}, expect: {no.such: 1}}]")}, "z.yaml:9:", None),
        _pack("example given 3,000 deep",
              {"z.yaml": _rule(examples="[{given: " + "{a: " * 3000 + "1" + "}" * 3000 + "}]")}, "z.yaml:9:",
              "nested"),
    ]
    return cases


BASIC_REFS = (BASIC_PACK / "references.yaml").read_text(encoding="utf-8")


# ------------------------------------------------------------------------------ verdicts


@dataclass
class Verdict:
    case: Case
    outcome: Outcome | None  # None: skipped (e.g. chmod tests as root)
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def lay_out(case: Case, tmp: Path) -> None:
    for rel, content in case.files.items():
        path = tmp / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_bytes(content.encode("utf-8"))
    if case.setup is not None:
        case.setup(tmp)


def first_error(err: str) -> str:
    return next((line for line in err.splitlines() if line.startswith("error: ")), "")


def judge(case: Case, outcome: Outcome) -> list[str]:
    problems = []
    if outcome.code is None:
        problems.append(f"killed after {WALL_TIMEOUT:.0f} s")
    elif outcome.code != 2:
        problems.append(f"exit {outcome.code}, not 2")
    if outcome.traceback:
        problems.append("traceback")
    head = first_error(outcome.err)
    if not head:
        problems.append("no `error:` line")
    elif case.where is not None and not head.startswith(f"error: {case.where}"):
        problems.append(f"location: expected {case.where!r}")
    if case.message and case.message.lower() not in outcome.err.lower():
        problems.append(f"message lacks {case.message!r}")
    if outcome.cpu > CPU_LIMIT_SECONDS:
        problems.append(f"{outcome.cpu:.2f} s CPU")
    if outcome.rss_mb > RSS_LIMIT_MB:
        problems.append(f"{outcome.rss_mb:.0f} MB")
    if any(ch in outcome.err for ch in "\x1b\x07\x9b"):
        problems.append("raw control characters on stderr")
    return problems


def run_case(case: Case) -> Verdict:
    if case.needs_permissions and not PERMISSIONS_HOLD:
        return Verdict(case, None, [])
    tmp = Path(tempfile.mkdtemp(prefix="attack-"))
    try:
        lay_out(case, tmp)
        env = {"CLERK_ADVISOR_CACHE_DIR": str(tmp / ".cache"), "HOME": str(tmp)}
        outcome = run_cli(case.args, cwd=tmp, env=env)
        return Verdict(case, outcome, judge(case, outcome))
    finally:
        for path in tmp.rglob("*"):  # chmod 000 files and dirs must be removable
            try:
                if not path.is_symlink():
                    os.chmod(path, stat.S_IRWXU)
            except OSError:
                pass
        shutil.rmtree(tmp, ignore_errors=True)


def run_all(cases: list[Case], workers: int = 2) -> list[Verdict]:
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(run_case, cases))


def figures(verdicts: list[Verdict]) -> dict[str, float | int]:
    ran = [v for v in verdicts if v.outcome is not None]
    outcomes = [v.outcome for v in ran if v.outcome is not None]
    located = [v for v in ran if v.case.where is not None]
    return {
        "kinds": len(verdicts),
        "ran": len(ran),
        "exit 2": sum(1 for o in outcomes if o.code == 2),
        "located where a location exists": sum(1 for v in located if "location" not in " ".join(v.problems)),
        "with a location to name": len(located),
        "tracebacks": sum(1 for o in outcomes if o.traceback),
        "max CPU s": max((o.cpu for o in outcomes), default=0.0),
        "max wall s": max((o.wall for o in outcomes), default=0.0),
        "max RSS MB": max((o.rss_mb for o in outcomes), default=0.0),
        "passed": sum(1 for v in ran if v.ok),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--verbose", action="store_true", help="one line per attack")
    ap.add_argument("--json", action="store_true", help="figures and failures as JSON")
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    report: dict[str, object] = {}
    failed = False
    for label, cases in (("malformed requirements files", malformed_requirements()),
                         ("hostile rule packs", hostile_packs())):
        verdicts = run_all(cases, args.workers)
        figs = figures(verdicts)
        failures = [{"name": v.case.name, "problems": v.problems} for v in verdicts if not v.ok]
        failed = failed or bool(failures)
        report[label] = {"figures": figs, "failures": failures}
        if args.json:
            continue
        ran = figs["ran"]
        print(f"{label}: {figs['kinds']} kinds ({ran} run)")
        print(f"  exit 2:            {figs['exit 2']}/{ran} ({100 * figs['exit 2'] / max(ran, 1):.0f}%)")
        print(f"  located:           {figs['located where a location exists']}/{figs['with a location to name']} "
              f"of those with a location to name")
        print(f"  tracebacks:        {figs['tracebacks']}")
        print(f"  max CPU per run:   {figs['max CPU s']:.2f} s (limit {CPU_LIMIT_SECONDS:.0f} s)")
        print(f"  max wall per run:  {figs['max wall s']:.2f} s (machine load included)")
        print(f"  max RSS per run:   {figs['max RSS MB']:.0f} MB (limit {RSS_LIMIT_MB} MB)")
        print(f"  all checks passed: {figs['passed']}/{ran}")
        for v in verdicts:
            if args.verbose or not v.ok:
                o = v.outcome
                stats = f"exit {o.code} {o.cpu:.2f}s {o.rss_mb:.0f}MB" if o else "skipped"
                print(f"    {'ok  ' if v.ok else 'FAIL'} {v.case.name} [{stats}] {'; '.join(v.problems)}")
                if not v.ok and o is not None:
                    last = o.err.strip().splitlines()[-1:] or [""]
                    print("         " + (first_error(o.err) or last[0])[:200])
    if args.json:
        print(json.dumps(report, indent=2))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
