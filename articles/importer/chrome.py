"""Page and e-mail chrome: the lines a newsletter platform wraps around the writing.

Works on :class:`~.importai_structure.Line` lists (any format, after flattening) and on raw text
lines. Every rule is a whole-line rule, so a sentence that merely *mentions* subscribing stays.

Top chrome (:func:`strip_top`)
    Before the first real line, lines such as "Forwarded this email? Subscribe here for more",
    "View in browser", "View this post on the web at <url>", "Open in app", "Share", "Listen to
    the podcast", "Subscribe", "5 min read" are removed. Plain-text link forms are taken out
    before the line is matched: ``[ url ]``, ``<url>``, ``(url)`` anywhere and a bare URL at the
    end ("View this email in your browser [ https://… ]", "[View online](https://…)").

    The issue URL is taken from a top line's link (its URL or its link mark) ONLY when the line
    is a canonical-post line — "View in browser", "View (this email/post) in your browser / on
    the web", "View online", "Read online", "View this post on the web (at <url>)" (see
    :func:`is_view_online`). A subscribe, forward, share, app, podcast or unsubscribe line's link
    is never the issue URL.

Stand-alone chrome (:func:`strip_chrome`, anywhere)
    A line that is *only* a button label — Share, Share this post, Subscribe (now), Leave a
    comment, Like, Restack, Read in app, Open in app, Upgrade to paid, Give a gift subscription,
    "Powered by beehiiv/Substack/Ghost/Buttondown/Mailchimp", "3 likes · 2 restacks",
    "Subscribe to <name>" — is removed.

Link rows (per cell)
    A line split by ``|`` into two or more cells is a *chrome row* when every cell is chrome on
    its own: a button label, a footer phrase, or a site link label (Privacy (policy), Terms (of
    service/use), Contact, About, Archive, Help, Start writing, Get the app, View in browser, …).
    Such a row is removed like a button ("Subscribe to Import AI | Privacy | Terms"), and when
    one of its cells is a footer phrase or a legal link (Unsubscribe, Privacy, Terms, ©…) it
    starts the footer like a footer line does ("Share | Unsubscribe").

Footer (:func:`strip_chrome`)
    A *footer line* starts with Unsubscribe, Manage your subscription, "You are receiving this
    (email)", "You received this", "This email was sent to", "Our mailing address is", ©,
    Copyright, "Update your (email) preferences", "No longer want to receive", "Powered by …", or
    is the e-mail signature delimiter ``--``.
    The footer begins at the first footer line that comes after the last sign-off (see
    :func:`is_sign_off`) or, without a sign-off, within the last ``FOOTER_WINDOW`` lines; from
    there to the end everything is removed (postal addresses, legal text, links). So a footer is
    never turned into reader comments or into a story.

Sponsor labels (:func:`sponsor_name`)
    "From our sponsor", "A word from our sponsor", "Sponsored by X", "Together with X",
    "Presented by X", "Brought to you by X", "In partnership with X", "Sponsor: X". The generic
    extractor KEEPS such a block as a STORY whose headline is ``Sponsor: X`` (or ``Sponsor``),
    so it is visibly not editorial and never used as a subtitle.

What was removed is counted per category for :func:`removal_note`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from .importai_structure import Line

FOOTER_WINDOW = 15
CHROME_MAX_CHARS = 120

_TOP = re.compile(
    r"(?:forwarded this (?:e-?mail|message|newsletter)\??.*"
    r"|view (?:this )?(?:e-?mail|post|issue|newsletter|it)? ?(?:in|on) (?:your |a |the )?"
    r"(?:browser|web(?:site)?)(?: at(?: .*)?)?\.?"
    r"|(?:view|read) (?:it )?online\.?"
    r"|open in (?:the )?app|read in (?:the )?app|get the app"
    r"|listen to (?:the |this )?(?:podcast|audio|post|episode|article)(?:.*)?"
    r"|(?:\d+ ?min(?:ute)?s? read|read time:? ?\d+ ?min(?:ute)?s?)"
    r"|subscribe(?: now| here.*|!)?|sign up(?: now| here)?|share|share this (?:post|email|issue)"
    r"|(?:having trouble|trouble) viewing this (?:e-?mail)?.*)",
    re.IGNORECASE,
)
_BUTTONS = re.compile(
    r"(?:share|share this (?:post|email|issue|newsletter)|subscribe(?: now)?|leave a comment"
    r"|comment|comments|like|restack|read in app|open in app|upgrade to paid|give a gift subscription"
    r"|powered by (?:beehiiv|substack|ghost|buttondown|mailchimp|convertkit|kit)\.?"
    r"|(?:\d+ (?:likes?|comments?|restacks?|shares?)(?: ?[·|•] ?)?)+"
    r"|update your (?:e-?mail )?preferences\.?|unsubscribe"
    r"|thanks for reading [^.!?]{1,80}[!.] ?subscribe\b.*"
    r"|subscribe to [\w .&’'-]{1,60})",
    re.IGNORECASE,
)
_SITE_LINKS = re.compile(
    r"(?:privacy(?: policy| notice)?|terms(?: of (?:service|use))?|terms (?:&|and) conditions|legal"
    r"|contact(?: us)?|about(?: us)?|archives?|help|faq|start writing|get the app|sign in|log ?in"
    r"|manage (?:your )?(?:subscription|preferences)|preferences|unsubscribe|opt[- ]out"
    r"|view (?:this )?(?:e-?mail |post )?(?:in (?:your |a )?browser|online)|read online|web version"
    r"|forward(?: to a friend)?|refer a friend|advertise|sponsor us|website|home)\.?",
    re.IGNORECASE,
)
_LEGAL_LINKS = re.compile(r"(?:privacy|terms|legal|unsubscribe|opt[- ]out|manage\b)", re.IGNORECASE)
_FOOTER = re.compile(
    r"(?:unsubscribe|manage (?:your )?(?:subscription|preferences)|you(?:'re| are) receiving this"
    r"|you received this|this (?:e-?mail|newsletter) was sent to|our mailing address is|©"
    r"|\(c\) ?\d{4}|copyright\b|update your (?:e-?mail )?preferences|no longer want to receive"
    r"|if you no longer wish|powered by\b|want to change how you receive)",
    re.IGNORECASE,
)
_SIGN_OFF = re.compile(
    r"(?:thanks?(?: you)? (?:so much )?for reading|that[’']s (?:all|it) for (?:this week|this issue"
    r"|this time|today|now)|see you (?:next (?:week|time|month|issue)|tomorrow|soon)"
    r"|until next (?:time|week)|cheers|talk soon|best(?: wishes)?(?=,)"
    r"|have a (?:great|good|nice) (?:week|weekend|day)|catch you (?:next (?:week|time)|later))",
    re.IGNORECASE,
)
_SPONSOR = re.compile(
    r"(?:(?:a )?(?:word|message|note) from |from )?(?:our|today[’']s|this week[’']s) "
    r"(?:sponsors?|partners?)[:.!]?\s*(?P<a>.*)"
    r"|(?:sponsored by|together with|presented by|brought to you by|in partnership with)"
    r"\s+(?P<b>.+?)[.:!]?"
    r"|(?:sponsor|sponsored|partner)(?::\s*(?P<c>.*))?",
    re.IGNORECASE,
)
_URL = re.compile(r"https?://\S+")
_URL_FORMS = re.compile(
    r"\s*(?:\[\s*https?://[^\s\]]+\s*\]|<\s*https?://[^\s>]+\s*>|\(\s*https?://[^\s)]+\s*\))"
    r"|:?\s*https?://\S+\s*$"
)
_VIEW_ONLINE = re.compile(
    r"view (?:this )?(?:e-?mail|post|issue|newsletter|it)? ?(?:in|on) (?:your |a |the )?(?:web )?"
    r"(?:browser|web(?:site)?)(?: at(?: \S+)?)?\.?|(?:view|read) (?:it |this )?(?:post |issue |e-?mail )?online\.?"
    r"|web version\.?",
    re.IGNORECASE,
)


def without_urls(text: str) -> str:
    """``text`` without its plain-text URL forms (see "Top chrome" in the module docstring)."""
    return _URL_FORMS.sub("", text) if "://" in text else text


def is_view_online(text: str) -> bool:
    """A canonical-post line: "View in browser", "View online", "Read online", "View this post on
    the web (at <url>)" — the only top lines whose link may be the issue URL."""
    t = _clean(without_urls(text))
    return bool(t) and len(t) <= 120 and bool(_VIEW_ONLINE.fullmatch(t))


def _clean(text: str) -> str:
    return text.strip().strip("*_#>[]()|·•-–— ").strip()


def is_top_chrome(text: str) -> bool:
    t = _clean(without_urls(text))
    return bool(t) and len(t) <= 300 and bool(_TOP.fullmatch(t)) or is_button(text)


def _is_button_cell(text: str) -> bool:
    t = _clean(text)
    return bool(t) and len(t) <= CHROME_MAX_CHARS and bool(_BUTTONS.fullmatch(t))


def _chrome_cells(text: str) -> list[str] | None:
    """The cells of a ``|`` row when every one is chrome (see the module docstring), else None."""
    if "|" not in text or len(text) > 600:
        return None
    cells = [_clean(c) for c in text.split("|")]
    cells = [c for c in cells if c]
    if len(cells) < 2:
        return None
    for cell in cells:
        if not (_is_button_cell(cell) or _SITE_LINKS.fullmatch(cell) or _FOOTER.match(cell)):
            return None
    return cells


def is_button(text: str) -> bool:
    return _is_button_cell(text) or _chrome_cells(text) is not None


def is_footer_start(text: str) -> bool:
    if text.strip() == "--":  # the e-mail signature delimiter "-- "
        return True
    t = _clean(text)
    if bool(t) and len(t) <= 600 and bool(_FOOTER.match(t)):
        return True
    cells = _chrome_cells(text)
    return cells is not None and any(_FOOTER.match(c) or _LEGAL_LINKS.match(c) for c in cells)


def is_sign_off(text: str) -> bool:
    """A short line that closes the writing ("Thanks for reading!", "Until next time,")."""
    t = _clean(text)
    m = _SIGN_OFF.match(t)
    return len(t) <= 80 and m is not None and (m.end() == len(t) or not t[m.end()].isalnum() and t[m.end()] != " ")


def sponsor_name(text: str) -> str | None:
    """``None`` unless ``text`` is a sponsor label; else the sponsor's name ("" if not given)."""
    t = _clean(text)
    if not t or len(t) > 100:
        return None
    m = _SPONSOR.fullmatch(t)
    if m is None:
        return None
    return _clean(m.group("a") or m.group("b") or m.group("c") or "")


def top_url(text: str) -> str:
    """The URL of a "View this post on the web at <url>" / "View in browser [ url ]" line (see
    :func:`is_view_online`), else ""."""
    m = _URL.search(text)
    return m.group(0).rstrip(".,;)>]") if m and is_view_online(text) else ""


def strip_top(lines: Sequence[Line], removed: Counter[str]) -> tuple[list[Line], str]:
    """Drop top chrome before the first real line; return the rest and a URL found there."""
    url = ""
    i = 0
    while i < len(lines) and (not lines[i].text or is_top_chrome(lines[i].text)):
        if lines[i].text:
            removed["header"] += 1
            if is_view_online(lines[i].text):
                url = url or top_url(lines[i].text) or next((m.href for m in lines[i].marks if m.href), "")
        i += 1
    return list(lines[i:]), url


def footer_start(texts: Sequence[str], *, sign_off_index: int | None = None) -> int:
    """Index where the footer begins (``len(texts)`` when there is none); see module docstring."""
    if sign_off_index is None:
        sign_offs = [i for i, t in enumerate(texts) if is_sign_off(t)]
        sign_off_index = sign_offs[-1] if sign_offs else None
    start = sign_off_index + 1 if sign_off_index is not None else max(len(texts) - FOOTER_WINDOW, 0)
    return next((i for i in range(start, len(texts)) if is_footer_start(texts[i])), len(texts))


def strip_chrome(
    lines: Sequence[Line], removed: Counter[str], *, sign_off_index: int | None = None
) -> list[Line]:
    """Remove the footer (to the end) and stand-alone button lines."""
    texts = [line.text for line in lines]
    cut = footer_start(texts, sign_off_index=sign_off_index)
    if cut < len(lines):
        removed["footer"] += sum(1 for t in texts[cut:] if t)
    kept = []
    for line in lines[:cut]:
        if line.text and not line.rule and is_button(line.text):
            removed["subscribe/share"] += 1
        else:
            kept.append(line)
    return kept


def removal_note(removed: Counter[str]) -> tuple[str, ...]:
    """``("removed 3 lines of page chrome (header, subscribe/share, footer)",)`` or ``()``; an
    HTML element removed as a whole (a share bar, the comments) counts as one line."""
    total = sum(removed.values())
    if not total:
        return ()
    kinds = ", ".join(k for k in ("header", "subscribe/share", "comments", "footer", "page") if removed[k])
    s = "" if total == 1 else "s"
    return (f"removed {total} line{s} of page chrome ({kinds})",)
