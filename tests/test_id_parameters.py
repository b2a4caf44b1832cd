"""Every id a request carries is validated: a number beyond 64 bits, a negative or a non-number in
a path, a query string or a form answers 404 or is ignored, never HTTP 500."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.urls import get_resolver

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"  # > 2**64
BAD_IDS = [HUGE, "-1", "0", "1e3", "0x10", f"-{HUGE}", "%00"]


def _int_routes():
    """Every articles URL pattern with an ``<int:pk>`` converter, as a format string."""
    routes = []
    for pattern in get_resolver().url_patterns:
        for sub in getattr(pattern, "url_patterns", [pattern]):
            route = str(getattr(sub.pattern, "_route", ""))
            if "<int:pk>" in route:
                routes.append(route.replace("<int:pk>", "{}"))
    return routes


@pytest.fixture
def member(login, users, small_issue):
    """A logged-in member of team A, with one highlight of hers on the small issue."""
    from articles.services.highlights import highlight_create

    paragraph = small_issue.sections.first().paragraphs.first()
    highlight = highlight_create(user=users["alice"], team=users["alice"].memberships.first().team,
                                 paragraph=paragraph, start=0, end=5)
    return login(users["alice"]), highlight


def test_highlight_cards_with_ids_out_of_range_answer_404(member):
    client, highlight = member
    for bad in BAD_IDS:
        response = client.get("/highlights/cards/", {"ids": bad})
        assert response.status_code == 404, bad
    for ids in (f"{highlight.pk},{HUGE}", f"{HUGE},{highlight.pk}", f"-5,{highlight.pk}"):
        response = client.get("/highlights/cards/", {"ids": ids})
        assert response.status_code == 200, ids
        cards = BeautifulSoup(response.content, "html.parser").select("article.card")
        assert [c["id"] for c in cards] == [f"card-{highlight.pk}"], ids


def test_issue_page_panel_ids_out_of_range_are_ignored(member, small_issue):
    client, _ = member
    for bad in BAD_IDS:
        for param in ("notes", "thread"):
            response = client.get(small_issue.get_absolute_url(), {param: bad})
            assert response.status_code == 200, (param, bad)


def test_reading_progress_with_paragraph_out_of_range(member, small_issue):
    client, _ = member
    url = f"{small_issue.get_absolute_url()}progress/"
    for bad in BAD_IDS:
        response = client.post(url, {"paragraph": bad, "progress": "0.5"})
        assert response.status_code in (204, 200, 302, 400, 404), bad
    for progress in ("nan", "inf", "-inf", "1e999", HUGE):
        response = client.post(url, {"progress": progress})
        assert response.status_code != 500, progress


def test_every_int_route_answers_404_for_an_id_beyond_64_bits(member):
    client, _ = member
    routes = _int_routes()
    assert len(routes) >= 15
    for route in routes:
        url = "/" + route.format(HUGE)
        assert client.get(url).status_code in (403, 404, 405), url  # 403: staff-only, refused first
        assert client.post(url, {"body": "x", "tags": "a"}).status_code in (403, 404, 405), url
