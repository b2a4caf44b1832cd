"""What each htmx write answers besides its own fragment: the other places on the issue page that
show the changed thing, as out-of-band swaps (hx-swap-oob) — parsed, per write."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from articles.models import Highlight, Paragraph
from articles.services import highlights, notes

pytestmark = pytest.mark.django_db


@pytest.fixture
def para(small_issue):
    """The robot paragraph of the small issue."""
    return Paragraph.objects.get(section__issue=small_issue, text__startswith="Researchers trained")


def _hx(small_issue, page=None) -> dict:
    return {"HTTP_HX_REQUEST": "true", "HTTP_HX_CURRENT_URL": "http://testserver" + (page or small_issue.get_absolute_url())}


def _oob(response) -> dict[str, BeautifulSoup]:
    assert response.status_code == 200, response.content[:300]
    soup = BeautifulSoup(response.content, "html.parser")
    return {el["id"]: el for el in soup.find_all(attrs={"hx-swap-oob": True})}


def _claims(box) -> tuple[str, list[str]]:
    return box.select_one("h2 .count").get_text(), [li.select_one(".claim-status").get_text() for li in box.select("li.claim")]


def test_highlight_create_as_claim_sends_the_claims_box(login, teams, users, small_issue, para):
    client = login(users["alice"])
    data = {"paragraph": para.pk, "start": 0, "end": 11, "is_claim": "on"}
    response = client.post(reverse("articles:highlight-create"), data, **_hx(small_issue))
    oob = _oob(response)
    assert set(oob) == {"claims-panel"}
    assert _claims(oob["claims-panel"]) == ("(1)", ["Unreviewed"])
    main = BeautifulSoup(response.content, "html.parser").select_one(f"p#p-{para.pk}")
    assert main is not None and not main.has_attr("hx-swap-oob") and main.select_one("mark.hl-claim")


def test_no_claims_box_for_the_section_page(login, teams, users, small_issue, para):
    client = login(users["alice"])
    data = {"paragraph": para.pk, "start": 0, "end": 11, "is_claim": "on"}
    response = client.post(reverse("articles:highlight-create"), data, **_hx(small_issue, para.section.get_absolute_url()))
    assert _oob(response) == {}


def test_claim_review_edit_delete_send_paragraph_and_claims_box(login, teams, users, small_issue, para):
    claim = highlights.highlight_create(user=users["alice"], team=teams[0], paragraph=para, start=0, end=11, is_claim=True)
    client = login(users["alice"])
    oob = _oob(client.post(reverse("articles:claim-review", args=[claim.pk]), {"status": "supported"}, **_hx(small_issue)))
    assert set(oob) == {f"p-{para.pk}", "claims-panel"}
    assert _claims(oob["claims-panel"]) == ("(1)", ["Supported"])
    assert oob[f"p-{para.pk}"].select_one("mark.hl-supported") is not None

    claim.refresh_from_db()
    edit = {"version": claim.version, "colour": "green", "tags": "", "note": "", "visibility": "team"}  # not a claim
    oob = _oob(client.post(reverse("articles:highlight-edit", args=[claim.pk]), edit, **_hx(small_issue)))
    assert _claims(oob["claims-panel"]) == ("(0)", [])
    assert oob[f"p-{para.pk}"].select_one("mark.hl-green:not(.hl-claim)") is not None

    oob = _oob(client.post(reverse("articles:highlight-delete", args=[claim.pk]), **_hx(small_issue)))
    assert set(oob) == {f"p-{para.pk}", "claims-panel"}
    assert oob[f"p-{para.pk}"].select_one("mark") is None
    assert not Highlight.objects.exists()


def test_claims_box_shows_only_what_the_reader_may_see(login, teams, users, small_issue, para):
    highlights.highlight_create(
        user=users["bob"], team=teams[0], paragraph=para, start=20, end=30, is_claim=True, visibility="private"
    )
    client = login(users["alice"])
    data = {"paragraph": para.pk, "start": 0, "end": 11, "is_claim": "on"}
    oob = _oob(client.post(reverse("articles:highlight-create"), data, **_hx(small_issue)))
    assert _claims(oob["claims-panel"]) == ("(1)", ["Unreviewed"])


def test_note_writes_send_the_marker_with_its_count(login, teams, users, small_issue, para):
    client = login(users["alice"])
    url = reverse("articles:notes-panel", args=[para.pk])
    oob = _oob(client.post(url, {"body": "one", "visibility": "team"}, **_hx(small_issue)))
    marker = oob[f"p-{para.pk}"].select_one(".note-marker")
    assert "has-notes" in marker["class"] and marker.select_one(".note-count").get_text() == "1"
    note = notes.note_create(user=users["alice"], team=teams[0], paragraph=para, body="two")
    oob = _oob(client.post(reverse("articles:note-delete", args=[note.pk]), **_hx(small_issue)))
    assert oob[f"p-{para.pk}"].select_one(".note-count").get_text() == "1"
