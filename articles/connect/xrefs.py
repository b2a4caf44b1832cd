"""Cross-issue references in paragraph text, e.g. ``Import AI #387``, ``(Import AI 393)``.

Pure: text in, ``XrefMatch`` ranges out; no Django. One regular expression without nested
quantifiers, run once over the text, so detection is linear in the text's length.

Recognised: a known newsletter name (case as written by its authors, "Import AI"), optional
whitespace, an optional ``#``, and a number of 1–4 digits not followed by more digits or by a
decimal part ("Import AI 2.5" is not a reference). The range covers the name and the number, not
a surrounding ``(``/``)`` or a leading ``#`` before the name (seed 004 writes "#Import AI 363").
A reference to the issue itself is dropped by the builder (``articles/connect/services.py``), not
here: the detector does not know which issue a text belongs to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Newsletters whose issues are numbered; the canonical name is what the importer stores.
NUMBERED_NEWSLETTERS = ("Import AI",)

_NAMES = "|".join(re.escape(name).replace(r"\ ", r"[ \u00a0]") for name in NUMBERED_NEWSLETTERS)
_PATTERN = re.compile(rf"\b({_NAMES})[ \u00a0]?#?[ \u00a0]?(\d{{1,4}})(?![\d])(?![.,]\d)")
_CANONICAL = {name.replace(" ", "").lower(): name for name in NUMBERED_NEWSLETTERS}


@dataclass(frozen=True)
class XrefMatch:
    start: int
    end: int
    newsletter_name: str
    number: int


def find_xrefs(text: str) -> list[XrefMatch]:
    """Every reference in ``text``, in order, as (start, end, newsletter name, number)."""
    found = []
    for match in _PATTERN.finditer(text):
        key = re.sub(r"[ \u00a0]", "", match.group(1)).lower()
        found.append(XrefMatch(match.start(), match.end(), _CANONICAL[key], int(match.group(2))))
    return found
