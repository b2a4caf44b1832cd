"""Claim reads: the suggestions a team dismissed (through ``of_member``: only the reader's team)."""

from __future__ import annotations

from articles.models import ClaimDismissal, Issue, Paragraph, Team

Dismissed = set[tuple[int, int, int, str]]  # (paragraph id, start, end, text hash)


def claim_dismissals(*, user, team: Team, issue: Issue | None = None, paragraph: Paragraph | None = None) -> Dismissed:
    """The suggestions ``team`` dismissed in ``issue`` (or in one ``paragraph``), as keys the
    presenter compares a suggestion with (one query)."""
    dismissals = ClaimDismissal.objects.of_member(user, team)
    if paragraph is not None:
        dismissals = dismissals.filter(paragraph=paragraph)
    else:
        dismissals = dismissals.filter(paragraph__section__issue=issue)
    return set(dismissals.values_list("paragraph_id", "start", "end", "text_hash"))
