"""Dates as e-mail clients write them → timezone-aware datetimes (pure, no Django, no dateutil).

:func:`parse_date` reads RFC 2822 dates (``Tue, 03 Nov 2026 09:01:00 +0000``) and the forms that
mail clients print in a forwarded message's header block:

* Gmail: ``Tue, Nov 3, 2026 at 9:01 AM``
* Apple Mail: ``November 3, 2026 at 9:01:00 AM EST`` or ``3 November 2026 at 09:01:00 GMT+1``
* Outlook: ``Tuesday, November 3, 2026 9:01 AM``

A date without a zone is taken as UTC.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
            ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
            ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"), ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}

#: Zone abbreviations mail clients print (hours from UTC). Unknown ones are read as UTC.
_ZONES = {
    "UTC": 0, "GMT": 0, "Z": 0, "UT": 0,
    "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7,
    "BST": 1, "CET": 1, "CEST": 2, "EET": 2, "EEST": 3, "IST": 5.5, "JST": 9, "AEST": 10, "AEDT": 11,
}

_WEEKDAY = r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
_MONTH = r"(?P<month>[a-z]{3,9})\.?"
_DATE_MDY = _MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})"
_DATE_DMY = r"(?P<day>\d{1,2})\.?\s+" + _MONTH + r",?\s+(?P<year>\d{4})"
_TIME = (
    r"(?:,?\s+(?:at\s+)?(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?"
    r"\s*(?P<ampm>[ap]\.?m\.?)?"
    r"(?:\s*\(?(?P<zone>[a-z]{1,5}(?:[+-]\d{1,2}(?::?\d{2})?)?|[+-]\d{2}:?\d{2})\)?)?)?"
)
_CLIENT_DATES = [
    re.compile(r"^\s*" + _WEEKDAY + date + _TIME + r"\s*$", re.IGNORECASE) for date in (_DATE_MDY, _DATE_DMY)
]
_OFFSET = re.compile(r"^(?P<name>[a-z]*)(?:(?P<sign>[+-])(?P<h>\d{1,2})(?::?(?P<m>\d{2}))?)?$", re.IGNORECASE)


def aware(value: datetime) -> datetime:
    """``value`` with UTC attached when it has no zone."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _zone(text: str | None) -> timezone:
    if not text:
        return UTC
    match = _OFFSET.match(text)
    if not match:
        return UTC
    hours = _ZONES.get(match["name"].upper(), 0) if match["name"] else 0
    offset = timedelta(hours=hours)
    if match["sign"]:
        delta = timedelta(hours=int(match["h"]), minutes=int(match["m"] or 0))
        offset += delta if match["sign"] == "+" else -delta
    if abs(offset) >= timedelta(hours=24):
        return UTC
    return timezone(offset) if offset else UTC


def _client_date(text: str) -> datetime | None:
    for pattern in _CLIENT_DATES:
        match = pattern.match(text)
        if not match:
            continue
        month = _MONTHS.get(match["month"].lower())
        if month is None:
            return None
        hour = int(match["hour"] or 0)
        ampm = (match["ampm"] or "").replace(".", "").lower()
        if ampm == "pm" and hour < 12:
            hour += 12
        elif ampm == "am" and hour == 12:
            hour = 0
        try:
            return datetime(
                int(match["year"]), month, int(match["day"]), hour, int(match["minute"] or 0),
                int(match["second"] or 0), tzinfo=_zone(match["zone"]),
            )
        except ValueError:
            return None
    return None


def parse_date(text: str) -> datetime | None:
    """``text`` as an aware datetime, or None when it is not a date this module knows."""
    text = " ".join((text or "").split())
    if not text:
        return None
    value = _client_date(text)  # first: RFC 2822 parsing would silently ignore "PM"
    if value is not None:
        return value
    try:
        value = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return aware(value) if value is not None else None
