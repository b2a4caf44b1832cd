"""The claim finder (articles/claims/finder.py): sentence splitting, each rule, boilerplate, linear time,
and precision on the real seeds. No database."""

from __future__ import annotations

import time

import pytest

from articles.claims import (
    RULES,
    Candidate,
    candidate_at,
    claim_text_hash,
    find_claims,
    sentence_reasons,
    split_sentences,
    suggests_claims,
)
from articles.importer import extract, split_items
from tests.seeds import seed_bytes


def _sentences(text):
    return [text[s:e] for s, e in split_sentences(text)]


# --- sentence splitting --------------------------------------------------------------------

def test_split_simple_sentences_with_trimmed_offsets():
    text = "  One thing. Two things!  Three? "
    assert _sentences(text) == ["One thing.", "Two things!", "Three?"]
    assert split_sentences(text)[0] == (2, 12)


@pytest.mark.parametrize(
    "text",
    [
        "Small machines (e.g. powerful laptops) run it. Then more.",
        "Servers (e.g., cheap ones) run it. Then more.",
        "It is used in the U.S. Army and the U.K. too. Then more.",
        "Qwen 2.5 scored 79.9 and v. 3.1 scored 85.3. Then more.",
        "Work by J. Smith et al. Was published. Then more.",
        '"Taking any action (e.g. jump, swim, etc.)" DeepMind writes. Then more.',
    ],
)
def test_split_respects_abbreviations_decimals_initials(text):
    assert _sentences(text)[-1] == "Then more."
    assert len(_sentences(text)) == 2


def test_split_after_closing_quote_and_before_quote_or_digit():
    text = 'They said "it works." "Really," he asked. 2018 was a good year.'
    assert _sentences(text) == ['They said "it works."', '"Really," he asked.', "2018 was a good year."]


def test_no_split_before_lowercase_or_inside_ellipsis_dots():
    assert len(split_sentences("sequence Tfull = t1, t2, . . . for some query. next word")) == 1


# --- rules, one by one ---------------------------------------------------------------------

@pytest.mark.parametrize(
    ("rule", "hits", "misses"),
    [
        ("percent", ["It rose to 1.9%.", "About 40 percent of users.", "A 12 % gain."], ["Percentages matter."]),
        ("benchmark", ["MMLU: 84.8, versus 79.9.", "HumanEval+: 82.8 for Phi.", "GPQA 56.1 for it.",
                       "OpenAI o1: 91.8.", "It gets a score of 2727."],
         ["See Import AI 393 for more.", "Qwen 2.5 is a model.", "Note: read it."]),
        ("multiplier", ["It is 857x faster.", "100X more efficient.", "A 10-fold gain.",
                        "It cuts bandwidth by several orders of magnitude."], ["An x-ray of the system."]),
        ("money", ["Microsoft spends $80bn.", "It costs $1.5 billion.", "A €20m round.", "Some 5 million dollars."],
         ["Money is tight."]),
        ("scale", ["A 14B model.", "A 1.2bn parameter LLM.", "Models of 300M and 1B parameters.",
                   "Trained on 10T tokens.", "2416.6MB/step for AdamW.", "Between 74 and 132 GW.",
                   "Made of 10,000 A100 GPUs.", "About 10 bits/s."], ["Phi-4 is out.", "Genie 2 is a world model."]),
        ("attribution", ['"It works," the researchers write.', '"It works", they write.', '"It works," Google writes.',
                         "It is good, the researchers say.", '"Fast," writes OpenAI researcher Jason Wei.',
                         'It lasts "for up to a minute" (per DeepMind).', "The authors found a flaw."],
         ["They write code.", "Google released a model."]),
        ("prediction", ["I expect scaling to continue.", "AI dominance will be about power.", "Demand doubles by 2028.",
                        "In the coming years demand grows.", "2028: 12% (estimate).", "Progress in 2025 should speed up.",
                        "In 2025 we'll see more."], ["As I will explain later, it is hard.", "It was true in 2020."]),
    ],
)
def test_each_rule(rule, hits, misses):
    for sentence in hits:
        assert RULES[rule](sentence), (rule, sentence)
        assert rule in sentence_reasons(sentence)
    for sentence in misses:
        assert not RULES[rule](sentence), (rule, sentence)


@pytest.mark.parametrize(
    "text",
    [
        "Thanks for reading!",
        "Welcome to Import AI, a newsletter about AI research. Import AI runs on lattes, ramen, and feedback from readers.",
        "Read more: 2024 United States Data Center Energy Usage Report (Berkeley lab, PDF).",
        "Read the research: Phi-4 Technical Report (arXiv).",
        "Get an implementation of DeMo here: DeMo (bloc97, GitHub).",
        "If you'd like to support this, please subscribe.",
        "How can humans get away with just 10 bits/s?",
        "We hope that our work will serve as a reference for others.",
    ],
)
def test_boilerplate_and_questions_are_never_claims(text):
    assert find_claims(text) == ()


def test_candidates_carry_offsets_and_ordered_reasons():
    text = "Scores are in. MMLU: 84.8, versus 79.9 for Qwen 2.5 14b instruct. Nice."
    (candidate,) = find_claims(text)
    assert candidate == Candidate(15, text.index(" Nice"), ("benchmark", "scale"))
    assert text[candidate.start : candidate.end].startswith("MMLU")
    assert candidate_at(text, candidate.start, candidate.end) == candidate
    assert candidate_at(text, 0, 14) is None


def test_deterministic_and_hash_is_stable():
    text = "It is 100X faster, they write. I expect more by 2028."
    assert find_claims(text) == find_claims(text)
    assert claim_text_hash("abc") == claim_text_hash("abc") != claim_text_hash("abd")
    assert len(claim_text_hash("abc")) == 64


def test_where_suggestions_are_shown():
    assert suggests_claims("story", "text") and suggests_claims("intro", "list_item")
    assert not suggests_claims("tech_tale", "text")
    assert not suggests_claims("story", "source")


@pytest.mark.parametrize(
    "chunk",
    ["1" * 50 + " ", "A" * 50, ", " * 20 + "x", "." * 40 + " ", "9,9" * 15 + "x", "will " * 5, '" " ' * 10],
)
def test_linear_time_on_pathological_text(chunk):
    def timed(n):
        text = chunk * n
        t0 = time.perf_counter()
        find_claims(text)
        return time.perf_counter() - t0

    small, large = timed(200), timed(2000)
    assert large < 1.0, large
    assert large < max(small, 0.002) * 40, (small, large)  # ~10x the input, not ~100x the time


# --- precision on the seeds ----------------------------------------------------------------

def seed_paragraphs(prefix: str):
    """(text, candidates) of every paragraph of the seed that gets suggestions."""
    parsed = extract(next(split_items(f"{prefix}.txt", seed_bytes(prefix))))
    return [
        (p.text, find_claims(p.text))
        for s in parsed.sections
        for p in s.paragraphs
        if suggests_claims(s.kind, p.kind)
    ]


def _claimed(paragraphs, phrase: str) -> bool:
    """Whether ``phrase`` lies inside one suggested claim."""
    return any(
        c.start <= text.find(phrase) and text.find(phrase) + len(phrase) <= c.end
        for text, cands in paragraphs
        if phrase in text
        for c in cands
    )


def _present(prefix, phrase) -> bool:
    parsed = extract(next(split_items(f"{prefix}.txt", seed_bytes(prefix))))
    return any(phrase in p.text for s in parsed.sections for p in s.paragraphs)


MUST_FIND = {
    "000": [
        "2018: 1.9%", "2023: 4.4%", "2028: 6.7% - 12% (estimate).", "MMLU: 84.8", "HumanEval+: 82.8", "MMLUPro: 70.4",
        "GPQA 56.1", "about 10T tokens", "between 74 and 132 GW", "by several orders of magnitude",
        "models of 300M and 1B parameters", "about 20X less data", "2416.6MB/step", "110.32MB/step",
        "15B training run", "all the way above 10B", "170X more compute", "25% performance on FrontierMath",
        "I expect the next logical thing", "the researchers write", "AI progress in 2025 should speed up",
    ],
    "001": ["$80 billion", "$10bn", "$850bn", "meaningful 2X speedups", "speedups of 1.5x", "58.7x speedup",
            "100x less cost", "Llama 3.1 8B", "253,333x more vacuum"],
    "002": ["two orders of magnitude", "10bn parameter model", "1B, 10B, and 100B parameter",
            "35 million to 4 billion parameters", "Kimi k1.5: 87.4", "OpenAI o1: 91.8", "DeepSeek R1 65.9",
            "128k tokens"],
    "003": ["only about 20% of compute", "15:85 by 2028", "about 2% of all energy", "3x better performance-per-watt"],
    "004": ["1.2bn parameter LLM", "58% or 60%", "approximately 83% of the performance", "1024 A100 GPUs",
            "10,000 A100 GPUs", "I predict that", "about 10 bits/s"],
}
MUST_NOT = {
    "000": ["Welcome to Import AI", "please subscribe", "Read more: DeMo", "Read the research: Phi-4",
            "Get an implementation of DeMo", "Microsoft has released Phi-4", "The ghost will open a door"],
    "001": ["Read more:", "Gaudi 1 chips"],
    "002": ["Read more:"],
    "003": ["Note: If you haven’t seen Part 2-1"],
    "004": ["Read more:", "How can humans get away", "Stable Diffusion 1.4"],
}


@pytest.mark.parametrize("prefix", sorted(MUST_FIND))
def test_seed_claims_found_and_boilerplate_not(prefix):
    paragraphs = seed_paragraphs(prefix)
    for phrase in MUST_FIND[prefix] + MUST_NOT[prefix]:
        assert _present(prefix, phrase), f"{phrase!r} is not in seed {prefix}: fix the expectation"
    hits = [p for p in MUST_FIND[prefix] if _claimed(paragraphs, p)]
    false = [p for p in MUST_NOT[prefix] if any(p in text[c.start : c.end] for text, cs in paragraphs for c in cs)]
    total = sum(len(cs) for _, cs in paragraphs)
    print(f"\nseed {prefix}: {len(hits)}/{len(MUST_FIND[prefix])} expected claims found, "
          f"{len(false)} boilerplate hits, {total} suggestions in {len(paragraphs)} paragraphs")
    assert hits == MUST_FIND[prefix]
    assert false == []


def _paragraph(prefix, start):
    (found,) = [(t, cs) for t, cs in seed_paragraphs(prefix) if t.startswith(start)]
    return found


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        ("2018: 1.9%", [("2018: 1.9%", ("percent",))]),
        ("MMLU: 84.8", [(None, ("benchmark", "scale"))]),
        ("HumanEval+: 82.8", [(None, ("benchmark", "scale"))]),
        ("It works very well - though", [
            ("It works very well", ("scale",)),
            ("These models consume about 20X less data", ("multiplier",)),
            ("(E.g., 2416.6MB/step", ("scale",)),
        ]),
        ("Many gigawatts of baseload", [
            ("Many gigawatts", ("percent", "scale", "attribution", "prediction")),
            ("Though there is a caveat", ("attribution", "prediction")),
        ]),
        ("Welcome to Import AI", []),
    ],
)
def test_seed_000_exact_candidates(start, expected):
    text, candidates = _paragraph("000", start)
    assert len(candidates) == len(expected)
    for candidate, (opening, reasons) in zip(candidates, expected, strict=True):
        assert text[candidate.start : candidate.end].startswith(opening or start)
        assert candidate.reasons == reasons
    if expected and expected[0][0] in (None, start):
        assert (candidates[0].start, candidates[0].end) == (0, len(text.rstrip()))
