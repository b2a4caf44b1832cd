"""Bytes → normalised text, before anything is hashed or parsed.

The same newsletter saved on Windows (BOM, CRLF) or with stray NULs must hash and parse exactly like
the clean file, so every import goes through :func:`decode_source` first.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from .types import ParseError

MAX_BYTES = 5 * 1024 * 1024  # the importer's own limit; Django's upload settings do not bound size

# Control characters other than tab/newline that mark a file as binary rather than text.
_BINARY_CONTROLS = {chr(c) for c in range(0x20) if chr(c) not in "\t\n\r\f"} | {"\x7f"}


@dataclass(frozen=True)
class DecodedSource:
    text: str
    encoding: str  # "utf-8" or "cp1252"

    @property
    def notes(self) -> tuple[str, ...]:
        if self.encoding == "utf-8":
            return ()
        return (f"not valid UTF-8; decoded as {self.encoding}",)


def decode_source(raw: bytes) -> DecodedSource:
    """Decode and normalise ``raw``: strip a UTF-8 BOM, drop NULs, CRLF/CR → LF, Unicode NFC.

    Raises :class:`ParseError` for empty, oversized or binary input.
    """
    if len(raw) > MAX_BYTES:
        raise ParseError(f"file is {len(raw):,} bytes; the limit is {MAX_BYTES:,} bytes (5 MB)")
    raw = raw.removeprefix(b"\xef\xbb\xbf").replace(b"\x00", b"")
    if not raw.strip():
        raise ParseError("file is empty")
    try:
        text, encoding = raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        try:
            text, encoding = raw.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            raise ParseError("file is binary or in an unknown encoding (neither UTF-8 nor cp1252)") from None
    sample = text[:65536]
    if sum(ch in _BINARY_CONTROLS for ch in sample) > max(8, len(sample) // 100):
        raise ParseError("file looks binary (many control characters), not a newsletter")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return DecodedSource(text=unicodedata.normalize("NFC", text), encoding=encoding)
