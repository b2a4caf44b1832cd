"""The Markdown export read back by a Markdown parser: every quote holds only the quoted words
(author, day, status and tags follow it outside the blockquote), a note's paragraph quote,
details and body stay inside its list item, and no metadata line becomes a heading.

Parsed with python-markdown, the project's Markdown library. CommonMark readers (Obsidian,
Logseq) agree on the constructs the export uses: a blank line ends a blockquote (without it the
next line is a "lazy continuation" of the quote), and lines four spaces deep stay in a list item.
"""

from __future__ import annotations

import datetime

import markdown
import pytest
from bs4 import BeautifulSoup

from articles.export.markdown import document_markdown
from articles.export.types import ExportDocument, ExportHighlight, ExportIssue, ExportNote, ExportSection
from articles.selectors.export import export_document
from tests.export_world import annotate

BASE = "https://digest.example"
WHEN = datetime.datetime(2025, 5, 1, 9, 30, tzinfo=datetime.UTC)


def _parse(md: str) -> BeautifulSoup:
    return BeautifulSoup(markdown.markdown(md), "html.parser")


def _text(element) -> str:
    return " ".join(element.get_text(" ", strip=True).split())


def _highlight(pk: int, exact: str, **fields) -> ExportHighlight:
    values = {
        "id": pk, "paragraph_id": 1, "paragraph_anchor": "p-1", "url": f"{BASE}/i/#p-1", "exact": exact,
        "prefix": "", "suffix": "", "start": 0, "end": len(exact), "author": "alice", "visibility": "team",
        "colour": "yellow", "is_claim": False, "claim_status": "", "due_date": None, "note": "",
        "tags": (), "created": WHEN, "modified": WHEN,
    }
    return ExportHighlight(**(values | fields))


def _note(pk: int, body: str, **fields) -> ExportNote:
    values = {
        "id": pk, "paragraph_id": 1, "paragraph_anchor": "p-1", "url": f"{BASE}/i/#p-1",
        "paragraph_text": "The paragraph the note is on, long enough to be cut somewhere after eighty characters.",
        "body": body, "author": "bob", "visibility": "team", "created": WHEN, "modified": WHEN,
    }
    return ExportNote(**(values | fields))


def _document(section: ExportSection) -> str:
    issue = ExportIssue(id=1, slug="i", title="An issue", newsletter="Letters", number=3, url=f"{BASE}/i/",
                        sections=(section,))
    doc = ExportDocument(title="An issue", team="A", requested_by="alice", generated=WHEN, url=f"{BASE}/x",
                         issues=(issue,))
    return document_markdown(doc, team_wide=False)


def test_quote_then_metadata_then_note_each_their_own_block():
    claim = _highlight(1, "Robots sort buttons\nat 97.5% accuracy", is_claim=True, claim_status="needs_source",
                       due_date=datetime.date(2030, 1, 1), tags=("claims", "robot arms"), note="Check *this*.")
    plain = _highlight(2, "a second quote", author="-dash_user", visibility="private", tags=("x",))
    soup = _parse(_document(ExportSection(id=1, anchor="s-1", title="A story", url=f"{BASE}/i/#s-1",
                                          highlights=(claim, plain))))
    quotes = soup.find_all("blockquote")
    assert [_text(q) for q in quotes] == ["Robots sort buttons at 97.5% accuracy", "a second quote"]
    metas = [p for p in soup.find_all("p") if "·" in p.get_text() and p.find_parent("blockquote") is None]
    assert [_text(p) for p in metas[1:]] == [
        "alice · 2025-05-01 · claim: needs source (due 2030-01-01) · #claims #robot-arms",
        "-dash_user · 2025-05-01 · private · #x",
    ]
    assert [m.strong.get_text() for m in metas[1:]] == ["alice", "-dash_user"]
    assert soup.find("em").get_text() == "this" and soup.find("em").find_parent("blockquote") is None
    assert [_text(h) for h in soup.find_all(["h1", "h2", "h3"])] == ["An issue", "A story"]
    assert soup.find("ul") is None  # "-dash_user" did not start a list


def test_note_quote_details_and_body_stay_in_the_list_item():
    notes = (_note(1, "First line\n\n- a list\n- in the note"), _note(2, "Second note", visibility="private"))
    soup = _parse(_document(ExportSection(id=1, anchor="s-1", title="A story", url=f"{BASE}/i/#s-1", notes=notes)))
    items = soup.select("ul > li")
    top = [li for li in items if li.find_parent("li") is None]
    assert len(top) == 2
    first, second = top
    assert _text(first.blockquote) == "“The paragraph the note is on, long enough to be cut somewhere after eighty char…”"
    assert "bob" not in _text(first.blockquote) and "First line" not in _text(first.blockquote)
    paragraphs = [_text(p) for p in first.find_all("p") if p.find_parent("blockquote") is None]
    assert paragraphs[:2] == ["bob · 2025-05-01", "First line"]
    assert [_text(li) for li in first.select("li")] == ["a list", "in the note"]
    assert [_text(p) for p in second.find_all("p") if p.find_parent("blockquote") is None] == [
        "bob · 2025-05-01 · private", "Second note",
    ]
    assert [_text(h) for h in soup.find_all(["h1", "h2", "h3"])] == ["An issue", "A story", "Notes"]


@pytest.mark.django_db
def test_the_annotated_issue_round_trips(users, teams, small_issue):
    annotate(teams, users, small_issue)
    doc = export_document(
        user=users["alice"], team=teams[0], issue=small_issue, absolute=lambda path: BASE + path, export_path="/x"
    )
    soup = _parse(document_markdown(doc, team_wide=False))
    exported = [h.exact for section in doc.issues[0].sections for h in section.highlights]
    top_quotes = [q for q in soup.find_all("blockquote") if q.find_parent("li") is None]
    assert [_text(q) for q in top_quotes] == [" ".join(e.split()) for e in exported]
    assert "97.5% accuracy" in exported
    for q in soup.find_all("blockquote"):
        assert "·" not in q.get_text() and "#" not in q.get_text()
    allowed = {doc.issues[0].title, "Notes", "Discussion", "Discussion (resolved)"}
    allowed |= {s.title for s in doc.issues[0].sections}
    assert {_text(h) for h in soup.find_all(["h1", "h2", "h3", "h4"])} <= allowed
