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
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping

_TOKEN = re.compile(r"[a-z0-9]+(?:[-.][a-z0-9]+)*")

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
        if not token[0].isalpha() or len(token) < 2 or token in STOP_WORDS:
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
