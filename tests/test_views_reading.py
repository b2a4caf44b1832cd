"""Reading pages: login required, content by parsing the HTML, constant query counts."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _soup(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


@pytest.mark.parametrize("url", ["/", "/issues/anything/", "/issues/anything/s-intro/"])
def test_pages_require_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_login_page_is_public(client):
    assert _soup(client.get(reverse("login"))).find("input", {"name": "username"}) is not None


def test_issue_list_newest_first_with_facts(reader_client, seeded):
    soup = _soup(reader_client.get("/"))
    rows = soup.select("li.issue-row")
    titles = [r.select_one(".issue-title").get_text() for r in rows]
    assert len(rows) == 5
    assert titles[:3] == [seeded["001"].title, seeded["000"].title, seeded["004"].title]
    first = rows[0]
    assert first.select_one(".issue-number").get_text() == "#396"
    assert first.select_one(".newsletter-name").get_text() == "Import AI"
    assert first.select_one(".issue-subtitle").get_text() == seeded["001"].subtitle
    assert first.select_one(".section-count").get_text() == f"{seeded['001'].sections.count()} sections"
    assert first.select_one("time")["datetime"]


def test_issue_list_filter_by_newsletter_and_htmx_partial(reader_client, seeded):
    soup = _soup(reader_client.get("/?newsletter=forward-future"))
    assert [r.select_one(".issue-title").get_text() for r in soup.select("li.issue-row")] == [
        "Scale Is All You Need? Part 2-2"
    ]
    partial = reader_client.get("/?newsletter=import-ai", headers={"HX-Request": "true"})
    soup = _soup(partial)
    assert soup.find("html") is None and soup.find("header") is None
    assert soup.find("ol")["id"] == "issue-list"
    assert len(soup.select("li.issue-row")) == 4
    assert "HX-Request" in partial["Vary"]


def test_issue_page_shows_structure(reader_client, seeded):
    issue = seeded["000"]
    soup = _soup(reader_client.get(issue.get_absolute_url()))
    assert soup.select_one("h1.issue-title").get_text() == issue.title
    assert soup.select_one(".issue-subtitle").get_text() == "What might fighting for freedom in an AI age look like?"
    sections = list(issue.sections.all())
    toc = [a["href"] for a in soup.select("nav.toc a")]
    assert toc == [f"#{s.anchor}" for s in sections]
    assert [s["id"] for s in soup.select("section.section")] == [s.anchor for s in sections]
    tale = soup.select_one("section.section-tech_tale")
    assert tale.select_one("h2").get_text() == "Reach out across space and love"
    paragraph_ids = [p["id"] for p in soup.select("section p.para")]
    assert len(paragraph_ids) == sum(s.paragraphs.count() for s in sections)
    assert all(pid.startswith("p-") for pid in paragraph_ids)
    assert soup.find("strong", string="Why this matters: AI dominance will be about infrastructure dominance:")
    newer = soup.select_one("a[rel=next]")
    assert newer["href"] == seeded["001"].get_absolute_url()
    older = soup.select_one("a[rel=prev]")
    assert older["href"] == seeded["004"].get_absolute_url()


def test_html_issue_links_are_safe_and_clickable(reader_client, seeded):
    soup = _soup(reader_client.get(seeded["002"].get_absolute_url()))
    links = soup.select("article section a[href^=http]")
    assert any(a["href"] == "https://arxiv.org/abs/2501.18512v1" for a in links)
    assert all(a["rel"] == ["noopener", "noreferrer"] for a in links)
    assert soup.find(string=lambda s: s and "Subscribe now" in s) is None


def test_reader_comments_are_distinct(reader_client, seeded):
    soup = _soup(reader_client.get(seeded["004"].get_absolute_url()))
    comments = soup.select_one("section.section-reader_comments")
    assert comments is not None
    assert comments.select_one(".section-label").get_text() == "From readers"


def test_section_permalink_page(reader_client, seeded):
    section = seeded["001"].sections.get(position=1)
    soup = _soup(reader_client.get(section.get_absolute_url()))
    assert [h.get_text() for h in soup.select("h1")] == [section.headline]  # its one top-level heading
    assert soup.select_one("section h1.headline").get_text() == section.headline
    assert len(soup.select("section p.para")) == section.paragraphs.count()
    assert reader_client.get(f"/issues/{seeded['001'].slug}/s-nope/").status_code == 404


def test_unknown_issue_is_404(reader_client):
    assert reader_client.get("/issues/nope/").status_code == 404


def test_post_is_refused(reader_client, seeded):
    assert reader_client.post(seeded["000"].get_absolute_url()).status_code == 405


def _queries(client, url, django_assert_max_num_queries, limit):
    with django_assert_max_num_queries(limit) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_issue_page_query_count_is_constant(reader_client, make_issue, django_assert_max_num_queries):
    small = make_issue(sections=2, paragraphs=2, number=1)
    large = make_issue(sections=30, paragraphs=20, number=2)
    # session, user, memberships, issue, sections, paragraphs (+ their references), older, newer,
    # related stories, "Referenced by", last read, read upsert
    n_small = _queries(reader_client, small.get_absolute_url(), django_assert_max_num_queries, 13)
    n_large = _queries(reader_client, large.get_absolute_url(), django_assert_max_num_queries, 13)
    assert n_small == n_large


def test_issue_list_query_count_is_constant(reader_client, make_issue, django_assert_max_num_queries):
    # session, user, memberships, count (pagination), the page of issues (bare Issue rows),
    # newsletters, then for the 50 shown only: section counts and the reader's reading state
    # (a team member adds one query per annotation kind for "new activity")
    make_issue(number=1)
    n_small = _queries(reader_client, "/", django_assert_max_num_queries, 8)
    for n in range(2, 40):
        make_issue(number=n, sections=1, paragraphs=1)
    assert _queries(reader_client, "/", django_assert_max_num_queries, 8) == n_small


def test_section_page_query_count_is_constant(reader_client, make_issue, django_assert_max_num_queries):
    issue = make_issue(sections=1, paragraphs=50)
    url = issue.sections.get().get_absolute_url()
    # 5 before the section's cross-issue references and related stories (one query each)
    assert _queries(reader_client, url, django_assert_max_num_queries, 7) <= 7


def test_issue_list_is_paginated(reader_client, make_issue):
    for n in range(1, 53):
        make_issue(number=n, sections=1, paragraphs=1)
    soup = _soup(reader_client.get("/"))
    assert len(soup.select("li.issue-row")) == 50
    assert soup.select_one(".pager a[rel=next]")["href"] == "?page=2"
    soup = _soup(reader_client.get("/?page=2"))
    assert [r.select_one(".issue-number").get_text() for r in soup.select("li.issue-row")] == ["#2", "#1"]
    assert _soup(reader_client.get("/?page=999")).select("li.issue-row")  # out of range: the last page
