"""Import AI as plain text (the e-mail / copy-paste form).

Layout: ``Import AI NNN: title`` on line 1, the subtitle on line 2 (surrounding ellipses such as
``…I expect…`` are stripped; the line is skipped as a subtitle when it is already the
"Welcome to Import AI" intro), then the body, which :mod:`.importai_structure` segments.
Every non-blank line is one paragraph; whitespace runs are collapsed. Plain text has no markup,
so lead-ins are inferred (see the structure module) and there are never LINK marks.
"""

from __future__ import annotations

import re

from .importai_structure import Line, collapse_whitespace, is_separator, segment_issue, strip_ellipses
from .types import IMPORTAI_TEXT, ParsedIssue, ParseError

NEWSLETTER = "Import AI"
_TITLE = re.compile(r"Import AI\s+#?(\d{1,6})\s*:\s*(\S.*)\Z")
_INTRO_START = "Welcome to Import AI"


def parse_title_line(line: str) -> tuple[int, str]:
    """``"Import AI 395: AI and energy"`` → ``(395, "AI and energy")``; ParseError otherwise."""
    match = _TITLE.match(line)
    if match is None:
        shown = line[:80] + ("…" if len(line) > 80 else "")
        raise ParseError(
            f"not an Import AI text issue: the first line should look like "
            f"'Import AI 395: title', but it is {shown!r}"
        )
    return int(match.group(1)), match.group(2).strip()


def parse_importai_text(text: str) -> ParsedIssue:
    """Parse a plain-text Import AI issue into a :class:`ParsedIssue`."""
    lines = [collapse_whitespace(raw).strip() for raw in text.split("\n")]
    lines = [line for line in lines if line]
    if not lines:
        raise ParseError("the text is empty")
    number, title = parse_title_line(lines[0])
    body = lines[1:]
    subtitle = ""
    if body and not body[0].startswith(_INTRO_START) and not is_separator(body[0]):
        subtitle = strip_ellipses(body.pop(0))
    sections = segment_issue([Line(line) for line in body], infer_lead_ins=True)
    return ParsedIssue(
        format=IMPORTAI_TEXT,
        newsletter=NEWSLETTER,
        title=title,
        number=number,
        subtitle=subtitle,
        sections=sections,
    )
