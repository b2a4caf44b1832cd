"""The Substack HTML Import AI parser, against seed 002 and invented snippets."""

from __future__ import annotations

import time

import pytest

from articles.importer.importai_html import flatten_html, parse_importai_html, safe_href
from articles.importer.importai_structure import Line
from articles.importer.types import (
    EMPHASIS,
    IMPORTAI_HTML,
    INTRO,
    LINK,
    LIST_ITEM,
    SOURCE,
    STORY,
    STRONG,
    TECH_TALE,
    TEXT,
    Mark,
    ParsedIssue,
    ParsedParagraph,
    ParseError,
)
from tests.seeds import seed_bytes


def parse_seed() -> ParsedIssue:
    return parse_importai_html(seed_bytes("002").decode("utf-8"))


def all_paragraphs(issue: ParsedIssue) -> list[ParsedParagraph]:
    return [p for s in issue.sections for p in s.paragraphs]


def marked(issue: ParsedIssue, kind: str) -> list[str]:
    return [p.text[m.start : m.end] for p in all_paragraphs(issue) for m in p.marks if m.kind == kind]


def assert_marks_valid(issue: ParsedIssue) -> None:
    for p in all_paragraphs(issue):
        for m in p.marks:
            assert 0 <= m.start < m.end <= len(p.text), (m, p.text[:80])
            assert p.text[m.start : m.end] == p.text[m.start : m.end].strip()
            assert (m.kind == LINK) == bool(m.href)
            assert not m.href or m.href.startswith(("http://", "https://"))


# --- seed 002 ------------------------------------------------------------------------------------------


def test_seed_002_header_and_sections() -> None:
    issue = parse_seed()
    assert issue.format == IMPORTAI_HTML
    assert issue.newsletter == "Import AI"
    assert issue.number is None
    assert issue.subtitle == ""
    assert issue.title == (
        "DeepMind figures out a way to make it 100X more bandwidth-efficient to train models in a distributed way"
    )
    assert [s.headline for s in issue.sections] == [
        "",
        "DeepMind figures out a way to make it 100X more bandwidth-efficient to train models in a distributed way",
        "Chinese scientists worry about AI self-replication, just like Western ones",
        "Facebook figures out a zero-training way to massively improve LLM performance",
        "Even if we solve AI alignment, it's going to be hard to stop human disempowerment",
        "China's other great AI startup also has a reasoning model now - but it's not open source",
        "The photographic negative phenomenon and the declassification crisis for the intelligence community",
    ]
    assert [s.kind for s in issue.sections] == [INTRO] + [STORY] * 5 + [TECH_TALE]
    assert [len(s.paragraphs) for s in issue.sections] == [1, 12, 5, 7, 11, 9, 20]
    assert [sum(p.kind == SOURCE for p in s.paragraphs) for s in issue.sections] == [0, 1, 1, 2, 1, 1, 0]
    assert [sum(p.kind == LIST_ITEM for p in s.paragraphs) for s in issue.sections] == [0, 5, 0, 0, 3, 3, 0]
    assert issue.sections[0].paragraphs[0].text.startswith("Welcome to Import AI, a newsletter about AI research.")
    assert issue.notes == ()


def test_seed_002_deks() -> None:
    issue = parse_seed()
    assert issue.sections[1].dek == (
        "New research further reduces the need for single vast data centers for training big models"
    )
    assert issue.sections[3].dek == (
        "Remember GANs? Just use the GAN approach where you LLM is a generator and a specialized system "
        "is the discriminator"
    )
    assert issue.sections[1].paragraphs[0].text.startswith("During the past few years")


def test_seed_002_mid_story_bold_paragraph_and_list_items() -> None:
    story = parse_seed().sections[1]
    bold = story.paragraphs[3]
    assert bold.text == "Three improvements to DiLoCo:"
    assert bold.kind == TEXT
    assert bold.marks == (Mark(STRONG, 0, len(bold.text)),)
    first_item = story.paragraphs[4]
    assert first_item.kind == LIST_ITEM
    assert first_item.text[first_item.marks[0].start : first_item.marks[0].end] == (
        "Synchronize only subsets of parameters in sequence, rather than all at once"
    )


def test_seed_002_links() -> None:
    issue = parse_seed()
    links = [(p.text[m.start : m.end], m.href) for p in all_paragraphs(issue) for m in p.marks if m.kind == LINK]
    assert len(links) == 10
    hrefs = [href for _text, href in links]
    assert "https://arxiv.org/abs/2501.18512v1" in hrefs
    assert "https://github.com/facebookresearch/MILS" in hrefs
    assert ("OpenAI about o1", "https://cdn.openai.com/o1-system-card.pdf") in links
    read_more = issue.sections[1].paragraphs[-1]
    assert read_more.kind == SOURCE
    assert read_more.text == (
        "Read more: Streaming DiLoCo with overlapping communication: Towards a Distributed Free Lunch (arXiv)."
    )
    assert [read_more.text[m.start : m.end] for m in read_more.marks] == [
        "Read more",
        "Streaming DiLoCo with overlapping communication: Towards a Distributed Free Lunch (arXiv)",
    ]
    code = issue.sections[3].paragraphs[-1]
    assert code.kind == SOURCE and code.text.startswith("Get the code for running MILS here")


def test_seed_002_lead_ins_and_emphasis() -> None:
    issue = parse_seed()
    strong = marked(issue, STRONG)
    assert "Why this matters - AI systems are way more powerful than we think:" in strong
    assert "Findings:" in strong
    assert "Topics:" in strong
    assert len(strong) == 37
    assert marked(issue, EMPHASIS) == [
        "existing",
        "solution",
        "everything",
        "inevitably",
        "LLaMa-10 response via opinion forming and data landscape intervention:",
        "significant",
        "BLOSSOM-8 risks and CPS impacts:",
        "Chinese knowledge of CPS and BLOSSOM-8 threat:",
    ]
    # the leading-space line after a single <br /> is its own paragraph
    replication = issue.sections[2].paragraphs
    assert replication[3].text.startswith("We hope our work serves as a timely alert")


def test_seed_002_tech_tale() -> None:
    tale = parse_seed().sections[-1]
    assert tale.kind == TECH_TALE
    assert tale.dek == ""
    topics = tale.paragraphs[0]
    assert topics.text.startswith("Topics: Controlled Precursor Science (CPS).")
    assert topics.marks[0] == Mark(STRONG, 0, len("Topics:"))
    assert tale.paragraphs[1].text == "Summary:"
    assert tale.paragraphs[-1].text.startswith("Things that inspired this story: The basic fact")


def test_seed_002_clean_text() -> None:
    issue = parse_seed()
    assert_marks_valid(issue)
    texts = [p.text for p in all_paragraphs(issue)] + [s.headline for s in issue.sections] + [s.dek for s in issue.sections]
    assert not any("Subscribe now" in t for t in texts)
    assert not any("<" in t or "&#" in t or "***" in t for t in texts)
    assert not any("Thanks for reading" in t for t in texts)
    assert all(p.text == p.text.strip() and "  " not in p.text for p in all_paragraphs(issue))


# --- invented snippets ----------------------------------------------------------------------------------

SMALL = (
    "<p>Welcome to the kettle letter.</p>"
    '<p class="button-wrapper"><a href="https://x.test/subscribe"><span>Subscribe now</span></a></p>'
    "<p><strong>Kettles boil faster:<br /></strong><em>&#8230;A dek&#8230;<br /></em>Body with "
    '<a href="https://x.test/a">a link</a> and <a href="javascript:alert(1)">a trap</a>.<br /><br />'
    "<strong>Why this matters:</strong> tea.<br />   <strong>Read more</strong>: "
    '<a href="/relative">Kettle paper</a>.<br /><br />***<br /><br />'
    "<strong>Pans too:</strong><br />No dek here.</p>"
    "<script>var s = 'Headline:';</script><style>p { color: red }</style>"
    '<p>Tea<img src="x.png"> time<iframe>frame text</iframe>.</p>'
)


def test_small_document() -> None:
    issue = parse_importai_html(SMALL)
    assert issue.title == "Kettles boil faster"
    assert [s.headline for s in issue.sections] == ["", "Kettles boil faster", "Pans too"]
    kettle = issue.sections[1]
    assert kettle.dek == "A dek"
    body = kettle.paragraphs[0]
    assert body.text == "Body with a link and a trap."
    assert body.marks == (Mark(LINK, 10, 16, "https://x.test/a"),)
    assert [p.kind for p in kettle.paragraphs] == [TEXT, TEXT, SOURCE]
    assert kettle.paragraphs[2].marks == (Mark(STRONG, 0, 9),)  # relative href: text kept, no link
    assert kettle.paragraphs[2].text == "Read more: Kettle paper."
    pans = issue.sections[2]
    assert [p.text for p in pans.paragraphs] == ["No dek here.", "Tea time."]
    assert issue.notes == ("2 link(s) without an http(s) address were kept as plain text",)
    assert_marks_valid(issue)


def test_flatten_splits_marks_across_line_breaks() -> None:
    lines, _ = flatten_html('<p><strong>One<br/>Two <a href="https://x.test/">three<br/>four</a></strong></p>')
    assert lines == [
        Line("One", (Mark(STRONG, 0, 3),)),
        Line("Two three", (Mark(STRONG, 0, 9), Mark(LINK, 4, 9, "https://x.test/"))),
        Line("four", (Mark(LINK, 0, 4, "https://x.test/"), Mark(STRONG, 0, 4))),
    ]


def test_flatten_collapses_whitespace_and_skips_comments() -> None:
    lines, _ = flatten_html("<div>  a \n\t b <!-- hidden --> <b> c </b>d</div><ul><li><p>item</p></li></ul>")
    assert lines == [Line("a b c d", (Mark(STRONG, 4, 5),)), Line("item", (), list_item=True)]


@pytest.mark.parametrize(
    ("href", "expected"),
    [
        ("https://x.test/a", "https://x.test/a"),
        (" http://x.test/a b ", "http://x.test/a%20b"),
        ("javascript:alert(1)", ""),
        ("JavaScript:alert(1)", ""),
        ("java\tscript:alert(1)", ""),
        ("/relative/path", ""),
        ("mailto:a@x.test", ""),
        ("https://", ""),
        ("", ""),
    ],
)
def test_safe_href(href: str, expected: str) -> None:
    assert safe_href(href) == expected


@pytest.mark.parametrize("html", ["", "<html></html>", "<p></p>", "<p>Just some text with no stories.</p>"])
def test_nothing_parseable(html: str) -> None:
    with pytest.raises(ParseError, match="no stories found"):
        parse_importai_html(html)


@pytest.mark.parametrize(
    "html",
    [
        "<div>" * 10_000 + "x" + "</div>" * 10_000,
        "<b>" * 10_000,
        "<b>" * 10_000 + "x<br>" * 10_000,  # quadratic in BeautifulSoup if it were let through
        "<b>" * 10_000 + "</i>" * 10_000 + "x",  # unmatched end tags do not reduce the depth
    ],
    ids=["nested-divs", "unclosed-bold", "bold-and-breaks", "unmatched-ends"],
)
def test_deep_nesting_is_rejected_quickly(html: str) -> None:
    start = time.perf_counter()
    with pytest.raises(ParseError, match="HTML nested too deeply"):
        parse_importai_html(html)
    assert time.perf_counter() - start < 1.0


def test_moderate_nesting_parses() -> None:
    html = "<div>" * 200 + "<p><strong>Deep story:</strong><br/>Body.<br>x</p>" + "</div>" * 200
    html += "<p>" + "<span>a</span>" * 1000 + "</p>"  # many siblings are fine: closed tags do not count
    issue = parse_importai_html(html)
    assert issue.title == "Deep story"
    assert [p.text for p in issue.sections[0].paragraphs] == ["Body.", "x", "a" * 1000]


def test_huge_line_in_paragraph_is_fast() -> None:
    start = time.perf_counter()
    with pytest.raises(ParseError):
        parse_importai_html("<p>" + "word " * 200_000 + "</p>")
    issue = parse_importai_html("<p><strong>Big:</strong><br />" + "x" * 1_000_000 + "</p>")
    assert time.perf_counter() - start < 1.0
    assert len(issue.sections[0].paragraphs[0].text) == 1_000_000


@pytest.mark.parametrize(
    ("cut", "still_open"),
    [
        (SMALL[: SMALL.index("A dek")], "<em>"),  # cut inside the dek
        (SMALL[: SMALL.index("a link")], "<a>"),  # cut inside a link
        (SMALL[:-10], "<p>"),  # cut in the last paragraph's text
    ],
)
def test_truncated_html_is_refused(cut: str, still_open: str) -> None:
    with pytest.raises(ParseError, match=f"HTML looks truncated: it ends inside .*{still_open}"):
        parse_importai_html(cut)


def test_omitted_optional_end_tags_are_not_truncation() -> None:
    assert SMALL.endswith(".</p>")
    issue = parse_importai_html(SMALL.removesuffix("</p>") + "<br>")  # last </p> omitted
    assert issue.title == "Kettles boil faster"
