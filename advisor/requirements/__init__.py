"""Stage 1: the requirements a person answers (the model) and reading them from a file."""

from advisor.requirements.loader import load_requirements, parse_requirements, validate_document
from advisor.requirements.model import SCHEMA_VERSION, SECTIONS, Requirements

__all__ = ["SCHEMA_VERSION", "SECTIONS", "Requirements", "load_requirements", "parse_requirements",
           "validate_document"]
