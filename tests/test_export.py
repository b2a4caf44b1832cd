"""Reader exports: Markdown, CSV, JSON-LD contents, privacy, query counts, the views."""

from __future__ import annotations

import csv
import io
import json

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from articles.export.csv_export import COLUMNS, document_csv
from articles.export.jsonld import document_jsonld
from articles.export.markdown import document_markdown, tag_markdown
from articles.selectors.export import export_document
from tests.export_world import annotate, highlight, import_second_issue, para

pytestmark = pytest.mark.django_db
BASE = "https://digest.example"


@pytest.fixture
def world(teams, users, small_issue):
    """The annotated small issue (see tests/export_world.py)."""
    return annotate(teams, users, small_issue)


def _doc(user, team, issue=None):
    return export_document(user=user, team=team, issue=issue, absolute=lambda p: BASE + p, export_path="/export/x")


def _csv_rows(text: str) -> list[dict]:
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline="")))


def test_markdown_issue(users, teams, small_issue, world):
    md = document_markdown(_doc(users["alice"], teams[0], small_issue), team_wide=False)
    lines = md.splitlines()
    assert lines[0] == "# A small issue; and a tale"
    assert lines[2] == f"Import AI #7 · <{BASE}/issues/{small_issue.slug}/>"
    section = lines.index("## Robots learn to sort buttons")
    quote = lines.index("> 97.5% accuracy")
    assert section < quote
    assert lines[quote + 1] == ""  # the quote ends before what is said about it
    assert lines[quote + 2].startswith("**alice** · ")
    assert lines[quote + 2].endswith(" · claim: disputed (due 2030-01-01) · #benchmarks #Robot-arms")
    assert lines[quote + 4 : quote + 6] == ["Check the **paper**.", "Second line."]
    comment = next(i for i, line in enumerate(lines) if line.startswith("- **bob** · "))
    assert lines[comment + 1] == "  Source? @alice"
    assert lines[comment + 2].startswith("  - **alice** · ")
    assert lines[comment + 3 : comment + 5] == ["    Table 2, line one", "    line two"]
    assert "Tags: #robotics #must-read" in lines
    assert "### Notes" in lines and "- > “Researchers trained a robot arm to sort buttons into bins and it reached 97.5%…”" in lines
    assert "    =SUM(A1) looks *odd*" in lines
    assert "### Discussion (resolved)" in lines and "  Good story" in lines
    for secret in ("500 questions", "bob private thought", "only bob sees this", "secret", "team B note", "carol"):
        assert secret not in md


def test_markdown_shows_my_private_annotations_marked(users, teams, small_issue, world):
    md = document_markdown(_doc(users["bob"], teams[0], small_issue), team_wide=False)
    lines = md.splitlines()
    quote = lines.index("> 500 questions")
    assert lines[quote + 1] == ""
    assert lines[quote + 2].startswith("**bob** · ") and lines[quote + 2].endswith(" · private · #secret-tag")
    assert "  only bob sees this" in lines and "    bob private thought" in lines


def test_tag_markdown():
    assert tag_markdown("Must read") == "#Must-read"
    assert tag_markdown("a, b! c/d") == "#a-b-c/d"
    assert tag_markdown("!!!") == "#tag"


def test_csv(users, teams, small_issue, world):
    rows = _csv_rows(document_csv(_doc(users["alice"], teams[0], small_issue)))
    assert list(rows[0]) == list(COLUMNS)
    kinds = [(r["kind"], r["id"]) for r in rows]
    w = world
    assert kinds == [
        ("highlight", str(w["claim"].pk)), ("comment", str(w["comment"].pk)), ("comment", str(w["reply"].pk)),
        ("note", str(w["team_note"].pk)), ("comment", str(w["section_comment"].pk)),
    ]
    h, c, r, n, s = rows
    p = w["claim"].paragraph
    assert (h["quote"], h["body"], h["tags"], h["author"], h["visibility"]) == (
        "97.5% accuracy", "Check the **paper**.\nSecond line.", "benchmarks, Robot arms", "alice", "team")
    assert (h["claim_status"], h["due_date"], h["paragraph"]) == ("disputed", "2030-01-01", f"p-{p.pk}")
    assert h["url"] == f"{BASE}/issues/{small_issue.slug}/#p-{p.pk}"
    assert h["issue"] == small_issue.title and h["section"] == "Robots learn to sort buttons"
    assert (c["parent"], r["parent"], r["body"]) == (f"highlight {w['claim'].pk}", f"comment {c['id']}", "Table 2, line one\nline two")
    assert n["body"] == "'=SUM(A1) looks *odd*"  # no formula in a spreadsheet
    assert n["quote"] == p.text and n["claim_status"] == ""
    assert s["parent"] == "section s-robots-learn-to-sort-buttons"
    assert h["created"].startswith("20") and "T" in h["created"]


def test_jsonld(users, teams, small_issue, world):
    data = json.loads(json.dumps(document_jsonld(_doc(users["alice"], teams[0], small_issue))))
    assert data["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert data["type"] == "AnnotationCollection" and data["total"] == 5
    items = data["first"]["items"]
    assert data["first"]["type"] == "AnnotationPage" and len(items) == 5
    assert {i["type"] for i in items} == {"Annotation"}
    by_id = {i["id"]: i for i in items}
    url = f"{BASE}/issues/{small_issue.slug}/"
    w = world
    h = by_id[f"{url}#highlight-{w['claim'].pk}"]
    assert h["motivation"] == "assessing"
    assert h["creator"] == {"type": "Person", "nickname": "alice", "name": "alice"}
    assert h["target"]["source"] == f"{url}#p-{w['claim'].paragraph_id}"
    quote, position = h["target"]["selector"]
    assert quote == {"type": "TextQuoteSelector", "exact": "97.5% accuracy", "prefix": w["claim"].prefix, "suffix": w["claim"].suffix}
    assert position == {"type": "TextPositionSelector", "start": w["claim"].start, "end": w["claim"].end}
    assert [(b["purpose"], b["value"]) for b in h["body"]] == [
        ("commenting", "Check the **paper**.\nSecond line."), ("tagging", "benchmarks"), ("tagging", "Robot arms"),
        ("assessing", "disputed"),
    ]
    assert all(b["type"] == "TextualBody" for b in h["body"])
    assert h["created"].startswith("20") and "modified" in h
    note = by_id[f"{url}#note-{w['team_note'].pk}"]
    assert (note["motivation"], note["target"]) == ("commenting", f"{url}#p-{w['team_note'].paragraph_id}")
    comment = by_id[f"{url}#comment-{w['comment'].pk}"]
    assert (comment["motivation"], comment["target"]) == ("replying", h["id"])
    assert comment["body"][0]["value"] == "Source? @alice"
    assert by_id[f"{url}#comment-{w['reply'].pk}"]["target"] == comment["id"]
    assert by_id[f"{url}#comment-{w['section_comment'].pk}"]["target"] == f"{url}#s-robots-learn-to-sort-buttons"


@pytest.mark.parametrize("who", ["alice", "bob", "carol"])
def test_privacy_in_every_format(users, teams, small_issue, world, who):
    team = teams[1] if who == "carol" else teams[0]
    doc = _doc(users[who], team, small_issue)
    outputs = [document_markdown(doc, team_wide=False), document_csv(doc), json.dumps(document_jsonld(doc), ensure_ascii=False)]
    hidden = {
        "alice": ["500 questions", "bob private thought", "only bob sees this", "secret tag", "team B note", "carol's note"],
        "bob": ["team B note", "carol's note"],
        "carol": ["Check the **paper**", "Source?", "=SUM", "Good story", "robotics", "500 questions"],
    }[who]
    for output in outputs:
        for secret in hidden:
            assert secret not in output, (who, secret)
    if who == "carol":
        assert "team B note" in outputs[0] and "carol's note" in outputs[1]


def test_no_team_no_export(login, users, small_issue, world):
    response = login(users["dave"]).get(reverse("articles:issue-export", args=[small_issue.slug, "md"]))
    assert response.status_code == 404


def _grow(teams, users, issue):
    """More of everything on ``issue``: a highlight with tags, note and thread per paragraph, notes."""
    from articles.models import Paragraph
    from articles.services import notes, threads

    for i, p in enumerate(Paragraph.objects.filter(section__issue=issue)):
        h = highlight(users["alice"], teams[0], p, p.text[-4:], tags=[f"t{i}", "more"], note=f"n{i}")
        thread = threads.thread_get_or_create(user=users["bob"], team=teams[0], highlight=h)
        c = threads.comment_create(user=users["bob"], thread=thread, body=f"c{i}")
        threads.comment_create(user=users["alice"], thread=thread, body=f"r{i}", parent=c)
        notes.note_create(user=users["bob"], team=teams[0], paragraph=p, body=f"more {i}")


@pytest.mark.parametrize("team_wide", [False, True])
def test_query_count_is_constant(teams, users, small_issue, world, django_assert_max_num_queries, team_wide):
    second = import_second_issue()
    issue = None if team_wide else small_issue
    with django_assert_max_num_queries(9) as before:
        _doc(users["alice"], teams[0], issue)
    _grow(teams, users, small_issue)
    _grow(teams, users, second)
    with django_assert_max_num_queries(9) as after:
        doc = _doc(users["alice"], teams[0], issue)
    assert len(after) == len(before)
    from articles.models import Paragraph

    highlights = sum(len(s.highlights) for i in doc.issues for s in i.sections)
    paragraphs = Paragraph.objects.filter(section__issue=small_issue).count()
    if team_wide:
        assert [i.title for i in doc.issues] == [second.title, small_issue.title]  # newest first
        assert highlights == 1 + 2 * paragraphs
    else:
        assert highlights == 1 + paragraphs


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [("md", "text/markdown; charset=utf-8"), ("csv", "text/csv; charset=utf-8"),
     ("jsonld", 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"')],
)
def test_issue_export_view(login, users, small_issue, world, fmt, content_type):
    response = login(users["alice"]).get(reverse("articles:issue-export", args=[small_issue.slug, fmt]))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="{small_issue.slug}-team-a-annotations.{fmt}"'
    assert "no-store" in response["Cache-Control"]
    body = response.content.decode("utf-8-sig")
    assert "97.5% accuracy" in body and "500 questions" not in body
    if fmt == "jsonld":
        assert json.loads(body)["first"]["items"][0]["target"]["source"].startswith("http://testserver/issues/")


def test_team_export_view_newest_first(login, users, teams, small_issue, world):
    second = import_second_issue()
    highlight(users["alice"], teams[0], para(second, "Researchers trained"), "98.1% accuracy")
    response = login(users["alice"]).get(reverse("articles:team-export", args=["md"]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="team-a-annotations-')
    lines = response.content.decode().splitlines()
    assert lines[0] == "# Team A: annotations"
    issues = [line for line in lines if line.startswith("## ")]
    assert issues == ["## Another small issue; and a tale", "## A small issue; and a tale"]


def test_export_view_refuses_unknown_format_and_post(login, users, small_issue, world):
    client = login(users["alice"])
    assert client.get(f"/issues/{small_issue.slug}/export.pdf").status_code == 404
    assert client.post(reverse("articles:issue-export", args=[small_issue.slug, "md"])).status_code == 405


def test_anonymous_is_sent_to_login(client, small_issue):
    response = client.get(reverse("articles:issue-export", args=[small_issue.slug, "csv"]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_export_links_on_issue_and_tag_pages(login, users, small_issue, world):
    client = login(users["alice"])
    soup = BeautifulSoup(client.get(small_issue.get_absolute_url()).content, "html.parser")
    links = soup.select("header.issue-header .export-links a")
    assert [a.text for a in links] == ["Markdown", "CSV", "JSON-LD"]
    assert links[0]["href"] == reverse("articles:issue-export", args=[small_issue.slug, "md"])
    soup = BeautifulSoup(client.get(reverse("articles:tag-list")).content, "html.parser")
    assert [a["href"] for a in soup.select(".export-links a")] == [
        reverse("articles:team-export", args=[f]) for f in ("md", "csv", "jsonld")
    ]
