"""Tag names are resolved as the actor sees the team's tags: a tag used only on a teammate's private
highlights never shows through a slug, a rename message or name reuse. Each oracle is checked by
doing the same thing in two teams, one where a teammate's private highlight uses the name and one
where nobody does, and comparing everything the actor gets back."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.contrib.messages import get_messages

from articles.models import Highlight, Paragraph, Tag
from articles.services import highlights, tags
from tests.factories import team_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_teams(small_issue):
    """("hidden", "control") → (team, owner, member, paragraph); in "hidden" the member has a
    private highlight tagged "Secret Project" (slug secret-project)."""
    from django.contrib.auth import get_user_model

    p = Paragraph.objects.get(section__issue=small_issue, text__startswith="Researchers trained")
    hidden = team_create("Hidden", olive="owner", mia="member")
    control = team_create("Control", oscar="owner", max="member")
    User = get_user_model()
    world = {"hidden": (hidden, User.objects.get(username="olive"), User.objects.get(username="mia"), p),
             "control": (control, User.objects.get(username="oscar"), User.objects.get(username="max"), p)}
    _, _, mia, _ = world["hidden"]
    highlights.highlight_create(user=mia, team=hidden, paragraph=p, start=0, end=11, visibility="private",
                                tags=["Secret Project"])
    return world


def _tag_row(tag: Tag) -> tuple:
    return (tag.name, tag.slug, tag.colour)


def _seen(client) -> list[tuple[str, str]]:
    soup = BeautifulSoup(client.get("/tags/").content, "html.parser")
    return sorted((a.get_text(strip=True), a["href"]) for a in soup.select("main a[href^='/tags/']"))


def _both(two_teams, act):
    return {name: act(*two_teams[name]) for name in ("hidden", "control")}


def test_reusing_a_hidden_name_looks_like_a_free_name(two_teams):
    """The owner tags with "secret PROJECT": same name as typed, same slug, in both teams; mia's
    private highlight keeps its tag (now spelt as the owner typed it)."""
    def act(team, owner, member, p):
        h = highlights.highlight_create(user=owner, team=team, paragraph=p, start=12, end=19, tags=["secret PROJECT"])
        return [_tag_row(t) for t in h.tags.all()]

    got = _both(two_teams, act)
    assert got["hidden"] == got["control"] == [("secret PROJECT", "secret-project", "")]
    team, _, mia, _ = two_teams["hidden"]
    private = Highlight.objects.get(team=team, author=mia)
    assert [t.name for t in private.tags.all()] == ["secret PROJECT"]
    assert Tag.objects.filter(team=team).count() == 1


def test_slug_collision_looks_like_a_free_slug(two_teams):
    """"Secret-Project" slugifies like the hidden "Secret Project": the owner still gets the plain
    slug, and the hidden tag moves out of the way (its highlight keeps it)."""
    def act(team, owner, member, p):
        (tag,) = tags.tags_get_or_create(user=owner, team=team, names=["Secret-Project"])
        return _tag_row(tag)

    got = _both(two_teams, act)
    assert got["hidden"] == got["control"] == ("Secret-Project", "secret-project", "")
    team, _, mia, _ = two_teams["hidden"]
    moved = Tag.objects.get(team=team, name="Secret Project")
    assert moved.slug == "secret-project-2"
    assert list(Highlight.objects.get(author=mia).tags.all()) == [moved]


def test_next_slug_skips_only_what_the_actor_sees(two_teams):
    """With a visible "secret-project" the actor's next one is "-2" in both teams, even though the
    hidden tag held "-2" by then."""
    def act(team, owner, member, p):
        tags.tags_get_or_create(user=owner, team=team, names=["Secret-Project"])
        (tag,) = tags.tags_get_or_create(user=owner, team=team, names=["Secret Project!"])
        return _tag_row(tag)

    got = _both(two_teams, act)
    assert got["hidden"] == got["control"] == ("Secret Project!", "secret-project-2", "")
    assert Tag.objects.get(team=two_teams["hidden"][0], name="Secret Project").slug == "secret-project-3"


def test_rename_onto_a_hidden_name_answers_as_a_free_name(login, two_teams):
    """The owner renames a team tag to "Secret Project": same redirect and message as where the
    name is free; the hidden tag is absorbed (mia's highlight now carries the renamed tag)."""
    def act(team, owner, member, p):
        highlights.highlight_create(user=owner, team=team, paragraph=p, start=12, end=19, tags=["Draft"])
        client = login(owner)
        response = client.post("/tags/draft/rename/", {"name": "Secret Project"})
        flashes = [str(m) for m in get_messages(response.wsgi_request)]
        return response.status_code, response["Location"], flashes, _seen(client)

    got = _both(two_teams, act)
    assert got["hidden"] == got["control"]
    assert got["hidden"][:3] == (302, "/tags/secret-project/", ["Renamed to “Secret Project”."])
    team, owner, mia, _ = two_teams["hidden"]
    (tag,) = Tag.objects.filter(team=team)
    assert (tag.name, tag.slug) == ("Secret Project", "secret-project")
    assert list(Highlight.objects.get(author=mia).tags.all()) == [tag]


def test_rename_onto_a_visible_name_is_still_refused(login, two_teams):
    """A clash the owner can see is refused with the usual message (it reveals nothing new)."""
    team, owner, member, p = two_teams["control"]
    highlights.highlight_create(user=owner, team=team, paragraph=p, start=12, end=19, tags=["Draft", "Final"])
    response = login(owner).post("/tags/draft/rename/", {"name": "final"}, follow=True)
    assert [str(m) for m in response.context["messages"]] == ["A tag named “final” exists already; merge into it instead."]
    assert sorted(Tag.objects.filter(team=team).values_list("name", flat=True)) == ["Draft", "Final"]


def test_section_tag_with_a_hidden_name(login, two_teams):
    """Tagging a section through the view with the hidden name: the member sees exactly the tag
    list a free name gives."""
    def act(team, owner, member, p):
        client = login(owner)
        client.post(f"/sections/{p.section_id}/tags/", {"names": "secret project"})
        return _seen(client)

    got = _both(two_teams, act)
    assert got["hidden"] == got["control"]
    assert [name for name, _ in got["hidden"]] == ["secret project"]


def test_renaming_owner_needs_membership(two_teams):
    team, owner, mia, p = two_teams["hidden"]
    _, stranger, _, _ = two_teams["control"]
    (tag,) = tags.tags_get_or_create(user=owner, team=team, names=["Draft"])
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        tags.tag_rename(user=stranger, tag=tag, name="Other")
    with pytest.raises(PermissionDenied):
        tags.tag_rename(user=mia, tag=tag, name="Other")


def _admin_form_data(client, url) -> dict:
    form = BeautifulSoup(client.get(url).content, "html.parser").find("form", id="tag_form")
    data = {i["name"]: i.get("value", "") for i in form.find_all("input") if i.get("name") and i.get("type") != "submit"}
    return data | {s["name"]: (s.find("option", selected=True) or {}).get("value", "") for s in form.find_all("select")}


def test_admin_rename_resolves_names_like_the_app(login, two_teams, django_user_model):
    """A superuser outside the team renames a team tag in the admin: onto the hidden private-only
    name it succeeds (absorbing it); onto a name the admin lists it is refused on the form."""
    team, owner, mia, p = two_teams["hidden"]
    highlights.highlight_create(user=owner, team=team, paragraph=p, start=12, end=19, tags=["Draft", "Final"])
    root = django_user_model.objects.create_superuser("root", password="root-pass-123")
    client = login(root)
    draft = Tag.objects.get(team=team, name="Draft")
    url = f"/admin/articles/tag/{draft.pk}/change/"
    refused = client.post(url, _admin_form_data(client, url) | {"name": "final"})
    assert refused.status_code == 200
    errors = BeautifulSoup(refused.content, "html.parser").select(".errorlist li")
    assert [e.get_text() for e in errors] == ["A tag named “final” exists already in this team."]
    accepted = client.post(url, _admin_form_data(client, url) | {"name": "secret project"})
    assert accepted.status_code == 302
    draft.refresh_from_db()
    assert (draft.name, draft.slug) == ("secret project", "secret-project")
    assert sorted(Tag.objects.filter(team=team).values_list("name", flat=True)) == ["Final", "secret project"]
    assert list(Highlight.objects.get(author=mia).tags.all()) == [draft]
