"""The issue page's marks come from a lean read (``HighlightMark``s, no tags or authors per
highlight): they render exactly as a paragraph re-rendered from full model instances does, and the
claims panel and the orphan list still show what they showed."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from articles.models import Highlight, Paragraph, Tag
from articles.selectors.annotations import HighlightMark, issue_annotations
from articles.selectors.panels import paragraph_item
from tests.factories import issue_create

pytestmark = pytest.mark.django_db


def _highlight(team, author, paragraph, start, end, **extra):
    return Highlight.objects.create(
        team=team, author=author, issue=paragraph.section.issue, paragraph=paragraph,
        exact=paragraph.text[start:end], start=start, end=end, **extra,
    )


@pytest.fixture
def annotated(teams, users):
    team = teams[0]
    issue = issue_create(sections=2, paragraphs=2, number=1)
    first, second = Paragraph.objects.filter(section__issue=issue).order_by("section__position", "position")[:2]
    tag = Tag.objects.create(team=team, name="Evals", slug="evals")
    h = [
        _highlight(team, users["alice"], first, 0, 12, colour="green"),
        _highlight(team, users["bob"], first, 5, 20, colour="blue", is_claim=True, claim_status="disputed"),
        _highlight(team, users["alice"], first, 8, 30, colour="pink", visibility="private"),
        _highlight(team, users["bob"], first, 2, 9, visibility="private"),  # bob's: never shown to alice
        _highlight(team, users["bob"], second, 3, 10, colour="yellow"),
    ]
    h[0].tags.add(tag)
    orphan = Highlight.objects.create(
        team=team, author=users["bob"], issue=issue, paragraph=None, exact="a passage that moved", start=0, end=5,
        is_claim=True, claim_status="supported",
    )
    return issue, (first, second), h, orphan


def test_page_marks_render_as_the_rerendered_paragraph(annotated, users, teams):
    issue, paragraphs, h, _ = annotated
    alice, team = users["alice"], teams[0]
    annotations = issue_annotations(issue=issue, user=alice, team=team)
    marks = [m for ms in annotations.highlights_by_paragraph.values() for m in ms]
    assert all(type(m) is HighlightMark for m in marks)
    assert sorted(m.pk for m in marks) == sorted([h[0].pk, h[1].pk, h[2].pk, h[4].pk])
    for paragraph in paragraphs:
        lean = paragraph_item(user=alice, team=team, paragraph=paragraph, annotations=annotations).html
        full = paragraph_item(user=alice, team=team, paragraph=paragraph).html  # model instances
        assert lean == full
    soup = BeautifulSoup(str(paragraph_item(user=alice, team=team, paragraph=paragraphs[0]).html), "html.parser")
    covered = {tuple(m["data-highlight-ids"].split()): m["class"] for m in soup.find_all("mark")}
    assert covered[(str(h[0].pk), str(h[1].pk), str(h[2].pk))] == [
        "hl", "hl-blue", "hl-claim", "hl-disputed", "hl-green", "hl-pink", "hl-private"
    ]
    assert str(h[3].pk) not in " ".join(" ".join(ids) for ids in covered)


def test_issue_page_reads_no_tags_and_keeps_claims_and_orphans(annotated, login, users, django_assert_max_num_queries):
    issue, paragraphs, h, orphan = annotated
    alice = login(users["alice"])
    alice.get(issue.get_absolute_url())  # the first GET also sets up the session
    with django_assert_max_num_queries(30) as captured:
        response = alice.get(issue.get_absolute_url())
    assert response.status_code == 200
    sql = [q["sql"] for q in captured.captured_queries]
    assert any('FROM "articles_highlight"' in q for q in sql)
    assert not any("articles_highlight_tags" in q for q in sql)  # tags are on the cards only
    soup = BeautifulSoup(response.content, "html.parser")
    claims = [li.get_text(" ", strip=True) for li in soup.select("#claims-panel li.claim")]
    assert len(claims) == 2
    assert any(c.startswith("Disputed") and h[1].exact in c for c in claims), claims
    assert any(c.startswith("Supported") and "a passage that moved" in c and "(orphaned)" in c for c in claims), claims
    orphans = [li.get_text(" ", strip=True) for li in soup.select("#orphans li.orphan-highlight")]
    assert orphans == ["“a passage that moved” — bob"]
    ids = {i for m in soup.select("p.para mark.hl") for i in m["data-highlight-ids"].split()}
    assert ids == {str(x.pk) for x in (h[0], h[1], h[2], h[4])}
