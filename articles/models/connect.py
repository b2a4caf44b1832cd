"""Derived connections between issues: cross-issue references and related stories.

Everything here is rebuilt from the text by ``articles/connect/services.py`` after each import;
nothing is edited by hand, so these rows can always be thrown away and rebuilt.
"""

from django.db import models


class IssueReference(models.Model):
    """``Import AI #387`` at ``start:end`` of a paragraph; ``target`` is the issue once imported."""

    paragraph = models.ForeignKey("articles.Paragraph", on_delete=models.CASCADE, related_name="references")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    newsletter_name = models.CharField(max_length=200)
    number = models.PositiveIntegerField()
    target = models.ForeignKey(
        "articles.Issue", on_delete=models.SET_NULL, null=True, blank=True, related_name="referenced_by"
    )

    class Meta:
        ordering = ["paragraph_id", "start"]
        indexes = [
            models.Index(fields=["newsletter_name", "number"], name="xref_wanted"),
        ]

    def __str__(self) -> str:
        return f"{self.newsletter_name} {self.number}"


class StoryVector(models.Model):
    """A story's term counts ``{term: count}`` (headline + dek + paragraphs), for TF-IDF."""

    section = models.OneToOneField("articles.Section", on_delete=models.CASCADE, related_name="vector")
    terms = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"vector of section {self.section_id}"


class RelatedStory(models.Model):
    """``related`` is about the same thing as ``section`` (cosine ``score``); stored both ways."""

    section = models.ForeignKey("articles.Section", on_delete=models.CASCADE, related_name="related_links")
    related = models.ForeignKey("articles.Section", on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()

    class Meta:
        ordering = ["-score", "related_id"]
        constraints = [
            models.UniqueConstraint(fields=["section", "related"], name="unique_related_story"),
        ]

    def __str__(self) -> str:
        return f"{self.section_id} ~ {self.related_id} ({self.score:.2f})"


class TermStat(models.Model):
    """Document frequency of a term: in how many stored story vectors it occurs. Kept up to date
    by the related-story builder as vectors come and go (so no import recounts the library); the
    row whose ``term`` is ``""`` holds the number of stored vectors."""

    term = models.CharField(max_length=64, primary_key=True)
    df = models.IntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.term or '(stories)'}: {self.df}"


class StoryTerm(models.Model):
    """One of a story's most distinctive terms (highest TF-IDF weight when it was stored): the
    inverted index that finds candidate related stories without scoring every stored story."""

    term = models.CharField(max_length=64)
    section = models.ForeignKey("articles.Section", on_delete=models.CASCADE, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["term", "section"], name="story_term_lookup")]
        constraints = [models.UniqueConstraint(fields=["section", "term"], name="unique_story_term")]

    def __str__(self) -> str:
        return f"{self.term} in section {self.section_id}"
