"""Tests for ``articles.anchoring`` (pure: no Django, no database).

    .venv/bin/python -m pytest tests/test_anchoring.py -q -p no:django -o addopts="" --noconftest

The paragraphs are invented. ``issue(...)`` numbers keys 100, 101, … by position; ``edited(i, t)``
replaces paragraph ``i`` and, as a re-import would, gives it a new key (900 + i).
"""

from __future__ import annotations

import functools
import random
import string
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.anchoring import (
    CONTEXT_CHARS,
    FUZZY_THRESHOLD,
    Placement,
    Status,
    TargetParagraph,
    TextSelector,
    reanchor,
    text_selector_for,
)

INTRO = (
    "Welcome back to the Tuesday edition. This week was dominated by small open models "
    "and a surprising amount of benchmark drama."
)
RELEASE = (
    "Lumen Labs released Halcyon-7B under an Apache licence. According to the release notes, "
    "the model scored 84.8 on MMLU while running comfortably on a single consumer GPU."
)
CONTAMINATION = (
    "Meanwhile, a group of researchers argued that leaderbaord gains are increasingly driven by "
    "contamination rather than genuine progress in reasoning."
)
POLICY = (
    "On the policy front, the regional data authority published draft guidance on training with "
    "scraped personal data, with comments open until the end of the month."
)
MAILBAG = (
    "Finally, a reader asked how we pick stories. The short answer: we read everything twice and "
    "keep what still seems important the next morning."
)
TOOLING = "AI tooling note: the evaluation harness we mentioned last week now supports streaming."
ISSUE = [INTRO, RELEASE, CONTAMINATION, POLICY, MAILBAG, TOOLING]

SPONSOR = "Sponsor: Quillwork keeps your team's reading list in one place. Try it free for a month."
LOOKALIKE = "Editors' rule of thumb: we read everything twice, then cut half of what we wrote."
MMLU = "the model scored 84.8 on MMLU"
GUIDANCE = (
    "the regional data authority published draft guidance on training with scraped personal data"
)


def issue(*texts: str, keys: list[int] | None = None) -> list[TargetParagraph]:
    keys = keys if keys is not None else [100 + i for i in range(len(texts))]
    return [TargetParagraph(key=k, index=i, text=t) for i, (k, t) in enumerate(zip(keys, texts, strict=True))]


def edited(index: int, new_text: str, texts: list[str] = ISSUE) -> list[TargetParagraph]:
    keys = [900 + i if i == index else 100 + i for i in range(len(texts))]
    return issue(*texts[:index], new_text, *texts[index + 1 :], keys=keys)


def select(text: str, quote: str, occurrence: int = 0) -> TextSelector:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(quote, start + 1)
    return text_selector_for(text, start, start + len(quote))


def run(
    text_selector: TextSelector, old_index: int, targets: list[TargetParagraph], old_key: int | None = None
) -> Placement:
    """``reanchor`` (old key defaults to 100 + old_index), checking every result's invariants."""
    old_key = 100 + old_index if old_key is None else old_key
    placement = reanchor(text_selector, old_key=old_key, old_index=old_index, targets=targets)
    if placement.status is Status.ORPHANED:
        assert (placement.key, placement.start, placement.end, placement.quote) == (None, None, None, "")
        assert 0.0 <= placement.score < 1.0
        return placement
    [target] = [c for c in targets if c.key == placement.key]
    assert placement.start is not None and placement.end is not None
    assert 0 <= placement.start < placement.end <= len(target.text)
    assert target.text[placement.start : placement.end] == placement.quote
    if placement.status is Status.FUZZY:
        assert FUZZY_THRESHOLD <= placement.score <= 1.0 and placement.quote != text_selector.exact
    else:
        assert placement.quote == text_selector.exact and placement.score == 1.0
    return placement


# --- text_selector_for -------------------------------------------------------------------------------


def test_selector_for_takes_up_to_32_chars_of_context():
    sel = select(RELEASE, MMLU)
    assert sel.exact == MMLU and sel.end - sel.start == len(MMLU)
    assert len(sel.prefix) == len(sel.suffix) == CONTEXT_CHARS == 32
    assert RELEASE[sel.start - 32 : sel.end + 32] == sel.prefix + sel.exact + sel.suffix


def test_selector_for_clips_context_at_the_paragraph_ends():
    sel = text_selector_for("Short one.", 0, 5)
    assert (sel.prefix, sel.exact, sel.suffix, sel.start, sel.end) == ("", "Short", " one.", 0, 5)
    sel = text_selector_for("Short one.", 6, 10)
    assert (sel.prefix, sel.exact, sel.suffix) == ("Short ", "one.", "")


@pytest.mark.parametrize("start,end", [(-1, 3), (3, 3), (4, 3), (0, 11), (10, 11)])
def test_selector_for_rejects_invalid_offsets(start, end):
    with pytest.raises(ValueError):
        text_selector_for("Short one.", start, end)


# --- exact and moved ----------------------------------------------------------------------------


def test_unchanged_issue_is_exact():
    sel = select(RELEASE, MMLU)
    placement = run(sel, 1, issue(*ISSUE))
    assert (placement.status, placement.key, placement.start, placement.end) == (
        Status.EXACT, 101, sel.start, sel.end
    )


def test_text_inserted_before_the_quote_shifts_the_offsets():
    sel = select(RELEASE, MMLU)
    new = RELEASE.replace("According to", "Late on Friday, and according to")
    placement = run(sel, 1, edited(1, new))
    assert (placement.status, placement.key) == (Status.MOVED, 901)
    assert placement.start == sel.start + len("Late on Friday, and ") == new.index(MMLU)


def test_split_paragraph_moves_the_quote_to_the_new_paragraph():
    sel = select(RELEASE, MMLU)
    first, second = RELEASE.split(" According", 1)
    second = "According" + second
    texts = [INTRO, first, second, *ISSUE[2:]]
    placement = run(sel, 1, issue(*texts, keys=[100, 901, 902, 102, 103, 104, 105]))
    assert (placement.status, placement.key, placement.start) == (Status.MOVED, 902, second.index(MMLU))


def test_paragraph_moved_to_another_position():
    sel = select(MAILBAG, "we read everything twice")
    reordered = [MAILBAG, INTRO, RELEASE, CONTAMINATION, POLICY, TOOLING]
    same_key = run(sel, 4, issue(*reordered, keys=[104, 100, 101, 102, 103, 105]))
    assert (same_key.status, same_key.key, same_key.start) == (Status.EXACT, 104, sel.start)
    new_key = run(sel, 4, issue(*reordered, keys=[904, 100, 101, 102, 103, 105]))
    assert (new_key.status, new_key.key, new_key.start) == (Status.MOVED, 904, sel.start)


def test_edits_right_next_to_the_quote_keep_it_exact_or_moved():
    sel = select(RELEASE, MMLU)
    new = RELEASE.replace("According to the release notes, ", "Per the announcement, ")
    new = new.replace(" while running", " and runs")
    placement = run(sel, 1, edited(1, new))
    assert (placement.status, placement.key, placement.start) == (Status.MOVED, 901, new.index(MMLU))
    # An edit in a neighbouring paragraph leaves this paragraph (and its key) alone.
    neighbour = run(sel, 1, edited(2, CONTAMINATION.replace("leaderbaord", "leaderboard")))
    assert (neighbour.status, neighbour.key, neighbour.start) == (Status.EXACT, 101, sel.start)


@pytest.mark.parametrize("lookalike_first", [True, False])
def test_repeated_quote_is_placed_by_its_context(lookalike_first):
    sel = select(MAILBAG, "we read everything twice")
    mailbag = MAILBAG.replace("Finally, a", "A")  # edited, so no EXACT shortcut
    texts = [INTRO, LOOKALIKE, RELEASE, mailbag] if lookalike_first else [
        INTRO, mailbag, RELEASE, LOOKALIKE
    ]
    targets = issue(*texts, keys=[100, 901, 101, 902])
    placement = run(sel, 4, targets)
    assert placement.status is Status.MOVED
    assert next(c.text for c in targets if c.key == placement.key) == mailbag
    assert placement.start == mailbag.index(sel.exact)


@pytest.mark.parametrize("old_index,expected_index", [(0, 0), (1, 0), (2, 3), (4, 3)])
def test_identical_contexts_go_to_the_nearer_paragraph(old_index, expected_index):
    sel = select(SPONSOR, "Try it free")
    targets = issue(SPONSOR, INTRO, RELEASE, SPONSOR, POLICY, keys=[900, 100, 101, 903, 103])
    placement = run(sel, old_index, targets, old_key=555)
    assert (placement.status, placement.key) == (Status.MOVED, targets[expected_index].key)


def test_identical_contexts_prefer_the_old_paragraph_key():
    sel = select(SPONSOR, "Try it free")
    # Key 42 survived with other text (not what a re-import does, but the module must not care);
    # an identical copy sits as near, at the old offsets: the old key still wins.
    shifted = "Note. " + SPONSOR
    placement = run(sel, 1, issue(SPONSOR, INTRO, shifted, keys=[900, 100, 42]), old_key=42)
    assert (placement.status, placement.key, placement.start) == (Status.MOVED, 42, sel.start + 6)


def test_repeated_quote_in_one_paragraph_uses_the_context():
    text = "Ask, ask again, and then ask once more."
    sel = select(text, "ask", occurrence=1)  # the "ask" of "ask once more"
    new = "Please ask, ask again, and then ask once more."
    placement = run(sel, 0, issue(new, keys=[900]))
    assert placement.status is Status.MOVED and new[placement.start :].startswith("ask once")


def test_short_quote_found_verbatim_elsewhere_is_moved():
    sel = select(TOOLING, "AI")
    placement = run(sel, 5, edited(5, TOOLING.replace("AI tooling note", "Note on AI tooling")))
    assert (placement.status, placement.key, placement.start) == (Status.MOVED, 905, 8)


# --- fuzzy --------------------------------------------------------------------------------------


def test_word_edited_inside_the_quote_is_fuzzy_with_the_new_text():
    new = RELEASE.replace("84.8", "85.1")
    placement = run(select(RELEASE, MMLU), 1, edited(1, new))
    assert (placement.status, placement.key) == (Status.FUZZY, 901)
    assert (placement.quote, placement.start) == (
        "the model scored 85.1 on MMLU", new.index("the model scored 85.1")
    )


def test_typo_fix_is_fuzzy():
    sel = select(CONTAMINATION, "researchers argued that leaderbaord gains are increasingly driven")
    placement = run(sel, 2, edited(2, CONTAMINATION.replace("leaderbaord", "leaderboard")))
    assert placement.status is Status.FUZZY and placement.score > 0.95
    assert placement.quote == "researchers argued that leaderboard gains are increasingly driven"


def test_word_inserted_inside_the_quote_is_covered_whole():
    sel = select(RELEASE, "the model scored 84.8 on MMLU while running comfortably")
    placement = run(sel, 1, edited(1, RELEASE.replace("model scored", "model reportedly scored")))
    assert placement.status is Status.FUZZY
    assert placement.quote == "the model reportedly scored 84.8 on MMLU while running comfortably"


def test_word_removed_at_the_end_of_the_quote():
    sel = select(POLICY, "published draft guidance on training with scraped personal data")
    placement = run(sel, 3, edited(3, POLICY.replace("scraped personal data", "personal data")))
    assert placement.status is Status.FUZZY
    assert placement.quote == "published draft guidance on training with personal data"


def test_first_words_replaced_are_covered():
    new = POLICY.replace("regional data authority", "national privacy regulator")
    placement = run(select(POLICY, GUIDANCE), 3, edited(3, new))
    assert placement.status is Status.FUZZY
    assert placement.quote == GUIDANCE.replace("regional data authority", "national privacy regulator")


def test_quote_starting_mid_word_is_not_snapped_to_words():
    sel = select(RELEASE, "odel scored 84.8 on MM")
    placement = run(sel, 1, edited(1, RELEASE.replace("84.8", "85.1")))
    assert (placement.status, placement.quote) == (Status.FUZZY, "odel scored 85.1 on MM")


def test_fuzzy_quote_in_a_paragraph_moved_far_away():
    new = RELEASE.replace("84.8", "85.1")
    texts = [INTRO, CONTAMINATION, POLICY, MAILBAG, TOOLING, new]
    placement = run(select(RELEASE, MMLU), 1, issue(*texts, keys=[100, 102, 103, 104, 105, 901]))
    assert (placement.status, placement.key) == (Status.FUZZY, 901)
    assert placement.quote == "the model scored 85.1 on MMLU"


def test_fuzzy_ties_go_to_the_nearer_paragraph():
    new = RELEASE.replace("84.8", "85.1")
    targets = issue(new, INTRO, POLICY, new, keys=[900, 100, 103, 903])
    assert run(select(RELEASE, MMLU), 2, targets, old_key=1).key == 903
    assert run(select(RELEASE, MMLU), 1, targets, old_key=1).key == 900


def test_long_quote_with_edits_is_fuzzy():
    long_text = " ".join(ISSUE[:5])
    sel = text_selector_for(long_text, 10, len(long_text) - 10)  # starts and ends on word boundaries
    assert len(sel.exact) > 500
    new = long_text.replace("84.8", "85.1").replace("leaderbaord", "leaderboard")
    new = new.replace("draft ", "")
    placement = run(sel, 0, issue(INTRO, new, keys=[100, 900]), old_key=1)
    assert (placement.status, placement.key) == (Status.FUZZY, 900)
    assert (placement.start, placement.end) == (10, len(new) - 10)


# --- orphaned -----------------------------------------------------------------------------------


def test_deleted_quote_is_not_attached_to_a_lookalike():
    sel = select(RELEASE, "According to the release notes, the model scored 84.8 on MMLU")
    replacement = "Lumen Labs also announced a hiring freeze and a move to a smaller office."
    lookalike = "According to its own notes, another model scored higher on MMLU but needs 2 GPUs."
    texts = [INTRO, replacement, CONTAMINATION, lookalike, POLICY, MAILBAG, TOOLING]
    placement = run(sel, 1, issue(*texts, keys=[100, 901, 102, 902, 103, 104, 105]))
    assert placement.status is Status.ORPHANED and placement.score < FUZZY_THRESHOLD


def test_deleted_quote_between_unchanged_neighbours_is_orphaned():
    """Only the sentence was replaced: context and nearness are perfect, the quote is not."""
    new = RELEASE.replace(MMLU, "the weights are hosted on two mirrors")
    assert run(select(RELEASE, MMLU), 1, edited(1, new)).status is Status.ORPHANED


def test_deleted_quote_with_60_percent_shared_words_elsewhere_is_orphaned():
    similar = (
        "Earlier, the regional privacy regulator published final guidance on fine-tuning with "
        "scraped customer data"
    )
    words = GUIDANCE.split()
    assert sum(w in similar.split() for w in words) / len(words) >= 0.6  # 8 of 13, in order
    texts = [INTRO, RELEASE, CONTAMINATION, similar, MAILBAG, TOOLING]
    placement = run(select(POLICY, GUIDANCE), 3, issue(*texts, keys=[100, 101, 102, 903, 104, 105]))
    assert placement.status is Status.ORPHANED


def test_heavy_rewording_is_orphaned_even_in_place():
    """The price of QUOTE_MIN: a quote rewritten this much (similarity 0.78) is not followed."""
    old = "we read everything twice and keep what still seems important"
    new = MAILBAG.replace(old, "we read it all twice, keeping whatever still seems important")
    assert run(select(MAILBAG, old), 4, edited(4, new)).status is Status.ORPHANED


def test_short_quote_is_never_fuzzy():
    new = TOOLING.replace("AI tooling", "Al tooling")  # "AI" became "Al": one character away
    placement = run(select(TOOLING, "AI"), 5, edited(5, new))
    assert placement.status is Status.ORPHANED and placement.score == 0.0


def test_empty_candidates_and_empty_quote_are_orphaned():
    assert run(select(RELEASE, MMLU), 1, []).status is Status.ORPHANED
    empty = TextSelector(exact="", prefix="", suffix="", start=0, end=0)
    assert run(empty, 1, issue(*ISSUE)).status is Status.ORPHANED


# --- properties ---------------------------------------------------------------------------------

PARAGRAPHS = st.lists(st.text(min_size=1, max_size=120), min_size=1, max_size=6)


def _offsets(data: st.DataObject, texts: list[str]) -> tuple[int, int, int]:
    index = data.draw(st.integers(0, len(texts) - 1), label="index")
    start = data.draw(st.integers(0, len(texts[index]) - 1), label="start")
    end = data.draw(st.integers(start + 1, len(texts[index])), label="end")
    return index, start, end


@settings(max_examples=200, deadline=None)
@given(texts=PARAGRAPHS, data=st.data())
def test_unchanged_issue_is_always_exact(texts, data):
    index, start, end = _offsets(data, texts)
    placement = run(text_selector_for(texts[index], start, end), index, issue(*texts))
    assert (placement.status, placement.key, placement.start, placement.end) == (
        Status.EXACT, 100 + index, start, end
    )


@settings(max_examples=200, deadline=None)
@given(texts=PARAGRAPHS, added=st.text(max_size=60), data=st.data())
def test_prepended_text_moves_the_quote(texts, added, data):
    index, start, end = _offsets(data, texts)
    sel = text_selector_for(texts[index], start, end)
    targets = edited(index, added + texts[index], texts) if added else issue(*texts)
    placement = run(sel, index, targets)
    assert placement.status is (Status.MOVED if added else Status.EXACT)
    assert placement.quote == sel.exact
    if sum(c.text.count(sel.exact) for c in targets) == 1:  # no choice to make
        assert (placement.key, placement.start) == (targets[index].key, start + len(added))


@settings(max_examples=300, deadline=None)
@given(
    texts=PARAGRAPHS,
    cut=st.tuples(st.integers(0, 120), st.integers(0, 120)),
    inserted=st.text(max_size=40),
    data=st.data(),
)
def test_random_edits_always_give_a_consistent_anchor(texts, cut, inserted, data):
    """Whatever the edit, the result is well-formed (``run`` checks the invariants)."""
    index, start, end = _offsets(data, texts)
    sel = text_selector_for(texts[index], start, end)
    lo, hi = sorted(cut)
    new = texts[index][:lo] + inserted + texts[index][hi:]
    targets = edited(index, new, texts) if new else issue(*texts[:index], *texts[index + 1 :])
    run(sel, index, targets)


# --- performance --------------------------------------------------------------------------------


@functools.cache
def synthetic_issue(paragraphs: int = 300, chars: int = 2000, seed: int = 7) -> tuple[str, ...]:
    """``paragraphs`` texts of ``chars`` characters of random words (built once per session)."""
    rng = random.Random(seed)
    vocabulary = [
        "".join(rng.choices(string.ascii_lowercase, k=rng.randint(2, 9))) for _ in range(2000)
    ]
    texts = []
    for _ in range(paragraphs):
        words: list[str] = []
        while sum(len(w) + 1 for w in words) < chars:
            words.append(rng.choice(vocabulary))
        texts.append(" ".join(words)[:chars])
    return tuple(texts)


@pytest.mark.parametrize("length", [30, 64, 65, 200, 700, 2000])
@pytest.mark.parametrize("change", ["edited", "deleted"])
def test_performance_on_a_large_issue(length, change):
    texts = synthetic_issue()
    old = texts[150]
    sel = text_selector_for(old, 0, length)
    if change == "edited":  # three characters replaced in the middle of the quote
        new, expected = old[: length // 2] + "XYZ" + old[length // 2 + 3 :], Status.FUZZY
    else:
        new, expected = old[length:] + " " + old[:10], Status.ORPHANED
    targets = edited(150, new, list(texts))
    began = time.perf_counter()
    placement = run(sel, 150, targets)
    elapsed = time.perf_counter() - began
    assert placement.status is expected
    assert elapsed < 0.5, f"{length}-char quote, {change}: {elapsed:.3f}s"
