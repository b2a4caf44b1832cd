"""``assert_no_active_content``: no script, no handler, no dangerous URL — in a fragment or a page.

Fragments (sanitizer output, a partial) are checked strictly everywhere. A whole page (it starts
with ``<!doctype html``, or pass ``page=True``) legitimately carries the site's own chrome: the
stylesheet/icon ``<link>``, ``<meta>``, same-origin ``<script src>``, forms with inputs and
buttons, ``hx-*`` attributes and the exact inline handlers in ``PAGE_CHROME_HANDLERS``. Those
are accepted only in these known, inert shapes; everything else stays forbidden on the whole
page. Pass ``within=".note-body, .comment-body"`` (a CSS selector) to also check inside the
user-content regions as strictly as a fragment (at least one region must match).
"""

from __future__ import annotations

import re
import unicodedata
import warnings

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, Tag

FORBIDDEN_TAGS = frozenset(
    {"script", "style", "iframe", "object", "embed", "svg", "math", "img", "form", "input",
     "button", "base", "meta", "link", "frame", "frameset", "applet", "template", "portal"}
)
FORBIDDEN_ATTRIBUTES = frozenset({"style", "srcdoc", "formaction"})
URL_ATTRIBUTES = frozenset(
    {"href", "src", "action", "xlink:href", "formaction", "background", "poster", "data",
     "codebase", "cite", "dynsrc", "lowsrc", "longdesc", "ping", "srcset", "manifest", "icon",
     "hx-get", "hx-post", "hx-put", "hx-patch", "hx-delete"}
)
SAFE_SCHEMES = ("http", "https", "mailto")

# The page's own chrome: allowed on a whole page, outside the ``within`` regions only.
PAGE_CHROME_TAGS = frozenset({"script", "meta", "link", "form", "input", "button"})
# Inline handlers the site's own templates use, accepted on a whole page with exactly this code.
PAGE_CHROME_HANDLERS: frozenset[tuple[str, str, str]] = frozenset()  # the templates use none
_INVISIBLE = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp"})  # whitespace, controls, zero-width
_SCHEME = re.compile(r"([a-z][a-z0-9+.\-]*):")


def normalized_url(value: str) -> str:
    """``value`` without whitespace, control or zero-width characters, lowercased."""
    return "".join(ch for ch in value if unicodedata.category(ch) not in _INVISIBLE).lower()


def url_is_safe(value: str) -> bool:
    """Relative (no scheme: ``/people/bob/``, ``#p-3``, ``?page=2``) or http / https / mailto."""
    match = _SCHEME.match(normalized_url(value))
    return match is None or match.group(1) in SAFE_SCHEMES


def _urls(attribute: str, value: str) -> list[str]:
    if attribute == "srcset":  # "a.png 1x, b.png 2x"
        return [part.split()[0] for part in value.split(",") if part.split()]
    return [value]


def _problems(root: Tag, *, page: bool) -> list[str]:
    """Every violation among ``root``'s descendants (not ``root``: a page's own container)."""
    found: list[str] = []
    for el in root.find_all(True):
        name = el.name.lower()
        if name in FORBIDDEN_TAGS and not (page and _is_page_chrome(el)):
            found.append(f"<{name}> element: {str(el)[:120]!r}")
        for attribute, raw in el.attrs.items():
            attribute = attribute.lower()
            value = " ".join(raw) if isinstance(raw, list) else str(raw)
            where = f"<{name} {attribute}={value[:80]!r}>"
            if attribute.startswith(("on", "hx-on", "data-hx-on")):
                if page and (name, attribute, value.strip()) in PAGE_CHROME_HANDLERS:
                    continue
                found.append(f"event handler {where}")
            elif attribute in FORBIDDEN_ATTRIBUTES:
                found.append(f"forbidden attribute {where}")
            elif attribute.startswith("data-hx-") or (attribute.startswith("hx-") and not page):
                found.append(f"htmx attribute {where}")
            elif page and attribute.startswith("hx-") and normalized_url(value).startswith(("js:", "javascript:")):
                found.append(f"htmx attribute running script {where}")
            if attribute in URL_ATTRIBUTES:
                for url in _urls(attribute, value):
                    if not url_is_safe(url) and not (page and _is_inert_icon(el, attribute, url)):
                        found.append(f"unsafe URL {where}")
    return found


def _is_page_chrome(el: Tag) -> bool:
    """The site's own, inert head/body elements (only ever accepted on a whole page)."""
    name = el.name.lower()
    if name not in PAGE_CHROME_TAGS:
        return False
    if name == "script":  # external, same-origin, no inline code
        src = normalized_url(str(el.get("src", "")))
        return src.startswith("/") and not src.startswith("//") and not el.get_text(strip=True)
    if name == "meta":  # charset / name+content, never http-equiv (refresh, set-cookie)
        return el.find_parent("head") is not None and not el.has_attr("http-equiv")
    if name == "link":
        href = normalized_url(str(el.get("href", "")))
        rel = {r.lower() for r in el.get("rel", [])}
        return el.find_parent("head") is not None and rel <= {"stylesheet", "icon", "preload", "manifest"} and (
            _SCHEME.match(href) is None and not href.startswith("//") or href == "data:,"
        )
    return True  # form, input, button: their URLs and attributes are still checked


def _is_inert_icon(el: Tag, attribute: str, url: str) -> bool:
    """``<link rel="icon" href="data:,">`` — the empty icon that stops a /favicon.ico request."""
    return el.name == "link" and attribute == "href" and normalized_url(url) == "data:,"


def assert_no_active_content(html: str, *, within: str | None = None, page: bool | None = None) -> None:
    """Fail (listing every problem) if ``html`` could run script or smuggle active content.

    ``page`` defaults to "does it start with ``<!doctype html``". ``within`` is a CSS selector
    for user-content regions: what is inside them is checked with the fragment rules."""
    if page is None:
        page = html.lstrip().lower().startswith("<!doctype html")
    with warnings.catch_warnings():  # output that is just a URL is fine here
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        soup = BeautifulSoup(html, "html.parser")
    problems = _problems(soup, page=page)
    if within is not None:
        regions = soup.select(within)
        assert regions, f"no element matches {within!r}, so nothing user-written was checked"
        for region in regions:
            problems += [f"in {within}: {p}" for p in _problems(region, page=False)]
    assert not problems, "active content found:\n  " + "\n  ".join(problems)
