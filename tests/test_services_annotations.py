"""Annotation services: membership checks, double submits, conflicts, mentions, re-anchoring."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from articles.models import AnchorReport, Comment, Highlight, Mention, Note, Paragraph, Tag
from articles.services import highlights, notes, tags, threads
from articles.services.errors import ConflictError
from articles.services.importing import ImportStatus
from tests.conftest import SMALL_ISSUE
from tests.factories import import_one

pytestmark = pytest.mark.django_db


def _para(issue, startswith):
    return Paragraph.objects.get(section__issue=issue, text__startswith=startswith)


def _highlight(user, team, paragraph, quote, **kwargs):
    start = paragraph.text.index(quote)
    return highlights.highlight_create(user=user, team=team, paragraph=paragraph, start=start, end=start + len(quote), **kwargs)


def test_highlight_stores_w3c_selectors(teams, users, small_issue):
    team_a, _ = teams
    p = _para(small_issue, "Researchers trained")
    h = _highlight(users["alice"], team_a, p, "97.5% accuracy", tags=["Robots", "robots", "benchmarks"])
    assert (h.exact, h.start, h.end) == ("97.5% accuracy", p.text.index("97.5%"), p.text.index("97.5%") + 14)
    assert h.prefix == p.text[: h.start][-32:] and len(h.prefix) == 32
    assert h.suffix == p.text[h.end :][:32]
    assert sorted(t.name for t in h.tags.all()) == ["Robots", "benchmarks"]
    assert Tag.objects.filter(team=team_a).count() == 2


def test_non_member_cannot_create(teams, users, small_issue):
    team_a, _ = teams
    p = _para(small_issue, "Researchers trained")
    for name in ("carol", "dave"):
        with pytest.raises(PermissionDenied):
            _highlight(users[name], team_a, p, "robot arm")
    assert not Highlight.objects.exists()


def test_double_submit_creates_one(teams, users, small_issue):
    team_a, _ = teams
    p = _para(small_issue, "Researchers trained")
    first = _highlight(users["alice"], team_a, p, "robot arm")
    again = _highlight(users["alice"], team_a, p, "robot arm")
    assert first.pk == again.pk and Highlight.objects.count() == 1
    n1 = notes.note_create(user=users["bob"], team=team_a, paragraph=p, body="Same *note*")
    n2 = notes.note_create(user=users["bob"], team=team_a, paragraph=p, body="Same *note*")
    assert n1.pk == n2.pk and Note.objects.count() == 1
    # the same text again but shared with the team is a second note, not a repeat of the private one
    private = notes.note_create(user=users["bob"], team=team_a, paragraph=p, body="Mine", visibility="private")
    shared = notes.note_create(user=users["bob"], team=team_a, paragraph=p, body="Mine", visibility="team")
    assert private.pk != shared.pk and (private.visibility, shared.visibility) == ("private", "team")


@pytest.mark.parametrize(("start", "end"), [(-1, 3), (5, 5), (10, 5), (0, 10_000)])
def test_bad_offsets_refused(teams, users, small_issue, start, end):
    with pytest.raises(ValidationError):
        highlights.highlight_create(user=users["alice"], team=teams[0], paragraph=_para(small_issue, "Researchers"), start=start, end=end)


def test_note_conflict_is_detected(teams, users, small_issue):
    team_a, _ = teams
    note = notes.note_create(user=users["alice"], team=team_a, paragraph=_para(small_issue, "Researchers"), body="v1")
    stale = Note.objects.get(pk=note.pk)
    notes.note_update(user=users["alice"], note=note, body="v2 from tab one", version=1)
    with pytest.raises(ConflictError):
        notes.note_update(user=users["alice"], note=stale, body="v2 from tab two", version=1)
    assert Note.objects.get(pk=note.pk).body == "v2 from tab one"
    assert Note.objects.get(pk=note.pk).version == 2


def test_only_author_edits_note(teams, users, small_issue):
    team_a, _ = teams
    note = notes.note_create(user=users["alice"], team=team_a, paragraph=_para(small_issue, "Researchers"), body="mine")
    with pytest.raises(PermissionDenied):
        notes.note_update(user=users["bob"], note=note, body="theirs", version=1)
    with pytest.raises(PermissionDenied):
        notes.note_delete(user=users["bob"], note=note)


def test_comments_replies_mentions_and_deletion_placeholder(teams, users, small_issue):
    team_a, _ = teams
    section = small_issue.sections.get(headline="Robots learn to sort buttons")
    thread = threads.thread_get_or_create(user=users["alice"], team=team_a, section=section)
    top = threads.comment_create(user=users["alice"], thread=thread, body="What do you think, @Bob and @carol?")
    assert list(Mention.objects.values_list("user__username", flat=True)) == ["bob"]  # carol is not in team A
    assert 'class="mention"' in top.body_html and "@carol" in top.body_html
    reply = threads.comment_create(user=users["bob"], thread=thread, body="Looks right.", parent=top)
    reply_to_reply = threads.comment_create(user=users["alice"], thread=thread, body="Thanks", parent=reply)
    assert reply_to_reply.parent_id == top.pk  # one level of nesting
    threads.comment_delete(user=users["alice"], comment=top)
    top.refresh_from_db()
    assert top.deleted and top.body == "" and Comment.objects.count() == 3
    threads.comment_delete(user=users["bob"], comment=reply)
    threads.comment_delete(user=users["alice"], comment=reply_to_reply)
    assert Comment.objects.count() == 0  # the placeholder went with its last reply


def test_thread_resolve_by_starter_or_owner(teams, users, small_issue):
    team_a, _ = teams
    section = small_issue.sections.get(headline="Kettles get benchmarks")
    thread = threads.thread_get_or_create(user=users["bob"], team=team_a, section=section)
    threads.thread_resolve(user=users["bob"], thread=thread)  # starter
    threads.thread_resolve(user=users["alice"], thread=thread, resolved=False)  # owner
    thread2 = threads.thread_get_or_create(user=users["alice"], team=team_a, section=small_issue.sections.get(kind="intro"))
    with pytest.raises(PermissionDenied):
        threads.thread_resolve(user=users["bob"], thread=thread2)  # neither starter nor owner


def test_tag_rename_and_merge(teams, users, small_issue):
    team_a, _ = teams
    p = _para(small_issue, "Researchers trained")
    h = _highlight(users["alice"], team_a, p, "robot arm", tags=["robotics", "Robots"])
    robotics, robots = Tag.objects.get(name="robotics"), Tag.objects.get(name="Robots")
    with pytest.raises(ValidationError):
        tags.tag_rename(user=users["alice"], tag=robotics, name="ROBOTS")
    tags.tag_merge(user=users["alice"], source=robotics, target=robots)
    assert list(h.tags.values_list("name", flat=True)) == ["Robots"]
    tags.tag_rename(user=users["alice"], tag=robots, name="<script>alert(1)</script>")
    robots.refresh_from_db()
    assert robots.name == "<script>alert(1)</script>" and robots.slug == "scriptalert1script"


def _reimport(text: str):
    result = import_one(name="small.txt", raw=text.encode())
    assert result.status is ImportStatus.UPDATED, result
    return result


def test_reanchor_unchanged_shifted_edited_deleted(teams, users, small_issue):
    team_a, _ = teams
    alice = users["alice"]
    unchanged = _highlight(alice, team_a, _para(small_issue, "KettleBench"), "500 questions about tea")
    shifted = _highlight(alice, team_a, _para(small_issue, "Researchers trained"), "sort buttons into bins")
    edited = _highlight(alice, team_a, _para(small_issue, "Researchers trained"), "it reached 97.5% accuracy after practice")
    deleted = _highlight(alice, team_a, _para(small_issue, "Why this matters"), "Cheap robots that learn quickly")
    note = notes.note_create(user=alice, team=team_a, paragraph=_para(small_issue, "Researchers trained"), body="follows its paragraph")
    text = SMALL_ISSUE.replace("Researchers trained a robot arm", "In a new paper, researchers at a lab trained a robot arm")
    text = text.replace("it reached 97.5% accuracy", "it reached 98.1% accuracy")
    text = text.replace(
        "Why this matters: Cheap robots that learn quickly will show up in many kitchens by 2030, I expect.",
        "Why this matters: Kitchen appliances keep getting smarter every single year.",
    )
    result = _reimport(text)
    assert "annotations:" in result.detail
    for h in (unchanged, shifted, edited, deleted):
        h.refresh_from_db()
    assert unchanged.anchor_status == "exact" and unchanged.paragraph.text.startswith("KettleBench")
    assert shifted.anchor_status == "moved" and shifted.paragraph.text.startswith("In a new paper")
    assert shifted.paragraph.text[shifted.start : shifted.end] == "sort buttons into bins"
    assert edited.anchor_status == "fuzzy" and edited.exact == "it reached 98.1% accuracy after practice"
    assert deleted.anchor_status == "orphaned" and deleted.paragraph is None
    assert deleted.exact == "Cheap robots that learn quickly"  # the quote is kept
    reports = dict(AnchorReport.objects.values_list("highlight_id", "status"))
    assert reports == {unchanged.pk: "exact", shifted.pk: "moved", edited.pk: "fuzzy", deleted.pk: "orphaned"}
    fuzzy = AnchorReport.objects.get(highlight=edited)
    assert (fuzzy.old_quote, fuzzy.new_quote) == ("it reached 97.5% accuracy after practice", edited.exact)
    note.refresh_from_db()
    assert note.paragraph is not None and note.paragraph.text.startswith("In a new paper")


def test_orphan_is_reattached_when_text_returns(teams, users, small_issue):
    team_a, _ = teams
    h = _highlight(users["alice"], team_a, _para(small_issue, "Why this matters"), "Cheap robots that learn quickly")
    _reimport(SMALL_ISSUE.replace("Cheap robots that learn quickly will show up", "Nothing at all will show up"))
    h.refresh_from_db()
    assert h.paragraph is None
    _reimport(SMALL_ISSUE)
    h.refresh_from_db()
    assert h.anchor_status == "moved" and h.paragraph.text.startswith("Why this matters")


def test_edited_headline_keeps_section_tags_and_thread(teams, users, small_issue):
    from articles.models import SectionTag, Thread

    team_a, _ = teams
    section = small_issue.sections.get(headline="Robots learn to sort buttons")
    tags.section_tags_add(user=users["alice"], team=team_a, section=section, names="robots")
    thread = threads.thread_get_or_create(user=users["alice"], team=team_a, section=section)
    threads.comment_create(user=users["alice"], thread=thread, body="keep me")
    _reimport(SMALL_ISSUE.replace("Robots learn to sort buttons:", "Robot arms learn to sort buttons fast:"))
    section.refresh_from_db()
    assert section.headline == "Robot arms learn to sort buttons fast"
    assert section.anchor == "s-robot-arms-learn-to-sort-buttons-fast"
    assert SectionTag.objects.get().section_id == section.pk
    assert Thread.objects.get().section_id == section.pk


def test_nul_characters_are_dropped_from_user_text(teams, users, small_issue):
    note = notes.note_create(user=users["alice"], team=teams[0], paragraph=_para(small_issue, "Researchers"), body="a\x00b")
    assert note.body == "ab"
    assert [t.name for t in tags.tags_get_or_create(user=users["alice"], team=teams[0], names=["x\x00y"])] == ["xy"]
