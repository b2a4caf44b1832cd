"""Suggested claims on the issue page: shown, accepted, dismissed; who may; queries constant."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from articles.claims import find_claims
from articles.models import ClaimDismissal, Highlight, Paragraph, Section
from articles.services import highlights
from tests.factories import issue_create

pytestmark = pytest.mark.django_db
HX = {"HX-Request": "true"}
ACCEPT, DISMISS = "/claims/accept/", "/claims/dismiss/"


def _soup(response):
    return BeautifulSoup(response.content, "html.parser")


@pytest.fixture
def claim(small_issue, teams):
    """The suggested claim "…97.5% accuracy…" of the small issue, as POST data (+ its paragraph)."""
    para = Paragraph.objects.get(section__issue=small_issue, text__startswith="Researchers trained")
    (candidate,) = find_claims(para.text)
    return {"para": para, "data": {"paragraph": para.pk, "start": candidate.start, "end": candidate.end},
            "issue": small_issue, "text": para.text[candidate.start : candidate.end]}


def _suggestions(client, issue):
    """Each suggested sentence's text (a link or lead-in splits one suggestion into several spans)."""
    soup = _soup(client.get(issue.get_absolute_url()))
    found: dict[tuple, str] = {}
    for span in soup.select("span.claim-suggestion"):
        key = (span.find_parent("p")["id"], span["data-claim-start"])
        found[key] = found.get(key, "") + span.get_text()
    return list(found.values())


def test_team_members_see_suggestions_readers_without_team_do_not(login, users, claim):
    seen = _suggestions(login(users["alice"]), claim["issue"])
    assert claim["text"] in seen
    assert "Why this matters: Cheap robots that learn quickly will show up in many kitchens by 2030, I expect." in seen
    assert "KettleBench has 500 questions about tea and the best model scores 81.2 on it." in seen
    assert not any(s.startswith(("Welcome", "Read more", "Thanks")) for s in seen)
    assert _suggestions(login(users["dave"]), claim["issue"]) == []


def test_accept_creates_one_claim_and_rerenders_paragraph_and_panel(login, users, claim):
    alice = login(users["alice"])
    response = alice.post(ACCEPT, claim["data"], headers=HX)
    assert response.status_code == 200
    assert response["HX-Retarget"] == f"#{claim['para'].anchor}"
    soup = _soup(response)
    para = soup.select_one(f"p#{claim['para'].anchor}")
    mark = para.select_one("mark.hl.hl-claim")
    assert mark.get_text() == claim["text"]
    assert para.select("span.claim-suggestion") == []
    panel = soup.select_one("#claims-panel")
    assert panel["hx-swap-oob"] == "outerHTML"
    assert panel.select_one("h2 .count").get_text() == "(1)"
    (h,) = Highlight.objects.all()
    assert (h.is_claim, h.author, h.visibility, h.exact) == (True, users["alice"], "team", claim["text"])


def test_accept_is_double_click_and_teammate_safe(login, users, claim):
    alice, bob = login(users["alice"]), login(users["bob"])
    for client in (alice, alice, bob):
        assert client.post(ACCEPT, claim["data"], headers=HX).status_code == 200
    assert Highlight.objects.filter(is_claim=True).count() == 1
    assert claim["text"] not in _suggestions(bob, claim["issue"])


def test_accept_turns_the_readers_own_plain_highlight_of_the_sentence_into_a_claim(login, users, teams, claim):
    d = claim["data"]
    highlights.highlight_create(user=users["alice"], team=teams[0], paragraph=claim["para"], start=d["start"], end=d["end"])
    assert login(users["alice"]).post(ACCEPT, d, headers=HX).status_code == 200
    (h,) = Highlight.objects.all()
    assert h.is_claim


def test_private_claim_hides_suggestion_only_for_its_author(login, users, teams, claim):
    d = claim["data"]
    highlights.highlight_create(user=users["alice"], team=teams[0], paragraph=claim["para"], start=d["start"],
                                end=d["start"] + 5, is_claim=True, visibility="private")
    assert claim["text"] not in _suggestions(login(users["alice"]), claim["issue"])
    assert claim["text"] in _suggestions(login(users["bob"]), claim["issue"])


def test_dismiss_hides_for_teammates_not_for_other_teams(login, users, claim):
    alice = login(users["alice"])
    response = alice.post(DISMISS, claim["data"], headers=HX)
    assert response.status_code == 200
    assert _soup(response).select_one(f"p#{claim['para'].anchor}").select("span.claim-suggestion") == []
    assert alice.post(DISMISS, claim["data"], headers=HX).status_code == 200  # idempotent
    (dismissal,) = ClaimDismissal.objects.all()
    assert (dismissal.dismissed_by, dismissal.team.name) == (users["alice"], "Team A")
    assert claim["text"] not in _suggestions(login(users["bob"]), claim["issue"])
    assert claim["text"] in _suggestions(login(users["carol"]), claim["issue"])
    assert Highlight.objects.count() == 0


def test_without_js_the_forms_redirect_back(login, users, claim):
    response = login(users["alice"]).post(ACCEPT, claim["data"])
    assert response.status_code == 302
    assert response["Location"] == f"{claim['issue'].get_absolute_url()}#{claim['para'].anchor}"


@pytest.mark.parametrize("url", [ACCEPT, DISMISS])
@pytest.mark.parametrize(
    ("who", "status"), [("alice", 200), ("carol", 200), ("dave", 404), ("anonymous", 302)],
)
def test_who_may_accept_or_dismiss(login, users, claim, url, who, status):
    client = Client() if who == "anonymous" else login(users[who])
    response = client.post(url, claim["data"], headers=HX)
    assert response.status_code == status
    if who == "anonymous":
        assert "/accounts/login/" in response["Location"]
    if status != 200:
        assert Highlight.objects.count() == ClaimDismissal.objects.count() == 0


@pytest.mark.parametrize("url", [ACCEPT, DISMISS])
def test_get_is_refused(login, users, claim, url):
    assert login(users["alice"]).get(url, headers=HX).status_code == 405


@pytest.mark.parametrize("url", [ACCEPT, DISMISS])
def test_csrf_is_enforced(login, users, claim, url):
    client = login(users["alice"], csrf=True)
    assert client.post(url, claim["data"], headers=HX).status_code == 403
    token = _soup(client.get(claim["issue"].get_absolute_url())).body["hx-headers"].split('"X-CSRFToken": "')[1].split('"')[0]
    assert client.post(url, claim["data"], headers={**HX, "X-CSRFToken": token}).status_code == 200


@pytest.mark.parametrize("url", [ACCEPT, DISMISS])
def test_unknown_paragraph_is_404_and_non_suggestions_are_refused(login, users, claim, url):
    alice = login(users["alice"])
    assert alice.post(url, {**claim["data"], "paragraph": 999_999}, headers=HX).status_code == 404
    assert alice.post(url, {**claim["data"], "end": claim["data"]["end"] - 1}, headers=HX).status_code == 422
    assert alice.post(url, {**claim["data"], "start": "x"}, headers=HX).status_code == 422
    source = Paragraph.objects.get(section__issue=claim["issue"], text__startswith="Read more")
    assert alice.post(url, {"paragraph": source.pk, "start": 0, "end": len(source.text)}, headers=HX).status_code == 422
    assert Highlight.objects.count() == ClaimDismissal.objects.count() == 0


def test_no_suggestions_in_tech_tales(login, users, teams):
    issue = issue_create(sections=1, paragraphs=1, number=9)
    Section.objects.filter(issue=issue).update(kind="tech_tale")
    Paragraph.objects.filter(section__issue=issue).update(text="The ghost will open a door by 2030.", marks=[])
    assert _suggestions(login(users["alice"]), issue) == []


def _claim_issue(sections, paragraphs, number):
    """An issue whose every paragraph carries two suggested claims."""
    issue = issue_create(sections=sections, paragraphs=paragraphs, number=number)
    Paragraph.objects.filter(section__issue=issue).update(text="Lead 0: it is 100X faster. It costs $80bn, they write.")
    return issue


def _count(client, url, django_assert_max_num_queries):
    with django_assert_max_num_queries(30) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_issue_page_queries_constant_with_suggestions_and_dismissals(login, users, teams, django_assert_max_num_queries):
    alice = login(users["alice"])
    small, large = _claim_issue(2, 2, 1), _claim_issue(20, 10, 2)
    n_small = _count(alice, small.get_absolute_url(), django_assert_max_num_queries)
    n_large = _count(alice, large.get_absolute_url(), django_assert_max_num_queries)
    for para in Paragraph.objects.filter(section__issue=large)[:100]:
        alice.post(DISMISS, {"paragraph": para.pk, "start": 0, "end": 26}, headers=HX)
    assert ClaimDismissal.objects.count() == 100
    n_dismissed = _count(alice, large.get_absolute_url(), django_assert_max_num_queries)
    assert n_small == n_large == n_dismissed, (n_small, n_large, n_dismissed)
    assert len(_suggestions(alice, large)) == 200 * 2 - 100
    print(f"\nissue page queries for a team member with suggestions: {n_large}")
