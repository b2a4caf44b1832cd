"""Newsletter → Issue → Section → Paragraph.

A paragraph stores plain text plus its inline marks (links, bold lead-ins, emphasis) as character
ranges, so one renderer (``articles.render``) can later lay highlights over the same ranges. No
HTML from a newsletter is ever stored.
"""

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.http import urlencode

from articles import kinds


def _choices(name: str, pairs: tuple[tuple[str, str], ...], doc: str) -> type[models.TextChoices]:
    """TextChoices whose members are the upper-cased values of ``articles.kinds`` (``"tech_tale"``
    → ``TECH_TALE``), so the values and labels are declared once, in that pure module."""
    choices = models.TextChoices(name, [(value.upper(), (value, label)) for value, label in pairs])
    choices.__doc__ = doc
    choices.__module__ = __name__
    return choices


class Newsletter(models.Model):
    """A newsletter as readers know it. Its display ``name`` can be renamed freely: imports find
    it through its :class:`NewsletterIdentity` rows, never by name."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class NewsletterIdentity(models.Model):
    """A stable key the sources give for a newsletter: ``feed:<url>``, ``list:<List-Id>``,
    ``email:<sender>``, ``site:<host>`` or ``name:<slug>``. One newsletter can arrive through
    several (a feed and an e-mail list); merging newsletters moves their identities."""

    newsletter = models.ForeignKey(Newsletter, on_delete=models.CASCADE, related_name="identities")
    key = models.CharField(max_length=500, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "newsletter identities"

    def __str__(self) -> str:
        return self.key


SourceFormat = _choices("SourceFormat", kinds.SOURCE_FORMATS, "Which extractor built the issue.")


class IssueQuerySet(models.QuerySet):
    def newest_first(self):
        """Most recently published first; issues without a date after them, highest number first,
        then most recently imported."""
        return self.order_by(
            F("published_at").desc(nulls_last=True), F("number").desc(nulls_last=True), "-imported_at", "-pk"
        )


class Issue(models.Model):
    newsletter = models.ForeignKey(Newsletter, on_delete=models.PROTECT, related_name="issues")
    number = models.PositiveIntegerField(null=True, blank=True)
    title = models.CharField(max_length=500)
    subtitle = models.CharField(max_length=1000, blank=True)
    author = models.CharField(max_length=200, blank=True)
    published_at = models.DateTimeField(null=True, blank=True, help_text="When the newsletter sent it.")
    url = models.URLField(max_length=2000, blank=True, help_text="The issue's canonical address, when known.")
    slug = models.SlugField(max_length=120, unique=True)  # fixed at creation: URLs stay stable
    # Provenance: where the issue came from, so it can be re-parsed and re-imports recognised.
    source_name = models.CharField(max_length=255)
    source_sha256 = models.CharField(max_length=64, db_index=True)
    source_format = models.CharField(max_length=32, choices=SourceFormat.choices)
    source_encoding = models.CharField(max_length=16, default="utf-8")
    source_text = models.TextField(help_text="The normalised source, kept for re-parsing.")
    # A feed entry's GUID or an e-mail's Message-ID: the same item delivered again updates this issue.
    source_key = models.CharField(max_length=500, blank=True, db_index=True)
    imported_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    metadata_edited = models.BooleanField(
        default=False,
        help_text="Title or number were edited by staff; re-imports keep the edited values.",
    )

    objects = IssueQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["newsletter", "number"],
                condition=Q(number__isnull=False),
                name="unique_issue_number_per_newsletter",
            ),
            # Two workers fetching the same feed at once cannot both create an entry's issue.
            models.UniqueConstraint(fields=["source_key"], condition=~Q(source_key=""), name="unique_issue_source_key"),
        ]
        indexes = [
            models.Index(fields=["-number", "-imported_at"], name="issue_newest"),
            models.Index(fields=["-published_at", "-number", "-imported_at"], name="issue_published"),
        ]

    def __str__(self) -> str:
        return f"{self.newsletter} {self.number}: {self.title}" if self.number else self.title

    def get_absolute_url(self) -> str:
        return reverse("articles:issue-detail", kwargs={"slug": self.slug})

    def url_at(self, anchor: str = "", **params) -> str:
        """The issue page (with ``params`` as its query string) scrolled to ``anchor``, the DOM id
        of a section or paragraph. Every link to a place in an issue is built here."""
        url = self.get_absolute_url()
        if params:
            url += "?" + urlencode(params)
        return f"{url}#{anchor}" if anchor else url


SectionKind = _choices("SectionKind", kinds.SECTION_KINDS, "Section.kind: intro, story, tech_tale, reader_comments.")


class Section(models.Model):
    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveIntegerField()
    kind = models.CharField(max_length=20, choices=SectionKind.choices)
    headline = models.CharField(max_length=1000, blank=True)
    dek = models.TextField(blank=True)
    anchor = models.SlugField(max_length=90, help_text="Stable fragment id, e.g. 's-phi-4'.")

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["issue", "anchor"], name="unique_section_anchor_per_issue")
        ]
        indexes = [models.Index(fields=["issue", "position"], name="section_order")]

    def __str__(self) -> str:
        return self.headline or self.get_kind_display()

    def get_absolute_url(self) -> str:
        """The section's own page (its permalink)."""
        return reverse(
            "articles:section-detail", kwargs={"slug": self.issue.slug, "anchor": self.anchor}
        )

    def get_issue_url(self, **params) -> str:
        """The section in place on its issue page."""
        return self.issue.url_at(self.anchor, **params)


ParagraphKind = _choices("ParagraphKind", kinds.PARAGRAPH_KINDS, "Paragraph.kind: text, source, list_item, quote.")


class Paragraph(models.Model):
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="paragraphs")
    position = models.PositiveIntegerField()
    kind = models.CharField(max_length=20, choices=ParagraphKind.choices, default=ParagraphKind.TEXT)
    text = models.TextField()
    # [{"kind": "link"|"strong"|"em", "start": int, "end": int, "href": str}], offsets into `text`.
    marks = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["position"]
        indexes = [models.Index(fields=["section", "position"], name="paragraph_order")]

    def __str__(self) -> str:
        return self.text[:80]

    @staticmethod
    def anchor_of(pk: int) -> str:
        """The DOM id of paragraph ``pk`` on its issue page."""
        return f"p-{pk}"

    @property
    def anchor(self) -> str:
        return self.anchor_of(self.pk)

    def get_absolute_url(self, **params) -> str:
        """The paragraph in place on its issue page (``params``: a query string, e.g. ``notes=<pk>``)."""
        return self.section.issue.url_at(self.anchor, **params)

