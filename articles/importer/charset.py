"""Bytes with a declared charset → normalised text (e-mail parts, feed bodies, fetched pages).

Same normalisation as :func:`~articles.importer.decode.decode_source` (BOM and NULs dropped,
CRLF/CR → LF, Unicode NFC), plus quoted-printable leftovers repaired. Pure: no Django.
"""

from __future__ import annotations

import codecs
import unicodedata

from .decode import DecodedSource
from .repair import repair_quoted_printable

# Charsets that senders declare but mean cp1252 (its superset); Python's latin-1 would turn the
# 0x80–0x9F quotes and dashes into invisible C1 controls.
_CP1252_ALIASES = {"latin-1", "latin1", "iso-8859-1", "iso8859-1", "iso_8859-1", "us-ascii", "ascii", "l1"}


def normalise_text(text: str) -> str:
    """Drop a BOM and NULs, CRLF/CR → LF, repair quoted-printable leftovers, Unicode NFC."""
    text = text.removeprefix("\ufeff").replace("\x00", "")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", repair_quoted_printable(text))


def _codec(charset: str) -> str | None:
    charset = (charset or "").strip().strip("\"'").lower()
    if not charset:
        return None
    if charset in _CP1252_ALIASES:
        return "cp1252"
    try:
        return codecs.lookup(charset).name
    except (LookupError, ValueError):  # unknown, or a NUL inside the name
        return None


def decode_with_charset(raw: bytes, charset: str = "") -> DecodedSource:
    """Decode ``raw`` with the declared ``charset``, else UTF-8, else cp1252 (never fails).

    ``encoding`` is the codec actually used; a note is only produced (by DecodedSource.notes) when
    that is not UTF-8, so a declared ISO-8859-1 body reports "decoded as cp1252".
    """
    raw = raw.removeprefix(b"\xef\xbb\xbf")
    attempts = []
    declared = _codec(charset)
    if declared:
        attempts.append(declared)
    attempts += [c for c in ("utf-8", "cp1252") if c not in attempts]
    for codec in attempts:
        try:
            text = raw.decode(codec)
        except (UnicodeError, LookupError):  # UnicodeError: the "undefined" codec refuses everything
            continue
        encoding = "utf-8" if codec == "utf-8" or raw.isascii() else codec
        return DecodedSource(text=normalise_text(text), encoding=encoding)
    # cp1252 leaves five bytes undefined; keep everything else rather than refuse the text.
    return DecodedSource(text=normalise_text(raw.decode("cp1252", errors="replace")), encoding="cp1252")
