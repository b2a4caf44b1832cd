"""The search page: plain GET, htmx fragments, highlighted snippets, links, query counts."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from articles.models import Paragraph
from articles.search.indexing import index_rebuild
from articles.services import notes
from tests.factories import issue_create
from tests.html_checks import assert_no_active_content

pytestmark = pytest.mark.django_db


def _soup(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def test_plain_get_renders_page_with_grouped_linked_results(reader_client, small_issue):
    soup = _soup(reader_client.get("/search/", {"q": "kettlebench"}))
    assert soup.select_one("header.site-header input#site-search")["value"] == "kettlebench"
    assert soup.select_one("form#search-form")["action"] == "/search/"
    group = soup.select_one("#search-results section.search-issue")
    assert group.select_one("h2 a")["href"] == small_issue.get_absolute_url()
    assert group.select_one("h3.search-section a").get_text() == "Kettles get benchmarks"
    paragraph = Paragraph.objects.get(text__startswith="KettleBench")
    link = group.select_one("li.search-result a.search-result-link")
    assert link["href"] == f"{small_issue.get_absolute_url()}#p-{paragraph.pk}"
    assert [m.get_text() for m in link.select("mark.search-hit")] == ["KettleBench"]


def test_header_box_is_live_and_bookmarkable(reader_client, small_issue):
    box = _soup(reader_client.get("/")).select_one("header form.site-search input[name=q]")
    assert box.find_parent("form")["action"] == "/search/" and box.find_parent("form").get("method") == "get"
    assert box["hx-trigger"] == "input changed delay:300ms, search"
    assert box["hx-push-url"] == "true" and box["hx-get"] == "/search/"


def test_htmx_request_returns_results_fragment(reader_client, small_issue):
    response = reader_client.get("/search/", {"q": "kettle"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="search-results")
    soup = _soup(response)
    assert soup.find("header") is None and soup.find("form") is None
    assert soup.select_one("div#search-results") is not None
    assert soup.select("mark.search-hit")
    assert "HX-Request" in response["Vary"]


def test_htmx_from_header_box_returns_page_body(reader_client, small_issue):
    soup = _soup(reader_client.get("/search/", {"q": "kettle"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="main"))
    assert soup.find("header") is None
    assert soup.select_one("form#search-form") and soup.select_one("div#search-results mark.search-hit")


def test_filters_round_trip_in_url(reader_client, small_issue):
    soup = _soup(reader_client.get("/search/", {"q": "buttons", "newsletter": "import-ai", "date_from": "nonsense"}))
    assert soup.select_one("select[name=newsletter] option[selected]")["value"] == "import-ai"
    assert soup.select("#search-results li.search-result")  # a bad date is ignored, not an error
    soup = _soup(reader_client.get("/search/", {"q": "buttons", "newsletter": "nope"}))
    assert soup.select_one("#search-results .empty").get_text() == "Nothing found."


@pytest.mark.parametrize("q", ['"', "AND(", "NEAR(", "*", "'&:*", "\x00"])
def test_hostile_queries_answer_200(reader_client, small_issue, q):
    assert reader_client.get("/search/", {"q": q}).status_code == 200


def test_user_text_in_results_is_escaped(teams, users, login, small_issue):
    team_a, _ = teams
    paragraph = Paragraph.objects.get(text__startswith="KettleBench")
    notes.note_create(user=users["alice"], team=team_a, paragraph=paragraph,
                      body='zorilla <script>alert(1)</script><img src=x onerror=alert(2)> [x](javascript:alert(3))')
    html = login(users["bob"]).get("/search/", {"q": "zorilla"}).content.decode()
    assert_no_active_content(html, within="#search-results")
    soup = BeautifulSoup(html, "html.parser")
    hit = soup.select_one("#search-results li.search-kind-note")
    assert "by alice" in hit.get_text() and hit.select_one("mark.search-hit").get_text() == "zorilla"
    assert hit.find("script") is None and hit.find("img") is None


def test_other_users_private_note_not_on_page(teams, users, login, small_issue):
    team_a, _ = teams
    paragraph = Paragraph.objects.get(text__startswith="KettleBench")
    notes.note_create(user=users["alice"], team=team_a, paragraph=paragraph, body="quetzal", visibility="private")
    assert _soup(login(users["alice"]).get("/search/", {"q": "quetzal"})).select("li.search-kind-note")
    assert not _soup(login(users["bob"]).get("/search/", {"q": "quetzal"})).select("li.search-kind-note")


def _count(client, django_assert_max_num_queries) -> tuple[int, int]:
    with django_assert_max_num_queries(15) as captured:
        soup = _soup(client.get("/search/", {"q": "paragraph"}))
    return len(captured), len(soup.select("li.search-result"))


def test_query_count_does_not_grow_with_results(teams, users, login, django_assert_max_num_queries):
    alice = login(users["alice"])
    issue_create(sections=1, paragraphs=2)
    index_rebuild()
    few_queries, few = _count(alice, django_assert_max_num_queries)
    for _ in range(4):
        issue_create(sections=3, paragraphs=4)
    index_rebuild()
    many_queries, many = _count(alice, django_assert_max_num_queries)
    assert (few, many) == (2, 50)  # capped at the best 50
    assert few_queries == many_queries, (few_queries, many_queries)
