"""Unit tests for the segmentation shared by the Import AI text and HTML parsers (no Django)."""

from __future__ import annotations

import time

import pytest

from articles.importer.importai_structure import (
    Line,
    is_salutation,
    is_separator,
    is_thanks,
    lead_in_end,
    looks_like_source,
    normalize_marks,
    segment_issue,
    split_dek,
    strip_colon,
    strip_ellipses,
)
from articles.importer.types import (
    EMPHASIS,
    INTRO,
    LINK,
    LIST_ITEM,
    READER_COMMENTS,
    SOURCE,
    STORY,
    STRONG,
    TECH_TALE,
    TEXT,
    Mark,
    ParseError,
)


def lines(*texts: str) -> list[Line]:
    return [Line(t) for t in texts]


def lead(text: str) -> str:
    return text[: lead_in_end(text)]


# --- lead-ins -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Why this matters - robots are coming: The gizmo walks across the lab floor.", "Why this matters - robots are coming:"),
        ("Synthetic snacks and their uses: The paper bakes cookies with fake flour.", "Synthetic snacks and their uses:"),
        ("300 million photos: The models were trained on a lot of pictures of cats.", "300 million photos:"),
        ("PS: Thanks to the three readers who wrote in about the toaster benchmark.", "PS:"),
        # a bare "Why this matters:" extends to the next colon
        ("Why this matters: toasters will win: Everyone needs breakfast eventually.", "Why this matters: toasters will win:"),
        # a long "Why this matters - …" lead-in is still a lead-in
        (
            "Why this matters - the quiet kettle league is going to be bigger than anyone at the "
            "conference expected it to be: A long explanation follows here.",
            "Why this matters - the quiet kettle league is going to be bigger than anyone at the "
            "conference expected it to be:",
        ),
    ],
)
def test_lead_in_is_marked(text: str, expected: str) -> None:
    assert lead(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "2018: 1.9%",  # remainder tiny
        "MMLU: 84.8, versus 79.9 for Widget 2.5 14b instruct, and 85.3 for Widget 2.5 75b.",  # number
        "Some rough specifications:",  # nothing after the colon
        "lowercase start: this is not a lead-in even though it is long enough.",
        '"Quoted speech: starts with a quote mark so it is not a lead-in at all," they said.',
        "Small kettles (here: tiny ones) can boil water nearly as fast as big kettles do.",
        "It rained. Then the robot said: hello there, it is nice to meet you all.",
        "A prefix that goes on and on and on and on and on and on and on and on and on and on and "
        "on and on: then the rest of the sentence which is long enough.",
        "No colon here at all, just a sentence that keeps going for a while.",
        "Time 10:30 was when it happened and nothing else was going on.",
    ],
)
def test_lead_in_not_marked(text: str) -> None:
    assert lead_in_end(text) == 0


# --- sources ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Read more: A paper about kettles (arXiv).",
        "Read the research: Kettle report (arXiv).",
        "Read more on mastodon (someone, mastodon).",
        "Get the code here (Kettles, GitHub).",
        "Get an implementation of Kettle here: Kettle (someone, GitHub).",
        "Watch the kettle demo here (Kettle Co, YouTube).",
        "Check out the leaderboard here (Kettle Prize).",
        "Download the dataset here (Kettle, HuggingFace).",
        "More about the first kettle here (Kettle labs).",
    ],
)
def test_looks_like_source(text: str) -> None:
    assert looks_like_source(Line(text))


@pytest.mark.parametrize(
    "text",
    [
        "Watch out for kettles, they are hot.",  # verb without "here"
        "Researchers read more papers than ever.",
        "Reading more: not a source.",
        "Get " + "x" * 500,  # too long
    ],
)
def test_not_source(text: str) -> None:
    assert not looks_like_source(Line(text))


def test_list_item_is_never_a_source() -> None:
    assert not looks_like_source(Line("Read more: something (arXiv).", list_item=True))


def test_sources_only_at_story_end_and_ps_is_skipped() -> None:
    sections = segment_issue(
        lines(
            "Kettles boil faster now:",
            "…A dek about kettles…",
            "Get this: the kettle does not need a plug anymore and runs on hope.",
            "Ordinary paragraph about kettles.",
            "Read more: Kettle paper (arXiv).",
            "Watch the kettle here (Kettle Co).",
            "PS: Thanks to the reader who spotted the typo.",
        ),
        infer_lead_ins=True,
    )
    kinds = [p.kind for p in sections[0].paragraphs]
    assert kinds == [TEXT, TEXT, SOURCE, SOURCE, TEXT]


# --- deks, headlines, small helpers --------------------------------------------------------------


def test_split_dek_whole_line() -> None:
    assert split_dek(Line("…Kettles are back…")) == ("Kettles are back", None)
    assert split_dek(Line("…Are kettles back?...")) == ("Are kettles back?", None)
    assert split_dek(Line("…Wait… kettles?…")) == ("Wait… kettles?", None)


def test_split_dek_shared_with_first_paragraph() -> None:
    dek, rest = split_dek(Line("…Kettles are back…New research shows kettles are back."))
    assert dek == "Kettles are back"
    assert rest == Line("New research shows kettles are back.")


def test_split_dek_moves_marks_of_the_rest() -> None:
    line = Line("…Dek…Body with link.", (Mark(EMPHASIS, 0, 5), Mark(LINK, 15, 19, "https://x.test/")))
    _dek, rest = split_dek(line)
    assert rest is not None
    assert rest.text == "Body with link."
    assert rest.marks == (Mark(LINK, 10, 14, "https://x.test/"),)
    assert rest.text[10:14] == "link"


def test_small_helpers() -> None:
    assert strip_ellipses("…I expect things…") == "I expect things"
    assert strip_ellipses("...dots...") == "dots"
    assert strip_ellipses("no ellipses") == "no ellipses"
    assert strip_colon("Headline:") == "Headline"
    assert strip_colon("No colon") == "No colon"
    assert is_separator("***") and is_separator("* * *") and not is_separator("**")
    assert is_thanks("Thanks for reading!") and is_thanks("Thanks for reading.")
    assert is_thanks("Thanks for reading") and not is_thanks("Thanks for reading this far, friends")
    assert is_salutation("Dr. Nagase,") and is_salutation("Hi Jack,")
    assert not is_salutation("I think that, on balance, kettles are wonderful and so are pots,")


def test_normalize_marks_trims_and_merges() -> None:
    text = "Bold part: rest"
    marks = normalize_marks(text, [Mark(STRONG, 0, 5), Mark(STRONG, 5, 11), Mark(EMPHASIS, 11, 11)])
    assert marks == (Mark(STRONG, 0, 10),)
    assert text[0:10] == "Bold part:"


def test_line_slice_shifts_marks() -> None:
    line = Line("  hello world  ", (Mark(STRONG, 2, 7), Mark(EMPHASIS, 8, 15)))
    assert line.stripped() == Line("hello world", (Mark(STRONG, 0, 5), Mark(EMPHASIS, 6, 11)))


# --- segmentation ------------------------------------------------------------------------------


def test_segment_full_issue() -> None:
    sections = segment_issue(
        lines(
            "Welcome to the kettle newsletter.",
            "Kettles boil faster now:",
            "…A dek about kettles…",
            "First paragraph.",
            "***",
            "Pots are also good:",
            "No dek in this one, just a paragraph.",
            "Read more: Pot paper (arXiv).",
            "***",
            "Tech Tales:",
            "The Last Kettle",
            "[Kitchen, 2099]",
            "The kettle sang one last time.",
            "Things that inspired this story: kettles, mostly, and some of the pots too.",
            "Thanks for reading!",
            "Great issue, loved the kettles.",
            "Hi Jack,",
            "Two lines",
            "of comment.",
        ),
        infer_lead_ins=True,
    )
    assert [s.kind for s in sections] == [INTRO, STORY, STORY, TECH_TALE, READER_COMMENTS]
    assert [s.headline for s in sections] == [
        "",
        "Kettles boil faster now",
        "Pots are also good",
        "The Last Kettle",
        "Reader comments",
    ]
    assert [s.dek for s in sections] == ["", "A dek about kettles", "", "Kitchen, 2099", ""]
    assert [len(s.paragraphs) for s in sections] == [1, 1, 2, 2, 2]
    tale = sections[3]
    assert tale.paragraphs[1].marks == (Mark(STRONG, 0, 32),)
    comments = sections[4].paragraphs
    assert [c.text for c in comments] == ["Great issue, loved the kettles.", "Hi Jack,\nTwo lines\nof comment."]


def test_story_without_colon_headline_has_empty_headline() -> None:
    sections = segment_issue(
        lines("Intro text.", "Real headline:", "Para.", "***", "Just a note without headline.", "More."),
        infer_lead_ins=True,
    )
    assert [(s.kind, s.headline, len(s.paragraphs)) for s in sections] == [
        (INTRO, "", 1),
        (STORY, "Real headline", 1),
        (STORY, "", 2),
    ]


def test_headline_followed_by_dek_needs_no_colon() -> None:
    sections = segment_issue(lines("Headline:", "x", "***", "No colon headline", "…dek…", "body"), infer_lead_ins=False)
    assert (sections[1].headline, sections[1].dek) == ("No colon headline", "dek")


def test_list_items_become_list_item_paragraphs() -> None:
    sections = segment_issue(
        [Line("Headline:"), Line("intro"), Line("one", list_item=True), Line("two", list_item=True)],
        infer_lead_ins=False,
    )
    assert [p.kind for p in sections[0].paragraphs] == [TEXT, LIST_ITEM, LIST_ITEM]


def test_tech_tale_without_setting() -> None:
    sections = segment_issue(lines("H:", "p", "***", "Tech Tales:", "Title:", "Topics: a, b, c"), infer_lead_ins=True)
    assert (sections[-1].kind, sections[-1].headline, sections[-1].dek) == (TECH_TALE, "Title", "")
    assert [p.text for p in sections[-1].paragraphs] == ["Topics: a, b, c"]


@pytest.mark.parametrize(
    "texts",
    [
        (),
        ("Only an intro line.",),
        ("Only an intro.", "Thanks for reading!", "Headline after thanks:", "text"),
        ("Tech Tales:", "A tale", "text"),
        ("***", "***"),
    ],
)
def test_no_stories_raises(texts: tuple[str, ...]) -> None:
    with pytest.raises(ParseError, match="no stories found"):
        segment_issue(lines(*texts), infer_lead_ins=True)


def test_huge_line_is_fast() -> None:
    big = "Why this matters: " + "word " * 200_000
    start = time.perf_counter()
    sections = segment_issue(lines("Headline:", "…" + "x…" * 100_000, big, "Read more " * 50_000), infer_lead_ins=True)
    assert time.perf_counter() - start < 1.0
    assert sections[0].paragraphs[-2].marks == (Mark(STRONG, 0, 17),)
