"""The attack suite of issue 11: every defect found by the attack run, as the attack and
the behaviour that must hold. Attacks run the real CLI in a fresh process under resource
limits (benchmarks/attack_inputs.run_cli), so none of them can hurt the machine."""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
for path in (HERE, ROOT, ROOT / "tests" / "docs"):  # harness, benchmarks, the fake Context7
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))
