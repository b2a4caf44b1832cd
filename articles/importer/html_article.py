"""HTML → the article body and the page's metadata, before flattening.

Fragment or page
    A *fragment* (no ``<html>``, ``<head>`` or ``<body>`` tag, e.g. a bare post body starting with
    ``<p>``) is used as it is and goes through ``check_depth`` (depth limit AND the truncation
    rule: an export that stops inside an element was cut off). A *full page* from the web or a
    mail client is parsed with lxml, which closes sloppy markup the way browsers do and has its
    own depth limit, so a page is never refused for being sloppy or for ending inside an element
    (text nested deeper than lxml's limit of 256 is not read; if nothing is left, extract says
    "no stories found: no text is left …").

Article body of a page (first match wins; the element must contain text)
    Substack ``div.body.markup``, ``div.available-content``; Beehiiv ``div#content-blocks``,
    ``.rendered-post``; Ghost ``section.gh-content``, ``.gh-content``; WordPress
    ``div.entry-content``; Buttondown ``.email-body``; Mailchimp ``#templateBody``,
    ``.bodyContainer``, else all ``td.mcnTextContent`` cells together; then ``.post-content``,
    ``article.post``, ``article``. Without a container, a page with chrome (``nav``, ``header``,
    ``footer``, ``aside`` or ``form``) goes through ``trafilatura.extract`` (recall-favouring, with
    links and formatting); otherwise, or when trafilatura finds nothing, the whole ``<body>``.
    Inside the body, elements that are chrome by tag (nav, footer, form, button, aside) or by
    class/id (share/sharing, subscri…, signup, paywall, cta, Substack's ufi bar; comment…;
    footer, unsubscri…; related, social, navbar — substrings, so ``jp-relatedposts`` counts) are
    removed and counted per kind.

Metadata
    title: ``og:title``, else ``<title>`` (the site name cut off either end: "Post | Site",
    "Site – Post"), but the first ``h1`` when it starts with that ``<title>`` or there is none;
    newsletter: ``og:site_name``, ``application-name``, Substack's ``.navbar-title`` /
    ``.publication-name``, JSON-LD ``publisher.name``; published_at: ``article:published_time``,
    ``<time datetime>``, JSON-LD ``datePublished``, then (Substack e-mails) a date among the texts
    of ``.post-meta``, then a text that is only a date ("Apr 2, 2026", see
    :func:`.headers.parse_dateline`) among the first ``TOP_TEXTS`` texts of the page; url:
    ``<link rel=canonical>``, ``og:url``, JSON-LD ``url``, then the post-title link
    (``h1.post-title a``, ``.post-title a``, ``h1 a`` — a Substack e-mail's only link to the post)
    (http/https only); author: ``author`` meta, ``article:author`` (unless a URL), JSON-LD
    ``author.name``, then the byline of Beehiiv/Ghost/WordPress pages: ``[rel=author]``,
    ``.post-author``, ``.byline``, ``.author-name``, ``.author`` (its text without a leading "By",
    only when at most ``BYLINE_MAX`` characters: a long block is a bio, not a name); subtitle:
    Substack's ``h3.subtitle``, Ghost's ``.gh-article-excerpt`` / ``.article-excerpt``.
    ``newsletter_key`` is ``site:<host>`` of the url (lower case, ``www.`` stripped) when there is one.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

from bs4 import BeautifulSoup, Comment, Tag

from .headers import parse_dateline, to_datetime
from .importai_html import check_depth, safe_href

_PAGE = re.compile(r"<(?:html|head|body)\b", re.IGNORECASE)
CONTAINERS = (
    "div.body.markup", "div.available-content", "div#content-blocks", ".rendered-post",
    "section.gh-content", ".gh-content", "div.entry-content", ".email-body", "#templateBody",
    ".bodyContainer", "td.mcnTextContent", ".post-content", "article.post", "article",
)  # fmt: skip
CHROME_TAGS = ("nav", "footer", "form", "button", "aside")
_CHROME_CLASSES = (
    ("subscribe/share", re.compile(r"shar(?:e|ing)|subscri|sign-?up|paywall|(?:^|[-_ ])(?:cta|ufi)(?:$|[-_ ])", re.I)),
    ("comments", re.compile(r"comment", re.I)),
    ("footer", re.compile(r"footer|unsubscri", re.I)),
    ("page", re.compile(r"related|social|navbar", re.I)),
)
PAGE_CHROME_TAGS = ("nav", "header", "footer", "aside", "form")
TOP_TEXTS = 30
BYLINE_MAX = 80
_POST_LINKS = ("h1.post-title a[href]", ".post-title a[href]", "h1 a[href]")
_BYLINES = ("[rel=author]", ".post-author", ".byline", ".author-name", ".author")
_INVISIBLE = ("script", "style", "noscript", "template", "head", "title")
_BY = re.compile(r"^(?:written\s+)?by\s+", re.IGNORECASE)


@dataclass
class Page:
    body: str | Tag  # what to flatten
    title: str = ""
    newsletter: str = ""
    subtitle: str = ""
    author: str = ""
    url: str = ""
    published_at: datetime | None = None
    newsletter_key: str = ""
    notes: list[str] = field(default_factory=list)
    removed: Counter[str] = field(default_factory=Counter)


def is_page(html: str) -> bool:
    return bool(_PAGE.search(html))


def site_key(url: str) -> str:
    """``site:<host>`` for an http(s) URL (lower case, ``www.`` stripped), else ""."""
    host = (urlsplit(url).hostname or "") if url else ""
    host = host.lower().removeprefix("www.")
    return f"site:{host}" if host else ""


def _meta(soup: BeautifulSoup, *names: str) -> str:
    for name in names:
        tag = soup.find("meta", attrs={"property": name}) or soup.find("meta", attrs={"name": name})
        content = tag.get("content") if isinstance(tag, Tag) else None
        if isinstance(content, str) and content.strip():
            return " ".join(content.split())
    return ""


def _json_ld(soup: BeautifulSoup) -> dict:
    for script in soup.find_all("script", attrs={"type": "application/ld+json"}):
        try:
            data = json.loads(script.string or "")
        except (ValueError, TypeError):
            continue
        for item in data if isinstance(data, list) else data.get("@graph", [data]) if isinstance(data, dict) else []:
            if isinstance(item, dict) and ("datePublished" in item or "headline" in item):
                return item
    return {}


def _name(value: object) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    if isinstance(value, dict):
        value = value.get("name", "")
    return " ".join(str(value).split()) if isinstance(value, str) else ""


def _text_of(soup: BeautifulSoup, selector: str) -> str:
    tag = soup.select_one(selector)
    return " ".join(tag.get_text(" ").split()) if tag else ""


def _title(soup: BeautifulSoup, site: str) -> str:
    """og:title; else ``<title>`` without the site name at either end, replaced by the first h1
    when the h1 starts with it (an e-mail's ``<title>`` is often just the newsletter's name)."""
    title = _meta(soup, "og:title", "twitter:title")
    if title:
        return title
    h1 = _text_of(soup, "h1")
    if soup.title and soup.title.string:
        title = " ".join(soup.title.string.split())
        for sep in (" | ", " - ", " – ", " — ", " · ", ": "):
            head, _, tail = title.rpartition(sep)
            if head and site and tail.strip().lower() == site.lower():
                title = head.strip()
                break
            head, _, tail = title.partition(sep)
            if tail and site and head.strip().lower() == site.lower() and sep != ": ":
                title = tail.strip()
                break
    if h1 and (not title or h1.casefold().startswith(title.casefold())):
        return h1
    return title


def _byline(soup: BeautifulSoup) -> str:
    for selector in _BYLINES:
        for tag in soup.select(selector)[:3]:
            text = _BY.sub("", " ".join(tag.get_text(" ").split())).strip(" ,·|-–—")
            if text and len(text) <= BYLINE_MAX and not safe_href(text):
                return text
    return ""


def _date_in_texts(texts: object) -> datetime | None:
    for text in texts:
        found = parse_dateline(text)
        if found is not None:
            return found
    return None


def _top_texts(soup: BeautifulSoup) -> list[str]:
    root = soup.body or soup
    out: list[str] = []
    for node in root.find_all(string=True):
        if isinstance(node, Comment) or node.parent is None or node.parent.name in _INVISIBLE:
            continue
        text = " ".join(node.split())
        if text:
            out.append(text)
            if len(out) >= TOP_TEXTS:
                break
    return out


def _post_link(soup: BeautifulSoup) -> str:
    """The post-title link; for a plain ``h1 a`` only when the link is the whole heading (a
    site-logo link inside an h1 points at the home page, not the post)."""
    for selector in _POST_LINKS:
        for tag in soup.select(selector)[:3]:
            href = tag.get("href")
            if not isinstance(href, str) or not safe_href(href):
                continue
            heading = tag.find_parent(["h1", "h2"]) if selector == "h1 a[href]" else None
            if heading is not None and " ".join(heading.get_text(" ").split()) != " ".join(tag.get_text(" ").split()):
                continue
            return safe_href(href)
    return ""


def _read_meta(soup: BeautifulSoup, page: Page) -> None:
    ld = _json_ld(soup)
    page.newsletter = (
        _meta(soup, "og:site_name", "application-name") or _text_of(soup, ".navbar-title")
        or _text_of(soup, ".publication-name") or _name(ld.get("publisher"))
    )  # fmt: skip
    page.title = _title(soup, page.newsletter) or _name(ld.get("headline"))
    page.subtitle = (
        _text_of(soup, "h3.subtitle") or _text_of(soup, ".gh-article-excerpt") or _text_of(soup, ".article-excerpt")
    )
    author = _meta(soup, "author", "article:author")
    page.author = "" if safe_href(author) else author
    page.author = page.author or _name(ld.get("author")) or _byline(soup)
    time_tag = soup.find("time", attrs={"datetime": True})
    post_meta = soup.select_one(".post-meta")
    page.published_at = (
        to_datetime(_meta(soup, "article:published_time"))
        or to_datetime(time_tag.get("datetime") if isinstance(time_tag, Tag) else None)
        or to_datetime(ld.get("datePublished"))
        or (_date_in_texts(post_meta.stripped_strings) if isinstance(post_meta, Tag) else None)
        or _date_in_texts(_top_texts(soup))
    )
    canonical = soup.find("link", rel="canonical")
    href = canonical.get("href") if isinstance(canonical, Tag) else None
    page.url = safe_href(href if isinstance(href, str) else "") or safe_href(_meta(soup, "og:url"))
    page.url = page.url or safe_href(ld.get("url") if isinstance(ld.get("url"), str) else "")
    page.url = page.url or _post_link(soup)
    page.newsletter_key = site_key(page.url)


def _container(soup: BeautifulSoup) -> Tag | None:
    for selector in CONTAINERS:
        found = [t for t in soup.select(selector) if t.get_text(strip=True)]
        if not found:
            continue
        if selector == "td.mcnTextContent" and len(found) > 1:
            wrapper = soup.new_tag("div")
            for cell in found:
                wrapper.append(cell.extract())
            return wrapper
        return found[0]
    return None


def _chrome_kind(tag: Tag) -> str:
    if tag.name in CHROME_TAGS:
        return "footer" if tag.name == "footer" else "page"
    classes = tag.get("class") or []
    ident = " ".join(classes if isinstance(classes, list) else [classes]) + " " + str(tag.get("id") or "")
    return next((kind for kind, pattern in _CHROME_CLASSES if pattern.search(ident.strip())), "")


def _strip_chrome(body: Tag, removed: Counter[str]) -> None:
    doomed = [(tag, kind) for tag in body.find_all(True) if (kind := _chrome_kind(tag))]
    for tag, kind in doomed:
        if tag.decomposed:
            continue
        if tag.get_text(strip=True):
            removed[kind] += 1
        tag.decompose()


def read_html(html: str) -> Page:
    """The article body to flatten and the page metadata (see the module docstring)."""
    if not is_page(html):
        check_depth(html)
        return Page(body=html)
    soup = BeautifulSoup(html, "lxml")
    page = Page(body="")
    _read_meta(soup, page)
    for tag in soup.find_all(["script", "style", "noscript", "template"]):
        tag.decompose()
    body = _container(soup)
    if body is None:
        chrome = soup.find(PAGE_CHROME_TAGS) is not None
        extracted = _trafilatura(html) if chrome else None
        if extracted:
            page.notes.append("article body found by trafilatura (no known newsletter layout)")
            page.body = extracted
            return page
        body = soup.body or soup
    _strip_chrome(body, page.removed)
    page.body = body
    return page


def _trafilatura(html: str) -> str | None:
    import trafilatura

    try:
        return trafilatura.extract(
            html, output_format="html", include_links=True, include_formatting=True, favor_recall=True
        )
    except Exception:  # noqa: BLE001 - a third-party heuristic failing means "not found"
        return None
