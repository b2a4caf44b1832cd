"""Search service on whichever database the suite runs (SQLite FTS5 or PostgreSQL tsvector):
indexing hooks, privacy, filters, hostile queries, ranking on the real seeds."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from articles.models import Issue, Membership, Paragraph, SearchDocument
from articles.search.service import SearchFilters, search
from articles.services import highlights, notes, tags, threads
from articles.services.importing import import_files
from tests.conftest import SMALL_ISSUE
from tests.factories import import_one
from tests.seeds import seed_bytes

pytestmark = pytest.mark.django_db


def _texts(user, team, query, **filters) -> list[str]:
    """Every hit's plain snippet text, in page order."""
    results = search(user=user, team=team, query=query, filters=SearchFilters(**filters))
    return [str(h.snippet) for g in results.groups for s in g.sections for h in s.hits]


def _kinds(user, team, query, **filters) -> list[str]:
    results = search(user=user, team=team, query=query, filters=SearchFilters(**filters))
    return sorted(h.kind for g in results.groups for s in g.sections for h in s.hits)


def _para(issue, startswith):
    return Paragraph.objects.get(section__issue=issue, text__startswith=startswith)


def _highlight(user, team, paragraph, quote, **kwargs):
    start = paragraph.text.index(quote)
    return highlights.highlight_create(user=user, team=team, paragraph=paragraph, start=start, end=start + len(quote), **kwargs)


# --- indexing ------------------------------------------------------------------------------------

def test_import_indexes_title_headlines_paragraphs(small_issue, reader):
    assert _kinds(reader, None, "kettlebench") == ["paragraph"]
    assert _kinds(reader, None, "kettles ") == ["section"]
    assert _kinds(reader, None, "small issue") == ["issue"]
    assert _kinds(reader, None, "accuracies ") == ["paragraph"]  # stemming: accuracy


def test_reimport_removes_rows_of_vanished_paragraphs(small_issue, reader):
    edited = SMALL_ISSUE.replace("KettleBench has 500 questions about tea", "TeapotBench has 600 questions about tea")
    import_one(name="small.txt", raw=edited.encode())
    assert _kinds(reader, None, "kettlebench") == []
    assert _kinds(reader, None, "teapotbench") == ["paragraph"]
    assert SearchDocument.objects.filter(kind="paragraph").count() == Paragraph.objects.count()


def test_prefix_search_while_typing(small_issue, reader):
    assert _kinds(reader, None, "kettleb") == ["paragraph"]
    assert _kinds(reader, None, "kettleb ") == []  # a finished word is a whole word


def test_rebuild_command_restores_the_index(small_issue, teams, users, capsys):
    team_a, _ = teams
    notes.note_create(user=users["alice"], team=team_a, paragraph=_para(small_issue, "Researchers"), body="Zebra notes")
    before = set(SearchDocument.objects.values_list("kind", "object_id", "text"))
    SearchDocument.objects.all().delete()
    call_command("rebuild_search_index")
    assert set(SearchDocument.objects.values_list("kind", "object_id", "text")) == before
    assert _kinds(users["alice"], team_a, "zebra") == ["note"]
    assert "rebuilt" in capsys.readouterr().out


def test_annotation_services_keep_the_index_in_step(small_issue, teams, users):
    team_a, _ = teams
    alice, bob = users["alice"], users["bob"]
    p = _para(small_issue, "Researchers")
    h = _highlight(alice, team_a, p, "robot arm", tags=["Mechanica"], note="Quokka idea")
    assert _kinds(bob, team_a, "quokka") == _kinds(bob, team_a, "mechanica") == ["highlight"]
    highlights.highlight_update(user=alice, highlight=h, note="Wombat idea", tags=["Gearbox"])
    assert _kinds(bob, team_a, "quokka") == _kinds(bob, team_a, "mechanica") == []
    assert _kinds(bob, team_a, "wombat gearbox") == ["highlight"]

    thread = threads.thread_get_or_create(user=bob, team=team_a, highlight=h)
    comment = threads.comment_create(user=bob, thread=thread, body="Platypus comment")
    assert _kinds(alice, team_a, "platypus") == ["comment"]
    comment = threads.comment_update(user=bob, comment=comment, body="Echidna comment", version=comment.version)
    assert _kinds(alice, team_a, "platypus") == [] and _kinds(alice, team_a, "echidna") == ["comment"]
    threads.comment_delete(user=bob, comment=comment)
    assert _kinds(alice, team_a, "echidna") == []

    note = notes.note_create(user=bob, team=team_a, paragraph=p, body="Narwhal note")
    note = notes.note_update(user=bob, note=note, body="Dugong note", version=note.version)
    assert _kinds(alice, team_a, "narwhal") == [] and _kinds(alice, team_a, "dugong") == ["note"]
    notes.note_delete(user=bob, note=note)
    assert _kinds(alice, team_a, "dugong") == []

    section = p.section
    tags.section_tags_add(user=alice, team=team_a, section=section, names="Capybara")
    assert _kinds(bob, team_a, "capybara") == ["tag"]
    tag = team_a.tags.get(name="Capybara")
    tags.tag_rename(user=alice, tag=tag, name="Tapir")
    assert _kinds(bob, team_a, "capybara") == [] and _kinds(bob, team_a, "tapir") == ["tag"]
    tags.tag_merge(user=alice, source=tag, target=team_a.tags.get(name="Gearbox"))
    assert _kinds(bob, team_a, "tapir") == []
    assert _kinds(bob, team_a, "gearbox") == ["highlight", "tag"]
    tags.section_tag_remove(user=alice, team=team_a, section=section, tag=team_a.tags.get(name="Gearbox"))
    assert _kinds(bob, team_a, "gearbox") == ["highlight"]

    thread = threads.thread_get_or_create(user=bob, team=team_a, highlight=h)
    threads.comment_create(user=bob, thread=thread, body="Okapi comment")
    highlights.highlight_delete(user=alice, highlight=h)
    assert _kinds(bob, team_a, "wombat") == _kinds(bob, team_a, "okapi") == []
    assert not SearchDocument.objects.filter(kind__in=["highlight", "comment"]).exists()


# --- privacy -------------------------------------------------------------------------------------

def test_private_note_only_in_its_authors_results(small_issue, teams, users):
    team_a, _ = teams
    notes.note_create(user=users["alice"], team=team_a, paragraph=_para(small_issue, "Researchers"),
                      body="Secret marmot plan", visibility="private")
    assert _kinds(users["alice"], team_a, "marmot") == ["note"]
    assert _kinds(users["bob"], team_a, "marmot") == []
    assert _kinds(users["carol"], teams[1], "marmot") == []
    assert _kinds(users["dave"], None, "marmot") == []


def test_other_teams_comment_never_appears(small_issue, teams, users):
    team_a, team_b = teams
    section = _para(small_issue, "Researchers").section
    thread = threads.thread_get_or_create(user=users["carol"], team=team_b, section=section)
    threads.comment_create(user=users["carol"], thread=thread, body="Team B pangolin talk")
    assert _kinds(users["carol"], team_b, "pangolin") == ["comment"]
    assert _kinds(users["alice"], team_a, "pangolin") == []
    assert _kinds(users["alice"], team_b, "pangolin") == []  # a forged team: not a member


def test_comment_on_private_highlight_only_for_the_highlight_author(small_issue, teams, users):
    team_a, _ = teams
    alice, bob = users["alice"], users["bob"]
    h = _highlight(alice, team_a, _para(small_issue, "Researchers"), "robot arm")
    thread = threads.thread_get_or_create(user=bob, team=team_a, highlight=h)
    threads.comment_create(user=bob, thread=thread, body="Bob's axolotl remark")
    assert _kinds(bob, team_a, "axolotl") == ["comment"]
    highlights.highlight_update(user=alice, highlight=h, visibility="private")
    assert _kinds(bob, team_a, "axolotl") == []  # his own comment, on a highlight he cannot see
    assert _kinds(alice, team_a, "axolotl") == ["comment"]
    assert _kinds(bob, team_a, "robot arm") == ["paragraph"]  # the private highlight is hidden too


def test_removed_member_loses_annotations_at_once(small_issue, teams, users):
    team_a, _ = teams
    notes.note_create(user=users["alice"], team=team_a, paragraph=_para(small_issue, "Researchers"), body="Ibex note")
    assert _kinds(users["bob"], team_a, "ibex") == ["note"]
    Membership.objects.filter(team=team_a, user=users["bob"]).delete()
    assert _kinds(users["bob"], team_a, "ibex") == []


# --- filters -------------------------------------------------------------------------------------

def test_filters(small_issue, teams, users, make_issue):
    team_a, _ = teams
    alice, bob = users["alice"], users["bob"]
    other = make_issue(newsletter="Other Letter", sections=1, paragraphs=2)
    Paragraph.objects.filter(section__issue=other).update(text="Buttons in another letter")
    Issue.objects.filter(pk=other.pk).update(imported_at=timezone.now() - datetime.timedelta(days=30))
    call_command("rebuild_search_index", stdout=open("/dev/null", "w"))
    assert len(_kinds(alice, team_a, "buttons")) == 5  # small issue: headline + 2 paragraphs

    assert _kinds(alice, team_a, "buttons", newsletter="other-letter") == ["paragraph", "paragraph"]
    today = timezone.localdate()
    assert len(_kinds(alice, team_a, "buttons", date_from=today)) == 3
    assert len(_kinds(alice, team_a, "buttons", date_to=today - datetime.timedelta(days=10))) == 2

    p = _para(small_issue, "Researchers")
    _highlight(bob, team_a, p, "sort buttons", tags=["Robotics"], note="buttons!")
    assert _kinds(alice, team_a, "buttons", tag="robotics") == ["highlight", "paragraph"]
    assert _kinds(alice, team_a, "buttons", author="bob") == ["highlight"]
    assert _kinds(alice, team_a, "buttons", author="alice") == []
    assert _kinds(alice, team_a, "buttons", mine=True) == []
    notes.note_create(user=alice, team=team_a, paragraph=p, body="my note")
    assert _kinds(alice, team_a, "buttons", mine=True) == ["highlight", "paragraph"]
    assert _kinds(bob, team_a, "buttons", mine=True) == []


# --- hostile queries and ranking --------------------------------------------------------------------

HOSTILE = ['"', "AND(", "NEAR", "NEAR(", "a OR", "*", "col:", "^x", "'", "\\", "!:*&|", "(((", '"unterminated',
           "NOT", "-x", "{a b}", "x AND NOT y", "\x00", "😀", "ß", "a" * 500, "'; DROP TABLE x; --", "%_", "'&:*"]


@pytest.mark.parametrize("query", HOSTILE)
def test_query_syntax_never_raises(small_issue, reader, query):
    results = search(user=reader, team=None, query=query)
    assert results.count >= 0


def test_diloco_puts_streaming_diloco_story_first(reader):
    results = import_files([(f"{p}.txt", seed_bytes(p)) for p in ["000", "001", "002", "003", "004"]])
    html_issue = next(r.issue for r in results if r.name.startswith("002"))
    found = search(user=reader, team=None, query="DiLoCo")
    first = found.groups[0]
    assert first.url == html_issue.get_absolute_url()
    story = html_issue.sections.get(paragraphs__text__contains="Streaming DiLoCo - lets people")
    assert first.sections[0].url.endswith(f"#{story.anchor}")
    assert len(found.groups) >= 2  # Nous Research's story mentions it too, ranked after
