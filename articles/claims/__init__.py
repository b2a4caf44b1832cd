"""Suggested claims: sentences of a paragraph a team may want to check (docs/CLAIMS.md).

``finder.py`` is pure (no Django) and re-exported here; the Django parts live in named
submodules that callers import explicitly: ``selectors.py`` (the team's dismissals) and
``services.py`` (accept a suggestion as a claim highlight, or dismiss it for the team).
"""

from .finder import (
    RULES,
    Candidate,
    candidate_at,
    claim_text_hash,
    find_claims,
    sentence_reasons,
    split_sentences,
    suggests_claims,
)

__all__ = [
    "RULES", "Candidate", "candidate_at", "claim_text_hash", "find_claims", "sentence_reasons", "split_sentences",
    "suggests_claims",
]
