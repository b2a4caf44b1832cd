"""Annotations: highlights (claims), tags, paragraph notes, discussion threads and comments.

Every annotation belongs to a team and an author. Highlights and notes have a visibility:
private (author only) or team (every member). ``visible_to(user, team)`` is the one filter that
decides what a user may see; it joins the membership table, so a user removed from a team loses
access on the very next query.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Lower
from django.urls import reverse

from .content import Paragraph

ORPHANS_ANCHOR = "orphans"  # the issue page's list of annotations a re-import could not place


class Visibility(models.TextChoices):
    PRIVATE = "private", "Only me"
    TEAM = "team", "My team"


class TeamScopedQuerySet(models.QuerySet):
    """Rows of teams the user belongs to (through a live membership join)."""

    team_path = "team"

    def of_member(self, user, team):
        if not (user and user.is_authenticated and team):
            return self.none()
        return self.filter(**{self.team_path: team, f"{self.team_path}__memberships__user": user})


class AnnotationQuerySet(TeamScopedQuerySet):
    def visible_to(self, user, team):
        """Team annotations of ``team`` plus the user's own private ones, if the user is a member."""
        return self.of_member(user, team).filter(Q(visibility=Visibility.TEAM) | Q(author=user))


class SectionTagQuerySet(TeamScopedQuerySet):
    team_path = "tag__team"


class ThreadQuerySet(TeamScopedQuerySet):
    thread_path = ""

    def visible_to(self, user, team):
        """Threads of the team, except those on another member's private highlight."""
        p = self.thread_path
        return self.of_member(user, team).filter(
            Q(**{f"{p}highlight__isnull": True})
            | Q(**{f"{p}highlight__visibility": Visibility.TEAM})
            | Q(**{f"{p}highlight__author": user})
        )


class CommentQuerySet(ThreadQuerySet):
    team_path = "thread__team"
    thread_path = "thread__"


class TagQuerySet(TeamScopedQuerySet):
    def visible_to(self, user, team):
        """The team's tags that are on something the user may see (a team highlight, their own
        private highlight, a section) or that the user made: a tag used only on someone's
        private highlight does not reveal its name."""
        seen_highlights = Highlight.objects.visible_to(user, team).filter(tags=OuterRef("pk"))
        return self.of_member(user, team).filter(
            Exists(seen_highlights) | Exists(SectionTag.objects.filter(tag=OuterRef("pk"))) | Q(created_by=user)
        )


class Tag(models.Model):
    team = models.ForeignKey("articles.Team", on_delete=models.CASCADE, related_name="tags")
    name = models.CharField(max_length=60)
    slug = models.SlugField(max_length=80, allow_unicode=True)
    colour = models.CharField(max_length=7, blank=True, help_text="#rrggbb")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TagQuerySet.as_manager()

    class Meta:
        ordering = [Lower("name")]
        constraints = [
            models.UniqueConstraint(Lower("name"), "team", name="unique_tag_name_per_team"),
            models.UniqueConstraint(fields=["team", "slug"], name="unique_tag_slug_per_team"),
        ]

    def __str__(self) -> str:
        return self.name


class ClaimStatus(models.TextChoices):
    UNREVIEWED = "unreviewed", "Unreviewed"
    SUPPORTED = "supported", "Supported"
    DISPUTED = "disputed", "Disputed"
    NEEDS_SOURCE = "needs_source", "Needs source"


class HighlightColour(models.TextChoices):
    YELLOW = "yellow", "Yellow"
    GREEN = "green", "Green"
    BLUE = "blue", "Blue"
    PINK = "pink", "Pink"


class AnchorStatus(models.TextChoices):
    EXACT = "exact", "Exact"
    MOVED = "moved", "Moved"
    FUZZY = "fuzzy", "Fuzzy"
    ORPHANED = "orphaned", "Orphaned"


FORMER_MEMBER = "former member"  # how an annotation of a deleted account names its author


def KEEP_SHARED(collector, field, sub_objs, using):  # noqa: N802 (named like Django's CASCADE/SET_NULL)
    """``on_delete`` of a highlight's or note's author: deleting the account deletes its private
    annotations (nobody else may read them) and keeps its team ones, authorless ("former member")."""
    private = sub_objs.filter(visibility=Visibility.PRIVATE)
    models.CASCADE(collector, field, private, using)
    collector.add_field_update(field, None, sub_objs.exclude(visibility=Visibility.PRIVATE))


def author_name(user) -> str:
    """An annotation author's name, or "former member" when the account was deleted."""
    return user.get_username() if user is not None else FORMER_MEMBER


class OrphanSnapshot(models.Model):
    """Where an annotation was, copied from the content it points at so it can still be shown
    when that content is gone (the issue deleted, the story dropped by a re-import). Kept up to
    date by the services that create and re-anchor annotations (``services/orphans.py``)."""

    issue_title = models.CharField(max_length=500, blank=True, help_text="The issue's title when last seen")
    section_headline = models.CharField(max_length=1000, blank=True, help_text="The story's headline when last seen")

    class Meta:
        abstract = True


class ParagraphAnnotation(OrphanSnapshot):
    """What highlights and notes share: a team, an author, a visibility and a place in an issue.
    ``issue`` is NULL once the issue was deleted, ``paragraph`` once the paragraph is gone (the
    annotation is then an *orphan*, never deleted); ``author`` is NULL once the account was
    deleted (its private annotations go with it, see ``KEEP_SHARED``)."""

    team = models.ForeignKey("articles.Team", on_delete=models.CASCADE, related_name="%(class)ss")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=KEEP_SHARED, null=True, blank=True, related_name="%(class)ss"
    )
    visibility = models.CharField(max_length=10, choices=Visibility.choices, default=Visibility.TEAM)
    issue = models.ForeignKey(
        "articles.Issue", on_delete=models.SET_NULL, null=True, blank=True, related_name="%(class)ss"
    )
    paragraph = models.ForeignKey(
        "articles.Paragraph", on_delete=models.SET_NULL, null=True, blank=True, related_name="%(class)ss"
    )
    paragraph_index = models.PositiveIntegerField(default=0, help_text="Reading-order index when anchored")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AnnotationQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_orphan(self) -> bool:
        return self.paragraph_id is None

    @property
    def author_name(self) -> str:
        return author_name(self.author)

    @property
    def paragraph_anchor(self) -> str:
        """The DOM id of the annotated paragraph, or of the issue's orphan list."""
        return Paragraph.anchor_of(self.paragraph_id) if self.paragraph_id else ORPHANS_ANCHOR

    def get_absolute_url(self) -> str:
        """Where this annotation is on its issue page (the team's orphans page once the issue is gone)."""
        if self.issue_id is None:
            return reverse("articles:orphans")
        return self.issue.url_at(self.paragraph_anchor)


class Highlight(ParagraphAnnotation):
    """A passage of one paragraph, anchored like a W3C Web Annotation: a TextQuoteSelector
    (exact + ~32 chars of prefix/suffix) and a TextPositionSelector (start/end offsets in the
    paragraph's plain text). ``paragraph`` is NULL when a re-import orphaned it."""

    exact = models.TextField()
    prefix = models.CharField(max_length=64, blank=True)
    suffix = models.CharField(max_length=64, blank=True)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    colour = models.CharField(max_length=10, choices=HighlightColour.choices, default=HighlightColour.YELLOW)
    is_claim = models.BooleanField(default=False)
    claim_status = models.CharField(
        max_length=20, choices=ClaimStatus.choices, default=ClaimStatus.UNREVIEWED
    )
    due_date = models.DateField(null=True, blank=True, help_text="For predictions")
    note = models.TextField(blank=True, help_text="Markdown")
    note_html = models.TextField(blank=True, editable=False)
    tags = models.ManyToManyField(Tag, blank=True, related_name="highlights")
    anchor_status = models.CharField(max_length=10, choices=AnchorStatus.choices, default=AnchorStatus.EXACT)
    version = models.PositiveIntegerField(default=1, help_text="Bumped by every edit of the author's fields")

    CLAIM_STATUSES = ClaimStatus.choices  # for templates
    COLOURS = HighlightColour.choices

    class Meta:
        ordering = ["start", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="highlight_nonempty"),
            models.UniqueConstraint(
                fields=["team", "author", "paragraph", "start", "end"],
                condition=Q(paragraph__isnull=False),
                name="unique_highlight_range_per_author",
            ),
        ]
        indexes = [models.Index(fields=["issue", "team"], name="highlight_issue_team")]

    def __str__(self) -> str:
        return self.exact[:60]


class AnchorReport(models.Model):
    """What one re-import did to one highlight: exact / moved / fuzzy / orphaned."""

    highlight = models.ForeignKey(Highlight, on_delete=models.CASCADE, related_name="anchor_reports")
    run_at = models.DateTimeField(help_text="The re-import this report belongs to (same for all its reports)")

    def __str__(self) -> str:  # ids only: no annotation text on admin pages
        return f"anchor report #{self.pk} for highlight #{self.highlight_id}"
    status = models.CharField(max_length=10, choices=AnchorStatus.choices)
    old_quote = models.TextField()
    new_quote = models.TextField(blank=True)
    score = models.FloatField(default=1.0)

    class Meta:
        ordering = ["-run_at", "pk"]
        indexes = [models.Index(fields=["run_at"], name="anchor_report_run")]


class Note(ParagraphAnnotation):
    """A Markdown note on a paragraph. ``paragraph`` is NULL when a re-import orphaned it."""

    paragraph_text = models.TextField(help_text="The paragraph's text when the note was anchored")
    body = models.TextField(help_text="Markdown")
    body_html = models.TextField(editable=False)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["issue", "team"], name="note_issue_team")]

    def __str__(self) -> str:
        return self.body[:60]


class SectionTag(OrphanSnapshot):
    """A team tag on a section (a story). ``section`` is NULL once the story is gone (a re-import
    dropped it, or its issue was deleted): the tag stays, an orphan with its snapshot."""

    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="section_tags")
    section = models.ForeignKey(
        "articles.Section", on_delete=models.SET_NULL, null=True, blank=True, related_name="section_tags"
    )
    issue = models.ForeignKey(
        "articles.Issue", on_delete=models.SET_NULL, null=True, blank=True, related_name="section_tags"
    )
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SectionTagQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["tag", "section"], name="unique_section_tag")]

    def __str__(self) -> str:  # ids only: a tag name may be private to its team
        return f"section tag #{self.pk}"


class Thread(OrphanSnapshot):
    """A team's discussion on a section (a newsletter item) or on a highlight. A section thread
    whose section is gone (``section`` and ``highlight`` NULL) is an orphan: kept, listed on the
    team's orphans page. ``started_by`` is NULL once that account was deleted (former member)."""

    team = models.ForeignKey("articles.Team", on_delete=models.CASCADE, related_name="threads")
    issue = models.ForeignKey(
        "articles.Issue", on_delete=models.SET_NULL, null=True, blank=True, related_name="threads"
    )
    section = models.ForeignKey(
        "articles.Section", on_delete=models.SET_NULL, null=True, blank=True, related_name="threads"
    )
    highlight = models.ForeignKey(
        Highlight, on_delete=models.CASCADE, null=True, blank=True, related_name="threads"
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolved = models.BooleanField(default=False)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    changed_at = models.DateTimeField(help_text="Bumped on every change; drives cheap polling (204)")

    objects = ThreadQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~(Q(section__isnull=False) & Q(highlight__isnull=False)),
                name="thread_one_target",
            ),
            models.UniqueConstraint(
                fields=["team", "section"], condition=Q(section__isnull=False), name="unique_section_thread"
            ),
            models.UniqueConstraint(
                fields=["team", "highlight"], condition=Q(highlight__isnull=False), name="unique_highlight_thread"
            ),
        ]

    def __str__(self) -> str:  # ids only: no discussion text on admin pages
        return f"thread #{self.pk}"

    @property
    def anchor(self) -> str:
        """The DOM id of what the thread discusses: its section, or its highlight's paragraph
        ("" when neither is on the page any more)."""
        if self.section_id:
            return self.section.anchor
        if self.highlight_id and self.highlight.paragraph_id:
            return Paragraph.anchor_of(self.highlight.paragraph_id)
        return ""

    @property
    def is_orphan(self) -> bool:
        return self.issue_id is None or (self.section_id is None and self.highlight_id is None)

    @property
    def started_by_name(self) -> str:
        return author_name(self.started_by)

    def get_absolute_url(self) -> str:
        if self.issue_id is None or self.is_orphan:
            return reverse("articles:orphans")
        return self.issue.url_at(self.anchor)


class Comment(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="comments"
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies",
        help_text="The top-level comment this replies to (one level of nesting)",
    )
    body = models.TextField(help_text="Markdown")
    body_html = models.TextField(editable=False)
    deleted = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return "(deleted)" if self.deleted else self.body[:60]

    @property
    def team(self):
        return self.thread.team

    @property
    def author_name(self) -> str:
        return author_name(self.author)

    def get_absolute_url(self) -> str:
        return self.thread.get_absolute_url()


class Mention(models.Model):
    """@username in a comment, kept for the activity feed."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="mentions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentions")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["comment", "user"], name="unique_mention")]

    def __str__(self) -> str:
        return f"mention #{self.pk}"
