"""Where issues come from: subscribed feeds, import jobs run by the worker, the scheduler's runs."""

from django.conf import settings
from django.db import models


class Feed(models.Model):
    """An RSS/Atom feed the worker fetches; each entry becomes an issue of ``newsletter``."""

    class Status(models.TextChoices):
        NEW = "new", "Not fetched yet"
        OK = "ok", "OK"
        NOT_MODIFIED = "not_modified", "Not modified"
        ERROR = "error", "Error"

    url = models.URLField(max_length=2000, unique=True)
    title = models.CharField(max_length=300, blank=True)
    newsletter = models.ForeignKey(
        "articles.Newsletter", on_delete=models.SET_NULL, null=True, blank=True, related_name="feeds"
    )
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    active = models.BooleanField(default=True, help_text="Fetched by the scheduler.")
    # Conditional GET: sent back as If-None-Match / If-Modified-Since.
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    last_fetched_at = models.DateTimeField(null=True, blank=True)
    last_status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW)
    last_error = models.TextField(blank=True)
    last_new_issues = models.PositiveIntegerField(default=0)
    last_report = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["title", "url"]

    def __str__(self) -> str:
        return self.title or self.url


class ImportJob(models.Model):
    """One background import (an upload, a feed fetch, a mailbox poll, a saved link) and its
    progress, which the admin polls. ``report`` holds one entry per item:
    ``{"name", "status", "detail", "issue_id"}``."""

    class Kind(models.TextChoices):
        UPLOAD = "upload", "Upload"
        FEED = "feed", "Feed"
        MAIL = "mail", "Mailbox"
        LINK = "link", "Saved link"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    current = models.CharField(max_length=500, blank=True)
    report = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} ({self.get_status_display()})"


class ImportJobFile(models.Model):
    """An uploaded file waiting for the worker (kept in the database so a worker on another
    machine sharing PostgreSQL can read it; deleted when the job finishes)."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="files")
    position = models.PositiveIntegerField()
    name = models.CharField(max_length=255)
    data = models.BinaryField()

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.name


class ScheduledRun(models.Model):
    """One row per periodic job and period (``feeds:2026-12-02T15:30``): the unique key makes
    two schedulers enqueue the same period's job once."""

    key = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.key
