"""Claim suggestions a team dismissed (the suggestions themselves are computed, never stored)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from .annotations import TeamScopedQuerySet


class ClaimDismissal(models.Model):
    """A team said "not a claim" to the suggestion ``paragraph.text[start:end]``: it is hidden for
    every member of that team. ``text_hash`` (SHA-256 of the suggested sentence) makes a dismissal
    apply only to the very sentence that was dismissed, should offsets ever point elsewhere."""

    team = models.ForeignKey("articles.Team", on_delete=models.CASCADE, related_name="claim_dismissals")
    paragraph = models.ForeignKey("articles.Paragraph", on_delete=models.CASCADE, related_name="claim_dismissals")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text_hash = models.CharField(max_length=64)
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    dismissed_at = models.DateTimeField(auto_now_add=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["team", "paragraph", "start", "end", "text_hash"], name="unique_claim_dismissal"
            )
        ]

    def __str__(self) -> str:
        return f"dismissed {self.start}-{self.end} of paragraph {self.paragraph_id}"
