"""Team archive round trip with orphans: an issue deleted after annotating, a story dropped by a
re-import, a former member's team annotations — exported, the team wiped, imported (twice), and
compared field by field; the restore goes through the restore services (actor checked)."""

from __future__ import annotations

import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from articles.backup.archive_import import team_archive_import
from articles.models import Comment, Highlight, Membership, Mention, Note, SectionTag, Tag, Team, Thread
from articles.search.service import search
from articles.services import notes, tags, threads
from articles.services.orphans import issue_delete, user_delete
from tests.conftest import SMALL_ISSUE
from tests.export_world import highlight, import_second_issue, para
from tests.factories import import_one

pytestmark = pytest.mark.django_db


def _name(user) -> str | None:
    return user.username if user else None


def _sorted(rows) -> list:
    return sorted(rows, key=repr)


def snapshot(team_slug: str) -> dict:
    """Every annotation of the team without database ids, orphans and former members included
    (issue, paragraph, section or author may be None; the snapshot fields are compared too)."""
    team = Team.objects.get(slug=team_slug)

    def where(obj):
        return (obj.issue.slug if obj.issue_id else None, obj.issue_title, obj.section_headline)

    def hl_key(h):
        return (*where(h), _name(h.author), h.exact, h.created_at)

    return {
        "members": _sorted((m.user.username, m.role) for m in Membership.objects.filter(team=team)),
        "tags": _sorted((t.name, t.slug, t.colour, _name(t.created_by), t.created_at) for t in Tag.objects.filter(team=team)),
        "highlights": _sorted(
            (*hl_key(h), h.visibility, h.paragraph.text if h.paragraph else None, h.paragraph_index, h.prefix,
             h.suffix, h.start, h.end, h.colour, h.note, h.note_html, tuple(sorted(t.name for t in h.tags.all())),
             h.anchor_status, h.updated_at)
            for h in Highlight.objects.filter(team=team)
        ),
        "notes": _sorted(
            (*where(n), _name(n.author), n.visibility, n.paragraph.text if n.paragraph else None, n.paragraph_text,
             n.paragraph_index, n.body, n.body_html, n.created_at, n.updated_at)
            for n in Note.objects.filter(team=team)
        ),
        "section_tags": _sorted(
            (st.issue.slug if st.issue_id else None, st.section.anchor if st.section else None, st.issue_title,
             st.section_headline, st.tag.name, _name(st.added_by), st.created_at)
            for st in SectionTag.objects.filter(tag__team=team)
        ),
        "threads": _sorted(
            (*where(t), t.section.anchor if t.section else None, hl_key(t.highlight) if t.highlight else None,
             _name(t.started_by), t.resolved, t.created_at, t.changed_at)
            for t in Thread.objects.filter(team=team)
        ),
        "comments": _sorted(
            (*where(c.thread), _name(c.author), c.parent.created_at if c.parent else None, c.body, c.body_html,
             c.deleted, c.created_at, c.updated_at, tuple(sorted(m.user.username for m in c.mentions.all())))
            for c in Comment.objects.filter(thread__team=team)
        ),
    }


@pytest.fixture
def orphaned_world(teams, users, staff):
    """Team A on two issues. Issue 8 is deleted after annotating (every kind orphaned); on issue 7
    the Kettles story is dropped by a re-import (its tag and thread orphaned); bob's account is
    deleted (his team highlight, team note and comments stay, his private note goes)."""
    team_a = teams[0]
    alice, bob = users["alice"], users["bob"]
    small = import_one(name="small.txt", raw=SMALL_ISSUE.encode()).issue
    second = import_second_issue()
    # on the issue that will be deleted
    h = highlight(alice, team_a, para(second, "Researchers trained"), "98.1% accuracy", note="gone issue note",
                  tags=["claims"], colour="green")
    top = threads.comment_post(user=bob, team=team_a, highlight=h, body="bob on a deleted issue @alice")
    threads.comment_post(user=alice, team=team_a, highlight=h, body="alice replies", parent_id=top.pk)
    notes.note_create(user=alice, team=team_a, paragraph=para(second, "KettleBench"), body="okapi private",
                      visibility="private")
    notes.note_create(user=bob, team=team_a, paragraph=para(second, "KettleBench"), body="bob's team note on 8")
    robots = para(second, "Researchers trained").section
    tags.section_tags_add(user=alice, team=team_a, section=robots, names="robots")
    threads.comment_post(user=alice, team=team_a, section=robots, body="story thread on 8")
    # on the story that a re-import drops
    kettles = para(small, "KettleBench").section
    tags.section_tags_add(user=bob, team=team_a, section=kettles, names="tea")
    threads.comment_post(user=bob, team=team_a, section=kettles, body="bob on kettles")
    # bob's, on what stays
    highlight(bob, team_a, para(small, "Researchers trained"), "robot arm")
    notes.note_create(user=bob, team=team_a, paragraph=para(small, "Why this matters"), body="bob private",
                      visibility="private")

    issue_delete(user=staff, issue=second)
    dropped = SMALL_ISSUE.split("***")[0] + "Thanks for reading!\n"
    assert import_one(name="small.txt", raw=dropped.encode()).status.value == "updated"
    user_delete(user=staff, account=bob)
    return team_a


def _export(tmp_path):
    out = io.StringIO()
    call_command("export_team", "team-a", stdout=out, stderr=io.StringIO())
    path = tmp_path / "team.json"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path, json.loads(out.getvalue())


def _import(path) -> str:
    out = io.StringIO()
    call_command("import_team", str(path), stdout=out)
    return out.getvalue()


def test_round_trip_with_orphans_and_a_former_member(tmp_path, orphaned_world, users):
    before = snapshot("team-a")
    assert {k: len(v) for k, v in before.items()} == {
        "members": 1, "tags": 3, "highlights": 2, "notes": 2, "section_tags": 2, "threads": 3, "comments": 4,
    }
    orphan_note = next(n for n in before["notes"] if n[0] is None and n[3] == "alice")
    assert orphan_note[1:3] == ("Another small issue; and a tale", "Kettles get benchmarks")
    assert sorted(n[8] for n in before["notes"]) == ["bob's team note on 8", "okapi private"]  # bob's private went
    assert sorted((st[0] is None, st[1], st[3], st[4]) for st in before["section_tags"]) == [
        (False, None, "Kettles get benchmarks", "tea"), (True, None, "Robots learn to sort buttons", "robots"),
    ]
    assert sorted(_name_or_none(c[3]) for c in before["comments"]) == ["alice", "alice", "former", "former"]
    path, data = _export(tmp_path)
    assert sum(row["issue"] is None for kind in ("highlights", "notes", "section_tags", "threads")
               for row in data[kind]) == 6  # 1 highlight, 2 notes, 1 section tag, 2 threads
    assert {row["author"] for row in data["notes"]} == {"alice", None}

    Team.objects.get(slug="team-a").delete()
    assert not Highlight.objects.exists() and not Note.objects.exists() and not Thread.objects.exists()

    output = _import(path)
    assert "Team team-a: created; 1 membership(s) added." in output
    assert "notes: 2 created, 0 already there" in output and "comments: 4 created, 0 already there" in output
    after = snapshot("team-a")
    for key in before:
        assert after[key] == before[key], key
    assert Mention.objects.get().user == users["alice"]

    again = _import(path)
    assert "highlights: 0 created, 2 already there" in again and "threads: 0 created, 3 already there" in again
    assert "section tags: 0 created, 2 already there" in again and "comments: 0 created, 4 already there" in again
    assert snapshot("team-a") == before

    team = Team.objects.get(slug="team-a")  # restored orphans are searchable, privately as before
    found = search(user=users["alice"], team=team, query="okapi")
    assert [(g.title, g.orphaned) for g in found.groups] == [("Another small issue; and a tale (deleted)", True)]


def _name_or_none(name):
    return name or "former"


def test_a_restore_checks_its_actor(orphaned_world, users, staff):
    from articles.backup.archive_export import team_archive_export

    data = team_archive_export(team=orphaned_world)
    data["team"]["slug"] = "copy"
    with pytest.raises(PermissionDenied):
        team_archive_import(data=data, actor=users["alice"])  # a team owner, not staff
    assert not Team.objects.filter(slug="copy").exists()
    staff.is_superuser = True
    staff.save()
    report = team_archive_import(data=data, actor=get_user_model().objects.get(pk=staff.pk))
    assert report.team.slug == "copy" and report.created["note"] == 2
