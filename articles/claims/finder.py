"""Claim finder: sentences of a paragraph that state something a team may want to check.

Pure and deterministic (no Django): ``find_claims(text)`` → a tuple of :class:`Candidate`
``(start, end, reasons)``, offsets into ``text`` (end exclusive), one per sentence that matches
at least one rule, in text order. The same text always gives the same candidates, so suggestions
can be computed while rendering and identified by their offsets (plus a hash of their text).

Sentences (``split_sentences``)
    A sentence ends at ``.``, ``!``, ``?`` or ``…`` (with any closing quotes or brackets after it)
    followed by whitespace and then an upper-case letter, a digit or an opening quote/bracket.
    No split after abbreviations (``e.g.``, ``i.e.``, ``etc.``, ``vs.``, ``Dr.``, ``al.`` …), after
    dotted initialisms (``U.S.``, ``U.K.``) or single initials (``J. Smith``); decimals (``2.5``)
    never split because no whitespace follows their point. Surrounding whitespace is trimmed.

Rules (``RULES``: name → test, regexes or small functions; a sentence's reasons are the names of
the rules it matches)
    percent       ``1.9%``, ``12 %``, ``40 percent``
    benchmark     a name then a score: ``MMLU: 84.8``, ``HumanEval+: 82.8``, ``OpenAI o1: 91.8``,
                  ``GPQA 56.1`` (without a colon the score needs two digits and a decimal, so
                  ``Import AI 393`` and ``Qwen 2.5`` are no scores); or ``score(s) of 2727``
    multiplier    ``857x``, ``100X``, ``170X``, ``3×``, ``10-fold``, ``orders of magnitude``
    money         ``$80bn``, ``$1.5 billion``, ``€20m``, ``£3``, ``5 million dollars``
    scale         parameter/token counts and measured quantities: ``14B``, ``1.2bn parameter``,
                  ``300M``, ``10T tokens``, ``2416.6MB/step``, ``132 GW``, ``10,000 GPUs``
    attribution   a reported finding: ``…," the researchers write``, ``they write``,
                  ``Google writes``, ``the authors say``, ``writes OpenAI researcher Jason Wei``
    prediction    ``I expect``/``predict``/``bet``, ``will``, ``by 2028``, ``in the coming years``,
                  ``(estimate)``, ``forecast``; or a year with a hedged future (``in 2025 … should``,
                  ``likely``, ``expected``, ``going to``)

Questions (sentences ending with ``?``) are never claims, nor is boilerplate: ``Read more: …``,
``Read the research: …``, ``Get …``, ``Watch …`` source lines, ``Welcome to Import AI…``,
``Thanks for reading``, subscription asks and hopes (``We hope our work will…``).

Where suggestions are shown (``suggests_claims``): not in source lines (``Read more: …``) and not in
Tech Tales, which are fiction ("The ghost will open a door" is no prediction).

Linear time: every pattern is alternations of literals and character classes with bounded
repetition (``{0,40}``) or anchored runs (a number starts only where a run of digits starts; a
sentence end only at the first of its punctuation marks), never nested unbounded quantifiers, so
a pathological paragraph cannot make the matcher backtrack (tests/test_claims.py times one).
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass

from articles.kinds import NO_CLAIMS_PARAGRAPH_KINDS, NO_CLAIMS_SECTION_KINDS


@dataclass(frozen=True)
class Candidate:
    start: int
    end: int
    reasons: tuple[str, ...]


# --- sentences -----------------------------------------------------------------------------

_ABBREVIATIONS = frozenset(
    "e.g i.e etc vs v cf al approx fig figs no nos dr mr mrs ms prof st jr sr inc ltd co corp dept "
    "est jan feb mar apr jun jul aug sep sept oct nov dec mt ed eds vol pp".split()
)
# A candidate sentence end: terminal punctuation, closing quotes/brackets, whitespace, and the
# first character of the next sentence (looked at, not consumed).
_END = re.compile(r"(?<![.!?…])[.!?…]+[\"'”’)\]]*(\s+)(?=[\"'“‘(\[]?[A-Z0-9])")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)\.$")


def _is_abbreviation(text: str, dot: int) -> bool:
    """Whether the ``.`` at ``dot`` ends an abbreviation or an initial rather than a sentence."""
    match = _WORD_BEFORE.search(text, max(0, dot - 12), dot + 1)
    if not match:
        return False
    word = match.group(1)
    if word.lower() in _ABBREVIATIONS or word.lower().rstrip(".") in _ABBREVIATIONS:
        return True
    if re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]", word):  # U.S. / e.g / U.K.
        return True
    return len(word) == 1 and word.isupper()  # an initial: "J. Smith"


def split_sentences(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each sentence of ``text``, whitespace trimmed."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _END.finditer(text):
        end = match.start(1)
        dot = match.start()
        if text[dot] == "." and text[dot : match.start(1)].rstrip("\"'”’)]") == "." and _is_abbreviation(text, dot):
            continue
        spans.append((start, end))
        start = match.end(1)
    spans.append((start, len(text)))
    trimmed = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            trimmed.append((s, e))
    return trimmed


# --- rules ---------------------------------------------------------------------------------

_NUM = r"(?<![\d.,])\d+(?:[.,]\d+)*"  # starts only at the beginning of a run of digits
_SAY = r"(?:writes?|wrote|says?|said|notes?|argues?|finds?|found|reports?|claims?|estimates?|concludes?|explains?)"
_SUBJECT = (
    r"(?:the\s(?:researchers|authors|scientists|team|paper|report|study|company)|they|he|she|we"
    r"|[A-Z][\w-]{0,40}(?:\s[A-Z][\w-]{0,40}){0,2})"
)

_DIGIT = re.compile(r"\d")


def _rule(*patterns: str, flags: int = 0, needs_digit: bool = True, lower: bool = False) -> Callable[[str], bool]:
    """A rule: does any of ``patterns`` occur in the sentence? Small separate patterns instead of
    one big alternation (Python's matcher scans much faster for a pattern with a literal start);
    rules about figures skip sentences without a digit; ``lower`` matches the lower-cased text."""
    compiled = [re.compile(p, flags) for p in patterns]

    def test(sentence: str) -> bool:
        if needs_digit and not _DIGIT.search(sentence):
            return False
        text = sentence.lower() if lower else sentence
        return any(p.search(text) for p in compiled)

    return test


_percent = _rule(rf"{_NUM}\s?%", rf"{_NUM}\s?(?:percent\b|per\s?cent\b|percentage points\b)", lower=True)
_benchmark = _rule(
    r"\b[A-Za-z][\w.+-]{0,40}:\s?\d{1,4}(?:\.\d+)?(?![\d.]*\d)",  # MMLU: 84.8, HumanEval+: 82.8, o1: 91.8
    r"\b[A-Za-z][\w.+-]{0,40}\s\d{2,3}\.\d{1,2}(?![\d.]*\d|\w)",  # GPQA 56.1, R1 79.8
    r"\bscores?\s(?:of\s)?(?:about\s|around\s)?\d+(?:\.\d+)?\b",  # a score of 2727
)
_multiplier_figure = _rule(rf"\b{_NUM}\s?[xX×](?!\w)", rf"\b{_NUM}-fold\b")
_magnitude = _rule(r"\b(?:an?|several|two|three|four|many)\sorders?\sof\smagnitude\b", needs_digit=False, lower=True)
_money = _rule(
    rf"[$€£¥]\s?{_NUM}",  # $80bn, $1.5 billion, €20m
    rf"\b{_NUM}\s?(?:bn|billion|million|trillion)\s(?:dollars|euros|pounds|usd)\b",
    lower=True,
)
_scale = _rule(
    # parameter / token counts: 14B, 14b instruct, 1.2bn parameter, 300M, 10T tokens, 35 million
    rf"\b{_NUM}\s?(?:[BMT]\b|[bB](?=\s|-)|bn\b|billion\b|million\b|trillion\b)",
    # measured quantities: 2416.6MB/step, 132 GW, 10 bits/s, 20FPS, 128k tokens, 800k samples
    rf"\b{_NUM}\s?(?:[KMGTP]B|[kMGT]W|TWh|GWh|MWh|kWh|FLOPs?|PFLOPs|exaflops|bits?/s|FPS)(?![A-Za-z])",
    rf"\b{_NUM}[kKMB]?\s(?:tokens|samples|examples)\b",
    # hardware: 1024 A100 GPUs, 10,000 A100 GPUs, 128 TPUs
    rf"\b{_NUM}\s(?:[A-Z][\w-]{{0,20}}\d[\w-]{{0,20}}\s)?(?:GPUs|TPUs|accelerators|H100s|A100s)\b",
)
_attribution = _rule(
    rf"[,\"”’]\s?[\"”’]?\s?{_SUBJECT}\s{_SAY}\b",  # …," they write / …, the researchers say
    rf"[\"”’],?\s{_SAY}\s[A-Z]",  # …," writes OpenAI researcher Jason Wei
    r"\((?:per|according to)\s[A-Z]",  # (per DeepMind)
    rf"\baccording to\s{_SUBJECT}",
    r"\b(?:researchers|authors|scientists|study|paper)\s(?:show|shows|found|find|demonstrate|demonstrates)\b",
    needs_digit=False,
)
_prediction_explicit = _rule(
    r"\bi\s(?:expect|predict|bet|forecast|anticipate)\b",
    r"\bwill\b(?!\s(?:be\s)?(?:explain|discuss|cover|return|look|describe)\w*)",  # not "as I will explain"
    r"\bwon[’']t\b",
    r"\b(?:we|you|they|it|that|this)[’']ll\b",
    r"\bby\s(?:19|20)\d\d\b",
    r"\b(?:in|over)\sthe\s(?:coming|next)\s(?:few\s)?(?:years|decades|months)\b",
    r"\(estimates?\)",
    r"\bforecasts?\b",
    r"\bprojected\sto\b",
    needs_digit=False,
    lower=True,
)
_year_and_hedge = (
    _rule(r"\b(?:19|20)\d\d\b"),
    _rule(r"\bshould\b", r"\blikely\b", r"\bexpected\b", r"\bgoing\sto\b", needs_digit=False, lower=True),
)


def _prediction(sentence: str) -> bool:
    """An explicit prediction, or a year together with a hedged future ("in 2025 … should")."""
    return _prediction_explicit(sentence) or all(rule(sentence) for rule in _year_and_hedge)


# Rule name → test, in the order reasons are listed.
RULES: dict[str, Callable[[str], bool]] = {
    "percent": _percent,
    "benchmark": _benchmark,
    "multiplier": lambda sentence: _multiplier_figure(sentence) or _magnitude(sentence),
    "money": _money,
    "scale": _scale,
    "attribution": _attribution,
    "prediction": _prediction,
}

_BOILERPLATE = re.compile(
    r"^(?:Read more|Read the (?:research|paper|report|post|blog)|Get (?:the|an|a)\b|Watch\b|Check out\b"
    r"|Find out more|More details|Welcome to Import AI|Thanks for reading|Subscribe\b|If you[’']d like to support"
    r"|(?:We|I) hope\b)",  # an aspiration ("We hope our work will serve as…") claims nothing
    re.I,
)


def sentence_reasons(sentence: str) -> tuple[str, ...]:
    """The names of the rules ``sentence`` matches, in :data:`RULES` order (empty: no claim)."""
    if _BOILERPLATE.match(sentence) or sentence.rstrip("\"'”’) ").endswith("?"):  # questions claim nothing
        return ()
    return tuple(name for name, rule in RULES.items() if rule(sentence))


_MEMO_MAX_CHARS = 10_000  # longer texts are rare and not worth keeping in memory


def find_claims(text: str) -> tuple[Candidate, ...]:
    """Every sentence of ``text`` that matches a rule, as a :class:`Candidate`. Memoised by text
    (the result is immutable and depends on nothing else): ~0.3 ms per paragraph the first time,
    a dictionary look-up after that (docs/CLAIMS.md has the measurements)."""
    return _find_claims_memo(text) if len(text) <= _MEMO_MAX_CHARS else _find_claims(text)


def _find_claims(text: str) -> tuple[Candidate, ...]:
    found = []
    for start, end in split_sentences(text):
        reasons = sentence_reasons(text[start:end])
        if reasons:
            found.append(Candidate(start, end, reasons))
    return tuple(found)


def suggests_claims(section_kind: str, paragraph_kind: str) -> bool:
    """Whether paragraphs of this kind, in a section of this kind, get claim suggestions."""
    return section_kind not in NO_CLAIMS_SECTION_KINDS and paragraph_kind not in NO_CLAIMS_PARAGRAPH_KINDS


def claim_text_hash(text: str) -> str:
    """SHA-256 (hex) of a suggested sentence: what a dismissal remembers besides the offsets."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def candidate_at(text: str, start: int, end: int) -> Candidate | None:
    """The candidate of ``text`` exactly at ``start``–``end``, if there is one."""
    return next((c for c in find_claims(text) if (c.start, c.end) == (start, end)), None)


_find_claims_memo = functools.lru_cache(maxsize=4096)(_find_claims)
