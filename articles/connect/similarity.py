"""Story similarity for "Related" stories: tokeniser, term vectors, TF-IDF cosine. Pure Python.

Method (documented in docs/CONNECT.md):
- **Tokens**: lowercase words of letters/digits that start with a letter, keeping inner hyphens
  and dots between alphanumerics ("gpt-4", "o1-preview", "llama-3.1"); pure numbers ("2024",
  "97.5") are dropped, as are stop words and one-letter tokens. Curly apostrophes are folded and
  possessive "'s" dropped, so "DeepMind's" counts as "deepmind".
- **Story document**: headline + dek + every paragraph of a story / tech tale section. Its raw
  term counts are stored (``StoryVector.terms``), so document frequencies never need the text
  tokenised again.
- **Weights**: sublinear tf ``1 + ln(count)`` times smoothed idf ``ln((1 + N) / (1 + df)) + 1``
  (N stories, df stories containing the term), L2-normalised; similarity is the cosine.
- **Candidates**: a story is scored only against the stories that share one of its
  ``INDEX_TERMS`` most distinctive terms (highest weight) — each story's own distinctive terms
  are indexed when it is stored — ranked by the summed ``weight × idf`` of the shared terms; the
  best ``CANDIDATES`` are scored exactly. Terms in more than ``COMMON_DF`` stories are not looked
  up (they say little and would make the look-up grow with the library).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping

_TOKEN = re.compile(r"[a-z0-9]+(?:[-.][a-z0-9]+)*")
MAX_TOKEN = 64  # longer runs of letters (a pasted hash, a mangled URL) are not words
INDEX_TERMS = 40  # distinctive terms per story in the candidate index
CANDIDATES = 60  # candidate stories scored exactly per story
COMMON_DF = 1_000  # terms in more stories than this are not used to find candidates

STOP_WORDS = frozenset(
    """
    a about above after again against all almost also although am among an and another any are
    aren around as at be because been before being below between both but by can cannot could
    did do does doing done down during each either else enough etc even ever every few for from
    further get gets getting go goes going got had has have having he her here hers herself him
    himself his how however i if in into is isn it its itself just least less like likely lot
    lots made make makes making many may maybe me might more most much must my myself near need
    needs no nor not now of off often on once one only onto or other others our ours ourselves
    out over own per perhaps put quite rather really same say says said see seem seems several
    shall she should since so some something still such than that the their theirs them
    themselves then there these they thing things this those though through thus to too toward
    towards under until up upon us use used uses using very via was way ways we well were what
    when where whether which while who whom whose why will with within without would yet you
    your yours yourself new also able across actually already always back based big came come
    comes two three four five first second last next take takes far good great kind per
    read more why matters www http https com org html arxiv pdf
    """.split()
)


def tokenize(text: str) -> list[str]:
    """Lowercase word tokens of ``text`` without stop words, numbers and one-letter tokens."""
    text = text.lower().replace("\u2019", "'").replace("'s ", " ")
    tokens = []
    for token in _TOKEN.findall(text):
        if not token[0].isalpha() or not 2 <= len(token) <= MAX_TOKEN or token in STOP_WORDS:
            continue
        tokens.append(token)
    return tokens


def term_counts(parts: Iterable[str]) -> dict[str, int]:
    """The stored term vector of one story: ``{term: count}`` over all its texts."""
    counts: Counter[str] = Counter()
    for part in parts:
        counts.update(tokenize(part))
    return dict(counts)


def document_frequencies(vectors: Iterable[Mapping[str, int]]) -> Counter[str]:
    """In how many stories each term occurs."""
    df: Counter[str] = Counter()
    for terms in vectors:
        df.update(terms.keys())
    return df


def idf(df: int, n_docs: int) -> float:
    """Smoothed inverse document frequency of a term found in ``df`` of ``n_docs`` stories."""
    return math.log((1 + n_docs) / (1 + df)) + 1.0


def tfidf(terms: Mapping[str, int], df: Mapping[str, int], n_docs: int) -> dict[str, float]:
    """L2-normalised TF-IDF weights of one story."""
    weights = {
        term: (1.0 + math.log(count)) * (math.log((1 + n_docs) / (1 + df.get(term, 0))) + 1.0)
        for term, count in terms.items()
        if count > 0
    }
    norm = math.sqrt(sum(w * w for w in weights.values()))
    return {term: w / norm for term, w in weights.items()} if norm else {}


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """Cosine of two L2-normalised sparse vectors (iterates over the smaller one)."""
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(term, 0.0) for term, w in a.items())


def top_related(
    query: Mapping[str, float], candidates: Mapping[int, Mapping[str, float]], *, limit: int, threshold: float
) -> list[tuple[int, float]]:
    """The ``limit`` best (id, score) of ``candidates`` scoring at least ``threshold``, best first."""
    scored = [(key, cosine(query, vector)) for key, vector in candidates.items()]
    scored = [(key, score) for key, score in scored if score >= threshold]
    scored.sort(key=lambda item: (-item[1], item[0]))
    return scored[:limit]


def distinctive_terms(weights: Mapping[str, float], limit: int = INDEX_TERMS) -> list[str]:
    """The ``limit`` terms of highest weight (ties by term), the story's entry in the index."""
    return [term for term, _ in sorted(weights.items(), key=lambda item: (-item[1], item[0]))[:limit]]


def rank_candidates(
    query: Mapping[str, float],
    postings: Mapping[str, Iterable[int]],
    df: Mapping[str, int],
    n_docs: int,
    *,
    limit: int = CANDIDATES,
) -> list[int]:
    """The ``limit`` stories most likely to be related to ``query`` (its weights), from the index
    ``postings`` (term → stories whose distinctive terms include it): each candidate scores the
    summed ``weight × idf`` of the query's distinctive terms it shares; best first, ties by id."""
    scores: dict[int, float] = {}
    for term in distinctive_terms(query):
        stories = postings.get(term)
        if not stories:
            continue
        gain = query[term] * idf(df.get(term, 0), n_docs)
        for story in stories:
            scores[story] = scores.get(story, 0.0) + gain
    return [story for story, _ in sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:limit]]
