"""User-written Markdown → safe HTML: the project's one security boundary for user text.

This is the ONLY module that imports ``markdown``, ``bleach`` or ``nh3`` (a test enforces it).
Notes, comments and anything else a user types go through :func:`render_markdown`; callers wrap
``Rendered.html`` with ``mark_safe`` and never build HTML from user text themselves.

The pipeline runs in this order, and the order is the point:

1. **python-markdown** turns the text into HTML (``sane_lists``, ``fenced_code``, ``nl2br``) and
   turns ``@name`` into a mention link when ``name`` is mentionable. Raw HTML typed by the user
   passes through untouched here; step 3 removes it. Sanitizing *before* Markdown would be wrong:
   ``[x](javascript:…)`` is harmless text until Markdown makes it a link.
2. **bleach.linkify** turns bare URLs into links (never inside ``pre``/``code``). Bleach is
   end-of-life (its maintainers ended it on 2026-06-05; no more security releases), so it is used
   ONLY to linkify and is never trusted: its output goes through step 3 like everything else.
3. **nh3** (ammonia) — the final and only security boundary — keeps a small allowlist of tags,
   ``href``/``title``/``class="mention"`` on links, http/https/mailto or relative URLs, forces
   ``rel="nofollow noopener noreferrer"`` on every link and drops comments, images and the
   content of ``script``/``style``. :func:`clean_html` is that step alone, and it is idempotent.
"""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as etree
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import bleach.linkifier
import markdown
import nh3
from markdown.inlinepatterns import InlineProcessor

MAX_SOURCE_CHARS = 20_000

ALLOWED_TAGS = frozenset(
    {"a", "p", "br", "strong", "em", "b", "i", "code", "pre", "blockquote",
     "ul", "ol", "li", "h3", "h4", "h5", "h6", "hr", "del"}
)
URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow noopener noreferrer"
_NH3_OPTIONS: dict[str, Any] = {
    "tags": set(ALLOWED_TAGS),
    "clean_content_tags": {"script", "style"},
    # ``class`` must NOT be listed here: nh3 handles it through ``allowed_classes`` only.
    "attributes": {"a": {"href", "title"}},
    "allowed_classes": {"a": {"mention"}},
    "url_schemes": set(URL_SCHEMES),
    "link_rel": LINK_REL,
    "strip_comments": True,
}

_MARKDOWN_EXTENSIONS = ["sane_lists", "fenced_code", "nl2br"]

# Characters a browser (or a confused reader) may ignore inside a URL scheme: whitespace,
# C0/C1 controls and invisible "format" characters such as U+200B, U+200C and U+FEFF.
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp"})
_SCHEME = re.compile(r"([a-z][a-z0-9+.\-]*):")

# ``@name``: not after a word character or one of ``@/=.+-`` (e-mail addresses, URL paths like
# medium.com/@bob, query strings); the name ends on a word character ("@bob." → bob).
_MENTION_PATTERN = r"(?<![\w@/=.+\-])@(\w(?:[\w.+\-]*\w)?)"

# Bare URLs: any host when the scheme is written (https://x.test/a), else bleach's known TLDs.
_SCHEMED_URL = r"""\(*\bhttps?://[\w\-]+(?:\.[\w\-]+)*(?::[0-9]+)?(?:[/?#][^\s{}|\\^`<>"]*)?"""
_URL_RE = re.compile(
    _SCHEMED_URL + "|" + bleach.linkifier.build_url_re().pattern,
    re.IGNORECASE | re.VERBOSE | re.UNICODE,
)


class _LinkifyFilter(bleach.linkifier.LinkifyFilter):
    """Bleach 6 passes text inside ``skip_tags`` through with its entities unsplit, so the
    serializer escapes them again (``<code>&lt;</code>`` → ``&amp;lt;``; bleach issue #704).
    Splitting entities out of every text token fixes that (a no-op on tokens already split)."""

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for token in super().__iter__():
            if token["type"] == "Characters":
                yield from self.extract_entities(token)
            else:
                yield token


def _linkify(html: str) -> str:
    """``bleach.linkify(html, callbacks=[], skip_tags=["pre", "code"], parse_email=False)`` with
    the filter above and our URL pattern. No callbacks: the default one adds rel="nofollow", and
    nh3 forces ``rel`` on every link anyway, so the output stays a fixed point of clean_html."""
    linker = bleach.linkifier.Linker()  # for its html5lib parser, tree walker and serializer
    stream = _LinkifyFilter(
        source=linker.walker(linker.parser.parseFragment(html)),
        callbacks=[], skip_tags=["pre", "code"], parse_email=False, url_re=_URL_RE,
    )
    return linker.serializer.render(stream)


@dataclass(frozen=True)
class Rendered:
    html: str  # safe HTML (a str; callers wrap with mark_safe)
    mentions: tuple[str, ...]  # mentioned usernames, lowercase, first-appearance order, no repeats


def _url_scheme(url: str) -> str | None:
    """The scheme a browser would see in ``url`` (lowercase), ignoring invisible characters."""
    visible = "".join(ch for ch in url if unicodedata.category(ch) not in _INVISIBLE_CATEGORIES)
    match = _SCHEME.match(visible.lower())
    return match.group(1) if match else None


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    """Second opinion on URLs after nh3's own scheme check (ammonia keeps what fails to parse as
    an absolute URL as "relative", e.g. ``java\\u200bscript:…``); drop any non-allowed scheme."""
    if attribute == "href":
        scheme = _url_scheme(value)
        if scheme is not None and scheme not in URL_SCHEMES:
            return None
    return value


def _nh3_pass(html: str) -> str:
    cleaned = nh3.clean(html, attribute_filter=_attribute_filter, **_NH3_OPTIONS)
    # An HTML parser drops one newline right after <pre>, and nh3's serializer does not add it
    # back, so "<pre>\n\nx" would lose a newline on every pass. Re-add it (as the HTML spec's
    # serializer does). nh3 escapes "<" in text and attribute values, so this only hits tags.
    return cleaned.replace("<pre>\n", "<pre>\n\n")


def clean_html(html: str) -> str:
    """The nh3 boundary alone (allowlist above). Idempotent: ``clean_html(clean_html(x)) ==
    clean_html(x)``.

    One nh3 pass is not always a fixed point: removing a disallowed container can leave nesting
    the parser will not rebuild (``<h3><table><h3>`` → ``<h3><h3></h3></h3>``, which re-parses as
    two siblings). So clean again until the output stops changing: one extra pass for ordinary
    text, at most three passes in all for anything fuzzing has found (nesting depth does not add).
    """
    cleaned = _nh3_pass(html or "")
    for _ in range(4):
        again = _nh3_pass(cleaned)
        if again == cleaned:
            break
        cleaned = again
    return cleaned


class _MentionProcessor(InlineProcessor):
    """``@name`` → ``<a class="mention" href=URL>@name</a>`` when ``name`` is mentionable.

    Registered after the code-span pattern, so code spans are never touched, and excluded
    inside links, so ``[@bob](https://…)`` does not nest one link in another."""

    ANCESTOR_EXCLUDES = ("a",)

    def __init__(self, mentionable: Mapping[str, str]) -> None:
        super().__init__(_MENTION_PATTERN)
        self.mentionable = mentionable
        self.found: dict[str, None] = {}  # an ordered set

    def handleMatch(  # type: ignore[override]
        self, m: re.Match[str], data: str
    ) -> tuple[etree.Element | None, int | None, int | None]:
        typed = m.group(1)
        # Longest mentionable prefix that ends before a "." / "+" / "-": "@bob.smith" → bob.
        cuts = [len(typed)] + [i for i in range(len(typed) - 1, 0, -1) if typed[i] in ".+-"]
        for cut in cuts:
            name = typed[:cut].lower()
            if name in self.mentionable:
                link = etree.Element("a")
                link.set("class", "mention")
                link.set("href", self.mentionable[name])
                link.text = "@" + name
                self.found.setdefault(name, None)
                return link, m.start(0), m.start(1) + cut
        return None, None, None


def render_markdown(source: str | None, *, mentionable: Mapping[str, str] | None = None) -> Rendered:
    """User Markdown → safe HTML.

    ``mentionable`` maps lowercase username → URL of that user's page (``{"bob": "/people/bob/"}``);
    ``@bob`` / ``@Bob`` becomes ``<a class="mention" href="/people/bob/">@bob</a>`` only when the
    name is a key; other ``@words`` stay plain text, and mentions in code are never links.
    ``None`` is treated as ``""``. Raises ``ValueError`` over ``MAX_SOURCE_CHARS`` characters
    (forms validate the length first; this is the backstop).
    """
    source = source or ""
    if len(source) > MAX_SOURCE_CHARS:
        raise ValueError(
            f"Markdown source is {len(source)} characters; the limit is {MAX_SOURCE_CHARS}."
        )
    md = markdown.Markdown(extensions=_MARKDOWN_EXTENSIONS)  # fresh per call: no shared state
    mentions = _MentionProcessor({k.lower(): v for k, v in (mentionable or {}).items()})
    md.inlinePatterns.register(mentions, "digest_mention", 105)  # after links and autolinks
    html = _linkify(md.convert(source))
    return Rendered(html=clean_html(html), mentions=tuple(mentions.found))
