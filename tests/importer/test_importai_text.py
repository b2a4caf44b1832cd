"""The plain-text Import AI parser, against the real seeds (000, 001, 004) and invented snippets."""

from __future__ import annotations

import time

import pytest

from articles.importer.importai_text import parse_importai_text, parse_title_line
from articles.importer.types import (
    IMPORTAI_TEXT,
    INTRO,
    LINK,
    READER_COMMENTS,
    SOURCE,
    STORY,
    STRONG,
    TECH_TALE,
    ParsedIssue,
    ParsedParagraph,
    ParseError,
)
from tests.seeds import seed_bytes


def parse_seed(prefix: str) -> ParsedIssue:
    return parse_importai_text(seed_bytes(prefix).decode("utf-8"))


def all_paragraphs(issue: ParsedIssue) -> list[ParsedParagraph]:
    return [p for s in issue.sections for p in s.paragraphs]


def lead_ins(issue: ParsedIssue) -> list[str]:
    return [p.text[m.start : m.end] for p in all_paragraphs(issue) for m in p.marks if m.kind == STRONG]


def assert_marks_valid(issue: ParsedIssue) -> None:
    for p in all_paragraphs(issue):
        for m in p.marks:
            assert 0 <= m.start < m.end <= len(p.text), (m, p.text[:80])
            assert p.text[m.start : m.end] == p.text[m.start : m.end].strip()


# --- seeds ---------------------------------------------------------------------------------------


def test_seed_000_header_and_sections() -> None:
    issue = parse_seed("000")
    assert issue.format == IMPORTAI_TEXT
    assert issue.newsletter == "Import AI"
    assert issue.number == 395
    assert issue.title == "AI and energy demand; distributed training via DeMo; and Phi-4"
    assert issue.subtitle == "What might fighting for freedom in an AI age look like?"
    assert [s.headline for s in issue.sections] == [
        "",
        "AI is driving a massive growth in US data center electricity demand",
        "Microsoft releases the fourth generation of its excellent 'Phi' models",
        "Everything becomes a game - DeepMind demos Genie 2",
        "OpenAI's O3 means AI progress in 2025 will be faster than in 2024",
        "Drop-in AdamW replacement makes distributed training possible",
        "Reach out across space and love",
    ]
    assert [s.kind for s in issue.sections] == [INTRO, STORY, STORY, STORY, STORY, STORY, TECH_TALE]
    assert [len(s.paragraphs) for s in issue.sections] == [1, 8, 12, 6, 9, 9, 8]
    assert [sum(p.kind == SOURCE for p in s.paragraphs) for s in issue.sections] == [0, 1, 2, 1, 2, 2, 0]
    assert issue.sections[0].paragraphs[0].text.startswith("Welcome to Import AI")
    assert_marks_valid(issue)


def test_seed_000_dek_shares_line_with_first_paragraph() -> None:
    story = parse_seed("000").sections[1]
    assert story.dek == "UC Berkeley study backs up what all of us have guessed - mo' AI means mo' electricity"
    assert story.paragraphs[0].text.startswith("New research from UC Berkeley shows")
    assert parse_seed("000").sections[2].dek == (
        "Phi-4 does exceptionally well on math and reasoning thanks to synthetic data"
    )


def test_seed_000_lead_ins_and_sources() -> None:
    issue = parse_seed("000")
    marked = lead_ins(issue)
    assert "Why this matters - everything becomes a game:" in marked
    assert "Synthetic data and its uses:" in marked
    assert "Many gigawatts of baseload by 2028:" in marked
    assert "Why this matters: AI dominance will be about infrastructure dominance:" in marked
    assert "Things that inspired this story:" in marked
    texts = {p.text: p for p in all_paragraphs(issue)}
    assert texts["2018: 1.9%"].marks == ()
    assert next(p for t, p in texts.items() if t.startswith("MMLU: 84.8")).marks == ()
    assert len(marked) == 21
    o3 = issue.sections[4].paragraphs
    assert [p.text for p in o3 if p.kind == SOURCE] == [
        "Watch the OpenAI o3 announcement here (OpenAI, Twitter).",
        "Check out details on the ARC-AGI scores here (ARC Prize, Twitter).",
    ]
    demo = issue.sections[5].paragraphs
    assert demo[-1].text == "Get an implementation of DeMo here: DeMo (bloc97, GitHub)."
    assert demo[-1].kind == SOURCE


def test_seed_000_tech_tale() -> None:
    tale = parse_seed("000").sections[-1]
    assert tale.kind == TECH_TALE
    assert tale.dek == (
        "An explanation of what it was like to 'attempt contact' with humans before the Sentience Accords"
    )
    assert tale.paragraphs[0].text.startswith("In many stories about the dead")
    assert tale.paragraphs[-1].text.startswith("Things that inspired this story: What if many")


def test_seed_001() -> None:
    issue = parse_seed("001")
    assert issue.number == 396
    assert issue.title.startswith("$80bn on AI infrastructure; can Intel's Gaudi chip train neural nets?")
    # decision: the subtitle's surrounding ellipses are stripped
    assert issue.subtitle == "I expect another punctured equilibrium in 2025 from dramatic AI progress"
    assert [s.headline for s in issue.sections] == [
        "",
        "Microsoft plans to spend $80bn on AI buildout in 2025",
        "Humans and AI systems end up representing some stuff in remarkably similar ways",
        "Researchers try to make Intel's Gaudi chip work for transformer training - and it takes a lot of work",
        "A hardware novice uses Claude to build a nuclear fusor in 36 hours",
        "LLMs can write better code - you just need to ask them",
        "Today's small open weight LLMs like LLaMa 3.1 8B are almost as good at science as proprietary ones",
        "The Project",
    ]
    assert [s.kind for s in issue.sections] == [INTRO] + [STORY] * 6 + [TECH_TALE]
    assert [len(s.paragraphs) for s in issue.sections] == [1, 7, 7, 13, 8, 6, 11, 17]
    assert [sum(p.kind == SOURCE for p in s.paragraphs) for s in issue.sections] == [0, 1, 1, 2, 1, 1, 2, 0]
    # "..." deks, with the ASCII ellipsis stripped
    assert issue.sections[1].dek == "Stochastic parrots are worth how much?"
    assert issue.sections[3].dek == (
        "Can a determined crew of people make lipstick to put on a semiconductor pig? (Sort of)"
    )
    # a trailing "PS:" note does not hide the sources above it
    gaudi = issue.sections[3].paragraphs
    assert [p.kind for p in gaudi[-3:]] == [SOURCE, SOURCE, "text"]
    assert gaudi[-2].text.startswith("More about the first generation of Gaudi here")
    assert issue.sections[-1].dek == "T-Minus 2 years to takeoff"
    # "Small open weight LLMs (here: Llama …" has an unbalanced bracket: not a lead-in
    science = issue.sections[6].paragraphs
    assert science[2].text.startswith("Small open weight LLMs (here:") and science[2].marks == ()
    assert "Some rough specifications:" not in lead_ins(issue)
    assert_marks_valid(issue)


def test_seed_004_sections_and_reader_comments() -> None:
    issue = parse_seed("004")
    assert issue.number == 384
    assert issue.subtitle == "How much of today's technology will be deemed important in one hundred years?"
    assert [s.kind for s in issue.sections] == [INTRO] + [STORY] * 6 + [TECH_TALE, READER_COMMENTS]
    assert [s.headline for s in issue.sections][1:3] == [
        "Google gets DOOM to run in the weights of a neural network",
        "Techno-accelerationism is either hubristic (e/acc) or nihilistic (Nick Land)",
    ]
    assert [s.headline for s in issue.sections][-2:] == ["The Messages Of Our First", "Reader comments"]
    assert [len(s.paragraphs) for s in issue.sections] == [1, 9, 4, 4, 9, 5, 6, 5, 2]
    assert [sum(p.kind == SOURCE for p in s.paragraphs) for s in issue.sections] == [0, 2, 1, 1, 2, 1, 2, 0, 0]
    assert issue.sections[-2].dek == "+8 years after uplift"
    first, second = issue.sections[-1].paragraphs
    assert first.text.startswith("I hope the authors realize")
    assert "\n" not in first.text
    comment_lines = second.text.split("\n")
    assert comment_lines[0] == "Dr. Nagase,"
    assert len(comment_lines) == 4
    assert comment_lines[1].startswith("I think the objective of establishing a 3D environment")
    assert not any("Thanks for reading" in p.text for p in all_paragraphs(issue))
    assert_marks_valid(issue)


@pytest.mark.parametrize("prefix", ["000", "001", "004"])
def test_seed_invariants(prefix: str) -> None:
    issue = parse_seed(prefix)
    assert_marks_valid(issue)
    paragraphs = all_paragraphs(issue)
    assert all(p.text == p.text.strip() and p.text for p in paragraphs)
    assert not any(m.kind == LINK for p in paragraphs for m in p.marks)
    assert not any(p.text == "***" or p.text.startswith("Thanks for reading") for p in paragraphs)
    assert all(s.headline == s.headline.strip() and not s.headline.endswith(":") for s in issue.sections)
    assert all(not s.dek.startswith(("…", "...")) and not s.dek.endswith(("…", "...")) for s in issue.sections)


# --- invented snippets -------------------------------------------------------------------------------

SMALL = """Import AI 7: Kettles; pots; and pans
…Is the kitchen the real frontier?…
Welcome to Import AI, a newsletter about kitchens.
Kettles now boil in half the time:
…Researchers heat things up…Scientists at a made-up lab report faster kettles.
Why this matters - tea is infrastructure: Faster kettles mean more tea for everyone.
Read more: Faster kettles (arXiv).
***
Pans get non-stick upgrade:
A paragraph without any dek before it.
***
Tech Tales:
The Last Pan
[A kitchen, far in the future]
The pan sat alone.
Thanks for reading!
"""


def test_small_issue() -> None:
    issue = parse_importai_text(SMALL)
    assert (issue.number, issue.title, issue.subtitle) == (7, "Kettles; pots; and pans", "Is the kitchen the real frontier?")
    kettle, pan, tale = issue.sections[1:]
    assert (kettle.headline, kettle.dek) == ("Kettles now boil in half the time", "Researchers heat things up")
    assert [p.text for p in kettle.paragraphs] == [
        "Scientists at a made-up lab report faster kettles.",
        "Why this matters - tea is infrastructure: Faster kettles mean more tea for everyone.",
        "Read more: Faster kettles (arXiv).",
    ]
    assert lead_ins(issue)[:1] == ["Why this matters - tea is infrastructure:"]
    assert (pan.headline, pan.dek, len(pan.paragraphs)) == ("Pans get non-stick upgrade", "", 1)
    assert (tale.kind, tale.headline, tale.dek) == (TECH_TALE, "The Last Pan", "A kitchen, far in the future")
    assert len(issue.sections) == 4  # nothing after "Thanks for reading!" → no reader comments


def test_no_subtitle_when_second_line_is_the_intro() -> None:
    issue = parse_importai_text("Import AI 8: t\nWelcome to Import AI, hello.\nHeadline:\nBody.\n")
    assert issue.subtitle == ""
    assert [s.kind for s in issue.sections] == [INTRO, STORY]


def test_blank_lines_and_whitespace_are_tolerated() -> None:
    issue = parse_importai_text("\n  Import AI   9 :  Spaced   title \n\nsub\n\nHead:\n\n  Body   text.  \n")
    assert (issue.number, issue.title) == (9, "Spaced title")
    assert issue.sections[0].paragraphs[0].text == "Body text."


def test_title_line() -> None:
    assert parse_title_line("Import AI 395: AI and energy") == (395, "AI and energy")
    assert parse_title_line("Import AI #12: Hash") == (12, "Hash")


@pytest.mark.parametrize(
    "text",
    ["Not Import AI at all\nHead:\nBody", "Import AI: missing number\nx", "Import AI 12:\nno title", "Import AI 1234567: x"],
)
def test_bad_first_line(text: str) -> None:
    with pytest.raises(ParseError, match="first line should look like 'Import AI 395: title'"):
        parse_importai_text(text)


def test_empty_text() -> None:
    with pytest.raises(ParseError, match="empty"):
        parse_importai_text("\n \n")


def test_no_stories() -> None:
    with pytest.raises(ParseError, match="no stories found"):
        parse_importai_text("Import AI 1: t\nsub\nWelcome to Import AI, only an intro.\nThanks for reading!\n")


def test_huge_single_line_is_fast() -> None:
    start = time.perf_counter()
    with pytest.raises(ParseError):
        parse_importai_text("Import AI 1: " + "word " * 200_000)
    issue = parse_importai_text("Import AI 1: t\ns\nHead:\n…" + "a…" * 300_000 + "\n" + "x: " * 300_000)
    assert time.perf_counter() - start < 1.0
    assert issue.sections[0].headline == "Head"
