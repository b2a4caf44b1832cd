"""Connections between issues: cross-issue references ("Import AI #387"), related stories
(TF-IDF cosine) and topic threads (docs/CONNECT.md).

``xrefs.py`` (the reference detector) and ``similarity.py`` (tokens, term vectors, cosine) are
pure (no Django) and re-exported here; the Django parts live in named submodules that callers
import explicitly: ``services.py`` (the builders run after each import) and ``selectors.py``
("Referenced by" backlinks, topic threads).
"""

from .similarity import cosine, document_frequencies, term_counts, tfidf, tokenize, top_related
from .xrefs import NUMBERED_NEWSLETTERS, XrefMatch, find_xrefs

__all__ = [
    "NUMBERED_NEWSLETTERS", "XrefMatch", "cosine", "document_frequencies", "find_xrefs", "term_counts", "tfidf",
    "tokenize", "top_related",
]
