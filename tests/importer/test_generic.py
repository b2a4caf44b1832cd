"""The generic extractor on plain text and on Lines; plain-text links and hard wraps."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from articles.importer.generic import segment_generic
from articles.importer.importai_structure import Line
from articles.importer.textlines import is_hard_wrapped, linkify, text_lines
from articles.importer.types import (
    DOC_HTML,
    DOC_MARKDOWN,
    DOC_TEXT,
    GENERIC_MARKDOWN,
    GENERIC_TEXT,
    INTRO,
    LINK,
    LIST_ITEM,
    STORY,
    STRONG,
    TEXT,
    Mark,
    ParseError,
)
from tests.importer.extract_helpers import marks, outline, run, sample, texts


def test_plain_email_links_and_hard_wrap():
    issue = sample("plain_email.txt")
    assert issue.format == GENERIC_TEXT
    assert issue.title == "Field Notes from the Marsh"
    assert issue.published_at == datetime(2026, 11, 3, tzinfo=UTC)
    assert outline(issue) == [(INTRO, ""), (STORY, "Reed beds")]
    intro = issue.sections[0].paragraphs[0]
    assert intro.text == (
        "Good morning. This week the herons came back early, and the volunteers counted them twice "
        "to be sure. The full tally is on the survey page if you want the numbers."
    )
    assert marks(intro) == [("link", "The full tally is on the survey page", "https://marsh.example.org/tally")]
    reed = issue.sections[1].paragraphs[0]
    assert reed.text == (
        "The reed beds were cut back in October. Our ranger wrote a short guide to the new paths "
        "and a map is at https://marsh.example.org/map."
    )
    assert marks(reed) == [
        ("link", "wrote a short guide to the new paths", "https://marsh.example.org/paths"),
        ("link", "https://marsh.example.org/map", "https://marsh.example.org/map"),
    ]
    assert texts(issue, 1)[1:] == [(TEXT, "See you next week."), (TEXT, "Jo")]
    assert issue.notes == ("removed 2 lines of page chrome (footer)",)


def test_unknown_newsletter_sign_off_and_footer():
    issue = sample("unknown_plain.txt")
    assert issue.newsletter == "" and issue.newsletter_key == ""
    assert issue.title == "The Corner Shop Letter"
    assert outline(issue) == [(INTRO, ""), (STORY, "Opening hours")]
    assert texts(issue, 0) == [
        (TEXT, "Hello neighbours, here is the news from the shop."),
        (TEXT, "We have new bread on Tuesdays."),
    ]
    assert texts(issue, 1) == [(TEXT, "We now open at seven."), (TEXT, "Cheers,"), (TEXT, "Sam")]
    assert issue.notes == ("removed 2 lines of page chrome (footer)",)


def test_no_story_start_makes_one_story():
    issue = run("A title\nJust one paragraph.\nAnd another.\n")
    assert outline(issue) == [(STORY, "")]
    assert texts(issue, 0) == [(TEXT, "Just one paragraph."), (TEXT, "And another.")]


def test_only_chrome_is_refused():
    with pytest.raises(ParseError, match="no text is left"):
        run("View in browser\nShare\n")


def test_text_list_items_and_bold_lead_in_line():
    issue = run("Digest\nIntro words here.\n**Big news**\n- one\n- two\n")
    assert outline(issue) == [(INTRO, ""), (STORY, "Big news")]
    assert texts(issue, 1) == [(LIST_ITEM, "one"), (LIST_ITEM, "two")]


@pytest.mark.parametrize(
    ("text", "expected_text", "expected_marks"),
    [
        ("See the report [ https://r.example/a ]", "See the report", [Mark(LINK, 0, 14, "https://r.example/a")]),
        ("Done. Read it [https://r.example/b].", "Done. Read it.", [Mark(LINK, 6, 13, "https://r.example/b")]),
        ("[https://r.example/c] first", "https://r.example/c first", [Mark(LINK, 0, 19, "https://r.example/c")]),
        ("Go to <https://r.example/d> now", "Go to https://r.example/d now", [Mark(LINK, 6, 25, "https://r.example/d")]),
        ("Bare https://r.example/e, then", "Bare https://r.example/e, then", [Mark(LINK, 5, 24, "https://r.example/e")]),
        ("Unsafe [ javascript:alert(1) ]", "Unsafe [ javascript:alert(1) ]", []),
        (
            "one two three four five six seven eight nine ten [ https://r.example/f ]",
            "one two three four five six seven eight nine ten",
            [Mark(LINK, 8, 48, "https://r.example/f")],  # the last 8 words
        ),
    ],
)
def test_linkify(text, expected_text, expected_marks):
    out, found = linkify(text)
    assert out == expected_text
    assert found == expected_marks


def test_import_ai_style_lines_are_not_joined():
    text = "Import AI 1: x\nA long line that is a whole paragraph on its own.\nAnother one.\n"
    assert not is_hard_wrapped(text)
    assert [x.text for x in text_lines(text)] == [
        "Import AI 1: x", "A long line that is a whole paragraph on its own.", "Another one.",
    ]  # fmt: skip


def test_segment_generic_on_lines():
    bold = Line("Lead story", (Mark(STRONG, 0, 10),))
    lines = [
        Line("Hello."), Line("Group", heading=2), Line("Sub head:", heading=3), Line("Body."),
        Line("***", rule=True), Line("Plain headline:"), Line("More."), bold, Line("Text."),
        Line("Sponsored by Acme"), Line("Buy things."), Line("Deep", heading=5),
    ]  # fmt: skip
    sections, sponsors = segment_generic(lines)
    assert [(s.kind, s.headline) for s in sections] == [
        (INTRO, ""), (STORY, "Sub head"), (STORY, "Plain headline"), (STORY, "Lead story"), (STORY, "Sponsor: Acme"),
    ]  # fmt: skip
    assert [p.text for p in sections[-1].paragraphs] == ["Buy things.", "Deep"]
    assert sponsors == 1


def test_title_heading_is_not_a_story_and_dateline_is_read():
    issue = run("# Owl Post\n\n3 Nov 2026\n\n## Night shift\n\nOwls stayed up.\n")
    assert issue.title == "Owl Post"
    assert issue.published_at == datetime(2026, 11, 3, tzinfo=UTC)
    assert outline(issue) == [(STORY, "Night shift")]


LEAD_IN_HTML = (
    "<h1>Workshop digest</h1>"
    "<p>Three ideas from an invented workshop.</p>"
    "<p><strong>Planner-executor split:</strong> One small model plans, a second one acts, and "
    "<a href=\"https://lab.example/notes\">the notes</a> say it halves retries.</p>"
    "<p>A second paragraph about the split.</p>"
    "<p><strong>Quiet caches</strong>: Warm caches were kept <em>per team</em>.</p>"
    "<p><strong>Note:</strong> this one is a remark, not a story.</p>"
)


def test_inline_bold_lead_ins_start_stories_in_html():
    issue = run(LEAD_IN_HTML, DOC_HTML)
    assert issue.title == "Workshop digest"
    assert outline(issue) == [(INTRO, ""), (STORY, "Planner-executor split"), (STORY, "Quiet caches")]
    assert texts(issue, 0) == [(TEXT, "Three ideas from an invented workshop.")]
    first = issue.sections[1].paragraphs[0]
    assert first.text == "One small model plans, a second one acts, and the notes say it halves retries."
    assert marks(first) == [("link", "the notes", "https://lab.example/notes")]  # the STRONG mark went to the headline
    assert texts(issue, 1)[1:] == [(TEXT, "A second paragraph about the split.")]
    assert texts(issue, 2) == [
        (TEXT, "Warm caches were kept per team."),
        (TEXT, "Note: this one is a remark, not a story."),
    ]
    assert marks(issue.sections[2].paragraphs[0]) == [("em", "per team", "")]
    assert marks(issue.sections[2].paragraphs[1]) == [("strong", "Note:", "")]


def test_inline_bold_lead_ins_in_markdown():
    issue = run(
        "# Bench notes\n\nHello.\n\n**Planner-executor split:** The planner wrote a list.\n\n"
        "**Tool budgets:** Each tool got three calls.\n",
        DOC_MARKDOWN,
    )
    assert issue.format == GENERIC_MARKDOWN
    assert outline(issue) == [(INTRO, ""), (STORY, "Planner-executor split"), (STORY, "Tool budgets")]
    assert texts(issue, 1) == [(TEXT, "The planner wrote a list.")]
    assert texts(issue, 2) == [(TEXT, "Each tool got three calls.")]


@pytest.mark.parametrize("body", [
    # one lead-in alone is not a pattern
    "# Bench notes\n\nHello.\n\n**Planner-executor split:** The planner wrote a list.\n\nMore text.\n",
    # labels never count, however many there are
    "# Bench notes\n\nHello.\n\n**Note:** The planner wrote a list.\n\n**Why this matters:** It is tidy.\n\n"
    "**Why this matters:** It is cheap.\n",
    # a bold span longer than 80 characters, or without a colon, is emphasis, not a headline
    "# Bench notes\n\n**" + "Long " * 17 + "lead:** text one.\n\n**" + "Long " * 17 + "lead:** text two.\n",
    "# Bench notes\n\n**Planner** wrote a list.\n\n**Executor** ran it.\n",
])
def test_bold_spans_that_do_not_start_stories(body):
    issue = run(body, DOC_MARKDOWN)
    assert outline(issue) == [(STORY, "")]
    assert all(m.kind == STRONG for p in issue.sections[0].paragraphs for m in p.marks if m.start == 0)


FORWARDED_PLAIN = """Forwarded this email? Subscribe here [ https://lantern.example/subscribe ]
View this email in your browser [ https://lantern.example/p/seven ]

Lantern Letter 7

Hello from the invented lantern club. The meeting notes [ https://lantern.example/notes ] are up,
and the **wick survey** closes soon <https://lantern.example/survey>.

**Wicks**

Cotton wicks [https://lantern.example/cotton] burned longest. A real link stays: [the chart](https://lantern.example/chart).
"""


def test_plain_links_in_a_plain_email_read_as_markdown():
    issue = run(FORWARDED_PLAIN, DOC_TEXT)
    assert issue.format == GENERIC_MARKDOWN
    assert issue.title == "Lantern Letter 7"
    assert issue.url == "https://lantern.example/p/seven"  # the view-in-browser line, not the subscribe one
    assert outline(issue) == [(INTRO, ""), (STORY, "Wicks")]
    intro = issue.sections[0].paragraphs[0]
    assert intro.text == (
        "Hello from the invented lantern club. The meeting notes are up, and the wick survey closes soon "
        "https://lantern.example/survey."
    )
    assert marks(intro) == [
        ("link", "The meeting notes", "https://lantern.example/notes"),
        ("strong", "wick survey", ""),
        ("link", "https://lantern.example/survey", "https://lantern.example/survey"),
    ]
    wicks = issue.sections[1].paragraphs[0]
    assert wicks.text == "Cotton wicks burned longest. A real link stays: the chart."
    assert marks(wicks) == [
        ("link", "Cotton wicks", "https://lantern.example/cotton"),
        ("link", "the chart", "https://lantern.example/chart"),
    ]
    assert issue.notes == ("removed 2 lines of page chrome (header)",)


@pytest.mark.parametrize("line", [
    "Forwarded this email? Subscribe here [ https://lantern.example/subscribe ]",
    "Subscribe <https://lantern.example/subscribe>",
    "Share [ https://lantern.example/share ]",
    "Open in app [ https://lantern.example/app ]",
])
def test_a_chrome_line_link_is_never_the_issue_url(line):
    issue = run(f"{line}\n\nLantern Letter 8\n\nThe wicks were trimmed.\n")
    assert issue.url == ""
    assert issue.title == "Lantern Letter 8"
    assert texts(issue, 0) == [(TEXT, "The wicks were trimmed.")]


@pytest.mark.parametrize(("top", "url"), [
    ('<p><a href="https://lantern.example/subscribe">Subscribe now</a></p>', ""),
    ('<p>Forwarded this email? <a href="https://lantern.example/subscribe">Subscribe here</a> for more</p>', ""),
    ('<p><a href="https://lantern.example/p/nine">View online</a></p>', "https://lantern.example/p/nine"),
    ('<p><a href="https://lantern.example/p/nine">Read online</a></p>', "https://lantern.example/p/nine"),
    ('<p>View this post on the web at <a href="https://lantern.example/p/nine">lantern.example</a></p>',
     "https://lantern.example/p/nine"),
])
def test_html_top_line_url_only_from_a_view_online_line(top, url):
    issue = run(top + "<h1>Lantern Letter 9</h1><p>The wicks were trimmed.</p>", DOC_HTML)
    assert issue.url == url
    assert texts(issue, 0) == [(TEXT, "The wicks were trimmed.")]


def test_view_in_browser_with_a_plain_url_form_is_top_chrome():
    from articles.importer.chrome import is_top_chrome, is_view_online, top_url

    for line in ("View this email in your browser [ https://lantern.example/p/7 ]",
                 "View this email in your browser <https://lantern.example/p/7>",
                 "View in browser: https://lantern.example/p/7",
                 "[View online](https://lantern.example/p/7)"):
        assert is_top_chrome(line) and is_view_online(line)
        assert top_url(line) == "https://lantern.example/p/7"
    assert is_top_chrome("Forwarded this email? Subscribe here [ https://lantern.example/s ]")
    assert top_url("Forwarded this email? Subscribe here [ https://lantern.example/s ]") == ""
