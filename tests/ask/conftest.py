"""Fixtures for the `ask` tests; the in-process terminal lives in ask_terminal.py."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # for ask_terminal, whatever the import mode

from ask_terminal import Terminal, in_process_terminal

from advisor.requirements import Requirements


@pytest.fixture
def terminal() -> Iterator[Terminal]:
    with in_process_terminal() as term:
        yield term


@pytest.fixture
def defaults() -> dict:
    return Requirements().to_data()
