"""Reading state writes: an issue opened or read further, the feed seen, mentions read."""

from __future__ import annotations

import math

from django.utils import timezone

from articles.models import FeedVisit, Issue, IssueRead, Mention, Paragraph, Team


def issue_opened(*, user, issue: Issue) -> None:
    """Remember that ``user`` opened ``issue`` now (one upsert query)."""
    now = timezone.now()
    IssueRead.objects.bulk_create(
        [IssueRead(user=user, issue=issue, last_read_at=now, first_read_at=now)],
        update_conflicts=True, unique_fields=["user", "issue"], update_fields=["last_read_at"],
    )


def issue_progress_save(*, user, issue: Issue, paragraph: Paragraph | None, progress: float) -> None:
    now = timezone.now()
    progress = min(max(progress, 0.0), 1.0) if math.isfinite(progress) else 0.0
    IssueRead.objects.bulk_create(
        [IssueRead(user=user, issue=issue, last_read_at=now, first_read_at=now, paragraph=paragraph, progress=progress)],
        update_conflicts=True, unique_fields=["user", "issue"],
        update_fields=["last_read_at", "paragraph", "progress"],
    )


def feed_seen(*, user, team: Team) -> None:
    FeedVisit.objects.update_or_create(user=user, team=team, defaults={"seen_at": timezone.now()})


def mentions_mark_read(*, user, mention_ids: list[int]) -> None:
    Mention.objects.filter(user=user, pk__in=mention_ids, read_at__isnull=True).update(read_at=timezone.now())
