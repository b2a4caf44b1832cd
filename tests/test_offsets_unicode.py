"""Highlight offsets are Unicode code points on the server: stored, rendered and exported.

The browser converts its UTF-16 offsets (static/js/digest.js, ``codePoints``); these tests pin the
server side of that contract on the texts that tell the two units apart (astral characters, a ZWJ
family sequence) and on those where they agree (combining marks, right-to-left text). The browser
half is tests/e2e/test_offsets.py.
"""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup

from articles.export.jsonld import document_jsonld
from articles.models import Paragraph
from articles.render import HighlightSpan, render_paragraph
from articles.selectors.export import export_document
from articles.services.highlights import highlight_create

pytestmark = pytest.mark.django_db

FAMILY = "\U0001f469\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466"  # 👩‍👩‍👧‍👦: 7 code points, 11 UTF-16 units
# (paragraph text, the word a reader selects, its code-point start, its UTF-16 start)
SAMPLES = [
    ("\U0001f916\U0001f916 and WORD after two robots.", "WORD", 7, 9),
    (f"A family {FAMILY} reads the PAPER together.", "PAPER", 27, 31),
    ("Cafe\u0301 owners and the nai\u0308ve BENCHMARK here.", "BENCHMARK", 28, 28),
    ("\u0627\u0644\u0646\u0645\u0648\u0630\u062c \u0627\u0644\u062c\u062f\u064a\u062f MODEL \u064a\u0639\u0645\u0644", "MODEL", 15, 15),
    ("\U0001f916 then \u05e9\u05dc\u05d5\u05dd \u05e2\u05d5\u05dc\u05dd and an \U0001f9e0 LAST word", "LAST", 26, 28),
]


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@pytest.mark.parametrize(("text", "word", "start", "utf16_start"), SAMPLES)
def test_samples_tell_the_units_apart_as_described(text, word, start, utf16_start):
    assert text.index(word) == start
    assert utf16_length(text[:start]) == utf16_start


@pytest.mark.parametrize(("text", "word", "start", "utf16_start"), SAMPLES)
def test_code_point_offsets_store_render_and_export_the_selected_word(
    text, word, start, utf16_start, make_issue, teams, users
):
    issue = make_issue(sections=1, paragraphs=1)
    paragraph = Paragraph.objects.get(section__issue=issue)
    paragraph.text, paragraph.marks = text, []
    paragraph.save()
    end = start + len(word)

    highlight = highlight_create(user=users["alice"], team=teams[0], paragraph=paragraph, start=start, end=end)

    assert (highlight.exact, highlight.start, highlight.end) == (word, start, end)
    assert highlight.prefix == text[:start][-32:]
    assert highlight.suffix == text[end:][:32]
    html = render_paragraph(text, [], [HighlightSpan(highlight.pk, start, end, "hl-yellow")])
    soup = BeautifulSoup(html, "html.parser")
    assert [m.get_text() for m in soup.find_all("mark")] == [word]
    assert soup.get_text() == text
    data = json.loads(json.dumps(document_jsonld(export_document(
        user=users["alice"], team=teams[0], issue=issue, absolute=lambda p: "https://d.example" + p, export_path="/x"
    ))))
    [item] = data["first"]["items"]
    quote, position = item["target"]["selector"]
    assert quote["exact"] == word
    assert position == {"type": "TextPositionSelector", "start": start, "end": end}


def test_utf16_offsets_would_have_stored_the_wrong_words(make_issue, teams, users):
    """The bug this guards against: the browser's UTF-16 offsets taken as code points."""
    issue = make_issue(sections=1, paragraphs=1)
    paragraph = Paragraph.objects.get(section__issue=issue)
    text, word, _, utf16_start = SAMPLES[0]
    paragraph.text, paragraph.marks = text, []
    paragraph.save()
    wrong = highlight_create(
        user=users["alice"], team=teams[0], paragraph=paragraph, start=utf16_start, end=utf16_start + len(word)
    )
    assert wrong.exact == "RD a"
