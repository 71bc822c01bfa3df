"""Stage 3: the Architecture, built from the engine's evaluation: decisions, findings,
Clerk's config document and the setup steps it cannot carry."""

from advisor.architecture.build import DocsRequest, build, recommend
from advisor.architecture.model import (
    Architecture,
    Assurance,
    DecisionRecord,
    Decisions,
    DocsRecord,
    Excerpt,
    UnknownDecision,
)

__all__ = ["Architecture", "Assurance", "DecisionRecord", "Decisions", "DocsRecord", "DocsRequest", "Excerpt",
           "UnknownDecision", "build", "recommend"]
