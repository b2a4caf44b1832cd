"""Claim suggestions: accept one as a claim highlight, or dismiss it for the whole team."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from articles.models import ClaimDismissal, Highlight, Paragraph, Team
from articles.services.highlights import highlight_create, highlight_update
from articles.services.membership import membership_require

from .finder import Candidate, candidate_at, claim_text_hash, suggests_claims


def _candidate_require(paragraph: Paragraph, start: int, end: int) -> Candidate:
    """The suggestion at ``start``–``end`` of ``paragraph``; ValidationError when there is none
    (stale page after a re-import, forged offsets, a paragraph that gets no suggestions)."""
    candidate = None
    if suggests_claims(paragraph.section.kind, paragraph.kind):
        candidate = candidate_at(paragraph.text, start, end)
    if candidate is None:
        raise ValidationError("This suggestion is no longer there; reload the page.")
    return candidate


@transaction.atomic
def claim_suggestion_accept(*, user, team: Team, paragraph: Paragraph, start: int, end: int) -> Highlight:
    """Make the suggested sentence a claim highlight (team-visible) of ``user``. A claim the user
    can already see on that sentence (a teammate accepted it a moment earlier, a double click) is
    returned instead of a second one."""
    membership_require(user=user, team=team)
    _candidate_require(paragraph, start, end)
    existing = (
        Highlight.objects.visible_to(user, team)
        .filter(paragraph=paragraph, is_claim=True, start__lt=end, end__gt=start)
        .order_by("pk")
        .first()
    )
    if existing is not None:
        return existing
    highlight = highlight_create(user=user, team=team, paragraph=paragraph, start=start, end=end, is_claim=True)
    if not highlight.is_claim:  # the user had highlighted exactly this sentence, not as a claim
        highlight = highlight_update(user=user, highlight=highlight, is_claim=True)
    return highlight


@transaction.atomic
def claim_suggestion_dismiss(*, user, team: Team, paragraph: Paragraph, start: int, end: int) -> ClaimDismissal:
    """Hide the suggestion for every member of ``team`` (idempotent)."""
    membership_require(user=user, team=team)
    _candidate_require(paragraph, start, end)
    dismissal, _ = ClaimDismissal.objects.get_or_create(
        team=team,
        paragraph=paragraph,
        start=start,
        end=end,
        text_hash=claim_text_hash(paragraph.text[start:end]),
        defaults={"dismissed_by": user},
    )
    return dismissal
