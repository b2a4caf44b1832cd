"""Re-anchoring highlights after an issue is re-imported with edited text.

Pure Python (no Django, no database). A highlight is stored as W3C Web Annotation selectors over
one paragraph's plain text — a TextQuoteSelector (``exact`` plus up to ``CONTEXT_CHARS`` of
``prefix``/``suffix`` taken within the same paragraph) and a TextPositionSelector (``start``,
``end``) — together with the paragraph's key (database id) and its index in the issue at the time.
:func:`reanchor` finds the highlight again among the paragraphs of the re-imported issue, in order:

1. **Position** — the paragraph with the old key still exists and ``text[start:end] == exact``:
   ``EXACT``. (A paragraph keeps its id only if its text did not change.)
2. **Exact quote** — every occurrence of ``exact`` in every paragraph (``str.find`` in a loop).
   One occurrence: ``MOVED``. Several: each is scored by how well the ``CONTEXT_CHARS`` (or
   ``len(prefix)``, if longer) characters before it match ``prefix`` and those after it match
   ``suffix`` (``rapidfuzz.fuzz.ratio``; a short stored prefix means "near the paragraph start",
   so an occurrence equally near its start scores best). Ties go to the nearer place: same
   paragraph key first, then smaller ``|index - old_index|``, then smaller ``|offset - start|``.
   This step has no context floor: a quote present verbatim somewhere is never orphaned.
3. **Fuzzy** (only for quotes of at least ``MIN_FUZZY_CHARS`` non-blank characters) — per
   paragraph, a rough place of ``exact``: for quotes up to ``PROBE_CHARS`` long,
   ``fuzz.partial_ratio_alignment`` (a window of the quote's length), re-fitted by an Indel
   alignment with the text around it so insertions/deletions inside the quote are absorbed; for
   longer quotes (where that call is quadratic: ~0.3 s for 2,000 chars in 2,000 chars) the first
   and last ``PROBE_CHARS`` are aligned and the span runs between them, after skipping paragraphs
   where ``2m / (len(exact) + m) < QUOTE_MIN`` (``m``: longest common subsequence of quote and
   paragraph; then no span of the paragraph can reach ``QUOTE_MIN``). If the old quote began
   (ended) on a word boundary, the span's ends then snap to word boundaries, moving a few words out
   or in while that raises the quote similarity (so "84.8" → "85.1" covers all of "85.1"). Then::

       quote    = fuzz.ratio(exact, span) / 100   (full ratio: a too-short span is penalised)
       prefix   = similarity of ``prefix`` with the text just before the span (as in step 2)
       suffix   = similarity of ``suffix`` with the text just after the span
       nearness = 1.0 for the same key or the same index, else 1 / (1 + |index - old_index|)
       combined = 0.70 * quote + 0.10 * prefix + 0.10 * suffix + 0.10 * nearness

   The best combined score wins among the spans with ``quote >= QUOTE_MIN`` (0.80) and
   ``combined >= FUZZY_THRESHOLD`` (0.75): ``FUZZY``; ties go to the nearer place as in step 2.
   ``QUOTE_MIN`` keeps a deleted quote off look-alike sentences (same topic words, or new text
   between the old neighbours: context and nearness alone add up to 0.30); the combined threshold
   also rejects borderline quotes in a new context far from the old place. Tuning (see the tests):
   genuine edits — a number changed, a typo fixed, a word inserted/removed/replaced — scored
   quote 0.86–0.99, combined 0.87–0.99; look-alikes quote 0.74–0.77 (combined ≤ 0.66); a
   sentence replaced between unchanged neighbours quote 0.45 (combined 0.58). A heavier
   rewording (quote 0.78) is orphaned even with perfect context: the price of that margin.
4. Otherwise ``ORPHANED`` (key/start/end ``None``; score = best combined score seen in step 3).

The offsets returned always satisfy ``target.text[start:end] == placement.quote``. Cost: one
call over 300 paragraphs of 2,000 chars takes ~5–25 ms for quotes of 4–2,000 chars (a 1-char
quote costs one context comparison per occurrence: ~30 ms for 19k occurrences of "e").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel, LCSseq

CONTEXT_CHARS = 32  # prefix/suffix length (clipped at the paragraph's ends)
MIN_FUZZY_CHARS = 4  # shorter quotes (e.g. "AI") are only ever matched exactly
QUOTE_MIN = 0.80  # minimum fuzz.ratio(exact, span) / 100 for a fuzzy match, whatever the context
FUZZY_THRESHOLD = 0.75  # minimum combined score for a fuzzy match
PROBE_CHARS = 64  # longer quotes are located by aligning their first and last 64 characters
REFINE_SLACK = 0.15  # rough spans below QUOTE_MIN - REFINE_SLACK are not refined (saves time)
_FIT_BLOCKS = 16  # re-fitting may drop up to this many matching blocks at either end
_SNAP_STEPS = 8  # at most this many rounds of moving a span's ends by words
_SNAP_WINDOW = 64  # word boundaries are looked for this far around a span's end
_WORD = re.compile(r"[^\W_]+")
_WEIGHTS = (0.70, 0.10, 0.10, 0.10)  # quote, prefix, suffix, nearness


@dataclass(frozen=True)
class TextSelector:
    """TextQuoteSelector + TextPositionSelector over one paragraph's text."""

    exact: str
    prefix: str
    suffix: str
    start: int
    end: int


@dataclass(frozen=True)
class TargetParagraph:
    """A paragraph of the re-imported issue."""

    key: int  # paragraph id
    index: int  # position of the paragraph in the whole issue (0-based, reading order)
    text: str


class Status(StrEnum):
    EXACT = "exact"  # same paragraph, same offsets, same quote
    MOVED = "moved"  # the exact quote found elsewhere (other offsets and/or another paragraph)
    FUZZY = "fuzzy"  # an approximate match above the threshold
    ORPHANED = "orphaned"  # no acceptable place


@dataclass(frozen=True)
class Placement:
    status: Status
    key: int | None  # None when orphaned
    start: int | None
    end: int | None
    quote: str  # the text now covered (for fuzzy: the new text; "" when orphaned)
    score: float  # 1.0 for exact/moved; combined for fuzzy; best combined seen for orphaned


def text_selector_for(text: str, start: int, end: int) -> TextSelector:
    """Build the selectors from a paragraph text and offsets.

    Raises ``ValueError`` unless ``0 <= start < end <= len(text)``.
    """
    if not 0 <= start < end <= len(text):
        raise ValueError(f"invalid offsets {start}..{end} for a text of {len(text)} characters")
    return TextSelector(
        exact=text[start:end],
        prefix=text[max(0, start - CONTEXT_CHARS) : start],
        suffix=text[end : end + CONTEXT_CHARS],
        start=start,
        end=end,
    )


def reanchor(
    text_selector: TextSelector, *, old_key: int, old_index: int, targets: Sequence[TargetParagraph]
) -> Placement:
    """Find ``text_selector``'s quote among ``targets`` (the algorithm: see the module docstring)."""
    exact = text_selector.exact
    if not exact:
        return _orphaned(0.0)
    for target in targets:  # 1. position
        if target.key == old_key and target.text[text_selector.start : text_selector.end] == exact:
            return Placement(Status.EXACT, target.key, text_selector.start, text_selector.end, exact, 1.0)

    occurrences: list[tuple[TargetParagraph, int]] = []  # 2. exact quote
    for target in targets:
        pos = target.text.find(exact)
        while pos != -1:
            occurrences.append((target, pos))
            pos = target.text.find(exact, pos + 1)
    if occurrences:

        def rank(occurrence: tuple[TargetParagraph, int]) -> tuple[float, bool, int, int, int, int]:
            c, p = occurrence
            before, after = _context(text_selector, c.text, p, p + len(exact))
            near = _nearness_key(c, p, text_selector.start, old_key, old_index)
            return (-(before + after), *near, c.index, p)

        target, pos = occurrences[0] if len(occurrences) == 1 else min(occurrences, key=rank)
        return Placement(Status.MOVED, target.key, pos, pos + len(exact), exact, 1.0)

    if len(exact.strip()) < MIN_FUZZY_CHARS:  # 3. fuzzy
        return _orphaned(0.0)
    best_seen = 0.0
    best: tuple[tuple[float, bool, int, int], TargetParagraph, int, int] | None = None
    for target in targets:
        found = _fuzzy_place(exact, target.text, text_selector)
        if found is None:
            continue
        start, end, quote_sim = found
        before, after = _context(text_selector, target.text, start, end)
        nearness = 1.0 if target.key == old_key or target.index == old_index else 1.0 / (
            1 + abs(target.index - old_index)
        )
        w_quote, w_prefix, w_suffix, w_near = _WEIGHTS
        combined = w_quote * quote_sim + w_prefix * before + w_suffix * after + w_near * nearness
        best_seen = max(best_seen, combined)
        if quote_sim < QUOTE_MIN or combined < FUZZY_THRESHOLD:
            continue
        order = (-combined, *_nearness_key(target, start, text_selector.start, old_key, old_index))
        if best is None or order < best[0]:
            best = (order, target, start, end)
    if best is None:  # 4. orphaned
        return _orphaned(best_seen)
    order, target, start, end = best
    return Placement(Status.FUZZY, target.key, start, end, target.text[start:end], round(-order[0], 4))


def _orphaned(score: float) -> Placement:
    return Placement(Status.ORPHANED, None, None, None, "", round(score, 4))


def _nearness_key(
    target: TargetParagraph, pos: int, old_start: int, old_key: int, old_index: int
) -> tuple[bool, int, int]:
    """Sort key: same paragraph first, then fewer paragraphs away, then fewer characters away."""
    return (target.key != old_key, abs(target.index - old_index), abs(pos - old_start))


def _similarity(a: str, b: str) -> float:
    if not a and not b:
        return 1.0
    return fuzz.ratio(a, b) / 100.0


def _context(text_selector: TextSelector, text: str, start: int, end: int) -> tuple[float, float]:
    """Similarity of the stored prefix/suffix with the text around ``text[start:end]``."""
    before = text[max(0, start - max(CONTEXT_CHARS, len(text_selector.prefix))) : start]
    after = text[end : end + max(CONTEXT_CHARS, len(text_selector.suffix))]
    return _similarity(text_selector.prefix, before), _similarity(text_selector.suffix, after)


def _fuzzy_place(exact: str, text: str, text_selector: TextSelector) -> tuple[int, int, float] | None:
    """Best approximate span ``(start, end, quote similarity)`` of ``exact`` in ``text``, if any."""
    n = len(exact)
    if n > PROBE_CHARS:
        lcs = LCSseq.similarity(exact, text)
        if 2 * lcs / (n + lcs) < QUOTE_MIN:
            return None  # no span of this paragraph can reach QUOTE_MIN
        head = fuzz.partial_ratio_alignment(exact[:PROBE_CHARS], text)
        tail = fuzz.partial_ratio_alignment(exact[-PROBE_CHARS:], text)
        if head is None or tail is None:
            return None
        start = max(0, head.dest_start - head.src_start)
        end = min(len(text), tail.dest_end + (PROBE_CHARS - tail.src_end))
        spans = [(start, end)]
        if not n // 2 <= end - start <= 2 * n:  # a probe went astray: trust each one alone
            spans = [(start, min(len(text), start + n)), (max(0, end - n), end)]
    else:
        found = fuzz.partial_ratio_alignment(exact, text)
        if found is None:
            return None
        spans = [(found.dest_start, found.dest_end)]
    scored = [(_quote_similarity(exact, text, s, e), s, e) for s, e in spans if s < e]
    if not scored:
        return None
    score, start, end = max(scored)
    if score < QUOTE_MIN - REFINE_SLACK:
        return start, end, score
    if n <= PROBE_CHARS:  # the alignment window has the quote's length: absorb insertions etc.
        fitted = _fit(exact, text, start, end)
        fitted_score = _quote_similarity(exact, text, *fitted)
        if fitted_score > score:
            (start, end), score = fitted, fitted_score
    return _snap_to_words(exact, text, start, end, score, text_selector)


def _quote_similarity(exact: str, text: str, start: int, end: int) -> float:
    return fuzz.ratio(exact, text[start:end]) / 100.0


def _fit(exact: str, text: str, start: int, end: int) -> tuple[int, int]:
    """Re-fit a rough span: align ``exact`` with the text around it and keep the run of matching
    blocks with the best ratio (so insertions/deletions inside the quote are absorbed)."""
    pad = len(exact) // 2 + 8  # a span with ratio >= 0.8 is at most 1.5 times as long as the quote
    lo, hi = max(0, start - pad), min(len(text), end + pad)
    blocks = [m for m in Indel.opcodes(exact, text[lo:hi]).as_matching_blocks() if m.size]
    if not blocks:
        return start, end
    sums = [0]
    for block in blocks:
        sums.append(sums[-1] + block.size)
    best = (-1.0, start, end)
    for i in range(min(len(blocks), _FIT_BLOCKS)):  # spurious matches only hang off the ends
        for j in range(max(i, len(blocks) - _FIT_BLOCKS), len(blocks)):
            span = blocks[j].b + blocks[j].size - blocks[i].b
            ratio = 2 * (sums[j + 1] - sums[i]) / (len(exact) + span)
            best = max(best, (ratio, lo + blocks[i].b, lo + blocks[j].b + blocks[j].size))
    return best[1], best[2]


def _snap_to_words(
    exact: str, text: str, start: int, end: int, score: float, text_selector: TextSelector
) -> tuple[int, int, float]:
    """If the old quote began (ended) on a word boundary, so must the new one: move each end to
    the best of the nearby word boundaries (a few words out or in), repeating while that helps."""
    snap_start = exact[0].isalnum() and not text_selector.prefix[-1:].isalnum()
    snap_end = exact[-1].isalnum() and not text_selector.suffix[:1].isalnum()
    for _ in range(_SNAP_STEPS):
        before = (start, end)
        if snap_start:  # up to three word starts at or before the start, two after it
            bounds = [ws for ws, _ in _words_near(text, start)]
            options = [b for b in bounds if b <= start][-3:] + [b for b in bounds if b > start][:2]
            spans = [(b, end) for b in options if b < end]
            start, end, score = _best_span(exact, text, spans, before) or (start, end, score)
        if snap_end:  # two word ends before the end, up to three at or after it
            bounds = [we for _, we in _words_near(text, end)]
            options = [b for b in bounds if b < end][-2:] + [b for b in bounds if b >= end][:3]
            spans = [(start, b) for b in options if start < b]
            start, end, score = _best_span(exact, text, spans, before) or (start, end, score)
        if (start, end) == before:
            break
    return start, end, score


def _best_span(
    exact: str, text: str, spans: list[tuple[int, int]], origin: tuple[int, int]
) -> tuple[int, int, float] | None:
    """The span most similar to ``exact``; ties go to the one that moved least from ``origin``."""
    if not spans:
        return None
    score, _, start, end = max(
        (_quote_similarity(exact, text, s, e), -abs(s - origin[0]) - abs(e - origin[1]), s, e)
        for s, e in spans
    )
    return start, end, score


def _words_near(text: str, i: int) -> list[tuple[int, int]]:
    """Spans of the whole words within ``_SNAP_WINDOW`` characters of offset ``i``."""
    lo, hi = max(0, i - _SNAP_WINDOW), min(len(text), i + _SNAP_WINDOW)
    return [
        (ws, we)
        for ws, we in (m.span() for m in _WORD.finditer(text, lo, hi))
        if (ws == 0 or not text[ws - 1].isalnum()) and (we == len(text) or not text[we].isalnum())
    ]
