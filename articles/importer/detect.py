"""Does this text start like HTML? (The format of a whole source is sniffed in :mod:`.sniff`.)"""

from __future__ import annotations

import re

_HTML_START = re.compile(r"<(p|div|html|body|!doctype|h[1-6]|ul|section|article)\b", re.IGNORECASE)


def looks_like_html(text: str) -> bool:
    """Whether ``text`` starts like an HTML document or fragment."""
    return bool(_HTML_START.match(text.lstrip()[:4096]))
