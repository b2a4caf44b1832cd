"""extract(): refinement dispatch, seeds unchanged, headers before the title, fallbacks."""

from __future__ import annotations

import time

import pytest

from articles.importer import decode_source
from articles.importer.detect import looks_like_html
from articles.importer.extract import extract
from articles.importer.forward_future import parse_forward_future
from articles.importer.importai_html import parse_importai_html
from articles.importer.importai_text import parse_importai_text
from articles.importer.types import (
    DOC_HTML,
    DOC_TEXT,
    FORWARD_FUTURE,
    GENERIC_TEXT,
    IMPORTAI_HTML,
    IMPORTAI_TEXT,
    INTRO,
    READER_COMMENTS,
    SOURCE,
    STORY,
    TECH_TALE,
    TEXT,
    Document,
    SourceMeta,
)  # fmt: skip
from tests.importer.extract_helpers import outline, run, sample, texts
from tests.seeds import seed_bytes

SEEDS = {"000": IMPORTAI_TEXT, "001": IMPORTAI_TEXT, "002": IMPORTAI_HTML, "003": FORWARD_FUTURE, "004": IMPORTAI_TEXT}


def seed_document(prefix: str) -> Document:
    text = decode_source(seed_bytes(prefix)).text
    return Document(name=prefix, kind=DOC_HTML if looks_like_html(text) else DOC_TEXT, body=text)


@pytest.mark.parametrize("prefix", sorted(SEEDS))
def test_seeds_parse_exactly_as_the_format_parsers_do(prefix):
    document = seed_document(prefix)
    format_parser = {IMPORTAI_TEXT: parse_importai_text, IMPORTAI_HTML: parse_importai_html,
                     FORWARD_FUTURE: parse_forward_future}[SEEDS[prefix]]
    old = format_parser(document.body)
    new = extract(document)
    assert new.format == SEEDS[prefix]
    assert new.sections == old.sections
    assert (new.title, new.number, new.subtitle, new.author) == (old.title, old.number, old.subtitle, old.author)
    assert new.newsletter_key == ("name:forward-future" if prefix == "003" else "name:import-ai")
    assert new.notes == old.notes


def test_seeds_are_fast():
    documents = [seed_document(p) for p in sorted(SEEDS)]
    start = time.perf_counter()
    for document in documents:
        extract(document)
    assert time.perf_counter() - start < 2.0


def test_importai_text_after_forwarded_and_view_in_browser_lines():
    issue = sample("importai_forwarded.txt")
    assert issue.format == IMPORTAI_TEXT
    assert (issue.number, issue.title) == (409, "Quiet models; loud benchmarks")
    assert issue.subtitle == "A subtitle for an invented issue"
    assert outline(issue) == [
        (INTRO, ""), (STORY, "Quiet models win a contest"), (STORY, "Loud benchmarks"),
        (TECH_TALE, "The listener"), (READER_COMMENTS, "Reader comments"),
    ]  # fmt: skip
    assert issue.sections[1].dek == "Small models, big patience"
    assert texts(issue, 1) == [
        (TEXT, "A fictional lab trained a very quiet model and it won a contest."),
        (SOURCE, "Read more: Quiet Models Paper (arXiv)."),
    ]
    assert issue.sections[3].dek == "A server room, 2040"
    assert texts(issue, 4) == [(TEXT, "Dear Editor,\nI liked the quiet model story.")]
    assert issue.notes == ("removed 4 lines of page chrome (header, footer)",)


def test_old_style_hash_separators():
    issue = sample("importai_oldstyle.txt")
    assert issue.format == IMPORTAI_TEXT
    assert (issue.number, issue.title, issue.subtitle) == (12, "Old separators; three stories", "")
    assert outline(issue) == [
        (INTRO, ""), (STORY, "Story one about chairs"), (STORY, "Story two about tables"),
        (STORY, "Story three about lamps"),
    ]  # fmt: skip
    assert texts(issue, 3) == [(TEXT, "Lamps were switched on.")]


def test_mojibake_in_an_importai_text_file_is_repaired():
    issue = sample("importai_mojibake.txt")
    assert issue.title == "Don’t panic"
    assert outline(issue) == [(INTRO, ""), (STORY, "Robots that don’t sleep")]
    assert texts(issue, 1) == [(TEXT, "They don’t, it seems.")]
    assert issue.notes == ("repaired damaged characters (mojibake)",)


def test_hash_title_and_bold_tech_tales_in_text():
    text = (
        "# Import AI #413: Hash title\nWelcome to Import AI, invented.\nPots boil:\nThey do.\n"
        "**Tech Tales:**\nThe pot\nIt boiled.\n"
    )
    issue = run(text)
    assert issue.format == IMPORTAI_TEXT
    assert (issue.number, issue.title) == (413, "Hash title")
    assert outline(issue) == [(INTRO, ""), (STORY, "Pots boil"), (TECH_TALE, "The pot")]


def test_view_on_the_web_line_gives_the_url():
    text = (
        "View this post on the web at https://importai.substack.com/p/import-ai-414\n\n"
        "Import AI 414: Web\nWelcome to Import AI.\nA story:\nText.\n"
    )
    issue = run(text)
    assert issue.url == "https://importai.substack.com/p/import-ai-414"
    assert issue.number == 414


def test_refinement_that_does_not_fit_falls_back_to_generic():
    issue = run("Import AI 415: No stories here\nJust some words without any headline.\n")
    assert issue.format == GENERIC_TEXT
    assert issue.title == "Import AI 415: No stories here"
    assert outline(issue) == [(STORY, "")]
    assert any(n.startswith("looks like Import AI but did not fit its layout") for n in issue.notes)


def test_forward_future_shape_that_fails_falls_back():
    issue = run("- Site\n- Posts\n- Title\nTitle\nAbout the author\nKim |\n")
    assert issue.format == GENERIC_TEXT
    assert any(n.startswith("not read as Forward Future") for n in issue.notes)


def test_a_plain_list_is_not_forward_future():
    issue = run("Shopping\n- eggs\n- milk\n")
    assert issue.format == GENERIC_TEXT and issue.notes == ()


def test_document_meta_fills_what_the_content_does_not_give():
    meta = SourceMeta(newsletter="Corner", newsletter_key="email:sam@corner.example", title="Ignored",
                      url="https://corner.example/1", guid="<id@x>")
    document = Document(name="x", kind=DOC_TEXT, body="The Corner Shop Letter\nHello.\n", meta=meta, notes=("n0",))
    issue = extract(document)
    assert (issue.newsletter, issue.newsletter_key, issue.title) == ("Corner", "email:sam@corner.example", "Ignored")
    assert (issue.url, issue.guid) == ("https://corner.example/1", "<id@x>")
    assert issue.notes[0] == "n0"


def test_importai_html_fragment_without_marker_words_is_generic():
    issue = run("<h1>Weekly</h1><h2>Item</h2><p>Body.</p>", DOC_HTML)
    assert issue.format == "html" and outline(issue) == [(STORY, "Item")]


def test_quoted_printable_is_repaired_when_available():
    issue = run("Caf=C3=A9 notes\nIt=E2=80=99s open.\n")
    assert issue.title == "Café notes"
    assert texts(issue, 0) == [(TEXT, "It’s open.")]
    assert issue.notes == ("decoded leftover quoted-printable (=E2=80=99 and the like)",)


IMPORTAI_FOOTER = """Import AI 977: Kettles that listen
Welcome to Import AI, a sample newsletter written for tests.
Listening kettles:
An invented kettle learned to wait for the boil.
Thanks for reading!
Dear Editor,
The kettle story was calming.
Subscribe to Import AI | Privacy | Terms
Share
Unsubscribe
"""


@pytest.mark.parametrize("footer", [
    "Subscribe to Import AI | Privacy | Terms\nShare\nUnsubscribe\n",
    "Share\nSubscribe to Import AI\n",
    "Share | Subscribe to Import AI\nPrivacy policy | Terms of service | Start writing | Get the app\n",
])
def test_importai_footer_after_thanks_is_not_a_reader_comment(footer):
    head = IMPORTAI_FOOTER.split("Subscribe to Import AI |")[0]
    issue = run(head + footer)
    assert issue.format == IMPORTAI_TEXT
    assert outline(issue) == [(INTRO, ""), (STORY, "Listening kettles"), (READER_COMMENTS, "Reader comments")]
    assert texts(issue, 2) == [(TEXT, "Dear Editor,\nThe kettle story was calming.")]


def test_importai_footer_alone_makes_no_reader_comments():
    issue = run(IMPORTAI_FOOTER.replace("Dear Editor,\nThe kettle story was calming.\n", ""))
    assert outline(issue) == [(INTRO, ""), (STORY, "Listening kettles")]


def test_a_sentence_with_a_bar_is_not_a_chrome_row():
    from articles.importer.chrome import is_button, is_footer_start

    assert is_button("Subscribe to Import AI | Privacy | Terms")
    assert is_footer_start("Subscribe to Import AI | Privacy | Terms")
    assert is_button("Share | Subscribe now") and not is_footer_start("Share | Subscribe now")
    assert not is_button("Kettles | a story about waiting")
    assert not is_footer_start("Privacy matters | we wrote about it")
