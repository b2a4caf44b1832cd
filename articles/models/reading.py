"""Per-user reading state: which issues were opened and how far, when the feed was last seen."""

from django.conf import settings
from django.db import models

from .content import Paragraph


class IssueRead(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="issue_reads")
    issue = models.ForeignKey("articles.Issue", on_delete=models.CASCADE, related_name="reads")
    first_read_at = models.DateTimeField(auto_now_add=True)
    last_read_at = models.DateTimeField()
    paragraph = models.ForeignKey(
        "articles.Paragraph", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        help_text="Where the reader was last",
    )
    progress = models.FloatField(default=0.0, help_text="0–1: how far down the issue")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "issue"], name="unique_issue_read")]

    def __str__(self) -> str:
        return f"user #{self.user_id} read issue #{self.issue_id}"

    @property
    def paragraph_anchor(self) -> str:
        """The DOM id of the paragraph the reader reached ("" when none)."""
        return Paragraph.anchor_of(self.paragraph_id) if self.paragraph_id else ""


class FeedVisit(models.Model):
    """When a user last looked at a team's activity feed (for "new since your last visit")."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey("articles.Team", on_delete=models.CASCADE, related_name="+")
    seen_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "team"], name="unique_feed_visit")]

    def __str__(self) -> str:
        return f"user #{self.user_id} saw team #{self.team_id}'s activity"
