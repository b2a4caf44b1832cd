"""Re-anchoring: placing highlights and notes again after an issue is re-imported with edited text.

``algorithm.py`` is pure (no Django; rapidfuzz) and re-exported here: a highlight's W3C text
quote/position selector (:class:`TextSelector`), the paragraphs of the re-imported issue
(:class:`TargetParagraph`) and :func:`reanchor`, which returns a :class:`Placement`. The Django parts
live in named submodules that callers import explicitly: ``selectors.py`` (where the annotations
were before the sync) and ``services.py`` (:func:`~articles.anchoring.services.issue_reanchor`).

Words: *placing* / *re-anchoring* is this package's business; an *anchor* elsewhere is a URL
fragment id (``Section.anchor``, ``Paragraph.anchor``).
"""

from .algorithm import (
    CONTEXT_CHARS,
    FUZZY_THRESHOLD,
    MIN_FUZZY_CHARS,
    QUOTE_MIN,
    Placement,
    Status,
    TargetParagraph,
    TextSelector,
    reanchor,
    text_selector_for,
)

__all__ = [
    "CONTEXT_CHARS", "FUZZY_THRESHOLD", "MIN_FUZZY_CHARS", "QUOTE_MIN", "Placement", "Status", "TargetParagraph",
    "TextSelector", "reanchor", "text_selector_for",
]
