"""The shipped pack's YAML, parsed when the package was built: start-up without the parse.

    python -m advisor.engine.parsed            # rewrite parsed_pack.json from rules/
    python -m advisor.engine.parsed --check    # exit 1 when it is stale

Parsing the shipped pack's YAML is most of what `recommend` adds to Python's start-up (some
30 ms of Python per run for 18 files). `parsed_pack.json`, inside the package, holds what
`yamlio.load_fast` returns for each file, keyed by the SHA-256 of the file's exact text. A
pack file whose text has that digest is, byte for byte, the text that was parsed, so its
data is taken from the table; any other text (a file edited by one byte, a user's own
pack) is parsed as always. The table is package content, like the code beside it, and
is read from nowhere else: no cache outside the package is consulted, so none can change
advice. It holds plain JSON data, never code; a file whose data JSON cannot carry exactly
(keys that are not strings, NaN) is left out of it. A test keeps it equal to what this
module writes from rules/.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

TARGET = Path(__file__).with_name("parsed_pack.json")
FORMAT = 1


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Parsed:
    """The table, read once per pack load; each entry is handed out once (fresh objects for
    every load, and a second file of the same text is parsed as usual)."""

    def __init__(self) -> None:
        try:
            doc = json.loads(TARGET.read_bytes())
        except (OSError, ValueError):
            doc = None
        files = doc.get("files") if isinstance(doc, dict) and doc.get("format") == FORMAT else None
        self._files: dict[str, Any] = files if isinstance(files, dict) else {}

    def take(self, text: str) -> tuple[bool, Any]:
        """(True, data) when this exact text was parsed at build time; (False, None) if not."""
        key = digest(text)
        if key not in self._files:
            return False, None
        return True, self._files.pop(key)


def _exact_in_json(data: Any) -> bool:
    return json.loads(json.dumps(data, allow_nan=False)) == data and _same_types(data, json.loads(json.dumps(data)))


def _same_types(a: Any, b: Any) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same_types(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same_types(x, y) for x, y in zip(a, b, strict=True))
    return True


def build(directory: Path) -> str:
    """The table's text for the pack in `directory`: every *.yaml that parses and that JSON
    carries exactly."""
    from advisor.errors import UserError
    from advisor.yamlio import load_fast, read_text

    files: dict[str, Any] = {}
    for path in sorted(directory.glob("*.yaml")):
        text = read_text(path, what="rule file")
        try:
            data = load_fast(text, str(path))
        except UserError:
            continue
        try:
            exact = _exact_in_json(data)
        except (TypeError, ValueError):
            exact = False
        if exact:
            files[digest(text)] = data
    return json.dumps({"format": FORMAT, "files": dict(sorted(files.items()))}, separators=(",", ":"),
                      ensure_ascii=True, allow_nan=False) + "\n"


def main(argv: list[str]) -> int:
    from advisor.engine.pack import default_pack_dir
    from advisor.generated import refresh

    return refresh(TARGET, build(default_pack_dir()), argv, "python -m advisor.engine.parsed")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
