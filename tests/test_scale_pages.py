"""Pages whose cost follows what is on screen (issue 11): the issue list sorts and cuts on the
issue table's index and computes reading state only for the issues shown; a highlight's <mark>
carries only its look and ids."""

from __future__ import annotations

import datetime
import hashlib

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Highlight, Issue, IssueRead, Newsletter, Paragraph, Section
from articles.render import HighlightSpan, render_paragraph

pytestmark = pytest.mark.django_db


def _bulk_issues(count: int, name: str = "Scale Weekly") -> list[Issue]:
    newsletter = Newsletter.objects.create(name=name, slug=name.lower().replace(" ", "-"))
    start = timezone.now() - datetime.timedelta(days=count)
    issues = Issue.objects.bulk_create(
        Issue(newsletter=newsletter, number=n + 1, title=f"Invented {name} {n + 1}",
              slug=f"{newsletter.slug}-{n + 1}", source_name=f"{newsletter.slug}-{n + 1}.txt",
              source_sha256=hashlib.sha256(f"{newsletter.pk}-{n}".encode()).hexdigest(), source_format="importai_text",
              source_text="", published_at=start + datetime.timedelta(days=n))
        for n in range(count)
    )
    sections = Section.objects.bulk_create(
        Section(issue=issue, position=s, kind="story", anchor=f"s-{s}", headline=f"Story {s}")
        for issue in issues for s in range(2)
    )
    Paragraph.objects.bulk_create(
        Paragraph(section=section, position=0, text="Robots sort invented buttons into bins.") for section in sections
    )
    return sorted(issues, key=lambda i: -i.number)


def _list_queries(client, url: str = "/") -> tuple[BeautifulSoup, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser"), [q["sql"] for q in captured.captured_queries]


def test_issue_list_state_and_counts_only_for_the_issues_shown(login, users, teams):
    issues = _bulk_issues(120)
    alice, bob = users["alice"], users["bob"]
    on_page_two = issues[60]
    IssueRead.objects.create(user=alice, issue=on_page_two, last_read_at=timezone.now() - datetime.timedelta(days=1),
                             progress=0.25)
    paragraph = Paragraph.objects.filter(section__issue=on_page_two).first()
    Highlight.objects.create(team=teams[0], author=bob, issue=on_page_two, paragraph=paragraph, exact="Robots",
                             start=0, end=6)
    client = login(alice)
    soup, queries = _list_queries(client, "/?page=2")
    rows = soup.select("li.issue-row")
    assert len(rows) == 50
    row = next(r for r in rows if r.select_one(".issue-title").get_text() == on_page_two.title)
    assert row.select_one(".activity-badge").get_text() == "new activity"
    assert row.select_one(".progress").get_text() == "25% read"
    assert row.select_one(".section-count").get_text() == "2 sections"
    assert len(soup.select(".unread-badge")) == 49
    # per-issue reads name the ≤ 50 issues shown, never every issue through a correlated subquery
    state = [q for q in queries if "articles_issueread" in q or "articles_highlight" in q or "articles_section" in q]
    assert state and all(" IN (" in q for q in state)


def test_issue_list_query_count_does_not_grow_with_the_library(login, users, teams):
    _bulk_issues(60)
    client = login(users["alice"])
    _, small = _list_queries(client)
    _bulk_issues(600, "Other Weekly")
    soup, large = _list_queries(client)
    assert Issue.objects.count() == 660 and len(soup.select("li.issue-row")) == 50
    assert len(large) == len(small)
    assert soup.select_one(".pager .hint").get_text() == "Page 1 of 14"


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's EXPLAIN QUERY PLAN")
def test_issue_list_page_walks_the_ordering_index(login, users, teams):
    _bulk_issues(80)
    _, queries = _list_queries(login(users["alice"]))
    page = [q for q in queries if q.startswith('SELECT "articles_issue"."id"') and "LIMIT 50" in q]
    assert len(page) == 1
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + page[0])
        plan = [row[-1] for row in cursor.fetchall()]
    assert "SCAN articles_issue USING INDEX issue_published" in plan
    assert "USE TEMP B-TREE FOR ORDER BY" not in plan  # only ties on the last key are sorted
    counts = [q for q in queries if "COUNT(" in q and "articles_issue" in q]
    assert counts and all("articles_highlight" not in q and "articles_issueread" not in q for q in counts)


def test_mark_carries_only_its_look_and_ids():
    text = "Robots sort buttons into bins quickly."
    html = render_paragraph(
        text, [], [HighlightSpan(3, 0, 19, "hl-yellow"), HighlightSpan(4, 7, 29, "hl-green hl-claim hl-open")]
    )
    marks = BeautifulSoup(str(html), "html.parser").find_all("mark")
    assert [(m["data-highlight-ids"], m.get_text()) for m in marks] == [
        ("3", "Robots "), ("3 4", "sort buttons"), ("4", " into bins"),
    ]
    assert {frozenset(m.attrs) for m in marks} == {frozenset({"class", "data-highlight-ids"})}
    assert marks[1]["class"] == ["hl", "hl-claim", "hl-green", "hl-open", "hl-yellow"]
    assert str(html) == (
        '<mark class="hl hl-yellow" data-highlight-ids="3">Robots </mark>'
        '<mark class="hl hl-claim hl-green hl-open hl-yellow" data-highlight-ids="3 4">sort buttons</mark>'
        '<mark class="hl hl-claim hl-green hl-open" data-highlight-ids="4"> into bins</mark> quickly.'
    )
