"""Bounds on what one issue may hold (articles/importer/limits.py): refused fast, with the figure
and the limit in the message; real issues far below every bound."""

from __future__ import annotations

import time

import pytest

from articles.importer import Document, ParseError, extract, limits, split_items
from articles.importer.types import DOC_HTML, DOC_TEXT


def _doc(body: str, kind: str = DOC_TEXT) -> Document:
    return Document(name="x", kind=kind, body=body)


def _refused(document: Document) -> tuple[str, float]:
    start = time.monotonic()
    with pytest.raises(ParseError) as error:
        extract(document)
    return str(error.value), time.monotonic() - start


def test_200000_one_letter_paragraphs_are_refused_at_once():
    message, seconds = _refused(_doc("Title\n\n" + "\n\n".join("a" for _ in range(200_000))))
    assert message == "this issue has 200,001 paragraphs; the limit is 20,000"
    assert seconds < 1.0  # was 5.8 s of parsing, then a 333 s page


def test_4_mb_of_br_is_refused_before_the_html_parser():
    message, seconds = _refused(_doc("<html><body><p>Hi</p>" + "<br>" * 1_000_000 + "</body></html>", DOC_HTML))
    assert message == "this issue has 1,000,006 HTML tags; the limit is 100,000"
    assert seconds < 1.0  # was 100 s and 600 MB


def test_sections_paragraphs_and_paragraph_length_are_counted_exactly_after_parsing():
    many = "\n\n".join(f"## Story {i}\n\nText of story {i}." for i in range(limits.MAX_SECTIONS + 1))
    message, _ = _refused(_doc("# Title\n\n" + many))
    assert message.startswith("this issue has 2,00") and message.endswith("sections; the limit is 2,000")
    fine = "\n\n".join(f"## Story {i}\n\nText of story {i}." for i in range(50))
    assert len(extract(_doc("# Title\n\n" + fine)).sections) >= 50
    long = "word " * 25_000  # 125,000 characters in one paragraph
    message, _ = _refused(_doc("Title\n\n" + long))
    assert message == "this issue has a paragraph of 124,999 characters; the limit is 100,000"


def test_html_nested_deeper_than_the_limit_is_refused():
    depth = limits.MAX_DEPTH + 1
    message, seconds = _refused(_doc("<div>" * depth + "text" + "</div>" * depth, DOC_HTML))
    assert message == f"HTML nested too deeply (more than {limits.MAX_DEPTH} open tags)"
    assert seconds < 1.0


def test_parse_time_budget(monkeypatch):
    monkeypatch.setattr(limits, "MAX_PARSE_SECONDS", 0.0)
    message, _ = _refused(_doc("Title\n\nOne paragraph that would import fine.\n\nAnother one."))
    assert message == "reading this issue took more than 0 seconds; the limit is 0 seconds per issue"
    with limits.time_budget(60):
        limits.check_time()  # within budget: nothing raised
    limits.check_time()  # no budget outside extract(): nothing raised


def test_the_invented_samples_are_far_below_every_bound():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "samples"
    for path in sorted(root.iterdir()):
        for item in split_items(path.name, path.read_bytes()):
            parsed = extract(item)
            assert len(parsed.sections) < limits.MAX_SECTIONS // 10
            assert sum(len(s.paragraphs) for s in parsed.sections) < limits.MAX_PARAGRAPHS // 10
