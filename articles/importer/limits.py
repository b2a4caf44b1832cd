"""What one issue may hold, and how long reading it may take: every bound of the importer in one
place. Pure: no Django.

A file past a bound is refused with a :class:`ParseError` that names the figure and the limit
("this issue has 200,000 paragraphs; the limit is 20,000"); nothing is stored. The bounds are far
above what a real newsletter holds (the seeds: ≤ 12 sections, ≤ 150 paragraphs, paragraphs under
3,000 characters, HTML nested ≤ 30 deep, ≤ 6,000 tags) and low enough that the reading page of the
largest issue allowed still renders in seconds, and that a hostile file is refused in well under a
second instead of parsing for a minute (measured in docs/BENCHMARKS.md, "Import bounds").

Checks happen twice: *before* parsing, on the decoded text (cheap counts of tags and text blocks,
so a 4 MB file of ``<br>`` never reaches the HTML parser), and *after*, on the parsed issue (the
exact counts). In between, :func:`check_time` is called at coarse points of the extractor (per
step and every few thousand lines/nodes) against a per-item deadline of ``MAX_PARSE_SECONDS``.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from .types import ParseError

MAX_SECTIONS = 2_000  # sections (stories, intro, sponsor blocks …) in one issue
MAX_PARAGRAPHS = 20_000  # paragraphs in one issue, all sections together
MAX_PARAGRAPH_CHARS = 100_000  # characters in one paragraph
MAX_DEPTH = 256  # open HTML tags at once (real newsletters nest ~20 deep; BeautifulSoup slows down with depth)
MAX_TAGS = 100_000  # HTML tags in one document (the seeds' largest e-mail has ~6,000)
MAX_BLOCKS = MAX_PARAGRAPHS + MAX_SECTIONS  # blank-line separated text blocks (each one is ≥ 1 paragraph or a heading)
MAX_PARSE_SECONDS = 20.0  # wall-clock time to extract one item (a real issue takes < 0.2 s)

_TAG = re.compile(r"<[A-Za-z!/]")
_BLOCK_BREAK = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)*")

_deadline: ContextVar[float | None] = ContextVar("importer_deadline", default=None)


def _count(n: int) -> str:
    return f"{n:,}"


@contextmanager
def time_budget(seconds: float | None = None) -> Iterator[None]:
    """Within the block, :func:`check_time` raises ParseError once ``seconds`` (default
    ``MAX_PARSE_SECONDS``) have passed. A nested budget never extends the outer one."""
    deadline = time.monotonic() + (MAX_PARSE_SECONDS if seconds is None else seconds)
    outer = _deadline.get()
    token = _deadline.set(deadline if outer is None else min(outer, deadline))
    try:
        yield
    finally:
        _deadline.reset(token)


def check_time() -> None:
    """Raise ParseError when the current item's time budget is spent (no budget: never)."""
    deadline = _deadline.get()
    if deadline is not None and time.monotonic() > deadline:
        raise ParseError(f"reading this issue took more than {MAX_PARSE_SECONDS:g} seconds; the limit is "
                         f"{MAX_PARSE_SECONDS:g} seconds per issue")


def check_source(body: str, *, html: bool) -> None:
    """Cheap bounds on the decoded text, before any parser sees it."""
    if html:
        tags = len(_TAG.findall(body))
        if tags > MAX_TAGS:
            raise ParseError(f"this issue has {_count(tags)} HTML tags; the limit is {_count(MAX_TAGS)}")
        return
    blocks = len(_BLOCK_BREAK.findall(body.strip())) + 1
    if blocks > MAX_BLOCKS:
        raise ParseError(
            f"this issue has {_count(blocks)} paragraphs; the limit is {_count(MAX_PARAGRAPHS)}"
        )


def check_issue(sections: tuple) -> None:
    """Exact bounds on the parsed issue (``sections``: its ParsedSection tuple)."""
    if len(sections) > MAX_SECTIONS:
        raise ParseError(f"this issue has {_count(len(sections))} sections; the limit is {_count(MAX_SECTIONS)}")
    paragraphs = sum(len(s.paragraphs) for s in sections)
    if paragraphs > MAX_PARAGRAPHS:
        raise ParseError(f"this issue has {_count(paragraphs)} paragraphs; the limit is {_count(MAX_PARAGRAPHS)}")
    longest = max((len(p.text) for s in sections for p in s.paragraphs), default=0)
    if longest > MAX_PARAGRAPH_CHARS:
        raise ParseError(
            f"this issue has a paragraph of {_count(longest)} characters; the limit is {_count(MAX_PARAGRAPH_CHARS)}"
        )
