"""What comes before a newsletter's title: YAML front matter, dates, datelines.

Front matter (:func:`split_front_matter`)
    The text must start with a ``---`` line and have a closing ``---`` (or ``...``) line within
    the first ``FRONT_MATTER_MAX_LINES`` lines; the block is read with ``yaml.safe_load`` and only
    counts when it gives a mapping (otherwise the text is left alone: a leading ``---`` can also be
    a separator). Keys (case-insensitive): ``title``; ``date`` / ``published`` / ``published_at``
    / ``pubDate``; ``source`` / ``site`` / ``publication`` / ``newsletter`` (newsletter name);
    ``author``; ``url`` / ``source_url`` / ``link`` / ``canonical_url`` (http/https only);
    ``subtitle`` / ``description``. Other keys (``created``, ``tags``, …) are ignored.

    Browser clippers (Obsidian Web Clipper and the like) write ``source: https://site/p/slug``:
    when ``source`` / ``site`` / ``publication`` is an http(s) URL it is not a name but the
    issue's URL (unless a ``url`` key gives one) and the newsletter key is ``site:<host>`` of it
    (lower case, ``www.`` stripped); the newsletter name then stays empty unless another of those
    keys or ``newsletter`` names it. Authors written as Obsidian wiki-links (``"[[Marta Velde]]"``,
    ``[[page|shown name]]`` → the shown name) lose the brackets; a list is joined with ", ".

Dates (:func:`to_datetime`)
    An aware datetime; a naive one is taken as UTC; a bare date is midnight UTC. Strings are read
    as ISO 8601 first, then with dateutil (RFC 2822 and friends); unreadable → ``None``.

Dateline (:func:`find_dateline`)
    Among the first ``DATELINE_WINDOW`` lines, a line of at most 60 characters that is only a
    date — "November 3, 2026", "Nov 3, 2026", "3 November 2026", "3 Nov 2026", "2026-11-03",
    optionally after a weekday ("Tuesday, November 3, 2026") or "Published"/"Posted (on)" —
    gives the issue date (midnight UTC). The line is removed from the body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from urllib.parse import urlsplit

import yaml

from .importai_html import safe_href

FRONT_MATTER_MAX_LINES = 200
DATELINE_WINDOW = 6

_KEYS = {
    "title": "title",
    "date": "published_at", "published": "published_at", "published_at": "published_at",
    "pubdate": "published_at",
    "source": "source", "site": "source", "publication": "source",
    "newsletter": "newsletter",
    "author": "author",
    "url": "url", "source_url": "url", "link": "url", "canonical_url": "url",
    "subtitle": "subtitle", "description": "subtitle",
}  # fmt: skip


@dataclass(frozen=True)
class FrontMatter:
    title: str = ""
    newsletter: str = ""
    author: str = ""
    subtitle: str = ""
    url: str = ""
    published_at: datetime | None = None
    newsletter_key: str = ""  # site:<host> when the source was a URL


def to_datetime(value: object) -> datetime | None:
    """See the module docstring."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime.combine(value, time(), tzinfo=UTC)
    if not isinstance(value, str) or not value.strip() or len(value) > 100:
        return None
    text = value.strip()
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            from dateutil import parser as date_parser

            parsed = date_parser.parse(text)
        except (ValueError, OverflowError, ImportError):
            return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _text(value: object) -> str:
    if isinstance(value, dict):  # author: {name: …}
        value = value.get("name", "")
    if isinstance(value, list):
        value = ", ".join(_text(v) for v in value)
    return " ".join(str(value).split()) if value is not None else ""


_WIKI_LINK = re.compile(r"\[\[([^\[\]|]*)(?:\|([^\[\]]*))?\]\]")


def _unwiki(value: object) -> object:
    """``"[[Marta Velde]]"`` → ``"Marta Velde"`` (``[[page|shown]]`` → ``shown``), also in lists."""
    if isinstance(value, list):
        return [_unwiki(v) for v in value]
    if isinstance(value, str):
        return _WIKI_LINK.sub(lambda m: (m.group(2) or m.group(1)).strip(), value)
    return value


def _site_key(url: str) -> str:
    try:
        host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
    except ValueError:
        return ""
    return f"site:{host}" if host else ""


_LOOSE = re.compile(r"(?P<key>[A-Za-z_][\w-]*)\s*:\s*(?P<value>.*)")


def _loose_mapping(block: list[str]) -> dict[str, str] | None:
    """``key: value`` lines that YAML refuses (``title: Import AI 408: x``): read them literally
    (surrounding quotes removed) when every top-level line has that shape."""
    data: dict[str, str] = {}
    for line in block:
        if not line.strip() or line[:1].isspace() or line.lstrip().startswith(("#", "- ")):
            continue
        m = _LOOSE.fullmatch(line.strip())
        if m is None:
            return None
        value = m.group("value").strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        data[m.group("key")] = value
    return data


def split_front_matter(text: str) -> tuple[FrontMatter | None, str]:
    """``(front matter, rest of the text)``; ``(None, text)`` when there is none."""
    if not text.startswith("---"):
        return None, text
    lines = text.split("\n", FRONT_MATTER_MAX_LINES + 1)
    if lines[0].strip() != "---":
        return None, text
    end = next((i for i in range(1, min(len(lines), FRONT_MATTER_MAX_LINES)) if lines[i].strip() in ("---", "...")), 0)
    if not end:
        return None, text
    block = lines[1:end]
    try:
        data = yaml.safe_load("\n".join(block))
    except yaml.YAMLError:
        data = _loose_mapping(block)
    if not isinstance(data, dict) or not data:
        return None, text
    fields: dict[str, object] = {}
    for key, value in data.items():
        name = _KEYS.get(str(key).lower())
        if name and name not in fields and value not in (None, ""):
            fields[name] = value
    rest = "\n".join(lines[end + 1 :])
    url = safe_href(_text(fields.get("url", "")))
    newsletter = _text(fields.get("newsletter", ""))
    key = ""
    for key_name, value in data.items():  # source / site / publication, in the file's order
        if _KEYS.get(str(key_name).lower()) != "source" or value in (None, ""):
            continue
        source = _text(value)
        if safe_href(source):
            url = url or safe_href(source)
            key = key or _site_key(source)
        else:
            newsletter = newsletter or source
    return FrontMatter(
        title=_text(fields.get("title", "")),
        newsletter=newsletter,
        author=_text(_unwiki(fields.get("author", ""))),
        subtitle=_text(fields.get("subtitle", "")),
        url=url,
        published_at=to_datetime(fields.get("published_at")),
        newsletter_key=key,
    ), rest


_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        ("january jan", "february feb", "march mar", "april apr", "may", "june jun", "july jul",
         "august aug", "september sep sept", "october oct", "november nov", "december dec")
    )  # fmt: skip
    for m in names.split()
}
_MONTH = r"(?P<month>[A-Za-z]{3,9})\.?"
_PREFIX = r"(?:(?:published|posted)(?: on)?:?\s+)?(?:[A-Za-z]{3,9}day,?\s+)?"
_DATELINES = (
    re.compile(_PREFIX + _MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})\.?", re.I),
    re.compile(_PREFIX + r"(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+(?P<year>\d{4})\.?", re.I),
    re.compile(_PREFIX + r"(?P<year>\d{4})-(?P<mon>\d{2})-(?P<day>\d{2})", re.I),
)


def parse_dateline(text: str) -> datetime | None:
    """The date when ``text`` is only a date (see the module docstring), else ``None``."""
    text = text.strip().strip("*_·|").strip()
    if len(text) > 60:
        return None
    for pattern in _DATELINES:
        m = pattern.fullmatch(text)
        if not m:
            continue
        groups = m.groupdict()
        month = int(groups["mon"]) if groups.get("mon") else _MONTHS.get(groups["month"].lower(), 0)
        try:
            return datetime(int(groups["year"]), month, int(groups["day"]), tzinfo=UTC)
        except ValueError:
            return None
    return None


def find_dateline(texts: list[str]) -> tuple[int, datetime] | None:
    """``(index, date)`` of the first dateline among the first lines, else ``None``."""
    for i, text in enumerate(texts[:DATELINE_WINDOW]):
        found = parse_dateline(text)
        if found is not None:
            return i, found
    return None
