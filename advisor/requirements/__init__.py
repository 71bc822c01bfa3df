"""Stage 1: the requirements a person answers, and reading them from a file.

`model.py` holds the pydantic model, the one source of truth for the file's contract (and
the questionnaire); `contract.py` is generated from it: the field table and the frozen
`Requirements` value every later stage reads. Loading a valid file never builds a pydantic
model; only a file with a problem does, for the exact message.

Names are imported from their modules on first use (PEP 562), so the code generator can
run even while contract.py is being rewritten.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from advisor.lazy import exports

if TYPE_CHECKING:
    from advisor.requirements.contract import FIELDS, SECTIONS, Requirements
    from advisor.requirements.loader import load_requirements, parse_requirements, validate_document

_EXPORTS = {
    "FIELDS": "contract", "SECTIONS": "contract", "Requirements": "contract",
    "load_requirements": "loader", "parse_requirements": "loader", "validate_document": "loader",
}
__all__ = ["FIELDS", "SECTIONS", "Requirements", "load_requirements", "parse_requirements", "validate_document"]


__getattr__ = exports(__name__, _EXPORTS)
