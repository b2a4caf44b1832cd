"""parse_forward_future on the real seed 003 and on invented posts (no Django needed)."""

import dataclasses

import pytest

from articles.importer.forward_future import is_subheading, parse_forward_future
from articles.importer.types import (
    FORWARD_FUTURE,
    INTRO,
    QUOTE,
    STORY,
    STRONG,
    TEXT,
    ParsedIssue,
    ParseError,
)
from tests.seeds import seed_bytes


@pytest.fixture(scope="module")
def issue() -> ParsedIssue:
    return parse_forward_future(seed_bytes("003").decode("utf-8"))


def _all_strings(issue: ParsedIssue):
    yield issue.title
    yield issue.subtitle
    yield issue.author
    for section in issue.sections:
        yield section.headline
        yield section.dek
        for paragraph in section.paragraphs:
            yield paragraph.text


def _paragraph_texts(issue: ParsedIssue):
    return [p.text for s in issue.sections for p in s.paragraphs]


# --- seed 003 ----------------------------------------------------------------------------------


def test_seed_metadata(issue):
    assert issue.title == "Scale Is All You Need? Part 2-2"
    assert issue.number is None
    assert issue.author == "Kim Isenberg"
    assert issue.format == FORWARD_FUTURE
    assert issue.newsletter == "Forward Future"
    assert issue.subtitle == ""
    assert issue.notes  # the report mentions the mojibake repair


def test_seed_sections(issue):
    assert [s.headline for s in issue.sections] == [
        "",
        "Training Data",
        "2.3 Some important Graphs",
        "3. Some final remarks",
    ]
    assert [s.kind for s in issue.sections] == [INTRO, STORY, STORY, STORY]
    assert [len(s.paragraphs) for s in issue.sections] == [1, 13, 11, 12]


def test_seed_quotes(issue):
    kinds = [p.kind for s in issue.sections for p in s.paragraphs]
    assert kinds.count(QUOTE) == 8
    assert set(kinds) == {TEXT, QUOTE}
    for section in issue.sections:
        for paragraph in section.paragraphs:
            assert (paragraph.kind == QUOTE) == paragraph.text.startswith("“")


def test_seed_note_paragraph(issue):
    (note,) = issue.sections[0].paragraphs
    assert note.text.startswith("Note: If you haven’t seen Part 2-1")
    assert note.kind == TEXT
    (mark,) = note.marks
    assert mark.kind == STRONG
    assert note.text[mark.start : mark.end] == "Note:"


def test_seed_lone_and_is_a_paragraph_not_a_heading(issue):
    last = issue.sections[-1]
    assert "and" in [p.text for p in last.paragraphs]
    assert "and" not in [s.headline for s in issue.sections]


def test_seed_repaired_phrases(issue):
    text = "\n".join(_paragraph_texts(issue))
    for phrase in (
        "haven’t seen Part 2-1",
        "“Human Data is Key to AI: Alex Wang from Scale AI”",
        "inference—the",
        "It’s important",
    ):
        assert phrase in text, phrase


def test_seed_footer_dropped(issue):
    texts = _paragraph_texts(issue)
    assert not any("Subscribe to the Forward Future" in t for t in texts)
    assert not any("About the author" in t for t in texts)
    assert "Reply" not in texts
    assert not any("|" in t for t in texts)
    assert not any("Kim Isenberg" in t for t in texts)
    assert texts[-1].startswith("This question will be discussed")


def test_seed_no_mojibake_left_anywhere(issue):
    for value in _all_strings(issue):
        assert "â" not in value, value
        assert "đ" not in value, value


def test_seed_breadcrumb_not_in_body(issue):
    texts = _paragraph_texts(issue)
    assert not any(t.startswith("- ") for t in texts)
    assert issue.title not in texts


# --- invented posts ---------------------------------------------------------------------------

SYNTHETIC = """- Forward Future Daily
- Posts
- đž Why Kettles Sing
đž Why Kettles Sing
Note: This is the second of three parts.
A short opening line before any heading.
1. The Physics
Water near the base boils first and the bubbles collapse.
âA kettle sings because bubbles collapse,â said nobody in particular.
or
âThatâs the whole story.â
2. Closing Thoughts
We havenât measured anything â it is all invented.
Subscribe to the Forward Future Newsletter to have it delivered straight to your inbox.
About the author
Ada Example |
|
Reply
"""


def test_synthetic_post():
    issue = parse_forward_future(SYNTHETIC)
    assert issue.title == "Why Kettles Sing"
    assert issue.author == "Ada Example"
    assert [s.headline for s in issue.sections] == ["", "1. The Physics", "2. Closing Thoughts"]
    assert [len(s.paragraphs) for s in issue.sections] == [2, 4, 1]
    physics = issue.sections[1].paragraphs
    assert [p.kind for p in physics] == [TEXT, QUOTE, TEXT, QUOTE]
    assert physics[1].text == (
        "“A kettle sings because bubbles collapse,” said nobody in particular."
    )
    assert physics[3].text == "“That’s the whole story.”"
    closing = issue.sections[2].paragraphs[0].text
    assert closing == "We haven’t measured anything — it is all invented."
    assert issue.sections[0].paragraphs[0].marks[0].kind == STRONG
    assert issue.sections[0].paragraphs[1].marks == ()
    for value in _all_strings(issue):
        assert "â" not in value and "đ" not in value


def test_clean_post_has_no_repair_note():
    text = "- Forward Future Daily\n- Posts\n- Clean Title\nClean Title\nJust one paragraph.\n"
    issue = parse_forward_future(text)
    assert issue.notes == ()
    assert issue.author == ""
    assert [(s.kind, s.headline, len(s.paragraphs)) for s in issue.sections] == [(INTRO, "", 1)]


def test_issue_is_frozen():
    issue = parse_forward_future(SYNTHETIC)
    with pytest.raises(dataclasses.FrozenInstanceError):
        issue.title = "x"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Training Data", True),
        ("2.3 Some important Graphs", True),
        ("3. Some final remarks", True),
        ("and", False),
        ("It is obvious.", False),
        ("What now?", False),
        ("“A quoted line”", False),
        ("A heading that is far too long to be a heading because it rambles on", False),
        ("One two three four five six seven eight nine", False),
        ("Summary:", False),
    ],
)
def test_is_subheading(line, expected):
    assert is_subheading(line) is expected


@pytest.mark.parametrize(
    "text",
    [
        "Just a plain note without any structure.\nSecond line.\n",
        "- Forward Future Daily\nNo second breadcrumb here.\n",
        "- Forward Future Daily\n- Posts\n- A Title\nA Different Title\nBody.\n",
        "- Forward Future Daily\n- Posts\n- A Title\nA Title\n",
        "- Forward Future Daily\n- Posts\n- A Title\nA Title\nA Heading\nAbout the author\nX |\n",
        "",
    ],
)
def test_parse_error_without_structure(text):
    with pytest.raises(ParseError):
        parse_forward_future(text)
