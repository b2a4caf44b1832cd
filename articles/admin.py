from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.cache import patch_vary_headers
from django.utils.html import format_html

from .forms import ImportNewslettersForm
from .models import (
    Comment,
    Highlight,
    ImportJob,
    Issue,
    Membership,
    Newsletter,
    NewsletterIdentity,
    Note,
    Paragraph,
    Section,
    Tag,
    Team,
    Visibility,
)
from .search.indexing import document_forget, document_sync, issue_index
from .selectors.jobs import import_job_progress
from .services.importing import ImportStatus, issue_reparse
from .services.jobs import import_job_create, import_job_rerun
from .services.newsletters import newsletter_merge

_LEVEL = {
    ImportStatus.CREATED: messages.SUCCESS,
    ImportStatus.UPDATED: messages.SUCCESS,
    ImportStatus.UNCHANGED: messages.INFO,
    ImportStatus.FAILED: messages.ERROR,
}


def report_results(request, results) -> None:
    for result in results:
        messages.add_message(request, _LEVEL[result.status], str(result))


class NewsletterIdentityInline(admin.TabularInline):
    model = NewsletterIdentity
    fields = ["key", "created_at"]
    readonly_fields = ["created_at"]
    extra = 0


@admin.register(Newsletter)
class NewsletterAdmin(admin.ModelAdmin):
    """Rename freely (imports find a newsletter by its identities, not its name); merge two that
    are the same newsletter arriving through different channels."""

    list_display = ["name", "slug", "issue_count", "keys"]
    search_fields = ["name", "identities__key"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [NewsletterIdentityInline]
    actions = ["merge_newsletters"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(issue_total=Count("issues", distinct=True)).prefetch_related("identities")

    @admin.display(ordering="issue_total", description="issues")
    def issue_count(self, obj):
        return obj.issue_total

    @admin.display(description="identities")
    def keys(self, obj):
        return ", ".join(i.key for i in obj.identities.all())

    @admin.action(description="Merge selected newsletters…", permissions=["change"])
    def merge_newsletters(self, request, queryset):
        """Intermediate page: pick the newsletter to keep; the others' issues move into it."""
        newsletters = list(queryset)
        if len(newsletters) < 2:
            self.message_user(request, "Select at least two newsletters to merge.", messages.WARNING)
            return None
        target_id = request.POST.get("merge_target")
        if request.POST.get("confirm") == "yes" and target_id:
            target = next((n for n in newsletters if str(n.pk) == target_id), None)
            if target is None:
                self.message_user(request, "Choose one of the selected newsletters to keep.", messages.ERROR)
                return None
            for source in newsletters:
                if source.pk != target.pk:
                    report = newsletter_merge(source=source, target=target)
                    text = f"Merged “{source}” into “{target}”: {report.issues_moved} issue(s) moved"
                    if report.conflicts:
                        text += f"; {report.conflicts} issue(s) kept in “{source}” (their numbers exist in both)"
                    self.message_user(request, text, messages.WARNING if report.conflicts else messages.SUCCESS)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Merge newsletters",
            "newsletters": newsletters,
            "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/articles/newsletter/merge.html", context)


class SectionInline(admin.TabularInline):
    model = Section
    fields = ["position", "kind", "headline", "anchor"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Issue)
class IssueAdmin(admin.ModelAdmin):
    list_display = ["title", "newsletter", "number", "published_at", "source_format", "sections", "imported_at"]
    list_filter = ["newsletter", "source_format"]
    search_fields = ["title", "subtitle", "source_name"]
    fields = [
        "newsletter", "number", "title", "subtitle", "author", "published_at", "url", "slug",
        "source_name", "source_key", "source_format", "source_encoding", "source_sha256", "imported_at", "updated_at",
    ]
    readonly_fields = [
        "slug", "source_name", "source_key", "source_format", "source_encoding", "source_sha256",
        "imported_at", "updated_at",
    ]
    inlines = [SectionInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    actions = ["reparse_from_source"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("newsletter").annotate(
            section_count=Count("sections")
        ).defer("source_text")

    @admin.display(ordering="section_count")
    def sections(self, obj):
        return obj.section_count

    def save_model(self, request, obj, form, change):
        if change and {"title", "number"} & set(form.changed_data):
            obj.metadata_edited = True  # re-imports keep what staff typed
        super().save_model(request, obj, form, change)
        issue_index(issue=obj)  # an edited title is searchable at once

    @admin.action(description="Re-parse from stored source", permissions=["change"])
    def reparse_from_source(self, request, queryset):
        report_results(request, [issue_reparse(issue=issue) for issue in queryset])

    def get_urls(self):
        return [
            path("import/", self.import_view, name="articles_issue_import"),
            path("import/<int:job_id>/", self.import_job_view, name="articles_issue_import_job"),
            *super().get_urls(),
        ]

    def import_view(self, request):
        """Upload one or many files; the worker imports them and the job's page shows progress.
        Staff only (else 403)."""
        if not (request.user.is_active and request.user.is_staff and self.has_add_permission(request)):
            raise PermissionDenied
        form = ImportNewslettersForm(request.POST, request.FILES) if request.method == "POST" else ImportNewslettersForm()
        if form.is_bound and form.is_valid():
            # A generator: each upload is read (once) and stored before the next one is read.
            job = import_job_create(user=request.user, files=((f.name, f.read()) for f in form.cleaned_data["files"]))
            return redirect("admin:articles_issue_import_job", job_id=job.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": "Import newsletters",
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/articles/issue/import.html", context)

    def import_job_view(self, request, job_id: int):
        """An import job's progress; htmx polls its ``job-progress`` fragment until it is finished."""
        if not (request.user.is_active and request.user.is_staff):
            raise PermissionDenied
        progress = import_job_progress(job_id=job_id)
        if progress is None:
            raise Http404("no such import job")
        context = {
            **({} if request.htmx else self.admin_site.each_context(request)),
            "title": f"Import job #{job_id}",
            "progress": progress,
            "opts": self.model._meta,
        }
        template = "admin/articles/issue/import_job.html" + ("#job-progress" if request.htmx else "")
        response = TemplateResponse(request, template, context)
        patch_vary_headers(response, ("HX-Request",))
        return response


@admin.register(Paragraph)
class ParagraphAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "section"]
    list_select_related = ["section__issue"]
    readonly_fields = ["section", "position", "kind", "text", "marks"]
    search_fields = ["text"]

    def has_add_permission(self, request):
        return False


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "team", "slug", "created_at"]
    list_filter = ["team"]
    search_fields = ["name"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        document_sync(obj)  # highlights and sections carrying the tag are found by its new name

    def delete_model(self, request, obj):
        self.delete_queryset(request, Tag.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        highlights = list(Highlight.objects.filter(tags__in=queryset).distinct())
        sections = list(Section.objects.filter(section_tags__tag__in=queryset).distinct())
        super().delete_queryset(request, queryset)
        for target in (*highlights, *sections):
            document_sync(target)


class ModerationAdmin(admin.ModelAdmin):
    """Annotations in the admin: staff may look and delete (moderation), never edit someone's
    words or see private annotations — those stay their author's alone."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        document_forget(obj)  # the search index must not keep moderated text
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            document_forget(obj)
        super().delete_queryset(request, queryset)


@admin.register(Highlight)
class HighlightAdmin(ModerationAdmin):
    list_display = ["__str__", "team", "author", "is_claim", "claim_status", "anchor_status", "created_at"]
    list_filter = ["team", "is_claim", "claim_status", "anchor_status"]
    list_select_related = ["team", "author"]
    search_fields = ["exact"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(visibility=Visibility.TEAM)


@admin.register(Note)
class NoteAdmin(ModerationAdmin):
    list_display = ["__str__", "team", "author", "created_at"]
    list_filter = ["team"]
    list_select_related = ["team", "author"]
    exclude = ["body_html"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(visibility=Visibility.TEAM)


@admin.register(Comment)
class CommentAdmin(ModerationAdmin):
    list_display = ["__str__", "author", "thread", "deleted", "created_at"]
    list_select_related = ["author", "thread"]
    exclude = ["body_html"]

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(thread__highlight__visibility=Visibility.PRIVATE)


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """Background imports, read-only; "Re-run" queues a crashed or failed upload again."""

    list_display = ["__str__", "kind", "status", "done", "total", "failed", "created_by", "created_at", "progress_link"]
    list_filter = ["kind", "status"]
    list_select_related = ["created_by"]
    fields = ["kind", "status", "created_by", "created_at", "started_at", "finished_at", "total", "done", "failed",
              "current", "error", "progress_link"]
    readonly_fields = fields
    actions = ["rerun"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="progress")
    def progress_link(self, obj):
        return format_html('<a href="{}">progress and report</a>', reverse("admin:articles_issue_import_job", args=[obj.pk]))

    @admin.action(description="Re-run (uploads that crashed or failed)", permissions=["view"])
    def rerun(self, request, queryset):
        for job in queryset:
            if import_job_rerun(user=request.user, job=job):
                self.message_user(request, f"{job}: queued again", messages.SUCCESS)
            else:
                self.message_user(request, f"{job}: not re-run (finished, or not an upload)", messages.WARNING)


# Feeds ---------------------------------------------------------------------------------------
from .channels.feeds import feed_fetch_enqueue  # noqa: E402
from .models import Feed  # noqa: E402


@admin.register(Feed)
class FeedAdmin(admin.ModelAdmin):
    """Subscribed feeds and their last fetch; "Fetch now" queues them for the worker."""

    list_display = ["url", "title", "newsletter", "active", "last_status", "last_fetched_at", "last_new_issues",
                    "last_error"]
    list_filter = ["active", "last_status"]
    list_select_related = ["newsletter"]
    search_fields = ["url", "title"]
    readonly_fields = ["added_by", "created_at", "etag", "last_modified", "last_fetched_at", "last_status",
                       "last_error", "last_new_issues", "last_report"]
    actions = ["fetch_now"]

    @admin.action(description="Fetch now (queued for the worker)", permissions=["view"])
    def fetch_now(self, request, queryset):
        feeds = list(queryset)
        for feed in feeds:
            feed_fetch_enqueue(feed=feed, user=request.user)
        self.message_user(request, f"{len(feeds)} feed(s) queued; the worker fetches them in a moment.", messages.SUCCESS)
