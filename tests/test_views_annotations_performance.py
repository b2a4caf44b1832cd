"""The issue page's query count does not grow with annotations (0 → 500 highlights and notes)."""

from __future__ import annotations

import pytest

from articles.models import Comment, Highlight, Note, Paragraph, SectionTag, Tag, Thread
from tests.factories import issue_create

pytestmark = pytest.mark.django_db


def _annotate(issue, team, users, n, offset=0):
    """n highlights (tagged) and n notes spread over the issue's paragraphs, plus threads."""
    paragraphs = list(Paragraph.objects.filter(section__issue=issue))
    tag = Tag.objects.get_or_create(team=team, name="perf", slug="perf")[0]
    authors = [users["alice"], users["bob"]]
    hs = Highlight.objects.bulk_create(
        Highlight(
            team=team, author=authors[(i // len(paragraphs)) % 2], issue=issue, paragraph=paragraphs[i % len(paragraphs)],
            exact="x", start=0, end=1 + i // (2 * len(paragraphs)), visibility="private" if i % 5 == 0 else "team",
            is_claim=i % 3 == 0,
        )
        for i in range(offset, offset + n)
    )
    Highlight.tags.through.objects.bulk_create(Highlight.tags.through(highlight_id=h.pk, tag_id=tag.pk) for h in hs)
    Note.objects.bulk_create(
        Note(team=team, author=authors[i % 2], issue=issue, paragraph=paragraphs[i % len(paragraphs)],
             paragraph_text="x", body="n", body_html="<p>n</p>")
        for i in range(n)
    )
    for section in issue.sections.all():
        SectionTag.objects.get_or_create(tag=tag, section=section)
        thread, _ = Thread.objects.get_or_create(team=team, issue=issue, section=section, defaults={"started_by": users["alice"], "changed_at": section.issue.imported_at})
        Comment.objects.create(thread=thread, author=users["bob"], body="c", body_html="<p>c</p>")


def _count(client, url, django_assert_max_num_queries):
    with django_assert_max_num_queries(30) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response


def test_issue_page_queries_constant_from_0_to_500(login, users, teams, django_assert_max_num_queries):
    issue = issue_create(sections=10, paragraphs=10, number=1)
    alice = login(users["alice"])
    url = issue.get_absolute_url()
    at_0, _ = _count(alice, url, django_assert_max_num_queries)
    _annotate(issue, teams[0], users, 50)
    at_50, _ = _count(alice, url, django_assert_max_num_queries)
    _annotate(issue, teams[0], users, 450, offset=50)
    at_500, response = _count(alice, url, django_assert_max_num_queries)
    assert Highlight.objects.count() == 500 and Note.objects.count() == 500
    # with no annotation at all the tag prefetch has nothing to fetch: one query fewer
    assert at_0 <= at_50 == at_500, (at_0, at_50, at_500)
    assert response.content.count(b'<mark class="hl') > 0
    print(f"\nissue page queries: {at_0} at 0 annotations, {at_500} at 500 highlights + 500 notes")


def test_notes_panel_and_thread_queries_constant(login, users, teams, django_assert_max_num_queries):
    issue = issue_create(sections=1, paragraphs=2, number=2)
    para = Paragraph.objects.filter(section__issue=issue).first()
    alice = login(users["alice"])
    hx = {"HX-Request": "true"}
    _annotate(issue, teams[0], users, 4)
    with django_assert_max_num_queries(30) as few:
        alice.get(f"/paragraphs/{para.pk}/notes/", headers=hx)
        alice.get(f"/sections/{para.section_id}/thread/", headers=hx)
    _annotate(issue, teams[0], users, 100, offset=4)
    thread = Thread.objects.get()
    for _ in range(30):
        parent = Comment.objects.create(thread=thread, author=users["alice"], body="p", body_html="<p>p</p>")
        Comment.objects.create(thread=thread, author=users["bob"], parent=parent, body="r", body_html="<p>r</p>")
    with django_assert_max_num_queries(30) as many:
        alice.get(f"/paragraphs/{para.pk}/notes/", headers=hx)
        alice.get(f"/sections/{para.section_id}/thread/", headers=hx)
    assert len(few) == len(many)
