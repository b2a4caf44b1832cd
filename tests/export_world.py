"""A small annotated team (through the services) shared by the export and backup tests."""

from __future__ import annotations

import datetime

from articles.models import Paragraph, Section
from articles.services import highlights, notes, tags, threads
from tests.conftest import SMALL_ISSUE
from tests.factories import import_one

SECOND_ISSUE = SMALL_ISSUE.replace("Import AI 7: A small issue", "Import AI 8: Another small issue").replace(
    "97.5% accuracy", "98.1% accuracy"
)


def para(issue, startswith) -> Paragraph:
    return Paragraph.objects.get(section__issue=issue, text__startswith=startswith)


def highlight(user, team, paragraph, quote, **kwargs):
    start = paragraph.text.index(quote)
    return highlights.highlight_create(user=user, team=team, paragraph=paragraph, start=start, end=start + len(quote), **kwargs)


def annotate(teams, users, issue) -> dict:
    """Team A: alice's team highlight (tags, note, claim) with a thread, a reply and a mention;
    bob's private highlight and private note with a thread; a team note, section tags, a
    resolved section thread. Team B: carol's highlight and note."""
    team_a, team_b = teams
    alice, bob, carol = users["alice"], users["bob"], users["carol"]
    robots = para(issue, "Researchers trained")
    kettle = para(issue, "KettleBench")
    story = Section.objects.get(issue=issue, headline__startswith="Robots")
    w = {}
    w["claim"] = highlight(alice, team_a, robots, "97.5% accuracy", tags=["Robot arms", "benchmarks"],
                           note="Check the **paper**.\nSecond line.", is_claim=True)
    highlights.claim_review(user=bob, highlight=w["claim"], status="disputed", due_date=datetime.date(2030, 1, 1))
    w["claim"].refresh_from_db()
    w["private_h"] = highlight(bob, team_a, kettle, "500 questions", visibility="private", tags=["secret tag"])
    w["team_note"] = notes.note_create(user=alice, team=team_a, paragraph=robots, body="=SUM(A1) looks *odd*")
    w["private_note"] = notes.note_create(user=bob, team=team_a, paragraph=kettle, body="bob private thought",
                                          visibility="private")
    thread = threads.thread_get_or_create(user=bob, team=team_a, highlight=w["claim"])
    w["comment"] = threads.comment_create(user=bob, thread=thread, body="Source? @alice")
    w["reply"] = threads.comment_create(user=alice, thread=thread, body="Table 2, line one\nline two", parent=w["comment"])
    private_thread = threads.thread_get_or_create(user=bob, team=team_a, highlight=w["private_h"])
    w["private_comment"] = threads.comment_create(user=bob, thread=private_thread, body="only bob sees this")
    tags.section_tags_add(user=alice, team=team_a, section=story, names="robotics, must read")
    section_thread = threads.thread_get_or_create(user=alice, team=team_a, section=story)
    w["section_comment"] = threads.comment_create(user=alice, thread=section_thread, body="Good story")
    threads.thread_resolve(user=alice, thread=section_thread)
    w["other_team_h"] = highlight(carol, team_b, robots, "robot arm", note="team B note")
    w["other_team_note"] = notes.note_create(user=carol, team=team_b, paragraph=robots, body="carol's note")
    return w


def import_second_issue():
    return import_one(name="second.txt", raw=SECOND_ISSUE.encode()).issue
