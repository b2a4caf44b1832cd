"""Pure tests of the cross-issue reference detector (no database)."""

from __future__ import annotations

import time

import pytest

from articles.connect.xrefs import XrefMatch, find_xrefs


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("see Import AI #387 for more", [(4, 18, 387)]),
        ("trained on a single compute (Import AI 393).", [(29, 42, 393)]),
        ("e.g., GENIE from #Import AI 363), or", [(18, 31, 363)]),
        ("Import AI#7 and Import AI # 8", [(0, 11, 7), (16, 29, 8)]),
        ("Import\u00a0AI 12", [(0, 12, 12)]),
    ],
)
def test_references_are_found_with_their_ranges(text, expected):
    found = find_xrefs(text)
    assert [(m.start, m.end, m.number) for m in found] == expected
    assert {m.newsletter_name for m in found} == {"Import AI"}
    for m in found:
        assert text[m.start:m.end].startswith("Import")


@pytest.mark.parametrize(
    "text",
    [
        "Welcome to Import AI, a newsletter about AI research.",
        "Import AI 2.5 is not an issue",  # a decimal
        "Import AI 12345",  # too many digits: not an issue number
        "ImportAI 5",
        "xImport AI 5",  # not at a word boundary
        "import ai 5",  # the authors always write the name capitalised
        "",
    ],
)
def test_non_references(text):
    assert find_xrefs(text) == []


def test_match_is_a_plain_value():
    assert find_xrefs("Import AI 1") == [XrefMatch(0, 11, "Import AI", 1)]


def test_detection_is_linear_on_adversarial_text():
    """Many near-misses ("Import AI " without a number) must not make the regex backtrack."""
    text = "Import AI # " * 20_000 + "Import AI 9"
    started = time.perf_counter()
    found = find_xrefs(text)
    assert time.perf_counter() - started < 0.5
    assert [m.number for m in found] == [9]
