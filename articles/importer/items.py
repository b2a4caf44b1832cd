"""Channel output → items: one source (a file, a zip, an mbox, a feed, an e-mail) holds many issues.

:func:`split_items` is the only entry point the services use: it takes a name and raw bytes and
yields one :class:`Document` per issue found, or an :class:`ItemFailure` for an item that cannot be
read (the other items still come through). Pure: no Django, no network.
"""

from __future__ import annotations

from collections.abc import Iterator

from .decode import decode_source
from .types import DOC_HTML, DOC_TEXT, Document, ItemFailure, ParseError, SourceMeta
from .detect import looks_like_html


def split_items(name: str, raw: bytes, *, meta: SourceMeta = SourceMeta()) -> Iterator[Document | ItemFailure]:
    """Every issue in ``raw`` as a Document (``meta`` fills what the content does not say)."""
    try:
        decoded = decode_source(raw)
    except ParseError as exc:
        yield ItemFailure(name, str(exc))
        return
    kind = DOC_HTML if looks_like_html(decoded.text) else DOC_TEXT
    yield Document(name=name, kind=kind, body=decoded.text, meta=meta, encoding=decoded.encoding,
                   notes=decoded.notes)
