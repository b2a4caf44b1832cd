"""Pure search helpers: query parsing/escaping for both engines and the highlighted snippet."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from articles.search.query import fts5_match, query_parse, tsquery_raw
from articles.search.snippets import snippet_html


@pytest.mark.parametrize(
    "raw, terms, prefix",
    [
        ("DiLoCo", ("diloco",), True),
        ("streaming diloco ", ("streaming", "diloco"), False),
        ('"', (), False),
        ("AND(", ("and",), False),
        ("NEAR", ("near",), True),
        ("a", ("a",), False),  # a one-letter prefix would match half the index
        ("o'brien*", ("o", "brien"), False),
        ("\x00", (), False),
    ],
)
def test_query_parse(raw, terms, prefix):
    parsed = query_parse(raw)
    assert parsed.terms == terms and parsed.prefix_last is prefix


def test_engine_syntax_quotes_every_term():
    parsed = query_parse("NEAR(col: AND diloc")
    assert fts5_match(parsed) == '"near" "col" "and" "diloc"*'
    assert tsquery_raw(parsed) == "'near' & 'col' & 'and' & 'diloc':*"


def test_snippet_escapes_text_and_marks_hits():
    html = snippet_html("<script>alert(1)</script> Streaming DiLoCo beats diloco-1", query_parse("diloco"))
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("script") is None
    assert [m.get_text() for m in soup.find_all("mark")] == ["DiLoCo", "diloco"]
    assert all(m["class"] == ["search-hit"] for m in soup.find_all("mark"))
    assert "<script>" in soup.get_text()  # shown as text


def test_snippet_centres_on_first_hit_in_long_text():
    text = "filler " * 100 + "needle here " + "tail " * 100
    soup = BeautifulSoup(snippet_html(text, query_parse("needle ")), "html.parser")
    assert soup.find("mark").get_text() == "needle"
    assert soup.get_text().startswith("…") and soup.get_text().endswith("…")
    assert len(soup.get_text()) < 300
