"""The Import AI refinement, layered on the shared Line pipeline (text, Markdown and HTML).

It is used when, after header stripping, the first line is an Import AI title
(``Import AI 408: title``, also ``Import AI #408:``, ``# Import AI 408: …`` or ``**…**``), or for
HTML when the body is an Import AI Substack post (see :func:`is_importai_html`). It then runs the
existing Import AI segmentation (:func:`~.importai_structure.segment_issue`: intro, separator-split
stories with ``…dek…``, Tech Tales, "Thanks for reading", salutation-led reader comments).

Extra rules on top of the old parsers:
    * the footer after "Thanks for reading" (unsubscribe, ©, "Manage your subscription", …) and
      stand-alone button lines are removed first (:mod:`.chrome`), so they never become reader
      comments; link rows are matched per ``|``-separated cell ("Subscribe to Import AI | Privacy
      | Terms" is chrome and starts the footer);
    * a heading line (``<h2>``, ``## …``) is a headline even without the trailing colon;
    * subtitle: the line after the title unless it is the "Welcome to Import AI" intro, a
      separator or a headline (ends with ``:``) — exactly the old text rule otherwise;
    * without a title line (the Substack HTML body) the title is the page's title when it is an
      Import AI title, else the first story's headline (the old HTML rule).

A ParseError from here makes :func:`~.extract.extract` fall back to the generic extractor.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from .chrome import strip_chrome
from .importai_structure import Line, is_separator, is_thanks, looks_like_headline, segment_issue, strip_ellipses
from .types import STORY, ParsedIssue, ParseError

NEWSLETTER = "Import AI"
KEY = "name:import-ai"
_TITLE = re.compile(r"[#*_\s]*Import AI\s+#?(\d{1,6})\s*:\s*(?P<title>\S.*?)[*_\s]*")
_INTRO_START = "Welcome to Import AI"


def importai_title(text: str) -> tuple[int, str] | None:
    """``(number, title)`` when ``text`` is an Import AI title line, else ``None``."""
    m = _TITLE.fullmatch(text.strip())
    return (int(m.group(1)), m.group("title").strip()) if m else None


def is_importai_html(html: str, *, page_url: str = "", newsletter: str = "", fragment: bool) -> bool:
    """A Substack body/page of Import AI: the welcome line, its Substack host, or its name."""
    head = html[:200_000]
    if _INTRO_START in head or "importai.substack.com" in page_url.lower():
        return True
    return newsletter.strip().lower() == "import ai" or (fragment and "importai.substack.com" in head)


def _headline_colons(lines: Sequence[Line]) -> list[Line]:
    out = []
    for line in lines:
        if 1 <= line.heading <= 4 and not line.text.endswith(":"):
            line = replace(line, text=line.text + ":")
        out.append(line)
    return out


def refine_importai(
    lines: Sequence[Line], *, fmt: str, infer_lead_ins: bool, page_title: str = "", page_subtitle: str = ""
) -> tuple[ParsedIssue, Counter[str]]:
    """The issue from ``lines`` (header chrome already removed); ParseError when it does not fit."""
    body = [line for line in lines if line.text]
    number: int | None = None
    title = subtitle = ""
    head = importai_title(body[0].text) if body else None
    if head is not None:
        number, title = head
        body = body[1:]
        first = body[0] if body else None
        if (
            first is not None and not first.text.startswith(_INTRO_START) and not is_separator(first.text)
            and not first.rule and not looks_like_headline(first) and not first.heading
        ):  # fmt: skip
            subtitle = strip_ellipses(body.pop(0).text)
    elif (page := importai_title(page_title)) is not None:
        number, title = page
        subtitle = page_subtitle
    removed: Counter[str] = Counter()
    thanks = next((i for i, line in enumerate(body) if is_thanks(line.text)), None)
    body = strip_chrome(body, removed, sign_off_index=thanks)
    sections = segment_issue(_headline_colons(body), infer_lead_ins=infer_lead_ins)
    if not title:
        title = next((s.headline for s in sections if s.kind == STORY), "")
        if not title:
            raise ParseError("no title found: the first story has no headline ending in ':'")
    issue = ParsedIssue(
        format=fmt, newsletter=NEWSLETTER, title=title, number=number, subtitle=subtitle,
        sections=sections, newsletter_key=KEY,
    )  # fmt: skip
    return issue, removed
