"""Team archive: export_team → wipe → import_team restores everything, field by field."""

from __future__ import annotations

import datetime
import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from articles.backup.archive_export import team_archive_export
from articles.models import (
    Comment,
    Highlight,
    Membership,
    Mention,
    Note,
    Paragraph,
    Section,
    SectionTag,
    Tag,
    Team,
    Thread,
)
from articles.services import notes, threads
from tests.conftest import SMALL_ISSUE
from tests.export_world import annotate, highlight, import_second_issue, para
from tests.factories import import_one

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(teams, users, small_issue):
    """Two imported issues annotated by team A (and a little by team B)."""
    w = annotate(teams, users, small_issue)
    second = import_second_issue()
    team_a = teams[0]
    alice, bob = users["alice"], users["bob"]
    w["second_claim"] = highlight(alice, team_a, para(second, "Researchers trained"), "98.1% accuracy",
                                  visibility="private", is_claim=True, tags=["benchmarks", "Private one"], colour="green")
    notes.note_create(user=bob, team=team_a, paragraph=para(second, "KettleBench"), body="Tea!\n\n- a list")
    story = Section.objects.get(issue=second, headline__startswith="Kettles")
    thread = threads.thread_get_or_create(user=bob, team=team_a, section=story)
    gone = threads.comment_create(user=bob, thread=thread, body="to be deleted")
    threads.comment_create(user=alice, thread=thread, body="reply to a deleted comment @bob", parent=gone)
    threads.comment_delete(user=bob, comment=gone)  # leaves a placeholder
    # an orphaned highlight (as after a re-import that lost its text)
    orphan = highlight(bob, team_a, para(second, "KettleBench"), "best model", note="lost but kept")
    Highlight.objects.filter(pk=orphan.pk).update(paragraph=None, anchor_status="orphaned", exact="a sentence since deleted")
    w["second"] = second
    return w


def _sorted(rows) -> list:
    return sorted(rows, key=repr)


def snapshot(team_slug: str) -> dict:
    """Every annotation of the team as comparable values (no database ids)."""
    team = Team.objects.get(slug=team_slug)
    def name(u):
        return u.username if u else None

    def hl_key(h):
        return (h.issue.slug, h.author.username, h.exact, h.created_at)

    return {
        "team": (team.name, team.slug),
        "members": _sorted((m.user.username, m.role) for m in Membership.objects.filter(team=team)),
        "tags": _sorted((t.name, t.slug, t.colour, name(t.created_by), t.created_at) for t in Tag.objects.filter(team=team)),
        "highlights": _sorted(
            (*hl_key(h), h.visibility, h.paragraph.text if h.paragraph else None, h.paragraph_index, h.prefix,
             h.suffix, h.start, h.end, h.colour, h.is_claim, h.claim_status, h.due_date, h.note, h.note_html,
             tuple(sorted(t.name for t in h.tags.all())), h.anchor_status, h.updated_at)
            for h in Highlight.objects.filter(team=team)
        ),
        "notes": _sorted(
            (n.issue.slug, n.author.username, n.visibility, n.paragraph.text if n.paragraph else None,
             n.paragraph_text, n.paragraph_index, n.body, n.body_html, n.created_at, n.updated_at)
            for n in Note.objects.filter(team=team)
        ),
        "section_tags": _sorted(
            (st.section.issue.slug, st.section.anchor, st.tag.name, name(st.added_by), st.created_at)
            for st in SectionTag.objects.filter(tag__team=team)
        ),
        "threads": _sorted(
            (t.issue.slug, t.section.anchor if t.section else None, hl_key(t.highlight) if t.highlight else None,
             t.started_by.username, t.resolved, name(t.resolved_by), t.created_at, t.changed_at)
            for t in Thread.objects.filter(team=team)
        ),
        "comments": _sorted(
            (c.thread.issue.slug, c.thread.section_id is not None, c.author.username,
             c.parent.created_at if c.parent else None, c.body, c.body_html, c.deleted, c.created_at, c.updated_at,
             tuple(sorted(m.user.username for m in c.mentions.all())))
            for c in Comment.objects.filter(thread__team=team)
        ),
    }


def counts(snap: dict) -> dict:
    return {k: len(v) for k, v in snap.items() if isinstance(v, list)}


def _export(tmp_path, slug="team-a"):
    out, err = io.StringIO(), io.StringIO()
    call_command("export_team", slug, stdout=out, stderr=err)
    path = tmp_path / "team.json"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path, json.loads(out.getvalue())


def _import(path, *args):
    out = io.StringIO()
    call_command("import_team", str(path), *args, stdout=out)
    return out.getvalue()


def _team_b():
    return (Highlight.objects.filter(team__slug="team-b").count(), Note.objects.filter(team__slug="team-b").count())


def test_round_trip_restores_everything(tmp_path, world, users):
    before = snapshot("team-a")
    assert counts(before) == {"members": 2, "tags": 6, "highlights": 4, "notes": 3, "section_tags": 2,
                              "threads": 4, "comments": 6}
    assert Mention.objects.filter(comment__thread__team__slug="team-a").count() == 2
    path, data = _export(tmp_path)
    assert (data["format"], data["version"]) == ("digest-team-backup", 1)
    assert {h["visibility"] for h in data["highlights"]} == {"team", "private"}  # private ones included
    team_b = _team_b()

    Team.objects.get(slug="team-a").delete()  # cascades to every annotation of the team
    get_user_model().objects.filter(username="bob").delete()
    assert not Highlight.objects.filter(team__slug="team-a").exists()

    output = _import(path)
    assert "Team team-a: created; 2 membership(s) added." in output
    assert "Created 1 inactive user(s) without a usable password: bob" in output
    bob = get_user_model().objects.get(username="bob")
    assert not bob.is_active and not bob.has_usable_password()
    after = snapshot("team-a")
    for key in before:
        assert after[key] == before[key], key
    assert Mention.objects.filter(comment__thread__team__slug="team-a").count() == 2
    assert _team_b() == team_b

    again = _import(path)  # idempotent
    assert "highlights: 0 created, 4 already there" in again and "comments: 0 created, 6 already there" in again
    assert snapshot("team-a") == before


def test_restore_after_the_issue_was_reimported_with_edited_text(tmp_path, world, teams, users):
    before = snapshot("team-a")
    path, _ = _export(tmp_path)
    Highlight.objects.filter(team=teams[0]).delete()
    Note.objects.filter(team=teams[0]).delete()
    Thread.objects.filter(team=teams[0]).delete()
    SectionTag.objects.filter(tag__team=teams[0]).delete()
    edited = SMALL_ISSUE.replace("Researchers trained a robot arm", "In a new paper, researchers at a lab trained a robot arm")
    assert import_one(name="small.txt", raw=edited.encode()).status.value == "updated"

    output = _import(path)
    assert "Team team-a: existing; 0 membership(s) added." in output
    after = snapshot("team-a")
    assert counts(after) == counts(before)
    claim = Highlight.objects.get(team=teams[0], exact="97.5% accuracy")
    assert claim.paragraph.text.startswith("In a new paper, researchers")
    assert claim.paragraph.text[claim.start : claim.end] == "97.5% accuracy" and claim.anchor_status == "moved"
    assert (claim.claim_status, claim.due_date) == ("disputed", datetime.date(2030, 1, 1))
    assert sorted(t.name for t in claim.tags.all()) == ["Robot arms", "benchmarks"]
    assert claim.threads.get().comments.count() == 2
    note = Note.objects.get(team=teams[0], body__startswith="=SUM")
    assert note.paragraph is not None and note.paragraph_text == note.paragraph.text
    assert note.paragraph.text.startswith("In a new paper")
    unchanged = ("highlights", "notes")
    changed = {k: [row for row in after[k] if "In a new paper" not in str(row)] for k in unchanged}
    for key in ("tags", "section_tags", "threads", "comments", "members"):
        assert after[key] == before[key], key
    assert len(changed["highlights"]) == len(before["highlights"]) - 1
    assert len(changed["notes"]) == len(before["notes"]) - 1


def test_import_into_another_team_and_missing_issue(tmp_path, world, teams):
    path, data = _export(tmp_path)
    data["issues"].append({**data["issues"][0], "ref": "issue:999999", "number": 99, "source_sha256": "x",
                           "source_name": "nowhere.txt", "title": "Lost issue"})
    data["notes"].append({**data["notes"][0], "uid": "digest:x:note:1", "issue": "issue:999999"})
    path.write_text(json.dumps(data), encoding="utf-8")
    output = _import(path, "--team", "copy")
    assert "Team copy: created" in output and "notes: 3 created, 0 already there, 1 skipped" in output
    assert "Lost issue" in output
    copy = Team.objects.get(slug="copy")
    assert copy.name == "Team A (copy)"
    assert Highlight.objects.filter(team=copy).count() == Highlight.objects.filter(team=teams[0]).count()


def test_refuses_other_files(tmp_path, db):
    path = tmp_path / "x.json"
    path.write_text(json.dumps({"format": "something", "version": 1}))
    with pytest.raises(CommandError, match="digest-team-backup"):
        _import(path)
    with pytest.raises(CommandError):
        call_command("export_team", "nope", stdout=io.StringIO())


def test_team_archive_query_count_is_constant(world, teams, users, django_assert_max_num_queries):
    with django_assert_max_num_queries(12) as small:
        team_archive_export(team=teams[0])
    for p in Paragraph.objects.filter(section__issue=world["second"]):
        h = highlight(users["bob"], teams[0], p, p.text[:5], tags=["x"])
        thread = threads.thread_get_or_create(user=users["alice"], team=teams[0], highlight=h)
        threads.comment_create(user=users["alice"], thread=thread, body="hi @bob")
    with django_assert_max_num_queries(12) as large:
        team_archive_export(team=teams[0])
    assert len(small) == len(large)
