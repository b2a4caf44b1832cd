"""The search index: one row per searchable thing (issue title, section headline, paragraph,
highlight, note, comment, section tag), written only by ``articles.search.indexing``. The
annotations of a deleted issue stay searchable by their team: ``issue`` NULL, snapshot kept.

The full-text structure lives outside the model: on SQLite an FTS5 external-content table
(``articles_searchdocument_fts``, content = this table, kept in sync by triggers), on PostgreSQL
the ``vector`` column (filled by a trigger) with a GIN index. Both come from migration
``0003_search`` and exist only on their database.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models


class DocumentKind(models.TextChoices):
    ISSUE = "issue", "Issue"
    SECTION = "section", "Section"
    PARAGRAPH = "paragraph", "Paragraph"
    HIGHLIGHT = "highlight", "Highlight"
    NOTE = "note", "Note"
    COMMENT = "comment", "Comment"
    TAG = "tag", "Section tag"


class SearchDocument(models.Model):
    """``team`` is NULL for newsletter text (everyone reads it). An annotation row is visible to
    members of ``team`` when ``visibility`` is team, else only to ``owner`` (the author of a
    private note/highlight, or the author of the private highlight a comment hangs on)."""

    kind = models.CharField(max_length=10, choices=DocumentKind.choices)
    object_id = models.BigIntegerField()
    # NULL for an orphan of a deleted issue (docs/ANNOTATIONS.md), found by its team under the
    # snapshot it carries: the issue's title and the story's headline when they were last seen
    issue = models.ForeignKey("articles.Issue", on_delete=models.CASCADE, null=True, related_name="+")
    issue_title = models.CharField(max_length=500, blank=True)
    section_headline = models.CharField(max_length=1000, blank=True)
    # Sections and paragraphs are re-synced by the importer, which re-indexes the issue in the
    # same transaction: no database-level link that a sync would have to cascade through.
    section = models.ForeignKey(
        "articles.Section", on_delete=models.DO_NOTHING, db_constraint=False, null=True, related_name="+"
    )
    paragraph = models.ForeignKey(
        "articles.Paragraph", on_delete=models.DO_NOTHING, db_constraint=False, null=True, related_name="+"
    )
    team = models.ForeignKey("articles.Team", on_delete=models.CASCADE, null=True, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, related_name="+")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, related_name="+")
    visibility = models.CharField(max_length=10, blank=True)
    text = models.TextField()
    vector = SearchVectorField(null=True, editable=False)  # PostgreSQL only; NULL on SQLite

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="unique_search_document")]
        indexes = [models.Index(fields=["issue", "kind"], name="search_document_issue")]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}: {self.text[:60]}"
