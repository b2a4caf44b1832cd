"""Cross-issue references in the one renderer: links, "not imported" hints, nesting rules."""

from bs4 import BeautifulSoup

from articles.render import HighlightSpan, XrefSpan, render_paragraph

TEXT = "As shown before (Import AI 393), training works."
REF = XrefSpan(17, 30, "Import AI 393", "/issues/import-ai-393/")


def _soup(html):
    return BeautifulSoup(html, "html.parser")


def test_imported_reference_is_a_local_link():
    soup = _soup(render_paragraph(TEXT, [], xrefs=[REF]))
    link = soup.find("a", class_="xref")
    assert link.get_text() == "Import AI 393"
    assert link["href"] == "/issues/import-ai-393/"
    assert soup.get_text() == TEXT


def test_missing_reference_is_a_span_with_a_hint():
    soup = _soup(render_paragraph(TEXT, [], xrefs=[XrefSpan(17, 30, "Import AI 393")]))
    assert soup.find("a") is None
    span = soup.find("span", class_="xref-missing")
    assert span["class"] == ["xref", "xref-missing"]
    assert span["title"] == "Import AI 393 is not imported"
    assert span.get_text() == "Import AI 393"


def test_original_link_wins_over_a_reference_inside_it():
    marks = [{"kind": "link", "start": 16, "end": 31, "href": "https://importai.substack.com/p/393"}]
    soup = _soup(render_paragraph(TEXT, marks, xrefs=[REF]))
    links = soup.find_all("a")
    assert [a["href"] for a in links] == ["https://importai.substack.com/p/393"]
    assert soup.find(class_="xref") is None
    assert links[0].find("a") is None


def test_reference_with_bold_and_highlight_stays_well_formed():
    marks = [{"kind": "strong", "start": 10, "end": 24}]
    html = render_paragraph(TEXT, marks, [HighlightSpan(5, 20, 40, "hl-yellow")], xrefs=[REF])
    soup = _soup(html)
    assert soup.get_text() == TEXT
    assert "".join(a.get_text() for a in soup.find_all("a", class_="xref")) == "Import AI 393"
    assert soup.find("a", class_="xref").find("a") is None
    assert all(mark.find_parent("mark") is None for mark in soup.find_all("mark"))
    # well-formed: every tag opened is closed in order (html.parser would otherwise re-nest)
    opened = html.count("<a ") + html.count("<strong>") + html.count("<mark ")
    assert opened == html.count("</a>") + html.count("</strong>") + html.count("</mark>")
    assert len(soup.find_all(["a", "strong", "mark"])) == opened


def test_unsafe_or_out_of_range_references_are_not_links():
    refs = [XrefSpan(17, 30, "Import AI 393", "javascript:alert(1)"), XrefSpan(40, 99, "x", "/issues/x/")]
    soup = _soup(render_paragraph(TEXT, [], xrefs=refs))
    assert soup.find("a") is None
    assert [s.get_text() for s in soup.find_all("span", class_="xref-missing")] == ["Import AI 393"]


def test_stored_marks_cannot_claim_to_be_references():
    soup = _soup(render_paragraph(TEXT, [{"kind": "xref", "start": 0, "end": 4, "href": "https://evil.example/"}]))
    assert soup.find("a") is None and soup.get_text() == TEXT
