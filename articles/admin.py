from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import DELETION, LogEntry
from django.contrib.admin.utils import NestedObjects
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models, router
from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import Lower
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.cache import patch_vary_headers
from django.utils.html import format_html
from django.utils.text import capfirst

from .backup.archive_export import team_archive_export
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
from .search.indexing import issue_index
from .selectors.jobs import import_job_progress
from .selectors.orphans import former_member_preview, issues_orphan_preview
from .selectors.tags import tags_shown_in_admin
from .services.importing import ImportStatus, issue_reparse
from .services.jobs import import_job_create, import_job_rerun
from .services.newsletters import newsletter_merge
from .services.orphans import annotation_delete_by_staff, issue_delete, tag_delete_by_staff, team_delete, user_delete
from .services.tags import tag_rename_by_staff

_LEVEL = {
    ImportStatus.CREATED: messages.SUCCESS,
    ImportStatus.UPDATED: messages.SUCCESS,
    ImportStatus.UNCHANGED: messages.INFO,
    ImportStatus.FAILED: messages.ERROR,
}


def report_results(request, results) -> None:
    for result in results:
        messages.add_message(request, _LEVEL[result.status], str(result))


# Privacy ---------------------------------------------------------------------------------------
# No admin page shows annotation text, a private tag name or a comment to anyone but those who
# may read it in the app (superusers included; docs/ANNOTATIONS.md, "The admin"). Delete
# confirmations summarise what goes with an object as counts; annotation rows are labelled by id.

MASKED_MODELS = (Highlight, Note, Comment, Tag)  # never listed by __str__ on a confirmation page


def admin_label(obj) -> str:
    """How a confirmation page names ``obj``: annotations by id, everything else by ``__str__``."""
    if isinstance(obj, MASKED_MODELS):
        return f"{obj._meta.verbose_name} #{obj.pk}"
    return str(obj)


def _count_phrase(n: int, model, qualifier: str = "") -> str:
    name = model._meta.verbose_name if n == 1 else model._meta.verbose_name_plural
    return f"{n} {qualifier + ' ' if qualifier else ''}{name}"


def deletion_summary(model_objs: dict) -> list[str]:
    """Counts of what a deletion takes with it, highlights and notes split into private and team
    ("12 private notes", "3 team highlights", "5 comments"); nothing named."""
    lines = []
    for model, instances in sorted(model_objs.items(), key=lambda item: item[0]._meta.label):
        if not instances:
            continue
        if model in (Highlight, Note):
            private = sum(1 for obj in instances if obj.visibility == Visibility.PRIVATE)
            lines += [_count_phrase(n, model, which) for n, which in ((private, "private"),
                      (len(instances) - private, "team")) if n]
        else:
            lines.append(_count_phrase(len(instances), model))
    return lines


class DeletionSummaryMixin:
    """Delete confirmations (one object, and the bulk "delete selected" action, which calls the
    same method) list the objects chosen and then only counts of the related rows going with them."""

    def get_deleted_objects(self, objs, request):
        objs = list(objs)
        if not objs:
            return [], {}, set(), []
        collector = NestedObjects(using=router.db_for_write(objs[0]._meta.model), origin=objs)
        collector.collect(objs)
        perms_needed = set()
        for model, instances in collector.model_objs.items():
            model_admin = self.admin_site._registry.get(model)
            if model_admin is not None and any(not model_admin.has_delete_permission(request, o) for o in instances):
                perms_needed.add(model._meta.verbose_name)
        model_count = {model._meta.verbose_name_plural: len(instances)
                       for model, instances in collector.model_objs.items() if instances}
        chosen = [f"{capfirst(obj._meta.verbose_name)}: {admin_label(obj)}" for obj in objs]
        summary = deletion_summary(collector.model_objs)
        to_delete = [*chosen, "With them:", summary] if summary else chosen
        protected = [f"{capfirst(obj._meta.verbose_name)}: {admin_label(obj)}" for obj in collector.protected]
        return to_delete, model_count, perms_needed, protected


class _Named:
    """A stand-in for an object on the admin's own pages (breadcrumbs, titles): its pk, and a label
    instead of its ``__str__``."""

    def __init__(self, pk, label: str):
        self.pk, self.label = pk, label

    def __str__(self) -> str:
        return self.label


class MaskedAdminMixin(DeletionSummaryMixin):
    """Annotation rows labelled "highlight #12" on every admin page (list, view, delete, history,
    messages, the log), their text shown only where the viewer could read it in the app."""

    team_path = "team"
    text_fields: tuple[str, ...] = ()

    def label(self, pk) -> str:
        return f"{self.model._meta.verbose_name} #{pk}"

    @admin.display(description="id")
    def row_label(self, obj):
        return self.label(obj.pk)

    def shown_rows(self, request):
        """Rows whose text the viewer may read: their own, or in a team they belong to."""
        member = Membership.objects.filter(team=OuterRef(self.team_path), user=request.user)
        return Q(Exists(member)) | Q(author=request.user)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(text_shown=self.shown_rows(request))

    def is_shown(self, request, obj) -> bool:
        return obj is not None and self.get_queryset(request).filter(pk=obj.pk, text_shown=True).exists()

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        return fields if self.is_shown(request, obj) else [f for f in fields if f not in self.text_fields]

    def action_checkbox(self, obj):
        attrs = {"class": "action-select", "aria-label": f"Select {self.label(obj.pk)}"}
        return forms.CheckboxInput(attrs, lambda value: False).render(admin.helpers.ACTION_CHECKBOX_NAME, str(obj.pk))

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context.update(subtitle=self.label(obj.pk), original=_Named(obj.pk, self.label(obj.pk)))
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    def render_delete_form(self, request, context):
        obj = context["object"]
        context["object"] = _Named(obj.pk, self.label(obj.pk))
        return super().render_delete_form(request, context)

    def response_delete(self, request, obj_display, obj_id):
        return super().response_delete(request, self.label(obj_id), obj_id)

    def history_view(self, request, object_id, extra_context=None):
        named = _Named(object_id, self.label(object_id))
        return super().history_view(request, object_id, {**(extra_context or {}), "title": f"Change history: {named}",
                                                          "object": named})

    def log_deletions(self, request, queryset):
        content_type = ContentType.objects.get_for_model(self.model)
        return LogEntry.objects.bulk_create([
            LogEntry(user_id=request.user.pk, content_type=content_type, object_id=str(obj.pk),
                     object_repr=self.label(obj.pk), action_flag=DELETION, change_message="")
            for obj in queryset
        ])


class NewsletterIdentityInline(admin.TabularInline):
    model = NewsletterIdentity
    fields = ["key", "created_at"]
    readonly_fields = ["created_at"]
    extra = 0


@admin.register(Newsletter)
class NewsletterAdmin(DeletionSummaryMixin, admin.ModelAdmin):
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
                    report = newsletter_merge(user=request.user, source=source, target=target)
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


# Deleting an issue, a team or a user: through the services, the confirmation says what stays ----

def archive_offer(request, teams) -> list:
    """One line per team whose annotations a deletion touches: a download of its team archive for
    a member of that team (what they read in the app, as everywhere in the admin), otherwise the
    command that writes the whole archive on the server."""
    member_of = set(Membership.objects.filter(user=request.user, team__in=teams).values_list("team_id", flat=True))
    lines = []
    for team in teams:
        command = f"manage.py export_team {team.slug} > {team.slug}.json"
        if team.pk in member_of:
            url = reverse("admin:articles_team_archive", args=[team.pk])
            lines.append(format_html('Team archive of {}: <a href="{}" download>download it first</a> (or run <code>{}</code>)',
                                     team.name, url, command))
        else:
            lines.append(format_html("Team archive of {}: run <code>{}</code> on the server first", team.name, command))
    return lines


class OrphaningDeleteMixin(DeletionSummaryMixin):
    """Deletes through a service (``delete_with``: one object, staff permission checked there) and
    a confirmation that adds what the deletion keeps (``kept_lines``) and offers team archives."""

    def delete_with(self, request, obj):
        raise NotImplementedError

    def kept_lines(self, request, objs) -> list:
        return []

    def get_deleted_objects(self, objs, request):
        objs = list(objs)
        to_delete, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        kept = self.kept_lines(request, objs)
        return [*to_delete, *kept] if kept else to_delete, model_count, perms_needed, protected

    def delete_model(self, request, obj):
        self.delete_with(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_with(request, obj)


@admin.register(Issue)
class IssueAdmin(OrphaningDeleteMixin, admin.ModelAdmin):
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

    def delete_with(self, request, obj):
        issue_delete(user=request.user, issue=obj)

    def kept_lines(self, request, objs) -> list:
        """What stays, as orphans of the team (with the issue's title and their story's
        headline), and each affected team's archive."""
        preview = issues_orphan_preview(issues=objs)
        if not preview.teams:
            return []
        return ["Kept as orphans (on each team’s Orphaned annotations page):", preview.summary,
                *archive_offer(request, preview.teams)]

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
class ParagraphAdmin(DeletionSummaryMixin, admin.ModelAdmin):
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
class TeamAdmin(OrphaningDeleteMixin, admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]

    def delete_with(self, request, obj):
        team_delete(user=request.user, team=obj)

    def kept_lines(self, request, objs) -> list:
        return ["Nothing of it is kept: save its archive first.", *archive_offer(request, objs)]

    def get_urls(self):
        return [path("<int:team_id>/archive/", self.admin_site.admin_view(self.archive_view),
                     name="articles_team_archive"), *super().get_urls()]

    def archive_view(self, request, team_id: int):
        """The team archive as a download, for a staff member of the team, holding what they read
        in the app (their own private annotations, not their teammates'). 403 otherwise."""
        team = Team.objects.filter(pk=team_id).first() if 0 < team_id < 2**63 else None
        if team is None:
            raise Http404("no such team")
        if not (request.user.is_staff and Membership.objects.filter(team=team, user=request.user).exists()):
            raise PermissionDenied
        response = JsonResponse(team_archive_export(team=team, viewer=request.user), json_dumps_params={"indent": 1})
        response["Content-Disposition"] = f'attachment; filename="{team.slug}-archive.json"'
        return response


class TagAdminForm(forms.ModelForm):
    """Names are checked against the tags this admin user may see only (a hidden tag holding the
    name is absorbed by ``tag_rename_by_staff``, never announced)."""

    class Meta:
        model = Tag
        fields = ["name", "colour"]

    def validate_unique(self):
        name = " ".join((self.cleaned_data.get("name") or "").split())
        if not name or self.instance.pk is None:
            return
        shown = tags_shown_in_admin(user=self.request_user).filter(team_id=self.instance.team_id)
        if shown.annotate(lname=Lower("name")).filter(lname=name.lower()).exclude(pk=self.instance.pk).exists():
            self.add_error("name", f"A tag named “{name}” exists already in this team.")


@admin.register(Tag)
class TagAdmin(DeletionSummaryMixin, admin.ModelAdmin):
    """Only the tags ``tags_shown_in_admin`` gives the viewer (a tag used only on other people's
    private highlights is not listed, not viewable, not deletable here). Tags are made by use, so
    there is no "add"; a rename goes through the tag service."""

    form = TagAdminForm
    list_display = ["name", "team", "slug", "created_at"]
    list_filter = ["team"]
    search_fields = ["name"]
    fields = ["team", "name", "slug", "colour", "created_by", "created_at"]
    readonly_fields = ["team", "slug", "created_by", "created_at"]

    def get_queryset(self, request):
        return tags_shown_in_admin(user=request.user).select_related("team", "created_by")

    def has_add_permission(self, request):
        return False

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"request_user": request.user})

    def save_model(self, request, obj, form, change):
        if "name" in form.changed_data:
            tag_rename_by_staff(user=request.user, tag=obj, name=obj.name, seen=tags_shown_in_admin(user=request.user))
        if "colour" in form.changed_data:
            obj.save(update_fields=["colour"])

    def delete_model(self, request, obj):
        tag_delete_by_staff(user=request.user, tag=obj)

    def delete_queryset(self, request, queryset):
        for tag in queryset:
            tag_delete_by_staff(user=request.user, tag=tag)


class ModerationAdmin(MaskedAdminMixin, admin.ModelAdmin):
    """Annotations in the admin: staff may look and delete (moderation), never edit someone's
    words; other people's private annotations are not listed at all, and the text of the rest
    is shown only to members of its team (everyone else sees ids, team, author and dates)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        annotation_delete_by_staff(user=request.user, obj=obj)  # search rows go first

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            annotation_delete_by_staff(user=request.user, obj=obj)


@admin.register(Highlight)
class HighlightAdmin(ModerationAdmin):
    list_display = ["row_label", "quote", "team", "author", "visibility", "is_claim", "claim_status", "anchor_status",
                    "created_at"]
    list_filter = ["team", "is_claim", "claim_status", "anchor_status"]
    list_select_related = ["team", "author"]
    text_fields = ("exact", "prefix", "suffix", "note", "tags")

    def get_queryset(self, request):
        return super().get_queryset(request).filter(Q(visibility=Visibility.TEAM) | Q(author=request.user))

    @admin.display(description="quote")
    def quote(self, obj):
        return obj.exact[:60] if obj.text_shown else "—"


@admin.register(Note)
class NoteAdmin(ModerationAdmin):
    list_display = ["row_label", "text", "team", "author", "visibility", "created_at"]
    list_filter = ["team"]
    list_select_related = ["team", "author"]
    exclude = ["body_html"]
    text_fields = ("body", "paragraph_text")

    def get_queryset(self, request):
        return super().get_queryset(request).filter(Q(visibility=Visibility.TEAM) | Q(author=request.user))

    @admin.display(description="text")
    def text(self, obj):
        return obj.body[:60] if obj.text_shown else "—"


@admin.register(Comment)
class CommentAdmin(ModerationAdmin):
    list_display = ["row_label", "text", "author", "thread", "deleted", "created_at"]
    list_select_related = ["author", "thread"]
    exclude = ["body_html"]
    team_path = "thread__team"
    text_fields = ("body", "parent")

    def get_queryset(self, request):
        hidden = Q(thread__highlight__visibility=Visibility.PRIVATE) & ~Q(thread__highlight__author=request.user)
        return super().get_queryset(request).exclude(hidden)

    @admin.display(description="text")
    def text(self, obj):
        if not obj.text_shown:
            return "—"
        return "(deleted)" if obj.deleted else obj.body[:60]


@admin.register(ImportJob)
class ImportJobAdmin(DeletionSummaryMixin, admin.ModelAdmin):
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
class FeedAdmin(DeletionSummaryMixin, admin.ModelAdmin):
    """Subscribed feeds and their last fetch; "Fetch now" queues them for the worker."""

    list_display = ["url", "title", "newsletter", "active", "last_status", "last_fetched_at", "last_new_issues",
                    "last_error"]
    list_filter = ["active", "last_status"]
    list_select_related = ["newsletter"]
    search_fields = ["url", "title"]
    readonly_fields = ["added_by", "created_at", "etag", "last_modified", "last_fetched_at", "last_status",
                       "last_error", "last_new_issues", "last_report"]
    actions = ["fetch_now"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    @admin.action(description="Fetch now (queued for the worker)", permissions=["view"])
    def fetch_now(self, request, queryset):
        feeds = list(queryset)
        for feed in feeds:
            feed_fetch_enqueue(feed=feed, user=request.user)
        self.message_user(request, f"{len(feeds)} feed(s) queued; the worker fetches them in a moment.", messages.SUCCESS)


# Users and groups: Django's own admins, with the counted delete confirmation -------------------
User = get_user_model()
admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class DigestUserAdmin(OrphaningDeleteMixin, UserAdmin):
    """Deleting an account keeps its comments, the threads it started and its team highlights and
    notes (shown as "former member"); its private ones go with it. The confirmation counts both."""

    def delete_with(self, request, obj):
        user_delete(user=request.user, account=obj)

    def kept_lines(self, request, objs) -> list:
        kept = former_member_preview(accounts=objs)
        return ["Kept, shown as “former member”:", [str(kept)]] if kept else []


@admin.register(Group)
class DigestGroupAdmin(DeletionSummaryMixin, GroupAdmin):
    pass
