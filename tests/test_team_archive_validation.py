"""import_team refuses an archive with a bad username, role or visibility — naming the row — and
writes nothing at all (no team, no user, no membership, no annotation)."""

from __future__ import annotations

import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from articles.models import Comment, Highlight, Membership, Note, Tag, Team, Thread
from tests.export_world import annotate

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive(tmp_path, teams, users, small_issue):
    """Team A's archive (highlights, notes, tags, a thread) as parsed JSON, plus where to write it."""
    annotate(teams, users, small_issue)
    out = io.StringIO()
    call_command("export_team", "team-a", stdout=out)
    data = json.loads(out.getvalue())
    assert data["users"] and data["highlights"] and data["notes"]
    return tmp_path / "team.json", data


def _state():
    User = get_user_model()
    return (User.objects.count(), Team.objects.count(), Membership.objects.count(), Highlight.objects.count(),
            Note.objects.count(), Tag.objects.count(), Thread.objects.count(), Comment.objects.count())


def _import_fails(path, data, *args) -> str:
    path.write_text(json.dumps(data), encoding="utf-8")
    before = _state()
    with pytest.raises(CommandError) as caught:
        call_command("import_team", str(path), *args, stdout=io.StringIO())
    assert _state() == before  # nothing written
    return str(caught.value)


def _new_user(data, username, role="member"):
    data["users"].append({"username": username, "first_name": "", "last_name": "", "email": "", "role": role})
    return len(data["users"]) - 1


@pytest.mark.parametrize("username", ["bad/name", "has space", "", "x" * 151, "semi;colon"])
def test_invalid_username_is_refused_with_its_row(archive, username):
    path, data = archive
    row = _new_user(data, username)
    message = _import_fails(path, data, "--team", "fresh")
    assert message.splitlines()[0] == "Nothing imported: 1 invalid row(s)."
    assert message.splitlines()[1].startswith(f"users[{row}] {username!r}: ")
    assert not Team.objects.filter(slug="fresh").exists()


def test_invalid_role_is_refused(archive):
    path, data = archive
    data["users"][0]["role"] = "admin"
    message = _import_fails(path, data, "--team", "fresh")
    assert message.splitlines()[1] == f"users[0] {data['users'][0]['username']!r}: role 'admin' is not one of member, owner."


@pytest.mark.parametrize("kind", ["highlights", "notes"])
def test_invalid_visibility_is_refused(archive, kind):
    path, data = archive
    data[kind][-1]["visibility"] = "public"
    message = _import_fails(path, data)
    assert message.splitlines()[1] == f"{kind}[{len(data[kind]) - 1}]: visibility 'public' is not one of private, team."


def test_every_bad_row_is_listed_and_nothing_written_even_into_an_existing_team(archive):
    """Mixed with valid new users and annotations: not one of them is created."""
    path, data = archive
    _new_user(data, "newcomer")  # valid, would be created
    _new_user(data, "a/b", role="boss")
    data["highlights"][0]["visibility"] = "everyone"
    data["threads"][0]["comments"][0]["author"] = "ghost"
    Highlight.objects.all().delete()  # the import would recreate them all
    message = _import_fails(path, data)
    lines = message.splitlines()
    assert lines[0] == "Nothing imported: 4 invalid row(s)."
    assert [line.split(":")[0] for line in lines[1:]] == [
        f"users[{len(data['users']) - 1}] 'a/b'", f"users[{len(data['users']) - 1}] 'a/b'",
        "highlights[0]", "threads[0].comments[0]",
    ]
    assert not get_user_model().objects.filter(username="newcomer").exists()


def test_valid_archive_still_imports(archive):
    path, data = archive
    _new_user(data, "new.person+1@x", role="owner")
    path.write_text(json.dumps(data), encoding="utf-8")
    call_command("import_team", str(path), "--team", "fresh", stdout=io.StringIO())
    team = Team.objects.get(slug="fresh")
    assert Membership.objects.get(team=team, user__username="new.person+1@x").role == "owner"
    assert Highlight.objects.filter(team=team).count() == len(data["highlights"])
