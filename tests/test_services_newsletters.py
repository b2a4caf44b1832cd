"""Newsletters by identity: renames and merges never break later imports; names derived honestly."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from articles.importer import Document, SourceMeta
from articles.models import Issue, IssueReference, Newsletter, NewsletterIdentity
from articles.services.importing import ImportStatus, import_item
from articles.services.newsletters import name_from_file_name, newsletter_for_import, newsletter_merge
from tests.factories import import_one

pytestmark = pytest.mark.django_db

ISSUE_7 = """Import AI 7: A small issue
A subtitle
Welcome to Import AI, a newsletter about AI research.
First story headline:
First paragraph of the first story.
"""


def _entry(guid: str, title: str, body: str, *, when: datetime, key: str = "feed:http://feeds.test/a.xml") -> Document:
    """A feed entry as the feed channel hands it over."""
    meta = SourceMeta(newsletter="The Gradient Ledger", newsletter_key=key, title=title, published_at=when,
                      url=f"https://ledger.test/p/{guid}", guid=f"guid:{guid}")
    html = f"<h2>{title}</h2><p>{body}</p>"
    return Document(name=f"feed: {title}", kind="html", body=html, meta=meta)


def test_renaming_a_newsletter_changes_nothing_for_later_imports():
    first = import_one(name="7.txt", raw=ISSUE_7.encode())
    newsletter = first.issue.newsletter
    newsletter.name, newsletter.slug = "Jack's AI letter", "jacks-ai-letter"
    newsletter.save()
    again = import_one(name="7.txt", raw=(ISSUE_7 + "Second paragraph.\n").encode())
    assert again.status is ImportStatus.UPDATED, str(again)
    assert again.issue.pk == first.issue.pk
    assert list(Newsletter.objects.values_list("name", flat=True)) == ["Jack's AI letter"]


def test_identity_lookup_and_creation():
    choice = newsletter_for_import(key="list:ledger.news.test", name="The Ledger", file_name="x.eml")
    assert (choice.newsletter.name, choice.note) == ("The Ledger", "")
    assert list(choice.newsletter.identities.values_list("key", flat=True)) == ["list:ledger.news.test"]
    # The same key with another display name: the same newsletter, not renamed.
    again = newsletter_for_import(key="list:ledger.news.test", name="Ledger Weekly", file_name="y.eml")
    assert again.newsletter.pk == choice.newsletter.pk and again.newsletter.name == "The Ledger"
    # Another source with a display name already taken: a second newsletter, never the first.
    other = newsletter_for_import(key="feed:http://other.test/rss", name="The Ledger", file_name="z.xml")
    assert other.newsletter.pk != choice.newsletter.pk
    assert other.newsletter.name == "The Ledger (2)"


@pytest.mark.parametrize(
    ("file_name", "expected"),
    [("ai-weekly-2026-11-03.md", "Ai Weekly"), ("Model_Roundup 12.txt", "Model Roundup"), ("2026-11-03.txt", ""),
     ("zip.zip/inner/the-batch.html", "The Batch")],
)
def test_name_from_file_name(file_name, expected):
    assert name_from_file_name(file_name) == expected


def test_unnamed_sources_fall_back_to_file_name_then_unsorted():
    by_file = newsletter_for_import(key="", name="", file_name="robot-digest-5.txt")
    assert by_file.newsletter.name == "Robot Digest"
    assert "from the file name" in by_file.note
    unsorted = newsletter_for_import(key="", name="", file_name="2026-11-03.txt")
    assert unsorted.newsletter.name == "Unsorted" and "Unsorted" in unsorted.note
    by_site = newsletter_for_import(key="site:ledger.test", name="", file_name="2026.html")
    assert by_site.newsletter.name == "ledger.test"


def test_feed_entries_dedupe_by_guid_update_when_changed_and_order_by_date():
    first = import_item(_entry("a1", "Tiny models win", "Small models beat big ones.", when=datetime(2026, 11, 2, 9, tzinfo=UTC)))
    second = import_item(_entry("a2", "Robots fold laundry", "A robot folded a shirt.", when=datetime(2026, 11, 9, 9, tzinfo=UTC)))
    assert [first.status, second.status] == [ImportStatus.CREATED, ImportStatus.CREATED], [str(first), str(second)]
    assert import_item(_entry("a1", "Tiny models win", "Small models beat big ones.", when=datetime(2026, 11, 2, 9, tzinfo=UTC))).status is ImportStatus.UNCHANGED
    changed = import_item(_entry("a1", "Tiny models win (updated)", "Small models beat big ones, mostly.", when=datetime(2026, 11, 2, 9, tzinfo=UTC)))
    assert changed.status is ImportStatus.UPDATED and changed.issue.pk == first.issue.pk
    issue = Issue.objects.get(pk=first.issue.pk)
    assert issue.url == "https://ledger.test/p/a1"
    assert issue.published_at == datetime(2026, 11, 2, 9, tzinfo=UTC)
    assert issue.source_key == "feed:http://feeds.test/a.xml guid:a1"
    assert issue.newsletter.name == "The Gradient Ledger"
    assert list(Issue.objects.newest_first().values_list("pk", flat=True)) == [second.issue.pk, first.issue.pk]


def test_merge_moves_issues_and_identities_and_keeps_conflicting_numbers(staff):
    target = newsletter_for_import(key="name:import-ai", name="Import AI", file_name="").newsletter
    source = newsletter_for_import(key="list:importai.test", name="Jack Clark", file_name="").newsletter
    Issue.objects.create(newsletter=target, number=7, title="t7", slug="t7", source_name="a", source_sha256="1", source_format="text", source_text="")
    Issue.objects.create(newsletter=source, number=7, title="s7", slug="s7", source_name="b", source_sha256="2", source_format="text", source_text="")
    Issue.objects.create(newsletter=source, number=8, title="s8", slug="s8", source_name="c", source_sha256="3", source_format="text", source_text="")
    report = newsletter_merge(user=staff, source=source, target=target)
    assert (report.issues_moved, report.conflicts) == (1, 1)
    assert Issue.objects.get(slug="s8").newsletter == target
    assert Issue.objects.get(slug="s7").newsletter == source  # kept, nothing lost
    assert NewsletterIdentity.objects.get(key="list:importai.test").newsletter == target
    # Later mail from that list goes to the kept newsletter.
    assert newsletter_for_import(key="list:importai.test", name="", file_name="").newsletter == target


def test_merge_without_conflicts_deletes_the_empty_newsletter(staff):
    target = newsletter_for_import(key="name:a", name="A", file_name="").newsletter
    source = newsletter_for_import(key="name:b", name="B", file_name="").newsletter
    same = newsletter_merge(user=staff, source=target, target=target)
    assert newsletter_merge(user=staff, source=source, target=target) == type(same)(0, 0)
    assert not Newsletter.objects.filter(pk=source.pk).exists()


def test_admin_merge_action(staff_client):
    a = newsletter_for_import(key="name:a", name="A", file_name="").newsletter
    b = newsletter_for_import(key="name:b", name="B", file_name="").newsletter
    url = reverse("admin:articles_newsletter_changelist")
    page = staff_client.post(url, {"action": "merge_newsletters", "_selected_action": [a.pk, b.pk]})
    assert page.status_code == 200
    radios = BeautifulSoup(page.content, "html.parser").select("input[name=merge_target]")
    assert sorted(int(r["value"]) for r in radios) == sorted([a.pk, b.pk])
    done = staff_client.post(url, {"action": "merge_newsletters", "_selected_action": [a.pk, b.pk],
                                   "merge_target": b.pk, "confirm": "yes"})
    assert done.status_code == 302
    assert list(Newsletter.objects.values_list("name", flat=True)) == ["B"]
    assert sorted(NewsletterIdentity.objects.values_list("key", flat=True)) == ["name:a", "name:b"]


def test_issue_list_shows_newsletter_and_date_and_filters(reader_client):
    import_item(_entry("a1", "Tiny models win", "Small models beat big ones.", when=datetime(2026, 11, 2, 9, tzinfo=UTC)))
    import_one(name="7.txt", raw=ISSUE_7.encode())
    page = BeautifulSoup(reader_client.get(reverse("articles:issue-list")).content, "html.parser")
    rows = page.select(".issue-row")
    assert [r.select_one(".newsletter-name").get_text() for r in rows] == ["The Gradient Ledger", "Import AI"]
    assert rows[0].select_one("time.published")["datetime"] == "2026-11-02T09:00:00+00:00"
    filtered = BeautifulSoup(reader_client.get(reverse("articles:issue-list") + "?newsletter=import-ai").content, "html.parser")
    assert [r.select_one(".issue-title").get_text() for r in filtered.select(".issue-row")] == ["A small issue"]


def test_cross_issue_references_survive_renaming_the_newsletter():
    """"Import AI 7" in a later issue still links to issue 7 after staff renamed the newsletter."""
    seven = import_one(name="7.txt", raw=ISSUE_7.encode()).issue
    newsletter = seven.newsletter
    newsletter.name, newsletter.slug = "Jack's AI letter", "jacks-ai-letter"
    newsletter.save()
    eight = ISSUE_7.replace("Import AI 7:", "Import AI 8:").replace(
        "First paragraph of the first story.", "As we wrote in Import AI 7, tables matter. And Import AI 9 will say more."
    )
    import_one(name="8.txt", raw=eight.encode())
    references = {r.number: r.target_id for r in IssueReference.objects.all()}
    assert references == {7: seven.pk, 9: None}
    nine = import_one(name="9.txt", raw=ISSUE_7.replace("Import AI 7:", "Import AI 9:").encode()).issue
    assert IssueReference.objects.get(number=9).target_id == nine.pk  # resolved when it arrives
