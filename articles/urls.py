from django.urls import path

from .views import activity, claims, connect, export, highlights, notes, orphans, reading, search, tags, teams, threads

app_name = "articles"

urlpatterns = [
    path("", reading.issue_list, name="issue-list"),
    path("issues/<slug:slug>/", reading.issue_detail, name="issue-detail"),
    path("issues/<slug:slug>/progress/", reading.issue_progress, name="issue-progress"),
    path("issues/<slug:slug>/export.<str:fmt>", export.issue_export, name="issue-export"),
    path("export/team.<str:fmt>", export.team_export, name="team-export"),
    path("issues/<slug:slug>/<slug:anchor>/", reading.section_detail, name="section-detail"),
    path("topics/<int:pk>/", connect.topic_detail, name="topic-detail"),
    path("claims/accept/", claims.claim_suggestion_accept, name="claim-suggestion-accept"),
    path("claims/dismiss/", claims.claim_suggestion_dismiss, name="claim-suggestion-dismiss"),
    path("highlights/", highlights.highlight_create, name="highlight-create"),
    path("highlights/cards/", highlights.highlight_cards, name="highlight-cards"),
    path("highlights/<int:pk>/edit/", highlights.highlight_edit, name="highlight-edit"),
    path("highlights/<int:pk>/claim/", highlights.claim_review, name="claim-review"),
    path("highlights/<int:pk>/delete/", highlights.highlight_delete, name="highlight-delete"),
    path("highlights/<int:pk>/thread/", threads.thread_view, {"kind": "highlight"}, name="highlight-thread"),
    path("sections/<int:pk>/thread/", threads.thread_view, {"kind": "section"}, name="section-thread"),
    path("sections/<int:pk>/tags/", tags.section_tags, name="section-tags"),
    path("threads/<int:pk>/resolve/", threads.thread_resolve, name="thread-resolve"),
    path("comments/<int:pk>/edit/", threads.comment_edit, name="comment-edit"),
    path("comments/<int:pk>/edit/form/", threads.comment_edit_form, name="comment-edit-form"),
    path("comments/<int:pk>/delete/", threads.comment_delete, name="comment-delete"),
    path("paragraphs/<int:pk>/notes/", notes.notes_panel, name="notes-panel"),
    path("notes/<int:pk>/edit/", notes.note_edit, name="note-edit"),
    path("notes/<int:pk>/edit/form/", notes.note_edit_form, name="note-edit-form"),
    path("notes/<int:pk>/delete/", notes.note_delete, name="note-delete"),
    path("orphans/", orphans.orphan_list, name="orphans"),
    path("tags/", tags.tag_list, name="tag-list"),
    path("tags/autocomplete/", tags.tag_autocomplete, name="tag-autocomplete"),
    path("tags/<str:slug>/", tags.tag_detail, name="tag-detail"),
    path("tags/<str:slug>/rename/", tags.tag_rename, name="tag-rename"),
    path("tags/<str:slug>/merge/", tags.tag_merge, name="tag-merge"),
    path("search/", search.search_page, name="search"),
    path("team/", teams.team_switch, name="team-switch"),
    path("people/<str:username>/", teams.person, name="person"),
    path("activity/", activity.activity_feed, name="activity"),
    path("inbox/", activity.inbox, name="inbox"),
]

# Sources (staff): feeds, Save link, the bookmarklet.
from .views import sources  # noqa: E402

urlpatterns += [
    path("sources/", sources.sources, name="sources"),
    path("sources/feeds/", sources.feed_add, name="feed-add"),
    path("sources/feeds/<int:pk>/fetch/", sources.feed_fetch_now, name="feed-fetch"),
    path("links/save/", sources.link_save_view, name="link-save"),
    path("links/jobs/<int:pk>/", sources.link_job, name="link-job"),
]
