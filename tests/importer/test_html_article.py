"""HTML pages and e-mails of the big platforms → article body, metadata, chrome removed."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from articles.importer.html_article import read_html, site_key
from articles.importer.types import (
    DOC_HTML,
    GENERIC_HTML,
    IMPORTAI_HTML,
    INTRO,
    LIST_ITEM,
    QUOTE,
    SOURCE,
    STORY,
    TEXT,
    ParseError,
    SourceMeta,
)  # fmt: skip
from tests.importer.extract_helpers import marks, outline, run, sample, texts


def test_substack_post_page():
    issue = sample("substack_post.html")
    assert issue.format == GENERIC_HTML
    assert issue.title == "Lanterns and Ledgers 12: the quiet week"
    assert issue.subtitle == "Three small things worth knowing"
    assert issue.newsletter == "Lantern Notes"
    assert issue.newsletter_key == "site:lanternnotes.example.com"
    assert issue.url == "https://www.LanternNotes.example.com/p/quiet-week"
    assert issue.author == "Ada Quill"
    assert issue.published_at == datetime(2026, 3, 4, 9, 30, tzinfo=UTC)
    assert outline(issue) == [(INTRO, ""), (STORY, "The library opens late"), (STORY, "A bridge gets painted")]
    assert texts(issue, 0) == [(TEXT, "Hello friends, a short one this week.")]
    library = issue.sections[1].paragraphs[0]
    assert library.text == "The town library now stays open until ten. Read more"
    assert marks(library) == [
        ("strong", "town library", ""), ("em", "ten", ""),
        ("link", "Read more", "https://library.example.org/hours"),
    ]  # fmt: skip
    assert texts(issue, 2) == [
        (TEXT, "Volunteers painted the old bridge blue."),
        (LIST_ITEM, "Paint: donated"),
        (LIST_ITEM, "Brushes: borrowed"),
        (QUOTE, "It looks like the sky now."),
        (TEXT, "Thanks for reading!"),
    ]
    assert issue.notes == ("removed 1 line of page chrome (subscribe/share)",)
    everything = " ".join(p.text for s in issue.sections for p in s.paragraphs)
    assert "Comments" not in everything and "Unsubscribe" not in everything and "Subscribe" not in everything


def test_substack_email_body():
    issue = sample("substack_email.html")
    assert issue.title == "Pebble Weekly: the census"
    assert issue.subtitle == "Counting what is small"
    assert issue.newsletter == "" and issue.newsletter_key == ""
    assert outline(issue) == [(INTRO, ""), (STORY, "The pebble census")]
    assert texts(issue, 1) == [(TEXT, "We counted 412 pebbles.")]
    assert marks(issue.sections[1].paragraphs[0]) == [("strong", "412", "")]
    assert issue.notes == ("removed 1 line of page chrome (subscribe/share)",)


def test_beehiiv_post_keeps_the_sponsor_block_labelled():
    issue = sample("beehiiv_post.html")
    assert issue.title == "Garden Circuit #31"
    assert issue.newsletter == "Garden Circuit"
    assert issue.newsletter_key == "site:gardencircuit.example.net"
    assert issue.url == "https://gardencircuit.example.net/p/issue-31"
    assert issue.author == "Rafe Moss"
    assert issue.published_at == datetime(2026, 5, 20, 7, 0, tzinfo=UTC)
    assert outline(issue) == [(INTRO, ""), (STORY, "Sponsor: SoilSense"), (STORY, "Tomatoes in May")]
    assert texts(issue, 1) == [(TEXT, "SoilSense measures moisture so you do not have to.")]
    assert texts(issue, 2) == [(TEXT, "Plant them after the last frost."), (TEXT, "See you next week.")]
    assert issue.subtitle == ""
    assert issue.notes == (
        "removed 3 lines of page chrome (footer)",
        "kept 1 sponsor block(s) as sections headed 'Sponsor: …'",
    )


def test_ghost_page():
    issue = sample("ghost_page.html")
    assert issue.title == "Tidepool Dispatch: Kelp season"
    assert issue.newsletter == "Tidepool Dispatch"
    assert issue.newsletter_key == "site:tidepool.example.org"
    assert issue.published_at == datetime(2026, 6, 1, tzinfo=UTC)
    assert outline(issue) == [(INTRO, ""), (STORY, "Why it matters")]
    assert texts(issue, 1) == [(TEXT, "More kelp means more fish. bad link")]
    assert issue.sections[1].paragraphs[0].marks == ()
    assert issue.notes == (
        "1 link(s) without an http(s) address were kept as plain text",
        "removed 1 line of page chrome (subscribe/share)",
    )


def test_wordpress_page():
    issue = sample("wordpress_page.html")
    assert issue.title == "Thread count"
    assert issue.newsletter == "Weekly Loom"
    assert issue.newsletter_key == "site:weeklyloom.example.com"
    assert outline(issue) == [(INTRO, ""), (STORY, "Linen")]
    assert texts(issue, 1) == [(TEXT, "Linen is strong.")]
    assert issue.notes == ("removed 2 lines of page chrome (subscribe/share, page)",)


def test_buttondown_email_sign_off_and_footer():
    issue = sample("buttondown_email.html")
    assert issue.title == "Workshop notes, week 9"
    assert outline(issue) == [(INTRO, ""), (STORY, "New lathe"), (STORY, "Open day")]
    assert texts(issue, 0) == [(TEXT, "Hi all,"), (TEXT, "Two notes from the workshop.")]
    assert marks(issue.sections[1].paragraphs[0]) == [("link", "Tuesday", "https://workshop.example.com/lathe")]
    assert texts(issue, 2) == [(TEXT, "Come by on Saturday."), (TEXT, "Until next time,"), (TEXT, "Bo")]
    assert issue.notes == ("removed 2 lines of page chrome (footer)",)


def test_mailchimp_email():
    issue = sample("mailchimp_email.html")
    assert issue.title == "Harbor Bulletin: boats are back"
    assert outline(issue) == [(INTRO, ""), (STORY, "Ferry times change")]
    assert texts(issue, 0) == [(TEXT, "Spring has arrived at the harbor.")]
    assert texts(issue, 1) == [(TEXT, "The ferry now leaves at eight.")]


def test_channel_meta_fills_and_wins_for_the_newsletter_name():
    meta = SourceMeta(newsletter="Harbor (from the sender)", newsletter_key="email:news@harbor.example")
    issue = sample("mailchimp_email.html", meta)
    assert issue.newsletter == "Harbor (from the sender)"
    assert issue.newsletter_key == "email:news@harbor.example"


def test_unknown_page_with_chrome_goes_through_trafilatura():
    filler = "This paragraph is long enough to look like real writing about the river walk. " * 3
    html = (
        "<html><head><title>River walk</title></head><body><nav><a href='/'>Home</a></nav>"
        f"<div class='x'><h1>River walk</h1><p>{filler}</p><h2>The bridge</h2><p>{filler}</p></div>"
        "<footer>© 2026 River</footer></body></html>"
    )
    issue = run(html, DOC_HTML)
    assert issue.title == "River walk"
    assert outline(issue) == [(INTRO, ""), (STORY, "The bridge")]
    assert "article body found by trafilatura (no known newsletter layout)" in issue.notes


def test_fragment_truncated_is_refused_but_a_sloppy_page_is_not():
    with pytest.raises(ParseError, match="truncated"):
        run("<p>Hello <div>world", DOC_HTML)
    issue = run("<html><body><div><p>Hello there.<p>Second line of the page.", DOC_HTML)
    assert [p.text for s in issue.sections for p in s.paragraphs] == ["Hello there.", "Second line of the page."]


def test_source_lines_and_headline_colons():
    html = "<h1>Weekly</h1><h2>Models:</h2><p>A thing happened.</p><p>Read more: <a href='https://a.example/x'>the paper</a></p>"
    issue = run(html, DOC_HTML)
    assert issue.title == "Weekly"
    assert outline(issue) == [(STORY, "Models")]
    assert texts(issue, 0) == [(TEXT, "A thing happened."), (SOURCE, "Read more: the paper")]


def test_importai_substack_page_uses_the_refinement():
    html = (
        "<html><head><meta property='og:title' content='Import AI 411: Kettles; clocks'>"
        "<link rel='canonical' href='https://importai.substack.com/p/import-ai-411'></head><body>"
        "<div class='body markup'><p>Welcome to Import AI, an invented test issue.</p>"
        "<p><strong>Kettles learn to whistle:<br></strong><em>…A dek about kettles…<br></em>Some text.</p>"
        "<p>***</p><p><strong>Clocks:</strong></p><p>Tick.</p><p>Thanks for reading!</p>"
        "<p>Reader One,</p><p>Nice issue.</p><p>Unsubscribe</p><p>© 2026 Jack</p></div></body></html>"
    )
    issue = run(html, DOC_HTML)
    assert issue.format == IMPORTAI_HTML
    assert (issue.number, issue.title, issue.newsletter_key) == (411, "Kettles; clocks", "name:import-ai")
    assert issue.url == "https://importai.substack.com/p/import-ai-411"
    assert outline(issue) == [
        (INTRO, ""), (STORY, "Kettles learn to whistle"), (STORY, "Clocks"), ("reader_comments", "Reader comments"),
    ]  # fmt: skip
    assert issue.sections[1].dek == "A dek about kettles"
    assert texts(issue, 3) == [(TEXT, "Reader One,\nNice issue.")]
    assert issue.notes == ("removed 2 lines of page chrome (footer)",)


@pytest.mark.parametrize(
    ("url", "key"),
    [("https://WWW.Example.COM/a", "site:example.com"), ("", ""), ("http://news.example.org", "site:news.example.org")],
)
def test_site_key(url, key):
    assert site_key(url) == key


def test_fragment_is_used_as_is():
    page = read_html("<p>Just a body</p>")
    assert page.body == "<p>Just a body</p>" and page.title == ""


SUBSTACK_EMAIL_META = """<html><body><table>
<tr><td><p class="publication-name">The Gravel Note</p></td></tr>
<tr><td><h1 class="post-title"><a href="https://Gravel.Substack.example/p/sorting-sand?utm_source=email">Sorting sand</a></h1>
<h3 class="subtitle">Grain by grain</h3></td></tr>
<tr><td><div class="post-meta"><span>Tove Brandt</span><span>Apr 2, 2026</span><span>Paid</span></div></td></tr>
<tr><td><div class="body markup"><p>We sorted the sand by size this week.</p><h3>Fine grains</h3><p>They blew away.</p></div></td></tr>
</table></body></html>"""


def test_substack_email_date_url_key_and_name_from_the_post_header():
    issue = run(SUBSTACK_EMAIL_META, DOC_HTML)
    assert issue.title == "Sorting sand"
    assert issue.subtitle == "Grain by grain"
    assert issue.newsletter == "The Gravel Note"
    assert issue.url == "https://Gravel.Substack.example/p/sorting-sand?utm_source=email"
    assert issue.newsletter_key == "site:gravel.substack.example"
    assert issue.published_at == datetime(2026, 4, 2, tzinfo=UTC)
    assert outline(issue) == [(INTRO, ""), (STORY, "Fine grains")]


def test_a_date_line_near_the_top_of_an_email_without_post_meta():
    html = SUBSTACK_EMAIL_META.replace('<div class="post-meta">', "<div>").replace(
        "<span>Apr 2, 2026</span>", "<p>Thursday, April 2, 2026</p>"
    )
    assert run(html, DOC_HTML).published_at == datetime(2026, 4, 2, tzinfo=UTC)


@pytest.mark.parametrize(("byline", "author"), [
    ('<p class="byline">By <a href="https://dune.example/authors/ines">Ines Moro</a></p>', "Ines Moro"),  # Beehiiv / WP
    ('<span class="post-author">Ines Moro</span>', "Ines Moro"),
    ('<a rel="author" href="https://dune.example/authors/ines">Ines Moro</a>', "Ines Moro"),  # WordPress
    ('<div class="author"><span class="author-name">Ines Moro</span></div>', "Ines Moro"),  # Ghost
    ('<div class="author">' + "A very long biography of a made-up writer. " * 3 + "</div>", ""),  # a bio
])
def test_author_bylines(byline, author):
    html = (
        '<html><head><title>Dune notes</title><link rel="canonical" href="https://www.dune.example/notes-4"></head>'
        f"<body><article><h1>Dune notes</h1>{byline}<p>The dunes moved north.</p></article></body></html>"
    )
    issue = run(html, DOC_HTML)
    assert issue.author == author
    assert issue.newsletter_key == "site:dune.example"


def test_meta_author_wins_over_a_byline_and_ghost_excerpt_is_the_subtitle():
    html = (
        '<html><head><meta name="author" content="Ola Rask"><title>Dune notes</title></head><body>'
        '<article><h1 class="gh-article-title">Dune notes</h1><p class="gh-article-excerpt">Sand, mostly</p>'
        '<span class="author-name">Someone Else</span><section class="gh-content"><p>The dunes moved north.</p>'
        "</section></article></body></html>"
    )
    issue = run(html, DOC_HTML)
    assert (issue.author, issue.subtitle) == ("Ola Rask", "Sand, mostly")
    assert issue.url == ""  # no canonical link and no post-title link


def test_a_logo_link_in_an_h1_is_not_the_post_url():
    html = (
        '<html><body><h1><a href="https://dune.example/"><img alt="">Dune</a> notes</h1>'
        "<article><p>The dunes moved north.</p></article></body></html>"
    )
    assert run(html, DOC_HTML).url == ""
