"""The one paragraph renderer: marks → well-formed, escaped HTML (checked by parsing)."""

from bs4 import BeautifulSoup

from articles.render import render_paragraph


def _soup(html):
    return BeautifulSoup(html, "html.parser")


def test_plain_text_is_escaped():
    html = render_paragraph("<script>alert(1)</script> & more", [])
    assert _soup(html).find("script") is None
    assert _soup(html).get_text() == "<script>alert(1)</script> & more"


def test_link_gets_rel_and_href():
    html = render_paragraph("see the paper here", [{"kind": "link", "start": 8, "end": 13, "href": "https://a.example/x?y=1&z=2"}])
    link = _soup(html).find("a")
    assert link.get_text() == "paper"
    assert link["href"] == "https://a.example/x?y=1&z=2"
    assert link["rel"] == ["noopener", "noreferrer"]


def test_unsafe_or_malformed_marks_are_dropped():
    marks = [
        {"kind": "link", "start": 0, "end": 4, "href": "javascript:alert(1)"},
        {"kind": "script", "start": 0, "end": 4},
        {"kind": "em", "start": 3, "end": 99},
        {"kind": "strong", "start": "0", "end": 2},
    ]
    soup = _soup(render_paragraph("text here", marks))
    assert soup.find(["a", "em", "strong", "script"]) is None
    assert soup.get_text() == "text here"


def test_overlapping_marks_render_well_formed():
    # strong 0-10 overlaps em 5-15, inside a link 0-20
    text = "abcdefghijklmnopqrstuvwxyz"
    marks = [
        {"kind": "strong", "start": 0, "end": 10},
        {"kind": "em", "start": 5, "end": 15},
        {"kind": "link", "start": 0, "end": 20, "href": "https://x.example/"},
    ]
    html = render_paragraph(text, marks)
    soup = _soup(html)
    assert soup.get_text() == text
    assert [a.get_text() for a in soup.find_all("a")] == [text[:20]]
    assert "".join(s.get_text() for s in soup.find_all("strong")) == text[:10]
    assert "".join(e.get_text() for e in soup.find_all("em")) == text[5:15]
    # re-serialising the parse gives back the same string: the HTML was well-formed
    assert str(soup) == html


def test_touching_marks():
    marks = [{"kind": "strong", "start": 0, "end": 3}, {"kind": "em", "start": 3, "end": 6}]
    soup = _soup(render_paragraph("abcdef", marks))
    assert soup.find("strong").get_text() == "abc"
    assert soup.find("em").get_text() == "def"


# --- suggested claims (articles/claims/) -----------------------------------------------------

def test_suggestion_is_an_innermost_span_with_its_offsets():
    from articles.render import SuggestionSpan

    text = "Intro. It is 100X faster. End."
    html = render_paragraph(text, [{"kind": "strong", "start": 0, "end": 6}], suggestions=[SuggestionSpan(7, 25, ("multiplier",))])
    span = _soup(html).select_one("span.claim-suggestion")
    assert span.get_text() == "It is 100X faster."
    assert (span["data-claim-start"], span["data-claim-end"], span["data-claim-reasons"]) == ("7", "25", "multiplier")
    assert span["role"] == "button" and span["tabindex"] == "0"
    assert _soup(html).get_text() == text


def test_suggestion_inside_a_link_and_split_by_a_link():
    from articles.render import SuggestionSpan

    text = "See it is 100X faster here."
    link = {"kind": "link", "start": 15, "end": 21, "href": "https://a.example/"}
    soup = _soup(render_paragraph(text, [link], suggestions=[SuggestionSpan(0, 27, ("multiplier",))]))
    pieces = soup.select("span.claim-suggestion")
    assert "".join(p.get_text() for p in pieces) == text
    assert soup.select_one("a span.claim-suggestion").get_text() == "faster"
    assert {p["data-claim-start"] for p in pieces} == {"0"}


def test_highlight_wins_over_a_suggestion_where_it_covers_it():
    from articles.render import HighlightSpan, SuggestionSpan

    text = "It is 100X faster than before."
    soup = _soup(render_paragraph(
        text, [], [HighlightSpan(9, 6, 17, "hl-yellow")], suggestions=[SuggestionSpan(0, 30, ("multiplier",))]
    ))
    mark = soup.select_one("mark.hl")
    assert mark.get_text() == "100X faster"
    assert mark.select("span.claim-suggestion") == []
    assert [s.get_text() for s in soup.select("span.claim-suggestion")] == ["It is ", " than before."]


def test_suggestion_reasons_are_escaped_and_bad_ranges_dropped():
    from articles.render import SuggestionSpan

    soup = _soup(render_paragraph("abc", [], suggestions=[SuggestionSpan(0, 3, ('"><script>',)), SuggestionSpan(2, 9, ("x",))]))
    (span,) = soup.select("span.claim-suggestion")
    assert span["data-claim-reasons"] == '"><script>'
    assert soup.find("script") is None


def test_only_the_first_suggestion_of_a_paragraph_is_a_tab_stop():
    from articles.render import HighlightSpan, SuggestionSpan

    text = "It is 100X faster. Costs fell 90% by 2030. Sales doubled in 2024."
    suggestions = [SuggestionSpan(0, 18, ("multiplier",)), SuggestionSpan(19, 42, ("percent",)), SuggestionSpan(43, 65, ("year",))]
    # a highlight splits the first suggestion into two spans: still one Tab stop in all
    html = render_paragraph(text, [], [HighlightSpan(1, 6, 10, "hl-yellow")], suggestions=suggestions)
    spans = _soup(html).select("span.claim-suggestion")
    assert [(s["data-claim-start"], s["tabindex"]) for s in spans] == [("0", "0"), ("0", "-1"), ("19", "-1"), ("43", "-1")]
    assert _soup(html).get_text() == text
